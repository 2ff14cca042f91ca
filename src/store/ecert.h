/*
 * ecert.h - the client's e-certificate checks (core/ecert.h): the counter
 * asks for one (pending), the sync agent answers it from tongband's
 * register, the screens read it.  One row per certificate type and holder.
 */
#ifndef TB_STORE_ECERT_H
#define TB_STORE_ECERT_H

#include "core/ecert.h"
#include "core/util.h"
#include "store/store.h"

/*
 * Ask for the check of type for holder_id (uppercase), for a material taken
 * in on day asked_on (YYYY-MM-DD) by clerk: a new check is pending; one
 * answered for another day is asked again; one for the same day is kept.
 * 0 or -1.
 */
int store_ecert_ask(struct store *st, const char *type, const char *holder_id, const char *asked_on,
                    const char *clerk, struct err *e);

/* The check of type for holder_id into *out: 1, 0 none, -1. */
int store_ecert_get(struct store *st, const char *type, const char *holder_id,
                    struct ecert_check *out, struct err *e);

/* Up to max pending checks, oldest first, into out[]: how many, or -1. */
int store_ecert_pending(struct store *st, struct ecert_check *out, int max, struct err *e);

/* Keep the answer c (its state, number, holder_name, issuer, valid_until)
 * for the pending check of c->type and c->holder_id.  0 or -1. */
int store_ecert_answer(struct store *st, const struct ecert_check *c, struct err *e);

#endif
