/* changes.h (store) - applying what GET /v1/changes brought: back-office
 * decisions, official case numbers, new catalogue and calendar versions. */
#ifndef TB_STORE_CHANGES_H
#define TB_STORE_CHANGES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"

struct store;

/* What a pulled change is. */
enum store_change_kind {
	STORE_CHANGE_DECISION,  /* a back-office "decided" event of one of our cases */
	STORE_CHANGE_CATALOGUE, /* a new catalogue version on the server */
	STORE_CHANGE_CALENDAR,  /* a new working-day calendar version */
	STORE_CHANGE_CASE_NO,   /* the server's official number for one of our cases */
	STORE_CHANGE_OTHER,     /* a kind this build does not know: only the cursor moves */
};

/* One change of GET /v1/changes, borrowed strings. */
struct store_change {
	long long cursor;
	enum store_change_kind kind;
	const char *case_id;    /* decision, case_no */
	const char *case_no;    /* decision, case_no: the window's number */
	const char *event_json; /* decision: the "decided" event as the server stores it */
	const char *event_uuid; /* decision: its uuid, seq and outcome (sync reads them) */
	int seq;
	const char *outcome;
	const char *type;        /* decision: "decided", or "dept_decided" (a department's part
	                          * of a joint decision, 并联审批); NULL reads as "decided" */
	const char *version;     /* catalogue, calendar */
	const char *official_no; /* case_no: the server's number */
};

/* What store_changes_apply did. */
struct store_apply_result {
	int decisions;     /* decided events appended to local cases */
	int unknown_cases; /* decisions for cases this machine does not hold (kept aside) */
	int catalogue;     /* catalogue versions noted */
	int calendar;      /* calendar versions noted */
	int official_nos;  /* official numbers stored on local cases */
	int skipped;       /* already applied (cursor at or below the stored one) */
};

/*
 * Apply pulled changes and store next_cursor, in ONE transaction: either
 * all of it or none.  A decision appends the server's event to its case
 * (not to the outbox: it came from the server), moves the case to approved
 * or denied, and renumbers the case's unsent events that collide with its
 * seq (the server answered them "out of order"; they are requeued).  A
 * decision for an unknown case is kept in orphan_decisions.  An official
 * number is stored on its case (official_no); one for a case this machine
 * does not hold is ignored.  Catalogue and
 * calendar versions go to meta ("catalogue_version",
 * "catalogue_update_waiting" = "1"; the same with "calendar_"), for
 * sync_fetch_updates (sync/updates.h) to download; the UI applies them
 * between cases.  Changes at or below the stored cursor are
 * skipped, so a repeated pull changes nothing; the cursor never goes back.
 * r may be NULL.  Returns 0, or -1 with e filled (then nothing changed).
 */
int store_changes_apply(struct store *st, const struct store_change *c, size_t n,
                        long long next_cursor, struct store_apply_result *r, struct err *e);

/* The stored changes cursor (0 before the first pull).  Returns 0 or -1. */
int store_changes_cursor(struct store *st, long long *cursor, struct err *e);

/* Whether a pulled catalogue or calendar version waits to be downloaded.
 * Either pointer may be NULL.  Returns 0 or -1. */
int store_updates_waiting(struct store *st, bool *catalogue, bool *calendar, struct err *e);

/* Decisions pulled for cases this machine does not hold.  Returns the count or -1. */
int store_orphan_decisions(struct store *st, struct err *e);

#endif
