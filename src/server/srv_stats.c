/*
 * srv_stats.c - a hall's statistics from the server's store (see srv_stats.h).
 */
#include "server/srv_stats.h"

#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"

/* What each case is added with. */
struct adder {
	struct stats *st;
	struct tb_date today;
	const struct calendar *cal;
};

/* The date s, or y == 0 when it is "" (or not a date). */
static struct tb_date date_or_none(const char *s)
{
	struct tb_date d = {0, 0, 0};

	if (tb_date_parse(s, &d) != 0)
		d.y = 0;
	return d;
}

static enum stats_outcome outcome_of(const char *name)
{
	int i;

	for (i = 0; i < STATS_N_OUTCOMES; i++)
		if (strcmp(stats_outcome_name((enum stats_outcome)i), name) == 0)
			return (enum stats_outcome)i;
	return STATS_UNDECIDED;
}

static int add_case(const struct srv_case_stats *c, void *arg)
{
	struct adder *a = arg;
	struct stats_case k = {
	    .item_code = c->item_code,
	    .item_name = c->item_name,
	    .dept = c->dept,
	    .received = date_or_none(c->applied_on),
	    .outcome = outcome_of(c->outcome),
	    .due = date_or_none(c->due_on),
	    .done = date_or_none(c->done_on),
	    .released = date_or_none(c->released_on),
	    .verified = c->verified,
	    .breached = c->revoked,
	    .withdrawn = c->withdrawn,
	    .rating = c->rating,
	    .follow_up_open = strcmp(c->follow_up, "open") == 0,
	    .follow_up_closed = strcmp(c->follow_up, "closed") == 0,
	    .green = c->green,
	};

	stats_add(a->st, &k, a->today, a->cal);
	return 0;
}

/* The imported calendar into *cal, NULL when there is none.  0 or -1. */
static int imported_calendar(struct srv_store *s, struct calendar **cal, struct err *e)
{
	char *version = NULL, *body = NULL;
	int rc = srv_store_document_get(s, "calendar", &version, &body, e);

	*cal = NULL;
	if (rc == 1 && (*cal = cal_parse(body, strlen(body), "calendar", e)) == NULL)
		rc = -1;
	free(version);
	free(body);
	return rc < 0 ? -1 : 0;
}

int srv_stats_hall(struct srv_store *s, const char *hall, struct tb_date from, struct tb_date to,
                   struct tb_date today, struct stats *out, struct err *e)
{
	char from_s[TB_DATE_LEN], to_s[TB_DATE_LEN];
	struct calendar *cal;
	struct adder a = {out, today, NULL};
	int rc;

	stats_init(out, from, to);
	if (imported_calendar(s, &cal, e) < 0)
		return -1;
	a.cal = cal;
	rc = srv_store_case_stats(s, hall, tb_date_format(from, from_s), tb_date_format(to, to_s),
	                          add_case, &a, e);
	cal_free(cal);
	return rc;
}

struct json_object *srv_stats_json(const char *hall, const struct stats *st)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "hall", json_object_new_string(hall));
	json_object_object_add(o, "stats", stats_to_json(st));
	return o;
}
