/*
 * test_idcard.c - 居民身份证号码 checks (GB 11643-1999): each reason a clerk
 * can be told, the details in the message, and masking for lists.
 */
#include "core/i18n.h"
#include "core/idcard.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct tb_date today = {2026, 1, 1};

/* Check s against today, expecting the reason want. */
static struct idcard_info expect(const char *s, enum idcard_error want)
{
	struct idcard_info info;
	enum idcard_error why = IDCARD_OK;
	int rc = idcard_check(s, &today, &info, &why);

	ck_assert_msg(why == want, "%s: got %d (%s), want %d", s, why,
	              idcard_error_text(why, false), want);
	ck_assert_int_eq(rc, want == IDCARD_OK ? 0 : -1);
	return info;
}

START_TEST(well_known_sample_is_valid_and_says_who)
{
	struct idcard_info info = expect("11010519491231002X", IDCARD_OK);

	ck_assert_str_eq(info.number, "11010519491231002X");
	ck_assert_str_eq(info.region, "110105");
	ck_assert_int_eq(info.birth.y, 1949);
	ck_assert_int_eq(info.birth.m, 12);
	ck_assert_int_eq(info.birth.d, 31);
	ck_assert(!info.is_male); /* sequence 002: even */
	ck_assert_str_eq(idcard_province_name(info.number), "北京市");
}
END_TEST

START_TEST(valid_numbers_from_several_provinces)
{
	struct idcard_info info = expect("330106199003074015", IDCARD_OK);

	ck_assert(info.is_male); /* sequence 401: odd */
	ck_assert_str_eq(idcard_province_name(info.number), "浙江省");
	expect("310115198808080031", IDCARD_OK);
	expect("510102197511234571", IDCARD_OK);
	expect("110105200002291235", IDCARD_OK); /* born on a leap day */
}
END_TEST

START_TEST(residence_permits_of_hong_kong_macao_taiwan_are_valid)
{
	expect("810000198001011236", IDCARD_OK);
	expect("83000019800101123X", IDCARD_OK);
	ck_assert_ptr_nonnull(idcard_province_name("82"));
}
END_TEST

START_TEST(lowercase_x_is_accepted_and_normalised)
{
	struct idcard_info info = expect("11010519491231002x", IDCARD_OK);

	ck_assert_str_eq(info.number, "11010519491231002X");
}
END_TEST

START_TEST(empty_input_asks_for_a_number)
{
	expect("", IDCARD_EMPTY);
	expect(NULL, IDCARD_EMPTY);
	ck_assert_str_eq(idcard_error_text(IDCARD_EMPTY, true), "请输入身份证号码");
}
END_TEST

START_TEST(wrong_length_says_how_many_were_typed)
{
	char msg[256];
	struct idcard_info info = expect("11010519491231002", IDCARD_LENGTH);

	ck_assert_int_eq(info.length, 17);
	idcard_explain(IDCARD_LENGTH, &info, true, msg, sizeof msg);
	ck_assert_str_eq(msg, "身份证号码应为18位，现为17位");
	expect("11010519491231002X1", IDCARD_LENGTH);
	/* An old 15-digit number is refused for its length. */
	expect("110105491231002", IDCARD_LENGTH);
}
END_TEST

START_TEST(letters_and_full_width_digits_are_refused_at_their_position)
{
	char msg[256];
	struct idcard_info info = expect("1101051949123100X2", IDCARD_CHARS);

	ck_assert_int_eq(info.bad_pos, 17);
	idcard_explain(IDCARD_CHARS, &info, false, msg, sizeof msg);
	ck_assert_str_eq(msg, "ID number: the first 17 characters must be digits, the 18th a "
	                      "digit or X (character 17 is wrong)");
	/* A full-width digit from an input method counts as one character. */
	info = expect("１1010519491231002X", IDCARD_CHARS);
	ck_assert_int_eq(info.bad_pos, 1);
	expect("11010519491231002Y", IDCARD_CHARS);
	expect("11010519491231 02X", IDCARD_CHARS);
}
END_TEST

START_TEST(unknown_province_code_is_refused)
{
	char msg[256];
	struct idcard_info info = expect("990105194912311237", IDCARD_REGION);

	idcard_explain(IDCARD_REGION, &info, true, msg, sizeof msg);
	ck_assert_str_eq(msg, "身份证号码前两位不是有效的省级行政区划代码（99）");
	expect("000000194912311230", IDCARD_REGION);
	expect("160105194912311234", IDCARD_REGION);
	ck_assert_ptr_null(idcard_province_name("99"));
	ck_assert_str_eq(idcard_error_text(IDCARD_REGION, true),
	                 "身份证号码前两位不是有效的省级行政区划代码");
}
END_TEST

START_TEST(february_30th_is_no_date_of_birth)
{
	char msg[256];
	/* 110105194902301234 has a correct check digit: the date alone is wrong. */
	struct idcard_info info = expect("110105194902301234", IDCARD_BIRTH_INVALID);

	idcard_explain(IDCARD_BIRTH_INVALID, &info, true, msg, sizeof msg);
	ck_assert_str_eq(msg, "身份证号码中的出生日期不存在（1949-02-30）");
	expect("110105190002291234", IDCARD_BIRTH_INVALID); /* 1900 was not leap */
	expect("110105199013011234", IDCARD_BIRTH_INVALID);
}
END_TEST

START_TEST(birth_before_1900_is_refused)
{
	expect("110105189912311237", IDCARD_BIRTH_TOO_EARLY);
	/* The textbook sample of 1880 has a right check digit, but nobody alive
	 * was born then: a typo in the year is far likelier. */
	ck_assert_int_eq(idcard_check_char("440524188001010014"), '4');
	expect("440524188001010014", IDCARD_BIRTH_TOO_EARLY);
	expect("110105190001011235", IDCARD_CHECK); /* 1900-01-01 itself is fine */
}
END_TEST

START_TEST(birth_after_today_is_refused_but_today_is_not)
{
	char msg[256];
	struct tb_date born_today = {2026, 1, 2};
	enum idcard_error why;
	struct idcard_info info = expect("110105209912311232", IDCARD_BIRTH_FUTURE);

	idcard_explain(IDCARD_BIRTH_FUTURE, &info, false, msg, sizeof msg);
	ck_assert_str_eq(msg, "ID number: the date of birth is in the future (2099-12-31)");
	expect("110105202601020014", IDCARD_BIRTH_FUTURE); /* tomorrow */
	expect("110105202601010019", IDCARD_OK);           /* today */
	ck_assert_int_eq(idcard_check("110105202601020014", &born_today, NULL, &why), 0);
	/* Without a given today, the real date in Shanghai is used. */
	ck_assert_int_eq(idcard_check("110105209912311232", NULL, NULL, &why), -1);
	ck_assert_int_eq(why, IDCARD_BIRTH_FUTURE);
}
END_TEST

START_TEST(wrong_check_digit_names_the_right_one)
{
	char msg[256];
	struct idcard_info info = expect("110105194912310021", IDCARD_CHECK);

	ck_assert_int_eq(info.expected_check, 'X');
	idcard_explain(IDCARD_CHECK, &info, true, msg, sizeof msg);
	ck_assert_str_eq(msg, "身份证号码校验位错误，应为 X");
	idcard_explain(IDCARD_CHECK, &info, false, msg, sizeof msg);
	ck_assert_str_eq(msg, "ID number: check digit wrong, should be X");
	/* Two digits swapped by a fast typist are caught. */
	info = expect("510102197511234751", IDCARD_CHECK);
	ck_assert_int_eq(info.expected_check, '8');
}
END_TEST

START_TEST(check_char_follows_mod_11_2)
{
	ck_assert_int_eq(idcard_check_char("11010519491231002"), 'X');
	ck_assert_int_eq(idcard_check_char("44052418800101001"), '4');
	ck_assert_int_eq(idcard_check_char("4405241880010100A"), '\0');
}
END_TEST

START_TEST(every_reason_has_a_chinese_and_an_english_message)
{
	for (int w = IDCARD_OK; w <= IDCARD_CHECK; w++) {
		const char *zh = idcard_error_text((enum idcard_error)w, true);
		const char *en = idcard_error_text((enum idcard_error)w, false);

		ck_assert(zh != NULL && en != NULL && strcmp(zh, en) != 0);
		ck_assert(strstr(zh, "身份证") != NULL);
	}
	ck_assert_ptr_nonnull(idcard_error_text((enum idcard_error)99, true));
}
END_TEST

START_TEST(mask_keeps_first_and_last_four)
{
	char *m = idcard_mask("11010519491231002X");

	ck_assert_str_eq(m, "1101**********002X");
	free(m);
	m = idcard_mask("12345678");
	ck_assert_str_eq(m, "********");
	free(m);
	m = idcard_mask("");
	ck_assert_str_eq(m, "");
	free(m);
	/* Counting characters: a Chinese character is masked as one star. */
	m = idcard_mask("1234中文中文5678");
	ck_assert_str_eq(m, "1234****5678");
	free(m);
	ck_assert_ptr_null(idcard_mask(NULL));
}
END_TEST

/* ---- the region table (data/regions.tsv) ---- */

static struct region_table *regions;

static void load_regions(void)
{
	const char *root = getenv("TONGBAN_SRCDIR");
	char path[4096];
	struct err e = {0};

	snprintf(path, sizeof path, "%s/data/regions.tsv", root != NULL ? root : ".");
	regions = region_load(path, &e);
	ck_assert_msg(regions != NULL, "%s", e.msg);
}

static void free_regions(void)
{
	region_free(regions);
	regions = NULL;
}

/* A valid number of the 6-digit region code, born 1980-01-01. */
static const char *number_of(const char *region)
{
	static char n[IDCARD_LEN + 1];

	snprintf(n, sizeof n, "%.6s19800101123", region);
	n[17] = idcard_check_char(n);
	n[18] = '\0';
	return n;
}

static enum idcard_error check_with_regions(const char *s)
{
	enum idcard_error why = IDCARD_OK;
	int rc = idcard_check_regions(s, &today, regions, NULL, &why);

	ck_assert_int_eq(rc, why == IDCARD_OK ? 0 : -1);
	return why;
}

START_TEST(bundled_table_has_every_province_and_names_prefectures)
{
	static const char *const provinces[] = {
	    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
	    "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
	    "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"};
	char code[7], where[128];

	for (size_t i = 0; i < sizeof provinces / sizeof provinces[0]; i++) {
		snprintf(code, sizeof code, "%s0000", provinces[i]);
		ck_assert_msg(region_name(regions, code) != NULL, "%s missing", code);
		ck_assert_str_eq(region_name(regions, code), idcard_province_name(code));
	}
	ck_assert_str_eq(region_name(regions, "330100"), "杭州市");
	ck_assert_str_eq(region_name(regions, "440300"), "深圳市");
	ck_assert_str_eq(region_name(regions, "540100"), "拉萨市");
	ck_assert_ptr_null(region_name(regions, "330199"));
	ck_assert_ptr_null(region_name(regions, "330106")); /* counties are not kept */
	ck_assert_str_eq(region_describe(regions, "330106", where, sizeof where), "浙江省杭州市");
	ck_assert_str_eq(region_describe(regions, "110105", where, sizeof where), "北京市");
	ck_assert_str_eq(region_describe(regions, "339906", where, sizeof where), "浙江省");
	ck_assert_ptr_null(region_describe(regions, "990000", where, sizeof where));
	ck_assert_str_eq(where, "");
	ck_assert_uint_gt(region_count(regions), 34 + 300);
}
END_TEST

START_TEST(known_prefectures_pass_with_the_table)
{
	ck_assert_int_eq(check_with_regions("11010519491231002X"), IDCARD_OK);
	ck_assert_int_eq(check_with_regions(number_of("110228")), IDCARD_OK); /* 密云县 */
	ck_assert_int_eq(check_with_regions(number_of("500101")), IDCARD_OK);
	ck_assert_int_eq(check_with_regions(number_of("540102")), IDCARD_OK);
	ck_assert_int_eq(check_with_regions(number_of("542301")), IDCARD_OK); /* 日喀则地区 */
	ck_assert_int_eq(check_with_regions(number_of("152701")), IDCARD_OK); /* 伊克昭盟 */
	ck_assert_int_eq(check_with_regions(number_of("810000")), IDCARD_OK);
	ck_assert_int_eq(check_with_regions(number_of("830000")), IDCARD_OK);
}
END_TEST

START_TEST(unknown_prefecture_of_a_completely_listed_province_is_refused)
{
	struct idcard_info info;
	enum idcard_error why = IDCARD_OK;
	char msg[256];

	ck_assert_int_eq(idcard_check_regions(number_of("549901"), &today, regions, &info, &why),
	                 -1);
	ck_assert_int_eq(why, IDCARD_PREFECTURE);
	idcard_explain(why, &info, true, msg, sizeof msg);
	ck_assert_str_eq(msg, "身份证号码前四位不是已知的地市级行政区划代码（5499，西藏自治区）");
	idcard_explain(why, &info, false, msg, sizeof msg);
	ck_assert_str_eq(msg, "ID number: the first four digits are not a known prefecture code "
	                      "(5499, 西藏自治区)");
	ck_assert_int_eq(check_with_regions(number_of("110301")), IDCARD_PREFECTURE);
	ck_assert_int_eq(check_with_regions(number_of("310301")), IDCARD_PREFECTURE);
	ck_assert_int_eq(check_with_regions(number_of("500401")), IDCARD_PREFECTURE);
	/* The province code itself is no prefecture. */
	ck_assert_int_eq(check_with_regions(number_of("540001")), IDCARD_PREFECTURE);
	/* Without the table the same number passes. */
	ck_assert_int_eq(idcard_check(number_of("549901"), &today, NULL, &why), 0);
}
END_TEST

START_TEST(provinces_not_listed_completely_keep_the_province_check)
{
	/* 3399 is no prefecture of 浙江, but 浙江 carries no "complete" flag. */
	ck_assert_int_eq(check_with_regions(number_of("339901")), IDCARD_OK);
	ck_assert_int_eq(check_with_regions(number_of("990101")), IDCARD_REGION);
}
END_TEST

START_TEST(prefecture_is_reported_before_birth_date_and_check_digit)
{
	ck_assert_int_eq(check_with_regions("549901198002301230"), IDCARD_PREFECTURE);
	ck_assert_int_eq(check_with_regions("549901198001011230"), IDCARD_PREFECTURE);
	ck_assert_int_eq(check_with_regions("5499011980010112"), IDCARD_LENGTH);
	ck_assert_int_eq(check_with_regions("540102198002301230"), IDCARD_BIRTH_INVALID);
}
END_TEST

static struct region_table *parse(const char *text, struct err *e)
{
	return region_parse(text, strlen(text), "regions.tsv", e);
}

START_TEST(malformed_region_files_are_refused_naming_the_line)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"110000\t北京市\n11010\t市辖区\n", "regions.tsv:2: the code must have six digits"},
	    {"110000\n", "regions.tsv:1: expected code"},
	    {"# c\n110000\t北京市\n110105\t朝阳区\n", "regions.tsv:3: only province"},
	    {"110000\t\n", "regions.tsv:1: the name is empty"},
	    {"110000\t北京市\thistoric\n", "regions.tsv:1: the flag of a province"},
	    {"110000\t北京市\n110100\t市辖区\tcomplete\n", "regions.tsv:2: the flag of a pref"},
	    {"110000\t北京市\n110000\t北京\n", "regions.tsv:2: the code appears twice"},
	    {"110100\t市辖区\n", "regions.tsv: 110100: no province 110000"},
	    {"# nothing\n\n", "regions.tsv: no region codes"},
	    {"110000\t北京市\ta\tb\n", "regions.tsv:1: expected code"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct err e = {0};

		ck_assert_ptr_null(parse(cases[i].text, &e));
		ck_assert_msg(strncmp(e.msg, cases[i].want, strlen(cases[i].want)) == 0,
		              "case %zu: %s", i, e.msg);
	}
}
END_TEST

START_TEST(crlf_comments_and_a_missing_final_newline_are_fine)
{
	struct err e = {0};
	struct region_table *t = parse("# x\r\n110000\t北京市\tcomplete\r\n\r\n110100\t市辖区", &e);

	ck_assert_msg(t != NULL, "%s", e.msg);
	ck_assert_uint_eq(region_count(t), 2);
	ck_assert_str_eq(region_name(t, "110100"), "市辖区");
	region_free(t);
	ck_assert_ptr_null(region_load("/nonexistent/regions.tsv", &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "/nonexistent/regions.tsv"));
}
END_TEST

static Suite *idcard_suite(void)
{
	Suite *s = suite_create("idcard");
	TCase *tc = tcase_create("idcard");
	TCase *rt = tcase_create("regions");

	tcase_add_test(tc, well_known_sample_is_valid_and_says_who);
	tcase_add_test(tc, valid_numbers_from_several_provinces);
	tcase_add_test(tc, residence_permits_of_hong_kong_macao_taiwan_are_valid);
	tcase_add_test(tc, lowercase_x_is_accepted_and_normalised);
	tcase_add_test(tc, empty_input_asks_for_a_number);
	tcase_add_test(tc, wrong_length_says_how_many_were_typed);
	tcase_add_test(tc, letters_and_full_width_digits_are_refused_at_their_position);
	tcase_add_test(tc, unknown_province_code_is_refused);
	tcase_add_test(tc, february_30th_is_no_date_of_birth);
	tcase_add_test(tc, birth_before_1900_is_refused);
	tcase_add_test(tc, birth_after_today_is_refused_but_today_is_not);
	tcase_add_test(tc, wrong_check_digit_names_the_right_one);
	tcase_add_test(tc, check_char_follows_mod_11_2);
	tcase_add_test(tc, every_reason_has_a_chinese_and_an_english_message);
	tcase_add_test(tc, mask_keeps_first_and_last_four);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(rt, load_regions, free_regions);
	tcase_add_test(rt, bundled_table_has_every_province_and_names_prefectures);
	tcase_add_test(rt, known_prefectures_pass_with_the_table);
	tcase_add_test(rt, unknown_prefecture_of_a_completely_listed_province_is_refused);
	tcase_add_test(rt, provinces_not_listed_completely_keep_the_province_check);
	tcase_add_test(rt, prefecture_is_reported_before_birth_date_and_check_digit);
	tcase_add_test(rt, malformed_region_files_are_refused_naming_the_line);
	tcase_add_test(rt, crlf_comments_and_a_missing_final_newline_are_fine);
	suite_add_tcase(s, rt);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	SRunner *sr = srunner_create(idcard_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
