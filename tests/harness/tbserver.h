/*
 * tbserver.h - a real tongband server for integration and end-to-end tests.
 *
 * tbserver_start() makes a scratch directory, creates a database there with
 * the source tree's data/catalogue.json imported (a hall's server always
 * holds a catalogue: the item of every created case must be in it) and two
 * clerks, starts `tongband serve` on a free loopback port and returns once
 * GET /v1/health answers 200.  The binary is $TONGBAND_BIN (set by
 * `make check`), else "build/tongband" relative to the current directory.
 *
 * The clerks (TBSERVER_* below):
 *   demo  / demo123   王小明, hall H001 示例市政务服务中心, window 3
 *   other / other123  李四,   hall H002 另一政务服务中心,   window 1
 *
 * The database is tbserver_db(): server.db in tbserver_dir(), or a database
 * on the test run's PostgreSQL cluster (tbdb.h, TONGBAND_TEST_BACKEND).
 * Files in tbserver_dir(): port, server.log (the server's stdout and
 * stderr, appended across restarts), setup.log (init, import-catalogue and
 * useradd).
 *
 * Every running server is recorded; an atexit handler kills any still
 * running (keeping its directory, named on stderr, for the post-mortem), and
 * on Linux the server also dies with the test process, so a failing (or
 * timed-out) test leaves no process behind.
 */
#ifndef TB_HARNESS_TBSERVER_H
#define TB_HARNESS_TBSERVER_H

#include "core/util.h"

#define TBSERVER_CLERK          "demo"
#define TBSERVER_PASSWORD       "demo123"
#define TBSERVER_CLERK_NAME     "王小明"
#define TBSERVER_HALL           "H001"
#define TBSERVER_HALL_NAME      "示例市政务服务中心"
#define TBSERVER_WINDOW         3
#define TBSERVER_OTHER_CLERK    "other"
#define TBSERVER_OTHER_PASSWORD "other123"
#define TBSERVER_OTHER_NAME     "李四"
#define TBSERVER_OTHER_HALL     "H002"

struct tbserver;

/* The tongband binary tests run: $TONGBAND_BIN or "build/tongband". */
const char *tbserver_bin(void);

/* Create the database (catalogue imported from $TONGBAN_SRCDIR, else ".")
 * and clerks and start the server.  Returns NULL with e filled (including
 * the tail of the server's log) if any step fails or the server is not
 * healthy within 20 s.  Free with tbserver_free(). */
struct tbserver *tbserver_start(struct err *e);

/* The same, with more arguments for `tongband serve` (NULL-terminated, at
 * most 16, e.g. {"--timeout", "3", NULL}); kept for tbserver_restart. */
struct tbserver *tbserver_start_args(const char *const *args, struct err *e);

/* Another tongband process serving the database of first at the same time
 * (as a province runs several), with args for `tongband serve` as
 * tbserver_start_args; free it before first, which owns the database. */
struct tbserver *tbserver_start_beside(const struct tbserver *first, const char *const *args,
                                       struct err *e);

/* `tongband serve` on the database db as it is (a path or a URL, set up
 * already; not removed by tbserver_free), with args as
 * tbserver_start_args. */
struct tbserver *tbserver_start_on(const char *db, const char *const *args, struct err *e);

/* The same without the catalogue: a server never given one, for the tests
 * of how a catalogue reaches the clients (it refuses every created event). */
struct tbserver *tbserver_start_without_catalogue(struct err *e);

/* "http://127.0.0.1:PORT", no trailing slash.  Valid until the next
 * tbserver_restart() or tbserver_free(). */
const char *tbserver_url(const struct tbserver *s);

/* The port it listens on (on 127.0.0.1). */
int tbserver_port(const struct tbserver *s);

/* The scratch directory holding the database and logs. */
const char *tbserver_dir(const struct tbserver *s);

/* The server's database, as its --db: a path or a postgresql:// URL. */
const char *tbserver_db(const struct tbserver *s);

/* The server's process id, or -1 while stopped. */
int tbserver_pid(const struct tbserver *s);

/* SIGTERM the server, SIGKILL after 5 s, and reap it.  Returns 0 if it exited
 * with status 0 within the grace time, -1 otherwise (killed, crashed, or not
 * running).  A server killed from outside (kill -9) is reaped here too. */
int tbserver_stop(struct tbserver *s);

/* The wait status of the last stopped server (WIFEXITED etc.), or -1. */
int tbserver_exit_status(const struct tbserver *s);

/* Stop (if running) and start again on the same database, on the same port
 * when it is still free (so a client keeps its URL), else on a new one.
 * Returns 0, or -1 with e filled. */
int tbserver_restart(struct tbserver *s, struct err *e);

/* Stop if running, remove the scratch directory (kept with
 * TONGBAN_KEEP_TMP=1) and free s.  Safe on NULL. */
void tbserver_free(struct tbserver *s);

/*
 * Send one request to the server: method ("GET", "POST", ...), path
 * ("/v1/health"), an optional bearer token and an optional JSON body (both
 * may be NULL).  Stores the HTTP status in *status (may be NULL).  Returns
 * the response body (never NULL on success, maybe ""), or NULL with e filled
 * when no HTTP answer came (10 s timeout).  Caller frees.
 */
char *tbserver_request(struct tbserver *s, const char *method, const char *path, const char *token,
                       const char *body, long *status, struct err *e);

/* Add an account to the server's database (running or not) with tongband
 * useradd: id (also its name), password, hall (also its hall name), window
 * 9, role and dept ("" for none).  0, or -1 with e filled. */
int tbserver_add_user(struct tbserver *s, const char *id, const char *password, const char *hall,
                      const char *role, const char *dept, struct err *e);

/* POST /v1/login for clerk/password.  Returns the token, or NULL with e
 * filled (e.g. "login demo: HTTP 401: {...}").  Caller frees. */
char *tbserver_login(struct tbserver *s, const char *clerk, const char *password, struct err *e);

/* The last bytes (at most max) of server.log, for failure messages.  Caller
 * frees. */
char *tbserver_log_tail(const struct tbserver *s, size_t max);

#endif
