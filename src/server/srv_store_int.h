/*
 * srv_store_int.h - for the server's other SQL files (srv_audit.c): the
 * SQLite connection under a store, to run their statements on with the
 * shared layer (db/db.h), inside the store's transactions.
 */
#ifndef TB_SERVER_SRV_STORE_INT_H
#define TB_SERVER_SRV_STORE_INT_H

#include "db/db.h"
#include "server/srv_store.h"

/* The connection of s.  Valid while s is open. */
struct db *srv_store_db(struct srv_store *s);

#endif
