/*
 * check.h (store) - the quick check of every page of the database, run in
 * the background at start-up so the first screen does not wait for it.  A
 * damaged file is marked for the whole process: from then on nothing more
 * is written to it (src/db), and the screens say which command salvages it.
 */
#ifndef TB_STORE_CHECK_H
#define TB_STORE_CHECK_H

struct store_checker;

/* Start checking the database at path on a thread of its own (with its own
 * read-only connection).  NULL when the thread cannot start. */
struct store_checker *store_checker_start(const char *path);

/* -1 while checking, 1 sound, 0 damaged (then *report, when report is not
 * NULL, says what SQLite found; valid until store_checker_free), 2 when the
 * check could not run. */
int store_checker_result(struct store_checker *c, const char **report);

/* Stop the check (interrupted when still running: its answer is then 2),
 * wait for its thread and free.  NULL is fine. */
void store_checker_free(struct store_checker *c);

#endif
