/* commands.c - the table of tongban's subcommands. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"

const struct cli_command cli_commands[] = {
    {"notice", cmd_notice,
     N_("  notice CASE [--kind KIND] [--pdf FILE] [--print]\n"
        "                       print the case's latest notice again (KIND: acceptance, "
        "supplement, commitment, refusal, revocation, release, withdrawal, ecert);\n"
        "                       --pdf writes it as an A4 PDF with a QR code of the case number, "
        "--print sends it to the printer")},
    {"sync", cmd_sync,
     N_("  sync                 push this machine's waiting events to the server once;\n"
        "                       exit 0 all sent, 1 events still waiting or refused, 2 error")},
    {"init", cmd_init, N_("  init                 create or upgrade the local database")},
    {"check", cmd_check,
     N_("  check                validate the catalogue and form files, report errors")},
    {"db", cmd_db,
     N_("  db check             check the local database for damage and say where;\n"
        "                       exit 0 sound, 1 damaged, 2 error\n"
        "  db recover NEW.db    copy what can be read of a damaged database into a new file")},
    {"calendar", cmd_calendar,
     N_("  calendar due DATE N [--pause FROM:TO]...  due date, N working days after DATE\n"
        "  calendar workday DATE  whether DATE is a working day; exit 0 yes, 1 no, 2 no data")},
    {"validate", cmd_validate,
     N_("  validate idcard|uscc|phone VALUE  check an ID number, credit code or phone; 0 valid, 1 "
        "not")},
    {"items", cmd_items,
     N_("  items search QUERY     find items by code, name or pinyin initials, best first\n"
        "  items show CODE        print an item's guide and materials")},
    {"cases", cmd_cases,
     N_("  cases search QUERY [--json] [--full] [--limit N]\n"
        "                       find cases here by the last 4 of an ID or phone, a name, its\n"
        "                       initials, an item or a date; ID and phone masked, --full shows\n"
        "                       them whole and is recorded (audit); exit 0 found, 1 none")},
    {"stats", cmd_stats,
     N_("  stats [--from DATE --to DATE | --day | --week | --month] [--json]\n"
        "                       the statistics of a period (today by default): outcomes, time\n"
        "                       limits, releases, ratings, by item and department")},
    {"export", cmd_export,
     N_("  export [--from DATE --to DATE | --day | --week | --month]\n"
        "         [--bom] [--full] [--output FILE]\n"
        "                       the cases of a period as CSV (UTF-8); ID and phone masked,\n"
        "                       --full whole and recorded (audit); exit 0 written, 1 could\n"
        "                       not write, 2 error")},
    {"audit", cmd_audit,
     N_("  audit verify         check the audit chain (whole numbers shown, exports,\n"
        "                       decisions, logins); 0 whole, 1 a row was edited, deleted or\n"
        "                       moved (which one is said), 2 error\n"
        "  audit list [--case CASE]  the audit rows: who looked at or changed which case, when")},
    {"config", cmd_config,
     N_("  config show [NAME...]  every setting in force and where it came from (default,\n"
        "                       data file, /etc/tongban/tongban.conf, ~/.config/tongban/config,\n"
        "                       environment, option); 0 all valid, 1 some are bad (listed)")},
};

const unsigned cli_n_commands = sizeof cli_commands / sizeof cli_commands[0];

const struct cli_command *cli_find(const char *name)
{
	unsigned i;

	for (i = 0; i < cli_n_commands; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}

int cli_no_args(char **argv)
{
	fprintf(stderr, _("tongban %s: unexpected argument %s\n"), argv[0], argv[1]);
	return CLI_USAGE;
}
