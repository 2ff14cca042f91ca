/*
 * decision_ecert.c - 电子证照核验补正告知: a case accepted while its
 * e-certificates were 待核验 (offline, core/ecert.h), whose check failed
 * once the link returned (not found, expired, another holder's).  ONE
 * notice (forms/notices/ecert.txt) lists every such material with why, and
 * the date to bring it by; the case's record keeps it as a note, and the
 * state stays (the case was accepted).
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "core/decision.h"
#include "core/i18n.h"
#include "core/notice.h"

/* Whether material i of cl is an e-certificate whose check failed. */
static bool is_failed_ecert(const struct checklist *cl, size_t i)
{
	return cl->item->materials[i].ecert[0] != '\0' && cl->m[i].status == MS_DEFECTIVE;
}

static int ecert_rule(const struct decision_input *in, char *why, size_t n)
{
	size_t i;

	if (in->kase->is_new || in->cl == NULL) {
		snprintf(why, n, "%s", _("an e-certificate notice needs an existing case"));
		return -1;
	}
	for (i = 0; i < in->cl->n; i++)
		if (is_failed_ecert(in->cl, i))
			return 0;
	snprintf(why, n, "%s", _("no e-certificate check of this case failed"));
	return -1;
}

static int ecert_build(const struct decision_input *in, struct json_object *p,
                       struct notice_ctx *ctx, struct decision_marks *marks, char *warn, size_t wn,
                       struct err *e)
{
	struct json_object *list = json_object_new_array();
	char text[1024] = "", supply_by[TB_DATE_LEN], words[128];
	size_t i, len = 0;

	(void)marks;
	(void)e;
	decision_workdays(in, in->env->cfg->supplement_days, supply_by, words, sizeof words, warn,
	                  wn);
	len = (size_t)snprintf(text, sizeof text, "%s",
	                       _("e-certificate checks failed, the applicant was told: "));
	for (i = 0; i < in->cl->n; i++) {
		const struct material *m = &in->cl->item->materials[i];

		if (!is_failed_ecert(in->cl, i))
			continue;
		json_object_array_add(list, json_object_new_string(m->id));
		if (len < sizeof text)
			len += (size_t)snprintf(text + len, sizeof text - len, "%s%s（%s）",
			                        json_object_array_length(list) > 1 ? _("; ") : "",
			                        m->name, in->cl->m[i].reason);
	}
	json_object_object_add(p, "text", json_object_new_string(text));
	json_object_object_add(p, "ecert_notice", list);
	json_object_object_add(p, "supply_by", json_object_new_string(supply_by));
	if (ctx) {
		decision_notice_materials(ctx, in->cl);
		notice_set(ctx, "supply_by", words);
	}
	return 0;
}

const struct decision decision_ecert_notice = {
    .name = "ecert_notice",
    .fkey = 0,
    .label = N_("e-certificate notice"),
    .event = CEV_NOTE,
    .notice_kind = "ecert",
    .rule = ecert_rule,
    .build = ecert_build,
};
