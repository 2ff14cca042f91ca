/*
 * screen_home.c - the window's identity, the menu, and the last message.
 */
#include <curses.h>
#include <stdio.h>

#include "core/i18n.h"
#include "tui/app.h"
#include "tui/ui.h"

static const struct ui_action home_keys[] = {
	{UK_F2, "F2", "新建收件", "new intake"}, {UK_F3, "F3", "最近案件", "recent cases"},
	{UK_F5, "F5", "立即同步", "sync now"},	 {UK_F1, "F1", "按键说明", "keys"},
	{UK_F10, "F10", "退出", "quit"},
};

static void draw(struct app *app)
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
	ui_put(y++, 4, ui_cols() - 8, T("[F3] 最近案件", "[F3] Recent cases"), A_BOLD);
	ui_put(y++, 4, ui_cols() - 8, T("[F5] 立即同步", "[F5] Sync now"), A_BOLD);
	ui_put(y++, 4, ui_cols() - 8, T("[F10] 退出", "[F10] Quit"), A_BOLD);
	if (app->load_error[0]) {
		y++;
		ui_put(y++, 4, ui_cols() - 8, T("数据文件有错误：", "Data file error:"),
		       ui_attr_error());
		ui_put(y, 4, ui_cols() - 8, app->load_error, ui_attr_error());
	}
	ui_keys_line(home_keys, (int)(sizeof home_keys / sizeof home_keys[0]));
	move(ui_body_bottom(), 0);
	curs_set(0);
}

enum screen_id screen_home(struct app *app)
{
	for (;;) {
		struct ui_key k;

		draw(app);
		k = app_read_key(app);
		switch (k.code) {
		case UK_F2:
			if (app->cat == NULL || app->intake == NULL) {
				app_say(app, true, "%s",
					T("目录或表单未能加载，无法收件", "catalogue or form not loaded"));
				break;
			}
			app->msg[0] = '\0';
			return SCREEN_ITEM;
		case UK_F3:
			app->msg[0] = '\0';
			return SCREEN_CASES;
		case UK_F5:
			if (app->agent)
				sync_agent_poke(app->agent);
			app_say(app, false, "%s", T("已开始同步", "sync started"));
			break;
		case UK_F1:
			app_say(app, false, "%s",
				T("F2 新建收件  F3 最近案件  F5 立即同步  F10 退出",
				  "F2 new intake  F3 recent cases  F5 sync now  F10 quit"));
			break;
		case UK_F10:
			return SCREEN_QUIT;
		default:
			break;
		}
	}
}
