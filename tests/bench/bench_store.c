/*
 * bench_store.c - the store's figures with a hall's years of data: the echo
 * of a keystroke in the real TUI (in a pty) on a database of 100,000 cases
 * and 200,000 outbox rows, and on an empty one; pushing 10,000 events to a
 * real tongband on loopback, into a new database and into the big one.
 * Prints figures and a summary against the targets of the budget; fails
 * only when a figure cannot be measured, never on a number.
 *
 * The database is made by raw inserts into the tables only (cases, events,
 * outbox), with the columns schema 5 already had, so the same generator
 * measures the previous release too.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/event.h"
#include "store/store.h"
#include "sync/login.h"
#include "sync/sync.h"
#include "tbcheck.h"
#include "tbfixture.h"
#include "tbserver.h"
#include "term.h"
#include "tmpdir.h"

#define N_CASES         100000
#define N_WAITING_CASES 1000 /* the newest: both events waiting */
#define PROBLEM_EVERY   1000 /* one case in so many: its second event refused */
#define CASES_PER_DAY   100
#define N_KEYS          200
#define NAME_MAX_CHARS  50 /* the name field's maxlen: then Ctrl-U */
#define N_PUSH_CASES    5000
#define ECHO_TARGET_MS  2.0
#define PUSH_TARGET_S   3.0

static long long clock_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- the database ---- */

struct gen {
	sqlite3 *db;
	sqlite3_stmt *cases, *events, *outbox;
	time_t today; /* 00:00 in the hall (UTC+8) */
	int sent, waiting, problems;
};

static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴"};
static const char *const given[] = {"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军"};

static void bind_texts(sqlite3_stmt *s, const char *const *v, int n)
{
	int i;

	sqlite3_reset(s);
	for (i = 0; i < n; i++)
		sqlite3_bind_text(s, i + 1, v[i], -1, SQLITE_TRANSIENT);
}

/* One event of case i and its outbox row in state ("sent", "waiting", "problem"). */
static int gen_event(struct gen *g, int i, int seq, const char *type, const char *payload,
                     const char *state, const char *case_id, const char *when)
{
	char uuid[40], body[1024], seq_s[8];
	const char *reason = strcmp(state, "problem") == 0 ? "out of order" : "";
	const char *attempts = strcmp(state, "waiting") == 0 ? "0" : "1";

	snprintf(uuid, sizeof uuid, "%08x-%04x-4000-8000-%012x", (unsigned)i, (unsigned)seq,
	         (unsigned)i * 7919u);
	snprintf(seq_s, sizeof seq_s, "%d", seq);
	snprintf(body, sizeof body,
	         "{\"uuid\":\"%s\",\"case_id\":\"%s\",\"seq\":%d,\"type\":\"%s\",\"hall\":\"H001\","
	         "\"window\":\"3\",\"clerk\":\"demo\",\"client_time\":\"%s\",\"payload\":%s}",
	         uuid, case_id, seq, type, when, payload);
	bind_texts(g->events, (const char *const[]){uuid, case_id, seq_s, type, body, when}, 6);
	bind_texts(g->outbox, (const char *const[]){uuid, case_id, state, attempts, reason, when},
	           6);
	if (sqlite3_step(g->events) != SQLITE_DONE || sqlite3_step(g->outbox) != SQLITE_DONE)
		return -1;
	g->sent += strcmp(state, "sent") == 0;
	g->waiting += strcmp(state, "waiting") == 0;
	g->problems += strcmp(state, "problem") == 0;
	return 0;
}

/* Case i: created, then accepted (one in ten awaiting a supplement); the
 * oldest days first, CASES_PER_DAY a day from 08:00, up to yesterday (today's
 * case numbers are left to the counter). */
static int gen_case(struct gen *g, int i)
{
	bool waiting = i >= N_CASES - N_WAITING_CASES, problem = i % PROBLEM_EVERY == 1;
	bool notice = i % 10 == 3;
	int days_back = (N_CASES - i + CASES_PER_DAY - 1) / CASES_PER_DAY;
	time_t t = g->today - (time_t)days_back * 86400 + 8 * 3600 + (i % CASES_PER_DAY) * 240;
	char id[40], no[64], official[64], when[32], name[64], fields[256], created[512],
	    decided[256];
	const char *state2 = waiting ? "waiting" : problem ? "problem" : "sent";

	time_iso_shanghai(t, when);
	snprintf(id, sizeof id, "%08x-0000-4000-8000-%012x", (unsigned)i, (unsigned)i * 104729u);
	snprintf(no, sizeof no, "H001-03-%.4s%.2s%.2s-%04d", when, when + 5, when + 8,
	         i % CASES_PER_DAY + 1);
	snprintf(official, sizeof official, "%s", waiting ? "" : no + 5);
	snprintf(name, sizeof name, "%s%s", surnames[i % 10], given[i / 10 % 10]);
	snprintf(fields, sizeof fields,
	         "{\"name\":\"%s\",\"id_number\":\"11010519491231002X\",\"phone\":\"13800138000\","
	         "\"kind\":\"person\"}",
	         name);
	snprintf(
	    created, sizeof created,
	    "{\"case_no\":\"%s\",\"item_code\":\"000101001000\",\"item_name\":\"建筑垃圾处置许可\","
	    "\"applicant\":%s}",
	    no, fields);
	snprintf(decided, sizeof decided,
	         notice ? "{\"materials\":[],\"supply_by\":\"%.10s\"}"
	                : "{\"materials\":[],\"promised_date\":\"%.10s\"}",
	         when);
	bind_texts(g->cases,
	           (const char *const[]){id, no, "000101001000", "建筑垃圾处置许可", name,
	                                 "11010519491231002X", "13800138000", fields,
	                                 notice ? "awaiting_supplement" : "accepted", "demo",
	                                 "H001", "3", "2", when, when, official},
	           16);
	if (sqlite3_step(g->cases) != SQLITE_DONE)
		return -1;
	if (gen_event(g, i, 1, "created", created, waiting ? "waiting" : "sent", id, when) < 0)
		return -1;
	return gen_event(g, i, 2, notice ? "notice_issued" : "accepted", decided, state2, id, when);
}

static int gen_prepare(struct gen *g)
{
	static const char *const sql[] = {
	    "INSERT INTO cases (id, case_no, item_code, item_name, applicant_name, id_number,"
	    " phone, fields, state, clerk_id, hall, window, last_seq, created_at, updated_at,"
	    " official_no) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	    " ?15, ?16)",
	    "INSERT INTO events (uuid, case_id, seq, type, body, created_at, origin)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'local')",
	    "INSERT INTO outbox (event_uuid, case_id, state, attempts, reason, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	};
	sqlite3_stmt **out[] = {&g->cases, &g->events, &g->outbox};
	size_t i;

	for (i = 0; i < 3; i++)
		if (sqlite3_prepare_v2(g->db, sql[i], -1, out[i], NULL) != SQLITE_OK)
			return -1;
	return 0;
}

/*
 * The schema by store_open, then N_CASES cases with two events each and
 * their outbox rows in one transaction.  0, or -1 with e filled.
 */
static int gen_database(const char *path, struct gen *g, struct err *e)
{
	struct store *st = store_open(path, e);
	int i, rc = 0;

	if (st == NULL)
		return -1;
	store_close(st);
	memset(g, 0, sizeof *g);
	g->today = time(NULL) - (time(NULL) + 8 * 3600) % 86400;
	if (sqlite3_open(path, &g->db) != SQLITE_OK || gen_prepare(g) < 0 ||
	    sqlite3_exec(g->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		rc = -1;
	for (i = 0; rc == 0 && i < N_CASES; i++)
		rc = gen_case(g, i);
	if (rc == 0 && sqlite3_exec(g->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = -1;
	if (rc < 0)
		err_set(e, "%s: %s", path, sqlite3_errmsg(g->db));
	sqlite3_finalize(g->cases);
	sqlite3_finalize(g->events);
	sqlite3_finalize(g->outbox);
	sqlite3_close(g->db);
	return rc;
}

/* ---- keystroke echo ---- */

struct echo {
	bool ok;
	double median, p95, p99, max; /* ms */
	double settle_s;              /* from login to the outbox drained */
};

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Pump until row holds text (or, !present, no longer does).  0, or -1 on
 * timeout or when the program is gone. */
static int wait_row(struct term *t, int row, const char *text, bool present, int timeout_ms)
{
	long long deadline = clock_ms() + timeout_ms;

	for (;;) {
		char *line = term_line(t, row);
		bool found = strstr(line, text) != NULL;

		free(line);
		if (found == present)
			return 0;
		if (clock_ms() >= deadline || term_pump(t, (int)(deadline - clock_ms())) < 0)
			return -1;
	}
}

/* Type N_KEYS letters into the field on row, Ctrl-U whenever it is full;
 * each key's time from writing it to its echo into times (us). */
static int type_keys(struct term *t, int row, long long *times)
{
	char typed[NAME_MAX_CHARS + 1] = "";
	int i;

	for (i = 0; i < N_KEYS; i++) {
		size_t len = strlen(typed);
		long long t0;

		if (len == NAME_MAX_CHARS) {
			term_send(t, TERM_KEY_CTRL('u'));
			if (wait_row(t, row, typed + len - 10, false, 5000) < 0)
				return -1;
			typed[len = 0] = '\0';
		}
		typed[len] = (char)('a' + i % 26);
		typed[++len] = '\0';
		t0 = clock_us();
		term_send(t, typed + len - 1);
		/* the box scrolls: look for the last ten characters typed */
		if (wait_row(t, row, len > 10 ? typed + len - 10 : typed, true, 5000) < 0)
			return -1;
		times[i] = clock_us() - t0;
	}
	return 0;
}

static void echo_figures(long long *times, struct echo *out)
{
	qsort(times, N_KEYS, sizeof times[0], cmp_ll);
	out->median = (double)times[N_KEYS / 2] / 1000.0;
	out->p95 = (double)times[N_KEYS * 95 / 100] / 1000.0;
	out->p99 = (double)times[N_KEYS * 99 / 100] / 1000.0;
	out->max = (double)times[N_KEYS - 1] / 1000.0;
	out->ok = true;
}

/* Log in online, wait until the events the database had waiting are pushed,
 * open a new intake of 建筑垃圾处置许可 and time the applicant name's echo. */
static void echo_in_tui(struct term *t, struct echo *out)
{
	long long times[N_KEYS], t0;
	int row;

	term_send(t, TBSERVER_CLERK TERM_KEY_TAB TBSERVER_PASSWORD TERM_KEY_ENTER);
	t0 = clock_ms();
	if (term_wait_text(t, "工作人员", 20000) != 0 ||
	    term_wait_text(t, "待同步 0 ", 120000) != 0) {
		printf("echo: no login, or the outbox never drained\n");
		return;
	}
	out->settle_s = (double)(clock_ms() - t0) / 1000.0;
	term_send(t, TERM_KEY_F2 "jzlj" TERM_KEY_ENTER);
	if (term_wait_text(t, "申请人姓名", 10000) != 0 ||
	    !term_find(t, "申请人姓名", &row, NULL) || term_wait_quiet(t, 300, 5000) != 0) {
		printf("echo: no intake screen\n");
		return;
	}
	if (type_keys(t, row, times) < 0) {
		char *screen = term_screen(t);

		printf("echo: a key never appeared; the screen:\n%s\n", screen);
		free(screen);
		return;
	}
	echo_figures(times, out);
}

/* The real tongban on db against a fresh tongband. */
static void bench_echo(const char *label, const char *db, struct echo *out)
{
	char db_arg[600], srv_arg[160], data_env[600];
	char *argv[] = {(char *)tbcheck_env("TONGBAN_BIN", "build/tongban"), db_arg, srv_arg, NULL};
	char *env[] = {data_env, "LANG=C.UTF-8", "TONGBAN_LANG=zh", NULL};
	struct err e = {0};
	struct tbserver *srv = tbserver_start(&e);
	struct term *t = NULL;

	memset(out, 0, sizeof *out);
	if (srv == NULL) {
		printf("echo: %s\n", e.msg);
		return;
	}
	snprintf(db_arg, sizeof db_arg, "--db=%s", db);
	snprintf(srv_arg, sizeof srv_arg, "--server=%s", tbserver_url(srv));
	snprintf(data_env, sizeof data_env, "TONGBAN_DATA=%s", tbcheck_env("TONGBAN_SRCDIR", "."));
	t = term_spawn(argv, env, 24, 80, &e);
	if (t == NULL || term_wait_text(t, "工号", 10000) != 0)
		printf("echo: cannot start tongban\n");
	else
		echo_in_tui(t, out);
	if (out->ok)
		printf("keystroke echo, %s: median %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms "
		       "(%d keys; logged in and outbox drained in %.1f s)\n",
		       label, out->median, out->p95, out->p99, out->max, N_KEYS, out->settle_s);
	if (t) {
		term_send(t, TERM_KEY_ESC TERM_KEY_F10);
		term_wait_exit(t, 10000, NULL);
	}
	term_close(t);
	tbserver_free(srv);
}

/* ---- push ---- */

/* n cases accepted at the counter, two events each.  0 or -1 with e. */
static int make_cases(struct store *st, const struct clerk *c, int n, struct err *e)
{
	struct tbfixture fx;
	int i;

	if (tbfixture_open(&fx, st, c, e) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (tbfixture_case(&fx, &decision_accept, TBFIX_ITEM, "测试", NULL, e) < 0)
			break;
	tbfixture_close(&fx);
	return i == n ? 0 : -1;
}

/*
 * N_PUSH_CASES cases accepted into the database at path (made if need be),
 * then every waiting event pushed to a fresh tongband in batches of 100:
 * the seconds the push took, or -1.
 */
static double bench_push(const char *label, const char *path)
{
	char tok[128];
	struct err e = {0};
	struct tbserver *srv = tbserver_start(&e);
	struct store *st = NULL;
	struct clerk clerk;
	struct outbox_counts oc;
	struct sync_progress p;
	long long t0;
	double s = -1;

	if (srv == NULL || (st = store_open(path, &e)) == NULL ||
	    login_clerk(st, tbserver_url(srv), TBSERVER_CLERK, TBSERVER_PASSWORD, &clerk, &e) !=
	        LOGIN_ONLINE ||
	    store_session_get(st, NULL, tok, NULL, &e) != 1)
		goto out;
	t0 = clock_ms();
	if (make_cases(st, &clerk, N_PUSH_CASES, &e) < 0 || store_outbox_counts(st, &oc, &e) < 0)
		goto out;
	printf("accept %d cases, %s (setup): %.2f s\n", N_PUSH_CASES, label,
	       (double)(clock_ms() - t0) / 1000.0);
	t0 = clock_us();
	if (sync_push(st, tbserver_url(srv), tok, 100, &p, NULL, NULL, &e) == SYNC_OK &&
	    p.applied == oc.waiting)
		s = (double)(clock_us() - t0) / 1e6;
	else if (!e.msg[0])
		err_set(&e, "%d of %d applied", p.applied, oc.waiting);
	if (s >= 0)
		printf("push %d events, %s (batch 100): %.2f s, %.0f events/s\n", p.applied, label,
		       s, p.applied / s);
out:
	if (s < 0)
		printf("push, %s: %s\n", label, e.msg);
	store_close(st);
	tbserver_free(srv);
	return s;
}

/* ---- summary ---- */

static void row(const char *figure, const char *value, const char *target, const char *met)
{
	printf("%-56s | %10s | %7s | %s\n", figure, value, target, met);
}

/* A row of one echo figure of the database named db; judged against the
 * budget when judged. */
static void row_echo(const char *db, const char *stat, const struct echo *x, double v, bool judged)
{
	char figure[128], value[32] = "n/a";
	const char *met = x->ok && v <= ECHO_TARGET_MS ? "yes" : "NO";

	snprintf(figure, sizeof figure, "keystroke echo, %s: %s", db, stat);
	if (x->ok)
		snprintf(value, sizeof value, "%.2f ms", v);
	row(figure, value, judged ? "<= 2 ms" : "-", judged ? met : "-");
}

static void row_push(const char *figure, double s)
{
	char value[32] = "n/a";

	if (s >= 0)
		snprintf(value, sizeof value, "%.2f s", s);
	row(figure, value, "<= 3 s", s >= 0 && s <= PUSH_TARGET_S ? "yes" : "NO");
}

static void summary(const struct echo *big, const struct echo *empty, double gen_s,
                    const double push_s[2])
{
	const struct echo *x[] = {big, empty};
	const char *db[] = {"100,000 cases, 200,000 outbox", "empty database"};
	char gen[32];
	int i;

	printf("\n");
	row("figure", "value", "target", "met");
	row("--------------------------------------------------------", "----------", "-------",
	    "---");
	for (i = 0; i < 2; i++) {
		row_echo(db[i], "median", x[i], x[i]->median, i == 0);
		row_echo(db[i], "p95", x[i], x[i]->p95, i == 0);
		row_echo(db[i], "p99", x[i], x[i]->p99, i == 0);
		row_echo(db[i], "max", x[i], x[i]->max, i == 0);
	}
	row_push("push 10,000 events, new database", push_s[0]);
	row_push("push 10,000 events, into the 100,000 cases", push_s[1]);
	snprintf(gen, sizeof gen, "%.2f s", gen_s);
	row("generate 100,000 cases, 200,000 outbox rows", gen, "-", "-");
}

int main(void)
{
	struct err e = {0};
	struct echo big, empty;
	struct gen g;
	char *dir, big_db[600], empty_db[600], push_db[600];
	long long t0;
	double gen_s, push_s[2];

	if (login_init() < 0) {
		printf("bench_store: libsodium init failed\n");
		return EXIT_FAILURE;
	}
	sync_global_init();
	if ((dir = harness_tmpdir("tongban-bench", &e)) == NULL) {
		printf("bench_store: %s\n", e.msg);
		return EXIT_FAILURE;
	}
	snprintf(big_db, sizeof big_db, "%s/big.db", dir);
	snprintf(empty_db, sizeof empty_db, "%s/empty.db", dir);
	snprintf(push_db, sizeof push_db, "%s/push.db", dir);
	t0 = clock_ms();
	if (gen_database(big_db, &g, &e) < 0) {
		printf("bench_store: %s\n", e.msg);
		harness_tmpdir_remove(dir);
		return EXIT_FAILURE;
	}
	gen_s = (double)(clock_ms() - t0) / 1000.0;
	printf("generated %d cases, %d events, outbox %d sent, %d waiting, %d problem: %.2f s\n",
	       N_CASES, g.sent + g.waiting + g.problems, g.sent, g.waiting, g.problems, gen_s);
	bench_echo("empty database", empty_db, &empty);
	bench_echo("100,000 cases, 200,000 outbox rows", big_db, &big);
	push_s[0] = bench_push("new database", push_db);
	push_s[1] = bench_push("into the 100,000 cases", big_db);
	summary(&big, &empty, gen_s, push_s);
	harness_tmpdir_remove(dir);
	free(dir);
	/* a figure that could not be measured fails; a number never does */
	return big.ok && empty.ok && push_s[0] >= 0 && push_s[1] >= 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
