/*
 * recover.c - what is damaged in a client database, and a new database with
 * everything that can still be read of it (see recover.h).
 *
 * Reading past damage.  A table is a B-tree keyed by rowid.  A read that
 * has to pass through a damaged page fails (SQLITE_CORRUPT), and a plain
 * "SELECT *" walks the leaves in order: it stops at the first bad one and
 * loses everything after it.  A read that starts at a given rowid, though,
 * descends from the root straight to the leaf that holds it, so it fails
 * only when that path is damaged.  The rows are therefore read in rowid
 * ranges (SELECT rowid, ... WHERE rowid BETWEEN ?1 AND ?2 ORDER BY rowid):
 *
 *  1. Scan from the lowest rowid to the end or to the first failure; the
 *     rows before it are taken, and the damage starts after the last rowid
 *     read (s).
 *  2. Gallop: probe (read one row, whole, starting at) s+1, s+2, s+4, s+8 ...
 *     until a probe reads a row or finds that no row follows; then bisect
 *     between the last failing probe and that one for where reading works
 *     again (r).  A damaged page covers one range of rowids (the rows under
 *     it), so this costs about 2·log2(its width) probes, whatever the rowids.
 *  3. The range s..r-1 is gone over once more, for the rows of sound pages
 *     the gallop may have jumped (one between two damaged pages):
 *     - when an index of the table reads whole (an index has one entry per
 *       row, on pages of its own), each rowid it lists in the range is read
 *       alone: every row not on a damaged page comes back, and the index's
 *       count minus the rows read is exactly the number lost;
 *     - without one, the range is bisected: where a midpoint can be read,
 *       the rows around it are taken both ways up to the damage, and the
 *       two sides left are searched alike with half of the budget each, so
 *       the budget's probes spread evenly over the range.  How many rows
 *       were lost is then not known.
 *  4. Resume the scan at r, and so on to the end.
 *
 * A row is read whole inside sqlite3_step (every column of the result is
 * decoded there), so a damaged overflow page costs only its own row.  A
 * table without rowid is read in one plain scan, up to its first damage.
 *
 * The SQL built here is made of the schema's own table and column names,
 * quoted as identifiers, never of input.
 */
#include "store/recover.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/i18n.h"
#include "db/db.h"
#include "db/sqlitefn.h"
#include "store/store.h"

#define BUSY_MS       10000
#define HUNT_BUDGET   256  /* probes to look for rows inside one skipped range */
#define PROGRESS_ROWS 1000 /* rows between two progress calls */

/* ---- lists of names ------------------------------------------------------ */

struct names {
	char **v;
	size_t n;
};

static void names_add(struct names *l, const char *s)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

static void names_free(struct names *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* SQLite's names compare without case. */
static bool names_has(const struct names *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i], s) == 0)
			return true;
	return false;
}

/* The first column of every row of s (a statement of db_query, given back
 * here), appended to out.  0 or -1. */
static int names_collect(struct db *db, sqlite3_stmt *s, struct names *out, struct err *e)
{
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = db_step(db, s, e)) == 1)
		names_add(out, db_col_text(s, 0));
	db_done(db, s);
	return rc;
}

/* The tables holding rows, in schema order (not SQLite's own, not virtual). */
static int table_names(struct db *db, struct names *out, struct err *e)
{
	return names_collect(db,
	                     db_query(db, e,
	                              "SELECT name FROM sqlite_master WHERE type = 'table'"
	                              " AND rootpage > 0 AND substr(name, 1, 7) <> 'sqlite_'"
	                              " ORDER BY rowid",
	                              ""),
	                     out, e);
}

/* The table's columns, none when there is no such table. */
static int column_names(struct db *db, const char *table, struct names *out, struct err *e)
{
	return names_collect(
	    db, db_query(db, e, "SELECT name FROM pragma_table_info(?1)", "s", table), out, e);
}

/* The table's indexes that hold one entry per row (not partial ones). */
static int index_names(struct db *db, const char *table, struct names *out, struct err *e)
{
	return names_collect(
	    db,
	    db_query(db, e, "SELECT name FROM pragma_index_list(?1) WHERE NOT partial", "s", table),
	    out, e);
}

/* A name for the rowid that no column of either table takes. */
static const char *rowid_name(const struct names *a, const struct names *b)
{
	static const char *const alias[] = {"rowid", "_rowid_"};
	size_t i;

	for (i = 0; i < sizeof alias / sizeof alias[0]; i++)
		if (!names_has(a, alias[i]) && !names_has(b, alias[i]))
			return alias[i];
	return "oid";
}

/* ---- SQL made of the schema's names ------------------------------------- */

static void add_ident(struct buf *b, const char *name)
{
	const char *p;

	buf_add(b, "\"", 1);
	for (p = name; *p; p++) {
		if (*p == '"')
			buf_add(b, "\"", 1);
		buf_add(b, p, 1);
	}
	buf_add(b, "\"", 1);
}

/* "[rowid, ]"a", "b"" */
static void add_columns(struct buf *b, const char *rowid, const struct names *cols)
{
	size_t i;

	if (rowid)
		buf_printf(b, "%s, ", rowid);
	for (i = 0; i < cols->n; i++) {
		if (i > 0)
			buf_adds(b, ", ");
		add_ident(b, cols->v[i]);
	}
}

/* SELECT rowid, cols FROM table WHERE rowid BETWEEN ?1 AND ?2 ORDER BY rowid
 * (order "" or " DESC"); without rowid (NULL) a plain SELECT cols FROM
 * table.  Caller frees. */
static char *select_sql(const char *table, const struct names *cols, const char *rowid,
                        const char *order)
{
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "SELECT ");
	add_columns(&b, rowid, cols);
	buf_adds(&b, " FROM ");
	add_ident(&b, table);
	if (rowid)
		buf_printf(&b, " WHERE %s BETWEEN ?1 AND ?2 ORDER BY %s%s", rowid, rowid, order);
	return buf_take(&b);
}

/* INSERT INTO table ([rowid, ]cols) VALUES (?1, ...).  Caller frees. */
static char *insert_sql(const char *table, const struct names *cols, const char *rowid)
{
	size_t i, n = cols->n + (rowid ? 1 : 0);
	struct buf b;

	buf_init(&b);
	buf_adds(&b, "INSERT INTO ");
	add_ident(&b, table);
	buf_adds(&b, " (");
	add_columns(&b, rowid, cols);
	buf_adds(&b, ") VALUES (");
	for (i = 1; i <= n; i++)
		buf_printf(&b, i > 1 ? ", ?%zu" : "?%zu", i);
	buf_adds(&b, ")");
	return buf_take(&b);
}

/* ---- reading one table past its damaged pages (see the top) ------------- */

/* One table of the source read into the same table of the new database
 * (ins), or only counted (ins NULL). */
struct rowscan {
	struct db *src;
	sqlite3_stmt *up, *down; /* select_sql ascending and descending (by_rowid) */
	bool by_rowid;           /* else up is a plain select and down NULL */
	struct db *dst;
	sqlite3_stmt *ins; /* insert_sql, or NULL */
	const char *table;
	const char *rowid;  /* the rowid's name in the SQL */
	bool indexed;       /* find_index has run */
	sqlite3_stmt *list; /* the rowids an intact index lists (find_index), or NULL */
	struct names *bad;  /* find_index: the indexes that do not read whole, or NULL */
	void (*progress)(const char *table, long long rows, void *arg);
	void *progress_arg;
	struct store_rows rows;
	long long refused;
	struct err *e;
};

enum probe { PROBE_FAILED = -1, PROBE_BAD, PROBE_ROW, PROBE_END };

/* Whether a failed read means damage here, to step over, rather than a
 * failure of the whole run. */
static bool is_damage(const struct err *e)
{
	return e->kind == ERR_CORRUPT || e->kind == ERR_IO;
}

static void bind_range(sqlite3_stmt *s, long long lo, long long hi)
{
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, lo);
	sqlite3_bind_int64(s, 2, hi);
}

/* a + d (d >= 0), at most LLONG_MAX. */
static long long add_sat(long long a, long long d)
{
	return a > LLONG_MAX - d ? LLONG_MAX : a + d;
}

/* hi - lo > 1 without overflow (lo < hi). */
static bool apart(long long lo, long long hi)
{
	return (unsigned long long)hi - (unsigned long long)lo > 1;
}

/* A rowid between lo and hi (lo <= hi), strictly inside when they are apart. */
static long long midpoint(long long lo, long long hi)
{
	return (lo < 0) == (hi < 0) ? lo + (hi - lo) / 2 : (lo + hi) / 2;
}

/* The current row of s, read: counted, and written to the new database (a
 * row the new schema refuses is counted as refused).  0 or -1. */
static int take_row(struct rowscan *rs, sqlite3_stmt *s)
{
	struct err why = {"", ERR_NONE};
	int i, n, rc = 0;

	rs->rows.read++;
	if (rs->progress && rs->rows.read % PROGRESS_ROWS == 0)
		rs->progress(rs->table, rs->rows.read, rs->progress_arg);
	if (rs->ins == NULL)
		return 0;
	n = sqlite3_column_count(s);
	for (i = 0; i < n; i++)
		sqlite3_bind_value(rs->ins, i + 1, sqlite3_column_value(s, i));
	if (db_step(rs->dst, rs->ins, &why) < 0) {
		if ((sqlite3_errcode(db_sqlite(rs->dst)) & 0xFF) == SQLITE_CONSTRAINT)
			rs->refused++;
		else
			rc = -1;
	}
	sqlite3_reset(rs->ins);
	if (rc < 0)
		*rs->e = why;
	return rc;
}

/* Read the first row at or after from, whole, without taking it: PROBE_ROW
 * with *first its rowid, PROBE_END when no row follows, PROBE_BAD when damage
 * is in the way, PROBE_FAILED with rs->e filled. */
static enum probe probe(struct rowscan *rs, long long from, long long *first)
{
	struct err why = {"", ERR_NONE};
	enum probe p = PROBE_FAILED;
	int rc;

	bind_range(rs->up, from, LLONG_MAX);
	rc = db_step(rs->src, rs->up, &why);
	if (rc == 1) {
		*first = sqlite3_column_int64(rs->up, 0);
		p = PROBE_ROW;
	} else if (rc == 0) {
		p = PROBE_END;
	} else if (is_damage(&why)) {
		p = PROBE_BAD;
	} else {
		*rs->e = why;
	}
	sqlite3_reset(rs->up);
	return p;
}

/*
 * Take the rows lo..hi in rowid order, upwards from lo or downwards from hi:
 * 0 when the range is done, 1 at damage with *next the first rowid not read
 * (going on from the last one taken), -1 on failure.
 */
static int scan(struct rowscan *rs, bool down, long long lo, long long hi, long long *next)
{
	struct err why = {"", ERR_NONE};
	sqlite3_stmt *s = down ? rs->down : rs->up;
	long long end = down ? lo : hi;
	int rc;

	*next = down ? hi : lo;
	bind_range(s, lo, hi);
	while ((rc = db_step(rs->src, s, &why)) == 1) {
		long long id = sqlite3_column_int64(s, 0);

		if (take_row(rs, s) < 0) {
			sqlite3_reset(s);
			return -1;
		}
		if (id == end) { /* stepping on could only stumble into the next page */
			rc = 0;
			break;
		}
		*next = down ? id - 1 : id + 1;
	}
	sqlite3_reset(s);
	if (rc == 0)
		return 0;
	if (is_damage(&why))
		return 1;
	*rs->e = why;
	return -1;
}

/* Where reading works again after damage at s (step 2 at the top): 1 with
 * *resume, 0 when nothing after s can be read, -1 on failure. */
static int skip_bad(struct rowscan *rs, long long s, long long *resume)
{
	/* rowids are small positive numbers but for the rarest of tables: from
	 * far below, gallop from 0 rather than through the negative ones */
	long long bad = s < -1 ? -1 : s, good, step = 1, first;
	enum probe p;

	for (;;) {
		if (bad == LLONG_MAX)
			return 0;
		good = add_sat(bad, step);
		if ((p = probe(rs, good, &first)) == PROBE_FAILED)
			return -1;
		if (p != PROBE_BAD)
			break;
		bad = good;
		step = step > LLONG_MAX / 2 ? LLONG_MAX : step * 2;
	}
	while (apart(bad, good)) {
		long long m = midpoint(bad, good);

		if ((p = probe(rs, m, &first)) == PROBE_FAILED)
			return -1;
		if (p == PROBE_BAD)
			bad = m;
		else
			good = m;
	}
	*resume = good;
	return 1;
}

/*
 * Rows inside lo..hi, a range skip_bad jumped (step 3 at the top).  Probe
 * the middle: where it can be read, take the rows around it both ways up to
 * the damage; then search the two sides left the same way, each with half
 * of the budget of probes left, so that the probes spread evenly over the
 * range.  0 or -1.
 */
static int hunt(struct rowscan *rs, long long lo, long long hi, int budget)
{
	long long m, first = 0, below, above;
	bool lower, upper;
	enum probe p;
	int rc = 0;

	if (lo > hi || budget-- <= 0)
		return 0;
	m = midpoint(lo, hi);
	if ((p = probe(rs, m, &first)) == PROBE_FAILED)
		return -1;
	below = m - (m > lo);
	above = m + (m < hi);
	lower = m > lo;
	upper = m < hi;
	if (p != PROBE_BAD && lower) /* the page at m reads: the rows just below it too */
		lower = (rc = scan(rs, true, lo, m - 1, &below)) == 1;
	if (rc >= 0 && p != PROBE_BAD)
		upper =
		    p == PROBE_ROW && first <= hi && (rc = scan(rs, false, first, hi, &above)) == 1;
	if (rc < 0)
		return -1;
	if (lower && hunt(rs, lo, below, budget / 2) < 0)
		return -1;
	return upper ? hunt(rs, above, hi, budget - budget / 2) : 0;
}

/* "SELECT what FROM table INDEXED BY idx WHERE rowid cond": a scan of the
 * index alone (the WHERE keeps SQLite from choosing another tree).  NULL
 * with rs->e filled. */
static sqlite3_stmt *index_query(struct rowscan *rs, const char *idx, const char *what,
                                 const char *cond)
{
	struct buf b;
	sqlite3_stmt *s;

	buf_init(&b);
	buf_printf(&b, "SELECT %s FROM ", what);
	add_ident(&b, rs->table);
	buf_adds(&b, " INDEXED BY ");
	add_ident(&b, idx);
	buf_printf(&b, " WHERE %s %s", rs->rowid, cond);
	s = db_prepare(rs->src, b.data, rs->e);
	buf_free(&b);
	return s;
}

/* Entries of index idx: 1 with *n, 0 when it does not read whole, -1 on
 * failure. */
static int index_count(struct rowscan *rs, const char *idx, long long *n)
{
	struct err why = {"", ERR_NONE};
	sqlite3_stmt *s = index_query(rs, idx, "count(*)", "IS NOT NULL");
	int rc;

	if (s == NULL)
		return -1;
	if ((rc = db_step(rs->src, s, &why)) == 1)
		*n = sqlite3_column_int64(s, 0);
	db_done(rs->src, s);
	if (rc < 0 && !is_damage(&why)) {
		*rs->e = why;
		return -1;
	}
	return rc == 1 ? 1 : 0;
}

/*
 * Once per table: the first of its indexes that reads whole gives the
 * number of its rows (rs->rows.total) and lists their rowids (rs->list);
 * the indexes that do not read whole go to rs->bad when that is set.
 * 0 or -1.
 */
static int find_index(struct rowscan *rs)
{
	struct names idx = {NULL, 0};
	const char *intact = NULL;
	size_t i;
	int rc;

	if (rs->indexed)
		return 0;
	rs->indexed = true;
	rc = index_names(rs->src, rs->table, &idx, rs->e);
	for (i = 0; i < idx.n && rc >= 0 && (rs->bad || intact == NULL); i++) {
		long long n = 0;

		rc = index_count(rs, idx.v[i], &n);
		if (rc == 1 && intact == NULL) {
			intact = idx.v[i];
			rs->rows.total = n;
		} else if (rc == 0 && rs->bad) {
			names_add(rs->bad, idx.v[i]);
		}
	}
	if (rc >= 0 && intact &&
	    (rs->list = index_query(rs, intact, rs->rowid, "BETWEEN ?1 AND ?2")) == NULL)
		rc = -1;
	names_free(&idx);
	return rc < 0 ? -1 : 0;
}

/* Each row the intact index lists in lo..hi, read alone (step 3 at the
 * top).  0 or -1. */
static int read_listed(struct rowscan *rs, long long lo, long long hi)
{
	struct err why = {"", ERR_NONE};
	long long next;
	int rc;

	bind_range(rs->list, lo, hi);
	while ((rc = db_step(rs->src, rs->list, &why)) == 1) {
		long long id = sqlite3_column_int64(rs->list, 0);

		if (scan(rs, false, id, id, &next) < 0) {
			sqlite3_reset(rs->list);
			return -1;
		}
	}
	sqlite3_reset(rs->list);
	if (rc < 0 && !is_damage(&why)) {
		*rs->e = why;
		return -1;
	}
	return 0;
}

/* Every row that can be read, by rowid ranges (the steps at the top). */
static int read_by_rowid(struct rowscan *rs)
{
	long long from = LLONG_MIN, next, resume = LLONG_MAX, hi;
	int rc;

	for (;;) {
		if ((rc = scan(rs, false, from, LLONG_MAX, &next)) <= 0)
			return rc;
		rs->rows.bad_ranges++;
		if (find_index(rs) < 0 || (rc = skip_bad(rs, next, &resume)) < 0)
			return -1;
		hi = rc == 1 ? resume - 1 : LLONG_MAX;
		if ((rs->list ? read_listed(rs, next, hi) : hunt(rs, next, hi, HUNT_BUDGET)) < 0)
			return -1;
		if (rc == 0)
			return 0;
		from = resume;
	}
}

/* A table without rowid: one plain scan, up to its first damage. */
static int read_plain(struct rowscan *rs)
{
	struct err why = {"", ERR_NONE};
	int rc;

	while ((rc = db_step(rs->src, rs->up, &why)) == 1)
		if (take_row(rs, rs->up) < 0)
			return -1;
	if (rc == 0)
		return 0;
	if (!is_damage(&why)) {
		*rs->e = why;
		return -1;
	}
	rs->rows.bad_ranges = 1;
	return 0;
}

/* A statement of select_sql on the source.  NULL with e filled. */
static sqlite3_stmt *prepare_select(struct rowscan *rs, const char *table, const struct names *cols,
                                    const char *rowid, const char *order, struct err *e)
{
	char *sql = select_sql(table, cols, rowid, order);
	sqlite3_stmt *s = db_prepare(rs->src, sql, e);

	free(sql);
	return s;
}

/* The statements of rs for cols of table: the selects by rowid, or a plain
 * one for a table without rowid; the insert when rs->dst is set.  0 or -1. */
static int prepare_scan(struct rowscan *rs, const char *table, const struct names *cols,
                        const char *rowid)
{
	struct err why = {"", ERR_NONE};
	char *sql;

	rs->up = prepare_select(rs, table, cols, rowid, "", &why);
	rs->by_rowid = rs->up != NULL;
	if (rs->by_rowid)
		rs->down = prepare_select(rs, table, cols, rowid, " DESC", rs->e);
	else
		rs->up = prepare_select(rs, table, cols, NULL, "", rs->e);
	if (rs->up == NULL || (rs->by_rowid && rs->down == NULL))
		return -1;
	if (rs->dst == NULL)
		return 0;
	sql = insert_sql(table, cols, rs->by_rowid ? rowid : NULL);
	rs->ins = db_prepare(rs->dst, sql, rs->e);
	free(sql);
	return rs->ins ? 0 : -1;
}

static void settle_rows(struct store_rows *r)
{
	if (r->bad_ranges == 0) {
		if (r->total < 0)
			r->total = r->read;
		r->lost = 0;
	} else {
		r->lost = r->total >= r->read ? r->total - r->read : -1;
	}
}

/*
 * Read cols of table from rs->src, into the same table of rs->dst when that
 * is set.  With bad, every index of the table is tried first, and those
 * that do not read whole are named there.  rs->rows and rs->refused say
 * what came of it.  0 or -1 with rs->e filled.
 */
static int read_table(struct rowscan *rs, const char *table, const struct names *cols,
                      const char *rowid, struct names *bad)
{
	int rc;

	rs->table = table;
	rs->rowid = rowid;
	rs->bad = bad;
	rs->rows.total = -1;
	rc = prepare_scan(rs, table, cols, rowid);
	if (rc == 0 && bad && rs->by_rowid)
		rc = find_index(rs);
	if (rc == 0)
		rc = rs->by_rowid ? read_by_rowid(rs) : read_plain(rs);
	settle_rows(&rs->rows);
	db_done(rs->src, rs->up);
	db_done(rs->src, rs->down);
	db_done(rs->src, rs->list);
	if (rs->ins)
		db_done(rs->dst, rs->ins);
	return rc;
}

/* ---- the damaged file ------------------------------------------------------ */

/* e (db_open's "PATH: what (SQLite's words)") said again for a file SQLite
 * cannot read at all. */
static void not_a_database(const char *path, struct err *e)
{
	char detail[sizeof e->msg];
	size_t n = strlen(path);
	const char *d = e->msg;

	if (strncmp(d, path, n) == 0 && strncmp(d + n, ": ", 2) == 0)
		d += n + 2;
	str_copy(detail, sizeof detail, d);
	err_set_kind(e, ERR_CORRUPT,
	             _("%s is not an SQLite database, or its beginning (header and schema) is "
	               "destroyed: nothing in it can be read (%s)"),
	             path, detail);
}

/* The database at path, read-only, with at least one table, in one read
 * transaction: what is checked or copied is one moment of it, whatever the
 * clerk's tongban writes meanwhile.  NULL with e filled. */
static struct db *open_source(const char *path, struct err *e)
{
	struct db *db = db_open(path, DB_READONLY, BUSY_MS, e);
	long long n = 0;

	if (db == NULL) {
		if (e->kind == ERR_CORRUPT)
			not_a_database(path, e);
		return NULL;
	}
	if (db_exec(db, "BEGIN", e) < 0 ||
	    db_get_int(db, e, &n, "SELECT count(*) FROM sqlite_master", "") < 0) {
		db_close(db);
		return NULL;
	}
	if (n == 0) {
		err_set(e, _("%s is empty, without a single table: not a tongban database"), path);
		db_close(db);
		return NULL;
	}
	return db;
}

/* ---- store_check_db ---------------------------------------------------------- */

/* The lines of one row of integrity_check (SQLite joins its findings with
 * newlines), without its "*** in database main ***" heading. */
static void add_lines(struct names *lines, const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n");
		char *line = xstrndup(text, n);

		if (n > 0 && strncmp(line, "*** in database", 15) != 0)
			names_add(lines, line);
		free(line);
		text += n + (text[n] == '\n');
	}
}

/*
 * PRAGMA integrity_check of the whole file (table NULL) or of one table and
 * its indexes: 1 sound, 0 damaged with SQLite's lines appended to lines (a
 * check that stops on damage adds its error), -1 when it could not run.
 */
static int integrity(struct db *db, const char *table, struct names *lines, struct err *e)
{
	struct err why = {"", ERR_NONE};
	sqlite3_stmt *s =
	    table ? db_query(db, &why, "SELECT * FROM pragma_integrity_check(?1)", "s", table)
	          : db_query(db, &why, "PRAGMA integrity_check", "");
	bool sound = false;
	int rc = -1;

	while (s && (rc = db_step(db, s, &why)) == 1) {
		sound = strcmp(db_col_text(s, 0), "ok") == 0;
		if (!sound)
			add_lines(lines, db_col_text(s, 0));
	}
	db_done(db, s);
	if (rc < 0 && !is_damage(&why)) {
		*e = why;
		return -1;
	}
	if (rc < 0) {
		char *line = xasprintf(_("the check stopped: %s"), why.msg);

		names_add(lines, line);
		free(line);
	}
	return rc == 0 && sound ? 1 : 0;
}

/* The page numbers in one of SQLite's lines ("Page 50: ...", "On tree page
 * 12 cell 3: ... page 40"), added to t's in ascending order, once each. */
static void add_pages(struct store_check_table *t, const char *line)
{
	const char *p;

	for (p = line; (p = strstr(p, "age ")) != NULL; p += 4) {
		long long n;
		int i, j;

		if (p == line || (p[-1] != 'p' && p[-1] != 'P') || !isdigit((unsigned char)p[4]))
			continue;
		n = strtoll(p + 4, NULL, 10);
		for (i = 0; i < t->n_pages && t->pages[i] < n; i++)
			;
		if ((i < t->n_pages && t->pages[i] == n) || t->n_pages == STORE_CHECK_PAGES)
			continue;
		for (j = t->n_pages++; j > i; j--)
			t->pages[j] = t->pages[j - 1];
		t->pages[i] = n;
	}
}

/* What integrity_check's lines for table mean: its pages, the rows that can
 * be read, the indexes that cannot.  0 or -1. */
static int examine_table(struct db *db, const char *table, const struct names *lines,
                         struct store_check_table *t, struct err *e)
{
	struct names cols = {NULL, 0}, bad = {NULL, 0};
	struct rowscan rs;
	size_t i;
	int rc;

	memset(&rs, 0, sizeof rs);
	rs.src = db;
	rs.e = e;
	str_copy(t->name, sizeof t->name, table);
	for (i = 0; i < lines->n; i++)
		add_pages(t, lines->v[i]);
	rc = column_names(db, table, &cols, e);
	if (rc == 0)
		rc = read_table(&rs, table, &cols, rowid_name(&cols, &cols), &bad);
	t->rows = rs.rows;
	t->table_damaged = rs.rows.bad_ranges > 0;
	for (i = 0; i < bad.n && i < STORE_CHECK_INDEXES; i++)
		str_copy(t->bad_indexes[i], sizeof t->bad_indexes[i], bad.v[i]);
	t->n_bad_indexes = (int)i;
	names_free(&cols);
	names_free(&bad);
	return rc;
}

/* Each table checked alone; the damaged ones examined into c->tables. */
static int find_damage(struct db *db, struct store_check_result *c, struct err *e)
{
	struct names tables = {NULL, 0};
	size_t i;
	int rc = table_names(db, &tables, e);

	c->tables = xcalloc(tables.n + 1, sizeof *c->tables);
	for (i = 0; i < tables.n && rc >= 0; i++) {
		struct names lines = {NULL, 0};

		rc = integrity(db, tables.v[i], &lines, e);
		if (rc == 0)
			rc = examine_table(db, tables.v[i], &lines, &c->tables[c->n_tables++], e);
		names_free(&lines);
	}
	names_free(&tables);
	return rc < 0 ? -1 : 0;
}

int store_check_db(const char *path, struct store_check_result *c, struct err *e)
{
	struct names lines = {NULL, 0};
	struct db *db;
	int rc;

	memset(c, 0, sizeof *c);
	if ((db = open_source(path, e)) == NULL)
		return -1;
	rc = integrity(db, NULL, &lines, e);
	if (rc == 0 && find_damage(db, c, e) < 0)
		rc = -1;
	c->sound = rc == 1;
	c->report = lines.v;
	c->n_report = lines.n;
	db_close(db);
	return rc;
}

void store_check_free(struct store_check_result *c)
{
	struct names lines = {c->report, c->n_report};

	names_free(&lines);
	free(c->tables);
	memset(c, 0, sizeof *c);
}

/* ---- store_recover_db --------------------------------------------------------- */

struct copy {
	struct db *src, *dst;
	store_recover_progress progress;
	void *arg;
	struct store_recover_result *r;
	long long rows_before; /* rows read of the tables already copied */
	long long expect;      /* store_recover_step.expect */
};

/* A table's rows read so far, as a step of the whole copy. */
static void copy_progress(const char *table, long long rows, void *arg)
{
	struct copy *c = arg;
	struct store_recover_step s = {table, c->rows_before + rows, c->expect};

	c->progress(&s, c->arg);
}

/* The span of table's rowids in the source, largest - smallest + 1; 0 when
 * it has none or they cannot be read.  Two descents of the table's tree,
 * never a scan.  (Prepared uncached: db_query caches by the SQL's address,
 * for literals.) */
static long long rowid_span(struct db *src, const char *table, const char *rowid)
{
	struct err why = {"", ERR_NONE};
	long long n = 0;
	sqlite3_stmt *s;
	struct buf b;
	char *sql;

	buf_init(&b);
	buf_printf(&b, "SELECT coalesce(max(%s) - min(%s) + 1, 0) FROM ", rowid, rowid);
	add_ident(&b, table);
	sql = buf_take(&b);
	s = db_prepare(src, sql, &why);
	if (s != NULL && db_step(src, s, &why) == 1)
		n = sqlite3_column_int64(s, 0);
	db_done(src, s);
	free(sql);
	return n > 0 ? n : 0;
}

/* The columns of table that both databases have, in the new one's order. */
static int common_columns(struct copy *c, const char *table, struct names *common,
                          const char **rowid, bool *in_source, struct err *e)
{
	struct names to = {NULL, 0}, from = {NULL, 0};
	size_t i;
	int rc = column_names(c->dst, table, &to, e);

	if (rc == 0)
		rc = column_names(c->src, table, &from, e);
	for (i = 0; i < to.n; i++)
		if (names_has(&from, to.v[i]))
			names_add(common, to.v[i]);
	*rowid = rowid_name(&to, &from);
	*in_source = from.n > 0;
	names_free(&to);
	names_free(&from);
	return rc;
}

static int copy_table(struct copy *c, const char *table, struct store_recover_table *t,
                      struct err *e)
{
	struct names cols = {NULL, 0};
	const char *rowid;
	struct rowscan rs;
	int rc;

	str_copy(t->name, sizeof t->name, table);
	if ((rc = common_columns(c, table, &cols, &rowid, &t->in_source, e)) < 0 || cols.n == 0) {
		names_free(&cols);
		return rc;
	}
	memset(&rs, 0, sizeof rs);
	rs.src = c->src;
	rs.dst = c->dst;
	rs.progress = c->progress ? copy_progress : NULL;
	rs.progress_arg = c;
	rs.e = e;
	if (c->progress)
		copy_progress(table, 0, c);
	rc = read_table(&rs, table, &cols, rowid, NULL);
	if (c->progress)
		copy_progress(table, rs.rows.read, c);
	c->rows_before += rs.rows.read;
	t->rows = rs.rows;
	t->refused = rs.refused;
	names_free(&cols);
	return rc;
}

/* AUTOINCREMENT counters as the source had them, so that the number of a
 * row lost at the top of a table is never given again.  When the source's
 * counters cannot be read, they continue after the rows copied. */
static int copy_sequences(struct db *src, struct db *dst, struct err *e)
{
	struct err why = {"", ERR_NONE};
	sqlite3_stmt *s = db_query(src, &why, "SELECT name, seq FROM sqlite_sequence", "");
	int rc = 0;

	while (s && rc == 0 && db_step(src, s, &why) == 1) {
		const char *name = db_col_text(s, 0);
		long long seq = sqlite3_column_int64(s, 1);

		rc = db_run(dst, e,
		            "UPDATE sqlite_sequence SET seq = ?2 WHERE name = ?1 AND seq < ?2",
		            "sl", name, seq);
		if (rc == 0)
			rc = db_run(
			    dst, e,
			    "INSERT INTO sqlite_sequence (name, seq) SELECT ?1, ?2"
			    " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?1)"
			    " AND EXISTS (SELECT 1 FROM sqlite_master"
			    " WHERE type = 'table' AND name = ?1)",
			    "sl", name, seq);
	}
	db_done(src, s);
	return rc;
}

/* The outbox after the copy: nothing is being sent any more, and an entry
 * without its event cannot be sent; then what the copy holds. */
static int settle_outbox(struct db *dst, struct store_recover_result *r, struct err *e)
{
	if (db_run(dst, e, "UPDATE outbox SET state = 'waiting' WHERE state = 'sending'", "") < 0)
		return -1;
	r->requeued = db_changes(dst);
	if (db_run(dst, e, "DELETE FROM outbox WHERE event_uuid NOT IN (SELECT uuid FROM events)",
	           "") < 0)
		return -1;
	r->dropped = db_changes(dst);
	if (db_get_int(dst, e, &r->orphans,
	               "SELECT count(*) FROM events WHERE case_id NOT IN (SELECT id FROM cases)",
	               "") < 0 ||
	    db_get_int(dst, e, &r->cases, "SELECT count(*) FROM cases", "") < 0 ||
	    db_get_int(dst, e, &r->events, "SELECT count(*) FROM events", "") < 0 ||
	    db_get_int(dst, e, &r->notices, "SELECT count(*) FROM notices", "") < 0 ||
	    db_get_int(dst, e, &r->unsent, "SELECT count(*) FROM outbox WHERE state <> 'sent'",
	               "") < 0)
		return -1;
	return 0;
}

/* Tables that triggers keep from others (the outbox's counts): rebuilt by
 * the copy of what they count, never copied. */
/* Tables the new database rebuilds itself: the outbox's counts and the
 * search index (case_text and its shadow tables, filled by the triggers on
 * cases as the cases are copied). */
static bool is_derived(const char *table)
{
	return strcmp(table, "outbox_counts") == 0 || strncmp(table, "case_text", 9) == 0;
}

/* The rows the copy of tables expects (struct copy's expect). */
static int expect_rows(struct copy *c, const struct names *tables, struct err *e)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < tables->n && rc == 0; i++) {
		struct names cols = {NULL, 0};
		const char *rowid;
		bool in_source;

		if (is_derived(tables->v[i]))
			continue;
		rc = common_columns(c, tables->v[i], &cols, &rowid, &in_source, e);
		if (rc == 0 && in_source && cols.n > 0)
			c->expect += rowid_span(c->src, tables->v[i], rowid);
		names_free(&cols);
	}
	return rc;
}

/* Everything of the copy, in one transaction of the new database. */
static int copy_tx(struct db *dst, void *arg, struct err *e)
{
	struct copy *c = arg;
	struct names tables = {NULL, 0};
	size_t i;
	int rc = table_names(dst, &tables, e);

	if (rc == 0 && c->progress)
		rc = expect_rows(c, &tables, e);
	c->r->tables = xcalloc(tables.n + 1, sizeof *c->r->tables);
	for (i = 0; i < tables.n && rc == 0; i++)
		if (!is_derived(tables.v[i]))
			rc = copy_table(c, tables.v[i], &c->r->tables[c->r->n_tables++], e);
	if (rc == 0)
		rc = copy_sequences(c->src, dst, e);
	if (rc == 0)
		rc = settle_outbox(dst, c->r, e);
	names_free(&tables);
	return rc;
}

static const char *const db_suffixes[] = {"", "-wal", "-shm", "-journal"};

/* Refuse a new file's name that is taken (the database or a journal of it). */
static int refuse_existing(const char *dst, struct err *e)
{
	size_t i;

	for (i = 0; i < sizeof db_suffixes / sizeof db_suffixes[0]; i++) {
		char *p = xasprintf("%s%s", dst, db_suffixes[i]);
		bool taken = access(p, F_OK) == 0;

		if (taken)
			err_set(e,
			        _("%s already exists: give the name of a new file (nothing is "
			          "overwritten)"),
			        p);
		free(p);
		if (taken)
			return -1;
	}
	return 0;
}

/* Remove the new database (and its journals) this run made. */
static void remove_db(const char *dst)
{
	size_t i;

	for (i = 0; i < sizeof db_suffixes / sizeof db_suffixes[0]; i++) {
		char *p = xasprintf("%s%s", dst, db_suffixes[i]);

		unlink(p);
		free(p);
	}
}

/* The source's schema version, refused when newer than this build's. */
static int source_version(struct db *src, struct store_recover_result *r, struct err *e)
{
	if ((r->source_version = db_user_version(src, e)) < 0)
		return -1;
	if (r->source_version <= STORE_SCHEMA_VERSION)
		return 0;
	err_set(e,
	        _("the database's schema version %d is newer than this program's (%d): recover it "
	          "with the newer tongban"),
	        r->source_version, STORE_SCHEMA_VERSION);
	return -1;
}

/* The new database with this build's schema (store_open), then the copy. */
static int make_copy(struct copy *c, const char *dst, struct err *e)
{
	struct store *st = store_open(dst, e);

	if (st == NULL)
		return -1;
	store_close(st);
	if ((c->dst = db_open(dst, 0, BUSY_MS, e)) == NULL)
		return -1;
	if (db_exec(c->dst, "PRAGMA foreign_keys=OFF", e) < 0)
		return -1;
	return db_tx(c->dst, copy_tx, c, e);
}

/* Whether not a single row could be read, although there were some. */
static bool nothing_read(const struct store_recover_result *r)
{
	bool damage = false;
	size_t i;

	for (i = 0; i < r->n_tables; i++) {
		if (r->tables[i].rows.read > 0)
			return false;
		damage = damage || r->tables[i].rows.bad_ranges > 0;
	}
	return damage;
}

int store_recover_db(const char *src, const char *dst, store_recover_progress progress, void *arg,
                     struct store_recover_result *r, struct err *e)
{
	struct copy c = {NULL, NULL, progress, arg, r, 0, 0};
	int rc = -1;

	memset(r, 0, sizeof *r);
	if (refuse_existing(dst, e) < 0 || (c.src = open_source(src, e)) == NULL)
		return -1;
	if (source_version(c.src, r, e) < 0) {
		db_close(c.src);
		return -1;
	}
	if (make_copy(&c, dst, e) == 0)
		rc = nothing_read(r) ? 0 : 1;
	db_close(c.dst);
	db_close(c.src);
	if (rc <= 0)
		remove_db(dst);
	return rc;
}

void store_recover_free(struct store_recover_result *r)
{
	free(r->tables);
	memset(r, 0, sizeof *r);
}
