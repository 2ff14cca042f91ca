/*
 * decision_release.c - 出件: the result of a decided case is handed out --
 * picked up at the window by the applicant (the collector's ID checked
 * against the applicant's) or by the agent named at intake with the
 * authorisation letter (授权委托书); mailed (快递送达: courier, tracking
 * number, address); or self-printed / electronic.  The 出件回执 / 送达回证
 * prints from forms/notices/release.txt.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/decision.h"
#include "core/i18n.h"
#include "core/notice.h"

static const char *method_name(enum release_method m)
{
	return m == RELEASE_PICKUP ? "pickup" : m == RELEASE_MAIL ? "mail" : "electronic";
}

static const char *method_label(enum release_method m)
{
	return m == RELEASE_PICKUP ? "窗口领取"
	       : m == RELEASE_MAIL ? "快递送达"
	                           : "电子证照/自助打印";
}

static bool filled(const char *s)
{
	return s && s[0];
}

/* The collector at the window is the applicant or the case's agent. */
static int pickup_rule(const struct decision_input *in, const struct decision_release *r, char *why,
                       size_t n)
{
	bool applicant =
	    filled(in->kase->id_number) && strcasecmp(r->collector_id, in->kase->id_number) == 0;
	bool agent = filled(r->agent_id) && strcasecmp(r->collector_id, r->agent_id) == 0;

	if (!filled(r->collector_name) || !filled(r->collector_id)) {
		snprintf(why, n, "%s", _("the collector's name and ID are needed"));
		return -1;
	}
	if (!applicant && !agent) {
		snprintf(why, n, "%s",
		         _("the collector is neither the applicant nor the registered agent"));
		return -1;
	}
	if (agent && !applicant && !r->letter) {
		snprintf(why, n, "%s",
		         _("an agent collects only with the authorisation "
		           "letter"));
		return -1;
	}
	return 0;
}

static int release_rule(const struct decision_input *in, char *why, size_t n)
{
	const struct decision_release *r = in->release;

	if (r == NULL) {
		snprintf(why, n, "%s", _("choose how the result is handed out"));
		return -1;
	}
	if (r->method == RELEASE_PICKUP)
		return pickup_rule(in, r, why, n);
	if (r->method == RELEASE_MAIL &&
	    (!filled(r->courier) || !filled(r->tracking_no) || !filled(r->address))) {
		snprintf(why, n, "%s",
		         _("mail needs the courier, the tracking number and the address"));
		return -1;
	}
	return 0;
}

static void add(struct json_object *p, const char *key, const char *v)
{
	json_object_object_add(p, key, json_object_new_string(v ? v : ""));
}

static int release_build(const struct decision_input *in, struct json_object *p,
                         struct notice_ctx *ctx, struct decision_marks *marks, char *warn,
                         size_t wn, struct err *e)
{
	const struct decision_release *r = in->release;
	bool pickup = r->method == RELEASE_PICKUP, mail = r->method == RELEASE_MAIL;

	(void)warn;
	(void)wn;
	(void)e;
	tb_date_format(in->env->today, marks->released_on);
	add(p, "method", method_name(r->method));
	add(p, "collector_name", pickup ? r->collector_name : "");
	add(p, "collector_id_number", pickup ? r->collector_id : "");
	json_object_object_add(
	    p, "collector_is_agent",
	    json_object_new_boolean(pickup && filled(r->agent_id) &&
	                            strcasecmp(r->collector_id, r->agent_id) == 0 &&
	                            strcasecmp(r->collector_id, in->kase->id_number) != 0));
	add(p, "courier", mail ? r->courier : "");
	add(p, "tracking_no", mail ? r->tracking_no : "");
	add(p, "address", mail ? r->address : "");
	/* 并联审批 approved in part: what was handed out */
	if (filled(in->joint_approved)) {
		add(p, "approved_parts", in->joint_approved);
		add(p, "refused_parts", in->joint_refused);
	}
	if (ctx) {
		notice_set(ctx, "approved_parts",
		           filled(in->joint_approved) ? in->joint_approved : "");
		notice_set(ctx, "refused_parts",
		           filled(in->joint_approved) && in->joint_refused ? in->joint_refused
		                                                           : "");
		notice_set(ctx, "release_method", method_label(r->method));
		notice_set(ctx, "collector_name", pickup ? r->collector_name : "");
		notice_set(ctx, "courier", mail ? r->courier : "");
		notice_set(ctx, "tracking_no", mail ? r->tracking_no : "");
		notice_set(ctx, "address", mail ? r->address : "");
	}
	return 0;
}

const struct decision decision_release = {
    .name = "release",
    .fkey = 5,
    .label = N_("release"),
    .event = CEV_RELEASED,
    .notice_kind = "release",
    .rule = release_rule,
    .build = release_build,
};
