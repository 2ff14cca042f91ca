/* ecert.c - the e-certificate checks of the counter (see ecert.h). */
#include "store/ecert.h"

#include <string.h>

#include "store/store_int.h"

int store_ecert_ask(struct store *st, const char *type, const char *holder_id, const char *asked_on,
                    const char *clerk, struct err *e)
{
	char now[32];

	store_now_iso(now);
	return db_run(
	    st->db, e,
	    "INSERT INTO ecert_checks (type, holder_id, state, asked_on, asked_at, clerk_id)"
	    " VALUES (?1, ?2, 'pending', ?3, ?4, ?5) ON CONFLICT (type, holder_id) DO UPDATE"
	    " SET state = 'pending', number = '', holder_name = '', issuer = '',"
	    " valid_until = '', asked_on = excluded.asked_on, asked_at = excluded.asked_at,"
	    " checked_at = '', clerk_id = excluded.clerk_id"
	    " WHERE ecert_checks.asked_on <> excluded.asked_on",
	    "eeeee", type, holder_id, asked_on, now, clerk);
}

#define COLUMNS                                                                                    \
	"type, holder_id, state, number, holder_name, issuer, valid_until, asked_on, checked_at"

static void from_row(sqlite3_stmt *s, struct ecert_check *c)
{
	memset(c, 0, sizeof *c);
	db_col_copy(s, 0, c->type, sizeof c->type);
	db_col_copy(s, 1, c->holder_id, sizeof c->holder_id);
	if (ecert_state_from_name(db_col_text(s, 2), &c->state) < 0)
		c->state = ECERT_PENDING;
	db_col_copy(s, 3, c->number, sizeof c->number);
	db_col_copy(s, 4, c->holder_name, sizeof c->holder_name);
	db_col_copy(s, 5, c->issuer, sizeof c->issuer);
	db_col_copy(s, 6, c->valid_until, sizeof c->valid_until);
	db_col_copy(s, 7, c->asked_on, sizeof c->asked_on);
	db_col_copy(s, 8, c->checked_at, sizeof c->checked_at);
}

int store_ecert_get(struct store *st, const char *type, const char *holder_id,
                    struct ecert_check *out, struct err *e)
{
	sqlite3_stmt *s = db_query(st->db, e,
	                           "SELECT " COLUMNS " FROM ecert_checks WHERE type = ?1 AND"
	                           " holder_id = ?2",
	                           "ee", type, holder_id);
	int rc;

	if (s == NULL)
		return -1;
	rc = db_step(st->db, s, e);
	if (rc == 1)
		from_row(s, out);
	db_done(st->db, s);
	return rc;
}

int store_ecert_pending(struct store *st, struct ecert_check *out, int max, struct err *e)
{
	sqlite3_stmt *s = db_query(st->db, e,
	                           "SELECT " COLUMNS " FROM ecert_checks WHERE state = 'pending'"
	                           " ORDER BY asked_at LIMIT ?1",
	                           "i", max);
	int n = 0, rc = 0;

	if (s == NULL)
		return -1;
	while (n < max && (rc = db_step(st->db, s, e)) == 1)
		from_row(s, &out[n++]);
	db_done(st->db, s);
	return rc < 0 ? -1 : n;
}

int store_ecert_answer(struct store *st, const struct ecert_check *c, struct err *e)
{
	char now[32];

	store_now_iso(now);
	return db_run(st->db, e,
	              "UPDATE ecert_checks SET state = ?3, number = ?4, holder_name = ?5,"
	              " issuer = ?6, valid_until = ?7, checked_at = ?8"
	              " WHERE type = ?1 AND holder_id = ?2 AND state = 'pending'",
	              "eeeeeeee", c->type, c->holder_id, ecert_state_name(c->state), c->number,
	              c->holder_name, c->issuer, c->valid_until, now);
}
