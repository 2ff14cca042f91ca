#include "sync/login.h"

#include "core/sodiumfn.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/pwcost.h"
#include "sync/helper.h"
#include "sync/sync.h"

int login_init(void)
{
	return sodiumfn_load(NULL);
}

/* Remember the clerk for offline login.  A hashing failure (out of memory on
 * a small machine) only costs the offline login, never the online one. */
static void cache_clerk(struct store *st, const struct clerk *c, const char *password)
{
	char hash[crypto_pwhash_STRBYTES];

	if (crypto_pwhash_str(hash, password, strlen(password), TB_PWHASH_OPSLIMIT,
	                      TB_PWHASH_MEMLIMIT) != 0)
		return;
	store_clerk_save(st, c, hash, NULL);
}

static enum login_result login_offline(struct store *st, const char *clerk_id, const char *password,
                                       struct clerk *out, struct err *e)
{
	char hash[128];
	int found = store_clerk_get(st, clerk_id, out, hash, e);

	if (found < 0)
		return LOGIN_ERROR;
	if (found == 0)
		return LOGIN_UNKNOWN_OFFLINE;
	if (crypto_pwhash_str_verify(hash, password, strlen(password)) != 0)
		return LOGIN_BAD_PASSWORD;
	return LOGIN_OFFLINE;
}

int login_check_cached(struct store *st, const char *clerk_id, const char *password)
{
	struct clerk c;
	char hash[128];

	if (store_clerk_get(st, clerk_id, &c, hash, NULL) != 1 || hash[0] == '\0')
		return -1;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* An online login: keep the session, the terminal code, and (now, or when
 * *cache is not NULL by the caller) the clerk.  The password was right
 * whatever the local database does: a save that fails (a busy, full,
 * read-only or damaged database) leaves e filled, for the screen to say,
 * and the clerk logged in. */
static enum login_result logged_in(struct store *st, const struct clerk *c,
                                   const struct sync_session *s, const char *password, bool *cache,
                                   struct err *e)
{
	err_clear(e);
	if (store_session_set(st, c->id, s->token, s->expires, e) == 0 &&
	    (s->terminal[0] == '\0' || store_terminal_set(st, s->terminal, e) == 0)) {
		if (cache)
			*cache = true;
		else
			cache_clerk(st, c, password);
	}
	return LOGIN_ONLINE;
}

enum login_result login_clerk(struct store *st, const char *server, const char *clerk_id,
                              const char *password, struct clerk *out, struct err *e)
{
	return login_clerk_deferred(st, server, NULL, clerk_id, password, out, NULL, e);
}

enum login_result login_clerk_deferred(struct store *st, const char *server,
                                       struct sync_helper *via, const char *clerk_id,
                                       const char *password, struct clerk *out, bool *cache,
                                       struct err *e)
{
	enum sync_result res;
	struct sync_session s;
	char device[37] = "";

	if (store_device_id(st, device, NULL) < 0)
		device[0] =
		    '\0'; /* a database that cannot be written: no terminal code this time */
	if (cache)
		*cache = false;
	res = via ? sync_helper_login(via, clerk_id, password, device, out, &s, e)
	          : sync_login(server, clerk_id, password, device, out, &s, e);
	switch (res) {
	case SYNC_OK:
		return logged_in(st, out, &s, password, cache, e);
	case SYNC_OFFLINE:
		return login_offline(st, clerk_id, password, out, e);
	case SYNC_DENIED:
		return LOGIN_BAD_PASSWORD;
	case SYNC_BUSY:
		return LOGIN_LOCKED;
	default:
		return LOGIN_ERROR;
	}
}

/* The offline verifier being made on a thread of its own. */
struct login_cache {
	pthread_t thread;
	char *db_path, *password;
	struct clerk clerk;
};

static void *cache_main(void *arg)
{
	struct login_cache *lc = arg;
	struct store *st;

	thread_background();
	st = store_open(lc->db_path, NULL);

	if (st) /* the database cannot be opened: only the offline login is lost */
		cache_clerk(st, &lc->clerk, lc->password);
	store_close(st);
	return NULL;
}

static void cache_free(struct login_cache *lc)
{
	sodium_memzero(lc->password, strlen(lc->password));
	free(lc->password);
	free(lc->db_path);
	free(lc);
}

struct login_cache *login_cache_start(struct store *st, const char *db_path, const struct clerk *c,
                                      const char *password)
{
	struct login_cache *lc = xcalloc(1, sizeof *lc);

	lc->db_path = xstrdup(db_path);
	lc->password = xstrdup(password);
	lc->clerk = *c;
	if (pthread_create(&lc->thread, NULL, cache_main, lc) == 0)
		return lc;
	cache_free(lc);
	cache_clerk(st, c, password);
	return NULL;
}

void login_cache_finish(struct login_cache *lc)
{
	if (lc == NULL)
		return;
	pthread_join(lc->thread, NULL);
	cache_free(lc);
}

const char *login_result_text(enum login_result r)
{
	switch (r) {
	case LOGIN_ONLINE:
		return _("Logged in");
	case LOGIN_OFFLINE:
		return _("Server unreachable: logged in offline; cases are kept here and sent "
		         "when the network returns");
	case LOGIN_BAD_PASSWORD:
		return _("Wrong clerk ID or password, please try again");
	case LOGIN_UNKNOWN_OFFLINE:
		return _("Server unreachable and this clerk has never logged in on this machine");
	case LOGIN_LOCKED:
		return _("Too many failed logins; try again later");
	default:
		return _("Login failed");
	}
}
