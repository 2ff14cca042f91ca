/*
 * cmd_config.c - tongban config show [NAME...]: every setting in force and
 * where it came from (tongban.conf(5)), as lines a settings file could hold.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/i18n.h"

static int usage(void)
{
	fputs(_("usage: tongban config show [NAME...]\n"
	        "       every setting in force and where it came from (default, data file,\n"
	        "       settings file, environment, option)\n"),
	      stderr);
	return CLI_USAGE;
}

int cmd_config(const struct cli_options *o, int argc, char **argv)
{
	const struct conf *proc = conf_process();
	static struct conf shown;
	struct err e = {0};
	int i, rc = CLI_YES;

	if (argc < 2 || strcmp(argv[1], "show") != 0 || proc == NULL)
		return usage();
	for (i = 2; i < argc; i++)
		if (conf_find(proc, argv[i]) < 0) {
			fprintf(stderr, _("tongban: no setting %s\n"), argv[i]);
			return CLI_USAGE;
		}
	shown = *proc;
	if (config_show(&shown, o->data_root, &e) < 0) {
		fprintf(stderr, "tongban: %s\n", e.msg);
		rc = CLI_NO;
	}
	conf_print(&shown, stdout, argv + 2, argc - 2);
	for (i = 0; i < shown.n_problems; i++)
		fprintf(stderr, _("tongban: bad setting: %s\n"), shown.problems[i]);
	if (shown.more_problems)
		fprintf(stderr, _("tongban: %d more bad settings\n"), shown.more_problems);
	return shown.n_problems ? CLI_NO : rc;
}
