/* db.c - the thin SQLite layer (see db.h). */
#include "db/db.h"
#include "db/sqlitefn.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"

/* Prepared statements kept per connection; beyond this, statements are
 * prepared for each use. */
#define DB_CACHE 64

struct cached {
	const char *sql; /* the caller's string: the key */
	sqlite3_stmt *s;
	bool busy; /* handed out by db_query, not yet given back */
};

struct db {
	sqlite3 *h;
	char *path;
	char *key; /* the file's canonical path, for the damage marks */
	unsigned flags;
	struct cached cache[DB_CACHE];
	int n_cached;
};

/* ---- damage marks, shared by every connection of the process ---------- */

static pthread_mutex_t damage_lock = PTHREAD_MUTEX_INITIALIZER;
static char *damaged[32];
static int n_damaged;

bool db_is_damaged(const struct db *db)
{
	bool yes = false;
	int i;

	pthread_mutex_lock(&damage_lock);
	for (i = 0; i < n_damaged && !yes; i++)
		yes = strcmp(damaged[i], db->key) == 0;
	pthread_mutex_unlock(&damage_lock);
	return yes;
}

void db_mark_damaged(struct db *db)
{
	if (db_is_damaged(db))
		return;
	pthread_mutex_lock(&damage_lock);
	if (n_damaged < (int)(sizeof damaged / sizeof damaged[0]))
		damaged[n_damaged++] = xstrdup(db->key);
	pthread_mutex_unlock(&damage_lock);
}

/* ---- errors ------------------------------------------------------------- */

/* Fill e from SQLite's result rc: the kind, what it means for the user, and
 * SQLite's own words.  Returns -1. */
static int fail(struct db *db, int rc, struct err *e)
{
	const char *detail = db->h ? sqlite3_errmsg(db->h) : "";
	enum err_kind kind;
	const char *what;

	switch (rc & 0xFF) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		kind = ERR_BUSY;
		what = _("the database is busy (another program is using it)");
		break;
	case SQLITE_FULL:
		kind = ERR_FULL;
		what = _("the disk is full: the database cannot grow");
		break;
	case SQLITE_READONLY:
		kind = ERR_READONLY;
		what = _("the database file is read-only");
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		kind = ERR_CORRUPT;
		what = _("the database file is damaged");
		db_mark_damaged(db);
		break;
	case SQLITE_IOERR:
		kind = ERR_IO;
		what = _("the disk failed reading or writing the database");
		break;
	default:
		kind = ERR_FAILED;
		what = _("database error");
	}
	err_set_kind(e, kind, _("%s (%s)"), what, detail);
	return -1;
}

/* ---- opening -------------------------------------------------------------- */

static int ensure_parent(const char *path, struct err *e)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int rc = 0;

	if (slash && slash != dir) {
		*slash = '\0';
		rc = mkdir_p(dir, e);
	}
	free(dir);
	return rc;
}

/* Owner-only modes for the database and its -wal and -shm files, by path:
 * no descriptor is opened, so no lock of SQLite's is dropped. */
static void make_private(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm"};
	size_t i;

	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char *p = xasprintf("%s%s", path, suffix[i]);
		struct stat st;

		if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077) != 0)
			chmod(p, st.st_mode & 0700);
		free(p);
	}
}

/* "file:" URI of path, read as immutable (nothing may change it meanwhile). */
static char *immutable_uri(const char *path)
{
	struct buf b;
	const unsigned char *p;

	buf_init(&b);
	buf_adds(&b, "file:");
	for (p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21)
			buf_printf(&b, "%%%02X", *p);
		else
			buf_add(&b, p, 1);
	}
	buf_adds(&b, "?immutable=1");
	return buf_take(&b);
}

static bool wal_has_data(const char *path)
{
	char *wal = xasprintf("%s-wal", path);
	struct stat st;
	bool yes = stat(wal, &st) == 0 && st.st_size > 0;

	free(wal);
	return yes;
}

/* The first column of a setting's answer (PRAGMA journal_mode=WAL, which
 * does not write a WAL database): 1 with *out, 0, -1.  Unlike db_get_text it
 * runs on a file marked damaged, so a damaged database can still be opened
 * and read. */
static int setting(struct db *db, const char *sql, char **out, struct err *e)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &s, NULL);

	*out = NULL;
	if (rc != SQLITE_OK) {
		sqlite3_finalize(s);
		return fail(db, rc, e);
	}
	rc = db_step(db, s, e);
	if (rc == 1)
		*out = db_col_dup(s, 0);
	sqlite3_finalize(s);
	return rc;
}

static int configure(struct db *db, int busy_ms, struct err *e)
{
	char *mode = NULL;
	int rc;

	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, busy_ms);
	if (db->flags & DB_READONLY) {
		rc = setting(db, "SELECT count(*) FROM sqlite_master", &mode, e);
		free(mode);
		return rc < 0 ? -1 : 0;
	}
	if ((rc = setting(db, "PRAGMA journal_mode=WAL", &mode, e)) < 0)
		return -1;
	if (rc == 0 || strcmp(mode, "wal") != 0) {
		err_set(e, _("cannot switch to WAL mode (%s)"), mode ? mode : "");
		free(mode);
		return -1;
	}
	free(mode);
	return db_exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", e);
}

/* sqlite3_open_v2 of name into db->h; -1 with e naming the path. */
static int open_handle(struct db *db, const char *name, int oflags, struct err *e)
{
	int rc = sqlite3_open_v2(name, &db->h, oflags | SQLITE_OPEN_NOMUTEX, NULL);

	if (rc == SQLITE_OK)
		return 0;
	if ((rc & 0xFF) == SQLITE_CANTOPEN && (oflags & SQLITE_OPEN_CREATE) == 0 &&
	    access(db->path, F_OK) != 0)
		err_set(e, _("no database file at %s"), db->path);
	else
		fail(db, rc, e);
	sqlite3_close(db->h);
	db->h = NULL;
	return -1;
}

/* A read-only WAL database whose -shm file cannot be made (read-only media):
 * read it as immutable when the -wal holds nothing. */
static int reopen_immutable(struct db *db, int busy_ms, struct err *e)
{
	char *uri;
	int rc;

	if (wal_has_data(db->path)) {
		err_set_kind(e, ERR_READONLY,
		             _("%s is on read-only media with an unmerged -wal file: copy the "
		               "database with its -wal file to a writable folder first"),
		             db->path);
		return -1;
	}
	sqlite3_close(db->h);
	db->h = NULL;
	uri = immutable_uri(db->path);
	rc = open_handle(db, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, e);
	free(uri);
	return rc < 0 ? -1 : configure(db, busy_ms, e);
}

struct db *db_open(const char *path, unsigned flags, int busy_ms, struct err *e)
{
	struct db *db;
	char real[PATH_MAX];
	int oflags = (flags & DB_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	struct err why = {"", ERR_NONE};

	/* SQLite is loaded here, after the first screen (db/sqlitefn.h) */
	if (sqlitefn_load(e) < 0) {
		err_prefix(e, "%s: ", path);
		return NULL;
	}
	db = xcalloc(1, sizeof *db);
	db->path = xstrdup(path);
	db->flags = flags;
	if (!(flags & DB_READONLY) && (flags & DB_CREATE)) {
		oflags |= SQLITE_OPEN_CREATE;
		if (ensure_parent(path, e) < 0)
			goto failed;
	}
	if (open_handle(db, path, oflags, e) < 0)
		goto failed;
	db->key = xstrdup(realpath(path, real) ? real : path);
	if (!(flags & DB_READONLY) && sqlite3_db_readonly(db->h, "main") == 1) {
		/* SQLite fell back to reading: the file or its folder cannot be written */
		err_set_kind(e, ERR_READONLY, _("%s: the database file is read-only"), path);
		goto failed;
	}
	if (!(flags & DB_READONLY))
		make_private(path);
	if (configure(db, busy_ms, &why) < 0) {
		int code = sqlite3_extended_errcode(db->h) & 0xFF;

		if (!(flags & DB_READONLY) ||
		    (code != SQLITE_CANTOPEN && code != SQLITE_READONLY) ||
		    reopen_immutable(db, busy_ms, &why) < 0) {
			if (e)
				*e = why;
			err_prefix(e, "%s: ", path);
			goto failed;
		}
	}
	return db;
failed:
	if (e && e->kind == ERR_NONE)
		e->kind = ERR_FAILED;
	db_close(db);
	return NULL;
}

void db_close(struct db *db)
{
	int i;

	if (db == NULL)
		return;
	for (i = 0; i < db->n_cached; i++)
		sqlite3_finalize(db->cache[i].s);
	sqlite3_close(db->h);
	free(db->path);
	free(db->key);
	free(db);
}

const char *db_path(const struct db *db)
{
	return db->path;
}

bool db_is_readonly(const struct db *db)
{
	return (db->flags & DB_READONLY) != 0;
}

sqlite3 *db_sqlite(struct db *db)
{
	return db->h;
}

void db_set_busy_ms(struct db *db, int busy_ms)
{
	sqlite3_busy_timeout(db->h, busy_ms);
}

int db_exec(struct db *db, const char *sql, struct err *e)
{
	int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : fail(db, rc, e);
}

/* ---- statements ------------------------------------------------------------ */

static int bind_all(sqlite3_stmt *s, const char *types, va_list ap)
{
	int i, rc = SQLITE_OK;

	for (i = 0; types[i] && rc == SQLITE_OK; i++) {
		const char *text;
		size_t len;

		switch (types[i]) {
		case 's':
			text = va_arg(ap, const char *);
			rc = text ? sqlite3_bind_text(s, i + 1, text, -1, SQLITE_TRANSIENT)
			          : sqlite3_bind_null(s, i + 1);
			break;
		case 'e':
			text = va_arg(ap, const char *);
			rc = sqlite3_bind_text(s, i + 1, text ? text : "", -1, SQLITE_TRANSIENT);
			break;
		case 'i':
			rc = sqlite3_bind_int(s, i + 1, va_arg(ap, int));
			break;
		case 'l':
			rc = sqlite3_bind_int64(s, i + 1, va_arg(ap, long long));
			break;
		case 't':
			text = va_arg(ap, const char *);
			len = va_arg(ap, size_t);
			rc = sqlite3_bind_text64(s, i + 1, text ? text : "", text ? len : 0,
			                         SQLITE_STATIC, SQLITE_UTF8);
			break;
		default:
			rc = SQLITE_MISUSE;
		}
	}
	return rc;
}

/* A statement for sql: the kept one when it is free, else a new one (kept
 * when there is room).  NULL with e filled. */
static sqlite3_stmt *statement(struct db *db, const char *sql, struct err *e)
{
	sqlite3_stmt *s = NULL;
	int i, rc;

	for (i = 0; i < db->n_cached; i++)
		if (db->cache[i].sql == sql && !db->cache[i].busy) {
			db->cache[i].busy = true;
			return db->cache[i].s;
		}
	rc = sqlite3_prepare_v2(db->h, sql, -1, &s, NULL);
	if (rc != SQLITE_OK) {
		fail(db, rc, e);
		return NULL;
	}
	for (i = 0; i < db->n_cached; i++)
		if (db->cache[i].sql == sql)
			return s; /* the kept one is in use (a nested query): this one is not kept
			           */
	if (db->n_cached < DB_CACHE) {
		db->cache[db->n_cached].sql = sql;
		db->cache[db->n_cached].s = s;
		db->cache[db->n_cached++].busy = true;
	}
	return s;
}

/* A damaged file is never written again: -1 for a statement that writes. */
static int refuse_damaged(struct db *db, sqlite3_stmt *s, struct err *e)
{
	if (sqlite3_stmt_readonly(s) || !db_is_damaged(db))
		return 0;
	err_set_kind(e, ERR_CORRUPT, "%s", _("the database file is damaged: no more writes"));
	return -1;
}

sqlite3_stmt *db_vquery(struct db *db, struct err *e, const char *sql, const char *types,
                        va_list ap)
{
	sqlite3_stmt *s = statement(db, sql, e);
	int rc;

	if (s == NULL)
		return NULL;
	if (refuse_damaged(db, s, e) < 0) {
		db_done(db, s);
		return NULL;
	}
	if ((rc = bind_all(s, types, ap)) != SQLITE_OK) {
		fail(db, rc, e);
		db_done(db, s);
		return NULL;
	}
	return s;
}

sqlite3_stmt *db_query(struct db *db, struct err *e, const char *sql, const char *types, ...)
{
	sqlite3_stmt *s;
	va_list ap;

	va_start(ap, types);
	s = db_vquery(db, e, sql, types, ap);
	va_end(ap);
	return s;
}

int db_step(struct db *db, sqlite3_stmt *s, struct err *e)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return fail(db, rc, e);
}

void db_done(struct db *db, sqlite3_stmt *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < db->n_cached; i++)
		if (db->cache[i].s == s) {
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			db->cache[i].busy = false;
			return;
		}
	sqlite3_finalize(s);
}

int db_run(struct db *db, struct err *e, const char *sql, const char *types, ...)
{
	sqlite3_stmt *s;
	va_list ap;
	int rc;

	va_start(ap, types);
	s = db_vquery(db, e, sql, types, ap);
	va_end(ap);
	if (s == NULL)
		return -1;
	while ((rc = db_step(db, s, e)) == 1)
		;
	db_done(db, s);
	return rc;
}

int db_changes(struct db *db)
{
	return sqlite3_changes(db->h);
}

long long db_last_rowid(struct db *db)
{
	return (long long)sqlite3_last_insert_rowid(db->h);
}

/* The first row of sql: 1 with the statement on it in *s (give it back with
 * db_done), 0 when there is none, -1 on failure (nothing to give back). */
static int first_row(struct db *db, struct err *e, const char *sql, const char *types, va_list ap,
                     sqlite3_stmt **s)
{
	int rc;

	if ((*s = db_vquery(db, e, sql, types, ap)) == NULL)
		return -1;
	if ((rc = db_step(db, *s, e)) != 1) {
		db_done(db, *s);
		*s = NULL;
	}
	return rc;
}

int db_get_text(struct db *db, struct err *e, char **out, const char *sql, const char *types, ...)
{
	sqlite3_stmt *s;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = first_row(db, e, sql, types, ap, &s);
	va_end(ap);
	*out = rc == 1 ? db_col_dup(s, 0) : NULL;
	db_done(db, s);
	return rc;
}

int db_get_int(struct db *db, struct err *e, long long *out, const char *sql, const char *types,
               ...)
{
	sqlite3_stmt *s;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = first_row(db, e, sql, types, ap, &s);
	va_end(ap);
	if (rc == 1)
		*out = (long long)sqlite3_column_int64(s, 0);
	db_done(db, s);
	return rc;
}

const char *db_col_text(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);

	return t ? (const char *)t : "";
}

void db_col_copy(sqlite3_stmt *s, int col, char *dst, size_t n)
{
	str_copy(dst, n, db_col_text(s, col));
}

char *db_col_dup(sqlite3_stmt *s, int col)
{
	return xstrdup(db_col_text(s, col));
}

#define DB_BLOB_CHUNK (1u << 20)

int db_blob_fill(struct db *db, const char *table, const char *column, long long rowid, int fd,
                 size_t len, struct err *e)
{
	sqlite3_blob *b = NULL;
	char *chunk;
	size_t at = 0;
	ssize_t got = 1;
	int rc, rc_close;

	if (len > INT_MAX) {
		err_set(e, _("a text of %zu bytes is too large for the database"), len);
		return -1;
	}
	if ((rc = sqlite3_blob_open(db->h, "main", table, column, rowid, 1, &b)) != SQLITE_OK)
		return fail(db, rc, e);
	chunk = xmalloc(DB_BLOB_CHUNK);
	while (rc == SQLITE_OK && at < len) {
		got = pread(fd, chunk, len - at < DB_BLOB_CHUNK ? len - at : DB_BLOB_CHUNK,
		            (off_t)at);
		if (got <= 0)
			break;
		rc = sqlite3_blob_write(b, chunk, (int)got, (int)at);
		at += (size_t)got;
	}
	free(chunk);
	rc_close = sqlite3_blob_close(b);
	if (got <= 0) {
		err_set(e, _("cannot read the file to store: %s"),
		        got < 0 ? strerror(errno) : _("it ended early"));
		return -1;
	}
	rc = rc != SQLITE_OK ? rc : rc_close;
	return rc == SQLITE_OK ? 0 : fail(db, rc, e);
}

/* ---- transactions -------------------------------------------------------------- */

bool db_in_tx(struct db *db)
{
	return sqlite3_get_autocommit(db->h) == 0;
}

int db_begin(struct db *db, struct err *e)
{
	if (db_is_damaged(db)) {
		err_set_kind(e, ERR_CORRUPT, "%s",
		             _("the database file is damaged: no more writes"));
		return -1;
	}
	return db_exec(db, "BEGIN IMMEDIATE", e);
}

int db_commit(struct db *db, struct err *e)
{
	return db_exec(db, "COMMIT", e);
}

void db_rollback(struct db *db)
{
	if (db_in_tx(db))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

/* A savepoint statement "VERB name" (name is the caller's identifier). */
static int savepoint_exec(struct db *db, const char *verb, const char *name, struct err *e)
{
	char sql[96];

	snprintf(sql, sizeof sql, "%s %s", verb, name);
	return db_exec(db, sql, e);
}

int db_savepoint(struct db *db, const char *name, struct err *e)
{
	return savepoint_exec(db, "SAVEPOINT", name, e);
}

int db_release(struct db *db, const char *name, struct err *e)
{
	return savepoint_exec(db, "RELEASE", name, e);
}

int db_rollback_to(struct db *db, const char *name, struct err *e)
{
	if (savepoint_exec(db, "ROLLBACK TO", name, e) < 0)
		return -1;
	return db_release(db, name, e);
}

int db_tx(struct db *db, db_tx_fn fn, void *arg, struct err *e)
{
	if (db_in_tx(db)) {
		if (db_savepoint(db, "tx", e) < 0)
			return -1;
		if (fn(db, arg, e) < 0) {
			if (db_in_tx(db))
				db_rollback_to(db, "tx", NULL);
			return -1;
		}
		return db_release(db, "tx", e);
	}
	if (db_begin(db, e) < 0)
		return -1;
	if (fn(db, arg, e) < 0 || db_commit(db, e) < 0) {
		db_rollback(db);
		return -1;
	}
	return 0;
}

/* ---- schema ------------------------------------------------------------------------ */

int db_user_version(struct db *db, struct err *e)
{
	long long v = 0;

	if (db_get_int(db, e, &v, "PRAGMA user_version", "") < 0)
		return -1;
	return (int)v;
}

/* One migration step, inside its transaction: the version is read again
 * there, so two programs upgrading at once never run a step twice. */
struct step_arg {
	const char *const *steps;
	int n;
	bool done;
};

static int migrate_step(struct db *db, void *arg, struct err *e)
{
	struct step_arg *a = arg;
	char bump[64];
	int v = db_user_version(db, e);

	if (v < 0)
		return -1;
	if (v > a->n) {
		err_set(e,
		        _("database schema version %d is newer than this program (%d): upgrade it"),
		        v, a->n);
		return -1;
	}
	if (v == a->n) {
		a->done = true;
		return 0;
	}
	snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
	if (db_exec(db, a->steps[v], e) < 0) {
		err_prefix(e, _("upgrading the schema to %d: "), v + 1);
		return -1;
	}
	return db_exec(db, bump, e);
}

int db_migrate(struct db *db, const char *const *steps, int n, struct err *e)
{
	struct step_arg a = {steps, n, false};
	int v = db_user_version(db, e);

	if (v < 0)
		return -1;
	if (v == n)
		return 0;
	if (db_is_readonly(db)) {
		err_set(e, _("database schema version %d, this program %d: run tongban init first"),
		        v, n);
		return -1;
	}
	while (!a.done)
		if (db_tx(db, migrate_step, &a, e) < 0)
			return -1;
	return 0;
}

int db_quick_check(struct db *db, char **report, struct err *e)
{
	sqlite3_stmt *s = db_query(db, e, "PRAGMA quick_check", "");
	struct buf b;
	bool sound = false;
	int rc;

	if (report)
		*report = NULL;
	if (s == NULL)
		return db_is_damaged(db) ? 0 : -1;
	buf_init(&b);
	while ((rc = db_step(db, s, e)) == 1) {
		const char *line = db_col_text(s, 0);

		sound = strcmp(line, "ok") == 0;
		buf_printf(&b, "%s\n", line);
	}
	db_done(db, s);
	if (rc < 0 && !db_is_damaged(db)) {
		buf_free(&b);
		return -1;
	}
	if (rc < 0) {
		buf_printf(&b, "%s\n", e ? e->msg : "");
		sound = false;
	}
	if (!sound)
		db_mark_damaged(db);
	if (report && !sound)
		*report = buf_take(&b);
	buf_free(&b);
	return sound ? 1 : 0;
}

long long db_change_counter(struct db *db)
{
	long long v = 0;

	db_get_int(db, NULL, &v, "PRAGMA data_version", "");
	return (v << 32) ^ (long long)sqlite3_total_changes(db->h);
}

long long db_col_int(sqlite3_stmt *s, int col)
{
	return (long long)sqlite3_column_int64(s, col);
}

sqlite3_stmt *db_prepare(struct db *db, const char *sql, struct err *e)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &s, NULL);

	if (rc != SQLITE_OK) {
		fail(db, rc, e);
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}
