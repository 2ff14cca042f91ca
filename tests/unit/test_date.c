/*
 * test_date.c - dates: strict parsing, formatting, month lengths, weekdays,
 * arithmetic, and today's date in Asia/Shanghai whatever TZ says.
 */
#include "core/date.h"
#include "core/i18n.h"

#include <check.h>
#include <stdlib.h>

static struct tb_date D(int y, int m, int d) {
	struct tb_date r = {y, m, d};

	return r;
}

static void
assert_date(struct tb_date got, int y, int m, int d)
{
	char buf[TB_DATE_LEN];

	ck_assert_msg(got.y == y && got.m == m && got.d == d, "got %s, want %04d-%02d-%02d",
	              tb_date_format(got, buf), y, m, d);
}

START_TEST(parse_accepts_a_real_iso_date)
{
	struct tb_date d;

	ck_assert_int_eq(tb_date_parse("2026-10-08", &d), 0);
	assert_date(d, 2026, 10, 8);
	ck_assert_int_eq(tb_date_parse("2024-02-29", &d), 0);
	assert_date(d, 2024, 2, 29);
}
END_TEST

START_TEST(parse_refuses_days_that_do_not_exist)
{
	struct tb_date d = {1, 2, 3};

	ck_assert_int_eq(tb_date_parse("2026-02-30", &d), -1);
	ck_assert_int_eq(tb_date_parse("2025-02-29", &d), -1);
	ck_assert_int_eq(tb_date_parse("1900-02-29", &d), -1);
	ck_assert_int_eq(tb_date_parse("2026-13-01", &d), -1);
	ck_assert_int_eq(tb_date_parse("2026-00-10", &d), -1);
	ck_assert_int_eq(tb_date_parse("2026-04-31", &d), -1);
	ck_assert_int_eq(tb_date_parse("0000-01-01", &d), -1);
	assert_date(d, 1, 2, 3); /* untouched on failure */
	ck_assert_int_eq(tb_date_parse("2000-02-29", &d), 0);
}
END_TEST

START_TEST(parse_refuses_anything_but_yyyy_mm_dd)
{
	static const char *bad[] = {
	    "",          "2026-1-08", "2026/10/08", "20261008",       "2026-10-08 ", " 2026-10-08",
	    "2026-10-8", "26-10-08",  "2026-10-0x", "２０２６-10-08", "2026-10",     "+026-10-08"};
	struct tb_date d;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(tb_date_parse(bad[i], &d) == -1, "accepted \"%s\"", bad[i]);
	ck_assert_int_eq(tb_date_parse(NULL, &d), -1);
}
END_TEST

START_TEST(format_pads_with_zeros)
{
	char buf[TB_DATE_LEN];

	ck_assert_str_eq(tb_date_format(D(2026, 1, 4), buf), "2026-01-04");
	ck_assert_str_eq(tb_date_format(D(987, 12, 31), buf), "0987-12-31");
}
END_TEST

START_TEST(days_in_month_knows_leap_years)
{
	ck_assert_int_eq(tb_date_days_in_month(2024, 2), 29);
	ck_assert_int_eq(tb_date_days_in_month(2026, 2), 28);
	ck_assert_int_eq(tb_date_days_in_month(1900, 2), 28);
	ck_assert_int_eq(tb_date_days_in_month(2000, 2), 29);
	ck_assert_int_eq(tb_date_days_in_month(2026, 4), 30);
	ck_assert_int_eq(tb_date_days_in_month(2026, 12), 31);
	ck_assert_int_eq(tb_date_days_in_month(2026, 13), 0);
	ck_assert(!tb_date_is_valid(D(2026, 6, 31)));
	ck_assert(tb_date_is_valid(D(2026, 6, 30)));
}
END_TEST

START_TEST(weekday_matches_the_real_calendar)
{
	ck_assert_int_eq(tb_date_weekday(D(1970, 1, 1)), 4);  /* Thursday */
	ck_assert_int_eq(tb_date_weekday(D(1949, 10, 1)), 6); /* Saturday */
	ck_assert_int_eq(tb_date_weekday(D(2026, 2, 14)), 6); /* Saturday */
	ck_assert_int_eq(tb_date_weekday(D(2026, 10, 8)), 4); /* Thursday */
	ck_assert_int_eq(tb_date_weekday(D(2025, 1, 26)), 0); /* Sunday */
	ck_assert_int_eq(tb_date_weekday(D(1969, 12, 28)), 0);
	ck_assert(tb_date_is_weekend(D(2026, 2, 28)));
	ck_assert(!tb_date_is_weekend(D(2026, 2, 27)));
}
END_TEST

START_TEST(adding_days_crosses_months_years_and_leap_days)
{
	assert_date(tb_date_add_days(D(2024, 2, 28), 1), 2024, 2, 29);
	assert_date(tb_date_add_days(D(2024, 2, 29), 1), 2024, 3, 1);
	assert_date(tb_date_add_days(D(2025, 12, 31), 1), 2026, 1, 1);
	assert_date(tb_date_add_days(D(2026, 1, 1), -1), 2025, 12, 31);
	assert_date(tb_date_add_days(D(2026, 3, 1), 365), 2027, 3, 1);
	ck_assert_int_eq(tb_date_diff_days(D(2026, 1, 1), D(2027, 1, 1)), 365);
	ck_assert_int_eq(tb_date_diff_days(D(2027, 1, 1), D(2026, 1, 1)), -365);
	ck_assert_int_eq(tb_date_to_days(D(1970, 1, 1)), 0);
}
END_TEST

START_TEST(day_numbers_round_trip_over_centuries)
{
	for (long n = -700000; n <= 2900000; n += 997) {
		struct tb_date d = tb_date_from_days(n);

		ck_assert(tb_date_is_valid(d));
		ck_assert_int_eq(tb_date_to_days(d), n);
	}
}
END_TEST

START_TEST(compare_orders_dates)
{
	ck_assert_int_lt(tb_date_cmp(D(2025, 12, 31), D(2026, 1, 1)), 0);
	ck_assert_int_gt(tb_date_cmp(D(2026, 2, 1), D(2026, 1, 31)), 0);
	ck_assert_int_eq(tb_date_cmp(D(2026, 2, 1), D(2026, 2, 1)), 0);
}
END_TEST

START_TEST(shanghai_date_is_utc_plus_eight)
{
	/* 2026-01-01T15:59:59Z is 23:59:59 in Shanghai; a second later it is the 2nd. */
	assert_date(tb_date_from_time_shanghai(1767283199), 2026, 1, 1);
	assert_date(tb_date_from_time_shanghai(1767283200), 2026, 1, 2);
	/* 2025-12-31T16:00:00Z is already New Year's Day in Shanghai. */
	assert_date(tb_date_from_time_shanghai(1767196800), 2026, 1, 1);
	assert_date(tb_date_from_time_shanghai(1767196799), 2025, 12, 31);
	assert_date(tb_date_from_time_shanghai(0), 1970, 1, 1);
	assert_date(tb_date_from_time_shanghai(-28801), 1969, 12, 31);
}
END_TEST

START_TEST(today_ignores_the_tz_variable)
{
	struct tb_date a, b;

	setenv("TZ", "America/New_York", 1);
	a = tb_date_today_shanghai();
	setenv("TZ", "Asia/Kolkata", 1);
	b = tb_date_today_shanghai();
	/* The two calls may straddle midnight only if the test runs at it. */
	ck_assert(tb_date_diff_days(a, b) >= 0 && tb_date_diff_days(a, b) <= 1);
	ck_assert(tb_date_is_valid(a));
	ck_assert(tb_date_cmp(a, D(2025, 1, 1)) > 0);
}
END_TEST

static Suite *date_suite(void)
{
	Suite *s = suite_create("date");
	TCase *tc = tcase_create("date");

	tcase_add_test(tc, parse_accepts_a_real_iso_date);
	tcase_add_test(tc, parse_refuses_days_that_do_not_exist);
	tcase_add_test(tc, parse_refuses_anything_but_yyyy_mm_dd);
	tcase_add_test(tc, format_pads_with_zeros);
	tcase_add_test(tc, days_in_month_knows_leap_years);
	tcase_add_test(tc, weekday_matches_the_real_calendar);
	tcase_add_test(tc, adding_days_crosses_months_years_and_leap_days);
	tcase_add_test(tc, day_numbers_round_trip_over_centuries);
	tcase_add_test(tc, compare_orders_dates);
	tcase_add_test(tc, shanghai_date_is_utc_plus_eight);
	tcase_add_test(tc, today_ignores_the_tz_variable);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	SRunner *sr = srunner_create(date_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
