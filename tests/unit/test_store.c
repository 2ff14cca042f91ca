/* tests/unit/test_store.c - the client database: decisions in one
 * transaction, case numbers per terminal, the outbox and its counts,
 * migrations of real older databases, pulled changes, drafts, the device
 * identity, and failures (busy, read-only) reported as kinds. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/draft.h"
#include "core/i18n.h"
#include "store/store.h"
#include "tbcheck.h"
#include "tbfixture.h"
#include "tmpdir.h"

static char *dir;
static char path[512];
static struct store *st;
static struct tbfixture fx;
static const struct clerk demo = {"demo", "王小明", "H001", "示例市政务服务中心", "3", "clerk"};

static void setup(void)
{
	struct err e = {0};

	dir = harness_tmpdir("tongban-store", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	snprintf(path, sizeof path, "%s/sub/client.db", dir);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_msg(tbfixture_open(&fx, st, &demo, &e) == 0, "%s", e.msg);
}

static void teardown(void)
{
	tbfixture_close(&fx);
	store_close(st);
	harness_tmpdir_remove(dir);
	free(dir);
}

static void new_case(const char *name, struct case_row *row)
{
	struct err e = {0};

	ck_assert_msg(tbfixture_case(&fx, &decision_accept, TBFIX_ITEM, name, row, &e) == 0, "%s",
	              e.msg);
}

/* One value from the database file, read with a separate connection. */
static int count_sql(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = -1;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static void exec_sql(const char *sql)
{
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "%s",
	              sqlite3_errmsg(db));
	sqlite3_close(db);
}

static void settle(const struct outbox_batch *b, size_t i, const char *status, const char *reason)
{
	struct outbox_result r = {b->items[i].uuid, status, reason};
	struct err e = {0};

	ck_assert_msg(store_outbox_results(st, &r, 1, &e) == 0, "%s", e.msg);
}

START_TEST(database_file_is_private_and_versioned)
{
	struct stat sb;

	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 077, 0);
	ck_assert_int_eq(count_sql("PRAGMA user_version"), STORE_SCHEMA_VERSION);
}
END_TEST

START_TEST(a_new_case_and_its_decision_are_written_together_with_the_notice)
{
	struct case_row row, back;
	struct err e = {0};
	char *text = NULL, kind[32];

	ck_assert_int_eq(store_draft_save(st, "demo", "{\"item_code\":\"x\"}", &e), 0);
	new_case("张三丰", &row);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM cases"), 1);
	ck_assert_int_eq(
	    count_sql("SELECT COUNT(*) FROM events WHERE type = 'created' AND seq = 1"), 1);
	ck_assert_int_eq(
	    count_sql("SELECT COUNT(*) FROM events WHERE type = 'accepted' AND seq = 2"), 1);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'waiting'"), 2);
	ck_assert_int_eq(store_case_get(st, row.case_no, &back, &e), 1);
	ck_assert_str_eq(back.name, "张三丰");
	ck_assert_str_eq(back.state, "accepted");
	ck_assert_str_eq(back.id, row.id);
	ck_assert_int_eq((int)strlen(back.due_date), 10); /* the promised date is on the row */
	ck_assert_int_eq(store_notice_latest(st, row.case_no, NULL, &text, kind, sizeof kind, &e),
	                 1);
	ck_assert_str_eq(kind, "acceptance");
	ck_assert_msg(strstr(text, row.case_no) != NULL, "%s", text);
	ck_assert_msg(strstr(text, "受理通知书") != NULL, "%s", text);
	free(text);
	/* the intake draft ended in the same transaction */
	ck_assert_int_eq(store_draft_load(st, "demo", &text, &e), 0);
	ck_assert_int_eq(store_case_get(st, "nope", &back, &e), 0);
}
END_TEST

/* A decision whose second step cannot be written leaves nothing at all: no
 * case, no event, no notice, and the draft still offered. */
START_TEST(a_decision_that_cannot_be_written_leaves_nothing_and_keeps_the_draft)
{
	struct decision_record r;
	struct decision_case k;
	struct err e = {0};
	char *text = NULL;

	ck_assert_int_eq(store_draft_save(st, "demo", "{\"item_code\":\"x\"}", &e), 0);
	memset(&r, 0, sizeof r);
	memset(&k, 0, sizeof k);
	k.is_new = true;
	str_copy(k.id, sizeof k.id, "11111111-1111-4111-8111-111111111111");
	str_copy(k.case_no, sizeof k.case_no, "H001-03-T01-20261201-0001");
	k.item_code = TBFIX_ITEM;
	k.applicant = "{}";
	k.name = "张三";
	r.clerk = &demo;
	r.kase = &k;
	r.item_name = "x";
	r.ev[0] = (struct decision_event){CEV_CREATED, NULL, (char *)"{}", CS_RECEIVED};
	/* accepted -> accepted does not hold: the store checks again and refuses */
	r.ev[1] = (struct decision_event){CEV_ACCEPTED, NULL, (char *)"{}", CS_REFUSED};
	r.n_ev = 2;
	r.notice_kind = "acceptance";
	r.notice_text = "受理通知书";
	r.draft_owner = "demo";
	ck_assert_int_eq(store_decision_commit(st, &r, &e), -1);
	ck_assert_int_eq(e.kind, ERR_STALE);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM cases"), 0);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM events"), 0);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM notices"), 0);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox"), 0);
	ck_assert_int_eq(store_draft_load(st, "demo", &text, &e), 1);
	free(text);
}
END_TEST

/* The same decision made twice from a stale screen (the case was accepted
 * meanwhile, here or by another program) is refused, not doubled. */
START_TEST(a_stale_decision_is_refused_not_doubled)
{
	struct case_row row;
	struct decision_env env;
	struct decision_case k;
	struct decision_input in;
	struct decision_result res;
	struct checklist cl;
	struct err e = {0};

	new_case("张三丰", &row);
	memset(&env, 0, sizeof env);
	env.clerk = &demo;
	env.terminal = "T01";
	env.cfg = &fx.cfg;
	env.cal = fx.cal;
	env.data_root = fx.data_root;
	env.today = tb_date_from_time_shanghai(store_clock_now());
	memset(&k, 0, sizeof k);
	memset(&in, 0, sizeof in);
	str_copy(k.id, sizeof k.id, row.id);
	str_copy(k.case_no, sizeof k.case_no, row.case_no);
	k.state = CS_RECEIVED; /* what a stale screen believes */
	k.item_code = row.item_code;
	k.name = row.name;
	in.env = &env;
	in.item = catalogue_find(fx.cat, row.item_code);
	in.kase = &k;
	checklist_init(&cl, in.item);
	for (size_t i = 0; i < cl.n; i++)
		if (cl.m[i].status == MS_UNCHECKED)
			cl.m[i].status = MS_ORIGINAL;
	in.cl = &cl;
	ck_assert_int_eq(decision_run(&decision_accept, &in, &fx.sink, &res, &e), -1);
	ck_assert_int_eq(e.kind, ERR_STALE);
	ck_assert_msg(strstr(e.msg, row.case_no) != NULL, "%s", e.msg);
	checklist_free(&cl);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM events WHERE type = 'accepted'"), 1);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM notices"), 1);
}
END_TEST

START_TEST(case_numbers_count_per_terminal_and_day)
{
	struct case_row a, b, c;
	struct err e = {0};
	char day[9], no[64];

	new_case("甲", &a);
	new_case("乙", &b);
	ck_assert_msg(strncmp(a.case_no, "H001-03-T01-", 12) == 0, "%s", a.case_no);
	ck_assert_msg(strcmp(a.case_no + strlen(a.case_no) - 5, "-0001") == 0, "%s", a.case_no);
	ck_assert_msg(strcmp(b.case_no + strlen(b.case_no) - 5, "-0002") == 0, "%s", b.case_no);
	/* another terminal (another PC of the same clerk) counts on its own, never the same */
	str_copy(fx.terminal, sizeof fx.terminal, "T02");
	ck_assert_int_eq(tbfixture_case(&fx, &decision_accept, TBFIX_ITEM, "丙", &c, &e), 0);
	ck_assert_msg(strstr(c.case_no, "-T02-") &&
	                  strcmp(c.case_no + strlen(c.case_no) - 5, "-0001") == 0,
	              "%s", c.case_no);
	ck_assert_str_ne(c.case_no, a.case_no);
	/* a counter that lost its place (a recovered database) steps over numbers in use */
	exec_sql("DELETE FROM case_numbers");
	snprintf(day, sizeof day, "%.8s", a.case_no + 12);
	ck_assert_int_eq(store_case_no_next(st, &demo, "T01", day, no, sizeof no, &e), 0);
	ck_assert_msg(strcmp(no + strlen(no) - 5, "-0003") == 0, "%s", no);
}
END_TEST

START_TEST(the_device_keeps_its_id_and_a_copied_database_gets_a_new_one)
{
	char id[37], again[37], code[TERMINAL_CODE_SIZE];
	struct err e = {0};

	ck_assert_int_eq(store_device_id(st, id, &e), 0);
	ck_assert_int_eq(store_device_id(st, again, &e), 0);
	ck_assert_str_eq(id, again);
	/* before the first online login: a local stand-in code, from the device id */
	ck_assert_int_eq(store_terminal_get(st, code, sizeof code, &e), 0);
	ck_assert_msg(code[0] == 'L' && strlen(code) == 5, "%s", code);
	ck_assert_int_eq(store_terminal_set(st, "T07", &e), 0);
	ck_assert_int_eq(store_terminal_get(st, code, sizeof code, &e), 1);
	ck_assert_str_eq(code, "T07");
	/* the file moved to another machine: a new device, and the old code is gone */
	exec_sql("UPDATE meta SET value = 'another-machine' WHERE key = 'machine_id'");
	ck_assert_int_eq(store_device_id(st, again, &e), 0);
	ck_assert_str_ne(id, again);
	ck_assert_int_eq(store_terminal_get(st, code, sizeof code, &e), 0);
	ck_assert_msg(code[0] == 'L', "%s", code);
}
END_TEST

START_TEST(outbox_take_marks_sending_and_results_settle_in_one_batch)
{
	struct case_row a, b;
	struct outbox_batch batch;
	struct outbox_counts c;
	struct outbox_result r[4];
	struct err e = {0};

	new_case("甲", &a);
	new_case("乙", &b);
	ck_assert_int_eq(store_outbox_take(st, 10, &batch, &e), 4);
	ck_assert_str_eq(batch.items[0].case_id, a.id); /* oldest first */
	ck_assert_msg(strstr(batch.items[0].body, "\"type\":\"created\"") != NULL, "%s",
	              batch.items[0].body);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'sending'"), 4);
	r[0] = (struct outbox_result){batch.items[0].uuid, "applied", NULL};
	r[1] = (struct outbox_result){batch.items[1].uuid, "duplicate", NULL};
	r[2] = (struct outbox_result){batch.items[2].uuid, "rejected", "bad"};
	r[3] = (struct outbox_result){batch.items[3].uuid, "weird", NULL};
	ck_assert_int_eq(store_outbox_results(st, r, 4, &e), 0);
	store_outbox_batch_free(&batch);
	ck_assert_int_eq(store_outbox_counts(st, &c, &e), 0);
	ck_assert_int_eq(c.sent, 2);
	ck_assert_int_eq(c.problems, 1);
	ck_assert_int_eq(c.waiting, 1); /* an unknown answer never marks anything sent */
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'problem'"
	                           " AND reason = 'bad'"),
	                 1);
}
END_TEST

/* The counts come from counters kept by the same transactions; they follow
 * every change, by this connection or another program. */
START_TEST(the_status_counts_follow_every_change_of_any_program)
{
	struct outbox_counts c;
	struct case_row a;
	struct err e = {0};

	ck_assert_int_eq(store_outbox_counts(st, &c, &e), 0);
	ck_assert_int_eq(c.waiting, 0);
	new_case("甲", &a);
	ck_assert_int_eq(store_outbox_counts(st, &c, &e), 0);
	ck_assert_int_eq(c.waiting, 2);
	exec_sql("UPDATE outbox SET state = 'sent' WHERE pos = 1");
	ck_assert_int_eq(store_outbox_counts(st, &c, &e), 0);
	ck_assert_int_eq(c.waiting, 1);
	ck_assert_int_eq(c.sent, 1);
	exec_sql("DELETE FROM outbox WHERE pos = 2");
	ck_assert_int_eq(store_outbox_counts(st, &c, &e), 0);
	ck_assert_int_eq(c.waiting, 0);
	ck_assert_int_eq(count_sql("SELECT sum(n) FROM outbox_counts"),
	                 count_sql("SELECT count(*) FROM outbox"));
}
END_TEST

START_TEST(unacknowledged_events_go_back_to_waiting)
{
	struct case_row a;
	struct outbox_batch batch;
	struct outbox_counts c;
	struct err e = {0};

	new_case("甲", &a);
	ck_assert_int_eq(store_outbox_take(st, 10, &batch, &e), 2);
	store_outbox_batch_free(&batch);
	ck_assert_int_eq(store_outbox_requeue(st, &e), 0);
	ck_assert_int_eq(store_outbox_counts(st, &c, &e), 0);
	ck_assert_int_eq(c.waiting, 2);
	ck_assert_int_eq(c.sent, 0);
}
END_TEST

/* tongban sync beside the TUI: a second program's requeue never puts back
 * the events the first is sending; one that crashed is freed after a while. */
START_TEST(another_programs_push_is_never_put_back)
{
	struct case_row a;
	struct outbox_batch mine, theirs;
	struct store *other;
	struct err e = {0};
	siginfo_t info;
	pid_t zombie;
	char *sql;

	new_case("甲", &a);
	other = store_open(path, &e);
	ck_assert_msg(other != NULL, "%s", e.msg);
	ck_assert_int_eq(store_outbox_take(st, 10, &mine, &e), 2);
	ck_assert_int_eq(store_outbox_requeue(other, &e), 0);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'sending'"), 2);
	ck_assert_int_eq(store_outbox_take(other, 10, &theirs, &e), 0); /* nothing to send twice */
	store_outbox_batch_free(&theirs);
	/* the first one was killed: a program whose process is gone holds nothing */
	exec_sql("UPDATE outbox SET claim = '2147483646-dead' WHERE pos = 1");
	ck_assert_int_eq(store_outbox_requeue(other, &e), 0);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'waiting'"), 1);
	/* or it ended and nobody has waited for it yet (a zombie) */
	zombie = fork();
	ck_assert_int_ge(zombie, 0);
	if (zombie == 0)
		_exit(0);
	ck_assert_int_eq(waitid(P_PID, (id_t)zombie, &info, WEXITED | WNOWAIT), 0);
	sql = xasprintf("UPDATE outbox SET state = 'sending', claim = '%ld-zombie' WHERE pos = 1",
	                (long)zombie);
	exec_sql(sql);
	free(sql);
	ck_assert_int_eq(store_outbox_requeue(other, &e), 0);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'waiting'"), 1);
	ck_assert_int_eq(waitpid(zombie, NULL, 0), zombie);
	/* or it was given up long ago: its claims lapse */
	exec_sql("UPDATE outbox SET claimed_at = claimed_at - 301");
	ck_assert_int_eq(store_outbox_requeue(other, &e), 0);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'waiting'"), 2);
	store_outbox_batch_free(&mine);
	store_close(other);
}
END_TEST

START_TEST(a_case_in_problem_is_held_back_others_flow)
{
	struct case_row a, b;
	struct outbox_batch batch;
	struct err e = {0};

	new_case("甲", &a);
	new_case("乙", &b);
	exec_sql("UPDATE outbox SET state = 'problem' WHERE pos = 1");
	ck_assert_int_eq(store_outbox_take(st, 10, &batch, &e), 2);
	ck_assert_str_eq(batch.items[0].case_id, b.id);
	ck_assert_str_eq(batch.items[1].case_id, b.id);
	store_outbox_batch_free(&batch);
}
END_TEST

START_TEST(cases_survive_reopening)
{
	struct case_row a, back;
	struct err e = {0};

	new_case("张三丰", &a);
	tbfixture_close(&fx);
	store_close(st);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_int_eq(tbfixture_open(&fx, st, &demo, &e), 0);
	ck_assert_int_eq(store_case_get(st, a.id, &back, &e), 1);
	ck_assert_str_eq(back.case_no, a.case_no);
}
END_TEST

START_TEST(clerk_and_session_are_cached)
{
	struct clerk c;
	char hash[128], token[128], who[64];
	long long exp = 0;
	struct err e = {0};

	ck_assert_int_eq(store_clerk_get(st, "demo", &c, hash, &e), 0);
	ck_assert_int_eq(store_clerk_save(st, &demo, "$argon2id$x", &e), 0);
	ck_assert_int_eq(store_clerk_get(st, "demo", &c, hash, &e), 1);
	ck_assert_str_eq(c.hall_name, "示例市政务服务中心");
	ck_assert_str_eq(hash, "$argon2id$x");
	ck_assert_int_eq(store_session_get(st, who, token, &exp, &e), 0);
	ck_assert_int_eq(store_session_set(st, "demo", "tok", 42, &e), 0);
	ck_assert_int_eq(store_session_get(st, who, token, &exp, &e), 1);
	ck_assert_str_eq(token, "tok");
	ck_assert_int_eq(exp, 42);
}
END_TEST

START_TEST(a_newer_schema_is_refused_not_damaged)
{
	struct err e = {0};
	struct store *again;

	tbfixture_close(&fx);
	store_close(st);
	st = NULL;
	exec_sql("PRAGMA user_version = 99");
	again = store_open(path, &e);
	ck_assert_ptr_null(again);
	ck_assert_msg(strstr(e.msg, "99") != NULL, "%s", e.msg);
	ck_assert_int_eq(count_sql("PRAGMA user_version"), 99);
	st = store_open_with(path, STORE_READONLY, 100, &e); /* teardown closes NULL fine */
	ck_assert_ptr_null(st);
	ck_assert_int_eq(tbfixture_open(&fx, NULL, &demo, &e), 0);
}
END_TEST

/* Load a dump of an older database into a file of its own. */
static void load_dump(const char *file, const char *dump_name)
{
	char *dump_path = tbcheck_src_path(dump_name), *dump;
	struct err e = {0};
	sqlite3 *db;

	dump = file_read_all(dump_path, NULL, 1 << 20, &e);
	ck_assert_msg(dump != NULL, "%s", e.msg);
	ck_assert_int_eq(sqlite3_open(file, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, dump, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	free(dump);
	free(dump_path);
}

START_TEST(a_database_of_schema_1_migrates_without_losing_work)
{
	char old[600];
	struct case_row row;
	struct outbox_counts c;
	struct err e = {0};
	struct store *again;

	snprintf(old, sizeof old, "%s/old.db", dir);
	load_dump(old, "tests/data/client-v1.sql");
	again = store_open(old, &e);
	ck_assert_msg(again != NULL, "%s", e.msg);
	ck_assert_int_eq(store_case_get(again, "H001-03-20261126-0001", &row, &e), 1);
	ck_assert_str_eq(row.name, "张三丰");
	ck_assert_str_eq(row.state, "received");
	ck_assert_int_eq(store_outbox_counts(again, &c, &e), 0);
	ck_assert_int_eq(c.waiting, 1);
	store_close(again);
}
END_TEST

/* A database the previous release (schema 5) made: every case, event,
 * notice, outbox state and the draft survive; the dates move onto the case
 * rows; the counts are right; the next case number does not repeat one. */
START_TEST(a_database_of_the_previous_release_migrates_without_losing_work)
{
	char old[600], *text = NULL;
	struct case_row row;
	struct outbox_counts c;
	struct err e = {0};
	struct store *again;
	long long cursor = 0;
	char no[64];

	snprintf(old, sizeof old, "%s/v5.db", dir);
	load_dump(old, "tests/data/client-v5.sql");
	again = store_open(old, &e);
	ck_assert_msg(again != NULL, "%s", e.msg);
	ck_assert_int_eq(store_case_get(again, "H001-03-20261202-0001", &row, &e), 1);
	ck_assert_str_eq(row.state, "accepted");
	ck_assert_str_eq(row.due_date, "2026-12-04");
	ck_assert_int_eq(store_case_get(again, "H001-03-20261202-0002", &row, &e), 1);
	ck_assert_str_eq(row.state, "awaiting_supplement");
	ck_assert_str_eq(row.supply_by, "2026-12-08");
	ck_assert_int_eq(store_case_get(again, "H001-03-20261202-0003", &row, &e), 1);
	ck_assert_str_eq(row.commit_due, "2026-12-10");
	ck_assert_str_eq(row.due_date, "2026-12-09");
	ck_assert_int_eq(store_notice_latest(again, row.id, NULL, &text, NULL, 0, &e), 1);
	ck_assert_str_eq(text, "告知承诺书 王五");
	free(text);
	ck_assert_int_eq(store_outbox_counts(again, &c, &e), 0);
	ck_assert_int_eq(c.waiting, 4);
	ck_assert_int_eq(c.sent, 2);
	ck_assert_int_eq(c.problems, 1);
	ck_assert_int_eq(store_draft_load(again, "demo", &text, &e), 1);
	ck_assert_msg(strstr(text, "赵六") != NULL, "%s", text);
	free(text);
	ck_assert_int_eq(store_changes_cursor(again, &cursor, &e), 0);
	ck_assert_int_eq(cursor, 7);
	ck_assert_int_eq(store_case_no_next(again, &demo, "T01", "20261202", no, sizeof no, &e), 0);
	ck_assert_str_eq(no, "H001-03-T01-20261202-0001"); /* with the terminal: no clash */
	store_close(again);
}
END_TEST

START_TEST(the_data_cache_keeps_copies_and_official_numbers_land_on_cases)
{
	struct case_row a, back;
	struct store_apply_result r;
	struct err e = {0};
	char version[32] = "", *body = NULL;
	long long cursor;

	new_case("张三", &a);
	ck_assert_int_eq(store_data_get(st, "catalogue", version, sizeof version, &body, &e), 0);
	ck_assert_int_eq(store_data_put(st, "catalogue", "2026.12.1", "{}", &e), 0);
	ck_assert_int_eq(store_data_get(st, "catalogue", version, sizeof version, &body, &e), 1);
	ck_assert_str_eq(version, "2026.12.1");
	ck_assert_str_eq(body, "{}");
	free(body);
	{
		struct store_change ch[] = {
		    {.cursor = 4,
		     .kind = STORE_CHANGE_CASE_NO,
		     .case_id = a.id,
		     .case_no = a.case_no,
		     .official_no = "H001-2026-000042"},
		    {.cursor = 5,
		     .kind = STORE_CHANGE_CASE_NO,
		     .case_id = "cccccccc-cccc-4ccc-8ccc-cccccccccccc",
		     .case_no = "X-1",
		     .official_no = "H001-2026-000043"},
		};

		ck_assert_msg(store_changes_apply(st, ch, 2, 5, &r, &e) == 0, "%s", e.msg);
	}
	ck_assert_int_eq(r.official_nos, 1);
	ck_assert_int_eq(store_case_get(st, a.id, &back, &e), 1);
	ck_assert_str_eq(back.official_no, "H001-2026-000042");
	ck_assert_str_eq(back.case_no, a.case_no); /* the window's number stays the key */
	ck_assert_int_eq(store_changes_cursor(st, &cursor, &e), 0);
	ck_assert_int_eq(cursor, 5);
	{
		struct store_change ch[] = {{.cursor = 6,
		                             .kind = STORE_CHANGE_CASE_NO,
		                             .case_id = a.id,
		                             .case_no = a.case_no,
		                             .official_no = ""}};

		ck_assert_int_eq(store_changes_apply(st, ch, 1, 6, &r, &e), -1);
	}
	ck_assert_int_eq(store_changes_cursor(st, &cursor, &e), 0);
	ck_assert_int_eq(cursor, 5);
}
END_TEST

START_TEST(a_fetched_copy_is_stored_with_its_waiting_flag_cleared)
{
	struct store_change c = {
	    .cursor = 1, .kind = STORE_CHANGE_CATALOGUE, .version = "2026.12.1"};
	struct err e = {0};
	char version[32] = "", *body = NULL;
	bool cat = false, cal = true;

	ck_assert_int_eq(store_changes_apply(st, &c, 1, 1, NULL, &e), 0);
	ck_assert_int_eq(store_updates_waiting(st, &cat, &cal, &e), 0);
	ck_assert(cat);
	ck_assert(!cal);
	ck_assert_int_eq(store_data_fetched(st, "catalogue", "2026.12.1", "{\"v\":1}", 7, &e), 0);
	ck_assert_int_eq(store_updates_waiting(st, &cat, NULL, &e), 0);
	ck_assert(!cat);
	ck_assert_int_eq(store_data_get(st, "catalogue", version, sizeof version, &body, &e), 1);
	ck_assert_str_eq(version, "2026.12.1");
	ck_assert_str_eq(body, "{\"v\":1}");
	free(body);
	ck_assert_int_eq(store_meta_set(st, "catalogue_update_waiting", "1", &e), 0);
	ck_assert_int_eq(store_data_fetched(st, "catalogue", "2026.12.1", NULL, 0, &e), 0);
	ck_assert_int_eq(store_updates_waiting(st, &cat, NULL, &e), 0);
	ck_assert(!cat);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM data_cache"), 1);
}
END_TEST

START_TEST(a_draft_survives_reopening_until_cleared)
{
	char *body = NULL;
	struct err e = {0};

	ck_assert_int_eq(store_draft_load(st, "demo", &body, &e), 0);
	ck_assert_int_eq(store_draft_save(st, "demo", "{\"name\":\"张\"}", &e), 0);
	tbfixture_close(&fx);
	store_close(st);
	st = store_open(path, &e);
	ck_assert_int_eq(tbfixture_open(&fx, st, &demo, &e), 0);
	ck_assert_int_eq(store_draft_load(st, "demo", &body, &e), 1);
	ck_assert_str_eq(body, "{\"name\":\"张\"}");
	free(body);
	ck_assert_int_eq(store_draft_clear(st, "demo", &e), 0);
	ck_assert_int_eq(store_draft_load(st, "demo", &body, &e), 0);
}
END_TEST

START_TEST(problems_are_listed_and_a_retry_releases_only_that_case)
{
	struct case_row a, b;
	struct outbox_batch batch;
	struct outbox_problem probs[4];
	struct err e = {0};

	new_case("甲", &a);
	new_case("乙", &b);
	ck_assert_int_eq(store_outbox_take(st, 10, &batch, &e), 4);
	settle(&batch, 0, "conflict", "out of order");
	settle(&batch, 1, "applied", NULL);
	settle(&batch, 2, "applied", NULL);
	settle(&batch, 3, "applied", NULL);
	store_outbox_batch_free(&batch);
	ck_assert_int_eq(store_outbox_problems(st, probs, 4, &e), 1);
	ck_assert_str_eq(probs[0].case_no, a.case_no);
	ck_assert_str_eq(probs[0].type, "created");
	ck_assert_str_eq(probs[0].reason, "out of order");
	ck_assert_int_eq(probs[0].seq, 1);
	ck_assert_int_eq(store_outbox_retry_case(st, b.id, &e), 0);
	ck_assert_int_eq(store_outbox_retry_case(st, a.id, &e), 1);
	ck_assert_int_eq(store_outbox_problems(st, probs, 4, &e), 0);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'waiting'"), 1);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'sent'"), 3);
}
END_TEST

static char *decided_json(const char *uuid, const char *case_id, int seq)
{
	return xasprintf("{\"uuid\":\"%s\",\"case_id\":\"%s\",\"seq\":%d,\"type\":\"decided\","
	                 "\"hall\":\"H001\",\"window\":\"-\",\"clerk\":\"operator\","
	                 "\"client_time\":\"2026-11-25T10:00:00+08:00\","
	                 "\"payload\":{\"outcome\":\"approve\",\"reason\":\"\"}}",
	                 uuid, case_id, seq);
}

START_TEST(a_pulled_decision_takes_its_seq_and_stays_out_of_the_outbox)
{
	struct case_row a;
	struct store_apply_result r;
	struct err e = {0};
	const char *uuid = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
	char *ev;
	long long cursor;

	new_case("甲", &a);
	ck_assert_int_eq(tbfixture_decide(&fx, &decision_note, a.id, "备注", &e), 0); /* seq 3 */
	ev = decided_json(uuid, a.id, 3);
	{
		struct store_change c[] = {
		    {.cursor = 7,
		     .kind = STORE_CHANGE_DECISION,
		     .case_id = a.id,
		     .case_no = a.case_no,
		     .event_json = ev,
		     .event_uuid = uuid,
		     .seq = 3,
		     .outcome = "approve"},
		    {.cursor = 8, .kind = STORE_CHANGE_CATALOGUE, .version = "2026.12.1"},
		};

		ck_assert_int_eq(store_changes_apply(st, c, 2, 8, &r, &e), 0);
		ck_assert_int_eq(r.decisions, 1);
		ck_assert_int_eq(r.catalogue, 1);
		ck_assert_int_eq(store_changes_apply(st, c, 2, 8, &r, &e), 0);
		ck_assert_int_eq(r.skipped, 2);
	}
	free(ev);
	ck_assert_int_eq(store_changes_cursor(st, &cursor, &e), 0);
	ck_assert_int_eq(cursor, 8);
	ck_assert_int_eq(count_sql("SELECT seq FROM events WHERE type = 'decided'"), 3);
	ck_assert_int_eq(count_sql("SELECT seq FROM events WHERE type = 'note'"), 4);
	ck_assert_int_eq(
	    count_sql("SELECT json_extract(body, '$.seq') FROM events WHERE type = 'note'"), 4);
	ck_assert_int_eq(count_sql("SELECT last_seq FROM cases"), 4);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM cases WHERE state = 'approved'"), 1);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox"), 3); /* not the decision */
}
END_TEST

START_TEST(pulled_changes_apply_all_or_nothing)
{
	struct case_row a;
	struct store_apply_result r;
	struct err e = {0};
	const char *uuid = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";
	long long cursor;
	char *ev;

	new_case("甲", &a);
	ev = decided_json(uuid, a.id, 3);
	{
		struct store_change c[] = {
		    {.cursor = 1,
		     .kind = STORE_CHANGE_DECISION,
		     .case_id = a.id,
		     .case_no = a.case_no,
		     .event_json = ev,
		     .event_uuid = uuid,
		     .seq = 3,
		     .outcome = "approve"},
		    {.cursor = 2,
		     .kind = STORE_CHANGE_DECISION,
		     .case_id = "cccccccc-cccc-4ccc-8ccc-cccccccccccc",
		     .case_no = "X-1",
		     .event_json = "{\"uuid\":\"bad\"}",
		     .event_uuid = "bad",
		     .seq = 1,
		     .outcome = "approve"},
		};

		ck_assert_int_eq(store_changes_apply(st, c, 2, 2, &r, &e), -1);
	}
	ck_assert_int_eq(store_changes_cursor(st, &cursor, &e), 0);
	ck_assert_int_eq(cursor, 0);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM events WHERE type = 'decided'"), 0);
	{
		struct store_change c[] = {
		    {.cursor = 3,
		     .kind = STORE_CHANGE_DECISION,
		     .case_id = "dddddddd-dddd-4ddd-8ddd-dddddddddddd",
		     .case_no = "H001-03-X",
		     .event_json = ev,
		     .event_uuid = uuid,
		     .seq = 3,
		     .outcome = "approve"},
		};

		/* a decision for a case this machine never had: kept aside, the pull goes on */
		ck_assert_int_eq(store_changes_apply(st, c, 1, 3, &r, &e), 0);
		ck_assert_int_eq(r.unknown_cases, 1);
	}
	free(ev);
	ck_assert_int_eq(store_orphan_decisions(st, &e), 1);
	ck_assert_int_eq(store_changes_cursor(st, &cursor, &e), 0);
	ck_assert_int_eq(cursor, 3);
}
END_TEST

/* Another program holds the write lock: a save on a connection that waits
 * 100 ms says "busy" after about that, and works once the lock is gone. */
START_TEST(a_locked_database_is_reported_busy_quickly_and_works_afterwards)
{
	sqlite3 *other;
	struct err e = {0};
	long long t0;

	ck_assert_int_eq(sqlite3_open(path, &other), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	store_set_busy_ms(st, 100);
	t0 = clock_ms();
	ck_assert_int_eq(store_draft_save(st, "demo", "{}", &e), -1);
	ck_assert_int_eq(e.kind, ERR_BUSY);
	ck_assert_msg(clock_ms() - t0 < 3000, "waited %lld ms", clock_ms() - t0);
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	ck_assert_int_eq(store_draft_save(st, "demo", "{}", &e), 0);
}
END_TEST

START_TEST(a_reader_never_writes)
{
	struct case_row a;
	struct store *ro;
	struct err e = {0};
	char *text = NULL;

	new_case("张三丰", &a);
	ro = store_open_with(path, STORE_READONLY, 100, &e);
	ck_assert_msg(ro != NULL, "%s", e.msg);
	ck_assert_int_eq(store_notice_latest(ro, a.case_no, NULL, &text, NULL, 0, &e), 1);
	free(text);
	ck_assert_int_eq(store_draft_save(ro, "demo", "{}", &e), -1);
	ck_assert_int_eq(e.kind, ERR_READONLY);
	store_close(ro);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, database_file_is_private_and_versioned);
	tcase_add_test(tc, a_new_case_and_its_decision_are_written_together_with_the_notice);
	tcase_add_test(tc, a_decision_that_cannot_be_written_leaves_nothing_and_keeps_the_draft);
	tcase_add_test(tc, a_stale_decision_is_refused_not_doubled);
	tcase_add_test(tc, case_numbers_count_per_terminal_and_day);
	tcase_add_test(tc, the_device_keeps_its_id_and_a_copied_database_gets_a_new_one);
	tcase_add_test(tc, outbox_take_marks_sending_and_results_settle_in_one_batch);
	tcase_add_test(tc, the_status_counts_follow_every_change_of_any_program);
	tcase_add_test(tc, unacknowledged_events_go_back_to_waiting);
	tcase_add_test(tc, another_programs_push_is_never_put_back);
	tcase_add_test(tc, a_case_in_problem_is_held_back_others_flow);
	tcase_add_test(tc, cases_survive_reopening);
	tcase_add_test(tc, clerk_and_session_are_cached);
	tcase_add_test(tc, a_newer_schema_is_refused_not_damaged);
	tcase_add_test(tc, a_database_of_schema_1_migrates_without_losing_work);
	tcase_add_test(tc, a_database_of_the_previous_release_migrates_without_losing_work);
	tcase_add_test(tc, the_data_cache_keeps_copies_and_official_numbers_land_on_cases);
	tcase_add_test(tc, a_fetched_copy_is_stored_with_its_waiting_flag_cleared);
	tcase_add_test(tc, a_draft_survives_reopening_until_cleared);
	tcase_add_test(tc, problems_are_listed_and_a_retry_releases_only_that_case);
	tcase_add_test(tc, a_pulled_decision_takes_its_seq_and_stays_out_of_the_outbox);
	tcase_add_test(tc, pulled_changes_apply_all_or_nothing);
	tcase_add_test(tc, a_locked_database_is_reported_busy_quickly_and_works_afterwards);
	tcase_add_test(tc, a_reader_never_writes);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
