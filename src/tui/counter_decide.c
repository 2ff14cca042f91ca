/*
 * counter_decide.c - a decision key at the counter: gather what the clerk
 * typed and ticked, ask what the decision needs (a note, the refusal's
 * reason), and hand it to core's decision_run, which saves it in one
 * transaction.  Nothing here decides anything: core does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decision.h"
#include "core/draft.h"
#include "core/green.h"
#include "core/i18n.h"
#include "tui/counter.h"

char *counter_applicant_json(struct counter *c, char **vals)
{
	char *plain = draft_applicant_json(c->fv.form, vals, c->org);
	char *text = green_applicant(plain, c->green_cert, c->green_helper);

	free(plain);
	return text;
}

bool counter_form_ok(struct counter *c)
{
	char msg[512];

	if (c->supplement || formview_check_all(&c->fv, msg, sizeof msg) == 0)
		return true;
	c->zone = ZONE_FORM;
	app_say(c->app, true, "%s", msg);
	return false;
}

/* What a decision reads, from the screen; vals are the form's values. */
static void gather(struct counter *c, char **vals, struct decision_env *env,
                   struct decision_case *k, struct decision_input *in, char **applicant)
{
	struct app *app = c->app;
	const struct form *f = c->fv.form;

	app_decision_env(app, env);
	memset(k, 0, sizeof *k);
	memset(in, 0, sizeof *in);
	*applicant = NULL;
	k->is_new = !c->has_case;
	if (c->has_case) {
		/* an unknown state is refused by the state machine, with its words */
		store_decision_case(&c->row, k);
	} else {
		str_copy(k->id, sizeof k->id, c->new_id);
		str_copy(k->case_no, sizeof k->case_no, c->reserved_no);
		*applicant = counter_applicant_json(c, vals);
		k->applicant = *applicant;
		k->name = form_value(f, vals, "name");
		k->id_number = form_value(f, vals, "id_number");
		k->phone = form_value(f, vals, "phone");
	}
	k->item_code = c->item->code;
	in->env = env;
	in->item = c->item;
	in->kase = k;
	in->cl = &c->cl;
	in->first = &c->first;
	in->supplement = c->supplement;
	in->has_agent = form_value(f, vals, "agent_name")[0] != '\0';
	in->draft_owner = c->supplement ? NULL : app->clerk.id;
}

/* Why the decision was not made, in the clerk's words. */
static void refused(struct counter *c, const struct err *e)
{
	if (e->kind == ERR_FAILED || e->kind == ERR_NONE)
		app_say(c->app, true, "%s", e->msg);
	else
		app_store_failed(c->app, _("not saved: nothing was decided"), e);
}

/* What the decision asks the clerk for; false when the clerk backs out. */
static bool ask(struct counter *c, const struct decision *d, struct decision_input *in, char **note,
                char ***refusal)
{
	*note = NULL;
	*refusal = NULL;
	if (d == &decision_notice) {
		*note = app_prompt(c->app, _("Note (optional, Enter):"), "", 200);
		in->note = *note;
		return *note != NULL;
	}
	if (d == &decision_refuse) {
		if (c->app->refusal == NULL) {
			app_say(c->app, true, "%s", _("forms/refusal.json missing"));
			return false;
		}
		*refusal = dialog_refusal(c->app, c->item);
		in->refusal = *refusal;
		return *refusal != NULL;
	}
	return true;
}

/* After the decision: the previous case's values for the ditto key, a round
 * of sync, the message, and the notice. */
int counter_decided(struct counter *c, const char *applicant, const char *name,
                    struct decision_result *res)
{
	struct app *app = c->app;

	if (applicant) {
		draft_free(app->ditto);
		app->ditto = draft_decode(applicant);
	}
	if (app->sync)
		sync_helper_poke(app->sync);
	app_store_ok(app);
	if (res->warning[0])
		app_say(app, true, "%s", res->warning);
	else
		app_say(app, false, _("%s: case %s (%s)"), casestate_label(res->state),
		        res->case_no, name);
	if (res->notice_text == NULL)
		return SCREEN_HOME;
	return app_show_notice(app, res->notice_text, res->case_no, SCREEN_HOME);
}

int counter_decide(void *screen, const void *arg)
{
	struct counter *c = screen;
	const struct decision *d = arg;
	struct decision_env env;
	struct decision_case k;
	struct decision_input in;
	struct decision_result res;
	struct err e = {0};
	char **vals, *applicant, *note = NULL, **refusal = NULL;
	int next = UI_STAY;

	if (c->bundle)
		return counter_bundle_decide(c, d);
	if (!counter_form_ok(c))
		return UI_STAY;
	vals = formview_values(&c->fv);
	gather(c, vals, &env, &k, &in, &applicant);
	if (decision_check(d, &in, &e) < 0) {
		refused(c, &e);
	} else if (ask(c, d, &in, &note, &refusal)) {
		if (decision_run(d, &in, &c->app->sink, &res, &e) < 0)
			refused(c, &e);
		else
			next = counter_decided(c, applicant, k.name, &res);
	}
	/* a new case keeps its id and number for a retry after a failed save */
	str_copy(c->new_id, sizeof c->new_id, k.id);
	str_copy(c->reserved_no, sizeof c->reserved_no, k.case_no);
	values_free(vals, c->fv.form->n_fields);
	values_free(refusal, c->app->refusal ? c->app->refusal->n_fields : 0);
	free(note);
	free(applicant);
	return next;
}
