/*
 * screen_cases.c - the newest cases of this machine (ID numbers masked) and
 * what can be done to one: take the supplement of a case awaiting it,
 * verify the commitments of a case accepted on commitment (a confirmation,
 * or a revocation with its 撤销决定书: core's decisions), reprint its latest
 * notice.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/casestate.h"
#include "core/decision.h"
#include "core/i18n.h"
#include "core/idcard.h"
#include "core/supervision.h"
#include "tui/app.h"
#include "tui/ui.h"

#define CASES_MAX 500

struct cases {
	struct app *app;
	struct case_row *rows;
	int n, sel, top;
};

static int cases_supplement(void *screen, const void *arg);
static int cases_verify(void *screen, const void *arg);
static int cases_reprint(void *screen, const void *arg);
static int cases_move(void *screen, const void *arg);
static int cases_back(void *screen, const void *arg);
static int cases_keys_page(void *screen, const void *arg);

static const int up = -1, down = 1;

static const struct ui_action cases_keys[] = {
    {UK_ENTER, "Enter", "补正", "supplement", cases_supplement, NULL},
    {UK_F7, "F7", "核查承诺", "verify", cases_verify, NULL},
    {UK_F9, "F9", "重打通知书", "reprint", cases_reprint, NULL},
    {UK_ESC, "Esc", "返回", "back", cases_back, NULL},
    {UK_F10, "", "", "", cases_back, NULL},
    {UK_UP, "", "", "", cases_move, &up},
    {UK_DOWN, "", "", "", cases_move, &down},
    {UK_F1, "", "", "", cases_keys_page, NULL},
    {UK_HANGUP, "", "", "", app_action_quit, NULL},
};
#define N_KEYS ((int)(sizeof cases_keys / sizeof cases_keys[0]))

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

/* The supervision flag of a case as the list shows it, "" when none. */
static void case_flag(struct app *app, const struct case_row *r, char *out, size_t n)
{
	struct supervision s = supervision_of(app->cal, app_today(app), app->cfg.yellow_days,
	                                      r->state, r->created_at, r->due_date, r->commit_due);
	const char *what = s.commitment ? T("承诺", "commitment ") : "";

	switch (s.flag) {
	case SUP_DEEMED:
		snprintf(out, n, "%s",
		         T("逾5日未告知，视为受理", "5 days undecided: deemed accepted"));
		break;
	case SUP_RED:
		snprintf(out, n, "%s %s%s", T("红灯", "RED"), what, T("逾期", " overdue"));
		break;
	case SUP_YELLOW:
		snprintf(out, n, "%s %s%d-%d", T("黄灯", "YELLOW"), what, s.date.m, s.date.d);
		break;
	case SUP_NO_DATA:
		snprintf(out, n, "%s", T("日历缺数据", "no calendar data"));
		break;
	default:
		out[0] = '\0';
	}
}

static void draw_case(struct app *app, const struct case_row *r, int y, bool sel)
{
	char no[64], name[64], state[64], flag[128], line[1024],
	    *masked = idcard_mask(r->id_number);

	ui_pad_text(no, sizeof no, r->case_no, 27);
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

static void draw(void *screen)
{
	struct cases *v = screen;
	struct app *app = v->app;
	int i, y = 2, room = ui_body_bottom() - 2;

	erase();
	app_draw_frame(app, T("最近案件", "Recent cases"));
	ui_put(1, 1, ui_cols() - 2,
	       T("案件编号                    申请人     状态       身份证号码         事项",
	         "Case number                 Applicant  State      ID number          Item"),
	       A_BOLD);
	if (v->sel < v->top)
		v->top = v->sel;
	if (room > 0 && v->sel >= v->top + room)
		v->top = v->sel - room + 1;
	for (i = v->top; i < v->n && y < ui_body_bottom(); i++, y++)
		draw_case(app, &v->rows[i], y, i == v->sel);
	if (v->n > 0)
		draw_numbers(&v->rows[v->sel], ui_body_bottom());
	else
		ui_put(y, 2, ui_cols() - 4, T("还没有案件", "no cases yet"), ui_attr_dim());
	ui_keys_line(cases_keys, N_KEYS);
	curs_set(0);
}

static void reload(struct cases *v)
{
	struct err e = {0};
	int n = store_case_recent(v->app->st, v->rows, CASES_MAX, &e);

	if (n < 0) {
		app_store_failed(v->app, T("案件列表读不出", "the case list cannot be read"), &e);
		n = 0;
	}
	v->n = n;
	v->sel = v->sel < n ? v->sel : (n > 0 ? n - 1 : 0);
}

static int cases_supplement(void *screen, const void *arg)
{
	struct cases *v = screen;
	const struct case_row *r = &v->rows[v->sel];

	(void)arg;
	if (v->n == 0)
		return UI_STAY;
	if (strcmp(r->state, "awaiting_supplement") != 0) {
		app_say(v->app, true,
		        T("案件状态为“%s”，不需要补正", "case is '%s': no supplement"),
		        state_label(r->state));
		return UI_STAY;
	}
	str_copy(v->app->open_case, sizeof v->app->open_case, r->id);
	v->app->msg[0] = '\0';
	return SCREEN_COUNTER;
}

/* Ask the clerk the result of each commitment: 1 true, 2 false.  Returns
 * how many were answered (all of them), or -1 when the clerk cancelled. */
static int ask_verdicts(struct app *app, const struct decision_commitment *c, size_t n,
                        struct decision_verdict *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char label[512], *answer;

		snprintf(label, sizeof label,
		         T("核查“%s”：1 属实  2 虚假承诺  ", "Verify '%s': 1 true  2 false  "),
		         c[i].material);
		answer = app_prompt(app, label, "", 1);
		if (answer == NULL || (strcmp(answer, "1") != 0 && strcmp(answer, "2") != 0)) {
			free(answer);
			return -1;
		}
		str_copy(out[i].material, sizeof out[i].material, c[i].material);
		out[i].breached = answer[0] == '2';
		free(answer);
	}
	return (int)n;
}

/* The decision the verdicts call for, with the finding of a revocation
 * asked for; NULL when the clerk backs out. */
static const struct decision *verdict_decision(struct app *app, const struct decision_verdict *v,
                                               size_t n, char **reason)
{
	size_t i;

	*reason = NULL;
	for (i = 0; i < n && !v[i].breached; i++)
		;
	if (i == n)
		return &decision_confirm;
	*reason = app_prompt(app, T("核查情况（撤销理由）：", "Finding (why revoked): "), "", 200);
	return *reason ? &decision_revoke : NULL;
}

/* Run the verification decision d on case r.  The next screen. */
static int verify_run(struct cases *v, const struct case_row *r, const struct decision *d,
                      const struct decision_verdict *verdicts, size_t n, const char *reason)
{
	struct app *app = v->app;
	struct decision_env env;
	struct decision_case k;
	struct decision_input in;
	struct decision_result res;
	struct err e = {0};

	app_decision_env(app, &env);
	memset(&k, 0, sizeof k);
	memset(&in, 0, sizeof in);
	str_copy(k.id, sizeof k.id, r->id);
	str_copy(k.case_no, sizeof k.case_no, r->case_no);
	if (casestate_from_name(r->state, &k.state) < 0)
		k.state = CS_N_STATES;
	k.item_code = r->item_code;
	k.name = r->name;
	k.id_number = r->id_number;
	k.phone = r->phone;
	in.env = &env;
	in.item = catalogue_find(app->cat, r->item_code);
	in.kase = &k;
	in.verdicts = verdicts;
	in.n_verdicts = n;
	in.reason = reason;
	if (in.item == NULL) {
		app_say(app, true, "%s",
		        T("该案件的事项不在目录中", "the case's item is not in the catalogue"));
		return UI_STAY;
	}
	if (decision_run(d, &in, &app->sink, &res, &e) < 0) {
		if (e.kind == ERR_FAILED)
			app_say(app, true, "%s", e.msg);
		else
			app_store_failed(app, T("核查结果未保存", "the verification was not saved"),
			                 &e);
		return UI_STAY;
	}
	if (app->agent)
		sync_agent_poke(app->agent);
	app_store_ok(app);
	if (d == &decision_confirm) {
		app_say(app, false, T("案件 %s：承诺核查属实", "case %s: commitments verified"),
		        r->case_no);
		return UI_STAY;
	}
	app_say(app, true,
	        T("案件 %s：虚假承诺，已撤销并记入失信记录",
	          "case %s: false commitment, revoked and recorded"),
	        r->case_no);
	return app_show_notice(app, res.notice_text, SCREEN_CASES);
}

static int cases_verify(void *screen, const void *arg)
{
	struct cases *v = screen;
	const struct case_row *r = &v->rows[v->sel];
	struct decision_commitment *c = NULL;
	struct decision_verdict *verdicts;
	const struct decision *d;
	char *payload = NULL, *reason = NULL;
	size_t n = 0;
	int next = UI_STAY;

	(void)arg;
	if (v->n == 0)
		return UI_STAY;
	if (strcmp(r->state, "accepted_commitment") == 0 &&
	    store_case_last_payload(v->app->st, r->id, "committed", &payload, NULL) == 1)
		n = decision_commitments(payload, &c);
	free(payload);
	if (n == 0) {
		app_say(v->app, true, "%s", T("该案件没有可核查的承诺", "no commitment to verify"));
		return UI_STAY;
	}
	verdicts = xcalloc(n, sizeof *verdicts);
	if (ask_verdicts(v->app, c, n, verdicts) < 0 ||
	    (d = verdict_decision(v->app, verdicts, n, &reason)) == NULL)
		app_say(v->app, true, "%s", T("已取消核查", "verification cancelled"));
	else
		next = verify_run(v, r, d, verdicts, n, reason);
	free(reason);
	free(verdicts);
	free(c);
	reload(v);
	return next;
}

static int cases_reprint(void *screen, const void *arg)
{
	struct cases *v = screen;
	struct err e = {0};
	char *text = NULL;

	(void)arg;
	if (v->n == 0)
		return UI_STAY;
	if (store_notice_latest(v->app->st, v->rows[v->sel].id, NULL, &text, NULL, 0, &e) != 1) {
		app_say(v->app, true, "%s", T("该案件还没有通知书", "this case has no notice yet"));
		return UI_STAY;
	}
	return app_show_notice(v->app, text, SCREEN_CASES);
}

static int cases_move(void *screen, const void *arg)
{
	struct cases *v = screen;
	int to = v->sel + *(const int *)arg;

	if (to >= 0 && to < v->n)
		v->sel = to;
	return UI_STAY;
}

static int cases_back(void *screen, const void *arg)
{
	(void)screen;
	(void)arg;
	return SCREEN_HOME;
}

static int cases_keys_page(void *screen, const void *arg)
{
	struct cases *v = screen;

	(void)arg;
	app_help(v->app, T("最近案件：按键", "Recent cases: keys"), cases_keys, N_KEYS, cases_help);
	return UI_STAY;
}

enum screen_id screen_cases(struct app *app)
{
	static const struct screen_ops ops = {draw, NULL, NULL};
	struct cases v = {app, xcalloc(CASES_MAX, sizeof *v.rows), 0, 0, 0};
	enum screen_id next;

	reload(&v);
	next = app_screen_loop(app, cases_keys, N_KEYS, &v, &ops);
	free(v.rows);
	return next;
}
