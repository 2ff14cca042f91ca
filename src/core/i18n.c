#include "core/i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/paths.h"

#ifndef TB_LOCALEDIR
#define TB_LOCALEDIR "/usr/local/share/locale"
#endif

#define DATA_DOMAIN "tongban-data"

static bool chinese = true;
static char domain_name[32] = "tongban";
static char locale_dir[PATH_MAX] = TB_LOCALEDIR;

static bool locale_is_english(const char *l)
{
	return strcmp(l, "C") == 0 || strcmp(l, "POSIX") == 0 || strncmp(l, "en", 2) == 0;
}

static bool has_catalogue(const char *dir)
{
	char p[PATH_MAX + 64];

	if (snprintf(p, sizeof p, "%s/zh_CN/LC_MESSAGES/%s.mo", dir, domain_name) >= (int)sizeof p)
		return false;
	return access(p, R_OK) == 0;
}

/*
 * $TONGBAN_LOCALEDIR; else locale/ beside the running binary or one or two
 * folders up (build/locale for build/tongban and build/tests/unit/...);
 * else the installed TB_LOCALEDIR.
 */
static void find_locale_dir(void)
{
	const char *env = getenv("TONGBAN_LOCALEDIR");
	char *dir, *slash, try[PATH_MAX + 16];
	int up;

	if (env && *env) {
		snprintf(locale_dir, sizeof locale_dir, "%s", env);
		return;
	}
	if ((dir = paths_exe_dir()) != NULL) {
		for (up = 0; up < 3; up++) {
			if (snprintf(try, sizeof try, "%s/locale", dir) < (int)sizeof locale_dir &&
			    has_catalogue(try)) {
				memcpy(locale_dir, try, strlen(try) + 1);
				free(dir);
				return;
			}
			if ((slash = strrchr(dir, '/')) == NULL)
				break;
			*slash = '\0';
		}
		free(dir);
	}
	snprintf(locale_dir, sizeof locale_dir, "%s", TB_LOCALEDIR);
}

static bool bound;
static int applied = -1; /* the language last told gettext (chinese), -1 none */

static void bind(void)
{
	find_locale_dir();
	bindtextdomain(domain_name, locale_dir);
	bind_textdomain_codeset(domain_name, "UTF-8");
	bindtextdomain(DATA_DOMAIN, locale_dir);
	bind_textdomain_codeset(DATA_DOMAIN, "UTF-8");
	bound = true;
	applied = -1;
}

/* Tell gettext the language, and drop what it has looked up so far. */
static void apply(void)
{
	const char *msg;

	if (!bound)
		bind();
	if (applied == (int)chinese)
		return; /* the settings file chose the same again: nothing to look up */
	applied = (int)chinese;
	setenv("LANGUAGE", chinese ? "zh_CN" : "en", 1);
	/* The messages locale of the language where the C library has it (musl
	 * has every name, and finds the catalogue by it; glibc only those that
	 * are installed, and then takes LANGUAGE); else, in the "C" locale,
	 * where glibc ignores LANGUAGE and the data's English (and Chinese, when
	 * chosen) would never be looked up, C.UTF-8, which glibc has built in. */
	if (setlocale(LC_MESSAGES, chinese ? "zh_CN.UTF-8" : "en_US.UTF-8") == NULL) {
		msg = setlocale(LC_MESSAGES, NULL);
		if (msg && (strcmp(msg, "C") == 0 || strcmp(msg, "POSIX") == 0))
			setlocale(LC_MESSAGES, "C.UTF-8");
	}
	textdomain(domain_name); /* also makes gettext forget its lookups */
}

void i18n_init_domain(const char *domain)
{
	static const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	const char *forced = getenv("TONGBAN_LANG");
	size_t i;

	if (domain != domain_name && strcmp(domain, domain_name) != 0) {
		snprintf(domain_name, sizeof domain_name, "%s", domain);
		bound = false;
	}
	if (!bound) /* the catalogues' folder is looked for once */
		bind();
	chinese = true;
	if (forced && *forced) {
		chinese = strncmp(forced, "en", 2) != 0;
	} else {
		for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
			const char *v = getenv(vars[i]);

			if (v && *v) {
				chinese = !locale_is_english(v);
				break;
			}
		}
	}
	apply();
}

void i18n_init(void)
{
	i18n_init_domain(domain_name);
}

void i18n_set_chinese(bool on)
{
	chinese = on;
	apply();
}

bool i18n_is_chinese(void)
{
	return chinese;
}

const char *i18n_data(const char *zh)
{
	if (chinese || zh == NULL || zh[0] == '\0')
		return zh;
	return dgettext(DATA_DOMAIN, zh);
}

const char *i18n_locale_dir(void)
{
	return locale_dir;
}

const char *i18n_pgettext(const char *ctx, const char *msgid)
{
	char key[512];
	const char *t;

	/* gettext keeps a context and its message as "ctx\004msgid" */
	if (snprintf(key, sizeof key, "%s\004%s", ctx, msgid) >= (int)sizeof key)
		return msgid;
	t = gettext(key);
	return t == key ? msgid : t;
}
