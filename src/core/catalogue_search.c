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
 *
 * Items of one name (the same item implemented by every county: names are
 * kept once, core/strpool.h) share one entry of the index, and a search
 * matches each name once (a memo per search), then each item's codes.
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

/* A name and sub-name some items have: pinyin_char_class of each of their
 * characters (kept once in the index's pool). */
struct name_chars {
	const char *name, *sub_name;
	const uint32_t *cls;
	uint32_t name_len, len; /* name_len of the name, len with the sub-name */
};

struct catalogue_index {
	struct strpool *pool;
	struct name_chars *names;
	size_t n_names;
	uint32_t *name_of; /* per item: its entry in names */
	/* per item: the first byte of its code and of its implementation code,
	 * ASCII lowercased, so that a key scans two dense arrays and touches an
	 * item only when its code could start with the query (20,000 items are
	 * 30 MB: reading each one's strings is what a keystroke cost) */
	unsigned char *code_first, *impl_first;
	/* every item number, sorted by its code, and again by its implementation
	 * code: catalogue_find in log time (the home queue looks up the item of
	 * every open case) */
	uint32_t *by_code, *by_impl;
};

#define MAX_QUERY 128 /* longer queries are cut */

/* A query, trimmed, as text and as classes to match (0: not a letter or digit). */
struct query {
	char text[MAX_QUERY];
	size_t len;
	uint32_t want[MAX_QUERY];
	bool initials;       /* every character is a letter or digit */
	unsigned char first; /* the first byte, ASCII lowercased (0: empty query) */
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

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* Which names entry items with name and sub_name have: an open-addressing
 * table of entry numbers by the two pointers (equal text is one pointer in
 * a parsed catalogue; a catalogue made otherwise only shares less). */
struct name_table {
	uint32_t *slot; /* entry + 1; 0 empty */
	size_t size;    /* a power of two, more than twice the items */
};

static size_t name_hash(const char *name, const char *sub_name, size_t size)
{
	uint64_t h =
	    ((uint64_t)(uintptr_t)name * 0x9e3779b97f4a7c15u) ^ (uint64_t)(uintptr_t)sub_name;

	return (size_t)((h ^ (h >> 29)) * 0xbf58476d1ce4e5b9u >> 7) & (size - 1);
}

static uint32_t name_entry(struct catalogue_index *x, struct name_table *t, const struct item *it)
{
	size_t j = name_hash(it->name, it->sub_name, t->size);

	for (; t->slot[j]; j = (j + 1) & (t->size - 1)) {
		const struct name_chars *n = &x->names[t->slot[j] - 1];

		if (n->name == it->name && n->sub_name == it->sub_name)
			return t->slot[j] - 1;
	}
	x->names[x->n_names].name = it->name;
	x->names[x->n_names].sub_name = it->sub_name;
	t->slot[j] = (uint32_t)++x->n_names;
	return t->slot[j] - 1;
}

static void add_name(struct catalogue_index *x, const struct pinyin_table *t, struct name_chars *n,
                     uint32_t *cls)
{
	n->name_len = add_classes(t, n->name, cls);
	n->len = n->name_len + add_classes(t, n->sub_name, cls + n->name_len);
	n->cls = strpool_intern(x->pool, cls, n->len * sizeof *cls, sizeof *cls);
}

struct code_ref {
	const char *code;
	uint32_t i;
};

static int code_ref_cmp(const void *a, const void *b)
{
	const struct code_ref *x = a, *y = b;
	int d = strcmp(x->code, y->code);

	return d ? d : (x->i > y->i) - (x->i < y->i);
}

/* Item numbers sorted by their code (impl: their implementation code). */
static uint32_t *sorted_codes(const struct catalogue *c, bool impl)
{
	struct code_ref *r = xmalloc((c->n_items + 1) * sizeof *r);
	uint32_t *out = xmalloc((c->n_items + 1) * sizeof *out);
	size_t i;

	for (i = 0; i < c->n_items; i++) {
		r[i].code = impl ? c->items[i].impl_code : c->items[i].code;
		r[i].i = (uint32_t)i;
	}
	qsort(r, c->n_items, sizeof *r, code_ref_cmp);
	for (i = 0; i < c->n_items; i++)
		out[i] = r[i].i;
	free(r);
	return out;
}

/* The first item (in catalogue order) whose code (impl: implementation
 * code) is code, as its number; or c->n_items. */
static size_t find_sorted(const struct catalogue *c, const uint32_t *by, bool impl,
                          const char *code)
{
	size_t lo = 0, hi = c->n_items;

	while (lo < hi) { /* the first entry not below code */
		size_t mid = lo + (hi - lo) / 2;
		const struct item *it = &c->items[by[mid]];

		if (strcmp(impl ? it->impl_code : it->code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->n_items) {
		const struct item *it = &c->items[by[lo]];

		if (strcmp(impl ? it->impl_code : it->code, code) == 0)
			return by[lo];
	}
	return c->n_items;
}

const struct item *catalogue_index_find(const struct catalogue *c, const char *code)
{
	size_t a, b;

	if (c->index == NULL || c->n_items == 0)
		return NULL;
	a = find_sorted(c, c->index->by_code, false, code);
	b = find_sorted(c, c->index->by_impl, true, code);
	a = a < b ? a : b;
	return a < c->n_items ? &c->items[a] : NULL;
}

/* (Re)build c's index with its pinyin table (NULL: only ASCII matches). */
static void build_index(struct catalogue *c)
{
	struct catalogue_index *x = xcalloc(1, sizeof *x);
	struct name_table t = {NULL, 64};
	size_t i, most = 1;
	uint32_t *cls;

	while (t.size < 2 * c->n_items + 2)
		t.size *= 2;
	t.slot = xcalloc(t.size, sizeof *t.slot);
	x->pool = strpool_new();
	x->names = xmalloc((c->n_items + 1) * sizeof *x->names);
	x->name_of = xmalloc((c->n_items + 1) * sizeof *x->name_of);
	x->code_first = xmalloc(c->n_items + 1);
	x->impl_first = xmalloc(c->n_items + 1);
	for (i = 0; i < c->n_items; i++) {
		size_t before = x->n_names, n;

		x->code_first[i] = (unsigned char)lower(c->items[i].code[0]);
		x->impl_first[i] = (unsigned char)lower(c->items[i].impl_code[0]);
		x->name_of[i] = name_entry(x, &t, &c->items[i]);
		if (x->n_names == before)
			continue;
		n = count_chars(c->items[i].name) + count_chars(c->items[i].sub_name);
		most = n > most ? n : most;
	}
	free(t.slot);
	x->names = xrealloc(x->names, (x->n_names + 1) * sizeof *x->names);
	cls = xmalloc(most * sizeof *cls);
	for (i = 0; i < x->n_names; i++)
		add_name(x, c->pinyin, &x->names[i], cls);
	free(cls);
	x->by_code = sorted_codes(c, false);
	x->by_impl = sorted_codes(c, true);
	strpool_forget(x->pool);
	catalogue_index_free(c->index);
	c->index = x;
}

void catalogue_index_free(struct catalogue_index *x)
{
	if (x == NULL)
		return;
	strpool_free(x->pool);
	free(x->names);
	free(x->name_of);
	free(x->code_first);
	free(x->impl_first);
	free(x->by_code);
	free(x->by_impl);
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
	q->first = (unsigned char)(len > 0 && s[0] >= 'A' && s[0] <= 'Z' ? s[0] + 32 : s[0]);
	for (k = 0; k < len; k++) {
		q->want[k] = pinyin_query_class(q->text[k]);
		q->initials &= q->want[k] != 0;
	}
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

/* Whether code starts with the query (ASCII case ignored), and is it. */
static bool code_prefix(const char *code, const struct query *q, bool *exact)
{
	if (q->len > 0 && lower(code[0]) != lower(q->text[0]))
		return false;
	if (strncasecmp(code, q->text, q->len) != 0)
		return false;
	*exact = code[q->len] == '\0';
	return true;
}

/* How a name matches q: a rank, or N_RANKS for not at all. */
static enum rank name_rank(const struct name_chars *n, const struct query *q)
{
	if (strncmp(n->name, q->text, q->len) == 0)
		return RANK_NAME_PREFIX;
	if (q->initials && initials_at_start(n->cls, n->name_len, q))
		return RANK_INITIALS_PREFIX;
	if (contains_nocase(n->name, q) || contains_nocase(n->sub_name, q) ||
	    (q->initials && initials_anywhere(n->cls, n->len, q)))
		return RANK_ELSEWHERE;
	return N_RANKS;
}

/* Whether item i matches q, and how well (*rank).  The empty query matches
 * every item as a code prefix.  memo[] (one per name, zeroed for q) keeps
 * each name's answer: rank + 1. */
static bool match(const struct catalogue *c, size_t i, const struct query *q, unsigned char *memo,
                  enum rank *rank)
{
	const struct catalogue_index *x = c->index;
	uint32_t u = x->name_of[i];
	bool exact = false, impl_exact = false;
	bool code_hit = (q->len == 0 || x->code_first[i] == q->first) &&
	                code_prefix(c->items[i].code, q, &exact);
	bool impl_hit = (q->len == 0 || x->impl_first[i] == q->first) &&
	                code_prefix(c->items[i].impl_code, q, &impl_exact);

	if (code_hit || impl_hit) {
		*rank =
		    (code_hit && exact) || (impl_hit && impl_exact) ? RANK_CODE : RANK_CODE_PREFIX;
		return true;
	}
	if (memo[u] == 0)
		memo[u] = (unsigned char)(name_rank(&x->names[u], q) + 1);
	*rank = (enum rank)(memo[u] - 1);
	return *rank != N_RANKS;
}

/* A memo for a search of c: one zeroed byte per name, in *buf (kept). */
static unsigned char *memo_for(const struct catalogue *c, unsigned char **buf, size_t *cap)
{
	if (*cap < c->index->n_names + 1) {
		*cap = c->index->n_names + 1;
		*buf = xrealloc(*buf, *cap);
	}
	memset(*buf, 0, c->index->n_names + 1);
	return *buf;
}

size_t catalogue_search(const struct catalogue *c, const char *query, const struct item **out,
                        size_t max)
{
	struct query q;
	size_t i, found = 0, cap = 0;
	unsigned char *buf = NULL, *memo = memo_for(c, &buf, &cap);
	enum rank r;

	query_init(&q, query);
	for (i = 0; i < c->n_items; i++) {
		if (match(c, i, &q, memo, &r)) {
			if (found < max)
				out[found] = &c->items[i];
			found++;
		}
	}
	free(buf);
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
	unsigned char *memo;
	bool narrow;

	if (c == NULL || c->n_items == 0)
		return 0;
	query_init(&q, query);
	memo = memo_for(c, &h->memo, &h->memo_size);
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

		if (!match(c, at, &q, memo, &rk))
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
	free(h->memo);
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
