/*
 * srv_json_strict.c - the strict check of a request body (srv_json_strict.h):
 * a recursive descent over RFC 8259's grammar that builds nothing but the
 * unescaped keys of the object it is in.
 */
#include "server/srv_json_strict.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

struct scan {
	const char *s;
	size_t len, i; /* the text and where the scan is */
	int depth, max_depth;
	struct err *e;
};

/* One key of an object: where its unescaped bytes are and where it stood. */
struct key {
	size_t off, len, at;
};

/* The keys of one object, unescaped into text, to find one given twice. */
struct keys {
	struct buf text;
	struct key *k;
	size_t n, cap;
};

static int fail_at(struct scan *sc, size_t at, const char *what)
{
	err_set(sc->e, "%s at byte %zu", what, at);
	return -1;
}

static int fail(struct scan *sc, const char *what)
{
	return fail_at(sc, sc->i, what);
}

/* The byte at the scan, or -1 at the end. */
static int peek(const struct scan *sc)
{
	return sc->i < sc->len ? (unsigned char)sc->s[sc->i] : -1;
}

static void skip_space(struct scan *sc)
{
	int c;

	while ((c = peek(sc)) == ' ' || c == '\t' || c == '\n' || c == '\r')
		sc->i++;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The four hex digits at the scan into *v.  0 or -1. */
static int hex4(struct scan *sc, uint32_t *v)
{
	size_t k;
	int d;

	*v = 0;
	for (k = 0; k < 4; k++) {
		if (sc->i + k >= sc->len || (d = hex_digit(sc->s[sc->i + k])) < 0)
			return fail(sc, "bad \\u escape");
		*v = *v << 4 | (uint32_t)d;
	}
	sc->i += 4;
	return 0;
}

/* The code point of a \u escape whose "\u" (at byte at) was read; a high
 * surrogate must be followed by the escape of a low one.  0 or -1. */
static int unicode_escape(struct scan *sc, size_t at, uint32_t *cp)
{
	uint32_t low;

	if (hex4(sc, cp) < 0)
		return -1;
	if (*cp >= 0xDC00 && *cp <= 0xDFFF)
		return fail_at(sc, at, "lone low surrogate (\\uDC00-\\uDFFF) in a string");
	if (*cp < 0xD800 || *cp > 0xDBFF)
		return 0;
	if (sc->len - sc->i < 2 || sc->s[sc->i] != '\\' || sc->s[sc->i + 1] != 'u')
		return fail_at(sc, at, "lone high surrogate (\\uD800-\\uDBFF) in a string");
	sc->i += 2;
	if (hex4(sc, &low) < 0)
		return -1;
	if (low < 0xDC00 || low > 0xDFFF)
		return fail_at(sc, at, "lone high surrogate (\\uD800-\\uDBFF) in a string");
	*cp = 0x10000 + ((*cp - 0xD800) << 10) + (low - 0xDC00);
	return 0;
}

/* The escape at the scan (its backslash); what it stands for is added to
 * out unless out is NULL.  0 or -1. */
static int escape(struct scan *sc, struct buf *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	size_t at = sc->i++;
	const char *p;
	char utf8[4];
	uint32_t cp;
	int c = peek(sc);

	if (c == 'u') {
		sc->i++;
		if (unicode_escape(sc, at, &cp) < 0)
			return -1;
		if (out != NULL)
			buf_add(out, utf8, utf8_encode(cp, utf8));
		return 0;
	}
	if (c <= 0 || (p = strchr(from, c)) == NULL)
		return fail_at(sc, at, "bad escape in a string");
	if (out != NULL)
		buf_add(out, &to[p - from], 1);
	sc->i++;
	return 0;
}

/* The string at the scan (its opening quote); its unescaped bytes are
 * added to out unless out is NULL.  0 or -1. */
static int string(struct scan *sc, struct buf *out)
{
	size_t start;
	int c;

	sc->i++;
	for (;;) {
		start = sc->i;
		while ((c = peek(sc)) >= 0x20 && c != '"' && c != '\\')
			sc->i++;
		if (out != NULL)
			buf_add(out, sc->s + start, sc->i - start);
		if (c == '"') {
			sc->i++;
			return 0;
		}
		if (c < 0)
			return fail(sc, "unterminated string");
		if (c < 0x20)
			return fail(sc,
			            "raw control character in a string (write it as an escape)");
		if (escape(sc, out) < 0)
			return -1;
	}
}

/* A run of digits at the scan: how many. */
static size_t digits(struct scan *sc)
{
	size_t n = 0;
	int c;

	while ((c = peek(sc)) >= '0' && c <= '9') {
		sc->i++;
		n++;
	}
	return n;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?  0 or -1. */
static int number(struct scan *sc)
{
	size_t at = sc->i;

	if (peek(sc) == '-')
		sc->i++;
	if (peek(sc) == '0')
		sc->i++;
	else if (digits(sc) == 0)
		return fail_at(sc, at, "bad number");
	if (peek(sc) == '.') {
		sc->i++;
		if (digits(sc) == 0)
			return fail_at(sc, at, "bad number");
	}
	if (peek(sc) == 'e' || peek(sc) == 'E') {
		sc->i++;
		if (peek(sc) == '+' || peek(sc) == '-')
			sc->i++;
		if (digits(sc) == 0)
			return fail_at(sc, at, "bad number");
	}
	return 0;
}

static int literal(struct scan *sc, const char *word)
{
	size_t n = strlen(word);

	if (sc->len - sc->i < n || memcmp(sc->s + sc->i, word, n) != 0)
		return fail(sc, "unexpected character");
	sc->i += n;
	return 0;
}

/* Step into the array or object at the scan.  0 or -1 when too deep. */
static int enter(struct scan *sc)
{
	if (++sc->depth > sc->max_depth) {
		err_set(sc->e, "JSON nested deeper than %d at byte %zu", sc->max_depth, sc->i);
		return -1;
	}
	sc->i++;
	return 0;
}

static int value(struct scan *sc);

/* What follows a member or an element: ',' (1), the closing byte (0), or
 * something else (-1). */
static int next_or_close(struct scan *sc, int close)
{
	int c;

	skip_space(sc);
	c = peek(sc);
	if (c == ',' || c == close) {
		sc->i++;
		return c == ',';
	}
	if (c < 0)
		return fail(sc, "unexpected end of JSON");
	return fail(sc, close == ']' ? "expected ',' or ']'" : "expected ',' or '}'");
}

static int array(struct scan *sc)
{
	int rc;

	if (enter(sc) < 0)
		return -1;
	skip_space(sc);
	if (peek(sc) == ']') {
		sc->i++;
		rc = 0;
	} else {
		while ((rc = value(sc)) == 0 && (rc = next_or_close(sc, ']')) == 1)
			;
	}
	sc->depth--;
	return rc;
}

static void keys_free(struct keys *k)
{
	buf_free(&k->text);
	free(k->k);
}

/* The key at the scan, unescaped into k.  0, or -1 when it is not a
 * string or holds a NUL character (json-c would cut it there). */
static int key(struct scan *sc, struct keys *k)
{
	struct key *one;

	if (peek(sc) != '"')
		return fail(sc, peek(sc) < 0 ? "unexpected end of JSON" : "expected a key string");
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 8;
		k->k = xrealloc(k->k, k->cap * sizeof *k->k);
	}
	one = &k->k[k->n];
	one->at = sc->i;
	one->off = k->text.len;
	if (string(sc, &k->text) < 0)
		return -1;
	one->len = k->text.len - one->off;
	if (memchr(k->text.data + one->off, '\0', one->len) != NULL)
		return fail_at(sc, one->at, "NUL character in an object key");
	k->n++;
	return 0;
}

/* A key of the object being checked, for sorting. */
struct key_ref {
	const char *p;
	size_t len, at;
};

static int key_ref_cmp(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	int c = memcmp(x->p, y->p, x->len < y->len ? x->len : y->len);

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* 0 when no key of k is there twice, else -1 naming where the second is. */
static int keys_unique(struct scan *sc, const struct keys *k)
{
	struct key_ref *r;
	size_t i, dup = 0;
	bool found = false;

	if (k->n < 2)
		return 0;
	r = xcalloc(k->n, sizeof *r);
	for (i = 0; i < k->n; i++)
		r[i] = (struct key_ref){k->text.data + k->k[i].off, k->k[i].len, k->k[i].at};
	qsort(r, k->n, sizeof *r, key_ref_cmp);
	for (i = 1; i < k->n; i++)
		if (r[i].len == r[i - 1].len && memcmp(r[i].p, r[i - 1].p, r[i].len) == 0 &&
		    (!found || r[i].at < dup)) {
			dup = r[i].at;
			found = true;
		}
	free(r);
	return found ? fail_at(sc, dup, "duplicate key in an object") : 0;
}

static int members(struct scan *sc, struct keys *k)
{
	int rc;

	skip_space(sc);
	if (peek(sc) == '}') {
		sc->i++;
		return 0;
	}
	do {
		skip_space(sc);
		if (key(sc, k) < 0)
			return -1;
		skip_space(sc);
		if (peek(sc) != ':')
			return fail(sc, "expected ':'");
		sc->i++;
		if (value(sc) < 0)
			return -1;
	} while ((rc = next_or_close(sc, '}')) == 1);
	return rc;
}

static int object(struct scan *sc)
{
	struct keys k;
	int rc;

	if (enter(sc) < 0)
		return -1;
	memset(&k, 0, sizeof k);
	buf_init(&k.text);
	rc = members(sc, &k);
	if (rc == 0)
		rc = keys_unique(sc, &k);
	keys_free(&k);
	sc->depth--;
	return rc;
}

static int value(struct scan *sc)
{
	int c;

	skip_space(sc);
	c = peek(sc);
	switch (c) {
	case '{':
		return object(sc);
	case '[':
		return array(sc);
	case '"':
		return string(sc, NULL);
	case 't':
		return literal(sc, "true");
	case 'f':
		return literal(sc, "false");
	case 'n':
		return literal(sc, "null");
	case -1:
		return fail(sc, "unexpected end of JSON");
	default:
		if (c == '-' || (c >= '0' && c <= '9'))
			return number(sc);
		return fail(sc, c == '\'' ? "single-quoted string" : "unexpected character");
	}
}

int srv_json_strict_check(const char *s, size_t len, int max_depth, struct err *e)
{
	struct scan sc = {s, len, 0, 0, max_depth, e};

	if (value(&sc) < 0)
		return -1;
	skip_space(&sc);
	if (sc.i != len)
		return fail(&sc, "unexpected text after the JSON value");
	return 0;
}
