/* datacache.h (store) - catalogue and calendar texts kept in the database. */
#ifndef TB_STORE_DATACACHE_H
#define TB_STORE_DATACACHE_H

#include <stddef.h>

#include "core/util.h"

struct store;

/*
 * Catalogue and calendar texts kept in the database, by kind: the central
 * copies sync downloads ("catalogue", "calendar") and the last good bundled
 * files ("catalogue.bundled", "calendar.bundled").  The texts are stored as
 * given: validating them is the caller's job (sync/updates.c, sync/data.c).
 */

/* Store (or replace) the text of kind with its version.  Returns 0 or -1. */
int store_data_put(struct store *st, const char *kind, const char *version, const char *body,
                   struct err *e);

/*
 * A central copy was fetched: store body[0..len) as kind (when body is not
 * NULL; NULL means the server said it is unchanged) and clear
 * "<kind>_update_waiting", in ONE transaction.  body need not end in a NUL
 * (a mapped download) and is not copied.  Returns 0, or -1 with e filled
 * (then nothing changed).
 */
int store_data_fetched(struct store *st, const char *kind, const char *version, const char *body,
                       size_t len, struct err *e);

/*
 * The same for a text of len bytes in file fd (a download), read from its
 * start straight into the database a MiB at a time: a catalogue of 150 MB
 * costs no memory of its size.  The text is kept as a BLOB value (read back
 * as text all the same).  Returns 0, or -1 with e filled.
 */
int store_data_fetched_file(struct store *st, const char *kind, const char *version, int fd,
                            size_t len, struct err *e);

/* The stored text of kind: 1 with its version copied into version[0..n) and
 * *body (caller frees) -- either may be NULL --, 0 when none, -1 on error. */
int store_data_get(struct store *st, const char *kind, char *version, size_t n, char **body,
                   struct err *e);

#endif
