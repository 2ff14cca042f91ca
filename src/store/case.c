/* case.c - cases as the screens and commands read them. */
#include <stdlib.h>
#include <string.h>

#include "core/joint.h"
#include "store/store_int.h"

void store_case_from_row(sqlite3_stmt *s, struct case_row *r)
{
	memset(r, 0, sizeof *r);
	db_col_copy(s, 0, r->id, sizeof r->id);
	db_col_copy(s, 1, r->case_no, sizeof r->case_no);
	db_col_copy(s, 2, r->item_code, sizeof r->item_code);
	db_col_copy(s, 3, r->item_name, sizeof r->item_name);
	db_col_copy(s, 4, r->name, sizeof r->name);
	db_col_copy(s, 5, r->id_number, sizeof r->id_number);
	db_col_copy(s, 6, r->phone, sizeof r->phone);
	db_col_copy(s, 7, r->state, sizeof r->state);
	db_col_copy(s, 8, r->created_at, sizeof r->created_at);
	db_col_copy(s, 9, r->official_no, sizeof r->official_no);
	db_col_copy(s, 10, r->due_date, sizeof r->due_date);
	db_col_copy(s, 11, r->supply_by, sizeof r->supply_by);
	db_col_copy(s, 12, r->commit_due, sizeof r->commit_due);
	db_col_copy(s, 13, r->received_on, sizeof r->received_on);
	db_col_copy(s, 14, r->outcome, sizeof r->outcome);
	db_col_copy(s, 15, r->done_on, sizeof r->done_on);
	db_col_copy(s, 16, r->released_on, sizeof r->released_on);
	r->rating = (int)db_col_int(s, 17);
	db_col_copy(s, 18, r->follow_up_due, sizeof r->follow_up_due);
	r->follow_up_open = db_col_int(s, 19) != 0;
	r->verified = db_col_int(s, 20) != 0;
	r->credit_record = db_col_int(s, 21) != 0;
	db_col_copy(s, 22, r->clerk_id, sizeof r->clerk_id);
	db_col_copy(s, 23, r->window, sizeof r->window);
	db_col_copy(s, 24, r->bundle_id, sizeof r->bundle_id);
	db_col_copy(s, 25, r->bundle_code, sizeof r->bundle_code);
	db_col_copy(s, 26, r->bundle_name, sizeof r->bundle_name);
	db_col_copy(s, 27, r->green_cert, sizeof r->green_cert);
	db_col_copy(s, 28, r->green_helper, sizeof r->green_helper);
}

int store_case_each(struct store *st, sqlite3_stmt *s, case_row_fn fn, void *arg, struct err *e)
{
	int n = 0, rc;

	if (s == NULL)
		return -1;
	while ((rc = db_step(st->db, s, e)) == 1) {
		struct case_row r;

		store_case_from_row(s, &r);
		n++;
		if (fn(arg, &r) != 0)
			break;
	}
	db_done(st->db, s);
	return rc < 0 ? -1 : n;
}

int store_case_get(struct store *st, const char *id_or_no, struct case_row *out, struct err *e)
{
	sqlite3_stmt *s =
	    db_query(st->db, e,
	             "SELECT " CASE_COLUMNS " FROM cases WHERE id = ?1"
	             " UNION ALL SELECT " CASE_COLUMNS " FROM cases WHERE case_no = ?1"
	             " LIMIT 1",
	             "e", id_or_no);
	int rc;

	if (s == NULL)
		return -1;
	if ((rc = db_step(st->db, s, e)) == 1)
		store_case_from_row(s, out);
	db_done(st->db, s);
	return rc;
}

int store_case_recent(struct store *st, struct case_row *out, int max, struct err *e)
{
	sqlite3_stmt *s = db_query(st->db, e,
	                           "SELECT " CASE_COLUMNS " FROM cases"
	                           " ORDER BY created_at DESC, rowid DESC LIMIT ?1",
	                           "i", max);
	int n = 0, rc = 0;

	if (s == NULL)
		return -1;
	while (n < max && (rc = db_step(st->db, s, e)) == 1)
		store_case_from_row(s, &out[n++]);
	db_done(st->db, s);
	return n < max && rc < 0 ? -1 : n;
}

int store_case_fields(struct store *st, const char *case_id, char **fields_json, struct err *e)
{
	return db_get_text(st->db, e, fields_json, "SELECT fields FROM cases WHERE id = ?1", "e",
	                   case_id);
}

int store_case_last_payload(struct store *st, const char *case_id, const char *type, char **payload,
                            struct err *e)
{
	int rc = db_get_text(st->db, e, payload,
	                     "SELECT coalesce(json_extract(body, '$.payload'), '') FROM events"
	                     " WHERE case_id = ?1 AND type = ?2 ORDER BY seq DESC LIMIT 1",
	                     "ee", case_id, type);

	if (rc == 1 && (*payload)[0] == '\0') {
		free(*payload);
		*payload = NULL;
		return 0;
	}
	return rc;
}

int store_case_range(struct store *st, const char *from, const char *to, case_row_fn fn, void *arg,
                     struct err *e)
{
	return store_case_each(st,
	                       db_query(st->db, e,
	                                "SELECT " CASE_COLUMNS " FROM cases WHERE received_on"
	                                " BETWEEN ?1 AND ?2 ORDER BY received_on, rowid",
	                                "ee", from, to),
	                       fn, arg, e);
}

int store_case_open(struct store *st, case_row_fn fn, void *arg, struct err *e)
{
	/* three indexed parts: open states, follow-ups, commitments to verify */
	return store_case_each(
	    st,
	    db_query(st->db, e,
	             "SELECT " CASE_COLUMNS " FROM cases WHERE state IN ('received', 'accepted',"
	             " 'accepted_commitment', 'awaiting_supplement', 'in_review', 'approved',"
	             " 'denied')"
	             " UNION SELECT " CASE_COLUMNS " FROM cases WHERE follow_up_open = 1"
	             " UNION SELECT " CASE_COLUMNS " FROM cases WHERE outcome = 'committed'"
	             " AND verified = 0 AND state <> 'revoked'"
	             " ORDER BY received_on, case_no",
	             ""),
	    fn, arg, e);
}

struct fill {
	void (*initials)(void *arg, const char *name, char *out, size_t n);
	void *arg;
	int filled;
};

static int fill_tx(struct db *db, void *arg, struct err *e)
{
	struct fill *f = arg;
	sqlite3_stmt *s = db_query(db, e,
	                           "SELECT rowid, applicant_name FROM cases WHERE initials = ''"
	                           " AND applicant_name <> ''",
	                           "");
	struct {
		long long rowid;
		char initials[64];
	} *v = NULL;
	size_t n = 0, cap = 0, i;
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = db_step(db, s, e)) == 1) {
		if (n == cap)
			v = xrealloc(v, (cap = cap ? cap * 2 : 64) * sizeof *v);
		v[n].rowid = sqlite3_column_int64(s, 0);
		f->initials(f->arg, db_col_text(s, 1), v[n].initials, sizeof v[n].initials);
		if (v[n].initials[0] == '\0') /* a name without letters: never asked again */
			str_copy(v[n].initials, sizeof v[n].initials, "-");
		n++;
	}
	db_done(db, s);
	for (i = 0; i < n && rc == 0; i++)
		rc = db_run(db, e, "UPDATE cases SET initials = ?2 WHERE rowid = ?1", "le",
		            v[i].rowid, v[i].initials);
	free(v);
	f->filled = (int)n;
	return rc < 0 ? -1 : 0;
}

int store_case_fill_initials(struct store *st,
                             void (*initials)(void *arg, const char *name, char *out, size_t n),
                             void *arg, struct err *e)
{
	struct fill f = {initials, arg, 0};
	long long one;

	/* nothing to do on most starts: one indexed probe */
	if (db_get_int(st->db, e, &one,
	               "SELECT 1 FROM cases WHERE initials = '' AND applicant_name <> '' LIMIT 1",
	               "") <= 0)
		return 0;
	return db_tx(st->db, fill_tx, &f, e) < 0 ? -1 : f.filled;
}

int store_case_history(struct store *st, const char *case_id,
                       int (*fn)(void *arg, const struct case_history *h), void *arg, struct err *e)
{
	sqlite3_stmt *s = db_query(
	    st->db, e,
	    "SELECT e.seq, e.type, coalesce(json_extract(e.body, '$.clerk'), ''),"
	    " coalesce(json_extract(e.body, '$.window'), ''),"
	    " coalesce(json_extract(e.body, '$.client_time'), e.created_at),"
	    " CASE WHEN o.event_uuid IS NULL OR o.state = 'sent' THEN 1 ELSE 0 END,"
	    " coalesce(o.state = 'problem', 0), coalesce(json_extract(e.body, '$.payload'), '{}')"
	    " FROM events e LEFT JOIN outbox o ON o.event_uuid = e.uuid"
	    " WHERE e.case_id = ?1 ORDER BY e.seq",
	    "e", case_id);
	int n = 0, rc;

	if (s == NULL)
		return -1;
	while ((rc = db_step(st->db, s, e)) == 1) {
		struct case_history h;

		h.seq = (int)db_col_int(s, 0);
		db_col_copy(s, 1, h.type, sizeof h.type);
		db_col_copy(s, 2, h.clerk, sizeof h.clerk);
		db_col_copy(s, 3, h.window, sizeof h.window);
		db_col_copy(s, 4, h.time, sizeof h.time);
		h.synced = db_col_int(s, 5) != 0;
		h.problem = db_col_int(s, 6) != 0;
		h.payload = db_col_text(s, 7);
		n++;
		if (fn(arg, &h) != 0)
			break;
	}
	db_done(st->db, s);
	return rc < 0 ? -1 : n;
}

int store_case_joint(struct store *st, const char *case_id, const struct item *it,
                     struct joint_view *v, struct err *e)
{
	sqlite3_stmt *s;
	int rc;

	joint_view_init(v, it);
	if (v->n == 0)
		return 0;
	s = db_query(st->db, e,
	             "SELECT type, coalesce(json_extract(body, '$.clerk'), ''),"
	             " coalesce(json_extract(body, '$.client_time'), created_at),"
	             " coalesce(json_extract(body, '$.payload'), '{}') FROM events"
	             " WHERE case_id = ?1 AND type IN ('dept_decided', 'decided') ORDER BY seq",
	             "e", case_id);
	if (s == NULL)
		return -1;
	while ((rc = db_step(st->db, s, e)) == 1)
		joint_view_event(v, db_col_text(s, 0), db_col_text(s, 1), db_col_text(s, 2),
		                 db_col_text(s, 3));
	db_done(st->db, s);
	return rc < 0 ? -1 : 0;
}
