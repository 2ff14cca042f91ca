/*
 * store_int.h - what the files of src/store share and nobody else sees: the
 * connection, the clock's text, and appending an event with its outbox entry.
 */
#ifndef TB_STORE_STORE_INT_H
#define TB_STORE_STORE_INT_H

#include <stdbool.h>

#include "core/event.h"
#include "db/db.h"
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

#endif
