/*
 * test_uscc.c - 统一社会信用代码 checks (GB 32100-2015): the alphabet, the
 * registration department, the division code and the MOD 31 check character.
 */
#include "core/i18n.h"
#include "core/uscc.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static struct uscc_info expect(const char *s, enum uscc_error want)
{
	struct uscc_info info;
	enum uscc_error why = USCC_OK;
	int rc = uscc_check(s, &info, &why);

	ck_assert_msg(why == want, "%s: got %d (%s), want %d", s, why, uscc_error_text(why, false),
	              want);
	ck_assert_int_eq(rc, want == USCC_OK ? 0 : -1);
	return info;
}

START_TEST(published_sample_is_valid_and_split_into_its_parts)
{
	struct uscc_info info = expect("91350100M000100Y43", USCC_OK);

	ck_assert_str_eq(info.code, "91350100M000100Y43");
	ck_assert_int_eq(info.dept, '9');
	ck_assert_int_eq(info.kind, '1');
	ck_assert_str_eq(info.region, "350100");
	ck_assert_str_eq(info.org_code, "M000100Y4");
	ck_assert_str_eq(uscc_dept_name(info.dept), "工商");
}
END_TEST

START_TEST(codes_of_every_kind_of_registrar_are_valid)
{
	expect("91110000802100433B", USCC_OK); /* 工商: enterprise */
	expect("11100000000013127D", USCC_OK); /* 机构编制: government body */
	expect("52100000500021676N", USCC_OK); /* 民政: private non-enterprise */
	expect("51110000500000125J", USCC_OK); /* 民政: social organisation */
	expect("92440300MA5F12345Y", USCC_OK); /* 工商: individual business */
	expect("Y1440300MA5F00000H", USCC_OK); /* 其他 */
	expect("93330100MA2AAAAAA4", USCC_OK); /* 工商: farmers' cooperative */
}
END_TEST

START_TEST(check_character_zero_when_sum_is_a_multiple_of_31)
{
	/* 31 - 0 = 31 maps to '0': find a body whose check is '0' and verify it. */
	static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	char code[USCC_LEN + 1] = "91350100M00010000";
	int found = 0;

	/* Weight 28 is prime to 31: exactly one last body character gives '0'. */
	for (const char *c = alphabet; *c != '\0' && !found; c++) {
		code[16] = *c;
		if (uscc_check_char(code) == '0')
			found = 1;
	}
	ck_assert(found);
	code[17] = '0';
	code[18] = '\0';
	expect(code, USCC_OK);
}
END_TEST

START_TEST(lowercase_is_accepted_and_normalised)
{
	struct uscc_info info = expect("91350100m000100y43", USCC_OK);

	ck_assert_str_eq(info.code, "91350100M000100Y43");
}
END_TEST

START_TEST(empty_and_wrong_length_are_refused)
{
	char msg[256];
	struct uscc_info info;

	expect("", USCC_EMPTY);
	expect(NULL, USCC_EMPTY);
	info = expect("91350100M000100Y4", USCC_LENGTH);
	uscc_explain(USCC_LENGTH, &info, true, msg, sizeof msg);
	ck_assert_str_eq(msg, "统一社会信用代码应为18位，现为17位");
	/* A 9-character organisation code alone is not a credit code. */
	expect("M000100Y4", USCC_LENGTH);
}
END_TEST

START_TEST(letters_i_o_s_v_z_are_not_in_the_alphabet)
{
	static const char *bad[] = {"91350100I000100Y43", "91350100O000100Y43",
	                            "91350100S000100Y43", "91350100V000100Y43",
	                            "91350100Z000100Y43", "91350100-000100Y43"};
	struct uscc_info info;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		info = expect(bad[i], USCC_CHARS);
		ck_assert_int_eq(info.bad_pos, 9);
	}
	ck_assert_int_eq(uscc_check_char("91350100O000100Y4"), '\0');
}
END_TEST

START_TEST(unknown_registration_department_is_refused)
{
	char msg[256];
	struct uscc_info info = expect("B1350100M000100Y43", USCC_DEPT);

	uscc_explain(USCC_DEPT, &info, false, msg, sizeof msg);
	ck_assert_str_eq(msg, "credit code: the first character is not a registration department "
	                      "code ('B')");
	expect("01350100M000100Y43", USCC_DEPT);
	ck_assert_ptr_null(uscc_dept_name('0'));
	ck_assert_str_eq(uscc_dept_name('5'), "民政");
}
END_TEST

START_TEST(division_code_must_be_digits)
{
	expect("913501A0M000100Y43", USCC_REGION);
	ck_assert_str_eq(uscc_error_text(USCC_REGION, true),
	                 "统一社会信用代码第3至8位应为行政区划代码（数字）");
}
END_TEST

START_TEST(wrong_check_character_names_the_right_one)
{
	char msg[256];
	struct uscc_info info = expect("91350100M000100Y44", USCC_CHECK);

	ck_assert_int_eq(info.expected_check, '3');
	uscc_explain(USCC_CHECK, &info, true, msg, sizeof msg);
	ck_assert_str_eq(msg, "统一社会信用代码校验位错误，应为 3");
	uscc_explain(USCC_CHECK, &info, false, msg, sizeof msg);
	ck_assert_str_eq(msg, "credit code: check character wrong, should be 3");
	/* Two neighbours swapped. */
	expect("91351000M000100Y43", USCC_CHECK);
}
END_TEST

START_TEST(every_reason_has_a_chinese_and_an_english_message)
{
	for (int w = USCC_OK; w <= USCC_CHECK; w++) {
		const char *zh = uscc_error_text((enum uscc_error)w, true);
		const char *en = uscc_error_text((enum uscc_error)w, false);

		ck_assert(zh != NULL && en != NULL && strcmp(zh, en) != 0);
		ck_assert(strstr(zh, "统一社会信用代码") != NULL);
	}
}
END_TEST

static Suite *uscc_suite(void)
{
	Suite *s = suite_create("uscc");
	TCase *tc = tcase_create("uscc");

	tcase_add_test(tc, published_sample_is_valid_and_split_into_its_parts);
	tcase_add_test(tc, codes_of_every_kind_of_registrar_are_valid);
	tcase_add_test(tc, check_character_zero_when_sum_is_a_multiple_of_31);
	tcase_add_test(tc, lowercase_is_accepted_and_normalised);
	tcase_add_test(tc, empty_and_wrong_length_are_refused);
	tcase_add_test(tc, letters_i_o_s_v_z_are_not_in_the_alphabet);
	tcase_add_test(tc, unknown_registration_department_is_refused);
	tcase_add_test(tc, division_code_must_be_digits);
	tcase_add_test(tc, wrong_check_character_names_the_right_one);
	tcase_add_test(tc, every_reason_has_a_chinese_and_an_english_message);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	SRunner *sr = srunner_create(uscc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
