/*
 * supervision.h - the supervision flag of a case (电子监察, seed 000 §12): red
 * when a promised date or a commitment's date has passed, yellow when few
 * working days remain, and the 5-working-day rule of 行政许可法 art. 32 for
 * a case received but never decided.
 */
#ifndef TB_CORE_SUPERVISION_H
#define TB_CORE_SUPERVISION_H

#include <stdbool.h>

#include "core/calendar.h"
#include "core/date.h"

enum supervision_flag {
	SUP_NONE,
	SUP_YELLOW,  /* due soon */
	SUP_RED,     /* overdue */
	SUP_DEEMED,  /* received 5 working days ago and still undecided: accepted by law */
	SUP_NO_DATA, /* the calendar lacks the year */
};

/* What the flag is about, for the clerk. */
struct supervision {
	enum supervision_flag flag;
	bool commitment;     /* the date is a commitment's (承诺补交), not the completion's */
	struct tb_date date; /* the date that matters */
};

/*
 * The flag of a case in state (a wire name of core/casestate.h) received on
 * received ("YYYY-MM-DD..."), promised by due and with its earliest
 * commitment by commit_due ("" when none), today, yellow at yellow_days
 * working days left.  cal NULL: SUP_NONE.
 */
struct supervision supervision_of(const struct calendar *cal, struct tb_date today, int yellow_days,
                                  const char *state, const char *received, const char *due,
                                  const char *commit_due);

#endif
