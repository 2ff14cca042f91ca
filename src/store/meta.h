/* meta.h (store) - small key/value state (last sync time, cursor, ...). */
#ifndef TB_STORE_META_H
#define TB_STORE_META_H

#include <stddef.h>

#include "core/util.h"

struct store;

int store_meta_set(struct store *st, const char *key, const char *value, struct err *e);
/* 1 found (value copied into value[0..n)), 0 not, -1 error. */
int store_meta_get(struct store *st, const char *key, char *value, size_t n, struct err *e);

#endif
