#include "tui/app.h"

#include "core/sodiumfn.h"
#include <curses.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "core/draft.h"
#include "core/i18n.h"
#include "core/idcard.h"
#include "core/paths.h"
#include "core/utf8.h"
#include "sync/data.h"
#include "sync/login.h"
#include "sync/sync.h"
#include "tui/fieldview.h"
#include "tui/forms.h"
#include "tui/formview.h"
#include "tui/screen_problems.h"
#include "tui/ui.h"

void app_say(struct app *app, bool is_error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(app->msg, sizeof app->msg, fmt, ap);
	va_end(ap);
	app->msg_error = is_error;
	app->msg_gen++;
}

const char *app_store_reason(const struct err *e)
{
	switch (e->kind) {
	case ERR_BUSY:
		return _("the local database is held by another program");
	case ERR_FULL:
		return _("the disk is full");
	case ERR_READONLY:
		return _("the local database is read-only");
	case ERR_CORRUPT:
		return _("the local database is damaged");
	case ERR_IO:
		return _("the disk failed");
	default:
		return e->msg;
	}
}

/* The file is damaged: nothing more is written, by the sync helper either. */
static void app_set_damaged(struct app *app)
{
	if (!app->db_damaged && app->sync)
		sync_helper_damaged(app->sync);
	app->db_damaged = true;
}

void app_store_failed(struct app *app, const char *what, const struct err *e)
{
	const char *why = app_store_reason(e);

	app->db_busy = e->kind == ERR_BUSY;
	if (e->kind == ERR_CORRUPT || store_is_damaged(app->st)) {
		app_set_damaged(app);
		app_say(app, true,
		        _("%s: the local database is damaged and no longer written (see home)"),
		        what);
		return;
	}
	switch (e->kind) {
	case ERR_BUSY:
		app_say(app, true, _("%s: %s; retrying"), what, why);
		break;
	case ERR_FULL:
	case ERR_READONLY:
	case ERR_IO:
		app_say(app, true, _("%s: %s; call IT, what is on the screen is kept"), what, why);
		break;
	default:
		app_say(app, true, _("%s: %s"), what, why);
	}
}

void app_store_ok(struct app *app)
{
	app->db_busy = false;
}

void app_keep_unsaved(struct app *app, const char *draft_text)
{
	/* another clerk's draft (the last shift's, the disk still full) stays */
	if (app->unsaved_draft && !app_has_unsaved(app) && app->clerk.id[0])
		return;
	free(app->unsaved_draft);
	app->unsaved_draft = draft_text ? xstrdup(draft_text) : NULL;
	str_copy(app->unsaved_owner, sizeof app->unsaved_owner, draft_text ? app->clerk.id : "");
}

bool app_has_unsaved(const struct app *app)
{
	return app->unsaved_draft && strcmp(app->unsaved_owner, app->clerk.id) == 0;
}

bool app_save_unsaved(struct app *app)
{
	struct err e = {0};

	if (app->unsaved_draft == NULL)
		return true;
	if (app->db_readonly || app->db_damaged ||
	    store_draft_save(app->st, app->unsaved_owner, app->unsaved_draft, &e) < 0)
		return false;
	free(app->unsaved_draft); /* whoever's it was, it is saved */
	app->unsaved_draft = NULL;
	app->unsaved_owner[0] = '\0';
	app_store_ok(app);
	app_say(app, false, "%s", _("the draft kept in memory is now saved"));
	return true;
}

/* The smallest terminal the screens are laid out for. */
#define APP_MIN_ROWS 16
#define APP_MIN_COLS 60

/* A client clock further than this from the server's (seconds) is reported. */
#define CLOCK_DRIFT_WARN 300

static bool clock_is_off(const struct agent_status *as)
{
	return as->drift_known &&
	       (as->clock_drift > CLOCK_DRIFT_WARN || as->clock_drift < -CLOCK_DRIFT_WARN);
}

/* What the status line adds after the counts, the most urgent first. */
static const char *status_note(struct app *app, const struct agent_status *as)
{
	if (app->db_damaged)
		return _(" | local database damaged");
	if (app->db_readonly)
		return _(" | local database read-only: nothing is saved");
	if (app->db_busy || as->store_busy)
		return _(" | local database busy");
	if (as->need_login)
		return _(" | session expired: log in again");
	if (as->too_old)
		return _(" | client too old: upgrade");
	if (as->audit_problem)
		return _(" | audit chain refused by the server: call IT");
	if (as->held > 0) {
		static char held[128];

		/* another clerk's events go only with that clerk's own session */
		snprintf(held, sizeof held, _(" | %s's events wait for their login"),
		         as->held_clerk);
		return held;
	}
	if (clock_is_off(as))
		return _(" | clock is off");
	if (as->updates_waiting)
		return _(" | catalogue/calendar update");
	return "";
}

/* "● 在线 | 待同步 3 | 上次同步 10:32:05 | 同步问题 0" and what needs attention */
static void draw_status(struct app *app)
{
	struct agent_status as;
	struct outbox_counts oc = {0, 0, 0};
	char last[32] = "--:--", line[512];
	const char *note;

	if (app->st == NULL) /* the first paint, before the database is open */
		return;
	memset(&as, 0, sizeof as);
	if (app->sync)
		sync_helper_status(app->sync, &as);
	store_outbox_counts(app->st, &oc, NULL);
	if (as.last_ok) {
		time_t t = as.last_ok + TB_SHANGHAI_OFFSET;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(last, sizeof last, "%H:%M:%S", &tm);
	}
	note = status_note(app, &as);
	snprintf(line, sizeof line, "%s | %s %d | %s %s | %s %d%s",
	         as.online ? _("● online") : _("○ offline"), _("waiting"), oc.waiting,
	         _("last sync"), last, _("sync problems"), oc.problems, note);
	ui_status_line(line, oc.problems > 0 || (note[0] && !as.updates_waiting));
}

void app_draw_frame(struct app *app, const char *title)
{
	char right[512] = "";

	if (app->logged_in)
		/* TRANSLATORS: the hall, the window, the clerk's name and id */
		snprintf(right, sizeof right, _("%s  window %s  clerk: %s(%s)"),
		         app->clerk.hall_name, app->clerk.window, app->clerk.name, app->clerk.id);
	ui_header(title, right);
	ui_message(app->msg, app->msg_error);
	draw_status(app);
}

/* Set by SIGTERM and SIGHUP (a closed SSH session): save and leave. */
static volatile sig_atomic_t hangup;

static void on_hangup(int sig)
{
	(void)sig;
	hangup = 1;
}

/* The terminal is too small to work in: say so and wait for a resize. */
static bool too_small(void)
{
	return ui_rows() < APP_MIN_ROWS || ui_cols() < APP_MIN_COLS;
}

enum screen_id app_screen_loop(struct app *app, const struct ui_action *keys, int n, void *screen,
                               const struct screen_ops *ops)
{
	int next = UI_STAY;

	while (next == UI_STAY) {
		const struct ui_action *a;
		struct ui_key k;

		ops->draw(screen);
		k = app_read_key(app);
		if (ops->seen)
			ops->seen(screen, k);
		if ((a = ui_action_find(keys, n, k)) != NULL)
			next = a->run(screen, a->arg);
		else if (ops->other)
			ops->other(screen, k);
	}
	return (enum screen_id)next;
}

int app_action_quit(void *screen, const void *arg)
{
	(void)screen;
	(void)arg;
	return SCREEN_QUIT;
}

void app_screen_set(struct app *app, void *screen, void (*idle)(void *), void (*hup)(void *))
{
	app->screen = screen;
	app->on_idle = idle;
	app->on_hangup = hup;
}

void app_screen_clear(struct app *app)
{
	app_screen_set(app, NULL, NULL, NULL);
}

/* The background check found the file damaged: tell the clerk once. */
static void note_damage(struct app *app)
{
	if (app->db_damaged || app->checker == NULL ||
	    store_checker_result(app->checker, NULL) != 0)
		return;
	app_set_damaged(app);
	app_say(app, true, "%s",
	        _("the local database is damaged and no longer written: see home"));
}

/* Bytes that were not characters (a card reader or terminal in another
 * encoding): say so on the message line, where the cursor is not. */
static void say_bad_input(struct app *app, struct ui_key k)
{
	const char *enc = strcmp(app->cfg.input_encoding, "gb18030") == 0 ? "GB18030" : "UTF-8";
	int y, x;

	if (k.bad_count == 1)
		app_say(app, true,
		        _("ignored 1 invalid input byte (0x%02X): is the reader or terminal not "
		          "sending %s?"),
		        k.bad_first, enc);
	else
		app_say(app, true,
		        _("ignored %zu invalid input bytes (the first 0x%02X): is the reader or "
		          "terminal not sending %s?"),
		        k.bad_count, k.bad_first, enc);
	getyx(stdscr, y, x);
	ui_message(app->msg, true);
	move(y, x);
}

static void name_initials(void *arg, const char *name, char *out, size_t n)
{
	pinyin_name_initials(arg, name, out, n);
}

void app_check_wait(struct app *app, int ms)
{
	long long until = clock_ms() + ms;
	struct timespec pause = {0, 20 * 1000000L};

	while (app->checker && store_checker_result(app->checker, NULL) < 0 && clock_ms() < until)
		nanosleep(&pause, NULL);
	note_damage(app);
}

/* Make the offline verifier of the online login, on a thread of its own. */
static void start_verifier(struct app *app)
{
	if (app->verifier_password == NULL)
		return;
	app->login_cache =
	    login_cache_start(app->st, app->db_path, &app->clerk, app->verifier_password);
	sodium_memzero(app->verifier_password, strlen(app->verifier_password));
	free(app->verifier_password);
	app->verifier_password = NULL;
}

void app_sync_start(struct app *app)
{
	if (app->sync == NULL)
		app->sync = sync_helper_start(app->db_path, app->server);
}

/* Once the first screen after a login is on the terminal: the sync rounds
 * and the offline verifier (argon2id), which would only have slowed it. */
static void start_after_login(struct app *app)
{
	if (!app->logged_in)
		return;
	if (!app->sync_running) {
		app_sync_start(app);
		if (app->db_damaged)
			sync_helper_damaged(app->sync);
		sync_helper_run(app->sync);
		app->sync_running = true;
	}
	start_verifier(app);
}

/* The screen has been left alone for the configured minutes. */
static bool lock_due(struct app *app)
{
	long long idle_ms = (long long)app->cfg.lock_minutes * 60000;

	return app->logged_in && idle_ms > 0 && app->last_key_ms > 0 &&
	       clock_ms() - app->last_key_ms >= idle_ms;
}

struct ui_key app_read_key(struct app *app)
{
	for (;;) {
		struct ui_key k;
		int y, x;

		if (hangup || app->logging_out) {
			/* the screen saves what it holds once, then every screen unwinds */
			if (!app->hangup_saved && app->on_hangup)
				app->on_hangup(app->screen);
			app->hangup_saved = true;
			k.code = UK_HANGUP;
			k.ch = 0;
			return k;
		}
		if (too_small()) {
			erase();
			ui_put(0, 0, ui_cols(), _("terminal too small: at least 60x16 please"),
			       ui_attr_error());
			refresh();
			k = ui_read_key(500);
			if (k.code == UK_RESIZE)
				return k;
			continue;
		}
		if (lock_due(app)) {
			bool unlocked = app_lock_screen(app, &hangup);

			app->last_key_ms = clock_ms();
			if (!unlocked && !hangup)
				app_logout(app);
			/* the screen under the lock draws itself again */
			k.code = UK_RESIZE;
			k.ch = 0;
			return k;
		}
		note_damage(app);
		getyx(stdscr, y, x);
		draw_status(app);
		move(y, x);
		refresh();
		start_after_login(app);
		k = ui_read_key(500);
		if (k.code == UK_BAD_INPUT)
			say_bad_input(app, k);
		else if (k.code != UK_NONE) {
			app->last_key_ms = clock_ms();
			return k;
		}
		if (app->on_idle && !app->prompting) {
			unsigned gen = app->msg_gen;

			app->on_idle(app->screen);
			if (gen != app->msg_gen) { /* what the idle work says is seen now */
				getyx(stdscr, y, x);
				ui_message(app->msg, app->msg_error);
				move(y, x);
			}
		}
	}
}

void app_logged_in(struct app *app, const char *password)
{
	randombytes_buf(app->lock_key, sizeof app->lock_key);
	crypto_generichash(app->lock_mac, sizeof app->lock_mac, (const unsigned char *)password,
	                   strlen(password), app->lock_key, sizeof app->lock_key);
	app->last_key_ms = clock_ms();
}

bool app_password_ok(struct app *app, const char *password)
{
	unsigned char mac[32];
	int cached = login_check_cached(app->st, app->clerk.id, password);

	if (cached >= 0)
		return cached == 1;
	crypto_generichash(mac, sizeof mac, (const unsigned char *)password, strlen(password),
	                   app->lock_key, sizeof app->lock_key);
	return sodium_memcmp(mac, app->lock_mac, sizeof mac) == 0;
}

void app_logout(struct app *app)
{
	app->logging_out = true;
}

/* After the screens unwound for a logout: the next clerk logs in. */
static void end_shift(struct app *app)
{
	start_verifier(app);
	login_cache_finish(app->login_cache); /* before the next clerk may log in offline */
	app->login_cache = NULL;
	if (!app->db_readonly && !app->db_damaged)
		store_audit_add(app->st, app->clerk.id, "", AUDIT_LOGOUT, "", NULL);
	app->logging_out = false;
	app->hangup_saved = false;
	app->logged_in = false;
	app->item = NULL;
	app->open_case[0] = '\0';
	app->resume_draft = false;
	app->record_case[0] = '\0';
	draft_free(app->ditto); /* the previous case's values are the last clerk's */
	app->ditto = NULL;
	sodium_memzero(app->lock_mac, sizeof app->lock_mac);
	app_say(app, false,
	        _("%s (%s) logged out; "
	          "unsent cases are still sent"),
	        app->clerk.name, app->clerk.id);
	memset(&app->clerk, 0, sizeof app->clerk);
}

enum screen_id app_open_record(struct app *app, const char *case_id, enum screen_id back)
{
	str_copy(app->record_case, sizeof app->record_case, case_id);
	app->record_back = back;
	app->msg[0] = '\0';
	return SCREEN_RECORD;
}

/* Add a load failure to what the home screen shows. */
static void load_failed(struct app *app, const char *msg)
{
	size_t used = strlen(app->load_error);

	snprintf(app->load_error + used, sizeof app->load_error - used, "%s%s", used ? "; " : "",
	         msg);
}

void app_data_start(struct app *app)
{
	if (!app->data_loaded && app->loader == NULL)
		app->loader = data_loader_start(app->db_path, app->data_root);
}

void app_data_finish(struct app *app)
{
	char note[sizeof app->load_error];
	bool writable = !app->db_damaged && !app->db_readonly;

	if (!app->data_loaded) {
		/* the newest valid of the central copies sync downloaded and the
		 * bundled files (sync/data.h) */
		if (app->loader)
			data_loader_finish(app->loader, writable ? app->st : NULL, &app->cat,
			                   &app->cal, note, sizeof note);
		else
			data_choose(writable ? app->st : NULL, app->data_root, &app->cat, &app->cal,
			            note, sizeof note);
		app->loader = NULL;
		app->data_loaded = true;
		if (note[0])
			load_failed(app, note);
	}
	/* the first writes of the session, once the file is known sound */
	if (writable) {
		data_mark_in_use(app->st, app->cat, app->cal, NULL);
		/* cases kept before search knew initials (an upgraded database) */
		if (app->cat && app->cat->pinyin)
			store_case_fill_initials(app->st, name_initials, app->cat->pinyin, NULL);
	}
}

/* Load the settings and forms; a failure is shown, not fatal.  The
 * catalogue and the calendar come with the login (app_data_start). */
static void load_data(struct app *app)
{
	char *regions = paths_join(app->data_root, "data/regions.tsv");
	char *intake = paths_join(app->data_root, "forms/intake.json");
	char *refusal = paths_join(app->data_root, "forms/refusal.json");
	struct err e = {0};
	int i;

	if ((app->regions = region_load(regions, &e)) == NULL)
		load_failed(app, e.msg);
	form_set_regions(app->regions);
	if ((app->intake = form_load(intake, &e)) == NULL)
		load_failed(app, e.msg);
	if ((app->refusal = form_load(refusal, &e)) == NULL)
		load_failed(app, e.msg);
	if (config_load_all(&app->cfg, app->data_root, conf_process(), &e) < 0)
		load_failed(app, e.msg);
	for (i = 0; conf_process() && i < conf_process()->n_problems; i++)
		load_failed(app, conf_process()->problems[i]);
	if (ui_set_input_encoding(app->cfg.input_encoding, &e) < 0)
		load_failed(app, e.msg);
	free(regions);
	free(intake);
	free(refusal);
}

bool app_reload_data(struct app *app)
{
	struct catalogue *cat = NULL;
	struct calendar *cal = NULL;
	char note[sizeof app->load_error];
	bool new_cat, new_cal;

	if (!data_is_newer(app->st, app->cat ? app->cat->version : NULL,
	                   app->cal ? cal_version(app->cal) : NULL))
		return false;
	data_choose(app->st, app->data_root, &cat, &cal, note, sizeof note);
	new_cat = cat && (app->cat == NULL || strcmp(cat->version, app->cat->version) != 0);
	new_cal = cal && (app->cal == NULL || strcmp(cal_version(cal), cal_version(app->cal)) != 0);
	if (new_cat) {
		app->item = NULL;
		catalogue_free(app->cat);
		app->cat = cat;
	} else {
		catalogue_free(cat);
	}
	if (new_cal) {
		cal_free(app->cal);
		app->cal = cal;
	} else {
		cal_free(cal);
	}
	if (!new_cat && !new_cal)
		return false;
	data_mark_in_use(app->st, app->cat, app->cal, NULL);
	if (new_cat && new_cal)
		app_say(app, false, _("now using catalogue %s and calendar %s"), app->cat->version,
		        cal_version(app->cal));
	else
		app_say(app, false, _("now using %s %s"), new_cat ? _("catalogue") : _("calendar"),
		        new_cat ? app->cat->version : cal_version(app->cal));
	return true;
}

char *app_prompt(struct app *app, const char *label, const char *initial, size_t maxlen)
{
	struct field_edit f;
	int lw = utf8_width(label) + 1;
	char *out = NULL;

	field_init(&f, maxlen);
	field_set(&f, initial ? initial : "");
	app->prompting = true;
	for (;;) {
		struct ui_key k;
		int cx;

		ui_put_pad(ui_rows() - 3, 0, ui_cols(), label, A_BOLD);
		cx = fieldview_draw(ui_rows() - 3, lw, ui_cols() - lw - 1, &f, true, false);
		move(ui_rows() - 3, cx);
		curs_set(1);
		k = app_read_key(app);
		if (k.code == UK_ENTER) {
			out = field_text(&f);
			break;
		}
		if (k.code == UK_ESC || k.code == UK_HANGUP)
			break;
		fieldview_edit(&f, k);
	}
	app->prompting = false;
	field_free(&f);
	return out;
}

struct tb_date app_today(struct app *app)
{
	long long drift = 0;

	/* the server's clock decides the hall's date when this PC's clock is off */
	if (sync_clock_drift(app->st, &drift, NULL) != 1)
		drift = 0;
	return tb_date_from_time_shanghai(store_clock_now() + (time_t)drift);
}

void app_decision_env(struct app *app, struct decision_env *env)
{
	memset(env, 0, sizeof *env);
	env->clerk = &app->clerk;
	env->terminal = app->terminal;
	env->cfg = &app->cfg;
	env->cal = app->cal;
	env->data_root = app->data_root;
	env->refusal = app->refusal;
	env->pinyin = app->cat ? app->cat->pinyin : NULL;
	env->today = app_today(app);
}

enum screen_id app_show_notice(struct app *app, char *text, const char *case_no,
                               enum screen_id then)
{
	free(app->notice_text);
	app->notice_text = text;
	str_copy(app->notice_case_no, sizeof app->notice_case_no, case_no);
	app->after_notice = then;
	return SCREEN_NOTICE;
}

/* The database could not be opened: say why, and what to do when it is damaged. */
static void open_failed(struct app *app, const struct err *e)
{
	fprintf(stderr, "tongban: %s\n", e->msg);
	if (e->kind == ERR_CORRUPT)
		fprintf(stderr,
		        _("tongban: the local database is damaged. Run tongban --db %s db check to "
		          "see what, then tongban --db %s db recover NEW.db to salvage what can be "
		          "read\n"),
		        app->db_path, app->db_path);
}

/* The screens, one function each. */
static enum screen_id run_screen(struct app *app, enum screen_id s)
{
	switch (s) {
	case SCREEN_LOGIN:
		return screen_login(app);
	case SCREEN_HOME:
		return screen_home(app);
	case SCREEN_ITEM:
		return screen_item(app);
	case SCREEN_COUNTER:
		return screen_counter(app);
	case SCREEN_NOTICE:
		return screen_notice(app);
	case SCREEN_PROBLEMS:
		return screen_problems(app);
	case SCREEN_CASES:
		return screen_cases(app);
	case SCREEN_RECORD:
		return screen_record(app);
	case SCREEN_STATS:
		return screen_stats(app);
	default:
		return SCREEN_QUIT;
	}
}

static void app_free(struct app *app)
{
	if (app->loader) /* quit at the login screen while it loads */
		data_loader_finish(app->loader, NULL, &app->cat, &app->cal, app->load_error,
		                   sizeof app->load_error);
	start_verifier(app);
	login_cache_finish(app->login_cache);
	sync_helper_stop(app->sync);
	store_checker_free(app->checker);
	draft_free(app->ditto);
	free(app->unsaved_draft);
	app_forms_free(app);
	free(app->notice_text);
	form_free(app->intake);
	form_free(app->refusal);
	cal_free(app->cal);
	form_set_regions(NULL);
	region_free(app->regions);
	catalogue_free(app->cat);
	store_close(app->st);
}

/*
 * A fixed mmap threshold: a large block that is freed (the text of a
 * catalogue, a sort's buffer) goes back to the system at once.  glibc's own
 * threshold rises to the largest block freed so far (32 MiB after the first
 * catalogue), and every later large block then stays in the heap for good.
 */
static void keep_heap_small(void)
{
#ifdef __GLIBC__
	mallopt(M_MMAP_THRESHOLD, 256 * 1024);
	mallopt(M_TRIM_THRESHOLD, 512 * 1024);
#endif
}

/* Open the database (read only when it cannot be written).  -1 when it
 * cannot be opened at all, e saying why. */
static int open_store(struct app *app, struct err *e)
{
	app->st = store_open(app->db_path, e);
	if (app->st == NULL && e->kind == ERR_READONLY) {
		/* a database that cannot be written can still be read: cases, notices */
		app->st = store_open_with(app->db_path, STORE_READONLY, APP_BUSY_MS, e);
		app->db_readonly = app->st != NULL;
		if (app->db_readonly)
			app_say(
			    app, true, "%s",
			    _("the local database is read-only: cases can be viewed and reprinted, "
			      "nothing can be saved; call IT"));
	}
	if (app->st == NULL)
		return -1;
	store_set_busy_ms(app->st, APP_BUSY_MS);
	store_decision_sink(app->st, &app->sink);
	return 0;
}

/*
 * The login screen is drawn first, before the database is opened (or made,
 * for a new user), checked, and the settings and forms read: the clerk sees
 * it as soon as dialog would show its form, and keys typed meanwhile wait
 * in the terminal.
 */
int app_run(struct app *app)
{
	enum screen_id s = SCREEN_LOGIN;
	struct err e = {0};

	keep_heap_small();
	if (ui_start() < 0) {
		fprintf(stderr, "tongban: %s\n", _("cannot start the terminal"));
		return 1;
	}
	screen_login_paint(app);
	ui_settle(APP_SETTLE_MS);
	/* libsodium and SQLite are loaded now, the screen drawn (db/sqlitefn.h) */
	if (sodiumfn_load(&e) < 0) {
		ui_stop();
		fprintf(stderr, "tongban: %s\n", e.msg);
		return 1;
	}
	if (open_store(app, &e) < 0) {
		ui_stop();
		open_failed(app, &e);
		return 1;
	}
	app->checker = store_checker_start(app->db_path);
	load_data(app);
	signal(SIGTERM, on_hangup);
	signal(SIGHUP, on_hangup);
	while (s != SCREEN_QUIT) {
		s = run_screen(app, s);
		if (s == SCREEN_QUIT && app->logging_out && !hangup) {
			end_shift(app);
			s = SCREEN_LOGIN;
		}
	}
	ui_stop();
	app_free(app);
	return 0;
}
