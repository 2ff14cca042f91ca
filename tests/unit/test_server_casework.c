/*
 * test_server_casework.c - the window's casework as the real tongband
 * keeps it (src/server/srv_casework.c): a case released (出件) and rated
 * (好差评) with its follow-up (整改), a commitment revoked (撤销) with the
 * applicant's credit record (失信记录), a supplement overdue and withdrawn
 * (视为放弃); each event refused when the case's state, the pusher's role
 * or its payload does not fit; the hall's follow-ups (GET /v1/followups)
 * and statistics (GET /v1/stats) over a known mix of cases, and `tongband
 * report` printing the same.  Everything over HTTP against `tongband
 * serve` (tests/harness/tbserver.h).
 */
#include <check.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "core/i18n.h"
#include "core/util.h"
#include "tbcheck.h"
#include "tbserver.h"

#define at tbcheck_json_at

/* The deciding department of item 000101001000 in data/catalogue.json. */
#define DEPT "市城市管理和综合执法局"

static struct tbserver *srv;
/* sessions: demo (clerk, H001), other (clerk, H002), and of H001 a
 * supervisor, a back office of the department of 建筑垃圾处置许可 (the item
 * of every case here) and an operator */
static char *demo, *other, *sup, *boss, *ops;

static char *login_as(const char *id, const char *password)
{
	struct err e = {0};
	char *token = tbserver_login(srv, id, password, &e);

	ck_assert_msg(token != NULL, "%s", e.msg);
	return token;
}

static void add_user(const char *id, const char *role, const char *dept)
{
	struct err e = {0};

	ck_assert_msg(tbserver_add_user(srv, id, "secret", "H001", role, dept, &e) == 0, "%s",
	              e.msg);
}

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "%s", e.msg);
	add_user("sup", "supervisor", "");
	add_user("boss", "backoffice", DEPT);
	add_user("ops", "operator", "");
	demo = login_as(TBSERVER_CLERK, TBSERVER_PASSWORD);
	other = login_as(TBSERVER_OTHER_CLERK, TBSERVER_OTHER_PASSWORD);
	sup = login_as("sup", "secret");
	boss = login_as("boss", "secret");
	ops = login_as("ops", "secret");
}

static void teardown(void)
{
	free(demo);
	free(other);
	free(sup);
	free(boss);
	free(ops);
	/* a clean exit: no crash, and under ASan no leak */
	ck_assert_int_eq(tbserver_stop(srv), 0);
	tbserver_free(srv);
}

/* One request that must answer want; its answer as JSON (caller puts). */
static struct json_object *call(const char *method, const char *path, const char *token,
                                const char *body, long want)
{
	struct err e = {0};
	long status = 0;
	char *r = tbserver_request(srv, method, path, token, body, &status, &e);
	struct json_object *o;

	ck_assert_msg(r != NULL, "%s", e.msg);
	ck_assert_msg(status == want, "%s %s: %ld, want %ld: %s", method, path, status, want, r);
	o = json_tokener_parse(r);
	ck_assert_msg(o != NULL, "%s %s: not JSON: %s", method, path, r);
	free(r);
	return o;
}

/* The id of case k.  Valid until the next call. */
static const char *case_id(int k)
{
	static char id[40];

	snprintf(id, sizeof id, "cccccccc-0000-4000-8000-%012d", k);
	return id;
}

/* Event seq of case k of hall, of type at client time when with payload
 * (a JSON object's text), made by clerk at window.  Caller frees. */
static char *event_by(const char *clerk, const char *window, const char *hall, int k, int seq,
                      const char *type, const char *when, const char *payload)
{
	return xasprintf("{\"uuid\":\"77777777-%04d-4000-8000-%012d\",\"case_id\":\"%s\","
	                 "\"seq\":%d,\"type\":\"%s\",\"hall\":\"%s\",\"window\":\"%s\","
	                 "\"clerk\":\"%s\",\"client_time\":\"%s\",\"payload\":%s}",
	                 seq, k, case_id(k), seq, type, hall, window, clerk, when, payload);
}

/* The same made by the hall's clerk: demo at window 3 in H001, other at
 * window 1 in H002 (a pushed event's clerk and window are its session's). */
static char *event(const char *hall, int k, int seq, const char *type, const char *when,
                   const char *payload)
{
	bool h2 = strcmp(hall, TBSERVER_OTHER_HALL) == 0;

	return event_by(h2 ? TBSERVER_OTHER_CLERK : TBSERVER_CLERK, h2 ? "1" : "3", hall, k, seq,
	                type, when, payload);
}

/* The created event of case k of hall, applied for at when by name. */
static char *created(const char *hall, int k, const char *when, const char *name)
{
	char *payload =
	    xasprintf("{\"case_no\":\"%s-03-T01-20261102-%04d\",\"item_code\":\"000101001000\","
	              "\"item_name\":\"建筑垃圾处置许可\",\"applicant\":{"
	              "\"kind\":\"person\",\"name\":\"%s\",\"id_type\":\"居民身份证\","
	              "\"id_number\":\"11010519491231002X\",\"phone\":\"13800138000\"}}",
	              hall, k, name);
	char *ev = event(hall, k, 1, "created", when, payload);

	free(payload);
	return ev;
}

/*
 * Push event ev (freed here) with token: its result must be status, and
 * its reason hold reason (NULL: any).
 */
static void push(const char *token, char *ev, const char *status, const char *reason)
{
	char *batch = xasprintf("{\"events\":[%s]}", ev);
	struct json_object *r = call("POST", "/v1/events", token, batch, 200), *res, *one;

	json_object_object_get_ex(r, "results", &res);
	one = json_object_array_get_idx(res, 0);
	ck_assert_msg(strcmp(at(one, "status"), status) == 0, "%s: %s (%s), want %s", ev,
	              at(one, "status"), at(one, "reason"), status);
	if (reason != NULL)
		ck_assert_msg(strstr(at(one, "reason"), reason) != NULL, "reason '%s' lacks '%s'",
		              at(one, "reason"), reason);
	json_object_put(r);
	free(batch);
	free(ev);
}

/* The back office of DEPT decides case k; the decided event takes seq. */
static void decide(int k, const char *decision)
{
	char *path = xasprintf("/v1/cases/%s/decision", case_id(k));
	char *body = xasprintf("{\"decision\":\"%s\"}", decision);

	json_object_put(call("POST", path, boss, body, 200));
	free(body);
	free(path);
}

/* GET /v1/cases/ID of case k as token.  Caller puts. */
static struct json_object *get_case(int k, const char *token)
{
	char *path = xasprintf("/v1/cases/%s", case_id(k));
	struct json_object *o = call("GET", path, token, NULL, 200);

	free(path);
	return o;
}

#define PICKUP                                                                                     \
	"{\"method\":\"pickup\",\"collector_name\":\"张三丰\","                                 \
	"\"collector_id_number\":\"11010519491231002X\",\"collector_is_agent\":false,"             \
	"\"courier\":\"\",\"tracking_no\":\"\",\"address\":\"\"}"

/* Case k of H001 created, accepted (promised by promised), decided by the
 * back office (seq 3) and released (seq 4) on 2026-11-20. */
static void released_case(int k, const char *applied, const char *promised, const char *decision)
{
	char *accepted = xasprintf("{\"promised_date\":\"%s\",\"materials\":[]}", promised);

	push(demo, created("H001", k, applied, "张三丰"), "applied", NULL);
	push(demo, event("H001", k, 2, "accepted", applied, accepted), "applied", NULL);
	decide(k, decision);
	push(demo, event("H001", k, 4, "released", "2026-11-20T10:00:00+08:00", PICKUP), "applied",
	     NULL);
	free(accepted);
}

/* Rate case k (event seq, on 2026-11-20) at level with a follow-up due
 * ("" for none). */
static void rate(int k, int seq, int level, const char *due)
{
	char *payload = xasprintf("{\"level\":%d,\"comment\":\"评价%d\",\"follow_up_due\":\"%s\"}",
	                          level, level, due);

	push(demo, event("H001", k, seq, "rated", "2026-11-20T10:02:00+08:00", payload), "applied",
	     "");
	free(payload);
}

/* GET /v1/followups?state=state as token: its follow_ups, which must be
 * n.  Caller puts the answer; *list points into it. */
static struct json_object *follow_ups(const char *token, const char *state, size_t n,
                                      struct json_object **list)
{
	char *path = xasprintf("/v1/followups?state=%s", state);
	struct json_object *o = call("GET", path, token, NULL, 200);

	ck_assert_str_eq(at(o, "hall"), "H001");
	json_object_object_get_ex(o, "follow_ups", list);
	ck_assert_msg(json_object_array_length(*list) == n, "%s: %s", path,
	              json_object_to_json_string(*list));
	free(path);
	return o;
}

START_TEST(test_a_released_case_rated_badly_keeps_its_follow_up_open_until_followed_up)
{
	struct json_object *c, *list, *f;

	released_case(1, "2026-11-02T09:00:00+08:00", "2026-11-16", "approve");
	push(demo,
	     event("H001", 1, 5, "rated", "2026-11-20T10:02:00+08:00",
	           "{\"level\":2,\"comment\":\"等候时间太长\",\"follow_up_due\":\"2026-11-30\"}"),
	     "applied", "");
	c = get_case(1, sup);
	ck_assert_str_eq(at(c, "state"), "released");
	ck_assert_str_eq(at(c, "release.method"), "pickup");
	ck_assert_str_eq(at(c, "release.collector_name"), "张三丰");
	ck_assert_str_eq(at(c, "release.collector_is_agent"), "false");
	ck_assert_str_eq(at(c, "release.released_on"), "2026-11-20");
	ck_assert_str_eq(at(c, "release.clerk"), "demo");
	ck_assert_str_eq(at(c, "rating.level"), "2");
	ck_assert_str_eq(at(c, "rating.comment"), "等候时间太长");
	ck_assert_str_eq(at(c, "rating.clerk"), "demo"); /* the session's, not the event's claim */
	ck_assert_str_eq(at(c, "rating.released_by"), "demo");
	ck_assert_str_eq(at(c, "follow_up.due"), "2026-11-30");
	ck_assert_str_eq(at(c, "follow_up.state"), "open");
	ck_assert_str_eq(at(c, "revocation"), "(null)");
	ck_assert_str_eq(at(c, "withdrawal"), "(null)");
	json_object_put(c);
	/* the supervisor sees it among the hall's open follow-ups, latest due first */
	released_case(10, "2026-11-02T09:30:00+08:00", "2026-11-16", "approve");
	rate(10, 5, 1, "2026-12-15");
	c = follow_ups(sup, "open", 2, &list);
	ck_assert_str_eq(at(json_object_array_get_idx(list, 0), "due"), "2026-12-15");
	f = json_object_array_get_idx(list, 1);
	ck_assert_str_eq(at(f, "case_id"), case_id(1));
	ck_assert_str_eq(at(f, "case_no"), "H001-03-T01-20261102-0001");
	ck_assert_msg(strncmp(at(f, "official_no"), "H001-", 5) == 0, "%s", at(f, "official_no"));
	ck_assert_str_eq(at(f, "item_name"), "建筑垃圾处置许可");
	ck_assert_str_eq(at(f, "level"), "2");
	ck_assert_str_eq(at(f, "comment"), "等候时间太长");
	ck_assert_str_eq(at(f, "rated_by"), "demo");
	ck_assert_str_eq(at(f, "due"), "2026-11-30");
	ck_assert_str_eq(at(f, "state"), "open");
	ck_assert_str_eq(at(f, "note"), "");
	json_object_put(c);
	json_object_put(follow_ups(sup, "closed", 0, &list));

	push(demo,
	     event("H001", 1, 6, "followed_up", "2026-11-23T09:00:00+08:00",
	           "{\"text\":\"已电话回访，取号流程已改进\"}"),
	     "applied", "");
	c = get_case(1, demo);
	ck_assert_str_eq(at(c, "follow_up.state"), "closed");
	ck_assert_str_eq(at(c, "follow_up.note"), "已电话回访，取号流程已改进");
	ck_assert_str_eq(at(c, "follow_up.closed_on"), "2026-11-23");
	ck_assert_str_eq(at(c, "follow_up.closed_by"), "demo");
	ck_assert_str_eq(at(c, "state"), "released");
	json_object_put(c);
	c = follow_ups(sup, "open", 1, &list);
	ck_assert_str_eq(at(json_object_array_get_idx(list, 0), "case_id"), case_id(10));
	json_object_put(c);
	c = follow_ups(demo, "closed", 1, &list);
	f = json_object_array_get_idx(list, 0);
	ck_assert_str_eq(at(f, "case_id"), case_id(1));
	ck_assert_str_eq(at(f, "state"), "closed");
	ck_assert_str_eq(at(f, "note"), "已电话回访，取号流程已改进");
	ck_assert_str_eq(at(f, "closed_on"), "2026-11-23");
	ck_assert_str_eq(at(f, "closed_by"), "demo");
	json_object_put(c);
	json_object_put(follow_ups(sup, "all", 2, &list));
	/* another hall has none; the back office and the operator are not shown them */
	c = call("GET", "/v1/followups", other, NULL, 200);
	ck_assert_str_eq(at(c, "hall"), "H002");
	ck_assert_str_eq(at(c, "state"), "open");
	ck_assert_str_eq(json_object_to_json_string(json_object_object_get(c, "follow_ups")),
	                 "[ ]");
	json_object_put(c);
	json_object_put(call("GET", "/v1/followups", boss, NULL, 403));
	json_object_put(call("GET", "/v1/followups", ops, NULL, 403));
	json_object_put(call("GET", "/v1/followups?state=late", sup, NULL, 400));
	json_object_put(call("GET", "/v1/followups?limit=0", sup, NULL, 400));
}
END_TEST

START_TEST(test_a_revoked_commitment_gives_the_applicant_a_credit_record)
{
	const char *committed = "{\"promised_date\":\"2026-11-10\",\"commitments\":[{\"name\":"
	                        "\"消防安全承诺书\",\"due_date\":\"2026-11-20\"}]}";
	struct json_object *c;

	push(demo, created("H001", 2, "2026-11-03T10:00:00+08:00", "王五"), "applied", NULL);
	push(demo, event("H001", 2, 2, "committed", "2026-11-03T10:05:00+08:00", committed),
	     "applied", NULL);
	push(demo,
	     event("H001", 2, 3, "revoked", "2026-11-25T10:00:00+08:00",
	           "{\"outcome\":\"breached\",\"reason\":\"现场核查未见所述设施\","
	           "\"credit_record\":true,\"commitments\":[{\"name\":\"消防安全承诺书\","
	           "\"result\":\"breached\"}]}"),
	     "applied", "");
	c = get_case(2, demo);
	ck_assert_str_eq(at(c, "state"), "revoked");
	ck_assert_str_eq(at(c, "revocation.reason"), "现场核查未见所述设施");
	ck_assert_str_eq(at(c, "revocation.revoked_on"), "2026-11-25");
	ck_assert_str_eq(at(c, "revocation.clerk"), "demo");
	ck_assert_str_eq(at(c, "revocation.credit_record.applicant_name"), "王五");
	ck_assert_str_eq(at(c, "revocation.credit_record.id_number"), "11010519491231002X");
	ck_assert_str_eq(at(c, "revocation.credit_record.reason"), "现场核查未见所述设施");
	ck_assert_str_eq(at(c, "revocation.credit_record.recorded_on"), "2026-11-25");
	json_object_put(c);

	/* a commitment found true: verified, and no revocation */
	push(demo, created("H001", 3, "2026-11-03T10:00:00+08:00", "赵六"), "applied", NULL);
	push(demo, event("H001", 3, 2, "committed", "2026-11-03T10:05:00+08:00", committed),
	     "applied", NULL);
	push(demo,
	     event("H001", 3, 3, "verified", "2026-11-25T10:00:00+08:00",
	           "{\"outcome\":\"confirmed\",\"commitments\":[{\"name\":\"消防安全承诺书\","
	           "\"result\":\"confirmed\"}]}"),
	     "applied", "");
	c = get_case(3, demo);
	ck_assert_str_eq(at(c, "state"), "accepted_commitment");
	ck_assert_str_eq(at(c, "revocation"), "(null)");
	json_object_put(c);
}
END_TEST

START_TEST(test_a_supplement_overdue_is_withdrawn_only_after_its_date)
{
	struct json_object *c;

	push(demo, created("H001", 4, "2026-11-04T11:00:00+08:00", "赵六"), "applied", NULL);
	push(demo,
	     event("H001", 4, 2, "notice_issued", "2026-11-04T11:05:00+08:00",
	           "{\"materials\":[],\"supply_by\":\"2026-11-11\",\"note\":\"\"}"),
	     "applied", NULL);
	/* on the supply-by day itself the applicant may still come */
	push(demo,
	     event("H001", 4, 3, "withdrawn", "2026-11-11T17:00:00+08:00",
	           "{\"supply_by\":\"2026-11-11\",\"reason\":\"逾期未补正\"}"),
	     "rejected", "payload.supply_by");
	push(demo,
	     event("H001", 4, 3, "withdrawn", "2026-11-20T09:00:00+08:00",
	           "{\"supply_by\":\"2026-11-11\",\"reason\":\"逾期未补正\"}"),
	     "applied", "");
	c = get_case(4, demo);
	ck_assert_str_eq(at(c, "state"), "withdrawn");
	ck_assert_str_eq(at(c, "withdrawal.supply_by"), "2026-11-11");
	ck_assert_str_eq(at(c, "withdrawal.reason"), "逾期未补正");
	ck_assert_str_eq(at(c, "withdrawal.withdrawn_on"), "2026-11-20");
	ck_assert_str_eq(at(c, "withdrawal.clerk"), "demo");
	json_object_put(c);
	/* a withdrawn case's life is over */
	push(demo, event("H001", 4, 4, "supplemented", "2026-11-21T09:00:00+08:00", "{}"),
	     "conflict", NULL);
}
END_TEST

START_TEST(test_casework_events_that_do_not_fit_the_case_are_conflicts)
{
	const char *rated = "{\"level\":4,\"comment\":\"\",\"follow_up_due\":\"\"}";
	struct json_object *c;

	push(demo, created("H001", 5, "2026-11-05T09:00:00+08:00", "钱七"), "applied", NULL);
	push(demo, event("H001", 5, 2, "accepted", "2026-11-05T09:05:00+08:00", "{}"), "applied",
	     NULL);
	/* accepted: not decided, so nothing to release, rate or revoke */
	push(demo, event("H001", 5, 3, "released", "2026-11-06T09:00:00+08:00", PICKUP), "conflict",
	     NULL);
	push(demo, event("H001", 5, 3, "rated", "2026-11-06T09:00:00+08:00", rated), "conflict",
	     NULL);
	push(demo,
	     event("H001", 5, 3, "followed_up", "2026-11-06T09:00:00+08:00", "{\"text\":\"x\"}"),
	     "conflict", NULL);
	push(demo,
	     event("H001", 5, 3, "revoked", "2026-11-06T09:00:00+08:00",
	           "{\"outcome\":\"breached\",\"reason\":\"x\",\"credit_record\":true}"),
	     "conflict", NULL);
	push(demo,
	     event("H001", 5, 3, "withdrawn", "2026-11-20T09:00:00+08:00",
	           "{\"supply_by\":\"2026-11-11\",\"reason\":\"\"}"),
	     "conflict", NULL);
	decide(5, "approve");
	push(demo, event("H001", 5, 4, "released", "2026-11-20T10:00:00+08:00", PICKUP), "applied",
	     NULL);
	push(demo, event("H001", 5, 5, "released", "2026-11-20T10:00:00+08:00", PICKUP), "conflict",
	     NULL);
	push(demo, event("H001", 5, 5, "rated", "2026-11-20T10:01:00+08:00", rated), "applied", "");
	/* 一次一评: one rating; a good one opens no follow-up to close */
	push(demo,
	     event("H001", 5, 6, "rated", "2026-11-20T10:02:00+08:00",
	           "{\"level\":1,\"comment\":\"\",\"follow_up_due\":\"2026-11-30\"}"),
	     "conflict", "rated already");
	push(demo,
	     event("H001", 5, 6, "followed_up", "2026-11-21T09:00:00+08:00", "{\"text\":\"x\"}"),
	     "conflict", "no open follow-up");
	c = get_case(5, demo);
	ck_assert_str_eq(at(c, "rating.level"), "4");
	ck_assert_str_eq(at(c, "follow_up"), "(null)");
	ck_assert_str_eq(at(c, "events"), "5");
	json_object_put(c);
}
END_TEST

START_TEST(test_each_role_pushes_only_its_events)
{
	struct json_object *c;

	released_case(6, "2026-11-06T09:00:00+08:00", "2026-11-20", "approve");
	push(demo, created("H001", 7, "2026-11-06T09:00:00+08:00", "孙八"), "applied", NULL);
	/* a supervisor watches: it sees the hall's cases and pushes nothing */
	c = get_case(6, sup);
	ck_assert_str_eq(at(c, "state"), "released");
	json_object_put(c);
	push(sup,
	     event("H001", 6, 5, "rated", "2026-11-20T10:02:00+08:00",
	           "{\"level\":5,\"comment\":\"\",\"follow_up_due\":\"\"}"),
	     "rejected", "role supervisor may not push rated events (pushed by: clerk)");
	push(sup, created("H001", 8, "2026-11-06T09:00:00+08:00", "孙八"), "rejected",
	     "role supervisor");
	push(demo, created("H001", 8, "2026-11-06T09:00:00+08:00", "孙八"), "applied", NULL);
	push(demo, event("H001", 8, 2, "accepted", "2026-11-06T09:05:00+08:00", "{}"), "applied",
	     NULL);
	decide(8, "approve");
	push(sup, event("H001", 8, 4, "released", "2026-11-20T10:00:00+08:00", PICKUP), "rejected",
	     "role supervisor may not push released events (pushed by: clerk)");
	c = get_case(8, sup);
	ck_assert_str_eq(at(c, "state"), "approved");
	ck_assert_str_eq(at(c, "release"), "(null)");
	json_object_put(c);
	push(demo, event("H001", 8, 4, "released", "2026-11-20T10:00:00+08:00", PICKUP), "applied",
	     NULL);
	push(sup, event("H001", 7, 2, "note", "2026-11-06T09:10:00+08:00", "{\"text\":\"x\"}"),
	     "rejected", "role supervisor");
	/* the back office notes and starts the review, the operator pushes nothing */
	push(boss, event("H001", 7, 2, "accepted", "2026-11-06T09:10:00+08:00", "{}"), "rejected",
	     "role backoffice may not push accepted events");
	push(ops, event("H001", 7, 2, "note", "2026-11-06T09:10:00+08:00", "{\"text\":\"x\"}"),
	     "rejected", "role operator");
	push(boss,
	     event_by("boss", "9", "H001", 7, 2, "note", "2026-11-06T09:10:00+08:00",
	              "{\"text\":\"材料待核\"}"),
	     "applied", "");
	/* nobody pushes a decision */
	push(demo,
	     event("H001", 7, 3, "decided", "2026-11-06T09:10:00+08:00",
	           "{\"outcome\":\"approve\"}"),
	     "rejected", "decisions are made by the back office");
	c = get_case(7, demo);
	ck_assert_str_eq(at(c, "events"), "2");
	json_object_put(c);
	/* nor does a supervisor decide or keep accounts */
	json_object_put(call("POST", "/v1/cases/cccccccc-0000-4000-8000-000000000007/decision", sup,
	                     "{\"decision\":\"approve\"}", 403));
	json_object_put(call("GET", "/v1/users", sup, NULL, 403));
}
END_TEST

START_TEST(test_a_supervisor_account_comes_from_useradd_or_the_api)
{
	struct err e = {0};
	struct json_object *o;

	o = call("POST", "/v1/login", NULL, "{\"clerk\":\"sup\",\"password\":\"secret\"}", 200);
	ck_assert_str_eq(at(o, "clerk.role"), "supervisor");
	json_object_put(o);
	o = call("POST", "/v1/users", ops,
	         "{\"id\":\"sup2\",\"name\":\"督查员\",\"hall\":\"H001\",\"hall_name\":\"示例\","
	         "\"window\":\"0\",\"role\":\"supervisor\",\"password\":\"pw\"}",
	         201);
	ck_assert_str_eq(at(o, "user.role"), "supervisor");
	json_object_put(o);
	o = call("POST", "/v1/users", ops,
	         "{\"id\":\"sup3\",\"name\":\"督查员\",\"hall\":\"H001\",\"hall_name\":\"示例\","
	         "\"window\":\"0\",\"role\":\"inspector\",\"password\":\"pw\"}",
	         422);
	ck_assert_str_eq(at(o, "message"),
	                 "role must be clerk, supervisor, backoffice or operator");
	json_object_put(o);
	ck_assert(tbserver_add_user(srv, "x", "pw", "H001", "inspector", "", &e) != 0);
}
END_TEST

START_TEST(test_casework_payloads_are_checked_member_by_member)
{
	static const struct {
		const char *type, *payload, *reason;
	} bad[] = {
	    {"released", "{\"method\":\"drone\"}", "payload.method must be pickup, mail or"},
	    {"released", "{\"method\":\"pickup\",\"collector_name\":\"\"}",
	     "a pickup needs payload.collector_name"},
	    {"released", "{\"method\":\"mail\",\"tracking_no\":\"SF1\",\"address\":\"\"}",
	     "a mailed release needs"},
	    {"released", "{\"method\":\"electronic\",\"collector_is_agent\":\"no\"}",
	     "payload.collector_is_agent"},
	    {"released", "{\"method\":\"electronic\",\"courier\":5}", "payload.courier"},
	};
	static const struct {
		const char *payload, *reason;
	} bad_rating[] = {
	    {"{\"level\":7}", "payload.level must be an integer from 0 to 5"},
	    {"{\"level\":\"5\"}", "payload.level"},
	    {"{\"level\":2,\"follow_up_due\":\"2026-11-19\"}", "must not be before the rating"},
	    {"{\"level\":5,\"follow_up_due\":\"2026-11-30\"}", "only for a rating of 1 or 2"},
	    {"{\"level\":2,\"follow_up_due\":\"2026-13-01\"}", "payload.follow_up_due"},
	};
	struct json_object *c;
	size_t i;

	push(demo, created("H001", 9, "2026-11-09T09:00:00+08:00", "周九"), "applied", NULL);
	push(demo,
	     event("H001", 9, 2, "accepted", "2026-11-09T09:05:00+08:00",
	           "{\"promised_date\":\"soon\"}"),
	     "rejected", "payload.promised_date");
	push(demo, event("H001", 9, 2, "note", "2026-11-09T09:05:00+08:00", "{\"text\":\"\"}"),
	     "rejected", "missing payload.text");
	push(demo, event("H001", 9, 2, "accepted", "2026-11-09T09:05:00+08:00", "{}"), "applied",
	     NULL);
	decide(9, "refuse");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		push(demo,
		     event("H001", 9, 4, bad[i].type, "2026-11-20T10:00:00+08:00", bad[i].payload),
		     "rejected", bad[i].reason);
	push(demo,
	     event("H001", 9, 4, "released", "2026-11-20T10:00:00+08:00",
	           "{\"method\":\"mail\",\"courier\":\"EMS\",\"tracking_no\":\"1190000000001\","
	           "\"address\":\"示例市人民路1号\"}"),
	     "applied", NULL);
	for (i = 0; i < sizeof bad_rating / sizeof bad_rating[0]; i++)
		push(demo,
		     event("H001", 9, 5, "rated", "2026-11-20T10:01:00+08:00",
		           bad_rating[i].payload),
		     "rejected", bad_rating[i].reason);
	/* a client without calendar data for the year cannot date the follow-up:
	 * the rating is kept all the same, and its follow-up opens undated */
	push(demo,
	     event("H001", 9, 5, "rated", "2026-11-20T10:01:00+08:00",
	           "{\"level\":1,\"follow_up_due\":\"\"}"),
	     "applied", NULL);
	c = get_case(9, demo);
	ck_assert_str_eq(at(c, "follow_up.state"), "open");
	ck_assert_str_eq(at(c, "follow_up.due"), "");
	json_object_put(c);
	push(demo, event("H001", 9, 6, "followed_up", "2026-11-21T09:00:00+08:00", "{}"),
	     "rejected", "missing payload.text");
	push(demo, event("H001", 9, 6, "withdrawn", "2026-11-21T09:00:00+08:00", "{}"), "rejected",
	     "payload.supply_by");
}
END_TEST

/* Case k of H001 created at applied and decided at the counter by type
 * (accepted, committed: promised by promised) as event 2. */
static void counter_case(int k, const char *applied, const char *type, const char *promised)
{
	char *payload = xasprintf("{\"promised_date\":\"%s\"}", promised);

	push(demo, created("H001", k, applied, "申请人"), "applied", NULL);
	push(demo, event("H001", k, 2, type, applied, payload), "applied", NULL);
	free(payload);
}

/* Case k of H001 given a one-time notice (supply by 2026-11-10). */
static void notice_case(int k, const char *applied)
{
	push(demo, created("H001", k, applied, "申请人"), "applied", NULL);
	push(demo,
	     event("H001", k, 2, "notice_issued", applied,
	           "{\"materials\":[],\"supply_by\":\"2026-11-10\",\"note\":\"\"}"),
	     "applied", NULL);
}

/*
 * The known mix: twelve cases of H001 applied for in November 2026 (the
 * hall's dates) and two outside it, and one of H002.  Today is after
 * November: a decision made now on a case promised for 2026-11-10 is late.
 */
static void known_mix(void)
{
	released_case(11, "2026-11-02T09:00:00+08:00", "2099-12-31", "approve"); /* on time */
	rate(11, 5, 5, "");
	released_case(12, "2026-11-03T09:00:00+08:00", "2026-11-10", "approve"); /* late */
	rate(12, 5, 2, "2026-11-30");                                            /* open */
	released_case(13, "2026-11-04T09:00:00+08:00", "2026-11-10", "refuse");  /* late */
	rate(13, 5, 1, "2026-11-30");
	push(demo,
	     event("H001", 13, 6, "followed_up", "2026-11-25T09:00:00+08:00",
	           "{\"text\":\"已整改\"}"),
	     "applied", NULL);                                                   /* closed */
	counter_case(14, "2026-11-05T09:00:00+08:00", "accepted", "2099-12-31"); /* pending */
	counter_case(15, "2026-11-06T09:00:00+08:00", "accepted", "2026-11-09"); /* overdue, open */
	notice_case(16, "2026-11-07T09:00:00+08:00");
	push(demo,
	     event("H001", 16, 3, "withdrawn", "2026-11-20T09:00:00+08:00",
	           "{\"supply_by\":\"2026-11-10\",\"reason\":\"逾期未补正\"}"),
	     "applied", NULL);
	notice_case(17, "2026-11-08T09:00:00+08:00"); /* first a notice, then accepted: pending */
	push(demo, event("H001", 17, 3, "supplemented", "2026-11-09T09:00:00+08:00", "{}"),
	     "applied", NULL);
	push(demo,
	     event("H001", 17, 4, "accepted", "2026-11-09T09:05:00+08:00",
	           "{\"promised_date\":\"2099-12-31\"}"),
	     "applied", NULL);
	counter_case(18, "2026-11-09T09:00:00+08:00", "committed", "2099-12-31"); /* pending */
	push(demo,
	     event("H001", 18, 3, "verified", "2026-11-20T09:00:00+08:00",
	           "{\"outcome\":\"confirmed\",\"commitments\":[]}"),
	     "applied", NULL);
	counter_case(19, "2026-11-10T09:00:00+08:00", "committed", "2099-12-31"); /* on time: */
	push(demo,
	     event("H001", 19, 3, "revoked", "2026-11-20T09:00:00+08:00",
	           "{\"outcome\":\"breached\",\"reason\":\"承诺不实\",\"credit_record\":true}"),
	     "applied", NULL); /* the revocation ended its time limit */
	push(demo, created("H001", 20, "2026-11-11T09:00:00+08:00", "申请人"), "applied", NULL);
	push(demo, event("H001", 20, 2, "refused", "2026-11-11T09:05:00+08:00", "{}"), "applied",
	     NULL);
	push(demo, event("H001", 20, 3, "released", "2026-11-20T10:00:00+08:00", PICKUP), "applied",
	     NULL);
	rate(20, 4, 0, ""); /* declined */
	push(demo, created("H001", 21, "2026-11-12T09:00:00+08:00", "申请人"), "applied", NULL);
	/* the hall's dates: 11-01 00:30 and 12-01 00:30 in Beijing */
	push(demo, created("H001", 22, "2026-10-31T16:30:00Z", "申请人"), "applied", NULL);
	push(demo, created("H001", 23, "2026-11-30T16:30:00Z", "申请人"), "applied", NULL);
	counter_case(24, "2026-10-30T09:00:00+08:00", "accepted", "2026-11-05");
	push(other, created("H002", 25, "2026-11-12T09:00:00+08:00", "申请人"), "applied", NULL);
}

#define NOVEMBER "/v1/stats?from=2026-11-01&to=2026-11-30"

/* The numbers of the known mix in the answer o of GET /v1/stats, with
 * the average working days to release avg ("(null)" without a calendar). */
static void assert_known_mix(struct json_object *o, const char *avg)
{
	static const char *const want[][2] = {
	    {"hall", "H001"},
	    {"stats.from", "2026-11-01"},
	    {"stats.to", "2026-11-30"},
	    {"stats.cases", "12"},
	    {"stats.outcomes.accepted", "5"},
	    {"stats.outcomes.notice", "2"},
	    {"stats.outcomes.committed", "2"},
	    {"stats.outcomes.refused", "1"},
	    {"stats.outcomes.undecided", "2"},
	    {"stats.on_time", "2"},
	    {"stats.overdue", "3"},
	    {"stats.pending", "3"},
	    {"stats.released", "4"},
	    {"stats.commitments_verified", "1"},
	    {"stats.commitments_breached", "1"},
	    {"stats.withdrawn", "1"},
	    {"stats.ratings.very_satisfied", "1"},
	    {"stats.ratings.satisfied", "0"},
	    {"stats.ratings.fairly_satisfied", "0"},
	    {"stats.ratings.dissatisfied", "1"},
	    {"stats.ratings.very_dissatisfied", "1"},
	    {"stats.ratings.declined", "1"},
	    {"stats.follow_ups_open", "1"},
	    {"stats.follow_ups_closed", "1"},
	};
	struct json_object *stats = json_object_object_get(o, "stats"), *row;
	size_t i;

	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(strcmp(at(o, want[i][0]), want[i][1]) == 0, "%s: %s, want %s",
		              want[i][0], at(o, want[i][0]), want[i][1]);
	ck_assert_str_eq(at(o, "stats.release_workdays_average"), avg);
	row = json_object_array_get_idx(json_object_object_get(stats, "items"), 0);
	ck_assert_str_eq(at(row, "item_code"), "000101001000");
	ck_assert_str_eq(at(row, "cases"), "12");
	row = json_object_array_get_idx(json_object_object_get(stats, "departments"), 0);
	ck_assert_str_eq(at(row, "dept"), DEPT);
	ck_assert_str_eq(at(row, "outcomes.accepted"), "5");
}

START_TEST(test_stats_of_a_known_mix_of_cases_are_exact)
{
	char *cal = tbcheck_src_path("data/calendar.json");
	char *cmd = xasprintf("'%s' import-calendar --db '%s' '%s' >/dev/null", tbserver_bin(),
	                      tbserver_db(srv), cal);
	struct json_object *o;

	known_mix();
	o = call("GET", NOVEMBER, sup, NULL, 200);
	assert_known_mix(o, "(null)"); /* no calendar imported: working days not counted */
	json_object_put(o);
	/* with the calendar: 14, 13, 12 and 7 working days from application to release */
	ck_assert_int_eq(system(cmd), 0);
	o = call("GET", NOVEMBER, demo, NULL, 200);
	assert_known_mix(o, "11.5");
	json_object_put(o);
	/* one day: the cases applied for on 2026-11-01 in the hall */
	o = call("GET", "/v1/stats?from=2026-11-01&to=2026-11-01", sup, NULL, 200);
	ck_assert_str_eq(at(o, "stats.cases"), "1");
	ck_assert_str_eq(at(o, "stats.outcomes.undecided"), "1");
	json_object_put(o);
	free(cmd);
	free(cal);
}
END_TEST

START_TEST(test_stats_need_two_dates_in_order)
{
	static const char *const bad[] = {
	    "/v1/stats",
	    "/v1/stats?from=2026-11-01",
	    "/v1/stats?to=2026-11-30",
	    "/v1/stats?from=2026-11-01&to=2026-11-31",
	    "/v1/stats?from=2026/11/01&to=2026-11-30",
	    "/v1/stats?from=2026-11-01&to=",
	    "/v1/stats?from=2026-12-01&to=2026-11-30",
	};
	struct json_object *o;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		o = call("GET", bad[i], demo, NULL, 400);
		ck_assert_str_eq(at(o, "error"), "bad_request");
		ck_assert_msg(strlen(at(o, "message")) > 5, "%s", at(o, "message"));
		json_object_put(o);
	}
	json_object_put(call("GET", NOVEMBER, NULL, NULL, 401));
}
END_TEST

START_TEST(test_an_operator_sees_another_halls_stats_a_clerk_does_not)
{
	struct json_object *o;

	known_mix();
	o = call("GET", NOVEMBER "&hall=H002", ops, NULL, 200);
	ck_assert_str_eq(at(o, "hall"), "H002");
	ck_assert_str_eq(at(o, "stats.cases"), "1");
	json_object_put(o);
	o = call("GET", NOVEMBER, ops, NULL, 200); /* its own hall, H001 */
	ck_assert_str_eq(at(o, "stats.cases"), "12");
	json_object_put(o);
	o = call("GET", NOVEMBER, other, NULL, 200);
	ck_assert_str_eq(at(o, "hall"), "H002");
	ck_assert_str_eq(at(o, "stats.cases"), "1");
	json_object_put(o);
	o = call("GET", NOVEMBER "&hall=H001", demo, NULL, 200);
	ck_assert_str_eq(at(o, "stats.cases"), "12");
	json_object_put(o);
	o = call("GET", NOVEMBER "&hall=H002", demo, NULL, 403);
	ck_assert_str_eq(at(o, "error"), "forbidden");
	json_object_put(o);
	json_object_put(call("GET", NOVEMBER "&hall=H001", other, NULL, 403));
	json_object_put(call("GET", NOVEMBER "&hall=H002", sup, NULL, 403));
	json_object_put(call("GET", NOVEMBER, boss, NULL, 403));
}
END_TEST

/* Run the shell command cmd: its standard output (caller frees) and its
 * exit status into *status (-1 when it did not exit). */
static char *run(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	char chunk[4096];
	struct buf b;
	size_t n;
	int st;

	ck_assert_ptr_nonnull(p);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_add(&b, chunk, n);
	st = pclose(p);
	*status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	return buf_take(&b);
}

/* tongband report on the server's database in language lang (zh_CN.UTF-8,
 * C) with the arguments args: its output, the exit status must be want. */
static char *report(const char *lang, const char *args, int want)
{
	char *cmd = xasprintf("LC_ALL= LC_MESSAGES= TONGBAN_LANG= LANG=%s '%s' report --db "
	                      "'%s' %s 2>&1",
	                      lang, tbserver_bin(), tbserver_db(srv), args);
	int status;
	char *out = run(cmd, &status);

	ck_assert_msg(status == want, "%s: exit %d, want %d: %s", cmd, status, want, out);
	free(cmd);
	return out;
}

#define NOVEMBER_ARGS "--hall H001 --from 2026-11-01 --to 2026-11-30"

START_TEST(test_report_prints_the_numbers_of_v1_stats)
{
	static const char *const zh[] = {
	    "统计 2026-11-01 至 2026-11-30：收件 12 件\n",
	    "办理时限：按时 2，逾期 3，未到期 3\n",
	    "告知承诺：核查属实 1，虚假承诺（撤销）1；视为放弃 1；绿色通道 0\n",
	    "出件 4 件\n",
	    "  整改：未完成 1，已完成 1\n",
	};
	static const char *const en[] = {
	    "Statistics 2026-11-01 to 2026-11-30: 12 cases\n",
	    "Time limits: on time 2, overdue 3, not yet due 3\n",
	    "Commitments: verified 1, false (revoked) 1; withdrawn 1; green channel 0\n",
	    "  follow-ups: open 1, closed 1\n",
	};
	struct json_object *api, *printed;
	char *out;
	size_t i;

	known_mix();
	api = call("GET", NOVEMBER, sup, NULL, 200);
	out = report("C", NOVEMBER_ARGS " --json", 0);
	printed = json_tokener_parse(out);
	ck_assert_msg(printed != NULL && json_object_equal(api, printed), "report: %s\napi: %s",
	              out, json_object_to_json_string(api));
	json_object_put(printed);
	free(out);
	out = report("zh_CN.UTF-8", NOVEMBER_ARGS, 0);
	for (i = 0; i < sizeof zh / sizeof zh[0]; i++)
		ck_assert_msg(strstr(out, zh[i]) != NULL, "no '%s' in:\n%s", zh[i], out);
	free(out);
	out = report("C", NOVEMBER_ARGS, 0);
	for (i = 0; i < sizeof en / sizeof en[0]; i++)
		ck_assert_msg(strstr(out, en[i]) != NULL, "no '%s' in:\n%s", en[i], out);
	free(out);
	json_object_put(api);
}
END_TEST

START_TEST(test_report_with_bad_arguments_exits_2)
{
	static const char *const bad[] = {
	    "--from 2026-11-01 --to 2026-11-30",
	    "--hall H001 --to 2026-11-30",
	    "--hall H001 --from 2026-11-01",
	    "--hall H001 --from 2026-02-30 --to 2026-11-30",
	    "--hall H001 --from 2026-11-01 --to 30/11/2026",
	    "--hall H001 --from 2026-12-01 --to 2026-11-30",
	    NOVEMBER_ARGS " --format csv",
	    NOVEMBER_ARGS " extra",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		free(report("C", bad[i], 2));
	/* a hall without cases is a report of none */
	free(report("C", "--hall H009 --from 2026-11-01 --to 2026-11-30", 0));
}
END_TEST

static Suite *casework_suite(void)
{
	Suite *s = suite_create("server_casework");
	TCase *tc = tcase_create("casework");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc,
	               test_a_released_case_rated_badly_keeps_its_follow_up_open_until_followed_up);
	tcase_add_test(tc, test_a_revoked_commitment_gives_the_applicant_a_credit_record);
	tcase_add_test(tc, test_a_supplement_overdue_is_withdrawn_only_after_its_date);
	tcase_add_test(tc, test_casework_events_that_do_not_fit_the_case_are_conflicts);
	tcase_add_test(tc, test_each_role_pushes_only_its_events);
	tcase_add_test(tc, test_a_supervisor_account_comes_from_useradd_or_the_api);
	tcase_add_test(tc, test_casework_payloads_are_checked_member_by_member);
	tcase_add_test(tc, test_stats_of_a_known_mix_of_cases_are_exact);
	tcase_add_test(tc, test_stats_need_two_dates_in_order);
	tcase_add_test(tc, test_an_operator_sees_another_halls_stats_a_clerk_does_not);
	tcase_add_test(tc, test_report_prints_the_numbers_of_v1_stats);
	tcase_add_test(tc, test_report_with_bad_arguments_exits_2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	return tbcheck_run(casework_suite());
}
