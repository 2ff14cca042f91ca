/*
 * tbcups.h - a CUPS of a test's own, to print through for real: cupsd (run
 * as root, its jobs as the user lp) listening on a socket in the test's
 * folder, with one raw printer HALL whose backend keeps each job's document
 * as a file.  Programs print there with CUPS_SERVER set to the socket.
 *
 * The cupsd dies with the test process (PR_SET_PDEATHSIG) even when a test
 * fails half-way.
 */
#ifndef TB_HARNESS_TBCUPS_H
#define TB_HARNESS_TBCUPS_H

#include <stdbool.h>

#include "core/util.h"

#define TBCUPS_PRINTER "HALL"

struct tbcups;

/* Whether one can run here (root, cupsd, lp, lpadmin); when not, says
 * "test: SKIPPED what" on stderr. */
bool tbcups_available(const char *test, const char *what);

/* Start cupsd under dir/cups (dir is made passable for the user lp) and
 * add the printer.  NULL with e filled. */
struct tbcups *tbcups_start(const char *dir, struct err *e);

/* The socket, for CUPS_SERVER. */
const char *tbcups_server(const struct tbcups *c);

/* The file of the first job the printer kept, waiting up to 10 s for it;
 * NULL when none came.  Caller frees. */
char *tbcups_job(const struct tbcups *c);

/* Stop cupsd and free c.  Safe on NULL. */
void tbcups_stop(struct tbcups *c);

#endif
