/* progress.c - the bar on a terminal, plain lines otherwise (progress.h). */
#include "core/progress.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/util.h"

#define BAR_WIDTH    20   /* cells of the bar when the terminal is wide enough */
#define BAR_MIN      5    /* narrower than this, no bar at all */
#define REDRAW_MS    100  /* the bar at most ten times a second */
#define LONG_UNITS   1000 /* plain lines: work this big is long from the start */
#define LONG_MS      2000 /* ... and any work still going after this long */
#define LINE_MAX_COL 400

void progress_begin(struct progress *p, FILE *f, const char *label, long long total)
{
	memset(p, 0, sizeof *p);
	p->f = f;
	p->tty = isatty(fileno(f)) != 0;
	str_copy(p->label, sizeof p->label, label);
	p->total = total;
	p->tenth_said = -1;
	p->start_ms = clock_ms();
}

void progress_set_total(struct progress *p, long long total)
{
	p->total = total;
}

static int percent(const struct progress *p)
{
	long long d = p->done < p->total ? p->done : p->total;

	return (int)(d * 100 / p->total);
}

/* Columns of the terminal, less one (writing the last one wraps some). */
static int usable_cols(FILE *f)
{
	struct winsize w;

	if (ioctl(fileno(f), TIOCGWINSZ, &w) == 0 && w.ws_col > 1)
		return w.ws_col - 1;
	return 79;
}

/* "[#####.....]" of width cells (brackets included) into out. */
static void bar_text(const struct progress *p, int width, char *out)
{
	int inner = width - 2, full = (int)((long long)inner * percent(p) / 100), i;

	out[0] = '[';
	for (i = 0; i < inner; i++)
		out[1 + i] = i < full ? '#' : '.';
	out[1 + inner] = ']';
	out[2 + inner] = '\0';
}

static void draw_bar(struct progress *p)
{
	char nums[64], bar[BAR_WIDTH + 4] = "", line[LINE_MAX_COL * 4 + 1], *text;
	int cols = usable_cols(p->f), fixed, width;

	if (cols > LINE_MAX_COL)
		cols = LINE_MAX_COL;
	if (p->total > 0)
		snprintf(nums, sizeof nums, "%3d%% %lld/%lld", percent(p), p->done, p->total);
	else
		snprintf(nums, sizeof nums, "%lld", p->done);
	/* label, bar and numbers each followed by a space */
	fixed = utf8_width(p->label) + 1 + utf8_width(nums) + 1;
	width = cols - fixed - 1 < BAR_WIDTH + 2 ? cols - fixed - 1 : BAR_WIDTH + 2;
	if (p->total > 0 && width >= BAR_MIN + 2) {
		bar_text(p, width, bar);
		strcat(bar, " ");
	}
	text = xasprintf("%s %s%s %s", p->label, bar, nums, p->detail);
	/* padded to the width, so that a shorter line covers the longer one */
	utf8_pad(line, sizeof line, text, cols);
	fprintf(p->f, "\r%s", line);
	fflush(p->f);
	free(text);
}

static void say_line(struct progress *p)
{
	if (p->total > 0)
		fprintf(p->f, _("%s: %lld/%lld (%d%%) %s\n"), p->label, p->done, p->total,
		        percent(p), p->detail);
	else
		fprintf(p->f, _("%s: %lld %s\n"), p->label, p->done, p->detail);
	fflush(p->f);
}

/* Whether a plain line is due now (the rules of progress.h). */
static bool line_due(struct progress *p, long long now)
{
	if (p->total < LONG_UNITS && now - p->start_ms < LONG_MS)
		return false;
	if (p->total > 0) {
		int tenth = percent(p) / 10;

		if (tenth <= p->tenth_said)
			return false;
		p->tenth_said = tenth;
		return true;
	}
	return !p->said || now - p->said_ms >= LONG_MS;
}

void progress_set(struct progress *p, long long done, const char *detail)
{
	long long now = clock_ms();
	bool due;

	p->done = done;
	str_copy(p->detail, sizeof p->detail, detail ? detail : "");
	p->dirty = true;
	due = p->tty ? !p->said || now - p->said_ms >= REDRAW_MS : line_due(p, now);
	if (!due)
		return;
	if (p->tty)
		draw_bar(p);
	else
		say_line(p);
	p->said = true;
	p->said_ms = now;
	p->said_done = done;
	p->dirty = false;
}

void progress_end(struct progress *p)
{
	if (p->tty && (p->said || p->dirty)) {
		draw_bar(p);
		fputc('\n', p->f);
		fflush(p->f);
	} else if (!p->tty && p->said && p->dirty && p->done != p->said_done) {
		/* the last count, unless the last line said it already */
		say_line(p);
	}
	p->said = false;
	p->dirty = false;
}
