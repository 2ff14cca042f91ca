/*
 * screen_record.c - the case's record: applicant and agent, item, the
 * deadlines with the clock's pauses, every material and how it was checked,
 * every event on a timeline (what, who, when, which window, whether it has
 * reached the server), every notice (F9 reprints) and the notes.  Numbers
 * are masked until F4 shows them whole, which is recorded (who, when,
 * which case).  The keys of the case's next steps are in record_actions.c.
 */
#include <curses.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/casestate.h"
#include "core/checklist.h"
#include "core/ecert.h"
#include "core/i18n.h"
#include "core/idcard.h"
#include "core/notice.h"
#include "core/paths.h"
#include "core/phone.h"
#include "core/stats.h"
#include "store/ecert.h"
#include "tui/record.h"
#include "tui/ui.h"

/* ---- the body's lines ----------------------------------------------------------- */

static void add_line(struct record *rec, int attr, const char *fmt, ...) TB_PRINTF(3, 4);

static void add_line(struct record *rec, int attr, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (rec->n_lines == rec->cap_lines) {
		rec->cap_lines = rec->cap_lines ? rec->cap_lines * 2 : 64;
		rec->lines = xrealloc(rec->lines, (size_t)rec->cap_lines * sizeof *rec->lines);
	}
	rec->lines[rec->n_lines].text = xstrdup(buf);
	rec->lines[rec->n_lines].attr = attr;
	rec->n_lines++;
}

static void clear_lines(struct record *rec)
{
	int i;

	for (i = 0; i < rec->n_lines; i++)
		free(rec->lines[i].text);
	rec->n_lines = 0;
}

static const char *str_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) &&
	               json_object_is_type(v, json_type_string)
	           ? json_object_get_string(v)
	           : "";
}

static int int_of(struct json_object *o, const char *key, int def)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int)
	           ? json_object_get_int(v)
	           : def;
}

const char *record_field(const struct record *rec, const char *key)
{
	static char value[512];
	struct json_object *o = json_tokener_parse(rec->fields ? rec->fields : "{}");

	str_copy(value, sizeof value, str_of(o, key));
	json_object_put(o);
	return value;
}

/* What an event's payload says, in a few words ("" when nothing to add). */
static void event_detail(const char *type, const char *payload, char *out, size_t n)
{
	struct json_object *p = json_tokener_parse(payload);
	const char *m;

	out[0] = '\0';
	if (strcmp(type, "notice_issued") == 0)
		snprintf(out, n, T("补正期限 %s", "supply by %s"), str_of(p, "supply_by"));
	else if (strcmp(type, "accepted") == 0 || strcmp(type, "committed") == 0)
		snprintf(out, n, T("承诺办结 %s", "promised %s"), str_of(p, "promised_date"));
	else if (strcmp(type, "refused") == 0 || strcmp(type, "revoked") == 0 ||
	         strcmp(type, "withdrawn") == 0)
		snprintf(out, n, "%s", str_of(p, "reason"));
	else if (strcmp(type, "decided") == 0)
		snprintf(out, n, "%s",
		         strcmp(str_of(p, "outcome"), "approve") == 0 ? T("准予许可", "approved")
		                                                      : T("不予许可", "denied"));
	else if (strcmp(type, "verified") == 0)
		snprintf(out, n, "%s",
		         strcmp(str_of(p, "outcome"), "confirmed") == 0 ? T("承诺属实", "kept")
		                                                        : T("承诺不实", "false"));
	else if (strcmp(type, "released") == 0) {
		m = str_of(p, "method");
		if (strcmp(m, "pickup") == 0)
			snprintf(
			    out, n, T("窗口领取：%s%s", "collected by %s%s"),
			    str_of(p, "collector_name"),
			    json_object_get_boolean(json_object_object_get(p, "collector_is_agent"))
			        ? T("（代理人）", " (agent)")
			        : "");
		else if (strcmp(m, "mail") == 0)
			snprintf(out, n, T("快递送达：%s %s", "mailed: %s %s"),
			         str_of(p, "courier"), str_of(p, "tracking_no"));
		else
			snprintf(out, n, "%s", T("电子证照/自助打印", "electronic / self-print"));
	} else if (strcmp(type, "rated") == 0) {
		snprintf(out, n, "%s%s%s", stats_rating_label(int_of(p, "level", 0)),
		         str_of(p, "comment")[0] ? T("：", ": ") : "", str_of(p, "comment"));
	} else if (strcmp(type, "note") == 0 || strcmp(type, "followed_up") == 0)
		snprintf(out, n, "%s", str_of(p, "text"));
	json_object_put(p);
}

struct history {
	struct record *rec;
	char *materials;              /* the last payload that listed the materials */
	char pause_from[TB_DATE_LEN]; /* a one-time notice waiting for its supplement */
	char pauses[512];
};

static const char *event_label(const char *type)
{
	enum case_event_type ev;

	return case_event_from_name(type, &ev) == 0 ? case_event_label(ev) : type;
}

static int on_event(void *arg, const struct case_history *h)
{
	struct history *hs = arg;
	char detail[600], when[32];
	const char *sync = h->synced    ? T("已上传", "sent")
	                   : h->problem ? T("服务器未接收", "refused by the server")
	                                : T("待上传", "not sent yet");
	struct json_object *p;

	snprintf(when, sizeof when, "%.10s %.5s", h->time,
	         strlen(h->time) > 11 ? h->time + 11 : "");
	event_detail(h->type, h->payload, detail, sizeof detail);
	add_line(hs->rec, h->problem ? ui_attr_error() : 0, "  %s  %-10s %s %s%s  [%s]  %s", when,
	         event_label(h->type), h->clerk, h->window, h->window[0] ? T("号窗口", "") : "",
	         sync, detail);
	if ((p = json_tokener_parse(h->payload)) != NULL) {
		if (json_object_object_get_ex(p, "materials", NULL)) {
			free(hs->materials);
			hs->materials = xstrdup(h->payload);
		}
		json_object_put(p);
	}
	/* the clock stops from a one-time notice until the supplement */
	if (strcmp(h->type, "notice_issued") == 0)
		snprintf(hs->pause_from, sizeof hs->pause_from, "%.10s", h->time);
	else if (strcmp(h->type, "supplemented") == 0 && hs->pause_from[0]) {
		size_t len = strlen(hs->pauses);

		snprintf(hs->pauses + len, sizeof hs->pauses - len, "%s%s %s %.10s",
		         len ? T("；", "; ") : "", hs->pause_from, T("至", "to"), h->time);
		hs->pause_from[0] = '\0';
	}
	return 0;
}

static int on_notice(void *arg, const struct notice_row *n)
{
	struct record *rec = arg;
	static const struct {
		const char *kind, *zh, *en;
	} names[] = {
	    {"acceptance", "受理通知书", "acceptance notice"},
	    {"supplement", "补正材料通知书（一次性告知）", "one-time notice"},
	    {"commitment", "告知承诺书", "commitment"},
	    {"refusal", "不予受理通知书", "refusal notice"},
	    {"revocation", "撤销决定书", "revocation decision"},
	    {"release", "送达回证（出件回执）", "delivery receipt"},
	    {"withdrawal", "视为放弃申请通知书", "deemed-withdrawn notice"},
	    {"ecert", "电子证照核验补正告知书", "e-certificate notice"},
	};
	const char *label = n->kind;
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].kind, n->kind) == 0)
			label = T(names[i].zh, names[i].en);
	rec->n_notices++;
	add_line(rec, 0, "  %d. %-28s %.10s %.5s", rec->n_notices, label, n->created_at,
	         strlen(n->created_at) > 11 ? n->created_at + 11 : "");
	return 0;
}

/* The e-certificate check of material m for the case's applicant, on the
 * line under it: what was found, 待核验, or a failure the applicant must be
 * told of in a one-time notice. */
static void add_ecert(struct record *rec, const struct material *m)
{
	struct ecert_check c;
	char holder[33], text[600];

	if (m->ecert[0] == '\0' || ecert_holder_key(rec->r.id_number, holder, sizeof holder) < 0 ||
	    store_ecert_get(rec->app->st, m->ecert, holder, &c, NULL) != 1)
		return;
	ecert_describe(&c, text, sizeof text);
	if (ecert_state_failed(c.state)) {
		rec->ecert_failed++;
		add_line(rec, ui_attr_error(), "      %s%s", text,
		         T("，须一次性告知申请人补正（F11）",
		           "; tell the applicant in a one-time notice (F11)"));
	} else {
		add_line(rec, ui_attr_dim(), "      %s", text);
	}
}

static void add_materials(struct record *rec, const char *payload)
{
	const struct item *it = catalogue_find(rec->app->cat, rec->r.item_code);
	struct checklist cl;
	size_t i;

	if (payload == NULL) {
		add_line(rec, ui_attr_dim(), "  %s",
		         T("（没有材料记录）", "(no materials recorded)"));
		return;
	}
	if (it == NULL) {
		add_line(rec, ui_attr_dim(), "  %s",
		         T("（事项已不在目录中，材料名称无法显示）",
		           "(the item is no longer in the catalogue)"));
		return;
	}
	checklist_init(&cl, it);
	decision_payload_checklist(payload, &cl);
	for (i = 0; i < cl.n; i++) {
		add_line(
		    rec,
		    cl.m[i].status == MS_MISSING || cl.m[i].status == MS_DEFECTIVE ? ui_attr_error()
		                                                                   : 0,
		    "  %2zu. %s  [%s]%s%s", i + 1, it->materials[i].name,
		    mat_status_label(cl.m[i].status), cl.m[i].reason[0] ? " " : "", cl.m[i].reason);
		add_ecert(rec, &it->materials[i]);
	}
	checklist_free(&cl);
}

/* Working days left until a date, as words ("" without calendar data). */
static void days_left(struct record *rec, const char *iso, char *out, size_t n)
{
	struct tb_date d;
	int days;

	out[0] = '\0';
	if (tb_date_parse(iso, &d) < 0 || rec->app->cal == NULL ||
	    cal_workdays_between(rec->app->cal, app_today(rec->app), d, &days, NULL) < 0)
		return;
	if (days < 0)
		snprintf(out, n, T("（已逾期 %d 个工作日）", " (%d working days overdue)"), -days);
	else
		snprintf(out, n, T("（剩 %d 个工作日）", " (%d working days left)"), days);
}

static bool open_case(const struct case_row *r)
{
	return strcmp(r->state, "accepted") == 0 || strcmp(r->state, "accepted_commitment") == 0 ||
	       strcmp(r->state, "in_review") == 0;
}

static void add_deadlines(struct record *rec, const char *pauses)
{
	const struct case_row *r = &rec->r;
	char left[128];

	add_line(rec, A_BOLD, "%s", T("—— 期限 ——", "-- Deadlines --"));
	add_line(rec, 0, T("  申请日期 %s", "  applied %s"), r->received_on);
	if (r->due_date[0]) {
		if (open_case(r))
			days_left(rec, r->due_date, left, sizeof left);
		else
			left[0] = '\0';
		add_line(rec, 0, T("  承诺办结 %s%s", "  promised %s%s"), r->due_date, left);
	}
	if (r->supply_by[0] && strcmp(r->state, "awaiting_supplement") == 0)
		add_line(rec, 0, T("  补正期限 %s", "  supply by %s"), r->supply_by);
	if (pauses[0])
		add_line(rec, ui_attr_dim(), T("  补正期间不计时：%s", "  clock stopped: %s"),
		         pauses);
	if (r->commit_due[0] && !r->verified && !r->credit_record)
		add_line(rec, 0, T("  承诺补交 %s", "  commitment due %s"), r->commit_due);
	if (r->done_on[0])
		add_line(rec, 0, T("  办结 %s", "  done %s"), r->done_on);
	if (r->released_on[0])
		add_line(rec, 0, T("  出件 %s", "  released %s"), r->released_on);
	if (r->follow_up_open)
		add_line(rec, ui_attr_error(), T("  差评整改 %s 前完成", "  follow-up due %s"),
		         r->follow_up_due);
}

bool record_load(struct record *rec)
{
	struct app *app = rec->app;
	struct history hs;
	struct err e = {0};
	char *fields = NULL;

	clear_lines(rec);
	rec->n_notices = 0;
	rec->loaded = store_case_get(app->st, app->record_case, &rec->r, &e) == 1;
	if (!rec->loaded) {
		if (e.kind != ERR_NONE)
			app_store_failed(app, T("案件读不出", "the case cannot be read"), &e);
		return false;
	}
	free(rec->fields);
	rec->fields =
	    store_case_fields(app->st, rec->r.id, &fields, NULL) == 1 ? fields : xstrdup("{}");
	memset(&hs, 0, sizeof hs);
	hs.rec = rec;
	/* the history first: it says where the clock stopped and what was received */
	{
		struct record tmp = *rec;

		tmp.lines = NULL;
		tmp.n_lines = tmp.cap_lines = 0;
		hs.rec = &tmp;
		store_case_history(app->st, rec->r.id, on_event, &hs, NULL);
		add_deadlines(rec, hs.pauses);
		add_line(rec, A_BOLD, "%s",
		         T("—— 经过（时间 事项 经办人 窗口 上传）——",
		           "-- History (time event clerk window sent) --"));
		for (int i = 0; i < tmp.n_lines; i++) {
			add_line(rec, tmp.lines[i].attr, "%s", tmp.lines[i].text);
			free(tmp.lines[i].text);
		}
		free(tmp.lines);
		add_line(rec, A_BOLD, "%s", T("—— 材料 ——", "-- Materials --"));
		rec->ecert_failed = 0;
		add_materials(rec, hs.materials);
	}
	free(hs.materials);
	add_line(rec, A_BOLD, "%s", T("—— 通知书（F9 重打）——", "-- Notices (F9 reprints) --"));
	if (store_notice_list(app->st, rec->r.id, on_notice, rec, NULL) == 0)
		add_line(rec, ui_attr_dim(), "  %s", T("（没有）", "(none)"));
	rec->released_by_mail = false;
	{
		char *p = NULL;

		if (store_case_last_payload(app->st, rec->r.id, "released", &p, NULL) == 1) {
			struct json_object *o = json_tokener_parse(p);

			rec->released_by_mail = strcmp(str_of(o, "method"), "mail") == 0;
			json_object_put(o);
		}
		free(p);
	}
	return true;
}

/* ---- drawing --------------------------------------------------------------------- */

static const char *state_label(const char *name)
{
	enum case_state s;

	return casestate_from_name(name, &s) == 0 ? casestate_label(s) : name;
}

static void draw_head(struct record *rec, int *y)
{
	const struct case_row *r = &rec->r;
	char line[1024], marks[256] = "";
	char *id = rec->reveal ? xstrdup(r->id_number) : idcard_mask(r->id_number),
	     *phone = rec->reveal ? xstrdup(r->phone) : phone_mask(r->phone);
	const char *agent = record_field(rec, "agent_name");

	if (r->verified)
		snprintf(marks + strlen(marks), sizeof marks - strlen(marks), "  [%s]",
		         T("承诺已核实", "commitments verified"));
	if (r->credit_record)
		snprintf(marks + strlen(marks), sizeof marks - strlen(marks), "  [%s]",
		         T("失信记录", "credit record"));
	if (r->rating >= 0)
		snprintf(marks + strlen(marks), sizeof marks - strlen(marks), "  [%s %s]",
		         T("评价", "rating"), stats_rating_label(r->rating));
	snprintf(line, sizeof line, T("状态：%s%s", "State: %s%s"), state_label(r->state), marks);
	ui_put((*y)++, 1, ui_cols() - 2, line, A_BOLD);
	snprintf(line, sizeof line,
	         T("申请人：%s  证件：%s  电话：%s%s", "Applicant: %s  ID: %s  phone: %s%s"),
	         r->name, id, phone,
	         rec->reveal ? T("  （完整显示已记录）", "  (shown in full: recorded)") : "");
	ui_put((*y)++, 1, ui_cols() - 2, line, 0);
	if (agent[0]) {
		char *aid = rec->reveal ? xstrdup(record_field(rec, "agent_id_number"))
		                        : idcard_mask(record_field(rec, "agent_id_number"));

		snprintf(line, sizeof line, T("代理人：%s  证件：%s", "Agent: %s  ID: %s"), agent,
		         aid);
		ui_put((*y)++, 1, ui_cols() - 2, line, 0);
		free(aid);
	}
	snprintf(
	    line, sizeof line,
	    T("事项：%s（%s）  收件：%s号窗口 %s", "Item: %s (%s)  taken in at window %s by %s"),
	    r->item_name, r->item_code, r->window, r->clerk_id);
	ui_put((*y)++, 1, ui_cols() - 2, line, 0);
	snprintf(line, sizeof line, T("正式编号：%s", "Official no.: %s"),
	         r->official_no[0] ? r->official_no
	                           : T("同步后由服务器分配", "assigned by the server after sync"));
	ui_put((*y)++, 1, ui_cols() - 2, line, ui_attr_dim());
	free(id);
	free(phone);
}

/* The keys that fit the case now. */
static bool key_fits(const struct record *rec, enum ui_keycode key);

static int rec_supplement(void *screen, const void *arg);
static int rec_note(void *screen, const void *arg);
static int rec_reveal(void *screen, const void *arg);
static int rec_release(void *screen, const void *arg);
static int rec_rate(void *screen, const void *arg);
static int rec_verify(void *screen, const void *arg);
static int rec_withdraw(void *screen, const void *arg);
static int rec_reprint(void *screen, const void *arg);
static int rec_scroll(void *screen, const void *arg);
static int rec_back(void *screen, const void *arg);
static int rec_keys_page(void *screen, const void *arg);
static int rec_ecert(void *screen, const void *arg);

static const int line_down = 1, line_up = -1, page_down = 2, page_up = -2;

static const struct ui_action record_keys[] = {
    {UK_F2, "F2", "补正", "supplement", rec_supplement, NULL},
    {UK_F3, "F3", "备注", "note", rec_note, NULL},
    {UK_F4, "F4", "完整号码", "full numbers", rec_reveal, NULL},
    {UK_F5, "F5", "出件", "release", rec_release, NULL},
    {UK_F6, "F6", "评价/整改", "rating/follow-up", rec_rate, NULL},
    {UK_F7, "F7", "核查承诺", "verify", rec_verify, NULL},
    {UK_F8, "F8", "视为放弃", "withdrawn", rec_withdraw, NULL},
    {UK_F9, "F9", "重打", "reprint", rec_reprint, NULL},
    {UK_F11, "F11", "证照告知", "e-cert notice", rec_ecert, NULL},
    {UK_ESC, "Esc", "返回", "back", rec_back, NULL},
    {UK_F1, "F1", "按键", "keys", rec_keys_page, NULL},
    {UK_F10, "", "", "", rec_back, NULL},
    {UK_DOWN, "", "", "", rec_scroll, &line_down},
    {UK_UP, "", "", "", rec_scroll, &line_up},
    {UK_PGDN, "", "", "", rec_scroll, &page_down},
    {UK_PGUP, "", "", "", rec_scroll, &page_up},
    {UK_HANGUP, "", "", "", app_action_quit, NULL},
};
#define N_KEYS ((int)(sizeof record_keys / sizeof record_keys[0]))

static const char *const record_help[][2] = {
    {"↑/↓ PgUp/PgDn 翻阅案件记录", "Up/Down PgUp/PgDn scroll the record"},
    {"F2 补正：申请人带来一次性告知要求的材料；超过补正期限时会先提示",
     "F2 supplement: the applicant brings what the one-time notice asked (warned when late)"},
    {"F5 出件：窗口领取（核对领取人）、快递送达或电子证照；随后请申请人评价",
     "F5 release: pickup (the collector checked), mail or electronic; then the applicant rates"},
    {"F6 评价（未评价时）或整改完成（差评整改中）",
     "F6 rating (when not rated) or follow-up done (a bad rating's follow-up)"},
    {"F7 核查承诺：属实则标记“承诺已核实”；不实则撤销并记入失信记录",
     "F7 verify: kept marks the case verified; false revokes it with a credit record"},
    {"F11 证照告知：离线受理后电子证照核验未通过的，一次性告知申请人补正",
     "F11 e-cert notice: tell the applicant at once of every e-certificate that failed its check"},
    {"F8 视为放弃：补正期限已过仍未补正", "F8 deemed withdrawn: the supply-by date passed"},
    {"F4 显示完整的证件号码和电话，并记录查看人和时间",
     "F4 shows the whole ID and phone, and records who looked"},
    {NULL, NULL},
};

static void draw(void *screen)
{
	struct record *rec = screen;
	struct app *app = rec->app;
	struct ui_action keys[N_KEYS];
	char title[160];
	int y = 1, i, n = 0, room;

	erase();
	snprintf(title, sizeof title, T("案件 %s", "Case %s"), rec->loaded ? rec->r.case_no : "");
	app_draw_frame(app, title);
	if (!rec->loaded) {
		ui_put(2, 2, ui_cols() - 4,
		       T("案件不存在或读不出", "no such case, or it cannot be read"),
		       ui_attr_error());
	} else {
		draw_head(rec, &y);
		room = ui_body_bottom() - y + 1;
		if (rec->top > rec->n_lines - room)
			rec->top = rec->n_lines - room;
		if (rec->top < 0)
			rec->top = 0;
		for (i = rec->top; i < rec->n_lines && y <= ui_body_bottom(); i++, y++)
			ui_put(y, 1, ui_cols() - 2, rec->lines[i].text, rec->lines[i].attr);
	}
	for (i = 0; i < N_KEYS; i++)
		if (record_keys[i].key_name[0] == '\0' || key_fits(rec, record_keys[i].key))
			keys[n++] = record_keys[i];
	ui_keys_line(keys, n);
	curs_set(0);
}

/* ---- what fits the case ---------------------------------------------------------- */

static bool is(const struct record *rec, const char *state)
{
	return strcmp(rec->r.state, state) == 0;
}

static bool key_fits(const struct record *rec, enum ui_keycode key)
{
	const struct case_row *r = &rec->r;

	if (!rec->loaded)
		return key == UK_ESC || key == UK_F1;
	switch (key) {
	case UK_F2:
	case UK_F8:
		return is(rec, "awaiting_supplement");
	case UK_F5:
		return is(rec, "approved") || is(rec, "denied");
	case UK_F6:
		return (is(rec, "released") && r->rating < 0) || r->follow_up_open;
	case UK_F7:
		return strcmp(r->outcome, "committed") == 0 && !r->verified &&
		       !is(rec, "revoked") && !is(rec, "denied") && !is(rec, "withdrawn");
	case UK_F9:
		return rec->n_notices > 0 || rec->released_by_mail;
	case UK_F11:
		return rec->ecert_failed > 0;
	default:
		return true;
	}
}

/* A key that does not fit says why instead of acting. */
static bool refuse(struct record *rec, enum ui_keycode key)
{
	if (key_fits(rec, key))
		return false;
	app_say(rec->app, true, T("案件状态为“%s”，此操作不适用", "the case is '%s': not now"),
	        state_label(rec->r.state));
	return true;
}

static int rec_ecert(void *screen, const void *arg)
{
	struct record *rec = screen;

	(void)arg;
	if (refuse(rec, UK_F11))
		return UI_STAY;
	return record_ecert_notice(rec);
}

static int rec_supplement(void *screen, const void *arg)
{
	struct record *rec = screen;

	(void)arg;
	return refuse(rec, UK_F2) ? UI_STAY : record_supplement(rec);
}

static int rec_note(void *screen, const void *arg)
{
	(void)arg;
	return refuse(screen, UK_F3) ? UI_STAY : record_note(screen);
}

static int rec_release(void *screen, const void *arg)
{
	(void)arg;
	return refuse(screen, UK_F5) ? UI_STAY : record_release(screen);
}

static int rec_rate(void *screen, const void *arg)
{
	struct record *rec = screen;

	(void)arg;
	if (!key_fits(rec, UK_F6)) {
		app_say(rec->app, true, "%s",
		        T("出件后才能评价；该案件没有待整改的差评",
		          "a rating comes at release; no follow-up is open"));
		return UI_STAY;
	}
	return record_rate(rec);
}

static int rec_verify(void *screen, const void *arg)
{
	struct record *rec = screen;

	(void)arg;
	if (rec->loaded && rec->r.verified) {
		app_say(rec->app, false, "%s",
		        T("承诺已核实，无需再次核查", "the commitments are verified already"));
		return UI_STAY;
	}
	return refuse(rec, UK_F7) ? UI_STAY : record_verify(rec);
}

static int rec_withdraw(void *screen, const void *arg)
{
	(void)arg;
	return refuse(screen, UK_F8) ? UI_STAY : record_withdraw(screen);
}

static int rec_reveal(void *screen, const void *arg)
{
	struct record *rec = screen;
	struct err e = {0};

	(void)arg;
	if (!rec->loaded)
		return UI_STAY;
	if (rec->reveal) {
		rec->reveal = false;
		return UI_STAY;
	}
	/* no record of who looked, no look */
	if (store_audit_add(rec->app->st, rec->app->clerk.id, rec->r.id, "reveal",
	                    "id_number,phone", &e) < 0) {
		app_store_failed(rec->app,
		                 T("查看记录未能保存，不显示完整号码",
		                   "the look could not be recorded: numbers stay masked"),
		                 &e);
		return UI_STAY;
	}
	rec->reveal = true;
	app_say(
	    rec->app, false, "%s",
	    T("已显示完整号码，查看已记录；再按 F4 遮盖", "shown in full and recorded; F4 masks"));
	return UI_STAY;
}

struct pick {
	int want, seen;
	char *text;
	char kind[32];
};

static int pick_notice(void *arg, const struct notice_row *n)
{
	struct pick *p = arg;

	if (++p->seen == p->want) {
		p->text = xstrdup(n->text);
		str_copy(p->kind, sizeof p->kind, n->kind);
	}
	return 0;
}

/* The address label of a mailed result (forms/notices/label.txt). */
static char *label_text(struct record *rec, struct err *e)
{
	struct notice_ctx *ctx = notice_ctx_new();
	char *payload = NULL, *path, *text;
	struct json_object *o;

	store_case_last_payload(rec->app->st, rec->r.id, "released", &payload, NULL);
	o = json_tokener_parse(payload ? payload : "{}");
	notice_set(ctx, "applicant_name", rec->r.name);
	notice_set(ctx, "applicant_phone", rec->r.phone);
	notice_set(ctx, "address", str_of(o, "address"));
	notice_set(ctx, "courier", str_of(o, "courier"));
	notice_set(ctx, "tracking_no", str_of(o, "tracking_no"));
	notice_set(ctx, "hall_name", rec->app->clerk.hall_name);
	notice_set(ctx, "hall_phone", rec->app->cfg.hall_phone);
	notice_set(ctx, "item_name", rec->r.item_name);
	notice_set(ctx, "case_no", rec->r.case_no);
	path = paths_join(rec->app->data_root, "forms/notices/label.txt");
	text = notice_render_file(path, ctx, DECISION_NOTICE_WIDTH, e);
	free(path);
	json_object_put(o);
	free(payload);
	notice_ctx_free(ctx);
	return text;
}

static int rec_reprint(void *screen, const void *arg)
{
	struct record *rec = screen;
	struct pick p = {0, 0, NULL, ""};
	struct err e = {0};
	char label[256], *answer;
	int n = rec->n_notices + (rec->released_by_mail ? 1 : 0);

	(void)arg;
	if (refuse(rec, UK_F9))
		return UI_STAY;
	p.want = rec->n_notices;
	if (n > 1) {
		if (rec->released_by_mail)
			snprintf(
			    label, sizeof label,
			    T("重打第几份（1-%d，%d 为快递面单；回车为最新一份）：",
			      "Reprint which (1-%d, %d is the address label; Enter: the latest): "),
			    n, n);
		else
			snprintf(label, sizeof label,
			         T("重打第几份（1-%d，回车为最新一份）：",
			           "Reprint which (1-%d; Enter: the latest): "),
			         n);
		if ((answer = app_prompt(rec->app, label, "", 3)) == NULL)
			return UI_STAY;
		if (answer[0])
			p.want = atoi(answer);
		free(answer);
		if (p.want < 1 || p.want > n) {
			app_say(rec->app, true, T("请输入 1 至 %d", "type 1 to %d"), n);
			return UI_STAY;
		}
	} else if (rec->n_notices == 0) {
		p.want = n; /* the label only */
	}
	if (p.want > rec->n_notices) {
		char *text = label_text(rec, &e);

		if (text == NULL) {
			app_say(rec->app, true, "%s", e.msg);
			return UI_STAY;
		}
		return app_show_notice(rec->app, text, rec->r.case_no, SCREEN_RECORD);
	}
	store_notice_list(rec->app->st, rec->r.id, pick_notice, &p, NULL);
	if (p.text == NULL) {
		app_say(rec->app, true, "%s", T("通知书读不出", "the notice cannot be read"));
		return UI_STAY;
	}
	return app_show_notice(rec->app, p.text, rec->r.case_no, SCREEN_RECORD);
}

static int rec_scroll(void *screen, const void *arg)
{
	struct record *rec = screen;
	int by = *(const int *)arg, page = ui_body_bottom() - 8;

	rec->top += by == 2 ? page : by == -2 ? -page : by;
	if (rec->top < 0)
		rec->top = 0;
	return UI_STAY;
}

static int rec_back(void *screen, const void *arg)
{
	struct record *rec = screen;

	(void)arg;
	rec->app->back_from_record = true;
	rec->app->msg[0] = '\0';
	return rec->app->record_back;
}

static int rec_keys_page(void *screen, const void *arg)
{
	struct record *rec = screen;

	(void)arg;
	app_help(rec->app, T("案件记录：按键", "Case record: keys"), record_keys, N_KEYS,
	         record_help);
	return UI_STAY;
}

/* Before each key: the case as it is now (sync may have brought a decision). */
static void before(void *screen)
{
	struct record *rec = screen;
	long long now = store_change_counter(rec->app->st);

	if (!rec->loaded || now != rec->read_at)
		record_load(rec);
	rec->read_at = now;
	draw(rec);
}

/* While the clerk reads: an event sent, a decision pulled, shown at once. */
static void record_idle(void *screen)
{
	struct record *rec = screen;

	if (!rec->app->prompting && store_change_counter(rec->app->st) != rec->read_at) {
		before(rec);
		refresh();
	}
}

enum screen_id screen_record(struct app *app)
{
	static const struct screen_ops ops = {before, NULL, NULL};
	struct record rec;
	enum screen_id next;

	memset(&rec, 0, sizeof rec);
	rec.app = app;
	record_load(&rec);
	rec.read_at = store_change_counter(app->st);
	app_screen_set(app, &rec, record_idle, NULL);
	next = app_screen_loop(app, record_keys, N_KEYS, &rec, &ops);
	app_screen_clear(app);
	clear_lines(&rec);
	free(rec.lines);
	free(rec.fields);
	return next;
}
