/*
 * term.h - run a program in a pseudo-terminal and read its screen.
 *
 * The end-to-end tests drive the real tongban binary the way a clerk does:
 * they type bytes into a pty (Chinese as UTF-8) and read back what an xterm
 * would show, through libvterm.  Nothing here sleeps for a fixed time: every
 * wait polls the pty with the time that remains, so a fast machine runs the
 * suite fast and a slow one (or a sanitizer build) still passes.
 *
 * Rows and columns are 0-based screen cells.  A wide (CJK) character takes
 * two cells; text matching ignores its second cell, so "张三丰" matches
 * what ncurses drew for 张三丰.  Text is matched within one row only.
 *
 * Every live term is also recorded so that an atexit handler kills its
 * process: a test that fails half-way never leaves a child behind.
 */
#ifndef TB_HARNESS_TERM_H
#define TB_HARNESS_TERM_H

#include "core/util.h"

/* Keys as an xterm sends them (TERM=xterm-256color) to a curses program, which
 * always switches the keypad to application mode: cursor keys are SS3 (ESC O). */
#define TERM_KEY_ENTER     "\r"
#define TERM_KEY_TAB       "\t"
#define TERM_KEY_BTAB      "\033[Z" /* Shift-Tab */
#define TERM_KEY_ESC       "\033"
#define TERM_KEY_BACKSPACE "\177"
#define TERM_KEY_UP        "\033OA"
#define TERM_KEY_DOWN      "\033OB"
#define TERM_KEY_RIGHT     "\033OC"
#define TERM_KEY_LEFT      "\033OD"
#define TERM_KEY_HOME      "\033OH"
#define TERM_KEY_END       "\033OF"
#define TERM_KEY_INSERT    "\033[2~"
#define TERM_KEY_DELETE    "\033[3~"
#define TERM_KEY_PGUP      "\033[5~"
#define TERM_KEY_PGDN      "\033[6~"
#define TERM_KEY_F1        "\033OP"
#define TERM_KEY_F2        "\033OQ"
#define TERM_KEY_F3        "\033OR"
#define TERM_KEY_F4        "\033OS"
#define TERM_KEY_F5        "\033[15~"
#define TERM_KEY_F6        "\033[17~"
#define TERM_KEY_F7        "\033[18~"
#define TERM_KEY_F8        "\033[19~"
#define TERM_KEY_F9        "\033[20~"
#define TERM_KEY_F10       "\033[21~"
#define TERM_KEY_F11       "\033[23~"
#define TERM_KEY_F12       "\033[24~"
/* Control keys: TERM_KEY_CTRL('a') is "\001". */
#define TERM_KEY_CTRL(c) ((char[]){(char)((c)&0x1f), '\0'})

struct term;

/*
 * Start argv[0] (searched in PATH) in a new pty of rows x cols.  The child
 * gets TERM=xterm-256color, LANG=LC_ALL=C.UTF-8 (so ncursesw draws Chinese
 * whatever the tester's locale), no LINES or COLUMNS, and then every "K=V" of
 * envp_extra (NULL-terminated, may be NULL), which overrides all of these and
 * the inherited environment.  Returns NULL with e filled if the pty or fork
 * fails; an exec failure shows as the child exiting with status 127 and a
 * message on screen.
 * Free with term_close().
 */
struct term *term_spawn(char *const argv[], char *const envp_extra[], int rows, int cols,
                        struct err *e);

/*
 * Wait up to timeout_ms for output, feed whatever is available to the screen
 * and answer the terminal's replies (ncurses queries).  Returns the number of
 * bytes read (0 on timeout), or -1 once the child has exited and its output
 * is drained, or the pty is closed.
 */
int term_pump(struct term *t, int timeout_ms);

/* Pump until utf8 appears on some row.  Returns 0 when found, -1 on timeout
 * or when the child exits without showing it. */
int term_wait_text(struct term *t, const char *utf8, int timeout_ms);

/* Pump until utf8 is on no row.  Returns 0 when gone, -1 on timeout (or the
 * child exited with the text still on the screen). */
int term_wait_gone(struct term *t, const char *utf8, int timeout_ms);

/* Pump for up to timeout_ms until the screen has not changed for quiet_ms.
 * Returns 0 when quiet, -1 on timeout.  For screenshots of a settled screen;
 * prefer term_wait_text when you know what to expect. */
int term_wait_quiet(struct term *t, int quiet_ms, int timeout_ms);

/* Find utf8 on the screen (no pumping).  Returns 1 and sets *row, *col (the
 * cell where it starts; either may be NULL) when found, else 0. */
int term_find(struct term *t, const char *utf8, int *row, int *col);

/* One screen row as UTF-8, trailing spaces trimmed; "" for a blank or
 * out-of-range row.  Caller frees. */
char *term_line(struct term *t, int row);

/* The whole screen, rows joined by '\n' (trailing blank rows kept), for
 * failure messages.  Caller frees. */
char *term_screen(struct term *t);

/* The cursor position as 0-based row and column; either may be NULL. */
void term_cursor(struct term *t, int *row, int *col);

/* The screen size. */
void term_size(struct term *t, int *rows, int *cols);

/*
 * Type utf8 (all bytes, Chinese included), reading the child's output
 * meanwhile so neither side blocks.  Returns 0, or -1 if the child is gone or
 * the pty stayed full for 10 s.
 */
int term_send(struct term *t, const char *utf8);

/* term_send of raw bytes, NULs included. */
int term_send_bytes(struct term *t, const void *bytes, size_t len);

/* How many bytes the child has written to the terminal so far (what was
 * read of it by the pumps). */
unsigned long long term_bytes_read(const struct term *t);

/* Resize the pty (the child gets SIGWINCH) and the screen.  Returns 0 or -1. */
int term_resize(struct term *t, int rows, int cols);

/*
 * Pump until the child exits.  Returns 0 and stores its wait status (use
 * WIFEXITED/WEXITSTATUS) in *status (may be NULL), or -1 on timeout.
 */
int term_wait_exit(struct term *t, int timeout_ms, int *status);

/* Whether the child is still running (not yet reaped). */
int term_is_running(struct term *t);

/* The child's process id. */
int term_pid(const struct term *t);

/* SIGTERM the child (and its process group), SIGKILL after 1 s, reap it and
 * free everything.  Safe on NULL. */
void term_close(struct term *t);

#endif
