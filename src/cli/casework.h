/*
 * casework.h - what tongban cases, stats and export share: the database
 * with the catalogue and calendar the TUI would use (sync/data.h), the
 * clerk of the last login (for the audit rows), and how ID numbers and
 * phones are shown.
 */
#ifndef TB_CLI_CASEWORK_H
#define TB_CLI_CASEWORK_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "core/calendar.h"
#include "core/catalogue.h"
#include "core/date.h"
#include "store/store.h"

struct casework {
	struct store *st;
	struct catalogue *cat; /* NULL when none could be loaded (a warning was printed) */
	struct calendar *cal;  /* likewise */
	char clerk[64];        /* the clerk of the last online login here, "" when none */
};

/*
 * Open the database of o (read-only unless writable: a command that records
 * an audit row writes; a missing file is never created) and choose the
 * catalogue and calendar; what is wrong with them is printed as a warning
 * after "tongban NAME: ".  Returns 0, or CLI_ERROR with the message printed
 * (w is then closed).
 */
int casework_open(struct casework *w, const struct cli_options *o, const char *name, bool writable);
void casework_close(struct casework *w);

/* The hall's date today (by the store's clock, see store_clock_now). */
struct tb_date casework_today(void);

/* Flush standard output; when that fails (a full disk) say so after
 * "tongban NAME: " and return CLI_ERROR, else 0. */
int casework_flush_stdout(const char *name);

/* The ID number or phone as shown: whole when full, else masked
 * (idcard_mask, phone_mask).  Caller frees. */
char *casework_id_number(const char *s, bool full);
char *casework_phone(const char *s, bool full);

/* The clerk's label of a state's wire name (the name itself when unknown).
 * Static. */
const char *casework_state_label(const char *state);

#endif
