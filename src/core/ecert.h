/*
 * ecert.h - the e-certificate check of a material at the counter (电子证照,
 * 免提交): a material the catalogue marks with an e-certificate type
 * (struct material.ecert) is satisfied by a lookup in tongband's register
 * with the applicant's ID, never asked for on paper.
 *
 * The rules (tongban(1), the counter screen):
 *   - online, the lookup answers at once: found (the checklist line shows
 *     the type, number, issuer and the end of validity), or a failure (not
 *     found, expired, another holder's): the material then counts as
 *     defective (有误), with the failure as its reason, and goes on the
 *     one-time notice with it.  A register that holds no certificate of
 *     the type at all (its department's were never imported) refutes
 *     nothing: the material stays 免提交, obtained by data sharing;
 *   - offline, the material is 待核验 (to be verified) and counts as in hand:
 *     the case may be accepted, for obtaining it is the hall's work, not the
 *     applicant's.  The sync agent checks it when the link returns; the
 *     case's record then shows what was found, or the failure as a material
 *     the applicant must be told of in a one-time notice (补正).
 */
#ifndef TB_CORE_ECERT_H
#define TB_CORE_ECERT_H

#include <stdbool.h>
#include <stddef.h>

enum ecert_state {
	ECERT_PENDING,         /* 待核验: asked, not answered yet */
	ECERT_FOUND,           /* 已核验 */
	ECERT_NOT_FOUND,       /* 未查到 */
	ECERT_EXPIRED,         /* 已过期 */
	ECERT_HOLDER_MISMATCH, /* 持证人不符 */
	ECERT_NOT_KEPT,        /* the register holds no certificate of the type: shared data */
	ECERT_N_STATES
};

/* One check: of type for holder_id, as the client keeps it.  Borrowed
 * strings where read from the store. */
struct ecert_check {
	char type[97];
	char holder_id[33];
	enum ecert_state state;
	char number[97];
	char holder_name[257];
	char issuer[257];
	char valid_until[11]; /* "" for 长期 */
	char asked_on[11];    /* the day of intake: the certificate must be valid then */
	char checked_at[32];  /* "" while pending */
};

/* The wire name of s ("pending", "found", "not_found", "expired",
 * "holder_mismatch", "not_kept") and back: 0, or -1 for an unknown name. */
const char *ecert_state_name(enum ecert_state s);
int ecert_state_from_name(const char *name, enum ecert_state *out);

/* Whether s is a check that failed (the material must be supplied). */
bool ecert_state_failed(enum ecert_state s);

/* The clerk's words for s: "待核验", "已核验", "未查到电子证照"... Static. */
const char *ecert_state_label(enum ecert_state s);

/* The checklist's text for c: "电子证照 已核验：营业执照 N 长沙市… 有效期至 长期",
 * "电子证照 待核验（联网后自动核验）", or the failure.  Into out (size n). */
char *ecert_describe(const struct ecert_check *c, char *out, size_t n);

struct checklist;

/*
 * What check c means for material i of checklist cl (a material with an
 * e-certificate, 免提交): found or pending, it is in hand (MS_EXEMPT); a
 * failed check makes it defective (MS_DEFECTIVE) with the failure as its
 * reason, so that the one-time notice asks for it and says why.  Returns whether the status or
 * reason changed.
 */
bool ecert_apply(struct checklist *cl, size_t i, const struct ecert_check *c);

/* The holder's key of an applicant's id_number (a valid 居民身份证号码 or
 * 统一社会信用代码, uppercase) into out (size n >= 19): 0, or -1 when it is
 * neither (nothing can be looked up yet). */
int ecert_holder_key(const char *id_number, char *out, size_t n);

#endif
