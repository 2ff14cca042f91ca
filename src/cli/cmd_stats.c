/*
 * cmd_stats.c - tongban stats: the statistics of a period (core/stats.h)
 * from the cases of the local database: the printed report, or --json as
 * tongband's GET /v1/stats gives them.
 */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/casework.h"
#include "core/i18n.h"

#define REPORT_WIDTH 80

static void print_usage(FILE *f)
{
	fprintf(f, "%s\n",
	        _("usage: tongban stats [--from DATE] [--to DATE] [--json]\n"
	          "       tongban stats --day|--week|--month [--json]\n"
	          "dates as YYYY-MM-DD, today by default; --week is this week (Monday to\n"
	          "Sunday), --month this month"));
}

static int usage_error(const char *what)
{
	fprintf(stderr, "tongban stats: %s\n", what);
	print_usage(stderr);
	return CLI_USAGE;
}

/* Options into p and *json.  0, 1 for --help (done), or CLI_USAGE. */
static int parse_args(int argc, char **argv, struct casework_period *p, bool *json)
{
	static const struct option longopts[] = {
	    CASEWORK_PERIOD_OPTIONS,
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (casework_period_option(p, c, optarg))
			continue;
		if (c == 'j') {
			*json = true;
		} else if (c == 'h') {
			print_usage(stdout);
			return 1;
		} else {
			return usage_error(_("unknown option"));
		}
	}
	if (optind < argc)
		return usage_error(_("unexpected argument"));
	return 0;
}

static void print_stats(const struct stats *s, bool json)
{
	struct json_object *o;
	char *text;

	if (json) {
		o = stats_to_json(s);
		printf("%s\n", json_object_to_json_string_ext(
		                   o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
		return;
	}
	text = stats_report(s, REPORT_WIDTH);
	fputs(text, stdout);
	free(text);
}

int cmd_stats(const struct cli_options *o, int argc, char **argv)
{
	struct casework_period p = {NULL, NULL, CW_SPAN_NONE, {0, 0, 0}, {0, 0, 0}};
	struct tb_date today = casework_today();
	struct casework w;
	struct stats s;
	struct err e = {0};
	char why[256];
	bool json = false;
	int rc = parse_args(argc, argv, &p, &json);

	if (rc != 0)
		return rc == 1 ? CLI_YES : rc;
	if (casework_period_resolve(&p, today, why, sizeof why) < 0)
		return usage_error(why);
	if (casework_open(&w, o, "stats", false) != 0)
		return CLI_ERROR;
	stats_init(&s, p.from, p.to);
	if (store_stats(w.st, w.cat, &s, today, w.cal, &e) < 0) {
		fprintf(stderr, "tongban stats: %s\n", e.msg);
		rc = CLI_ERROR;
	} else {
		print_stats(&s, json);
		rc = casework_flush_stdout("stats");
	}
	stats_free(&s);
	casework_close(&w);
	return rc;
}
