/*
 * screen_cases.c - finding a case as the clerk types (core/casequery.h): by
 * case number (local or official, any part), ID number (whole or its last
 * 4-6 characters), name or pinyin initials, phone (last 4 digits), item
 * (code, name, initials) or date (2026-11, 2026-11-01..2026-11-30).  Local
 * cases come at once; online, the hall's cases on tongband follow (the sync
 * agent asks, GET /v1/cases?query=), merged and marked.  Enter opens the
 * case's record.  With nothing typed: the newest cases.
 */
#include <curses.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/casequery.h"
#include "core/casestate.h"
#include "core/i18n.h"
#include "core/idcard.h"
#include "core/supervision.h"
#include "tui/app.h"
#include "tui/field.h"
#include "tui/fieldview.h"
#include "tui/ui.h"

#define CASES_MAX          200 /* local rows shown */
#define ONLINE_MAX         100
#define CASES_SHORT_NEWEST 20000 /* a lone 1-2 character word looks at these newest */

struct hit {
	struct case_row r;
	bool online; /* on the server only: this PC does not hold it */
};

struct cases {
	struct app *app;
	struct field_edit q;
	char query[512];   /* the text the list was found for */
	char problem[256]; /* why the query is not one ("2026-13-01") */
	struct hit *hits;
	int n, n_local, sel, top;
	bool online_merged; /* the server's answer for query is in */
	bool online_failed;
};

static int cases_open(void *screen, const void *arg);
static int cases_move(void *screen, const void *arg);
static int cases_back(void *screen, const void *arg);
static int cases_keys_page(void *screen, const void *arg);

static const int up = -1, down = 1, page_up = -10, page_down = 10;

static const struct ui_action cases_keys[] = {
    {UK_ENTER, "Enter", N_("open"), cases_open, NULL},
    {UK_UP, "↑↓", N_("choose"), cases_move, &up},
    {UK_ESC, "Esc", N_("back"), cases_back, NULL},
    {UK_F1, "F1", N_("keys"), cases_keys_page, NULL},
    {UK_DOWN, "", "", cases_move, &down},
    {UK_PGUP, "", "", cases_move, &page_up},
    {UK_PGDN, "", "", cases_move, &page_down},
    {UK_F10, "", "", cases_back, NULL},
    {UK_HANGUP, "", "", app_action_quit, NULL},
};
#define N_KEYS ((int)(sizeof cases_keys / sizeof cases_keys[0]))

static const char *const cases_help[] = {
    N_("type to find: any part of the case or official number, the ID number (whole or its last "
       "4-6), the name or its pinyin initials, the phone's last 4 digits, the item, a date"),
    N_("dates: 2026-11-30, 2026-11 (a month), 2026-11-01..2026-11-30; words separated by blanks "
       "must all match"),
    N_("online, the hall's cases on the server are searched too: those marked server are not on "
       "this PC"),
    N_("RED: past the promised date or a commitment's due date; YELLOW: few working days left"),
    N_("numbers and names are masked in the list; the record shows them in full (recorded)"),
    NULL,
};

static const char *state_label(const char *name)
{
	enum case_state s;

	return casestate_from_name(name, &s) == 0 ? casestate_label(s) : name;
}

/* The supervision flag of a case as the list shows it, "" when none. */
static void case_flag(struct app *app, const struct case_row *r, char *out, size_t n)
{
	struct supervision s = supervision_of(app->cal, app_today(app), app->cfg.yellow_days,
	                                      r->state, r->created_at, r->due_date, r->commit_due);
	const char *what = s.commitment ? _("commitment ") : "";

	switch (s.flag) {
	case SUP_DEEMED:
		snprintf(out, n, "%s", _("5 days undecided"));
		break;
	case SUP_RED:
		snprintf(out, n, "%s %s%s", _("RED"), what, _(" overdue"));
		break;
	case SUP_YELLOW:
		snprintf(out, n, "%s %s%d-%d", _("YELLOW"), what, s.date.m, s.date.d);
		break;
	default:
		out[0] = '\0';
	}
}

static void draw_hit(struct app *app, const struct hit *h, int y, bool sel)
{
	const struct case_row *r = &h->r;
	char no[64], name[64], state[64], flag[128], line[1024], *mid = idcard_mask(r->id_number),
	                                                         *mname = name_mask(r->name);

	ui_pad_text(no, sizeof no, r->case_no, 26);
	ui_pad_text(name, sizeof name, mname ? mname : "", 8);
	ui_pad_text(state, sizeof state, h->online ? _("server") : state_label(r->state), 10);
	if (h->online)
		snprintf(flag, sizeof flag, "%s", state_label(r->state));
	else
		case_flag(app, r, flag, sizeof flag);
	snprintf(line, sizeof line, "%s %s %s %-18s %s%s%s", no, name, state, mid ? mid : "", flag,
	         flag[0] ? " " : "", i18n_data(r->item_name));
	free(mid);
	free(mname);
	ui_put_pad(y, 1, ui_cols() - 2, line,
	           sel ? ui_attr_select()
	               : (h->online ? ui_attr_dim()
	                  : flag[0] ? ui_attr_error()
	                            : 0));
}

/* Under the list: the selected case's numbers and application date. */
static void draw_numbers(const struct hit *h, int y)
{
	char line[512];

	snprintf(line, sizeof line, _("Case %s    official no. %s    received %s"), h->r.case_no,
	         h->r.official_no[0] ? h->r.official_no : _("assigned by the server after sync"),
	         h->r.received_on[0] ? h->r.received_on : "-");
	ui_put_pad(y, 1, ui_cols() - 2, line, ui_attr_dim());
}

static void draw(void *screen)
{
	struct cases *v = screen;
	struct app *app = v->app;
	int i, y = 4, room = ui_body_bottom() - 4, cx;
	char line[256];

	erase();
	app_draw_frame(app, _("Find a case"));
	ui_put(1, 1, 8, _("Find:"), A_BOLD);
	if (v->problem[0])
		ui_put(2, 1, ui_cols() - 2, v->problem, ui_attr_error());
	else
		ui_put(2, 1, ui_cols() - 2,
		       _("number / ID tail / name or initials / phone tail / item / 2026-11"),
		       ui_attr_dim());
	ui_put(3, 1, ui_cols() - 2,
	       _("Case number                Applicant State      ID number          Item"),
	       A_BOLD);
	if (v->sel < v->top)
		v->top = v->sel;
	if (room > 0 && v->sel >= v->top + room)
		v->top = v->sel - room + 1;
	for (i = v->top; i < v->n && y < ui_body_bottom(); i++, y++)
		draw_hit(app, &v->hits[i], y, i == v->sel);
	if (v->n > 0) {
		draw_numbers(&v->hits[v->sel], ui_body_bottom());
	} else {
		snprintf(line, sizeof line, "%s",
		         v->query[0] ? _("no case matches") : _("no cases yet"));
		ui_put(y, 2, ui_cols() - 4, line, ui_attr_dim());
	}
	ui_keys_line(cases_keys, N_KEYS);
	cx = fieldview_draw(1, 8, ui_cols() - 10, &v->q, true, false);
	move(1, cx);
	curs_set(1);
}

static int add_local(void *arg, const struct case_row *r)
{
	struct cases *v = arg;

	if (v->n < CASES_MAX) {
		v->hits[v->n].r = *r;
		v->hits[v->n].online = false;
		v->n++;
	}
	return 0;
}

/* The local cases for the text in the field, at once; the server is asked. */
static void find(struct cases *v)
{
	struct app *app = v->app;
	struct casequery q;
	struct err e = {0};
	char *text = field_text(&v->q);

	str_copy(v->query, sizeof v->query, text);
	free(text);
	v->n = v->n_local = 0;
	v->sel = v->top = 0;
	v->problem[0] = '\0';
	v->online_merged = v->online_failed = false;
	if (casequery_parse(v->query, &q, v->problem, sizeof v->problem) < 0)
		return;
	casequery_items(&q, app->cat);
	q.newest = CASES_SHORT_NEWEST;
	/* nothing typed: the newest cases */
	if (store_case_search(app->st, &q, CASES_MAX, add_local, v, &e) < 0)
		app_store_failed(app, _("cases cannot be read"), &e);
	v->n_local = v->n;
	if (app->sync && !casequery_empty(&q))
		sync_helper_search(app->sync, v->query);
}

static const char *obj_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
	           ? json_object_get_string(v)
	           : "";
}

static bool held_here(const struct cases *v, const char *id)
{
	int i;

	for (i = 0; i < v->n_local; i++)
		if (strcmp(v->hits[i].r.id, id) == 0)
			return true;
	return false;
}

/* The server's cases not held here, after the local ones. */
static void merge_online(struct cases *v, const char *body)
{
	struct json_object *root = json_tokener_parse(body), *list;
	size_t i, n;

	if (root == NULL || !json_object_object_get_ex(root, "cases", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		json_object_put(root);
		v->online_failed = true;
		return;
	}
	n = json_object_array_length(list);
	for (i = 0; i < n && i < ONLINE_MAX && v->n < CASES_MAX + ONLINE_MAX; i++) {
		struct json_object *o = json_object_array_get_idx(list, i);
		struct case_row *r = &v->hits[v->n].r;

		if (!json_object_is_type(o, json_type_object) || held_here(v, obj_str(o, "id")))
			continue;
		memset(r, 0, sizeof *r);
		str_copy(r->id, sizeof r->id, obj_str(o, "id"));
		str_copy(r->case_no, sizeof r->case_no, obj_str(o, "case_no"));
		str_copy(r->official_no, sizeof r->official_no, obj_str(o, "official_no"));
		str_copy(r->item_code, sizeof r->item_code, obj_str(o, "item_code"));
		str_copy(r->item_name, sizeof r->item_name, obj_str(o, "item_name"));
		str_copy(r->name, sizeof r->name, obj_str(o, "applicant_name"));
		str_copy(r->id_number, sizeof r->id_number, obj_str(o, "id_number"));
		str_copy(r->state, sizeof r->state, obj_str(o, "state"));
		str_copy(r->received_on, sizeof r->received_on, obj_str(o, "created_at"));
		v->hits[v->n++].online = true;
	}
	json_object_put(root);
}

/* While the clerk pauses: the server's answer, when it came. */
static void cases_idle(void *screen)
{
	struct cases *v = screen;
	char *body = NULL;
	int rc;

	if (v->online_merged || v->online_failed || v->app->sync == NULL || v->query[0] == '\0')
		return;
	rc = sync_helper_search_result(v->app->sync, v->query, &body);
	if (rc == 0)
		return;
	if (rc > 0)
		merge_online(v, body);
	else
		v->online_failed = true;
	v->online_merged = true;
	free(body);
	if (v->n > v->n_local) {
		app_say(v->app, false,
		        _("%d more cases on the server, not on this PC (marked server)"),
		        v->n - v->n_local);
		draw(v);
		refresh();
	}
}

static int cases_open(void *screen, const void *arg)
{
	struct cases *v = screen;
	const struct hit *h = &v->hits[v->sel];

	(void)arg;
	if (v->n == 0)
		return UI_STAY;
	if (h->online) {
		app_say(v->app, false, _("%s is on the server (%s, %s), not here"), h->r.case_no,
		        state_label(h->r.state), i18n_data(h->r.item_name));
		return UI_STAY;
	}
	return app_open_record(v->app, h->r.id, SCREEN_CASES);
}

static int cases_move(void *screen, const void *arg)
{
	struct cases *v = screen;
	int to = v->sel + *(const int *)arg;

	if (v->n > 0)
		v->sel = to < 0 ? 0 : to >= v->n ? v->n - 1 : to;
	return UI_STAY;
}

static int cases_back(void *screen, const void *arg)
{
	(void)screen;
	(void)arg;
	return SCREEN_HOME;
}

static int cases_keys_page(void *screen, const void *arg)
{
	struct cases *v = screen;

	(void)arg;
	app_help(v->app, _("Find a case: keys"), cases_keys, N_KEYS, cases_help);
	return UI_STAY;
}

/* Every other key edits the query; the list follows at once. */
static void cases_type(void *screen, struct ui_key k)
{
	struct cases *v = screen;
	char *before = field_text(&v->q), *after;

	fieldview_edit(&v->q, k);
	after = field_text(&v->q);
	if (strcmp(before, after) != 0)
		find(v);
	free(before);
	free(after);
}

enum screen_id screen_cases(struct app *app)
{
	static const struct screen_ops ops = {draw, NULL, cases_type};
	static char last[512]; /* the query the clerk came back from a record with */
	struct cases v;
	enum screen_id next;

	memset(&v, 0, sizeof v);
	v.app = app;
	v.hits = xcalloc(CASES_MAX + ONLINE_MAX, sizeof *v.hits);
	field_init(&v.q, 100);
	if (app->back_from_record)
		field_set(&v.q, last);
	app->back_from_record = false;
	find(&v);
	app_screen_set(app, &v, cases_idle, NULL);
	next = app_screen_loop(app, cases_keys, N_KEYS, &v, &ops);
	app_screen_clear(app);
	str_copy(last, sizeof last, v.query);
	field_free(&v.q);
	free(v.hits);
	return next;
}
