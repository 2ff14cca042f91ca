/* tests/unit/test_bundle.c - 一件事一次办 (core/bundle.c, store/bundle.c):
 * the catalogue's bundles, their union of materials with a shared one asked
 * once, one notice for the whole bundle, one case per item with its own
 * department and deadline, all in one transaction or none; and the
 * 绿色通道 certificate taken from the intake form. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bundle.h"
#include "core/queue.h"
#include "store/bundle.h"
#include "store/decision.h"
#include "store/store.h"
#include "tbcheck.h"
#include "tbfixture.h"
#include "tmpdir.h"

static char *dir;
static char path[512];
static struct store *st;
static struct tbfixture fx;
static const struct clerk demo = {"demo", "王小明", "H001", "示例市政务服务中心", "3", "clerk"};

#define SHARED_ID "法定代表人居民身份证"

static void setup(void)
{
	struct err e = {0};

	dir = harness_tmpdir("tongban-bundle", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	snprintf(path, sizeof path, "%s/client.db", dir);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_msg(tbfixture_open(&fx, st, &demo, &e) == 0, "%s", e.msg);
}

static void teardown(void)
{
	tbfixture_close(&fx);
	store_close(st);
	harness_tmpdir_remove(dir);
	free(dir);
}

static int count_sql(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = -1;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static void exec_sql(const char *sql)
{
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static void env_of(struct decision_env *env)
{
	memset(env, 0, sizeof *env);
	env->clerk = &demo;
	env->terminal = "T01";
	env->cfg = &fx.cfg;
	env->cal = fx.cal;
	env->data_root = fx.data_root;
	env->today = tb_date_from_time_shanghai(store_clock_now());
}

/* Every material in, except the one named missing (NULL: none). */
static void check_all(struct checklist *cl, const char *missing)
{
	for (size_t i = 0; i < cl->n; i++) {
		if (cl->m[i].status == MS_EXEMPT)
			continue;
		cl->m[i].status = missing && strcmp(cl->item->materials[i].name, missing) == 0
		                      ? MS_MISSING
		                      : MS_ORIGINAL;
	}
}

static const char applicant[] = "{\"name\":\"示例科技有限公司\",\"id_number\":"
                                "\"91430100MA4L0XXXXX\",\"phone\":\"13800138000\","
                                "\"green_cert\":\" LD-2026-017 \",\"green_helper\":\"李代办\","
                                "\"kind\":\"org\"}";

/* The parts of a new 企业开办 for the applicant above. */
static void new_parts(const struct bundle *b, struct decision_case *parts)
{
	memset(parts, 0, b->n_items * sizeof *parts);
	for (size_t i = 0; i < b->n_items; i++) {
		parts[i].is_new = true;
		parts[i].applicant = applicant;
		parts[i].name = "示例科技有限公司";
		parts[i].id_number = "91430100MA4L0XXXXX";
		parts[i].phone = "13800138000";
	}
}

static int run_bundle(const struct decision *d, struct bundle_input *in,
                      struct decision_result *res, struct err *e)
{
	struct bundle_sink bs;

	store_bundle_sink(st, &bs);
	return bundle_run(d, in, &fx.sink, &bs, res, e);
}

START_TEST(the_catalogue_bundles_ask_a_shared_material_once)
{
	const struct bundle *b = bundle_find(fx.cat->bundles, "YJS001");
	size_t i, n = 0, lic = 0;

	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(b->name, "企业开办");
	ck_assert_int_eq(b->n_items, 5);
	ck_assert_str_eq(b->items[0]->code, "000103401000");
	for (i = 0; i < b->item.n_materials; i++) {
		n += strcmp(b->item.materials[i].name, SHARED_ID) == 0;
		if (strcmp(b->item.materials[i].name, "营业执照") == 0) {
			lic++;
			ck_assert(b->item.materials[i].exempt);
		}
	}
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(lic, 1);
	/* the same union row stands for the material in each of 3 items */
	ck_assert_uint_eq(b->map[1][2], b->map[2][2]);
	ck_assert_uint_eq(b->map[2][2], b->map[4][2]);
	ck_assert_ptr_nonnull(bundle_find(fx.cat->bundles, "YJS002"));
	ck_assert_ptr_null(bundle_find(fx.cat->bundles, "000103401000"));
	/* the picker finds them by name, code or pinyin initials */
	{
		const struct bundle *hit[4];

		ck_assert_uint_eq(bundle_search(fx.cat->bundles, NULL, "企业开办", hit, 4), 1);
		ck_assert_ptr_eq(hit[0], b);
		ck_assert_uint_eq(bundle_search(fx.cat->bundles, NULL, "YJS", hit, 4), 2);
		ck_assert_uint_eq(bundle_search(fx.cat->bundles, NULL, "", hit, 4), 2);
		ck_assert_uint_eq(bundle_search(fx.cat->bundles, NULL, "建筑", hit, 4), 0);
		if (fx.cat->pinyin) {
			ck_assert_uint_eq(
			    bundle_search(fx.cat->bundles, fx.cat->pinyin, "qykb", hit, 4), 1);
			ck_assert_ptr_eq(hit[0], b);
		}
	}
}
END_TEST

START_TEST(a_bundle_with_an_unknown_item_is_refused_with_its_name)
{
	static const char text[] =
	    "{\"version\":\"t\",\"bundles\":[{\"code\":\"YJS9\",\"name\":\"x\","
	    "\"items\":[\"A1\",\"NOPE\"]}],\"items\":[{\"code\":\"A1\",\"impl_code\":\"A1\","
	    "\"name\":\"a\",\"type\":\"其他\",\"dept\":\"d\",\"legal_basis\":\"l\","
	    "\"conditions\":\"c\",\"legal_days\":1,\"promised_days\":1,\"visits\":0,"
	    "\"fee\":\"不收费\",\"commitment\":false,\"result\":\"r\",\"delivery\":\"d\","
	    "\"materials\":[{\"id\":\"m1\",\"name\":\"n\",\"form\":\"原件\",\"copies\":1,"
	    "\"need\":\"必要\"}]}]}";
	static const char bad_field[] =
	    "{\"version\":\"t\",\"items\":[],\"bundles\":[{\"code\":\"Y\","
	    "\"name\":\"x\",\"items\":[\"a\",\"b\"],\"itmes\":1}]}";
	struct err e = {0};
	struct catalogue *c = catalogue_parse(text, strlen(text), "cat.json", &e);

	ck_assert_ptr_null(c);
	ck_assert_msg(strstr(e.msg, "cat.json") && strstr(e.msg, "YJS9") && strstr(e.msg, "NOPE"),
	              "%s", e.msg);
	memset(&e, 0, sizeof e);
	ck_assert_ptr_null(catalogue_parse(bad_field, strlen(bad_field), "cat.json", &e));
	ck_assert_msg(strstr(e.msg, "itmes") && strstr(e.msg, "unknown field"), "%s", e.msg);
}
END_TEST

/* One intake of 企业开办 with the legal representative's ID missing: one
 * notice naming it once, five cases awaiting the supplement; then the
 * supplement accepts all five, each with its own department and date. */
START_TEST(a_bundle_notice_then_supplement_gives_one_case_per_item)
{
	const struct bundle *b = bundle_find(fx.cat->bundles, "YJS001");
	struct decision_case parts[8];
	struct decision_env env;
	struct bundle_input in;
	struct decision_result res;
	struct checklist cl;
	struct case_row row;
	struct err e = {0};
	char sql[256];

	env_of(&env);
	new_parts(b, parts);
	checklist_init(&cl, &b->item);
	check_all(&cl, SHARED_ID);
	memset(&in, 0, sizeof in);
	in.env = &env;
	in.b = b;
	in.cl = &cl;
	in.parts = parts;
	in.draft_owner = demo.id;
	ck_assert_msg(run_bundle(&decision_notice, &in, &res, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(res.state, CS_AWAITING_SUPPLEMENT);
	ck_assert_ptr_nonnull(res.notice_text);
	ck_assert_uint_eq(count_of(res.notice_text, SHARED_ID), 1);
	ck_assert_msg(strstr(res.notice_text, "印章刻制备案") &&
	                  strstr(res.notice_text, "发票领用") &&
	                  strstr(res.notice_text, parts[4].case_no),
	              "%s", res.notice_text);
	free(res.notice_text);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM cases"), 5);
	ck_assert_int_eq(count_sql("SELECT count(DISTINCT bundle_id) FROM cases"), 1);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM cases WHERE state = 'awaiting_supplement'"
	                           " AND bundle_code = 'YJS001' AND bundle_name = '企业开办'"),
	                 5);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM notices"), 1);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM outbox"), 10);
	/* 绿色通道 from the intake form, trimmed */
	ck_assert_int_eq(count_sql("SELECT count(*) FROM cases WHERE green_cert = 'LD-2026-017'"
	                           " AND green_helper = '李代办'"),
	                 5);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM events WHERE type = 'created'"
	                           " AND body LIKE '%\"bundle\":{%\"code\":\"YJS001\"%'"),
	                 5);

	/* the applicant comes back with the ID */
	for (size_t i = 0; i < b->n_items; i++) {
		ck_assert_int_eq(store_case_get(st, parts[i].id, &row, &e), 1);
		ck_assert_str_eq(row.item_code, b->items[i]->code);
		store_decision_case(&row, &parts[i]);
		parts[i].item_code = b->items[i]->code;
		parts[i].name = "示例科技有限公司";
	}
	struct checklist first;
	checklist_init(&first, &b->item);
	check_all(&first, SHARED_ID);
	check_all(&cl, NULL);
	in.first = &first;
	in.supplement = true;
	in.draft_owner = NULL;
	ck_assert_msg(run_bundle(&decision_accept, &in, &res, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(res.state, CS_ACCEPTED);
	ck_assert_msg(strstr(res.notice_text, "市住房公积金管理中心") &&
	                  strstr(res.notice_text, "国家税务总局市税务局"),
	              "%s", res.notice_text);
	free(res.notice_text);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM cases WHERE state = 'accepted'"), 5);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM notices"), 2);
	/* 发票领用 is promised in 1 working day, 社保登记 the same day */
	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM cases WHERE item_code = '002009106000' AND due_date = "
	         "received_on");
	ck_assert_int_eq(count_sql(sql), 1);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM cases WHERE item_code = '001006501000'"
	                           " AND due_date > received_on"),
	                 1);
	checklist_free(&first);
	checklist_free(&cl);
}
END_TEST

/* A part that changed meanwhile refuses the whole bundle: nothing of it is saved. */
START_TEST(a_bundle_is_saved_whole_or_not_at_all)
{
	const struct bundle *b = bundle_find(fx.cat->bundles, "YJS001");
	struct decision_case parts[8];
	struct decision_env env;
	struct bundle_input in;
	struct decision_result res;
	struct checklist cl;
	struct case_row row;
	struct err e = {0};
	char sql[256];

	env_of(&env);
	new_parts(b, parts);
	checklist_init(&cl, &b->item);
	check_all(&cl, SHARED_ID);
	memset(&in, 0, sizeof in);
	in.env = &env;
	in.b = b;
	in.cl = &cl;
	in.parts = parts;
	ck_assert_msg(run_bundle(&decision_notice, &in, &res, &e) == 0, "%s", e.msg);
	free(res.notice_text);
	for (size_t i = 0; i < b->n_items; i++) {
		ck_assert_int_eq(store_case_get(st, parts[i].id, &row, &e), 1);
		store_decision_case(&row, &parts[i]);
		parts[i].name = "示例科技有限公司";
	}
	snprintf(sql, sizeof sql, "UPDATE cases SET state = 'withdrawn' WHERE id = '%s'",
	         parts[3].id);
	exec_sql(sql);
	check_all(&cl, NULL);
	in.supplement = true;
	ck_assert_int_eq(run_bundle(&decision_accept, &in, &res, &e), -1);
	ck_assert_int_eq(e.kind, ERR_STALE);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM events WHERE type IN ('accepted',"
	                           " 'supplemented')"),
	                 0);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM notices"), 1);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM outbox"), 10);
	checklist_free(&cl);
}
END_TEST

/* Nothing missing: a notice is refused for the bundle as for one item. */
START_TEST(a_complete_bundle_takes_no_notice)
{
	const struct bundle *b = bundle_find(fx.cat->bundles, "YJS002");
	struct decision_case parts[8];
	struct decision_env env;
	struct bundle_input in;
	struct decision_result res;
	struct checklist cl;
	struct err e = {0};

	env_of(&env);
	new_parts(b, parts);
	checklist_init(&cl, &b->item);
	check_all(&cl, NULL);
	memset(&in, 0, sizeof in);
	in.env = &env;
	in.b = b;
	in.cl = &cl;
	in.parts = parts;
	ck_assert_int_eq(run_bundle(&decision_notice, &in, &res, &e), -1);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM cases"), 0);
	ck_assert_msg(run_bundle(&decision_accept, &in, &res, &e) == 0, "%s", e.msg);
	free(res.notice_text);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM cases WHERE state = 'accepted'"), 4);
	ck_assert_int_eq(count_sql("SELECT count(DISTINCT dept) FROM (SELECT item_code AS dept"
	                           " FROM cases)"),
	                 4);
	checklist_free(&cl);
}
END_TEST

/* 绿色通道 before every group, even before a red case; ordinary order after it. */
START_TEST(a_green_case_comes_before_the_most_urgent_other)
{
	struct queue_case red = {.state = "accepted",
	                         .outcome = "accepted",
	                         .received_on = "2026-11-02",
	                         .due = "2026-11-03",
	                         .supply_by = "",
	                         .commit_due = "",
	                         .follow_up_due = "",
	                         .done_on = ""};
	struct queue_case waiting = red, nothing = red;
	struct queue_entry a, b;
	struct tb_date today = {2026, 11, 20};

	waiting.state = "awaiting_supplement";
	waiting.outcome = "notice";
	waiting.due = "";
	waiting.supply_by = "2026-12-31";
	waiting.green = true;
	ck_assert_int_eq(queue_classify(&red, fx.cal, today, 3, &a), 1);
	ck_assert_int_eq(a.group, QG_RED);
	ck_assert(!a.green);
	ck_assert_int_eq(queue_classify(&waiting, fx.cal, today, 3, &b), 1);
	ck_assert_int_eq(b.group, QG_SUPPLY);
	ck_assert(b.green);
	ck_assert_int_lt(queue_entry_cmp(&b, &a), 0);
	ck_assert_int_gt(queue_entry_cmp(&a, &b), 0);
	/* a green case with nothing for the window is not in the queue */
	nothing.due = "2026-12-31";
	nothing.green = true;
	ck_assert_int_eq(queue_classify(&nothing, fx.cal, today, 3, &a), 0);
	ck_assert(!a.green);
	waiting.green = false;
	ck_assert_int_eq(queue_classify(&waiting, fx.cal, today, 3, &b), 1);
	ck_assert_int_eq(queue_classify(&red, fx.cal, today, 3, &a), 1);
	ck_assert_int_lt(queue_entry_cmp(&a, &b), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bundle");
	TCase *tc = tcase_create("bundle");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, the_catalogue_bundles_ask_a_shared_material_once);
	tcase_add_test(tc, a_bundle_with_an_unknown_item_is_refused_with_its_name);
	tcase_add_test(tc, a_bundle_notice_then_supplement_gives_one_case_per_item);
	tcase_add_test(tc, a_bundle_is_saved_whole_or_not_at_all);
	tcase_add_test(tc, a_complete_bundle_takes_no_notice);
	tcase_add_test(tc, a_green_case_comes_before_the_most_urgent_other);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tbcheck_run(suite());
}
