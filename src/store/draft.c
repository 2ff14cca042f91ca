/* draft.c - the clerk's unfinished intake, one per clerk. */
#include "store/store_int.h"

int store_draft_save(struct store *st, const char *clerk_id, const char *body, struct err *e)
{
	char now[32];

	store_now_iso(now);
	return db_run(
	    st->db, e,
	    "INSERT OR REPLACE INTO drafts (clerk_id, body, updated_at) VALUES (?1, ?2, ?3)", "eee",
	    clerk_id, body, now);
}

int store_draft_load(struct store *st, const char *clerk_id, char **body, struct err *e)
{
	return db_get_text(st->db, e, body, "SELECT body FROM drafts WHERE clerk_id = ?1", "e",
	                   clerk_id);
}

int store_draft_clear(struct store *st, const char *clerk_id, struct err *e)
{
	return db_run(st->db, e, "DELETE FROM drafts WHERE clerk_id = ?1", "e", clerk_id);
}
