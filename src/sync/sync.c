#include "sync/sync.h"

#include <curl/curl.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"

#define SYNC_MAX_RESPONSE (8 * 1024 * 1024)
#define SYNC_TIMEOUT_MS   30000L

void sync_global_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct response {
	struct buf body;
	int too_big;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct response *r = arg;

	if (r->body.len + size * n > SYNC_MAX_RESPONSE) {
		r->too_big = 1;
		return 0;
	}
	buf_add(&r->body, p, size * n);
	return size * n;
}

/*
 * One HTTP exchange.  Returns -1 when the server could not be reached (or
 * the transfer broke), else 0 with *status and the body in r.
 */
static int http(const char *method, const char *server, const char *path, const char *token,
                const char *body, long timeout_ms, long *status, struct response *r, struct err *e)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char *url, *auth = NULL;
	CURLcode rc;

	buf_init(&r->body);
	r->too_big = 0;
	if (c == NULL) {
		err_set(e, "curl_easy_init failed");
		return -1;
	}
	url = xasprintf("%s%s", server, path);
	h = curl_slist_append(h, "Content-Type: application/json");
	h = curl_slist_append(h, "Accept: application/json");
	if (token && *token) {
		auth = xasprintf("Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 5000 ? timeout_ms : 5000L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "tongban/" TB_VERSION);
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	else
		err_set(e, "%s: %s", server, curl_easy_strerror(rc));
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	free(url);
	free(auth);
	if (rc != CURLE_OK) {
		buf_free(&r->body);
		return -1;
	}
	return 0;
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

	if (http("GET", server, "/v1/health", NULL, NULL, timeout_ms, &status, &r, e) < 0)
		return SYNC_OFFLINE;
	buf_free(&r.body);
	if (status == 200)
		return SYNC_OK;
	err_set(e, "HTTP %ld", status);
	return status_result(status);
}

static const char *obj_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return NULL;
}

static int parse_login(const char *body, struct clerk *c, char *token, long long *expires,
                       struct err *e)
{
	struct json_object *o = json_tokener_parse(body), *cl = NULL, *exp;
	const char *tok = obj_str(o, "token");

	if (o == NULL || tok == NULL || !json_object_object_get_ex(o, "clerk", &cl) ||
	    !json_object_object_get_ex(o, "expires", &exp) || obj_str(cl, "id") == NULL ||
	    obj_str(cl, "hall") == NULL || obj_str(cl, "window") == NULL) {
		err_set(e, "%s",
		        T("服务器的登录应答格式不对", "malformed login answer from the server"));
		json_object_put(o);
		return -1;
	}
	memset(c, 0, sizeof *c);
	str_copy(token, 128, tok);
	*expires = json_object_get_int64(exp);
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
                            struct clerk *clerk, char *token, long long *expires, struct err *e)
{
	struct json_object *req = json_object_new_object();
	struct response r;
	long status = 0;
	enum sync_result res;

	json_object_object_add(req, "clerk", json_object_new_string(clerk_id));
	json_object_object_add(req, "password", json_object_new_string(password));
	if (http("POST", server, "/v1/login", NULL, json_object_to_json_string(req), 10000, &status,
	         &r, e) < 0) {
		json_object_put(req);
		return SYNC_OFFLINE;
	}
	json_object_put(req);
	if (status == 200)
		res = parse_login(r.body.data ? r.body.data : "", clerk, token, expires, e) == 0
		          ? SYNC_OK
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

/* Apply the per-event results of one answer.  -1 when the answer is not
 * the expected shape (then nothing is marked). */
static int apply_results(struct store *st, const char *body, struct sync_progress *p, struct err *e)
{
	struct json_object *o = json_tokener_parse(body), *results;
	size_t i, n;
	int rc = 0;

	if (o == NULL || !json_object_object_get_ex(o, "results", &results) ||
	    !json_object_is_type(results, json_type_array)) {
		err_set(e, "%s", T("服务器应答格式不对", "malformed answer from the server"));
		json_object_put(o);
		return -1;
	}
	n = json_object_array_length(results);
	for (i = 0; i < n && rc == 0; i++) {
		struct json_object *res = json_object_array_get_idx(results, i);
		const char *uuid = obj_str(res, "uuid"), *status = obj_str(res, "status");

		if (uuid == NULL || status == NULL)
			continue;
		rc = store_outbox_result(st, uuid, status, obj_str(res, "reason"), e);
		if (strcmp(status, "applied") == 0)
			p->applied++;
		else if (strcmp(status, "duplicate") == 0)
			p->duplicates++;
		else if (strcmp(status, "conflict") == 0 || strcmp(status, "rejected") == 0)
			p->problems++;
	}
	json_object_put(o);
	return rc;
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

	if (http("POST", server, "/v1/events", token, body, SYNC_TIMEOUT_MS, &status, &r, e) < 0)
		res = SYNC_OFFLINE;
	else if (status != 200) {
		error_from_body(&r, status, e);
		res = status_result(status);
	} else if (apply_results(st, r.body.data ? r.body.data : "", p, e) < 0) {
		res = SYNC_ERROR;
	} else if (p->applied + p->duplicates + p->problems == settled) {
		/* nothing acknowledged: stop rather than send the same batch forever */
		err_set(e, "%s", T("服务器没有确认任何事件", "the server acknowledged no event"));
		res = SYNC_ERROR;
	}
	if (res != SYNC_OFFLINE)
		buf_free(&r.body);
	free(body);
	p->batches++;
	if (store_outbox_requeue(st, e) < 0)
		res = SYNC_ERROR;
	return res;
}

enum sync_result sync_push(struct store *st, const char *server, const char *token, int batch_size,
                           struct sync_progress *p, sync_progress_fn fn, void *arg, struct err *e)
{
	struct outbox_batch b;
	struct outbox_counts counts;
	enum sync_result res = SYNC_OK;
	int n;

	memset(p, 0, sizeof *p);
	if (store_outbox_requeue(st, e) < 0)
		return SYNC_ERROR;
	for (;;) {
		n = store_outbox_take(st, (size_t)(batch_size > 0 ? batch_size : 100), &b, e);
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
	if (store_outbox_counts(st, &counts, e) < 0)
		return SYNC_ERROR;
	p->remaining = counts.waiting;
	return res;
}
