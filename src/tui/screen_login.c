/*
 * screen_login.c - clerk ID and password.  Online login when tongband
 * answers, offline against the cached hash when it does not.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "sync/login.h"
#include "tui/app.h"
#include "tui/fieldview.h"
#include "tui/ui.h"

static const struct ui_action login_keys[] = {
    {UK_ENTER, "Enter", "登录", "log in"},
    {UK_TAB, "Tab", "切换输入框", "next box"},
    {UK_F10, "F10", "退出", "quit"},
};

#define BOX_W 24

struct login_form {
	struct field_edit id, pw;
	int focus; /* 0 id, 1 password */
};

static void draw(struct app *app, struct login_form *lf)
{
	int top = ui_rows() / 2 - 4;
	int x = ui_cols() / 2 - 8;
	int cx, px;

	erase();
	app_draw_frame(app, T("通办 · 政务服务窗口收件", "tongban · service-hall intake"));
	ui_put_center(top, T("请登录", "Please log in"), A_BOLD);
	ui_put(top + 2, x - 8, 8, T("工号：", "Clerk:"), 0);
	ui_put(top + 4, x - 8, 8, T("密码：", "Password:"), 0);
	ui_keys_line(login_keys, (int)(sizeof login_keys / sizeof login_keys[0]));
	cx = fieldview_draw(top + 2, x, BOX_W, &lf->id, lf->focus == 0, false);
	px = fieldview_draw(top + 4, x, BOX_W, &lf->pw, lf->focus == 1, true);
	if (lf->focus == 0)
		move(top + 2, cx);
	else
		move(top + 4, px);
	curs_set(1);
}

static bool try_login(struct app *app, struct login_form *lf)
{
	char *id = field_text(&lf->id), *pw = field_text(&lf->pw);
	struct err e = {0};
	enum login_result r;

	if (id[0] == '\0' || pw[0] == '\0') {
		app_say(app, true, "%s", T("请输入工号和密码", "Enter clerk ID and password"));
		free(id);
		free(pw);
		return false;
	}
	app_say(app, false, "%s", T("正在登录……", "Logging in..."));
	ui_message(app->msg, false);
	refresh();
	r = login_clerk(app->st, app->server, id, pw, &app->clerk, &e);
	free(id);
	memset(pw, 0, strlen(pw));
	free(pw);
	if (r == LOGIN_ONLINE || r == LOGIN_OFFLINE) {
		app->logged_in = true;
		app_say(app, false, "%s", r == LOGIN_ONLINE ? "" : login_result_text(r));
		return true;
	}
	field_clear(&lf->pw);
	lf->focus = 1;
	if (r == LOGIN_ERROR)
		app_say(app, true, "%s: %s", login_result_text(r), e.msg);
	else
		app_say(app, true, "%s", login_result_text(r));
	return false;
}

enum screen_id screen_login(struct app *app)
{
	struct login_form lf;
	enum screen_id next = SCREEN_QUIT;
	bool done = false;

	field_init(&lf.id, 32);
	field_init(&lf.pw, 128);
	lf.focus = 0;
	while (!done) {
		struct ui_key k;

		draw(app, &lf);
		k = app_read_key(app);
		switch (k.code) {
		case UK_F10:
			done = true;
			break;
		case UK_TAB:
		case UK_BTAB:
		case UK_UP:
		case UK_DOWN:
			lf.focus = !lf.focus;
			break;
		case UK_ENTER:
			if (lf.focus == 0) {
				lf.focus = 1;
			} else if (try_login(app, &lf)) {
				next = SCREEN_HOME;
				done = true;
			}
			break;
		default:
			fieldview_edit(lf.focus ? &lf.pw : &lf.id, k);
		}
	}
	field_free(&lf.id);
	field_free(&lf.pw);
	return next;
}
