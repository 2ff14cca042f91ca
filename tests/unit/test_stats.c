/* tests/unit/test_stats.c - the statistics of a period: what counts, on
 * time against overdue, working days to release, ratings, the breakdowns,
 * the JSON and the report that fits 80 columns. */
#include "core/stats.h"

#include <check.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "tbcheck.h"

static struct calendar *cal;

static void setup(void)
{
	char *path = tbcheck_src_path("data/calendar.json");
	struct err e = {0};

	cal = cal_load(path, &e);
	ck_assert_msg(cal != NULL, "%s", e.msg);
	free(path);
	i18n_set_chinese(true);
}

static void teardown(void)
{
	cal_free(cal);
}

static struct tb_date d(int y, int m, int day)
{
	struct tb_date x = {y, m, day};

	return x;
}

static struct stats_case one(const char *item, const char *dept, struct tb_date received,
                             enum stats_outcome o)
{
	struct stats_case c;

	memset(&c, 0, sizeof c);
	c.item_code = item;
	c.item_name = item;
	c.dept = dept;
	c.received = received;
	c.outcome = o;
	c.rating = -1;
	return c;
}

static int json_int(struct json_object *o, const char *key)
{
	struct json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
	return json_object_get_int(v);
}

START_TEST(only_cases_received_in_the_period_count)
{
	struct stats s;
	struct stats_case before = one("A", "市场监管局", d(2026, 10, 31), STATS_ACCEPTED),
	                  first = one("A", "市场监管局", d(2026, 11, 1), STATS_ACCEPTED),
	                  last = one("B", "税务局", d(2026, 11, 30), STATS_REFUSED),
	                  after = one("B", "税务局", d(2026, 12, 1), STATS_NOTICE);

	stats_init(&s, d(2026, 11, 1), d(2026, 11, 30));
	ck_assert(!stats_add(&s, &before, d(2026, 12, 1), cal));
	ck_assert(stats_add(&s, &first, d(2026, 12, 1), cal));
	ck_assert(stats_add(&s, &last, d(2026, 12, 1), cal));
	ck_assert(!stats_add(&s, &after, d(2026, 12, 1), cal));
	ck_assert_int_eq(s.cases, 2);
	ck_assert_int_eq(s.outcome[STATS_ACCEPTED], 1);
	ck_assert_int_eq(s.outcome[STATS_REFUSED], 1);
	ck_assert_int_eq((int)s.n_items, 2);
	ck_assert_int_eq((int)s.n_depts, 2);
	stats_free(&s);
}
END_TEST

START_TEST(on_time_overdue_and_pending_follow_the_promised_date)
{
	struct stats s;
	struct stats_case on = one("A", "x", d(2026, 11, 2), STATS_ACCEPTED),
	                  late = one("A", "x", d(2026, 11, 2), STATS_ACCEPTED),
	                  open_late = one("A", "x", d(2026, 11, 2), STATS_ACCEPTED),
	                  open_early = one("A", "x", d(2026, 11, 27), STATS_ACCEPTED),
	                  no_limit = one("A", "x", d(2026, 11, 2), STATS_NOTICE);

	on.due = late.due = open_late.due = d(2026, 11, 5);
	on.done = d(2026, 11, 5); /* on the day: on time */
	late.done = d(2026, 11, 6);
	open_early.due = d(2026, 12, 3);
	stats_init(&s, d(2026, 11, 1), d(2026, 11, 30));
	stats_add(&s, &on, d(2026, 12, 1), cal);
	stats_add(&s, &late, d(2026, 12, 1), cal);
	stats_add(&s, &open_late, d(2026, 12, 1), cal);
	stats_add(&s, &open_early, d(2026, 12, 1), cal);
	stats_add(&s, &no_limit, d(2026, 12, 1), cal);
	ck_assert_int_eq(s.on_time, 1);
	ck_assert_int_eq(s.overdue, 2);
	ck_assert_int_eq(s.pending, 1);
	stats_free(&s);
}
END_TEST

/* 2026-09-30 (Wednesday) to 2026-10-09 (Friday): the National Day week is a
 * holiday and Saturday 10-10 a working day; 10-08 and 10-09 are the first
 * two working days after the application day. */
START_TEST(days_to_release_are_working_days_across_a_holiday)
{
	struct stats s;
	struct stats_case c = one("A", "x", d(2026, 9, 30), STATS_ACCEPTED),
	                  same = one("A", "x", d(2026, 9, 30), STATS_ACCEPTED);

	c.released = d(2026, 10, 9);
	same.released = d(2026, 9, 30);
	stats_init(&s, d(2026, 9, 1), d(2026, 9, 30));
	ck_assert_int_eq((int)stats_release_average(&s), -1);
	stats_add(&s, &c, d(2026, 12, 1), cal);
	stats_add(&s, &same, d(2026, 12, 1), cal);
	ck_assert_int_eq(s.released, 2);
	ck_assert_int_eq(s.release_counted, 2);
	ck_assert_msg(s.release_workdays == 2, "%ld working days", s.release_workdays);
	ck_assert(stats_release_average(&s) == 1.0);
	stats_free(&s);
}
END_TEST

START_TEST(ratings_follow_ups_and_commitments_are_counted)
{
	struct stats s;
	struct stats_case c[5];
	struct json_object *o, *r;
	int i;

	for (i = 0; i < 5; i++)
		c[i] = one("A", "x", d(2026, 11, 3), STATS_COMMITTED);
	c[0].rating = 5;
	c[1].rating = 1;
	c[1].follow_up_open = true;
	c[2].rating = 2;
	c[2].follow_up_closed = true;
	c[3].rating = 0; /* declined */
	c[0].verified = true;
	c[4].breached = true;
	stats_init(&s, d(2026, 11, 1), d(2026, 11, 30));
	for (i = 0; i < 5; i++)
		stats_add(&s, &c[i], d(2026, 12, 1), cal);
	ck_assert_int_eq(s.rating[5], 1);
	ck_assert_int_eq(s.rating[1], 1);
	ck_assert_int_eq(s.rating[0], 1);
	ck_assert_int_eq(s.follow_ups_open, 1);
	ck_assert_int_eq(s.follow_ups_closed, 1);
	o = stats_to_json(&s);
	ck_assert_int_eq(json_int(o, "cases"), 5);
	ck_assert_int_eq(json_int(o, "commitments_verified"), 1);
	ck_assert_int_eq(json_int(o, "commitments_breached"), 1);
	ck_assert(json_object_object_get_ex(o, "ratings", &r));
	ck_assert_int_eq(json_int(r, "very_satisfied"), 1);
	ck_assert_int_eq(json_int(r, "declined"), 1);
	ck_assert(json_object_object_get_ex(o, "outcomes", &r));
	ck_assert_int_eq(json_int(r, "committed"), 5);
	json_object_put(o);
	stats_free(&s);
}
END_TEST

/* The report fits 80 columns however large the numbers, with a bar per line. */
START_TEST(the_report_fits_80_columns)
{
	struct stats s;
	struct stats_case c =
	    one("000101001000", "市城市管理和综合执法局", d(2026, 11, 3), STATS_ACCEPTED);
	char *text, *line, *save = NULL;
	int i;

	c.item_name = "建筑垃圾处置许可（含运输、消纳的全部材料与现场核查）";
	stats_init(&s, d(2026, 11, 1), d(2026, 11, 30));
	for (i = 0; i < 5000; i++)
		stats_add(&s, &c, d(2026, 12, 1), cal);
	text = stats_report(&s, 80);
	ck_assert_msg(strstr(text, "收件 5000 件") != NULL, "%s", text);
	ck_assert_msg(strstr(text, "受理") != NULL, "%s", text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		ck_assert_msg(utf8_width(line) <= 80, "%d columns: %s", utf8_width(line), line);
	free(text);
	stats_free(&s);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("stats");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, only_cases_received_in_the_period_count);
	tcase_add_test(tc, on_time_overdue_and_pending_follow_the_promised_date);
	tcase_add_test(tc, days_to_release_are_working_days_across_a_holiday);
	tcase_add_test(tc, ratings_follow_ups_and_commitments_are_counted);
	tcase_add_test(tc, the_report_fits_80_columns);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
