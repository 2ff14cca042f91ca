#include "tui/input.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/i18n.h"
#include "core/utf8.h"

#define NO_ICONV ((iconv_t)-1)

/* Longer than any character of UTF-8 or GB18030 (4 bytes). */
#define PEND_MAX 8

struct input {
	iconv_t cd; /* NO_ICONV: strict UTF-8 */
	unsigned char pend[PEND_MAX];
	size_t npend;     /* bytes of a character not yet complete */
	size_t bad_count; /* the run of dropped bytes not yet reported */
	unsigned char bad_first;
	long long last_ms; /* when the last byte, key or marker came */
	bool pasting;
	bool paste_space; /* the paste's last output was the space of a CR/LF/TAB run */
	size_t paste_bytes;
	struct input_event *q; /* events q[qhead..qlen) wait to be taken */
	size_t qhead, qlen, qcap;
};

/* What the bytes pending make. */
enum step {
	STEP_DONE, /* characters out, bytes used */
	STEP_MORE, /* a character that may complete with the next byte */
	STEP_BAD,  /* the first byte starts no character */
};

struct input *input_new(void)
{
	struct input *in = xmalloc(sizeof *in);

	memset(in, 0, sizeof *in);
	in->cd = NO_ICONV;
	return in;
}

void input_free(struct input *in)
{
	if (in == NULL)
		return;
	if (in->cd != NO_ICONV)
		iconv_close(in->cd);
	free(in->q);
	free(in);
}

static void push(struct input *in, struct input_event ev)
{
	if (in->qlen == in->qcap && in->qhead > 0) {
		memmove(in->q, in->q + in->qhead, (in->qlen - in->qhead) * sizeof *in->q);
		in->qlen -= in->qhead;
		in->qhead = 0;
	}
	if (in->qlen == in->qcap) {
		in->qcap = in->qcap ? in->qcap * 2 : 16;
		in->q = xrealloc(in->q, in->qcap * sizeof *in->q);
	}
	in->q[in->qlen++] = ev;
}

bool input_waiting(const struct input *in)
{
	return in->qhead < in->qlen || in->npend > 0 || in->bad_count > 0 || in->pasting;
}

bool input_next(struct input *in, struct input_event *ev)
{
	if (in->qhead == in->qlen)
		return false;
	*ev = in->q[in->qhead++];
	return true;
}

/* Report the run of dropped bytes, if any, as one event. */
static void flush_bad(struct input *in)
{
	struct input_event ev = {.kind = INPUT_BAD};

	if (in->bad_count == 0)
		return;
	ev.bad_count = in->bad_count;
	ev.bad_first = in->bad_first;
	push(in, ev);
	in->bad_count = 0;
}

static bool is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
}

/* A character inside a paste: a run of line breaks and tabs is one space,
 * other controls are nothing (a pasted Ctrl-A is not Home). */
static void paste_char(struct input *in, uint32_t cp)
{
	struct input_event ev = {.kind = INPUT_CHAR, .ch = cp, .pasted = true};

	if (cp == '\r' || cp == '\n' || cp == '\t') {
		if (in->paste_space)
			return;
		in->paste_space = true;
		ev.ch = ' ';
	} else if (is_control(cp)) {
		return;
	} else {
		in->paste_space = false;
	}
	push(in, ev);
}

static void emit_char(struct input *in, uint32_t cp)
{
	struct input_event ev = {.kind = INPUT_CHAR, .ch = cp};

	flush_bad(in);
	if (in->pasting) {
		paste_char(in, cp);
		return;
	}
	if (cp < 0x20 || cp == 0x7F)
		ev.kind = INPUT_CONTROL;
	push(in, ev);
}

/* Bytes of the UTF-8 character that lead starts; 0 when it starts none. */
static size_t utf8_lead_len(unsigned char lead)
{
	if (lead < 0x80)
		return 1;
	if (lead >= 0xC2 && lead <= 0xDF)
		return 2;
	if (lead >= 0xE0 && lead <= 0xEF)
		return 3;
	if (lead >= 0xF0 && lead <= 0xF4)
		return 4;
	return 0;
}

static enum step utf8_step(struct input *in, size_t *used)
{
	size_t need = utf8_lead_len(in->pend[0]), i;
	uint32_t cp;

	if (need == 0)
		return STEP_BAD;
	for (i = 1; i < in->npend && i < need; i++)
		if ((in->pend[i] & 0xC0) != 0x80)
			return STEP_BAD;
	if (in->npend < need)
		return STEP_MORE;
	/* overlongs, surrogates and code points past U+10FFFF */
	if (utf8_decode((const char *)in->pend, need, &cp) != need)
		return STEP_BAD;
	emit_char(in, cp);
	*used = need;
	return STEP_DONE;
}

static enum step iconv_step(struct input *in, size_t *used)
{
	char out[PEND_MAX * 4 + 8], *ip = (char *)in->pend, *op = out;
	size_t il = in->npend, ol = sizeof out, r, i = 0;
	int err;

	iconv(in->cd, NULL, NULL, NULL, NULL);
	r = iconv(in->cd, &ip, &il, &op, &ol);
	err = errno;
	*used = in->npend - il;
	while (i < (size_t)(op - out)) {
		uint32_t cp;

		i += utf8_decode(out + i, (size_t)(op - out) - i, &cp);
		emit_char(in, cp);
	}
	if (r != (size_t)-1 || *used > 0)
		return STEP_DONE;
	return err == EINVAL ? STEP_MORE : STEP_BAD;
}

/* The first pending byte starts no character: it joins the run of bad bytes. */
static void drop_first(struct input *in)
{
	if (in->bad_count++ == 0)
		in->bad_first = in->pend[0];
	in->npend--;
	memmove(in->pend, in->pend + 1, in->npend);
}

/*
 * Turn the pending bytes into characters, dropping one byte at a time what
 * starts none.  A character that may still complete is kept unless final
 * (no more bytes are coming for it).
 */
static void decode(struct input *in, bool final)
{
	while (in->npend > 0) {
		size_t used = 0;
		enum step s = in->cd == NO_ICONV ? utf8_step(in, &used) : iconv_step(in, &used);

		if (s == STEP_DONE) {
			in->npend -= used;
			memmove(in->pend, in->pend + used, in->npend);
		} else if (s == STEP_MORE && !final && in->npend < PEND_MAX) {
			break;
		} else {
			drop_first(in);
		}
	}
}

/* Whatever is half received is finished: truncated bytes dropped, bad
 * bytes reported. */
static void settle(struct input *in)
{
	decode(in, true);
	flush_bad(in);
}

static void end_paste(struct input *in)
{
	struct input_event ev = {.kind = INPUT_PASTE_END};

	settle(in);
	in->pasting = false;
	push(in, ev);
}

int input_set_encoding(struct input *in, const char *name, struct err *e)
{
	iconv_t cd = NO_ICONV;

	if (strcasecmp(name, "utf-8") != 0 && strcasecmp(name, "utf8") != 0) {
		cd = iconv_open("UTF-8", name);
		if (cd == NO_ICONV) {
			err_set(e, _("cannot read input as %s: %s"), name, strerror(errno));
			return -1;
		}
	}
	settle(in);
	if (in->cd != NO_ICONV)
		iconv_close(in->cd);
	in->cd = cd;
	return 0;
}

void input_byte(struct input *in, unsigned char b, long long now_ms)
{
	in->last_ms = now_ms;
	in->pend[in->npend++] = b;
	decode(in, false);
	/* cut an endless paste, but between characters */
	if (in->pasting && ++in->paste_bytes >= INPUT_PASTE_MAX_BYTES && in->npend == 0)
		end_paste(in);
}

void input_key(struct input *in, int key, long long now_ms)
{
	struct input_event ev = {.kind = INPUT_KEY, .key = key};

	in->last_ms = now_ms;
	settle(in);
	if (!in->pasting)
		push(in, ev);
}

void input_paste_start(struct input *in, long long now_ms)
{
	in->last_ms = now_ms;
	settle(in);
	if (in->pasting)
		return;
	in->pasting = true;
	in->paste_space = false;
	in->paste_bytes = 0;
}

void input_paste_end(struct input *in, long long now_ms)
{
	in->last_ms = now_ms;
	if (in->pasting)
		end_paste(in);
}

long long input_wait_ms(const struct input *in, long long now_ms)
{
	long long due;

	if (in->npend > 0 || in->bad_count > 0)
		due = in->last_ms + INPUT_CHAR_WAIT_MS;
	else if (in->pasting)
		due = in->last_ms + INPUT_PASTE_SILENCE_MS;
	else
		return -1;
	return due > now_ms ? due - now_ms : 0;
}

void input_expire(struct input *in, long long now_ms)
{
	if (in->npend > 0 || in->bad_count > 0) {
		if (now_ms - in->last_ms < INPUT_CHAR_WAIT_MS)
			return;
		settle(in);
	}
	if (in->pasting && now_ms - in->last_ms >= INPUT_PASTE_SILENCE_MS)
		end_paste(in);
}
