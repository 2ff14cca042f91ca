/*
 * decision.h - what a clerk decides about a case, one entry per decision
 * (after tmux's cmd_entry): accept (受理), one-time notice (一次性告知),
 * supplement (补正), accept on commitment (告知承诺), refuse (不予受理),
 * commitment confirmed (承诺属实) and commitment breached (撤销).
 *
 * Each entry lives in its own file, decision_NAME.c, and names its key and
 * label, its checklist rule, its event, how its payload is built and which
 * notice it prints.  decision_run() does, in order: the rule, the state
 * transition (core/casestate.h), the payload (json-c), the notice text
 * (forms/notices/KIND.txt), and then ONE call to the store, which writes the
 * events, their outbox entries, the notice, the new state and removes the
 * intake draft in one transaction and checks the transition again there.
 * A crash therefore leaves the whole decision or none of it.
 *
 * Core knows nothing of SQL: the store is reached through struct
 * decision_sink, which src/store fills (store_decision_sink).
 */
#ifndef TB_CORE_DECISION_H
#define TB_CORE_DECISION_H

#include <stdbool.h>
#include <stddef.h>

#include "core/calendar.h"
#include "core/casestate.h"
#include "core/catalogue.h"
#include "core/checklist.h"
#include "core/clerk.h"
#include "core/config.h"
#include "core/date.h"
#include "core/form.h"
#include "core/pinyin.h"
#include "core/util.h"

struct json_object;
struct notice_ctx;

/* Where the decision is made: the same for every case of a session. */
struct decision_env {
	const struct clerk *clerk;
	const char *terminal;              /* this PC's terminal code, part of new case numbers */
	const struct config *cfg;          /* hall phone, review body, day counts */
	const struct calendar *cal;        /* working days; NULL: dates cannot be computed */
	const char *data_root;             /* forms/notices/ lives under it */
	const struct form *refusal;        /* forms/refusal.json, for the refusal's values */
	const struct pinyin_table *pinyin; /* for the applicant\'s initials (search); may be NULL */
	struct tb_date today;              /* the hall's date */
};

/* The case a decision is about. */
struct decision_case {
	bool is_new;           /* not stored yet: the decision creates it */
	char id[40];           /* existing case: its id; new: made by decision_run */
	char case_no[64];      /* existing: its number; new: "" or a number kept from a
	                        * failed try (reserved for good, used again) */
	enum case_state state; /* existing: its state when the screen read it */
	const char *item_code; /* the item; its guide is decision_input.item */
	const char *applicant; /* new: the applicant form as a JSON object, with "kind" */
	const char *name;      /* the applicant, as printed and kept on the case row */
	const char *id_number;
	const char *phone;
	struct tb_date received; /* the application date (existing case); today for a new one */
	char initials[64];       /* new: the applicant's pinyin initials, made by decision_run */
	const char *bundle;      /* new part of a 一件事 (core/bundle.h): the created event's
	                          * "bundle" object as JSON text, else NULL */
};

/* How the result is handed out (出件). */
enum release_method { RELEASE_PICKUP, RELEASE_MAIL, RELEASE_ELECTRONIC };

struct decision_release {
	enum release_method method;
	const char *collector_name; /* pickup: who collects, checked against the applicant */
	const char *collector_id;   /* ... or the agent named at intake with 授权委托书 */
	const char *agent_name;     /* the case's agent, "" when none */
	const char *agent_id;
	bool letter;         /* pickup by the agent: the authorisation letter is in hand */
	const char *courier; /* mail */
	const char *tracking_no;
	const char *address;
};

/* The clerk's answer for one commitment at verification (核查). */
struct decision_verdict {
	char material[256]; /* the committed material's name */
	bool breached;      /* found false */
};

/* Everything a decision reads. */
struct decision_input {
	const struct decision_env *env;
	const struct item *item;
	struct decision_case *kase;
	const struct checklist *cl;    /* the materials as checked now (NULL for verification) */
	const struct checklist *first; /* supplement: the checklist the notice was made from */
	bool supplement;               /* the applicant came back with what a notice asked */
	bool has_agent;                /* an agent (帮办代办) applies for the applicant */
	const char *note;              /* one-time notice: the clerk's note, may be "";
	                                * a note's or a follow-up's text */
	char *const *refusal;          /* refusal: values of env->refusal, one per field */
	const struct decision_verdict *verdicts; /* verification: one per commitment */
	size_t n_verdicts;
	const char *reason;                     /* revocation: why the commitment is found false;
	                                         * withdrawal: why it is deemed withdrawn */
	const struct decision_release *release; /* 出件 */
	const char *joint_approved; /* 出件 of a joint case approved in part (并联审批):
	                             * the departments that approved and those that
	                             * refused, "、"-joined as stored; NULL otherwise */
	const char *joint_refused;
	const char *supply_by;   /* withdrawal: the notice's date, YYYY-MM-DD */
	int rating;              /* 好差评: 0 declined, 1..5 */
	const char *comment;     /* 好差评: the applicant's words, may be "" */
	const char *draft_owner; /* the clerk whose intake draft the decision ends, or NULL */
};

/* One event the decision appends. */
struct decision_event {
	enum case_event_type type;
	const char *outcome; /* "decided"/"verified" outcome, else NULL */
	char *payload;       /* JSON object text; owned by the record */
	enum case_state to;  /* the state after it */
};

/* What a decision marks on the case row, for the lists, the queue and the
 * statistics (dates YYYY-MM-DD; "" and 0 leave a mark as it is). */
struct decision_marks {
	char due[TB_DATE_LEN];           /* promised completion (承诺办结日期) */
	char supply_by[TB_DATE_LEN];     /* a one-time notice's date to bring what is missing */
	char commit_due[TB_DATE_LEN];    /* the earliest date a commitment must be kept */
	const char *outcome;             /* the first counter decision: "accepted", "notice",
	                                  * "committed", "refused" (kept once set) */
	char done_on[TB_DATE_LEN];       /* the time limit ends: refused, revoked, withdrawn */
	char released_on[TB_DATE_LEN];   /* 出件 */
	int rating;                      /* -1 keep; else the level 0..5 (0: declined) */
	bool follow_up_open;             /* a bad rating opens its 整改 ... */
	char follow_up_due[TB_DATE_LEN]; /* ... due then ("" without calendar data) */
	bool follow_up_closed;           /* 整改 closed */
	bool verified;                   /* commitments confirmed */
	bool credit_record;              /* revoked: 失信记录 */
};

#define DECISION_MAX_EVENTS 3

/* The width notices are laid out at (display columns). */
#define DECISION_NOTICE_WIDTH 80

/* What the store writes, in ONE transaction. */
struct decision_record {
	const struct clerk *clerk;
	const struct decision_case *kase;
	const char *item_name;
	struct decision_event ev[DECISION_MAX_EVENTS];
	size_t n_ev;
	const char *notice_kind; /* NULL: no notice */
	const char *notice_text;
	struct decision_marks marks;
	const char *draft_owner; /* delete this clerk's intake draft, NULL: keep drafts */
};

/* The store's side: reserving case numbers and committing a record. */
struct decision_sink {
	void *arg;
	/* The next case number of the day for this terminal (case_no_make of
	 * core/event.h) into out, taken for good: a crash leaves a gap, never a
	 * number given twice.  0 or -1. */
	int (*reserve)(void *arg, const struct clerk *c, const char *terminal, const char *yyyymmdd,
	               char *out, size_t n, struct err *e);
	/* Write the record in one transaction; refuse it (ERR_STALE) when the
	 * case is no longer in record->kase->state or a transition does not
	 * hold.  0 or -1. */
	int (*commit)(void *arg, const struct decision_record *r, struct err *e);
};

/* What a screen shows after the decision. */
struct decision_result {
	char case_id[40];
	char case_no[64];
	enum case_state state;
	char
	    *notice_text; /* the printed notice, NULL when the decision prints none; caller frees */
	char warning[512]; /* what the clerk should know (a calendar without this year), or "" */
};

/* One decision. */
struct decision {
	const char *name;  /* "accept": in tests and logs */
	int fkey;          /* the function key: 5 is F5; 0 for none */
	const char *label; /* English, N_(): decision_label() translates */
	enum case_event_type event;
	const char *outcome;     /* "verified" outcome, else NULL */
	const char *notice_kind; /* forms/notices/KIND.txt, or NULL */
	/* Whether the decision fits: 0, or -1 with why (the clerk's language). */
	int (*rule)(const struct decision_input *in, char *why, size_t n);
	/* The event's payload into p, the notice's own values into ctx (NULL when
	 * the decision prints none), its marks on the case into marks; a warning for the
	 * clerk may be written into warn.  0 or -1 with e. */
	int (*build)(const struct decision_input *in, struct json_object *p, struct notice_ctx *ctx,
	             struct decision_marks *marks, char *warn, size_t wn, struct err *e);
};

extern const struct decision decision_accept;
extern const struct decision decision_notice;
extern const struct decision decision_supplement;
extern const struct decision decision_commit;
extern const struct decision decision_refuse;
extern const struct decision decision_confirm;
extern const struct decision decision_revoke;
extern const struct decision decision_note;
extern const struct decision decision_ecert_notice; /* decision_ecert.c */
extern const struct decision decision_release;
extern const struct decision decision_rate;
extern const struct decision decision_follow_up;
extern const struct decision decision_withdraw;

/* The counter's decisions in the order of their keys (F5..F8), NULL-terminated. */
extern const struct decision *const decision_counter[];

/* The decision's label in the current language.  Static. */
const char *decision_label(const struct decision *d);

/*
 * Whether d fits in now: its rule and its transitions (after a supplement
 * when in->supplement), without numbering, building or saving anything;
 * for a screen that asks the clerk something before deciding.  0, or -1
 * with the reason in e.
 */
int decision_check(const struct decision *d, const struct decision_input *in, struct err *e);

/*
 * Run decision d on in (a supplement first when in->supplement): rule,
 * transition, payload, notice, then sink->commit.  A new case gets its id
 * and number here (in->kase->case_no keeps a reserved number when the
 * commit fails, so a retry uses it again).  Returns 0 with *out filled, or
 * -1 with e: the reason the decision does not fit (ERR_FAILED), or why it
 * could not be saved (the store's kind: ERR_BUSY, ERR_FULL, ERR_STALE...).
 * Nothing is written unless 0 is returned.
 */
int decision_run(const struct decision *d, const struct decision_input *in,
                 const struct decision_sink *sink, struct decision_result *out, struct err *e);

/* ---- shared by the entries (decision_*.c) -------------------------------- */

/* A date n working days after the hall's today as YYYY-MM-DD into iso and as
 * "2026年11月25日" into text; 0, or -1 with the calendar's reason in warn
 * (iso "", text saying the date must be set by hand). */
int decision_workdays(const struct decision_input *in, int n, char iso[TB_DATE_LEN], char *text,
                      size_t tn, char *warn, size_t wn);

/* "2026年11月25日" */
void decision_date_text(struct tb_date d, char *out, size_t n);

/* The checklist as the payload's "materials" array. */
void decision_add_materials(struct json_object *p, const struct checklist *cl);

/* Rows "materials" (received) and "missing" (missing or defective) of a notice. */
void decision_notice_materials(struct notice_ctx *ctx, const struct checklist *cl);

/* The commitments of a "committed" payload: names and due dates.  *out is a
 * new array (caller frees); returns how many, 0 when none or malformed. */
struct decision_commitment {
	char material[256];
	char due[TB_DATE_LEN];
};
size_t decision_commitments(const char *committed_payload, struct decision_commitment **out);

/* The verification verdicts as a payload's "commitments": name and result. */
void decision_add_verdicts(struct json_object *p, const struct decision_input *in);

/* For core/bundle.c, which runs one decision on several cases: */

/* A new case's id, initials and number (a number kept in in->kase is used
 * again).  0 or -1 with e. */
int decision_number_case(const struct decision_input *in, const struct decision_sink *sink,
                         struct err *e);

/* The events of d (created, supplement, d's own) and its marks into r,
 * without d's rule and without a notice; out->state and out->warning set.
 * 0 or -1 with e; free r with decision_record_free either way. */
int decision_build(const struct decision *d, const struct decision_input *in,
                   struct decision_record *r, struct decision_result *out, struct err *e);
void decision_record_free(struct decision_record *r);

/* The values every notice has (hall, clerk, case, applicant, item) into ctx. */
void decision_notice_common(struct notice_ctx *ctx, const struct decision_input *in);

/* forms/notices/KIND.txt rendered with ctx; NULL with e.  Caller frees. */
char *decision_notice_render(const char *kind, const struct decision_input *in,
                             struct notice_ctx *ctx, struct err *e);

/* The checklist of a payload's "materials" into cl (built for the item). */
void decision_payload_checklist(const char *payload, struct checklist *cl);

#endif
