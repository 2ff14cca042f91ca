/*
 * decision_follow_up.c - 整改完成: the follow-up a bad rating opened is closed
 * with a note of what was done.  The state stays released.
 */
#include <json-c/json.h>
#include <stdio.h>

#include "core/decision.h"
#include "core/i18n.h"

static int follow_up_rule(const struct decision_input *in, char *why, size_t n)
{
	if (in->note == NULL || in->note[0] == '\0') {
		snprintf(why, n, "%s", _("say what was done to follow up the rating"));
		return -1;
	}
	return 0;
}

static int follow_up_build(const struct decision_input *in, struct json_object *p,
                           struct notice_ctx *ctx, struct decision_marks *marks, char *warn,
                           size_t wn, struct err *e)
{
	(void)ctx;
	(void)warn;
	(void)wn;
	(void)e;
	marks->follow_up_closed = true;
	json_object_object_add(p, "text", json_object_new_string(in->note));
	return 0;
}

const struct decision decision_follow_up = {
    .name = "follow_up",
    .fkey = 0,
    .label = N_("follow-up done"),
    .event = CEV_FOLLOWED_UP,
    .notice_kind = NULL,
    .rule = follow_up_rule,
    .build = follow_up_build,
};
