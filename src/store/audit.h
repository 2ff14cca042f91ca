/*
 * audit.h (store) - who looked at what and who changed what on this PC
 * (个人信息保护法: "record who looked at which case"), on a hash chain: each
 * row's hash is BLAKE2b-256 of the previous row's hash and the row itself,
 * so an edited, deleted or reordered row breaks the chain from there on
 * (`tongban audit verify`).  Rows are sent to tongband, which keeps each
 * device's chain and checks it as it arrives, so a chain rewritten here
 * afterwards no longer matches the copy there.
 */
#ifndef TB_STORE_AUDIT_H
#define TB_STORE_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/auditchain.h"
#include "core/util.h"

struct store;
struct db;

/* What a row says.  No personal data goes in detail (no ID numbers, phones,
 * names): the case id says which case. */
#define AUDIT_REVEAL      "reveal"      /* the whole ID and phone shown */
#define AUDIT_EXPORT_FULL "export_full" /* an export with whole numbers */
#define AUDIT_DECISION    "decision"    /* a decision saved (detail: its events) */
#define AUDIT_LOGIN       "login"
#define AUDIT_LOGOUT      "logout"

/* Add a row for clerk about case_id ("" for none): what and detail.  In its
 * own transaction, or in the caller's.  0 or -1. */
int store_audit_add(struct store *st, const char *clerk, const char *case_id, const char *what,
                    const char *detail, struct err *e);

/* The same inside the caller's transaction on db (the store's decision). */
int store_audit_add_db(struct db *db, const char *clerk, const char *case_id, const char *what,
                       const char *detail, struct err *e);

/* What a check of the chain found. */
struct audit_check {
	long long rows;   /* rows read */
	long long bad_id; /* the first row that does not hold, 0 when all do */
	char why[256];    /* what is wrong there, in the user's language */
};

/* Check every row in order: 1 sound, 0 broken (c says where), -1 error. */
int store_audit_verify(struct store *st, struct audit_check *c, struct err *e);

/* Each row in order (case_id "" for every case), to fn; nonzero stops.
 * How many, or -1. */
int store_audit_list(struct store *st, const char *case_id,
                     int (*fn)(void *arg, const struct audit_row *r), void *arg, struct err *e);

/* Rows not yet sent to tongband, oldest first, at most max, into out.
 * How many, or -1. */
int store_audit_unsent(struct store *st, struct audit_row *out, int max, struct err *e);

/* Rows up to id were accepted by tongband.  0 or -1. */
int store_audit_mark_sent(struct store *st, long long up_to, struct err *e);

#endif
