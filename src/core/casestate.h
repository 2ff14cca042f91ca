/*
 * casestate.h - the life of a case (案件状态机): which event may follow which
 * state, and the 5-working-day rule of 行政许可法 art. 32.
 *
 * Pure functions, no I/O.  States and events have wire names ("received",
 * "notice_issued") used in JSON and in the databases; those never change.
 * Labels are what a clerk sees, in the current language (gettext).
 *
 *   none --created--> received
 *   received --notice_issued--> awaiting_supplement --supplemented--> received
 *   received --accepted--> accepted      received --committed--> accepted_commitment
 *   received --refused--> refused
 *   accepted | accepted_commitment --review_started--> in_review
 *   accepted | accepted_commitment | in_review --decided approve|refuse--> approved | denied
 *   accepted_commitment | in_review | approved | released
 *           --verified confirmed--> (same)   --verified breached--> revoked
 *           --revoked--> revoked              (撤销: a commitment found false)
 *   awaiting_supplement --withdrawn--> withdrawn (视为放弃: the supply-by date passed)
 *   approved | denied | refused --released--> released --rated--> released
 *   released --followed_up--> released        (整改 of a bad rating closed)
 *   received | awaiting_supplement --materials_checked--> (same)
 *   any state but none --note--> (same)
 *   accepted | accepted_commitment | in_review --dept_decided approve|refuse--> (same)
 *           (one department's part of a joint decision, 并联审批)
 */
#ifndef TB_CORE_CASESTATE_H
#define TB_CORE_CASESTATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/calendar.h"
#include "core/date.h"
#include "core/util.h"

/* Working days within which a one-time notice or a decision must be given. */
#define CASESTATE_DEEMED_DAYS 5

enum case_state {
	CS_NONE,                /* "none": not yet created (录入) */
	CS_RECEIVED,            /* "received": materials received, no decision (收件) */
	CS_AWAITING_SUPPLEMENT, /* "awaiting_supplement": notice issued, clock stopped (待补正) */
	CS_ACCEPTED,            /* "accepted" (已受理) */
	CS_ACCEPTED_COMMITMENT, /* "accepted_commitment" (承诺受理) */
	CS_REFUSED,             /* "refused" at the counter (不予受理) */
	CS_IN_REVIEW,           /* "in_review" at the back office (审批中) */
	CS_APPROVED,            /* "approved" (准予许可) */
	CS_DENIED,              /* "denied" (不予许可) */
	CS_REVOKED,             /* "revoked" after a breached commitment (已撤销) */
	CS_RELEASED,            /* "released": result handed out (已出件/办结) */
	CS_WITHDRAWN, /* "withdrawn": deemed withdrawn, supplement overdue (视为放弃) */
	CS_N_STATES
};

enum case_event_type {
	CEV_CREATED,           /* "created" */
	CEV_MATERIALS_CHECKED, /* "materials_checked" */
	CEV_NOTICE_ISSUED,     /* "notice_issued": 一次性告知 / 补正材料通知书 */
	CEV_SUPPLEMENTED,      /* "supplemented" */
	CEV_ACCEPTED,          /* "accepted" */
	CEV_COMMITTED,         /* "committed": 告知承诺 signed */
	CEV_REFUSED,           /* "refused": 不予受理 */
	CEV_REVIEW_STARTED,    /* "review_started" */
	CEV_DECIDED,           /* "decided", outcome "approve" or "refuse" */
	CEV_VERIFIED,          /* "verified" (核查), outcome "confirmed" or "breached" */
	CEV_RELEASED,          /* "released" (出件) */
	CEV_RATED,             /* "rated" (好差评) */
	CEV_NOTE,              /* "note" */
	CEV_REVOKED,           /* "revoked" (撤销), with the credit record (失信记录) */
	CEV_WITHDRAWN,         /* "withdrawn" (视为放弃) */
	CEV_FOLLOWED_UP,       /* "followed_up": a bad rating's follow-up (整改) closed */
	CEV_DEPT_DECIDED,      /* "dept_decided": one department's part of a joint decision */
	CEV_N_TYPES
};

/* Wire names of the outcomes of "decided" and "verified". */
#define CASE_OUTCOME_APPROVE   "approve"
#define CASE_OUTCOME_REFUSE    "refuse"
#define CASE_OUTCOME_CONFIRMED "confirmed"
#define CASE_OUTCOME_BREACHED  "breached"

/* The wire name of s ("received"), or "?" when s is out of range.  Static. */
const char *casestate_name(enum case_state s);

/* The state whose wire name is name.  Returns 0, or -1 (out untouched). */
int casestate_from_name(const char *name, enum case_state *out);

/* The clerk's label of s ("收件" / "received"), current language.  Static. */
const char *casestate_label(enum case_state s);

/* The wire name of ev ("notice_issued"), or "?" when out of range.  Static. */
const char *case_event_name(enum case_event_type ev);

/* The event type whose wire name is name.  Returns 0, or -1 (out untouched). */
int case_event_from_name(const char *name, enum case_event_type *out);

/* The clerk's label of ev ("一次性告知" / "notice issued").  Static. */
const char *case_event_label(enum case_event_type ev);

/* Whether ev needs an outcome (decided, dept_decided, verified). */
bool case_event_needs_outcome(enum case_event_type ev);

/*
 * The state after event ev (with outcome, for "decided" and "verified"; NULL
 * or ignored otherwise) in state from.  Returns 0 with *to set, or -1 with a
 * reason a clerk understands, in the current language, written into why
 * (size n; why may be NULL) and *to untouched.  Whether the item allows
 * 告知承诺 is not checked here: see casestate_can_commit().
 */
int casestate_next(enum case_state from, enum case_event_type ev, const char *outcome,
                   enum case_state *to, char *why, size_t n);

/*
 * Whether "committed" may be applied: the case is received and the item
 * allows 告知承诺 (item_allows_commitment, from the catalogue).  On false a
 * reason is written into why (size n; may be NULL).
 */
bool casestate_can_commit(enum case_state from, bool item_allows_commitment, char *why, size_t n);

/* Whether the time-limit clock is stopped in s (awaiting supplement). */
bool casestate_clock_stopped(enum case_state s);

/*
 * Whether the case's life is over in s: released (办结), revoked or
 * withdrawn.  Only notes, and after release rating, its follow-up and
 * verification, may follow.  Refused and
 * denied cases are not final: their written decision is still to be released.
 */
bool casestate_is_final(enum case_state s);

/*
 * The 5-working-day rule (行政许可法 art. 32): materials received on
 * `received` with no one-time notice, acceptance or refusal since (decided
 * false) count as accepted from `received` once 5 working days have passed.
 * Returns 1 when today is after the 5th working day after received (then
 * *deemed = received; deemed may be NULL), 0 when not or when decided is
 * true, -1 with e naming the year when the calendar lacks it.
 */
int casestate_deemed_accepted(const struct calendar *cal, struct tb_date received,
                              struct tb_date today, bool decided, struct tb_date *deemed,
                              struct err *e);

#endif
