/*
 * test_server_fuzz.c - tongband against hostile bodies over real HTTP.
 *
 * A server started in-process (so the sanitizers see its code) gets 2,000
 * random and mutated bodies, from 4 threads, with a fixed seed: 1,600 to
 * POST /v1/events and 400 to POST /v1/login.  It must answer every one with
 * a JSON body and a 2xx or 4xx status, stay up, and change nothing but
 * what it said it applied: the events stored at the end are exactly the
 * ones the 200 answers reported "applied".
 */
#include <check.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/util.h"
#include "server/srv_admin.h"
#include "server/srv_http.h"
#include "tbcheck.h"
#include "tbdb.h"

#define FUZZ_SEED    20261125u
#define FUZZ_THREADS 4
#define FUZZ_EVENTS  1600
#define FUZZ_LOGINS  400

static char dir[] = "/tmp/tongband-fuzz-XXXXXX";
static char *db; /* tbdb.h */
static struct srv *server;
static char token[80];

/* xorshift32: the same bodies on every run. */
static uint32_t next_rand(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static size_t below(uint32_t *st, size_t n)
{
	return n == 0 ? 0 : next_rand(st) % n;
}

/* A valid batch of two events of a fresh case (unique per k). */
static char *seed_batch(unsigned k)
{
	return xasprintf(
	    "{\"events\":[{\"uuid\":\"11111111-2222-4333-8444-%012u\",\"case_id\":"
	    "\"aaaaaaaa-bbbb-4ccc-8ddd-%012u\",\"seq\":1,\"type\":\"created\",\"hall\":\"H001\","
	    "\"window\":\"3\",\"clerk\":\"demo\",\"client_time\":\"2026-11-25T10:01:02+08:00\","
	    "\"payload\":{\"case_no\":\"H001-03-20261125-0001\",\"item_code\":\"000101001000\","
	    "\"item_name\":\"测试\",\"applicant\":{\"name\":\"张三\",\"id_number\":"
	    "\"11010519491231002X\"}}},{\"uuid\":\"11111111-2222-4333-8444-%012u\","
	    "\"case_id\":\"aaaaaaaa-bbbb-4ccc-8ddd-%012u\",\"seq\":2,\"type\":\"accepted\","
	    "\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\",\"client_time\":"
	    "\"2026-11-25T10:02:00+08:00\",\"payload\":{}}]}",
	    k, k, k + 500000u, k);
}

/* A copy of n bytes (NUL bytes included).  Caller frees. */
static char *dup_bytes(const char *p, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

static const char *const snippets[] = {
    "{",
    "}",
    "[",
    "]",
    "\"",
    ",",
    ":",
    "\\",
    "\\u0000",
    "\\ud800",
    "null",
    "true",
    "1e999",
    "-0",
    "1.5",
    "99999999999999999999999",
    "\xff",
    "\xc0\xaf",
    "\xe2\x82",
    "\xf4\x90\x80\x80",
    "\x00",
    "'",
    "\"seq\":0",
    "\"seq\":-1",
    "\"type\":\"decided\"",
    "\"hall\":\"H002\"",
    "\"events\":{}",
    "\"payload\":[]",
    "/*x*/",
    "\t\r\n",
};

/* Mutate body (len bytes) in place or into a new buffer; returns it and
 * its length in *n.  Caller frees. */
static char *mutate(uint32_t *st, char *body, size_t len, size_t *n)
{
	struct buf b;
	size_t at = below(st, len + 1), k, rounds = 1 + below(st, 4);

	buf_init(&b);
	buf_add(&b, body, len);
	free(body);
	while (rounds-- > 0) {
		at = below(st, b.len + 1);
		switch (below(st, 7)) {
		case 0: /* flip a byte */
			if (b.len > 0)
				b.data[below(st, b.len)] ^= (char)(1u << below(st, 8));
			break;
		case 1: /* insert a snippet */ {
			const char *sn = snippets[below(st, sizeof snippets / sizeof snippets[0])];
			size_t sl = sn[0] == '\0' ? 1 : strlen(sn);
			char *tail = dup_bytes(b.data + at, b.len - at);
			size_t tl = b.len - at;

			b.len = at;
			buf_add(&b, sn, sl);
			buf_add(&b, tail, tl);
			free(tail);
			break;
		}
		case 2: /* cut the end */
			b.len = at;
			break;
		case 3: /* delete a range */
			k = below(st, b.len - at + 1);
			memmove(b.data + at, b.data + at + k, b.len - at - k);
			b.len -= k;
			break;
		case 4: /* random bytes */
			for (k = below(st, 16); k > 0 && b.len > 0; k--)
				b.data[below(st, b.len)] = (char)next_rand(st);
			break;
		case 5: /* deep nesting in front */
			k = 1 + below(st, 200);
			{
				char *all = dup_bytes(b.data, b.len);
				size_t al = b.len, i;

				b.len = 0;
				for (i = 0; i < k; i++)
					buf_add(&b, "[", 1);
				buf_add(&b, all, al);
				free(all);
			}
			break;
		default: /* a long string */
			if (at < b.len && b.data[at] == '"') {
				char *tail = dup_bytes(b.data + at, b.len - at);
				size_t tl = b.len - at;

				b.len = at + 1;
				for (k = 0; k < 5000; k++)
					buf_add(&b, "x", 1);
				buf_add(&b, tail, tl);
				free(tail);
			}
		}
	}
	*n = b.len;
	buf_add(&b, "", 1); /* a NUL after the data, for printing */
	return buf_take(&b);
}

struct worker {
	unsigned id;
	int bad_status;  /* answers outside 2xx/4xx, or not JSON */
	char bad[512];   /* the first of them */
	long applied;    /* events the 200 answers called applied */
	long answers[6]; /* by status class */
};

static size_t on_body(char *p, size_t size, size_t n, void *userdata)
{
	buf_add(userdata, p, size * n);
	return size * n;
}

static long count_applied(struct json_object *o)
{
	struct json_object *results, *st;
	long n = 0;
	size_t i;

	if (!json_object_object_get_ex(o, "results", &results))
		return 0;
	for (i = 0; i < json_object_array_length(results); i++) {
		json_object_object_get_ex(json_object_array_get_idx(results, i), "status", &st);
		n += strcmp(json_object_get_string(st), "applied") == 0;
	}
	return n;
}

/* Send one body; account for the answer in w. */
static void send_one(CURL *c, struct worker *w, const char *path, const char *body, size_t len,
                     struct curl_slist *hdrs)
{
	char *url = xasprintf("%s%s", srv_url(server), path);
	struct json_object *o;
	struct buf b;
	long status = 0;
	CURLcode rc;

	buf_init(&b);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	buf_add(&b, "", 1);
	o = json_tokener_parse(b.data);
	if (rc == CURLE_OK && status >= 200 && status < 500 && o != NULL) {
		w->answers[status / 100]++;
		if (status == 200 && strcmp(path, "/v1/events") == 0)
			w->applied += count_applied(o);
	} else if (w->bad_status++ == 0) {
		snprintf(w->bad, sizeof w->bad, "%s: curl %d, HTTP %ld: %.200s (body %.200s)", path,
		         (int)rc, status, b.data, body);
	}
	json_object_put(o);
	buf_free(&b);
	free(url);
}

static void *fuzz_worker(void *arg)
{
	struct worker *w = arg;
	uint32_t st = FUZZ_SEED + w->id * 7919u;
	CURL *c = curl_easy_init();
	char *auth = xasprintf("Authorization: Bearer %s", token);
	struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	struct curl_slist *auth_hdrs =
	    curl_slist_append(curl_slist_append(NULL, "Content-Type: application/json"), auth);
	unsigned i, k;
	size_t n;
	char *body;

	for (i = 0; i < FUZZ_EVENTS / FUZZ_THREADS; i++) {
		k = w->id * 100000u + i;
		body = seed_batch(k);
		body = mutate(&st, body, strlen(body), &n);
		send_one(c, w, "/v1/events", body, n, auth_hdrs);
		free(body);
	}
	for (i = 0; i < FUZZ_LOGINS / FUZZ_THREADS; i++) {
		body = xstrdup(i % 2 ? "{\"clerk\":\"demo\",\"password\":\"wrong\"}"
		                     : "{\"clerk\":\"nobody\",\"password\":\"secret\"}");
		body = mutate(&st, body, strlen(body), &n);
		send_one(c, w, "/v1/login", body, n, hdrs);
		free(body);
	}
	curl_slist_free_all(hdrs);
	curl_slist_free_all(auth_hdrs);
	curl_easy_cleanup(c);
	free(auth);
	return NULL;
}

static void setup(void)
{
	struct srv_config cfg = {0};
	struct srv_user u;
	struct err e = {0};
	struct json_object *o, *t;
	struct buf b;
	CURL *c;
	const char *src = getenv("TONGBAN_SRCDIR");
	char *url, *catalogue = xasprintf("%s/data/catalogue.json", src ? src : "."), *version;
	bool unchanged;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	db = tbdb_new(dir, "fuzz", NULL);
	ck_assert_ptr_nonnull(db);
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
	cfg.listen = "127.0.0.1:0";
	cfg.db_path = db;
	cfg.quiet = true;
	cfg.requests_per_address = -1; /* 2,000 requests as fast as they go */
	server = srv_start(&cfg, &e);
	ck_assert_msg(server != NULL, "%s", e.msg);
	c = curl_easy_init();
	url = xasprintf("%s/v1/login", srv_url(server));
	buf_init(&b);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{\"clerk\":\"demo\",\"password\":\"secret\"}");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
	buf_add(&b, "", 1);
	o = json_tokener_parse(b.data);
	ck_assert(json_object_object_get_ex(o, "token", &t));
	str_copy(token, sizeof token, json_object_get_string(t));
	json_object_put(o);
	buf_free(&b);
	free(url);
	curl_easy_cleanup(c);
}

static void teardown(void)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	srv_stop(server);
	tbdb_remove(db);
	free(db);
	db = NULL;
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static long stored_events(void)
{
	struct err e = {0};
	long n = (long)tbdb_int(db, "SELECT count(*) FROM events", NULL, &e);

	ck_assert_msg(n >= 0, "%s", e.msg);
	return n;
}

START_TEST(test_2000_hostile_bodies_get_only_2xx_or_4xx_and_change_only_what_was_applied)
{
	struct worker w[FUZZ_THREADS];
	pthread_t t[FUZZ_THREADS];
	long applied = 0, ok = 0, refused = 0;
	char *health = xasprintf("%s/v1/health", srv_url(server));
	CURL *c = curl_easy_init();
	long status = 0;
	struct buf hb;
	unsigned i;

	buf_init(&hb);
	memset(w, 0, sizeof w);
	for (i = 0; i < FUZZ_THREADS; i++) {
		w[i].id = i;
		ck_assert_int_eq(pthread_create(&t[i], NULL, fuzz_worker, &w[i]), 0);
	}
	for (i = 0; i < FUZZ_THREADS; i++) {
		pthread_join(t[i], NULL);
		ck_assert_msg(w[i].bad_status == 0, "%d bad answers; first: %s", w[i].bad_status,
		              w[i].bad);
		applied += w[i].applied;
		ok += w[i].answers[2];
		refused += w[i].answers[4];
	}
	ck_assert_int_eq(ok + refused, FUZZ_EVENTS + FUZZ_LOGINS);
	/* the mutations must exercise both paths to mean anything */
	ck_assert_msg(applied > 50 && refused > 500, "applied %ld, refused %ld", applied, refused);
	ck_assert_int_eq(stored_events(), applied);
	curl_easy_setopt(c, CURLOPT_URL, health);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &hb);
	ck_assert_int_eq(curl_easy_perform(c), CURLE_OK);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	ck_assert_int_eq(status, 200);
	curl_easy_cleanup(c);
	buf_free(&hb);
	free(health);
}
END_TEST

static Suite *fuzz_suite(void)
{
	Suite *s = suite_create("server_fuzz");
	TCase *tc = tcase_create("fuzz");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(
	    tc, test_2000_hostile_bodies_get_only_2xx_or_4xx_and_change_only_what_was_applied);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = tbcheck_run(fuzz_suite());
	curl_global_cleanup();
	return rc;
}
