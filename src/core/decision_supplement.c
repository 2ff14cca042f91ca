/*
 * decision_supplement.c - 补正: the applicant brings what a one-time notice
 * asked for.  It never stands alone: it goes before the decision taken on
 * the supplemented materials (accept, a second notice, commitment), in the
 * same transaction, and records the checklist as it is now.
 */
#include <json-c/json.h>

#include "core/decision.h"
#include "core/i18n.h"

static int supplement_rule(const struct decision_input *in, char *why, size_t n)
{
	(void)in;
	(void)why;
	(void)n;
	return 0; /* the state machine says whether the case awaits a supplement */
}

static int supplement_build(const struct decision_input *in, struct json_object *p,
                            struct notice_ctx *ctx, struct decision_marks *marks, char *warn,
                            size_t wn, struct err *e)
{
	(void)ctx;
	(void)marks;
	(void)warn;
	(void)wn;
	(void)e;
	decision_add_materials(p, in->cl);
	return 0;
}

const struct decision decision_supplement = {
    .name = "supplement",
    .fkey = 0,
    .label = N_("supplement materials"),
    .event = CEV_SUPPLEMENTED,
    .notice_kind = NULL,
    .rule = supplement_rule,
    .build = supplement_build,
};
