/*
 * tests/integration/test_sync_faults.c - the failures of issue 6, each
 * against a real tongband whose test fault switch (TONGBAND_FAULTS_FILE,
 * read at every request) makes it slow, failing, dropping or truncating:
 * after each, no case is lost, none is duplicated, nothing is marked sent
 * that the server did not acknowledge.
 */
#include <check.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/i18n.h"
#include "store/store.h"
#include "sync/agent.h"
#include "sync/login.h"
#include "sync/sync.h"
#include "tbcheck.h"
#include "tbfixture.h"
#include "tbserver.h"
#include "term.h"
#include "tmpdir.h"

#define MAX_DECISIONS 64

static struct tbserver *srv;
static struct store *st;
static char *dir, path[512], faults[512];
static struct clerk clerk;

static void ms_sleep(int ms)
{
	poll(NULL, 0, ms);
}

/* Switch the server's faults now ("" for none). */
static void set_faults(const char *spec)
{
	struct err e = {0};

	ck_assert_msg(harness_write_file(faults, spec, strlen(spec), &e) == 0, "%s", e.msg);
}

static void setup(void)
{
	struct err e = {0};

	dir = harness_tmpdir("tongban-faults", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
	snprintf(path, sizeof path, "%s/client.db", dir);
	snprintf(faults, sizeof faults, "%s/faults", dir);
	set_faults("");
	setenv("TONGBAND_FAULTS_FILE", faults, 1);
	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "demo123", &clerk, &e),
	                 LOGIN_ONLINE);
}

static void teardown(void)
{
	store_close(st);
	tbserver_free(srv);
	harness_tmpdir_remove(dir);
	free(dir);
}

/* A case accepted at the counter: two events (created, accepted) waiting. */
static void new_case(const char *name, struct case_row *row)
{
	struct tbfixture fx;
	struct err e = {0};

	ck_assert_msg(tbfixture_open(&fx, st, &clerk, &e) == 0, "%s", e.msg);
	ck_assert_msg(tbfixture_case(&fx, &decision_accept, TBFIX_ITEM, name, row, &e) == 0, "%s",
	              e.msg);
	tbfixture_close(&fx);
}

/* The clerk's note on a case: one more event, the state unchanged. */
static void add_note(const char *case_id)
{
	struct tbfixture fx;
	struct err e = {0};

	ck_assert_msg(tbfixture_open(&fx, st, &clerk, &e) == 0, "%s", e.msg);
	ck_assert_msg(tbfixture_decide(&fx, &decision_note, case_id, "申请人来电询问", &e) == 0,
	              "%s", e.msg);
	tbfixture_close(&fx);
}

static char *token(void)
{
	static char tok[128];

	ck_assert_int_eq(store_session_get(st, NULL, tok, NULL, NULL), 1);
	return tok;
}

static int count_sql(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = -1;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static void exec_sql(const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 10000);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s", sql, msg);
	sqlite3_close(db);
}

/* The cases of the server matching query: how many, and the first's event count. */
static int server_cases(const char *query, int *events)
{
	struct err e = {0};
	char *tok = tbserver_login(srv, "demo", "demo123", &e), *body, *q, pq[512];
	struct json_object *o, *cases, *ev;
	long status = 0;
	int n;

	ck_assert_msg(tok != NULL, "%s", e.msg);
	q = curl_easy_escape(NULL, query, 0);
	snprintf(pq, sizeof pq, "/v1/cases?query=%s", q);
	curl_free(q);
	body = tbserver_request(srv, "GET", pq, tok, NULL, &status, &e);
	ck_assert_msg(body != NULL && status == 200, "status %ld: %s", status, e.msg);
	o = json_tokener_parse(body);
	ck_assert(json_object_object_get_ex(o, "cases", &cases));
	n = (int)json_object_array_length(cases);
	if (events && n > 0 &&
	    json_object_object_get_ex(json_object_array_get_idx(cases, 0), "events", &ev))
		*events = json_object_get_int(ev);
	json_object_put(o);
	free(body);
	free(tok);
	return n;
}

/* Every local case is on the server exactly once with as many events. */
static void assert_server_has_each_case_once(void)
{
	struct case_row *rows = xcalloc(500, sizeof *rows);
	struct err e = {0};
	int n = store_case_recent(st, rows, 500, &e), i;

	ck_assert_msg(n >= 0, "%s", e.msg);
	for (i = 0; i < n; i++) {
		char sql[256];
		int events = -1, local;

		snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM events WHERE case_id = '%s'",
		         rows[i].id);
		local = count_sql(sql);
		ck_assert_int_eq(server_cases(rows[i].case_no, &events), 1);
		ck_assert_msg(events == local, "%s: server %d events, client %d", rows[i].case_no,
		              events, local);
	}
	free(rows);
}

static struct outbox_counts counts(void)
{
	struct outbox_counts c;
	struct err e = {0};

	ck_assert_msg(store_outbox_counts(st, &c, &e) == 0, "%s", e.msg);
	return c;
}

/* A back-office user of hall H001, of the department that decides
 * TBFIX_ITEM, added to the running server's database. */
static char *backoffice_token(void)
{
	struct err e = {0};
	char cmd[2048], *tok;
	FILE *f;

	snprintf(cmd, sizeof cmd,
	         "'%s' useradd --db '%s' --id bo --name 审批员 --hall H001"
	         " --hall-name 示例市政务服务中心 --window 9 --role backoffice"
	         " --dept " TBFIX_ITEM_DEPT " >/dev/null 2>&1",
	         tbserver_bin(), tbserver_db(srv));
	f = popen(cmd, "w");
	ck_assert_ptr_nonnull(f);
	fputs("bo123456\n", f);
	ck_assert_int_eq(pclose(f), 0);
	tok = tbserver_login(srv, "bo", "bo123456", &e);
	ck_assert_msg(tok != NULL, "%s", e.msg);
	return tok;
}

/* Approve a case over the API; returns the change's cursor. */
static long long decide(const char *bo_token, const char *case_id)
{
	struct err e = {0};
	char pq[128];
	long status = 0;
	struct json_object *o, *c;
	long long cursor;
	char *body;

	snprintf(pq, sizeof pq, "/v1/cases/%s/decision", case_id);
	body = tbserver_request(srv, "POST", pq, bo_token,
	                        "{\"decision\":\"approve\",\"reason\":\"材料齐全\"}", &status, &e);
	ck_assert_msg(body != NULL && status == 200, "decide: %ld %s %s", status, e.msg,
	              body ? body : "");
	o = json_tokener_parse(body);
	ck_assert(json_object_object_get_ex(o, "cursor", &c));
	cursor = json_object_get_int64(c);
	json_object_put(o);
	free(body);
	return cursor;
}

static enum sync_result push(struct sync_progress *p)
{
	struct err e = {0};

	return sync_push(st, tbserver_url(srv), token(), 100, p, NULL, NULL, &e);
}

/* (1) */
START_TEST(server_down_for_the_whole_session_then_everything_arrives_once)
{
	struct err e = {0};
	struct agent_status as;
	struct sync_agent *a;
	long long deadline;
	int i;

	ck_assert_int_eq(tbserver_stop(srv), 0);
	a = sync_agent_start(path, tbserver_url(srv), &e);
	ck_assert_msg(a != NULL, "%s", e.msg);
	for (i = 0; i < 5; i++) {
		char name[32];

		snprintf(name, sizeof name, "离线%d", i);
		new_case(name, NULL);
		sync_agent_poke(a);
	}
	deadline = clock_ms() + 10000;
	do {
		ms_sleep(50);
		sync_agent_status(a, &as);
	} while (as.last_error[0] == '\0' && clock_ms() < deadline);
	ck_assert(!as.online);
	ck_assert_int_eq(counts().waiting, 10);
	ck_assert_int_eq(counts().sent, 0);

	ck_assert_msg(tbserver_restart(srv, &e) == 0, "%s", e.msg);
	deadline = clock_ms() + 30000;
	while (counts().sent < 10 && clock_ms() < deadline) {
		sync_agent_poke(a);
		ms_sleep(100);
	}
	sync_agent_status(a, &as);
	sync_agent_stop(a);
	ck_assert_int_eq(counts().sent, 10);
	ck_assert(as.online);
	ck_assert_int_eq(server_cases("离线", NULL), 5);
	assert_server_has_each_case_once();
}
END_TEST

/* (2) */
START_TEST(a_reply_lost_after_commit_gives_duplicates_not_copies)
{
	struct sync_progress p;

	new_case("张三丰", NULL);
	new_case("李四", NULL);
	set_faults("drop_after_commit=1:path=/v1/events:count=1");
	ck_assert_int_eq(push(&p), SYNC_OFFLINE);
	ck_assert_int_eq(counts().sent, 0);
	ck_assert_int_eq(counts().waiting, 4);
	ck_assert_int_eq(server_cases("张三丰", NULL), 1); /* it did arrive */
	ck_assert_int_eq(push(&p), SYNC_OK);
	ck_assert_int_eq(p.applied, 0);
	ck_assert_int_eq(p.duplicates, 4);
	ck_assert_int_eq(counts().sent, 4);
	assert_server_has_each_case_once();
}
END_TEST

struct racer {
	struct sync_progress p;
	enum sync_result res;
	char err[256];
};

static void *race_push(void *arg)
{
	struct racer *r = arg;
	struct err e = {0};
	struct store *own = store_open(path, &e);
	char tok[128] = "";

	if (own == NULL) {
		r->res = SYNC_ERROR;
		str_copy(r->err, sizeof r->err, e.msg);
		return NULL;
	}
	store_session_get(own, NULL, tok, NULL, NULL);
	r->res = sync_push(own, tbserver_url(srv), tok, 100, &r->p, NULL, NULL, &e);
	str_copy(r->err, sizeof r->err, e.msg);
	store_close(own);
	return NULL;
}

static void wait_sending(void)
{
	long long deadline = clock_ms() + 10000;

	while (count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'sending'") == 0 &&
	       clock_ms() < deadline)
		ms_sleep(5);
	ck_assert_int_gt(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'sending'"), 0);
}

/* (3) */
START_TEST(two_racing_pushes_of_one_batch_apply_it_once)
{
	struct racer a, b;
	pthread_t ta, tb;
	int i;

	memset(&a, 0, sizeof a);
	memset(&b, 0, sizeof b);
	for (i = 0; i < 20; i++)
		new_case("竞争", NULL);
	set_faults("slow=400:path=/v1/events");
	ck_assert_int_eq(pthread_create(&ta, NULL, race_push, &a), 0);
	wait_sending();
	/* as if the first one had long been given up (its claim lapsed): the second
	 * push takes its batch and sends it again while the first is still in flight */
	exec_sql("UPDATE outbox SET claimed_at = claimed_at - 301");
	ck_assert_int_eq(pthread_create(&tb, NULL, race_push, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	ck_assert_msg(a.res == SYNC_OK && b.res == SYNC_OK, "%s / %s", a.err, b.err);
	ck_assert_int_eq(a.p.applied + b.p.applied, 40);
	ck_assert_int_eq(a.p.duplicates + b.p.duplicates, 40);
	ck_assert_int_eq(counts().sent, 40);
	ck_assert_int_eq(server_cases("竞争", NULL), 20);
	assert_server_has_each_case_once();
}
END_TEST

/* (4) */
START_TEST(errors_and_truncated_answers_mark_nothing_sent_and_slow_the_client)
{
	struct sync_progress p;
	struct agent_status as;
	struct err e = {0};
	struct sync_agent *ag;
	long long deadline;

	new_case("张三丰", NULL);
	new_case("李四", NULL);
	set_faults("status=500:path=/v1/events");
	ck_assert_int_eq(push(&p), SYNC_ERROR);
	ck_assert_int_eq(counts().sent, 0);
	ck_assert_int_eq(counts().waiting, 4);

	set_faults("status=503:retry_after=7:path=/v1/events");
	ck_assert_int_eq(push(&p), SYNC_BUSY);
	ck_assert_int_eq(p.retry_after, 7);
	ck_assert_int_eq(counts().sent, 0);
	/* the agent waits at least what the server asked */
	ag = sync_agent_start(path, tbserver_url(srv), &e);
	ck_assert_msg(ag != NULL, "%s", e.msg);
	deadline = clock_ms() + 10000;
	do {
		ms_sleep(20);
		sync_agent_status(ag, &as);
	} while (as.next_round_ms == 0 && clock_ms() < deadline);
	sync_agent_stop(ag);
	ck_assert_int_eq(as.retry_after, 7);
	ck_assert_int_ge(as.next_round_ms, 7000);
	ck_assert(as.online);
	ck_assert_int_eq(counts().sent, 0);

	/* committed, but the answer is half a JSON body: not acknowledged */
	set_faults("truncate=1:path=/v1/events");
	ck_assert_int_eq(push(&p), SYNC_ERROR);
	ck_assert_int_eq(counts().sent, 0);
	ck_assert_int_eq(counts().waiting, 4);
	set_faults("");
	ck_assert_int_eq(push(&p), SYNC_OK);
	ck_assert_int_eq(p.duplicates, 4);
	ck_assert_int_eq(counts().sent, 4);
	assert_server_has_each_case_once();
}
END_TEST

START_TEST(a_truncated_changes_answer_applies_nothing_and_keeps_the_cursor)
{
	struct sync_progress p;
	struct case_row r;
	struct err e = {0};
	long long cursor, at;
	char *bo;

	new_case("张三丰", &r);
	ck_assert_int_eq(push(&p), SYNC_OK);
	bo = backoffice_token();
	at = decide(bo, r.id);
	free(bo);
	set_faults("truncate=1:path=/v1/changes");
	memset(&p, 0, sizeof p);
	ck_assert_int_eq(sync_pull(st, tbserver_url(srv), token(), 100, &p, NULL, NULL, &e),
	                 SYNC_ERROR);
	ck_assert_int_eq(store_changes_cursor(st, &cursor, &e), 0);
	ck_assert_int_eq(cursor, 0);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM events WHERE type = 'decided'"), 0);
	set_faults("status=503:retry_after=3:path=/v1/changes");
	ck_assert_int_eq(sync_pull(st, tbserver_url(srv), token(), 100, &p, NULL, NULL, &e),
	                 SYNC_BUSY);
	ck_assert_int_eq(p.retry_after, 3);
	set_faults("");
	ck_assert_int_eq(sync_pull(st, tbserver_url(srv), token(), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	ck_assert_int_eq(p.decisions, 1);
	ck_assert_int_eq(store_changes_cursor(st, &cursor, &e), 0);
	ck_assert_int_eq(cursor, at);
	ck_assert_int_eq(store_case_get(st, r.id, &r, &e), 1);
	ck_assert_str_eq(r.state, "approved");
}
END_TEST

/* (5) */
START_TEST(a_conflicting_case_is_quarantined_and_listed_while_the_others_flow)
{
	struct sync_progress p;
	struct outbox_problem probs[4];
	struct case_row x, y;
	struct err e = {0};
	char sql[512];
	int events = 0;

	new_case("甲某", &x);
	ck_assert_int_eq(push(&p), SYNC_OK);
	/* the same uuid with other content: the server must say conflict */
	snprintf(sql, sizeof sql,
	         "CREATE TABLE saved AS SELECT uuid, body FROM events WHERE case_id = '%s';"
	         "UPDATE events SET body = json_set(body, '$.payload.applicant.name', '篡改')"
	         " WHERE case_id = '%s'; UPDATE outbox SET state = 'waiting' WHERE case_id = '%s'",
	         x.id, x.id, x.id);
	exec_sql(sql);
	add_note(x.id);
	new_case("乙某", &y);
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), token(), 1, &p, NULL, NULL, &e), SYNC_OK);
	ck_assert_int_eq(p.problems, 1);
	ck_assert_int_eq(server_cases(y.case_no, NULL), 1); /* the other case went through */
	ck_assert_int_eq(counts().problems, 1);
	ck_assert_int_eq(counts().waiting, 2); /* x's acceptance and note, held back */
	ck_assert_int_eq(store_outbox_problems(st, probs, 4, &e), 1);
	ck_assert_str_eq(probs[0].case_no, x.case_no);
	ck_assert_str_eq(probs[0].type, "created");
	ck_assert_msg(strstr(probs[0].reason, "same uuid") != NULL, "%s", probs[0].reason);
	ck_assert_int_eq(probs[0].held_back, 2);
	ck_assert(probs[0].time[0] != '\0');
	/* pushing again changes nothing until the clerk acts */
	ck_assert_int_eq(push(&p), SYNC_OK);
	ck_assert_int_eq(p.batches, 0);
	ck_assert_int_eq(server_cases(x.case_no, &events), 1);
	ck_assert_int_eq(events, 2);

	exec_sql("UPDATE events SET body = (SELECT body FROM saved WHERE saved.uuid = events.uuid)"
	         " WHERE uuid IN (SELECT uuid FROM saved)");
	ck_assert_int_eq(store_outbox_retry_case(st, x.id, &e), 1);
	ck_assert_int_eq(push(&p), SYNC_OK);
	ck_assert_int_eq(p.duplicates, 2);
	ck_assert_int_eq(p.applied, 1);
	ck_assert_int_eq(counts().problems, 0);
	ck_assert_int_eq(store_outbox_problems(st, probs, 4, &e), 0);
	assert_server_has_each_case_once();
}
END_TEST

/* Run `tongban sync` in a child; returns its pid. */
static pid_t spawn_sync(void)
{
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char *argv[] = {(char *)tbcheck_env("TONGBAN_BIN", "build/tongban"),
		                "--db",
		                path,
		                "--server",
		                (char *)tbserver_url(srv),
		                "sync",
		                NULL};
		FILE *null = fopen("/dev/null", "w");

		if (null) {
			dup2(fileno(null), STDOUT_FILENO);
			dup2(fileno(null), STDERR_FILENO);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* The cursor the client stored, and whether exactly the decisions at or
 * below it were applied. */
static void assert_cursor_consistent(const long long *cursors, int n)
{
	struct err e = {0};
	long long cursor;
	int i, below = 0;

	ck_assert_int_eq(store_changes_cursor(st, &cursor, &e), 0);
	for (i = 0; i < n; i++)
		below += cursors[i] <= cursor;
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM events WHERE type = 'decided'"), below);
}

/* (6) */
START_TEST(kill_9_of_tongban_sync_30_times_loses_and_duplicates_nothing)
{
	struct case_row acc[30];
	struct sync_progress p;
	long long cursors[MAX_DECISIONS];
	unsigned int seed = 20261125;
	char *bo;
	int i, status, killed = 0;

	for (i = 0; i < 30; i++)
		new_case("受理", &acc[i]);
	ck_assert_int_eq(push(&p), SYNC_OK);
	bo = backoffice_token();
	set_faults("slow=50:rate=1");
	for (i = 0; i < 30; i++) {
		pid_t pid;

		new_case("杀进程", NULL);
		new_case("杀进程", NULL);
		cursors[i] = decide(bo, acc[i].id);
		pid = spawn_sync();
		ms_sleep((int)(rand_r(&seed) % 160));
		kill(pid, SIGKILL);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		killed += WIFSIGNALED(status);
		assert_cursor_consistent(cursors, i + 1);
	}
	free(bo);
	printf("kill -9: %d of 30 runs killed mid-way\n", killed);
	ck_assert_int_gt(killed, 10);
	set_faults("");
	ck_assert_int_eq(waitpid(spawn_sync(), &status, 0) > 0, 1);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	assert_cursor_consistent(cursors, 30);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM events WHERE type = 'decided'"), 30);
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM cases WHERE state = 'approved'"), 30);
	ck_assert_int_eq(counts().waiting, 0);
	ck_assert_int_eq(counts().problems, 0);
	ck_assert_int_eq(server_cases("杀进程", NULL), 60);
	assert_server_has_each_case_once();
}
END_TEST

/* (7) */
START_TEST(typing_stays_instant_while_a_push_is_stuck)
{
	static const char *chars[] = {"张", "三", "丰", "欧", "阳", "娜", "a", "b"};
	char typed[64] = "";
	long long worst = 0;
	struct term *t;
	size_t i;

	new_case("卡住", NULL);
	new_case("卡住", NULL);
	set_faults("slow=5000:path=/v1/events");
	t = tbcheck_tongban(path, tbserver_url(srv), "C.UTF-8", 24, 80);
	tbcheck_expect(t, "工号");
	term_send(t, "demo" TERM_KEY_TAB "demo123" TERM_KEY_ENTER);
	tbcheck_expect(t, "工作人员：王小明");
	wait_sending(); /* the agent's push is now stuck in the server */
	term_send(t, TERM_KEY_F2);
	tbcheck_expect(t, "事项查找");
	term_send(t, "jzlj");
	tbcheck_expect(t, "建筑垃圾处置许可");
	term_send(t, TERM_KEY_ENTER);
	tbcheck_expect(t, "申请人姓名");
	for (i = 0; i < sizeof chars / sizeof chars[0]; i++) {
		long long t0 = clock_ms(), dt;

		strcat(typed, chars[i]);
		term_send(t, chars[i]);
		ck_assert_msg(term_wait_text(t, typed, 2000) == 0, "'%s' not echoed", typed);
		dt = clock_ms() - t0;
		worst = dt > worst ? dt : worst;
		printf("echo %s: %lld ms\n", chars[i], dt);
	}
	/* all of it while the push was still in flight */
	ck_assert_int_gt(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'sending'"), 0);
	ck_assert_int_lt(worst, 1000);
	term_close(t);
}
END_TEST

/* (8) */
START_TEST(an_edit_during_a_push_of_its_case_is_sent_afterwards)
{
	struct racer r;
	struct case_row x;
	pthread_t th;
	int events = 0;

	memset(&r, 0, sizeof r);
	new_case("正在上传", &x);
	set_faults("slow=500:path=/v1/events");
	ck_assert_int_eq(pthread_create(&th, NULL, race_push, &r), 0);
	wait_sending();
	add_note(x.id); /* the clerk adds a note meanwhile */
	ck_assert_int_eq(count_sql("SELECT COUNT(*) FROM outbox WHERE state = 'waiting'"), 1);
	pthread_join(th, NULL);
	ck_assert_msg(r.res == SYNC_OK, "%s", r.err);
	ck_assert_int_eq(r.p.applied, 3);
	ck_assert_int_eq(counts().sent, 3);
	ck_assert_int_eq(server_cases(x.case_no, &events), 1);
	ck_assert_int_eq(events, 3);
}
END_TEST

/* (9) */
START_TEST(a_client_clock_a_day_off_is_reported_as_drift)
{
	struct sync_progress p;
	struct agent_status as;
	struct err e = {0};
	struct sync_agent *a;
	struct case_row x;
	long long drift = 0, deadline;
	char *tok, pq[128], *body;
	struct json_object *o, *v;
	long status = 0;

	setenv("TONGBAN_FAKE_CLOCK_OFFSET", "86400", 1);
	new_case("钟快", &x);
	ck_assert_int_eq(push(&p), SYNC_OK);
	ck_assert(p.drift_known);
	ck_assert_msg(p.clock_drift < -86400 + 120 && p.clock_drift > -86400 - 120, "drift %lld",
	              p.clock_drift);
	ck_assert_int_eq(sync_clock_drift(st, &drift, &e), 1);
	ck_assert_int_eq(drift, p.clock_drift);

	a = sync_agent_start(path, tbserver_url(srv), &e);
	ck_assert_msg(a != NULL, "%s", e.msg);
	deadline = clock_ms() + 10000;
	do {
		ms_sleep(20);
		sync_agent_status(a, &as);
	} while (!as.drift_known && clock_ms() < deadline);
	sync_agent_stop(a);
	ck_assert(as.drift_known);
	ck_assert_msg(as.clock_drift < -86400 + 120 && as.clock_drift > -86400 - 120, "%lld",
	              as.clock_drift);

	/* the server keeps both: the clerk's (wrong) time and its own receipt time */
	tok = tbserver_login(srv, "demo", "demo123", &e);
	snprintf(pq, sizeof pq, "/v1/cases/%s", x.id);
	body = tbserver_request(srv, "GET", pq, tok, NULL, &status, &e);
	ck_assert_msg(body && status == 200, "%ld", status);
	o = json_tokener_parse(body);
	ck_assert(json_object_object_get_ex(o, "created_at", &v));
	ck_assert(json_object_object_get_ex(o, "received_at", &v));
	ck_assert_str_ne(json_object_get_string(v), "");
	json_object_put(o);
	free(body);
	free(tok);
	unsetenv("TONGBAN_FAKE_CLOCK_OFFSET");
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("sync faults");
	TCase *tc = tcase_create("against tongband with faults");

	if (login_init() < 0) {
		fprintf(stderr, "libsodium failed to initialise\n");
		return EXIT_FAILURE;
	}
	sync_global_init();
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, server_down_for_the_whole_session_then_everything_arrives_once);
	tcase_add_test(tc, a_reply_lost_after_commit_gives_duplicates_not_copies);
	tcase_add_test(tc, two_racing_pushes_of_one_batch_apply_it_once);
	tcase_add_test(tc, errors_and_truncated_answers_mark_nothing_sent_and_slow_the_client);
	tcase_add_test(tc, a_truncated_changes_answer_applies_nothing_and_keeps_the_cursor);
	tcase_add_test(tc, a_conflicting_case_is_quarantined_and_listed_while_the_others_flow);
	tcase_add_test(tc, kill_9_of_tongban_sync_30_times_loses_and_duplicates_nothing);
	tcase_add_test(tc, typing_stays_instant_while_a_push_is_stuck);
	tcase_add_test(tc, an_edit_during_a_push_of_its_case_is_sent_afterwards);
	tcase_add_test(tc, a_client_clock_a_day_off_is_reported_as_drift);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
