/*
 * tongban - the clerk's program: the TUI, and subcommands for scripts
 * (src/cli/cmd_*.c).
 */
#include <getopt.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/i18n.h"
#include "core/paths.h"
#include "sync/helper.h"
#include "sync/login.h"
#include "sync/sync.h"
#include "tui/app.h"

static void usage(FILE *f)
{
	unsigned i;

	fputs(_("Usage: tongban [options] [command [arguments]]\n\n"
	        "Without a command, opens the intake TUI.\n\nCommands:\n"),
	      f);
	for (i = 0; i < cli_n_commands; i++)
		fprintf(f, "%s\n", _(cli_commands[i].usage));
	fprintf(f,
	        _("\nOptions (before the command):\n"
	          "  --db PATH            local database (default $TONGBAN_DB, else\n"
	          "                       ~/.local/share/tongban/tongban.db)\n"
	          "  --server URL         server (default $TONGBAN_SERVER, else %s)\n"
	          "  --data DIR           folder holding data/ and forms/ (default $TONGBAN_DATA,\n"
	          "                       else the source tree or the installed folder)\n"
	          "  -h, --help           show this help\n"
	          "  -V, --version        show the version\n"),
	        CLI_DEFAULT_SERVER);
}

/* Chinese text needs a UTF-8 character type even when LANG=C. */
static void setup_locale(void)
{
	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0 && setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "en_US.UTF-8");
	i18n_init();
}

static int run_tui(const struct cli_options *o)
{
	struct app app;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "tongban: %s\n",
		        _("the TUI needs a terminal; scripts use commands such as tongban sync"));
		return CLI_USAGE;
	}
	memset(&app, 0, sizeof app);
	app.db_path = o->db;
	app.server = o->server;
	app.data_root = o->data_root;
	return app_run(&app);
}

/* The settings of this run (conf_process()): the files, the environment,
 * the options, and the defaults of what none of them gave. */
static struct conf settings;

/* Record value as name's default when nothing else gave it. */
static void settle(const char *name, const char *value)
{
	const struct conf_entry *en = conf_get(&settings, name);

	if (en && !en->set)
		conf_set(&settings, name, value, CONF_DEFAULT, "");
}

static void settle_defaults(const struct cli_options *o)
{
	char *hall = config_path(o->data_root);

	settle("db", o->db);
	settle("server", o->server);
	settle("data", o->data_root);
	settle("lang", "auto");
	settle("ca_file", "");
	settle("allow_insecure_http", "0");
	settle("hall_config", hall);
	free(hall);
}

/* Bad lines of the settings files, on stderr (the TUI shows them on its
 * message line; config show and check list them themselves). */
static void print_problems(void)
{
	int i;

	for (i = 0; i < settings.n_problems; i++)
		fprintf(stderr, _("tongban: bad setting: %s\n"), settings.problems[i]);
}

/* The TUI's sync helper (sync/helper.h), started by the TUI itself with
 * its socket as fd 3; not for scripts. */
static int run_helper(struct cli_options *o)
{
	int rc;

	if (o->db == NULL)
		o->db = paths_default_db("TONGBAN_DB", "tongban");
	if (login_init() < 0)
		return CLI_ERROR;
	sync_global_init();
	rc = sync_helper_serve(3, o->db, o->server);
	free(o->db);
	free(o->data_root);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, 'd'},   {"server", required_argument, NULL, 's'},
	    {"data", required_argument, NULL, 'D'}, {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},    {NULL, 0, NULL, 0},
	};
	const char *env_server;
	struct cli_options o = {NULL, CLI_DEFAULT_SERVER, NULL};
	const struct cli_command *cmd = NULL;
	int c, rc;

	/* everything tongban writes (the database, exports) holds personal
	 * information: owner only, whatever the login's umask */
	umask(077);
	setup_locale();
	/* the settings files come under the environment: what they give is put
	 * into it where it is not set (config_read_settings) */
	config_read_settings(&settings);
	i18n_init(); /* a settings file may choose the language */
	env_server = getenv("TONGBAN_SERVER");
	/* a print command that exits early must not kill the program */
	signal(SIGPIPE, SIG_IGN);
	if (env_server && *env_server)
		o.server = env_server;
	/* '+': stop at the command; its own options follow it */
	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			free(o.db);
			o.db = xstrdup(optarg);
			conf_set(&settings, "db", optarg, CONF_FLAG, "--db");
			break;
		case 's':
			o.server = optarg;
			conf_set(&settings, "server", optarg, CONF_FLAG, "--server");
			break;
		case 'D':
			free(o.data_root);
			o.data_root = xstrdup(optarg);
			conf_set(&settings, "data", optarg, CONF_FLAG, "--data");
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("tongban %s\n", TB_VERSION);
			return 0;
		default:
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (optind + 1 == argc && strcmp(argv[optind], "sync-helper") == 0)
		return run_helper(&o);
	if (optind < argc && (cmd = cli_find(argv[optind])) == NULL) {
		fprintf(stderr, _("tongban: unknown command %s\n"), argv[optind]);
		usage(stderr);
		return CLI_USAGE;
	}
	if (o.db == NULL)
		o.db = paths_default_db("TONGBAN_DB", "tongban");
	if (o.data_root == NULL)
		o.data_root = paths_data_root();
	settle_defaults(&o);
	conf_process_set(&settings);
	if (cmd == NULL || (strcmp(cmd->name, "config") != 0 && strcmp(cmd->name, "check") != 0))
		print_problems();
	sync_global_init();
	if (cmd == NULL) {
		rc = run_tui(&o);
	} else {
		int sub_argc = argc - optind;
		char **sub_argv = argv + optind;

		optind = 0; /* let the command run getopt over its own arguments */
		rc = cmd->run(&o, sub_argc, sub_argv);
	}
	free(o.db);
	free(o.data_root);
	return rc;
}
