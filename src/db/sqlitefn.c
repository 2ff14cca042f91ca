#include "db/sqlitefn.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/i18n.h"

struct sqlite_fns sqlitefn;
static struct sqlite_fns fns;
static int loaded = -1;
static char why[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* One symbol into *slot (a function pointer: POSIX lets dlsym's void * be
 * one).  false when it is missing. */
static bool sym(void *lib, const char *name, void *slot)
{
	void *p = dlsym(lib, name);

	*(void **)slot = p;
	return p != NULL;
}

static void load(void)
{
	static const char *const names[] = {"libsqlite3.so.0", "libsqlite3.so"};
	int (*set_config)(int op, ...) = NULL;
	void *lib = NULL;
	size_t i;

	for (i = 0; lib == NULL && i < sizeof names / sizeof names[0]; i++)
		lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL) {
		snprintf(
		    why, sizeof why, "%s",
		    _("SQLite (libsqlite3.so.0, Debian package libsqlite3-0) is not installed"));
		return;
	}
	if (!sym(lib, "sqlite3_open_v2", &fns.open_v2) || !sym(lib, "sqlite3_close", &fns.close) ||
	    !sym(lib, "sqlite3_exec", &fns.exec) ||
	    !sym(lib, "sqlite3_busy_timeout", &fns.busy_timeout) ||
	    !sym(lib, "sqlite3_extended_result_codes", &fns.extended_result_codes) ||
	    !sym(lib, "sqlite3_extended_errcode", &fns.extended_errcode) ||
	    !sym(lib, "sqlite3_errcode", &fns.errcode) ||
	    !sym(lib, "sqlite3_errmsg", &fns.errmsg) ||
	    !sym(lib, "sqlite3_db_readonly", &fns.db_readonly) ||
	    !sym(lib, "sqlite3_get_autocommit", &fns.get_autocommit) ||
	    !sym(lib, "sqlite3_changes", &fns.changes) ||
	    !sym(lib, "sqlite3_total_changes", &fns.total_changes) ||
	    !sym(lib, "sqlite3_last_insert_rowid", &fns.last_insert_rowid) ||
	    !sym(lib, "sqlite3_interrupt", &fns.interrupt) ||
	    !sym(lib, "sqlite3_prepare_v2", &fns.prepare_v2) ||
	    !sym(lib, "sqlite3_step", &fns.step) || !sym(lib, "sqlite3_reset", &fns.reset) ||
	    !sym(lib, "sqlite3_finalize", &fns.finalize) ||
	    !sym(lib, "sqlite3_clear_bindings", &fns.clear_bindings) ||
	    !sym(lib, "sqlite3_stmt_readonly", &fns.stmt_readonly) ||
	    !sym(lib, "sqlite3_bind_text", &fns.bind_text) ||
	    !sym(lib, "sqlite3_bind_int", &fns.bind_int) ||
	    !sym(lib, "sqlite3_bind_int64", &fns.bind_int64) ||
	    !sym(lib, "sqlite3_bind_null", &fns.bind_null) ||
	    !sym(lib, "sqlite3_bind_value", &fns.bind_value) ||
	    !sym(lib, "sqlite3_column_count", &fns.column_count) ||
	    !sym(lib, "sqlite3_column_int", &fns.column_int) ||
	    !sym(lib, "sqlite3_column_int64", &fns.column_int64) ||
	    !sym(lib, "sqlite3_column_text", &fns.column_text) ||
	    !sym(lib, "sqlite3_column_value", &fns.column_value) ||
	    !sym(lib, "sqlite3_bind_text64", &fns.bind_text64) ||
	    !sym(lib, "sqlite3_blob_open", &fns.blob_open) ||
	    !sym(lib, "sqlite3_blob_write", &fns.blob_write) ||
	    !sym(lib, "sqlite3_blob_close", &fns.blob_close)) {
		snprintf(why, sizeof why, "%s",
		         _("the installed SQLite is too old: it lacks functions tongban needs"));
		return;
	}
	/* SQLite's memory statistics take a global mutex on every allocation
	 * (3% each for lock and unlock in a perf profile of 1,000 intakes; no
	 * change in the bench's typing time was measurable); nothing here reads
	 * them.  Refused (SQLITE_MISUSE) when a program that linked SQLite has
	 * started it already: then they stay on. */
	if (sym(lib, "sqlite3_config", &set_config))
		(void)set_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlitefn = fns;
	loaded = 0;
}

int sqlitefn_load(struct err *e)
{
	pthread_once(&once, load);
	if (loaded < 0)
		err_set(e, "%s", why);
	return loaded;
}
