/*
 * tests/integration/test_sync.c - the client's store and sync against a real
 * tongband on a loopback port: login online and offline, pushing the outbox
 * once and only once, the server gone and back, the audit chain kept there.
 */
#include <check.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/i18n.h"
#include "store/store.h"
#include "sync/login.h"
#include "sync/sync.h"
#include "tbcheck.h"
#include "tbdb.h"
#include "tbfixture.h"
#include "tbserver.h"

static struct tbserver *srv;
static struct store *st;
static char dir[64], path[128];
static struct clerk clerk;

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "tongband: %s", e.msg);
	snprintf(dir, sizeof dir, "/tmp/tongban-sync-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/client.db", dir);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
}

static void teardown(void)
{
	char cmd[128];

	store_close(st);
	tbserver_free(srv);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void login_demo(void)
{
	struct err e = {0};

	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "demo123", &clerk, &e),
	                 LOGIN_ONLINE);
}

/* A case accepted at the counter by the logged-in clerk: 2 events (created,
 * accepted) waiting to be pushed. */
static void new_case_row(const char *name, const char *id_number, struct case_row *row)
{
	struct tbfixture fx;
	struct err e = {0};

	ck_assert_msg(tbfixture_open(&fx, st, &clerk, &e) == 0, "%s", e.msg);
	fx.id_number = id_number;
	ck_assert_msg(tbfixture_case(&fx, &decision_accept, TBFIX_ITEM, name, row, &e) == 0, "%s",
	              e.msg);
	tbfixture_close(&fx);
}

static void new_case(const char *name, const char *id_number)
{
	struct case_row row;

	new_case_row(name, id_number, &row);
}

static char *token(void)
{
	static char tok[128];

	ck_assert_int_eq(store_session_get(st, NULL, tok, NULL, NULL), 1);
	return tok;
}

/* How many cases the server holds for a query, and the events of the first. */
static int server_cases(const char *query, int *events)
{
	struct err e = {0};
	char *tok = tbserver_login(srv, "demo", "demo123", &e), *body, *q, pathq[512];
	struct json_object *o, *cases, *ev;
	long status = 0;
	int n;

	ck_assert_msg(tok != NULL, "%s", e.msg);
	q = curl_easy_escape(NULL, query, 0);
	snprintf(pathq, sizeof pathq, "/v1/cases?query=%s", q);
	curl_free(q);
	body = tbserver_request(srv, "GET", pathq, tok, NULL, &status, &e);
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

/* Run sql on the client's database behind the store's back. */
static void client_exec(const char *sql)
{
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(db));
	sqlite3_close(db);
}

static void requeue_everything(void)
{
	client_exec("UPDATE outbox SET state = 'waiting'");
}

START_TEST(login_online_then_offline_with_the_cached_password)
{
	struct err e = {0};
	struct clerk c;

	login_demo();
	ck_assert_str_eq(clerk.hall, "H001");
	ck_assert_str_eq(clerk.name, "王小明");
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "wrong", &c, &e),
	                 LOGIN_BAD_PASSWORD);
	ck_assert_int_eq(tbserver_stop(srv), 0);
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "demo123", &c, &e),
	                 LOGIN_OFFLINE);
	ck_assert_str_eq(c.window, "3");
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "wrong", &c, &e),
	                 LOGIN_BAD_PASSWORD);
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "other", "other123", &c, &e),
	                 LOGIN_UNKNOWN_OFFLINE);
}
END_TEST

/* The TUI's login: no argon2 before the home screen; the verifier made
 * beside it serves the offline login that follows. */
START_TEST(a_verifier_made_after_the_login_serves_the_offline_login)
{
	struct err e = {0};
	struct clerk c;
	struct login_cache *lc;
	bool cache = true;

	ck_assert_int_eq(
	    login_clerk_deferred(st, tbserver_url(srv), NULL, "demo", "wrong", &c, &cache, &e),
	    LOGIN_BAD_PASSWORD);
	ck_assert(!cache);
	ck_assert_int_eq(login_clerk_deferred(st, tbserver_url(srv), NULL, "demo", "demo123",
	                                      &clerk, &cache, &e),
	                 LOGIN_ONLINE);
	ck_assert(cache);
	ck_assert_int_eq(login_check_cached(st, "demo", "demo123"), -1); /* not made yet */
	lc = login_cache_start(st, path, &clerk, "demo123");
	login_cache_finish(lc);
	ck_assert_int_eq(login_check_cached(st, "demo", "demo123"), 1);
	ck_assert_int_eq(tbserver_stop(srv), 0);
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "demo123", &c, &e),
	                 LOGIN_OFFLINE);
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "wrong", &c, &e),
	                 LOGIN_BAD_PASSWORD);
}
END_TEST

START_TEST(push_sends_each_case_exactly_once)
{
	struct sync_progress p;
	struct err e = {0};
	int events = 0;

	login_demo();
	new_case("张三丰", "11010519491231002X");
	new_case("李四", "440524198001010013");
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), token(), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	ck_assert_int_eq(p.applied, 4);
	ck_assert_int_eq(p.remaining, 0);
	ck_assert_int_eq(server_cases("张三丰", &events), 1);
	ck_assert_int_eq(events, 2);

	/* the reply was lost: the same events go again and change nothing */
	requeue_everything();
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), token(), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	ck_assert_int_eq(p.applied, 0);
	ck_assert_int_eq(p.duplicates, 4);
	ck_assert_int_eq(server_cases("张三丰", &events), 1);
	ck_assert_int_eq(events, 2);
}
END_TEST

START_TEST(server_down_keeps_everything_waiting_until_it_returns)
{
	struct sync_progress p;
	struct outbox_counts c;
	struct err e = {0};
	char tok[128];

	login_demo();
	str_copy(tok, sizeof tok, token());
	ck_assert_int_eq(tbserver_stop(srv), 0);
	new_case("张三丰", "11010519491231002X");
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), tok, 100, &p, NULL, NULL, &e),
	                 SYNC_OFFLINE);
	ck_assert_int_eq(store_outbox_counts(st, &c, &e), 0);
	ck_assert_int_eq(c.waiting, 2);
	ck_assert_int_eq(c.sent, 0);
	ck_assert_msg(tbserver_restart(srv, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), tok, 100, &p, NULL, NULL, &e), SYNC_OK);
	ck_assert_int_eq(p.applied, 2);
	ck_assert_int_eq(server_cases("张三丰", NULL), 1);
}
END_TEST

START_TEST(a_bad_session_is_denied_and_nothing_is_marked_sent)
{
	struct sync_progress p;
	struct outbox_counts c;
	struct err e = {0};

	login_demo();
	new_case("张三丰", "11010519491231002X");
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), "0000", 100, &p, NULL, NULL, &e),
	                 SYNC_DENIED);
	ck_assert_int_eq(store_outbox_counts(st, &c, &e), 0);
	ck_assert_int_eq(c.waiting, 2);
	ck_assert_int_eq(c.sent, 0);
}
END_TEST

START_TEST(many_cases_go_in_batches_in_order)
{
	struct sync_progress p;
	struct err e = {0};
	int i;

	login_demo();
	for (i = 0; i < 250; i++)
		new_case("批量", "11010519491231002X");
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), token(), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	ck_assert_int_eq(p.batches, 5);
	ck_assert_int_eq(p.applied, 500);
	ck_assert_int_eq(server_cases("批量", NULL), 200); /* the API lists at most 200 */
}
END_TEST

START_TEST(logging_in_as_another_clerk_keeps_the_first_clerks_unsent_work)
{
	struct sync_progress p;
	struct outbox_counts c;
	struct err e = {0};
	struct clerk other;

	login_demo();
	new_case("张三丰", "11010519491231002X");
	new_case("李四", "440524198001010013");
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "other", "other123", &other, &e),
	                 LOGIN_ONLINE);
	ck_assert_str_eq(other.hall, "H002");
	ck_assert_int_eq(store_outbox_counts(st, &c, &e), 0);
	ck_assert_int_eq(c.waiting, 4);
	ck_assert_int_eq(c.sent, 0);
	/* back as the first clerk, they go */
	login_demo();
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), token(), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	ck_assert_int_eq(p.applied, 4);
}
END_TEST

/* The number query (with ?1 bound to arg, unless NULL) gives on the file
 * at db_path, or -1. */
static int count_in(const char *db_path, const char *query, const char *arg)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	int n = -1;

	ck_assert_int_eq(sqlite3_open_v2(db_path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	ck_assert_int_eq(sqlite3_prepare_v2(h, query, -1, &s, NULL), SQLITE_OK);
	if (arg != NULL)
		sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n;
}

/* The same on the server's database (SQLite or PostgreSQL: tbdb.h). */
static int server_count(const char *query, const char *arg)
{
	struct err e = {0};
	long long n = tbdb_int(tbserver_db(srv), query, arg, &e);

	ck_assert_msg(n >= 0, "%s: %s", query, e.msg);
	return (int)n;
}

/* Events the server stored as pushed by user (the session's clerk). */
static int server_events_of(const char *user)
{
	return server_count("SELECT count(*) FROM events WHERE user_id = ?1", user);
}

/* A case accepted at the counter by clerk c. */
static void case_of(const struct clerk *c, const char *name, struct case_row *row)
{
	struct tbfixture fx;
	struct err e = {0};

	ck_assert_msg(tbfixture_open(&fx, st, c, &e) == 0, "%s", e.msg);
	ck_assert_msg(tbfixture_case(&fx, &decision_accept, TBFIX_ITEM, name, row, &e) == 0, "%s",
	              e.msg);
	tbfixture_close(&fx);
}

/* Two clerks at one PC (a shift change): each one's events go with that
 * clerk's own session; one without a session waits for its own login, and
 * an event that follows it on the same case waits with it. */
START_TEST(each_clerks_events_go_with_that_clerks_own_session)
{
	struct sync_progress p;
	struct err e = {0};
	struct clerk demo, zhou;
	struct case_row a, b, c, d;
	struct tbfixture fx;

	ck_assert_msg(tbserver_add_user(srv, "zhou", "zhou123", "H001", "clerk", "", &e) == 0, "%s",
	              e.msg);
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "demo123", &demo, &e),
	                 LOGIN_ONLINE);
	case_of(&demo, "张三丰", &a);
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "zhou", "zhou123", &zhou, &e),
	                 LOGIN_ONLINE);
	case_of(&zhou, "李四", &b);
	ck_assert_int_eq(sync_push_sessions(st, tbserver_url(srv), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	ck_assert_int_eq(p.applied, 4);
	ck_assert_int_eq(server_events_of("demo"), 2);
	ck_assert_int_eq(server_events_of("zhou"), 2);
	/* demo's session is gone (logged out elsewhere, expired): demo's new case
	 * waits, and so does zhou's note on it; zhou's own case goes */
	ck_assert_int_eq(store_session_drop(st, "demo", &e), 0);
	case_of(&demo, "王五", &c);
	ck_assert_msg(tbfixture_open(&fx, st, &zhou, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(tbfixture_decide(&fx, &decision_note, c.id, "申请人来电", &e), 0);
	tbfixture_close(&fx);
	case_of(&zhou, "赵六", &d);
	ck_assert_int_eq(sync_push_sessions(st, tbserver_url(srv), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	ck_assert_int_eq(p.applied, 2);
	ck_assert_int_eq(p.held, 1);
	ck_assert_str_eq(p.held_clerk, "demo");
	ck_assert_int_eq(p.remaining, 3);
	ck_assert_int_eq(server_events_of("zhou"), 4);
	/* demo logs in again: demo's case, then zhou's note after it */
	ck_assert_int_eq(login_clerk(st, tbserver_url(srv), "demo", "demo123", &demo, &e),
	                 LOGIN_ONLINE);
	ck_assert_int_eq(sync_push_sessions(st, tbserver_url(srv), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	ck_assert_int_eq(p.applied, 3);
	ck_assert_int_eq(p.held, 0);
	ck_assert_int_eq(p.remaining, 0);
	ck_assert_int_eq(server_events_of("demo"), 4);
	ck_assert_int_eq(server_events_of("zhou"), 5);
}
END_TEST

/* A back-office user of hall H001 on the running server, of the department
 * that decides TBFIX_ITEM; its token. */
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

static void decide(const char *bo, const char *case_id)
{
	struct err e = {0};
	char pq[128], *body;
	long status = 0;

	snprintf(pq, sizeof pq, "/v1/cases/%s/decision", case_id);
	body = tbserver_request(srv, "POST", pq, bo,
	                        "{\"decision\":\"refuse\",\"reason\":\"不符合\"}", &status, &e);
	ck_assert_msg(body != NULL && status == 200, "%ld %s", status, body ? body : e.msg);
	free(body);
}

START_TEST(a_pulled_decision_joins_the_case_and_the_next_own_event_follows_it)
{
	struct sync_progress p;
	struct case_row row;
	struct err e = {0};
	long long cursor;
	char *bo, cmd[2048];
	int events = 0;

	login_demo();
	new_case_row("王五", "11010519491231002X", &row);
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), token(), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	bo = backoffice_token();
	decide(bo, row.id);
	free(bo);
	snprintf(cmd, sizeof cmd,
	         "'%s' import-catalogue --db '%s' '%s/data/catalogue.json'"
	         " >/dev/null 2>&1",
	         tbserver_bin(), tbserver_db(srv),
	         getenv("TONGBAN_SRCDIR") ? getenv("TONGBAN_SRCDIR") : ".");
	ck_assert_int_eq(system(cmd), 0);

	memset(&p, 0, sizeof p);
	ck_assert_int_eq(sync_pull(st, tbserver_url(srv), token(), 1, &p, NULL, NULL, &e), SYNC_OK);
	ck_assert_int_eq(p.decisions, 1);
	ck_assert_int_eq(p.updates, 1);
	ck_assert_int_eq(p.official_nos, 1);
	ck_assert_int_eq(p.pages, 3); /* limit 1: one change per answer */
	ck_assert_int_eq(store_changes_cursor(st, &cursor, &e), 0);
	ck_assert_int_eq(cursor, p.cursor);
	ck_assert_int_eq(store_case_get(st, row.id, &row, &e), 1);
	ck_assert_str_eq(row.state, "denied");
	/* the server's official number came back with the pull; the window's stays */
	{
		char pq[128], *body, *want;
		long status = 0;
		struct json_object *o, *v;

		snprintf(pq, sizeof pq, "/v1/cases/%s", row.id);
		body = tbserver_request(srv, "GET", pq, token(), NULL, &status, &e);
		ck_assert_msg(body != NULL && status == 200, "%ld %s", status, body ? body : e.msg);
		o = json_tokener_parse(body);
		ck_assert(json_object_object_get_ex(o, "official_no", &v));
		want = xstrdup(json_object_get_string(v));
		ck_assert_msg(strncmp(want, "H001-", 5) == 0 && strlen(want) == 16, "%s", want);
		ck_assert_str_eq(row.official_no, want);
		ck_assert_int_eq(store_case_get(st, row.case_no, &row, &e), 1);
		ck_assert_str_eq(row.official_no, want);
		ck_assert_int_eq(store_case_recent(st, &row, 1, &e), 1);
		ck_assert_str_eq(row.official_no, want);
		free(want);
		json_object_put(o);
		free(body);
	}
	{
		bool cat = false;

		ck_assert_int_eq(store_updates_waiting(st, &cat, NULL, &e), 0);
		ck_assert(cat);
	}
	/* the decision came from the server: nothing new to push */
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), token(), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	ck_assert_int_eq(p.batches, 0);
	/* the window's next event follows the decision (seq 4) and fits on the server */
	{
		struct tbfixture fx;

		ck_assert_int_eq(tbfixture_open(&fx, st, &clerk, &e), 0);
		ck_assert_msg(
		    tbfixture_decide(&fx, &decision_note, row.id, "已电话通知申请人", &e) == 0,
		    "%s", e.msg);
		tbfixture_close(&fx);
	}
	ck_assert_int_eq(sync_push(st, tbserver_url(srv), token(), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	ck_assert_msg(p.applied == 1 && p.problems == 0, "applied %d problems %d", p.applied,
	              p.problems);
	ck_assert_int_eq(server_cases("王五", &events), 1);
	ck_assert_int_eq(events, 4);
	/* pulling again changes nothing */
	memset(&p, 0, sizeof p);
	ck_assert_int_eq(sync_pull(st, tbserver_url(srv), token(), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	ck_assert_int_eq(p.changes, 0);
}
END_TEST

START_TEST(a_decision_for_a_case_made_elsewhere_is_kept_and_the_pull_goes_on)
{
	struct sync_progress p;
	struct err e = {0};
	char *tok, *bo, *body, ev[1024];
	long status = 0;

	login_demo();
	/* another machine of the hall pushes a case this one never saw */
	tok = tbserver_login(srv, "demo", "demo123", &e);
	snprintf(ev, sizeof ev,
	         "{\"events\":[{\"uuid\":\"11111111-1111-4111-8111-111111111111\","
	         "\"case_id\":\"22222222-2222-4222-8222-222222222222\",\"seq\":1,"
	         "\"type\":\"created\",\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
	         "\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":{\"case_no\":"
	         "\"H001-03-20261125-0001\",\"item_code\":\"" TBFIX_ITEM "\",\"item_name\":\"x\","
	         "\"applicant\":{\"name\":\"赵六\"}}},"
	         "{\"uuid\":\"33333333-3333-4333-8333-333333333333\","
	         "\"case_id\":\"22222222-2222-4222-8222-222222222222\",\"seq\":2,"
	         "\"type\":\"accepted\",\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
	         "\"client_time\":\"2026-11-25T10:02:02+08:00\",\"payload\":{}}]}");
	body = tbserver_request(srv, "POST", "/v1/events", tok, ev, &status, &e);
	ck_assert_msg(body && status == 200 && strstr(body, "applied"), "%s", body ? body : e.msg);
	free(body);
	free(tok);
	bo = backoffice_token();
	decide(bo, "22222222-2222-4222-8222-222222222222");
	free(bo);
	memset(&p, 0, sizeof p);
	ck_assert_int_eq(sync_pull(st, tbserver_url(srv), token(), 100, &p, NULL, NULL, &e),
	                 SYNC_OK);
	ck_assert_int_eq(p.unknown_cases, 1);
	ck_assert_int_eq(p.decisions, 0);
	ck_assert_int_eq(p.official_nos, 0); /* its official number is ignored, the pull goes on */
	ck_assert_int_eq(store_orphan_decisions(st, &e), 1);
	ck_assert_int_gt(p.cursor, 0);
}
END_TEST

/* Run cmd (a shell command of tongban or tongband, in English) with its
 * output into dir/out.txt: the exit status, and the output in out. */
static int run_english(const char *cmd, char *out, size_t n)
{
	char *line = xasprintf("LC_ALL=C LANG=C TONGBAN_LANG=en %s >'%s/out.txt' 2>&1", cmd, dir),
	     *file = xasprintf("%s/out.txt", dir), *text;
	int status = system(line);

	text = file_read_all(file, NULL, 1 << 20, NULL);
	str_copy(out, n, text ? text : "");
	free(text);
	free(file);
	free(line);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* tongban sync on the client's database (the store closed meanwhile). */
static int tongban_sync(char *out, size_t n)
{
	char *cmd = xasprintf("'%s' --db='%s' --server='%s' sync",
	                      getenv("TONGBAN_BIN") ? getenv("TONGBAN_BIN") : "build/tongban", path,
	                      tbserver_url(srv));
	struct err e = {0};
	int rc;

	store_close(st);
	rc = run_english(cmd, out, n);
	st = store_open(path, &e);
	ck_assert_msg(st != NULL, "%s", e.msg);
	free(cmd);
	return rc;
}

/* The rows of this PC's audit chain -- a login as the TUI records it, a
 * decision at the counter -- go to tongband with `tongban sync`, which
 * keeps them and finds every chain whole; a row edited here before it was
 * sent is refused whole, and the client keeps and shows tongband's reason. */
START_TEST(the_audit_chain_goes_with_tongban_sync_and_a_row_edited_before_it_is_refused)
{
	char out[4096], problem[512] = "", *cmd, *want;
	struct err e = {0};
	struct case_row row;
	int rows, rc;

	login_demo();
	ck_assert_int_eq(store_audit_add(st, clerk.id, "", AUDIT_LOGIN, "", &e), 0);
	new_case_row("张三丰", "11010519491231002X", &row);
	rows = count_in(path, "SELECT count(*) FROM audit", NULL);
	ck_assert_int_ge(rows, 2); /* the login and the decision */
	rc = tongban_sync(out, sizeof out);
	ck_assert_msg(rc == 0, "tongban sync: %d: %s", rc, out);
	ck_assert_int_eq(server_count("SELECT count(*) FROM device_audit", NULL), rows);
	ck_assert_int_eq(server_count("SELECT count(*) FROM device_audit WHERE what = 'decision'"
	                              " AND case_id = ?1",
	                              row.id),
	                 1);
	cmd = xasprintf("'%s' audit verify --db='%s/server.db'", tbserver_bin(), tbserver_dir(srv));
	rc = run_english(cmd, out, sizeof out);
	ck_assert_msg(rc == 0 && strstr(out, " holds: ") != NULL, "%d: %s", rc, out);

	/* a look at the whole numbers, and its row rewritten before it went */
	ck_assert_int_eq(store_audit_add(st, clerk.id, row.id, AUDIT_REVEAL, "id_number,phone", &e),
	                 0);
	client_exec("UPDATE audit SET detail = 'nothing' WHERE id = (SELECT max(id) FROM audit)");
	tongban_sync(out, sizeof out);
	want = xasprintf("audit row %d does not continue this PC's chain at tongband (which ends "
	                 "at row %d): row %d was edited",
	                 rows + 1, rows, rows + 1);
	ck_assert_msg(strstr(out, "the audit rows were not sent: ") && strstr(out, want),
	              "no \"%s\" in:\n%s", want, out);
	ck_assert_int_eq(server_count("SELECT count(*) FROM device_audit", NULL), rows);
	ck_assert_int_eq(store_meta_get(st, "audit_problem", problem, sizeof problem, &e), 1);
	ck_assert_msg(strstr(problem, want) != NULL, "%s", problem);
	rc = run_english(cmd, out, sizeof out);
	ck_assert_msg(rc == 0, "what tongband holds is still whole: %d: %s", rc, out);
	free(want);
	free(cmd);
}
END_TEST

START_TEST(plain_http_is_refused_except_to_loopback)
{
	struct err e = {0};

	unsetenv("TONGBAN_ALLOW_INSECURE_HTTP");
	ck_assert_int_eq(sync_url_allowed("http://127.0.0.1:8080", &e), 0);
	ck_assert_int_eq(sync_url_allowed("http://127.8.9.1", &e), 0);
	ck_assert_int_eq(sync_url_allowed("http://localhost:1", &e), 0);
	ck_assert_int_eq(sync_url_allowed("http://[::1]:8080", &e), 0);
	ck_assert_int_eq(sync_url_allowed("https://tongban.example.gov.cn", &e), 0);
	ck_assert_int_eq(sync_url_allowed("http://tongban.example.gov.cn", &e), -1);
	ck_assert_msg(strstr(e.msg, "TONGBAN_ALLOW_INSECURE_HTTP") != NULL, "%s", e.msg);
	ck_assert_int_eq(sync_url_allowed("http://128.0.0.1", &e), -1);
	ck_assert_int_eq(sync_url_allowed("ftp://127.0.0.1", &e), -1);
	ck_assert_int_eq(sync_health("http://10.1.2.3:9", 1000, &e), SYNC_ERROR);
	setenv("TONGBAN_ALLOW_INSECURE_HTTP", "1", 1);
	ck_assert_int_eq(sync_url_allowed("http://tongban.example.gov.cn", &e), 0);
	unsetenv("TONGBAN_ALLOW_INSECURE_HTTP");
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("sync");
	TCase *tc = tcase_create("against tongband");

	if (login_init() < 0) {
		fprintf(stderr, "libsodium failed to initialise\n");
		return EXIT_FAILURE;
	}
	sync_global_init();
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, login_online_then_offline_with_the_cached_password);
	tcase_add_test(tc, a_verifier_made_after_the_login_serves_the_offline_login);
	tcase_add_test(tc, push_sends_each_case_exactly_once);
	tcase_add_test(tc, server_down_keeps_everything_waiting_until_it_returns);
	tcase_add_test(tc, a_bad_session_is_denied_and_nothing_is_marked_sent);
	tcase_add_test(tc, many_cases_go_in_batches_in_order);
	tcase_add_test(tc, logging_in_as_another_clerk_keeps_the_first_clerks_unsent_work);
	tcase_add_test(tc, each_clerks_events_go_with_that_clerks_own_session);
	tcase_add_test(tc, a_pulled_decision_joins_the_case_and_the_next_own_event_follows_it);
	tcase_add_test(tc, a_decision_for_a_case_made_elsewhere_is_kept_and_the_pull_goes_on);
	tcase_add_test(
	    tc, the_audit_chain_goes_with_tongban_sync_and_a_row_edited_before_it_is_refused);
	tcase_add_test(tc, plain_http_is_refused_except_to_loopback);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
