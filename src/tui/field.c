#include "tui/field.h"

#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "core/util.h"

void field_init(struct field_edit *f, size_t maxlen)
{
	memset(f, 0, sizeof *f);
	f->maxlen = maxlen;
}

void field_free(struct field_edit *f)
{
	free(f->cps);
	free(f->w);
	field_init(f, f->maxlen);
}

static void grow(struct field_edit *f, size_t need)
{
	size_t cap = f->cap ? f->cap : 32;

	if (need <= f->cap)
		return;
	while (cap < need)
		cap *= 2;
	f->cps = xrealloc(f->cps, cap * sizeof *f->cps);
	f->w = xrealloc(f->w, cap);
	f->cap = cap;
}

void field_clear(struct field_edit *f)
{
	f->len = 0;
	f->cursor = 0;
	f->scroll = 0;
}

void field_set(struct field_edit *f, const char *s)
{
	size_t n = strlen(s), i = 0;

	field_clear(f);
	while (i < n) {
		uint32_t cp;

		i += utf8_decode(s + i, n - i, &cp);
		field_insert(f, cp);
	}
}

char *field_text(const struct field_edit *f)
{
	char *out = xmalloc(f->len * 4 + 1);
	size_t i, o = 0;

	for (i = 0; i < f->len; i++)
		o += utf8_encode(f->cps[i], out + o);
	out[o] = '\0';
	return out;
}

bool field_is_full(const struct field_edit *f)
{
	return f->maxlen && f->len >= f->maxlen;
}

bool field_insert(struct field_edit *f, uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || utf8_is_invisible(cp))
		return false;
	if (f->overwrite && f->cursor < f->len) {
		f->cps[f->cursor] = cp;
		f->w[f->cursor] = (unsigned char)utf8_cp_width(cp);
		f->cursor++;
		return true;
	}
	if (field_is_full(f))
		return false;
	grow(f, f->len + 1);
	memmove(f->cps + f->cursor + 1, f->cps + f->cursor, (f->len - f->cursor) * sizeof *f->cps);
	memmove(f->w + f->cursor + 1, f->w + f->cursor, f->len - f->cursor);
	f->cps[f->cursor] = cp;
	f->w[f->cursor] = (unsigned char)utf8_cp_width(cp);
	f->len++;
	f->cursor++;
	return true;
}

static void remove_at(struct field_edit *f, size_t i)
{
	memmove(f->cps + i, f->cps + i + 1, (f->len - i - 1) * sizeof *f->cps);
	memmove(f->w + i, f->w + i + 1, f->len - i - 1);
	f->len--;
}

void field_backspace(struct field_edit *f)
{
	if (f->cursor == 0)
		return;
	f->cursor--;
	remove_at(f, f->cursor);
	if (f->scroll > f->cursor)
		f->scroll = f->cursor;
}

void field_delete(struct field_edit *f)
{
	if (f->cursor < f->len)
		remove_at(f, f->cursor);
}

void field_left(struct field_edit *f)
{
	if (f->cursor > 0)
		f->cursor--;
}

void field_right(struct field_edit *f)
{
	if (f->cursor < f->len)
		f->cursor++;
}

void field_home(struct field_edit *f)
{
	f->cursor = 0;
}

void field_end(struct field_edit *f)
{
	f->cursor = f->len;
}

/* A word is a run of letters and digits, or of CJK characters; spaces and
 * punctuation separate words. */
static bool is_word(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
	       cp >= 0x3400;
}

void field_word_left(struct field_edit *f)
{
	while (f->cursor > 0 && !is_word(f->cps[f->cursor - 1]))
		f->cursor--;
	while (f->cursor > 0 && is_word(f->cps[f->cursor - 1]))
		f->cursor--;
}

void field_word_right(struct field_edit *f)
{
	while (f->cursor < f->len && is_word(f->cps[f->cursor]))
		f->cursor++;
	while (f->cursor < f->len && !is_word(f->cps[f->cursor]))
		f->cursor++;
}

int field_width(const struct field_edit *f)
{
	size_t i;
	int w = 0;

	for (i = 0; i < f->len; i++)
		w += f->w[i];
	return w;
}

/* Columns from character a up to (not including) b. */
static int span(const struct field_edit *f, size_t a, size_t b)
{
	int w = 0;

	for (; a < b; a++)
		w += f->w[a];
	return w;
}

int field_layout(struct field_edit *f, int box_w)
{
	/* the cursor needs one column of its own at the end of the text */
	int room = box_w > 1 ? box_w - 1 : 1;

	if (f->scroll > f->cursor)
		f->scroll = f->cursor;
	while (f->scroll < f->cursor && span(f, f->scroll, f->cursor) > room)
		f->scroll++;
	/* pull back when there is free room on the right (after deletes) */
	while (f->scroll > 0 && span(f, f->scroll - 1, f->len) <= room)
		f->scroll--;
	return span(f, f->scroll, f->cursor);
}
