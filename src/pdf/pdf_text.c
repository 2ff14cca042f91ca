/* pdf_text.c - shaped text into a PDF as Type 3 fonts (pdf_text.h). */
#include "pdf/pdf_text.h"

#include <stdbool.h>
#include <stdlib.h>

#include "core/util.h"

#define UNITS 1000.0 /* the outlines are taken at this many units per em */

struct face_pair {
	cairo_font_face_t *real; /* the face pango chose (a reference is held) */
	cairo_font_face_t *user; /* the user font drawing it */
};

struct pdf_text {
	struct face_pair *v;
	size_t n;
};

static const cairo_user_data_key_t real_key;

/* The real face at UNITS per em, unhinted, with an identity CTM.  Caller
 * destroys. */
static cairo_scaled_font_t *real_scaled(cairo_scaled_font_t *user_sf)
{
	cairo_font_face_t *real =
	    cairo_font_face_get_user_data(cairo_scaled_font_get_font_face(user_sf), &real_key);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_matrix_t size, ctm;
	cairo_scaled_font_t *sf;

	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_matrix_init_scale(&size, UNITS, UNITS);
	cairo_matrix_init_identity(&ctm);
	sf = cairo_scaled_font_create(real, &size, &ctm, fo);
	cairo_font_options_destroy(fo);
	return sf;
}

static cairo_status_t user_init(cairo_scaled_font_t *sf, cairo_t *cr, cairo_font_extents_t *ext)
{
	cairo_scaled_font_t *rs = real_scaled(sf);
	cairo_status_t st = cairo_scaled_font_status(rs);
	cairo_font_extents_t fe;

	(void)cr;
	cairo_scaled_font_extents(rs, &fe);
	ext->ascent = fe.ascent / UNITS;
	ext->descent = fe.descent / UNITS;
	ext->height = fe.height / UNITS;
	ext->max_x_advance = fe.max_x_advance / UNITS;
	ext->max_y_advance = fe.max_y_advance / UNITS;
	cairo_scaled_font_destroy(rs);
	return st;
}

/* path (in UNITS per em) into the space of m (one unit per em). */
static void path_to_em(cairo_path_t *path, const cairo_matrix_t *m)
{
	int i, j;

	for (i = 0; i < path->num_data; i += path->data[i].header.length)
		for (j = 1; j < path->data[i].header.length; j++) {
			double x = path->data[i + j].point.x / UNITS,
			       y = path->data[i + j].point.y / UNITS;

			cairo_matrix_transform_point(m, &x, &y);
			path->data[i + j].point.x = x;
			path->data[i + j].point.y = y;
		}
}

/* Draw glyph into cr, whose matrix maps one em: the outline taken at
 * UNITS per em (so FreeType's 1/64 rounding is 1/64000 em), brought back
 * to one em, and filled in device space. */
static cairo_status_t user_render(cairo_scaled_font_t *sf, unsigned long glyph, cairo_t *cr,
                                  cairo_text_extents_t *ext)
{
	cairo_scaled_font_t *rs = real_scaled(sf);
	cairo_glyph_t g = {glyph, 0, 0};
	cairo_text_extents_t te;
	cairo_path_t *path;
	cairo_matrix_t em;

	cairo_scaled_font_glyph_extents(rs, &g, 1, &te);
	ext->x_bearing = te.x_bearing / UNITS;
	ext->y_bearing = te.y_bearing / UNITS;
	ext->width = te.width / UNITS;
	ext->height = te.height / UNITS;
	ext->x_advance = te.x_advance / UNITS;
	ext->y_advance = te.y_advance / UNITS;
	cairo_get_matrix(cr, &em);
	cairo_identity_matrix(cr);
	cairo_set_scaled_font(cr, rs);
	cairo_new_path(cr);
	cairo_glyph_path(cr, &g, 1);
	path = cairo_copy_path(cr);
	cairo_new_path(cr);
	path_to_em(path, &em);
	cairo_append_path(cr, path);
	cairo_fill(cr);
	cairo_path_destroy(path);
	cairo_set_matrix(cr, &em);
	cairo_scaled_font_destroy(rs);
	return cairo_status(cr);
}

struct pdf_text *pdf_text_new(void)
{
	return xcalloc(1, sizeof(struct pdf_text));
}

void pdf_text_free(struct pdf_text *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		cairo_font_face_destroy(t->v[i].user);
	free(t->v);
	free(t);
}

/* The user font of real, made on first use. */
static cairo_font_face_t *user_face(struct pdf_text *t, cairo_font_face_t *real)
{
	cairo_font_face_t *user;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].real == real)
			return t->v[i].user;
	user = cairo_user_font_face_create();
	cairo_user_font_face_set_init_func(user, user_init);
	cairo_user_font_face_set_render_glyph_func(user, user_render);
	/* the user face holds the real one as long as it lives */
	cairo_font_face_set_user_data(user, &real_key, cairo_font_face_reference(real),
	                              (cairo_destroy_func_t)cairo_font_face_destroy);
	t->v = xrealloc(t->v, (t->n + 1) * sizeof *t->v);
	t->v[t->n].real = real;
	t->v[t->n++].user = user;
	return user;
}

/* The clusters of run (left to right): bytes of its text and the glyphs
 * drawn (kept[i]) for each of pango's clusters.  Returns how many. */
static int run_clusters(const PangoGlyphItem *run, const bool *kept, cairo_text_cluster_t *out)
{
	const PangoGlyphString *gs = run->glyphs;
	int i = 0, n = 0;

	while (i < gs->num_glyphs) {
		int start = gs->log_clusters[i], glyphs = 0, end;

		for (; i < gs->num_glyphs && gs->log_clusters[i] == start; i++)
			glyphs += kept[i];
		end = i < gs->num_glyphs ? gs->log_clusters[i] : run->item->length;
		out[n].num_bytes = end - start;
		out[n].num_glyphs = glyphs;
		if (out[n].num_bytes > 0 || glyphs > 0)
			n++;
	}
	return n;
}

/* One run of glyphs of one font, its origin at x on the baseline. */
static void show_run(struct pdf_text *t, cairo_t *cr, const char *text, const PangoGlyphItem *run,
                     double x, double baseline)
{
	const PangoGlyphString *gs = run->glyphs;
	cairo_scaled_font_t *sf =
	    pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(run->item->analysis.font));
	cairo_glyph_t *glyphs = xcalloc((size_t)gs->num_glyphs + 1, sizeof *glyphs);
	cairo_text_cluster_t *clusters = xcalloc((size_t)gs->num_glyphs + 1, sizeof *clusters);
	bool *kept = xcalloc((size_t)gs->num_glyphs + 1, sizeof *kept);
	cairo_matrix_t size;
	double pos = x;
	int i, n = 0, nc;

	for (i = 0; i < gs->num_glyphs; i++) {
		const PangoGlyphInfo *gi = &gs->glyphs[i];

		kept[i] = gi->glyph != PANGO_GLYPH_EMPTY && !(gi->glyph & PANGO_GLYPH_UNKNOWN_FLAG);
		if (kept[i]) {
			glyphs[n].index = gi->glyph;
			glyphs[n].x = pos + (double)gi->geometry.x_offset / PANGO_SCALE;
			glyphs[n++].y = baseline + (double)gi->geometry.y_offset / PANGO_SCALE;
		}
		pos += (double)gi->geometry.width / PANGO_SCALE;
	}
	nc = run_clusters(run, kept, clusters);
	if (sf != NULL && n > 0) {
		cairo_scaled_font_get_font_matrix(sf, &size);
		cairo_set_font_face(cr, user_face(t, cairo_scaled_font_get_font_face(sf)));
		cairo_set_font_matrix(cr, &size);
		cairo_show_text_glyphs(cr, text + run->item->offset, run->item->length, glyphs, n,
		                       clusters, nc, 0);
	}
	free(kept);
	free(clusters);
	free(glyphs);
}

void pdf_text_show(struct pdf_text *t, cairo_t *cr, PangoLayout *pl, double x, double y)
{
	const char *text = pango_layout_get_text(pl);
	PangoLayoutIter *it = pango_layout_get_iter(pl);

	do {
		PangoGlyphItem *run = pango_layout_iter_get_run_readonly(it);
		PangoRectangle r;

		if (run == NULL)
			continue;
		pango_layout_iter_get_run_extents(it, NULL, &r);
		show_run(t, cr, text, run, x + (double)r.x / PANGO_SCALE,
		         y + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE);
	} while (pango_layout_iter_next_run(it));
	pango_layout_iter_free(it);
}
