/* decision.c - decision_run and what the decision entries share. */
#include "core/decision.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/i18n.h"
#include "core/idcard.h"
#include "core/notice.h"
#include "core/paths.h"

/* Notices are laid out for 80 columns, on screen and on paper. */

const struct decision *const decision_counter[] = {&decision_accept, &decision_notice,
                                                   &decision_commit, &decision_refuse, NULL};

const char *decision_label(const struct decision *d)
{
	return _(d->label);
}

void decision_date_text(struct tb_date d, char *out, size_t n)
{
	snprintf(out, n, "%d年%d月%d日", d.y, d.m, d.d);
}

int decision_workdays(const struct decision_input *in, int n, char iso[TB_DATE_LEN], char *text,
                      size_t tn, char *warn, size_t wn)
{
	struct err e = {0};
	struct tb_date d;

	iso[0] = '\0';
	if (in->env->cal &&
	    cal_add_workdays(in->env->cal, in->env->today, n, NULL, 0, &d, &e) == 0) {
		tb_date_format(d, iso);
		decision_date_text(d, text, tn);
		return 0;
	}
	snprintf(text, tn, "%s", _("(no working-day calendar data: set the date by hand)"));
	snprintf(warn, wn, "%s%s", _("warning: "), e.msg[0] ? e.msg : _("no calendar"));
	return -1;
}

static struct json_object *parse_or_empty(const char *json, enum json_type want)
{
	struct json_object *o = json ? json_tokener_parse(json) : NULL;

	if (o == NULL || !json_object_is_type(o, want)) {
		json_object_put(o);
		o = want == json_type_array ? json_object_new_array() : json_object_new_object();
	}
	return o;
}

void decision_add_materials(struct json_object *p, const struct checklist *cl)
{
	char *text = checklist_to_json(cl);

	json_object_object_add(p, "materials", parse_or_empty(text, json_type_array));
	free(text);
}

void decision_notice_materials(struct notice_ctx *ctx, const struct checklist *cl)
{
	size_t i, r;

	for (i = 0; i < cl->n; i++) {
		const struct material *m = &cl->item->materials[i];
		const struct mat_check *c = &cl->m[i];
		char copies[16];

		if (c->status == MS_MISSING || c->status == MS_DEFECTIVE) {
			r = notice_row_add(ctx, "missing");
			notice_row_set(ctx, "missing", r, "name", m->name);
			notice_row_set(ctx, "missing", r, "problem",
			               c->status == MS_DEFECTIVE && c->reason[0]
			                   ? c->reason
			                   : (c->status == MS_MISSING ? "未提交" : "不符合要求"));
		}
		if (!mat_status_is_in(c->status) || c->status == MS_EXEMPT)
			continue;
		r = notice_row_add(ctx, "materials");
		snprintf(copies, sizeof copies, "%d", m->copies);
		notice_row_set(ctx, "materials", r, "name", m->name);
		notice_row_set(ctx, "materials", r, "form", mat_status_label(c->status));
		notice_row_set(ctx, "materials", r, "copies", copies);
		notice_row_set(ctx, "materials", r, "status", mat_status_label(c->status));
	}
}

size_t decision_commitments(const char *committed_payload, struct decision_commitment **out)
{
	struct json_object *p = parse_or_empty(committed_payload, json_type_object), *list, *v;
	size_t i, n = 0, len;

	*out = NULL;
	if (!json_object_object_get_ex(p, "commitments", &list) ||
	    !json_object_is_type(list, json_type_array) ||
	    (len = json_object_array_length(list)) == 0) {
		json_object_put(p);
		return 0;
	}
	*out = xcalloc(len, sizeof **out);
	for (i = 0; i < len; i++) {
		struct json_object *c = json_object_array_get_idx(list, i);

		if (!json_object_object_get_ex(c, "name", &v) ||
		    !json_object_is_type(v, json_type_string))
			continue;
		str_copy((*out)[n].material, sizeof(*out)[n].material, json_object_get_string(v));
		if (json_object_object_get_ex(c, "due_date", &v) &&
		    json_object_is_type(v, json_type_string))
			str_copy((*out)[n].due, sizeof(*out)[n].due, json_object_get_string(v));
		n++;
	}
	json_object_put(p);
	return n;
}

void decision_payload_checklist(const char *payload, struct checklist *cl)
{
	struct json_object *p = parse_or_empty(payload, json_type_object), *m;

	if (json_object_object_get_ex(p, "materials", &m))
		checklist_from_json(cl, json_object_to_json_string(m));
	json_object_put(p);
}

void decision_add_verdicts(struct json_object *p, const struct decision_input *in)
{
	struct json_object *list = json_object_new_array();
	size_t i;

	for (i = 0; i < in->n_verdicts; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(in->verdicts[i].material));
		json_object_object_add(o, "result",
		                       json_object_new_string(in->verdicts[i].breached
		                                                  ? CASE_OUTCOME_BREACHED
		                                                  : CASE_OUTCOME_CONFIRMED));
		json_object_array_add(list, o);
	}
	json_object_object_add(p, "commitments", list);
}

/* ---- the notice -------------------------------------------------------------- */

/* The values every notice has: hall, window, clerk, case, applicant, item. */
void decision_notice_common(struct notice_ctx *ctx, const struct decision_input *in)
{
	const struct decision_env *env = in->env;
	const struct decision_case *k = in->kase;
	char buf[64], *masked = idcard_mask(k->id_number ? k->id_number : "");

	notice_set(ctx, "hall_name", env->clerk->hall_name);
	notice_set(ctx, "hall_phone", env->cfg->hall_phone);
	notice_set(ctx, "review_body", env->cfg->review_body);
	snprintf(buf, sizeof buf, "%s%s", env->clerk->window, "号窗口");
	notice_set(ctx, "window", buf);
	notice_set(ctx, "clerk_name", env->clerk->name);
	notice_set(ctx, "clerk_id", env->clerk->id);
	notice_set(ctx, "case_no", k->case_no);
	decision_date_text(env->today, buf, sizeof buf);
	notice_set(ctx, "date", buf);
	/* the day of the application: a supplement keeps the first day */
	decision_date_text(k->is_new || k->received.y == 0 ? env->today : k->received, buf,
	                   sizeof buf);
	notice_set(ctx, "applied_date", buf);
	notice_set(ctx, "applicant_name", k->name);
	notice_set(ctx, "applicant_id", masked ? masked : "");
	notice_set(ctx, "applicant_phone", k->phone);
	notice_set(ctx, "item_name", in->item->name);
	notice_set(ctx, "item_code", in->item->code);
	notice_set(ctx, "dept", in->item->dept);
	snprintf(buf, sizeof buf, "%d", in->item->promised_days);
	notice_set(ctx, "promised_days", buf);
	notice_set(ctx, "legal_basis", in->item->legal_basis);
	/* 跨域通办: the region and its department decide; the window takes in
	 * and hands out.  Both empty for the home region's and one
	 * department's items. */
	notice_set(ctx, "decide_authority", "");
	notice_set(ctx, "decide_region", "");
	notice_set(ctx, "joint_depts", "");
	notice_set(ctx, "joint_rule", "");
	if (in->item->region_name && in->item->region_name[0]) {
		char who[512];

		snprintf(who, sizeof who, "%s%s", in->item->region_name, in->item->dept);
		notice_set(ctx, "decide_authority", who);
		notice_set(ctx, "decide_region", in->item->region_name);
	}
	/* 并联审批: the departments deciding in parallel, and how */
	if (in->item->joint_depts && in->item->joint_depts[0]) {
		char list[1024] = "", dept[257];
		size_t i, len;

		for (i = 0; item_joint_dept(in->item, i, dept, sizeof dept) != NULL; i++) {
			len = strlen(list);
			snprintf(list + len, sizeof list - len, "%s%s", i ? "、" : "", dept);
		}
		notice_set(ctx, "joint_depts", list);
		notice_set(ctx, "joint_rule",
		           strcmp(in->item->joint_rule, "partial") == 0
		               ? "各部门分别作出决定，准予部分可先行办结"
		               : "各部门均准予的方予批准");
	}
	free(masked);
}

char *decision_notice_render(const char *kind, const struct decision_input *in,
                             struct notice_ctx *ctx, struct err *e)
{
	char *sub = xasprintf("forms/notices/%s.txt", kind);
	char *path = paths_join(in->env->data_root, sub);
	char *text = notice_render_file(path, ctx, DECISION_NOTICE_WIDTH, e);

	free(sub);
	free(path);
	return text;
}

/* ---- the record ------------------------------------------------------------------ */

static void record_free(struct decision_record *r)
{
	size_t i;

	for (i = 0; i < r->n_ev; i++)
		free(r->ev[i].payload);
	r->n_ev = 0;
}

/* Append an event whose transition from *state holds; -1 with why when not. */
static int add_event(struct decision_record *r, enum case_state *state, enum case_event_type type,
                     const char *outcome, struct json_object *payload, struct err *e)
{
	char why[512];
	enum case_state to;

	if (casestate_next(*state, type, outcome, &to, why, sizeof why) < 0) {
		json_object_put(payload);
		err_set(e, "%s", why);
		return -1;
	}
	r->ev[r->n_ev].type = type;
	r->ev[r->n_ev].outcome = outcome;
	r->ev[r->n_ev].payload = xstrdup(json_object_to_json_string_ext(
	    payload, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	r->ev[r->n_ev++].to = to;
	*state = to;
	json_object_put(payload);
	return 0;
}

/* The "created" event of a new case: its number, item and applicant. */
static int add_created(struct decision_record *r, enum case_state *state,
                       const struct decision_input *in, struct err *e)
{
	struct json_object *p = json_object_new_object();
	struct json_object *who = parse_or_empty(in->kase->applicant, json_type_object);

	json_object_object_add(p, "case_no", json_object_new_string(in->kase->case_no));
	json_object_object_add(p, "item_code", json_object_new_string(in->item->code));
	json_object_object_add(p, "item_name", json_object_new_string(in->item->name));
	json_object_object_add(p, "applicant", who);
	if (in->kase->bundle)
		json_object_object_add(p, "bundle",
		                       parse_or_empty(in->kase->bundle, json_type_object));
	return add_event(r, state, CEV_CREATED, NULL, p, e);
}

/* A number for a new case that has none yet: HALL-WW-TERMINAL-YYYYMMDD-NNNN. */
static int number_case(const struct decision_input *in, const struct decision_sink *sink,
                       struct err *e)
{
	struct decision_case *k = in->kase;
	char day[9], iso[TB_DATE_LEN];

	if (!k->id[0])
		uuid_make(k->id);
	k->received = in->env->today;
	pinyin_name_initials(in->env->pinyin, k->name ? k->name : "", k->initials,
	                     sizeof k->initials);
	if (k->case_no[0])
		return 0;
	tb_date_format(in->env->today, iso);
	snprintf(day, sizeof day, "%.4s%.2s%.2s", iso, iso + 5, iso + 8);
	return sink->reserve(sink->arg, in->env->clerk, in->env->terminal, day, k->case_no,
	                     sizeof k->case_no, e);
}

int decision_check(const struct decision *d, const struct decision_input *in, struct err *e)
{
	enum case_state s = in->kase->is_new ? CS_NONE : in->kase->state, to;
	char why[512];

	if (in->kase->is_new && casestate_next(s, CEV_CREATED, NULL, &s, why, sizeof why) < 0)
		goto refused;
	if (in->supplement) {
		if (decision_supplement.rule && decision_supplement.rule(in, why, sizeof why) < 0)
			goto refused;
		if (casestate_next(s, CEV_SUPPLEMENTED, NULL, &s, why, sizeof why) < 0)
			goto refused;
	}
	if (d->rule && d->rule(in, why, sizeof why) < 0)
		goto refused;
	if (casestate_next(s, d->event, d->outcome, &to, why, sizeof why) < 0)
		goto refused;
	return 0;
refused:
	err_set(e, "%s", why);
	return -1;
}

/* One entry's event (and its notice values) onto the record. */
static int add_entry(struct decision_record *r, enum case_state *state, const struct decision *d,
                     const struct decision_input *in, struct notice_ctx *ctx, char *warn, size_t wn,
                     struct err *e)
{
	struct json_object *p = json_object_new_object();

	if (d->build(in, p, ctx, &r->marks, warn, wn, e) < 0) {
		json_object_put(p);
		return -1;
	}
	return add_event(r, state, d->event, d->outcome, p, e);
}

static int build_record(const struct decision *d, const struct decision_input *in,
                        struct decision_record *r, struct notice_ctx *ctx,
                        struct decision_result *out, struct err *e)
{
	enum case_state s = in->kase->is_new ? CS_NONE : in->kase->state;

	r->clerk = in->env->clerk;
	r->kase = in->kase;
	r->marks.rating = -1; /* nothing rated unless the entry says so */
	r->item_name = in->item->name;
	r->draft_owner = in->draft_owner;
	r->notice_kind = d->notice_kind;
	if (in->kase->is_new && add_created(r, &s, in, e) < 0)
		return -1;
	if (in->supplement && add_entry(r, &s, &decision_supplement, in, NULL, out->warning,
	                                sizeof out->warning, e) < 0)
		return -1;
	if (add_entry(r, &s, d, in, ctx, out->warning, sizeof out->warning, e) < 0)
		return -1;
	out->state = s;
	return 0;
}

int decision_run(const struct decision *d, const struct decision_input *in,
                 const struct decision_sink *sink, struct decision_result *out, struct err *e)
{
	struct decision_record r;
	struct notice_ctx *ctx = d->notice_kind ? notice_ctx_new() : NULL;
	char *text = NULL;
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	if (decision_check(d, in, e) < 0 || (in->kase->is_new && number_case(in, sink, e) < 0))
		goto out;
	if (ctx)
		decision_notice_common(ctx, in);
	if (build_record(d, in, &r, ctx, out, e) < 0)
		goto out;
	if (ctx && (text = decision_notice_render(d->notice_kind, in, ctx, e)) == NULL) {
		err_prefix(e, "%s", _("the notice could not be made: "));
		goto out;
	}
	r.notice_text = text;
	if (sink->commit(sink->arg, &r, e) < 0)
		goto out;
	str_copy(out->case_id, sizeof out->case_id, in->kase->id);
	str_copy(out->case_no, sizeof out->case_no, in->kase->case_no);
	out->notice_text = text;
	text = NULL;
	rc = 0;
out:
	free(text);
	record_free(&r);
	notice_ctx_free(ctx);
	return rc;
}

/* ---- for core/bundle.c ----------------------------------------------------- */

int decision_number_case(const struct decision_input *in, const struct decision_sink *sink,
                         struct err *e)
{
	return number_case(in, sink, e);
}

int decision_build(const struct decision *d, const struct decision_input *in,
                   struct decision_record *r, struct decision_result *out, struct err *e)
{
	memset(r, 0, sizeof *r);
	return build_record(d, in, r, NULL, out, e);
}

void decision_record_free(struct decision_record *r)
{
	record_free(r);
}
