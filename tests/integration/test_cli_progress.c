/*
 * tests/integration/test_cli_progress.c - the progress of long work in the
 * shell: tongban sync of a thousand waiting events against a real tongband,
 * and tongban db recover of a database of five hundred cases.  In a
 * pseudo-terminal (read through libvterm) a bar redrawn on one row, full at
 * the end; with standard error a file (cron), a plain line per tenth of
 * the way, and nothing at all for a sync with little to do.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/i18n.h"
#include "store/store.h"
#include "sync/login.h"
#include "tbcheck.h"
#include "tbfixture.h"
#include "tbserver.h"
#include "term.h"
#include "tmpdir.h"

#define N_CASES  500 /* accepted at the counter: two events each */
#define N_EVENTS (2 * N_CASES)

static struct tbserver *srv;
static struct store *st;
static char *dir, path[512];

/* n cases accepted at the counter by the logged-in clerk. */
static void make_cases(const struct clerk *c, int n)
{
	struct tbfixture fx;
	struct err e = {0};
	int i;

	ck_assert_msg(tbfixture_open(&fx, st, c, &e) == 0, "%s", e.msg);
	for (i = 0; i < n; i++)
		ck_assert_msg(tbfixture_case(&fx, &decision_accept, TBFIX_ITEM, "测试", NULL, &e) ==
		                  0,
		              "%s", e.msg);
	tbfixture_close(&fx);
}

/* A database of n accepted cases, its clerk logged in to the server. */
static void setup_n(int n)
{
	struct clerk clerk;
	struct err e = {0};

	dir = harness_tmpdir("tongban-progress", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	snprintf(path, sizeof path, "%s/tongban.db", dir);
	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	ck_assert_int_eq(login_init(), 0);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "demo123", &clerk, &e),
	                 LOGIN_ONLINE);
	make_cases(&clerk, n);
	store_close(st);
}

static void setup(void)
{
	setup_n(N_CASES);
}

static void setup_small(void)
{
	setup_n(2);
}

static void teardown(void)
{
	tbserver_free(srv);
	harness_tmpdir_remove(dir);
	free(dir);
}

/* tongban --db path ARGS (NULL-terminated, at most 6) in Chinese in a
 * 30 x 100 pty; waits for its exit and returns the screen (caller frees). */
static char *on_terminal(const char *const *args)
{
	char *argv[10] = {(char *)tbcheck_env("TONGBAN_BIN", "build/tongban"), "--db", path};
	char *env[] = {"TONGBAN_LANG=zh", NULL};
	struct err e = {0};
	struct term *t;
	char *screen;
	int n = 3, waited = 0;

	while (*args && n < 9)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	t = term_spawn(argv, env, 30, 100, &e);
	ck_assert_msg(t != NULL, "%s", e.msg);
	while (term_pump(t, 1000) >= 0 && waited++ < 120)
		;
	screen = term_screen(t);
	term_close(t);
	return screen;
}

/* What a run under LANG=C wrote, with standard error to a file (as cron). */
struct run {
	int rc;
	char *out, *err;
};

static char *read_or_empty(const char *p)
{
	size_t len;
	char *s = file_read_all(p, &len, 1 << 20, NULL);

	return s ? s : xstrdup("");
}

/* tongban --db path ARGS (shell words) under LANG=C.  Free with run_free. */
static struct run to_files(const char *args)
{
	char *out_path = xasprintf("%s/stdout", dir), *err_path = xasprintf("%s/stderr", dir);
	char *cmd =
	    xasprintf("env -u LC_ALL -u LC_MESSAGES -u TONGBAN_LANG LANG=C '%s' --db '%s' "
	              "%s >'%s' 2>'%s'",
	              tbcheck_env("TONGBAN_BIN", "build/tongban"), path, args, out_path, err_path);
	int status = system(cmd);
	struct run r = {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_or_empty(out_path),
	                read_or_empty(err_path)};

	free(cmd);
	free(out_path);
	free(err_path);
	return r;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* "sync" against the test's server, for to_files.  Caller frees. */
static char *sync_args(void)
{
	return xasprintf("--server '%s' sync", tbserver_url(srv));
}

/* How many rows of screen (or lines of a file) start with text. */
static int lines_with(const char *s, const char *text)
{
	int n = 0;

	for (; s && *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL)
		n += strncmp(s, text, strlen(text)) == 0;
	return n;
}

/* The percentages of the "copy: " lines of s, in order, into pct (at most
 * max); how many. */
static int copy_percents(const char *s, int *pct, int max)
{
	int n = 0;

	for (; s && *s && n < max; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL)
		if (strncmp(s, "copy: ", 6) == 0 && strchr(s, '(') != NULL)
			pct[n++] = atoi(strchr(s, '(') + 1);
	return n;
}

START_TEST(sync_of_a_thousand_events_draws_one_bar_on_a_terminal)
{
	const char *args[] = {"--server", tbserver_url(srv), "sync", NULL};
	char *screen = on_terminal(args);

	/* redrawn in place: one row, full at the end, the counts after it */
	ck_assert_msg(lines_with(screen, "上传 [####################] 100% 1000/1000 新增 1000，"
	                                 "重复 0，问题 0") == 1,
	              "%s", screen);
	ck_assert_msg(lines_with(screen, "上传 ") == 1, "%s", screen);
	/* the changes pulled after it: how many, no bar (nobody knows how many come) */
	ck_assert_msg(lines_with(screen, "下载变更 501 审批决定 0") == 1, "%s", screen);
	ck_assert_msg(strstr(screen, "同步：新增 1000，重复 0，问题 0，待上传 0") != NULL, "%s",
	              screen);
	free(screen);
}
END_TEST

START_TEST(sync_of_a_thousand_events_writes_a_line_per_tenth_to_a_file)
{
	char *args = sync_args();
	struct run r = to_files(args);

	ck_assert_msg(r.rc == 0, "exit %d: %s", r.rc, r.err);
	/* batches of 100 events: each a tenth */
	ck_assert_msg(lines_with(r.err, "push: ") == 10, "%s", r.err);
	ck_assert_msg(strstr(r.err, "push: 100/1000 (10%) applied 100, duplicate 0, problem 0\n") !=
	                  NULL,
	              "%s", r.err);
	ck_assert_msg(
	    strstr(r.err, "push: 1000/1000 (100%) applied 1000, duplicate 0, problem 0\n") != NULL,
	    "%s", r.err);
	ck_assert_msg(strchr(r.err, '\r') == NULL && strchr(r.err, '[') == NULL, "%s", r.err);
	run_free(&r);
	free(args);
}
END_TEST

START_TEST(sync_with_little_to_do_stays_silent_for_cron)
{
	char *args = sync_args();
	struct run r = to_files(args);

	ck_assert_msg(r.rc == 0 && r.err[0] == '\0', "exit %d, stderr: %s", r.rc, r.err);
	ck_assert_msg(strstr(r.out, "sync: applied 4,") != NULL, "%s", r.out);
	run_free(&r);
	free(args);
}
END_TEST

/* The rows db recover says it read: the sum of its report's "read N". */
static long long rows_recovered(const char *out)
{
	long long sum = 0;
	const char *p = out;

	while ((p = strstr(p, ": read ")) != NULL) {
		p += strlen(": read ");
		sum += atoll(p);
	}
	return sum;
}

START_TEST(db_recover_draws_one_bar_on_a_terminal)
{
	char *new_db = xasprintf("%s/new.db", dir);
	const char *args[] = {"db", "recover", new_db, NULL};
	char *screen = on_terminal(args);

	ck_assert_msg(lines_with(screen, "复制 [####################] 100% ") == 1, "%s", screen);
	ck_assert_msg(lines_with(screen, "复制 ") == 1, "%s", screen);
	ck_assert_msg(strstr(screen, "救出：案件 500 件") != NULL, "%s", screen);
	free(screen);
	free(new_db);
}
END_TEST

START_TEST(db_recover_writes_a_line_per_tenth_to_a_file)
{
	char *args = xasprintf("db recover '%s/new.db'", dir), want[64];
	struct run r = to_files(args);
	int pct[16], n, i;

	ck_assert_msg(r.rc == 0, "exit %d: %s", r.rc, r.err);
	/* a line when the work passes into another tenth (the rows come a
	 * table or a thousand at a time, so some tenths are passed together),
	 * from 0% to 100% */
	n = copy_percents(r.err, pct, 16);
	ck_assert_msg(n >= 3 && n <= 11 && n == lines_with(r.err, "copy: "), "%s", r.err);
	ck_assert_msg(pct[0] == 0 && pct[n - 1] == 100, "%s", r.err);
	for (i = 1; i < n; i++)
		ck_assert_msg(pct[i] / 10 > pct[i - 1] / 10, "%s", r.err);
	/* the last line counts every row the report says was read */
	snprintf(want, sizeof want, "copy: %lld/%lld (100%%) table ", rows_recovered(r.out),
	         rows_recovered(r.out));
	ck_assert_msg(strstr(r.err, want) != NULL, "\"%s\" not in:\n%s\nreport:\n%s", want, r.err,
	              r.out);
	ck_assert_msg(strchr(r.err, '\r') == NULL, "%s", r.err);
	run_free(&r);
	free(args);
}
END_TEST

static Suite *progress_suite(void)
{
	Suite *s = suite_create("cli_progress");
	TCase *tc = tcase_create("long work");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, sync_of_a_thousand_events_draws_one_bar_on_a_terminal);
	tcase_add_test(tc, sync_of_a_thousand_events_writes_a_line_per_tenth_to_a_file);
	tcase_add_test(tc, db_recover_draws_one_bar_on_a_terminal);
	tcase_add_test(tc, db_recover_writes_a_line_per_tenth_to_a_file);
	suite_add_tcase(s, tc);
	tc = tcase_create("short work");
	tcase_add_checked_fixture(tc, setup_small, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sync_with_little_to_do_stays_silent_for_cron);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	return tbcheck_run(progress_suite());
}
