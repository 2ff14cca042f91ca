/*
 * screen_stats.c - the window's statistics for a day, a week, a month or a
 * chosen range (core/stats.h, the same report as `tongban stats`): intake
 * by outcome, by item and department, on time and overdue, commitments,
 * ratings and follow-ups, working days to release, as bar charts that fit
 * the screen.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/app.h"
#include "tui/ui.h"

enum period { P_DAY, P_WEEK, P_MONTH, P_RANGE };

struct stats_view {
	struct app *app;
	enum period period;
	struct tb_date from, to;
	char *text;
	const char **lines;
	int n, top;
};

static int st_period(void *screen, const void *arg);
static int st_range(void *screen, const void *arg);
static int st_scroll(void *screen, const void *arg);
static int st_back(void *screen, const void *arg);
static int st_keys_page(void *screen, const void *arg);

static const enum period day = P_DAY, week = P_WEEK, month = P_MONTH;
static const int line_down = 1, line_up = -1, page_down = 2, page_up = -2;

static const struct ui_action stats_keys[] = {
    {UK_F2, "F2", N_("today"), st_period, &day},
    {UK_F3, "F3", N_("this week"), st_period, &week},
    {UK_F4, "F4", N_("this month"), st_period, &month},
    {UK_F5, "F5", N_("range"), st_range, NULL},
    {UK_PGDN, "↑↓PgUp/PgDn", N_("scroll"), st_scroll, &page_down},
    {UK_ESC, "Esc", N_("back"), st_back, NULL},
    {UK_F1, "F1", N_("keys"), st_keys_page, NULL},
    {UK_F10, "", "", st_back, NULL},
    {UK_PGUP, "", "", st_scroll, &page_up},
    {UK_DOWN, "", "", st_scroll, &line_down},
    {UK_UP, "", "", st_scroll, &line_up},
    {UK_HANGUP, "", "", app_action_quit, NULL},
};
#define N_KEYS ((int)(sizeof stats_keys / sizeof stats_keys[0]))

static const char *const stats_help[] = {
    N_("cases of this PC by application date; the same report: tongban stats --from --to"),
    N_("on time: done by the promised date; overdue: done later, or still open past it"),
    NULL,
};

static void split(struct stats_view *v)
{
	char *p;
	int cap = 0;

	free(v->lines);
	v->lines = NULL;
	v->n = 0;
	for (p = v->text; p && *p;) {
		char *nl = strchr(p, '\n');

		if (v->n == cap)
			v->lines = xrealloc(v->lines,
			                    (size_t)(cap = cap ? cap * 2 : 64) * sizeof *v->lines);
		v->lines[v->n++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
}

static void compute(struct stats_view *v)
{
	struct app *app = v->app;
	struct stats s;
	struct err e = {0};

	stats_init(&s, v->from, v->to);
	free(v->text);
	v->text = NULL;
	if (store_stats(app->st, app->cat, &s, app_today(app), app->cal, &e) < 0)
		app_store_failed(app, _("the statistics cannot be read"), &e);
	else
		v->text = stats_report(&s, ui_cols() - 2 < 60 ? 60 : ui_cols() - 2);
	stats_free(&s);
	split(v);
	v->top = 0;
}

/* The period around today. */
static void set_period(struct stats_view *v, enum period p)
{
	struct tb_date today = app_today(v->app);
	int wd = tb_date_weekday(today);

	v->period = p;
	v->from = v->to = today;
	if (p == P_WEEK) {
		v->from = tb_date_add_days(today, -(wd == 0 ? 6 : wd - 1)); /* Monday */
		v->to = tb_date_add_days(v->from, 6);
	} else if (p == P_MONTH) {
		v->from.d = 1;
		v->to.d = tb_date_days_in_month(today.y, today.m);
	}
	compute(v);
}

static void draw(void *screen)
{
	struct stats_view *v = screen;
	int y = 1, i;

	erase();
	app_draw_frame(v->app, _("Statistics"));
	for (i = v->top; i < v->n && y <= ui_body_bottom(); i++, y++)
		ui_put(y, 1, ui_cols() - 2, v->lines[i], 0);
	ui_keys_line(stats_keys, N_KEYS);
	curs_set(0);
}

static int st_period(void *screen, const void *arg)
{
	set_period(screen, *(const enum period *)arg);
	return UI_STAY;
}

/* F5: the clerk's own range. */
static int st_range(void *screen, const void *arg)
{
	struct stats_view *v = screen;
	char from[TB_DATE_LEN], to[TB_DATE_LEN], *a, *b;
	struct tb_date f, t;

	(void)arg;
	tb_date_format(v->from, from);
	tb_date_format(v->to, to);
	if ((a = app_prompt(v->app, _("From (YYYY-MM-DD): "), from, 10)) == NULL)
		return UI_STAY;
	b = app_prompt(v->app, _("To (YYYY-MM-DD): "), to, 10);
	if (b && tb_date_parse(a, &f) == 0 && tb_date_parse(b, &t) == 0 && tb_date_cmp(f, t) <= 0) {
		v->period = P_RANGE;
		v->from = f;
		v->to = t;
		compute(v);
	} else if (b) {
		app_say(v->app, true, "%s",
		        _("dates are YYYY-MM-DD and the range must not end before it starts"));
	}
	free(a);
	free(b);
	return UI_STAY;
}

static int st_scroll(void *screen, const void *arg)
{
	struct stats_view *v = screen;
	int by = *(const int *)arg, page = ui_body_bottom() - 2, room = ui_body_bottom();

	v->top += by == 2 ? page : by == -2 ? -page : by;
	if (v->top > v->n - room)
		v->top = v->n - room;
	if (v->top < 0)
		v->top = 0;
	return UI_STAY;
}

static int st_back(void *screen, const void *arg)
{
	struct stats_view *v = screen;

	(void)arg;
	v->app->msg[0] = '\0';
	return SCREEN_HOME;
}

static int st_keys_page(void *screen, const void *arg)
{
	struct stats_view *v = screen;

	(void)arg;
	app_help(v->app, _("Statistics: keys"), stats_keys, N_KEYS, stats_help);
	return UI_STAY;
}

enum screen_id screen_stats(struct app *app)
{
	static const struct screen_ops ops = {draw, NULL, NULL};
	struct stats_view v;
	enum screen_id next;

	memset(&v, 0, sizeof v);
	v.app = app;
	set_period(&v, P_DAY);
	next = app_screen_loop(app, stats_keys, N_KEYS, &v, &ops);
	free(v.lines);
	free(v.text);
	return next;
}
