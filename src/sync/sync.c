#include "sync/sync.h"

#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/event.h"
#include "core/i18n.h"
#include "sync/curlfn.h"

#define SYNC_TIMEOUT_MS 30000L
/* A document download (sync_get_file) may take many minutes on a township
 * link: it ends when it stalls (under SYNC_STALL_BYTES a second for
 * SYNC_STALL_SECONDS) or after SYNC_FILE_TIMEOUT_MS, not after 30 s. */
#define SYNC_STALL_BYTES     1024L
#define SYNC_STALL_SECONDS   60L
#define SYNC_FILE_TIMEOUT_MS (3600L * 1000)

/* The calling thread's cancel flag (the sync agent's), or NULL. */
static _Thread_local atomic_int *thread_cancel;

void sync_set_cancel_flag(atomic_int *flag)
{
	thread_cancel = flag;
}

/* curl's progress callback: a non-zero answer ends the transfer. */
static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
	atomic_int *flag = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return flag && atomic_load(flag) ? 1 : 0;
}

void sync_global_init(void)
{
	/* libcurl is loaded and initialised on its first use (sync/curlfn.h) */
}

bool sync_available(struct err *e)
{
	return curlfn_get(e) != NULL;
}

/* libcurl's functions once http() or sync_url_allowed found them loaded. */
static const struct curl_fns *cf(void)
{
	return curlfn_get(NULL);
}

/* How one exchange is made: its time limits and where its answer goes. */
struct transfer {
	long timeout_ms;
	FILE *file;       /* the body goes here (sync_get_file); NULL: into memory */
	size_t max;       /* the most body bytes taken, counted decompressed */
	bool is_download; /* the stall rule instead of timeout_ms alone; compression */
};

struct response {
	struct buf body; /* the body, when it is not written to a file */
	FILE *file;
	size_t max, got;
	long long content_length; /* the Content-Length header, -1 when absent */
	bool encoded;             /* a Content-Encoding came (the length is not the body's) */
	bool too_big;
	int write_errno;        /* writing the file failed */
	long retry_after;       /* Retry-After in seconds, 0 when absent */
	time_t server_date;     /* the Date header, 0 when absent */
	long long client_clock; /* this machine's clock when the answer came */
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct response *r = arg;
	size_t len = size * n;

	/* a plain answer that says it is too long is refused before its first byte */
	if (r->got + len > r->max || (!r->encoded && r->content_length > (long long)r->max)) {
		r->too_big = true;
		return 0;
	}
	r->got += len;
	if (r->file == NULL) {
		buf_add(&r->body, p, len);
		return len;
	}
	if (fwrite(p, 1, len, r->file) != len) {
		r->write_errno = errno ? errno : EIO;
		return 0;
	}
	return len;
}

/* The value of header line p if its name is name (lowercase, with ':'),
 * trimmed into v; else 0. */
static int header_value(const char *p, size_t len, const char *name, char *v, size_t n)
{
	size_t nl = strlen(name), i = 0;

	if (len <= nl || strncasecmp(p, name, nl) != 0)
		return 0;
	p += nl;
	len -= nl;
	while (len > 0 && (*p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' '))
		len--;
	for (i = 0; i < len && i + 1 < n; i++)
		v[i] = p[i];
	v[i] = '\0';
	return 1;
}

/* Retry-After is delta-seconds or an HTTP date; at most an hour is honoured. */
static long retry_after_parse(const char *v)
{
	char *end;
	long s = strtol(v, &end, 10);

	if (end == v || *end != '\0') {
		time_t t = cf()->getdate(v, NULL);

		s = t > 0 ? (long)(t - time(NULL)) : 0;
	}
	return s < 0 ? 0 : s > 3600 ? 3600 : s;
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	struct response *r = arg;
	char v[128];

	if (header_value(p, size * n, "retry-after:", v, sizeof v))
		r->retry_after = retry_after_parse(v);
	else if (header_value(p, size * n, "date:", v, sizeof v))
		r->server_date = cf()->getdate(v, NULL);
	else if (header_value(p, size * n, "content-length:", v, sizeof v))
		r->content_length = strtoll(v, NULL, 10);
	else if (header_value(p, size * n, "content-encoding:", v, sizeof v))
		r->encoded = strcasecmp(v, "identity") != 0;
	return size * n;
}

static bool is_loopback(const char *host)
{
	struct in_addr a;
	char h[64];
	size_t len = strlen(host);

	if (strcasecmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
	    strcmp(host, "[::1]") == 0)
		return true;
	if (len == 0 || len >= sizeof h)
		return false;
	str_copy(h, sizeof h, host);
	return inet_pton(AF_INET, h, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

int sync_url_allowed(const char *server, struct err *e)
{
	CURLU *u = NULL;
	char *scheme = NULL, *host = NULL;
	const char *insecure = getenv("TONGBAN_ALLOW_INSECURE_HTTP");
	int rc = -1;

	if (curlfn_get(e) == NULL)
		return -1;
	u = cf()->url();
	if (u == NULL || cf()->url_set(u, CURLUPART_URL, server, 0) != CURLUE_OK ||
	    cf()->url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    cf()->url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		err_set(e, _("invalid server address: %s"), server);
	else if (strcasecmp(scheme, "https") == 0)
		rc = 0;
	else if (strcasecmp(scheme, "http") != 0)
		err_set(e, _("the server address must be https://: %s"), server);
	else if (is_loopback(host) || (insecure && strcmp(insecure, "1") == 0))
		rc = 0;
	else
		err_set(e,
		        _("refusing plain http:// to %s: use https:// (for tests only, set "
		          "TONGBAN_ALLOW_INSECURE_HTTP=1)"),
		        host);
	cf()->free(scheme);
	cf()->free(host);
	cf()->url_cleanup(u);
	return rc;
}

#define HTTP_UNREACHABLE (-1)
#define HTTP_REFUSED     (-2)

/* The result of an exchange that brought no HTTP answer. */
static enum sync_result http_failure(int rc)
{
	return rc == HTTP_REFUSED ? SYNC_ERROR : SYNC_OFFLINE;
}

static void http_options(CURL *c, const char *url, const char *method, struct curl_slist *h,
                         const struct transfer *t, struct response *r)
{
	const char *ca = getenv("TONGBAN_CA_FILE");
	long timeout_ms = t->timeout_ms;

	cf()->easy_setopt(c, CURLOPT_URL, url);
	cf()->easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	cf()->easy_setopt(c, CURLOPT_HTTPHEADER, h);
	cf()->easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	cf()->easy_setopt(c, CURLOPT_WRITEDATA, r);
	cf()->easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	cf()->easy_setopt(c, CURLOPT_HEADERDATA, r);
	cf()->easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	cf()->easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 5000 ? timeout_ms : 5000L);
	cf()->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	cf()->easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	cf()->easy_setopt(c, CURLOPT_XFERINFODATA, thread_cancel);
	cf()->easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	cf()->easy_setopt(c, CURLOPT_USERAGENT, "tongban/" TB_VERSION);
	if (ca && *ca)
		cf()->easy_setopt(c, CURLOPT_CAINFO, ca);
	if (t->is_download) {
		cf()->easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, SYNC_STALL_BYTES);
		cf()->easy_setopt(c, CURLOPT_LOW_SPEED_TIME, SYNC_STALL_SECONDS);
		/* "": every encoding this libcurl decodes itself (gzip when it has
		 * zlib); what on_data counts is then the decoded body */
		cf()->easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	}
}

/* The message of an answer this client does not take, whoever sends it
 * again (too large, damaged, no room for it); false when rc is not one. */
static bool answer_refused(const char *server, const char *path, CURLcode rc,
                           const struct response *r, struct err *e)
{
	double limit = (double)r->max / (1024.0 * 1024.0);

	if (r->too_big && !r->encoded && r->content_length > 0)
		err_set(e,
		        _("%s%s: the answer is %.1f MiB, more than the %.0f MiB this client takes"),
		        server, path, (double)r->content_length / (1024.0 * 1024.0), limit);
	else if (r->too_big)
		err_set(e,
		        _("%s%s: the answer is more than %.0f MiB unpacked, the most this client "
		          "takes"),
		        server, path, limit);
	else if (r->write_errno)
		err_set(e, _("%s%s: cannot keep the download in a temporary file: %s"), server,
		        path, strerror(r->write_errno));
	else if (rc == CURLE_BAD_CONTENT_ENCODING)
		err_set(e, _("%s%s: the compressed answer is damaged"), server, path);
	else
		return false;
	return true;
}

/* What an exchange that broke means for the clerk: HTTP_REFUSED when asking
 * again would bring the same, HTTP_UNREACHABLE when the link is to blame. */
static int transfer_failed(const char *server, const char *path, CURLcode rc,
                           const struct transfer *t, const struct response *r, struct err *e)
{
	if (answer_refused(server, path, rc, r, e))
		return HTTP_REFUSED;
	if (t->is_download && rc == CURLE_OPERATION_TIMEDOUT)
		err_set(e,
		        _("%s%s: the download stalled (under %ld bytes a second for %ld s) "
		          "or took more than %ld minutes; it is asked for again at the next sync"),
		        server, path, SYNC_STALL_BYTES, SYNC_STALL_SECONDS,
		        SYNC_FILE_TIMEOUT_MS / 60000);
	else if (t->is_download && (rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR))
		err_set(e,
		        _("%s%s: the connection broke after %.1f MiB; it is asked for again "
		          "at the next sync"),
		        server, path, (double)r->got / (1024.0 * 1024.0));
	else
		err_set(e, "%s: %s", server, cf()->easy_strerror(rc));
	return HTTP_UNREACHABLE;
}

/*
 * One HTTP exchange made as t says.  Returns HTTP_UNREACHABLE when the
 * server could not be reached (or the transfer broke), HTTP_REFUSED when the
 * address is not allowed (sync_url_allowed) or the answer cannot be taken
 * (too large, damaged), else 0 with *status and the answer in r (its body
 * in t->file when there is one).
 */
static int exchange(const char *method, const char *server, const char *path, const char *token,
                    const char *body, const struct transfer *t, long *status, struct response *r,
                    struct err *e)
{
	CURL *c;
	struct curl_slist *h = NULL;
	char *url, *auth = NULL;
	CURLcode rc;
	int failed = 0;

	memset(r, 0, sizeof *r);
	buf_init(&r->body);
	r->file = t->file;
	r->max = t->max;
	r->content_length = -1;
	if (curlfn_get(e) == NULL)
		return HTTP_UNREACHABLE; /* no libcurl here: as if the network were down */
	if (sync_url_allowed(server, e) < 0)
		return HTTP_REFUSED;
	if ((c = cf()->easy_init()) == NULL) {
		err_set(e, "curl_easy_init failed");
		return HTTP_UNREACHABLE;
	}
	url = xasprintf("%s%s", server, path);
	h = cf()->slist_append(h, "Content-Type: application/json");
	h = cf()->slist_append(h, "Accept: application/json");
	if (token && *token) {
		auth = xasprintf("Authorization: Bearer %s", token);
		h = cf()->slist_append(h, auth);
	}
	http_options(c, url, method, h, t, r);
	if (body) {
		cf()->easy_setopt(c, CURLOPT_POSTFIELDS, body);
		cf()->easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	rc = cf()->easy_perform(c);
	r->client_clock = (long long)store_clock_now();
	if (rc == CURLE_OK)
		cf()->easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	else
		failed = transfer_failed(server, path, rc, t, r, e);
	cf()->slist_free_all(h);
	cf()->easy_cleanup(c);
	free(url);
	free(auth);
	if (failed)
		buf_free(&r->body);
	return failed;
}

/* An exchange of the API's small JSON answers, held in memory. */
static int http(const char *method, const char *server, const char *path, const char *token,
                const char *body, long timeout_ms, long *status, struct response *r, struct err *e)
{
	const struct transfer t = {timeout_ms, NULL, SYNC_MAX_ANSWER, false};

	return exchange(method, server, path, token, body, &t, status, r, e);
}

/* The message of an error body {"error":..,"message":..}, or the status. */
static void error_from_body(const struct response *r, long status, struct err *e)
{
	struct json_object *o = r->body.data ? json_tokener_parse(r->body.data) : NULL, *m;

	if (o && json_object_object_get_ex(o, "message", &m) &&
	    json_object_is_type(m, json_type_string))
		err_set(e, "HTTP %ld: %s", status, json_object_get_string(m));
	else
		err_set(e, "HTTP %ld", status);
	json_object_put(o);
}

/* Map an HTTP status that is not success to a result. */
static enum sync_result status_result(long status)
{
	switch (status) {
	case 401:
		return SYNC_DENIED;
	case 429:
	case 503:
		return SYNC_BUSY;
	case 410:
	case 426:
		return SYNC_TOO_OLD;
	default:
		return SYNC_ERROR;
	}
}

enum sync_result sync_health(const char *server, long timeout_ms, struct err *e)
{
	struct response r;
	long status = 0;
	int rc = http("GET", server, "/v1/health", NULL, NULL, timeout_ms, &status, &r, e);

	if (rc < 0)
		return http_failure(rc);
	buf_free(&r.body);
	if (status == 200)
		return SYNC_OK;
	err_set(e, "HTTP %ld", status);
	return status_result(status);
}

enum sync_result sync_get(const char *server, const char *path, const char *token, long *status,
                          char **body, size_t *len, struct err *e)
{
	struct response r;
	int rc;

	*body = NULL;
	*status = 0;
	rc = http("GET", server, path, token, NULL, SYNC_TIMEOUT_MS, status, &r, e);
	if (rc < 0)
		return http_failure(rc);
	if (*status != 200 && *status != 404) {
		error_from_body(&r, *status, e);
		buf_free(&r.body);
		return status_result(*status);
	}
	if (len)
		*len = r.body.len;
	*body = buf_take(&r.body);
	return SYNC_OK;
}

/* The error message of an answer written to out, read back from its start. */
static void error_from_file(struct response *r, FILE *out, long status, struct err *e)
{
	char chunk[4096];
	size_t n;

	rewind(out);
	while (r->body.len < 64 * 1024 && (n = fread(chunk, 1, sizeof chunk, out)) > 0)
		buf_add(&r->body, chunk, n);
	error_from_body(r, status, e);
	buf_free(&r->body);
}

enum sync_result sync_get_file(const char *server, const char *path, const char *token, FILE *out,
                               size_t max, long *status, struct err *e)
{
	const struct transfer t = {SYNC_FILE_TIMEOUT_MS, out, max, true};
	struct response r;
	int rc;

	*status = 0;
	rc = exchange("GET", server, path, token, NULL, &t, status, &r, e);
	if (rc < 0)
		return http_failure(rc);
	if (*status != 200 && *status != 404) {
		error_from_file(&r, out, *status, e);
		return status_result(*status);
	}
	if (fflush(out) != 0) {
		err_set(e, _("%s%s: cannot keep the download in a temporary file: %s"), server,
		        path, strerror(errno));
		return SYNC_ERROR;
	}
	return SYNC_OK;
}

enum sync_result sync_post(const char *server, const char *path, const char *token,
                           const char *body, long *status, char **answer, struct err *e)
{
	struct response r;
	int rc;

	*answer = NULL;
	*status = 0;
	rc = http("POST", server, path, token, body, SYNC_TIMEOUT_MS, status, &r, e);
	if (rc < 0)
		return http_failure(rc);
	if (*status != 200) {
		error_from_body(&r, *status, e);
		buf_free(&r.body);
		return status_result(*status);
	}
	*answer = buf_take(&r.body);
	return SYNC_OK;
}

static const char *obj_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return NULL;
}

static int parse_login(const char *body, struct clerk *c, struct sync_session *s, struct err *e)
{
	struct json_object *o = json_tokener_parse(body), *cl = NULL, *exp;
	const char *tok = obj_str(o, "token");

	if (o == NULL || tok == NULL || !json_object_object_get_ex(o, "clerk", &cl) ||
	    !json_object_object_get_ex(o, "expires", &exp) || obj_str(cl, "id") == NULL ||
	    obj_str(cl, "hall") == NULL || obj_str(cl, "window") == NULL) {
		err_set(e, "%s", _("malformed login answer from the server"));
		json_object_put(o);
		return -1;
	}
	memset(c, 0, sizeof *c);
	memset(s, 0, sizeof *s);
	str_copy(s->token, sizeof s->token, tok);
	s->expires = json_object_get_int64(exp);
	if (obj_str(o, "terminal"))
		str_copy(s->terminal, sizeof s->terminal, obj_str(o, "terminal"));
	str_copy(c->id, sizeof c->id, obj_str(cl, "id"));
	str_copy(c->name, sizeof c->name, obj_str(cl, "name") ? obj_str(cl, "name") : "");
	str_copy(c->hall, sizeof c->hall, obj_str(cl, "hall"));
	str_copy(c->hall_name, sizeof c->hall_name,
	         obj_str(cl, "hall_name") ? obj_str(cl, "hall_name") : "");
	str_copy(c->window, sizeof c->window, obj_str(cl, "window"));
	str_copy(c->role, sizeof c->role, obj_str(cl, "role") ? obj_str(cl, "role") : "clerk");
	json_object_put(o);
	return 0;
}

enum sync_result sync_login(const char *server, const char *clerk_id, const char *password,
                            const char *device, struct clerk *clerk, struct sync_session *s,
                            struct err *e)
{
	struct json_object *req = json_object_new_object();
	struct response r;
	long status = 0;
	enum sync_result res;
	int rc;

	json_object_object_add(req, "clerk", json_object_new_string(clerk_id));
	json_object_object_add(req, "password", json_object_new_string(password));
	if (device && *device)
		json_object_object_add(req, "device", json_object_new_string(device));
	rc = http("POST", server, "/v1/login", NULL, json_object_to_json_string(req), 10000,
	          &status, &r, e);
	if (rc < 0) {
		json_object_put(req);
		return http_failure(rc);
	}
	json_object_put(req);
	if (status == 200)
		res = parse_login(r.body.data ? r.body.data : "", clerk, s, e) == 0 ? SYNC_OK
		                                                                    : SYNC_ERROR;
	else {
		error_from_body(&r, status, e);
		res = status_result(status);
	}
	buf_free(&r.body);
	return res;
}

/* The request body for a batch: the stored event JSONs joined. */
static char *batch_body(const struct outbox_batch *b)
{
	struct buf out;
	size_t i;

	buf_init(&out);
	buf_adds(&out, "{\"events\":[");
	for (i = 0; i < b->n; i++) {
		if (i)
			buf_adds(&out, ",");
		buf_adds(&out, b->items[i].body);
	}
	buf_adds(&out, "]}");
	return buf_take(&out);
}

/* Record how far this machine's clock is from the server's (server_time of
 * the answer, else its Date header). */
static void note_drift(struct store *st, const struct response *r, const char *server_time,
                       struct sync_progress *p)
{
	time_t t = time_from_iso(server_time);
	char v[32];

	if (t == 0)
		t = r->server_date > 0 ? r->server_date : 0;
	if (t == 0)
		return;
	p->drift_known = true;
	p->clock_drift = (long long)t - r->client_clock;
	snprintf(v, sizeof v, "%lld", p->clock_drift);
	store_meta_set(st, "clock_drift_seconds", v, NULL);
}

int sync_clock_drift(struct store *st, long long *drift, struct err *e)
{
	char v[32];
	int rc = store_meta_get(st, "clock_drift_seconds", v, sizeof v, e);

	if (rc == 1)
		*drift = strtoll(v, NULL, 10);
	return rc;
}

/* Apply the per-event results of one answer, in one transaction.  -1 when
 * the answer is not the expected shape (then nothing is marked). */
static int apply_results(struct store *st, const struct response *r, struct sync_progress *p,
                         struct err *e)
{
	struct json_object *o = r->body.data ? json_tokener_parse(r->body.data) : NULL, *results;
	struct outbox_result *res;
	size_t i, n, k = 0;
	int rc;

	if (o == NULL || !json_object_object_get_ex(o, "results", &results) ||
	    !json_object_is_type(results, json_type_array)) {
		err_set(e, "%s", _("malformed answer from the server"));
		json_object_put(o);
		return -1;
	}
	note_drift(st, r, obj_str(o, "server_time"), p);
	n = json_object_array_length(results);
	res = xcalloc(n ? n : 1, sizeof *res);
	for (i = 0; i < n; i++) {
		struct json_object *one = json_object_array_get_idx(results, i);

		res[k].uuid = obj_str(one, "uuid");
		res[k].status = obj_str(one, "status");
		res[k].reason = obj_str(one, "reason");
		if (res[k].uuid && res[k].status)
			k++;
	}
	rc = store_outbox_results(st, res, k, e);
	for (i = 0; rc == 0 && i < k; i++) {
		if (strcmp(res[i].status, "applied") == 0)
			p->applied++;
		else if (strcmp(res[i].status, "duplicate") == 0)
			p->duplicates++;
		else if (strcmp(res[i].status, "conflict") == 0 ||
		         strcmp(res[i].status, "rejected") == 0)
			p->problems++;
	}
	free(res);
	json_object_put(o);
	return rc;
}

/* The result of an answer that is not 200, with its Retry-After noted. */
static enum sync_result answer_failure(const struct response *r, long status,
                                       struct sync_progress *p, struct err *e)
{
	enum sync_result res = status_result(status);

	error_from_body(r, status, e);
	if (res == SYNC_BUSY)
		p->retry_after = r->retry_after;
	return res;
}

/* Send one batch; the events it does not settle go back to waiting. */
static enum sync_result push_batch(struct store *st, const char *server, const char *token,
                                   const struct outbox_batch *b, struct sync_progress *p,
                                   struct err *e)
{
	char *body = batch_body(b);
	struct response r;
	long status = 0;
	enum sync_result res = SYNC_OK;
	int settled = p->applied + p->duplicates + p->problems;
	int rc = http("POST", server, "/v1/events", token, body, SYNC_TIMEOUT_MS, &status, &r, e);

	if (rc < 0)
		res = http_failure(rc);
	else if (status != 200)
		res = answer_failure(&r, status, p, e);
	else if (apply_results(st, &r, p, e) < 0)
		res = SYNC_ERROR;
	else if (p->applied + p->duplicates + p->problems == settled) {
		/* nothing acknowledged: stop rather than send the same batch forever */
		err_set(e, "%s", _("the server acknowledged no event"));
		res = SYNC_ERROR;
	}
	buf_free(&r.body);
	free(body);
	p->batches++;
	if (store_outbox_requeue(st, e) < 0)
		res = SYNC_ERROR;
	return res;
}

/* Push the waiting events of clerk (NULL: everyone's) with token. */
static enum sync_result push_loop(struct store *st, const char *server, const char *token,
                                  const char *clerk, int batch_size, struct sync_progress *p,
                                  sync_progress_fn fn, void *arg, struct err *e)
{
	struct outbox_batch b;
	enum sync_result res = SYNC_OK;
	int n;

	for (;;) {
		n = store_outbox_take_for(st, clerk, (size_t)(batch_size > 0 ? batch_size : 100),
		                          &b, e);
		if (n < 0)
			return SYNC_ERROR;
		if (n == 0) {
			store_outbox_batch_free(&b);
			break;
		}
		res = push_batch(st, server, token, &b, p, e);
		store_outbox_batch_free(&b);
		if (fn)
			fn(p, arg);
		if (res != SYNC_OK)
			break;
	}
	return res;
}

static enum sync_result remaining(struct store *st, enum sync_result res, struct sync_progress *p,
                                  struct err *e)
{
	struct outbox_counts counts;

	if (store_outbox_counts(st, &counts, e) < 0)
		return SYNC_ERROR;
	p->remaining = counts.waiting;
	return res;
}

enum sync_result sync_push(struct store *st, const char *server, const char *token, int batch_size,
                           struct sync_progress *p, sync_progress_fn fn, void *arg, struct err *e)
{
	memset(p, 0, sizeof *p);
	if (store_outbox_requeue(st, e) < 0)
		return SYNC_ERROR;
	return remaining(st, push_loop(st, server, token, NULL, batch_size, p, fn, arg, e), p, e);
}

#define PUSH_CLERKS_MAX 64

enum sync_result sync_push_sessions(struct store *st, const char *server, int batch_size,
                                    struct sync_progress *p, sync_progress_fn fn, void *arg,
                                    struct err *e)
{
	char(*clerks)[64] = xcalloc(PUSH_CLERKS_MAX, sizeof *clerks), token[128];
	enum sync_result res = SYNC_OK, one;
	int n, i, pushed = 0;

	memset(p, 0, sizeof *p);
	if (store_outbox_requeue(st, e) < 0 ||
	    (n = store_outbox_clerks(st, clerks, PUSH_CLERKS_MAX, e)) < 0) {
		free(clerks);
		return SYNC_ERROR;
	}
	for (i = 0; i < n; i++) {
		int have = store_session_of(st, clerks[i], token, NULL, e);

		if (have < 0) {
			res = SYNC_ERROR;
			break;
		}
		if (have == 0 || token[0] == '\0') {
			/* only that clerk's own session may send them: at the next login */
			p->held++;
			str_copy(p->held_clerk, sizeof p->held_clerk, clerks[i]);
			continue;
		}
		one = push_loop(st, server, token, clerks[i], batch_size, p, fn, arg, e);
		if (one == SYNC_DENIED) {
			/* that session ended (expired, password changed): the clerk logs in again
			 */
			store_session_drop(st, clerks[i], NULL);
			p->held++;
			str_copy(p->held_clerk, sizeof p->held_clerk, clerks[i]);
			err_clear(e);
			continue;
		}
		pushed++;
		if (one != SYNC_OK) {
			res = one;
			break;
		}
	}
	free(clerks);
	/* nobody could push: the current session is what needs a login */
	if (res == SYNC_OK && pushed == 0 && p->held > 0 && n > 0 &&
	    store_session_get(st, NULL, token, NULL, NULL) != 1)
		res = SYNC_DENIED;
	return remaining(st, res, p, e);
}

/* The uuid, seq and outcome of a pulled "decided" event.  -1 when malformed. */
static int decided_fields(struct json_object *ev, struct store_change *c)
{
	struct json_object *v, *payload;

	c->event_uuid = obj_str(ev, "uuid");
	c->type = obj_str(ev, "type");
	if (json_object_object_get_ex(ev, "seq", &v) && json_object_is_type(v, json_type_int))
		c->seq = json_object_get_int(v);
	if (json_object_object_get_ex(ev, "payload", &payload))
		c->outcome = obj_str(payload, "outcome");
	if (c->type != NULL && strcmp(c->type, "decided") != 0 &&
	    strcmp(c->type, "dept_decided") != 0)
		return -1;
	return c->event_uuid && c->seq >= 1 && c->outcome ? 0 : -1;
}

/* One change of the answer as a store_change (strings borrowed from o).
 * -1 when it is not the documented shape. */
static int change_from_json(struct json_object *o, struct store_change *c)
{
	struct json_object *v, *ev;
	const char *kind = obj_str(o, "kind");

	memset(c, 0, sizeof *c);
	if (kind == NULL || !json_object_object_get_ex(o, "cursor", &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	c->cursor = json_object_get_int64(v);
	if (strcmp(kind, "decision") == 0) {
		c->kind = STORE_CHANGE_DECISION;
		c->case_id = obj_str(o, "case_id");
		c->case_no = obj_str(o, "case_no") ? obj_str(o, "case_no") : "";
		if (c->case_id == NULL || !json_object_object_get_ex(o, "event", &ev) ||
		    !json_object_is_type(ev, json_type_object))
			return -1;
		c->event_json = json_object_to_json_string_ext(
		    ev, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		return decided_fields(ev, c);
	}
	if (strcmp(kind, "case_no") == 0) {
		c->kind = STORE_CHANGE_CASE_NO;
		c->case_id = obj_str(o, "case_id");
		c->case_no = obj_str(o, "case_no") ? obj_str(o, "case_no") : "";
		c->official_no = obj_str(o, "official_no");
		return c->case_id == NULL || c->official_no == NULL || c->official_no[0] == '\0'
		           ? -1
		           : 0;
	}
	c->kind = strcmp(kind, "catalogue") == 0  ? STORE_CHANGE_CATALOGUE
	          : strcmp(kind, "calendar") == 0 ? STORE_CHANGE_CALENDAR
	                                          : STORE_CHANGE_OTHER;
	c->version = obj_str(o, "version");
	return c->kind != STORE_CHANGE_OTHER && c->version == NULL ? -1 : 0;
}

/* Apply one answer of /v1/changes.  Sets *more.  -1 when malformed or the
 * store failed (then nothing was applied). */
static int apply_changes(struct store *st, const struct response *r, struct sync_progress *p,
                         bool *more, struct err *e)
{
	struct json_object *o = r->body.data ? json_tokener_parse(r->body.data) : NULL;
	struct json_object *list, *next, *m;
	struct store_change *c = NULL;
	struct store_apply_result res;
	size_t i, n = 0;
	int rc = -1;

	if (o == NULL || !json_object_object_get_ex(o, "changes", &list) ||
	    !json_object_is_type(list, json_type_array) ||
	    !json_object_object_get_ex(o, "next", &next) ||
	    !json_object_is_type(next, json_type_int))
		goto malformed;
	n = json_object_array_length(list);
	c = xcalloc(n ? n : 1, sizeof *c);
	for (i = 0; i < n; i++)
		if (change_from_json(json_object_array_get_idx(list, i), &c[i]) < 0)
			goto malformed;
	*more = json_object_object_get_ex(o, "more", &m) && json_object_get_boolean(m) && n > 0;
	note_drift(st, r, NULL, p);
	if (store_changes_apply(st, c, n, json_object_get_int64(next), &res, e) == 0) {
		p->pages++;
		p->changes += (int)n - res.skipped;
		p->decisions += res.decisions;
		p->unknown_cases += res.unknown_cases;
		p->updates += res.catalogue + res.calendar;
		p->official_nos += res.official_nos;
		rc = 0;
	}
	goto out;
malformed:
	err_set(e, "%s", _("malformed changes answer from the server"));
out:
	free(c);
	json_object_put(o);
	return rc;
}

enum sync_result sync_pull(struct store *st, const char *server, const char *token, int limit,
                           struct sync_progress *p, sync_progress_fn fn, void *arg, struct err *e)
{
	bool more = true;

	while (more) {
		struct response r;
		enum sync_result res = SYNC_OK;
		long status = 0;
		long long cursor;
		char path[96];
		int rc;

		if (store_changes_cursor(st, &cursor, e) < 0)
			return SYNC_ERROR;
		snprintf(path, sizeof path, "/v1/changes?since=%lld&limit=%d", cursor,
		         limit > 0 && limit <= 1000 ? limit : 500);
		rc = http("GET", server, path, token, NULL, SYNC_TIMEOUT_MS, &status, &r, e);
		if (rc < 0)
			return http_failure(rc);
		if (status != 200)
			res = answer_failure(&r, status, p, e);
		else if (apply_changes(st, &r, p, &more, e) < 0)
			res = SYNC_ERROR;
		buf_free(&r.body);
		if (res == SYNC_OK && store_changes_cursor(st, &p->cursor, e) < 0)
			res = SYNC_ERROR;
		if (res != SYNC_OK)
			return res;
		if (fn)
			fn(p, arg);
	}
	return SYNC_OK;
}

/* ---- the audit chain ---------------------------------------------------------- */

#define AUDIT_BATCH 200

static char *audit_body(const char *device, const struct audit_row *rows, int n)
{
	struct json_object *o = json_object_new_object(), *list = json_object_new_array();
	char *text;
	int i;

	json_object_object_add(o, "device", json_object_new_string(device));
	for (i = 0; i < n; i++) {
		struct json_object *r = json_object_new_object();

		json_object_object_add(r, "id", json_object_new_int64(rows[i].id));
		json_object_object_add(r, "at", json_object_new_string(rows[i].at));
		json_object_object_add(r, "clerk", json_object_new_string(rows[i].clerk));
		json_object_object_add(r, "case_id", json_object_new_string(rows[i].case_id));
		json_object_object_add(r, "what", json_object_new_string(rows[i].what));
		json_object_object_add(r, "detail", json_object_new_string(rows[i].detail));
		json_object_object_add(r, "prev", json_object_new_string(rows[i].prev));
		json_object_object_add(r, "hash", json_object_new_string(rows[i].hash));
		json_object_array_add(list, r);
	}
	json_object_object_add(o, "rows", list);
	text = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return text;
}

enum sync_result sync_push_audit(struct store *st, const char *server, const char *token, int *sent,
                                 struct err *e)
{
	struct audit_row *rows = xcalloc(AUDIT_BATCH, sizeof *rows);
	char device[37];
	enum sync_result res = SYNC_OK;
	int n;

	*sent = 0;
	if (store_device_id(st, device, e) < 0) {
		free(rows);
		return SYNC_ERROR;
	}
	while ((n = store_audit_unsent(st, rows, AUDIT_BATCH, e)) > 0) {
		char *body = audit_body(device, rows, n);
		struct response r;
		long status = 0;
		int rc =
		    http("POST", server, "/v1/audit", token, body, SYNC_TIMEOUT_MS, &status, &r, e);

		free(body);
		if (rc < 0) {
			res = http_failure(rc);
			break;
		}
		if (status == 404) { /* a tongband without the audit chain: later */
			buf_free(&r.body);
			break;
		}
		if (status != 200) {
			error_from_body(&r, status, e);
			buf_free(&r.body);
			res = status == 409 ? SYNC_ERROR : status_result(status);
			if (status == 409)
				store_meta_set(st, "audit_problem", e->msg, NULL);
			break;
		}
		buf_free(&r.body);
		if (store_audit_mark_sent(st, rows[n - 1].id, e) < 0) {
			res = SYNC_ERROR;
			break;
		}
		store_meta_set(st, "audit_problem", "", NULL);
		*sent += n;
	}
	if (n < 0)
		res = SYNC_ERROR;
	free(rows);
	return res;
}
