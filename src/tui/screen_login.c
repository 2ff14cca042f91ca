/*
 * screen_login.c - clerk ID and password.  Online login when tongband
 * answers (it also gives this PC its terminal code), offline against the
 * cached hash when it does not.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "sync/login.h"
#include "sync/sync.h"
#include "tui/app.h"
#include "tui/fieldview.h"
#include "tui/ui.h"

#define BOX_W 24

struct login_form {
	struct app *app;
	struct field_edit id, pw;
	int focus; /* 0 id, 1 password */
};

static int login_submit(void *screen, const void *arg);
static int login_switch(void *screen, const void *arg);
static int login_quit(void *screen, const void *arg);

static const struct ui_action login_keys[] = {
    {UK_ENTER, "Enter", N_("log in"), login_submit, NULL},
    {UK_TAB, "Tab", N_("next box"), login_switch, NULL},
    {UK_BTAB, "", "", login_switch, NULL},
    {UK_UP, "", "", login_switch, NULL},
    {UK_DOWN, "", "", login_switch, NULL},
    {UK_F10, "F10", N_("quit"), login_quit, NULL},
    {UK_HANGUP, "", "", app_action_quit, NULL},
};
#define N_SHOWN 3 /* the keys line shows the first three */

static void draw(void *screen)
{
	struct login_form *lf = screen;
	int top = ui_rows() / 2 - 4;
	int x = ui_cols() / 2 - 8;
	int cx, px;

	erase();
	app_draw_frame(lf->app, _("tongban · service-hall intake"));
	ui_put_center(top, _("Please log in"), A_BOLD);
	ui_put(top + 2, x - 10, 10, _("Clerk:"), 0);
	ui_put(top + 4, x - 10, 10, _("Password:"), 0);
	ui_keys_line(login_keys, N_SHOWN);
	cx = fieldview_draw(top + 2, x, BOX_W, &lf->id, lf->focus == 0, false);
	px = fieldview_draw(top + 4, x, BOX_W, &lf->pw, lf->focus == 1, true);
	if (lf->focus == 0)
		move(top + 2, cx);
	else
		move(top + 4, px);
	curs_set(1);
}

/* This PC's terminal code for new case numbers: tongband's, or the local
 * stand-in until an online login brings one. */
static void load_terminal(struct app *app)
{
	struct err e = {0};

	if (store_terminal_get(app->st, app->terminal, sizeof app->terminal, &e) < 0) {
		str_copy(app->terminal, sizeof app->terminal, "L0000");
		app_store_failed(app, _("reading the terminal code"), &e);
	}
}

static bool try_login(struct login_form *lf)
{
	struct app *app = lf->app;
	char *id = field_text(&lf->id), *pw = field_text(&lf->pw);
	struct err e = {0};
	enum login_result r;
	bool cache = false;

	if (id[0] == '\0' || pw[0] == '\0') {
		app_say(app, true, "%s", _("Enter clerk ID and password"));
		free(id);
		free(pw);
		return false;
	}
	app_say(app, false, "%s", _("Logging in..."));
	ui_message(app->msg, false);
	refresh();
	/* the catalogue is chosen while the server checks the password (when the
	 * first key typed has not started it yet) */
	app_data_start(app);
	/* nothing is written before the check of every page has said the file is sound */
	app_check_wait(app, 10000);
	app_sync_start(app);
	r = login_clerk_deferred(app->st, app->server, app->sync, id, pw, &app->clerk, &cache, &e);
	/* the offline verifier is made beside the home screen, not before it */
	if (cache)
		app->verifier_password = xstrdup(pw);
	app_data_finish(app);
	if (r == LOGIN_ONLINE || r == LOGIN_OFFLINE)
		app_logged_in(app, pw);
	free(id);
	memset(pw, 0, strlen(pw));
	free(pw);
	if (r == LOGIN_ONLINE || r == LOGIN_OFFLINE) {
		app->logged_in = true;
		if (!app->db_readonly && !app->db_damaged)
			store_audit_add(app->st, app->clerk.id, "", AUDIT_LOGIN,
			                r == LOGIN_ONLINE ? "online" : "offline", NULL);
		load_terminal(app);
		if (e.kind != ERR_NONE)
			app_store_failed(app,
			                 _("logged in, but the "
			                   "session could not "
			                   "be kept here"),
			                 &e);
		else if (r == LOGIN_OFFLINE && !sync_helper_available(app->sync, &e))
			app_say(app, true, "%s", e.msg); /* no libcurl: offline for good */
		else
			app_say(app, false, "%s", r == LOGIN_ONLINE ? "" : login_result_text(r));
		return true;
	}
	field_clear(&lf->pw);
	lf->focus = 1;
	if (r == LOGIN_ERROR && e.kind != ERR_FAILED && e.kind != ERR_NONE)
		app_store_failed(app, login_result_text(r), &e);
	else if (r == LOGIN_ERROR)
		app_say(app, true, "%s: %s", login_result_text(r), e.msg);
	else
		app_say(app, true, "%s", login_result_text(r));
	return false;
}

static int login_submit(void *screen, const void *arg)
{
	struct login_form *lf = screen;

	(void)arg;
	if (lf->focus == 0) {
		lf->focus = 1;
		return UI_STAY;
	}
	return try_login(lf) ? SCREEN_HOME : UI_STAY;
}

static int login_switch(void *screen, const void *arg)
{
	struct login_form *lf = screen;

	(void)arg;
	lf->focus = !lf->focus;
	return UI_STAY;
}

static int login_quit(void *screen, const void *arg)
{
	(void)screen;
	(void)arg;
	return SCREEN_QUIT;
}

/* The first key typed starts the sync helper (which loads libcurl) and
 * choosing the catalogue and the calendar: by the time the password is in,
 * they are ready. */
static void login_type(void *screen, struct ui_key k)
{
	struct login_form *lf = screen;

	if (fieldview_edit(lf->focus ? &lf->pw : &lf->id, k)) {
		app_sync_start(lf->app);
		app_data_start(lf->app);
	}
}

void screen_login_paint(struct app *app)
{
	struct login_form lf;

	memset(&lf, 0, sizeof lf);
	lf.app = app;
	field_init(&lf.id, 32);
	field_init(&lf.pw, 128);
	draw(&lf);
	refresh();
	field_free(&lf.id);
	field_free(&lf.pw);
}

enum screen_id screen_login(struct app *app)
{
	static const struct screen_ops ops = {draw, NULL, login_type};
	struct login_form lf;
	enum screen_id next;

	memset(&lf, 0, sizeof lf);
	lf.app = app;
	field_init(&lf.id, 32);
	field_init(&lf.pw, 128);
	next = app_screen_loop(app, login_keys, (int)(sizeof login_keys / sizeof login_keys[0]),
	                       &lf, &ops);
	field_free(&lf.id);
	field_free(&lf.pw);
	return next;
}
