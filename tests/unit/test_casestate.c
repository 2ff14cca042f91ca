/*
 * test_casestate.c - the case state machine: every state against every event
 * (and outcome), allowed and refused, with a reason on each refusal; names
 * and labels; the 5-working-day rule across holidays and 调休 weekends.
 */
#include "core/casestate.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"

/* One column of the table: an event with its outcome. */
struct column {
	enum case_event_type ev;
	const char *outcome;
};

static const struct column columns[] = {
    {CEV_CREATED, NULL},
    {CEV_MATERIALS_CHECKED, NULL},
    {CEV_NOTICE_ISSUED, NULL},
    {CEV_SUPPLEMENTED, NULL},
    {CEV_ACCEPTED, NULL},
    {CEV_COMMITTED, NULL},
    {CEV_REFUSED, NULL},
    {CEV_REVIEW_STARTED, NULL},
    {CEV_DECIDED, "approve"},
    {CEV_DECIDED, "refuse"},
    {CEV_VERIFIED, "confirmed"},
    {CEV_VERIFIED, "breached"},
    {CEV_RELEASED, NULL},
    {CEV_RATED, NULL},
    {CEV_NOTE, NULL},
    {CEV_REVOKED, NULL},
    {CEV_WITHDRAWN, NULL},
    {CEV_FOLLOWED_UP, NULL},
    {CEV_DEPT_DECIDED, "approve"},
    {CEV_DEPT_DECIDED, "refuse"},
};
#define N_COLUMNS (sizeof columns / sizeof columns[0])

#define X  (-1) /* refused */
#define NO CS_NONE
#define RC CS_RECEIVED
#define AS CS_AWAITING_SUPPLEMENT
#define AC CS_ACCEPTED
#define CM CS_ACCEPTED_COMMITMENT
#define RF CS_REFUSED
#define IR CS_IN_REVIEW
#define AP CS_APPROVED
#define DN CS_DENIED
#define RV CS_REVOKED
#define RL CS_RELEASED
#define WD CS_WITHDRAWN

/*
 * expected[from][column]: the state after the event, or X.  Written out by
 * hand from the rules in the brief, not derived from the code.
 *          crt mch ntc sup acc cmt ref rvw apr rfs cnf brc rel rat note rvk wdr fup dap drf */
static const int expected[CS_N_STATES][N_COLUMNS] = {
    [CS_NONE] = {RC, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X},
    [CS_RECEIVED] = {X, RC, AS, X, AC, CM, RF, X, X, X, X, X, X, X, RC, X, X, X, X, X},
    [CS_AWAITING_SUPPLEMENT] = {X, AS, X, RC, X, X, X, X, X, X, X, X, X, X, AS, X, WD, X, X, X},
    [CS_ACCEPTED] = {X, X, X, X, X, X, X, IR, AP, DN, X, X, X, X, AC, X, X, X, AC, AC},
    [CS_ACCEPTED_COMMITMENT] = {X,  X,  X, X, X,  X,  X, IR, AP, DN,
                                CM, RV, X, X, CM, RV, X, X,  CM, CM},
    [CS_REFUSED] = {X, X, X, X, X, X, X, X, X, X, X, X, RL, X, RF, X, X, X, X, X},
    [CS_IN_REVIEW] = {X, X, X, X, X, X, X, X, AP, DN, IR, RV, X, X, IR, RV, X, X, IR, IR},
    [CS_APPROVED] = {X, X, X, X, X, X, X, X, X, X, AP, RV, RL, X, AP, RV, X, X, X, X},
    [CS_DENIED] = {X, X, X, X, X, X, X, X, X, X, X, X, RL, X, DN, X, X, X, X, X},
    [CS_REVOKED] = {X, X, X, X, X, X, X, X, X, X, X, X, X, X, RV, X, X, X, X, X},
    [CS_RELEASED] = {X, X, X, X, X, X, X, X, X, X, RL, RV, X, RL, RL, RV, X, RL, X, X},
    [CS_WITHDRAWN] = {X, X, X, X, X, X, X, X, X, X, X, X, X, X, WD, X, X, X, X, X},
};

static void chinese(void)
{
	i18n_set_chinese(true);
}

/* ---- the table: one loop iteration per state ---- */

START_TEST(every_event_in_every_state_is_allowed_or_refused_as_the_rules_say)
{
	enum case_state from = (enum case_state)_i;
	size_t c;

	for (c = 0; c < N_COLUMNS; c++) {
		enum case_state to = (enum case_state)99;
		char why[256] = "";
		int r =
		    casestate_next(from, columns[c].ev, columns[c].outcome, &to, why, sizeof why);

		if (expected[from][c] == X) {
			ck_assert_msg(r == -1, "%s --%s %s--> allowed, should be refused",
			              casestate_name(from), case_event_name(columns[c].ev),
			              columns[c].outcome ? columns[c].outcome : "");
			ck_assert_int_eq(to, 99);
			ck_assert_msg(strlen(why) > 10, "%s --%s-->: no reason given",
			              casestate_name(from), case_event_name(columns[c].ev));
			/* The reason names the state the case is in. */
			ck_assert_msg(strstr(why, "案件") != NULL, "reason: %s", why);
		} else {
			ck_assert_msg(r == 0, "%s --%s %s--> refused: %s", casestate_name(from),
			              case_event_name(columns[c].ev),
			              columns[c].outcome ? columns[c].outcome : "", why);
			ck_assert_msg((int)to == expected[from][c], "%s --%s--> %s, expected %s",
			              casestate_name(from), case_event_name(columns[c].ev),
			              casestate_name(to),
			              casestate_name((enum case_state)expected[from][c]));
		}
	}
}
END_TEST

START_TEST(a_refusal_says_what_state_the_case_is_in_and_what_cannot_be_done)
{
	enum case_state to = CS_NONE;
	char why[256];

	ck_assert_int_eq(casestate_next(CS_REFUSED, CEV_SUPPLEMENTED, NULL, &to, why, sizeof why),
	                 -1);
	ck_assert_str_eq(why, "案件已不予受理，不能补正材料；当前可进行：出件、备注");

	ck_assert_int_eq(casestate_next(CS_NONE, CEV_ACCEPTED, NULL, &to, why, sizeof why), -1);
	ck_assert_str_eq(why, "案件尚未建立，不能受理；当前可进行：收件登记");

	/* A revoked case allows only notes. */
	ck_assert_int_eq(casestate_next(CS_REVOKED, CEV_RELEASED, NULL, &to, why, sizeof why), -1);
	ck_assert_str_eq(why, "案件已撤销，不能出件；当前可进行：备注");
}
END_TEST

START_TEST(refusals_are_in_english_under_an_english_locale)
{
	enum case_state to = CS_NONE;
	char why[256];

	i18n_set_chinese(false);
	ck_assert_int_eq(casestate_next(CS_REFUSED, CEV_SUPPLEMENTED, NULL, &to, why, sizeof why),
	                 -1);
	ck_assert_str_eq(why, "the case was refused at the counter; it cannot be supplemented; "
	                      "possible now: released, note");
	ck_assert_str_eq(casestate_label(CS_AWAITING_SUPPLEMENT), "awaiting supplement");
	ck_assert_str_eq(case_event_label(CEV_NOTICE_ISSUED), "one-time notice issued");
}
END_TEST

START_TEST(a_short_or_missing_reason_buffer_is_safe)
{
	enum case_state to = CS_NONE;
	char why[8];

	ck_assert_int_eq(casestate_next(CS_REVOKED, CEV_RATED, NULL, &to, NULL, 0), -1);
	memset(why, 'z', sizeof why);
	ck_assert_int_eq(casestate_next(CS_REVOKED, CEV_RATED, NULL, &to, why, sizeof why), -1);
	ck_assert(memchr(why, '\0', sizeof why) != NULL);
	ck_assert_int_eq(casestate_next(CS_ACCEPTED, CEV_DECIDED, "maybe", &to, why, sizeof why),
	                 -1);
	ck_assert(memchr(why, '\0', sizeof why) != NULL);
}
END_TEST

/* ---- outcomes ---- */

START_TEST(a_decision_needs_approve_or_refuse)
{
	enum case_state to = CS_NONE;
	char why[256] = "";

	ck_assert_int_eq(casestate_next(CS_IN_REVIEW, CEV_DECIDED, NULL, &to, why, sizeof why), -1);
	ck_assert_ptr_nonnull(strstr(why, "approve"));
	why[0] = '\0';
	ck_assert_int_eq(casestate_next(CS_IN_REVIEW, CEV_DECIDED, "yes", &to, why, sizeof why),
	                 -1);
	ck_assert_ptr_nonnull(strstr(why, "“yes”"));
	ck_assert_int_eq(to, CS_NONE);
	ck_assert_int_eq(casestate_next(CS_IN_REVIEW, CEV_DECIDED, "Approve", &to, why, sizeof why),
	                 -1);
}
END_TEST

START_TEST(a_verification_needs_confirmed_or_breached)
{
	enum case_state to = CS_NONE;
	char why[256] = "";

	ck_assert_int_eq(casestate_next(CS_APPROVED, CEV_VERIFIED, NULL, &to, why, sizeof why), -1);
	ck_assert_ptr_nonnull(strstr(why, "breached"));
	ck_assert_int_eq(casestate_next(CS_APPROVED, CEV_VERIFIED, "approve", &to, why, sizeof why),
	                 -1);
	ck_assert_ptr_nonnull(strstr(why, "核查结果"));
}
END_TEST

START_TEST(the_state_is_checked_before_the_outcome)
{
	enum case_state to = CS_NONE;
	char why[256] = "";

	ck_assert_int_eq(casestate_next(CS_RELEASED, CEV_DECIDED, "bogus", &to, why, sizeof why),
	                 -1);
	ck_assert_ptr_nonnull(strstr(why, "案件已出件办结"));
}
END_TEST

START_TEST(outcomes_of_other_events_are_ignored)
{
	enum case_state to = CS_NONE;

	ck_assert_int_eq(casestate_next(CS_RECEIVED, CEV_ACCEPTED, "whatever", &to, NULL, 0), 0);
	ck_assert_int_eq(to, CS_ACCEPTED);
	ck_assert(case_event_needs_outcome(CEV_DECIDED));
	ck_assert(case_event_needs_outcome(CEV_VERIFIED));
	ck_assert(!case_event_needs_outcome(CEV_ACCEPTED));
}
END_TEST

START_TEST(out_of_range_values_are_refused)
{
	enum case_state to = CS_NONE;
	char why[256] = "";

	ck_assert_int_eq(casestate_next(CS_N_STATES, CEV_NOTE, NULL, &to, why, sizeof why), -1);
	ck_assert(why[0] != '\0');
	ck_assert_int_eq(casestate_next(CS_RECEIVED, CEV_N_TYPES, NULL, &to, why, sizeof why), -1);
	ck_assert_str_eq(casestate_name(CS_N_STATES), "?");
	ck_assert_str_eq(case_event_name(CEV_N_TYPES), "?");
	ck_assert_str_eq(casestate_label(CS_N_STATES), "?");
	ck_assert_str_eq(case_event_label(CEV_N_TYPES), "?");
}
END_TEST

/* ---- commitment ---- */

START_TEST(commitment_needs_a_received_case_and_an_item_that_allows_it)
{
	char why[256] = "";

	ck_assert(casestate_can_commit(CS_RECEIVED, true, why, sizeof why));
	ck_assert(!casestate_can_commit(CS_RECEIVED, false, why, sizeof why));
	ck_assert_str_eq(why, "该事项不适用告知承诺，不能承诺受理");
	ck_assert(!casestate_can_commit(CS_ACCEPTED, true, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "案件已受理"));
	ck_assert(!casestate_can_commit(CS_RECEIVED, false, NULL, 0));
}
END_TEST

/* ---- names, labels, predicates ---- */

START_TEST(wire_names_round_trip_and_stay_fixed)
{
	static const char *const snames[CS_N_STATES] = {"none",
	                                                "received",
	                                                "awaiting_supplement",
	                                                "accepted",
	                                                "accepted_commitment",
	                                                "refused",
	                                                "in_review",
	                                                "approved",
	                                                "denied",
	                                                "revoked",
	                                                "released",
	                                                "withdrawn"};
	static const char *const enames[CEV_N_TYPES] = {
	    "created",     "materials_checked", "notice_issued", "supplemented",
	    "accepted",    "committed",         "refused",       "review_started",
	    "decided",     "verified",          "released",      "rated",
	    "note",        "revoked",           "withdrawn",     "followed_up",
	    "dept_decided"};
	unsigned i;

	for (i = 0; i < CS_N_STATES; i++) {
		enum case_state s = CS_N_STATES;

		ck_assert_str_eq(casestate_name((enum case_state)i), snames[i]);
		ck_assert_int_eq(casestate_from_name(snames[i], &s), 0);
		ck_assert_int_eq(s, i);
	}
	for (i = 0; i < CEV_N_TYPES; i++) {
		enum case_event_type ev = CEV_N_TYPES;

		ck_assert_str_eq(case_event_name((enum case_event_type)i), enames[i]);
		ck_assert_int_eq(case_event_from_name(enames[i], &ev), 0);
		ck_assert_int_eq(ev, i);
	}
}
END_TEST

START_TEST(unknown_names_are_refused_and_leave_the_output_alone)
{
	enum case_state s = CS_APPROVED;
	enum case_event_type ev = CEV_NOTE;

	ck_assert_int_eq(casestate_from_name("Received", &s), -1);
	ck_assert_int_eq(casestate_from_name("", &s), -1);
	ck_assert_int_eq(casestate_from_name(NULL, &s), -1);
	ck_assert_int_eq(s, CS_APPROVED);
	ck_assert_int_eq(case_event_from_name("approve", &ev), -1);
	ck_assert_int_eq(case_event_from_name(NULL, &ev), -1);
	ck_assert_int_eq(ev, CEV_NOTE);
}
END_TEST

START_TEST(labels_are_the_words_clerks_use)
{
	static const char *const labels[CS_N_STATES] = {
	    "录入",   "收件",     "待补正",   "已受理", "承诺受理", "不予受理",
	    "审批中", "准予许可", "不予许可", "已撤销", "已出件",   "视为放弃"};
	unsigned i;

	for (i = 0; i < CS_N_STATES; i++)
		ck_assert_str_eq(casestate_label((enum case_state)i), labels[i]);
	for (i = 0; i < CEV_N_TYPES; i++)
		ck_assert(strlen(case_event_label((enum case_event_type)i)) > 0);
	ck_assert_str_eq(case_event_label(CEV_NOTICE_ISSUED), "一次性告知");
}
END_TEST

START_TEST(the_clock_stops_only_while_awaiting_supplement)
{
	unsigned i;

	for (i = 0; i < CS_N_STATES; i++)
		ck_assert_int_eq(casestate_clock_stopped((enum case_state)i),
		                 i == CS_AWAITING_SUPPLEMENT);
}
END_TEST

START_TEST(released_revoked_and_withdrawn_are_final)
{
	unsigned i;

	for (i = 0; i < CS_N_STATES; i++)
		ck_assert_int_eq(casestate_is_final((enum case_state)i),
		                 i == CS_RELEASED || i == CS_REVOKED || i == CS_WITHDRAWN);
}
END_TEST

/* ---- the 5-working-day rule ---- */

static struct calendar *cal;

static void load_calendar(void)
{
	const char *root = getenv("TONGBAN_SRCDIR");
	char path[4096];
	struct err e = {0};

	chinese();
	snprintf(path, sizeof path, "%s/data/calendar.json", root != NULL ? root : ".");
	cal = cal_load(path, &e);
	ck_assert_msg(cal != NULL, "%s", e.msg);
}

static void free_calendar(void)
{
	cal_free(cal);
	cal = NULL;
}

static struct tb_date D(const char *s) {
	struct tb_date d = {0, 0, 0};

	ck_assert_msg(tb_date_parse(s, &d) == 0, "bad date in test: %s", s);
	return d;
}

static int
deemed(const char *received, const char *today, bool decided)
{
	struct tb_date out = {0, 0, 0};
	struct err e = {0};
	int r = casestate_deemed_accepted(cal, D(received), D(today), decided, &out, &e);

	ck_assert_msg(r >= 0, "%s", e.msg);
	if (r == 1)
		ck_assert_int_eq(tb_date_cmp(out, D(received)), 0);
	else
		ck_assert_int_eq(out.y, 0);
	return r;
}

START_TEST(five_working_days_on_an_ordinary_week)
{
	/* Received Mon 2026-03-09: days 1-5 are Tue 10 .. Mon 16. */
	ck_assert_int_eq(deemed("2026-03-09", "2026-03-09", false), 0);
	ck_assert_int_eq(deemed("2026-03-09", "2026-03-16", false), 0);
	ck_assert_int_eq(deemed("2026-03-09", "2026-03-17", false), 1);
	ck_assert_int_eq(deemed("2026-03-09", "2026-05-01", false), 1);
}
END_TEST

START_TEST(national_day_and_tiaoxiu_weekends_are_counted_right)
{
	/*
	 * Received Fri 2025-09-26: Sun 9/28 (调休) is day 1, 9/29 day 2, 9/30
	 * day 3, 10/1-10/8 off, Thu 10/9 day 4, Fri 10/10 day 5.
	 */
	ck_assert_int_eq(deemed("2025-09-26", "2025-10-08", false), 0);
	ck_assert_int_eq(deemed("2025-09-26", "2025-10-10", false), 0);
	ck_assert_int_eq(deemed("2025-09-26", "2025-10-11", false), 1);
}
END_TEST

START_TEST(spring_festival_2026_is_counted_right)
{
	/* Received Thu 2026-02-12: 2/13 day 1, Sat 2/14 (调休) day 2, 2/15-2/23
	 * off, 2/24 day 3, 2/25 day 4, 2/26 day 5. */
	ck_assert_int_eq(deemed("2026-02-12", "2026-02-23", false), 0);
	ck_assert_int_eq(deemed("2026-02-12", "2026-02-26", false), 0);
	ck_assert_int_eq(deemed("2026-02-12", "2026-02-27", false), 1);
}
END_TEST

START_TEST(a_decided_case_is_never_deemed_accepted)
{
	ck_assert_int_eq(deemed("2026-03-09", "2026-06-01", true), 0);
}
END_TEST

START_TEST(a_year_without_calendar_data_is_an_error_naming_it)
{
	struct tb_date out = {0, 0, 0};
	struct err e = {0};

	ck_assert_int_eq(
	    casestate_deemed_accepted(cal, D("2026-12-29"), D("2027-01-15"), false, &out, &e), -1);
	ck_assert_msg(strstr(e.msg, "2027") != NULL, "%s", e.msg);
	ck_assert_int_eq(out.y, 0);
	/* Decided: no calendar needed. */
	ck_assert_int_eq(
	    casestate_deemed_accepted(cal, D("2027-03-01"), D("2027-04-01"), true, &out, &e), 0);
}
END_TEST

static Suite *casestate_suite(void)
{
	Suite *s = suite_create("casestate");
	TCase *table = tcase_create("transitions");
	TCase *outcome = tcase_create("outcomes");
	TCase *names = tcase_create("names");
	TCase *deem = tcase_create("deemed_accepted");

	tcase_add_checked_fixture(table, chinese, NULL);
	tcase_add_loop_test(table,
	                    every_event_in_every_state_is_allowed_or_refused_as_the_rules_say, 0,
	                    CS_N_STATES);
	tcase_add_test(table, a_refusal_says_what_state_the_case_is_in_and_what_cannot_be_done);
	tcase_add_test(table, refusals_are_in_english_under_an_english_locale);
	tcase_add_test(table, a_short_or_missing_reason_buffer_is_safe);
	suite_add_tcase(s, table);

	tcase_add_checked_fixture(outcome, chinese, NULL);
	tcase_add_test(outcome, a_decision_needs_approve_or_refuse);
	tcase_add_test(outcome, a_verification_needs_confirmed_or_breached);
	tcase_add_test(outcome, the_state_is_checked_before_the_outcome);
	tcase_add_test(outcome, outcomes_of_other_events_are_ignored);
	tcase_add_test(outcome, out_of_range_values_are_refused);
	tcase_add_test(outcome, commitment_needs_a_received_case_and_an_item_that_allows_it);
	suite_add_tcase(s, outcome);

	tcase_add_checked_fixture(names, chinese, NULL);
	tcase_add_test(names, wire_names_round_trip_and_stay_fixed);
	tcase_add_test(names, unknown_names_are_refused_and_leave_the_output_alone);
	tcase_add_test(names, labels_are_the_words_clerks_use);
	tcase_add_test(names, the_clock_stops_only_while_awaiting_supplement);
	tcase_add_test(names, released_revoked_and_withdrawn_are_final);
	suite_add_tcase(s, names);

	tcase_add_checked_fixture(deem, load_calendar, free_calendar);
	tcase_add_test(deem, five_working_days_on_an_ordinary_week);
	tcase_add_test(deem, national_day_and_tiaoxiu_weekends_are_counted_right);
	tcase_add_test(deem, spring_festival_2026_is_counted_right);
	tcase_add_test(deem, a_decided_case_is_never_deemed_accepted);
	tcase_add_test(deem, a_year_without_calendar_data_is_an_error_naming_it);
	suite_add_tcase(s, deem);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	SRunner *sr = srunner_create(casestate_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
