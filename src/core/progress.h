/*
 * progress.h - how far long work in the shell has come (tongban sync, db
 * recover, tongband migrate), on standard error.
 *
 * On a terminal: one line redrawn in place, at most ten times a second,
 *   上传 [##########..........]  50% 5000/10000 新增 5000，重复 0，问题 0
 * cut to the terminal's width, and left on the screen at the end.
 * Otherwise (cron, a pipe, a log file), and only for long work (1,000
 * units or more, or still going after 2 seconds), so that a cron job
 * with little to do stays silent: a plain line each time another tenth of
 * the way is done, and at the end,
 *   上传：5000/10000（50%）新增 5000，重复 0，问题 0
 * and, when the amount of work is not known in advance, a line every 2
 * seconds and one at the end.
 */
#ifndef TB_CORE_PROGRESS_H
#define TB_CORE_PROGRESS_H

#include <stdbool.h>
#include <stdio.h>

struct progress {
	FILE *f;
	bool tty;              /* draw the bar (f is a terminal) */
	char label[64];        /* "上传" */
	char detail[256];      /* the counts after the numbers */
	long long done, total; /* total <= 0: not known, no bar and no percentage */
	int tenth_said;        /* plain lines: the last tenth written, -1 none */
	long long start_ms;    /* progress_begin */
	long long said_ms;     /* when the bar or the last plain line was written */
	long long said_done;   /* the done of the last plain line */
	bool said;             /* something was written */
	bool dirty;            /* done or detail changed since then */
};

/* Begin showing work of total units (<= 0 when not known) under label on
 * f; a bar when f is a terminal.  Nothing is written yet. */
void progress_begin(struct progress *p, FILE *f, const char *label, long long total);

/* The amount of work (<= 0: not known), when it is known only once the
 * work has begun. */
void progress_set_total(struct progress *p, long long total);

/* done units so far, and what to say after them (may be NULL or "").
 * Writes only when the rules above say so. */
void progress_set(struct progress *p, long long done, const char *detail);

/* On a terminal, draw the last state (the bar stays on its line) and end
 * the line; otherwise write the last count when lines were written and it
 * was not.  Writes nothing when progress_set was never called. */
void progress_end(struct progress *p);

#endif
