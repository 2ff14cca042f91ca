/*
 * decision_withdraw.c - 视为放弃: the supply-by date of a one-time notice has
 * passed without the supplement; the case is closed as deemed withdrawn with
 * a notice (forms/notices/withdrawal.txt), and the applicant may apply again.
 */
#include <json-c/json.h>
#include <stdio.h>

#include "core/decision.h"
#include "core/i18n.h"
#include "core/notice.h"

static int withdraw_rule(const struct decision_input *in, char *why, size_t n)
{
	struct tb_date by;

	if (in->supply_by == NULL || tb_date_parse(in->supply_by, &by) < 0) {
		snprintf(why, n, "%s", _("the case has no supply-by date"));
		return -1;
	}
	if (tb_date_cmp(in->env->today, by) <= 0) {
		snprintf(why, n, _("the supply-by date %s has not passed yet"), in->supply_by);
		return -1;
	}
	return 0;
}

static int withdraw_build(const struct decision_input *in, struct json_object *p,
                          struct notice_ctx *ctx, struct decision_marks *marks, char *warn,
                          size_t wn, struct err *e)
{
	struct tb_date by;
	char text[64];

	tb_date_format(in->env->today, marks->done_on);
	(void)warn;
	(void)wn;
	(void)e;
	json_object_object_add(p, "supply_by", json_object_new_string(in->supply_by));
	json_object_object_add(
	    p, "reason",
	    json_object_new_string(in->reason && in->reason[0] ? in->reason : "逾期未补正"));
	if (ctx && tb_date_parse(in->supply_by, &by) == 0) {
		decision_date_text(by, text, sizeof text);
		notice_set(ctx, "supply_by", text);
	}
	return 0;
}

const struct decision decision_withdraw = {
    .name = "withdraw",
    .fkey = 8,
    .label = N_("deemed withdrawn"),
    .event = CEV_WITHDRAWN,
    .notice_kind = "withdrawal",
    .rule = withdraw_rule,
    .build = withdraw_build,
};
