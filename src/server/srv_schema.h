/*
 * srv_schema.h - tongband's schema on PostgreSQL.
 *
 * SQLite databases are built by the numbered migrations of srv_store.c,
 * from version 1 up, because every hall's file has a history.  A
 * PostgreSQL database starts at SRV_SCHEMA_PG_BASE in one step (there is
 * none older); srv_schema_pg_steps[i] takes it from version i to i + 1
 * after that (NULL below the base), kept in step with SQLite's up to
 * SRV_STORE_SCHEMA_VERSION (srv_store.h).
 */
#ifndef TB_SERVER_SRV_SCHEMA_H
#define TB_SERVER_SRV_SCHEMA_H

/* The version srv_schema_pg_create makes. */
#define SRV_SCHEMA_PG_BASE 6

/* Schema step 7 (一件事 and 绿色通道 on the cases), the same SQL on both. */
#define SRV_STORE_BUNDLE_GREEN_SQL                                                                 \
	"ALTER TABLE cases ADD COLUMN bundle_id TEXT NOT NULL DEFAULT '';"                         \
	"ALTER TABLE cases ADD COLUMN bundle_code TEXT NOT NULL DEFAULT '';"                       \
	"ALTER TABLE cases ADD COLUMN bundle_name TEXT NOT NULL DEFAULT '';"                       \
	"ALTER TABLE cases ADD COLUMN green_cert TEXT NOT NULL DEFAULT '';"                        \
	"ALTER TABLE cases ADD COLUMN green_helper TEXT NOT NULL DEFAULT '';"                      \
	"CREATE INDEX cases_bundle ON cases(hall, bundle_id) WHERE bundle_id <> '';"

extern const char srv_schema_pg_create[];
extern const char *const srv_schema_pg_steps[];

#endif
