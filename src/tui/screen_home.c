/*
 * screen_home.c - the window's identity (hall, window, clerk, terminal), the
 * menu, the unfinished draft, and what the clerk must know about the data.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/draft.h"
#include "core/i18n.h"
#include "tui/app.h"
#include "tui/ui.h"

struct home {
	struct app *app;
	char draft[512]; /* "事项 · 申请人" of the stored draft, "" when none */
	bool discard;    /* F2 was pressed once over a draft */
	bool leave;      /* F10 was pressed once over a draft only in memory */
};

static int home_new(void *screen, const void *arg);
static int home_resume(void *screen, const void *arg);
static int home_go(void *screen, const void *arg);
static int home_quit(void *screen, const void *arg);
static int home_sync(void *screen, const void *arg);
static int home_keys_page(void *screen, const void *arg);

static const enum screen_id to_cases = SCREEN_CASES, to_problems = SCREEN_PROBLEMS,
                            to_quit = SCREEN_QUIT;

static const struct ui_action home_keys[] = {
    {UK_F2, "F2", "新建收件", "new intake", home_new, NULL},
    {UK_F4, "F4", "继续草稿", "resume draft", home_resume, NULL},
    {UK_F3, "F3", "最近案件", "cases", home_go, &to_cases},
    {UK_F5, "F5", "立即同步", "sync now", home_sync, NULL},
    {UK_F6, "F6", "同步问题", "problems", home_go, &to_problems},
    {UK_F10, "F10", "退出", "quit", home_quit, NULL},
    {UK_F1, "F1", "按键", "keys", home_keys_page, NULL},
    {UK_HANGUP, "", "", "", home_go, &to_quit},
};
#define N_KEYS ((int)(sizeof home_keys / sizeof home_keys[0]))

/* The stored draft as "事项 · 申请人", or "" when there is none. */
static void draft_summary(struct home *h)
{
	struct app *app = h->app;
	char *body = NULL;
	struct draft *d = NULL;
	const struct item *it;

	h->draft[0] = '\0';
	if (app->unsaved_draft)
		d = draft_decode(app->unsaved_draft);
	else if (store_draft_load(app->st, app->clerk.id, &body, NULL) == 1)
		d = draft_decode(body);
	free(body);
	if (d == NULL)
		return;
	if ((it = catalogue_find(app->cat, draft_item_code(d))) != NULL) {
		const char *who = draft_value(d, "name");

		snprintf(h->draft, sizeof h->draft, "%s · %s%s", it->name,
		         who[0] ? who : T("（未填姓名）", "(no name)"),
		         app->unsaved_draft
		             ? T("（仅在内存中，尚未存盘）", " (in memory only, not saved)")
		             : "");
	} else {
		/* never hide a draft: F2 would discard it without a word */
		snprintf(
		    h->draft, sizeof h->draft,
		    T("事项 %s 已不在目录中，无法继续", "item %s is no longer in the catalogue"),
		    draft_item_code(d));
	}
	draft_free(d);
}

static void draw_identity(struct app *app, int *y)
{
	char line[512];

	snprintf(line, sizeof line, "%s%s", T("服务大厅：", "Hall:     "), app->clerk.hall_name);
	ui_put((*y)++, 4, ui_cols() - 8, line, 0);
	snprintf(line, sizeof line, "%s%s%s", T("窗口：    ", "Window:   "), app->clerk.window,
	         T("号窗口", ""));
	ui_put((*y)++, 4, ui_cols() - 8, line, 0);
	snprintf(line, sizeof line, "%s%s（%s）", T("工作人员：", "Clerk:    "), app->clerk.name,
	         app->clerk.id);
	ui_put((*y)++, 4, ui_cols() - 8, line, 0);
	/* the terminal code is part of every case number made here (tongban(1)) */
	snprintf(line, sizeof line, "%s%s%s", T("终端编号：", "Terminal: "), app->terminal,
	         app->terminal[0] == 'L' ? T("（本机临时编号，联网登录后由服务器分配）",
	                                     " (local, until an online login brings one)")
	                                 : "");
	ui_put((*y)++, 4, ui_cols() - 8, line, ui_attr_dim());
}

static void draw_home(struct home *h)
{
	struct app *app = h->app;
	struct ui_action keys[N_KEYS];
	int y = 2, i, n = 0;
	char line[600];

	erase();
	app_draw_frame(app, T("通办 · 首页", "tongban · home"));
	draw_identity(app, &y);
	y++;
	ui_put(y++, 4, ui_cols() - 8, T("[F2] 新建收件", "[F2] New intake"), A_BOLD);
	if (h->draft[0]) {
		snprintf(line, sizeof line, "%s%s",
		         T("[F4] 继续未完成的草稿：", "[F4] Resume draft: "), h->draft);
		ui_put(y++, 4, ui_cols() - 8, line, ui_attr_error());
	}
	ui_put(y++, 4, ui_cols() - 8, T("[F3] 最近案件", "[F3] Recent cases"), A_BOLD);
	ui_put(y++, 4, ui_cols() - 8, T("[F5] 立即同步", "[F5] Sync now"), A_BOLD);
	ui_put(y++, 4, ui_cols() - 8, T("[F6] 同步问题", "[F6] Sync problems"), A_BOLD);
	ui_put(y++, 4, ui_cols() - 8, T("[F10] 退出", "[F10] Quit"), A_BOLD);
	if (app->db_damaged) {
		/* the one thing to do, with its exact command */
		y++;
		ui_put(
		    y++, 4, ui_cols() - 8,
		    T("本机数据库已损坏，不再写入。请运维人员抢救可读的案件：",
		      "The local database is damaged and no longer written. IT salvages it with:"),
		    ui_attr_error());
		/* two lines, so a long path is never cut: the shell takes them as one */
		snprintf(line, sizeof line, "  tongban --db %s \\", app->db_path);
		ui_put(y++, 2, ui_cols() - 2, line, ui_attr_error());
		ui_put(y++, 2, ui_cols() - 2,
		       T("      db recover 新文件.db", "      db recover NEW.db"), ui_attr_error());
	} else if (app->db_readonly) {
		y++;
		ui_put(y++, 4, ui_cols() - 8,
		       T("本机数据库只读：可以查看和重打通知书，不能保存",
		         "The local database is "
		         "read-only: view and reprint, "
		         "nothing is saved"),
		       ui_attr_error());
	}
	if (app->load_error[0]) {
		y++;
		ui_put(y++, 4, ui_cols() - 8, T("数据文件有错误：", "Data file error:"),
		       ui_attr_error());
		ui_put(y, 4, ui_cols() - 8, app->load_error, ui_attr_error());
	}
	/* without a draft, F4 is left off the keys line */
	for (i = 0; i < N_KEYS; i++)
		if (home_keys[i].key != UK_F4 || h->draft[0])
			keys[n++] = home_keys[i];
	ui_keys_line(keys, n);
	move(ui_body_bottom(), 0);
	curs_set(0);
}

static int home_new(void *screen, const void *arg)
{
	struct home *h = screen;
	struct app *app = h->app;
	struct err e = {0};

	(void)arg;
	if (app->cat == NULL || app->intake == NULL) {
		app_say(app, true, "%s",
		        T("目录或表单未能加载，无法收件", "catalogue or form not loaded"));
		return UI_STAY;
	}
	if (h->draft[0] && !h->discard) {
		app_say(app, true, "%s",
		        T("有未完成的草稿：F4 继续；再按一次 F2 放弃草稿并新建",
		          "a draft is open: F4 resumes it; F2 again discards it"));
		h->discard = true;
		return UI_STAY;
	}
	if (h->draft[0] && !app->unsaved_draft &&
	    store_draft_clear(app->st, app->clerk.id, &e) < 0) {
		app_store_failed(app, T("草稿未能放弃", "the draft could not be discarded"), &e);
		return UI_STAY;
	}
	app_keep_unsaved(app, NULL);
	app->msg[0] = '\0';
	return SCREEN_ITEM;
}

static int home_resume(void *screen, const void *arg)
{
	struct home *h = screen;

	(void)arg;
	if (h->draft[0] == '\0')
		return UI_STAY;
	h->app->resume_draft = true;
	h->app->msg[0] = '\0';
	return SCREEN_COUNTER;
}

static int home_go(void *screen, const void *arg)
{
	struct home *h = screen;
	enum screen_id to = *(const enum screen_id *)arg;

	if (to != SCREEN_QUIT)
		h->app->msg[0] = '\0';
	return to;
}

/* F10: quit -- twice when a draft is only in memory, since it goes with us. */
static int home_quit(void *screen, const void *arg)
{
	struct home *h = screen;

	(void)arg;
	if (h->app->unsaved_draft && !app_save_unsaved(h->app) && !h->leave) {
		app_say(
		    h->app, true, "%s",
		    T("有未能存盘的草稿：退出会丢失它。再按一次 F10 退出",
		      "a draft could not be saved and goes with the program: F10 again to quit"));
		h->leave = true;
		return UI_STAY;
	}
	return SCREEN_QUIT;
}

static int home_sync(void *screen, const void *arg)
{
	struct home *h = screen;

	(void)arg;
	if (h->app->agent)
		sync_agent_poke(h->app->agent);
	app_say(h->app, false, "%s", T("已开始同步", "sync started"));
	return UI_STAY;
}

static int home_keys_page(void *screen, const void *arg)
{
	struct home *h = screen;

	(void)arg;
	app_help(h->app, T("首页：按键", "Home: keys"), home_keys, N_KEYS, NULL);
	return UI_STAY;
}

/* Between cases: the place to switch to a newer catalogue or calendar. */
static void maybe_reload(struct app *app)
{
	struct agent_status as;

	if (app->agent == NULL)
		return;
	sync_agent_status(app->agent, &as);
	if (as.updates_waiting)
		app_reload_data(app);
}

/* Before each key: a newer catalogue, the draft as it is now, the screen. */
static void draw(void *screen)
{
	struct home *h = screen;

	maybe_reload(h->app);
	draft_summary(h);
	draw_home(h);
}

/* A second F2 discards the draft only right after the first. */
static void seen(void *screen, struct ui_key k)
{
	struct home *h = screen;

	if (k.code != UK_F2)
		h->discard = false;
	if (k.code != UK_F10)
		h->leave = false;
}

/* While idle: a draft kept in memory is saved as soon as the database takes it. */
static void home_idle(void *screen)
{
	struct home *h = screen;

	app_save_unsaved(h->app);
}

enum screen_id screen_home(struct app *app)
{
	static const struct screen_ops ops = {draw, seen, NULL};
	struct home h;

	enum screen_id next;

	memset(&h, 0, sizeof h);
	h.app = app;
	app_screen_set(app, &h, home_idle, NULL);
	next = app_screen_loop(app, home_keys, N_KEYS, &h, &ops);
	app_screen_clear(app);
	return next;
}
