/*
 * dialog_refusal.c - the refusal's reason, legal basis and where to apply
 * instead (forms/refusal.json), typed before a 不予受理 notice is made.
 */
#include <curses.h>
#include <string.h>

#include "core/i18n.h"
#include "tui/counter.h"
#include "tui/ui.h"

static const struct ui_action refusal_keys[] = {
    {UK_F2, "F2", N_("confirm"), NULL, NULL},
    {UK_ESC, "Esc", N_("cancel"), NULL, NULL},
};

char **dialog_refusal(struct app *app, const struct item *item)
{
	const struct form *f = app->refusal;
	char **vals = xcalloc(f->n_fields ? f->n_fields : 1, sizeof *vals), **out = NULL, msg[512];
	struct formview fv;
	size_t i;

	for (i = 0; i < f->n_fields; i++)
		vals[i] = xstrdup(strcmp(f->fields[i].id, "legal_basis") == 0 ? item->legal_basis
		                                                              : f->fields[i].def);
	formview_init(&fv, f, vals);
	values_free(vals, f->n_fields);
	app_say(app, false, "%s", _("give the reason; F2 confirm, Esc cancel"));
	for (;;) {
		struct ui_key k;
		int cy = 0, cx = 0;

		erase();
		app_draw_frame(app, _("Refuse"));
		formview_draw(&fv, 2, ui_body_bottom(), 2, ui_cols() - 2, true, &cy, &cx);
		ui_keys_line(refusal_keys, 2);
		move(cy, cx);
		curs_set(1);
		k = app_read_key(app);
		if (k.code == UK_ESC || k.code == UK_HANGUP)
			break;
		if (k.code == UK_F2) {
			if (formview_check_all(&fv, msg, sizeof msg) == 0) {
				out = formview_values(&fv);
				break;
			}
			app_say(app, true, "%s", msg);
			continue;
		}
		formview_key(&fv, k, msg, sizeof msg);
		app_say(app, msg[0] != '\0', "%s", msg);
	}
	formview_free(&fv);
	return out;
}
