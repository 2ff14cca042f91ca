/* outbox.c - events and the outbox: what waits to be pushed. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

int store_event_insert(struct store *st, const struct case_event *ev, const char *body,
                       const char *origin, const char *now, struct err *e)
{
	if (db_run(st->db, e,
	           "INSERT INTO events (uuid, case_id, seq, type, body, created_at, origin)"
	           " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	           "eeieeee", ev->uuid, ev->case_id, ev->seq, ev->type, body, now, origin) < 0)
		return -1;
	if (strcmp(origin, "local") != 0)
		return 0;
	return db_run(st->db, e,
	              "INSERT INTO outbox (event_uuid, case_id, state, updated_at)"
	              " VALUES (?1, ?2, 'waiting', ?3)",
	              "eee", ev->uuid, ev->case_id, now);
}

int store_outbox_counts(struct store *st, struct outbox_counts *c, struct err *e)
{
	long long now = db_change_counter(st->db);
	sqlite3_stmt *s;
	int rc;

	if (st->counts_ok && now == st->counts_at) {
		*c = st->counts;
		return 0;
	}
	if ((s = db_query(st->db, e, "SELECT state, n FROM outbox_counts", "")) == NULL)
		return -1;
	memset(c, 0, sizeof *c);
	while ((rc = db_step(st->db, s, e)) == 1) {
		const char *state = db_col_text(s, 0);
		int n = sqlite3_column_int(s, 1);

		if (strcmp(state, "waiting") == 0 || strcmp(state, "sending") == 0)
			c->waiting += n;
		else if (strcmp(state, "problem") == 0)
			c->problems = n;
		else if (strcmp(state, "sent") == 0)
			c->sent = n;
	}
	db_done(st->db, s);
	if (rc < 0)
		return -1;
	st->counts = *c;
	st->counts_at = now;
	st->counts_ok = true;
	return 0;
}

struct take {
	struct store *st;
	struct outbox_batch *b;
	const char *clerk; /* only this clerk's events, NULL: anyone's */
};

static int take_tx(struct db *db, void *arg, struct err *e)
{
	struct take *t = arg;
	struct outbox_batch *b = t->b;
	size_t max = b->n, i;
	/* a clerk's event waits for another clerk's earlier one on the same case */
	sqlite3_stmt *s =
	    t->clerk == NULL
	        ? db_query(db, e,
	                   "SELECT o.event_uuid, o.case_id, ev.body FROM outbox o"
	                   " JOIN events ev ON ev.uuid = o.event_uuid"
	                   " WHERE o.state = 'waiting' AND NOT EXISTS (SELECT 1 FROM outbox q"
	                   "   WHERE q.case_id = o.case_id AND q.state IN"
	                   "   ('problem', 'sending')) ORDER BY o.pos LIMIT ?1",
	                   "l", (long long)max)
	        : db_query(db, e,
	                   "SELECT o.event_uuid, o.case_id, ev.body FROM outbox o"
	                   " JOIN events ev ON ev.uuid = o.event_uuid"
	                   " WHERE o.state = 'waiting' AND json_extract(ev.body, '$.clerk') = ?2"
	                   " AND NOT EXISTS (SELECT 1 FROM outbox q WHERE q.case_id = o.case_id"
	                   "   AND q.state IN ('problem', 'sending'))"
	                   " AND NOT EXISTS (SELECT 1 FROM outbox q JOIN events qe"
	                   "   ON qe.uuid = q.event_uuid WHERE q.case_id = o.case_id"
	                   "   AND q.pos < o.pos AND q.state <> 'sent'"
	                   "   AND json_extract(qe.body, '$.clerk') IS NOT ?2)"
	                   " ORDER BY o.pos LIMIT ?1",
	                   "le", (long long)max, t->clerk);
	int rc;

	b->n = 0;
	if (s == NULL)
		return -1;
	while ((rc = db_step(db, s, e)) == 1) {
		struct outbox_item *it = &b->items[b->n++];

		db_col_copy(s, 0, it->uuid, sizeof it->uuid);
		db_col_copy(s, 1, it->case_id, sizeof it->case_id);
		it->body = db_col_dup(s, 2);
	}
	db_done(db, s);
	for (i = 0; rc == 0 && i < b->n; i++)
		rc = db_run(
		    db, e,
		    "UPDATE outbox SET state = 'sending', attempts = attempts + 1, claim = ?2,"
		    " claimed_at = ?3 WHERE event_uuid = ?1",
		    "eel", b->items[i].uuid, t->st->claim, (long long)store_clock_now());
	return rc;
}

int store_outbox_take(struct store *st, size_t max, struct outbox_batch *b, struct err *e)
{
	return store_outbox_take_for(st, NULL, max, b, e);
}

int store_outbox_clerks(struct store *st, char (*out)[64], int max, struct err *e)
{
	sqlite3_stmt *s = db_query(st->db, e,
	                           "SELECT DISTINCT coalesce(json_extract(ev.body, '$.clerk'), '')"
	                           " FROM outbox o JOIN events ev ON ev.uuid = o.event_uuid"
	                           " WHERE o.state = 'waiting' LIMIT ?1",
	                           "i", max);
	int n = 0, rc;

	if (s == NULL)
		return -1;
	while (n < max && (rc = db_step(st->db, s, e)) == 1)
		db_col_copy(s, 0, out[n++], 64);
	db_done(st->db, s);
	return rc < 0 ? -1 : n;
}

int store_outbox_take_for(struct store *st, const char *clerk, size_t max, struct outbox_batch *b,
                          struct err *e)
{
	struct take t = {st, b, clerk};

	memset(b, 0, sizeof *b);
	b->items = xcalloc(max ? max : 1, sizeof *b->items);
	b->n = max;
	if (db_tx(st->db, take_tx, &t, e) < 0) {
		store_outbox_batch_free(b);
		return -1;
	}
	return (int)b->n;
}

void store_outbox_batch_free(struct outbox_batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		free(b->items[i].body);
	free(b->items);
	b->items = NULL;
	b->n = 0;
}

struct results {
	const struct outbox_result *r;
	size_t n;
};

static int results_tx(struct db *db, void *arg, struct err *e)
{
	const struct results *rs = arg;
	char now[32];
	size_t i;

	store_now_iso(now);
	for (i = 0; i < rs->n; i++) {
		const struct outbox_result *r = &rs->r[i];
		const char *state = "waiting", *reason = "";

		if (strcmp(r->status, "applied") == 0 || strcmp(r->status, "duplicate") == 0) {
			state = "sent";
		} else if (strcmp(r->status, "conflict") == 0 ||
		           strcmp(r->status, "rejected") == 0) {
			state = "problem";
			reason = r->reason ? r->reason : r->status;
		}
		if (db_run(db, e,
		           "UPDATE outbox SET state = ?2, reason = ?3, updated_at = ?4"
		           " WHERE event_uuid = ?1 AND state = 'sending'",
		           "eeee", r->uuid, state, reason, now) < 0)
			return -1;
	}
	return 0;
}

int store_outbox_results(struct store *st, const struct outbox_result *r, size_t n, struct err *e)
{
	struct results rs = {r, n};

	return db_tx(st->db, results_tx, &rs, e);
}

/* Whether process pid has ended but not been waited for (a zombie): it
 * sends nothing any more.  False when /proc cannot tell. */
static bool is_zombie(long pid)
{
	char path[64], stat[512], *close_paren;
	size_t n;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return false;
	n = fread(stat, 1, sizeof stat - 1, f);
	fclose(f);
	stat[n] = '\0';
	/* "PID (COMM) STATE ...": COMM may hold anything, so the last ')' */
	close_paren = strrchr(stat, ')');
	return close_paren && close_paren[1] == ' ' &&
	       (close_paren[2] == 'Z' || close_paren[2] == 'X');
}

/* Whether the program that made claim ("PID-UUID") is gone: no such
 * process, or one that has ended (a sync helper killed with its TUI stays a
 * zombie until whoever inherited it waits for it).  The database is local,
 * so its senders run on this machine. */
static bool claimer_gone(const char *claim)
{
	char *end;
	long pid = strtol(claim, &end, 10);

	if (end == claim || *end != '-' || pid <= 0)
		return false;
	return (kill((pid_t)pid, 0) < 0 && errno == ESRCH) || is_zombie(pid);
}

/* The claims of programs that are gone, put back, one transaction. */
static int requeue_tx(struct db *db, void *arg, struct err *e)
{
	struct store *st = arg;
	sqlite3_stmt *s = db_query(db, e,
	                           "SELECT DISTINCT claim FROM outbox WHERE state = 'sending'"
	                           " AND claim <> ?1",
	                           "e", st->claim);
	char **gone = NULL;
	size_t n = 0, i;
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = db_step(db, s, e)) == 1)
		if (claimer_gone(db_col_text(s, 0))) {
			gone = xrealloc(gone, (n + 1) * sizeof *gone);
			gone[n++] = db_col_dup(s, 0);
		}
	db_done(db, s);
	for (i = 0; rc == 0 && i < n; i++)
		rc =
		    db_run(db, e,
		           "UPDATE outbox SET state = 'waiting', claim = '' WHERE state = 'sending'"
		           " AND claim = ?1",
		           "e", gone[i]);
	for (i = 0; i < n; i++)
		free(gone[i]);
	free(gone);
	if (rc < 0)
		return -1;
	return db_run(db, e,
	              "UPDATE outbox SET state = 'waiting', claim = '' WHERE state = 'sending'"
	              " AND (claim = ?1 OR claimed_at < ?2)",
	              "el", st->claim, (long long)store_clock_now() - STORE_CLAIM_SECONDS);
}

int store_outbox_requeue(struct store *st, struct err *e)
{
	return db_tx(st->db, requeue_tx, st, e);
}

int store_outbox_problems(struct store *st, struct outbox_problem *out, int max, struct err *e)
{
	sqlite3_stmt *s =
	    db_query(st->db, e,
	             "SELECT o.case_id, coalesce(c.case_no, ''), o.event_uuid, ev.seq,"
	             " ev.type, o.reason, o.updated_at, (SELECT COUNT(*) FROM outbox w"
	             "   WHERE w.case_id = o.case_id AND w.state = 'waiting')"
	             " FROM outbox o JOIN events ev ON ev.uuid = o.event_uuid"
	             " LEFT JOIN cases c ON c.id = o.case_id"
	             " WHERE o.state = 'problem' ORDER BY o.pos LIMIT ?1",
	             "i", max);
	int n = 0, rc = 0;

	if (s == NULL)
		return -1;
	while (n < max && (rc = db_step(st->db, s, e)) == 1) {
		struct outbox_problem *p = &out[n++];

		memset(p, 0, sizeof *p);
		db_col_copy(s, 0, p->case_id, sizeof p->case_id);
		db_col_copy(s, 1, p->case_no, sizeof p->case_no);
		db_col_copy(s, 2, p->event_uuid, sizeof p->event_uuid);
		p->seq = sqlite3_column_int(s, 3);
		db_col_copy(s, 4, p->type, sizeof p->type);
		db_col_copy(s, 5, p->reason, sizeof p->reason);
		db_col_copy(s, 6, p->time, sizeof p->time);
		p->held_back = sqlite3_column_int(s, 7);
	}
	db_done(st->db, s);
	return rc < 0 ? -1 : n;
}

int store_outbox_retry_case(struct store *st, const char *case_id, struct err *e)
{
	char now[32];

	store_now_iso(now);
	if (db_run(st->db, e,
	           "UPDATE outbox SET state = 'waiting', reason = '', updated_at = ?2"
	           " WHERE case_id = ?1 AND state = 'problem'",
	           "ee", case_id, now) < 0)
		return -1;
	return db_changes(st->db);
}
