/*
 * counter_checklist.c - the material checklist of the counter screen: one
 * row per material of the item, a key per status.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "tui/counter.h"
#include "tui/ui.h"

/* The widest status tag in the clerk's language, brackets included, and at
 * least 10 columns. */
static int tag_width(void)
{
	int s, w, most = 10; /* room for the Chinese ones and a blank or two */

	for (s = 0; s < MS_COUNT; s++)
		if ((w = utf8_width(mat_status_label((enum mat_status)s)) + 2) > most)
			most = w;
	return most;
}

static const char *need_text(enum material_need need)
{
	switch (need) {
	case NEED_REQUIRED:
		return _("necessary");
	case NEED_OPTIONAL:
		return _("optional");
	default:
		return _("deferrable");
	}
}

/* One checklist row: "[原件  ] 1. 名称（原件 1份 必要）★" */
static void draw_row(struct counter *c, size_t i, int y, int w)
{
	const struct material *m = &c->item->materials[i];
	const struct mat_check *mc = &c->cl.m[i];
	bool asked = c->supplement && !mat_status_is_in(c->first.m[i].status) &&
	             c->first.m[i].status != MS_UNCHECKED;
	bool sel = c->zone == ZONE_LIST && c->sel == i;
	char line[1024], tag[64], copies[32], ecert[600];
	const char *ec = counter_ecert_text(c, i, ecert, sizeof ecert);
	int attr = sel ? ui_attr_select() : 0;

	snprintf(line, sizeof line, "[%s]", mat_status_label(mc->status));
	ui_pad_text(tag, sizeof tag, line, tag_width()); /* by display width: the names line up */
	if (mc->status == MS_MISSING || mc->status == MS_DEFECTIVE)
		attr = sel ? attr : ui_attr_error();
	copies[0] = '\0';
	if (m->copies > 0) /* an electronic material has none */
		snprintf(copies, sizeof copies, _(" x%d"), m->copies);
	/* TRANSLATORS: tag, number, material, its form, " x<copies>" or "", need */
	snprintf(line, sizeof line, _("%s %zu. %s (%s%s, %s)%s%s%s"), tag, i + 1,
	         i18n_data(m->name), i18n_data(m->form), copies, need_text(m->need),
	         asked ? _(" * asked") : "", ec || mc->reason[0] ? " " : "", ec ? ec : mc->reason);
	ui_put_pad(y, 2, w, line, attr);
}

void counter_draw_checklist(struct counter *c, int y, int bottom, int *cy, int *cx)
{
	int rows, i;

	ui_put(y++, 1, ui_cols() - 2,
	       _("Materials  Space=original 1orig 2copy 3electr. 4missing 5defective 6commit"),
	       A_BOLD);
	rows = bottom - y + 1;
	if (rows < 1)
		return;
	if (c->sel < c->top)
		c->top = c->sel;
	if (c->sel >= c->top + (size_t)rows)
		c->top = c->sel - (size_t)rows + 1;
	for (i = 0; i < rows && c->top + (size_t)i < c->cl.n; i++)
		draw_row(c, c->top + (size_t)i, y + i, ui_cols() - 4);
	if (c->zone == ZONE_LIST) {
		*cy = y + (int)(c->sel - c->top);
		*cx = 3;
	}
}

/* Set the selected material's status; a defect's reason is asked for. */
static void set_status(struct counter *c, enum mat_status s)
{
	const struct material *m = &c->item->materials[c->sel];
	char *reason = NULL, why[512];
	int rc;

	if (s == MS_DEFECTIVE && !m->exempt &&
	    (reason = app_prompt(c->app, _("What is wrong:"), "", 80)) == NULL)
		return;
	rc = checklist_set(&c->cl, c->sel, s, reason, why, sizeof why);
	free(reason);
	if (rc < 0) {
		app_say(c->app, !m->exempt, "%s", why);
		if (m->exempt && c->sel + 1 < c->cl.n)
			c->sel++;
		return;
	}
	c->app->msg[0] = '\0';
	if (c->sel + 1 < c->cl.n)
		c->sel++;
	counter_save_draft(c);
}

void counter_list_key(struct counter *c, struct ui_key k)
{
	static const enum mat_status by_digit[] = {MS_ORIGINAL, MS_COPY,      MS_ELECTRONIC,
	                                           MS_MISSING,  MS_DEFECTIVE, MS_COMMITTED};

	switch (k.code) {
	case UK_UP:
		if (c->sel > 0)
			c->sel--;
		else
			c->zone = ZONE_FORM;
		break;
	case UK_DOWN:
	case UK_ENTER:
		if (c->sel + 1 < c->cl.n)
			c->sel++;
		break;
	case UK_TAB:
		c->zone = ZONE_FORM;
		c->fv.focus = 0;
		break;
	case UK_BTAB:
		c->zone = ZONE_FORM;
		c->fv.focus = c->fv.form->n_fields - 1;
		break;
	case UK_CHAR:
		if (k.pasted) /* a paste never ticks a material */
			break;
		if (k.ch == ' ')
			set_status(c, MS_ORIGINAL);
		else if (k.ch >= '1' && k.ch <= '6')
			set_status(c, by_digit[k.ch - '1']);
		break;
	default:
		break;
	}
}
