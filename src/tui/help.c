/*
 * help.c - the F1 page of a screen: every key of its table, then its own
 * further lines.
 */
#include <curses.h>
#include <stdio.h>

#include "core/i18n.h"
#include "tui/app.h"
#include "tui/ui.h"

void app_help(struct app *app, const char *title, const struct ui_action *acts, int n,
              const char *const extra[])
{
	int i, y = 2;
	char line[512];

	erase();
	app_draw_frame(app, title);
	for (i = 0; i < n && y <= ui_body_bottom(); i++) {
		if (acts[i].key_name[0] == '\0')
			continue;
		snprintf(line, sizeof line, "  %-6s %s", acts[i].key_name, _(acts[i].label));
		ui_put(y++, 2, ui_cols() - 4, line, 0);
	}
	y++;
	for (i = 0; extra && extra[i] && y <= ui_body_bottom(); i++, y++)
		ui_put(y, 2, ui_cols() - 4, _(extra[i]), 0);
	ui_put_pad(ui_rows() - 2, 0, ui_cols(), _("press any key to go back"), (int)A_BOLD);
	curs_set(0);
	app->prompting = true; /* the page is not drawn over while it is read */
	app_read_key(app);
	app->prompting = false;
}
