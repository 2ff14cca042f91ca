/*
 * bench_explain.c - does every API query of tongband reach its rows
 * through an index on a province's database?
 *
 * Makes a PostgreSQL database of --cases cases (default 1,000,000) of 100
 * halls, with an event and a change each, releases, ratings and follow-ups
 * in a province's proportions, straight in SQL on a private cluster
 * (tests/harness/tbdb.h), then has PostgreSQL's auto_explain log the plan
 * of every statement tongband runs while one clerk, back office, supervisor
 * and operator of hall H001 call every route of the API (each search of
 * tongband-api(7)'s rule, a case, the feed, a push, a decision, the
 * follow-ups, the statistics, the users, a login and a logout).  Prints
 * each call's time and, for every table of more than 10,000 rows that a
 * plan reads with a sequential scan, the statement.  Exits 1 when there is
 * one (or a call fails); prints SKIPPED where PostgreSQL is not installed.
 *
 * Usage: bench_explain [--cases N]
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/util.h"
#include "server/srv_db.h"
#include "tbdb.h"
#include "tbserver.h"

#define DEPT "市城市管理和综合执法局" /* the department deciding item 000101001000 */

/* The province in SQL: :N cases, hall H001 is every 100th. */
static const char *const province[] = {
    "CREATE UNLOGGED TABLE bench_n AS SELECT i, CASE WHEN i % 100 = 0 THEN 'H001' ELSE"
    " 'P' || lpad((i % 100)::text, 3, '0') END AS hall, md5(i::text)::uuid::text AS id,"
    " to_char(date '2026-01-01' + (i::bigint * 364 / :N)::int, 'YYYY-MM-DD') AS day"
    " FROM generate_series(1, :N) AS i",
    "INSERT INTO cases (rowid, id, hall, case_no, item_code, item_name, applicant_name,"
    " id_number, phone, state, last_seq, created_at, received_at, updated_at, payload, dept,"
    " official_no, applied_on, outcome, due_on)"
    " SELECT i, id, hall, hall || '-03-T01-' || lpad(i::text, 8, '0'), '000101001000',"
    " '建筑垃圾处置许可',"
    " (array['王','李','张','刘','陈','杨','黄','赵','吴','周','徐','孙','马','朱','胡','郭',"
    "'何','高','林','罗'])[1 + i % 20] ||"
    " (array['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟','涛','明',"
    "'超','秀','霞','平','刚','桂','英','华','玉','萍','红','鹏','建','国','文','辉','力',"
    "'斌','宇','浩','凯','健','俊','帆'])[1 + (i / 20) % 40] ||"
    " CASE WHEN i % 3 = 0 THEN '' ELSE (array['一','二','三','四','五','六','七','八','九',"
    "'十','春','夏','秋','冬','东','西','南','北','中','山'])[1 + (i / 800) % 20] END,"
    " '110105' || lpad(((i::bigint * 7919) % 100000000)::text, 8, '0') ||"
    " lpad((i % 10000)::text, 4, '0'),"
    " '13' || lpad(((i::bigint * 104729) % 1000000000)::text, 9, '0'),"
    " CASE WHEN i % 2 = 0 THEN 'released' ELSE 'accepted' END, 2,"
    " day || 'T10:00:00+08:00', day || 'T10:00:00.' || lpad(i::text, 7, '0') || '+08:00',"
    " day || 'T10:00:00+08:00', '{}', '" DEPT "',"
    " hall || '-2026-' || lpad(((i + 99) / 100)::text, 6, '0'), day, 'accepted', day FROM bench_n",
    "INSERT INTO events (uuid, case_id, seq, type, hall, \"window\", clerk, client_time,"
    " payload, canonical, user_id, received_at)"
    " SELECT md5('e' || i)::uuid::text, id, 1, 'created', hall, '3', 'demo',"
    " day || 'T10:00:00+08:00', '{}', '{}', 'demo', day || 'T10:00:00+08:00' FROM bench_n",
    "INSERT INTO events (uuid, case_id, seq, type, hall, \"window\", clerk, client_time,"
    " payload, canonical, user_id, received_at)"
    " SELECT md5('a' || i)::uuid::text, id, 2, 'accepted', hall, '3', 'demo',"
    " day || 'T10:00:00+08:00', '{}', '{}', 'demo', day || 'T10:00:00+08:00' FROM bench_n",
    "INSERT INTO changes (id, cursor, hall, kind, case_id, created_at)"
    " SELECT i + 10, i + 10, hall, 'case_no', id, day || 'T10:00:00+08:00' FROM bench_n",
    "INSERT INTO case_numbers (hall, year, last) SELECT hall, '2026', count(*) FROM bench_n"
    " GROUP BY hall ON CONFLICT (hall, year) DO UPDATE SET last = excluded.last",
    "INSERT INTO releases (case_id, hall, method, released_on, released_at, clerk,"
    " \"window\", event_uuid)"
    " SELECT id, hall, 'pickup', day, day || 'T15:00:00+08:00', 'demo', '3',"
    " md5('r' || i)::uuid::text FROM bench_n WHERE i % 2 = 0",
    "INSERT INTO ratings (case_id, hall, level, rated_on, rated_at, clerk, released_by,"
    " event_uuid)"
    " SELECT id, hall, 1 + i % 5, day, day || 'T15:05:00+08:00', 'demo', 'demo',"
    " md5('g' || i)::uuid::text FROM bench_n WHERE i % 6 = 0",
    "INSERT INTO follow_ups (case_id, hall, due, state)"
    " SELECT id, hall, day, CASE WHEN i % 4 = 0 THEN 'closed' ELSE 'open' END FROM bench_n"
    " WHERE i % 6 = 0 AND 1 + i % 5 <= 2",
    "SELECT setval(pg_get_serial_sequence('cases', 'rowid'), :N + 1, false)",
    "SELECT setval(pg_get_serial_sequence('changes', 'id'), :N + 100, false)",
    "DROP TABLE bench_n",
    "ANALYZE",
};

/* The statement s with :N as n.  Caller frees. */
static char *with_n(const char *s, long n)
{
	struct buf b;
	const char *p;

	buf_init(&b);
	while ((p = strstr(s, ":N")) != NULL) {
		buf_add(&b, s, (size_t)(p - s));
		buf_printf(&b, "%ld", n);
		s = p + 2;
	}
	buf_adds(&b, s);
	return buf_take(&b);
}

static int make_province(const char *db, long n, struct err *e)
{
	size_t i;

	for (i = 0; i < sizeof province / sizeof province[0]; i++) {
		char *sql = with_n(province[i], n);
		long long t0 = clock_ms();
		int rc = tbdb_exec(db, sql, e);

		printf("  %-60.60s %6.1f s\n", province[i], (clock_ms() - t0) / 1000.0);
		fflush(stdout);
		free(sql);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* auto_explain for every new session: each statement's plan in the log
 * (ALTER SYSTEM, one statement at a time: not in a transaction). */
static const char *const explain_on[] = {
    "LOAD 'auto_explain'", /* so that its settings are known */
    "ALTER SYSTEM SET session_preload_libraries = 'auto_explain'",
    "ALTER SYSTEM SET auto_explain.log_min_duration = 0",
    "ALTER SYSTEM SET auto_explain.log_nested_statements = on",
    "SELECT pg_reload_conf()",
};

static int explain_plans(const char *spec, struct err *e)
{
	struct srv_db *db;
	size_t i;
	int rc = 0;

	if (srv_db_open(&db, spec, 10000, e) < 0)
		return -1;
	for (i = 0; i < sizeof explain_on / sizeof explain_on[0] && rc == 0; i++)
		rc = srv_db_exec(db, explain_on[i], e);
	srv_db_close(db);
	return rc;
}

/* One call of the API and its time. */
static int call(struct tbserver *s, const char *method, const char *path, const char *token,
                const char *body, long want)
{
	struct err e = {0};
	long status = 0;
	long long t0 = clock_ms();
	char *r = tbserver_request(s, method, path, token, body, &status, &e);
	long long ms = clock_ms() - t0;

	printf("  %-6s %-58.58s %4ld %5lld ms\n", method, path, status, ms);
	if (r == NULL || status != want) {
		fprintf(stderr, "bench_explain: %s %s: %ld, want %ld: %s\n", method, path, status,
		        want, r ? r : e.msg);
		free(r);
		return -1;
	}
	free(r);
	return 0;
}

static char *login(struct tbserver *s, const char *id, const char *password)
{
	struct err e = {0};
	char *t = tbserver_login(s, id, password, &e);

	if (t == NULL)
		fprintf(stderr, "bench_explain: %s\n", e.msg);
	return t;
}

/* A case of H001 that is there (the 100th). */
#define H001_CASE_QUERY "SELECT id FROM cases WHERE hall = 'H001' ORDER BY rowid LIMIT 1"

/* Every route, as a hall's staff call them.  0 or -1. */
static int every_route(struct tbserver *s, const char *db)
{
	static const char *const searches[] = {
	    "",                            /* the newest */
	    "%E7%8E%8B%E4%BC%9F%E4%B8%80", /* 王伟一: a three-character name */
	    "%E7%8E%8B%E4%BC%9F",          /* 王伟: a two-character name (the newest 20,000) */
	    "%E7%8E%8B",                   /* 王: a surname */
	    "H001-2026-000042",            /* an official number */
	    "H001-03-T01-00004200",        /* a case number */
	    "0042",                        /* the end of an ID number or a phone */
	    "2026-11",                     /* a month */
	    "2026-11-05",                  /* a day */
	    "2026-11-01..2026-11-30",      /* a range of days */
	    "%E7%8E%8B+2026-11",           /* a surname in a month */
	};
	char *demo = login(s, "demo", "demo123"), *boss = login(s, "boss", "bench");
	char *sup = login(s, "sup", "bench"), *ops = login(s, "ops", "bench");
	char *id = tbdb_text(db, H001_CASE_QUERY, NULL), path[256];
	size_t i;
	int rc = 0;

	if (!demo || !boss || !sup || !ops || !id)
		return -1;
	for (i = 0; i < sizeof searches / sizeof searches[0] && rc == 0; i++) {
		snprintf(path, sizeof path, "/v1/cases?query=%s", searches[i]);
		rc = call(s, "GET", path, demo, NULL, 200);
	}
	snprintf(path, sizeof path, "/v1/cases/%s", id);
	rc = rc ? rc : call(s, "GET", path, demo, NULL, 200);
	rc = rc ? rc : call(s, "GET", "/v1/changes?since=0", demo, NULL, 200);
	rc = rc ? rc : call(s, "GET", "/v1/changes?since=500000", demo, NULL, 200);
	rc =
	    rc ? rc
	       : call(s, "POST", "/v1/events", demo,
	              "{\"events\":[{\"uuid\":\"11111111-2222-4333-8444-000000000001\","
	              "\"case_id\":\"aaaaaaaa-bbbb-4ccc-8ddd-000000000001\",\"seq\":1,"
	              "\"type\":\"created\",\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
	              "\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":{\"case_no\":"
	              "\"H001-03-T01-20261125-0001\",\"item_code\":\"000101001000\","
	              "\"item_name\":\"建筑垃圾处置许可\",\"applicant\":{\"name\":\"张三丰\"}}},"
	              "{\"uuid\":\"11111111-2222-4333-8444-000000000002\","
	              "\"case_id\":\"aaaaaaaa-bbbb-4ccc-8ddd-000000000001\",\"seq\":2,"
	              "\"type\":\"accepted\",\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
	              "\"client_time\":\"2026-11-25T10:02:02+08:00\",\"payload\":{"
	              "\"promised_date\":\"2026-12-01\",\"materials\":[]}}]}",
	              200);
	rc = rc ? rc
	        : call(s, "POST", "/v1/cases/aaaaaaaa-bbbb-4ccc-8ddd-000000000001/decision", boss,
	               "{\"decision\":\"approve\"}", 200);
	rc = rc ? rc : call(s, "GET", "/v1/changes?since=1000000000", demo, NULL, 200);
	rc = rc ? rc : call(s, "GET", "/v1/followups?state=open", sup, NULL, 200);
	rc = rc ? rc : call(s, "GET", "/v1/followups?state=all", sup, NULL, 200);
	rc = rc ? rc : call(s, "GET", "/v1/stats?from=2026-11-01&to=2026-11-30", sup, NULL, 200);
	rc = rc ? rc : call(s, "GET", "/v1/users", ops, NULL, 200);
	rc = rc ? rc : call(s, "GET", "/v1/catalogue", demo, NULL, 200);
	rc = rc ? rc : call(s, "POST", "/v1/logout", demo, NULL, 200);
	free(demo);
	free(boss);
	free(sup);
	free(ops);
	free(id);
	return rc;
}

/* The tables of more than 10,000 rows, as ",a,b,". Caller frees. */
static char *big_tables(const char *db)
{
	char *t = tbdb_text(db,
	                    "SELECT ',' || string_agg(relname, ',') || ',' FROM pg_class"
	                    " WHERE relkind = 'r' AND reltuples > 10000"
	                    " AND relnamespace = 'public'::regnamespace",
	                    NULL);

	return t ? t : xstrdup(",");
}

/* The plans logged after offset that read a big table sequentially: each
 * printed with its statement.  How many; *plans the plans read (-1 when
 * the log could not be read). */
static int seq_scans(const char *log, long offset, const char *big, int *plans)
{
	size_t len;
	char *text = file_read_all(log, &len, 1 << 30, NULL), *p, *query = NULL;
	int n = 0;

	*plans = -1;
	if (text == NULL || (size_t)offset > len)
		return 0;
	*plans = 0;
	for (p = text + offset; (p = strchr(p, '\n')) != NULL; p++) {
		char *line = p + 1, *q, table[80];
		size_t k;

		if ((q = strstr(line, "Query Text: ")) != NULL && q < strchr(line, '\n')) {
			query = q + 12;
			++*plans;
		}
		if ((q = strstr(line, "Seq Scan on ")) == NULL || q > strchr(line, '\n'))
			continue;
		q += 12;
		k = strcspn(q, " \n");
		snprintf(table, sizeof table, ",%.*s,", (int)(k < 70 ? k : 70), q);
		if (strstr(big, table) == NULL)
			continue;
		n++;
		printf("  SEQUENTIAL SCAN of %.*s in: %.300s\n", (int)k, q,
		       query ? query : "(statement not found)");
	}
	free(text);
	return n;
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

static int add_staff(struct tbserver *s)
{
	struct err e = {0};

	if (tbserver_add_user(s, "boss", "bench", "H001", "backoffice", DEPT, &e) < 0 ||
	    tbserver_add_user(s, "sup", "bench", "H001", "supervisor", "", &e) < 0 ||
	    tbserver_add_user(s, "ops", "bench", "H001", "operator", "", &e) < 0) {
		fprintf(stderr, "bench_explain: %s\n", e.msg);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const args[] = {"--requests-per-address", "0", NULL};
	long cases = argc == 3 && strcmp(argv[1], "--cases") == 0 ? atol(argv[2]) : 1000000;
	struct tbserver *s = NULL;
	struct err e = {0};
	char *log, *big;
	long mark;
	int bad, plans, rc = 1;

	if ((argc != 1 && argc != 3) || cases < 1000) {
		fputs("usage: bench_explain [--cases N]   (N >= 1000)\n", stderr);
		return 2;
	}
	setenv("TONGBAND_TEST_BACKEND", "postgresql", 1);
	unsetenv("TONGBAN_TEST_PG"); /* a cluster of its own, whose log is read */
	if (tbdb_setup(&e) < 0) {
		printf("bench_explain SKIPPED: %s\n", e.msg);
		return 0;
	}
	printf("the plans of tongband's API on PostgreSQL, %ld cases of 100 halls\n", cases);
	log = tbdb_cluster_log();
	s = tbserver_start_args(args, &e);
	if (s == NULL || add_staff(s) < 0 || make_province(tbserver_db(s), cases, &e) < 0 ||
	    explain_plans(tbserver_db(s), &e) < 0 || tbserver_restart(s, &e) < 0) {
		fprintf(stderr, "bench_explain: %s\n", e.msg);
		goto out;
	}
	mark = file_size(log);
	if (every_route(s, tbserver_db(s)) < 0)
		goto out;
	big = big_tables(tbserver_db(s));
	bad = seq_scans(log, mark, big, &plans);
	printf("%d plans logged; tables of more than 10,000 rows (%s): %d sequential scans\n",
	       plans, big, bad);
	free(big);
	rc = bad == 0 && plans > 0 ? 0 : 1;
out:
	tbserver_free(s);
	free(log);
	return rc;
}
