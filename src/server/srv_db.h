/*
 * srv_db.h - tongband's database connection: one interface, two drivers.
 *
 * tongband's store (srv_store.c) speaks SQL through these calls only, and
 * they reach one of two databases, chosen by the --db text:
 *
 *   postgresql://... or postgres://...  PostgreSQL through libpq (the text
 *                                       is libpq's connection URI), for a
 *                                       province: many halls, several
 *                                       tongband processes on one database
 *   sqlite:PATH, or any other text      the SQLite file PATH through
 *                                       db/db.h (WAL, synchronous=FULL),
 *                                       for one hall
 *
 * Why one layer with two drivers rather than two stores: the store's
 * statements are the product (what is stored, which unique key makes a
 * retry harmless, what a case number is) and are written once.  The SQL is
 * the dialect both understand: placeholders ?1, ?2 (given to PostgreSQL as
 * $1, $2), INSERT ... ON CONFLICT, UPDATE ... RETURNING, coalesce, ||, CASE;
 * a table's insertion order is its "rowid" (SQLite's own; a column on
 * PostgreSQL); no SQLite-only functions (instr, printf, json_*, the scalar
 * max) and no PostgreSQL-only ones.  The few places that must differ pick
 * their statement by srv_db_dialect(): the schema, the name search
 * (pg_trgm) and the changes feed's positions.
 *
 * Transactions.  On SQLite one writer runs at a time (BEGIN IMMEDIATE takes
 * the file's write lock, waited for at most the busy time).  On PostgreSQL
 * writers run side by side at READ COMMITTED; the store makes that safe with
 * unique keys (a racing duplicate waits for the first and then finds it)
 * and row locks (an UPDATE ... RETURNING in place of a read that a write
 * depends on).  What two such transactions can still do to each other, a
 * deadlock or a serialization failure, makes srv_db_tx run the whole
 * transaction again, from its start, up to SRV_DB_TX_TRIES times; a lock
 * waited for longer than the busy time is ERR_BUSY on both.
 *
 * Return convention, db/db.h's: 0 success, -1 failure with e filled (e->kind
 * ERR_BUSY when the database stayed locked or the connection was lost: try
 * again soon); a function that reads a row returns 1 for a row, 0 for none.
 *
 * One struct srv_db is one connection, for one thread at a time.
 */
#ifndef TB_SERVER_SRV_DB_H
#define TB_SERVER_SRV_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"

enum srv_db_dialect {
	SRV_DB_SQLITE,
	SRV_DB_POSTGRESQL,
};

/* How many times srv_db_tx runs a transaction that a conflict undid. */
#define SRV_DB_TX_TRIES 8

struct srv_db;
struct srv_db_stmt;

/* Whether spec names a PostgreSQL database (postgresql:// or postgres://). */
bool srv_db_is_postgresql(const char *spec);

/* The SQLite path of spec ("sqlite:PATH" or PATH itself), or NULL for a
 * PostgreSQL spec.  Points into spec. */
const char *srv_db_sqlite_path(const char *spec);

/* spec without its password, for messages and logs.  Caller frees. */
char *srv_db_spec_shown(const char *spec);

/*
 * Open the database of spec.  SQLite: the file is created (mode 0600) when
 * missing; its folder must exist.  PostgreSQL: the database must exist; a
 * lock is waited for at most busy_ms (lock_timeout), as SQLite waits for
 * the write lock.  Returns 0 with *out set, or -1 with e filled.  Close
 * with srv_db_close.
 */
int srv_db_open(struct srv_db **out, const char *spec, int busy_ms, struct err *e);
void srv_db_close(struct srv_db *db);

enum srv_db_dialect srv_db_dialect(const struct srv_db *db);

/* Pick the statement of db's dialect: sqlite's or postgresql's.  Both must
 * be literals (statements are kept by their address). */
const char *srv_db_pick(const struct srv_db *db, const char *sqlite, const char *postgresql);

/* Run statements without parameters or rows (schema).  0 or -1. */
int srv_db_exec(struct srv_db *db, const char *sql, struct err *e);

/*
 * Parameters are bound by a type string, one letter each, for ?1, ?2...:
 *   's' const char *  (NULL binds SQL NULL)
 *   'e' const char *  (NULL binds '')
 *   'i' int
 *   'l' long long
 * sql must live as long as the connection (a literal): statements are
 * prepared once per connection and kept by its address.
 */

/* Prepare (or take the kept statement), bind and run sql; its rows are read
 * with srv_db_step.  NULL on failure with e filled.  Give it back with
 * srv_db_done. */
struct srv_db_stmt *srv_db_query(struct srv_db *db, struct err *e, const char *sql,
                                 const char *types, ...);

/* The next row: 1 a row, 0 no more, -1 failure with e filled. */
int srv_db_step(struct srv_db_stmt *st, struct err *e);

/* Give back a statement of srv_db_query.  NULL is fine. */
void srv_db_done(struct srv_db_stmt *st);

/* Run a statement that returns no rows.  0 or -1. */
int srv_db_run(struct srv_db *db, struct err *e, const char *sql, const char *types, ...);

/* Rows the last srv_db_run (or the last statement stepped to its end)
 * changed. */
long long srv_db_changes(struct srv_db *db);

/* The first column of the first row as text: 1 with *out (caller frees; ""
 * for NULL), 0 when there is no row (*out NULL), -1 on failure. */
int srv_db_get_text(struct srv_db *db, struct err *e, char **out, const char *sql,
                    const char *types, ...);

/* The first column of the first row as an integer: 1, 0 (no row), -1. */
int srv_db_get_int(struct srv_db *db, struct err *e, long long *out, const char *sql,
                   const char *types, ...);

/* Run sql, a statement without parameters built at run time (a table's
 * name in it), without keeping it: sql need not outlive the call.  Read it
 * as srv_db_query's.  NULL on failure with e filled. */
struct srv_db_stmt *srv_db_prepare(struct srv_db *db, const char *sql, struct err *e);

/* Column col of the current row as text, NULL for SQL NULL.  Valid until
 * the next step. */
const char *srv_db_col_value(struct srv_db_stmt *st, int col);

/* Column col of the current row as text, never NULL ("" for NULL).  Valid
 * until the next step. */
const char *srv_db_col_text(struct srv_db_stmt *st, int col);

/* Column col as an integer (0 for NULL; a boolean is 1 or 0). */
long long srv_db_col_int(struct srv_db_stmt *st, int col);

/* Column col copied into dst (n bytes), never splitting a UTF-8 character. */
void srv_db_col_copy(struct srv_db_stmt *st, int col, char *dst, size_t n);

/* Column col as a new string ("" for NULL).  Caller frees. */
char *srv_db_col_dup(struct srv_db_stmt *st, int col);

/*
 * Run fn in one transaction: begin, fn, then commit when fn returns 0, or
 * roll back when it returns anything else (-1 a failure with e filled; a
 * positive value an answer that changes nothing, returned as it is).  When
 * fn or the commit fails because of another transaction (deadlock,
 * serialization failure: srv_db_is_retry), everything is rolled back and
 * fn runs again from the start, at most SRV_DB_TX_TRIES times in all, then
 * it is ERR_BUSY.  fn must therefore leave nothing behind outside the
 * database that a second run would duplicate.  Inside another transaction,
 * fn runs in a savepoint instead, once.
 */
typedef int (*srv_db_tx_fn)(struct srv_db *db, void *arg, struct err *e);
int srv_db_tx(struct srv_db *db, srv_db_tx_fn fn, void *arg, struct err *e);

/* The pieces of srv_db_tx (no retry). */
int srv_db_begin(struct srv_db *db, struct err *e);
int srv_db_commit(struct srv_db *db, struct err *e);
void srv_db_rollback(struct srv_db *db);
int srv_db_savepoint(struct srv_db *db, const char *name, struct err *e);
int srv_db_release(struct srv_db *db, const char *name, struct err *e);
int srv_db_rollback_to(struct srv_db *db, const char *name, struct err *e);

/* Whether a transaction is open. */
bool srv_db_in_tx(struct srv_db *db);

/* Whether the last failure was one that running the transaction again can
 * cure (another transaction's deadlock or serialization failure). */
bool srv_db_is_retry(const struct srv_db *db);

/*
 * The schema's version: SQLite's PRAGMA user_version; on PostgreSQL the row
 * of the table tongband_schema.  -1 with e filled.
 */
int srv_db_version(struct srv_db *db, struct err *e);

/*
 * Bring the schema to version n.  steps[i] takes version i to i + 1, each
 * in one transaction with the version bump, so that a failed step leaves
 * the previous version whole and two processes upgrading at once never run
 * one twice.  A fresh database (version 0) starts with create, which makes
 * version base at once (NULL, 0: start from step 0); steps below base may
 * be NULL.  A database newer than n is refused.  0 or -1.
 */
int srv_db_migrate(struct srv_db *db, const char *create, int base, const char *const *steps, int n,
                   struct err *e);

#endif
