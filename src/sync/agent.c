#include "sync/agent.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "sync/data.h"
#include "sync/ecert.h"
#include "sync/sync.h"
#include "sync/updates.h"

#define AGENT_IDLE_MS                                                                              \
	5000 /* a round at least this often while online: the status line is never staler */
#define AGENT_BACKOFF_MIN 2000
#define AGENT_BACKOFF_MAX 60000

struct sync_agent {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	bool poked;
	atomic_int cancel; /* ends the thread's transfer under way */
	char *db_path;
	char *server;
	struct agent_status status;
	unsigned int seed;
	/* the online case search: asked, and the last answer */
	char *search_asked; /* waiting to be asked, NULL when none */
	char *search_query; /* the query answered */
	char *search_body;  /* its answer, NULL when it failed */
	bool search_answered;
};

/* Publish what a round learnt besides its result. */
static void publish_progress(struct sync_agent *a, struct store *st, const struct sync_progress *p)
{
	bool updates = data_update_ready(st);

	pthread_mutex_lock(&a->lock);
	a->status.problems = p->problems;
	a->status.retry_after = p->retry_after;
	if (p->drift_known) {
		a->status.drift_known = true;
		a->status.clock_drift = p->clock_drift;
	}
	a->status.updates_waiting = updates;
	a->status.decisions += p->decisions;
	a->status.held = p->held;
	str_copy(a->status.held_clerk, sizeof a->status.held_clerk, p->held_clerk);
	pthread_mutex_unlock(&a->lock);
}

/* One round: push everything waiting with the stored session, pull, then
 * download a catalogue or calendar the pull announced. */
static enum sync_result agent_round(struct sync_agent *a, struct store *st, long *retry_after,
                                    bool *reached, struct err *e)
{
	char token[128] = "";
	struct sync_progress p;
	enum sync_result res;

	*retry_after = 0;
	res = sync_health(a->server, 5000, e);
	*reached = res == SYNC_OK;
	if (res != SYNC_OK)
		return res;
	/* the server answers: say so now, before the local database is asked
	 * (another program may hold it for a while) */
	pthread_mutex_lock(&a->lock);
	a->status.online = true;
	pthread_mutex_unlock(&a->lock);
	if (store_session_get(st, NULL, token, NULL, e) < 0)
		return SYNC_ERROR;
	if (token[0] == '\0')
		return SYNC_DENIED;
	/* each clerk's events with that clerk's session; pulls with the latest */
	res = sync_push_sessions(st, a->server, 100, &p, NULL, NULL, e);
	if (res == SYNC_OK) {
		int sent;

		/* the audit chain goes after the events it speaks of; a refusal
		 * is kept for the status line, it never stops the cases */
		char problem[256] = "";

		sync_push_audit(st, a->server, token, &sent, e);
		err_clear(e);
		store_meta_get(st, "audit_problem", problem, sizeof problem, NULL);
		pthread_mutex_lock(&a->lock);
		a->status.audit_problem = problem[0] != '\0';
		pthread_mutex_unlock(&a->lock);
		res = sync_pull(st, a->server, token, 500, &p, NULL, NULL, e);
	}
	if (res == SYNC_OK) {
		int checked;

		/* the counter's e-certificates, asked while offline or just now; what
		 * could not be asked waits for the next round, it stops nothing */
		sync_check_ecerts(st, a->server, token, &checked, e);
		err_clear(e);
	}
	if (res == SYNC_OK)
		res = sync_fetch_updates(st, a->server, token, NULL, e);
	*retry_after = p.retry_after;
	publish_progress(a, st, &p);
	return res;
}

static void publish(struct sync_agent *a, enum sync_result res, bool reached, const struct err *e,
                    long delay)
{
	/* a local database held by another program says nothing of the network */
	bool local = res == SYNC_ERROR && (e->kind == ERR_BUSY || e->kind == ERR_CORRUPT ||
	                                   e->kind == ERR_FULL || e->kind == ERR_READONLY);

	pthread_mutex_lock(&a->lock);
	a->status.store_busy = local && e->kind == ERR_BUSY;
	a->status.online =
	    local ? reached : res == SYNC_OK || res == SYNC_DENIED || res == SYNC_BUSY;
	a->status.need_login = res == SYNC_DENIED;
	a->status.too_old = res == SYNC_TOO_OLD;
	a->status.next_round_ms = delay;
	if (res == SYNC_OK) {
		a->status.last_ok = time(NULL);
		a->status.last_error[0] = '\0';
	} else {
		str_copy(a->status.last_error, sizeof a->status.last_error, e->msg);
	}
	pthread_mutex_unlock(&a->lock);
}

/* The next wait: the idle period when all is well, else an exponential
 * backoff with jitter (half to full of the doubled delay), and never less
 * than the server's Retry-After. */
static long next_delay(struct sync_agent *a, enum sync_result res, long retry_after, long *backoff)
{
	long d;

	if (res == SYNC_OK) {
		*backoff = AGENT_BACKOFF_MIN;
		return AGENT_IDLE_MS;
	}
	d = *backoff / 2 + (long)(rand_r(&a->seed) % (unsigned long)(*backoff / 2 + 1));
	*backoff = *backoff * 2 > AGENT_BACKOFF_MAX ? AGENT_BACKOFF_MAX : *backoff * 2;
	if (retry_after * 1000 > d)
		d = retry_after * 1000;
	return d;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* "a b" -> "a%20b": every byte but the unreserved ones of RFC 3986. */
static char *url_escape(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s), i, k = 0;
	char *out = xmalloc(3 * n + 1);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			out[k++] = (char)c;
		} else {
			out[k++] = '%';
			out[k++] = hex[c >> 4];
			out[k++] = hex[c & 15];
		}
	}
	out[k] = '\0';
	return out;
}

/* Ask the question waiting, if any, and keep the answer. */
static void search_round(struct sync_agent *a, struct store *st)
{
	char token[128] = "", *q, *esc, *path, *body = NULL;
	struct err e = {0};
	long status = 0;

	pthread_mutex_lock(&a->lock);
	q = a->search_asked;
	a->search_asked = NULL;
	pthread_mutex_unlock(&a->lock);
	if (q == NULL)
		return;
	esc = url_escape(q);
	path = xasprintf("/v1/cases?query=%s", esc);
	if (st == NULL || store_session_get(st, NULL, token, NULL, &e) < 0 || token[0] == '\0' ||
	    sync_get(a->server, path, token, &status, &body, NULL, &e) != SYNC_OK ||
	    status != 200) {
		free(body);
		body = NULL;
	}
	pthread_mutex_lock(&a->lock);
	free(a->search_query);
	free(a->search_body);
	a->search_query = q;
	a->search_body = body;
	a->search_answered = true;
	pthread_mutex_unlock(&a->lock);
	free(esc);
	free(path);
}

void sync_agent_search(struct sync_agent *a, const char *query)
{
	pthread_mutex_lock(&a->lock);
	free(a->search_asked);
	a->search_asked = xstrdup(query);
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&a->lock);
}

int sync_agent_search_result(struct sync_agent *a, const char *query, char **body)
{
	int rc = 0;

	*body = NULL;
	pthread_mutex_lock(&a->lock);
	if (a->search_answered && a->search_query && strcmp(a->search_query, query) == 0) {
		rc = a->search_body ? 1 : -1;
		if (a->search_body)
			*body = xstrdup(a->search_body);
	}
	pthread_mutex_unlock(&a->lock);
	return rc;
}

/* Wait until ms have passed, a round is asked for, a search waits, or the
 * agent stops.  Returns whether a round is due (not only a search). */
static bool wait_ms(struct sync_agent *a, long ms)
{
	struct timespec ts;
	bool timed_out = false, round;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&a->lock);
	while (!a->stop && !a->poked && !a->search_asked)
		if (pthread_cond_timedwait(&a->wake, &a->lock, &ts) != 0) {
			timed_out = true;
			break;
		}
	round = a->poked || timed_out || a->stop;
	a->poked = false;
	pthread_mutex_unlock(&a->lock);
	return round;
}

static void *agent_main(void *arg)
{
	struct sync_agent *a = arg;
	struct err e = {0};
	struct store *st = store_open(a->db_path, &e);
	long backoff = AGENT_BACKOFF_MIN, retry_after = 0, delay;

	sync_set_cancel_flag(&a->cancel);

	for (;;) {
		enum sync_result res;
		bool stop, reached = false;

		pthread_mutex_lock(&a->lock);
		stop = a->stop;
		pthread_mutex_unlock(&a->lock);
		if (stop)
			break;
		err_clear(&e);
		if (st == NULL) /* the file was held or unreadable at the last try */
			st = store_open(a->db_path, &e);
		if (st) {
			res = agent_round(a, st, &retry_after, &reached, &e);
		} else { /* the local file cannot be opened: the network may still be fine */
			struct err net = {0};

			reached = sync_health(a->server, 5000, &net) == SYNC_OK;
			res = SYNC_ERROR;
		}
		delay = next_delay(a, res, retry_after, &backoff);
		publish(a, res, reached, &e, delay);
		/* searches are answered while the next round waits */
		{
			long long until = mono_ms() + delay;

			while (!wait_ms(a, until - mono_ms() > 0 ? until - mono_ms() : 0))
				search_round(a, st);
			search_round(a, st);
		}
	}
	store_close(st);
	return NULL;
}

struct sync_agent *sync_agent_start(const char *db_path, const char *server, struct err *e)
{
	struct sync_agent *a = xcalloc(1, sizeof *a);

	a->db_path = xstrdup(db_path);
	a->server = xstrdup(server);
	a->seed = (unsigned int)time(NULL) ^ (unsigned int)(size_t)a;
	atomic_init(&a->cancel, 0);
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->wake, NULL);
	if (pthread_create(&a->thread, NULL, agent_main, a) != 0) {
		err_set(e, "cannot start the sync thread");
		pthread_mutex_destroy(&a->lock);
		pthread_cond_destroy(&a->wake);
		free(a->db_path);
		free(a->server);
		free(a);
		return NULL;
	}
	return a;
}

void sync_agent_poke(struct sync_agent *a)
{
	pthread_mutex_lock(&a->lock);
	a->poked = true;
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&a->lock);
}

void sync_agent_status(struct sync_agent *a, struct agent_status *out)
{
	pthread_mutex_lock(&a->lock);
	*out = a->status;
	pthread_mutex_unlock(&a->lock);
}

void sync_agent_stop(struct sync_agent *a)
{
	if (a == NULL)
		return;
	pthread_mutex_lock(&a->lock);
	a->stop = true;
	pthread_cond_signal(&a->wake);
	pthread_mutex_unlock(&a->lock);
	atomic_store(&a->cancel, 1); /* do not wait for a slow server's answer to quit */
	pthread_join(a->thread, NULL);
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->wake);
	free(a->search_asked);
	free(a->search_query);
	free(a->search_body);
	free(a->db_path);
	free(a->server);
	free(a);
}
