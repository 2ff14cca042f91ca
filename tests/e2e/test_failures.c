/*
 * tests/e2e/test_failures.c - the clerk's database fails under the real
 * tongban in a pty, and nothing the clerk typed or was shown is lost: a full
 * disk, a read-only database, another program holding the lock, SIGTERM and
 * SIGHUP, a damaged file; and two PCs of one clerk never print the same
 * case number.
 *
 * The full disk and the read-only medium are real: a small tmpfs, remounted
 * read-only (this needs root, as CI runs; elsewhere those two stories are
 * skipped and say so).
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/i18n.h"
#include "tbcheck.h"
#include "tbserver.h"
#include "term.h"
#include "tmpdir.h"

#define WAIT_MS 15000

static struct tbserver *srv;
static char *dir;
static char db[700], mnt[600];
static bool mounted;

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	dir = harness_tmpdir("tongban-failures", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	snprintf(db, sizeof db, "%s/client.db", dir);
	snprintf(mnt, sizeof mnt, "%s/disk", dir);
	mounted = false;
}

static void teardown(void)
{
	char cmd[700];

	if (mounted) {
		snprintf(cmd, sizeof cmd, "umount -l '%s'", mnt);
		if (system(cmd) != 0)
			fprintf(stderr, "could not unmount %s\n", mnt);
	}
	tbserver_free(srv);
	harness_tmpdir_remove(dir);
	free(dir);
}

/* A tmpfs of size at mnt, the database in it; false (and a loud note) when
 * this machine does not allow it. */
static bool small_disk(const char *size)
{
	char cmd[700];

	ck_assert_int_eq(mkdir(mnt, 0700), 0);
	snprintf(cmd, sizeof cmd, "mount -t tmpfs -o size=%s tmpfs '%s' 2>/dev/null", size, mnt);
	if (geteuid() != 0 || system(cmd) != 0) {
		fprintf(stderr, "test_failures: SKIPPED: no tmpfs mount here (needs root)\n");
		return false;
	}
	mounted = true;
	snprintf(db, sizeof db, "%s/client.db", mnt);
	return true;
}

/* Run a shell command made of prefix, the quoted path and suffix. */
static void shell(const char *prefix, const char *path, const char *suffix)
{
	char *cmd = xasprintf("%s'%s'%s", prefix, path, suffix);

	ck_assert_msg(system(cmd) == 0, "%s", cmd);
	free(cmd);
}

static struct term *start(void)
{
	return tbcheck_tongban(db, tbserver_url(srv), "C.UTF-8", 24, 80);
}

static struct term *login(void)
{
	struct term *t = start();

	tbcheck_expect(t, "工号");
	term_send(t, "demo" TERM_KEY_TAB "demo123" TERM_KEY_ENTER);
	tbcheck_expect(t, "工作人员：王小明");
	return t;
}

/* From home, a new intake of 建筑垃圾处置许可 with the applicant's name typed
 * (still in the name field). */
static void intake(struct term *t, const char *name)
{
	term_send(t, TERM_KEY_F2 "jzlj" TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	term_send(t, name);
	tbcheck_expect(t, name);
}

/* The rest of the form and every material in, ready for F5. */
static void complete(struct term *t)
{
	term_send(t, TERM_KEY_TAB TERM_KEY_TAB TB_ID_NUMBER
	          "13800138000" TB_JZLJ_FIELDS TB_TO_CHECKLIST);
	tbcheck_expect(t, "[未核对]");
	term_send(t, TB_JZLJ_ALL_IN);
	tbcheck_expect(t, "[原件]     8.");
}

static void quit(struct term *t)
{
	term_wait_quiet(t, 150, WAIT_MS);
	term_send(t, TERM_KEY_F10);
	if (term_wait_exit(t, WAIT_MS, NULL) != 0) {
		char *screen = term_screen(t);

		ck_abort_msg("tongban did not quit; screen:\n%s", screen);
		free(screen);
	}
	term_close(t);
}

/* One number from the database, read with the sqlite3 library (read-only). */
static long long sql_int(const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	long long n = -1;
	char uri[800];

	snprintf(uri, sizeof uri, "file:%s?mode=ro", db);
	ck_assert_int_eq(sqlite3_open_v2(uri, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL),
	                 SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	ck_assert_msg(sqlite3_prepare_v2(h, sql, -1, &s, NULL) == SQLITE_OK, "%s",
	              sqlite3_errmsg(h));
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n;
}

static unsigned long long file_hash(const char *path)
{
	unsigned long long h = 1469598103934665603ULL;
	FILE *f = fopen(path, "rb");
	int c;

	ck_assert_ptr_nonnull(f);
	while ((c = fgetc(f)) != EOF)
		h = (h ^ (unsigned char)c) * 1099511628211ULL;
	fclose(f);
	return h;
}

START_TEST(a_full_disk_keeps_the_form_and_the_draft_in_memory_until_it_can_be_saved)
{
	struct term *t;
	char filler[700];

	if (!small_disk("16m"))
		return;
	t = login();
	snprintf(filler, sizeof filler, "%s/filler", mnt);
	shell("dd if=/dev/zero of=", filler, " bs=64k >/dev/null 2>&1; true");
	intake(t, "满盘测试");
	term_send(t, TERM_KEY_TAB); /* leaving the field saves the draft: the disk is full */
	tbcheck_expect(t, "草稿未能保存");
	tbcheck_expect(t, "磁盘已满");
	term_send(t, TERM_KEY_BTAB);
	complete(t);
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "未能保存，决定没有作出");
	tbcheck_expect(t, "[原件]     8."); /* the form is still there */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM cases"), 0);
	/* Esc never claims a save that did not happen: the draft waits in memory */
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "磁盘已满：草稿没有存盘，暂存在内存中");
	tbcheck_expect(t, "仅在内存中，尚未存盘");
	/* space again: the draft is saved by itself, then decided */
	ck_assert_int_eq(unlink(filler), 0);
	tbcheck_expect(t, "内存中的草稿已存入本机数据库");
	ck_assert_int_eq(sql_int("SELECT count(*) FROM drafts WHERE body LIKE '%满盘测试%'"), 1);
	term_send(t, TERM_KEY_F4);
	tbcheck_expect(t, "满盘测试");
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "[F2] 新建收件");
	ck_assert_int_eq(sql_int("SELECT count(*) FROM cases WHERE applicant_name = '满盘测试'"),
	                 1);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM drafts"), 0);
	quit(t);
}
END_TEST

START_TEST(a_read_only_database_is_read_and_never_written)
{
	struct term *t;
	char *no = NULL, cmd[2600];
	unsigned long long before;
	FILE *f;
	char line[256];

	if (!small_disk("32m"))
		return;
	/* a case and its notice, then the medium becomes read-only */
	t = login();
	intake(t, "只读测试");
	complete(t);
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "[F2] 新建收件");
	quit(t);
	shell("mount -o remount,ro ", mnt, "");
	before = file_hash(db);

	/* a reprint works on it */
	snprintf(cmd, sizeof cmd,
	         "'%s' --db '%s' notice \"$(sqlite3 'file:%s?immutable=1' 'SELECT case_no FROM"
	         " cases')\"",
	         tbcheck_env("TONGBAN_BIN", "build/tongban"), db, db);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof line, f))
		if (strstr(line, "受理通知书"))
			no = "found";
	ck_assert_int_eq(pclose(f), 0);
	ck_assert_ptr_nonnull(no);

	/* the TUI starts, shows the cases, and saves nothing -- saying so */
	t = start();
	tbcheck_expect(t, "本机数据库只读");
	term_send(t, "demo" TERM_KEY_TAB "demo123" TERM_KEY_ENTER);
	tbcheck_expect(t, "工作人员：王小明");
	tbcheck_expect(t, "本机数据库只读，不能保存");
	/* found by name (masked in the list), its record read, its notice reprinted */
	term_send(t, TERM_KEY_F3 "只读");
	tbcheck_expect(t, "只***");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人：只读测试");
	term_send(t, TERM_KEY_F9);
	tbcheck_expect(t, "受理通知书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "申请人：只读测试");
	term_send(t, TERM_KEY_F4); /* the look at the whole ID cannot be recorded: not shown */
	tbcheck_expect(t, "不显示完整号码");
	term_send(t, TERM_KEY_ESC TERM_KEY_ESC);
	tbcheck_expect(t, "[F2] 新建收件");
	intake(t, "写不进去");
	term_send(t, TERM_KEY_TAB);
	tbcheck_expect(t, "草稿未能保存");
	tbcheck_expect(t, "只读");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "本机数据库只读：草稿没有存盘，暂存在内存中");
	term_send(t, TERM_KEY_F10);
	tbcheck_expect(t, "再按一次 F10 退出"); /* the draft in memory goes with the program */
	term_send(t, TERM_KEY_F10);
	ck_assert_int_eq(term_wait_exit(t, WAIT_MS, NULL), 0);
	term_close(t);
	ck_assert(file_hash(db) == before);
}
END_TEST

/* Wait until another program holds the database's write lock for good
 * (busy five times in a row over 200 ms: not a passing write of tongban's). */
static void wait_locked(void)
{
	long long deadline = clock_ms() + 10000;
	sqlite3 *h;
	int busy = 0;

	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	while (busy < 5 && clock_ms() < deadline) {
		int rc = sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL);

		if (rc == SQLITE_OK)
			sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
		busy = rc == SQLITE_BUSY ? busy + 1 : 0;
		usleep(50000);
	}
	sqlite3_close(h);
	ck_assert_msg(busy == 5, "the sqlite3 shell never took the lock");
}

/* Another program holds the write lock: the screen never freezes, the
 * status line says 本机数据库忙 (not 离线), and the save is retried. */
START_TEST(a_locked_database_never_freezes_the_screen_and_the_save_is_retried)
{
	static const char *chars[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
	struct term *t = login();
	char cmd[800], typed[64] = "";
	long long worst = 0;
	size_t i;
	FILE *lock;
	int status;

	intake(t, "忙碌测试");
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' >/dev/null", db);
	lock = popen(cmd, "w");
	ck_assert_ptr_nonnull(lock);
	fputs(".timeout 5000\nBEGIN EXCLUSIVE;\n", lock);
	fflush(lock);
	wait_locked();
	term_send(t, TERM_KEY_TAB);
	tbcheck_expect(t, "本机数据库正被其他程序占用");
	tbcheck_expect(t, "本机数据库忙");
	ck_assert_int_eq(term_find(t, "离线", NULL, NULL), 0);
	/* typing stays instant while the lock is held */
	term_send(t, TERM_KEY_TAB TERM_KEY_TAB);
	for (i = 0; i < sizeof chars / sizeof chars[0]; i++) {
		long long t0 = clock_ms(), dt;

		strcat(typed, chars[i]);
		term_send(t, chars[i]);
		ck_assert_msg(term_wait_text(t, typed, 3000) == 0, "'%s' not echoed", typed);
		dt = clock_ms() - t0;
		worst = dt > worst ? dt : worst;
	}
	ck_assert_msg(worst < 1000, "an echo took %lld ms", worst);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM drafts WHERE body LIKE '%忙碌测试%'"), 0);
	fputs("COMMIT;\n.quit\n", lock);
	status = pclose(lock);
	ck_assert_int_eq(status, 0);
	/* the lock is gone: the draft is saved while the clerk is idle */
	tbcheck_expect(t, "草稿已保存");
	ck_assert_int_eq(sql_int("SELECT count(*) FROM drafts WHERE body LIKE '%忙碌测试%'"), 1);
	term_wait_gone(t, "本机数据库忙", WAIT_MS);
	ck_assert_int_eq(term_find(t, "本机数据库忙", NULL, NULL), 0);
	kill(term_pid(t), SIGKILL);
	term_close(t);
	t = login();
	tbcheck_expect(t, "忙碌测试"); /* the draft is offered after the crash */
	quit(t);
}
END_TEST

/* SIGTERM (a shutdown) and SIGHUP (a closed SSH session) keep the field
 * being typed, without Tab or Esc. */
static void signal_keeps_the_field(int sig, const char *name)
{
	struct term *t = login();
	char sql[256];
	int status = 0;

	intake(t, name);
	kill(term_pid(t), sig);
	ck_assert_int_eq(term_wait_exit(t, WAIT_MS, &status), 0);
	term_close(t);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM drafts WHERE body LIKE '%%%s%%'", name);
	ck_assert_int_eq(sql_int(sql), 1);
	t = login();
	tbcheck_expect(t, name);
	term_send(t, TERM_KEY_F4);
	tbcheck_expect(t, "申请人姓名");
	tbcheck_expect(t, name);
	term_send(t, TERM_KEY_ESC);
	quit(t);
}

START_TEST(sigterm_keeps_the_field_being_typed)
{
	signal_keeps_the_field(SIGTERM, "终止信号");
}
END_TEST

START_TEST(sighup_keeps_the_field_being_typed)
{
	signal_keeps_the_field(SIGHUP, "挂断信号");
}
END_TEST

/* The accepted case's number, read from the notice on the screen. */
static void accept_one(struct term *t, const char *name, char *no, size_t n)
{
	int row, col;
	char *line;

	intake(t, name);
	complete(t);
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	tbcheck_expect(t, "案件编号 H001-");
	ck_assert(term_find(t, "案件编号 H001-", &row, &col));
	line = term_line(t, row);
	ck_assert_int_eq(sscanf(strstr(line, "H001-"), "%63[A-Z0-9-]", no), 1);
	(void)n;
	free(line);
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "[F2] 新建收件");
}

/* Two PCs with the same clerk, and a reinstalled PC, never print the same
 * number: each database is a device with its own terminal code. */
START_TEST(two_pcs_of_one_clerk_and_a_reinstall_never_print_the_same_number)
{
	char a[64], b[64], c[64];
	struct term *t;

	t = login();
	tbcheck_expect(t, "终端编号：T01");
	accept_one(t, "一号机", a, sizeof a);
	quit(t);
	snprintf(db, sizeof db, "%s/pc2.db", dir);
	t = login();
	tbcheck_expect(t, "终端编号：T02");
	accept_one(t, "二号机", b, sizeof b);
	quit(t);
	/* the first PC reinstalled: a new database, a new device */
	snprintf(db, sizeof db, "%s/client.db", dir);
	ck_assert_int_eq(unlink(db), 0);
	t = login();
	tbcheck_expect(t, "终端编号：T03");
	accept_one(t, "重装后", c, sizeof c);
	quit(t);
	ck_assert_msg(strstr(a, "-T01-") && strstr(b, "-T02-") && strstr(c, "-T03-"), "%s %s %s", a,
	              b, c);
	ck_assert_str_ne(a, b);
	ck_assert_str_ne(a, c);
}
END_TEST

/* Overwrite the root page of table with garbage (no program has the file open). */
static void damage_table(const char *table)
{
	long long page, size;
	char sql[128], junk[65536];
	int fd;

	snprintf(sql, sizeof sql, "SELECT rootpage FROM sqlite_master WHERE name = '%s'", table);
	page = sql_int(sql);
	size = sql_int("PRAGMA page_size");
	ck_assert(page > 1 && size > 0 && size <= (long long)sizeof junk);
	memset(junk, 0x5A, (size_t)size);
	fd = open(db, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pwrite(fd, junk, (size_t)size, (off_t)((page - 1) * size)), size);
	close(fd);
}

/* A damaged database is found at start, never written again, and the clerk
 * is told the exact command that salvages it; `tongban init` refuses it. */
START_TEST(a_damaged_database_is_found_and_never_written)
{
	char cmd[1800], wal[800];
	unsigned long long before;
	struct stat st;
	struct term *t = login();
	int rc;

	accept_one(t, "损坏前", wal, sizeof wal);
	quit(t);
	damage_table("cases");
	before = file_hash(db);
	snprintf(cmd, sizeof cmd, "'%s' --db '%s' init >/dev/null 2>&1",
	         tbcheck_env("TONGBAN_BIN", "build/tongban"), db);
	rc = system(cmd);
	ck_assert(WIFEXITED(rc) && WEXITSTATUS(rc) == 1);
	ck_assert(file_hash(db) == before);

	t = start();
	tbcheck_expect(t, "工号");
	term_send(t, "demo" TERM_KEY_TAB "demo123" TERM_KEY_ENTER);
	tbcheck_expect(t, "本机数据库已损坏，不再写入");
	/* home names the exact command */
	tbcheck_expect(t, "db recover 新文件.db");
	tbcheck_expect(t, "client.db \\");
	tbcheck_expect(t, "● 在线"); /* the network is fine: only the local file is damaged */
	ck_assert_msg(term_find(t, "工作人员：王小明", NULL, NULL), "the clerk is logged in");
	term_send(t, TERM_KEY_F2 "jzlj" TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	term_send(t, "损坏后" TERM_KEY_TAB);
	tbcheck_expect(t, "草稿未能保存：本机数据库已损坏");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "[F2] 新建收件");
	term_send(t, TERM_KEY_F10 TERM_KEY_F10);
	ck_assert_int_eq(term_wait_exit(t, WAIT_MS, NULL), 0);
	term_close(t);
	ck_assert(file_hash(db) == before);
	snprintf(wal, sizeof wal, "%s-wal", db);
	ck_assert(stat(wal, &st) != 0 || st.st_size == 0);
}
END_TEST

/* Whether the process pid has a library whose name holds lib mapped. */
static bool maps_hold(int pid, const char *lib)
{
	char path[64], line[1024];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/maps", pid);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while (!found && fgets(line, sizeof line, f))
		found = strstr(line, lib) != NULL;
	fclose(f);
	return found;
}

/* The sync helper talks to the server: an online login and a sync round,
 * and libcurl (with its TLS libraries) is never in the screen's process. */
START_TEST(libcurl_stays_out_of_the_screens_process)
{
	struct term *t = login();

	tbcheck_expect(t, "● 在线");
	ck_assert_msg(!maps_hold(term_pid(t), "libcurl"), "libcurl is mapped in the TUI");
	quit(t);
}
END_TEST

/* A PC without libcurl (tongban loads it only to talk to the server): the
 * login screen, an offline login that says why, and the work goes on. */
START_TEST(without_libcurl_the_clerk_works_offline_and_is_told_why)
{
	struct term *t = login();

	quit(t); /* online once: the clerk is known here */
	setenv("TONGBAN_LIBCURL", "/nonexistent/libcurl.so.4", 1);
	t = start();
	unsetenv("TONGBAN_LIBCURL");
	tbcheck_expect(t, "工号");
	term_send(t, "demo" TERM_KEY_TAB "demo123" TERM_KEY_ENTER);
	tbcheck_expect(t, "工作人员：王小明");
	tbcheck_expect(t, "未安装 libcurl");
	tbcheck_expect(t, "离线");
	intake(t, "张三丰");
	complete(t);
	term_send(t, TERM_KEY_F5);
	tbcheck_expect(t, "受理通知书");
	term_send(t, TERM_KEY_ESC);
	tbcheck_expect(t, "[F2] 新建收件");
	quit(t);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM cases WHERE applicant_name = '张三丰'"), 1);
}
END_TEST

/*
 * A PC without SQLite or without libsodium (tongban loads both itself, once
 * the login screen is drawn): tongban stops with the package to install, and
 * the database is never made.  A file that is no library, first in
 * LD_LIBRARY_PATH, stands for the one missing.
 */
static void without_library(const char *const *files, const char *says)
{
	char libs[800], *path;
	struct stat st;
	struct term *t;
	int status = -1, i;
	FILE *f;

	snprintf(libs, sizeof libs, "%s/libs", dir);
	ck_assert_int_eq(mkdir(libs, 0700), 0);
	for (i = 0; files[i]; i++) {
		path = xasprintf("%s/%s", libs, files[i]);
		ck_assert_ptr_nonnull(f = fopen(path, "w"));
		fputs("not a library\n", f);
		fclose(f);
		free(path);
	}
	setenv("LD_LIBRARY_PATH", libs, 1);
	t = start();
	unsetenv("LD_LIBRARY_PATH");
	ck_assert_int_eq(term_wait_exit(t, WAIT_MS, &status), 0);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 1, "status %d", status);
	tbcheck_expect(t, says);
	term_close(t);
	ck_assert_msg(stat(db, &st) != 0, "a database was made without the library");
}

START_TEST(without_sqlite_tongban_names_the_package_and_makes_no_database)
{
	static const char *const files[] = {"libsqlite3.so.0", "libsqlite3.so", NULL};

	without_library(files, "libsqlite3-0");
}
END_TEST

START_TEST(without_libsodium_tongban_names_the_package_and_makes_no_database)
{
	static const char *const files[] = {"libsodium.so.23", "libsodium.so", NULL};

	without_library(files, "libsodium23");
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("failures e2e");
	TCase *tc = tcase_create("the database fails under the clerk");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc,
	               a_full_disk_keeps_the_form_and_the_draft_in_memory_until_it_can_be_saved);
	tcase_add_test(tc, a_read_only_database_is_read_and_never_written);
	tcase_add_test(tc, a_locked_database_never_freezes_the_screen_and_the_save_is_retried);
	tcase_add_test(tc, libcurl_stays_out_of_the_screens_process);
	tcase_add_test(tc, sigterm_keeps_the_field_being_typed);
	tcase_add_test(tc, sighup_keeps_the_field_being_typed);
	tcase_add_test(tc, two_pcs_of_one_clerk_and_a_reinstall_never_print_the_same_number);
	tcase_add_test(tc, a_damaged_database_is_found_and_never_written);
	tcase_add_test(tc, without_libcurl_the_clerk_works_offline_and_is_told_why);
	tcase_add_test(tc, without_sqlite_tongban_names_the_package_and_makes_no_database);
	tcase_add_test(tc, without_libsodium_tongban_names_the_package_and_makes_no_database);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
