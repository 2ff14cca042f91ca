/*
 * test_server_api.c - tongband's /v1 API over real HTTP: a server started
 * in-process on 127.0.0.1, port 0, with a temporary database, spoken to
 * with libcurl.
 */
#include <check.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/event.h"
#include "core/i18n.h"
#include "core/util.h"
#include "server/srv_admin.h"
#include "server/srv_http.h"
#include "server/srv_time.h"
#include "tbcheck.h"
#include "tbdb.h"

static char template_dir[] = "/tmp/tongband-api-XXXXXX";
static char *template_db;
static char *work_db;
static struct srv *server;

#define CASE_A "aaaaaaaa-bbbb-4ccc-8ddd-000000000001"
#define CASE_B "aaaaaaaa-bbbb-4ccc-8ddd-000000000002"

/* Items of data/catalogue.json, which every test's server holds, and their
 * deciding departments. */
#define ITEM          "000103401000" /* 企业开办 */
#define ITEM_NAME     "企业开办"
#define ITEM_DEPT     "市市场监督管理局"
#define ITEM_IMPL     "11433101102461246M0103401000"
#define TAX_ITEM      "001006201000" /* 契税申报 */
#define TAX_ITEM_DEPT "国家税务总局市税务局"

struct reply {
	long status;
	char *body;
	struct json_object *json;
	char retry_after[32];
};

static void add_user_role(const char *db, const char *id, const char *hall, const char *role,
                          const char *dept)
{
	struct srv_user u;
	struct err e = {0};

	memset(&u, 0, sizeof u);
	str_copy(u.id, sizeof u.id, id);
	str_copy(u.name, sizeof u.name, "审批人");
	str_copy(u.hall, sizeof u.hall, hall);
	str_copy(u.hall_name, sizeof u.hall_name, "示例市政务服务中心");
	str_copy(u.window, sizeof u.window, "bo");
	str_copy(u.role, sizeof u.role, role);
	str_copy(u.dept, sizeof u.dept, dept);
	ck_assert_msg(srv_admin_useradd(db, &u, "secret", &e) == 0, "%s", e.msg);
}

static void add_clerk_at(const char *db, const char *id, const char *name, const char *hall,
                         const char *window)
{
	struct srv_user u;
	struct err e = {0};

	memset(&u, 0, sizeof u);
	str_copy(u.id, sizeof u.id, id);
	str_copy(u.name, sizeof u.name, name);
	str_copy(u.hall, sizeof u.hall, hall);
	str_copy(u.hall_name, sizeof u.hall_name, "示例市政务服务中心");
	str_copy(u.window, sizeof u.window, window);
	str_copy(u.role, sizeof u.role, "clerk");
	ck_assert_msg(srv_admin_useradd(db, &u, "secret", &e) == 0, "%s", e.msg);
}

static void add_user(const char *db, const char *id, const char *name, const char *hall)
{
	add_clerk_at(db, id, name, hall, "3");
}

static char *srcfile(const char *rel)
{
	const char *dir = getenv("TONGBAN_SRCDIR");

	return xasprintf("%s/%s", dir ? dir : ".", rel);
}

/* Once, in the parent: a database with the bundled catalogue (a hall's
 * server always holds one), two clerks of two halls, back-office users of
 * two departments, an operator. */
static void make_template(void)
{
	char *cat = srcfile("data/catalogue.json"), *version = NULL;
	struct err e = {0};
	bool unchanged;

	ck_assert_ptr_nonnull(mkdtemp(template_dir));
	template_db = tbdb_new(template_dir, "template", &e);
	ck_assert_msg(template_db != NULL, "%s", e.msg);
	ck_assert_msg(srv_admin_import(template_db, "catalogue", cat, &version, &unchanged, &e) ==
	                  0,
	              "%s", e.msg);
	free(version);
	free(cat);
	add_user(template_db, "demo", "王小明", "H001");
	add_user(template_db, "other", "李四", "H002");
	add_clerk_at(template_db, "a2", "钱七", "H001", "4");
	add_user_role(template_db, "boss", "H001", "backoffice", ITEM_DEPT);
	add_user_role(template_db, "boss2", "H001", "backoffice", TAX_ITEM_DEPT);
	add_user_role(template_db, "bossB", "H002", "backoffice", ITEM_DEPT);
	add_user_role(template_db, "ops", "H001", "operator", "");
}

static void remove_template(void)
{
	char *cmd = xasprintf("rm -rf '%s'", template_dir);

	tbdb_remove(template_db);
	free(template_db);
	template_db = NULL;

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

/* Serve work_db, waiting busy_ms for a write lock (0: as tongband does). */
static void serve(int busy_ms)
{
	struct srv_config cfg = {0};
	struct err e = {0};

	cfg.listen = "127.0.0.1:0";
	cfg.db_path = work_db;
	cfg.quiet = true;
	cfg.busy_ms = busy_ms;
	server = srv_start(&cfg, &e);
	ck_assert_msg(server != NULL, "srv_start: %s", e.msg);
	ck_assert_uint_gt(srv_port(server), 0);
}

/* Each test: a fresh copy of the template database and a server on it. */
static void start_server(void)
{
	struct err e = {0};
	char name[32];

	snprintf(name, sizeof name, "test_%ld", (long)getpid());
	work_db = tbdb_copy(template_db, template_dir, name, &e);
	ck_assert_msg(work_db != NULL, "%s", e.msg);
	serve(0);
}

static void stop_server(void)
{
	srv_stop(server);
	server = NULL;
	tbdb_remove(work_db);
	free(work_db);
	work_db = NULL;
}

static size_t on_body(char *p, size_t size, size_t n, void *userdata)
{
	buf_add(userdata, p, size * n);
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *userdata)
{
	struct reply *r = userdata;
	size_t len = size * n;

	if (len > 13 && strncasecmp(p, "Retry-After: ", 13) == 0) {
		size_t v = len - 13;

		while (v > 0 && (p[13 + v - 1] == '\r' || p[13 + v - 1] == '\n'))
			v--;
		if (v < sizeof r->retry_after) {
			memcpy(r->retry_after, p + 13, v);
			r->retry_after[v] = '\0';
		}
	}
	return len;
}

/* One HTTP request; body may be NULL, token may be NULL. */
static struct reply http_raw(const char *method, const char *path, const char *token,
                             const char *body, size_t body_len)
{
	struct reply r;
	struct buf b;
	struct curl_slist *hdrs = NULL;
	CURL *c = curl_easy_init();
	char *url = xasprintf("%s%s", srv_url(server), path);
	char *auth = token ? xasprintf("Authorization: Bearer %s", token) : NULL;
	CURLcode rc;

	memset(&r, 0, sizeof r);
	buf_init(&b);
	ck_assert_ptr_nonnull(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	if (auth)
		hdrs = curl_slist_append(hdrs, auth);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body_len);
	}
	rc = curl_easy_perform(c);
	ck_assert_msg(rc == CURLE_OK, "%s %s: %s", method, path, curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	r.body = buf_take(&b);
	r.json = json_tokener_parse(r.body);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	free(url);
	free(auth);
	return r;
}

static struct reply http(const char *method, const char *path, const char *token, const char *body)
{
	return http_raw(method, path, token, body, body ? strlen(body) : 0);
}

static void reply_free(struct reply *r)
{
	free(r->body);
	json_object_put(r->json);
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no member %s", key);
	return json_object_get_string(v);
}

static struct json_object *jget(struct json_object *o, const char *key)
{
	struct json_object *v;

	ck_assert_msg(json_object_object_get_ex(o, key, &v), "no member %s", key);
	return v;
}

static void assert_error(struct reply *r, long status, const char *code)
{
	ck_assert_msg(r->status == status, "status %ld, want %ld: %s", r->status, status, r->body);
	ck_assert_ptr_nonnull(r->json);
	ck_assert_str_eq(jstr(r->json, "error"), code);
	ck_assert_ptr_nonnull(jstr(r->json, "message"));
}

/* Log in and return the token.  Caller frees. */
static char *login(const char *clerk)
{
	char *body = xasprintf("{\"clerk\":\"%s\",\"password\":\"secret\"}", clerk);
	struct reply r = http("POST", "/v1/login", NULL, body);
	char *token;

	ck_assert_msg(r.status == 200, "login: %ld %s", r.status, r.body);
	token = xstrdup(jstr(r.json, "token"));
	reply_free(&r);
	free(body);
	return token;
}

/* The clerk of the template whose session pushes a hall's events (both
 * sit at window 3). */
static const char *clerk_of(const char *hall)
{
	return strcmp(hall, "H002") == 0 ? "other" : "demo";
}

/* A "created" event for case_id with uuid, in hall, for applicant name,
 * made by the hall's clerk at window 3 (a session of another user, or a
 * clerk or window that is not the session's, is refused). */
static char *created_event(const char *uuid, const char *case_id, const char *hall,
                           const char *name)
{
	return xasprintf("{\"uuid\":\"%s\",\"case_id\":\"%s\",\"seq\":1,\"type\":\"created\","
	                 "\"hall\":\"%s\",\"window\":\"3\",\"clerk\":\"%s\","
	                 "\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":{"
	                 "\"case_no\":\"H001-03-20261125-0001\",\"item_code\":\"" ITEM "\","
	                 "\"item_name\":\"" ITEM_NAME
	                 "\",\"applicant\":{\"kind\":\"person\",\"name\":\"%s\","
	                 "\"id_type\":\"居民身份证\",\"id_number\":\"11010519491231002X\","
	                 "\"phone\":\"13800138000\"}}}",
	                 uuid, case_id, hall, clerk_of(hall), name);
}

static char *later_event(const char *uuid, const char *case_id, int seq, const char *type)
{
	return xasprintf("{\"uuid\":\"%s\",\"case_id\":\"%s\",\"seq\":%d,\"type\":\"%s\","
	                 "\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
	                 "\"client_time\":\"2026-11-25T10:05:00+08:00\",\"payload\":{}}",
	                 uuid, case_id, seq, type);
}

static char *batch1(const char *ev)
{
	return xasprintf("{\"events\":[%s]}", ev);
}

/* Push a batch; the response must be 200 with n results.  Caller frees. */
static struct reply push(const char *token, const char *batch, size_t n)
{
	struct reply r = http("POST", "/v1/events", token, batch);

	ck_assert_msg(r.status == 200, "push: %ld %s", r.status, r.body);
	ck_assert_uint_eq(json_object_array_length(jget(r.json, "results")), n);
	ck_assert_ptr_nonnull(strstr(jstr(r.json, "server_time"), "+08:00"));
	return r;
}

static struct json_object *result(struct reply *r, size_t i)
{
	return json_object_array_get_idx(jget(r->json, "results"), i);
}

static void assert_result(struct reply *r, size_t i, const char *status, const char *reason)
{
	struct json_object *o = result(r, i);

	ck_assert_msg(strcmp(jstr(o, "status"), status) == 0, "event %zu: %s, want %s (%s)", i,
	              jstr(o, "status"), status, jstr(o, "reason"));
	if (reason != NULL)
		ck_assert_str_eq(jstr(o, "reason"), reason);
}

/* The cases a search finds.  Caller frees the reply. */
static struct reply search(const char *token, const char *query_encoded)
{
	char *path = xasprintf("/v1/cases?query=%s", query_encoded);
	struct reply r = http("GET", path, token, NULL);

	free(path);
	ck_assert_msg(r.status == 200, "search: %ld %s", r.status, r.body);
	return r;
}

static size_t n_cases(struct reply *r)
{
	return json_object_array_length(jget(r->json, "cases"));
}

/* %E5%BC%A0%E4%B8%89%E4%B8%B0 is 张三丰 */
#define Q_ZHANG "%E5%BC%A0%E4%B8%89%E4%B8%B0"

START_TEST(test_health_needs_no_login)
{
	struct reply r = http("GET", "/v1/health", NULL, NULL);

	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "status"), "ok");
	ck_assert_str_eq(jstr(r.json, "version"), TB_VERSION);
	reply_free(&r);
}
END_TEST

START_TEST(test_login_returns_token_and_clerk)
{
	struct reply r =
	    http("POST", "/v1/login", NULL, "{\"clerk\":\"demo\",\"password\":\"secret\"}");
	struct json_object *clerk;
	long long expires;

	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(strlen(jstr(r.json, "token")), 64);
	ck_assert_uint_eq(strspn(jstr(r.json, "token"), "0123456789abcdef"), 64);
	expires = json_object_get_int64(jget(r.json, "expires"));
	ck_assert(expires > (long long)time(NULL) + 12 * 3600 - 60);
	ck_assert(expires <= (long long)time(NULL) + 12 * 3600);
	clerk = jget(r.json, "clerk");
	ck_assert_str_eq(jstr(clerk, "id"), "demo");
	ck_assert_str_eq(jstr(clerk, "name"), "王小明");
	ck_assert_str_eq(jstr(clerk, "hall"), "H001");
	ck_assert_str_eq(jstr(clerk, "window"), "3");
	ck_assert_str_eq(jstr(clerk, "role"), "clerk");
	reply_free(&r);
}
END_TEST

/* The terminal code of a device logging in as clerk. */
static char *terminal_of(const char *clerk, const char *device, long *status)
{
	char *body = xasprintf("{\"clerk\":\"%s\",\"password\":\"secret\",\"device\":\"%s\"}",
	                       clerk, device);
	struct reply r = http("POST", "/v1/login", NULL, body);
	struct json_object *v;
	char *code = NULL;

	*status = r.status;
	if (r.status == 200 && json_object_object_get_ex(r.json, "terminal", &v))
		code = xstrdup(json_object_get_string(v));
	reply_free(&r);
	free(body);
	return code;
}

/* Each device gets a code of its hall at its first login and keeps it; two
 * PCs of one clerk, or a reinstalled PC (a new device), never share one. */
START_TEST(test_each_device_gets_its_own_terminal_code_once)
{
	const char *pc1 = "aaaaaaaa-0000-4000-8000-000000000001",
	           *pc2 = "aaaaaaaa-0000-4000-8000-000000000002";
	char *a, *b, *again, *other_hall;
	long status = 0;
	struct reply r;

	a = terminal_of("demo", pc1, &status);
	ck_assert_msg(a != NULL && strcmp(a, "T01") == 0, "%s", a ? a : "(none)");
	b = terminal_of("demo", pc2, &status);
	ck_assert_msg(b != NULL && strcmp(b, "T02") == 0, "%s", b ? b : "(none)");
	again = terminal_of("demo", pc1, &status);
	ck_assert_str_eq(again, "T01");
	/* another hall numbers its own terminals */
	other_hall = terminal_of("other", pc1, &status);
	ck_assert_str_eq(other_hall, "T01");
	/* a device id that is not a UUID is refused; no device, no code */
	ck_assert_ptr_null(terminal_of("demo", "not-a-uuid", &status));
	ck_assert_int_eq(status, 400);
	r = http("POST", "/v1/login", NULL, "{\"clerk\":\"demo\",\"password\":\"secret\"}");
	ck_assert_int_eq(r.status, 200);
	ck_assert(!json_object_object_get_ex(r.json, "terminal", NULL));
	reply_free(&r);
	free(a);
	free(b);
	free(again);
	free(other_hall);
}
END_TEST

START_TEST(test_login_with_wrong_password_or_clerk_is_401)
{
	struct reply r =
	    http("POST", "/v1/login", NULL, "{\"clerk\":\"demo\",\"password\":\"nope\"}");

	assert_error(&r, 401, "bad_credentials");
	ck_assert_ptr_null(strstr(r.body, "token"));
	reply_free(&r);
	r = http("POST", "/v1/login", NULL, "{\"clerk\":\"ghost\",\"password\":\"secret\"}");
	assert_error(&r, 401, "bad_credentials");
	reply_free(&r);
	r = http("POST", "/v1/login", NULL, "{\"clerk\":\"demo\"}");
	assert_error(&r, 400, "bad_request");
	reply_free(&r);
}
END_TEST

/* No lockout: after three failures in a row, each attempt of that clerk id
 * from that address waits (1, 2, 4... s), even with the right password;
 * another clerk is not slowed down, and after the wait the right password
 * works. */
START_TEST(test_failed_logins_make_that_clerk_wait_from_that_address)
{
	struct reply r;
	int i;

	for (i = 0; i < 3; i++) {
		r = http("POST", "/v1/login", NULL, "{\"clerk\":\"demo\",\"password\":\"nope\"}");
		assert_error(&r, 401, "bad_credentials");
		reply_free(&r);
	}
	r = http("POST", "/v1/login", NULL, "{\"clerk\":\"demo\",\"password\":\"nope\"}");
	assert_error(&r, 429, "login_delayed");
	ck_assert_str_eq(r.retry_after, "1");
	reply_free(&r);
	r = http("POST", "/v1/login", NULL, "{\"clerk\":\"demo\",\"password\":\"secret\"}");
	assert_error(&r, 429, "login_delayed");
	reply_free(&r);
	free(login("other"));
	usleep(1100 * 1000);
	free(login("demo"));
}
END_TEST

START_TEST(test_a_successful_login_forgets_the_failures)
{
	struct reply r;
	int i;

	for (i = 0; i < 2; i++) {
		r = http("POST", "/v1/login", NULL, "{\"clerk\":\"demo\",\"password\":\"nope\"}");
		reply_free(&r);
	}
	free(login("demo"));
	for (i = 0; i < 3; i++) {
		r = http("POST", "/v1/login", NULL, "{\"clerk\":\"demo\",\"password\":\"nope\"}");
		assert_error(&r, 401, "bad_credentials");
		reply_free(&r);
	}
}
END_TEST

START_TEST(test_requests_without_a_valid_token_are_401)
{
	const char *bad = "0000000000000000000000000000000000000000000000000000000000000000";
	struct reply r = http("GET", "/v1/cases?query=x", NULL, NULL);

	assert_error(&r, 401, "unauthorized");
	reply_free(&r);
	r = http("POST", "/v1/events", NULL, "{\"events\":[]}");
	assert_error(&r, 401, "unauthorized");
	reply_free(&r);
	r = http("GET", "/v1/cases/" CASE_A, bad, NULL);
	assert_error(&r, 401, "unauthorized");
	reply_free(&r);
	r = http("POST", "/v1/logout", "not-a-token", NULL);
	assert_error(&r, 401, "unauthorized");
	reply_free(&r);
}
END_TEST

START_TEST(test_logout_invalidates_the_token)
{
	char *token = login("demo");
	struct reply r = http("POST", "/v1/logout", token, NULL);

	ck_assert_int_eq(r.status, 200);
	reply_free(&r);
	r = http("GET", "/v1/cases?query=x", token, NULL);
	assert_error(&r, 401, "unauthorized");
	reply_free(&r);
	free(token);
}
END_TEST

START_TEST(test_created_event_is_applied_and_makes_a_case)
{
	char *token = login("demo");
	char *ev = created_event("11111111-2222-4333-8444-000000000001", CASE_A, "H001", "张三丰");
	char *batch = batch1(ev);
	struct reply r = push(token, batch, 1), s;
	struct json_object *c;

	assert_result(&r, 0, "applied", "");
	ck_assert_str_eq(jstr(result(&r, 0), "uuid"), "11111111-2222-4333-8444-000000000001");
	s = http("GET", "/v1/cases/" CASE_A, token, NULL);
	ck_assert_int_eq(s.status, 200);
	ck_assert_str_eq(jstr(s.json, "case_no"), "H001-03-20261125-0001");
	ck_assert_str_eq(jstr(s.json, "applicant_name"), "张三丰");
	ck_assert_str_eq(jstr(s.json, "id_number"), "11010519491231002X");
	ck_assert_str_eq(jstr(s.json, "phone"), "13800138000");
	ck_assert_str_eq(jstr(s.json, "state"), "received");
	ck_assert_str_eq(jstr(s.json, "hall"), "H001");
	ck_assert_str_eq(jstr(s.json, "created_at"), "2026-11-25T10:01:02+08:00");
	ck_assert_int_eq(json_object_get_int(jget(s.json, "events")), 1);
	c = json_object_array_get_idx(jget(s.json, "event_list"), 0);
	ck_assert_str_eq(jstr(c, "type"), "created");
	ck_assert_int_eq(json_object_get_int(jget(c, "seq")), 1);
	reply_free(&s);
	reply_free(&r);
	free(batch);
	free(ev);
	free(token);
}
END_TEST

START_TEST(test_same_batch_twice_is_duplicate_not_a_second_case)
{
	char *token = login("demo");
	char *ev = created_event("11111111-2222-4333-8444-000000000001", CASE_A, "H001", "张三丰");
	char *batch = batch1(ev);
	struct reply r = push(token, batch, 1), s;

	assert_result(&r, 0, "applied", "");
	reply_free(&r);
	r = push(token, batch, 1);
	assert_result(&r, 0, "duplicate", NULL);
	reply_free(&r);
	s = search(token, Q_ZHANG);
	ck_assert_uint_eq(n_cases(&s), 1);
	ck_assert_int_eq(json_object_get_int(
	                     jget(json_object_array_get_idx(jget(s.json, "cases"), 0), "events")),
	                 1);
	reply_free(&s);
	free(batch);
	free(ev);
	free(token);
}
END_TEST

START_TEST(test_same_uuid_with_other_content_is_conflict)
{
	char *token = login("demo");
	char *ev1 = created_event("11111111-2222-4333-8444-000000000001", CASE_A, "H001", "张三丰");
	char *ev2 = created_event("11111111-2222-4333-8444-000000000001", CASE_A, "H001", "张三");
	char *b1 = batch1(ev1), *b2 = batch1(ev2);
	struct reply r = push(token, b1, 1), s;

	reply_free(&r);
	r = push(token, b2, 1);
	assert_result(&r, 0, "conflict", NULL);
	reply_free(&r);
	s = http("GET", "/v1/cases/" CASE_A, token, NULL);
	ck_assert_str_eq(jstr(s.json, "applicant_name"), "张三丰");
	reply_free(&s);
	free(b1);
	free(b2);
	free(ev1);
	free(ev2);
	free(token);
}
END_TEST

START_TEST(test_key_order_does_not_make_a_conflict)
{
	char *token = login("demo");
	const char *a =
	    "{\"events\":[{\"uuid\":\"11111111-2222-4333-8444-000000000009\","
	    "\"case_id\":\"" CASE_A "\",\"seq\":1,\"type\":\"created\",\"hall\":\"H001\","
	    "\"window\":\"3\",\"clerk\":\"demo\",\"client_time\":\"2026-11-25T10:01:02Z\","
	    "\"payload\":{\"case_no\":\"N1\",\"item_code\":\"" ITEM "\",\"item_name\":\"事项\","
	    "\"applicant\":{\"name\":\"甲\",\"phone\":\"1\"}}}]}";
	const char *b =
	    "{\"events\":[{\"payload\":{\"applicant\":{\"phone\":\"1\",\"name\":\"甲\"},"
	    "\"item_name\":\"事项\",\"item_code\":\"" ITEM "\",\"case_no\":\"N1\"},"
	    "\"client_time\":\"2026-11-25T10:01:02Z\",\"clerk\":\"demo\",\"window\":\"3\","
	    "\"hall\":\"H001\",\"type\":\"created\",\"seq\":1,\"case_id\":\"" CASE_A "\","
	    "\"uuid\":\"11111111-2222-4333-8444-000000000009\"}]}";
	struct reply r = push(token, a, 1);

	assert_result(&r, 0, "applied", "");
	reply_free(&r);
	r = push(token, b, 1);
	assert_result(&r, 0, "duplicate", NULL);
	reply_free(&r);
	free(token);
}
END_TEST

START_TEST(test_invalid_events_are_rejected_and_valid_ones_applied)
{
	char *token = login("demo");
	char *good =
	    created_event("11111111-2222-4333-8444-000000000001", CASE_A, "H001", "张三丰");
	char *long_name = xcalloc(1, 5000);
	char *too_long, *batch;
	struct reply r, s;

	memset(long_name, 'x', 4097);
	too_long = created_event("11111111-2222-4333-8444-000000000007",
	                         "aaaaaaaa-bbbb-4ccc-8ddd-000000000007", "H001", long_name);
	batch = xasprintf(
	    "{\"events\":["
	    "{\"uuid\":\"NOT-A-UUID\",\"case_id\":\"" CASE_A "\",\"seq\":1,\"type\":\"created\"},"
	    "%s,"
	    "{\"uuid\":\"11111111-2222-4333-8444-000000000002\",\"case_id\":\"" CASE_A
	    "\",\"seq\":0,\"type\":\"note\",\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
	    "\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":{}},"
	    "{\"uuid\":\"11111111-2222-4333-8444-000000000003\",\"case_id\":\"" CASE_A
	    "\",\"seq\":2,\"type\":\"teleported\",\"hall\":\"H001\",\"window\":\"3\","
	    "\"clerk\":\"demo\",\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":{}},"
	    "{\"uuid\":\"11111111-2222-4333-8444-000000000004\",\"case_id\":\"" CASE_A
	    "\",\"seq\":2,\"type\":\"note\",\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
	    "\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":[]},"
	    "{\"uuid\":\"11111111-2222-4333-8444-000000000005\",\"case_id\":\"" CASE_A
	    "\",\"seq\":2,\"type\":\"note\",\"window\":\"3\",\"clerk\":\"demo\","
	    "\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":{}},"
	    "%s, 42]}",
	    good, too_long);
	r = push(token, batch, 8);
	assert_result(&r, 0, "rejected", "bad uuid");
	assert_result(&r, 1, "applied", "");
	assert_result(&r, 2, "rejected", "seq must be an integer >= 1");
	assert_result(&r, 3, "rejected", "unknown type");
	assert_result(&r, 4, "rejected", "payload must be an object");
	assert_result(&r, 5, "rejected", "missing hall");
	assert_result(&r, 6, "rejected", "string longer than 4096 bytes");
	assert_result(&r, 7, "rejected", "event is not an object");
	reply_free(&r);
	s = search(token, "");
	ck_assert_uint_eq(n_cases(&s), 1);
	reply_free(&s);
	free(batch);
	free(too_long);
	free(long_name);
	free(good);
	free(token);
}
END_TEST

START_TEST(test_event_of_another_hall_is_rejected)
{
	char *token = login("demo");
	char *ev = created_event("11111111-2222-4333-8444-000000000001", CASE_A, "H002", "张三丰");
	char *batch = batch1(ev);
	struct reply r = push(token, batch, 1), s;

	assert_result(&r, 0, "rejected", "wrong hall");
	reply_free(&r);
	s = search(token, Q_ZHANG);
	ck_assert_uint_eq(n_cases(&s), 0);
	reply_free(&s);
	free(batch);
	free(ev);
	free(token);
}
END_TEST

START_TEST(test_later_events_must_follow_in_order)
{
	char *token = login("demo");
	char *c = created_event("11111111-2222-4333-8444-000000000001", CASE_A, "H001", "张三丰");
	char *e2 =
	    later_event("11111111-2222-4333-8444-000000000002", CASE_A, 2, "materials_checked");
	char *gap = later_event("11111111-2222-4333-8444-000000000004", CASE_A, 4, "accepted");
	char *orphan = later_event("11111111-2222-4333-8444-000000000005",
	                           "aaaaaaaa-bbbb-4ccc-8ddd-00000000ffff", 2, "accepted");
	char *again = created_event("11111111-2222-4333-8444-000000000006", CASE_A, "H001", "别人");
	char *batch = xasprintf("{\"events\":[%s,%s,%s,%s,%s]}", c, e2, gap, orphan, again);
	struct reply r = push(token, batch, 5), s;

	assert_result(&r, 0, "applied", "");
	assert_result(&r, 1, "applied", "");
	assert_result(&r, 2, "conflict", "out of order");
	assert_result(&r, 3, "rejected", "unknown case");
	assert_result(&r, 4, "conflict", "case already exists");
	reply_free(&r);
	s = http("GET", "/v1/cases/" CASE_A, token, NULL);
	ck_assert_str_eq(jstr(s.json, "state"), "received");
	ck_assert_int_eq(json_object_get_int(jget(s.json, "events")), 2);
	ck_assert_uint_eq(json_object_array_length(jget(s.json, "event_list")), 2);
	reply_free(&s);
	free(batch);
	free(c);
	free(e2);
	free(gap);
	free(orphan);
	free(again);
	free(token);
}
END_TEST

/* Take the catalogue and its change out of work_db: a server that was never
 * given one. */
static void drop_catalogue(void)
{
	struct err e = {0};

	ck_assert_msg(tbdb_exec(work_db,
	                        "DELETE FROM documents WHERE kind = 'catalogue';"
	                        "DELETE FROM changes WHERE kind = 'catalogue'",
	                        &e) == 0,
	              "%s", e.msg);
}

/* An event of case_id by clerk at window of hall, with payload (JSON).
 * Caller frees. */
static char *event_by(const char *uuid, const char *case_id, int seq, const char *type,
                      const char *hall, const char *clerk, const char *window, const char *payload)
{
	return xasprintf("{\"uuid\":\"%s\",\"case_id\":\"%s\",\"seq\":%d,\"type\":\"%s\","
	                 "\"hall\":\"%s\",\"window\":\"%s\",\"clerk\":\"%s\","
	                 "\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":%s}",
	                 uuid, case_id, seq, type, hall, window, clerk, payload);
}

#define CREATED_PAYLOAD                                                                            \
	"{\"case_no\":\"H001-04-20261125-0001\",\"item_code\":\"" ITEM "\",\"item_name\":"         \
	"\"" ITEM_NAME "\",\"applicant\":{\"name\":\"张三丰\"}}"

/* Push the one event ev with token and check its status and, when not
 * NULL, a part of its reason. */
static void push_one(const char *token, const char *ev, const char *status, const char *why)
{
	char *b = batch1(ev);
	struct reply r = push(token, b, 1);

	assert_result(&r, 0, status, NULL);
	if (why != NULL)
		ck_assert_msg(strstr(jstr(result(&r, 0), "reason"), why) != NULL,
		              "reason: %s, want %s", jstr(result(&r, 0), "reason"), why);
	reply_free(&r);
	free(b);
}

/* The clerk, window and session user work_db keeps for event uuid, as
 * "clerk window user". */
static char *stored_by(const char *uuid)
{
	char *sql = xasprintf("SELECT clerk || ' ' || \"window\" || ' ' || user_id"
	                      " FROM events WHERE uuid = '%s'",
	                      uuid);
	char *who = tbdb_text(work_db, sql, NULL);

	free(sql);
	return who;
}

/* The clerk, hall and window of a pushed event are its session's: clerk a2
 * (window 4) may not push an event that says demo did it, or that it was
 * at demo's window, or in another hall; what is stored is a2's. */
START_TEST(test_the_session_says_which_clerk_hall_and_window_pushed_an_event)
{
	const char *u1 = "11111111-2222-4333-8444-0000000000a1",
	           *u2 = "11111111-2222-4333-8444-0000000000a2";
	char *demo = login("demo"), *a2 = login("a2"), *ev, *who;
	struct reply r;

	ev = event_by(u1, CASE_A, 1, "created", "H001", "demo", "3", CREATED_PAYLOAD);
	push_one(a2, ev, "rejected", "wrong clerk");
	free(ev);
	ev = event_by(u1, CASE_A, 1, "created", "H001", "a2", "3", CREATED_PAYLOAD);
	push_one(a2, ev, "rejected", "wrong window");
	free(ev);
	ev = event_by(u1, CASE_A, 1, "created", "H002", "a2", "4", CREATED_PAYLOAD);
	push_one(a2, ev, "rejected", "wrong hall");
	free(ev);
	r = http("GET", "/v1/cases/" CASE_A, demo, NULL);
	assert_error(&r, 404, "not_found"); /* none of them left a trace */
	reply_free(&r);
	ck_assert_ptr_null(stored_by(u1));
	/* as a2 at its window: applied, and kept as a2's */
	ev = event_by(u1, CASE_A, 1, "created", "H001", "a2", "4", CREATED_PAYLOAD);
	push_one(a2, ev, "applied", NULL);
	who = stored_by(u1);
	ck_assert_str_eq(who, "a2 4 a2");
	free(who);
	/* a copy of a stored event is a duplicate whoever sends it again */
	push_one(demo, ev, "duplicate", NULL);
	free(ev);
	/* a later event on the case: a2 may not say demo made it; demo may */
	ev = event_by(u2, CASE_A, 2, "note", "H001", "demo", "3", "{\"text\":\"补充说明\"}");
	push_one(a2, ev, "rejected", "wrong clerk");
	push_one(demo, ev, "applied", NULL);
	who = stored_by(u2);
	ck_assert_str_eq(who, "demo 3 demo");
	free(who);
	free(ev);
	free(a2);
	free(demo);
}
END_TEST

/* The item of a created event must be one of the catalogue the server
 * holds; the case's item code, name and deciding department are the
 * catalogue's, whatever the body says. */
START_TEST(test_a_created_case_takes_its_item_and_department_from_the_catalogue)
{
	char *demo = login("demo"), *ev;
	struct reply r;

	ev = event_by("11111111-2222-4333-8444-0000000000c1", CASE_A, 1, "created", "H001", "demo",
	              "3",
	              "{\"case_no\":\"N1\",\"item_code\":\"999999999999\",\"item_name\":\"假事项\","
	              "\"applicant\":{\"name\":\"张三丰\"}}");
	push_one(demo, ev, "rejected",
	         "payload.item_code 999999999999 is not an item of the server's catalogue "
	         "(version 2026.11.1)");
	free(ev);
	/* its implementation code names it too; a name and a dept in the body
	 * change nothing */
	ev = event_by(
	    "11111111-2222-4333-8444-0000000000c2", CASE_A, 1, "created", "H001", "demo", "3",
	    "{\"case_no\":\"N1\",\"item_code\":\"" ITEM_IMPL "\",\"item_name\":\"别的名字\","
	    "\"dept\":\"" TAX_ITEM_DEPT "\",\"applicant\":{\"name\":\"张三丰\"}}");
	push_one(demo, ev, "applied", NULL);
	free(ev);
	r = http("GET", "/v1/cases/" CASE_A, demo, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "item_code"), ITEM);
	ck_assert_str_eq(jstr(r.json, "item_name"), ITEM_NAME);
	ck_assert_str_eq(jstr(r.json, "dept"), ITEM_DEPT);
	reply_free(&r);
	/* a server without a catalogue cannot check an item: it says so */
	drop_catalogue();
	ev = event_by("11111111-2222-4333-8444-0000000000c3", CASE_B, 1, "created", "H001", "demo",
	              "3", CREATED_PAYLOAD);
	push_one(demo, ev, "rejected", "holds no catalogue");
	free(ev);
	r = search(demo, "");
	ck_assert_uint_eq(n_cases(&r), 1);
	reply_free(&r);
	free(demo);
}
END_TEST

START_TEST(test_malformed_json_is_400_and_changes_nothing)
{
	static const char *const bodies[] = {
	    "{\"events\":[",
	    "not json",
	    "{\"events\":[]} trailing",
	    "{\"events\":[{\"uuid\":'single'}]}",
	    "{\"events\":[\"\xC3\x28\"]}",     /* invalid UTF-8 */
	    "{\"events\":[\"\xED\xA0\x80\"]}", /* an encoded surrogate */
	};
	char *token = login("demo");
	char *ev = created_event("11111111-2222-4333-8444-000000000001", CASE_A, "H001", "张三丰");
	char *broken = xasprintf("{\"events\":[%s,{]}", ev);
	struct reply r, s;
	size_t i;

	r = http("POST", "/v1/events", token, broken);
	assert_error(&r, 400, "bad_json");
	reply_free(&r);
	for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		r = http("POST", "/v1/events", token, bodies[i]);
		assert_error(&r, 400, "bad_json");
		reply_free(&r);
	}
	r = http_raw("POST", "/v1/events", token, "{\"events\":[\0]}", 14);
	assert_error(&r, 400, "bad_json");
	reply_free(&r);
	r = http("POST", "/v1/events", token, "[1,2]");
	assert_error(&r, 400, "bad_request");
	reply_free(&r);
	s = search(token, "");
	ck_assert_uint_eq(n_cases(&s), 0);
	reply_free(&s);
	free(broken);
	free(ev);
	free(token);
}
END_TEST

/* A created event for CASE_A whose applicant name is the raw JSON text name
 * (a string's inside, escapes and all).  Caller frees. */
static char *created_named(const char *name)
{
	return xasprintf("{\"events\":[{\"uuid\":\"11111111-2222-4333-8444-000000000001\","
	                 "\"case_id\":\"" CASE_A "\",\"seq\":1,\"type\":\"created\","
	                 "\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
	                 "\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":{"
	                 "\"case_no\":\"N1\",\"item_code\":\"" ITEM "\","
	                 "\"item_name\":\"" ITEM_NAME "\",\"applicant\":{\"name\":\"%s\"}}}]}",
	                 name);
}

/* json-c alone takes all of these; the server must not store any. */
START_TEST(test_control_characters_duplicate_keys_lone_surrogates_and_bad_utf8_are_400)
{
	static const char *const names[] = {
	    "张\x01三",                         /* a raw control character */
	    "张\t三",                           /* a raw tab */
	    "\\ud800",                          /* a lone high surrogate */
	    "\\ud800\\u0041",                   /* a high surrogate without its low one */
	    "\\udc00",                          /* a lone low surrogate */
	    "张\xff三",                         /* invalid UTF-8 */
	    "张\xe5\xbc",                       /* a character cut short */
	    "\\ud83d\\ude00\",\"name\":\"李四", /* the name twice */
	};
	char *token = login("demo");
	char *body, *ok;
	struct reply r, s;
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		body = created_named(names[i]);
		r = http("POST", "/v1/events", token, body);
		ck_assert_msg(r.status == 400, "%s: %ld %s", names[i], r.status, r.body);
		assert_error(&r, 400, "bad_json");
		reply_free(&r);
		free(body);
	}
	r = http("POST", "/v1/events", token, "{\"events\":[],\"events\":[]}");
	assert_error(&r, 400, "bad_json");
	reply_free(&r);
	s = search(token, "");
	ck_assert_uint_eq(n_cases(&s), 0);
	reply_free(&s);
	/* the same event with a surrogate pair and escaped controls is fine */
	ok = created_named("\\ud83d\\ude00\\t张三丰");
	r = push(token, ok, 1);
	assert_result(&r, 0, "applied", "");
	reply_free(&r);
	s = http("GET", "/v1/cases/" CASE_A, token, NULL);
	ck_assert_str_eq(jstr(s.json, "applicant_name"), "\xF0\x9F\x98\x80\t张三丰");
	reply_free(&s);
	free(ok);
	free(token);
}
END_TEST

/* A control character, even escaped, would reach every terminal that shows
 * the string (ESC [2J clears the screen): refused in any string of an
 * event, keys too; tab and line breaks are fine. */
START_TEST(test_control_characters_in_event_strings_are_rejected)
{
	static const char *const names[] = {"\\u001b[2J张三", "张\\u0007三", "张\\u007f三",
	                                    "张\\u0085三", "张\\u009b2J三"};
	char *token = login("demo"), *body;
	struct reply r;
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		body = created_named(names[i]);
		r = push(token, body, 1);
		assert_result(&r, 0, "rejected", NULL);
		ck_assert_msg(strstr(jstr(result(&r, 0), "reason"), "control character") != NULL,
		              "%s: %s", names[i], jstr(result(&r, 0), "reason"));
		reply_free(&r);
		free(body);
	}
	body = created_named("张三\",\"\\u0001x\":\"");
	r = push(token, body, 1);
	assert_result(&r, 0, "rejected", NULL);
	reply_free(&r);
	free(body);
	body = created_named("张\\t三\\r\\n丰\\u00a0");
	r = push(token, body, 1);
	assert_result(&r, 0, "applied", "");
	reply_free(&r);
	free(body);
	free(token);
}
END_TEST

static char *nested(int depth)
{
	struct buf b;
	int i;

	buf_init(&b);
	buf_adds(&b, "{\"events\":");
	for (i = 1; i < depth; i++)
		buf_adds(&b, "[");
	for (i = 1; i < depth; i++)
		buf_adds(&b, "]");
	buf_adds(&b, "}");
	return buf_take(&b);
}

START_TEST(test_json_nested_deeper_than_32_is_400)
{
	char *token = login("demo");
	char *ok = nested(32), *deep = nested(33);
	struct reply r = http("POST", "/v1/events", token, ok);

	ck_assert_msg(r.status == 200, "depth 32: %ld %s", r.status, r.body);
	reply_free(&r);
	r = http("POST", "/v1/events", token, deep);
	assert_error(&r, 400, "bad_json");
	reply_free(&r);
	free(ok);
	free(deep);
	free(token);
}
END_TEST

START_TEST(test_too_many_events_or_bytes_is_413)
{
	char *token = login("demo");
	struct buf b;
	struct reply r;
	char *big;
	int i;

	buf_init(&b);
	buf_adds(&b, "{\"events\":[");
	for (i = 0; i < 501; i++)
		buf_adds(&b, i ? ",{}" : "{}");
	buf_adds(&b, "]}");
	r = http("POST", "/v1/events", token, b.data);
	assert_error(&r, 413, "batch_too_large");
	reply_free(&r);
	buf_free(&b);
	big = xmalloc(4 * 1024 * 1024 + 100);
	memset(big, ' ', 4 * 1024 * 1024 + 99);
	big[0] = '{';
	big[4 * 1024 * 1024 + 98] = '}';
	big[4 * 1024 * 1024 + 99] = '\0';
	r = http("POST", "/v1/events", token, big);
	assert_error(&r, 413, "body_too_large");
	reply_free(&r);
	free(big);
	free(token);
}
END_TEST

struct racer {
	const char *token;
	const char *batch;
	pthread_barrier_t *start;
	int applied;
	int duplicate;
};

static void *race(void *arg)
{
	struct racer *rc = arg;
	struct reply r;
	size_t i, n;

	pthread_barrier_wait(rc->start);
	r = http("POST", "/v1/events", rc->token, rc->batch);
	if (r.status == 200) {
		n = json_object_array_length(jget(r.json, "results"));
		for (i = 0; i < n; i++) {
			const char *st = jstr(result(&r, i), "status");

			rc->applied += strcmp(st, "applied") == 0;
			rc->duplicate += strcmp(st, "duplicate") == 0;
		}
	}
	reply_free(&r);
	return NULL;
}

START_TEST(test_identical_batches_at_once_apply_once)
{
	enum { N_EVENTS = 50, N_THREADS = 4 };
	char *token = login("demo");
	struct buf b;
	struct racer racers[N_THREADS];
	pthread_t th[N_THREADS];
	pthread_barrier_t start;
	struct reply s;
	int i, applied = 0, duplicate = 0;

	buf_init(&b);
	buf_adds(&b, "{\"events\":[");
	for (i = 0; i < N_EVENTS; i++) {
		char uuid[40], case_id[40];
		char *ev;

		snprintf(uuid, sizeof uuid, "11111111-2222-4333-8444-%012d", i);
		snprintf(case_id, sizeof case_id, "aaaaaaaa-bbbb-4ccc-8ddd-%012d", i);
		ev = created_event(uuid, case_id, "H001", "张三丰");
		buf_adds(&b, i ? "," : "");
		buf_adds(&b, ev);
		free(ev);
	}
	buf_adds(&b, "]}");
	pthread_barrier_init(&start, NULL, N_THREADS);
	for (i = 0; i < N_THREADS; i++) {
		racers[i] = (struct racer){token, b.data, &start, 0, 0};
		pthread_create(&th[i], NULL, race, &racers[i]);
	}
	for (i = 0; i < N_THREADS; i++) {
		pthread_join(th[i], NULL);
		applied += racers[i].applied;
		duplicate += racers[i].duplicate;
	}
	pthread_barrier_destroy(&start);
	ck_assert_int_eq(applied, N_EVENTS);
	ck_assert_int_eq(duplicate, N_EVENTS * (N_THREADS - 1));
	s = search(token, Q_ZHANG);
	ck_assert_uint_eq(n_cases(&s), N_EVENTS);
	reply_free(&s);
	buf_free(&b);
	free(token);
}
END_TEST

/* Another hall's case is answered exactly as a case that is not there:
 * no answer tells which case ids exist elsewhere. */
START_TEST(test_case_of_another_hall_is_404_like_a_missing_one)
{
	char *demo = login("demo"), *other = login("other");
	char *ev = created_event("11111111-2222-4333-8444-000000000001", CASE_A, "H001", "张三丰");
	char *batch = batch1(ev);
	struct reply r = push(demo, batch, 1), none;

	reply_free(&r);
	r = http("GET", "/v1/cases/" CASE_A, other, NULL);
	none = http("GET", "/v1/cases/aaaaaaaa-bbbb-4ccc-8ddd-00000000ffff", other, NULL);
	assert_error(&r, 404, "not_found");
	assert_error(&none, 404, "not_found");
	ck_assert_str_eq(r.body, none.body);
	ck_assert_ptr_null(strstr(r.body, "张三丰"));
	reply_free(&r);
	reply_free(&none);
	r = search(other, Q_ZHANG);
	ck_assert_uint_eq(n_cases(&r), 0);
	reply_free(&r);
	r = http("GET", "/v1/cases/" CASE_A, demo, NULL);
	ck_assert_int_eq(r.status, 200);
	reply_free(&r);
	free(batch);
	free(ev);
	free(demo);
	free(other);
}
END_TEST

START_TEST(test_search_by_number_part_id_or_phone_end_name_item_or_date)
{
	char *token = login("demo");
	char *ev = created_event("11111111-2222-4333-8444-000000000001", CASE_A, "H001", "张三丰");
	char *batch = batch1(ev);
	/* whole numbers, any part of the case number, the end of the ID (any case)
	 * or of the phone, part of the name or the item, words together */
	static const char *const hits[] = {"H001-03-20261125-0001",
	                                   "11010519491231002X",
	                                   "13800138000",
	                                   "%E4%B8%89",
	                                   Q_ZHANG,
	                                   "H001-03",
	                                   "20261125",
	                                   "002x",
	                                   "31002X",
	                                   "8000",
	                                   Q_ZHANG "%208000",
	                                   ITEM,
	                                   "%E4%BC%81%E4%B8%9A", /* 企业, of the item's name */
	                                   "2026-11-25",
	                                   "2026-11",
	                                   "2026-11-01..2026-11-30%20002X"};
	static const char *const misses[] = {"H002-03",    "1380013800", "%E6%9D%8E",
	                                     "%25",        "0101",       Q_ZHANG "%209999",
	                                     "2020-01-01", "2020-01",    "2020-01-01..2020-12-31"};
	struct reply r = push(token, batch, 1);
	size_t i;

	reply_free(&r);
	for (i = 0; i < sizeof hits / sizeof hits[0]; i++) {
		r = search(token, hits[i]);
		ck_assert_msg(n_cases(&r) == 1, "query %s", hits[i]);
		reply_free(&r);
	}
	for (i = 0; i < sizeof misses / sizeof misses[0]; i++) {
		r = search(token, misses[i]);
		ck_assert_msg(n_cases(&r) == 0, "query %s", misses[i]);
		reply_free(&r);
	}
	free(batch);
	free(ev);
	free(token);
}
END_TEST

START_TEST(test_unknown_path_is_404_and_wrong_method_405)
{
	struct reply r = http("GET", "/v1/nothing", NULL, NULL);

	assert_error(&r, 404, "not_found");
	reply_free(&r);
	r = http("GET", "/v1/events", NULL, NULL);
	assert_error(&r, 405, "method_not_allowed");
	reply_free(&r);
	r = http("POST", "/v1/health", NULL, "{}");
	assert_error(&r, 405, "method_not_allowed");
	reply_free(&r);
}
END_TEST

/* Case k (1..9) of hall, of item (NULL: ITEM), created by the hall's clerk
 * (token) and accepted, so a decision fits; its created event also names
 * dept, when not NULL, as a deciding department (which the server ignores).
 * Returns the case id.  Caller frees. */
static char *accepted_case(const char *token, const char *hall, int k, const char *item,
                           const char *dept)
{
	char *id = xasprintf("aaaaaaaa-bbbb-4ccc-8ddd-%012d", 100 + k);
	char *created =
	    xasprintf("{\"uuid\":\"11111111-2222-4333-8444-%012d\",\"case_id\":\"%s\",\"seq\":1,"
	              "\"type\":\"created\",\"hall\":\"%s\",\"window\":\"3\",\"clerk\":\"%s\","
	              "\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":{"
	              "\"case_no\":\"%s-03-20261125-%04d\",\"item_code\":\"%s\","
	              "\"item_name\":\"测试事项\",%s%s%s\"applicant\":{\"name\":\"张三\"}}}",
	              200 + k, id, hall, clerk_of(hall), hall, k, item ? item : ITEM,
	              dept ? "\"dept\":\"" : "", dept ? dept : "", dept ? "\"," : "");
	char *accepted =
	    xasprintf("{\"uuid\":\"11111111-2222-4333-8444-%012d\",\"case_id\":\"%s\",\"seq\":2,"
	              "\"type\":\"accepted\",\"hall\":\"%s\",\"window\":\"3\",\"clerk\":\"%s\","
	              "\"client_time\":\"2026-11-25T10:02:00+08:00\",\"payload\":{}}",
	              300 + k, id, hall, clerk_of(hall));
	char *batch = xasprintf("{\"events\":[%s,%s]}", created, accepted);
	struct reply r = push(token, batch, 2);

	assert_result(&r, 0, "applied", "");
	assert_result(&r, 1, "applied", "");
	reply_free(&r);
	free(batch);
	free(created);
	free(accepted);
	return id;
}

static struct reply decide(const char *token, const char *case_id, const char *body)
{
	char *path = xasprintf("/v1/cases/%s/decision", case_id);
	struct reply r = http("POST", path, token, body);

	free(path);
	return r;
}

/* The changes after the template's own (its catalogue import, cursor 1). */
#define AFTER_SETUP "?since=1"

static struct reply changes(const char *token, const char *query)
{
	char *path = xasprintf("/v1/changes%s", query);
	struct reply r = http("GET", path, token, NULL);

	free(path);
	ck_assert_msg(r.status == 200, "changes: %ld %s", r.status, r.body);
	return r;
}

static size_t n_changes(struct reply *r)
{
	return json_object_array_length(jget(r->json, "changes"));
}

static struct json_object *change(struct reply *r, size_t i)
{
	return json_object_array_get_idx(jget(r->json, "changes"), i);
}

START_TEST(test_decision_appends_a_decided_event_that_the_hall_pulls)
{
	char *clerk = login("demo"), *boss = login("boss");
	char *id = accepted_case(clerk, "H001", 1, NULL, NULL);
	struct reply d = decide(boss, id, "{\"decision\":\"approve\",\"reason\":\"材料齐全\"}");
	struct reply c, g, p;
	struct json_object *ev, *ch;
	char *late, *b;

	ck_assert_msg(d.status == 200, "%ld %s", d.status, d.body);
	ev = jget(d.json, "event");
	ck_assert_str_eq(jstr(ev, "type"), "decided");
	ck_assert_int_eq(json_object_get_int(jget(ev, "seq")), 3);
	ck_assert_str_eq(jstr(ev, "clerk"), "boss");
	ck_assert_str_eq(jstr(jget(ev, "payload"), "outcome"), "approve");
	ck_assert_str_eq(jstr(jget(ev, "payload"), "reason"), "材料齐全");
	g = http("GET", "/v1/cases/aaaaaaaa-bbbb-4ccc-8ddd-000000000101", clerk, NULL);
	ck_assert_str_eq(jstr(g.json, "state"), "approved");
	ck_assert_int_eq(json_object_get_int(jget(g.json, "events")), 3);
	c = changes(clerk, AFTER_SETUP);
	ck_assert_uint_eq(n_changes(&c), 2); /* the case's official number, then the decision */
	ck_assert_str_eq(jstr(change(&c, 0), "kind"), "case_no");
	ch = change(&c, 1);
	ck_assert_str_eq(jstr(ch, "kind"), "decision");
	ck_assert_str_eq(jstr(ch, "case_id"), id);
	ck_assert_str_eq(jstr(ch, "case_no"), "H001-03-20261125-0001");
	ck_assert_str_eq(jstr(jget(ch, "event"), "uuid"), jstr(ev, "uuid"));
	ck_assert_int_eq(json_object_get_int64(jget(ch, "cursor")),
	                 json_object_get_int64(jget(d.json, "cursor")));
	ck_assert_int_eq(json_object_get_int64(jget(c.json, "next")),
	                 json_object_get_int64(jget(ch, "cursor")));
	ck_assert(!json_object_get_boolean(jget(c.json, "more")));
	/* the window's next event still carries seq 3: it no longer fits */
	late = later_event("11111111-2222-4333-8444-000000000777", id, 3, "note");
	b = batch1(late);
	p = push(clerk, b, 1);
	assert_result(&p, 0, "conflict", "out of order");
	free(b);
	reply_free(&p);
	free(late);
	reply_free(&c);
	reply_free(&g);
	reply_free(&d);
	free(id);
	free(boss);
	free(clerk);
}
END_TEST

START_TEST(test_decision_must_fit_the_case_state)
{
	char *clerk = login("demo"), *boss = login("boss");
	char *ev = created_event("11111111-2222-4333-8444-000000000001", CASE_A, "H001", "张三");
	char *b = batch1(ev);
	struct reply r = push(clerk, b, 1), d;
	char *id;

	reply_free(&r);
	d = decide(boss, CASE_A, "{\"decision\":\"approve\"}");
	assert_error(&d, 409, "conflict"); /* only received, not accepted */
	reply_free(&d);
	id = accepted_case(clerk, "H001", 2, NULL, NULL);
	d = decide(boss, id, "{\"decision\":\"refuse\",\"reason\":\"不符合条件\"}");
	ck_assert_int_eq(d.status, 200);
	reply_free(&d);
	d = decide(boss, id, "{\"decision\":\"approve\"}");
	assert_error(&d, 409, "conflict"); /* decided already */
	reply_free(&d);
	d = decide(boss, id, "{\"decision\":\"maybe\"}");
	assert_error(&d, 422, "invalid");
	reply_free(&d);
	d = decide(boss, id, "{\"decision\":\"approve\",\"reason\":\"\\u001b[2J\"}");
	assert_error(&d, 422, "invalid");
	reply_free(&d);
	d = decide(boss, "aaaaaaaa-bbbb-4ccc-8ddd-00000000ffff", "{\"decision\":\"approve\"}");
	assert_error(&d, 404, "not_found");
	reply_free(&d);
	free(id);
	free(b);
	free(ev);
	free(boss);
	free(clerk);
}
END_TEST

/* The department that decides a case is its catalogue item's: a dept the
 * window's created event names is ignored, so no window chooses who
 * decides. */
START_TEST(test_only_the_back_office_of_the_hall_and_dept_decides)
{
	char *clerk = login("demo"), *boss = login("boss"), *boss2 = login("boss2");
	char *bossb = login("bossB");
	char *scjg = accepted_case(clerk, "H001", 1, NULL, TAX_ITEM_DEPT);
	char *tax = accepted_case(clerk, "H001", 2, TAX_ITEM, NULL);
	struct reply d, none;

	d = http("GET", "/v1/cases/aaaaaaaa-bbbb-4ccc-8ddd-000000000101", clerk, NULL);
	ck_assert_str_eq(jstr(d.json, "dept"), ITEM_DEPT); /* not the forged one */
	reply_free(&d);
	d = decide(clerk, scjg, "{\"decision\":\"approve\"}");
	assert_error(&d, 403, "forbidden");
	reply_free(&d);
	/* another hall's back office: the case reads as none, exactly */
	d = decide(bossb, scjg, "{\"decision\":\"approve\"}");
	none = decide(bossb, "aaaaaaaa-bbbb-4ccc-8ddd-00000000ffff", "{\"decision\":\"approve\"}");
	assert_error(&d, 404, "not_found");
	ck_assert_int_eq(none.status, 404);
	ck_assert_str_eq(d.body, none.body);
	reply_free(&none);
	reply_free(&d);
	/* the department the body named may not decide; the catalogue's may */
	d = decide(boss2, scjg, "{\"decision\":\"approve\"}");
	assert_error(&d, 403, "forbidden");
	reply_free(&d);
	d = decide(boss, tax, "{\"decision\":\"approve\"}");
	assert_error(&d, 403, "forbidden");
	reply_free(&d);
	d = decide(boss, scjg, "{\"decision\":\"approve\"}");
	ck_assert_msg(d.status == 200, "%ld %s", d.status, d.body);
	reply_free(&d);
	d = decide(boss2, tax, "{\"decision\":\"approve\"}");
	ck_assert_msg(d.status == 200, "%ld %s", d.status, d.body);
	reply_free(&d);
	d = http("GET", "/v1/cases/x/decision", boss, NULL);
	assert_error(&d, 405, "method_not_allowed");
	reply_free(&d);
	free(tax);
	free(scjg);
	free(bossb);
	free(boss2);
	free(boss);
	free(clerk);
}
END_TEST

/* The official number the server gives the n-th case of hall this year
 * (the server's Beijing date).  Caller frees. */
static char *expected_official(const char *hall, int n)
{
	char now[SRV_TIME_ISO_SIZE];

	time_iso_shanghai(time(NULL), now);
	return xasprintf("%s-%.4s-%06d", hall, now, n);
}

START_TEST(test_changes_are_the_halls_own_and_come_in_pages)
{
	char *clerk = login("demo"), *boss = login("boss"), *other = login("other");
	char *bossb = login("bossB");
	char *ids[4], *q, *want;
	struct reply r, d;
	long long next;
	int i;

	for (i = 0; i < 3; i++) {
		ids[i] = accepted_case(clerk, "H001", i + 1, NULL, NULL);
		d = decide(boss, ids[i], "{\"decision\":\"approve\"}");
		ck_assert_int_eq(d.status, 200);
		reply_free(&d);
	}
	ids[3] = accepted_case(other, "H002", 4, NULL, NULL);
	d = decide(bossb, ids[3], "{\"decision\":\"refuse\"}");
	ck_assert_int_eq(d.status, 200);
	reply_free(&d);
	/* each case: its official number, then its decision */
	r = changes(clerk, AFTER_SETUP "&limit=4");
	ck_assert_uint_eq(n_changes(&r), 4);
	ck_assert(json_object_get_boolean(jget(r.json, "more")));
	next = json_object_get_int64(jget(r.json, "next"));
	reply_free(&r);
	q = xasprintf("?since=%lld&limit=4", next);
	r = changes(clerk, q);
	free(q);
	ck_assert_uint_eq(n_changes(&r), 2);
	ck_assert(!json_object_get_boolean(jget(r.json, "more")));
	ck_assert_str_eq(jstr(change(&r, 0), "kind"), "case_no");
	ck_assert_str_eq(jstr(change(&r, 0), "case_id"), ids[2]);
	want = expected_official("H001", 3);
	ck_assert_str_eq(jstr(change(&r, 0), "official_no"), want);
	free(want);
	ck_assert_str_eq(jstr(change(&r, 1), "kind"), "decision");
	ck_assert_str_eq(jstr(change(&r, 1), "case_id"), ids[2]);
	reply_free(&r);
	r = changes(other, AFTER_SETUP);
	ck_assert_uint_eq(n_changes(&r), 2);
	want = expected_official("H002", 1);
	ck_assert_str_eq(jstr(change(&r, 0), "official_no"), want);
	free(want);
	ck_assert_str_eq(jstr(change(&r, 1), "case_id"), ids[3]);
	ck_assert_str_eq(jstr(jget(jget(change(&r, 1), "event"), "payload"), "outcome"), "refuse");
	reply_free(&r);
	r = http("GET", "/v1/changes?since=-1", clerk, NULL);
	assert_error(&r, 400, "bad_request");
	reply_free(&r);
	r = http("GET", "/v1/changes?limit=0", clerk, NULL);
	assert_error(&r, 400, "bad_request");
	reply_free(&r);
	r = http("GET", "/v1/changes", NULL, NULL);
	assert_error(&r, 401, "unauthorized");
	reply_free(&r);
	for (i = 0; i < 4; i++)
		free(ids[i]);
	free(bossb);
	free(other);
	free(boss);
	free(clerk);
}
END_TEST

/* The official number of case id as GET /v1/cases/ID shows it.  Caller frees. */
static char *official_no(const char *token, const char *id)
{
	char *path = xasprintf("/v1/cases/%s", id), *no;
	struct reply r = http("GET", path, token, NULL);

	ck_assert_msg(r.status == 200, "case: %ld %s", r.status, r.body);
	no = xstrdup(jstr(r.json, "official_no"));
	reply_free(&r);
	free(path);
	return no;
}

/* The "case_no" changes of the hall of token for case id. */
static int case_no_changes(const char *token, const char *id, const char *want_official)
{
	struct reply r = changes(token, "?since=0");
	size_t i;
	int n = 0;

	for (i = 0; i < n_changes(&r); i++) {
		struct json_object *ch = change(&r, i);

		if (strcmp(jstr(ch, "kind"), "case_no") != 0 ||
		    strcmp(jstr(ch, "case_id"), id) != 0)
			continue;
		ck_assert_str_eq(jstr(ch, "official_no"), want_official);
		ck_assert_str_eq(jstr(ch, "case_no"), "H001-03-20261125-0001");
		ck_assert_int_gt(json_object_get_int64(jget(ch, "cursor")), 0);
		n++;
	}
	reply_free(&r);
	return n;
}

START_TEST(test_created_case_gets_one_official_number_that_the_hall_pulls)
{
	char *token = login("demo"), *other = login("other");
	char *ev = created_event("11111111-2222-4333-8444-000000000001", CASE_A, "H001", "张三丰");
	char *ev2 = created_event("11111111-2222-4333-8444-000000000002", CASE_B, "H001", "李四");
	char *batch = batch1(ev), *batch2 = batch1(ev2), *no, *no2, *want;
	struct reply r = push(token, batch, 1), s;

	assert_result(&r, 0, "applied", "");
	reply_free(&r);
	/* hall, the server's (Beijing) year, a 6-digit sequence of the hall and year */
	no = official_no(token, CASE_A);
	want = expected_official("H001", 1);
	ck_assert_str_eq(no, want);
	free(want);
	ck_assert_int_eq(case_no_changes(token, CASE_A, no), 1);
	/* the same batch again (a retry after a lost answer): no second number */
	r = push(token, batch, 1);
	assert_result(&r, 0, "duplicate", "");
	reply_free(&r);
	ck_assert_int_eq(case_no_changes(token, CASE_A, no), 1);
	no2 = official_no(token, CASE_A);
	ck_assert_str_eq(no2, no);
	free(no2);
	/* the next case of the hall gets the next number */
	r = push(token, batch2, 1);
	assert_result(&r, 0, "applied", "");
	reply_free(&r);
	no2 = official_no(token, CASE_B);
	want = expected_official("H001", 2);
	ck_assert_str_eq(no2, want);
	free(want);
	/* the search answer shows it, and finds the case by it */
	s = search(token, no);
	ck_assert_uint_eq(n_cases(&s), 1);
	ck_assert_str_eq(jstr(json_object_array_get_idx(jget(s.json, "cases"), 0), "official_no"),
	                 no);
	reply_free(&s);
	/* another hall sees none of it */
	ck_assert_int_eq(case_no_changes(other, CASE_A, no), 0);
	free(no2);
	free(no);
	free(batch2);
	free(batch);
	free(ev2);
	free(ev);
	free(other);
	free(token);
}
END_TEST

START_TEST(test_pushed_decided_event_is_rejected)
{
	char *clerk = login("demo");
	char *id = accepted_case(clerk, "H001", 1, NULL, NULL);
	char *ev = later_event("11111111-2222-4333-8444-000000000099", id, 3, "decided");
	char *b = batch1(ev);
	struct reply r = push(clerk, b, 1);

	ck_assert_str_eq(jstr(result(&r, 0), "status"), "rejected");
	reply_free(&r);
	free(b);
	free(ev);
	free(id);
	free(clerk);
}
END_TEST

START_TEST(test_state_machine_refuses_a_supplement_after_refusal)
{
	char *clerk = login("demo");
	char *c = created_event("11111111-2222-4333-8444-000000000001", CASE_A, "H001", "张三");
	char *refused = later_event("11111111-2222-4333-8444-000000000002", CASE_A, 2, "refused");
	char *supp = later_event("11111111-2222-4333-8444-000000000003", CASE_A, 3, "supplemented");
	char *b = xasprintf("{\"events\":[%s,%s,%s]}", c, refused, supp);
	struct reply r = push(clerk, b, 3), g;

	assert_result(&r, 0, "applied", "");
	assert_result(&r, 1, "applied", "");
	assert_result(&r, 2, "conflict", NULL);
	ck_assert_msg(strlen(jstr(result(&r, 2), "reason")) > 10, "reason: %s",
	              jstr(result(&r, 2), "reason"));
	reply_free(&r);
	g = http("GET", "/v1/cases/" CASE_A, clerk, NULL);
	ck_assert_str_eq(jstr(g.json, "state"), "refused");
	ck_assert_int_eq(json_object_get_int(jget(g.json, "events")), 2);
	reply_free(&g);
	free(b);
	free(supp);
	free(refused);
	free(c);
	free(clerk);
}
END_TEST

START_TEST(test_catalogue_and_calendar_are_served_after_import)
{
	char *clerk = login("demo"), *cat = srcfile("data/catalogue.json");
	char *cal = srcfile("data/calendar.json"), *version = NULL;
	struct json_object *years;
	struct err e = {0};
	bool unchanged;
	struct reply r;

	drop_catalogue();
	r = http("GET", "/v1/catalogue", clerk, NULL);
	assert_error(&r, 404, "not_found");
	reply_free(&r);
	ck_assert_msg(srv_admin_import(work_db, "catalogue", cat, &version, &unchanged, &e) == 0,
	              "%s", e.msg);
	ck_assert(!unchanged);
	ck_assert_str_eq(version, "2026.11.1");
	free(version);
	ck_assert_msg(srv_admin_import(work_db, "calendar", cal, &version, &unchanged, &e) == 0,
	              "%s", e.msg);
	ck_assert(!unchanged);
	free(version);
	ck_assert(srv_admin_import(work_db, "calendar", cal, &version, &unchanged, &e) == 0);
	ck_assert(unchanged); /* same version again: no new change */
	free(version);
	ck_assert(srv_admin_import(work_db, "calendar", cat, &version, &unchanged, &e) != 0);
	r = http("GET", "/v1/catalogue", clerk, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(r.json, "version"), "2026.11.1");
	ck_assert_uint_gt(json_object_array_length(jget(r.json, "items")), 10);
	reply_free(&r);
	r = http("GET", "/v1/catalogue?since=2026.11.1", clerk, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert(json_object_get_boolean(jget(r.json, "unchanged")));
	reply_free(&r);
	r = http("GET", "/v1/calendar?year=2024", clerk, NULL);
	ck_assert_int_eq(r.status, 200);
	years = jget(r.json, "years");
	ck_assert_int_eq(json_object_object_length(years), 1);
	ck_assert_ptr_nonnull(jget(years, "2024"));
	reply_free(&r);
	r = http("GET", "/v1/calendar?year=1999", clerk, NULL);
	assert_error(&r, 404, "not_found");
	reply_free(&r);
	r = http("GET", "/v1/calendar?year=abc", clerk, NULL);
	assert_error(&r, 400, "bad_request");
	reply_free(&r);
	r = changes(clerk, "?since=0");
	ck_assert_uint_eq(n_changes(&r), 2);
	ck_assert_str_eq(jstr(change(&r, 0), "kind"), "catalogue");
	ck_assert_str_eq(jstr(change(&r, 0), "version"), "2026.11.1");
	ck_assert_str_eq(jstr(change(&r, 1), "kind"), "calendar");
	reply_free(&r);
	free(cal);
	free(cat);
	free(clerk);
}
END_TEST

START_TEST(test_operator_decides_by_case_number_and_exports_csv)
{
	char *clerk = login("demo"), *id = accepted_case(clerk, "H001", 1, NULL, NULL);
	struct json_object *ev = NULL;
	struct err e = {0};
	char *path = xasprintf("%s/export-%ld.csv", template_dir, (long)getpid()), *text;
	FILE *f;
	size_t len;
	struct reply r;

	ck_assert_msg(srv_admin_decide(work_db, "H001-03-20261125-0001", "refuse",
	                               "缺少\"原件\",请补", &ev, &e) == 0,
	              "%s", e.msg);
	ck_assert_str_eq(jstr(ev, "clerk"), "operator");
	json_object_put(ev);
	ck_assert(srv_admin_decide(work_db, "no-such-number", "refuse", NULL, &ev, &e) != 0);
	r = changes(clerk, AFTER_SETUP);
	ck_assert_uint_eq(n_changes(&r), 2); /* the official number, the decision */
	reply_free(&r);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_msg(srv_admin_export(work_db, "H001", false, f, &e) == 0, "%s", e.msg);
	fclose(f);
	text = file_read_all(path, &len, 1 << 20, &e);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(strncmp(text, "id,hall,case_no,", 16) == 0, "%s", text);
	ck_assert_ptr_nonnull(strstr(text, "\r\n"
	                                   "aaaaaaaa-bbbb-4ccc-8ddd-000000000101,H001,"));
	ck_assert_ptr_nonnull(strstr(text, ",denied,3,"));
	free(text);
	unlink(path);
	free(path);
	free(id);
	free(clerk);
}
END_TEST

START_TEST(test_csv_export_quotes_commas_and_quotes)
{
	char *clerk = login("demo");
	char *ev = created_event("11111111-2222-4333-8444-000000000001", CASE_A, "H001",
	                         "张\\\"三\\\",李");
	char *b = batch1(ev), *text,
	     *path = xasprintf("%s/q-%ld.csv", template_dir, (long)getpid());
	struct reply r = push(clerk, b, 1);
	struct err e = {0};
	size_t len;
	FILE *f = fopen(path, "w");

	assert_result(&r, 0, "applied", "");
	reply_free(&r);
	ck_assert(srv_admin_export(work_db, NULL, false, f, &e) == 0);
	fclose(f);
	text = file_read_all(path, &len, 1 << 20, &e);
	ck_assert_msg(strstr(text, ",\"张\"\"三\"\",李\",") != NULL, "%s", text);
	free(text);
	f = fopen(path, "w");
	ck_assert(srv_admin_export(work_db, "H002", true, f, &e) == 0);
	fclose(f);
	text = file_read_all(path, &len, 1 << 20, &e);
	ck_assert_str_eq(text, "[]\n");
	free(text);
	unlink(path);
	free(path);
	free(b);
	free(ev);
	free(clerk);
}
END_TEST

/* The user id in GET /v1/users, or NULL. */
static struct json_object *listed_user(struct reply *r, const char *id)
{
	struct json_object *users = jget(r->json, "users");
	size_t i;

	for (i = 0; i < json_object_array_length(users); i++)
		if (strcmp(jstr(json_object_array_get_idx(users, i), "id"), id) == 0)
			return json_object_array_get_idx(users, i);
	return NULL;
}

#define NEW_CLERK_BODY                                                                                       \
	"{\"id\":\"zhao\",\"name\":\"赵六\",\"hall\":\"H002\",\"hall_name\":\"另一政务服务中心\"," \
	"\"window\":\"7\",\"role\":\"clerk\""

/* NEW_CLERK_BODY with the members of the JSON object more set over its own
 * (each key once: the server refuses a key given twice).  Caller frees. */
static char *clerk_body(const char *more)
{
	struct json_object *o = json_tokener_parse(NEW_CLERK_BODY "}");
	struct json_object *m = json_tokener_parse(more);
	char *text;

	ck_assert_ptr_nonnull(o);
	ck_assert_ptr_nonnull(m);
	json_object_object_foreach(m, key, val)
	{
		json_object_object_add(o, key, json_object_get(val));
	}
	text = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(m);
	json_object_put(o);
	return text;
}

/* POST /v1/users with clerk_body(more). */
static struct reply post_user(const char *token, const char *more)
{
	char *body = clerk_body(more);
	struct reply r = http("POST", "/v1/users", token, body);

	free(body);
	return r;
}

START_TEST(test_operator_creates_lists_and_updates_users)
{
	char *ops = login("ops"), *zhao;
	struct reply r;

	r = post_user(ops, "{\"password\":\"secret\"}");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert(json_object_get_boolean(jget(r.json, "created")));
	ck_assert_str_eq(jstr(jget(r.json, "user"), "hall"), "H002");
	reply_free(&r);
	zhao = login("zhao");
	r = http("GET", "/v1/users", ops, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(listed_user(&r, "demo"));
	ck_assert_str_eq(jstr(listed_user(&r, "zhao"), "window"), "7");
	ck_assert_str_eq(jstr(listed_user(&r, "ops"), "role"), "operator");
	ck_assert_msg(strstr(r.body, "argon2") == NULL && strstr(r.body, "secret") == NULL &&
	                  strstr(r.body, "hash") == NULL,
	              "%s", r.body);
	reply_free(&r);
	/* an update without a password keeps it and the sessions */
	r = post_user(ops, "{\"window\":\"8\"}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert(!json_object_get_boolean(jget(r.json, "created")));
	reply_free(&r);
	r = http("GET", "/v1/cases?query=x", zhao, NULL);
	ck_assert_int_eq(r.status, 200);
	reply_free(&r);
	/* a new password ends the old sessions */
	r = post_user(ops, "{\"password\":\"new-pw\"}");
	ck_assert_int_eq(r.status, 200);
	reply_free(&r);
	r = http("GET", "/v1/cases?query=x", zhao, NULL);
	assert_error(&r, 401, "unauthorized");
	reply_free(&r);
	r = http("POST", "/v1/login", NULL, "{\"clerk\":\"zhao\",\"password\":\"new-pw\"}");
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jstr(jget(r.json, "clerk"), "window"), "7");
	reply_free(&r);
	free(zhao);
	free(ops);
}
END_TEST

/* An operator who changes its own password ends its own sessions too, the
 * one of the call included: the call is answered, the next one is 401. */
START_TEST(test_an_operator_changing_its_own_password_logs_in_again)
{
	char *ops = login("ops"), *other_pc = login("ops");
	struct reply r;

	r = http("POST", "/v1/users", ops,
	         "{\"id\":\"ops\",\"name\":\"审批人\",\"hall\":\"H001\",\"hall_name\":"
	         "\"示例市政务服务中心\",\"window\":\"bo\",\"role\":\"operator\","
	         "\"password\":\"changed\"}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	reply_free(&r);
	r = http("GET", "/v1/users", ops, NULL);
	assert_error(&r, 401, "unauthorized");
	reply_free(&r);
	r = http("GET", "/v1/users", other_pc, NULL);
	assert_error(&r, 401, "unauthorized");
	reply_free(&r);
	r = http("POST", "/v1/login", NULL, "{\"clerk\":\"ops\",\"password\":\"changed\"}");
	ck_assert_int_eq(r.status, 200);
	reply_free(&r);
	free(other_pc);
	free(ops);
}
END_TEST

START_TEST(test_only_an_operator_manages_users)
{
	static const char *const who[] = {"demo", "boss"};
	char *ops = login("ops"), *token;
	struct reply r;
	size_t i;

	for (i = 0; i < 2; i++) {
		token = login(who[i]);
		r = http("GET", "/v1/users", token, NULL);
		assert_error(&r, 403, "forbidden");
		reply_free(&r);
		r = post_user(token, "{\"password\":\"x\"}");
		assert_error(&r, 403, "forbidden");
		reply_free(&r);
		free(token);
	}
	r = http("GET", "/v1/users", NULL, NULL);
	assert_error(&r, 401, "unauthorized");
	reply_free(&r);
	r = http("GET", "/v1/users", ops, NULL);
	ck_assert_ptr_null(listed_user(&r, "zhao"));
	reply_free(&r);
	free(ops);
}
END_TEST

START_TEST(test_bad_user_bodies_are_refused_and_change_nothing)
{
	static const char *const bad[] = {
	    "{}", /* a new user needs a password */
	    "{\"password\":\"\"}",
	    "{\"password\":\"x\",\"role\":\"king\"}",
	    "{\"password\":\"x\",\"window\":7}",
	    "{\"password\":\"x\",\"id\":\"zh ao\"}",
	    "{\"password\":\"x\",\"name\":\"a\\u0000b\"}",
	    "{\"password\":\"x\",\"name\":\"\"}",
	};
	char *ops = login("ops"), *long_name = xcalloc(1, 400), *body;
	struct reply r;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = post_user(ops, bad[i]);
		ck_assert_msg(r.status == 422, "%s: %ld %s", bad[i], r.status, r.body);
		reply_free(&r);
	}
	r = http("POST", "/v1/users", ops, "{\"name\":\"赵六\",\"password\":\"x\"}");
	assert_error(&r, 422, "invalid");
	reply_free(&r);
	memset(long_name, 'a', 300);
	body = xasprintf("{\"password\":\"x\",\"name\":\"%s\"}", long_name);
	r = post_user(ops, body);
	assert_error(&r, 422, "invalid");
	ck_assert_ptr_nonnull(strstr(jstr(r.json, "message"), "name"));
	reply_free(&r);
	r = http("POST", "/v1/users", ops, NEW_CLERK_BODY ",\"password\":\"x\"");
	assert_error(&r, 400, "bad_json");
	reply_free(&r);
	r = http("GET", "/v1/users", ops, NULL);
	ck_assert_ptr_null(listed_user(&r, "zhao"));
	reply_free(&r);
	free(body);
	free(long_name);
	free(ops);
}
END_TEST

/* Another program holding work_db's write lock (BEGIN IMMEDIATE; on
 * PostgreSQL every table's EXCLUSIVE lock), as sqlite3 or a maintenance job
 * would.  tbdb_release to let go. */
static struct srv_db *hold_write_lock(void)
{
	struct err e = {0};
	struct srv_db *h = tbdb_hold_writes(work_db, &e);

	ck_assert_msg(h != NULL, "%s", e.msg);
	return h;
}

static void assert_busy(struct reply *r)
{
	assert_error(r, 503, "busy");
	ck_assert_str_eq(r->retry_after, "1");
	reply_free(r);
}

/* While another program holds the write lock, what writes (a push, a
 * decision, a login, and a search, which is put on the audit chain before
 * its cases are shown) waits for it and then answers 503 busy with
 * Retry-After, having changed nothing; reading the changes goes on.  Once
 * the lock is gone the same requests succeed. */
START_TEST(test_a_locked_database_answers_503_with_retry_after)
{
	char *clerk = login("demo"), *boss = login("boss"), *id;
	char *ev = created_event("11111111-2222-4333-8444-0000000000b1", CASE_A, "H001", "张三丰");
	char *batch = batch1(ev);
	struct reply r;
	long long t0;
	struct srv_db *h;

	srv_stop(server);
	serve(300);
	id = accepted_case(clerk, "H001", 1, NULL, NULL);
	h = hold_write_lock();
	t0 = clock_ms();
	r = http("POST", "/v1/events", clerk, batch);
	ck_assert_msg(clock_ms() - t0 >= 250, "answered after %lld ms", clock_ms() - t0);
	assert_busy(&r);
	r = decide(boss, id, "{\"decision\":\"approve\"}");
	assert_busy(&r);
	r = http("POST", "/v1/login", NULL, "{\"clerk\":\"demo\",\"password\":\"secret\"}");
	assert_busy(&r);
	r = http("GET", "/v1/cases?query=" Q_ZHANG, clerk, NULL);
	assert_busy(&r);
	r = http("GET", "/v1/changes", clerk, NULL);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	reply_free(&r);
	tbdb_release(h);
	r = search(clerk, Q_ZHANG);
	ck_assert_uint_eq(n_cases(&r), 0);
	reply_free(&r);
	r = push(clerk, batch, 1);
	assert_result(&r, 0, "applied", "");
	reply_free(&r);
	r = decide(boss, id, "{\"decision\":\"approve\"}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	reply_free(&r);
	free(id);
	free(batch);
	free(ev);
	free(boss);
	free(clerk);
}
END_TEST

/* ---- 一件事一次办 and 绿色通道 --------------------------------------------------- */

#define BUNDLE_ID "bbbbbbbb-0000-4000-8000-000000000001"
#define CASE_G    "aaaaaaaa-bbbb-4ccc-8ddd-0000000000a1"
#define CASE_P1   "aaaaaaaa-bbbb-4ccc-8ddd-0000000000b1"
#define CASE_P2   "aaaaaaaa-bbbb-4ccc-8ddd-0000000000b2"

/* A created event of item for name; extra is more of the payload (after
 * a comma), applicant_extra more of the applicant. */
static char *created_with(const char *uuid, const char *case_id, const char *item, const char *name,
                          const char *extra, const char *applicant_extra)
{
	return xasprintf("{\"uuid\":\"%s\",\"case_id\":\"%s\",\"seq\":1,\"type\":\"created\","
	                 "\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
	                 "\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":{"
	                 "\"case_no\":\"H001-03-%s\",\"item_code\":\"%s\",\"item_name\":\"x\","
	                 "\"applicant\":{\"kind\":\"org\",\"name\":\"%s\",\"id_number\":"
	                 "\"91430100MA4L0XXXXX\",\"phone\":\"13800138000\"%s}%s}}",
	                 uuid, case_id, case_id + 30, item, name, applicant_extra, extra);
}

#define PART_OF_BUNDLE                                                                             \
	",\"bundle\":{\"id\":\"" BUNDLE_ID "\",\"code\":\"YJS001\",\"name\":\"企业开办\","     \
	"\"part\":1,\"parts\":2}"
#define GREEN ",\"green_cert\":\"LD-2026-017\",\"green_helper\":\"李代办\""

static void push_applied(const char *token, char *ev)
{
	char *batch = batch1(ev);
	struct reply r = push(token, batch, 1);

	assert_result(&r, 0, "applied", "");
	reply_free(&r);
	free(batch);
	free(ev);
}

/* The back office's list puts the 绿色通道 case first though it is the
 * oldest; the record of a bundle's part lists every part; statistics count
 * the green case. */
START_TEST(test_green_cases_come_first_and_a_bundle_lists_its_parts)
{
	char *token = login("demo");
	struct reply s;
	struct json_object *cases, *b, *parts;
	const char *a, *z;

	push_applied(token, created_with("11111111-2222-4333-8444-0000000000a1", CASE_G,
	                                 "000102102000", "重点项目公司", "", GREEN));
	push_applied(token, created_with("11111111-2222-4333-8444-0000000000b1", CASE_P1, ITEM,
	                                 "示例科技有限公司", PART_OF_BUNDLE, ""));
	push_applied(token, created_with("11111111-2222-4333-8444-0000000000b2", CASE_P2,
	                                 "002004203000", "示例科技有限公司", PART_OF_BUNDLE, ""));
	s = search(token, "");
	cases = jget(s.json, "cases");
	ck_assert_uint_eq(json_object_array_length(cases), 3);
	ck_assert_str_eq(jstr(json_object_array_get_idx(cases, 0), "id"), CASE_G);
	ck_assert_str_eq(jstr(json_object_array_get_idx(cases, 0), "green_cert"), "LD-2026-017");
	ck_assert_str_eq(jstr(json_object_array_get_idx(cases, 1), "id"), CASE_P2);
	ck_assert_str_eq(jstr(json_object_array_get_idx(cases, 1), "green_cert"), "");
	reply_free(&s);

	s = http("GET", "/v1/cases/" CASE_G, token, NULL);
	ck_assert_int_eq(s.status, 200);
	ck_assert_str_eq(jstr(s.json, "green_helper"), "李代办");
	ck_assert(!json_object_object_get_ex(s.json, "bundle", NULL));
	reply_free(&s);

	s = http("GET", "/v1/cases/" CASE_P2, token, NULL);
	ck_assert_int_eq(s.status, 200);
	ck_assert_str_eq(jstr(s.json, "bundle_id"), BUNDLE_ID);
	ck_assert_str_eq(jstr(s.json, "dept"), "市住房公积金管理中心");
	b = jget(s.json, "bundle");
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(jstr(b, "code"), "YJS001");
	ck_assert_str_eq(jstr(b, "name"), "企业开办");
	parts = jget(b, "parts");
	ck_assert_uint_eq(json_object_array_length(parts), 2);
	a = jstr(json_object_array_get_idx(parts, 0), "id");
	z = jstr(json_object_array_get_idx(parts, 1), "id");
	ck_assert_str_eq(a, CASE_P1);
	ck_assert_str_eq(z, CASE_P2);
	ck_assert_str_eq(jstr(json_object_array_get_idx(parts, 0), "dept"), ITEM_DEPT);
	reply_free(&s);

	s = http("GET", "/v1/stats?from=2026-11-01&to=2026-11-30", token, NULL);
	ck_assert_msg(s.status == 200, "%ld %s", s.status, s.body);
	ck_assert_int_eq(json_object_get_int(jget(jget(s.json, "stats"), "green_channel")), 1);
	ck_assert_int_eq(json_object_get_int(jget(jget(s.json, "stats"), "cases")), 3);
	reply_free(&s);
	free(token);
}
END_TEST

/* A bundle or a green channel the server cannot keep is rejected with why. */
START_TEST(test_a_malformed_bundle_or_green_channel_is_rejected)
{
	char *token = login("demo");
	char *ev[3] = {
	    created_with("11111111-2222-4333-8444-0000000000c1", CASE_A, ITEM, "甲",
	                 ",\"bundle\":7", ""),
	    created_with("11111111-2222-4333-8444-0000000000c2", CASE_B, ITEM, "乙",
	                 ",\"bundle\":{\"code\":\"YJS001\",\"name\":\"企业开办\"}", ""),
	    created_with("11111111-2222-4333-8444-0000000000c3", CASE_P1, ITEM, "丙", "",
	                 ",\"green_cert\":\"LD-1\""),
	};
	char *batch = xasprintf("{\"events\":[%s,%s,%s]}", ev[0], ev[1], ev[2]);
	struct reply r = push(token, batch, 3), s;

	assert_result(&r, 0, "rejected", "payload.bundle must be an object");
	assert_result(&r, 1, "rejected", NULL);
	ck_assert_ptr_nonnull(strstr(jstr(result(&r, 1), "reason"), "id, code and name"));
	assert_result(&r, 2, "rejected",
	              "payload.applicant.green_cert needs its green_helper (代办员)");
	s = search(token, "");
	ck_assert_uint_eq(n_cases(&s), 0);
	reply_free(&s);
	reply_free(&r);
	free(batch);
	for (int i = 0; i < 3; i++)
		free(ev[i]);
	free(token);
}
END_TEST

static Suite *api_suite(void)
{
	Suite *s = suite_create("server_api");
	TCase *tc = tcase_create("api");

	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, make_template, remove_template);
	tcase_add_checked_fixture(tc, start_server, stop_server);
	tcase_add_test(tc, test_health_needs_no_login);
	tcase_add_test(tc, test_login_returns_token_and_clerk);
	tcase_add_test(tc, test_each_device_gets_its_own_terminal_code_once);
	tcase_add_test(tc, test_login_with_wrong_password_or_clerk_is_401);
	tcase_add_test(tc, test_failed_logins_make_that_clerk_wait_from_that_address);
	tcase_add_test(tc, test_a_successful_login_forgets_the_failures);
	tcase_add_test(tc, test_requests_without_a_valid_token_are_401);
	tcase_add_test(tc, test_logout_invalidates_the_token);
	tcase_add_test(tc, test_created_event_is_applied_and_makes_a_case);
	tcase_add_test(tc, test_same_batch_twice_is_duplicate_not_a_second_case);
	tcase_add_test(tc, test_same_uuid_with_other_content_is_conflict);
	tcase_add_test(tc, test_key_order_does_not_make_a_conflict);
	tcase_add_test(tc, test_invalid_events_are_rejected_and_valid_ones_applied);
	tcase_add_test(tc, test_event_of_another_hall_is_rejected);
	tcase_add_test(tc, test_later_events_must_follow_in_order);
	tcase_add_test(tc, test_the_session_says_which_clerk_hall_and_window_pushed_an_event);
	tcase_add_test(tc, test_a_created_case_takes_its_item_and_department_from_the_catalogue);
	tcase_add_test(tc, test_malformed_json_is_400_and_changes_nothing);
	tcase_add_test(tc,
	               test_control_characters_duplicate_keys_lone_surrogates_and_bad_utf8_are_400);
	tcase_add_test(tc, test_control_characters_in_event_strings_are_rejected);
	tcase_add_test(tc, test_json_nested_deeper_than_32_is_400);
	tcase_add_test(tc, test_too_many_events_or_bytes_is_413);
	tcase_add_test(tc, test_identical_batches_at_once_apply_once);
	tcase_add_test(tc, test_case_of_another_hall_is_404_like_a_missing_one);
	tcase_add_test(tc, test_search_by_number_part_id_or_phone_end_name_item_or_date);
	tcase_add_test(tc, test_unknown_path_is_404_and_wrong_method_405);
	tcase_add_test(tc, test_decision_appends_a_decided_event_that_the_hall_pulls);
	tcase_add_test(tc, test_decision_must_fit_the_case_state);
	tcase_add_test(tc, test_only_the_back_office_of_the_hall_and_dept_decides);
	tcase_add_test(tc, test_changes_are_the_halls_own_and_come_in_pages);
	tcase_add_test(tc, test_created_case_gets_one_official_number_that_the_hall_pulls);
	tcase_add_test(tc, test_pushed_decided_event_is_rejected);
	tcase_add_test(tc, test_state_machine_refuses_a_supplement_after_refusal);
	tcase_add_test(tc, test_catalogue_and_calendar_are_served_after_import);
	tcase_add_test(tc, test_operator_decides_by_case_number_and_exports_csv);
	tcase_add_test(tc, test_csv_export_quotes_commas_and_quotes);
	tcase_add_test(tc, test_operator_creates_lists_and_updates_users);
	tcase_add_test(tc, test_an_operator_changing_its_own_password_logs_in_again);
	tcase_add_test(tc, test_only_an_operator_manages_users);
	tcase_add_test(tc, test_bad_user_bodies_are_refused_and_change_nothing);
	tcase_add_test(tc, test_a_locked_database_answers_503_with_retry_after);
	tcase_add_test(tc, test_green_cases_come_first_and_a_bundle_lists_its_parts);
	tcase_add_test(tc, test_a_malformed_bundle_or_green_channel_is_rejected);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = tbcheck_run(api_suite());
	curl_global_cleanup();
	return rc;
}
