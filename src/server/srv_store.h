/*
 * srv_store.h - tongband's database: clerks, sessions, the authoritative
 * case log.
 *
 * All of the server's SQL lives in srv_store.c (and the audit chains' in
 * srv_audit.c), as prepared statements with bound parameters, on the
 * server's database layer (srv_db.h), whose drivers reach an SQLite file or
 * a PostgreSQL database alike.  One struct srv_store is one connection and
 * must be used by one thread at a time; the pool hands connections to the
 * HTTP threads.  A committed batch survives a crash or a power cut (SQLite:
 * WAL with synchronous=FULL).
 *
 * Return convention, db/db.h's: 0 success, -1 failure with e filled; a
 * lookup returns 1 found, 0 not found, -1 failure.  A database another
 * writer kept locked for longer than SRV_STORE_BUSY_MS is a failure with
 * e->kind == ERR_BUSY: nothing was changed, try again soon.
 *
 * Rows are read back as C structs handed to a callback one at a time; their
 * strings are borrowed, valid until the callback returns.  A callback
 * returns 0 to go on, anything else to stop early (still a success).  The
 * store builds no JSON: srv_encode.h does, for the API and the export.
 */
#ifndef TB_SERVER_SRV_STORE_H
#define TB_SERVER_SRV_STORE_H

#include <stdbool.h>

#include "core/util.h"
#include "server/srv_auth.h"

/* How long a write waits for another writer's lock, in milliseconds. */
#define SRV_STORE_BUSY_MS 10000

/* The schema version srv_store_open migrates to (PRAGMA user_version). */
#define SRV_STORE_SCHEMA_VERSION 9

/* A clerk account, without its password. */
struct srv_user {
	char id[65];
	char name[257];
	char hall[65]; /* hall code, e.g. H001 */
	char hall_name[257];
	char window[33];
	char role[17]; /* clerk, supervisor, backoffice or operator (srv_role.h) */
	char dept[257];
};

struct srv_store;

/* Open the database at path (creating it with mode 0600 if missing; its
 * folder must exist) and migrate it to SRV_STORE_SCHEMA_VERSION, each step
 * in one transaction.  Writes wait at most SRV_STORE_BUSY_MS for another
 * writer's lock.  Fails on a database made by a newer tongband.  Returns 0
 * with *out set, or -1 with e filled.  Close with srv_store_close. */
int srv_store_open(struct srv_store **out, const char *path, struct err *e);
void srv_store_close(struct srv_store *s);

/* PRAGMA user_version of the open database, or -1. */
int srv_store_version(struct srv_store *s);

/* A fixed set of n connections shared by threads, each waiting at most
 * busy_ms for another writer's lock (SRV_STORE_BUSY_MS as tongband serves).
 * NULL with e filled on failure.  get blocks until a connection is free. */
struct srv_store_pool;
struct srv_store_pool *srv_store_pool_open(const char *path, int n, int busy_ms, struct err *e);
struct srv_store *srv_store_pool_get(struct srv_store_pool *p);
void srv_store_pool_put(struct srv_store_pool *p, struct srv_store *s);
void srv_store_pool_close(struct srv_store_pool *p);
/* Whether other tongband processes may serve the pool's database at the
 * same time (PostgreSQL), so that what one process keeps in memory would
 * not be seen by the others. */
bool srv_store_pool_is_shared(const struct srv_store_pool *p);

/*
 * Run fn(s, arg, e) in one transaction: committed when fn returns 0, rolled
 * back when it returns -1 (a failure, e filled) or a positive value (an
 * answer that changes nothing, returned as it is).  When the database undid
 * it for a conflict with another transaction (PostgreSQL: a deadlock or a
 * serialization failure), fn runs again from the start (srv_db.h,
 * srv_db_tx), so it must undo, at its start, whatever it keeps outside the
 * database.
 */
typedef int (*srv_store_tx_fn)(struct srv_store *s, void *arg, struct err *e);
int srv_store_tx(struct srv_store *s, srv_store_tx_fn fn, void *arg, struct err *e);

/* BEGIN IMMEDIATE: takes the write lock now, or fails with ERR_BUSY after
 * the connection's busy wait.  0 or -1. */
int srv_store_begin(struct srv_store *s, struct err *e);
int srv_store_commit(struct srv_store *s, struct err *e);
/* Roll back the open transaction, if any. */
void srv_store_rollback(struct srv_store *s);
/* A savepoint inside the transaction, so one event can be undone alone:
 * release keeps its changes, rollback_to undoes them; both end it. */
int srv_store_savepoint(struct srv_store *s, struct err *e);
int srv_store_release(struct srv_store *s, struct err *e);
int srv_store_rollback_to(struct srv_store *s, struct err *e);

/* Insert or update clerk u with password hash pwhash (which also clears a
 * lockout), by the operator by (NULL: on the command line), with its row
 * on the audit chain (srv_audit.h).  A hash other than the stored one (a
 * new password, or the same one set again: hashes are salted) ends every
 * session of the account first.  0 or -1. */
int srv_store_user_put(struct srv_store *s, const struct srv_user *u, const char *pwhash,
                       const struct srv_user *by, struct err *e);
/* Read clerk id into *u, its hash into pwhash and the unix time its lockout
 * ends into *locked_until (0 if none).  1 found, 0 no such clerk, -1. */
int srv_store_user_get(struct srv_store *s, const char *id, struct srv_user *u,
                       char pwhash[SRV_PWHASH_SIZE], long long *locked_until, struct err *e);
/* Count a failed login; the limit-th failure in a row locks the account
 * until now + lock_seconds and restarts the count.  0 or -1. */
int srv_store_user_login_failed(struct srv_store *s, const char *id, long long now, int limit,
                                int lock_seconds, struct err *e);
/* A successful login: the failure count restarts.  0 or -1. */
int srv_store_user_login_ok(struct srv_store *s, const char *id, struct err *e);

/* The waits between login attempts of a clerk id from an address
 * (srv_logindelay.h), where tongband processes share them: PostgreSQL's
 * table login_delays.  addr is the address's key (32 hex digits). */
struct srv_login_delay {
	int attempts;      /* in a row */
	long long next_ms; /* the next attempt is admitted from then on (wall clock) */
	long long last_ms; /* the last attempt admitted */
};

/* The pair of clerk and addr into *st.  1 found, 0 none, -1. */
int srv_store_login_delay_get(struct srv_store *s, const char *clerk, const char *addr,
                              struct srv_login_delay *st, struct err *e);
/* Make the pair's row st, provided it still is was (NULL: there is none
 * yet), in one statement; a new pair also removes the pairs last tried
 * before forget_before_ms that no longer wait.  1 done, 0 another attempt
 * changed it first (read it again), -1. */
int srv_store_login_delay_set(struct srv_store *s, const char *clerk, const char *addr,
                              const struct srv_login_delay *was, const struct srv_login_delay *st,
                              long long forget_before_ms, struct err *e);
/* Forget clerk's pair from addr, or every pair of clerk when addr is NULL.
 * 0 or -1. */
int srv_store_login_delay_forget(struct srv_store *s, const char *clerk, const char *addr,
                                 struct err *e);

/* Called with an account and the unix time its lockout ends (0 if none). */
typedef int (*srv_user_fn)(const struct srv_user *u, long long locked_until, void *arg);

/* fn for every account, ordered by hall then id (never a hash).  0 or -1. */
int srv_store_user_list(struct srv_store *s, srv_user_fn fn, void *arg, struct err *e);

/* Keep a session: token_hash (see srv_auth_token_hash) for user_id until
 * expires, provided the account's password hash is still pwhash, the one the
 * login was checked against (a password changed while the login was
 * checked must not leave a session of the old one); sessions expired at
 * now are purged.  0; 1 when the password changed (no session kept); -1. */
/* The account's hash made again at another cost (the same password), when it
 * is still was: its sessions stay.  0 or -1. */
int srv_store_user_rehash(struct srv_store *s, const char *user_id, const char *was,
                          const char *pwhash, struct err *e);

int srv_store_token_put(struct srv_store *s, const char *token_hash, const char *user_id,
                        const char *pwhash, long long expires, long long now, struct err *e);
/* The clerk of a live session into *u.  1 found, 0 unknown or expired, -1. */
int srv_store_token_user(struct srv_store *s, const char *token_hash, long long now,
                         struct srv_user *u, struct err *e);
/* End a session.  0 or -1. */
int srv_store_token_delete(struct srv_store *s, const char *token_hash, struct err *e);

/* One event as stored.  All strings are borrowed. */
struct srv_event_row {
	const char *uuid;
	const char *case_id;
	long long seq;
	const char *type;
	const char *hall;
	const char *window;
	const char *clerk;
	const char *client_time;
	const char *payload;   /* compact JSON */
	const char *canonical; /* srv_json_canonical of the whole event */
	const char *user_id;   /* the clerk whose session sent it */
	const char *received_at;
};

/* Results of srv_store_event_insert besides -1. */
#define SRV_EVENT_INSERTED  0
#define SRV_EVENT_EXISTS    1 /* *canonical_out holds the stored canonical text */
#define SRV_EVENT_SEQ_TAKEN 2 /* another event has this case_id and seq */

/* Insert ev unless its uuid is already stored (the unique key decides, so
 * concurrent inserts of one uuid store it once).  On SRV_EVENT_EXISTS,
 * *canonical_out is set; caller frees.  Returns one of SRV_EVENT_* or -1. */
int srv_store_event_insert(struct srv_store *s, const struct srv_event_row *ev,
                           char **canonical_out, struct err *e);

/* A new case row.  Strings borrowed. */
struct srv_case_row {
	const char *id;
	const char *hall;
	const char *case_no;
	const char *item_code;
	const char *item_name;
	const char *applicant_name;
	const char *id_number;
	const char *phone;
	const char *state; /* wire name of core/casestate.h */
	const char *dept;  /* the deciding department, "" or NULL for any */
	long long last_seq;
	const char *created_at;
	const char *applied_on; /* the hall's date of created_at, YYYY-MM-DD */
	const char *received_at;
	const char *payload;
};

/* What the event rules need to know of a case. */
struct srv_case_head {
	char hall[65];
	char state[33]; /* wire name of core/casestate.h */
	char dept[257]; /* the department that decides it, "" = any of the hall */
	char case_no[65];
	long long last_seq;
};

/* The head of case id into *h, the case locked against other writers
 * until the transaction ends (call it inside one).  1 found, 0 no such
 * case, -1. */
int srv_store_case_head(struct srv_store *s, const char *id, struct srv_case_head *h,
                        struct err *e);
/* Insert case c.  0 or -1. */
int srv_store_case_insert(struct srv_store *s, const struct srv_case_row *c, struct err *e);
/* Set the state (unless NULL) and last seq of case id.  0 or -1. */
int srv_store_case_advance(struct srv_store *s, const char *id, const char *state, long long seq,
                           const char *updated_at, struct err *e);

/* Size of a terminal code: "T" and the number, "T07". */
#define SRV_TERMINAL_SIZE 16

/* The terminal code of client device (its UUID) in hall: the one it got at
 * its first login there, or the hall's next number, given once and never
 * again (first login by user_id at now).  0 with code filled, or -1. */
int srv_store_terminal(struct srv_store *s, const char *device, const char *hall,
                       const char *user_id, const char *now, char code[SRV_TERMINAL_SIZE],
                       struct err *e);

/* Size of an official case number: "<hall>-<YYYY>-<NNNNNN>". */
#define SRV_OFFICIAL_NO_SIZE 96

/* Give case id of hall, just inserted, its official number into official:
 * hall, the year of received_at (the hall's date, +08:00) and the next of
 * that hall's sequence for the year, 6 digits; and append its "case_no"
 * change for the hall.  Call inside the transaction that applies the
 * "created" event.  0 or -1. */
int srv_store_case_number(struct srv_store *s, const char *id, const char *hall,
                          const char *received_at, char official[SRV_OFFICIAL_NO_SIZE],
                          struct err *e);

/* A case as the API and the export show it.  Strings borrowed. */
struct srv_case {
	const char *id;
	const char *case_no; /* the number the clerk's terminal gave it */
	const char *item_code;
	const char *item_name;
	const char *applicant_name;
	const char *id_number;
	const char *phone;
	const char *state; /* wire name of core/casestate.h */
	const char *hall;
	long long events; /* how many events its log holds */
	const char *created_at;
	const char *received_at;
	const char *dept; /* the department that decides it, "" = any of the hall */
	const char *updated_at;
	const char *official_no; /* "" until it has one */
	const char *bundle_id;   /* 一件事: the bundle it is a part of, "" when none */
	const char *bundle_code;
	const char *bundle_name;
	const char *green_cert;   /* 绿色通道: the key project's certificate, "" when none */
	const char *green_helper; /* its designated helper (代办员) */
};

typedef int (*srv_case_fn)(const struct srv_case *c, void *arg);

/* One event of a case's log as GET /v1/cases/ID lists it.  Strings borrowed. */
struct srv_case_event {
	const char *uuid;
	long long seq;
	const char *type;
	const char *client_time;
	const char *received_at;
};

typedef int (*srv_case_event_fn)(const struct srv_case_event *ev, void *arg);

/* A search word shorter than this many characters cannot find cases
 * through an index; a query of only such words is tried on the hall's
 * newest SRV_SEARCH_NEWEST cases. */
#define SRV_SEARCH_SHORT  3
#define SRV_SEARCH_NEWEST 20000

/* fn for each case of hall (NULL: every hall) that every word of query
 * (at most 8) matches: part of the applicant's name, of a case number or
 * the official number, of the item's code or name, the end (4 characters
 * or more) of the ID number or the phone, the application's day, month or
 * range of days (srv_store.c, WORD_MATCHES); a query of words all shorter
 * than SRV_SEARCH_SHORT is tried on the hall's newest SRV_SEARCH_NEWEST
 * cases only.  Newest first, at most limit.  0 or -1. */
int srv_store_case_search(struct srv_store *s, const char *hall, const char *query, int limit,
                          srv_case_fn fn, void *arg, struct err *e);
/* Case id: on_case for it, then (unless on_case stopped) on_event for each
 * of its events in seq order.  1 found, 0 no such case, -1. */
int srv_store_case_get(struct srv_store *s, const char *id, srv_case_fn on_case,
                       srv_case_event_fn on_event, void *arg, struct err *e);

/* fn for each case of bundle bundle_id (一件事) in hall, in the order they
 * were made.  0 or -1. */
int srv_store_bundle_parts(struct srv_store *s, const char *hall, const char *bundle_id,
                           srv_case_fn fn, void *arg, struct err *e);

/* Mark case id, just inserted, as a part of a bundle ("" for none) and a
 * 绿色通道 case ("" for none).  0 or -1. */
int srv_store_case_mark(struct srv_store *s, const char *id, const char *bundle_id,
                        const char *bundle_code, const char *bundle_name, const char *green_cert,
                        const char *green_helper, struct err *e);

/* Append a change to the log (see GET /v1/changes): hall NULL for every
 * hall; case_id, event_uuid and version may be NULL.  *change (may be NULL)
 * gets its key for srv_store_change_cursor.  0 or -1. */
int srv_store_change_add(struct srv_store *s, const char *hall, const char *kind,
                         const char *case_id, const char *event_uuid, const char *version,
                         const char *created_at, long long *change, struct err *e);

/* The cursor of change (a key of srv_store_change_add) once its transaction
 * has committed: larger than the cursor of every change that readers could
 * see before.  0 or -1. */
int srv_store_change_cursor(struct srv_store *s, long long change, long long *cursor,
                            struct err *e);

/* One change of the log as GET /v1/changes shows it.  Strings borrowed;
 * those its kind does not have are "". */
struct srv_change {
	long long cursor;
	const char *kind;        /* decision, case_no, catalogue or calendar */
	const char *case_id;     /* decision, case_no */
	const char *case_no;     /* decision, case_no: the case's number */
	const char *event;       /* decision: the event's canonical JSON, "null" if gone */
	const char *received_at; /* decision: when the event was received */
	const char *official_no; /* case_no */
	const char *version;     /* catalogue, calendar */
};

typedef int (*srv_change_fn)(const struct srv_change *ch, void *arg);

/* fn for each change after cursor since for hall (its own and every
 * hall's), at most limit, oldest first; *more says whether more follow (or
 * fn stopped) and *next is the cursor of the last one fn saw (since if
 * none).  0 or -1. */
int srv_store_changes(struct srv_store *s, const char *hall, long long since, int limit,
                      srv_change_fn fn, void *arg, bool *more, long long *next, struct err *e);

/* Keep the text and version of the catalogue or calendar (kind), replacing
 * the previous one.  0 or -1. */
int srv_store_document_put(struct srv_store *s, const char *kind, const char *version,
                           const char *body, const char *updated_at, struct err *e);
/* The stored document of kind: *version and *body are new strings (caller
 * frees).  1 found, 0 none stored, -1. */
int srv_store_document_get(struct srv_store *s, const char *kind, char **version, char **body,
                           struct err *e);
/* Only the version of the stored document of kind (a new string, caller
 * frees), without reading its body: whether a client's copy is current is
 * told from it.  1 found, 0 none stored, -1. */
int srv_store_document_version(struct srv_store *s, const char *kind, char **version,
                               struct err *e);

/* fn for each case (of hall, or every hall when hall is NULL), by hall and
 * then oldest first.  0 or -1. */
int srv_store_case_each(struct srv_store *s, const char *hall, srv_case_fn fn, void *arg,
                        struct err *e);

/*
 * What the server keeps of a case's life besides its log, written by
 * srv_casework.c as each event is applied, in the event's transaction.
 * Dates (..._on) are the hall's YYYY-MM-DD of the event's client time;
 * times (..._at) the client time itself; clerk is the user of the session
 * that pushed the event.  Strings are borrowed.
 */

/* On case id: the first counter decision (a wire name of core/stats.h,
 * "accepted", "notice", "committed" or "refused"; kept only while the case
 * has none, NULL for none), the promised date due (NULL keeps it), the day
 * done its time limit ended (kept only while it has none, NULL for none),
 * and verified (commitments confirmed) when set.  0 or -1. */
int srv_store_case_progress(struct srv_store *s, const char *id, const char *outcome,
                            const char *due, const char *done, bool verified, struct err *e);

/* A release (出件): how, to whom, when and by whom. */
struct srv_release {
	const char *case_id, *hall;
	const char *method; /* pickup, mail or electronic */
	const char *collector_name, *collector_id_number;
	bool collector_is_agent;
	const char *courier, *tracking_no, *address;
	const char *on, *at, *clerk, *window, *event_uuid;
};

/* Keep the release of its case.  0 or -1. */
int srv_store_release_put(struct srv_store *s, const struct srv_release *r, struct err *e);

/* A rating (好差评, 一次一评) and, for a level of 1 or 2, its follow-up. */
struct srv_rating {
	const char *case_id, *hall;
	int level; /* 5 非常满意 .. 1 非常不满意, 0 declined (未评价) */
	const char *comment, *on, *at, *clerk, *event_uuid;
	const char *follow_up_due; /* NULL: no follow-up (整改) opens; "": one without a date */
};

/* Keep the rating of its case, with the clerk who released it, and open its
 * follow-up when follow_up_due is not NULL.  0; 1 when the case has a rating
 * already (nothing changed); -1. */
int srv_store_rating_put(struct srv_store *s, const struct srv_rating *r, struct err *e);

/* Close the open follow-up of case_id with note, on day on, by clerk, by
 * the event event_uuid.  0; 1 when the case has no open follow-up (nothing
 * changed); -1. */
int srv_store_follow_up_close(struct srv_store *s, const char *case_id, const char *note,
                              const char *on, const char *clerk, const char *event_uuid,
                              struct err *e);

/* A revocation (撤销); with credit_record, the applicant's 失信记录 too. */
struct srv_revocation {
	const char *case_id, *hall, *reason, *on, *at, *clerk, *event_uuid;
	bool credit_record;
};

/* Keep the revocation of its case and, when asked, a credit record of the
 * case's applicant (name and ID number from the case).  0 or -1. */
int srv_store_revocation_put(struct srv_store *s, const struct srv_revocation *r, struct err *e);

/* A withdrawal (视为放弃) of a case whose supply-by date passed. */
struct srv_withdrawal {
	const char *case_id, *hall, *supply_by, *reason, *on, *at, *clerk, *event_uuid;
};

int srv_store_withdrawal_put(struct srv_store *s, const struct srv_withdrawal *w, struct err *e);

/* A case's follow-up (整改) as GET /v1/followups lists it. */
struct srv_follow_up {
	const char *case_id, *case_no, *official_no, *item_code, *item_name;
	int level;
	const char *comment;
	const char *rated_by; /* the clerk who was rated */
	const char *due;
	const char *state; /* open or closed */
	const char *note, *closed_on, *closed_by;
};

typedef int (*srv_follow_up_fn)(const struct srv_follow_up *f, void *arg);

/* fn for each follow-up of hall in state ("open", "closed", or NULL for
 * both), the latest due date first, at most limit.  0 or -1. */
int srv_store_follow_ups(struct srv_store *s, const char *hall, const char *state, int limit,
                         srv_follow_up_fn fn, void *arg, struct err *e);

/* Everything GET /v1/cases/ID shows of a case's life; a part is there when
 * its has_ flag is set.  Strings borrowed. */
struct srv_case_life {
	bool has_release, has_rating, has_follow_up, has_revocation, has_credit_record,
	    has_withdrawal;
	struct srv_release release;
	struct srv_rating rating;
	const char *released_by; /* of the rating */
	struct {
		const char *due, *state, *note, *closed_on, *closed_by;
	} follow_up;
	struct srv_revocation revocation;
	struct {
		const char *applicant_name, *id_number, *reason, *recorded_on;
	} credit_record;
	struct srv_withdrawal withdrawal;
};

typedef int (*srv_case_life_fn)(const struct srv_case_life *life, void *arg);

/* fn with the life of case id.  1, 0 no such case, -1. */
int srv_store_case_life(struct srv_store *s, const char *id, srv_case_life_fn fn, void *arg,
                        struct err *e);

/* A case as the statistics (core/stats.h) read it.  Strings borrowed; a
 * date the case does not have is "". */
struct srv_case_stats {
	const char *item_code, *item_name, *dept;
	const char *applied_on;
	const char *outcome; /* a wire name of core/stats.h */
	const char *due_on, *done_on, *released_on;
	bool verified, revoked, withdrawn;
	int rating;            /* -1 not rated, else 0..5 */
	const char *follow_up; /* "", "open" or "closed" */
	bool green;            /* 绿色通道 */
};

typedef int (*srv_case_stats_fn)(const struct srv_case_stats *c, void *arg);

/* fn for each case of hall whose application date is in [from, to]
 * (YYYY-MM-DD), oldest first.  0 or -1. */
int srv_store_case_stats(struct srv_store *s, const char *hall, const char *from, const char *to,
                         srv_case_stats_fn fn, void *arg, struct err *e);

#endif
