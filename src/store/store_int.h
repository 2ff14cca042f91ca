/*
 * store_int.h - what the files of src/store share and nobody else sees: the
 * connection, the clock's text, and appending an event with its outbox entry.
 */
#ifndef TB_STORE_STORE_INT_H
#define TB_STORE_STORE_INT_H

#include <stdbool.h>

#include "core/event.h"
#include "db/db.h"
#include "db/sqlitefn.h"
#include "store/store.h"

struct store {
	struct db *db;
	char claim[64]; /* "PID-UUID": this connection's mark on the events it is sending */
	/* the status line's counts, re-read only when the database changed */
	struct outbox_counts counts;
	long long counts_at; /* db_change_counter when they were read */
	bool counts_ok;
};

/* The client's clock now as "2026-11-25T10:01:02+08:00". */
void store_now_iso(char out[32]);

/* Append ev (its JSON body given) to the case's events; queue it in the
 * outbox unless it came from the server (origin "server").  Inside the
 * caller's transaction.  0 or -1. */
int store_event_insert(struct store *st, const struct case_event *ev, const char *body,
                       const char *origin, const char *now, struct err *e);

/* The columns store_case_from_row reads, in its order. */
#define CASE_COLUMNS                                                                               \
	"id, case_no, item_code, item_name, applicant_name, id_number, phone, state, created_at,"  \
	" official_no, due_date, supply_by, commit_due, received_on, outcome, done_on,"            \
	" released_on, rating, follow_up_due, follow_up_open, verified, credit_record, clerk_id,"  \
	" window, bundle_id, bundle_code, bundle_name, green_cert, green_helper"

struct case_row;
void store_case_from_row(sqlite3_stmt *s, struct case_row *r);

/* Each row of s (a query of CASE_COLUMNS) to fn until it returns nonzero;
 * finishes s.  How many rows were seen, or -1. */
int store_case_each(struct store *st, sqlite3_stmt *s,
                    int (*fn)(void *arg, const struct case_row *r), void *arg, struct err *e);

/* What store_decision_commit writes, inside the caller's transaction (a
 * bundle's parts are several, store/bundle.c).  0 or -1. */
struct decision_record;
int store_decision_commit_db(struct store *st, const struct decision_record *r, struct err *e);

#endif
