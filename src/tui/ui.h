/*
 * ui.h - the ncursesw frame every screen shares: start/stop, keys, clipped
 * UTF-8 drawing by display width, and the four fixed lines (header at the
 * top; message, keys and status at the bottom).
 */
#ifndef TB_TUI_UI_H
#define TB_TUI_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Key codes beyond characters, normalised across terminals. */
enum ui_keycode {
	UK_NONE = 0, /* timeout: nothing typed */
	UK_CHAR,     /* a printable character in key.ch */
	UK_ENTER,
	UK_TAB,
	UK_BTAB,
	UK_ESC,
	UK_BACKSPACE,
	UK_DELETE,
	UK_LEFT,
	UK_RIGHT,
	UK_UP,
	UK_DOWN,
	UK_HOME,
	UK_END,
	UK_PGUP,
	UK_PGDN,
	UK_INSERT,
	UK_WORD_LEFT,
	UK_WORD_RIGHT,
	UK_CLEAR, /* Ctrl-U: clear the field */
	UK_RESIZE,
	UK_F1, /* F1..F12 are consecutive */
	UK_F2,
	UK_F3,
	UK_F4,
	UK_F5,
	UK_F6,
	UK_F7,
	UK_F8,
	UK_F9,
	UK_F10,
	UK_F11,
	UK_F12,
	UK_HANGUP, /* SIGTERM or SIGHUP: save what is typed and leave */
	UK_OTHER,
	UK_PASTE_END, /* the end of a paste: the pasted characters came before it */
	UK_BAD_INPUT, /* invalid input bytes were dropped: bad_count, bad_first */
};

struct ui_key {
	enum ui_keycode code;
	uint32_t ch;             /* UK_CHAR */
	bool pasted;             /* UK_CHAR: from a paste, not typed */
	size_t bad_count;        /* UK_BAD_INPUT: how many bytes were dropped */
	unsigned char bad_first; /* UK_BAD_INPUT: the first of them */
};

/*
 * An action of a screen: its key, the label on the keys line and the F1
 * page, and what it does.  A screen is a table of these: its loop finds the
 * key's entry (ui_action_find) and runs it.  run gets the screen's own
 * state and arg, and returns the next screen (enum screen_id of
 * tui/app.h), or UI_STAY to stay; NULL run: a label only (the screen's own
 * editing keys).
 */
#define UI_STAY (-1)
struct ui_action {
	enum ui_keycode key;
	const char *key_name; /* "F2" */
	const char *label;    /* English, N_(): shown translated */
	int (*run)(void *screen, const void *arg);
	const void *arg;
};

/* The entry of acts[0..n) for key k with a run function, or NULL. */
const struct ui_action *ui_action_find(const struct ui_action *acts, int n, struct ui_key k);

struct err;

/* Start curses (locale must be set already) with bracketed paste on.  -1
 * when the terminal cannot. */
int ui_start(void);
void ui_stop(void);

/*
 * Give the terminal the processor for up to ms milliseconds, or until a key
 * comes (the key stays unread): on a one-core machine the terminal emulator
 * (or sshd) can then show the screen just written before start-up goes on.
 */
void ui_settle(int ms);

/* Read keys in encoding name from now on ("utf-8", "gb18030"); may be
 * called before ui_start.  -1 with e when the encoding cannot be read (the
 * keys stay in the encoding they had). */
int ui_set_input_encoding(const char *name, struct err *e);

/*
 * Wait up to timeout_ms (-1: for ever) for a key; typed-ahead keys come back
 * in order.  Invalid bytes are dropped (never the valid characters after
 * them) and come back as one UK_BAD_INPUT per run; a paste gives its
 * characters with pasted set (its line breaks as spaces, never a control
 * key) and then UK_PASTE_END.
 */
struct ui_key ui_read_key(int timeout_ms);

/* Whether keys typed ahead wait to be read (a hint: a screen may leave out a
 * costly redraw that the next key would replace; never to decide what a key
 * does). */
bool ui_keys_waiting(void);

/* Draw s at (y, x) clipped to maxw columns, never splitting a wide
 * character; returns the columns used.  attr is a curses attribute. */
int ui_put(int y, int x, int maxw, const char *s, int attr);

/* The same, padding with spaces up to maxw columns. */
void ui_put_pad(int y, int x, int maxw, const char *s, int attr);

/* s cut at a whole character or padded with spaces to w display columns,
 * into out (n bytes). */
void ui_pad_text(char *out, size_t n, const char *s, int w);

/* Centered on row y. */
void ui_put_center(int y, const char *s, int attr);

/* The fixed lines. */
void ui_header(const char *left, const char *right);
void ui_message(const char *msg, bool is_error);
void ui_keys_line(const struct ui_action *acts, int n);
void ui_status_line(const char *s, bool warn);

/* Rows available to a screen's body: 1 .. ui_body_bottom(). */
int ui_body_bottom(void);

int ui_rows(void);
int ui_cols(void);

/* Attributes. */
int ui_attr_title(void);
int ui_attr_field(void);
int ui_attr_field_focus(void);
int ui_attr_error(void);
int ui_attr_dim(void);
int ui_attr_select(void);

#endif
