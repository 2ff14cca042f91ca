/*
 * tbfixture.h - cases for the tests, made the way the counter makes them:
 * through core's decisions (core/decision.h) into a real store, with the
 * bundled catalogue, calendar, settings and notice templates of the source
 * tree ($TONGBAN_SRCDIR, else ".").
 */
#ifndef TB_HARNESS_TBFIXTURE_H
#define TB_HARNESS_TBFIXTURE_H

#include "core/calendar.h"
#include "core/catalogue.h"
#include "core/config.h"
#include "core/decision.h"
#include "core/form.h"
#include "store/store.h"

/* 建筑垃圾处置许可: 8 materials, the 2nd shared data; no commitment.  Its
 * deciding department (the back office that may decide its cases). */
#define TBFIX_ITEM      "000101001000"
#define TBFIX_ITEM_DEPT "市城市管理和综合执法局"
/* 用气报装 · 工商户燃气报装: commitment allowed (m5). */
#define TBFIX_COMMIT_ITEM      "002005201002"
#define TBFIX_COMMIT_ITEM_DEPT "市燃气有限公司"

struct tbfixture {
	struct store *st;
	struct clerk clerk;
	char terminal[TERMINAL_CODE_SIZE];
	struct catalogue *cat;
	struct calendar *cal;
	struct config cfg;
	struct form *refusal;
	char *data_root;
	struct decision_sink sink;
	const char *id_number; /* the next new case's applicant ID (default 11010519491231002X) */
	const char *phone;     /* ... and phone (default 13800138000) */
};

/* Load the bundled data for decisions into st by clerk c (NULL: demo, H001,
 * window 3, terminal T01).  0 or -1 with e. */
int tbfixture_open(struct tbfixture *f, struct store *st, const struct clerk *c, struct err *e);
void tbfixture_close(struct tbfixture *f);

/*
 * A new case of item for applicant name (ID 11010519491231002X, phone
 * 13800138000), decided at once by d: accept with every material in; notice
 * with the first required material missing; commit with the committable
 * materials committed; refuse with a reason.  Fills out (may be NULL).  0 or
 * -1 with e (the store's kind).
 */
int tbfixture_case(struct tbfixture *f, const struct decision *d, const char *item,
                   const char *name, struct case_row *out, struct err *e);

/* Decision d on the stored case id (as the screens would make it, with
 * every material in; a supplement when the case awaits one); note is the
 * note's text.  0 or -1. */
int tbfixture_decide(struct tbfixture *f, const struct decision *d, const char *case_id,
                     const char *note, struct err *e);

/* The same with the release (and its joint parts), rating, comment, note
 * and reason of extra
 * (the rest of extra is not read). */
int tbfixture_decide_with(struct tbfixture *f, const struct decision *d, const char *case_id,
                          const struct decision_input *extra, struct err *e);

/* tbfixture_case with ck_assert on success; returns the case's id in a
 * static buffer (valid until the next call). */
const char *tbfixture_accepted(struct tbfixture *f, const char *name);

#endif
