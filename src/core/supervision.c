/* supervision.c - the supervision flag of a case (see supervision.h). */
#include "core/supervision.h"

#include <string.h>

#include "core/casestate.h"

/* The date part of "YYYY-MM-DD..." into d: 0, or -1 when there is none. */
static int date_of(const char *s, struct tb_date *d)
{
	char day[TB_DATE_LEN];

	if (s == NULL || strlen(s) < TB_DATE_LEN - 1)
		return -1;
	memcpy(day, s, TB_DATE_LEN - 1);
	day[TB_DATE_LEN - 1] = '\0';
	return tb_date_parse(day, d);
}

static enum supervision_flag flag_of(enum cal_warning w)
{
	switch (w) {
	case CAL_RED:
		return SUP_RED;
	case CAL_YELLOW:
		return SUP_YELLOW;
	case CAL_NO_DATA:
		return SUP_NO_DATA;
	default:
		return SUP_NONE;
	}
}

struct supervision supervision_of(const struct calendar *cal, struct tb_date today, int yellow_days,
                                  const char *state, const char *received, const char *due,
                                  const char *commit_due)
{
	struct supervision s = {SUP_NONE, false, {0, 0, 0}};
	struct tb_date day;

	if (cal == NULL || state == NULL)
		return s;
	if (strcmp(state, "received") == 0 && date_of(received, &day) == 0 &&
	    casestate_deemed_accepted(cal, day, today, false, &s.date, NULL) == 1) {
		s.flag = SUP_DEEMED;
		return s;
	}
	if ((strcmp(state, "accepted") == 0 || strcmp(state, "in_review") == 0) &&
	    date_of(due, &s.date) == 0) {
		s.flag = flag_of(cal_warning(cal, today, s.date, yellow_days));
	} else if (strcmp(state, "accepted_commitment") == 0 && date_of(commit_due, &s.date) == 0) {
		s.commitment = true;
		s.flag = flag_of(cal_warning(cal, today, s.date, yellow_days));
	}
	return s;
}
