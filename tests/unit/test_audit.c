/* tests/unit/test_audit.c - the client's audit chain: every look at a whole
 * number and every decision is a row whose hash covers the row before it;
 * an edited, deleted or moved row is found and named, by the store and by
 * `tongban audit verify`. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/i18n.h"
#include "store/store.h"
#include "tbcheck.h"
#include "tbfixture.h"
#include "tmpdir.h"

static char *dir;
static char path[512];
static struct store *st;
static struct tbfixture fx;

static void setup(void)
{
	struct err e = {0};

	dir = harness_tmpdir("tongban-audit", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	snprintf(path, sizeof path, "%s/client.db", dir);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_msg(tbfixture_open(&fx, st, NULL, &e) == 0, "%s", e.msg);
}

static void teardown(void)
{
	tbfixture_close(&fx);
	store_close(st);
	harness_tmpdir_remove(dir);
	free(dir);
}

static void exec_sql(const char *sql)
{
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "%s",
	              sqlite3_errmsg(db));
	sqlite3_close(db);
}

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

/* Three cases decided (three rows) and two looks at whole numbers. */
static void five_rows(void)
{
	struct err e = {0};
	const char *a = tbfixture_accepted(&fx, "张三");

	tbfixture_accepted(&fx, "李四");
	ck_assert_int_eq(store_audit_add(st, "demo", a, AUDIT_REVEAL, "id_number,phone", &e), 0);
	tbfixture_accepted(&fx, "王五");
	ck_assert_int_eq(store_audit_add(st, "demo", a, AUDIT_REVEAL, "id_number,phone", &e), 0);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM audit"), 5);
}

static int verify(struct audit_check *c)
{
	struct err e = {0};
	int rc = store_audit_verify(st, c, &e);

	ck_assert_msg(rc >= 0, "%s", e.msg);
	return rc;
}

/* tongban audit verify on the database: its exit status, its output in out. */
static int cli_verify(char *out, size_t n)
{
	char cmd[1200];
	FILE *p;
	size_t len;
	int status;

	snprintf(cmd, sizeof cmd, "LANG=C.UTF-8 '%s' --db '%s' audit verify 2>&1",
	         tbcheck_env("TONGBAN_BIN", "build/tongban"), path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	len = fread(out, 1, n - 1, p);
	out[len] = '\0';
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

START_TEST(decisions_and_looks_make_a_chain_that_holds)
{
	struct audit_check c;
	char out[1024];

	five_rows();
	ck_assert_int_eq(verify(&c), 1);
	ck_assert_int_eq((int)c.rows, 5);
	/* decisions name their events, never a number or a name */
	ck_assert_int_eq(count_sql("SELECT count(*) FROM audit WHERE what = 'decision' AND detail ="
	                           " 'created accepted' AND clerk = 'demo'"),
	                 3);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM audit WHERE detail LIKE '%张三%' OR detail"
	                           " LIKE '%11010519491231002X%'"),
	                 0);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM audit WHERE length(hash) = 64 AND"
	                           " (id = 1 AND prev = '' OR id > 1 AND length(prev) = 64)"),
	                 5);
	ck_assert_int_eq(cli_verify(out, sizeof out), 0);
	ck_assert_msg(strstr(out, "5") != NULL, "%s", out);
}
END_TEST

START_TEST(an_edited_row_is_found)
{
	struct audit_check c;
	char out[1024];

	five_rows();
	exec_sql("UPDATE audit SET clerk = 'someone' WHERE id = 3");
	ck_assert_int_eq(verify(&c), 0);
	ck_assert_int_eq((int)c.bad_id, 3);
	ck_assert_int_eq(cli_verify(out, sizeof out), 1);
	ck_assert_msg(strstr(out, "第 3 行的内容被改动过") != NULL, "%s", out);
}
END_TEST

START_TEST(a_deleted_row_is_found)
{
	struct audit_check c;

	five_rows();
	exec_sql("DELETE FROM audit WHERE id = 2");
	ck_assert_int_eq(verify(&c), 0);
	ck_assert_int_eq((int)c.bad_id, 3);
	ck_assert_msg(strstr(c.why, "被删除") != NULL, "%s", c.why);
	/* a deleted row whose id is reused to hide the gap: the chain says so */
	exec_sql(
	    "INSERT INTO audit (id, at, clerk, case_id, what, detail, prev, hash) SELECT 2, at,"
	    " clerk, case_id, what, 'forged', prev, hash FROM audit WHERE id = 1");
	ck_assert_int_eq(verify(&c), 0);
	ck_assert_int_eq((int)c.bad_id, 2);
}
END_TEST

START_TEST(a_moved_row_is_found)
{
	struct audit_check c;

	five_rows();
	/* rows 2 and 4 change places, each with its own hash */
	exec_sql("UPDATE audit SET id = -2 WHERE id = 2; UPDATE audit SET id = 2 WHERE id = 4;"
	         " UPDATE audit SET id = 4 WHERE id = -2");
	ck_assert_int_eq(verify(&c), 0);
	ck_assert_int_eq((int)c.bad_id, 2);
	ck_assert_msg(strstr(c.why, "不接上一行") != NULL, "%s", c.why);
}
END_TEST

START_TEST(rows_kept_before_the_chain_join_it)
{
	struct audit_check c;
	struct err e = {0};

	exec_sql("INSERT INTO audit (at, clerk, case_id, what, detail) VALUES"
	         " ('2026-11-30T09:00:00+08:00', 'demo', 'c1', 'reveal', ''),"
	         " ('2026-11-30T09:01:00+08:00', 'demo', 'c2', 'reveal', '')");
	ck_assert_int_eq(store_audit_add(st, "demo", "c3", AUDIT_REVEAL, "", &e), 0);
	ck_assert_int_eq(verify(&c), 1);
	ck_assert_int_eq(count_sql("SELECT count(*) FROM audit WHERE hash = ''"), 0);
	ck_assert_int_eq((int)c.rows, 3);
}
END_TEST

START_TEST(unsent_rows_go_in_order_and_are_marked)
{
	struct audit_row rows[10];
	struct err e = {0};

	five_rows();
	ck_assert_int_eq(store_audit_unsent(st, rows, 10, &e), 5);
	ck_assert_int_eq((int)rows[0].id, 1);
	ck_assert_str_eq(rows[1].prev, rows[0].hash);
	ck_assert_int_eq(store_audit_mark_sent(st, rows[2].id, &e), 0);
	ck_assert_int_eq(store_audit_unsent(st, rows, 10, &e), 2);
	ck_assert_int_eq((int)rows[0].id, 4);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("chain");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, decisions_and_looks_make_a_chain_that_holds);
	tcase_add_test(tc, an_edited_row_is_found);
	tcase_add_test(tc, a_deleted_row_is_found);
	tcase_add_test(tc, a_moved_row_is_found);
	tcase_add_test(tc, rows_kept_before_the_chain_join_it);
	tcase_add_test(tc, unsent_rows_go_in_order_and_are_marked);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
