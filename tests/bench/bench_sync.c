/*
 * tests/bench/bench_sync.c - how long the client takes to push N waiting
 * events and to pull N changes, on loopback against a real tongband
 * ($TONGBAND_BIN, started by the test harness).  N is $BENCH_N, default
 * 10000.  Not a test: it prints figures and exits 0 unless something failed.
 *
 *   TONGBAND_BIN=build/tongband build/tests/bench/bench_sync
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "sync/login.h"
#include "sync/sync.h"
#include "tbfixture.h"
#include "tbserver.h"
#include "tmpdir.h"

static int fail(const char *what, const char *msg)
{
	fprintf(stderr, "bench_sync: %s: %s\n", what, msg);
	return EXIT_FAILURE;
}

static void report(const char *what, int n, long long ms)
{
	double s = (double)ms / 1000.0;

	printf("%-34s %6d in %7.2f s  = %8.0f /s\n", what, n, s, s > 0 ? n / s : 0.0);
}

/* n cases, each accepted at the counter (one transaction each, two events). */
static int make_cases(struct store *st, const struct clerk *c, int n, char (*ids)[40],
                      struct err *e)
{
	struct tbfixture fx;
	int i;

	if (tbfixture_open(&fx, st, c, e) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		struct case_row row;

		if (tbfixture_case(&fx, &decision_accept, TBFIX_ITEM, "测试", &row, e) < 0) {
			tbfixture_close(&fx);
			return -1;
		}
		memcpy(ids[i], row.id, sizeof row.id);
	}
	tbfixture_close(&fx);
	return 0;
}

static char *backoffice(struct tbserver *srv, struct err *e)
{
	char cmd[2048];
	FILE *f;

	snprintf(cmd, sizeof cmd,
	         "'%s' useradd --db '%s' --id bo --name 审批员 --hall H001"
	         " --hall-name 示例市政务服务中心 --window 9 --role backoffice"
	         " --dept " TBFIX_ITEM_DEPT " >/dev/null 2>&1",
	         tbserver_bin(), tbserver_db(srv));
	if ((f = popen(cmd, "w")) == NULL)
		return NULL;
	fputs("bo123456\n", f);
	if (pclose(f) != 0) {
		err_set(e, "tongband useradd failed");
		return NULL;
	}
	return tbserver_login(srv, "bo", "bo123456", e);
}

static int decide_all(struct tbserver *srv, const char *tok, int n, char (*ids)[40], struct err *e)
{
	int i;

	for (i = 0; i < n; i++) {
		char pq[128], *body;
		long status = 0;

		snprintf(pq, sizeof pq, "/v1/cases/%s/decision", ids[i]);
		body = tbserver_request(srv, "POST", pq, tok, "{\"decision\":\"approve\"}", &status,
		                        e);
		free(body);
		if (body == NULL || status != 200) {
			if (body)
				err_set(e, "decision: HTTP %ld", status);
			return -1;
		}
	}
	return 0;
}

int main(void)
{
	const char *ns = getenv("BENCH_N");
	int n = ns && atoi(ns) > 1 ? atoi(ns) : 10000, cases = n / 2;
	struct err e = {0};
	struct tbserver *srv;
	struct store *st;
	struct clerk clerk;
	struct sync_progress p;
	char *dir, path[512], tok[128], *bo;
	char(*ids)[40] = calloc((size_t)cases, sizeof *ids);
	long long t0;

	if (login_init() < 0)
		return fail("libsodium", "init");
	sync_global_init();
	if ((srv = tbserver_start(&e)) == NULL)
		return fail("tongband", e.msg);
	if ((dir = harness_tmpdir("tongban-bench", &e)) == NULL)
		return fail("tmpdir", e.msg);
	snprintf(path, sizeof path, "%s/client.db", dir);
	if ((st = store_open(path, &e)) == NULL)
		return fail("store", e.msg);
	if (login_clerk(st, tbserver_url(srv), "demo", "demo123", &clerk, &e) != LOGIN_ONLINE)
		return fail("login", e.msg);
	store_session_get(st, NULL, tok, NULL, NULL);
	printf("bench_sync: N = %d, loopback %s, database %s\n", n, tbserver_url(srv), path);

	/* N events: N/2 cases accepted at the counter, two events each */
	t0 = clock_ms();
	if (make_cases(st, &clerk, cases, ids, &e) < 0)
		return fail("cases", e.msg);
	report("accept cases (1 transaction each)", cases, clock_ms() - t0);

	t0 = clock_ms();
	if (sync_push(st, tbserver_url(srv), tok, 100, &p, NULL, NULL, &e) != SYNC_OK ||
	    p.applied != 2 * cases)
		return fail("push", e.msg);
	report("push waiting events (batch 100)", p.applied, clock_ms() - t0);

	if ((bo = backoffice(srv, &e)) == NULL)
		return fail("backoffice", e.msg);
	t0 = clock_ms();
	if (decide_all(srv, bo, cases, ids, &e) < 0)
		return fail("decide", e.msg);
	report("server decisions (setup, 1 request each)", cases, clock_ms() - t0);
	free(bo);

	/* N changes: each case's official number and its decision */
	memset(&p, 0, sizeof p);
	t0 = clock_ms();
	if (sync_pull(st, tbserver_url(srv), tok, 500, &p, NULL, NULL, &e) != SYNC_OK ||
	    p.decisions != cases)
		return fail("pull", e.msg);
	report("pull changes (500 per request)", p.changes, clock_ms() - t0);

	store_close(st);
	tbserver_free(srv);
	harness_tmpdir_remove(dir);
	free(dir);
	free(ids);
	return EXIT_SUCCESS;
}
