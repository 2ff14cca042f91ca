/*
 * decision_commit.c - 告知承诺 / 容缺受理 (F7): the item allows it and the
 * applicant signs that the materials marked "committed" will follow by a
 * date; the 告知承诺书 names each commitment and its date.  Without a
 * working-day calendar for the date the commitment would be worthless: it
 * is refused rather than guessed.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "core/decision.h"
#include "core/i18n.h"
#include "core/notice.h"

static int commit_rule(const struct decision_input *in, char *why, size_t n)
{
	if (!casestate_can_commit(CS_RECEIVED, in->item->commitment, why, n))
		return -1;
	if (checklist_can_commit(in->cl, why, n) < 0)
		return -1;
	return checklist_check_agent(in->cl, in->has_agent, why, n);
}

/* One commitment: the payload's object and the notice's row. */
static void add_commitment(struct json_object *list, struct notice_ctx *ctx,
                           const struct material *m, const char *due_iso, const char *due_text)
{
	struct json_object *o = json_object_new_object();
	char content[512];

	if (i18n_is_chinese())
		snprintf(content, sizeof content, "申请人承诺于%s前补交“%s”，所作承诺真实有效",
		         due_text, m->name);
	else
		snprintf(content, sizeof content, "the applicant commits to supply '%s' by %s",
		         m->name, due_text);
	json_object_object_add(o, "id", json_object_new_string(m->id));
	json_object_object_add(o, "name", json_object_new_string(m->name));
	json_object_object_add(o, "content", json_object_new_string(content));
	json_object_object_add(o, "due_date", json_object_new_string(due_iso));
	json_object_array_add(list, o);
	if (ctx) {
		size_t r = notice_row_add(ctx, "commitments");

		notice_row_set(ctx, "commitments", r, "name", m->name);
		notice_row_set(ctx, "commitments", r, "content", content);
		notice_row_set(ctx, "commitments", r, "due_date", due_text);
	}
}

static int commit_build(const struct decision_input *in, struct json_object *p,
                        struct notice_ctx *ctx, struct decision_marks *marks, char *warn, size_t wn,
                        struct err *e)
{
	char due_text[128], promised_text[128];
	marks->outcome = "committed";
	struct json_object *list;
	size_t i;

	if (decision_workdays(in, in->env->cfg->commitment_days, marks->commit_due, due_text,
	                      sizeof due_text, warn, wn) < 0) {
		err_set(e, "%s%s", _("no due date for the commitment: "), warn);
		return -1;
	}
	decision_workdays(in, in->item->promised_days, marks->due, promised_text,
	                  sizeof promised_text, warn, wn);
	list = json_object_new_array();
	for (i = 0; i < in->cl->n; i++)
		if (in->cl->m[i].status == MS_COMMITTED)
			add_commitment(list, ctx, &in->item->materials[i], marks->commit_due,
			               due_text);
	decision_add_materials(p, in->cl);
	json_object_object_add(p, "commitments", list);
	json_object_object_add(p, "promised_date", json_object_new_string(marks->due));
	if (ctx) {
		decision_notice_materials(ctx, in->cl);
		notice_set(ctx, "due_date", promised_text);
	}
	return 0;
}

const struct decision decision_commit = {
    .name = "commit",
    .fkey = 7,
    .label = N_("commit"),
    .event = CEV_COMMITTED,
    .notice_kind = "commitment",
    .rule = commit_rule,
    .build = commit_build,
};
