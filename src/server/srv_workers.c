/*
 * srv_workers.c - a fixed pool of threads with a bounded queue.
 */
#include "server/srv_workers.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* How much nicer than the HTTP threads the workers run (Linux: per thread). */
#define WORKER_NICE 10

struct job {
	void (*fn)(void *arg);
	void *arg;
	struct job *next;
};

struct srv_workers {
	pthread_mutex_t lock;
	pthread_cond_t work;  /* a job was queued, or stopping */
	pthread_cond_t drain; /* a reservation ended */
	struct job *head, *tail;
	int reserved; /* reserved and not yet run: queued, or about to be */
	int queue;
	bool stopping;
	int n_threads;
	pthread_t *threads;
};

/* Lower this thread's priority, so that a flood of logins leaves CPU for
 * the HTTP threads.  Best effort. */
static void be_nice(void)
{
#ifdef SYS_gettid
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), WORKER_NICE);
#endif
}

static void *worker_main(void *arg)
{
	struct srv_workers *w = arg;
	struct job *j;

	be_nice();
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->head == NULL && !(w->stopping && w->reserved == 0))
			pthread_cond_wait(&w->work, &w->lock);
		if (w->head == NULL)
			break;
		j = w->head;
		w->head = j->next;
		if (w->head == NULL)
			w->tail = NULL;
		pthread_mutex_unlock(&w->lock);
		j->fn(j->arg);
		free(j);
		pthread_mutex_lock(&w->lock);
		w->reserved--;
		pthread_cond_broadcast(&w->drain);
		pthread_cond_broadcast(&w->work);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct srv_workers *srv_workers_start(int threads, int queue, struct err *e)
{
	struct srv_workers *w = xcalloc(1, sizeof *w);
	int i;

	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->drain, NULL);
	w->queue = queue < 1 ? 1 : queue;
	w->threads = xcalloc((size_t)(threads < 1 ? 1 : threads), sizeof *w->threads);
	for (i = 0; i < (threads < 1 ? 1 : threads); i++) {
		if (pthread_create(&w->threads[i], NULL, worker_main, w) != 0) {
			err_set(e, "cannot start the password worker threads");
			srv_workers_stop(w);
			return NULL;
		}
		w->n_threads++;
	}
	return w;
}

bool srv_workers_reserve(struct srv_workers *w)
{
	bool ok;

	pthread_mutex_lock(&w->lock);
	ok = !w->stopping && w->reserved < w->queue;
	if (ok)
		w->reserved++;
	pthread_mutex_unlock(&w->lock);
	return ok;
}

void srv_workers_release(struct srv_workers *w)
{
	pthread_mutex_lock(&w->lock);
	w->reserved--;
	pthread_cond_broadcast(&w->drain);
	pthread_cond_broadcast(&w->work);
	pthread_mutex_unlock(&w->lock);
}

void srv_workers_submit(struct srv_workers *w, void (*fn)(void *arg), void *arg)
{
	struct job *j = xcalloc(1, sizeof *j);

	j->fn = fn;
	j->arg = arg;
	pthread_mutex_lock(&w->lock);
	if (w->tail != NULL)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
}

void srv_workers_stop(struct srv_workers *w)
{
	int i;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->work);
	while (w->reserved > 0)
		pthread_cond_wait(&w->drain, &w->lock);
	pthread_mutex_unlock(&w->lock);
	for (i = 0; i < w->n_threads; i++)
		pthread_join(w->threads[i], NULL);
	pthread_cond_destroy(&w->drain);
	pthread_cond_destroy(&w->work);
	pthread_mutex_destroy(&w->lock);
	free(w->threads);
	free(w);
}
