/*
 * bench_server.c - how fast is a real tongband?
 *
 * Starts the tongband binary ($TONGBAND_BIN, else build/tongband) on a
 * scratch database through tests/harness/tbserver.h and measures, from
 * several threads with one keep-alive libcurl handle each:
 *
 *   1. POST /v1/events with batches of 100 new cases ("created" events):
 *      batches/s and events/s (every batch is durable before its answer);
 *   2. GET /v1/cases?query=CASE_NO (an exact case number): requests/s;
 *   3. GET /v1/cases?query=NAME_PART (a name every case has, so each
 *      answer holds the 200 newest): requests/s.
 *
 * Usage: bench_server [--threads N] [--seconds S]   (defaults 4 and 5)
 * Exits 1 if the server does not start or any request fails.
 */
#include <curl/curl.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "tbserver.h"

#define BATCH 100

struct bench {
	struct tbserver *server;
	char token[80];
	int threads;
	long long seconds;
};

enum phase { PHASE_PUSH, PHASE_BY_NUMBER, PHASE_BY_NAME };

struct worker {
	const struct bench *b;
	enum phase phase;
	int id;
	long requests;
	long events;
	long failures;
	long long worst_ms;
};

static size_t discard(char *p, size_t size, size_t n, void *userdata)
{
	(void)p;
	(void)userdata;
	return size * n;
}

/* A batch of BATCH created events for cases (thread, first..first+BATCH). */
static char *make_batch(int thread, long first)
{
	struct buf b;
	long k;

	buf_init(&b);
	buf_adds(&b, "{\"events\":[");
	for (k = first; k < first + BATCH; k++) {
		char *ev = xasprintf(
		    "%s{\"uuid\":\"11111111-2222-4333-8%03d-%012ld\",\"case_id\":"
		    "\"aaaaaaaa-bbbb-4ccc-8%03d-%012ld\",\"seq\":1,\"type\":\"created\","
		    "\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\",\"client_time\":"
		    "\"2026-11-25T10:01:02+08:00\",\"payload\":{\"case_no\":\"B%03d-%08ld\","
		    "\"item_code\":\"000101001000\",\"item_name\":\"建筑垃圾处置许可\","
		    "\"applicant\":{\"name\":\"张三\",\"id_number\":\"11010519491231002X\","
		    "\"phone\":\"13800138000\"}}}",
		    k == first ? "" : ",", thread, k, thread, k, thread, k);

		buf_adds(&b, ev);
		free(ev);
	}
	buf_adds(&b, "]}");
	return buf_take(&b);
}

/* Perform the request set up on c; count it in w. */
static void perform(CURL *c, struct worker *w, long events)
{
	long long t0 = clock_ms(), ms;
	long status = 0;

	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	ms = clock_ms() - t0;
	if (ms > w->worst_ms)
		w->worst_ms = ms;
	if (status != 200) {
		w->failures++;
		return;
	}
	w->requests++;
	w->events += events;
}

static void *run_worker(void *arg)
{
	struct worker *w = arg;
	CURL *c = curl_easy_init();
	char *auth = xasprintf("Authorization: Bearer %s", w->b->token);
	struct curl_slist *hdrs =
	    curl_slist_append(curl_slist_append(NULL, "Content-Type: application/json"), auth);
	long long end = clock_ms() + w->b->seconds * 1000;
	long n = 0;

	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	while (clock_ms() < end) {
		char *url, *body = NULL;

		if (w->phase == PHASE_PUSH) {
			url = xasprintf("%s/v1/events", tbserver_url(w->b->server));
			body = make_batch(w->id, n * BATCH);
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		} else if (w->phase == PHASE_BY_NUMBER) {
			url = xasprintf("%s/v1/cases?query=B%03d-%08ld", tbserver_url(w->b->server),
			                w->id, (n * 37) % (BATCH * 10));
			curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
		} else {
			/* %E5%BC%A0%E4%B8%89 is 张三, in every applicant's name */
			url = xasprintf("%s/v1/cases?query=%%E5%%BC%%A0%%E4%%B8%%89",
			                tbserver_url(w->b->server));
			curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
		}
		curl_easy_setopt(c, CURLOPT_URL, url);
		perform(c, w, w->phase == PHASE_PUSH ? BATCH : 0);
		free(url);
		free(body);
		n++;
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	free(auth);
	return NULL;
}

/* Run one phase on every thread and print its figures.  Returns the
 * number of failed requests. */
static long run_phase(const struct bench *b, enum phase phase, const char *what)
{
	struct worker *w = xcalloc((size_t)b->threads, sizeof *w);
	pthread_t *t = xcalloc((size_t)b->threads, sizeof *t);
	long requests = 0, events = 0, failures = 0;
	long long start = clock_ms(), worst = 0, ms;
	int i;

	for (i = 0; i < b->threads; i++) {
		w[i] = (struct worker){.b = b, .phase = phase, .id = i};
		pthread_create(&t[i], NULL, run_worker, &w[i]);
	}
	for (i = 0; i < b->threads; i++) {
		pthread_join(t[i], NULL);
		requests += w[i].requests;
		events += w[i].events;
		failures += w[i].failures;
		worst = w[i].worst_ms > worst ? w[i].worst_ms : worst;
	}
	ms = clock_ms() - start;
	printf("%-44s %8.1f requests/s", what, requests * 1000.0 / (double)ms);
	if (events > 0)
		printf("  %9.1f events/s", events * 1000.0 / (double)ms);
	printf("  (%ld in %.1f s, slowest %lld ms, %ld failed)\n", requests, ms / 1000.0, worst,
	       failures);
	fflush(stdout);
	free(w);
	free(t);
	return failures;
}

static int parse_args(int argc, char **argv, struct bench *b)
{
	int i;

	b->threads = 4;
	b->seconds = 5;
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--threads") == 0)
			b->threads = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--seconds") == 0)
			b->seconds = atoi(argv[i + 1]);
		else
			break;
	}
	if (i != argc || b->threads < 1 || b->threads > 64 || b->seconds < 1) {
		fputs("usage: bench_server [--threads N] [--seconds S]\n", stderr);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* one address at full speed: not a hall, so without the per-address limit */
	const char *args[] = {"--requests-per-address", "0", NULL};
	struct bench b;
	struct err e = {0};
	char *token;
	long failures;

	if (parse_args(argc, argv, &b) != 0)
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	b.server = tbserver_start_args(args, &e);
	token = b.server ? tbserver_login(b.server, TBSERVER_CLERK, TBSERVER_PASSWORD, &e) : NULL;
	if (token == NULL) {
		fprintf(stderr, "bench_server: %s\n", e.msg);
		tbserver_free(b.server);
		return 1;
	}
	str_copy(b.token, sizeof b.token, token);
	free(token);
	printf("tongband bench: %s, %d threads, %lld s per phase, batches of %d events\n",
	       tbserver_bin(), b.threads, b.seconds, BATCH);
	failures = run_phase(&b, PHASE_PUSH, "POST /v1/events (100 new cases each)");
	failures += run_phase(&b, PHASE_BY_NUMBER, "GET /v1/cases?query=CASE_NO");
	failures += run_phase(&b, PHASE_BY_NAME, "GET /v1/cases?query=NAME_PART (<=200 hits)");
	tbserver_free(b.server);
	curl_global_cleanup();
	return failures == 0 ? 0 : 1;
}
