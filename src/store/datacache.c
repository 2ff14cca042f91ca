/* datacache.c - catalogue and calendar texts kept in the database. */
#include <stdio.h>

#include "store/store_int.h"

int store_data_put(struct store *st, const char *kind, const char *version, const char *body,
                   struct err *e)
{
	char now[32];

	store_now_iso(now);
	return db_run(st->db, e,
	              "INSERT INTO data_cache (kind, version, body, fetched_at)"
	              " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (kind) DO UPDATE SET"
	              " version = ?2, body = ?3, fetched_at = ?4",
	              "eeee", kind, version, body, now);
}

struct fetched {
	struct store *st;
	const char *kind, *version, *body;
};

static int fetched_tx(struct db *db, void *arg, struct err *e)
{
	struct fetched *f = arg;
	char key[64];

	if (f->body && store_data_put(f->st, f->kind, f->version, f->body, e) < 0)
		return -1;
	snprintf(key, sizeof key, "%s_update_waiting", f->kind);
	return db_run(db, e, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, '0')", "e", key);
}

int store_data_fetched(struct store *st, const char *kind, const char *version, const char *body,
                       struct err *e)
{
	struct fetched f = {st, kind, version, body};

	return db_tx(st->db, fetched_tx, &f, e);
}

int store_data_get(struct store *st, const char *kind, char *version, size_t n, char **body,
                   struct err *e)
{
	sqlite3_stmt *s =
	    db_query(st->db, e, "SELECT version, body FROM data_cache WHERE kind = ?1", "e", kind);
	int rc;

	if (body)
		*body = NULL;
	if (s == NULL)
		return -1;
	if ((rc = db_step(st->db, s, e)) == 1) {
		if (version)
			db_col_copy(s, 0, version, n);
		if (body)
			*body = db_col_dup(s, 1);
	}
	db_done(st->db, s);
	return rc;
}
