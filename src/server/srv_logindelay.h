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
 * a pair unused for SRV_LOGINDELAY_FORGET_S is forgotten too.
 *
 * Where the pairs live: for one tongband on an SQLite file, in memory (a
 * restart forgets them), at most SRV_LOGINDELAY_MAX_PAIRS, the oldest
 * dropped first.  For tongband processes sharing a PostgreSQL database, in
 * the database (table login_delays), so that a guesser gains nothing by
 * spreading its guesses over the processes: an attempt there is one
 * compare-and-set of the pair's row (srv_store_login_delay_*), with times
 * of the wall clock, which every process reads alike.
 */
#ifndef TB_SERVER_SRV_LOGINDELAY_H
#define TB_SERVER_SRV_LOGINDELAY_H

#include <stdbool.h>

#include "core/util.h"
#include "server/srv_addr.h"
#include "server/srv_store.h"

#define SRV_LOGINDELAY_FREE      3
#define SRV_LOGINDELAY_MAX_S     300
#define SRV_LOGINDELAY_FORGET_S  3600
#define SRV_LOGINDELAY_MAX_PAIRS 65536

struct srv_logindelay;

/* An empty table: in memory, or (shared) in the database of the store
 * each call is given.  Free with srv_logindelay_free. */
struct srv_logindelay *srv_logindelay_new(bool shared);

/* Admit an attempt of clerk from a at now_ms (clock_ms(); a shared table
 * reads the wall clock instead) and count it as a failure (clerk: at most
 * 64 bytes); s is the store of a shared table (else unused).  1 if
 * admitted, *attempts then being its number in the row (1 for the first);
 * 0 with *retry_s (at least 1) while the pair must still wait; -1 when the
 * database failed (e filled). */
int srv_logindelay_admit(struct srv_logindelay *d, struct srv_store *s, const char *clerk,
                         const struct srv_addr *a, long long now_ms, long *retry_s, int *attempts,
                         struct err *e);

/* The attempt succeeded: forget the pair's failures.  A database failure
 * leaves them to be forgotten in time. */
void srv_logindelay_succeeded(struct srv_logindelay *d, struct srv_store *s, const char *clerk,
                              const struct srv_addr *a);

/* The clerk's password was changed: forget its failures from every
 * address. */
void srv_logindelay_forget_clerk(struct srv_logindelay *d, struct srv_store *s, const char *clerk);

/* The seconds to wait after the attempts-th attempt in a row (0 for the
 * first SRV_LOGINDELAY_FREE - 1). */
long srv_logindelay_wait_s(int attempts);

/* d may be NULL. */
void srv_logindelay_free(struct srv_logindelay *d);

#endif
