/*
 * app.h - the clerk's TUI: one struct app shared by the screens, and the
 * entry point.  Screens are files screen_*.c, each a form or list plus a
 * small table of key -> action.
 */
#ifndef TB_TUI_APP_H
#define TB_TUI_APP_H

#include <stdbool.h>

#include "core/calendar.h"
#include "core/catalogue.h"
#include "core/config.h"
#include "core/date.h"
#include "core/form.h"
#include "store/store.h"
#include "sync/agent.h"

enum screen_id {
	SCREEN_LOGIN,
	SCREEN_HOME,
	SCREEN_ITEM,
	SCREEN_COUNTER,
	SCREEN_CASES,
	SCREEN_NOTICE,
	SCREEN_PROBLEMS,
	SCREEN_QUIT
};

struct form_cache;

struct app {
	/* set by the caller of app_run */
	const char *db_path;
	const char *server;
	const char *data_root;

	struct store *st;
	struct catalogue *cat;
	struct calendar *cal;
	struct region_table *regions;
	struct config cfg;
	struct form *intake;   /* forms/intake.json */
	struct form *refusal;  /* forms/refusal.json */
	char load_error[1024]; /* what failed to load, shown on the home screen */
	struct sync_agent *agent;

	struct clerk clerk;
	bool logged_in;

	/* the case the counter screen works on */
	const struct item *item;  /* chosen item (new intake) */
	char open_case[40];       /* an existing case to supplement, "" for a new one */
	bool resume_draft;        /* restore the stored draft */
	char *ditto_json;         /* the previous saved case's values, {"id": "value"} */
	struct form_cache *forms; /* forms loaded on demand (tui/forms.c) */

	/* the notice screen shows this */
	char *notice_text;
	enum screen_id after_notice;

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
struct ui_action;
struct ui_key app_read_key(struct app *app);

/*
 * Ask for one line of at most maxlen characters on the message line (label,
 * then a box).  Returns the text (caller frees), or NULL on Esc.
 */
char *app_prompt(struct app *app, const char *label, const char *initial, size_t maxlen);

/* The hall's date today: this PC's clock corrected by the drift measured
 * against the server (Asia/Shanghai). */
struct tb_date app_today(struct app *app);

/*
 * Swap in a newer catalogue or calendar that sync downloaded (the agent's
 * updates_waiting says one may be there).  Only between cases, from the home
 * screen: app->item, which points into the old catalogue, is cleared.
 * Returns true when anything was swapped (a message for the clerk is set).
 */
bool app_reload_data(struct app *app);

/*
 * F1: a page listing the screen's keys (its keys-line table, all of it) and
 * further lines {zh, en} ending with {NULL, NULL}; any key returns.
 */
void app_help(struct app *app, const char *title, const struct ui_action *acts, int n,
              const char *const extra[][2]);

/* Show text on the notice screen next, then go to `then`. */
enum screen_id app_show_notice(struct app *app, char *text, enum screen_id then);

enum screen_id screen_login(struct app *app);
enum screen_id screen_home(struct app *app);
enum screen_id screen_item(struct app *app);
enum screen_id screen_counter(struct app *app);
enum screen_id screen_cases(struct app *app);
enum screen_id screen_notice(struct app *app);

#endif
