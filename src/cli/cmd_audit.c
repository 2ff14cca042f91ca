/*
 * cmd_audit.c - tongban audit verify | audit list [--case CASE]: whether the
 * local audit chain (store/audit.h) holds, and which row breaks it; who
 * looked at or changed which case, oldest first.  Both only read.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "store/store.h"

static int usage(void)
{
	fputs(_("usage: tongban [--db DATABASE] audit verify\n"
	        "       check the audit chain; exit 0 whole, 1 a row was edited, deleted or\n"
	        "       moved, 2 error\n"
	        "       tongban [--db DATABASE] audit list [--case CASE]\n"
	        "       list the audit rows (who looked at or changed which case, when)\n"),
	      stderr);
	return CLI_USAGE;
}

static struct store *open_readonly(const struct cli_options *o)
{
	struct err e = {0};
	struct store *st = store_open_with(o->db, STORE_READONLY, STORE_BUSY_MS, &e);

	if (st == NULL)
		fprintf(stderr, "tongban: %s\n", e.msg);
	return st;
}

static int verify(const struct cli_options *o)
{
	struct store *st = open_readonly(o);
	struct audit_check c;
	struct err e = {0};
	int rc;

	if (st == NULL)
		return CLI_ERROR;
	rc = store_audit_verify(st, &c, &e);
	store_close(st);
	if (rc < 0) {
		fprintf(stderr, "tongban: %s\n", e.msg);
		return CLI_ERROR;
	}
	if (rc == 0) {
		printf(_("the audit chain is broken: %s (%lld rows read)\n"), c.why, c.rows);
		return CLI_NO;
	}
	printf(_("the audit chain holds: %lld rows\n"), c.rows);
	return CLI_YES;
}

static int print_row(void *arg, const struct audit_row *r)
{
	(void)arg;
	printf("%lld\t%s\t%s\t%s\t%s\t%s\n", r->id, r->at, r->clerk[0] ? r->clerk : "-",
	       r->case_id[0] ? r->case_id : "-", r->what, r->detail);
	return 0;
}

static int list(const struct cli_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {{"case", required_argument, NULL, 'c'},
	                                         {NULL, 0, NULL, 0}};
	const char *which = "";
	struct store *st;
	struct case_row row;
	struct err e = {0};
	int c, n;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c != 'c')
			return usage();
		which = optarg;
	}
	if (optind != argc || (st = open_readonly(o)) == NULL)
		return optind != argc ? usage() : CLI_ERROR;
	/* a case number is turned into the case's id, which the rows name */
	if (which[0] && store_case_get(st, which, &row, &e) == 1)
		which = row.id;
	n = store_audit_list(st, which, print_row, NULL, &e);
	store_close(st);
	if (n < 0) {
		fprintf(stderr, "tongban: %s\n", e.msg);
		return CLI_ERROR;
	}
	return n > 0 ? CLI_YES : CLI_NO;
}

int cmd_audit(const struct cli_options *o, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "verify") == 0)
		return argc == 2 ? verify(o) : usage();
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return list(o, argc - 1, argv + 1);
	return usage();
}
