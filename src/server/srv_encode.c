/*
 * srv_encode.c - the JSON of accounts, cases and changes (see srv_encode.h).
 */
#include "server/srv_encode.h"

#include <string.h>

static void add_string(struct json_object *o, const char *key, const char *value)
{
	json_object_object_add(o, key, json_object_new_string(value));
}

static void add_int(struct json_object *o, const char *key, long long value)
{
	json_object_object_add(o, key, json_object_new_int64(value));
}

struct json_object *srv_encode_user(const struct srv_user *u)
{
	struct json_object *o = json_object_new_object();

	add_string(o, "id", u->id);
	add_string(o, "name", u->name);
	add_string(o, "hall", u->hall);
	add_string(o, "hall_name", u->hall_name);
	add_string(o, "window", u->window);
	add_string(o, "role", u->role);
	add_string(o, "dept", u->dept);
	return o;
}

struct json_object *srv_encode_case(const struct srv_case *c)
{
	struct json_object *o = json_object_new_object();

	add_string(o, "id", c->id);
	add_string(o, "case_no", c->case_no);
	add_string(o, "item_code", c->item_code);
	add_string(o, "item_name", c->item_name);
	add_string(o, "applicant_name", c->applicant_name);
	add_string(o, "id_number", c->id_number);
	add_string(o, "phone", c->phone);
	add_string(o, "state", c->state);
	add_string(o, "hall", c->hall);
	add_int(o, "events", c->events);
	add_string(o, "created_at", c->created_at);
	add_string(o, "received_at", c->received_at);
	add_string(o, "dept", c->dept);
	add_string(o, "updated_at", c->updated_at);
	add_string(o, "official_no", c->official_no);
	add_string(o, "bundle_id", c->bundle_id);
	add_string(o, "bundle_code", c->bundle_code);
	add_string(o, "bundle_name", c->bundle_name);
	add_string(o, "green_cert", c->green_cert);
	add_string(o, "green_helper", c->green_helper);
	return o;
}

int srv_encode_add_user(const struct srv_user *u, long long locked_until, void *array)
{
	struct json_object *o = srv_encode_user(u);

	add_int(o, "locked_until", locked_until);
	json_object_array_add(array, o);
	return 0;
}

int srv_encode_add_case(const struct srv_case *c, void *array)
{
	json_object_array_add(array, srv_encode_case(c));
	return 0;
}

int srv_encode_add_case_event(const struct srv_case_event *ev, void *array)
{
	struct json_object *o = json_object_new_object();

	add_string(o, "uuid", ev->uuid);
	add_int(o, "seq", ev->seq);
	add_string(o, "type", ev->type);
	add_string(o, "client_time", ev->client_time);
	add_string(o, "received_at", ev->received_at);
	json_object_array_add(array, o);
	return 0;
}

int srv_encode_add_change(const struct srv_change *ch, void *array)
{
	struct json_object *o = json_object_new_object();

	add_int(o, "cursor", ch->cursor);
	add_string(o, "kind", ch->kind);
	if (strcmp(ch->kind, "decision") == 0) {
		add_string(o, "case_id", ch->case_id);
		add_string(o, "case_no", ch->case_no);
		json_object_object_add(o, "event", json_tokener_parse(ch->event));
		add_string(o, "received_at", ch->received_at);
	} else if (strcmp(ch->kind, "case_no") == 0) {
		add_string(o, "case_id", ch->case_id);
		add_string(o, "case_no", ch->case_no);
		add_string(o, "official_no", ch->official_no);
	} else {
		add_string(o, "version", ch->version);
	}
	json_object_array_add(array, o);
	return 0;
}

int srv_encode_add_follow_up(const struct srv_follow_up *f, void *array)
{
	struct json_object *o = json_object_new_object();

	add_string(o, "case_id", f->case_id);
	add_string(o, "case_no", f->case_no);
	add_string(o, "official_no", f->official_no);
	add_string(o, "item_code", f->item_code);
	add_string(o, "item_name", f->item_name);
	add_int(o, "level", f->level);
	add_string(o, "comment", f->comment);
	add_string(o, "rated_by", f->rated_by);
	add_string(o, "due", f->due);
	add_string(o, "state", f->state);
	add_string(o, "note", f->note);
	add_string(o, "closed_on", f->closed_on);
	add_string(o, "closed_by", f->closed_by);
	json_object_array_add(array, o);
	return 0;
}

int srv_encode_case_detail(const struct srv_case *c, void *out)
{
	struct json_object **o = out;

	*o = srv_encode_case(c);
	json_object_object_add(*o, "event_list", json_object_new_array());
	return 0;
}

int srv_encode_case_detail_event(const struct srv_case_event *ev, void *out)
{
	struct json_object *list = NULL;

	json_object_object_get_ex(*(struct json_object **)out, "event_list", &list);
	return srv_encode_add_case_event(ev, list);
}

static struct json_object *release_json(const struct srv_release *r)
{
	struct json_object *o = json_object_new_object();

	add_string(o, "method", r->method);
	add_string(o, "collector_name", r->collector_name);
	add_string(o, "collector_id_number", r->collector_id_number);
	json_object_object_add(o, "collector_is_agent",
	                       json_object_new_boolean(r->collector_is_agent));
	add_string(o, "courier", r->courier);
	add_string(o, "tracking_no", r->tracking_no);
	add_string(o, "address", r->address);
	add_string(o, "released_on", r->on);
	add_string(o, "released_at", r->at);
	add_string(o, "clerk", r->clerk);
	add_string(o, "window", r->window);
	return o;
}

static struct json_object *rating_json(const struct srv_case_life *l)
{
	struct json_object *o = json_object_new_object();

	add_int(o, "level", l->rating.level);
	add_string(o, "comment", l->rating.comment);
	add_string(o, "rated_on", l->rating.on);
	add_string(o, "rated_at", l->rating.at);
	add_string(o, "clerk", l->rating.clerk);
	add_string(o, "released_by", l->released_by);
	return o;
}

static struct json_object *follow_up_json(const struct srv_case_life *l)
{
	struct json_object *o = json_object_new_object();

	add_string(o, "due", l->follow_up.due);
	add_string(o, "state", l->follow_up.state);
	add_string(o, "note", l->follow_up.note);
	add_string(o, "closed_on", l->follow_up.closed_on);
	add_string(o, "closed_by", l->follow_up.closed_by);
	return o;
}

static struct json_object *revocation_json(const struct srv_case_life *l)
{
	struct json_object *o = json_object_new_object(), *k = NULL;

	add_string(o, "reason", l->revocation.reason);
	add_string(o, "revoked_on", l->revocation.on);
	add_string(o, "revoked_at", l->revocation.at);
	add_string(o, "clerk", l->revocation.clerk);
	if (l->has_credit_record) {
		k = json_object_new_object();
		add_string(k, "applicant_name", l->credit_record.applicant_name);
		add_string(k, "id_number", l->credit_record.id_number);
		add_string(k, "reason", l->credit_record.reason);
		add_string(k, "recorded_on", l->credit_record.recorded_on);
	}
	json_object_object_add(o, "credit_record", k);
	return o;
}

static struct json_object *withdrawal_json(const struct srv_withdrawal *w)
{
	struct json_object *o = json_object_new_object();

	add_string(o, "supply_by", w->supply_by);
	add_string(o, "reason", w->reason);
	add_string(o, "withdrawn_on", w->on);
	add_string(o, "withdrawn_at", w->at);
	add_string(o, "clerk", w->clerk);
	return o;
}

int srv_encode_add_case_life(const struct srv_case_life *l, void *case_object)
{
	struct json_object *o = case_object;

	json_object_object_add(o, "release", l->has_release ? release_json(&l->release) : NULL);
	json_object_object_add(o, "rating", l->has_rating ? rating_json(l) : NULL);
	json_object_object_add(o, "follow_up", l->has_follow_up ? follow_up_json(l) : NULL);
	json_object_object_add(o, "revocation", l->has_revocation ? revocation_json(l) : NULL);
	json_object_object_add(o, "withdrawal",
	                       l->has_withdrawal ? withdrawal_json(&l->withdrawal) : NULL);
	return 0;
}
