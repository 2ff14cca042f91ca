/*
 * sync.h - the REST client of tongband (libcurl + json-c): login, health and
 * pushing the outbox.  See tongband-api(7) for the wire format.
 *
 * Nothing is marked sent that the server did not acknowledge: an event is
 * "sent" only on an "applied" or "duplicate" answer for its UUID.
 */
#ifndef TB_SYNC_SYNC_H
#define TB_SYNC_SYNC_H

#include "core/util.h"
#include "store/store.h"

enum sync_result {
	SYNC_OK = 0,  /* done */
	SYNC_OFFLINE, /* the server could not be reached */
	SYNC_DENIED,  /* 401: wrong password or the session expired */
	SYNC_BUSY,    /* 429 / 503: try again later */
	SYNC_TOO_OLD, /* 410 / 426: this client is too old for the server */
	SYNC_ERROR,   /* anything else; e says what */
};

/* Call once per process before any other sync function (curl_global_init). */
void sync_global_init(void);

/* GET /v1/health: SYNC_OK when the server answers. */
enum sync_result sync_health(const char *server, long timeout_ms, struct err *e);

/* POST /v1/login.  On SYNC_OK fills clerk, token (>= 128 bytes) and expires. */
enum sync_result sync_login(const char *server, const char *clerk_id, const char *password,
                            struct clerk *clerk, char *token, long long *expires, struct err *e);

struct sync_progress {
	int batches;
	int applied;
	int duplicates;
	int problems;
	int remaining; /* still waiting after the push */
};

/* Called after each batch with the progress so far; may be NULL. */
typedef void (*sync_progress_fn)(const struct sync_progress *p, void *arg);

/*
 * Push every waiting event in batches of batch_size, oldest first.
 * Returns SYNC_OK when the outbox was drained (problems may remain, counted
 * in p), or the reason it stopped; unacknowledged events go back to waiting.
 */
enum sync_result sync_push(struct store *st, const char *server, const char *token, int batch_size,
                           struct sync_progress *p, sync_progress_fn fn, void *arg, struct err *e);

#endif
