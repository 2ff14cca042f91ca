/* casequery.c - taking apart what the clerk typed to find a case. */
#include "core/casequery.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/util.h"

/* "2026-11-30" or "2026-11" (the first or the last day of the month, as
 * end says).  1 a date, 0 not a date's shape, -1 the shape but no such date. */
static int side(const char *s, size_t len, bool end, struct tb_date *out)
{
	char buf[16];
	int y, m, dim;

	if (len == 10) {
		memcpy(buf, s, len);
		buf[len] = '\0';
		if (!isdigit((unsigned char)buf[0]) || buf[4] != '-' || buf[7] != '-')
			return 0;
		return tb_date_parse(buf, out) == 0 ? 1 : -1;
	}
	if (len != 7 || s[4] != '-')
		return 0;
	for (y = 0; y < 7; y++)
		if (y != 4 && !isdigit((unsigned char)s[y]))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	if ((dim = tb_date_days_in_month(y, m)) == 0 || y < 1900)
		return -1;
	out->y = y;
	out->m = m;
	out->d = end ? dim : 1;
	return 1;
}

/* A date word: 1 (q's range narrowed), 0 not one, -1 with why. */
static int date_word(const char *w, struct casequery *q, char *why, size_t n)
{
	const char *dots = strstr(w, ".."), *tilde = strstr(w, "~");
	const char *sep = dots ? dots : tilde;
	size_t skip = dots ? 2 : 1;
	struct tb_date from, to;
	int a, b;

	if (sep) {
		a = side(w, (size_t)(sep - w), false, &from);
		b = side(sep + skip, strlen(sep + skip), true, &to);
		if (a == 0 || b == 0)
			return 0;
	} else {
		if ((a = side(w, strlen(w), false, &from)) == 0)
			return 0;
		b = side(w, strlen(w), true, &to);
	}
	if (a < 0 || b < 0) {
		snprintf(why, n, _("'%s' is not a valid date"), w);
		return -1;
	}
	if (tb_date_cmp(from, to) > 0) {
		snprintf(why, n, _("the range '%s' ends before it starts"), w);
		return -1;
	}
	if (!q->dated || tb_date_cmp(from, q->from) > 0)
		q->from = from;
	if (!q->dated || tb_date_cmp(to, q->to) < 0)
		q->to = to;
	q->dated = true;
	return 1;
}

static enum casequery_kind kind_of(const char *w)
{
	size_t len = strlen(w), i = 0, chars = 0;
	bool letters = true, han = true;

	while (i < len) {
		uint32_t cp;

		i += utf8_decode(w + i, len - i, &cp);
		chars++;
		if (!(cp < 0x80 && isalpha((int)cp)))
			letters = false;
		if (!(cp >= 0x3400 && cp <= 0x9FFF) && !(cp >= 0x20000 && cp <= 0x3FFFF))
			han = false;
	}
	if (letters)
		return CQ_LETTERS;
	if (chars >= 3)
		return CQ_TEXT;
	return han ? CQ_SURNAME : CQ_SHORT;
}

/* Copy at most n-1 bytes of w (len bytes), never cutting a character. */
static void copy_word(char *dst, size_t n, const char *w, size_t len)
{
	size_t k = 0;

	while (k < len) {
		uint32_t cp;
		size_t step = utf8_decode(w + k, len - k, &cp);

		if (k + step >= n)
			break;
		k += step;
	}
	memcpy(dst, w, k);
	dst[k] = '\0';
}

int casequery_parse(const char *text, struct casequery *q, char *why, size_t n)
{
	const char *p = text ? text : "";

	memset(q, 0, sizeof *q);
	while (*p) {
		const char *start;
		char w[128];
		size_t len;
		int d;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		/* a full-width space (U+3000) separates words as well */
		if (strncmp(p, "\xe3\x80\x80", 3) == 0) {
			p += 3;
			continue;
		}
		if (*p == '\0')
			break;
		start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r' &&
		       strncmp(p, "\xe3\x80\x80", 3) != 0)
			p++;
		len = (size_t)(p - start);
		copy_word(w, sizeof w, start, len);
		if ((d = date_word(w, q, why, n)) < 0)
			return -1;
		if (d > 0 || q->n_words == CASEQUERY_MAX_WORDS)
			continue;
		q->words[q->n_words].kind = kind_of(w);
		if (q->words[q->n_words].kind == CQ_LETTERS) {
			size_t i;

			for (i = 0; w[i]; i++)
				w[i] = (char)tolower((unsigned char)w[i]);
		}
		str_copy(q->words[q->n_words].text, sizeof q->words[0].text, w);
		q->n_words++;
	}
	return 0;
}

bool casequery_only_short(const struct casequery *q)
{
	size_t i;

	if (q->dated || q->n_words == 0)
		return false;
	for (i = 0; i < q->n_words; i++)
		if (q->words[i].kind != CQ_SHORT)
			return false;
	return true;
}

bool casequery_empty(const struct casequery *q)
{
	return !q->dated && q->n_words == 0;
}

void casequery_items(struct casequery *q, const struct catalogue *cat)
{
	const struct item *found[CASEQUERY_MAX_ITEMS];
	size_t i, k, n;

	for (i = 0; i < q->n_words; i++) {
		struct casequery_word *w = &q->words[i];

		w->n_items = 0;
		if (cat == NULL)
			continue;
		if (!(w->kind == CQ_LETTERS && strlen(w->text) >= 3) &&
		    !(w->kind == CQ_SURNAME && utf8_count(w->text) == 2))
			continue;
		n = catalogue_search_ranked(cat, w->text, found, CASEQUERY_MAX_ITEMS);
		for (k = 0; k < n && k < CASEQUERY_MAX_ITEMS; k++)
			w->items[w->n_items++] = found[k]->code;
	}
}
