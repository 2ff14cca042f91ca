/*
 * screen_cases.c - the newest cases of this machine, ID numbers masked.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/i18n.h"
#include "core/idcard.h"
#include "tui/app.h"
#include "tui/ui.h"

#define CASES_MAX 200

static const struct ui_action cases_keys[] = {
	{UK_ESC, "Esc", "返回", "back"},
};

enum screen_id screen_cases(struct app *app)
{
	struct case_row *rows = xcalloc(CASES_MAX, sizeof *rows);
	struct err e = {""};
	int n = store_case_recent(app->st, rows, CASES_MAX, &e);

	if (n < 0) {
		app_say(app, true, "%s", e.msg);
		n = 0;
	}
	for (;;) {
		struct ui_key k;
		int i, y = 2;

		erase();
		app_draw_frame(app, T("最近案件", "Recent cases"));
		ui_put(y++, 2, ui_cols() - 4,
		       T("案件编号                  申请人      身份证号码          事项",
			 "Case number               Applicant   ID number           Item"),
		       A_BOLD);
		for (i = 0; i < n && y <= ui_body_bottom(); i++, y++) {
			char line[1024], *masked = idcard_mask(rows[i].id_number);

			snprintf(line, sizeof line, "%-25s %-10s  %-18s  %s", rows[i].case_no,
				 rows[i].name, masked ? masked : "", rows[i].item_name);
			free(masked);
			ui_put(y, 2, ui_cols() - 4, line, 0);
		}
		if (n == 0)
			ui_put(y, 2, ui_cols() - 4, T("还没有案件", "no cases yet"), ui_attr_dim());
		ui_keys_line(cases_keys, 1);
		curs_set(0);
		k = app_read_key(app);
		if (k.code == UK_ESC || k.code == UK_F10)
			break;
	}
	free(rows);
	return SCREEN_HOME;
}
