/*
 * test_server_audit.c - tongband's audit chains (src/server/srv_audit.c),
 * against a real tongband over HTTP on loopback: every change and every
 * view of a whole record is a row of the server's own chain, which
 * `tongband audit verify` finds edited, cut or reordered; and a clerk PC's
 * chain arrives through POST /v1/audit, all of a batch or none of it.
 */
#include <check.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/auditchain.h"
#include "core/i18n.h"
#include "core/util.h"
#include "tbcheck.h"
#include "tbdb.h"
#include "tbserver.h"

#define CASE_1  "aaaaaaaa-bbbb-4ccc-8ddd-000000000c01"
#define CASE_2  "aaaaaaaa-bbbb-4ccc-8ddd-000000000c02"
#define ID_NO   "11010519491231002X"
#define PHONE   "13800138000"
#define DEVICE  "d0d0d0d0-1111-4222-8333-000000000001"
#define DEVICE2 "d0d0d0d0-1111-4222-8333-000000000002"
#define DEPT    "市城市管理和综合执法局" /* the department deciding ITEM */
#define ITEM    "000101001000"

static struct tbserver *srv;
static char *demo; /* demo's token, logged in on DEVICE */

/* ---- talking to the server ------------------------------------------------- */

/* method path with token and body: the answer's body, which must come with
 * status want.  Caller frees. */
static char *call(const char *method, const char *path, const char *token, const char *body,
                  long want)
{
	struct err e = {0};
	long status = 0;
	char *r = tbserver_request(srv, method, path, token, body, &status, &e);

	ck_assert_msg(r != NULL, "%s %s: %s", method, path, e.msg);
	ck_assert_msg(status == want, "%s %s: %ld, want %ld: %s", method, path, status, want, r);
	return r;
}

static void call_ok(const char *method, const char *path, const char *token, const char *body,
                    long want)
{
	free(call(method, path, token, body, want));
}

/* A token of clerk, logged in on device (a PC's UUID). */
static char *login_on(const char *clerk, const char *password, const char *device)
{
	char *body = xasprintf("{\"clerk\":\"%s\",\"password\":\"%s\",\"device\":\"%s\"}", clerk,
	                       password, device);
	char *r = call("POST", "/v1/login", NULL, body, 200);
	struct json_object *o = json_tokener_parse(r), *t;
	char *token;

	ck_assert(json_object_object_get_ex(o, "token", &t));
	token = xstrdup(json_object_get_string(t));
	json_object_put(o);
	free(r);
	free(body);
	return token;
}

/* A created event (the k-th) of case_id for demo at window 3 of H001. */
static char *created(const char *case_id, int k)
{
	return xasprintf(
	    "{\"uuid\":\"11111111-2222-4333-8444-%012d\",\"case_id\":\"%s\",\"seq\":1,"
	    "\"type\":\"created\",\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
	    "\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":{"
	    "\"case_no\":\"H001-03-20261125-%04d\",\"item_code\":\"" ITEM "\","
	    "\"item_name\":\"建筑垃圾处置许可\",\"applicant\":{\"name\":\"张三丰\","
	    "\"id_number\":\"" ID_NO "\",\"phone\":\"" PHONE "\"}}}",
	    k, case_id, k);
}

static char *accepted(const char *case_id, int k)
{
	return xasprintf("{\"uuid\":\"11111111-2222-4333-8444-%012d\",\"case_id\":\"%s\","
	                 "\"seq\":2,\"type\":\"accepted\",\"hall\":\"H001\",\"window\":\"3\","
	                 "\"clerk\":\"demo\",\"client_time\":\"2026-11-25T10:02:00+08:00\","
	                 "\"payload\":{\"promised_date\":\"2026-12-01\"}}",
	                 100 + k, case_id);
}

/* ---- the server's database and its command line ---------------------------- */

/* Run the statements sql on the server's database (as someone who edits
 * the database behind tongband's back). */
static void sql(const char *stmts)
{
	struct err e = {0};

	ck_assert_msg(tbdb_exec(tbserver_db(srv), stmts, &e) == 0, "%s: %s", stmts, e.msg);
}

/* The first column of the first row of query on the server's database as
 * text ("" for none).  Caller frees. */
static char *sql_text(const char *query)
{
	char *v = tbdb_text(tbserver_db(srv), query, NULL);

	return v ? v : xstrdup("");
}

static long long sql_int(const char *query)
{
	char *v = sql_text(query);
	long long n = atoll(v);

	free(v);
	return n;
}

/* Run `tongband ARGS --db SERVER_DB` in English: its exit status, and its
 * standard output and error into *out (caller frees). */
static int tongband(const char *args, char **out)
{
	const char *path = tbserver_db(srv);
	char *cmd, buf[4096];
	struct buf b;
	FILE *p;
	size_t n;
	int st;

	cmd = xasprintf("LC_ALL=C LANG=C TONGBAN_LANG= '%s' %s --db '%s' 2>&1", tbserver_bin(),
	                args, path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	buf_init(&b);
	while ((n = fread(buf, 1, sizeof buf, p)) > 0)
		buf_add(&b, buf, n);
	st = pclose(p);
	*out = buf_take(&b);
	free(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* tongband audit verify must exit want with a line holding each of the
 * NULL-terminated texts. */
static void verify_says(int want, const char *const *texts)
{
	char *out;
	int rc = tongband("audit verify", &out);

	ck_assert_msg(rc == want, "exit %d, want %d:\n%s", rc, want, out);
	for (; *texts != NULL; texts++)
		ck_assert_msg(strstr(out, *texts) != NULL, "no \"%s\" in:\n%s", *texts, out);
	free(out);
}

/* ---- fixture ------------------------------------------------------------------ */

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "%s", e.msg);
	ck_assert_msg(tbserver_add_user(srv, "boss", "boss123", "H001", "backoffice", DEPT, &e) ==
	                  0,
	              "%s", e.msg);
	demo = login_on("demo", "demo123", DEVICE);
}

static void teardown(void)
{
	free(demo);
	tbserver_free(srv);
}

/* A day at the hall: two cases pushed and accepted, one decided over the
 * API by the back office and one with tongband decide, an account added,
 * a case read whole and a search by ID number. */
static void busy_day(void)
{
	char *c1 = created(CASE_1, 1), *a1 = accepted(CASE_1, 1), *c2 = created(CASE_2, 2),
	     *a2 = accepted(CASE_2, 2),
	     *batch = xasprintf("{\"events\":[%s,%s,%s,%s]}", c1, a1, c2, a2),
	     *boss = login_on("boss", "boss123", DEVICE2), *out;
	struct err e = {0};

	call_ok("POST", "/v1/events", demo, batch, 200);
	call_ok("POST", "/v1/cases/" CASE_1 "/decision", boss, "{\"decision\":\"approve\"}", 200);
	ck_assert_int_eq(tongband("decide " CASE_2 " refuse --reason 材料不全", &out), 0);
	free(out);
	ck_assert_msg(tbserver_add_user(srv, "zhao", "zhao123", "H001", "clerk", "", &e) == 0, "%s",
	              e.msg);
	call_ok("GET", "/v1/cases/" CASE_1, demo, NULL, 200);
	call_ok("GET", "/v1/cases?query=" ID_NO, demo, NULL, 200);
	free(boss);
	free(batch);
	free(c1);
	free(a1);
	free(c2);
	free(a2);
}

/* ---- tongband's own chain ------------------------------------------------------ */

START_TEST(test_every_change_and_every_view_is_a_row_of_the_servers_chain)
{
	static const char *const holds[] = {"tongband's audit chain holds: ", NULL};
	static const char *const rows[] = {
	    "\tdemo\tH001\t" CASE_1 "\tevent\tcreated seq 1 11111111-2222-4333-8444-000000000001\n",
	    "\tdemo\tH001\t" CASE_2
	    "\tevent\taccepted seq 2 11111111-2222-4333-8444-000000000102\n",
	    "\tboss\tH001\t" CASE_1 "\tdecision\tdecided approve seq 3 ",
	    "\toperator\tH001\t" CASE_2 "\tdecision\tdecided refuse seq 3 ",
	    "\toperator\tH001\t-\taccount\tzhao created: role clerk, password set\n",
	    "\tdemo\tH001\t-\tlogin\tterminal T01\n",
	    "\tboss\tH001\t-\tlogin\tterminal T02\n",
	    "\tdemo\tH001\t" CASE_1 "\tview\tGET /v1/cases/ID\n",
	    "\tdemo\tH001\t-\tsearch\tkind number, 2 hits\n",
	    "\toperator\t-\t-\timport\tcatalogue version ",
	};
	char *out;
	size_t i;

	busy_day();
	verify_says(0, holds);
	ck_assert_int_eq(tongband("audit list", &out), 0);
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		ck_assert_msg(strstr(out, rows[i]) != NULL, "no \"%s\" in:\n%s", rows[i], out);
	/* the query was an ID number: neither the list nor the table holds it */
	ck_assert_msg(strstr(out, ID_NO) == NULL && strstr(out, "张三丰") == NULL, "%s", out);
	free(out);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE detail LIKE '%" ID_NO "%'"
	                         " OR instr(detail, '" PHONE "') > 0"),
	                 0);
	/* ids 1, 2, 3 ... and each row's prev the hash of the one before */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit a JOIN audit b ON b.id = a.id + 1"
	                         " WHERE b.prev <> a.hash"),
	                 0);
	ck_assert_int_eq(sql_int("SELECT max(id) - count(*) FROM audit"), 0);
	ck_assert_int_eq(tongband("audit list --case " CASE_2, &out), 0);
	ck_assert_msg(strstr(out, CASE_1) == NULL &&
	                  strstr(out, "\tdecision\tdecided refuse") != NULL,
	              "%s", out);
	free(out);
}
END_TEST

/* A change that is refused leaves no row: an event that does not fit its
 * case, a decision another department makes. */
START_TEST(test_a_refused_change_leaves_no_row)
{
	char *c1 = created(CASE_1, 1), *batch = xasprintf("{\"events\":[%s]}", c1);
	long long before;

	call_ok("POST", "/v1/events", demo, batch, 200);
	before = sql_int("SELECT count(*) FROM audit");
	call_ok("POST", "/v1/events", demo, batch, 200); /* a duplicate: nothing new */
	call_ok("POST", "/v1/cases/" CASE_1 "/decision", demo, "{\"decision\":\"approve\"}", 403);
	call_ok("GET", "/v1/cases/" CASE_2, demo, NULL, 404); /* no such case: nothing seen */
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit"), before);
	free(batch);
	free(c1);
}
END_TEST

START_TEST(test_an_edited_row_of_the_servers_chain_is_named)
{
	static const char *const says[] = {"tongband's audit chain is broken: row 6 was edited",
	                                   NULL};

	busy_day();
	sql("UPDATE audit SET detail = 'kind name, 0 hits' WHERE id = 6");
	verify_says(1, says);
}
END_TEST

START_TEST(test_a_deleted_middle_row_of_the_servers_chain_is_named_as_a_gap)
{
	static const char *const says[] = {
	    "tongband's audit chain is broken: rows 7 to 7 before row 8 are missing (deleted)",
	    NULL};

	busy_day();
	sql("DELETE FROM audit WHERE id = 7");
	verify_says(1, says);
}
END_TEST

/* Rows 5 and 6 change places, their ids with them or not: either way the
 * chain does not hold at row 5. */
START_TEST(test_two_swapped_rows_of_the_servers_chain_are_found)
{
	static const char *const says[] = {"tongband's audit chain is broken: row 5 ", NULL};

	busy_day();
	sql("UPDATE audit SET id = -id WHERE id IN (5, 6);"
	    "UPDATE audit SET id = 6 WHERE id = -5; UPDATE audit SET id = 5 WHERE id = -6");
	verify_says(1, says);
	sql("UPDATE audit SET id = -id WHERE id IN (5, 6);"
	    "UPDATE audit SET id = 6 WHERE id = -5; UPDATE audit SET id = 5 WHERE id = -6");
	verify_says(0, (const char *const[]){"tongband's audit chain holds: ", NULL});
	sql("CREATE TEMP TABLE x AS SELECT * FROM audit WHERE id IN (5, 6);"
	    "UPDATE audit SET (at, user_id, hall, case_id, what, detail, prev, hash) ="
	    " (SELECT at, user_id, hall, case_id, what, detail, prev, hash FROM x"
	    "  WHERE x.id = 11 - audit.id) WHERE id IN (5, 6)");
	verify_says(1, says);
}
END_TEST

struct searcher {
	int n;
	int failed;
};

static void *search_many(void *arg)
{
	struct searcher *w = arg;
	struct err e = {0};
	int i;

	for (i = 0; i < w->n; i++) {
		long status = 0;
		char *r =
		    tbserver_request(srv, "GET", "/v1/cases?query=abc", demo, NULL, &status, &e);

		w->failed += r == NULL || status != 200;
		free(r);
	}
	return NULL;
}

/* Eight clients searching at once on the server's HTTP threads: every
 * search is one row, no id twice, no gap, the chain whole. */
START_TEST(test_rows_from_many_threads_at_once_make_one_whole_chain)
{
	struct searcher w[8];
	pthread_t t[8];
	long long before = sql_int("SELECT count(*) FROM audit");
	int i;

	for (i = 0; i < 8; i++) {
		w[i] = (struct searcher){25, 0};
		ck_assert_int_eq(pthread_create(&t[i], NULL, search_many, &w[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		ck_assert_int_eq(w[i].failed, 0);
	}
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE what = 'search'"), 200);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit"), before + 200);
	ck_assert_int_eq(sql_int("SELECT max(id) FROM audit"), before + 200);
	verify_says(0, (const char *const[]){"tongband's audit chain holds: ", NULL});
}
END_TEST

/* ---- a PC's chain, as POST /v1/audit brings it ------------------------------- */

/* Row id of a PC's chain after prev, by clerk, with its hash. */
static struct audit_row pc_row(long long id, const char *prev, const char *clerk,
                               const char *detail)
{
	struct audit_row r;

	memset(&r, 0, sizeof r);
	r.id = id;
	snprintf(r.at, sizeof r.at, "2026-11-25T10:%02lld:00+08:00", id % 60);
	str_copy(r.clerk, sizeof r.clerk, clerk);
	str_copy(r.case_id, sizeof r.case_id, id % 2 ? CASE_1 : "");
	str_copy(r.what, sizeof r.what, id % 2 ? "reveal" : "login");
	str_copy(r.detail, sizeof r.detail, detail);
	str_copy(r.prev, sizeof r.prev, prev);
	audit_row_hash(&r, prev, r.hash);
	return r;
}

/* A PC's chain of n rows by demo. */
static void pc_chain(struct audit_row *rows, int n)
{
	int i;

	for (i = 0; i < n; i++)
		rows[i] = pc_row(i + 1, i ? rows[i - 1].hash : "", "demo", "id_number,phone");
}

/* The body of POST /v1/audit with rows[from..to] (1-based ids) of device
 * (the strings are put in as they are: JSON text already). */
static char *audit_body(const char *device, const struct audit_row *rows, int from, int to)
{
	struct buf b;
	int i;

	buf_init(&b);
	buf_printf(&b, "{\"device\":\"%s\",\"rows\":[", device);
	for (i = from - 1; i < to; i++) {
		const struct audit_row *r = &rows[i];

		buf_printf(&b,
		           "%s{\"id\":%lld,\"at\":\"%s\",\"clerk\":\"%s\",\"case_id\":\"%s\","
		           "\"what\":\"%s\",\"detail\":\"%s\",\"prev\":\"%s\",\"hash\":\"%s\"}",
		           i >= from ? "," : "", r->id, r->at, r->clerk, r->case_id, r->what,
		           r->detail, r->prev, r->hash);
	}
	buf_adds(&b, "]}");
	return buf_take(&b);
}

/* POST rows[from..to] of DEVICE as demo: the answer must be want and hold
 * text (may be NULL). */
static void push_rows(const struct audit_row *rows, int from, int to, long want, const char *text)
{
	char *body = audit_body(DEVICE, rows, from, to),
	     *r = call("POST", "/v1/audit", demo, body, want);

	ck_assert_msg(text == NULL || strstr(r, text) != NULL, "no \"%s\" in %s", text, r);
	free(r);
	free(body);
}

static long long stored_rows(void)
{
	return sql_int("SELECT count(*) FROM device_audit WHERE device = '" DEVICE "'");
}

START_TEST(test_a_pcs_rows_are_stored_once_and_a_resent_batch_changes_nothing)
{
	struct audit_row rows[5];

	pc_chain(rows, 5);
	push_rows(rows, 1, 3, 200, "{\"stored\":3,\"duplicates\":0}");
	ck_assert_int_eq(stored_rows(), 3);
	push_rows(rows, 1, 3, 200, "{\"stored\":0,\"duplicates\":3}"); /* the answer was lost */
	ck_assert_int_eq(stored_rows(), 3);
	push_rows(rows, 3, 5, 200, "{\"stored\":2,\"duplicates\":1}");
	ck_assert_int_eq(stored_rows(), 5);
	ck_assert_int_eq(
	    sql_int("SELECT count(*) FROM audit WHERE what = 'received' AND user_id = 'demo'"
	            " AND detail IN ('device " DEVICE " rows 1 to 3', 'device " DEVICE
	            " rows 4 to 5')"),
	    2);
	verify_says(0, (const char *const[]){"the audit chain of device " DEVICE " holds: 5 rows",
	                                     "tongband's audit chain holds: ", NULL});
}
END_TEST

/* A batch with a row that does not continue the chain is refused with 409
 * naming the row and why, and none of it is stored, its good rows neither. */
START_TEST(test_a_batch_that_breaks_the_pcs_chain_is_refused_whole)
{
	struct audit_row rows[6], bad[6];

	pc_chain(rows, 6);
	push_rows(rows, 1, 2, 200, "{\"stored\":2,");
	memcpy(bad, rows, sizeof bad); /* row 4 edited after its hash was made */
	str_copy(bad[3].detail, sizeof bad[3].detail, "nothing to see");
	push_rows(bad, 3, 4, 409,
	          "audit row 4 does not continue this PC's chain at tongband "
	          "(which ends at row 3): row 4 was edited");
	memcpy(bad, rows, sizeof bad); /* row 4 left out */
	bad[3] = bad[4];
	push_rows(bad, 3, 4, 409, "(which ends at row 3): rows 4 to 4 before row 5 are missing");
	memcpy(bad, rows, sizeof bad); /* row 4 made after another row 3 */
	bad[3] = pc_row(4, rows[1].hash, "demo", "id_number,phone");
	push_rows(bad, 3, 4, 409,
	          "audit row 4 does not continue this PC's chain at tongband "
	          "(which ends at row 3): row 4 does not follow the row before it");
	memcpy(bad, rows, sizeof bad); /* row 2 rewritten after it was sent */
	bad[1] = pc_row(2, rows[0].hash, "demo", "rewritten");
	push_rows(bad, 2, 3, 409, "audit row 2 differs from the row 2 tongband already holds");
	ck_assert_int_eq(stored_rows(), 2);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM audit WHERE what = 'received'"), 1);
	push_rows(rows, 3, 6, 200, "{\"stored\":4,");
	ck_assert_int_eq(stored_rows(), 6);
}
END_TEST

/* Only a PC of the user's hall, rows of that hall's clerks, a body as the
 * route wants it. */
START_TEST(test_only_a_pc_of_the_users_hall_and_its_clerks_rows_are_taken)
{
	char *other = login_on("other", "other123", DEVICE2), *body, *big, *pad;
	struct audit_row rows[201], named[1];

	pc_chain(rows, 201);
	body = audit_body(DEVICE2, rows, 1, 1); /* H002's PC, pushed by H001's clerk */
	call_ok("POST", "/v1/audit", demo, body, 403);
	free(body);
	body = audit_body("d0d0d0d0-1111-4222-8333-00000000dead", rows, 1, 1); /* never logged in */
	call_ok("POST", "/v1/audit", demo, body, 403);
	call_ok("POST", "/v1/audit", NULL, body, 401);
	free(body);
	named[0] = pc_row(1, "", "other", "id_number,phone"); /* H002's clerk on H001's PC */
	body = audit_body(DEVICE, named, 1, 1);
	free(call("POST", "/v1/audit", demo, body, 409));
	free(body);
	body = audit_body(DEVICE, rows, 1, 201);
	call_ok("POST", "/v1/audit", demo, body, 413);
	free(body);
	pad = xcalloc(300 * 1024, 1);
	memset(pad, 'x', 300 * 1024 - 1);
	big = xasprintf("{\"device\":\"" DEVICE "\",\"rows\":[],\"pad\":\"%s\"}", pad);
	call_ok("POST", "/v1/audit", demo, big, 413);
	call_ok("POST", "/v1/audit", demo, "{\"device\":\"" DEVICE "\",\"rows\":[]}", 400);
	call_ok("POST", "/v1/audit", demo, "{\"device\":\"" DEVICE "\",\"rows\":{}}", 400);
	call_ok("POST", "/v1/audit", demo, "{\"rows\":[{\"id\":1}]}", 400);
	call_ok("POST", "/v1/audit", demo, "{\"device\":\"" DEVICE "\",\"rows\":[{\"id\":1}]}",
	        400);
	call_ok("POST", "/v1/audit", demo, "{\"device\":\"" DEVICE "\",\"rows\":[", 400);
	named[0] =
	    pc_row(1, "", "demo", "a\\tb"); /* a tab would split tongband audit list's line */
	body = audit_body(DEVICE, named, 1, 1);
	call_ok("POST", "/v1/audit", demo, body, 400);
	free(body);
	ck_assert_int_eq(sql_int("SELECT count(*) FROM device_audit"), 0);
	named[0] = pc_row(1, "", "other", "id_number,phone"); /* the other hall's clerk: fine */
	body = audit_body(DEVICE2, named, 1, 1);
	call_ok("POST", "/v1/audit", other, body, 200);
	free(body);
	free(big);
	free(pad);
	free(other);
}
END_TEST

START_TEST(test_a_pcs_chain_edited_in_the_servers_database_is_found)
{
	struct audit_row rows[4];
	char *out;

	pc_chain(rows, 4);
	push_rows(rows, 1, 4, 200, "{\"stored\":4,");
	ck_assert_int_eq(tongband("audit list --device " DEVICE, &out), 0);
	ck_assert_msg(strstr(out, DEVICE "\t3\t2026-11-25T10:03:00+08:00\tdemo\t-\t" CASE_1
	                                 "\treveal\tid_number,phone\n") != NULL,
	              "%s", out);
	free(out);
	sql("UPDATE device_audit SET clerk = 'zhao' WHERE id = 2");
	verify_says(1, (const char *const[]){"tongband's audit chain holds: ",
	                                     "the audit chain of device " DEVICE
	                                     " is broken: row 2 was edited",
	                                     NULL});
	sql("UPDATE device_audit SET clerk = 'demo' WHERE id = 2; DELETE FROM device_audit WHERE "
	    "id = 3");
	verify_says(1, (const char *const[]){"the audit chain of device " DEVICE
	                                     " is broken: rows 3 to 3 before row 4 are missing",
	                                     NULL});
}
END_TEST

START_TEST(test_audit_verify_and_list_refuse_bad_use)
{
	char *out;

	ck_assert_int_eq(tongband("audit", &out), 2);
	free(out);
	ck_assert_int_eq(tongband("audit check", &out), 2);
	free(out);
	ck_assert_int_eq(tongband("audit verify --case " CASE_1, &out), 2);
	free(out);
	ck_assert_int_eq(tongband("audit list --device not-a-uuid", &out), 2);
	free(out);
	ck_assert_int_eq(tongband("audit list --device " DEVICE2, &out), 1); /* no rows */
	free(out);
}
END_TEST

static Suite *audit_suite(void)
{
	Suite *s = suite_create("server_audit");
	TCase *tc = tcase_create("audit");

	tcase_set_timeout(tc, 90);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_every_change_and_every_view_is_a_row_of_the_servers_chain);
	tcase_add_test(tc, test_a_refused_change_leaves_no_row);
	tcase_add_test(tc, test_an_edited_row_of_the_servers_chain_is_named);
	tcase_add_test(tc, test_a_deleted_middle_row_of_the_servers_chain_is_named_as_a_gap);
	tcase_add_test(tc, test_two_swapped_rows_of_the_servers_chain_are_found);
	tcase_add_test(tc, test_rows_from_many_threads_at_once_make_one_whole_chain);
	tcase_add_test(tc, test_a_pcs_rows_are_stored_once_and_a_resent_batch_changes_nothing);
	tcase_add_test(tc, test_a_batch_that_breaks_the_pcs_chain_is_refused_whole);
	tcase_add_test(tc, test_only_a_pc_of_the_users_hall_and_its_clerks_rows_are_taken);
	tcase_add_test(tc, test_a_pcs_chain_edited_in_the_servers_database_is_found);
	tcase_add_test(tc, test_audit_verify_and_list_refuse_bad_use);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	return tbcheck_run(audit_suite());
}
