/*
 * screen_item.c - choose the service item: type a code, part of the name or
 * pinyin initials (jzlj -> 建筑垃圾处置许可); Up/Down and Enter.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/bundle.h"
#include "core/i18n.h"
#include "tui/app.h"
#include "tui/fieldview.h"
#include "tui/ui.h"

#define ITEM_MAX 500

struct picker;
static int item_choose(void *screen, const void *arg);
static int item_move(void *screen, const void *arg);
static int item_back(void *screen, const void *arg);
static int item_keys_page(void *screen, const void *arg);

static const int up = -1, down = 1, page_up = -10, page_down = 10;

static const struct ui_action item_keys[] = {
    {UK_ENTER, "Enter", N_("choose this item"), item_choose, NULL},
    {UK_UP, "↑↓", N_("move"), item_move, &up},
    {UK_DOWN, "", "", item_move, &down},
    {UK_PGUP, "PgUp/PgDn", N_("page"), item_move, &page_up},
    {UK_PGDN, "", "", item_move, &page_down},
    {UK_ESC, "Esc", N_("back"), item_back, NULL},
    {UK_F10, "", "", item_back, NULL},
    {UK_F1, "F1", N_("keys"), item_keys_page, NULL},
    {UK_HANGUP, "", "", app_action_quit, NULL},
};
#define N_KEYS ((int)(sizeof item_keys / sizeof item_keys[0]))

static const char *const item_help[] = {
    N_("type a code, part of the name or its pinyin initials (jzlj finds the construction "
       "waste permit)"),
    N_("best matches first"),
    N_("PgUp/PgDn page"),
    NULL,
};

struct picker {
	struct app *app;
	struct field_edit query;
	struct catalogue_hits hits; /* narrowed as the query grows */
	const struct item *found[ITEM_MAX];
	size_t n;
	size_t sel;
	size_t top;
};

/* 一件事 first (core/bundle.h: each shown as its union item), then the items. */
static void search(struct app *app, struct picker *p)
{
	char *q = field_text(&p->query);
	const struct bundle *b[BUNDLE_MAX_ITEMS];
	size_t nb = bundle_search(app->cat ? app->cat->bundles : NULL,
	                          app->cat ? app->cat->pinyin : NULL, q, b, BUNDLE_MAX_ITEMS),
	       i, n;

	nb = nb > BUNDLE_MAX_ITEMS ? BUNDLE_MAX_ITEMS : nb;
	for (i = 0; i < nb; i++)
		p->found[i] = &b[i]->item;
	n = nb + catalogue_search_hits(app->cat, q, &p->hits, p->found + nb, ITEM_MAX - nb);
	p->n = n > ITEM_MAX ? ITEM_MAX : n;
	if (p->sel >= p->n)
		p->sel = p->n ? p->n - 1 : 0;
	free(q);
}

static void limit_text(const struct item *it, char *out, size_t n)
{
	if (it->promised_days == 0)
		snprintf(out, n, "%s", _("at once"));
	else
		snprintf(out, n, P_("%d working day", "%d working days", it->promised_days),
		         it->promised_days);
}

/* The chosen item's guide (办事指南) under the list: conditions, materials, limit. */
static void draw_guide(const struct item *it, int y)
{
	char line[2048], lim[64], who[512];
	size_t i, exempt = 0;

	for (i = 0; i < it->n_materials; i++)
		exempt += it->materials[i].exempt;
	limit_text(it, lim, sizeof lim);
	/* who decides first, where 80 columns still show it: another region's
	 * department (跨域通办), or the departments deciding in parallel */
	if (it->region_name[0] != '\0')
		snprintf(who, sizeof who, _("cross-region: decided by %s %s"),
		         i18n_data(it->region_name), i18n_data(it->dept));
	else if (it->joint_depts[0] != '\0')
		snprintf(who, sizeof who, _("%s · joint approval (%zu departments)"),
		         i18n_data(it->dept), item_joint_count(it));
	else
		snprintf(who, sizeof who, "%s", i18n_data(it->dept));
	snprintf(line, sizeof line,
	         _("%s · promised %s · legal %d work days · %d visit(s) · %s · %zu materials (%zu "
	           "shared)%s"),
	         who, lim, it->legal_days, it->visits, i18n_data(it->fee), it->n_materials, exempt,
	         it->commitment ? _(" · commitment allowed") : "");
	ui_put(y, 2, ui_cols() - 4, line, ui_attr_dim());
	snprintf(line, sizeof line, "%s%s", _("Conditions: "), i18n_data(it->conditions));
	ui_put(y + 1, 2, ui_cols() - 4, line, ui_attr_dim());
}

static void draw(void *screen)
{
	struct picker *p = screen;
	struct app *app = p->app;
	int y0 = 4, rows = ui_body_bottom() - y0 - 2, cx, i;
	char line[1024], lim[64], region[160];

	erase();
	app_draw_frame(app, _("New intake · choose the item"));
	ui_put(2, 2, 16, _("Find item:"), A_BOLD);
	if (rows < 1)
		rows = 1;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + (size_t)rows)
		p->top = p->sel - (size_t)rows + 1;
	for (i = 0; i < rows && p->top + (size_t)i < p->n; i++) {
		const struct item *it = p->found[p->top + (size_t)i];
		bool sel = p->top + (size_t)i == p->sel;

		limit_text(it, lim, sizeof lim);
		/* the limit before the department: a long department name is what gets cut */
		if (it->region_name[0])
			snprintf(region, sizeof region, _("[%s, other region] "),
			         i18n_data(it->region_name));
		else
			region[0] = '\0';
		snprintf(line, sizeof line, "%-14s %s%s%s%s  [%s · %s]", it->code, region,
		         i18n_data(it->name), it->sub_name[0] ? "·" : "", i18n_data(it->sub_name),
		         lim, i18n_data(it->dept));
		ui_put_pad(y0 + i, 2, ui_cols() - 4, line, sel ? ui_attr_select() : 0);
	}
	if (p->n == 0)
		ui_put(y0, 2, ui_cols() - 4,
		       _("No item found. Type a code, part of the name or pinyin initials (jzlj)"),
		       ui_attr_dim());
	if (p->n > 0)
		draw_guide(p->found[p->sel], ui_body_bottom() - 1);
	snprintf(line, sizeof line, _("%zu found"), p->n);
	ui_put(3, 2, 30, line, ui_attr_dim());
	ui_keys_line(item_keys, N_KEYS);
	cx = fieldview_draw(2, 14, ui_cols() - 16, &p->query, true, false);
	move(2, cx);
	curs_set(1);
}

static int item_choose(void *screen, const void *arg)
{
	struct picker *p = screen;

	(void)arg;
	if (p->n == 0) {
		app_say(p->app, true, "%s", _("find an item first"));
		return UI_STAY;
	}
	p->app->item = p->found[p->sel];
	p->app->msg[0] = '\0';
	return SCREEN_COUNTER;
}

/* Move the selection by *arg rows, within the list. */
static int item_move(void *screen, const void *arg)
{
	struct picker *p = screen;
	int by = *(const int *)arg;

	if (by < 0)
		p->sel = p->sel > (size_t)-by ? p->sel - (size_t)-by : 0;
	else
		p->sel = p->sel + (size_t)by < p->n ? p->sel + (size_t)by : (p->n ? p->n - 1 : 0);
	return UI_STAY;
}

static int item_back(void *screen, const void *arg)
{
	(void)screen;
	(void)arg;
	return SCREEN_HOME;
}

static int item_keys_page(void *screen, const void *arg)
{
	struct picker *p = screen;

	(void)arg;
	app_help(p->app, _("Choose the item: keys"), item_keys, N_KEYS, item_help);
	return UI_STAY;
}

/* Typing in the query searches again. */
static void item_type(void *screen, struct ui_key k)
{
	struct picker *p = screen;

	if (fieldview_edit(&p->query, k)) {
		p->sel = 0;
		search(p->app, p);
	}
}

enum screen_id screen_item(struct app *app)
{
	static const struct screen_ops ops = {draw, NULL, item_type};
	struct picker p = {.app = app, .n = 0, .sel = 0, .top = 0};
	enum screen_id next;

	field_init(&p.query, 64);
	search(app, &p);
	next = app_screen_loop(app, item_keys, N_KEYS, &p, &ops);
	field_free(&p.query);
	catalogue_hits_free(&p.hits);
	return next;
}
