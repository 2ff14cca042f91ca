/*
 * srv_store.c - tongband's database, on the server's database layer
 * (srv_db.h).
 */
#include "server/srv_store.h"

#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "server/srv_audit.h"
#include "server/srv_db.h"
#include "server/srv_schema.h"
#include "server/srv_store_int.h"

struct srv_store {
	struct srv_db *db;
	bool audit_waits; /* the open transaction wrote a row for the audit chain */
};

struct srv_db *srv_store_db(struct srv_store *s)
{
	return s->db;
}

void srv_store_audit_waits(struct srv_store *s)
{
	s->audit_waits = true;
}

/* srv_db_tx on the store's connection; once a transaction of its own has
 * committed, the audit rows it wrote go on the chain (srv_audit_chain: a
 * failure there leaves them to the next commit). */
static int store_db_tx(struct srv_store *s, srv_db_tx_fn fn, void *arg, struct err *e)
{
	bool nested = srv_db_in_tx(s->db);
	int rc = srv_db_tx(s->db, fn, arg, e);

	if (nested)
		return rc;
	if (rc == 0 && s->audit_waits)
		srv_audit_chain(s, NULL);
	s->audit_waits = false;
	return rc;
}

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
    /* 5: the supervisor role (the users table is rebuilt for its CHECK, the
     * sessions kept); what the server keeps of a case's life (tongband-api(7)):
     * its first counter decision, promised date and the day its time limit
     * ended, for the statistics; the release (出件), the rating (好差评) and its
     * follow-up (整改), the revocation (撤销) with the applicant's credit record
     * (失信记录), the withdrawal (视为放弃); all of it filled from the events
     * already kept.
     * Dates are the hall's (+08:00) dates of the events' client times. */
    "CREATE TABLE users_new ("
    " id TEXT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " hall TEXT NOT NULL,"
    " hall_name TEXT NOT NULL,"
    " window TEXT NOT NULL,"
    " role TEXT NOT NULL CHECK (role IN ('clerk','supervisor','backoffice','operator')),"
    " dept TEXT NOT NULL DEFAULT '',"
    " pwhash TEXT NOT NULL,"
    " failed_logins INTEGER NOT NULL DEFAULT 0,"
    " locked_until INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO users_new SELECT id, name, hall, hall_name, window, role, dept, pwhash,"
    " failed_logins, locked_until FROM users;"
    "CREATE TABLE tokens_kept AS SELECT hash, user_id, expires FROM tokens;"
    "DROP TABLE users;" /* its sessions go with it (ON DELETE CASCADE), and come back: */
    "ALTER TABLE users_new RENAME TO users;"
    "INSERT INTO tokens (hash, user_id, expires) SELECT hash, user_id, expires FROM tokens_kept;"
    "DROP TABLE tokens_kept;"
    "ALTER TABLE cases ADD COLUMN applied_on TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN outcome TEXT NOT NULL DEFAULT 'undecided';"
    "ALTER TABLE cases ADD COLUMN due_on TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN done_on TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX cases_hall_applied ON cases(hall, applied_on);"
    "CREATE TABLE releases ("
    " case_id TEXT PRIMARY KEY REFERENCES cases(id),"
    " hall TEXT NOT NULL,"
    " method TEXT NOT NULL," /* pickup, mail or electronic */
    " collector_name TEXT NOT NULL DEFAULT '',"
    " collector_id_number TEXT NOT NULL DEFAULT '',"
    " collector_is_agent INTEGER NOT NULL DEFAULT 0,"
    " courier TEXT NOT NULL DEFAULT '',"
    " tracking_no TEXT NOT NULL DEFAULT '',"
    " address TEXT NOT NULL DEFAULT '',"
    " released_on TEXT NOT NULL,"
    " released_at TEXT NOT NULL,"
    " clerk TEXT NOT NULL," /* the user of the session that pushed it */
    " window TEXT NOT NULL,"
    " event_uuid TEXT NOT NULL);"
    "CREATE TABLE ratings ("
    " case_id TEXT PRIMARY KEY REFERENCES cases(id)," /* 一次一评: one per case */
    " hall TEXT NOT NULL,"
    " level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 5)," /* 0: declined */
    " comment TEXT NOT NULL DEFAULT '',"
    " rated_on TEXT NOT NULL,"
    " rated_at TEXT NOT NULL,"
    " clerk TEXT NOT NULL,"                  /* the session's user, who was rated */
    " released_by TEXT NOT NULL DEFAULT ''," /* the user who released the case */
    " event_uuid TEXT NOT NULL);"
    "CREATE INDEX ratings_hall_clerk ON ratings(hall, clerk);"
    "CREATE TABLE follow_ups ("
    " case_id TEXT PRIMARY KEY REFERENCES cases(id),"
    " hall TEXT NOT NULL,"
    " due TEXT NOT NULL,"
    " state TEXT NOT NULL CHECK (state IN ('open','closed')),"
    " note TEXT NOT NULL DEFAULT ''," /* the text of the followed_up event */
    " closed_on TEXT NOT NULL DEFAULT '',"
    " closed_by TEXT NOT NULL DEFAULT '',"
    " event_uuid TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX follow_ups_hall ON follow_ups(hall, state, due);"
    "CREATE TABLE revocations ("
    " case_id TEXT PRIMARY KEY REFERENCES cases(id),"
    " hall TEXT NOT NULL,"
    " reason TEXT NOT NULL,"
    " revoked_on TEXT NOT NULL,"
    " revoked_at TEXT NOT NULL,"
    " clerk TEXT NOT NULL,"
    " event_uuid TEXT NOT NULL);"
    "CREATE TABLE credit_records ("
    " id INTEGER PRIMARY KEY,"
    " hall TEXT NOT NULL,"
    " case_id TEXT NOT NULL REFERENCES cases(id),"
    " applicant_name TEXT NOT NULL,"
    " id_number TEXT NOT NULL,"
    " reason TEXT NOT NULL,"
    " recorded_on TEXT NOT NULL,"
    " event_uuid TEXT NOT NULL UNIQUE);"
    "CREATE INDEX credit_records_hall ON credit_records(hall, recorded_on);"
    "CREATE INDEX credit_records_idn ON credit_records(id_number);"
    "CREATE TABLE withdrawals ("
    " case_id TEXT PRIMARY KEY REFERENCES cases(id),"
    " hall TEXT NOT NULL,"
    " supply_by TEXT NOT NULL,"
    " reason TEXT NOT NULL DEFAULT '',"
    " withdrawn_on TEXT NOT NULL,"
    " withdrawn_at TEXT NOT NULL,"
    " clerk TEXT NOT NULL,"
    " event_uuid TEXT NOT NULL);"
    "UPDATE cases SET applied_on = coalesce(date(created_at, '+8 hours'), ''),"
    " outcome = coalesce((SELECT CASE e.type WHEN 'notice_issued' THEN 'notice' ELSE e.type END"
    " FROM events e WHERE e.case_id = cases.id"
    " AND e.type IN ('notice_issued','accepted','committed','refused')"
    " ORDER BY e.seq LIMIT 1), 'undecided'),"
    " due_on = coalesce((SELECT json_extract(e.payload, '$.promised_date') FROM events e"
    " WHERE e.case_id = cases.id AND e.type IN ('accepted','committed')"
    " ORDER BY e.seq DESC LIMIT 1), ''),"
    " done_on = coalesce((SELECT date(e.client_time, '+8 hours') FROM events e"
    " WHERE e.case_id = cases.id AND (e.type IN ('decided','refused','revoked','withdrawn')"
    " OR (e.type = 'verified' AND json_extract(e.payload, '$.outcome') = 'breached'))"
    " ORDER BY e.seq LIMIT 1), ''),"
    " verified = EXISTS (SELECT 1 FROM events e WHERE e.case_id = cases.id"
    " AND e.type = 'verified' AND json_extract(e.payload, '$.outcome') = 'confirmed');"
    "INSERT OR IGNORE INTO releases (case_id, hall, method, collector_name,"
    " collector_id_number, collector_is_agent, courier, tracking_no, address, released_on,"
    " released_at, clerk, window, event_uuid)"
    " SELECT case_id, hall, coalesce(json_extract(payload, '$.method'), ''),"
    " coalesce(json_extract(payload, '$.collector_name'), ''),"
    " coalesce(json_extract(payload, '$.collector_id_number'), ''),"
    " coalesce(json_extract(payload, '$.collector_is_agent'), 0),"
    " coalesce(json_extract(payload, '$.courier'), ''),"
    " coalesce(json_extract(payload, '$.tracking_no'), ''),"
    " coalesce(json_extract(payload, '$.address'), ''),"
    " coalesce(date(client_time, '+8 hours'), ''), client_time, user_id, window, uuid"
    " FROM events WHERE type = 'released' ORDER BY case_id, seq;"
    "INSERT OR IGNORE INTO ratings (case_id, hall, level, comment, rated_on, rated_at, clerk,"
    " released_by, event_uuid)"
    " SELECT e.case_id, e.hall, json_extract(e.payload, '$.level'),"
    " coalesce(json_extract(e.payload, '$.comment'), ''),"
    " coalesce(date(e.client_time, '+8 hours'), ''), e.client_time, e.user_id,"
    " coalesce((SELECT r.clerk FROM releases r WHERE r.case_id = e.case_id), ''), e.uuid"
    " FROM events e WHERE e.type = 'rated' AND json_type(e.payload, '$.level') = 'integer'"
    " AND json_extract(e.payload, '$.level') BETWEEN 0 AND 5 ORDER BY e.case_id, e.seq;"
    "INSERT INTO follow_ups (case_id, hall, due, state)"
    " SELECT r.case_id, r.hall, coalesce(json_extract(e.payload, '$.follow_up_due'), ''),"
    " 'open' FROM ratings r JOIN events e ON e.uuid = r.event_uuid WHERE r.level IN (1, 2);"
    "UPDATE follow_ups SET state = 'closed', note = coalesce(json_extract(f.payload, '$.text'),"
    " ''), closed_on = coalesce(date(f.client_time, '+8 hours'), ''), closed_by = f.user_id,"
    " event_uuid = f.uuid"
    " FROM (SELECT case_id, payload, client_time, user_id, uuid, row_number() OVER"
    " (PARTITION BY case_id ORDER BY seq) AS n FROM events WHERE type = 'followed_up') AS f"
    " WHERE f.n = 1 AND f.case_id = follow_ups.case_id;"
    "INSERT OR IGNORE INTO revocations (case_id, hall, reason, revoked_on, revoked_at, clerk,"
    " event_uuid)"
    " SELECT case_id, hall, coalesce(json_extract(payload, '$.reason'), ''),"
    " coalesce(date(client_time, '+8 hours'), ''), client_time, user_id, uuid FROM events"
    " WHERE type = 'revoked' OR (type = 'verified'"
    " AND json_extract(payload, '$.outcome') = 'breached') ORDER BY case_id, seq;"
    "INSERT INTO credit_records (hall, case_id, applicant_name, id_number, reason,"
    " recorded_on, event_uuid)"
    " SELECT r.hall, r.case_id, c.applicant_name, c.id_number, r.reason, r.revoked_on,"
    " r.event_uuid FROM revocations r JOIN cases c ON c.id = r.case_id"
    " JOIN events e ON e.uuid = r.event_uuid"
    " WHERE coalesce(json_extract(e.payload, '$.credit_record'), 1) != 0 ORDER BY r.rowid;"
    "INSERT OR IGNORE INTO withdrawals (case_id, hall, supply_by, reason, withdrawn_on,"
    " withdrawn_at, clerk, event_uuid)"
    " SELECT case_id, hall, coalesce(json_extract(payload, '$.supply_by'), ''),"
    " coalesce(json_extract(payload, '$.reason'), ''),"
    " coalesce(date(client_time, '+8 hours'), ''), client_time, user_id, uuid FROM events"
    " WHERE type = 'withdrawn' ORDER BY case_id, seq;",
    /* 6: the audit chains (srv_audit.h): tongband's own, a row per change and per
     * view of a whole record from now on, and each clerk PC's as it arrives; the
     * id of a row is the one before it + 1, each hash covers the row before it */
    "CREATE TABLE audit ("
    " id INTEGER PRIMARY KEY,"
    " at TEXT NOT NULL,"
    " user_id TEXT NOT NULL,"
    " hall TEXT NOT NULL," /* '' for every hall */
    " case_id TEXT NOT NULL DEFAULT '',"
    " what TEXT NOT NULL,"
    " detail TEXT NOT NULL DEFAULT '',"
    " prev TEXT NOT NULL,"
    " hash TEXT NOT NULL);"
    "CREATE INDEX audit_case ON audit(case_id) WHERE case_id <> '';"
    "CREATE TABLE device_audit ("
    " device TEXT NOT NULL,"
    " id INTEGER NOT NULL,"
    " at TEXT NOT NULL,"
    " clerk TEXT NOT NULL,"
    " case_id TEXT NOT NULL,"
    " what TEXT NOT NULL,"
    " detail TEXT NOT NULL,"
    " prev TEXT NOT NULL,"
    " hash TEXT NOT NULL,"
    " received TEXT NOT NULL,"
    " PRIMARY KEY (device, id));"
    "CREATE INDEX device_audit_case ON device_audit(case_id) WHERE case_id <> '';",
    /* 7: joint and cross-region cases (srv_joint.h): a row per department of
     * a joint case (并联审批), the hall that decides a case taken in another
     * region (跨域通办), and each region's catalogue as imported */
    "CREATE TABLE joint_parts ("
    " case_id TEXT NOT NULL REFERENCES cases(id),"
    " dept TEXT NOT NULL,"
    " n INTEGER NOT NULL,"
    " rule TEXT NOT NULL CHECK (rule IN ('all','partial')),"
    " outcome TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('','approve','refuse')),"
    " reason TEXT NOT NULL DEFAULT '',"
    " decided_by TEXT NOT NULL DEFAULT '',"
    " decided_at TEXT NOT NULL DEFAULT '',"
    " event_uuid TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY (case_id, dept));"
    "CREATE INDEX joint_parts_dept ON joint_parts(dept, outcome);"
    "CREATE TABLE case_routes ("
    " case_id TEXT PRIMARY KEY REFERENCES cases(id),"
    " hall TEXT NOT NULL,"
    " region TEXT NOT NULL,"
    " region_name TEXT NOT NULL);"
    "CREATE INDEX case_routes_hall ON case_routes(hall);"
    "CREATE TABLE region_catalogues ("
    " region TEXT PRIMARY KEY,"
    " region_name TEXT NOT NULL,"
    " hall TEXT NOT NULL,"
    " version TEXT NOT NULL,"
    " body TEXT NOT NULL,"
    " updated_at TEXT NOT NULL);",
    /* 8: 一件事一次办 (the parts of a bundle share its id) and 绿色通道 (a key
     * project's certificate and its designated helper), from the created events */
    SRV_STORE_BUNDLE_GREEN_SQL,
    /* 9: the e-certificate register (srv_ecert.h): one row per type and number */
    "CREATE TABLE certificates ("
    " type TEXT NOT NULL,"
    " number TEXT NOT NULL,"
    " holder_id TEXT NOT NULL,"
    " holder_name TEXT NOT NULL,"
    " issuer TEXT NOT NULL,"
    " issued_on TEXT NOT NULL,"
    " valid_until TEXT NOT NULL DEFAULT ''," /* '' for 长期 */
    " imported_at TEXT NOT NULL,"
    " PRIMARY KEY (type, number));"
    "CREATE INDEX certificates_holder ON certificates(holder_id, type);",
};

#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

_Static_assert(sizeof migrations / sizeof migrations[0] == SRV_STORE_SCHEMA_VERSION,
               "one migration per schema version");

int srv_store_version(struct srv_store *s)
{
	return srv_db_version(s->db, NULL);
}

/* srv_store_open with a chosen wait for the write lock. */
static int open_store(struct srv_store **out, const char *spec, int busy_ms, struct err *e)
{
	struct srv_db *db;
	char *shown;

	*out = NULL;
	if (srv_db_open(&db, spec, busy_ms, e) < 0)
		return -1;
	if ((srv_db_dialect(db) == SRV_DB_POSTGRESQL
	         ? srv_db_migrate(db, srv_schema_pg_create, SRV_SCHEMA_PG_BASE, srv_schema_pg_steps,
	                          N_MIGRATIONS, e)
	         : srv_db_migrate(db, NULL, 0, migrations, N_MIGRATIONS, e)) < 0) {
		shown = srv_db_spec_shown(spec);
		err_prefix(e, "%s: ", shown);
		free(shown);
		srv_db_close(db);
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
	srv_db_close(s->db);
	free(s);
}

struct srv_store_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	struct srv_store **free_list;
	int n_free;
	int n;
	bool is_shared; /* PostgreSQL */
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
	p->is_shared = srv_db_dialect(p->free_list[0]->db) == SRV_DB_POSTGRESQL;
	return p;
}

bool srv_store_pool_is_shared(const struct srv_store_pool *p)
{
	return p->is_shared;
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

/* What srv_store_tx runs, in srv_db_tx's terms. */
struct store_tx {
	struct srv_store *s;
	srv_store_tx_fn fn;
	void *arg;
};

static int store_tx_run(struct srv_db *db, void *arg, struct err *e)
{
	struct store_tx *t = arg;

	(void)db;
	return t->fn(t->s, t->arg, e);
}

int srv_store_tx(struct srv_store *s, srv_store_tx_fn fn, void *arg, struct err *e)
{
	struct store_tx t = {s, fn, arg};

	return store_db_tx(s, store_tx_run, &t, e);
}

int srv_store_begin(struct srv_store *s, struct err *e)
{
	return srv_db_begin(s->db, e);
}

int srv_store_commit(struct srv_store *s, struct err *e)
{
	int rc = srv_db_commit(s->db, e);

	if (rc == 0 && s->audit_waits)
		srv_audit_chain(s, NULL);
	s->audit_waits = false;
	return rc;
}

void srv_store_rollback(struct srv_store *s)
{
	srv_db_rollback(s->db);
	s->audit_waits = false;
}

int srv_store_savepoint(struct srv_store *s, struct err *e)
{
	return srv_db_savepoint(s->db, "ev", e);
}

int srv_store_release(struct srv_store *s, struct err *e)
{
	return srv_db_release(s->db, "ev", e);
}

int srv_store_rollback_to(struct srv_store *s, struct err *e)
{
	return srv_db_rollback_to(s->db, "ev", e);
}

/* What srv_store_user_put saves. */
struct user_put {
	struct srv_store *s;
	const struct srv_user *u, *by;
	const char *pwhash;
};

/* The account's row on the audit chain: created or changed, its role, and
 * whether its password was set (was is the stored hash, NULL for none). */
static int audit_user_put(const struct user_put *p, const char *was, struct err *e)
{
	char detail[200];

	snprintf(detail, sizeof detail, "%s %s: role %s%s", p->u->id, was ? "updated" : "created",
	         p->u->role, was == NULL || strcmp(was, p->pwhash) != 0 ? ", password set" : "");
	return srv_audit_add(p->s, p->by ? p->by->id : SRV_AUDIT_OPERATOR, p->u->hall, "",
	                     SRV_AUDIT_ACCOUNT, detail, e);
}

/* One transaction: a login checked against the old hash made its session
 * either before (ended here) or after (it finds the new hash: none made,
 * see srv_store_token_put).  The account's row is locked first (an UPDATE
 * that changes nothing), so that a login keeping its session meanwhile
 * (which locks it too) has either committed, its session seen and ended
 * here, or waits and then finds the new hash. */
static int user_put_tx(struct srv_db *db, void *arg, struct err *e)
{
	const struct user_put *p = arg;
	const struct srv_user *u = p->u;
	char *was = NULL;
	int rc = srv_db_get_text(db, e, &was,
	                         "UPDATE users SET pwhash = pwhash WHERE id = ?1 RETURNING pwhash",
	                         "s", u->id);
	bool changed = rc == 1 && strcmp(was, p->pwhash) != 0;

	if (rc < 0 ||
	    (changed &&
	     srv_db_run(db, e, "DELETE FROM tokens WHERE user_id = ?1", "s", u->id) < 0) ||
	    srv_db_run(
	        db, e,
	        "INSERT INTO users (id, name, hall, hall_name, \"window\", role, dept, pwhash)"
	        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	        " ON CONFLICT(id) DO UPDATE SET name = ?2, hall = ?3, hall_name = ?4,"
	        " \"window\" = ?5, role = ?6, dept = ?7, pwhash = ?8, failed_logins = 0,"
	        " locked_until = 0",
	        "ssssssss", u->id, u->name, u->hall, u->hall_name, u->window, u->role, u->dept,
	        p->pwhash) < 0)
		rc = -1;
	else
		rc = audit_user_put(p, was, e);
	free(was);
	return rc;
}

int srv_store_user_put(struct srv_store *s, const struct srv_user *u, const char *pwhash,
                       const struct srv_user *by, struct err *e)
{
	struct user_put p = {s, u, by, pwhash};

	return store_db_tx(s, user_put_tx, &p, e);
}

#define USER_COLS "u.id, u.name, u.hall, u.hall_name, u.\"window\", u.role, u.dept"

static void read_user(struct srv_db_stmt *st, struct srv_user *u)
{
	srv_db_col_copy(st, 0, u->id, sizeof u->id);
	srv_db_col_copy(st, 1, u->name, sizeof u->name);
	srv_db_col_copy(st, 2, u->hall, sizeof u->hall);
	srv_db_col_copy(st, 3, u->hall_name, sizeof u->hall_name);
	srv_db_col_copy(st, 4, u->window, sizeof u->window);
	srv_db_col_copy(st, 5, u->role, sizeof u->role);
	srv_db_col_copy(st, 6, u->dept, sizeof u->dept);
}

int srv_store_user_get(struct srv_store *s, const char *id, struct srv_user *u,
                       char pwhash[SRV_PWHASH_SIZE], long long *locked_until, struct err *e)
{
	struct srv_db_stmt *st = srv_db_query(
	    s->db, e, "SELECT " USER_COLS ", u.pwhash, u.locked_until FROM users u WHERE u.id = ?1",
	    "s", id);
	int rc;

	if (st == NULL)
		return -1;
	rc = srv_db_step(st, e);
	if (rc == 1) {
		read_user(st, u);
		srv_db_col_copy(st, 7, pwhash, SRV_PWHASH_SIZE);
		*locked_until = srv_db_col_int(st, 8);
	}
	srv_db_done(st);
	return rc;
}

int srv_store_user_login_failed(struct srv_store *s, const char *id, long long now, int limit,
                                int lock_seconds, struct err *e)
{
	return srv_db_run(
	    s->db, e,
	    "UPDATE users SET"
	    " locked_until = CASE WHEN failed_logins + 1 >= ?2 THEN ?3 ELSE locked_until END,"
	    " failed_logins = CASE WHEN failed_logins + 1 >= ?2 THEN 0 ELSE failed_logins + 1 END"
	    " WHERE id = ?1",
	    "sil", id, limit, now + lock_seconds);
}

int srv_store_user_login_ok(struct srv_store *s, const char *id, struct err *e)
{
	return srv_db_run(s->db, e,
	                  "UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?1", "s",
	                  id);
}

int srv_store_login_delay_get(struct srv_store *s, const char *clerk, const char *addr,
                              struct srv_login_delay *st, struct err *e)
{
	struct srv_db_stmt *q = srv_db_query(s->db, e,
	                                     "SELECT attempts, next_ms, last_ms FROM login_delays"
	                                     " WHERE clerk = ?1 AND addr = ?2",
	                                     "ss", clerk, addr);
	int rc;

	if (q == NULL)
		return -1;
	if ((rc = srv_db_step(q, e)) == 1) {
		st->attempts = (int)srv_db_col_int(q, 0);
		st->next_ms = srv_db_col_int(q, 1);
		st->last_ms = srv_db_col_int(q, 2);
	}
	srv_db_done(q);
	return rc;
}

int srv_store_login_delay_set(struct srv_store *s, const char *clerk, const char *addr,
                              const struct srv_login_delay *was, const struct srv_login_delay *st,
                              long long forget_before_ms, struct err *e)
{
	if (was == NULL) {
		if (srv_db_run(s->db, e,
		               "DELETE FROM login_delays WHERE last_ms < ?1 AND next_ms <= ?1", "l",
		               forget_before_ms) < 0 ||
		    srv_db_run(s->db, e,
		               "INSERT INTO login_delays (clerk, addr, attempts, next_ms, last_ms)"
		               " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (clerk, addr) DO NOTHING",
		               "ssill", clerk, addr, st->attempts, st->next_ms, st->last_ms) < 0)
			return -1;
		return srv_db_changes(s->db) == 1 ? 1 : 0;
	}
	if (srv_db_run(s->db, e,
	               "UPDATE login_delays SET attempts = ?3, next_ms = ?4, last_ms = ?5"
	               " WHERE clerk = ?1 AND addr = ?2 AND attempts = ?6 AND next_ms = ?7"
	               " AND last_ms = ?8",
	               "ssillill", clerk, addr, st->attempts, st->next_ms, st->last_ms,
	               was->attempts, was->next_ms, was->last_ms) < 0)
		return -1;
	return srv_db_changes(s->db) == 1 ? 1 : 0;
}

int srv_store_login_delay_forget(struct srv_store *s, const char *clerk, const char *addr,
                                 struct err *e)
{
	return srv_db_run(s->db, e,
	                  "DELETE FROM login_delays WHERE clerk = ?1 AND (?2 IS NULL OR addr = ?2)",
	                  "ss", clerk, addr);
}

int srv_store_user_list(struct srv_store *s, srv_user_fn fn, void *arg, struct err *e)
{
	struct srv_db_stmt *st = srv_db_query(s->db, e,
	                                      "SELECT " USER_COLS ", u.locked_until FROM users u"
	                                      " ORDER BY u.hall, u.id",
	                                      "");
	struct srv_user u;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = srv_db_step(st, e)) == 1) {
		read_user(st, &u);
		if (fn(&u, srv_db_col_int(st, 7), arg) != 0)
			break;
	}
	srv_db_done(st);
	return rc < 0 ? -1 : 0;
}

/* What srv_store_token_put keeps. */
struct token_put {
	const char *token_hash, *user_id, *pwhash;
	long long expires, now;
};

/* The account's row is locked while its hash is compared (see user_put_tx):
 * 0 with the session kept, 1 when the hash is another (nothing kept). */
static int token_put_tx(struct srv_db *db, void *arg, struct err *e)
{
	const struct token_put *t = arg;

	if (srv_db_run(db, e, "DELETE FROM tokens WHERE expires <= ?1", "l", t->now) < 0 ||
	    srv_db_run(db, e, "UPDATE users SET pwhash = pwhash WHERE id = ?1 AND pwhash = ?2",
	               "ss", t->user_id, t->pwhash) < 0)
		return -1;
	if (srv_db_changes(db) != 1)
		return 1;
	return srv_db_run(db, e, "INSERT INTO tokens (hash, user_id, expires) VALUES (?1, ?2, ?3)",
	                  "ssl", t->token_hash, t->user_id, t->expires);
}

int srv_store_token_put(struct srv_store *s, const char *token_hash, const char *user_id,
                        const char *pwhash, long long expires, long long now, struct err *e)
{
	struct token_put t = {token_hash, user_id, pwhash, expires, now};

	return store_db_tx(s, token_put_tx, &t, e);
}

int srv_store_user_rehash(struct srv_store *s, const char *user_id, const char *was,
                          const char *pwhash, struct err *e)
{
	return srv_db_run(s->db, e, "UPDATE users SET pwhash = ?3 WHERE id = ?1 AND pwhash = ?2",
	                  "sss", user_id, was, pwhash);
}

int srv_store_token_user(struct srv_store *s, const char *token_hash, long long now,
                         struct srv_user *u, struct err *e)
{
	struct srv_db_stmt *st =
	    srv_db_query(s->db, e,
	                 "SELECT " USER_COLS " FROM tokens t JOIN users u ON u.id = t.user_id"
	                 " WHERE t.hash = ?1 AND t.expires > ?2",
	                 "sl", token_hash, now);
	int rc;

	if (st == NULL)
		return -1;
	rc = srv_db_step(st, e);
	if (rc == 1)
		read_user(st, u);
	srv_db_done(st);
	return rc;
}

int srv_store_token_delete(struct srv_store *s, const char *token_hash, struct err *e)
{
	return srv_db_run(s->db, e, "DELETE FROM tokens WHERE hash = ?1", "s", token_hash);
}

int srv_store_event_insert(struct srv_store *s, const struct srv_event_row *ev,
                           char **canonical_out, struct err *e)
{
	int rc;

	*canonical_out = NULL;
	if (srv_db_run(
	        s->db, e,
	        "INSERT INTO events (uuid, case_id, type, hall, \"window\", clerk, client_time,"
	        " payload, canonical, user_id, received_at, seq)"
	        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
	        " ON CONFLICT DO NOTHING",
	        "sssssssssssl", ev->uuid, ev->case_id, ev->type, ev->hall, ev->window, ev->clerk,
	        ev->client_time, ev->payload, ev->canonical, ev->user_id, ev->received_at,
	        ev->seq) < 0)
		return -1;
	if (srv_db_changes(s->db) == 1)
		return SRV_EVENT_INSERTED;
	/* One of the two unique keys was taken: the uuid's, or else (case_id, seq). */
	rc = srv_db_get_text(s->db, e, canonical_out,
	                     "SELECT canonical FROM events WHERE uuid = ?1", "s", ev->uuid);
	if (rc < 0)
		return -1;
	return rc == 1 ? SRV_EVENT_EXISTS : SRV_EVENT_SEQ_TAKEN;
}

int srv_store_case_head(struct srv_store *s, const char *id, struct srv_case_head *h, struct err *e)
{
	/* an UPDATE that changes nothing, for its row lock (PostgreSQL's SELECT
	 * ... FOR UPDATE, which SQLite has not): another writer of the case
	 * waits until this transaction ends, then reads what it left */
	struct srv_db_stmt *st = srv_db_query(s->db, e,
	                                      "UPDATE cases SET last_seq = last_seq WHERE id = ?1"
	                                      " RETURNING hall, last_seq, state, dept, case_no",
	                                      "s", id);
	int rc;

	if (st == NULL)
		return -1;
	rc = srv_db_step(st, e);
	if (rc == 1) {
		srv_db_col_copy(st, 0, h->hall, sizeof h->hall);
		h->last_seq = srv_db_col_int(st, 1);
		srv_db_col_copy(st, 2, h->state, sizeof h->state);
		srv_db_col_copy(st, 3, h->dept, sizeof h->dept);
		srv_db_col_copy(st, 4, h->case_no, sizeof h->case_no);
	}
	srv_db_done(st);
	return rc;
}

int srv_store_case_insert(struct srv_store *s, const struct srv_case_row *c, struct err *e)
{
	return srv_db_run(
	    s->db, e,
	    "INSERT INTO cases (id, hall, case_no, item_code, item_name, applicant_name, id_number,"
	    " phone, state, created_at, received_at, updated_at, payload, dept, last_seq,"
	    " applied_on)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13, ?14, ?15)",
	    "ssssssssssssele", c->id, c->hall, c->case_no, c->item_code, c->item_name,
	    c->applicant_name, c->id_number, c->phone, c->state, c->created_at, c->received_at,
	    c->payload, c->dept, c->last_seq, c->applied_on);
}

int srv_store_case_advance(struct srv_store *s, const char *id, const char *state, long long seq,
                           const char *updated_at, struct err *e)
{
	return srv_db_run(
	    s->db, e,
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
	rc = srv_db_get_int(s->db, e, &n,
	                    "INSERT INTO case_numbers (hall, year, last) VALUES (?1, ?2, 1)"
	                    " ON CONFLICT(hall, year) DO UPDATE SET last = case_numbers.last + 1"
	                    " RETURNING last",
	                    "ss", hall, year);
	if (rc == 0)
		err_set(e, "database: case number: no number came back");
	if (rc != 1)
		return -1;
	snprintf(official, SRV_OFFICIAL_NO_SIZE, "%s-%s-%06lld", hall, year, n);
	if (srv_db_run(s->db, e, "UPDATE cases SET official_no = ?2 WHERE id = ?1", "ss", id,
	               official) < 0)
		return -1;
	return srv_store_change_add(s, hall, "case_no", id, NULL, NULL, received_at, NULL, e);
}

/* Everything srv_store_terminal does, in one transaction. */
struct terminal_arg {
	const char *device, *hall, *user_id, *now;
	long long code;
};

static int terminal_tx(struct srv_db *db, void *arg, struct err *e)
{
	struct terminal_arg *a = arg;
	int rc = srv_db_get_int(db, e, &a->code,
	                        "SELECT code FROM terminals WHERE device = ?1 AND hall = ?2", "ss",
	                        a->device, a->hall);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (srv_db_get_int(db, e, &a->code,
	                   "INSERT INTO terminal_numbers (hall, last) VALUES (?1, 1)"
	                   " ON CONFLICT(hall) DO UPDATE SET last = terminal_numbers.last + 1"
	                   " RETURNING last",
	                   "s", a->hall) != 1)
		return -1;
	/* the same device's first login racing on another connection (PostgreSQL)
	 * may have taken its place: that number stays, this one is never given */
	if (srv_db_run(db, e,
	               "INSERT INTO terminals (device, hall, code, first_user, created_at)"
	               " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (device, hall) DO NOTHING",
	               "sslss", a->device, a->hall, a->code, a->user_id, a->now) < 0)
		return -1;
	if (srv_db_changes(db) == 1)
		return 0;
	return srv_db_get_int(db, e, &a->code,
	                      "SELECT code FROM terminals WHERE device = ?1 AND hall = ?2", "ss",
	                      a->device, a->hall) == 1
	           ? 0
	           : -1;
}

int srv_store_terminal(struct srv_store *s, const char *device, const char *hall,
                       const char *user_id, const char *now, char code[SRV_TERMINAL_SIZE],
                       struct err *e)
{
	struct terminal_arg a = {device, hall, user_id, now, 0};

	code[0] = '\0';
	if (store_db_tx(s, terminal_tx, &a, e) < 0)
		return -1;
	snprintf(code, SRV_TERMINAL_SIZE, "T%02lld", a.code);
	return 0;
}

#define CASE_COLS                                                                                  \
	"c.id, c.case_no, c.item_code, c.item_name, c.applicant_name, c.id_number, c.phone,"       \
	" c.state, c.hall, (SELECT count(*) FROM events e WHERE e.case_id = c.id),"                \
	" c.created_at, c.received_at, c.dept, c.updated_at, coalesce(c.official_no, ''),"         \
	" c.bundle_id, c.bundle_code, c.bundle_name, c.green_cert, c.green_helper"

/* The case in the current row of a CASE_COLS query.  Valid until the next step. */
static void read_case(struct srv_db_stmt *st, struct srv_case *c)
{
	c->id = srv_db_col_text(st, 0);
	c->case_no = srv_db_col_text(st, 1);
	c->item_code = srv_db_col_text(st, 2);
	c->item_name = srv_db_col_text(st, 3);
	c->applicant_name = srv_db_col_text(st, 4);
	c->id_number = srv_db_col_text(st, 5);
	c->phone = srv_db_col_text(st, 6);
	c->state = srv_db_col_text(st, 7);
	c->hall = srv_db_col_text(st, 8);
	c->events = srv_db_col_int(st, 9);
	c->created_at = srv_db_col_text(st, 10);
	c->received_at = srv_db_col_text(st, 11);
	c->dept = srv_db_col_text(st, 12);
	c->updated_at = srv_db_col_text(st, 13);
	c->official_no = srv_db_col_text(st, 14);
	c->bundle_id = srv_db_col_text(st, 15);
	c->bundle_code = srv_db_col_text(st, 16);
	c->bundle_name = srv_db_col_text(st, 17);
	c->green_cert = srv_db_col_text(st, 18);
	c->green_helper = srv_db_col_text(st, 19);
}

/* fn for each row of st, a CASE_COLS query of db_query (NULL: it failed),
 * which is given back.  0 or -1. */
static int each_case(struct srv_db_stmt *st, srv_case_fn fn, void *arg, struct err *e)
{
	struct srv_case c;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = srv_db_step(st, e)) == 1) {
		read_case(st, &c);
		if (fn(&c, arg) != 0)
			break;
	}
	srv_db_done(st);
	return rc < 0 ? -1 : 0;
}

/*
 * Every word of the query (a JSON array ?2) must match one of: part of the
 * applicant's name, of the case number or the official number, of the
 * item's code or name; the end of the ID number (any case) or of the phone
 * (4 characters or more: "the last 4-6 of the ID", "the last 4 of the
 * phone"); or the application date: a day, a month (2026-11) or a range of
 * days (2026-11-01..2026-11-30).  Within the hall (or every hall), newest
 * first, stopping at the limit.
 */
#define WORD_MATCHES                                                                               \
	"(instr(c.applicant_name, w.value) > 0 OR instr(c.case_no, w.value) > 0"                   \
	" OR instr(c.official_no, w.value) > 0 OR instr(c.item_code, w.value) > 0"                 \
	" OR instr(c.item_name, w.value) > 0"                                                      \
	" OR (length(w.value) >= 4 AND (substr(upper(c.id_number), -length(w.value))"              \
	" = upper(w.value) OR substr(c.phone, -length(w.value)) = w.value))"                       \
	" OR (w.value GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' AND length(w.value) IN (7, 10)"      \
	" AND substr(c.applied_on, 1, length(w.value)) = w.value)"                                 \
	" OR (length(w.value) = 22 AND substr(w.value, 11, 2) = '..'"                              \
	" AND c.applied_on BETWEEN substr(w.value, 1, 10) AND substr(w.value, 13)))"

/* The same on PostgreSQL, where the word is w. */
#define PG_WORD_MATCHES                                                                            \
	"(strpos(c.applicant_name, w) > 0 OR strpos(c.case_no, w) > 0"                             \
	" OR strpos(coalesce(c.official_no, ''), w) > 0 OR strpos(c.item_code, w) > 0"             \
	" OR strpos(c.item_name, w) > 0"                                                           \
	" OR (length(w) >= 4 AND (right(upper(c.id_number), length(w)) = upper(w)"                 \
	" OR right(c.phone, length(w)) = w))"                                                      \
	" OR (w ~ '^[0-9]{4}-[0-9]{2}' AND length(w) IN (7, 10)"                                   \
	" AND left(c.applied_on, length(w)) = w)"                                                  \
	" OR (length(w) = 22 AND substr(w, 11, 2) = '..'"                                          \
	" AND c.applied_on BETWEEN substr(w, 1, 10) AND substr(w, 13)))"

/*
 * How a search reaches its cases through an index, the rule above being
 * the same on both databases; the anchor only narrows which cases the rule
 * is tried on, and never drops one the rule matches (a word of 3 or more
 * characters is a substring of what the rule searches, of the case's
 * search_text on PostgreSQL, whose trigram index finds it; a range of days
 * is the range of applied_on).  A query whose every word is shorter than
 * 3 characters (a surname, a two-character name) has no such anchor: it is
 * tried on the hall's newest SRV_SEARCH_NEWEST cases only, on both
 * databases (tongband-api(7)).
 */
enum anchor {
	ANCHOR_NONE,   /* no word: the newest cases */
	ANCHOR_RANGE,  /* a range of days: applied_on between */
	ANCHOR_WORD,   /* the longest word of 3 characters or more */
	ANCHOR_NEWEST, /* short words only: the hall's newest SRV_SEARCH_NEWEST */
};

#define SEARCH_FROM "SELECT " CASE_COLS " FROM cases c WHERE "
/* 绿色通道 cases first, then the newest */
#define SEARCH_ORDER                                                                               \
	" ORDER BY CASE WHEN c.green_cert <> '' THEN 0 ELSE 1 END, c.received_at DESC,"            \
	" c.rowid DESC LIMIT ?3"
#define ALL_WORDS " AND NOT EXISTS (SELECT 1 FROM json_each(?2) w WHERE NOT " WORD_MATCHES ")"
#define PG_ALL_WORDS                                                                               \
	" AND NOT EXISTS (SELECT 1 FROM json_array_elements_text(?2::json) AS w(w)"                \
	" WHERE NOT " PG_WORD_MATCHES ")"
#define NEWEST_ONLY(where)                                                                         \
	" AND c.received_at >= coalesce((SELECT n.received_at FROM cases n WHERE " where           \
	" ORDER BY n.received_at DESC LIMIT 1 OFFSET 19999), '')"
#define HALL     "c.hall = ?1"
#define ANY_HALL "?1 IS NULL"

_Static_assert(SRV_SEARCH_NEWEST == 20000, "the OFFSET of NEWEST_ONLY");

/* The statement of a search by anchor, for one hall or (all) every hall. */
static const char *search_sql(const struct srv_store *s, enum anchor a, bool all)
{
	static const char *const lite[2][4] = {
	    {SEARCH_FROM HALL ALL_WORDS SEARCH_ORDER, SEARCH_FROM HALL ALL_WORDS SEARCH_ORDER,
	     SEARCH_FROM HALL ALL_WORDS SEARCH_ORDER,
	     SEARCH_FROM HALL ALL_WORDS NEWEST_ONLY("n.hall = ?1") SEARCH_ORDER},
	    {SEARCH_FROM ANY_HALL ALL_WORDS SEARCH_ORDER,
	     SEARCH_FROM ANY_HALL ALL_WORDS SEARCH_ORDER,
	     SEARCH_FROM ANY_HALL ALL_WORDS SEARCH_ORDER,
	     SEARCH_FROM ANY_HALL ALL_WORDS NEWEST_ONLY("?1 IS NULL") SEARCH_ORDER},
	};
	static const char *const pg[2][4] = {
	    {SEARCH_FROM HALL SEARCH_ORDER,
	     SEARCH_FROM HALL " AND c.applied_on BETWEEN ?4 AND ?5" PG_ALL_WORDS SEARCH_ORDER,
	     SEARCH_FROM HALL " AND c.search_text ILIKE ?4" PG_ALL_WORDS SEARCH_ORDER,
	     SEARCH_FROM HALL PG_ALL_WORDS NEWEST_ONLY("n.hall = ?1") SEARCH_ORDER},
	    {SEARCH_FROM ANY_HALL SEARCH_ORDER,
	     SEARCH_FROM ANY_HALL " AND c.applied_on BETWEEN ?4 AND ?5" PG_ALL_WORDS SEARCH_ORDER,
	     SEARCH_FROM ANY_HALL " AND c.search_text ILIKE ?4" PG_ALL_WORDS SEARCH_ORDER,
	     SEARCH_FROM ANY_HALL PG_ALL_WORDS NEWEST_ONLY("?1 IS NULL") SEARCH_ORDER},
	};

	return srv_db_pick(s->db, lite[all][a], pg[all][a]);
}

/* The words of a search and its anchor. */
struct search {
	struct json_object *words; /* at most 8 */
	enum anchor anchor;
	char like[4 * 64 + 3]; /* ANCHOR_WORD: %word% for ILIKE, escaped */
	char from[11], to[11]; /* ANCHOR_RANGE */
};

/* Whether w is a range of days as the rule takes it: YYYY-MM-DD..YYYY-MM-DD. */
static bool is_range(const char *w, size_t n)
{
	return n == 22 && w[10] == '.' && w[11] == '.';
}

/* %w% with LIKE's own characters escaped. */
static void like_of(const char *w, size_t n, char *out, size_t size)
{
	size_t i, o = 0;

	out[o++] = '%';
	for (i = 0; i < n && o + 3 < size; i++) {
		if (w[i] == '%' || w[i] == '_' || w[i] == '\\')
			out[o++] = '\\';
		out[o++] = w[i];
	}
	out[o++] = '%';
	out[o] = '\0';
}

static void take_word(struct search *q, const char *w, size_t n, size_t *longest)
{
	char *word = xstrndup(w, n);
	size_t chars = utf8_count(word);

	json_object_array_add(q->words, json_object_new_string_len(w, (int)n));
	if (is_range(w, n) && q->anchor != ANCHOR_RANGE) {
		q->anchor = ANCHOR_RANGE;
		str_copy(q->from, sizeof q->from, w);
		str_copy(q->to, sizeof q->to, w + 12);
	} else if (chars >= SRV_SEARCH_SHORT && chars > *longest && q->anchor != ANCHOR_RANGE &&
	           n < 64) {
		q->anchor = ANCHOR_WORD;
		*longest = chars;
		like_of(w, n, q->like, sizeof q->like);
	} else if (q->anchor == ANCHOR_NONE) {
		q->anchor = ANCHOR_NEWEST;
	}
	free(word);
}

static void search_of(const char *query, struct search *q)
{
	const char *p = query;
	size_t longest = 0;

	memset(q, 0, sizeof *q);
	q->words = json_object_new_array();
	while (*p) {
		size_t n;

		while (*p == ' ' || *p == '\t')
			p++;
		n = strcspn(p, " \t");
		if (n > 0 && json_object_array_length(q->words) < 8)
			take_word(q, p, n, &longest);
		p += n;
	}
}

int srv_store_case_search(struct srv_store *s, const char *hall, const char *query, int limit,
                          srv_case_fn fn, void *arg, struct err *e)
{
	struct search q;
	const char *sql;
	char *list;
	int rc;

	search_of(query, &q);
	list = xstrdup(json_object_to_json_string_ext(q.words, JSON_C_TO_STRING_PLAIN));
	json_object_put(q.words);
	sql = search_sql(s, q.anchor, hall == NULL);
	if (srv_db_dialect(s->db) != SRV_DB_POSTGRESQL || q.anchor == ANCHOR_NEWEST ||
	    q.anchor == ANCHOR_NONE)
		rc = each_case(srv_db_query(s->db, e, sql, "ssi", hall, list, limit), fn, arg, e);
	else if (q.anchor == ANCHOR_WORD)
		rc = each_case(srv_db_query(s->db, e, sql, "ssis", hall, list, limit, q.like), fn,
		               arg, e);
	else
		rc =
		    each_case(srv_db_query(s->db, e, sql, "ssiss", hall, list, limit, q.from, q.to),
		              fn, arg, e);
	free(list);
	return rc;
}

/* on_event for each event of case id, in seq order.  0 or -1. */
static int each_case_event(struct srv_store *s, const char *id, srv_case_event_fn on_event,
                           void *arg, struct err *e)
{
	struct srv_db_stmt *st =
	    srv_db_query(s->db, e,
	                 "SELECT uuid, seq, type, client_time, received_at FROM events"
	                 " WHERE case_id = ?1 ORDER BY seq",
	                 "s", id);
	struct srv_case_event ev;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = srv_db_step(st, e)) == 1) {
		ev.uuid = srv_db_col_text(st, 0);
		ev.seq = srv_db_col_int(st, 1);
		ev.type = srv_db_col_text(st, 2);
		ev.client_time = srv_db_col_text(st, 3);
		ev.received_at = srv_db_col_text(st, 4);
		if (on_event(&ev, arg) != 0)
			break;
	}
	srv_db_done(st);
	return rc < 0 ? -1 : 0;
}

int srv_store_case_get(struct srv_store *s, const char *id, srv_case_fn on_case,
                       srv_case_event_fn on_event, void *arg, struct err *e)
{
	struct srv_db_stmt *st =
	    srv_db_query(s->db, e, "SELECT " CASE_COLS " FROM cases c WHERE c.id = ?1", "s", id);
	struct srv_case c;
	int found, stop = 0;

	if (st == NULL)
		return -1;
	found = srv_db_step(st, e);
	if (found == 1) {
		read_case(st, &c);
		stop = on_case(&c, arg);
	}
	srv_db_done(st);
	if (found != 1 || stop != 0)
		return found;
	return each_case_event(s, id, on_event, arg, e) < 0 ? -1 : 1;
}

int srv_store_bundle_parts(struct srv_store *s, const char *hall, const char *bundle_id,
                           srv_case_fn fn, void *arg, struct err *e)
{
	return each_case(srv_db_query(s->db, e,
	                              "SELECT " CASE_COLS " FROM cases c WHERE c.hall = ?1"
	                              " AND c.bundle_id = ?2 AND c.bundle_id <> ''"
	                              " ORDER BY c.rowid",
	                              "ss", hall, bundle_id),
	                 fn, arg, e);
}

int srv_store_case_mark(struct srv_store *s, const char *id, const char *bundle_id,
                        const char *bundle_code, const char *bundle_name, const char *green_cert,
                        const char *green_helper, struct err *e)
{
	return srv_db_run(s->db, e,
	                  "UPDATE cases SET bundle_id = ?2, bundle_code = ?3, bundle_name = ?4,"
	                  " green_cert = ?5, green_helper = ?6 WHERE id = ?1",
	                  "ssssss", id, bundle_id, bundle_code, bundle_name, green_cert,
	                  green_helper);
}

int srv_store_change_add(struct srv_store *s, const char *hall, const char *kind,
                         const char *case_id, const char *event_uuid, const char *version,
                         const char *created_at, long long *change, struct err *e)
{
	long long key = 0;

	if (srv_db_get_int(
	        s->db, e, &key,
	        srv_db_pick(s->db,
	                    "INSERT INTO changes (hall, kind, case_id, event_uuid, version,"
	                    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING cursor",
	                    "INSERT INTO changes (hall, kind, case_id, event_uuid, version,"
	                    " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id"),
	        "ssssss", hall, kind, case_id, event_uuid, version, created_at) != 1)
		return -1;
	if (change != NULL)
		*change = key;
	return 0;
}

/*
 * The changes feed.  A reader asks for the changes after the last cursor it
 * saw, so a change must never appear below a cursor a reader has already
 * passed.  On SQLite one writer runs at a time and a change's cursor (its
 * AUTOINCREMENT rowid) is taken under the write lock, so cursors are
 * committed in their order.  On PostgreSQL writers run side by side: a
 * number from a sequence, taken by a transaction that commits after a later
 * number's, would appear below a cursor already served, and its reader
 * would never see it.  So a change is written without a cursor (only its id)
 * and placed in the feed by the first reader that finds it committed, in
 * one serialised step (an advisory lock held until that step commits):
 * every committed change without a cursor, oldest id first, gets the next
 * cursors after the largest given.  Steps follow one another, and a step
 * sees only committed changes, so no reader can see a cursor before every
 * smaller one is visible too; a change of a transaction still running is
 * simply not in the feed yet, and gets a larger cursor once it commits.
 */
#define FEED_LOCK "1952605796" /* the pg_advisory_xact_lock key: "tbfd" */

static int place_changes_tx(struct srv_db *db, void *arg, struct err *e)
{
	(void)arg;
	if (srv_db_run(db, e, "SELECT pg_advisory_xact_lock(" FEED_LOCK ")", "") < 0)
		return -1;
	return srv_db_run(db, e,
	                  "WITH todo AS (SELECT id, row_number() OVER (ORDER BY id) AS n"
	                  " FROM changes WHERE cursor IS NULL),"
	                  " top AS (SELECT coalesce(max(cursor), 0) AS m FROM changes)"
	                  " UPDATE changes c SET cursor = top.m + todo.n FROM todo, top"
	                  " WHERE c.id = todo.id",
	                  "");
}

/* PostgreSQL: place every committed change that has no cursor yet.  When
 * the database stays locked meanwhile, what is placed is served as it is.
 * 0 or -1. */
static int place_changes(struct srv_store *s, struct err *e)
{
	struct err why = {"", ERR_NONE};
	long long waiting = 0;

	if (srv_db_dialect(s->db) != SRV_DB_POSTGRESQL)
		return 0;
	if (srv_db_get_int(s->db, e, &waiting,
	                   "SELECT count(*) FROM (SELECT 1 FROM changes WHERE cursor IS NULL"
	                   " LIMIT 1) AS w",
	                   "") < 0)
		return -1;
	if (waiting == 0 || srv_db_tx(s->db, place_changes_tx, NULL, &why) == 0)
		return 0;
	if (why.kind == ERR_BUSY)
		return 0; /* locked elsewhere: these wait for the next read, none is skipped */
	if (e != NULL)
		*e = why;
	return -1;
}

int srv_store_change_cursor(struct srv_store *s, long long change, long long *cursor, struct err *e)
{
	if (srv_db_dialect(s->db) != SRV_DB_POSTGRESQL) {
		*cursor = change;
		return 0;
	}
	if (place_changes(s, e) < 0)
		return -1;
	if (srv_db_get_int(s->db, e, cursor,
	                   "SELECT coalesce(cursor, 0) FROM changes WHERE id = ?1", "l",
	                   change) != 1) {
		if (e != NULL && e->kind == ERR_NONE)
			err_set(e, "database: change %lld is not there", change);
		return -1;
	}
	return 0;
}

/* The change in the current row of the changes query below. */
static void read_change(struct srv_db_stmt *st, struct srv_change *ch)
{
	ch->cursor = srv_db_col_int(st, 0);
	ch->kind = srv_db_col_text(st, 1);
	ch->case_id = srv_db_col_text(st, 2);
	ch->version = srv_db_col_text(st, 3);
	ch->case_no = srv_db_col_text(st, 4);
	ch->event = srv_db_col_text(st, 5);
	ch->received_at = srv_db_col_text(st, 6);
	ch->official_no = srv_db_col_text(st, 7);
}

int srv_store_changes(struct srv_store *s, const char *hall, long long since, int limit,
                      srv_change_fn fn, void *arg, bool *more, long long *next, struct err *e)
{
	struct srv_db_stmt *st;
	struct srv_change ch;
	int rc, n = 0;

	*more = false;
	*next = since;
	if (place_changes(s, e) < 0)
		return -1;
	/* the hall's changes and every hall's, each read in cursor order from
	 * the index (hall, cursor) up to the limit, then merged; an event that
	 * is gone reads as JSON null */
	st = srv_db_query(s->db, e,
	                  "SELECT ch.cursor, ch.kind, ch.case_id, coalesce(ch.version, ''),"
	                  " coalesce(c.case_no, ''), coalesce(ev.canonical, 'null'),"
	                  " coalesce(ev.received_at, ''), coalesce(c.official_no, '')"
	                  " FROM (SELECT * FROM (SELECT * FROM changes WHERE hall = ?2"
	                  " AND cursor > ?1 ORDER BY cursor LIMIT ?3) AS own UNION ALL"
	                  " SELECT * FROM (SELECT * FROM changes WHERE hall IS NULL"
	                  " AND cursor > ?1 ORDER BY cursor LIMIT ?3) AS every) AS ch"
	                  " LEFT JOIN events ev ON ev.uuid = ch.event_uuid"
	                  " LEFT JOIN cases c ON c.id = ch.case_id"
	                  " ORDER BY ch.cursor LIMIT ?3",
	                  "lsi", since, hall, limit + 1);
	if (st == NULL)
		return -1;
	while ((rc = srv_db_step(st, e)) == 1) {
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
	srv_db_done(st);
	return rc < 0 ? -1 : 0;
}

int srv_store_document_put(struct srv_store *s, const char *kind, const char *version,
                           const char *body, const char *updated_at, struct err *e)
{
	return srv_db_run(s->db, e,
	                  "INSERT INTO documents (kind, version, body, updated_at)"
	                  " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(kind) DO UPDATE SET"
	                  " version = ?2, body = ?3, updated_at = ?4",
	                  "ssss", kind, version, body, updated_at);
}

int srv_store_document_get(struct srv_store *s, const char *kind, char **version, char **body,
                           struct err *e)
{
	struct srv_db_stmt *st = srv_db_query(
	    s->db, e, "SELECT version, body FROM documents WHERE kind = ?1", "s", kind);
	int rc;

	*version = *body = NULL;
	if (st == NULL)
		return -1;
	rc = srv_db_step(st, e);
	if (rc == 1) {
		*version = srv_db_col_dup(st, 0);
		*body = srv_db_col_dup(st, 1);
	}
	srv_db_done(st);
	return rc;
}

int srv_store_document_version(struct srv_store *s, const char *kind, char **version, struct err *e)
{
	struct srv_db_stmt *st =
	    srv_db_query(s->db, e, "SELECT version FROM documents WHERE kind = ?1", "s", kind);
	int rc;

	*version = NULL;
	if (st == NULL)
		return -1;
	if ((rc = srv_db_step(st, e)) == 1)
		*version = srv_db_col_dup(st, 0);
	srv_db_done(st);
	return rc;
}

int srv_store_case_each(struct srv_store *s, const char *hall, srv_case_fn fn, void *arg,
                        struct err *e)
{
	return each_case(srv_db_query(s->db, e,
	                              "SELECT " CASE_COLS
	                              " FROM cases c WHERE ?1 IS NULL OR c.hall = ?1"
	                              " ORDER BY c.hall, c.received_at, c.rowid",
	                              "s", hall),
	                 fn, arg, e);
}

int srv_store_case_progress(struct srv_store *s, const char *id, const char *outcome,
                            const char *due, const char *done, bool verified, struct err *e)
{
	return srv_db_run(
	    s->db, e,
	    "UPDATE cases SET outcome = CASE WHEN outcome = 'undecided' AND ?2 IS NOT NULL"
	    " THEN ?2 ELSE outcome END, due_on = coalesce(?3, due_on),"
	    " done_on = CASE WHEN done_on = '' THEN coalesce(?4, '') ELSE done_on END,"
	    " verified = CASE WHEN ?5 = 1 THEN 1 ELSE verified END WHERE id = ?1",
	    "ssssi", id, outcome, due, done, verified ? 1 : 0);
}

int srv_store_release_put(struct srv_store *s, const struct srv_release *r, struct err *e)
{
	return srv_db_run(s->db, e,
	                  "INSERT INTO releases (case_id, hall, method, collector_name,"
	                  " collector_id_number, collector_is_agent, courier, tracking_no, address,"
	                  " released_on, released_at, clerk, \"window\", event_uuid)"
	                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
	                  "sseeeieeesssss", r->case_id, r->hall, r->method, r->collector_name,
	                  r->collector_id_number, r->collector_is_agent ? 1 : 0, r->courier,
	                  r->tracking_no, r->address, r->on, r->at, r->clerk, r->window,
	                  r->event_uuid);
}

int srv_store_rating_put(struct srv_store *s, const struct srv_rating *r, struct err *e)
{
	if (srv_db_run(
	        s->db, e,
	        "INSERT INTO ratings (case_id, hall, level, comment, rated_on, rated_at, clerk,"
	        " released_by, event_uuid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
	        " coalesce((SELECT clerk FROM releases WHERE case_id = ?1), ''), ?8)"
	        " ON CONFLICT(case_id) DO NOTHING",
	        "ssiessss", r->case_id, r->hall, r->level, r->comment, r->on, r->at, r->clerk,
	        r->event_uuid) < 0)
		return -1;
	if (srv_db_changes(s->db) == 0)
		return 1;
	if (r->follow_up_due == NULL)
		return 0;
	return srv_db_run(
	    s->db, e,
	    "INSERT INTO follow_ups (case_id, hall, due, state) VALUES (?1, ?2, ?3, 'open')", "sss",
	    r->case_id, r->hall, r->follow_up_due);
}

int srv_store_follow_up_close(struct srv_store *s, const char *case_id, const char *note,
                              const char *on, const char *clerk, const char *event_uuid,
                              struct err *e)
{
	if (srv_db_run(
	        s->db, e,
	        "UPDATE follow_ups SET state = 'closed', note = ?2, closed_on = ?3, closed_by = ?4,"
	        " event_uuid = ?5 WHERE case_id = ?1 AND state = 'open'",
	        "sesss", case_id, note, on, clerk, event_uuid) < 0)
		return -1;
	return srv_db_changes(s->db) == 1 ? 0 : 1;
}

int srv_store_revocation_put(struct srv_store *s, const struct srv_revocation *r, struct err *e)
{
	if (srv_db_run(
	        s->db, e,
	        "INSERT INTO revocations (case_id, hall, reason, revoked_on, revoked_at, clerk,"
	        " event_uuid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	        "ssessss", r->case_id, r->hall, r->reason, r->on, r->at, r->clerk,
	        r->event_uuid) < 0)
		return -1;
	if (!r->credit_record)
		return 0;
	return srv_db_run(
	    s->db, e,
	    "INSERT INTO credit_records (hall, case_id, applicant_name, id_number, reason,"
	    " recorded_on, event_uuid) SELECT hall, id, applicant_name, id_number, ?2, ?3,"
	    " ?4 FROM cases WHERE id = ?1",
	    "sess", r->case_id, r->reason, r->on, r->event_uuid);
}

int srv_store_withdrawal_put(struct srv_store *s, const struct srv_withdrawal *w, struct err *e)
{
	return srv_db_run(
	    s->db, e,
	    "INSERT INTO withdrawals (case_id, hall, supply_by, reason, withdrawn_on,"
	    " withdrawn_at, clerk, event_uuid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	    "sssessss", w->case_id, w->hall, w->supply_by, w->reason, w->on, w->at, w->clerk,
	    w->event_uuid);
}

int srv_store_follow_ups(struct srv_store *s, const char *hall, const char *state, int limit,
                         srv_follow_up_fn fn, void *arg, struct err *e)
{
	/* the newest due first from an index of the hall's follow-ups (of one
	 * state, or all), each one's case and rating looked up by its key */
#define FOLLOW_UP_ROWS(where)                                                                      \
	"SELECT f.case_id, c.case_no, coalesce(c.official_no, ''), c.item_code, c.item_name,"      \
	" (SELECT g.level FROM ratings g WHERE g.case_id = f.case_id),"                            \
	" (SELECT g.comment FROM ratings g WHERE g.case_id = f.case_id),"                          \
	" (SELECT g.clerk FROM ratings g WHERE g.case_id = f.case_id),"                            \
	" f.due, f.state, f.note, f.closed_on, f.closed_by"                                        \
	" FROM follow_ups f JOIN cases c ON c.id = f.case_id WHERE " where                         \
	" ORDER BY f.due DESC, f.rowid DESC LIMIT ?3"
	struct srv_db_stmt *st =
	    state != NULL ? srv_db_query(s->db, e, FOLLOW_UP_ROWS("f.hall = ?1 AND f.state = ?2"),
	                                 "ssi", hall, state, limit)
	                  : srv_db_query(s->db, e, FOLLOW_UP_ROWS("f.hall = ?1 AND ?2 IS NULL"),
	                                 "ssi", hall, state, limit);
#undef FOLLOW_UP_ROWS
	struct srv_follow_up f;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = srv_db_step(st, e)) == 1) {
		f = (struct srv_follow_up){
		    .case_id = srv_db_col_text(st, 0),
		    .case_no = srv_db_col_text(st, 1),
		    .official_no = srv_db_col_text(st, 2),
		    .item_code = srv_db_col_text(st, 3),
		    .item_name = srv_db_col_text(st, 4),
		    .level = (int)srv_db_col_int(st, 5),
		    .comment = srv_db_col_text(st, 6),
		    .rated_by = srv_db_col_text(st, 7),
		    .due = srv_db_col_text(st, 8),
		    .state = srv_db_col_text(st, 9),
		    .note = srv_db_col_text(st, 10),
		    .closed_on = srv_db_col_text(st, 11),
		    .closed_by = srv_db_col_text(st, 12),
		};
		if (fn(&f, arg) != 0)
			break;
	}
	srv_db_done(st);
	return rc < 0 ? -1 : 0;
}

/* The life in the current row of the case life query, from column 1. */
static void read_case_life(struct srv_db_stmt *st, struct srv_case_life *l)
{
	int i = 1;

	memset(l, 0, sizeof *l);
	l->has_release = srv_db_col_int(st, i++) != 0;
	l->release.method = srv_db_col_text(st, i++);
	l->release.collector_name = srv_db_col_text(st, i++);
	l->release.collector_id_number = srv_db_col_text(st, i++);
	l->release.collector_is_agent = srv_db_col_int(st, i++) != 0;
	l->release.courier = srv_db_col_text(st, i++);
	l->release.tracking_no = srv_db_col_text(st, i++);
	l->release.address = srv_db_col_text(st, i++);
	l->release.on = srv_db_col_text(st, i++);
	l->release.at = srv_db_col_text(st, i++);
	l->release.clerk = srv_db_col_text(st, i++);
	l->release.window = srv_db_col_text(st, i++);
	l->has_rating = srv_db_col_int(st, i++) != 0;
	l->rating.level = (int)srv_db_col_int(st, i++);
	l->rating.comment = srv_db_col_text(st, i++);
	l->rating.on = srv_db_col_text(st, i++);
	l->rating.at = srv_db_col_text(st, i++);
	l->rating.clerk = srv_db_col_text(st, i++);
	l->released_by = srv_db_col_text(st, i++);
	l->has_follow_up = srv_db_col_int(st, i++) != 0;
	l->follow_up.due = srv_db_col_text(st, i++);
	l->follow_up.state = srv_db_col_text(st, i++);
	l->follow_up.note = srv_db_col_text(st, i++);
	l->follow_up.closed_on = srv_db_col_text(st, i++);
	l->follow_up.closed_by = srv_db_col_text(st, i++);
	l->has_revocation = srv_db_col_int(st, i++) != 0;
	l->revocation.reason = srv_db_col_text(st, i++);
	l->revocation.on = srv_db_col_text(st, i++);
	l->revocation.at = srv_db_col_text(st, i++);
	l->revocation.clerk = srv_db_col_text(st, i++);
	l->has_credit_record = srv_db_col_int(st, i++) != 0;
	l->credit_record.applicant_name = srv_db_col_text(st, i++);
	l->credit_record.id_number = srv_db_col_text(st, i++);
	l->credit_record.reason = srv_db_col_text(st, i++);
	l->credit_record.recorded_on = srv_db_col_text(st, i++);
	l->has_withdrawal = srv_db_col_int(st, i++) != 0;
	l->withdrawal.supply_by = srv_db_col_text(st, i++);
	l->withdrawal.reason = srv_db_col_text(st, i++);
	l->withdrawal.on = srv_db_col_text(st, i++);
	l->withdrawal.at = srv_db_col_text(st, i++);
	l->withdrawal.clerk = srv_db_col_text(st, i);
}

int srv_store_case_life(struct srv_store *s, const char *id, srv_case_life_fn fn, void *arg,
                        struct err *e)
{
	struct srv_db_stmt *st = srv_db_query(
	    s->db, e,
	    "SELECT c.id, r.case_id IS NOT NULL, r.method, r.collector_name, r.collector_id_number,"
	    " r.collector_is_agent, r.courier, r.tracking_no, r.address, r.released_on,"
	    " r.released_at, r.clerk, r.\"window\","
	    " g.case_id IS NOT NULL, g.level, g.comment, g.rated_on, g.rated_at, g.clerk,"
	    " g.released_by,"
	    " f.case_id IS NOT NULL, f.due, f.state, f.note, f.closed_on, f.closed_by,"
	    " v.case_id IS NOT NULL, v.reason, v.revoked_on, v.revoked_at, v.clerk,"
	    " k.id IS NOT NULL, k.applicant_name, k.id_number, k.reason, k.recorded_on,"
	    " w.case_id IS NOT NULL, w.supply_by, w.reason, w.withdrawn_on, w.withdrawn_at, w.clerk"
	    " FROM cases c LEFT JOIN releases r ON r.case_id = c.id"
	    " LEFT JOIN ratings g ON g.case_id = c.id LEFT JOIN follow_ups f ON f.case_id = c.id"
	    " LEFT JOIN revocations v ON v.case_id = c.id"
	    " LEFT JOIN credit_records k ON k.event_uuid = v.event_uuid"
	    " LEFT JOIN withdrawals w ON w.case_id = c.id WHERE c.id = ?1",
	    "s", id);
	struct srv_case_life l;
	int rc;

	if (st == NULL)
		return -1;
	rc = srv_db_step(st, e);
	if (rc == 1) {
		read_case_life(st, &l);
		fn(&l, arg);
	}
	srv_db_done(st);
	return rc;
}

int srv_store_case_stats(struct srv_store *s, const char *hall, const char *from, const char *to,
                         srv_case_stats_fn fn, void *arg, struct err *e)
{
	/* the period's cases from the (hall, applied_on) index, what else is kept
	 * of each looked up by its key (a join could read whole tables) */
	struct srv_db_stmt *st = srv_db_query(
	    s->db, e,
	    "SELECT c.item_code, c.item_name, c.dept, c.applied_on, c.outcome, c.due_on, c.done_on,"
	    " coalesce((SELECT r.released_on FROM releases r WHERE r.case_id = c.id), ''),"
	    " c.verified, EXISTS (SELECT 1 FROM revocations v WHERE v.case_id = c.id),"
	    " EXISTS (SELECT 1 FROM withdrawals w WHERE w.case_id = c.id),"
	    " coalesce((SELECT g.level FROM ratings g WHERE g.case_id = c.id), -1),"
	    " coalesce((SELECT f.state FROM follow_ups f WHERE f.case_id = c.id), ''),"
	    " CASE WHEN c.green_cert <> '' THEN 1 ELSE 0 END"
	    " FROM cases c WHERE c.hall = ?1 AND c.applied_on BETWEEN ?2 AND ?3"
	    " ORDER BY c.applied_on, c.rowid",
	    "sss", hall, from, to);
	struct srv_case_stats c;
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = srv_db_step(st, e)) == 1) {
		c = (struct srv_case_stats){
		    .item_code = srv_db_col_text(st, 0),
		    .item_name = srv_db_col_text(st, 1),
		    .dept = srv_db_col_text(st, 2),
		    .applied_on = srv_db_col_text(st, 3),
		    .outcome = srv_db_col_text(st, 4),
		    .due_on = srv_db_col_text(st, 5),
		    .done_on = srv_db_col_text(st, 6),
		    .released_on = srv_db_col_text(st, 7),
		    .verified = srv_db_col_int(st, 8) != 0,
		    .revoked = srv_db_col_int(st, 9) != 0,
		    .withdrawn = srv_db_col_int(st, 10) != 0,
		    .rating = (int)srv_db_col_int(st, 11),
		    .follow_up = srv_db_col_text(st, 12),
		    .green = srv_db_col_int(st, 13) != 0,
		};
		if (fn(&c, arg) != 0)
			break;
	}
	srv_db_done(st);
	return rc < 0 ? -1 : 0;
}
