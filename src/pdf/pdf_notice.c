/* pdf_notice.c - a printed notice as an A4 PDF (pdf_notice.h). */
#include "pdf/pdf_notice.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "pdf/pdf_qr.h"
#include "pdf/pdf_text.h"

#define MM        (72.0 / 25.4)
#define PAGE_W    (210 * MM) /* A4 */
#define PAGE_H    (297 * MM)
#define COLS      80            /* the width notices are rendered at */
#define BODY_PT   11.0          /* a Chinese character is 11 pt wide ... */
#define CELL      (BODY_PT / 2) /* ... and a column half of it */
#define LINE_H    (BODY_PT * 1.5)
#define LEFT      ((PAGE_W - COLS * CELL) / 2) /* 27 mm: the body centred */
#define TOP       (20 * MM)
#define BOTTOM    (20 * MM)
#define QR_SIZE   (22 * MM) /* quiet zone included */
#define QR_GAP    (3 * MM)
#define FOOT_PT   9.0
#define HEADING_N 3 /* heading lines at most: hall, title, subtitle */

#define MONO  "Noto Sans Mono CJK SC"
#define SERIF "Noto Serif CJK SC"

/* The lines of the text, pointing into it. */
struct lines {
	const char **s;
	size_t *len;
	int n;
};

struct page_plan {
	int n_heading;  /* heading lines at the top of the text */
	int body_first; /* the first body line */
	int body_end;   /* after the last body line that is not blank */
	double heading_h;
	int rows_first, rows_next; /* body lines on the first page and on the others */
	int pages;
};

struct doc {
	cairo_t *cr;
	PangoLayout *pl;
	struct pdf_text *tx;
	const char *heading_family;
	const char *qr;
	struct lines lines;
	struct page_plan plan;
};

static void split_lines(const char *text, struct lines *l)
{
	const char *p = text;
	int cap = 0;

	l->s = NULL;
	l->len = NULL;
	l->n = 0;
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (l->n == cap) {
			cap = cap ? cap * 2 : 64;
			l->s = xrealloc(l->s, (size_t)cap * sizeof *l->s);
			l->len = xrealloc(l->len, (size_t)cap * sizeof *l->len);
		}
		l->s[l->n] = p;
		l->len[l->n++] = len;
		p += len + (end != NULL);
	}
}

static bool is_blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ')
			return false;
	return true;
}

/* Point size of heading line i: the hall's name, the title, a subtitle. */
static double heading_pt(int i)
{
	return i == 0 ? 16.0 : i == 1 ? 22.0 : 14.0;
}

static double heading_line_h(int i)
{
	return heading_pt(i) * 1.6;
}

/* The heading: the centred (space-led) lines at the very top, before the
 * first blank one.  A label has none. */
static void plan_pages(const struct lines *l, struct page_plan *pp)
{
	double usable = PAGE_H - TOP - BOTTOM;
	int i;

	memset(pp, 0, sizeof *pp);
	while (pp->n_heading < HEADING_N && pp->n_heading < l->n &&
	       !is_blank(l->s[pp->n_heading], l->len[pp->n_heading]) &&
	       l->s[pp->n_heading][0] == ' ')
		pp->heading_h += heading_line_h(pp->n_heading++);
	pp->body_first = pp->n_heading;
	pp->body_end = l->n;
	while (pp->body_end > pp->body_first &&
	       is_blank(l->s[pp->body_end - 1], l->len[pp->body_end - 1]))
		pp->body_end--;
	pp->rows_first = (int)floor((usable - pp->heading_h) / LINE_H);
	pp->rows_next = (int)floor(usable / LINE_H);
	pp->pages = 1;
	if (pp->body_end - pp->body_first > pp->rows_first) {
		/* more than a page: a line of each page goes to the foot */
		pp->rows_first--;
		pp->rows_next--;
		i = pp->body_end - pp->body_first - pp->rows_first;
		pp->pages += (i + pp->rows_next - 1) / pp->rows_next;
	}
}

static void set_font(struct doc *d, const char *family, double pt, bool bold)
{
	PangoFontDescription *f = pango_font_description_from_string(family);

	pango_font_description_set_absolute_size(f, pt * PANGO_SCALE);
	pango_font_description_set_weight(f, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(d->pl, f);
	pango_font_description_free(f);
}

/* Whether fontconfig has family itself (not a substitute for it). */
static bool has_family(PangoLayout *pl, const char *family)
{
	PangoFontDescription *want = pango_font_description_from_string(family);
	PangoFont *f = pango_context_load_font(pango_layout_get_context(pl), want);
	bool ok = false;

	if (f != NULL) {
		PangoFontDescription *got = pango_font_describe(f);
		const char *name = pango_font_description_get_family(got);

		ok = name != NULL && g_ascii_strcasecmp(name, family) == 0;
		pango_font_description_free(got);
		g_object_unref(f);
	}
	pango_font_description_free(want);
	return ok;
}

/* Width in points of the text now in the layout. */
static double text_width(PangoLayout *pl)
{
	PangoRectangle logical;

	pango_layout_get_extents(pl, NULL, &logical);
	return (double)logical.width / PANGO_SCALE;
}

static void show(struct doc *d, const char *s, size_t len, double x, double y)
{
	pango_layout_set_text(d->pl, s, (int)len);
	pdf_text_show(d->tx, d->cr, d->pl, x, y);
}

/* The heading centred between the margins, clear of the QR code at the
 * right: a line too long for that room is set smaller. */
static void draw_heading(struct doc *d)
{
	double room = PAGE_W - 2 * (LEFT + QR_SIZE + QR_GAP), y = TOP;
	int i;

	for (i = 0; i < d->plan.n_heading; i++) {
		const char *s = d->lines.s[i];
		size_t len = d->lines.len[i];
		double pt = heading_pt(i), w;

		while (len > 0 && *s == ' ')
			s++, len--;
		while (len > 0 && s[len - 1] == ' ')
			len--;
		set_font(d, d->heading_family, pt, i < 2);
		pango_layout_set_text(d->pl, s, (int)len);
		if ((w = text_width(d->pl)) > room) {
			set_font(d, d->heading_family, pt * room / w, i < 2);
			w = room;
		}
		show(d, s, len, (PAGE_W - w) / 2, y);
		y += heading_line_h(i);
	}
}

/* One body line: each word (a run without ASCII spaces) at its column. */
static void draw_body_line(struct doc *d, const char *s, size_t len, double y)
{
	size_t i = 0, start;

	while (i < len) {
		if (s[i] == ' ') {
			i++;
			continue;
		}
		start = i;
		while (i < len && s[i] != ' ')
			i++;
		show(d, s + start, i - start, LEFT + utf8_width_n(s, start) * CELL, y);
	}
}

static void draw_foot(struct doc *d, int page)
{
	char *foot = xasprintf("%s%s第 %d 页，共 %d 页", d->qr ? "编号：" : "", d->qr ? d->qr : "",
	                       page, d->plan.pages);
	size_t len = strlen(foot);

	set_font(d, MONO, FOOT_PT, false);
	pango_layout_set_text(d->pl, foot, (int)len);
	show(d, foot, len, (PAGE_W - text_width(d->pl)) / 2, PAGE_H - BOTTOM + FOOT_PT);
	free(foot);
}

/* Every page: heading and QR code on the first, the body lines, the foot
 * when there is more than one.  0 or -1. */
static int draw_pages(struct doc *d, struct err *e)
{
	int page, line = d->plan.body_first;

	for (page = 1; page <= d->plan.pages; page++) {
		double y = TOP;
		int rows = page == 1 ? d->plan.rows_first : d->plan.rows_next, i;

		if (page == 1) {
			draw_heading(d);
			if (d->qr &&
			    pdf_qr_draw(d->cr, d->qr, PAGE_W - LEFT - QR_SIZE, TOP, QR_SIZE, e) < 0)
				return -1;
			y += d->plan.heading_h;
		}
		set_font(d, MONO, BODY_PT, false);
		for (i = 0; i < rows && line < d->plan.body_end; i++, line++)
			draw_body_line(d, d->lines.s[line], d->lines.len[line], y + i * LINE_H);
		if (d->plan.pages > 1)
			draw_foot(d, page);
		cairo_show_page(d->cr);
	}
	return 0;
}

/* The layout that draws every text, with metrics unhinted: positions are
 * exact points on paper, not a screen's pixels. */
static PangoLayout *new_layout(cairo_t *cr)
{
	PangoLayout *pl = pango_cairo_create_layout(cr);
	cairo_font_options_t *fo = cairo_font_options_create();

	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(pango_layout_get_context(pl), fo);
	pango_layout_context_changed(pl);
	cairo_font_options_destroy(fo);
	return pl;
}

static int cairo_failed(cairo_status_t st, const char *path, struct err *e)
{
	err_set(e, _("cannot write the PDF %s: %s"), path,
	        st == CAIRO_STATUS_WRITE_ERROR ? strerror(errno) : cairo_status_to_string(st));
	return -1;
}

/* The notice into the PDF file at path.  0 or -1. */
static int render(const struct pdf_notice *n, const char *path, struct err *e)
{
	cairo_surface_t *surface = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
	struct doc d = {NULL, NULL, NULL, SERIF, n->qr && *n->qr ? n->qr : NULL, {NULL, NULL, 0},
	                {0}};
	int rc = -1;

	if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
		rc = cairo_failed(cairo_surface_status(surface), path, e);
		cairo_surface_destroy(surface);
		return rc;
	}
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "tongban " TB_VERSION);
	d.cr = cairo_create(surface);
	d.pl = new_layout(d.cr);
	d.tx = pdf_text_new();
	split_lines(n->text, &d.lines);
	plan_pages(&d.lines, &d.plan);
	if (!has_family(d.pl, MONO)) {
		err_set(e,
		        _("the Chinese font %s is missing: install fonts-noto-cjk (apt install "
		          "fonts-noto-cjk)"),
		        MONO);
	} else {
		if (!has_family(d.pl, SERIF))
			d.heading_family = MONO;
		rc = draw_pages(&d, e);
	}
	g_object_unref(d.pl);
	cairo_destroy(d.cr);
	pdf_text_free(d.tx);
	cairo_surface_finish(surface);
	if (rc == 0 && cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
		rc = cairo_failed(cairo_surface_status(surface), path, e);
	cairo_surface_destroy(surface);
	free(d.lines.s);
	free(d.lines.len);
	return rc;
}

int pdf_notice_write(const struct pdf_notice *n, const char *path, struct err *e)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	int rc = render(n, tmp, e);

	if (rc == 0 && rename(tmp, path) != 0) {
		err_set(e, _("cannot write the PDF %s: %s"), path, strerror(errno));
		rc = -1;
	}
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}
