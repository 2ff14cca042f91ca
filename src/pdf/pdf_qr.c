/* pdf_qr.c - a QR code drawn with cairo (pdf_qr.h). */
#include "pdf/pdf_qr.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

#include "core/i18n.h"

#define QUIET_ZONE 4 /* modules of white around the symbol (ISO/IEC 18004) */

int pdf_qr_draw(cairo_t *cr, const char *text, double x, double y, double size, struct err *e)
{
	QRcode *qr =
	    text && *text ? QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) : NULL;
	double module;
	int row, col, end;

	if (qr == NULL) {
		err_set(e, _("cannot make the QR code (%s)"),
		        text && *text ? strerror(errno) : _("no number"));
		return -1;
	}
	module = size / (qr->width + 2 * QUIET_ZONE);
	cairo_save(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, size, size);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (row = 0; row < qr->width; row++)
		for (col = 0; col < qr->width; col = end) {
			/* a run of dark modules as one rectangle: no seams inside it */
			for (end = col; end < qr->width && (qr->data[row * qr->width + end] & 1);
			     end++)
				;
			if (end == col) {
				end++;
				continue;
			}
			cairo_rectangle(cr, x + (col + QUIET_ZONE) * module,
			                y + (row + QUIET_ZONE) * module, (end - col) * module,
			                module);
		}
	cairo_fill(cr);
	cairo_restore(cr);
	QRcode_free(qr);
	return 0;
}
