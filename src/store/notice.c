/* notice.c - the printed notices kept with their case. */
#include "store/store_int.h"

int store_notice_latest(struct store *st, const char *id_or_no, const char *kind, char **text,
                        char *kind_out, size_t kind_n, struct err *e)
{
	sqlite3_stmt *s = db_query(st->db, e,
	                           "SELECT n.text, n.kind FROM notices n JOIN cases c ON"
	                           " c.id = n.case_id WHERE (c.id = ?1 OR c.case_no = ?1)"
	                           " AND (?2 = '' OR n.kind = ?2) ORDER BY n.id DESC LIMIT 1",
	                           "ee", id_or_no, kind);
	int rc;

	*text = NULL;
	if (s == NULL)
		return -1;
	if ((rc = db_step(st->db, s, e)) == 1) {
		*text = db_col_dup(s, 0);
		if (kind_out)
			db_col_copy(s, 1, kind_out, kind_n);
	}
	db_done(st->db, s);
	return rc;
}

int store_notice_list(struct store *st, const char *case_id,
                      int (*fn)(void *arg, const struct notice_row *n), void *arg, struct err *e)
{
	sqlite3_stmt *s = db_query(st->db, e,
	                           "SELECT id, kind, created_at, text FROM notices"
	                           " WHERE case_id = ?1 ORDER BY id",
	                           "e", case_id);
	int n = 0, rc;

	if (s == NULL)
		return -1;
	while ((rc = db_step(st->db, s, e)) == 1) {
		struct notice_row r;

		r.id = sqlite3_column_int64(s, 0);
		db_col_copy(s, 1, r.kind, sizeof r.kind);
		db_col_copy(s, 2, r.created_at, sizeof r.created_at);
		r.text = db_col_text(s, 3);
		n++;
		if (fn(arg, &r) != 0)
			break;
	}
	db_done(st->db, s);
	return rc < 0 ? -1 : n;
}
