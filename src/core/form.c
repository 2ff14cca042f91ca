#include "core/form.h"

#include <json-c/json.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

#define FORM_MAX_BYTES (1024 * 1024)

static const char *const type_names[] = {
    [FT_TEXT] = "text", [FT_MEMO] = "memo",     [FT_NUMBER] = "number", [FT_MONEY] = "money",
    [FT_DATE] = "date", [FT_CHOICE] = "choice", [FT_CHECK] = "check",   [FT_IDCARD] = "idcard",
    [FT_USCC] = "uscc", [FT_PHONE] = "phone",
};

int form_type_from_name(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
		if (strcmp(s, type_names[i]) == 0)
			return (int)i;
	return -1;
}

/* Natural width of a type whose form gives none. */
static int type_width(enum field_type t)
{
	switch (t) {
	case FT_IDCARD:
	case FT_USCC:
		return 18;
	case FT_PHONE:
		return 13;
	case FT_DATE:
		return 10;
	case FT_CHECK:
		return 1;
	default:
		return 20;
	}
}

struct parse_ctx {
	const char *file;
	const char *field; /* id of the field being read, or NULL */
	struct err *e;
};

static int fail(struct parse_ctx *pc, const char *key, const char *what)
{
	if (pc->field)
		err_set(pc->e, "%s: field %s: %s: %s", pc->file, pc->field, key, what);
	else
		err_set(pc->e, "%s: %s: %s", pc->file, key, what);
	return -1;
}

/* Optional string member; *out is a copy (def when absent). */
static int get_str(struct parse_ctx *pc, struct json_object *o, const char *key, bool required,
                   const char *def, char **out)
{
	struct json_object *v;
	const char *s;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v)) {
		if (required)
			return fail(pc, key, "missing");
		*out = def ? xstrdup(def) : NULL;
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return fail(pc, key, "must be a string");
	s = json_object_get_string(v);
	if (!utf8_is_valid(s, strlen(s)))
		return fail(pc, key, "not valid UTF-8");
	*out = xstrdup(s);
	return 0;
}

static int get_int(struct parse_ctx *pc, struct json_object *o, const char *key, int lo, int hi,
                   int def, int *out)
{
	struct json_object *v;
	int64_t n;

	*out = def;
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return fail(pc, key, "must be an integer");
	n = json_object_get_int64(v);
	if (n < lo || n > hi) {
		char what[64];

		snprintf(what, sizeof what, "must be between %d and %d", lo, hi);
		return fail(pc, key, what);
	}
	*out = (int)n;
	return 0;
}

static int get_bool(struct parse_ctx *pc, struct json_object *o, const char *key, bool def,
                    bool *out)
{
	struct json_object *v;

	*out = def;
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return fail(pc, key, "must be true or false");
	*out = json_object_get_boolean(v);
	return 0;
}

static int parse_choices(struct parse_ctx *pc, struct json_object *o, struct form_field *fld)
{
	struct json_object *v;
	size_t i, n;

	if (!json_object_object_get_ex(o, "choices", &v)) {
		if (fld->type == FT_CHOICE)
			return fail(pc, "choices", "missing for a choice field");
		return 0;
	}
	if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) == 0)
		return fail(pc, "choices", "must be a non-empty array of strings");
	n = json_object_array_length(v);
	fld->choices = xcalloc(n, sizeof *fld->choices);
	for (i = 0; i < n; i++) {
		struct json_object *c = json_object_array_get_idx(v, i);
		const char *s;

		if (!json_object_is_type(c, json_type_string))
			return fail(pc, "choices", "must be a non-empty array of strings");
		s = json_object_get_string(c);
		if (!utf8_is_valid(s, strlen(s)))
			return fail(pc, "choices", "not valid UTF-8");
		fld->choices[fld->n_choices++] = xstrdup(s);
	}
	return 0;
}

static int check_pattern(struct parse_ctx *pc, const char *pattern)
{
	regex_t re;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return fail(pc, "pattern", "not a valid POSIX extended regular expression");
	regfree(&re);
	return 0;
}

static int parse_field(struct parse_ctx *pc, struct json_object *o, struct form_field *fld)
{
	char *type = NULL;
	int t, rc = -1;

	if (!json_object_is_type(o, json_type_object))
		return fail(pc, "fields", "each field must be an object");
	if (get_str(pc, o, "id", true, NULL, &fld->id) < 0)
		return -1;
	pc->field = fld->id;
	if (get_str(pc, o, "label", true, NULL, &fld->label) < 0 ||
	    get_str(pc, o, "type", false, "text", &type) < 0)
		goto out;
	t = form_type_from_name(type);
	if (t < 0) {
		fail(pc, "type",
		     "unknown type (text, memo, number, money, date, choice, check, "
		     "idcard, uscc, phone)");
		goto out;
	}
	fld->type = (enum field_type)t;
	if (get_int(pc, o, "width", 1, 200, type_width(fld->type), &fld->width) < 0 ||
	    get_int(pc, o, "maxlen", 0, 100000, 0, &fld->maxlen) < 0 ||
	    get_bool(pc, o, "required", false, &fld->required) < 0 ||
	    get_bool(pc, o, "ditto", false, &fld->ditto) < 0 ||
	    get_bool(pc, o, "autoskip", false, &fld->autoskip) < 0 ||
	    get_str(pc, o, "pattern", false, NULL, &fld->pattern) < 0 ||
	    get_str(pc, o, "pattern_message", false, NULL, &fld->pattern_msg) < 0 ||
	    get_str(pc, o, "default", false, "", &fld->def) < 0 ||
	    get_str(pc, o, "help", false, "", &fld->help) < 0 || parse_choices(pc, o, fld) < 0)
		goto out;
	if (fld->pattern && check_pattern(pc, fld->pattern) < 0)
		goto out;
	rc = 0;
out:
	free(type);
	return rc;
}

static int parse_section(struct parse_ctx *pc, struct json_object *sec, struct form *f)
{
	struct json_object *fields;
	size_t i, n;

	if (!json_object_is_type(sec, json_type_object))
		return fail(pc, "sections", "each section must be an object");
	f->sections = xrealloc(f->sections, (f->n_sections + 1) * sizeof *f->sections);
	if (get_str(pc, sec, "title", false, "", &f->sections[f->n_sections].title) < 0)
		return -1;
	f->n_sections++;
	if (!json_object_object_get_ex(sec, "fields", &fields) ||
	    !json_object_is_type(fields, json_type_array))
		return fail(pc, "fields", "each section needs an array of fields");
	n = json_object_array_length(fields);
	for (i = 0; i < n; i++) {
		struct form_field *fld;

		f->fields = xrealloc(f->fields, (f->n_fields + 1) * sizeof *f->fields);
		fld = &f->fields[f->n_fields++];
		memset(fld, 0, sizeof *fld);
		fld->section = f->n_sections - 1;
		pc->field = NULL;
		if (parse_field(pc, json_object_array_get_idx(fields, i), fld) < 0)
			return -1;
		if (form_field_find(f, fld->id) != fld)
			return fail(pc, "id", "used by two fields");
	}
	return 0;
}

struct form *form_parse(const char *json, size_t len, const char *file, struct err *e)
{
	struct parse_ctx pc = {file, NULL, e};
	struct json_tokener *tok = json_tokener_new();
	struct json_object *root, *sections;
	struct form *f = xcalloc(1, sizeof *f);
	size_t i;

	root = json_tokener_parse_ex(tok, json, (int)len);
	if (root == NULL || json_tokener_get_parse_end(tok) < len) {
		err_set(e, "%s: not valid JSON (%s)", file,
		        json_tokener_error_desc(json_tokener_get_error(tok)));
		goto fail;
	}
	if (!json_object_is_type(root, json_type_object)) {
		fail(&pc, "top level", "must be an object");
		goto fail;
	}
	if (get_str(&pc, root, "id", true, NULL, &f->id) < 0 ||
	    get_str(&pc, root, "title", false, "", &f->title) < 0)
		goto fail;
	if (!json_object_object_get_ex(root, "sections", &sections) ||
	    !json_object_is_type(sections, json_type_array) ||
	    json_object_array_length(sections) == 0) {
		fail(&pc, "sections", "missing or empty");
		goto fail;
	}
	for (i = 0; i < json_object_array_length(sections); i++)
		if (parse_section(&pc, json_object_array_get_idx(sections, i), f) < 0)
			goto fail;
	json_object_put(root);
	json_tokener_free(tok);
	return f;
fail:
	json_object_put(root);
	json_tokener_free(tok);
	form_free(f);
	return NULL;
}

struct form *form_load(const char *path, struct err *e)
{
	size_t len;
	char *text = file_read_all(path, &len, FORM_MAX_BYTES, e);
	struct form *f;

	if (text == NULL)
		return NULL;
	f = form_parse(text, len, path, e);
	free(text);
	return f;
}

void form_free(struct form *f)
{
	size_t i, j;

	if (f == NULL)
		return;
	for (i = 0; i < f->n_fields; i++) {
		struct form_field *fld = &f->fields[i];

		free(fld->id);
		free(fld->label);
		free(fld->pattern);
		free(fld->pattern_msg);
		free(fld->def);
		free(fld->help);
		for (j = 0; j < fld->n_choices; j++)
			free(fld->choices[j]);
		free(fld->choices);
	}
	for (i = 0; i < f->n_sections; i++)
		free(f->sections[i].title);
	free(f->sections);
	free(f->fields);
	free(f->id);
	free(f->title);
	free(f);
}

const struct form_field *form_field_find(const struct form *f, const char *id)
{
	size_t i;

	for (i = 0; i < f->n_fields; i++)
		if (f->fields[i].id && strcmp(f->fields[i].id, id) == 0)
			return &f->fields[i];
	return NULL;
}

char *form_values_json(const struct form *f, char *const *values)
{
	struct json_object *o = json_object_new_object();
	size_t i;
	char *out;

	for (i = 0; i < f->n_fields; i++)
		json_object_object_add(o, f->fields[i].id,
		                       json_object_new_string(values[i] ? values[i] : ""));
	out = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                                    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return out;
}

const char *form_value(const struct form *f, char *const *values, const char *id)
{
	size_t i;

	for (i = 0; i < f->n_fields; i++)
		if (strcmp(f->fields[i].id, id) == 0)
			return values[i] ? values[i] : "";
	return "";
}
