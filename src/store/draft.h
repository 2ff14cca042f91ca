/* draft.h (store) - the clerk's unfinished intake (core/draft.h makes its
 * text), kept across crashes; one per clerk. */
#ifndef TB_STORE_DRAFT_H
#define TB_STORE_DRAFT_H

#include "core/util.h"

struct store;

/* Keep body as clerk_id's draft.  0 or -1 (e->kind says busy, full...). */
int store_draft_save(struct store *st, const char *clerk_id, const char *body, struct err *e);
/* 1 with *body (caller frees), 0 when there is none, -1 on error. */
int store_draft_load(struct store *st, const char *clerk_id, char **body, struct err *e);
int store_draft_clear(struct store *st, const char *clerk_id, struct err *e);

#endif
