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

/* "check_when": {"field": "id_type", "equals": "居民身份证"} */
static int parse_when(struct parse_ctx *pc, struct json_object *o, struct form_field *fld)
{
	struct json_object *w;

	if (!json_object_object_get_ex(o, "check_when", &w))
		return 0;
	if (!json_object_is_type(w, json_type_object))
		return fail(pc, "check_when",
		            "must be an object {\"field\": ..., \"equals\": ...}");
	if (get_str(pc, w, "field", true, NULL, &fld->when_field) < 0 ||
	    get_str(pc, w, "equals", true, NULL, &fld->when_equals) < 0)
		return -1;
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
	if (parse_when(pc, o, fld) < 0 ||
	    get_str(pc, o, "required_if", false, NULL, &fld->required_if) < 0)
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

/* Every check_when names a field of the form. */
static int check_when_targets(struct parse_ctx *pc, const struct form *f)
{
	size_t i;

	for (i = 0; i < f->n_fields; i++) {
		pc->field = f->fields[i].id;
		if (f->fields[i].when_field && form_field_find(f, f->fields[i].when_field) == NULL)
			return fail(pc, "check_when", "names a field the form does not have");
		if (f->fields[i].required_if &&
		    form_field_find(f, f->fields[i].required_if) == NULL)
			return fail(pc, "required_if", "names a field the form does not have");
	}
	pc->field = NULL;
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
	if (f->n_fields == 0) {
		fail(&pc, "sections", "the form has no fields");
		goto fail;
	}
	if (check_when_targets(&pc, f) < 0)
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
		free(fld->when_field);
		free(fld->when_equals);
		free(fld->required_if);
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

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void copy_field(struct form_field *to, const struct form_field *from, size_t section)
{
	size_t j;

	*to = *from;
	to->id = xstrdup(from->id);
	to->label = xstrdup(from->label);
	to->pattern = dup_or_null(from->pattern);
	to->pattern_msg = dup_or_null(from->pattern_msg);
	to->def = xstrdup(from->def);
	to->help = xstrdup(from->help);
	to->when_field = dup_or_null(from->when_field);
	to->when_equals = dup_or_null(from->when_equals);
	to->required_if = dup_or_null(from->required_if);
	to->choices = from->n_choices ? xcalloc(from->n_choices, sizeof *to->choices) : NULL;
	for (j = 0; j < from->n_choices; j++)
		to->choices[j] = xstrdup(from->choices[j]);
	to->section = section;
}

/* Append the sections and fields of src to f, skipping ids f already has. */
static void append_form(struct form *f, const struct form *src)
{
	size_t i, base = f->n_sections;

	f->sections =
	    xrealloc(f->sections, (f->n_sections + src->n_sections) * sizeof *f->sections);
	for (i = 0; i < src->n_sections; i++)
		f->sections[f->n_sections++].title = xstrdup(src->sections[i].title);
	f->fields = xrealloc(f->fields, (f->n_fields + src->n_fields + 1) * sizeof *f->fields);
	for (i = 0; i < src->n_fields; i++) {
		if (form_field_find(f, src->fields[i].id))
			continue;
		copy_field(&f->fields[f->n_fields++], &src->fields[i],
		           base + src->fields[i].section);
	}
}

struct form *form_concat(const struct form *a, const struct form *b)
{
	struct form *f = xcalloc(1, sizeof *f);

	f->id = xstrdup(a->id);
	f->title = xstrdup(a->title);
	append_form(f, a);
	if (b)
		append_form(f, b);
	return f;
}

/* form_check_in for a (possibly adjusted) copy of field i. */
static int form_check_in_field(const struct form *f, const struct form_field *fld,
                               char *const *values, size_t i, char *msg, size_t msglen)
{
	struct form_field plain;

	if (fld->when_field &&
	    strcmp(form_value(f, values, fld->when_field), fld->when_equals) != 0) {
		plain = *fld;
		plain.type = FT_TEXT;
		return form_field_check(&plain, values[i] ? values[i] : "", msg, msglen);
	}
	return form_field_check(fld, values[i] ? values[i] : "", msg, msglen);
}

int form_check_in(const struct form *f, size_t i, char *const *values, char *msg, size_t msglen)
{
	const struct form_field *fld = &f->fields[i];
	struct form_field plain;

	if (fld->required_if && !fld->required && form_value(f, values, fld->required_if)[0]) {
		plain = *fld;
		plain.required = true; /* e.g. an agent's ID once the agent is named */
		plain.required_if = NULL;
		return form_check_in_field(f, &plain, values, i, msg, msglen);
	}
	return form_check_in_field(f, fld, values, i, msg, msglen);
}

void values_free(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void form_normalize(const struct form_field *fld, char *value)
{
	char *p;

	if (fld->type != FT_IDCARD && fld->type != FT_USCC)
		return;
	for (p = value; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
}
