#include "core/calendar.h"
#include "core/i18n.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAL_MAX_FILE (4 * 1024 * 1024)

/* The longest holiday range accepted: longer ones are typos. */
#define CAL_MAX_HOLIDAY_DAYS 31

struct cal_year {
	int year;
	char *source; /* the State Council notice */
};

/* A day the weekday rule does not decide. */
struct cal_fact {
	long day;        /* tb_date_to_days() */
	bool is_workday; /* 调休上班; false: a holiday */
	int year;        /* the year whose notice lists it, for error messages */
};

struct calendar {
	char *version;
	struct cal_year *years;
	size_t n_years;
	struct cal_fact *facts; /* sorted by day, one per day */
	size_t n_facts, cap_facts;
};

/* Where the parser is, for error messages. */
struct parser {
	const char *file;
	struct err *e;
	struct calendar *cal;
	int year;
};

void cal_free(struct calendar *cal)
{
	if (cal == NULL)
		return;
	for (size_t i = 0; i < cal->n_years; i++)
		free(cal->years[i].source);
	free(cal->years);
	free(cal->facts);
	free(cal->version);
	free(cal);
}

static void add_fact(struct calendar *cal, long day, bool is_workday, int year)
{
	if (cal->n_facts == cal->cap_facts) {
		cal->cap_facts = cal->cap_facts ? cal->cap_facts * 2 : 64;
		cal->facts = xrealloc(cal->facts, cal->cap_facts * sizeof *cal->facts);
	}
	cal->facts[cal->n_facts].day = day;
	cal->facts[cal->n_facts].is_workday = is_workday;
	cal->facts[cal->n_facts].year = year;
	cal->n_facts++;
}

/*
 * The date in JSON value v at field path (e.g. "holidays[2][0]"), which must
 * lie in the year of the notice or next to it (a New Year holiday may start
 * in December).
 */
static int parse_date_value(struct parser *p, struct json_object *v, const char *path,
                            struct tb_date *out)
{
	const char *s;

	if (!json_object_is_type(v, json_type_string)) {
		err_set(p->e, "%s: year %d: %s: expected a date string \"YYYY-MM-DD\"", p->file,
		        p->year, path);
		return -1;
	}
	s = json_object_get_string(v);
	if (tb_date_parse(s, out) != 0) {
		err_set(p->e, "%s: year %d: %s: \"%s\" is not a date \"YYYY-MM-DD\"", p->file,
		        p->year, path, s);
		return -1;
	}
	if (out->y < p->year - 1 || out->y > p->year + 1) {
		err_set(p->e, "%s: year %d: %s: %s is too far from %d", p->file, p->year, path, s,
		        p->year);
		return -1;
	}
	return 0;
}

/* One holidays[] entry: a single date or a [first, last] pair. */
static int parse_holiday(struct parser *p, struct json_object *v, size_t i)
{
	char path[64];
	struct tb_date from, to;
	long first, last;

	if (json_object_is_type(v, json_type_string)) {
		snprintf(path, sizeof path, "holidays[%zu]", i);
		if (parse_date_value(p, v, path, &from) != 0)
			return -1;
		to = from;
	} else if (json_object_is_type(v, json_type_array) && json_object_array_length(v) == 2) {
		snprintf(path, sizeof path, "holidays[%zu][0]", i);
		if (parse_date_value(p, json_object_array_get_idx(v, 0), path, &from) != 0)
			return -1;
		snprintf(path, sizeof path, "holidays[%zu][1]", i);
		if (parse_date_value(p, json_object_array_get_idx(v, 1), path, &to) != 0)
			return -1;
	} else {
		err_set(p->e,
		        "%s: year %d: holidays[%zu]: expected \"YYYY-MM-DD\" or [first, last]",
		        p->file, p->year, i);
		return -1;
	}
	first = tb_date_to_days(from);
	last = tb_date_to_days(to);
	if (last < first || last - first >= CAL_MAX_HOLIDAY_DAYS) {
		err_set(
		    p->e,
		    "%s: year %d: holidays[%zu]: range must run forward and span at most %d days",
		    p->file, p->year, i, CAL_MAX_HOLIDAY_DAYS);
		return -1;
	}
	for (long d = first; d <= last; d++)
		add_fact(p->cal, d, false, p->year);
	return 0;
}

/* One workdays[] entry: a Saturday or Sunday declared a working day. */
static int parse_workday(struct parser *p, struct json_object *v, size_t i)
{
	char path[64];
	struct tb_date d;

	snprintf(path, sizeof path, "workdays[%zu]", i);
	if (parse_date_value(p, v, path, &d) != 0)
		return -1;
	if (!tb_date_is_weekend(d)) {
		err_set(p->e, "%s: year %d: %s: %s is not a Saturday or Sunday", p->file, p->year,
		        path, json_object_get_string(v));
		return -1;
	}
	add_fact(p->cal, tb_date_to_days(d), true, p->year);
	return 0;
}

/* The array member name of object o, or NULL with an error. */
static struct json_object *get_array(struct parser *p, struct json_object *o, const char *name)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, name, &v) || !json_object_is_type(v, json_type_array)) {
		err_set(p->e, "%s: year %d: %s: missing or not an array", p->file, p->year, name);
		return NULL;
	}
	return v;
}

static int parse_source(struct parser *p, struct json_object *o)
{
	struct json_object *v;
	struct cal_year *y;

	if (!json_object_object_get_ex(o, "source", &v) ||
	    !json_object_is_type(v, json_type_string) || json_object_get_string_len(v) == 0) {
		err_set(p->e, "%s: year %d: source: missing; name the State Council notice",
		        p->file, p->year);
		return -1;
	}
	p->cal->years = xrealloc(p->cal->years, (p->cal->n_years + 1) * sizeof *p->cal->years);
	y = &p->cal->years[p->cal->n_years++];
	y->year = p->year;
	y->source = xstrdup(json_object_get_string(v));
	return 0;
}

/* A year key: four digits. */
static int parse_year_key(struct parser *p, const char *key)
{
	struct tb_date d;
	char text[TB_DATE_LEN];

	snprintf(text, sizeof text, "%.4s-01-01", key);
	if (strlen(key) != 4 || tb_date_parse(text, &d) != 0 || d.y < 1900) {
		err_set(p->e, "%s: years: \"%s\" is not a year", p->file, key);
		return -1;
	}
	p->year = d.y;
	return 0;
}

static int parse_year(struct parser *p, const char *key, struct json_object *o)
{
	struct json_object *holidays, *workdays;

	if (parse_year_key(p, key) != 0)
		return -1;
	if (!json_object_is_type(o, json_type_object)) {
		err_set(p->e, "%s: year %d: expected an object", p->file, p->year);
		return -1;
	}
	if (parse_source(p, o) != 0)
		return -1;
	holidays = get_array(p, o, "holidays");
	workdays = holidays != NULL ? get_array(p, o, "workdays") : NULL;
	if (workdays == NULL)
		return -1;
	for (size_t i = 0; i < json_object_array_length(holidays); i++) {
		if (parse_holiday(p, json_object_array_get_idx(holidays, i), i) != 0)
			return -1;
	}
	for (size_t i = 0; i < json_object_array_length(workdays); i++) {
		if (parse_workday(p, json_object_array_get_idx(workdays, i), i) != 0)
			return -1;
	}
	return 0;
}

static int fact_cmp(const void *a, const void *b)
{
	const struct cal_fact *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return 0;
}

/* Sort the facts, merge repeats, refuse a day listed both off and on. */
static int settle_facts(struct parser *p)
{
	struct calendar *cal = p->cal;
	size_t out = 0;
	char text[TB_DATE_LEN];

	if (cal->n_facts == 0)
		return 0;
	qsort(cal->facts, cal->n_facts, sizeof *cal->facts, fact_cmp);
	for (size_t i = 1; i < cal->n_facts; i++) {
		const struct cal_fact *prev = &cal->facts[out], *cur = &cal->facts[i];

		if (cur->day != prev->day) {
			cal->facts[++out] = *cur;
			continue;
		}
		if (cur->is_workday != prev->is_workday) {
			tb_date_format(tb_date_from_days(cur->day), text);
			err_set(p->e, "%s: year %d: %s is listed in both holidays and workdays",
			        p->file, cur->year, text);
			return -1;
		}
	}
	cal->n_facts = out + 1;
	return 0;
}

static int parse_years(struct parser *p, struct json_object *years)
{
	struct json_object_iter it;

	if (years == NULL || !json_object_is_type(years, json_type_object) ||
	    json_object_object_length(years) == 0) {
		err_set(p->e, "%s: years: missing, not an object, or empty", p->file);
		return -1;
	}
	json_object_object_foreachC(years, it)
	{
		if (parse_year(p, it.key, it.val) != 0)
			return -1;
	}
	return settle_facts(p);
}

static int parse_root(struct parser *p, struct json_object *root)
{
	struct json_object *v = NULL;

	if (!json_object_is_type(root, json_type_object)) {
		err_set(p->e, "%s: expected a JSON object", p->file);
		return -1;
	}
	if (!json_object_object_get_ex(root, "version", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		err_set(p->e, "%s: version: missing or not a string", p->file);
		return -1;
	}
	p->cal->version = xstrdup(json_object_get_string(v));
	v = NULL;
	json_object_object_get_ex(root, "years", &v);
	return parse_years(p, v);
}

static bool only_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	}
	return true;
}

/* Parse the JSON text; NULL with e filled when it is not one whole value. */
static struct json_object *parse_json(const char *json, size_t len, const char *file, struct err *e)
{
	struct json_tokener *tok;
	struct json_object *root;
	enum json_tokener_error jerr;

	if (len > INT_MAX) {
		err_set(e, "%s: file too large", file);
		return NULL;
	}
	tok = json_tokener_new();
	if (tok == NULL) {
		err_set(e, "%s: out of memory", file);
		return NULL;
	}
	root = json_tokener_parse_ex(tok, json, (int)len);
	jerr = json_tokener_get_error(tok);
	if (root == NULL || jerr != json_tokener_success) {
		err_set(e, "%s: not valid JSON near byte %zu: %s", file,
		        json_tokener_get_parse_end(tok),
		        jerr == json_tokener_continue ? "unexpected end of file"
		                                      : json_tokener_error_desc(jerr));
		json_object_put(root);
		root = NULL;
	}
	if (root != NULL && !only_space(json + json_tokener_get_parse_end(tok),
	                                len - json_tokener_get_parse_end(tok))) {
		err_set(e, "%s: not valid JSON: text after the end at byte %zu", file,
		        json_tokener_get_parse_end(tok));
		json_object_put(root);
		root = NULL;
	}
	json_tokener_free(tok);
	return root;
}

struct calendar *cal_parse(const char *json, size_t len, const char *file, struct err *e)
{
	struct parser p = {file != NULL ? file : "calendar", e, NULL, 0};
	struct json_object *root = parse_json(json, len, p.file, e);

	if (root == NULL)
		return NULL;
	p.cal = xcalloc(1, sizeof *p.cal);
	if (parse_root(&p, root) != 0) {
		cal_free(p.cal);
		p.cal = NULL;
	}
	json_object_put(root);
	return p.cal;
}

struct calendar *cal_load(const char *path, struct err *e)
{
	size_t len;
	char *text = file_read_all(path, &len, CAL_MAX_FILE, e);
	struct calendar *cal;

	if (text == NULL)
		return NULL;
	cal = cal_parse(text, len, path, e);
	free(text);
	return cal;
}

const char *cal_version(const struct calendar *cal)
{
	return cal->version;
}

static const struct cal_year *find_year(const struct calendar *cal, int y)
{
	for (size_t i = 0; i < cal->n_years; i++) {
		if (cal->years[i].year == y)
			return &cal->years[i];
	}
	return NULL;
}

bool cal_has_year(const struct calendar *cal, int y)
{
	return find_year(cal, y) != NULL;
}

const char *cal_year_source(const struct calendar *cal, int y)
{
	const struct cal_year *year = find_year(cal, y);

	return year != NULL ? year->source : NULL;
}

static const struct cal_fact *find_fact(const struct calendar *cal, long day)
{
	struct cal_fact key = {day, false, 0};

	if (cal->n_facts == 0)
		return NULL;
	return bsearch(&key, cal->facts, cal->n_facts, sizeof key, fact_cmp);
}

int cal_is_workday(const struct calendar *cal, struct tb_date d, bool *known)
{
	const struct cal_fact *f;

	if (!tb_date_is_valid(d)) {
		if (known != NULL)
			*known = false;
		return 0;
	}
	if (known != NULL)
		*known = cal_has_year(cal, d.y);
	f = find_fact(cal, tb_date_to_days(d));
	if (f != NULL)
		return f->is_workday;
	return !tb_date_is_weekend(d);
}

static void err_no_year(struct err *e, int y)
{
	err_set(e, _("no working-day calendar for %d: update data/calendar.json"), y);
}

static bool is_stopped(long day, const struct stop_interval *stops, size_t n_stops)
{
	for (size_t i = 0; i < n_stops; i++) {
		if (day >= tb_date_to_days(stops[i].from) && day <= tb_date_to_days(stops[i].to))
			return true;
	}
	return false;
}

static int check_stops(const struct stop_interval *stops, size_t n_stops, struct err *e)
{
	char a[TB_DATE_LEN], b[TB_DATE_LEN];

	if (n_stops > 0 && stops == NULL) {
		err_set(e, "%s", _("clock-stop intervals missing"));
		return -1;
	}
	for (size_t i = 0; i < n_stops; i++) {
		if (!tb_date_is_valid(stops[i].from) || !tb_date_is_valid(stops[i].to) ||
		    tb_date_cmp(stops[i].from, stops[i].to) > 0) {
			err_set(e, _("clock-stop interval invalid: %s to %s"),
			        tb_date_format(stops[i].from, a), tb_date_format(stops[i].to, b));
			return -1;
		}
	}
	return 0;
}

int cal_add_workdays(const struct calendar *cal, struct tb_date accepted, int n,
                     const struct stop_interval *stops, size_t n_stops, struct tb_date *due,
                     struct err *e)
{
	long day = 0;

	if (!tb_date_is_valid(accepted)) {
		err_set(e, "%s", _("acceptance date invalid"));
		return -1;
	}
	if (n < 0) {
		err_set(e, _("time limit is negative: %d"), n);
		return -1;
	}
	if (check_stops(stops, n_stops, e) != 0)
		return -1;
	day = tb_date_to_days(accepted);
	for (int counted = 0; counted < n;) {
		struct tb_date d = tb_date_from_days(++day);

		if (!cal_has_year(cal, d.y)) {
			err_no_year(e, d.y);
			return -1;
		}
		if (!is_stopped(day, stops, n_stops) && cal_is_workday(cal, d, NULL))
			counted++;
	}
	*due = tb_date_from_days(day);
	return 0;
}

/*
 * Count the working days after `after` up to and including `upto` into
 * *count, stopping early once it exceeds limit (limit < 0: never).  -1 with e
 * naming the year when a day's year has no data.
 */
static int count_workdays(const struct calendar *cal, struct tb_date after, struct tb_date upto,
                          int limit, int *count, struct err *e)
{
	long last = tb_date_to_days(upto);

	*count = 0;
	for (long day = tb_date_to_days(after) + 1; day <= last; day++) {
		struct tb_date d = tb_date_from_days(day);

		if (!cal_has_year(cal, d.y)) {
			err_no_year(e, d.y);
			return -1;
		}
		*count += cal_is_workday(cal, d, NULL);
		if (limit >= 0 && *count > limit)
			return 0;
	}
	return 0;
}

int cal_workdays_between(const struct calendar *cal, struct tb_date today, struct tb_date due,
                         int *days, struct err *e)
{
	int count;

	if (!tb_date_is_valid(today) || !tb_date_is_valid(due)) {
		err_set(e, "%s", _("invalid date"));
		return -1;
	}
	if (tb_date_cmp(today, due) <= 0) {
		if (count_workdays(cal, today, due, -1, &count, e) != 0)
			return -1;
		*days = count;
		return 0;
	}
	if (count_workdays(cal, due, today, -1, &count, e) != 0)
		return -1;
	*days = count > 0 ? -count : -1;
	return 0;
}

enum cal_warning cal_warning(const struct calendar *cal, struct tb_date today, struct tb_date due,
                             int yellow_days)
{
	int count;

	if (!tb_date_is_valid(today) || !tb_date_is_valid(due))
		return CAL_NO_DATA;
	if (tb_date_cmp(today, due) > 0)
		return CAL_RED;
	if (yellow_days < 0)
		return CAL_OK;
	/* Stop counting past the threshold: a far deadline is fine even when a
	 * later year has no data yet. */
	if (count_workdays(cal, today, due, yellow_days, &count, NULL) != 0)
		return CAL_NO_DATA;
	return count <= yellow_days ? CAL_YELLOW : CAL_OK;
}
