/*
 * srv_joint.h - cases that more than one back office decides, or another
 * hall's: 并联审批 (several departments decide one case in parallel, the
 * joint result follows the item's rule) and 跨域通办 (a window takes in an
 * item of another region's catalogue; that region's hall decides it and
 * the decision comes back to the taking hall through its changes feed).
 *
 * Its SQL runs on the store's connection (srv_store_int.h), inside the
 * store's transactions, like srv_audit.c's.  Tables (schema version 7):
 * joint_parts (one row per department of a joint case), case_routes (the
 * hall that decides a case taken elsewhere) and region_catalogues (each
 * region's catalogue as imported; "" the home region's).
 */
#ifndef TB_SERVER_SRV_JOINT_H
#define TB_SERVER_SRV_JOINT_H

#include <stdbool.h>

#include <json-c/json.h>

#include "core/catalogue.h"
#include "core/util.h"
#include "server/srv_store.h"

/* Joint rules (catalogue.h, struct item.joint_rule). */
#define SRV_JOINT_ALL     "all"
#define SRV_JOINT_PARTIAL "partial"

/* Route the new case case_id of item it: a row in joint_parts for each of
 * its departments when it is joint, a row in case_routes when another
 * region's hall decides it.  Inside the created event's transaction.  0
 * or -1. */
int srv_joint_route(struct srv_store *s, const char *case_id, const struct item *it, struct err *e);

/* The hall that decides case_id when it was taken elsewhere, into hall
 * (size 65).  1 routed, 0 decided where it was taken, -1. */
int srv_joint_routed_hall(struct srv_store *s, const char *case_id, char hall[65], struct err *e);

/* The joint part of dept in case_id.  Strings in the struct are copies. */
struct srv_joint_part {
	char rule[16];
	char outcome[16]; /* "" while undecided */
};

/* The part of dept in case_id into *p: 1 found, 0 dept has none (then
 * *n_parts says whether the case is joint at all: how many parts it has),
 * -1. */
int srv_joint_part_get(struct srv_store *s, const char *case_id, const char *dept,
                       struct srv_joint_part *p, long long *n_parts, struct err *e);

/* Record dept's decision on its part (event_uuid the dept_decided event's)
 * and work out the joint result: *result set to "approve" or "refuse" once
 * the rule decides the case (else ""), *summary to a new JSON object
 * {"rule", "partial", "parts": [{dept, outcome, reason, decided_by,
 * decided_at}]} (caller puts; NULL while undecided).  0 or -1. */
int srv_joint_part_decide(struct srv_store *s, const char *case_id, const char *dept,
                          const char *outcome, const char *reason, const char *by, const char *at,
                          const char *event_uuid, const char **result, struct json_object **summary,
                          struct err *e);

/* The departments of case_id, "、"-joined, into out (size n); "" when the
 * case is not joint.  0 or -1. */
int srv_joint_depts(struct srv_store *s, const char *case_id, char *out, size_t n, struct err *e);

/* The back-office inbox of u: the cases waiting for a decision of u's
 * department at u's hall (its own hall's cases, and those routed to it
 * from other regions' windows), oldest first, at most limit, each added to
 * the JSON array list as {"id", "case_no", "official_no", "item_code",
 * "item_name", "applicant_name", "state", "hall", "dept", "region_name",
 * "joint"}.  0 or -1. */
int srv_joint_inbox(struct srv_store *s, const struct srv_user *u, int limit,
                    struct json_object *list, struct err *e);

/* The import of the home catalogue (version, body) at now: kept as the
 * home region's, and the catalogue tongband serves rebuilt when other
 * regions' are held.  Inside the import's transaction, after the document
 * was stored.  0 or -1. */
int srv_joint_catalogue_home(struct srv_store *s, const char *version, const char *body,
                             const char *now, struct err *e);

/*
 * Import file as the catalogue of region (行政区划代码, 6 digits), named
 * region_name, decided by the back office of hall on this tongband, into
 * the database at path: the catalogue served (GET /v1/catalogue) becomes
 * the home one with this region's items added, each marked with region,
 * region_name and decide_hall (a "catalogue" change tells the clients).
 * *version is the served catalogue's new version (caller frees),
 * *unchanged whether that region's version was already held.  0, or -1
 * with e filled (an item code used twice across the regions too).
 */
int srv_joint_import_region(const char *path, const char *region, const char *region_name,
                            const char *hall, const char *file, char **version, bool *unchanged,
                            struct err *e);

#endif
