/*
 * joint.h - the window's view of a joint case (并联审批): each department
 * of the item and its part of the decision as the changes feed brought it
 * (dept_decided events: approve or refuse, who, when, why), the ones still
 * waiting, the item's rule and, once the rule decides, the joint result
 * (the decided event's payload.joint: all must approve, or partial: what
 * was approved may be released alone).  Built from the case's events, in
 * order; knows nothing of the store.
 */
#ifndef TB_CORE_JOINT_H
#define TB_CORE_JOINT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/catalogue.h"

#define JOINT_MAX_PARTS 16

struct joint_part {
	char dept[256];
	char outcome[16]; /* "approve", "refuse", "" while waiting */
	char reason[512];
	char by[64]; /* the back-office user who decided */
	char at[32]; /* when, as the server dated it */
};

struct joint_view {
	size_t n; /* 0: the item is not joint */
	struct joint_part parts[JOINT_MAX_PARTS];
	char rule[16];   /* "all" or "partial" */
	char result[16]; /* the joint result: "approve", "refuse", "" while undecided */
	bool partial;    /* approved with some parts refused (rule partial) */
};

/* The departments of it, all waiting.  v->n is 0 when it is not joint. */
void joint_view_init(struct joint_view *v, const struct item *it);

/* Apply one event of the case (type, the clerk it names, its time, its
 * payload's JSON text): a dept_decided fills its department's part (one
 * the item no longer names is added while room is left), a decided
 * closes the result (its payload.joint, when there, is taken as the
 * server worked it out).  Other events are ignored. */
void joint_view_event(struct joint_view *v, const char *type, const char *clerk, const char *time,
                      const char *payload);

/* How many parts have outcome ("approve", "refuse", "" for waiting). */
size_t joint_view_count(const struct joint_view *v, const char *outcome);

/* The departments whose part has outcome (as joint_view_count), in the
 * current language and joined as a list of it ("、"), into out (size n); returns out. */
const char *joint_view_depts(const struct joint_view *v, const char *outcome, char *out, size_t n);

/* The same as stored (Chinese) and "、"-joined, for a notice's data. */
const char *joint_view_depts_zh(const struct joint_view *v, const char *outcome, char *out,
                                size_t n);

/* The first refused part, or NULL. */
const struct joint_part *joint_view_refused(const struct joint_view *v);

/* The rule in the current language ("all must approve" ...).  Static. */
const char *joint_rule_label(const char *rule);

#endif
