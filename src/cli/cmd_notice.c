/* cmd_notice.c - tongban notice CASE [--print]: the case's latest notice again. */
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

/* The print command in force (tongban.conf, $TONGBAN_CONFIG or data/config.json). */
static void print_command(const struct cli_options *o, char *out, size_t n)
{
	struct config c;

	config_load_all(&c, o->data_root, conf_process(), NULL);
	str_copy(out, n, c.print_command);
}

int cmd_notice(const struct cli_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {{"print", no_argument, NULL, 'p'},
	                                         {"kind", required_argument, NULL, 'k'},
	                                         {NULL, 0, NULL, 0}};
	const char *kind = NULL;
	struct err e = {0};
	struct store *st;
	char *text = NULL, cmd[256];
	int c, found, to_printer = 0, rc = CLI_YES;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'p')
			to_printer = 1;
		else if (c == 'k')
			kind = optarg;
		else
			return CLI_USAGE;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "%s\n",
		        T("用法：tongban notice 案件编号 [--kind 种类] [--print]",
		          "usage: tongban notice CASE [--kind KIND] [--print]"));
		return CLI_USAGE;
	}
	/* a reprint only reads: it works on a read-only database and never writes */
	if ((st = store_open_with(o->db, STORE_READONLY, STORE_BUSY_MS, &e)) == NULL) {
		fprintf(stderr, "tongban: %s\n", e.msg);
		return CLI_ERROR;
	}
	found = store_notice_latest(st, argv[optind], kind, &text, NULL, 0, &e);
	store_close(st);
	if (found <= 0) {
		fprintf(stderr, "tongban: %s\n",
		        found < 0 ? e.msg : T("没有该案件的通知书", "no notice for this case"));
		return found < 0 ? CLI_ERROR : CLI_NO;
	}
	if (to_printer) {
		print_command(o, cmd, sizeof cmd);
		if (print_text(cmd, text, &e) < 0) {
			fprintf(stderr, "tongban: %s\n", e.msg);
			rc = CLI_ERROR;
		}
	} else {
		fputs(text, stdout);
	}
	free(text);
	return rc;
}
