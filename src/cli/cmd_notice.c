/* cmd_notice.c - tongban notice CASE [--kind KIND] [--pdf FILE] [--print]: the
 * case's latest notice again, as text, as a PDF, or on the printer. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "core/printer.h"
#include "store/store.h"

/* The settings in force (tongban.conf, $TONGBAN_CONFIG or data/config.json):
 * printer and print command. */
static void load_settings(const struct cli_options *o, struct config *c)
{
	config_load_all(c, o->data_root, conf_process(), NULL);
}

/* The notice's text and its case number (for the QR code) of the case by id
 * or number.  1, 0 when it has no such notice, -1 after a message. */
static int read_notice(const struct cli_options *o, const char *which, const char *kind,
                       char **text, struct case_row *row)
{
	struct err e = {0};
	struct store *st;
	int found;

	/* a reprint only reads: it works on a read-only database and never writes */
	if ((st = store_open_with(o->db, STORE_READONLY, STORE_BUSY_MS, &e)) == NULL) {
		fprintf(stderr, "tongban: %s\n", e.msg);
		return -1;
	}
	found = store_notice_latest(st, which, kind, text, NULL, 0, &e);
	if (found > 0 && store_case_get(st, which, row, &e) < 0)
		found = -1;
	store_close(st);
	if (found < 0)
		fprintf(stderr, "tongban: %s\n", e.msg);
	else if (found == 0)
		fprintf(stderr, "tongban: %s\n", _("no notice for this case"));
	return found;
}

/* To the printer (print_notice); the PDF just written when there is one. */
static int to_printer(const struct config *c, const char *text, const char *case_no,
                      const char *pdf, struct err *e)
{
	if (pdf != NULL && c->printer[0] != '\0')
		return print_pdf_lp(c->printer, pdf, e);
	return print_notice(c, text, case_no, e);
}

int cmd_notice(const struct cli_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {{"print", no_argument, NULL, 'p'},
	                                         {"kind", required_argument, NULL, 'k'},
	                                         {"pdf", required_argument, NULL, 'f'},
	                                         {NULL, 0, NULL, 0}};
	const char *kind = NULL, *pdf = NULL;
	struct case_row row;
	struct config cfg;
	struct err e = {0};
	char *text = NULL;
	int c, found, print = 0, rc = 0;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'p')
			print = 1;
		else if (c == 'k')
			kind = optarg;
		else if (c == 'f')
			pdf = optarg;
		else
			return CLI_USAGE;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "%s\n",
		        _("usage: tongban notice CASE [--kind KIND] [--pdf FILE] [--print]"));
		return CLI_USAGE;
	}
	if ((found = read_notice(o, argv[optind], kind, &text, &row)) <= 0)
		return found < 0 ? CLI_ERROR : CLI_NO;
	load_settings(o, &cfg);
	if (pdf != NULL)
		rc = print_pdf_write(text, row.case_no, pdf, &e);
	if (rc == 0 && print)
		rc = to_printer(&cfg, text, row.case_no, pdf, &e);
	if (rc != 0)
		fprintf(stderr, "tongban: %s\n", e.msg);
	else if (pdf == NULL && !print)
		fputs(text, stdout);
	free(text);
	return rc == 0 ? CLI_YES : CLI_ERROR;
}
