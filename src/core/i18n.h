/*
 * i18n.h - the language of what a user sees, through gettext.
 *
 * Every user-facing string is written in English in the source, _("...")
 * where it is used and N_("...") in a table (translated where shown, with
 * _() on the table's field).  The Chinese is in the zh_CN catalogue
 * (po/zh_CN.po, compiled to LOCALE/zh_CN/LC_MESSAGES/DOMAIN.mo).
 *
 * Chinese by default.  English when the messages locale is "C", "POSIX" or
 * starts with "en" (LC_ALL, then LC_MESSAGES, then LANG), or when
 * TONGBAN_LANG=en; TONGBAN_LANG=zh forces Chinese.  The chosen language
 * is given to gettext through LANGUAGE, so a machine whose locale is
 * C.UTF-8 still sees Chinese.
 *
 * The bundled data (item and material names, form labels and choices) are
 * Chinese and stay so in the database; i18n_data() gives their English
 * from the "tongban-data" catalogue (po/data/en.po) when the UI is English.
 * Printed notices stay Chinese: they are official documents.
 */
#ifndef TB_CORE_I18N_H
#define TB_CORE_I18N_H

#include <libintl.h>
#include <stdbool.h>

#define _(s)  gettext(s)
#define N_(s) (s)
/* in a context, where one English word has two Chinese ones: C_("event",
 * "accepted") is the event 受理, _("accepted") the state 已受理 */
#define C_(ctx, s)  i18n_pgettext((ctx), (s))
#define NC_(ctx, s) (s)
/* n-dependent forms: "%zu item" / "%zu items" */
#define P_(one, many, n) ngettext((one), (many), (unsigned long)(n))

/*
 * Decide the language from the environment and bind domain (the program's
 * catalogue: "tongban" or "tongband") and "tongban-data".  Call once at
 * start-up, after setlocale(); again if a setting changed the language.
 */
void i18n_init_domain(const char *domain);

/* i18n_init_domain("tongban"). */
void i18n_init(void);

/* Force a language (tests, settings). */
void i18n_set_chinese(bool chinese);

bool i18n_is_chinese(void);

/*
 * A Chinese string of the bundled data (an item's name, a form's label) as
 * the user reads it: itself in Chinese, its English when the UI is English
 * and the data catalogue has one, else itself.
 */
const char *i18n_data(const char *zh);

/* The translation of msgid in context ctx (msgctxt), or msgid. */
const char *i18n_pgettext(const char *ctx, const char *msgid);

/* The folder of the message catalogues in use (tests, `config show`). */
const char *i18n_locale_dir(void);

#endif
