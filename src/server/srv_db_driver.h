/*
 * srv_db_driver.h - what a driver of srv_db.h provides: a table of
 * functions (srv_db_sqlite.c, srv_db_pg.c), used by srv_db.c only.
 */
#ifndef TB_SERVER_SRV_DB_DRIVER_H
#define TB_SERVER_SRV_DB_DRIVER_H

#include <stdarg.h>

#include "server/srv_db.h"

struct srv_db_driver {
	enum srv_db_dialect dialect;
	/* Connect db->h to spec.  0 or -1 with e filled. */
	int (*open)(struct srv_db *db, const char *spec, int busy_ms, struct err *e);
	void (*close)(struct srv_db *db);
	int (*exec)(struct srv_db *db, const char *sql, struct err *e);
	/* Prepare (or take the kept one), bind ap and run sql into st->h.  0 or -1. */
	int (*query)(struct srv_db *db, struct srv_db_stmt *st, const char *sql, const char *types,
	             va_list ap, struct err *e);
	/* Run sql (no parameters, built at run time) into st->h without keeping it. */
	int (*prepare)(struct srv_db *db, struct srv_db_stmt *st, const char *sql, struct err *e);
	int (*step)(struct srv_db_stmt *st, struct err *e);
	void (*done)(struct srv_db_stmt *st);
	/* NULL for SQL NULL */
	const char *(*col_text)(struct srv_db_stmt *st, int col);
	long long (*col_int)(struct srv_db_stmt *st, int col);
	long long (*changes)(struct srv_db *db);
	bool (*in_tx)(struct srv_db *db);
	/* Begin a transaction that will write. */
	int (*begin)(struct srv_db *db, struct err *e);
	/* Inside the migration's transaction: make other processes' migrations wait
	 * for this one (SQLite's BEGIN IMMEDIATE already does). */
	int (*lock_schema)(struct srv_db *db, struct err *e);
	int (*version)(struct srv_db *db, struct err *e);
	int (*set_version)(struct srv_db *db, int v, struct err *e);
};

struct srv_db {
	const struct srv_db_driver *drv;
	void *h;    /* the driver's connection */
	bool retry; /* the last failure is cured by running the transaction again */
};

struct srv_db_stmt {
	struct srv_db *db;
	void *h;    /* the driver's statement or result */
	int row;    /* PostgreSQL: the row stepped to, -1 before the first */
	int n_rows; /* PostgreSQL: the rows of the result */
};

extern const struct srv_db_driver srv_db_sqlite_driver;
extern const struct srv_db_driver srv_db_pg_driver;

#endif
