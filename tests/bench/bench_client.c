/*
 * bench_client.c - how fast the clerk's side is on this machine: saving a
 * case (one fsync'd transaction), searching the catalogue, checking an ID
 * number, and the echo time of a keystroke through the real TUI in a pty,
 * with the server idle and with the server stuck (5 s per push).
 * Prints figures; never fails on a number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "core/catalogue.h"
#include "core/idcard.h"
#include "core/paths.h"
#include "store/store.h"
#include "tbcheck.h"
#include "tbfixture.h"
#include "tbserver.h"
#include "term.h"

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static void bench_store(void)
{
	char dir[] = "/tmp/tongban-bench-XXXXXX", path[128], cmd[160];
	struct tbfixture fx;
	struct case_row row;
	struct err e = {0};
	struct store *st;
	long long t0;
	int i, n = 1000;

	if (mkdtemp(dir) == NULL)
		return;
	snprintf(path, sizeof path, "%s/c.db", dir);
	st = store_open(path, &e);
	if (st == NULL) {
		printf("store: %s\n", e.msg);
		return;
	}
	if (tbfixture_open(&fx, st, NULL, &e) < 0) {
		printf("store: %s\n", e.msg);
		store_close(st);
		return;
	}
	t0 = clock_ms();
	for (i = 0; i < n; i++)
		tbfixture_case(&fx, &decision_accept, TBFIX_ITEM, "张三丰", &row, &e);
	printf("accept a new case (case, 2 events, outbox, notice; one synchronous=FULL "
	       "transaction): %d in %lld ms, %.0f/s\n",
	       n, clock_ms() - t0, n * 1000.0 / (double)(clock_ms() - t0 + 1));
	tbfixture_close(&fx);
	store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("could not remove %s\n", dir);
}

static void bench_search(void)
{
	const char *top = env_or("TONGBAN_SRCDIR", ".");
	char *cat = paths_join(top, "data/catalogue.json"),
	     *py = paths_join(top, "data/pinyin.tsv");
	const char *queries[] = {"jzlj", "不动产", "bdcdj", "0001", "社会保障卡", "zzz"};
	const struct item *out[64];
	struct err e = {0};
	struct catalogue *c;
	long long t0;
	int i, n = 20000;
	size_t hits = 0;

	t0 = clock_ms();
	c = catalogue_load(cat, py, &e);
	printf("load catalogue + pinyin table: %lld ms\n", clock_ms() - t0);
	if (c == NULL) {
		printf("catalogue: %s\n", e.msg);
		goto out;
	}
	t0 = clock_ms();
	for (i = 0; i < n; i++)
		hits += catalogue_search(c, queries[i % 6], out, 64);
	printf("catalogue search (%zu items): %d queries in %lld ms, %.1f us/query (%zu hits)\n",
	       c->n_items, n, clock_ms() - t0, (double)(clock_ms() - t0) * 1000.0 / n, hits);
	catalogue_free(c);
out:
	free(cat);
	free(py);
}

static void bench_idcard(void)
{
	struct tb_date today = {2026, 11, 25};
	struct idcard_info info;
	enum idcard_error why;
	long long t0 = clock_ms();
	int i, n = 1000000, ok = 0;

	for (i = 0; i < n; i++)
		ok += idcard_check("11010519491231002X", &today, &info, &why) == 0;
	printf("ID number check: %d in %lld ms (%d valid)\n", n, clock_ms() - t0, ok);
}

/* The peak resident memory (VmHWM) of a running process. */
static void print_peak_rss(int pid)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", pid);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			printf(
			    "tongban TUI peak memory (argon2id login hash: 64 MiB for an instant): "
			    "%s",
			    line + 6 + strspn(line + 6, " \t"));
		else if (strncmp(line, "VmRSS:", 6) == 0)
			printf("tongban TUI resident memory while typing: %s",
			       line + 6 + strspn(line + 6, " \t"));
	fclose(f);
}

/* Type n characters one by one into the applicant name and time each echo. */
static void bench_echo(const char *label, const char *faults)
{
	struct err e = {0};
	struct tbserver *srv;
	struct term *t;
	char dir[] = "/tmp/tongban-bench-XXXXXX", db[160], srv_arg[160], data_env[600], cmd[160];
	char *argv[] = {(char *)env_or("TONGBAN_BIN", "build/tongban"), db, srv_arg, NULL};
	char *env[] = {data_env, "LANG=C.UTF-8", "TONGBAN_LANG=zh", NULL};
	long long times[45];
	char typed[128] = "";
	int i, n = 45; /* the name takes at most 50 */

	if (faults)
		setenv("TONGBAND_FAULTS", faults, 1);
	srv = tbserver_start(&e);
	unsetenv("TONGBAND_FAULTS");
	if (srv == NULL || mkdtemp(dir) == NULL) {
		printf("echo: %s\n", e.msg);
		tbserver_free(srv);
		return;
	}
	snprintf(db, sizeof db, "--db=%s/c.db", dir);
	snprintf(srv_arg, sizeof srv_arg, "--server=%s", tbserver_url(srv));
	snprintf(data_env, sizeof data_env, "TONGBAN_DATA=%s", env_or("TONGBAN_SRCDIR", "."));
	t = term_spawn(argv, env, 24, 80, &e);
	if (t == NULL || term_wait_text(t, "工号", 10000) != 0) {
		printf("echo: cannot start tongban\n");
		goto out;
	}
	term_send(t, "demo" TERM_KEY_TAB "demo123" TERM_KEY_ENTER);
	term_wait_text(t, "工作人员", 10000);
	/* a first case, so the background push is under way (and stuck when slow) */
	term_send(t, TERM_KEY_F2 "jzlj" TERM_KEY_ENTER TB_APPLICANT("张三丰")
	                 TB_JZLJ_FIELDS TB_TO_CHECKLIST "        " TERM_KEY_F5);
	term_wait_text(t, "受理通知书", 10000);
	term_send(t, TERM_KEY_ESC TERM_KEY_F2 "jzlj" TERM_KEY_ENTER);
	term_wait_text(t, "申请人姓名", 10000);
	for (i = 0; i < n; i++) {
		char one[2] = {(char)('a' + i % 26), '\0'};
		long long t0 = clock_ms();

		size_t len;

		strcat(typed, one);
		len = strlen(typed);
		term_send(t, one);
		/* the box scrolls: look for the last ten characters typed */
		if (term_wait_text(t, len > 10 ? typed + len - 10 : typed, 5000) != 0) {
			printf("echo: character %d never appeared\n", i);
			break;
		}
		times[i] = clock_ms() - t0;
	}
	if (i == n) {
		qsort(times, (size_t)n, sizeof times[0], cmp_ll);
		printf("keystroke echo through the pty, %s: median %lld ms, p95 %lld ms, max %lld "
		       "ms (%d keys)\n",
		       label, times[n / 2], times[n * 95 / 100], times[n - 1], n);
	}
	print_peak_rss(term_pid(t));
	term_send(t, TERM_KEY_ESC TERM_KEY_F10);
	term_wait_exit(t, 10000, NULL);
out:
	term_close(t);
	tbserver_free(srv);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("could not remove %s\n", dir);
}

int main(void)
{
	struct rusage ru;

	bench_store();
	bench_search();
	bench_idcard();
	bench_echo("server idle", NULL);
	bench_echo("server stuck 5 s per push", "slow=5000:path=/v1/events");
	getrusage(RUSAGE_SELF, &ru);
	printf("peak memory of this benchmark process: %ld KiB\n", ru.ru_maxrss);
	return 0;
}
