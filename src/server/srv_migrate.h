/*
 * srv_migrate.h - moving a hall's SQLite database to PostgreSQL
 * (tongband migrate).
 */
#ifndef TB_SERVER_SRV_MIGRATE_H
#define TB_SERVER_SRV_MIGRATE_H

#include <stdio.h>

#include "core/util.h"

/*
 * Copy the SQLite database from (a path, or sqlite:PATH) into the
 * PostgreSQL database to (a postgresql:// URI, which must exist and hold
 * no accounts, cases, events, changes or audit rows yet): accounts and
 * sessions, cases with their events and everything kept of their life,
 * the changes with their cursors (a client's cursor stays good), the
 * catalogue and calendar, the counters of case numbers and terminal codes
 * (so none is given twice), both audit chains as they are.  from is first
 * brought to this tongband's schema, as tongband init would, and its write
 * lock is held while it is read, so that it holds still.  Everything is
 * copied in one transaction, the rows of each table counted on both sides
 * and the counts written to report (one line a table); then a row on
 * tongband's audit chain says so.  0, or -1 with e filled (nothing was
 * kept).
 */
int srv_migrate(const char *from, const char *to, FILE *report, struct err *e);

#endif
