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

#include "core/util.h"

struct store;

/* The schema version this build writes (PRAGMA user_version). */
#define STORE_SCHEMA_VERSION 2

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

/* Small key/value state (last sync time, cursor, ...).  get: 1 found, 0 not. */
int store_meta_set(struct store *st, const char *key, const char *value, struct err *e);
int store_meta_get(struct store *st, const char *key, char *value, size_t n, struct err *e);

#endif
