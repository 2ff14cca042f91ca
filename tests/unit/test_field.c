/* tests/unit/test_field.c - the field editor keeps characters whole. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/field.h"

static struct field_edit f;

static void setup(void)
{
	field_init(&f, 0);
}

static void teardown(void)
{
	field_free(&f);
}

static void expect_text(const char *want)
{
	char *got = field_text(&f);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(chinese_is_one_character_of_width_two)
{
	field_set(&f, "张三丰");
	ck_assert_uint_eq(f.len, 3);
	ck_assert_int_eq(field_width(&f), 6);
	ck_assert_uint_eq(f.cursor, 3);
	expect_text("张三丰");
}
END_TEST

START_TEST(backspace_removes_a_whole_character)
{
	field_set(&f, "张三丰");
	field_backspace(&f);
	expect_text("张三");
	field_home(&f);
	field_delete(&f);
	expect_text("三");
}
END_TEST

START_TEST(insert_in_the_middle_and_overwrite)
{
	field_set(&f, "张丰");
	field_left(&f);
	field_insert(&f, 0x4E09); /* 三 */
	expect_text("张三丰");
	f.overwrite = true;
	field_home(&f);
	field_insert(&f, 0x674E); /* 李 */
	expect_text("李三丰");
	ck_assert_uint_eq(f.len, 3);
}
END_TEST

START_TEST(maxlen_refuses_more_characters)
{
	struct field_edit g;
	int i;

	field_init(&g, 18);
	for (i = 0; i < 20; i++)
		field_insert(&g, '1');
	ck_assert_uint_eq(g.len, 18);
	ck_assert(field_is_full(&g));
	field_free(&g);
}
END_TEST

START_TEST(control_characters_are_refused)
{
	ck_assert(!field_insert(&f, '\n'));
	ck_assert(!field_insert(&f, 0x1B));
	ck_assert(!field_insert(&f, 0x200B)); /* zero-width space */
	ck_assert(!field_insert(&f, 0x202E)); /* right-to-left override */
	ck_assert_uint_eq(f.len, 0);
}
END_TEST

START_TEST(word_moves_stop_at_spaces)
{
	field_set(&f, "abc def 张三");
	field_word_left(&f);
	ck_assert_uint_eq(f.cursor, 8);
	field_word_left(&f);
	ck_assert_uint_eq(f.cursor, 4);
	field_home(&f);
	field_word_right(&f);
	ck_assert_uint_eq(f.cursor, 4);
}
END_TEST

START_TEST(scrolling_never_splits_a_wide_character)
{
	int col, box = 7, i;

	/* ten CJK characters (20 columns) in a 7-column box */
	for (i = 0; i < 10; i++)
		field_insert(&f, 0x4E00 + (uint32_t)i);
	col = field_layout(&f, box);
	ck_assert_int_le(col, box - 1);
	/* the visible span from scroll to cursor is whole characters within the box */
	ck_assert_int_eq(col, (int)(f.cursor - f.scroll) * 2);
	field_home(&f);
	col = field_layout(&f, box);
	ck_assert_uint_eq(f.scroll, 0);
	ck_assert_int_eq(col, 0);
}
END_TEST

START_TEST(clear_empties_the_field)
{
	field_set(&f, "张三丰");
	field_clear(&f);
	ck_assert_uint_eq(f.len, 0);
	ck_assert_uint_eq(f.cursor, 0);
	expect_text("");
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("field");
	TCase *tc = tcase_create("edit");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, chinese_is_one_character_of_width_two);
	tcase_add_test(tc, backspace_removes_a_whole_character);
	tcase_add_test(tc, insert_in_the_middle_and_overwrite);
	tcase_add_test(tc, maxlen_refuses_more_characters);
	tcase_add_test(tc, control_characters_are_refused);
	tcase_add_test(tc, word_moves_stop_at_spaces);
	tcase_add_test(tc, scrolling_never_splits_a_wide_character);
	tcase_add_test(tc, clear_empties_the_field);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
