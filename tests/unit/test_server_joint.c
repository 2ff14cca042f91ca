/*
 * test_server_joint.c - cases more than one back office decides, against
 * the real tongband (src/server/srv_joint.c): a joint item (并联审批) routed
 * to each of its departments' inboxes, their decisions arriving one by one
 * through the changes feed and the joint result following the item's rule
 * (施工图联合审查: all must approve; 建设工程并联验收: what was approved may
 * be released alone); and a case taken for another region's item (跨域通办)
 * routed to that region's hall, decided there, its decision back in the
 * taking hall's feed.  Over HTTP against `tongband serve`, on SQLite or
 * PostgreSQL (TONGBAND_TEST_BACKEND).
 */
#include <check.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "tbcheck.h"
#include "tbserver.h"

#define at tbcheck_json_at

/* Departments of the two joint items in data/catalogue.json. */
#define GUIHUA   "市自然资源和规划局"
#define XIAOFANG "市消防救援支队"
#define RENFANG  "市人民防空办公室"
#define HUANBAO  "市生态环境局"
#define ZHUJIAN  "市住房和城乡建设局"

static struct tbserver *srv;
static char *demo, *gh, *xf, *rf, *hb, *zj, *ts, *ts_other;

static char *login_as(const char *id, const char *password)
{
	struct err e = {0};
	char *token = tbserver_login(srv, id, password, &e);

	ck_assert_msg(token != NULL, "%s", e.msg);
	return token;
}

static void add_user(const char *id, const char *hall, const char *dept)
{
	struct err e = {0};

	ck_assert_msg(tbserver_add_user(srv, id, "secret", hall, "backoffice", dept, &e) == 0, "%s",
	              e.msg);
}

/* tongband import-catalogue of the region's catalogue 天水市 (620500),
 * decided by hall H620. */
static void import_region(void)
{
	const char *src = getenv("TONGBAN_SRCDIR");
	char *cmd = xasprintf("'%s' import-catalogue --db '%s' --region 620500 --region-name "
	                      "甘肃省天水市 --hall H620 '%s/data/catalogue-620500.json' >/dev/null",
	                      tbserver_bin(), tbserver_db(srv), src && *src ? src : ".");

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}

static void setup(void)
{
	struct err e = {0};

	srv = tbserver_start(&e);
	ck_assert_msg(srv != NULL, "%s", e.msg);
	add_user("gh", "H001", GUIHUA);
	add_user("xf", "H001", XIAOFANG);
	add_user("rf", "H001", RENFANG);
	add_user("hb", "H001", HUANBAO);
	add_user("zj", "H001", ZHUJIAN);
	add_user("ts", "H620", "天水市市场监督管理局");
	add_user("ts2", "H620", "天水市自然资源局（不动产登记中心）");
	import_region();
	demo = login_as(TBSERVER_CLERK, TBSERVER_PASSWORD);
	gh = login_as("gh", "secret");
	xf = login_as("xf", "secret");
	rf = login_as("rf", "secret");
	hb = login_as("hb", "secret");
	zj = login_as("zj", "secret");
	ts = login_as("ts", "secret");
	ts_other = login_as("ts2", "secret");
}

static void teardown(void)
{
	free(demo);
	free(gh);
	free(xf);
	free(rf);
	free(hb);
	free(zj);
	free(ts);
	free(ts_other);
	ck_assert_int_eq(tbserver_stop(srv), 0);
	tbserver_free(srv);
}

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

static const char *case_id(int k)
{
	static char id[40];

	snprintf(id, sizeof id, "dddddddd-0000-4000-8000-%012d", k);
	return id;
}

static char *event(int k, int seq, const char *type, const char *payload)
{
	return xasprintf("{\"uuid\":\"88888888-%04d-4000-8000-%012d\",\"case_id\":\"%s\","
	                 "\"seq\":%d,\"type\":\"%s\",\"hall\":\"H001\",\"window\":\"3\","
	                 "\"clerk\":\"demo\",\"client_time\":\"2026-11-02T09:00:00+08:00\","
	                 "\"payload\":%s}",
	                 seq, k, case_id(k), seq, type, payload);
}

static void push(char *ev)
{
	char *batch = xasprintf("{\"events\":[%s]}", ev);
	struct json_object *r = call("POST", "/v1/events", demo, batch, 200), *res, *one;

	json_object_object_get_ex(r, "results", &res);
	one = json_object_array_get_idx(res, 0);
	ck_assert_msg(strcmp(at(one, "status"), "applied") == 0, "%s: %s (%s)", ev,
	              at(one, "status"), at(one, "reason"));
	json_object_put(r);
	free(batch);
	free(ev);
}

/* Case k of item code (name) taken in and accepted at demo's window. */
static void accepted_case(int k, const char *code, const char *name)
{
	char *p = xasprintf("{\"case_no\":\"H001-03-T01-20261102-%04d\",\"item_code\":\"%s\","
	                    "\"item_name\":\"%s\",\"applicant\":{\"kind\":\"org\","
	                    "\"name\":\"示例建设集团有限公司\",\"id_number\":\"\",\"phone\":"
	                    "\"13800138000\"}}",
	                    k, code, name);

	push(event(k, 1, "created", p));
	push(event(k, 2, "accepted", "{\"promised_date\":\"2026-12-01\",\"materials\":[]}"));
	free(p);
}

/* Whether case k is in token's inbox. */
static bool in_inbox(const char *token, int k)
{
	struct json_object *r = call("GET", "/v1/inbox", token, NULL, 200), *list;
	size_t i;
	bool found = false;

	json_object_object_get_ex(r, "cases", &list);
	for (i = 0; i < json_object_array_length(list); i++)
		if (strcmp(at(json_object_array_get_idx(list, i), "id"), case_id(k)) == 0)
			found = true;
	json_object_put(r);
	return found;
}

/* token decides case k; the answer (caller puts). */
static struct json_object *decide(const char *token, int k, const char *decision,
                                  const char *reason, long want)
{
	char *path = xasprintf("/v1/cases/%s/decision", case_id(k));
	char *body = xasprintf("{\"decision\":\"%s\",\"reason\":\"%s\"}", decision, reason);
	struct json_object *o = call("POST", path, token, body, want);

	free(body);
	free(path);
	return o;
}

/* The decision changes of case k in demo's feed, as "type:outcome" lines. */
static char *feed_of(int k)
{
	struct json_object *r = call("GET", "/v1/changes?since=0&limit=500", demo, NULL, 200),
	                   *list;
	char *out = xstrdup(""), *next;
	size_t i;

	json_object_object_get_ex(r, "changes", &list);
	for (i = 0; i < json_object_array_length(list); i++) {
		struct json_object *ch = json_object_array_get_idx(list, i), *ev, *p;

		if (strcmp(at(ch, "kind"), "decision") != 0 ||
		    strcmp(at(ch, "case_id"), case_id(k)))
			continue;
		json_object_object_get_ex(ch, "event", &ev);
		json_object_object_get_ex(ev, "payload", &p);
		next = xasprintf("%s%s:%s:%s\n", out, at(ev, "type"), at(p, "outcome"),
		                 json_object_object_get_ex(p, "dept", NULL) ? at(p, "dept") : "");
		free(out);
		out = next;
	}
	json_object_put(r);
	return out;
}

static const char *state_of(int k)
{
	static char state[40];
	char *path = xasprintf("/v1/cases/%s", case_id(k));
	struct json_object *o = call("GET", path, demo, NULL, 200);

	snprintf(state, sizeof state, "%s", at(o, "state"));
	json_object_put(o);
	free(path);
	return state;
}

START_TEST(a_joint_case_is_in_each_departments_inbox_and_one_refusal_refuses_it)
{
	struct json_object *r, *joint, *parts;
	char *feed;

	accepted_case(1, "001002103000", "施工图联合审查");
	ck_assert(in_inbox(gh, 1));
	ck_assert(in_inbox(xf, 1));
	ck_assert(in_inbox(rf, 1));
	ck_assert(!in_inbox(hb, 1)); /* not one of its departments */
	/* a department that is not one of the item's may not decide it */
	json_object_put(decide(hb, 1, "approve", "", 403));

	r = decide(gh, 1, "approve", "规划条件核实通过", 200);
	ck_assert(
	    !json_object_object_get_ex(json_object_object_get(r, "event"), "joint_decision", NULL));
	json_object_put(r);
	ck_assert(!in_inbox(gh, 1)); /* decided its part */
	ck_assert(in_inbox(xf, 1));
	ck_assert_str_eq(state_of(1), "accepted");
	/* a second word of the same department is refused */
	json_object_put(decide(gh, 1, "refuse", "", 409));
	feed = feed_of(1);
	ck_assert_str_eq(feed, "dept_decided:approve:" GUIHUA "\n");
	free(feed);

	r = decide(xf, 1, "refuse", "疏散通道宽度不足，须整改", 200);
	json_object_object_get_ex(json_object_object_get(r, "event"), "joint_decision", &joint);
	ck_assert_ptr_nonnull(joint);
	ck_assert_str_eq(at(joint, "type"), "decided");
	ck_assert_str_eq(at(json_object_object_get(joint, "payload"), "outcome"), "refuse");
	ck_assert_str_eq(at(json_object_object_get(joint, "payload"), "reason"),
	                 "疏散通道宽度不足，须整改");
	parts = json_object_object_get(
	    json_object_object_get(json_object_object_get(joint, "payload"), "joint"), "parts");
	ck_assert_int_eq(json_object_array_length(parts), 3);
	ck_assert_str_eq(at(json_object_array_get_idx(parts, 1), "dept"), XIAOFANG);
	ck_assert_str_eq(at(json_object_array_get_idx(parts, 1), "outcome"), "refuse");
	ck_assert_str_eq(at(json_object_array_get_idx(parts, 1), "decided_by"), "xf");
	ck_assert_str_eq(at(json_object_array_get_idx(parts, 2), "outcome"), "");
	json_object_put(r);
	ck_assert_str_eq(state_of(1), "denied");
	ck_assert(!in_inbox(rf, 1)); /* the rule decided it: nothing left to decide */
	json_object_put(decide(rf, 1, "approve", "", 409));
	feed = feed_of(1);
	ck_assert_str_eq(feed, "dept_decided:approve:" GUIHUA "\ndept_decided:refuse:" XIAOFANG
	                       "\ndecided:refuse:\n");
	free(feed);
}
END_TEST

START_TEST(a_partial_release_item_is_approved_with_what_passed)
{
	struct json_object *r, *joint, *p;

	accepted_case(2, "001002101000", "建设工程并联验收");
	json_object_put(decide(gh, 2, "approve", "", 200));
	json_object_put(decide(xf, 2, "refuse", "消防设施未验收合格", 200));
	json_object_put(decide(rf, 2, "approve", "", 200));
	/* a refusal does not end it: every department answers first */
	ck_assert_str_eq(state_of(2), "accepted");
	ck_assert(in_inbox(zj, 2));
	json_object_put(decide(hb, 2, "approve", "", 200));
	r = decide(zj, 2, "approve", "", 200);
	json_object_object_get_ex(json_object_object_get(r, "event"), "joint_decision", &joint);
	ck_assert_ptr_nonnull(joint);
	p = json_object_object_get(joint, "payload");
	ck_assert_str_eq(at(p, "outcome"), "approve");
	ck_assert(json_object_get_boolean(
	    json_object_object_get(json_object_object_get(p, "joint"), "partial")));
	ck_assert_str_eq(at(json_object_object_get(p, "joint"), "rule"), "partial");
	json_object_put(r);
	ck_assert_str_eq(state_of(2), "approved");
}
END_TEST

START_TEST(another_regions_case_is_decided_by_its_hall_and_comes_back)
{
	struct json_object *r, *cat;
	char *feed, *path;

	/* the served catalogue holds the region's items, marked */
	r = call("GET", "/v1/catalogue", demo, NULL, 200);
	ck_assert_msg(strstr(json_object_to_json_string_ext(r, JSON_C_TO_STRING_PLAIN),
	                     "\"decide_hall\":\"H620\"") != NULL,
	              "%s", "no region item in the catalogue");
	json_object_put(r);
	accepted_case(3, "620500103402", "个体工商户设立登记");
	ck_assert(in_inbox(ts, 3));
	ck_assert(!in_inbox(ts_other, 3)); /* another department of that hall */
	ck_assert(!in_inbox(zj, 3));       /* not decided at the taking hall */
	json_object_put(decide(zj, 3, "approve", "", 404));
	/* the deciding hall's back office may read the record */
	path = xasprintf("/v1/cases/%s", case_id(3));
	cat = call("GET", path, ts, NULL, 200);
	ck_assert_str_eq(at(cat, "hall"), "H001");
	json_object_put(cat);
	free(path);
	json_object_put(decide(ts, 3, "approve", "", 200));
	ck_assert_str_eq(state_of(3), "approved");
	feed = feed_of(3);
	ck_assert_str_eq(feed, "decided:approve:\n");
	free(feed);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("server_joint");
	TCase *tc = tcase_create("joint");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_joint_case_is_in_each_departments_inbox_and_one_refusal_refuses_it);
	tcase_add_test(tc, a_partial_release_item_is_approved_with_what_passed);
	tcase_add_test(tc, another_regions_case_is_decided_by_its_hall_and_comes_back);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tbcheck_run(suite());
}
