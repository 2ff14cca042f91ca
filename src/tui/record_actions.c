/*
 * record_actions.c - what the clerk does from a case's record, each one of
 * core's decisions: the supplement (warned when late), a note, the release
 * (出件: pickup with the collector checked, mail, electronic) followed by
 * the applicant's rating (好差评, one key of 5..1 or 0), the follow-up of a
 * bad rating, the verification of commitments (confirmed, or revoked with
 * its 撤销决定书) and the closing of an overdue supplement (视为放弃).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/casestate.h"
#include "core/i18n.h"
#include "core/joint.h"
#include "core/stats.h"
#include "tui/record.h"
#include "tui/ui.h"

void record_input(struct record *rec, struct decision_env *env, struct decision_case *k,
                  struct decision_input *in)
{
	app_decision_env(rec->app, env);
	store_decision_case(&rec->r, k);
	memset(in, 0, sizeof *in);
	in->env = env;
	in->item = catalogue_find(rec->app->cat, rec->r.item_code);
	in->kase = k;
	in->rating = -1;
	in->supply_by = rec->r.supply_by;
}

bool record_decide(struct record *rec, const struct decision *d, struct decision_input *in,
                   char **notice)
{
	struct app *app = rec->app;
	struct decision_result res;
	struct err e = {0};

	if (notice)
		*notice = NULL;
	if (in->item == NULL) {
		app_say(app, true, "%s", _("the case's item is not in the catalogue"));
		return false;
	}
	if (decision_run(d, in, &app->sink, &res, &e) < 0) {
		if (e.kind == ERR_FAILED)
			app_say(app, true, "%s", e.msg);
		else
			app_store_failed(app, _("not saved: nothing was done"), &e);
		record_load(rec); /* a stale screen shows the case as it is */
		return false;
	}
	if (app->sync)
		sync_helper_poke(app->sync);
	app_store_ok(app);
	if (res.warning[0])
		app_say(app, true, "%s", res.warning);
	if (notice)
		*notice = res.notice_text;
	else
		free(res.notice_text);
	record_load(rec);
	return true;
}

/* Whether d fits in now; says why not. */
static bool fits(struct record *rec, const struct decision *d, const struct decision_input *in)
{
	struct err e = {0};

	if (decision_check(d, in, &e) == 0)
		return true;
	app_say(rec->app, true, "%s", e.msg);
	return false;
}

/* A one-key answer: 1 yes, 0 no, -1 backed out. */
static int yes_no(struct app *app, const char *question)
{
	char *a = app_prompt(app, question, "", 1);
	int rc = a == NULL ? -1 : strcmp(a, "1") == 0 ? 1 : 0;

	free(a);
	return rc;
}

/* ---- supplement and note ----------------------------------------------------------- */

int record_supplement(struct record *rec)
{
	struct app *app = rec->app;
	struct tb_date by;
	char q[256];

	if (tb_date_parse(rec->r.supply_by, &by) == 0 && tb_date_cmp(app_today(app), by) > 0) {
		snprintf(
		    q, sizeof q,
		    _("the supply-by date %s has passed. Take the supplement anyway? 1 yes 0 no: "),
		    rec->r.supply_by);
		if (yes_no(app, q) != 1) {
			app_say(app, false, "%s", _("not taken; F8 closes it as withdrawn"));
			return UI_STAY;
		}
	}
	str_copy(app->open_case, sizeof app->open_case, rec->r.id);
	app->msg[0] = '\0';
	return SCREEN_COUNTER;
}

int record_note(struct record *rec)
{
	struct decision_env env;
	struct decision_case k;
	struct decision_input in;
	char *text = app_prompt(rec->app, _("Note: "), "", 200);

	if (text == NULL || text[0] == '\0') {
		free(text);
		return UI_STAY;
	}
	record_input(rec, &env, &k, &in);
	in.note = text;
	if (record_decide(rec, &decision_note, &in, NULL))
		app_say(rec->app, false, "%s", _("note saved"));
	free(text);
	return UI_STAY;
}

/* ---- rating --------------------------------------------------------------------------- */

/* The applicant's screen: one key, 5 best .. 1 worst, 0 declined; -1 Esc. */
static int ask_rating(struct app *app)
{
	static const int levels[] = {5, 4, 3, 2, 1, 0};
	int y, i;

	for (;;) {
		struct ui_key k;
		char line[128];

		erase();
		ui_header(_("Service rating"), app->clerk.hall_name);
		y = ui_rows() / 2 - 6;
		ui_put_center(y, _("Please rate this service"), A_BOLD);
		ui_put_center(y + 1, _("(press a number)"), ui_attr_dim());
		for (i = 0; i < 6; i++) {
			snprintf(line, sizeof line, "%d   %s", levels[i],
			         stats_rating_label(levels[i]));
			ui_put(y + 3 + i, ui_cols() / 2 - 8, 30, line,
			       levels[i] == 0 ? ui_attr_dim() : 0);
		}
		ui_put_center(
		    y + 10,
		    _("clerk: turn the keyboard or screen to the applicant; Esc rates later"),
		    ui_attr_dim());
		curs_set(0);
		refresh();
		app->prompting = true; /* the applicant's screen is not drawn over */
		k = app_read_key(app);
		app->prompting = false;
		if (k.code == UK_HANGUP || k.code == UK_ESC)
			return -1;
		if (k.code == UK_CHAR && k.ch >= '0' && k.ch <= '5')
			return (int)(k.ch - '0');
	}
}

int record_rate(struct record *rec)
{
	struct app *app = rec->app;
	struct decision_env env;
	struct decision_case k;
	struct decision_input in;
	const struct decision *d = &decision_rate;
	char *text = NULL;
	int level = -1;

	record_input(rec, &env, &k, &in);
	if (rec->r.follow_up_open) {
		d = &decision_follow_up;
		text = app_prompt(app, _("Follow-up done: "), "", 200);
		if (text == NULL)
			return UI_STAY;
		in.note = text;
	} else {
		if ((level = ask_rating(app)) < 0) {
			app_say(app, false, "%s", _("not rated: F6 later"));
			return UI_STAY;
		}
		if (level > 0)
			text = app_prompt(app, _("Comment (optional): "), "", 200);
		in.rating = level;
		in.comment = text ? text : "";
	}
	if (record_decide(rec, d, &in, NULL)) {
		if (d == &decision_follow_up)
			app_say(app, false, "%s", _("follow-up closed"));
		else if (level >= 1 && level <= 2)
			app_say(app, true, _("'%s' recorded: follow up by %s"),
			        stats_rating_label(level), rec->r.follow_up_due);
		else
			app_say(app, false, _("rated: %s"), stats_rating_label(level));
	}
	free(text);
	return UI_STAY;
}

/* ---- release --------------------------------------------------------------------------- */

/* Ask how the result goes out; false when the clerk backs out.  The strings
 * are kept in s (caller frees s[0..5]). */
static bool ask_release(struct record *rec, struct decision_release *r, char *s[6], size_t approved,
                        size_t parts)
{
	struct app *app = rec->app;
	char label[1024], *m;
	int yes;

	/* 并联审批 approved in part: the window hands out only what was approved
	 * (the record above lists each department's decision) */
	if (approved > 0)
		snprintf(label, sizeof label,
		         _("Approved in part (%zu of %zu): 1 pickup  2 mail  3 electronic: "),
		         approved, parts);
	else
		snprintf(label, sizeof label, "%s",
		         _("Release: 1 pickup  2 mail  3 electronic/self-print: "));
	m = app_prompt(app, label, "1", 1);

	memset(r, 0, sizeof *r);
	if (m == NULL)
		return false;
	r->method = m[0] == '2' ? RELEASE_MAIL : m[0] == '3' ? RELEASE_ELECTRONIC : RELEASE_PICKUP;
	free(m);
	r->agent_name = record_field(rec, "agent_name");
	r->agent_name = s[5] = xstrdup(r->agent_name);
	r->agent_id = s[4] = xstrdup(record_field(rec, "agent_id_number"));
	if (r->method == RELEASE_PICKUP) {
		if ((s[0] = app_prompt(app, _("Collector's name: "), rec->r.name, 50)) == NULL ||
		    (s[1] = app_prompt(app, _("Collector's ID (card reader): "), "", 18)) == NULL)
			return false;
		r->collector_name = s[0];
		r->collector_id = s[1];
		if (r->agent_id[0] && strcasecmp(s[1], r->agent_id) == 0 &&
		    strcasecmp(s[1], rec->r.id_number) != 0) {
			yes = yes_no(
			    app,
			    _("An agent collects: authorisation letter checked? 1 yes 0 no: "));
			if (yes < 0)
				return false;
			r->letter = yes == 1;
		}
	} else if (r->method == RELEASE_MAIL) {
		if ((s[0] = app_prompt(app, _("Courier: "), _("China Post EMS"), 40)) == NULL ||
		    (s[1] = app_prompt(app, _("Tracking number: "), "", 40)) == NULL ||
		    (s[2] = app_prompt(app, _("Address: "), record_field(rec, "address"), 120)) ==
		        NULL)
			return false;
		r->courier = s[0];
		r->tracking_no = s[1];
		r->address = s[2];
	}
	return true;
}

int record_release(struct record *rec)
{
	struct app *app = rec->app;
	struct decision_env env;
	struct decision_case k;
	struct decision_input in;
	struct decision_release r;
	char *s[6] = {NULL, NULL, NULL, NULL, NULL, NULL}, *notice = NULL;
	char approved[1024] = "", refused[1024] = "";
	size_t n_approved = 0, n_parts = 0;
	int i, next = UI_STAY;
	struct joint_view v;
	const struct item *it = catalogue_find(app->cat, rec->r.item_code);
	bool ok;

	/* a joint case approved in part: which parts go out */
	if (it != NULL && strcmp(rec->r.state, "approved") == 0 &&
	    store_case_joint(app->st, rec->r.id, it, &v, NULL) == 0 && v.n > 0 && v.partial) {
		n_approved = joint_view_count(&v, "approve");
		n_parts = v.n;
		joint_view_depts_zh(&v, "approve", approved, sizeof approved);
		joint_view_depts_zh(&v, "refuse", refused, sizeof refused);
	}
	ok = ask_release(rec, &r, s, n_approved, n_parts);
	record_input(rec, &env, &k, &in);
	in.release = &r;
	if (approved[0]) {
		in.joint_approved = approved;
		in.joint_refused = refused;
	}
	if (!ok) {
		app_say(app, false, "%s", _("not released"));
	} else if (fits(rec, &decision_release, &in) &&
	           record_decide(rec, &decision_release, &in, &notice)) {
		/* the applicant rates at the window, then takes the receipt */
		record_rate(rec);
		next = app_show_notice(app, notice, rec->r.case_no, SCREEN_RECORD);
	}
	for (i = 0; i < 6; i++)
		free(s[i]);
	return next;
}

/* ---- verification ---------------------------------------------------------------------- */

/* Ask the clerk the result of each commitment: 1 true, 2 false.  Returns
 * how many were answered (all of them), or -1 when the clerk cancelled. */
static int ask_verdicts(struct app *app, const struct decision_commitment *c, size_t n,
                        struct decision_verdict *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char label[512], *answer;

		snprintf(label, sizeof label, _("Verify '%s': 1 true  2 false  "), c[i].material);
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

int record_verify(struct record *rec)
{
	struct app *app = rec->app;
	struct decision_commitment *c = NULL;
	struct decision_verdict *verdicts;
	struct decision_env env;
	struct decision_case k;
	struct decision_input in;
	const struct decision *d = &decision_confirm;
	char *payload = NULL, *reason = NULL, *notice = NULL;
	size_t n = 0, i;
	int next = UI_STAY;

	if (store_case_last_payload(app->st, rec->r.id, "committed", &payload, NULL) == 1)
		n = decision_commitments(payload, &c);
	free(payload);
	if (n == 0) {
		app_say(app, true, "%s", _("no commitment to verify"));
		return UI_STAY;
	}
	verdicts = xcalloc(n, sizeof *verdicts);
	record_input(rec, &env, &k, &in);
	in.verdicts = verdicts;
	in.n_verdicts = n;
	if (ask_verdicts(app, c, n, verdicts) < 0)
		goto cancelled;
	for (i = 0; i < n; i++)
		if (verdicts[i].breached)
			d = &decision_revoke;
	if (d == &decision_revoke) {
		if (yes_no(app,
		           _("A false commitment: revoke the decision and record it? 1 revoke 0 "
		             "no: ")) != 1 ||
		    (reason = app_prompt(app, _("Finding (why revoked): "), "", 200)) == NULL)
			goto cancelled;
		in.reason = reason;
	}
	if (record_decide(rec, d, &in, &notice)) {
		if (d == &decision_confirm) {
			app_say(app, false, _("case %s: commitments kept, marked verified"),
			        rec->r.case_no);
		} else {
			app_say(app, true, _("case %s: false commitment, revoked and recorded"),
			        rec->r.case_no);
			next = app_show_notice(app, notice, rec->r.case_no, SCREEN_RECORD);
		}
	}
	goto done;
cancelled:
	app_say(app, false, "%s", _("verification cancelled"));
done:
	free(reason);
	free(verdicts);
	free(c);
	return next;
}

/* ---- deemed withdrawal ------------------------------------------------------------------ */

int record_withdraw(struct record *rec)
{
	struct app *app = rec->app;
	struct decision_env env;
	struct decision_case k;
	struct decision_input in;
	char *reason, *notice = NULL;
	int next = UI_STAY;

	record_input(rec, &env, &k, &in);
	if (!fits(rec, &decision_withdraw, &in))
		return UI_STAY;
	reason = app_prompt(app, _("Why: "), _("not supplied in time"), 200);
	if (reason == NULL)
		return UI_STAY;
	in.reason = reason;
	if (record_decide(rec, &decision_withdraw, &in, &notice)) {
		app_say(app, false, _("case %s closed as withdrawn"), rec->r.case_no);
		next = app_show_notice(app, notice, rec->r.case_no, SCREEN_RECORD);
	}
	free(reason);
	return next;
}
