#include "tui/ui.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/util.h"

enum { PAIR_TITLE = 1, PAIR_ERROR, PAIR_FIELD, PAIR_FOCUS, PAIR_SELECT, PAIR_WARN };

static bool colors;

int ui_start(void)
{
	if (initscr() == NULL)
		return -1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(50);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(PAIR_ERROR, COLOR_RED, -1);
		init_pair(PAIR_FIELD, -1, -1);
		init_pair(PAIR_FOCUS, COLOR_BLACK, COLOR_CYAN);
		init_pair(PAIR_SELECT, COLOR_BLACK, COLOR_YELLOW);
		init_pair(PAIR_WARN, COLOR_WHITE, COLOR_RED);
		colors = true;
	}
	return 0;
}

void ui_stop(void)
{
	endwin();
}

int ui_rows(void)
{
	return LINES;
}

int ui_cols(void)
{
	return COLS;
}

int ui_body_bottom(void)
{
	return LINES - 4;
}

int ui_attr_title(void)
{
	return colors ? (int)(COLOR_PAIR(PAIR_TITLE) | A_BOLD) : (int)A_REVERSE;
}

int ui_attr_field(void)
{
	return (int)A_UNDERLINE;
}

int ui_attr_field_focus(void)
{
	return colors ? (int)COLOR_PAIR(PAIR_FOCUS) : (int)A_REVERSE;
}

int ui_attr_error(void)
{
	return colors ? (int)(COLOR_PAIR(PAIR_ERROR) | A_BOLD) : (int)A_BOLD;
}

int ui_attr_dim(void)
{
	return (int)A_DIM;
}

int ui_attr_select(void)
{
	return colors ? (int)COLOR_PAIR(PAIR_SELECT) : (int)A_REVERSE;
}

/* Keys curses reports by name only (modified arrows on xterm). */
static enum ui_keycode named_key(int code)
{
	const char *name = keyname(code);

	if (name == NULL)
		return UK_OTHER;
	if (strcmp(name, "kLFT5") == 0 || strcmp(name, "kLFT3") == 0)
		return UK_WORD_LEFT;
	if (strcmp(name, "kRIT5") == 0 || strcmp(name, "kRIT3") == 0)
		return UK_WORD_RIGHT;
	return UK_OTHER;
}

static enum ui_keycode function_key(int code)
{
	if (code >= KEY_F(1) && code <= KEY_F(12))
		return (enum ui_keycode)(UK_F1 + (code - KEY_F(1)));
	switch (code) {
	case KEY_ENTER:
		return UK_ENTER;
	case KEY_BTAB:
		return UK_BTAB;
	case KEY_BACKSPACE:
		return UK_BACKSPACE;
	case KEY_DC:
		return UK_DELETE;
	case KEY_LEFT:
		return UK_LEFT;
	case KEY_RIGHT:
		return UK_RIGHT;
	case KEY_UP:
		return UK_UP;
	case KEY_DOWN:
		return UK_DOWN;
	case KEY_HOME:
		return UK_HOME;
	case KEY_END:
		return UK_END;
	case KEY_PPAGE:
		return UK_PGUP;
	case KEY_NPAGE:
		return UK_PGDN;
	case KEY_IC:
		return UK_INSERT;
	case KEY_RESIZE:
		return UK_RESIZE;
	default:
		return named_key(code);
	}
}

static enum ui_keycode control_key(wint_t c)
{
	switch (c) {
	case '\r':
	case '\n':
		return UK_ENTER;
	case '\t':
		return UK_TAB;
	case 27:
		return UK_ESC;
	case 8:
	case 127:
		return UK_BACKSPACE;
	case 21: /* Ctrl-U */
		return UK_CLEAR;
	case 1: /* Ctrl-A */
		return UK_HOME;
	case 5: /* Ctrl-E */
		return UK_END;
	default:
		return UK_OTHER;
	}
}

struct ui_key ui_read_key(int timeout_ms)
{
	struct ui_key k = {UK_NONE, 0};
	wint_t c;
	int rc;

	timeout(timeout_ms);
	rc = get_wch(&c);
	if (rc == ERR)
		return k;
	if (rc == KEY_CODE_YES) {
		k.code = function_key((int)c);
		return k;
	}
	if (c < 0x20 || c == 0x7F) {
		k.code = control_key(c);
		return k;
	}
	k.code = UK_CHAR;
	k.ch = (uint32_t)c;
	return k;
}

int ui_put(int y, int x, int maxw, const char *s, int attr)
{
	size_t len = strlen(s), i = 0;
	int used = 0;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS || maxw <= 0)
		return 0;
	if (x + maxw > COLS)
		maxw = COLS - x;
	move(y, x);
	attron(attr);
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		int w = utf8_cp_width(cp);
		wchar_t wc[2] = {(wchar_t)cp, 0};

		if (cp < 0x20)
			wc[0] = L' ', w = 1;
		if (used + w > maxw)
			break;
		if (w > 0)
			addnwstr(wc, 1);
		used += w;
		i += n;
	}
	attroff(attr);
	return used;
}

void ui_put_pad(int y, int x, int maxw, const char *s, int attr)
{
	int used = ui_put(y, x, maxw, s, attr);

	attron(attr);
	for (; used < maxw && x + used < COLS; used++)
		mvaddch(y, x + used, ' ');
	attroff(attr);
}

void ui_put_center(int y, const char *s, int attr)
{
	int w = utf8_width(s);
	int x = w >= COLS ? 0 : (COLS - w) / 2;

	ui_put(y, x, COLS - x, s, attr);
}

void ui_header(const char *left, const char *right)
{
	int rw = utf8_width(right);

	ui_put_pad(0, 0, COLS, left, ui_attr_title());
	if (rw < COLS - utf8_width(left) - 2)
		ui_put(0, COLS - rw - 1, rw, right, ui_attr_title());
}

void ui_message(const char *msg, bool is_error)
{
	ui_put_pad(LINES - 3, 0, COLS, msg, is_error ? ui_attr_error() : (int)A_BOLD);
}

const struct ui_action *ui_action_find(const struct ui_action *acts, int n, struct ui_key k)
{
	int i;

	for (i = 0; i < n; i++)
		if (acts[i].key == k.code && acts[i].run != NULL)
			return &acts[i];
	return NULL;
}

void ui_keys_line(const struct ui_action *acts, int n)
{
	struct buf b;
	int i;
	char *s;

	buf_init(&b);
	for (i = 0; i < n; i++)
		if (acts[i].key_name[0]) /* keys without a name act but are not shown */
			buf_printf(&b, "%s%s %s", b.len ? "  " : "", acts[i].key_name,
			           T(acts[i].zh, acts[i].en));
	s = buf_take(&b);
	ui_put_pad(LINES - 2, 0, COLS, s, (int)A_BOLD);
	free(s);
}

void ui_status_line(const char *s, bool warn)
{
	ui_put_pad(LINES - 1, 0, COLS, s,
	           warn && colors ? (int)COLOR_PAIR(PAIR_WARN) : ui_attr_title());
}

void ui_pad_text(char *out, size_t n, const char *s, int w)
{
	size_t len;
	int used;

	str_copy(out, n, s);
	while (utf8_width(out) > w && (len = strlen(out)) > 0) {
		do
			len--;
		while (len > 0 && ((unsigned char)out[len] & 0xC0) == 0x80);
		out[len] = '\0';
	}
	len = strlen(out);
	for (used = utf8_width(out); used < w && len + 1 < n; used++)
		out[len++] = ' ';
	out[len] = '\0';
}
