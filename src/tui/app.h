/*
 * app.h - the clerk's TUI: one struct app shared by the screens, and the
 * entry point.  Screens are files screen_*.c, each a form or list plus a
 * small table of key -> action.
 */
#ifndef TB_TUI_APP_H
#define TB_TUI_APP_H

#include <stdbool.h>

#include "core/catalogue.h"
#include "core/form.h"
#include "store/store.h"
#include "sync/agent.h"

enum screen_id { SCREEN_LOGIN, SCREEN_HOME, SCREEN_ITEM, SCREEN_INTAKE, SCREEN_CASES, SCREEN_QUIT };

struct app {
	/* set by the caller of app_run */
	const char *db_path;
	const char *server;
	const char *data_root;

	struct store *st;
	struct catalogue *cat;
	struct form *intake;	 /* forms/intake.json */
	char load_error[1024];	 /* what failed to load, shown on the home screen */
	struct sync_agent *agent;

	struct clerk clerk;
	bool logged_in;

	const struct item *item; /* chosen for the intake in progress */
	char **values;		 /* intake draft, one UTF-8 string per form field */
	char **ditto;		 /* the previous saved case's values */

	char msg[512];
	bool msg_error;
};

/* Run the TUI until the clerk quits.  Returns a process exit status. */
int app_run(struct app *app);

/* Set the message line. */
void app_say(struct app *app, bool is_error, const char *fmt, ...) TB_PRINTF(3, 4);

/* Redraw the header, message and status lines (the keys line is the screen's). */
void app_draw_frame(struct app *app, const char *title);

/* Read a key, refreshing the status line while waiting. */
struct ui_key;
struct ui_key app_read_key(struct app *app);

enum screen_id screen_login(struct app *app);
enum screen_id screen_home(struct app *app);
enum screen_id screen_item(struct app *app);
enum screen_id screen_intake(struct app *app);
enum screen_id screen_cases(struct app *app);

#endif
