/* bundle.c - 一件事一次办: bundles of items, their union and their decision. */
#include "core/bundle.h"

#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/i18n.h"
#include "core/notice.h"
#include "core/pinyin.h"

const struct decision *const bundle_decisions[] = {&decision_accept, &decision_notice, NULL};

/* ---- reading ------------------------------------------------------------------ */

static const char *get_string(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static bool known_keys(struct json_object *o, char *bad, size_t n)
{
	static const char *const keys[] = {"code", "name", "items", "source", NULL};

	json_object_object_foreach(o, key, val)
	{
		size_t i;

		(void)val;
		for (i = 0; keys[i] && strcmp(keys[i], key) != 0; i++)
			;
		if (keys[i] == NULL) {
			str_copy(bad, n, key);
			return false;
		}
	}
	return true;
}

static int parse_one(struct bundle *b, struct json_object *o, size_t at, struct err *e)
{
	struct json_object *list;
	const char *code = get_string(o, "code"), *name = get_string(o, "name");
	char bad[64];
	size_t i, n;

	if (!json_object_is_type(o, json_type_object)) {
		err_set(e, "bundles: #%zu: must be an object", at + 1);
		return -1;
	}
	if (!known_keys(o, bad, sizeof bad)) {
		err_set(e, "bundles: #%zu: field %s: unknown field", at + 1, bad);
		return -1;
	}
	if (code == NULL || !code[0] || name == NULL || !name[0]) {
		err_set(e, "bundles: #%zu: field %s: must be a non-empty string", at + 1,
		        code == NULL || !code[0] ? "code" : "name");
		return -1;
	}
	if (!json_object_object_get_ex(o, "items", &list) ||
	    !json_object_is_type(list, json_type_array) ||
	    (n = json_object_array_length(list)) < 2 || n > BUNDLE_MAX_ITEMS) {
		err_set(e, "bundles: %s: field items: must be an array of 2 to %d item codes", code,
		        BUNDLE_MAX_ITEMS);
		return -1;
	}
	b->code = xstrdup(code);
	b->name = xstrdup(name);
	b->source = xstrdup(get_string(o, "source") ? get_string(o, "source") : "");
	b->codes = xcalloc(n, sizeof *b->codes);
	for (i = 0; i < n; i++) {
		struct json_object *c = json_object_array_get_idx(list, i);

		if (!json_object_is_type(c, json_type_string)) {
			err_set(e, "bundles: %s: field items: #%zu must be a string", code, i + 1);
			return -1;
		}
		b->codes[b->n_items++] = xstrdup(json_object_get_string(c));
	}
	return 0;
}

struct bundle_set *bundle_set_parse(struct json_object *o, struct err *e)
{
	struct bundle_set *s;
	size_t i, n;

	if (!json_object_is_type(o, json_type_array)) {
		err_set(e, "bundles: must be an array");
		return NULL;
	}
	n = json_object_array_length(o);
	s = xcalloc(1, sizeof *s);
	s->b = xcalloc(n ? n : 1, sizeof *s->b);
	for (i = 0; i < n; i++) {
		s->n++;
		if (parse_one(&s->b[i], json_object_array_get_idx(o, i), i, e) < 0) {
			bundle_set_free(s);
			return NULL;
		}
	}
	return s;
}

/* ---- the union ------------------------------------------------------------------- */

/* "a、b、c" of each part's field (distinct values only). */
static char *join_distinct(const struct bundle *b, size_t offset, bool shown)
{
	struct strbuf {
		char *p;
		size_t len;
	} out = {xstrdup(""), 0};
	size_t i, j;

	for (i = 0; i < b->n_items; i++) {
		const char *v = *(const char *const *)((const char *)b->items[i] + offset);
		bool seen = false;
		char *next;

		for (j = 0; j < i && !seen; j++)
			seen =
			    strcmp(v, *(const char *const *)((const char *)b->items[j] + offset)) ==
			    0;
		if (seen || !v[0])
			continue;
		/* shown: in the clerk's language (the data's English when it is English) */
		next = xasprintf("%s%s%s", out.p, out.len ? (shown ? _(", ") : "、") : "",
		                 shown ? i18n_data(v) : v);
		free(out.p);
		out.p = next;
		out.len = strlen(next);
	}
	return out.p;
}

/* The union's materials: each name once, required if any part requires it,
 * exempt if any part obtains it by sharing, committable only if all allow. */
static void build_materials(struct bundle *b)
{
	struct material *u = NULL;
	size_t n = 0, cap = 0, i, k, j;

	b->map = xcalloc(b->n_items, sizeof *b->map);
	for (i = 0; i < b->n_items; i++) {
		const struct item *it = b->items[i];

		b->map[i] = xcalloc(it->n_materials ? it->n_materials : 1, sizeof **b->map);
		for (k = 0; k < it->n_materials; k++) {
			const struct material *m = &it->materials[k];

			for (j = 0; j < n && strcmp(u[j].name, m->name) != 0; j++)
				;
			if (j == n) {
				if (n == cap) {
					cap = cap ? cap * 2 : 16;
					u = xrealloc(u, cap * sizeof *u);
				}
				u[n] = *m;
				u[n].id = xasprintf("u%zu", n + 1);
				n++;
			} else {
				if (m->need == NEED_REQUIRED)
					u[j].need = NEED_REQUIRED;
				u[j].exempt = u[j].exempt || m->exempt;
				u[j].commitable = u[j].commitable && m->commitable;
			}
			b->map[i][k] = j;
		}
	}
	b->item.materials = u;
	b->item.n_materials = n;
}

static void build_item(struct bundle *b)
{
	struct item *it = &b->item;
	size_t i;
	bool free_of_charge = true;
	char *names = join_distinct(b, offsetof(struct item, name), true);

	it->code = b->code;
	it->impl_code = b->code;
	it->name = b->name;
	it->sub_name = "一件事";
	it->type = "一件事";
	it->dept = join_distinct(b, offsetof(struct item, dept), true);
	it->legal_basis = join_distinct(b, offsetof(struct item, legal_basis), false);
	it->conditions = xasprintf(
	    _("one form, one submission, each item decided by its department: %s"), names);
	free(names);
	it->result = join_distinct(b, offsetof(struct item, result), false);
	it->delivery = join_distinct(b, offsetof(struct item, delivery), false);
	for (i = 0; i < b->n_items; i++) {
		const struct item *p = b->items[i];

		if (p->legal_days > it->legal_days)
			it->legal_days = p->legal_days;
		if (p->promised_days > it->promised_days)
			it->promised_days = p->promised_days;
		if (p->visits > it->visits)
			it->visits = p->visits;
		free_of_charge = free_of_charge && strncmp(p->fee, "不收费", strlen("不收费")) == 0;
	}
	it->fee = xstrdup(free_of_charge ? "不收费" : "按各事项规定收费");
	it->commitment = false;
	/* one department each, all of the home region */
	it->joint_depts = "";
	it->joint_rule = "";
	it->region = "";
	it->region_name = "";
	it->decide_hall = "";
	build_materials(b);
}

int bundle_set_resolve(struct bundle_set *s, const struct catalogue *c, struct err *e)
{
	size_t i, j, k;

	for (i = 0; s && i < s->n; i++) {
		struct bundle *b = &s->b[i];

		if (catalogue_find(c, b->code) || bundle_find(s, b->code) != b) {
			err_set(e, "bundles: %s: field code: taken by another item or bundle",
			        b->code);
			return -1;
		}
		b->items = xcalloc(b->n_items, sizeof *b->items);
		for (j = 0; j < b->n_items; j++) {
			if ((b->items[j] = catalogue_find(c, b->codes[j])) == NULL) {
				err_set(
				    e,
				    "bundles: %s: field items: %s is not an item of the catalogue",
				    b->code, b->codes[j]);
				return -1;
			}
			for (k = 0; k < j; k++)
				if (b->items[k] == b->items[j]) {
					err_set(e, "bundles: %s: field items: %s given twice",
					        b->code, b->codes[j]);
					return -1;
				}
		}
		build_item(b);
	}
	return 0;
}

static void bundle_free(struct bundle *b)
{
	size_t i;

	for (i = 0; i < b->n_items; i++) {
		free(b->codes[i]);
		if (b->map)
			free(b->map[i]);
	}
	for (i = 0; i < b->item.n_materials; i++)
		free((char *)b->item.materials[i].id);
	free((struct material *)b->item.materials);
	free((char *)b->item.dept);
	free((char *)b->item.legal_basis);
	free((char *)b->item.conditions);
	free((char *)b->item.result);
	free((char *)b->item.delivery);
	free((char *)b->item.fee);
	free(b->map);
	free(b->codes);
	free(b->items);
	free(b->code);
	free(b->name);
	free(b->source);
}

void bundle_set_free(struct bundle_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		bundle_free(&s->b[i]);
	free(s->b);
	free(s);
}

const struct bundle *bundle_find(const struct bundle_set *s, const char *code)
{
	size_t i;

	for (i = 0; s && code && i < s->n; i++)
		if (strcmp(s->b[i].code, code) == 0)
			return &s->b[i];
	return NULL;
}

const struct bundle *bundle_of_item(const struct bundle_set *s, const struct item *it)
{
	size_t i;

	for (i = 0; s && i < s->n; i++)
		if (&s->b[i].item == it)
			return &s->b[i];
	return NULL;
}

size_t bundle_search(const struct bundle_set *s, const struct pinyin_table *t, const char *query,
                     const struct bundle **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; s && i < s->n; i++) {
		const struct bundle *b = &s->b[i];

		if (query[0] && !strstr(b->code, query) && !strstr(b->name, query) &&
		    !pinyin_match_initials(t, b->name, query))
			continue;
		if (n < max)
			out[n] = b;
		n++;
	}
	return n;
}

void bundle_split(const struct bundle *b, const struct checklist *u, size_t i,
                  struct checklist *out)
{
	size_t k;

	checklist_init(out, b->items[i]);
	for (k = 0; k < out->n; k++)
		out->m[k] = u->m[b->map[i][k]];
}

void bundle_merge(const struct bundle *b, const struct checklist *part, size_t i,
                  struct checklist *u)
{
	size_t k;

	for (k = 0; k < part->n && k < b->items[i]->n_materials; k++)
		if (part->m[k].status != MS_UNCHECKED)
			u->m[b->map[i][k]] = part->m[k];
}

/* ---- the decision ---------------------------------------------------------------- */

/* The input of the whole bundle: the union item and checklist, the first
 * part standing for the case. */
static void union_input(const struct decision *d, const struct bundle_input *in,
                        struct decision_input *u)
{
	(void)d;
	memset(u, 0, sizeof *u);
	u->env = in->env;
	u->item = &in->b->item;
	u->kase = &in->parts[0];
	u->cl = in->cl;
	u->first = in->first;
	u->supplement = in->supplement;
	u->has_agent = in->has_agent;
	u->note = in->note;
}

static char *bundle_json(const struct bundle_input *in, size_t i)
{
	struct json_object *o = json_object_new_object();
	char *text;

	json_object_object_add(o, "id", json_object_new_string(in->bundle_id));
	json_object_object_add(o, "code", json_object_new_string(in->b->code));
	json_object_object_add(o, "name", json_object_new_string(in->b->name));
	json_object_object_add(o, "part", json_object_new_int((int)i + 1));
	json_object_object_add(o, "parts", json_object_new_int((int)in->b->n_items));
	text = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return text;
}

/* Each part: its id and number (new), its events and marks. */
static int build_parts(const struct decision *d, struct bundle_input *in,
                       const struct decision_sink *sink, struct decision_record *rec, char **json,
                       struct decision_result *out, struct err *e)
{
	const struct bundle *b = in->b;
	size_t i;
	int rc = 0;

	for (i = 0; i < b->n_items && rc == 0; i++) {
		struct decision_input pi;
		struct checklist cl, first;
		struct decision_result r;

		memset(&r, 0, sizeof r);
		bundle_split(b, in->cl, i, &cl);
		bundle_split(b, in->first ? in->first : in->cl, i, &first);
		memset(&pi, 0, sizeof pi);
		pi.env = in->env;
		pi.item = b->items[i];
		pi.kase = &in->parts[i];
		pi.kase->item_code = b->items[i]->code;
		pi.cl = &cl;
		pi.first = &first;
		pi.supplement = in->supplement;
		pi.has_agent = in->has_agent;
		pi.note = in->note;
		pi.draft_owner = i == 0 ? in->draft_owner : NULL;
		if (pi.kase->is_new) {
			json[i] = bundle_json(in, i);
			pi.kase->bundle = json[i];
			rc = decision_number_case(&pi, sink, e);
		}
		if (rc == 0)
			rc = decision_build(d, &pi, &rec[i], &r, e);
		rec[i].notice_kind = NULL;
		rec[i].item_name = b->items[i]->name;
		if (rc == 0 && r.warning[0] && !out->warning[0])
			str_copy(out->warning, sizeof out->warning, r.warning);
		out->state = r.state;
		checklist_free(&cl);
		checklist_free(&first);
	}
	return rc;
}

/* The parts on the notice: item, department, case number, date. */
static void notice_parts(struct notice_ctx *ctx, const struct bundle_input *in,
                         const struct decision_record *rec)
{
	size_t i;

	for (i = 0; i < in->b->n_items; i++) {
		const struct item *it = in->b->items[i];
		size_t r = notice_row_add(ctx, "parts");
		char due[64] = "", sub[256] = "";
		struct tb_date d;

		if (rec[i].marks.due[0] && tb_date_parse(rec[i].marks.due, &d) == 0)
			decision_date_text(d, due, sizeof due);
		else if (it->promised_days == 0)
			snprintf(due, sizeof due, "%s", "即办");
		notice_row_set(ctx, "parts", r, "name", it->name);
		if (it->sub_name[0])
			snprintf(sub, sizeof sub, "·%s", it->sub_name);
		notice_row_set(ctx, "parts", r, "sub_name", sub);
		notice_row_set(ctx, "parts", r, "dept", it->dept);
		notice_row_set(ctx, "parts", r, "case_no", in->parts[i].case_no);
		notice_row_set(ctx, "parts", r, "due_date", due);
	}
}

/* The one notice of the bundle; NULL with e. */
static char *bundle_notice(const struct decision *d, const struct bundle_input *in,
                           const struct decision_record *rec, struct err *e)
{
	struct notice_ctx *ctx = notice_ctx_new();
	struct decision_input u;
	struct decision_marks marks;
	struct json_object *p = json_object_new_object();
	char warn[256], *kind = xasprintf("bundle_%s", d->notice_kind), *text = NULL;

	union_input(d, in, &u);
	memset(&marks, 0, sizeof marks);
	decision_notice_common(ctx, &u);
	notice_set(ctx, "bundle_name", in->b->name);
	if (d->build(&u, p, ctx, &marks, warn, sizeof warn, e) == 0) {
		notice_parts(ctx, in, rec);
		text = decision_notice_render(kind, &u, ctx, e);
	}
	json_object_put(p);
	notice_ctx_free(ctx);
	free(kind);
	return text;
}

int bundle_check(const struct decision *d, const struct bundle_input *in, struct err *e)
{
	struct decision_input u;

	if (d->notice_kind == NULL || (d != &decision_accept && d != &decision_notice)) {
		err_set(
		    e, "%s",
		    _("a bundle is accepted or noticed as a whole; decide anything else on each "
		      "item's case"));
		return -1;
	}
	union_input(d, in, &u);
	return decision_check(d, &u, e);
}

int bundle_run(const struct decision *d, struct bundle_input *in, const struct decision_sink *sink,
               const struct bundle_sink *bsink, struct decision_result *out, struct err *e)
{
	const struct bundle *b = in->b;
	struct decision_record *rec = xcalloc(b->n_items, sizeof *rec);
	char **json = xcalloc(b->n_items, sizeof *json), *text = NULL;
	struct bundle_record br;
	size_t i;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (bundle_check(d, in, e) < 0)
		goto done;
	if (!in->bundle_id[0])
		uuid_make(in->bundle_id);
	if (build_parts(d, in, sink, rec, json, out, e) < 0)
		goto done;
	if ((text = bundle_notice(d, in, rec, e)) == NULL) {
		err_prefix(e, "%s", _("the notice could not be made: "));
		goto done;
	}
	rec[0].notice_kind = d->notice_kind;
	rec[0].notice_text = text;
	br = (struct bundle_record){in->bundle_id, b->code, b->name, rec, b->n_items};
	if (bsink->commit(bsink->arg, &br, e) < 0)
		goto done;
	str_copy(out->case_id, sizeof out->case_id, in->parts[0].id);
	str_copy(out->case_no, sizeof out->case_no, in->parts[0].case_no);
	out->notice_text = text;
	text = NULL;
	rc = 0;
done:
	for (i = 0; i < b->n_items; i++) {
		decision_record_free(&rec[i]);
		free(json[i]);
		in->parts[i].bundle = NULL;
	}
	free(rec);
	free(json);
	free(text);
	return rc;
}
