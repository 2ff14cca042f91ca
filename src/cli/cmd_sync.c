/* cmd_sync.c - tongban sync: push the outbox, pull the changes and download
 * a new catalogue or calendar, once, for cron and scripts.  Exit 0 when all is sent, 1 when work
 * remains (the server is unreachable or busy, or events are quarantined), 2 on error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/progress.h"
#include "store/store.h"
#include "sync/ecert.h"
#include "sync/sync.h"
#include "sync/updates.h"

#define SYNC_BATCH      100
#define SYNC_PULL_LIMIT 500

/* After each batch pushed: the events answered of those waiting at the start. */
static void print_push_progress(const struct sync_progress *p, void *arg)
{
	char detail[128];

	snprintf(detail, sizeof detail, _("applied %d, duplicate %d, problem %d"), p->applied,
	         p->duplicates, p->problems);
	progress_set(arg, p->applied + p->duplicates + p->problems, detail);
}

/* After each page of changes: how many, of a total nobody knows in advance. */
static void print_pull_progress(const struct sync_progress *p, void *arg)
{
	char detail[64];

	snprintf(detail, sizeof detail, _("decisions %d"), p->decisions);
	progress_set(arg, p->changes, detail);
}

/* Exit status and message for a push or pull that stopped on res. */
static int report_failure(enum sync_result res, const struct err *e)
{
	switch (res) {
	case SYNC_OFFLINE:
		fprintf(stderr,
		        _("tongban: server unreachable (%s); events stay here for next time\n"),
		        e->msg);
		return 1;
	case SYNC_DENIED:
		fprintf(stderr, "tongban: %s\n",
		        _("the server session expired: log in again in tongban"));
		return 2;
	case SYNC_BUSY:
		fprintf(stderr, "tongban: %s (%s)\n", _("server busy, try again later"), e->msg);
		return 1;
	case SYNC_TOO_OLD:
		fprintf(stderr, "tongban: %s\n", _("the server requires a newer client"));
		return 2;
	default:
		fprintf(stderr, "tongban: %s\n", e->msg);
		return 2;
	}
}

static void print_summary(const struct sync_progress *p, int pulled)
{
	printf(_("sync: applied %d, duplicate %d, problem %d, waiting %d\n"), p->applied,
	       p->duplicates, p->problems, p->remaining);
	if (p->held > 0)
		printf(_("the events of %d clerk(s) (e.g. %s) wait for their own next login\n"),
		       p->held, p->held_clerk);
	if (pulled)
		printf(_("changes: %d, decisions %d, unknown cases %d, catalogue or calendar "
		         "updates %d\n"),
		       p->changes, p->decisions, p->unknown_cases, p->updates);
	if (p->drift_known && (p->clock_drift > 120 || p->clock_drift < -120))
		printf(_("note: this machine's clock is %lld s off the server's\n"),
		       -p->clock_drift);
}

/* The catalogue and calendar downloaded this round, or why not. */
static void print_updates(const struct update_report *u)
{
	if (u->catalogue_new)
		printf(_("catalogue: downloaded version %s, used between cases\n"),
		       u->catalogue_version);
	if (u->calendar_new)
		printf(_("calendar: downloaded version %s, used between cases\n"),
		       u->calendar_version);
}

int cmd_sync(const struct cli_options *o, int argc, char **argv)
{
	struct err e = {0};
	struct store *st;
	char token[128] = "";
	struct sync_progress p;
	struct update_report u;
	struct outbox_counts c = {0, 0, 0};
	struct progress bar;
	enum sync_result r;
	int pulled;

	if (argc > 1)
		return cli_no_args(argv);
	if ((st = store_open(o->db, &e)) == NULL) {
		fprintf(stderr, "tongban: %s\n", e.msg);
		return 2;
	}
	if (store_session_get(st, NULL, token, NULL, &e) <= 0 || token[0] == '\0') {
		fprintf(stderr, "tongban: %s\n",
		        _("no server session on this machine: log in once in tongban first"));
		store_close(st);
		return 2;
	}
	store_outbox_counts(st, &c, NULL);
	progress_begin(&bar, stderr, _("push"), c.waiting);
	r = sync_push_sessions(st, o->server, SYNC_BATCH, &p, print_push_progress, &bar, &e);
	progress_end(&bar);
	if (r == SYNC_OK) {
		struct err ae = {0};
		int sent = 0;

		if (sync_push_audit(st, o->server, token, &sent, &ae) != SYNC_OK)
			fprintf(stderr, _("tongban: the audit rows were not sent: %s\n"), ae.msg);
		progress_begin(&bar, stderr, _("changes"), 0);
		r = sync_pull(st, o->server, token, SYNC_PULL_LIMIT, &p, print_pull_progress, &bar,
		              &e);
		progress_end(&bar);
	}
	if (r == SYNC_OK) {
		struct err ce = {0};
		int checked = 0;

		/* the e-certificates the counter asked for while offline */
		if (sync_check_ecerts(st, o->server, token, &checked, &ce) != SYNC_OK)
			fprintf(stderr, _("tongban: the e-certificates were not checked: %s\n"),
			        ce.msg);
		else if (checked > 0)
			fprintf(stderr, _("tongban: %d e-certificates checked\n"), checked);
	}
	memset(&u, 0, sizeof u);
	pulled = r == SYNC_OK;
	if (pulled)
		r = sync_fetch_updates(st, o->server, token, &u, &e);
	store_outbox_counts(st, &c, NULL);
	store_close(st);
	print_summary(&p, pulled);
	print_updates(&u);
	if (r != SYNC_OK)
		return report_failure(r, &e);
	return c.waiting == 0 && c.problems == 0 ? 0 : 1;
}
