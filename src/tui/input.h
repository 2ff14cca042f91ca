/*
 * input.h - raw terminal input to key events, with no curses in it.
 *
 * The terminal layer (ui.c) hands over every byte it reads, the function
 * keys it has already recognised, and the start and end of a bracketed
 * paste; the decoder turns them into events:
 *
 *   - characters, decoded strictly from UTF-8 or, for card readers and
 *     terminals that send it, from another stateless encoding through
 *     iconv (GB18030, which covers GBK and GB2312);
 *   - an invalid or truncated sequence is dropped one byte at a time (the
 *     next byte is tried as the start of a new character), so no valid
 *     character after a bad byte is lost; each run of dropped bytes gives
 *     one INPUT_BAD event;
 *   - inside a paste, characters are flagged as pasted, a run of CR, LF and
 *     TAB becomes one space, every other control character and function key
 *     is ignored, and the end of the paste is an event of its own.  A paste
 *     that never ends ends by itself after INPUT_PASTE_MAX_BYTES or
 *     INPUT_PASTE_SILENCE_MS without a byte.
 *
 * Time is given by the caller (milliseconds on any monotonic clock), so
 * that the waits can be tested without sleeping.
 */
#ifndef TB_TUI_INPUT_H
#define TB_TUI_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/util.h"

/* The later bytes of a character are waited for this long, then the
 * character is taken as truncated. */
#define INPUT_CHAR_WAIT_MS 40

/* A paste without its end marker ends after this much silence or this many
 * bytes. */
#define INPUT_PASTE_SILENCE_MS 1000
#define INPUT_PASTE_MAX_BYTES  (64 * 1024)

enum input_kind {
	INPUT_CHAR,      /* a character (U+0020 and above, not DEL): ch, pasted */
	INPUT_CONTROL,   /* a typed control character (below U+0020, or DEL): ch */
	INPUT_KEY,       /* a function key of the terminal layer, typed: key */
	INPUT_PASTE_END, /* the end of a paste (marked, or by itself) */
	INPUT_BAD,       /* bad_count bytes were dropped, the first is bad_first */
};

struct input_event {
	enum input_kind kind;
	uint32_t ch;
	int key;
	bool pasted;
	size_t bad_count;
	unsigned char bad_first;
};

struct input;

/* A decoder for UTF-8 with no paste open.  Caller frees with input_free(). */
struct input *input_new(void);
void input_free(struct input *in);

/*
 * Decode name from now on: "utf-8" (any case) with the strict built-in
 * decoder, anything else through iconv ("GB18030").  Returns 0, or -1 with
 * e saying so when iconv does not know the encoding; the decoder then keeps
 * the encoding it had.  A character half received is dropped as bad.
 */
int input_set_encoding(struct input *in, const char *name, struct err *e);

/* One byte read from the terminal at time now_ms. */
void input_byte(struct input *in, unsigned char b, long long now_ms);

/* A function key the terminal layer recognised (its own code, passed on
 * untouched in INPUT_KEY).  Ends a character half received. */
void input_key(struct input *in, int key, long long now_ms);

/* The terminal's paste start (ESC [ 2 0 0 ~) and end (ESC [ 2 0 1 ~)
 * markers.  A start inside a paste and an end outside one are ignored. */
void input_paste_start(struct input *in, long long now_ms);
void input_paste_end(struct input *in, long long now_ms);

/*
 * Milliseconds from now_ms until input_expire() has something to do (0 when
 * it is due), or -1 when nothing waits: no character half received, no run
 * of bad bytes to report, no paste open.
 */
long long input_wait_ms(const struct input *in, long long now_ms);

/* Act on the waits that are over at now_ms: a character half received is
 * truncated (dropped as bad), a silent paste ends. */
void input_expire(struct input *in, long long now_ms);

/* Whether something is on its way: an event to take, a character half
 * received, a run of bad bytes not yet reported, a paste open. */
bool input_waiting(const struct input *in);

/* Take the oldest event into *ev.  false when there is none. */
bool input_next(struct input *in, struct input_event *ev);

#endif
