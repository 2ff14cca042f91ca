/* tests/unit/test_store_stats.c - the period's statistics from a real
 * store (src/store/stats.c): cases made through core's decisions, each
 * counted by its outcome, item and department, only inside the period. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "store/store.h"
#include "tbcheck.h"
#include "tbfixture.h"
#include "tmpdir.h"

static char *dir;
static char path[512];
static struct store *st;
static struct tbfixture fx;

static void setup(void)
{
	struct err e = {0};

	i18n_set_chinese(true);
	unsetenv("TONGBAN_FAKE_CLOCK_OFFSET");
	dir = harness_tmpdir("tongban-store-stats", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	snprintf(path, sizeof path, "%s/client.db", dir);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_msg(tbfixture_open(&fx, st, NULL, &e) == 0, "%s", e.msg);
}

static void teardown(void)
{
	unsetenv("TONGBAN_FAKE_CLOCK_OFFSET");
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

static void make(const struct decision *d, const char *item, const char *name, struct case_row *out)
{
	struct err e = {0};

	ck_assert_msg(tbfixture_case(&fx, d, item, name, out, &e) == 0, "%s", e.msg);
}

static struct tb_date today(void)
{
	return tb_date_from_time_shanghai(store_clock_now());
}

/* The statistics of [from, to] into s (caller frees); the cases read. */
static int stats_of(struct tb_date from, struct tb_date to, struct stats *s)
{
	struct err e = {0};
	int n;

	stats_init(s, from, to);
	n = store_stats(st, fx.cat, s, today(), fx.cal, &e);
	ck_assert_msg(n >= 0, "%s", e.msg);
	return n;
}

static const struct stats_row *row(const struct stats_row *rows, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(rows[i].key, key) == 0)
			return &rows[i];
	return NULL;
}

START_TEST(each_outcome_item_and_department_is_counted)
{
	struct case_row r;
	struct stats s;
	const struct stats_row *dept;

	make(&decision_accept, TBFIX_ITEM, "张三", &r);
	make(&decision_notice, TBFIX_ITEM, "李四", &r);
	make(&decision_commit, TBFIX_COMMIT_ITEM, "王五", &r);
	make(&decision_refuse, TBFIX_ITEM, "赵六", &r);
	make(&decision_accept, TBFIX_ITEM, "钱七", &r);
	ck_assert_int_eq(stats_of(today(), today(), &s), 5);
	ck_assert_int_eq(s.cases, 5);
	ck_assert_int_eq(s.outcome[STATS_ACCEPTED], 2);
	ck_assert_int_eq(s.outcome[STATS_NOTICE], 1);
	ck_assert_int_eq(s.outcome[STATS_COMMITTED], 1);
	ck_assert_int_eq(s.outcome[STATS_REFUSED], 1);
	ck_assert_int_eq(s.outcome[STATS_UNDECIDED], 0);
	ck_assert_int_eq((int)s.n_items, 2);
	ck_assert_int_eq(row(s.items, s.n_items, TBFIX_ITEM)->cases, 4);
	dept = row(s.depts, s.n_depts, "市城市管理和综合执法局");
	ck_assert_ptr_nonnull(dept);
	ck_assert_int_eq(dept->cases, 4);
	ck_assert_int_eq(dept->outcome[STATS_REFUSED], 1);
	ck_assert_int_eq(row(s.depts, s.n_depts, "市燃气有限公司")->cases, 1);
	stats_free(&s);
}
END_TEST

START_TEST(only_cases_received_in_the_period_count)
{
	struct case_row r;
	struct stats s;
	struct tb_date t = today();

	setenv("TONGBAN_FAKE_CLOCK_OFFSET", "-2592000", 1); /* 30 days ago */
	make(&decision_accept, TBFIX_ITEM, "张三", &r);
	unsetenv("TONGBAN_FAKE_CLOCK_OFFSET");
	make(&decision_refuse, TBFIX_ITEM, "李四", &r);
	ck_assert_int_eq(stats_of(t, t, &s), 1);
	ck_assert_int_eq(s.outcome[STATS_REFUSED], 1);
	stats_free(&s);
	ck_assert_int_eq(stats_of(tb_date_add_days(t, -30), tb_date_add_days(t, -1), &s), 1);
	ck_assert_int_eq(s.outcome[STATS_ACCEPTED], 1);
	stats_free(&s);
	ck_assert_int_eq(stats_of(tb_date_add_days(t, -29), tb_date_add_days(t, -1), &s), 0);
	ck_assert_int_eq(s.cases, 0);
	stats_free(&s);
}
END_TEST

START_TEST(an_item_gone_from_the_catalogue_has_no_department)
{
	struct case_row r;
	struct stats s;

	make(&decision_accept, TBFIX_ITEM, "张三", &r);
	exec_sql("UPDATE cases SET item_code = '999999999999'");
	ck_assert_int_eq(stats_of(today(), today(), &s), 1);
	ck_assert_ptr_nonnull(row(s.depts, s.n_depts, ""));
	ck_assert_ptr_null(row(s.depts, s.n_depts, "市城市管理和综合执法局"));
	stats_free(&s);
}
END_TEST

START_TEST(the_row_marks_become_the_case_the_statistics_see)
{
	struct case_row r;
	struct stats_case c;

	memset(&r, 0, sizeof r);
	str_copy(r.item_code, sizeof r.item_code, TBFIX_COMMIT_ITEM);
	str_copy(r.received_on, sizeof r.received_on, "2026-11-02");
	str_copy(r.outcome, sizeof r.outcome, "committed");
	str_copy(r.due_date, sizeof r.due_date, "2026-11-20");
	str_copy(r.released_on, sizeof r.released_on, "2026-11-18");
	str_copy(r.state, sizeof r.state, "revoked");
	str_copy(r.follow_up_due, sizeof r.follow_up_due, "2026-11-25");
	r.rating = 2;
	r.credit_record = true;
	store_stats_case(&r, fx.cat, &c);
	ck_assert_int_eq(c.outcome, STATS_COMMITTED);
	ck_assert_str_eq(c.dept, "市燃气有限公司");
	ck_assert_int_eq(c.received.d, 2);
	ck_assert_int_eq(c.due.d, 20);
	ck_assert_int_eq(c.done.y, 0);
	ck_assert_int_eq(c.released.d, 18);
	ck_assert(c.breached && !c.withdrawn && !c.verified);
	ck_assert(c.follow_up_closed && !c.follow_up_open);
	r.follow_up_open = true;
	str_copy(r.state, sizeof r.state, "withdrawn");
	str_copy(r.outcome, sizeof r.outcome, "");
	store_stats_case(&r, NULL, &c);
	ck_assert(!c.follow_up_closed && c.follow_up_open && c.withdrawn);
	ck_assert_int_eq(c.outcome, STATS_UNDECIDED);
	ck_assert_str_eq(c.dept, "");
	r.follow_up_open = false;
	r.rating = 4; /* a good rating never had a follow-up */
	store_stats_case(&r, NULL, &c);
	ck_assert(!c.follow_up_closed);
}
END_TEST

static Suite *store_stats_suite(void)
{
	Suite *s = suite_create("store_stats");
	TCase *tc = tcase_create("store_stats");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, each_outcome_item_and_department_is_counted);
	tcase_add_test(tc, only_cases_received_in_the_period_count);
	tcase_add_test(tc, an_item_gone_from_the_catalogue_has_no_department);
	tcase_add_test(tc, the_row_marks_become_the_case_the_statistics_see);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	return tbcheck_run(store_stats_suite());
}
