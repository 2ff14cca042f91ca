/*
 * srv_casework.c - the table of event types: who pushes them, what their
 * payloads hold, what tongband keeps of them (see srv_casework.h).
 */
#include "server/srv_casework.h"

#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/stats.h"
#include "server/srv_json.h"
#include "server/srv_role.h"
#include "server/srv_time.h"

/* What checks and keeps look at: the event, and its hall date. */
struct ctx {
	const struct srv_casework_event *ev;
	struct json_object *p;
	char day[TB_DATE_LEN]; /* the hall's date of the event's client time */
};

typedef int (*check_fn)(const struct ctx *c, char *why, size_t n);
typedef int (*keep_fn)(struct srv_store *s, const struct ctx *c, char *why, size_t n,
                       struct err *e);

static int check_created(const struct ctx *c, char *why, size_t n);
static int check_promised(const struct ctx *c, char *why, size_t n);
static int check_verified(const struct ctx *c, char *why, size_t n);
static int check_released(const struct ctx *c, char *why, size_t n);
static int check_rated(const struct ctx *c, char *why, size_t n);
static int check_text(const struct ctx *c, char *why, size_t n);
static int check_revoked(const struct ctx *c, char *why, size_t n);
static int check_withdrawn(const struct ctx *c, char *why, size_t n);
static int keep_counter(struct srv_store *s, const struct ctx *c, char *why, size_t n,
                        struct err *e);
static int keep_decided(struct srv_store *s, const struct ctx *c, char *why, size_t n,
                        struct err *e);
static int keep_verified(struct srv_store *s, const struct ctx *c, char *why, size_t n,
                         struct err *e);
static int keep_released(struct srv_store *s, const struct ctx *c, char *why, size_t n,
                         struct err *e);
static int keep_rated(struct srv_store *s, const struct ctx *c, char *why, size_t n, struct err *e);
static int keep_revoked(struct srv_store *s, const struct ctx *c, char *why, size_t n,
                        struct err *e);
static int keep_withdrawn(struct srv_store *s, const struct ctx *c, char *why, size_t n,
                          struct err *e);
static int keep_followed_up(struct srv_store *s, const struct ctx *c, char *why, size_t n,
                            struct err *e);

#define CLERK      SRV_ROLE_CLERK
#define BACKOFFICE SRV_ROLE_BACKOFFICE

/* The one table: for each event type, the roles that may push it (none
 * for decided, with the reason), its payload's check and what is kept. */
static const struct entry {
	unsigned roles;
	const char *refusal; /* why nobody pushes it, or NULL */
	check_fn check;      /* NULL: any object */
	keep_fn keep;        /* NULL: the log and the state are all */
} entries[CEV_N_TYPES] = {
    [CEV_CREATED] = {CLERK, NULL, check_created, NULL},
    [CEV_MATERIALS_CHECKED] = {CLERK, NULL, NULL, NULL},
    [CEV_NOTICE_ISSUED] = {CLERK, NULL, NULL, keep_counter},
    [CEV_SUPPLEMENTED] = {CLERK, NULL, NULL, NULL},
    [CEV_ACCEPTED] = {CLERK, NULL, check_promised, keep_counter},
    [CEV_COMMITTED] = {CLERK, NULL, check_promised, keep_counter},
    [CEV_REFUSED] = {CLERK, NULL, NULL, keep_counter},
    [CEV_REVIEW_STARTED] = {CLERK | BACKOFFICE, NULL, NULL, NULL},
    [CEV_DECIDED] = {0,
                     "decisions are made by the back office (POST /v1/cases/ID/decision), not "
                     "pushed",
                     NULL, keep_decided},
    [CEV_VERIFIED] = {CLERK, NULL, check_verified, keep_verified},
    [CEV_RELEASED] = {CLERK, NULL, check_released, keep_released},
    [CEV_RATED] = {CLERK, NULL, check_rated, keep_rated},
    [CEV_NOTE] = {CLERK | BACKOFFICE, NULL, check_text, NULL},
    [CEV_REVOKED] = {CLERK, NULL, check_revoked, keep_revoked},
    [CEV_WITHDRAWN] = {CLERK, NULL, check_withdrawn, keep_withdrawn},
    [CEV_FOLLOWED_UP] = {CLERK, NULL, check_text, keep_followed_up},
    [CEV_DEPT_DECIDED] = {0,
                          "department decisions are made by the back office (POST "
                          "/v1/cases/ID/decision), not pushed",
                          NULL, NULL},
};

bool srv_casework_may_push(const char *role, enum case_event_type type, char *why, size_t n)
{
	const struct entry *en;
	char names[64];

	if ((unsigned)type >= CEV_N_TYPES) {
		snprintf(why, n, "unknown type");
		return false;
	}
	en = &entries[type];
	if (srv_role_bit(role) & en->roles)
		return true;
	if (en->refusal != NULL)
		snprintf(why, n, "%s", en->refusal);
	else
		snprintf(why, n, "role %s may not push %s events (pushed by: %s)", role,
		         case_event_name(type), srv_role_names(en->roles, names, sizeof names));
	return false;
}

/* ---- payloads --------------------------------------------------------------- */

static int fail(char *why, size_t n, const char *reason)
{
	snprintf(why, n, "%s", reason);
	return -1;
}

/* Member key of o as a string, "" when absent; NULL when of another type. */
static const char *text_or_empty(struct json_object *o, const char *key)
{
	return json_object_object_get_ex(o, key, NULL) ? srv_json_get_string(o, key) : "";
}

/* 0 when each of the NULL-terminated keys is absent or a string, else -1
 * with why naming the first that is not. */
static int strings_or_absent(struct json_object *p, const char *const *keys, char *why, size_t n)
{
	for (; *keys != NULL; keys++)
		if (text_or_empty(p, *keys) == NULL) {
			snprintf(why, n, "payload.%s must be a string", *keys);
			return -1;
		}
	return 0;
}

/* Whether member key of o is absent or a boolean. */
static bool bool_or_absent(struct json_object *o, const char *key)
{
	struct json_object *v;

	return !json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_boolean);
}

/* Member key of o as a date into *d; d->y == 0 when absent or "".  0, or
 * -1 when it is something else. */
static int date_or_empty(struct json_object *o, const char *key, struct tb_date *d)
{
	const char *s = text_or_empty(o, key);

	d->y = 0;
	if (s == NULL)
		return -1;
	return *s == '\0' ? 0 : tb_date_parse(s, d);
}

/* The hall date of the event. */
static struct tb_date day_of(const struct ctx *c)
{
	struct tb_date d = {0, 0, 0};

	tb_date_parse(c->day, &d);
	return d;
}

static int check_created(const struct ctx *c, char *why, size_t n)
{
	struct json_object *a;
	const char *const keys[] = {"case_no", "item_code", "item_name", NULL};
	size_t i;

	for (i = 0; keys[i] != NULL; i++)
		if (srv_json_get_nonempty(c->p, keys[i]) == NULL) {
			snprintf(why, n, "missing payload.%s", keys[i]);
			return -1;
		}
	if (!json_object_object_get_ex(c->p, "applicant", &a) ||
	    !json_object_is_type(a, json_type_object))
		return fail(why, n, "missing payload.applicant");
	if (srv_json_get_nonempty(a, "name") == NULL)
		return fail(why, n, "missing payload.applicant.name");
	json_object_object_foreach(a, key, val)
	{
		(void)key;
		if (!json_object_is_type(val, json_type_string))
			return fail(why, n, "payload.applicant fields must be strings");
	}
	return 0;
}

static int check_promised(const struct ctx *c, char *why, size_t n)
{
	struct tb_date d;

	if (date_or_empty(c->p, "promised_date", &d) != 0)
		return fail(why, n, "payload.promised_date must be a date (YYYY-MM-DD)");
	return 0;
}

/* Commitments, when present: [{"name": "...", "result": confirmed|breached}]. */
static int check_commitments(const struct ctx *c, char *why, size_t n)
{
	struct json_object *list;
	size_t i;

	if (!json_object_object_get_ex(c->p, "commitments", &list))
		return 0;
	for (i = 0;
	     json_object_is_type(list, json_type_array) && i < json_object_array_length(list);
	     i++) {
		struct json_object *o = json_object_array_get_idx(list, i);
		const char *result = srv_json_get_string(o, "result");

		if (srv_json_get_nonempty(o, "name") == NULL || result == NULL ||
		    (strcmp(result, CASE_OUTCOME_CONFIRMED) != 0 &&
		     strcmp(result, CASE_OUTCOME_BREACHED) != 0))
			break;
	}
	if (json_object_is_type(list, json_type_array) && i == json_object_array_length(list))
		return 0;
	return fail(why, n,
	            "payload.commitments must be a list of {\"name\", \"result\"} with result "
	            "confirmed or breached");
}

static int check_verified(const struct ctx *c, char *why, size_t n)
{
	const char *const keys[] = {"reason", NULL};

	if (strings_or_absent(c->p, keys, why, n) != 0)
		return -1;
	return check_commitments(c, why, n);
}

static int check_released(const struct ctx *c, char *why, size_t n)
{
	const char *const keys[] = {
	    "collector_name", "collector_id_number", "courier",       "tracking_no",
	    "address",        "approved_parts",      "refused_parts", NULL};
	const char *m = srv_json_get_string(c->p, "method");

	if (m == NULL ||
	    (strcmp(m, "pickup") != 0 && strcmp(m, "mail") != 0 && strcmp(m, "electronic") != 0))
		return fail(why, n, "payload.method must be pickup, mail or electronic");
	if (strings_or_absent(c->p, keys, why, n) != 0)
		return -1;
	if (!bool_or_absent(c->p, "collector_is_agent"))
		return fail(why, n, "payload.collector_is_agent must be true or false");
	if (strcmp(m, "pickup") == 0 && srv_json_get_nonempty(c->p, "collector_name") == NULL)
		return fail(why, n, "a pickup needs payload.collector_name");
	if (strcmp(m, "mail") == 0 && (srv_json_get_nonempty(c->p, "tracking_no") == NULL ||
	                               srv_json_get_nonempty(c->p, "address") == NULL))
		return fail(why, n,
		            "a mailed release needs payload.tracking_no and payload.address");
	return 0;
}

/* The rating level of a rated payload, or -1 when it is not 0..5. */
static int level_of(struct json_object *p)
{
	struct json_object *v;
	long long level;

	if (!json_object_object_get_ex(p, "level", &v) || !json_object_is_type(v, json_type_int))
		return -1;
	level = json_object_get_int64(v);
	return level >= 0 && level < STATS_LEVELS ? (int)level : -1;
}

/* Whether a rating of level opens a follow-up (不满意, 非常不满意). */
static bool is_bad(int level)
{
	return level == 1 || level == 2;
}

static int check_rated(const struct ctx *c, char *why, size_t n)
{
	const char *const keys[] = {"comment", NULL};
	int level = level_of(c->p);
	struct tb_date due;

	if (level < 0)
		return fail(why, n, "payload.level must be an integer from 0 to 5");
	if (strings_or_absent(c->p, keys, why, n) != 0)
		return -1;
	if (date_or_empty(c->p, "follow_up_due", &due) != 0)
		return fail(why, n, "payload.follow_up_due must be a date (YYYY-MM-DD) or \"\"");
	if (due.y != 0 && tb_date_cmp(due, day_of(c)) < 0)
		return fail(why, n, "payload.follow_up_due must not be before the rating");
	if (!is_bad(level) && due.y != 0)
		return fail(why, n, "payload.follow_up_due is only for a rating of 1 or 2");
	return 0;
}

static int check_text(const struct ctx *c, char *why, size_t n)
{
	return srv_json_get_nonempty(c->p, "text") ? 0 : fail(why, n, "missing payload.text");
}

static int check_revoked(const struct ctx *c, char *why, size_t n)
{
	const char *outcome = text_or_empty(c->p, "outcome");

	if (srv_json_get_nonempty(c->p, "reason") == NULL)
		return fail(why, n, "missing payload.reason");
	if (outcome == NULL || (*outcome != '\0' && strcmp(outcome, CASE_OUTCOME_BREACHED) != 0))
		return fail(why, n, "payload.outcome of a revocation must be breached");
	if (!bool_or_absent(c->p, "credit_record"))
		return fail(why, n, "payload.credit_record must be true or false");
	return check_commitments(c, why, n);
}

static int check_withdrawn(const struct ctx *c, char *why, size_t n)
{
	const char *const keys[] = {"reason", NULL};
	struct tb_date by;

	if (date_or_empty(c->p, "supply_by", &by) != 0 || by.y == 0 ||
	    tb_date_cmp(by, day_of(c)) >= 0)
		return fail(why, n,
		            "payload.supply_by must be a date (YYYY-MM-DD) before the day of the "
		            "withdrawal (逾期未补正)");
	return strings_or_absent(c->p, keys, why, n);
}

/* ---- what is kept ------------------------------------------------------------- */

/* The first counter decision an event type is, for the statistics. */
static enum stats_outcome counter_outcome(enum case_event_type type)
{
	switch (type) {
	case CEV_ACCEPTED:
		return STATS_ACCEPTED;
	case CEV_NOTICE_ISSUED:
		return STATS_NOTICE;
	case CEV_COMMITTED:
		return STATS_COMMITTED;
	default:
		return STATS_REFUSED;
	}
}

static int keep_counter(struct srv_store *s, const struct ctx *c, char *why, size_t n,
                        struct err *e)
{
	enum case_event_type type = c->ev->type;

	(void)why;
	(void)n;
	return srv_store_case_progress(s, c->ev->row->case_id,
	                               stats_outcome_name(counter_outcome(type)),
	                               srv_json_get_nonempty(c->p, "promised_date"),
	                               type == CEV_REFUSED ? c->day : NULL, false, e);
}

/* The case's time limit ends on the event's day, unless it ended before:
 * a decision, a revocation, a withdrawal (a refusal: keep_counter). */
static int end_limit(struct srv_store *s, const struct ctx *c, struct err *e)
{
	return srv_store_case_progress(s, c->ev->row->case_id, NULL, NULL, c->day, false, e);
}

static int keep_decided(struct srv_store *s, const struct ctx *c, char *why, size_t n,
                        struct err *e)
{
	(void)why;
	(void)n;
	return end_limit(s, c, e);
}

static int keep_revoked(struct srv_store *s, const struct ctx *c, char *why, size_t n,
                        struct err *e)
{
	struct json_object *credit;
	const char *reason = srv_json_get_string(c->p, "reason");
	struct srv_revocation r = {
	    .case_id = c->ev->row->case_id,
	    .hall = c->ev->row->hall,
	    .reason = reason ? reason : "",
	    .on = c->day,
	    .at = c->ev->row->client_time,
	    .clerk = c->ev->row->user_id,
	    .event_uuid = c->ev->row->uuid,
	    .credit_record = !json_object_object_get_ex(c->p, "credit_record", &credit) ||
	                     json_object_get_boolean(credit),
	};

	(void)why;
	(void)n;
	if (end_limit(s, c, e) < 0)
		return -1;
	return srv_store_revocation_put(s, &r, e);
}

/* Confirmed: the case is verified; breached: a revocation (casestate moves it to revoked). */
static int keep_verified(struct srv_store *s, const struct ctx *c, char *why, size_t n,
                         struct err *e)
{
	const char *outcome = srv_json_get_string(c->p, "outcome");

	if (outcome != NULL && strcmp(outcome, CASE_OUTCOME_BREACHED) == 0)
		return keep_revoked(s, c, why, n, e);
	return srv_store_case_progress(s, c->ev->row->case_id, NULL, NULL, NULL, true, e);
}

static int keep_released(struct srv_store *s, const struct ctx *c, char *why, size_t n,
                         struct err *e)
{
	struct json_object *agent;
	struct srv_release r = {
	    .case_id = c->ev->row->case_id,
	    .hall = c->ev->row->hall,
	    .method = srv_json_get_string(c->p, "method"),
	    .collector_name = srv_json_get_string(c->p, "collector_name"),
	    .collector_id_number = srv_json_get_string(c->p, "collector_id_number"),
	    .collector_is_agent = json_object_object_get_ex(c->p, "collector_is_agent", &agent) &&
	                          json_object_get_boolean(agent),
	    .courier = srv_json_get_string(c->p, "courier"),
	    .tracking_no = srv_json_get_string(c->p, "tracking_no"),
	    .address = srv_json_get_string(c->p, "address"),
	    .on = c->day,
	    .at = c->ev->row->client_time,
	    .clerk = c->ev->row->user_id,
	    .window = c->ev->row->window,
	    .event_uuid = c->ev->row->uuid,
	};

	(void)why;
	(void)n;
	return srv_store_release_put(s, &r, e);
}

static int keep_rated(struct srv_store *s, const struct ctx *c, char *why, size_t n, struct err *e)
{
	const char *due = srv_json_get_string(c->p, "follow_up_due");
	struct srv_rating r = {
	    .case_id = c->ev->row->case_id,
	    .hall = c->ev->row->hall,
	    .level = level_of(c->p),
	    .comment = srv_json_get_string(c->p, "comment"),
	    .on = c->day,
	    .at = c->ev->row->client_time,
	    .clerk = c->ev->row->user_id,
	    .event_uuid = c->ev->row->uuid,
	    .follow_up_due = !is_bad(level_of(c->p)) ? NULL
	                     : due                   ? due
	                                             : "",
	};
	int rc = srv_store_rating_put(s, &r, e);

	if (rc == 1) {
		snprintf(why, n, "the case has been rated already (一次一评: one rating per case)");
		return SRV_CASEWORK_REFUSED;
	}
	return rc;
}

static int keep_followed_up(struct srv_store *s, const struct ctx *c, char *why, size_t n,
                            struct err *e)
{
	int rc =
	    srv_store_follow_up_close(s, c->ev->row->case_id, srv_json_get_nonempty(c->p, "text"),
	                              c->day, c->ev->row->user_id, c->ev->row->uuid, e);

	if (rc == 1) {
		snprintf(why, n, "the case has no open follow-up (整改) to close");
		return SRV_CASEWORK_REFUSED;
	}
	return rc;
}

static int keep_withdrawn(struct srv_store *s, const struct ctx *c, char *why, size_t n,
                          struct err *e)
{
	struct srv_withdrawal w = {
	    .case_id = c->ev->row->case_id,
	    .hall = c->ev->row->hall,
	    .supply_by = srv_json_get_string(c->p, "supply_by"),
	    .reason = srv_json_get_string(c->p, "reason"),
	    .on = c->day,
	    .at = c->ev->row->client_time,
	    .clerk = c->ev->row->user_id,
	    .event_uuid = c->ev->row->uuid,
	};

	(void)why;
	(void)n;
	if (end_limit(s, c, e) < 0)
		return -1;
	return srv_store_withdrawal_put(s, &w, e);
}

static void ctx_init(struct ctx *c, const struct srv_casework_event *ev)
{
	c->ev = ev;
	c->p = ev->payload;
	srv_time_hall_date(ev->row->client_time, c->day);
}

int srv_casework_check(const struct srv_casework_event *ev, char *why, size_t n)
{
	struct ctx c;

	if ((unsigned)ev->type >= CEV_N_TYPES || entries[ev->type].check == NULL)
		return 0;
	ctx_init(&c, ev);
	return entries[ev->type].check(&c, why, n);
}

int srv_casework_keep(struct srv_store *s, const struct srv_casework_event *ev, char *why, size_t n,
                      struct err *e)
{
	struct ctx c;

	if ((unsigned)ev->type >= CEV_N_TYPES || entries[ev->type].keep == NULL)
		return 0;
	ctx_init(&c, ev);
	return entries[ev->type].keep(s, &c, why, n, e);
}
