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
