/* stats.c - the statistics of a period (see stats.h). */
#include "core/stats.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/util.h"

static const char *const outcome_names[STATS_N_OUTCOMES] = {"undecided", "accepted", "notice",
                                                            "committed", "refused"};

const char *stats_outcome_name(enum stats_outcome o)
{
	return (unsigned)o < STATS_N_OUTCOMES ? outcome_names[o] : "?";
}

const char *stats_outcome_label(enum stats_outcome o)
{
	switch (o) {
	case STATS_ACCEPTED:
		return _("accepted");
	case STATS_NOTICE:
		return _("one-time notice");
	case STATS_COMMITTED:
		return _("on commitment");
	case STATS_REFUSED:
		return _("refused");
	default:
		return _("undecided");
	}
}

const char *stats_rating_label(int level)
{
	switch (level) {
	case 5:
		return _("very satisfied");
	case 4:
		return _("satisfied");
	case 3:
		return _("fairly satisfied");
	case 2:
		return _("dissatisfied");
	case 1:
		return _("very dissatisfied");
	default:
		return _("declined");
	}
}

void stats_init(struct stats *s, struct tb_date from, struct tb_date to)
{
	memset(s, 0, sizeof *s);
	s->from = from;
	s->to = to;
}

void stats_free(struct stats *s)
{
	free(s->items);
	free(s->depts);
	s->items = s->depts = NULL;
	s->n_items = s->n_depts = 0;
}

/* The row of key in rows (added when new). */
static struct stats_row *row_of(struct stats_row **rows, size_t *n, const char *key,
                                const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*rows)[i].key, key) == 0)
			return &(*rows)[i];
	*rows = xrealloc(*rows, (*n + 1) * sizeof **rows);
	memset(&(*rows)[*n], 0, sizeof **rows);
	str_copy((*rows)[*n].key, sizeof(*rows)[*n].key, key);
	str_copy((*rows)[*n].name, sizeof(*rows)[*n].name, name);
	return &(*rows)[(*n)++];
}

static void count_row(struct stats_row *r, enum stats_outcome o)
{
	r->cases++;
	r->outcome[o]++;
}

/* On time, overdue or pending, for a case with a promised date. */
static void count_limit(struct stats *s, const struct stats_case *c, struct tb_date today)
{
	if (c->due.y == 0)
		return;
	if (c->done.y != 0)
		*(tb_date_cmp(c->done, c->due) <= 0 ? &s->on_time : &s->overdue) += 1;
	else if (tb_date_cmp(today, c->due) > 0)
		s->overdue++;
	else
		s->pending++;
}

static void count_release(struct stats *s, const struct stats_case *c, const struct calendar *cal)
{
	int days = 0;

	if (c->released.y == 0)
		return;
	s->released++;
	/* working days after the application day up to the release day */
	if (cal && cal_workdays_between(cal, c->received, c->released, &days, NULL) == 0 &&
	    days >= 0) {
		s->release_workdays += days;
		s->release_counted++;
	}
}

bool stats_add(struct stats *s, const struct stats_case *c, struct tb_date today,
               const struct calendar *cal)
{
	enum stats_outcome o =
	    (unsigned)c->outcome < STATS_N_OUTCOMES ? c->outcome : STATS_UNDECIDED;

	if (tb_date_cmp(c->received, s->from) < 0 || tb_date_cmp(c->received, s->to) > 0)
		return false;
	s->cases++;
	s->outcome[o]++;
	count_row(row_of(&s->items, &s->n_items, c->item_code ? c->item_code : "",
	                 c->item_name ? c->item_name : ""),
	          o);
	count_row(row_of(&s->depts, &s->n_depts, c->dept ? c->dept : "", c->dept ? c->dept : ""),
	          o);
	count_limit(s, c, today);
	count_release(s, c, cal);
	s->verified += c->verified;
	s->breached += c->breached;
	s->withdrawn += c->withdrawn;
	s->green += c->green;
	if (c->rating >= 0 && c->rating < STATS_LEVELS)
		s->rating[c->rating]++;
	s->follow_ups_open += c->follow_up_open;
	s->follow_ups_closed += c->follow_up_closed;
	return true;
}

double stats_release_average(const struct stats *s)
{
	return s->release_counted ? (double)s->release_workdays / s->release_counted : -1.0;
}

/* ---- JSON ------------------------------------------------------------------- */

static struct json_object *outcomes_json(const int *outcome)
{
	struct json_object *o = json_object_new_object();
	int i;

	for (i = 0; i < STATS_N_OUTCOMES; i++)
		json_object_object_add(o, outcome_names[i], json_object_new_int(outcome[i]));
	return o;
}

static struct json_object *rows_json(const struct stats_row *rows, size_t n, const char *key)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, key, json_object_new_string(rows[i].key));
		if (strcmp(key, "item_code") == 0)
			json_object_object_add(o, "item_name",
			                       json_object_new_string(rows[i].name));
		json_object_object_add(o, "cases", json_object_new_int(rows[i].cases));
		json_object_object_add(o, "outcomes", outcomes_json(rows[i].outcome));
		json_object_array_add(a, o);
	}
	return a;
}

struct json_object *stats_to_json(const struct stats *s)
{
	static const char *const levels[STATS_LEVELS] = {"declined",     "very_dissatisfied",
	                                                 "dissatisfied", "fairly_satisfied",
	                                                 "satisfied",    "very_satisfied"};
	struct json_object *o = json_object_new_object(), *r = json_object_new_object();
	char from[TB_DATE_LEN], to[TB_DATE_LEN];
	double avg = stats_release_average(s);
	int i;

	json_object_object_add(o, "from", json_object_new_string(tb_date_format(s->from, from)));
	json_object_object_add(o, "to", json_object_new_string(tb_date_format(s->to, to)));
	json_object_object_add(o, "cases", json_object_new_int(s->cases));
	json_object_object_add(o, "outcomes", outcomes_json(s->outcome));
	json_object_object_add(o, "on_time", json_object_new_int(s->on_time));
	json_object_object_add(o, "overdue", json_object_new_int(s->overdue));
	json_object_object_add(o, "pending", json_object_new_int(s->pending));
	json_object_object_add(o, "released", json_object_new_int(s->released));
	json_object_object_add(o, "release_workdays_average",
	                       avg < 0 ? NULL : json_object_new_double(avg));
	json_object_object_add(o, "commitments_verified", json_object_new_int(s->verified));
	json_object_object_add(o, "commitments_breached", json_object_new_int(s->breached));
	json_object_object_add(o, "withdrawn", json_object_new_int(s->withdrawn));
	json_object_object_add(o, "green_channel", json_object_new_int(s->green));
	for (i = STATS_LEVELS - 1; i >= 0; i--)
		json_object_object_add(r, levels[i], json_object_new_int(s->rating[i]));
	json_object_object_add(o, "ratings", r);
	json_object_object_add(o, "follow_ups_open", json_object_new_int(s->follow_ups_open));
	json_object_object_add(o, "follow_ups_closed", json_object_new_int(s->follow_ups_closed));
	json_object_object_add(o, "items", rows_json(s->items, s->n_items, "item_code"));
	json_object_object_add(o, "departments", rows_json(s->depts, s->n_depts, "dept"));
	return o;
}

/* ---- the report ------------------------------------------------------------ */

/* "label  ######## 12" with the bar scaled to max over room columns. */
static void bar(struct buf *b, const char *label, int n, int max, int room)
{
	char padded[128];
	int len = max > 0 ? (int)((long)n * room / max) : 0, i;

	if (n > 0 && len == 0)
		len = 1;
	utf8_pad(padded, sizeof padded, label, 16);
	buf_printf(b, "  %s ", padded);
	for (i = 0; i < len; i++)
		buf_adds(b, "#");
	buf_printf(b, " %d\n", n);
}

static int max_of(const int *v, int n)
{
	int m = 0, i;

	for (i = 0; i < n; i++)
		m = v[i] > m ? v[i] : m;
	return m;
}

static void report_outcomes(struct buf *b, const struct stats *s, int room)
{
	int i, max = max_of(s->outcome, STATS_N_OUTCOMES);

	buf_printf(b, "%s\n", _("Intake by outcome"));
	for (i = STATS_ACCEPTED; i < STATS_N_OUTCOMES; i++)
		bar(b, stats_outcome_label((enum stats_outcome)i), s->outcome[i], max, room);
	if (s->outcome[STATS_UNDECIDED])
		bar(b, stats_outcome_label(STATS_UNDECIDED), s->outcome[STATS_UNDECIDED], max,
		    room);
}

static void report_rows(struct buf *b, const char *title, const struct stats_row *rows, size_t n,
                        int room)
{
	int max = 0;
	size_t i;

	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		max = rows[i].cases > max ? rows[i].cases : max;
	buf_printf(b, "%s\n", title);
	for (i = 0; i < n; i++)
		bar(b, rows[i].name[0] ? i18n_data(rows[i].name) : rows[i].key, rows[i].cases, max,
		    room);
}

static void report_ratings(struct buf *b, const struct stats *s, int room)
{
	int i, max = max_of(s->rating, STATS_LEVELS);

	buf_printf(b, "%s\n", _("Ratings"));
	for (i = STATS_LEVELS - 1; i >= 0; i--)
		bar(b, stats_rating_label(i), s->rating[i], max, room);
	buf_printf(b, _("  follow-ups: open %d, closed %d\n"), s->follow_ups_open,
	           s->follow_ups_closed);
}

char *stats_report(const struct stats *s, int width)
{
	char from[TB_DATE_LEN], to[TB_DATE_LEN];
	int room = (width < 60 ? 60 : width) - 28;
	double avg = stats_release_average(s);
	struct buf b;

	buf_init(&b);
	buf_printf(&b, _("Statistics %s to %s: %d cases\n"), tb_date_format(s->from, from),
	           tb_date_format(s->to, to), s->cases);
	report_outcomes(&b, s, room);
	buf_printf(&b, _("Time limits: on time %d, overdue %d, not yet due %d\n"), s->on_time,
	           s->overdue, s->pending);
	buf_printf(&b,
	           _("Commitments: verified %d, false (revoked) %d; withdrawn %d; green "
	             "channel %d\n"),
	           s->verified, s->breached, s->withdrawn, s->green);
	if (avg >= 0)
		buf_printf(&b, _("Released %d, on average %.1f working days\n"), s->released, avg);
	else
		buf_printf(&b, _("Released %d\n"), s->released);
	report_ratings(&b, s, room);
	report_rows(&b, _("By item"), s->items, s->n_items, room);
	report_rows(&b, _("By department"), s->depts, s->n_depts, room);
	return buf_take(&b);
}
