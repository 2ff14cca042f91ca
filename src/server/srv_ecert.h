/*
 * srv_ecert.h - tongband's e-certificate register (电子证照库), with the
 * elements of GB/T 36901-36906 that a window needs: the certificate's type
 * (证照类型), its number (证照编号), the holder's ID (持证主体代码: a
 * 居民身份证号码 or a 统一社会信用代码) and name, the issuer (颁发机构), the
 * date of issue and the end of its validity (有效期, or 长期).
 *
 * The register is filled by `tongband import-certificates FILE` (the file
 * format is data/README.md's, "certificates"), and read by the windows
 * through POST /v1/certificates/lookup (tongband-api(7)): a material marked
 * e-certificate in the catalogue is satisfied by a lookup with the
 * applicant's ID (免提交), never asked for on paper.  Each lookup is a row of
 * tongband's audit chain (srv_audit.h) naming the type and the result,
 * never the holder's ID or the certificate's number.
 */
#ifndef TB_SERVER_SRV_ECERT_H
#define TB_SERVER_SRV_ECERT_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/date.h"
#include "core/util.h"
#include "server/srv_store.h"

/* One certificate of the register. */
struct srv_ecert {
	char type[97];         /* 证照类型, e.g. 营业执照 */
	char number[97];       /* 证照编号 */
	char holder_id[33];    /* 持证主体代码: ID number or USCC, uppercase */
	char holder_name[257]; /* 持证主体 */
	char issuer[257];      /* 颁发机构 */
	char issued_on[TB_DATE_LEN];
	char valid_until[TB_DATE_LEN]; /* "" for 长期 (no end) */
};

/* What a lookup found. */
enum srv_ecert_result {
	SRV_ECERT_FOUND,           /* valid on the day asked about */
	SRV_ECERT_NOT_FOUND,       /* no such certificate (for this holder) */
	SRV_ECERT_EXPIRED,         /* found, but its validity ended before the day */
	SRV_ECERT_HOLDER_MISMATCH, /* the number given is another holder's certificate */
	SRV_ECERT_NOT_KEPT,        /* the register holds no certificate of the type at all */
};

/* The wire name of r: "found", "not_found", "expired", "holder_mismatch",
 * "not_kept". */
const char *srv_ecert_result_name(enum srv_ecert_result r);

/*
 * Parse line (one line of a certificate file, without its newline) into
 * *out: seven fields separated by tabs (data/README.md).  0, or -1 with why
 * (size n) naming the field and what is wrong with it.
 */
int srv_ecert_parse_line(const char *line, struct srv_ecert *out, char *why, size_t n);

/*
 * Import the certificate file at file into the register of the database at
 * path, in one transaction: every line or none.  A certificate of the same
 * type and number as one held already replaces it.  The import is a row of
 * tongband's audit chain.  0 with *count set, or -1 with e naming the file,
 * the line and the field ("FILE:LINE: field NAME: ...").
 */
int srv_ecert_import(const char *path, const char *file, long *count, struct err *e);

/* A lookup's question. */
struct srv_ecert_query {
	const char *type;      /* 证照类型 */
	const char *holder_id; /* the applicant's ID number or USCC */
	const char *number;    /* the number the applicant showed, or NULL/"": any of theirs */
	const char *case_id;   /* the case it is for, for the audit row, or NULL/"" */
	struct tb_date on;     /* the day the certificate must be valid on */
};

/*
 * Look q up in the register for user u, writing the lookup's row on
 * tongband's audit chain (no row, no answer).  Without a number, the
 * holder's certificate of the type valid on q->on is found, else their
 * latest one (then expired).  With one, that certificate, which must be
 * the holder's.  Returns the result with *out filled when a certificate of
 * the holder was found (FOUND, EXPIRED), or -1 with e filled.
 */
int srv_ecert_lookup(struct srv_store *s, const struct srv_user *u, const struct srv_ecert_query *q,
                     struct srv_ecert *out, struct err *e);

/*
 * The answer of POST /v1/certificates/lookup to body, for user u: 0 with
 * *reply the JSON object to send (200); 1 with why (size n) when the body
 * is not a lookup (400); -1 with e filled.
 */
int srv_ecert_api_lookup(struct srv_store *s, const struct srv_user *u, struct json_object *body,
                         struct json_object **reply, char *why, size_t n, struct err *e);

#endif
