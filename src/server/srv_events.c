/*
 * srv_events.c - applying a pushed batch of case events to the case log.
 */
#include "server/srv_events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/casestate.h"
#include "core/catalogue.h"
#include "core/event.h"
#include "core/utf8.h"
#include "server/srv_audit.h"
#include "server/srv_bundle.h"
#include "server/srv_casework.h"
#include "server/srv_joint.h"
#include "server/srv_json.h"
#include "server/srv_time.h"

/* What a batch is applied with: who pushes it, when it came, and the
 * catalogue whose items its created events must name. */
struct push {
	const struct srv_user *user; /* the session's: the truth of who, where */
	const char *received_at;
	const struct catalogue *catalogue; /* NULL when the server holds none */
	struct created *created;           /* the new cases applied so far */
};

/* The cases a batch created, to be numbered at its end (see apply_all). */
struct created {
	char (*ids)[37];
	size_t n;
};

/* One event taken apart.  Strings point into the JSON object. */
struct event {
	struct srv_event_row row;
	struct json_object *payload;
	enum case_event_type type;
	bool is_created;
	const struct item *item; /* a created event's, in the catalogue; set by check_item */
	const char *state_after; /* set by check_case when the event fits */
};

/* The outcome of one event. */
struct outcome {
	const char *status;
	char reason[512];
};

static void set_outcome(struct outcome *out, const char *status, const char *reason)
{
	out->status = status;
	str_copy(out->reason, sizeof out->reason, reason);
}

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

static bool is_known_type(const char *t, enum case_event_type *type, bool *is_created)
{
	if (case_event_from_name(t, type) != 0)
		return false;
	*is_created = *type == CEV_CREATED;
	return true;
}

bool srv_events_has_control(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F ||
		    (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] < 0xA0))
			return true;
	}
	return false;
}

#define CONTROL_REASON                                                                             \
	"string holds a control character (tab, line feed and carriage return are the only "       \
	"ones allowed)"

/* NULL if every string in o (keys included) is short and free of NUL and
 * control characters, else the reason. */
static const char *check_strings(struct json_object *o)
{
	size_t i, n;
	const char *r, *s;

	switch (json_object_get_type(o)) {
	case json_type_string:
		n = (size_t)json_object_get_string_len(o);
		s = json_object_get_string(o);
		if (n > SRV_EVENTS_MAX_STRING)
			return "string longer than 4096 bytes";
		if (strlen(s) != n)
			return "string holds a NUL character";
		if (srv_events_has_control(s, n))
			return CONTROL_REASON;
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
			if (srv_events_has_control(key, strlen(key)))
				return CONTROL_REASON;
			if ((r = check_strings(val)) != NULL)
				return r;
		}
		return NULL;
	}
	default:
		return NULL;
	}
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
	if (srv_json_get_nonempty(o, "uuid") == NULL ||
	    !srv_events_is_uuid(srv_json_get_nonempty(o, "uuid")))
		return "bad uuid";
	for (i = 0; i < sizeof required / sizeof required[0]; i++)
		if ((v[i] = srv_json_get_nonempty(o, required[i].key)) == NULL)
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
	if (!is_known_type(ev->row.type, &ev->type, &ev->is_created))
		return "unknown type";
	if (!srv_time_is_iso8601(ev->row.client_time))
		return "bad client_time";
	if (!json_object_object_get_ex(o, "payload", &ev->payload) ||
	    !json_object_is_type(ev->payload, json_type_object))
		return "payload must be an object";
	return NULL;
}

/* Whether a later event fits the state of case h (core/casestate.h);
 * sets ev->state_after, or *out to a conflict with the reason. */
static void check_state(struct event *ev, const struct srv_case_head *h, struct outcome *out)
{
	enum case_state from, to;

	if (casestate_from_name(h->state, &from) != 0) {
		set_outcome(out, "conflict", "the case's state is unknown to this server");
		return;
	}
	if (casestate_next(from, ev->type, srv_json_get_string(ev->payload, "outcome"), &to,
	                   out->reason, sizeof out->reason) != 0) {
		out->status = "conflict";
		return;
	}
	ev->state_after = casestate_name(to);
}

static struct srv_casework_event casework_of(const struct event *ev)
{
	return (struct srv_casework_event){&ev->row, ev->payload, ev->type};
}

/* Whether the payload of ev holds what its type needs; else out is set. */
static void check_payload(const struct event *ev, struct outcome *out)
{
	struct srv_casework_event cw = casework_of(ev);

	if (srv_casework_check(&cw, out->reason, sizeof out->reason) != 0)
		out->status = "rejected";
}

/* Whether the event's clerk and window are those of the session's user
 * (its hall was checked before): the session says who pushed an event and
 * where, never the body.  Else out is set. */
static void check_session(const struct event *ev, const struct srv_user *u, struct outcome *out)
{
	if (strcmp(ev->row.clerk, u->id) != 0)
		set_outcome(out, "rejected",
		            "wrong clerk (not the user of the session: each clerk's events are "
		            "pushed with that clerk's own session)");
	else if (strcmp(ev->row.window, u->window) != 0)
		set_outcome(out, "rejected", "wrong window (not the window of the session's user)");
}

/* For a created event: the item its payload names, in the catalogue the
 * server holds, into ev->item; else out is set. */
static void check_item(const struct push *p, struct event *ev, struct outcome *out)
{
	const char *code = srv_json_get_string(ev->payload, "item_code");

	if (p->catalogue == NULL) {
		set_outcome(out, "rejected",
		            "the server holds no catalogue of service items to check "
		            "payload.item_code against (the operator imports one: tongband "
		            "import-catalogue)");
		return;
	}
	ev->item = catalogue_find(p->catalogue, code);
	if (ev->item == NULL) {
		out->status = "rejected";
		snprintf(out->reason, sizeof out->reason,
		         "payload.item_code %.64s is not an item of the server's catalogue "
		         "(version %.64s)",
		         code, p->catalogue->version ? p->catalogue->version : "");
	}
}

/* Whether a created event fits: the first of a new case, a payload with
 * what it needs, an item of the catalogue.  out->status NULL if it does. */
static void check_created(const struct push *p, struct event *ev, bool found, struct outcome *out)
{
	if (ev->row.seq != 1)
		set_outcome(out, "conflict", "created must have seq 1");
	else if (found)
		set_outcome(out, "conflict", "case already exists");
	else
		check_payload(ev, out);
	if (out->status == NULL && srv_bundle_check(ev->payload) != NULL)
		set_outcome(out, "rejected", srv_bundle_check(ev->payload));
	if (out->status == NULL)
		check_item(p, ev, out);
	ev->state_after = casestate_name(CS_RECEIVED);
}

/* Whether ev fits its pusher (the session's user: role, clerk, window) and
 * its case as the log stands: out->status NULL if it does.  0, or -1 on a
 * database error. */
static int check_case(struct srv_store *s, const struct push *p, struct event *ev,
                      struct outcome *out, struct err *e)
{
	struct srv_case_head h;
	int found;

	out->status = NULL;
	if (!srv_casework_may_push(p->user->role, ev->type, out->reason, sizeof out->reason)) {
		out->status = "rejected";
		return 0;
	}
	check_session(ev, p->user, out);
	if (out->status != NULL)
		return 0;
	if ((found = srv_store_case_head(s, ev->row.case_id, &h, e)) < 0)
		return -1;
	if (ev->is_created) {
		check_created(p, ev, found, out);
		return 0;
	}
	if (!found || strcmp(h.hall, ev->row.hall) != 0)
		set_outcome(out, "rejected", "unknown case");
	else if (ev->row.seq != h.last_seq + 1)
		set_outcome(out, "conflict", "out of order");
	else
		check_payload(ev, out);
	if (out->status == NULL)
		check_state(ev, &h, out);
	return 0;
}

static const char *applicant(const struct event *ev, const char *key)
{
	struct json_object *a;
	const char *v;

	json_object_object_get_ex(ev->payload, "applicant", &a);
	v = srv_json_get_string(a, key);
	return v ? v : "";
}

/* Make the case row (created) or move the case on (later events).  0 or -1. */
static int update_case(struct srv_store *s, const struct event *ev, struct err *e)
{
	struct srv_case_row c;
	char applied_on[TB_DATE_LEN];

	if (!ev->is_created)
		return srv_store_case_advance(s, ev->row.case_id, ev->state_after, ev->row.seq,
		                              ev->row.received_at, e);
	/* the item, its name and its deciding department are the catalogue's */
	c = (struct srv_case_row){
	    .id = ev->row.case_id,
	    .hall = ev->row.hall,
	    .case_no = srv_json_get_string(ev->payload, "case_no"),
	    .item_code = ev->item->code,
	    .item_name = ev->item->name,
	    .applicant_name = applicant(ev, "name"),
	    .id_number = applicant(ev, "id_number"),
	    .phone = applicant(ev, "phone"),
	    .state = ev->state_after,
	    .dept = ev->item->dept,
	    .last_seq = 1,
	    .created_at = ev->row.client_time,
	    .applied_on = srv_time_hall_date(ev->row.client_time, applied_on),
	    .received_at = ev->row.received_at,
	    .payload = ev->row.payload,
	};
	if (srv_store_case_insert(s, &c, e) < 0)
		return -1;
	if (srv_bundle_mark(s, ev->row.case_id, ev->payload, e) < 0)
		return -1;
	/* 并联审批 and 跨域通办: who else decides it */
	return srv_joint_route(s, ev->row.case_id, ev->item, e);
}

/* The row of event ev, applied by user of hall, on the audit chain: what
 * (SRV_AUDIT_EVENT or SRV_AUDIT_DECISION), its type (and a decision's
 * outcome), seq and uuid.  0 or -1. */
static int audit_event(struct srv_store *s, const struct event *ev, const char *user,
                       const char *hall, const char *what, struct err *e)
{
	const char *outcome = srv_json_get_string(ev->payload, "outcome");
	char detail[160];

	snprintf(detail, sizeof detail, "%s%s%.16s seq %lld %s", ev->row.type,
	         ev->type == CEV_DECIDED && outcome ? " " : "",
	         ev->type == CEV_DECIDED && outcome ? outcome : "", ev->row.seq, ev->row.uuid);
	return srv_audit_add(s, user, hall, ev->row.case_id, what, detail, e);
}

/* Move the case on and keep what the event changes of its record, with
 * its row on the audit chain; out says whether the record took it.  0, or
 * -1 on a database error. */
static int apply_to_case(struct srv_store *s, const struct push *p, const struct event *ev,
                         struct outcome *out, struct err *e)
{
	struct srv_casework_event cw = casework_of(ev);
	int rc;

	set_outcome(out, "applied", "");
	if (update_case(s, ev, e) < 0)
		return -1;
	rc = srv_casework_keep(s, &cw, out->reason, sizeof out->reason, e);
	if (rc == SRV_CASEWORK_REFUSED)
		out->status = "conflict";
	else if (rc == 0)
		rc = audit_event(s, ev, p->user->id, p->user->hall, SRV_AUDIT_EVENT, e);
	return rc < 0 ? -1 : 0;
}

/* Insert the event and apply it to its case, inside a savepoint so that an
 * event that does not fit leaves no trace.  0, or -1 on a database error. */
static int store_event(struct srv_store *s, const struct push *p, struct event *ev,
                       struct outcome *out, struct err *e)
{
	char *stored = NULL;
	int ins;

	if (srv_store_savepoint(s, e) < 0)
		return -1;
	ins = srv_store_event_insert(s, &ev->row, &stored, e);
	if (ins < 0)
		return -1;
	if (ins == SRV_EVENT_EXISTS) {
		bool same = strcmp(stored, ev->row.canonical) == 0;

		free(stored);
		if (same)
			set_outcome(out, "duplicate", "");
		else
			set_outcome(out, "conflict", "same uuid, different content");
		return srv_store_release(s, e);
	}
	if (check_case(s, p, ev, out, e) < 0)
		return -1;
	if (out->status == NULL && ins == SRV_EVENT_SEQ_TAKEN)
		set_outcome(out, "conflict", "out of order");
	if (out->status == NULL && apply_to_case(s, p, ev, out, e) < 0)
		return -1;
	if (strcmp(out->status, "applied") != 0)
		return srv_store_rollback_to(s, e);
	if (ev->is_created) /* its official number comes at the batch's end */
		str_copy(p->created->ids[p->created->n++], 37, ev->row.case_id);
	return srv_store_release(s, e);
}

static int apply_one(struct srv_store *s, const struct push *p, struct json_object *o,
                     struct outcome *out, struct err *e)
{
	struct event ev;
	const char *why = parse_event(o, &ev);
	char *payload, *canonical;
	int rc;

	if (why != NULL) {
		set_outcome(out, "rejected", why);
		return 0;
	}
	if (strcmp(ev.row.hall, p->user->hall) != 0) {
		set_outcome(out, "rejected", "wrong hall");
		return 0;
	}
	payload = srv_json_text(ev.payload);
	canonical = srv_json_canonical(o);
	ev.row.payload = payload;
	ev.row.canonical = canonical;
	ev.row.user_id = p->user->id;
	ev.row.received_at = p->received_at;
	rc = store_event(s, p, &ev, out, e);
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

/* Whether any event of the batch says it is a created one. */
static bool has_created(struct json_object *events)
{
	size_t i, n = json_object_array_length(events);

	for (i = 0; i < n; i++) {
		const char *type =
		    srv_json_get_string(json_object_array_get_idx(events, i), "type");

		if (type != NULL && strcmp(type, case_event_name(CEV_CREATED)) == 0)
			return true;
	}
	return false;
}

/* The catalogue the server holds into *out (NULL when none), parsed before
 * the write transaction so that no lock is held meanwhile.  0 or -1. */
static int load_catalogue(struct srv_store *s, struct catalogue **out, struct err *e)
{
	char *version = NULL, *body = NULL;
	int rc = srv_store_document_get(s, "catalogue", &version, &body, e);

	*out = NULL;
	if (rc == 1) {
		*out = catalogue_parse(body, strlen(body), "the server's catalogue", e);
		rc = *out != NULL ? 0 : -1;
	}
	free(version);
	free(body);
	return rc < 0 ? -1 : 0;
}

/* Give the batch's new cases their official numbers, and their case_no
 * changes, last: the row of the hall's counter for the year stays locked
 * from the number's update to the commit (on PostgreSQL; SQLite has one
 * writer anyway), and every other push of new cases of the hall waits for
 * it, so it is taken just before the commit rather than at the first new
 * case.  0 or -1. */
static int number_cases(struct srv_store *s, const struct push *p, struct err *e)
{
	char official[SRV_OFFICIAL_NO_SIZE];
	size_t i;

	for (i = 0; i < p->created->n; i++)
		if (srv_store_case_number(s, p->created->ids[i], p->user->hall, p->received_at,
		                          official, e) < 0)
			return -1;
	return 0;
}

/* Apply each event of the batch in the open transaction, its result added
 * to results.  0, or -1 on a database error. */
static int apply_all(struct srv_store *s, const struct push *p, struct json_object *events,
                     struct json_object *results, struct err *e)
{
	size_t i, n = json_object_array_length(events);

	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(events, i);
		struct outcome out;

		if (apply_one(s, p, o, &out, e) < 0)
			return -1;
		json_object_array_add(results, result_json(o, &out));
	}
	return number_cases(s, p, e);
}

/* What one run of the batch's transaction needs and makes. */
struct apply_arg {
	const struct push *p;
	struct json_object *events;
	struct json_object *results; /* made anew by each run */
};

static int apply_tx(struct srv_store *s, void *arg, struct err *e)
{
	struct apply_arg *a = arg;

	json_object_put(a->results); /* of a run the database undid */
	a->results = json_object_new_array();
	a->p->created->n = 0;
	return apply_all(s, a->p, a->events, a->results, e);
}

int srv_events_apply(struct srv_store *s, const struct srv_user *u, struct json_object *events,
                     time_t now, struct json_object **results, struct err *e)
{
	char received_at[SRV_TIME_ISO_SIZE];
	struct catalogue *cat = NULL;
	struct created created = {NULL, 0};
	struct push p = {u, received_at, NULL, &created};
	struct apply_arg a = {&p, events, NULL};
	int rc;

	*results = NULL;
	time_iso_shanghai(now, received_at);
	if (has_created(events) && load_catalogue(s, &cat, e) < 0)
		return -1;
	p.catalogue = cat;
	created.ids = xcalloc(json_object_array_length(events) + 1, sizeof *created.ids);
	rc = srv_store_tx(s, apply_tx, &a, e);
	free(created.ids);
	if (rc == 0)
		*results = a.results;
	else
		json_object_put(a.results);
	catalogue_free(cat);
	return rc == 0 ? 0 : -1;
}

void srv_events_new_uuid(char out[37])
{
	unsigned char b[16];

	randombytes_buf(b, sizeof b);
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	         b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
	         b[13], b[14], b[15]);
}

/* Whether by (its role checked by the route, srv_api.c) may decide case
 * id, whose head is h: a back-office user of its hall, or of the hall it
 * was routed to (跨域通办).  0; SRV_NO_CASE for another hall's case,
 * answered as one that is not there; SRV_FORBIDDEN, with e filled; -1. */
static int may_decide(struct srv_store *s, const struct srv_user *by, const char *id,
                      const struct srv_case_head *h, long long n_parts, struct err *e)
{
	char routed[65] = "";
	int rc;

	if (by == NULL)
		return 0;
	if ((rc = srv_joint_routed_hall(s, id, routed, e)) < 0)
		return -1;
	if (strcmp(by->hall, rc == 1 ? routed : h->hall) != 0) {
		err_set(e, "no such case");
		return SRV_NO_CASE;
	}
	if (n_parts == 0 && h->dept[0] != '\0' && strcmp(by->dept, h->dept) != 0) {
		err_set(e, "the case is decided by another department (%s)", h->dept);
		return SRV_FORBIDDEN;
	}
	return 0;
}

static struct json_object *decision_event(const struct srv_user *by, const char *case_id,
                                          const struct srv_case_head *h, const char *type,
                                          const char *outcome, const char *reason,
                                          const char *now_iso, struct json_object *extra);

/* The decided event for case h as JSON. */
static struct json_object *decided_event(const struct srv_user *by, const char *case_id,
                                         const struct srv_case_head *h, const char *outcome,
                                         const char *reason, const char *now_iso)
{
	return decision_event(by, case_id, h, "decided", outcome, reason, now_iso, NULL);
}

/* An event of type (decided, dept_decided) for case h as JSON, with the
 * members of extra (taken; may be NULL) added to its payload. */
static struct json_object *decision_event(const struct srv_user *by, const char *case_id,
                                          const struct srv_case_head *h, const char *type,
                                          const char *outcome, const char *reason,
                                          const char *now_iso, struct json_object *extra)
{
	struct json_object *o = json_object_new_object(), *p = json_object_new_object();
	char uuid[37];

	srv_events_new_uuid(uuid);
	if (extra != NULL) {
		json_object_object_foreach(extra, k, v)
		    json_object_object_add(p, k, json_object_get(v));
		json_object_put(extra);
	}
	json_object_object_add(p, "outcome", json_object_new_string(outcome));
	json_object_object_add(p, "reason", json_object_new_string(reason ? reason : ""));
	json_object_object_add(o, "uuid", json_object_new_string(uuid));
	json_object_object_add(o, "case_id", json_object_new_string(case_id));
	json_object_object_add(o, "seq", json_object_new_int64(h->last_seq + 1));
	json_object_object_add(o, "type", json_object_new_string(type));
	json_object_object_add(o, "hall", json_object_new_string(h->hall));
	json_object_object_add(o, "window", json_object_new_string(by ? by->window : "-"));
	json_object_object_add(o, "clerk", json_object_new_string(by ? by->id : "operator"));
	json_object_object_add(o, "client_time", json_object_new_string(now_iso));
	json_object_object_add(o, "payload", p);
	return o;
}

/* Move case h on by the stored decided event ev, keep its day and add its
 * change row (its key into *change).  0 or -1. */
static int keep_decision(struct srv_store *s, const struct event *ev, const struct srv_case_head *h,
                         const char *to, const char *now_iso, long long *change, struct err *e)
{
	struct srv_casework_event cw = casework_of(ev);
	char why[256];

	if (srv_store_case_advance(s, ev->row.case_id, to, ev->row.seq, now_iso, e) < 0 ||
	    srv_casework_keep(s, &cw, why, sizeof why, e) != 0 ||
	    audit_event(s, ev, ev->row.user_id, h->hall, SRV_AUDIT_DECISION, e) < 0)
		return -1;
	return srv_store_change_add(s, h->hall, "decision", ev->row.case_id, ev->row.uuid, NULL,
	                            now_iso, change, e);
}

/* Store the decided event o of case h and its change row.  0,
 * SRV_CONFLICT (another event took its place) or -1. */
static int store_decision(struct srv_store *s, const struct srv_user *by, struct json_object *o,
                          const struct srv_case_head *h, const char *to, const char *now_iso,
                          long long *change, struct err *e)
{
	struct event ev;
	char *payload, *canonical, *stored = NULL;
	int ins, rc = -1;

	if (parse_event(o, &ev) != NULL) {
		err_set(e, "internal: decision event does not parse");
		return -1;
	}
	payload = srv_json_text(ev.payload);
	canonical = srv_json_canonical(o);
	ev.row.payload = payload;
	ev.row.canonical = canonical;
	ev.row.user_id = by ? by->id : "operator";
	ev.row.received_at = now_iso;
	ins = srv_store_event_insert(s, &ev.row, &stored, e);
	free(stored);
	if (ins > 0) {
		err_set(e, "the case changed meanwhile; try again");
		rc = SRV_CONFLICT;
	} else if (ins == SRV_EVENT_INSERTED) {
		rc = keep_decision(s, &ev, h, to, now_iso, change, e);
	}
	free(payload);
	free(canonical);
	return rc;
}

/* dept's part of the joint case h (id): its dept_decided event into
 * *event_out and, once the item's rule decides the case, the joint
 * decided event after it into *joint_out.  0, SRV_FORBIDDEN, SRV_CONFLICT
 * or -1. */
static int decide_part(struct srv_store *s, const struct srv_user *by, const char *case_id,
                       struct srv_case_head *h, enum case_state from, const char *outcome,
                       const char *reason, const char *now_iso, struct json_object **event_out,
                       struct json_object **joint_out, long long *change, struct err *e)
{
	struct srv_joint_part part;
	struct json_object *extra, *summary = NULL;
	enum case_state to;
	const char *result;
	char why[512], depts[1024];
	long long n_parts;
	int rc;

	if (by == NULL) {
		err_set(e, "a joint case (并联审批) is decided by each of its departments' back "
		           "offices, not by the operator");
		return SRV_FORBIDDEN;
	}
	if ((rc = srv_joint_part_get(s, case_id, by->dept, &part, &n_parts, e)) < 0 ||
	    srv_joint_depts(s, case_id, depts, sizeof depts, e) < 0)
		return -1;
	if (rc == 0) {
		err_set(e, "the case is decided jointly by %s, not by %s", depts,
		        by->dept[0] ? by->dept : "a back office without a department");
		return SRV_FORBIDDEN;
	}
	if (part.outcome[0] != '\0') {
		err_set(e, "%s has already decided its part of the case (%s)", by->dept,
		        part.outcome);
		return SRV_CONFLICT;
	}
	if (casestate_next(from, CEV_DEPT_DECIDED, outcome, &to, why, sizeof why) != 0) {
		err_set(e, "%s", why);
		return SRV_CONFLICT;
	}
	extra = json_object_new_object();
	json_object_object_add(extra, "dept", json_object_new_string(by->dept));
	*event_out =
	    decision_event(by, case_id, h, "dept_decided", outcome, reason, now_iso, extra);
	rc = store_decision(s, by, *event_out, h, casestate_name(from), now_iso, change, e);
	if (rc == 0)
		rc = srv_joint_part_decide(s, case_id, by->dept, outcome, reason ? reason : "",
		                           by->id, now_iso, srv_json_get_string(*event_out, "uuid"),
		                           &result, &summary, e);
	if (rc != 0 || *result == '\0')
		return rc;
	/* the rule decides the case: its joint result follows at once */
	h->last_seq++;
	casestate_next(from, CEV_DECIDED, result, &to, NULL, 0);
	*joint_out = decision_event(by, case_id, h, "decided", result,
	                            strcmp(result, "refuse") == 0 ? reason : "", now_iso, NULL);
	{
		struct json_object *p;

		json_object_object_get_ex(*joint_out, "payload", &p);
		json_object_object_add(p, "joint", summary);
	}
	return store_decision(s, by, *joint_out, h, casestate_name(to), now_iso, change, e);
}

/* Everything of srv_events_decide inside its transaction. */
static int decide_in_tx(struct srv_store *s, const struct srv_user *by, const char *case_id,
                        const char *outcome, const char *reason, const char *now_iso,
                        struct json_object **event_out, struct json_object **joint_out,
                        long long *change, struct err *e)
{
	struct srv_case_head h;
	struct srv_joint_part part;
	enum case_state from, to;
	char why[512];
	long long n_parts = 0;
	int rc = srv_store_case_head(s, case_id, &h, e);

	if (rc < 0)
		return -1;
	if (rc == 0) {
		err_set(e, "no such case");
		return SRV_NO_CASE;
	}
	if (srv_joint_part_get(s, case_id, by ? by->dept : "", &part, &n_parts, e) < 0)
		return -1;
	if ((rc = may_decide(s, by, case_id, &h, n_parts, e)) != 0)
		return rc;
	if (casestate_from_name(h.state, &from) != 0) {
		err_set(e, "the case's state \"%s\" is unknown to this server", h.state);
		return SRV_CONFLICT;
	}
	if (n_parts > 0)
		return decide_part(s, by, case_id, &h, from, outcome, reason, now_iso, event_out,
		                   joint_out, change, e);
	if (casestate_next(from, CEV_DECIDED, outcome, &to, why, sizeof why) != 0) {
		err_set(e, "%s", why);
		return SRV_CONFLICT;
	}
	*event_out = decided_event(by, case_id, &h, outcome, reason, now_iso);
	return store_decision(s, by, *event_out, &h, casestate_name(to), now_iso, change, e);
}

/* What one run of the decision's transaction needs and makes. */
struct decide_arg {
	const struct srv_user *by;
	const char *case_id, *outcome, *reason, *now_iso;
	struct json_object *event; /* made anew by each run */
	struct json_object *joint; /* the joint result it made, or NULL */
	long long change;
};

static int decide_tx(struct srv_store *s, void *arg, struct err *e)
{
	struct decide_arg *a = arg;

	json_object_put(a->event); /* of a run the database undid */
	json_object_put(a->joint);
	a->event = a->joint = NULL;
	return decide_in_tx(s, a->by, a->case_id, a->outcome, a->reason, a->now_iso, &a->event,
	                    &a->joint, &a->change, e);
}

int srv_events_decide(struct srv_store *s, const struct srv_user *by, const char *case_id,
                      const char *outcome, const char *reason, time_t now,
                      struct json_object **event_out, long long *cursor, struct err *e)
{
	char now_iso[SRV_TIME_ISO_SIZE];
	struct decide_arg a = {by, case_id, outcome, reason, now_iso, NULL, NULL, 0};
	int rc;

	*event_out = NULL;
	if (outcome == NULL || (strcmp(outcome, CASE_OUTCOME_APPROVE) != 0 &&
	                        strcmp(outcome, CASE_OUTCOME_REFUSE) != 0)) {
		err_set(e, "the decision must be \"approve\" or \"refuse\"");
		return SRV_INVALID;
	}
	if (reason != NULL &&
	    (strlen(reason) > SRV_EVENTS_MAX_STRING || !utf8_is_valid(reason, strlen(reason)) ||
	     srv_events_has_control(reason, strlen(reason)))) {
		err_set(e, "the reason must be UTF-8 of at most 4096 bytes without control "
		           "characters (tab and line breaks aside)");
		return SRV_INVALID;
	}
	if (!srv_events_is_uuid(case_id)) {
		err_set(e, "no such case");
		return SRV_NO_CASE;
	}
	time_iso_shanghai(now, now_iso);
	rc = srv_store_tx(s, decide_tx, &a, e);
	/* committed: its change's place in the feed (the decision stands even
	 * when that cannot be read now) */
	if (rc == 0 && srv_store_change_cursor(s, a.change, cursor, e) < 0)
		*cursor = 0;
	if (rc != 0) {
		json_object_put(a.event);
		json_object_put(a.joint);
		a.event = a.joint = NULL;
	}
	/* a joint result made by this decision goes with it */
	if (a.joint != NULL)
		json_object_object_add(a.event, "joint_decision", a.joint);
	*event_out = a.event;
	return rc;
}
