/* meta.c - small key/value state. */
#include <stdlib.h>

#include "store/store_int.h"

int store_meta_set(struct store *st, const char *key, const char *value, struct err *e)
{
	return db_run(st->db, e, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", "ee",
	              key, value);
}

int store_meta_get(struct store *st, const char *key, char *value, size_t n, struct err *e)
{
	char *v = NULL;
	int rc = db_get_text(st->db, e, &v, "SELECT value FROM meta WHERE key = ?1", "e", key);

	if (rc == 1)
		str_copy(value, n, v);
	free(v);
	return rc;
}
