/* stats.h (store) - the statistics of the local cases (core/stats.h). */
#ifndef TB_STORE_STATS_H
#define TB_STORE_STATS_H

#include "core/calendar.h"
#include "core/catalogue.h"
#include "core/date.h"
#include "core/stats.h"

struct store;

/* Add every case whose application date is in [s->from, s->to] to s (the
 * department from cat, which may be NULL).  0 or -1 with e. */
int store_stats(struct store *st, const struct catalogue *cat, struct stats *s,
                struct tb_date today, const struct calendar *cal, struct err *e);

#endif
