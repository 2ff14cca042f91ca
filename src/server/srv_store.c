/*
 * srv_store.c - tongband's SQLite database, on the shared layer (db/db.h).
 */
#include "server/srv_store.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db/db.h"

struct srv_store {
	struct db *db;
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
    /* 4: terminal codes: each client device (a database on a PC) gets a number of
     * its hall at its first login there, never given twice, so its case numbers
     * are unique without the server */
    "CREATE TABLE terminals ("
    " device TEXT NOT NULL,"
    " hall TEXT NOT NULL,"
    " code INTEGER NOT NULL,"
    " first_user TEXT NOT NULL,"
    " created_at TEXT NOT NULL,"
    " PRIMARY KEY (device, hall),"
    " UNIQUE (hall, code));"
    "CREATE TABLE terminal_numbers (hall TEXT PRIMARY KEY, last INTEGER NOT NULL);",
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

_Static_assert(sizeof migrations / sizeof migrations[0] == SRV_STORE_SCHEMA_VERSION,
               "one migration per schema version");

int srv_store_version(struct srv_store *s)
{
	return db_user_version(s->db, NULL);
}

/* The folder of path must exist: a mistyped --db is refused, not made
 * (db_open would make it).  0 or -1. */
static int check_folder(const char *path, struct err *e)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	struct stat st;
	int why = 0;

	if (slash != NULL) {
		slash[slash == dir] = '\0'; /* "/x.db" is in "/" */
		if (stat(dir, &st) != 0)
			why = errno;
		else if (!S_ISDIR(st.st_mode))
			why = ENOTDIR;
	}
	free(dir);
	if (why != 0)
		err_set(e, "%s: %s", path, strerror(why));
	return why != 0 ? -1 : 0;
}

/* srv_store_open with a chosen wait for the write lock. */
static int open_store(struct srv_store **out, const char *path, int busy_ms, struct err *e)
{
	struct db *db;

	*out = NULL;
	if (check_folder(path, e) < 0)
		return -1;
	db = db_open(path, DB_CREATE, busy_ms, e);
	if (db == NULL)
		return -1;
	if (db_migrate(db, migrations, N_MIGRATIONS, e) < 0) {
		err_prefix(e, "%s: ", path);
		db_close(db);
		return -1;
	}
	*out = xcalloc(1, sizeof **out);
	(*out)->db = db;
	return 0;
}

int srv_store_open(struct srv_store **out, const char *path, struct err *e)
{
	return open_store(out, path, SRV_STORE_BUSY_MS, e);
}

void srv_store_close(struct srv_store *s)
{
	if (s == NULL)
		return;
	db_close(s->db);
	free(s);
}

struct srv_store_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	struct srv_store **free_list;
	int n_free;
	int n;
};

struct srv_store_pool *srv_store_pool_open(const char *path, int n, int busy_ms, struct err *e)
{
	struct srv_store_pool *p = xcalloc(1, sizeof *p);

	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->free_list = xcalloc((size_t)n, sizeof *p->free_list);
	for (p->n = 0; p->n < n; p->n++) {
		if (open_store(&p->free_list[p->n], path, busy_ms, e) < 0) {
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
	return db_begin(s->db, e);
}

int srv_store_commit(struct srv_store *s, struct err *e)
{
	return db_commit(s->db, e);
}

void srv_store_rollback(struct srv_store *s)
{
	db_rollback(s->db);
}

int srv_store_savepoint(struct srv_store *s, struct err *e)
{
	return db_savepoint(s->db, "ev", e);
}

int srv_store_release(struct srv_store *s, struct err *e)
{
	return db_release(s->db, "ev", e);
}

int srv_store_rollback_to(struct srv_store *s, struct err *e)
{
	return db_rollback_to(s->db, "ev", e);
}

int srv_store_user_put(struct srv_store *s, const struct srv_user *u, const char *pwhash,
                       struct err *e)
{
	return db_run(
	    s->db, e,
	    "INSERT INTO users (id, name, hall, hall_name, window, role, dept, pwhash)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT(id) DO UPDATE SET name = ?2, hall = ?3, hall_name = ?4, window = ?5,"
	    " role = ?6, dept = ?7, pwhash = ?8, failed_logins = 0, locked_until = 0",
	    "ssssssss", u->id, u->name, u->hall, u->hall_name, u->window, u->role, u->dept, pwhash);
}

#define USER_COLS "u.id, u.name, u.hall, u.hall_name, u.window, u.role, u.dept"

static void read_user(sqlite3_stmt *st, struct srv_user *u)
{
	db_col_copy(st, 0, u->id, sizeof u->id);
	db_col_copy(st, 1, u->name, sizeof u->name);
	db_col_copy(st, 2, u->hall, sizeof u->hall);
	db_col_copy(st, 3, u->hall_name, sizeof u->hall_name);
	db_col_copy(st, 4, u->window, sizeof u->window);
	db_col_copy(st, 5, u->role, sizeof u->role);
	db_col_copy(st, 6, u->dept, sizeof u->dept);
}

int srv_store_user_get(struct srv_store *s, const char *id, struct srv_user *u,
                       char pwhash[SRV_PWHASH_SIZE], long long *locked_until, struct err *e)
{
	sqlite3_stmt *st = db_query(
	    s->db, e, "SELECT " USER_COLS ", u.pwhash, u.locked_until FROM users u WHERE u.id = ?1",
	    "s", id);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(s->db, st, e);
	if (rc == 1) {
		read_user(st, u);
		db_col_copy(st, 7, pwhash, SRV_PWHASH_SIZE);
		*locked_until = db_col_int(st, 8);
	}
	db_done(s->db, st);
	return rc;
}

int srv_store_user_login_failed(struct srv_store *s, const char *id, long long now, int limit,
                                int lock_seconds, struct err *e)
{
	return db_run(
	    s->db, e,
	    "UPDATE users SET"
	    " locked_until = CASE WHEN failed_logins + 1 >= ?2 THEN ?3 ELSE locked_until END,"
	    " failed_logins = CASE WHEN failed_logins + 1 >= ?2 THEN 0 ELSE failed_logins + 1 END"
	    " WHERE id = ?1",
	    "sil", id, limit, now + lock_seconds);
}

int srv_store_user_login_ok(struct srv_store *s, const char *id, struct err *e)
{
	return db_run(s->db, e,
	              "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?1", "s",
	              id);
}

int srv_store_user_list(struct srv_store *s, srv_user_fn fn, void *arg, struct err *e)
{
	sqlite3_stmt *st = db_query(s->db, e,
	                            "SELECT " USER_COLS ", u.locked_until FROM users u"
	                            " ORDER BY u.hall, u.id",
	                            "");
	struct srv_user u;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(s->db, st, e)) == 1) {
		read_user(st, &u);
		if (fn(&u, db_col_int(st, 7), arg) != 0)
			break;
	}
	db_done(s->db, st);
	return rc < 0 ? -1 : 0;
}

int srv_store_token_put(struct srv_store *s, const char *token_hash, const char *user_id,
                        long long expires, long long now, struct err *e)
{
	if (db_run(s->db, e, "DELETE FROM tokens WHERE expires <= ?1", "l", now) < 0)
		return -1;
	return db_run(s->db, e, "INSERT INTO tokens (hash, user_id, expires) VALUES (?1, ?2, ?3)",
	              "ssl", token_hash, user_id, expires);
}

int srv_store_token_user(struct srv_store *s, const char *token_hash, long long now,
                         struct srv_user *u, struct err *e)
{
	sqlite3_stmt *st =
	    db_query(s->db, e,
	             "SELECT " USER_COLS " FROM tokens t JOIN users u ON u.id = t.user_id"
	             " WHERE t.hash = ?1 AND t.expires > ?2",
	             "sl", token_hash, now);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(s->db, st, e);
	if (rc == 1)
		read_user(st, u);
	db_done(s->db, st);
	return rc;
}

int srv_store_token_delete(struct srv_store *s, const char *token_hash, struct err *e)
{
	return db_run(s->db, e, "DELETE FROM tokens WHERE hash = ?1", "s", token_hash);
}

int srv_store_token_delete_user(struct srv_store *s, const char *user_id, struct err *e)
{
	return db_run(s->db, e, "DELETE FROM tokens WHERE user_id = ?1", "s", user_id);
}

int srv_store_event_insert(struct srv_store *s, const struct srv_event_row *ev,
                           char **canonical_out, struct err *e)
{
	int rc;

	*canonical_out = NULL;
	if (db_run(s->db, e,
	           "INSERT INTO events (uuid, case_id, type, hall, window, clerk, client_time,"
	           " payload, canonical, user_id, received_at, seq)"
	           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
	           " ON CONFLICT DO NOTHING",
	           "sssssssssssl", ev->uuid, ev->case_id, ev->type, ev->hall, ev->window, ev->clerk,
	           ev->client_time, ev->payload, ev->canonical, ev->user_id, ev->received_at,
	           ev->seq) < 0)
		return -1;
	if (db_changes(s->db) == 1)
		return SRV_EVENT_INSERTED;
	/* One of the two unique keys was taken: the uuid's, or else (case_id, seq). */
	rc = db_get_text(s->db, e, canonical_out, "SELECT canonical FROM events WHERE uuid = ?1",
	                 "s", ev->uuid);
	if (rc < 0)
		return -1;
	return rc == 1 ? SRV_EVENT_EXISTS : SRV_EVENT_SEQ_TAKEN;
}

int srv_store_case_head(struct srv_store *s, const char *id, struct srv_case_head *h, struct err *e)
{
	sqlite3_stmt *st = db_query(
	    s->db, e, "SELECT hall, last_seq, state, dept, case_no FROM cases WHERE id = ?1", "s",
	    id);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(s->db, st, e);
	if (rc == 1) {
		db_col_copy(st, 0, h->hall, sizeof h->hall);
		h->last_seq = db_col_int(st, 1);
		db_col_copy(st, 2, h->state, sizeof h->state);
		db_col_copy(st, 3, h->dept, sizeof h->dept);
		db_col_copy(st, 4, h->case_no, sizeof h->case_no);
	}
	db_done(s->db, st);
	return rc;
}

int srv_store_case_insert(struct srv_store *s, const struct srv_case_row *c, struct err *e)
{
	return db_run(
	    s->db, e,
	    "INSERT INTO cases (id, hall, case_no, item_code, item_name, applicant_name, id_number,"
	    " phone, state, created_at, received_at, updated_at, payload, dept, last_seq)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13, ?14)",
	    "ssssssssssssel", c->id, c->hall, c->case_no, c->item_code, c->item_name,
	    c->applicant_name, c->id_number, c->phone, c->state, c->created_at, c->received_at,
	    c->payload, c->dept, c->last_seq);
}

int srv_store_case_advance(struct srv_store *s, const char *id, const char *state, long long seq,
                           const char *updated_at, struct err *e)
{
	return db_run(s->db, e,
	              "UPDATE cases SET state = coalesce(?2, state), updated_at = ?3, last_seq = ?4"
	              " WHERE id = ?1",
	              "sssl", id, state, updated_at, seq);
}

int srv_store_case_number(struct srv_store *s, const char *id, const char *hall,
                          const char *received_at, char official[SRV_OFFICIAL_NO_SIZE],
                          struct err *e)
{
	char year[5];
	long long n = 0;
	int rc;

	official[0] = '\0';
	str_copy(year, sizeof year, received_at); /* YYYY of the hall's date (+08:00) */
	rc = db_get_int(s->db, e, &n,
	                "INSERT INTO case_numbers (hall, year, last) VALUES (?1, ?2, 1)"
	                " ON CONFLICT(hall, year) DO UPDATE SET last = last + 1 RETURNING last",
	                "ss", hall, year);
	if (rc == 0)
		err_set(e, "database: case number: no number came back");
	if (rc != 1)
		return -1;
	snprintf(official, SRV_OFFICIAL_NO_SIZE, "%s-%s-%06lld", hall, year, n);
	if (db_run(s->db, e, "UPDATE cases SET official_no = ?2 WHERE id = ?1", "ss", id,
	           official) < 0)
		return -1;
	return srv_store_change_add(s, hall, "case_no", id, NULL, NULL, received_at, NULL, e);
}

/* Everything srv_store_terminal does, in one transaction. */
struct terminal_arg {
	const char *device, *hall, *user_id, *now;
	long long code;
};

static int terminal_tx(struct db *db, void *arg, struct err *e)
{
	struct terminal_arg *a = arg;
	int rc = db_get_int(db, e, &a->code,
	                    "SELECT code FROM terminals WHERE device = ?1 AND hall = ?2", "ss",
	                    a->device, a->hall);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (db_get_int(db, e, &a->code,
	               "INSERT INTO terminal_numbers (hall, last) VALUES (?1, 1)"
	               " ON CONFLICT(hall) DO UPDATE SET last = last + 1 RETURNING last",
	               "s", a->hall) != 1)
		return -1;
	return db_run(db, e,
	              "INSERT INTO terminals (device, hall, code, first_user, created_at)"
	              " VALUES (?1, ?2, ?3, ?4, ?5)",
	              "sslss", a->device, a->hall, a->code, a->user_id, a->now);
}

int srv_store_terminal(struct srv_store *s, const char *device, const char *hall,
                       const char *user_id, const char *now, char code[SRV_TERMINAL_SIZE],
                       struct err *e)
{
	struct terminal_arg a = {device, hall, user_id, now, 0};

	code[0] = '\0';
	if (db_tx(s->db, terminal_tx, &a, e) < 0)
		return -1;
	snprintf(code, SRV_TERMINAL_SIZE, "T%02lld", a.code);
	return 0;
}

#define CASE_COLS                                                                                  \
	"c.id, c.case_no, c.item_code, c.item_name, c.applicant_name, c.id_number, c.phone,"       \
	" c.state, c.hall, (SELECT count(*) FROM events e WHERE e.case_id = c.id),"                \
	" c.created_at, c.received_at, c.dept, c.updated_at, coalesce(c.official_no, '')"

/* The case in the current row of a CASE_COLS query.  Valid until the next step. */
static void read_case(sqlite3_stmt *st, struct srv_case *c)
{
	c->id = db_col_text(st, 0);
	c->case_no = db_col_text(st, 1);
	c->item_code = db_col_text(st, 2);
	c->item_name = db_col_text(st, 3);
	c->applicant_name = db_col_text(st, 4);
	c->id_number = db_col_text(st, 5);
	c->phone = db_col_text(st, 6);
	c->state = db_col_text(st, 7);
	c->hall = db_col_text(st, 8);
	c->events = db_col_int(st, 9);
	c->created_at = db_col_text(st, 10);
	c->received_at = db_col_text(st, 11);
	c->dept = db_col_text(st, 12);
	c->updated_at = db_col_text(st, 13);
	c->official_no = db_col_text(st, 14);
}

/* fn for each row of st, a CASE_COLS query of db_query (NULL: it failed),
 * which is given back.  0 or -1. */
static int each_case(struct srv_store *s, sqlite3_stmt *st, srv_case_fn fn, void *arg,
                     struct err *e)
{
	struct srv_case c;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(s->db, st, e)) == 1) {
		read_case(st, &c);
		if (fn(&c, arg) != 0)
			break;
	}
	db_done(s->db, st);
	return rc < 0 ? -1 : 0;
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
                          srv_case_fn fn, void *arg, struct err *e)
{
	const char *sql = case_search_sql(hall != NULL, strpbrk(query, "0123456789") != NULL);

	return each_case(s, db_query(s->db, e, sql, "ssi", hall, query, limit), fn, arg, e);
}

/* on_event for each event of case id, in seq order.  0 or -1. */
static int each_case_event(struct srv_store *s, const char *id, srv_case_event_fn on_event,
                           void *arg, struct err *e)
{
	sqlite3_stmt *st = db_query(s->db, e,
	                            "SELECT uuid, seq, type, client_time, received_at FROM events"
	                            " WHERE case_id = ?1 ORDER BY seq",
	                            "s", id);
	struct srv_case_event ev;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = db_step(s->db, st, e)) == 1) {
		ev.uuid = db_col_text(st, 0);
		ev.seq = db_col_int(st, 1);
		ev.type = db_col_text(st, 2);
		ev.client_time = db_col_text(st, 3);
		ev.received_at = db_col_text(st, 4);
		if (on_event(&ev, arg) != 0)
			break;
	}
	db_done(s->db, st);
	return rc < 0 ? -1 : 0;
}

int srv_store_case_get(struct srv_store *s, const char *id, srv_case_fn on_case,
                       srv_case_event_fn on_event, void *arg, struct err *e)
{
	sqlite3_stmt *st =
	    db_query(s->db, e, "SELECT " CASE_COLS " FROM cases c WHERE c.id = ?1", "s", id);
	struct srv_case c;
	int found, stop = 0;

	if (st == NULL)
		return -1;
	found = db_step(s->db, st, e);
	if (found == 1) {
		read_case(st, &c);
		stop = on_case(&c, arg);
	}
	db_done(s->db, st);
	if (found != 1 || stop != 0)
		return found;
	return each_case_event(s, id, on_event, arg, e) < 0 ? -1 : 1;
}

int srv_store_change_add(struct srv_store *s, const char *hall, const char *kind,
                         const char *case_id, const char *event_uuid, const char *version,
                         const char *created_at, long long *cursor, struct err *e)
{
	if (db_run(s->db, e,
	           "INSERT INTO changes (hall, kind, case_id, event_uuid, version, created_at)"
	           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	           "ssssss", hall, kind, case_id, event_uuid, version, created_at) < 0)
		return -1;
	if (cursor != NULL)
		*cursor = db_last_rowid(s->db);
	return 0;
}

/* The change in the current row of the changes query below. */
static void read_change(sqlite3_stmt *st, struct srv_change *ch)
{
	ch->cursor = db_col_int(st, 0);
	ch->kind = db_col_text(st, 1);
	ch->case_id = db_col_text(st, 2);
	ch->version = db_col_text(st, 3);
	ch->case_no = db_col_text(st, 4);
	ch->event = db_col_text(st, 5);
	ch->received_at = db_col_text(st, 6);
	ch->official_no = db_col_text(st, 7);
}

int srv_store_changes(struct srv_store *s, const char *hall, long long since, int limit,
                      srv_change_fn fn, void *arg, bool *more, long long *next, struct err *e)
{
	/* an event that is gone reads as JSON null */
	sqlite3_stmt *st =
	    db_query(s->db, e,
	             "SELECT ch.cursor, ch.kind, ch.case_id, coalesce(ch.version, ''),"
	             " coalesce(c.case_no, ''), coalesce(ev.canonical, 'null'),"
	             " coalesce(ev.received_at, ''), coalesce(c.official_no, '')"
	             " FROM changes ch LEFT JOIN events ev ON ev.uuid = ch.event_uuid"
	             " LEFT JOIN cases c ON c.id = ch.case_id"
	             " WHERE ch.cursor > ?1 AND (ch.hall = ?2 OR ch.hall IS NULL)"
	             " ORDER BY ch.cursor LIMIT ?3",
	             "lsi", since, hall, limit + 1);
	struct srv_change ch;
	int rc, n = 0;

	*more = false;
	*next = since;
	if (st == NULL)
		return -1;
	while ((rc = db_step(s->db, st, e)) == 1) {
		if (n++ == limit) {
			*more = true;
			continue;
		}
		read_change(st, &ch);
		*next = ch.cursor;
		if (fn(&ch, arg) != 0) {
			*more = true;
			break;
		}
	}
	db_done(s->db, st);
	return rc < 0 ? -1 : 0;
}

int srv_store_document_put(struct srv_store *s, const char *kind, const char *version,
                           const char *body, const char *updated_at, struct err *e)
{
	return db_run(s->db, e,
	              "INSERT INTO documents (kind, version, body, updated_at)"
	              " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(kind) DO UPDATE SET"
	              " version = ?2, body = ?3, updated_at = ?4",
	              "ssss", kind, version, body, updated_at);
}

int srv_store_document_get(struct srv_store *s, const char *kind, char **version, char **body,
                           struct err *e)
{
	sqlite3_stmt *st =
	    db_query(s->db, e, "SELECT version, body FROM documents WHERE kind = ?1", "s", kind);
	int rc;

	*version = *body = NULL;
	if (st == NULL)
		return -1;
	rc = db_step(s->db, st, e);
	if (rc == 1) {
		*version = db_col_dup(st, 0);
		*body = db_col_dup(st, 1);
	}
	db_done(s->db, st);
	return rc;
}

int srv_store_case_each(struct srv_store *s, const char *hall, srv_case_fn fn, void *arg,
                        struct err *e)
{
	return each_case(s,
	                 db_query(s->db, e,
	                          "SELECT " CASE_COLS
	                          " FROM cases c WHERE ?1 IS NULL OR c.hall = ?1"
	                          " ORDER BY c.hall, c.received_at, c.rowid",
	                          "s", hall),
	                 fn, arg, e);
}
