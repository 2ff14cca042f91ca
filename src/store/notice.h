/* notice.h (store) - the printed notices kept with their case. */
#ifndef TB_STORE_NOTICE_H
#define TB_STORE_NOTICE_H

#include <stddef.h>

#include "core/util.h"

struct store;

/* The newest notice of a case (by id or number), of kind or any kind when
 * kind is NULL: 1 with *text (caller frees) and its kind, 0 none, -1 error. */
int store_notice_latest(struct store *st, const char *id_or_no, const char *kind, char **text,
                        char *kind_out, size_t kind_n, struct err *e);

/* One notice kept with a case. */
struct notice_row {
	long long id;
	char kind[32];
	char created_at[32];
	const char *text; /* valid during the call */
};

/* The case's notices, oldest first.  Returns how many, or -1. */
int store_notice_list(struct store *st, const char *case_id,
                      int (*fn)(void *arg, const struct notice_row *n), void *arg, struct err *e);

#endif
