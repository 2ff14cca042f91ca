/*
 * srv_stats.h - a hall's statistics (core/stats.h, the one definition the
 * clerk's tongban shares) from what tongband keeps of its cases, for
 * GET /v1/stats and tongband report.
 */
#ifndef TB_SERVER_SRV_STATS_H
#define TB_SERVER_SRV_STATS_H

#include <json-c/json.h>

#include "core/date.h"
#include "core/stats.h"
#include "core/util.h"
#include "server/srv_store.h"

/*
 * Sum into *out (made here: stats_free it, on failure too) the cases of
 * hall whose application date is in [from, to]: each case's first counter
 * decision, promised date, the end of its time limit, release,
 * verification or revocation, withdrawal, rating and follow-up as the
 * server keeps them; today (the
 * hall's date) decides what is overdue; working days to release are
 * counted on the imported calendar, and not at all while none is imported.
 * 0, or -1 with e filled.
 */
int srv_stats_hall(struct srv_store *s, const char *hall, struct tb_date from, struct tb_date to,
                   struct tb_date today, struct stats *out, struct err *e);

/* {"hall": hall, "stats": stats_to_json(st)}: the answer of GET /v1/stats
 * and of tongband report --json.  Caller puts. */
struct json_object *srv_stats_json(const char *hall, const struct stats *st);

#endif
