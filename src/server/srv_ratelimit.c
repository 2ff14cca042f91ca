/*
 * srv_ratelimit.c - token buckets per client address.
 */
#include "server/srv_ratelimit.h"

#include <pthread.h>
#include <stdlib.h>

#include <sodium.h>

#include "core/util.h"

#define HEADS 4096 /* a power of two */

struct bucket {
	struct srv_addr addr;
	double tokens;
	long long at_ms; /* when tokens was last brought up to date */
	struct bucket *next;
};

struct srv_ratelimit {
	pthread_mutex_t lock;
	double per_ms, burst;
	unsigned char key[SRV_ADDR_HASH_KEY];
	struct bucket *heads[HEADS];
	size_t n;
};

struct srv_ratelimit *srv_ratelimit_new(double per_second, double burst)
{
	struct srv_ratelimit *r = xcalloc(1, sizeof *r);

	pthread_mutex_init(&r->lock, NULL);
	r->per_ms = per_second / 1000.0;
	r->burst = burst < 1 ? 1 : burst;
	randombytes_buf(r->key, sizeof r->key);
	return r;
}

/* Bring b's tokens up to now_ms. */
static void refill(const struct srv_ratelimit *r, struct bucket *b, long long now_ms)
{
	if (now_ms > b->at_ms) {
		b->tokens += (double)(now_ms - b->at_ms) * r->per_ms;
		if (b->tokens > r->burst)
			b->tokens = r->burst;
		b->at_ms = now_ms;
	}
}

/* Forget every address whose bucket is full again. */
static void forget_idle(struct srv_ratelimit *r, long long now_ms)
{
	struct bucket **p, *b;
	size_t i;

	for (i = 0; i < HEADS; i++) {
		for (p = &r->heads[i]; (b = *p) != NULL;) {
			refill(r, b, now_ms);
			if (b->tokens >= r->burst) {
				*p = b->next;
				free(b);
				r->n--;
			} else {
				p = &b->next;
			}
		}
	}
}

/* a's bucket, made full when new; NULL when the table is full. */
static struct bucket *find(struct srv_ratelimit *r, const struct srv_addr *a, long long now_ms)
{
	struct bucket **head = &r->heads[srv_addr_hash(a, r->key) & (HEADS - 1)], *b;

	for (b = *head; b != NULL; b = b->next)
		if (srv_addr_equal(&b->addr, a))
			return b;
	if (r->n >= SRV_RATELIMIT_MAX_ADDRESSES)
		forget_idle(r, now_ms);
	if (r->n >= SRV_RATELIMIT_MAX_ADDRESSES)
		return NULL;
	b = xcalloc(1, sizeof *b);
	b->addr = *a;
	b->tokens = r->burst;
	b->at_ms = now_ms;
	b->next = *head;
	*head = b;
	r->n++;
	return b;
}

bool srv_ratelimit_take(struct srv_ratelimit *r, const struct srv_addr *a, long long now_ms,
                        long *retry_s)
{
	struct bucket *b;
	bool ok = true;

	if (r == NULL)
		return true;
	pthread_mutex_lock(&r->lock);
	b = find(r, a, now_ms);
	if (b != NULL) {
		refill(r, b, now_ms);
		ok = b->tokens >= 1;
		if (ok)
			b->tokens -= 1;
		else
			*retry_s = (long)(((1 - b->tokens) / r->per_ms + 999.0) / 1000.0);
	}
	pthread_mutex_unlock(&r->lock);
	if (!ok && *retry_s < 1)
		*retry_s = 1;
	return ok;
}

void srv_ratelimit_free(struct srv_ratelimit *r)
{
	size_t i;
	struct bucket *b, *next;

	if (r == NULL)
		return;
	for (i = 0; i < HEADS; i++)
		for (b = r->heads[i]; b != NULL; b = next) {
			next = b->next;
			free(b);
		}
	pthread_mutex_destroy(&r->lock);
	free(r);
}
