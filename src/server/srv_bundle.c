/* srv_bundle.c - 一件事 and 绿色通道 on tongband's cases (srv_bundle.h). */
#include "server/srv_bundle.h"

#include <string.h>

#include "server/srv_encode.h"
#include "server/srv_json.h"

/* The string at o.key: "" when absent, NULL when not a usable string. */
static const char *field(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    json_object_is_type(v, json_type_null))
		return "";
	if (!json_object_is_type(v, json_type_string) ||
	    strlen(json_object_get_string(v)) > SRV_BUNDLE_FIELD_MAX)
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *member(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

const char *srv_bundle_check(struct json_object *payload)
{
	struct json_object *b = member(payload, "bundle"), *a = member(payload, "applicant");

	if (b && !json_object_is_type(b, json_type_object))
		return "payload.bundle must be an object";
	if (b && (field(b, "id") == NULL || !field(b, "id")[0] || field(b, "code") == NULL ||
	          field(b, "name") == NULL))
		return "payload.bundle needs id, code and name as strings of at most 256 bytes";
	if (field(a, "green_cert") == NULL || field(a, "green_helper") == NULL)
		return "payload.applicant.green_cert and green_helper must be strings of at most "
		       "256 "
		       "bytes";
	if (field(a, "green_cert")[0] && !field(a, "green_helper")[0])
		return "payload.applicant.green_cert needs its green_helper (代办员)";
	return NULL;
}

int srv_bundle_mark(struct srv_store *s, const char *id, struct json_object *payload, struct err *e)
{
	struct json_object *b = member(payload, "bundle"), *a = member(payload, "applicant");

	if (b == NULL && !field(a, "green_cert")[0])
		return 0;
	return srv_store_case_mark(s, id, field(b, "id"), field(b, "code"), field(b, "name"),
	                           field(a, "green_cert"), field(a, "green_helper"), e);
}

int srv_bundle_add_parts(struct srv_store *s, const char *hall, struct json_object *o,
                         struct err *e)
{
	const char *id = srv_json_get_string(o, "bundle_id");
	struct json_object *b, *parts;

	if (id == NULL || !id[0])
		return 0;
	b = json_object_new_object();
	parts = json_object_new_array();
	json_object_object_add(b, "id", json_object_new_string(id));
	json_object_object_add(b, "code",
	                       json_object_new_string(srv_json_get_string(o, "bundle_code")));
	json_object_object_add(b, "name",
	                       json_object_new_string(srv_json_get_string(o, "bundle_name")));
	json_object_object_add(b, "parts", parts);
	json_object_object_add(o, "bundle", b);
	return srv_store_bundle_parts(s, hall, id, srv_encode_add_case, parts, e);
}
