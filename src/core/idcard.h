/*
 * idcard.h - 居民身份证号码 (resident identity card number) checks,
 * GB 11643-1999.
 *
 * Eighteen characters: a six-digit administrative division code (行政区划代码),
 * the date of birth as YYYYMMDD, a three-digit sequence number whose last digit
 * is odd for men and even for women, and an ISO 7064 MOD 11-2 check character
 * ('0'-'9' or 'X' for ten).  The numbers on residence permits for residents of
 * Hong Kong, Macao (81, 82) and Taiwan (83) follow the same rules.
 */
#ifndef TB_CORE_IDCARD_H
#define TB_CORE_IDCARD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/util.h"

#define IDCARD_LEN 18

/* Why a number was refused; IDCARD_OK when it was not. */
enum idcard_error {
	IDCARD_OK = 0,
	IDCARD_EMPTY,           /* nothing typed */
	IDCARD_LENGTH,          /* not 18 characters */
	IDCARD_CHARS,           /* a non-digit in 1-17, or 18th not a digit or X */
	IDCARD_REGION,          /* first two digits are no province code */
	IDCARD_PREFECTURE,      /* digits 1-4 are no prefecture of a province whose
	                           prefectures the region table lists completely */
	IDCARD_BIRTH_INVALID,   /* digits 7-14 are no real date (19490230) */
	IDCARD_BIRTH_TOO_EARLY, /* born before 1900-01-01 */
	IDCARD_BIRTH_FUTURE,    /* born after today */
	IDCARD_CHECK            /* the check character does not match */
};

/* What a number says, and on failure the details that explain it. */
struct idcard_info {
	char number[IDCARD_LEN + 1]; /* normalised ('x' -> 'X'); "" if length or chars wrong */
	char region[7];              /* 行政区划代码, digits 1-6 */
	struct tb_date birth;        /* date of birth */
	bool is_male;                /* digit 17 odd */
	int length;                  /* characters typed (UTF-8 code points) */
	int bad_pos;                 /* IDCARD_CHARS: 1-based position of the bad character */
	char expected_check;         /* IDCARD_CHECK: the right 18th character */
};

/*
 * Check s as a resident identity card number.  today is the date a birth date
 * may not be after (NULL: today in Asia/Shanghai).  Lowercase 'x' is accepted
 * and normalised to 'X' in out->number.  Returns 0 when valid, -1 when not,
 * with *why the first reason found (checked in the order of the enum).  out
 * and why may be NULL.  No whitespace is trimmed.
 */
int idcard_check(const char *s, const struct tb_date *today, struct idcard_info *out,
                 enum idcard_error *why);

/*
 * The administrative division codes of data/regions.tsv (GB/T 2260, province
 * and prefecture level; format in data/README.md).
 */
struct region_table;

/*
 * Load a region table.  Returns NULL with e naming the file and the line on
 * failure.  Caller frees with region_free().
 */
struct region_table *region_load(const char *path, struct err *e);

/* Parse a region table from text of len bytes; file names it in errors. */
struct region_table *region_parse(const char *text, size_t len, const char *file, struct err *e);

void region_free(struct region_table *t);

/* Number of codes in t. */
size_t region_count(const struct region_table *t);

/*
 * The name of the division whose code is the first 6 characters of code6
 * ("330100" -> "杭州市"), or NULL when t has no such code.  Valid while t
 * lives.
 */
const char *region_name(const struct region_table *t, const char *code6);

/*
 * Where the first 4 digits of s point: the province's name followed by the
 * prefecture's when t knows it ("浙江省杭州市"; "北京市" for 市辖区 and 县),
 * written into buf of size n.  Returns buf, or NULL (buf "") when t knows
 * neither.
 */
char *region_describe(const struct region_table *t, const char *s, char *buf, size_t n);

/*
 * Like idcard_check(), and when regions is not NULL also refuses, with
 * IDCARD_PREFECTURE, a number whose first 4 digits are no prefecture of a
 * province the table lists completely.  regions NULL: idcard_check().
 */
int idcard_check_regions(const char *s, const struct tb_date *today,
                         const struct region_table *regions, struct idcard_info *out,
                         enum idcard_error *why);

/*
 * The check character ('0'-'9' or 'X') for the first 17 characters of s, or
 * '\0' when one of them is not a digit.
 */
char idcard_check_char(const char *s);

/* A short clerk-facing message for why, in Chinese or English.  Static. */
const char *idcard_error_text(enum idcard_error why, bool chinese);

/*
 * The full message for a failed idcard_check(), with the details in info
 * ("身份证号码校验位错误，应为 X"), written into buf of size n.  Returns buf.
 */
char *idcard_explain(enum idcard_error why, const struct idcard_info *info, bool chinese, char *buf,
                     size_t n);

/*
 * The name of the province-level division of a number's first two digits
 * ("北京市"), or NULL when they name none.  Static.
 */
const char *idcard_province_name(const char *s);

/*
 * s with everything but the first 4 and the last 4 characters replaced by '*'
 * ("1101**********002X"), for lists on shared machines.  Counts UTF-8
 * characters, never bytes; a string of 8 characters or fewer is masked whole.
 * Returns NULL when s is NULL.  Caller frees.
 */
char *idcard_mask(const char *s);

/*
 * A person's name as lists show it on shared machines: the first character
 * (the surname, mostly) and a '*' for each other one, the middle dot of an
 * ethnic-minority name kept ("张三" -> "张*", "阿依古丽·买买提" ->
 * "阿***·***").  NULL when s is NULL.  Caller frees.
 */
char *name_mask(const char *s);

#endif
