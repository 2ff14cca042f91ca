#include "tui/forms.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/paths.h"
#include "tui/app.h"

struct form_cache {
	char *name;
	struct form *form; /* NULL when it failed to load */
	struct form_cache *next;
};

const struct form *app_form(struct app *app, const char *name)
{
	struct form_cache *c;
	char *sub, *path;
	struct err e = {0};

	for (c = app->forms; c; c = c->next)
		if (strcmp(c->name, name) == 0)
			return c->form;
	sub = xasprintf("forms/%s.json", name);
	path = paths_join(app->data_root, sub);
	c = xcalloc(1, sizeof *c);
	c->name = xstrdup(name);
	/* an item without its own fields has no file: that is not an error */
	if (access(path, F_OK) == 0 && (c->form = form_load(path, &e)) == NULL)
		app_say(app, true, "%s", e.msg);
	c->next = app->forms;
	app->forms = c;
	free(sub);
	free(path);
	return c->form;
}

struct form *app_intake_form(struct app *app, bool org, const char *item_code)
{
	const struct form *base = org ? app_form(app, "intake_org") : app->intake;
	const struct form *extra;
	char *name;

	if (base == NULL)
		return NULL;
	name = xasprintf("items/%s", item_code);
	extra = app_form(app, name);
	free(name);
	return form_concat(base, extra);
}

void app_forms_free(struct app *app)
{
	while (app->forms) {
		struct form_cache *c = app->forms;

		app->forms = c->next;
		form_free(c->form);
		free(c->name);
		free(c);
	}
}
