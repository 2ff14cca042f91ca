/*
 * srv_events.h - applying a pushed batch of case events to the case log.
 *
 * Each event is applied at most once, keyed by its uuid: the unique key of
 * the events table decides, never a read-then-write check, so two copies of
 * one batch racing each other still apply every event once.  Every event
 * gets one result: applied, duplicate (same uuid, same content), conflict
 * (same uuid with other content, or an event that does not fit its case)
 * or rejected (malformed; a hall, clerk or window other than the session's
 * user's; a role that may not push it; an unknown case; a created event
 * whose item is not in the catalogue the server holds).
 *
 * The session is the truth: who pushed an event, at which window of which
 * hall, is the session's user, never what the body says; and a case's item
 * (code, name) and deciding department are its catalogue item's.
 */
#ifndef TB_SERVER_SRV_EVENTS_H
#define TB_SERVER_SRV_EVENTS_H

#include <stdbool.h>
#include <time.h>

#include <json-c/json.h>

#include "core/util.h"
#include "server/srv_store.h"

/* Most events one batch may carry. */
#define SRV_EVENTS_MAX_BATCH 500
/* Longest string (in bytes) anywhere in an event. */
#define SRV_EVENTS_MAX_STRING 4096

/* True if s is a lowercase 8-4-4-4-12 hex UUID. */
bool srv_events_is_uuid(const char *s);

/* Whether s[0..n) holds a control character other than tab, line feed and
 * carriage return: C0, DEL or C1 (U+0080-U+009F), escaped in the JSON or
 * not.  Such a character in a name could move the cursor or clear the
 * screen of every terminal that shows it. */
bool srv_events_has_control(const char *s, size_t n);

/* Apply the JSON array events, sent by clerk u (the user of the session:
 * each event's hall, window and clerk must be u's), in one transaction
 * (BEGIN IMMEDIATE) that is committed before this returns; a batch with a
 * created event reads the stored catalogue first.  now is the receipt
 * time.  On 0, *results is a new JSON array with one
 * {"uuid","status","reason"} per event, in order.  -1 on a database error
 * (e->kind ERR_BUSY when the database stayed locked); then nothing was
 * changed and *results is NULL. */
int srv_events_apply(struct srv_store *s, const struct srv_user *u, struct json_object *events,
                     time_t now, struct json_object **results, struct err *e);

/* Refusals of srv_events_decide: besides 0 (decided) and -1 (a database
 * error), the reasons nothing was decided. */
#define SRV_NO_CASE   1 /* no such case, or one of another hall */
#define SRV_FORBIDDEN 2 /* the user may not decide this case (another department) */
#define SRV_CONFLICT  3 /* the case's state does not allow a decision now */
#define SRV_INVALID   4 /* the outcome or reason is not valid */

/* A fresh random (version 4) uuid in lowercase.  srv_auth_init first. */
void srv_events_new_uuid(char out[37]);

/*
 * Record a back-office decision on case_id: outcome "approve" or "refuse",
 * reason (may be NULL or "", at most SRV_EVENTS_MAX_STRING bytes).  The
 * decision is a "decided" event made here (new uuid, seq = the case's last
 * + 1, client_time = now), appended to the case's log, moving its state
 * (core/casestate.h), and a "decision" row in the change log of the case's
 * hall, all in one committed transaction.
 *
 * by is the back-office user (its role is the route's to check, see
 * srv_api.c; it must be of the case's hall, else the case reads as none,
 * and, when the case has a deciding department, of that department), or
 * NULL for the operator on the command line, who may decide any case.  On 0,
 * *event_out is the new event as JSON (caller puts) and *cursor its change
 * cursor.  Otherwise one of SRV_NO_CASE, SRV_FORBIDDEN, SRV_CONFLICT,
 * SRV_INVALID (e says why, for the user), or -1 on a database error (e->kind
 * ERR_BUSY when the database stayed locked); then nothing was changed.
 */
int srv_events_decide(struct srv_store *s, const struct srv_user *by, const char *case_id,
                      const char *outcome, const char *reason, time_t now,
                      struct json_object **event_out, long long *cursor, struct err *e);

#endif
