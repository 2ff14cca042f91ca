/*
 * tbcheck.h - what the Check test programs share: running a suite, the
 * source tree and binaries given by `make check`, and driving the real
 * tongban TUI in a pseudo-terminal.
 */
#ifndef TB_HARNESS_TBCHECK_H
#define TB_HARNESS_TBCHECK_H

#include <check.h>

#include "term.h"

/*
 * Typing an intake of 建筑垃圾处置许可 (pinyin jzlj) as a clerk does, for
 * the e2e tests: the applicant (the ID type stays 居民身份证; a complete ID
 * number and mobile number move on by themselves, to the address), the
 * item's own fields (a first Tab after the skip is taken as already done;
 * then from the address past the agent and the remark), and PgDn into the
 * checklist.
 */
#define TB_ID_NUMBER       "11010519491231002X"
#define TB_APPLICANT(name) name TERM_KEY_TAB TERM_KEY_TAB TB_ID_NUMBER "13800138000"
/* from the address field (something typed there: five Tabs to the item's fields) */
#define TB_JZLJ_AFTER_ADDRESS                                                                      \
	TERM_KEY_TAB TERM_KEY_TAB TERM_KEY_TAB TERM_KEY_TAB TERM_KEY_TAB                           \
	    "某小区改造工程" TERM_KEY_TAB "120" TERM_KEY_TAB "2026-12-31"
/* right after the mobile number skipped to the address: the first Tab is taken as done */
#define TB_JZLJ_FIELDS  TERM_KEY_TAB TB_JZLJ_AFTER_ADDRESS
#define TB_TO_CHECKLIST TERM_KEY_PGDN
/* 建筑垃圾处置许可 has 8 materials (the 2nd is shared data): all received */
#define TB_JZLJ_ALL_IN "        "

struct json_object;

/* The member at path in o, "a.b.c" going into objects, as a string ("2"
 * for the number 2), "(null)" when it is JSON null.  Fails the test when a
 * key on the way is missing.  Valid while o lives. */
const char *tbcheck_json_at(struct json_object *o, const char *path);

/* Run every test of s with Check's normal report, on the database backend
 * the tests are asked for (tbdb.h: a PostgreSQL cluster is started first
 * when none is given); the process exit status. */
int tbcheck_run(Suite *s);

/* $NAME when set and not empty, else def. */
const char *tbcheck_env(const char *name, const char *def);

/* The source tree ($TONGBAN_SRCDIR, else ".") joined with sub.  Caller frees. */
char *tbcheck_src_path(const char *sub);

/*
 * Start the real tongban ($TONGBAN_BIN, else build/tongban) in a pty of
 * rows x cols on database db against server_url, with the bundled data,
 * LANG=lang and no forced language.  Fails the test when it cannot start.
 */
struct term *tbcheck_tongban(const char *db, const char *server_url, const char *lang, int rows,
                             int cols);

/* Wait up to 15 s for text on the screen; else fail the test, showing the screen. */
void tbcheck_expect(struct term *t, const char *text);

/* On tongban's login screen: log in as demo/demo123 and wait for the home
 * screen (online when the server answers, else with the cached clerk). */
void tbcheck_login(struct term *t);

/* From the home screen: F2, the item found by query (a code, a name or
 * pinyin initials; Enter takes the first), the applicant name (TB_ID_NUMBER,
 * a mobile number; for jzlj its own fields too) and PgDn to the checklist. */
void tbcheck_intake(struct term *t, const char *query, const char *name);

/* Back to the home screen from a screen Esc leaves, F10, and wait for the
 * exit; frees t.  Fails the test when tongban does not quit. */
void tbcheck_quit(struct term *t);

/* kill -9 tongban (no chance to save anything), reap it and free t. */
void tbcheck_kill9(struct term *t);

#endif
