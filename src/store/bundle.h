/*
 * bundle.h (store) - the store's side of core/bundle.h: every part of a
 * 一件事 decided in ONE transaction (their case rows, events, outbox
 * entries, the one notice and the end of the intake draft), and the parts
 * of a bundle as the queue and the record list them.
 */
#ifndef TB_STORE_BUNDLE_H
#define TB_STORE_BUNDLE_H

#include "core/bundle.h"
#include "store/case.h"

struct store;

/* Fill sink so that bundle_run() writes into st. */
void store_bundle_sink(struct store *st, struct bundle_sink *sink);

/* Write every part of r and link them under the bundle, in one
 * transaction: all of it or nothing.  0, or -1 with e (ERR_STALE when a
 * part is no longer as the decision saw it). */
int store_bundle_commit(struct store *st, const struct bundle_record *r, struct err *e);

/* fn for each case of bundle bundle_id, in the bundle's order (the order
 * its parts were made).  How many, or -1. */
int store_bundle_parts(struct store *st, const char *bundle_id, case_row_fn fn, void *arg,
                       struct err *e);

#endif
