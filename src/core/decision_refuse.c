/*
 * decision_refuse.c - 不予受理 (F8): the application is not this hall's
 * business or needs no permit (行政许可法 art. 32 (1), (2)); the notice gives
 * the reason, the legal basis, where to apply instead and the rights of
 * review and litigation.  The values come from forms/refusal.json.  A
 * returning applicant's supplement is never refused at the counter.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/decision.h"
#include "core/i18n.h"
#include "core/notice.h"

static int refuse_rule(const struct decision_input *in, char *why, size_t n)
{
	if (in->supplement) {
		snprintf(why, n, "%s", _("a supplement cannot be refused at the counter"));
		return -1;
	}
	if (in->env->refusal == NULL) {
		snprintf(why, n, "%s", _("forms/refusal.json missing"));
		return -1;
	}
	return 0;
}

static int refuse_build(const struct decision_input *in, struct json_object *p,
                        struct notice_ctx *ctx, struct decision_marks *marks, char *warn, size_t wn,
                        struct err *e)
{
	const struct form *f = in->env->refusal;
	marks->outcome = "refused";
	tb_date_format(in->env->today, marks->done_on);
	size_t i;

	(void)warn;
	(void)wn;
	if (in->refusal == NULL) {
		err_set(e, "%s", _("the refusal's reason is missing"));
		return -1;
	}
	for (i = 0; i < f->n_fields; i++)
		json_object_object_add(p, f->fields[i].id, json_object_new_string(in->refusal[i]));
	if (ctx) {
		const char *reason = form_value(f, in->refusal, "reason");
		const char *detail = form_value(f, in->refusal, "detail");
		char *both = xasprintf("%s%s%s", reason, detail[0] ? "：" : "", detail);

		notice_set(ctx, "reason", both);
		notice_set(ctx, "legal_basis", form_value(f, in->refusal, "legal_basis"));
		notice_set(ctx, "apply_instead", form_value(f, in->refusal, "apply_instead"));
		free(both);
	}
	return 0;
}

const struct decision decision_refuse = {
    .name = "refuse",
    .fkey = 8,
    .label = N_("refuse"),
    .event = CEV_REFUSED,
    .notice_kind = "refusal",
    .rule = refuse_rule,
    .build = refuse_build,
};
