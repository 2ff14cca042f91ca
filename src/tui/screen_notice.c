/*
 * screen_notice.c - the preview of a printed notice (受理通知书, 补正材料通知书,
 * 告知承诺书, 不予受理通知书): scroll, print (as PDF on the CUPS printer of the
 * settings, or the text through the print command), done.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/printer.h"
#include "tui/app.h"
#include "tui/ui.h"

struct preview {
	struct app *app;
	const char *text;
	const char **lines;
	int n, top;
};

static int notice_print(void *screen, const void *arg);
static int notice_scroll(void *screen, const void *arg);
static int notice_done(void *screen, const void *arg);
static int notice_keys_page(void *screen, const void *arg);

/* scroll by a line (+-1) or a page (+-2) */
static const int line_down = 1, line_up = -1, page_down = 2, page_up = -2;

static const struct ui_action notice_keys[] = {
    {UK_F9, "F9", N_("print"), notice_print, NULL},
    {UK_PGDN, "↑↓PgUp/PgDn", N_("scroll"), notice_scroll, &page_down},
    {UK_ESC, "Esc/Enter", N_("done"), notice_done, NULL},
    {UK_ENTER, "", "", notice_done, NULL},
    {UK_DOWN, "", "", notice_scroll, &line_down},
    {UK_UP, "", "", notice_scroll, &line_up},
    {UK_CHAR, "", "", notice_scroll, &page_down},
    {UK_PGUP, "", "", notice_scroll, &page_up},
    {UK_F1, "", "", notice_keys_page, NULL},
    {UK_HANGUP, "", "", app_action_quit, NULL},
};
#define N_KEYS ((int)(sizeof notice_keys / sizeof notice_keys[0]))

static const char *const notice_help[] = {
    N_("the notice is kept with the case: F9 in the case record or tongban notice CASE reprints "
       "it"),
    N_("with a CUPS printer as printer in data/config.json, F9 prints the PDF (with the "
       "case number's QR code); else the text goes to print_command (default lp)"),
    NULL,
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

static int notice_print(void *screen, const void *arg)
{
	struct preview *p = screen;
	struct err e = {0};

	(void)arg;
	if (print_notice(&p->app->cfg, p->text, p->app->notice_case_no, &e) == 0)
		app_say(p->app, false, "%s", _("sent to the printer"));
	else
		app_say(p->app, true, "%s", e.msg);
	clearok(curscr, TRUE); /* in case the command wrote to the terminal */
	return UI_STAY;
}

static int notice_scroll(void *screen, const void *arg)
{
	struct preview *p = screen;
	int rows = ui_body_bottom(), by = *(const int *)arg;

	if (by == 1)
		p->top = p->top + rows < p->n ? p->top + 1 : p->top;
	else if (by == -1)
		p->top = p->top > 0 ? p->top - 1 : 0;
	else if (by == 2)
		p->top = p->top + rows < p->n ? p->top + rows - 1 : p->top;
	else
		p->top = p->top > rows ? p->top - rows + 1 : 0;
	return UI_STAY;
}

static int notice_done(void *screen, const void *arg)
{
	struct preview *p = screen;

	(void)arg;
	return p->app->after_notice;
}

static int notice_keys_page(void *screen, const void *arg)
{
	struct preview *p = screen;

	(void)arg;
	app_help(p->app, _("Notice: keys"), notice_keys, N_KEYS, notice_help);
	return UI_STAY;
}

static void draw(void *screen)
{
	struct preview *p = screen;
	int i;

	erase();
	app_draw_frame(p->app, _("Notice preview"));
	for (i = 0; i < ui_body_bottom() && p->top + i < p->n; i++)
		draw_line(1 + i, p->lines[p->top + i]);
	ui_keys_line(notice_keys, N_KEYS);
	curs_set(0);
}

enum screen_id screen_notice(struct app *app)
{
	static const struct screen_ops ops = {draw, NULL, NULL};
	struct preview p = {app, app->notice_text ? app->notice_text : "", NULL, 0, 0};
	enum screen_id next;

	p.lines = split_lines(p.text, &p.n);
	next = app_screen_loop(app, notice_keys, N_KEYS, &p, &ops);
	free(p.lines);
	return next;
}
