/*
 * decision_notice.c - 一次性告知 (F6): materials are missing or not in legal
 * form (行政许可法 art. 32 (4)); ONE notice (补正材料通知书) lists every one
 * of them with what is wrong and the date to bring them by.  The clock
 * stops until the applicant comes back.  After a supplement, a second notice
 * may only ask again for what the first asked for.
 */
#include <json-c/json.h>
#include <stdio.h>

#include "core/decision.h"
#include "core/i18n.h"
#include "core/notice.h"

static int notice_rule(const struct decision_input *in, char *why, size_t n)
{
	if (checklist_can_notice(in->cl, why, n) < 0)
		return -1;
	if (in->supplement && in->first && checklist_notice_again_ok(in->first, in->cl, why, n) < 0)
		return -1;
	return 0;
}

static int notice_build(const struct decision_input *in, struct json_object *p,
                        struct notice_ctx *ctx, struct decision_marks *marks, char *warn, size_t wn,
                        struct err *e)
{
	char text[128];
	marks->outcome = "notice";

	(void)e;
	decision_workdays(in, in->env->cfg->supplement_days, marks->supply_by, text, sizeof text,
	                  warn, wn);
	decision_add_materials(p, in->cl);
	json_object_object_add(p, "supply_by", json_object_new_string(marks->supply_by));
	json_object_object_add(p, "note", json_object_new_string(in->note ? in->note : ""));
	if (ctx) {
		decision_notice_materials(ctx, in->cl);
		notice_set(ctx, "supply_by", text);
		notice_set(ctx, "note", in->note);
	}
	return 0;
}

const struct decision decision_notice = {
    .name = "notice",
    .fkey = 6,
    .label = N_("notice"),
    .event = CEV_NOTICE_ISSUED,
    .notice_kind = "supplement",
    .rule = notice_rule,
    .build = notice_build,
};
