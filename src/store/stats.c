/* stats.c (store) - the period's statistics from the cases table (stats.h). */
#include "store/stats.h"

#include <string.h>

#include "store/case.h"

static enum stats_outcome outcome_of(const char *outcome)
{
	static const struct {
		const char *name;
		enum stats_outcome o;
	} outcomes[] = {{"accepted", STATS_ACCEPTED},
	                {"notice", STATS_NOTICE},
	                {"committed", STATS_COMMITTED},
	                {"refused", STATS_REFUSED}};
	size_t i;

	for (i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++)
		if (strcmp(outcome, outcomes[i].name) == 0)
			return outcomes[i].o;
	return STATS_UNDECIDED;
}

/* A stored YYYY-MM-DD, or the zero date when "" (or not a date). */
static struct tb_date date_or_none(const char *s)
{
	struct tb_date d = {0, 0, 0};

	tb_date_parse(s, &d);
	return d;
}

void store_stats_case(const struct case_row *r, const struct catalogue *cat, struct stats_case *out)
{
	const struct item *it = cat ? catalogue_find(cat, r->item_code) : NULL;

	memset(out, 0, sizeof *out);
	out->item_code = r->item_code;
	out->item_name = r->item_name;
	out->dept = it && it->dept ? it->dept : "";
	out->received = date_or_none(r->received_on);
	out->outcome = outcome_of(r->outcome);
	out->due = date_or_none(r->due_date);
	out->done = date_or_none(r->done_on);
	out->released = date_or_none(r->released_on);
	out->verified = r->verified;
	out->breached = r->credit_record;
	out->withdrawn = strcmp(r->state, "withdrawn") == 0;
	out->rating = r->rating;
	out->follow_up_open = r->follow_up_open;
	/* a bad rating opened a follow-up (it has a due date) that is now closed */
	out->follow_up_closed =
	    r->rating >= 1 && r->rating <= 2 && !r->follow_up_open && r->follow_up_due[0] != '\0';
	out->green = r->green_cert[0] != '\0';
}

struct stats_arg {
	const struct catalogue *cat;
	struct stats *s;
	struct tb_date today;
	const struct calendar *cal;
};

static int add_row(void *arg, const struct case_row *r)
{
	struct stats_arg *a = arg;
	struct stats_case c;

	store_stats_case(r, a->cat, &c);
	stats_add(a->s, &c, a->today, a->cal);
	return 0;
}

int store_stats(struct store *st, const struct catalogue *cat, struct stats *s,
                struct tb_date today, const struct calendar *cal, struct err *e)
{
	struct stats_arg a = {cat, s, today, cal};
	char from[TB_DATE_LEN], to[TB_DATE_LEN];

	return store_case_range(st, tb_date_format(s->from, from), tb_date_format(s->to, to),
	                        add_row, &a, e);
}
