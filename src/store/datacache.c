/* datacache.c - catalogue and calendar texts kept in the database. */
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

/* body[0..len) bound as it is: no copy of a catalogue of 150 MB. */
static int put_text(struct store *st, const char *kind, const char *version, const char *body,
                    size_t len, struct err *e)
{
	char now[32];

	store_now_iso(now);
	return db_run(st->db, e,
	              "INSERT INTO data_cache (kind, version, body, fetched_at)"
	              " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (kind) DO UPDATE SET"
	              " version = ?2, body = ?3, fetched_at = ?4",
	              "eete", kind, version, body, len, now);
}

int store_data_put(struct store *st, const char *kind, const char *version, const char *body,
                   struct err *e)
{
	return put_text(st, kind, version, body ? body : "", body ? strlen(body) : 0, e);
}

/*
 * The text of fd as kind's row, never in memory: a zeroblob of its length,
 * then filled from the file (db_blob_fill).  fetched_at is left '' on the
 * row and kept in meta "<kind>_fetched_at" instead: SQLite writes a
 * zeroblob without making it only when no field with data follows it in
 * the record, and fetched_at is the column after body.
 */
static int put_file(struct store *st, const char *kind, const char *version, int fd, size_t len,
                    struct err *e)
{
	char now[32], key[64];
	long long rowid = 0;

	store_now_iso(now);
	snprintf(key, sizeof key, "%s_fetched_at", kind);
	if (db_run(st->db, e,
	           "INSERT INTO data_cache (kind, version, body, fetched_at)"
	           " VALUES (?1, ?2, zeroblob(?3), '') ON CONFLICT (kind) DO UPDATE SET"
	           " version = ?2, body = zeroblob(?3), fetched_at = ''",
	           "eel", kind, version, (long long)len) < 0 ||
	    db_get_int(st->db, e, &rowid, "SELECT rowid FROM data_cache WHERE kind = ?1", "e",
	               kind) != 1)
		return -1;
	if (db_blob_fill(st->db, "data_cache", "body", rowid, fd, len, e) < 0)
		return -1;
	return db_run(st->db, e, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", "ee",
	              key, now);
}

struct fetched {
	struct store *st;
	const char *kind, *version, *body;
	size_t len;
	int fd; /* the text is in this file instead of body, or -1 */
};

static int fetched_tx(struct db *db, void *arg, struct err *e)
{
	struct fetched *f = arg;
	char key[64];

	if (f->fd >= 0 && put_file(f->st, f->kind, f->version, f->fd, f->len, e) < 0)
		return -1;
	if (f->fd < 0 && f->body && put_text(f->st, f->kind, f->version, f->body, f->len, e) < 0)
		return -1;
	snprintf(key, sizeof key, "%s_update_waiting", f->kind);
	return db_run(db, e, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, '0')", "e", key);
}

int store_data_fetched(struct store *st, const char *kind, const char *version, const char *body,
                       size_t len, struct err *e)
{
	struct fetched f = {st, kind, version, body, len, -1};

	return db_tx(st->db, fetched_tx, &f, e);
}

int store_data_fetched_file(struct store *st, const char *kind, const char *version, int fd,
                            size_t len, struct err *e)
{
	struct fetched f = {st, kind, version, NULL, len, fd};

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
