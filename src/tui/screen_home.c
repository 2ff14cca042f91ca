/*
 * screen_home.c - the clerk's work queue, most urgent first (core/queue.h):
 * red and yellow cases, 待补正 with the days waited and those past their
 * supply-by date, commitments to verify, results to hand out, follow-ups of
 * bad ratings, sync problems; counts per group at the top, Enter opens the
 * case.  Above it the window's identity, the menu, the unfinished draft and
 * what the clerk must know about the data.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/draft.h"
#include "core/i18n.h"
#include "core/idcard.h"
#include "core/joint.h"
#include "core/queue.h"
#include "tui/app.h"
#include "tui/ui.h"

#define QUEUE_ROWS_MAX 500 /* rows kept for the list; the counts cover every case */

/* One row of the queue. */
struct qrow {
	struct queue_entry q;
	char case_id[40];
	char case_no[64];
	char name[128]; /* masked */
	char item[256];
};

struct home {
	struct app *app;
	char draft[512]; /* "事项 · 申请人" of the stored draft, "" when none */
	bool discard;    /* F2 was pressed once over a draft */
	bool leave;      /* F10 was pressed once over a draft only in memory */
	bool end_shift;  /* F8 was pressed once over a draft only in memory */
	struct qrow *rows;
	/* while the queue is read: the rows as a heap, the least urgent on top,
	 * so a case more urgent than all kept replaces it in log time */
	int heap[QUEUE_ROWS_MAX];
	int n, sel, top;
	int counts[QG_N];
	long long read_at; /* the database's change counter when the queue was read */
	struct tb_date read_on;
	bool read_ok;
};

static int home_new(void *screen, const void *arg);
static int home_resume(void *screen, const void *arg);
static int home_go(void *screen, const void *arg);
static int home_quit(void *screen, const void *arg);
static int home_sync(void *screen, const void *arg);
static int home_keys_page(void *screen, const void *arg);
static int home_open(void *screen, const void *arg);
static int home_move(void *screen, const void *arg);
static int home_logout(void *screen, const void *arg);

static const enum screen_id to_cases = SCREEN_CASES, to_problems = SCREEN_PROBLEMS,
                            to_stats = SCREEN_STATS, to_quit = SCREEN_QUIT;
static const int up = -1, down = 1, page_up = -10, page_down = 10, to_first = -QUEUE_ROWS_MAX,
                 to_last = QUEUE_ROWS_MAX;

static const struct ui_action home_keys[] = {
    {UK_F2, "F2", N_("intake"), home_new, NULL},
    {UK_F4, "F4", N_("draft"), home_resume, NULL},
    {UK_F3, "F3", N_("find"), home_go, &to_cases},
    {UK_F5, "F5", N_("sync"), home_sync, NULL},
    {UK_F6, "F6", N_("problems"), home_go, &to_problems},
    {UK_F7, "F7", N_("stats"), home_go, &to_stats},
    {UK_F8, "F8", N_("end shift"), home_logout, NULL},
    {UK_F10, "F10", N_("quit"), home_quit, NULL},
    {UK_F1, "", "", home_keys_page, NULL},
    {UK_ENTER, "", "", home_open, NULL},
    {UK_UP, "", "", home_move, &up},
    {UK_DOWN, "", "", home_move, &down},
    {UK_PGUP, "", "", home_move, &page_up},
    {UK_PGDN, "", "", home_move, &page_down},
    {UK_HOME, "", "", home_move, &to_first},
    {UK_END, "", "", home_move, &to_last},
    {UK_HANGUP, "", "", home_go, &to_quit},
};

static const char *const home_help[] = {
    N_("the queue, most urgent first: red, yellow, supplement overdue, awaiting supplement, "
       "to verify, to hand out, follow-ups, sync problems"),
    N_("Up/Down PgUp/PgDn Home/End choose, Enter opens the case; F6 sync problems"),
    N_("F8 ends the shift: the next clerk logs in, unsent cases are still sent, a draft stays its "
       "clerk's"),
    N_("names and numbers are masked in lists"),
    NULL,
};
#define N_KEYS ((int)(sizeof home_keys / sizeof home_keys[0]))

/* The stored draft as "事项 · 申请人", or "" when there is none. */
static void draft_summary(struct home *h)
{
	struct app *app = h->app;
	char *body = NULL;
	struct draft *d = NULL;
	const struct item *it;

	h->draft[0] = '\0';
	if (app_has_unsaved(app))
		d = draft_decode(app->unsaved_draft);
	else if (store_draft_load(app->st, app->clerk.id, &body, NULL) == 1)
		d = draft_decode(body);
	free(body);
	if (d == NULL)
		return;
	if ((it = catalogue_find(app->cat, draft_item_code(d))) != NULL) {
		const char *who = draft_value(d, "name");

		snprintf(h->draft, sizeof h->draft, "%s · %s%s", i18n_data(it->name),
		         who[0] ? who : _("(no name)"),
		         app_has_unsaved(app) ? _(" (in memory only, not saved)") : "");
	} else {
		/* never hide a draft: F2 would discard it without a word */
		snprintf(h->draft, sizeof h->draft, _("item %s is no longer in the catalogue"),
		         draft_item_code(d));
	}
	draft_free(d);
}

/* ---- the queue --------------------------------------------------------------- */

static struct queue_case queue_case_of(const struct case_row *r)
{
	struct queue_case c;

	c.state = r->state;
	c.outcome = r->outcome;
	c.received_on = r->received_on;
	c.due = r->due_date;
	c.supply_by = r->supply_by;
	c.commit_due = r->commit_due;
	c.follow_up_due = r->follow_up_due;
	c.done_on = r->done_on;
	c.verified = r->verified;
	c.follow_up_open = r->follow_up_open;
	c.green = r->green_cert[0] != '\0';
	c.joint_parts = c.joint_waiting = 0;
	c.joint_waiting_depts = c.joint_refused_by = c.joint_approved = NULL;
	return c;
}

struct collect {
	struct home *h;
	struct tb_date today;
};

/* The queue's order: most urgent first; among equals by case number
 * (so the list, and which rows are kept past QUEUE_ROWS_MAX, never depend on
 * the order the database gave). */
static int entry_cmp(const struct queue_entry *a, const char *a_no, const struct queue_entry *b,
                     const char *b_no)
{
	int d = queue_entry_cmp(a, b);

	return d ? d : strcmp(a_no, b_no);
}

static int row_cmp(const struct qrow *a, const struct qrow *b)
{
	return entry_cmp(&a->q, a->case_no, &b->q, b->case_no);
}

/* Whether heap place a holds a less urgent row than place b. */
static bool heap_above(const struct home *h, int a, int b)
{
	return row_cmp(&h->rows[h->heap[a]], &h->rows[h->heap[b]]) > 0;
}

static void heap_swap(struct home *h, int a, int b)
{
	int t = h->heap[a];

	h->heap[a] = h->heap[b];
	h->heap[b] = t;
}

static void heap_up(struct home *h, int i)
{
	while (i > 0 && heap_above(h, i, (i - 1) / 2)) {
		heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(struct home *h, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, top = i;

		if (l < h->n && heap_above(h, l, top))
			top = l;
		if (r < h->n && heap_above(h, r, top))
			top = r;
		if (top == i)
			return;
		heap_swap(h, i, top);
		i = top;
	}
}

static void add_row(struct home *h, const struct queue_entry *q, const char *id, const char *no,
                    const char *name, const char *item)
{
	struct qrow *r;
	char *masked;
	bool full = h->n == QUEUE_ROWS_MAX;

	h->counts[q->group]++;
	if (full) {
		/* keep the most urgent: replace the least urgent kept when this one
		 * comes before it */
		const struct qrow *top = &h->rows[h->heap[0]];

		if (entry_cmp(q, no, &top->q, top->case_no) >= 0)
			return;
		r = &h->rows[h->heap[0]];
	} else {
		h->heap[h->n] = h->n;
		r = &h->rows[h->n++];
	}
	r->q = *q;
	str_copy(r->case_id, sizeof r->case_id, id);
	str_copy(r->case_no, sizeof r->case_no, no);
	masked = name_mask(name);
	str_copy(r->name, sizeof r->name, masked ? masked : "");
	free(masked);
	str_copy(r->item, sizeof r->item, item);
	if (full)
		heap_down(h, 0);
	else
		heap_up(h, h->n - 1);
}

static int collect_case(void *arg, const struct case_row *r)
{
	struct collect *c = arg;
	struct app *app = c->h->app;
	struct queue_case qc = queue_case_of(r);
	struct queue_entry q;
	struct joint_view v;
	const struct item *it = catalogue_find(app->cat, r->item_code);
	char waiting[512], approved[512];
	char item[sizeof r->bundle_name + sizeof r->item_name + 4];

	/* a part of a 一件事 says which bundle it belongs to */
	snprintf(item, sizeof item, "%s%s%s", i18n_data(r->bundle_name),
	         r->bundle_name[0] ? "·" : "", i18n_data(r->item_name));
	/* 并联审批: who is still to decide, who refused, what was approved */
	if (it != NULL && it->joint_depts[0] != '\0' &&
	    store_case_joint(app->st, r->id, it, &v, NULL) == 0 && v.n > 0) {
		const struct joint_part *refused = joint_view_refused(&v);

		qc.joint_parts = v.n;
		qc.joint_waiting = joint_view_count(&v, "");
		qc.joint_waiting_depts = joint_view_depts(&v, "", waiting, sizeof waiting);
		qc.joint_refused_by = refused ? i18n_data(refused->dept) : NULL;
		qc.joint_approved =
		    v.partial ? joint_view_depts(&v, "approve", approved, sizeof approved) : NULL;
	}
	if (queue_classify(&qc, app->cal, c->today, app->cfg.yellow_days, &q) == 1)
		add_row(c->h, &q, r->id, r->case_no, r->name, item);
	return 0;
}

static int cmp_rows(const void *a, const void *b)
{
	return row_cmp(a, b);
}

/* The sync problems, one row per case. */
static void add_problems(struct home *h)
{
	struct outbox_problem *p = xcalloc(100, sizeof *p);
	int n = store_outbox_problems(h->app->st, p, 100, NULL), i;

	for (i = 0; i < n; i++) {
		struct queue_entry q;

		if (i > 0 && strcmp(p[i].case_id, p[i - 1].case_id) == 0)
			continue;
		memset(&q, 0, sizeof q);
		q.group = QG_SYNC;
		snprintf(q.why, sizeof q.why, _("refused by the server: %s"), p[i].reason);
		snprintf(q.brief, sizeof q.brief, "%s", _("server refused"));
		add_row(h, &q, p[i].case_id, p[i].case_no, "", "");
	}
	free(p);
}

/* Read the queue again when the database or the day changed. */
static void load_queue(struct home *h)
{
	struct app *app = h->app;
	struct collect c = {h, app_today(app)};
	long long at = store_change_counter(app->st);
	struct err e = {0};

	if (h->read_ok && at == h->read_at && tb_date_cmp(c.today, h->read_on) == 0)
		return;
	h->n = 0;
	memset(h->counts, 0, sizeof h->counts);
	if (store_case_open(app->st, collect_case, &c, &e) < 0) {
		app_store_failed(app, _("the queue cannot be read"), &e);
		h->read_ok = false;
		return;
	}
	add_problems(h);
	qsort(h->rows, (size_t)h->n, sizeof *h->rows, cmp_rows);
	h->read_ok = true;
	h->read_at = at;
	h->read_on = c.today;
	if (h->sel >= h->n)
		h->sel = h->n > 0 ? h->n - 1 : 0;
}

/* ---- drawing ------------------------------------------------------------------ */

static void draw_identity(struct app *app, int *y)
{
	char line[512];

	/* the terminal code is part of every case number made here (tongban(1)) */
	snprintf(line, sizeof line, _("Clerk: %s (%s)  window %s  Terminal: %s%s"), app->clerk.name,
	         app->clerk.id, app->clerk.window, app->terminal,
	         app->terminal[0] == 'L' ? _(" (local, until an online login brings one)") : "");
	ui_put((*y)++, 1, ui_cols() - 2, line, 0);
	ui_put((*y)++, 1, ui_cols() - 2,
	       _("[F2] New intake  [F3] Find a case  [F7] Statistics  [F8] End shift  [F10] Quit"),
	       A_BOLD);
}

/* What the clerk must know about the data: a damaged, read-only database,
 * data that did not load.  Returns the next free row. */
static int draw_warnings(struct app *app, int y)
{
	char line[1200];

	if (app->db_damaged) {
		/* the one thing to do, with its exact command */
		ui_put(
		    y++, 1, ui_cols() - 2,
		    _("The local database is damaged and no longer written. IT salvages it with:"),
		    ui_attr_error());
		/* two lines, so a long path is never cut: the shell takes them as one */
		snprintf(line, sizeof line, "  tongban --db %s \\", app->db_path);
		ui_put(y++, 1, ui_cols() - 2, line, ui_attr_error());
		ui_put(y++, 1, ui_cols() - 2, _("      db recover NEW.db"), ui_attr_error());
	} else if (app->db_readonly) {
		ui_put(y++, 1, ui_cols() - 2,
		       _("The local database is read-only: view and reprint, nothing is saved"),
		       ui_attr_error());
	}
	if (app->load_error[0]) {
		ui_put(y++, 1, ui_cols() - 2, _("Data file error:"), ui_attr_error());
		ui_put(y++, 1, ui_cols() - 2, app->load_error, ui_attr_error());
	}
	return y;
}

/* "待办 9 件：红灯 2  黄灯 1 ..." (the groups that have cases). */
static void draw_counts(const struct home *h, int y)
{
	char line[512];
	size_t len;
	int g, total = 0;

	for (g = 0; g < QG_N; g++)
		total += h->counts[g];
	if (total == 0) {
		ui_put(y, 1, ui_cols() - 2, _("Queue: nothing needs the window now"), A_BOLD);
		return;
	}
	if (total > h->n) /* past QUEUE_ROWS_MAX: F3 finds the others */
		snprintf(line, sizeof line, _("Queue %d (the %d most urgent listed): "), total,
		         h->n);
	else
		snprintf(line, sizeof line, _("Queue %d: "), total);
	for (g = 0; g < QG_N; g++) {
		len = strlen(line);
		if (h->counts[g] > 0)
			snprintf(line + len, sizeof line - len, "%s %d  ",
			         queue_group_label((enum queue_group)g), h->counts[g]);
	}
	ui_put(y, 1, ui_cols() - 2, line, A_BOLD);
}

static void draw_row(const struct qrow *r, int y, bool sel)
{
	char tag[32], no[64], name[32], item[64], when[8] = "", line[1024], label[64];
	int attr = r->q.group == QG_RED || r->q.group == QG_SUPPLY_OVERDUE || r->q.group == QG_SYNC
	               ? ui_attr_error()
	               : 0;

	snprintf(label, sizeof label, "%s%s", r->q.green ? _("G ") : "",
	         queue_group_tag(r->q.group));
	ui_pad_text(tag, sizeof tag, label, 10);
	ui_pad_text(no, sizeof no, r->case_no, 25);
	ui_pad_text(name, sizeof name, r->name, 6);
	ui_pad_text(item, sizeof item, r->item, 12);
	if (r->q.date.y)
		snprintf(when, sizeof when, "%02d-%02d", r->q.date.m, r->q.date.d);
	snprintf(line, sizeof line, "%s %-5s %s %s %s %s", tag, when, no, name, item,
	         r->q.brief[0] ? r->q.brief : r->q.why);
	ui_put_pad(y, 1, ui_cols() - 2, line, sel ? ui_attr_select() : attr);
}

static void draw_home(struct home *h)
{
	struct app *app = h->app;
	struct ui_action keys[N_KEYS];
	int y = 1, i, n = 0, room, bottom = ui_body_bottom();
	char line[1024];

	erase();
	app_draw_frame(app, _("tongban · queue"));
	draw_identity(app, &y);
	if (h->draft[0]) {
		snprintf(line, sizeof line, "%s%s", _("[F4] Resume draft: "), h->draft);
		ui_put(y++, 1, ui_cols() - 2, line, ui_attr_error());
	}
	y = draw_warnings(app, y);
	draw_counts(h, y++);
	room = bottom - y; /* the last body row tells the selected row in full */
	if (h->n > 0 && room > 1) {
		if (h->sel < h->top)
			h->top = h->sel;
		if (h->sel >= h->top + room - 1)
			h->top = h->sel - room + 2;
		for (i = h->top; i < h->n && y < bottom; i++, y++)
			draw_row(&h->rows[i], y, i == h->sel);
		snprintf(line, sizeof line, "%s  %s  %s", h->rows[h->sel].case_no,
		         h->rows[h->sel].item, h->rows[h->sel].q.why);
		ui_put_pad(bottom, 1, ui_cols() - 2, line, ui_attr_dim());
	}
	/* without a draft, F4 is left off the keys line */
	for (i = 0; i < N_KEYS; i++)
		if (home_keys[i].key != UK_F4 || h->draft[0])
			keys[n++] = home_keys[i];
	ui_keys_line(keys, n);
	move(ui_body_bottom(), 0);
	curs_set(0);
}

static int home_new(void *screen, const void *arg)
{
	struct home *h = screen;
	struct app *app = h->app;
	struct err e = {0};

	(void)arg;
	if (app->cat == NULL || app->intake == NULL) {
		app_say(app, true, "%s", _("catalogue or form not loaded"));
		return UI_STAY;
	}
	if (h->draft[0] && !h->discard) {
		app_say(app, true, "%s", _("a draft is open: F4 resumes it; F2 again discards it"));
		h->discard = true;
		return UI_STAY;
	}
	if (h->draft[0] && !app_has_unsaved(app) &&
	    store_draft_clear(app->st, app->clerk.id, &e) < 0) {
		app_store_failed(app, _("the draft could not be discarded"), &e);
		return UI_STAY;
	}
	app_keep_unsaved(app, NULL);
	app->msg[0] = '\0';
	return SCREEN_ITEM;
}

static int home_resume(void *screen, const void *arg)
{
	struct home *h = screen;

	(void)arg;
	if (h->draft[0] == '\0')
		return UI_STAY;
	h->app->resume_draft = true;
	h->app->msg[0] = '\0';
	return SCREEN_COUNTER;
}

static int home_go(void *screen, const void *arg)
{
	struct home *h = screen;
	enum screen_id to = *(const enum screen_id *)arg;

	if (to != SCREEN_QUIT)
		h->app->msg[0] = '\0';
	return to;
}

/* F10: quit -- twice when a draft is only in memory, since it goes with us. */
static int home_quit(void *screen, const void *arg)
{
	struct home *h = screen;

	(void)arg;
	if (app_has_unsaved(h->app) && !app_save_unsaved(h->app) && !h->leave) {
		app_say(
		    h->app, true, "%s",
		    _("a draft could not be saved and goes with the program: F10 again to quit"));
		h->leave = true;
		return UI_STAY;
	}
	return SCREEN_QUIT;
}

static int home_sync(void *screen, const void *arg)
{
	struct home *h = screen;

	(void)arg;
	if (h->app->sync)
		sync_helper_poke(h->app->sync);
	app_say(h->app, false, "%s", _("sync started"));
	return UI_STAY;
}

static int home_keys_page(void *screen, const void *arg)
{
	struct home *h = screen;

	(void)arg;
	app_help(h->app, _("Queue: keys"), home_keys, N_KEYS, home_help);
	return UI_STAY;
}

static int home_open(void *screen, const void *arg)
{
	struct home *h = screen;

	(void)arg;
	load_queue(h); /* not read when the key was typed ahead (draw) */
	if (h->n == 0)
		return UI_STAY;
	if (h->rows[h->sel].q.group == QG_SYNC)
		return SCREEN_PROBLEMS;
	return app_open_record(h->app, h->rows[h->sel].case_id, SCREEN_HOME);
}

static int home_move(void *screen, const void *arg)
{
	struct home *h = screen;
	int to;

	load_queue(h);
	to = h->sel + *(const int *)arg;
	if (h->n == 0)
		return UI_STAY;
	h->sel = to < 0 ? 0 : to >= h->n ? h->n - 1 : to;
	return UI_STAY;
}

/* F8: the shift ends -- twice when a draft is only in memory, since the
 * next clerk's work cannot keep it. */
static int home_logout(void *screen, const void *arg)
{
	struct home *h = screen;

	(void)arg;
	if (app_has_unsaved(h->app) && !app_save_unsaved(h->app) && !h->end_shift) {
		app_say(
		    h->app, true, "%s",
		    _("a draft could not be saved and is lost at the end of the shift: F8 again"));
		h->end_shift = true;
		return UI_STAY;
	}
	if (app_has_unsaved(h->app))
		app_keep_unsaved(h->app, NULL);
	app_logout(h->app);
	return SCREEN_QUIT;
}

/* Between cases: the place to switch to a newer catalogue or calendar. */
static void maybe_reload(struct app *app)
{
	struct agent_status as;

	if (app->sync == NULL)
		return;
	sync_helper_status(app->sync, &as);
	if (as.updates_waiting)
		app_reload_data(app);
}

/*
 * Before each key: a newer catalogue, the draft as it is now, the screen.
 * With keys typed ahead (a clerk or a scanner starting the next intake at
 * once) the queue is neither read nor drawn: the next key would only replace
 * it.  The keys that use its rows read it first (home_open, home_move).
 */
static void draw(void *screen)
{
	struct home *h = screen;

	maybe_reload(h->app);
	draft_summary(h);
	if (ui_keys_waiting())
		return;
	load_queue(h);
	draw_home(h);
}

/* A second F2 discards the draft only right after the first. */
static void seen(void *screen, struct ui_key k)
{
	struct home *h = screen;

	if (k.code != UK_F2)
		h->discard = false;
	if (k.code != UK_F10)
		h->leave = false;
	if (k.code != UK_F8)
		h->end_shift = false;
}

/* While idle: a draft kept in memory is saved as soon as the database takes it. */
static void home_idle(void *screen)
{
	struct home *h = screen;

	app_save_unsaved(h->app);
	/* a pulled decision, a sync problem: the queue shows it without a key */
	if (!h->app->prompting && h->read_ok && store_change_counter(h->app->st) != h->read_at) {
		draw(h);
		refresh();
	}
}

enum screen_id screen_home(struct app *app)
{
	static const struct screen_ops ops = {draw, seen, NULL};
	struct home h;

	enum screen_id next;

	memset(&h, 0, sizeof h);
	h.app = app;
	h.rows = xcalloc(QUEUE_ROWS_MAX, sizeof *h.rows);
	app_screen_set(app, &h, home_idle, NULL);
	next = app_screen_loop(app, home_keys, N_KEYS, &h, &ops);
	app_screen_clear(app);
	free(h.rows);
	return next;
}
