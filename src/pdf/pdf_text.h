/*
 * pdf_text.h - pango's shaped text into cairo's PDF, each font embedded as
 * a Type 3 font drawn from its own outlines.
 *
 * Why not pango_cairo_show_layout: cairo 1.16 (Debian 12) subsets the
 * subroutines of a CFF font wrongly when a glyph calls one that was already
 * seen, and the PDF then holds a broken glyph.  With Noto Sans CJK, 如
 * prints as a blank (poppler shows nothing, mutool says "broken file"),
 * which no notice may do to an applicant's name.  Here every glyph is drawn
 * from the font's outlines at 1000 units per em into a cairo user font, so
 * cairo's CFF subsetter is never used; the text stays searchable and
 * copyable, each run carrying its UTF-8 through cairo_show_text_glyphs.
 */
#ifndef TB_PDF_PDF_TEXT_H
#define TB_PDF_PDF_TEXT_H

#include <cairo.h>
#include <pango/pangocairo.h>

/* The user fonts made so far, one per font face pango chose. */
struct pdf_text;

struct pdf_text *pdf_text_new(void);
void pdf_text_free(struct pdf_text *t);

/* Draw the text of pl with the top left corner of its layout at (x, y),
 * as pango_cairo_show_layout would.  A character no font has is left out
 * (the notices are checked for that before). */
void pdf_text_show(struct pdf_text *t, cairo_t *cr, PangoLayout *pl, double x, double y);

#endif
