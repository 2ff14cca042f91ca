/*
 * counter_bundle.c - 一件事一次办 at the counter: the bundle is shown as one
 * item (core/bundle.h: one form, one checklist with each shared material
 * once); its decision keys hand the whole of it to core's bundle_run, which
 * saves one case per item in one transaction; a returning applicant's
 * supplement opens every part of the bundle at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/draft.h"
#include "core/i18n.h"
#include "store/bundle.h"
#include "tui/counter.h"

struct parts_read {
	struct counter *c;
	size_t n;
};

static int take_part(void *arg, const struct case_row *r)
{
	struct parts_read *p = arg;

	if (p->n < BUNDLE_MAX_ITEMS)
		p->c->part_rows[p->n] = *r;
	p->n++;
	return 0;
}

/* Each part's checklist as its notice left it, merged into the union. */
static void merge_notices(struct counter *c)
{
	const struct bundle *b = c->bundle;
	size_t i;

	checklist_init(&c->cl, &b->item);
	checklist_init(&c->first, &b->item);
	for (i = 0; i < b->n_items; i++) {
		struct checklist part;
		char *payload = NULL;

		checklist_init(&part, b->items[i]);
		if (store_case_last_payload(c->app->st, c->part_rows[i].id, "notice_issued",
		                            &payload, NULL) == 1)
			decision_payload_checklist(payload, &part);
		bundle_merge(b, &part, i, &c->cl);
		bundle_merge(b, &part, i, &c->first);
		free(payload);
		checklist_free(&part);
	}
}

/* The stored parts into c->part_rows, in the bundle's order; false with a
 * message when they are not the catalogue's bundle. */
static bool read_parts(struct counter *c)
{
	struct app *app = c->app;
	const struct bundle *b = bundle_find(app->cat->bundles, c->row.bundle_code);
	struct parts_read p = {c, 0};
	struct err e = {0};
	size_t i;

	if (b == NULL) {
		app_say(app, true, _("bundle %s (%s) is not in the catalogue"), c->row.bundle_name,
		        c->row.bundle_code);
		return false;
	}
	if (store_bundle_parts(app->st, c->row.bundle_id, take_part, &p, &e) < 0) {
		app_store_failed(app, _("the bundle's cases cannot be read"), &e);
		return false;
	}
	for (i = 0; i < p.n && i < b->n_items; i++)
		if (strcmp(c->part_rows[i].item_code, b->items[i]->code) != 0)
			break;
	if (p.n != b->n_items || i != b->n_items) {
		app_say(
		    app, true,
		    _("the cases of bundle %s do not match the catalogue (%zu, not %zu): decide "
		      "each case on its own"),
		    b->name, p.n, b->n_items);
		return false;
	}
	c->bundle = b;
	return true;
}

bool counter_bundle_supplement(struct counter *c)
{
	struct app *app = c->app;
	struct draft *who = NULL;
	char *fields = NULL;
	size_t i;
	bool ok;

	if (!read_parts(c))
		return false;
	c->item = &c->bundle->item;
	str_copy(c->bundle_id, sizeof c->bundle_id, c->row.bundle_id);
	if (store_case_fields(app->st, c->row.id, &fields, NULL) == 1)
		who = draft_decode(fields);
	c->org = who && draft_is_org(who);
	ok = counter_build_form(c, who);
	draft_free(who);
	free(fields);
	if (!ok)
		return false;
	c->fv.readonly = true;
	merge_notices(c);
	for (i = 0; i < c->bundle->n_items; i++)
		store_decision_case(&c->part_rows[i], &c->parts[i]);
	c->has_case = true;
	c->supplement = true;
	c->zone = ZONE_LIST;
	for (c->sel = 0; c->sel + 1 < c->cl.n; c->sel++)
		if (c->first.m[c->sel].status == MS_MISSING ||
		    c->first.m[c->sel].status == MS_DEFECTIVE)
			break;
	return true;
}

/* A new bundle's parts: the applicant once for all, numbers kept from a try
 * that could not be saved. */
static void new_parts(struct counter *c, char **vals, const char *applicant)
{
	const struct form *f = c->fv.form;
	size_t i;

	for (i = 0; i < c->bundle->n_items; i++) {
		struct decision_case *k = &c->parts[i];

		k->is_new = true;
		k->applicant = applicant;
		k->name = form_value(f, vals, "name");
		k->id_number = form_value(f, vals, "id_number");
		k->phone = form_value(f, vals, "phone");
	}
}

static void refused(struct counter *c, const struct err *e)
{
	if (e->kind == ERR_FAILED || e->kind == ERR_NONE)
		app_say(c->app, true, "%s", e->msg);
	else
		app_store_failed(c->app, _("not saved: nothing was decided"), e);
}

int counter_bundle_decide(struct counter *c, const struct decision *d)
{
	struct app *app = c->app;
	struct decision_env env;
	struct bundle_input in;
	struct bundle_sink bsink;
	struct decision_result res;
	struct err e = {0};
	char **vals, *applicant = NULL, *note = NULL;
	int next = UI_STAY;

	if (!counter_form_ok(c))
		return UI_STAY;
	vals = formview_values(&c->fv);
	app_decision_env(app, &env);
	memset(&in, 0, sizeof in);
	in.env = &env;
	in.b = c->bundle;
	in.cl = &c->cl;
	in.first = c->supplement ? &c->first : NULL;
	in.supplement = c->supplement;
	in.has_agent = form_value(c->fv.form, vals, "agent_name")[0] != '\0';
	in.parts = c->parts;
	in.draft_owner = c->supplement ? NULL : app->clerk.id;
	str_copy(in.bundle_id, sizeof in.bundle_id, c->bundle_id);
	if (!c->has_case) {
		applicant = counter_applicant_json(c, vals);
		new_parts(c, vals, applicant);
	}
	if (bundle_check(d, &in, &e) < 0) {
		refused(c, &e);
	} else if (d == &decision_notice &&
	           (note = app_prompt(app, _("Note (optional, Enter):"), "", 200)) == NULL) {
		/* backed out */
	} else {
		in.note = note;
		store_bundle_sink(app->st, &bsink);
		if (bundle_run(d, &in, &app->sink, &bsink, &res, &e) < 0)
			refused(c, &e);
		else
			next = counter_decided(c, applicant, c->parts[0].name, &res);
	}
	str_copy(c->bundle_id, sizeof c->bundle_id, in.bundle_id);
	values_free(vals, c->fv.form->n_fields);
	free(note);
	free(applicant);
	return next;
}
