/*
 * pinyin.h - the hanzi -> pinyin table (data/pinyin.tsv, built from Unihan by
 * scripts/mkpinyin.py) and the pinyin-initials matcher used by item search:
 * a clerk types "jzlj" and finds 建筑垃圾处置许可.
 *
 * File format (documented in data/README.md): one line per code point,
 * "U+5EFA<TAB>jian", several toneless readings separated by one space for a
 * polyphonic character ("U+884C<TAB>xing hang heng"); code points strictly
 * ascending; lines starting with '#' and empty lines are ignored.
 */
#ifndef TB_CORE_PINYIN_H
#define TB_CORE_PINYIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/util.h"

struct pinyin_table;

/*
 * Load the table from a file.  On failure returns NULL and e says
 * "path:line: what is wrong".  Caller frees with pinyin_free().
 */
struct pinyin_table *pinyin_load(const char *path, struct err *e);

/* Parse the table from text[0..len); file names the source in errors. */
struct pinyin_table *pinyin_parse(const char *text, size_t len, const char *file, struct err *e);

void pinyin_free(struct pinyin_table *t);

/* Number of code points in the table. */
size_t pinyin_size(const struct pinyin_table *t);

/*
 * The readings of cp, space-separated ("xing hang heng"), customary reading
 * first; NULL when cp is not in the table.  Valid until pinyin_free().
 */
const char *pinyin_readings_of(const struct pinyin_table *t, uint32_t cp);

/*
 * The distinct initial letters of cp's readings, in alphabetical order, as a
 * NUL-terminated string in out[0..n) ("hx" for 行).  Returns the number of
 * letters (0 when cp is not in the table; out is then "").  At most 26
 * letters, so n = 27 is always enough; with a smaller n the set is cut.
 */
size_t pinyin_initials_of(const struct pinyin_table *t, uint32_t cp, char out[], size_t n);

/*
 * The pinyin initials of a name as one usually says it: the customary
 * reading's initial of each hanzi, ASCII letters lower-cased, other
 * characters (· and spaces) left out ("张三丰" -> "zsf"), into out[0..n).
 * Returns out.  t may be NULL: then only ASCII letters count.
 */
char *pinyin_name_initials(const struct pinyin_table *t, const char *text, char *out, size_t n);

/*
 * Whether query (ASCII letters and digits, case-insensitive) matches a run of
 * consecutive characters of the UTF-8 text: each query letter matches one
 * hanzi having a reading with that initial, and ASCII letters and digits in
 * text match themselves.  Punctuation and spaces in text are skipped inside a
 * run; a hanzi missing from the table ends it.  A query with any other
 * character, or an empty one, matches nothing.  t may be NULL: then only the
 * ASCII characters of text can match.
 */
bool pinyin_match_initials(const struct pinyin_table *t, const char *text, const char *query);

/*
 * What a character of a text matches of an initials query, for a matcher
 * that works the classes of a text out once (core/catalogue_search.c):
 * pinyin_char_class is 0 for a character that ends a run (a hanzi missing
 * from the table), PINYIN_CLASS_SKIP for punctuation and spaces (skipped
 * inside a run), else the set of query characters it matches.
 * pinyin_query_class is a query character's class (0: not a letter or
 * digit, which matches nothing), and pinyin_class_matches says whether a
 * text class matches it.  t may be NULL.
 */
#define PINYIN_CLASS_SKIP UINT32_MAX
uint32_t pinyin_char_class(const struct pinyin_table *t, uint32_t cp);
uint32_t pinyin_query_class(char c);
bool pinyin_class_matches(uint32_t text_class, uint32_t query_class);

#endif
