/*
 * srv_logindelay.c - waits between failed logins per clerk id and address.
 */
#include "server/srv_logindelay.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/util.h"

#define HEADS     4096 /* a power of two */
#define CLERK_MAX 64   /* longer ids are refused before they get here */

struct pair {
	char clerk[CLERK_MAX + 1];
	struct srv_addr addr;
	int attempts;
	long long next_ms; /* the next attempt is admitted from then on */
	long long last_ms; /* the last attempt admitted */
	struct pair *next;
};

struct srv_logindelay {
	pthread_mutex_t lock;
	unsigned char key[crypto_shorthash_KEYBYTES];
	struct pair *heads[HEADS];
	size_t n;
};

struct srv_logindelay *srv_logindelay_new(void)
{
	struct srv_logindelay *d = xcalloc(1, sizeof *d);

	pthread_mutex_init(&d->lock, NULL);
	randombytes_buf(d->key, sizeof d->key);
	return d;
}

long srv_logindelay_wait_s(int attempts)
{
	long s = 1;
	int i;

	if (attempts < SRV_LOGINDELAY_FREE)
		return 0;
	for (i = SRV_LOGINDELAY_FREE; i < attempts && s < SRV_LOGINDELAY_MAX_S; i++)
		s *= 2;
	return s < SRV_LOGINDELAY_MAX_S ? s : SRV_LOGINDELAY_MAX_S;
}

static struct pair **head_of(struct srv_logindelay *d, const char *clerk, const struct srv_addr *a)
{
	unsigned char in[CLERK_MAX + 1 + sizeof a->bytes], h[crypto_shorthash_BYTES];
	size_t n = strnlen(clerk, CLERK_MAX);
	uint64_t v;

	memcpy(in, clerk, n);
	in[n] = '\0';
	memcpy(in + n + 1, a->bytes, sizeof a->bytes);
	crypto_shorthash(h, in, n + 1 + sizeof a->bytes, d->key);
	memcpy(&v, h, sizeof v);
	return &d->heads[v & (HEADS - 1)];
}

static bool pair_is(const struct pair *p, const char *clerk, const struct srv_addr *a)
{
	return srv_addr_equal(&p->addr, a) && strcmp(p->clerk, clerk) == 0;
}

/* Remove the pairs for which drop(p, arg) is true. */
static void remove_if(struct srv_logindelay *d, bool (*drop)(const struct pair *, const void *),
                      const void *arg)
{
	struct pair **pp, *p;
	size_t i;

	for (i = 0; i < HEADS; i++) {
		for (pp = &d->heads[i]; (p = *pp) != NULL;) {
			if (drop(p, arg)) {
				*pp = p->next;
				free(p);
				d->n--;
			} else {
				pp = &p->next;
			}
		}
	}
}

static bool is_forgotten(const struct pair *p, const void *now_ms)
{
	return *(const long long *)now_ms - p->last_ms >= SRV_LOGINDELAY_FORGET_S * 1000LL &&
	       *(const long long *)now_ms >= p->next_ms;
}

static bool is_older(const struct pair *p, const void *than_ms)
{
	return p->last_ms <= *(const long long *)than_ms;
}

static bool is_clerk(const struct pair *p, const void *clerk)
{
	return strcmp(p->clerk, clerk) == 0;
}

/* Make room for one more pair: the forgotten ones go, else the oldest. */
static void make_room(struct srv_logindelay *d, long long now_ms)
{
	long long oldest = now_ms;
	struct pair *p;
	size_t i;

	remove_if(d, is_forgotten, &now_ms);
	if (d->n < SRV_LOGINDELAY_MAX_PAIRS)
		return;
	for (i = 0; i < HEADS; i++)
		for (p = d->heads[i]; p != NULL; p = p->next)
			if (p->last_ms < oldest)
				oldest = p->last_ms;
	remove_if(d, is_older, &oldest);
}

/* The pair of clerk and a, created when missing. */
static struct pair *find(struct srv_logindelay *d, const char *clerk, const struct srv_addr *a,
                         long long now_ms)
{
	struct pair **head = head_of(d, clerk, a), *p;

	for (p = *head; p != NULL; p = p->next)
		if (pair_is(p, clerk, a))
			return p;
	if (d->n >= SRV_LOGINDELAY_MAX_PAIRS) {
		make_room(d, now_ms);
		head = head_of(d, clerk, a);
	}
	p = xcalloc(1, sizeof *p);
	str_copy(p->clerk, sizeof p->clerk, clerk);
	p->addr = *a;
	p->next_ms = now_ms;
	p->last_ms = now_ms;
	p->next = *head;
	*head = p;
	d->n++;
	return p;
}

bool srv_logindelay_admit(struct srv_logindelay *d, const char *clerk, const struct srv_addr *a,
                          long long now_ms, long *retry_s, int *attempts)
{
	struct pair *p;
	bool ok;

	pthread_mutex_lock(&d->lock);
	p = find(d, clerk, a, now_ms);
	if (is_forgotten(p, &now_ms))
		p->attempts = 0;
	ok = now_ms >= p->next_ms;
	if (ok) {
		p->attempts++;
		p->last_ms = now_ms;
		p->next_ms = now_ms + srv_logindelay_wait_s(p->attempts) * 1000;
		*attempts = p->attempts;
	} else {
		*retry_s = (long)((p->next_ms - now_ms + 999) / 1000);
	}
	pthread_mutex_unlock(&d->lock);
	if (!ok && *retry_s < 1)
		*retry_s = 1;
	return ok;
}

void srv_logindelay_succeeded(struct srv_logindelay *d, const char *clerk, const struct srv_addr *a)
{
	struct pair **pp, *p;

	pthread_mutex_lock(&d->lock);
	for (pp = head_of(d, clerk, a); (p = *pp) != NULL; pp = &p->next) {
		if (pair_is(p, clerk, a)) {
			*pp = p->next;
			free(p);
			d->n--;
			break;
		}
	}
	pthread_mutex_unlock(&d->lock);
}

void srv_logindelay_forget_clerk(struct srv_logindelay *d, const char *clerk)
{
	pthread_mutex_lock(&d->lock);
	remove_if(d, is_clerk, clerk);
	pthread_mutex_unlock(&d->lock);
}

void srv_logindelay_free(struct srv_logindelay *d)
{
	struct pair *p, *next;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < HEADS; i++)
		for (p = d->heads[i]; p != NULL; p = next) {
			next = p->next;
			free(p);
		}
	pthread_mutex_destroy(&d->lock);
	free(d);
}
