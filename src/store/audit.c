/* audit.c (store) - the audit rows on their hash chain (see audit.h). */
#include "store/audit.h"

#include "core/sodiumfn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "store/store_int.h"

static void row_of(sqlite3_stmt *s, struct audit_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_int(s, 0);
	db_col_copy(s, 1, r->at, sizeof r->at);
	db_col_copy(s, 2, r->clerk, sizeof r->clerk);
	db_col_copy(s, 3, r->case_id, sizeof r->case_id);
	db_col_copy(s, 4, r->what, sizeof r->what);
	db_col_copy(s, 5, r->detail, sizeof r->detail);
	db_col_copy(s, 6, r->prev, sizeof r->prev);
	db_col_copy(s, 7, r->hash, sizeof r->hash);
}

#define AUDIT_COLUMNS "id, at, clerk, case_id, what, detail, prev, hash"

/* The hash of the last row, "" before the first.  0 or -1. */
static int last_hash(struct db *db, char out[65], struct err *e)
{
	char *h = NULL;
	int rc = db_get_text(db, e, &h, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1", "");

	out[0] = '\0';
	if (rc == 1)
		str_copy(out, 65, h);
	free(h);
	return rc < 0 ? -1 : 0;
}

/* Rows kept before the chain (schema 8) join it, in order, first. */
static int chain_old_rows(struct db *db, struct err *e)
{
	sqlite3_stmt *s;
	struct audit_row *v = NULL;
	size_t n = 0, cap = 0, i;
	char prev[65] = "";
	int rc;

	if ((s = db_query(db, e, "SELECT " AUDIT_COLUMNS " FROM audit ORDER BY id", "")) == NULL)
		return -1;
	while ((rc = db_step(db, s, e)) == 1) {
		if (n == cap)
			v = xrealloc(v, (cap = cap ? 2 * cap : 16) * sizeof *v);
		row_of(s, &v[n++]);
	}
	db_done(db, s);
	for (i = 0; rc == 0 && i < n; i++) {
		audit_row_hash(&v[i], prev, v[i].hash);
		rc = db_run(db, e, "UPDATE audit SET prev = ?2, hash = ?3 WHERE id = ?1", "lee",
		            v[i].id, prev, v[i].hash);
		str_copy(prev, sizeof prev, v[i].hash);
	}
	free(v);
	return rc;
}

struct add {
	const char *clerk, *case_id, *what, *detail;
};

static int add_tx(struct db *db, void *arg, struct err *e)
{
	const struct add *a = arg;
	struct audit_row r;
	char prev[65];
	long long unchained = 0;

	if (db_get_int(db, e, &unchained, "SELECT 1 FROM audit WHERE hash = '' LIMIT 1", "") < 0 ||
	    (unchained && chain_old_rows(db, e) < 0) || last_hash(db, prev, e) < 0)
		return -1;
	memset(&r, 0, sizeof r);
	store_now_iso(r.at);
	str_copy(r.clerk, sizeof r.clerk, a->clerk ? a->clerk : "");
	str_copy(r.case_id, sizeof r.case_id, a->case_id ? a->case_id : "");
	str_copy(r.what, sizeof r.what, a->what);
	str_copy(r.detail, sizeof r.detail, a->detail ? a->detail : "");
	if (db_run(db, e,
	           "INSERT INTO audit (at, clerk, case_id, what, detail, prev) VALUES (?1, ?2, ?3,"
	           " ?4, ?5, ?6)",
	           "eeeeee", r.at, r.clerk, r.case_id, r.what, r.detail, prev) < 0)
		return -1;
	r.id = db_last_rowid(db);
	audit_row_hash(&r, prev, r.hash);
	return db_run(db, e, "UPDATE audit SET hash = ?2 WHERE id = ?1", "le", r.id, r.hash);
}

int store_audit_add_db(struct db *db, const char *clerk, const char *case_id, const char *what,
                       const char *detail, struct err *e)
{
	struct add a = {clerk, case_id, what, detail};

	return db_tx(db, add_tx, &a, e);
}

int store_audit_add(struct store *st, const char *clerk, const char *case_id, const char *what,
                    const char *detail, struct err *e)
{
	return store_audit_add_db(st->db, clerk, case_id, what, detail, e);
}

int store_audit_verify(struct store *st, struct audit_check *c, struct err *e)
{
	sqlite3_stmt *s =
	    db_query(st->db, e, "SELECT " AUDIT_COLUMNS " FROM audit ORDER BY id", "");
	char prev[AUDIT_HASH_LEN] = "";
	long long last_id = 0;
	int rc;

	memset(c, 0, sizeof *c);
	if (s == NULL)
		return -1;
	while ((rc = db_step(st->db, s, e)) == 1) {
		struct audit_row r;

		row_of(s, &r);
		c->rows++;
		if (r.hash[0] == '\0') { /* kept before the chain, not yet joined */
			prev[0] = '\0';
			last_id = r.id;
			continue;
		}
		if (audit_row_check(&r, last_id, prev, c->why, sizeof c->why) < 0) {
			c->bad_id = r.id;
			break;
		}
		str_copy(prev, sizeof prev, r.hash);
		last_id = r.id;
	}
	db_done(st->db, s);
	if (rc < 0)
		return -1;
	return c->bad_id == 0;
}

int store_audit_list(struct store *st, const char *case_id,
                     int (*fn)(void *arg, const struct audit_row *r), void *arg, struct err *e)
{
	sqlite3_stmt *s =
	    db_query(st->db, e,
	             "SELECT " AUDIT_COLUMNS " FROM audit WHERE ?1 = '' OR case_id = ?1"
	             " ORDER BY id",
	             "e", case_id);
	int n = 0, rc;

	if (s == NULL)
		return -1;
	while ((rc = db_step(st->db, s, e)) == 1) {
		struct audit_row r;

		row_of(s, &r);
		n++;
		if (fn(arg, &r) != 0)
			break;
	}
	db_done(st->db, s);
	return rc < 0 ? -1 : n;
}

int store_audit_unsent(struct store *st, struct audit_row *out, int max, struct err *e)
{
	sqlite3_stmt *s =
	    db_query(st->db, e,
	             "SELECT " AUDIT_COLUMNS " FROM audit WHERE sent = 0 AND hash <> ''"
	             " ORDER BY id LIMIT ?1",
	             "i", max);
	int n = 0, rc;

	if (s == NULL)
		return -1;
	while (n < max && (rc = db_step(st->db, s, e)) == 1)
		row_of(s, &out[n++]);
	db_done(st->db, s);
	return rc < 0 ? -1 : n;
}

int store_audit_mark_sent(struct store *st, long long up_to, struct err *e)
{
	return db_run(st->db, e, "UPDATE audit SET sent = 1 WHERE id <= ?1 AND sent = 0", "l",
	              up_to);
}
