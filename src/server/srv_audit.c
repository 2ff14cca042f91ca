/*
 * srv_audit.c - tongband's audit chains (srv_audit.h): its own, and each
 * clerk PC's as POST /v1/audit brings it.
 */
#include "server/srv_audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "server/srv_events.h"
#include "server/srv_json.h"
#include "server/srv_store_int.h"
#include "server/srv_time.h"

/* ---- tongband's own chain ---------------------------------------------------- */

/*
 * On SQLite one writer runs at a time: a row reads the chain's end and
 * continues it in its change's own transaction.  On PostgreSQL writers run
 * side by side, and a chain has one end: continuing it inside each change's
 * transaction would hold every writer behind the one lock of that end until
 * it commits.  So there a change's transaction writes its row to
 * audit_pending, with what it records but no place on the chain yet, and
 * once it has committed, the rows waiting are put on the chain, oldest
 * first, in one short step under an advisory lock (srv_audit_chain): the
 * same rows in the same chain, never a writer held for another's work.  A
 * row waits no longer than its own request: the step runs before the
 * request is answered (or, when it could not, at the next one, and before
 * any verify or list).
 */
#define AUDIT_LOCK "1952604533" /* the pg_advisory_xact_lock key: "tbau" */

/* The end of tongband's own chain: the next id and the hash before it. */
static int chain_next(struct srv_db *db, struct audit_row *r, struct err *e)
{
	struct srv_db_stmt *st =
	    srv_db_query(db, e, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", "");
	int rc;

	if (st == NULL)
		return -1;
	r->id = 1;
	r->prev[0] = '\0';
	if ((rc = srv_db_step(st, e)) == 1) {
		r->id = srv_db_col_int(st, 0) + 1;
		srv_db_col_copy(st, 1, r->prev, sizeof r->prev);
	}
	srv_db_done(st);
	return rc < 0 ? -1 : 0;
}

/* Hash row r (its id and prev set) and insert it at the chain's end. */
static int chain_insert(struct srv_db *db, struct audit_row *r, struct err *e)
{
	audit_row_hash(r, r->prev, r->hash);
	return srv_db_run(
	    db, e,
	    "INSERT INTO audit (id, at, user_id, hall, case_id, what, detail, prev, hash)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	    "leeeeeeee", r->id, r->at, r->clerk, r->hall, r->case_id, r->what, r->detail, r->prev,
	    r->hash);
}

/* SQLite: give r the next id after the chain's last row, its prev and its
 * hash, and insert it, under the write lock (see srv_audit_add). */
static int add_tx(struct srv_db *db, void *arg, struct err *e)
{
	struct audit_row *r = arg;

	if (chain_next(db, r, e) < 0)
		return -1;
	return chain_insert(db, r, e);
}

/* PostgreSQL: r waits in audit_pending for its place on the chain. */
static int add_pending(struct srv_db *db, const struct audit_row *r, struct err *e)
{
	return srv_db_run(db, e,
	                  "INSERT INTO audit_pending (at, user_id, hall, case_id, what, detail)"
	                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	                  "eeeeee", r->at, r->clerk, r->hall, r->case_id, r->what, r->detail);
}

#define CHAIN_STEP 500 /* pending rows put on the chain per statement */

/* Put the waiting rows on the chain, oldest first, under the chain's lock. */
static int chain_tx(struct srv_db *db, void *arg, struct err *e)
{
	struct audit_row r;
	struct srv_db_stmt *st;
	long long n;
	int rc;

	(void)arg;
	if (srv_db_run(db, e, "SELECT pg_advisory_xact_lock(" AUDIT_LOCK ")", "") < 0 ||
	    chain_next(db, &r, e) < 0)
		return -1;
	st = srv_db_query(db, e,
	                  "SELECT n, at, user_id, hall, case_id, what, detail FROM audit_pending"
	                  " ORDER BY n LIMIT ?1",
	                  "i", CHAIN_STEP);
	if (st == NULL)
		return -1;
	while ((rc = srv_db_step(st, e)) == 1) {
		n = srv_db_col_int(st, 0);
		srv_db_col_copy(st, 1, r.at, sizeof r.at);
		srv_db_col_copy(st, 2, r.clerk, sizeof r.clerk);
		srv_db_col_copy(st, 3, r.hall, sizeof r.hall);
		srv_db_col_copy(st, 4, r.case_id, sizeof r.case_id);
		srv_db_col_copy(st, 5, r.what, sizeof r.what);
		srv_db_col_copy(st, 6, r.detail, sizeof r.detail);
		/* each row chained leaves audit_pending by its own key: a row of
		 * a transaction that commits meanwhile, with a smaller n, waits */
		if ((rc = chain_insert(db, &r, e)) < 0 ||
		    (rc = srv_db_run(db, e, "DELETE FROM audit_pending WHERE n = ?1", "l", n)) < 0)
			break;
		str_copy(r.prev, sizeof r.prev, r.hash);
		r.id++;
	}
	srv_db_done(st);
	return rc < 0 ? -1 : 0;
}

int srv_audit_chain(struct srv_store *s, struct err *e)
{
	struct srv_db *db = srv_store_db(s);
	long long waiting = 0;

	if (srv_db_dialect(db) != SRV_DB_POSTGRESQL)
		return 0;
	for (;;) {
		if (srv_db_get_int(
		        db, e, &waiting,
		        "SELECT count(*) FROM (SELECT 1 FROM audit_pending LIMIT 1) AS w", "") < 0)
			return -1;
		if (waiting == 0)
			return 0;
		if (srv_db_tx(db, chain_tx, NULL, e) < 0)
			return -1;
	}
}

int srv_audit_add(struct srv_store *s, const char *user, const char *hall, const char *case_id,
                  const char *what, const char *detail, struct err *e)
{
	struct srv_db *db = srv_store_db(s);
	struct audit_row r;

	memset(&r, 0, sizeof r);
	time_iso_shanghai(time(NULL), r.at);
	str_copy(r.clerk, sizeof r.clerk, user ? user : "");
	str_copy(r.hall, sizeof r.hall, hall ? hall : "");
	str_copy(r.case_id, sizeof r.case_id, case_id ? case_id : "");
	str_copy(r.what, sizeof r.what, what);
	str_copy(r.detail, sizeof r.detail, detail ? detail : "");
	if (srv_db_dialect(db) == SRV_DB_POSTGRESQL) {
		if (add_pending(db, &r, e) < 0)
			return -1;
		if (srv_db_in_tx(db)) {
			srv_store_audit_waits(s); /* chained once the transaction commits */
			return 0;
		}
		srv_audit_chain(s, NULL); /* committed: a failure leaves it to the next */
		return 0;
	}
	/* the write lock is held from the read of the last row to the insert:
	 * the caller's (its transactions begin IMMEDIATE, and a failure here
	 * fails them), or BEGIN IMMEDIATE's of a transaction of our own */
	if (srv_db_in_tx(db))
		return add_tx(db, &r, e);
	return srv_db_tx(db, add_tx, &r, e);
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

static void device_row_of(struct srv_db_stmt *st, int col, struct audit_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = srv_db_col_int(st, col);
	srv_db_col_copy(st, col + 1, r->at, sizeof r->at);
	srv_db_col_copy(st, col + 2, r->clerk, sizeof r->clerk);
	srv_db_col_copy(st, col + 3, r->case_id, sizeof r->case_id);
	srv_db_col_copy(st, col + 4, r->what, sizeof r->what);
	srv_db_col_copy(st, col + 5, r->detail, sizeof r->detail);
	srv_db_col_copy(st, col + 6, r->prev, sizeof r->prev);
	srv_db_col_copy(st, col + 7, r->hash, sizeof r->hash);
}

static void own_row_of(struct srv_db_stmt *st, struct audit_row *r)
{
	device_row_of(st, 0, r);
	srv_db_col_copy(st, 8, r->hall, sizeof r->hall);
}

/* ---- a PC's chain as it arrives ---------------------------------------------- */

/* The string member key of row o into dst (size n): required, shorter than
 * n, no NUL or control character.  false when it is not such a string. */
static bool row_text(struct json_object *o, const char *key, char *dst, size_t n)
{
	struct json_object *v;
	size_t len;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return false;
	len = (size_t)json_object_get_string_len(v);
	/* not even a tab or a line break: tongband audit list prints a row a line */
	if (len >= n || strlen(json_object_get_string(v)) != len ||
	    srv_events_has_control(json_object_get_string(v), len) ||
	    strpbrk(json_object_get_string(v), "\t\n\r") != NULL)
		return false;
	memcpy(dst, json_object_get_string(v), len + 1);
	return true;
}

/* Whether h is a hash as the chain writes it: 64 lowercase hex digits. */
static bool is_hash(const char *h)
{
	return strlen(h) == 64 && strspn(h, "0123456789abcdef") == 64;
}

/* Row o (the i-th of the batch) into r.  0, or -1 with why. */
static int row_from_json(struct json_object *o, size_t i, struct audit_row *r, char *why, size_t n)
{
	static const char fields[] = "id, at, clerk, case_id, what, detail, prev and hash";
	struct json_object *id;

	memset(r, 0, sizeof *r);
	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, "id", &id) ||
	    !json_object_is_type(id, json_type_int) || (r->id = json_object_get_int64(id)) < 1) {
		snprintf(why, n, "rows[%zu] must be an object with an id of 1 or more", i);
		return -1;
	}
	if (!row_text(o, "at", r->at, sizeof r->at) ||
	    !row_text(o, "clerk", r->clerk, sizeof r->clerk) ||
	    !row_text(o, "case_id", r->case_id, sizeof r->case_id) ||
	    !row_text(o, "what", r->what, sizeof r->what) ||
	    !row_text(o, "detail", r->detail, sizeof r->detail) ||
	    !row_text(o, "prev", r->prev, sizeof r->prev) ||
	    !row_text(o, "hash", r->hash, sizeof r->hash) || !is_hash(r->hash) ||
	    (r->prev[0] != '\0' && !is_hash(r->prev))) {
		snprintf(
		    why, n,
		    "audit row %lld: %s must be strings (at most 31, 64, 39, 31, 255, 64 and 64 "
		    "bytes, no control characters; prev and hash hex, prev empty for the "
		    "first row)",
		    r->id, fields);
		return -1;
	}
	return 0;
}

/* A batch taken apart. */
struct batch {
	const char *device;
	struct audit_row *rows;
	size_t n;
};

/* Body into b (b->rows a new array: caller frees).  0 or SRV_AUDIT_* with
 * why. */
static int batch_from_json(struct json_object *body, struct batch *b, char *why, size_t n)
{
	struct json_object *rows;
	size_t i;

	memset(b, 0, sizeof *b);
	b->device = srv_json_get_string(body, "device");
	if (!uuid_is_valid(b->device) || !json_object_object_get_ex(body, "rows", &rows) ||
	    !json_object_is_type(rows, json_type_array) || json_object_array_length(rows) == 0) {
		snprintf(why, n,
		         "the body must be {\"device\": the PC's UUID, \"rows\": [...]}, with "
		         "at least one row");
		return SRV_AUDIT_MALFORMED;
	}
	b->n = json_object_array_length(rows);
	if (b->n > SRV_AUDIT_MAX_BATCH) {
		snprintf(why, n, "at most %d audit rows per batch", SRV_AUDIT_MAX_BATCH);
		return SRV_AUDIT_TOO_MANY;
	}
	b->rows = xcalloc(b->n, sizeof *b->rows);
	for (i = 0; i < b->n; i++)
		if (row_from_json(json_object_array_get_idx(rows, i), i, &b->rows[i], why, n) < 0)
			return SRV_AUDIT_MALFORMED;
	return 0;
}

/* Row id of device's stored chain into r.  1, 0 none, -1. */
static int stored_row(struct srv_db *db, const char *device, long long id, struct audit_row *r,
                      struct err *e)
{
	struct srv_db_stmt *st = srv_db_query(db, e,
	                                      "SELECT " DEVICE_COLUMNS " FROM device_audit"
	                                      " WHERE device = ?1 AND id = ?2",
	                                      "sl", device, id);
	int rc;

	if (st == NULL)
		return -1;
	if ((rc = srv_db_step(st, e)) == 1)
		device_row_of(st, 0, r);
	srv_db_done(st);
	return rc;
}

/* Whether a and b are the same row. */
static bool same_row(const struct audit_row *a, const struct audit_row *b)
{
	return a->id == b->id && strcmp(a->at, b->at) == 0 && strcmp(a->clerk, b->clerk) == 0 &&
	       strcmp(a->case_id, b->case_id) == 0 && strcmp(a->what, b->what) == 0 &&
	       strcmp(a->detail, b->detail) == 0 && strcmp(a->prev, b->prev) == 0 &&
	       strcmp(a->hash, b->hash) == 0;
}

/* Where a device's stored chain ends while a batch is stored. */
struct chain_end {
	long long id; /* 0 before the first row */
	char hash[AUDIT_HASH_LEN];
};

static int chain_end(struct srv_db *db, const char *device, struct chain_end *end, struct err *e)
{
	struct srv_db_stmt *st = srv_db_query(db, e,
	                                      "SELECT id, hash FROM device_audit WHERE device = ?1"
	                                      " ORDER BY id DESC LIMIT 1",
	                                      "s", device);
	int rc;

	memset(end, 0, sizeof *end);
	if (st == NULL)
		return -1;
	if ((rc = srv_db_step(st, e)) == 1) {
		end->id = srv_db_col_int(st, 0);
		srv_db_col_copy(st, 1, end->hash, sizeof end->hash);
	}
	srv_db_done(st);
	return rc < 0 ? -1 : 0;
}

/* Whether clerk may be named by a row of device: "" (no one was logged
 * in), or a user of a hall the device is a terminal of (a PC keeps one
 * chain whichever hall's clerks log in on it).  1, 0, -1. */
static int clerk_of_device(struct srv_db *db, const char *device, const char *clerk, struct err *e)
{
	long long one = 0;

	if (clerk[0] == '\0')
		return 1;
	return srv_db_get_int(db, e, &one,
	                      "SELECT 1 FROM users u JOIN terminals t ON t.hall = u.hall"
	                      " WHERE u.id = ?1 AND t.device = ?2 LIMIT 1",
	                      "ss", clerk, device);
}

/* Store row r after end, or find it stored already (dup set).  0,
 * SRV_AUDIT_REFUSED with why, or -1. */
static int store_row(struct srv_db *db, const char *device, const struct audit_row *r,
                     struct chain_end *end, const char *received, bool *dup, char *why, size_t n,
                     struct err *e)
{
	struct audit_row old;
	char fault[256];
	enum audit_fault f;
	int rc;

	*dup = false;
	if (r->id <= end->id) {
		if ((rc = stored_row(db, device, r->id, &old, e)) < 0)
			return -1;
		if (rc == 1 && same_row(&old, r)) {
			*dup = true;
			return 0;
		}
		snprintf(
		    why, n,
		    "audit row %lld differs from the row %lld tongband already holds of this PC "
		    "(the row was changed after it was sent)",
		    r->id, r->id);
		return SRV_AUDIT_REFUSED;
	}
	if ((f = audit_row_fault(r, end->id, end->hash)) != AUDIT_FOLLOWS) {
		audit_fault_text(f, r, end->id, false, fault, sizeof fault);
		snprintf(why, n,
		         "audit row %lld does not continue this PC's chain at tongband (which ends "
		         "at row %lld): %s",
		         r->id, end->id, fault);
		return SRV_AUDIT_REFUSED;
	}
	if ((rc = clerk_of_device(db, device, r->clerk, e)) <= 0) {
		snprintf(why, n,
		         "audit row %lld names clerk %s, who is not a user of a hall this PC is a "
		         "terminal of",
		         r->id, r->clerk);
		return rc < 0 ? -1 : SRV_AUDIT_REFUSED;
	}
	if (srv_db_run(
	        db, e,
	        "INSERT INTO device_audit (device, id, at, clerk, case_id, what, detail, prev,"
	        " hash, received) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	        "sleeeeeees", device, r->id, r->at, r->clerk, r->case_id, r->what, r->detail,
	        r->prev, r->hash, received) < 0)
		return -1;
	end->id = r->id;
	str_copy(end->hash, sizeof end->hash, r->hash);
	return 0;
}

/* Everything srv_audit_receive does inside its transaction. */
static int receive_tx(struct srv_store *s, const struct srv_user *u, const struct batch *b,
                      const char *received, struct srv_audit_push *out, struct err *e)
{
	struct srv_db *db = srv_store_db(s);
	struct chain_end end;
	long long first = 0, terminal = 0;
	char detail[128];
	size_t i;
	bool dup;
	int rc;

	/* PostgreSQL: two copies of one PC's batch wait for each other here */
	if (srv_db_dialect(db) == SRV_DB_POSTGRESQL &&
	    srv_db_run(db, e, "SELECT pg_advisory_xact_lock(hashtext('device_audit ' || ?1))", "s",
	               b->device) < 0)
		return -1;
	rc = srv_db_get_int(db, e, &terminal,
	                    "SELECT 1 FROM terminals WHERE device = ?1 AND hall = ?2", "ss",
	                    b->device, u->hall);
	if (rc <= 0) {
		snprintf(out->why, sizeof out->why,
		         "this PC is not a terminal of your hall (log in on it first)");
		return rc < 0 ? -1 : SRV_AUDIT_NOT_TERMINAL;
	}
	if (chain_end(db, b->device, &end, e) < 0)
		return -1;
	for (i = 0; i < b->n; i++) {
		rc = store_row(db, b->device, &b->rows[i], &end, received, &dup, out->why,
		               sizeof out->why, e);
		if (rc != 0)
			return rc;
		out->duplicates += dup;
		out->stored += !dup;
		if (!dup && first == 0)
			first = b->rows[i].id;
	}
	if (out->stored == 0)
		return 0;
	snprintf(detail, sizeof detail, "device %s rows %lld to %lld", b->device, first, end.id);
	return srv_audit_add(s, u->id, u->hall, "", SRV_AUDIT_RECEIVED, detail, e);
}

/* What one run of srv_audit_receive's transaction needs and finds. */
struct receive_arg {
	const struct srv_user *u;
	const struct batch *b;
	const char *received;
	struct srv_audit_push *out;
};

static int receive_run(struct srv_store *s, void *arg, struct err *e)
{
	struct receive_arg *a = arg;

	a->out->stored = a->out->duplicates = 0; /* of a run the database undid */
	return receive_tx(s, a->u, a->b, a->received, a->out, e);
}

int srv_audit_receive(struct srv_store *s, const struct srv_user *u, struct json_object *body,
                      time_t now, struct srv_audit_push *out, struct err *e)
{
	char received[SRV_TIME_ISO_SIZE];
	struct batch b;
	struct receive_arg a = {u, &b, received, out};
	int rc;

	memset(out, 0, sizeof *out);
	rc = batch_from_json(body, &b, out->why, sizeof out->why);
	if (rc == 0) {
		time_iso_shanghai(now, received);
		rc = srv_store_tx(s, receive_run, &a, e);
		if (rc != 0)
			out->stored = out->duplicates = 0;
	}
	free(b.rows);
	return rc;
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

static int verify_own(struct srv_db *db, struct srv_audit_check *c, struct err *e)
{
	struct srv_db_stmt *st =
	    srv_db_query(db, e, "SELECT " OWN_COLUMNS " FROM audit ORDER BY id", "");
	char last[AUDIT_HASH_LEN] = "";
	long long last_id = 0;
	struct audit_row r;
	int rc;

	memset(c, 0, sizeof *c);
	if (st == NULL)
		return -1;
	while ((rc = srv_db_step(st, e)) == 1) {
		own_row_of(st, &r);
		check_row(c, &r, &last_id, last);
	}
	srv_db_done(st);
	return rc;
}

/* Hand the check c of a whole chain to fn; *broken set when it is. */
static void report(const struct srv_audit_check *c, srv_audit_check_fn fn, void *arg, bool *broken)
{
	*broken = *broken || c->bad_id != 0;
	fn(c, arg);
}

/* Each device's chain in turn (the rows come by device, then id). */
static int verify_devices(struct srv_db *db, srv_audit_check_fn fn, void *arg, bool *broken,
                          struct err *e)
{
	struct srv_db_stmt *st = srv_db_query(
	    db, e, "SELECT device, " DEVICE_COLUMNS " FROM device_audit ORDER BY device, id", "");
	struct srv_audit_check c;
	char last[AUDIT_HASH_LEN] = "";
	long long last_id = 0;
	struct audit_row r;
	int rc;

	memset(&c, 0, sizeof c);
	if (st == NULL)
		return -1;
	while ((rc = srv_db_step(st, e)) == 1) {
		if (strcmp(srv_db_col_text(st, 0), c.device) != 0) {
			if (c.device[0] != '\0')
				report(&c, fn, arg, broken);
			memset(&c, 0, sizeof c);
			srv_db_col_copy(st, 0, c.device, sizeof c.device);
			last_id = 0;
			last[0] = '\0';
		}
		device_row_of(st, 1, &r);
		check_row(&c, &r, &last_id, last);
	}
	srv_db_done(st);
	if (rc == 0 && c.device[0] != '\0')
		report(&c, fn, arg, broken);
	return rc;
}

int srv_audit_verify(struct srv_store *s, srv_audit_check_fn fn, void *arg, struct err *e)
{
	struct srv_db *db = srv_store_db(s);
	struct srv_audit_check own;
	bool broken = false;

	if (srv_audit_chain(s, e) < 0 || verify_own(db, &own, e) < 0)
		return -1;
	report(&own, fn, arg, &broken);
	if (verify_devices(db, fn, arg, &broken, e) < 0)
		return -1;
	return broken ? 0 : 1;
}

/* fn for each row of st (a query of OWN_COLUMNS, or of device and
 * DEVICE_COLUMNS when is_device), which is given back.  How many, or -1;
 * *stopped when fn stopped. */
static int list_rows(struct srv_db_stmt *st, bool is_device, srv_audit_row_fn fn, void *arg,
                     bool *stopped, struct err *e)
{
	struct audit_row r;
	int n = 0, rc = 0;

	if (st == NULL)
		return -1;
	while (!*stopped && (rc = srv_db_step(st, e)) == 1) {
		if (is_device)
			device_row_of(st, 1, &r);
		else
			own_row_of(st, &r);
		n++;
		*stopped = fn(is_device ? srv_db_col_text(st, 0) : "", &r, arg) != 0;
	}
	srv_db_done(st);
	return rc < 0 ? -1 : n;
}

/* The rows of device's chain (NULL: of every device, by device) about
 * case_id (or every case when it is ""), as list_rows. */
static int list_device_rows(struct srv_db *db, const char *device, const char *case_id,
                            srv_audit_row_fn fn, void *arg, bool *stopped, struct err *e)
{
	return list_rows(
	    srv_db_query(db, e,
	                 "SELECT device, " DEVICE_COLUMNS " FROM device_audit"
	                 " WHERE (?1 IS NULL OR device = ?1) AND (?2 = '' OR case_id = ?2)"
	                 " ORDER BY device, id",
	                 "se", device, case_id),
	    true, fn, arg, stopped, e);
}

int srv_audit_list(struct srv_store *s, const char *case_id, const char *device,
                   srv_audit_row_fn fn, void *arg, struct err *e)
{
	struct srv_db *db = srv_store_db(s);
	const char *c = case_id ? case_id : "";
	bool stopped = false;
	int n, m;

	if (srv_audit_chain(s, e) < 0)
		return -1;
	if (device != NULL)
		return list_device_rows(db, device, c, fn, arg, &stopped, e);
	n = list_rows(srv_db_query(db, e,
	                           "SELECT " OWN_COLUMNS " FROM audit WHERE ?1 = '' OR case_id = ?1"
	                           " ORDER BY id",
	                           "e", c),
	              false, fn, arg, &stopped, e);
	if (n < 0 || c[0] == '\0' || stopped)
		return n;
	m = list_device_rows(db, NULL, c, fn, arg, &stopped, e);
	return m < 0 ? -1 : n + m;
}
