/*
 * tests/integration/test_notice_pdf.c - a notice printed as a PDF, read back
 * with the tools a hall has: tongban notice CASE --pdf FILE for cases made
 * at the counter (tests/harness/tbfixture.h), then pdftotext finds the case
 * number, the applicant's name and the heading, pdfinfo says A4, the columns
 * of the list of materials start where the text puts them, every glyph is
 * drawn, and zbarimg reads the QR code back to the case number, which
 * tongban cases search finds (as a window's scanner types it).  Then
 * --print: through a real CUPS (cupsd on a socket of this test, its printer
 * keeping each job), and with CUPS or the printer missing, said in Chinese
 * and under LANG=C in English.  The CUPS tests say SKIPPED where cupsd or
 * lp is not installed or this is not root.
 */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/i18n.h"
#include "store/store.h"
#include "tbcheck.h"
#include "tbcups.h"
#include "tbfixture.h"
#include "tmpdir.h"

static char *dir;
static char path[512];
static struct case_row zhang, li;

static void setup(void)
{
	struct tbfixture fx;
	struct err e = {0};
	struct store *st;

	dir = harness_tmpdir("tongban-notice-pdf", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	snprintf(path, sizeof path, "%s/tongban.db", dir);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_msg(tbfixture_open(&fx, st, NULL, &e) == 0, "%s", e.msg);
	ck_assert_msg(tbfixture_case(&fx, &decision_accept, TBFIX_ITEM, "张三", &zhang, &e) == 0,
	              "%s", e.msg);
	fx.phone = "13912345678";
	ck_assert_msg(tbfixture_case(&fx, &decision_notice, TBFIX_ITEM, "李如意", &li, &e) == 0,
	              "%s", e.msg);
	tbfixture_close(&fx);
	store_close(st);
}

static void teardown(void)
{
	harness_tmpdir_remove(dir);
	free(dir);
}

/* ---- running programs ---------------------------------------------------- */

struct run {
	int rc;
	char *out; /* standard output, then standard error */
};

static void run_free(struct run *r)
{
	free(r->out);
}

/* sh -c cmd with both streams captured. */
static struct run sh(const char *cmd)
{
	char *out_path = xasprintf("%s/out.txt", dir);
	char *full = xasprintf("(%s) >'%s' 2>&1", cmd, out_path);
	int status = system(full);
	size_t len;
	struct run r = {WIFEXITED(status) ? WEXITSTATUS(status) : -1,
	                file_read_all(out_path, &len, 1 << 22, NULL)};

	if (r.out == NULL)
		r.out = xstrdup("");
	free(full);
	free(out_path);
	return r;
}

/* tongban --db path --data SRCDIR ARGS in Chinese (lang "TONGBAN_LANG=zh")
 * or English ("LANG=C"), with env (more "K=V" words, may be ""). */
static struct run tongban(const char *lang, const char *env, const char *args)
{
	char *cmd = xasprintf("env -u LC_ALL -u LC_MESSAGES -u TONGBAN_LANG %s %s '%s' --db '%s' "
	                      "--data '%s' %s",
	                      lang, env, tbcheck_env("TONGBAN_BIN", "build/tongban"), path,
	                      tbcheck_env("TONGBAN_SRCDIR", "."), args);
	struct run r = sh(cmd);

	free(cmd);
	return r;
}

/* tongban ARGS with env exits rc and says zh, and under LANG=C en. */
static void expect_said(const char *env, const char *args, int rc, const char *zh, const char *en)
{
	struct run r = tongban("TONGBAN_LANG=zh", env, args);

	ck_assert_msg(r.rc == rc && strstr(r.out, zh) != NULL,
	              "exit %d (want %d), \"%s\" wanted: %s", r.rc, rc, zh, r.out);
	run_free(&r);
	r = tongban("LANG=C", env, args);
	ck_assert_msg(r.rc == rc && strstr(r.out, en) != NULL,
	              "exit %d (want %d), \"%s\" wanted: %s", r.rc, rc, en, r.out);
	run_free(&r);
}

/* tongban-pdf, beside tongban.  Caller frees. */
static char *pdf_helper(void)
{
	const char *bin = tbcheck_env("TONGBAN_BIN", "build/tongban");
	const char *slash = strrchr(bin, '/');

	return slash ? xasprintf("%.*s/tongban-pdf", (int)(slash - bin), bin)
	             : xstrdup("tongban-pdf");
}

/* A file of this test's folder.  Caller frees. */
static char *in_dir(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* The notice of the case numbered case_no as a PDF at dir/name; fails the
 * test unless it was written.  Returns its path (caller frees). */
static char *notice_pdf(const char *case_no, const char *name)
{
	char *pdf = in_dir(name), *args = xasprintf("notice %s --pdf '%s'", case_no, pdf);
	struct run r = tongban("TONGBAN_LANG=zh", "", args);

	ck_assert_msg(r.rc == 0 && access(pdf, R_OK) == 0, "exit %d: %s", r.rc, r.out);
	run_free(&r);
	free(args);
	return pdf;
}

/* pdftotext's words of the PDF (option "" or "-layout", "-bbox").  Free
 * with run_free. */
static struct run pdftotext(const char *pdf, const char *option)
{
	char *cmd = xasprintf("pdftotext %s '%s' -", option, pdf);
	struct run r = sh(cmd);

	ck_assert_msg(r.rc == 0, "%s: %s", cmd, r.out);
	free(cmd);
	return r;
}

/* What zbarimg reads from page 1 of the PDF rasterised at dpi. */
static struct run zbarimg(const char *pdf, int dpi)
{
	char *png = in_dir("page");
	char *cmd = xasprintf("pdftoppm -png -r %d -f 1 -l 1 -singlefile '%s' '%s' && "
	                      "zbarimg -q --raw '%s.png' 2>/dev/null",
	                      dpi, pdf, png, png);
	struct run r = sh(cmd);

	free(cmd);
	free(png);
	return r;
}

/* ---- the PDF -------------------------------------------------------------- */

START_TEST(pdf_text_holds_the_case_number_the_applicant_and_the_heading)
{
	char *pdf = notice_pdf(zhang.case_no, "acceptance.pdf");
	char *cmd = xasprintf("pdfinfo '%s'", pdf);
	struct run r = pdftotext(pdf, ""), info;

	ck_assert_msg(strstr(r.out, zhang.case_no) != NULL, "%s not in:\n%s", zhang.case_no, r.out);
	ck_assert_msg(strstr(r.out, "张三：") != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, "示例市政务服务中心") != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, "受理通知书") != NULL, "%s", r.out);
	run_free(&r);
	info = sh(cmd);
	ck_assert_msg(strstr(info.out, "(A4)") != NULL, "%s", info.out);
	ck_assert_msg(strstr(info.out, "Creator:         tongban") != NULL, "%s", info.out);
	run_free(&info);
	free(cmd);
	free(pdf);
}
END_TEST

/* The xMin of every word of the bbox output r equal to word. */
static int word_columns(const char *bbox, const char *word, double *x, int max)
{
	char *tag = xasprintf(">%s</word>", word);
	const char *p = bbox;
	int n = 0;

	while ((p = strstr(p, tag)) != NULL && n < max) {
		const char *start = p;

		while (start > bbox && strncmp(start, "<word ", 6) != 0)
			start--;
		x[n++] = atof(strstr(start, "xMin=\"") + 6);
		p += strlen(tag);
	}
	free(tag);
	return n;
}

START_TEST(pdf_list_columns_start_where_the_text_puts_them)
{
	char *pdf = notice_pdf(zhang.case_no, "acceptance.pdf");
	struct run r = pdftotext(pdf, "-bbox");
	double form[16], head[2], number[2];
	int n = word_columns(r.out, "原件", form, 16), i;

	/* the form column starts at column 64 of the text: each 原件 there, 5.5
	 * points a column, and its heading 形式 too */
	ck_assert_msg(n >= 7, "%d rows:\n%s", n, r.out);
	ck_assert_int_eq(word_columns(r.out, "形式", head, 2), 1);
	ck_assert_int_eq(word_columns(r.out, "材料名称", number, 2), 1);
	for (i = 0; i < n; i++)
		ck_assert_msg(form[i] > head[0] - 0.01 && form[i] < head[0] + 0.01,
		              "row %d at %.3f, heading at %.3f", i, form[i], head[0]);
	ck_assert_msg(head[0] - number[0] > (64 - 8) * 5.5 - 0.01 &&
	                  head[0] - number[0] < (64 - 8) * 5.5 + 0.01,
	              "材料名称 at %.3f, 形式 at %.3f", number[0], head[0]);
	run_free(&r);
	free(pdf);
}
END_TEST

START_TEST(pdf_qr_code_reads_back_to_the_case_number_that_case_search_finds)
{
	char *pdf = notice_pdf(li.case_no, "supplement.pdf"), *args;
	struct run qr = zbarimg(pdf, 150), found;
	size_t len = strcspn(qr.out, "\n");

	ck_assert_msg(qr.rc == 0, "zbarimg found no code (exit %d): %s", qr.rc, qr.out);
	qr.out[len] = '\0';
	ck_assert_str_eq(qr.out, li.case_no);
	/* what the scanner types goes into case search as it is */
	args = xasprintf("cases search '%s'", qr.out);
	found = tongban("TONGBAN_LANG=zh", "", args);
	ck_assert_msg(found.rc == 0 && strstr(found.out, li.case_no) != NULL &&
	                  strstr(found.out, zhang.case_no) == NULL,
	              "exit %d:\n%s", found.rc, found.out);
	run_free(&found);
	run_free(&qr);
	free(args);
	free(pdf);
}
END_TEST

/* Dark pixels of the PDF's first page at 72 dpi (pdftoppm's greyscale PGM). */
static long dark_pixels(const char *pdf)
{
	char *pgm = in_dir("ink");
	char *cmd = xasprintf("pdftoppm -gray -r 72 -f 1 -l 1 -singlefile '%s' '%s'", pdf, pgm);
	char *file = xasprintf("%s.pgm", pgm);
	size_t len, i, header = 0;
	struct run r = sh(cmd);
	unsigned char *data;
	int fields = 0;
	long dark = 0;

	ck_assert_msg(r.rc == 0, "%s: %s", cmd, r.out);
	data = (unsigned char *)file_read_all(file, &len, 1 << 24, NULL);
	ck_assert_ptr_nonnull(data);
	/* "P5 W H 255" then one byte a pixel */
	for (i = 0; i < len && fields < 4; i++)
		if (data[i] == ' ' || data[i] == '\n')
			fields += i > 0 && data[i - 1] != ' ' && data[i - 1] != '\n';
	header = i;
	for (i = header; i < len; i++)
		dark += data[i] < 128;
	free(data);
	run_free(&r);
	free(file);
	free(cmd);
	free(pgm);
	return dark;
}

START_TEST(pdf_draws_every_glyph_even_those_cairo_drops)
{
	/* cairo 1.16's CFF subsetter drops 如 of Noto Sans CJK: the PDF of the
	 * word 如意 must have more ink than that of 意 alone */
	char *helper = pdf_helper(), *a = in_dir("ruyi.pdf"), *b = in_dir("yi.pdf");
	char *cmd = xasprintf("printf '如意\\n' | '%s' --output '%s' && printf '意\\n' | '%s' "
	                      "--output '%s'",
	                      helper, a, helper, b);
	struct run r = sh(cmd);
	long both, one;

	ck_assert_msg(r.rc == 0, "%s", r.out);
	both = dark_pixels(a);
	one = dark_pixels(b);
	ck_assert_msg(one > 10 && both > one + one / 2, "如意 %ld dark pixels, 意 %ld", both, one);
	run_free(&r);
	free(cmd);
	free(a);
	free(b);
	free(helper);
}
END_TEST

START_TEST(pdf_without_the_chinese_font_says_to_install_fonts_noto_cjk)
{
	char *conf = in_dir("fonts.conf"), *env, *args = in_dir("x.pdf"), *notice;
	struct err e = {0};
	const char *empty = "<?xml version=\"1.0\"?><fontconfig><cachedir>";
	char *xml = xasprintf("%s%s/cache</cachedir></fontconfig>\n", empty, dir);

	ck_assert_int_eq(harness_write_file(conf, xml, strlen(xml), &e), 0);
	env = xasprintf("FONTCONFIG_FILE='%s'", conf);
	notice = xasprintf("notice %s --pdf '%s'", zhang.case_no, args);
	expect_said(env, notice, 2, "没有中文字体 Noto Sans Mono CJK SC：请安装 fonts-noto-cjk",
	            "the Chinese font Noto Sans Mono CJK SC is missing: install fonts-noto-cjk");
	ck_assert_msg(access(args, F_OK) != 0, "no PDF may be left");
	free(notice);
	free(env);
	free(xml);
	free(args);
	free(conf);
}
END_TEST

/* ---- printing ------------------------------------------------------------- */

/* Settings naming printer, at dir/config.json.  Returns "TONGBAN_CONFIG=..."
 * for tongban()'s env (caller frees). */
static char *config_with_printer(const char *printer)
{
	char *conf = in_dir("config.json");
	char *json = xasprintf("{\"printer\": \"%s\"}\n", printer);
	char *env = xasprintf("TONGBAN_CONFIG='%s'", conf);
	struct err e = {0};

	ck_assert_int_eq(harness_write_file(conf, json, strlen(json), &e), 0);
	free(json);
	free(conf);
	return env;
}

/* tongban check of a copy of the bundled data whose settings name printer. */
static struct run check_with_printer(const char *printer)
{
	const char *src = tbcheck_env("TONGBAN_SRCDIR", ".");
	char *cmd = xasprintf("rm -rf '%s/root' && mkdir '%s/root' && cp -R '%s/data' '%s/forms' "
	                      "'%s/root/' && sed -i 's|\"printer\": \"\"|\"printer\": \"%s\"|' "
	                      "'%s/root/data/config.json' && env -u LC_ALL -u LC_MESSAGES LANG=C "
	                      "TONGBAN_LANG= '%s' --db '%s' --data '%s/root' check",
	                      dir, dir, src, src, dir, printer, dir,
	                      tbcheck_env("TONGBAN_BIN", "build/tongban"), path, dir);
	struct run r = sh(cmd);

	free(cmd);
	return r;
}

START_TEST(check_names_the_printer_and_refuses_a_name_cups_cannot_have)
{
	struct run r = check_with_printer("HALL-3");

	ck_assert_msg(r.rc == 0 && strstr(r.out, "config.json: printer HALL-3 (PDF), ok") != NULL,
	              "exit %d: %s", r.rc, r.out);
	run_free(&r);
	r = check_with_printer("window 3");
	ck_assert_msg(r.rc == 1 &&
	                  strstr(r.out, "printer: \"window 3\" is not a CUPS printer name") != NULL,
	              "exit %d: %s", r.rc, r.out);
	run_free(&r);
}
END_TEST

static bool have(const char *program)
{
	char *cmd = xasprintf("command -v %s >/dev/null 2>&1", program);
	int rc = system(cmd);

	free(cmd);
	return rc == 0;
}

START_TEST(print_without_cups_says_cups_is_not_installed)
{
	char *conf = config_with_printer("HALL"), *env, *args;

	/* PATH without lp (tongban finds tongban-pdf beside itself) */
	env = xasprintf("%s PATH=/nonexistent", conf);
	args = xasprintf("notice %s --print", zhang.case_no);
	expect_said(env, args, 2,
	            "本机没有安装 CUPS 打印系统（找不到 lp 命令；apt install "
	            "cups-client）；通知书已保存，可稍后重打",
	            "CUPS is not installed here (no lp command; apt install cups-client); the "
	            "notice is saved, reprint later");
	free(args);
	free(env);
	free(conf);
}
END_TEST

START_TEST(print_when_cups_does_not_run_says_so)
{
	char *conf = config_with_printer("HALL"), *env, *args;

	if (!have("lp") || !have("lpstat")) {
		fprintf(stderr, "test_notice_pdf: SKIPPED the CUPS messages: no lp here "
		                "(apt-get install cups-client)\n");
		free(conf);
		return;
	}
	/* a CUPS server address where none listens */
	env = xasprintf("%s CUPS_SERVER='%s/none.sock'", conf, dir);
	args = xasprintf("notice %s --print", zhang.case_no);
	expect_said(env, args, 2, "CUPS 打印服务没有运行（systemctl start cups）",
	            "the CUPS print service is not running (systemctl start cups)");
	free(args);
	free(env);
	free(conf);
}
END_TEST

/* A CUPS of this test's own (tests/harness/tbcups.h), or NULL after
 * saying SKIPPED. */
static struct tbcups *cups(void)
{
	struct err e = {0};
	struct tbcups *c;

	if (!tbcups_available("test_notice_pdf", "printing through CUPS"))
		return NULL;
	c = tbcups_start(dir, &e);
	ck_assert_msg(c != NULL, "cupsd: %s", e.msg);
	return c;
}

START_TEST(print_sends_the_pdf_to_the_cups_printer_of_the_settings)
{
	struct tbcups *c = cups();
	char *conf, *env, *args, *job;
	struct run r, text;

	if (c == NULL)
		return;
	conf = config_with_printer(TBCUPS_PRINTER);
	env = xasprintf("%s CUPS_SERVER='%s'", conf, tbcups_server(c));
	args = xasprintf("notice %s --print", li.case_no);
	r = tongban("TONGBAN_LANG=zh", env, args);
	ck_assert_msg(r.rc == 0 && r.out[0] == '\0', "exit %d: %s", r.rc, r.out);
	job = tbcups_job(c);
	ck_assert_msg(job != NULL, "CUPS kept no job");
	/* what the printer got is the notice's PDF, QR code and all */
	text = pdftotext(job, "");
	ck_assert_msg(strstr(text.out, li.case_no) && strstr(text.out, "李如意"), "%s", text.out);
	run_free(&text);
	text = zbarimg(job, 150);
	ck_assert_msg(strncmp(text.out, li.case_no, strlen(li.case_no)) == 0, "%s", text.out);
	run_free(&text);
	run_free(&r);
	free(job);
	free(args);
	free(env);
	free(conf);
	tbcups_stop(c);
}
END_TEST

START_TEST(print_to_a_printer_cups_does_not_have_names_it)
{
	struct tbcups *c = cups();
	char *conf, *env, *args;

	if (c == NULL)
		return;
	conf = config_with_printer("WINDOW-9");
	env = xasprintf("%s CUPS_SERVER='%s'", conf, tbcups_server(c));
	args = xasprintf("notice %s --print", li.case_no);
	expect_said(env, args, 2, "没有名为“WINDOW-9”的打印机（lpstat -p 列出本机的打印机",
	            "there is no printer 'WINDOW-9' (lpstat -p lists this machine's printers");
	free(args);
	free(env);
	free(conf);
	tbcups_stop(c);
}
END_TEST

static Suite *notice_pdf_suite(void)
{
	Suite *s = suite_create("notice_pdf");
	TCase *tc = tcase_create("pdf");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, pdf_text_holds_the_case_number_the_applicant_and_the_heading);
	tcase_add_test(tc, pdf_list_columns_start_where_the_text_puts_them);
	tcase_add_test(tc, pdf_qr_code_reads_back_to_the_case_number_that_case_search_finds);
	tcase_add_test(tc, pdf_draws_every_glyph_even_those_cairo_drops);
	tcase_add_test(tc, pdf_without_the_chinese_font_says_to_install_fonts_noto_cjk);
	suite_add_tcase(s, tc);
	tc = tcase_create("print");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, check_names_the_printer_and_refuses_a_name_cups_cannot_have);
	tcase_add_test(tc, print_without_cups_says_cups_is_not_installed);
	tcase_add_test(tc, print_when_cups_does_not_run_says_so);
	tcase_add_test(tc, print_sends_the_pdf_to_the_cups_printer_of_the_settings);
	tcase_add_test(tc, print_to_a_printer_cups_does_not_have_names_it);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	return tbcheck_run(notice_pdf_suite());
}
