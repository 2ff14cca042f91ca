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
#include "core/joint.h"
#include "core/notice.h"
#include "core/paths.h"
#include "core/phone.h"
#include "core/stats.h"
#include "core/utf8.h"
#include "store/bundle.h"
#include "store/ecert.h"
#include "tui/record.h"
#include "tui/ui.h"

/* ---- the body's lines ----------------------------------------------------------- */

static void add_line(struct record *rec, int attr, const char *fmt, ...) TB_PRINTF(3, 4);
static void add_bundle(struct record *rec);

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
		snprintf(out, n, _("supply by %s"), str_of(p, "supply_by"));
	else if (strcmp(type, "accepted") == 0 || strcmp(type, "committed") == 0)
		snprintf(out, n, _("promised %s"), str_of(p, "promised_date"));
	else if (strcmp(type, "refused") == 0 || strcmp(type, "revoked") == 0 ||
	         strcmp(type, "withdrawn") == 0)
		snprintf(out, n, "%s", str_of(p, "reason"));
	else if (strcmp(type, "decided") == 0) /* with the back office's reason */
		snprintf(out, n, "%s%s%s",
		         strcmp(str_of(p, "outcome"), "approve") == 0 ? _("approved") : _("denied"),
		         str_of(p, "reason")[0] ? _(": ") : "", str_of(p, "reason"));
	else if (strcmp(type, "dept_decided") == 0) /* 并联审批: one department's part */
		snprintf(out, n, "%s %s%s%s", i18n_data(str_of(p, "dept")),
		         strcmp(str_of(p, "outcome"), "approve") == 0 ? C_("joint", "approved")
		                                                      : C_("joint", "refused"),
		         str_of(p, "reason")[0] ? _(": ") : "", str_of(p, "reason"));
	else if (strcmp(type, "verified") == 0)
		snprintf(out, n, "%s",
		         strcmp(str_of(p, "outcome"), "confirmed") == 0 ? _("kept") : _("false"));
	else if (strcmp(type, "released") == 0) {
		m = str_of(p, "method");
		if (strcmp(m, "pickup") == 0)
			snprintf(
			    out, n, _("collected by %s%s"), str_of(p, "collector_name"),
			    json_object_get_boolean(json_object_object_get(p, "collector_is_agent"))
			        ? _(" (agent)")
			        : "");
		else if (strcmp(m, "mail") == 0)
			snprintf(out, n, _("mailed: %s %s"), str_of(p, "courier"),
			         str_of(p, "tracking_no"));
		else
			snprintf(out, n, "%s", _("electronic / self-print"));
	} else if (strcmp(type, "rated") == 0) {
		snprintf(out, n, "%s%s%s", stats_rating_label(int_of(p, "level", 0)),
		         str_of(p, "comment")[0] ? _(": ") : "", str_of(p, "comment"));
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
	char detail[600], when[32], window[48];
	const char *sync = h->synced    ? _("sent")
	                   : h->problem ? _("refused by the server")
	                                : _("not sent yet");
	struct json_object *p;

	snprintf(when, sizeof when, "%.10s %.5s", h->time,
	         strlen(h->time) > 11 ? h->time + 11 : "");
	event_detail(h->type, h->payload, detail, sizeof detail);
	if (h->window[0])
		snprintf(window, sizeof window, _("window %s"), h->window);
	else
		window[0] = '\0';
	add_line(hs->rec, h->problem ? ui_attr_error() : 0, "  %s  %-10s %s %s  [%s]  %s", when,
	         event_label(h->type), h->clerk, window, sync, detail);
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
		         len ? _("; ") : "", hs->pause_from, _("to"), h->time);
		hs->pause_from[0] = '\0';
	}
	return 0;
}

static int on_notice(void *arg, const struct notice_row *n)
{
	struct record *rec = arg;
	static const struct {
		const char *kind, *label;
	} names[] = {
	    {"acceptance", N_("acceptance notice")},
	    {"supplement", N_("one-time notice (supplement)")},
	    {"commitment", N_("commitment")},
	    {"refusal", N_("refusal notice")},
	    {"revocation", N_("revocation decision")},
	    {"release", N_("delivery receipt")},
	    {"withdrawal", N_("deemed-withdrawn notice")},
	    {"ecert", N_("e-certificate notice")},
	};
	const char *label = n->kind;
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].kind, n->kind) == 0)
			label = _(names[i].label);
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
		         _("; tell the applicant in a one-time notice (F11)"));
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
		add_line(rec, ui_attr_dim(), "  %s", _("(no materials recorded)"));
		return;
	}
	if (it == NULL) {
		add_line(rec, ui_attr_dim(), "  %s", _("(the item is no longer in the catalogue)"));
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
		snprintf(out, n, _(" (%d working days overdue)"), -days);
	else
		snprintf(out, n, _(" (%d working days left)"), days);
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

	add_line(rec, A_BOLD, "%s", _("-- Deadlines --"));
	add_line(rec, 0, _("  applied %s"), r->received_on);
	if (r->due_date[0]) {
		if (open_case(r))
			days_left(rec, r->due_date, left, sizeof left);
		else
			left[0] = '\0';
		add_line(rec, 0, _("  promised %s%s"), r->due_date, left);
	}
	if (r->supply_by[0] && strcmp(r->state, "awaiting_supplement") == 0)
		add_line(rec, 0, _("  supply by %s"), r->supply_by);
	if (pauses[0])
		add_line(rec, ui_attr_dim(), _("  clock stopped: %s"), pauses);
	if (r->commit_due[0] && !r->verified && !r->credit_record)
		add_line(rec, 0, _("  commitment due %s"), r->commit_due);
	if (r->done_on[0])
		add_line(rec, 0, _("  done %s"), r->done_on);
	if (r->released_on[0])
		add_line(rec, 0, _("  released %s"), r->released_on);
	if (r->follow_up_open)
		add_line(rec, ui_attr_error(), _("  follow-up due %s"), r->follow_up_due);
}

/* 跨域通办: the region and its department that decide the case. */
static void add_authority(struct record *rec, const struct item *it)
{
	if (it == NULL || it->region_name[0] == '\0')
		return;
	add_line(rec, 0,
	         _("  decided by %s %s (cross-region, hall %s); the result comes back here"),
	         i18n_data(it->region_name), i18n_data(it->dept), it->decide_hall);
}

/* 并联审批: each department's part as the changes feed brought it, the
 * ones waiting, the rule and the joint result. */
static void add_joint(struct record *rec, const struct item *it)
{
	struct joint_view v;
	const struct joint_part *refused;
	char list[1024];
	size_t i, waiting;

	if (it == NULL || store_case_joint(rec->app->st, rec->r.id, it, &v, NULL) < 0 || v.n == 0)
		return;
	add_line(rec, A_BOLD, _("-- Joint approval (%s) --"), joint_rule_label(v.rule));
	for (i = 0; i < v.n; i++) {
		const struct joint_part *p = &v.parts[i];
		char dept[300];
		int pad;

		/* the departments in a column of 20 display cells */
		pad = 20 - utf8_width(i18n_data(p->dept));
		snprintf(dept, sizeof dept, "%s%*s", i18n_data(p->dept), pad > 0 ? pad : 0, "");
		if (p->outcome[0] == '\0') {
			add_line(rec, ui_attr_dim(), "  %s  %s", dept,
			         _("waiting for its decision"));
			continue;
		}
		add_line(rec, strcmp(p->outcome, "refuse") == 0 ? ui_attr_error() : 0,
		         "  %s  %s  %s %.10s %.5s%s%s", dept,
		         strcmp(p->outcome, "approve") == 0 ? C_("joint", "approved")
		                                            : C_("joint", "refused"),
		         p->by, p->at, strlen(p->at) > 11 ? p->at + 11 : "",
		         p->reason[0] ? "  " : "", p->reason);
	}
	waiting = joint_view_count(&v, "");
	refused = joint_view_refused(&v);
	if (strcmp(v.result, "refuse") == 0 && refused != NULL)
		add_line(rec, ui_attr_error() | A_BOLD,
		         _("  Joint result: denied: %s refused (%s)"), i18n_data(refused->dept),
		         refused->reason[0] ? refused->reason : "-");
	else if (strcmp(v.result, "refuse") == 0)
		add_line(rec, ui_attr_error() | A_BOLD, "%s", _("  Joint result: denied"));
	else if (strcmp(v.result, "approve") == 0 && v.partial)
		add_line(rec, A_BOLD,
		         _("  Joint result: approved in part (%zu of %zu), release only: %s"),
		         joint_view_count(&v, "approve"), v.n,
		         joint_view_depts(&v, "approve", list, sizeof list));
	else if (strcmp(v.result, "approve") == 0)
		add_line(rec, A_BOLD, "%s", _("  Joint result: approved by every department"));
	else
		add_line(rec, ui_attr_dim(),
		         P_("  Joint result: waiting for %zu department (%s)",
		            "  Joint result: waiting for %zu departments (%s)", waiting),
		         waiting, joint_view_depts(&v, "", list, sizeof list));
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
			app_store_failed(app, _("the case cannot be read"), &e);
		return false;
	}
	free(rec->fields);
	rec->fields =
	    store_case_fields(app->st, rec->r.id, &fields, NULL) == 1 ? fields : xstrdup("{}");
	add_bundle(rec);
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
		add_authority(rec, catalogue_find(app->cat, rec->r.item_code));
		add_joint(rec, catalogue_find(app->cat, rec->r.item_code));
		add_line(rec, A_BOLD, "%s", _("-- History (time event clerk window sent) --"));
		for (int i = 0; i < tmp.n_lines; i++) {
			add_line(rec, tmp.lines[i].attr, "%s", tmp.lines[i].text);
			free(tmp.lines[i].text);
		}
		free(tmp.lines);
		add_line(rec, A_BOLD, "%s", _("-- Materials --"));
		rec->ecert_failed = 0;
		add_materials(rec, hs.materials);
	}
	free(hs.materials);
	add_line(rec, A_BOLD, "%s", _("-- Notices (F9 reprints) --"));
	if (store_notice_list(app->st, rec->r.id, on_notice, rec, NULL) == 0)
		add_line(rec, ui_attr_dim(), "  %s", _("(none)"));
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

static int on_part(void *arg, const struct case_row *r)
{
	struct record *rec = arg;
	const struct item *it = catalogue_find(rec->app->cat, r->item_code);
	enum case_state s;

	add_line(rec, strcmp(r->id, rec->r.id) == 0 ? A_BOLD : 0, "  %s %s  %s  %s  %s%s",
	         strcmp(r->id, rec->r.id) == 0 ? "▶" : " ", r->case_no, i18n_data(r->item_name),
	         it ? i18n_data(it->dept) : "",
	         casestate_from_name(r->state, &s) == 0 ? casestate_label(s) : r->state,
	         r->due_date[0] ? r->due_date : "");
	return 0;
}

/* 一件事: the bundle the case is a part of, and every part. */
static void add_bundle(struct record *rec)
{
	int n;

	if (!rec->r.bundle_id[0])
		return;
	add_line(rec, A_BOLD, _("-- Bundle: %s (%s) --"), rec->r.bundle_name, rec->r.bundle_code);
	n = store_bundle_parts(rec->app->st, rec->r.bundle_id, on_part, rec, NULL);
	add_line(rec, ui_attr_dim(),
	         _("  %d cases, taken in together; each decided and timed "
	           "on its own"),
	         n < 0 ? 0 : n);
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
		         _("commitments verified"));
	if (r->credit_record)
		snprintf(marks + strlen(marks), sizeof marks - strlen(marks), "  [%s]",
		         _("credit record"));
	if (r->rating >= 0)
		snprintf(marks + strlen(marks), sizeof marks - strlen(marks), "  [%s %s]",
		         _("rating"), stats_rating_label(r->rating));
	snprintf(line, sizeof line, _("State: %s%s"), state_label(r->state), marks);
	ui_put((*y)++, 1, ui_cols() - 2, line, A_BOLD);
	snprintf(line, sizeof line, _("Applicant: %s  ID: %s  phone: %s%s"), r->name, id, phone,
	         rec->reveal ? _("  (shown in full: recorded)") : "");
	ui_put((*y)++, 1, ui_cols() - 2, line, 0);
	if (agent[0]) {
		char *aid = rec->reveal ? xstrdup(record_field(rec, "agent_id_number"))
		                        : idcard_mask(record_field(rec, "agent_id_number"));

		snprintf(line, sizeof line, _("Agent: %s  ID: %s"), agent, aid);
		ui_put((*y)++, 1, ui_cols() - 2, line, 0);
		free(aid);
	}
	if (r->green_cert[0]) {
		snprintf(line, sizeof line, _("Green channel: certificate %s  helper %s"),
		         r->green_cert, r->green_helper);
		ui_put((*y)++, 1, ui_cols() - 2, line, A_BOLD);
	}
	snprintf(line, sizeof line, _("Item: %s (%s)  taken in at window %s by %s"),
	         i18n_data(r->item_name), r->item_code, r->window, r->clerk_id);
	ui_put((*y)++, 1, ui_cols() - 2, line, 0);
	snprintf(line, sizeof line, _("Official no.: %s"),
	         r->official_no[0] ? r->official_no : _("assigned by the server after sync"));
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
    {UK_F2, "F2", N_("supplement"), rec_supplement, NULL},
    {UK_F3, "F3", N_("note"), rec_note, NULL},
    {UK_F4, "F4", N_("full numbers"), rec_reveal, NULL},
    {UK_F5, "F5", N_("release"), rec_release, NULL},
    {UK_F6, "F6", N_("rating/follow-up"), rec_rate, NULL},
    {UK_F7, "F7", N_("verify"), rec_verify, NULL},
    {UK_F8, "F8", N_("withdrawn"), rec_withdraw, NULL},
    {UK_F9, "F9", N_("reprint"), rec_reprint, NULL},
    {UK_F11, "F11", N_("e-cert notice"), rec_ecert, NULL},
    {UK_ESC, "Esc", N_("back"), rec_back, NULL},
    {UK_F1, "F1", N_("keys"), rec_keys_page, NULL},
    {UK_F10, "", "", rec_back, NULL},
    {UK_DOWN, "", "", rec_scroll, &line_down},
    {UK_UP, "", "", rec_scroll, &line_up},
    {UK_PGDN, "", "", rec_scroll, &page_down},
    {UK_PGUP, "", "", rec_scroll, &page_up},
    {UK_HANGUP, "", "", app_action_quit, NULL},
};
#define N_KEYS ((int)(sizeof record_keys / sizeof record_keys[0]))

static const char *const record_help[] = {
    N_("Up/Down PgUp/PgDn scroll the record"),
    N_("F2 supplement: the applicant brings what the one-time notice asked (warned when late)"),
    N_("F5 release: pickup (the collector checked), mail or electronic; then the applicant rates"),
    N_("F6 rating (when not rated) or follow-up done (a bad rating's follow-up)"),
    N_("F7 verify: kept marks the case verified; false revokes it with a credit record"),
    N_("F11 e-cert notice: tell the applicant at once of every e-certificate that failed its "
       "check"),
    N_("F8 deemed withdrawn: the supply-by date passed"),
    N_("F4 shows the whole ID and phone, and records who looked"),
    NULL,
};

static void draw(void *screen)
{
	struct record *rec = screen;
	struct app *app = rec->app;
	struct ui_action keys[N_KEYS];
	char title[160];
	int y = 1, i, n = 0, room;

	erase();
	snprintf(title, sizeof title, _("Case %s"), rec->loaded ? rec->r.case_no : "");
	app_draw_frame(app, title);
	if (!rec->loaded) {
		ui_put(2, 2, ui_cols() - 4, _("no such case, or it cannot be read"),
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
	app_say(rec->app, true, _("the case is '%s': not now"), state_label(rec->r.state));
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
		app_say(rec->app, true, "%s", _("a rating comes at release; no follow-up is open"));
		return UI_STAY;
	}
	return record_rate(rec);
}

static int rec_verify(void *screen, const void *arg)
{
	struct record *rec = screen;

	(void)arg;
	if (rec->loaded && rec->r.verified) {
		app_say(rec->app, false, "%s", _("the commitments are verified already"));
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
		app_store_failed(rec->app, _("the look could not be recorded: numbers stay masked"),
		                 &e);
		return UI_STAY;
	}
	rec->reveal = true;
	app_say(rec->app, false, "%s", _("shown in full and recorded; F4 masks"));
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
			    _("Reprint which (1-%d, %d is the address label; Enter: the latest): "),
			    n, n);
		else
			snprintf(label, sizeof label,
			         _("Reprint which (1-%d; Enter: the latest): "), n);
		if ((answer = app_prompt(rec->app, label, "", 3)) == NULL)
			return UI_STAY;
		if (answer[0])
			p.want = atoi(answer);
		free(answer);
		if (p.want < 1 || p.want > n) {
			app_say(rec->app, true, _("type 1 to %d"), n);
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
		app_say(rec->app, true, "%s", _("the notice cannot be read"));
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
	app_help(rec->app, _("Case record: keys"), record_keys, N_KEYS, record_help);
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
