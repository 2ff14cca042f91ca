/*
 * auditchain.h - the rows of an audit chain, the same on the clerk's PC and
 * on tongband: who did or saw what, when, about which case, and the hash
 * that ties each row to the one before it (BLAKE2b-256 of the previous
 * row's hash and the row's own fields, each NUL-terminated), so that an
 * edited, deleted or moved row breaks the chain from there on.
 */
#ifndef TB_CORE_AUDITCHAIN_H
#define TB_CORE_AUDITCHAIN_H

#define AUDIT_HASH_LEN 65 /* hex BLAKE2b-256 and its NUL */

struct audit_row {
	long long id; /* 1, 2, 3 ... without a gap */
	char at[32];  /* ISO 8601, the hall's time */
	char clerk[64];
	char case_id[40];
	char what[32];
	char detail[256];
	char prev[AUDIT_HASH_LEN]; /* the previous row's hash, "" for the first */
	char hash[AUDIT_HASH_LEN];
};

/* The hash r must have after prev, as hex into out. */
void audit_row_hash(const struct audit_row *r, const char *prev, char out[AUDIT_HASH_LEN]);

/*
 * Whether r follows the row before it (last_id, last_hash; 0 and "" before
 * the first): 0, or -1 with why (the user's language) -- a gap in the ids
 * (rows deleted), a prev that is not the last hash (a row deleted, moved or
 * rewritten before it), or a hash that is not the row's (the row edited).
 */
int audit_row_check(const struct audit_row *r, long long last_id, const char *last_hash, char *why,
                    unsigned long n);

#endif
