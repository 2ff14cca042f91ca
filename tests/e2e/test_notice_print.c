/*
 * tests/e2e/test_notice_print.c - F9 on the notice the counter just issued,
 * typed through the real tongban in a pseudo-terminal against a real
 * tongband: with a CUPS printer in the settings, the notice goes to it as
 * the PDF with the QR code of its case number (through a CUPS of the test's
 * own, tests/harness/tbcups.h: skipped, and said, where it cannot run);
 * without CUPS, the status line says so and the notice stays.
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/i18n.h"
#include "tbcheck.h"
#include "tbcups.h"
#include "tbserver.h"
#include "term.h"
#include "tmpdir.h"

static struct tbserver *srv;
static char *dir, db[512], config[512];

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	dir = harness_tmpdir("tongban-notice-print", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	snprintf(db, sizeof db, "%s/client.db", dir);
	snprintf(config, sizeof config, "%s/config.json", dir);
}

static void teardown(void)
{
	unsetenv("TONGBAN_CONFIG");
	unsetenv("CUPS_SERVER");
	tbserver_free(srv);
	harness_tmpdir_remove(dir);
	free(dir);
}

/* Settings that print on printer, for the tongban started next. */
static void use_printer(const char *printer)
{
	char *json = xasprintf("{\"printer\": \"%s\"}\n", printer);
	struct err e = {0};

	ck_assert_int_eq(harness_write_file(config, json, strlen(json), &e), 0);
	setenv("TONGBAN_CONFIG", config, 1);
	free(json);
}

/* Log in, take in 张三's 建筑垃圾处置许可 with every material and accept it:
 * the 受理通知书 is on the screen.  Returns the terminal. */
static struct term *accept_one(void)
{
	struct term *t = tbcheck_tongban(db, tbserver_url(srv), "C.UTF-8", 30, 100);

	tbcheck_login(t);
	tbcheck_intake(t, "jzlj", "张三");
	term_send(t, TB_JZLJ_ALL_IN);
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	return t;
}

/* The case number of the one case in the database. */
static void the_case_no(char *out, size_t n)
{
	sqlite3 *h;
	sqlite3_stmt *s;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT case_no FROM cases", -1, &s, NULL),
	                 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	snprintf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(h);
}

/* What sh -c cmd printed (both streams).  Caller frees. */
static char *output_of(const char *cmd)
{
	char *full = xasprintf("(%s) 2>&1", cmd), buf[4096];
	FILE *p = popen(full, "r");
	size_t len;

	ck_assert_ptr_nonnull(p);
	len = fread(buf, 1, sizeof buf - 1, p);
	buf[len] = '\0';
	pclose(p);
	free(full);
	return xstrdup(buf);
}

START_TEST(f9_prints_the_pdf_with_its_qr_code_on_the_cups_printer)
{
	struct err e = {0};
	struct tbcups *c;
	struct term *t;
	char case_no[64], *job, *cmd, *out;

	if (!tbcups_available("test_notice_print", "F9 through CUPS"))
		return;
	c = tbcups_start(dir, &e);
	ck_assert_msg(c != NULL, "cupsd: %s", e.msg);
	use_printer(TBCUPS_PRINTER);
	setenv("CUPS_SERVER", tbcups_server(c), 1);
	t = accept_one();
	term_send(t, TERM_KEY_F9);
	tbcheck_expect(t, "已送打印");
	term_send(t, TERM_KEY_ESC);
	tbcheck_quit(t);
	the_case_no(case_no, sizeof case_no);
	job = tbcups_job(c);
	ck_assert_msg(job != NULL, "CUPS kept no job");
	/* what the printer got: the notice's text, number and applicant ... */
	cmd = xasprintf("pdftotext '%s' -", job);
	out = output_of(cmd);
	ck_assert_msg(strstr(out, "受理通知书") && strstr(out, "张三：") && strstr(out, case_no),
	              "%s wanted in:\n%s", case_no, out);
	free(out);
	free(cmd);
	/* ... and the QR code of the number */
	cmd = xasprintf("pdftoppm -png -r 150 -f 1 -l 1 -singlefile '%s' '%s/page' && "
	                "zbarimg -q --raw '%s/page.png' 2>/dev/null",
	                job, dir, dir);
	out = output_of(cmd);
	out[strcspn(out, "\n")] = '\0';
	ck_assert_str_eq(out, case_no);
	free(out);
	free(cmd);
	free(job);
	tbcups_stop(c);
}
END_TEST

START_TEST(f9_without_cups_says_so_and_keeps_the_notice)
{
	struct term *t;

	/* a CUPS server address where none listens */
	use_printer(TBCUPS_PRINTER);
	{
		char *sock = xasprintf("%s/none.sock", dir);

		setenv("CUPS_SERVER", sock, 1);
		free(sock);
	}
	t = accept_one();
	term_send(t, TERM_KEY_F9);
	if (access("/usr/bin/lp", X_OK) == 0)
		tbcheck_expect(t, "CUPS 打印服务没有运行");
	else
		tbcheck_expect(t, "本机没有安装 CUPS 打印系统");
	tbcheck_expect(t, "受理通知书"); /* still there, to print again */
	term_send(t, TERM_KEY_ESC);
	tbcheck_quit(t);
}
END_TEST

static Suite *notice_print_suite(void)
{
	Suite *s = suite_create("notice_print");
	TCase *tc = tcase_create("F9");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, f9_prints_the_pdf_with_its_qr_code_on_the_cups_printer);
	tcase_add_test(tc, f9_without_cups_says_so_and_keeps_the_notice);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	return tbcheck_run(notice_print_suite());
}
