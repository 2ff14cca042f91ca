/*
 * catalogue.c - loading and checking the service-item catalogue (search:
 * catalogue_search.c).
 *
 * Parsing is strict because a wrong catalogue makes clerks demand the wrong
 * papers: every field is checked for presence, type, range and enum value,
 * unknown fields are refused (a typo like "promise_days" must not pass
 * silently), and the first problem is reported as
 * "file: item CODE: material ID: field NAME: what is wrong".
 */
#include "core/catalogue.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/pinyin.h"
#include "core/utf8.h"

#define MAX_DAYS   3650
#define MAX_VISITS 9
#define MAX_COPIES 99
#define MAX_CODE   64

/* Where the parser is, for error messages. */
struct ctx {
	const char *file;
	char where[192]; /* "item 000105001000: material m2" */
	struct err *e;
};

static const char *const item_types[] = {"行政许可",     "行政确认", "行政给付", "行政裁决",
                                         "行政奖励",     "行政征收", "行政备案", "公共服务",
                                         "其他行政权力", "其他"};
static const char *const need_names[] = {"必要", "非必要", "容缺后补"};
static const char *const form_parts[] = {"原件", "复印件", "电子"};

static const char *const item_fields[] = {
    "code",        "impl_code",  "name",       "sub_name",      "type",   "dept",
    "legal_basis", "conditions", "legal_days", "promised_days", "visits", "fee",
    "commitment",  "result",     "delivery",   "materials"};
static const char *const material_fields[] = {"id",   "name",   "form",       "copies",
                                              "need", "exempt", "commitable", "note"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool fail(struct ctx *x, const char *field, const char *fmt, ...) TB_PRINTF(3, 4);

/* Report a problem with field (NULL: with the item as a whole).  Always false. */
static bool fail(struct ctx *x, const char *field, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (field)
		err_set(x->e, "%s: %s: field %s: %s", x->file, x->where, field, what);
	else
		err_set(x->e, "%s: %s: %s", x->file, x->where, what);
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

/*
 * Fetch a string field into *out (caller-owned copy).  A missing optional
 * field gives "".  nonempty: "" is refused.
 */
static bool get_string(struct ctx *x, struct json_object *o, const char *field, bool required,
                       bool nonempty, char **out)
{
	struct json_object *v;
	const char *s;
	size_t len;

	if (!json_object_object_get_ex(o, field, &v)) {
		if (required)
			return fail(x, field, "missing");
		*out = xstrdup("");
		return true;
	}
	if (!json_object_is_type(v, json_type_string))
		return fail(x, field, "must be a string");
	s = json_object_get_string(v);
	len = (size_t)json_object_get_string_len(v);
	if (!check_text(x, field, s, len))
		return false;
	if (nonempty && len == 0)
		return fail(x, field, "must not be empty");
	*out = xstrdup(s);
	return true;
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

static bool get_code(struct ctx *x, struct json_object *o, const char *field, char **out)
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
	char *s = NULL;
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
	free(s);
	return ok;
}

static void set_where(struct ctx *x, const struct item *it, size_t index, const char *material,
                      size_t mindex)
{
	int n;

	if (it->code)
		n = snprintf(x->where, sizeof x->where, "item %s", it->code);
	else
		n = snprintf(x->where, sizeof x->where, "item #%zu", index + 1);
	if (mindex == 0 || n < 0 || (size_t)n >= sizeof x->where)
		return;
	if (material)
		snprintf(x->where + n, sizeof x->where - (size_t)n, ": material %s", material);
	else
		snprintf(x->where + n, sizeof x->where - (size_t)n, ": material #%zu", mindex);
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
	    !get_string(x, o, "note", false, false, &m->note))
		return false;
	if (m->commitable && !it->commitment)
		return fail(x, "commitable", "is true but the item's commitment is false");
	if (m->need == NEED_DEFERRABLE && !it->commitment)
		return fail(x, "need", "容缺后补 needs an item whose commitment is true");
	return true;
}

static bool parse_materials(struct ctx *x, struct json_object *o, struct item *it, size_t index)
{
	struct json_object *arr;
	size_t i, j, n;

	if (!json_object_object_get_ex(o, "materials", &arr))
		return fail(x, "materials", "missing");
	if (!json_object_is_type(arr, json_type_array))
		return fail(x, "materials", "must be an array");
	n = json_object_array_length(arr);
	if (n == 0)
		return fail(x, "materials", "must list at least one material");
	it->materials = xcalloc(n, sizeof *it->materials);
	it->n_materials = n;
	for (i = 0; i < n; i++) {
		set_where(x, it, index, NULL, i + 1);
		if (!parse_material(x, json_object_array_get_idx(arr, i), it, i, &it->materials[i]))
			return false;
		for (j = 0; j < i; j++) {
			if (strcmp(it->materials[j].id, it->materials[i].id) == 0)
				return fail(x, "id", "duplicate material id (also material #%zu)",
				            j + 1);
		}
	}
	return true;
}

static bool get_type(struct ctx *x, struct json_object *o, char **out)
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
	       parse_materials(x, o, it, index);
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

static bool parse_items(struct ctx *x, struct json_object *root, struct catalogue *c)
{
	struct json_object *arr;
	size_t i;

	snprintf(x->where, sizeof x->where, "top level");
	if (!json_object_is_type(root, json_type_object))
		return fail(x, NULL, "must be a JSON object {\"version\":…, \"items\":[…]}");
	if (!check_known_fields(x, root, (const char *const[]){"version", "items"}, 2) ||
	    !get_string(x, root, "version", true, true, &c->version))
		return false;
	if (!json_object_object_get_ex(root, "items", &arr))
		return fail(x, "items", "missing");
	if (!json_object_is_type(arr, json_type_array))
		return fail(x, "items", "must be an array");
	c->n_items = json_object_array_length(arr);
	c->items = xcalloc(c->n_items, sizeof *c->items);
	for (i = 0; i < c->n_items; i++) {
		if (!parse_item(x, json_object_array_get_idx(arr, i), i, &c->items[i]))
			return false;
	}
	return check_unique_codes(x, c);
}

/* Parse JSON text strictly; NULL with e filled ("file: not valid JSON: … at line L"). */
static struct json_object *parse_json(const char *json, size_t len, const char *file, struct err *e)
{
	struct json_tokener *tok;
	struct json_object *root;
	enum json_tokener_error jerr;
	size_t end, line = 1, i;

	if (len > INT_MAX) {
		err_set(e, "%s: file too large", file);
		return NULL;
	}
	tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, json, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (root && jerr == json_tokener_success)
		return root;
	json_object_put(root);
	for (i = 0; i < end && i < len; i++)
		line += json[i] == '\n';
	if (jerr == json_tokener_continue)
		err_set(e, "%s: not valid JSON: unexpected end of file", file);
	else
		err_set(e, "%s: not valid JSON: %s at line %zu", file,
		        json_tokener_error_desc(jerr), line);
	return NULL;
}

struct catalogue *catalogue_parse(const char *json, size_t len, const char *file, struct err *e)
{
	struct ctx x = {.file = file, .e = e};
	struct json_object *root = parse_json(json, len, file, e);
	struct catalogue *c;

	if (root == NULL)
		return NULL;
	c = xcalloc(1, sizeof *c);
	if (!parse_items(&x, root, c)) {
		catalogue_free(c);
		c = NULL;
	} else {
		catalogue_set_pinyin(c, NULL);
	}
	json_object_put(root);
	return c;
}

struct catalogue *catalogue_load(const char *path, const char *pinyin_path, struct err *e)
{
	size_t len;
	char *json = file_read_all(path, &len, CATALOGUE_MAX_FILE, e);
	struct pinyin_table *t;
	struct catalogue *c;

	if (json == NULL)
		return NULL;
	c = catalogue_parse(json, len, path, e);
	free(json);
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

static void material_free(struct material *m)
{
	free(m->id);
	free(m->name);
	free(m->form);
	free(m->note);
}

static void item_free(struct item *it)
{
	size_t i;

	free(it->code);
	free(it->impl_code);
	free(it->name);
	free(it->sub_name);
	free(it->type);
	free(it->dept);
	free(it->legal_basis);
	free(it->conditions);
	free(it->fee);
	free(it->result);
	free(it->delivery);
	for (i = 0; i < it->n_materials; i++)
		material_free(&it->materials[i]);
	free(it->materials);
}

void catalogue_free(struct catalogue *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n_items; i++)
		item_free(&c->items[i]);
	free(c->items);
	free(c->version);
	pinyin_free(c->pinyin);
	catalogue_index_free(c->index);
	free(c);
}

const struct item *catalogue_find(const struct catalogue *c, const char *code)
{
	size_t i;

	if (c == NULL || code == NULL)
		return NULL;
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
