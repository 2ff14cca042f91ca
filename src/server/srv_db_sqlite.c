/*
 * srv_db_sqlite.c - the SQLite driver of srv_db.h, on the shared SQLite
 * layer (db/db.h: the file opened safely beside other programs, WAL and
 * synchronous=FULL, statements kept per connection).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "db/db.h"
#include "server/srv_db_driver.h"

/* The folder of path must exist: a mistyped --db is refused, not made
 * (db_open would make it).  0 or -1. */
static int check_folder(const char *path, struct err *e)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	struct stat st;
	int why = 0;

	if (slash != NULL) {
		slash[slash == dir] = '\0'; /* "/x.db" is in "/" */
		if (stat(dir, &st) != 0)
			why = errno;
		else if (!S_ISDIR(st.st_mode))
			why = ENOTDIR;
	}
	free(dir);
	if (why != 0)
		err_set(e, "%s: %s", path, strerror(why));
	return why != 0 ? -1 : 0;
}

static int lite_open(struct srv_db *db, const char *spec, int busy_ms, struct err *e)
{
	const char *path = srv_db_sqlite_path(spec);

	if (check_folder(path, e) < 0)
		return -1;
	db->h = db_open(path, DB_CREATE, busy_ms, e);
	return db->h ? 0 : -1;
}

static void lite_close(struct srv_db *db)
{
	db_close(db->h);
}

static int lite_exec(struct srv_db *db, const char *sql, struct err *e)
{
	return db_exec(db->h, sql, e);
}

static int lite_query(struct srv_db *db, struct srv_db_stmt *st, const char *sql, const char *types,
                      va_list ap, struct err *e)
{
	st->h = db_vquery(db->h, e, sql, types, ap);
	return st->h ? 0 : -1;
}

static int lite_prepare(struct srv_db *db, struct srv_db_stmt *st, const char *sql, struct err *e)
{
	st->h = db_prepare(db->h, sql, e); /* not kept: db_done finalizes it */
	return st->h ? 0 : -1;
}

static int lite_step(struct srv_db_stmt *st, struct err *e)
{
	return db_step(st->db->h, st->h, e);
}

static void lite_done(struct srv_db_stmt *st)
{
	db_done(st->db->h, st->h);
}

static const char *lite_col_text(struct srv_db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->h, col);
}

static long long lite_col_int(struct srv_db_stmt *st, int col)
{
	return db_col_int(st->h, col);
}

static long long lite_changes(struct srv_db *db)
{
	return db_changes(db->h);
}

static bool lite_in_tx(struct srv_db *db)
{
	return db_in_tx(db->h);
}

/* BEGIN IMMEDIATE: the write lock now, waited for at most the busy time. */
static int lite_begin(struct srv_db *db, struct err *e)
{
	return db_begin(db->h, e);
}

static int lite_lock_schema(struct srv_db *db, struct err *e)
{
	(void)db;
	(void)e;
	return 0;
}

static int lite_version(struct srv_db *db, struct err *e)
{
	return db_user_version(db->h, e);
}

static int lite_set_version(struct srv_db *db, int v, struct err *e)
{
	char sql[64];

	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
	return db_exec(db->h, sql, e);
}

const struct srv_db_driver srv_db_sqlite_driver = {
    .dialect = SRV_DB_SQLITE,
    .open = lite_open,
    .close = lite_close,
    .exec = lite_exec,
    .query = lite_query,
    .prepare = lite_prepare,
    .step = lite_step,
    .done = lite_done,
    .col_text = lite_col_text,
    .col_int = lite_col_int,
    .changes = lite_changes,
    .in_tx = lite_in_tx,
    .begin = lite_begin,
    .lock_schema = lite_lock_schema,
    .version = lite_version,
    .set_version = lite_set_version,
};
