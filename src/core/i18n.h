/*
 * i18n.h - the language of what a user sees.
 *
 * Chinese by default.  English when the messages locale is "C", "POSIX" or
 * starts with "en" (LC_ALL, then LC_MESSAGES, then LANG), or when
 * TONGBAN_LANG=en.  TONGBAN_LANG=zh forces Chinese.  Every user-facing string
 * is written as a pair: T("中文", "English").
 */
#ifndef TB_CORE_I18N_H
#define TB_CORE_I18N_H

#include <stdbool.h>

/* Decide the language from the environment.  Call once at start-up. */
void i18n_init(void);

/* Force a language (tests). */
void i18n_set_chinese(bool chinese);

bool i18n_is_chinese(void);

#define T(zh, en) (i18n_is_chinese() ? (zh) : (en))

#endif
