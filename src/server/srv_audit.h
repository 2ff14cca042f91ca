/*
 * srv_audit.h - tongband's audit chains (个人信息保护法: who changed what,
 * who looked at which whole record), on the hash chain of core/auditchain.h:
 * each row's hash covers the row before it, so an edited, deleted or moved
 * row breaks the chain from there on (`tongband audit verify`).
 *
 * Two kinds of chain live in the server's database:
 *   - tongband's own (table audit): one row for every change the server
 *     makes (an event applied, a decision, an account saved, a login, a
 *     logout, an import, a PC's audit rows received) and for every view of
 *     a whole record (GET /v1/cases/ID, each search answered, an export).
 *     A change's row is written in the change's own transaction; a view's
 *     before the record is shown, which it is not when the row cannot be
 *     written.  No person's data goes in a row: a search is recorded by
 *     the kind of its query and its number of hits, never its text.
 *   - each clerk PC's (table device_audit), as POST /v1/audit brings it:
 *     every row must continue what the server holds of that PC's chain.
 */
#ifndef TB_SERVER_SRV_AUDIT_H
#define TB_SERVER_SRV_AUDIT_H

#include <stdbool.h>
#include <time.h>

#include <json-c/json.h>

#include "core/auditchain.h"
#include "core/util.h"
#include "server/srv_store.h"

/* What a row of tongband's own chain records (its what). */
#define SRV_AUDIT_EVENT    "event"    /* a pushed event applied: "TYPE seq N UUID" */
#define SRV_AUDIT_DECISION "decision" /* a back-office decision: "decided OUTCOME seq N UUID" */
#define SRV_AUDIT_ACCOUNT  "account"  /* an account created or changed */
#define SRV_AUDIT_LOGIN    "login"    /* a session started: "terminal T01" or "" */
#define SRV_AUDIT_LOGOUT   "logout"   /* a session ended by its clerk */
#define SRV_AUDIT_VIEW     "view"     /* GET /v1/cases/ID answered */
#define SRV_AUDIT_SEARCH   "search"   /* GET /v1/cases answered: "kind K, N hits" */
#define SRV_AUDIT_EXPORT   "export"   /* tongband export */
#define SRV_AUDIT_IMPORT   "import"   /* a catalogue, calendar or certificates imported */
#define SRV_AUDIT_RECEIVED "received" /* a PC's audit rows stored: "device UUID rows A to B" */
/* an e-certificate looked up (srv_ecert.h): "lookup TYPE: RESULT" */
#define SRV_AUDIT_CERTIFICATE "certificate"

/* Who did it when it was done on tongband's command line. */
#define SRV_AUDIT_OPERATOR "operator"

/*
 * Append a row to tongband's chain: user (who), hall ("" for every hall),
 * case_id ("" or NULL for none), what (SRV_AUDIT_*) and detail (may be
 * NULL), each cut to its field of struct audit_row.  Inside the caller's
 * write transaction (a change's), else in one of its own; either way the
 * last row is read and the new one written under the write lock, so rows
 * from several threads never share an id.  (On PostgreSQL the row is
 * written in the caller's transaction and put on the chain once it has
 * committed: srv_audit_chain.)  0 or -1.
 */
int srv_audit_add(struct srv_store *s, const char *user, const char *hall, const char *case_id,
                  const char *what, const char *detail, struct err *e);

/* PostgreSQL: put the rows that wait for their place on tongband's chain
 * (see srv_audit.c) on it, now; the store does after every commit that
 * wrote one.  SQLite: nothing waits, 0.  0 or -1. */
int srv_audit_chain(struct srv_store *s, struct err *e);

/* The kind of a case search's query, for its row: "none" (no word: the
 * newest cases), "number" (every word holds a digit: numbers, ID numbers,
 * phones, as srv_store_case_search matches them), "name" (no word does) or
 * "mixed".  Never the text. */
const char *srv_audit_query_kind(const char *query);

/* Most rows one POST /v1/audit may carry. */
#define SRV_AUDIT_MAX_BATCH 200

/* Results of srv_audit_receive besides 0 (stored) and -1. */
#define SRV_AUDIT_MALFORMED    1 /* the body is not {"device","rows":[...]} as it must be */
#define SRV_AUDIT_TOO_MANY     2 /* more than SRV_AUDIT_MAX_BATCH rows */
#define SRV_AUDIT_NOT_TERMINAL 3 /* the device is not a terminal of the user's hall */
#define SRV_AUDIT_REFUSED      4 /* a row does not continue the device's chain */

/* What srv_audit_receive did. */
struct srv_audit_push {
	int stored;     /* rows stored now */
	int duplicates; /* rows the server held already, the same */
	char why[512];  /* unless 0: which row and why, in English (the client shows it) */
};

/*
 * Store the rows of body {"device":"UUID","rows":[{id, at, clerk, case_id,
 * what, detail, prev, hash}, ...]}, sent by user u, in one transaction:
 * all of them, or none.  The device must be a terminal of u's hall
 * (srv_store_terminal); each row must continue the device's chain as
 * stored (audit_row_check), or be one the server holds already, the same
 * (a batch sent again after a lost answer); and its clerk must be "" (no
 * one logged in on the PC) or a user of a hall the device is a terminal
 * of.  A row for what was stored joins tongband's own chain.  Returns 0,
 * SRV_AUDIT_* with out->why, or -1 (e filled; nothing stored).
 */
int srv_audit_receive(struct srv_store *s, const struct srv_user *u, struct json_object *body,
                      time_t now, struct srv_audit_push *out, struct err *e);

/* What a check of one chain found. */
struct srv_audit_check {
	char device[40];  /* "" for tongband's own chain, else the PC's device UUID */
	long long rows;   /* rows read */
	long long bad_id; /* the first row that does not hold, 0 when all do */
	char why[256];    /* what is wrong there, in the user's language */
};

typedef void (*srv_audit_check_fn)(const struct srv_audit_check *c, void *arg);

/* Check tongband's own chain, then each device's chain (by device UUID),
 * calling fn with each whole chain's result.  1 every chain holds, 0 one
 * is broken, -1 error. */
int srv_audit_verify(struct srv_store *s, srv_audit_check_fn fn, void *arg, struct err *e);

/* A row as listed: device "" for tongband's own chain.  Borrowed. */
typedef int (*srv_audit_row_fn)(const char *device, const struct audit_row *r, void *arg);

/* fn for each row in order: of device's chain, or (device NULL) of
 * tongband's own and then, when case_id is given, of every device's; only
 * the rows about case_id unless it is NULL or "".  fn returns nonzero to
 * stop.  How many rows, or -1. */
int srv_audit_list(struct srv_store *s, const char *case_id, const char *device,
                   srv_audit_row_fn fn, void *arg, struct err *e);

#endif
