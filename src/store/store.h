/*
 * store.h - the client's SQLite database, one file per noun:
 *
 *   schema.c     opening and the numbered migrations
 *   clerk.c      the clerk cache for offline login, the server session, this
 *                PC's device id and terminal code
 *   case.c       cases as the screens list them
 *   decision.c   a decision's ONE transaction (core/decision.h) and case numbers
 *   outbox.c     events and the outbox: what waits to be pushed
 *   changes.c    applying what a pull brought
 *   notice.c     printed notices kept with their case
 *   draft.c      the clerk's unfinished intake
 *   datacache.c  catalogue and calendar texts kept in the database
 *   meta.c       small key/value state
 *   recover.c    checking a damaged file and salvaging what it holds
 *   stats.c      the period's statistics (core/stats.h) from the cases
 *   ecert.c      the e-certificate checks of the counter (core/ecert.h)
 *
 * Every change is one transaction; nothing here waits on the network.  WAL
 * mode and synchronous=FULL: a committed case survives kill -9 and power
 * loss.  Only SQLite opens the file (src/db explains why), so other programs
 * (tongban sync from cron, a reprint, the sqlite3 shell) may use the same
 * database at any time.  One struct store is one connection; use one per
 * thread.
 */
#ifndef TB_STORE_STORE_H
#define TB_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/clerk.h"
#include "core/util.h"

struct store;

/* The schema version this build writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 11

/* How long a write waits for another program's lock by default (ms); the
 * screen's connection waits much less (store_set_busy_ms). */
#define STORE_BUSY_MS 5000

/* store_open_with flags. */
#define STORE_READONLY 0x1 /* read only: never written, never migrated */

/*
 * Open the database at path (creating its folder 0700 and the file 0600 if
 * needed) and bring its schema up to date.  NULL on failure with e filled
 * (e->kind ERR_CORRUPT for a damaged file, ERR_BUSY, ERR_READONLY...).
 * Close with store_close().
 */
struct store *store_open(const char *path, struct err *e);

/* The same with flags and the busy wait; a read-only open works on a
 * read-only file and refuses a schema older than this build's. */
struct store *store_open_with(const char *path, unsigned flags, int busy_ms, struct err *e);
void store_close(struct store *st);

/* Change how long writes wait for another program's lock. */
void store_set_busy_ms(struct store *st, int busy_ms);

/* The path given at open.  Valid until store_close. */
const char *store_path(const struct store *st);

/* Whether this process found the file damaged (then nothing more is written). */
bool store_is_damaged(struct store *st);

/* Mark the file damaged for this process, as another process found it. */
void store_mark_damaged(struct store *st);

/* A quick check of every page (PRAGMA quick_check): 1 sound, 0 damaged
 * (*report, if not NULL, says what; caller frees), -1 could not run. */
int store_quick_check(struct store *st, char **report, struct err *e);

/* A number that changes whenever the database changed, by any program. */
long long store_change_counter(struct store *st);

/*
 * The client's clock: time(NULL), plus TONGBAN_FAKE_CLOCK_OFFSET seconds
 * when that is set (tests only: a clerk's PC whose clock is wrong).  Every
 * event time the store writes comes from here.
 */
time_t store_clock_now(void);

#include "store/audit.h"
#include "store/case.h"
#include "store/changes.h"
#include "store/check.h"
#include "store/clerk.h"
#include "store/datacache.h"
#include "store/decision.h"
#include "store/draft.h"
#include "store/meta.h"
#include "store/notice.h"
#include "store/outbox.h"
#include "store/search.h"
#include "store/stats.h"

#endif
