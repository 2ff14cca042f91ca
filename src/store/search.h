/* search.h (store) - finding cases by what the clerk types (core/casequery.h). */
#ifndef TB_STORE_SEARCH_H
#define TB_STORE_SEARCH_H

#include "store/case.h"

struct casequery;

/* The cases matching every word of q, newest first, at most max, each to
 * fn (a nonzero return stops).  Returns how many were seen, or -1. */
int store_case_search(struct store *st, const struct casequery *q, int max, case_row_fn fn,
                      void *arg, struct err *e);

#endif
