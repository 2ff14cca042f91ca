/*
 * stats.h - the window's and the hall's statistics, one definition for
 * the clerk's `tongban stats` and tongband's /v1/stats and `report`: each
 * store reads its cases into struct stats_case, and the sums, the JSON and
 * the printed report come from here.
 *
 * A case counts in a period when its application date (the day it was
 * first received, the hall's date) is in [from, to].
 */
#ifndef TB_CORE_STATS_H
#define TB_CORE_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/calendar.h"
#include "core/date.h"

struct json_object;

/* What the counter decided first (行政许可法 art. 32). */
enum stats_outcome {
	STATS_UNDECIDED, /* received, no decision yet */
	STATS_ACCEPTED,  /* 受理 */
	STATS_NOTICE,    /* 一次性告知 */
	STATS_COMMITTED, /* 承诺受理 */
	STATS_REFUSED,   /* 不予受理 */
	STATS_N_OUTCOMES
};

/* Ratings (GB/T 39734 一次一评): 5 非常满意 .. 1 非常不满意; 0 declined (未评价). */
#define STATS_LEVELS 6

/* One case as the statistics see it.  Strings are borrowed. */
struct stats_case {
	const char *item_code;
	const char *item_name;
	const char *dept;
	struct tb_date received; /* the application date */
	enum stats_outcome outcome;
	struct tb_date due;      /* promised completion; y == 0 when none */
	struct tb_date done;     /* decided by the back office (or refused at the
	                          * counter), y == 0 while open: the end of the limit */
	struct tb_date released; /* 出件; y == 0 when not released */
	bool verified;           /* commitments confirmed */
	bool breached;           /* a commitment found false (revoked) */
	bool withdrawn;          /* 视为放弃 */
	int rating;              /* -1 not rated, else 0..5 as above */
	bool follow_up_open;     /* a bad rating's 整改 not yet closed */
	bool follow_up_closed;
	bool green; /* 绿色通道 (counted, not otherwise told apart) */
};

/* One line of a breakdown: an item or a department. */
struct stats_row {
	char key[64];   /* item code, or department */
	char name[256]; /* item name, or department */
	int cases;
	int outcome[STATS_N_OUTCOMES];
};

struct stats {
	struct tb_date from, to;
	int cases;
	int outcome[STATS_N_OUTCOMES];
	int on_time; /* done on or before the promised date */
	int overdue; /* done after it, or still open past it */
	int pending; /* open and not yet due */
	int verified, breached, withdrawn;
	int released;
	long release_workdays; /* sum of working days from application to release */
	int release_counted;   /* released cases the calendar could count */
	int rating[STATS_LEVELS];
	int follow_ups_open, follow_ups_closed;
	int green;
	struct stats_row *items, *depts;
	size_t n_items, n_depts;
};

/* Start empty sums for the period [from, to]. */
void stats_init(struct stats *s, struct tb_date from, struct tb_date to);
void stats_free(struct stats *s);

/*
 * Add c when its application date is in the period (else nothing).  today
 * decides whether an open case is overdue; cal counts working days to
 * release (NULL: not counted).  Returns whether it was counted.
 */
bool stats_add(struct stats *s, const struct stats_case *c, struct tb_date today,
               const struct calendar *cal);

/* Average working days from application to release, -1 when none. */
double stats_release_average(const struct stats *s);

/* The sums as a JSON object (see tongband-api(7), GET /v1/stats).  Caller
 * releases with json_object_put. */
struct json_object *stats_to_json(const struct stats *s);

/* The sums as a report of lines at most width columns wide (>= 60), with
 * bar charts, in the current language.  Caller frees. */
char *stats_report(const struct stats *s, int width);

/* The wire name of an outcome ("accepted"...) and the clerk's label. */
const char *stats_outcome_name(enum stats_outcome o);
const char *stats_outcome_label(enum stats_outcome o);

/* The label of a rating level 0..5 (未评价, 非常不满意 .. 非常满意). */
const char *stats_rating_label(int level);

#endif
