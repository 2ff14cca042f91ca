/*
 * test_server_migrate.c - tongband migrate: a hall's SQLite database, made
 * by this tongband (and one made by an earlier release), moved into
 * PostgreSQL whole: the same export, the same feed with the same cursors,
 * the same sessions, an audit chain that holds, case numbers that go on
 * without repeating.  The moves need the PostgreSQL cluster: on SQLite
 * (TONGBAND_TEST_BACKEND) only the refusals run.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/i18n.h"
#include "core/util.h"
#include "tbcheck.h"
#include "tbdb.h"
#include "tbserver.h"
#include "tmpdir.h"

#define ITEM "000101001000"           /* 建筑垃圾处置许可 */
#define DEPT "市城市管理和综合执法局" /* the department deciding ITEM */

static char *dir;

static void make_dir(void)
{
	struct err e = {0};

	dir = harness_tmpdir("tongband-migrate", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
}

static void remove_dir(void)
{
	harness_tmpdir_remove(dir);
	free(dir);
	dir = NULL;
}

/* Run `tongband ARGS` (shell words) in English: its exit status; its
 * output into *out (caller frees) unless out is NULL. */
static int tongband(const char *args, char **out)
{
	char *cmd = xasprintf("LC_ALL=C LANG=C TONGBAN_LANG= '%s' %s 2>&1", tbserver_bin(), args);
	char buf[4096];
	struct buf b;
	FILE *p = popen(cmd, "r");
	size_t n;
	int st;

	ck_assert_ptr_nonnull(p);
	buf_init(&b);
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		buf_add(&b, buf, n);
	st = pclose(p);
	free(cmd);
	if (out != NULL)
		*out = buf_take(&b);
	else
		buf_free(&b);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* One request of token to s that must answer want: the body (caller frees). */
static char *call(struct tbserver *s, const char *method, const char *path, const char *token,
                  const char *body, long want)
{
	struct err e = {0};
	long status = 0;
	char *r = tbserver_request(s, method, path, token, body, &status, &e);

	ck_assert_msg(r != NULL, "%s %s: %s", method, path, e.msg);
	ck_assert_msg(status == want, "%s %s: %ld, want %ld: %s", method, path, status, want, r);
	return r;
}

static char *login(struct tbserver *s, const char *clerk, const char *password)
{
	struct err e = {0};
	char *body = xasprintf("{\"clerk\":\"%s\",\"password\":\"%s\","
	                       "\"device\":\"d0d0d0d0-1111-4222-8333-000000000001\"}",
	                       clerk, password);
	char *r = call(s, "POST", "/v1/login", NULL, body, 200);
	struct json_object *o = json_tokener_parse(r), *t;
	char *token;

	(void)e;
	ck_assert(json_object_object_get_ex(o, "token", &t));
	token = xstrdup(json_object_get_string(t));
	json_object_put(o);
	free(r);
	free(body);
	return token;
}

/* Event seq of case k by demo at window 3 of H001.  Caller frees. */
static char *event(int k, int seq, const char *type, const char *payload)
{
	return xasprintf("{\"uuid\":\"77777777-%04d-4000-8000-%012d\",\"case_id\":"
	                 "\"cccccccc-0000-4000-8000-%012d\",\"seq\":%d,\"type\":\"%s\","
	                 "\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
	                 "\"client_time\":\"2026-11-%02dT10:00:00+08:00\",\"payload\":%s}",
	                 seq, k, k, seq, type, 2 + seq, payload);
}

static void push(struct tbserver *s, const char *token, char *ev)
{
	char *batch = xasprintf("{\"events\":[%s]}", ev);
	char *r = call(s, "POST", "/v1/events", token, batch, 200);

	ck_assert_msg(strstr(r, "\"applied\"") != NULL, "%s: %s", ev, r);
	free(r);
	free(batch);
	free(ev);
}

static void created(struct tbserver *s, const char *token, int k, const char *name)
{
	char *payload = xasprintf(
	    "{\"case_no\":\"H001-03-T01-20261102-%04d\",\"item_code\":\"" ITEM "\","
	    "\"item_name\":\"建筑垃圾处置许可\",\"applicant\":{\"kind\":\"person\","
	    "\"name\":\"%s\",\"id_type\":\"居民身份证\",\"id_number\":\"11010519491231002X\","
	    "\"phone\":\"13800138000\"}}",
	    k, name);

	push(s, token, event(k, 1, "created", payload));
	free(payload);
}

#define ACCEPTED "{\"promised_date\":\"2026-11-30\",\"materials\":[]}"
#define PICKUP                                                                                     \
	"{\"method\":\"pickup\",\"collector_name\":\"张三丰\","                                 \
	"\"collector_id_number\":\"11010519491231002X\",\"collector_is_agent\":false,"             \
	"\"courier\":\"\",\"tracking_no\":\"\",\"address\":\"\"}"

/* A day of a hall on s: 4 cases, two accepted and decided, one of them
 * released and rated badly (a follow-up opens), searches and views on the
 * audit chain, a session that stays open (its token into *kept). */
static void a_day_of_the_hall(struct tbserver *s, char **kept)
{
	char *demo = login(s, TBSERVER_CLERK, TBSERVER_PASSWORD), *boss, *r;
	struct err e = {0};
	int k;

	ck_assert_msg(tbserver_add_user(s, "boss", "secret", "H001", "backoffice", DEPT, &e) == 0,
	              "%s", e.msg);
	boss = login(s, "boss", "secret");
	for (k = 1; k <= 4; k++)
		created(s, demo, k, k % 2 ? "张三丰" : "李四");
	for (k = 1; k <= 2; k++) {
		char *path = xasprintf("/v1/cases/cccccccc-0000-4000-8000-%012d/decision", k);

		push(s, demo, event(k, 2, "accepted", ACCEPTED));
		free(call(s, "POST", path, boss, "{\"decision\":\"approve\"}", 200));
		free(path);
	}
	push(s, demo, event(1, 4, "released", PICKUP));
	push(s, demo,
	     event(1, 5, "rated", "{\"level\":2,\"comment\":\"慢\",\"follow_up_due\":\"\"}"));
	r = call(s, "GET", "/v1/cases?query=%E5%BC%A0%E4%B8%89%E4%B8%B0", demo, NULL, 200);
	free(r);
	free(call(s, "GET", "/v1/cases/cccccccc-0000-4000-8000-000000000001", demo, NULL, 200));
	free(boss);
	*kept = demo;
}

/* The answer of GET path as token on s.  Caller frees. */
static char *get(struct tbserver *s, const char *path, const char *token)
{
	return call(s, "GET", path, token, NULL, 200);
}

/* migrate goes from SQLite to PostgreSQL only, and says how to call it. */
START_TEST(test_migrate_refuses_anything_but_sqlite_into_postgresql)
{
	char *args = xasprintf("migrate --from sqlite:%s/a.db --to %s/b.db", dir, dir), *out;

	ck_assert_int_eq(tongband(args, &out), 2);
	ck_assert_msg(strstr(out, "PostgreSQL") != NULL, "%s", out);
	free(out);
	free(args);
	ck_assert_int_eq(tongband("migrate --to postgresql://x@127.0.0.1/y", NULL), 2);
	ck_assert_int_eq(tongband("migrate --from postgresql://x@127.0.0.1/y --to "
	                          "postgresql://x@127.0.0.1/z",
	                          NULL),
	                 2);
}
END_TEST

/* A new, empty PostgreSQL database on the cluster.  Caller frees. */
static char *new_pg(const char *name)
{
	struct err e = {0};
	char *db = tbdb_new(dir, name, &e);

	ck_assert_msg(db != NULL, "%s", e.msg);
	return db;
}

/* A hall run by this tongband on SQLite moves to PostgreSQL whole, and a
 * tongband on it goes on where the hall's left off. */
START_TEST(test_a_hall_made_by_this_tongband_moves_to_postgresql_whole)
{
	struct tbserver *lite, *pg;
	struct err e = {0};
	char *pgdb = new_pg("moved"), *token, *feed, *feed2, *ex1, *ex2, *out, *cmd, *r;

	/* the hall's server: SQLite, whatever the suite runs on */
	setenv("TONGBAND_TEST_BACKEND", "sqlite", 1);
	lite = tbserver_start(&e);
	setenv("TONGBAND_TEST_BACKEND", "postgresql", 1);
	ck_assert_msg(lite != NULL, "%s", e.msg);
	a_day_of_the_hall(lite, &token);
	feed = get(lite, "/v1/changes?since=0", token);
	ck_assert_msg(strstr(feed, "\"kind\":\"decision\"") &&
	                  strstr(feed, "\"kind\":\"case_no\"") &&
	                  strstr(feed, "\"kind\":\"catalogue\""),
	              "%s", feed);
	ck_assert_int_eq(tbserver_stop(lite), 0);
	/* sessions enough for the copy to say how far it has come */
	ck_assert_msg(tbdb_exec(tbserver_db(lite),
	                        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
	                        " WHERE i < 1500) INSERT INTO tokens (hash, user_id, expires)"
	                        " SELECT printf('%064d', i), 'demo', 4102444800 FROM n",
	                        &e) == 0,
	              "%s", e.msg);

	cmd = xasprintf("migrate --from sqlite:%s --to '%s'", tbserver_db(lite), pgdb);
	ck_assert_msg(tongband(cmd, &out) == 0, "%s", out);
	/* not a terminal: plain lines of the rows copied, the last one at 100% */
	ck_assert_msg(strstr(out, "migrate: ") != NULL && strstr(out, "(100%)") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "cases             4 rows") != NULL &&
	                  strstr(out, "follow_ups        1 rows") != NULL &&
	                  strstr(out, "tongband: migrated") != NULL,
	              "%s", out);
	free(out);
	free(cmd);
	/* the same cases, case by case, in the export */
	cmd = xasprintf("export --format json --db '%s'", tbserver_db(lite));
	ck_assert_int_eq(tongband(cmd, &ex1), 0);
	free(cmd);
	cmd = xasprintf("export --format json --db '%s'", pgdb);
	ck_assert_int_eq(tongband(cmd, &ex2), 0);
	free(cmd);
	ck_assert_msg(strstr(ex1, "李四") != NULL, "%s", ex1);
	ck_assert_str_eq(ex1, ex2);
	/* an audit chain that holds, with the move's own row at its end */
	cmd = xasprintf("audit verify --db '%s'", pgdb);
	ck_assert_msg(tongband(cmd, &out) == 0 && strstr(out, "holds") != NULL, "%s", out);
	free(out);
	free(cmd);

	pg = tbserver_start_on(pgdb, NULL, &e);
	ck_assert_msg(pg != NULL, "%s", e.msg);
	/* the session goes on, the feed is the same, cursor for cursor */
	feed2 = get(pg, "/v1/changes?since=0", token);
	ck_assert_str_eq(feed, feed2);
	/* the passwords, and the next case gets the next official number */
	free(token);
	token = login(pg, TBSERVER_CLERK, TBSERVER_PASSWORD);
	created(pg, token, 5, "王五");
	r = get(pg, "/v1/cases/cccccccc-0000-4000-8000-000000000005", token);
	ck_assert_msg(strstr(r, "\"official_no\":\"H001-2026-000005\"") != NULL, "%s", r);
	free(r);
	tbserver_free(pg);
	tbserver_free(lite);
	tbdb_remove(pgdb);
	free(pgdb);
	free(token);
	free(feed);
	free(feed2);
	free(ex1);
	free(ex2);
}
END_TEST

/* A hall's database of schema 4 (an earlier release, tests/data) is
 * brought to this schema and moved; a second move into the same database
 * is refused and changes nothing. */
START_TEST(test_a_hall_of_an_earlier_release_moves_too_and_only_once)
{
	char *lite = xasprintf("%s/v4.db", dir), *pgdb = new_pg("old"), *dump, *path, *cmd, *out;
	struct err e = {0};

	path = tbcheck_src_path("tests/data/server-v4.sql");
	dump = file_read_all(path, NULL, 1 << 20, &e);
	ck_assert_msg(dump != NULL, "%s", e.msg);
	ck_assert_msg(tbdb_exec(lite, dump, &e) == 0, "%s", e.msg);
	cmd = xasprintf("migrate --from %s --to '%s'", lite, pgdb);
	ck_assert_msg(tongband(cmd, &out) == 0, "%s", out);
	free(out);
	ck_assert_int_eq(tbdb_int(pgdb, "SELECT count(*) FROM cases", NULL, &e),
	                 tbdb_int(lite, "SELECT count(*) FROM cases", NULL, &e));
	ck_assert_int_eq(tbdb_int(pgdb, "SELECT count(*) FROM credit_records", NULL, &e), 1);
	ck_assert_int_eq(tongband(cmd, &out), 1);
	ck_assert_msg(strstr(out, "already holds") != NULL, "%s", out);
	free(out);
	ck_assert_int_eq(tbdb_int(pgdb, "SELECT count(*) FROM cases", NULL, &e),
	                 tbdb_int(lite, "SELECT count(*) FROM cases", NULL, &e));
	free(cmd);
	free(dump);
	free(path);
	tbdb_remove(pgdb);
	free(pgdb);
	free(lite);
}
END_TEST

static Suite *migrate_suite(void)
{
	Suite *s = suite_create("server_migrate");
	TCase *tc = tcase_create("migrate");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, make_dir, remove_dir);
	tcase_add_test(tc, test_migrate_refuses_anything_but_sqlite_into_postgresql);
	if (tbdb_is_postgresql()) {
		tcase_add_test(tc, test_a_hall_made_by_this_tongband_moves_to_postgresql_whole);
		tcase_add_test(tc, test_a_hall_of_an_earlier_release_moves_too_and_only_once);
	}
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	return tbcheck_run(migrate_suite());
}
