/* bundle.c (store) - a 一件事's parts in one transaction. */
#include "store/bundle.h"

#include "store/store_int.h"

struct commit {
	struct store *st;
	const struct bundle_record *r;
};

static int commit_tx(struct db *db, void *arg, struct err *e)
{
	const struct commit *c = arg;
	const struct bundle_record *r = c->r;
	size_t i;

	for (i = 0; i < r->n; i++) {
		if (store_decision_commit_db(c->st, &r->rec[i], e) < 0)
			return -1;
		if (db_run(db, e,
		           "UPDATE cases SET bundle_id = ?2, bundle_code = ?3, bundle_name = ?4"
		           " WHERE id = ?1",
		           "eeee", r->rec[i].kase->id, r->bundle_id, r->code, r->name) < 0)
			return -1;
	}
	return 0;
}

int store_bundle_commit(struct store *st, const struct bundle_record *r, struct err *e)
{
	struct commit c = {st, r};

	return db_tx(st->db, commit_tx, &c, e);
}

static int sink_commit(void *arg, const struct bundle_record *r, struct err *e)
{
	return store_bundle_commit(arg, r, e);
}

void store_bundle_sink(struct store *st, struct bundle_sink *sink)
{
	sink->arg = st;
	sink->commit = sink_commit;
}

int store_bundle_parts(struct store *st, const char *bundle_id, case_row_fn fn, void *arg,
                       struct err *e)
{
	return store_case_each(st,
	                       db_query(st->db, e,
	                                "SELECT " CASE_COLUMNS " FROM cases WHERE bundle_id = ?1"
	                                " AND bundle_id <> '' ORDER BY rowid",
	                                "e", bundle_id),
	                       fn, arg, e);
}
