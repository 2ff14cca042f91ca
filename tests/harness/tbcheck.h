/*
 * tbcheck.h - what the Check test programs share: running a suite, the
 * source tree and binaries given by `make check`, and driving the real
 * tongban TUI in a pseudo-terminal.
 */
#ifndef TB_HARNESS_TBCHECK_H
#define TB_HARNESS_TBCHECK_H

#include <check.h>

#include "term.h"

/* Run every test of s with Check's normal report; the process exit status. */
int tbcheck_run(Suite *s);

/* $NAME when set and not empty, else def. */
const char *tbcheck_env(const char *name, const char *def);

/* The source tree ($TONGBAN_SRCDIR, else ".") joined with sub.  Caller frees. */
char *tbcheck_src_path(const char *sub);

/*
 * Start the real tongban ($TONGBAN_BIN, else build/tongban) in a pty of
 * rows x cols on database db against server_url, with the bundled data,
 * LANG=lang and no forced language.  Fails the test when it cannot start.
 */
struct term *tbcheck_tongban(const char *db, const char *server_url, const char *lang, int rows,
                             int cols);

/* Wait up to 15 s for text on the screen; else fail the test, showing the screen. */
void tbcheck_expect(struct term *t, const char *text);

#endif
