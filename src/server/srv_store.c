/*
 * srv_store.c - tongband's SQLite database.
 */
#include "server/srv_store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

struct srv_store {
	sqlite3 *db;
};

/* Numbered migrations: migrations[i] takes user_version i to i + 1. */
static const char *const migrations[] = {
    /* 1: clerks, sessions, cases and their events */
    "CREATE TABLE users ("
    " id TEXT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " hall TEXT NOT NULL,"
    " hall_name TEXT NOT NULL,"
    " window TEXT NOT NULL,"
    " role TEXT NOT NULL CHECK (role IN ('clerk','backoffice','operator')),"
    " dept TEXT NOT NULL DEFAULT '',"
    " pwhash TEXT NOT NULL,"
    " failed_logins INTEGER NOT NULL DEFAULT 0,"
    " locked_until INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE tokens ("
    " hash TEXT PRIMARY KEY,"
    " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    " expires INTEGER NOT NULL);"
    "CREATE INDEX tokens_expires ON tokens(expires);"
    "CREATE TABLE cases ("
    " id TEXT PRIMARY KEY,"
    " hall TEXT NOT NULL,"
    " case_no TEXT NOT NULL,"
    " item_code TEXT NOT NULL,"
    " item_name TEXT NOT NULL,"
    " applicant_name TEXT NOT NULL,"
    " id_number TEXT NOT NULL DEFAULT '',"
    " phone TEXT NOT NULL DEFAULT '',"
    " state TEXT NOT NULL,"
    " last_seq INTEGER NOT NULL,"
    " created_at TEXT NOT NULL,"
    " received_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL,"
    " payload TEXT NOT NULL);"
    "CREATE INDEX cases_hall_no ON cases(hall, case_no);"
    "CREATE INDEX cases_hall_idn ON cases(hall, id_number);"
    "CREATE INDEX cases_hall_phone ON cases(hall, phone);"
    "CREATE INDEX cases_hall_received ON cases(hall, received_at);"
    "CREATE TABLE events ("
    " uuid TEXT PRIMARY KEY,"
    " case_id TEXT NOT NULL,"
    " seq INTEGER NOT NULL CHECK (seq >= 1),"
    " type TEXT NOT NULL,"
    " hall TEXT NOT NULL,"
    " window TEXT NOT NULL,"
    " clerk TEXT NOT NULL,"
    " client_time TEXT NOT NULL,"
    " payload TEXT NOT NULL,"
    " canonical TEXT NOT NULL,"
    " user_id TEXT NOT NULL,"
    " received_at TEXT NOT NULL);"
    "CREATE UNIQUE INDEX events_case_seq ON events(case_id, seq);",
    /* 2: the change log, the deciding department, catalogue and calendar, state
     * names of the case state machine (core/casestate.h) */
    "ALTER TABLE cases ADD COLUMN dept TEXT NOT NULL DEFAULT '';"
    "CREATE TABLE changes ("
    " cursor INTEGER PRIMARY KEY AUTOINCREMENT,"
    " hall TEXT," /* NULL: a change for every hall */
    " kind TEXT NOT NULL CHECK (kind IN ('decision','catalogue','calendar')),"
    " case_id TEXT,"
    " event_uuid TEXT,"
    " version TEXT,"
    " created_at TEXT NOT NULL);"
    "CREATE INDEX changes_hall ON changes(hall, cursor);"
    "CREATE TABLE documents ("
    " kind TEXT PRIMARY KEY CHECK (kind IN ('catalogue','calendar')),"
    " version TEXT NOT NULL,"
    " body TEXT NOT NULL,"
    " updated_at TEXT NOT NULL);"
    "UPDATE cases SET state = CASE state"
    " WHEN 'created' THEN 'received' WHEN 'materials_checked' THEN 'received'"
    " WHEN 'supplemented' THEN 'received' WHEN 'notice_issued' THEN 'awaiting_supplement'"
    " WHEN 'committed' THEN 'accepted_commitment' WHEN 'decided' THEN 'approved'"
    " WHEN 'rated' THEN 'released' ELSE state END;",
    /* 3: official case numbers, HALL-YYYY-NNNNNN from a sequence per hall and
     * year, and their "case_no" changes; cases received before get theirs now,
     * in the order they came */
    "ALTER TABLE cases ADD COLUMN official_no TEXT;"
    "CREATE UNIQUE INDEX cases_official_no ON cases(official_no);"
    "CREATE TABLE case_numbers ("
    " hall TEXT NOT NULL,"
    " year TEXT NOT NULL,"
    " last INTEGER NOT NULL,"
    " PRIMARY KEY (hall, year));"
    "CREATE TABLE changes_new ("
    " cursor INTEGER PRIMARY KEY AUTOINCREMENT,"
    " hall TEXT,"
    " kind TEXT NOT NULL CHECK (kind IN ('decision','catalogue','calendar','case_no')),"
    " case_id TEXT,"
    " event_uuid TEXT,"
    " version TEXT,"
    " created_at TEXT NOT NULL);"
    "INSERT INTO changes_new (cursor, hall, kind, case_id, event_uuid, version, created_at)"
    " SELECT cursor, hall, kind, case_id, event_uuid, version, created_at FROM changes"
    " ORDER BY cursor;"
    "UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence"
    " WHERE name = 'changes'), 0)) WHERE name = 'changes_new';"
    "DROP TABLE changes;"
    "ALTER TABLE changes_new RENAME TO changes;"
    "CREATE INDEX changes_hall ON changes(hall, cursor);"
    "UPDATE cases SET official_no = r.hall || '-' || r.year || '-' || printf('%06d', r.n)"
    " FROM (SELECT id, hall, substr(received_at, 1, 4) AS year, row_number() OVER"
    " (PARTITION BY hall, substr(received_at, 1, 4) ORDER BY received_at, rowid) AS n"
    " FROM cases) AS r WHERE r.id = cases.id;"
    "INSERT INTO case_numbers (hall, year, last)"
    " SELECT hall, substr(received_at, 1, 4), count(*) FROM cases GROUP BY 1, 2;"
    "INSERT INTO changes (hall, kind, case_id, created_at)"
    " SELECT hall, 'case_no', id, strftime('%Y-%m-%dT%H:%M:%S+08:00', 'now', '+8 hours')"
    " FROM cases ORDER BY received_at, rowid;",
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

_Static_assert(sizeof migrations / sizeof migrations[0] == SRV_STORE_SCHEMA_VERSION,
               "one migration per schema version");

static int db_fail(struct srv_store *s, struct err *e, const char *what)
{
	err_set(e, "database: %s: %s", what, sqlite3_errmsg(s->db));
	return SRV_ERR;
}

static int exec(struct srv_store *s, const char *sql, struct err *e)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);

	if (rc == SQLITE_OK)
		return SRV_OK;
	if ((rc & 0xFF) == SQLITE_BUSY) {
		err_set(e, "database is busy");
		return SRV_BUSY;
	}
	return db_fail(s, e, sql);
}

static sqlite3_stmt *prepare(struct srv_store *s, const char *sql, struct err *e)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_fail(s, e, "prepare");
		return NULL;
	}
	return st;
}

/* Bind the strings of a NULL-terminated list to parameters 1, 2, ... */
static void bind_texts(sqlite3_stmt *st, const char *const *v)
{
	int i;

	for (i = 0; v[i] != NULL; i++)
		sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_TRANSIENT);
}

/* Step st to completion (a statement without rows) and finalize it. */
static int run(struct srv_store *s, sqlite3_stmt *st, struct err *e)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return SRV_OK;
	return db_fail(s, e, "write");
}

static void copy_col(char *dst, size_t n, sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	str_copy(dst, n, t ? (const char *)t : "");
}

/* Create the file with mode 0600 before SQLite does (SQLite gives the -wal
 * and -shm files the same mode as the database). */
static int create_private(const char *path, struct err *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd >= 0)
		return close(fd) == 0 ? SRV_OK : SRV_ERR;
	if (errno == EEXIST)
		return SRV_OK;
	err_set(e, "%s: %s", path, strerror(errno));
	return SRV_ERR;
}

int srv_store_version(struct srv_store *s)
{
	sqlite3_stmt *st = prepare(s, "PRAGMA user_version", NULL);
	int v = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int migrate(struct srv_store *s, struct err *e)
{
	int v, rc;
	char pragma[64];

	rc = srv_store_begin(s, e);
	if (rc != SRV_OK)
		return SRV_ERR;
	v = srv_store_version(s);
	if (v < 0 || v > N_MIGRATIONS) {
		srv_store_rollback(s);
		err_set(e, "database schema version %d is not one this tongband knows (%d)", v,
		        N_MIGRATIONS);
		return SRV_ERR;
	}
	for (; v < N_MIGRATIONS; v++) {
		if (exec(s, migrations[v], e) != SRV_OK) {
			srv_store_rollback(s);
			return SRV_ERR;
		}
	}
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", N_MIGRATIONS);
	if (exec(s, pragma, e) != SRV_OK || srv_store_commit(s, e) != SRV_OK) {
		srv_store_rollback(s);
		return SRV_ERR;
	}
	return SRV_OK;
}

static int configure(struct srv_store *s, struct err *e)
{
	sqlite3_stmt *st;
	int is_wal = 0;

	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 10000);
	st = prepare(s, "PRAGMA journal_mode = WAL", e);
	if (st == NULL)
		return SRV_ERR;
	if (sqlite3_step(st) == SQLITE_ROW)
		is_wal = sqlite3_stricmp((const char *)sqlite3_column_text(st, 0), "wal") == 0;
	sqlite3_finalize(st);
	if (!is_wal) {
		err_set(e, "database: cannot switch to WAL mode");
		return SRV_ERR;
	}
	if (exec(s, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;", e) != SRV_OK)
		return SRV_ERR;
	return SRV_OK;
}

int srv_store_open(struct srv_store **out, const char *path, struct err *e)
{
	struct srv_store *s;

	*out = NULL;
	if (create_private(path, e) != SRV_OK)
		return SRV_ERR;
	s = xcalloc(1, sizeof *s);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		err_set(e, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
		srv_store_close(s);
		return SRV_ERR;
	}
	if (configure(s, e) != SRV_OK || migrate(s, e) != SRV_OK) {
		char msg[sizeof e->msg];

		str_copy(msg, sizeof msg, e ? e->msg : "");
		err_set(e, "%s: %s", path, msg);
		srv_store_close(s);
		return SRV_ERR;
	}
	*out = s;
	return SRV_OK;
}

void srv_store_close(struct srv_store *s)
{
	if (s == NULL)
		return;
	sqlite3_close(s->db);
	free(s);
}

struct srv_store_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	struct srv_store **free_list;
	int n_free;
	int n;
};

struct srv_store_pool *srv_store_pool_open(const char *path, int n, struct err *e)
{
	struct srv_store_pool *p = xcalloc(1, sizeof *p);

	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->free_list = xcalloc((size_t)n, sizeof *p->free_list);
	for (p->n = 0; p->n < n; p->n++) {
		if (srv_store_open(&p->free_list[p->n], path, e) != SRV_OK) {
			p->n_free = p->n;
			srv_store_pool_close(p);
			return NULL;
		}
	}
	p->n_free = n;
	return p;
}

struct srv_store *srv_store_pool_get(struct srv_store_pool *p)
{
	struct srv_store *s;

	pthread_mutex_lock(&p->lock);
	while (p->n_free == 0)
		pthread_cond_wait(&p->freed, &p->lock);
	s = p->free_list[--p->n_free];
	pthread_mutex_unlock(&p->lock);
	return s;
}

void srv_store_pool_put(struct srv_store_pool *p, struct srv_store *s)
{
	pthread_mutex_lock(&p->lock);
	p->free_list[p->n_free++] = s;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

/* Every connection must have been put back. */
void srv_store_pool_close(struct srv_store_pool *p)
{
	int i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n_free; i++)
		srv_store_close(p->free_list[i]);
	free(p->free_list);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

int srv_store_begin(struct srv_store *s, struct err *e)
{
	return exec(s, "BEGIN IMMEDIATE", e);
}

int srv_store_commit(struct srv_store *s, struct err *e)
{
	return exec(s, "COMMIT", e);
}

void srv_store_rollback(struct srv_store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int srv_store_savepoint(struct srv_store *s, struct err *e)
{
	return exec(s, "SAVEPOINT ev", e);
}

int srv_store_release(struct srv_store *s, struct err *e)
{
	return exec(s, "RELEASE ev", e);
}

int srv_store_rollback_to(struct srv_store *s, struct err *e)
{
	return exec(s, "ROLLBACK TO ev", e);
}

int srv_store_user_put(struct srv_store *s, const struct srv_user *u, const char *pwhash,
                       struct err *e)
{
	sqlite3_stmt *st = prepare(
	    s,
	    "INSERT INTO users (id, name, hall, hall_name, window, role, dept, pwhash)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT(id) DO UPDATE SET name = ?2, hall = ?3, hall_name = ?4, window = ?5,"
	    " role = ?6, dept = ?7, pwhash = ?8, failed_logins = 0, locked_until = 0",
	    e);
	const char *v[] = {u->id,   u->name, u->hall, u->hall_name, u->window,
	                   u->role, u->dept, pwhash,  NULL};

	if (st == NULL)
		return SRV_ERR;
	bind_texts(st, v);
	return run(s, st, e);
}

#define USER_COLS "u.id, u.name, u.hall, u.hall_name, u.window, u.role, u.dept"

static void read_user(sqlite3_stmt *st, struct srv_user *u)
{
	copy_col(u->id, sizeof u->id, st, 0);
	copy_col(u->name, sizeof u->name, st, 1);
	copy_col(u->hall, sizeof u->hall, st, 2);
	copy_col(u->hall_name, sizeof u->hall_name, st, 3);
	copy_col(u->window, sizeof u->window, st, 4);
	copy_col(u->role, sizeof u->role, st, 5);
	copy_col(u->dept, sizeof u->dept, st, 6);
}

/* Step a one-row query: SRV_OK with a row, SRV_NOT_FOUND, or SRV_ERR. */
static int step_row(struct srv_store *s, sqlite3_stmt *st, struct err *e)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return SRV_OK;
	if (rc == SQLITE_DONE)
		return SRV_NOT_FOUND;
	return db_fail(s, e, "read");
}

int srv_store_user_get(struct srv_store *s, const char *id, struct srv_user *u,
                       char pwhash[SRV_PWHASH_SIZE], long long *locked_until, struct err *e)
{
	sqlite3_stmt *st = prepare(
	    s, "SELECT " USER_COLS ", u.pwhash, u.locked_until FROM users u WHERE u.id = ?1", e);
	int rc;

	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	rc = step_row(s, st, e);
	if (rc == SRV_OK) {
		read_user(st, u);
		copy_col(pwhash, SRV_PWHASH_SIZE, st, 7);
		*locked_until = sqlite3_column_int64(st, 8);
	}
	sqlite3_finalize(st);
	return rc;
}

int srv_store_user_login_failed(struct srv_store *s, const char *id, long long now, int limit,
                                int lock_seconds, struct err *e)
{
	sqlite3_stmt *st = prepare(
	    s,
	    "UPDATE users SET"
	    " locked_until = CASE WHEN failed_logins + 1 >= ?2 THEN ?3 ELSE locked_until END,"
	    " failed_logins = CASE WHEN failed_logins + 1 >= ?2 THEN 0 ELSE failed_logins + 1 END"
	    " WHERE id = ?1",
	    e);

	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, limit);
	sqlite3_bind_int64(st, 3, now + lock_seconds);
	return run(s, st, e);
}

int srv_store_user_login_ok(struct srv_store *s, const char *id, struct err *e)
{
	sqlite3_stmt *st =
	    prepare(s, "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?1", e);

	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	return run(s, st, e);
}

int srv_store_user_list(struct srv_store *s, struct json_object **out, struct err *e)
{
	static const char *const names[] = {"id",     "name", "hall", "hall_name",
	                                    "window", "role", "dept", "locked_until"};
	sqlite3_stmt *st = prepare(s,
	                           "SELECT " USER_COLS ", u.locked_until FROM users u"
	                           " ORDER BY u.hall, u.id",
	                           e);
	int rc, i;

	*out = NULL;
	if (st == NULL)
		return SRV_ERR;
	*out = json_object_new_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct json_object *o = json_object_new_object();

		for (i = 0; i < 7; i++)
			json_object_object_add(
			    o, names[i],
			    json_object_new_string((const char *)sqlite3_column_text(st, i)));
		json_object_object_add(o, names[7],
		                       json_object_new_int64(sqlite3_column_int64(st, 7)));
		json_object_array_add(*out, o);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_object_put(*out);
		*out = NULL;
		return db_fail(s, e, "list users");
	}
	return SRV_OK;
}

int srv_store_token_put(struct srv_store *s, const char *token_hash, const char *user_id,
                        long long expires, long long now, struct err *e)
{
	sqlite3_stmt *st = prepare(s, "DELETE FROM tokens WHERE expires <= ?1", e);

	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_int64(st, 1, now);
	if (run(s, st, e) != SRV_OK)
		return SRV_ERR;
	st = prepare(s, "INSERT INTO tokens (hash, user_id, expires) VALUES (?1, ?2, ?3)", e);
	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, user_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, expires);
	return run(s, st, e);
}

int srv_store_token_user(struct srv_store *s, const char *token_hash, long long now,
                         struct srv_user *u, struct err *e)
{
	sqlite3_stmt *st =
	    prepare(s,
	            "SELECT " USER_COLS " FROM tokens t JOIN users u ON u.id = t.user_id"
	            " WHERE t.hash = ?1 AND t.expires > ?2",
	            e);
	int rc;

	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	rc = step_row(s, st, e);
	if (rc == SRV_OK)
		read_user(st, u);
	sqlite3_finalize(st);
	return rc;
}

int srv_store_token_delete(struct srv_store *s, const char *token_hash, struct err *e)
{
	sqlite3_stmt *st = prepare(s, "DELETE FROM tokens WHERE hash = ?1", e);

	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_text(st, 1, token_hash, -1, SQLITE_TRANSIENT);
	return run(s, st, e);
}

int srv_store_token_delete_user(struct srv_store *s, const char *user_id, struct err *e)
{
	sqlite3_stmt *st = prepare(s, "DELETE FROM tokens WHERE user_id = ?1", e);

	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_text(st, 1, user_id, -1, SQLITE_TRANSIENT);
	return run(s, st, e);
}

/* The stored canonical text of event uuid, or NULL.  Caller frees. */
static char *event_canonical(struct srv_store *s, const char *uuid, struct err *e)
{
	sqlite3_stmt *st = prepare(s, "SELECT canonical FROM events WHERE uuid = ?1", e);
	char *c = NULL;

	if (st == NULL)
		return NULL;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_TRANSIENT);
	if (step_row(s, st, e) == SRV_OK)
		c = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return c;
}

int srv_store_event_insert(struct srv_store *s, const struct srv_event_row *ev,
                           char **canonical_out, struct err *e)
{
	sqlite3_stmt *st = prepare(
	    s,
	    "INSERT INTO events (uuid, case_id, type, hall, window, clerk, client_time, payload,"
	    " canonical, user_id, received_at, seq)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
	    " ON CONFLICT(uuid) DO NOTHING",
	    e);
	const char *v[] = {ev->uuid,      ev->case_id, ev->type,        ev->hall,
	                   ev->window,    ev->clerk,   ev->client_time, ev->payload,
	                   ev->canonical, ev->user_id, ev->received_at, NULL};
	int rc;

	*canonical_out = NULL;
	if (st == NULL)
		return SRV_ERR;
	bind_texts(st, v);
	sqlite3_bind_int64(st, 12, ev->seq);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE && sqlite3_changes(s->db) == 1)
		return SRV_EVENT_INSERTED;
	if (rc != SQLITE_DONE && rc != SQLITE_CONSTRAINT_UNIQUE &&
	    rc != SQLITE_CONSTRAINT_PRIMARYKEY)
		return db_fail(s, e, "insert event");
	*canonical_out = event_canonical(s, ev->uuid, e);
	if (*canonical_out != NULL)
		return SRV_EVENT_EXISTS;
	if (rc == SQLITE_DONE)
		return db_fail(s, e, "insert event");
	return SRV_EVENT_SEQ_TAKEN;
}

int srv_store_case_head(struct srv_store *s, const char *id, struct srv_case_head *h, struct err *e)
{
	sqlite3_stmt *st =
	    prepare(s, "SELECT hall, last_seq, state, dept, case_no FROM cases WHERE id = ?1", e);
	int rc;

	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	rc = step_row(s, st, e);
	if (rc == SRV_OK) {
		copy_col(h->hall, sizeof h->hall, st, 0);
		h->last_seq = sqlite3_column_int64(st, 1);
		copy_col(h->state, sizeof h->state, st, 2);
		copy_col(h->dept, sizeof h->dept, st, 3);
		copy_col(h->case_no, sizeof h->case_no, st, 4);
	}
	sqlite3_finalize(st);
	return rc;
}

int srv_store_case_insert(struct srv_store *s, const struct srv_case_row *c, struct err *e)
{
	sqlite3_stmt *st = prepare(
	    s,
	    "INSERT INTO cases (id, hall, case_no, item_code, item_name, applicant_name, id_number,"
	    " phone, state, created_at, received_at, updated_at, payload, dept, last_seq)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13, ?14)",
	    e);
	const char *v[] = {c->id,
	                   c->hall,
	                   c->case_no,
	                   c->item_code,
	                   c->item_name,
	                   c->applicant_name,
	                   c->id_number,
	                   c->phone,
	                   c->state,
	                   c->created_at,
	                   c->received_at,
	                   c->payload,
	                   c->dept ? c->dept : "",
	                   NULL};

	if (st == NULL)
		return SRV_ERR;
	bind_texts(st, v);
	sqlite3_bind_int64(st, 14, c->last_seq);
	return run(s, st, e);
}

int srv_store_case_advance(struct srv_store *s, const char *id, const char *state, long long seq,
                           const char *updated_at, struct err *e)
{
	sqlite3_stmt *st =
	    prepare(s,
	            "UPDATE cases SET state = coalesce(?2, state), updated_at = ?3, last_seq = ?4"
	            " WHERE id = ?1",
	            e);

	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, state, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, updated_at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 4, seq);
	return run(s, st, e);
}

int srv_store_case_number(struct srv_store *s, const char *id, const char *hall,
                          const char *received_at, char official[SRV_OFFICIAL_NO_SIZE],
                          struct err *e)
{
	sqlite3_stmt *st = prepare(s,
	                           "INSERT INTO case_numbers (hall, year, last) VALUES (?1, ?2, 1)"
	                           " ON CONFLICT(hall, year) DO UPDATE SET last = last + 1"
	                           " RETURNING last",
	                           e);
	char year[5];
	long long n;
	int rc;

	official[0] = '\0';
	if (st == NULL)
		return SRV_ERR;
	str_copy(year, sizeof year, received_at); /* YYYY of the hall's date (+08:00) */
	sqlite3_bind_text(st, 1, hall, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, year, -1, SQLITE_TRANSIENT);
	rc = step_row(s, st, e);
	n = rc == SRV_OK ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SRV_OK)
		return rc == SRV_NOT_FOUND ? db_fail(s, e, "case number") : SRV_ERR;
	snprintf(official, SRV_OFFICIAL_NO_SIZE, "%s-%s-%06lld", hall, year, n);
	st = prepare(s, "UPDATE cases SET official_no = ?2 WHERE id = ?1", e);
	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, official, -1, SQLITE_TRANSIENT);
	if (run(s, st, e) != SRV_OK)
		return SRV_ERR;
	return srv_store_change_add(s, hall, "case_no", id, NULL, NULL, received_at, NULL, e);
}

#define CASE_COLS                                                                                  \
	"c.id, c.case_no, c.item_code, c.item_name, c.applicant_name, c.id_number, c.phone,"       \
	" c.state, c.hall, (SELECT count(*) FROM events e WHERE e.case_id = c.id),"                \
	" c.created_at, c.received_at, c.dept, c.updated_at, coalesce(c.official_no, '')"

static struct json_object *case_json(sqlite3_stmt *st)
{
	static const char *const names[] = {
	    "id",         "case_no",     "item_code", "item_name",  "applicant_name",
	    "id_number",  "phone",       "state",     "hall",       "events",
	    "created_at", "received_at", "dept",      "updated_at", "official_no"};
	struct json_object *o = json_object_new_object();
	int i;

	for (i = 0; i < (int)(sizeof names / sizeof names[0]); i++) {
		struct json_object *v;

		if (sqlite3_column_type(st, i) == SQLITE_INTEGER)
			v = json_object_new_int64(sqlite3_column_int64(st, i));
		else
			v = json_object_new_string((const char *)sqlite3_column_text(st, i));
		json_object_object_add(o, names[i], v);
	}
	return o;
}

/* The search statement: a query holding a digit is a case number, ID
 * number or phone and matches exactly, through the (hall, ...) indexes;
 * any other query is part of an applicant's name, found by a scan in
 * received order that stops at the limit. */
static const char *case_search_sql(bool by_hall, bool is_number)
{
	static const char *const sql[2][2] = {
	    {"SELECT " CASE_COLS " FROM cases c WHERE instr(c.applicant_name, ?2) > 0"
	     " AND ?1 IS NULL ORDER BY c.received_at DESC, c.rowid DESC LIMIT ?3",
	     "SELECT " CASE_COLS " FROM cases c WHERE (c.case_no = ?2 OR c.id_number = ?2"
	     " OR c.phone = ?2 OR c.official_no = ?2) AND ?1 IS NULL"
	     " ORDER BY c.received_at DESC, c.rowid DESC LIMIT ?3"},
	    {"SELECT " CASE_COLS " FROM cases c WHERE c.hall = ?1 AND instr(c.applicant_name, ?2)"
	     " > 0 ORDER BY c.received_at DESC, c.rowid DESC LIMIT ?3",
	     "SELECT " CASE_COLS " FROM cases c WHERE (c.hall = ?1 AND c.case_no = ?2)"
	     " OR (c.hall = ?1 AND c.id_number = ?2) OR (c.hall = ?1 AND c.phone = ?2)"
	     " OR (c.hall = ?1 AND c.official_no = ?2) ORDER BY c.received_at DESC, c.rowid DESC "
	     "LIMIT ?3"},
	};

	return sql[by_hall][is_number];
}

int srv_store_case_search(struct srv_store *s, const char *hall, const char *query, int limit,
                          struct json_object **out, struct err *e)
{
	sqlite3_stmt *st =
	    prepare(s, case_search_sql(hall != NULL, strpbrk(query, "0123456789") != NULL), e);
	int rc;

	*out = NULL;
	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_text(st, 1, hall, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, query, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, limit);
	*out = json_object_new_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		json_object_array_add(*out, case_json(st));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_object_put(*out);
		*out = NULL;
		return db_fail(s, e, "search cases");
	}
	return SRV_OK;
}

static int event_list(struct srv_store *s, const char *id, struct json_object *list, struct err *e)
{
	sqlite3_stmt *st = prepare(s,
	                           "SELECT uuid, seq, type, client_time, received_at FROM events"
	                           " WHERE case_id = ?1 ORDER BY seq",
	                           e);
	int rc;

	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct json_object *ev = json_object_new_object();

		json_object_object_add(
		    ev, "uuid", json_object_new_string((const char *)sqlite3_column_text(st, 0)));
		json_object_object_add(ev, "seq",
		                       json_object_new_int64(sqlite3_column_int64(st, 1)));
		json_object_object_add(
		    ev, "type", json_object_new_string((const char *)sqlite3_column_text(st, 2)));
		json_object_object_add(
		    ev, "client_time",
		    json_object_new_string((const char *)sqlite3_column_text(st, 3)));
		json_object_object_add(
		    ev, "received_at",
		    json_object_new_string((const char *)sqlite3_column_text(st, 4)));
		json_object_array_add(list, ev);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SRV_OK : db_fail(s, e, "read events");
}

int srv_store_case_get(struct srv_store *s, const char *id, struct json_object **out, char hall[65],
                       struct err *e)
{
	sqlite3_stmt *st = prepare(s, "SELECT " CASE_COLS " FROM cases c WHERE c.id = ?1", e);
	struct json_object *list;
	int rc;

	*out = NULL;
	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	rc = step_row(s, st, e);
	if (rc == SRV_OK) {
		*out = case_json(st);
		copy_col(hall, 65, st, 8);
	}
	sqlite3_finalize(st);
	if (rc != SRV_OK)
		return rc;
	list = json_object_new_array();
	json_object_object_add(*out, "event_list", list);
	if (event_list(s, id, list, e) != SRV_OK) {
		json_object_put(*out);
		*out = NULL;
		return SRV_ERR;
	}
	return SRV_OK;
}

int srv_store_change_add(struct srv_store *s, const char *hall, const char *kind,
                         const char *case_id, const char *event_uuid, const char *version,
                         const char *created_at, long long *cursor, struct err *e)
{
	sqlite3_stmt *st = prepare(s,
	                           "INSERT INTO changes (hall, kind, case_id, event_uuid, version,"
	                           " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	                           e);
	const char *v[] = {hall, kind, case_id, event_uuid, version, created_at};
	int i;

	if (st == NULL)
		return SRV_ERR;
	for (i = 0; i < 6; i++)
		sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_TRANSIENT); /* NULL binds NULL */
	if (run(s, st, e) != SRV_OK)
		return SRV_ERR;
	if (cursor != NULL)
		*cursor = sqlite3_last_insert_rowid(s->db);
	return SRV_OK;
}

/* The JSON of one row of the changes query below. */
static struct json_object *change_json(sqlite3_stmt *st)
{
	struct json_object *o = json_object_new_object();
	const char *kind = (const char *)sqlite3_column_text(st, 1);
	const char *canonical = (const char *)sqlite3_column_text(st, 5);

	json_object_object_add(o, "cursor", json_object_new_int64(sqlite3_column_int64(st, 0)));
	json_object_object_add(o, "kind", json_object_new_string(kind));
	if (strcmp(kind, "decision") == 0) {
		json_object_object_add(
		    o, "case_id", json_object_new_string((const char *)sqlite3_column_text(st, 2)));
		json_object_object_add(
		    o, "case_no", json_object_new_string((const char *)sqlite3_column_text(st, 4)));
		json_object_object_add(o, "event",
		                       canonical ? json_tokener_parse(canonical) : NULL);
		json_object_object_add(
		    o, "received_at",
		    json_object_new_string((const char *)sqlite3_column_text(st, 6)));
	} else if (strcmp(kind, "case_no") == 0) {
		json_object_object_add(
		    o, "case_id", json_object_new_string((const char *)sqlite3_column_text(st, 2)));
		json_object_object_add(
		    o, "case_no", json_object_new_string((const char *)sqlite3_column_text(st, 4)));
		json_object_object_add(
		    o, "official_no",
		    json_object_new_string((const char *)sqlite3_column_text(st, 7)));
	} else {
		json_object_object_add(
		    o, "version", json_object_new_string((const char *)sqlite3_column_text(st, 3)));
	}
	return o;
}

int srv_store_changes(struct srv_store *s, const char *hall, long long since, int limit,
                      struct json_object **out, bool *more, long long *next, struct err *e)
{
	sqlite3_stmt *st =
	    prepare(s,
	            "SELECT ch.cursor, ch.kind, ch.case_id, coalesce(ch.version, ''),"
	            " coalesce(c.case_no, ''), ev.canonical, coalesce(ev.received_at, ''),"
	            " coalesce(c.official_no, '')"
	            " FROM changes ch LEFT JOIN events ev ON ev.uuid = ch.event_uuid"
	            " LEFT JOIN cases c ON c.id = ch.case_id"
	            " WHERE ch.cursor > ?1 AND (ch.hall = ?2 OR ch.hall IS NULL)"
	            " ORDER BY ch.cursor LIMIT ?3",
	            e);
	int rc, n = 0;

	*out = NULL;
	*more = false;
	*next = since;
	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_text(st, 2, hall, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, limit + 1);
	*out = json_object_new_array();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n++ == limit) {
			*more = true;
			continue;
		}
		*next = sqlite3_column_int64(st, 0);
		json_object_array_add(*out, change_json(st));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_object_put(*out);
		*out = NULL;
		return db_fail(s, e, "read changes");
	}
	return SRV_OK;
}

int srv_store_document_put(struct srv_store *s, const char *kind, const char *version,
                           const char *body, const char *updated_at, struct err *e)
{
	sqlite3_stmt *st = prepare(s,
	                           "INSERT INTO documents (kind, version, body, updated_at)"
	                           " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(kind) DO UPDATE SET"
	                           " version = ?2, body = ?3, updated_at = ?4",
	                           e);
	const char *v[] = {kind, version, body, updated_at, NULL};

	if (st == NULL)
		return SRV_ERR;
	bind_texts(st, v);
	return run(s, st, e);
}

int srv_store_document_get(struct srv_store *s, const char *kind, char **version, char **body,
                           struct err *e)
{
	sqlite3_stmt *st = prepare(s, "SELECT version, body FROM documents WHERE kind = ?1", e);
	int rc;

	*version = *body = NULL;
	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_text(st, 1, kind, -1, SQLITE_TRANSIENT);
	rc = step_row(s, st, e);
	if (rc == SRV_OK) {
		*version = xstrdup((const char *)sqlite3_column_text(st, 0));
		*body = xstrdup((const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return rc;
}

int srv_store_case_each(struct srv_store *s, const char *hall,
                        int (*fn)(struct json_object *c, void *arg), void *arg, struct err *e)
{
	sqlite3_stmt *st =
	    prepare(s,
	            "SELECT " CASE_COLS " FROM cases c WHERE ?1 IS NULL OR c.hall = ?1"
	            " ORDER BY c.hall, c.received_at, c.rowid",
	            e);
	int rc = SQLITE_DONE, stop = 0;

	if (st == NULL)
		return SRV_ERR;
	sqlite3_bind_text(st, 1, hall, -1, SQLITE_TRANSIENT);
	while (stop == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct json_object *c = case_json(st);

		stop = fn(c, arg);
		json_object_put(c);
	}
	sqlite3_finalize(st);
	if (stop == 0 && rc != SQLITE_DONE)
		return db_fail(s, e, "read cases");
	return SRV_OK;
}
