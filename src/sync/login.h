/*
 * login.h - how a clerk logs in: against tongband when it can be reached
 * (the session token and an argon2id hash of the password are then kept in
 * the local database), else offline against that cached hash, so a township
 * window keeps working through a network outage.
 */
#ifndef TB_SYNC_LOGIN_H
#define TB_SYNC_LOGIN_H

#include <stdbool.h>

#include "core/util.h"
#include "store/store.h"

enum login_result {
	LOGIN_ONLINE,          /* the server accepted the password */
	LOGIN_OFFLINE,         /* server unreachable; the cached hash matched */
	LOGIN_BAD_PASSWORD,    /* wrong clerk ID or password */
	LOGIN_UNKNOWN_OFFLINE, /* server unreachable and this clerk never logged in here */
	LOGIN_LOCKED,          /* too many failures: the server says wait */
	LOGIN_ERROR,           /* anything else; e says what */
};

/* Call before login_clerk: loads and initialises libsodium (core/sodiumfn.h).
 * -1 on failure. */
int login_init(void);

/* Log in; an online login that could not be kept in the local database
 * (busy, full, read-only, damaged) is still LOGIN_ONLINE, with e saying why
 * (e->kind is not ERR_NONE). */
enum login_result login_clerk(struct store *st, const char *server, const char *clerk_id,
                              const char *password, struct clerk *out, struct err *e);

struct sync_helper;

/*
 * login_clerk through the sync helper via (NULL: in this process, as
 * login_clerk does), except that an online login does not make the offline
 * verifier (argon2id: as long as the server just took, and 64 MiB) when
 * cache is not NULL: *cache is set when it should be made, for
 * login_cache_start, and false for every other result.
 */
enum login_result login_clerk_deferred(struct store *st, const char *server,
                                       struct sync_helper *via, const char *clerk_id,
                                       const char *password, struct clerk *out, bool *cache,
                                       struct err *e);

struct login_cache;

/*
 * Make clerk c's offline verifier from password and keep it in the database
 * at db_path, on a thread of its own with its own connection.  When no
 * thread can start it is made here through st, and NULL is returned.
 */
struct login_cache *login_cache_start(struct store *st, const char *db_path, const struct clerk *c,
                                      const char *password);

/* Wait for the verifier to be kept, and free.  NULL is fine. */
void login_cache_finish(struct login_cache *lc);

/* Whether password is clerk_id's by the verifier cached here at the last
 * login (for unlocking the screen, never on the network): 1 yes, 0 no, -1
 * when nothing is cached for the clerk. */
int login_check_cached(struct store *st, const char *clerk_id, const char *password);

/* The clerk-facing message for a result (current language). */
const char *login_result_text(enum login_result r);

#endif
