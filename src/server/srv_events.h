/*
 * srv_events.h - applying a pushed batch of case events to the case log.
 *
 * Each event is applied at most once, keyed by its uuid: the unique key of
 * the events table decides, never a read-then-write check, so two copies of
 * one batch racing each other still apply every event once.  Every event
 * gets one result: applied, duplicate (same uuid, same content), conflict
 * (same uuid with other content, or an event that does not fit its case)
 * or rejected (malformed, another hall's, an unknown case).
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

/* Apply the JSON array events, sent by clerk u, in one transaction (BEGIN
 * IMMEDIATE) that is committed before this returns.  now is the receipt
 * time.  On SRV_OK, *results is a new JSON array with one
 * {"uuid","status","reason"} per event, in order.  SRV_BUSY when the
 * database stayed locked, SRV_ERR on a database error; then nothing was
 * changed and *results is NULL. */
int srv_events_apply(struct srv_store *s, const struct srv_user *u, struct json_object *events,
                     time_t now, struct json_object **results, struct err *e);

#endif
