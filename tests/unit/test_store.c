/* tests/unit/test_store.c - the client database: cases, events, outbox,
 * migrations and the kept catalogue and calendar texts. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

static char dir[64];
static char path[128];
static struct store *st;
static const struct clerk demo = {"demo", "王小明", "H001", "示例市政务服务中心", "3", "clerk"};

static void setup(void)
{
	struct err e = {0};

	snprintf(dir, sizeof dir, "/tmp/tongban-store-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sub/client.db", dir);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
}

static void teardown(void)
{
	char cmd[160];

	store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void new_case(const char *name, struct case_row *row)
{
	struct case_new cn = {&demo, "000101001000",       "建筑垃圾处置许可", "{\"name\":\"x\"}",
	                      name,  "11010519491231002X", "13800138000"};
	struct err e = {0};

	ck_assert_msg(store_case_create(st, &cn, row, &e) == 0, "%s", e.msg);
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

START_TEST(database_file_is_private_and_versioned)
{
	struct stat sb;

	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 077, 0);
	ck_assert_int_eq(count_sql("PRAGMA user_version"), STORE_SCHEMA_VERSION);
}
END_TEST

START_TEST(a_case_is_written_with_its_event_and_outbox_entry)
{
	struct case_row row, back;
	struct err e = {0};

	new_case("张三丰", &row);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM cases"), 1);
	ck_assert_int_eq(
	    count_sql("SELECT COUNT(*) FROM events WHERE type = 'created' AND seq = 1"), 1);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'waiting'"), 1);
	ck_assert_int_eq(store_case_get(st, row.case_no, &back, &e), 1);
	ck_assert_str_eq(back.name, "张三丰");
	ck_assert_str_eq(back.id, row.id);
	ck_assert_int_eq(store_case_get(st, "nope", &back, &e), 0);
}
END_TEST

START_TEST(case_numbers_follow_a_daily_sequence)
{
	struct case_row a, b;

	new_case("甲", &a);
	new_case("乙", &b);
	ck_assert_msg(strncmp(a.case_no, "H001-03-", 8) == 0, "%s", a.case_no);
	ck_assert_msg(strcmp(a.case_no + strlen(a.case_no) - 5, "-0001") == 0, "%s", a.case_no);
	ck_assert_msg(strcmp(b.case_no + strlen(b.case_no) - 5, "-0002") == 0, "%s", b.case_no);
}
END_TEST

START_TEST(outbox_take_marks_sending_and_results_settle)
{
	struct case_row a, b;
	struct outbox_batch batch;
	struct outbox_counts c;
	struct err e = {0};

	new_case("甲", &a);
	new_case("乙", &b);
	ck_assert_int_eq(store_outbox_take(st, 10, &batch, &e), 2);
	ck_assert_str_eq(batch.items[0].case_id, a.id); /* oldest first */
	ck_assert_msg(strstr(batch.items[0].body, "\"type\":\"created\"") != NULL, "%s",
	              batch.items[0].body);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'sending'"), 2);
	ck_assert_int_eq(store_outbox_result(st, batch.items[0].uuid, "applied", NULL, &e), 0);
	ck_assert_int_eq(store_outbox_result(st, batch.items[1].uuid, "rejected", "bad", &e), 0);
	store_outbox_batch_free(&batch);
	ck_assert_int_eq(store_outbox_counts(st, &c, &e), 0);
	ck_assert_int_eq(c.sent, 1);
	ck_assert_int_eq(c.problems, 1);
	ck_assert_int_eq(c.waiting, 0);
}
END_TEST

START_TEST(unacknowledged_events_go_back_to_waiting)
{
	struct case_row a;
	struct outbox_batch batch;
	struct outbox_counts c;
	struct err e = {0};

	new_case("甲", &a);
	ck_assert_int_eq(store_outbox_take(st, 10, &batch, &e), 1);
	store_outbox_batch_free(&batch);
	ck_assert_int_eq(store_outbox_requeue(st, &e), 0);
	ck_assert_int_eq(store_outbox_counts(st, &c, &e), 0);
	ck_assert_int_eq(c.waiting, 1);
	ck_assert_int_eq(c.sent, 0);
	/* an unknown status never marks anything sent */
	ck_assert_int_eq(store_outbox_take(st, 10, &batch, &e), 1);
	ck_assert_int_eq(store_outbox_result(st, batch.items[0].uuid, "weird", NULL, &e), 0);
	store_outbox_batch_free(&batch);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'sent'"), 0);
}
END_TEST

START_TEST(a_case_in_problem_is_held_back_others_flow)
{
	struct case_row a, b;
	struct outbox_batch batch;
	struct err e = {0};
	sqlite3 *db;

	new_case("甲", &a);
	new_case("乙", &b);
	/* a second, later event of case a while its first is in problem */
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(
	    sqlite3_exec(db,
	                 "UPDATE outbox SET state = 'problem' WHERE pos = 1;"
	                 "INSERT INTO events (uuid, case_id, seq, type, body, created_at)"
	                 " SELECT 'later-event', case_id, 2, 'note',"
	                 " '{}', created_at FROM events WHERE uuid = (SELECT event_uuid"
	                 " FROM outbox WHERE pos = 1);"
	                 "INSERT INTO outbox (event_uuid, case_id, state, updated_at)"
	                 " SELECT 'later-event', case_id, 'waiting', '' FROM outbox"
	                 " WHERE pos = 1;",
	                 NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(store_outbox_take(st, 10, &batch, &e), 1);
	ck_assert_str_eq(batch.items[0].case_id, b.id);
	store_outbox_batch_free(&batch);
}
END_TEST

START_TEST(cases_survive_reopening)
{
	struct case_row a, back;
	struct err e = {0};

	new_case("张三丰", &a);
	store_close(st);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
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
	sqlite3 *db;
	struct store *again;

	store_close(st);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	again = store_open(path, &e);
	ck_assert_ptr_null(again);
	ck_assert_msg(strstr(e.msg, "newer") != NULL, "%s", e.msg);
	st = NULL;
}
END_TEST

START_TEST(a_database_of_the_previous_release_migrates_without_losing_work)
{
	const char *top = getenv("TONGBAN_SRCDIR");
	char dump_path[512], old[160], *dump;
	struct case_row row;
	struct outbox_counts c;
	struct err e = {0};
	struct store *again;
	sqlite3 *db;

	snprintf(old, sizeof old, "%s/old.db", dir);
	snprintf(dump_path, sizeof dump_path, "%s/tests/data/client-v1.sql",
	         top && *top ? top : ".");
	dump = file_read_all(dump_path, NULL, 1 << 20, &e);
	ck_assert_msg(dump != NULL, "%s", e.msg);
	ck_assert_int_eq(sqlite3_open(old, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, dump, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	free(dump);
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

START_TEST(a_database_of_schema_3_gains_the_data_cache_and_keeps_its_work)
{
	struct case_row a, back;
	struct outbox_counts c;
	struct err e = {0};
	char version[32] = "", *body = NULL;
	sqlite3 *db;

	/* the previous release's schema: everything but data_cache, user_version 3 */
	new_case("张三", &a);
	ck_assert_int_eq(store_meta_set(st, "catalogue_update_waiting", "1", &e), 0);
	store_close(st);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(
	    sqlite3_exec(db,
	                 "DROP TABLE data_cache; ALTER TABLE cases DROP COLUMN official_no;"
	                 " PRAGMA user_version = 3",
	                 NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(count_sql("PRAGMA user_version"), 3);

	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_int_eq(count_sql("PRAGMA user_version"), STORE_SCHEMA_VERSION);
	ck_assert_int_eq(store_case_get(st, a.case_no, &back, &e), 1);
	ck_assert_str_eq(back.name, "张三");
	ck_assert_int_eq(store_outbox_counts(st, &c, &e), 0);
	ck_assert_int_eq(c.waiting, 1);
	ck_assert_int_eq(store_data_get(st, "catalogue", version, sizeof version, &body, &e), 0);
	ck_assert_int_eq(store_data_put(st, "catalogue", "2026.12.1", "{}", &e), 0);
	ck_assert_int_eq(store_data_get(st, "catalogue", version, sizeof version, &body, &e), 1);
	ck_assert_str_eq(version, "2026.12.1");
	ck_assert_str_eq(body, "{}");
	free(body);
}
END_TEST

START_TEST(a_database_of_schema_4_gains_official_numbers_and_keeps_its_work)
{
	struct case_row a, back;
	struct outbox_counts c;
	struct store_apply_result r;
	struct err e = {0};
	sqlite3 *db;

	/* the previous release's schema: cases without official_no, user_version 4 */
	new_case("张三", &a);
	store_close(st);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db,
	                              "ALTER TABLE cases DROP COLUMN official_no;"
	                              " PRAGMA user_version = 4",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(count_sql("PRAGMA user_version"), 4);

	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_int_eq(count_sql("PRAGMA user_version"), STORE_SCHEMA_VERSION);
	ck_assert_int_eq(store_case_get(st, a.case_no, &back, &e), 1);
	ck_assert_str_eq(back.name, "张三");
	ck_assert_str_eq(back.official_no, "");
	ck_assert_int_eq(store_outbox_counts(st, &c, &e), 0);
	ck_assert_int_eq(c.waiting, 1);
	/* a pulled official number lands on the case with the cursor; one for a
	 * case this machine does not hold is ignored */
	{
		struct store_change ch[] = {
		    {4, STORE_CHANGE_CASE_NO, a.id, a.case_no, NULL, NULL, "H001-2026-000042"},
		    {5, STORE_CHANGE_CASE_NO, "cccccccc-cccc-4ccc-8ccc-cccccccccccc", "X-1", NULL,
		     NULL, "H001-2026-000043"},
		};

		ck_assert_msg(store_changes_apply(st, ch, 2, 5, &r, &e) == 0, "%s", e.msg);
	}
	ck_assert_int_eq(r.official_nos, 1);
	ck_assert_int_eq(store_case_get(st, a.id, &back, &e), 1);
	ck_assert_str_eq(back.official_no, "H001-2026-000042");
	ck_assert_str_eq(back.case_no, a.case_no); /* the window's number stays the key */
	ck_assert_int_eq(store_case_recent(st, &back, 1, &e), 1);
	ck_assert_str_eq(back.official_no, "H001-2026-000042");
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM cases"), 1);
	{
		long long cursor;

		ck_assert_int_eq(store_changes_cursor(st, &cursor, &e), 0);
		ck_assert_int_eq(cursor, 5);
	}
	/* a malformed one fails the whole answer: nothing changes */
	{
		struct store_change ch[] = {
		    {6, STORE_CHANGE_CASE_NO, a.id, a.case_no, NULL, NULL, ""},
		};

		ck_assert_int_eq(store_changes_apply(st, ch, 1, 6, &r, &e), -1);
	}
	ck_assert_int_eq(store_case_get(st, a.id, &back, &e), 1);
	ck_assert_str_eq(back.official_no, "H001-2026-000042");
}
END_TEST

START_TEST(a_fetched_copy_is_stored_with_its_waiting_flag_cleared)
{
	struct store_change c = {1, STORE_CHANGE_CATALOGUE, NULL, NULL, NULL, "2026.12.1", NULL};
	struct err e = {0};
	char version[32] = "", *body = NULL;
	bool cat = false, cal = true;

	ck_assert_int_eq(store_changes_apply(st, &c, 1, 1, NULL, &e), 0);
	ck_assert_int_eq(store_updates_waiting(st, &cat, &cal, &e), 0);
	ck_assert(cat);
	ck_assert(!cal);
	ck_assert_int_eq(store_data_fetched(st, "catalogue", "2026.12.1", "{\"v\":1}", &e), 0);
	ck_assert_int_eq(store_updates_waiting(st, &cat, NULL, &e), 0);
	ck_assert(!cat);
	ck_assert_int_eq(store_data_get(st, "catalogue", version, sizeof version, &body, &e), 1);
	ck_assert_str_eq(version, "2026.12.1");
	ck_assert_str_eq(body, "{\"v\":1}");
	free(body);
	/* "unchanged": only the flag moves, the copy stays */
	ck_assert_int_eq(store_meta_set(st, "catalogue_update_waiting", "1", &e), 0);
	ck_assert_int_eq(store_data_fetched(st, "catalogue", "2026.12.1", NULL, &e), 0);
	ck_assert_int_eq(store_updates_waiting(st, &cat, NULL, &e), 0);
	ck_assert(!cat);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM data_cache"), 1);
}
END_TEST

START_TEST(a_decision_is_one_transaction_with_its_notice)
{
	struct case_row a, back;
	struct case_change ch[2];
	struct err e = {0};
	char *text = NULL, kind[32];

	new_case("张三丰", &a);
	memset(ch, 0, sizeof ch);
	ch[0].case_id = a.id;
	ch[0].clerk = &demo;
	ch[0].type = "accepted";
	ch[0].payload_json = "{\"promised_date\":\"2026-12-01\"}";
	ch[0].new_state = "accepted";
	ch[0].notice_kind = "acceptance";
	ch[0].notice_text = "受理通知书";
	ck_assert_int_eq(store_case_append(st, ch, 1, &e), 0);
	ck_assert_int_eq(store_case_get(st, a.id, &back, &e), 1);
	ck_assert_str_eq(back.state, "accepted");
	ck_assert_int_eq(store_notice_latest(st, a.case_no, NULL, &text, kind, sizeof kind, &e), 1);
	ck_assert_str_eq(text, "受理通知书");
	ck_assert_str_eq(kind, "acceptance");
	free(text);
	ck_assert_int_eq(count_sql("SELECT MAX(seq) FROM events"), 2);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'waiting'"), 2);

	/* a failing second change rolls back the first */
	ch[1] = ch[0];
	ch[1].case_id = "no-such-case";
	ck_assert_int_eq(store_case_append(st, ch, 2, &e), -1);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM events"), 2);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM notices"), 1);
}
END_TEST

START_TEST(a_draft_survives_reopening_until_cleared)
{
	char *body = NULL;
	struct err e = {0};

	ck_assert_int_eq(store_draft_load(st, "demo", &body, &e), 0);
	ck_assert_int_eq(store_draft_save(st, "demo", "{\"name\":\"张\"}", &e), 0);
	store_close(st);
	st = store_open(path, &e);
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
	ck_assert_int_eq(store_outbox_take(st, 10, &batch, &e), 2);
	ck_assert_int_eq(
	    store_outbox_result(st, batch.items[0].uuid, "conflict", "out of order", &e), 0);
	ck_assert_int_eq(store_outbox_result(st, batch.items[1].uuid, "applied", NULL, &e), 0);
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
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'sent'"), 1);
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
	struct case_change acc = {NULL, &demo, "accepted", NULL, "accepted", NULL, NULL};
	struct case_change note = {NULL, &demo, "note", NULL, "accepted", NULL, NULL};
	struct store_apply_result r;
	struct err e = {0};
	char *ev;
	long long cursor;

	new_case("甲", &a);
	acc.case_id = note.case_id = a.id;
	ck_assert_int_eq(store_case_append(st, &acc, 1, &e), 0);
	ck_assert_int_eq(store_case_append(st, &note, 1, &e), 0); /* seq 3, not yet sent */
	ev = decided_json("aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", a.id, 3);
	{
		struct store_change c[] = {
		    {7, STORE_CHANGE_DECISION, a.id, a.case_no, ev, NULL, NULL},
		    {8, STORE_CHANGE_CATALOGUE, NULL, NULL, NULL, "2026.12.1", NULL},
		};

		ck_assert_int_eq(store_changes_apply(st, c, 2, 8, &r, &e), 0);
		ck_assert_int_eq(r.decisions, 1);
		ck_assert_int_eq(r.catalogue, 1);
		/* again: nothing changes */
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
	{
		bool cat = false, cal = true;

		ck_assert_int_eq(store_updates_waiting(st, &cat, &cal, &e), 0);
		ck_assert(cat);
		ck_assert(!cal);
	}
}
END_TEST

START_TEST(pulled_changes_apply_all_or_nothing)
{
	struct case_row a;
	struct store_apply_result r;
	struct err e = {0};
	long long cursor;
	char *ev;

	new_case("甲", &a);
	ev = decided_json("bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb", a.id, 2);
	{
		struct store_change c[] = {
		    {1, STORE_CHANGE_DECISION, a.id, a.case_no, ev, NULL, NULL},
		    {2, STORE_CHANGE_DECISION, "cccccccc-cccc-4ccc-8ccc-cccccccccccc", "X-1",
		     "{\"uuid\":\"bad\"}", NULL, NULL},
		};

		ck_assert_int_eq(store_changes_apply(st, c, 2, 2, &r, &e), -1);
	}
	ck_assert_int_eq(store_changes_cursor(st, &cursor, &e), 0);
	ck_assert_int_eq(cursor, 0);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM events WHERE type = 'decided'"), 0);
	{
		struct store_change c[] = {
		    {3, STORE_CHANGE_DECISION, "dddddddd-dddd-4ddd-8ddd-dddddddddddd", "H001-03-X",
		     ev, NULL, NULL},
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

int main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, database_file_is_private_and_versioned);
	tcase_add_test(tc, a_case_is_written_with_its_event_and_outbox_entry);
	tcase_add_test(tc, case_numbers_follow_a_daily_sequence);
	tcase_add_test(tc, outbox_take_marks_sending_and_results_settle);
	tcase_add_test(tc, unacknowledged_events_go_back_to_waiting);
	tcase_add_test(tc, a_case_in_problem_is_held_back_others_flow);
	tcase_add_test(tc, cases_survive_reopening);
	tcase_add_test(tc, clerk_and_session_are_cached);
	tcase_add_test(tc, a_newer_schema_is_refused_not_damaged);
	tcase_add_test(tc, a_database_of_the_previous_release_migrates_without_losing_work);
	tcase_add_test(tc, a_database_of_schema_4_gains_official_numbers_and_keeps_its_work);
	tcase_add_test(tc, a_database_of_schema_3_gains_the_data_cache_and_keeps_its_work);
	tcase_add_test(tc, a_fetched_copy_is_stored_with_its_waiting_flag_cleared);
	tcase_add_test(tc, a_decision_is_one_transaction_with_its_notice);
	tcase_add_test(tc, a_draft_survives_reopening_until_cleared);
	tcase_add_test(tc, problems_are_listed_and_a_retry_releases_only_that_case);
	tcase_add_test(tc, a_pulled_decision_takes_its_seq_and_stays_out_of_the_outbox);
	tcase_add_test(tc, pulled_changes_apply_all_or_nothing);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
