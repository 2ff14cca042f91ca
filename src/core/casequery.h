/*
 * casequery.h - what a clerk types to find a case, taken apart: the words
 * (separated by blanks) all have to match, each in the way that fits it.
 *
 *   2026-11-30, 2026-11, 2026-11-01..2026-11-30 (or ~)
 *                          the application date: a day, a month, a range
 *   3 characters or more   any part of the case number (local or official),
 *                          the ID number (its last 4-6 characters), the
 *                          phone (its last 4 digits), the applicant's name,
 *                          the item's code or name
 *   ASCII letters          the applicant's pinyin initials from the start
 *                          ("zs" finds 张三); 3 letters or more also the
 *                          items whose pinyin initials match
 *   1-2 Chinese characters the beginning of the applicant's name (the
 *                          surname); 2 characters also an item's name
 *   1-2 other characters   any part of the case number, ID or phone
 *
 * The store turns a parsed query into SQL (src/store/search.c); the items
 * come from the catalogue here, since the store does not hold it.
 */
#ifndef TB_CORE_CASEQUERY_H
#define TB_CORE_CASEQUERY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/catalogue.h"
#include "core/date.h"

#define CASEQUERY_MAX_WORDS 8
#define CASEQUERY_MAX_ITEMS 32 /* item codes a word may stand for */

enum casequery_kind {
	CQ_TEXT,    /* >= 3 characters: trigram search of the numbers and names */
	CQ_LETTERS, /* ASCII letters: pinyin initials (and items for >= 3) */
	CQ_SURNAME, /* 1-2 Chinese characters: the name's beginning, or an item */
	CQ_SHORT,   /* 1-2 other characters: part of a number */
};

struct casequery_word {
	enum casequery_kind kind;
	char text[128];                         /* as typed; letters lower-cased */
	const char *items[CASEQUERY_MAX_ITEMS]; /* item codes it may stand for (borrowed
	                                         * from the catalogue) */
	size_t n_items;
};

struct casequery {
	bool dated;              /* a date or range was given */
	struct tb_date from, to; /* the application date's range, inclusive */
	struct casequery_word words[CASEQUERY_MAX_WORDS];
	size_t n_words;
	int newest; /* > 0: words of 1-2 characters alone look only at this many of the
	             * newest cases (search as you type stays fast); 0: every case */
};

/* Whether q has words and all of them are CQ_SHORT (no date either). */
bool casequery_only_short(const struct casequery *q);

/*
 * Parse text into q.  Words past CASEQUERY_MAX_WORDS are ignored, a word is
 * cut at 127 bytes (never inside a character).  Returns 0, or -1 with why
 * (the clerk's language) for a date that is not one ("2026-13-01") or a
 * range that ends before it starts.
 */
int casequery_parse(const char *text, struct casequery *q, char *why, size_t n);

/* Whether q would match every case (nothing but blanks was typed). */
bool casequery_empty(const struct casequery *q);

/* The items each word may stand for, from cat (may be NULL: none). */
void casequery_items(struct casequery *q, const struct catalogue *cat);

#endif
