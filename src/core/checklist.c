#include "core/checklist.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"

static const char *const status_names[MS_COUNT] = {
    "unchecked", "original", "copy", "electronic", "exempt", "missing", "defective", "committed",
};

const char *mat_status_name(enum mat_status s)
{
	return s < MS_COUNT ? status_names[s] : "unchecked";
}

int mat_status_from_name(const char *name, enum mat_status *out)
{
	int i;

	for (i = 0; i < MS_COUNT; i++)
		if (strcmp(name, status_names[i]) == 0) {
			*out = (enum mat_status)i;
			return 0;
		}
	return -1;
}

const char *mat_status_label(enum mat_status s)
{
	switch (s) {
	case MS_ORIGINAL:
		return _("original");
	case MS_COPY:
		return _("copy");
	case MS_ELECTRONIC:
		return _("electronic");
	case MS_EXEMPT:
		return _("not required");
	case MS_MISSING:
		return _("missing");
	case MS_DEFECTIVE:
		return _("defective");
	case MS_COMMITTED:
		return _("committed");
	default:
		return _("unchecked");
	}
}

bool mat_status_is_in(enum mat_status s)
{
	return s == MS_ORIGINAL || s == MS_COPY || s == MS_ELECTRONIC || s == MS_EXEMPT;
}

void checklist_init(struct checklist *c, const struct item *item)
{
	size_t i;

	c->item = item;
	c->n = item->n_materials;
	c->m = xcalloc(c->n ? c->n : 1, sizeof *c->m);
	for (i = 0; i < c->n; i++)
		c->m[i].status = item->materials[i].exempt ? MS_EXEMPT : MS_UNCHECKED;
}

void checklist_free(struct checklist *c)
{
	free(c->m);
	c->m = NULL;
	c->n = 0;
}

static int say(char *why, size_t n, const char *fmt, ...) TB_PRINTF(3, 4);

static int say(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return -1;
}

int checklist_can_accept(const struct checklist *c, char *why, size_t n)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct material *m = &c->item->materials[i];
		enum mat_status s = c->m[i].status;

		if (s == MS_UNCHECKED && m->need != NEED_OPTIONAL)
			return say(why, n, _("material not checked yet: %s"), m->name);
		if (s == MS_DEFECTIVE)
			return say(why, n,
			           _("defective material, cannot accept: %s (issue a notice)"),
			           m->name);
		if ((s == MS_MISSING || s == MS_COMMITTED) && m->need != NEED_OPTIONAL)
			return say(why, n,
			           _("required material missing: %s (issue a notice or accept on "
			             "commitment)"),
			           m->name);
	}
	return 0;
}

int checklist_can_notice(const struct checklist *c, char *why, size_t n)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		const struct material *m = &c->item->materials[i];

		if (c->m[i].status == MS_UNCHECKED && m->need != NEED_OPTIONAL)
			return say(why, n,
			           _("check every material first, the notice must list all: %s"),
			           m->name);
		if (c->m[i].status == MS_DEFECTIVE && c->m[i].reason[0] == '\0')
			return say(why, n, _("say what is wrong with: %s"), m->name);
	}
	for (i = 0; i < c->n; i++)
		if (c->m[i].status == MS_MISSING || c->m[i].status == MS_DEFECTIVE)
			return 0;
	snprintf(why, n, "%s", _("no material is missing or defective: no notice needed"));
	return -1;
}

int checklist_set(struct checklist *c, size_t i, enum mat_status s, const char *reason, char *why,
                  size_t n)
{
	const struct material *m = &c->item->materials[i];

	if (m->exempt)
		return say(
		    why, n, "%s",
		    _("this material comes from shared data: do not ask the applicant for it"));
	if (s == MS_COMMITTED &&
	    !(c->item->commitment && (m->commitable || m->need == NEED_DEFERRABLE)))
		return say(why, n, "%s", _("this material cannot be replaced by a commitment"));
	if (s == MS_DEFECTIVE && (reason == NULL || reason[0] == '\0'))
		return say(why, n, "%s", _("a defective material needs a reason"));
	c->m[i].status = s;
	str_copy(c->m[i].reason, sizeof c->m[i].reason, s == MS_DEFECTIVE ? reason : "");
	return 0;
}

int checklist_can_commit(const struct checklist *c, char *why, size_t n)
{
	size_t i;
	int committed = 0;

	if (!c->item->commitment) {
		snprintf(why, n, "%s", _("this item does not allow acceptance on commitment"));
		return -1;
	}
	for (i = 0; i < c->n; i++) {
		const struct material *m = &c->item->materials[i];
		enum mat_status s = c->m[i].status;
		bool may = m->commitable || m->need == NEED_DEFERRABLE;

		if (s == MS_UNCHECKED && m->need != NEED_OPTIONAL)
			return say(why, n, _("material not checked yet: %s"), m->name);
		if ((s == MS_MISSING || s == MS_DEFECTIVE) && m->need != NEED_OPTIONAL)
			return say(why, n,
			           may ? _("mark the material as committed: %s")
			               : _("this material cannot be replaced by a commitment: %s"),
			           m->name);
		if (s == MS_COMMITTED && !may)
			return say(why, n,
			           _("this material cannot be replaced by a commitment: %s"),
			           m->name);
		committed += s == MS_COMMITTED;
	}
	if (committed == 0) {
		snprintf(why, n, "%s", _("nothing is committed: accept the case directly"));
		return -1;
	}
	return 0;
}

int checklist_check_agent(const struct checklist *c, bool has_agent, char *why, size_t n)
{
	size_t i;

	if (!has_agent)
		return 0;
	for (i = 0; i < c->n; i++)
		if (strstr(c->item->materials[i].name, "授权委托书") != NULL &&
		    !mat_status_is_in(c->m[i].status))
			return say(why, n, _("an agent applies: '%s' is required"),
			           c->item->materials[i].name);
	return 0;
}

int checklist_notice_again_ok(const struct checklist *first, const struct checklist *now, char *why,
                              size_t n)
{
	size_t i;

	for (i = 0; i < now->n && i < first->n; i++) {
		enum mat_status s = now->m[i].status;

		if ((s == MS_MISSING || s == MS_DEFECTIVE) && mat_status_is_in(first->m[i].status))
			return say(why, n,
			           _("'%s' was in order at the first visit: it cannot be asked for "
			             "again"),
			           now->item->materials[i].name);
	}
	return 0;
}

char *checklist_to_json(const struct checklist *c)
{
	struct json_object *a = json_object_new_array();
	size_t i;
	char *out;

	for (i = 0; i < c->n; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "id", json_object_new_string(c->item->materials[i].id));
		json_object_object_add(o, "name",
		                       json_object_new_string(c->item->materials[i].name));
		json_object_object_add(o, "status",
		                       json_object_new_string(mat_status_name(c->m[i].status)));
		json_object_object_add(o, "reason", json_object_new_string(c->m[i].reason));
		json_object_array_add(a, o);
	}
	out = xstrdup(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN |
	                                                    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(a);
	return out;
}

static const char *get_string(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return NULL;
}

int checklist_from_json(struct checklist *c, const char *json)
{
	struct json_object *a = json_tokener_parse(json);
	size_t i, j;

	if (a == NULL || !json_object_is_type(a, json_type_array)) {
		json_object_put(a);
		return -1;
	}
	for (i = 0; i < json_object_array_length(a); i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		const char *id = get_string(o, "id"), *st = get_string(o, "status");
		const char *reason = get_string(o, "reason");

		for (j = 0; id && st && j < c->n; j++) {
			if (strcmp(c->item->materials[j].id, id) != 0)
				continue;
			if (mat_status_from_name(st, &c->m[j].status) < 0)
				c->m[j].status = MS_UNCHECKED;
			str_copy(c->m[j].reason, sizeof c->m[j].reason, reason ? reason : "");
		}
	}
	json_object_put(a);
	return 0;
}
