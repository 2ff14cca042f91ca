/* queue.c - the clerk's work queue (see queue.h). */
#include "core/queue.h"

#include <stdio.h>
#include <string.h>

#include "core/casestate.h"
#include "core/i18n.h"

static bool date_of(const char *s, struct tb_date *d)
{
	char day[TB_DATE_LEN];

	if (s == NULL || strlen(s) < TB_DATE_LEN - 1)
		return false;
	memcpy(day, s, TB_DATE_LEN - 1);
	day[TB_DATE_LEN - 1] = '\0';
	return tb_date_parse(day, d) == 0;
}

static bool is(const char *s, const char *name)
{
	return s && strcmp(s, name) == 0;
}

static void md(struct tb_date d, char *out, size_t n)
{
	if (i18n_is_chinese())
		snprintf(out, n, "%d月%d日", d.m, d.d);
	else
		snprintf(out, n, "%04d-%02d-%02d", d.y, d.m, d.d);
}

/* Working days left until d (negative: overdue); false without calendar data. */
static bool left(const struct calendar *cal, struct tb_date today, struct tb_date d, int *days)
{
	return cal && cal_workdays_between(cal, today, d, days, NULL) == 0;
}

static int put(struct queue_entry *out, enum queue_group g, struct tb_date d, int days)
{
	out->group = g;
	out->date = d;
	out->days = days;
	return 1;
}

/* The completion date: red past it, yellow near it. */
static int completion(const struct queue_case *c, const struct calendar *cal, struct tb_date today,
                      int yellow, struct queue_entry *out)
{
	struct tb_date due;
	char d[32];
	int days;

	if (!(is(c->state, "accepted") || is(c->state, "accepted_commitment") ||
	      is(c->state, "in_review")) ||
	    !date_of(c->due, &due) || !left(cal, today, due, &days))
		return 0;
	md(due, d, sizeof d);
	if (days < 0) {
		snprintf(out->why, sizeof out->why,
		         _("past the promised date %s by %d working days"), d, -days);
		snprintf(out->brief, sizeof out->brief, _("%d days late"), -days);
		return put(out, QG_RED, due, -days);
	}
	if (days <= yellow) {
		if (days == 0)
			snprintf(out->why, sizeof out->why, _("due today (%s)"), d);
		else
			snprintf(out->why, sizeof out->why, _("due %s, %d working days left"), d,
			         days);
		if (days == 0)
			snprintf(out->brief, sizeof out->brief, "%s", _("due today"));
		else
			snprintf(out->brief, sizeof out->brief, _("%d days left"), days);
		return put(out, QG_YELLOW, due, days);
	}
	return 0;
}

/* A joint case still waiting: the departments to chase, after why. */
static void joint_waiting(const struct queue_case *c, struct queue_entry *out)
{
	size_t len = strlen(out->why);

	if (c->joint_parts == 0 || c->joint_waiting == 0)
		return;
	snprintf(out->why + len, sizeof out->why - len,
	         P_("; joint: %zu of %zu departments waits (%s)",
	            "; joint: %zu of %zu departments wait (%s)", c->joint_waiting),
	         c->joint_waiting, c->joint_parts,
	         c->joint_waiting_depts ? c->joint_waiting_depts : "");
}

/* A case received and never decided: accepted by law after 5 working days. */
static int undecided(const struct queue_case *c, const struct calendar *cal, struct tb_date today,
                     struct queue_entry *out)
{
	struct tb_date day, by;
	char d[32];

	if (!is(c->state, "received") || !date_of(c->received_on, &day) || cal == NULL ||
	    casestate_deemed_accepted(cal, day, today, false, &by, NULL) != 1)
		return 0;
	md(by, d, sizeof d);
	snprintf(out->why, sizeof out->why,
	         _("5 working days without a notice: deemed accepted from %s"), d);
	snprintf(out->brief, sizeof out->brief, "%s", _("no notice"));
	return put(out, QG_RED, by, 0);
}

static int supply(const struct queue_case *c, const struct calendar *cal, struct tb_date today,
                  struct queue_entry *out)
{
	struct tb_date by = {0, 0, 0}, since;
	char d[32];
	int waited = 0;
	bool dated;

	if (!is(c->state, "awaiting_supplement"))
		return 0;
	dated = date_of(c->supply_by, &by);
	if (dated && tb_date_cmp(today, by) > 0) {
		md(by, d, sizeof d);
		snprintf(out->why, sizeof out->why, _("supply-by date %s passed: may be closed"),
		         d);
		snprintf(out->brief, sizeof out->brief, "%s", _("supply overdue"));
		return put(out, QG_SUPPLY_OVERDUE, by, 0);
	}
	if (!date_of(c->received_on, &since) || !left(cal, since, today, &waited) || waited < 0)
		waited = 0;
	snprintf(out->brief, sizeof out->brief, _("waited %d days"), waited);
	if (dated) {
		md(by, d, sizeof d);
		snprintf(out->why, sizeof out->why, _("waited %d working days, supply by %s"),
		         waited, d);
	} else {
		snprintf(out->why, sizeof out->why, _("waited %d working days"), waited);
	}
	return put(out, QG_SUPPLY, by, waited);
}

/* A commitment to verify: overdue ones before the results to hand out, due
 * ones after (overdue says which). */
static int verify(const struct queue_case *c, const struct calendar *cal, struct tb_date today,
                  int yellow, bool overdue, struct queue_entry *out)
{
	struct tb_date due;
	char d[32];
	int days;

	if (!is(c->outcome, "committed") || c->verified || is(c->state, "revoked") ||
	    is(c->state, "refused") || is(c->state, "withdrawn") || !date_of(c->commit_due, &due))
		return 0;
	md(due, d, sizeof d);
	if (tb_date_cmp(today, due) > 0) {
		if (!overdue)
			return 0;
		if (!left(cal, today, due, &days))
			days = -1;
		snprintf(out->why, sizeof out->why, _("commitment due %s passed: verify"), d);
		snprintf(out->brief, sizeof out->brief, "%s", _("commitment due"));
		return put(out, QG_VERIFY, due, -days);
	}
	if (overdue || !left(cal, today, due, &days) || days > yellow)
		return 0;
	snprintf(out->why, sizeof out->why, _("commitment due %s, %d working days left"), d, days);
	snprintf(out->brief, sizeof out->brief, _("verify in %d days"), days);
	return put(out, QG_VERIFY, due, days);
}

static int release(const struct queue_case *c, struct queue_entry *out)
{
	struct tb_date done = {0, 0, 0};

	if (!is(c->state, "approved") && !is(c->state, "denied"))
		return 0;
	date_of(c->done_on, &done);
	if (is(c->state, "approved") && c->joint_approved && c->joint_approved[0]) {
		snprintf(out->why, sizeof out->why,
		         _("approved in part (%s): hand out what was approved"), c->joint_approved);
		snprintf(out->brief, sizeof out->brief, "%s", _("approved in part"));
		return put(out, QG_RELEASE, done, 0);
	}
	if (is(c->state, "denied") && c->joint_refused_by && c->joint_refused_by[0])
		snprintf(out->why, sizeof out->why,
		         _("denied: %s refused its part: hand out the decision"),
		         c->joint_refused_by);
	else
		snprintf(out->why, sizeof out->why, "%s",
		         is(c->state, "approved") ? _("approved: hand out")
		                                  : _("denied: hand out the decision"));
	snprintf(out->brief, sizeof out->brief, "%s",
	         is(c->state, "approved") ? _("approved") : _("denied"));
	return put(out, QG_RELEASE, done, 0);
}

static int follow_up(const struct queue_case *c, struct tb_date today, struct queue_entry *out)
{
	struct tb_date due = {0, 0, 0};
	char d[32];

	if (!c->follow_up_open)
		return 0;
	if (date_of(c->follow_up_due, &due)) {
		md(due, d, sizeof d);
		snprintf(out->why, sizeof out->why,
		         tb_date_cmp(today, due) > 0 ? _("follow-up of a bad rating overdue (%s)")
		                                     : _("follow-up of a bad rating, by %s"),
		         d);
	} else {
		snprintf(out->why, sizeof out->why, "%s", _("follow-up of a bad rating"));
	}
	snprintf(out->brief, sizeof out->brief, "%s",
	         due.y && tb_date_cmp(today, due) > 0 ? _("follow-up overdue")
	                                              : _("follow-up open"));
	return put(out, QG_FOLLOW_UP, due, 0);
}

int queue_classify(const struct queue_case *c, const struct calendar *cal, struct tb_date today,
                   int yellow_days, struct queue_entry *out)
{
	int in;

	memset(out, 0, sizeof *out);
	if (undecided(c, cal, today, out)) {
		in = 1;
	} else if (completion(c, cal, today, yellow_days, out)) {
		joint_waiting(c, out);
		in = 1;
	} else {
		in = supply(c, cal, today, out) || verify(c, cal, today, yellow_days, true, out) ||
		     release(c, out) || verify(c, cal, today, yellow_days, false, out) ||
		     follow_up(c, today, out);
	}
	out->green = in && c->green;
	return in;
}

int queue_entry_cmp(const struct queue_entry *a, const struct queue_entry *b)
{
	if (a->green != b->green)
		return a->green ? -1 : 1;
	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	/* no date sorts last */
	if ((a->date.y == 0) != (b->date.y == 0))
		return a->date.y == 0 ? 1 : -1;
	return tb_date_cmp(a->date, b->date);
}

const char *queue_group_tag(enum queue_group g)
{
	switch (g) {
	case QG_RED:
		return C_("queue row", "RED");
	case QG_YELLOW:
		return C_("queue row", "YELLOW");
	case QG_SUPPLY_OVERDUE:
		return C_("queue row", "SUP. LATE");
	case QG_SUPPLY:
		return C_("queue row", "SUPPLY");
	case QG_VERIFY:
		return C_("queue row", "VERIFY");
	case QG_RELEASE:
		return C_("queue row", "HAND OUT");
	case QG_FOLLOW_UP:
		return C_("queue row", "FOLLOW-UP");
	case QG_SYNC:
		return C_("queue row", "SYNC");
	default:
		return "?";
	}
}

const char *queue_group_label(enum queue_group g)
{
	switch (g) {
	case QG_RED:
		return _("RED overdue");
	case QG_YELLOW:
		return _("YELLOW due soon");
	case QG_SUPPLY_OVERDUE:
		return _("supplement overdue");
	case QG_SUPPLY:
		return _("awaiting supplement");
	case QG_VERIFY:
		return _("commitments to verify");
	case QG_RELEASE:
		return _("ready to hand out");
	case QG_FOLLOW_UP:
		return _("follow-ups");
	case QG_SYNC:
		return _("sync problems");
	default:
		return "?";
	}
}
