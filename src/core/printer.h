/*
 * printer.h - sending a notice to the hall's printer: the text goes to the
 * standard input of the configured shell command (default "lp").
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

#endif
