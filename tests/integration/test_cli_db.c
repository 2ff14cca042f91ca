/*
 * tests/integration/test_cli_db.c - tongban db check and db recover as the
 * township's IT person runs them on a clerk's database: 2,000 cases with
 * their events, outbox entries in every state, notices, meta, a cached
 * clerk and a draft, written with raw SQL into a database made by
 * store_open; then 4 KiB overwritten at leaf pages in the middle of the
 * events and cases tables and of an index; then the real tongban binary
 * (TONGBAN_BIN) on the file, its output and its exit codes.
 */
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
#include "store/store.h"
#include "tbcheck.h"
#include "tmpdir.h"

#define N_CASES        2000
#define EVENTS_A_CASE  3
#define MAX_LOST       512
#define LEAVES_AT_MOST 4096

static char *dir;

static void setup(void)
{
	struct err e = {"", ERR_NONE};

	dir = harness_tmpdir("tongban-cli-db", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
}

static void teardown(void)
{
	harness_tmpdir_remove(dir);
	free(dir);
}

/* A file of this test's folder.  Caller frees. */
static char *in_dir(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* ---- running tongban ---------------------------------------------------- */

struct run {
	char out[32768]; /* stdout and stderr together */
	int rc;
};

/* tongban --db db ARGS under LANG=C (English) or TONGBAN_LANG=zh. */
static struct run tongban(bool english, const char *db, const char *args)
{
	char *cmd =
	    xasprintf("env -u LC_ALL -u LC_MESSAGES -u TONGBAN_LANG %s '%s' --db '%s' %s 2>&1",
	              english ? "LANG=C" : "TONGBAN_LANG=zh",
	              tbcheck_env("TONGBAN_BIN", "build/tongban"), db, args);
	FILE *p = popen(cmd, "r");
	struct run r;
	size_t n;
	int status;

	ck_assert_ptr_nonnull(p);
	n = fread(r.out, 1, sizeof r.out - 1, p);
	r.out[n] = '\0';
	status = pclose(p);
	ck_assert_msg(WIFEXITED(status), "%s: did not exit", cmd);
	r.rc = WEXITSTATUS(status);
	free(cmd);
	return r;
}

/* The run exited want_rc and printed text. */
#define expect_run(r, want_rc, text)                                                               \
	ck_assert_msg((r).rc == (want_rc) && strstr((r).out, (text)) != NULL,                      \
	              "exit %d (want %d), \"%s\" wanted in:\n%s", (r).rc, (want_rc), (text),       \
	              (r).out)

/* ---- a clerk's database, written with raw SQL ---------------------------- */

static const char *const outbox_states[] = {"waiting", "sending", "sent", "problem"};
static const char *const event_types[EVENTS_A_CASE] = {"created", "materials_checked", "accepted"};

static void case_id(char *out, size_t n, int i)
{
	snprintf(out, n, "%08x-7c1e-4b2a-9d3f-%012u", 0x5ca1ab1eu + (unsigned)i, (unsigned)i);
}

static void event_id(char *out, size_t n, int i, int seq)
{
	snprintf(out, n, "%08x-e7e7-4e00-8a00-%08u%04u", 0xe0e0e0u + (unsigned)i,
	         (unsigned)i % 100000000u, (unsigned)seq % 10000u);
}

static int insert_case(struct db *db, int i, struct err *e)
{
	char id[40], no[64], name[32], idno[24], fields[512];

	case_id(id, sizeof id, i);
	snprintf(no, sizeof no, "H001-03-20260302-%04d", i + 1);
	snprintf(name, sizeof name, "申请人%04d", i);
	snprintf(idno, sizeof idno, "1101051949%08d", i);
	snprintf(fields, sizeof fields,
	         "{\"name\":\"%s\",\"id_type\":\"居民身份证\",\"id_number\":\"%s\","
	         "\"phone\":\"138%08d\",\"address\":\"示例市示例区幸福路 %d 号\","
	         "\"project\":\"某小区改造工程\",\"volume\":\"120\",\"until\":\"2026-12-31\"}",
	         name, idno, i, i);
	return db_run(db, e,
	              "INSERT INTO cases (id, case_no, item_code, item_name, applicant_name,"
	              " id_number, phone, fields, state, clerk_id, hall, window, last_seq,"
	              " created_at, updated_at, official_no)"
	              " VALUES (?1, ?2, '000101001000', '建筑垃圾处置许可', ?3, ?4, ?5, ?6,"
	              " 'accepted', 'demo', 'H001', '3', 3, '2026-03-02T09:00:00+08:00',"
	              " '2026-03-02T09:05:00+08:00', ?7)",
	              "sssssss", id, no, name, idno, "13800138000", fields,
	              i % 3 == 0 ? "SZ2026-000123" : "");
}

static int insert_event(struct db *db, int i, int seq, struct err *e)
{
	char uuid[40], cid[40], body[512];
	int n = i * EVENTS_A_CASE + seq - 1;
	const char *state = outbox_states[n % 4];

	event_id(uuid, sizeof uuid, i, seq);
	case_id(cid, sizeof cid, i);
	snprintf(
	    body, sizeof body,
	    "{\"uuid\":\"%s\",\"case_id\":\"%s\",\"seq\":%d,\"type\":\"%s\","
	    "\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
	    "\"client_time\":\"2026-03-02T09:0%d:00+08:00\",\"payload\":{\"note\":\"材料齐全\"}}",
	    uuid, cid, seq, event_types[seq - 1], seq);
	if (db_run(db, e,
	           "INSERT INTO events (uuid, case_id, seq, type, body, created_at, origin)"
	           " VALUES (?1, ?2, ?3, ?4, ?5, '2026-03-02T09:00:00+08:00', 'local')",
	           "ssiss", uuid, cid, seq, event_types[seq - 1], body) < 0)
		return -1;
	return db_run(
	    db, e,
	    "INSERT INTO outbox (event_uuid, case_id, state, attempts, reason, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, '2026-03-02T09:10:00+08:00')",
	    "sssis", uuid, cid, state, n % 3,
	    strcmp(state, "problem") == 0 ? "same uuid, different content" : "");
}

static int insert_notice(struct db *db, int i, struct err *e)
{
	char uuid[40], cid[40], text[512];

	event_id(uuid, sizeof uuid, i, EVENTS_A_CASE);
	case_id(cid, sizeof cid, i);
	snprintf(text, sizeof text,
	         "受理通知书\n申请人%04d：\n你（单位）申请的建筑垃圾处置许可，材料齐全，"
	         "符合法定形式，本机关决定予以受理。\n示例市政务服务中心 3 号窗口\n",
	         i);
	return db_run(db, e,
	              "INSERT INTO notices (case_id, kind, event_uuid, text, created_at)"
	              " VALUES (?1, 'acceptance', ?2, ?3, '2026-03-02T09:05:00+08:00')",
	              "sss", cid, uuid, text);
}

static int fill_small_tables(struct db *db, struct err *e)
{
	return db_exec(
	    db,
	    "INSERT INTO meta (key, value) VALUES ('changes_cursor', '42'),"
	    " ('last_sync', '2026-03-02T09:10:00+08:00'), ('terminal', 'T07');"
	    "INSERT INTO clerk (id, name, hall, hall_name, window, role, pwhash,"
	    " last_login) VALUES ('demo', '王小明', 'H001', '示例市政务服务中心', '3',"
	    " 'clerk', '$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA',"
	    " '2026-03-02T08:59:00+08:00');"
	    "INSERT INTO sessions (clerk_id, token, expires, at)"
	    " VALUES ('demo', 'tok-123', 1900000000, 1764550000);"
	    "INSERT INTO drafts (clerk_id, body, updated_at) VALUES ('demo',"
	    " '{\"item\":\"000101001000\",\"fields\":{\"name\":\"李四\"}}',"
	    " '2026-03-02T09:11:00+08:00');"
	    "INSERT INTO case_seq (day, hall, window, next)"
	    " VALUES ('20260302', 'H001', '3', 2001);"
	    "INSERT INTO data_cache (kind, version, body, fetched_at)"
	    " VALUES ('calendar', '2026.1', '{\"years\":{}}', '2026-03-01T08:00:00+08:00');"
	    "INSERT INTO orphan_decisions (event_uuid, case_id, case_no, body, cursor,"
	    " received_at) VALUES ('0d0d0d0d-0000-4000-8000-000000000001', 'elsewhere',"
	    " 'H002-01-20260301-0001', '{}', 41, '2026-03-02T09:10:00+08:00');",
	    e);
}

static int fill(struct db *db, void *arg, struct err *e)
{
	int i, seq;

	(void)arg;
	for (i = 0; i < N_CASES; i++) {
		if (insert_case(db, i, e) < 0)
			return -1;
		for (seq = 1; seq <= EVENTS_A_CASE; seq++)
			if (insert_event(db, i, seq, e) < 0)
				return -1;
		if (i % 2 == 0 && insert_notice(db, i, e) < 0)
			return -1;
	}
	return fill_small_tables(db, e);
}

/* A client database at path: the schema of store_open, the rows of fill. */
static void make_db(const char *path)
{
	struct err e = {"", ERR_NONE};
	struct store *st = store_open(path, &e);
	struct db *db;

	ck_assert_msg(st != NULL, "%s", e.msg);
	store_close(st);
	db = db_open(path, 0, 5000, &e);
	ck_assert_msg(db != NULL, "%s", e.msg);
	ck_assert_msg(db_tx(db, fill, NULL, &e) == 0, "%s", e.msg);
	db_close(db);
}

/* ---- files, pages and damage ----------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
	struct err e = {"", ERR_NONE};
	char *data = file_read_all(path, len, 1u << 30, &e);

	ck_assert_msg(data != NULL, "%s", e.msg);
	return data;
}

static void copy_file(const char *from, const char *to)
{
	struct err e = {"", ERR_NONE};
	size_t len;
	char *data = read_file(from, &len);

	ck_assert_msg(harness_write_file(to, data, len, &e) == 0, "%s", e.msg);
	free(data);
}

/* FNV-1a of the file's bytes. */
static unsigned long long file_hash(const char *path)
{
	unsigned long long h = 1469598103934665603ULL;
	size_t len, i;
	unsigned char *data = (unsigned char *)read_file(path, &len);

	for (i = 0; i < len; i++)
		h = (h ^ data[i]) * 1099511628211ULL;
	free(data);
	return h;
}

/* One value of the database at path, through a read-only connection. */
static long long query_int(const char *path, const char *sql)
{
	struct err e = {"", ERR_NONE};
	struct db *db = db_open(path, DB_READONLY, 5000, &e);
	long long v = -1;

	ck_assert_msg(db != NULL, "%s", e.msg);
	ck_assert_msg(db_get_int(db, &e, &v, sql, "") == 1, "%s: %s", sql, e.msg);
	db_close(db);
	return v;
}

struct pages {
	int size;                       /* the file's page size */
	long long root;                 /* the tree's root page, from sqlite_master */
	long long leaf[LEAVES_AT_MOST]; /* its leaf pages in key order */
	int n;
};

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static long long get32(const unsigned char *p)
{
	return (long long)p[0] << 24 | (long long)p[1] << 16 | (long long)p[2] << 8 | p[3];
}

static void read_page(int fd, int size, long long page, unsigned char *buf)
{
	ck_assert_int_eq(pread(fd, buf, (size_t)size, (off_t)(page - 1) * size), size);
}

/* The leaves under page, in key order: interior pages (0x05 table, 0x02
 * index) hold a child in the first 4 bytes of each cell and a right-most
 * child at offset 8. */
static void collect_leaves(int fd, struct pages *pg, long long page)
{
	unsigned char *buf = xmalloc((size_t)pg->size);
	unsigned i, n;

	read_page(fd, pg->size, page, buf);
	if (buf[0] != 0x05 && buf[0] != 0x02) {
		ck_assert_msg(buf[0] == 0x0D || buf[0] == 0x0A, "page %lld: type %d", page, buf[0]);
		ck_assert_int_lt(pg->n, LEAVES_AT_MOST);
		pg->leaf[pg->n++] = page;
		free(buf);
		return;
	}
	n = get16(buf + 3);
	for (i = 0; i < n; i++)
		collect_leaves(fd, pg, get32(buf + get16(buf + 12 + 2 * i)));
	collect_leaves(fd, pg, get32(buf + 8));
	free(buf);
}

/* The pages of the tree named name (a table or an index) in the file at
 * path; opened only while no connection is open. */
static void tree_pages(const char *path, const char *name, struct pages *pg)
{
	struct err e = {"", ERR_NONE};
	struct db *db = db_open(path, DB_READONLY, 5000, &e);
	long long size = 0;
	int fd;

	ck_assert_msg(db != NULL, "%s", e.msg);
	ck_assert_int_eq(db_get_int(db, &e, &size, "PRAGMA page_size", ""), 1);
	ck_assert_int_eq(db_get_int(db, &e, &pg->root,
	                            "SELECT rootpage FROM sqlite_master WHERE name = ?1", "s",
	                            name),
	                 1);
	db_close(db);
	pg->size = (int)size;
	pg->n = 0;
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	collect_leaves(fd, pg, pg->root);
	close(fd);
	ck_assert_msg(pg->n >= 20, "%s has only %d leaves", name, pg->n);
}

/* A SQLite varint at *p, moving p past it. */
static long long varint(const unsigned char **p)
{
	unsigned long long v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		v = v << 7 | ((*p)[i] & 0x7F);
		if (((*p)[i] & 0x80) == 0) {
			*p += i + 1;
			return (long long)v;
		}
	}
	v = v << 8 | (*p)[8];
	*p += 9;
	return (long long)v;
}

/* The rowids on a table leaf page (cells: payload size, rowid, ...). */
static void leaf_rowids(const unsigned char *buf, long long *ids, int *n)
{
	unsigned i, cells = get16(buf + 3);

	ck_assert_int_eq(buf[0], 0x0D);
	for (i = 0; i < cells; i++) {
		const unsigned char *p = buf + get16(buf + 8 + 2 * i);

		varint(&p);
		ck_assert_int_lt(*n, MAX_LOST);
		ids[(*n)++] = varint(&p);
	}
}

/* Overwrite page of the file with 4 KiB of junk; the rowids that were on it
 * (a table leaf) are added to ids when ids is not NULL. */
static void damage_page(const char *path, int size, long long page, long long *ids, int *n)
{
	unsigned char *buf = xmalloc((size_t)size), junk[4096];
	int fd = open(path, O_RDWR);

	ck_assert_int_ge(fd, 0);
	read_page(fd, size, page, buf);
	if (ids)
		leaf_rowids(buf, ids, n);
	memset(junk, 0xA5, sizeof junk);
	ck_assert_int_eq(pwrite(fd, junk, sizeof junk, (off_t)(page - 1) * size), 4096);
	close(fd);
	free(buf);
}

/* What damage() destroyed: the rowids of the rows on the damaged pages. */
struct lost {
	long long cases[MAX_LOST], events[MAX_LOST];
	int n_cases, n_events;
};

/* How many rows the table leaf page holds. */
static int leaf_cells(const char *path, const struct pages *pg, int k)
{
	unsigned char *buf = xmalloc((size_t)pg->size);
	int fd = open(path, O_RDONLY), n;

	ck_assert_int_ge(fd, 0);
	read_page(fd, pg->size, pg->leaf[k], buf);
	n = (int)get16(buf + 3);
	close(fd);
	free(buf);
	return n;
}

/*
 * Damage leaves of events from the middle on so that the gallop after the
 * damage at rowid s (probes s+1, s+3, ... s+127, s+255, s+511) jumps a sound
 * leaf: 128 to 200 rows of damaged leaves from s, the sound leaf, then
 * damaged leaves past s+255.  Only the second look at the skipped range
 * (step 3 in src/store/recover.c) brings that leaf back.
 */
static void damage_around_a_sound_leaf(const char *path, const struct pages *pg, struct lost *l)
{
	int first = pg->n / 2, k = first, island, rows = 0;

	while (rows < 128)
		rows += leaf_cells(path, pg, k++);
	ck_assert_int_le(rows, 200);
	island = k++;
	rows += leaf_cells(path, pg, island);
	ck_assert_int_le(rows, 255);
	while (rows <= 255)
		rows += leaf_cells(path, pg, k++);
	for (; first < k; first++)
		if (first != island)
			damage_page(path, pg->size, pg->leaf[first], l->events, &l->n_events);
}

/*
 * Damage the database at path (no connection open): a leaf a third of the
 * way into cases; leaves around a sound one in the middle of events, and
 * two leaves two thirds into it with a sound one between them; a leaf in
 * the middle of the outbox_state index.
 */
static void damage(const char *path, struct lost *l)
{
	struct pages *pg = xmalloc(sizeof *pg);
	int k;

	memset(l, 0, sizeof *l);
	tree_pages(path, "cases", pg);
	ck_assert_int_eq(pg->size, 4096);
	damage_page(path, pg->size, pg->leaf[pg->n / 3], l->cases, &l->n_cases);
	tree_pages(path, "events", pg);
	damage_around_a_sound_leaf(path, pg, l);
	k = pg->n * 2 / 3;
	damage_page(path, pg->size, pg->leaf[k], l->events, &l->n_events);
	damage_page(path, pg->size, pg->leaf[k + 2], l->events, &l->n_events);
	tree_pages(path, "outbox_state", pg);
	damage_page(path, pg->size, pg->leaf[pg->n / 2], NULL, NULL);
	free(pg);
	ck_assert_int_gt(l->n_cases, 0);
	ck_assert_int_gt(l->n_events, 0);
}

/* The root page of every index of table destroyed (no connection open). */
static void damage_indexes_of(const char *path, const char *table)
{
	struct err e = {"", ERR_NONE};
	struct db *db = db_open(path, DB_READONLY, 5000, &e);
	long long roots[8];
	int n = 0, i;
	sqlite3_stmt *s;

	ck_assert_msg(db != NULL, "%s", e.msg);
	s = db_query(db, &e,
	             "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1",
	             "s", table);
	while (n < 8 && db_step(db, s, &e) == 1)
		roots[n++] = sqlite3_column_int64(s, 0);
	db_done(db, s);
	db_close(db);
	ck_assert_int_gt(n, 0);
	for (i = 0; i < n; i++)
		damage_page(path, 4096, roots[i], NULL, NULL);
}

/* ---- db check ----------------------------------------------------------------- */

START_TEST(check_says_a_sound_database_is_sound)
{
	char *db = in_dir("tongban.db");
	struct run r;

	make_db(db);
	r = tongban(true, db, "db check");
	expect_run(r, 0, "the database is sound");
	r = tongban(false, db, "db check");
	expect_run(r, 0, "数据库完好");
	free(db);
}
END_TEST

/* A read-only file in a folder that cannot be written (for a clerk's
 * account the -shm file cannot be made there; root is not held back by
 * modes, the read-only medium below is): still checked, and not a byte of
 * it changes. */
START_TEST(check_reads_a_read_only_file_and_never_writes_it)
{
	char *db = in_dir("tongban.db"), *ro = in_dir("ro"), *copy = in_dir("ro/tongban.db");
	unsigned long long before;
	struct run r;

	make_db(db);
	ck_assert_int_eq(mkdir(ro, 0700), 0);
	copy_file(db, copy);
	before = file_hash(copy);
	ck_assert_int_eq(chmod(copy, 0400), 0);
	ck_assert_int_eq(chmod(ro, 0500), 0);
	r = tongban(true, copy, "db check");
	ck_assert_int_eq(chmod(ro, 0700), 0);
	expect_run(r, 0, "the database is sound");
	ck_assert(file_hash(copy) == before);
	free(db);
	free(ro);
	free(copy);
}
END_TEST

/* The same on a read-only medium, where not even root can write (needs root
 * and tmpfs; said and skipped elsewhere). */
START_TEST(check_reads_a_database_on_a_read_only_medium)
{
	char *db = in_dir("tongban.db"), *mnt = in_dir("mnt"), *copy = in_dir("mnt/tongban.db");
	char *mount =
	    xasprintf("mount -t tmpfs -o size=16m tmpfs '%s' 2>/dev/null && cp '%s' '%s' &&"
	              " mount -o remount,ro '%s'",
	              mnt, db, copy, mnt);
	char *umount = xasprintf("umount '%s' 2>/dev/null", mnt);
	struct run r;

	make_db(db);
	ck_assert_int_eq(mkdir(mnt, 0700), 0);
	if (geteuid() != 0 || system(mount) != 0) {
		if (geteuid() == 0 && system(umount) == 0) /* mounted, but the copy failed */
			fprintf(stderr, "test_cli_db: unmounted a half-made tmpfs\n");
		fprintf(stderr,
		        "test_cli_db: SKIPPED the read-only medium check: no tmpfs mount\n");
	} else {
		r = tongban(true, copy, "db check");
		ck_assert_int_eq(system(umount), 0);
		expect_run(r, 0, "the database is sound");
	}
	free(db);
	free(mnt);
	free(copy);
	free(mount);
	free(umount);
}
END_TEST

START_TEST(check_names_the_damaged_tables_and_the_next_command)
{
	char *db = in_dir("tongban.db"), want[256];
	unsigned long long before;
	struct lost l;
	struct run r;

	make_db(db);
	damage(db, &l);
	before = file_hash(db);
	r = tongban(true, db, "db check");
	expect_run(r, 1, "the database is damaged");
	snprintf(want, sizeof want, "table cases: pages ");
	expect_run(r, 1, want);
	snprintf(want, sizeof want, "%d rows readable of %d (%d unreadable)", N_CASES - l.n_cases,
	         N_CASES, l.n_cases);
	expect_run(r, 1, want);
	snprintf(want, sizeof want, "%d rows readable of %d (%d unreadable)",
	         N_CASES * EVENTS_A_CASE - l.n_events, N_CASES * EVENTS_A_CASE, l.n_events);
	expect_run(r, 1, want);
	expect_run(r, 1, "table events: pages ");
	expect_run(r, 1, "table outbox: pages ");
	expect_run(r, 1, "index outbox_state unreadable");
	expect_run(r, 1, "btreeInitPage");
	snprintf(want, sizeof want, "tongban --db %s db recover %s/tongban-recovered.db", db, dir);
	expect_run(r, 1, want);
	r = tongban(false, db, "db check");
	expect_run(r, 1, "数据库已损坏");
	expect_run(r, 1, "表 events：第 ");
	expect_run(r, 1, "索引 outbox_state 读不出");
	ck_assert(file_hash(db) == before);
	free(db);
}
END_TEST

/* Exit 2, not 1: exit 1 says "damaged: run db recover", and recover can do
 * nothing with a file whose header and schema cannot be read. */
START_TEST(a_file_that_is_not_a_database_is_an_error)
{
	char *db = in_dir("notes.txt"), *dst = in_dir("new.db");
	const char *text = "这不是数据库。This is a text file, not an SQLite database at all.\n";
	struct err e = {"", ERR_NONE};
	struct run r;

	ck_assert_int_eq(harness_write_file(db, text, strlen(text), &e), 0);
	r = tongban(true, db, "db check");
	expect_run(r, 2, "is not an SQLite database");
	r = tongban(false, db, "db check");
	expect_run(r, 2, "不是 SQLite 数据库");
	r = tongban(true, db, "db recover new.db");
	expect_run(r, 2, "nothing in it can be read");
	ck_assert_int_ne(access(dst, F_OK), 0);
	free(db);
	free(dst);
}
END_TEST

/* ---- db recover ------------------------------------------------------------------ */

/* Rows of table in the copy (main) that are not, to the byte, rows of the
 * original (o) with the same rowid. */
static long long rows_not_in_original(struct db *db, const char *table)
{
	struct err e = {"", ERR_NONE};
	char *sql = xasprintf("SELECT count(*) FROM (SELECT rowid, * FROM main.%s"
	                      " EXCEPT SELECT rowid, * FROM o.%s)",
	                      table, table);
	sqlite3_stmt *s = db_prepare(db, sql, &e);
	long long n = -1;

	ck_assert_msg(s != NULL, "%s", e.msg);
	ck_assert_int_eq(db_step(db, s, &e), 1);
	n = sqlite3_column_int64(s, 0);
	db_done(db, s);
	free(sql);
	return n;
}

static long long count_in(struct db *db, const char *sql)
{
	struct err e = {"", ERR_NONE};
	long long n = -1;

	ck_assert_msg(db_get_int(db, &e, &n, sql, "") == 1, "%s: %s", sql, e.msg);
	return n;
}

static const char *const untouched_tables[] = {
    "meta", "clerk", "sessions", "case_seq", "drafts", "data_cache", "notices", "orphan_decisions"};

/* The copy holds only original rows, every one of them but those on the
 * damaged pages; the outbox without the entries of lost events, none of
 * them "sending" any more. */
static void expect_faithful_copy(const char *copy, const char *original, const struct lost *l)
{
	struct err e = {"", ERR_NONE};
	struct db *db = db_open(copy, 0, 5000, &e);
	size_t i;

	ck_assert_msg(db != NULL, "%s", e.msg);
	ck_assert_int_eq(db_run(db, &e, "ATTACH ?1 AS o", "s", original), 0);
	for (i = 0; i < sizeof untouched_tables / sizeof untouched_tables[0]; i++) {
		char *sql =
		    xasprintf("SELECT (SELECT count(*) FROM main.%s) - (SELECT count(*) FROM o.%s)",
		              untouched_tables[i], untouched_tables[i]);

		ck_assert_int_eq(rows_not_in_original(db, untouched_tables[i]), 0);
		ck_assert_msg(count_in(db, sql) == 0, "%s", untouched_tables[i]);
		free(sql);
	}
	ck_assert_int_eq(rows_not_in_original(db, "cases"), 0);
	ck_assert_int_eq(rows_not_in_original(db, "events"), 0);
	ck_assert_int_eq(count_in(db, "SELECT count(*) FROM main.cases"), N_CASES - l->n_cases);
	ck_assert_int_eq(count_in(db, "SELECT count(*) FROM main.events"),
	                 N_CASES * EVENTS_A_CASE - l->n_events);
	for (i = 0; i < (size_t)l->n_cases; i++)
		ck_assert_int_eq(db_get_int(db, &e, &(long long){0},
		                            "SELECT 1 FROM main.cases WHERE rowid = ?1", "l",
		                            l->cases[i]),
		                 0);
	/* the outbox: every original entry whose event survived, "sending" now "waiting" */
	ck_assert_int_eq(count_in(db,
	                          "SELECT count(*) FROM (SELECT pos, event_uuid, case_id, state,"
	                          " attempts, reason, updated_at FROM main.outbox EXCEPT"
	                          " SELECT pos, event_uuid, case_id, CASE state WHEN 'sending'"
	                          " THEN 'waiting' ELSE state END, attempts, reason, updated_at"
	                          " FROM o.outbox)"),
	                 0);
	ck_assert_int_eq(count_in(db, "SELECT count(*) FROM o.outbox WHERE event_uuid IN"
	                              " (SELECT uuid FROM main.events)") -
	                     count_in(db, "SELECT count(*) FROM main.outbox"),
	                 0);
	ck_assert_int_eq(count_in(db, "SELECT count(*) FROM main.outbox WHERE state = 'sending'"),
	                 0);
	ck_assert_int_gt(count_in(db,
	                          "SELECT count(*) FROM main.outbox n JOIN o.outbox x USING (pos)"
	                          " WHERE x.state = 'sending' AND n.state = 'waiting'"),
	                 0);
	db_close(db);
}

/* The summary's figures, worked out from the copy itself. */
static void expect_summary(const struct run *r, const char *copy, const char *original)
{
	long long dropped = query_int(original, "SELECT count(*) FROM outbox") -
	                    query_int(copy, "SELECT count(*) FROM outbox");
	long long orphans = query_int(copy, "SELECT count(*) FROM events"
	                                    " WHERE case_id NOT IN (SELECT id FROM cases)");
	char want[256];

	snprintf(want, sizeof want,
	         "recovered: %lld cases, %lld events, %lld notices, %lld unsent outbox entries",
	         query_int(copy, "SELECT count(*) FROM cases"),
	         query_int(copy, "SELECT count(*) FROM events"),
	         query_int(copy, "SELECT count(*) FROM notices"),
	         query_int(copy, "SELECT count(*) FROM outbox WHERE state <> 'sent'"));
	expect_run(*r, 0, want);
	ck_assert_int_gt(dropped, 0);
	snprintf(want, sizeof want, "%lld outbox entries dropped: their event was lost", dropped);
	expect_run(*r, 0, want);
	ck_assert_int_gt(orphans, 0);
	snprintf(want, sizeof want, "%lld events kept whose case was lost", orphans);
	expect_run(*r, 0, want);
}

START_TEST(recover_copies_every_row_off_the_damaged_pages)
{
	char *db = in_dir("tongban.db"), *pristine = in_dir("pristine.db");
	char *copy = in_dir("new.db"), *args = xasprintf("db recover '%s'", copy), want[128];
	unsigned long long before;
	struct stat st;
	struct lost l;
	struct run r;

	make_db(db);
	copy_file(db, pristine);
	damage(db, &l);
	before = file_hash(db);
	r = tongban(true, db, args);
	expect_run(r, 0, "copied what could be read into");
	snprintf(want, sizeof want, "  cases: read %d, lost %d\n", N_CASES - l.n_cases, l.n_cases);
	expect_run(r, 0, want);
	snprintf(want, sizeof want, "  events: read %d, lost %d\n",
	         N_CASES * EVENTS_A_CASE - l.n_events, l.n_events);
	expect_run(r, 0, want);
	expect_run(r, 0, "  notices: read 1000, lost 0\n");
	ck_assert(file_hash(db) == before);
	ck_assert_int_eq(stat(copy, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(query_int(copy, "SELECT count(*) FROM pragma_integrity_check"
	                                 " WHERE integrity_check <> 'ok'"),
	                 0);
	/* the status line's counts are those of the copied outbox */
	ck_assert_int_eq(query_int(copy,
	                           "SELECT count(*) FROM outbox_counts c WHERE c.n <>"
	                           " (SELECT count(*) FROM outbox o WHERE o.state = c.state)"),
	                 0);
	ck_assert_int_gt(query_int(copy, "SELECT sum(n) FROM outbox_counts"), 0);
	expect_faithful_copy(copy, pristine, &l);
	expect_summary(&r, copy, pristine);
	free(db);
	free(pristine);
	free(copy);
	free(args);
}
END_TEST

/* Without an intact index to list the rowids, the sound pages among the
 * damaged ones still all come back; only the number lost is not known. */
START_TEST(recover_without_an_intact_index_still_finds_every_sound_page)
{
	char *db = in_dir("tongban.db"), *pristine = in_dir("pristine.db");
	char *copy = in_dir("new.db"), *args = xasprintf("db recover '%s'", copy), want[128];
	struct lost l;
	struct run r;

	make_db(db);
	copy_file(db, pristine);
	damage(db, &l);
	damage_indexes_of(db, "events");
	r = tongban(true, db, "db check");
	snprintf(want, sizeof want, "%d rows readable, the rest not (no intact index",
	         N_CASES * EVENTS_A_CASE - l.n_events);
	expect_run(r, 1, want);
	r = tongban(true, db, args);
	snprintf(want, sizeof want, "  events: read %d, lost unknown\n",
	         N_CASES * EVENTS_A_CASE - l.n_events);
	expect_run(r, 0, want);
	expect_faithful_copy(copy, pristine, &l);
	free(db);
	free(pristine);
	free(copy);
	free(args);
}
END_TEST

START_TEST(recover_of_a_sound_database_copies_all_of_it)
{
	char *db = in_dir("tongban.db"), *copy = in_dir("new.db");
	char *args = xasprintf("db recover '%s'", copy);
	struct lost none;
	struct run r;

	memset(&none, 0, sizeof none);
	make_db(db);
	r = tongban(false, db, args);
	expect_run(r, 0, "救出：案件 2000 件，事件 6000 条，通知书 1000 份，未上传的事件 4500 条");
	expect_run(r, 0, "1500 条上传中断的事件改回待上传");
	expect_faithful_copy(copy, db, &none);
	free(db);
	free(copy);
	free(args);
}
END_TEST

START_TEST(recover_refuses_an_existing_file_and_a_missing_source)
{
	char *db = in_dir("tongban.db"), *taken = in_dir("taken.db"), *missing = in_dir("gone.db");
	char *n_db = in_dir("n.db"), *args = xasprintf("db recover '%s'", taken);
	char *args2 = xasprintf("db recover '%s'", n_db);
	struct err e = {"", ERR_NONE};
	char *mine;
	size_t len;
	struct run r;

	make_db(db);
	ck_assert_int_eq(harness_write_file(taken, "mine", 4, &e), 0);
	r = tongban(true, db, args);
	expect_run(r, 2, "already exists");
	mine = read_file(taken, &len);
	ck_assert(len == 4 && memcmp(mine, "mine", 4) == 0);
	r = tongban(true, missing, args2);
	expect_run(r, 2, "no database file at");
	ck_assert_int_ne(access(missing, F_OK), 0);
	ck_assert_int_ne(access(n_db, F_OK), 0);
	r = tongban(true, db, "db");
	expect_run(r, 2, "db recover NEW.db");
	free(db);
	free(taken);
	free(missing);
	free(args);
	free(args2);
	free(n_db);
	free(mine);
}
END_TEST

/* The root page of every table destroyed: the schema reads, no row does. */
START_TEST(recover_that_reads_nothing_exits_1_and_leaves_no_file)
{
	char *db = in_dir("tongban.db"), *copy = in_dir("new.db");
	char *args = xasprintf("db recover '%s'", copy);
	struct err e = {"", ERR_NONE};
	long long roots[32];
	int n = 0, i;
	struct db *d;
	sqlite3_stmt *s;
	struct run r;

	make_db(db);
	d = db_open(db, DB_READONLY, 5000, &e);
	ck_assert_msg(d != NULL, "%s", e.msg);
	s = db_query(
	    d, &e, "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND rootpage > 0", "");
	while (n < 32 && db_step(d, s, &e) == 1)
		roots[n++] = sqlite3_column_int64(s, 0);
	db_done(d, s);
	db_close(d);
	ck_assert_int_ge(n, 11);
	for (i = 0; i < n; i++)
		damage_page(db, 4096, roots[i], NULL, NULL);
	r = tongban(true, db, "db check");
	expect_run(r, 1, "table sessions: ");
	expect_run(r, 1, "0 rows readable of 2000 (2000 unreadable)");
	r = tongban(true, db, args);
	expect_run(r, 1, "nothing at all could be read");
	ck_assert_int_ne(access(copy, F_OK), 0);
	free(db);
	free(copy);
	free(args);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("cli_db");
	TCase *check = tcase_create("check");
	TCase *recover = tcase_create("recover");

	tcase_add_checked_fixture(check, setup, teardown);
	tcase_add_checked_fixture(recover, setup, teardown);
	tcase_set_timeout(check, 60);
	tcase_set_timeout(recover, 60);
	tcase_add_test(check, check_says_a_sound_database_is_sound);
	tcase_add_test(check, check_reads_a_read_only_file_and_never_writes_it);
	tcase_add_test(check, check_reads_a_database_on_a_read_only_medium);
	tcase_add_test(check, check_names_the_damaged_tables_and_the_next_command);
	tcase_add_test(check, a_file_that_is_not_a_database_is_an_error);
	tcase_add_test(recover, recover_copies_every_row_off_the_damaged_pages);
	tcase_add_test(recover, recover_without_an_intact_index_still_finds_every_sound_page);
	tcase_add_test(recover, recover_of_a_sound_database_copies_all_of_it);
	tcase_add_test(recover, recover_refuses_an_existing_file_and_a_missing_source);
	tcase_add_test(recover, recover_that_reads_nothing_exits_1_and_leaves_no_file);
	suite_add_tcase(s, check);
	suite_add_tcase(s, recover);
	return tbcheck_run(s);
}
