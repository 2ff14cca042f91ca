/*
 * schema.c - the client database: its schema as numbered migrations, and
 * opening it (WAL, synchronous=FULL, private file; src/db does the rest).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/i18n.h"
#include "store/store_int.h"

/* Numbered migrations: entry i brings the schema from version i to i + 1.
 * Each runs in one transaction with the user_version bump.  Never edit a
 * shipped one: add the next. */
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
    /* 5 -> 6: decisions keep their dates on the case row (the lists read them
     * without parsing events); case numbers count per terminal and day; the
     * status line's outbox counts are kept by triggers in the same
     * transactions that change the outbox */
    "ALTER TABLE cases ADD COLUMN due_date TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN supply_by TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN commit_due TEXT NOT NULL DEFAULT '';"
    "UPDATE cases SET due_date = coalesce((SELECT json_extract(e.body, '$.payload.promised_date')"
    "  FROM events e WHERE e.case_id = cases.id AND e.type IN ('accepted', 'committed')"
    "  ORDER BY e.seq DESC LIMIT 1), '');"
    "UPDATE cases SET supply_by = coalesce((SELECT json_extract(e.body, '$.payload.supply_by')"
    "  FROM events e WHERE e.case_id = cases.id AND e.type = 'notice_issued'"
    "  ORDER BY e.seq DESC LIMIT 1), '');"
    "UPDATE cases SET commit_due = coalesce((SELECT min(json_extract(j.value, '$.due_date'))"
    "  FROM events e, json_each(json_extract(e.body, '$.payload.commitments')) j"
    "  WHERE e.case_id = cases.id AND e.type = 'committed'), '');"
    "CREATE INDEX cases_created ON cases (created_at);"
    "CREATE TABLE case_numbers (day TEXT NOT NULL, terminal TEXT NOT NULL,"
    "  next INTEGER NOT NULL, PRIMARY KEY (day, terminal));"
    "CREATE TABLE outbox_counts (state TEXT PRIMARY KEY, n INTEGER NOT NULL);"
    "INSERT INTO outbox_counts (state, n) SELECT s.column1,"
    "  (SELECT count(*) FROM outbox o WHERE o.state = s.column1)"
    "  FROM (VALUES ('waiting'), ('sending'), ('sent'), ('problem')) s;"
    "CREATE TRIGGER outbox_counts_insert AFTER INSERT ON outbox BEGIN"
    "  UPDATE outbox_counts SET n = n + 1 WHERE state = NEW.state; END;"
    "CREATE TRIGGER outbox_counts_delete AFTER DELETE ON outbox BEGIN"
    "  UPDATE outbox_counts SET n = n - 1 WHERE state = OLD.state; END;"
    "CREATE TRIGGER outbox_counts_update AFTER UPDATE OF state ON outbox"
    "  WHEN OLD.state != NEW.state BEGIN"
    "  UPDATE outbox_counts SET n = n - 1 WHERE state = OLD.state;"
    "  UPDATE outbox_counts SET n = n + 1 WHERE state = NEW.state; END;",
    /* 6 -> 7: an event being sent is claimed by the connection sending it, so a
     * second program (tongban sync beside the TUI) never puts it back */
    "ALTER TABLE outbox ADD COLUMN claim TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE outbox ADD COLUMN claimed_at INTEGER NOT NULL DEFAULT 0;",
    /* 7 -> 8: the casework's marks on the case row (the queue, the record and the
     * statistics read them without parsing events), case search (trigrams of the
     * numbers and the name, pinyin initials), and the record of who saw what */
    "ALTER TABLE cases ADD COLUMN received_on TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN outcome TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN done_on TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN released_on TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN rating INTEGER NOT NULL DEFAULT -1;"
    "ALTER TABLE cases ADD COLUMN follow_up_due TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN follow_up_open INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cases ADD COLUMN verified INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cases ADD COLUMN credit_record INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE cases ADD COLUMN initials TEXT NOT NULL DEFAULT '';"
    "UPDATE cases SET received_on = substr(created_at, 1, 10);"
    "UPDATE cases SET outcome = coalesce((SELECT CASE e.type WHEN 'notice_issued' THEN 'notice'"
    "  ELSE e.type END FROM events e WHERE e.case_id = cases.id AND e.type IN"
    "  ('accepted', 'notice_issued', 'committed', 'refused') ORDER BY e.seq LIMIT 1), '');"
    "UPDATE cases SET done_on = coalesce((SELECT substr(e.created_at, 1, 10) FROM events e"
    "  WHERE e.case_id = cases.id AND e.type IN ('decided', 'refused', 'revoked', 'withdrawn')"
    "  ORDER BY e.seq DESC LIMIT 1), '');"
    "UPDATE cases SET released_on = coalesce((SELECT substr(e.created_at, 1, 10) FROM events e"
    "  WHERE e.case_id = cases.id AND e.type = 'released' ORDER BY e.seq DESC LIMIT 1), '');"
    "UPDATE cases SET rating = coalesce((SELECT json_extract(e.body, '$.payload.level')"
    "  FROM events e WHERE e.case_id = cases.id AND e.type = 'rated'"
    "  ORDER BY e.seq DESC LIMIT 1), -1);"
    "UPDATE cases SET verified = EXISTS (SELECT 1 FROM events e WHERE e.case_id = cases.id"
    "  AND e.type = 'verified' AND json_extract(e.body, '$.payload.outcome') = 'confirmed');"
    "UPDATE cases SET credit_record = state = 'revoked';"
    "CREATE INDEX cases_received ON cases (received_on);"
    "CREATE INDEX cases_state ON cases (state, received_on);"
    "CREATE INDEX cases_name ON cases (applicant_name);"
    "CREATE INDEX cases_initials ON cases (initials);"
    "CREATE INDEX cases_item ON cases (item_code, created_at);"
    "CREATE INDEX cases_follow_up ON cases (follow_up_due) WHERE follow_up_open = 1;"
    "CREATE INDEX cases_to_verify ON cases (commit_due) WHERE outcome = 'committed'"
    "  AND verified = 0;"
    "CREATE VIRTUAL TABLE case_text USING fts5(case_no, official_no, applicant_name,"
    "  id_number, phone, item_code, item_name, content='cases', content_rowid='rowid',"
    "  tokenize='trigram');"
    "CREATE TRIGGER case_text_insert AFTER INSERT ON cases BEGIN INSERT INTO"
    "  case_text (rowid, case_no, official_no, applicant_name, id_number, phone,"
    "  item_code, item_name) VALUES (NEW.rowid, NEW.case_no, NEW.official_no,"
    "  NEW.applicant_name, NEW.id_number, NEW.phone, NEW.item_code, NEW.item_name);"
    "  END;"
    "CREATE TRIGGER case_text_delete AFTER DELETE ON cases BEGIN INSERT INTO"
    "  case_text (case_text, rowid, case_no, official_no, applicant_name, id_number,"
    "  phone, item_code, item_name) VALUES ('delete', OLD.rowid, OLD.case_no,"
    "  OLD.official_no, OLD.applicant_name, OLD.id_number, OLD.phone, OLD.item_code,"
    "  OLD.item_name); END;"
    "CREATE TRIGGER case_text_update AFTER UPDATE OF case_no, official_no,"
    "  applicant_name, id_number, phone, item_code, item_name ON cases BEGIN INSERT"
    "  INTO case_text (case_text, rowid, case_no, official_no, applicant_name,"
    "  id_number, phone, item_code, item_name) VALUES ('delete', OLD.rowid,"
    "  OLD.case_no, OLD.official_no, OLD.applicant_name, OLD.id_number, OLD.phone,"
    "  OLD.item_code, OLD.item_name); INSERT INTO case_text (rowid, case_no,"
    "  official_no, applicant_name, id_number, phone, item_code, item_name) VALUES"
    "  (NEW.rowid, NEW.case_no, NEW.official_no, NEW.applicant_name, NEW.id_number,"
    "  NEW.phone, NEW.item_code, NEW.item_name); END;"
    "INSERT INTO case_text (case_text) VALUES ('rebuild');"
    "CREATE TABLE audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,"
    "  clerk TEXT NOT NULL, case_id TEXT NOT NULL, what TEXT NOT NULL,"
    "  detail TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX audit_case ON audit (case_id, id);",
    /* 8 -> 9: a session per clerk (each clerk's events go with that clerk's
     * token: tongband takes the clerk from the session); the audit rows on a
     * hash chain (BLAKE2b of the previous row's hash and the row), sent to
     * tongband */
    "CREATE TABLE sessions (clerk_id TEXT PRIMARY KEY, token TEXT NOT NULL,"
    "  expires INTEGER NOT NULL, at INTEGER NOT NULL);"
    "INSERT INTO sessions (clerk_id, token, expires, at)"
    "  SELECT clerk_id, token, expires, 0 FROM session;"
    "DROP TABLE session;"
    "ALTER TABLE audit ADD COLUMN prev TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE audit ADD COLUMN hash TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE audit ADD COLUMN sent INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX audit_unsent ON audit (sent, id);",
    /* 9 -> 10: 一件事一次办: the parts of a bundle share its id; 绿色通道: a key
     * project's certificate and its designated helper (代办员) */
    "ALTER TABLE cases ADD COLUMN bundle_id TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN bundle_code TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN bundle_name TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN green_cert TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE cases ADD COLUMN green_helper TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX cases_bundle ON cases (bundle_id) WHERE bundle_id <> '';",
    /* 10 -> 11: the e-certificate checks of the counter (store/ecert.h): one per
     * type and holder, pending until the sync agent has asked tongband */
    "CREATE TABLE ecert_checks (type TEXT NOT NULL, holder_id TEXT NOT NULL,"
    "  state TEXT NOT NULL, number TEXT NOT NULL DEFAULT '',"
    "  holder_name TEXT NOT NULL DEFAULT '', issuer TEXT NOT NULL DEFAULT '',"
    "  valid_until TEXT NOT NULL DEFAULT '', asked_on TEXT NOT NULL,"
    "  asked_at TEXT NOT NULL, checked_at TEXT NOT NULL DEFAULT '', clerk_id TEXT NOT NULL,"
    "  PRIMARY KEY (type, holder_id));"
    "CREATE INDEX ecert_checks_state ON ecert_checks (state);",
};
_Static_assert(sizeof migrations / sizeof migrations[0] == STORE_SCHEMA_VERSION,
               "STORE_SCHEMA_VERSION must match the migrations");

time_t store_clock_now(void)
{
	const char *off = getenv("TONGBAN_FAKE_CLOCK_OFFSET");

	return time(NULL) + (off && *off ? (time_t)strtoll(off, NULL, 10) : 0);
}

void store_now_iso(char out[32])
{
	time_iso_shanghai(store_clock_now(), out);
}

struct store *store_open_with(const char *path, unsigned flags, int busy_ms, struct err *e)
{
	struct store *st = xcalloc(1, sizeof *st);
	bool ro = (flags & STORE_READONLY) != 0;

	{
		char id[UUID_LEN + 1];

		uuid_make(id);
		snprintf(st->claim, sizeof st->claim, "%ld-%s", (long)getpid(), id);
	}
	st->db = db_open(path, ro ? DB_READONLY : DB_CREATE, busy_ms, e);
	if (st->db == NULL || db_migrate(st->db, migrations, STORE_SCHEMA_VERSION, e) < 0) {
		if (st->db)
			err_prefix(e, "%s: ", path);
		store_close(st);
		return NULL;
	}
	return st;
}

struct store *store_open(const char *path, struct err *e)
{
	return store_open_with(path, 0, STORE_BUSY_MS, e);
}

void store_close(struct store *st)
{
	if (st == NULL)
		return;
	db_close(st->db);
	free(st);
}

void store_set_busy_ms(struct store *st, int busy_ms)
{
	db_set_busy_ms(st->db, busy_ms);
}

bool store_is_damaged(struct store *st)
{
	return db_is_damaged(st->db);
}

void store_mark_damaged(struct store *st)
{
	db_mark_damaged(st->db);
}

int store_quick_check(struct store *st, char **report, struct err *e)
{
	return db_quick_check(st->db, report, e);
}

long long store_change_counter(struct store *st)
{
	return db_change_counter(st->db);
}

const char *store_path(const struct store *st)
{
	return db_path(st->db);
}
