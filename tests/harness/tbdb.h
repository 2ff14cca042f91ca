/*
 * tbdb.h - the database tongband's tests run on: an SQLite file, or a
 * database on a real PostgreSQL cluster of the test run's own.
 *
 * TONGBAND_TEST_BACKEND chooses: "sqlite" (the default) or "postgresql".
 * On PostgreSQL the cluster is $TONGBAN_TEST_PG (a base URL such as
 * postgresql://tongban@127.0.0.1:PORT, which `make check` starts once for
 * the whole run with scripts/pg-test-cluster.sh); without it tbdb_setup
 * starts one for the test program and stops it at its exit.
 *
 * A database is named by its --db text ("spec"): a path for SQLite, a
 * postgresql:// URL for PostgreSQL.
 */
#ifndef TB_HARNESS_TBDB_H
#define TB_HARNESS_TBDB_H

#include <stdbool.h>

#include "core/util.h"

struct srv_db;

/* Whether the tests run on PostgreSQL. */
bool tbdb_is_postgresql(void);

/* "sqlite" or "postgresql". */
const char *tbdb_backend(void);

/* On PostgreSQL, make sure the cluster runs (see above); in the parent
 * process, before any test forks.  A cluster started here fsyncs only
 * with TONGBAN_PG_DURABLE=1 (benches).  0, or -1 with e filled. */
int tbdb_setup(struct err *e);

/* The log of the cluster tbdb_setup started (NULL when it started none).
 * Caller frees. */
char *tbdb_cluster_log(void);

/* A new empty database called name (letters, digits, '_'): dir/name.db on
 * SQLite, a new database on the cluster.  Its spec, or NULL with e filled.
 * Caller frees (and removes it with tbdb_remove). */
char *tbdb_new(const char *dir, const char *name, struct err *e);

/* A new database called name, a copy of from (which nobody may have open).
 * Its spec, or NULL with e filled.  Caller frees. */
char *tbdb_copy(const char *from, const char *dir, const char *name, struct err *e);

/* Remove a database of tbdb_new or tbdb_copy (an SQLite file with its -wal
 * and -shm).  NULL is fine. */
void tbdb_remove(const char *spec);

/* Run sql (statements without parameters) on spec.  0, or -1 with e. */
int tbdb_exec(const char *spec, const char *sql, struct err *e);

/* The first column of the first row of sql on spec as text (caller frees),
 * or NULL when there is no row or it failed (e filled). */
char *tbdb_text(const char *spec, const char *sql, struct err *e);

/* The same as an integer, with ?1 bound to arg unless it is NULL; -1 when
 * there is no row or it failed.  sql is a literal. */
long long tbdb_int(const char *spec, const char *sql, const char *arg, struct err *e);

/* Hold every table's write lock of spec, as another program (the sqlite3
 * shell, a maintenance job) would: readers go on, writers wait.  The
 * connection, or NULL with e filled; tbdb_release lets go. */
struct srv_db *tbdb_hold_writes(const char *spec, struct err *e);
void tbdb_release(struct srv_db *db);

#endif
