/*
 * test_server_processes.c - several tongband processes serving one
 * database at once, as a province runs them behind one address: a session
 * started on one is good on the others, identical batches racing to two
 * of them are applied once, a kill -9 of one loses nothing it acknowledged,
 * and (on PostgreSQL, where the processes share them) the waits after
 * failed logins count every process's attempts.  On SQLite and on
 * PostgreSQL (TONGBAND_TEST_BACKEND, tbdb.h).
 */
#include <check.h>
#include <json-c/json.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/util.h"
#include "tbcheck.h"
#include "tbdb.h"
#include "tbserver.h"

#define ITEM      "000101001000" /* 建筑垃圾处置许可, in data/catalogue.json */
#define CASES     12             /* per racing round */
#define ROUNDS    6
#define KILL_PUSH 40 /* batches a client sends around the kill -9 */

static struct tbserver *one, *two;

static void start_two(void)
{
	static const char *const args[] = {"--threads", "4", NULL};
	struct err e = {0};

	one = tbserver_start_args(args, &e);
	ck_assert_msg(one != NULL, "%s", e.msg);
	two = tbserver_start_beside(one, args, &e);
	ck_assert_msg(two != NULL, "%s", e.msg);
}

static void stop_two(void)
{
	tbserver_free(two);
	tbserver_free(one);
	two = one = NULL;
}

static char *login(struct tbserver *s)
{
	struct err e = {0};
	char *token = tbserver_login(s, TBSERVER_CLERK, TBSERVER_PASSWORD, &e);

	ck_assert_msg(token != NULL, "%s", e.msg);
	return token;
}

/* The created and accepted events of case k of round r, as a batch. */
static char *batch_of(int r, const int *ks, int n)
{
	struct buf b;
	int i;

	buf_init(&b);
	buf_adds(&b, "{\"events\":[");
	for (i = 0; i < n; i++) {
		int k = ks[i];

		buf_printf(&b,
		           "%s{\"uuid\":\"11111111-2222-4333-8444-%06d%06d\",\"case_id\":"
		           "\"aaaaaaaa-bbbb-4ccc-8ddd-%06d%06d\",\"seq\":1,\"type\":\"created\","
		           "\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
		           "\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":{"
		           "\"case_no\":\"H001-03-20261125-%02d%02d\",\"item_code\":\"" ITEM "\","
		           "\"item_name\":\"建筑垃圾处置许可\",\"applicant\":{\"name\":\"张三\"}}},"
		           "{\"uuid\":\"11111111-2222-4333-8444-%06d%06d\",\"case_id\":"
		           "\"aaaaaaaa-bbbb-4ccc-8ddd-%06d%06d\",\"seq\":2,\"type\":\"accepted\","
		           "\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
		           "\"client_time\":\"2026-11-25T10:02:00+08:00\",\"payload\":{}}",
		           i ? "," : "", r, 2 * k, r, k, r, k, r, 2 * k + 1, r, k);
	}
	buf_adds(&b, "]}");
	return buf_take(&b);
}

/* The statuses of a push's answer, one letter each: a(pplied), d(uplicate),
 * c(onflict), r(ejected); NULL when no answer came (status in *status). */
static char *push(struct tbserver *s, const char *token, const char *batch, long *status)
{
	struct err e = {0};
	char *body = tbserver_request(s, "POST", "/v1/events", token, batch, status, &e);
	struct json_object *o, *results;
	struct buf b;
	size_t i;

	if (body == NULL || *status != 200) {
		free(body);
		return NULL;
	}
	o = json_tokener_parse(body);
	free(body);
	buf_init(&b);
	if (json_object_object_get_ex(o, "results", &results))
		for (i = 0; i < json_object_array_length(results); i++) {
			struct json_object *st;

			json_object_object_get_ex(json_object_array_get_idx(results, i), "status",
			                          &st);
			buf_add(&b, json_object_get_string(st), 1);
		}
	json_object_put(o);
	return buf_take(&b);
}

/* How many events the server keeps of case k of round r (-1: no case). */
static long long events_of(int r, int k)
{
	char sql[160];
	struct err e = {0};
	long long n;

	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM events WHERE case_id = 'aaaaaaaa-bbbb-4ccc-8ddd-%06d%06d'",
	         r, k);
	n = tbdb_int(tbserver_db(one), sql, NULL, &e);
	ck_assert_msg(n >= 0, "%s", e.msg);
	return n;
}

/* A session started on one process is good on the other: sessions live in
 * the database. */
START_TEST(test_a_session_of_one_process_serves_on_another)
{
	char *token = login(one), *body;
	struct err e = {0};
	long status = 0;

	body = tbserver_request(two, "GET", "/v1/cases", token, NULL, &status, &e);
	ck_assert_msg(body != NULL && status == 200, "%ld %s", status, body ? body : e.msg);
	free(body);
	body = tbserver_request(two, "POST", "/v1/logout", token, NULL, &status, &e);
	ck_assert_msg(body != NULL && status == 200, "%ld %s", status, body ? body : e.msg);
	free(body);
	body = tbserver_request(one, "GET", "/v1/cases", token, NULL, &status, &e);
	ck_assert_msg(body != NULL && status == 401, "%ld %s", status, body ? body : e.msg);
	free(body);
	free(token);
}
END_TEST

struct racer {
	struct tbserver *s;
	const char *token, *batch;
	char *statuses;
	long status;
};

static void *race(void *arg)
{
	struct racer *r = arg;

	r->statuses = push(r->s, r->token, r->batch, &r->status);
	return NULL;
}

/* The same batch sent at once to two processes (a client retrying on
 * another address after a lost answer) is applied once: each event is
 * applied by one and a duplicate for the other. */
START_TEST(test_identical_batches_racing_to_two_processes_are_applied_once)
{
	char *t1 = login(one), *t2 = login(two);
	int ks[CASES], r, i;

	for (i = 0; i < CASES; i++)
		ks[i] = i;
	for (r = 0; r < ROUNDS; r++) {
		char *batch = batch_of(r, ks, CASES);
		struct racer a = {one, t1, batch, NULL, 0}, b = {two, t2, batch, NULL, 0};
		pthread_t ta, tb;

		ck_assert_int_eq(pthread_create(&ta, NULL, race, &a), 0);
		ck_assert_int_eq(pthread_create(&tb, NULL, race, &b), 0);
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		ck_assert_msg(a.statuses && b.statuses, "round %d: HTTP %ld and %ld", r, a.status,
		              b.status);
		ck_assert_uint_eq(strlen(a.statuses), 2 * CASES);
		ck_assert_uint_eq(strlen(b.statuses), 2 * CASES);
		for (i = 0; i < 2 * CASES; i++)
			ck_assert_msg((a.statuses[i] == 'a' && b.statuses[i] == 'd') ||
			                  (a.statuses[i] == 'd' && b.statuses[i] == 'a'),
			              "round %d event %d: %c and %c (%s / %s)", r, i, a.statuses[i],
			              b.statuses[i], a.statuses, b.statuses);
		for (i = 0; i < CASES; i++)
			ck_assert_int_eq(events_of(r, i), 2);
		free(a.statuses);
		free(b.statuses);
		free(batch);
	}
	ck_assert_int_eq(
	    tbdb_int(tbserver_db(one), "SELECT count(DISTINCT official_no) FROM cases", NULL, NULL),
	    ROUNDS * CASES);
	free(t1);
	free(t2);
}
END_TEST

/* A clerk's PC pushing one case a batch to the first process, and to the
 * second once the first is gone, sending again what was not answered. */
struct client {
	char *token1, *token2;
	volatile int acked; /* batches answered so far */
	int on_two;         /* from which batch on the second process served */
	char answered[KILL_PUSH];
	char why[256];
};

static void *client_main(void *arg)
{
	struct client *c = arg;
	int k;

	for (k = 0; k < KILL_PUSH; k++) {
		char *batch = batch_of(99, &k, 1), *st = NULL;
		long status = 0;
		int tries;

		for (tries = 0; st == NULL && tries < 200; tries++) {
			bool first = c->on_two < 0;

			st = push(first ? one : two, first ? c->token1 : c->token2, batch, &status);
			if (st == NULL && first)
				c->on_two =
				    k; /* the first is gone: the same batch again, elsewhere */
		}
		free(batch);
		if (st == NULL || strspn(st, "ad") != 2) {
			snprintf(c->why, sizeof c->why, "batch %d: %s (HTTP %ld)", k,
			         st ? st : "none", status);
			free(st);
			return NULL;
		}
		c->answered[k] = 1;
		c->acked++;
		free(st);
	}
	return NULL;
}

/* kill -9 of a process while a client pushes to it: every batch it
 * answered is kept, and the batch it left unanswered, sent again to the
 * other, is kept once. */
START_TEST(test_a_kill_9_of_one_process_loses_nothing_it_acknowledged)
{
	struct client c = {login(one), login(two), 0, -1, {0}, ""};
	pthread_t t;
	int k;

	ck_assert_int_eq(pthread_create(&t, NULL, client_main, &c), 0);
	while (c.acked < KILL_PUSH / 4 && c.why[0] == '\0')
		sched_yield();
	ck_assert_int_eq(kill(tbserver_pid(one), SIGKILL), 0);
	pthread_join(t, NULL);
	ck_assert_msg(c.why[0] == '\0', "%s", c.why);
	ck_assert_msg(c.on_two > 0, "the first process was never missed");
	for (k = 0; k < KILL_PUSH; k++) {
		ck_assert_msg(c.answered[k], "batch %d never answered", k);
		ck_assert_msg(events_of(99, k) == 2, "case %d keeps %lld events", k,
		              events_of(99, k));
	}
	free(c.token1);
	free(c.token2);
}
END_TEST

/* PostgreSQL: the waits after failed logins are the database's, so
 * failures on one process slow the next attempt on another (three
 * failures on the first make the fourth wait, whichever process it
 * reaches; with a table per process the other would admit three more). */
START_TEST(test_failed_logins_on_one_process_slow_the_next_on_another)
{
	static const char body[] = "{\"clerk\":\"demo\",\"password\":\"wrong\"}";
	struct err e = {0};
	long status = 0;
	int i, delayed = 0;
	char *r;

	for (i = 0; i < 3; i++) {
		r = tbserver_request(one, "POST", "/v1/login", NULL, body, &status, &e);
		ck_assert_msg(r != NULL && status == 401, "%ld %s", status, r ? r : e.msg);
		free(r);
	}
	for (i = 0; i < 3 && !delayed; i++) {
		r = tbserver_request(two, "POST", "/v1/login", NULL, body, &status, &e);
		ck_assert_msg(r != NULL, "%s", e.msg);
		delayed = status == 429 && strstr(r, "login_delayed") != NULL;
		free(r);
	}
	ck_assert_msg(delayed, "the second process admitted 3 more attempts");
}
END_TEST

static Suite *processes_suite(void)
{
	Suite *s = suite_create("server_processes");
	TCase *tc = tcase_create("processes");

	tcase_set_timeout(tc, 180);
	tcase_add_checked_fixture(tc, start_two, stop_two);
	tcase_add_test(tc, test_a_session_of_one_process_serves_on_another);
	tcase_add_test(tc, test_identical_batches_racing_to_two_processes_are_applied_once);
	tcase_add_test(tc, test_a_kill_9_of_one_process_loses_nothing_it_acknowledged);
	if (tbdb_is_postgresql()) /* one SQLite server keeps them in memory (srv_logindelay.h) */
		tcase_add_test(tc, test_failed_logins_on_one_process_slow_the_next_on_another);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	return tbcheck_run(processes_suite());
}
