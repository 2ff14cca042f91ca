/*
 * clerk.h (store) - the clerks who logged in on this PC (for offline
 * login), the server session, and this PC's identity: a device id made once
 * per database and the terminal code tongband gives that device.
 */
#ifndef TB_STORE_CLERK_H
#define TB_STORE_CLERK_H

#include <stddef.h>

#include "core/clerk.h"
#include "core/util.h"

struct store;

/* Cache a clerk with the password hash (crypto_pwhash_str) for offline login. */
int store_clerk_save(struct store *st, const struct clerk *c, const char *pwhash, struct err *e);

/* Look up a cached clerk: 1 found (pwhash copied into a buffer of at least
 * 128 bytes when not NULL), 0 unknown, -1 error. */
int store_clerk_get(struct store *st, const char *id, struct clerk *c, char *pwhash, struct err *e);

/*
 * The server sessions, one per clerk who logged in online here: each
 * clerk's events are pushed with that clerk's own token (tongband takes an
 * event's clerk from its session), so a shift change never sends one
 * clerk's work as another's.  Keep clerk's token and expiry (unix seconds).
 */
int store_session_set(struct store *st, const char *clerk_id, const char *token, long long expires,
                      struct err *e);
/* The session of the latest login (for pulls and searches): 1 with the
 * clerk and token copied (buffers >= 64 and 128 bytes; either may be NULL),
 * 0 none, -1 error. */
int store_session_get(struct store *st, char *clerk_id, char *token, long long *expires,
                      struct err *e);
/* clerk's own session: 1 with the token (>= 128 bytes), 0 none, -1. */
int store_session_of(struct store *st, const char *clerk_id, char *token, long long *expires,
                     struct err *e);
/* Forget clerk's session (the server refused it).  0 or -1. */
int store_session_drop(struct store *st, const char *clerk_id, struct err *e);
int store_session_clear(struct store *st, struct err *e);

/*
 * This PC's device id (a UUID made once, in out of 37 bytes).  A database
 * copied to another machine (its /etc/machine-id differs from the one
 * recorded) gets a new id, and so a new terminal code at the next login.
 * 0 or -1.
 */
int store_device_id(struct store *st, char out[37], struct err *e);

/* Keep the terminal code tongband gave this device.  0 or -1. */
int store_terminal_set(struct store *st, const char *code, struct err *e);

/*
 * The terminal code for new case numbers: the one tongband gave (1), or,
 * before any online login of this database, a local code "L" + four
 * letters from the device id (0).  -1 on error.
 */
int store_terminal_get(struct store *st, char *out, size_t n, struct err *e);

#endif
