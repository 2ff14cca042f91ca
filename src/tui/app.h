/*
 * app.h - the clerk's TUI: one struct app shared by the screens, and the
 * entry point.  Screens are files screen_*.c, each a form or list plus a
 * table of key -> action (struct ui_action); decisions are core's
 * (core/decision.h), saved by the store; a screen never builds SQL, JSON or
 * a state transition.
 */
#ifndef TB_TUI_APP_H
#define TB_TUI_APP_H

#include <signal.h>
#include <stdbool.h>

#include "core/calendar.h"
#include "core/catalogue.h"
#include "core/config.h"
#include "core/date.h"
#include "core/decision.h"
#include "core/form.h"
#include "store/store.h"
#include "sync/helper.h"
#include "tui/ui.h"

enum screen_id {
	SCREEN_LOGIN,
	SCREEN_HOME,
	SCREEN_ITEM,
	SCREEN_COUNTER,
	SCREEN_CASES,
	SCREEN_NOTICE,
	SCREEN_PROBLEMS,
	SCREEN_RECORD,
	SCREEN_STATS,
	SCREEN_QUIT
};

struct form_cache;
struct draft;
struct store_checker;
struct data_loader;
struct login_cache;

struct app {
	/* set by the caller of app_run */
	const char *db_path;
	const char *server;
	const char *data_root;

	struct store *st; /* the screens' connection: waits at most APP_BUSY_MS for a lock */
	struct decision_sink sink;
	struct catalogue *cat;
	struct calendar *cal;
	struct region_table *regions;
	struct config cfg;
	struct form *intake;             /* forms/intake.json */
	struct form *refusal;            /* forms/refusal.json */
	char load_error[1024];           /* what failed to load, shown on the home screen */
	struct sync_helper *sync;        /* its logins from the first key, then its rounds */
	bool sync_running;               /* the rounds were asked for */
	struct store_checker *checker;   /* the quick check of every page, in the background */
	struct data_loader *loader;      /* the catalogue and calendar, chosen beside the login */
	bool data_loaded;                /* app_data_finish ran */
	char *verifier_password;         /* an online login's, until the home screen shows */
	struct login_cache *login_cache; /* then its offline verifier is made beside it */

	struct clerk clerk;
	char terminal[TERMINAL_CODE_SIZE]; /* this PC's code in new case numbers */
	bool logged_in;
	unsigned char lock_key[32], lock_mac[32]; /* the password of this session, keyed
	                                           * (BLAKE2b), for unlocking when no verifier
	                                           * could be cached */
	long long last_key_ms;                    /* the clerk's last key, for the idle lock */
	bool logging_out;  /* the shift ends: every screen saves and unwinds to the login */
	bool hangup_saved; /* the screen's hangup action ran for this unwinding */

	/* the database as the screens last met it */
	bool db_busy;     /* another program held it: saves are retried */
	bool db_damaged;  /* damaged: nothing is written, the clerk is told what to run */
	bool db_readonly; /* opened read only (a read-only file or medium): nothing is saved */

	/* the case the counter screen works on */
	const struct item *item;  /* chosen item (new intake) */
	char open_case[40];       /* an existing case to supplement, "" for a new one */
	bool resume_draft;        /* restore the stored draft */
	struct draft *ditto;      /* the previous saved case's values, for the ditto key */
	char *unsaved_draft;      /* an intake draft the database refused (full, read-only,
	                           * busy): kept here, offered by F4, saved when it can be */
	char unsaved_owner[64];   /* ... the clerk it belongs to */
	struct form_cache *forms; /* forms loaded on demand (tui/forms.c) */

	/* what the current screen wants done while the clerk is idle (a save to
	 * retry) and before the program leaves on SIGTERM/SIGHUP */
	void (*on_idle)(void *screen);
	void (*on_hangup)(void *screen);
	void *screen;

	/* the case record screen shows this case, and goes back to record_back */
	char record_case[40];
	enum screen_id record_back;
	bool back_from_record; /* the screen shown next was left for the record */

	/* the notice screen shows this, of the case with this number (its QR code) */
	char *notice_text;
	char notice_case_no[64];
	enum screen_id after_notice;

	char msg[512];
	bool msg_error;
	unsigned msg_gen; /* counts app_say calls: what idle work said is drawn at once */
	bool prompting;   /* app_prompt owns the message line: no idle work meanwhile */
};

/* Start the sync helper (sync/helper.h) when it is not yet. */
void app_sync_start(struct app *app);

/* How long the screens' connection waits for another program's lock (ms):
 * short, so the screen never freezes; the save is retried. */
#define APP_BUSY_MS 100

/* How long start-up leaves the processor to the terminal once the login
 * screen is written (ms; a key ends the wait): the rest of start-up takes
 * longer than this, and the clerk is reading the screen meanwhile. */
#define APP_SETTLE_MS 5

/* Open the case record of case_id; back to `back` when it is left. */
enum screen_id app_open_record(struct app *app, const char *case_id, enum screen_id back);

/* The clerk just logged in with password: note it for the idle lock. */
void app_logged_in(struct app *app, const char *password);

/* Whether password is the logged-in clerk's (offline: the verifier cached
 * at login, else the one of this session). */
bool app_password_ok(struct app *app, const char *password);

/*
 * The idle lock (tui/screen_lock.c): the screen is covered until the
 * clerk's password is typed.  Returns true when unlocked, false when the
 * clerk chose to end the shift there (or *hangup became set).
 */
bool app_lock_screen(struct app *app, volatile sig_atomic_t *hangup);

/*
 * End the clerk's shift without quitting: the current screens save what
 * they hold (their hangup actions) and unwind to the login; nothing unsent
 * is lost (the outbox stays), and a draft stays its clerk's.
 */
void app_logout(struct app *app);

/* Run the TUI until the clerk quits.  Returns a process exit status. */
int app_run(struct app *app);

/* Set the message line. */
void app_say(struct app *app, bool is_error, const char *fmt, ...) TB_PRINTF(3, 4);

/*
 * Say that what (e.g. "草稿未保存") failed because of e, in words that tell the
 * clerk what to do: a busy database is retried, a full disk or a read-only
 * file needs the IT person, a damaged file names the recovery command.
 * Notes a busy or damaged database for the status line.
 */
void app_store_failed(struct app *app, const char *what, const struct err *e);

/* A few words for what went wrong with the database (e's message when it
 * is none of the kinds a clerk can be told about in words).  Static. */
const char *app_store_reason(const struct err *e);

/* A save on the screens' connection worked: the database is not busy. */
void app_store_ok(struct app *app);

/* Keep the draft text (caller keeps its own copy) that the database
 * refused, or forget it (NULL) once it is saved or given up. */
void app_keep_unsaved(struct app *app, const char *draft_text);

/* Wait up to ms for the background check of the database to end (before
 * the first write of the session), and note a damaged one. */
void app_check_wait(struct app *app, int ms);

/*
 * The catalogue (with its pinyin table) and the calendar are not needed for
 * the login screen: app_data_start begins choosing them in a thread of its
 * own (sync/data.h) when the clerk logs in, while the server checks the
 * password; app_data_finish waits for them, after app_check_wait, and makes
 * the session's first writes (the versions in use, the last good copies).
 * Both do nothing once the data is loaded.
 */
void app_data_start(struct app *app);
void app_data_finish(struct app *app);

/* Whether a draft of the current clerk is kept only in memory. */
bool app_has_unsaved(const struct app *app);

/* Try to save the draft kept in memory (its own clerk's): true when there
 * is none left. */
bool app_save_unsaved(struct app *app);

/* Redraw the header, message and status lines (the keys line is the screen's). */
void app_draw_frame(struct app *app, const char *title);

/*
 * Read a key, refreshing the status line and running app->on_idle while
 * waiting.  After SIGTERM or SIGHUP it returns UK_HANGUP, again and again:
 * every screen then saves what it holds and returns SCREEN_QUIT.
 */
struct ui_key;
struct ui_action;
struct ui_key app_read_key(struct app *app);

/*
 * Run a screen that is a table of keys: draw it, read a key, give it to
 * seen (may be NULL) and then to its action in keys[0..n), or to other (may
 * be NULL) when it has none; until an action returns a screen other than
 * UI_STAY, which is returned.
 */
struct screen_ops {
	void (*draw)(void *screen);
	void (*seen)(void *screen, struct ui_key k);
	void (*other)(void *screen, struct ui_key k);
};
enum screen_id app_screen_loop(struct app *app, const struct ui_action *keys, int n, void *screen,
                               const struct screen_ops *ops);

/* The action of UK_HANGUP in every screen's table: SCREEN_QUIT (the end of
 * the program, or of the shift when app->logging_out). */
int app_action_quit(void *screen, const void *arg);

/* Set what the current screen wants done when idle and on a hangup (either
 * may be NULL); app_screen_clear() when the screen ends. */
void app_screen_set(struct app *app, void *screen, void (*on_idle)(void *),
                    void (*on_hangup)(void *));
void app_screen_clear(struct app *app);

/*
 * Ask for one line of at most maxlen characters on the message line (label,
 * then a box).  Returns the text (caller frees), or NULL on Esc or a hangup.
 */
char *app_prompt(struct app *app, const char *label, const char *initial, size_t maxlen);

/* The hall's date today: this PC's clock corrected by the drift measured
 * against the server (Asia/Shanghai). */
struct tb_date app_today(struct app *app);

/* Where decisions are made this session: clerk, terminal, settings, today. */
void app_decision_env(struct app *app, struct decision_env *env);

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
              const char *const extra[]);

/* Show text, a notice of the case numbered case_no, on the notice screen
 * next (it takes text), then go to `then`. */
enum screen_id app_show_notice(struct app *app, char *text, const char *case_no,
                               enum screen_id then);

enum screen_id screen_login(struct app *app);
/* Draw the login screen once, empty, before app->st is open (app_run). */
void screen_login_paint(struct app *app);
enum screen_id screen_home(struct app *app);
enum screen_id screen_item(struct app *app);
enum screen_id screen_counter(struct app *app);
enum screen_id screen_cases(struct app *app);
enum screen_id screen_notice(struct app *app);
enum screen_id screen_record(struct app *app);
enum screen_id screen_stats(struct app *app);

#endif
