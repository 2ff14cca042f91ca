#include "tui/formview.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "tui/fieldview.h"

void formview_init(struct formview *fv, const struct form *f, char *const *values)
{
	size_t i;

	memset(fv, 0, sizeof *fv);
	fv->form = f;
	fv->edits = xcalloc(f->n_fields ? f->n_fields : 1, sizeof *fv->edits);
	fv->invalid = xcalloc(f->n_fields ? f->n_fields : 1, sizeof *fv->invalid);
	fv->label_w = 8;
	for (i = 0; i < f->n_fields; i++) {
		const struct form_field *fld = &f->fields[i];
		int w = utf8_width(i18n_data(fld->label)) + (fld->required ? 2 : 0);

		field_init(&fv->edits[i], fld->maxlen ? (size_t)fld->maxlen : 1000);
		field_set(&fv->edits[i], values && values[i] ? values[i] : fld->def);
		if (w > fv->label_w)
			fv->label_w = w;
	}
}

void formview_free(struct formview *fv)
{
	size_t i;

	for (i = 0; i < fv->form->n_fields; i++)
		field_free(&fv->edits[i]);
	free(fv->edits);
	free(fv->invalid);
}

/* s without leading and trailing spaces (ASCII and the full-width U+3000). */
static char *trimmed(char *s)
{
	char *start = s, *end;

	for (;;) {
		if (*start == ' ')
			start++;
		else if (strncmp(start, "\u3000", 3) == 0)
			start += 3;
		else
			break;
	}
	end = start + strlen(start);
	for (;;) {
		if (end > start && end[-1] == ' ')
			end--;
		else if (end - start >= 3 && strncmp(end - 3, "\u3000", 3) == 0)
			end -= 3;
		else
			break;
	}
	*end = '\0';
	memmove(s, start, (size_t)(end - start) + 1);
	return s;
}

char **formview_values(const struct formview *fv)
{
	size_t i, n = fv->form->n_fields;
	char **v = xcalloc(n ? n : 1, sizeof *v);

	for (i = 0; i < n; i++) {
		v[i] = trimmed(field_text(&fv->edits[i]));
		form_normalize(&fv->form->fields[i], v[i]);
	}
	return v;
}

void formview_set(struct formview *fv, size_t i, const char *value)
{
	field_set(&fv->edits[i], value);
}

/* The virtual row of field i (section titles take a row each). */
static int field_row(const struct formview *fv, size_t i)
{
	const struct form *f = fv->form;
	size_t j, sec = (size_t)-1;
	int row = 0;

	for (j = 0; j <= i && j < f->n_fields; j++) {
		if (f->fields[j].section != sec) {
			sec = f->fields[j].section;
			if (f->sections[sec].title[0])
				row++;
		}
		if (j < i)
			row++;
	}
	return row;
}

int formview_rows(const struct formview *fv)
{
	size_t n = fv->form->n_fields;

	return n ? field_row(fv, n - 1) + 1 : 0;
}

/* Scroll so the focused field (and, when it opens a section, its title) shows. */
static void scroll_to_focus(struct formview *fv, int room)
{
	int row = field_row(fv, fv->focus);
	int want_top = row;

	if (fv->focus == 0 ||
	    fv->form->fields[fv->focus].section != fv->form->fields[fv->focus - 1].section)
		want_top = row - 1;
	if (formview_rows(fv) <= room || room < 1) {
		fv->top = 0;
		return;
	}
	if (want_top < fv->top)
		fv->top = want_top < 0 ? 0 : want_top;
	if (row >= fv->top + room)
		fv->top = row - room + 1;
}

/* A choice in English: the stored value stays the Chinese of the form; what
 * shows is its English (the data catalogue), drawn as the field would be. */
static int draw_choice(int y, int x, int box, const struct field_edit *value, bool focus)
{
	char *zh = field_text(value);
	struct field_edit shown;
	int col;

	field_init(&shown, 1000);
	field_set(&shown, i18n_data(zh));
	col = fieldview_draw(y, x, box, &shown, focus, false);
	field_free(&shown);
	free(zh);
	return col;
}

int formview_draw(struct formview *fv, int y, int bottom, int x, int w, bool has_focus, int *cy,
                  int *cx)
{
	const struct form *f = fv->form;
	int bx = x + fv->label_w + 2, vrow = 0, room = bottom - y + 1;
	size_t i, sec = (size_t)-1;
	char line[512];

	scroll_to_focus(fv, room);
	for (i = 0; i < f->n_fields; i++) {
		const struct form_field *fld = &f->fields[i];
		int box = fld->width + 1 < w - (bx - x) - 2 ? fld->width + 1 : w - (bx - x) - 2;
		bool focus = has_focus && i == fv->focus && !fv->readonly;
		int col, sy;

		if (fld->section != sec) {
			sec = fld->section;
			if (f->sections[sec].title[0]) {
				sy = y + vrow - fv->top;
				if (sy >= y && sy <= bottom)
					ui_put(sy, x - 1 > 0 ? x - 1 : 0, w,
					       i18n_data(f->sections[sec].title), A_BOLD);
				vrow++;
			}
		}
		sy = y + vrow - fv->top;
		vrow++;
		if (sy < y || sy > bottom)
			continue;
		snprintf(line, sizeof line, "%s%s", i18n_data(fld->label),
		         fld->required ? " *" : "");
		ui_put(sy, x, fv->label_w + 1, line, fv->invalid[i] ? ui_attr_error() : 0);
		if (box < 1)
			box = 1;
		if (fld->type == FT_CHOICE && !i18n_is_chinese())
			col = draw_choice(sy, bx, box, &fv->edits[i], focus);
		else
			col = fieldview_draw(sy, bx, box, &fv->edits[i], focus, false);
		if ((fld->type == FT_CHOICE || fld->type == FT_CHECK) && focus)
			ui_put(sy, bx + box + 1, w - (bx - x) - box - 1,
			       fld->type == FT_CHOICE ? _("←→ choose") : _("Space ticks"),
			       ui_attr_dim());
		if (fv->invalid[i])
			ui_put(sy, bx + box, 1, "!", ui_attr_error());
		if (i == fv->focus) {
			*cy = sy;
			*cx = col;
		}
	}
	vrow -= fv->top;
	return y + (vrow < room ? vrow : room);
}

int formview_check(struct formview *fv, size_t i, char *msg, size_t n)
{
	char **vals = formview_values(fv);
	int rc = form_check_in(fv->form, i, vals, msg, n);

	values_free(vals, fv->form->n_fields);
	fv->invalid[i] = rc != 0;
	return rc;
}

int formview_check_all(struct formview *fv, char *msg, size_t n)
{
	size_t i, bad = fv->form->n_fields;
	char tmp[512];

	for (i = fv->form->n_fields; i-- > 0;)
		if (formview_check(fv, i, tmp, sizeof tmp) != 0)
			bad = i;
	if (bad == fv->form->n_fields)
		return 0;
	fv->focus = bad;
	formview_check(fv, bad, msg, n);
	return -1;
}

/* A fixed-length value is complete: an 18-character ID number, an 11-digit mobile. */
static bool is_complete(const struct form_field *fld, const struct field_edit *f)
{
	if (!fld->autoskip)
		return false;
	if (fld->type == FT_PHONE)
		return f->len == 11 && f->cps[0] == '1';
	return field_is_full(f);
}

/* Step a choice field to the next (dir 1) or previous (-1) choice. */
static void cycle_choice(struct formview *fv, int dir)
{
	const struct form_field *fld = &fv->form->fields[fv->focus];
	char *cur = field_text(&fv->edits[fv->focus]);
	size_t i, k = 0, n = fld->n_choices;

	for (i = 0; i < n; i++)
		if (strcmp(fld->choices[i], cur) == 0)
			k = dir > 0 ? (i + 1) % n : (i + n - 1) % n;
	if (cur[0] == '\0')
		k = dir > 0 ? 0 : n - 1;
	field_set(&fv->edits[fv->focus], fld->choices[k]);
	free(cur);
}

static enum fv_result step(struct formview *fv, int dir, char *msg, size_t n)
{
	size_t last = fv->form->n_fields - 1;

	formview_check(fv, fv->focus, msg, n);
	if (dir > 0 && fv->focus == last)
		return FV_PAST_END;
	if (dir < 0 && fv->focus == 0)
		return FV_BEFORE_START;
	fv->focus = dir > 0 ? fv->focus + 1 : fv->focus - 1;
	return FV_HANDLED;
}

/* The end of a paste: say what did not fit. */
static enum fv_result paste_end(struct formview *fv, char *msg, size_t n)
{
	const struct form_field *fld = &fv->form->fields[fv->focus];

	if (fv->cut == 0)
		return FV_IGNORED;
	snprintf(msg, n,
	         _("the paste was longer than '%s' (at most %zu characters): %zu were cut, "
	           "please check"),
	         i18n_data(fld->label), fv->edits[fv->focus].maxlen, fv->cut);
	fv->cut = 0;
	return FV_HANDLED;
}

enum fv_result formview_key(struct formview *fv, struct ui_key k, char *msg, size_t n)
{
	const struct form_field *fld;
	struct field_edit *fe;
	size_t len;

	msg[0] = '\0';
	if (fv->form->n_fields == 0)
		return FV_IGNORED;
	/* the end of a paste changes nothing, not even a pending skip */
	if (k.code == UK_PASTE_END)
		return paste_end(fv, msg, n);
	fld = &fv->form->fields[fv->focus];
	fe = &fv->edits[fv->focus];
	/* a Tab or Enter right after an auto-skip (a card reader's, or the clerk's
	 * habit) has already been done by the skip */
	if (fv->skipped && (k.code == UK_TAB || k.code == UK_ENTER)) {
		fv->skipped = false;
		return FV_HANDLED;
	}
	fv->skipped = false;
	switch (k.code) {
	case UK_TAB:
	case UK_ENTER:
	case UK_DOWN:
		return step(fv, 1, msg, n);
	case UK_BTAB:
	case UK_UP:
		return step(fv, -1, msg, n);
	default:
		break;
	}
	if (fv->readonly ||
	    (k.code == UK_CHAR && k.pasted && (fld->type == FT_CHECK || fld->type == FT_CHOICE)))
		return FV_IGNORED;
	if (k.code == UK_CHAR && k.ch >= 'a' && k.ch <= 'z' &&
	    (fld->type == FT_IDCARD || fld->type == FT_USCC))
		k.ch -= 'a' - 'A'; /* the check letter X and credit-code letters are capitals */
	if (fld->type == FT_CHECK) {
		/* a check box: Space ticks and unticks ("是" / empty), nothing is typed */
		if (k.code == UK_CHAR && k.ch == ' ') {
			char *cur = field_text(fe);

			field_set(fe, cur[0] ? "" : _("yes"));
			free(cur);
			return FV_HANDLED;
		}
		return FV_IGNORED;
	}
	if (fld->type == FT_CHOICE && fld->n_choices > 0) {
		/* a choice is picked, never typed */
		if (k.code == UK_LEFT || k.code == UK_RIGHT || (k.code == UK_CHAR && k.ch == ' ')) {
			cycle_choice(fv, k.code == UK_LEFT ? -1 : 1);
			return FV_HANDLED;
		}
		return FV_IGNORED;
	}
	len = fe->len;
	/* a pasted character that a full field refuses is counted, to be said */
	if (k.code == UK_CHAR && k.pasted && field_is_full(fe) &&
	    !(fe->overwrite && fe->cursor < fe->len))
		fv->cut++;
	if (!fieldview_edit(fe, k))
		return FV_IGNORED;
	/* skip on only when this very key completed the value: a key refused by a
	 * full field (or the Enter a card reader sends) must not jump twice; a
	 * paste stays in its field */
	if (k.code == UK_CHAR && !k.pasted && fe->len > len && is_complete(fld, fe)) {
		fv->skipped = true;
		return step(fv, 1, msg, n);
	}
	return FV_HANDLED;
}
