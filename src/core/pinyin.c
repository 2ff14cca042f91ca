/*
 * pinyin.c - the hanzi -> pinyin table and the pinyin-initials matcher.
 *
 * The table is a sorted array of code points, each with the bit set of its
 * readings' initial letters (for matching) and an offset into one pool of
 * NUL-terminated reading strings (for display).
 */
#include "core/pinyin.h"

#include <ctype.h>

#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

#define PINYIN_MAX_FILE (8u * 1024 * 1024)

struct pinyin_entry {
	uint32_t cp;
	uint32_t initials; /* bit k set: some reading starts with 'a' + k */
	size_t readings;   /* offset into pool */
};

struct pinyin_table {
	struct pinyin_entry *v;
	size_t n;
	size_t cap;
	struct buf pool;
};

/* One line being parsed: where it is, for error messages. */
struct line {
	const char *s;
	size_t len;
	const char *file;
	size_t no;
};

static bool is_upper_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

/* Parse "U+XXXX" (4 to 6 upper-case hex digits) at the start of l; returns its length or 0. */
static size_t parse_code_point(const struct line *l, uint32_t *cp, struct err *e)
{
	size_t i = 2;

	if (l->len < 2 || l->s[0] != 'U' || l->s[1] != '+') {
		err_set(e, "%s:%zu: line must start with U+XXXX", l->file, l->no);
		return 0;
	}
	*cp = 0;
	while (i < l->len && i < 8 && is_upper_hex(l->s[i])) {
		char c = l->s[i++];

		*cp = *cp * 16 + (uint32_t)(c <= '9' ? c - '0' : c - 'A' + 10);
	}
	if (i < 6 || (i < l->len && is_upper_hex(l->s[i]))) {
		err_set(e, "%s:%zu: code point needs 4 to 6 upper-case hex digits", l->file, l->no);
		return 0;
	}
	if (*cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) {
		err_set(e, "%s:%zu: U+%04X is not a Unicode scalar value", l->file, l->no,
		        (unsigned)*cp);
		return 0;
	}
	return i;
}

/* Check readings "jian" or "xing hang" in s[0..len); fill the initials bit set. */
static bool parse_readings(const struct line *l, const char *s, size_t len, uint32_t *initials,
                           struct err *e)
{
	size_t i;

	*initials = 0;
	if (len == 0) {
		err_set(e, "%s:%zu: no reading after the tab", l->file, l->no);
		return false;
	}
	for (i = 0; i < len; i++) {
		bool word_start = i == 0 || s[i - 1] == ' ';

		if (is_lower(s[i])) {
			if (word_start)
				*initials |= 1u << (s[i] - 'a');
			continue;
		}
		if (s[i] == ' ' && !word_start && i + 1 < len)
			continue;
		err_set(e,
		        "%s:%zu: readings must be lower-case letters a-z separated by one space "
		        "(bad byte 0x%02X at column %zu)",
		        l->file, l->no, (unsigned char)s[i], (size_t)(s - l->s) + i + 1);
		return false;
	}
	return true;
}

static void table_add(struct pinyin_table *t, uint32_t cp, uint32_t initials, const char *r,
                      size_t rlen)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->v = xrealloc(t->v, t->cap * sizeof *t->v);
	}
	t->v[t->n].cp = cp;
	t->v[t->n].initials = initials;
	t->v[t->n].readings = t->pool.len;
	t->n++;
	buf_add(&t->pool, r, rlen);
	buf_add(&t->pool, "", 1);
}

static bool parse_line(struct pinyin_table *t, const struct line *l, struct err *e)
{
	uint32_t cp, initials;
	size_t i = parse_code_point(l, &cp, e);

	if (i == 0)
		return false;
	if (i >= l->len || l->s[i] != '\t') {
		err_set(e, "%s:%zu: expected a tab after U+%04X", l->file, l->no, (unsigned)cp);
		return false;
	}
	i++;
	if (!parse_readings(l, l->s + i, l->len - i, &initials, e))
		return false;
	if (t->n > 0 && cp <= t->v[t->n - 1].cp) {
		err_set(e, "%s:%zu: U+%04X %s; code points must be strictly ascending", l->file,
		        l->no, (unsigned)cp,
		        cp == t->v[t->n - 1].cp ? "listed twice" : "out of order");
		return false;
	}
	table_add(t, cp, initials, l->s + i, l->len - i);
	return true;
}

struct pinyin_table *pinyin_parse(const char *text, size_t len, const char *file, struct err *e)
{
	struct pinyin_table *t = xcalloc(1, sizeof *t);
	struct line l = {.file = file, .no = 0};
	size_t pos = 0;

	buf_init(&t->pool);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;

		l.s = text + pos;
		l.len = end - pos;
		l.no++;
		pos = end + 1;
		if (l.len == 0 || l.s[0] == '#')
			continue;
		if (!parse_line(t, &l, e)) {
			pinyin_free(t);
			return NULL;
		}
	}
	return t;
}

struct pinyin_table *pinyin_load(const char *path, struct err *e)
{
	size_t len;
	char *text = file_read_all(path, &len, PINYIN_MAX_FILE, e);
	struct pinyin_table *t;

	if (text == NULL)
		return NULL;
	t = pinyin_parse(text, len, path, e);
	free(text);
	return t;
}

void pinyin_free(struct pinyin_table *t)
{
	if (t == NULL)
		return;
	free(t->v);
	buf_free(&t->pool);
	free(t);
}

size_t pinyin_size(const struct pinyin_table *t)
{
	return t ? t->n : 0;
}

static const struct pinyin_entry *lookup(const struct pinyin_table *t, uint32_t cp)
{
	size_t lo = 0, hi = t ? t->n : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->v[mid].cp == cp)
			return &t->v[mid];
		if (t->v[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *pinyin_readings_of(const struct pinyin_table *t, uint32_t cp)
{
	const struct pinyin_entry *en = lookup(t, cp);

	return en ? t->pool.data + en->readings : NULL;
}

size_t pinyin_initials_of(const struct pinyin_table *t, uint32_t cp, char out[], size_t n)
{
	const struct pinyin_entry *en = lookup(t, cp);
	size_t k = 0;
	int c;

	if (n == 0)
		return 0;
	for (c = 0; en != NULL && c < 26 && k + 1 < n; c++) {
		if (en->initials & (1u << c))
			out[k++] = (char)('a' + c);
	}
	out[k] = '\0';
	return k;
}

char *pinyin_name_initials(const struct pinyin_table *t, const char *text, char *out, size_t n)
{
	size_t len = strlen(text), i = 0, k = 0;

	while (i < len && k + 1 < n) {
		uint32_t cp;
		const char *r;

		i += utf8_decode(text + i, len - i, &cp);
		if (cp < 0x80 && isalpha((int)cp))
			out[k++] = (char)tolower((int)cp);
		else if (t && (r = pinyin_readings_of(t, cp)) != NULL && r[0])
			out[k++] = r[0];
	}
	if (n > 0)
		out[k] = '\0';
	return out;
}

/*
 * Matching works on classes: a text character's class is the set of query
 * characters it matches, bits 0-25 for the letters a-z (a hanzi: its
 * readings' initials); a digit is PINYIN_CLASS_DIGIT with its value in the
 * low bits and matches only itself.
 */
#define PINYIN_CLASS_DIGIT 0x80000000u

static uint32_t ascii_class(uint32_t c)
{
	if (c >= 'a' && c <= 'z')
		return 1u << (c - 'a');
	if (c >= 'A' && c <= 'Z')
		return 1u << (c - 'A');
	if (c >= '0' && c <= '9')
		return PINYIN_CLASS_DIGIT | (c - '0');
	return 0;
}

static bool is_punctuation(uint32_t cp)
{
	return cp < 0x80 || cp == 0x00B7 || (cp >= 0x2000 && cp <= 0x206F) ||
	       (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

uint32_t pinyin_char_class(const struct pinyin_table *t, uint32_t cp)
{
	const struct pinyin_entry *en;
	uint32_t cls;

	if (cp >= 0xFF01 && cp <= 0xFF5E) /* full-width ASCII: Ａ１ */
		cp -= 0xFEE0;
	cls = ascii_class(cp);
	if (cls)
		return cls;
	en = lookup(t, cp);
	if (en && en->initials)
		return en->initials;
	return is_punctuation(cp) ? PINYIN_CLASS_SKIP : 0;
}

uint32_t pinyin_query_class(char c)
{
	return ascii_class((unsigned char)c);
}

bool pinyin_class_matches(uint32_t text_class, uint32_t query_class)
{
	if (query_class & PINYIN_CLASS_DIGIT)
		return text_class == query_class;
	return (text_class & PINYIN_CLASS_DIGIT) == 0 && (text_class & query_class) != 0;
}

/* Whether the query classes q[0..nq) match the text starting at s. */
static bool match_at(const struct pinyin_table *t, const char *s, size_t len, const uint32_t *q,
                     size_t nq)
{
	size_t i = 0, k = 0;

	while (k < nq && i < len) {
		uint32_t cp, cls;

		i += utf8_decode(s + i, len - i, &cp);
		cls = pinyin_char_class(t, cp);
		if (cls == PINYIN_CLASS_SKIP && k > 0)
			continue;
		if (cls == PINYIN_CLASS_SKIP || !pinyin_class_matches(cls, q[k]))
			return false;
		k++;
	}
	return k == nq;
}

bool pinyin_match_initials(const struct pinyin_table *t, const char *text, const char *query)
{
	size_t nq = strlen(query), len = strlen(text), i, k;
	uint32_t *q;
	bool found = false;

	if (nq == 0)
		return false;
	q = xmalloc(nq * sizeof *q);
	for (k = 0; k < nq; k++) {
		q[k] = pinyin_query_class(query[k]);
		if (q[k] == 0) {
			free(q);
			return false;
		}
	}
	for (i = 0; i < len && !found; i++) {
		if (((unsigned char)text[i] & 0xC0) != 0x80)
			found = match_at(t, text + i, len - i, q, nq);
	}
	free(q);
	return found;
}
