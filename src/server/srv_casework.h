/*
 * srv_casework.h - what each event type of a case's life means to tongband,
 * in ONE table (srv_casework.c): which roles may push it, what its payload
 * must hold, and what the server keeps of it besides the log: the case's
 * first counter decision, promised date and the day its time limit ended
 * (for the statistics), the release (出件), the rating (好差评) and its
 * follow-up (整改), the revocation (撤销) with the applicant's credit record
 * (失信记录) and the withdrawal (视为放弃).  tongband-api(7), ROLES and the event
 * types, says the same in words.
 *
 * Whether an event fits the case's state is core/casestate.h's to say;
 * this is what comes around it.
 */
#ifndef TB_SERVER_SRV_CASEWORK_H
#define TB_SERVER_SRV_CASEWORK_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/casestate.h"
#include "core/util.h"
#include "server/srv_store.h"

/* One event being applied.  Borrowed. */
struct srv_casework_event {
	const struct srv_event_row *row; /* as stored: uuid, case_id, hall, client_time, user_id */
	struct json_object *payload;
	enum case_event_type type;
};

/* Whether an account of role (its name, srv_role.h) may push events of
 * type.  On false, why (size n) says why not, naming the role. */
bool srv_casework_may_push(const char *role, enum case_event_type type, char *why, size_t n);

/* Whether the payload of ev holds what its type needs.  0, or -1 with why
 * (size n) naming the member. */
int srv_casework_check(const struct srv_casework_event *ev, char *why, size_t n);

/* A result of srv_casework_keep besides 0 and -1. */
#define SRV_CASEWORK_REFUSED 1

/*
 * Keep what ev changes of its case's record, inside the transaction that
 * stores ev, after the case row was made (created) or moved on.  0;
 * SRV_CASEWORK_REFUSED with why (size n) when the record refuses it (a
 * second rating of a case: 一次一评; a follow-up closed that is not open):
 * the caller then undoes the event; -1 with e on a database error.
 */
int srv_casework_keep(struct srv_store *s, const struct srv_casework_event *ev, char *why, size_t n,
                      struct err *e);

#endif
