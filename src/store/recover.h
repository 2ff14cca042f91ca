/*
 * recover.h - a damaged client database: what is damaged (store_check_*)
 * and a new database holding everything that can still be read
 * (store_recover_*).
 *
 * Both open the damaged file read-only and never write it: it may sit on a
 * read-only file or medium, and it stays as it was for a second attempt.
 * Nothing here prints; the counts and findings come back in structs for the
 * command (src/cli/cmd_db.c) to show.
 */
#ifndef TB_STORE_RECOVER_H
#define TB_STORE_RECOVER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"

/* How many rows of one table a read rowid range by rowid range got. */
struct store_rows {
	long long read;  /* rows read whole */
	long long total; /* rows an intact index of the table counts; -1 when none
	                    is intact (then how many were lost is not known) */
	int bad_ranges;  /* rowid ranges that could not be read (0: all was read) */
	long long lost;  /* rows that could not be read: total - read; -1 when not known */
};

#define STORE_CHECK_PAGES   16
#define STORE_CHECK_INDEXES 8

/* A table that PRAGMA integrity_check finds damaged, with its indexes. */
struct store_check_table {
	char name[128];
	struct store_rows rows;
	bool table_damaged; /* reading the table's own rows failed somewhere */
	/* its indexes that cannot be read whole */
	char bad_indexes[STORE_CHECK_INDEXES][128];
	int n_bad_indexes;
	/* the pages SQLite names for the table and its indexes, the first few */
	long long pages[STORE_CHECK_PAGES];
	int n_pages;
};

struct store_check_result {
	bool sound;
	char **report; /* PRAGMA integrity_check's lines, as SQLite wrote them */
	size_t n_report;
	struct store_check_table *tables; /* the tables concerned, in schema order */
	size_t n_tables;
};

/*
 * Check the database at path, read-only: the full PRAGMA integrity_check,
 * then, when it finds damage, which tables and indexes it concerns (each
 * table checked alone, PRAGMA integrity_check(TABLE)) and how many rows of
 * each can still be read.  Returns 1 sound, 0 damaged (c says what), -1
 * when the check could not run (e filled: no such file, or a file that is
 * not a database or whose first pages are destroyed, e->kind ERR_CORRUPT).
 * Free c with store_check_free, whatever the result.
 */
int store_check_db(const char *path, struct store_check_result *c, struct err *e);
void store_check_free(struct store_check_result *c);

/* One table of the new database. */
struct store_recover_table {
	char name[128];
	struct store_rows rows;
	long long refused; /* rows read but refused by the new schema (a constraint) */
	bool in_source;    /* false: the source has no such table (an older schema) */
};

struct store_recover_result {
	struct store_recover_table *tables; /* every table of the new database */
	size_t n_tables;
	int source_version; /* the source's schema version (PRAGMA user_version) */
	long long requeued; /* outbox entries that were "sending", now "waiting" */
	long long dropped;  /* outbox entries dropped: their event was not recovered */
	long long orphans;  /* events kept although their case was not recovered */
	/* what the new database holds */
	long long cases, events, notices, unsent;
};

/* Where a copy stands, for a progress display. */
struct store_recover_step {
	const char *table; /* the table being copied */
	long long rows;    /* rows read so far, of every table */
	long long expect;  /* rows the copy expects in all: for each table the span of
	                    * the source's rowids (largest - smallest + 1, which
	                    * deleted rows make larger); 0 when none could be read */
};

/* Called when a table starts, now and then while it is copied, and when it
 * ends. */
typedef void (*store_recover_progress)(const struct store_recover_step *s, void *arg);

/*
 * Copy everything that can be read of the database at src into a new
 * database at dst, made by store_open (so it has this build's schema): for
 * each of its tables the columns both have, row by row by rowid, stepping
 * over damaged pages, foreign keys off, in one transaction.  Then "sending"
 * outbox entries become "waiting", outbox entries whose event was lost are
 * dropped, events whose case was lost are kept and counted.  progress may
 * be NULL.  Returns 1 when the copy was made (rows may be lost: r says how
 * many), 0 when nothing at all could be read (dst removed again), -1 on
 * error (e filled; dst removed when this call made it).  dst must not exist.
 * Free r with store_recover_free, whatever the result.
 */
int store_recover_db(const char *src, const char *dst, store_recover_progress progress, void *arg,
                     struct store_recover_result *r, struct err *e);
void store_recover_free(struct store_recover_result *r);

#endif
