#include "tui/ui.h"

#include <curses.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/util.h"
#include "tui/input.h"

enum { PAIR_TITLE = 1, PAIR_ERROR, PAIR_FIELD, PAIR_FOCUS, PAIR_SELECT, PAIR_WARN };

static bool colors;

/* Codes of our own for the paste markers, far above the ones ncurses gives
 * its keys (extended keys are numbered up from KEY_MAX). */
enum { CODE_PASTE_START = KEY_MAX + 0x1000, CODE_PASTE_END };

/* The terminal's bracketed paste mode. */
#define PASTE_MODE_ON  "\033[?2004h"
#define PASTE_MODE_OFF "\033[?2004l"

/* Every key goes through it; made on first use, it lives as long as the
 * process so that its encoding outlasts ui_stop and ui_start. */
static struct input *decoder;

static struct input *ui_input(void)
{
	if (decoder == NULL)
		decoder = input_new();
	return decoder;
}

int ui_set_input_encoding(const char *name, struct err *e)
{
	return input_set_encoding(ui_input(), name, e);
}

static void terminal_write(const char *s)
{
	fputs(s, stdout);
	fflush(stdout);
}

int ui_start(void)
{
	if (initscr() == NULL)
		return -1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	meta(stdscr, TRUE);
	define_key("\033[200~", CODE_PASTE_START);
	define_key("\033[201~", CODE_PASTE_END);
	set_escdelay(50);
	ui_input();
	terminal_write(PASTE_MODE_ON);
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

/* Whether a byte can be read from the terminal within ms milliseconds
 * (false on EINTR, a resize, or an error). */
static bool stdin_readable(int ms)
{
	struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

void ui_settle(int ms)
{
	(void)stdin_readable(ms); /* a key, a resize or an error: start-up goes on */
}

void ui_stop(void)
{
	endwin();
	terminal_write(PASTE_MODE_OFF);
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

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Hand what wgetch read (a byte, a key, a paste marker) to the decoder. */
static void feed(struct input *in, int c)
{
	long long now = now_ms();

	if (c == CODE_PASTE_START)
		input_paste_start(in, now);
	else if (c == CODE_PASTE_END)
		input_paste_end(in, now);
	else if (c > 0xFF)
		input_key(in, c, now);
	else
		input_byte(in, (unsigned char)c, now);
}

static struct ui_key key_of(const struct input_event *ev)
{
	struct ui_key k = {.code = UK_OTHER};

	switch (ev->kind) {
	case INPUT_CHAR:
		k.code = UK_CHAR;
		k.ch = ev->ch;
		k.pasted = ev->pasted;
		break;
	case INPUT_CONTROL:
		k.code = control_key((wint_t)ev->ch);
		break;
	case INPUT_KEY:
		k.code = function_key(ev->key);
		break;
	case INPUT_PASTE_END:
		k.code = UK_PASTE_END;
		break;
	case INPUT_BAD:
		k.code = UK_BAD_INPUT;
		k.bad_count = ev->bad_count;
		k.bad_first = ev->bad_first;
		break;
	}
	return k;
}

/* Bytes are read one at a time with wgetch (ncurses still recognises the
 * function keys and the paste markers) and decoded by tui/input.c; a wait
 * of the decoder (the rest of a character, the end of a paste) cuts the
 * wait for the next byte short. */
struct ui_key ui_read_key(int timeout_ms)
{
	struct input *in = ui_input();
	long long end = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	struct ui_key none = {.code = UK_NONE}, resize = {.code = UK_RESIZE};
	struct input_event ev;

	for (;;) {
		long long now = now_ms(), wait;
		bool for_decoder;
		int c;

		input_expire(in, now);
		if (input_next(in, &ev))
			return key_of(&ev);
		wait = input_wait_ms(in, now);
		for_decoder = wait >= 0 && (end < 0 || now + wait < end);
		if (!for_decoder)
			wait = end < 0 ? -1 : (end > now ? end - now : 0);
		timeout((int)wait);
		c = wgetch(stdscr);
		if (c == KEY_RESIZE)
			return resize; /* not typed: never held up or dropped by a paste */
		if (c != ERR)
			feed(in, c);
		else if (!for_decoder)
			return none;
	}
}

bool ui_keys_waiting(void)
{
	/* bytes ncurses read ahead matching an escape sequence are not seen:
	 * the screen is then drawn, which is never wrong */
	return input_waiting(ui_input()) || stdin_readable(0);
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
			           _(acts[i].label));
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
	utf8_pad(out, n, s, w);
}
