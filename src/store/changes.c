/* changes.c - applying what a pull of GET /v1/changes brought. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/casestate.h"
#include "store/store_int.h"

/* Move the case's unsent own events at or after seq one place up, so the
 * server's event takes seq; the ones the server refused as "out of order"
 * go back to waiting. */
static int renumber_after(struct db *db, const char *case_id, int seq, struct err *e)
{
	if (db_run(db, e,
	           "UPDATE events SET seq = -(seq + 1), body = json_set(body, '$.seq', seq + 1)"
	           " WHERE case_id = ?1 AND seq >= ?2 AND origin = 'local' AND uuid IN"
	           " (SELECT event_uuid FROM outbox WHERE case_id = ?1 AND state != 'sent')",
	           "ei", case_id, seq) < 0 ||
	    db_run(db, e, "UPDATE events SET seq = -seq WHERE case_id = ?1 AND seq < 0", "e",
	           case_id) < 0)
		return -1;
	return db_run(db, e,
	              "UPDATE outbox SET state = 'waiting', reason = '' WHERE case_id = ?1"
	              " AND state = 'problem' AND reason LIKE '%out of order%'",
	              "e", case_id);
}

/* The event type of decision c: decided, or a department's part of it. */
static enum case_event_type decision_type(const struct store_change *c)
{
	return c->type != NULL && strcmp(c->type, "dept_decided") == 0 ? CEV_DEPT_DECIDED
	                                                               : CEV_DECIDED;
}

/* The case's state after the decision and the own events that follow it. */
static int state_after(struct db *db, const struct store_change *c, enum case_state *to,
                       struct err *e)
{
	enum case_state from = CS_ACCEPTED;
	char *cur = NULL;
	sqlite3_stmt *s;
	int rc;

	if (db_get_text(db, e, &cur, "SELECT state FROM cases WHERE id = ?1", "e", c->case_id) < 0)
		return -1;
	if (casestate_from_name(cur, &from) < 0 ||
	    casestate_next(from, decision_type(c), c->outcome, to, NULL, 0) < 0)
		*to = decision_type(c) == CEV_DEPT_DECIDED            ? from
		      : strcmp(c->outcome, CASE_OUTCOME_APPROVE) == 0 ? CS_APPROVED
		                                                      : CS_DENIED;
	free(cur);
	s = db_query(db, e,
	             "SELECT type, json_extract(body, '$.payload.outcome') FROM events"
	             " WHERE case_id = ?1 AND seq > ?2 ORDER BY seq",
	             "ei", c->case_id, c->seq);
	if (s == NULL)
		return -1;
	while ((rc = db_step(db, s, e)) == 1) {
		enum case_event_type ev;
		enum case_state next;
		const char *outcome = (const char *)sqlite3_column_text(s, 1);

		if (case_event_from_name(db_col_text(s, 0), &ev) == 0 &&
		    casestate_next(*to, ev, outcome, &next, NULL, 0) == 0)
			*to = next;
	}
	db_done(db, s);
	return rc;
}

static int keep_orphan(struct db *db, const struct store_change *c, const char *now, struct err *e)
{
	return db_run(db, e,
	              "INSERT OR IGNORE INTO orphan_decisions (event_uuid, case_id, case_no, body,"
	              " cursor, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	              "eeeele", c->event_uuid, c->case_id, c->case_no, c->event_json, c->cursor,
	              now);
}

static int apply_decision(struct store *st, const struct store_change *c,
                          struct store_apply_result *r, struct err *e)
{
	struct case_event ev;
	enum case_state to;
	long long one = 0;
	char now[32];
	int have;

	store_now_iso(now);
	if (c->case_id == NULL || c->event_json == NULL || c->event_uuid == NULL ||
	    !uuid_is_valid(c->event_uuid) || c->seq < 1 || c->outcome == NULL) {
		err_set(e, "change %lld: malformed decision", c->cursor);
		return -1;
	}
	if ((have = db_get_int(st->db, e, &one, "SELECT 1 FROM events WHERE uuid = ?1", "e",
	                       c->event_uuid)) != 0) {
		r->skipped += have > 0;
		return have < 0 ? -1 : 0;
	}
	if ((have = db_get_int(st->db, e, &one, "SELECT 1 FROM cases WHERE id = ?1", "e",
	                       c->case_id)) <= 0) {
		if (have < 0 || keep_orphan(st->db, c, now, e) < 0)
			return -1;
		r->unknown_cases++;
		return 0;
	}
	memset(&ev, 0, sizeof ev);
	str_copy(ev.uuid, sizeof ev.uuid, c->event_uuid);
	str_copy(ev.case_id, sizeof ev.case_id, c->case_id);
	ev.seq = c->seq;
	ev.type = case_event_name(decision_type(c));
	if (renumber_after(st->db, c->case_id, c->seq, e) < 0 ||
	    store_event_insert(st, &ev, c->event_json, "server", now, e) < 0 ||
	    state_after(st->db, c, &to, e) < 0 ||
	    db_run(st->db, e,
	           "UPDATE cases SET state = ?2, updated_at = ?3, last_seq ="
	           " (SELECT MAX(seq) FROM events WHERE case_id = ?1),"
	           /* the decision's own day, as the server dated it */
	           " done_on = CASE WHEN done_on <> '' OR ?5 = 0 THEN done_on ELSE substr(coalesce("
	           " CASE WHEN json_valid(?4) THEN json_extract(?4, '$.client_time') END, ?3), 1, "
	           "10) END"
	           " WHERE id = ?1",
	           "eeeei", c->case_id, casestate_name(to), now, c->event_json,
	           decision_type(c) == CEV_DECIDED) < 0)
		return -1;
	r->decisions++;
	return 0;
}

/* Keep the server's official number on its case; a case this machine does
 * not hold is ignored (its number comes again with a full resync). */
static int apply_official_no(struct store *st, const struct store_change *c,
                             struct store_apply_result *r, struct err *e)
{
	if (c->case_id == NULL || c->official_no == NULL || c->official_no[0] == '\0') {
		err_set(e, "change %lld: malformed official number", c->cursor);
		return -1;
	}
	if (db_run(st->db, e, "UPDATE cases SET official_no = ?2 WHERE id = ?1", "ee", c->case_id,
	           c->official_no) < 0)
		return -1;
	r->official_nos += db_changes(st->db) > 0;
	return 0;
}

/* Note a new catalogue or calendar version for the UI to fetch. */
static int note_version(struct store *st, const char *what, const char *version, struct err *e)
{
	char key[64];

	snprintf(key, sizeof key, "%s_version", what);
	if (store_meta_set(st, key, version ? version : "", e) < 0)
		return -1;
	snprintf(key, sizeof key, "%s_update_waiting", what);
	return store_meta_set(st, key, "1", e);
}

static int apply_change(struct store *st, const struct store_change *c,
                        struct store_apply_result *r, struct err *e)
{
	switch (c->kind) {
	case STORE_CHANGE_DECISION:
		return apply_decision(st, c, r, e);
	case STORE_CHANGE_CATALOGUE:
		r->catalogue++;
		return note_version(st, "catalogue", c->version, e);
	case STORE_CHANGE_CALENDAR:
		r->calendar++;
		return note_version(st, "calendar", c->version, e);
	case STORE_CHANGE_CASE_NO:
		return apply_official_no(st, c, r, e);
	default:
		return 0;
	}
}

int store_changes_cursor(struct store *st, long long *cursor, struct err *e)
{
	char v[32] = "";
	int rc = store_meta_get(st, "changes_cursor", v, sizeof v, e);

	*cursor = rc == 1 ? strtoll(v, NULL, 10) : 0;
	return rc < 0 ? -1 : 0;
}

struct pulled {
	struct store *st;
	const struct store_change *c;
	size_t n;
	long long next;
	struct store_apply_result *r;
};

static int changes_tx(struct db *db, void *arg, struct err *e)
{
	struct pulled *p = arg;
	long long cursor;
	char v[32];
	size_t i;

	(void)db;
	if (store_changes_cursor(p->st, &cursor, e) < 0)
		return -1;
	for (i = 0; i < p->n; i++) {
		if (p->c[i].cursor <= cursor) {
			p->r->skipped++;
			continue;
		}
		if (apply_change(p->st, &p->c[i], p->r, e) < 0)
			return -1;
	}
	if (p->next <= cursor)
		return 0;
	snprintf(v, sizeof v, "%lld", p->next);
	return store_meta_set(p->st, "changes_cursor", v, e);
}

int store_changes_apply(struct store *st, const struct store_change *c, size_t n,
                        long long next_cursor, struct store_apply_result *r, struct err *e)
{
	struct store_apply_result local;
	struct pulled p = {st, c, n, next_cursor, r ? r : &local};

	memset(p.r, 0, sizeof *p.r);
	if (db_tx(st->db, changes_tx, &p, e) < 0) {
		memset(p.r, 0, sizeof *p.r);
		return -1;
	}
	return 0;
}

int store_updates_waiting(struct store *st, bool *catalogue, bool *calendar, struct err *e)
{
	char v[8] = "";
	int rc;

	if (catalogue) {
		if ((rc = store_meta_get(st, "catalogue_update_waiting", v, sizeof v, e)) < 0)
			return -1;
		*catalogue = rc == 1 && strcmp(v, "1") == 0;
	}
	if (calendar) {
		if ((rc = store_meta_get(st, "calendar_update_waiting", v, sizeof v, e)) < 0)
			return -1;
		*calendar = rc == 1 && strcmp(v, "1") == 0;
	}
	return 0;
}

int store_orphan_decisions(struct store *st, struct err *e)
{
	long long n = 0;

	if (db_get_int(st->db, e, &n, "SELECT COUNT(*) FROM orphan_decisions", "") < 0)
		return -1;
	return (int)n;
}
