/*
 * srv_bundle.h - what tongband keeps of 一件事一次办 and 绿色通道 from a case's
 * "created" event: the bundle the case is a part of (payload.bundle: id,
 * code, name) and the key project's certificate and helper
 * (payload.applicant.green_cert, green_helper), for the back-office list
 * (绿色通道 first), the case record (the bundle's parts) and the statistics.
 */
#ifndef TB_SERVER_SRV_BUNDLE_H
#define TB_SERVER_SRV_BUNDLE_H

#include <json-c/json.h>

#include "server/srv_store.h"

/* Longest bundle id, code or name, certificate or helper kept (bytes). */
#define SRV_BUNDLE_FIELD_MAX 256

/* Why the created payload's bundle or 绿色通道 cannot be kept (a field
 * that is not a string, too long, a bundle without its id), or NULL. */
const char *srv_bundle_check(struct json_object *payload);

/* Mark case id (its created event just applied) from payload.  0 or -1. */
int srv_bundle_mark(struct srv_store *s, const char *id, struct json_object *payload,
                    struct err *e);

/* Add "bundle": {"id", "code", "name", "parts": [cases]} to the case
 * record o when its case is a part of one (of hall).  0 or -1. */
int srv_bundle_add_parts(struct srv_store *s, const char *hall, struct json_object *o,
                         struct err *e);

#endif
