/*
 * cli.h - tongban's subcommands for scripts and operators, one file per
 * command (cmd_sync.c, cmd_calendar.c, ...) and one table (commands.c).
 *
 * Conventions: print one result line where a command answers a question;
 * exit 0 for yes / valid / done, 1 for no / invalid / work remains, 2 for
 * bad usage or an error.  Messages follow the clerk's language (gettext, core/i18n.h).
 */
#ifndef TB_CLI_CLI_H
#define TB_CLI_CLI_H

#define CLI_DEFAULT_SERVER "http://127.0.0.1:8780"

enum { CLI_YES = 0, CLI_NO = 1, CLI_USAGE = 2, CLI_ERROR = 2 };

/* The global options, given before the command. */
struct cli_options {
	char *db;           /* local database path */
	const char *server; /* tongband URL */
	char *data_root;    /* folder holding data/ and forms/ */
};

/* argv[0] is the command's name; argv[1..argc) its own arguments. */
typedef int (*cli_fn)(const struct cli_options *o, int argc, char **argv);

struct cli_command {
	const char *name;
	cli_fn run;
	const char *usage; /* --help lines without a final newline; English, N_() */
};

extern const struct cli_command cli_commands[];
extern const unsigned cli_n_commands;

/* Report that a command without arguments got some; returns CLI_USAGE. */
int cli_no_args(char **argv);

/* The command with this name, or NULL. */
const struct cli_command *cli_find(const char *name);

int cmd_sync(const struct cli_options *o, int argc, char **argv);
int cmd_init(const struct cli_options *o, int argc, char **argv);
int cmd_check(const struct cli_options *o, int argc, char **argv);
int cmd_notice(const struct cli_options *o, int argc, char **argv);
int cmd_calendar(const struct cli_options *o, int argc, char **argv);
int cmd_validate(const struct cli_options *o, int argc, char **argv);
int cmd_items(const struct cli_options *o, int argc, char **argv);
int cmd_db(const struct cli_options *o, int argc, char **argv);
int cmd_cases(const struct cli_options *o, int argc, char **argv);
int cmd_stats(const struct cli_options *o, int argc, char **argv);
int cmd_export(const struct cli_options *o, int argc, char **argv);
int cmd_audit(const struct cli_options *o, int argc, char **argv);
int cmd_config(const struct cli_options *o, int argc, char **argv);

#endif
