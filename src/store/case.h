/* case.h (store) - cases as the screens and commands read them. */
#ifndef TB_STORE_CASE_H
#define TB_STORE_CASE_H

#include "core/util.h"

struct store;

/* A case as listed on screens. */
struct case_row {
	char id[40];
	char case_no[64];
	char item_code[64];
	char item_name[256];
	char name[256];
	char id_number[40];
	char phone[40];
	char state[32];
	char created_at[32];
	char official_no[96]; /* the server's number, "" until a pull brings it */
	char due_date[11];    /* promised completion, YYYY-MM-DD or "" */
	char supply_by[11];   /* a one-time notice's supply-by date or "" */
	char commit_due[11];  /* the earliest commitment's date or "" */
};

/* 1 and fills out when found by id or case number, 0 when not, -1 on error. */
int store_case_get(struct store *st, const char *id_or_no, struct case_row *out, struct err *e);

/* The newest cases, most recent first.  Returns how many were filled, or -1. */
int store_case_recent(struct store *st, struct case_row *out, int max, struct err *e);

/* The applicant form of a case as JSON: 1 and *fields_json (caller frees), 0, -1. */
int store_case_fields(struct store *st, const char *case_id, char **fields_json, struct err *e);

/* The payload of the case's newest event of this type: 1 and *payload (caller
 * frees), 0 when none, -1 on error. */
int store_case_last_payload(struct store *st, const char *case_id, const char *type, char **payload,
                            struct err *e);

#endif
