/*
 * screen_notice.c - the preview of a printed notice (受理通知书, 补正材料通知书,
 * 告知承诺书, 不予受理通知书): scroll, print with the configured command, done.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/printer.h"
#include "tui/app.h"
#include "tui/ui.h"

static const struct ui_action notice_keys[] = {
    {UK_F9, "F9", "打印", "print"},
    {UK_PGDN, "↑↓PgUp/PgDn", "翻阅", "scroll"},
    {UK_ESC, "Esc/Enter", "完成", "done"},
};

static const char *const notice_help[][2] = {
    {"通知书已随案件保存，可在“最近案件”按 F9 或用 tongban notice 案件编号 重打",
     "the notice is kept with the case: F9 in recent cases or tongban notice CASE reprints it"},
    {"打印命令在 data/config.json 的 print_command 中设置（默认 lp）",
     "the print command is print_command in data/config.json (default lp)"},
    {NULL, NULL},
};

/* Pointers to the starts of the lines of text (not copied). */
static const char **split_lines(const char *text, int *n)
{
	const char **lines = NULL;
	const char *p = text;
	int cap = 0;

	*n = 0;
	while (*p) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			lines = xrealloc(lines, (size_t)cap * sizeof *lines);
		}
		lines[(*n)++] = p;
		p = strchr(p, '\n');
		if (p == NULL)
			break;
		p++;
	}
	return lines;
}

static void draw_line(int y, const char *start)
{
	const char *end = strchr(start, '\n');
	size_t len = end ? (size_t)(end - start) : strlen(start);
	char *line = xstrndup(start, len);

	ui_put(y, 0, ui_cols(), line, 0);
	free(line);
}

enum screen_id screen_notice(struct app *app)
{
	const char *text = app->notice_text ? app->notice_text : "";
	int n, top = 0, i;
	const char **lines = split_lines(text, &n);
	enum screen_id next = SCREEN_NOTICE;

	while (next == SCREEN_NOTICE) {
		int rows = ui_body_bottom();
		struct ui_key k;

		erase();
		app_draw_frame(app, T("通知书预览", "Notice preview"));
		for (i = 0; i < rows && top + i < n; i++)
			draw_line(1 + i, lines[top + i]);
		ui_keys_line(notice_keys, 3);
		curs_set(0);
		k = app_read_key(app);
		switch (k.code) {
		case UK_DOWN:
			top = top + rows < n ? top + 1 : top;
			break;
		case UK_UP:
			top = top > 0 ? top - 1 : 0;
			break;
		case UK_PGDN:
		case UK_CHAR:
			top = top + rows < n ? top + rows - 1 : top;
			break;
		case UK_PGUP:
			top = top > rows ? top - rows + 1 : 0;
			break;
		case UK_F9: {
			struct err e = {0};

			if (print_text(app->cfg.print_command, text, &e) == 0)
				app_say(app, false, "%s", T("已送打印", "sent to the printer"));
			else
				app_say(app, true, "%s", e.msg);
			clearok(curscr, TRUE); /* in case the command wrote to the terminal */
			break;
		}
		case UK_ESC:
		case UK_ENTER:
			next = app->after_notice;
			break;
		case UK_F1:
			app_help(app, T("通知书：按键", "Notice: keys"), notice_keys, 3,
			         notice_help);
			break;
		default:
			break;
		}
	}
	free(lines);
	return next;
}
