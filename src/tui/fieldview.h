/*
 * fieldview.h - drawing a field_edit in a box of the screen, and the keys
 * every text box understands.
 */
#ifndef TB_TUI_FIELDVIEW_H
#define TB_TUI_FIELDVIEW_H

#include <stdbool.h>

#include "tui/field.h"
#include "tui/ui.h"

/* Draw f in a box of box_w columns at (y, x); masked shows '*' per
 * character.  Returns the screen column of the cursor. */
int fieldview_draw(int y, int x, int box_w, struct field_edit *f, bool focus, bool masked);

/* Apply an editing key (characters, Backspace, Delete, arrows, Home/End,
 * word moves, Ctrl-U, Insert).  Returns true when k was an editing key. */
bool fieldview_edit(struct field_edit *f, struct ui_key k);

#endif
