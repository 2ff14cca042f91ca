/* casestate.c - the case state machine and the 5-working-day rule. */
#include "core/casestate.h"

#include <stdio.h>
#include <string.h>

#include "core/i18n.h"

#define BIT(s) (1u << (s))

struct state_desc {
	const char *name;
	const char *label;
	const char *is; /* "the case is …": the start of a refusal */
};

static const struct state_desc states[CS_N_STATES] = {
    [CS_NONE] = {"none", NC_("state", "draft"), N_("the case has not been created yet")},
    [CS_RECEIVED] = {"received", NC_("state", "received"),
                     N_("the materials were received but the case is not yet accepted")},
    [CS_AWAITING_SUPPLEMENT] =
        {"awaiting_supplement", NC_("state", "awaiting supplement"),
         N_("the case is waiting for the applicant to supplement materials")},
    [CS_ACCEPTED] = {"accepted", NC_("state", "accepted"),
                     N_("the case has already been accepted")},
    [CS_ACCEPTED_COMMITMENT] = {"accepted_commitment", NC_("state", "accepted on commitment"),
                                N_("the case has already been accepted on commitment")},
    [CS_REFUSED] = {"refused", NC_("state", "refused"), N_("the case was refused at the counter")},
    [CS_IN_REVIEW] = {"in_review", NC_("state", "in review"),
                      N_("the case is in review at the back office")},
    [CS_APPROVED] = {"approved", NC_("state", "approved"), N_("the case has been approved")},
    [CS_DENIED] = {"denied", NC_("state", "denied"), N_("the case has been denied")},
    [CS_REVOKED] = {"revoked", NC_("state", "revoked"), N_("the case has been revoked")},
    [CS_RELEASED] = {"released", NC_("state", "released"),
                     N_("the case has been released and is closed")},
    [CS_WITHDRAWN] = {"withdrawn", NC_("state", "withdrawn"),
                      N_("the case was deemed withdrawn (the supplement came too late)")},
};

struct event_desc {
	const char *name;
	const char *label;
	const char *cannot; /* the end of a refusal */
	unsigned from;      /* BIT() of every state it may follow */
};

#define ALL_BUT_NONE (((1u << CS_N_STATES) - 1) & ~BIT(CS_NONE))
#define VERIFIABLE                                                                                 \
	(BIT(CS_ACCEPTED_COMMITMENT) | BIT(CS_IN_REVIEW) | BIT(CS_APPROVED) | BIT(CS_RELEASED))

static const struct event_desc events[CEV_N_TYPES] = {
    [CEV_CREATED] = {"created", NC_("event", "materials received"),
                     N_("it cannot be created again"), BIT(CS_NONE)},
    [CEV_MATERIALS_CHECKED] = {"materials_checked", NC_("event", "materials checked"),
                               N_("its materials can no longer be checked"),
                               BIT(CS_RECEIVED) | BIT(CS_AWAITING_SUPPLEMENT)},
    [CEV_NOTICE_ISSUED] = {"notice_issued", NC_("event", "one-time notice issued"),
                           N_("no one-time notice (a notice to supplement) can be issued"),
                           BIT(CS_RECEIVED)},
    [CEV_SUPPLEMENTED] = {"supplemented", NC_("event", "materials supplemented"),
                          N_("it cannot be supplemented"), BIT(CS_AWAITING_SUPPLEMENT)},
    [CEV_ACCEPTED] = {"accepted", NC_("event", "accepted"), N_("it cannot be accepted"),
                      BIT(CS_RECEIVED)},
    [CEV_COMMITTED] = {"committed", NC_("event", "accepted on commitment"),
                       N_("it cannot be accepted on commitment"), BIT(CS_RECEIVED)},
    [CEV_REFUSED] = {"refused", NC_("event", "refused at the counter"),
                     N_("it cannot be refused at the counter"), BIT(CS_RECEIVED)},
    [CEV_REVIEW_STARTED] = {"review_started", NC_("event", "review started"),
                            N_("review cannot start"),
                            BIT(CS_ACCEPTED) | BIT(CS_ACCEPTED_COMMITMENT)},
    [CEV_DECIDED] = {"decided", NC_("event", "decision"), N_("no decision can be recorded"),
                     BIT(CS_ACCEPTED) | BIT(CS_ACCEPTED_COMMITMENT) | BIT(CS_IN_REVIEW)},
    [CEV_VERIFIED] = {"verified", NC_("event", "commitment verified"),
                      N_("no verification of a commitment can be recorded"), VERIFIABLE},
    [CEV_RELEASED] = {"released", NC_("event", "released"), N_("it cannot be released"),
                      BIT(CS_APPROVED) | BIT(CS_DENIED) | BIT(CS_REFUSED)},
    [CEV_RATED] = {"rated", NC_("event", "rated"), N_("it cannot be rated"), BIT(CS_RELEASED)},
    [CEV_NOTE] = {"note", NC_("event", "note"), N_("no note can be added"), ALL_BUT_NONE},
    [CEV_REVOKED] = {"revoked", NC_("event", "revoked"), N_("it cannot be revoked"), VERIFIABLE},
    [CEV_WITHDRAWN] = {"withdrawn", NC_("event", "deemed withdrawn"),
                       N_("it cannot be deemed withdrawn"), BIT(CS_AWAITING_SUPPLEMENT)},
    [CEV_FOLLOWED_UP] = {"followed_up", NC_("event", "follow-up closed"),
                         N_("no follow-up can be closed"), BIT(CS_RELEASED)},
    [CEV_DEPT_DECIDED] = {"dept_decided", NC_("event", "department decision"),
                          N_("no department decision can be recorded"),
                          BIT(CS_ACCEPTED) | BIT(CS_ACCEPTED_COMMITMENT) | BIT(CS_IN_REVIEW)},
};

const char *casestate_name(enum case_state s)
{
	if ((unsigned)s >= CS_N_STATES)
		return "?";
	return states[s].name;
}

int casestate_from_name(const char *name, enum case_state *out)
{
	unsigned i;

	if (name == NULL)
		return -1;
	for (i = 0; i < CS_N_STATES; i++)
		if (strcmp(states[i].name, name) == 0) {
			*out = (enum case_state)i;
			return 0;
		}
	return -1;
}

const char *casestate_label(enum case_state s)
{
	if ((unsigned)s >= CS_N_STATES)
		return "?";
	return C_("state", states[s].label);
}

const char *case_event_name(enum case_event_type ev)
{
	if ((unsigned)ev >= CEV_N_TYPES)
		return "?";
	return events[ev].name;
}

int case_event_from_name(const char *name, enum case_event_type *out)
{
	unsigned i;

	if (name == NULL)
		return -1;
	for (i = 0; i < CEV_N_TYPES; i++)
		if (strcmp(events[i].name, name) == 0) {
			*out = (enum case_event_type)i;
			return 0;
		}
	return -1;
}

const char *case_event_label(enum case_event_type ev)
{
	if ((unsigned)ev >= CEV_N_TYPES)
		return "?";
	return C_("event", events[ev].label);
}

bool case_event_needs_outcome(enum case_event_type ev)
{
	return ev == CEV_DECIDED || ev == CEV_DEPT_DECIDED || ev == CEV_VERIFIED;
}

/* Append to why the labels of the events that may follow s. */
static void list_allowed(enum case_state s, char *why, size_t n)
{
	size_t len = strlen(why);
	unsigned i, k = 0;

	for (i = 0; i < CEV_N_TYPES && len < n; i++) {
		if (!(events[i].from & BIT(s)))
			continue;
		snprintf(why + len, n - len, "%s%s", k++ ? _(", ") : _("; possible now: "),
		         case_event_label((enum case_event_type)i));
		len = strlen(why);
	}
}

static void refuse_state(enum case_state s, enum case_event_type ev, char *why, size_t n)
{
	if (why == NULL || n == 0)
		return;
	/* TRANSLATORS: the case's state, then what cannot be done */
	snprintf(why, n, _("%s; %s"), _(states[s].is), _(events[ev].cannot));
	list_allowed(s, why, n);
}

static int refuse_outcome(enum case_event_type ev, const char *outcome, char *why, size_t n)
{
	if (why == NULL || n == 0)
		return -1;
	if (ev == CEV_DECIDED || ev == CEV_DEPT_DECIDED)
		snprintf(why, n, _("decision \"%s\" is not valid: it must be approve or refuse"),
		         outcome ? outcome : "");
	else
		snprintf(why, n,
		         _("verification result \"%s\" is not valid: it must be confirmed or "
		           "breached"),
		         outcome ? outcome : "");
	return -1;
}

static bool is(const char *outcome, const char *name)
{
	return outcome != NULL && strcmp(outcome, name) == 0;
}

/* The state after an allowed ev in from; -1 when the outcome is not valid. */
static int target(enum case_state from, enum case_event_type ev, const char *outcome,
                  enum case_state *to)
{
	switch (ev) {
	case CEV_CREATED:
	case CEV_SUPPLEMENTED:
		*to = CS_RECEIVED;
		return 0;
	case CEV_NOTICE_ISSUED:
		*to = CS_AWAITING_SUPPLEMENT;
		return 0;
	case CEV_ACCEPTED:
		*to = CS_ACCEPTED;
		return 0;
	case CEV_COMMITTED:
		*to = CS_ACCEPTED_COMMITMENT;
		return 0;
	case CEV_REFUSED:
		*to = CS_REFUSED;
		return 0;
	case CEV_REVIEW_STARTED:
		*to = CS_IN_REVIEW;
		return 0;
	case CEV_RELEASED:
		*to = CS_RELEASED;
		return 0;
	case CEV_REVOKED:
		*to = CS_REVOKED;
		return 0;
	case CEV_WITHDRAWN:
		*to = CS_WITHDRAWN;
		return 0;
	case CEV_DECIDED:
		if (!is(outcome, CASE_OUTCOME_APPROVE) && !is(outcome, CASE_OUTCOME_REFUSE))
			return -1;
		*to = is(outcome, CASE_OUTCOME_APPROVE) ? CS_APPROVED : CS_DENIED;
		return 0;
	case CEV_DEPT_DECIDED:
		if (!is(outcome, CASE_OUTCOME_APPROVE) && !is(outcome, CASE_OUTCOME_REFUSE))
			return -1;
		*to = from;
		return 0;
	case CEV_VERIFIED:
		if (!is(outcome, CASE_OUTCOME_CONFIRMED) && !is(outcome, CASE_OUTCOME_BREACHED))
			return -1;
		*to = is(outcome, CASE_OUTCOME_BREACHED) ? CS_REVOKED : from;
		return 0;
	default: /* materials_checked, rated, note, followed_up */
		*to = from;
		return 0;
	}
}

int casestate_next(enum case_state from, enum case_event_type ev, const char *outcome,
                   enum case_state *to, char *why, size_t n)
{
	enum case_state next;

	if ((unsigned)from >= CS_N_STATES || (unsigned)ev >= CEV_N_TYPES) {
		if (why != NULL && n > 0)
			snprintf(why, n, "%s", _("unknown case state or event"));
		return -1;
	}
	if (!(events[ev].from & BIT(from))) {
		refuse_state(from, ev, why, n);
		return -1;
	}
	if (target(from, ev, outcome, &next) < 0)
		return refuse_outcome(ev, outcome, why, n);
	*to = next;
	return 0;
}

bool casestate_can_commit(enum case_state from, bool item_allows_commitment, char *why, size_t n)
{
	enum case_state to;

	if (casestate_next(from, CEV_COMMITTED, NULL, &to, why, n) < 0)
		return false;
	if (!item_allows_commitment) {
		if (why != NULL && n > 0)
			snprintf(why, n, "%s",
			         _("the item does not allow acceptance on commitment"));
		return false;
	}
	return true;
}

bool casestate_clock_stopped(enum case_state s)
{
	return s == CS_AWAITING_SUPPLEMENT;
}

bool casestate_is_final(enum case_state s)
{
	return s == CS_RELEASED || s == CS_REVOKED || s == CS_WITHDRAWN;
}

int casestate_deemed_accepted(const struct calendar *cal, struct tb_date received,
                              struct tb_date today, bool decided, struct tb_date *deemed,
                              struct err *e)
{
	struct tb_date last;

	if (decided)
		return 0;
	if (cal_add_workdays(cal, received, CASESTATE_DEEMED_DAYS, NULL, 0, &last, e) < 0)
		return -1;
	if (tb_date_cmp(today, last) <= 0)
		return 0;
	if (deemed != NULL)
		*deemed = received;
	return 1;
}
