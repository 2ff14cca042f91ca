/*
 * srv_events.c - applying a pushed batch of case events to the case log.
 */
#include "server/srv_events.h"

#include <stdlib.h>
#include <string.h>

#include "server/srv_json.h"
#include "server/srv_time.h"

/* Event types the server accepts after "created". */
static const char *const later_types[] = {
    "materials_checked", "notice_issued", "supplemented", "accepted", "committed",
    "refused",           "decided",       "released",     "rated",    "note",
};

/* One event taken apart.  Strings point into the JSON object. */
struct event {
	struct srv_event_row row;
	struct json_object *payload;
	bool is_created;
};

/* The outcome of one event. */
struct outcome {
	const char *status;
	const char *reason;
};

bool srv_events_is_uuid(const char *s)
{
	size_t i;

	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? s[i] != '-'
		         : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return s[36] == '\0';
}

static bool is_known_type(const char *t, bool *is_created)
{
	size_t i;

	*is_created = strcmp(t, "created") == 0;
	if (*is_created)
		return true;
	for (i = 0; i < sizeof later_types / sizeof later_types[0]; i++)
		if (strcmp(t, later_types[i]) == 0)
			return true;
	return false;
}

/* NULL if every string in o (keys included) is short and NUL-free, else
 * the reason. */
static const char *check_strings(struct json_object *o)
{
	size_t i, n;
	const char *r;

	switch (json_object_get_type(o)) {
	case json_type_string:
		n = (size_t)json_object_get_string_len(o);
		if (n > SRV_EVENTS_MAX_STRING)
			return "string longer than 4096 bytes";
		if (strlen(json_object_get_string(o)) != n)
			return "string holds a NUL character";
		return NULL;
	case json_type_array:
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			if ((r = check_strings(json_object_array_get_idx(o, i))) != NULL)
				return r;
		return NULL;
	case json_type_object: {
		json_object_object_foreach(o, key, val)
		{
			if (strlen(key) > SRV_EVENTS_MAX_STRING)
				return "string longer than 4096 bytes";
			if ((r = check_strings(val)) != NULL)
				return r;
		}
		return NULL;
	}
	default:
		return NULL;
	}
}

/* Non-empty string member key of o, or NULL. */
static const char *nonempty(struct json_object *o, const char *key)
{
	const char *s = srv_json_get_string(o, key);

	return s != NULL && *s != '\0' ? s : NULL;
}

/* NULL if the payload of a "created" event has what a case row needs. */
static const char *check_created_payload(struct json_object *p)
{
	struct json_object *a;

	if (nonempty(p, "case_no") == NULL)
		return "missing payload.case_no";
	if (nonempty(p, "item_code") == NULL)
		return "missing payload.item_code";
	if (nonempty(p, "item_name") == NULL)
		return "missing payload.item_name";
	if (!json_object_object_get_ex(p, "applicant", &a) ||
	    !json_object_is_type(a, json_type_object))
		return "missing payload.applicant";
	if (nonempty(a, "name") == NULL)
		return "missing payload.applicant.name";
	json_object_object_foreach(a, key, val)
	{
		(void)key;
		if (!json_object_is_type(val, json_type_string))
			return "payload.applicant fields must be strings";
	}
	return NULL;
}

/* The required string members of an event and the reason when one lacks. */
static const struct {
	const char *key;
	const char *reason;
} required[] = {
    {"uuid", "bad uuid"},
    {"case_id", "bad case_id"},
    {"type", "missing type"},
    {"hall", "missing hall"},
    {"window", "missing window"},
    {"clerk", "missing clerk"},
    {"client_time", "missing client_time"},
};

/* Take event o apart into ev.  NULL if it is well formed, else why not. */
static const char *parse_event(struct json_object *o, struct event *ev)
{
	struct json_object *seq;
	const char *v[sizeof required / sizeof required[0]];
	const char *r;
	size_t i;

	if (!json_object_is_type(o, json_type_object))
		return "event is not an object";
	if ((r = check_strings(o)) != NULL)
		return r;
	if (nonempty(o, "uuid") == NULL || !srv_events_is_uuid(nonempty(o, "uuid")))
		return "bad uuid";
	for (i = 0; i < sizeof required / sizeof required[0]; i++)
		if ((v[i] = nonempty(o, required[i].key)) == NULL)
			return required[i].reason;
	memset(ev, 0, sizeof *ev);
	ev->row.uuid = v[0];
	ev->row.case_id = v[1];
	ev->row.type = v[2];
	ev->row.hall = v[3];
	ev->row.window = v[4];
	ev->row.clerk = v[5];
	ev->row.client_time = v[6];
	if (!srv_events_is_uuid(ev->row.case_id))
		return "bad case_id";
	if (!json_object_object_get_ex(o, "seq", &seq) ||
	    !json_object_is_type(seq, json_type_int) || json_object_get_int64(seq) < 1)
		return "seq must be an integer >= 1";
	ev->row.seq = json_object_get_int64(seq);
	if (!is_known_type(ev->row.type, &ev->is_created))
		return "unknown type";
	if (!srv_time_is_iso8601(ev->row.client_time))
		return "bad client_time";
	if (!json_object_object_get_ex(o, "payload", &ev->payload) ||
	    !json_object_is_type(ev->payload, json_type_object))
		return "payload must be an object";
	if (ev->is_created)
		return check_created_payload(ev->payload);
	return NULL;
}

/* Whether ev fits its case as the log stands.  NULL status if it does. */
static int check_case(struct srv_store *s, const struct event *ev, struct outcome *out,
                      struct err *e)
{
	char hall[65];
	long long last_seq = 0;
	int rc = srv_store_case_head(s, ev->row.case_id, hall, &last_seq, e);

	out->status = NULL;
	if (rc == SRV_ERR)
		return SRV_ERR;
	if (ev->is_created) {
		if (ev->row.seq != 1)
			*out = (struct outcome){"conflict", "created must have seq 1"};
		else if (rc == SRV_OK)
			*out = (struct outcome){"conflict", "case already exists"};
		return SRV_OK;
	}
	if (rc == SRV_NOT_FOUND || strcmp(hall, ev->row.hall) != 0)
		*out = (struct outcome){"rejected", "unknown case"};
	else if (ev->row.seq != last_seq + 1)
		*out = (struct outcome){"conflict", "out of order"};
	return SRV_OK;
}

static const char *applicant(const struct event *ev, const char *key)
{
	struct json_object *a;
	const char *v;

	json_object_object_get_ex(ev->payload, "applicant", &a);
	v = srv_json_get_string(a, key);
	return v ? v : "";
}

/* Make the case row (created) or move the case on (later events). */
static int update_case(struct srv_store *s, const struct event *ev, struct err *e)
{
	struct srv_case_row c;

	if (!ev->is_created) {
		/* a note is a remark on the case, not a step in its life */
		if (strcmp(ev->row.type, "note") == 0)
			return srv_store_case_advance(s, ev->row.case_id, NULL, ev->row.seq,
			                              ev->row.received_at, e);
		return srv_store_case_advance(s, ev->row.case_id, ev->row.type, ev->row.seq,
		                              ev->row.received_at, e);
	}
	c = (struct srv_case_row){
	    .id = ev->row.case_id,
	    .hall = ev->row.hall,
	    .case_no = srv_json_get_string(ev->payload, "case_no"),
	    .item_code = srv_json_get_string(ev->payload, "item_code"),
	    .item_name = srv_json_get_string(ev->payload, "item_name"),
	    .applicant_name = applicant(ev, "name"),
	    .id_number = applicant(ev, "id_number"),
	    .phone = applicant(ev, "phone"),
	    .state = "created",
	    .last_seq = 1,
	    .created_at = ev->row.client_time,
	    .received_at = ev->row.received_at,
	    .payload = ev->row.payload,
	};
	return srv_store_case_insert(s, &c, e);
}

/* Insert the event and apply it to its case, inside a savepoint so that an
 * event that does not fit leaves no trace. */
static int store_event(struct srv_store *s, const struct event *ev, struct outcome *out,
                       struct err *e)
{
	char *stored = NULL;
	int ins, rc;

	if (srv_store_savepoint(s, e) != SRV_OK)
		return SRV_ERR;
	ins = srv_store_event_insert(s, &ev->row, &stored, e);
	if (ins == SRV_ERR)
		return SRV_ERR;
	if (ins == SRV_EVENT_EXISTS) {
		bool same = strcmp(stored, ev->row.canonical) == 0;

		free(stored);
		*out = same ? (struct outcome){"duplicate", ""}
		            : (struct outcome){"conflict", "same uuid, different content"};
		return srv_store_release(s, e);
	}
	rc = check_case(s, ev, out, e);
	if (rc == SRV_OK && out->status == NULL && ins == SRV_EVENT_SEQ_TAKEN)
		*out = (struct outcome){"conflict", "out of order"};
	if (rc == SRV_OK && out->status == NULL) {
		rc = update_case(s, ev, e);
		*out = (struct outcome){"applied", ""};
	} else if (rc == SRV_OK) {
		rc = srv_store_rollback_to(s, e);
	}
	if (rc != SRV_OK)
		return SRV_ERR;
	return srv_store_release(s, e);
}

static int apply_one(struct srv_store *s, const struct srv_user *u, struct json_object *o,
                     const char *received_at, struct outcome *out, struct err *e)
{
	struct event ev;
	const char *why = parse_event(o, &ev);
	char *payload, *canonical;
	int rc;

	if (why != NULL) {
		*out = (struct outcome){"rejected", why};
		return SRV_OK;
	}
	if (strcmp(ev.row.hall, u->hall) != 0) {
		*out = (struct outcome){"rejected", "wrong hall"};
		return SRV_OK;
	}
	payload = srv_json_text(ev.payload);
	canonical = srv_json_canonical(o);
	ev.row.payload = payload;
	ev.row.canonical = canonical;
	ev.row.user_id = u->id;
	ev.row.received_at = received_at;
	rc = store_event(s, &ev, out, e);
	free(payload);
	free(canonical);
	return rc;
}

static struct json_object *result_json(struct json_object *o, const struct outcome *out)
{
	struct json_object *r = json_object_new_object();
	const char *uuid =
	    json_object_is_type(o, json_type_object) ? srv_json_get_string(o, "uuid") : NULL;
	char shown[64];

	/* echo a bad uuid back bounded, so a huge one does not bloat the reply */
	str_copy(shown, sizeof shown, uuid ? uuid : "");
	json_object_object_add(r, "uuid", json_object_new_string(shown));
	json_object_object_add(r, "status", json_object_new_string(out->status));
	json_object_object_add(r, "reason", json_object_new_string(out->reason));
	return r;
}

int srv_events_apply(struct srv_store *s, const struct srv_user *u, struct json_object *events,
                     time_t now, struct json_object **results, struct err *e)
{
	char received_at[SRV_TIME_ISO_SIZE];
	size_t i, n = json_object_array_length(events);
	int rc;

	*results = NULL;
	srv_time_iso8601(now, received_at);
	rc = srv_store_begin(s, e);
	if (rc != SRV_OK)
		return rc;
	*results = json_object_new_array();
	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(events, i);
		struct outcome out;

		if (apply_one(s, u, o, received_at, &out, e) != SRV_OK)
			break;
		json_object_array_add(*results, result_json(o, &out));
	}
	rc = i == n ? srv_store_commit(s, e) : SRV_ERR;
	if (rc != SRV_OK) {
		srv_store_rollback(s);
		json_object_put(*results);
		*results = NULL;
	}
	return rc;
}
