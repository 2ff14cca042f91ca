/*
 * decision.c (store) - a decision in ONE transaction: the new case row, the
 * events with their outbox entries, the new state and dates, the notice and
 * the end of the intake draft.  The transitions are checked again here,
 * against the case as it is in the database, so a stale screen (the same
 * decision typed twice, a second program deciding meanwhile) is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "store/case.h"
#include "store/store_int.h"

struct commit {
	struct store *st;
	const struct decision_record *r;
};

/* 绿色通道: the certificate and the helper (代办员) the intake form took
 * (forms/intake*.json), "" when the fields are empty or absent. */
#define GREEN_OF(key)                                                                              \
	"CASE WHEN json_valid(?8) THEN trim(coalesce(json_extract(?8, '$." key                     \
	"'), '')) ELSE '' END"

static int insert_case(struct db *db, const struct decision_record *r, const char *now,
                       struct err *e)
{
	const struct decision_case *k = r->kase;
	char received[TB_DATE_LEN];

	tb_date_format(k->received, received);
	return db_run(db, e,
	              "INSERT INTO cases (id, case_no, item_code, item_name, applicant_name,"
	              " id_number, phone, fields, state, clerk_id, hall, window, last_seq,"
	              " created_at, updated_at, received_on, initials, green_cert, green_helper)"
	              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'none', ?9, ?10, ?11, 0, ?12, ?12,"
	              " ?13, ?14, " GREEN_OF("green_cert") ", " GREEN_OF("green_helper") ")",
	              "eeeeeeeeeeeeee", k->id, k->case_no, k->item_code, r->item_name, k->name,
	              k->id_number, k->phone, k->applicant, r->clerk->id, r->clerk->hall,
	              r->clerk->window, now, received, k->initials);
}

/* What the decision marks on the case row, in the caller's transaction. */
static int mark_case(struct db *db, const struct decision_record *r, struct err *e)
{
	const struct decision_marks *m = &r->marks;

	return db_run(db, e,
	              "UPDATE cases SET due_date = CASE WHEN ?2 = '' THEN due_date ELSE ?2 END,"
	              " supply_by = CASE WHEN ?3 = '' THEN supply_by ELSE ?3 END,"
	              " commit_due = CASE WHEN ?4 = '' THEN commit_due ELSE ?4 END,"
	              " outcome = CASE WHEN outcome = '' THEN ?5 ELSE outcome END,"
	              " released_on = CASE WHEN ?6 = '' THEN released_on ELSE ?6 END,"
	              " rating = CASE WHEN ?7 < 0 THEN rating ELSE ?7 END,"
	              " follow_up_due = CASE WHEN ?8 = '' THEN follow_up_due ELSE ?8 END,"
	              " follow_up_open = CASE WHEN ?13 THEN 1 WHEN ?9 THEN 0"
	              "  ELSE follow_up_open END,"
	              " verified = verified OR ?10, credit_record = credit_record OR ?11,"
	              " done_on = CASE WHEN ?12 = '' OR done_on <> '' THEN done_on ELSE ?12 END"
	              " WHERE id = ?1",
	              "eeeeeeieiiiei", r->kase->id, m->due, m->supply_by, m->commit_due,
	              m->outcome ? m->outcome : "", m->released_on, m->rating, m->follow_up_due,
	              (int)m->follow_up_closed, (int)m->verified, (int)m->credit_record, m->done_on,
	              (int)m->follow_up_open);
}

/* The case's state and last seq as stored: 1, 0 (no such case), -1. */
static int case_head(struct db *db, const char *id, enum case_state *state, int *seq, struct err *e)
{
	sqlite3_stmt *s =
	    db_query(db, e, "SELECT state, last_seq FROM cases WHERE id = ?1", "e", id);
	int rc;

	if (s == NULL)
		return -1;
	if ((rc = db_step(db, s, e)) == 1) {
		*seq = sqlite3_column_int(s, 1);
		if (casestate_from_name(db_col_text(s, 0), state) < 0) {
			err_set(e, _("unknown case state '%s'"), db_col_text(s, 0));
			rc = -1;
		}
	}
	db_done(db, s);
	return rc;
}

static int stale(const struct decision_case *k, enum case_state now, struct err *e)
{
	err_set_kind(e, ERR_STALE,
	             _("case %s is already '%s': nothing was saved (it was dealt with elsewhere)"),
	             k->case_no, casestate_label(now));
	return -1;
}

/* Each event: checked against the stored state, numbered, queued. */
static int append_events(struct store *st, const struct decision_record *r, enum case_state *state,
                         int *seq, char *last_uuid, const char *now, struct err *e)
{
	size_t i;

	for (i = 0; i < r->n_ev; i++) {
		const struct decision_event *d = &r->ev[i];
		struct case_event ev;
		enum case_state to;
		char *body;
		int rc;

		if (casestate_next(*state, d->type, d->outcome, &to, NULL, 0) < 0 || to != d->to)
			return stale(r->kase, *state, e);
		memset(&ev, 0, sizeof ev);
		uuid_make(ev.uuid);
		str_copy(ev.case_id, sizeof ev.case_id, r->kase->id);
		ev.seq = ++*seq;
		ev.type = case_event_name(d->type);
		ev.hall = r->clerk->hall;
		ev.window = r->clerk->window;
		ev.clerk = r->clerk->id;
		str_copy(ev.client_time, sizeof ev.client_time, now);
		ev.payload_json = d->payload;
		if ((body = event_to_json(&ev)) == NULL) {
			err_set(e, "event payload is not a JSON object");
			return -1;
		}
		rc = store_event_insert(st, &ev, body, "local", now, e);
		free(body);
		if (rc < 0)
			return -1;
		str_copy(last_uuid, 40, ev.uuid);
		*state = to;
	}
	return 0;
}

/* The decision on the audit chain: who, which case, which events. */
static int audit_decision(struct db *db, const struct decision_record *r, struct err *e)
{
	char detail[256] = "";
	size_t i, len;

	for (i = 0; i < r->n_ev; i++) {
		len = strlen(detail);
		snprintf(detail + len, sizeof detail - len, "%s%s", i ? " " : "",
		         case_event_name(r->ev[i].type));
	}
	return store_audit_add_db(db, r->clerk->id, r->kase->id, AUDIT_DECISION, detail, e);
}

int store_decision_commit_db(struct store *st, const struct decision_record *r, struct err *e)
{
	struct db *db = st->db;
	enum case_state state = CS_NONE;
	char now[32], last_uuid[40] = "";
	int seq = 0, rc;

	store_now_iso(now);
	if (r->kase->is_new && insert_case(db, r, now, e) < 0)
		return -1;
	if ((rc = case_head(db, r->kase->id, &state, &seq, e)) <= 0) {
		if (rc == 0)
			err_set_kind(e, ERR_STALE, _("no case %s"), r->kase->case_no);
		return -1;
	}
	if (!r->kase->is_new && state != r->kase->state)
		return stale(r->kase, state, e);
	if (append_events(st, r, &state, &seq, last_uuid, now, e) < 0)
		return -1;
	if (db_run(db, e,
	           "UPDATE cases SET state = ?2, last_seq = ?3, updated_at = ?4 WHERE id = ?1",
	           "eeie", r->kase->id, casestate_name(state), seq, now) < 0 ||
	    mark_case(db, r, e) < 0)
		return -1;
	if (r->notice_kind && r->notice_text &&
	    db_run(db, e,
	           "INSERT INTO notices (case_id, kind, event_uuid, text, created_at)"
	           " VALUES (?1, ?2, ?3, ?4, ?5)",
	           "eeeee", r->kase->id, r->notice_kind, last_uuid, r->notice_text, now) < 0)
		return -1;
	if (r->draft_owner &&
	    db_run(db, e, "DELETE FROM drafts WHERE clerk_id = ?1", "e", r->draft_owner) < 0)
		return -1;
	return audit_decision(db, r, e);
}

static int commit_tx(struct db *db, void *arg, struct err *e)
{
	const struct commit *c = arg;

	(void)db;
	return store_decision_commit_db(c->st, c->r, e);
}

int store_decision_commit(struct store *st, const struct decision_record *r, struct err *e)
{
	struct commit c = {st, r};

	return db_tx(st->db, commit_tx, &c, e);
}

struct number {
	const struct clerk *c;
	const char *terminal, *day;
	char *out;
	size_t n;
};

/* The counter's next value, stepping over a number already on a case. */
static int number_tx(struct db *db, void *arg, struct err *e)
{
	struct number *a = arg;
	long long seq = 0, one;
	int rc;

	do {
		if (db_get_int(db, e, &seq,
		               "INSERT INTO case_numbers (day, terminal, next) VALUES (?1, ?2, 2)"
		               " ON CONFLICT (day, terminal) DO UPDATE SET next = next + 1"
		               " RETURNING next - 1",
		               "ee", a->day, a->terminal) != 1)
			return -1;
		case_no_make(a->out, a->n, a->c->hall, a->c->window, a->terminal, a->day, (int)seq);
		rc = db_get_int(db, e, &one, "SELECT 1 FROM cases WHERE case_no = ?1", "e", a->out);
	} while (rc == 1);
	return rc;
}

int store_case_no_next(struct store *st, const struct clerk *c, const char *terminal,
                       const char *yyyymmdd, char *out, size_t n, struct err *e)
{
	struct number a = {c, terminal, yyyymmdd, out, n};

	return db_tx(st->db, number_tx, &a, e);
}

static int sink_reserve(void *arg, const struct clerk *c, const char *terminal,
                        const char *yyyymmdd, char *out, size_t n, struct err *e)
{
	return store_case_no_next(arg, c, terminal, yyyymmdd, out, n, e);
}

static int sink_commit(void *arg, const struct decision_record *r, struct err *e)
{
	return store_decision_commit(arg, r, e);
}

void store_decision_sink(struct store *st, struct decision_sink *sink)
{
	sink->arg = st;
	sink->reserve = sink_reserve;
	sink->commit = sink_commit;
}

void store_decision_case(const struct case_row *r, struct decision_case *k)
{
	memset(k, 0, sizeof *k);
	str_copy(k->id, sizeof k->id, r->id);
	str_copy(k->case_no, sizeof k->case_no, r->case_no);
	if (casestate_from_name(r->state, &k->state) < 0)
		k->state = CS_N_STATES;
	k->item_code = r->item_code;
	k->name = r->name;
	k->id_number = r->id_number;
	k->phone = r->phone;
	if (tb_date_parse(r->received_on, &k->received) < 0)
		memset(&k->received, 0, sizeof k->received);
}
