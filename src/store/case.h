/* case.h (store) - cases as the screens and commands read them. */
#ifndef TB_STORE_CASE_H
#define TB_STORE_CASE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"

struct store;

/* A case as listed on screens. */
struct case_row {
	char id[40];
	char case_no[64];
	char item_code[64];
	char item_name[256];
	char name[256];
	char id_number[40];
	char phone[40];
	char state[32];
	char created_at[32];
	char official_no[96];   /* the server's number, "" until a pull brings it */
	char due_date[11];      /* promised completion, YYYY-MM-DD or "" */
	char supply_by[11];     /* a one-time notice's supply-by date or "" */
	char commit_due[11];    /* the earliest commitment's date or "" */
	char received_on[11];   /* the application date (the first day the applicant came) */
	char outcome[16];       /* the counter's first decision: accepted, notice, committed,
	                         * refused; "" before one */
	char done_on[11];       /* the time limit ended: decided, refused, revoked, withdrawn */
	char released_on[11];   /* 出件, "" until then */
	int rating;             /* 好差评: -1 none yet, 0 declined, 1..5 */
	char follow_up_due[11]; /* a bad rating's 整改 due date, "" when none */
	bool follow_up_open;
	bool verified;      /* commitments confirmed (承诺已核实) */
	bool credit_record; /* revoked: 失信记录 */
	char clerk_id[64];  /* who took it in, at which window */
	char window[16];
	char bundle_id[40]; /* 一件事: the bundle it is a part of, "" when none */
	char bundle_code[64];
	char bundle_name[256];
	char green_cert[128]; /* 绿色通道: the key project's certificate number, "" when none */
	char green_helper[128]; /* its designated helper (代办员) */
};

/* Call fn for each row; a nonzero return stops.  Returns how many were seen,
 * or -1 on error. */
typedef int (*case_row_fn)(void *arg, const struct case_row *r);

/* Cases whose application date is in [from, to] (YYYY-MM-DD), oldest first. */
int store_case_range(struct store *st, const char *from, const char *to, case_row_fn fn, void *arg,
                     struct err *e);

/* Cases with work left at the window, for the queue: received, accepted
 * (also on commitment), awaiting a supplement, in review, decided and not
 * released; with a follow-up open; accepted on commitment and not yet
 * verified.  Oldest first. */
int store_case_open(struct store *st, case_row_fn fn, void *arg, struct err *e);

/* Fill the pinyin initials of cases stored before they were kept (an
 * upgraded database): initials(arg, name, out, n) makes them.  Returns how
 * many cases were filled, or -1. */
int store_case_fill_initials(struct store *st,
                             void (*initials)(void *arg, const char *name, char *out, size_t n),
                             void *arg, struct err *e);

/* One event of a case's timeline. */
struct case_history {
	int seq;
	char type[32];
	char clerk[64];
	char window[16];
	char time[32];       /* the client's time of the event */
	bool synced;         /* it has reached the server (or came from it) */
	bool problem;        /* the server refused it (see the sync problems) */
	const char *payload; /* the event's payload as JSON text; valid during the call */
};

/* The case's events in order.  Returns how many, or -1. */
int store_case_history(struct store *st, const char *case_id,
                       int (*fn)(void *arg, const struct case_history *h), void *arg,
                       struct err *e);

/* The joint case's view (core/joint.h) from its events: v initialised
 * from it (the item), then each dept_decided and decided event applied.
 * v->n is 0 for an item that is not joint (nothing is read then).
 * Returns 0 or -1. */
struct item;
struct joint_view;
int store_case_joint(struct store *st, const char *case_id, const struct item *it,
                     struct joint_view *v, struct err *e);

/* 1 and fills out when found by id or case number, 0 when not, -1 on error. */
int store_case_get(struct store *st, const char *id_or_no, struct case_row *out, struct err *e);

/* The newest cases, most recent first.  Returns how many were filled, or -1. */
int store_case_recent(struct store *st, struct case_row *out, int max, struct err *e);

/* The applicant form of a case as JSON: 1 and *fields_json (caller frees), 0, -1. */
int store_case_fields(struct store *st, const char *case_id, char **fields_json, struct err *e);

/* The payload of the case's newest event of this type: 1 and *payload (caller
 * frees), 0 when none, -1 on error. */
int store_case_last_payload(struct store *st, const char *case_id, const char *type, char **payload,
                            struct err *e);

#endif
