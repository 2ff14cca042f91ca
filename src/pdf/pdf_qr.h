/*
 * pdf_qr.h - a QR code drawn with cairo, as vector squares, so that it
 * stays sharp at any printer's resolution.  The code is made by libqrencode
 * (byte mode, error correction M: a case number of up to 40 characters is
 * a version 2 or 3 symbol that any window scanner reads).
 */
#ifndef TB_PDF_PDF_QR_H
#define TB_PDF_PDF_QR_H

#include <cairo.h>

#include "core/util.h"

/*
 * Draw the QR code of text in the square of side `size` (points) whose top
 * left corner is (x, y), its 4-module quiet zone included, black on white.
 * Returns 0, or -1 with e when text cannot be encoded (empty, too long).
 */
int pdf_qr_draw(cairo_t *cr, const char *text, double x, double y, double size, struct err *e);

#endif
