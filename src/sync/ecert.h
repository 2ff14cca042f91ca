/*
 * ecert.h - the sync agent's e-certificate checks: each pending check of
 * the counter (store/ecert.h) asked of tongband's register (POST
 * /v1/certificates/lookup, tongband-api(7)) and its answer kept.
 */
#ifndef TB_SYNC_ECERT_H
#define TB_SYNC_ECERT_H

#include "core/util.h"
#include "store/store.h"
#include "sync/sync.h"

/* Most checks one call asks. */
#define SYNC_ECERT_BATCH 20

/*
 * Ask every pending check (up to SYNC_ECERT_BATCH) with token; *checked
 * says how many were answered.  SYNC_OK; else why the rest wait (offline,
 * 401...), e filled.  A tongband without the register (404) leaves them
 * pending: SYNC_OK.
 */
enum sync_result sync_check_ecerts(struct store *st, const char *server, const char *token,
                                   int *checked, struct err *e);

#endif
