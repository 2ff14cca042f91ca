/*
 * tests/integration/test_cli_config.c - tongban's settings as an operator
 * sets them (tongban.conf(5)): the real binary (TONGBAN_BIN), a system file
 * and a user's file in a temporary folder ($TONGBAN_SYSTEM_CONFIG,
 * $XDG_CONFIG_HOME), the environment and the options, read back with
 * `tongban config show` and seen at work (the language, the print command).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/util.h"
#include "tbfixture.h"
#include "tmpdir.h"

static char *dir;      /* the test's folder */
static char *sys_file; /* its system settings file */
static char *user_file;

struct run {
	char out[16384];
	int rc;
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
}

/* tongban ARGS with env (a prefix such as "TONGBAN_SERVER=..."), the test's
 * settings files, stdout and stderr together. */
static struct run tongban(const char *env, const char *args)
{
	const char *bin = getenv("TONGBAN_BIN"), *src = getenv("TONGBAN_SRCDIR");
	char *cmd =
	    xasprintf("env -u LC_ALL -u LC_MESSAGES -u TONGBAN_LANG -u TONGBAN_SERVER"
	              " -u TONGBAN_DB -u TONGBAN_CONFIG -u TONGBAN_DATA LANG=C.UTF-8"
	              " TONGBAN_SYSTEM_CONFIG='%s' XDG_CONFIG_HOME='%s/xdg' %s"
	              " '%s' --data '%s' %s 2>&1",
	              sys_file, dir, env, bin ? bin : "build/tongban", src ? src : ".", args);
	struct run r;
	size_t n;
	FILE *p = popen(cmd, "r");
	int status;

	ck_assert_ptr_nonnull(p);
	n = fread(r.out, 1, sizeof r.out - 1, p);
	r.out[n] = '\0';
	status = pclose(p);
	ck_assert_msg(WIFEXITED(status), "%s: did not exit", cmd);
	r.rc = WEXITSTATUS(status);
	free(cmd);
	return r;
}

/* The line of config show for name, without its end. */
static const char *shown(const struct run *r, const char *name)
{
	static char line[1024];
	char *want = xasprintf("%s = ", name);
	const char *p = r->out;

	while (p && *p) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (strncmp(p, want, strlen(want)) == 0 && n < sizeof line) {
			memcpy(line, p, n);
			line[n] = '\0';
			free(want);
			return line;
		}
		p = end ? end + 1 : NULL;
	}
	ck_abort_msg("no %s in:\n%s", want, r->out);
	return NULL;
}

#define expect_line(r, name, text)                                                                 \
	do {                                                                                       \
		const char *l_ = shown(&(r), (name));                                              \
		ck_assert_msg(strstr(l_, (text)) != NULL, "want \"%s\" in \"%s\"", (text), l_);    \
	} while (0)

static void setup(void)
{
	struct err e = {0};
	char *xdg;

	dir = harness_tmpdir("tongban-config", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	sys_file = xasprintf("%s/tongban.conf", dir);
	xdg = xasprintf("%s/xdg", dir);
	ck_assert_int_eq(mkdir(xdg, 0700), 0);
	free(xdg);
	xdg = xasprintf("%s/xdg/tongban", dir);
	ck_assert_int_eq(mkdir(xdg, 0700), 0);
	user_file = xasprintf("%s/config", xdg);
	free(xdg);
}

static void teardown(void)
{
	harness_tmpdir_remove(dir);
	free(dir);
	free(sys_file);
	free(user_file);
}

/* Each layer over the one below: default, the hall's file, the system
 * file, the user's file, the environment, the option. */
START_TEST(each_layer_overrides_the_one_below_and_says_so)
{
	char *hall = xasprintf("%s/hall.json", dir), *text;
	struct run r;

	write_file(hall, "{\"hall_phone\": \"0731-88888888\", \"lock_minutes\": 7,"
	                 " \"follow_up_days\": 3}");
	text = xasprintf("# the hall's settings\n"
	                 "hall_config = %s\n"
	                 "server = https://tongband.example.gov.cn\n"
	                 "lock_minutes = 10\n"
	                 "\n"
	                 "print_command = \"lp -d window3\"\n"
	                 "supplement_days = 4\n",
	                 hall);
	write_file(sys_file, text);
	free(text);
	write_file(user_file, "lock_minutes=3\ninput_encoding = GBK\nsupplement_days = 6\n");

	r = tongban("", "config show");
	ck_assert_msg(r.rc == 0, "exit %d:\n%s", r.rc, r.out);
	/* the defaults, and the hall's file (named by the system file) */
	expect_line(r, "commitment_days", "= 20  ");
	expect_line(r, "commitment_days", "# 默认");
	expect_line(r, "hall_phone", "= 0731-88888888");
	expect_line(r, "hall_phone", hall);
	expect_line(r, "follow_up_days", "= 3");
	/* the system file over the hall's, the user's over both */
	expect_line(r, "print_command", "= lp -d window3");
	expect_line(r, "print_command", "tongban.conf:6");
	expect_line(r, "lock_minutes", "= 3");
	expect_line(r, "lock_minutes", "xdg/tongban/config:1");
	expect_line(r, "input_encoding", "= gb18030");
	expect_line(r, "supplement_days", "= 6");
	expect_line(r, "server", "= https://tongband.example.gov.cn");
	expect_line(r, "server", "tongban.conf:3");
	expect_line(r, "hall_config", "tongban.conf:2");

	/* the environment over the files, the option over the environment */
	r = tongban("TONGBAN_SERVER=https://env.example.gov.cn", "config show server db");
	ck_assert_int_eq(r.rc, 0);
	expect_line(r, "server", "= https://env.example.gov.cn");
	expect_line(r, "server", "# 环境变量 TONGBAN_SERVER");
	ck_assert_msg(strstr(r.out, "lock_minutes") == NULL, "only what was asked:\n%s", r.out);
	r = tongban("TONGBAN_SERVER=https://env.example.gov.cn",
	            "--server https://flag.example.gov.cn --db /tmp/x.db config show server db");
	expect_line(r, "server", "= https://flag.example.gov.cn");
	expect_line(r, "server", "# 命令行 --server");
	expect_line(r, "db", "= /tmp/x.db");
	r = tongban("LANG=C", "config show db");
	expect_line(r, "db", "# default");

	/* without any file, the hall's file is data/config.json */
	unlink(sys_file);
	unlink(user_file);
	r = tongban("", "config show lock_minutes server");
	ck_assert_int_eq(r.rc, 0);
	expect_line(r, "lock_minutes", "= 5");
	expect_line(r, "lock_minutes", "data/config.json");
	expect_line(r, "server", "= http://127.0.0.1:8780");
	free(hall);
}
END_TEST

/* A line that is not understood is named with its file and line, in both
 * languages; the value below it stays; other commands still run. */
START_TEST(a_bad_line_is_named_and_the_value_below_stays)
{
	struct run r;

	write_file(sys_file, "lock_minutes = 10\n"
	                     "bogus = 1\n"
	                     "follow_up_days = 99\n"
	                     "just words\n"
	                     "server = ftp://example\n"
	                     "allow_insecure_http = maybe\n"
	                     "printer = window/3\n");
	r = tongban("", "config show");
	ck_assert_msg(r.rc == 1, "exit %d:\n%s", r.rc, r.out);
	ck_assert_msg(strstr(r.out, "tongban.conf:2：未知的设置项 bogus") != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, "tongban.conf:3：follow_up_days 须为 1 到 15 之间的整数"), "%s",
	              r.out);
	ck_assert_msg(strstr(r.out, "tongban.conf:4：应为“名称 = 值”") != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, "tongban.conf:5：server 须以 https:// 或 http:// 开头"), "%s",
	              r.out);
	ck_assert_msg(strstr(r.out, "tongban.conf:6：allow_insecure_http"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "tongban.conf:7：printer 不能含有"), "%s", r.out);
	expect_line(r, "lock_minutes", "= 10");
	expect_line(r, "follow_up_days", "= 5");
	expect_line(r, "server", "= http://127.0.0.1:8780");
	expect_line(r, "allow_insecure_http", "= 0");

	r = tongban("LANG=C", "config show lock_minutes");
	ck_assert_int_eq(r.rc, 1);
	ck_assert_msg(strstr(r.out, "tongban.conf:2: unknown setting bogus") != NULL, "%s", r.out);
	ck_assert_msg(strstr(r.out, "follow_up_days must be a whole number 1..15") != NULL, "%s",
	              r.out);

	/* tongban check fails on them; another command warns and runs */
	r = tongban("", "check");
	ck_assert_msg(r.rc == 1, "exit %d:\n%s", r.rc, r.out);
	ck_assert_msg(strstr(r.out, "未知的设置项 bogus") != NULL, "%s", r.out);
	r = tongban("", "calendar workday 2026-10-08");
	ck_assert_msg(r.rc == 0, "exit %d:\n%s", r.rc, r.out);
	ck_assert_msg(strstr(r.out, "tongban：设置有误：") != NULL, "%s", r.out);

	r = tongban("", "config show no_such_setting");
	ck_assert_int_eq(r.rc, 2);
	r = tongban("", "config");
	ck_assert_int_eq(r.rc, 2);
}
END_TEST

/* What the files say is what the program does: the language of its
 * messages, and the print command a reprint goes to. */
START_TEST(the_settings_are_used)
{
	char *db = xasprintf("%s/t.db", dir), *printed = xasprintf("%s/printed.txt", dir), *text,
	     *args;
	struct tbfixture fx;
	struct case_row row;
	struct store *st;
	struct err e = {0};
	struct run r;
	FILE *f;

	write_file(user_file, "lang = en\n");
	r = tongban("", "--help");
	ck_assert_msg(strstr(r.out, "Usage: tongban") != NULL, "%s", r.out);
	r = tongban("TONGBAN_LANG=zh", "--help");
	ck_assert_msg(strstr(r.out, "用法：tongban") != NULL, "the environment over the file:\n%s",
	              r.out);
	write_file(user_file, "lang = auto\n");
	r = tongban("LANG=C", "--help");
	ck_assert_msg(strstr(r.out, "Usage: tongban") != NULL, "%s", r.out);

	st = store_open(db, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_msg(tbfixture_open(&fx, st, NULL, &e) == 0, "%s", e.msg);
	ck_assert_msg(tbfixture_case(&fx, &decision_notice, TBFIX_ITEM, "张三", &row, &e) == 0,
	              "%s", e.msg);
	tbfixture_close(&fx);
	store_close(st);
	text = xasprintf("print_command = cat > '%s'\n", printed);
	write_file(sys_file, text);
	free(text);
	args = xasprintf("--db '%s' notice %s --print", db, row.case_no);
	r = tongban("", args);
	ck_assert_msg(r.rc == 0, "exit %d:\n%s", r.rc, r.out);
	f = fopen(printed, "r");
	ck_assert_msg(f != NULL, "the print command of the settings file did not run:\n%s", r.out);
	text = xmalloc(65536);
	text[fread(text, 1, 65535, f)] = '\0';
	fclose(f);
	ck_assert_msg(strstr(text, row.case_no) != NULL, "%s", text);
	free(text);
	free(args);
	free(db);
	free(printed);
}
END_TEST

/* The example installed under /usr/share/doc holds only real settings:
 * with every one of them put in force, nothing is a problem. */
START_TEST(the_example_file_is_valid)
{
	const char *src = getenv("TONGBAN_SRCDIR");
	char *path = xasprintf("%s/examples/tongban.conf", src ? src : "."), *text, *p;
	struct err e = {0};
	struct run r;
	int settings = 0;

	text = file_read_all(path, NULL, 1 << 16, &e);
	ck_assert_msg(text != NULL, "%s", e.msg);
	for (p = text; (p = strstr(p, "\n#")) != NULL; p++)
		if (p[2] >= 'a' && p[2] <= 'z' && strchr(p + 2, '=') &&
		    strchr(p + 2, '=') < strchr(p + 2, '\n')) {
			p[1] = ' '; /* "#name = value" is put in force */
			settings++;
		}
	ck_assert_int_ge(settings, 10);
	write_file(sys_file, text);
	r = tongban("", "config show");
	ck_assert_msg(r.rc == 0, "exit %d:\n%s", r.rc, r.out);
	expect_line(r, "printer", "= window3");
	expect_line(r, "server", "= https://tongband.example.gov.cn");
	free(text);
	free(path);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("settings files");
	TCase *tc = tcase_create("config");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, each_layer_overrides_the_one_below_and_says_so);
	tcase_add_test(tc, a_bad_line_is_named_and_the_value_below_stays);
	tcase_add_test(tc, the_settings_are_used);
	tcase_add_test(tc, the_example_file_is_valid);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
