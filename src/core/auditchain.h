/*
 * auditchain.h - the rows of an audit chain, the same on the clerk's PC and
 * on tongband: who did or saw what, when, about which case, and the hash
 * that ties each row to the one before it (BLAKE2b-256 of the previous
 * row's hash and the row's own fields, each NUL-terminated), so that an
 * edited, deleted or moved row breaks the chain from there on.
 */
#ifndef TB_CORE_AUDITCHAIN_H
#define TB_CORE_AUDITCHAIN_H

#include <stdbool.h>

#define AUDIT_HASH_LEN 65 /* hex BLAKE2b-256 and its NUL */

struct audit_row {
	long long id; /* 1, 2, 3 ... without a gap */
	char at[32];  /* ISO 8601, the hall's time */
	char clerk[65];
	char case_id[40];
	char what[32];
	char detail[256];
	char prev[AUDIT_HASH_LEN]; /* the previous row's hash, "" for the first */
	char hash[AUDIT_HASH_LEN];
	char hall[65]; /* tongband's own rows: the hall; "" on a clerk's PC */
};

/* The hash r must have after prev, as hex into out.  The hall is hashed
 * after the other fields only when it is not "", so a PC's rows (which
 * have none) hash as they always did. */
void audit_row_hash(const struct audit_row *r, const char *prev, char out[AUDIT_HASH_LEN]);

/* What audit_row_fault found. */
enum audit_fault {
	AUDIT_FOLLOWS,    /* the row follows the one before it */
	AUDIT_GAP,        /* ids are missing before it (rows deleted) */
	AUDIT_MOVED,      /* its id is not the next one (a row moved) */
	AUDIT_NOT_LINKED, /* its prev is not the last hash */
	AUDIT_EDITED,     /* its hash is not the hash of its fields */
};

/* Whether r follows the row before it (last_id, last_hash; 0 and "" before
 * the first), and if not, how not. */
enum audit_fault audit_row_fault(const struct audit_row *r, long long last_id,
                                 const char *last_hash);

/* What fault f of row r (after last_id) means, in Chinese or English,
 * into why (size n). */
void audit_fault_text(enum audit_fault f, const struct audit_row *r, long long last_id,
                      bool chinese, char *why, unsigned long n);

/*
 * Whether r follows the row before it (last_id, last_hash; 0 and "" before
 * the first): 0, or -1 with why (the user's language) -- a gap in the ids
 * (rows deleted), a prev that is not the last hash (a row deleted, moved or
 * rewritten before it), or a hash that is not the row's (the row edited).
 */
int audit_row_check(const struct audit_row *r, long long last_id, const char *last_hash, char *why,
                    unsigned long n);

#endif
