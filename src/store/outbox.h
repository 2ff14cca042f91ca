/*
 * outbox.h (store) - what waits to be pushed: every local event is queued
 * in the same transaction that writes it, and leaves the queue only on the
 * server's "applied" or "duplicate".  A refused event holds back only the
 * later events of its own case (quarantine), never the whole queue.
 */
#ifndef TB_STORE_OUTBOX_H
#define TB_STORE_OUTBOX_H

#include <stddef.h>

#include "core/util.h"

struct store;

/* Outbox counters for the status line. */
struct outbox_counts {
	int waiting; /* waiting or sending */
	int problems;
	int sent;
};

/* The counts, from counters kept by the same transactions that change the
 * outbox; re-read only when the database changed.  0 or -1. */
int store_outbox_counts(struct store *st, struct outbox_counts *c, struct err *e);

/* One event taken from the outbox to send. */
struct outbox_item {
	char uuid[40];
	char case_id[40];
	char *body; /* the event's JSON; owned by the batch */
};

struct outbox_batch {
	struct outbox_item *items;
	size_t n;
};

/*
 * Take up to max waiting events, oldest first, keeping each case's events in
 * order and skipping cases that have an event in "problem" (quarantine).
 * They are marked "sending".  Returns the number taken, or -1.
 * Free the batch with store_outbox_batch_free().
 */
int store_outbox_take(struct store *st, size_t max, struct outbox_batch *b, struct err *e);

/* The same for the events clerk made (the ones its session may push): an
 * event of a case whose earlier event of another clerk is not sent yet
 * waits for it. */
int store_outbox_take_for(struct store *st, const char *clerk, size_t max, struct outbox_batch *b,
                          struct err *e);

/* The clerks with events waiting, at most max, into out.  How many, or -1. */
int store_outbox_clerks(struct store *st, char (*out)[64], int max, struct err *e);
void store_outbox_batch_free(struct outbox_batch *b);

/* The server's answer for one event. */
struct outbox_result {
	const char *uuid;
	const char *status; /* "applied", "duplicate", "conflict", "rejected", other: retry */
	const char *reason; /* may be NULL */
};

/* Record the answers of one batch in ONE transaction: "applied" and
 * "duplicate" mark an event sent; "conflict" and "rejected" mark it
 * problem with the reason; anything else puts it back to waiting.  0 or -1. */
int store_outbox_results(struct store *st, const struct outbox_result *r, size_t n, struct err *e);

/* How long an event may stay "sending" before any program may send it again
 * (the one that took it crashed): far longer than a push waits for an answer. */
#define STORE_CLAIM_SECONDS 300

/* Put back to "waiting" the "sending" events this connection took (after a
 * failed push), those of a program that is gone (killed), and those taken
 * more than STORE_CLAIM_SECONDS ago; never those another running program is
 * sending now. */
int store_outbox_requeue(struct store *st, struct err *e);

/* One quarantined event, for the "sync problems" screen. */
struct outbox_problem {
	char case_id[40];
	char case_no[64];
	char event_uuid[40];
	int seq;
	char type[32];    /* the event's wire name: "created", "accepted"... */
	char reason[256]; /* the server's reason ("same uuid, different content"...) */
	char time[32];    /* when the server's answer came (hall time, ISO 8601) */
	int held_back;    /* later events of the case waiting behind it */
};

/* The quarantined events, oldest first, at most max.  Returns how many were
 * filled, or -1 with e filled. */
int store_outbox_problems(struct store *st, struct outbox_problem *out, int max, struct err *e);

/* After the clerk's action, put the case's quarantined events back to
 * waiting (their reasons cleared) so the next push sends them again, in
 * order.  Returns how many events were released, or -1 with e filled. */
int store_outbox_retry_case(struct store *st, const char *case_id, struct err *e);

#endif
