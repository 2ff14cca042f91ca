/*
 * screen_intake.c - the applicant form of forms/intake.json for the chosen
 * item, with the item's guide (limit, visits, fee, materials) beside or
 * below it.  Each field is checked when the clerk leaves it; the case is
 * saved only when every field is valid.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "tui/app.h"
#include "tui/fieldview.h"
#include "tui/ui.h"

static const struct ui_action intake_keys[] = {
	{UK_F2, "F2", "保存", "save"},	      {UK_F3, "F3", "照抄上件", "ditto"},
	{UK_F4, "F4", "字段说明", "field help"}, {UK_F1, "F1", "按键", "keys"},
	{UK_ESC, "Esc", "返回", "back"},
};

struct intake {
	struct app *app;
	const struct form *form;
	struct field_edit *edits;
	bool *invalid;
	size_t focus;
	int label_w;
};

static void load_values(struct intake *in)
{
	struct app *app = in->app;
	size_t i, n = in->form->n_fields;

	if (app->values == NULL) {
		app->values = xcalloc(n, sizeof *app->values);
		for (i = 0; i < n; i++)
			app->values[i] = xstrdup(in->form->fields[i].def);
	}
	in->edits = xcalloc(n, sizeof *in->edits);
	in->invalid = xcalloc(n, sizeof *in->invalid);
	for (i = 0; i < n; i++) {
		const struct form_field *fld = &in->form->fields[i];
		int w = utf8_width(fld->label) + (fld->required ? 2 : 0);

		field_init(&in->edits[i], fld->maxlen ? (size_t)fld->maxlen : 1000);
		field_set(&in->edits[i], app->values[i]);
		if (w > in->label_w)
			in->label_w = w;
	}
}

/* Copy the editors back into the draft kept in app. */
static void store_values(struct intake *in)
{
	size_t i;

	for (i = 0; i < in->form->n_fields; i++) {
		free(in->app->values[i]);
		in->app->values[i] = field_text(&in->edits[i]);
	}
}

static void free_intake(struct intake *in)
{
	size_t i;

	for (i = 0; i < in->form->n_fields; i++)
		field_free(&in->edits[i]);
	free(in->edits);
	free(in->invalid);
}

/* Check field i; show the reason on the message line.  True when valid. */
static bool check_field(struct intake *in, size_t i)
{
	char *v = field_text(&in->edits[i]);
	char msg[512];
	bool ok = form_field_check(&in->form->fields[i], v, msg, sizeof msg) == 0;

	free(v);
	in->invalid[i] = !ok;
	if (!ok)
		app_say(in->app, true, "%s", msg);
	return ok;
}

static void leave_field(struct intake *in, size_t next)
{
	in->app->msg[0] = '\0';
	check_field(in, in->focus);
	in->focus = next;
}

/* A fixed-length value is complete: an 18-character ID number, an 11-digit mobile. */
static bool is_complete(const struct form_field *fld, const struct field_edit *f)
{
	if (!fld->autoskip)
		return false;
	if (fld->type == FT_PHONE)
		return f->len == 11 && f->cps[0] == '1';
	return field_is_full(f);
}

static void guide_line(const struct item *it, char *out, size_t n)
{
	char lim[64];

	if (it->promised_days == 0)
		snprintf(lim, sizeof lim, "%s", T("即办件", "same day"));
	else
		snprintf(lim, sizeof lim, T("承诺%d个工作日", "promised %d work days"),
			 it->promised_days);
	snprintf(out, n, T("%s · 到现场%d次 · %s%s", "%s · %d visit(s) · %s%s"), lim, it->visits,
		 it->fee, it->commitment ? T(" · 可告知承诺", " · commitment allowed") : "");
}

static const char *need_text(enum material_need need)
{
	switch (need) {
	case NEED_REQUIRED:
		return T("必要", "required");
	case NEED_OPTIONAL:
		return T("非必要", "optional");
	default:
		return T("容缺后补", "deferrable");
	}
}

/* The item's materials from row y to bottom in columns [x, x + w). */
static void draw_materials(const struct item *it, int y, int x, int w, int bottom)
{
	char line[1024];
	size_t i;

	if (y > bottom)
		return;
	ui_put(y++, x, w, T("申请材料：", "Materials:"), A_BOLD);
	for (i = 0; i < it->n_materials && y <= bottom; i++, y++) {
		const struct material *m = &it->materials[i];

		if (m->exempt)
			snprintf(line, sizeof line, T("%zu. %s（免提交，共享获取）",
						      "%zu. %s (not required: shared data)"),
				 i + 1, m->name);
		else
			snprintf(line, sizeof line, "%zu. %s（%s %d%s，%s）", i + 1, m->name, m->form,
				 m->copies, T("份", ""), need_text(m->need));
		ui_put(y, x, w, line, m->exempt ? ui_attr_dim() : 0);
	}
}

static void draw(struct intake *in)
{
	const struct item *it = in->app->item;
	const struct form *f = in->form;
	int wide = ui_cols() >= 110;
	int form_w = wide ? ui_cols() / 2 + 8 : ui_cols();
	int x = 2 + in->label_w + 2, y = 4, cy = 0, cx = 0;
	size_t i, sec = (size_t)-1;
	char line[1024];

	erase();
	app_draw_frame(in->app, T("新建收件", "New intake"));
	snprintf(line, sizeof line, "%s%s%s%s（%s）", T("事项：", "Item: "), it->name,
		 it->sub_name[0] ? "·" : "", it->sub_name, it->code);
	ui_put(1, 2, ui_cols() - 4, line, A_BOLD);
	guide_line(it, line, sizeof line);
	ui_put(2, 2, ui_cols() - 4, line, ui_attr_dim());
	for (i = 0; i < f->n_fields; i++) {
		const struct form_field *fld = &f->fields[i];
		int box = fld->width < form_w - x - 2 ? fld->width : form_w - x - 2;
		int col;

		if (fld->section != sec) {
			sec = fld->section;
			ui_put(y++, 1, form_w - 2, f->sections[sec].title, A_BOLD);
		}
		snprintf(line, sizeof line, "%s%s", fld->label, fld->required ? " *" : "");
		ui_put(y, 2, in->label_w + 1, line, in->invalid[i] ? ui_attr_error() : 0);
		col = fieldview_draw(y, x, box < 1 ? 1 : box, &in->edits[i], i == in->focus, false);
		if (in->invalid[i])
			ui_put(y, x + box + 1, 2, "!", ui_attr_error());
		if (i == in->focus) {
			cy = y;
			cx = col;
		}
		y++;
	}
	if (wide)
		draw_materials(it, 4, form_w + 2, ui_cols() - form_w - 3, ui_body_bottom());
	else
		draw_materials(it, y + 1, 2, ui_cols() - 4, ui_body_bottom());
	ui_keys_line(intake_keys, (int)(sizeof intake_keys / sizeof intake_keys[0]));
	move(cy, cx);
	curs_set(1);
}

static void ditto(struct intake *in)
{
	const struct form_field *fld = &in->form->fields[in->focus];

	if (!fld->ditto) {
		app_say(in->app, true, "%s", T("此项不能照抄", "this field cannot be copied"));
		return;
	}
	if (in->app->ditto == NULL || in->app->ditto[in->focus] == NULL) {
		app_say(in->app, true, "%s", T("还没有上一件可照抄", "no previous case to copy"));
		return;
	}
	field_set(&in->edits[in->focus], in->app->ditto[in->focus]);
}

/* Save when every field is valid; else focus the first invalid one. */
static bool save(struct intake *in)
{
	struct app *app = in->app;
	const struct form *f = in->form;
	struct case_new cn;
	struct case_row row;
	struct err e = {""};
	size_t i, bad = f->n_fields;
	char *json;

	for (i = f->n_fields; i-- > 0;)
		if (!check_field(in, i))
			bad = i;
	if (bad < f->n_fields) {
		in->focus = bad;
		check_field(in, bad);
		return false;
	}
	store_values(in);
	json = form_values_json(f, app->values);
	cn.clerk = &app->clerk;
	cn.item_code = app->item->code;
	cn.item_name = app->item->name;
	cn.fields_json = json;
	cn.name = form_value(f, app->values, "name");
	cn.id_number = form_value(f, app->values, "id_number");
	cn.phone = form_value(f, app->values, "phone");
	if (store_case_create(app->st, &cn, &row, &e) < 0) {
		app_say(app, true, "%s%s", T("保存失败：", "save failed: "), e.msg);
		free(json);
		return false;
	}
	free(json);
	if (app->ditto)
		for (i = 0; i < f->n_fields; i++)
			free(app->ditto[i]);
	free(app->ditto);
	app->ditto = app->values;
	app->values = NULL;
	if (app->agent)
		sync_agent_poke(app->agent);
	app_say(app, false, T("已保存，案件编号 %s（%s，%s）", "Saved: case %s (%s, %s)"),
		row.case_no, row.name, T("待同步", "waiting to sync"));
	return true;
}

static void show_help(struct intake *in)
{
	const struct form_field *fld = &in->form->fields[in->focus];

	app_say(in->app, false, "%s%s%s", fld->label, T("：", ": "),
		fld->help[0] ? fld->help : T("（无说明）", "(no help)"));
}

static void type_key(struct intake *in, struct ui_key k)
{
	struct field_edit *fe = &in->edits[in->focus];
	const struct form_field *fld = &in->form->fields[in->focus];

	if (!fieldview_edit(fe, k))
		return;
	if (k.code == UK_CHAR && is_complete(fld, fe) && in->focus + 1 < in->form->n_fields)
		leave_field(in, in->focus + 1);
}

enum screen_id screen_intake(struct app *app)
{
	struct intake in = {.app = app, .form = app->intake, .focus = 0, .label_w = 8};
	enum screen_id next = SCREEN_HOME;
	size_t n = in.form->n_fields;
	bool done = false;

	load_values(&in);
	while (!done) {
		struct ui_key k;

		draw(&in);
		k = app_read_key(app);
		switch (k.code) {
		case UK_TAB:
		case UK_ENTER:
		case UK_DOWN:
			leave_field(&in, in.focus + 1 < n ? in.focus + 1 : 0);
			break;
		case UK_BTAB:
		case UK_UP:
			leave_field(&in, in.focus > 0 ? in.focus - 1 : n - 1);
			break;
		case UK_F2:
			if (save(&in))
				done = true;
			break;
		case UK_F3:
			ditto(&in);
			break;
		case UK_F4:
			show_help(&in);
			break;
		case UK_F1:
			app_say(app, false, "%s",
				T("Tab/Enter 下一项  Shift-Tab 上一项  F2 保存  F3 照抄上件  F4 说明  "
				  "Ctrl-U 清空  Insert 改写  Esc 返回（草稿保留）",
				  "Tab/Enter next  Shift-Tab back  F2 save  F3 ditto  F4 help  "
				  "Ctrl-U clear  Insert overwrite  Esc back (draft kept)"));
			break;
		case UK_ESC:
			store_values(&in);
			app_say(app, false, "%s",
				T("草稿已保留，再次选择该事项可继续填写",
				  "draft kept: choose the item again to go on"));
			next = SCREEN_ITEM;
			done = true;
			break;
		default:
			type_key(&in, k);
		}
	}
	free_intake(&in);
	return next;
}
