/* cmd_init.c - tongban init: create or upgrade the local database, after a
 * check of every page: a damaged database is not used, and the command that
 * salvages it is named. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "store/store.h"

/* The database is damaged: say what to run, exit 1. */
static int damaged(const char *db, const char *report)
{
	fprintf(stderr,
	        _("tongban: the local database is damaged; nothing was changed: %s\n%s"
	          "run tongban --db %s db check to see what, then tongban --db %s db recover "
	          "NEW.db to salvage what can be read\n"),
	        db, report ? report : "", db, db);
	return 1;
}

int cmd_init(const struct cli_options *o, int argc, char **argv)
{
	struct err e = {0};
	struct store *st;
	char *report = NULL;
	int rc;

	if (argc > 1)
		return cli_no_args(argv);
	if ((st = store_open(o->db, &e)) == NULL) {
		fprintf(stderr, "tongban: %s\n", e.msg);
		return e.kind == ERR_CORRUPT ? damaged(o->db, NULL) : 2;
	}
	rc = store_quick_check(st, &report, &e);
	store_close(st);
	if (rc == 0) {
		rc = damaged(o->db, report);
		free(report);
		return rc;
	}
	if (rc < 0) {
		fprintf(stderr, "tongban: %s\n", e.msg);
		return 2;
	}
	printf(_("local database ready: %s\n"), o->db);
	return 0;
}
