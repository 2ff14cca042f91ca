/*
 * search.c (store) - finding cases as the clerk types (core/casequery.h).
 *
 * Every word narrows; the newest cases come first and the search stops at
 * the caller's maximum, so a common word ("2026", one digit) costs no more
 * than a rare one.  Words of 3 characters or more go to the trigram index
 * case_text (schema 8), walked newest first; initials and surnames are
 * ranges of an index; dates are a range of the application date; without a
 * trigram word the newest rowids come from those indexes before any row is
 * read.  Only a word of 1-2 digits scans the table, and the scan stops at
 * the maximum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/casequery.h"
#include "store/search.h"
#include "store/store_int.h"

struct sql {
	char *text;
	size_t len, cap;
	const char *binds[4 * CASEQUERY_MAX_WORDS * (CASEQUERY_MAX_ITEMS + 4) + 8];
	char *owned[4 * CASEQUERY_MAX_WORDS + 8]; /* bound values made here */
	int n_binds, n_owned;
	char newest[16];
};

static void put(struct sql *q, const char *s)
{
	size_t n = strlen(s);

	if (q->len + n + 1 > q->cap) {
		q->cap = (q->len + n + 1) * 2;
		q->text = xrealloc(q->text, q->cap);
	}
	memcpy(q->text + q->len, s, n + 1);
	q->len += n;
}

/* A parameter "?" bound to v (borrowed, or owned when made here). */
static void bind(struct sql *q, const char *v, bool own)
{
	q->binds[q->n_binds++] = v;
	if (own)
		q->owned[q->n_owned++] = (char *)v;
	put(q, "?");
}

/* The word as an FTS5 phrase: in double quotes, quotes doubled. */
static void fts_phrase(struct sql *q, char **match, const char *w)
{
	size_t len = *match ? strlen(*match) : 0, i;
	char *m = xrealloc(*match, len + 2 * strlen(w) + 4);

	(void)q;
	if (len)
		m[len++] = ' ';
	m[len++] = '"';
	for (i = 0; w[i]; i++) {
		if (w[i] == '"')
			m[len++] = '"';
		m[len++] = w[i];
	}
	m[len++] = '"';
	m[len] = '\0';
	*match = m;
}

/* column >= prefix AND column < prefix || x'FF': an index range. */
static void prefix(struct sql *q, const char *column, const char *w)
{
	size_t n = strlen(w);
	char *hi = xmalloc(n + 2);

	memcpy(hi, w, n);
	hi[n] = '\xff';
	hi[n + 1] = '\0';
	put(q, "(");
	put(q, column);
	put(q, " >= ");
	bind(q, w, false);
	put(q, " AND ");
	put(q, column);
	put(q, " < ");
	bind(q, hi, true);
	put(q, ")");
}

static void items(struct sql *q, const struct casequery_word *w)
{
	size_t i;

	if (w->n_items == 0)
		return;
	put(q, " OR item_code IN (");
	for (i = 0; i < w->n_items; i++) {
		if (i)
			put(q, ", ");
		bind(q, w->items[i], false);
	}
	put(q, ")");
}

/* '%w%' with LIKE's own characters escaped. */
static char *like_any(const char *w)
{
	size_t n = strlen(w), i, k = 0;
	char *p = xmalloc(2 * n + 3);

	p[k++] = '%';
	for (i = 0; i < n; i++) {
		if (w[i] == '%' || w[i] == '_' || w[i] == '\\')
			p[k++] = '\\';
		p[k++] = w[i];
	}
	p[k++] = '%';
	p[k] = '\0';
	return p;
}

/* w (escaped for LIKE) is part of one of the columns. */
static void in_columns(struct sql *q, const char *const *columns, size_t n, const char *w)
{
	char *pat = like_any(w);
	size_t i;

	q->owned[q->n_owned++] = pat;
	put(q, "(");
	for (i = 0; i < n; i++) {
		if (i)
			put(q, " OR ");
		put(q, columns[i]);
		put(q, " LIKE ");
		q->binds[q->n_binds++] = pat;
		put(q, "? ESCAPE '\\'");
	}
	put(q, ")");
}

static void short_word(struct sql *q, const char *w)
{
	static const char *const columns[] = {"case_no", "official_no", "id_number", "phone"};

	in_columns(q, columns, sizeof columns / sizeof columns[0], w);
}

/*
 * The part of a number the trigram index looks up, into run: the longest
 * run without a '-' of an ASCII word when it has RUN_MIN characters or more
 * and is not the whole word (the date of "H001-03-T01-20260401-0010", the
 * counter of "H001-2026-000731"); false, the whole word.  The trigrams of
 * the hall's "H001-03-T01-" are in every case and each costs 1-2 ms of the
 * index's time; the few cases the run finds are then checked for the whole
 * word, with LIKE, which folds ASCII letters as the index does.
 */
#define RUN_MIN 6
static bool narrow_run(const char *w, char *run, size_t n)
{
	const char *best = w, *p;
	size_t best_len = 0, len;

	for (p = w; *p; p++)
		if ((unsigned char)*p >= 0x80)
			return false;
	for (p = w; *p; p += len + (p[len] == '-')) {
		len = strcspn(p, "-");
		if (len > best_len) {
			best = p;
			best_len = len;
		}
	}
	if (best_len < RUN_MIN || best_len == strlen(w) || best_len >= n)
		return false;
	memcpy(run, best, best_len);
	run[best_len] = '\0';
	return true;
}

/* The whole word in one of the columns of case_text (a narrowed word). */
static void text_word(struct sql *q, const char *w)
{
	static const char *const columns[] = {"case_no",   "official_no", "applicant_name",
	                                      "id_number", "phone",       "item_code",
	                                      "item_name"};

	in_columns(q, columns, sizeof columns / sizeof columns[0], w);
}

/* The conditions that are not the trigram index's, each after " AND ". */
static void conditions(struct sql *q, const struct casequery *cq, char dates[2][TB_DATE_LEN])
{
	char run[sizeof cq->words[0].text];
	size_t i;

	if (cq->newest > 0 && casequery_only_short(cq)) {
		/* a lone 1-2 character word: the newest cases only (a scan of them) */
		snprintf(q->newest, sizeof q->newest, "%d", cq->newest);
		put(q, " AND rowid > (SELECT max(rowid) FROM cases) - ");
		put(q, q->newest);
	}
	if (cq->dated) {
		tb_date_format(cq->from, dates[0]);
		tb_date_format(cq->to, dates[1]);
		put(q, " AND received_on BETWEEN ");
		bind(q, dates[0], false);
		put(q, " AND ");
		bind(q, dates[1], false);
	}
	for (i = 0; i < cq->n_words; i++) {
		const struct casequery_word *w = &cq->words[i];

		switch (w->kind) {
		case CQ_LETTERS:
			put(q, " AND (");
			prefix(q, "initials", w->text);
			items(q, w);
			put(q, ")");
			break;
		case CQ_SURNAME:
			put(q, " AND (");
			prefix(q, "applicant_name", w->text);
			items(q, w);
			put(q, ")");
			break;
		case CQ_SHORT:
			put(q, " AND ");
			short_word(q, w->text);
			break;
		case CQ_TEXT:
			if (narrow_run(w->text, run, sizeof run)) {
				put(q, " AND ");
				text_word(q, w->text);
			}
			break;
		}
	}
}

static void sql_free(struct sql *q)
{
	int i;

	for (i = 0; i < q->n_owned; i++)
		free(q->owned[i]);
	free(q->text);
}

/* The trigram index walked newest first, each hit's row looked up and
 * checked against the other words until limit rows matched. */
static void select_text(struct sql *q, char *match, const struct casequery *cq,
                        char dates[2][TB_DATE_LEN], const char *limit)
{
	put(q, "SELECT " CASE_COLUMNS " FROM (SELECT rowid AS hit FROM case_text"
	       " WHERE case_text MATCH ");
	bind(q, match, true);
	put(q, " ORDER BY rowid DESC) CROSS JOIN cases ON cases.rowid = hit WHERE 1");
	conditions(q, cq, dates);
	put(q, " ORDER BY hit DESC LIMIT ");
	put(q, limit);
}

/* The newest limit rowids that match first, then only their rows.  An index
 * holds the rowid, so a range of initials, names, items or dates yields them
 * without reading a row.  Sorting every matching row instead took 30-40 ms
 * for a busy item (9,000 of 100,000 cases) against 5 (bench_search). */
static void select_indexed(struct sql *q, const struct casequery *cq, char dates[2][TB_DATE_LEN],
                           const char *limit)
{
	put(q, "SELECT " CASE_COLUMNS " FROM (SELECT rowid AS hit FROM cases WHERE 1");
	conditions(q, cq, dates);
	put(q, " ORDER BY rowid DESC LIMIT ");
	put(q, limit);
	put(q, ") CROSS JOIN cases ON cases.rowid = hit ORDER BY hit DESC");
}

int store_case_search(struct store *st, const struct casequery *cq, int max, case_row_fn fn,
                      void *arg, struct err *e)
{
	struct sql q;
	char dates[2][TB_DATE_LEN], *match = NULL, limit[16], run[sizeof cq->words[0].text];
	sqlite3_stmt *s;
	size_t i;
	int k, rc;

	memset(&q, 0, sizeof q);
	for (i = 0; i < cq->n_words; i++)
		if (cq->words[i].kind == CQ_TEXT)
			fts_phrase(&q, &match,
			           narrow_run(cq->words[i].text, run, sizeof run)
			               ? run
			               : cq->words[i].text);
	snprintf(limit, sizeof limit, "%d", max > 0 ? max : 1);
	if (match)
		select_text(&q, match, cq, dates, limit);
	else
		select_indexed(&q, cq, dates, limit);
	if ((s = db_prepare(st->db, q.text, e)) == NULL) {
		sql_free(&q);
		return -1;
	}
	for (k = 0; k < q.n_binds; k++)
		sqlite3_bind_text(s, k + 1, q.binds[k], -1, SQLITE_TRANSIENT);
	rc = store_case_each(st, s, fn, arg, e);
	sql_free(&q);
	return rc;
}
