/*
 * printer.h - sending a notice to the hall's printer: as an A4 PDF with a
 * QR code of its case number to a CUPS printer (lp -d), when the settings
 * name one (printer); else its text to the standard input of the
 * configured shell command (print_command, default "lp").  The PDF is made
 * by the tongban-pdf program (src/tongban-pdf.c), so that tongban itself
 * never loads cairo and pango.
 */
#ifndef TB_CORE_PRINTER_H
#define TB_CORE_PRINTER_H

#include "core/util.h"

/*
 * Run cmd with text on its standard input; its standard error is captured,
 * never written over the screen.  Returns 0 when cmd exits 0, else -1 with a
 * clerk-facing reason in e (command not found, its exit status and first
 * error line).  SIGPIPE must be ignored by the caller's process.
 */
int print_text(const char *cmd, const char *text, struct err *e);

/*
 * Lay out text (a notice as stored) as an A4 PDF at path, with a QR code of
 * case_no (NULL or "": none), through tongban-pdf (paths_helper).  Returns
 * 0, or -1 with its reason in e (the program missing, fonts missing, the
 * file not writable).  SIGPIPE must be ignored, as for print_text.
 */
int print_pdf_write(const char *text, const char *case_no, const char *path, struct err *e);

/*
 * Print the PDF at path on the CUPS printer named printer (lp -d; NULL or
 * "": CUPS's default printer).  Returns 0 when CUPS took the job, else -1
 * with a clerk-facing reason in e: CUPS is not installed (no lp), no such
 * printer, no default printer, CUPS is not running, or what lp said.
 */
int print_pdf_lp(const char *printer, const char *path, struct err *e);

/* print_pdf_write into a temporary file, print_pdf_lp, and the file
 * removed.  0 or -1 with e. */
int print_notice_pdf(const char *printer, const char *text, const char *case_no, struct err *e);

struct config;

/* A notice to the printer of the settings c: as a PDF with a QR code of
 * case_no on c->printer when it is set (print_notice_pdf), else its text
 * through c->print_command (print_text).  0 or -1 with e. */
int print_notice(const struct config *c, const char *text, const char *case_no, struct err *e);

#endif
