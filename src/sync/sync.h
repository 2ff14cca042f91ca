/*
 * sync.h - the REST client of tongband (libcurl + json-c): login, health and
 * pushing the outbox, pulling changes.  See tongband-api(7) for the wire format.
 *
 * Nothing is marked sent that the server did not acknowledge: an event is
 * "sent" only on an "applied" or "duplicate" answer for its UUID.
 */
#ifndef TB_SYNC_SYNC_H
#define TB_SYNC_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <stdatomic.h>

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

/* Call once per process before any other sync function.  libcurl itself is
 * loaded on its first use (sync/curlfn.h). */
void sync_global_init(void);

/* Whether this machine can talk to the server at all (libcurl loads); when
 * not, e says so for the clerk. */
bool sync_available(struct err *e);

/* Transfers made by the calling thread end at once when *flag becomes
 * non-zero (the sync agent's stop); an event whose answer did not come
 * stays waiting.  NULL: never cancelled. */
void sync_set_cancel_flag(atomic_int *flag);

/* GET /v1/health: SYNC_OK when the server answers. */
enum sync_result sync_health(const char *server, long timeout_ms, struct err *e);

/* What a login brought besides the clerk. */
struct sync_session {
	char token[128];
	long long expires;
	char terminal[TERMINAL_CODE_SIZE]; /* this device's terminal code, "" if none given */
};

/* POST /v1/login with this device's id (may be NULL).  On SYNC_OK fills
 * clerk and s. */
enum sync_result sync_login(const char *server, const char *clerk_id, const char *password,
                            const char *device, struct clerk *clerk, struct sync_session *s,
                            struct err *e);

struct sync_progress {
	/* push */
	int batches;
	int applied;
	int duplicates;
	int problems;
	int remaining;       /* still waiting after the push */
	int held;            /* clerks whose events wait for their own next login */
	char held_clerk[64]; /* one of them */
	/* both */
	long retry_after;      /* seconds the server asked to wait (429/503), 0 if none */
	bool drift_known;      /* the server told its time */
	long long clock_drift; /* server clock minus this machine's clock, seconds */
	/* pull */
	int pages;         /* GET /v1/changes answers applied */
	int changes;       /* changes applied (decisions, official numbers, catalogue, calendar) */
	int decisions;     /* decided events appended to local cases */
	int unknown_cases; /* decisions for cases this machine does not hold */
	int updates;       /* catalogue or calendar versions noted */
	int official_nos;  /* official case numbers stored on local cases */
	long long cursor;  /* the stored changes cursor after the pull */
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

/*
 * Push every clerk's waiting events with that clerk's own session (the
 * store keeps one per clerk: tongband takes an event's clerk from its
 * session).  A clerk without a session, or whose session the server refused
 * (it is then forgotten), keeps its events waiting for its next login,
 * counted in p->held; the other clerks' go on.  Returns as sync_push;
 * SYNC_DENIED when no clerk could push and there is no session at all.
 */
enum sync_result sync_push_sessions(struct store *st, const char *server, int batch_size,
                                    struct sync_progress *p, sync_progress_fn fn, void *arg,
                                    struct err *e);

/*
 * POST /v1/audit the audit rows not yet sent (store/audit.h), oldest first:
 * tongband keeps this device's chain and refuses (409) a row that does not
 * follow the last it holds, which is kept in meta "audit_problem".  *sent
 * says how many went.  SYNC_OK also when the server has no /v1/audit.
 */
enum sync_result sync_push_audit(struct store *st, const char *server, const char *token, int *sent,
                                 struct err *e);

/*
 * Pull GET /v1/changes from the cursor stored in st, limit changes per
 * request, until the server says there are no more.  Each answer is applied
 * with its next cursor in one transaction (store_changes_apply), so a crash
 * or a broken connection never loses or repeats a change.  Adds to p's pull
 * counters (zero p first, or pass the one sync_push filled); fn is called
 * after each page.  Returns SYNC_OK when up to date, else why it stopped.
 */
enum sync_result sync_pull(struct store *st, const char *server, const char *token, int limit,
                           struct sync_progress *p, sync_progress_fn fn, void *arg, struct err *e);

/*
 * GET path (e.g. "/v1/catalogue?since=2026.11.1") with the session token.
 * When the server answers 200 or 404: SYNC_OK with *status, the body in
 * *body (caller frees; never NULL then, maybe "") and its length in *len
 * (may be NULL).  Any other answer or none: why (SYNC_OFFLINE, SYNC_DENIED,
 * SYNC_BUSY, SYNC_TOO_OLD, SYNC_ERROR) with e filled and *body NULL.
 */
enum sync_result sync_get(const char *server, const char *path, const char *token, long *status,
                          char **body, size_t *len, struct err *e);

/* The largest answer sync_get and the other calls take (8 MiB): what a
 * document download may be is sync_get_file's max. */
#define SYNC_MAX_ANSWER (8u * 1024 * 1024)

/*
 * GET path as sync_get does, the body written to out (an open, empty file
 * the caller owns) instead of memory, for a document of up to max bytes (the
 * catalogue: CATALOGUE_MAX_FILE).  The server is asked to compress it
 * (Accept-Encoding: libcurl decodes), max counting the decoded bytes, so a
 * small answer that unpacks to gigabytes stops at max.  No fixed time
 * limit: the download ends when it stalls (under 1 KB/s for 60 s), after an
 * hour, or when the thread's cancel flag is set.  SYNC_OK with *status on a
 * 200 or 404 (out flushed, its position at the end); an answer over max, a
 * damaged compressed one or a write that failed: SYNC_ERROR with e naming
 * the size and the limit (or what failed); otherwise as sync_get.
 */
enum sync_result sync_get_file(const char *server, const char *path, const char *token, FILE *out,
                               size_t max, long *status, struct err *e);

/*
 * POST body (JSON) to path with the session token.  When the server answers
 * 200: SYNC_OK with *status and the answer in *answer (caller frees).  Any
 * other answer or none: why, as sync_get's, with e filled, *status the HTTP
 * status (0 when none came) and *answer NULL.
 */
enum sync_result sync_post(const char *server, const char *path, const char *token,
                           const char *body, long *status, char **answer, struct err *e);

/*
 * Whether this client may talk to server: https:// always (certificates are
 * verified; TONGBAN_CA_FILE names a CA bundle, e.g. a provincial CA);
 * http:// only to loopback (127.0.0.0/8, ::1, localhost) unless
 * TONGBAN_ALLOW_INSECURE_HTTP=1.  Returns 0, or -1 with a message in e.
 */
int sync_url_allowed(const char *server, struct err *e);

/* The clock drift (server minus client, seconds) last stored in st.
 * Returns 1 with *drift, 0 when never measured, -1 on error. */
int sync_clock_drift(struct store *st, long long *drift, struct err *e);

#endif
