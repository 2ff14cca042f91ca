/*
 * srv_joint.c - joint (并联审批) and cross-region (跨域通办) cases: their
 * routing, the joint result, the back-office inbox and the catalogues per
 * region (see srv_joint.h).
 */
#include "server/srv_joint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/event.h"
#include "server/srv_audit.h"
#include "server/srv_db.h"
#include "server/srv_store_int.h"
#include "server/srv_time.h"

int srv_joint_route(struct srv_store *s, const char *case_id, const struct item *it, struct err *e)
{
	struct srv_db *db = srv_store_db(s);
	size_t i, n = item_joint_count(it);
	char dept[257];

	for (i = 0; i < n; i++)
		if (srv_db_run(
		        db, e,
		        "INSERT INTO joint_parts (case_id, dept, n, rule) VALUES (?1, ?2, ?3, ?4)",
		        "eeie", case_id, item_joint_dept(it, i, dept, sizeof dept), (int)i,
		        it->joint_rule) < 0)
			return -1;
	if (it->decide_hall == NULL || it->decide_hall[0] == '\0')
		return 0;
	return srv_db_run(db, e,
	                  "INSERT INTO case_routes (case_id, hall, region, region_name)"
	                  " VALUES (?1, ?2, ?3, ?4)",
	                  "eeee", case_id, it->decide_hall, it->region, it->region_name);
}

int srv_joint_routed_hall(struct srv_store *s, const char *case_id, char hall[65], struct err *e)
{
	char *v = NULL;
	int rc = srv_db_get_text(srv_store_db(s), e, &v,
	                         "SELECT hall FROM case_routes WHERE case_id = ?1", "e", case_id);

	if (rc == 1)
		str_copy(hall, 65, v);
	free(v);
	return rc;
}

int srv_joint_part_get(struct srv_store *s, const char *case_id, const char *dept,
                       struct srv_joint_part *p, long long *n_parts, struct err *e)
{
	struct srv_db *db = srv_store_db(s);
	struct srv_db_stmt *st;
	int rc;

	*n_parts = 0;
	if (srv_db_get_int(db, e, n_parts, "SELECT count(*) FROM joint_parts WHERE case_id = ?1",
	                   "e", case_id) < 0)
		return -1;
	if (*n_parts == 0)
		return 0;
	st = srv_db_query(db, e,
	                  "SELECT rule, outcome FROM joint_parts WHERE case_id = ?1 AND dept = ?2",
	                  "ee", case_id, dept);
	if (st == NULL)
		return -1;
	rc = srv_db_step(st, e);
	if (rc == 1) {
		srv_db_col_copy(st, 0, p->rule, sizeof p->rule);
		srv_db_col_copy(st, 1, p->outcome, sizeof p->outcome);
	}
	srv_db_done(st);
	return rc;
}

static void add_str(struct json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v ? v : ""));
}

/* The parts of case_id as a JSON array, with how many approved, refused
 * and wait, and the rule.  NULL on failure. */
static struct json_object *parts_json(struct srv_db *db, const char *case_id, int count[3],
                                      char rule[16], struct err *e)
{
	struct json_object *list = json_object_new_array();
	struct srv_db_stmt *st = srv_db_query(
	    db, e,
	    "SELECT dept, outcome, reason, decided_by, decided_at, rule FROM joint_parts"
	    " WHERE case_id = ?1 ORDER BY n",
	    "e", case_id);
	int rc;

	count[0] = count[1] = count[2] = 0;
	if (st == NULL) {
		json_object_put(list);
		return NULL;
	}
	while ((rc = srv_db_step(st, e)) == 1) {
		struct json_object *o = json_object_new_object();
		const char *outcome = srv_db_col_text(st, 1);

		add_str(o, "dept", srv_db_col_text(st, 0));
		add_str(o, "outcome", outcome);
		add_str(o, "reason", srv_db_col_text(st, 2));
		add_str(o, "decided_by", srv_db_col_text(st, 3));
		add_str(o, "decided_at", srv_db_col_text(st, 4));
		srv_db_col_copy(st, 5, rule, 16);
		json_object_array_add(list, o);
		count[strcmp(outcome, "approve") == 0  ? 0
		      : strcmp(outcome, "refuse") == 0 ? 1
		                                       : 2]++;
	}
	srv_db_done(st);
	if (rc < 0) {
		json_object_put(list);
		return NULL;
	}
	return list;
}

/* The joint result by rule from the counts approved, refused, waiting:
 * "approve", "refuse", or "" while the rule cannot tell yet. */
static const char *joint_result(const char *rule, const int count[3])
{
	if (strcmp(rule, SRV_JOINT_PARTIAL) != 0) /* all must approve */
		return count[1] > 0 ? "refuse" : count[2] == 0 ? "approve" : "";
	if (count[2] > 0)
		return "";
	return count[0] > 0 ? "approve" : "refuse";
}

int srv_joint_part_decide(struct srv_store *s, const char *case_id, const char *dept,
                          const char *outcome, const char *reason, const char *by, const char *at,
                          const char *event_uuid, const char **result, struct json_object **summary,
                          struct err *e)
{
	struct srv_db *db = srv_store_db(s);
	struct json_object *parts;
	char rule[16] = SRV_JOINT_ALL;
	int count[3];

	*result = "";
	*summary = NULL;
	if (srv_db_run(db, e,
	               "UPDATE joint_parts SET outcome = ?3, reason = ?4, decided_by = ?5,"
	               " decided_at = ?6, event_uuid = ?7 WHERE case_id = ?1 AND dept = ?2",
	               "eeeeeee", case_id, dept, outcome, reason, by, at, event_uuid) < 0)
		return -1;
	parts = parts_json(db, case_id, count, rule, e);
	if (parts == NULL)
		return -1;
	*result = joint_result(rule, count);
	if (**result == '\0') {
		json_object_put(parts);
		return 0;
	}
	*summary = json_object_new_object();
	add_str(*summary, "rule", rule);
	json_object_object_add(
	    *summary, "partial",
	    json_object_new_boolean(strcmp(*result, "approve") == 0 && count[1] > 0));
	json_object_object_add(*summary, "parts", parts);
	return 0;
}

int srv_joint_depts(struct srv_store *s, const char *case_id, char *out, size_t n, struct err *e)
{
	char *v = NULL;
	int rc = srv_db_get_text(
	    srv_store_db(s), e, &v,
	    srv_db_pick(srv_store_db(s),
	                "SELECT group_concat(dept, '、') FROM (SELECT dept FROM joint_parts"
	                " WHERE case_id = ?1 ORDER BY n)",
	                "SELECT string_agg(dept, '、' ORDER BY n) FROM joint_parts"
	                " WHERE case_id = ?1"),
	    "e", case_id);

	str_copy(out, n, rc == 1 ? v : "");
	free(v);
	return rc < 0 ? -1 : 0;
}

/* The cases waiting at u's hall for u's department: those of its own hall
 * or routed to it, not decided yet, and either undecided joint parts of
 * the department or cases the department (or any, "") decides alone. */
#define INBOX_SQL                                                                                  \
	"SELECT c.id, c.case_no, coalesce(c.official_no, ''), c.item_code, c.item_name,"           \
	" c.applicant_name, c.state, c.hall, c.dept, coalesce(r.region_name, ''),"                 \
	" (SELECT count(*) FROM joint_parts k WHERE k.case_id = c.id)"                             \
	" FROM cases c LEFT JOIN case_routes r ON r.case_id = c.id"                                \
	" WHERE ((r.hall IS NULL AND c.hall = ?1) OR r.hall = ?1)"                                 \
	" AND c.state IN ('accepted', 'accepted_commitment', 'in_review')"                         \
	" AND (EXISTS (SELECT 1 FROM joint_parts j WHERE j.case_id = c.id AND j.dept = ?2"         \
	" AND j.outcome = '')"                                                                     \
	" OR (NOT EXISTS (SELECT 1 FROM joint_parts j WHERE j.case_id = c.id)"                     \
	" AND (c.dept = '' OR c.dept = ?2)))"                                                      \
	" ORDER BY c.received_at, c.rowid LIMIT ?3"

int srv_joint_inbox(struct srv_store *s, const struct srv_user *u, int limit,
                    struct json_object *list, struct err *e)
{
	struct srv_db_stmt *st =
	    srv_db_query(srv_store_db(s), e, INBOX_SQL, "eei", u->hall, u->dept, limit);
	static const char *const keys[] = {
	    "id",    "case_no", "official_no", "item_code",  "item_name", "applicant_name",
	    "state", "hall",    "dept",        "region_name"};
	int rc;
	size_t i;

	if (st == NULL)
		return -1;
	while ((rc = srv_db_step(st, e)) == 1) {
		struct json_object *o = json_object_new_object();

		for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
			add_str(o, keys[i], srv_db_col_text(st, (int)i));
		json_object_object_add(o, "joint",
		                       json_object_new_boolean(srv_db_col_int(st, 10) > 0));
		json_object_array_add(list, o);
	}
	srv_db_done(st);
	return rc < 0 ? -1 : 0;
}

/* ---- catalogues per region ------------------------------------------------ */

/* Keep region's catalogue.  0 or -1. */
static int region_put(struct srv_db *db, const char *region, const char *name, const char *hall,
                      const char *version, const char *body, const char *now, struct err *e)
{
	return srv_db_run(db, e,
	                  "INSERT INTO region_catalogues (region, region_name, hall, version, body,"
	                  " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(region) DO"
	                  " UPDATE SET region_name = ?2, hall = ?3, version = ?4, body = ?5,"
	                  " updated_at = ?6",
	                  "eeeeee", region, name, hall, version, body, now);
}

/* Append the items of the catalogue text body to items, each marked with
 * the region when region is not "".  -1 when body is not a catalogue. */
static int add_items(struct json_object *items, const char *body, const char *region,
                     const char *name, const char *hall, struct err *e)
{
	struct json_object *doc = json_tokener_parse(body), *list;
	size_t i, n;

	if (doc == NULL || !json_object_object_get_ex(doc, "items", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		json_object_put(doc);
		err_set(e, "the stored catalogue of region %s is not a catalogue",
		        *region ? region : "(home)");
		return -1;
	}
	n = json_object_array_length(list);
	for (i = 0; i < n; i++) {
		struct json_object *it = json_object_get(json_object_array_get_idx(list, i));

		if (*region != '\0' && json_object_is_type(it, json_type_object)) {
			add_str(it, "region", region);
			add_str(it, "region_name", name);
			add_str(it, "decide_hall", hall);
		}
		json_object_array_add(items, it);
	}
	json_object_put(doc);
	return 0;
}

/* The served catalogue from the ones held: its items and version.  1 made
 * (*body and *version new strings), 0 when only the home one is held
 * (served as it is), -1. */
static int merged(struct srv_db *db, char **body, char **version, struct err *e)
{
	struct json_object *doc = json_object_new_object(), *items = json_object_new_array();
	struct srv_db_stmt *st =
	    srv_db_query(db, e,
	                 "SELECT region, region_name, hall, version, body FROM region_catalogues"
	                 " ORDER BY region",
	                 "");
	size_t len = 0, cap = 256;
	char *v = xmalloc(cap);
	int rc, n = 0;

	*v = '\0';
	json_object_object_add(doc, "items", items);
	while (st != NULL && (rc = srv_db_step(st, e)) == 1) {
		const char *region = srv_db_col_text(st, 0), *ver = srv_db_col_text(st, 3);
		size_t need = len + strlen(region) + strlen(ver) + 3;

		if (need >= cap)
			v = xrealloc(v, cap = need * 2);
		len += (size_t)sprintf(v + len, "%s%s%s%s", len ? "+" : "", region,
		                       *region ? ":" : "", ver);
		if (add_items(items, srv_db_col_text(st, 4), region, srv_db_col_text(st, 1),
		              srv_db_col_text(st, 2), e) < 0)
			rc = -1;
		n += *region != '\0';
		if (rc < 0)
			break;
	}
	srv_db_done(st);
	if (st == NULL || rc < 0 || n == 0) {
		json_object_put(doc);
		free(v);
		return st == NULL || rc < 0 ? -1 : 0;
	}
	json_object_object_add(doc, "version", json_object_new_string(v));
	*body = xstrdup(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
	                                                        JSON_C_TO_STRING_NOSLASHESCAPE));
	*version = v;
	json_object_put(doc);
	return 1;
}

/* Serve the merge of the catalogues held, checked as one catalogue, with
 * its change row.  0 (also when only the home one is held), -1. */
static int rebuild(struct srv_store *s, const char *now, char **version, struct err *e)
{
	struct srv_db *db = srv_store_db(s);
	struct catalogue *c;
	char *body = NULL, *v = NULL;
	int rc = merged(db, &body, &v, e);

	if (rc <= 0)
		return rc;
	c = catalogue_parse(body, strlen(body), "the catalogues of every region", e);
	catalogue_free(c);
	rc = c == NULL ? -1 : srv_store_document_put(s, "catalogue", v, body, now, e);
	if (rc == 0)
		rc = srv_store_change_add(s, NULL, "catalogue", NULL, NULL, v, now, NULL, e);
	free(body);
	if (rc == 0 && version != NULL)
		*version = v;
	else
		free(v);
	return rc;
}

int srv_joint_catalogue_home(struct srv_store *s, const char *version, const char *body,
                             const char *now, struct err *e)
{
	if (region_put(srv_store_db(s), "", "", "", version, body, now, e) < 0)
		return -1;
	return rebuild(s, now, NULL, e);
}

/* What an import of a region's catalogue stores, and finds. */
struct region_import {
	const char *region, *name, *hall, *version, *body, *now;
	char *served; /* the new served version */
	bool unchanged;
};

static int import_tx(struct srv_store *s, void *arg, struct err *e)
{
	struct region_import *r = arg;
	struct srv_db *db = srv_store_db(s);
	char *home_v = NULL, *home_body = NULL, *old = NULL, detail[200];
	long long held = 0;
	int rc;

	free(r->served);
	r->served = NULL;
	/* the home catalogue as imported, the first time another region's comes */
	if (srv_db_get_int(db, e, &held, "SELECT count(*) FROM region_catalogues WHERE region = ''",
	                   "") < 0 ||
	    (rc = srv_store_document_get(s, "catalogue", &home_v, &home_body, e)) < 0)
		return -1;
	if (held == 0 && rc == 1)
		rc = region_put(db, "", "", "", home_v, home_body, r->now, e);
	free(home_v);
	free(home_body);
	if (rc < 0)
		return -1;
	if (srv_db_get_text(db, e, &old,
	                    "SELECT version FROM region_catalogues WHERE region = ?1 AND hall = ?2"
	                    " AND region_name = ?3",
	                    "eee", r->region, r->hall, r->name) < 0)
		return -1;
	r->unchanged = old != NULL && strcmp(old, r->version) == 0;
	free(old);
	if (r->unchanged) {
		char *body = NULL;

		rc = srv_store_document_get(s, "catalogue", &r->served, &body, e);
		free(body);
		return rc < 0 ? -1 : 0;
	}
	snprintf(detail, sizeof detail, "catalogue of region %.6s version %.128s", r->region,
	         r->version);
	if (region_put(db, r->region, r->name, r->hall, r->version, r->body, r->now, e) < 0 ||
	    rebuild(s, r->now, &r->served, e) < 0)
		return -1;
	return srv_audit_add(s, SRV_AUDIT_OPERATOR, "", "", SRV_AUDIT_IMPORT, detail, e);
}

static bool is_region_code(const char *s)
{
	size_t i;

	for (i = 0; i < 6; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return s[6] == '\0';
}

int srv_joint_import_region(const char *path, const char *region, const char *region_name,
                            const char *hall, const char *file, char **version, bool *unchanged,
                            struct err *e)
{
	struct region_import r = {region, region_name, hall, NULL, NULL, NULL, NULL, false};
	struct srv_store *s = NULL;
	struct catalogue *c;
	char now[SRV_TIME_ISO_SIZE], *text = NULL;
	size_t len;
	int rc = -1;

	*version = NULL;
	if (!is_region_code(region)) {
		err_set(e, "--region must be a region code of 6 digits (行政区划代码), not %s",
		        region);
		return -1;
	}
	if (region_name == NULL || *region_name == '\0' || hall == NULL || *hall == '\0') {
		err_set(e, "a region's catalogue needs --region-name and --hall (the hall that "
		           "decides its items)");
		return -1;
	}
	c = catalogue_load(file, NULL, e);
	if (c == NULL)
		return -1;
	r.version = c->version ? c->version : "";
	text = file_read_all(file, &len, CATALOGUE_MAX_FILE, e);
	r.body = text;
	time_iso_shanghai(time(NULL), now);
	r.now = now;
	if (*r.version == '\0')
		err_set(e, "%s: the catalogue has no version", file);
	else if (text != NULL && srv_store_open(&s, path, e) == 0) {
		rc = srv_store_tx(s, import_tx, &r, e);
		srv_store_close(s);
	}
	catalogue_free(c);
	free(text);
	*unchanged = r.unchanged;
	if (rc == 0)
		*version = r.served;
	else
		free(r.served);
	return rc;
}
