/*
 * tests/e2e/test_crash.c - the real tongban killed with kill -9 at the
 * counter, as a power cut or a frozen PC does it, against a real tongband:
 *
 *  - beside other programs: while the clerk is logged in, `tongban sync`, a
 *    reprint (`tongban notice`) and the sqlite3 shell open the same database
 *    file; then the clerk accepts a case and the TUI is killed at once.  The
 *    case is there with its notice, the file is sound, and the -wal file the
 *    TUI writes into was never deleted under it (DESIGN.md: "Only SQLite
 *    opens the database file").  Rounds go on on the same database.
 *  - a decision never doubled: the key of each counter decision (and of the
 *    supplement after a one-time notice) is sent and the TUI killed d ms
 *    later.  After a restart, either the decision is there once and no
 *    draft offers it again, or the draft is offered and nothing was decided;
 *    an offered draft is then finished, and decided once.
 *
 * The lengths come from the environment: TONGBAN_CRASH_ROUNDS (default 10)
 * and TONGBAN_CRASH_DELAYS, the delays in ms as numbers and ranges (by
 * default "0-10,20,40": a decision is saved within a few ms of its key);
 * `make crash` runs 100 rounds and every delay 0-50.
 */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/i18n.h"
#include "db/db.h"
#include "store/store.h"
#include "tbcheck.h"
#include "tbserver.h"
#include "term.h"
#include "tmpdir.h"

#define DEFAULT_ROUNDS 10
#define DEFAULT_DELAYS "0-10,20,40"
#define MAX_DELAYS     256
#define MAX_FAILURES   16
/* 用气报装 · 工商户燃气报装: its 5th material (消防安全承诺书) may be committed */
#define GAS_ITEM "002005201002"

static struct tbserver *srv;
static char *dir, *db;

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	dir = harness_tmpdir("tongban-crash", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	db = xasprintf("%s/client.db", dir);
}

static void teardown(void)
{
	tbserver_free(srv);
	harness_tmpdir_remove(dir);
	free(dir);
	free(db);
}

/* ---- the lengths ------------------------------------------------------- */

static int rounds(void)
{
	int n = atoi(tbcheck_env("TONGBAN_CRASH_ROUNDS", "0"));

	return n > 0 ? n : DEFAULT_ROUNDS;
}

/* The delays of TONGBAN_CRASH_DELAYS ("0,2,5" or "0-50" or both) into out;
 * how many, or -1 when the list is not one. */
static int delays(int *out, int max)
{
	const char *p = tbcheck_env("TONGBAN_CRASH_DELAYS", DEFAULT_DELAYS);
	int n = 0;

	while (*p) {
		char *end;
		long from = strtol(p, &end, 10), to = from;

		if (*end == '-')
			to = strtol(end + 1, &end, 10);
		if (end == p || from < 0 || to < from || (*end != ',' && *end != '\0'))
			return -1;
		for (; from <= to && n < max; from++)
			out[n++] = (int)from;
		p = *end == ',' ? end + 1 : end;
	}
	return n;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- the TUI ------------------------------------------------------------- */

/* tongban on this test's database, logged in (online) at the home screen. */
static struct term *login(void)
{
	struct term *t = tbcheck_tongban(db, tbserver_url(srv), "C.UTF-8", 24, 80);

	tbcheck_login(t);
	/* the last line of the menu: the draft line above it is drawn */
	tbcheck_expect(t, "[F10] 退出");
	return t;
}

/* The applicant of trial n of a decision: surname and three Chinese digits,
 * so that no name is the start of another. */
static void applicant(char *out, size_t size, const char *surname, int n)
{
	static const char *const digit[] = {"〇", "一", "二", "三", "四",
	                                    "五", "六", "七", "八", "九"};

	snprintf(out, size, "%s%s%s%s", surname, digit[n / 100 % 10], digit[n / 10 % 10],
	         digit[n % 10]);
}

/* Send the key that decides, then kill -9 tongban delay_ms after the write. */
static void kill_after(struct term *t, const char *key, int delay_ms)
{
	struct timespec at;

	ck_assert_int_eq(term_send(t, key), 0);
	clock_gettime(CLOCK_MONOTONIC, &at);
	at.tv_sec += delay_ms / 1000;
	at.tv_nsec += (long)(delay_ms % 1000) * 1000000L;
	if (at.tv_nsec >= 1000000000L) {
		at.tv_sec++;
		at.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) != 0)
		;
	tbcheck_kill9(t);
}

/* The case number on the notice shown ("编号：..."), into out. */
static void notice_case_no(struct term *t, char *out, size_t n)
{
	int row, col;
	char *line, *no;

	tbcheck_expect(t, "编号：");
	ck_assert(term_find(t, "编号：", &row, &col));
	line = term_line(t, row);
	no = strstr(line, "编号：") + strlen("编号：");
	snprintf(out, n, "%s", no);
	free(line);
	ck_assert_msg(out[0] != '\0', "no case number on the notice");
}

/* Whether the home screen offers the draft of applicant name. */
static bool draft_offered(struct term *t, const char *name)
{
	char *line, *at;
	int row;
	bool yes;

	/* the whole home screen, not only its first rows */
	tbcheck_expect(t, "F10 退出");
	term_wait_quiet(t, 100, 5000);
	if (!term_find(t, "[F4] 继续未完成的草稿", &row, NULL))
		return false;
	line = term_line(t, row);
	at = strstr(line, name);
	yes = at && strcmp(at, name) == 0;
	free(line);
	return yes;
}

/* ---- other programs on the same database ------------------------------- */

/* Run cmd (a shell line); its exit status, its output into out. */
static int run(const char *cmd, char *out, size_t n)
{
	FILE *p = popen(cmd, "r");
	size_t got;
	int status;

	ck_assert_msg(p != NULL, "%s", cmd);
	got = fread(out, 1, n - 1, p);
	out[got] = '\0';
	status = pclose(p);
	ck_assert_msg(WIFEXITED(status), "%s: did not exit", cmd);
	return WEXITSTATUS(status);
}

/* `tongban --db DB --server URL ARGS`: its exit status and output. */
static int tongban(const char *args, char *out, size_t n)
{
	char *cmd =
	    xasprintf("LANG=C.UTF-8 TONGBAN_DATA='%s' '%s' --db '%s' --server '%s' %s 2>&1",
	              tbcheck_env("TONGBAN_SRCDIR", "."),
	              tbcheck_env("TONGBAN_BIN", "build/tongban"), db, tbserver_url(srv), args);
	int rc = run(cmd, out, n);

	free(cmd);
	return rc;
}

/* `sqlite3 DB SQL`: its output (stdout and stderr), exit status 0 asserted. */
static void sqlite3_shell(const char *sql, char *out, size_t n)
{
	char *cmd = xasprintf("sqlite3 '%s' '%s' 2>&1", db, sql);
	int rc = run(cmd, out, n);

	ck_assert_msg(rc == 0, "%s: exit %d: %s", cmd, rc, out);
	free(cmd);
}

/* ---- what the database holds (read only) ------------------------------- */

static struct db *open_db(void)
{
	struct err e = {0};
	struct db *h = db_open(db, DB_READONLY, 2000, &e);

	ck_assert_msg(h != NULL, "%s", e.msg);
	return h;
}

/* The number sql counts, with a (and b when not NULL) bound. */
static long long count(struct db *h, const char *sql, const char *a, const char *b)
{
	struct err e = {0};
	long long n = -1;

	ck_assert_msg(db_get_int(h, &e, &n, sql, b ? "ee" : "e", a, b) == 1, "%s: %s", sql, e.msg);
	return n;
}

/*
 * The -wal file, held open so that its inode number cannot be given to a new
 * file meanwhile; -1 when there is none.  This process has no SQLite
 * connection to the database while it holds it, so closing it drops no lock.
 */
static int wal_hold(void)
{
	char *wal = xasprintf("%s-wal", db);
	int fd = open(wal, O_RDONLY | O_CLOEXEC);

	free(wal);
	return fd;
}

/* Whether the held -wal file is still the one at its path, never unlinked. */
static bool wal_same(int fd)
{
	char *wal = xasprintf("%s-wal", db);
	struct stat held, now;
	bool yes = fstat(fd, &held) == 0 && held.st_nlink > 0 && stat(wal, &now) == 0 &&
	           now.st_ino == held.st_ino && now.st_dev == held.st_dev;

	free(wal);
	return yes;
}

/* ---- beside other programs ------------------------------------------------ */

struct beside {
	int rounds, lost, damaged, wal_deleted;
	char last_no[64]; /* a case that exists, for the reprint */
	long long cases;  /* cases in the database */
};

/* An accepted case typed in the TUI t for name; its number into no. */
static void accept_case(struct term *t, const char *name, char *no, size_t n)
{
	tbcheck_intake(t, "jzlj", name);
	term_send(t, TB_JZLJ_ALL_IN TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	notice_case_no(t, no, n);
}

/* The other programs, each to its end, while the TUI runs. */
static void others_meanwhile(struct beside *b)
{
	char out[8192], *args;
	int rc;

	rc = tongban("sync", out, sizeof out);
	ck_assert_msg(rc == 0 || rc == 1, "tongban sync: exit %d: %s", rc, out);
	args = xasprintf("notice '%s'", b->last_no);
	rc = tongban(args, out, sizeof out);
	ck_assert_msg(rc == 0 && strstr(out, b->last_no), "tongban %s: exit %d: %s", args, rc, out);
	free(args);
	sqlite3_shell("SELECT count(*) FROM cases", out, sizeof out);
	ck_assert_msg(atoll(out) == b->cases, "sqlite3 counts %s cases, %lld expected", out,
	              b->cases);
}

/* After the kill: the case and its notice (then it is the next reprint's),
 * and a sound file. */
static void check_round(struct beside *b, const char *no, const char *name)
{
	struct err e = {0};
	struct store *st = store_open_with(db, STORE_READONLY, 2000, &e);
	struct case_row row;
	char *notice = NULL, out[4096];

	ck_assert_msg(st != NULL, "%s", e.msg);
	if (store_case_get(st, no, &row, &e) != 1 || strcmp(row.name, name) != 0 ||
	    store_notice_latest(st, no, NULL, &notice, NULL, 0, &e) != 1 ||
	    strstr(notice, no) == NULL) {
		fprintf(stderr, "round %d: case %s (%s) lost or without its notice\n", b->rounds,
		        no, name);
		b->lost++;
	} else {
		snprintf(b->last_no, sizeof b->last_no, "%s", no);
	}
	free(notice);
	store_close(st);
	sqlite3_shell("PRAGMA integrity_check", out, sizeof out);
	if (strcmp(out, "ok\n") != 0) {
		fprintf(stderr, "round %d: integrity_check: %s\n", b->rounds, out);
		b->damaged++;
	}
	sqlite3_shell("SELECT count(*) FROM cases", out, sizeof out);
	b->cases = atoll(out);
}

static void beside_round(struct beside *b)
{
	struct term *t = login();
	char name[64], no[64];
	int wal;

	b->rounds++;
	tbcheck_expect(t, "● 在线");
	wal = wal_hold();
	ck_assert_msg(wal >= 0, "round %d: no -wal file after the login", b->rounds);
	others_meanwhile(b);
	applicant(name, sizeof name, "吴", b->rounds);
	accept_case(t, name, no, sizeof no);
	if (!wal_same(wal)) {
		fprintf(stderr, "round %d: the -wal file was deleted under the TUI\n", b->rounds);
		b->wal_deleted++;
	}
	close(wal);
	tbcheck_kill9(t);
	check_round(b, no, name);
}

START_TEST(the_database_is_safe_beside_other_programs)
{
	struct beside b;
	struct timespec t0;
	struct term *t;
	int n = rounds();

	memset(&b, 0, sizeof b);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* a first case, for the first reprint */
	t = login();
	accept_case(t, "郑〇〇〇", b.last_no, sizeof b.last_no);
	tbcheck_quit(t);
	b.cases = 1;
	while (b.rounds < n)
		beside_round(&b);
	printf("beside other programs: rounds %d, cases lost %d, integrity failures %d, "
	       "wal deletions %d (%.1f s)\n",
	       b.rounds, b.lost, b.damaged, b.wal_deleted, seconds_since(&t0));
	fflush(stdout);
	ck_assert_msg(b.lost == 0 && b.damaged == 0 && b.wal_deleted == 0,
	              "lost %d, damaged %d, wal deleted %d", b.lost, b.damaged, b.wal_deleted);
}
END_TEST

/* ---- a decision never doubled ---------------------------------------------- */

struct counter_decision {
	const char *name;            /* as printed */
	const char *surname;         /* of its applicants */
	const char *query;           /* finds the item */
	const char *ticks;           /* the checklist as typed */
	const char *event;           /* the event the decision writes */
	const char *noticed;         /* the event its notice is kept with */
	const char *notice;          /* the title of its notice */
	void (*ask)(struct term *t); /* what it asks before deciding, NULL: nothing */
	const char *key;             /* the key that decides */
	bool supplement;             /* of a case awaiting it (made by a notice first) */
};

static void ask_note(struct term *t)
{
	term_send(t, TERM_KEY_F6);
	tbcheck_expect(t, "补充说明");
}

/* The refusal's dialog: the second reason, its detail, the competent body. */
static void ask_refusal(struct term *t)
{
	term_send(t, TERM_KEY_F8);
	tbcheck_expect(t, "不予受理的理由");
	term_send(t, TERM_KEY_RIGHT TERM_KEY_TAB
	          "申请人所述事项属于另一部门职责" TERM_KEY_TAB TERM_KEY_TAB "市住房和城乡建设局");
	tbcheck_expect(t, "申请人所述事项属于另一部门职责");
}

static const struct counter_decision decisions[] = {
    {"accept (F5)", "赵", "jzlj", TB_JZLJ_ALL_IN, "accepted", "accepted", "受理通知书", NULL,
     TERM_KEY_F5, false},
    {"one-time notice (F6)", "钱", "jzlj", "   4    ", "notice_issued", "notice_issued",
     "补正材料通知书", ask_note, TERM_KEY_ENTER, false},
    {"accept on commitment (F7)", "孙", GAS_ITEM, "    6", "committed", "committed", "告知承诺书",
     NULL, TERM_KEY_F7, false},
    {"refuse (F8)", "李", "jzlj", "", "refused", "refused", "不予受理通知书", ask_refusal,
     TERM_KEY_F2, false},
    /* the supplement's notice is its acceptance's */
    {"supplement (F3 Enter F2, F5)", "周", "jzlj", "   4    ", "supplemented", "accepted",
     "受理通知书", NULL, TERM_KEY_F5, true},
};
#define N_DECISIONS ((int)(sizeof decisions / sizeof decisions[0]))
#define NOTICE      (&decisions[1]) /* what makes a case await its supplement */

struct tally {
	int trials, decided, offered, duplicates, lost;
	char offered_at[256]; /* the delays at which the draft was offered: "0 1 3" */
	char failures[MAX_FAILURES][256];
	int n_failures;
};

static void failed(struct tally *y, const char *what, const struct counter_decision *d, int delay)
{
	if (y->n_failures < MAX_FAILURES)
		snprintf(y->failures[y->n_failures++], sizeof y->failures[0],
		         "%s killed at %d ms: %s", d->name, delay, what);
}

/* The applicant's cases as the database has them. */
struct found {
	long long cases;     /* with this applicant's name */
	long long decisions; /* the decision's events on them */
	long long doubled;   /* decision events of one type on one case beyond the first */
	long long notices;   /* notices kept with the decision */
	long long drafts;    /* demo's intake drafts naming the applicant */
};

static struct found look_up(const struct counter_decision *d, const char *name)
{
	struct db *h = open_db();
	struct found f;

	f.cases = count(h, "SELECT count(*) FROM cases WHERE applicant_name = ?1", name, NULL);
	f.decisions = count(h,
	                    "SELECT count(*) FROM events e JOIN cases c ON c.id = e.case_id"
	                    " WHERE c.applicant_name = ?1 AND e.type = ?2",
	                    name, d->event);
	f.doubled =
	    count(h,
	          "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM events e"
	          " JOIN cases c ON c.id = e.case_id WHERE c.applicant_name = ?1 AND e.type"
	          " IN ('accepted', 'notice_issued', 'committed', 'refused', 'supplemented')"
	          " GROUP BY e.case_id, e.type)",
	          name, NULL);
	f.notices = count(h,
	                  "SELECT count(*) FROM notices n JOIN events e ON e.uuid = n.event_uuid"
	                  " JOIN cases c ON c.id = e.case_id WHERE c.applicant_name = ?1"
	                  " AND e.type = ?2",
	                  name, d->noticed);
	f.drafts =
	    count(h, "SELECT count(*) FROM drafts WHERE clerk_id = 'demo' AND instr(body, ?1) > 0",
	          name, NULL);
	db_close(h);
	return f;
}

/* Whether the decision is there exactly once, with its notice. */
static bool decided_once(const struct found *f)
{
	return f->cases == 1 && f->decisions == 1 && f->notices == 1 && f->doubled == 0;
}

/* Whether nothing of the decision was saved: for an intake, no case; for a
 * supplement, the case as the notice left it. */
static bool undecided(const struct counter_decision *d, const struct found *f)
{
	return f->cases == (d->supplement ? 1 : 0) && f->decisions == 0 && f->notices == 0;
}

/* The screen's answer to the decision key: its notice, then home. */
static void notice_then_home(struct term *t, const struct counter_decision *d)
{
	tbcheck_expect(t, d->notice);
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "[F2] 新建收件");
}

/* From home: the newest case (awaiting its supplement, of name) found and
 * opened, the missing material brought, up to the key. */
static void type_supplement(struct term *t, const char *name)
{
	term_send(t, TERM_KEY_F3);
	tbcheck_expect(t, "查找案件");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人：");
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "★待补");
	tbcheck_expect(t, name);
	term_send(t, "1");
	if (term_wait_gone(t, "[缺]", 15000) != 0)
		ck_abort_msg("the missing material was not ticked");
}

/* The intake of d for name typed up to the key that decides. */
static void type_decision(struct term *t, const struct counter_decision *d, const char *name)
{
	tbcheck_intake(t, d->query, name);
	term_send(t, d->ticks);
	/* every tick drawn: the draft holds them all */
	if (d->ticks[0] && term_wait_gone(t, "[未核对]", 15000) != 0)
		ck_abort_msg("the materials were not all checked");
	if (d->supplement) {
		NOTICE->ask(t);
		term_send(t, NOTICE->key);
		notice_then_home(t, NOTICE);
		type_supplement(t, name);
	} else if (d->ask) {
		d->ask(t);
	}
}

/* What the clerk does when the decision was not made: resume the draft and
 * decide (or take the supplement again). */
static void decide_again(struct term *t, const struct counter_decision *d, const char *name)
{
	if (d->supplement) {
		type_supplement(t, name);
	} else {
		term_send(t, TERM_KEY_F4);
		tbcheck_expect(t, "申请人姓名");
		tbcheck_expect(t, name);
		term_send(t, TB_TO_CHECKLIST);
		tbcheck_expect(t, "空格=原件");
		if (d->ask)
			d->ask(t);
	}
	term_send(t, d->key);
	notice_then_home(t, d);
}

/* What the restart after the kill finds (t: the new TUI at home); then what
 * the clerk does with an offered draft (or a case still awaiting its
 * supplement): finish the decision, which must then be there once. */
static void judge(struct term *t, const struct counter_decision *d, const char *name, int delay,
                  struct tally *y)
{
	struct found f = look_up(d, name);
	bool on_screen = draft_offered(t, name);
	bool again = d->supplement ? undecided(d, &f) : on_screen;
	bool doubled = f.cases > 1 || f.doubled > 0 || (decided_once(&f) && f.drafts > 0);

	y->trials++;
	if (on_screen != (f.drafts > 0) || (d->supplement && on_screen))
		failed(y, "the home screen and the drafts table disagree", d, delay);
	if (doubled) {
		y->duplicates++;
		failed(y, "decided, and recorded or offered again", d, delay);
	} else if (decided_once(&f)) {
		y->decided++;
	} else if (again && undecided(d, &f)) {
		size_t at = strlen(y->offered_at);

		y->offered++;
		snprintf(y->offered_at + at, sizeof y->offered_at - at, " %d", delay);
	} else {
		y->lost++;
		failed(y, "neither decided nor offered again as it was", d, delay);
	}
	if (!again)
		return;
	decide_again(t, d, name);
	f = look_up(d, name);
	if (!decided_once(&f) || f.drafts > 0) {
		y->duplicates += !doubled;
		failed(y, "not there exactly once after the clerk finished it", d, delay);
	}
}

/* Every delay for decision d; the TUI t is at home, and the one returned. */
static struct term *crash_decision(struct term *t, const struct counter_decision *d,
                                   const int *delay, int n, struct tally *y)
{
	struct timespec t0;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		char name[64];

		applicant(name, sizeof name, d->surname, i);
		type_decision(t, d, name);
		kill_after(t, d->key, delay[i]);
		t = login();
		judge(t, d, name, delay[i], y);
	}
	printf("%-26s trials %3d, decided before the kill %3d, draft offered %3d, "
	       "duplicates %d, lost %d (%.1f s; offered at ms:%s)\n",
	       d->name, y->trials, y->decided, y->offered, y->duplicates, y->lost,
	       seconds_since(&t0), y->offered_at);
	fflush(stdout);
	return t;
}

START_TEST(a_decision_is_never_doubled_by_a_crash)
{
	struct tally tally[N_DECISIONS];
	int delay[MAX_DELAYS], n = delays(delay, MAX_DELAYS), i, j, bad = 0, rc;
	struct term *t;
	char out[8192];

	ck_assert_msg(n > 0, "TONGBAN_CRASH_DELAYS: not a list of delays");
	memset(tally, 0, sizeof tally);
	t = login();
	for (i = 0; i < N_DECISIONS; i++)
		t = crash_decision(t, &decisions[i], delay, n, &tally[i]);
	tbcheck_quit(t);
	for (i = 0; i < N_DECISIONS; i++)
		for (j = 0; j < tally[i].n_failures; j++, bad++)
			fprintf(stderr, "%s\n", tally[i].failures[j]);
	rc = tongban("sync", out, sizeof out);
	ck_assert_msg(rc == 0, "tongban sync: exit %d: %s", rc, out);
	ck_assert_msg(bad == 0, "%d checks failed (above)", bad);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("crash e2e");
	TCase *tc = tcase_create("crash");
	int delay[MAX_DELAYS], n = delays(delay, MAX_DELAYS);

	tcase_add_checked_fixture(tc, setup, teardown);
	/* a few seconds a round or a trial, with room for a slow machine */
	tcase_set_timeout(tc, 60 + 10 * (rounds() + N_DECISIONS * (n > 0 ? n : 0)));
	tcase_add_test(tc, the_database_is_safe_beside_other_programs);
	tcase_add_test(tc, a_decision_is_never_doubled_by_a_crash);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
