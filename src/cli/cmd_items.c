/*
 * cmd_items.c - tongban items: search the service-item catalogue and show an
 * item's guide (办事指南), for operators and scripts.
 *
 *   tongban items search QUERY   "CODE<TAB>NAME" lines, best first
 *   tongban items show CODE      the guide, with every material
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/catalogue.h"
#include "core/i18n.h"
#include "core/paths.h"

static void print_usage(FILE *f)
{
	fprintf(f, "%s\n",
	        _("usage: tongban items search QUERY (code, name or pinyin initials)\n"
	          "       tongban items show CODE"));
}

static int usage_error(const char *what)
{
	fprintf(stderr, "tongban items: %s\n", what);
	print_usage(stderr);
	return CLI_USAGE;
}

static struct catalogue *load_catalogue(const struct cli_options *o)
{
	char *cat = paths_join(o->data_root, "data/catalogue.json");
	char *py = paths_join(o->data_root, "data/pinyin.tsv");
	struct err e = {0};
	struct catalogue *c = catalogue_load(cat, py, &e);

	if (c == NULL)
		fprintf(stderr, "tongban items: %s\n", e.msg);
	free(cat);
	free(py);
	return c;
}

/* The name a clerk reads: 主项名称, then the 子项名称 in brackets. */
static void print_name(const struct item *it)
{
	if (it->sub_name[0] != '\0')
		printf(_("%s (%s)"), it->name, it->sub_name);
	else
		printf("%s", it->name);
}

static int run_search(const struct catalogue *c, const char *q)
{
	const struct item **found = xcalloc(c->n_items + 1, sizeof *found);
	size_t n = catalogue_search_ranked(c, q, found, c->n_items), i;

	for (i = 0; i < n; i++) {
		printf("%s\t", found[i]->code);
		print_name(found[i]);
		putchar('\n');
	}
	if (n == 0)
		fprintf(stderr, _("tongban items: no item matches \"%s\"\n"), q);
	free(found);
	return n > 0 ? CLI_YES : CLI_NO;
}

static void print_days(const char *label, int days)
{
	if (days == 0)
		printf("%s%s\n", label, _("on the spot (same-day item)"));
	else
		printf(_("%s%d working days\n"), label, days);
}

static void print_field(const char *label, const char *value)
{
	if (value != NULL && value[0] != '\0')
		printf("%s%s\n", label, value);
}

static void print_material(size_t i, const struct material *m)
{
	printf("  %zu. %s  %s  ", i + 1, m->name, m->form);
	printf(_("copies: %d  %s"), m->copies, material_need_label(m->need));
	if (m->exempt)
		printf(_("  not to be demanded (obtained by data sharing)"));
	if (m->commitable)
		printf(_("  may be replaced by a commitment"));
	if (m->note[0] != '\0')
		printf(_("\n     note: %s"), m->note);
	putchar('\n');
}

static void print_guide(const struct item *it)
{
	printf(_("item: "));
	print_name(it);
	putchar('\n');
	print_field(_("code: "), it->code);
	print_field(_("implementation code: "), it->impl_code);
	print_field(_("type: "), it->type);
	print_field(_("department: "), it->dept);
	print_field(_("legal basis: "), it->legal_basis);
	print_field(_("conditions: "), it->conditions);
	print_days(_("legal time limit: "), it->legal_days);
	print_days(_("promised time limit: "), it->promised_days);
	printf(_("visits in person: %d\n"), it->visits);
	print_field(_("fee: "), it->fee);
	print_field(_("acceptance on commitment: "),
	            it->commitment ? _("allowed") : _("not allowed"));
	print_field(_("result: "), it->result);
	print_field(_("delivery: "), it->delivery);
	printf(_("materials (%zu):\n"), it->n_materials);
	for (size_t i = 0; i < it->n_materials; i++)
		print_material(i, &it->materials[i]);
}

static int run_show(const struct catalogue *c, const char *code)
{
	const struct item *it = catalogue_find(c, code);

	if (it == NULL) {
		fprintf(stderr, _("tongban items: no item has the code %s\n"), code);
		return CLI_NO;
	}
	print_guide(it);
	return CLI_YES;
}

int cmd_items(const struct cli_options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct catalogue *c;
	int c_opt, rc;

	opterr = 0;
	while ((c_opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (c_opt != 'h')
			return usage_error(_("unknown option"));
		print_usage(stdout);
		return CLI_YES;
	}
	if (argc - optind != 2)
		return usage_error(_("expected a subcommand and one argument"));
	if (strcmp(argv[optind], "search") != 0 && strcmp(argv[optind], "show") != 0)
		return usage_error(_("subcommand must be search or show"));
	if (argv[optind + 1][0] == '\0')
		return usage_error(_("no keyword given"));
	if ((c = load_catalogue(o)) == NULL)
		return CLI_ERROR;
	if (strcmp(argv[optind], "search") == 0)
		rc = run_search(c, argv[optind + 1]);
	else
		rc = run_show(c, argv[optind + 1]);
	catalogue_free(c);
	return rc;
}
