/*
 * notice.c - template language of the printed notices (tongban-notices(5)).
 *
 * Three passes: parse the template into a flat array of nodes (sections know
 * where their body ends), check every key against the known keys, then
 * expand into raw lines and lay those out (centre, wrap, trim) at the width.
 */
#include "core/notice.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"

#define NOTICE_MAX_DEPTH    16
#define NOTICE_MAX_NAME     64
#define NOTICE_MAX_PAD      999
#define NOTICE_MAX_OUTPUT   (4u << 20)
#define NOTICE_MAX_TEMPLATE (1u << 20)
#define NOTICE_MAX_WIDTH    10000

/* Marks a line to centre in the raw expansion; never survives sanitising. */
#define CENTRE_MARK "\x01"

const char *const notice_keys[] = {
    "hall_name",
    "hall_phone",
    "window",
    "clerk_name",
    "clerk_id",
    "case_no",
    "date",
    "applicant_name",
    "applicant_id",
    "applicant_phone",
    "item_name",
    "item_code",
    "dept",
    "promised_days",
    "due_date",
    "supply_by",
    "note",
    "reason",
    "legal_basis",
    "apply_instead",
    "review_body",
    "materials",
    "materials.name",
    "materials.form",
    "materials.copies",
    "materials.status",
    "missing",
    "missing.name",
    "missing.problem",
    "applied_date",
    "release_method",
    "collector_name",
    "courier",
    "tracking_no",
    "address",
    "commitments",
    "commitments.name",
    "commitments.content",
    "commitments.due_date",
    /* 一件事 (core/bundle.c): the bundle and its parts */
    "bundle_name",
    "parts",
    "parts.name",
    "parts.sub_name",
    "parts.dept",
    "parts.case_no",
    "parts.due_date",
    "decide_authority",
    "decide_region",
    "joint_depts",
    "joint_rule",
    "approved_parts",
    "refused_parts",
    NULL,
};

/* ---- context ---------------------------------------------------------- */

struct kv {
	char *key;
	char *value;
};

struct kvs {
	struct kv *v;
	size_t n, cap;
};

struct notice_list {
	char *name;
	struct kvs *rows;
	size_t nrows, cap;
};

struct notice_ctx {
	struct kvs vals;
	struct notice_list *lists;
	size_t nlists, cap;
};

static void kvs_free(struct kvs *k)
{
	size_t i;

	for (i = 0; i < k->n; i++) {
		free(k->v[i].key);
		free(k->v[i].value);
	}
	free(k->v);
}

static const char *kvs_get(const struct kvs *k, const char *key, size_t keylen)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (strlen(k->v[i].key) == keylen && memcmp(k->v[i].key, key, keylen) == 0)
			return k->v[i].value;
	return NULL;
}

static void kvs_set(struct kvs *k, const char *key, const char *value)
{
	size_t i;

	if (value == NULL)
		value = "";
	for (i = 0; i < k->n; i++) {
		if (strcmp(k->v[i].key, key) == 0) {
			free(k->v[i].value);
			k->v[i].value = xstrdup(value);
			return;
		}
	}
	if (k->n == k->cap) {
		k->cap = k->cap ? k->cap * 2 : 8;
		k->v = xrealloc(k->v, k->cap * sizeof *k->v);
	}
	k->v[k->n].key = xstrdup(key);
	k->v[k->n].value = xstrdup(value);
	k->n++;
}

struct notice_ctx *notice_ctx_new(void)
{
	return xcalloc(1, sizeof(struct notice_ctx));
}

void notice_ctx_free(struct notice_ctx *ctx)
{
	size_t i, r;

	if (ctx == NULL)
		return;
	kvs_free(&ctx->vals);
	for (i = 0; i < ctx->nlists; i++) {
		for (r = 0; r < ctx->lists[i].nrows; r++)
			kvs_free(&ctx->lists[i].rows[r]);
		free(ctx->lists[i].rows);
		free(ctx->lists[i].name);
	}
	free(ctx->lists);
	free(ctx);
}

void notice_set(struct notice_ctx *ctx, const char *key, const char *value)
{
	kvs_set(&ctx->vals, key, value);
}

static const struct notice_list *list_find(const struct notice_ctx *ctx, const char *name,
                                           size_t namelen)
{
	size_t i;

	if (ctx == NULL)
		return NULL;
	for (i = 0; i < ctx->nlists; i++)
		if (strlen(ctx->lists[i].name) == namelen &&
		    memcmp(ctx->lists[i].name, name, namelen) == 0)
			return &ctx->lists[i];
	return NULL;
}

size_t notice_row_add(struct notice_ctx *ctx, const char *list)
{
	struct notice_list *l = (struct notice_list *)list_find(ctx, list, strlen(list));

	if (l == NULL) {
		if (ctx->nlists == ctx->cap) {
			ctx->cap = ctx->cap ? ctx->cap * 2 : 4;
			ctx->lists = xrealloc(ctx->lists, ctx->cap * sizeof *ctx->lists);
		}
		l = &ctx->lists[ctx->nlists++];
		memset(l, 0, sizeof *l);
		l->name = xstrdup(list);
	}
	if (l->nrows == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		l->rows = xrealloc(l->rows, l->cap * sizeof *l->rows);
	}
	memset(&l->rows[l->nrows], 0, sizeof l->rows[0]);
	return l->nrows++;
}

void notice_row_set(struct notice_ctx *ctx, const char *list, size_t row, const char *key,
                    const char *value)
{
	struct notice_list *l = (struct notice_list *)list_find(ctx, list, strlen(list));

	if (l != NULL && row < l->nrows)
		kvs_set(&l->rows[row], key, value);
}

/* ---- parsing ---------------------------------------------------------- */

enum node_type { NODE_TEXT, NODE_VAR, NODE_SECTION, NODE_INVERTED };

struct node {
	enum node_type type;
	const char *s; /* text, or the key's name */
	size_t len;
	int line;
	bool at_line_start; /* text: s begins a template line */
	char align;         /* var: '<', '>', '^', or 0 for no padding */
	int pad;            /* var: columns */
	size_t end;         /* section: index of the first node after its body */
};

struct parser {
	const char *t;
	size_t len;
	const char *file;
	struct err *e;
	struct node *nodes;
	size_t n, cap;
	size_t open[NOTICE_MAX_DEPTH]; /* indices of open sections */
	int depth;
};

static struct node *parser_push(struct parser *p, enum node_type type, const char *s, size_t len,
                                int line)
{
	struct node *nd;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->nodes = xrealloc(p->nodes, p->cap * sizeof *p->nodes);
	}
	nd = &p->nodes[p->n++];
	memset(nd, 0, sizeof *nd);
	nd->type = type;
	nd->s = s;
	nd->len = len;
	nd->line = line;
	return nd;
}

static int count_lines(const char *s, size_t from, size_t to)
{
	int n = 0;

	for (; from < to; from++)
		n += s[from] == '\n';
	return n;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static bool is_name(const char *s, size_t len)
{
	size_t i;

	if (len == 2 && memcmp(s, "@n", 2) == 0)
		return true;
	if (len == 0 || len > NOTICE_MAX_NAME)
		return false;
	for (i = 0; i < len; i++)
		if (!is_name_char(s[i]))
			return false;
	return true;
}

static void trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

/* what: English, N_() */
static int parse_fail(struct parser *p, int line, const char *what, const char *s, size_t len)
{
	err_set(p->e, "%s:%d: %s \"%.*s\"", p->file, line, _(what), (int)(len > 80 ? 80 : len), s);
	return -1;
}

/* "name", "name:N", "name:<N", "name:>N", "name:^N" */
static int parse_var(struct parser *p, const char *s, size_t len, int line)
{
	const char *colon = memchr(s, ':', len);
	size_t namelen = colon ? (size_t)(colon - s) : len;
	struct node *nd;
	const char *f;
	size_t flen;
	int pad = 0;

	if (!is_name(s, namelen))
		return parse_fail(p, line, N_("bad placeholder name"), s, len);
	nd = parser_push(p, NODE_VAR, s, namelen, line);
	if (colon == NULL)
		return 0;
	f = colon + 1;
	flen = len - namelen - 1;
	nd->align = '<';
	if (flen > 0 && (*f == '<' || *f == '>' || *f == '^')) {
		nd->align = *f;
		f++;
		flen--;
	}
	if (flen == 0 || flen > 3)
		return parse_fail(p, line, N_("bad width"), s, len);
	for (; flen > 0; f++, flen--) {
		if (*f < '0' || *f > '9')
			return parse_fail(p, line, N_("bad width"), s, len);
		pad = pad * 10 + (*f - '0');
	}
	if (pad == 0)
		return parse_fail(p, line, N_("bad width"), s, len);
	nd->pad = pad;
	return 0;
}

static int parse_open(struct parser *p, enum node_type type, const char *s, size_t len, int line)
{
	if (!is_name(s, len) || (len == 2 && s[0] == '@'))
		return parse_fail(p, line, N_("bad section name"), s, len);
	if (p->depth == NOTICE_MAX_DEPTH)
		return parse_fail(p, line, N_("sections nested too deep"), s, len);
	p->open[p->depth++] = p->n;
	parser_push(p, type, s, len, line);
	return 0;
}

static int parse_close(struct parser *p, const char *s, size_t len, int line)
{
	struct node *open;

	if (p->depth == 0)
		return parse_fail(p, line, N_("closes no open section"), s, len);
	open = &p->nodes[p->open[p->depth - 1]];
	if (open->len != len || memcmp(open->s, s, len) != 0) {
		err_set(p->e, "%s:%d: %s {{/%.*s}} / {{#%.*s}} (%s %d)", p->file, line,
		        _("mismatched section end"), (int)(len > 80 ? 80 : len), s, (int)open->len,
		        open->s, _("opened at line"), open->line);
		return -1;
	}
	open->end = p->n;
	p->depth--;
	return 0;
}

/* Dispatch one tag's trimmed contents. */
static int parse_tag(struct parser *p, const char *s, size_t len, int line)
{
	const char *name = s + 1;
	size_t namelen = len ? len - 1 : 0;

	if (len > 0 && s[0] != '!')
		trim(&name, &namelen);
	if (len > 0 && s[0] == '!')
		return 0;
	if (len > 0 && s[0] == '#')
		return parse_open(p, NODE_SECTION, name, namelen, line);
	if (len > 0 && s[0] == '^')
		return parse_open(p, NODE_INVERTED, name, namelen, line);
	if (len > 0 && s[0] == '/')
		return parse_close(p, name, namelen, line);
	return parse_var(p, s, len, line);
}

static size_t find2(const char *s, size_t from, size_t len, char c)
{
	for (; from + 1 < len; from++)
		if (s[from] == c && s[from + 1] == c)
			return from;
	return len;
}

static void add_text(struct parser *p, size_t from, size_t to, int line)
{
	struct node *nd;

	if (to <= from)
		return;
	nd = parser_push(p, NODE_TEXT, p->t + from, to - from, line);
	nd->at_line_start = from == 0 || p->t[from - 1] == '\n';
}

/*
 * A section, end or comment tag alone on its line (only blanks around it)
 * leaves no blank line: *before is moved back to the line start and *after
 * past the newline.  Returns whether that applied.
 */
static bool standalone(const char *t, size_t len, size_t *before, size_t *after)
{
	size_t b = *before, a = *after;

	while (b > 0 && (t[b - 1] == ' ' || t[b - 1] == '\t'))
		b--;
	if (b > 0 && t[b - 1] != '\n')
		return false;
	while (a < len && (t[a] == ' ' || t[a] == '\t' || t[a] == '\r'))
		a++;
	if (a < len && t[a] != '\n')
		return false;
	*before = b;
	*after = a < len ? a + 1 : a;
	return true;
}

static int parse(struct parser *p)
{
	size_t pos = 0;
	int line = 1;

	while (pos < p->len) {
		size_t open = find2(p->t, pos, p->len, '{'), close, text_end, next;
		int tag_line;
		const char *s;
		size_t slen;

		if (open == p->len) {
			add_text(p, pos, p->len, line);
			break;
		}
		tag_line = line + count_lines(p->t, pos, open);
		close = find2(p->t, open + 2, p->len, '}');
		if (close == p->len)
			return parse_fail(p, tag_line, N_("unclosed {{"), p->t + open,
			                  p->len - open > 20 ? 20 : p->len - open);
		s = p->t + open + 2;
		slen = close - open - 2;
		if (slen > 0 && s[0] != '!')
			trim(&s, &slen);
		text_end = open;
		next = close + 2;
		if (slen == 0 || s[0] == '\0' || !strchr("!#^/", s[0]) ||
		    !standalone(p->t, p->len, &text_end, &next)) {
			text_end = open;
			next = close + 2;
		}
		add_text(p, pos, text_end, line);
		if (parse_tag(p, s, slen, tag_line) < 0)
			return -1;
		line += count_lines(p->t, pos, next);
		pos = next;
	}
	if (p->depth > 0) {
		struct node *nd = &p->nodes[p->open[p->depth - 1]];

		return parse_fail(p, nd->line, N_("section never closed"), nd->s, nd->len);
	}
	return 0;
}

/* ---- known keys ------------------------------------------------------- */

struct keyset {
	const char *const *table;
	const struct notice_ctx *ctx;
};

/* Is "scope.key" (or "key" when scope is NULL) in the table? */
static bool table_has(const char *const *table, const char *scope, size_t scopelen, const char *key,
                      size_t keylen)
{
	size_t i;

	for (i = 0; table && table[i]; i++) {
		const char *t = table[i];

		if (scope) {
			if (strncmp(t, scope, scopelen) != 0 || t[scopelen] != '.')
				continue;
			t += scopelen + 1;
		} else if (strchr(t, '.')) {
			continue;
		}
		if (strlen(t) == keylen && memcmp(t, key, keylen) == 0)
			return true;
	}
	return false;
}

static bool keyset_top(const struct keyset *ks, const char *k, size_t len)
{
	return table_has(ks->table, NULL, 0, k, len) ||
	       (ks->ctx && kvs_get(&ks->ctx->vals, k, len)) || list_find(ks->ctx, k, len);
}

static bool keyset_row(const struct keyset *ks, const struct node *sec, const char *k, size_t len)
{
	const struct notice_list *l = list_find(ks->ctx, sec->s, sec->len);
	size_t r;

	if (table_has(ks->table, sec->s, sec->len, k, len))
		return true;
	for (r = 0; l && r < l->nrows; r++)
		if (kvs_get(&l->rows[r], k, len))
			return true;
	return false;
}

static bool keyset_known(const struct keyset *ks, const struct node *const *scope, int depth,
                         const struct node *nd)
{
	int i;

	if (nd->len == 2 && memcmp(nd->s, "@n", 2) == 0)
		return depth > 0;
	for (i = depth - 1; i >= 0; i--)
		if (keyset_row(ks, scope[i], nd->s, nd->len))
			return true;
	return keyset_top(ks, nd->s, nd->len);
}

/* Every key and section name used must be known in its scope. */
static int check_keys(const struct node *nodes, size_t n, const struct keyset *ks, const char *file,
                      struct err *e)
{
	const struct node *scope[NOTICE_MAX_DEPTH];
	size_t ends[NOTICE_MAX_DEPTH];
	int depth = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct node *nd = &nodes[i];

		while (depth > 0 && ends[depth - 1] == i)
			depth--;
		if (nd->type == NODE_TEXT)
			continue;
		if (!keyset_known(ks, scope, depth, nd)) {
			err_set(e, "%s:%d: %s \"%.*s\"", file, nd->line, _("unknown key"),
			        (int)nd->len, nd->s);
			return -1;
		}
		if (nd->type != NODE_VAR && depth < NOTICE_MAX_DEPTH) {
			scope[depth] = nd;
			ends[depth++] = nd->end;
		}
	}
	return 0;
}

/* ---- expansion -------------------------------------------------------- */

struct frame {
	const struct notice_list *list;
	size_t row;
};

struct render {
	const struct node *nodes;
	const struct keyset *ks;
	struct frame frames[NOTICE_MAX_DEPTH];
	int depth;
	struct buf out;
};

/*
 * Append s[0..len) as clean UTF-8: malformed bytes become U+FFFD, tabs a
 * space, other control characters are dropped; newlines kept unless flat.
 */
static void add_clean(struct buf *b, const char *s, size_t len, bool flat)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t cp;
		size_t n;

		if (c == '\n' && !flat) {
			buf_add(b, "\n", 1);
			i++;
			continue;
		}
		if (c == '\t' || c == '\n') {
			buf_add(b, " ", 1);
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7F) {
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (cp == 0xFFFD && n == 1 && c >= 0x80)
			buf_adds(b, "\xEF\xBF\xBD");
		else
			buf_add(b, s + i, n);
		i += n;
	}
}

/* Template text; "^^ " at the start of a template line marks it centred. */
static void emit_text(struct render *r, const struct node *nd)
{
	size_t i = 0, start = 0;

	while (i < nd->len) {
		bool line_start = i == 0 ? nd->at_line_start : nd->s[i - 1] == '\n';

		if (line_start && nd->len - i >= 3 && memcmp(nd->s + i, "^^ ", 3) == 0) {
			add_clean(&r->out, nd->s + start, i - start, false);
			buf_add(&r->out, CENTRE_MARK, 1);
			i += 3;
			start = i;
			continue;
		}
		i++;
	}
	add_clean(&r->out, nd->s + start, nd->len - start, false);
}

/* The row value, or the outer value, of a key; NULL when not set. */
static const char *lookup(const struct render *r, const char *k, size_t len)
{
	int i;

	for (i = r->depth - 1; i >= 0; i--) {
		const char *v = kvs_get(&r->frames[i].list->rows[r->frames[i].row], k, len);

		if (v)
			return v;
	}
	return r->ks->ctx ? kvs_get(&r->ks->ctx->vals, k, len) : NULL;
}

/* Bytes of the longest prefix of s (clean UTF-8) at most cols wide; *w its width. */
static size_t fit_prefix(const char *s, size_t len, int cols, int *w)
{
	size_t i = 0;

	*w = 0;
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		int cw = utf8_cp_width(cp);

		if (*w + cw > cols)
			break;
		*w += cw;
		i += n;
	}
	return i;
}

static void add_spaces(struct buf *b, int n)
{
	for (; n > 0; n--)
		buf_add(b, " ", 1);
}

static void emit_padded(struct render *r, const char *v, char align, int pad)
{
	struct buf clean;
	size_t n;
	int w, left;

	buf_init(&clean);
	add_clean(&clean, v, strlen(v), true);
	n = fit_prefix(clean.data ? clean.data : "", clean.len, pad, &w);
	left = align == '>' ? pad - w : align == '^' ? (pad - w) / 2 : 0;
	add_spaces(&r->out, left);
	if (n)
		buf_add(&r->out, clean.data, n);
	add_spaces(&r->out, pad - w - left);
	buf_free(&clean);
}

static void emit_var(struct render *r, const struct node *nd)
{
	char num[24];
	const char *v;

	if (nd->len == 2 && memcmp(nd->s, "@n", 2) == 0) {
		snprintf(num, sizeof num, "%zu", r->depth ? r->frames[r->depth - 1].row + 1 : 0);
		v = num;
	} else {
		v = lookup(r, nd->s, nd->len);
	}
	if (v == NULL)
		v = "";
	if (nd->pad > 0)
		emit_padded(r, v, nd->align, nd->pad);
	else
		add_clean(&r->out, v, strlen(v), false);
}

static int expand(struct render *r, size_t from, size_t to);

/*
 * A section name is, first, a row key of an enclosing row or an outer value
 * (rendered once when not empty), else a list (once per row).
 */
static int expand_section(struct render *r, const struct node *nd, size_t at)
{
	const char *v = lookup(r, nd->s, nd->len);
	const struct notice_list *l = v ? NULL : list_find(r->ks->ctx, nd->s, nd->len);
	bool inverted = nd->type == NODE_INVERTED;
	size_t row;

	if (l == NULL) {
		if ((v && *v) != inverted)
			return expand(r, at + 1, nd->end);
		return 0;
	}
	if (inverted)
		return l->nrows == 0 ? expand(r, at + 1, nd->end) : 0;
	for (row = 0; row < l->nrows; row++) {
		r->frames[r->depth].list = l;
		r->frames[r->depth].row = row;
		r->depth++;
		if (expand(r, at + 1, nd->end) < 0)
			return -1;
		r->depth--;
	}
	return 0;
}

static int expand(struct render *r, size_t from, size_t to)
{
	size_t i = from;

	while (i < to) {
		const struct node *nd = &r->nodes[i];

		if (r->out.len > NOTICE_MAX_OUTPUT)
			return -1;
		if (nd->type == NODE_TEXT) {
			emit_text(r, nd);
			i++;
		} else if (nd->type == NODE_VAR) {
			emit_var(r, nd);
			i++;
		} else {
			if (r->depth == NOTICE_MAX_DEPTH || expand_section(r, nd, i) < 0)
				return -1;
			i = nd->end;
		}
	}
	return 0;
}

/* ---- layout ----------------------------------------------------------- */

struct ch {
	size_t off;
	uint32_t cp;
	int n, w;
};

static bool is_word(const struct ch *c)
{
	return c->cp > 0x20 && c->cp < 0x7F;
}

static bool is_closing(uint32_t cp)
{
	static const uint32_t set[] = {0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01,
	                               0xFF09, 0x300B, 0x300D, 0x300F, 0x3009, 0x3011, 0x201D,
	                               0x2019, 0x2026, 0xFF05, ',',    '.',    ';',    ':',
	                               '!',    '?',    ')',    ']',    '}',    '%'};
	size_t i;

	for (i = 0; i < sizeof set / sizeof set[0]; i++)
		if (set[i] == cp)
			return true;
	return false;
}

static bool is_opening(uint32_t cp)
{
	return cp == 0xFF08 || cp == 0x300A || cp == 0x300C || cp == 0x300E || cp == 0x3008 ||
	       cp == 0x3010 || cp == 0x201C || cp == 0x2018 || cp == '(' || cp == '[';
}

static bool has_ink(const struct ch *c, size_t from, size_t to)
{
	for (; from < to; from++)
		if (c[from].cp != ' ')
			return true;
	return false;
}

/*
 * Where to end a line whose characters [start, k) fit and c[k] does not:
 * at a space, before an ASCII word rather than inside it, and so that no
 * line begins with closing punctuation or ends with opening punctuation.
 */
static size_t break_at(const struct ch *c, size_t start, size_t k)
{
	size_t j;

	if (c[k].cp == ' ')
		return k;
	if (is_word(&c[k]) && is_word(&c[k - 1])) {
		for (j = k - 1; j > start && is_word(&c[j - 1]); j--)
			;
		if (j > start && has_ink(c, start, j))
			return j;
	}
	if ((is_closing(c[k].cp) || is_opening(c[k - 1].cp)) && k - 1 > start &&
	    has_ink(c, start, k - 1))
		return k - 1;
	return k;
}

static void add_trimmed_line(struct buf *b, const char *s, size_t len)
{
	while (len > 0 && s[len - 1] == ' ')
		len--;
	buf_add(b, s, len);
	buf_add(b, "\n", 1);
}

static size_t split_chars(const char *s, size_t len, struct ch **out)
{
	struct ch *c = xmalloc((len + 1) * sizeof *c);
	size_t i = 0, n = 0;

	while (i < len) {
		c[n].off = i;
		c[n].n = (int)utf8_decode(s + i, len - i, &c[n].cp);
		c[n].w = utf8_cp_width(c[n].cp);
		i += (size_t)c[n].n;
		n++;
	}
	c[n].off = len;
	*out = c;
	return n;
}

/* Lay one line out in lines of at most width columns; continuations indented. */
static void wrap_line(struct buf *b, const char *s, size_t len, int width, int indent)
{
	struct ch *c;
	size_t n = split_chars(s, len, &c), start = 0;
	bool first = true;

	while (start < n) {
		int col = first ? 0 : indent;
		size_t k = start, brk;
		struct buf line;

		while (k < n && col + c[k].w <= width)
			col += c[k++].w;
		if (k == start)
			k++;
		brk = k < n ? break_at(c, start, k) : n;
		buf_init(&line);
		if (!first)
			add_spaces(&line, indent);
		buf_add(&line, s + c[start].off, c[brk].off - c[start].off);
		add_trimmed_line(b, line.data, line.len);
		buf_free(&line);
		start = brk;
		while (start < n && c[start].cp == ' ')
			start++;
		first = false;
	}
	free(c);
}

/* One raw line: centred when it starts with the mark, else wrapped if too wide. */
static void layout_line(struct buf *b, const char *raw, size_t rawlen, int width)
{
	bool centre = rawlen > 0 && raw[0] == CENTRE_MARK[0];
	struct buf clean;
	const char *s;
	size_t i, len;
	int w, indent = 0;

	buf_init(&clean);
	for (i = 0; i < rawlen; i++)
		if (raw[i] != CENTRE_MARK[0])
			buf_add(&clean, raw + i, 1);
	s = clean.data ? clean.data : "";
	len = clean.len;
	while (centre && len > 0 && *s == ' ') {
		s++;
		len--;
	}
	while (len > 0 && s[len - 1] == ' ')
		len--;
	w = utf8_width_n(s, len);
	if (w <= width) {
		if (centre && len > 0)
			add_spaces(b, (width - w) / 2);
		add_trimmed_line(b, s, len);
	} else {
		while ((size_t)indent < len && s[indent] == ' ')
			indent++;
		wrap_line(b, s, len, width, indent * 2 <= width ? indent : 0);
	}
	buf_free(&clean);
}

static char *layout(const char *raw, size_t len, int width)
{
	struct buf b;
	size_t pos = 0;

	buf_init(&b);
	while (pos < len) {
		const char *nl = memchr(raw + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - raw) : len;

		layout_line(&b, raw + pos, end - pos, width);
		pos = end + 1;
	}
	while (b.len > 0 && b.data[b.len - 1] == '\n' && (b.len == 1 || b.data[b.len - 2] == '\n'))
		b.data[--b.len] = '\0';
	for (pos = 0; pos < b.len && b.data[pos] == '\n'; pos++)
		;
	if (pos > 0) {
		memmove(b.data, b.data + pos, b.len - pos + 1);
		b.len -= pos;
	}
	return buf_take(&b);
}

/* ---- entry points ----------------------------------------------------- */

static int parse_and_check(struct parser *p, const char *tmpl, size_t len, const char *file,
                           const struct keyset *ks, struct err *e)
{
	memset(p, 0, sizeof *p);
	p->t = tmpl;
	p->len = len;
	p->file = file ? file : "-";
	p->e = e;
	if (len > NOTICE_MAX_TEMPLATE) {
		err_set(e, "%s: %s", p->file, _("template too large"));
		return -1;
	}
	if (parse(p) < 0)
		return -1;
	return check_keys(p->nodes, p->n, ks, p->file, e);
}

char *notice_render(const char *tmpl, size_t len, const char *file, const struct notice_ctx *ctx,
                    int width, struct err *e)
{
	struct keyset ks = {notice_keys, ctx};
	struct parser p;
	struct render r;
	char *text;

	if (width <= 0)
		width = 80;
	if (width > NOTICE_MAX_WIDTH)
		width = NOTICE_MAX_WIDTH;
	if (parse_and_check(&p, tmpl, len, file, &ks, e) < 0) {
		free(p.nodes);
		return NULL;
	}
	memset(&r, 0, sizeof r);
	r.nodes = p.nodes;
	r.ks = &ks;
	buf_init(&r.out);
	if (expand(&r, 0, p.n) < 0) {
		err_set(e, "%s: %s", p.file, _("rendered notice too large"));
		buf_free(&r.out);
		free(p.nodes);
		return NULL;
	}
	text = layout(r.out.data ? r.out.data : "", r.out.len, width);
	buf_free(&r.out);
	free(p.nodes);
	return text;
}

char *notice_render_file(const char *path, const struct notice_ctx *ctx, int width, struct err *e)
{
	size_t len;
	char *tmpl = file_read_all(path, &len, NOTICE_MAX_TEMPLATE, e);
	char *text;

	if (tmpl == NULL)
		return NULL;
	text = notice_render(tmpl, len, path, ctx, width, e);
	free(tmpl);
	return text;
}

int notice_check(const char *tmpl, size_t len, const char *file, const char *const *known_keys,
                 struct err *e)
{
	struct keyset ks = {known_keys ? known_keys : notice_keys, NULL};
	struct parser p;
	int rc = parse_and_check(&p, tmpl, len, file, &ks, e);

	free(p.nodes);
	return rc;
}
