/*
 * field.h - the one-line field editor (after mutt's enter.c and dialog's
 * inputstr.c): characters, not bytes, in memory with a cached display width
 * each; the cursor is a character index; the screen column is computed from
 * the widths; scrolling never splits a wide character.
 */
#ifndef TB_TUI_FIELD_H
#define TB_TUI_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct field_edit {
	uint32_t *cps;    /* code points */
	unsigned char *w; /* display width of each */
	size_t len;       /* characters */
	size_t cap;
	size_t cursor; /* 0..len */
	size_t scroll; /* first character shown */
	size_t maxlen; /* most characters accepted; 0 = no limit */
	bool overwrite;
};

void field_init(struct field_edit *f, size_t maxlen);
void field_free(struct field_edit *f);

/* Replace the contents with a UTF-8 string; cursor at the end. */
void field_set(struct field_edit *f, const char *utf8);

/* The contents as UTF-8.  Caller frees. */
char *field_text(const struct field_edit *f);

/* Insert (or overwrite) one character at the cursor.  Returns false when
 * the field is full or cp is a control character. */
bool field_insert(struct field_edit *f, uint32_t cp);

void field_backspace(struct field_edit *f);
void field_delete(struct field_edit *f);
void field_left(struct field_edit *f);
void field_right(struct field_edit *f);
void field_home(struct field_edit *f);
void field_end(struct field_edit *f);
void field_word_left(struct field_edit *f);
void field_word_right(struct field_edit *f);
void field_clear(struct field_edit *f);

/* True when maxlen characters are in (for auto-skip). */
bool field_is_full(const struct field_edit *f);

/* Display width of the whole contents. */
int field_width(const struct field_edit *f);

/*
 * Make the cursor visible in a box of box_w columns by moving f->scroll;
 * returns the cursor's column inside the box.  A wide character that does
 * not fit at the right edge is not shown (the box ends one column short).
 */
int field_layout(struct field_edit *f, int box_w);

#endif
