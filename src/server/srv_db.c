/*
 * srv_db.c - tongband's database connection (srv_db.h): what both drivers
 * share (choosing the driver, the helpers over query and step, the
 * transaction with its retries, migrations).
 */
#include "server/srv_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/srv_db_driver.h"

bool srv_db_is_postgresql(const char *spec)
{
	return strncmp(spec, "postgresql://", 13) == 0 || strncmp(spec, "postgres://", 11) == 0;
}

const char *srv_db_sqlite_path(const char *spec)
{
	if (srv_db_is_postgresql(spec))
		return NULL;
	return strncmp(spec, "sqlite:", 7) == 0 ? spec + 7 : spec;
}

char *srv_db_spec_shown(const char *spec)
{
	const char *scheme_end = strstr(spec, "://"), *at, *colon;

	if (!srv_db_is_postgresql(spec) || scheme_end == NULL)
		return xstrdup(spec);
	at = strchr(scheme_end + 3, '@');
	colon = memchr(scheme_end + 3, ':', at ? (size_t)(at - scheme_end - 3) : 0);
	if (at == NULL || colon == NULL)
		return xstrdup(spec);
	return xasprintf("%.*s:***%s", (int)(colon - spec), spec, at);
}

int srv_db_open(struct srv_db **out, const char *spec, int busy_ms, struct err *e)
{
	struct srv_db *db = xcalloc(1, sizeof *db);

	*out = NULL;
	db->drv = srv_db_is_postgresql(spec) ? &srv_db_pg_driver : &srv_db_sqlite_driver;
	if (db->drv->open(db, spec, busy_ms, e) < 0) {
		free(db);
		return -1;
	}
	*out = db;
	return 0;
}

void srv_db_close(struct srv_db *db)
{
	if (db == NULL)
		return;
	db->drv->close(db);
	free(db);
}

enum srv_db_dialect srv_db_dialect(const struct srv_db *db)
{
	return db->drv->dialect;
}

const char *srv_db_pick(const struct srv_db *db, const char *sqlite, const char *postgresql)
{
	return db->drv->dialect == SRV_DB_POSTGRESQL ? postgresql : sqlite;
}

int srv_db_exec(struct srv_db *db, const char *sql, struct err *e)
{
	db->retry = false;
	return db->drv->exec(db, sql, e);
}

static struct srv_db_stmt *vquery(struct srv_db *db, struct err *e, const char *sql,
                                  const char *types, va_list ap)
{
	struct srv_db_stmt *st = xcalloc(1, sizeof *st);

	st->db = db;
	st->row = -1;
	db->retry = false;
	if (db->drv->query(db, st, sql, types, ap, e) < 0) {
		free(st);
		return NULL;
	}
	return st;
}

struct srv_db_stmt *srv_db_query(struct srv_db *db, struct err *e, const char *sql,
                                 const char *types, ...)
{
	struct srv_db_stmt *st;
	va_list ap;

	va_start(ap, types);
	st = vquery(db, e, sql, types, ap);
	va_end(ap);
	return st;
}

struct srv_db_stmt *srv_db_prepare(struct srv_db *db, const char *sql, struct err *e)
{
	struct srv_db_stmt *st = xcalloc(1, sizeof *st);

	st->db = db;
	st->row = -1;
	db->retry = false;
	if (db->drv->prepare(db, st, sql, e) < 0) {
		free(st);
		return NULL;
	}
	return st;
}

int srv_db_step(struct srv_db_stmt *st, struct err *e)
{
	return st->db->drv->step(st, e);
}

void srv_db_done(struct srv_db_stmt *st)
{
	if (st == NULL)
		return;
	st->db->drv->done(st);
	free(st);
}

/* Step st to its end and give it back: 0 or -1. */
static int finish(struct srv_db_stmt *st, struct err *e)
{
	int rc;

	while ((rc = srv_db_step(st, e)) == 1)
		;
	srv_db_done(st);
	return rc;
}

int srv_db_run(struct srv_db *db, struct err *e, const char *sql, const char *types, ...)
{
	struct srv_db_stmt *st;
	va_list ap;

	va_start(ap, types);
	st = vquery(db, e, sql, types, ap);
	va_end(ap);
	return st == NULL ? -1 : finish(st, e);
}

long long srv_db_changes(struct srv_db *db)
{
	return db->drv->changes(db);
}

/* The first row of sql: 1 with the statement on it in *st (give it back
 * with srv_db_done), 0 when there is none, -1 on failure. */
static int first_row(struct srv_db *db, struct err *e, const char *sql, const char *types,
                     va_list ap, struct srv_db_stmt **st)
{
	int rc;

	if ((*st = vquery(db, e, sql, types, ap)) == NULL)
		return -1;
	if ((rc = srv_db_step(*st, e)) != 1) {
		srv_db_done(*st);
		*st = NULL;
	}
	return rc;
}

int srv_db_get_text(struct srv_db *db, struct err *e, char **out, const char *sql,
                    const char *types, ...)
{
	struct srv_db_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = first_row(db, e, sql, types, ap, &st);
	va_end(ap);
	*out = rc == 1 ? srv_db_col_dup(st, 0) : NULL;
	srv_db_done(st);
	return rc;
}

int srv_db_get_int(struct srv_db *db, struct err *e, long long *out, const char *sql,
                   const char *types, ...)
{
	struct srv_db_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = first_row(db, e, sql, types, ap, &st);
	va_end(ap);
	if (rc == 1)
		*out = srv_db_col_int(st, 0);
	srv_db_done(st);
	return rc;
}

const char *srv_db_col_text(struct srv_db_stmt *st, int col)
{
	const char *t = st->db->drv->col_text(st, col);

	return t ? t : "";
}

const char *srv_db_col_value(struct srv_db_stmt *st, int col)
{
	return st->db->drv->col_text(st, col);
}

long long srv_db_col_int(struct srv_db_stmt *st, int col)
{
	return st->db->drv->col_int(st, col);
}

void srv_db_col_copy(struct srv_db_stmt *st, int col, char *dst, size_t n)
{
	str_copy(dst, n, srv_db_col_text(st, col));
}

char *srv_db_col_dup(struct srv_db_stmt *st, int col)
{
	return xstrdup(srv_db_col_text(st, col));
}

/* ---- transactions ------------------------------------------------------- */

bool srv_db_in_tx(struct srv_db *db)
{
	return db->drv->in_tx(db);
}

bool srv_db_is_retry(const struct srv_db *db)
{
	return db->retry;
}

int srv_db_begin(struct srv_db *db, struct err *e)
{
	db->retry = false;
	return db->drv->begin(db, e);
}

int srv_db_commit(struct srv_db *db, struct err *e)
{
	return srv_db_exec(db, "COMMIT", e);
}

void srv_db_rollback(struct srv_db *db)
{
	bool retry = db->retry; /* the failure that led here is the one to report */

	if (srv_db_in_tx(db))
		db->drv->exec(db, "ROLLBACK", NULL);
	db->retry = retry;
}

/* A savepoint statement "VERB name" (name is the caller's identifier). */
static int savepoint_exec(struct srv_db *db, const char *verb, const char *name, struct err *e)
{
	char sql[96];

	snprintf(sql, sizeof sql, "%s %s", verb, name);
	return srv_db_exec(db, sql, e);
}

int srv_db_savepoint(struct srv_db *db, const char *name, struct err *e)
{
	return savepoint_exec(db, "SAVEPOINT", name, e);
}

int srv_db_release(struct srv_db *db, const char *name, struct err *e)
{
	return savepoint_exec(db, "RELEASE", name, e);
}

int srv_db_rollback_to(struct srv_db *db, const char *name, struct err *e)
{
	if (savepoint_exec(db, "ROLLBACK TO", name, e) < 0)
		return -1;
	return srv_db_release(db, name, e);
}

/* fn in a savepoint of the open transaction. */
static int tx_nested(struct srv_db *db, srv_db_tx_fn fn, void *arg, struct err *e)
{
	int rc;

	if (srv_db_savepoint(db, "tx", e) < 0)
		return -1;
	if ((rc = fn(db, arg, e)) != 0) {
		if (srv_db_in_tx(db))
			srv_db_rollback_to(db, "tx", NULL);
		return rc < 0 ? -1 : rc;
	}
	return srv_db_release(db, "tx", e);
}

/* One run of fn in its own transaction. */
static int tx_once(struct srv_db *db, srv_db_tx_fn fn, void *arg, struct err *e)
{
	int rc;

	if (srv_db_begin(db, e) < 0)
		return -1;
	if ((rc = fn(db, arg, e)) != 0) {
		srv_db_rollback(db);
		return rc < 0 ? -1 : rc;
	}
	if (srv_db_commit(db, e) < 0) {
		srv_db_rollback(db);
		return -1;
	}
	return 0;
}

int srv_db_tx(struct srv_db *db, srv_db_tx_fn fn, void *arg, struct err *e)
{
	int tries, rc = -1;

	if (srv_db_in_tx(db))
		return tx_nested(db, fn, arg, e);
	for (tries = 0; tries < SRV_DB_TX_TRIES; tries++) {
		rc = tx_once(db, fn, arg, e);
		if (rc >= 0 || !srv_db_is_retry(db))
			return rc;
	}
	if (e != NULL)
		e->kind = ERR_BUSY; /* still undone by others each time: the client retries */
	return rc;
}

/* ---- schema ------------------------------------------------------------- */

int srv_db_version(struct srv_db *db, struct err *e)
{
	db->retry = false;
	return db->drv->version(db, e);
}

/* What one migration step needs. */
struct step_arg {
	const char *create;
	int base;
	const char *const *steps;
	int n;
	bool done;
};

/* One migration step, inside its transaction: the version is read again
 * there (after the schema lock), so two programs upgrading at once never
 * run a step twice. */
static int migrate_step(struct srv_db *db, void *arg, struct err *e)
{
	struct step_arg *a = arg;
	const char *sql;
	int v, to;

	if (db->drv->lock_schema(db, e) < 0 || (v = srv_db_version(db, e)) < 0)
		return -1;
	if (v > a->n) {
		err_set(e,
		        "database schema version %d is newer than this tongband (%d): upgrade "
		        "tongband",
		        v, a->n);
		return -1;
	}
	if (v == a->n) {
		a->done = true;
		return 0;
	}
	if (v == 0 && a->create != NULL) {
		sql = a->create;
		to = a->base;
	} else {
		sql = a->steps[v];
		to = v + 1;
	}
	if (sql == NULL) {
		err_set(e, "no way to upgrade the schema from version %d", v);
		return -1;
	}
	if (srv_db_exec(db, sql, e) < 0) {
		err_prefix(e, "upgrading the schema to %d: ", to);
		return -1;
	}
	return db->drv->set_version(db, to, e);
}

int srv_db_migrate(struct srv_db *db, const char *create, int base, const char *const *steps, int n,
                   struct err *e)
{
	struct step_arg a = {create, base, steps, n, false};
	int v = srv_db_version(db, e);

	if (v < 0)
		return -1;
	if (v == n)
		return 0;
	while (!a.done)
		if (srv_db_tx(db, migrate_step, &a, e) < 0)
			return -1;
	return 0;
}
