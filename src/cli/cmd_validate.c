/*
 * cmd_validate.c - tongban validate idcard|uscc|phone VALUE: check one value
 * as the intake form would, print "有效" with what it says, or the reason.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/idcard.h"
#include "core/paths.h"
#include "core/phone.h"
#include "core/uscc.h"

static void print_usage(FILE *f)
{
	fprintf(f, "%s\n", _("usage: tongban validate idcard|uscc|phone VALUE"));
}

static int usage_error(const char *what)
{
	fprintf(stderr, "tongban validate: %s\n", what);
	print_usage(stderr);
	return CLI_USAGE;
}

/* The bundled region table, or NULL (with a warning) when it cannot be read. */
static struct region_table *load_regions(const struct cli_options *o)
{
	char *path = paths_join(o->data_root, "data/regions.tsv");
	struct err e = {0};
	struct region_table *t = region_load(path, &e);

	if (t == NULL)
		fprintf(stderr, _("tongban validate: %s; checking the province code only\n"),
		        e.msg);
	free(path);
	return t;
}

static int validate_idcard(const struct cli_options *o, const char *v)
{
	struct region_table *regions = load_regions(o);
	struct idcard_info info;
	enum idcard_error why;
	char buf[512], where[128], birth[TB_DATE_LEN];
	const char *place;
	int rc = idcard_check_regions(v, NULL, regions, &info, &why);

	if (rc != 0) {
		printf("%s\n", idcard_explain(why, &info, i18n_is_chinese(), buf, sizeof buf));
		region_free(regions);
		return CLI_NO;
	}
	place = region_describe(regions, info.number, where, sizeof where);
	if (place == NULL)
		place = idcard_province_name(info.number);
	printf(_("valid: born %s, %s, %s (%s)\n"), tb_date_format(info.birth, birth),
	       info.is_male ? _("male") : _("female"), place, info.region);
	region_free(regions);
	return CLI_YES;
}

static int validate_uscc(const char *v)
{
	struct uscc_info info;
	enum uscc_error why;
	char buf[512];
	const char *dept;

	if (uscc_check(v, &info, &why) != 0) {
		printf("%s\n", uscc_explain(why, &info, i18n_is_chinese(), buf, sizeof buf));
		return CLI_NO;
	}
	dept = uscc_dept_name(info.dept);
	printf(_("valid: registered by %s, kind %c, region %s, organisation code %s\n"),
	       dept != NULL ? dept : "?", info.kind, info.region, info.org_code);
	return CLI_YES;
}

static int validate_phone(const char *v)
{
	struct phone_info info;
	enum phone_error why;

	if (phone_check(v, &info, &why) != 0) {
		printf("%s\n", phone_error_text(why, i18n_is_chinese()));
		return CLI_NO;
	}
	if (info.kind == PHONE_MOBILE)
		printf(_("valid: mobile number %s\n"), info.number);
	else if (info.extension[0] != '\0')
		printf(_("valid: landline, area code %s, number %s, extension %s\n"), info.area,
		       info.number, info.extension);
	else
		printf(_("valid: landline, area code %s, number %s\n"), info.area, info.number);
	return CLI_YES;
}

int cmd_validate(const struct cli_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	/* '+': a value starting with '-' after the kind is still a value. */
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (c != 'h')
			return usage_error(_("unknown option"));
		print_usage(stdout);
		return CLI_YES;
	}
	if (argc - optind != 2)
		return usage_error(_("expected a kind and a value"));
	if (strcmp(argv[optind], "idcard") == 0)
		return validate_idcard(o, argv[optind + 1]);
	if (strcmp(argv[optind], "uscc") == 0)
		return validate_uscc(argv[optind + 1]);
	if (strcmp(argv[optind], "phone") == 0)
		return validate_phone(argv[optind + 1]);
	return usage_error(_("kind must be idcard, uscc or phone"));
}
