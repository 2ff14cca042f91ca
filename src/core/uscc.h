/*
 * uscc.h - 统一社会信用代码 (unified social credit code) checks, GB 32100-2015.
 *
 * Eighteen characters from the alphabet 0-9 and A-Y without I, O, S, V, Z:
 * 1 the registration department (登记管理部门代码), 2 the kind of
 * organisation (机构类别代码), 3-8 the administrative division code, 9-17 the
 * organisation code (组织机构代码), 18 a MOD 31 check character.
 */
#ifndef TB_CORE_USCC_H
#define TB_CORE_USCC_H

#include <stdbool.h>
#include <stddef.h>

#define USCC_LEN 18

/* Why a code was refused; USCC_OK when it was not. */
enum uscc_error {
	USCC_OK = 0,
	USCC_EMPTY,  /* nothing typed */
	USCC_LENGTH, /* not 18 characters */
	USCC_CHARS,  /* a character outside the GB 32100 alphabet (I, O, S, V, Z, ...) */
	USCC_DEPT,   /* first character names no registration department */
	USCC_REGION, /* characters 3-8 are not all digits */
	USCC_CHECK   /* the check character does not match */
};

/* What a code says, and on failure the details that explain it. */
struct uscc_info {
	char code[USCC_LEN + 1]; /* normalised to uppercase; "" if length or chars wrong */
	char dept;               /* 登记管理部门代码, e.g. '9' */
	char kind;               /* 机构类别代码, e.g. '1' */
	char region[7];          /* 行政区划代码, characters 3-8 */
	char org_code[10];       /* 组织机构代码, characters 9-17 */
	int length;              /* characters typed (UTF-8 code points) */
	int bad_pos;             /* USCC_CHARS: 1-based position of the bad character */
	char expected_check;     /* USCC_CHECK: the right 18th character */
};

/*
 * Check s as a unified social credit code.  Lowercase letters are accepted and
 * normalised to uppercase in out->code.  Returns 0 when valid, -1 when not,
 * with *why the first reason found (in the order of the enum).  out and why
 * may be NULL.  No whitespace is trimmed.
 */
int uscc_check(const char *s, struct uscc_info *out, enum uscc_error *why);

/*
 * The check character for the first 17 characters of s (uppercase), or '\0'
 * when one of them is outside the alphabet.
 */
char uscc_check_char(const char *s);

/* The registration department named by code character c ("工商"), or NULL. */
const char *uscc_dept_name(char c);

/* A short clerk-facing message for why, in Chinese or English.  Static. */
const char *uscc_error_text(enum uscc_error why, bool chinese);

/*
 * The full message for a failed uscc_check(), with the details in info
 * ("统一社会信用代码校验位错误，应为 3"), written into buf of size n.  Returns buf.
 */
char *uscc_explain(enum uscc_error why, const struct uscc_info *info, bool chinese, char *buf,
                   size_t n);

#endif
