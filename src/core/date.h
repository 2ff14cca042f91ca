/*
 * date.h - calendar dates (no time of day) in the hall's local calendar.
 *
 * Every deadline and every "not after today" check works on these.  Today is
 * always the date in Asia/Shanghai (UTC+8, no daylight saving), computed from
 * the clock without looking at TZ or tzdata, so a machine set to UTC still
 * gets the hall's date.
 */
#ifndef TB_CORE_DATE_H
#define TB_CORE_DATE_H

#include <stdbool.h>
#include <time.h>

/* A proleptic Gregorian date: y 1..9999, m 1..12, d 1..31. */
struct tb_date {
	int y, m, d;
};

/* Bytes needed to format a date, "YYYY-MM-DD" plus NUL. */
#define TB_DATE_LEN 11

/* Seconds east of UTC of Asia/Shanghai. */
#define TB_SHANGHAI_OFFSET (8 * 3600)

bool tb_date_is_leap_year(int y);

/* Days in month m of year y (28..31), or 0 when m is not 1..12. */
int tb_date_days_in_month(int y, int m);

/* Whether d names a real day between 0001-01-01 and 9999-12-31. */
bool tb_date_is_valid(struct tb_date d);

/*
 * Parse exactly "YYYY-MM-DD" (four, two and two digits, nothing before or
 * after) into *out.  Returns 0, or -1 when s is NULL, malformed, or names no
 * real day (2026-02-30); *out is left untouched on failure.
 */
int tb_date_parse(const char *s, struct tb_date *out);

/* Write d as "YYYY-MM-DD" into buf (TB_DATE_LEN bytes).  Returns buf. */
char *tb_date_format(struct tb_date d, char buf[TB_DATE_LEN]);

/* Day of the week: 0 Sunday, 1 Monday .. 6 Saturday. */
int tb_date_weekday(struct tb_date d);

/* Whether d is a Saturday or a Sunday. */
bool tb_date_is_weekend(struct tb_date d);

/* Days since 1970-01-01 (negative before), and back.  d must be valid. */
long tb_date_to_days(struct tb_date d);
struct tb_date tb_date_from_days(long days);

/* d plus n calendar days (n may be negative). */
struct tb_date tb_date_add_days(struct tb_date d, int n);

/* Calendar days from a to b: negative when b is before a. */
long tb_date_diff_days(struct tb_date a, struct tb_date b);

/* <0, 0 or >0 as a is before, the same day as, or after b. */
int tb_date_cmp(struct tb_date a, struct tb_date b);

/* The date in Asia/Shanghai at instant t, and today's date there. */
struct tb_date tb_date_from_time_shanghai(time_t t);
struct tb_date tb_date_today_shanghai(void);

#endif
