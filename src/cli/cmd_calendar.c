/*
 * cmd_calendar.c - tongban calendar: due dates and working days from the
 * working-day calendar (data/calendar.json), for scripts and operators.
 *
 *   tongban calendar due DATE N [--pause FROM:TO]...   prints the due date
 *   tongban calendar workday DATE                       yes (0) / no (1)
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/calendar.h"
#include "core/i18n.h"
#include "core/paths.h"

#define MAX_PAUSES 64

struct calendar_args {
	struct stop_interval pauses[MAX_PAUSES];
	size_t n_pauses;
};

static void print_usage(FILE *f)
{
	fprintf(f, "%s\n",
	        _("usage: tongban calendar due DATE N [--pause FROM:TO]...\n"
	          "       tongban calendar workday DATE\n"
	          "dates as YYYY-MM-DD"));
}

static int usage_error(const char *what)
{
	fprintf(stderr, "tongban calendar: %s\n", what);
	print_usage(stderr);
	return CLI_USAGE;
}

static int bad_date(const char *s)
{
	char msg[256];

	snprintf(msg, sizeof msg, _("\"%s\" is not a valid date (expected YYYY-MM-DD)"), s);
	return usage_error(msg);
}

/* Parse "FROM:TO" into the next pause.  Returns 0 or CLI_USAGE. */
static int add_pause(struct calendar_args *a, const char *arg)
{
	const char *colon = strchr(arg, ':');
	char from[TB_DATE_LEN + 1];
	struct stop_interval *p = &a->pauses[a->n_pauses];

	if (a->n_pauses == MAX_PAUSES)
		return usage_error(_("too many --pause options"));
	if (colon == NULL || (size_t)(colon - arg) >= sizeof from)
		return usage_error(_("--pause expects FROM:TO (two dates)"));
	memcpy(from, arg, (size_t)(colon - arg));
	from[colon - arg] = '\0';
	if (tb_date_parse(from, &p->from) != 0)
		return bad_date(from);
	if (tb_date_parse(colon + 1, &p->to) != 0)
		return bad_date(colon + 1);
	if (tb_date_cmp(p->from, p->to) > 0)
		return usage_error(_("--pause: TO is before FROM"));
	a->n_pauses++;
	return 0;
}

/* Parse the options; leaves optind at the first operand.  Returns 0, 1 for
 * --help (done), or CLI_USAGE. */
static int parse_options(int argc, char **argv, struct calendar_args *a)
{
	static const struct option longopts[] = {
	    {"pause", required_argument, NULL, 'p'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if ((rc = add_pause(a, optarg)) != 0)
				return rc;
			break;
		case 'h':
			print_usage(stdout);
			return 1;
		default:
			return usage_error(_("unknown option"));
		}
	}
	return 0;
}

static struct calendar *load_calendar(const struct cli_options *o)
{
	char *path = paths_join(o->data_root, "data/calendar.json");
	struct err e = {0};
	struct calendar *cal = cal_load(path, &e);

	if (cal == NULL)
		fprintf(stderr, "tongban calendar: %s\n", e.msg);
	free(path);
	return cal;
}

/* Parse a limit in working days: 0 .. 10000. */
static int parse_days(const char *s, int *n)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s < '0' || *s > '9' || *end != '\0' || v > 10000)
		return -1;
	*n = (int)v;
	return 0;
}

static int run_due(const struct cli_options *o, char **ops, int n_ops,
                   const struct calendar_args *a)
{
	struct tb_date accepted, due;
	struct calendar *cal;
	struct err e = {0};
	char buf[TB_DATE_LEN];
	int days, rc;

	if (n_ops != 3)
		return usage_error(_("due takes two arguments: DATE and N"));
	if (tb_date_parse(ops[1], &accepted) != 0)
		return bad_date(ops[1]);
	if (parse_days(ops[2], &days) != 0)
		return usage_error(_("N must be a whole number from 0 to 10000"));
	if ((cal = load_calendar(o)) == NULL)
		return CLI_ERROR;
	rc = cal_add_workdays(cal, accepted, days, a->pauses, a->n_pauses, &due, &e);
	cal_free(cal);
	if (rc != 0) {
		fprintf(stderr, "tongban calendar: %s\n", e.msg);
		return CLI_ERROR;
	}
	printf("%s\n", tb_date_format(due, buf));
	return CLI_YES;
}

static int run_workday(const struct cli_options *o, char **ops, int n_ops)
{
	struct tb_date d;
	struct calendar *cal;
	bool known = false;
	int yes;

	if (n_ops != 2)
		return usage_error(_("workday takes one argument: DATE"));
	if (tb_date_parse(ops[1], &d) != 0)
		return bad_date(ops[1]);
	if ((cal = load_calendar(o)) == NULL)
		return CLI_ERROR;
	yes = cal_is_workday(cal, d, &known);
	cal_free(cal);
	if (!known) {
		fprintf(stderr,
		        _("tongban calendar: the working-day calendar has no data for %d (State "
		          "Council holiday notice); cannot tell\n"),
		        d.y);
		return CLI_ERROR;
	}
	if (yes && tb_date_is_weekend(d))
		printf("%s\n", _("yes, a working day (weekend worked by notice)"));
	else if (yes)
		printf("%s\n", _("yes, a working day"));
	else if (tb_date_is_weekend(d))
		printf("%s\n", _("no, a day off (weekend)"));
	else
		printf("%s\n", _("no, a day off (public holiday)"));
	return yes ? CLI_YES : CLI_NO;
}

int cmd_calendar(const struct cli_options *o, int argc, char **argv)
{
	struct calendar_args a;
	char **ops;
	int n_ops, rc;

	memset(&a, 0, sizeof a);
	rc = parse_options(argc, argv, &a);
	if (rc == 1)
		return CLI_YES;
	if (rc != 0)
		return rc;
	ops = argv + optind;
	n_ops = argc - optind;
	if (n_ops < 1)
		return usage_error(_("missing due or workday"));
	if (strcmp(ops[0], "due") == 0)
		return run_due(o, ops, n_ops, &a);
	if (a.n_pauses > 0)
		return usage_error(_("--pause only goes with due"));
	if (strcmp(ops[0], "workday") == 0)
		return run_workday(o, ops, n_ops);
	return usage_error(_("unknown subcommand"));
}
