/*
 * screen_lock.c - the idle lock: after the configured minutes without a key
 * (lock_minutes, default 5) the screen is covered, so that nobody at a
 * shared window reads or changes the case on it, until the clerk's password
 * is typed (checked offline).  F8 ends the shift there instead: the screen
 * underneath saves its draft and the next clerk logs in.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/app.h"
#include "tui/field.h"
#include "tui/fieldview.h"
#include "tui/ui.h"

static void draw(struct app *app, struct field_edit *pw, const char *msg, bool error)
{
	char line[512];
	int y = ui_rows() / 2 - 4, cx;
	static const struct ui_action keys[] = {
	    {UK_ENTER, "Enter", N_("unlock"), NULL, NULL},
	    {UK_F8, "F8", N_("end shift (another clerk)"), NULL, NULL},
	};

	erase();
	ui_header(_("tongban · locked"), app->clerk.hall_name);
	ui_put_center(y, _("The screen is locked"), A_BOLD);
	snprintf(line, sizeof line, _("Clerk: %s (%s)    window %s"), app->clerk.name,
	         app->clerk.id, app->clerk.window);
	ui_put_center(y + 2, line, 0);
	ui_put_center(y + 3,
	              _("Covered while you were away; "
	                "what you were doing is kept"),
	              ui_attr_dim());
	ui_put(y + 5, ui_cols() / 2 - 20, 12, _("Password:"), A_BOLD);
	ui_message(msg, error);
	ui_keys_line(keys, 2);
	cx = fieldview_draw(y + 5, ui_cols() / 2 - 8, 24, pw, true, true);
	move(y + 5, cx);
	curs_set(1);
	refresh();
}

bool app_lock_screen(struct app *app, volatile sig_atomic_t *hangup)
{
	struct field_edit pw;
	char msg[256] = "";
	bool error = false, unlocked = false, was = app->prompting;

	field_init(&pw, 128);
	app->prompting = true; /* nothing draws the screen underneath while it is locked */
	for (;;) {
		struct ui_key k;

		if (*hangup)
			break;
		draw(app, &pw, msg, error);
		k = ui_read_key(500);
		if (k.code == UK_NONE) {
			if (app->on_idle) /* a draft the database refused is saved meanwhile */
				app->on_idle(app->screen);
			continue;
		}
		if (k.code == UK_F8)
			break;
		if (k.code == UK_ENTER) {
			char *text = field_text(&pw);
			bool ok = text[0] && app_password_ok(app, text);

			memset(text, 0, strlen(text));
			free(text);
			field_clear(&pw);
			if (ok) {
				unlocked = true;
				break;
			}
			snprintf(msg, sizeof msg, "%s", _("wrong password; F8 ends the shift"));
			error = true;
			continue;
		}
		fieldview_edit(&pw, k);
	}
	field_free(&pw);
	app->prompting = was;
	erase();
	return unlocked;
}
