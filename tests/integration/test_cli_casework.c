/*
 * tests/integration/test_cli_casework.c - tongban cases search, stats and
 * export as a hall's office runs them from the shell: cases made through
 * core's decisions (tests/harness/tbfixture.h) in a real database, then the
 * real tongban binary (TONGBAN_BIN) with the bundled data of the source
 * tree (TONGBAN_SRCDIR): what it prints, what it writes, its exit codes,
 * and the audit rows of everything shown whole.
 */
#include <check.h>
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "core/i18n.h"
#include "core/idcard.h"
#include "store/store.h"
#include "tbcheck.h"
#include "tbfixture.h"
#include "tmpdir.h"

#define DAY_SECONDS 86400

static char *dir;
static char path[512];
static struct store *st;
static struct tbfixture fx;

/* The applicants of the story: the counter's four decisions today, and one
 * case of 40 days ago. */
struct applicant {
	const char *name;
	const struct decision *d;
	const char *item;
	char id_number[IDCARD_LEN + 1];
	const char *phone;
	struct case_row row; /* as stored */
};

static struct applicant zhang = {
    .name = "张三", .d = &decision_accept, .item = TBFIX_ITEM, .phone = "13800138000"};
static struct applicant li = {
    .name = "李四", .d = &decision_notice, .item = TBFIX_ITEM, .phone = "13912345678"};
static struct applicant wang = {
    .name = "王五", .d = &decision_commit, .item = TBFIX_COMMIT_ITEM, .phone = "0571-88001234"};
static struct applicant zhao = {
    .name = "赵六", .d = &decision_refuse, .item = TBFIX_ITEM, .phone = "13700007777"};
static struct applicant zhou = {
    .name = "周九", .d = &decision_accept, .item = TBFIX_ITEM, .phone = "15000002222"};

/* A valid ID number: 17 digits and their check character. */
static void id_number(char out[IDCARD_LEN + 1], const char *first17)
{
	memcpy(out, first17, 17);
	out[17] = idcard_check_char(first17);
	out[18] = '\0';
}

static void make(struct applicant *a)
{
	struct err e = {0};

	fx.id_number = a->id_number;
	fx.phone = a->phone;
	ck_assert_msg(tbfixture_case(&fx, a->d, a->item, a->name, &a->row, &e) == 0, "%s: %s",
	              a->name, e.msg);
}

static void setup(void)
{
	struct err e = {0};

	unsetenv("TONGBAN_FAKE_CLOCK_OFFSET");
	dir = harness_tmpdir("tongban-cli-casework", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	snprintf(path, sizeof path, "%s/tongban.db", dir);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_msg(tbfixture_open(&fx, st, NULL, &e) == 0, "%s", e.msg);
	id_number(zhang.id_number, "11010519491231002");
	id_number(li.id_number, "44030419900307125");
	id_number(wang.id_number, "33010619850615004");
	id_number(zhao.id_number, "32010219751111003");
	id_number(zhou.id_number, "51010719600101004");
	setenv("TONGBAN_FAKE_CLOCK_OFFSET", "-3456000", 1); /* 40 days ago */
	make(&zhou);
	unsetenv("TONGBAN_FAKE_CLOCK_OFFSET");
	make(&zhang);
	make(&li);
	make(&wang);
	make(&zhao);
}

static void teardown(void)
{
	unsetenv("TONGBAN_FAKE_CLOCK_OFFSET");
	tbfixture_close(&fx);
	store_close(st);
	harness_tmpdir_remove(dir);
	free(dir);
}

/* ---- the database beside the program ---------------------------------- */

static void exec_sql(const char *sql)
{
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(db));
	sqlite3_close(db);
}

/* The first column of the first row of sql, as an int (-1 when no row). */
static int int_sql(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = -1;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK, "%s", sql);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* The clerk demo logged in online on this PC (the session the audit names). */
static void log_in_demo(void)
{
	exec_sql("INSERT OR REPLACE INTO sessions (clerk_id, token, expires, at)"
	         " VALUES ('demo', 'tok-test', 1900000000, 1)");
}

/* Rename the applicant of case id (a name the fixture cannot type). */
static void rename_applicant(const char *id, const char *name)
{
	sqlite3 *db;
	sqlite3_stmt *s;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db,
	                                    "UPDATE cases SET applicant_name = ?1 WHERE id = ?2",
	                                    -1, &s, NULL),
	                 SQLITE_OK);
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, id, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/* A file of this test's folder.  Caller frees. */
static char *in_dir(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* ---- running tongban ---------------------------------------------------- */

struct run {
	char out[65536];
	size_t len;
	int rc;
};

enum lang { ZH, EN };

/* What of the program's output the test reads. */
enum streams {
	STDOUT_ONLY, /* standard error to /dev/null */
	WITH_STDERR, /* standard error after standard output */
	AS_WRITTEN,  /* as args redirect them */
};

/*
 * tongban --db path --data SRCDIR ARGS (shell-quoted already) in Chinese or
 * under LANG=C; out is what streams says.
 */
static struct run *tongban(enum lang lang, enum streams streams, const char *args)
{
	static struct run r;
	char *cmd = xasprintf("env -u LC_ALL -u LC_MESSAGES -u TONGBAN_LANG -u "
	                      "TONGBAN_FAKE_CLOCK_OFFSET %s '%s' --db '%s' --data '%s' %s %s",
	                      lang == EN ? "LANG=C" : "TONGBAN_LANG=zh",
	                      tbcheck_env("TONGBAN_BIN", "build/tongban"), path,
	                      tbcheck_env("TONGBAN_SRCDIR", "."), args,
	                      streams == WITH_STDERR   ? "2>&1"
	                      : streams == STDOUT_ONLY ? "2>/dev/null"
	                                               : "");
	FILE *p = popen(cmd, "r");
	int status;

	ck_assert_ptr_nonnull(p);
	r.len = fread(r.out, 1, sizeof r.out - 1, p);
	r.out[r.len] = '\0';
	status = pclose(p);
	ck_assert_msg(WIFEXITED(status), "%s: did not exit", cmd);
	r.rc = WEXITSTATUS(status);
	free(cmd);
	return &r;
}

/* The run exited want_rc and printed text. */
#define expect_run(r, want_rc, text)                                                               \
	ck_assert_msg((r)->rc == (want_rc) && strstr((r)->out, (text)) != NULL,                    \
	              "exit %d (want %d), \"%s\" wanted in:\n%s", (r)->rc, (want_rc), (text),      \
	              (r)->out)

#define expect_absent(r, text)                                                                     \
	ck_assert_msg(strstr((r)->out, (text)) == NULL, "\"%s\" not wanted in:\n%s", (text),       \
	              (r)->out)

#define expect_prefix(r, text)                                                                     \
	ck_assert_msg(strncmp((r)->out, (text), strlen(text)) == 0, "\"%s\" wanted first in:\n%s", \
	              (text), (r)->out)

/* The line of s that starts with prefix, without its end ("" when none).
 * Valid until the next call. */
static const char *line_of(const char *s, const char *prefix)
{
	static char line[1024];
	const char *p = s;

	line[0] = '\0';
	for (; p != NULL && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, prefix, strlen(prefix)) == 0) {
			snprintf(line, sizeof line, "%.*s", (int)strcspn(p, "\n"), p);
			break;
		}
	}
	return line;
}

/* line ends with end. */
static bool ends_with(const char *line, const char *end)
{
	size_t n = strlen(line), m = strlen(end);

	return n >= m && strcmp(line + n - m, end) == 0;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* cases search ARGS found exactly the applicant a (exit 0, one line). */
static void expect_found_only(const char *args, const struct applicant *a)
{
	char *cmd = xasprintf("cases search %s", args);
	struct run *r = tongban(ZH, STDOUT_ONLY, cmd);

	expect_run(r, 0, a->row.case_no);
	ck_assert_msg(count_lines(r->out) == 1, "%s: one case wanted:\n%s", cmd, r->out);
	free(cmd);
}

/* "YYYY-MM-DD" of today plus days in Asia/Shanghai into out. */
static const char *day(int days, char out[TB_DATE_LEN])
{
	return tb_date_format(tb_date_add_days(tb_date_today_shanghai(), days), out);
}

/* ---- cases search ---------------------------------------------------------- */

START_TEST(search_finds_a_case_by_the_last_4_of_the_id_number)
{
	expect_found_only("002X", &zhang);
	expect_found_only(li.id_number + 14, &li);
}
END_TEST

START_TEST(search_finds_a_case_by_the_last_4_of_the_phone)
{
	expect_found_only("5678", &li);
	expect_found_only("7777", &zhao);
}
END_TEST

START_TEST(search_finds_a_case_by_name_and_by_initials)
{
	expect_found_only("李四", &li);
	expect_found_only("zs", &zhang);
	expect_found_only("ZL", &zhao);
}
END_TEST

START_TEST(search_finds_the_cases_of_an_item_by_its_code)
{
	expect_found_only(TBFIX_COMMIT_ITEM, &wang);
	expect_run(tongban(ZH, STDOUT_ONLY, "cases search " TBFIX_ITEM), 0, zhou.row.case_no);
	ck_assert_int_eq(count_lines(tongban(ZH, STDOUT_ONLY, "cases search " TBFIX_ITEM)->out), 4);
}
END_TEST

START_TEST(search_finds_cases_by_their_application_date)
{
	char from[TB_DATE_LEN], to[TB_DATE_LEN], *args;

	args = xasprintf("%s..%s", day(-45, from), day(-35, to));
	expect_found_only(args, &zhou);
	free(args);
	args = xasprintf("cases search %s", day(0, from));
	ck_assert_int_eq(count_lines(tongban(ZH, STDOUT_ONLY, args)->out), 4);
	free(args);
	/* a date and a word: both must match */
	args = xasprintf("%s 赵六", day(0, from));
	expect_found_only(args, &zhao);
	free(args);
}
END_TEST

START_TEST(search_exits_1_when_nothing_matches)
{
	struct run *r = tongban(ZH, WITH_STDERR, "cases search 9999");

	expect_run(r, 1, "没有与“9999”匹配的案件");
	r = tongban(EN, WITH_STDERR, "cases search 2020-01");
	expect_run(r, 1, "no case matches");
	r = tongban(ZH, STDOUT_ONLY, "cases search 9999 --json");
	ck_assert_int_eq(r->rc, 1);
	ck_assert_str_eq(r->out, "[\n]\n"); /* an empty array */
}
END_TEST

START_TEST(search_exits_2_on_a_bad_date_usage_or_a_full_disk)
{
	expect_run(tongban(ZH, WITH_STDERR, "cases search 2026-13-01"), 2, "2026-13-01");
	expect_run(tongban(EN, WITH_STDERR, "cases search 2026-11-30..2026-11-01"), 2, "usage:");
	expect_run(tongban(EN, WITH_STDERR, "cases search ' '"), 2, "the query is empty");
	expect_run(tongban(EN, WITH_STDERR, "cases find zs"), 2, "usage:");
	expect_run(tongban(EN, WITH_STDERR, "cases search zs --limit 0"), 2, "--limit");
	expect_run(tongban(EN, WITH_STDERR, "cases search zs --bogus"), 2, "unknown option");
	expect_run(tongban(EN, AS_WRITTEN, "cases search zs 2>&1 >/dev/full"), 2,
	           "cannot write standard output");
}
END_TEST

START_TEST(search_lines_mask_the_id_number_and_the_phone)
{
	struct run *r = tongban(ZH, STDOUT_ONLY, "cases search 张三");
	char *line =
	    xasprintf("%s\t已受理\t张三\t1101**********002X\t138****8000\t%s\t%s\t%s\t%s\n",
	              zhang.row.case_no, TBFIX_ITEM, zhang.row.item_name, zhang.row.received_on,
	              zhang.row.due_date[0] ? zhang.row.due_date : "-");

	ck_assert_int_eq(r->rc, 0);
	ck_assert_str_eq(r->out, line);
	free(line);
	r = tongban(ZH, STDOUT_ONLY, "cases search 王五");
	expect_run(r, 0, "0571-****1234");
	expect_absent(r, "88001234");
	/* nothing shown whole, nothing recorded */
	ck_assert_int_eq(int_sql("SELECT count(*) FROM audit WHERE what <> 'decision'"), 0);
}
END_TEST

START_TEST(search_json_has_every_key_with_masked_values)
{
	struct run *r = tongban(ZH, STDOUT_ONLY, "cases search zs --json");
	struct json_object *a = json_tokener_parse(r->out), *o, *v;
	static const char *const keys[] = {"case_no",   "official_no", "state",     "applicant",
	                                   "id_number", "phone",       "item_code", "item_name",
	                                   "received",  "due"};
	size_t i;

	ck_assert_int_eq(r->rc, 0);
	ck_assert_msg(a != NULL && json_object_is_type(a, json_type_array), "%s", r->out);
	ck_assert_int_eq((int)json_object_array_length(a), 1);
	o = json_object_array_get_idx(a, 0);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		ck_assert_msg(json_object_object_get_ex(o, keys[i], NULL), "no %s in %s", keys[i],
		              r->out);
	ck_assert(json_object_object_get_ex(o, "case_no", &v));
	ck_assert_str_eq(json_object_get_string(v), zhang.row.case_no);
	ck_assert(json_object_object_get_ex(o, "state", &v));
	ck_assert_str_eq(json_object_get_string(v), "accepted");
	ck_assert(json_object_object_get_ex(o, "applicant", &v));
	ck_assert_str_eq(json_object_get_string(v), "张三");
	ck_assert(json_object_object_get_ex(o, "id_number", &v));
	ck_assert_str_eq(json_object_get_string(v), "1101**********002X");
	ck_assert(json_object_object_get_ex(o, "phone", &v));
	ck_assert_str_eq(json_object_get_string(v), "138****8000");
	ck_assert(json_object_object_get_ex(o, "item_code", &v));
	ck_assert_str_eq(json_object_get_string(v), TBFIX_ITEM);
	ck_assert(json_object_object_get_ex(o, "received", &v));
	ck_assert_str_eq(json_object_get_string(v), zhang.row.received_on);
	ck_assert(json_object_object_get_ex(o, "official_no", &v));
	ck_assert(json_object_is_type(v, json_type_null)); /* not synced yet */
	json_object_put(a);
}
END_TEST

START_TEST(search_full_shows_the_whole_id_and_records_each_case)
{
	struct run *r;
	char *sql;

	log_in_demo();
	r = tongban(ZH, STDOUT_ONLY, "cases search " TBFIX_ITEM " --full");
	expect_run(r, 0, zhang.id_number);
	expect_run(r, 0, "13800138000");
	expect_run(r, 0, zhou.id_number);
	ck_assert_int_eq(int_sql("SELECT count(*) FROM audit WHERE what = 'reveal' AND clerk ="
	                         " 'demo' AND detail = 'cases search --full'"),
	                 4);
	sql = xasprintf("SELECT count(*) FROM audit WHERE what = 'reveal' AND case_id = '%s'",
	                zhang.row.id);
	ck_assert_int_eq(int_sql(sql), 1);
	free(sql);
	sql = xasprintf("SELECT count(*) FROM audit WHERE what = 'reveal' AND case_id = '%s'",
	                wang.row.id);
	ck_assert_int_eq(int_sql(sql), 0); /* not shown: another item */
	free(sql);
	/* JSON in full too; without a session the clerk is "" */
	exec_sql("DELETE FROM sessions");
	r = tongban(ZH, STDOUT_ONLY, "cases search 李四 --json --full");
	expect_run(r, 0, li.id_number);
	expect_run(r, 0, "\"13912345678\"");
	ck_assert_int_eq(int_sql("SELECT count(*) FROM audit WHERE clerk = ''"), 1);
}
END_TEST

START_TEST(search_in_english_under_lang_c)
{
	struct run *r = tongban(EN, STDOUT_ONLY, "cases search 赵六");

	expect_run(r, 0, "\trefused\t");
	expect_absent(r, "不予受理");
	r = tongban(ZH, STDOUT_ONLY, "cases search 赵六");
	expect_run(r, 0, "\t不予受理\t");
}
END_TEST

START_TEST(search_lists_at_most_the_limit_and_says_so)
{
	struct run *r = tongban(EN, STDOUT_ONLY, "cases search " TBFIX_ITEM " --limit 2");

	ck_assert_int_eq(r->rc, 0);
	ck_assert_int_eq(count_lines(r->out), 2);
	r = tongban(EN, WITH_STDERR, "cases search " TBFIX_ITEM " --limit 2");
	expect_run(r, 0, "more than 2 cases match");
}
END_TEST

/* ---- stats ----------------------------------------------------------------- */

/* The integer at key (a.b for nested objects) of the JSON object o. */
static int json_int(struct json_object *o, const char *key, const char *sub)
{
	struct json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no %s", key);
	if (sub != NULL)
		ck_assert_msg(json_object_object_get_ex(v, sub, &v), "no %s.%s", key, sub);
	return json_object_get_int(v);
}

START_TEST(stats_counts_the_period_by_outcome)
{
	struct run *r = tongban(ZH, STDOUT_ONLY, "stats");

	expect_run(r, 0, "收件 4 件");
	/* one case of each outcome today: every bar full, each count 1 */
	ck_assert_msg(ends_with(line_of(r->out, "  受理 "), "# 1"), "%s", r->out);
	ck_assert_msg(ends_with(line_of(r->out, "  一次性告知 "), "# 1"), "%s", r->out);
	ck_assert_msg(ends_with(line_of(r->out, "  承诺受理 "), "# 1"), "%s", r->out);
	ck_assert_msg(ends_with(line_of(r->out, "  不予受理 "), "# 1"), "%s", r->out);
	/* by department (the report cuts names to 16 columns) */
	ck_assert_msg(ends_with(line_of(r->out, "  市城市管理和综合"), "# 3"), "%s", r->out);
	r = tongban(EN, STDOUT_ONLY, "stats --day");
	expect_run(r, 0, "Statistics");
	expect_run(r, 0, ": 4 cases");
	ck_assert_msg(ends_with(line_of(r->out, "  refused "), "# 1"), "%s", r->out);
}
END_TEST

START_TEST(stats_json_has_the_outcomes_items_and_departments)
{
	char from[TB_DATE_LEN], to[TB_DATE_LEN], *args;
	struct run *r;
	struct json_object *o, *v;

	args = xasprintf("stats --from %s --to %s --json", day(-40, from), day(0, to));
	r = tongban(ZH, STDOUT_ONLY, args);
	free(args);
	ck_assert_int_eq(r->rc, 0);
	o = json_tokener_parse(r->out);
	ck_assert_msg(o != NULL, "%s", r->out);
	ck_assert_int_eq(json_int(o, "cases", NULL), 5);
	ck_assert_int_eq(json_int(o, "outcomes", "accepted"), 2);
	ck_assert_int_eq(json_int(o, "outcomes", "notice"), 1);
	ck_assert_int_eq(json_int(o, "outcomes", "committed"), 1);
	ck_assert_int_eq(json_int(o, "outcomes", "refused"), 1);
	ck_assert_int_eq(json_int(o, "outcomes", "undecided"), 0);
	ck_assert(json_object_object_get_ex(o, "from", &v));
	ck_assert_str_eq(json_object_get_string(v), from);
	ck_assert(json_object_object_get_ex(o, "items", &v));
	ck_assert_int_eq((int)json_object_array_length(v), 2);
	ck_assert(json_object_object_get_ex(o, "departments", &v));
	ck_assert_msg(strstr(r->out, "市城市管理和综合执法局") && strstr(r->out, "市燃气有限公司"),
	              "%s", r->out);
	json_object_put(o);
}
END_TEST

START_TEST(stats_of_a_period_without_cases_is_all_zero)
{
	struct run *r = tongban(ZH, STDOUT_ONLY, "stats --from 2020-01-01 --to 2020-01-31 --json");
	struct json_object *o = json_tokener_parse(r->out);

	ck_assert_int_eq(r->rc, 0);
	ck_assert_msg(o != NULL, "%s", r->out);
	ck_assert_int_eq(json_int(o, "cases", NULL), 0);
	ck_assert_int_eq(json_int(o, "outcomes", "accepted"), 0);
	json_object_put(o);
	expect_run(tongban(ZH, STDOUT_ONLY, "stats --from 2020-01-01 --to 2020-01-31"), 0,
	           "统计 2020-01-01 至 2020-01-31：收件 0 件");
}
END_TEST

START_TEST(stats_month_and_week_are_the_current_ones)
{
	struct tb_date t = tb_date_today_shanghai(), monday;
	char want[TB_DATE_LEN];
	struct run *r = tongban(ZH, STDOUT_ONLY, "stats --month --json");

	t.d = 1;
	expect_run(r, 0, tb_date_format(t, want));
	monday = tb_date_add_days(tb_date_today_shanghai(),
	                          -((tb_date_weekday(tb_date_today_shanghai()) + 6) % 7));
	r = tongban(ZH, STDOUT_ONLY, "stats --week --json");
	expect_run(r, 0, tb_date_format(monday, want));
	expect_run(r, 0, tb_date_format(tb_date_add_days(monday, 6), want));
}
END_TEST

START_TEST(stats_exits_2_on_a_bad_date_period_or_a_full_disk)
{
	expect_run(tongban(EN, WITH_STDERR, "stats --from 2026-02-30"), 2, "not a valid date");
	expect_run(tongban(EN, WITH_STDERR, "stats --from 2026-11-02 --to 2026-11-01"), 2,
	           "is after the end");
	expect_run(tongban(ZH, WITH_STDERR, "stats --to 11/30/2026"), 2, "不是有效日期");
	expect_run(tongban(EN, WITH_STDERR, "stats --week --from 2026-11-01"), 2, "do not go with");
	expect_run(tongban(EN, WITH_STDERR, "stats extra"), 2, "unexpected argument");
	expect_run(tongban(EN, AS_WRITTEN, "stats 2>&1 >/dev/full"), 2,
	           "cannot write standard output");
}
END_TEST

/* ---- export ---------------------------------------------------------------- */

/* A CSV text taken apart (RFC 4180). */
struct csv {
	char *field[16][24];
	int cols[16];
	int rows;
	bool crlf; /* every record ends with CR LF */
};

static void csv_parse(const char *s, struct csv *c)
{
	struct buf b;
	bool quoted = false;

	memset(c, 0, sizeof *c);
	c->crlf = true;
	buf_init(&b);
	for (; *s; s++) {
		if (quoted) {
			if (*s == '"' && s[1] == '"')
				buf_add(&b, s++, 1);
			else if (*s == '"')
				quoted = false;
			else
				buf_add(&b, s, 1);
		} else if (*s == '"') {
			quoted = true;
		} else if (*s == ',' || *s == '\n') {
			ck_assert(c->rows < 16 && c->cols[c->rows] < 24);
			c->field[c->rows][c->cols[c->rows]++] = buf_take(&b);
			if (*s == '\n') {
				c->crlf &= s[-1] == '\r';
				c->rows++;
			}
		} else if (*s != '\r' || s[1] != '\n') {
			buf_add(&b, s, 1);
		}
	}
	ck_assert_msg(b.len == 0, "the last record has no line end");
	buf_free(&b);
}

static void csv_free(struct csv *c)
{
	int i, j;

	for (i = 0; i < 16; i++)
		for (j = 0; j < c->cols[i]; j++)
			free(c->field[i][j]);
}

/* The row whose first field is case_no, or -1. */
static int csv_row_of(const struct csv *c, const char *case_no)
{
	int i;

	for (i = 1; i < c->rows; i++)
		if (strcmp(c->field[i][0], case_no) == 0)
			return i;
	return -1;
}

/* export ARGS of the last 40 days in lang, into c; the run. */
static struct run *export_40_days(enum lang lang, const char *args, struct csv *c)
{
	char from[TB_DATE_LEN], to[TB_DATE_LEN];
	char *cmd = xasprintf("export --from %s --to %s %s", day(-40, from), day(0, to), args);
	struct run *r = tongban(lang, false, cmd);

	free(cmd);
	csv_parse(r->out, c);
	return r;
}

START_TEST(export_writes_a_header_and_a_row_per_case)
{
	struct csv c;
	struct run *r = export_40_days(ZH, "", &c);
	int row;

	ck_assert_int_eq(r->rc, 0);
	expect_prefix(r, "案件编号,正式编号,状态,申请人,证件号码,联系电话,事项编码,事项名称,"
	                 "申请日期,收件结果,承诺办结日期,办结日期,出件日期,评价,整改未完成,"
	                 "承诺已核实,失信记录,工作人员,窗口\r\n");
	ck_assert_int_eq(c.rows, 6);
	ck_assert(c.crlf);
	ck_assert_int_eq(c.cols[0], 19);
	ck_assert_str_eq(c.field[0][18], "窗口");
	ck_assert_int_eq(row = csv_row_of(&c, wang.row.case_no), 4);
	ck_assert_int_eq(c.cols[row], 19);
	ck_assert_str_eq(c.field[row][2], "承诺受理");
	ck_assert_str_eq(c.field[row][3], "王五");
	ck_assert_str_eq(c.field[row][6], TBFIX_COMMIT_ITEM);
	ck_assert_str_eq(c.field[row][8], wang.row.received_on);
	ck_assert_str_eq(c.field[row][9], "承诺受理");
	ck_assert_str_eq(c.field[row][15], "否"); /* not yet verified */
	ck_assert_str_eq(c.field[row][17], "demo");
	ck_assert_str_eq(c.field[row][18], "3");
	ck_assert_int_eq(csv_row_of(&c, zhou.row.case_no), 1); /* oldest first */
	csv_free(&c);
	/* in English */
	r = export_40_days(EN, "", &c);
	expect_prefix(r, "case_no,official_no,state,applicant,id_number,phone,item_code,item_name,"
	                 "received_on,outcome,due_date,done_on,released_on,rating,follow_up_open,"
	                 "verified,credit_record,clerk_id,window\r\n");
	row = csv_row_of(&c, zhao.row.case_no);
	ck_assert_str_eq(c.field[row][2], "refused");
	ck_assert_str_eq(c.field[row][15], "no");
	csv_free(&c);
	/* a period without cases: the header alone */
	r = tongban(EN, STDOUT_ONLY, "export --from 2020-01-01 --to 2020-01-31");
	ck_assert_int_eq(r->rc, 0);
	ck_assert_int_eq(count_lines(r->out), 1);
}
END_TEST

START_TEST(export_quotes_a_name_with_a_comma_and_a_quote)
{
	struct csv c;
	struct run *r;
	int row;

	rename_applicant(li.row.id, "李\"小四\", 代理");
	r = export_40_days(ZH, "", &c);
	ck_assert_int_eq(r->rc, 0);
	expect_run(r, 0, ",\"李\"\"小四\"\", 代理\",");
	row = csv_row_of(&c, li.row.case_no);
	ck_assert_int_eq(c.cols[row], 19);
	ck_assert_str_eq(c.field[row][3], "李\"小四\", 代理");
	csv_free(&c);
}
END_TEST

START_TEST(export_bom_starts_with_ef_bb_bf)
{
	struct csv c;
	struct run *r = tongban(ZH, STDOUT_ONLY, "export --bom");

	ck_assert_int_eq(r->rc, 0);
	expect_prefix(r, "\xEF\xBB\xBF案件编号,");
	r = export_40_days(ZH, "", &c);
	expect_prefix(r, "案件编号,"); /* no BOM without --bom */
	csv_free(&c);
}
END_TEST

START_TEST(export_masks_unless_full_and_records_the_full_export_once)
{
	struct csv c;
	char from[TB_DATE_LEN], to[TB_DATE_LEN], *sql;
	struct run *r;
	int row;

	r = export_40_days(ZH, "", &c);
	row = csv_row_of(&c, zhang.row.case_no);
	ck_assert_str_eq(c.field[row][4], "1101**********002X");
	ck_assert_str_eq(c.field[row][5], "138****8000");
	expect_absent(r, "11010519491231002X");
	expect_absent(r, "13912345678");
	ck_assert_int_eq(int_sql("SELECT count(*) FROM audit WHERE what <> 'decision'"), 0);
	csv_free(&c);

	log_in_demo();
	r = export_40_days(ZH, "--full", &c);
	row = csv_row_of(&c, zhang.row.case_no);
	ck_assert_str_eq(c.field[row][4], zhang.id_number);
	ck_assert_str_eq(c.field[row][5], "13800138000");
	row = csv_row_of(&c, wang.row.case_no);
	ck_assert_str_eq(c.field[row][5], "0571-88001234");
	csv_free(&c);
	ck_assert_int_eq(int_sql("SELECT count(*) FROM audit WHERE what <> 'decision'"), 1);
	sql = xasprintf("SELECT count(*) FROM audit WHERE what = 'export_full' AND case_id = '' AND"
	                " clerk = 'demo' AND detail = '%s..%s 5 cases'",
	                day(-40, from), day(0, to));
	ck_assert_int_eq(int_sql(sql), 1);
	free(sql);
}
END_TEST

START_TEST(export_file_is_mode_0600)
{
	char *file = in_dir("cases.csv"), *args;
	struct err e = {0};
	struct stat sb;
	size_t len;
	char *text;
	struct run *r;

	args = xasprintf("export --output '%s'", file);
	r = tongban(ZH, WITH_STDERR, args);
	expect_run(r, 0, "4 件案件已写入");
	ck_assert_int_eq(stat(file, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	text = file_read_all(file, &len, 1 << 20, &e);
	ck_assert_msg(text != NULL, "%s", e.msg);
	ck_assert_int_eq(count_lines(text), 5);
	free(text);
	/* a file that was readable by others is no longer */
	ck_assert_int_eq(chmod(file, 0644), 0);
	r = tongban(ZH, STDOUT_ONLY, args);
	ck_assert_int_eq(r->rc, 0);
	ck_assert_int_eq(stat(file, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	free(args);
	free(file);
}
END_TEST

START_TEST(export_to_a_full_disk_exits_1_with_a_message)
{
	struct run *r = tongban(EN, WITH_STDERR, "export --output /dev/full");

	expect_run(r, 1, "cannot write /dev/full");
	r = tongban(ZH, AS_WRITTEN, "export 2>&1 >/dev/full");
	expect_run(r, 1, "无法写入 标准输出");
	r = tongban(EN, WITH_STDERR, "export --output /nonexistent/dir/cases.csv");
	expect_run(r, 1, "cannot write /nonexistent/dir/cases.csv");
}
END_TEST

START_TEST(export_guards_against_formula_injection)
{
	struct csv c;
	struct run *r;

	rename_applicant(zhang.row.id, "=HYPERLINK(\"http://x\",\"a\")");
	rename_applicant(li.row.id, "+1");
	rename_applicant(wang.row.id, "-2+3");
	rename_applicant(zhao.row.id, "@SUM(A1)");
	r = export_40_days(ZH, "", &c);
	ck_assert_int_eq(r->rc, 0);
	ck_assert_str_eq(c.field[csv_row_of(&c, zhang.row.case_no)][3],
	                 "'=HYPERLINK(\"http://x\",\"a\")");
	ck_assert_str_eq(c.field[csv_row_of(&c, li.row.case_no)][3], "'+1");
	ck_assert_str_eq(c.field[csv_row_of(&c, wang.row.case_no)][3], "'-2+3");
	ck_assert_str_eq(c.field[csv_row_of(&c, zhao.row.case_no)][3], "'@SUM(A1)");
	ck_assert_str_eq(c.field[csv_row_of(&c, zhou.row.case_no)][3], "周九"); /* untouched */
	csv_free(&c);
}
END_TEST

START_TEST(export_refuses_a_bad_period)
{
	expect_run(tongban(EN, WITH_STDERR, "export --from 2026-11-31"), 2, "not a valid date");
	expect_run(tongban(EN, WITH_STDERR, "export --from 2026-11-02 --to 2026-11-01"), 2,
	           "is after the end");
	expect_run(tongban(EN, WITH_STDERR, "export --output"), 2, "usage:");
}
END_TEST

static Suite *cli_casework_suite(void)
{
	Suite *s = suite_create("cli_casework");
	TCase *search = tcase_create("cases search"), *stats = tcase_create("stats"),
	      *export = tcase_create("export");
	TCase *all[] = {search, stats, export};
	size_t i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++) {
		tcase_add_checked_fixture(all[i], setup, teardown);
		tcase_set_timeout(all[i], 120);
		suite_add_tcase(s, all[i]);
	}
	tcase_add_test(search, search_finds_a_case_by_the_last_4_of_the_id_number);
	tcase_add_test(search, search_finds_a_case_by_the_last_4_of_the_phone);
	tcase_add_test(search, search_finds_a_case_by_name_and_by_initials);
	tcase_add_test(search, search_finds_the_cases_of_an_item_by_its_code);
	tcase_add_test(search, search_finds_cases_by_their_application_date);
	tcase_add_test(search, search_exits_1_when_nothing_matches);
	tcase_add_test(search, search_exits_2_on_a_bad_date_usage_or_a_full_disk);
	tcase_add_test(search, search_lines_mask_the_id_number_and_the_phone);
	tcase_add_test(search, search_json_has_every_key_with_masked_values);
	tcase_add_test(search, search_full_shows_the_whole_id_and_records_each_case);
	tcase_add_test(search, search_in_english_under_lang_c);
	tcase_add_test(search, search_lists_at_most_the_limit_and_says_so);
	tcase_add_test(stats, stats_counts_the_period_by_outcome);
	tcase_add_test(stats, stats_json_has_the_outcomes_items_and_departments);
	tcase_add_test(stats, stats_of_a_period_without_cases_is_all_zero);
	tcase_add_test(stats, stats_month_and_week_are_the_current_ones);
	tcase_add_test(stats, stats_exits_2_on_a_bad_date_period_or_a_full_disk);
	tcase_add_test(export, export_writes_a_header_and_a_row_per_case);
	tcase_add_test(export, export_quotes_a_name_with_a_comma_and_a_quote);
	tcase_add_test(export, export_bom_starts_with_ef_bb_bf);
	tcase_add_test(export, export_masks_unless_full_and_records_the_full_export_once);
	tcase_add_test(export, export_file_is_mode_0600);
	tcase_add_test(export, export_to_a_full_disk_exits_1_with_a_message);
	tcase_add_test(export, export_guards_against_formula_injection);
	tcase_add_test(export, export_refuses_a_bad_period);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	return tbcheck_run(cli_casework_suite());
}
