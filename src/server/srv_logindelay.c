/*
 * srv_logindelay.c - waits between failed logins per clerk id and address.
 */
#include "server/srv_logindelay.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "core/util.h"

#define HEADS     4096 /* a power of two */
#define CLERK_MAX 64   /* longer ids are refused before they get here */

struct pair {
	char clerk[CLERK_MAX + 1];
	struct srv_addr addr;
	struct srv_login_delay st;
	struct pair *next;
};

struct srv_logindelay {
	bool shared; /* in the database of the store given to each call */
	pthread_mutex_t lock;
	unsigned char key[crypto_shorthash_KEYBYTES];
	struct pair *heads[HEADS];
	size_t n;
};

struct srv_logindelay *srv_logindelay_new(bool shared)
{
	struct srv_logindelay *d = xcalloc(1, sizeof *d);

	d->shared = shared;
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

/* Whether a pair last tried at st is forgotten at now_ms. */
static bool state_forgotten(const struct srv_login_delay *st, long long now_ms)
{
	return now_ms - st->last_ms >= SRV_LOGINDELAY_FORGET_S * 1000LL && now_ms >= st->next_ms;
}

static bool is_forgotten(const struct pair *p, const void *now_ms)
{
	return state_forgotten(&p->st, *(const long long *)now_ms);
}

static bool is_older(const struct pair *p, const void *than_ms)
{
	return p->st.last_ms <= *(const long long *)than_ms;
}

/* An attempt at now_ms on a pair in state st: true with st moved on and
 * *attempts its number, or false with *retry_s while it must still wait. */
static bool attempt(struct srv_login_delay *st, long long now_ms, long *retry_s, int *attempts)
{
	if (state_forgotten(st, now_ms))
		st->attempts = 0;
	if (now_ms < st->next_ms) {
		*retry_s = (long)((st->next_ms - now_ms + 999) / 1000);
		if (*retry_s < 1)
			*retry_s = 1;
		return false;
	}
	st->attempts++;
	st->last_ms = now_ms;
	st->next_ms = now_ms + srv_logindelay_wait_s(st->attempts) * 1000;
	*attempts = st->attempts;
	return true;
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
			if (p->st.last_ms < oldest)
				oldest = p->st.last_ms;
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
	p->st.next_ms = now_ms;
	p->st.last_ms = now_ms;
	p->next = *head;
	*head = p;
	d->n++;
	return p;
}

/* The pair's key in the database: the address as 32 hex digits. */
static void addr_key(const struct srv_addr *a, char key[33])
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < sizeof a->bytes; i++) {
		key[2 * i] = hex[a->bytes[i] >> 4];
		key[2 * i + 1] = hex[a->bytes[i] & 15];
	}
	key[32] = '\0';
}

static long long wall_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* How often an attempt on the database's row may lose a race to another
 * process's attempt on the same pair before it counts as a failure. */
#define SHARED_TRIES 16

/* A shared table's attempt: read the pair's row, and write the next state
 * only if the row is still what was read. */
static int admit_shared(struct srv_store *s, const char *clerk, const struct srv_addr *a,
                        long *retry_s, int *attempts, struct err *e)
{
	struct srv_login_delay was, st;
	char key[33];
	int i, found, rc;

	addr_key(a, key);
	for (i = 0; i < SHARED_TRIES; i++) {
		long long now = wall_ms();

		if ((found = srv_store_login_delay_get(s, clerk, key, &was, e)) < 0)
			return -1;
		if (!found)
			was = (struct srv_login_delay){0, now, now};
		st = was;
		if (!attempt(&st, now, retry_s, attempts))
			return 0;
		rc = srv_store_login_delay_set(s, clerk, key, found ? &was : NULL, &st,
		                               now - SRV_LOGINDELAY_FORGET_S * 1000LL, e);
		if (rc != 0)
			return rc < 0 ? -1 : 1;
	}
	err_set_kind(e, ERR_BUSY, "login delays: the attempts of %s kept racing", clerk);
	return -1;
}

int srv_logindelay_admit(struct srv_logindelay *d, struct srv_store *s, const char *clerk,
                         const struct srv_addr *a, long long now_ms, long *retry_s, int *attempts,
                         struct err *e)
{
	struct pair *p;
	bool ok;

	if (d->shared)
		return admit_shared(s, clerk, a, retry_s, attempts, e);
	pthread_mutex_lock(&d->lock);
	p = find(d, clerk, a, now_ms);
	ok = attempt(&p->st, now_ms, retry_s, attempts);
	pthread_mutex_unlock(&d->lock);
	return ok ? 1 : 0;
}

void srv_logindelay_succeeded(struct srv_logindelay *d, struct srv_store *s, const char *clerk,
                              const struct srv_addr *a)
{
	struct pair **pp, *p;
	char key[33];

	if (d->shared) {
		addr_key(a, key);
		srv_store_login_delay_forget(s, clerk, key, NULL);
		return;
	}
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

void srv_logindelay_forget_clerk(struct srv_logindelay *d, struct srv_store *s, const char *clerk)
{
	if (d->shared) {
		srv_store_login_delay_forget(s, clerk, NULL, NULL);
		return;
	}
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
