/* joint.c - the window's view of a joint case (see joint.h). */
#include "core/joint.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"

void joint_view_init(struct joint_view *v, const struct item *it)
{
	size_t i, n = it ? item_joint_count(it) : 0;

	memset(v, 0, sizeof *v);
	if (n == 0)
		return;
	for (i = 0; i < n && v->n < JOINT_MAX_PARTS; i++)
		if (item_joint_dept(it, i, v->parts[v->n].dept, sizeof v->parts[v->n].dept))
			v->n++;
	str_copy(v->rule, sizeof v->rule, it->joint_rule[0] ? it->joint_rule : "all");
}

static const char *str_of(struct json_object *o, const char *key)
{
	struct json_object *s;

	return o && json_object_object_get_ex(o, key, &s) &&
	               json_object_is_type(s, json_type_string)
	           ? json_object_get_string(s)
	           : "";
}

static struct joint_part *part_of(struct joint_view *v, const char *dept)
{
	size_t i;

	if (dept[0] == '\0')
		return NULL;
	for (i = 0; i < v->n; i++)
		if (strcmp(v->parts[i].dept, dept) == 0)
			return &v->parts[i];
	if (v->n == JOINT_MAX_PARTS)
		return NULL;
	memset(&v->parts[v->n], 0, sizeof v->parts[v->n]);
	str_copy(v->parts[v->n].dept, sizeof v->parts[v->n].dept, dept);
	return &v->parts[v->n++];
}

static void set_part(struct joint_part *p, const char *outcome, const char *reason, const char *by,
                     const char *at)
{
	if (p == NULL || (strcmp(outcome, "approve") != 0 && strcmp(outcome, "refuse") != 0))
		return;
	str_copy(p->outcome, sizeof p->outcome, outcome);
	str_copy(p->reason, sizeof p->reason, reason);
	str_copy(p->by, sizeof p->by, by ? by : "");
	str_copy(p->at, sizeof p->at, at ? at : "");
}

/* The server's summary of the joint result: its rule and parts. */
static void take_summary(struct joint_view *v, struct json_object *joint)
{
	struct json_object *parts, *partial;
	size_t i;

	if (str_of(joint, "rule")[0])
		str_copy(v->rule, sizeof v->rule, str_of(joint, "rule"));
	if (json_object_object_get_ex(joint, "partial", &partial))
		v->partial = json_object_get_boolean(partial);
	if (!json_object_object_get_ex(joint, "parts", &parts) ||
	    !json_object_is_type(parts, json_type_array))
		return;
	for (i = 0; i < json_object_array_length(parts); i++) {
		struct json_object *o = json_object_array_get_idx(parts, i);
		struct joint_part *p = part_of(v, str_of(o, "dept"));

		if (p != NULL && p->outcome[0] == '\0')
			set_part(p, str_of(o, "outcome"), str_of(o, "reason"),
			         str_of(o, "decided_by"), str_of(o, "decided_at"));
	}
}

void joint_view_event(struct joint_view *v, const char *type, const char *clerk, const char *time,
                      const char *payload)
{
	struct json_object *p, *joint;

	if (type == NULL || (strcmp(type, "dept_decided") != 0 && strcmp(type, "decided") != 0))
		return;
	if ((p = json_tokener_parse(payload ? payload : "")) == NULL)
		return;
	if (strcmp(type, "dept_decided") == 0) {
		set_part(part_of(v, str_of(p, "dept")), str_of(p, "outcome"), str_of(p, "reason"),
		         clerk, time);
	} else if (v->n > 0) {
		str_copy(v->result, sizeof v->result, str_of(p, "outcome"));
		if (json_object_object_get_ex(p, "joint", &joint) &&
		    json_object_is_type(joint, json_type_object))
			take_summary(v, joint);
		else
			v->partial =
			    strcmp(v->result, "approve") == 0 && joint_view_count(v, "refuse") > 0;
	}
	json_object_put(p);
}

size_t joint_view_count(const struct joint_view *v, const char *outcome)
{
	size_t i, k = 0;

	for (i = 0; i < v->n; i++)
		k += strcmp(v->parts[i].outcome, outcome) == 0;
	return k;
}

static const char *depts(const struct joint_view *v, const char *outcome, bool shown, char *out,
                         size_t n)
{
	size_t i, len;

	if (n == 0)
		return out;
	out[0] = '\0';
	for (i = 0; i < v->n; i++) {
		if (strcmp(v->parts[i].outcome, outcome) != 0)
			continue;
		len = strlen(out);
		snprintf(out + len, n - len, "%s%s", len ? (shown ? C_("list", ", ") : "、") : "",
		         shown ? i18n_data(v->parts[i].dept) : v->parts[i].dept);
	}
	return out;
}

const char *joint_view_depts(const struct joint_view *v, const char *outcome, char *out, size_t n)
{
	return depts(v, outcome, true, out, n);
}

const char *joint_view_depts_zh(const struct joint_view *v, const char *outcome, char *out,
                                size_t n)
{
	return depts(v, outcome, false, out, n);
}

const struct joint_part *joint_view_refused(const struct joint_view *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->parts[i].outcome, "refuse") == 0)
			return &v->parts[i];
	return NULL;
}

const char *joint_rule_label(const char *rule)
{
	return rule && strcmp(rule, "partial") == 0
	           ? _("partial: what was approved may be released")
	           : _("all must approve");
}
