/*
 * decision_accept.c - 受理 (F5): every required material is in hand and valid
 * (行政许可法 art. 32 (5)); the acceptance notice (受理通知书) lists what was
 * received and the promised completion date.
 */
#include <json-c/json.h>
#include <stdio.h>

#include "core/decision.h"
#include "core/i18n.h"
#include "core/notice.h"

static int accept_rule(const struct decision_input *in, char *why, size_t n)
{
	if (checklist_can_accept(in->cl, why, n) < 0)
		return -1;
	return checklist_check_agent(in->cl, in->has_agent, why, n);
}

static int accept_build(const struct decision_input *in, struct json_object *p,
                        struct notice_ctx *ctx, struct decision_marks *marks, char *warn, size_t wn,
                        struct err *e)
{
	char text[128];
	marks->outcome = "accepted";

	(void)e;
	decision_workdays(in, in->item->promised_days, marks->due, text, sizeof text, warn, wn);
	decision_add_materials(p, in->cl);
	json_object_object_add(p, "promised_date", json_object_new_string(marks->due));
	if (ctx) {
		decision_notice_materials(ctx, in->cl);
		notice_set(ctx, "due_date", text);
	}
	return 0;
}

const struct decision decision_accept = {
    .name = "accept",
    .fkey = 5,
    .label = N_("accept"),
    .event = CEV_ACCEPTED,
    .notice_kind = "acceptance",
    .rule = accept_rule,
    .build = accept_build,
};
