/*
 * srv_store_int.h - for the server's other SQL files (srv_audit.c): the
 * database connection under a store, to run their statements on with the
 * server's database layer (srv_db.h), inside the store's transactions.
 */
#ifndef TB_SERVER_SRV_STORE_INT_H
#define TB_SERVER_SRV_STORE_INT_H

#include "server/srv_db.h"
#include "server/srv_store.h"

/* The connection of s.  Valid while s is open. */
struct srv_db *srv_store_db(struct srv_store *s);

/* The open transaction of s wrote a row that waits for its place on the
 * audit chain: srv_audit_chain once it commits (PostgreSQL, srv_audit.c). */
void srv_store_audit_waits(struct srv_store *s);

#endif
