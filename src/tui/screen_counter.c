/*
 * screen_counter.c - a case at the counter: the applicant form, the item's
 * guide and the material checklist, and the decisions of 行政许可法 art. 32
 * (core/decision.h), one key each: accept (F5), one-time notice (F6),
 * accept on commitment (F7), refuse (F8).  The same screen takes a
 * returning applicant's supplement after a notice.  The draft is saved at
 * every field exit and checklist change (counter_open.c).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/draft.h"
#include "core/green.h"
#include "core/i18n.h"
#include "core/idcard.h"
#include "core/phone.h"
#include "tui/counter.h"
#include "tui/ui.h"

static int counter_kind(void *screen, const void *arg);
static int counter_keys_page(void *screen, const void *arg);
static int counter_ditto(void *screen, const void *arg);
static int counter_help(void *screen, const void *arg);
static int counter_to_list(void *screen, const void *arg);
static int counter_to_form(void *screen, const void *arg);
static int counter_back(void *screen, const void *arg);
static int counter_green(void *screen, const void *arg);

/* The decisions first: their keys and labels are core's (decision_counter),
 * filled in by counter_keys_init; what does not fit in 80 columns is under F1. */
#define N_DECISIONS 4
static struct ui_action counter_keys[] = {
    [N_DECISIONS] = {UK_F9, "F9", N_("person/org"), counter_kind, NULL},
    {UK_F1, "F1", N_("keys"), counter_keys_page, NULL},
    {UK_F2, "F2", N_("green channel"), counter_green, NULL},
    {UK_F3, "F3", N_("ditto"), counter_ditto, NULL},
    {UK_F4, "F4", N_("help"), counter_help, NULL},
    {UK_ESC, "Esc", N_("back"), counter_back, NULL},
    {UK_PGDN, "", "", counter_to_list, NULL},
    {UK_PGUP, "", "", counter_to_form, NULL},
    /* SIGTERM/SIGHUP: app_read_key has saved the draft (counter_on_hangup) */
    {UK_HANGUP, "", "", app_action_quit, NULL},
};
#define N_KEYS ((int)(sizeof counter_keys / sizeof counter_keys[0]))

static void counter_keys_init(void)
{
	static char names[N_DECISIONS][8];
	size_t i;

	for (i = 0; i < N_DECISIONS && decision_counter[i]; i++) {
		const struct decision *d = decision_counter[i];

		snprintf(names[i], sizeof names[i], "F%d", d->fkey);
		counter_keys[i] = (struct ui_action){(enum ui_keycode)(UK_F1 + d->fkey - 1),
		                                     names[i], d->label, counter_decide, d};
	}
}

/* What F1 shows besides the keys line. */
static const char *const counter_help_lines[] = {
    N_("Tab/Enter next field   Shift-Tab previous   PgDn checklist   PgUp form"),
    N_("a full 18-character ID number or 11-digit mobile moves on by itself"),
    N_("Ctrl-U clear   Insert overwrite   Ctrl-Left/Right by word   Home/End"),
    N_("checklist: Space/1 original  2 copy  3 electronic  4 missing  5 defective  6 committed"),
    N_("materials marked exempt come from shared data: never ask for them"),
    N_("F2 green channel: a key project's certificate and helper; such cases come first"),
    N_("Esc back to home, the draft is kept (F4 resumes it)"),
    NULL,
};

/* ---- drawing --------------------------------------------------------- */

static void guide_line(const struct item *it, char *out, size_t n)
{
	char lim[64];

	if (it->promised_days == 0)
		snprintf(lim, sizeof lim, "%s", _("same day"));
	else
		snprintf(
		    lim, sizeof lim,
		    P_("promised %d working day", "promised %d working days", it->promised_days),
		    it->promised_days);
	snprintf(out, n, _("%s · %d visit(s) · %s%s"), lim, it->visits, i18n_data(it->fee),
	         it->commitment ? _(" · commitment allowed") : "");
}

/* The applicant in one line, for the materials page (ID and phone masked). */
static void applicant_line(struct counter *c, int y)
{
	char **vals = formview_values(&c->fv), line[512];
	char *masked = idcard_mask(form_value(c->fv.form, vals, "id_number")),
	     *phone = phone_mask(form_value(c->fv.form, vals, "phone"));

	snprintf(line, sizeof line, "%s%s  %s  %s", _("Applicant: "),
	         form_value(c->fv.form, vals, "name"), masked ? masked : "", phone ? phone : "");
	ui_put(y, 2, ui_cols() - 4, line, 0);
	free(masked);
	free(phone);
	values_free(vals, c->fv.form->n_fields);
}

/*
 * The form and the checklist on one page when the terminal is tall enough;
 * else (80x24 with a long form) two pages: the form with a line saying the
 * materials are a PgDn away, or the applicant in one line over the checklist.
 */
static void draw_counter(struct counter *c, int *cy, int *cx)
{
	char line[1024];
	int bottom = ui_body_bottom(), y;
	bool fits;

	erase();
	app_draw_frame(c->app, c->supplement ? _("Supplement") : _("Intake"));
	snprintf(line, sizeof line, _("%s%s%s%s (%s)%s%s"), _("Item: "), i18n_data(c->item->name),
	         c->item->sub_name[0] ? "·" : "", i18n_data(c->item->sub_name), c->item->code,
	         c->has_case ? "  " : "", c->has_case ? c->row.case_no : "");
	ui_put(1, 2, ui_cols() - 4, line, A_BOLD);
	guide_line(c->item, line, sizeof line);
	if (c->green_cert[0]) {
		size_t len = strlen(line);

		snprintf(line + len, sizeof line - len, _(" · green channel %s (helper %s)"),
		         c->green_cert, c->green_helper);
	}
	ui_put(2, 2, ui_cols() - 4, line, c->green_cert[0] ? (int)A_BOLD : ui_attr_dim());
	fits = 3 + formview_rows(&c->fv) + 1 + (int)c->cl.n - 1 <= bottom;
	if (fits) {
		y = formview_draw(&c->fv, 3, bottom, 2, ui_cols() - 2, c->zone == ZONE_FORM, cy,
		                  cx);
		counter_draw_checklist(c, y, bottom, cy, cx);
	} else if (c->zone == ZONE_FORM) {
		formview_draw(&c->fv, 3, bottom - 1, 2, ui_cols() - 2, true, cy, cx);
		snprintf(line, sizeof line, _("%zu materials: PgDn to check them"), c->cl.n);
		ui_put(bottom, 1, ui_cols() - 2, line, A_BOLD);
	} else {
		applicant_line(c, 3);
		counter_draw_checklist(c, 4, bottom, cy, cx);
	}
	ui_keys_line(counter_keys, N_KEYS);
}

/* ---- actions ------------------------------------------------------------- */

/* F9: person <-> organisation, keeping what fits (name, phone, address...). */
static int counter_kind(void *screen, const void *arg)
{
	struct counter *c = screen;
	struct form *old = c->form;
	struct draft *d;
	char **vals, *text;

	(void)arg;
	if (c->has_case) {
		app_say(c->app, true, "%s", _("the case exists: the applicant kind is fixed"));
		return UI_STAY;
	}
	vals = formview_values(&c->fv);
	text = draft_encode(c->item->code, c->org, old, vals, NULL, NULL);
	d = draft_decode(text);
	values_free(vals, old->n_fields);
	free(text);
	formview_free(&c->fv);
	c->org = !c->org;
	if (!counter_build_form(c, d)) {
		c->org = !c->org;
		counter_build_form(c, d);
	}
	form_free(old);
	draft_free(d);
	c->zone = ZONE_FORM;
	app_say(c->app, false, "%s",
	        c->org ? _("applicant: organisation") : _("applicant: person"));
	counter_save_draft(c);
	return UI_STAY;
}

/* F2: 绿色通道 / 帮办代办 -- the key project's certificate and its designated
 * helper, asked one after the other; an empty certificate clears it. */
static int counter_green(void *screen, const void *arg)
{
	struct counter *c = screen;
	char *cert, *helper = NULL, why[256];

	(void)arg;
	if (c->has_case) {
		app_say(c->app, true, "%s", _("the case exists: a green channel is set at intake"));
		return UI_STAY;
	}
	cert = app_prompt(c->app, _("Green channel certificate (empty: none): "), c->green_cert,
	                  GREEN_MAX);
	if (cert == NULL)
		return UI_STAY;
	green_trim(cert);
	if (cert[0] && (helper = app_prompt(c->app, _("Helper (代办员): "), c->green_helper,
	                                    GREEN_MAX)) == NULL) {
		free(cert);
		return UI_STAY;
	}
	if (helper)
		green_trim(helper);
	if (green_check(cert, helper ? helper : "", why, sizeof why) < 0) {
		app_say(c->app, true, "%s", why);
	} else {
		str_copy(c->green_cert, sizeof c->green_cert, cert);
		str_copy(c->green_helper, sizeof c->green_helper, helper ? helper : "");
		counter_save_draft(c);
		app_say(c->app, false, "%s",
		        cert[0] ? _("green channel set") : _("green channel cleared"));
	}
	free(cert);
	free(helper);
	return UI_STAY;
}

static int counter_keys_page(void *screen, const void *arg)
{
	struct counter *c = screen;

	(void)arg;
	app_help(c->app, _("Intake: keys"), counter_keys, N_KEYS, counter_help_lines);
	return UI_STAY;
}

/* F3: the focused field's value from the previous case. */
static int counter_ditto(void *screen, const void *arg)
{
	struct counter *c = screen;
	const struct form_field *fld = &c->fv.form->fields[c->fv.focus];

	(void)arg;
	if (c->zone != ZONE_FORM || c->fv.readonly)
		return UI_STAY;
	if (!fld->ditto) {
		app_say(c->app, true, "%s", _("this field cannot be copied"));
		return UI_STAY;
	}
	if (c->app->ditto == NULL || !draft_has(c->app->ditto, fld->id)) {
		app_say(c->app, true, "%s", _("no previous case to copy"));
		return UI_STAY;
	}
	formview_set(&c->fv, c->fv.focus, draft_value(c->app->ditto, fld->id));
	counter_save_draft(c);
	return UI_STAY;
}

/* F4: what the field or the material is about. */
static int counter_help(void *screen, const void *arg)
{
	struct counter *c = screen;
	const struct form_field *fld = &c->fv.form->fields[c->fv.focus];

	(void)arg;
	if (c->zone == ZONE_LIST) {
		const struct material *m = &c->item->materials[c->sel];
		char ecert[600];
		const char *ec = counter_ecert_text(c, c->sel, ecert, sizeof ecert);

		app_say(c->app, false, "%s%s%s%s%s", i18n_data(m->name), _(": "),
		        m->note[0] ? i18n_data(m->note) : _("(no note)"), ec ? " " : "",
		        ec ? ec : "");
		return UI_STAY;
	}
	app_say(c->app, false, "%s%s%s", i18n_data(fld->label), _(": "),
	        fld->help[0] ? i18n_data(fld->help) : _("(no help)"));
	return UI_STAY;
}

static int counter_to_list(void *screen, const void *arg)
{
	struct counter *c = screen;
	char msg[512];

	(void)arg;
	if (c->zone != ZONE_FORM || c->cl.n == 0)
		return UI_STAY;
	/* leaving the field: check it and keep the draft */
	if (formview_check(&c->fv, c->fv.focus, msg, sizeof msg) < 0)
		app_say(c->app, true, "%s", msg);
	c->zone = ZONE_LIST;
	counter_save_draft(c);
	counter_ecert_refresh(c);
	return UI_STAY;
}

static int counter_to_form(void *screen, const void *arg)
{
	struct counter *c = screen;

	(void)arg;
	c->zone = ZONE_FORM;
	return UI_STAY;
}

/* Esc: home, the draft kept -- and said so only when it really was saved;
 * one the database refused stays in memory (F4 on home), saved when it can be. */
static int counter_back(void *screen, const void *arg)
{
	struct counter *c = screen;

	(void)arg;
	if (c->supplement)
		return SCREEN_HOME;
	if (counter_save_draft(c)) {
		app_say(c->app, false, "%s", _("draft kept: F4 on home resumes it"));
		return SCREEN_HOME;
	}
	app_say(c->app, true, _("%s: the draft is NOT saved; kept in memory, F4 resumes it"),
	        app_store_reason(&c->save_err));
	return SCREEN_HOME;
}

static void counter_on_hangup(void *screen)
{
	counter_save_draft(screen);
}

/* While the clerk is idle: a save that found the database busy is retried. */
static void counter_on_idle(void *screen)
{
	struct counter *c = screen;

	if (c->draft_dirty)
		counter_save_draft(c);
	/* an e-certificate answered by the sync agent shows at once (not under
	 * the lock or a prompt, which the screen must not be drawn over) */
	if (!c->app->prompting && counter_ecert_refresh(c)) {
		int cy = 0, cx = 0;

		draw_counter(c, &cy, &cx);
		move(cy, cx);
	}
}

/* Any other key: typing in the form, or ticking the checklist. */
static void counter_key(void *screen, struct ui_key k)
{
	struct counter *c = screen;
	char msg[512];
	size_t before = c->fv.focus;
	enum fv_result r;

	if (c->zone == ZONE_LIST) {
		counter_list_key(c, k);
		return;
	}
	r = formview_key(&c->fv, k, msg, sizeof msg);
	if (r == FV_PAST_END && c->cl.n > 0) {
		c->zone = ZONE_LIST;
		c->sel = 0;
		counter_ecert_refresh(c);
	} else if (r == FV_PAST_END) {
		c->fv.focus = 0;
	} else if (r == FV_BEFORE_START && c->cl.n > 0) {
		c->zone = ZONE_LIST;
		c->sel = c->cl.n - 1;
	}
	/* the draft is saved whenever the clerk leaves a field; a message stays
	 * until then (a failed save's until it works) */
	if (c->fv.focus != before || r == FV_PAST_END || r == FV_BEFORE_START) {
		if (!c->save_failed)
			app_say(c->app, false, "%s", "");
		counter_save_draft(c);
	} else if (r == FV_HANDLED) {
		c->draft_dirty = true;
	}
	if (msg[0])
		app_say(c->app, true, "%s", msg);
}

static void draw(void *screen)
{
	int cy = 0, cx = 0;

	draw_counter(screen, &cy, &cx);
	move(cy, cx);
	curs_set(1);
}

/* Only the very next Tab/Enter repeats an auto-skip. */
static void seen(void *screen, struct ui_key k)
{
	struct counter *c = screen;

	if (k.code != UK_TAB && k.code != UK_ENTER && k.code != UK_PASTE_END)
		c->fv.skipped = false;
}

enum screen_id screen_counter(struct app *app)
{
	static const struct screen_ops ops = {draw, seen, counter_key};
	struct counter c;
	enum screen_id next;

	memset(&c, 0, sizeof c);
	c.app = app;
	counter_keys_init();
	if (!counter_setup(&c)) {
		counter_teardown(&c);
		return SCREEN_HOME;
	}
	app_screen_set(app, &c, counter_on_idle, counter_on_hangup);
	next = app_screen_loop(app, counter_keys, N_KEYS, &c, &ops);
	app_screen_clear(app);
	counter_teardown(&c);
	return next;
}
