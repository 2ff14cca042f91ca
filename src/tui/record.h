/*
 * record.h - the case's record (screen_record.c) and what the clerk does
 * from it (record_actions.c): every decision after intake is one of core's
 * (core/decision.h), asked for here and saved by the store.
 */
#ifndef TB_TUI_RECORD_H
#define TB_TUI_RECORD_H

#include <stdbool.h>

#include "core/decision.h"
#include "tui/app.h"

struct record_line {
	char *text;
	int attr;
};

struct record {
	struct app *app;
	struct case_row r;
	bool loaded;
	char *fields; /* the applicant form as JSON, "{}" when none */
	bool reveal;  /* the whole ID number and phone are shown (recorded) */
	int n_notices;
	struct record_line *lines; /* the body: deadlines, materials, history, notices */
	int n_lines, cap_lines, top;
	bool released_by_mail; /* the result went by mail: a label can be printed */
	long long read_at;     /* the database's change counter when it was read */
	int ecert_failed;      /* e-certificate checks of its materials that failed */
};

/* Read the case again (after a decision); false when it is gone. */
bool record_load(struct record *rec);

/* A value of the applicant form ("" when none).  Valid until the next load. */
const char *record_field(const struct record *rec, const char *key);

/* The case as a decision is about it, and the input for it (env filled). */
void record_input(struct record *rec, struct decision_env *env, struct decision_case *k,
                  struct decision_input *in);

/*
 * Run d on the case (in from record_input, completed by the caller).  The
 * clerk is told what happened; true when it was saved, with *notice the
 * printed notice when the decision made one (caller frees or shows it).
 */
bool record_decide(struct record *rec, const struct decision *d, struct decision_input *in,
                   char **notice);

/* The actions of the record's keys (record_actions.c).  Each returns the
 * next screen or UI_STAY. */
int record_supplement(struct record *rec);
int record_note(struct record *rec);
int record_release(struct record *rec);
int record_rate(struct record *rec);
int record_verify(struct record *rec);
int record_withdraw(struct record *rec);
/* record_ecert.c: the one-time notice of the e-certificates whose check
 * failed after the case was accepted offline (core/decision_ecert.c). */
int record_ecert_notice(struct record *rec);

#endif
