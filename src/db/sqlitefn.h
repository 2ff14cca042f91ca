/*
 * sqlitefn.h - SQLite, loaded after the first screen.
 *
 * tongban does not link libsqlite3: mapping and relocating its 1.4 MB
 * before the login screen is drawn costs about a third of a millisecond,
 * as much as the whole difference between tongban's first screen and
 * dialog's (issue 13).  The login screen needs no database, so the library
 * is dlopen()ed by the first db_open(), right after the screen is painted.
 * "libsqlite3.so.0" is the soname of every SQLite 3 (glibc and musl); a
 * program that linked it anyway (tongband, the tests) gets the copy it
 * already has.
 *
 * Only the files of src/db and src/store include this header: after it,
 * every sqlite3_ function they call goes through the table below (the
 * macros keep SQLite's own names, so the code reads as SQLite's
 * documentation).  Types and constants are sqlite3.h's, unchanged.
 */
#ifndef TB_DB_SQLITEFN_H
#define TB_DB_SQLITEFN_H

#include <sqlite3.h>

#include "core/util.h"

struct sqlite_fns {
	int (*open_v2)(const char *filename, sqlite3 **db, int flags, const char *vfs);
	int (*close)(sqlite3 *db);
	int (*exec)(sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **),
	            void *arg, char **errmsg);
	int (*busy_timeout)(sqlite3 *db, int ms);
	int (*extended_result_codes)(sqlite3 *db, int onoff);
	int (*extended_errcode)(sqlite3 *db);
	int (*errcode)(sqlite3 *db);
	const char *(*errmsg)(sqlite3 *db);
	int (*db_readonly)(sqlite3 *db, const char *name);
	int (*get_autocommit)(sqlite3 *db);
	int (*changes)(sqlite3 *db);
	int (*total_changes)(sqlite3 *db);
	sqlite3_int64 (*last_insert_rowid)(sqlite3 *db);
	void (*interrupt)(sqlite3 *db);
	int (*prepare_v2)(sqlite3 *db, const char *sql, int n, sqlite3_stmt **stmt,
	                  const char **tail);
	int (*step)(sqlite3_stmt *s);
	int (*reset)(sqlite3_stmt *s);
	int (*finalize)(sqlite3_stmt *s);
	int (*clear_bindings)(sqlite3_stmt *s);
	int (*stmt_readonly)(sqlite3_stmt *s);
	int (*bind_text)(sqlite3_stmt *s, int i, const char *v, int n, void (*destructor)(void *));
	int (*bind_text64)(sqlite3_stmt *s, int i, const char *v, sqlite3_uint64 n,
	                   void (*destructor)(void *), unsigned char encoding);
	int (*bind_int)(sqlite3_stmt *s, int i, int v);
	int (*bind_int64)(sqlite3_stmt *s, int i, sqlite3_int64 v);
	int (*bind_null)(sqlite3_stmt *s, int i);
	int (*bind_value)(sqlite3_stmt *s, int i, const sqlite3_value *v);
	int (*column_count)(sqlite3_stmt *s);
	int (*column_int)(sqlite3_stmt *s, int i);
	sqlite3_int64 (*column_int64)(sqlite3_stmt *s, int i);
	const unsigned char *(*column_text)(sqlite3_stmt *s, int i);
	sqlite3_value *(*column_value)(sqlite3_stmt *s, int i);
	int (*blob_open)(sqlite3 *db, const char *schema, const char *table, const char *column,
	                 sqlite3_int64 row, int flags, sqlite3_blob **blob);
	int (*blob_write)(sqlite3_blob *blob, const void *z, int n, int offset);
	int (*blob_close)(sqlite3_blob *blob);
};

/* The table; its members are NULL until sqlitefn_load() succeeded. */
extern struct sqlite_fns sqlitefn;

/*
 * Load SQLite once (any thread; later calls return at once).  0, or -1 with
 * e saying what is missing in the user's language (every later call says
 * the same).
 */
int sqlitefn_load(struct err *e);

#define sqlite3_open_v2               sqlitefn.open_v2
#define sqlite3_close                 sqlitefn.close
#define sqlite3_exec                  sqlitefn.exec
#define sqlite3_busy_timeout          sqlitefn.busy_timeout
#define sqlite3_extended_result_codes sqlitefn.extended_result_codes
#define sqlite3_extended_errcode      sqlitefn.extended_errcode
#define sqlite3_errcode               sqlitefn.errcode
#define sqlite3_errmsg                sqlitefn.errmsg
#define sqlite3_db_readonly           sqlitefn.db_readonly
#define sqlite3_get_autocommit        sqlitefn.get_autocommit
#define sqlite3_changes               sqlitefn.changes
#define sqlite3_total_changes         sqlitefn.total_changes
#define sqlite3_last_insert_rowid     sqlitefn.last_insert_rowid
#define sqlite3_interrupt             sqlitefn.interrupt
#define sqlite3_prepare_v2            sqlitefn.prepare_v2
#define sqlite3_step                  sqlitefn.step
#define sqlite3_reset                 sqlitefn.reset
#define sqlite3_finalize              sqlitefn.finalize
#define sqlite3_clear_bindings        sqlitefn.clear_bindings
#define sqlite3_stmt_readonly         sqlitefn.stmt_readonly
#define sqlite3_bind_text             sqlitefn.bind_text
#define sqlite3_bind_int              sqlitefn.bind_int
#define sqlite3_bind_int64            sqlitefn.bind_int64
#define sqlite3_bind_null             sqlitefn.bind_null
#define sqlite3_bind_value            sqlitefn.bind_value
#define sqlite3_column_count          sqlitefn.column_count
#define sqlite3_column_int            sqlitefn.column_int
#define sqlite3_column_int64          sqlitefn.column_int64
#define sqlite3_column_text           sqlitefn.column_text
#define sqlite3_column_value          sqlitefn.column_value

#define sqlite3_bind_text64 sqlitefn.bind_text64
#define sqlite3_blob_open   sqlitefn.blob_open
#define sqlite3_blob_write  sqlitefn.blob_write
#define sqlite3_blob_close  sqlitefn.blob_close

#endif
