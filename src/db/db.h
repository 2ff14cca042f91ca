/*
 * db.h - the one thin SQLite layer under the client's store (src/store) and
 * tongband's SQLite store (src/server): opening a database file safely
 * beside other programs, prepared statements with typed binding and one
 * return convention, one transaction wrapper, numbered migrations, and the
 * damage and change markers the layers above act on.
 *
 * Return convention, everywhere: 0 success, -1 failure with e filled (e->kind
 * is ERR_BUSY, ERR_FULL, ERR_READONLY, ERR_CORRUPT, ERR_IO or ERR_FAILED and
 * e->msg says it in the user's language); functions that read a row return
 * 1 for a row, 0 for none, -1 for failure.
 *
 * Only SQLite opens the database file.  On Linux, closing any descriptor of
 * a file drops every POSIX lock the process holds on it, and another
 * program then believes it is the last user and deletes the -wal file under
 * a running program (SQLite, "How To Corrupt An SQLite Database File", 2.2).
 * So the file is never opened here: its mode is set with chmod(2) by path
 * right after SQLite creates it (SQLite creates it at open, empty; the -wal
 * and -shm files take the database file's mode).
 *
 * One struct db is one connection, for one thread at a time.
 */
#ifndef TB_DB_DB_H
#define TB_DB_DB_H

#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"

struct db;

/* db_open flags. */
#define DB_CREATE   0x1 /* create the file (mode 0600) and its folder (0700) */
#define DB_READONLY 0x2 /* never write: no journal change, no migration */

/*
 * Open the database at path: WAL mode and synchronous=FULL (a committed
 * transaction survives kill -9 and power loss), foreign keys on, a write
 * lock waited for at most busy_ms.  A read-only open of a WAL database that
 * cannot make its -shm file (read-only media) reads the file as immutable
 * when no -wal file holds unmerged data, and fails saying so otherwise.
 * NULL on failure with e filled.  Close with db_close().
 */
struct db *db_open(const char *path, unsigned flags, int busy_ms, struct err *e);
void db_close(struct db *db);

/* The path given to db_open.  Valid until db_close. */
const char *db_path(const struct db *db);

/* Whether the connection was opened DB_READONLY. */
bool db_is_readonly(const struct db *db);

/* The SQLite handle, for what this layer does not wrap. */
sqlite3 *db_sqlite(struct db *db);

/* Change the time a write lock is waited for. */
void db_set_busy_ms(struct db *db, int busy_ms);

/* Run one or more statements without parameters or rows (schema, pragmas). */
int db_exec(struct db *db, const char *sql, struct err *e);

/*
 * Parameters are bound by a type string, one letter each, for ?1, ?2, ...:
 *   's' const char *  (NULL binds SQL NULL)
 *   'e' const char *  (NULL binds '')
 *   'i' int
 *   'l' long long
 *   't' const char *, size_t: text of that length, not copied (it must stay
 *       as it is until the statement is done: a 150 MB catalogue is bound
 *       from its downloaded file without another copy of it)
 * Statements are prepared once per connection and kept: sql must be a
 * string that lives as long as the connection (a literal).
 */

/* Prepare sql and bind; the statement stays the caller's until db_done().
 * NULL on failure with e filled. */
sqlite3_stmt *db_query(struct db *db, struct err *e, const char *sql, const char *types, ...);

/* db_query with the parameters in ap. */
sqlite3_stmt *db_vquery(struct db *db, struct err *e, const char *sql, const char *types,
                        va_list ap);

/* The next row: 1 a row, 0 no more, -1 failure with e filled. */
int db_step(struct db *db, sqlite3_stmt *s, struct err *e);

/* Give a statement of db_query back (reset, bindings cleared).  NULL is fine. */
void db_done(struct db *db, sqlite3_stmt *s);

/* Prepare, bind and run a statement that returns no rows.  0 or -1. */
int db_run(struct db *db, struct err *e, const char *sql, const char *types, ...);

/* Rows the last db_run changed. */
int db_changes(struct db *db);

/* The rowid of the last insert. */
long long db_last_rowid(struct db *db);

/* The first column of the first row as text: 1 with *out (caller frees; ""
 * for NULL), 0 when there is no row (*out NULL), -1 on failure. */
int db_get_text(struct db *db, struct err *e, char **out, const char *sql, const char *types, ...);

/* The first column of the first row as an integer: 1, 0 (no row), -1. */
int db_get_int(struct db *db, struct err *e, long long *out, const char *sql, const char *types,
               ...);

/*
 * Write len bytes of file fd (from its start) into the value of column of
 * table's row rowid, which must be a zeroblob(len) already: a MiB at a time
 * through SQLite's incremental blob I/O, so neither the text nor a record
 * holding it is ever in memory.  0, or -1 with e filled.
 */
int db_blob_fill(struct db *db, const char *table, const char *column, long long rowid, int fd,
                 size_t len, struct err *e);

/* Column col of the current row, never NULL ("" for NULL).  Valid until
 * the next step. */
const char *db_col_text(sqlite3_stmt *s, int col);

/* Column col copied into dst (n bytes), never splitting a UTF-8 character. */
void db_col_copy(sqlite3_stmt *s, int col, char *dst, size_t n);

/* Column col as a new string ("" for NULL).  Caller frees. */
char *db_col_dup(sqlite3_stmt *s, int col);

/*
 * Run fn in ONE transaction: BEGIN IMMEDIATE (the write lock is taken at
 * once, waited for at most the busy time), fn, COMMIT; a failure of fn or
 * of the commit rolls everything back.  Inside another transaction, fn runs
 * in a savepoint instead.  Returns fn's 0 or -1 (e filled by whoever failed).
 */
typedef int (*db_tx_fn)(struct db *db, void *arg, struct err *e);
int db_tx(struct db *db, db_tx_fn fn, void *arg, struct err *e);

/* The pieces of db_tx, for a caller that must hold a transaction across
 * several steps (tongband's batch with a savepoint per event). */
int db_begin(struct db *db, struct err *e);
int db_commit(struct db *db, struct err *e);
void db_rollback(struct db *db);
int db_savepoint(struct db *db, const char *name, struct err *e);
int db_release(struct db *db, const char *name, struct err *e);
int db_rollback_to(struct db *db, const char *name, struct err *e);

/* Whether a transaction is open on the connection. */
bool db_in_tx(struct db *db);

/* PRAGMA user_version, or -1 with e filled. */
int db_user_version(struct db *db, struct err *e);

/*
 * Bring the schema from its user_version to n: steps[i] takes version i to
 * i + 1, each in one transaction with the version bump (so a failed step
 * leaves the previous version whole).  A database newer than n is refused.
 * Returns 0 or -1.
 */
int db_migrate(struct db *db, const char *const *steps, int n, struct err *e);

/*
 * Whether this process has seen the file damaged (SQLITE_CORRUPT or
 * SQLITE_NOTADB on any connection to the same path, or a failed
 * db_quick_check).  Writers stop writing once it is.
 */
bool db_is_damaged(const struct db *db);

/* Mark the file of db damaged for every connection of this process. */
void db_mark_damaged(struct db *db);

/*
 * PRAGMA quick_check: 1 when the file is sound, 0 when damaged (the file is
 * marked, and *report, when not NULL, gets SQLite's lines; caller frees),
 * -1 when the check could not run.
 */
int db_quick_check(struct db *db, char **report, struct err *e);

/*
 * A number that changes whenever the database changed, by this connection
 * or any other (PRAGMA data_version with this connection's own changes), so
 * a screen can re-read only when something happened.
 */
long long db_change_counter(struct db *db);

/* Column col of the current row as an integer (0 for NULL). */
long long db_col_int(sqlite3_stmt *s, int col);

/*
 * Prepare sql, a string built at run time (a generic copy over a schema it
 * reads), without keeping the statement: sql need not outlive the call.
 * Bind and read it with SQLite's own calls; db_step steps it and db_done
 * finalizes it.  NULL on failure with e filled.
 */
sqlite3_stmt *db_prepare(struct db *db, const char *sql, struct err *e);

#endif
