/*
 * decision_confirm.c - 承诺属实: verification (核查) after acceptance on
 * commitment found every commitment kept.  The case is marked verified and
 * not asked about again.  No notice.
 */
#include <json-c/json.h>
#include <stdio.h>

#include "core/decision.h"
#include "core/i18n.h"

static int confirm_rule(const struct decision_input *in, char *why, size_t n)
{
	size_t i;

	if (in->n_verdicts == 0) {
		snprintf(why, n, "%s", _("no commitment to verify"));
		return -1;
	}
	for (i = 0; i < in->n_verdicts; i++)
		if (in->verdicts[i].breached) {
			snprintf(why, n, _("the commitment '%s' was found false"),
			         in->verdicts[i].material);
			return -1;
		}
	return 0;
}

static int confirm_build(const struct decision_input *in, struct json_object *p,
                         struct notice_ctx *ctx, struct decision_marks *marks, char *warn,
                         size_t wn, struct err *e)
{
	(void)ctx;
	(void)warn;
	(void)wn;
	(void)e;
	marks->verified = true;
	json_object_object_add(p, "outcome", json_object_new_string(CASE_OUTCOME_CONFIRMED));
	decision_add_verdicts(p, in);
	return 0;
}

const struct decision decision_confirm = {
    .name = "confirm",
    .fkey = 0,
    .label = N_("commitments found true"),
    .event = CEV_VERIFIED,
    .outcome = CASE_OUTCOME_CONFIRMED,
    .notice_kind = NULL,
    .rule = confirm_rule,
    .build = confirm_build,
};
