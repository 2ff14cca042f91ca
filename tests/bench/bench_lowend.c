/*
 * bench_lowend.c - issue 13's figures on this machine, against dialog (and
 * whiptail where it applies), in one run, printed as one table: figure |
 * tongban | dialog | ratio | target | met, each row followed by what made it.
 *
 * It makes its own data: a 20,000-item catalogue at the bundled density
 * (the bundled items again and again, each copy with its own codes and
 * department), a 100,000-item one, and the 100,000-case database of
 * tests/harness/tbgen.c.  tongban and dialog are started alternately, each
 * in an 80x24 pty read through libvterm (tests/harness/term.c), so a busy
 * moment of the machine falls on both.  The start, memory and search rows
 * run again on one core (taskset -c 0) under a 512 MiB address-space limit
 * (prlimit --as).  Instruction counts come from valgrind's callgrind (the
 * hardware counters of perf stat are often missing in a VM); a tool that is
 * not installed leaves its row as "not installed".
 *
 * TONGBAN_BENCH_QUICK=1 stops after the start and login rows (a minute or
 * two instead of the whole run), to judge a change to start-up quickly;
 * TONGBAN_BENCH_QUICK=search runs only the item search rows, =typing those
 * and the session's typing rows (burst, paced, memory, bytes per key),
 * =onecore only the first-screen rows on one core under 512 MiB,
 * =central (or TONGBAN_BENCH_CENTRAL=1) only the rows of the central
 * catalogue through sync, to judge a change to the download or to
 * tongband's answer.
 *
 * Prints figures; never fails on a number, only when a program cannot run.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <json-c/json.h>

#include "core/catalogue.h"
#include "core/utf8.h"
#include "store/store.h"
#include "sync/login.h"
#include "sync/sync.h"
#include "tbcheck.h"
#include "tbgen.h"
#include "tbserver.h"
#include "term.h"
#include "tmpdir.h"

#define N_STARTS      15 /* alternated runs of each program per start row (a busy machine: many) */
#define N_INTAKES     1000
#define BURST_CHARS   5000
#define PACE_PER_S    1000
#define PACE_SECONDS  60
#define BIG_ITEMS     20000
#define HUGE_ITEMS    100000
#define WAIT_MS       20000
#define MIB           (1024.0 * 1024.0)
#define ONE_CORE_512M "taskset -c 0 prlimit --as=536870912"

static const char *const limited[] = {"taskset", "-c", "0", "prlimit", "--as=536870912", NULL};

/* ---- the table ---- */

struct row {
	char figure[96], tb[32], dlg[32], ratio[16], target[24], met[8];
	char cmd[1400];
};

static struct row rows[64];
static int n_rows;

static struct row *row_new(const char *figure, const char *target, const char *cmd)
{
	struct row *r = &rows[n_rows < 63 ? n_rows++ : 63];

	memset(r, 0, sizeof *r);
	str_copy(r->figure, sizeof r->figure, figure);
	str_copy(r->target, sizeof r->target, target);
	str_copy(r->cmd, sizeof r->cmd, cmd);
	strcpy(r->dlg, "-");
	strcpy(r->ratio, "-");
	strcpy(r->met, "-");
	return r;
}

/* A row of two figures (dialog's NAN: none), unit after each; met when
 * tb <= limit (limit NAN: when tb <= dialog's). */
static void row_num(const char *figure, double tb, double dlg, const char *unit, double limit,
                    const char *target, const char *cmd)
{
	struct row *r = row_new(figure, target, cmd);

	if (isnan(tb)) {
		strcpy(r->tb, "failed");
		return;
	}
	snprintf(r->tb, sizeof r->tb, "%.4g %s", tb, unit);
	if (!isnan(dlg)) {
		snprintf(r->dlg, sizeof r->dlg, "%.4g %s", dlg, unit);
		if (dlg > 0)
			snprintf(r->ratio, sizeof r->ratio, "%.2fx", tb / dlg);
	}
	if (!isnan(limit))
		strcpy(r->met, tb <= limit ? "yes" : "NO");
	else if (!isnan(dlg))
		strcpy(r->met, tb <= dlg ? "yes" : "NO");
}

static void row_text(const char *figure, const char *tb, const char *dlg, const char *target,
                     const char *met, const char *cmd)
{
	struct row *r = row_new(figure, target, cmd);

	str_copy(r->tb, sizeof r->tb, tb);
	str_copy(r->dlg, sizeof r->dlg, dlg);
	str_copy(r->met, sizeof r->met, met);
}

static void print_table(void)
{
	int i;

	printf("\n%-58s | %-14s | %-14s | %-7s | %-16s | %s\n", "figure", "tongban", "dialog",
	       "ratio", "target", "met");
	for (i = 0; i < 120; i++)
		putchar('-');
	putchar('\n');
	for (i = 0; i < n_rows; i++) {
		const struct row *r = &rows[i];

		printf("%-58s | %-14s | %-14s | %-7s | %-16s | %s\n", r->figure, r->tb, r->dlg,
		       r->ratio, r->target, r->met);
		printf("    $ %s\n", r->cmd);
	}
}

/* ---- small helpers ---- */

static long long clock_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	if (n <= 0)
		return NAN;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

static double maximum(const double *v, int n)
{
	double m = NAN;
	int i;

	for (i = 0; i < n; i++)
		if (isnan(m) || v[i] > m)
			m = v[i];
	return m;
}

static bool have_tool(const char *name)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
	return system(cmd) == 0;
}

/* VmRSS or VmHWM ("VmRSS:") of a process, in MiB; NAN when unknown. */
static double proc_mib(int pid, const char *field)
{
	char path[64], line[256];
	double kib = NAN;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", pid);
	if ((f = fopen(path, "r")) == NULL)
		return NAN;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, field, strlen(field)) == 0)
			kib = atof(line + strlen(field));
	fclose(f);
	return kib / 1024.0;
}

/* The first child of pid (tongban's sync helper), or -1. */
static int child_pid(int pid)
{
	char path[96];
	int child = -1;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/task/%d/children", pid, pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fscanf(f, "%d", &child) != 1)
		child = -1;
	fclose(f);
	return child;
}

/* Pump until row holds text (the query box and the field are one row). */
static int wait_row(struct term *t, int row, const char *text, int timeout_ms)
{
	long long until = clock_ms() + timeout_ms;

	for (;;) {
		char *line = term_line(t, row);
		bool found = strstr(line, text) != NULL;

		free(line);
		if (found)
			return 0;
		if (clock_ms() > until || term_pump(t, 2) < 0)
			return -1;
	}
}

/* ---- the programs ---- */

struct setup {
	char *dir;
	char *tongban;
	struct tbserver *srv;
	char big_root[600], huge_root[600], cases_db[600];
	double huge_mb, big_mb;
};

/* argv = prefix (may be NULL) + cmd, NULL-terminated; static storage. */
static char **join_argv(const char *const *prefix, char **cmd)
{
	static char *v[64];
	int n = 0, i;

	for (i = 0; prefix && prefix[i]; i++)
		v[n++] = (char *)prefix[i];
	for (i = 0; cmd[i] && n < 63; i++)
		v[n++] = cmd[i];
	v[n] = NULL;
	return v;
}

static struct term *spawn_tongban(struct setup *s, const char *root, const char *db,
                                  const char *const *prefix)
{
	static char db_arg[700], srv_arg[300], data_env[700];
	char *cmd[] = {s->tongban, db_arg, srv_arg, NULL};
	char *env[] = {data_env, "LANG=C.UTF-8", "TONGBAN_LANG=zh", NULL};
	struct err e = {0};

	snprintf(db_arg, sizeof db_arg, "--db=%s", db);
	snprintf(srv_arg, sizeof srv_arg, "--server=%s", tbserver_url(s->srv));
	snprintf(data_env, sizeof data_env, "TONGBAN_DATA=%s", root);
	return term_spawn(join_argv(prefix, cmd), env, 24, 80, &e);
}

static char *dialog_form[] = {"dialog", "--form", "请登录", "12", "50", "2",   "工号：", "1",
                              "2",      "",       "1",      "12", "24", "32",  "密码：", "2",
                              "2",      "",       "2",      "12", "24", "128", NULL};
static char *dialog_scroll[] = {"dialog", "--form", "收件", "10", "50", "1",  "申请人姓名", "1",
                                "2",      "",       "1",    "14", "20", "50", NULL};
static char *whiptail_box[] = {"whiptail", "--inputbox", "工号：", "10", "50", NULL};

static struct term *spawn_plain(char **cmd, const char *const *prefix)
{
	char *env[] = {"LANG=C.UTF-8", NULL};
	struct err e = {0};

	return term_spawn(join_argv(prefix, cmd), env, 24, 80, &e);
}

static void quit_tongban(struct term *t)
{
	term_send(t, TERM_KEY_ESC TERM_KEY_ESC TERM_KEY_F10);
	term_wait_exit(t, WAIT_MS, NULL);
	term_close(t);
}

/* ---- the data ---- */

/* root/data holds src's data files (catalogue.json made, not linked) and
 * root/forms is src's forms. */
static int make_root(const char *root, const char *src)
{
	const char *files[] = {"calendar.json", "config.json", "pinyin.tsv", "regions.tsv"};
	char a[800], b[800];
	size_t i;

	snprintf(a, sizeof a, "%s/data", root);
	if (mkdir(root, 0700) < 0 || mkdir(a, 0700) < 0)
		return -1;
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(a, sizeof a, "%s/data/%s", src, files[i]);
		snprintf(b, sizeof b, "%s/data/%s", root, files[i]);
		if (symlink(a, b) < 0)
			return -1;
	}
	snprintf(a, sizeof a, "%s/forms", src);
	snprintf(b, sizeof b, "%s/forms", root);
	return symlink(a, b);
}

/* The bundled items again and again up to n: the first copy as it is, the
 * others with codes of their own and a county's department, one item a
 * line.  Returns the file's size in MB, or NAN. */
static double make_catalogue(const char *root, const char *src, int n)
{
	static const char *const counties[] = {"东城区", "西湖区", "临安区", "桐庐县", "淳安县",
	                                       "建德市", "富阳区", "萧山区", "余杭区", "拱墅区"};
	char path[800], code[32], impl[96], dept[256];
	struct json_object *base, *items;
	struct stat sb;
	size_t n_base, i;
	FILE *f;

	snprintf(path, sizeof path, "%s/data/catalogue.json", src);
	base = json_object_from_file(path);
	if (base == NULL || !json_object_object_get_ex(base, "items", &items))
		return NAN;
	n_base = json_object_array_length(items);
	snprintf(path, sizeof path, "%s/data/catalogue.json", root);
	if ((f = fopen(path, "w")) == NULL)
		return NAN;
	/* newer than any central copy the local tongband hands out */
	fputs("{\"version\":\"2099.1.1\",\"items\":[\n", f);
	for (i = 0; i < (size_t)n; i++) {
		struct json_object *it = NULL;

		json_object_deep_copy(json_object_array_get_idx(items, i % n_base), &it, NULL);
		if (i >= n_base) {
			struct json_object *d;

			snprintf(code, sizeof code, "9%011zu", i);
			snprintf(impl, sizeof impl, "%s-%zu",
			         json_object_get_string(json_object_object_get(it, "impl_code")),
			         i);
			json_object_object_get_ex(it, "dept", &d);
			snprintf(dept, sizeof dept, "%s%s", counties[i / n_base % 10],
			         json_object_get_string(d));
			json_object_object_add(it, "code", json_object_new_string(code));
			json_object_object_add(it, "impl_code", json_object_new_string(impl));
			json_object_object_add(it, "dept", json_object_new_string(dept));
		}
		fprintf(f, "%s%s\n", i ? "," : "",
		        json_object_to_json_string_ext(it, JSON_C_TO_STRING_PLAIN |
		                                               JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(it);
	}
	fputs("]}\n", f);
	json_object_put(base);
	if (fclose(f) != 0 || stat(path, &sb) < 0)
		return NAN;
	return (double)sb.st_size / 1e6;
}

static int make_cases(struct setup *s, struct err *e)
{
	char *cat = tbcheck_src_path("data/catalogue.json"),
	     *py = tbcheck_src_path("data/pinyin.tsv");
	struct catalogue *c = catalogue_load(cat, py, e);
	int rc = c ? tbgen_cases(s->cases_db, c, NULL, NULL, e) : -1;

	catalogue_free(c);
	free(cat);
	free(py);
	return rc;
}

static int copy_file(const char *from, const char *to)
{
	char cmd[1700];

	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- start and memory at the first screen ---- */

struct start {
	double ms[N_STARTS], rss[N_STARTS];
	int n;
};

/* Time from fork to text on screen, and the resident memory once it settled. */
static void start_once(struct term *t, const char *text, struct start *st, long long t0)
{
	if (t == NULL || term_wait_text(t, text, WAIT_MS) != 0)
		return;
	st->ms[st->n] = (double)(clock_us() - t0) / 1000.0;
	term_wait_quiet(t, 300, 3000);
	st->rss[st->n] = proc_mib(term_pid(t), "VmRSS:");
	st->n++;
}

static void bench_start(struct setup *s, const char *label, const char *root, const char *db,
                        const char *const *prefix, const char *note)
{
	struct start tb = {.n = 0}, dl = {.n = 0}, wt = {.n = 0};
	char fig[128], cmd[1400], scratch[700];
	bool whip = have_tool("whiptail"), dlg = have_tool("dialog");
	int i;

	for (i = -1; i < N_STARTS; i++) {
		struct start *keep_tb = i < 0 ? &(struct start){.n = 0} : &tb;
		long long t0;
		struct term *t;

		if (db == NULL) { /* a new user: a new database */
			snprintf(scratch, sizeof scratch, "%s/new-%s-%d.db", s->dir, label, i + 1);
			t0 = clock_us();
			t = spawn_tongban(s, root, scratch, prefix);
		} else {
			t0 = clock_us();
			t = spawn_tongban(s, root, db, prefix);
		}
		start_once(t, "工号", keep_tb, t0);
		if (t)
			quit_tongban(t);
		if (dlg && i >= 0) {
			t0 = clock_us();
			t = spawn_plain(dialog_form, prefix);
			start_once(t, "工号", &dl, t0);
			term_close(t);
		}
		if (whip && i >= 0) {
			t0 = clock_us();
			t = spawn_plain(whiptail_box, prefix);
			start_once(t, "工号", &wt, t0);
			term_close(t);
		}
	}
	snprintf(cmd, sizeof cmd,
	         "%s%stongban --db=DB --data=%s (%s) vs %sdialog --form 请登录 ... 工号 密码; "
	         "%d runs each, alternated; until 工号 shows",
	         prefix ? ONE_CORE_512M : "", prefix ? " " : "",
	         strcmp(root, s->big_root) == 0 ? "$D/data20k" : "$TONGBAN_SRCDIR", note,
	         prefix ? ONE_CORE_512M " " : "", N_STARTS);
	snprintf(fig, sizeof fig, "first screen, %s%s: median", label,
	         prefix ? ", 1 core 512M" : "");
	row_num(fig, tb.n ? median(tb.ms, tb.n) : NAN, dlg ? median(dl.ms, dl.n) : NAN, "ms", NAN,
	        "<= dialog", cmd);
	snprintf(fig, sizeof fig, "resident memory at the first screen, %s%s", label,
	         prefix ? ", 1 core 512M" : "");
	row_num(fig, tb.n ? median(tb.rss, tb.n) : NAN, dlg ? median(dl.rss, dl.n) : NAN, "MiB",
	        8.0, "<= 8 MiB", cmd);
	if (whip && wt.n && prefix == NULL)
		printf("whiptail --inputbox, %s: first screen %.1f ms, resident %.1f MiB\n", label,
		       median(wt.ms, wt.n), median(wt.rss, wt.n));
	if (!dlg)
		printf("dialog not installed: its column is empty\n");
}

/* ---- online login ---- */

static void bench_login(struct setup *s)
{
	double ms[5];
	int n = 0, i;
	char db[700], cmd[320];

	snprintf(db, sizeof db, "%s/login.db", s->dir);
	for (i = -1; i < 5; i++) {
		struct term *t = spawn_tongban(s, tbcheck_env("TONGBAN_SRCDIR", "."), db, NULL);
		long long t0;

		if (t == NULL || term_wait_text(t, "工号", WAIT_MS) != 0) {
			term_close(t);
			continue;
		}
		term_send(t, "demo" TERM_KEY_TAB "demo123");
		term_wait_quiet(t, 100, 2000);
		t0 = clock_us();
		term_send(t, TERM_KEY_ENTER);
		if (term_wait_text(t, "工作人员：", WAIT_MS) == 0 && i >= 0)
			ms[n++] = (double)(clock_us() - t0) / 1000.0;
		quit_tongban(t);
	}
	snprintf(cmd, sizeof cmd,
	         "tongban, bundled data, a local tongband: Enter on the password until the "
	         "home screen's 工作人员：; 5 logins after a first one");
	row_num("online login (Enter to the home screen): median", median(ms, n), NAN, "ms", 100,
	        "<= 100 ms", cmd);
}

/* ---- a working session: 20,000 items, 100,000 cases ---- */

/* Applicant k's name: 测 and four of ten characters, one name per k < 10000. */
static void intake_name(int k, char *out, size_t n)
{
	static const char digits[] = "零一二三四五六七八九";

	snprintf(out, n, "测%.3s%.3s%.3s%.3s", digits + 3 * (k / 1000 % 10),
	         digits + 3 * (k / 100 % 10), digits + 3 * (k / 10 % 10), digits + 3 * (k % 10));
}

/* The keys of one whole intake from the home screen back to it. */
static void intake_keys(int k, struct buf *out)
{
	char name[32];

	intake_name(k, name, sizeof name);
	buf_adds(out, TERM_KEY_F2 "jzlj" TERM_KEY_ENTER);
	buf_adds(out, name);
	buf_adds(
	    out, TERM_KEY_TAB TERM_KEY_TAB TB_ID_NUMBER
	    "13800138000" TB_JZLJ_FIELDS TB_TO_CHECKLIST TB_JZLJ_ALL_IN TERM_KEY_F5 TERM_KEY_ESC);
}

/* How many of the intakes from..to (exclusive) are stored with their name. */
static int count_stored(const char *db, int from, int to)
{
	sqlite3 *h;
	sqlite3_stmt *q;
	int k, found = 0;

	if (sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	sqlite3_busy_timeout(h, 5000);
	if (sqlite3_prepare_v2(h, "SELECT count(*) FROM cases WHERE applicant_name = ?1", -1, &q,
	                       NULL) != SQLITE_OK) {
		sqlite3_close(h);
		return -1;
	}
	for (k = from; k < to; k++) {
		char name[32];

		intake_name(k, name, sizeof name);
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, name, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) >= 1)
			found++;
	}
	sqlite3_finalize(q);
	sqlite3_close(h);
	return found;
}

/* Wait until intakes from..to are stored, or nothing has moved for 30 s. */
static int wait_stored(struct term *t, const char *db, int from, int to)
{
	int found = 0, last = -1;
	long long moved = clock_ms();

	while (clock_ms() - moved < 30000) {
		term_pump(t, 200);
		found = count_stored(db, from, to);
		if (found >= to - from)
			break;
		if (found != last)
			last = found, moved = clock_ms();
	}
	term_wait_quiet(t, 300, WAIT_MS);
	return found;
}

/* Send text a character at a time at rate characters a second. */
static void send_paced(struct term *t, const char *text, size_t len, int rate)
{
	long long t0 = clock_us();
	size_t at = 0, sent_chars = 0;

	while (at < len) {
		long long due = (long long)((clock_us() - t0) * (long long)rate / 1000000);

		while ((long long)sent_chars < due && at < len) {
			uint32_t cp;
			size_t n = utf8_decode(text + at, len - at, &cp);

			/* an escape sequence goes whole: half of one is another key */
			if (text[at] == '\033') {
				n = 1;
				while (at + n < len && text[at + n] != '\033' &&
				       !(text[at + n] >= 'A' && text[at + n] <= 'Z' && n >= 2) &&
				       text[at + n] != '~' && n < 6)
					n++;
				if (at + n < len && text[at + n] != '\033')
					n++;
			}
			term_send_bytes(t, text + at, n);
			at += n;
			sent_chars += text[at - n] == '\033' ? n : 1;
		}
		term_pump(t, 1);
	}
}

struct typed_run {
	int intakes, chars, stored;
	double seconds;
};

static struct typed_run type_intakes(struct term *t, const char *db, int first, int min_chars,
                                     int rate)
{
	struct typed_run r = {0, 0, 0, 0};
	struct buf keys;
	long long t0;

	buf_init(&keys);
	while ((int)utf8_count(keys.data ? keys.data : "") < min_chars)
		intake_keys(first + r.intakes++, &keys);
	r.chars = (int)utf8_count(keys.data);
	t0 = clock_ms();
	if (rate > 0)
		send_paced(t, keys.data, keys.len, rate);
	else
		term_send_bytes(t, keys.data, keys.len);
	r.stored = wait_stored(t, db, first, first + r.intakes);
	r.seconds = (double)(clock_ms() - t0) / 1000.0;
	buf_free(&keys);
	return r;
}

/* Each query typed one character at a time on the item screen; the time from
 * the key to the query on the screen with its hits drawn. */
static double item_search(struct term *t, double *max_ms)
{
	static const char *const queries[] = {"jzlj", "bdcdj", "不动产", "0001", "社会保障卡"};
	double ms[64];
	int n = 0;
	size_t q;

	for (q = 0; q < sizeof queries / sizeof queries[0]; q++) {
		const char *s = queries[q];
		size_t len = strlen(s), at = 0;

		term_send(t, TERM_KEY_F2);
		if (term_wait_text(t, "事项查找", WAIT_MS) != 0)
			break;
		term_wait_quiet(t, 100, WAIT_MS);
		while (at < len && n < 64) {
			char typed[64];
			uint32_t cp;
			size_t step = utf8_decode(s + at, len - at, &cp);
			long long t0 = clock_us();

			term_send_bytes(t, s + at, step);
			at += step;
			memcpy(typed, s, at);
			typed[at] = '\0';
			if (wait_row(t, 2, typed, WAIT_MS) != 0)
				break;
			ms[n++] = (double)(clock_us() - t0) / 1000.0;
			printf("%s%.2f", at == step ? "" : " ", ms[n - 1]);
			term_wait_quiet(t, 50, WAIT_MS);
		}
		printf(" ms: %s, a key at a time\n", s);
		term_send(t, TERM_KEY_ESC);
		term_wait_gone(t, "事项查找", WAIT_MS);
	}
	*max_ms = maximum(ms, n);
	return median(ms, n);
}

struct echo {
	double ms[64], bytes[64];
	int n;
};

/* Type 45 letters into a 20-column field of at most 50 characters: the
 * echo time and the bytes written per key, the last 25 keys scrolling. */
static void type_field(struct term *t, struct echo *out)
{
	char typed[64] = "";
	int i;

	out->n = 0;
	term_wait_quiet(t, 200, WAIT_MS);
	for (i = 0; i < 45; i++) {
		char one[2] = {(char)('a' + i % 26), '\0'};
		unsigned long long b0 = term_bytes_read(t);
		long long t0 = clock_us();
		size_t len;

		strcat(typed, one);
		len = strlen(typed);
		term_send(t, one);
		if (term_wait_text(t, len > 10 ? typed + len - 10 : typed, WAIT_MS) != 0)
			break;
		out->ms[out->n] = (double)(clock_us() - t0) / 1000.0;
		term_wait_quiet(t, 40, WAIT_MS);
		out->bytes[out->n++] = (double)(term_bytes_read(t) - b0);
	}
}

static void bench_echo_dialog(struct echo *out)
{
	struct term *t;

	out->n = 0;
	if (!have_tool("dialog"))
		return;
	t = spawn_plain(dialog_scroll, NULL);
	if (t && term_wait_text(t, "申请人姓名", WAIT_MS) == 0)
		type_field(t, out);
	term_close(t);
}

static void echo_rows(const struct echo *tb, const struct echo *dl, const char *where)
{
	double a[64], b[64], c[64], d[64];
	int i, na = 0, nb = 0, nc = 0, nd = 0;
	char cmd[320];

	for (i = 0; i < tb->n; i++) {
		if (i < 20)
			a[na++] = tb->bytes[i];
		else
			b[nb++] = tb->bytes[i];
	}
	for (i = 0; i < dl->n; i++) {
		if (i < 20)
			c[nc++] = dl->bytes[i];
		else
			d[nd++] = dl->bytes[i];
	}
	snprintf(cmd, sizeof cmd,
	         "%s vs dialog --form with one field of 20 columns, 50 characters; 45 letters "
	         "one at a time, bytes read from the pty until quiet for 40 ms",
	         where);
	row_num("bytes per keystroke, field not scrolled: max", maximum(a, na),
	        nc ? maximum(c, nc) : NAN, "B", 64, "<= 64 B", cmd);
	row_num("bytes per keystroke, field scrolling: max", maximum(b, nb),
	        nd ? maximum(d, nd) : NAN, "B", 64, "<= 64 B", cmd);
	{
		double x[64], y[64];

		memcpy(x, tb->ms, sizeof x);
		memcpy(y, dl->ms, sizeof y);
		row_num("keystroke echo in that field: median", median(x, tb->n),
		        dl->n ? median(y, dl->n) : NAN, "ms", 2.0, "<= 2 ms", cmd);
	}
}

/* Whether the session searches the 20,000-item catalogue: its last item's
 * code is found (a catalogue refused leaves the bundled one in use). */
static bool big_catalogue_in_use(struct term *t)
{
	char code[32];
	bool found;

	snprintf(code, sizeof code, "9%011d", BIG_ITEMS - 1);
	term_send(t, TERM_KEY_F2);
	if (term_wait_text(t, "事项查找", WAIT_MS) != 0)
		return false;
	term_send(t, code);
	found = term_wait_text(t, "共 1 项", WAIT_MS) == 0;
	term_send(t, TERM_KEY_ESC);
	term_wait_gone(t, "事项查找", WAIT_MS);
	return found;
}

static void bench_session(struct setup *s, const char *const *prefix, bool full)
{
	char db[700], cmd[400], fig[128];
	struct term *t;
	double search_ms, search_max;
	struct echo tb_echo, dl_echo;
	int done = 0;

	snprintf(db, sizeof db, "%s/session%s.db", s->dir, prefix ? "-1core" : "");
	if (copy_file(s->cases_db, db) < 0)
		return;
	t = spawn_tongban(s, s->big_root, db, prefix);
	if (t == NULL || term_wait_text(t, "工号", 60000) != 0) {
		printf("session: tongban did not start\n");
		term_close(t);
		return;
	}
	term_send(t, "demo" TERM_KEY_TAB "demo123" TERM_KEY_ENTER);
	if (term_wait_text(t, "工作人员：", 60000) != 0) {
		printf("session: no login\n");
		term_close(t);
		return;
	}
	term_wait_quiet(t, 300, 60000);
	if (!big_catalogue_in_use(t)) {
		printf("session: the %d-item catalogue is not in use: its rows are not its\n",
		       BIG_ITEMS);
		row_text("the session's catalogue", "not 20,000", "-", "20,000 items", "NO",
		         "F2 and the last item's code: 共 1 项");
	}
	search_ms = item_search(t, &search_max);
	snprintf(cmd, sizeof cmd,
	         "%s%stongban --data=$D/data20k, %d cases: F2 and jzlj, bdcdj, 不动产, 0001, "
	         "社会保障卡 a "
	         "character at a time; key until the query box shows it (the hits drawn in the "
	         "same refresh)",
	         prefix ? ONE_CORE_512M : "", prefix ? " " : "", TBGEN_CASES);
	snprintf(fig, sizeof fig, "item search, %d items, key to screen%s: median", BIG_ITEMS,
	         prefix ? ", 1 core 512M" : "");
	row_num(fig, search_ms, NAN, "ms", 2.0, "<= 2 ms", cmd);
	snprintf(fig, sizeof fig, "item search, %d items, key to screen%s: max", BIG_ITEMS,
	         prefix ? ", 1 core 512M" : "");
	row_num(fig, search_max, NAN, "ms", 2.0, "<= 2 ms", cmd);
	if (!full) {
		quit_tongban(t);
		return;
	}
	{
		struct typed_run burst = type_intakes(t, db, done, BURST_CHARS, 0), pace;
		char v[32];

		done += burst.intakes;
		snprintf(cmd, sizeof cmd,
		         "the same session: %d whole intakes (%d characters: F2 jzlj Enter, name, "
		         "ID, phone, fields, PgDn, materials, F5, Esc) written to the pty at once; "
		         "intakes stored with their names counted; %.1f s",
		         burst.intakes, burst.chars, burst.seconds);
		snprintf(v, sizeof v, "%d", burst.intakes - burst.stored);
		row_text("keys lost in a 5,000-character burst (intakes lost)", v, "-", "0",
		         burst.stored == burst.intakes ? "yes" : "NO", cmd);
		pace = type_intakes(t, db, done, PACE_PER_S * PACE_SECONDS, PACE_PER_S);
		done += pace.intakes;
		snprintf(cmd, sizeof cmd,
		         "the same session: %d intakes (%d characters) typed at %d characters/s; "
		         "stored intakes counted; all in %.1f s",
		         pace.intakes, pace.chars, PACE_PER_S, pace.seconds);
		snprintf(v, sizeof v, "%d", pace.intakes - pace.stored);
		row_text("keys lost at 1,000 characters/s for 60 s (intakes lost)", v, "-", "0",
		         pace.stored == pace.intakes ? "yes" : "NO", cmd);
		while (done < N_INTAKES) {
			/* the rest in bursts of about 20 */
			struct typed_run more = type_intakes(t, db, done, 2000, 0);

			done += more.intakes;
			if (more.stored != more.intakes)
				break;
		}
	}
	snprintf(cmd, sizeof cmd,
	         "the same session after %d intakes (20,000 items, 100,000 cases, online): "
	         "VmRSS of /proc/PID/status",
	         done);
	row_num("resident memory after 1,000 intakes", proc_mib(term_pid(t), "VmRSS:"), NAN, "MiB",
	        16.0, "<= 16 MiB", cmd);
	printf("the session's peak resident memory (VmHWM): %.1f MiB\n",
	       proc_mib(term_pid(t), "VmHWM:"));
	snprintf(cmd, sizeof cmd,
	         "the same session: VmRSS of tongban's sync helper (its child: libcurl, TLS, the "
	         "sync agent), not counted above");
	row_num("resident memory of the sync helper, the same moment",
	        proc_mib(child_pid(term_pid(t)), "VmRSS:"), NAN, "MiB", NAN, "-", cmd);
	/* a new intake's applicant name: 20 columns, 50 characters */
	term_send(t, TERM_KEY_F2 "jzlj" TERM_KEY_ENTER);
	if (term_wait_text(t, "申请人姓名", WAIT_MS) == 0)
		type_field(t, &tb_echo);
	else
		tb_echo.n = 0;
	bench_echo_dialog(&dl_echo);
	echo_rows(&tb_echo, &dl_echo, "tongban's applicant name (the same session)");
	term_send(t, TERM_KEY_ESC);
	quit_tongban(t);
}

/* ---- a catalogue of 100,000 items ---- */

static void bench_huge(struct setup *s)
{
	char data_arg[700], cmd[400], tb[32];
	char *argv[] = {s->tongban, data_arg, "items", "search", "jzlj", NULL};
	struct rusage ru;
	long long t0 = clock_ms();
	int status = -1;
	pid_t pid;

	snprintf(data_arg, sizeof data_arg, "--data=%s", s->huge_root);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", 1);

		dup2(null, 1);
		dup2(null, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
		return;
	snprintf(cmd, sizeof cmd,
	         "tongban --data=$D/data100k items search jzlj (a %.0f MB catalogue): %.1f s, "
	         "peak resident %.0f MiB",
	         s->huge_mb, (double)(clock_ms() - t0) / 1000.0, (double)ru.ru_maxrss / 1024.0);
	snprintf(tb, sizeof tb, "%s",
	         WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "accepted" : "refused");
	row_text("a catalogue of 100,000 items", tb, "-", "accepted",
	         strcmp(tb, "accepted") == 0 ? "yes" : "NO", cmd);
}

/* ---- the central catalogue of 100,000 items through sync ---- */

static size_t count_bytes(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	*(double *)arg += (double)(size * n);
	return size * n;
}

/* Bytes of GET /v1/catalogue as they come over the wire with
 * Accept-Encoding: accept (NULL: none sent), not decoded; NAN on failure.
 * *ms: how long it took. */
static double wire_bytes(struct setup *s, const char *token, const char *accept, double *ms)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char url[300], auth[200], ae[64];
	double n = 0;
	long long t0 = clock_us();
	CURLcode rc;

	snprintf(url, sizeof url, "%s/v1/catalogue", tbserver_url(s->srv));
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
	h = curl_slist_append(h, auth);
	if (accept) {
		snprintf(ae, sizeof ae, "Accept-Encoding: %s", accept);
		h = curl_slist_append(h, ae);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, count_bytes);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &n);
	rc = curl_easy_perform(c);
	*ms = (double)(clock_us() - t0) / 1000.0;
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? n : NAN;
}

/* A new client database logged in to the bench's tongband as demo, its
 * session token in token[128].  0 or -1. */
static int central_client(struct setup *s, const char *db, char *token)
{
	struct err e = {0};
	struct clerk clerk;
	struct store *st = store_open(db, &e);
	int rc = -1;

	if (st && login_init() == 0 &&
	    login_clerk(st, tbserver_url(s->srv), "demo", "demo123", &clerk, &e) == LOGIN_ONLINE &&
	    store_session_get(st, NULL, token, NULL, &e) == 1)
		rc = 0;
	store_close(st);
	return rc;
}

/* tongban --db=db sync against the bench's tongband: *secs, and the peak
 * resident memory (MiB) through wait4.  The exit status, or -1. */
static int central_sync(struct setup *s, const char *db, double *secs, double *rss_mib)
{
	char db_arg[800], server_arg[300];
	char *argv[] = {s->tongban, db_arg, server_arg, "sync", NULL};
	struct rusage ru;
	long long t0 = clock_ms();
	int status = -1;
	pid_t pid;

	snprintf(db_arg, sizeof db_arg, "--db=%s", db);
	snprintf(server_arg, sizeof server_arg, "--server=%s", tbserver_url(s->srv));
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
		return -1;
	*secs = (double)(clock_ms() - t0) / 1000.0;
	*rss_mib = (double)ru.ru_maxrss / 1024.0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The 100,000-item catalogue imported into the bench's tongband (version
 * 2099.1.1), then taken in by tongban sync on a new database: whether it is
 * the one stored after, the seconds, the bytes on the wire (gzip, as the
 * client asks) and the client's peak resident memory. */
static void bench_central(struct setup *s)
{
	char db[700], import[2000], cmd[1400], version[64] = "", token[128] = "";
	double secs = NAN, rss = NAN, import_s, gz_ms = 0, plain_ms = 0, gz, plain;
	struct err e = {0};
	struct store *st;
	long long t0 = clock_ms();
	int rc;

	snprintf(db, sizeof db, "%s/central.db", s->dir);
	snprintf(import, sizeof import,
	         "'%s' import-catalogue --db '%s' '%s/data/catalogue.json' >/dev/null 2>&1",
	         tbserver_bin(), tbserver_db(s->srv), s->huge_root);
	if (system(import) != 0 || central_client(s, db, token) < 0) {
		row_text("central catalogue of 100,000 items through sync", "failed", "-",
		         "accepted", "NO", "tongband import-catalogue, or the login");
		return;
	}
	import_s = (double)(clock_ms() - t0) / 1000.0;
	rc = central_sync(s, db, &secs, &rss);
	if ((st = store_open(db, &e)) != NULL) {
		store_data_get(st, "catalogue", version, sizeof version, NULL, NULL);
		store_close(st);
	}
	gz = wire_bytes(s, token, "gzip", &gz_ms);
	plain = wire_bytes(s, token, NULL, &plain_ms);
	snprintf(cmd, sizeof cmd,
	         "tongband import-catalogue $D/data100k/data/catalogue.json (%.0f MB, %.1f s); "
	         "tongban --db=$D/central.db --server=URL sync (exit %d): %.1f s, peak resident "
	         "%.0f MiB (wait4); stored version %s; GET /v1/catalogue again: gzip %.1f MB in "
	         "%.0f ms, plain %.1f MB in %.0f ms",
	         s->huge_mb, import_s, rc, secs, rss, version[0] ? version : "none", gz / 1e6,
	         gz_ms, plain / 1e6, plain_ms);
	row_text("central catalogue of 100,000 items through sync",
	         strcmp(version, "2099.1.1") == 0 ? "accepted" : "refused", "-", "accepted",
	         strcmp(version, "2099.1.1") == 0 ? "yes" : "NO", cmd);
	row_num("  the same: tongban sync, seconds", secs, NAN, "s", NAN, "-", "as above");
	row_num("  the same: bytes on the wire (gzip)", gz / 1e6, NAN, "MB", NAN, "-", "as above");
	row_num("  the same: client's peak resident memory", rss, NAN, "MiB", NAN, "-", "as above");
}

/* ---- instruction counts ---- */

/* The total of a callgrind output file's "summary:" or "totals:" line. */
static double callgrind_total(const char *path)
{
	char line[512];
	double v = NAN;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return NAN;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "summary:", 8) == 0 || strncmp(line, "totals:", 7) == 0)
			v = atof(line + (line[0] == 's' ? 8 : 7));
	fclose(f);
	return v;
}

/*
 * Instructions (millions) from exec to the first screen: callgrind dumps
 * its counts when tongban's first paint ends (screen_login_paint), or when
 * dialog first waits for a key; the first dump is read.  Threads started
 * after the first screen (tongban's page check) are not in it.
 */
static double callgrind_start(struct setup *s, char **cmd, const char *root, const char *text)
{
	char out[800], arg[900], first[820];
	const char *pre_tb[] = {"valgrind", "--tool=callgrind", "--dump-after=screen_login_paint",
	                        arg, NULL};
	const char *pre_dlg[] = {
	    "valgrind", "--tool=callgrind", "--dump-before=wget_wch", "--dump-before=wgetch", arg,
	    NULL};
	struct term *t;
	static int seq;

	snprintf(out, sizeof out, "%s/callgrind.%d", s->dir, ++seq);
	snprintf(first, sizeof first, "%s.1", out);
	snprintf(arg, sizeof arg, "--callgrind-out-file=%s", out);
	if (cmd == NULL)
		t = spawn_tongban(s, root, s->cases_db, pre_tb);
	else
		t = spawn_plain(cmd, pre_dlg);
	if (t == NULL || term_wait_text(t, text, 300000) != 0) {
		term_close(t);
		return NAN;
	}
	term_wait_quiet(t, 500, 60000);
	if (cmd == NULL) {
		term_send(t, TERM_KEY_F10);
		term_wait_exit(t, 300000, NULL);
	} else {
		kill(term_pid(t), SIGTERM);
		term_wait_exit(t, 60000, NULL);
	}
	term_close(t);
	return callgrind_total(first) / 1e6;
}

static void bench_instructions(struct setup *s)
{
	char cmd[400], out[800], sys[2200];
	double dlg;

	if (!have_tool("valgrind")) {
		row_text("instructions to the first screen", "not installed", "-", "-", "-",
		         "valgrind --tool=callgrind (apt-get install valgrind)");
		return;
	}
	dlg = have_tool("dialog") ? callgrind_start(s, dialog_form, NULL, "工号") : NAN;
	snprintf(cmd, sizeof cmd,
	         "valgrind --tool=callgrind --dump-after=screen_login_paint tongban (%d cases) "
	         "vs --dump-before=wget_wch --dump-before=wgetch dialog --form; the first dump, Ir "
	         "in millions",
	         TBGEN_CASES);
	row_num("instructions, exec to the first screen, bundled",
	        callgrind_start(s, NULL, tbcheck_env("TONGBAN_SRCDIR", "."), "工号"), dlg, "M", NAN,
	        "<= dialog", cmd);
	row_num("instructions, exec to the first screen, 20,000 items",
	        callgrind_start(s, NULL, s->big_root, "工号"), dlg, "M", NAN, "<= dialog", cmd);
	snprintf(out, sizeof out, "%s/callgrind.search", s->dir);
	snprintf(sys, sizeof sys,
	         "valgrind --tool=callgrind --toggle-collect=catalogue_search_ranked "
	         "--callgrind-out-file=%s %s --data=%s items search jzlj >/dev/null 2>&1",
	         out, s->tongban, s->big_root);
	if (system(sys) != 0)
		printf("callgrind of items search failed\n");
	snprintf(cmd, sizeof cmd,
	         "valgrind --tool=callgrind --toggle-collect=catalogue_search_ranked tongban "
	         "--data=$D/data20k items search jzlj; Ir in millions");
	row_num("instructions, one item search (jzlj, 20,000 items)", callgrind_total(out) / 1e6,
	        NAN, "M", NAN, "-", cmd);
}

/* ---- main ---- */

static int setup(struct setup *s, struct err *e)
{
	const char *src = tbcheck_env("TONGBAN_SRCDIR", ".");
	long long t0;

	memset(s, 0, sizeof *s);
	s->tongban = (char *)tbcheck_env("TONGBAN_BIN", "build/tongban");
	if ((s->dir = harness_tmpdir("tongban-bench-lowend", e)) == NULL)
		return -1;
	if ((s->srv = tbserver_start(e)) == NULL)
		return -1;
	snprintf(s->big_root, sizeof s->big_root, "%s/data20k", s->dir);
	snprintf(s->huge_root, sizeof s->huge_root, "%s/data100k", s->dir);
	snprintf(s->cases_db, sizeof s->cases_db, "%s/cases.db", s->dir);
	t0 = clock_ms();
	if (make_root(s->big_root, src) < 0 || make_root(s->huge_root, src) < 0) {
		err_set(e, "%s: cannot make the data folders", s->dir);
		return -1;
	}
	s->big_mb = make_catalogue(s->big_root, src, BIG_ITEMS);
	s->huge_mb = make_catalogue(s->huge_root, src, HUGE_ITEMS);
	if (isnan(s->big_mb) || isnan(s->huge_mb)) {
		err_set(e, "cannot write the catalogues");
		return -1;
	}
	if (make_cases(s, e) < 0)
		return -1;
	printf("$D is %s\n", s->dir);
	printf("made a %d-item catalogue (%.1f MB), a %d-item one (%.1f MB) and %d cases in %.1f "
	       "s\n",
	       BIG_ITEMS, s->big_mb, HUGE_ITEMS, s->huge_mb, TBGEN_CASES,
	       (double)(clock_ms() - t0) / 1000.0);
	return 0;
}

/* TONGBAN_BENCH_KEEP=1 leaves $D (the catalogues and the cases) for a profiler. */
static void teardown(struct setup *s)
{
	tbserver_free(s->srv);
	if (strcmp(tbcheck_env("TONGBAN_BENCH_KEEP", ""), "1") == 0 && s->dir)
		printf("kept $D: %s\n", s->dir);
	else
		harness_tmpdir_remove(s->dir);
	free(s->dir);
}

/* Everything after the start and login rows: the session, the huge
 * catalogue, the rows on one core and the instruction counts. */
/* the first-screen rows again on one core under 512 MiB */
static void bench_start_limited(struct setup *s, const char *src)
{
	bench_start(s, "bundled data, new user", src, NULL, limited, "a new database");
	bench_start(s, "20,000 items", s->big_root, NULL, limited, "a new database");
	bench_start(s, "100,000 cases", src, s->cases_db, limited, "100,000 cases");
}

static void bench_rest(struct setup *s, const char *src)
{
	if (have_tool("taskset") && have_tool("prlimit")) {
		bench_session(s, NULL, true);
		bench_huge(s);
		bench_central(s);
		bench_start_limited(s, src);
		bench_session(s, limited, false);
	} else {
		bench_session(s, NULL, true);
		bench_huge(s);
		bench_central(s);
		row_text("the rows on one core, 512 MiB", "not installed", "-", "-", "-",
		         "taskset and prlimit (util-linux)");
	}
	bench_instructions(s);
}

int main(void)
{
	const char *src = tbcheck_env("TONGBAN_SRCDIR", ".");
	struct setup s;
	struct err e = {0};
	const char *quick_env = tbcheck_env("TONGBAN_BENCH_QUICK", "");
	bool quick = strcmp(quick_env, "1") == 0;
	bool central = strcmp(quick_env, "central") == 0 ||
	               strcmp(tbcheck_env("TONGBAN_BENCH_CENTRAL", ""), "1") == 0;

	if (setup(&s, &e) < 0) {
		printf("bench_lowend: %s\n", e.msg);
		teardown(&s);
		return EXIT_FAILURE;
	}
	if (central) {
		bench_central(&s);
		print_table();
		teardown(&s);
		return EXIT_SUCCESS;
	}
	if (!have_tool("dialog"))
		printf("dialog not installed (apt-get install dialog): no dialog column\n");
	if (strcmp(quick_env, "search") == 0 || strcmp(quick_env, "typing") == 0) {
		bench_session(&s, NULL, strcmp(quick_env, "typing") == 0);
		if (strcmp(quick_env, "search") == 0 && have_tool("taskset") &&
		    have_tool("prlimit"))
			bench_session(&s, limited, false);
		print_table();
		teardown(&s);
		return EXIT_SUCCESS;
	}
	if (strcmp(quick_env, "onecore") == 0) {
		bench_start_limited(&s, src);
		print_table();
		teardown(&s);
		return EXIT_SUCCESS;
	}
	bench_start(&s, "bundled data, new user", src, NULL, NULL, "a new database");
	bench_start(&s, "20,000 items", s.big_root, NULL, NULL, "a new database");
	bench_start(&s, "100,000 cases", src, s.cases_db, NULL, "100,000 cases");
	bench_login(&s);
	if (!quick)
		bench_rest(&s, src);
	print_table();
	teardown(&s);
	return EXIT_SUCCESS;
}
