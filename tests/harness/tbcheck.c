#include "tbcheck.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/paths.h"
#include "core/util.h"
#include "tbdb.h"

#define TBCHECK_WAIT_MS 15000

const char *tbcheck_json_at(struct json_object *o, const char *path)
{
	char key[128];
	const char *dot;
	struct json_object *v;

	for (;;) {
		dot = strchr(path, '.');
		str_copy(key,
		         dot && (size_t)(dot - path) < sizeof key ? (size_t)(dot - path) + 1
		                                                  : sizeof key,
		         path);
		ck_assert_msg(json_object_object_get_ex(o, key, &v), "no member %s in %s", key,
		              json_object_to_json_string(o));
		if (dot == NULL)
			return v ? json_object_get_string(v) : "(null)";
		o = v;
		path = dot + 1;
	}
}

int tbcheck_run(Suite *s)
{
	SRunner *sr;
	struct err e = {0};
	int failed;

	if (tbdb_setup(&e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return EXIT_FAILURE;
	}
	if (tbdb_is_postgresql())
		printf("Database: PostgreSQL (%s)\n", getenv("TONGBAN_TEST_PG"));
	sr = srunner_create(s);
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

void tbcheck_login(struct term *t)
{
	tbcheck_expect(t, "工号");
	term_send(t, "demo" TERM_KEY_TAB "demo123" TERM_KEY_ENTER);
	tbcheck_expect(t, "工作人员：王小明");
}

void tbcheck_intake(struct term *t, const char *query, const char *name)
{
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "事项查找");
	term_send(t, query);
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	term_send(t, name);
	term_send(t, TERM_KEY_TAB TERM_KEY_TAB TB_ID_NUMBER "13800138000");
	if (strcmp(query, "jzlj") == 0)
		term_send(t, TB_JZLJ_FIELDS);
	term_send(t, TB_TO_CHECKLIST);
	tbcheck_expect(t, "[未核对]");
}

void tbcheck_quit(struct term *t)
{
	/* let the screen settle first: a half-drawn screen still shows the last one */
	term_wait_quiet(t, 150, TBCHECK_WAIT_MS);
	if (term_find(t, "[F2] 新建收件", NULL, NULL) == 0) {
		term_send(t, TERM_KEY_ESC);
		tbcheck_expect(t, "[F2] 新建收件");
	}
	term_send(t, TERM_KEY_F10);
	if (term_wait_exit(t, TBCHECK_WAIT_MS, NULL) != 0) {
		char *screen = term_screen(t);

		ck_abort_msg("tongban did not quit; screen:\n%s", screen);
		free(screen);
	}
	term_close(t);
}

void tbcheck_kill9(struct term *t)
{
	kill(term_pid(t), SIGKILL);
	term_wait_exit(t, TBCHECK_WAIT_MS, NULL);
	term_close(t);
}
