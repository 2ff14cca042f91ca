/*
 * phone.h - telephone number checks: mobile numbers and landlines with an
 * area code, as clerks type them on a form.
 *
 * Mobile: 11 digits, 1[3-9] then 9 digits.
 * Landline: the area code (010 and 020-029 are three digits with the 0, every
 * other 0xxx four), an optional '-', a local number of 7 or 8 digits, and an
 * optional extension "-1234" (1 to 6 digits).
 */
#ifndef TB_CORE_PHONE_H
#define TB_CORE_PHONE_H

#include <stdbool.h>

enum phone_kind { PHONE_MOBILE, PHONE_LANDLINE };

/* Why a number was refused; PHONE_OK when it was not. */
enum phone_error {
	PHONE_OK = 0,
	PHONE_EMPTY,         /* nothing typed */
	PHONE_CHARS,         /* something other than digits and '-' */
	PHONE_PREFIX,        /* starts with neither 1 (mobile) nor 0 (area code) */
	PHONE_MOBILE_LENGTH, /* mobile not 11 digits (or contains '-') */
	PHONE_MOBILE_PREFIX, /* mobile second digit not 3-9 */
	PHONE_AREA_CODE,     /* area code malformed */
	PHONE_LOCAL_LENGTH,  /* local number not 7-8 digits */
	PHONE_EXTENSION      /* extension empty, too long or not digits */
};

/* The parts of a valid number, digits only. */
struct phone_info {
	enum phone_kind kind;
	char area[5];      /* landline: "010", "0571"; "" for mobile */
	char number[12];   /* mobile: the 11 digits; landline: the local number */
	char extension[7]; /* "" when none */
};

/*
 * Check s as a mobile or landline number.  Returns 0 when valid, -1 when not,
 * with *why the reason.  out and why may be NULL; out is filled only when
 * valid.  No whitespace is trimmed.
 */
int phone_check(const char *s, struct phone_info *out, enum phone_error *why);

/* A clerk-facing message for why, in Chinese or English.  Static. */
const char *phone_error_text(enum phone_error why, bool chinese);

/*
 * s with its middle replaced by '*', for lists and exports on shared
 * machines: a mobile keeps its first 3 and last 4 digits (138****8000); a
 * landline its area code and the last 4 digits of the local number, the
 * '-' as typed, the extension masked (0571-****1234); anything else its
 * last 4 characters, or nothing when it has 7 or fewer (UTF-8 characters,
 * never bytes).  Returns NULL when s is NULL.  Caller frees.
 */
char *phone_mask(const char *s);

#endif
