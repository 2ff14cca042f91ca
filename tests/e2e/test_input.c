/*
 * tests/e2e/test_input.c - what card readers, terminals and pastes send,
 * typed through the real tongban in a pseudo-terminal into the login
 * screen's clerk-ID box: a bad byte is dropped and said, never the
 * characters after it; a hall whose readers send GB18030 is read as such;
 * a paste types no keys.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "tbcheck.h"
#include "tbserver.h"
#include "term.h"
#include "tmpdir.h"

#define WAIT_MS 15000

/* What the terminal sends around a paste in bracketed-paste mode. */
#define PASTE(s) "\033[200~" s "\033[201~"

static struct tbserver *srv;
static char *dir, db[512];

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	dir = harness_tmpdir("tongban-input", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	snprintf(db, sizeof db, "%s/client.db", dir);
}

static void teardown(void)
{
	tbserver_free(srv);
	harness_tmpdir_remove(dir);
	free(dir);
}

/* The hall's settings are json (in this test's directory). */
static void use_settings(const char *json)
{
	char path[600];
	struct err e = {0};

	snprintf(path, sizeof path, "%s/config.json", dir);
	ck_assert_msg(harness_write_file(path, json, strlen(json), &e) == 0, "%s", e.msg);
	ck_assert_int_eq(setenv("TONGBAN_CONFIG", path, 1), 0);
}

/* tongban on its login screen. */
static struct term *start_tui(const char *lang)
{
	struct term *t = tbcheck_tongban(db, tbserver_url(srv), lang, 24, 100);

	tbcheck_expect(t, strcmp(lang, "C") == 0 ? "Clerk:" : "工号：");
	return t;
}

static void send_raw(struct term *t, const char *bytes)
{
	ck_assert_int_eq(term_send_bytes(t, bytes, strlen(bytes)), 0);
}

/* The row of the clerk-ID box. */
static int clerk_row(struct term *t)
{
	int row = -1;

	ck_assert(term_find(t, "工号：", &row, NULL) || term_find(t, "Clerk:", &row, NULL));
	return row;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait up to WAIT_MS until the clerk-ID box holds text; else fail the test. */
static void expect_clerk_id(struct term *t, const char *text)
{
	long long end = now_ms() + WAIT_MS;
	char *line;

	tbcheck_expect(t, text);
	for (;;) {
		line = term_line(t, clerk_row(t));
		if (strstr(line, text) != NULL || now_ms() >= end)
			break;
		free(line);
		term_pump(t, 50);
	}
	ck_assert_msg(strstr(line, text) != NULL, "clerk-ID row is '%s', not '%s'", line, text);
	free(line);
}

/* The cursor is in the clerk-ID box (not in the password box). */
static void expect_focus_on_clerk_id(struct term *t)
{
	int row = -1;

	term_cursor(t, &row, NULL);
	ck_assert_int_eq(row, clerk_row(t));
}

/* The cursor is on the row of the field labelled label. */
static void expect_focus_on(struct term *t, const char *label)
{
	int row = -1, at = -2;

	ck_assert(term_find(t, label, &at, NULL));
	term_cursor(t, &row, NULL);
	ck_assert_int_eq(row, at);
}

static void quit(struct term *t)
{
	term_send(t, TERM_KEY_F10);
	ck_assert_int_eq(term_wait_exit(t, WAIT_MS, NULL), 0);
	term_close(t);
}

START_TEST(a_bad_byte_is_dropped_said_and_the_rest_is_kept)
{
	struct term *t = start_tui("C.UTF-8");

	send_raw(t, "\x41\x42\xff\x43\x44");
	expect_clerk_id(t, "ABCD");
	tbcheck_expect(t, "已忽略 1 个无效的输入字节（0xFF）：读卡器或终端的编码不是 UTF-8？");
	/* typing goes on in the same box */
	term_send(t, "e");
	expect_clerk_id(t, "ABCDe");
	expect_focus_on_clerk_id(t);
	quit(t);
}
END_TEST

START_TEST(the_bad_input_message_in_english)
{
	struct term *t = start_tui("C");

	send_raw(t, "AB\xff\xfe"
	            "CD");
	expect_clerk_id(t, "ABCD");
	tbcheck_expect(t, "ignored 2 invalid input bytes (the first 0xFF): is the reader or "
	                  "terminal not sending UTF-8?");
	quit(t);
}
END_TEST

START_TEST(a_character_cut_short_is_dropped_after_a_moment)
{
	struct term *t = start_tui("C.UTF-8");

	/* the first two bytes of 张, and then nothing */
	send_raw(t, "x\xE5\xBC");
	tbcheck_expect(t, "已忽略 2 个无效的输入字节（首个 0xE5）");
	send_raw(t, "y\xE5\xBC\xA0");
	expect_clerk_id(t, "xy张");
	quit(t);
}
END_TEST

START_TEST(a_hall_with_gb18030_readers_reads_gb18030)
{
	struct term *t;

	use_settings("{\"input_encoding\": \"gb18030\"}");
	t = start_tui("C.UTF-8");
	send_raw(t, "\xD5\xC5\xC8\xFD");
	expect_clerk_id(t, "张三");
	ck_assert_int_eq(term_find(t, "无效", NULL, NULL), 0);
	/* UTF-8 from such a reader is not text: said, with the encoding expected */
	send_raw(t, "\xFF");
	tbcheck_expect(t, "编码不是 GB18030？");
	quit(t);
}
END_TEST

START_TEST(gbk_is_read_as_gb18030)
{
	struct term *t;

	use_settings("{\"input_encoding\": \"GBK\"}");
	t = start_tui("C.UTF-8");
	send_raw(t, "\xD5\xC5\xC8\xFD");
	expect_clerk_id(t, "张三");
	quit(t);
}
END_TEST

START_TEST(an_unknown_input_encoding_is_shown_on_the_home_screen)
{
	struct term *t;

	use_settings("{\"input_encoding\": \"big5\"}");
	t = start_tui("C.UTF-8");
	/* the keys still work, in UTF-8 */
	term_send(t, "demo" TERM_KEY_TAB "demo123" TERM_KEY_ENTER);
	tbcheck_expect(t, "工作人员：王小明");
	tbcheck_expect(t, "config.json: input_encoding: must be \"utf-8\" or \"gb18030\"");
	quit(t);
}
END_TEST

/* tongban with pasted in the clerk-ID box, shown there as shown, the focus
 * still on the box. */
static struct term *paste_clerk_id(const char *pasted, const char *shown)
{
	struct term *t = start_tui("C.UTF-8");

	send_raw(t, pasted);
	expect_clerk_id(t, shown);
	expect_focus_on_clerk_id(t);
	return t;
}

START_TEST(a_pasted_line_break_is_a_space_and_not_enter)
{
	struct term *t = paste_clerk_id(PASTE("ab\rcd"), "ab cd");

	term_send(t, "x");
	expect_clerk_id(t, "ab cdx");
	/* a typed Enter is still Enter: on to the password box */
	term_send(t, TERM_KEY_ENTER "pw");
	tbcheck_expect(t, "**");
	ck_assert_int_ne(term_find(t, "ab cdx", NULL, NULL), 0);
	quit(t);
}
END_TEST

START_TEST(ctrl_a_inside_a_paste_is_not_home)
{
	struct term *t = paste_clerk_id(PASTE("王\x01五"), "王五");

	/* typed, Ctrl-A is Home */
	term_send(t, TERM_KEY_CTRL('a'));
	term_send(t, "六");
	expect_clerk_id(t, "六王五");
	quit(t);
}
END_TEST

START_TEST(a_paste_that_never_ends_ends_by_itself)
{
	struct term *t = paste_clerk_id("\033[200~ab\r", "ab");

	/* after a second of silence the keys are keys again */
	term_wait_quiet(t, 1500, WAIT_MS);
	send_raw(t, "c\x01"
	            "d");
	expect_clerk_id(t, "dab c");
	quit(t);
}
END_TEST

/* Logged in, a new intake of 建筑垃圾处置许可, the focus on the name. */
static struct term *intake(void)
{
	struct term *t = start_tui("C.UTF-8");

	term_send(t, "demo" TERM_KEY_TAB "demo123" TERM_KEY_ENTER);
	tbcheck_expect(t, "工作人员：王小明");
	term_send(t, TERM_KEY_F2 "jzlj" TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	return t;
}

/* The intake form's row of the field labelled label, as shown. */
static char *field_line(struct term *t, const char *label)
{
	int row = -1;

	ck_assert_msg(term_find(t, label, &row, NULL), "no field %s", label);
	return term_line(t, row);
}

static void back_home_and_quit(struct term *t)
{
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "[F2] 新建收件");
	quit(t);
}

/* A pasted address with line breaks stays in its field: the breaks are
 * spaces, nothing moves to the next field, nothing is submitted. */
START_TEST(a_pasted_newline_in_a_form_never_moves_on)
{
	struct term *t = intake();
	char *line;

	send_raw(t, PASTE("王\r\n五"));
	tbcheck_expect(t, "王 五");
	term_wait_quiet(t, 200, WAIT_MS);
	line = field_line(t, "申请人姓名");
	ck_assert_msg(strstr(line, "王 五") != NULL, "%s", line);
	free(line);
	expect_focus_on(t, "申请人姓名");
	back_home_and_quit(t);
}
END_TEST

/* A paste longer than its field (20 characters into the 18 of an ID
 * number): the field keeps what fits and says the paste was cut; and a
 * 12-digit paste into the mobile box stays there (a typed 11th digit moves on
 * by itself, a paste never does), so nothing spills into the next field. */
START_TEST(a_cut_paste_says_so_and_never_spills_over)
{
	struct term *t = intake();
	char *line;

	term_send(t, "张三" TERM_KEY_TAB TERM_KEY_TAB);
	send_raw(t, PASTE(TB_ID_NUMBER "99"));
	tbcheck_expect(t, "已截去 2 个字");
	tbcheck_expect(t, TB_ID_NUMBER);
	expect_focus_on(t, "证件号码");
	term_send(t, TERM_KEY_TAB);
	send_raw(t, PASTE("138001380009"));
	tbcheck_expect(t, "138001380009");
	expect_focus_on(t, "联系电话");
	line = field_line(t, "联系地址");
	ck_assert_msg(strstr(line, "9") == NULL, "spilled into the address: %s", line);
	free(line);
	back_home_and_quit(t);
}
END_TEST

/* A lowercase check letter is shown, checked and kept as a capital. */
START_TEST(a_lowercase_check_letter_is_a_capital)
{
	struct term *t = intake();
	char *line, sql[700];

	term_send(t, "张三" TERM_KEY_TAB TERM_KEY_TAB "11010519491231002x");
	tbcheck_expect(t, "11010519491231002X");
	line = field_line(t, "证件号码");
	ck_assert_msg(strstr(line, "002x") == NULL, "%s", line);
	free(line);
	back_home_and_quit(t);
	snprintf(sql, sizeof sql, "sqlite3 '%s' \"SELECT body FROM drafts\" | grep -c 002X", db);
	ck_assert_int_eq(system(sql), 0);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("input e2e");
	TCase *tc = tcase_create("input");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_bad_byte_is_dropped_said_and_the_rest_is_kept);
	tcase_add_test(tc, the_bad_input_message_in_english);
	tcase_add_test(tc, a_character_cut_short_is_dropped_after_a_moment);
	tcase_add_test(tc, a_hall_with_gb18030_readers_reads_gb18030);
	tcase_add_test(tc, gbk_is_read_as_gb18030);
	tcase_add_test(tc, an_unknown_input_encoding_is_shown_on_the_home_screen);
	tcase_add_test(tc, a_pasted_line_break_is_a_space_and_not_enter);
	tcase_add_test(tc, ctrl_a_inside_a_paste_is_not_home);
	tcase_add_test(tc, a_paste_that_never_ends_ends_by_itself);
	tcase_add_test(tc, a_pasted_newline_in_a_form_never_moves_on);
	tcase_add_test(tc, a_cut_paste_says_so_and_never_spills_over);
	tcase_add_test(tc, a_lowercase_check_letter_is_a_capital);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
