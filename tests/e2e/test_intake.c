/*
 * tests/e2e/test_intake.c - a clerk at the counter, through the real
 * tongban binary in a pseudo-terminal against a real tongband: log in,
 * choose the item, type the applicant, save, sync, and the case is on the
 * server exactly once.
 */
#include <check.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/i18n.h"
#include "tbcheck.h"
#include "tbserver.h"
#include "term.h"

#define WAIT_MS 15000

static struct tbserver *srv;
static char dir[64], db[128];

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	snprintf(dir, sizeof dir, "/tmp/tongban-e2e-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/client.db", dir);
}

static void teardown(void)
{
	char cmd[128];

	tbserver_free(srv);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Start the TUI on this test's database and server. */
static struct term *start_tui(const char *lang, int rows, int cols)
{
	return tbcheck_tongban(db, tbserver_url(srv), lang, rows, cols);
}

/* Run `tongban ARGS` to completion; returns its exit status. */
static int run_tongban(const char *args)
{
	char cmd[1024];
	int rc;

	snprintf(cmd, sizeof cmd, "LANG=C.UTF-8 '%s' --db '%s' --server '%s' %s >/dev/null 2>&1",
	         tbcheck_env("TONGBAN_BIN", "build/tongban"), db, tbserver_url(srv), args);
	rc = system(cmd);
	ck_assert(WIFEXITED(rc));
	return WEXITSTATUS(rc);
}

/* Cases on the server matching query: their count, and the first's name and events. */
static int server_cases(const char *query, char *name, size_t n, int *events)
{
	struct err e = {0};
	char *tok = tbserver_login(srv, "demo", "demo123", &e), *body, *q, path[512];
	struct json_object *o, *cases, *c, *v;
	long status = 0;
	int count;

	ck_assert_msg(tok != NULL, "%s", e.msg);
	q = curl_easy_escape(NULL, query, 0);
	snprintf(path, sizeof path, "/v1/cases?query=%s", q);
	curl_free(q);
	body = tbserver_request(srv, "GET", path, tok, NULL, &status, &e);
	ck_assert_msg(body && status == 200, "status %ld %s", status, e.msg);
	o = json_tokener_parse(body);
	ck_assert(json_object_object_get_ex(o, "cases", &cases));
	count = (int)json_object_array_length(cases);
	if (count > 0) {
		c = json_object_array_get_idx(cases, 0);
		if (json_object_object_get_ex(c, "applicant_name", &v))
			snprintf(name, n, "%s", json_object_get_string(v));
		if (json_object_object_get_ex(c, "events", &v))
			*events = json_object_get_int(v);
	}
	json_object_put(o);
	free(body);
	free(tok);
	return count;
}

START_TEST(a_wrong_password_is_refused_with_a_message)
{
	struct term *t = start_tui("C.UTF-8", 24, 80);

	tbcheck_expect(t, "工号");
	term_send(t, "demo" TERM_KEY_TAB "nope" TERM_KEY_ENTER);
	tbcheck_expect(t, "工号或密码错误");
	ck_assert_int_eq(term_find(t, "工作人员：王小明", NULL, NULL), 0);
	term_send(t, TERM_KEY_F10);
	ck_assert_int_eq(term_wait_exit(t, WAIT_MS, NULL), 0);
	term_close(t);
}
END_TEST

START_TEST(an_intake_travels_from_the_keyboard_to_the_server_once)
{
	struct term *t = start_tui("C.UTF-8", 24, 80);
	char name[64] = "";
	int events = 0, status = -1;

	tbcheck_login(t);
	tbcheck_expect(t, "3号窗口");
	tbcheck_expect(t, "在线");
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "事项查找");
	term_send(t, "jzlj");
	tbcheck_expect(t, "建筑垃圾处置许可");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	tbcheck_expect(t, "申请材料");
	term_send(t, "张三丰" TERM_KEY_TAB TERM_KEY_TAB);
	/* the ID number fills its box and skips to the phone by itself */
	term_send(t, "11010519491231002X");
	term_send(t, "13800138000");
	tbcheck_expect(t, "13800138000");
	/* the item's own fields, then the checklist: every material received */
	term_send(t, TB_JZLJ_FIELDS TB_TO_CHECKLIST TB_JZLJ_ALL_IN);
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	tbcheck_expect(t, "H001-03-");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "已受理：案件编号 H001-03-");
	term_send(t, TERM_KEY_F10);
	ck_assert_int_eq(term_wait_exit(t, WAIT_MS, &status), 0);
	ck_assert_int_eq(status, 0);
	term_close(t);

	ck_assert_int_eq(run_tongban("sync"), 0);
	ck_assert_int_eq(server_cases("张三丰", name, sizeof name, &events), 1);
	ck_assert_str_eq(name, "张三丰");
	ck_assert_int_eq(events, 2); /* created, accepted */
	/* pushing again changes nothing on the server */
	ck_assert_int_eq(run_tongban("sync"), 0);
	ck_assert_int_eq(server_cases("张三丰", name, sizeof name, &events), 1);
	ck_assert_int_eq(events, 2);
}
END_TEST

START_TEST(an_invalid_id_number_is_refused_and_nothing_is_saved)
{
	struct term *t = start_tui("C.UTF-8", 24, 80);

	tbcheck_login(t);
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "事项查找");
	term_send(t, "jzlj" TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	/* last digit wrong: the check digit of 11010519491231002 is X */
	term_send(t, "张三丰" TERM_KEY_TAB TERM_KEY_TAB "110105194912310021");
	tbcheck_expect(t, "校验");
	term_send(t, "13800138000" TB_JZLJ_FIELDS TB_TO_CHECKLIST TB_JZLJ_ALL_IN TERM_KEY_F5);
	tbcheck_expect(t, "校验");
	ck_assert_int_eq(term_find(t, "受理通知书", NULL, NULL), 0);
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "草稿已保存");
	term_send(t, TERM_KEY_F10);
	ck_assert_int_eq(term_wait_exit(t, WAIT_MS, NULL), 0);
	term_close(t);
	/* sync finds nothing to send: exit 0 and the server has no case */
	ck_assert_int_eq(run_tongban("sync"), 0);
	ck_assert_int_eq(server_cases("张三丰", NULL, 0, NULL), 0);
}
END_TEST

START_TEST(typed_ahead_keys_arrive_complete_and_in_order)
{
	struct term *t = start_tui("C.UTF-8", 24, 80);
	char name[64] = "";
	int events = 0;

	tbcheck_expect(t, "工号");
	/* everything in one burst, as a scanner or a fast clerk would */
	term_send(t, "demo" TERM_KEY_TAB "demo123" TERM_KEY_ENTER TERM_KEY_F2
	             "jzlj" TERM_KEY_ENTER TB_APPLICANT("欧阳娜娜")
	                 TB_JZLJ_FIELDS TB_TO_CHECKLIST TB_JZLJ_ALL_IN TERM_KEY_F5 TERM_KEY_ESC);
	tbcheck_expect(t, "已受理");
	term_send(t, TERM_KEY_F10);
	ck_assert_int_eq(term_wait_exit(t, WAIT_MS, NULL), 0);
	term_close(t);
	ck_assert_int_eq(run_tongban("sync"), 0);
	ck_assert_int_eq(server_cases("欧阳娜娜", name, sizeof name, &events), 1);
	ck_assert_str_eq(name, "欧阳娜娜");
}
END_TEST

START_TEST(english_with_lang_c)
{
	struct term *t = start_tui("C", 24, 80);

	tbcheck_expect(t, "Clerk:");
	term_send(t, "demo" TERM_KEY_TAB "nope" TERM_KEY_ENTER);
	tbcheck_expect(t, "Wrong clerk ID or password");
	term_send(t, TERM_KEY_F10);
	ck_assert_int_eq(term_wait_exit(t, WAIT_MS, NULL), 0);
	term_close(t);
}
END_TEST

START_TEST(offline_when_the_server_is_gone_and_the_case_is_kept)
{
	struct term *t = start_tui("C.UTF-8", 24, 80);
	struct err e = {0};
	char name[64] = "";
	int events = 0;

	tbcheck_login(t); /* online first, so the clerk is cached */
	term_send(t, TERM_KEY_F10);
	ck_assert_int_eq(term_wait_exit(t, WAIT_MS, NULL), 0);
	term_close(t);
	ck_assert_int_eq(tbserver_stop(srv), 0);

	t = start_tui("C.UTF-8", 24, 80);
	tbcheck_login(t);
	tbcheck_expect(t, "离线");
	term_send(t, TERM_KEY_F2 "jzlj" TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	term_send(t,
	          TB_APPLICANT("张三丰") TB_JZLJ_FIELDS TB_TO_CHECKLIST TB_JZLJ_ALL_IN TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	tbcheck_expect(t, "待同步 2");
	term_send(t, TERM_KEY_ESC TERM_KEY_F10);
	ck_assert_int_eq(term_wait_exit(t, WAIT_MS, NULL), 0);
	term_close(t);

	ck_assert_int_eq(run_tongban("sync"), 1); /* offline: work remains */
	ck_assert_msg(tbserver_restart(srv, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(run_tongban("sync"), 0);
	ck_assert_int_eq(server_cases("张三丰", name, sizeof name, &events), 1);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("intake e2e");
	TCase *tc = tcase_create("counter");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_wrong_password_is_refused_with_a_message);
	tcase_add_test(tc, an_intake_travels_from_the_keyboard_to_the_server_once);
	tcase_add_test(tc, an_invalid_id_number_is_refused_and_nothing_is_saved);
	tcase_add_test(tc, typed_ahead_keys_arrive_complete_and_in_order);
	tcase_add_test(tc, english_with_lang_c);
	tcase_add_test(tc, offline_when_the_server_is_gone_and_the_case_is_kept);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
