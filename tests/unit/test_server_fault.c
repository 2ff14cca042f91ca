/*
 * test_server_fault.c - tongband's fault switch for tests (srv_fault.h):
 * the spec syntax, and each fault as a client sees it over real HTTP, on a
 * server started in-process (and once as the real binary, through
 * TONGBAND_FAULTS in its environment).
 */
#include <check.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/util.h"
#include "server/srv_admin.h"
#include "server/srv_fault.h"
#include "server/srv_http.h"
#include "tbcheck.h"
#include "tbdb.h"
#include "tbserver.h"

static char dir[] = "/tmp/tongband-fault-XXXXXX";
static char *db; /* tbdb.h */
static char faults_file[300];
static struct srv *server;

#define EVENT_UUID "11111111-2222-4333-8444-0000000000f1"
#define CASE_ID    "aaaaaaaa-bbbb-4ccc-8ddd-0000000000f1"

struct reply {
	CURLcode rc;
	long status;
	char *body;
	struct json_object *json;
	char retry_after[32];
	long long ms;
};

/* A directory with a database: the bundled catalogue, clerk demo. */
static void setup_dir(void)
{
	const char *src = getenv("TONGBAN_SRCDIR");
	char *catalogue = xasprintf("%s/data/catalogue.json", src ? src : "."), *version = NULL;
	struct srv_user u;
	struct err e = {0};
	bool unchanged;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	db = tbdb_new(dir, "fault", NULL);
	ck_assert_ptr_nonnull(db);
	snprintf(faults_file, sizeof faults_file, "%s/faults", dir);
	memset(&u, 0, sizeof u);
	str_copy(u.id, sizeof u.id, "demo");
	str_copy(u.name, sizeof u.name, "王小明");
	str_copy(u.hall, sizeof u.hall, "H001");
	str_copy(u.hall_name, sizeof u.hall_name, "示例市政务服务中心");
	str_copy(u.window, sizeof u.window, "3");
	str_copy(u.role, sizeof u.role, "clerk");
	ck_assert_msg(srv_admin_useradd(db, &u, "secret", &e) == 0, "%s", e.msg);
	ck_assert_msg(srv_admin_import(db, "catalogue", catalogue, &version, &unchanged, &e) == 0,
	              "%s", e.msg);
	free(version);
	free(catalogue);
}

static void remove_dir(void)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	tbdb_remove(db);
	free(db);
	db = NULL;
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

/* Start a server with these faults (spec and/or the faults file). */
static void start_with(const char *spec, bool use_file)
{
	struct srv_config cfg = {0};
	struct err e = {0};

	cfg.listen = "127.0.0.1:0";
	cfg.db_path = db;
	cfg.quiet = true;
	cfg.faults = spec;
	cfg.faults_file = use_file ? faults_file : NULL;
	server = srv_start(&cfg, &e);
	ck_assert_msg(server != NULL, "srv_start: %s", e.msg);
}

static void stop(void)
{
	srv_stop(server);
	server = NULL;
	unlink(faults_file);
}

static void write_faults(const char *text)
{
	FILE *f = fopen(faults_file, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

static size_t on_body(char *p, size_t size, size_t n, void *userdata)
{
	buf_add(userdata, p, size * n);
	return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *userdata)
{
	struct reply *r = userdata;
	size_t len = size * n, v;

	if (len > 13 && strncasecmp(p, "Retry-After: ", 13) == 0) {
		v = len - 13;
		while (v > 0 && (p[13 + v - 1] == '\r' || p[13 + v - 1] == '\n'))
			v--;
		if (v < sizeof r->retry_after) {
			memcpy(r->retry_after, p + 13, v);
			r->retry_after[v] = '\0';
		}
	}
	return len;
}

/* One request; a transport error is returned in r.rc, not asserted. */
static struct reply http(const char *method, const char *path, const char *token, const char *body)
{
	struct reply r;
	struct buf b;
	struct curl_slist *hdrs = NULL;
	CURL *c = curl_easy_init();
	char *url = xasprintf("%s%s", srv_url(server), path);
	char *auth = token ? xasprintf("Authorization: Bearer %s", token) : NULL;
	long long t0 = clock_ms();

	memset(&r, 0, sizeof r);
	buf_init(&b);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	if (auth)
		hdrs = curl_slist_append(hdrs, auth);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	if (body != NULL)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	r.rc = curl_easy_perform(c);
	r.ms = clock_ms() - t0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	r.body = buf_take(&b);
	r.json = json_tokener_parse(r.body);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	free(url);
	free(auth);
	return r;
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

static char *login(void)
{
	struct reply r =
	    http("POST", "/v1/login", NULL, "{\"clerk\":\"demo\",\"password\":\"secret\"}");
	char *token;

	ck_assert_msg(r.rc == CURLE_OK && r.status == 200, "login: %ld %s", r.status, r.body);
	token = xstrdup(jstr(r.json, "token"));
	reply_free(&r);
	return token;
}

static const char batch[] =
    "{\"events\":[{\"uuid\":\"" EVENT_UUID "\",\"case_id\":\"" CASE_ID "\",\"seq\":1,"
    "\"type\":\"created\",\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
    "\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":{"
    "\"case_no\":\"H001-03-20261125-0001\",\"item_code\":\"000101001000\","
    "\"item_name\":\"建筑垃圾处置许可\",\"applicant\":{\"name\":\"张三丰\"}}}]}";

/* The status of the one event in a push reply. */
static const char *event_status(struct reply *r)
{
	struct json_object *results;

	ck_assert_msg(r->rc == CURLE_OK && r->status == 200 && r->json != NULL, "push: %d %ld %s",
	              (int)r->rc, r->status, r->body);
	ck_assert(json_object_object_get_ex(r->json, "results", &results));
	return jstr(json_object_array_get_idx(results, 0), "status");
}

static void assert_fault_error(struct reply *r, long status)
{
	ck_assert_msg(r->rc == CURLE_OK && r->status == status, "want %ld: %d %ld %s", status,
	              (int)r->rc, r->status, r->body);
	ck_assert_ptr_nonnull(r->json);
	ck_assert_str_eq(jstr(r->json, "error"), "fault");
}

START_TEST(test_spec_syntax_is_checked)
{
	static const char *const good[] = {
	    "slow=5000:rate=1.0",
	    "status=500:rate=0.5",
	    "status=503:retry_after=2",
	    "drop_after_commit=1:rate=1.0",
	    "truncate=1",
	    "drop=1:path=/v1/events:count=3",
	    "status=500:path=/v1/events;slow=100:seed=7",
	    "",
	    "# comment only",
	};
	static const char *const bad[] = {
	    "status=99",           "slow=x",        "rate=1.5",   "rate=-0.1", "foo=1",
	    "drop=1:status=500",   "retry_after=2", "truncate=2", "path=v1",   "status",
	    "status=500:count=-1",
	};
	struct err e = {0};
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		ck_assert_msg(srv_faults_check(good[i], &e) == 0, "%s: %s", good[i], e.msg);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(srv_faults_check(bad[i], &e) != 0, "accepted bad spec %s", bad[i]);
}
END_TEST

START_TEST(test_a_bad_spec_stops_the_server_from_starting)
{
	struct srv_config cfg = {0};
	struct err e = {0};

	cfg.listen = "127.0.0.1:0";
	cfg.db_path = db;
	cfg.quiet = true;
	cfg.faults = "status=abc";
	ck_assert_ptr_null(srv_start(&cfg, &e));
	ck_assert_ptr_nonnull(strstr(e.msg, "status=abc"));
}
END_TEST

START_TEST(test_status_500_answers_every_request_but_health)
{
	struct reply r;

	start_with("status=500:rate=1.0", false);
	r = http("POST", "/v1/login", NULL, "{\"clerk\":\"demo\",\"password\":\"secret\"}");
	assert_fault_error(&r, 500);
	reply_free(&r);
	r = http("GET", "/v1/health", NULL, NULL);
	ck_assert_int_eq(r.status, 200);
	reply_free(&r);
	stop();
}
END_TEST

START_TEST(test_status_503_carries_retry_after)
{
	struct reply r;

	start_with("status=503:retry_after=2", false);
	r = http("GET", "/v1/cases?query=x", NULL, NULL);
	assert_fault_error(&r, 503);
	ck_assert_str_eq(r.retry_after, "2");
	reply_free(&r);
	stop();
}
END_TEST

START_TEST(test_path_prefix_limits_the_fault)
{
	char *token;
	struct reply r;

	start_with("status=500:path=/v1/events", false);
	token = login();
	r = http("POST", "/v1/events", token, batch);
	assert_fault_error(&r, 500);
	reply_free(&r);
	r = http("GET", "/v1/cases?query=x", token, NULL);
	ck_assert_int_eq(r.status, 200);
	reply_free(&r);
	free(token);
	stop();
}
END_TEST

START_TEST(test_slow_delays_the_answer)
{
	struct reply r;

	start_with("slow=300", false);
	r = http("GET", "/v1/cases", NULL, NULL);
	ck_assert_int_eq(r.status, 401);
	ck_assert_msg(r.ms >= 290, "answered after %lld ms", r.ms);
	reply_free(&r);
	r = http("GET", "/v1/health", NULL, NULL);
	ck_assert_msg(r.ms < 290, "health delayed %lld ms", r.ms);
	reply_free(&r);
	stop();
}
END_TEST

START_TEST(test_drop_after_commit_keeps_the_batch_and_a_retry_is_duplicate)
{
	char *token;
	struct reply r;

	write_faults("drop_after_commit=1:path=/v1/events");
	start_with(NULL, true);
	token = login();
	r = http("POST", "/v1/events", token, batch);
	ck_assert_msg(r.rc == CURLE_GOT_NOTHING, "curl: %s, status %ld", curl_easy_strerror(r.rc),
	              r.status);
	reply_free(&r);
	write_faults("");
	r = http("POST", "/v1/events", token, batch);
	ck_assert_str_eq(event_status(&r), "duplicate");
	reply_free(&r);
	free(token);
	stop();
}
END_TEST

START_TEST(test_drop_before_handling_changes_nothing)
{
	char *token;
	struct reply r;

	write_faults("drop=1:path=/v1/events");
	start_with(NULL, true);
	token = login();
	r = http("POST", "/v1/events", token, batch);
	ck_assert_int_eq(r.rc, CURLE_GOT_NOTHING);
	reply_free(&r);
	unlink(faults_file); /* no file and no spec: no faults */
	r = http("POST", "/v1/events", token, batch);
	ck_assert_str_eq(event_status(&r), "applied");
	reply_free(&r);
	free(token);
	stop();
}
END_TEST

START_TEST(test_truncate_sends_half_a_body_after_committing)
{
	char *token;
	struct reply r;
	size_t len;

	start_with("truncate=1:path=/v1/events:count=1", false);
	token = login();
	r = http("POST", "/v1/events", token, batch);
	ck_assert_int_eq(r.rc, CURLE_OK);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_null(r.json);
	len = strlen(r.body);
	ck_assert_msg(len > 10 && strncmp(r.body, "{\"results\":[", 12) == 0, "%s", r.body);
	reply_free(&r);
	r = http("POST", "/v1/events", token, batch);
	ck_assert_str_eq(event_status(&r), "duplicate");
	reply_free(&r);
	free(token);
	stop();
}
END_TEST

START_TEST(test_count_limits_how_often_a_rule_fires)
{
	struct reply r;
	int i;

	start_with("status=500:count=2", false);
	for (i = 0; i < 3; i++) {
		r = http("GET", "/v1/cases", NULL, NULL);
		ck_assert_int_eq(r.status, i < 2 ? 500 : 401);
		reply_free(&r);
	}
	stop();
}
END_TEST

/* The statuses of n requests, as a string of 'F' (fault) and '.'. */
static char *fault_pattern(const char *spec, int n)
{
	char *p = xcalloc((size_t)n + 1, 1);
	struct reply r;
	int i;

	start_with(spec, false);
	for (i = 0; i < n; i++) {
		r = http("GET", "/v1/cases", NULL, NULL);
		p[i] = r.status == 500 ? 'F' : '.';
		reply_free(&r);
	}
	stop();
	return p;
}

START_TEST(test_rate_is_a_seeded_fraction)
{
	char *a = fault_pattern("status=500:rate=0.5:seed=42", 100);
	char *b = fault_pattern("status=500:rate=0.5:seed=42", 100);
	char *c = fault_pattern("status=500:rate=0.5:seed=43", 100);
	int i, faults = 0;

	for (i = 0; i < 100; i++)
		faults += a[i] == 'F';
	ck_assert_msg(faults >= 30 && faults <= 70, "%d faults of 100", faults);
	ck_assert_str_eq(a, b);
	ck_assert_str_ne(a, c);
	free(a);
	free(b);
	free(c);
}
END_TEST

START_TEST(test_faults_file_switches_faults_at_runtime)
{
	struct reply r;

	start_with("status=503:retry_after=1", true);
	r = http("GET", "/v1/cases", NULL, NULL);
	ck_assert_int_eq(r.status, 503); /* no file: the spec applies */
	reply_free(&r);
	write_faults("status=502\n");
	r = http("GET", "/v1/cases", NULL, NULL);
	ck_assert_int_eq(r.status, 502);
	reply_free(&r);
	write_faults("");
	r = http("GET", "/v1/cases", NULL, NULL);
	ck_assert_int_eq(r.status, 401); /* empty file: no faults */
	reply_free(&r);
	write_faults("status=oops");
	r = http("GET", "/v1/cases", NULL, NULL);
	ck_assert_int_eq(r.status, 401); /* a bad file: no faults, said on stderr */
	reply_free(&r);
	stop();
}
END_TEST

START_TEST(test_the_binary_takes_faults_from_its_environment)
{
	struct err e = {0};
	struct tbserver *s;
	char *token, *body;
	long status = 0;

	setenv("TONGBAND_FAULTS", "status=503:retry_after=2:path=/v1/events", 1);
	s = tbserver_start(&e);
	unsetenv("TONGBAND_FAULTS");
	ck_assert_msg(s != NULL, "%s", e.msg);
	token = tbserver_login(s, TBSERVER_CLERK, TBSERVER_PASSWORD, &e);
	ck_assert_msg(token != NULL, "%s", e.msg);
	body = tbserver_request(s, "POST", "/v1/events", token, "{\"events\":[]}", &status, &e);
	ck_assert_msg(body != NULL, "%s", e.msg);
	ck_assert_int_eq(status, 503);
	ck_assert_ptr_nonnull(strstr(body, "\"fault\""));
	free(body);
	free(token);
	tbserver_free(s);
}
END_TEST

static Suite *fault_suite(void)
{
	Suite *s = suite_create("server_fault");
	TCase *tc = tcase_create("fault");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup_dir, remove_dir);
	tcase_add_test(tc, test_spec_syntax_is_checked);
	tcase_add_test(tc, test_a_bad_spec_stops_the_server_from_starting);
	tcase_add_test(tc, test_status_500_answers_every_request_but_health);
	tcase_add_test(tc, test_status_503_carries_retry_after);
	tcase_add_test(tc, test_path_prefix_limits_the_fault);
	tcase_add_test(tc, test_slow_delays_the_answer);
	tcase_add_test(tc, test_drop_after_commit_keeps_the_batch_and_a_retry_is_duplicate);
	tcase_add_test(tc, test_drop_before_handling_changes_nothing);
	tcase_add_test(tc, test_truncate_sends_half_a_body_after_committing);
	tcase_add_test(tc, test_count_limits_how_often_a_rule_fires);
	tcase_add_test(tc, test_rate_is_a_seeded_fraction);
	tcase_add_test(tc, test_faults_file_switches_faults_at_runtime);
	tcase_add_test(tc, test_the_binary_takes_faults_from_its_environment);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = tbcheck_run(fault_suite());
	curl_global_cleanup();
	return rc;
}
