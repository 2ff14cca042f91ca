/*
 * srv_admin.h - operator tasks behind the tongband subcommands: where the
 * database lives, init, useradd, decide, import, export, report, audit.
 */
#ifndef TB_SERVER_SRV_ADMIN_H
#define TB_SERVER_SRV_ADMIN_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "core/date.h"
#include "core/util.h"
#include "server/srv_store.h"

/* The database path when --db is not given: $TONGBAND_DB, else
 * $XDG_DATA_HOME/tongband/tongband.db, else
 * ~/.local/share/tongband/tongband.db.  For the last two the folder is
 * created (mode 0700).  Returns NULL with e filled.  Caller frees. */
char *srv_admin_default_db(struct err *e);

/* Create or migrate the database at path.  Idempotent.  0 or -1 with e. */
int srv_admin_init(const char *path, struct err *e);

/* True if role is clerk, supervisor, backoffice or operator (srv_role.h). */
bool srv_admin_is_role(const char *role);

/* Check the fields of u (non-empty, sane length, known role, an id of
 * letters, digits and . _ - @).  0 or -1 with e filled. */
int srv_admin_check_user(const struct srv_user *u, struct err *e);

/* Add clerk u with password, or update it (password included) when the id
 * exists.  An empty password is refused.  0 or -1 with e filled. */
int srv_admin_useradd(const char *path, const struct srv_user *u, const char *password,
                      struct err *e);

/* Record the operator's decision outcome ("approve" or "refuse") with reason
 * (may be NULL) on case ref (a case id, or a case number naming exactly one
 * case), as srv_events_decide with no user.  On 0, *event_out is the
 * decided event (caller puts).  -1 with e filled otherwise. */
int srv_admin_decide(const char *path, const char *ref, const char *outcome, const char *reason,
                     struct json_object **event_out, struct err *e);

/* Import the catalogue (kind "catalogue", checked by catalogue_load) or
 * the working-day calendar ("calendar", checked by cal_load) from file:
 * store its text and version and add a change row for every hall, unless
 * that version is already stored (*unchanged then true).  *version gets the
 * version (caller frees).  0, or -1 with e filled (nothing changed). */
int srv_admin_import(const char *path, const char *kind, const char *file, char **version,
                     bool *unchanged, struct err *e);

/* Write the cases of hall (NULL = every hall) to out as CSV (RFC 4180,
 * UTF-8, a header line) or, with as_json, as one JSON array.  0, or -1
 * with e filled. */
int srv_admin_export(const char *path, const char *hall, bool as_json, FILE *out, struct err *e);

/* Print the statistics of hall's cases applied for in [from, to] (the
 * hall's dates) to out, as GET /v1/stats counts them (srv_stats.h): the
 * report of stats_report, 80 columns, in the current language, or with
 * as_json the JSON of GET /v1/stats on one line.  0, or -1 with e filled. */
int srv_admin_report(const char *path, const char *hall, struct tb_date from, struct tb_date to,
                     bool as_json, FILE *out, struct err *e);

/* Check tongband's audit chain and every PC's (srv_audit.h), printing a
 * line for each to out in the current language: how many rows it holds,
 * or which row breaks it and why.  1 every chain holds, 0 one is broken,
 * -1 with e filled. */
int srv_admin_audit_verify(const char *path, FILE *out, struct err *e);

/* Print the audit rows srv_audit_list gives for case_id and device (both
 * may be NULL) to out, one a line, tab-separated: the chain ("tongband" or
 * the PC's device UUID), id, time, user, hall, case id, what and detail
 * ("-" for an empty field).  How many, or -1 with e filled. */
int srv_admin_audit_list(const char *path, const char *case_id, const char *device, FILE *out,
                         struct err *e);

#endif
