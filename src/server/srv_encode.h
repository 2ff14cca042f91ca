/*
 * srv_encode.h - the JSON tongband shows of what its store reads: accounts,
 * cases with their events, the changes feed (man/tongband-api.7), with the
 * keys in the order clients have always seen them.
 *
 * The srv_encode_add_* functions are callbacks for the store's walks
 * (srv_store.h): each appends the JSON of its row to the JSON array arg and
 * returns 0.
 */
#ifndef TB_SERVER_SRV_ENCODE_H
#define TB_SERVER_SRV_ENCODE_H

#include <json-c/json.h>

#include "server/srv_store.h"

/* {"id","name","hall","hall_name","window","role","dept"}.  Caller puts. */
struct json_object *srv_encode_user(const struct srv_user *u);

/* {"id","case_no","item_code","item_name","applicant_name","id_number",
 * "phone","state","hall","events","created_at","received_at","dept",
 * "updated_at","official_no"}, "events" a number.  Caller puts. */
struct json_object *srv_encode_case(const struct srv_case *c);

/* A user as srv_encode_user with "locked_until" (a unix time) at the end. */
int srv_encode_add_user(const struct srv_user *u, long long locked_until, void *array);

/* A case as srv_encode_case. */
int srv_encode_add_case(const struct srv_case *c, void *array);

/* An event of a case's log: {"uuid","seq","type","client_time","received_at"}. */
int srv_encode_add_case_event(const struct srv_case_event *ev, void *array);

/* A change: {"cursor","kind"} and then what its kind has: "case_id",
 * "case_no", "event" (the stored event as JSON) and "received_at" for a
 * decision; "case_id", "case_no" and "official_no" for a case number;
 * "version" for a catalogue or calendar. */
int srv_encode_add_change(const struct srv_change *ch, void *array);

/* A follow-up: {"case_id","case_no","official_no","item_code","item_name",
 * "level","comment","rated_by","due","state","note","closed_on","closed_by"}. */
int srv_encode_add_follow_up(const struct srv_follow_up *f, void *array);

/*
 * The callbacks of srv_store_case_get for GET /v1/cases/ID: the first sets
 * *(struct json_object **)out to the case as srv_encode_case with an empty
 * "event_list" at the end, the second appends each event there as
 * srv_encode_add_case_event does.  The caller puts *out.
 */
int srv_encode_case_detail(const struct srv_case *c, void *out);
int srv_encode_case_detail_event(const struct srv_case_event *ev, void *out);

/*
 * The callback of srv_store_case_life: adds to the case object arg (as
 * srv_encode_case_detail makes it) "release", "rating", "follow_up",
 * "revocation" (with its "credit_record") and "withdrawal", each an object
 * or null (tongband-api(7), GET /v1/cases/ID).
 */
int srv_encode_add_case_life(const struct srv_case_life *l, void *case_object);

#endif
