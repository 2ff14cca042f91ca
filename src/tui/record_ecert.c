/*
 * record_ecert.c - F11 on a case's record: the one-time notice of its
 * e-certificates whose check failed after the case was accepted offline
 * (电子证照核验补正告知书, core/decision_ecert.c), shown and kept like every
 * notice.
 */
#include <stdlib.h>

#include "core/decision.h"
#include "core/ecert.h"
#include "core/i18n.h"
#include "store/ecert.h"
#include "tui/record.h"

/* The case's materials as the notice sees them: each e-certificate whose
 * check failed defective with why, the rest as they start. */
static void failed_checklist(struct record *rec, const struct item *it, struct checklist *cl)
{
	struct ecert_check c;
	char holder[33];
	size_t i;

	checklist_init(cl, it);
	if (ecert_holder_key(rec->r.id_number, holder, sizeof holder) < 0)
		return;
	for (i = 0; i < cl->n; i++)
		if (it->materials[i].ecert[0] != '\0' &&
		    store_ecert_get(rec->app->st, it->materials[i].ecert, holder, &c, NULL) == 1 &&
		    ecert_state_failed(c.state))
			ecert_apply(cl, i, &c);
}

int record_ecert_notice(struct record *rec)
{
	struct app *app = rec->app;
	struct decision_env env;
	struct decision_case k;
	struct decision_input in;
	struct checklist cl;
	char *notice = NULL;
	int next = UI_STAY;

	record_input(rec, &env, &k, &in);
	if (in.item == NULL) {
		app_say(app, true, "%s", _("the case's item is not in the catalogue"));
		return UI_STAY;
	}
	failed_checklist(rec, in.item, &cl);
	in.cl = &cl;
	if (record_decide(rec, &decision_ecert_notice, &in, &notice)) {
		app_say(app, false, _("case %s: e-certificate notice issued"), rec->r.case_no);
		next = app_show_notice(app, notice, rec->r.case_no, SCREEN_RECORD);
	}
	checklist_free(&cl);
	return next;
}
