/*
 * catalogue_search.c - finding items as the clerk types: a code prefix, a
 * substring of the name or sub-name, or pinyin initials, best first (the
 * exact code, a code prefix, a name prefix, pinyin initials from the start
 * of the name, then anything else that matches; ties keep catalogue order),
 * the same on screen and in `tongban items search`.
 *
 * What each character of an item's name and sub-name matches is worked out
 * once, when the pinyin table is attached (catalogue_set_pinyin), so a
 * keystroke reads no table; the rank is taken in the same pass as the
 * match; and a query that grows by a character searches only the previous
 * query's hits (struct catalogue_hits).  Nothing is allocated per item.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/catalogue.h"
#include "core/pinyin.h"
#include "core/strpool.h"
#include "core/utf8.h"

/* How well an item matches a query: lower is better. */
enum rank {
	RANK_CODE,            /* the query is the item's code */
	RANK_CODE_PREFIX,     /* the code starts with it */
	RANK_NAME_PREFIX,     /* the name starts with it */
	RANK_INITIALS_PREFIX, /* its pinyin initials match the start of the name */
	RANK_ELSEWHERE,       /* a substring or initials further in */
	N_RANKS
};

/* An item's character classes: pinyin_char_class of every character of its
 * name and sub-name, kept once in the index's pool for items of one name. */
struct item_chars {
	const uint32_t *cls;
	uint32_t name_len, len; /* name_len of the name, len with the sub-name */
};

struct catalogue_index {
	struct strpool *pool;
	struct item_chars *items;
};

#define MAX_QUERY 128 /* longer queries are cut */

/* A query, trimmed, as text and as classes to match (0: not a letter or digit). */
struct query {
	char text[MAX_QUERY];
	size_t len;
	uint32_t want[MAX_QUERY];
	bool initials; /* every character is a letter or digit */
};

static size_t count_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static uint32_t add_classes(const struct pinyin_table *t, const char *s, uint32_t *out)
{
	size_t len = strlen(s), i = 0;
	uint32_t n = 0;

	while (i < len) {
		uint32_t cp;

		i += utf8_decode(s + i, len - i, &cp);
		out[n++] = pinyin_char_class(t, cp);
	}
	return n;
}

/* (Re)build c's index with its pinyin table (NULL: only ASCII matches). */
static void build_index(struct catalogue *c)
{
	struct catalogue_index *x = xcalloc(1, sizeof *x);
	size_t i, most = 1;
	uint32_t *cls;

	for (i = 0; i < c->n_items; i++) {
		size_t n = count_chars(c->items[i].name) + count_chars(c->items[i].sub_name);

		most = n > most ? n : most;
	}
	cls = xmalloc(most * sizeof *cls);
	x->pool = strpool_new();
	x->items = xmalloc((c->n_items + 1) * sizeof *x->items);
	for (i = 0; i < c->n_items; i++) {
		struct item_chars *ic = &x->items[i];

		ic->name_len = add_classes(c->pinyin, c->items[i].name, cls);
		ic->len =
		    ic->name_len + add_classes(c->pinyin, c->items[i].sub_name, cls + ic->name_len);
		ic->cls = strpool_intern(x->pool, cls, ic->len * sizeof *cls, sizeof *cls);
	}
	free(cls);
	strpool_forget(x->pool);
	catalogue_index_free(c->index);
	c->index = x;
}

void catalogue_index_free(struct catalogue_index *x)
{
	if (x == NULL)
		return;
	strpool_free(x->pool);
	free(x->items);
	free(x);
}

void catalogue_set_pinyin(struct catalogue *c, struct pinyin_table *t)
{
	if (c->pinyin != t)
		pinyin_free(c->pinyin);
	c->pinyin = t;
	build_index(c);
}

static void query_init(struct query *q, const char *s)
{
	size_t len, k;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= MAX_QUERY)
		len = MAX_QUERY - 1;
	memcpy(q->text, s, len);
	q->text[len] = '\0';
	q->len = len;
	q->initials = len > 0;
	for (k = 0; k < len; k++) {
		q->want[k] = pinyin_query_class(q->text[k]);
		q->initials &= q->want[k] != 0;
	}
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* ASCII-case-insensitive substring; safe on UTF-8 because it is self-synchronising. */
static bool contains_nocase(const char *s, const struct query *q)
{
	char first = lower(q->text[0]);

	for (; *s; s++)
		if (lower(*s) == first && strncasecmp(s, q->text, q->len) == 0)
			return true;
	return false;
}

/* Whether the query's classes match the characters from cls[0] on, skipping
 * punctuation inside the run (pinyin_match_initials' rule). */
static bool run_at(const uint32_t *cls, size_t n, const struct query *q)
{
	size_t i = 0, k = 0;

	while (k < q->len && i < n) {
		uint32_t c = cls[i++];

		if (c == PINYIN_CLASS_SKIP && k > 0)
			continue;
		if (c == PINYIN_CLASS_SKIP || !pinyin_class_matches(c, q->want[k]))
			return false;
		k++;
	}
	return k == q->len;
}

static bool initials_anywhere(const uint32_t *cls, size_t n, const struct query *q)
{
	size_t i;

	for (i = 0; i + q->len <= n; i++)
		if (run_at(cls + i, n - i, q))
			return true;
	return false;
}

/* The first q->len characters of the name each match their query letter. */
static bool initials_at_start(const uint32_t *cls, size_t name_len, const struct query *q)
{
	size_t k;

	if (name_len < q->len)
		return false;
	for (k = 0; k < q->len; k++)
		if (cls[k] == PINYIN_CLASS_SKIP || !pinyin_class_matches(cls[k], q->want[k]))
			return false;
	return true;
}

/* Whether item i matches q, and how well (*rank).  The empty query matches
 * every item as a code prefix. */
static bool match(const struct catalogue *c, size_t i, const struct query *q, enum rank *rank)
{
	const struct item *it = &c->items[i];
	const struct item_chars *ic = &c->index->items[i];
	const uint32_t *cls = ic->cls;

	if (strncasecmp(it->code, q->text, q->len) == 0 ||
	    strncasecmp(it->impl_code, q->text, q->len) == 0) {
		*rank =
		    strcasecmp(it->code, q->text) == 0 || strcasecmp(it->impl_code, q->text) == 0
		        ? RANK_CODE
		        : RANK_CODE_PREFIX;
		return true;
	}
	if (strncmp(it->name, q->text, q->len) == 0) {
		*rank = RANK_NAME_PREFIX;
		return true;
	}
	if (q->initials && initials_at_start(cls, ic->name_len, q)) {
		*rank = RANK_INITIALS_PREFIX;
		return true;
	}
	*rank = RANK_ELSEWHERE;
	return contains_nocase(it->name, q) || contains_nocase(it->sub_name, q) ||
	       (q->initials && initials_anywhere(cls, ic->len, q));
}

size_t catalogue_search(const struct catalogue *c, const char *query, const struct item **out,
                        size_t max)
{
	struct query q;
	size_t i, found = 0;
	enum rank r;

	query_init(&q, query);
	for (i = 0; i < c->n_items; i++) {
		if (match(c, i, &q, &r)) {
			if (found < max)
				out[found] = &c->items[i];
			found++;
		}
	}
	return found;
}

/* Whether the hits of h can be narrowed to q: the same catalogue, and q is
 * h's query grown at its end. */
static bool can_narrow(const struct catalogue_hits *h, const struct catalogue *c,
                       const struct query *q)
{
	size_t n = h->query ? strlen(h->query) : 0;

	return h->cat == c && h->query && n > 0 && n <= q->len && memcmp(h->query, q->text, n) == 0;
}

size_t catalogue_search_hits(const struct catalogue *c, const char *query, struct catalogue_hits *h,
                             const struct item **out, size_t max)
{
	struct query q;
	size_t i, n_in, kept = 0, per[N_RANKS] = {0}, r, done = 0;
	bool narrow;

	if (c == NULL || c->n_items == 0)
		return 0;
	query_init(&q, query);
	narrow = can_narrow(h, c, &q);
	if (!narrow) {
		h->idx = xrealloc(h->idx, c->n_items * sizeof *h->idx);
		h->cat = c;
	}
	if (h->max < max) {
		h->bucket = xrealloc(h->bucket, N_RANKS * max * sizeof *h->bucket);
		h->max = max;
	}
	n_in = narrow ? h->n : c->n_items;
	for (i = 0; i < n_in; i++) {
		size_t at = narrow ? h->idx[i] : i;
		enum rank rk;

		if (!match(c, at, &q, &rk))
			continue;
		h->idx[kept++] = (uint32_t)at;
		if (per[rk] < max)
			h->bucket[rk * h->max + per[rk]] = &c->items[at];
		per[rk]++;
	}
	h->n = kept;
	free(h->query);
	h->query = xstrdup(q.text);
	for (r = 0; r < N_RANKS && done < max; r++)
		for (i = 0; i < per[r] && i < max && done < max; i++)
			out[done++] = h->bucket[r * h->max + i];
	return kept;
}

void catalogue_hits_free(struct catalogue_hits *h)
{
	free(h->idx);
	free(h->bucket);
	free(h->query);
	memset(h, 0, sizeof *h);
}

size_t catalogue_search_ranked(const struct catalogue *c, const char *query,
                               const struct item **out, size_t max)
{
	struct catalogue_hits h = {0};
	size_t n = catalogue_search_hits(c, query, &h, out, max);

	catalogue_hits_free(&h);
	return n;
}
