/* stats.c (store) - the local cases into core's statistics. */
#include "store/stats.h"

#include <string.h>

#include "store/store_int.h"

struct fill {
	const struct catalogue *cat;
	struct stats *s;
	struct tb_date today;
	const struct calendar *cal;
};

static enum stats_outcome outcome_of(const char *o)
{
	return strcmp(o, "accepted") == 0    ? STATS_ACCEPTED
	       : strcmp(o, "notice") == 0    ? STATS_NOTICE
	       : strcmp(o, "committed") == 0 ? STATS_COMMITTED
	       : strcmp(o, "refused") == 0   ? STATS_REFUSED
	                                     : STATS_UNDECIDED;
}

static struct tb_date date_or_none(const char *s)
{
	struct tb_date d = {0, 0, 0};

	if (tb_date_parse(s, &d) < 0)
		memset(&d, 0, sizeof d);
	return d;
}

static int add(void *arg, const struct case_row *r)
{
	struct fill *f = arg;
	const struct item *it = f->cat ? catalogue_find(f->cat, r->item_code) : NULL;
	struct stats_case c;

	memset(&c, 0, sizeof c);
	c.item_code = r->item_code;
	c.item_name = r->item_name;
	c.dept = it ? it->dept : "";
	c.received = date_or_none(r->received_on);
	c.outcome = outcome_of(r->outcome);
	c.due = date_or_none(r->due_date);
	c.done = date_or_none(r->done_on);
	c.released = date_or_none(r->released_on);
	c.verified = r->verified;
	c.breached = r->credit_record;
	c.withdrawn = strcmp(r->state, "withdrawn") == 0;
	c.rating = r->rating;
	c.follow_up_open = r->follow_up_open;
	c.follow_up_closed =
	    r->rating >= 1 && r->rating <= 2 && !r->follow_up_open && r->follow_up_due[0] != '\0';
	stats_add(f->s, &c, f->today, f->cal);
	return 0;
}

int store_stats(struct store *st, const struct catalogue *cat, struct stats *s,
                struct tb_date today, const struct calendar *cal, struct err *e)
{
	struct fill f = {cat, s, today, cal};
	char from[TB_DATE_LEN], to[TB_DATE_LEN];

	tb_date_format(s->from, from);
	tb_date_format(s->to, to);
	return store_case_range(st, from, to, add, &f, e) < 0 ? -1 : 0;
}
