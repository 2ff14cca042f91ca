/*
 * tests/integration/test_sync.c - the client's store and sync against a real
 * tongband on a loopback port: login online and offline, pushing the outbox
 * once and only once, the server gone and back.
 */
#include <check.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "sync/login.h"
#include "sync/sync.h"
#include "tbserver.h"

static struct tbserver *srv;
static struct store *st;
static char dir[64], path[128];
static struct clerk clerk;

static void setup(void)
{
	struct err e = {""};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	snprintf(dir, sizeof dir, "/tmp/tongban-sync-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/client.db", dir);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
}

static void teardown(void)
{
	char cmd[128];

	store_close(st);
	tbserver_free(srv);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void login_demo(void)
{
	struct err e = {""};

	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "demo123", &clerk, &e),
	                 LOGIN_ONLINE);
}

static void new_case(const char *name, const char *id_number)
{
	struct case_new cn = {&clerk, "000101001000", "建筑垃圾处置许可", NULL,
	                      name,   id_number,      "13800138000"};
	struct case_row row;
	struct err e = {""};
	char json[256];

	snprintf(json, sizeof json, "{\"name\":\"%s\",\"id_number\":\"%s\"}", name, id_number);
	cn.fields_json = json;
	ck_assert_msg(store_case_create(st, &cn, &row, &e) == 0, "%s", e.msg);
}

static char *token(void)
{
	static char tok[128];

	ck_assert_int_eq(store_session_get(st, NULL, tok, NULL, NULL), 1);
	return tok;
}

/* How many cases the server holds for a query, and the events of the first. */
static int server_cases(const char *query, int *events)
{
	struct err e = {""};
	char *tok = tbserver_login(srv, "demo", "demo123", &e), *body, *q, pathq[512];
	struct json_object *o, *cases, *ev;
	long status = 0;
	int n;

	ck_assert_msg(tok != NULL, "%s", e.msg);
	q = curl_easy_escape(NULL, query, 0);
	snprintf(pathq, sizeof pathq, "/v1/cases?query=%s", q);
	curl_free(q);
	body = tbserver_request(srv, "GET", pathq, tok, NULL, &status, &e);
	ck_assert_msg(body != NULL && status == 200, "status %ld: %s", status, e.msg);
	o = json_tokener_parse(body);
	ck_assert(json_object_object_get_ex(o, "cases", &cases));
	n = (int)json_object_array_length(cases);
	if (events && n > 0 &&
	    json_object_object_get_ex(json_object_array_get_idx(cases, 0), "events", &ev))
		*events = json_object_get_int(ev);
	json_object_put(o);
	free(body);
	free(tok);
	return n;
}

static void requeue_everything(void)
{
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "UPDATE outbox SET state = 'waiting'", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
}

START_TEST(login_online_then_offline_with_the_cached_password)
{
	struct err e = {""};
	struct clerk c;

	login_demo();
	ck_assert_str_eq(clerk.hall, "H001");
	ck_assert_str_eq(clerk.name, "王小明");
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "wrong", &c, &e),
	                 LOGIN_BAD_PASSWORD);
	ck_assert_int_eq(tbserver_stop(srv), 0);
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "demo123", &c, &e),
	                 LOGIN_OFFLINE);
	ck_assert_str_eq(c.window, "3");
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "wrong", &c, &e),
	                 LOGIN_BAD_PASSWORD);
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "other", "other123", &c, &e),
	                 LOGIN_UNKNOWN_OFFLINE);
}
END_TEST

START_TEST(push_sends_each_case_exactly_once)
{
	struct sync_progress p;
	struct err e = {""};
	int events = 0;

	login_demo();
	new_case("张三丰", "11010519491231002X");
	new_case("李四", "440524198001010013");
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), token(), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	ck_assert_int_eq(p.applied, 2);
	ck_assert_int_eq(p.remaining, 0);
	ck_assert_int_eq(server_cases("张三丰", &events), 1);
	ck_assert_int_eq(events, 1);

	/* the reply was lost: the same events go again and change nothing */
	requeue_everything();
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), token(), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	ck_assert_int_eq(p.applied, 0);
	ck_assert_int_eq(p.duplicates, 2);
	ck_assert_int_eq(server_cases("张三丰", &events), 1);
	ck_assert_int_eq(events, 1);
}
END_TEST

START_TEST(server_down_keeps_everything_waiting_until_it_returns)
{
	struct sync_progress p;
	struct outbox_counts c;
	struct err e = {""};
	char tok[128];

	login_demo();
	str_copy(tok, sizeof tok, token());
	ck_assert_int_eq(tbserver_stop(srv), 0);
	new_case("张三丰", "11010519491231002X");
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), tok, 100, &p, NULL, NULL, &e),
	                 SYNC_OFFLINE);
	ck_assert_int_eq(store_outbox_counts(st, &c, &e), 0);
	ck_assert_int_eq(c.waiting, 1);
	ck_assert_int_eq(c.sent, 0);
	ck_assert_msg(tbserver_restart(srv, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), tok, 100, &p, NULL, NULL, &e), SYNC_OK);
	ck_assert_int_eq(p.applied, 1);
	ck_assert_int_eq(server_cases("张三丰", NULL), 1);
}
END_TEST

START_TEST(a_bad_session_is_denied_and_nothing_is_marked_sent)
{
	struct sync_progress p;
	struct outbox_counts c;
	struct err e = {""};

	login_demo();
	new_case("张三丰", "11010519491231002X");
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), "0000", 100, &p, NULL, NULL, &e),
	                 SYNC_DENIED);
	ck_assert_int_eq(store_outbox_counts(st, &c, &e), 0);
	ck_assert_int_eq(c.waiting, 1);
	ck_assert_int_eq(c.sent, 0);
}
END_TEST

START_TEST(many_cases_go_in_batches_in_order)
{
	struct sync_progress p;
	struct err e = {""};
	int i;

	login_demo();
	for (i = 0; i < 250; i++)
		new_case("批量", "11010519491231002X");
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), token(), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	ck_assert_int_eq(p.batches, 3);
	ck_assert_int_eq(p.applied, 250);
	ck_assert_int_eq(server_cases("批量", NULL), 200); /* the API lists at most 200 */
}
END_TEST

int main(void)
{
	Suite *s = suite_create("sync");
	TCase *tc = tcase_create("against tongband");
	SRunner *sr;
	int failed;

	if (login_init() < 0) {
		fprintf(stderr, "libsodium failed to initialise\n");
		return EXIT_FAILURE;
	}
	sync_global_init();
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, login_online_then_offline_with_the_cached_password);
	tcase_add_test(tc, push_sends_each_case_exactly_once);
	tcase_add_test(tc, server_down_keeps_everything_waiting_until_it_returns);
	tcase_add_test(tc, a_bad_session_is_denied_and_nothing_is_marked_sent);
	tcase_add_test(tc, many_cases_go_in_batches_in_order);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
