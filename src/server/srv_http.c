/*
 * srv_http.c - libmicrohttpd glue: binding, the per-address limits, reading
 * bodies, handing argon2 to the password workers, sending replies.
 *
 * A request goes: headers in (on_headers: the address's request limit,
 * the Host header, a test fault, the route, the login, the route's body
 * limit, all before a byte of body is read), its body (on_body_data, at
 * most the route's limit), then on_complete (srv_api_handle).  When the
 * answer needs argon2 the connection is suspended and the HTTP thread goes
 * on serving others; a password worker does the hash and resumes the
 * connection, and on_complete runs again to answer (srv_api_finish).
 */
#include "server/srv_http.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "server/srv_api.h"
#include "server/srv_auth.h"
#include "server/srv_deadline.h"
#include "server/srv_doccache.h"
#include "server/srv_fault.h"
#include "server/srv_log.h"
#include "server/srv_logindelay.h"
#include "server/srv_ratelimit.h"
#include "server/srv_store.h"
#include "server/srv_workers.h"

struct srv {
	struct MHD_Daemon *daemon;
	struct srv_api_ctx api;
	struct srv_faults *faults;
	struct srv_deadlines *deadlines;
	struct srv_ratelimit *requests; /* requests per address, or NULL */
	unsigned port;
	bool quiet;
	long long timeout_ms;
	char *tls_cert, *tls_key; /* PEM text, kept while the daemon runs */
	char url[128];
};

/* State of one request from its headers to its answer. */
struct request {
	struct MHD_Connection *conn;
	struct srv_conn *peer; /* the connection's address and deadline */
	struct buf body;
	long long start_ms;
	struct srv_api_session sess;
	struct srv_fault_action fault; /* the test fault picked at the headers */
	struct srv_api_work *work;     /* on a password worker while suspended */
	bool suspended;
};

/* A shared body being sent (srv_api_reply's shared): libmicrohttpd reads it
 * a block at a time from the one copy, and gives it back when done. */
struct shared_body {
	const char *data;
	size_t len;
	void (*release)(void *arg);
	void *arg;
};

static ssize_t shared_read(void *cls, uint64_t pos, char *out, size_t max)
{
	const struct shared_body *b = cls;
	size_t n;

	if (pos >= b->len)
		return MHD_CONTENT_READER_END_OF_STREAM;
	n = b->len - (size_t)pos < max ? b->len - (size_t)pos : max;
	memcpy(out, b->data + pos, n);
	return (ssize_t)n;
}

static void shared_free(void *cls)
{
	struct shared_body *b = cls;

	if (b->release != NULL)
		b->release(b->arg);
	free(b);
}

/* Free what rp holds without sending it. */
static void reply_discard(struct srv_api_reply *rp)
{
	free(rp->body);
	rp->body = NULL;
	if (rp->shared != NULL && rp->release != NULL)
		rp->release(rp->release_arg);
	rp->shared = NULL;
}

/* The response of rp's body, which it takes over. */
static struct MHD_Response *response_of(struct srv_api_reply *rp)
{
	struct MHD_Response *resp;
	struct shared_body *b;

	if (rp->shared == NULL) {
		resp = MHD_create_response_from_buffer(strlen(rp->body), rp->body,
		                                       MHD_RESPMEM_MUST_FREE);
		rp->body = NULL;
		return resp;
	}
	b = xmalloc(sizeof *b);
	b->data = rp->shared;
	b->len = rp->shared_len;
	b->release = rp->release;
	b->arg = rp->release_arg;
	rp->shared = NULL;
	resp = MHD_create_response_from_callback(b->len, 64 * 1024, shared_read, b, shared_free);
	if (resp == NULL)
		shared_free(b);
	return resp;
}

static void send_reply(struct srv *s, struct request *rq, const char *method, const char *url,
                       struct srv_api_reply *rp)
{
	struct MHD_Response *resp;
	char retry[32];

	if ((resp = response_of(rp)) == NULL) {
		free(rp->body);
		rp->body = NULL;
		return; /* out of memory in libmicrohttpd: the connection is closed */
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	                        "application/json; charset=utf-8");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	if (rp->encoding != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, rp->encoding);
	if (rp->vary_encoding)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY,
		                        MHD_HTTP_HEADER_ACCEPT_ENCODING);
	if (rp->etag[0] != '\0')
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, rp->etag);
	if (rp->retry_after > 0) {
		snprintf(retry, sizeof retry, "%ld", rp->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, retry);
	}
	if (rp->allow != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, rp->allow);
	srv_deadlines_busy(s->deadlines, rq->peer);
	MHD_queue_response(rq->conn, (unsigned)rp->status, resp);
	MHD_destroy_response(resp);
	if (s->quiet)
		return;
	srv_log_request(stderr, method, url, rp->status, clock_ms() - rq->start_ms, rp->user);
	if (rp->audit[0] != '\0')
		srv_log_audit(stderr, method, url, rp->user, rp->audit);
}

/* Answer an error found before the request reached the API. */
static void send_error(struct srv *s, struct request *rq, const char *method, const char *url,
                       int status, const char *code, const char *message, long retry_after)
{
	struct srv_api_reply rp;

	memset(&rp, 0, sizeof rp);
	rp.retry_after = retry_after;
	srv_api_error(&rp, status, code, message);
	send_reply(s, rq, method, url, &rp);
}

static enum MHD_Result take_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
	struct srv_api_request *req = cls;

	(void)kind;
	if (req->n_args == SRV_API_MAX_ARGS)
		return MHD_NO;
	req->args[req->n_args].name = key;
	req->args[req->n_args].value = value ? value : "";
	req->n_args++;
	return MHD_YES;
}

/* The request as srv_api sees it (the body so far included). */
static void fill_request(struct MHD_Connection *conn, const char *method, const char *url,
                         const struct request *rq, struct srv_api_request *req)
{
	memset(req, 0, sizeof *req);
	req->method = method;
	req->path = url;
	req->authorization =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	req->accept_encoding =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
	req->query = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "query");
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, take_arg, req);
	req->body = rq->body.data;
	req->body_len = rq->body.len;
	req->addr = &rq->peer->addr;
	req->client = rq->peer->addr_text;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* Note an injected fault on the log (tests read it to see what happened). */
static void log_fault(struct srv *s, const char *method, const char *url,
                      const struct srv_fault_action *fa)
{
	if (!s->quiet)
		srv_log_say(LOG_WARNING, "fault %s on %s %s", fa->rule, method, url);
}

/* Send the answer of a handled request, unless a test fault (srv_fault.h)
 * says to drop or truncate it. */
static enum MHD_Result deliver(struct srv *s, struct request *rq, const char *method,
                               const char *url, struct srv_api_reply *rp)
{
	size_t len;

	if (rq->fault.kind == SRV_FAULT_DROP_AFTER_COMMIT) {
		reply_discard(rp);
		return MHD_NO;
	}
	if (rq->fault.kind == SRV_FAULT_TRUNCATE && rp->shared != NULL) {
		rp->shared_len /= 2; /* a gzip answer cut short is a damaged one */
	} else if (rq->fault.kind == SRV_FAULT_TRUNCATE) {
		len = strlen(rp->body);
		rp->body[len / 2] = '\0';
	}
	send_reply(s, rq, method, url, rp);
	return MHD_YES;
}

/* On a password worker: the slow part, then back to the HTTP threads. */
static void run_work(void *arg)
{
	struct request *rq = arg;

	srv_api_work_run(rq->work);
	MHD_resume_connection(rq->conn);
}

/* The body is complete: answer the request, or leave its slow part to a
 * password worker meanwhile suspending the connection (the HTTP thread goes
 * on with others). */
static enum MHD_Result on_complete(struct srv *s, struct request *rq, const char *method,
                                   const char *url)
{
	struct srv_api_request req;
	struct srv_api_reply rp;

	fill_request(rq->conn, method, url, rq, &req);
	if (rq->suspended) {
		rq->suspended = false;
		srv_api_finish(&s->api, &req, &rq->sess, rq->work, &rp);
		rq->work = NULL;
		return deliver(s, rq, method, url, &rp);
	}
	srv_deadlines_busy(s->deadlines, rq->peer);
	srv_api_handle(&s->api, &req, &rq->sess, &rp);
	if (rp.work == NULL)
		return deliver(s, rq, method, url, &rp);
	rq->work = rp.work;
	rq->suspended = true;
	MHD_suspend_connection(rq->conn); /* before the worker can resume it */
	srv_workers_submit(s->api.workers, run_work, rq);
	return MHD_YES;
}

/* Apply the test fault (srv_fault.h) picked for the request: sleep, and
 * drop it or answer its status (true: done), or leave the rest for later. */
static bool apply_fault(struct srv *s, struct request *rq, const char *method, const char *url,
                        enum MHD_Result *result)
{
	struct srv_fault_action *fa = &rq->fault;

	srv_faults_pick(s->faults, url, fa);
	if (fa->kind != SRV_FAULT_NONE || fa->slow_ms > 0)
		log_fault(s, method, url, fa);
	if (fa->slow_ms > 0)
		sleep_ms(fa->slow_ms);
	*result = fa->kind == SRV_FAULT_DROP ? MHD_NO : MHD_YES;
	if (fa->kind == SRV_FAULT_STATUS)
		send_error(s, rq, method, url, fa->status, "fault", "injected fault (tests only)",
		           fa->retry_after);
	return fa->kind == SRV_FAULT_DROP || fa->kind == SRV_FAULT_STATUS;
}

/* The announced body length: *len, and whether there is a body at all
 * (a Content-Length above 0, or a chunked body of unknown length). */
static bool announced_body(struct MHD_Connection *conn, unsigned long long *len)
{
	const char *cl =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

	*len = cl != NULL ? strtoull(cl, NULL, 10) : 0;
	return *len > 0 || MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	                                               MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
}

/* How long a body of len bytes may take: the timeout and a second for every
 * SRV_BODY_BYTES_PER_S. */
static long long body_ms(const struct srv *s, unsigned long long len)
{
	return s->timeout_ms + (long long)(len * 1000 / SRV_BODY_BYTES_PER_S);
}

/* The headers are in: refuse the request at once (too many from this
 * address, no Host, a test fault, no route, no login, a body too large),
 * or prepare to read a body of at most the route's limit. */
static enum MHD_Result on_headers(struct srv *s, struct request *rq, const char *method,
                                  const char *url, const char *version)
{
	struct srv_api_request req;
	struct srv_api_reply rp;
	unsigned long long len;
	bool has_body = announced_body(rq->conn, &len);
	enum MHD_Result result;
	long retry = 0;
	char msg[96];

	if (!srv_ratelimit_take(s->requests, &rq->peer->addr, rq->start_ms, &retry)) {
		send_error(s, rq, method, url, 429, "rate_limited",
		           "too many requests from this address; retry after the Retry-After time",
		           retry);
		return MHD_YES;
	}
	if (strcmp(version, MHD_HTTP_VERSION_1_1) == 0 &&
	    MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST) == NULL) {
		send_error(s, rq, method, url, 400, "bad_request",
		           "an HTTP/1.1 request needs a Host header", 0);
		return MHD_YES;
	}
	if (apply_fault(s, rq, method, url, &result))
		return result;
	fill_request(rq->conn, method, url, rq, &req);
	if (!srv_api_begin(&s->api, &req, &rq->sess, &rp)) {
		send_reply(s, rq, method, url, &rp);
		return MHD_YES;
	}
	if (len > rq->sess.max_body) {
		snprintf(msg, sizeof msg, "the body is larger than %zu %s, this route's limit",
		         rq->sess.max_body >= 1 << 20 ? rq->sess.max_body >> 20
		                                      : rq->sess.max_body >> 10,
		         rq->sess.max_body >= 1 << 20 ? "MiB" : "KiB");
		send_error(s, rq, method, url, 413, "body_too_large", msg, 0);
		return MHD_YES;
	}
	if (has_body)
		srv_deadlines_body(s->deadlines, rq->peer,
		                   body_ms(s, len > 0 ? len : rq->sess.max_body), method, url);
	else
		srv_deadlines_busy(s->deadlines, rq->peer);
	return MHD_YES;
}

/* A part of the body: keep it, or cut the connection when the body grows
 * past the route's limit (a chunked body, whose length nobody announced). */
static enum MHD_Result on_body_data(struct srv *s, struct request *rq, const char *method,
                                    const char *url, const char *data, size_t *n)
{
	if (rq->body.len + *n > rq->sess.max_body) {
		if (!s->quiet)
			srv_log_request(stderr, method, url, 413, clock_ms() - rq->start_ms, NULL);
		return MHD_NO;
	}
	buf_add(&rq->body, data, *n);
	*n = 0;
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	struct srv *s = cls;
	struct request *rq = *con_cls;
	const union MHD_ConnectionInfo *info;

	if (rq == NULL) {
		info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
		rq = xcalloc(1, sizeof *rq);
		buf_init(&rq->body);
		rq->conn = conn;
		rq->peer = info->socket_context;
		rq->start_ms = clock_ms();
		*con_cls = rq;
		return on_headers(s, rq, method, url, version);
	}
	if (*upload_data_size > 0)
		return on_body_data(s, rq, method, url, upload_data, upload_data_size);
	return on_complete(s, rq, method, url);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct srv *s = cls;
	struct request *rq = *con_cls;

	(void)conn;
	(void)toe;
	if (rq == NULL)
		return;
	srv_deadlines_idle(s->deadlines, rq->peer);
	srv_api_work_free(rq->work);
	buf_free(&rq->body);
	free(rq);
	*con_cls = NULL;
}

/* A connection opens (its headers are due) or closes. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
	struct srv *s = cls;
	const union MHD_ConnectionInfo *fd, *addr;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		fd = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		addr = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		*socket_context =
		    srv_deadlines_add(s->deadlines, fd->connect_fd, addr->client_addr);
	} else if (*socket_context != NULL) {
		srv_deadlines_remove(s->deadlines, *socket_context);
		*socket_context = NULL;
	}
}

/* Split "host:port" / "[v6]:port" and resolve it into ss.  0 or -1. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, struct err *e)
{
	const char *colon = strrchr(listen, ':');
	char host[256], *end;
	struct addrinfo hints, *res = NULL;
	unsigned long port;
	size_t hl;
	int rc;

	if (colon == NULL || colon == listen || colon[1] == '\0') {
		err_set(e, "listen address \"%s\" is not ADDR:PORT", listen);
		return -1;
	}
	port = strtoul(colon + 1, &end, 10);
	if (*end != '\0' || port > 65535 || colon[1] == '-' || colon[1] == '+') {
		err_set(e, "bad port in listen address \"%s\"", listen);
		return -1;
	}
	hl = (size_t)(colon - listen);
	if (listen[0] == '[' && hl >= 2 && listen[hl - 1] == ']') {
		listen++;
		hl -= 2;
	}
	if (hl == 0 || hl >= sizeof host) {
		err_set(e, "bad host in listen address");
		return -1;
	}
	memcpy(host, listen, hl);
	host[hl] = '\0';
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0 || res == NULL) {
		err_set(e, "cannot resolve \"%s\": %s", host, gai_strerror(rc));
		return -1;
	}
	memset(ss, 0, sizeof *ss);
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	return 0;
}

static bool is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (ss->ss_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(a) ||
		       (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

static void make_url(struct srv *s, const struct sockaddr_storage *ss)
{
	char host[INET6_ADDRSTRLEN];
	socklen_t len =
	    ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);

	if (getnameinfo((const struct sockaddr *)ss, len, host, sizeof host, NULL, 0,
	                NI_NUMERICHOST) != 0)
		str_copy(host, sizeof host, "?");
	snprintf(s->url, sizeof s->url, ss->ss_family == AF_INET6 ? "%s://[%s]:%u" : "%s://%s:%u",
	         s->tls_cert ? "https" : "http", host, s->port);
}

/* cfg's value, or def when it is 0; -1 (no limit) becomes 0. */
static unsigned limit_of(int v, int def)
{
	return v == 0 ? (unsigned)def : v < 0 ? 0 : (unsigned)v;
}

static struct MHD_Daemon *start_daemon(struct srv *s, const struct srv_config *cfg,
                                       const struct sockaddr_storage *ss, int threads)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG |
	                 MHD_ALLOW_SUSPEND_RESUME;
	struct MHD_OptionItem tls[] = {
	    {MHD_OPTION_HTTPS_MEM_CERT, 0, s->tls_cert},
	    {MHD_OPTION_HTTPS_MEM_KEY, 0, s->tls_key},
	    {MHD_OPTION_END, 0, NULL},
	};

	if (ss->ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (s->tls_cert != NULL)
		flags |= MHD_USE_TLS;
	else
		tls[0].option = MHD_OPTION_END;
	return MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)ss,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_NOTIFY_COMPLETED,
	    on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)(s->timeout_ms / 1000),
	    MHD_OPTION_CONNECTION_LIMIT,
	    limit_of(cfg->max_connections, SRV_DEFAULT_MAX_CONNECTIONS),
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    limit_of(cfg->connections_per_address, SRV_DEFAULT_CONNECTIONS_PER_ADDRESS),
	    MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
}

/* Read the certificate and key of cfg into s.  0, or -1 with e filled. */
static int load_tls(struct srv *s, const struct srv_config *cfg, struct err *e)
{
	size_t len;

	if (cfg->tls_cert == NULL && cfg->tls_key == NULL)
		return 0;
	if (cfg->tls_cert == NULL || cfg->tls_key == NULL) {
		err_set(e, "HTTPS needs both a certificate (--tls-cert) and a key (--tls-key)");
		return -1;
	}
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		err_set(e, "this libmicrohttpd was built without TLS");
		return -1;
	}
	s->tls_cert = file_read_all(cfg->tls_cert, &len, 1 << 20, e);
	if (s->tls_cert == NULL)
		return -1;
	s->tls_key = file_read_all(cfg->tls_key, &len, 1 << 20, e);
	return s->tls_key == NULL ? -1 : 0;
}

/* The per-address limits and the password workers of cfg.  0 or -1. */
static int start_limits(struct srv *s, const struct srv_config *cfg, struct err *e)
{
	unsigned requests = limit_of(cfg->requests_per_address, SRV_DEFAULT_REQUESTS_PER_ADDRESS);
	unsigned logins = limit_of(cfg->logins_per_address, SRV_DEFAULT_LOGINS_PER_ADDRESS);
	int workers = cfg->login_workers > 0 ? cfg->login_workers : SRV_DEFAULT_LOGIN_WORKERS;

	if (requests > 0)
		s->requests = srv_ratelimit_new(requests, 2.0 * requests);
	if (logins > 0)
		s->api.logins = srv_ratelimit_new(logins / 60.0, logins);
	s->api.delays = srv_logindelay_new(srv_store_pool_is_shared(s->api.pool));
	s->api.workers = srv_workers_start(workers, workers * SRV_LOGIN_QUEUE_PER_WORKER, e);
	if (s->api.workers == NULL)
		return -1;
	s->deadlines = srv_deadlines_start(s->timeout_ms + SRV_HEADER_GRACE_MS, cfg->quiet, e);
	return s->deadlines == NULL ? -1 : 0;
}

/* Everything of srv_start before binding.  0, or -1 with e filled. */
static int prepare(struct srv *s, const struct srv_config *cfg, int threads, struct err *e)
{
	s->quiet = cfg->quiet;
	s->timeout_ms = 1000LL * (cfg->timeout > 0 ? cfg->timeout : SRV_DEFAULT_TIMEOUT);
	s->faults = srv_faults_new(cfg->faults, cfg->faults_file, e);
	if (s->faults == NULL || load_tls(s, cfg, e) != 0)
		return -1;
	s->api.docs = srv_doccache_new();
	s->api.pool = srv_store_pool_open(cfg->db_path, threads,
	                                  cfg->busy_ms > 0 ? cfg->busy_ms : SRV_STORE_BUSY_MS, e);
	return s->api.pool == NULL || start_limits(s, cfg, e) != 0 ? -1 : 0;
}

struct srv *srv_start(const struct srv_config *cfg, struct err *e)
{
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	int threads = cfg->threads > 0 ? cfg->threads : 4;
	struct srv *s;

	if (srv_auth_init(e) != 0)
		return NULL;
	if (parse_listen(cfg->listen ? cfg->listen : SRV_DEFAULT_LISTEN, &ss, e) != 0)
		return NULL;
	if (!is_loopback(&ss) && !cfg->insecure_http && cfg->tls_cert == NULL) {
		err_set(e, "refusing plain HTTP on a non-loopback address; give --tls-cert and "
		           "--tls-key, or --insecure-http behind a TLS proxy");
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	if (prepare(s, cfg, threads, e) != 0) {
		srv_stop(s);
		return NULL;
	}
	s->daemon = start_daemon(s, cfg, &ss, threads);
	info = s->daemon ? MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;
	if (info == NULL) {
		err_set(e, "cannot listen on %s%s", cfg->listen ? cfg->listen : SRV_DEFAULT_LISTEN,
		        s->tls_cert ? " (or the TLS certificate or key is not valid PEM)" : "");
		srv_stop(s);
		return NULL;
	}
	s->port = info->port;
	make_url(s, &ss);
	return s;
}

unsigned srv_port(const struct srv *s)
{
	return s->port;
}

const char *srv_url(const struct srv *s)
{
	return s->url;
}

void srv_stop(struct srv *s)
{
	if (s == NULL)
		return;
	/* the workers first: every suspended connection is resumed before the
	 * daemon stops (libmicrohttpd requires it) */
	srv_workers_stop(s->api.workers);
	if (s->daemon != NULL)
		MHD_stop_daemon(s->daemon);
	srv_deadlines_stop(s->deadlines);
	srv_doccache_free(s->api.docs);
	srv_store_pool_close(s->api.pool);
	srv_logindelay_free(s->api.delays);
	srv_ratelimit_free(s->api.logins);
	srv_ratelimit_free(s->requests);
	srv_faults_free(s->faults);
	if (s->tls_key != NULL)
		memset(s->tls_key, 0, strlen(s->tls_key));
	free(s->tls_key);
	free(s->tls_cert);
	free(s);
}
