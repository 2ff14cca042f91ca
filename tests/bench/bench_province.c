/*
 * bench_province.c - a province's windows against tongband: 100 simulated
 * windows of 10 halls push cases as fast as they are answered, while each
 * hall's back office reads the changes feed, against
 *
 *   1. one tongband on SQLite,
 *   2. one tongband on PostgreSQL,
 *   3. three tongband processes on the same PostgreSQL (the windows and
 *      readers spread over them),
 *
 * each on a durable database (SQLite synchronous=FULL; a private
 * PostgreSQL cluster with fsync on, tests/harness/tbdb.h).  Figures:
 * durable events/s (events of answered pushes; every push is committed
 * before its answer), the push's latency, and the feed's latency: from a
 * window sending a case to its hall's reader seeing the case's change.
 *
 * Usage: bench_province [--windows N] [--seconds S]   (defaults 100 and 10)
 * Prints SKIPPED for PostgreSQL where it is not installed.  Exits 1 if a
 * server does not start or a request fails.
 */
#include <curl/curl.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/util.h"
#include "server/srv_auth.h"
#include "server/srv_store.h"
#include "tbdb.h"
#include "tbserver.h"

#define HALLS      10
#define PER_PUSH   5  /* cases (created events) a window pushes at once */
#define POLL_MS    20 /* how often a hall's reader asks for changes */
#define MAX_PROCS  3
#define MAX_SAMPLE 200000

struct run {
	struct tbserver *procs[MAX_PROCS];
	int n_procs;
	int windows;
	long long seconds;
	volatile int going;
	char (*tokens)[80]; /* a window's, then a hall's reader's */
	pthread_mutex_t lock;
	long long *push_ms, *feed_ms; /* samples */
	long n_push, n_feed, events, failures;
};

static long long wall_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void ms_sleep(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000};

	nanosleep(&t, NULL);
}

static size_t collect(char *p, size_t size, size_t n, void *userdata)
{
	buf_add(userdata, p, size * n);
	return size * n;
}

static void sample(struct run *r, long long *to, long *n, long long ms)
{
	pthread_mutex_lock(&r->lock);
	if (*n < MAX_SAMPLE)
		to[(*n)++] = ms;
	pthread_mutex_unlock(&r->lock);
}

/* A request of token on c; the answer's body (caller frees) or NULL. */
static char *request(CURL *c, const char *url, const char *token, const char *body)
{
	char *auth = xasprintf("Authorization: Bearer %s", token);
	struct curl_slist *h =
	    curl_slist_append(curl_slist_append(NULL, "Content-Type: application/json"), auth);
	long status = 0;
	struct buf b;

	buf_init(&b);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	if (body)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	else
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	free(auth);
	if (status != 200) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* Window w's clerk, hall and the process it talks to. */
static void window_of(int w, char clerk[16], char hall[8])
{
	snprintf(clerk, 16, "w%03d", w);
	snprintf(hall, 8, "P%03d", w % HALLS);
}

/* PER_PUSH created events of window w, its n-th push; their case numbers
 * carry the time they were sent, for the feed's reader. */
static char *make_push(int w, long n)
{
	char clerk[16], hall[8];
	long long sent = wall_ms();
	struct buf b;
	int k;

	window_of(w, clerk, hall);
	buf_init(&b);
	buf_adds(&b, "{\"events\":[");
	for (k = 0; k < PER_PUSH; k++) {
		long id = n * PER_PUSH + k;

		buf_printf(&b,
		           "%s{\"uuid\":\"11111111-2222-4333-8%03d-%012ld\",\"case_id\":"
		           "\"aaaaaaaa-bbbb-4ccc-8%03d-%012ld\",\"seq\":1,\"type\":\"created\","
		           "\"hall\":\"%s\",\"window\":\"%d\",\"clerk\":\"%s\",\"client_time\":"
		           "\"2026-11-25T10:01:02+08:00\",\"payload\":{\"case_no\":\"%s-%ld-%lld\","
		           "\"item_code\":\"000101001000\",\"item_name\":\"建筑垃圾处置许可\","
		           "\"applicant\":{\"name\":\"张三\",\"id_number\":\"11010519491231002X\","
		           "\"phone\":\"13800138000\"}}}",
		           k ? "," : "", w, id, w, id, hall, w, clerk, clerk, id, sent);
	}
	buf_adds(&b, "]}");
	return buf_take(&b);
}

struct actor {
	struct run *r;
	int n; /* window, or hall of a reader */
};

static void *window_main(void *arg)
{
	struct actor *a = arg;
	struct run *r = a->r;
	CURL *c = curl_easy_init();
	char *url = xasprintf("%s/v1/events", tbserver_url(r->procs[a->n % r->n_procs]));
	long n;

	for (n = 0; r->going; n++) {
		char *body = make_push(a->n, n), *answer;
		long long t0 = clock_ms();

		answer = request(c, url, r->tokens[a->n], body);
		if (answer != NULL && strstr(answer, "\"applied\"") != NULL) {
			sample(r, r->push_ms, &r->n_push, clock_ms() - t0);
			pthread_mutex_lock(&r->lock);
			r->events += PER_PUSH;
			pthread_mutex_unlock(&r->lock);
		} else if (r->going) {
			pthread_mutex_lock(&r->lock);
			r->failures++;
			pthread_mutex_unlock(&r->lock);
		}
		free(answer);
		free(body);
	}
	free(url);
	curl_easy_cleanup(c);
	return NULL;
}

/* The hall's reader: the feed after its cursor every POLL_MS; each case's
 * change is timed from when its window sent it. */
static void read_changes(struct run *r, const char *answer, long long *cursor)
{
	struct json_object *o = json_tokener_parse(answer), *list, *v;
	long long now = wall_ms();
	size_t i;

	if (json_object_object_get_ex(o, "next", &v))
		*cursor = json_object_get_int64(v);
	if (json_object_object_get_ex(o, "changes", &list))
		for (i = 0; i < json_object_array_length(list); i++) {
			const char *no = NULL, *dash;
			struct json_object *ch = json_object_array_get_idx(list, i);

			if (json_object_object_get_ex(ch, "case_no", &v))
				no = json_object_get_string(v);
			if (no != NULL && (dash = strrchr(no, '-')) != NULL && no[0] == 'w')
				sample(r, r->feed_ms, &r->n_feed, now - atoll(dash + 1));
		}
	json_object_put(o);
}

static void *reader_main(void *arg)
{
	struct actor *a = arg;
	struct run *r = a->r;
	CURL *c = curl_easy_init();
	const char *base = tbserver_url(r->procs[a->n % r->n_procs]);
	long long cursor = -1;

	while (r->going) {
		char *url, *answer;

		if (cursor < 0) { /* start from the end: only what is pushed from now on */
			url = xasprintf("%s/v1/changes?since=0&limit=1000", base);
			while ((answer = request(c, url, r->tokens[r->windows + a->n], NULL)) !=
			       NULL) {
				struct json_object *o = json_tokener_parse(answer), *v, *more;
				bool again = json_object_object_get_ex(o, "more", &more) &&
				             json_object_get_boolean(more);

				if (json_object_object_get_ex(o, "next", &v))
					cursor = json_object_get_int64(v);
				json_object_put(o);
				free(answer);
				free(url);
				url = xasprintf("%s/v1/changes?since=%lld&limit=1000", base,
				                cursor < 0 ? 0 : cursor);
				if (!again)
					break;
			}
			free(url);
			if (cursor < 0)
				cursor = 0;
			continue;
		}
		url = xasprintf("%s/v1/changes?since=%lld&limit=1000", base, cursor);
		answer = request(c, url, r->tokens[r->windows + a->n], NULL);
		if (answer != NULL)
			read_changes(r, answer, &cursor);
		free(answer);
		free(url);
		ms_sleep(POLL_MS);
	}
	curl_easy_cleanup(c);
	return NULL;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* "p50 A  p99 B  max C ms" of n samples. */
static void percentiles(long long *v, long n, char *out, size_t size)
{
	if (n == 0) {
		snprintf(out, size, "no samples");
		return;
	}
	qsort(v, (size_t)n, sizeof *v, cmp_ll);
	snprintf(out, size, "p50 %4lld  p99 %5lld  max %5lld ms", v[n / 2], v[n * 99 / 100],
	         v[n - 1]);
}

/* The accounts: a clerk for each window (window w of hall P00h) and a
 * back-office reader for each hall, all with one password hash (hashed
 * once: argon2 is slow on purpose). */
static int add_accounts(struct run *r, struct err *e)
{
	char hash[SRV_PWHASH_SIZE];
	struct srv_store *s;
	int i, rc = 0;

	if (srv_auth_init(e) < 0 || srv_auth_hash_password("bench", hash, e) < 0 ||
	    srv_store_open(&s, tbserver_db(r->procs[0]), e) < 0)
		return -1;
	for (i = 0; i < r->windows + HALLS && rc == 0; i++) {
		struct srv_user u;

		memset(&u, 0, sizeof u);
		if (i < r->windows) {
			window_of(i, u.id, u.hall);
			snprintf(u.window, sizeof u.window, "%d", i);
			str_copy(u.role, sizeof u.role, "clerk");
		} else {
			snprintf(u.id, sizeof u.id, "bo%d", i - r->windows);
			snprintf(u.hall, sizeof u.hall, "P%03d", i - r->windows);
			str_copy(u.window, sizeof u.window, "bo");
			str_copy(u.role, sizeof u.role, "backoffice");
			str_copy(u.dept, sizeof u.dept, "市城市管理和综合执法局");
		}
		str_copy(u.name, sizeof u.name, u.id);
		str_copy(u.hall_name, sizeof u.hall_name, u.hall);
		rc = srv_store_user_put(s, &u, hash, NULL, e);
	}
	srv_store_close(s);
	return rc;
}

/* Log every account in on its process. */
static int log_in(struct run *r, struct err *e)
{
	int i;

	for (i = 0; i < r->windows + HALLS; i++) {
		char id[16];
		char *token;

		if (i < r->windows)
			snprintf(id, sizeof id, "w%03d", i);
		else
			snprintf(id, sizeof id, "bo%d", i - r->windows);
		token = tbserver_login(r->procs[(i < r->windows ? i : i - r->windows) % r->n_procs],
		                       id, "bench", e);
		if (token == NULL)
			return -1;
		str_copy(r->tokens[i], sizeof r->tokens[i], token);
		free(token);
	}
	return 0;
}

static void stop_all(struct run *r)
{
	int i;

	for (i = r->n_procs - 1; i >= 0; i--)
		tbserver_free(r->procs[i]);
	memset(r->procs, 0, sizeof r->procs);
}

/* Start n_procs tongband processes on one new database of the backend
 * TONGBAND_TEST_BACKEND says.  0 or -1. */
static int start_all(struct run *r, int n_procs, struct err *e)
{
	static const char *const args[] = {"--threads",
	                                   "16",
	                                   "--requests-per-address",
	                                   "0",
	                                   "--logins-per-address",
	                                   "0",
	                                   "--connections-per-address",
	                                   "0",
	                                   NULL};
	int i;

	r->n_procs = n_procs;
	if ((r->procs[0] = tbserver_start_args(args, e)) == NULL || add_accounts(r, e) < 0)
		return -1;
	for (i = 1; i < n_procs; i++)
		if ((r->procs[i] = tbserver_start_beside(r->procs[0], args, e)) == NULL)
			return -1;
	return log_in(r, e);
}

/* One configuration, its figures on one line.  0, or -1 (a server did not
 * start, or requests failed). */
static int run_one(struct run *r, const char *what, int n_procs)
{
	struct actor *act = xcalloc((size_t)(r->windows + HALLS), sizeof *act);
	pthread_t *t = xcalloc((size_t)(r->windows + HALLS), sizeof *t);
	char push[80], feed[80];
	struct err e = {0};
	long long t0, ms;
	int i;

	r->n_push = r->n_feed = r->events = r->failures = 0;
	if (start_all(r, n_procs, &e) < 0) {
		fprintf(stderr, "bench_province: %s: %s\n", what, e.msg);
		stop_all(r);
		free(act);
		free(t);
		return -1;
	}
	r->going = 1;
	t0 = clock_ms();
	for (i = 0; i < r->windows + HALLS; i++) {
		act[i] = (struct actor){r, i < r->windows ? i : i - r->windows};
		pthread_create(&t[i], NULL, i < r->windows ? window_main : reader_main, &act[i]);
	}
	ms_sleep((long)r->seconds * 1000);
	r->going = 0;
	for (i = 0; i < r->windows + HALLS; i++)
		pthread_join(t[i], NULL);
	ms = clock_ms() - t0;
	percentiles(r->push_ms, r->n_push, push, sizeof push);
	percentiles(r->feed_ms, r->n_feed, feed, sizeof feed);
	printf("%-30s %8.0f events/s  push %s  feed %s  (%ld failed)\n", what,
	       r->events * 1000.0 / (double)ms, push, feed, r->failures);
	fflush(stdout);
	stop_all(r);
	free(act);
	free(t);
	return r->failures == 0 ? 0 : -1;
}

static int parse_args(int argc, char **argv, struct run *r)
{
	int i;

	r->windows = 100;
	r->seconds = 10;
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--windows") == 0)
			r->windows = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--seconds") == 0)
			r->seconds = atoi(argv[i + 1]);
		else
			break;
	}
	if (i != argc || r->windows < HALLS || r->windows > 999 || r->seconds < 1) {
		fputs("usage: bench_province [--windows N] [--seconds S]\n", stderr);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct run r;
	struct err e = {0};
	int rc = 0;

	memset(&r, 0, sizeof r);
	if (parse_args(argc, argv, &r) != 0)
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	pthread_mutex_init(&r.lock, NULL);
	r.tokens = xcalloc((size_t)(r.windows + HALLS), sizeof *r.tokens);
	r.push_ms = xcalloc(MAX_SAMPLE, sizeof *r.push_ms);
	r.feed_ms = xcalloc(MAX_SAMPLE, sizeof *r.feed_ms);
	printf("province bench: %d windows of %d halls, %d cases a push, readers every %d ms, "
	       "%lld s each\n",
	       r.windows, HALLS, PER_PUSH, POLL_MS, r.seconds);
	setenv("TONGBAND_TEST_BACKEND", "sqlite", 1);
	rc |= run_one(&r, "SQLite, 1 process", 1);
	setenv("TONGBAND_TEST_BACKEND", "postgresql", 1);
	setenv("TONGBAN_PG_DURABLE", "1", 1);
	unsetenv("TONGBAN_TEST_PG"); /* a cluster of its own, with fsync */
	if (tbdb_setup(&e) < 0) {
		printf("PostgreSQL                     SKIPPED: %s\n", e.msg);
	} else {
		rc |= run_one(&r, "PostgreSQL, 1 process", 1);
		rc |= run_one(&r, "PostgreSQL, 3 processes", 3);
	}
	free(r.tokens);
	free(r.push_ms);
	free(r.feed_ms);
	curl_global_cleanup();
	return rc == 0 ? 0 : 1;
}
