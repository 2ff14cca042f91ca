/*
 * srv_workers.h - a fixed pool of threads for slow work (argon2).
 *
 * A password hash or check takes 64 MiB and tens of milliseconds of CPU.
 * Run on the HTTP threads, a flood of logins would leave none of them for
 * anything else; here they run on a few threads of their own, at a lower
 * CPU priority, behind a queue of bounded length.  A caller first reserves
 * a place (refused when the queue is full: answer 503), then submits the
 * job, which cannot fail.  Safe to call from any thread.
 */
#ifndef TB_SERVER_SRV_WORKERS_H
#define TB_SERVER_SRV_WORKERS_H

#include <stdbool.h>

#include "core/util.h"

struct srv_workers;

/* Start threads (>= 1) workers taking at most queue (>= 1) jobs waiting
 * or reserved.  NULL with e filled if a thread cannot start. */
struct srv_workers *srv_workers_start(int threads, int queue, struct err *e);

/* Reserve a place for one job.  false when the queue is full or the pool
 * is stopping. */
bool srv_workers_reserve(struct srv_workers *w);

/* Give back a reservation that will not be used. */
void srv_workers_release(struct srv_workers *w);

/* Run fn(arg) on a worker, using a reservation. */
void srv_workers_submit(struct srv_workers *w, void (*fn)(void *arg), void *arg);

/* Refuse new reservations, wait until every job reserved or queued has
 * run, stop the threads and free w.  w may be NULL. */
void srv_workers_stop(struct srv_workers *w);

#endif
