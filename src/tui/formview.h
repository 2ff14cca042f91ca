/*
 * formview.h - a form of forms/NAME.json on screen: one field editor per
 * field, labels, focus, checks at field exit, auto-skip and choice cycling.
 * Used by the intake screen and the dialogs (refusal...).
 */
#ifndef TB_TUI_FORMVIEW_H
#define TB_TUI_FORMVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/form.h"
#include "tui/field.h"
#include "tui/ui.h"

struct formview {
	const struct form *form;
	struct field_edit *edits;
	bool *invalid;
	size_t focus;
	int label_w;
	bool readonly; /* shown, not edited */
	int top;       /* first row of the form shown when it is taller than its room */
	bool skipped;  /* the last key completed a field and moved on by itself */
	size_t cut;    /* characters of the paste under way that did not fit */
};

enum fv_result {
	FV_IGNORED,     /* not a key of the form */
	FV_HANDLED,     /* edited, or moved inside the form */
	FV_PAST_END,    /* Tab on the last field: focus wants to leave forward */
	FV_BEFORE_START /* Shift-Tab on the first field */
};

/* values: one UTF-8 string per field, or NULL for the form's defaults. */
void formview_init(struct formview *fv, const struct form *f, char *const *values);
void formview_free(struct formview *fv);

/* The current values, one per field, trimmed.  Caller frees with values_free()
 * (core/form.h). */
char **formview_values(const struct formview *fv);

/* Replace field i's value. */
void formview_set(struct formview *fv, size_t i, const char *value);

/* Rows the whole form takes: its fields and section titles. */
int formview_rows(const struct formview *fv);

/*
 * Draw in rows y..bottom, labels at column x, within w columns, the focused
 * field highlighted when has_focus; a form taller than its room scrolls so
 * the focused field is seen.  Sets *cy, *cx to the cursor cell of the
 * focused field.  Returns the next free row.
 */
int formview_draw(struct formview *fv, int y, int bottom, int x, int w, bool has_focus, int *cy,
                  int *cx);

/* Check field i (marks it); 0 valid, else -1 with msg. */
int formview_check(struct formview *fv, size_t i, char *msg, size_t n);

/* Check every field: 0 when all are valid, else -1 with the first invalid
 * one's msg (the focus moves there). */
int formview_check_all(struct formview *fv, char *msg, size_t n);

/* Handle a key.  Leaving a field checks it; a failure is put in msg (else
 * msg is set to "").  A pasted character never moves to the next field and
 * never ticks or picks; the end of a paste that did not fit says so in msg.
 * Letters typed into an ID number or a credit code become capitals. */
enum fv_result formview_key(struct formview *fv, struct ui_key k, char *msg, size_t n);

#endif
