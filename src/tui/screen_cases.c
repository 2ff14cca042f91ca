/*
 * screen_cases.c - the newest cases of this machine (ID numbers masked) and
 * what can be done to one: take the supplement of a case awaiting it,
 * verify the commitments of a case accepted on commitment, reprint its
 * latest notice.
 */
#include <curses.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/casestate.h"
#include "core/date.h"
#include "core/i18n.h"
#include "core/idcard.h"
#include "core/utf8.h"
#include "tui/app.h"
#include "tui/ui.h"

#define CASES_MAX 500

static const struct ui_action cases_keys[] = {
    {UK_ENTER, "Enter", "补正", "supplement"},
    {UK_F7, "F7", "核查承诺", "verify"},
    {UK_F9, "F9", "重打通知书", "reprint"},
    {UK_ESC, "Esc", "返回", "back"},
};

static const char *const cases_help[][2] = {
    {"↑/↓ 选择案件", "Up/Down choose a case"},
    {"红灯：已超过承诺办结日期或承诺补交日期；黄灯：剩余工作日不多",
     "RED: past the promised date or a commitment's due date; YELLOW: few working days left"},
    {"身份证号码只显示前四位和后四位", "ID numbers show only their first and last four"},
    {NULL, NULL},
};

static const char *state_label(const char *name)
{
	enum case_state s;

	return casestate_from_name(name, &s) == 0 ? casestate_label(s) : name;
}

/* A date field "YYYY-MM-DD" of the case's newest event of this type. */
static bool payload_date(struct app *app, const struct case_row *r, const char *type,
                         const char *key, struct tb_date *d)
{
	char *text = NULL;
	struct json_object *o = NULL, *v;
	bool ok = false;

	if (store_case_last_payload(app->st, r->id, type, &text, NULL) == 1 &&
	    (o = json_tokener_parse(text)) != NULL && json_object_object_get_ex(o, key, &v))
		ok = tb_date_parse(json_object_get_string(v), d) == 0;
	json_object_put(o);
	free(text);
	return ok;
}

/* The earliest due date of the case's commitments. */
static bool commitment_due(struct app *app, const struct case_row *r, struct tb_date *due)
{
	char *text = NULL;
	struct json_object *o = NULL, *list, *v;
	bool ok = false;
	size_t i;

	if (store_case_last_payload(app->st, r->id, "committed", &text, NULL) == 1 &&
	    (o = json_tokener_parse(text)) != NULL &&
	    json_object_object_get_ex(o, "commitments", &list))
		for (i = 0; i < json_object_array_length(list); i++) {
			struct tb_date d;

			if (json_object_object_get_ex(json_object_array_get_idx(list, i),
			                              "due_date", &v) &&
			    tb_date_parse(json_object_get_string(v), &d) == 0 &&
			    (!ok || tb_date_cmp(d, *due) < 0)) {
				*due = d;
				ok = true;
			}
		}
	json_object_put(o);
	free(text);
	return ok;
}

/* The supervision flag of a case (电子监察): red when overdue, yellow when at
 * most the configured working days remain, for the promised completion date
 * and for commitments; a case received but never decided for 5 working days
 * counts as accepted by law.  "" when nothing needs attention. */
static void case_flag(struct app *app, const struct case_row *r, char *out, size_t n)
{
	struct tb_date today = app_today(app), due, received;
	enum cal_warning w = CAL_OK;
	const char *what = "";

	out[0] = '\0';
	if (app->cal == NULL)
		return;
	if (strcmp(r->state, "received") == 0 && tb_date_parse(r->created_at, &received) == 0 &&
	    casestate_deemed_accepted(app->cal, received, today, false, &due, NULL) == 1) {
		snprintf(out, n, "%s",
		         T("逾5日未告知，视为受理", "5 days undecided: deemed accepted"));
		return;
	}
	if ((strcmp(r->state, "accepted") == 0 || strcmp(r->state, "in_review") == 0) &&
	    payload_date(app, r, "accepted", "promised_date", &due)) {
		w = cal_warning(app->cal, today, due, app->cfg.yellow_days);
		what = "";
	} else if (strcmp(r->state, "accepted_commitment") == 0 && commitment_due(app, r, &due)) {
		w = cal_warning(app->cal, today, due, app->cfg.yellow_days);
		what = T("承诺", "commitment ");
	}
	if (w == CAL_RED)
		snprintf(out, n, "%s %s%s", T("红灯", "RED"), what, T("逾期", " overdue"));
	else if (w == CAL_YELLOW)
		snprintf(out, n, "%s %s%d-%d", T("黄灯", "YELLOW"), what, due.m, due.d);
	else if (w == CAL_NO_DATA)
		snprintf(out, n, "%s", T("日历缺数据", "no calendar data"));
}

static void draw_case(struct app *app, const struct case_row *r, int y, bool sel)
{
	char no[64], name[64], state[64], flag[128], line[1024],
	    *masked = idcard_mask(r->id_number);

	ui_pad_text(no, sizeof no, r->case_no, 22);
	ui_pad_text(name, sizeof name, r->name, 10);
	ui_pad_text(state, sizeof state, state_label(r->state), 10);
	case_flag(app, r, flag, sizeof flag);
	snprintf(line, sizeof line, "%s %s %s %-18s %s%s%s", no, name, state, masked ? masked : "",
	         flag, flag[0] ? " " : "", r->item_name);
	free(masked);
	ui_put_pad(y, 1, ui_cols() - 2, line,
	           sel ? ui_attr_select() : (flag[0] ? ui_attr_error() : 0));
}

/* Under the list: the selected case's window number (the key, printed on its
 * notices) and the official number the server gave it, once a pull brought it. */
static void draw_numbers(const struct case_row *r, int y)
{
	char line[512];

	if (r->official_no[0] != '\0')
		snprintf(line, sizeof line,
		         T("案件编号 %s    正式编号 %s", "Case %s    official no. %s"), r->case_no,
		         r->official_no);
	else
		snprintf(line, sizeof line,
		         T("案件编号 %s    正式编号：同步后由服务器分配",
		           "Case %s    official no.: assigned by the server after sync"),
		         r->case_no);
	ui_put_pad(y, 1, ui_cols() - 2, line, ui_attr_dim());
}

/* Ask the result of each commitment; one "verified" event for the case. */
static void verify(struct app *app, const struct case_row *r)
{
	struct json_object *p = NULL, *list, *results = json_object_new_array(), *payload;
	struct case_change ch;
	struct err e = {0};
	char *text = NULL, why[256];
	bool breached = false;
	enum case_state from, to;
	size_t i;

	if (casestate_from_name(r->state, &from) < 0 ||
	    casestate_next(from, CEV_VERIFIED, "confirmed", &to, why, sizeof why) < 0 ||
	    store_case_last_payload(app->st, r->id, "committed", &text, &e) != 1 ||
	    (p = json_tokener_parse(text)) == NULL ||
	    !json_object_object_get_ex(p, "commitments", &list)) {
		app_say(app, true, "%s", T("该案件没有可核查的承诺", "no commitment to verify"));
		goto out;
	}
	for (i = 0; i < json_object_array_length(list); i++) {
		struct json_object *c = json_object_array_get_idx(list, i), *name, *res;
		char label[512], *answer;

		json_object_object_get_ex(c, "name", &name);
		snprintf(label, sizeof label,
		         T("核查“%s”：1 属实  2 虚假承诺  ", "Verify '%s': 1 true  2 false  "),
		         json_object_get_string(name));
		answer = app_prompt(app, label, "", 1);
		if (answer == NULL || (strcmp(answer, "1") != 0 && strcmp(answer, "2") != 0)) {
			free(answer);
			app_say(app, true, "%s", T("已取消核查", "verification cancelled"));
			goto out;
		}
		res = json_object_new_object();
		json_object_object_add(res, "name", json_object_get(name));
		json_object_object_add(
		    res, "result",
		    json_object_new_string(answer[0] == '1' ? "confirmed" : "breached"));
		json_object_array_add(results, res);
		breached = breached || answer[0] == '2';
		free(answer);
	}
	casestate_next(from, CEV_VERIFIED, breached ? "breached" : "confirmed", &to, why,
	               sizeof why);
	payload = json_object_new_object();
	json_object_object_add(payload, "outcome",
	                       json_object_new_string(breached ? "breached" : "confirmed"));
	json_object_object_add(payload, "commitments", json_object_get(results));
	memset(&ch, 0, sizeof ch);
	ch.case_id = r->id;
	ch.clerk = &app->clerk;
	ch.type = "verified";
	ch.payload_json = json_object_to_json_string(payload);
	ch.new_state = casestate_name(to);
	if (store_case_append(app->st, &ch, 1, &e) < 0)
		app_say(app, true, "%s", e.msg);
	else if (breached)
		app_say(app, true,
		        T("案件 %s：虚假承诺，已撤销并记入失信记录",
		          "case %s: false commitment, revoked and recorded"),
		        r->case_no);
	else
		app_say(app, false, T("案件 %s：承诺核查属实", "case %s: commitments verified"),
		        r->case_no);
	json_object_put(payload);
	if (app->agent)
		sync_agent_poke(app->agent);
out:
	json_object_put(p);
	json_object_put(results);
	free(text);
}

/* The action for Enter, F7 or F9 on case r; SCREEN_CASES to stay. */
static enum screen_id act(struct app *app, struct case_row *r, enum ui_keycode key)
{
	char *text = NULL;
	struct err e = {0};

	if (key == UK_ENTER) {
		if (strcmp(r->state, "awaiting_supplement") != 0) {
			app_say(app, true,
			        T("案件状态为“%s”，不需要补正", "case is '%s': no supplement"),
			        state_label(r->state));
			return SCREEN_CASES;
		}
		str_copy(app->open_case, sizeof app->open_case, r->id);
		app->msg[0] = '\0';
		return SCREEN_COUNTER;
	}
	if (key == UK_F7) {
		verify(app, r);
		return SCREEN_CASES;
	}
	if (store_notice_latest(app->st, r->id, NULL, &text, NULL, 0, &e) != 1) {
		app_say(app, true, "%s", T("该案件还没有通知书", "this case has no notice yet"));
		return SCREEN_CASES;
	}
	return app_show_notice(app, text, SCREEN_CASES);
}

enum screen_id screen_cases(struct app *app)
{
	struct case_row *rows = xcalloc(CASES_MAX, sizeof *rows);
	struct err e = {0};
	int n = store_case_recent(app->st, rows, CASES_MAX, &e), sel = 0, top = 0;
	enum screen_id next = SCREEN_CASES;

	if (n < 0) {
		app_say(app, true, "%s", e.msg);
		n = 0;
	}
	while (next == SCREEN_CASES) {
		int i, y = 2, room = ui_body_bottom() - 2;
		struct ui_key k;

		erase();
		app_draw_frame(app, T("最近案件", "Recent cases"));
		ui_put(1, 1, ui_cols() - 2,
		       T("案件编号               申请人     状态       身份证号码         事项",
		         "Case number            Applicant  State      ID number          Item"),
		       A_BOLD);
		if (sel < top)
			top = sel;
		if (room > 0 && sel >= top + room)
			top = sel - room + 1;
		for (i = top; i < n && y < ui_body_bottom(); i++, y++)
			draw_case(app, &rows[i], y, i == sel);
		if (n > 0)
			draw_numbers(&rows[sel], ui_body_bottom());
		if (n == 0)
			ui_put(y, 2, ui_cols() - 4, T("还没有案件", "no cases yet"), ui_attr_dim());
		ui_keys_line(cases_keys, 4);
		curs_set(0);
		k = app_read_key(app);
		if (k.code == UK_F1)
			app_help(app, T("最近案件：按键", "Recent cases: keys"), cases_keys, 4,
			         cases_help);
		else if (k.code == UK_ESC || k.code == UK_F10)
			next = SCREEN_HOME;
		else if (k.code == UK_DOWN && sel + 1 < n)
			sel++;
		else if (k.code == UK_UP && sel > 0)
			sel--;
		else if ((k.code == UK_ENTER || k.code == UK_F7 || k.code == UK_F9) && n > 0) {
			next = act(app, &rows[sel], k.code);
			if (next == SCREEN_CASES) {
				int again = store_case_recent(app->st, rows, CASES_MAX, NULL);

				n = again < 0 ? 0 : again;
				sel = sel < n ? sel : (n > 0 ? n - 1 : 0);
			}
		}
	}
	free(rows);
	return next;
}
