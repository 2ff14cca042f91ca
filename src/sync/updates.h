/*
 * updates.h - downloading the central catalogue and working-day calendar.
 *
 * The pull (sync_pull) only notes that tongband has a new version; this
 * fetches the text, checks it, and keeps it in the database beside the
 * bundled files.  Which copy the UI then uses, and when, is data.h's rule:
 * the UI swaps between cases, never in the middle of a form.
 */
#ifndef TB_SYNC_UPDATES_H
#define TB_SYNC_UPDATES_H

#include <stdbool.h>

#include "core/util.h"
#include "store/store.h"
#include "sync/sync.h"

/* What sync_fetch_updates did, per document. */
struct update_report {
	bool catalogue_new;         /* a new central catalogue version was stored */
	bool calendar_new;          /* a new central calendar version was stored */
	char catalogue_version[64]; /* the central copy held after the round, "" none */
	char calendar_version[64];
	char catalogue_error[512]; /* why the server's catalogue was refused, "" if not */
	char calendar_error[512];
};

/*
 * Download the central catalogue (GET /v1/catalogue?since=<stored version>)
 * and calendar (GET /v1/calendar) when the pull noted a new version of it
 * (store_updates_waiting) or none is stored yet.  A text is checked with
 * catalogue_parse / cal_parse before it is stored, and stored with the
 * waiting flag cleared in one transaction (store_data_fetched).  A malformed
 * text is refused: its error (naming the answer, the item or year, and the
 * field) goes to r, to e and to meta "<kind>_fetch_error"; the last good
 * copy stays, and so does the waiting flag, so the next round asks again.
 * Nothing imported on the server (404) stores nothing and is no error.
 * Returns SYNC_OK, SYNC_ERROR when an answer was refused or the store
 * failed, or why the server could not be asked.  r may be NULL.
 */
enum sync_result sync_fetch_updates(struct store *st, const char *server, const char *token,
                                    struct update_report *r, struct err *e);

#endif
