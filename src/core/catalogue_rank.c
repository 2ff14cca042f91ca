/*
 * catalogue_rank.c - search results best first, the same on screen and in
 * `tongban items search`: the exact code, a code prefix, a name prefix,
 * pinyin initials from the start of the name, then anything else that
 * matches; ties keep catalogue order.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/catalogue.h"
#include "core/pinyin.h"

/* How well an item matches a query: lower is better. */
enum rank {
	RANK_CODE,            /* the query is the item's code */
	RANK_CODE_PREFIX,     /* the code starts with it */
	RANK_NAME_PREFIX,     /* the name starts with it */
	RANK_INITIALS_PREFIX, /* its pinyin initials match the start of the name */
	RANK_ELSEWHERE        /* a substring or initials further in */
};

struct hit {
	const struct item *it;
	enum rank rank;
	size_t order; /* position in the catalogue, to keep ties stable */
};

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool code_is(const struct item *it, const char *q)
{
	return strcasecmp(it->code, q) == 0 || strcasecmp(it->impl_code, q) == 0;
}

static bool code_starts(const struct item *it, const char *q)
{
	return strncasecmp(it->code, q, strlen(q)) == 0 ||
	       strncasecmp(it->impl_code, q, strlen(q)) == 0;
}

/* Whether q's initials match the first strlen(q) characters of name. */
static bool initials_at_start(const struct pinyin_table *py, const char *name, const char *q)
{
	size_t want = strlen(q), chars = 0;
	const char *p = name;
	char *head;
	bool match;

	while (*p != '\0' && chars < want) {
		p++;
		while (((unsigned char)*p & 0xC0) == 0x80)
			p++;
		chars++;
	}
	if (chars < want)
		return false;
	head = xstrndup(name, (size_t)(p - name));
	match = pinyin_match_initials(py, head, q);
	free(head);
	return match;
}

static enum rank rank_of(const struct catalogue *c, const struct item *it, const char *q)
{
	if (code_is(it, q))
		return RANK_CODE;
	if (code_starts(it, q))
		return RANK_CODE_PREFIX;
	if (starts_with(it->name, q))
		return RANK_NAME_PREFIX;
	if (initials_at_start(c->pinyin, it->name, q))
		return RANK_INITIALS_PREFIX;
	return RANK_ELSEWHERE;
}

static int hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;

	if (x->rank != y->rank)
		return (int)x->rank - (int)y->rank;
	return x->order < y->order ? -1 : x->order > y->order;
}

size_t catalogue_search_ranked(const struct catalogue *c, const char *q, const struct item **out,
                               size_t max)
{
	const struct item **found;
	struct hit *hits;
	size_t n, i;

	if (c == NULL || c->n_items == 0)
		return 0;
	found = xcalloc(c->n_items, sizeof *found);
	n = catalogue_search(c, q, found, c->n_items);
	if (n > c->n_items)
		n = c->n_items;
	hits = xcalloc(n + 1, sizeof *hits);
	for (i = 0; i < n; i++) {
		hits[i].it = found[i];
		hits[i].order = (size_t)(found[i] - c->items);
		hits[i].rank = rank_of(c, found[i], q);
	}
	qsort(hits, n, sizeof *hits, hit_cmp);
	for (i = 0; i < n && i < max; i++)
		out[i] = hits[i].it;
	free(found);
	free(hits);
	return n;
}
