/*
 * test_calendar.c - the working-day calendar and due dates: the bundled
 * State Council data for 2024-2026, Spring Festival, National Day and 调休
 * working weekends, clock stops, the loud refusal to guess a year without
 * data, supervision warnings, and malformed calendar files.
 */
#include "core/calendar.h"
#include "core/i18n.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct calendar *cal;

static struct tb_date D(const char *s) {
	struct tb_date d = {0, 0, 0};

	ck_assert_msg(tb_date_parse(s, &d) == 0, "bad date in test: %s", s);
	return d;
}

static void
load_bundled(void)
{
	const char *root = getenv("TONGBAN_SRCDIR");
	char path[4096];
	struct err e = {0};

	snprintf(path, sizeof path, "%s/data/calendar.json", root != NULL ? root : ".");
	cal = cal_load(path, &e);
	ck_assert_msg(cal != NULL, "%s", e.msg);
}

static void unload(void)
{
	cal_free(cal);
	cal = NULL;
}

/* The due date of accepted + n working days, as text. */
static const char *due_after(const char *accepted, int n)
{
	static char buf[TB_DATE_LEN];
	struct tb_date due;
	struct err e = {0};

	ck_assert_msg(cal_add_workdays(cal, D(accepted), n, NULL, 0, &due, &e) == 0, "%s + %d: %s",
	              accepted, n, e.msg);
	return tb_date_format(due, buf);
}

static const char *due_with_stops(const char *accepted, int n, const struct stop_interval *stops,
                                  size_t n_stops)
{
	static char buf[TB_DATE_LEN];
	struct tb_date due;
	struct err e = {0};

	ck_assert_msg(cal_add_workdays(cal, D(accepted), n, stops, n_stops, &due, &e) == 0, "%s",
	              e.msg);
	return tb_date_format(due, buf);
}

static bool workday(const char *date)
{
	bool known = false;
	int r = cal_is_workday(cal, D(date), &known);

	ck_assert_msg(known, "%s: year not known", date);
	return r == 1;
}

/* ---- the bundled data ---- */

START_TEST(bundled_calendar_covers_2024_to_2026_with_sources)
{
	ck_assert_str_eq(cal_version(cal), "2025-11-04");
	ck_assert(cal_has_year(cal, 2024));
	ck_assert(cal_has_year(cal, 2025));
	ck_assert(cal_has_year(cal, 2026));
	ck_assert(!cal_has_year(cal, 2027));
	ck_assert(!cal_has_year(cal, 2023));
	ck_assert(strstr(cal_year_source(cal, 2024), "2023-10-25") != NULL);
	ck_assert(strstr(cal_year_source(cal, 2025), "2024-11-12") != NULL);
	ck_assert(strstr(cal_year_source(cal, 2026),
	                 "国务院办公厅关于2026年部分节假日安排的通知") != NULL);
	ck_assert_ptr_null(cal_year_source(cal, 2027));
}
END_TEST

START_TEST(working_days_per_year_match_the_notices)
{
	/* Counted independently from the notices' day lists. */
	static const struct {
		int year, days;
	} want[] = {{2024, 251}, {2025, 248}, {2026, 248}};

	for (size_t i = 0; i < 3; i++) {
		struct tb_date d = {want[i].year, 1, 1};
		int n = 0;

		for (; d.y == want[i].year; d = tb_date_add_days(d, 1))
			n += cal_is_workday(cal, d, NULL);
		ck_assert_int_eq(n, want[i].days);
	}
}
END_TEST

START_TEST(weekdays_weekends_holidays_and_working_weekends)
{
	ck_assert(workday("2026-03-04"));  /* an ordinary Wednesday */
	ck_assert(!workday("2026-03-07")); /* an ordinary Saturday */
	ck_assert(!workday("2026-10-05")); /* National Day, a Monday */
	ck_assert(workday("2026-02-14"));  /* 调休: a Saturday worked */
	ck_assert(workday("2026-02-28"));
	ck_assert(workday("2025-01-26")); /* a Sunday worked */
	ck_assert(!workday("2025-10-08"));
	ck_assert(!workday("2025-06-02")); /* Dragon Boat, a Monday */
	ck_assert(!workday("2024-06-10"));
	ck_assert(workday("2024-05-11"));
	ck_assert(!workday("2026-01-02")); /* New Year, a Friday */
	ck_assert(workday("2026-01-04"));
}
END_TEST

START_TEST(a_year_without_data_is_reported_unknown)
{
	bool known = true;

	ck_assert_int_eq(cal_is_workday(cal, D("2027-03-01"), &known), 1); /* weekday rule only */
	ck_assert(!known);
	ck_assert_int_eq(cal_is_workday(cal, D("2027-03-06"), &known), 0);
	ck_assert(!known);
	ck_assert_int_eq(cal_is_workday(cal, (struct tb_date){2026, 2, 30}, &known), 0);
	ck_assert(!known);
}
END_TEST

/* ---- due dates ---- */

START_TEST(acceptance_day_does_not_count_and_day_one_is_the_next_working_day)
{
	ck_assert_str_eq(due_after("2026-03-02", 1), "2026-03-03");
	ck_assert_str_eq(due_after("2026-03-02", 3), "2026-03-05");
	/* Accepted on a Friday: day 1 is Monday. */
	ck_assert_str_eq(due_after("2026-03-06", 1), "2026-03-09");
	/* Accepted on a Saturday (a township centre open at the weekend). */
	ck_assert_str_eq(due_after("2026-03-07", 1), "2026-03-09");
	ck_assert_str_eq(due_after("2026-02-01", 20), "2026-03-05");
}
END_TEST

START_TEST(limit_zero_is_due_the_same_day)
{
	ck_assert_str_eq(due_after("2026-03-04", 0), "2026-03-04");
	/* Even on a holiday or in a year without data: nothing is counted. */
	ck_assert_str_eq(due_after("2026-10-03", 0), "2026-10-03");
	ck_assert_str_eq(due_after("2027-05-01", 0), "2027-05-01");
}
END_TEST

START_TEST(national_day_2026_is_skipped)
{
	/* Oct 1-7 off; Thursday Oct 8 is the next working day. */
	ck_assert_str_eq(due_after("2026-09-30", 1), "2026-10-08");
	/* Saturday Oct 10 is worked. */
	ck_assert_str_eq(due_after("2026-09-30", 3), "2026-10-10");
	ck_assert_str_eq(due_after("2026-09-18", 1), "2026-09-20"); /* Sunday Sep 20 worked */
	ck_assert_str_eq(due_after("2026-09-28", 5), "2026-10-10");
	ck_assert_str_eq(due_after("2026-09-28", 21), "2026-11-02");
}
END_TEST

START_TEST(national_day_2025_and_2024_are_skipped)
{
	ck_assert_str_eq(due_after("2025-09-26", 3), "2025-09-30"); /* Sunday Sep 28 worked */
	ck_assert_str_eq(due_after("2025-09-26", 4), "2025-10-09"); /* Oct 1-8 off */
	ck_assert_str_eq(due_after("2025-09-26", 6), "2025-10-11"); /* Saturday Oct 11 worked */
	ck_assert_str_eq(due_after("2024-09-27", 3), "2024-10-08");
}
END_TEST

START_TEST(spring_festival_is_skipped_in_each_year)
{
	/* 2024: Feb 10-17 off, Sunday Feb 18 worked. */
	ck_assert_str_eq(due_after("2024-02-08", 3), "2024-02-19");
	ck_assert_str_eq(due_after("2024-02-09", 1), "2024-02-18");
	/* 2025: Sunday Jan 26 worked, Jan 28-Feb 4 off. */
	ck_assert_str_eq(due_after("2025-01-27", 1), "2025-02-05");
	ck_assert_str_eq(due_after("2025-01-24", 3), "2025-02-05");
	/* 2026: Saturday Feb 14 worked, Feb 15-23 off. */
	ck_assert_str_eq(due_after("2026-02-13", 1), "2026-02-14");
	ck_assert_str_eq(due_after("2026-02-12", 3), "2026-02-24");
}
END_TEST

START_TEST(short_holidays_and_new_year_across_years)
{
	ck_assert_str_eq(due_after("2024-04-30", 1), "2024-05-06");
	ck_assert_str_eq(due_after("2025-04-30", 1), "2025-05-06");
	ck_assert_str_eq(due_after("2026-04-30", 1), "2026-05-06");
	ck_assert_str_eq(due_after("2024-06-07", 1), "2024-06-11");
	ck_assert_str_eq(due_after("2025-05-30", 1), "2025-06-03");
	ck_assert_str_eq(due_after("2026-06-18", 1), "2026-06-22");
	ck_assert_str_eq(due_after("2024-12-31", 1), "2025-01-02");
	ck_assert_str_eq(due_after("2025-12-31", 1), "2026-01-04"); /* Sunday Jan 4 worked */
}
END_TEST

START_TEST(clock_stop_interval_extends_the_due_date)
{
	struct stop_interval supplement = {D("2026-03-03"), D("2026-03-04")};
	struct stop_interval two[] = {{D("2026-03-03"), D("2026-03-03")},
	                              {D("2026-03-05"), D("2026-03-05")}};
	struct stop_interval before = {D("2026-02-20"), D("2026-03-03")};
	struct stop_interval holiday = {D("2026-09-29"), D("2026-09-30")};

	ck_assert_str_eq(due_with_stops("2026-03-02", 3, &supplement, 1), "2026-03-09");
	ck_assert_str_eq(due_with_stops("2026-03-02", 3, two, 2), "2026-03-09");
	/* Only the stopped days after acceptance matter. */
	ck_assert_str_eq(due_with_stops("2026-03-02", 1, &before, 1), "2026-03-04");
	/* A stop just before National Day pushes the count past the holiday. */
	ck_assert_str_eq(due_with_stops("2026-09-28", 5, &holiday, 1), "2026-10-13");
	/* A stop over days that are off anyway changes nothing. */
	holiday = (struct stop_interval){D("2026-10-01"), D("2026-10-07")};
	ck_assert_str_eq(due_with_stops("2026-09-30", 1, &holiday, 1), "2026-10-08");
}
END_TEST

START_TEST(a_year_without_data_is_an_error_naming_it)
{
	struct tb_date due = {0, 0, 0};
	struct err e = {0};

	ck_assert_int_eq(cal_add_workdays(cal, D("2026-12-30"), 5, NULL, 0, &due, &e), -1);
	ck_assert_msg(strstr(e.msg, "2027") != NULL, "%s", e.msg);
	ck_assert_msg(strstr(e.msg, "缺少2027年的工作日历") != NULL, "%s", e.msg);
	ck_assert_int_eq(due.y, 0); /* untouched */
	ck_assert_int_eq(cal_add_workdays(cal, D("2023-12-28"), 1, NULL, 0, &due, &e), -1);
	ck_assert_msg(strstr(e.msg, "2023") != NULL, "%s", e.msg);
	/* Up to the last day with data it works. */
	ck_assert_str_eq(due_after("2026-12-30", 1), "2026-12-31");
}
END_TEST

START_TEST(negative_limit_and_bad_intervals_are_refused)
{
	struct tb_date due;
	struct err e = {0};
	struct stop_interval backwards = {D("2026-03-05"), D("2026-03-03")};
	struct stop_interval invalid = {D("2026-03-05"), {2026, 2, 30}};

	ck_assert_int_eq(cal_add_workdays(cal, D("2026-03-02"), -1, NULL, 0, &due, &e), -1);
	ck_assert(strstr(e.msg, "-1") != NULL);
	ck_assert_int_eq(cal_add_workdays(cal, D("2026-03-02"), 1, &backwards, 1, &due, &e), -1);
	ck_assert_msg(strstr(e.msg, "2026-03-05") != NULL, "%s", e.msg);
	ck_assert_int_eq(cal_add_workdays(cal, D("2026-03-02"), 1, &invalid, 1, &due, &e), -1);
	ck_assert_int_eq(cal_add_workdays(cal, D("2026-03-02"), 1, NULL, 1, &due, &e), -1);
	ck_assert_int_eq(cal_add_workdays(cal, (struct tb_date){2026, 2, 30}, 1, NULL, 0, &due, &e),
	                 -1);
}
END_TEST

/* ---- remaining days and warnings ---- */

static int remaining(const char *today, const char *due)
{
	int days = 12345;
	struct err e = {0};

	ck_assert_msg(cal_workdays_between(cal, D(today), D(due), &days, &e) == 0, "%s", e.msg);
	return days;
}

START_TEST(remaining_working_days_count_down_to_the_due_date)
{
	ck_assert_int_eq(remaining("2026-09-28", "2026-10-09"), 4);
	ck_assert_int_eq(remaining("2026-09-30", "2026-10-09"), 2);
	ck_assert_int_eq(remaining("2026-10-09", "2026-10-09"), 0);
	/* Overdue: Saturday Oct 10 was worked, so Monday is 2 days over. */
	ck_assert_int_eq(remaining("2026-10-12", "2026-10-09"), -2);
	/* Overdue over a weekend is still overdue. */
	ck_assert_int_eq(remaining("2026-03-08", "2026-03-06"), -1);
}
END_TEST

START_TEST(remaining_days_into_a_year_without_data_is_an_error)
{
	int days;
	struct err e = {0};

	ck_assert_int_eq(cal_workdays_between(cal, D("2026-12-30"), D("2027-01-05"), &days, &e),
	                 -1);
	ck_assert_msg(strstr(e.msg, "2027") != NULL, "%s", e.msg);
}
END_TEST

START_TEST(warning_turns_yellow_near_the_deadline_and_red_after_it)
{
	struct tb_date due = D("2026-10-09");

	ck_assert_int_eq(cal_warning(cal, D("2026-09-28"), due, 2), CAL_OK);
	ck_assert_int_eq(cal_warning(cal, D("2026-09-30"), due, 2), CAL_YELLOW);
	ck_assert_int_eq(cal_warning(cal, D("2026-10-09"), due, 2), CAL_YELLOW);
	ck_assert_int_eq(cal_warning(cal, D("2026-10-10"), due, 2), CAL_RED);
	ck_assert_int_eq(cal_warning(cal, D("2027-01-10"), due, 2), CAL_RED);
}
END_TEST

START_TEST(warning_counts_working_days_not_calendar_days)
{
	/* Nine calendar days but only two working days before Oct 8. */
	ck_assert_int_eq(cal_warning(cal, D("2026-09-29"), D("2026-10-08"), 2), CAL_YELLOW);
	ck_assert_int_eq(cal_warning(cal, D("2026-09-29"), D("2026-10-08"), 1), CAL_OK);
}
END_TEST

START_TEST(warning_threshold_is_configurable)
{
	struct tb_date due = D("2026-10-09");

	ck_assert_int_eq(cal_warning(cal, D("2026-09-28"), due, CAL_YELLOW_DAYS_DEFAULT), CAL_OK);
	ck_assert_int_eq(cal_warning(cal, D("2026-09-28"), due, 5), CAL_YELLOW);
	ck_assert_int_eq(cal_warning(cal, D("2026-10-08"), due, 0), CAL_OK);
	ck_assert_int_eq(cal_warning(cal, D("2026-10-09"), due, 0), CAL_YELLOW);
}
END_TEST

START_TEST(warning_without_data_says_so_unless_the_answer_is_certain)
{
	ck_assert_int_eq(cal_warning(cal, D("2026-12-30"), D("2027-01-05"), 2), CAL_NO_DATA);
	/* Far more than two working days are known to remain in 2026. */
	ck_assert_int_eq(cal_warning(cal, D("2026-03-02"), D("2027-01-10"), 2), CAL_OK);
}
END_TEST

/* ---- malformed files ---- */

/* Parse text, expect failure, and check the message contains each of want. */
static void expect_parse_error(const char *json, const char *want1, const char *want2)
{
	struct err e = {0};
	struct calendar *c = cal_parse(json, strlen(json), "test.json", &e);

	ck_assert_msg(c == NULL, "accepted: %s", json);
	ck_assert_msg(strstr(e.msg, "test.json") != NULL, "no file name: %s", e.msg);
	ck_assert_msg(strstr(e.msg, want1) != NULL, "no \"%s\" in: %s", want1, e.msg);
	if (want2 != NULL)
		ck_assert_msg(strstr(e.msg, want2) != NULL, "no \"%s\" in: %s", want2, e.msg);
}

#define YEAR_2026(body) "{\"version\":\"t\",\"years\":{\"2026\":{" body "}}}"
#define SRC             "\"source\":\"notice\","

START_TEST(minimal_file_with_single_day_holidays_parses)
{
	const char *json = YEAR_2026(SRC "\"holidays\":[\"2026-03-04\",[\"2026-03-05\","
	                                 "\"2026-03-06\"]],\"workdays\":[\"2026-03-07\"]");
	struct err e = {0};
	struct calendar *c = cal_parse(json, strlen(json), "test.json", &e);
	bool known;

	ck_assert_msg(c != NULL, "%s", e.msg);
	ck_assert_int_eq(cal_is_workday(c, D("2026-03-04"), &known), 0);
	ck_assert(known);
	ck_assert_int_eq(cal_is_workday(c, D("2026-03-06"), NULL), 0);
	ck_assert_int_eq(cal_is_workday(c, D("2026-03-07"), NULL), 1);
	ck_assert_int_eq(cal_is_workday(c, D("2026-03-03"), NULL), 1);
	cal_free(c);
}
END_TEST

START_TEST(invalid_json_is_refused_naming_the_file)
{
	expect_parse_error("{\"version\":", "not valid JSON", NULL);
	expect_parse_error("{\"version\":\"x\"} x", "not valid JSON", NULL);
	expect_parse_error("", "not valid JSON", NULL);
	expect_parse_error("[]", "JSON object", NULL);
}
END_TEST

START_TEST(missing_version_or_years_is_refused)
{
	expect_parse_error("{\"years\":{}}", "version", NULL);
	expect_parse_error("{\"version\":\"t\"}", "years", NULL);
	expect_parse_error("{\"version\":\"t\",\"years\":{}}", "years", NULL);
	expect_parse_error("{\"version\":\"t\",\"years\":{\"20x6\":{}}}", "20x6", NULL);
}
END_TEST

START_TEST(field_errors_name_the_year_and_the_field)
{
	expect_parse_error(YEAR_2026("\"holidays\":[],\"workdays\":[]"), "year 2026", "source");
	expect_parse_error(YEAR_2026(SRC "\"workdays\":[]"), "year 2026", "holidays");
	expect_parse_error(YEAR_2026(SRC "\"holidays\":[]"), "year 2026", "workdays");
	expect_parse_error(YEAR_2026(SRC "\"holidays\":[[\"2026-01-01\",\"2026-02-30\"]],"
	                                 "\"workdays\":[]"),
	                   "year 2026", "holidays[0][1]");
	expect_parse_error(YEAR_2026(SRC "\"holidays\":[\"2026-01-01\",[\"2026-03-01\"]],"
	                                 "\"workdays\":[]"),
	                   "year 2026", "holidays[1]");
	expect_parse_error(YEAR_2026(SRC "\"holidays\":[[\"2026-10-07\",\"2026-10-01\"]],"
	                                 "\"workdays\":[]"),
	                   "year 2026", "holidays[0]");
	expect_parse_error(YEAR_2026(SRC "\"holidays\":[],\"workdays\":[20260104]"), "year 2026",
	                   "workdays[0]");
	expect_parse_error(YEAR_2026(SRC "\"holidays\":[[\"2062-01-01\",\"2062-01-02\"]],"
	                                 "\"workdays\":[]"),
	                   "year 2026", "holidays[0][0]");
}
END_TEST

START_TEST(working_weekend_on_a_weekday_is_a_data_error)
{
	expect_parse_error(YEAR_2026(SRC "\"holidays\":[],\"workdays\":[\"2026-01-05\"]"),
	                   "workdays[0]", "not a Saturday or Sunday");
}
END_TEST

START_TEST(a_day_both_off_and_worked_is_a_data_error)
{
	expect_parse_error(YEAR_2026(SRC "\"holidays\":[[\"2026-02-14\",\"2026-02-15\"]],"
	                                 "\"workdays\":[\"2026-02-14\"]"),
	                   "2026-02-14", "both");
}
END_TEST

START_TEST(missing_file_is_an_error_naming_it)
{
	struct err e = {0};

	ck_assert_ptr_null(cal_load("/nonexistent/calendar.json", &e));
	ck_assert(strstr(e.msg, "/nonexistent/calendar.json") != NULL);
}
END_TEST

static Suite *calendar_suite(void)
{
	Suite *s = suite_create("calendar");
	TCase *data = tcase_create("bundled data");
	TCase *due = tcase_create("due dates");
	TCase *warn = tcase_create("warnings");
	TCase *file = tcase_create("malformed files");

	tcase_add_checked_fixture(data, load_bundled, unload);
	tcase_add_test(data, bundled_calendar_covers_2024_to_2026_with_sources);
	tcase_add_test(data, working_days_per_year_match_the_notices);
	tcase_add_test(data, weekdays_weekends_holidays_and_working_weekends);
	tcase_add_test(data, a_year_without_data_is_reported_unknown);
	suite_add_tcase(s, data);

	tcase_add_checked_fixture(due, load_bundled, unload);
	tcase_add_test(due, acceptance_day_does_not_count_and_day_one_is_the_next_working_day);
	tcase_add_test(due, limit_zero_is_due_the_same_day);
	tcase_add_test(due, national_day_2026_is_skipped);
	tcase_add_test(due, national_day_2025_and_2024_are_skipped);
	tcase_add_test(due, spring_festival_is_skipped_in_each_year);
	tcase_add_test(due, short_holidays_and_new_year_across_years);
	tcase_add_test(due, clock_stop_interval_extends_the_due_date);
	tcase_add_test(due, a_year_without_data_is_an_error_naming_it);
	tcase_add_test(due, negative_limit_and_bad_intervals_are_refused);
	suite_add_tcase(s, due);

	tcase_add_checked_fixture(warn, load_bundled, unload);
	tcase_add_test(warn, remaining_working_days_count_down_to_the_due_date);
	tcase_add_test(warn, remaining_days_into_a_year_without_data_is_an_error);
	tcase_add_test(warn, warning_turns_yellow_near_the_deadline_and_red_after_it);
	tcase_add_test(warn, warning_counts_working_days_not_calendar_days);
	tcase_add_test(warn, warning_threshold_is_configurable);
	tcase_add_test(warn, warning_without_data_says_so_unless_the_answer_is_certain);
	suite_add_tcase(s, warn);

	tcase_add_test(file, minimal_file_with_single_day_holidays_parses);
	tcase_add_test(file, invalid_json_is_refused_naming_the_file);
	tcase_add_test(file, missing_version_or_years_is_refused);
	tcase_add_test(file, field_errors_name_the_year_and_the_field);
	tcase_add_test(file, working_weekend_on_a_weekday_is_a_data_error);
	tcase_add_test(file, a_day_both_off_and_worked_is_a_data_error);
	tcase_add_test(file, missing_file_is_an_error_naming_it);
	suite_add_tcase(s, file);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	SRunner *sr = srunner_create(calendar_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
