/*
 * store.h - the client's SQLite database: schema and migrations, the clerk
 * cache, cases, their events and the outbox.
 *
 * Every change is one transaction that writes the event and queues it in the
 * outbox; nothing here waits on the network.  WAL mode and synchronous=FULL:
 * a committed case survives kill -9 and power loss.  One struct store is one
 * connection; use one per thread.
 */
#ifndef TB_STORE_STORE_H
#define TB_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/util.h"

struct store;

/* The schema version this build writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 5

/*
 * Open (creating folder 0700 and file 0600 if needed) and migrate the
 * database at path.  NULL on failure with e filled.  Close with store_close().
 */
struct store *store_open(const char *path, struct err *e);
void store_close(struct store *st);

/* The clerk identity a server login returned, cached for offline login. */
struct clerk {
	char id[64];
	char name[128];
	char hall[64];
	char hall_name[256];
	char window[16];
	char role[32];
};

/* Cache a clerk with the password hash (crypto_pwhash_str) for offline login. */
int store_clerk_save(struct store *st, const struct clerk *c, const char *pwhash, struct err *e);

/* Look up a cached clerk: 1 found (pwhash copied into a buffer of at least
 * 128 bytes when not NULL), 0 unknown, -1 error. */
int store_clerk_get(struct store *st, const char *id, struct clerk *c, char *pwhash, struct err *e);

/* The server session of the last login: token and expiry (unix seconds). */
int store_session_set(struct store *st, const char *clerk_id, const char *token, long long expires,
                      struct err *e);
/* 1 with the token copied (buffer >= 128 bytes), 0 none, -1 error. */
int store_session_get(struct store *st, char *clerk_id, char *token, long long *expires,
                      struct err *e);
int store_session_clear(struct store *st, struct err *e);

/* What the clerk typed for a new case. */
struct case_new {
	const struct clerk *clerk;
	const char *item_code;
	const char *item_name;
	const char *fields_json; /* the applicant form as a JSON object {"name":..., ...} */
	const char *name;        /* applicant name, copied into the case row for search */
	const char *id_number;
	const char *phone;
};

/* A case as listed on screens. */
struct case_row {
	char id[40];
	char case_no[64];
	char item_code[64];
	char item_name[256];
	char name[256];
	char id_number[40];
	char phone[40];
	char state[32];
	char created_at[32];
	char official_no[96]; /* the server's number, "" until a pull brings it */
};

/*
 * Create a case with its "created" event queued in the outbox, in one
 * transaction.  The case number is HALL-WW-YYYYMMDD-NNNN from a local
 * per-day sequence.  Fills out.  Returns 0 or -1 with e filled.
 */
int store_case_create(struct store *st, const struct case_new *c, struct case_row *out,
                      struct err *e);

/* One event of an existing case, with the state it leads to. */
struct case_change {
	const char *case_id;
	const struct clerk *clerk;
	const char *type;         /* event wire name: "accepted", "notice_issued"... */
	const char *payload_json; /* a JSON object, or NULL for {} */
	const char *new_state;    /* the case's state after the event */
	const char *notice_kind;  /* "acceptance", "supplement"... or NULL */
	const char *notice_text;  /* the printed notice kept with the case, or NULL */
};

/*
 * Append events to cases in ONE transaction: each event with the case's next
 * seq, queued in the outbox; the case's state; the notice text.  Either all
 * are written or none.  Returns 0 or -1 with e filled.
 */
int store_case_append(struct store *st, const struct case_change *changes, size_t n, struct err *e);

/* The payload of the case's newest event of this type: 1 and *payload (caller
 * frees), 0 when none, -1 on error. */
int store_case_last_payload(struct store *st, const char *case_id, const char *type, char **payload,
                            struct err *e);

/* The applicant form of a case as JSON: 1 and *fields_json (caller frees), 0, -1. */
int store_case_fields(struct store *st, const char *case_id, char **fields_json, struct err *e);

/* The newest notice of a case (by id or number), of kind or any kind when
 * kind is NULL: 1 with *text (caller frees) and its kind, 0 none, -1 error. */
int store_notice_latest(struct store *st, const char *id_or_no, const char *kind, char **text,
                        char *kind_out, size_t kind_n, struct err *e);

/* The clerk's unfinished intake (a JSON text), kept across crashes. */
int store_draft_save(struct store *st, const char *clerk_id, const char *body, struct err *e);
/* 1 with *body (caller frees), 0 when there is none, -1 on error. */
int store_draft_load(struct store *st, const char *clerk_id, char **body, struct err *e);
int store_draft_clear(struct store *st, const char *clerk_id, struct err *e);

/* 1 and fills out when found by id or case number, 0 when not, -1 on error. */
int store_case_get(struct store *st, const char *id_or_no, struct case_row *out, struct err *e);

/* The newest cases, most recent first.  Returns how many were filled, or -1. */
int store_case_recent(struct store *st, struct case_row *out, int max, struct err *e);

/* Outbox counters for the status line. */
struct outbox_counts {
	int waiting; /* waiting or sending */
	int problems;
	int sent;
};
int store_outbox_counts(struct store *st, struct outbox_counts *c, struct err *e);

/* One event taken from the outbox to send. */
struct outbox_item {
	char uuid[40];
	char case_id[40];
	char *body; /* the event's JSON; owned by the batch */
};

struct outbox_batch {
	struct outbox_item *items;
	size_t n;
};

/*
 * Take up to max waiting events, oldest first, keeping each case's events in
 * order and skipping cases that have an event in "problem" (quarantine).
 * They are marked "sending".  Returns the number taken, or -1.
 * Free the batch with store_outbox_batch_free().
 */
int store_outbox_take(struct store *st, size_t max, struct outbox_batch *b, struct err *e);
void store_outbox_batch_free(struct outbox_batch *b);

/* Record the server's answer for one event: "applied" and "duplicate" mark it
 * sent; "conflict" and "rejected" mark it problem with the reason. */
int store_outbox_result(struct store *st, const char *uuid, const char *status, const char *reason,
                        struct err *e);

/* Put every "sending" event back to "waiting" (after a failed push or a crash). */
int store_outbox_requeue(struct store *st, struct err *e);

/* One quarantined event, for the "sync problems" screen. */
struct outbox_problem {
	char case_id[40];
	char case_no[64];
	char event_uuid[40];
	int seq;
	char type[32];    /* the event's wire name: "created", "accepted"... */
	char reason[256]; /* the server's reason ("same uuid, different content"...) */
	char time[32];    /* when the server's answer came (hall time, ISO 8601) */
	int held_back;    /* later events of the case waiting behind it */
};

/*
 * The quarantined events, oldest first, at most max.  Returns how many were
 * filled, or -1 with e filled.
 */
int store_outbox_problems(struct store *st, struct outbox_problem *out, int max, struct err *e);

/*
 * After the clerk's action, put the case's quarantined events back to
 * waiting (their reasons cleared) so the next push sends them again, in
 * order, with the events held back behind them.  Returns how many events
 * were released (0 when the case had none), or -1 with e filled.
 */
int store_outbox_retry_case(struct store *st, const char *case_id, struct err *e);

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
	const char *case_id;     /* decision, case_no */
	const char *case_no;     /* decision, case_no: the window's number */
	const char *event_json;  /* decision: the "decided" event as the server stores it */
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

/*
 * Catalogue and calendar texts kept in the database, by kind: the central
 * copies sync downloads ("catalogue", "calendar") and the last good bundled
 * files ("catalogue.bundled", "calendar.bundled").  The texts are stored as
 * given: validating them is the caller's job (sync/updates.c, sync/data.c).
 */

/* Store (or replace) the text of kind with its version.  Returns 0 or -1. */
int store_data_put(struct store *st, const char *kind, const char *version, const char *body,
                   struct err *e);

/*
 * A central copy was fetched: store it as kind (when body is not NULL; NULL
 * means the server said it is unchanged) and clear "<kind>_update_waiting",
 * in ONE transaction.  Returns 0, or -1 with e filled (then nothing changed).
 */
int store_data_fetched(struct store *st, const char *kind, const char *version, const char *body,
                       struct err *e);

/* The stored text of kind: 1 with its version copied into version[0..n) and
 * *body (caller frees) -- either may be NULL --, 0 when none, -1 on error. */
int store_data_get(struct store *st, const char *kind, char *version, size_t n, char **body,
                   struct err *e);

/* Decisions pulled for cases this machine does not hold.  Returns the count or -1. */
int store_orphan_decisions(struct store *st, struct err *e);

/*
 * The client's clock: time(NULL), plus TONGBAN_FAKE_CLOCK_OFFSET seconds
 * when that is set (tests only: a clerk's PC whose clock is wrong).  Every
 * event time the store writes comes from here.
 */
time_t store_clock_now(void);

/* Small key/value state (last sync time, cursor, ...).  get: 1 found, 0 not. */
int store_meta_set(struct store *st, const char *key, const char *value, struct err *e);
int store_meta_get(struct store *st, const char *key, char *value, size_t n, struct err *e);

#endif
