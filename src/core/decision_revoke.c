/*
 * decision_revoke.c - 撤销: verification (核查) found a commitment false; the
 * decision made on it is revoked ("revoked" event) by a written 撤销决定书
 * (reason, legal basis, review and litigation rights) and the applicant gets
 * a 失信记录 (credit record), kept in the event's payload with the verdicts.
 */
#include <json-c/json.h>
#include <stdio.h>

#include "core/decision.h"
#include "core/i18n.h"
#include "core/notice.h"

static int revoke_rule(const struct decision_input *in, char *why, size_t n)
{
	size_t i;

	for (i = 0; i < in->n_verdicts; i++)
		if (in->verdicts[i].breached)
			break;
	if (i == in->n_verdicts) {
		snprintf(why, n, "%s", _("no commitment was found false"));
		return -1;
	}
	if (in->reason == NULL || in->reason[0] == '\0') {
		snprintf(why, n, "%s", _("a revocation needs the finding of the check"));
		return -1;
	}
	return 0;
}

static int revoke_build(const struct decision_input *in, struct json_object *p,
                        struct notice_ctx *ctx, struct decision_marks *marks, char *warn, size_t wn,
                        struct err *e)
{
	size_t i;

	(void)warn;
	(void)wn;
	(void)e;
	marks->credit_record = true;
	tb_date_format(in->env->today, marks->done_on);
	json_object_object_add(p, "outcome", json_object_new_string(CASE_OUTCOME_BREACHED));
	json_object_object_add(p, "reason", json_object_new_string(in->reason));
	json_object_object_add(p, "credit_record", json_object_new_boolean(1));
	decision_add_verdicts(p, in);
	if (ctx == NULL)
		return 0;
	notice_set(ctx, "reason", in->reason);
	for (i = 0; i < in->n_verdicts; i++) {
		size_t r;

		if (!in->verdicts[i].breached)
			continue;
		r = notice_row_add(ctx, "commitments");
		notice_row_set(ctx, "commitments", r, "name", in->verdicts[i].material);
		notice_row_set(ctx, "commitments", r, "content", "经核查与承诺不符");
	}
	return 0;
}

const struct decision decision_revoke = {
    .name = "revoke",
    .fkey = 0,
    .label = N_("revoke (false commitment)"),
    .event = CEV_REVOKED,
    .outcome = NULL,
    .notice_kind = "revocation",
    .rule = revoke_rule,
    .build = revoke_build,
};
