/*
 * srv_ratelimit.h - token buckets per client address.
 *
 * Each address (srv_addr.h) has a bucket of `burst` tokens that refills at
 * `per_second`; a request takes one token, and is refused while the bucket
 * is empty.  An address whose bucket is full again is forgotten, so the
 * table holds only the addresses busy right now (at most
 * SRV_RATELIMIT_MAX_ADDRESSES; beyond that new addresses go uncounted
 * rather than refused).  Safe to call from any thread.
 */
#ifndef TB_SERVER_SRV_RATELIMIT_H
#define TB_SERVER_SRV_RATELIMIT_H

#include <stdbool.h>

#include "server/srv_addr.h"

#define SRV_RATELIMIT_MAX_ADDRESSES 65536

struct srv_ratelimit;

/* A table of buckets refilling at per_second (> 0) up to burst (>= 1).
 * Free with srv_ratelimit_free. */
struct srv_ratelimit *srv_ratelimit_new(double per_second, double burst);

/* Take a token of a's bucket at now_ms (clock_ms()).  true if there was
 * one; false with *retry_s set to the whole seconds until there is one
 * (at least 1).  r NULL (no limit) always answers true. */
bool srv_ratelimit_take(struct srv_ratelimit *r, const struct srv_addr *a, long long now_ms,
                        long *retry_s);

/* r may be NULL. */
void srv_ratelimit_free(struct srv_ratelimit *r);

#endif
