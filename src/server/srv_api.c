/*
 * srv_api.c - the /v1 REST API: routes and handlers.
 */
#include "server/srv_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/event.h"
#include "server/srv_admin.h"
#include "server/srv_audit.h"
#include "server/srv_auth.h"
#include "server/srv_bundle.h"
#include "server/srv_doccache.h"
#include "server/srv_ecert.h"
#include "server/srv_encode.h"
#include "server/srv_events.h"
#include "server/srv_joint.h"
#include "server/srv_json.h"
#include "server/srv_log.h"
#include "server/srv_logindelay.h"
#include "server/srv_ratelimit.h"
#include "server/srv_role.h"
#include "server/srv_stats.h"
#include "server/srv_time.h"
#include "server/srv_workers.h"

/* What a handler gets: the request, a store connection and the clerk. */
struct call {
	const struct srv_api_ctx *ctx;
	const struct srv_api_request *rq;
	struct srv_store_pool *pool;
	struct srv_store *store;
	struct srv_user user; /* valid when the route needs a login */
	const char *suffix;   /* the rest of the path after a prefix route */
	char segment[64];     /* the suffix up to its first '/' (cut to 63 bytes) */
	char token_hash[SRV_TOKEN_HEX + 1];
};

typedef void (*handler_fn)(struct call *c, struct srv_api_reply *rp);

/* The slow part of a request, done on a password worker. */
struct srv_api_work {
	bool is_hash;                 /* hash password into pwhash; else check it */
	char *password;               /* a copy, wiped when freed */
	char pwhash[SRV_PWHASH_SIZE]; /* the stored hash to check, or the new one */
	bool ok;                      /* it matched; or it was hashed */
	bool rehashed;                /* login: pwhash was of another cost, rehash is its new one */
	char rehash[SRV_PWHASH_SIZE];
	struct err err;
	/* answers once the slow part is done */
	void (*finish)(struct call *c, struct srv_api_work *w, struct srv_api_reply *rp);
	struct srv_user user; /* the account logging in (when found), or being saved */
	bool found;           /* login: the clerk exists */
	bool created;         /* saving: a new account */
	char clerk[65];       /* login: the clerk id given */
	char device[40];      /* login: the device given, or "" */
	int attempts;         /* login: its number in a row from this address */
};

static void api_health(struct call *c, struct srv_api_reply *rp);
static void api_login(struct call *c, struct srv_api_reply *rp);
static void api_logout(struct call *c, struct srv_api_reply *rp);
static void api_events(struct call *c, struct srv_api_reply *rp);
static void api_cases(struct call *c, struct srv_api_reply *rp);
static void api_case(struct call *c, struct srv_api_reply *rp);
static void api_decision(struct call *c, struct srv_api_reply *rp);
static void api_changes(struct call *c, struct srv_api_reply *rp);
static void api_catalogue(struct call *c, struct srv_api_reply *rp);
static void api_calendar(struct call *c, struct srv_api_reply *rp);
static void api_users(struct call *c, struct srv_api_reply *rp);
static void api_user_put(struct call *c, struct srv_api_reply *rp);
static void api_followups(struct call *c, struct srv_api_reply *rp);
static void api_stats(struct call *c, struct srv_api_reply *rp);
static void api_audit(struct call *c, struct srv_api_reply *rp);
static void api_inbox(struct call *c, struct srv_api_reply *rp);
static void api_certificate_lookup(struct call *c, struct srv_api_reply *rp);

#define ALL        SRV_ROLES_ALL
#define CLERK      SRV_ROLE_CLERK
#define SUPERVISOR SRV_ROLE_SUPERVISOR
#define BACKOFFICE SRV_ROLE_BACKOFFICE
#define OPERATOR   SRV_ROLE_OPERATOR

#define SMALL SRV_API_SMALL_BODY
#define FORM  SRV_API_FORM_BODY

/* The routes, which roles may call each (tongband-api(7), ROLES) and the
 * largest body each takes (LIMITS); which role may push which event is
 * srv_casework.c's table. */
static const struct srv_api_route {
	const char *method;
	const char *path;
	bool is_prefix; /* path ends in '/' and one more segment follows */
	bool needs_login;
	handler_fn fn;
	const char *tail;    /* for a prefix route: what follows the segment, or NULL */
	unsigned roles;      /* who may call it once logged in */
	const char *refusal; /* the 403 message for any other role */
	size_t max_body;
} routes[] = {
    {"GET", "/v1/health", false, false, api_health, NULL, ALL, NULL, SMALL},
    {"POST", "/v1/login", false, false, api_login, NULL, ALL, NULL, SRV_API_LOGIN_BODY},
    {"POST", "/v1/logout", false, true, api_logout, NULL, ALL, NULL, SMALL},
    {"POST", "/v1/events", false, true, api_events, NULL, ALL, NULL, SRV_API_MAX_BODY},
    {"GET", "/v1/cases", false, true, api_cases, NULL, ALL, NULL, SMALL},
    {"GET", "/v1/cases/", true, true, api_case, NULL, ALL, NULL, SMALL},
    {"POST", "/v1/cases/", true, true, api_decision, "/decision", BACKOFFICE,
     "only a back-office user may decide a case", FORM},
    {"GET", "/v1/changes", false, true, api_changes, NULL, ALL, NULL, SMALL},
    {"GET", "/v1/inbox", false, true, api_inbox, NULL, BACKOFFICE,
     "only a back office has an inbox of cases to decide", SMALL},
    {"GET", "/v1/catalogue", false, true, api_catalogue, NULL, ALL, NULL, SMALL},
    {"GET", "/v1/calendar", false, true, api_calendar, NULL, ALL, NULL, SMALL},
    {"GET", "/v1/users", false, true, api_users, NULL, OPERATOR, "only an operator manages users",
     SMALL},
    {"POST", "/v1/users", false, true, api_user_put, NULL, OPERATOR,
     "only an operator manages users", FORM},
    {"GET", "/v1/followups", false, true, api_followups, NULL, CLERK | SUPERVISOR,
     "only a clerk or a supervisor sees the hall's follow-ups", SMALL},
    {"GET", "/v1/stats", false, true, api_stats, NULL, CLERK | SUPERVISOR | OPERATOR,
     "only a clerk, a supervisor or an operator sees the statistics", SMALL},
    /* any role pushes the chain of a PC of its own hall (srv_audit.h checks the hall) */
    {"POST", "/v1/audit", false, true, api_audit, NULL, ALL, NULL, SRV_API_AUDIT_BODY},
    /* a window looks up an applicant's e-certificate (srv_ecert.h) */
    {"POST", "/v1/certificates/lookup", false, true, api_certificate_lookup, NULL,
     CLERK | SUPERVISOR | BACKOFFICE,
     "only a clerk, a supervisor or a back-office user of a hall looks up certificates", SMALL},
};

#define N_ROUTES (sizeof routes / sizeof routes[0])

static void reply_json(struct srv_api_reply *rp, int status, struct json_object *o)
{
	rp->status = status;
	free(rp->body);
	rp->body = srv_json_text(o);
	json_object_put(o);
}

void srv_api_error(struct srv_api_reply *rp, int status, const char *code, const char *message)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "error", json_object_new_string(code));
	json_object_object_add(o, "message", json_object_new_string(message));
	reply_json(rp, status, o);
	if (status == 403)
		snprintf(rp->audit, sizeof rp->audit, "refused: %s", message);
}

/* Answer a failure: 503 with Retry-After when the database stayed locked
 * (the client tries again soon; nothing was changed), else 500, logged. */
static void server_error(struct srv_api_reply *rp, const struct err *e)
{
	if (e->kind == ERR_BUSY) {
		rp->retry_after = 1;
		srv_api_error(rp, 503, "busy", "the database is busy; retry");
		return;
	}
	srv_log_say(LOG_ERR, "%s", e->msg);
	srv_api_error(rp, 500, "internal", "internal server error");
}

static void api_health(struct call *c, struct srv_api_reply *rp)
{
	struct json_object *o = json_object_new_object();

	(void)c;
	json_object_object_add(o, "status", json_object_new_string("ok"));
	json_object_object_add(o, "version", json_object_new_string(TB_VERSION));
	reply_json(rp, 200, o);
}

/* Parse the body as a JSON object.  NULL with rp filled (400) on failure. */
static struct json_object *body_object(struct call *c, struct srv_api_reply *rp)
{
	struct err e = {0};
	struct json_object *o;

	if (c->rq->body == NULL) {
		srv_api_error(rp, 400, "bad_json", "a JSON body is required");
		return NULL;
	}
	o = srv_json_parse(c->rq->body, c->rq->body_len, &e);
	if (o == NULL) {
		srv_api_error(rp, 400, "bad_json", e.msg);
		return NULL;
	}
	if (!json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		srv_api_error(rp, 400, "bad_request", "the body must be a JSON object");
		return NULL;
	}
	return o;
}

/* What keep_session keeps. */
struct session {
	const struct srv_user *u;
	const char *pwhash, *rehash, *token_hash, *device;
	long long expires;
	time_t now;
	char *terminal; /* SRV_TERMINAL_SIZE */
};

static int keep_session_tx(struct srv_store *s, void *arg, struct err *e)
{
	struct session *k = arg;
	char when[32], detail[40] = "";
	int rc;

	time_iso_shanghai(k->now, when);
	k->terminal[0] = '\0';
	if (srv_store_user_login_ok(s, k->u->id, e) < 0 ||
	    (rc = srv_store_token_put(s, k->token_hash, k->u->id, k->pwhash, k->expires, k->now,
	                              e)) < 0 ||
	    (rc == 0 && k->rehash &&
	     srv_store_user_rehash(s, k->u->id, k->pwhash, k->rehash, e) < 0) ||
	    (rc == 0 && k->device &&
	     srv_store_terminal(s, k->device, k->u->hall, k->u->id, when, k->terminal, e) < 0))
		return -1;
	if (rc != 0)
		return rc;
	if (k->terminal[0])
		snprintf(detail, sizeof detail, "terminal %s", k->terminal);
	return srv_audit_add(s, k->u->id, k->u->hall, "", SRV_AUDIT_LOGIN, detail, e);
}

/* Keep the session token_hash of u (checked against pwhash) until
 * expires, the terminal code of device (may be NULL) and the login's row
 * on the audit chain, in one transaction.  0; 1 when the password changed
 * meanwhile (nothing kept); -1. */
static int keep_session(struct call *c, const struct srv_user *u, const char *pwhash,
                        const char *rehash, const char *token_hash, long long expires,
                        const char *device, time_t now, char terminal[SRV_TERMINAL_SIZE],
                        struct err *e)
{
	struct session k = {u, pwhash, rehash, token_hash, device, expires, now, terminal};

	return srv_store_tx(c->store, keep_session_tx, &k, e);
}

/* Start a session for u, whose password was checked against pwhash, and
 * answer with its token. */
static void start_session(struct call *c, const struct srv_user *u, const char *pwhash,
                          const char *rehash, const char *device, time_t now,
                          struct srv_api_reply *rp)
{
	char token[SRV_TOKEN_HEX + 1], hash[SRV_TOKEN_HEX + 1], terminal[SRV_TERMINAL_SIZE] = "";
	struct err e = {0};
	struct json_object *o;
	long long expires = (long long)now + SRV_API_TOKEN_TTL;
	int rc;

	srv_auth_new_token(token);
	srv_auth_token_hash(token, hash);
	rc = keep_session(c, u, pwhash, rehash, hash, expires, device, now, terminal, &e);
	if (rc < 0) {
		server_error(rp, &e);
		return;
	}
	if (rc == 1) { /* the password changed while it was checked */
		srv_api_error(rp, 401, "bad_credentials", "wrong clerk id or password");
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "token", json_object_new_string(token));
	json_object_object_add(o, "expires", json_object_new_int64(expires));
	json_object_object_add(o, "clerk", srv_encode_user(u));
	if (terminal[0])
		json_object_object_add(o, "terminal", json_object_new_string(terminal));
	reply_json(rp, 200, o);
}

/* New work for the workers on a copy of password. */
static struct srv_api_work *work_new(bool is_hash, const char *password)
{
	struct srv_api_work *w = xcalloc(1, sizeof *w);

	w->is_hash = is_hash;
	w->password = xstrdup(password);
	return w;
}

/* Answer a login whose password check has run. */
static void login_finish(struct call *c, struct srv_api_work *w, struct srv_api_reply *rp)
{
	str_copy(rp->user, sizeof rp->user, w->clerk);
	if (w->ok) {
		srv_logindelay_succeeded(c->ctx->delays, c->store, w->clerk, c->rq->addr);
		start_session(c, &w->user, w->pwhash, w->rehashed ? w->rehash : NULL,
		              w->device[0] ? w->device : NULL, time(NULL), rp);
		return;
	}
	srv_api_error(rp, 401, "bad_credentials", "wrong clerk id or password");
	snprintf(rp->audit, sizeof rp->audit, "login failed from %s: %s (%d in a row)",
	         c->rq->client, w->found ? "wrong password" : "no such clerk", w->attempts);
}

/* Refuse a login with 429 for retry seconds, and say why on the log. */
static void login_refused(struct call *c, const char *code, const char *message, long retry,
                          struct srv_api_reply *rp)
{
	rp->retry_after = retry;
	srv_api_error(rp, 429, code, message);
	snprintf(rp->audit, sizeof rp->audit, "login refused from %s: %s, %ld s to wait",
	         c->rq->client, code, retry);
}

/* Admit a login (a place on the workers, then the address's login limit
 * and this clerk id's wait from this address, so that a login refused for
 * want of a worker costs the address nothing), then leave the password
 * check to the workers: against a dummy hash when there is no such clerk,
 * so that the answers and their time are the same whether it exists or not. */
static void login_start(struct call *c, const char *clerk, const char *password, const char *device,
                        struct srv_api_reply *rp)
{
	const struct srv_api_ctx *ctx = c->ctx;
	long long now = clock_ms(), locked_until;
	struct srv_api_work *w;
	struct err e = {0};
	long retry = 0;
	int attempts = 0, found, admitted;

	str_copy(rp->user, sizeof rp->user, clerk);
	if (!srv_workers_reserve(ctx->workers)) {
		rp->retry_after = 1;
		srv_api_error(rp, 503, "busy", "too many logins at once; retry");
		return;
	}
	if (!srv_ratelimit_take(ctx->logins, c->rq->addr, now, &retry)) {
		srv_workers_release(ctx->workers);
		login_refused(c, "rate_limited", "too many logins from this address; retry later",
		              retry, rp);
		return;
	}
	admitted = srv_logindelay_admit(ctx->delays, c->store, clerk, c->rq->addr, now, &retry,
	                                &attempts, &e);
	if (admitted != 1) {
		srv_workers_release(ctx->workers);
		if (admitted < 0)
			server_error(rp, &e);
		else
			login_refused(
			    c, "login_delayed",
			    "too many failed logins of this clerk from this address; retry "
			    "later",
			    retry, rp);
		return;
	}
	w = work_new(false, password);
	found = srv_store_user_get(c->store, clerk, &w->user, w->pwhash, &locked_until, &e);
	if (found < 0) {
		srv_workers_release(ctx->workers);
		srv_api_work_free(w);
		server_error(rp, &e);
		return;
	}
	w->found = found == 1;
	str_copy(w->clerk, sizeof w->clerk, clerk);
	str_copy(w->device, sizeof w->device, device ? device : "");
	w->attempts = attempts;
	w->finish = login_finish;
	rp->work = w;
}

/* True if member key of o is a string of at most max bytes, no NUL. */
static bool is_short_text(struct json_object *o, const char *key, size_t max)
{
	struct json_object *v;
	size_t n;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return false;
	n = (size_t)json_object_get_string_len(v);
	return n <= max && strlen(json_object_get_string(v)) == n;
}

static void api_login(struct call *c, struct srv_api_reply *rp)
{
	struct json_object *o = body_object(c, rp);
	const char *clerk, *password, *device;

	if (o == NULL)
		return;
	clerk = srv_json_get_string(o, "clerk");
	password = srv_json_get_string(o, "password");
	device = srv_json_get_string(o, "device");
	if (!is_short_text(o, "clerk", 64) || !is_short_text(o, "password", 1024)) {
		srv_api_error(rp, 400, "bad_request",
		              "clerk (at most 64 bytes) and password (at most 1024) are required");
	} else if (json_object_object_get_ex(o, "device", NULL) && !uuid_is_valid(device)) {
		srv_api_error(rp, 400, "bad_request", "device must be the client's UUID");
	} else {
		login_start(c, clerk, password, device, rp);
	}
	json_object_put(o);
}

static int logout_tx(struct srv_store *s, void *arg, struct err *e)
{
	struct call *c = arg;

	if (srv_store_token_delete(s, c->token_hash, e) < 0)
		return -1;
	return srv_audit_add(s, c->user.id, c->user.hall, "", SRV_AUDIT_LOGOUT, "", e);
}

static void api_logout(struct call *c, struct srv_api_reply *rp)
{
	struct err e = {0};
	struct json_object *o;
	int rc = srv_store_tx(c->store, logout_tx, c, &e);

	if (rc < 0) {
		server_error(rp, &e);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "status", json_object_new_string("ok"));
	reply_json(rp, 200, o);
}

/* The events array of a push body, or NULL with rp filled. */
static struct json_object *batch_events(struct json_object *body, struct srv_api_reply *rp)
{
	struct json_object *events;

	if (!json_object_object_get_ex(body, "events", &events) ||
	    !json_object_is_type(events, json_type_array)) {
		srv_api_error(rp, 400, "bad_request", "the body must be {\"events\": [...]}");
		return NULL;
	}
	if (json_object_array_length(events) > SRV_EVENTS_MAX_BATCH) {
		srv_api_error(rp, 413, "batch_too_large", "at most 500 events per batch");
		return NULL;
	}
	return events;
}

static void api_events(struct call *c, struct srv_api_reply *rp)
{
	struct json_object *body = body_object(c, rp), *events, *results, *o;
	char now_iso[SRV_TIME_ISO_SIZE];
	struct err e = {0};
	time_t now = time(NULL);
	int rc;

	if (body == NULL)
		return;
	events = batch_events(body, rp);
	if (events == NULL) {
		json_object_put(body);
		return;
	}
	rc = srv_events_apply(c->store, &c->user, events, now, &results, &e);
	json_object_put(body);
	if (rc < 0) {
		server_error(rp, &e);
		return;
	}
	time_iso_shanghai(now, now_iso);
	o = json_object_new_object();
	json_object_object_add(o, "results", results);
	json_object_object_add(o, "server_time", json_object_new_string(now_iso));
	reply_json(rp, 200, o);
}

/* A search's row on the audit chain, before its cases are shown: the
 * kind of query q and the hits in list, never q itself.  0 or -1. */
static int audit_search(struct call *c, const char *q, struct json_object *list, struct err *e)
{
	char detail[64];

	snprintf(detail, sizeof detail, "kind %s, %zu hits", srv_audit_query_kind(q),
	         json_object_array_length(list));
	return srv_audit_add(c->store, c->user.id, c->user.hall, "", SRV_AUDIT_SEARCH, detail, e);
}

static void api_cases(struct call *c, struct srv_api_reply *rp)
{
	const char *q = c->rq->query ? c->rq->query : "";
	struct json_object *list, *o;
	struct err e = {0};

	if (strlen(q) > 256) {
		srv_api_error(rp, 400, "bad_request", "query too long");
		return;
	}
	list = json_object_new_array();
	if (srv_store_case_search(c->store, c->user.hall, q, SRV_API_MAX_CASES, srv_encode_add_case,
	                          list, &e) < 0 ||
	    audit_search(c, q, list, &e) < 0) {
		json_object_put(list);
		server_error(rp, &e);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "cases", list);
	reply_json(rp, 200, o);
}

/* Whether the case of the call was routed to the user's hall to be
 * decided there (跨域通办); *rc -1 on a database error. */
static bool is_routed_here(struct call *c, int *rc, struct err *e)
{
	char hall[65];
	int found = srv_joint_routed_hall(c->store, c->suffix, hall, e);

	if (found < 0)
		*rc = -1;
	return found < 0 || (found == 1 && strcmp(hall, c->user.hall) == 0);
}

/* The back office's cases to decide (srv_joint.h). */
static void api_inbox(struct call *c, struct srv_api_reply *rp)
{
	struct json_object *list = json_object_new_array(), *o;
	struct err e = {0};

	if (srv_joint_inbox(c->store, &c->user, SRV_API_MAX_CASES, list, &e) < 0) {
		json_object_put(list);
		server_error(rp, &e);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "cases", list);
	reply_json(rp, 200, o);
}

static void api_case(struct call *c, struct srv_api_reply *rp)
{
	struct json_object *o = NULL;
	struct err e = {0};
	int rc;

	if (!srv_events_is_uuid(c->suffix)) {
		srv_api_error(rp, 404, "not_found", "no such case");
		return;
	}
	rc = srv_store_case_get(c->store, c->suffix, srv_encode_case_detail,
	                        srv_encode_case_detail_event, &o, &e);
	/* another hall's case is answered as none, so that no answer tells
	 * which case ids exist elsewhere */
	if (rc == 1 && strcmp(srv_json_get_string(o, "hall"), c->user.hall) != 0 &&
	    !is_routed_here(c, &rc, &e))
		rc = 0;
	if (rc == 1)
		rc = srv_store_case_life(c->store, c->suffix, srv_encode_add_case_life, o, &e);
	if (rc == 1 && srv_bundle_add_parts(c->store, c->user.hall, o, &e) < 0)
		rc = -1;
	/* the view is on the audit chain before the record is shown, or it is not shown */
	if (rc == 1 && srv_audit_add(c->store, c->user.id, c->user.hall, c->suffix, SRV_AUDIT_VIEW,
	                             "GET /v1/cases/ID", &e) < 0)
		rc = -1;
	if (rc < 0) {
		json_object_put(o);
		server_error(rp, &e);
	} else if (rc == 0) {
		json_object_put(o);
		srv_api_error(rp, 404, "not_found", "no such case");
	} else {
		reply_json(rp, 200, o);
	}
}

/* Answer a status of srv_events_decide other than 0. */
static void decision_error(int rc, const struct err *e, struct srv_api_reply *rp)
{
	switch (rc) {
	case SRV_NO_CASE:
		srv_api_error(rp, 404, "not_found", "no such case");
		break;
	case SRV_FORBIDDEN:
		srv_api_error(rp, 403, "forbidden", e->msg);
		break;
	case SRV_CONFLICT:
		srv_api_error(rp, 409, "conflict", e->msg);
		break;
	case SRV_INVALID:
		srv_api_error(rp, 422, "invalid", e->msg);
		break;
	default:
		server_error(rp, e);
	}
}

static void api_decision(struct call *c, struct srv_api_reply *rp)
{
	struct json_object *body, *event = NULL, *o;
	struct err e = {0};
	long long cursor = 0;
	int rc;

	body = body_object(c, rp);
	if (body == NULL)
		return;
	rc =
	    srv_events_decide(c->store, &c->user, c->segment, srv_json_get_string(body, "decision"),
	                      srv_json_get_string(body, "reason"), time(NULL), &event, &cursor, &e);
	json_object_put(body);
	if (rc != 0) {
		decision_error(rc, &e, rp);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "cursor", json_object_new_int64(cursor));
	json_object_object_add(o, "event", event);
	reply_json(rp, 200, o);
}

/* The integer query argument name in [lo, hi], def when absent.  false
 * with rp filled (400) when it is not one. */
static bool int_arg(struct call *c, const char *name, long long lo, long long hi, long long def,
                    long long *out, struct srv_api_reply *rp)
{
	const char *v = srv_api_arg(c->rq, name);
	char *end;
	char msg[128];

	*out = def;
	if (v == NULL)
		return true;
	*out = strtoll(v, &end, 10);
	if (*v != '\0' && *end == '\0' && *out >= lo && *out <= hi && v[0] != '+' && v[0] != '-')
		return true;
	snprintf(msg, sizeof msg, "%s must be an integer from %lld to %lld", name, lo, hi);
	srv_api_error(rp, 400, "bad_request", msg);
	return false;
}

static void api_changes(struct call *c, struct srv_api_reply *rp)
{
	struct json_object *list, *o;
	struct err e = {0};
	long long since, limit, next;
	bool more;

	if (!int_arg(c, "since", 0, 9007199254740991LL, 0, &since, rp) ||
	    !int_arg(c, "limit", 1, SRV_API_MAX_CHANGES, SRV_API_DEFAULT_CHANGES, &limit, rp))
		return;
	list = json_object_new_array();
	if (srv_store_changes(c->store, c->user.hall, since, (int)limit, srv_encode_add_change,
	                      list, &more, &next, &e) < 0) {
		json_object_put(list);
		server_error(rp, &e);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "changes", list);
	json_object_object_add(o, "next", json_object_new_int64(next));
	json_object_object_add(o, "more", json_object_new_boolean(more));
	reply_json(rp, 200, o);
}

/* The stored document kind, or NULL with rp filled (404 or 500).  *version
 * is set; the caller frees both. */
static char *document(struct call *c, const char *kind, char **version, struct srv_api_reply *rp)
{
	struct err e = {0};
	char *body = NULL, msg[64];
	int rc = srv_store_document_get(c->store, kind, version, &body, &e);

	if (rc < 0) {
		server_error(rp, &e);
	} else if (rc == 0) {
		snprintf(msg, sizeof msg, "no %s has been imported", kind);
		srv_api_error(rp, 404, "not_found", msg);
	}
	return body;
}

static void reply_unchanged(struct srv_api_reply *rp, const char *version)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "unchanged", json_object_new_boolean(true));
	json_object_object_add(o, "version", json_object_new_string(version));
	reply_json(rp, 200, o);
}

static void release_doc(void *d)
{
	srv_doc_release(d);
}

/* A weak ETag of the version (the same text plain or gzip), when the
 * version can be one: printable, without quotes or backslashes. */
static void etag_of(const char *version, char *out, size_t n)
{
	const unsigned char *p;

	out[0] = '\0';
	for (p = (const unsigned char *)version; *p; p++)
		if (*p < 0x21 || *p == '"' || *p == '\\' || *p == 0x7f)
			return;
	if (strlen(version) + 5 <= n)
		snprintf(out, n, "W/\"%s\"", version);
}

/* Answer with the cached copy d (its reference now the reply's), gzip when
 * the client takes it and there is one. */
static void reply_doc(struct srv_api_reply *rp, struct srv_doc *d, bool gzip)
{
	gzip = gzip && d->gzip != NULL;
	rp->status = 200;
	rp->shared = gzip ? d->gzip : d->plain;
	rp->shared_len = gzip ? d->gzip_len : d->plain_len;
	rp->encoding = gzip ? "gzip" : NULL;
	rp->vary_encoding = true;
	rp->release = release_doc;
	rp->release_arg = d;
	etag_of(d->version, rp->etag, sizeof rp->etag);
}

/* "unchanged" is told from the version alone: the body (up to 256 MiB) is
 * read only for a client that needs it, and then once per version for
 * every client (srv_doccache.h). */
static void api_catalogue(struct call *c, struct srv_api_reply *rp)
{
	const char *since = srv_api_arg(c->rq, "since");
	char *version = NULL;
	struct srv_doc *d = NULL;
	struct err e = {0};
	int rc = srv_store_document_version(c->store, "catalogue", &version, &e);

	if (rc == 1 && since != NULL && strcmp(since, version) == 0) {
		reply_unchanged(rp, version);
		free(version);
		return;
	}
	if (rc == 1)
		rc = srv_doccache_get(c->ctx->docs, c->store, "catalogue", version, &d, &e);
	free(version);
	if (rc < 0)
		server_error(rp, &e);
	else if (rc == 0)
		srv_api_error(rp, 404, "not_found", "no catalogue has been imported");
	else
		reply_doc(rp, d, srv_accepts_gzip(c->rq->accept_encoding));
}

static void api_calendar(struct call *c, struct srv_api_reply *rp)
{
	long long year;
	char *version = NULL, *body, key[16];
	struct json_object *doc, *years, *y, *o, *one;

	if (!int_arg(c, "year", 1900, 2999, 0, &year, rp))
		return;
	body = document(c, "calendar", &version, rp);
	if (body == NULL)
		return;
	if (year == 0) {
		rp->status = 200;
		rp->body = body;
		free(version);
		return;
	}
	snprintf(key, sizeof key, "%lld", year);
	doc = json_tokener_parse(body);
	free(body);
	if (!json_object_object_get_ex(doc, "years", &years) ||
	    !json_object_object_get_ex(years, key, &y)) {
		srv_api_error(rp, 404, "not_found", "the calendar has no such year");
	} else {
		o = json_object_new_object();
		one = json_object_new_object();
		json_object_object_add(one, key, json_object_get(y));
		json_object_object_add(o, "version", json_object_new_string(version));
		json_object_object_add(o, "years", one);
		reply_json(rp, 200, o);
	}
	json_object_put(doc);
	free(version);
}

static void api_users(struct call *c, struct srv_api_reply *rp)
{
	struct json_object *list, *o;
	struct err e = {0};

	list = json_object_new_array();
	if (srv_store_user_list(c->store, srv_encode_add_user, list, &e) < 0) {
		json_object_put(list);
		server_error(rp, &e);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "users", list);
	reply_json(rp, 200, o);
}

/* Copy the string member key of o into dst (size n).  Absent is fine
 * unless required.  0, or -1 with why (size why_n) filled. */
static int user_field(struct json_object *o, const char *key, char *dst, size_t n, bool required,
                      char *why, size_t why_n)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v)) {
		if (required)
			snprintf(why, why_n, "%s is required", key);
		return required ? -1 : 0;
	}
	if (!is_short_text(o, key, n - 1)) {
		snprintf(why, why_n, "%s must be a string of at most %zu bytes", key, n - 1);
		return -1;
	}
	str_copy(dst, n, json_object_get_string(v));
	return 0;
}

/* The account in body o into *u.  0, or -1 with why filled. */
static int user_from_body(struct json_object *o, struct srv_user *u, char *why, size_t n)
{
	const struct {
		const char *key;
		char *dst;
		size_t size;
		bool required;
	} f[] = {
	    {"id", u->id, sizeof u->id, true},
	    {"name", u->name, sizeof u->name, true},
	    {"hall", u->hall, sizeof u->hall, true},
	    {"hall_name", u->hall_name, sizeof u->hall_name, true},
	    {"window", u->window, sizeof u->window, true},
	    {"role", u->role, sizeof u->role, false},
	    {"dept", u->dept, sizeof u->dept, false},
	};
	struct err e = {0};
	size_t i;

	memset(u, 0, sizeof *u);
	str_copy(u->role, sizeof u->role, "clerk");
	for (i = 0; i < sizeof f / sizeof f[0]; i++)
		if (user_field(o, f[i].key, f[i].dst, f[i].size, f[i].required, why, n) != 0)
			return -1;
	if (srv_admin_check_user(u, &e) != 0) {
		str_copy(why, n, e.msg);
		return -1;
	}
	return 0;
}

/* The password member of o: NULL when absent; *bad set when present but
 * not a non-empty NUL-free string of at most 1024 bytes. */
static const char *user_password(struct json_object *o, bool *bad)
{
	const char *pw = srv_json_get_string(o, "password");

	*bad = json_object_object_get_ex(o, "password", NULL) &&
	       (!is_short_text(o, "password", 1024) || *pw == '\0');
	return *bad ? NULL : pw;
}

/* Save u with hash (new when password_set, else the old one) and answer. */
static void save_user(struct call *c, const struct srv_user *u, bool password_set, const char *hash,
                      bool created, struct srv_api_reply *rp)
{
	struct err e = {0};
	struct json_object *o;

	if (srv_store_user_put(c->store, u, hash, &c->user, &e) < 0) {
		server_error(rp, &e);
		return;
	}
	if (password_set)
		srv_logindelay_forget_clerk(c->ctx->delays, c->store, u->id);
	snprintf(rp->audit, sizeof rp->audit, "user %s %s: role %s, hall %s%s", u->id,
	         created ? "created" : "updated", u->role, u->hall,
	         password_set ? ", password set" : "");
	o = json_object_new_object();
	json_object_object_add(o, "created", json_object_new_boolean(created));
	json_object_object_add(o, "user", srv_encode_user(u));
	reply_json(rp, created ? 201 : 200, o);
}

/* Save the account whose new password has been hashed. */
static void user_put_finish(struct call *c, struct srv_api_work *w, struct srv_api_reply *rp)
{
	if (!w->ok) {
		server_error(rp, &w->err);
		return;
	}
	save_user(c, &w->user, true, w->pwhash, w->created, rp);
}

/* Leave the hashing of u's new password to the workers. */
static void hash_then_save(struct call *c, const struct srv_user *u, const char *password,
                           bool created, struct srv_api_reply *rp)
{
	struct srv_api_work *w;

	if (!srv_workers_reserve(c->ctx->workers)) {
		rp->retry_after = 1;
		srv_api_error(rp, 503, "busy", "too many password changes at once; retry");
		return;
	}
	w = work_new(true, password);
	w->user = *u;
	w->created = created;
	w->finish = user_put_finish;
	rp->work = w;
}

static void api_user_put(struct call *c, struct srv_api_reply *rp)
{
	struct json_object *body;
	struct srv_user u, old;
	char why[256], hash[SRV_PWHASH_SIZE] = "";
	long long locked_until;
	struct err e = {0};
	const char *password;
	bool bad_password;
	int rc;

	if ((body = body_object(c, rp)) == NULL)
		return;
	password = user_password(body, &bad_password);
	if (user_from_body(body, &u, why, sizeof why) != 0 || bad_password) {
		srv_api_error(rp, 422, "invalid",
		              bad_password ? "password must be 1 to 1024 bytes, no NUL" : why);
	} else if ((rc = srv_store_user_get(c->store, u.id, &old, hash, &locked_until, &e)) < 0) {
		server_error(rp, &e);
	} else if (rc == 0 && password == NULL) {
		srv_api_error(rp, 422, "invalid", "password is required for a new user");
	} else if (password == NULL) {
		save_user(c, &u, false, hash, false, rp);
	} else {
		hash_then_save(c, &u, password, rc == 0, rp);
	}
	json_object_put(body);
}

static void api_followups(struct call *c, struct srv_api_reply *rp)
{
	const char *state = srv_api_arg(c->rq, "state");
	struct json_object *list, *o;
	struct err e = {0};
	long long limit;

	if (state == NULL)
		state = "open";
	if (strcmp(state, "open") != 0 && strcmp(state, "closed") != 0 &&
	    strcmp(state, "all") != 0) {
		srv_api_error(rp, 400, "bad_request", "state must be open, closed or all");
		return;
	}
	if (!int_arg(c, "limit", 1, SRV_API_MAX_FOLLOW_UPS, SRV_API_DEFAULT_FOLLOW_UPS, &limit, rp))
		return;
	list = json_object_new_array();
	if (srv_store_follow_ups(c->store, c->user.hall, strcmp(state, "all") == 0 ? NULL : state,
	                         (int)limit, srv_encode_add_follow_up, list, &e) < 0) {
		json_object_put(list);
		server_error(rp, &e);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "hall", json_object_new_string(c->user.hall));
	json_object_object_add(o, "state", json_object_new_string(state));
	json_object_object_add(o, "follow_ups", list);
	reply_json(rp, 200, o);
}

/* The date query argument name into *d.  false with rp filled (400) when
 * it is missing or not a date. */
static bool date_arg(struct call *c, const char *name, struct tb_date *d, struct srv_api_reply *rp)
{
	char msg[96];

	if (tb_date_parse(srv_api_arg(c->rq, name), d) == 0)
		return true;
	snprintf(msg, sizeof msg, "%s must be a date, YYYY-MM-DD", name);
	srv_api_error(rp, 400, "bad_request", msg);
	return false;
}

/* The hall whose statistics the caller asks for: its own, or with ?hall=
 * (an operator) any.  NULL with rp filled. */
static const char *stats_hall(struct call *c, struct srv_api_reply *rp)
{
	const char *hall = srv_api_arg(c->rq, "hall");

	if (hall == NULL || strcmp(hall, c->user.hall) == 0)
		return c->user.hall;
	if (strlen(hall) >= sizeof c->user.hall) {
		srv_api_error(rp, 400, "bad_request", "hall must be a hall code");
		return NULL;
	}
	if (!(srv_role_bit(c->user.role) & OPERATOR)) {
		srv_api_error(rp, 403, "forbidden",
		              "only an operator sees another hall's statistics");
		return NULL;
	}
	return hall;
}

static void api_stats(struct call *c, struct srv_api_reply *rp)
{
	struct tb_date from, to;
	struct stats st;
	struct err e = {0};
	const char *hall;

	if (!date_arg(c, "from", &from, rp) || !date_arg(c, "to", &to, rp))
		return;
	if (tb_date_cmp(from, to) > 0) {
		srv_api_error(rp, 400, "bad_request", "from must not be after to");
		return;
	}
	if ((hall = stats_hall(c, rp)) == NULL)
		return;
	if (srv_stats_hall(c->store, hall, from, to, tb_date_today_shanghai(), &st, &e) < 0)
		server_error(rp, &e);
	else
		reply_json(rp, 200, srv_stats_json(hall, &st));
	stats_free(&st);
}

static void api_audit(struct call *c, struct srv_api_reply *rp)
{
	struct json_object *body = body_object(c, rp), *o;
	struct srv_audit_push p;
	struct err e = {0};
	int rc;

	if (body == NULL)
		return;
	rc = srv_audit_receive(c->store, &c->user, body, time(NULL), &p, &e);
	json_object_put(body);
	switch (rc) {
	case 0:
		o = json_object_new_object();
		json_object_object_add(o, "stored", json_object_new_int(p.stored));
		json_object_object_add(o, "duplicates", json_object_new_int(p.duplicates));
		reply_json(rp, 200, o);
		break;
	case SRV_AUDIT_MALFORMED:
		srv_api_error(rp, 400, "bad_request", p.why);
		break;
	case SRV_AUDIT_TOO_MANY:
		srv_api_error(rp, 413, "batch_too_large", p.why);
		break;
	case SRV_AUDIT_NOT_TERMINAL:
		srv_api_error(rp, 403, "forbidden", p.why);
		break;
	case SRV_AUDIT_REFUSED:
		srv_api_error(rp, 409, "chain_broken", p.why);
		snprintf(rp->audit, sizeof rp->audit, "audit chain refused: %.200s", p.why);
		break;
	default:
		server_error(rp, &e);
	}
}

static void api_certificate_lookup(struct call *c, struct srv_api_reply *rp)
{
	struct json_object *body = body_object(c, rp), *o;
	struct err e = {0};
	char why[256];
	int rc;

	if (body == NULL)
		return;
	rc = srv_ecert_api_lookup(c->store, &c->user, body, &o, why, sizeof why, &e);
	json_object_put(body);
	if (rc == 0)
		reply_json(rp, 200, o);
	else if (rc == 1)
		srv_api_error(rp, 400, "bad_request", why);
	else
		server_error(rp, &e);
}

/* Whether route r serves path; *suffix is what follows a prefix. */
static bool route_matches(const struct srv_api_route *r, const char *path, const char **suffix)
{
	size_t n = strlen(r->path);
	const char *slash;

	if (!r->is_prefix)
		return strcmp(path, r->path) == 0;
	if (strncmp(path, r->path, n) != 0 || path[n] == '\0' || path[n] == '/')
		return false;
	slash = strchr(path + n, '/');
	if (r->tail == NULL ? slash != NULL : (slash == NULL || strcmp(slash, r->tail) != 0))
		return false;
	*suffix = path + n;
	return true;
}

/* The route for the request, or NULL with rp filled (404 or 405). */
static const struct srv_api_route *find_route(const struct srv_api_request *rq, const char **suffix,
                                              struct srv_api_reply *rp)
{
	size_t i;
	const struct srv_api_route *other_method = NULL;

	for (i = 0; i < N_ROUTES; i++) {
		if (!route_matches(&routes[i], rq->path, suffix))
			continue;
		if (strcmp(routes[i].method, rq->method) == 0)
			return &routes[i];
		other_method = &routes[i];
	}
	if (other_method != NULL) {
		rp->allow = other_method->method;
		srv_api_error(rp, 405, "method_not_allowed", "method not allowed here");
	} else {
		srv_api_error(rp, 404, "not_found", "no such resource");
	}
	return NULL;
}

/* Whether the clerk's role may call route r; else false with rp filled (403). */
static bool role_may_call(const struct call *c, const struct srv_api_route *r,
                          struct srv_api_reply *rp)
{
	if (srv_role_bit(c->user.role) & r->roles)
		return true;
	srv_api_error(rp, 403, "forbidden", r->refusal);
	return false;
}

/* Find the clerk of the request's bearer token.  false with rp filled. */
static bool authenticate(struct call *c, struct srv_api_reply *rp)
{
	const char *h = c->rq->authorization;
	struct err e = {0};
	int rc;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0) {
		srv_api_error(rp, 401, "unauthorized", "log in first");
		return false;
	}
	h += 7;
	while (*h == ' ')
		h++;
	if (!srv_auth_is_token(h)) {
		srv_api_error(rp, 401, "unauthorized", "log in first");
		return false;
	}
	srv_auth_token_hash(h, c->token_hash);
	rc = srv_store_token_user(c->store, c->token_hash, (long long)time(NULL), &c->user, &e);
	if (rc < 0) {
		server_error(rp, &e);
		return false;
	}
	if (rc == 0) {
		srv_api_error(rp, 401, "unauthorized", "session unknown or expired; log in again");
		return false;
	}
	str_copy(rp->user, sizeof rp->user, c->user.id);
	return true;
}

const char *srv_api_arg(const struct srv_api_request *rq, const char *name)
{
	int i;

	for (i = 0; i < rq->n_args; i++)
		if (strcmp(rq->args[i].name, name) == 0)
			return rq->args[i].value;
	return NULL;
}

/* A call of rq on route r, with the segment of a prefix route. */
static void call_init(struct call *c, const struct srv_api_ctx *ctx,
                      const struct srv_api_request *rq, const struct srv_api_route *r)
{
	size_t n;

	memset(c, 0, sizeof *c);
	c->ctx = ctx;
	c->rq = rq;
	c->pool = ctx->pool;
	if (!route_matches(r, rq->path, &c->suffix) || c->suffix == NULL)
		return;
	n = strcspn(c->suffix, "/");
	memcpy(c->segment, c->suffix, n < sizeof c->segment ? n : sizeof c->segment - 1);
}

bool srv_api_begin(const struct srv_api_ctx *ctx, const struct srv_api_request *rq,
                   struct srv_api_session *sess, struct srv_api_reply *rp)
{
	const struct srv_api_route *r;
	const char *suffix = NULL;
	struct call c;
	bool ok;

	memset(rp, 0, sizeof *rp);
	memset(sess, 0, sizeof *sess);
	r = find_route(rq, &suffix, rp);
	if (r == NULL)
		return false;
	sess->route = r;
	sess->max_body = r->max_body;
	if (!r->needs_login)
		return true;
	call_init(&c, ctx, rq, r);
	c.store = srv_store_pool_get(ctx->pool);
	ok = authenticate(&c, rp) && role_may_call(&c, r, rp);
	srv_store_pool_put(ctx->pool, c.store);
	sess->user = c.user;
	memcpy(sess->token_hash, c.token_hash, sizeof sess->token_hash);
	return ok;
}

/* A call of rq as begun with sess, holding a store connection. */
static void call_open(struct call *c, const struct srv_api_ctx *ctx,
                      const struct srv_api_request *rq, const struct srv_api_session *sess,
                      struct srv_api_reply *rp)
{
	memset(rp, 0, sizeof *rp);
	call_init(c, ctx, rq, sess->route);
	c->user = sess->user;
	memcpy(c->token_hash, sess->token_hash, sizeof c->token_hash);
	if (sess->route->needs_login)
		str_copy(rp->user, sizeof rp->user, sess->user.id);
	c->store = srv_store_pool_get(ctx->pool);
}

void srv_api_handle(const struct srv_api_ctx *ctx, const struct srv_api_request *rq,
                    const struct srv_api_session *sess, struct srv_api_reply *rp)
{
	struct call c;

	call_open(&c, ctx, rq, sess, rp);
	sess->route->fn(&c, rp);
	srv_store_pool_put(ctx->pool, c.store);
}

void srv_api_work_run(struct srv_api_work *w)
{
	if (w->is_hash)
		w->ok = srv_auth_hash_password(w->password, w->pwhash, &w->err) == 0;
	else {
		w->ok = srv_auth_verify_password(w->found ? w->pwhash : NULL, w->password);
		/* a hash of an older cost is made again at this one, once */
		if (w->ok && srv_auth_needs_rehash(w->pwhash))
			w->rehashed = srv_auth_hash_password(w->password, w->rehash, &w->err) == 0;
	}
}

void srv_api_finish(const struct srv_api_ctx *ctx, const struct srv_api_request *rq,
                    const struct srv_api_session *sess, struct srv_api_work *w,
                    struct srv_api_reply *rp)
{
	struct call c;

	call_open(&c, ctx, rq, sess, rp);
	w->finish(&c, w, rp);
	srv_store_pool_put(ctx->pool, c.store);
	srv_api_work_free(w);
}

void srv_api_work_free(struct srv_api_work *w)
{
	if (w == NULL)
		return;
	srv_auth_free_secret(w->password);
	free(w);
}
