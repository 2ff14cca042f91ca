/*
 * pdf_notice.h - a printed notice as an A4 PDF.
 *
 * The input is the text tongban keeps for a notice (core/notice.h: lines of
 * at most 80 columns, a Chinese character two).  It is set in a monospaced
 * CJK font (Noto Sans Mono CJK SC, 11 pt: a column is 5.5 pt, a Chinese
 * character exactly two), each word at the column it has in the text, so
 * that the columns of the lists stay aligned whatever a glyph's width.  The
 * heading (the centred lines at the top: the hall's name, the title, a
 * subtitle) is set larger in Noto Serif CJK SC and centred; a QR code of
 * the case number stands at the top right; a notice longer than a page
 * goes on over pages numbered at the foot with the case number.  cairo
 * embeds the subsets of the fonts used, so the file prints the same on
 * any machine and its text can be searched and copied.
 *
 * Why cairo and pango: pango shapes CJK text and finds the font through
 * fontconfig, cairo writes the PDF with the fonts embedded; libqrencode is
 * the standard QR encoder.  They stay out of tongban itself (its first
 * screen loads nothing it does not need): the tongban-pdf program holds
 * them.
 */
#ifndef TB_PDF_PDF_NOTICE_H
#define TB_PDF_PDF_NOTICE_H

#include "core/util.h"

struct pdf_notice {
	const char *text; /* the notice as stored: UTF-8 lines ending in '\n' */
	const char *qr;   /* the case number for the QR code and the page foot; NULL or "": none */
};

/*
 * Write the notice as a PDF at path (through path.tmp.PID and a rename, so
 * that a reader never sees half of it; mode from the umask).  Returns 0, or
 * -1 with a clerk-facing e: the fonts are missing (fonts-noto-cjk), the QR
 * code cannot be made, the file cannot be written.
 */
int pdf_notice_write(const struct pdf_notice *n, const char *path, struct err *e);

#endif
