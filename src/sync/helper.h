/*
 * helper.h - the TUI's exchanges with the server, in a process of its own
 * ("tongban sync-helper"): libcurl with its TLS, Kerberos and LDAP
 * libraries, and their heaps, stay out of the clerk's screen process (about
 * 9 MiB of its memory).  The helper logs the clerk in for the TUI and, once
 * asked, runs the sync agent (sync/agent.h) on its own connection to the
 * database; the two talk over a socket pair, one JSON object a line.  The
 * helper runs at nice 5, so that on one core the screen comes first, and
 * ends when the TUI closes its end; when the TUI is killed it is killed too
 * (Linux: PR_SET_PDEATHSIG), so nothing of it writes on after a kill -9.
 *
 * When the helper cannot be started (no /proc/self/exe, no process left),
 * the same runs inside the TUI: sync_login on the caller's thread and the
 * agent on a thread of its own, as before there was a helper.
 */
#ifndef TB_SYNC_HELPER_H
#define TB_SYNC_HELPER_H

#include <stdbool.h>

#include "core/clerk.h"
#include "core/util.h"
#include "sync/agent.h"
#include "sync/sync.h"

struct sync_helper;

/* Start the helper for the database at db_path against server (it loads
 * libcurl at once, beside whatever the TUI does).  Never NULL. */
struct sync_helper *sync_helper_start(const char *db_path, const char *server);

/* sync_login through the helper: waits for its answer (the login's own
 * timeouts bound it). */
enum sync_result sync_helper_login(struct sync_helper *h, const char *clerk_id,
                                   const char *password, const char *device, struct clerk *clerk,
                                   struct sync_session *s, struct err *e);

/* Whether the helper could load libcurl, as sync_available says it (known
 * after a login; true before). */
bool sync_helper_available(struct sync_helper *h, struct err *e);

/* Start the sync agent's rounds (after the first screen of a login). */
void sync_helper_run(struct sync_helper *h);

/* The TUI found the database damaged: the helper writes nothing more to it
 * either (store_mark_damaged; inside the TUI the mark is shared already). */
void sync_helper_damaged(struct sync_helper *h);

/* sync_agent_poke, sync_agent_status, sync_agent_search and
 * sync_agent_search_result through the helper; none of them waits for it.
 * Before sync_helper_run the status is all zero (offline). */
void sync_helper_poke(struct sync_helper *h);
void sync_helper_status(struct sync_helper *h, struct agent_status *out);
void sync_helper_search(struct sync_helper *h, const char *query);
int sync_helper_search_result(struct sync_helper *h, const char *query, char **body);

/* The helper's process id (0 when it runs inside the TUI). */
int sync_helper_pid(const struct sync_helper *h);

/* Stop the agent and the helper (waits for its current request) and free.
 * NULL is fine. */
void sync_helper_stop(struct sync_helper *h);

/* The helper's side: serve the TUI on fd until it closes it.  Returns the
 * process's exit status. */
int sync_helper_serve(int fd, const char *db_path, const char *server);

#endif
