/*
 * test_server_store.c - tongband's database and operator tasks: init,
 * migrations, useradd, the default database path, strict JSON input and
 * canonical JSON.
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/event.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "core/util.h"
#include "server/srv_admin.h"
#include "server/srv_auth.h"
#include "server/srv_encode.h"
#include "server/srv_events.h"
#include "server/srv_json.h"
#include "server/srv_store.h"
#include "server/srv_time.h"
#include "tbcheck.h"
#include "tbdb.h"

#define at tbcheck_json_at

static char dir[] = "/tmp/tongband-store-XXXXXX";
static char *db; /* tbdb.h: an SQLite file in dir or a PostgreSQL database */

static void make_dir(void)
{
	struct err e = {0};

	strcpy(dir, "/tmp/tongband-store-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	db = tbdb_new(dir, "t", &e);
	ck_assert_msg(db != NULL, "%s", e.msg);
}

static void remove_dir(void)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	tbdb_remove(db);
	free(db);
	db = NULL;

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static struct srv_user clerk(const char *id, const char *name)
{
	struct srv_user u;

	memset(&u, 0, sizeof u);
	str_copy(u.id, sizeof u.id, id);
	str_copy(u.name, sizeof u.name, name);
	str_copy(u.hall, sizeof u.hall, "H001");
	str_copy(u.hall_name, sizeof u.hall_name, "示例市政务服务中心");
	str_copy(u.window, sizeof u.window, "3");
	str_copy(u.role, sizeof u.role, "clerk");
	return u;
}

START_TEST(test_init_creates_private_db_at_schema_version_and_is_idempotent)
{
	struct err e = {0};
	struct srv_store *s;
	struct stat st;

	ck_assert_msg(srv_admin_init(db, &e) == 0, "%s", e.msg);
	if (!tbdb_is_postgresql()) { /* the server's own file: owner only */
		ck_assert_int_eq(stat(db, &st), 0);
		ck_assert_int_eq(st.st_mode & 0777, 0600);
	}
	ck_assert_msg(srv_admin_init(db, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(srv_store_open(&s, db, &e), 0);
	ck_assert_int_eq(srv_store_version(s), SRV_STORE_SCHEMA_VERSION);
	srv_store_close(s);
}
END_TEST

START_TEST(test_db_from_a_newer_tongband_is_refused)
{
	struct err e = {0};

	ck_assert_int_eq(srv_admin_init(db, &e), 0);
	ck_assert_msg(tbdb_exec(db,
	                        tbdb_is_postgresql() ? "UPDATE tongband_schema SET version = 99"
	                                             : "PRAGMA user_version = 99",
	                        &e) == 0,
	              "%s", e.msg);
	ck_assert_int_eq(srv_admin_init(db, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "99"));
}
END_TEST

START_TEST(test_useradd_stores_an_argon2id_hash_and_updates_on_rerun)
{
	struct err e = {0};
	struct srv_user u = clerk("demo", "王小明"), got;
	char hash[SRV_PWHASH_SIZE];
	long long locked = -1;
	struct srv_store *s;

	ck_assert_msg(srv_admin_useradd(db, &u, "secret", &e) == 0, "%s", e.msg);
	u = clerk("demo", "王大明");
	str_copy(u.role, sizeof u.role, "operator");
	ck_assert_msg(srv_admin_useradd(db, &u, "other", &e) == 0, "%s", e.msg);
	ck_assert_int_eq(srv_store_open(&s, db, &e), 0);
	ck_assert_int_eq(srv_store_user_get(s, "demo", &got, hash, &locked, &e), 1);
	ck_assert_str_eq(got.name, "王大明");
	ck_assert_str_eq(got.role, "operator");
	ck_assert_int_eq(locked, 0);
	ck_assert_ptr_nonnull(strstr(hash, "$argon2id$"));
	ck_assert(srv_auth_verify_password(hash, "other"));
	ck_assert(!srv_auth_verify_password(hash, "secret"));
	ck_assert_int_eq(srv_store_user_get(s, "nobody", &got, hash, &locked, &e), 0);
	srv_store_close(s);
}
END_TEST

START_TEST(test_useradd_refuses_empty_password_bad_role_and_bad_id)
{
	struct err e = {0};
	struct srv_user u = clerk("demo", "王小明");

	ck_assert_int_eq(srv_admin_useradd(db, &u, "", &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "empty"));
	str_copy(u.role, sizeof u.role, "king");
	ck_assert_int_eq(srv_admin_useradd(db, &u, "x", &e), -1);
	u = clerk("de mo", "王小明");
	ck_assert_int_eq(srv_admin_useradd(db, &u, "x", &e), -1);
	u = clerk("demo", "");
	ck_assert_int_eq(srv_admin_useradd(db, &u, "x", &e), -1);
}
END_TEST

START_TEST(test_default_db_follows_env_then_xdg)
{
	struct err e = {0};
	char *p, *xdg = xasprintf("%s/xdg", dir), *want = xasprintf("%s/xdg/tongband", dir);
	struct stat st;

	setenv("TONGBAND_DB", "/somewhere/t.db", 1);
	p = srv_admin_default_db(&e);
	ck_assert_str_eq(p, "/somewhere/t.db");
	free(p);
	unsetenv("TONGBAND_DB");
	setenv("XDG_DATA_HOME", xdg, 1);
	p = srv_admin_default_db(&e);
	ck_assert_msg(p != NULL, "%s", e.msg);
	ck_assert_int_eq(strncmp(p, want, strlen(want)), 0);
	ck_assert_str_eq(p + strlen(want), "/tongband.db");
	ck_assert_int_eq(stat(want, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	free(p);
	free(xdg);
	free(want);
}
END_TEST

START_TEST(test_failed_logins_lock_after_limit)
{
	struct err e = {0};
	struct srv_user u = clerk("demo", "王小明"), got;
	char hash[SRV_PWHASH_SIZE];
	long long locked;
	struct srv_store *s;
	int i;

	ck_assert_int_eq(srv_store_open(&s, db, &e), 0);
	ck_assert_int_eq(srv_store_user_put(s, &u, "x", NULL, &e), 0);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(srv_store_user_login_failed(s, "demo", 1000, 5, 300, &e), 0);
	srv_store_user_get(s, "demo", &got, hash, &locked, &e);
	ck_assert_int_eq(locked, 0);
	ck_assert_int_eq(srv_store_user_login_failed(s, "demo", 1000, 5, 300, &e), 0);
	srv_store_user_get(s, "demo", &got, hash, &locked, &e);
	ck_assert_int_eq(locked, 1300);
	srv_store_close(s);
}
END_TEST

START_TEST(test_token_expires_and_is_deleted)
{
	struct err e = {0};
	struct srv_user u = clerk("demo", "王小明"), got;
	char token[SRV_TOKEN_HEX + 1], hash[SRV_TOKEN_HEX + 1];
	struct srv_store *s;

	ck_assert_int_eq(srv_auth_init(&e), 0);
	srv_auth_new_token(token);
	ck_assert(srv_auth_is_token(token));
	srv_auth_token_hash(token, hash);
	ck_assert_str_ne(token, hash);
	ck_assert_int_eq(srv_store_open(&s, db, &e), 0);
	ck_assert_int_eq(srv_store_user_put(s, &u, "x", NULL, &e), 0);
	ck_assert_int_eq(srv_store_token_put(s, hash, "demo", "x", 2000, 1000, &e), 0);
	ck_assert_int_eq(srv_store_token_user(s, hash, 1999, &got, &e), 1);
	ck_assert_str_eq(got.id, "demo");
	ck_assert_int_eq(srv_store_token_user(s, hash, 2000, &got, &e), 0);
	ck_assert_int_eq(srv_store_token_delete(s, hash, &e), 0);
	ck_assert_int_eq(srv_store_token_user(s, hash, 1500, &got, &e), 0);
	srv_store_close(s);
}
END_TEST

/* Any new password hash ends the account's sessions (tongband useradd and
 * POST /v1/users both save through srv_store_user_put); the same hash, an
 * update that keeps the password, keeps them.  A login checked against a
 * hash that changed meanwhile keeps no session. */
START_TEST(test_a_new_password_hash_ends_the_accounts_sessions)
{
	struct err e = {0};
	struct srv_user u = clerk("demo", "王小明"), o = clerk("other", "李四"), got;
	struct srv_store *s;

	ck_assert_int_eq(srv_store_open(&s, db, &e), 0);
	ck_assert_int_eq(srv_store_user_put(s, &u, "hash-1", NULL, &e), 0);
	ck_assert_int_eq(srv_store_user_put(s, &o, "hash-o", NULL, &e), 0);
	ck_assert_int_eq(srv_store_token_put(s, "t1", "demo", "hash-1", 9000, 1000, &e), 0);
	ck_assert_int_eq(srv_store_token_put(s, "t2", "other", "hash-o", 9000, 1000, &e), 0);
	str_copy(u.window, sizeof u.window, "5");
	ck_assert_int_eq(srv_store_user_put(s, &u, "hash-1", NULL, &e), 0);
	ck_assert_int_eq(srv_store_token_user(s, "t1", 1001, &got, &e), 1);
	ck_assert_str_eq(got.window, "5");
	ck_assert_int_eq(srv_store_user_put(s, &u, "hash-2", NULL, &e), 0);
	ck_assert_int_eq(srv_store_token_user(s, "t1", 1001, &got, &e), 0);
	ck_assert_int_eq(srv_store_token_user(s, "t2", 1001, &got, &e), 1); /* not another's */
	/* a login checked against hash-1 while it became hash-2 */
	ck_assert_int_eq(srv_store_token_put(s, "t3", "demo", "hash-1", 9000, 1000, &e), 1);
	ck_assert_int_eq(srv_store_token_user(s, "t3", 1001, &got, &e), 0);
	ck_assert_int_eq(srv_store_token_put(s, "t4", "demo", "hash-2", 9000, 1000, &e), 0);
	ck_assert_int_eq(srv_store_token_user(s, "t4", 1001, &got, &e), 1);
	srv_store_close(s);
}
END_TEST

START_TEST(test_canonical_json_sorts_keys_at_every_level)
{
	struct err e = {0};
	const char *a = "{\"b\":1,\"a\":{\"y\":[1,{\"d\":null,\"c\":true}],\"x\":\"张\\n\"}}";
	const char *b = "{ \"a\" : { \"x\" : \"张\\u000a\", \"y\" : [1, {\"c\":true,\"d\":null}] },"
	                " \"b\" : 1 }";
	struct json_object *oa = srv_json_parse(a, strlen(a), &e);
	struct json_object *ob = srv_json_parse(b, strlen(b), &e);
	char *ca = srv_json_canonical(oa), *cb = srv_json_canonical(ob);

	ck_assert_str_eq(ca, "{\"a\":{\"x\":\"张\\n\",\"y\":[1,{\"c\":true,\"d\":null}]},\"b\":1}");
	ck_assert_str_eq(ca, cb);
	free(ca);
	free(cb);
	json_object_put(oa);
	json_object_put(ob);
}
END_TEST

START_TEST(test_json_parse_is_strict)
{
	static const char *const bad[] = {
	    "",
	    "{",
	    "{\"a\":1} x",
	    "{'a':1}",
	    "{\"a\":1,}",
	    "[1 2]",
	    "\"\xC0\xAF\"",
	    "\"\xF4\x90\x80\x80\"",
	    "\"\xE2\x82\"",
	    "nul",
	    "[NaN]",
	    "[Infinity]",
	    "{\"a\":-Infinity}",
	    "[1e999]",
	    "[99999999999999999999999]",
	    "[-99999999999999999999999]",
	};
	struct err e = {0};
	struct json_object *o;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		o = srv_json_parse(bad[i], strlen(bad[i]), &e);
		ck_assert_msg(o == NULL, "accepted %s", bad[i]);
	}
	o = srv_json_parse("[9223372036854775807,-9223372036854775807,1e300]", 48, &e);
	ck_assert_msg(o != NULL, "%s", e.msg);
	json_object_put(o);
	o = srv_json_parse("{\"a\":[1,2]}\n", 12, &e);
	ck_assert_ptr_nonnull(o);
	json_object_put(o);
	ck_assert_ptr_null(srv_json_parse("{\"a\":1}\0", 8, &e));
	ck_assert(utf8_is_valid("张三丰", strlen("张三丰")));
	ck_assert(!utf8_is_valid("\xED\xA0\x80", 3));
}
END_TEST

/* What json-c alone would take, and a request must not carry: raw control
 * characters in strings, a key given twice (json-c keeps the last, so what
 * is checked and what is stored could differ), lone surrogate escapes
 * (json-c writes U+FFFD), bad escapes, bad numbers. */
START_TEST(test_json_parse_refuses_control_characters_duplicate_keys_and_lone_surrogates)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
	    {"{\"a\":\"x\x01y\"}", "raw control character"},
	    {"{\"a\":\"tab\there\"}", "raw control character"},
	    {"[\"line\nbreak\"]", "raw control character"},
	    {"{\"k\x1f\":1}", "raw control character"},
	    {"{\"a\":1,\"a\":2}", "duplicate key"},
	    {"{\"b\":{\"a\":1,\"c\":0,\"a\":1}}", "duplicate key"},
	    {"{\"clerk\":\"a1\",\"\\u0063lerk\":\"a2\"}", "duplicate key"},
	    {"{\"a\\u0000b\":1}", "NUL character in an object key"},
	    {"[\"\\ud800\"]", "lone high surrogate"},
	    {"[\"\\uD800x\"]", "lone high surrogate"},
	    {"[\"\\ud800\\u0041\"]", "lone high surrogate"},
	    {"[\"\\ud800\\ud800\"]", "lone high surrogate"},
	    {"[\"\\udc00\"]", "lone low surrogate"},
	    {"[\"\\ude00\\ud83d\"]", "lone low surrogate"},
	    {"[\"\\x41\"]", "bad escape"},
	    {"[\"\\u12\"]", "bad \\u escape"},
	    {"[01]", "expected ',' or ']'"},
	    {"[1.]", "bad number"},
	    {"[-]", "bad number"},
	    {"[1e]", "bad number"},
	    {"[tru]", "unexpected character"},
	    {"[\"open", "unterminated string"},
	    {"{\"a\" 1}", "expected ':'"},
	    {"{1:2}", "expected a key string"},
	};
	struct err e = {0};
	struct json_object *o;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&e, 0, sizeof e);
		o = srv_json_parse(bad[i].text, strlen(bad[i].text), &e);
		ck_assert_msg(o == NULL, "accepted %s", bad[i].text);
		ck_assert_msg(strstr(e.msg, bad[i].why) != NULL, "%s: %s, want %s", bad[i].text,
		              e.msg, bad[i].why);
		ck_assert_msg(strstr(e.msg, "at byte ") != NULL, "%s: %s", bad[i].text, e.msg);
	}
}
END_TEST

START_TEST(test_json_parse_keeps_what_strict_json_allows)
{
	const char *text = "{\"a\":\"\\ud83d\\ude00\\u5f20\\/\\\"\\b\\f\\n\\r\\t\",\"A\":{\"a\":1},"
	                   "\"b\":[{\"a\":1},{\"a\":2}],\"c\":[-0.5e+3,0,1E2,true,false,null],"
	                   "\"\\u0061\\u0062\":\"\\u0000\",\"\xE5\xBC\xA0\":\"\x7F\"}";
	struct err e = {0};
	struct json_object *o = srv_json_parse(text, strlen(text), &e), *v;

	ck_assert_msg(o != NULL, "%s", e.msg);
	ck_assert(json_object_object_get_ex(o, "a", &v));
	ck_assert_str_eq(json_object_get_string(v), "\xF0\x9F\x98\x80张/\"\b\f\n\r\t");
	ck_assert(json_object_object_get_ex(o, "ab", &v));
	ck_assert_int_eq(json_object_get_string_len(v), 1);
	ck_assert_int_eq(json_object_object_length(o), 6);
	json_object_put(o);
}
END_TEST

START_TEST(test_uuid_and_time_shapes)
{
	ck_assert(srv_events_is_uuid("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"));
	ck_assert(!srv_events_is_uuid("AAAAAAAA-bbbb-4ccc-8ddd-eeeeeeeeeeee"));
	ck_assert(!srv_events_is_uuid("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeee"));
	ck_assert(!srv_events_is_uuid("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeeee"));
	ck_assert(!srv_events_is_uuid("aaaaaaaabbbb-4ccc-8ddd-eeeeeeeeeeee0"));
	ck_assert(srv_time_is_iso8601("2026-11-25T10:01:02+08:00"));
	ck_assert(srv_time_is_iso8601("2026-11-25T02:01:02.123Z"));
	ck_assert(!srv_time_is_iso8601("2026-11-25 10:01:02+08:00"));
	ck_assert(!srv_time_is_iso8601("2026-13-25T10:01:02+08:00"));
	ck_assert(!srv_time_is_iso8601("2026-11-25T10:01:02"));
}
END_TEST

START_TEST(test_server_time_is_beijing_time)
{
	char out[SRV_TIME_ISO_SIZE];

	time_iso_shanghai(0, out);
	ck_assert_str_eq(out, "1970-01-01T08:00:00+08:00");
	time_iso_shanghai(1795600000, out);
	ck_assert(srv_time_is_iso8601(out));
}
END_TEST

#define V1_CASE_NOTICE   "aaaaaaaa-bbbb-4ccc-8ddd-0000000000a1"
#define V1_CASE_ACCEPTED "aaaaaaaa-bbbb-4ccc-8ddd-0000000000a2"
#define V1_CASE_COMMIT   "aaaaaaaa-bbbb-4ccc-8ddd-0000000000a3"

/* Build db from tests/data/name (the .dump of a database of an earlier
 * release). */
static void load_fixture(const char *name)
{
	const char *src = getenv("TONGBAN_SRCDIR");
	char *path = xasprintf("%s/tests/data/%s", src ? src : ".", name);
	struct err e = {0};
	char *sql = file_read_all(path, NULL, 1 << 20, &e);

	ck_assert_msg(sql != NULL, "%s", e.msg);
	ck_assert_msg(tbdb_exec(db, sql, &e) == 0, "%s", e.msg);
	free(sql);
	free(path);
}

/* Case id of s as JSON; state and number of events checked. */
static struct json_object *case_with(struct srv_store *s, const char *id, const char *state,
                                     size_t n_events)
{
	struct err e = {0};
	struct json_object *c = NULL, *v;

	ck_assert_int_eq(
	    srv_store_case_get(s, id, srv_encode_case_detail, srv_encode_case_detail_event, &c, &e),
	    1);
	json_object_object_get_ex(c, "state", &v);
	ck_assert_str_eq(json_object_get_string(v), state);
	json_object_object_get_ex(c, "event_list", &v);
	ck_assert_uint_eq(json_object_array_length(v), n_events);
	return c;
}

START_TEST(test_schema_1_database_migrates_without_losing_events_or_cases)
{
	struct err e = {0};
	struct srv_store *s;
	struct srv_user u;
	char hash[SRV_PWHASH_SIZE];
	long long locked, cursor;
	struct json_object *c, *v, *ev = NULL;

	load_fixture("server-v1.sql");
	ck_assert_msg(srv_admin_init(db, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(srv_store_open(&s, db, &e), 0);
	ck_assert_int_eq(srv_store_version(s), SRV_STORE_SCHEMA_VERSION);
	/* old state names become those of the state machine; events stay */
	json_object_put(case_with(s, V1_CASE_NOTICE, "awaiting_supplement", 3));
	c = case_with(s, V1_CASE_ACCEPTED, "accepted", 2);
	json_object_object_get_ex(c, "applicant_name", &v);
	ck_assert_str_eq(json_object_get_string(v), "王\"五\",李");
	json_object_object_get_ex(c, "dept", &v);
	ck_assert_str_eq(json_object_get_string(v), "");
	/* schema 3 numbered the old cases: HALL-YYYY-NNNNNN, each once */
	json_object_object_get_ex(c, "official_no", &v);
	ck_assert_msg(strncmp(json_object_get_string(v), "H00", 3) == 0 &&
	                  strlen(json_object_get_string(v)) == 16,
	              "%s", json_object_get_string(v));
	json_object_put(c);
	json_object_put(case_with(s, V1_CASE_COMMIT, "accepted_commitment", 2));
	c = json_object_new_array();
	ck_assert_int_eq(
	    srv_store_case_search(s, "H001", "11010519491231002X", 10, srv_encode_add_case, c, &e),
	    0);
	ck_assert_uint_eq(json_object_array_length(c), 2);
	json_object_put(c);
	/* the clerks can still log in */
	ck_assert_int_eq(srv_auth_init(&e), 0);
	ck_assert_int_eq(srv_store_user_get(s, "other", &u, hash, &locked, &e), 1);
	ck_assert_str_eq(u.hall, "H002");
	ck_assert(srv_auth_verify_password(hash, "secret"));
	/* and what schema 2 added works on the old cases */
	ck_assert_int_eq(srv_events_decide(s, NULL, V1_CASE_ACCEPTED, "approve", NULL, 1795600000,
	                                   &ev, &cursor, &e),
	                 0);
	json_object_put(ev);
	json_object_put(case_with(s, V1_CASE_ACCEPTED, "approved", 3));
	srv_store_close(s);
	ck_assert_msg(srv_admin_init(db, &e) == 0, "%s", e.msg); /* again: a no-op */
	ck_assert_int_eq(srv_store_open(&s, db, &e), 0);
	json_object_put(case_with(s, V1_CASE_NOTICE, "awaiting_supplement", 3));
	srv_store_close(s);
}
END_TEST

#define V4_RELEASED  "cccccccc-0000-4000-8000-000000000001"
#define V4_REVOKED   "cccccccc-0000-4000-8000-000000000002"
#define V4_WITHDRAWN "cccccccc-0000-4000-8000-000000000003"
#define V4_REFUSED   "cccccccc-0000-4000-8000-000000000004"
#define V4_TOKEN     "d0971d74dff32c921e01ed4739000045d4f62f4d0be954a0480bfa0e3b27746b"

/* The case life of id as GET /v1/cases/ID shows it.  Caller puts. */
static struct json_object *life_of(struct srv_store *s, const char *id)
{
	struct json_object *o = json_object_new_object();
	struct err e = {0};

	ck_assert_int_eq(srv_store_case_life(s, id, srv_encode_add_case_life, o, &e), 1);
	return o;
}

/* The statistics rows of H001's cases of November 2026, one line each:
 * "outcome due done released rating follow_up flags". */
static int stats_line(const struct srv_case_stats *c, void *arg)
{
	buf_printf(arg, "%s %s %s %s %d %s %s%s%s\n", c->outcome, c->due_on, c->done_on,
	           c->released_on, c->rating, c->follow_up[0] ? c->follow_up : "-",
	           c->verified ? "v" : "", c->revoked ? "r" : "", c->withdrawn ? "w" : "");
	return 0;
}

/* A database of schema 4 keeps its accounts and sessions, may now hold a
 * supervisor, and gets what schema 5 keeps of its cases from their events. */
START_TEST(test_schema_4_database_keeps_its_sessions_and_learns_its_cases_life)
{
	struct err e = {0};
	struct srv_store *s;
	struct srv_user u, sup = clerk("sup", "督查");
	char hash[SRV_TOKEN_HEX + 1], pwhash[SRV_PWHASH_SIZE];
	long long locked;
	struct json_object *o;
	struct buf b;

	load_fixture("server-v4.sql");
	ck_assert_msg(srv_admin_init(db, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(srv_store_open(&s, db, &e), 0);
	ck_assert_int_eq(srv_store_version(s), SRV_STORE_SCHEMA_VERSION);
	srv_auth_token_hash(V4_TOKEN, hash);
	ck_assert_int_eq(srv_store_token_user(s, hash, 1796200000, &u, &e), 1);
	ck_assert_str_eq(u.id, "demo");
	ck_assert_int_eq(srv_store_user_get(s, "boss", &u, pwhash, &locked, &e), 1);
	ck_assert_str_eq(u.dept, "城管局");
	str_copy(sup.role, sizeof sup.role, "supervisor");
	ck_assert_msg(srv_store_user_put(s, &sup, pwhash, NULL, &e) == 0, "%s", e.msg);

	o = life_of(s, V4_RELEASED);
	ck_assert_str_eq(at(o, "release.method"), "pickup");
	ck_assert_str_eq(at(o, "release.collector_name"), "张三丰");
	ck_assert_str_eq(at(o, "release.released_on"), "2026-11-18");
	ck_assert_str_eq(at(o, "release.clerk"), "demo");
	ck_assert_str_eq(at(o, "rating.level"), "2");
	ck_assert_str_eq(at(o, "rating.comment"), "等候时间太长");
	ck_assert_str_eq(at(o, "rating.released_by"), "demo");
	ck_assert_str_eq(at(o, "follow_up.due"), "2026-11-25");
	ck_assert_str_eq(at(o, "follow_up.state"), "open");
	ck_assert_str_eq(at(o, "revocation"), "(null)");
	json_object_put(o);
	o = life_of(s, V4_REVOKED);
	ck_assert_str_eq(at(o, "revocation.reason"), "现场核查未见所述设施");
	ck_assert_str_eq(at(o, "revocation.revoked_on"), "2026-11-25");
	ck_assert_str_eq(at(o, "revocation.credit_record.applicant_name"), "王五");
	ck_assert_str_eq(at(o, "revocation.credit_record.id_number"), "11010519491231002X");
	json_object_put(o);
	o = life_of(s, V4_WITHDRAWN);
	ck_assert_str_eq(at(o, "withdrawal.supply_by"), "2026-11-11");
	ck_assert_str_eq(at(o, "withdrawal.withdrawn_on"), "2026-11-20");
	ck_assert_str_eq(at(o, "release"), "(null)");
	json_object_put(o);

	buf_init(&b);
	ck_assert_int_eq(
	    srv_store_case_stats(s, "H001", "2026-11-01", "2026-11-30", stats_line, &b, &e), 0);
	ck_assert_str_eq(b.data, "accepted 2026-11-16 2026-12-02 2026-11-18 2 open \n"
	                         "committed 2026-11-10 2026-11-25  -1 - r\n"
	                         "notice  2026-11-20  -1 - w\n"
	                         "refused  2026-11-05  -1 - \n");
	buf_free(&b);
	srv_store_close(s);
}
END_TEST

/* One "created" event of hall H001, as a pushed batch holds it. */
static const char busy_batch[] =
    "[{\"uuid\":\"11111111-2222-4333-8444-0000000000b1\","
    "\"case_id\":\"aaaaaaaa-bbbb-4ccc-8ddd-0000000000b1\",\"seq\":1,\"type\":\"created\","
    "\"hall\":\"H001\",\"window\":\"3\",\"clerk\":\"demo\","
    "\"client_time\":\"2026-11-25T10:01:02+08:00\",\"payload\":{"
    "\"case_no\":\"H001-03-20261125-0001\",\"item_code\":\"000101001000\","
    "\"item_name\":\"建筑垃圾处置许可\",\"applicant\":{\"name\":\"张三\"}}}]";

/* Import the bundled data/catalogue.json into db: the item of every created
 * event must be in it. */
static void import_catalogue(void)
{
	const char *src = getenv("TONGBAN_SRCDIR");
	char *file = xasprintf("%s/data/catalogue.json", src ? src : "."), *version = NULL;
	struct err e = {0};
	bool unchanged;

	ck_assert_msg(srv_admin_import(db, "catalogue", file, &version, &unchanged, &e) == 0, "%s",
	              e.msg);
	free(version);
	free(file);
}

/* Another program holding the write lock (BEGIN IMMEDIATE; on PostgreSQL
 * every table's): every write waits the busy time and then fails with
 * e.kind ERR_BUSY, changing nothing; reading goes on.  Once the lock is
 * gone the same writes work.  (On SQLite the wait is already at BEGIN,
 * which takes the file's one write lock; on PostgreSQL at the first write.) */
START_TEST(test_a_write_lock_held_elsewhere_is_busy_and_changes_nothing)
{
	struct err e = {0};
	struct srv_user u = clerk("demo", "王小明"), got;
	struct json_object *events = json_tokener_parse(busy_batch), *results = NULL, *st;
	char hash[SRV_PWHASH_SIZE];
	struct srv_store_pool *pool;
	struct srv_store *s;
	long long locked, t0;
	struct srv_db *h;

	ck_assert_int_eq(SRV_STORE_BUSY_MS, 10000); /* what tongband serves with */
	ck_assert_msg(srv_admin_useradd(db, &u, "secret", &e) == 0, "%s", e.msg);
	import_catalogue();
	pool = srv_store_pool_open(db, 1, 200, &e);
	ck_assert_msg(pool != NULL, "%s", e.msg);
	s = srv_store_pool_get(pool);
	h = tbdb_hold_writes(db, &e);
	ck_assert_msg(h != NULL, "%s", e.msg);
	t0 = clock_ms();
	if (!tbdb_is_postgresql()) {
		ck_assert_int_eq(srv_store_begin(s, &e), -1);
		ck_assert_int_eq(e.kind, ERR_BUSY);
		ck_assert_msg(clock_ms() - t0 >= 150, "gave up after %lld ms", clock_ms() - t0);
		err_clear(&e);
	}
	ck_assert_int_eq(srv_events_apply(s, &u, events, time(NULL), &results, &e), -1);
	ck_assert_int_eq(e.kind, ERR_BUSY);
	ck_assert_ptr_null(results);
	err_clear(&e);
	ck_assert_int_eq(srv_store_user_login_failed(s, "demo", 1000, 1, 300, &e), -1);
	ck_assert_int_eq(e.kind, ERR_BUSY);
	ck_assert_int_eq(srv_store_user_get(s, "demo", &got, hash, &locked, &e), 1);
	ck_assert_int_eq(locked, 0);
	tbdb_release(h);
	ck_assert_msg(srv_events_apply(s, &u, events, time(NULL), &results, &e) == 0, "%s", e.msg);
	json_object_object_get_ex(json_object_array_get_idx(results, 0), "status", &st);
	ck_assert_str_eq(json_object_get_string(st), "applied");
	json_object_put(results);
	json_object_put(events);
	srv_store_pool_put(pool, s);
	srv_store_pool_close(pool);
}
END_TEST

/* 20,001 cases of H001 made directly in the database, oldest first: the
 * first one for 禤一号, the last for 禤二, all others for 张三. */
static void many_cases(void)
{
	static const char lite[] =
	    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20001)"
	    " INSERT INTO cases (id, hall, case_no, item_code, item_name, applicant_name, state,"
	    " last_seq, created_at, received_at, updated_at, payload, official_no, applied_on)"
	    " SELECT printf('c%05d', i), 'H001', printf('H001-01-%05d', i), '000101001000',"
	    " '建筑垃圾处置许可', CASE i WHEN 1 THEN '禤一号' WHEN 20001 THEN '禤二' ELSE '张三' "
	    "END,"
	    " 'received', 1, '2026-11-02T10:00:00+08:00',"
	    " printf('2026-11-02T10:%02d:%02d.%05d+08:00', i / 3600 % 60, i / 60 % 60, i),"
	    " '2026-11-02T10:00:00+08:00', '{}', printf('H001-2026-%06d', i), '2026-11-02' FROM n";
	static const char pg[] =
	    "INSERT INTO cases (id, hall, case_no, item_code, item_name, applicant_name, state,"
	    " last_seq, created_at, received_at, updated_at, payload, official_no, applied_on)"
	    " SELECT 'c' || lpad(i::text, 5, '0'), 'H001', 'H001-01-' || lpad(i::text, 5, '0'),"
	    " '000101001000', '建筑垃圾处置许可', CASE i WHEN 1 THEN '禤一号' WHEN 20001 THEN "
	    "'禤二'"
	    " ELSE '张三' END, 'received', 1, '2026-11-02T10:00:00+08:00',"
	    " '2026-11-02T10:00:00.' || lpad(i::text, 5, '0') || '+08:00',"
	    " '2026-11-02T10:00:00+08:00', '{}', 'H001-2026-' || lpad(i::text, 6, '0'),"
	    " '2026-11-02' FROM generate_series(1, 20001) AS i;"
	    "ANALYZE cases";
	struct err e = {0};

	ck_assert_msg(tbdb_exec(db, tbdb_is_postgresql() ? pg : lite, &e) == 0, "%s", e.msg);
}

/* The names of the cases a search of H001 finds, newest first, one line
 * each.  Caller frees. */
static char *found(struct srv_store *s, const char *query)
{
	struct json_object *list = json_object_new_array();
	struct err e = {0};
	struct buf b;
	size_t i;

	ck_assert_msg(srv_store_case_search(s, "H001", query, 3, srv_encode_add_case, list, &e) ==
	                  0,
	              "%s", e.msg);
	buf_init(&b);
	for (i = 0; i < json_object_array_length(list); i++)
		buf_printf(&b, "%s\n", at(json_object_array_get_idx(list, i), "applicant_name"));
	json_object_put(list);
	return buf_take(&b);
}

/* A query of words shorter than 3 characters (a surname, a two-character
 * name: no index finds them) is tried on the hall's newest 20,000 cases,
 * on both databases; a word of 3 characters or more, or a number, finds
 * any case of the hall, however old. */
START_TEST(test_short_words_search_the_newest_20000_cases_longer_ones_all)
{
	struct err e = {0};
	struct srv_store *s;
	char *got;

	ck_assert_int_eq(SRV_SEARCH_NEWEST, 20000);
	ck_assert_int_eq(srv_store_open(&s, db, &e), 0);
	many_cases();
	got = found(s, "禤");
	ck_assert_str_eq(got, "禤二\n"); /* 禤一号 is the 20,001st newest */
	free(got);
	got = found(s, "禤一");
	ck_assert_str_eq(got, "");
	free(got);
	got = found(s, "禤一号");
	ck_assert_str_eq(got, "禤一号\n");
	free(got);
	got = found(s, "H001-2026-000001");
	ck_assert_str_eq(got, "禤一号\n");
	free(got);
	got = found(s, "禤 H001-01-00001");
	ck_assert_str_eq(got, "禤一号\n");
	free(got);
	got = found(s, "张三 2026-11-01..2026-11-30");
	ck_assert_str_eq(got, "张三\n张三\n张三\n");
	free(got);
	srv_store_close(s);
}
END_TEST

static Suite *store_suite(void)
{
	Suite *s = suite_create("server_store");
	TCase *tc = tcase_create("store");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, make_dir, remove_dir);
	tcase_add_test(tc, test_init_creates_private_db_at_schema_version_and_is_idempotent);
	tcase_add_test(tc, test_db_from_a_newer_tongband_is_refused);
	tcase_add_test(tc, test_useradd_stores_an_argon2id_hash_and_updates_on_rerun);
	tcase_add_test(tc, test_useradd_refuses_empty_password_bad_role_and_bad_id);
	tcase_add_test(tc, test_default_db_follows_env_then_xdg);
	tcase_add_test(tc, test_failed_logins_lock_after_limit);
	tcase_add_test(tc, test_token_expires_and_is_deleted);
	tcase_add_test(tc, test_a_new_password_hash_ends_the_accounts_sessions);
	tcase_add_test(tc, test_canonical_json_sorts_keys_at_every_level);
	tcase_add_test(tc, test_json_parse_is_strict);
	tcase_add_test(
	    tc, test_json_parse_refuses_control_characters_duplicate_keys_and_lone_surrogates);
	tcase_add_test(tc, test_json_parse_keeps_what_strict_json_allows);
	tcase_add_test(tc, test_uuid_and_time_shapes);
	tcase_add_test(tc, test_server_time_is_beijing_time);
	if (!tbdb_is_postgresql()) { /* the history of a hall's SQLite file */
		tcase_add_test(tc, test_schema_1_database_migrates_without_losing_events_or_cases);
		tcase_add_test(tc,
		               test_schema_4_database_keeps_its_sessions_and_learns_its_cases_life);
	}
	tcase_add_test(tc, test_a_write_lock_held_elsewhere_is_busy_and_changes_nothing);
	tcase_add_test(tc, test_short_words_search_the_newest_20000_cases_longer_ones_all);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	return tbcheck_run(store_suite());
}
