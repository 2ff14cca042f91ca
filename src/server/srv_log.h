/*
 * srv_log.h - the request log: one line per request on stderr, or through
 * syslog(3) after srv_log_to_syslog().
 *
 * The line holds method, path (never the query string), status, time taken
 * and the clerk id; never a password, token or a person's data: in the path
 * every word that could be an ID number, a phone, a date or a name (4 digits
 * or more, a non-ASCII character, a %-escape) is written as '*', a case id
 * (uuid) as it is.
 */
#ifndef TB_SERVER_SRV_LOG_H
#define TB_SERVER_SRV_LOG_H

#include <stdio.h>
#include <syslog.h>

/* From now on, send every line of this module to syslog(3) (ident tongband
 * with the pid, facility daemon) instead of the FILE the caller names, and
 * without the "tongband: TIME " that syslog writes itself.  Call it before
 * the server's threads start. */
void srv_log_to_syslog(void);

/* One line that is not a request's (start, stop, a server error, a test
 * fault): "tongband: TEXT" on stderr, or TEXT to syslog at priority
 * (LOG_INFO, LOG_WARNING, LOG_ERR of <syslog.h>).  A line past 1023 bytes
 * is cut. */
void srv_log_say(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Write one line for a finished request to f (or syslog, LOG_INFO):
 *   tongband: 2026-11-25T10:01:02+08:00 POST /v1/events 200 12ms demo
 * The path is masked as said above; control characters in it become '?'
 * and a long path is cut, so a request cannot forge or flood log lines.
 * user NULL or "" logs "-". */
void srv_log_request(FILE *f, const char *method, const char *path, int status, long long ms,
                     const char *user);

/* Write one audit line to f (or syslog, LOG_NOTICE), after the request
 * line of the same request:
 *   tongband: 2026-11-25T10:01:02+08:00 AUDIT demo GET /v1/cases/ID refused: why
 * what says what happened ("refused: ..." for every 403, "user saved: ..."
 * for an account change); control characters in it become '?'.  The path
 * is masked as above; what is written as it is, so the caller never puts
 * a password, token or a person's data in it. */
void srv_log_audit(FILE *f, const char *method, const char *path, const char *user,
                   const char *what);

/* Write the line of a connection cut for being too slow (srv_deadline.h)
 * to f (or syslog, LOG_WARNING):
 *   tongband: 2026-11-25T10:01:02+08:00 CUT 127.0.0.1 headers not complete after 31000ms
 * Control characters in what become '?'. */
void srv_log_cut(FILE *f, const char *addr, const char *what, long long ms);

#endif
