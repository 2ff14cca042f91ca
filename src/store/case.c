/* case.c - cases as the screens and commands read them. */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define CASE_COLUMNS                                                                               \
	"id, case_no, item_code, item_name, applicant_name, id_number, phone, state, created_at,"  \
	" official_no, due_date, supply_by, commit_due"

static void case_from_row(sqlite3_stmt *s, struct case_row *r)
{
	memset(r, 0, sizeof *r);
	db_col_copy(s, 0, r->id, sizeof r->id);
	db_col_copy(s, 1, r->case_no, sizeof r->case_no);
	db_col_copy(s, 2, r->item_code, sizeof r->item_code);
	db_col_copy(s, 3, r->item_name, sizeof r->item_name);
	db_col_copy(s, 4, r->name, sizeof r->name);
	db_col_copy(s, 5, r->id_number, sizeof r->id_number);
	db_col_copy(s, 6, r->phone, sizeof r->phone);
	db_col_copy(s, 7, r->state, sizeof r->state);
	db_col_copy(s, 8, r->created_at, sizeof r->created_at);
	db_col_copy(s, 9, r->official_no, sizeof r->official_no);
	db_col_copy(s, 10, r->due_date, sizeof r->due_date);
	db_col_copy(s, 11, r->supply_by, sizeof r->supply_by);
	db_col_copy(s, 12, r->commit_due, sizeof r->commit_due);
}

int store_case_get(struct store *st, const char *id_or_no, struct case_row *out, struct err *e)
{
	sqlite3_stmt *s =
	    db_query(st->db, e,
	             "SELECT " CASE_COLUMNS " FROM cases WHERE id = ?1"
	             " UNION ALL SELECT " CASE_COLUMNS " FROM cases WHERE case_no = ?1"
	             " LIMIT 1",
	             "e", id_or_no);
	int rc;

	if (s == NULL)
		return -1;
	if ((rc = db_step(st->db, s, e)) == 1)
		case_from_row(s, out);
	db_done(st->db, s);
	return rc;
}

int store_case_recent(struct store *st, struct case_row *out, int max, struct err *e)
{
	sqlite3_stmt *s = db_query(st->db, e,
	                           "SELECT " CASE_COLUMNS " FROM cases"
	                           " ORDER BY created_at DESC, rowid DESC LIMIT ?1",
	                           "i", max);
	int n = 0, rc = 0;

	if (s == NULL)
		return -1;
	while (n < max && (rc = db_step(st->db, s, e)) == 1)
		case_from_row(s, &out[n++]);
	db_done(st->db, s);
	return n < max && rc < 0 ? -1 : n;
}

int store_case_fields(struct store *st, const char *case_id, char **fields_json, struct err *e)
{
	return db_get_text(st->db, e, fields_json, "SELECT fields FROM cases WHERE id = ?1", "e",
	                   case_id);
}

int store_case_last_payload(struct store *st, const char *case_id, const char *type, char **payload,
                            struct err *e)
{
	int rc = db_get_text(st->db, e, payload,
	                     "SELECT coalesce(json_extract(body, '$.payload'), '') FROM events"
	                     " WHERE case_id = ?1 AND type = ?2 ORDER BY seq DESC LIMIT 1",
	                     "ee", case_id, type);

	if (rc == 1 && (*payload)[0] == '\0') {
		free(*payload);
		*payload = NULL;
		return 0;
	}
	return rc;
}
