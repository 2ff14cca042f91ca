/*
 * decision_rate.c - 好差评, 一次一评 at release (GB/T 39734): the applicant
 * chooses 非常满意 (5) .. 非常不满意 (1), or declines (0, 未评价), with an
 * optional comment.  不满意 and 非常不满意 open a follow-up (整改) due the
 * configured number of working days later, open until it is closed with a
 * note (decision_follow_up.c).  One rating per release.
 */
#include <json-c/json.h>
#include <stdio.h>

#include "core/decision.h"
#include "core/i18n.h"
#include "core/stats.h"

static int rate_rule(const struct decision_input *in, char *why, size_t n)
{
	if (in->rating < 0 || in->rating > 5) {
		snprintf(why, n, "%s", _("the applicant chooses 1 to 5, or 0 to decline"));
		return -1;
	}
	return 0;
}

static int rate_build(const struct decision_input *in, struct json_object *p,
                      struct notice_ctx *ctx, struct decision_marks *marks, char *warn, size_t wn,
                      struct err *e)
{
	char text[128];

	(void)ctx;
	(void)e;
	marks->rating = in->rating;
	marks->follow_up_open = in->rating >= 1 && in->rating <= 2;
	if (marks->follow_up_open)
		decision_workdays(in, in->env->cfg->follow_up_days, marks->follow_up_due, text,
		                  sizeof text, warn, wn);
	json_object_object_add(p, "level", json_object_new_int(in->rating));
	json_object_object_add(p, "label", json_object_new_string(stats_rating_label(in->rating)));
	json_object_object_add(p, "comment",
	                       json_object_new_string(in->comment ? in->comment : ""));
	json_object_object_add(p, "follow_up_due", json_object_new_string(marks->follow_up_due));
	return 0;
}

const struct decision decision_rate = {
    .name = "rate",
    .fkey = 6,
    .label = N_("rate"),
    .event = CEV_RATED,
    .notice_kind = NULL,
    .rule = rate_rule,
    .build = rate_build,
};
