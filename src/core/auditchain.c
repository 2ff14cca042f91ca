/* auditchain.c - the hash and the check of an audit chain's rows. */
#include "core/auditchain.h"

#include "core/sodiumfn.h"
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"

/* Each field ends with its NUL in the hashed text, so no field runs into
 * the next ("ab" + "c" is not "a" + "bc"). */
void audit_row_hash(const struct audit_row *r, const char *prev, char out[AUDIT_HASH_LEN])
{
	unsigned char h[32];
	crypto_generichash_state st;
	char id[32];
	const char *fields[8];
	size_t i, n = 7;

	snprintf(id, sizeof id, "%lld", r->id);
	fields[0] = prev;
	fields[1] = id;
	fields[2] = r->at;
	fields[3] = r->clerk;
	fields[4] = r->case_id;
	fields[5] = r->what;
	fields[6] = r->detail;
	if (r->hall[0] != '\0')
		fields[n++] = r->hall;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	for (i = 0; i < n; i++)
		crypto_generichash_update(&st, (const unsigned char *)fields[i],
		                          strlen(fields[i]) + 1);
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(out, AUDIT_HASH_LEN, h, sizeof h);
}

enum audit_fault audit_row_fault(const struct audit_row *r, long long last_id,
                                 const char *last_hash)
{
	char want[AUDIT_HASH_LEN];

	if (r->id > last_id + 1)
		return AUDIT_GAP;
	if (r->id != last_id + 1)
		return AUDIT_MOVED;
	if (strcmp(r->prev, last_hash) != 0)
		return AUDIT_NOT_LINKED;
	audit_row_hash(r, last_hash, want);
	return strcmp(want, r->hash) == 0 ? AUDIT_FOLLOWS : AUDIT_EDITED;
}

void audit_fault_text(enum audit_fault f, const struct audit_row *r, long long last_id,
                      bool chinese, char *why, unsigned long n)
{
#define L(en) (chinese ? _(en) : (en))
	switch (f) {
	case AUDIT_FOLLOWS:
		snprintf(why, n, "%s", "");
		break;
	case AUDIT_GAP:
		snprintf(why, n, L("rows %2$lld to %3$lld before row %1$lld are missing (deleted)"),
		         r->id, last_id + 1, r->id - 1);
		break;
	case AUDIT_MOVED:
		snprintf(why, n, L("row %lld is out of place (moved)"), r->id);
		break;
	case AUDIT_NOT_LINKED:
		snprintf(
		    why, n,
		    L("row %lld does not follow the row before it (a row was deleted, moved or "
		      "rewritten)"),
		    r->id);
		break;
	case AUDIT_EDITED:
		snprintf(why, n, L("row %lld was edited"), r->id);
		break;
	}
#undef L
}

int audit_row_check(const struct audit_row *r, long long last_id, const char *last_hash, char *why,
                    unsigned long n)
{
	enum audit_fault f = audit_row_fault(r, last_id, last_hash);

	if (f == AUDIT_FOLLOWS)
		return 0;
	audit_fault_text(f, r, last_id, i18n_is_chinese(), why, n);
	return -1;
}
