/* tests/unit/test_utf8.c - decoding, validity and display width. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/util.h"

START_TEST(valid_and_invalid_sequences)
{
	ck_assert(utf8_is_valid("张三丰", strlen("张三丰")));
	ck_assert(utf8_is_valid("abc", 3));
	ck_assert(!utf8_is_valid("\xC0\xAF", 2));         /* overlong '/' */
	ck_assert(!utf8_is_valid("\xED\xA0\x80", 3));     /* surrogate */
	ck_assert(!utf8_is_valid("\xE5\xBC", 2));         /* truncated 张 */
	ck_assert(!utf8_is_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
}
END_TEST

START_TEST(round_trip_encode_decode)
{
	uint32_t cps[] = {'A', 0xB7, 0x5F20, 0x20000};
	size_t i;

	for (i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		char buf[4];
		uint32_t back;
		size_t n = utf8_encode(cps[i], buf);

		ck_assert_uint_eq(utf8_decode(buf, n, &back), n);
		ck_assert_uint_eq(back, cps[i]);
	}
}
END_TEST

START_TEST(widths_of_names)
{
	ck_assert_int_eq(utf8_width("张三丰"), 6);
	ck_assert_int_eq(utf8_width("abc"), 3);
	ck_assert_int_eq(utf8_width("阿依古丽·买买提"), 15); /* the middle dot is narrow */
	ck_assert_int_eq(utf8_cp_width(0x20000), 2);         /* rare name character, ext. B */
	ck_assert_int_eq(utf8_cp_width(0x0301), 0);          /* combining accent */
	ck_assert_uint_eq(utf8_count("张三丰abc"), 6);
}
END_TEST

START_TEST(str_copy_never_splits_a_character)
{
	char buf[5];

	/* 张 is 3 bytes: "张三" needs 7, the buffer holds 4 bytes + NUL */
	ck_assert_uint_eq(str_copy(buf, sizeof buf, "张三"), 3);
	ck_assert_str_eq(buf, "张");
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("utf8");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, valid_and_invalid_sequences);
	tcase_add_test(tc, round_trip_encode_decode);
	tcase_add_test(tc, widths_of_names);
	tcase_add_test(tc, str_copy_never_splits_a_character);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
