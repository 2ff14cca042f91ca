/*
 * decision.h (store) - the store's side of core/decision.h: a decision's
 * events, outbox entries, notice, state, dates and the end of the intake
 * draft, in ONE transaction that checks the transitions again; and the
 * per-terminal case-number sequence.
 */
#ifndef TB_STORE_DECISION_H
#define TB_STORE_DECISION_H

#include "core/decision.h"

struct store;

/* Fill sink so that decision_run() writes into st. */
void store_decision_sink(struct store *st, struct decision_sink *sink);

/* Write r in one transaction (see struct decision_sink).  0, or -1 with e:
 * ERR_STALE when the case is no longer as the decision saw it. */
int store_decision_commit(struct store *st, const struct decision_record *r, struct err *e);

/* The next case number of the day yyyymmdd for clerk c at terminal, into
 * out, for good: never given twice, even when the counter lost its place
 * (a recovered database) and the number is on a case already.  0 or -1. */
int store_case_no_next(struct store *st, const struct clerk *c, const char *terminal,
                       const char *yyyymmdd, char *out, size_t n, struct err *e);

struct case_row;

/* The case a decision on the stored case r is about: its id, number, state
 * (CS_N_STATES when unknown: every decision then refuses), item, applicant
 * and application date; pointers borrow from r. */
void store_decision_case(const struct case_row *r, struct decision_case *k);

#endif
