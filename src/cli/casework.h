/*
 * casework.h - what tongban cases, stats and export share: the database
 * with the catalogue and calendar the TUI would use (sync/data.h), the
 * clerk of the last login (for the audit rows), the period of --from, --to,
 * --day, --week and --month, and how ID numbers and phones are shown.
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

/* ---- the period ----------------------------------------------------------- */

enum casework_span { CW_SPAN_NONE, CW_SPAN_DAY, CW_SPAN_WEEK, CW_SPAN_MONTH };

struct casework_period {
	const char *from_arg, *to_arg; /* as given, NULL when not */
	enum casework_span span;
	struct tb_date from, to; /* after casework_period_resolve */
};

/* The period's long options, for a command's getopt_long table. */
/* clang-format off */
#define CASEWORK_PERIOD_OPTIONS                                                                    \
	{"from", required_argument, NULL, 'F'}, {"to", required_argument, NULL, 'T'},              \
	{"day", no_argument, NULL, 'D'}, {"week", no_argument, NULL, 'W'},                         \
	{"month", no_argument, NULL, 'M'}
/* clang-format on */

/* Take option c (with arg) when it is one of the period's: true, else false. */
bool casework_period_option(struct casework_period *p, int c, const char *arg);

/*
 * The period from the options: --from and --to (each today when not given),
 * or the current day, ISO week (Monday to Sunday) or month containing
 * today.  Returns 0, or -1 with why (the clerk's language) for a date that
 * is not YYYY-MM-DD, a start after the end, or a span with --from/--to.
 */
int casework_period_resolve(struct casework_period *p, struct tb_date today, char *why, size_t n);

#endif
