/*
 * srv_migrate.c - tongband migrate: a hall's SQLite database into
 * PostgreSQL (srv_migrate.h).
 */
#include "server/srv_migrate.h"

#include <stdlib.h>
#include <string.h>

#include "core/progress.h"
#include "server/srv_audit.h"
#include "server/srv_db.h"
#include "server/srv_store.h"
#include "server/srv_store_int.h"

/* One table: how many columns, its rows read from SQLite in the order they
 * were made, and written to PostgreSQL (each value given as text; the
 * integers cast).  In the order their references need. */
static const struct table {
	const char *name;
	int n_cols;
	const char *select;
	const char *insert;
} tables[] = {
    {"users", 10,
     "SELECT id, name, hall, hall_name, \"window\", role, dept, pwhash, failed_logins, "
     "locked_until FROM users ORDER BY rowid",
     "INSERT INTO users (id, name, hall, hall_name, \"window\", role, dept, pwhash, failed_logins, "
     "locked_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, CAST(?9 AS bigint), CAST(?10 AS "
     "bigint))"},
    {"tokens", 3, "SELECT hash, user_id, expires FROM tokens ORDER BY rowid",
     "INSERT INTO tokens (hash, user_id, expires) VALUES (?1, ?2, CAST(?3 AS bigint))"},
    {"cases", 22,
     "SELECT rowid, id, hall, case_no, item_code, item_name, applicant_name, id_number, phone, "
     "state, last_seq, created_at, received_at, updated_at, payload, dept, official_no, "
     "applied_on, outcome, due_on, done_on, verified FROM cases ORDER BY rowid",
     "INSERT INTO cases (rowid, id, hall, case_no, item_code, item_name, applicant_name, "
     "id_number, phone, state, last_seq, created_at, received_at, updated_at, payload, dept, "
     "official_no, applied_on, outcome, due_on, done_on, verified) VALUES (CAST(?1 AS bigint), ?2, "
     "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, CAST(?11 AS bigint), ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
     "?19, ?20, ?21, CAST(?22 AS bigint))"},
    {"events", 12,
     "SELECT uuid, case_id, seq, type, hall, \"window\", clerk, client_time, payload, canonical, "
     "user_id, received_at FROM events ORDER BY rowid",
     "INSERT INTO events (uuid, case_id, seq, type, hall, \"window\", clerk, client_time, payload, "
     "canonical, user_id, received_at) VALUES (?1, ?2, CAST(?3 AS bigint), ?4, ?5, ?6, ?7, ?8, ?9, "
     "?10, ?11, ?12)"},
    {"changes", 8,
     "SELECT cursor, cursor, hall, kind, case_id, event_uuid, version, created_at FROM changes "
     "ORDER BY cursor",
     "INSERT INTO changes (id, cursor, hall, kind, case_id, event_uuid, version, created_at) "
     "VALUES (CAST(?1 AS bigint), CAST(?2 AS bigint), ?3, ?4, ?5, ?6, ?7, ?8)"},
    {"documents", 4, "SELECT kind, version, body, updated_at FROM documents ORDER BY rowid",
     "INSERT INTO documents (kind, version, body, updated_at) VALUES (?1, ?2, ?3, ?4)"},
    {"case_numbers", 3, "SELECT hall, year, last FROM case_numbers ORDER BY rowid",
     "INSERT INTO case_numbers (hall, year, last) VALUES (?1, ?2, CAST(?3 AS bigint))"},
    {"terminals", 5,
     "SELECT device, hall, code, first_user, created_at FROM terminals ORDER BY rowid",
     "INSERT INTO terminals (device, hall, code, first_user, created_at) VALUES (?1, ?2, CAST(?3 "
     "AS bigint), ?4, ?5)"},
    {"terminal_numbers", 2, "SELECT hall, last FROM terminal_numbers ORDER BY rowid",
     "INSERT INTO terminal_numbers (hall, last) VALUES (?1, CAST(?2 AS bigint))"},
    {"releases", 14,
     "SELECT case_id, hall, method, collector_name, collector_id_number, collector_is_agent, "
     "courier, tracking_no, address, released_on, released_at, clerk, \"window\", event_uuid FROM "
     "releases ORDER BY rowid",
     "INSERT INTO releases (case_id, hall, method, collector_name, collector_id_number, "
     "collector_is_agent, courier, tracking_no, address, released_on, released_at, clerk, "
     "\"window\", event_uuid) VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS bigint), ?7, ?8, ?9, ?10, "
     "?11, ?12, ?13, ?14)"},
    {"ratings", 9,
     "SELECT case_id, hall, level, comment, rated_on, rated_at, clerk, released_by, event_uuid "
     "FROM ratings ORDER BY rowid",
     "INSERT INTO ratings (case_id, hall, level, comment, rated_on, rated_at, clerk, released_by, "
     "event_uuid) VALUES (?1, ?2, CAST(?3 AS bigint), ?4, ?5, ?6, ?7, ?8, ?9)"},
    {"follow_ups", 9,
     "SELECT rowid, case_id, hall, due, state, note, closed_on, closed_by, event_uuid FROM "
     "follow_ups ORDER BY rowid",
     "INSERT INTO follow_ups (rowid, case_id, hall, due, state, note, closed_on, closed_by, "
     "event_uuid) VALUES (CAST(?1 AS bigint), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
    {"revocations", 7,
     "SELECT case_id, hall, reason, revoked_on, revoked_at, clerk, event_uuid FROM revocations "
     "ORDER BY rowid",
     "INSERT INTO revocations (case_id, hall, reason, revoked_on, revoked_at, clerk, event_uuid) "
     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
    {"credit_records", 8,
     "SELECT id, hall, case_id, applicant_name, id_number, reason, recorded_on, event_uuid FROM "
     "credit_records ORDER BY rowid",
     "INSERT INTO credit_records (id, hall, case_id, applicant_name, id_number, reason, "
     "recorded_on, event_uuid) VALUES (CAST(?1 AS bigint), ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
    {"withdrawals", 8,
     "SELECT case_id, hall, supply_by, reason, withdrawn_on, withdrawn_at, clerk, event_uuid FROM "
     "withdrawals ORDER BY rowid",
     "INSERT INTO withdrawals (case_id, hall, supply_by, reason, withdrawn_on, withdrawn_at, "
     "clerk, event_uuid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
    {"audit", 9,
     "SELECT id, at, user_id, hall, case_id, what, detail, prev, hash FROM audit ORDER BY id",
     "INSERT INTO audit (id, at, user_id, hall, case_id, what, detail, prev, hash) VALUES (CAST(?1 "
     "AS bigint), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
    {"device_audit", 10,
     "SELECT device, id, at, clerk, case_id, what, detail, prev, hash, received FROM device_audit "
     "ORDER BY device, id",
     "INSERT INTO device_audit (device, id, at, clerk, case_id, what, detail, prev, hash, "
     "received) VALUES (?1, CAST(?2 AS bigint), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"},
    {"certificates", 8,
     "SELECT type, number, holder_id, holder_name, issuer, issued_on, valid_until, imported_at "
     "FROM certificates ORDER BY rowid",
     "INSERT INTO certificates (type, number, holder_id, holder_name, issuer, issued_on, "
     "valid_until, imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},

};

#define N_TABLES  (sizeof tables / sizeof tables[0])
#define MAX_COLS  22
#define ROWS_SAID 1000 /* progress told every so many rows (core/progress.h) */

/* Identity columns whose next value must follow what was copied. */
static const char *const identities[] = {
    "SELECT setval(pg_get_serial_sequence('cases', 'rowid'),"
    " coalesce((SELECT max(rowid) FROM cases), 0) + 1, false)",
    "SELECT setval(pg_get_serial_sequence('follow_ups', 'rowid'),"
    " coalesce((SELECT max(rowid) FROM follow_ups), 0) + 1, false)",
    "SELECT setval(pg_get_serial_sequence('credit_records', 'id'),"
    " coalesce((SELECT max(id) FROM credit_records), 0) + 1, false)",
    "SELECT setval(pg_get_serial_sequence('changes', 'id'),"
    " coalesce((SELECT max(id) FROM changes), 0) + 1, false)",
};

/* Copy the current row of st into the table t of db.  0 or -1. */
static int copy_row(struct srv_db *db, const struct table *t, struct srv_db_stmt *st, struct err *e)
{
	static const char text_types[] = "ssssssssssssssssssssss";
	const char *v[MAX_COLS] = {0};
	char types[MAX_COLS + 1];
	int i;

	_Static_assert(sizeof text_types == MAX_COLS + 1, "a type for each column");
	for (i = 0; i < t->n_cols; i++)
		v[i] = srv_db_col_value(st, i);
	str_copy(types, (size_t)t->n_cols + 1, text_types);
	/* every value as text, the unused ones beyond the table's columns ignored */
	return srv_db_run(db, e, t->insert, types, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7],
	                  v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17], v[18],
	                  v[19], v[20], v[21]);
}

/* Copy table t from src into dst; its count of rows into *rows.  0 or -1. */
static int copy_table(struct srv_db *src, struct srv_db *dst, const struct table *t,
                      long long *rows, long long before, struct progress *p, struct err *e)
{
	struct srv_db_stmt *st = srv_db_query(src, e, t->select, "");
	int rc;

	*rows = 0;
	if (st == NULL)
		return -1;
	while ((rc = srv_db_step(st, e)) == 1) {
		if (copy_row(dst, t, st, e) < 0) {
			err_prefix(e, "%s, row %lld: ", t->name, *rows + 1);
			rc = -1;
			break;
		}
		if (++*rows % ROWS_SAID == 0 && p != NULL)
			progress_set(p, before + *rows, t->name);
	}
	srv_db_done(st);
	return rc < 0 ? -1 : 0;
}

/* The rows of table name in db, or -1. */
static long long count_rows(struct srv_db *db, const char *name, struct err *e)
{
	char *sql = xasprintf("SELECT count(*) FROM %s", name);
	struct srv_db_stmt *st = srv_db_prepare(db, sql, e);
	long long n = -1;

	if (st != NULL && srv_db_step(st, e) == 1)
		n = srv_db_col_int(st, 0);
	srv_db_done(st);
	free(sql);
	return n;
}

/* Whether the target holds anything of a hall already.  0 empty, -1 not
 * (or it could not be read), e filled. */
static int check_empty(struct srv_db *db, struct err *e)
{
	static const char *const kept[] = {"users", "cases", "events", "changes", "audit"};
	size_t i;

	for (i = 0; i < sizeof kept / sizeof kept[0]; i++) {
		long long n = count_rows(db, kept[i], e);

		if (n < 0)
			return -1;
		if (n > 0) {
			err_set(
			    e,
			    "the PostgreSQL database already holds %s (%lld rows): migrate into "
			    "a new, empty database",
			    kept[i], n);
			return -1;
		}
	}
	return 0;
}

/* What the copy's transaction needs. */
struct copy {
	struct srv_store *from, *to;
	FILE *report;
	struct progress *progress; /* the rows copied of all, or NULL */
	long long rows[N_TABLES];
};

static int copy_tx(struct srv_store *to, void *arg, struct err *e)
{
	struct copy *c = arg;
	struct srv_db *src = srv_store_db(c->from), *dst = srv_store_db(to);
	char detail[160];
	long long cases = 0;
	size_t i;

	long long total = 0, done = 0, n;

	if (check_empty(dst, e) < 0)
		return -1;
	for (i = 0; i < N_TABLES; i++) {
		if ((n = count_rows(src, tables[i].name, e)) < 0)
			return -1;
		total += n;
	}
	if (c->progress)
		progress_set_total(c->progress, total);
	for (i = 0; i < N_TABLES; i++) {
		if (copy_table(src, dst, &tables[i], &c->rows[i], done, c->progress, e) < 0)
			return -1;
		done += c->rows[i];
		if (c->progress)
			progress_set(c->progress, done, tables[i].name);
		if (strcmp(tables[i].name, "cases") == 0)
			cases = c->rows[i];
	}
	for (i = 0; i < sizeof identities / sizeof identities[0]; i++)
		if (srv_db_run(dst, e, identities[i], "") < 0)
			return -1;
	for (i = 0; i < N_TABLES; i++) {
		n = count_rows(dst, tables[i].name, e);
		if (n < 0)
			return -1;
		if (n != c->rows[i]) {
			err_set(e, "%s: %lld rows read, %lld in PostgreSQL", tables[i].name,
			        c->rows[i], n);
			return -1;
		}
	}
	snprintf(detail, sizeof detail, "the hall's SQLite database migrated: %lld cases", cases);
	return srv_audit_add(to, SRV_AUDIT_OPERATOR, "", "", SRV_AUDIT_IMPORT, detail, e);
}

int srv_migrate(const char *from, const char *to, FILE *report, struct err *e)
{
	struct copy c;
	struct progress p;
	size_t i;
	int rc = -1;

	memset(&c, 0, sizeof c);
	c.report = report;
	if (report != NULL) { /* a bar on a terminal, plain lines otherwise */
		progress_begin(&p, stderr, "migrate", 0);
		c.progress = &p;
	}
	if (srv_db_is_postgresql(from)) {
		err_set(e, "--from must be an SQLite database (sqlite:PATH)");
		return -1;
	}
	if (!srv_db_is_postgresql(to)) {
		err_set(e, "--to must be a PostgreSQL database (postgresql://...)");
		return -1;
	}
	if (srv_store_open(&c.from, from, e) < 0)
		return -1;
	/* the hall's file holds still while it is read: its write lock is held
	 * (a tongband serving it answers 503 meanwhile; better stop it first) */
	if (srv_store_open(&c.to, to, e) == 0 && srv_store_begin(c.from, e) == 0) {
		rc = srv_store_tx(c.to, copy_tx, &c, e);
		srv_store_rollback(c.from);
	}
	if (c.progress)
		progress_end(c.progress);
	srv_store_close(c.to);
	srv_store_close(c.from);
	if (rc == 0 && report != NULL)
		for (i = 0; i < N_TABLES; i++)
			fprintf(report, "%-17s %lld rows, as many in PostgreSQL\n", tables[i].name,
			        c.rows[i]);
	return rc;
}
