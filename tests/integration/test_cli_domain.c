/*
 * tests/integration/test_cli_domain.c - the domain commands as an operator
 * runs them from the shell: the real tongban binary (TONGBAN_BIN) with the
 * bundled data of the source tree (TONGBAN_SRCDIR), its output and its exit
 * codes.  Due dates are worked out by hand from data/calendar.json; each
 * comment shows the count.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/i18n.h"
#include "core/idcard.h"

/* What one run printed (stdout and stderr together) and its exit code. */
struct run {
	char out[16384];
	int rc;
};

/*
 * Run tongban with args (already shell-quoted) under the environment prefix
 * env ("TONGBAN_LANG=zh" or an English locale).
 */
static struct run run_env(const char *env, const char *args)
{
	const char *bin = getenv("TONGBAN_BIN");
	const char *src = getenv("TONGBAN_SRCDIR");
	char cmd[4096];
	struct run r;
	size_t n;
	FILE *p;
	int status;

	snprintf(cmd, sizeof cmd,
	         "env -u LC_ALL -u LC_MESSAGES -u TONGBAN_LANG %s '%s' --data '%s' %s 2>&1", env,
	         bin != NULL ? bin : "build/tongban", src != NULL ? src : ".", args);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	n = fread(r.out, 1, sizeof r.out - 1, p);
	r.out[n] = '\0';
	status = pclose(p);
	ck_assert_msg(WIFEXITED(status), "%s: did not exit", cmd);
	r.rc = WEXITSTATUS(status);
	return r;
}

static struct run run_zh(const char *args)
{
	return run_env("TONGBAN_LANG=zh", args);
}

static struct run run_en(const char *args)
{
	return run_env("LANG=C", args);
}

#define expect_out(r, want_rc, text)                                                               \
	do {                                                                                       \
		ck_assert_msg((r).rc == (want_rc), "exit %d, want %d; output:\n%s", (r).rc,        \
		              (want_rc), (r).out);                                                 \
		ck_assert_msg(strstr((r).out, (text)) != NULL, "no \"%s\" in:\n%s", (text),        \
		              (r).out);                                                            \
	} while (0)

/* The due date printed for accepted + n working days (and options). */
static const char *due(const char *args)
{
	static char line[64];
	char full[512];
	struct run r;

	snprintf(full, sizeof full, "calendar due %s", args);
	r = run_zh(full);
	ck_assert_msg(r.rc == 0, "%s: exit %d: %s", full, r.rc, r.out);
	r.out[strcspn(r.out, "\n")] = '\0';
	ck_assert_msg(strlen(r.out) < sizeof line, "%s: %s", full, r.out);
	memcpy(line, r.out, strlen(r.out) + 1);
	return line;
}

/* ---- items ---- */

START_TEST(items_search_jzlj_finds_construction_waste_first)
{
	struct run r = run_zh("items search jzlj");

	ck_assert_int_eq(r.rc, 0);
	ck_assert_msg(strncmp(r.out, "000101001000\t建筑垃圾处置许可\n",
	                      strlen("000101001000\t建筑垃圾处置许可\n")) == 0,
	              "%s", r.out);
}
END_TEST

START_TEST(items_search_ranks_code_before_name_before_initials)
{
	struct run r = run_zh("items search 000704101003");

	/* The exact code first, although other codes share its prefix. */
	ck_assert_int_eq(r.rc, 0);
	ck_assert_msg(strncmp(r.out, "000704101003\t", 13) == 0, "%s", r.out);

	r = run_zh("items search 不动产");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_msg(strncmp(r.out, "000704101001\t不动产登记（变更登记）\n",
	                      strlen("000704101001\t不动产登记（变更登记）\n")) == 0,
	              "%s", r.out);

	/* Initials at the start of the name (机动车 jdc) before initials further
	 * in, although 不动产登记 items come earlier in the catalogue. */
	r = run_zh("items search jd");
	ck_assert_int_eq(r.rc, 0);
	ck_assert_msg(strncmp(r.out, "000707201000\t机动车变更登记\n",
	                      strlen("000707201000\t机动车变更登记\n")) == 0,
	              "%s", r.out);
	expect_out(r, 0, "000704101");
}
END_TEST

START_TEST(items_search_without_a_match_exits_1)
{
	struct run r = run_zh("items search zzzzzzzz");

	expect_out(r, 1, "zzzzzzzz");
}
END_TEST

START_TEST(items_show_prints_the_guide_and_every_material)
{
	struct run r = run_zh("items show 000101001000");

	expect_out(r, 0, "建筑垃圾处置许可");
	expect_out(r, 0, "承诺办结时限：3 个工作日");
	expect_out(r, 0, "申请材料（8 项）");
	expect_out(r, 0, "建筑垃圾处置申请书");
	expect_out(r, 0, "免提交");
	r = run_zh("items show 999999999999");
	expect_out(r, 1, "999999999999");
}
END_TEST

/* ---- calendar due ---- */

START_TEST(due_dates_across_spring_festival_2024_2025_2026)
{
	/* 2024: 2/7 Wed; 2/8=1, 2/9=2, 2/10-2/17 off, Sun 2/18 (调休)=3. */
	ck_assert_str_eq(due("2024-02-07 3"), "2024-02-18");
	/* 2025: Fri 1/24; Sun 1/26 (调休)=1, 1/27=2, 1/28-2/4 off, 2/5=3, 2/6=4,
	 * 2/7=5, Sat 2/8 (调休)=6. */
	ck_assert_str_eq(due("2025-01-24 2"), "2025-01-27");
	ck_assert_str_eq(due("2025-01-24 4"), "2025-02-06");
	ck_assert_str_eq(due("2025-01-24 6"), "2025-02-08");
	/* 2026: Thu 2/12; 2/13=1, Sat 2/14 (调休)=2, 2/15-2/23 off, 2/24=3,
	 * 2/25=4, 2/26=5, 2/27=6, Sat 2/28 (调休)=7. */
	ck_assert_str_eq(due("2026-02-12 5"), "2026-02-26");
	ck_assert_str_eq(due("2026-02-12 7"), "2026-02-28");
}
END_TEST

START_TEST(due_dates_across_national_day_2024_2025_2026)
{
	/* 2024: Fri 9/27; Sun 9/29 (调休)=1, 9/30=2, 10/1-10/7 off, 10/8=3,
	 * 10/9=4, 10/10=5.  From Wed 10/9: 10/10=1, 10/11=2, Sat 10/12 (调休)=3. */
	ck_assert_str_eq(due("2024-09-27 5"), "2024-10-10");
	ck_assert_str_eq(due("2024-10-09 3"), "2024-10-12");
	/* 2025: Fri 9/26; Sun 9/28 (调休)=1, 9/29=2, 9/30=3, 10/1-10/8 off,
	 * 10/9=4, 10/10=5, Sat 10/11 (调休)=6. */
	ck_assert_str_eq(due("2025-09-26 5"), "2025-10-10");
	ck_assert_str_eq(due("2025-09-26 6"), "2025-10-11");
	/* 2026: Mon 9/28; 9/29=1, 9/30=2, 10/1-10/7 off, 10/8=3, 10/9=4,
	 * Sat 10/10 (调休)=5.  Fri 9/18: Sun 9/20 (调休)=1, Mon 9/21=2. */
	ck_assert_str_eq(due("2026-09-28 5"), "2026-10-10");
	ck_assert_str_eq(due("2026-09-18 2"), "2026-09-21");
}
END_TEST

START_TEST(due_with_pauses_leaves_the_stopped_days_out)
{
	/* Mon 2026-03-02 + 5: 3/3, 3/4, 3/5, 3/6, 3/9. */
	ck_assert_str_eq(due("2026-03-02 5"), "2026-03-09");
	/* 3/4-3/5 stopped: 3/3, 3/6, 3/9, 3/10, 3/11. */
	ck_assert_str_eq(due("2026-03-02 5 --pause 2026-03-04:2026-03-05"), "2026-03-11");
	/* and 3/10 too: 3/3, 3/6, 3/9, 3/11, 3/12. */
	ck_assert_str_eq(due("--pause 2026-03-04:2026-03-05 2026-03-02 5 --pause "
	                     "2026-03-10:2026-03-10"),
	                 "2026-03-12");
}
END_TEST

START_TEST(limit_zero_is_due_the_same_day)
{
	ck_assert_str_eq(due("2026-03-02 0"), "2026-03-02");
}
END_TEST

START_TEST(a_year_without_calendar_data_exits_2_naming_it)
{
	struct run r = run_zh("calendar due 2026-12-28 10");

	expect_out(r, 2, "2027");
	r = run_zh("calendar workday 2027-03-01");
	expect_out(r, 2, "2027");
}
END_TEST

/* ---- calendar workday ---- */

START_TEST(workday_answers_yes_or_no)
{
	struct run r = run_zh("calendar workday 2025-02-08"); /* Sat, 调休 */

	expect_out(r, 0, "是");
	expect_out(r, 0, "调休");
	r = run_zh("calendar workday 2024-02-04"); /* Sun, 调休 */
	expect_out(r, 0, "是");
	r = run_zh("calendar workday 2025-10-03"); /* Fri, National Day */
	expect_out(r, 1, "否");
	r = run_zh("calendar workday 2026-03-07"); /* Sat */
	expect_out(r, 1, "周末");
	r = run_zh("calendar workday 2026-03-09"); /* Mon */
	expect_out(r, 0, "是，工作日");
}
END_TEST

/* ---- validate ---- */

START_TEST(validate_idcard_valid_and_each_kind_of_invalid)
{
	char args[128], number[IDCARD_LEN + 1] = "54990119800101123";
	struct run r = run_zh("validate idcard 11010519491231002X");

	expect_out(r, 0, "有效");
	expect_out(r, 0, "1949-12-31");
	expect_out(r, 0, "女");
	expect_out(r, 0, "北京市");
	r = run_zh("validate idcard 330106199003074015");
	expect_out(r, 0, "浙江省杭州市");
	r = run_zh("validate idcard 110105194912310021");
	expect_out(r, 1, "校验位错误，应为 X");
	r = run_zh("validate idcard 1101051949");
	expect_out(r, 1, "应为18位，现为10位");
	r = run_zh("validate idcard 110105194902301234");
	expect_out(r, 1, "出生日期不存在");
	/* An unknown prefecture in 西藏, with a correct check digit. */
	number[17] = idcard_check_char(number);
	snprintf(args, sizeof args, "validate idcard %s", number);
	r = run_zh(args);
	expect_out(r, 1, "前四位不是已知的地市级行政区划代码（5499，西藏自治区）");
}
END_TEST

START_TEST(validate_uscc_valid_and_invalid)
{
	struct run r = run_zh("validate uscc 91350100M000100Y43");

	expect_out(r, 0, "有效");
	expect_out(r, 0, "350100");
	r = run_zh("validate uscc 91350100M000100Y44");
	expect_out(r, 1, "校验位错误");
	r = run_zh("validate uscc 91350100M00010OY43");
	expect_out(r, 1, "除I、O、S、V、Z以外");
	r = run_zh("validate uscc 9135");
	expect_out(r, 1, "18位");
}
END_TEST

START_TEST(validate_phone_valid_and_invalid)
{
	struct run r = run_zh("validate phone 13812345678");

	expect_out(r, 0, "有效：手机号码 13812345678");
	r = run_zh("validate phone 0571-87654321-123");
	expect_out(r, 0, "区号 0571");
	expect_out(r, 0, "分机 123");
	r = run_zh("validate phone 12345678901");
	expect_out(r, 1, "第2位");
	r = run_zh("validate phone 1381234567");
	ck_assert_int_eq(r.rc, 1);
}
END_TEST

/* ---- usage ---- */

START_TEST(bad_usage_exits_2)
{
	static const char *const cases[] = {
	    "validate idcard",
	    "validate",
	    "validate passport 123",
	    "validate idcard 1 2",
	    "calendar",
	    "calendar due 2026-01-05",
	    "calendar due 2026-01-05 x",
	    "calendar due 2026-02-30 3",
	    "calendar due 2026-01-05 3 --pause 2026-01-07",
	    "calendar due 2026-01-05 3 --pause 2026-01-08:2026-01-07",
	    "calendar workday",
	    "calendar workday 2026-1-5",
	    "calendar frob 2026-01-05",
	    "calendar --bogus due 2026-01-05 3",
	    "items",
	    "items search",
	    "items find x",
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct run r = run_zh(cases[i]);

		ck_assert_msg(r.rc == 2, "%s: exit %d: %s", cases[i], r.rc, r.out);
		ck_assert_msg(strstr(r.out, "用法") != NULL, "%s: no usage: %s", cases[i], r.out);
	}
}
END_TEST

START_TEST(help_prints_usage_and_exits_0)
{
	struct run r = run_zh("calendar --help");

	expect_out(r, 0, "tongban calendar due");
	r = run_zh("validate --help");
	expect_out(r, 0, "tongban validate");
	r = run_zh("items --help");
	expect_out(r, 0, "tongban items search");
	r = run_zh("--help");
	expect_out(r, 0, "calendar");
}
END_TEST

/* ---- English ---- */

START_TEST(lang_c_gives_english)
{
	struct run r = run_en("validate idcard 11010519491231002X");

	expect_out(r, 0, "valid: born 1949-12-31, female");
	r = run_en("validate idcard 110105194912310021");
	expect_out(r, 1, "check digit wrong, should be X");
	r = run_en("calendar workday 2024-02-04");
	expect_out(r, 0, "yes, a working day");
	r = run_en("calendar workday 2027-03-01");
	expect_out(r, 2, "no data for 2027");
	r = run_en("items show 000101001000");
	expect_out(r, 0, "promised time limit: 3 working days");
	r = run_en("validate phone 0571-87654321");
	expect_out(r, 0, "valid: landline, area code 0571");
	r = run_en("calendar due 2026-01-05");
	expect_out(r, 2, "usage: tongban calendar");
}
END_TEST

static Suite *cli_domain_suite(void)
{
	Suite *s = suite_create("cli_domain");
	TCase *items = tcase_create("items");
	TCase *cal = tcase_create("calendar");
	TCase *val = tcase_create("validate");
	TCase *use = tcase_create("usage");

	tcase_set_timeout(items, 30);
	tcase_add_test(items, items_search_jzlj_finds_construction_waste_first);
	tcase_add_test(items, items_search_ranks_code_before_name_before_initials);
	tcase_add_test(items, items_search_without_a_match_exits_1);
	tcase_add_test(items, items_show_prints_the_guide_and_every_material);
	suite_add_tcase(s, items);

	tcase_set_timeout(cal, 30);
	tcase_add_test(cal, due_dates_across_spring_festival_2024_2025_2026);
	tcase_add_test(cal, due_dates_across_national_day_2024_2025_2026);
	tcase_add_test(cal, due_with_pauses_leaves_the_stopped_days_out);
	tcase_add_test(cal, limit_zero_is_due_the_same_day);
	tcase_add_test(cal, a_year_without_calendar_data_exits_2_naming_it);
	tcase_add_test(cal, workday_answers_yes_or_no);
	suite_add_tcase(s, cal);

	tcase_set_timeout(val, 30);
	tcase_add_test(val, validate_idcard_valid_and_each_kind_of_invalid);
	tcase_add_test(val, validate_uscc_valid_and_invalid);
	tcase_add_test(val, validate_phone_valid_and_invalid);
	suite_add_tcase(s, val);

	tcase_set_timeout(use, 60);
	tcase_add_test(use, bad_usage_exits_2);
	tcase_add_test(use, help_prints_usage_and_exits_0);
	tcase_add_test(use, lang_c_gives_english);
	suite_add_tcase(s, use);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	SRunner *sr = srunner_create(cli_domain_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
