/*
 * srv_logindelay.h - the wait between login attempts of one clerk id from
 * one address.
 *
 * Instead of locking an account (which lets anyone who knows a clerk's id
 * keep the clerk out), tongband makes attempts for the same clerk id from
 * the same address (srv_addr.h) wait longer after each failure: the first
 * SRV_LOGINDELAY_FREE attempts in a row go at once, then each waits 1, 2,
 * 4... seconds after the one before, at most SRV_LOGINDELAY_MAX_S.  The
 * same clerk from another address is not slowed down.  A clerk id that
 * does not exist is counted exactly like one that does, so the answers do
 * not tell them apart.
 *
 * An attempt is counted when it is admitted, before its password is
 * checked, in one step under a lock: concurrent guesses cannot all pass
 * the check before any is counted.  A successful login forgets the pair;
 * a pair unused for SRV_LOGINDELAY_FORGET_S is forgotten too.  The table
 * lives in memory (a restart forgets it) and holds at most
 * SRV_LOGINDELAY_MAX_PAIRS pairs, the oldest dropped first.
 */
#ifndef TB_SERVER_SRV_LOGINDELAY_H
#define TB_SERVER_SRV_LOGINDELAY_H

#include <stdbool.h>

#include "server/srv_addr.h"

#define SRV_LOGINDELAY_FREE      3
#define SRV_LOGINDELAY_MAX_S     300
#define SRV_LOGINDELAY_FORGET_S  3600
#define SRV_LOGINDELAY_MAX_PAIRS 65536

struct srv_logindelay;

/* An empty table.  Free with srv_logindelay_free. */
struct srv_logindelay *srv_logindelay_new(void);

/* Admit an attempt of clerk from a at now_ms (clock_ms()) and count it as
 * a failure (clerk: at most 64 bytes).  true if admitted, *attempts then being its number in the
 * row (1 for the first); false with *retry_s (at least 1) while the pair must still wait. */
bool srv_logindelay_admit(struct srv_logindelay *d, const char *clerk, const struct srv_addr *a,
                          long long now_ms, long *retry_s, int *attempts);

/* The attempt succeeded: forget the pair's failures. */
void srv_logindelay_succeeded(struct srv_logindelay *d, const char *clerk,
                              const struct srv_addr *a);

/* The clerk's password was changed: forget its failures from every
 * address. */
void srv_logindelay_forget_clerk(struct srv_logindelay *d, const char *clerk);

/* The seconds to wait after the attempts-th attempt in a row (0 for the
 * first SRV_LOGINDELAY_FREE - 1). */
long srv_logindelay_wait_s(int attempts);

/* d may be NULL. */
void srv_logindelay_free(struct srv_logindelay *d);

#endif
