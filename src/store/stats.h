/* stats.h (store) - the period's statistics (core/stats.h) from the cases
 * of this database. */
#ifndef TB_STORE_STATS_H
#define TB_STORE_STATS_H

#include "core/calendar.h"
#include "core/catalogue.h"
#include "core/stats.h"
#include "core/util.h"

struct store;
struct case_row;

/*
 * Add every case whose application date is in s->from..s->to to s (started
 * with stats_init).  cat gives each item's department ("" when the item is
 * gone from it, or cat is NULL); today and cal are stats_add's.  Returns
 * how many cases were read, or -1 with e (s then holds part of them).
 */
int store_stats(struct store *st, const struct catalogue *cat, struct stats *s,
                struct tb_date today, const struct calendar *cal, struct err *e);

/* A case row as the statistics see it.  The strings of out are borrowed
 * from r and from cat. */
void store_stats_case(const struct case_row *r, const struct catalogue *cat,
                      struct stats_case *out);

#endif
