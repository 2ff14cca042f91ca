/* tests/unit/test_db.c - the SQLite layer under both stores: the file is
 * private and never opened outside SQLite, one return convention, one
 * transaction wrapper, migrations, busy and damage reported as kinds. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/i18n.h"
#include "db/db.h"
#include "tbcheck.h"
#include "tmpdir.h"

static char *dir;
static char path[512];

static void setup(void)
{
	struct err e = {0};

	dir = harness_tmpdir("tongban-db", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	snprintf(path, sizeof path, "%s/sub/t.db", dir);
}

static void teardown(void)
{
	harness_tmpdir_remove(dir);
	free(dir);
}

static struct db *open_rw(void)
{
	struct err e = {0};
	struct db *db = db_open(path, DB_CREATE, 1000, &e);

	ck_assert_msg(db != NULL, "%s", e.msg);
	return db;
}

START_TEST(a_new_database_is_private_even_under_a_wide_umask)
{
	mode_t old = umask(022);
	struct db *db = open_rw();
	struct err e = {0};
	struct stat st;
	char *sub = xasprintf("%s/sub", dir);

	umask(old);
	ck_assert_int_eq(db_exec(db, "CREATE TABLE t (a)", &e), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(stat(sub, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	db_close(db);
	free(sub);
}
END_TEST

/* Opening and closing a second connection in this process, and another
 * program opening and closing the file, must leave the first connection's
 * locks in place: its -wal file is not deleted under it.  (A plain open(2)
 * and close(2) of the file would drop them and let the other program
 * believe it is the last user.) */
START_TEST(another_program_never_deletes_the_wal_under_an_open_connection)
{
	struct db *a = open_rw(), *b;
	struct err e = {0};
	char *wal = xasprintf("%s-wal", path);
	char *shell = xasprintf("sqlite3 '%s' 'SELECT count(*) FROM t' >/dev/null", path);
	long long n = 0;

	ck_assert_int_eq(db_exec(a,
	                         "PRAGMA wal_autocheckpoint=0; CREATE TABLE t (a);"
	                         " INSERT INTO t VALUES (1)",
	                         &e),
	                 0);
	b = open_rw();
	db_close(b);
	/* another program: the sqlite3 shell (a forked child would share this
	 * process's SQLite bookkeeping and prove nothing) */
	ck_assert_int_eq(system(shell), 0);
	ck_assert_msg(access(wal, F_OK) == 0, "the -wal file was deleted under an open connection");
	ck_assert_int_eq(db_run(a, &e, "INSERT INTO t VALUES (?1)", "i", 2), 0);
	ck_assert_int_eq(db_get_int(a, &e, &n, "SELECT count(*) FROM t", ""), 1);
	ck_assert_int_eq(n, 2);
	db_close(a);
	free(wal);
	free(shell);
}
END_TEST

START_TEST(rows_come_back_with_one_convention)
{
	struct db *db = open_rw();
	struct err e = {0};
	sqlite3_stmt *s;
	char *text = NULL;
	long long n = 0;
	int rows = 0;

	ck_assert_int_eq(db_exec(db, "CREATE TABLE t (k TEXT, v INTEGER)", &e), 0);
	ck_assert_int_eq(db_run(db, &e, "INSERT INTO t VALUES (?1, ?2)", "si", "a", 1), 0);
	ck_assert_int_eq(db_run(db, &e, "INSERT INTO t VALUES (?1, ?2)", "el", NULL, 5000000000LL),
	                 0);
	ck_assert_int_eq(db_run(db, &e, "INSERT INTO t VALUES (?1, ?2)", "si", NULL, 3), 0);
	ck_assert_int_eq(db_changes(db), 1);
	ck_assert_int_eq(db_get_text(db, &e, &text, "SELECT k FROM t WHERE v = ?1", "i", 1), 1);
	ck_assert_str_eq(text, "a");
	free(text);
	ck_assert_int_eq(db_get_text(db, &e, &text, "SELECT k FROM t WHERE v = ?1", "i", 9), 0);
	ck_assert_ptr_null(text);
	ck_assert_int_eq(db_get_int(db, &e, &n, "SELECT v FROM t WHERE k = ''", ""), 1);
	ck_assert(n == 5000000000LL);
	ck_assert_int_eq(db_get_int(db, &e, &n, "SELECT count(*) FROM t WHERE k IS NULL", ""), 1);
	ck_assert_int_eq(n, 1);
	s = db_query(db, &e, "SELECT k, v FROM t ORDER BY v", "");
	ck_assert_ptr_nonnull(s);
	while (db_step(db, s, &e) == 1) {
		/* the same statement again inside the loop: a second copy, not the first reset */
		ck_assert_int_eq(db_get_int(db, &e, &n, "SELECT count(*) FROM t", ""), 1);
		ck_assert_int_eq(n, 3);
		rows++;
	}
	db_done(db, s);
	ck_assert_int_eq(rows, 3);
	ck_assert_int_eq(db_run(db, &e, "INSERT INTO nowhere VALUES (1)", ""), -1);
	ck_assert_int_eq(e.kind, ERR_FAILED);
	ck_assert_msg(strstr(e.msg, "nowhere") != NULL, "%s", e.msg);
	db_close(db);
}
END_TEST

static int insert_then(struct db *db, void *arg, struct err *e)
{
	if (db_run(db, e, "INSERT INTO t VALUES (?1)", "i", *(int *)arg) < 0)
		return -1;
	if (*(int *)arg < 0) {
		err_set(e, "refused");
		return -1;
	}
	return 0;
}

static int nested(struct db *db, void *arg, struct err *e)
{
	int bad = -7;

	(void)arg;
	if (db_run(db, e, "INSERT INTO t VALUES (10)", "") < 0)
		return -1;
	ck_assert_int_eq(db_tx(db, insert_then, &bad, e), -1); /* only the savepoint goes */
	return 0;
}

START_TEST(a_transaction_is_all_or_nothing)
{
	struct db *db = open_rw();
	struct err e = {0};
	long long n = 0;
	int good = 1, bad = -1;

	ck_assert_int_eq(db_exec(db, "CREATE TABLE t (a)", &e), 0);
	ck_assert_int_eq(db_tx(db, insert_then, &good, &e), 0);
	ck_assert_int_eq(db_tx(db, insert_then, &bad, &e), -1);
	ck_assert_str_eq(e.msg, "refused");
	ck_assert(!db_in_tx(db));
	ck_assert_int_eq(db_tx(db, nested, NULL, &e), 0);
	ck_assert_int_eq(db_get_int(db, &e, &n, "SELECT group_concat(a) FROM t", ""), 1);
	ck_assert_int_eq(db_get_int(db, &e, &n, "SELECT sum(a) FROM t", ""), 1);
	ck_assert_int_eq(n, 11); /* 1 and 10; -1 and -7 rolled back */
	db_close(db);
}
END_TEST

START_TEST(a_held_write_lock_is_reported_busy_after_the_wait)
{
	struct db *a = open_rw(), *b;
	struct err e = {0};
	long long t0;
	int good = 1;

	ck_assert_int_eq(db_exec(a, "CREATE TABLE t (a)", &e), 0);
	b = db_open(path, 0, 100, &e);
	ck_assert_msg(b != NULL, "%s", e.msg);
	ck_assert_int_eq(db_begin(a, &e), 0);
	t0 = clock_ms();
	ck_assert_int_eq(db_tx(b, insert_then, &good, &e), -1);
	ck_assert_int_eq(e.kind, ERR_BUSY);
	ck_assert_msg(clock_ms() - t0 < 2000, "waited %lld ms", clock_ms() - t0);
	db_rollback(a);
	ck_assert_int_eq(db_tx(b, insert_then, &good, &e), 0);
	db_close(a);
	db_close(b);
}
END_TEST

static const char *const steps[] = {
    "CREATE TABLE a (x)",
    "CREATE TABLE b (y); INSERT INTO a VALUES (1)",
    "this is not SQL",
};

START_TEST(migrations_run_once_in_order_and_a_newer_schema_is_refused)
{
	struct db *db = open_rw();
	struct err e = {0};
	long long n = 0;

	ck_assert_int_eq(db_migrate(db, steps, 2, &e), 0);
	ck_assert_int_eq(db_user_version(db, &e), 2);
	ck_assert_int_eq(db_migrate(db, steps, 2, &e), 0); /* again: nothing to do */
	ck_assert_int_eq(db_get_int(db, &e, &n, "SELECT count(*) FROM a", ""), 1);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(db_migrate(db, steps, 3, &e), -1); /* a broken step: version stays */
	ck_assert_int_eq(db_user_version(db, &e), 2);
	ck_assert_int_eq(db_migrate(db, steps, 1, &e), -1);
	ck_assert_msg(strstr(e.msg, "2") != NULL, "%s", e.msg);
	db_close(db);
}
END_TEST

START_TEST(a_missing_file_is_named_and_never_created_by_a_reader)
{
	struct err e = {0};
	struct db *db = db_open(path, DB_READONLY, 100, &e);

	ck_assert_ptr_null(db);
	ck_assert_msg(strstr(e.msg, path) != NULL, "%s", e.msg);
	ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

START_TEST(a_reader_reads_a_database_on_read_only_media)
{
	struct db *db = open_rw();
	struct err e = {0};
	char *ro = xasprintf("%s/ro", dir), *cmd, *copy = xasprintf("%s/ro/t.db", dir);
	long long n = 0;

	ck_assert_int_eq(db_exec(db, "CREATE TABLE t (a); INSERT INTO t VALUES (1), (2)", &e), 0);
	db_close(db);
	ck_assert_int_eq(mkdir(ro, 0700), 0);
	if (geteuid() != 0 || system("true") != 0) {
		free(ro);
		free(copy);
		return;
	}
	cmd = xasprintf("mount -t tmpfs -o size=1m tmpfs '%s' 2>/dev/null && cp '%s' '%s' &&"
	                " mount -o remount,ro '%s'",
	                ro, path, copy, ro);
	if (system(cmd) != 0) {
		fprintf(stderr,
		        "test_db: SKIPPED the read-only medium check: no tmpfs mount here\n");
	} else {
		db = db_open(copy, DB_READONLY, 100, &e);
		ck_assert_msg(db != NULL, "%s", e.msg);
		ck_assert_int_eq(db_get_int(db, &e, &n, "SELECT count(*) FROM t", ""), 1);
		ck_assert_int_eq(n, 2);
		db_close(db);
		db = db_open(copy, 0, 100, &e);
		ck_assert_ptr_null(db);
		free(cmd);
		cmd = xasprintf("umount '%s'", ro);
		ck_assert_int_eq(system(cmd), 0);
	}
	free(cmd);
	free(ro);
	free(copy);
}
END_TEST

/* Overwrite page `page` (1-based, 4096 bytes) of the file with garbage. */
static void damage_page(const char *file, int page)
{
	char junk[4096];
	int fd = open(file, O_WRONLY);

	memset(junk, 0xA5, sizeof junk);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, junk, sizeof junk, (off_t)(page - 1) * 4096), 4096);
	close(fd);
}

START_TEST(a_damaged_file_is_found_and_never_written_again)
{
	struct db *db = open_rw();
	struct err e = {0};
	char *report = NULL;
	long long n = 0;
	int i, good = 1;

	ck_assert_int_eq(db_exec(db, "PRAGMA page_size=4096; CREATE TABLE t (a TEXT);", &e), 0);
	for (i = 0; i < 200; i++)
		ck_assert_int_eq(
		    db_run(db, &e, "INSERT INTO t VALUES (?1)", "s",
		           "some text that fills the pages of the table, some text that fills"),
		    0);
	ck_assert_int_eq(db_quick_check(db, NULL, &e), 1);
	ck_assert(!db_is_damaged(db));
	db_close(db);
	damage_page(path, 3);
	db = open_rw();
	ck_assert_int_eq(db_quick_check(db, &report, &e), 0);
	ck_assert_ptr_nonnull(report);
	ck_assert(db_is_damaged(db));
	ck_assert_int_eq(db_tx(db, insert_then, &good, &e), -1);
	ck_assert_int_eq(e.kind, ERR_CORRUPT);
	/* a write outside a transaction is refused too; reading goes on */
	e.kind = ERR_NONE;
	ck_assert_int_eq(db_run(db, &e, "INSERT INTO t VALUES ('x')", ""), -1);
	ck_assert_int_eq(e.kind, ERR_CORRUPT);
	ck_assert_int_eq(db_get_int(db, &e, &n, "SELECT count(*) FROM sqlite_master", ""), 1);
	free(report);
	db_close(db);
}
END_TEST

START_TEST(the_change_counter_moves_for_changes_by_any_connection)
{
	struct db *a = open_rw(), *b = open_rw();
	struct err e = {0};
	long long c0, c1, c2;

	ck_assert_int_eq(db_exec(a, "CREATE TABLE t (a)", &e), 0);
	c0 = db_change_counter(a);
	ck_assert(db_change_counter(a) == c0);
	ck_assert_int_eq(db_run(b, &e, "INSERT INTO t VALUES (1)", ""), 0);
	c1 = db_change_counter(a);
	ck_assert(c1 != c0);
	ck_assert_int_eq(db_run(a, &e, "INSERT INTO t VALUES (2)", ""), 0);
	c2 = db_change_counter(a);
	ck_assert(c2 != c1);
	db_close(a);
	db_close(b);
}
END_TEST

START_TEST(an_integer_column_comes_back_whole)
{
	struct db *db = open_rw();
	struct err e = {0};
	sqlite3_stmt *s;

	ck_assert_int_eq(db_exec(db, "CREATE TABLE t (k INTEGER, v INTEGER)", &e), 0);
	ck_assert_int_eq(db_run(db, &e, "INSERT INTO t VALUES (1, ?1)", "l", 5000000000LL), 0);
	ck_assert_int_eq(db_run(db, &e, "INSERT INTO t VALUES (2, NULL)", ""), 0);
	s = db_query(db, &e, "SELECT v, -v FROM t ORDER BY k", "");
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(db_step(db, s, &e), 1);
	ck_assert(db_col_int(s, 0) == 5000000000LL);
	ck_assert(db_col_int(s, 1) == -5000000000LL);
	ck_assert_int_eq(db_step(db, s, &e), 1);
	ck_assert(db_col_int(s, 0) == 0); /* NULL */
	ck_assert_int_eq(db_step(db, s, &e), 0);
	db_done(db, s);
	db_close(db);
}
END_TEST

/* Statements built at run time are never taken for one another: the
 * statement cache keys on the string's address, and a freed string's
 * address comes back for the next one. */
START_TEST(a_statement_built_at_run_time_is_its_own)
{
	struct db *db = open_rw();
	struct err e = {0};
	int i;

	ck_assert_int_eq(db_exec(db, "CREATE TABLE t (a); INSERT INTO t VALUES (7)", &e), 0);
	for (i = 0; i < 3; i++) {
		char *sql = xasprintf("SELECT a + %d FROM t", i);
		sqlite3_stmt *s = db_prepare(db, sql, &e);

		free(sql);
		ck_assert_msg(s != NULL, "%s", e.msg);
		ck_assert_int_eq(db_step(db, s, &e), 1);
		ck_assert_int_eq(sqlite3_column_int(s, 0), 7 + i);
		ck_assert_int_eq(db_step(db, s, &e), 0);
		db_done(db, s);
	}
	ck_assert_ptr_null(db_prepare(db, "SELECT a FROM nowhere", &e));
	ck_assert_int_eq(e.kind, ERR_FAILED);
	ck_assert_msg(strstr(e.msg, "nowhere") != NULL, "%s", e.msg);
	db_close(db);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("db");
	TCase *tc = tcase_create("db");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, a_new_database_is_private_even_under_a_wide_umask);
	tcase_add_test(tc, another_program_never_deletes_the_wal_under_an_open_connection);
	tcase_add_test(tc, rows_come_back_with_one_convention);
	tcase_add_test(tc, a_transaction_is_all_or_nothing);
	tcase_add_test(tc, a_held_write_lock_is_reported_busy_after_the_wait);
	tcase_add_test(tc, migrations_run_once_in_order_and_a_newer_schema_is_refused);
	tcase_add_test(tc, a_missing_file_is_named_and_never_created_by_a_reader);
	tcase_add_test(tc, a_reader_reads_a_database_on_read_only_media);
	tcase_add_test(tc, a_damaged_file_is_found_and_never_written_again);
	tcase_add_test(tc, the_change_counter_moves_for_changes_by_any_connection);
	tcase_add_test(tc, an_integer_column_comes_back_whole);
	tcase_add_test(tc, a_statement_built_at_run_time_is_its_own);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
