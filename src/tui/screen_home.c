/*
 * screen_home.c - the window's identity, the menu, and the last message.
 */
#include <curses.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/i18n.h"
#include "tui/app.h"
#include "tui/ui.h"

static const struct ui_action home_keys[] = {
    {UK_F2, "F2", "新建收件", "new intake"}, {UK_F4, "F4", "继续草稿", "resume draft"},
    {UK_F3, "F3", "最近案件", "cases"},      {UK_F5, "F5", "立即同步", "sync now"},
    {UK_F6, "F6", "同步问题", "problems"},   {UK_F10, "F10", "退出", "quit"},
    {UK_F1, "F1", "按键", "keys"},
};

/* The stored draft as "事项 · 申请人", or "" when there is none. */
static void draft_summary(struct app *app, char *out, size_t n)
{
	struct json_object *o = NULL, *code = NULL, *values, *name;
	char *body = NULL;
	const struct item *it = NULL;

	out[0] = '\0';
	if (store_draft_load(app->st, app->clerk.id, &body, NULL) == 1)
		o = json_tokener_parse(body);
	free(body);
	if (o == NULL)
		return;
	if (json_object_object_get_ex(o, "item_code", &code))
		it = catalogue_find(app->cat, json_object_get_string(code));
	if (it) {
		const char *who = "";

		if (json_object_object_get_ex(o, "values", &values) &&
		    json_object_object_get_ex(values, "name", &name))
			who = json_object_get_string(name);
		snprintf(out, n, "%s · %s", it->name,
		         who[0] ? who : T("（未填姓名）", "(no name)"));
	} else {
		/* never hide a draft: F2 would discard it without a word */
		snprintf(
		    out, n,
		    T("事项 %s 已不在目录中，无法继续", "item %s is no longer in the catalogue"),
		    code ? json_object_get_string(code) : "?");
	}
	json_object_put(o);
}

static void draw(struct app *app, const char *draft)
{
	char line[512];
	int y = 2;

	erase();
	app_draw_frame(app, T("通办 · 首页", "tongban · home"));
	snprintf(line, sizeof line, "%s%s", T("服务大厅：", "Hall:    "), app->clerk.hall_name);
	ui_put(y++, 4, ui_cols() - 8, line, 0);
	snprintf(line, sizeof line, "%s%s%s", T("窗口：    ", "Window:  "), app->clerk.window,
	         T("号窗口", ""));
	ui_put(y++, 4, ui_cols() - 8, line, 0);
	snprintf(line, sizeof line, "%s%s（%s）", T("工作人员：", "Clerk:   "), app->clerk.name,
	         app->clerk.id);
	ui_put(y++, 4, ui_cols() - 8, line, 0);
	y++;
	ui_put(y++, 4, ui_cols() - 8, T("[F2] 新建收件", "[F2] New intake"), A_BOLD);
	if (draft[0]) {
		snprintf(line, sizeof line, "%s%s",
		         T("[F4] 继续未完成的草稿：", "[F4] Resume draft: "), draft);
		ui_put(y++, 4, ui_cols() - 8, line, ui_attr_error());
	}
	ui_put(y++, 4, ui_cols() - 8, T("[F3] 最近案件", "[F3] Recent cases"), A_BOLD);
	ui_put(y++, 4, ui_cols() - 8, T("[F5] 立即同步", "[F5] Sync now"), A_BOLD);
	ui_put(y++, 4, ui_cols() - 8, T("[F6] 同步问题", "[F6] Sync problems"), A_BOLD);
	ui_put(y++, 4, ui_cols() - 8, T("[F10] 退出", "[F10] Quit"), A_BOLD);
	if (app->load_error[0]) {
		y++;
		ui_put(y++, 4, ui_cols() - 8, T("数据文件有错误：", "Data file error:"),
		       ui_attr_error());
		ui_put(y, 4, ui_cols() - 8, app->load_error, ui_attr_error());
	}
	if (draft[0]) {
		ui_keys_line(home_keys, (int)(sizeof home_keys / sizeof home_keys[0]));
	} else {
		/* without a draft, F4 (the second entry) is left off */
		struct ui_action keys[sizeof home_keys / sizeof home_keys[0]];
		size_t i, n = 0;

		for (i = 0; i < sizeof home_keys / sizeof home_keys[0]; i++)
			if (home_keys[i].key != UK_F4)
				keys[n++] = home_keys[i];
		ui_keys_line(keys, (int)n);
	}
	move(ui_body_bottom(), 0);
	curs_set(0);
}

enum screen_id screen_home(struct app *app)
{
	bool discard = false;

	for (;;) {
		struct ui_key k;
		char draft[512];

		if (app->agent) {
			struct agent_status as;

			/* between cases: the place to switch to a newer catalogue or calendar */
			sync_agent_status(app->agent, &as);
			if (as.updates_waiting)
				app_reload_data(app);
		}
		draft_summary(app, draft, sizeof draft);
		draw(app, draft);
		k = app_read_key(app);
		if (k.code != UK_F2)
			discard = false;
		switch (k.code) {
		case UK_F2:
			if (app->cat == NULL || app->intake == NULL) {
				app_say(app, true, "%s",
				        T("目录或表单未能加载，无法收件",
				          "catalogue or form not loaded"));
				break;
			}
			if (draft[0] && !discard) {
				app_say(app, true, "%s",
				        T("有未完成的草稿：F4 继续；再按一次 F2 放弃草稿并新建",
				          "a draft is open: F4 resumes it; F2 again discards it"));
				discard = true;
				break;
			}
			store_draft_clear(app->st, app->clerk.id, NULL);
			app->msg[0] = '\0';
			return SCREEN_ITEM;
		case UK_F4:
			if (draft[0] == '\0')
				break;
			app->resume_draft = true;
			app->msg[0] = '\0';
			return SCREEN_COUNTER;
		case UK_F3:
			app->msg[0] = '\0';
			return SCREEN_CASES;
		case UK_F5:
			if (app->agent)
				sync_agent_poke(app->agent);
			app_say(app, false, "%s", T("已开始同步", "sync started"));
			break;
		case UK_F1:
			app_help(app, T("首页：按键", "Home: keys"), home_keys,
			         (int)(sizeof home_keys / sizeof home_keys[0]), NULL);
			break;
		case UK_F6:
			app->msg[0] = '\0';
			return SCREEN_PROBLEMS;
		case UK_F10:
			return SCREEN_QUIT;
		default:
			break;
		}
	}
}
