/*
 * screen_problems.c - the sync problems (同步问题): quarantined events, the
 * server's reason, and a retry per case.  Only that case waits; the rest of
 * the outbox keeps flowing (DESIGN.md, the case log and sync).
 */
#include "tui/screen_problems.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/casestate.h"
#include "core/i18n.h"
#include "tui/ui.h"

#define PROBLEMS_MAX 500

struct problems_view {
	struct app *app;
	struct outbox_problem *rows;
	int n;
	int sel;
	int top;
};

static int problems_retry(void *screen, const void *arg);
static int problems_move(void *screen, const void *arg);
static int problems_back(void *screen, const void *arg);

static const int up = -1, down = 1;

static const struct ui_action problems_keys[] = {
    {UK_ENTER, "Enter/F5", N_("retry case"), problems_retry, NULL},
    {UK_ESC, "Esc", N_("back"), problems_back, NULL},
    {UK_F5, "", "", problems_retry, NULL},
    {UK_F10, "", "", problems_back, NULL},
    {UK_UP, "", "", problems_move, &up},
    {UK_DOWN, "", "", problems_move, &down},
    {UK_HANGUP, "", "", app_action_quit, NULL},
};
#define N_KEYS ((int)(sizeof problems_keys / sizeof problems_keys[0]))

static void load(struct app *app, struct problems_view *v)
{
	struct err e = {0};

	v->n = store_outbox_problems(app->st, v->rows, PROBLEMS_MAX, &e);
	if (v->n < 0) {
		app_store_failed(app, _("the sync problems cannot be read"), &e);
		v->n = 0;
	}
	if (v->sel >= v->n)
		v->sel = v->n > 0 ? v->n - 1 : 0;
}

static const char *event_label(const char *type)
{
	enum case_event_type ev;

	return case_event_from_name(type, &ev) == 0 ? case_event_label(ev) : type;
}

/* "11-25 10:01" of "2026-11-25T10:01:02+08:00". */
static void short_time(const char *iso, char *out, size_t n)
{
	snprintf(out, n, "%.5s %.5s", strlen(iso) >= 10 ? iso + 5 : "",
	         strlen(iso) >= 16 ? iso + 11 : "");
}

static void draw_row(const struct outbox_problem *p, int y, bool sel)
{
	char line[1024], when[16];

	short_time(p->time, when, sizeof when);
	snprintf(line, sizeof line, "%-22s %-10s %s  %s%s", p->case_no, event_label(p->type), when,
	         p->reason, p->held_back > 0 ? _(" (later events held)") : "");
	ui_put_pad(y, 1, ui_cols() - 2, line, sel ? ui_attr_select() : 0);
}

static void draw(void *screen)
{
	struct problems_view *v = screen;
	struct app *app = v->app;
	int i, y = 2, room = ui_body_bottom() - 2;

	erase();
	app_draw_frame(app, _("Sync problems"));
	ui_put(1, 1, ui_cols() - 2,
	       _("Case number            Event      Time         Reason given by the server"),
	       A_BOLD);
	if (v->sel < v->top)
		v->top = v->sel;
	if (room > 0 && v->sel >= v->top + room)
		v->top = v->sel - room + 1;
	for (i = v->top; i < v->n && y <= ui_body_bottom(); i++, y++)
		draw_row(&v->rows[i], y, i == v->sel);
	if (v->n == 0)
		ui_put(y, 2, ui_cols() - 4, _("no sync problems: every event is sent or queued"),
		       ui_attr_dim());
	ui_keys_line(problems_keys, N_KEYS);
	curs_set(0);
}

/* Put the selected case back in the queue after the clerk's fix. */
static int problems_retry(void *screen, const void *arg)
{
	struct problems_view *v = screen;
	const struct outbox_problem *p = &v->rows[v->sel];
	struct err e = {0};
	int n;

	(void)arg;
	if (v->n == 0)
		return UI_STAY;
	if ((n = store_outbox_retry_case(v->app->st, p->case_id, &e)) < 0) {
		app_store_failed(v->app, _("could not queue it again"), &e);
		return UI_STAY;
	}
	app_say(v->app, false, _("case %s: %d event(s) queued again"), p->case_no, n);
	if (v->app->sync)
		sync_helper_poke(v->app->sync);
	load(v->app, v);
	return UI_STAY;
}

static int problems_move(void *screen, const void *arg)
{
	struct problems_view *v = screen;
	int to = v->sel + *(const int *)arg;

	if (to >= 0 && to < v->n)
		v->sel = to;
	return UI_STAY;
}

static int problems_back(void *screen, const void *arg)
{
	(void)screen;
	(void)arg;
	return SCREEN_HOME;
}

/* Any other key refreshes: the agent may have moved on. */
static void refresh_list(void *screen, struct ui_key k)
{
	struct problems_view *v = screen;

	(void)k;
	load(v->app, v);
}

enum screen_id screen_problems(struct app *app)
{
	static const struct screen_ops ops = {draw, NULL, refresh_list};
	struct problems_view v = {app, xcalloc(PROBLEMS_MAX, sizeof *v.rows), 0, 0, 0};
	enum screen_id next;

	load(app, &v);
	next = app_screen_loop(app, problems_keys, N_KEYS, &v, &ops);
	free(v.rows);
	return next;
}
