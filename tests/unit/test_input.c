/*
 * tests/unit/test_input.c - raw bytes from keyboards, card readers and
 * pastes become the right key events: bad bytes are dropped one at a time
 * and reported, GB18030 is read when set, a paste never types a key.
 *
 * Events are written as words for the assertions: a character as itself
 * (" " as SP), a pasted one with a leading "+", a typed control as ^X, a
 * function key as K<code>, a run of dropped bytes as !<count>:<first byte>,
 * the end of a paste as END.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "tbcheck.h"
#include "tui/input.h"

static struct input *in;

static void setup(void)
{
	in = input_new();
}

static void teardown(void)
{
	input_free(in);
}

static void feed_at(const char *bytes, size_t len, long long now_ms)
{
	size_t i;

	for (i = 0; i < len; i++)
		input_byte(in, (unsigned char)bytes[i], now_ms);
}

/* Every byte of s at time 0. */
static void feed(const char *s)
{
	feed_at(s, strlen(s), 0);
}

static void describe(struct buf *b, const struct input_event *ev)
{
	char u[5] = "";

	switch (ev->kind) {
	case INPUT_CHAR:
		u[utf8_encode(ev->ch, u)] = '\0';
		buf_printf(b, "%s%s", ev->pasted ? "+" : "", ev->ch == ' ' ? "SP" : u);
		break;
	case INPUT_CONTROL:
		buf_printf(b, "^%c", (char)(ev->ch == 0x7F ? '?' : ev->ch + '@'));
		break;
	case INPUT_KEY:
		buf_printf(b, "K%d", ev->key);
		break;
	case INPUT_PASTE_END:
		buf_printf(b, "END");
		break;
	case INPUT_BAD:
		buf_printf(b, "!%zu:%02X", ev->bad_count, ev->bad_first);
		break;
	}
}

/* All the events waiting, as words.  Caller frees. */
static char *events(void)
{
	struct input_event ev;
	struct buf b;
	bool first = true;

	buf_init(&b);
	buf_printf(&b, "%s", "");
	while (input_next(in, &ev)) {
		buf_printf(&b, "%s", first ? "" : " ");
		describe(&b, &ev);
		first = false;
	}
	return buf_take(&b);
}

#define expect_events(want)                                                                        \
	do {                                                                                       \
		char *got_ = events();                                                             \
		ck_assert_str_eq(got_, want);                                                      \
		free(got_);                                                                        \
	} while (0)

static void use_gb18030(void)
{
	struct err e = {0};

	ck_assert_msg(input_set_encoding(in, "GB18030", &e) == 0, "%s", e.msg);
}

/* Everything half received is over: as if a long time had passed. */
static void settle(void)
{
	input_expire(in, 1000000);
}

START_TEST(utf8_characters_and_typed_controls)
{
	feed("a张\xF0\xA0\x80\x80\x01\r\x7F");
	expect_events("a 张 𠀀 ^A ^M ^?");
	ck_assert_int_eq(input_wait_ms(in, 0), -1);
}
END_TEST

START_TEST(a_bad_byte_is_dropped_and_what_follows_is_kept)
{
	feed("AB\xff"
	     "CD");
	expect_events("A B !1:FF C D");
}
END_TEST

START_TEST(a_truncated_character_before_ascii_keeps_the_ascii)
{
	feed("\xE5\xBC"
	     "A");
	expect_events("!2:E5 A");
	/* the lead byte of the next character is not eaten either */
	feed("\xE5\xE5\xBC\xA0");
	expect_events("!1:E5 张");
}
END_TEST

START_TEST(overlongs_surrogates_and_past_u10ffff_are_dropped)
{
	feed("\xC0\xAF"
	     "a");
	expect_events("!2:C0 a");
	feed("\xE0\x80\xAF"
	     "b");
	expect_events("!3:E0 b");
	feed("\xED\xA0\x80"
	     "c");
	expect_events("!3:ED c");
	feed("\xF4\x90\x80\x80"
	     "d");
	expect_events("!4:F4 d");
	feed("\xF8\x88\x80\x80\x80"
	     "e");
	expect_events("!5:F8 e");
}
END_TEST

START_TEST(each_run_of_bad_bytes_is_one_event)
{
	feed("\xff"
	     "A\xfe\xfd\x80"
	     "B");
	expect_events("!1:FF A !3:FE B");
}
END_TEST

START_TEST(slow_later_bytes_are_waited_for_then_dropped)
{
	/* 张 = E5 BC A0, its bytes 30 ms apart: still one character */
	feed_at("\xE5", 1, 100);
	ck_assert_int_eq(input_wait_ms(in, 100), INPUT_CHAR_WAIT_MS);
	input_expire(in, 130);
	feed_at("\xBC", 1, 130);
	input_expire(in, 160);
	feed_at("\xA0", 1, 160);
	expect_events("张");
	/* a character whose last byte never comes is dropped once the wait is over */
	feed_at("\xE5\xBC", 2, 200);
	input_expire(in, 200 + INPUT_CHAR_WAIT_MS - 1);
	expect_events("");
	ck_assert_int_eq(input_wait_ms(in, 200 + INPUT_CHAR_WAIT_MS - 1), 1);
	input_expire(in, 200 + INPUT_CHAR_WAIT_MS);
	expect_events("!2:E5");
	ck_assert_int_eq(input_wait_ms(in, 300), -1);
}
END_TEST

START_TEST(waiting_says_whether_anything_is_on_its_way)
{
	struct input_event ev;

	ck_assert(!input_waiting(in));
	feed("a");
	ck_assert(input_waiting(in));
	ck_assert(input_next(in, &ev));
	ck_assert(!input_waiting(in));
	feed("\xE5\xBC"); /* half a character */
	ck_assert(input_waiting(in));
	settle();
	expect_events("!2:E5");
	ck_assert(!input_waiting(in));
	feed("\xff"); /* a bad byte, reported once the wait is over */
	ck_assert(input_waiting(in));
	settle();
	expect_events("!1:FF");
	input_paste_start(in, 0);
	ck_assert(input_waiting(in));
	input_paste_end(in, 0);
	expect_events("END");
	ck_assert(!input_waiting(in));
}
END_TEST

START_TEST(a_bad_byte_at_the_end_is_reported_after_the_wait)
{
	feed_at("AB\xff", 3, 0);
	expect_events("A B");
	input_expire(in, INPUT_CHAR_WAIT_MS);
	expect_events("!1:FF");
}
END_TEST

START_TEST(a_function_key_ends_a_character_half_received)
{
	feed("\xE5\xBC");
	input_key(in, 260, 0);
	feed("x");
	expect_events("!2:E5 K260 x");
}
END_TEST

START_TEST(valid_characters_survive_garbage_between_them)
{
	const char *text = "王小明 Zhang 张三丰 𠀀 123";
	size_t len = strlen(text), i = 0, inserted = 0;
	char *got;
	struct buf want;

	buf_init(&want);
	srand(7);
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(text + i, len - i, &cp);
		struct input_event ev = {.kind = INPUT_CHAR, .ch = cp};

		buf_printf(&want, "%s", i ? " " : "");
		if (rand() % 3 == 0) {
			/* a stray byte, or a character cut short */
			bool cut = rand() % 2;

			feed(cut ? "\xE5\xBC" : "\xff");
			buf_printf(&want, "%s ", cut ? "!2:E5" : "!1:FF");
			inserted++;
		}
		describe(&want, &ev);
		feed_at(text + i, n, 0);
		i += n;
	}
	settle();
	got = events();
	ck_assert_uint_gt(inserted, 3);
	ck_assert_str_eq(got, want.data);
	free(got);
	buf_free(&want);
}
END_TEST

START_TEST(gb18030_is_read_when_set)
{
	struct err e = {0};

	use_gb18030();
	feed("\xD5\xC5\xC8\xFD");
	expect_events("张 三");
	/* a four-byte character (a rare name character) and plain ASCII */
	feed("\x95\x32\x82\x36"
	     "A1");
	expect_events("𠀀 A 1");
	/* UTF-8 bytes are not GB18030 text: 张 in UTF-8 is E5 BC A0 */
	ck_assert_int_eq(input_set_encoding(in, "utf-8", &e), 0);
	feed("\xE5\xBC\xA0");
	expect_events("张");
}
END_TEST

START_TEST(gb18030_bad_bytes_are_dropped_one_at_a_time)
{
	use_gb18030();
	feed("\xD5\xC5\xFF\xC8\xFD");
	expect_events("张 !1:FF 三");
	feed("\x80"
	     "a");
	expect_events("!1:80 a");
	/* a lead byte whose trail never comes */
	feed("\xD5");
	expect_events("");
	settle();
	expect_events("!1:D5");
	/* a four-byte start cut short: the digit after the lead is kept */
	feed("\x81\x30");
	settle();
	expect_events("!1:81 0");
}
END_TEST

START_TEST(an_unknown_encoding_is_an_error_and_utf8_stays)
{
	struct err e = {0};

	ck_assert_int_eq(input_set_encoding(in, "no-such-encoding", &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "no-such-encoding"));
	feed("\xE5\xBC\xA0");
	expect_events("张");
}
END_TEST

START_TEST(a_paste_types_no_keys)
{
	input_paste_start(in, 0);
	feed("王\x01五\r\n六");
	input_paste_end(in, 0);
	expect_events("+王 +五 +SP +六 END");
	ck_assert_int_eq(input_wait_ms(in, 0), -1);
}
END_TEST

START_TEST(a_pasted_line_break_is_a_space)
{
	input_paste_start(in, 0);
	feed("ab\rcd\t\tef\r\n\x1b\x7Fg  h");
	input_paste_end(in, 0);
	expect_events("+a +b +SP +c +d +SP +e +f +SP +g +SP +SP +h END");
	/* typed after the paste: keys again */
	feed("\r");
	expect_events("^M");
}
END_TEST

START_TEST(function_keys_inside_a_paste_are_ignored)
{
	input_paste_start(in, 0);
	feed("a");
	input_key(in, 262, 0);
	feed("b");
	input_paste_end(in, 0);
	expect_events("+a +b END");
}
END_TEST

START_TEST(bad_bytes_in_a_paste_are_reported_and_the_rest_kept)
{
	input_paste_start(in, 0);
	feed("a\xff"
	     "b\xE5");
	input_paste_end(in, 0);
	expect_events("+a !1:FF +b !1:E5 END");
}
END_TEST

START_TEST(stray_paste_markers_are_ignored)
{
	input_paste_end(in, 0);
	input_paste_start(in, 0);
	input_paste_start(in, 0);
	feed("x");
	input_paste_end(in, 0);
	input_paste_end(in, 0);
	expect_events("+x END");
}
END_TEST

START_TEST(a_paste_without_its_end_ends_after_a_long_body)
{
	size_t i, pasted = 0, typed = 0, ends = 0;
	struct input_event ev;

	input_paste_start(in, 0);
	for (i = 0; i < INPUT_PASTE_MAX_BYTES + 100; i++)
		input_byte(in, i % 80 == 79 ? '\r' : 'a', 0);
	while (input_next(in, &ev)) {
		if (ev.kind == INPUT_PASTE_END)
			ends++;
		else if (ev.kind == INPUT_CHAR && ev.pasted)
			pasted += ends == 0;
		else if (ev.kind == INPUT_CHAR || ev.kind == INPUT_CONTROL)
			typed += ends == 1;
	}
	ck_assert_uint_eq(ends, 1);
	ck_assert_uint_eq(pasted, INPUT_PASTE_MAX_BYTES);
	ck_assert_uint_eq(typed, 100);
}
END_TEST

START_TEST(a_paste_without_its_end_ends_after_a_second_of_silence)
{
	input_paste_start(in, 0);
	feed_at("ab", 2, 10);
	ck_assert_int_eq(input_wait_ms(in, 10), INPUT_PASTE_SILENCE_MS);
	input_expire(in, 10 + INPUT_PASTE_SILENCE_MS - 1);
	expect_events("+a +b");
	input_expire(in, 10 + INPUT_PASTE_SILENCE_MS);
	expect_events("END");
	feed("\x01");
	expect_events("^A");
}
END_TEST

START_TEST(a_long_paste_cut_between_characters)
{
	size_t i, chars = 0;
	struct input_event ev;

	/* 3-byte characters after two bytes: the limit falls inside one */
	input_paste_start(in, 0);
	feed("ab");
	for (i = 0; i < INPUT_PASTE_MAX_BYTES / 3 + 10; i++)
		feed("张");
	while (input_next(in, &ev) && ev.kind == INPUT_CHAR && ev.pasted)
		chars++;
	ck_assert_int_eq(ev.kind, INPUT_PASTE_END);
	ck_assert_uint_eq(chars, 2 + INPUT_PASTE_MAX_BYTES / 3);
	while (input_next(in, &ev))
		ck_assert(ev.kind == INPUT_CHAR && ev.ch == 0x5F20 && !ev.pasted);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("input");
	TCase *tc = tcase_create("input");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, utf8_characters_and_typed_controls);
	tcase_add_test(tc, a_bad_byte_is_dropped_and_what_follows_is_kept);
	tcase_add_test(tc, waiting_says_whether_anything_is_on_its_way);
	tcase_add_test(tc, a_truncated_character_before_ascii_keeps_the_ascii);
	tcase_add_test(tc, overlongs_surrogates_and_past_u10ffff_are_dropped);
	tcase_add_test(tc, each_run_of_bad_bytes_is_one_event);
	tcase_add_test(tc, slow_later_bytes_are_waited_for_then_dropped);
	tcase_add_test(tc, a_bad_byte_at_the_end_is_reported_after_the_wait);
	tcase_add_test(tc, a_function_key_ends_a_character_half_received);
	tcase_add_test(tc, valid_characters_survive_garbage_between_them);
	tcase_add_test(tc, gb18030_is_read_when_set);
	tcase_add_test(tc, gb18030_bad_bytes_are_dropped_one_at_a_time);
	tcase_add_test(tc, an_unknown_encoding_is_an_error_and_utf8_stays);
	tcase_add_test(tc, a_paste_types_no_keys);
	tcase_add_test(tc, a_pasted_line_break_is_a_space);
	tcase_add_test(tc, function_keys_inside_a_paste_are_ignored);
	tcase_add_test(tc, bad_bytes_in_a_paste_are_reported_and_the_rest_kept);
	tcase_add_test(tc, stray_paste_markers_are_ignored);
	tcase_add_test(tc, a_paste_without_its_end_ends_after_a_long_body);
	tcase_add_test(tc, a_paste_without_its_end_ends_after_a_second_of_silence);
	tcase_add_test(tc, a_long_paste_cut_between_characters);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
