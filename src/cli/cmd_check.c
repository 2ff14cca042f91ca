/* cmd_check.c - tongban check: validate the bundled data and forms. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/catalogue.h"
#include "core/form.h"
#include "core/i18n.h"
#include "core/paths.h"

int cmd_check(const struct cli_options *o, int argc, char **argv)
{
	char *cat = paths_join(o->data_root, "data/catalogue.json");
	char *py = paths_join(o->data_root, "data/pinyin.tsv");
	char *form = paths_join(o->data_root, "forms/intake.json");
	struct err e = {""};
	struct catalogue *c = catalogue_load(cat, py, &e);
	struct form *f;
	int bad = 0;

	if (argc > 1)
		return cli_no_args(argv);

	if (c == NULL) {
		fprintf(stderr, "%s\n", e.msg);
		bad++;
	} else {
		printf(T("%s：%zu 个事项，正确\n", "%s: %zu items, ok\n"), cat, c->n_items);
	}
	f = form_load(form, &e);
	if (f == NULL) {
		fprintf(stderr, "%s\n", e.msg);
		bad++;
	} else {
		printf(T("%s：%zu 个字段，正确\n", "%s: %zu fields, ok\n"), form, f->n_fields);
	}
	catalogue_free(c);
	form_free(f);
	free(cat);
	free(py);
	free(form);
	return bad ? 1 : 0;
}
