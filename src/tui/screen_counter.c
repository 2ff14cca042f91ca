/*
 * screen_counter.c - a case at the counter: the applicant form, the item's
 * guide and the material checklist, and the four decisions of 行政许可法
 * art. 32, one key each: accept (F5), one-time notice (F6), accept on
 * commitment (F7), refuse (F8).  The same screen takes a returning
 * applicant's supplement after a notice.  The draft is saved at every field
 * exit and checklist change, so a crash loses nothing typed before it.
 */
#include <curses.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/casestate.h"
#include "core/checklist.h"
#include "core/i18n.h"
#include "core/utf8.h"
#include "tui/app.h"
#include "tui/forms.h"
#include "tui/formview.h"
#include "tui/notice_build.h"
#include "tui/ui.h"

/* The decisions first; what does not fit in 80 columns is under F1. */
static const struct ui_action counter_keys[] = {
    {UK_F5, "F5", "受理", "accept"},          {UK_F6, "F6", "一次性告知", "notice"},
    {UK_F7, "F7", "承诺受理", "commit"},      {UK_F8, "F8", "不予受理", "refuse"},
    {UK_F9, "F9", "个人/单位", "person/org"}, {UK_F1, "F1", "按键", "keys"},
    {UK_F3, "F3", "照抄", "ditto"},           {UK_F4, "F4", "说明", "help"},
    {UK_ESC, "Esc", "返回", "back"},
};

enum zone { ZONE_FORM, ZONE_LIST };

struct counter {
	struct app *app;
	const struct item *item;
	struct form *form; /* the applicant form of its kind + the item's fields; owned */
	bool org;          /* the applicant is an organisation */
	struct formview fv;
	struct checklist cl;
	struct checklist first; /* supplement: the checklist when the notice was issued */
	bool supplement;
	struct case_row row; /* the case once it exists */
	bool has_case;
	enum zone zone;
	size_t sel; /* checklist row */
	size_t top;
};

/* What F1 shows besides the keys line. */
static const char *const counter_help[][2] = {
    {"Tab/Enter  下一项    Shift-Tab  上一项    PgDn  到材料清单    PgUp  回到表单",
     "Tab/Enter next field   Shift-Tab previous   PgDn checklist   PgUp form"},
    {"身份证号码满 18 位、手机号满 11 位自动跳到下一项",
     "a full 18-character ID number or 11-digit mobile moves on by itself"},
    {"Ctrl-U 清空本项   Insert 插入/改写   Ctrl-←/→ 按词移动   Home/End 行首/行尾",
     "Ctrl-U clear   Insert overwrite   Ctrl-Left/Right by word   Home/End"},
    {"材料清单：空格或 1 原件  2 复印件  3 电子  4 缺  5 有误（写明原因）  6 承诺",
     "checklist: Space/1 original  2 copy  3 electronic  4 missing  5 defective  6 committed"},
    {"免提交的材料由大厅共享获取，不要向申请人索要",
     "materials marked 免提交 come from shared data: never ask for them"},
    {"Esc 返回首页，草稿保留（首页 F4 继续）",
     "Esc back to home, the draft is kept (F4 resumes it)"},
    {NULL, NULL},
};

/* ---- drafts ---------------------------------------------------------- */

static void draft_save_now(struct counter *c)
{
	struct json_object *o = json_object_new_object();
	char **vals = formview_values(&c->fv);
	char *values = form_values_json(c->fv.form, vals), *cl = checklist_to_json(&c->cl);

	json_object_object_add(o, "item_code", json_object_new_string(c->item->code));
	json_object_object_add(o, "kind",
	                       json_object_new_string(c->org ? "organisation" : "person"));
	json_object_object_add(o, "case_id", json_object_new_string(c->has_case ? c->row.id : ""));
	json_object_object_add(o, "values", json_tokener_parse(values));
	json_object_object_add(o, "checklist", json_tokener_parse(cl));
	store_draft_save(c->app->st, c->app->clerk.id, json_object_to_json_string(o), NULL);
	json_object_put(o);
	values_free(vals, c->fv.form->n_fields);
	free(values);
	free(cl);
}

static void draft_save(struct counter *c)
{
	if (!c->supplement) /* a supplement has its case; the intake draft stays as it is */
		draft_save_now(c);
}

static void draft_clear(struct counter *c)
{
	if (!c->supplement)
		store_draft_clear(c->app->st, c->app->clerk.id, NULL);
}

/* Field values from a JSON object {"id": "value"} in form order.  Caller frees. */
static char **values_from_json(const struct form *f, struct json_object *o)
{
	char **v = xcalloc(f->n_fields ? f->n_fields : 1, sizeof *v);
	size_t i;

	for (i = 0; i < f->n_fields; i++) {
		struct json_object *x;

		v[i] = xstrdup(o && json_object_object_get_ex(o, f->fields[i].id, &x) &&
		                       json_object_is_type(x, json_type_string)
		                   ? json_object_get_string(x)
		                   : f->fields[i].def);
	}
	return v;
}

/* The applicant's values as JSON, with the kind of applicant.  Caller frees. */
static char *applicant_json(const struct counter *c, char *const *vals)
{
	char *plain = form_values_json(c->fv.form, vals), *out;
	struct json_object *o = json_tokener_parse(plain);

	json_object_object_add(o, "kind",
	                       json_object_new_string(c->org ? "organisation" : "person"));
	out = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                                    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	free(plain);
	return out;
}

/* True when the JSON object o says the applicant is an organisation. */
static bool is_org(struct json_object *o)
{
	struct json_object *k;

	return o && json_object_object_get_ex(o, "kind", &k) &&
	       strcmp(json_object_get_string(k), "organisation") == 0;
}

/* (Re)build the form for the item and kind, carrying over values by field id. */
static bool build_form(struct counter *c, struct json_object *values)
{
	char **vals;

	c->form = app_intake_form(c->app, c->org, c->item->code);
	if (c->form == NULL) {
		app_say(c->app, true,
		        T("缺少申请人表单 forms/%s.json", "applicant form forms/%s.json missing"),
		        c->org ? "intake_org" : "intake");
		return false;
	}
	vals = values_from_json(c->form, values);
	formview_init(&c->fv, c->form, vals);
	values_free(vals, c->form->n_fields);
	return true;
}

/* F9: person <-> organisation, keeping what fits (name, phone, address...). */
static void toggle_kind(struct counter *c)
{
	char **vals, *json;
	struct json_object *o;
	struct form *old = c->form;

	if (c->has_case) {
		app_say(c->app, true, "%s",
		        T("案件已建立，不能再改申请人类型",
		          "the case exists: the applicant kind is fixed"));
		return;
	}
	vals = formview_values(&c->fv);
	json = form_values_json(old, vals);
	o = json_tokener_parse(json);
	values_free(vals, old->n_fields);
	free(json);
	formview_free(&c->fv);
	c->org = !c->org;
	if (!build_form(c, o)) {
		c->org = !c->org;
		build_form(c, o);
	}
	form_free(old);
	json_object_put(o);
	c->zone = ZONE_FORM;
	app_say(c->app, false, "%s",
	        c->org ? T("申请人：单位", "applicant: organisation")
	               : T("申请人：个人", "applicant: person"));
	draft_save(c);
}

/* ---- drawing --------------------------------------------------------- */

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
		return T("容缺", "deferrable");
	}
}

/* One checklist row: "[原件  ] 1. 名称（原件 1份 必要）★" */
static void draw_row(struct counter *c, size_t i, int y, int w)
{
	const struct material *m = &c->item->materials[i];
	const struct mat_check *mc = &c->cl.m[i];
	bool asked = c->supplement && !mat_status_is_in(c->first.m[i].status) &&
	             c->first.m[i].status != MS_UNCHECKED;
	bool sel = c->zone == ZONE_LIST && c->sel == i;
	char line[1024], tag[64];
	int attr = sel ? ui_attr_select() : 0;

	snprintf(line, sizeof line, "[%s]", mat_status_label(mc->status));
	ui_pad_text(tag, sizeof tag, line, 10); /* by display width: the names line up */
	if (mc->status == MS_MISSING || mc->status == MS_DEFECTIVE)
		attr = sel ? attr : ui_attr_error();
	snprintf(line, sizeof line, "%s %zu. %s（%s %d%s %s）%s%s%s", tag, i + 1, m->name, m->form,
	         m->copies, T("份", ""), need_text(m->need), asked ? T(" ★待补", " * asked") : "",
	         mc->reason[0] ? " " : "", mc->reason);
	ui_put_pad(y, 2, w, line, attr);
}

/* The applicant in one line, for the materials page. */
static void applicant_line(struct counter *c, int y)
{
	char **vals = formview_values(&c->fv), line[512];

	snprintf(line, sizeof line, "%s%s  %s  %s", T("申请人：", "Applicant: "),
	         form_value(c->fv.form, vals, "name"), form_value(c->fv.form, vals, "id_number"),
	         form_value(c->fv.form, vals, "phone"));
	ui_put(y, 2, ui_cols() - 4, line, 0);
	values_free(vals, c->fv.form->n_fields);
}

/* The checklist from row y to bottom. */
static void draw_checklist(struct counter *c, int y, int bottom, int *cy, int *cx)
{
	int rows, i;

	ui_put(y++, 1, ui_cols() - 2,
	       T("申请材料  空格=原件 1原件 2复印件 3电子 4缺 5有误 6承诺  PgUp 回表单",
	         "Materials  Space=original 1orig 2copy 3electr. 4missing 5defective 6commit"),
	       A_BOLD);
	rows = bottom - y + 1;
	if (rows < 1)
		return;
	if (c->sel < c->top)
		c->top = c->sel;
	if (c->sel >= c->top + (size_t)rows)
		c->top = c->sel - (size_t)rows + 1;
	for (i = 0; i < rows && c->top + (size_t)i < c->cl.n; i++)
		draw_row(c, c->top + (size_t)i, y + i, ui_cols() - 4);
	if (c->zone == ZONE_LIST) {
		*cy = y + (int)(c->sel - c->top);
		*cx = 3;
	}
}

/*
 * The form and the checklist on one page when the terminal is tall enough;
 * else (80x24 with a long form) two pages: the form with a line saying the
 * materials are a PgDn away, or the applicant in one line over the checklist.
 */
static void draw(struct counter *c, int *cy, int *cx)
{
	char line[1024];
	int bottom = ui_body_bottom(), y;
	bool fits;

	erase();
	app_draw_frame(c->app, c->supplement ? T("补正材料", "Supplement") : T("收件", "Intake"));
	snprintf(line, sizeof line, "%s%s%s%s（%s）%s%s", T("事项：", "Item: "), c->item->name,
	         c->item->sub_name[0] ? "·" : "", c->item->sub_name, c->item->code,
	         c->has_case ? "  " : "", c->has_case ? c->row.case_no : "");
	ui_put(1, 2, ui_cols() - 4, line, A_BOLD);
	guide_line(c->item, line, sizeof line);
	ui_put(2, 2, ui_cols() - 4, line, ui_attr_dim());
	fits = 3 + formview_rows(&c->fv) + 1 + (int)c->cl.n - 1 <= bottom;
	if (fits) {
		y = formview_draw(&c->fv, 3, bottom, 2, ui_cols() - 2, c->zone == ZONE_FORM, cy,
		                  cx);
		draw_checklist(c, y, bottom, cy, cx);
	} else if (c->zone == ZONE_FORM) {
		formview_draw(&c->fv, 3, bottom - 1, 2, ui_cols() - 2, true, cy, cx);
		snprintf(line, sizeof line,
		         T("申请材料 %zu 项：PgDn 核对", "%zu materials: PgDn to check them"),
		         c->cl.n);
		ui_put(bottom, 1, ui_cols() - 2, line, A_BOLD);
	} else {
		applicant_line(c, 3);
		draw_checklist(c, 4, bottom, cy, cx);
	}
	ui_keys_line(counter_keys, (int)(sizeof counter_keys / sizeof counter_keys[0]));
}

/* ---- the checklist ------------------------------------------------------ */

static void set_status(struct counter *c, enum mat_status s)
{
	struct mat_check *mc = &c->cl.m[c->sel];
	const struct material *m = &c->item->materials[c->sel];
	char *reason;

	if (m->exempt) {
		app_say(c->app, false, "%s",
		        T("该材料免提交（共享获取），不要向申请人索要",
		          "this material comes from shared data: do not ask the applicant for it"));
		if (c->sel + 1 < c->cl.n)
			c->sel++;
		return;
	}
	if (s == MS_COMMITTED &&
	    !(c->item->commitment && (m->commitable || m->need == NEED_DEFERRABLE))) {
		app_say(
		    c->app, true, "%s",
		    T("该材料不能以承诺代替", "this material cannot be replaced by a commitment"));
		return;
	}
	mc->reason[0] = '\0';
	if (s == MS_DEFECTIVE) {
		reason = app_prompt(c->app, T("有误原因：", "What is wrong:"), "", 80);
		if (reason == NULL || reason[0] == '\0') {
			free(reason);
			app_say(c->app, true, "%s",
			        T("有误须写明原因", "a defective material needs a reason"));
			return;
		}
		str_copy(mc->reason, sizeof mc->reason, reason);
		free(reason);
	}
	mc->status = s;
	c->app->msg[0] = '\0';
	if (c->sel + 1 < c->cl.n)
		c->sel++;
	draft_save(c);
}

static void list_key(struct counter *c, struct ui_key k)
{
	static const enum mat_status by_digit[] = {MS_ORIGINAL, MS_COPY,      MS_ELECTRONIC,
	                                           MS_MISSING,  MS_DEFECTIVE, MS_COMMITTED};

	switch (k.code) {
	case UK_UP:
		if (c->sel > 0)
			c->sel--;
		else
			c->zone = ZONE_FORM;
		break;
	case UK_DOWN:
	case UK_ENTER:
		if (c->sel + 1 < c->cl.n)
			c->sel++;
		break;
	case UK_TAB:
		c->zone = ZONE_FORM;
		c->fv.focus = 0;
		break;
	case UK_BTAB:
		c->zone = ZONE_FORM;
		c->fv.focus = c->fv.form->n_fields - 1;
		break;
	case UK_CHAR:
		if (k.ch == ' ')
			set_status(c, MS_ORIGINAL);
		else if (k.ch >= '1' && k.ch <= '6')
			set_status(c, by_digit[k.ch - '1']);
		break;
	default:
		break;
	}
}

/* ---- decisions ---------------------------------------------------------- */

/* The form must be valid for any decision. */
static bool form_ok(struct counter *c)
{
	char msg[512];

	if (c->supplement || formview_check_all(&c->fv, msg, sizeof msg) < 0)
		return true;
	c->zone = ZONE_FORM;
	app_say(c->app, true, "%s", msg);
	return false;
}

/* Create the case (state received) when it does not exist yet. */
static bool ensure_case(struct counter *c)
{
	struct app *app = c->app;
	char **vals, *json;
	struct case_new cn;
	struct err e = {0};
	int rc;

	if (c->has_case)
		return true;
	vals = formview_values(&c->fv);
	json = applicant_json(c, vals);
	cn.clerk = &app->clerk;
	cn.item_code = c->item->code;
	cn.item_name = c->item->name;
	cn.fields_json = json;
	cn.name = form_value(c->fv.form, vals, "name");
	cn.id_number = form_value(c->fv.form, vals, "id_number");
	cn.phone = form_value(c->fv.form, vals, "phone");
	rc = store_case_create(app->st, &cn, &c->row, &e);
	values_free(vals, c->fv.form->n_fields);
	if (rc < 0) {
		free(json);
		app_say(app, true, "%s%s", T("保存失败：", "save failed: "), e.msg);
		return false;
	}
	free(app->ditto_json);
	app->ditto_json = json;
	c->has_case = true;
	draft_save(c);
	return true;
}

/* A date n working days from today, as text; a calendar gap is said loudly. */
static bool workdays_from_today(struct counter *c, int n, struct tb_date *d, char *text, size_t tn)
{
	struct err e = {0};
	struct tb_date today = app_today(c->app);

	memset(d, 0, sizeof *d);
	if (c->app->cal && cal_add_workdays(c->app->cal, today, n, NULL, 0, d, &e) == 0) {
		notice_date_text(*d, text, tn);
		return true;
	}
	snprintf(text, tn, "%s",
	         T("（工作日历缺少数据，无法计算，请人工核定）",
	           "(no working-day calendar data: set the date by hand)"));
	app_say(c->app, true, "%s%s", T("警告：", "warning: "),
	        e.msg[0] ? e.msg : T("没有工作日历", "no calendar"));
	return false;
}

/* Write the decision's events (after a supplemented event when supplementing)
 * with the notice in one transaction, then show the notice. */
static enum screen_id decide(struct counter *c, const char *type, const char *payload,
                             const char *notice_kind, const struct notice_input *ni)
{
	struct app *app = c->app;
	struct case_change ch[2];
	enum case_event_type ev;
	enum case_state from = c->supplement ? CS_AWAITING_SUPPLEMENT : CS_RECEIVED, to;
	struct err e = {0};
	char why[256], *text, *cl = checklist_to_json(&c->cl), *sup;
	size_t n = 0;

	text = notice_build(app, ni, &e);
	if (text == NULL) {
		app_say(app, true, "%s%s", T("通知书生成失败：", "notice failed: "), e.msg);
		free(cl);
		return SCREEN_COUNTER;
	}
	memset(ch, 0, sizeof ch);
	sup = xasprintf("{\"materials\":%s}", cl);
	if (c->supplement) {
		ch[n].case_id = c->row.id;
		ch[n].clerk = &app->clerk;
		ch[n].type = "supplemented";
		ch[n].payload_json = sup;
		ch[n].new_state = casestate_name(CS_RECEIVED);
		n++;
		from = CS_RECEIVED;
	}
	case_event_from_name(type, &ev);
	if (casestate_next(from, ev, NULL, &to, why, sizeof why) < 0) {
		app_say(app, true, "%s", why);
		free(text);
		free(cl);
		free(sup);
		return SCREEN_COUNTER;
	}
	ch[n].case_id = c->row.id;
	ch[n].clerk = &app->clerk;
	ch[n].type = type;
	ch[n].payload_json = payload;
	ch[n].new_state = casestate_name(to);
	ch[n].notice_kind = notice_kind;
	ch[n].notice_text = text;
	n++;
	free(cl);
	if (store_case_append(app->st, ch, n, &e) < 0) {
		free(sup);
		free(text);
		app_say(app, true, "%s%s", T("保存失败：", "save failed: "), e.msg);
		return SCREEN_COUNTER;
	}
	free(sup);
	draft_clear(c);
	if (app->agent)
		sync_agent_poke(app->agent);
	app_say(app, false, T("%s：案件编号 %s（%s）", "%s: case %s (%s)"), casestate_label(to),
	        c->row.case_no, c->row.name);
	return app_show_notice(app, text, SCREEN_HOME);
}

/* True when the form names an agent (帮办代办). */
static bool has_agent(struct counter *c)
{
	char **vals = formview_values(&c->fv);
	bool yes = form_value(c->fv.form, vals, "agent_name")[0] != '\0';

	values_free(vals, c->fv.form->n_fields);
	return yes;
}

static char *materials_payload(struct counter *c, const char *extra)
{
	char *cl = checklist_to_json(&c->cl);
	char *p = xasprintf("{\"materials\":%s%s}", cl, extra);

	free(cl);
	return p;
}

static enum screen_id do_accept(struct counter *c)
{
	struct notice_input ni = {
	    .kind = "acceptance", .today = app_today(c->app), .item = c->item, .cl = &c->cl};
	struct tb_date due;
	char why[512], due_text[128], extra[256], *payload;
	enum screen_id next;

	if (!form_ok(c))
		return SCREEN_COUNTER;
	if (checklist_can_accept(&c->cl, why, sizeof why) < 0 ||
	    checklist_check_agent(&c->cl, has_agent(c), why, sizeof why) < 0) {
		app_say(c->app, true, "%s", why);
		return SCREEN_COUNTER;
	}
	if (!ensure_case(c))
		return SCREEN_COUNTER;
	if (workdays_from_today(c, c->item->promised_days, &due, due_text, sizeof due_text))
		snprintf(extra, sizeof extra, ",\"promised_date\":\"%04d-%02d-%02d\"", due.y, due.m,
		         due.d);
	else
		snprintf(extra, sizeof extra, ",\"promised_date\":\"\"");
	ni.row = &c->row;
	ni.due_date = due_text;
	payload = materials_payload(c, extra);
	next = decide(c, "accepted", payload, "acceptance", &ni);
	free(payload);
	return next;
}

static enum screen_id do_notice(struct counter *c)
{
	struct notice_input ni = {
	    .kind = "supplement", .today = app_today(c->app), .item = c->item, .cl = &c->cl};
	struct tb_date by;
	char why[512], by_text[128], by_iso[16] = "", *note, *extra, *payload;
	struct json_object *jnote;
	enum screen_id next;

	if (!form_ok(c))
		return SCREEN_COUNTER;
	if (checklist_can_notice(&c->cl, why, sizeof why) < 0 ||
	    (c->supplement && checklist_notice_again_ok(&c->first, &c->cl, why, sizeof why) < 0)) {
		app_say(c->app, true, "%s", why);
		return SCREEN_COUNTER;
	}
	note = app_prompt(c->app, T("补充说明（可空，回车确认）：", "Note (optional, Enter):"), "",
	                  200);
	if (note == NULL)
		return SCREEN_COUNTER;
	if (!ensure_case(c)) {
		free(note);
		return SCREEN_COUNTER;
	}
	if (workdays_from_today(c, c->app->cfg.supplement_days, &by, by_text, sizeof by_text))
		snprintf(by_iso, sizeof by_iso, "%04d-%02d-%02d", by.y, by.m, by.d);
	jnote = json_object_new_string(note);
	extra = xasprintf(",\"supply_by\":\"%s\",\"note\":%s", by_iso,
	                  json_object_to_json_string(jnote));
	json_object_put(jnote);
	ni.row = &c->row;
	ni.supply_by = by_text;
	ni.note = note;
	payload = materials_payload(c, extra);
	next = decide(c, "notice_issued", payload, "supplement", &ni);
	free(payload);
	free(extra);
	free(note);
	return next;
}

static enum screen_id do_commit(struct counter *c)
{
	struct notice_input ni = {
	    .kind = "commitment", .today = app_today(c->app), .item = c->item, .cl = &c->cl};
	struct commitment *cm = xcalloc(c->cl.n ? c->cl.n : 1, sizeof *cm);
	struct json_object *arr = json_object_new_array();
	struct tb_date due, promised;
	char why[512], text[128], due_text[128], promised_iso[16] = "", *extra, *payload;
	size_t i, n = 0;
	enum screen_id next = SCREEN_COUNTER;

	if (!form_ok(c))
		goto out;
	if (checklist_can_commit(&c->cl, why, sizeof why) < 0 ||
	    checklist_check_agent(&c->cl, has_agent(c), why, sizeof why) < 0) {
		app_say(c->app, true, "%s", why);
		goto out;
	}
	/* a commitment without its due date would be worthless: refuse rather than guess */
	if (!workdays_from_today(c, c->app->cfg.commitment_days, &due, text, sizeof text))
		goto out;
	if (workdays_from_today(c, c->item->promised_days, &promised, due_text, sizeof due_text))
		snprintf(promised_iso, sizeof promised_iso, "%04d-%02d-%02d", promised.y,
		         promised.m, promised.d);
	if (!ensure_case(c))
		goto out;
	for (i = 0; i < c->cl.n; i++) {
		struct json_object *o;

		if (c->cl.m[i].status != MS_COMMITTED)
			continue;
		cm[n].m = &c->item->materials[i];
		cm[n].due = due;
		if (i18n_is_chinese())
			snprintf(cm[n].content, sizeof cm[n].content,
			         "申请人承诺于%s前补交“%s”，所作承诺真实有效", text, cm[n].m->name);
		else
			snprintf(cm[n].content, sizeof cm[n].content,
			         "the applicant commits to supply '%s' by %s", cm[n].m->name, text);
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_string(cm[n].m->id));
		json_object_object_add(o, "name", json_object_new_string(cm[n].m->name));
		json_object_object_add(o, "content", json_object_new_string(cm[n].content));
		snprintf(why, sizeof why, "%04d-%02d-%02d", due.y, due.m, due.d);
		json_object_object_add(o, "due_date", json_object_new_string(why));
		json_object_array_add(arr, o);
		n++;
	}
	extra = xasprintf(",\"commitments\":%s,\"promised_date\":\"%s\"",
	                  json_object_to_json_string(arr), promised_iso);
	ni.row = &c->row;
	ni.commits = cm;
	ni.n_commits = n;
	ni.due_date = due_text;
	payload = materials_payload(c, extra);
	next = decide(c, "committed", payload, "commitment", &ni);
	free(payload);
	free(extra);
out:
	json_object_put(arr);
	free(cm);
	return next;
}

/* The refusal dialog (forms/refusal.json); NULL when the clerk backs out. */
static char **refusal_dialog(struct counter *c)
{
	const struct form *f = c->app->refusal;
	char **vals = xcalloc(f->n_fields, sizeof *vals), **out = NULL, msg[512];
	struct formview fv;
	size_t i;

	for (i = 0; i < f->n_fields; i++)
		vals[i] = xstrdup(strcmp(f->fields[i].id, "legal_basis") == 0 ? c->item->legal_basis
		                                                              : f->fields[i].def);
	formview_init(&fv, f, vals);
	values_free(vals, f->n_fields);
	app_say(
	    c->app, false, "%s",
	    T("填写不予受理的理由，F2 确认，Esc 取消", "give the reason; F2 confirm, Esc cancel"));
	for (;;) {
		static const struct ui_action keys[] = {{UK_F2, "F2", "确认不予受理", "confirm"},
		                                        {UK_ESC, "Esc", "取消", "cancel"}};
		struct ui_key k;
		int cy = 0, cx = 0;

		erase();
		app_draw_frame(c->app, T("不予受理", "Refuse"));
		formview_draw(&fv, 2, ui_body_bottom(), 2, ui_cols() - 2, true, &cy, &cx);
		ui_keys_line(keys, 2);
		move(cy, cx);
		curs_set(1);
		k = app_read_key(c->app);
		if (k.code == UK_ESC)
			break;
		if (k.code == UK_F2) {
			if (formview_check_all(&fv, msg, sizeof msg) < 0) {
				out = formview_values(&fv);
				break;
			}
			app_say(c->app, true, "%s", msg);
			continue;
		}
		formview_key(&fv, k, msg, sizeof msg);
		app_say(c->app, msg[0] != '\0', "%s", msg);
	}
	formview_free(&fv);
	return out;
}

static enum screen_id do_refuse(struct counter *c)
{
	struct notice_input ni = {.kind = "refusal", .today = app_today(c->app), .item = c->item};
	const struct form *f = c->app->refusal;
	struct json_object *o;
	char **vals, *values;
	enum screen_id next;

	if (f == NULL) {
		app_say(c->app, true, "%s",
		        T("缺少 forms/refusal.json", "forms/refusal.json missing"));
		return SCREEN_COUNTER;
	}
	if (c->supplement) {
		app_say(c->app, true, "%s",
		        T("补正时不能不予受理；如需不予受理请先受理核查",
		          "a supplement cannot be refused at the counter"));
		return SCREEN_COUNTER;
	}
	if (!form_ok(c) || (vals = refusal_dialog(c)) == NULL)
		return SCREEN_COUNTER;
	if (!ensure_case(c)) {
		values_free(vals, f->n_fields);
		return SCREEN_COUNTER;
	}
	values = form_values_json(f, vals);
	o = json_tokener_parse(values);
	ni.row = &c->row;
	ni.refusal = vals;
	next = decide(c, "refused", json_object_to_json_string(o), "refusal", &ni);
	json_object_put(o);
	free(values);
	values_free(vals, f->n_fields);
	return next;
}

/* ---- keys ----------------------------------------------------------------- */

static void ditto(struct counter *c)
{
	const struct form_field *fld = &c->fv.form->fields[c->fv.focus];
	struct json_object *o, *v;

	if (!fld->ditto) {
		app_say(c->app, true, "%s", T("此项不能照抄", "this field cannot be copied"));
		return;
	}
	o = c->app->ditto_json ? json_tokener_parse(c->app->ditto_json) : NULL;
	if (o == NULL || !json_object_object_get_ex(o, fld->id, &v)) {
		json_object_put(o);
		app_say(c->app, true, "%s", T("还没有上一件可照抄", "no previous case to copy"));
		return;
	}
	formview_set(&c->fv, c->fv.focus, json_object_get_string(v));
	json_object_put(o);
	draft_save(c);
}

static void help(struct counter *c)
{
	const struct form_field *fld = &c->fv.form->fields[c->fv.focus];

	if (c->zone == ZONE_LIST) {
		const struct material *m = &c->item->materials[c->sel];

		app_say(c->app, false, "%s%s%s", m->name, T("：", ": "),
		        m->note[0] ? m->note : T("（无说明）", "(no note)"));
		return;
	}
	app_say(c->app, false, "%s%s%s", fld->label, T("：", ": "),
	        fld->help[0] ? fld->help : T("（无说明）", "(no help)"));
}

static void form_key(struct counter *c, struct ui_key k)
{
	char msg[512];
	size_t before = c->fv.focus;
	enum fv_result r = formview_key(&c->fv, k, msg, sizeof msg);

	if (r == FV_PAST_END && c->cl.n > 0) {
		c->zone = ZONE_LIST;
		c->sel = 0;
	} else if (r == FV_PAST_END) {
		c->fv.focus = 0;
	} else if (r == FV_BEFORE_START && c->cl.n > 0) {
		c->zone = ZONE_LIST;
		c->sel = c->cl.n - 1;
	}
	app_say(c->app, msg[0] != '\0', "%s", msg);
	/* the draft is saved whenever the clerk leaves a field */
	if (c->fv.focus != before || r == FV_PAST_END || r == FV_BEFORE_START)
		draft_save(c);
}

/* ---- set-up --------------------------------------------------------------- */

/* Open an existing case awaiting a supplement: its form and the checklist
 * of its notice. */
static bool open_supplement(struct counter *c)
{
	struct app *app = c->app;
	struct err e = {0};
	struct json_object *o, *m;
	char *fields = NULL, *payload = NULL;
	bool ok;

	if (store_case_get(app->st, app->open_case, &c->row, &e) != 1 ||
	    (c->item = catalogue_find(app->cat, c->row.item_code)) == NULL) {
		app_say(app, true, "%s", T("找不到该案件或其事项", "case or its item not found"));
		return false;
	}
	store_case_fields(app->st, c->row.id, &fields, &e);
	o = fields ? json_tokener_parse(fields) : NULL;
	c->org = is_org(o);
	ok = build_form(c, o);
	json_object_put(o);
	free(fields);
	if (!ok)
		return false;
	c->fv.readonly = true;
	checklist_init(&c->cl, c->item);
	checklist_init(&c->first, c->item);
	if (store_case_last_payload(app->st, c->row.id, "notice_issued", &payload, &e) == 1) {
		o = json_tokener_parse(payload);
		if (o && json_object_object_get_ex(o, "materials", &m)) {
			checklist_from_json(&c->first, json_object_to_json_string(m));
			checklist_from_json(&c->cl, json_object_to_json_string(m));
		}
		json_object_put(o);
	}
	free(payload);
	c->has_case = true;
	c->supplement = true;
	c->zone = ZONE_LIST;
	/* start on the first material the notice asked for */
	for (c->sel = 0; c->sel + 1 < c->cl.n; c->sel++)
		if (c->first.m[c->sel].status == MS_MISSING ||
		    c->first.m[c->sel].status == MS_DEFECTIVE)
			break;
	return true;
}

/* Restore the stored draft; false when there is none or it no longer fits. */
static bool open_draft(struct counter *c)
{
	struct app *app = c->app;
	struct json_object *o = NULL, *v = NULL, *code, *cl;
	char *body = NULL;
	bool ok = false;

	if (store_draft_load(app->st, app->clerk.id, &body, NULL) == 1)
		o = json_tokener_parse(body);
	free(body);
	if (o && json_object_object_get_ex(o, "item_code", &code) &&
	    (c->item = catalogue_find(app->cat, json_object_get_string(code))) != NULL) {
		c->org = is_org(o);
		json_object_object_get_ex(o, "values", &v);
		if (!build_form(c, v)) {
			json_object_put(o);
			return false;
		}
		checklist_init(&c->cl, c->item);
		checklist_init(&c->first, c->item);
		if (json_object_object_get_ex(o, "checklist", &cl))
			checklist_from_json(&c->cl, json_object_to_json_string(cl));
		if (json_object_object_get_ex(o, "case_id", &v) && json_object_get_string(v)[0])
			c->has_case =
			    store_case_get(app->st, json_object_get_string(v), &c->row, NULL) == 1;
		ok = true;
	}
	json_object_put(o);
	return ok;
}

static bool open_new(struct counter *c)
{
	c->item = c->app->item;
	if (!build_form(c, NULL))
		return false;
	checklist_init(&c->cl, c->item);
	checklist_init(&c->first, c->item);
	draft_save(c);
	return true;
}

static bool setup(struct counter *c)
{
	struct app *app = c->app;
	bool ok;

	if (app->open_case[0])
		ok = open_supplement(c);
	else if (app->resume_draft)
		ok = open_draft(c);
	else
		ok = open_new(c);
	app->open_case[0] = '\0';
	app->resume_draft = false;
	return ok;
}

enum screen_id screen_counter(struct app *app)
{
	struct counter c;
	enum screen_id next = SCREEN_COUNTER;

	memset(&c, 0, sizeof c);
	c.app = app;
	if (!setup(&c))
		return SCREEN_HOME;
	while (next == SCREEN_COUNTER) {
		struct ui_key k;
		int cy = 0, cx = 0;

		draw(&c, &cy, &cx);
		move(cy, cx);
		curs_set(1);
		k = app_read_key(app);
		if (k.code != UK_TAB && k.code != UK_ENTER && k.code != UK_PASTE_END)
			c.fv.skipped = false; /* only the very next Tab/Enter repeats a skip */
		switch (k.code) {
		case UK_PASTE_END:
			break; /* not a key: leaves the message and the form alone */
		case UK_F5:
			next = do_accept(&c);
			break;
		case UK_F6:
			next = do_notice(&c);
			break;
		case UK_F7:
			next = do_commit(&c);
			break;
		case UK_F8:
			next = do_refuse(&c);
			break;
		case UK_F3:
			ditto(&c);
			break;
		case UK_F4:
			help(&c);
			break;
		case UK_F9:
			toggle_kind(&c);
			break;
		case UK_PGDN:
			if (c.zone == ZONE_FORM && c.cl.n > 0) {
				char msg[512];

				/* leaving the field: check it and keep the draft */
				if (formview_check(&c.fv, c.fv.focus, msg, sizeof msg) < 0)
					app_say(app, true, "%s", msg);
				c.zone = ZONE_LIST;
				draft_save(&c);
			}
			break;
		case UK_PGUP:
			c.zone = ZONE_FORM;
			break;
		case UK_F1:
			app_help(app, T("收件：按键", "Intake: keys"), counter_keys,
			         (int)(sizeof counter_keys / sizeof counter_keys[0]), counter_help);
			break;
		case UK_ESC:
			if (!c.supplement) {
				draft_save(&c); /* what is typed in the current field too */
				app_say(app, false, "%s",
				        T("草稿已保存，在首页按 F4 可继续",
				          "draft kept: F4 on home resumes it"));
			}
			next = SCREEN_HOME;
			break;
		default:
			if (c.zone == ZONE_LIST)
				list_key(&c, k);
			else
				form_key(&c, k);
		}
	}
	if (c.form)
		formview_free(&c.fv);
	form_free(c.form);
	checklist_free(&c.cl);
	checklist_free(&c.first);
	return next;
}
