/*
 * srv_fault.h - injected faults, for tests only.
 *
 * The client's fault tests run against the real tongband: this module makes
 * it slow, answer an error status, drop the connection (before or after
 * committing) or send a truncated body, at a given rate.  Nothing here is
 * active unless a fault spec is given (TONGBAND_FAULTS, --faults or
 * TONGBAND_FAULTS_FILE); the syntax is in tongband(8), FAULTS FOR TESTS:
 *
 *   RULE[;RULE...]   RULE = KEY=VALUE[:KEY=VALUE...]
 *   slow=MS status=CODE retry_after=S drop=1 drop_after_commit=1 truncate=1
 *   rate=0..1 path=PREFIX count=N seed=N
 */
#ifndef TB_SERVER_SRV_FAULT_H
#define TB_SERVER_SRV_FAULT_H

#include <stdbool.h>

#include "core/util.h"

/* What to do to one request, besides the optional delay. */
enum srv_fault_kind {
	SRV_FAULT_NONE,
	SRV_FAULT_STATUS,            /* answer status without handling the request */
	SRV_FAULT_DROP,              /* close the connection without handling it */
	SRV_FAULT_DROP_AFTER_COMMIT, /* handle it (commit), then close without answer */
	SRV_FAULT_TRUNCATE,          /* handle it, send the first half of the body */
};

struct srv_fault_action {
	enum srv_fault_kind kind;
	long slow_ms;     /* sleep this long before anything else; 0 = none */
	int status;       /* for SRV_FAULT_STATUS */
	long retry_after; /* Retry-After seconds for SRV_FAULT_STATUS; 0 = none */
	char rule[128];   /* the rule that fired, for the log */
};

struct srv_faults;

/* Check spec's syntax.  0, or -1 with e naming the bad part. */
int srv_faults_check(const char *spec, struct err *e);

/* Faults from spec (may be NULL or "") and, when file is not NULL, from
 * the file of that name, re-read whenever its content changes: while the
 * file exists its content replaces spec (an empty file means no faults);
 * when it is missing, spec applies.  Returns NULL with e filled when spec
 * is malformed.  A malformed file is reported on stderr at the request
 * and means no faults.  Free with srv_faults_free. */
struct srv_faults *srv_faults_new(const char *spec, const char *file, struct err *e);
void srv_faults_free(struct srv_faults *f);

/* Decide the fault for a request to path (thread-safe).  The first rule
 * whose path prefix matches, whose count is not used up and whose rate
 * fires (seeded PRNG) applies; out->kind is SRV_FAULT_NONE and
 * out->slow_ms 0 when none does.  /v1/health is exempt unless a rule's
 * path names it, so a test's server still starts.  f may be NULL. */
void srv_faults_pick(struct srv_faults *f, const char *path, struct srv_fault_action *out);

#endif
