/*
 * screen_problems.h - the "sync problems" screen: the events the server
 * answered "conflict" or "rejected", each with its case number, event, the
 * server's reason and time, and the clerk's retry of a case after fixing it.
 */
#ifndef TB_TUI_SCREEN_PROBLEMS_H
#define TB_TUI_SCREEN_PROBLEMS_H

#include "tui/app.h"

/* Show the quarantined events until the clerk backs out (SCREEN_HOME).
 * Enter or F5 puts the selected case's events back in the outbox queue
 * (store_outbox_retry_case) and pokes the sync agent. */
enum screen_id screen_problems(struct app *app);

#endif
