/* cmd_check.c - tongban check: validate every data file, form and notice
 * template the program loads, naming file, item or field on each error. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/calendar.h"
#include "core/catalogue.h"
#include "core/config.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/idcard.h"
#include "core/notice.h"
#include "core/paths.h"

/* Each checker loads one file; 0 with a summary in ok, or -1 with e. */
typedef int (*check_fn)(const char *path, const char *root, char *ok, size_t n, struct err *e);

static int check_catalogue(const char *path, const char *root, char *ok, size_t n, struct err *e)
{
	char *py = paths_join(root, "data/pinyin.tsv");
	struct catalogue *c = catalogue_load(path, py, e);

	free(py);
	if (c == NULL)
		return -1;
	snprintf(ok, n, _("%zu items"), c->n_items);
	catalogue_free(c);
	return 0;
}

static int check_calendar(const char *path, const char *root, char *ok, size_t n, struct err *e)
{
	struct calendar *c = cal_load(path, e);

	(void)root;
	if (c == NULL)
		return -1;
	snprintf(ok, n, _("version %s"), cal_version(c));
	cal_free(c);
	return 0;
}

static int check_regions(const char *path, const char *root, char *ok, size_t n, struct err *e)
{
	struct region_table *r = region_load(path, e);

	(void)root;
	if (r == NULL)
		return -1;
	snprintf(ok, n, _("%zu region codes"), region_count(r));
	region_free(r);
	return 0;
}

static int check_config(const char *path, const char *root, char *ok, size_t n, struct err *e)
{
	struct config c;

	(void)root;
	config_defaults(&c);
	if (config_load(&c, path, e) < 0)
		return -1;
	if (c.printer[0])
		snprintf(ok, n, _("printer %s (PDF)"), c.printer);
	else
		snprintf(ok, n, _("print command %s"), c.print_command);
	return 0;
}

static int check_form(const char *path, const char *root, char *ok, size_t n, struct err *e)
{
	struct form *f = form_load(path, e);

	(void)root;
	if (f == NULL)
		return -1;
	snprintf(ok, n, _("%zu fields"), f->n_fields);
	form_free(f);
	return 0;
}

static int check_notice(const char *path, const char *root, char *ok, size_t n, struct err *e)
{
	size_t len;
	char *text = file_read_all(path, &len, 1 << 20, e);
	int rc;

	(void)root;
	if (text == NULL)
		return -1;
	rc = notice_check(text, len, path, NULL, e);
	free(text);
	if (rc == 0)
		snprintf(ok, n, "%s", _("template"));
	return rc;
}

static const struct {
	const char *pattern; /* relative to the data root; a glob */
	check_fn fn;
	int required;
} checks[] = {
    {"data/catalogue.json", check_catalogue, 1},
    {"data/calendar.json", check_calendar, 1},
    {"data/regions.tsv", check_regions, 1},
    {"data/config.json", check_config, 1},
    {"forms/*.json", check_form, 1},
    {"forms/items/*.json", check_form, 0},
    {"forms/notices/*.txt", check_notice, 1},
};

/* The settings files (tongban.conf(5)) as main read them: each bad line. */
static int check_settings(void)
{
	const struct conf *c = conf_process();
	char *files[2] = {config_system_file(), config_user_file()};
	int i;

	for (i = 0; i < 2; i++)
		if (files[i] && access(files[i], F_OK) == 0)
			printf(_("%s: settings file, read\n"), files[i]);
	free(files[0]);
	free(files[1]);
	if (c == NULL)
		return 0;
	for (i = 0; i < c->n_problems; i++)
		fprintf(stderr, "%s\n", c->problems[i]);
	return c->n_problems + c->more_problems;
}

int cmd_check(const struct cli_options *o, int argc, char **argv)
{
	size_t i, j;
	int bad = 0;

	if (argc > 1)
		return cli_no_args(argv);
	for (i = 0; i < sizeof checks / sizeof checks[0]; i++) {
		char *pattern = paths_join(o->data_root, checks[i].pattern);
		glob_t g;
		int rc = glob(pattern, 0, NULL, &g);

		if (rc != 0 && checks[i].required) {
			fprintf(stderr, _("%s: missing\n"), pattern);
			bad++;
		}
		for (j = 0; rc == 0 && j < g.gl_pathc; j++) {
			struct err e = {0};
			char ok[256] = "";

			if (checks[i].fn(g.gl_pathv[j], o->data_root, ok, sizeof ok, &e) < 0) {
				fprintf(stderr, "%s\n", e.msg);
				bad++;
			} else {
				printf(_("%s: %s, ok\n"), g.gl_pathv[j], ok);
			}
		}
		if (rc == 0)
			globfree(&g);
		free(pattern);
	}
	bad += check_settings();
	if (bad)
		fprintf(stderr, _("%d error(s)\n"), bad);
	return bad ? CLI_NO : CLI_YES;
}
