#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/casestate.h"
#include "core/event.h"

struct store {
	sqlite3 *db;
};

/* Numbered migrations: entry i brings the schema from version i to i + 1.
 * Each runs in one transaction with the user_version bump. */
static const char *const migrations[] = {
    /* 0 -> 1: the first schema */
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE clerk (id TEXT PRIMARY KEY, name TEXT NOT NULL, hall TEXT NOT NULL,"
    "  hall_name TEXT NOT NULL, window TEXT NOT NULL, role TEXT NOT NULL,"
    "  pwhash TEXT NOT NULL, last_login TEXT NOT NULL);"
    "CREATE TABLE session (id INTEGER PRIMARY KEY CHECK (id = 1), clerk_id TEXT NOT NULL,"
    "  token TEXT NOT NULL, expires INTEGER NOT NULL);"
    "CREATE TABLE cases (id TEXT PRIMARY KEY, case_no TEXT NOT NULL UNIQUE,"
    "  item_code TEXT NOT NULL, item_name TEXT NOT NULL, applicant_name TEXT NOT NULL,"
    "  id_number TEXT NOT NULL, phone TEXT NOT NULL, fields TEXT NOT NULL,"
    "  state TEXT NOT NULL, clerk_id TEXT NOT NULL, hall TEXT NOT NULL,"
    "  window TEXT NOT NULL, last_seq INTEGER NOT NULL, created_at TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);"
    "CREATE TABLE events (uuid TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id),"
    "  seq INTEGER NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL,"
    "  created_at TEXT NOT NULL, UNIQUE (case_id, seq));"
    "CREATE TABLE outbox (pos INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  event_uuid TEXT NOT NULL UNIQUE REFERENCES events(uuid), case_id TEXT NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('waiting','sending','sent','problem')),"
    "  attempts INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '',"
    "  updated_at TEXT NOT NULL);"
    "CREATE INDEX outbox_state ON outbox (state, pos);"
    "CREATE TABLE case_seq (day TEXT NOT NULL, hall TEXT NOT NULL, window TEXT NOT NULL,"
    "  next INTEGER NOT NULL, PRIMARY KEY (day, hall, window));",
    /* 1 -> 2: counter decisions keep their printed notices; drafts survive a crash */
    "UPDATE cases SET state = 'received' WHERE state = 'created';"
    "CREATE TABLE notices (id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  case_id TEXT NOT NULL REFERENCES cases(id), kind TEXT NOT NULL,"
    "  event_uuid TEXT NOT NULL REFERENCES events(uuid), text TEXT NOT NULL,"
    "  created_at TEXT NOT NULL);"
    "CREATE INDEX notices_case ON notices (case_id, id);"
    "CREATE TABLE drafts (clerk_id TEXT PRIMARY KEY, body TEXT NOT NULL,"
    "  updated_at TEXT NOT NULL);",
    /* 2 -> 3: pulled changes: server events kept out of the outbox, decisions
     * for cases this machine does not hold */
    "ALTER TABLE events ADD COLUMN origin TEXT NOT NULL DEFAULT 'local';"
    "CREATE TABLE orphan_decisions (event_uuid TEXT PRIMARY KEY, case_id TEXT NOT NULL,"
    "  case_no TEXT NOT NULL, body TEXT NOT NULL, cursor INTEGER NOT NULL,"
    "  received_at TEXT NOT NULL);"
    "CREATE INDEX outbox_case ON outbox (case_id, state);",
    /* 3 -> 4: catalogue and calendar texts: the central copies sync downloads
     * and the last good bundled files */
    "CREATE TABLE data_cache (kind TEXT PRIMARY KEY, version TEXT NOT NULL,"
    "  body TEXT NOT NULL, fetched_at TEXT NOT NULL);",
    /* 4 -> 5: the official case number the server assigns, pulled as a change */
    "ALTER TABLE cases ADD COLUMN official_no TEXT NOT NULL DEFAULT '';",
};
_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
               "STORE_SCHEMA_VERSION must match the migrations");

static int db_fail(struct store *st, struct err *e, const char *what)
{
	err_set(e, "database: %s: %s", what, sqlite3_errmsg(st->db));
	return -1;
}

static int exec(struct store *st, const char *sql, struct err *e)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(e, "database: %s", msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int prepare(struct store *st, const char *sql, sqlite3_stmt **stmt, struct err *e)
{
	if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK)
		return db_fail(st, e, "prepare");
	return 0;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

static void col_copy(sqlite3_stmt *s, int i, char *dst, size_t n)
{
	const unsigned char *v = sqlite3_column_text(s, i);

	str_copy(dst, n, v ? (const char *)v : "");
}

/* Step a statement that returns no rows, then finalize it. */
static int step_done(struct store *st, sqlite3_stmt *s, struct err *e)
{
	int rc = sqlite3_step(s);

	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		err_set(e, "database: %s", sqlite3_errmsg(st->db));
		return -1;
	}
	return 0;
}

time_t store_clock_now(void)
{
	const char *off = getenv("TONGBAN_FAKE_CLOCK_OFFSET");

	return time(NULL) + (off && *off ? (time_t)strtoll(off, NULL, 10) : 0);
}

static void now_iso(char out[32])
{
	time_iso_shanghai(store_clock_now(), out);
}

static int migrate(struct store *st, struct err *e)
{
	sqlite3_stmt *s;
	int version, n = (int)(sizeof migrations / sizeof migrations[0]);

	if (prepare(st, "PRAGMA user_version", &s, e) < 0)
		return -1;
	version = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 0;
	sqlite3_finalize(s);
	if (version > n) {
		err_set(e, "database schema version %d is newer than this program (%d)", version,
		        n);
		return -1;
	}
	for (; version < n; version++) {
		char bump[64];

		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", version + 1);
		if (exec(st, "BEGIN IMMEDIATE", e) < 0)
			return -1;
		if (exec(st, migrations[version], e) < 0 || exec(st, bump, e) < 0) {
			exec(st, "ROLLBACK", NULL);
			return -1;
		}
		if (exec(st, "COMMIT", e) < 0)
			return -1;
	}
	return 0;
}

/* Create the file 0600 before SQLite does, so personal data is never world-readable. */
static int create_private(const char *path, struct err *e)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0) {
		err_set(e, "%s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

static int ensure_parent(const char *path, struct err *e)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = 0;

	if (slash && slash != dir) {
		*slash = '\0';
		rc = mkdir_p(dir, e);
	}
	free(dir);
	return rc;
}

struct store *store_open(const char *path, struct err *e)
{
	struct store *st = xcalloc(1, sizeof *st);

	if (ensure_parent(path, e) < 0 || create_private(path, e) < 0) {
		free(st);
		return NULL;
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		err_set(e, "%s: %s", path, st->db ? sqlite3_errmsg(st->db) : "cannot open");
		store_close(st);
		return NULL;
	}
	sqlite3_busy_timeout(st->db, 10000);
	if (exec(st, "PRAGMA journal_mode=WAL", e) < 0 ||
	    exec(st, "PRAGMA synchronous=FULL", e) < 0 ||
	    exec(st, "PRAGMA foreign_keys=ON", e) < 0 || migrate(st, e) < 0) {
		char msg[sizeof e->msg];

		str_copy(msg, sizeof msg, e ? e->msg : "");
		err_set(e, "%s: %s", path, msg);
		store_close(st);
		return NULL;
	}
	return st;
}

void store_close(struct store *st)
{
	if (st == NULL)
		return;
	sqlite3_close(st->db);
	free(st);
}

int store_clerk_save(struct store *st, const struct clerk *c, const char *pwhash, struct err *e)
{
	sqlite3_stmt *s;
	char now[32];

	if (prepare(
	        st,
	        "INSERT INTO clerk (id, name, hall, hall_name, window, role, pwhash, last_login)"
	        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO UPDATE SET"
	        " name = ?2, hall = ?3, hall_name = ?4, window = ?5, role = ?6, pwhash = ?7,"
	        " last_login = ?8",
	        &s, e) < 0)
		return -1;
	now_iso(now);
	bind_text(s, 1, c->id);
	bind_text(s, 2, c->name);
	bind_text(s, 3, c->hall);
	bind_text(s, 4, c->hall_name);
	bind_text(s, 5, c->window);
	bind_text(s, 6, c->role);
	bind_text(s, 7, pwhash);
	bind_text(s, 8, now);
	return step_done(st, s, e);
}

int store_clerk_get(struct store *st, const char *id, struct clerk *c, char *pwhash, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if (prepare(
	        st,
	        "SELECT id, name, hall, hall_name, window, role, pwhash FROM clerk WHERE id = ?1",
	        &s, e) < 0)
		return -1;
	bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(c, 0, sizeof *c);
		col_copy(s, 0, c->id, sizeof c->id);
		col_copy(s, 1, c->name, sizeof c->name);
		col_copy(s, 2, c->hall, sizeof c->hall);
		col_copy(s, 3, c->hall_name, sizeof c->hall_name);
		col_copy(s, 4, c->window, sizeof c->window);
		col_copy(s, 5, c->role, sizeof c->role);
		if (pwhash)
			col_copy(s, 6, pwhash, 128);
		sqlite3_finalize(s);
		return 1;
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(st, e, "clerk");
}

int store_session_set(struct store *st, const char *clerk_id, const char *token, long long expires,
                      struct err *e)
{
	sqlite3_stmt *s;

	if (prepare(st,
	            "INSERT OR REPLACE INTO session (id, clerk_id, token, expires)"
	            " VALUES (1, ?1, ?2, ?3)",
	            &s, e) < 0)
		return -1;
	bind_text(s, 1, clerk_id);
	bind_text(s, 2, token);
	sqlite3_bind_int64(s, 3, expires);
	return step_done(st, s, e);
}

int store_session_get(struct store *st, char *clerk_id, char *token, long long *expires,
                      struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if (prepare(st, "SELECT clerk_id, token, expires FROM session WHERE id = 1", &s, e) < 0)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (clerk_id)
			col_copy(s, 0, clerk_id, 64);
		if (token)
			col_copy(s, 1, token, 128);
		if (expires)
			*expires = sqlite3_column_int64(s, 2);
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(st, e, "session");
}

int store_session_clear(struct store *st, struct err *e)
{
	return exec(st, "DELETE FROM session", e);
}

/* Next number of the day for this window; inside the caller's transaction. */
static int next_case_seq(struct store *st, const char *day, const struct clerk *c, int *seq,
                         struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if (prepare(st,
	            "INSERT INTO case_seq (day, hall, window, next) VALUES (?1, ?2, ?3, 2)"
	            " ON CONFLICT (day, hall, window) DO UPDATE SET next = next + 1"
	            " RETURNING next - 1",
	            &s, e) < 0)
		return -1;
	bind_text(s, 1, day);
	bind_text(s, 2, c->hall);
	bind_text(s, 3, c->window);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*seq = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return db_fail(st, e, "case number");
	return 0;
}

/* The "created" event's payload: case number, item and the applicant form.
 * NULL when fields_json is not a JSON object.  Caller frees. */
static char *created_payload(const struct case_new *c, const char *case_no)
{
	struct json_object *p, *fields = json_tokener_parse(c->fields_json);
	char *out;

	if (fields == NULL || !json_object_is_type(fields, json_type_object)) {
		json_object_put(fields);
		return NULL;
	}
	p = json_object_new_object();
	json_object_object_add(p, "case_no", json_object_new_string(case_no));
	json_object_object_add(p, "item_code", json_object_new_string(c->item_code));
	json_object_object_add(p, "item_name", json_object_new_string(c->item_name));
	json_object_object_add(p, "applicant", fields);
	out = xstrdup(json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN |
	                                                    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(p);
	return out;
}

static int insert_case(struct store *st, const struct case_new *c, const struct case_row *r,
                       const char *now, struct err *e)
{
	sqlite3_stmt *s;

	if (prepare(
	        st,
	        "INSERT INTO cases (id, case_no, item_code, item_name, applicant_name,"
	        " id_number, phone, fields, state, clerk_id, hall, window, last_seq,"
	        " created_at, updated_at)"
	        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'received', ?9, ?10, ?11, 1, ?12, ?12)",
	        &s, e) < 0)
		return -1;
	bind_text(s, 1, r->id);
	bind_text(s, 2, r->case_no);
	bind_text(s, 3, c->item_code);
	bind_text(s, 4, c->item_name);
	bind_text(s, 5, c->name);
	bind_text(s, 6, c->id_number);
	bind_text(s, 7, c->phone);
	bind_text(s, 8, c->fields_json);
	bind_text(s, 9, c->clerk->id);
	bind_text(s, 10, c->clerk->hall);
	bind_text(s, 11, c->clerk->window);
	bind_text(s, 12, now);
	return step_done(st, s, e);
}

/* Append an event and queue it in the outbox; inside the caller's transaction. */
static int insert_event(struct store *st, const struct case_event *ev, const char *body,
                        const char *now, struct err *e)
{
	sqlite3_stmt *s;

	if (prepare(st,
	            "INSERT INTO events (uuid, case_id, seq, type, body, created_at)"
	            " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	            &s, e) < 0)
		return -1;
	bind_text(s, 1, ev->uuid);
	bind_text(s, 2, ev->case_id);
	sqlite3_bind_int(s, 3, ev->seq);
	bind_text(s, 4, ev->type);
	bind_text(s, 5, body);
	bind_text(s, 6, now);
	if (step_done(st, s, e) < 0)
		return -1;
	if (prepare(st,
	            "INSERT INTO outbox (event_uuid, case_id, state, updated_at)"
	            " VALUES (?1, ?2, 'waiting', ?3)",
	            &s, e) < 0)
		return -1;
	bind_text(s, 1, ev->uuid);
	bind_text(s, 2, ev->case_id);
	bind_text(s, 3, now);
	return step_done(st, s, e);
}

/* Everything store_case_create writes, between BEGIN and COMMIT. */
static int case_create_tx(struct store *st, const struct case_new *c, struct case_row *r,
                          struct err *e)
{
	struct case_event ev;
	char now[32], day[9], *payload = NULL, *body = NULL;
	int seq, rc = -1;
	time_t t = store_clock_now();

	now_iso(now);
	snprintf(day, sizeof day, "%.4s%.2s%.2s", now, now + 5, now + 8);
	if (next_case_seq(st, day, c->clerk, &seq, e) < 0)
		return -1;
	memset(r, 0, sizeof *r);
	uuid_make(r->id);
	case_no_make(r->case_no, sizeof r->case_no, c->clerk->hall, c->clerk->window, day, seq);
	payload = created_payload(c, r->case_no);
	if (payload == NULL) {
		err_set(e, "applicant form is not a JSON object");
		return -1;
	}
	memset(&ev, 0, sizeof ev);
	uuid_make(ev.uuid);
	str_copy(ev.case_id, sizeof ev.case_id, r->id);
	ev.seq = 1;
	ev.type = "created";
	ev.hall = c->clerk->hall;
	ev.window = c->clerk->window;
	ev.clerk = c->clerk->id;
	time_iso_shanghai(t, ev.client_time);
	ev.payload_json = payload;
	body = event_to_json(&ev);
	if (body && insert_case(st, c, r, now, e) == 0 && insert_event(st, &ev, body, now, e) == 0)
		rc = 0;
	free(payload);
	free(body);
	if (rc == 0) {
		str_copy(r->item_code, sizeof r->item_code, c->item_code);
		str_copy(r->item_name, sizeof r->item_name, c->item_name);
		str_copy(r->name, sizeof r->name, c->name);
		str_copy(r->id_number, sizeof r->id_number, c->id_number);
		str_copy(r->phone, sizeof r->phone, c->phone);
		str_copy(r->state, sizeof r->state, "received");
		str_copy(r->created_at, sizeof r->created_at, now);
	}
	return rc;
}

int store_case_create(struct store *st, const struct case_new *c, struct case_row *out,
                      struct err *e)
{
	if (exec(st, "BEGIN IMMEDIATE", e) < 0)
		return -1;
	if (case_create_tx(st, c, out, e) < 0) {
		exec(st, "ROLLBACK", NULL);
		return -1;
	}
	return exec(st, "COMMIT", e);
}

#define CASE_COLUMNS                                                                               \
	"id, case_no, item_code, item_name, applicant_name, id_number, phone, state, created_at,"  \
	" official_no"

static void case_from_row(sqlite3_stmt *s, struct case_row *r)
{
	memset(r, 0, sizeof *r);
	col_copy(s, 0, r->id, sizeof r->id);
	col_copy(s, 1, r->case_no, sizeof r->case_no);
	col_copy(s, 2, r->item_code, sizeof r->item_code);
	col_copy(s, 3, r->item_name, sizeof r->item_name);
	col_copy(s, 4, r->name, sizeof r->name);
	col_copy(s, 5, r->id_number, sizeof r->id_number);
	col_copy(s, 6, r->phone, sizeof r->phone);
	col_copy(s, 7, r->state, sizeof r->state);
	col_copy(s, 8, r->created_at, sizeof r->created_at);
	col_copy(s, 9, r->official_no, sizeof r->official_no);
}

int store_case_get(struct store *st, const char *id_or_no, struct case_row *out, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if (prepare(st, "SELECT " CASE_COLUMNS " FROM cases WHERE id = ?1 OR case_no = ?1", &s, e) <
	    0)
		return -1;
	bind_text(s, 1, id_or_no);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		case_from_row(s, out);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(st, e, "case");
}

int store_case_recent(struct store *st, struct case_row *out, int max, struct err *e)
{
	sqlite3_stmt *s;
	int n = 0, rc;

	if (prepare(st,
	            "SELECT " CASE_COLUMNS " FROM cases ORDER BY created_at DESC, rowid DESC"
	            " LIMIT ?1",
	            &s, e) < 0)
		return -1;
	sqlite3_bind_int(s, 1, max);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && n < max)
		case_from_row(s, &out[n++]);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(st, e, "cases");
	return n;
}

int store_outbox_counts(struct store *st, struct outbox_counts *c, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if (prepare(st,
	            "SELECT COALESCE(SUM(state IN ('waiting','sending')), 0),"
	            " COALESCE(SUM(state = 'problem'), 0), COALESCE(SUM(state = 'sent'), 0)"
	            " FROM outbox",
	            &s, e) < 0)
		return -1;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		c->waiting = sqlite3_column_int(s, 0);
		c->problems = sqlite3_column_int(s, 1);
		c->sent = sqlite3_column_int(s, 2);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return db_fail(st, e, "outbox");
	return 0;
}

/* Mark the batch's events "sending"; inside the caller's transaction. */
static int mark_sending(struct store *st, const struct outbox_batch *b, struct err *e)
{
	sqlite3_stmt *s;
	size_t i;

	if (prepare(st,
	            "UPDATE outbox SET state = 'sending', attempts = attempts + 1"
	            " WHERE event_uuid = ?1",
	            &s, e) < 0)
		return -1;
	for (i = 0; i < b->n; i++) {
		sqlite3_reset(s);
		bind_text(s, 1, b->items[i].uuid);
		if (sqlite3_step(s) != SQLITE_DONE) {
			db_fail(st, e, "outbox");
			sqlite3_finalize(s);
			return -1;
		}
	}
	sqlite3_finalize(s);
	return 0;
}

static int outbox_take_tx(struct store *st, size_t max, struct outbox_batch *b, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if (prepare(st,
	            "SELECT o.event_uuid, o.case_id, ev.body FROM outbox o"
	            " JOIN events ev ON ev.uuid = o.event_uuid"
	            " WHERE o.state = 'waiting' AND NOT EXISTS (SELECT 1 FROM outbox q"
	            "   WHERE q.case_id = o.case_id AND q.state IN ('problem', 'sending'))"
	            " ORDER BY o.pos LIMIT ?1",
	            &s, e) < 0)
		return -1;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)max);
	b->items = xcalloc(max ? max : 1, sizeof *b->items);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct outbox_item *it = &b->items[b->n++];

		col_copy(s, 0, it->uuid, sizeof it->uuid);
		col_copy(s, 1, it->case_id, sizeof it->case_id);
		it->body = xstrdup((const char *)sqlite3_column_text(s, 2));
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_fail(st, e, "outbox");
	if (b->n == 0)
		return 0;
	return mark_sending(st, b, e);
}

int store_outbox_take(struct store *st, size_t max, struct outbox_batch *b, struct err *e)
{
	memset(b, 0, sizeof *b);
	if (exec(st, "BEGIN IMMEDIATE", e) < 0)
		return -1;
	if (outbox_take_tx(st, max, b, e) < 0) {
		exec(st, "ROLLBACK", NULL);
		store_outbox_batch_free(b);
		return -1;
	}
	if (exec(st, "COMMIT", e) < 0) {
		store_outbox_batch_free(b);
		return -1;
	}
	return (int)b->n;
}

void store_outbox_batch_free(struct outbox_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->items[i].body);
	free(b->items);
	b->items = NULL;
	b->n = 0;
}

int store_outbox_result(struct store *st, const char *uuid, const char *status, const char *reason,
                        struct err *e)
{
	sqlite3_stmt *s;
	const char *state;
	char now[32];

	if (strcmp(status, "applied") == 0 || strcmp(status, "duplicate") == 0)
		state = "sent";
	else if (strcmp(status, "conflict") == 0 || strcmp(status, "rejected") == 0)
		state = "problem";
	else
		state = "waiting";
	if (prepare(st,
	            "UPDATE outbox SET state = ?2, reason = ?3, updated_at = ?4"
	            " WHERE event_uuid = ?1 AND state = 'sending'",
	            &s, e) < 0)
		return -1;
	now_iso(now);
	bind_text(s, 1, uuid);
	bind_text(s, 2, state);
	if (strcmp(state, "problem") == 0)
		bind_text(s, 3, reason ? reason : status);
	else
		bind_text(s, 3, "");
	bind_text(s, 4, now);
	return step_done(st, s, e);
}

int store_outbox_requeue(struct store *st, struct err *e)
{
	return exec(st, "UPDATE outbox SET state = 'waiting' WHERE state = 'sending'", e);
}

int store_meta_set(struct store *st, const char *key, const char *value, struct err *e)
{
	sqlite3_stmt *s;

	if (prepare(st, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", &s, e) < 0)
		return -1;
	bind_text(s, 1, key);
	bind_text(s, 2, value);
	return step_done(st, s, e);
}

int store_meta_get(struct store *st, const char *key, char *value, size_t n, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if (prepare(st, "SELECT value FROM meta WHERE key = ?1", &s, e) < 0)
		return -1;
	bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		col_copy(s, 0, value, n);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(st, e, "meta");
}

/* The case's hall, window and last seq; inside the caller's transaction. */
static int case_last_seq(struct store *st, const char *case_id, int *seq, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if (prepare(st, "SELECT last_seq FROM cases WHERE id = ?1", &s, e) < 0)
		return -1;
	bind_text(s, 1, case_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*seq = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE) {
		err_set(e, "case %s not found", case_id);
		return -1;
	}
	return db_fail(st, e, "case");
}

static int save_notice(struct store *st, const struct case_change *c, const char *uuid,
                       const char *now, struct err *e)
{
	sqlite3_stmt *s;

	if (prepare(st,
	            "INSERT INTO notices (case_id, kind, event_uuid, text, created_at)"
	            " VALUES (?1, ?2, ?3, ?4, ?5)",
	            &s, e) < 0)
		return -1;
	bind_text(s, 1, c->case_id);
	bind_text(s, 2, c->notice_kind);
	bind_text(s, 3, uuid);
	bind_text(s, 4, c->notice_text);
	bind_text(s, 5, now);
	return step_done(st, s, e);
}

static int append_one(struct store *st, const struct case_change *c, struct err *e)
{
	struct case_event ev;
	sqlite3_stmt *s;
	char now[32], *body;
	int seq, rc;

	if (case_last_seq(st, c->case_id, &seq, e) < 0)
		return -1;
	now_iso(now);
	memset(&ev, 0, sizeof ev);
	uuid_make(ev.uuid);
	str_copy(ev.case_id, sizeof ev.case_id, c->case_id);
	ev.seq = seq + 1;
	ev.type = c->type;
	ev.hall = c->clerk->hall;
	ev.window = c->clerk->window;
	ev.clerk = c->clerk->id;
	str_copy(ev.client_time, sizeof ev.client_time, now);
	ev.payload_json = c->payload_json ? c->payload_json : "{}";
	body = event_to_json(&ev);
	if (body == NULL) {
		err_set(e, "event payload is not a JSON object");
		return -1;
	}
	rc = insert_event(st, &ev, body, now, e);
	free(body);
	if (rc < 0)
		return -1;
	if (prepare(st, "UPDATE cases SET last_seq = ?2, state = ?3, updated_at = ?4 WHERE id = ?1",
	            &s, e) < 0)
		return -1;
	bind_text(s, 1, c->case_id);
	sqlite3_bind_int(s, 2, ev.seq);
	bind_text(s, 3, c->new_state);
	bind_text(s, 4, now);
	if (step_done(st, s, e) < 0)
		return -1;
	if (c->notice_kind && c->notice_text)
		return save_notice(st, c, ev.uuid, now, e);
	return 0;
}

int store_case_append(struct store *st, const struct case_change *changes, size_t n, struct err *e)
{
	size_t i;

	if (exec(st, "BEGIN IMMEDIATE", e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (append_one(st, &changes[i], e) < 0) {
			exec(st, "ROLLBACK", NULL);
			return -1;
		}
	}
	return exec(st, "COMMIT", e);
}

/*
 * The first column of the first row of sql, with ?1 = a1 and ?2 = a2 (a2 may
 * be NULL when sql has one parameter): 1 with *out (caller frees; NULL when
 * the column is NULL), 0 when there is no row, -1 on error.
 */
static int one_text(struct store *st, const char *sql, const char *a1, const char *a2, char **out,
                    const char *what, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	if (prepare(st, sql, &s, e) < 0)
		return -1;
	bind_text(s, 1, a1);
	if (a2)
		bind_text(s, 2, a2);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_text(s, 0))
		*out = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(st, e, what);
}

int store_case_last_payload(struct store *st, const char *case_id, const char *type, char **payload,
                            struct err *e)
{
	int rc = one_text(st,
	                  "SELECT json_extract(body, '$.payload') FROM events"
	                  " WHERE case_id = ?1 AND type = ?2 ORDER BY seq DESC LIMIT 1",
	                  case_id, type, payload, "events", e);

	return rc == 1 && *payload == NULL ? 0 : rc;
}

int store_case_fields(struct store *st, const char *case_id, char **fields_json, struct err *e)
{
	return one_text(st, "SELECT fields FROM cases WHERE id = ?1", case_id, NULL, fields_json,
	                "case", e);
}

int store_notice_latest(struct store *st, const char *id_or_no, const char *kind, char **text,
                        char *kind_out, size_t kind_n, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	*text = NULL;
	if (prepare(st,
	            "SELECT n.text, n.kind FROM notices n JOIN cases c ON c.id = n.case_id"
	            " WHERE (c.id = ?1 OR c.case_no = ?1) AND (?2 = '' OR n.kind = ?2)"
	            " ORDER BY n.id DESC LIMIT 1",
	            &s, e) < 0)
		return -1;
	bind_text(s, 1, id_or_no);
	bind_text(s, 2, kind ? kind : "");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*text = xstrdup((const char *)sqlite3_column_text(s, 0));
		if (kind_out)
			col_copy(s, 1, kind_out, kind_n);
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(st, e, "notices");
}

int store_draft_save(struct store *st, const char *clerk_id, const char *body, struct err *e)
{
	sqlite3_stmt *s;
	char now[32];

	if (prepare(st,
	            "INSERT OR REPLACE INTO drafts (clerk_id, body, updated_at)"
	            " VALUES (?1, ?2, ?3)",
	            &s, e) < 0)
		return -1;
	now_iso(now);
	bind_text(s, 1, clerk_id);
	bind_text(s, 2, body);
	bind_text(s, 3, now);
	return step_done(st, s, e);
}

int store_draft_load(struct store *st, const char *clerk_id, char **body, struct err *e)
{
	return one_text(st, "SELECT body FROM drafts WHERE clerk_id = ?1", clerk_id, NULL, body,
	                "drafts", e);
}

int store_draft_clear(struct store *st, const char *clerk_id, struct err *e)
{
	sqlite3_stmt *s;

	if (prepare(st, "DELETE FROM drafts WHERE clerk_id = ?1", &s, e) < 0)
		return -1;
	bind_text(s, 1, clerk_id);
	return step_done(st, s, e);
}

int store_outbox_problems(struct store *st, struct outbox_problem *out, int max, struct err *e)
{
	sqlite3_stmt *s;
	int n = 0, rc;

	if (prepare(st,
	            "SELECT o.case_id, coalesce(c.case_no, ''), o.event_uuid, ev.seq, ev.type,"
	            " o.reason, o.updated_at, (SELECT COUNT(*) FROM outbox w"
	            "   WHERE w.case_id = o.case_id AND w.state = 'waiting')"
	            " FROM outbox o JOIN events ev ON ev.uuid = o.event_uuid"
	            " LEFT JOIN cases c ON c.id = o.case_id"
	            " WHERE o.state = 'problem' ORDER BY o.pos LIMIT ?1",
	            &s, e) < 0)
		return -1;
	sqlite3_bind_int(s, 1, max);
	while (n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct outbox_problem *p = &out[n++];

		memset(p, 0, sizeof *p);
		col_copy(s, 0, p->case_id, sizeof p->case_id);
		col_copy(s, 1, p->case_no, sizeof p->case_no);
		col_copy(s, 2, p->event_uuid, sizeof p->event_uuid);
		p->seq = sqlite3_column_int(s, 3);
		col_copy(s, 4, p->type, sizeof p->type);
		col_copy(s, 5, p->reason, sizeof p->reason);
		col_copy(s, 6, p->time, sizeof p->time);
		p->held_back = sqlite3_column_int(s, 7);
	}
	if (n < max && rc != SQLITE_DONE) {
		db_fail(st, e, "outbox");
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	return n;
}

int store_outbox_retry_case(struct store *st, const char *case_id, struct err *e)
{
	sqlite3_stmt *s;
	char now[32];

	if (prepare(st,
	            "UPDATE outbox SET state = 'waiting', reason = '', updated_at = ?2"
	            " WHERE case_id = ?1 AND state = 'problem'",
	            &s, e) < 0)
		return -1;
	now_iso(now);
	bind_text(s, 1, case_id);
	bind_text(s, 2, now);
	if (step_done(st, s, e) < 0)
		return -1;
	return sqlite3_changes(st->db);
}

/* Run one statement with up to three text parameters and an int as ?4. */
static int run_bound(struct store *st, const char *sql, const char *a, const char *b, const char *c,
                     long long n, struct err *e)
{
	sqlite3_stmt *s;

	if (prepare(st, sql, &s, e) < 0)
		return -1;
	if (a)
		bind_text(s, 1, a);
	if (b)
		bind_text(s, 2, b);
	if (c)
		bind_text(s, 3, c);
	sqlite3_bind_int64(s, 4, n);
	return step_done(st, s, e);
}

/* The fields of a pulled "decided" event. */
struct decided {
	const char *uuid;
	const char *outcome;
	int seq;
};

static int decided_parse(struct json_object *o, struct decided *d)
{
	struct json_object *v, *payload;

	memset(d, 0, sizeof *d);
	if (o == NULL || !json_object_object_get_ex(o, "uuid", &v) ||
	    !json_object_is_type(v, json_type_string) || !uuid_is_valid(json_object_get_string(v)))
		return -1;
	d->uuid = json_object_get_string(v);
	if (!json_object_object_get_ex(o, "seq", &v) || !json_object_is_type(v, json_type_int) ||
	    json_object_get_int(v) < 1)
		return -1;
	d->seq = json_object_get_int(v);
	if (json_object_object_get_ex(o, "payload", &payload) &&
	    json_object_object_get_ex(payload, "outcome", &v) &&
	    json_object_is_type(v, json_type_string))
		d->outcome = json_object_get_string(v);
	return d->outcome ? 0 : -1;
}

/* 1 when a row matches the query with ?1 = a, 0 when none, -1 on error. */
static int exists(struct store *st, const char *sql, const char *a, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if (prepare(st, sql, &s, e) < 0)
		return -1;
	bind_text(s, 1, a);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(st, e, "exists");
}

/* Move the case's unsent own events at or after seq one place up, so the
 * server's event takes seq; the ones the server refused as "out of order"
 * go back to waiting. */
static int renumber_after(struct store *st, const char *case_id, int seq, struct err *e)
{
	if (run_bound(st,
	              "UPDATE events SET seq = -(seq + 1), body = json_set(body, '$.seq', seq + 1)"
	              " WHERE case_id = ?1 AND seq >= ?4 AND origin = 'local' AND uuid IN"
	              " (SELECT event_uuid FROM outbox WHERE case_id = ?1 AND state != 'sent')",
	              case_id, NULL, NULL, seq, e) < 0 ||
	    run_bound(st, "UPDATE events SET seq = -seq WHERE case_id = ?1 AND seq < 0", case_id,
	              NULL, NULL, 0, e) < 0)
		return -1;
	return run_bound(st,
	                 "UPDATE outbox SET state = 'waiting', reason = '' WHERE case_id = ?1"
	                 " AND state = 'problem' AND reason LIKE '%out of order%'",
	                 case_id, NULL, NULL, 0, e);
}

/* The case's state after the decision and the own events that follow it. */
static int state_after(struct store *st, const char *case_id, const struct decided *d,
                       enum case_state *to, struct err *e)
{
	sqlite3_stmt *s;
	enum case_state from;
	char cur[32] = "";
	int rc;

	if (prepare(st, "SELECT state FROM cases WHERE id = ?1", &s, e) < 0)
		return -1;
	bind_text(s, 1, case_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		col_copy(s, 0, cur, sizeof cur);
	sqlite3_finalize(s);
	if (casestate_from_name(cur, &from) < 0 ||
	    casestate_next(from, CEV_DECIDED, d->outcome, to, NULL, 0) < 0)
		*to = strcmp(d->outcome, CASE_OUTCOME_APPROVE) == 0 ? CS_APPROVED : CS_DENIED;
	if (prepare(st,
	            "SELECT type, json_extract(body, '$.payload.outcome') FROM events"
	            " WHERE case_id = ?1 AND seq > ?2 ORDER BY seq",
	            &s, e) < 0)
		return -1;
	bind_text(s, 1, case_id);
	sqlite3_bind_int(s, 2, d->seq);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		enum case_event_type ev;
		enum case_state next;
		const char *outcome = (const char *)sqlite3_column_text(s, 1);

		if (case_event_from_name((const char *)sqlite3_column_text(s, 0), &ev) == 0 &&
		    casestate_next(*to, ev, outcome, &next, NULL, 0) == 0)
			*to = next;
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : db_fail(st, e, "events");
}

static int insert_server_event(struct store *st, const char *case_id, const struct decided *d,
                               const char *body, const char *now, struct err *e)
{
	sqlite3_stmt *s;

	if (prepare(st,
	            "INSERT INTO events (uuid, case_id, seq, type, body, created_at, origin)"
	            " VALUES (?1, ?2, ?3, 'decided', ?4, ?5, 'server')",
	            &s, e) < 0)
		return -1;
	bind_text(s, 1, d->uuid);
	bind_text(s, 2, case_id);
	sqlite3_bind_int(s, 3, d->seq);
	bind_text(s, 4, body);
	bind_text(s, 5, now);
	return step_done(st, s, e);
}

static int keep_orphan(struct store *st, const struct store_change *c, const struct decided *d,
                       const char *now, struct err *e)
{
	sqlite3_stmt *s;

	if (prepare(st,
	            "INSERT OR IGNORE INTO orphan_decisions (event_uuid, case_id, case_no, body,"
	            " cursor, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	            &s, e) < 0)
		return -1;
	bind_text(s, 1, d->uuid);
	bind_text(s, 2, c->case_id);
	bind_text(s, 3, c->case_no);
	bind_text(s, 4, c->event_json);
	sqlite3_bind_int64(s, 5, c->cursor);
	bind_text(s, 6, now);
	return step_done(st, s, e);
}

static int apply_decision(struct store *st, const struct store_change *c,
                          struct store_apply_result *r, struct err *e)
{
	struct json_object *o = c->event_json ? json_tokener_parse(c->event_json) : NULL;
	struct decided d;
	enum case_state to;
	char now[32];
	int rc = -1, have;

	now_iso(now);
	if (c->case_id == NULL || decided_parse(o, &d) < 0) {
		err_set(e, "change %lld: malformed decision", c->cursor);
		goto out;
	}
	if ((have = exists(st, "SELECT 1 FROM events WHERE uuid = ?1", d.uuid, e)) != 0) {
		rc = have < 0 ? -1 : 0;
		r->skipped += have > 0;
		goto out;
	}
	if ((have = exists(st, "SELECT 1 FROM cases WHERE id = ?1", c->case_id, e)) <= 0) {
		rc = have < 0 ? -1 : keep_orphan(st, c, &d, now, e);
		r->unknown_cases += rc == 0;
		goto out;
	}
	if (renumber_after(st, c->case_id, d.seq, e) < 0 ||
	    insert_server_event(st, c->case_id, &d, c->event_json, now, e) < 0 ||
	    state_after(st, c->case_id, &d, &to, e) < 0 ||
	    run_bound(st,
	              "UPDATE cases SET state = ?2, updated_at = ?3, last_seq ="
	              " (SELECT MAX(seq) FROM events WHERE case_id = ?1) WHERE id = ?1",
	              c->case_id, casestate_name(to), now, 0, e) < 0)
		goto out;
	r->decisions++;
	rc = 0;
out:
	json_object_put(o);
	return rc;
}

/* Keep the server's official number on its case; a case this machine does
 * not hold is ignored (its number comes again with a full resync). */
static int apply_official_no(struct store *st, const struct store_change *c,
                             struct store_apply_result *r, struct err *e)
{
	sqlite3_stmt *s;

	if (c->case_id == NULL || c->official_no == NULL || c->official_no[0] == '\0') {
		err_set(e, "change %lld: malformed official number", c->cursor);
		return -1;
	}
	if (prepare(st, "UPDATE cases SET official_no = ?2 WHERE id = ?1", &s, e) < 0)
		return -1;
	bind_text(s, 1, c->case_id);
	bind_text(s, 2, c->official_no);
	if (step_done(st, s, e) < 0)
		return -1;
	r->official_nos += sqlite3_changes(st->db) > 0;
	return 0;
}

/* Note a new catalogue or calendar version for the UI to fetch. */
static int note_version(struct store *st, const char *what, const char *version, struct err *e)
{
	char key[64];

	snprintf(key, sizeof key, "%s_version", what);
	if (store_meta_set(st, key, version ? version : "", e) < 0)
		return -1;
	snprintf(key, sizeof key, "%s_update_waiting", what);
	return store_meta_set(st, key, "1", e);
}

static int apply_change(struct store *st, const struct store_change *c,
                        struct store_apply_result *r, struct err *e)
{
	switch (c->kind) {
	case STORE_CHANGE_DECISION:
		return apply_decision(st, c, r, e);
	case STORE_CHANGE_CATALOGUE:
		r->catalogue++;
		return note_version(st, "catalogue", c->version, e);
	case STORE_CHANGE_CALENDAR:
		r->calendar++;
		return note_version(st, "calendar", c->version, e);
	case STORE_CHANGE_CASE_NO:
		return apply_official_no(st, c, r, e);
	default:
		return 0;
	}
}

int store_changes_cursor(struct store *st, long long *cursor, struct err *e)
{
	char v[32] = "";
	int rc = store_meta_get(st, "changes_cursor", v, sizeof v, e);

	*cursor = rc == 1 ? strtoll(v, NULL, 10) : 0;
	return rc < 0 ? -1 : 0;
}

static int changes_apply_tx(struct store *st, const struct store_change *c, size_t n,
                            long long next_cursor, struct store_apply_result *r, struct err *e)
{
	long long cursor;
	char v[32];
	size_t i;

	if (store_changes_cursor(st, &cursor, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (c[i].cursor <= cursor) {
			r->skipped++;
			continue;
		}
		if (apply_change(st, &c[i], r, e) < 0)
			return -1;
	}
	if (next_cursor <= cursor)
		return 0;
	snprintf(v, sizeof v, "%lld", next_cursor);
	return store_meta_set(st, "changes_cursor", v, e);
}

int store_changes_apply(struct store *st, const struct store_change *c, size_t n,
                        long long next_cursor, struct store_apply_result *r, struct err *e)
{
	struct store_apply_result local;

	if (r == NULL)
		r = &local;
	memset(r, 0, sizeof *r);
	if (exec(st, "BEGIN IMMEDIATE", e) < 0)
		return -1;
	if (changes_apply_tx(st, c, n, next_cursor, r, e) < 0) {
		exec(st, "ROLLBACK", NULL);
		memset(r, 0, sizeof *r);
		return -1;
	}
	return exec(st, "COMMIT", e);
}

int store_updates_waiting(struct store *st, bool *catalogue, bool *calendar, struct err *e)
{
	char v[8] = "";
	int rc;

	if (catalogue) {
		if ((rc = store_meta_get(st, "catalogue_update_waiting", v, sizeof v, e)) < 0)
			return -1;
		*catalogue = rc == 1 && strcmp(v, "1") == 0;
	}
	if (calendar) {
		if ((rc = store_meta_get(st, "calendar_update_waiting", v, sizeof v, e)) < 0)
			return -1;
		*calendar = rc == 1 && strcmp(v, "1") == 0;
	}
	return 0;
}

int store_orphan_decisions(struct store *st, struct err *e)
{
	sqlite3_stmt *s;
	int n = -1;

	if (prepare(st, "SELECT COUNT(*) FROM orphan_decisions", &s, e) < 0)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	else
		db_fail(st, e, "orphan_decisions");
	sqlite3_finalize(s);
	return n;
}

int store_data_put(struct store *st, const char *kind, const char *version, const char *body,
                   struct err *e)
{
	sqlite3_stmt *s;
	char now[32];

	if (prepare(
	        st,
	        "INSERT INTO data_cache (kind, version, body, fetched_at) VALUES (?1, ?2, ?3, ?4)"
	        " ON CONFLICT (kind) DO UPDATE SET version = ?2, body = ?3, fetched_at = ?4",
	        &s, e) < 0)
		return -1;
	now_iso(now);
	bind_text(s, 1, kind);
	bind_text(s, 2, version);
	bind_text(s, 3, body);
	bind_text(s, 4, now);
	return step_done(st, s, e);
}

/* Everything store_data_fetched writes, between BEGIN and COMMIT. */
static int data_fetched_tx(struct store *st, const char *kind, const char *version,
                           const char *body, struct err *e)
{
	char key[64];

	if (body && store_data_put(st, kind, version, body, e) < 0)
		return -1;
	snprintf(key, sizeof key, "%s_update_waiting", kind);
	return store_meta_set(st, key, "0", e);
}

int store_data_fetched(struct store *st, const char *kind, const char *version, const char *body,
                       struct err *e)
{
	if (exec(st, "BEGIN IMMEDIATE", e) < 0)
		return -1;
	if (data_fetched_tx(st, kind, version, body, e) < 0) {
		exec(st, "ROLLBACK", NULL);
		return -1;
	}
	return exec(st, "COMMIT", e);
}

int store_data_get(struct store *st, const char *kind, char *version, size_t n, char **body,
                   struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	if (body)
		*body = NULL;
	if (prepare(st, "SELECT version, body FROM data_cache WHERE kind = ?1", &s, e) < 0)
		return -1;
	bind_text(s, 1, kind);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (version)
			col_copy(s, 0, version, n);
		if (body)
			*body = xstrdup((const char *)sqlite3_column_text(s, 1));
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(st, e, "data_cache");
}
