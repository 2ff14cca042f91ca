/* draft.c - the unfinished intake as text (see draft.h). */
#include "core/draft.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

struct draft {
	struct json_object *o;
	struct json_object *values; /* borrowed from o; may be NULL */
};

static const char *kind_name(bool org)
{
	return org ? "organisation" : "person";
}

static char *text_of(struct json_object *o)
{
	char *s = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                                        JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	return s;
}

static struct json_object *values_object(const struct form *f, char *const *values)
{
	struct json_object *o = json_object_new_object();
	size_t i;

	for (i = 0; i < f->n_fields; i++)
		json_object_object_add(o, f->fields[i].id,
		                       json_object_new_string(values[i] ? values[i] : ""));
	return o;
}

char *draft_encode(const char *item_code, bool org, const struct form *f, char *const *values,
                   const struct checklist *cl, const char *case_id)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "item_code", json_object_new_string(item_code));
	if (case_id && case_id[0])
		json_object_object_add(o, "case_id", json_object_new_string(case_id));
	json_object_object_add(o, "kind", json_object_new_string(kind_name(org)));
	json_object_object_add(o, "values", values_object(f, values));
	if (cl) {
		char *list = checklist_to_json(cl);

		json_object_object_add(o, "checklist", json_tokener_parse(list));
		free(list);
	}
	return text_of(o);
}

char *draft_applicant_json(const struct form *f, char *const *values, bool org)
{
	struct json_object *o = values_object(f, values);

	json_object_object_add(o, "kind", json_object_new_string(kind_name(org)));
	return text_of(o);
}

struct draft *draft_decode(const char *text)
{
	struct json_object *o = text ? json_tokener_parse(text) : NULL;
	struct draft *d;

	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return NULL;
	}
	d = xcalloc(1, sizeof *d);
	d->o = o;
	if (json_object_object_get_ex(o, "values", &d->values) &&
	    !json_object_is_type(d->values, json_type_object))
		d->values = NULL;
	if (d->values == NULL && !json_object_object_get_ex(o, "item_code", NULL))
		d->values = o; /* a plain {"id": "value"} object: the previous case's values */
	return d;
}

void draft_free(struct draft *d)
{
	if (d == NULL)
		return;
	json_object_put(d->o);
	free(d);
}

static const char *member(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return "";
}

const char *draft_item_code(const struct draft *d)
{
	return member(d->o, "item_code");
}

bool draft_is_org(const struct draft *d)
{
	return strcmp(member(d->o, "kind"), "organisation") == 0;
}

const char *draft_case_id(const struct draft *d)
{
	return member(d->o, "case_id");
}

const char *draft_value(const struct draft *d, const char *id)
{
	return member(d->values, id);
}

bool draft_has(const struct draft *d, const char *id)
{
	struct json_object *v;

	return d->values && json_object_object_get_ex(d->values, id, &v) &&
	       json_object_is_type(v, json_type_string);
}

char **draft_values(const struct draft *d, const struct form *f)
{
	char **v = xcalloc(f->n_fields ? f->n_fields : 1, sizeof *v);
	size_t i;

	for (i = 0; i < f->n_fields; i++)
		v[i] = xstrdup(d && draft_has(d, f->fields[i].id) ? draft_value(d, f->fields[i].id)
		                                                  : f->fields[i].def);
	return v;
}

void draft_checklist(const struct draft *d, struct checklist *cl)
{
	struct json_object *list;

	if (json_object_object_get_ex(d->o, "checklist", &list))
		checklist_from_json(cl, json_object_to_json_string(list));
}
