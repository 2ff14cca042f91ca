/*
 * srv_api.h - the /v1 REST API, independent of the HTTP library.
 *
 * srv_http.c turns each HTTP request into a srv_api_request, first when
 * its headers are in (srv_api_begin: the route, the session, the body
 * limit) and again when its body has come (srv_api_handle), and sends back
 * the srv_api_reply.  The routes, their rules and their errors are
 * described in man/tongband-api.7.
 */
#ifndef TB_SERVER_SRV_API_H
#define TB_SERVER_SRV_API_H

#include <stdbool.h>
#include <stddef.h>

#include "server/srv_addr.h"
#include "server/srv_auth.h"
#include "server/srv_store.h"

struct srv_doccache;
struct srv_logindelay;
struct srv_ratelimit;
struct srv_workers;

/* What every request shares: the database, the password workers, the
 * login limits and the catalogue as served. */
struct srv_api_ctx {
	struct srv_store_pool *pool;
	struct srv_workers *workers;   /* where argon2 runs (srv_workers.h) */
	struct srv_ratelimit *logins;  /* login attempts per address; NULL: no limit */
	struct srv_logindelay *delays; /* waits after failed logins */
	struct srv_doccache *docs;     /* srv_doccache.h; NULL: read for each request */
};

/* Largest request body of each route (413 body_too_large above it): a
 * push, a login, an account or a decision, a PC's audit rows (200 of
 * them at their longest, escaped), anything else. */
#define SRV_API_MAX_BODY   (4 * 1024 * 1024)
#define SRV_API_LOGIN_BODY (4 * 1024)
#define SRV_API_FORM_BODY  (16 * 1024)
#define SRV_API_AUDIT_BODY (256 * 1024)
#define SRV_API_SMALL_BODY (4 * 1024)
/* Session lifetime in seconds. */
#define SRV_API_TOKEN_TTL (12 * 3600)
/* Changes one GET /v1/changes returns by default, and at most. */
#define SRV_API_DEFAULT_CHANGES 100
#define SRV_API_MAX_CHANGES     1000
/* Most cases one search returns. */
#define SRV_API_MAX_CASES 200
/* Follow-ups one GET /v1/followups returns by default, and at most. */
#define SRV_API_DEFAULT_FOLLOW_UPS 200
#define SRV_API_MAX_FOLLOW_UPS     1000

/* Most query-string arguments kept per request; the rest are ignored. */
#define SRV_API_MAX_ARGS 16

struct srv_api_arg {
	const char *name;
	const char *value; /* decoded; "" for a bare ?name */
};

struct srv_api_request {
	const char *method;
	const char *path;                          /* without the query string */
	const char *authorization;                 /* the Authorization header, or NULL */
	const char *accept_encoding;               /* the Accept-Encoding header, or NULL */
	const char *query;                         /* the decoded ?query= argument, or NULL */
	struct srv_api_arg args[SRV_API_MAX_ARGS]; /* every query argument */
	int n_args;
	const char *body; /* NULL when there was none */
	size_t body_len;
	const struct srv_addr *addr; /* the client's address, for the login limits */
	const char *client;          /* the same as text, for the log */
};

/* Slow work (an argon2 hash or check) that a handler leaves to the
 * password workers; see srv_api_handle. */
struct srv_api_work;

struct srv_api_reply {
	int status;
	char *body; /* JSON; the caller frees */
	/* instead of body (NULL then): bytes shared with other answers (the
	 * cached catalogue), sent as they are, never copied whole; the sender
	 * calls release(release_arg) once they are sent or dropped */
	const char *shared;
	size_t shared_len;
	void (*release)(void *arg);
	void *release_arg;
	const char *encoding;      /* Content-Encoding of shared ("gzip"), or NULL */
	bool vary_encoding;        /* the answer depends on Accept-Encoding: say so (Vary) */
	char etag[140];            /* an ETag header's value, or "" */
	long retry_after;          /* seconds for a Retry-After header, 0 for none */
	const char *allow;         /* methods for an Allow header (405), or NULL */
	char user[65];             /* the clerk id for the log, "" if none */
	char audit[300];           /* an audit line's text (every 403, account changes, failed
	                              logins), or "" */
	struct srv_api_work *work; /* not NULL: no answer yet (srv_api_handle) */
};

struct srv_api_route;

/* What srv_api_begin learnt from the headers, for srv_api_handle. */
struct srv_api_session {
	const struct srv_api_route *route;
	size_t max_body;      /* the largest body the route takes */
	struct srv_user user; /* the clerk, when the route needs a login */
	char token_hash[SRV_TOKEN_HEX + 1];
};

/* The decoded query argument name of rq, or NULL. */
const char *srv_api_arg(const struct srv_api_request *rq, const char *name);

/* Once the headers of rq are in, before any of its body is read: find the
 * route and, when it needs a login, the clerk of the bearer token and
 * whether the clerk's role may call it.  true to go on (read at most
 * sess->max_body bytes of body, then call srv_api_handle); false with rp
 * filled (404, 405, 401, 403, 503). */
bool srv_api_begin(const struct srv_api_ctx *ctx, const struct srv_api_request *rq,
                   struct srv_api_session *sess, struct srv_api_reply *rp);

/* Answer rq, begun with sess, now that its body has arrived.  Fills rp;
 * or, when the answer needs argon2, leaves rp->work and nothing else, having
 * reserved a place on ctx->workers: the caller then runs
 * srv_api_work_run(rp->work) there and afterwards calls srv_api_finish. */
void srv_api_handle(const struct srv_api_ctx *ctx, const struct srv_api_request *rq,
                    const struct srv_api_session *sess, struct srv_api_reply *rp);

/* Do the slow part of w (on a worker thread). */
void srv_api_work_run(struct srv_api_work *w);

/* Answer rq once its work w has run.  Fills rp and frees w. */
void srv_api_finish(const struct srv_api_ctx *ctx, const struct srv_api_request *rq,
                    const struct srv_api_session *sess, struct srv_api_work *w,
                    struct srv_api_reply *rp);

/* Free work that will not be finished (its connection went away), wiping
 * the password it held.  w may be NULL. */
void srv_api_work_free(struct srv_api_work *w);

/* Fill rp with the JSON error {"error": code, "message": message}.  A 403
 * also sets rp->audit to "refused: message", so every refusal is logged. */
void srv_api_error(struct srv_api_reply *rp, int status, const char *code, const char *message);

#endif
