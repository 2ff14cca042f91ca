/*
 * test_phone.c - telephone numbers as clerks type them: mobiles, landlines
 * with area codes (with or without '-'), extensions, and each mistake.
 */
#include "core/i18n.h"
#include "core/phone.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static struct phone_info expect(const char *s, enum phone_error want)
{
	struct phone_info info;
	enum phone_error why = PHONE_OK;
	int rc;

	memset(&info, 0, sizeof info);
	rc = phone_check(s, &info, &why);
	ck_assert_msg(why == want, "%s: got %d (%s), want %d", s, why, phone_error_text(why, false),
	              want);
	ck_assert_int_eq(rc, want == PHONE_OK ? 0 : -1);
	return info;
}

START_TEST(mobile_numbers_of_every_carrier_prefix_are_valid)
{
	struct phone_info info = expect("13812345678", PHONE_OK);

	ck_assert_int_eq(info.kind, PHONE_MOBILE);
	ck_assert_str_eq(info.number, "13812345678");
	ck_assert_str_eq(info.area, "");
	for (char c = '3'; c <= '9'; c++) {
		char num[12] = "10012345678";

		num[1] = c;
		expect(num, PHONE_OK);
	}
}
END_TEST

START_TEST(mobile_with_wrong_second_digit_is_refused)
{
	expect("12812345678", PHONE_MOBILE_PREFIX);
	expect("11012345678", PHONE_MOBILE_PREFIX);
	ck_assert_str_eq(phone_error_text(PHONE_MOBILE_PREFIX, true), "手机号码第2位应为3至9");
}
END_TEST

START_TEST(mobile_of_wrong_length_is_refused)
{
	expect("1381234567", PHONE_MOBILE_LENGTH);
	expect("138123456789", PHONE_MOBILE_LENGTH);
	expect("138-1234-5678", PHONE_MOBILE_LENGTH);
	ck_assert_str_eq(phone_error_text(PHONE_MOBILE_LENGTH, true), "手机号码应为11位数字");
}
END_TEST

START_TEST(landline_with_three_digit_area_code)
{
	struct phone_info info = expect("010-12345678", PHONE_OK);

	ck_assert_int_eq(info.kind, PHONE_LANDLINE);
	ck_assert_str_eq(info.area, "010");
	ck_assert_str_eq(info.number, "12345678");
	info = expect("02112345678", PHONE_OK);
	ck_assert_str_eq(info.area, "021");
	ck_assert_str_eq(info.number, "12345678");
	expect("029-8765432", PHONE_OK);
}
END_TEST

START_TEST(landline_with_four_digit_area_code)
{
	struct phone_info info = expect("0571-87654321", PHONE_OK);

	ck_assert_str_eq(info.area, "0571");
	ck_assert_str_eq(info.number, "87654321");
	info = expect("07551234567", PHONE_OK);
	ck_assert_str_eq(info.area, "0755");
	ck_assert_str_eq(info.number, "1234567");
}
END_TEST

START_TEST(landline_with_extension)
{
	struct phone_info info = expect("0571-87654321-1234", PHONE_OK);

	ck_assert_str_eq(info.extension, "1234");
	info = expect("01012345678-8", PHONE_OK);
	ck_assert_str_eq(info.area, "010");
	ck_assert_str_eq(info.extension, "8");
	expect("0571-87654321-", PHONE_EXTENSION);
	expect("0571-87654321-1234567", PHONE_EXTENSION);
	expect("0571-87654321-12-3", PHONE_EXTENSION);
}
END_TEST

START_TEST(area_code_of_wrong_length_is_refused)
{
	expect("0571-", PHONE_LOCAL_LENGTH);
	expect("057-1234567", PHONE_AREA_CODE);   /* 0xxx codes have four digits */
	expect("0210-12345678", PHONE_AREA_CODE); /* 021 has three */
	expect("00-12345678", PHONE_AREA_CODE);
	expect("008613812345678", PHONE_AREA_CODE); /* international prefix */
}
END_TEST

START_TEST(local_number_of_wrong_length_is_refused)
{
	expect("0571-123456", PHONE_LOCAL_LENGTH);
	expect("0571-123456789", PHONE_LOCAL_LENGTH);
	expect("057112345", PHONE_LOCAL_LENGTH);
	ck_assert_str_eq(phone_error_text(PHONE_LOCAL_LENGTH, true),
	                 "固定电话号码（不含区号）应为7至8位");
}
END_TEST

START_TEST(other_characters_and_prefixes_are_refused)
{
	expect("", PHONE_EMPTY);
	expect(NULL, PHONE_EMPTY);
	expect("138 1234 5678", PHONE_CHARS);
	expect("+8613812345678", PHONE_CHARS);
	expect("１３８１２３４５６７８", PHONE_CHARS);
	expect("0571-8765432l", PHONE_CHARS);
	expect("23812345678", PHONE_PREFIX);
	expect("-13812345678", PHONE_PREFIX);
}
END_TEST

START_TEST(info_is_untouched_when_invalid)
{
	struct phone_info info;

	memset(&info, 0x5a, sizeof info);
	ck_assert_int_eq(phone_check("0571-123", &info, NULL), -1);
	ck_assert_int_eq(info.area[0], 0x5a);
	ck_assert_int_eq(phone_check("13812345678", NULL, NULL), 0);
}
END_TEST

START_TEST(every_reason_has_a_chinese_and_an_english_message)
{
	for (int w = PHONE_OK; w <= PHONE_EXTENSION; w++) {
		const char *zh = phone_error_text((enum phone_error)w, true);
		const char *en = phone_error_text((enum phone_error)w, false);

		ck_assert(zh != NULL && en != NULL && strcmp(zh, en) != 0);
	}
}
END_TEST

/* phone_mask(s) is want. */
static void expect_mask(const char *s, const char *want)
{
	char *got = phone_mask(s);

	ck_assert_msg(strcmp(got, want) == 0, "%s: masked %s, want %s", s, got, want);
	free(got);
}

START_TEST(mobile_mask_keeps_the_first_3_and_the_last_4_digits)
{
	expect_mask("13800138000", "138****8000");
	expect_mask("19912345678", "199****5678");
}
END_TEST

START_TEST(landline_mask_keeps_the_area_code_and_the_last_4_digits)
{
	expect_mask("0571-88001234", "0571-****1234");
	expect_mask("057188001234", "0571****1234");
	expect_mask("010-1234567", "010-***4567");
	expect_mask("02112345678", "021****5678");
	/* the extension is masked too */
	expect_mask("010-12345678-123", "010-****5678-***");
}
END_TEST

START_TEST(other_values_keep_only_their_last_4_characters)
{
	expect_mask("+85212345678", "********5678");
	expect_mask("1380013800", "******3800"); /* a mobile one digit short */
	expect_mask("1234567", "*******");
	expect_mask("电话一二三四五六", "****三四五六");
	expect_mask("", "");
	ck_assert_ptr_null(phone_mask(NULL));
}
END_TEST

static Suite *phone_suite(void)
{
	Suite *s = suite_create("phone");
	TCase *tc = tcase_create("phone");

	tcase_add_test(tc, mobile_numbers_of_every_carrier_prefix_are_valid);
	tcase_add_test(tc, mobile_with_wrong_second_digit_is_refused);
	tcase_add_test(tc, mobile_of_wrong_length_is_refused);
	tcase_add_test(tc, landline_with_three_digit_area_code);
	tcase_add_test(tc, landline_with_four_digit_area_code);
	tcase_add_test(tc, landline_with_extension);
	tcase_add_test(tc, area_code_of_wrong_length_is_refused);
	tcase_add_test(tc, local_number_of_wrong_length_is_refused);
	tcase_add_test(tc, other_characters_and_prefixes_are_refused);
	tcase_add_test(tc, info_is_untouched_when_invalid);
	tcase_add_test(tc, every_reason_has_a_chinese_and_an_english_message);
	tcase_add_test(tc, mobile_mask_keeps_the_first_3_and_the_last_4_digits);
	tcase_add_test(tc, landline_mask_keeps_the_area_code_and_the_last_4_digits);
	tcase_add_test(tc, other_values_keep_only_their_last_4_characters);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	SRunner *sr = srunner_create(phone_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
