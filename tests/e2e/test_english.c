/*
 * tests/e2e/test_english.c - the English UI: the real tongban under LANG=C
 * in a pseudo-terminal against a real tongband, every screen of a clerk's
 * first case searched for a Chinese character (CJK ideographs and CJK or
 * full-width punctuation).  Form labels, sections, choices, item, material
 * and department names come from the catalogues (po/en.po and
 * po/data/en.po); only what people typed or the server holds (a clerk's
 * and a hall's names) is shown as it is, so the clerk here is "amy" of a
 * hall whose name is its code.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/decision.h"
#include "core/i18n.h"
#include "store/store.h"
#include "tbcheck.h"
#include "tbfixture.h"
#include "tbserver.h"
#include "term.h"

static struct tbserver *srv;
static char dir[64], db[128];

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	ck_assert_msg(tbserver_add_user(srv, "amy", "amy12345", "H009", "clerk", "", &e) == 0, "%s",
	              e.msg);
	snprintf(dir, sizeof dir, "/tmp/tongban-english-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof db, "%s/client.db", dir);
}

static void teardown(void)
{
	char cmd[128];

	tbserver_free(srv);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The first Chinese character of s (UTF-8), or 0. */
static unsigned chinese_in(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned cp;
		int n;

		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xE0) == 0xC0) {
			cp = *p & 0x1F;
			n = 1;
		} else if ((*p & 0xF0) == 0xE0) {
			cp = *p & 0x0F;
			n = 2;
		} else {
			cp = *p & 0x07;
			n = 3;
		}
		for (p++; n > 0 && (*p & 0xC0) == 0x80; n--, p++)
			cp = cp << 6 | (*p & 0x3F);
		if ((cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
		    (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x2FFFF) ||
		    cp == 0x201C || cp == 0x201D)
			return cp;
	}
	return 0;
}

/* The whole screen, after it has settled, has no Chinese character. */
static void no_chinese(struct term *t, const char *where)
{
	char *screen;
	unsigned cp;

	term_wait_quiet(t, 200, 3000);
	screen = term_screen(t);
	cp = chinese_in(screen);
	if (cp != 0)
		ck_abort_msg("%s: U+%04X on the screen:\n%s", where, cp, screen);
	free(screen);
}

START_TEST(a_first_case_under_lang_c_shows_no_chinese)
{
	struct term *t = tbcheck_tongban(db, tbserver_url(srv), "C", 24, 80);

	tbcheck_expect(t, "Clerk:");
	tbcheck_expect(t, "Password:");
	no_chinese(t, "login");
	term_send(t, "amy" TERM_KEY_TAB "amy12345" TERM_KEY_ENTER);
	tbcheck_expect(t, "amy");
	tbcheck_expect(t, "F2");
	no_chinese(t, "home");
	/* the keys page of the home screen */
	term_send(t, TERM_KEY_F1);
	tbcheck_expect(t, "press any key to go back");
	no_chinese(t, "home keys");
	term_send(t, " ");
	/* the item search, every bundled item listed */
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "found");
	no_chinese(t, "item search");
	term_send(t, "jzlj");
	tbcheck_expect(t, "000101001000");
	no_chinese(t, "item search for jzlj");
	/* the intake form: labels, sections, the ID type's choice */
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "Item: ");
	no_chinese(t, "intake form");
	term_send(t, "Li Si" TERM_KEY_TAB);
	term_send(t, TERM_KEY_RIGHT);
	no_chinese(t, "intake form, the next ID type");
	term_send(t, TERM_KEY_LEFT);
	/* a field's help and a wrong value's message */
	term_send(t, TERM_KEY_TAB "123" TERM_KEY_TAB);
	no_chinese(t, "intake form, a wrong ID number");
	/* the checklist of materials */
	term_send(t, TERM_KEY_PGDN);
	tbcheck_expect(t, "[unchecked]");
	no_chinese(t, "checklist");
	term_send(t, TERM_KEY_F1);
	tbcheck_expect(t, "press any key to go back");
	no_chinese(t, "intake keys");
	term_send(t, " ");
	/* home, where the draft waits, and quit */
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "[F2] New intake");
	tbcheck_expect(t, "Resume draft");
	no_chinese(t, "home with a draft");
	term_send(t, TERM_KEY_F10);
	if (term_wait_exit(t, 15000, NULL) != 0)
		ck_abort_msg("tongban did not quit");
	term_close(t);
}
END_TEST

/* A case taken in before, through core's decisions, on the clerk's database. */
static void a_case(const struct decision *d, const char *item, const char *name)
{
	struct err e = {0};
	struct store *st = store_open(db, &e);
	struct tbfixture fx;
	struct case_row row;

	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_msg(tbfixture_open(&fx, st, NULL, &e) == 0, "%s", e.msg);
	ck_assert_msg(tbfixture_case(&fx, d, item, name, &row, &e) == 0, "%s", e.msg);
	tbfixture_close(&fx);
	store_close(st);
}

START_TEST(the_queue_search_record_and_statistics_under_lang_c_show_no_chinese)
{
	struct term *t;

	a_case(&decision_accept, TBFIX_ITEM, "Zhang San");
	a_case(&decision_notice, TBFIX_COMMIT_ITEM, "Li Si");
	t = tbcheck_tongban(db, tbserver_url(srv), "C", 24, 80);
	tbcheck_expect(t, "Clerk:");
	term_send(t, "amy" TERM_KEY_TAB "amy12345" TERM_KEY_ENTER);
	tbcheck_expect(t, "[F2] New intake");
	tbcheck_expect(t, "awaiting supplement 1");
	no_chinese(t, "home with its queue");
	/* find a case and open its record */
	term_send(t, TERM_KEY_F3);
	tbcheck_expect(t, "Case number");
	tbcheck_expect(t, "Z*******"); /* names are masked in lists */
	no_chinese(t, "find a case");
	term_send(t, "Zhang San");
	if (term_wait_gone(t, "L****", 5000) != 0)
		ck_abort_msg("the search did not narrow to Zhang San");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "Zhang San");
	no_chinese(t, "the record");
	term_send(t, TERM_KEY_F1);
	tbcheck_expect(t, "press any key to go back");
	no_chinese(t, "record keys");
	term_send(t, " ");
	term_send(t, TERM_KEY_ESC);
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "[F2] New intake");
	/* the day's statistics */
	term_send(t, TERM_KEY_F7);
	tbcheck_expect(t, "Statistics");
	no_chinese(t, "statistics");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "[F2] New intake");
	term_send(t, TERM_KEY_F10);
	if (term_wait_exit(t, 15000, NULL) != 0)
		ck_abort_msg("tongban did not quit");
	term_close(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("english e2e");
	TCase *tc = tcase_create("LANG=C");

	i18n_set_chinese(true); /* the suite reads the default language */
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_first_case_under_lang_c_shows_no_chinese);
	tcase_add_test(tc, the_queue_search_record_and_statistics_under_lang_c_show_no_chinese);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
