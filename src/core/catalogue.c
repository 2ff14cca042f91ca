/*
 * catalogue.c - loading and checking the service-item catalogue (search:
 * catalogue_search.c).
 *
 * Parsing is strict because a wrong catalogue makes clerks demand the wrong
 * papers: every field is checked for presence, type, range and enum value,
 * unknown fields are refused (a typo like "promise_days" must not pass
 * silently), and the first problem is reported as
 * "file: item CODE: material ID: field NAME: what is wrong".
 *
 * The text is read an item at a time (struct src): each item's JSON is cut
 * out by a small scanner and parsed by json-c on its own, so a file of
 * 100,000 items is never a tree in memory.  Strings and material lists go
 * to the catalogue's pool (core/strpool.h), each kept once.
 */
#include "core/catalogue.h"

#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/bundle.h"
#include "core/pinyin.h"
#include "core/strpool.h"
#include "core/utf8.h"

#define MAX_DAYS   3650
#define MAX_VISITS 9
#define MAX_COPIES 99
#define MAX_CODE   64

/* Where the parser is, for error messages. */
struct ctx {
	const char *file;
	struct err *e;
	struct strpool *pool;
	/* where the parser is, written out only for an error (where_text) */
	bool top;
	const char *code, *material; /* the item's code, the material's id: may be NULL */
	size_t index, mindex;        /* the item's, from 0; the material's, from 1 (0: none) */
};

static const char *const item_types[] = {"行政许可",     "行政确认", "行政给付", "行政裁决",
                                         "行政奖励",     "行政征收", "行政备案", "公共服务",
                                         "其他行政权力", "其他"};
static const char *const need_names[] = {"必要", "非必要", "容缺后补"};
static const char *const form_parts[] = {"原件", "复印件", "电子"};

static const char *const item_fields[] = {
    "code",        "impl_code",   "name",       "sub_name",      "type",        "dept",
    "legal_basis", "conditions",  "legal_days", "promised_days", "visits",      "fee",
    "commitment",  "result",      "delivery",   "materials",     "joint_depts", "joint_rule",
    "region",      "region_name", "decide_hall"};
static const char *const material_fields[] = {"id",     "name",       "form", "copies", "need",
                                              "exempt", "commitable", "note", "ecert"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool fail(struct ctx *x, const char *field, const char *fmt, ...) TB_PRINTF(3, 4);

static void where_text(const struct ctx *x, char *out, size_t size);

/* Report a problem with field (NULL: with the item as a whole).  Always false. */
static bool fail(struct ctx *x, const char *field, const char *fmt, ...)
{
	char what[256], where[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	where_text(x, where, sizeof where);
	if (field)
		err_set(x->e, "%s: %s: field %s: %s", x->file, where, field, what);
	else
		err_set(x->e, "%s: %s: %s", x->file, where, what);
	return false;
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(s, list[i]) == 0)
			return true;
	}
	return false;
}

static bool check_known_fields(struct ctx *x, struct json_object *o, const char *const *known,
                               size_t n)
{
	size_t i, present = 0;

	/* the usual case in a few hash lookups: every field present is known */
	for (i = 0; i < n; i++)
		present += json_object_object_get_ex(o, known[i], NULL);
	if ((size_t)json_object_object_length(o) == present)
		return true;
	json_object_object_foreach(o, key, val)
	{
		(void)val;
		if (!in_list(key, known, n)) {
			if (!utf8_is_valid(key, strlen(key)))
				return fail(x, NULL, "unknown field (name not valid UTF-8)");
			return fail(x, key, "unknown field");
		}
	}
	return true;
}

/* Text a clerk will read: valid UTF-8, no NUL, no control characters but \n and \t. */
static bool check_text(struct ctx *x, const char *field, const char *s, size_t len)
{
	size_t i;

	if (strlen(s) != len)
		return fail(x, field, "contains a NUL character");
	if (!utf8_is_valid(s, len))
		return fail(x, field, "is not valid UTF-8");
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
			return fail(x, field, "contains control character 0x%02X", c);
	}
	return true;
}

/* v as text a clerk reads into *out (interned).  nonempty: "" is refused. */
static bool string_value(struct ctx *x, const char *field, struct json_object *v, bool nonempty,
                         const char **out)
{
	const char *s;
	size_t len;

	if (!json_object_is_type(v, json_type_string))
		return fail(x, field, "must be a string");
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (!check_text(x, field, s, len))
		return false;
	if (nonempty && len == 0)
		return fail(x, field, "must not be empty");
	*out = strpool_str(x->pool, s, len);
	return true;
}

/*
 * Fetch a string field into *out (interned in the catalogue's pool).  A
 * missing optional field gives "".  nonempty: "" is refused.
 */
static bool get_string(struct ctx *x, struct json_object *o, const char *field, bool required,
                       bool nonempty, const char **out)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, field, &v)) {
		if (required)
			return fail(x, field, "missing");
		*out = strpool_str(x->pool, "", 0);
		return true;
	}
	return string_value(x, field, v, nonempty, out);
}

static bool get_int(struct ctx *x, struct json_object *o, const char *field, int lo, int hi,
                    int *out)
{
	struct json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(o, field, &v))
		return fail(x, field, "missing");
	if (!json_object_is_type(v, json_type_int))
		return fail(x, field, "must be an integer %d..%d", lo, hi);
	n = json_object_get_int64(v);
	if (n < lo || n > hi)
		return fail(x, field, "must be an integer %d..%d", lo, hi);
	*out = (int)n;
	return true;
}

static bool get_bool(struct ctx *x, struct json_object *o, const char *field, bool required,
                     bool *out)
{
	struct json_object *v;

	*out = false;
	if (!json_object_object_get_ex(o, field, &v))
		return required ? fail(x, field, "missing") : true;
	if (!json_object_is_type(v, json_type_boolean))
		return fail(x, field, "must be true or false");
	*out = json_object_get_boolean(v);
	return true;
}

/* A code: 1..64 characters of [0-9A-Za-z._-]. */
static bool check_code(struct ctx *x, const char *field, const char *s)
{
	size_t i, len = strlen(s);

	if (len == 0 || len > MAX_CODE)
		return fail(x, field, "must be 1 to %d characters", MAX_CODE);
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      c == '.' || c == '_' || c == '-'))
			return fail(x, field, "may hold only letters, digits, '.', '_' and '-'");
	}
	return true;
}

static bool get_code(struct ctx *x, struct json_object *o, const char *field, const char **out)
{
	return get_string(x, o, field, true, true, out) && check_code(x, field, *out);
}

/* "原件", "复印件", "电子" or several of them joined by '+', each at most once. */
static bool check_form(struct ctx *x, const char *form)
{
	bool seen[COUNT(form_parts)] = {false};
	const char *p = form;

	for (;;) {
		size_t len = strcspn(p, "+"), i;

		for (i = 0; i < COUNT(form_parts); i++) {
			if (strlen(form_parts[i]) == len && memcmp(p, form_parts[i], len) == 0)
				break;
		}
		if (i == COUNT(form_parts) || seen[i])
			return fail(x, "form",
			            "must be 原件, 复印件 or 电子, or several of them joined by "
			            "'+' (\"原件+复印件\"), each once");
		seen[i] = true;
		if (p[len] == '\0')
			return true;
		p += len + 1;
	}
}

static bool get_need(struct ctx *x, struct json_object *o, enum material_need *need)
{
	const char *s = NULL;
	size_t i;
	bool ok = get_string(x, o, "need", true, false, &s);

	for (i = 0; ok && i < COUNT(need_names); i++) {
		if (strcmp(s, need_names[i]) == 0)
			break;
	}
	if (ok && i == COUNT(need_names))
		ok = fail(x, "need", "must be 必要, 非必要 or 容缺后补");
	if (ok)
		*need = (enum material_need)i;
	return ok;
}

/* The parser is at item index (its code so far), material mindex (from 1;
 * 0: the item itself) whose id is material (may be NULL). */
static void set_where(struct ctx *x, const struct item *it, size_t index, const char *material,
                      size_t mindex)
{
	x->top = false;
	x->code = it->code;
	x->index = index;
	x->material = material;
	x->mindex = mindex;
}

static void set_top(struct ctx *x)
{
	x->top = true;
}

/* "top level", "item 000105001000: material m2", "item #3: material #1" */
static void where_text(const struct ctx *x, char *out, size_t size)
{
	int n;

	if (x->top) {
		snprintf(out, size, "top level");
		return;
	}
	if (x->code)
		n = snprintf(out, size, "item %s", x->code);
	else
		n = snprintf(out, size, "item #%zu", x->index + 1);
	if (x->mindex == 0 || n < 0 || (size_t)n >= size)
		return;
	if (x->material)
		snprintf(out + n, size - (size_t)n, ": material %s", x->material);
	else
		snprintf(out + n, size - (size_t)n, ": material #%zu", x->mindex);
}

static bool parse_material(struct ctx *x, struct json_object *o, const struct item *it,
                           size_t index, struct material *m)
{
	if (!json_object_is_type(o, json_type_object))
		return fail(x, NULL, "must be a JSON object");
	if (!get_code(x, o, "id", &m->id))
		return false;
	set_where(x, it, 0, m->id, index + 1);
	if (!check_known_fields(x, o, material_fields, COUNT(material_fields)) ||
	    !get_string(x, o, "name", true, true, &m->name) ||
	    !get_string(x, o, "form", true, true, &m->form) || !check_form(x, m->form) ||
	    !get_int(x, o, "copies", 0, MAX_COPIES, &m->copies) || !get_need(x, o, &m->need) ||
	    !get_bool(x, o, "exempt", false, &m->exempt) ||
	    !get_bool(x, o, "commitable", false, &m->commitable) ||
	    !get_string(x, o, "note", false, false, &m->note) ||
	    !get_string(x, o, "ecert", false, false, &m->ecert))
		return false;
	if (m->ecert[0] != '\0' && !m->exempt)
		return fail(x, "ecert", "names an e-certificate but the material is not exempt");
	if (m->commitable && !it->commitment)
		return fail(x, "commitable", "is true but the item's commitment is false");
	if (m->need == NEED_DEFERRABLE && !it->commitment)
		return fail(x, "need", "容缺后补 needs an item whose commitment is true");
	return true;
}

static bool parse_material_list(struct ctx *x, struct json_object *arr, const struct item *it,
                                size_t index, struct material *m, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		set_where(x, it, index, NULL, i + 1);
		if (!parse_material(x, json_object_array_get_idx(arr, i), it, i, &m[i]))
			return false;
		for (j = 0; j < i; j++) {
			if (strcmp(m[j].id, m[i].id) == 0)
				return fail(x, "id", "duplicate material id (also material #%zu)",
				            j + 1);
		}
	}
	return true;
}

/* The list is parsed into zeroed memory (its padding too), so that the
 * same materials are the same bytes and the pool keeps them once. */
static bool parse_materials(struct ctx *x, struct json_object *o, struct item *it, size_t index)
{
	struct json_object *arr;
	struct material *m;
	size_t n;
	bool ok;

	if (!json_object_object_get_ex(o, "materials", &arr))
		return fail(x, "materials", "missing");
	if (!json_object_is_type(arr, json_type_array))
		return fail(x, "materials", "must be an array");
	n = json_object_array_length(arr);
	if (n == 0)
		return fail(x, "materials", "must list at least one material");
	m = xcalloc(n, sizeof *m);
	ok = parse_material_list(x, arr, it, index, m, n);
	if (ok) {
		it->materials =
		    strpool_intern(x->pool, m, n * sizeof *m, _Alignof(struct material));
		it->n_materials = n;
	}
	free(m);
	return ok;
}

static bool get_type(struct ctx *x, struct json_object *o, const char **out)
{
	if (!get_string(x, o, "type", true, true, out))
		return false;
	if (!in_list(*out, item_types, COUNT(item_types)))
		return fail(x, "type",
		            "must be one of 行政许可, 行政确认, 行政给付, 行政裁决, 行政奖励, "
		            "行政征收, 行政备案, 公共服务, 其他行政权力, 其他");
	return true;
}

static bool get_days(struct ctx *x, struct json_object *o, struct item *it)
{
	if (!get_int(x, o, "legal_days", 0, MAX_DAYS, &it->legal_days) ||
	    !get_int(x, o, "promised_days", 0, MAX_DAYS, &it->promised_days))
		return false;
	if (it->promised_days > it->legal_days)
		return fail(x, "promised_days", "%d exceeds legal_days (%d)", it->promised_days,
		            it->legal_days);
	return true;
}

/* joint_depts: at least two departments, each named once, kept one a
 * line; joint_rule "all" (the default) or "partial" with them. */
static bool get_joint(struct ctx *x, struct json_object *o, struct item *it)
{
	struct json_object *arr;
	char *text;
	size_t i, j, n, len = 0;

	it->joint_depts = it->joint_rule = strpool_str(x->pool, "", 0);
	if (!json_object_object_get_ex(o, "joint_depts", &arr))
		return !json_object_object_get_ex(o, "joint_rule", NULL) ||
		       fail(x, "joint_rule", "only with joint_depts");
	n = json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;
	if (n < 2)
		return fail(x, "joint_depts", "must be an array of at least two departments");
	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);
		const char *d =
		    json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;

		if (d == NULL || *d == '\0' || strchr(d, '\n') != NULL)
			return fail(x, "joint_depts", "#%zu must be a department's name", i + 1);
		for (j = 0; j < i; j++)
			if (strcmp(d, json_object_get_string(json_object_array_get_idx(arr, j))) ==
			    0)
				return fail(x, "joint_depts", "%s is named twice", d);
		len += strlen(d) + 1;
	}
	text = xmalloc(len);
	for (i = 0, len = 0; i < n; i++) {
		const char *d = json_object_get_string(json_object_array_get_idx(arr, i));

		memcpy(text + len, d, strlen(d));
		len += strlen(d);
		text[len++] = i + 1 < n ? '\n' : '\0';
	}
	it->joint_depts = strpool_str(x->pool, text, len - 1);
	free(text);
	if (!get_string(x, o, "joint_rule", false, false, &it->joint_rule))
		return false;
	if (*it->joint_rule == '\0')
		it->joint_rule = strpool_str(x->pool, "all", 3);
	if (strcmp(it->joint_rule, "all") != 0 && strcmp(it->joint_rule, "partial") != 0)
		return fail(x, "joint_rule", "must be all or partial");
	return true;
}

size_t item_joint_count(const struct item *it)
{
	const char *p = it->joint_depts;
	size_t n;

	if (p == NULL || *p == '\0')
		return 0;
	for (n = 1; (p = strchr(p, '\n')) != NULL; p++)
		n++;
	return n;
}

const char *item_joint_dept(const struct item *it, size_t i, char *buf, size_t n)
{
	const char *p = it->joint_depts, *end;

	if (p == NULL || *p == '\0')
		return NULL;
	for (; i > 0; i--) {
		p = strchr(p, '\n');
		if (p == NULL)
			return NULL;
		p++;
	}
	end = strchr(p, '\n');
	if (end == NULL)
		end = p + strlen(p);
	snprintf(buf, n, "%.*s", (int)(end - p), p);
	return buf;
}

static bool get_region(struct ctx *x, struct json_object *o, struct item *it)
{
	return get_string(x, o, "region", false, false, &it->region) &&
	       get_string(x, o, "region_name", false, false, &it->region_name) &&
	       get_string(x, o, "decide_hall", false, false, &it->decide_hall) &&
	       (*it->region == '\0' || *it->region_name != '\0' ||
	        fail(x, "region_name", "missing (the region %s needs its name)", it->region));
}

static bool parse_item(struct ctx *x, struct json_object *o, size_t index, struct item *it)
{
	set_where(x, it, index, NULL, 0);
	if (!json_object_is_type(o, json_type_object))
		return fail(x, NULL, "must be a JSON object");
	if (!get_code(x, o, "code", &it->code))
		return false;
	set_where(x, it, index, NULL, 0);
	return check_known_fields(x, o, item_fields, COUNT(item_fields)) &&
	       get_code(x, o, "impl_code", &it->impl_code) &&
	       get_string(x, o, "name", true, true, &it->name) &&
	       get_string(x, o, "sub_name", false, false, &it->sub_name) &&
	       get_type(x, o, &it->type) && get_string(x, o, "dept", true, true, &it->dept) &&
	       get_string(x, o, "legal_basis", true, true, &it->legal_basis) &&
	       get_string(x, o, "conditions", true, true, &it->conditions) && get_days(x, o, it) &&
	       get_int(x, o, "visits", 0, MAX_VISITS, &it->visits) &&
	       get_string(x, o, "fee", true, true, &it->fee) &&
	       get_bool(x, o, "commitment", true, &it->commitment) &&
	       get_string(x, o, "result", true, true, &it->result) &&
	       get_string(x, o, "delivery", true, true, &it->delivery) &&
	       parse_materials(x, o, it, index) && get_joint(x, o, it) && get_region(x, o, it);
}

/* One code of one item, for the uniqueness check. */
struct code_ref {
	const char *code;
	const char *field;
	size_t item;
};

static int code_ref_cmp(const void *a, const void *b)
{
	const struct code_ref *p = a, *q = b;
	int c = strcmp(p->code, q->code);

	if (c)
		return c;
	return p->item < q->item ? -1 : p->item > q->item;
}

/* Every code and implementation code names one item only. */
static bool check_unique_codes(struct ctx *x, const struct catalogue *c)
{
	struct code_ref *refs = xmalloc(2 * c->n_items * sizeof *refs + 1);
	size_t i, n = 0;
	bool ok = true;

	for (i = 0; i < c->n_items; i++) {
		refs[n++] = (struct code_ref){c->items[i].code, "code", i};
		if (strcmp(c->items[i].impl_code, c->items[i].code) != 0)
			refs[n++] = (struct code_ref){c->items[i].impl_code, "impl_code", i};
	}
	qsort(refs, n, sizeof *refs, code_ref_cmp);
	for (i = 1; i < n && ok; i++) {
		if (strcmp(refs[i].code, refs[i - 1].code) == 0) {
			set_where(x, &c->items[refs[i].item], refs[i].item, NULL, 0);
			ok = fail(x, refs[i].field, "%s is already used by item #%zu", refs[i].code,
			          refs[i - 1].item + 1);
		}
	}
	free(refs);
	return ok;
}

/* ---- reading the text an item at a time ---- */

#define SRC_CHUNK (64u * 1024)

/* Where the text comes from: all of it in memory, or a file read a chunk at
 * a time. */
struct src {
	const char *p; /* the text, or the chunk read last */
	size_t len, at;
	FILE *f; /* NULL: p is the whole text */
	char *chunk;
	size_t total, max; /* bytes read from f, and the most allowed */
	size_t line;       /* of p[at] */
	bool too_large, read_error;
};

/* Whether there is a character at s->at, reading the next chunk if need be. */
static bool src_fill(struct src *s)
{
	size_t n;

	if (s->at < s->len)
		return true;
	if (s->f == NULL || s->too_large || s->read_error)
		return false;
	n = fread(s->chunk, 1, SRC_CHUNK, s->f);
	if (n == 0) {
		s->read_error = ferror(s->f) != 0;
		return false;
	}
	s->total += n;
	if (s->total > s->max) {
		s->too_large = true;
		return false;
	}
	s->p = s->chunk;
	s->len = n;
	s->at = 0;
	return true;
}

static int src_peek(struct src *s)
{
	return src_fill(s) ? (unsigned char)s->p[s->at] : EOF;
}

static void src_skip(struct src *s)
{
	s->line += s->p[s->at] == '\n';
	s->at++;
}

/* Skip JSON white space; the character after it (EOF at the end). */
static int src_skip_ws(struct src *s)
{
	int c;

	while ((c = src_peek(s)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		src_skip(s);
	return c;
}

/* Where a value that is not a string, object or array ends. */
static bool ends_scalar(char c)
{
	return c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* How far a value is scanned. */
struct scan {
	int depth;
	bool in_string, escaped, scalar, done;
};

/* How many bytes of p[0..n) are inside the string, before its quote or a
 * backslash. */
static size_t string_run(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && p[i] != '"' && p[i] != '\\')
		i++;
	return i;
}

/* Scan p[0..n) of the value; how many bytes belong to it. */
static size_t scan_part(struct scan *v, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && !v->done; i++) {
		char c = p[i];

		if (v->scalar && ends_scalar(c)) {
			v->done = true;
			return i;
		}
		if (v->in_string) {
			if (v->escaped)
				v->escaped = false;
			else if (c == '\\')
				v->escaped = true;
			else if (c == '"')
				v->in_string = false, v->done = v->depth == 0;
			else
				i += string_run(p + i, n - i) - 1;
		} else if (c == '"') {
			v->in_string = true;
		} else if (c == '{' || c == '[') {
			v->depth++;
		} else if (c == '}' || c == ']') {
			v->done = --v->depth <= 0;
		}
	}
	return i;
}

static size_t count_lines(const char *p, size_t n)
{
	const char *end = p + n;
	size_t lines = 0;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lines++;
		p++;
	}
	return lines;
}

/*
 * Copy the JSON value at s into out, not decoded: an object or array to its
 * closing bracket, a string to its closing quote, anything else up to the
 * character after it (json-c then says whether it is JSON).  false when the
 * text ends first.
 */
static bool take_value(struct src *s, struct buf *out)
{
	int first = src_peek(s);
	struct scan v = {.scalar = first != '{' && first != '[' && first != '"'};

	out->len = 0;
	if (out->data)
		out->data[0] = '\0';
	while (!v.done && src_fill(s)) {
		size_t n = scan_part(&v, s->p + s->at, s->len - s->at);

		buf_add(out, s->p + s->at, n);
		s->line += count_lines(s->p + s->at, n);
		s->at += n;
	}
	return v.done || (v.scalar && out->len > 0 && !s->too_large && !s->read_error);
}

/* What stopped the text: too large, unreadable, or its end. */
static bool text_ended(struct ctx *x, const struct src *s)
{
	if (s->too_large)
		err_set(x->e, "%s: file larger than %zu bytes", x->file, s->max);
	else if (s->read_error)
		err_set(x->e, "%s: read error", x->file);
	else
		err_set(x->e, "%s: not valid JSON: unexpected end of file", x->file);
	return false;
}

/* Not what JSON allows at s: always false. */
static bool syntax_error(struct ctx *x, struct src *s, const char *expected)
{
	int c = src_peek(s);

	if (c == EOF)
		return text_ended(x, s);
	err_set(x->e, "%s: not valid JSON: expected %s at line %zu", x->file, expected,
	        s->line + 1);
	return false;
}

/* The JSON value at s, parsed strictly by json-c; NULL with e filled
 * ("file: not valid JSON: … at line L").  b and tok are scratch. */
static struct json_object *next_value(struct ctx *x, struct src *s, struct buf *b,
                                      struct json_tokener *tok)
{
	struct json_object *o;
	enum json_tokener_error jerr;
	size_t line, end, i;

	src_skip_ws(s);
	line = s->line + 1;
	if (!take_value(s, b)) {
		text_ended(x, s);
		return NULL;
	}
	if (b->len == 0 || b->len >= INT_MAX) {
		syntax_error(x, s, "a value");
		return NULL;
	}
	json_tokener_reset(tok);
	/* the NUL after the text ends a number or a literal */
	o = json_tokener_parse_ex(tok, b->data, (int)b->len + 1);
	if (o && (jerr = json_tokener_get_error(tok)) == json_tokener_success)
		return o;
	jerr = json_tokener_get_error(tok);
	json_object_put(o);
	end = json_tokener_get_parse_end(tok);
	for (i = 0; i < end && i < b->len; i++)
		line += b->data[i] == '\n';
	err_set(x->e, "%s: not valid JSON: %s at line %zu", x->file, json_tokener_error_desc(jerr),
	        line);
	return NULL;
}

/* The reading of one catalogue: the text, json-c's scratch, what was seen. */
struct reader {
	struct ctx x;
	struct src *s;
	struct buf b;
	struct json_tokener *tok;
	struct catalogue *c;
	size_t cap; /* room in c->items */
	bool seen_version, seen_items, seen_bundles;
};

static bool read_item(struct reader *r)
{
	struct catalogue *c = r->c;
	struct json_object *o = next_value(&r->x, r->s, &r->b, r->tok);
	struct item *it;
	bool ok;

	if (o == NULL)
		return false;
	if (c->n_items == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		c->items = xrealloc(c->items, r->cap * sizeof *c->items);
	}
	it = &c->items[c->n_items];
	memset(it, 0, sizeof *it);
	ok = parse_item(&r->x, o, c->n_items, it);
	c->n_items++;
	json_object_put(o);
	return ok;
}

/* "items": [ item, … ] */
static bool read_items(struct reader *r)
{
	struct src *s = r->s;

	if (src_skip_ws(s) != '[') {
		struct json_object *o = next_value(&r->x, s, &r->b, r->tok);

		json_object_put(o);
		return o && fail(&r->x, "items", "must be an array");
	}
	src_skip(s);
	if (src_skip_ws(s) == ']') {
		src_skip(s);
		return true;
	}
	for (;;) {
		int c;

		if (!read_item(r))
			return false;
		if ((c = src_skip_ws(s)) == ']') {
			src_skip(s);
			return true;
		}
		if (c != ',')
			return syntax_error(&r->x, s, "',' or ']' after an item");
		src_skip(s);
	}
}

static bool read_version(struct reader *r)
{
	struct json_object *o = next_value(&r->x, r->s, &r->b, r->tok);
	const char *v;
	bool ok;

	if (o == NULL)
		return false;
	ok = string_value(&r->x, "version", o, true, &v);
	if (ok)
		r->c->version = xstrdup(v);
	json_object_put(o);
	return ok;
}

/* "bundles": [ bundle, … ] (core/bundle.h), resolved once the items are in. */
static bool read_bundles(struct reader *r)
{
	struct json_object *o = next_value(&r->x, r->s, &r->b, r->tok);

	if (o == NULL)
		return false;
	r->c->bundles = bundle_set_parse(o, r->x.e);
	json_object_put(o);
	if (r->c->bundles == NULL)
		err_prefix(r->x.e, "%s: ", r->x.file);
	return r->c->bundles != NULL;
}

/* One field of the top level, its name read. */
static bool read_field(struct reader *r, const char *name)
{
	bool *seen = strcmp(name, "items") == 0     ? &r->seen_items
	             : strcmp(name, "version") == 0 ? &r->seen_version
	             : strcmp(name, "bundles") == 0 ? &r->seen_bundles
	                                            : NULL;

	if (seen == NULL) {
		if (!utf8_is_valid(name, strlen(name)))
			return fail(&r->x, NULL, "unknown field (name not valid UTF-8)");
		return fail(&r->x, name, "unknown field");
	}
	if (*seen)
		return fail(&r->x, name, "given twice");
	*seen = true;
	if (seen == &r->seen_bundles)
		return read_bundles(r);
	return seen == &r->seen_items ? read_items(r) : read_version(r);
}

/* "name": value */
static bool read_member(struct reader *r)
{
	struct json_object *key;
	bool ok;

	if (src_skip_ws(r->s) != '"')
		return syntax_error(&r->x, r->s, "a field name");
	if ((key = next_value(&r->x, r->s, &r->b, r->tok)) == NULL)
		return false;
	ok = src_skip_ws(r->s) == ':';
	if (!ok)
		syntax_error(&r->x, r->s, "':'");
	else {
		char *name = xstrdup(json_object_get_string(key));

		src_skip(r->s);
		json_object_put(key);
		key = NULL;
		ok = read_field(r, name);
		free(name);
	}
	json_object_put(key);
	return ok;
}

/* A value that is not an object at the top: JSON, or not. */
static bool read_not_object(struct reader *r)
{
	struct json_object *o = next_value(&r->x, r->s, &r->b, r->tok);

	json_object_put(o);
	if (o == NULL)
		return false;
	if (src_skip_ws(r->s) != EOF)
		return syntax_error(&r->x, r->s, "the end of the file");
	return fail(&r->x, NULL, "must be a JSON object {\"version\":…, \"items\":[…]}");
}

/* { "version": …, "items": [ … ] } and nothing after it. */
static bool read_top(struct reader *r)
{
	struct src *s = r->s;
	int c;

	set_top(&r->x);
	if (src_skip_ws(s) != '{')
		return read_not_object(r);
	src_skip(s);
	if (src_skip_ws(s) == '}')
		src_skip(s);
	else
		for (;;) {
			if (!read_member(r))
				return false;
			set_top(&r->x);
			if ((c = src_skip_ws(s)) == '}') {
				src_skip(s);
				break;
			}
			if (c != ',')
				return syntax_error(&r->x, s, "',' or '}'");
			src_skip(s);
		}
	if (src_skip_ws(s) != EOF || s->too_large || s->read_error)
		return syntax_error(&r->x, s, "the end of the file");
	if (!r->seen_version)
		return fail(&r->x, "version", "missing");
	if (!r->seen_items)
		return fail(&r->x, "items", "missing");
	return check_unique_codes(&r->x, r->c);
}

/* Read a catalogue from s; NULL with e filled. */
static struct catalogue *read_catalogue(struct src *s, const char *file, struct err *e)
{
	struct reader r = {.s = s};
	struct catalogue *c = xcalloc(1, sizeof *c);
	bool ok;

	c->pool = strpool_new();
	r.x = (struct ctx){.file = file, .e = e, .pool = c->pool};
	r.c = c;
	buf_init(&r.b);
	r.tok = json_tokener_new();
	json_tokener_set_flags(r.tok, JSON_TOKENER_STRICT);
	ok = read_top(&r);
	json_tokener_free(r.tok);
	buf_free(&r.b);
	strpool_forget(c->pool);
	if (!ok) {
		catalogue_free(c);
		return NULL;
	}
	if (c->n_items < r.cap)
		c->items = xrealloc(c->items, (c->n_items ? c->n_items : 1) * sizeof *c->items);
	catalogue_set_pinyin(c, NULL);
	if (bundle_set_resolve(c->bundles, c, e) < 0) {
		err_prefix(e, "%s: ", file);
		catalogue_free(c);
		return NULL;
	}
	return c;
}

struct catalogue *catalogue_parse(const char *json, size_t len, const char *file, struct err *e)
{
	struct src s = {.p = json, .len = len};

	return read_catalogue(&s, file, e);
}

struct catalogue *catalogue_read(FILE *f, const char *file, struct err *e)
{
	struct src s = {.max = CATALOGUE_MAX_FILE, .f = f};
	struct catalogue *c;

	s.chunk = xmalloc(SRC_CHUNK);
	c = read_catalogue(&s, file, e);
	free(s.chunk);
	return c;
}

struct catalogue *catalogue_load(const char *path, const char *pinyin_path, struct err *e)
{
	struct pinyin_table *t;
	struct catalogue *c;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL) {
		err_set(e, "%s: %s", path, strerror(errno));
		return NULL;
	}
	c = catalogue_read(f, path, e);
	fclose(f);
	if (c == NULL || pinyin_path == NULL)
		return c;
	t = pinyin_load(pinyin_path, e);
	if (t == NULL) {
		catalogue_free(c);
		return NULL;
	}
	catalogue_set_pinyin(c, t);
	return c;
}

void catalogue_free(struct catalogue *c)
{
	if (c == NULL)
		return;
	bundle_set_free(c->bundles);
	free(c->items);
	free(c->version);
	pinyin_free(c->pinyin);
	catalogue_index_free(c->index);
	strpool_free(c->pool);
	free(c);
}

const struct item *catalogue_find(const struct catalogue *c, const char *code)
{
	size_t i;

	if (c == NULL || code == NULL)
		return NULL;
	if (c->index != NULL)
		return catalogue_index_find(c, code);
	for (i = 0; i < c->n_items; i++) {
		if (strcmp(c->items[i].code, code) == 0 || strcmp(c->items[i].impl_code, code) == 0)
			return &c->items[i];
	}
	return NULL;
}

const struct material *item_find_material(const struct item *it, const char *id)
{
	size_t i;

	for (i = 0; i < it->n_materials; i++) {
		if (strcmp(it->materials[i].id, id) == 0)
			return &it->materials[i];
	}
	return NULL;
}

const char *material_need_label(enum material_need need)
{
	return (size_t)need < COUNT(need_names) ? need_names[need] : "?";
}
