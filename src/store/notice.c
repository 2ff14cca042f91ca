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
