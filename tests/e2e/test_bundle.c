/*
 * tests/e2e/test_bundle.c - 一件事一次办 and 绿色通道 typed through the real
 * tongban in a pseudo-terminal against a real tongband: one intake of
 * 企业开办 with the legal representative's ID (asked by three of its items)
 * missing gives ONE notice listing it once, the supplement accepts all five
 * items as five cases with their own departments and dates, linked under
 * the bundle on the clerk's record and on the server; a key project's case
 * (its certificate and 代办员 set with F2) comes first in the home queue and
 * in the server's list, shows both on its record, and counts in statistics.
 */
#include <check.h>
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "tbcheck.h"
#include "tbfixture.h"
#include "tbserver.h"
#include "term.h"

#define SHARED_ID "法定代表人居民身份证"

static struct tbserver *srv;
static char dir[64], db[128];

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	snprintf(dir, sizeof dir, "/tmp/tongban-bundle-XXXXXX");
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

static struct term *login(void)
{
	struct term *t = tbcheck_tongban(db, tbserver_url(srv), "C.UTF-8", 24, 80);

	tbcheck_login(t);
	return t;
}

/* One number from the client's database, read beside the running tongban. */
static int count_sql(const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	int n = -1;

	ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK, "%s",
	              sqlite3_errmsg(h));
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n;
}

/* The one text a query gives (caller frees), "" when none. */
static char *text_sql(const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	char *out;

	ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	ck_assert_int_eq(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	out = xstrdup(sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)
	                  ? (const char *)sqlite3_column_text(s, 0)
	                  : "");
	sqlite3_finalize(s);
	sqlite3_close(h);
	return out;
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* GET path on the server as the hall's clerk until ok(answer) holds (the
 * clerk's tongban pushes beside the screen): the parsed answer. */
static struct json_object *server_until(const char *path, bool (*ok)(struct json_object *o))
{
	struct err e = {0};
	char *token = tbserver_login(srv, "demo", "demo123", &e), *answer = NULL;
	struct json_object *o = NULL;
	long status = 0;
	int i;

	ck_assert_msg(token != NULL, "%s", e.msg);
	for (i = 0; i < 300; i++) { /* within 30 s */
		free(answer);
		json_object_put(o);
		o = NULL;
		answer = tbserver_request(srv, "GET", path, token, NULL, &status, &e);
		if (status == 200 && answer && (o = json_tokener_parse(answer)) && ok(o))
			break;
		usleep(100 * 1000);
	}
	ck_assert_msg(o && ok(o), "%s: never as expected: %ld %s", path, status,
	              answer ? answer : e.msg);
	free(answer);
	free(token);
	return o;
}

static const char *str_at(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : "";
}

static struct json_object *parts_of(struct json_object *o)
{
	struct json_object *b, *p;

	if (!json_object_object_get_ex(o, "bundle", &b) ||
	    !json_object_object_get_ex(b, "parts", &p))
		return NULL;
	return p;
}

static bool five_parts_waiting(struct json_object *o)
{
	struct json_object *p = parts_of(o);
	size_t i;

	if (p == NULL || json_object_array_length(p) != 5)
		return false;
	for (i = 0; i < 5; i++)
		if (strcmp(str_at(json_object_array_get_idx(p, i), "state"), "awaiting_supplement"))
			return false;
	return true;
}

static bool five_parts_accepted(struct json_object *o)
{
	struct json_object *p = parts_of(o);
	size_t i;

	if (p == NULL || json_object_array_length(p) != 5)
		return false;
	for (i = 0; i < 5; i++)
		if (strcmp(str_at(json_object_array_get_idx(p, i), "state"), "accepted"))
			return false;
	return true;
}

START_TEST(a_bundle_missing_a_shared_material_gets_one_notice_then_five_cases)
{
	struct term *t = login();
	struct json_object *o, *parts;
	char *notice, *first, path[128];
	size_t i;

	/* the bundle comes first when the clerk types its name */
	tbcheck_intake(t, "企业开办", "张三丰");
	tbcheck_expect(t, "一件事");
	/* 15 materials, each shared one once: all in but the legal
	 * representative's ID (the 9th), which three of the items ask for */
	term_send(t, "        4      ");
	term_send(t, TERM_KEY_F6);
	tbcheck_expect(t, "补充说明");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "一件事一次办");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "企业开办·");
	ck_assert_int_eq(count_sql("SELECT count(*) FROM cases WHERE state = 'awaiting_supplement'"
	                           " AND bundle_code = 'YJS001'"),
	                 5);
	ck_assert_int_eq(count_sql("SELECT count(DISTINCT bundle_id) FROM cases"), 1);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM notices"), 1);
	notice = text_sql("SELECT text FROM notices");
	ck_assert_msg(count_of(notice, SHARED_ID) == 1, "%s", notice);
	ck_assert_msg(strstr(notice, "印章刻制备案") && strstr(notice, "单位社会保险登记") &&
	                  strstr(notice, "单位住房公积金缴存登记") && strstr(notice, "发票领用") &&
	                  strstr(notice, "市公安局") && strstr(notice, "国家税务总局市税务局"),
	              "%s", notice);
	ck_assert_msg(strstr(notice, "公司章程") == NULL, "lists a material in hand: %s", notice);
	free(notice);

	/* on the server: five cases, linked under the bundle */
	first = text_sql("SELECT id FROM cases ORDER BY rowid LIMIT 1");
	snprintf(path, sizeof path, "/v1/cases/%s", first);
	o = server_until(path, five_parts_waiting);
	json_object_put(o);

	/* the applicant comes back with the ID: the record shows the bundle, F2 */
	term_send(t, TERM_KEY_F3 "张三丰");
	tbcheck_expect(t, "查找案件");
	tbcheck_expect(t, "张*");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "一件事：企业开办");
	tbcheck_expect(t, "印章刻制备案");
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "补正材料");
	/* the cursor is on the one material the notice asked for */
	term_send(t, "1");
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	tbcheck_expect(t, "一件事一次办");
	term_send(t, TERM_KEY_ESC);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM cases WHERE state = 'accepted'"), 5);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM notices"), 2);
	notice = text_sql("SELECT text FROM notices ORDER BY id DESC LIMIT 1");
	ck_assert_msg(count_of(notice, SHARED_ID) == 1 && strstr(notice, "市住房公积金管理中心"),
	              "%s", notice);
	free(notice);
	/* each its own deadline: 社保登记 the same day, 发票领用 one working day */
	ck_assert_int_eq(count_sql("SELECT count(*) FROM cases WHERE item_code = '002009106000'"
	                           " AND due_date = received_on"),
	                 1);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM cases WHERE item_code = '001006501000'"
	                           " AND due_date > received_on"),
	                 1);

	/* on the server: all five accepted, each with its own department */
	o = server_until(path, five_parts_accepted);
	parts = parts_of(o);
	for (i = 0; i < 5; i++) {
		struct json_object *p = json_object_array_get_idx(parts, i);

		for (size_t j = 0; j < i; j++)
			ck_assert_str_ne(str_at(p, "dept"),
			                 str_at(json_object_array_get_idx(parts, j), "dept"));
		ck_assert_str_eq(str_at(p, "bundle_code"), "YJS001");
	}
	json_object_put(o);
	free(first);
	tbcheck_quit(t);
}
END_TEST

/* An overdue supplement made before the clerk sits down: the most urgent
 * ordinary case the queue can hold. */
static void overdue_case(void)
{
	struct err e = {0};
	struct store *st = store_open(db, &e);
	struct tbfixture fx;
	struct case_row row;
	char sql[256];
	sqlite3 *h;

	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_msg(tbfixture_open(&fx, st, NULL, &e) == 0, "%s", e.msg);
	ck_assert_msg(tbfixture_case(&fx, &decision_notice, TBFIX_ITEM, "李四", &row, &e) == 0,
	              "%s", e.msg);
	tbfixture_close(&fx);
	store_close(st);
	snprintf(sql, sizeof sql, "UPDATE cases SET supply_by = '2026-01-05' WHERE id = '%s'",
	         row.id);
	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static bool two_cases(struct json_object *o)
{
	struct json_object *c;

	return json_object_object_get_ex(o, "cases", &c) && json_object_array_length(c) == 2;
}

START_TEST(a_green_channel_case_comes_first_everywhere_and_is_counted)
{
	struct term *t;
	struct json_object *o, *cases;
	int green_row = -1, other_row = -1;

	overdue_case();
	t = login();
	tbcheck_expect(t, "逾期未补正");
	tbcheck_intake(t, "jzlj", "王五");
	/* F2: the key project's certificate and its 代办员 */
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "绿色通道证书编号");
	term_send(t, "LD-2026-017" TERM_KEY_ENTER);
	tbcheck_expect(t, "代办员");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "绿色通道须同时填写证书编号和代办员");
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "绿色通道证书编号");
	term_send(t, " LD-2026-017 " TERM_KEY_ENTER);
	tbcheck_expect(t, "代办员");
	term_send(t, "赵代办" TERM_KEY_ENTER);
	tbcheck_expect(t, "已设为绿色通道");
	tbcheck_expect(t, "绿色通道 LD-2026-017（代办员 赵代办）");
	/* it stays with the draft: back home and resumed */
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "草稿已保存");
	term_send(t, TERM_KEY_F4);
	tbcheck_expect(t, "绿色通道 LD-2026-017（代办员 赵代办）");
	term_send(t, TB_TO_CHECKLIST);
	tbcheck_expect(t, "[未核对]");
	/* one material missing: a notice, so it waits in the queue */
	term_send(t, "   4    ");
	term_send(t, TERM_KEY_F6);
	tbcheck_expect(t, "补充说明");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "补正材料通知书");
	term_send(t, TERM_KEY_ESC);
	/* home: the green case above the overdue one */
	tbcheck_expect(t, "绿·待补正");
	tbcheck_expect(t, "李*");
	{
		char *screen = term_screen(t);

		ck_assert_msg(term_find(t, "王*", &green_row, NULL) == 1 &&
		                  term_find(t, "李*", &other_row, NULL) == 1,
		              "%s", screen);
		free(screen);
	}
	ck_assert_msg(green_row < other_row, "green at %d, overdue at %d", green_row, other_row);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM cases WHERE green_cert = 'LD-2026-017'"
	                           " AND green_helper = '赵代办' AND applicant_name = '王五'"),
	                 1);

	/* the record */
	term_send(t, TERM_KEY_F3 "王五");
	tbcheck_expect(t, "查找案件");
	tbcheck_expect(t, "王*");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "绿色通道：证书 LD-2026-017  代办员 赵代办");
	term_send(t, TERM_KEY_ESC);
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "[F2] 新建收件");

	/* statistics on this PC count it */
	term_send(t, TERM_KEY_F7);
	tbcheck_expect(t, "绿色通道 1");
	term_send(t, TERM_KEY_ESC);

	/* the server's list: the green case first (that it stays first when it
	 * is the older one is test_server_api's) */
	o = server_until("/v1/cases?query=", two_cases);
	json_object_object_get_ex(o, "cases", &cases);
	ck_assert_str_eq(str_at(json_object_array_get_idx(cases, 0), "applicant_name"), "王五");
	ck_assert_str_eq(str_at(json_object_array_get_idx(cases, 0), "green_cert"), "LD-2026-017");
	ck_assert_str_eq(str_at(json_object_array_get_idx(cases, 0), "green_helper"), "赵代办");
	ck_assert_str_eq(str_at(json_object_array_get_idx(cases, 1), "applicant_name"), "李四");
	json_object_put(o);
	tbcheck_quit(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("e2e_bundle");
	TCase *tc = tcase_create("bundle");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, a_bundle_missing_a_shared_material_gets_one_notice_then_five_cases);
	tcase_add_test(tc, a_green_channel_case_comes_first_everywhere_and_is_counted);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tbcheck_run(suite());
}
