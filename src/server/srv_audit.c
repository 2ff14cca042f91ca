/*
 * srv_audit.c - tongband's audit chains (srv_audit.h).
 */
#include "server/srv_audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "server/srv_store_int.h"
#include "server/srv_time.h"

/* ---- tongband's own chain ---------------------------------------------------- */

/* Give r the next id after the chain's last row, its prev and its hash,
 * and insert it.  Under the write lock (see srv_audit_add). */
static int add_tx(struct db *db, void *arg, struct err *e)
{
	struct audit_row *r = arg;
	sqlite3_stmt *st =
	    db_query(db, e, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", "");
	int rc;

	if (st == NULL)
		return -1;
	r->id = 1;
	r->prev[0] = '\0';
	if ((rc = db_step(db, st, e)) == 1) {
		r->id = db_col_int(st, 0) + 1;
		db_col_copy(st, 1, r->prev, sizeof r->prev);
	}
	db_done(db, st);
	if (rc < 0)
		return -1;
	audit_row_hash(r, r->prev, r->hash);
	return db_run(db, e,
	              "INSERT INTO audit (id, at, user_id, hall, case_id, what, detail, prev, hash)"
	              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	              "leeeeeeee", r->id, r->at, r->clerk, r->hall, r->case_id, r->what, r->detail,
	              r->prev, r->hash);
}

int srv_audit_add(struct srv_store *s, const char *user, const char *hall, const char *case_id,
                  const char *what, const char *detail, struct err *e)
{
	struct audit_row r;

	memset(&r, 0, sizeof r);
	time_iso_shanghai(time(NULL), r.at);
	str_copy(r.clerk, sizeof r.clerk, user ? user : "");
	str_copy(r.hall, sizeof r.hall, hall ? hall : "");
	str_copy(r.case_id, sizeof r.case_id, case_id ? case_id : "");
	str_copy(r.what, sizeof r.what, what);
	str_copy(r.detail, sizeof r.detail, detail ? detail : "");
	/* in the caller's transaction a savepoint, else BEGIN IMMEDIATE: the
	 * write lock is held from the read of the last row to the insert */
	return db_tx(srv_store_db(s), add_tx, &r, e);
}

const char *srv_audit_query_kind(const char *query)
{
	size_t words = 0, numbers = 0, n, i;
	const char *p = query ? query : "";

	while (*p != '\0') {
		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		for (i = 0; i < n && (p[i] < '0' || p[i] > '9'); i++)
			;
		words += n > 0;
		numbers += n > 0 && i < n;
		p += n;
	}
	if (words == 0)
		return "none";
	if (numbers == words)
		return "number";
	return numbers == 0 ? "name" : "mixed";
}

/* ---- rows as stored ------------------------------------------------------------ */

/* A PC's row: from column col of a query of DEVICE_COLUMNS (and ours, with
 * user_id for clerk, hall after: OWN_COLUMNS). */
#define DEVICE_COLUMNS "id, at, clerk, case_id, what, detail, prev, hash"
#define OWN_COLUMNS    "id, at, user_id, case_id, what, detail, prev, hash, hall"

static void device_row_of(sqlite3_stmt *st, int col, struct audit_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, col);
	db_col_copy(st, col + 1, r->at, sizeof r->at);
	db_col_copy(st, col + 2, r->clerk, sizeof r->clerk);
	db_col_copy(st, col + 3, r->case_id, sizeof r->case_id);
	db_col_copy(st, col + 4, r->what, sizeof r->what);
	db_col_copy(st, col + 5, r->detail, sizeof r->detail);
	db_col_copy(st, col + 6, r->prev, sizeof r->prev);
	db_col_copy(st, col + 7, r->hash, sizeof r->hash);
}

static void own_row_of(sqlite3_stmt *st, struct audit_row *r)
{
	device_row_of(st, 0, r);
	db_col_copy(st, 8, r->hall, sizeof r->hall);
}

/* ---- verify and list ----------------------------------------------------------- */

/* Follow one chain's next row r: its check c moves on, and stops at the
 * first row that does not hold.  *last_id and last are where it stands. */
static void check_row(struct srv_audit_check *c, const struct audit_row *r, long long *last_id,
                      char last[AUDIT_HASH_LEN])
{
	c->rows++;
	if (c->bad_id != 0)
		return;
	if (audit_row_check(r, *last_id, last, c->why, sizeof c->why) < 0) {
		c->bad_id = r->id;
		return;
	}
	*last_id = r->id;
	str_copy(last, AUDIT_HASH_LEN, r->hash);
}

static int verify_own(struct db *db, struct srv_audit_check *c, struct err *e)
{
	sqlite3_stmt *st = db_query(db, e, "SELECT " OWN_COLUMNS " FROM audit ORDER BY id", "");
	char last[AUDIT_HASH_LEN] = "";
	long long last_id = 0;
	struct audit_row r;
	int rc;

	memset(c, 0, sizeof *c);
	if (st == NULL)
		return -1;
	while ((rc = db_step(db, st, e)) == 1) {
		own_row_of(st, &r);
		check_row(c, &r, &last_id, last);
	}
	db_done(db, st);
	return rc;
}

/* Hand the check c of a whole chain to fn; *broken set when it is. */
static void report(const struct srv_audit_check *c, srv_audit_check_fn fn, void *arg, bool *broken)
{
	*broken = *broken || c->bad_id != 0;
	fn(c, arg);
}

/* Each device's chain in turn (the rows come by device, then id). */
static int verify_devices(struct db *db, srv_audit_check_fn fn, void *arg, bool *broken,
                          struct err *e)
{
	sqlite3_stmt *st = db_query(
	    db, e, "SELECT device, " DEVICE_COLUMNS " FROM device_audit ORDER BY device, id", "");
	struct srv_audit_check c;
	char last[AUDIT_HASH_LEN] = "";
	long long last_id = 0;
	struct audit_row r;
	int rc;

	memset(&c, 0, sizeof c);
	if (st == NULL)
		return -1;
	while ((rc = db_step(db, st, e)) == 1) {
		if (strcmp(db_col_text(st, 0), c.device) != 0) {
			if (c.device[0] != '\0')
				report(&c, fn, arg, broken);
			memset(&c, 0, sizeof c);
			db_col_copy(st, 0, c.device, sizeof c.device);
			last_id = 0;
			last[0] = '\0';
		}
		device_row_of(st, 1, &r);
		check_row(&c, &r, &last_id, last);
	}
	db_done(db, st);
	if (rc == 0 && c.device[0] != '\0')
		report(&c, fn, arg, broken);
	return rc;
}

int srv_audit_verify(struct srv_store *s, srv_audit_check_fn fn, void *arg, struct err *e)
{
	struct db *db = srv_store_db(s);
	struct srv_audit_check own;
	bool broken = false;

	if (verify_own(db, &own, e) < 0)
		return -1;
	report(&own, fn, arg, &broken);
	if (verify_devices(db, fn, arg, &broken, e) < 0)
		return -1;
	return broken ? 0 : 1;
}

/* fn for each row of st (a query of OWN_COLUMNS, or of device and
 * DEVICE_COLUMNS when is_device), which is given back.  How many, or -1;
 * *stopped when fn stopped. */
static int list_rows(struct db *db, sqlite3_stmt *st, bool is_device, srv_audit_row_fn fn,
                     void *arg, bool *stopped, struct err *e)
{
	struct audit_row r;
	int n = 0, rc = 0;

	if (st == NULL)
		return -1;
	while (!*stopped && (rc = db_step(db, st, e)) == 1) {
		if (is_device)
			device_row_of(st, 1, &r);
		else
			own_row_of(st, &r);
		n++;
		*stopped = fn(is_device ? db_col_text(st, 0) : "", &r, arg) != 0;
	}
	db_done(db, st);
	return rc < 0 ? -1 : n;
}

int srv_audit_list(struct srv_store *s, const char *case_id, const char *device,
                   srv_audit_row_fn fn, void *arg, struct err *e)
{
	struct db *db = srv_store_db(s);
	const char *c = case_id ? case_id : "";
	bool stopped = false;
	int n, m;

	if (device != NULL)
		return list_rows(
		    db,
		    db_query(db, e,
		             "SELECT device, " DEVICE_COLUMNS " FROM device_audit"
		             " WHERE device = ?1 AND (?2 = '' OR case_id = ?2) ORDER BY id",
		             "se", device, c),
		    true, fn, arg, &stopped, e);
	n = list_rows(db,
	              db_query(db, e,
	                       "SELECT " OWN_COLUMNS " FROM audit WHERE ?1 = '' OR case_id = ?1"
	                       " ORDER BY id",
	                       "e", c),
	              false, fn, arg, &stopped, e);
	if (n < 0 || c[0] == '\0' || stopped)
		return n;
	m = list_rows(db,
	              db_query(db, e,
	                       "SELECT device, " DEVICE_COLUMNS " FROM device_audit"
	                       " WHERE case_id = ?1 ORDER BY device, id",
	                       "e", c),
	              true, fn, arg, &stopped, e);
	return m < 0 ? -1 : n + m;
}
