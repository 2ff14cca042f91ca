/*
 * counter_open.c - what the counter screen starts from (a new intake, the
 * stored draft, or a case awaiting its supplement) and the intake draft,
 * saved at every field exit so a crash loses nothing typed before it.
 */
#include <stdlib.h>
#include <string.h>

#include "core/decision.h"
#include "core/draft.h"
#include "core/green.h"
#include "core/i18n.h"
#include "tui/counter.h"
#include "tui/forms.h"

bool counter_save_draft(struct counter *c)
{
	struct app *app = c->app;
	struct err e = {0};
	char **vals;
	char *text;
	int rc;

	if (c->supplement) /* a supplement has its case; the intake draft stays as it is */
		return true;
	vals = formview_values(&c->fv);
	text = draft_encode(c->item->code, c->org, c->fv.form, vals, &c->cl,
	                    c->has_case ? c->row.id : NULL);
	if (c->green_cert[0]) { /* the 绿色通道 is kept with the draft */
		char *green = green_draft(text, c->green_cert, c->green_helper);

		free(text);
		text = green;
	}
	rc = app->db_readonly ? -1 : store_draft_save(app->st, app->clerk.id, text, &e);
	if (app->db_readonly)
		err_set_kind(&e, ERR_READONLY, "%s", _("the database file is read-only"));
	values_free(vals, c->fv.form->n_fields);
	if (rc < 0) {
		c->draft_dirty = true;
		c->save_failed = true;
		c->save_err = e;
		app_keep_unsaved(app, text); /* nothing typed is lost while the program runs */
		app_store_failed(app, _("the draft was not saved"), &e);
		free(text);
		return false;
	}
	free(text);
	app_keep_unsaved(app, NULL);
	if (c->save_failed)
		app_say(app, false, "%s", _("draft saved"));
	c->draft_dirty = false;
	c->save_failed = false;
	app_store_ok(app);
	return true;
}

bool counter_build_form(struct counter *c, const struct draft *d)
{
	char **vals;

	c->form = app_intake_form(c->app, c->org, c->item->code);
	if (c->form == NULL) {
		app_say(c->app, true, _("applicant form forms/%s.json missing"),
		        c->org ? "intake_org" : "intake");
		return false;
	}
	vals = draft_values(d, c->form);
	formview_init(&c->fv, c->form, vals);
	values_free(vals, c->form->n_fields);
	return true;
}

/* The case a supplement is for, with its applicant's form (read-only) and the
 * checklist its notice was made from. */
static bool open_supplement(struct counter *c)
{
	struct app *app = c->app;
	struct err e = {0};
	struct draft *who = NULL;
	char *fields = NULL, *payload = NULL;
	bool ok;

	if (store_case_get(app->st, app->open_case, &c->row, &e) != 1 ||
	    (c->item = catalogue_find(app->cat, c->row.item_code)) == NULL) {
		app_say(app, true, "%s", _("case or its item not found"));
		return false;
	}
	if (c->row.bundle_id[0]) /* a part of a 一件事: the whole bundle is supplemented */
		return counter_bundle_supplement(c);
	if (store_case_fields(app->st, c->row.id, &fields, &e) == 1)
		who = draft_decode(fields);
	c->org = who && draft_is_org(who);
	ok = counter_build_form(c, who);
	draft_free(who);
	free(fields);
	if (!ok)
		return false;
	c->fv.readonly = true;
	checklist_init(&c->cl, c->item);
	checklist_init(&c->first, c->item);
	if (store_case_last_payload(app->st, c->row.id, "notice_issued", &payload, &e) == 1) {
		decision_payload_checklist(payload, &c->first);
		decision_payload_checklist(payload, &c->cl);
	}
	free(payload);
	c->has_case = true;
	c->supplement = true;
	c->zone = ZONE_LIST;
	/* start on the first material the notice asked for */
	for (c->sel = 0; c->sel + 1 < c->cl.n; c->sel++)
		if (c->first.m[c->sel].status == MS_MISSING ||
		    c->first.m[c->sel].status == MS_DEFECTIVE)
			break;
	return true;
}

/* Restore the stored draft; false when there is none or it no longer fits. */
static bool open_draft(struct counter *c)
{
	struct app *app = c->app;
	struct err e = {0};
	struct draft *d = NULL;
	char *body = NULL;
	bool ok = false;

	if (app_has_unsaved(app)) /* the one the database refused comes first */
		body = xstrdup(app->unsaved_draft);
	else if (store_draft_load(app->st, app->clerk.id, &body, &e) < 0)
		app_store_failed(app, _("the draft cannot be read"), &e);
	d = draft_decode(body);
	free(body);
	c->item = d ? catalogue_find(app->cat, draft_item_code(d)) : NULL;
	if (d && c->item == NULL &&
	    (c->bundle = bundle_find(app->cat->bundles, draft_item_code(d))))
		c->item = &c->bundle->item;
	if (d && c->item != NULL) {
		c->org = draft_is_org(d);
		str_copy(c->green_cert, sizeof c->green_cert, draft_value(d, "green_cert"));
		str_copy(c->green_helper, sizeof c->green_helper, draft_value(d, "green_helper"));
		ok = counter_build_form(c, d);
		if (ok) {
			checklist_init(&c->cl, c->item);
			checklist_init(&c->first, c->item);
			draft_checklist(d, &c->cl);
			/* a case an older version created before deciding it */
			if (draft_case_id(d)[0])
				c->has_case =
				    store_case_get(app->st, draft_case_id(d), &c->row, NULL) == 1 &&
				    strcmp(c->row.state, "received") == 0;
		}
	}
	draft_free(d);
	return ok;
}

static bool open_new(struct counter *c)
{
	c->item = c->app->item;
	c->bundle = bundle_of_item(c->app->cat->bundles, c->item);
	if (!counter_build_form(c, NULL))
		return false;
	checklist_init(&c->cl, c->item);
	checklist_init(&c->first, c->item);
	counter_save_draft(c);
	return true;
}

bool counter_setup(struct counter *c)
{
	struct app *app = c->app;
	bool ok;

	if (app->open_case[0])
		ok = open_supplement(c);
	else if (app->resume_draft)
		ok = open_draft(c);
	else
		ok = open_new(c);
	app->open_case[0] = '\0';
	app->resume_draft = false;
	return ok;
}

void counter_teardown(struct counter *c)
{
	if (c->form)
		formview_free(&c->fv);
	form_free(c->form);
	checklist_free(&c->cl);
	checklist_free(&c->first);
	counter_ecert_free(c);
}
