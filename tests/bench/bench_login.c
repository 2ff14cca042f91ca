/*
 * bench_login.c - logins under a flood, and whether the rest of tongband
 * still answers.
 *
 * Starts the tongband binary ($TONGBAND_BIN, else build/tongband) through
 * tests/harness/tbserver.h with its default limits, then:
 *
 *   1. GET /v1/health alone, one request at a time: latency p50/p90/p99;
 *   2. a login flood: N clients (16), each from its own loopback address
 *      (127.0.0.70...), log in with the right password as fast as they can
 *      (a refusal, 429 or 503, is retried after 10 ms), while one more
 *      client keeps asking GET /v1/health: logins/s that succeeded, the
 *      refusals, and the latency of health during the flood.
 *
 * Usage: bench_login [--clients N] [--seconds S]   (defaults 16 and 10)
 * Runs against any tongband (no option of its own is needed), so the same
 * figures can be taken of an older one.  Exits 1 only if the server does
 * not start or health never answers.
 */
#include <curl/curl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "tbserver.h"

#define MAX_CLIENTS 64
#define MAX_SAMPLES 200000

struct bench {
	struct tbserver *server;
	int clients;
	long long seconds;
};

struct flooder {
	const struct bench *b;
	char src[32];
	long long end_ms;
	long ok, limited, busy, other;
};

struct samples {
	long long *us;
	size_t n;
	long failures;
};

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void poll_ms(int ms)
{
	poll(NULL, 0, ms);
}

static size_t discard(char *p, size_t size, size_t n, void *userdata)
{
	(void)p;
	(void)userdata;
	return size * n;
}

/* A handle for url from source address src (NULL: any). */
static CURL *handle(const char *url, const char *src)
{
	CURL *c = curl_easy_init();

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	if (src != NULL)
		curl_easy_setopt(c, CURLOPT_INTERFACE, src);
	return c;
}

static void *flood(void *arg)
{
	struct flooder *f = arg;
	char *url = xasprintf("%s/v1/login", tbserver_url(f->b->server));
	CURL *c = handle(url, f->src);
	struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	long status;

	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS,
	                 "{\"clerk\":\"" TBSERVER_CLERK "\",\"password\":\"" TBSERVER_PASSWORD
	                 "\"}");
	while (clock_ms() < f->end_ms) {
		status = 0;
		if (curl_easy_perform(c) == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		if (status == 200) {
			f->ok++;
			continue;
		}
		if (status == 429)
			f->limited++;
		else if (status == 503)
			f->busy++;
		else
			f->other++;
		poll_ms(10);
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	free(url);
	return NULL;
}

/* GET /v1/health one at a time until end_ms, from 127.0.0.2. */
static void sample_health(const struct bench *b, long long end_ms, struct samples *s)
{
	char *url = xasprintf("%s/v1/health", tbserver_url(b->server));
	CURL *c = handle(url, "127.0.0.2");
	long long t0;
	long status;

	s->n = 0;
	s->failures = 0;
	while (clock_ms() < end_ms && s->n < MAX_SAMPLES) {
		status = 0;
		t0 = now_us();
		if (curl_easy_perform(c) == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		if (status == 200)
			s->us[s->n++] = now_us() - t0;
		else
			s->failures++;
		poll_ms(5);
	}
	curl_easy_cleanup(c);
	free(url);
}

static int compare_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static double pct_ms(const struct samples *s, double p)
{
	size_t i = (size_t)(p * (double)(s->n - 1));

	return s->us[i] / 1000.0;
}

static void print_latency(const char *what, struct samples *s)
{
	if (s->n == 0) {
		printf("%-40s no answer (%ld failed)\n", what, s->failures);
		return;
	}
	qsort(s->us, s->n, sizeof s->us[0], compare_ll);
	printf("%-40s p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms  (%zu requests, "
	       "%ld failed)\n",
	       what, pct_ms(s, 0.50), pct_ms(s, 0.90), pct_ms(s, 0.99), pct_ms(s, 1.0), s->n,
	       s->failures);
	fflush(stdout);
}

/* The flood and, meanwhile, health's latency into s. */
static void run_flood(const struct bench *b, struct samples *s)
{
	struct flooder f[MAX_CLIENTS];
	pthread_t t[MAX_CLIENTS];
	long long start = clock_ms(), end = start + b->seconds * 1000;
	long ok = 0, limited = 0, busy = 0, other = 0;
	int i;

	for (i = 0; i < b->clients; i++) {
		memset(&f[i], 0, sizeof f[i]);
		f[i].b = b;
		f[i].end_ms = end;
		snprintf(f[i].src, sizeof f[i].src, "127.0.0.%d", 70 + i);
		pthread_create(&t[i], NULL, flood, &f[i]);
	}
	sample_health(b, end, s);
	for (i = 0; i < b->clients; i++) {
		pthread_join(t[i], NULL);
		ok += f[i].ok;
		limited += f[i].limited;
		busy += f[i].busy;
		other += f[i].other;
	}
	printf("login flood, %2d clients                  %7.1f logins/s  (%ld in %.1f s; "
	       "refused: %ld 429, %ld 503, %ld other)\n",
	       b->clients, ok * 1000.0 / (double)(clock_ms() - start), ok,
	       (clock_ms() - start) / 1000.0, limited, busy, other);
	print_latency("GET /v1/health during the flood", s);
}

static int parse_args(int argc, char **argv, struct bench *b)
{
	int i;

	b->clients = 16;
	b->seconds = 10;
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--clients") == 0)
			b->clients = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--seconds") == 0)
			b->seconds = atoi(argv[i + 1]);
		else
			break;
	}
	if (i != argc || b->clients < 1 || b->clients > MAX_CLIENTS || b->seconds < 1) {
		fputs("usage: bench_login [--clients N] [--seconds S]\n", stderr);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct bench b;
	struct err e = {0};
	struct samples s;
	int rc = 0;

	if (parse_args(argc, argv, &b) != 0)
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	b.server = tbserver_start(&e);
	if (b.server == NULL) {
		fprintf(stderr, "bench_login: %s\n", e.msg);
		return 1;
	}
	s.us = xcalloc(MAX_SAMPLES, sizeof *s.us);
	printf("tongband bench: %s, %d login clients, %lld s\n", tbserver_bin(), b.clients,
	       b.seconds);
	sample_health(&b, clock_ms() + 3000, &s);
	print_latency("GET /v1/health, idle", &s);
	rc = s.n == 0;
	if (rc == 0) {
		run_flood(&b, &s);
		rc = s.n == 0;
	}
	free(s.us);
	tbserver_free(b.server);
	curl_global_cleanup();
	return rc;
}
