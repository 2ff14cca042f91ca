#include "tbcheck.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/paths.h"

#define TBCHECK_WAIT_MS 15000

int tbcheck_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

const char *tbcheck_env(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

char *tbcheck_src_path(const char *sub)
{
	return paths_join(tbcheck_env("TONGBAN_SRCDIR", "."), sub);
}

struct term *tbcheck_tongban(const char *db, const char *server_url, const char *lang, int rows,
                             int cols)
{
	char db_arg[512], srv_arg[512], data_env[600], lang_env[64];
	char *argv[] = {(char *)tbcheck_env("TONGBAN_BIN", "build/tongban"), db_arg, srv_arg, NULL};
	char *env[] = {data_env, lang_env, "LC_ALL=", "TONGBAN_LANG=", NULL};
	struct err e = {0};
	struct term *t;

	snprintf(db_arg, sizeof db_arg, "--db=%s", db);
	snprintf(srv_arg, sizeof srv_arg, "--server=%s", server_url);
	snprintf(data_env, sizeof data_env, "TONGBAN_DATA=%s", tbcheck_env("TONGBAN_SRCDIR", "."));
	snprintf(lang_env, sizeof lang_env, "LANG=%s", lang);
	t = term_spawn(argv, env, rows, cols, &e);
	ck_assert_msg(t != NULL, "%s", e.msg);
	return t;
}

void tbcheck_expect(struct term *t, const char *text)
{
	char *screen;

	if (term_wait_text(t, text, TBCHECK_WAIT_MS) == 0)
		return;
	screen = term_screen(t);
	ck_abort_msg("'%s' never appeared; screen:\n%s", text, screen);
	free(screen);
}
