#include "tui/fieldview.h"

#include <curses.h>
#include <stdlib.h>

#include "core/util.h"

/* The characters from f->scroll that fit in box_w columns, as UTF-8.  Caller frees. */
static char *visible_text(const struct field_edit *f, bool masked)
{
	struct field_edit view = *f;
	char *s;
	size_t i;

	view.cps = f->cps + f->scroll;
	view.w = f->w + f->scroll;
	view.len = f->len - f->scroll;
	s = field_text(&view);
	if (masked) {
		for (i = 0; i < view.len; i++)
			s[i] = '*';
		s[view.len] = '\0';
	}
	return s;
}

int fieldview_draw(int y, int x, int box_w, struct field_edit *f, bool focus, bool masked)
{
	int col;
	char *s;

	if (masked) {
		/* every masked character is one column */
		f->scroll = f->cursor >= (size_t)box_w ? f->cursor - (size_t)box_w + 1 : 0;
		col = (int)(f->cursor - f->scroll);
	} else if (!focus && field_width(f) <= box_w) {
		/* an unfocused value that fits is shown whole, from its start */
		f->scroll = 0;
		col = 0;
	} else {
		col = field_layout(f, box_w);
	}
	s = visible_text(f, masked);
	ui_put_pad(y, x, box_w, s, focus ? ui_attr_field_focus() : ui_attr_field());
	free(s);
	return x + col;
}

bool fieldview_edit(struct field_edit *f, struct ui_key k)
{
	switch (k.code) {
	case UK_CHAR:
		field_insert(f, k.ch);
		return true;
	case UK_BACKSPACE:
		field_backspace(f);
		return true;
	case UK_DELETE:
		field_delete(f);
		return true;
	case UK_LEFT:
		field_left(f);
		return true;
	case UK_RIGHT:
		field_right(f);
		return true;
	case UK_HOME:
		field_home(f);
		return true;
	case UK_END:
		field_end(f);
		return true;
	case UK_WORD_LEFT:
		field_word_left(f);
		return true;
	case UK_WORD_RIGHT:
		field_word_right(f);
		return true;
	case UK_CLEAR:
		field_clear(f);
		return true;
	case UK_INSERT:
		f->overwrite = !f->overwrite;
		return true;
	default:
		return false;
	}
}
