/*
 * test_pinyin.c - the hanzi -> pinyin table (data/pinyin.tsv) and the
 * initials matcher: "jzlj" finds 建筑垃圾, 行 answers to both x and h, and a
 * broken table line is reported with file:line.
 */
#include "core/i18n.h"
#include "core/pinyin.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

static struct pinyin_table *real_table;

static void load_real_table(void)
{
	const char *dir = getenv("TONGBAN_SRCDIR");
	char *path = xasprintf("%s/data/pinyin.tsv", dir ? dir : ".");
	struct err e = {0};

	real_table = pinyin_load(path, &e);
	ck_assert_msg(real_table != NULL, "%s", e.msg);
	free(path);
}

static void free_real_table(void)
{
	pinyin_free(real_table);
	real_table = NULL;
}

/* Parse text as file "t.tsv" expecting failure; the message must contain want. */
static void expect_parse_error(const char *text, const char *want)
{
	struct err e = {0};
	struct pinyin_table *t = pinyin_parse(text, strlen(text), "t.tsv", &e);

	ck_assert_msg(t == NULL, "parsed but should not: %s", text);
	ck_assert_msg(strstr(e.msg, want) != NULL, "error \"%s\" lacks \"%s\"", e.msg, want);
}

START_TEST(real_table_covers_the_common_ideographs)
{
	ck_assert_uint_gt(pinyin_size(real_table), 20000);
	ck_assert_ptr_nonnull(pinyin_readings_of(real_table, 0x4E00)); /* 一 */
	ck_assert_ptr_nonnull(pinyin_readings_of(real_table, 0x9F8D)); /* 龍 */
	ck_assert_ptr_nonnull(pinyin_readings_of(real_table, 0x3400)); /* Extension A */
}
END_TEST

START_TEST(initials_of_a_plain_character)
{
	char out[27];

	ck_assert_uint_eq(pinyin_initials_of(real_table, 0x5EFA, out, sizeof out), 1); /* 建 */
	ck_assert_str_eq(out, "j");
	ck_assert_str_eq(pinyin_readings_of(real_table, 0x5EFA), "jian");
}
END_TEST

START_TEST(polyphonic_characters_have_every_initial)
{
	char out[27];

	pinyin_initials_of(real_table, 0x884C, out, sizeof out); /* 行: xing, hang */
	ck_assert_str_eq(out, "hx");
	pinyin_initials_of(real_table, 0x957F, out, sizeof out); /* 长: zhang, chang */
	ck_assert_str_eq(out, "cz");
	/* the customary reading comes first */
	ck_assert(strncmp(pinyin_readings_of(real_table, 0x884C), "xing ", 5) == 0);
}
END_TEST

START_TEST(umlaut_becomes_v)
{
	ck_assert(strncmp(pinyin_readings_of(real_table, 0x7EFF), "lv", 2) == 0); /* 绿 */
}
END_TEST

START_TEST(unknown_character_has_no_initials)
{
	char out[27] = "junk";

	ck_assert_uint_eq(pinyin_initials_of(real_table, 0x20000, out, sizeof out), 0);
	ck_assert_str_eq(out, "");
	ck_assert_ptr_null(pinyin_readings_of(real_table, 'A'));
}
END_TEST

START_TEST(small_output_buffer_is_cut_not_overrun)
{
	char out[2];

	ck_assert_uint_eq(pinyin_initials_of(real_table, 0x884C, out, sizeof out), 1);
	ck_assert_str_eq(out, "h");
}
END_TEST

START_TEST(initials_find_a_run_of_characters)
{
	ck_assert(pinyin_match_initials(real_table, "建筑垃圾处置许可", "jzlj"));
	ck_assert(pinyin_match_initials(real_table, "建筑垃圾处置许可", "JZLJ"));
	ck_assert(pinyin_match_initials(real_table, "建筑垃圾处置许可", "czxk")); /* inside */
	ck_assert(pinyin_match_initials(real_table, "建筑垃圾处置许可", "jzljczxk"));
	ck_assert(!pinyin_match_initials(real_table, "建筑垃圾处置许可", "jzlx"));
	ck_assert(
	    !pinyin_match_initials(real_table, "建筑垃圾处置许可", "jlj")); /* not contiguous */
	ck_assert(!pinyin_match_initials(real_table, "建筑垃圾", "jzljc")); /* past the end */
}
END_TEST

START_TEST(polyphonic_character_matches_each_reading)
{
	ck_assert(pinyin_match_initials(real_table, "银行开户", "yhkh"));
	ck_assert(pinyin_match_initials(real_table, "银行开户", "yxkh"));
	ck_assert(!pinyin_match_initials(real_table, "银行开户", "ybkh"));
}
END_TEST

START_TEST(ascii_in_names_matches_itself_and_punctuation_is_skipped)
{
	ck_assert(pinyin_match_initials(real_table, "ICP备案", "icpba"));
	ck_assert(pinyin_match_initials(real_table, "第3类医疗器械", "d3lyl"));
	ck_assert(pinyin_match_initials(real_table, "不动产登记（变更登记）", "djbgdj"));
	ck_assert(pinyin_match_initials(real_table, "Ａ１证", "a1z")); /* full-width */
}
END_TEST

START_TEST(queries_that_are_not_initials_match_nothing)
{
	ck_assert(!pinyin_match_initials(real_table, "建筑垃圾", ""));
	ck_assert(!pinyin_match_initials(real_table, "建筑垃圾", "jz lj"));
	ck_assert(!pinyin_match_initials(real_table, "建筑垃圾", "建筑"));
	ck_assert(!pinyin_match_initials(real_table, "", "j"));
}
END_TEST

START_TEST(without_a_table_only_ascii_matches)
{
	ck_assert(!pinyin_match_initials(NULL, "建筑垃圾", "jzlj"));
	ck_assert(pinyin_match_initials(NULL, "ICP备案", "icp"));
	ck_assert_uint_eq(pinyin_size(NULL), 0);
}
END_TEST

START_TEST(comments_and_blank_lines_are_ignored)
{
	const char *text = "# header\n\nU+4E00\tyi\n# note\nU+884C\txing hang\n";
	struct err e = {0};
	struct pinyin_table *t = pinyin_parse(text, strlen(text), "t.tsv", &e);
	char out[27];

	ck_assert_msg(t != NULL, "%s", e.msg);
	ck_assert_uint_eq(pinyin_size(t), 2);
	pinyin_initials_of(t, 0x884C, out, sizeof out);
	ck_assert_str_eq(out, "hx");
	pinyin_free(t);
}
END_TEST

START_TEST(last_line_without_newline_is_read)
{
	struct err e = {0};
	struct pinyin_table *t = pinyin_parse("U+4E00\tyi", 9, "t.tsv", &e);

	ck_assert_msg(t != NULL, "%s", e.msg);
	ck_assert_str_eq(pinyin_readings_of(t, 0x4E00), "yi");
	pinyin_free(t);
}
END_TEST

START_TEST(malformed_lines_are_reported_with_file_and_line)
{
	expect_parse_error("U+5EFA jian\n", "t.tsv:1: expected a tab");
	expect_parse_error("# c\nU+4E00\tyi\nX+5EFA\tjian\n", "t.tsv:3: line must start with U+");
	expect_parse_error("U+5E\tjian\n", "t.tsv:1: code point needs 4 to 6");
	expect_parse_error("U+5efa\tjian\n", "t.tsv:1: code point needs 4 to 6");
	expect_parse_error("U+1234567\tjian\n", "t.tsv:1: code point needs 4 to 6");
	expect_parse_error("U+D800\tjian\n", "t.tsv:1: U+D800 is not a Unicode scalar value");
	expect_parse_error("U+5EFA\t\n", "t.tsv:1: no reading");
	expect_parse_error("U+5EFA\tJian\n", "t.tsv:1: readings must be lower-case");
	expect_parse_error("U+5EFA\tjiàn\n", "t.tsv:1: readings must be lower-case");
	expect_parse_error("U+884C\txing  hang\n", "t.tsv:1: readings must be lower-case");
	expect_parse_error("U+884C\txing \n", "t.tsv:1: readings must be lower-case");
	expect_parse_error("U+5EFA\tjian\r\n", "t.tsv:1: readings must be lower-case");
}
END_TEST

START_TEST(order_and_duplicates_are_checked)
{
	expect_parse_error("U+5EFA\tjian\nU+4E00\tyi\n", "t.tsv:2: U+4E00 out of order");
	expect_parse_error("U+4E00\tyi\n\nU+4E00\tyi\n", "t.tsv:3: U+4E00 listed twice");
}
END_TEST

START_TEST(missing_file_is_named)
{
	struct err e = {0};

	ck_assert_ptr_null(pinyin_load("/nonexistent/pinyin.tsv", &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "/nonexistent/pinyin.tsv"));
}
END_TEST

static Suite *pinyin_suite(void)
{
	Suite *s = suite_create("pinyin");
	TCase *real = tcase_create("real table");
	TCase *parse = tcase_create("parsing");

	tcase_add_checked_fixture(real, load_real_table, free_real_table);
	tcase_add_test(real, real_table_covers_the_common_ideographs);
	tcase_add_test(real, initials_of_a_plain_character);
	tcase_add_test(real, polyphonic_characters_have_every_initial);
	tcase_add_test(real, umlaut_becomes_v);
	tcase_add_test(real, unknown_character_has_no_initials);
	tcase_add_test(real, small_output_buffer_is_cut_not_overrun);
	tcase_add_test(real, initials_find_a_run_of_characters);
	tcase_add_test(real, polyphonic_character_matches_each_reading);
	tcase_add_test(real, ascii_in_names_matches_itself_and_punctuation_is_skipped);
	tcase_add_test(real, queries_that_are_not_initials_match_nothing);
	tcase_add_test(real, without_a_table_only_ascii_matches);
	suite_add_tcase(s, real);

	tcase_add_test(parse, comments_and_blank_lines_are_ignored);
	tcase_add_test(parse, last_line_without_newline_is_read);
	tcase_add_test(parse, malformed_lines_are_reported_with_file_and_line);
	tcase_add_test(parse, order_and_duplicates_are_checked);
	tcase_add_test(parse, missing_file_is_named);
	suite_add_tcase(s, parse);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	SRunner *sr = srunner_create(pinyin_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
