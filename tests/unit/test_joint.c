/*
 * tests/unit/test_joint.c - the window's side of joint (并联审批) and
 * cross-region (跨域通办) cases: each department's part as the changes feed
 * brings it and the joint result (core/joint.h, store_case_joint), the
 * queue's words for them, the release of what was approved in part, and
 * the acceptance notice naming the authority that decides.
 */
#include <check.h>
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/joint.h"
#include "core/paths.h"
#include "core/queue.h"
#include "store/store.h"
#include "tbcheck.h"
#include "tbfixture.h"
#include "tmpdir.h"

/* 施工图联合审查: three departments, all must approve */
#define ALL_ITEM "001002103000"
/* 建设工程并联验收: five departments, what was approved may be released */
#define PARTIAL_ITEM "001002101000"
#define GUIHUA       "市自然资源和规划局"
#define XIAOFANG     "市消防救援支队"
#define RENFANG      "市人民防空办公室"

static char *dir;
static char path[512];
static struct store *st;
static struct tbfixture fx;

static void setup(void)
{
	struct err e = {0};

	i18n_set_chinese(true);
	dir = harness_tmpdir("tongban-joint", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	snprintf(path, sizeof path, "%s/client.db", dir);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_msg(tbfixture_open(&fx, st, NULL, &e) == 0, "%s", e.msg);
}

static void teardown(void)
{
	tbfixture_close(&fx);
	store_close(st);
	harness_tmpdir_remove(dir);
	free(dir);
}

static void exec_sql(const char *sql)
{
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "%s",
	              sqlite3_errmsg(db));
	sqlite3_close(db);
}

static const struct item *item(const char *code)
{
	const struct item *it = catalogue_find(fx.cat, code);

	ck_assert_msg(it != NULL, "no item %s in the bundled catalogue", code);
	return it;
}

static char *dept_payload(const char *dept, const char *outcome, const char *reason)
{
	return xasprintf("{\"dept\":\"%s\",\"outcome\":\"%s\",\"reason\":\"%s\"}", dept, outcome,
	                 reason);
}

START_TEST(each_part_comes_in_and_one_refusal_decides_an_all_item)
{
	struct joint_view v;
	char list[512], *p;

	joint_view_init(&v, item(ALL_ITEM));
	ck_assert_uint_eq(v.n, 3);
	ck_assert_str_eq(v.rule, "all");
	ck_assert_uint_eq(joint_view_count(&v, ""), 3);
	ck_assert_str_eq(joint_view_depts(&v, "", list, sizeof list),
	                 GUIHUA "、" XIAOFANG "、" RENFANG);
	p = dept_payload(GUIHUA, "approve", "符合规划");
	joint_view_event(&v, "dept_decided", "gh", "2026-11-03T10:00:00+08:00", p);
	free(p);
	ck_assert_str_eq(v.parts[0].outcome, "approve");
	ck_assert_str_eq(v.parts[0].by, "gh");
	ck_assert_str_eq(v.parts[0].reason, "符合规划");
	ck_assert_uint_eq(joint_view_count(&v, ""), 2);
	ck_assert_str_eq(v.result, "");
	/* the refusal, and the joint result the server made of it */
	p = dept_payload(XIAOFANG, "refuse", "疏散通道宽度不足");
	joint_view_event(&v, "dept_decided", "xf", "2026-11-03T11:00:00+08:00", p);
	free(p);
	joint_view_event(&v, "decided", "xf", "2026-11-03T11:00:00+08:00",
	                 "{\"outcome\":\"refuse\",\"reason\":\"疏散通道宽度不足\",\"joint\":"
	                 "{\"rule\":\"all\",\"partial\":false,\"parts\":[]}}");
	ck_assert_str_eq(v.result, "refuse");
	ck_assert(!v.partial);
	ck_assert_ptr_nonnull(joint_view_refused(&v));
	ck_assert_str_eq(joint_view_refused(&v)->dept, XIAOFANG);
	ck_assert_str_eq(joint_view_depts(&v, "", list, sizeof list), RENFANG);
	/* the other events, or a payload that is not JSON, change nothing */
	joint_view_event(&v, "note", "demo", "", "{\"text\":\"x\"}");
	joint_view_event(&v, "dept_decided", "x", "", "not json");
	joint_view_event(&v, "dept_decided", "x", "", "{\"dept\":\"" RENFANG "\",\"outcome\":1}");
	ck_assert_uint_eq(joint_view_count(&v, ""), 1);
	/* an item that is not joint has no parts */
	joint_view_init(&v, item(TBFIX_ITEM));
	ck_assert_uint_eq(v.n, 0);
}
END_TEST

START_TEST(a_partial_result_says_what_was_approved_from_the_store)
{
	struct joint_view v;
	struct case_row r;
	struct err e = {0};
	char sql[2048], list[512];

	ck_assert_msg(tbfixture_case(&fx, &decision_accept, PARTIAL_ITEM, "张三", &r, &e) == 0,
	              "%s", e.msg);
	ck_assert_int_eq(store_case_joint(st, r.id, item(PARTIAL_ITEM), &v, &e), 0);
	ck_assert_uint_eq(v.n, 5);
	ck_assert_uint_eq(joint_view_count(&v, ""), 5);
	/* two parts as the pull stores them, then the joint result with the
	 * server's summary of the rest */
	snprintf(
	    sql, sizeof sql,
	    "INSERT INTO events (uuid, case_id, seq, type, body, origin, created_at) VALUES"
	    " ('aaaaaaaa-0000-4000-8000-000000000001', '%s', 10, 'dept_decided',"
	    " '{\"clerk\":\"xf\",\"client_time\":\"2026-11-04T09:00:00+08:00\",\"payload\":"
	    "{\"dept\":\"" XIAOFANG "\",\"outcome\":\"refuse\",\"reason\":\"未通过消防验收\"}}',"
	    " 'server', '2026-11-04T09:00:00+08:00'),"
	    " ('aaaaaaaa-0000-4000-8000-000000000002', '%s', 11, 'decided',"
	    " '{\"clerk\":\"zj\",\"payload\":{\"outcome\":\"approve\",\"joint\":{\"rule\":"
	    "\"partial\",\"partial\":true,\"parts\":[{\"dept\":\"" GUIHUA "\",\"outcome\":"
	    "\"approve\",\"reason\":\"\",\"decided_by\":\"gh\",\"decided_at\":\"2026-11-04\"}]}}}',"
	    " 'server', '2026-11-04T10:00:00+08:00')",
	    r.id, r.id);
	exec_sql(sql);
	ck_assert_int_eq(store_case_joint(st, r.id, item(PARTIAL_ITEM), &v, &e), 0);
	ck_assert_str_eq(v.result, "approve");
	ck_assert(v.partial);
	ck_assert_str_eq(joint_view_depts_zh(&v, "approve", list, sizeof list), GUIHUA);
	ck_assert_str_eq(joint_view_depts_zh(&v, "refuse", list, sizeof list), XIAOFANG);
	ck_assert_str_eq(joint_view_refused(&v)->reason, "未通过消防验收");
}
END_TEST

START_TEST(the_queue_names_the_departments_waiting_and_the_parts_approved)
{
	struct queue_case c;
	struct queue_entry q;
	struct tb_date today = {2026, 11, 2};

	memset(&c, 0, sizeof c);
	c.state = "accepted";
	c.outcome = "accepted";
	c.received_on = "2026-10-01";
	c.due = "2026-10-20"; /* past: red */
	c.joint_parts = 3;
	c.joint_waiting = 2;
	c.joint_waiting_depts = XIAOFANG "、" RENFANG;
	ck_assert_int_eq(queue_classify(&c, fx.cal, today, 3, &q), 1);
	ck_assert_int_eq(q.group, QG_RED);
	ck_assert_msg(strstr(q.why, "2个部门") && strstr(q.why, XIAOFANG "、" RENFANG), "%s",
	              q.why);
	/* denied by one department's refusal */
	c.state = "denied";
	c.joint_waiting = 0;
	c.joint_refused_by = XIAOFANG;
	ck_assert_int_eq(queue_classify(&c, fx.cal, today, 3, &q), 1);
	ck_assert_int_eq(q.group, QG_RELEASE);
	ck_assert_msg(strstr(q.why, XIAOFANG "不予批准"), "%s", q.why);
	/* approved in part: what goes out */
	c.state = "approved";
	c.joint_approved = GUIHUA;
	ck_assert_int_eq(queue_classify(&c, fx.cal, today, 3, &q), 1);
	ck_assert_int_eq(q.group, QG_RELEASE);
	ck_assert_msg(strstr(q.why, "部分准予") && strstr(q.why, GUIHUA), "%s", q.why);
	ck_assert_str_eq(q.brief, "部分准予");
}
END_TEST

START_TEST(releasing_a_partial_result_lists_the_parts_on_the_receipt)
{
	struct decision_release rel = {
	    RELEASE_PICKUP, "张三", "11010519491231002X", "", "", false, "", "", ""};
	struct decision_input x;
	struct case_row r;
	struct err e = {0};
	char sql[256], *text = NULL, *payload = NULL;

	ck_assert_msg(tbfixture_case(&fx, &decision_accept, PARTIAL_ITEM, "张三", &r, &e) == 0,
	              "%s", e.msg);
	snprintf(sql, sizeof sql,
	         "UPDATE cases SET state = 'approved', done_on = '2026-11-20' WHERE id = '%s'",
	         r.id);
	exec_sql(sql);
	memset(&x, 0, sizeof x);
	x.rating = -1;
	x.release = &rel;
	x.joint_approved = GUIHUA "、" RENFANG;
	x.joint_refused = XIAOFANG;
	ck_assert_msg(tbfixture_decide_with(&fx, &decision_release, r.id, &x, &e) == 0, "%s",
	              e.msg);
	ck_assert_int_eq(store_notice_latest(st, r.id, "release", &text, NULL, 0, &e), 1);
	ck_assert_msg(strstr(text, "并联审批：" GUIHUA "、" RENFANG "准予；" XIAOFANG "不予批准"),
	              "%s", text);
	free(text);
	ck_assert_int_eq(store_case_last_payload(st, r.id, "released", &payload, &e), 1);
	ck_assert_msg(strstr(payload, "\"approved_parts\":\"" GUIHUA "、" RENFANG "\""), "%s",
	              payload);
	free(payload);
}
END_TEST

/* The bundled 620500 catalogue as tongband serves it: each item marked
 * with its region and the hall that decides. */
static struct catalogue *region_catalogue(void)
{
	char *file = tbcheck_src_path("data/catalogue-620500.json");
	struct json_object *doc = json_object_from_file(file), *items;
	struct catalogue *c;
	struct err e = {0};
	const char *text;
	size_t i;

	ck_assert_msg(doc != NULL, "%s", file);
	ck_assert(json_object_object_get_ex(doc, "items", &items));
	for (i = 0; i < json_object_array_length(items); i++) {
		struct json_object *it = json_object_array_get_idx(items, i);

		json_object_object_add(it, "region", json_object_new_string("620500"));
		json_object_object_add(it, "region_name", json_object_new_string("甘肃省天水市"));
		json_object_object_add(it, "decide_hall", json_object_new_string("H620"));
	}
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN);
	c = catalogue_parse(text, strlen(text), file, &e);
	ck_assert_msg(c != NULL, "%s", e.msg);
	json_object_put(doc);
	free(file);
	return c;
}

START_TEST(the_acceptance_notice_names_who_decides_a_cross_region_case)
{
	struct catalogue *home = fx.cat;
	struct case_row r;
	struct err e = {0};
	char *text = NULL;

	fx.cat = region_catalogue();
	ck_assert_msg(tbfixture_case(&fx, &decision_accept, "620500103402", "李四", &r, &e) == 0,
	              "%s", e.msg);
	catalogue_free(fx.cat);
	fx.cat = home;
	ck_assert_int_eq(store_notice_latest(st, r.id, "acceptance", &text, NULL, 0, &e), 1);
	ck_assert_msg(strstr(text, "跨域通办") &&
	                  strstr(text, "由甘肃省天水市天水市市场监督管理局审批决定"),
	              "%s", text);
	free(text);
	/* a joint item's notice names its departments; a plain one says neither */
	ck_assert_msg(tbfixture_case(&fx, &decision_accept, ALL_ITEM, "王五", &r, &e) == 0, "%s",
	              e.msg);
	ck_assert_int_eq(store_notice_latest(st, r.id, "acceptance", &text, NULL, 0, &e), 1);
	ck_assert_msg(strstr(text, "并联审批，由" GUIHUA "、" XIAOFANG "、" RENFANG), "%s", text);
	ck_assert_msg(strstr(text, "跨域通办") == NULL, "%s", text);
	free(text);
	ck_assert_msg(tbfixture_case(&fx, &decision_accept, TBFIX_ITEM, "赵六", &r, &e) == 0, "%s",
	              e.msg);
	ck_assert_int_eq(store_notice_latest(st, r.id, "acceptance", &text, NULL, 0, &e), 1);
	ck_assert_msg(strstr(text, "跨域通办") == NULL && strstr(text, "并联审批") == NULL, "%s",
	              text);
	free(text);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("joint");
	TCase *tc = tcase_create("joint");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, each_part_comes_in_and_one_refusal_decides_an_all_item);
	tcase_add_test(tc, a_partial_result_says_what_was_approved_from_the_store);
	tcase_add_test(tc, the_queue_names_the_departments_waiting_and_the_parts_approved);
	tcase_add_test(tc, releasing_a_partial_result_lists_the_parts_on_the_receipt);
	tcase_add_test(tc, the_acceptance_notice_names_who_decides_a_cross_region_case);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tbcheck_run(suite());
}
