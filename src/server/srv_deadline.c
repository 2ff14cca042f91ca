/*
 * srv_deadline.c - per-connection deadlines and the sweeper that enforces
 * them.
 */
#include "server/srv_deadline.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "server/srv_log.h"

#define SWEEP_MS 200

enum stage { STAGE_HEADERS, STAGE_BODY, STAGE_BUSY, STAGE_CUT };

struct srv_deadlines {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct srv_conn *head;
	long long header_ms;
	bool quiet, stopping;
	pthread_t sweeper;
};

/* Shut c's socket down (under d->lock, so fd is still c's) and log it. */
static void cut(struct srv_deadlines *d, struct srv_conn *c, long long now_ms)
{
	shutdown(c->fd, SHUT_RDWR);
	c->stage = STAGE_CUT;
	if (!d->quiet)
		srv_log_cut(stderr, c->addr_text, c->what, now_ms - c->since_ms);
}

static void sweep(struct srv_deadlines *d)
{
	long long now = clock_ms();
	struct srv_conn *c;

	for (c = d->head; c != NULL; c = c->next)
		if ((c->stage == STAGE_HEADERS || c->stage == STAGE_BODY) && now >= c->due_ms)
			cut(d, c, now);
}

/* Wait SWEEP_MS on d->wake (held: d->lock).  */
static void nap(struct srv_deadlines *d)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += SWEEP_MS * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	while (pthread_cond_timedwait(&d->wake, &d->lock, &ts) == EINTR)
		;
}

static void *sweeper_main(void *arg)
{
	struct srv_deadlines *d = arg;

	pthread_mutex_lock(&d->lock);
	while (!d->stopping) {
		sweep(d);
		nap(d);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

struct srv_deadlines *srv_deadlines_start(long long header_ms, bool quiet, struct err *e)
{
	struct srv_deadlines *d = xcalloc(1, sizeof *d);

	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->wake, NULL);
	d->header_ms = header_ms;
	d->quiet = quiet;
	if (pthread_create(&d->sweeper, NULL, sweeper_main, d) != 0) {
		err_set(e, "cannot start the connection deadline thread");
		pthread_cond_destroy(&d->wake);
		pthread_mutex_destroy(&d->lock);
		free(d);
		return NULL;
	}
	return d;
}

/* Headers due from now (held: d->lock). */
static void expect_headers(struct srv_deadlines *d, struct srv_conn *c)
{
	c->stage = STAGE_HEADERS;
	c->since_ms = clock_ms();
	c->due_ms = c->since_ms + d->header_ms;
	str_copy(c->what, sizeof c->what, "headers not complete");
}

struct srv_conn *srv_deadlines_add(struct srv_deadlines *d, int fd, const struct sockaddr *sa)
{
	struct srv_conn *c = xcalloc(1, sizeof *c);

	c->fd = fd;
	srv_addr_from(sa, &c->addr, c->addr_text);
	pthread_mutex_lock(&d->lock);
	expect_headers(d, c);
	c->next = d->head;
	if (d->head != NULL)
		d->head->prev = c;
	d->head = c;
	pthread_mutex_unlock(&d->lock);
	return c;
}

void srv_deadlines_body(struct srv_deadlines *d, struct srv_conn *c, long long ms,
                        const char *method, const char *path)
{
	pthread_mutex_lock(&d->lock);
	if (c->stage != STAGE_CUT) {
		c->stage = STAGE_BODY;
		c->since_ms = clock_ms();
		c->due_ms = c->since_ms + ms;
		snprintf(c->what, sizeof c->what, "body of %.16s %.60s not complete", method, path);
	}
	pthread_mutex_unlock(&d->lock);
}

void srv_deadlines_busy(struct srv_deadlines *d, struct srv_conn *c)
{
	pthread_mutex_lock(&d->lock);
	if (c->stage != STAGE_CUT)
		c->stage = STAGE_BUSY;
	pthread_mutex_unlock(&d->lock);
}

void srv_deadlines_idle(struct srv_deadlines *d, struct srv_conn *c)
{
	pthread_mutex_lock(&d->lock);
	if (c->stage != STAGE_CUT)
		expect_headers(d, c);
	pthread_mutex_unlock(&d->lock);
}

void srv_deadlines_remove(struct srv_deadlines *d, struct srv_conn *c)
{
	pthread_mutex_lock(&d->lock);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		d->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&d->lock);
	free(c);
}

void srv_deadlines_stop(struct srv_deadlines *d)
{
	if (d == NULL)
		return;
	pthread_mutex_lock(&d->lock);
	d->stopping = true;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->sweeper, NULL);
	pthread_cond_destroy(&d->wake);
	pthread_mutex_destroy(&d->lock);
	free(d);
}
