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
		err_set(&e, T("数据库文件不存在：%s", "no database file at %s"), o->db);
	else
		w->st = store_open_with(o->db, writable ? 0 : STORE_READONLY, STORE_BUSY_MS, &e);
	if (w->st == NULL) {
		fprintf(stderr, "tongban %s: %s\n", name, e.msg);
		return CLI_ERROR;
	}
	data_choose(w->st, o->data_root, &w->cat, &w->cal, note, sizeof note);
	if (note[0] != '\0')
		fprintf(stderr, T("tongban %s：注意：%s\n", "tongban %s: warning: %s\n"), name,
		        note);
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
	fprintf(stderr,
	        T("tongban %s：无法写入标准输出：%s\n",
	          "tongban %s: cannot write standard output: %s\n"),
	        name, strerror(errno));
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
