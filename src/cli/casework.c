/* casework.c - what tongban cases, stats and export share (casework.h). */
#include "cli/casework.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/casestate.h"
#include "core/i18n.h"
#include "core/idcard.h"
#include "core/phone.h"
#include "sync/data.h"

/* The clerk of the session of the last online login, "" when none. */
static void last_clerk(struct store *st, char out[64])
{
	out[0] = '\0';
	if (store_session_get(st, out, NULL, NULL, NULL) != 1)
		out[0] = '\0';
}

int casework_open(struct casework *w, const struct cli_options *o, const char *name, bool writable)
{
	struct err e = {0};
	char note[1024];

	memset(w, 0, sizeof *w);
	/* a read-write open would make an empty database where there is none */
	if (writable && access(o->db, F_OK) != 0)
		err_set(&e, _("no database file at %s"), o->db);
	else
		w->st = store_open_with(o->db, writable ? 0 : STORE_READONLY, STORE_BUSY_MS, &e);
	if (w->st == NULL) {
		fprintf(stderr, "tongban %s: %s\n", name, e.msg);
		return CLI_ERROR;
	}
	data_choose(w->st, o->data_root, &w->cat, &w->cal, note, sizeof note);
	if (note[0] != '\0')
		fprintf(stderr, _("tongban %s: warning: %s\n"), name, note);
	last_clerk(w->st, w->clerk);
	return 0;
}

void casework_close(struct casework *w)
{
	catalogue_free(w->cat);
	cal_free(w->cal);
	store_close(w->st);
	memset(w, 0, sizeof *w);
}

struct tb_date casework_today(void)
{
	return tb_date_from_time_shanghai(store_clock_now());
}

int casework_flush_stdout(const char *name)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	fprintf(stderr, _("tongban %s: cannot write standard output: %s\n"), name, strerror(errno));
	return CLI_ERROR;
}

char *casework_id_number(const char *s, bool full)
{
	return full ? xstrdup(s) : idcard_mask(s);
}

char *casework_phone(const char *s, bool full)
{
	return full ? xstrdup(s) : phone_mask(s);
}

const char *casework_state_label(const char *state)
{
	enum case_state s;

	return casestate_from_name(state, &s) == 0 ? casestate_label(s) : state;
}

/* ---- the period ----------------------------------------------------------- */

bool casework_period_option(struct casework_period *p, int c, const char *arg)
{
	switch (c) {
	case 'F':
		p->from_arg = arg;
		return true;
	case 'T':
		p->to_arg = arg;
		return true;
	case 'D':
		p->span = CW_SPAN_DAY;
		return true;
	case 'W':
		p->span = CW_SPAN_WEEK;
		return true;
	case 'M':
		p->span = CW_SPAN_MONTH;
		return true;
	default:
		return false;
	}
}

/* The span containing today. */
static void span_of(struct casework_period *p, struct tb_date today)
{
	p->from = p->to = today;
	if (p->span == CW_SPAN_WEEK) {
		p->from = tb_date_add_days(today, -((tb_date_weekday(today) + 6) % 7));
		p->to = tb_date_add_days(p->from, 6);
	} else if (p->span == CW_SPAN_MONTH) {
		p->from.d = 1;
		p->to.d = tb_date_days_in_month(today.y, today.m);
	}
}

/* arg as a date into out (today when arg is NULL).  0 or -1 with why. */
static int date_arg(const char *option, const char *arg, struct tb_date today, struct tb_date *out,
                    char *why, size_t n)
{
	*out = today;
	if (arg == NULL || tb_date_parse(arg, out) == 0)
		return 0;
	snprintf(why, n, _("%s: \"%s\" is not a valid date (expected YYYY-MM-DD)"), option, arg);
	return -1;
}

int casework_period_resolve(struct casework_period *p, struct tb_date today, char *why, size_t n)
{
	char from[TB_DATE_LEN], to[TB_DATE_LEN];

	if (p->span != CW_SPAN_NONE) {
		if (p->from_arg || p->to_arg) {
			snprintf(why, n, "%s",
			         _("--day, --week and --month do not go with --from and --to"));
			return -1;
		}
		span_of(p, today);
		return 0;
	}
	if (date_arg("--from", p->from_arg, today, &p->from, why, n) < 0 ||
	    date_arg("--to", p->to_arg, today, &p->to, why, n) < 0)
		return -1;
	if (tb_date_cmp(p->from, p->to) > 0) {
		snprintf(why, n, _("the start %s is after the end %s"),
		         tb_date_format(p->from, from), tb_date_format(p->to, to));
		return -1;
	}
	return 0;
}
