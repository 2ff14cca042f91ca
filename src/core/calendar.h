/*
 * calendar.h - the working-day calendar (工作日历) and deadlines.
 *
 * Time limits count working days (行政许可法 art. 82): Monday to Friday,
 * except the statutory holidays, plus the weekend days the State Council
 * declares working days (调休上班).  The holidays change every year by State
 * Council notice, so they are data: data/calendar.json, format in
 * data/README.md.  For a year the file does not cover, nothing is guessed:
 * deadline arithmetic fails with a message naming the year.
 */
#ifndef TB_CORE_CALENDAR_H
#define TB_CORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/util.h"

/* Working days left at which a case turns yellow, unless configured. */
#define CAL_YELLOW_DAYS_DEFAULT 2

struct calendar;

/*
 * Days when the clock is stopped (waiting for 补正, a hearing, testing,
 * expert review: 行政许可法 art. 45): from and to inclusive.
 */
struct stop_interval {
	struct tb_date from, to;
};

enum cal_warning {
	CAL_OK,     /* more than yellow_days working days left */
	CAL_YELLOW, /* at most yellow_days working days left (0 = due today) */
	CAL_RED,    /* overdue: today is after the due date */
	CAL_NO_DATA /* cannot tell: a year between today and due has no calendar */
};

/*
 * Load a calendar from a JSON file.  Returns NULL on failure with e naming the
 * file, the year and the field.  Caller frees with cal_free().
 */
struct calendar *cal_load(const char *path, struct err *e);

/* Parse a calendar from JSON text of len bytes; file names it in errors. */
struct calendar *cal_parse(const char *json, size_t len, const char *file, struct err *e);

void cal_free(struct calendar *cal);

/* The file's "version" string.  Valid while cal lives. */
const char *cal_version(const struct calendar *cal);

/* Whether the calendar has the State Council's data for year y. */
bool cal_has_year(const struct calendar *cal, int y);

/* The notice year y's data comes from, or NULL.  Valid while cal lives. */
const char *cal_year_source(const struct calendar *cal, int y);

/*
 * 1 when d is a working day, 0 when not.  *known (may be NULL) is set false
 * when d's year has no data (the answer then only knows weekends) or d is not
 * a valid date (the answer is then 0).
 */
int cal_is_workday(const struct calendar *cal, struct tb_date d, bool *known);

/*
 * The due date of a case accepted on `accepted` with a limit of n working
 * days: the acceptance day does not count, day 1 is the next working day, a
 * limit of 0 (即办件) is due the same day, and days inside any of the
 * n_stops clock-stop intervals do not count.  Returns 0 with *due set, or -1
 * with e filled (in Chinese and English) when n is negative, a date or
 * interval is invalid, or a year the count passes through has no calendar
 * data: the message names that year.
 */
int cal_add_workdays(const struct calendar *cal, struct tb_date accepted, int n,
                     const struct stop_interval *stops, size_t n_stops, struct tb_date *due,
                     struct err *e);

/*
 * Working days remaining from today to due: the working days after today up
 * to and including due (0 when due today or when only holidays remain).
 * When today is after due the result is negative: minus the working days after
 * due up to and including today, and at least 1 in size, since a passed
 * deadline is overdue even over a weekend.  Returns 0 with *days set, or -1
 * with e naming the year that has no calendar data.
 */
int cal_workdays_between(const struct calendar *cal, struct tb_date today, struct tb_date due,
                         int *days, struct err *e);

/*
 * The supervision warning (电子监察) for a case due on due: red when today is
 * after due, yellow when at most yellow_days working days remain
 * (CAL_YELLOW_DAYS_DEFAULT unless configured), CAL_NO_DATA when that cannot be
 * told for lack of calendar data, else CAL_OK.
 */
enum cal_warning cal_warning(const struct calendar *cal, struct tb_date today, struct tb_date due,
                             int yellow_days);

#endif
