/*
 * decision_note.c - 备注: a free-text note on the case's record ("全过程记录"),
 * in any state once the case exists.  No notice; the state stays.
 */
#include <json-c/json.h>
#include <stdio.h>

#include "core/decision.h"
#include "core/i18n.h"

static int note_rule(const struct decision_input *in, char *why, size_t n)
{
	if (in->kase->is_new || in->note == NULL || in->note[0] == '\0') {
		snprintf(why, n, "%s",
		         in->kase->is_new ? _("a note needs an existing case")
		                          : _("a note cannot be empty"));
		return -1;
	}
	return 0;
}

static int note_build(const struct decision_input *in, struct json_object *p,
                      struct notice_ctx *ctx, struct decision_marks *marks, char *warn, size_t wn,
                      struct err *e)
{
	(void)ctx;
	(void)marks;
	(void)warn;
	(void)wn;
	(void)e;
	json_object_object_add(p, "text", json_object_new_string(in->note));
	return 0;
}

const struct decision decision_note = {
    .name = "note",
    .fkey = 0,
    .label = N_("note"),
    .event = CEV_NOTE,
    .notice_kind = NULL,
    .rule = note_rule,
    .build = note_build,
};
