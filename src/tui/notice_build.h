/*
 * notice_build.h - filling the notice templates of forms/notices/ with a
 * case at the counter: who, what, which materials, which dates.
 */
#ifndef TB_TUI_NOTICE_BUILD_H
#define TB_TUI_NOTICE_BUILD_H

#include "core/checklist.h"
#include "core/date.h"
#include "store/store.h"
#include "tui/app.h"

/* A material committed to (告知承诺): what, and by when. */
struct commitment {
	const struct material *m;
	char content[256];
	struct tb_date due;
};

struct notice_input {
	const char *kind;     /* "acceptance", "supplement", "commitment", "refusal" */
	struct tb_date today; /* the hall's date, printed on the notice */
	const struct case_row *row;
	const struct item *item;
	const struct checklist *cl;
	const char *due_date;  /* acceptance/commitment: promised completion date text */
	const char *supply_by; /* supplement: date text */
	const char *note;      /* supplement: the clerk's note */
	const struct commitment *commits;
	size_t n_commits;
	char *const *refusal; /* refusal form values: reason, detail, legal_basis, apply_instead */
};

/* "2026年11月25日" */
void notice_date_text(struct tb_date d, char *out, size_t n);

/* Render the notice of in->kind from forms/notices/KIND.txt at 80 columns.
 * NULL with e on failure.  Caller frees. */
char *notice_build(const struct app *app, const struct notice_input *in, struct err *e);

#endif
