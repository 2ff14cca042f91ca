/*
 * config.h - the hall's settings that every locality sets its own way:
 * contact phone and review body printed on notices, the CUPS printer that
 * prints them as PDF or else the print command for their text,
 * the working days given for a supplement, for a commitment and for the
 * follow-up of a bad rating, the yellow-warning threshold, the idle minutes
 * before the screen locks, and the encoding its card readers and terminals
 * send.  Read from data/config.json; $TONGBAN_CONFIG names
 * another file.  A missing key keeps its default.
 */
#ifndef TB_CORE_CONFIG_H
#define TB_CORE_CONFIG_H

#include "core/conf.h"
#include "core/util.h"

struct config {
	char hall_phone[64];
	char review_body[256];   /* 行政复议机关 named on refusals */
	char print_command[256]; /* the notice's text goes to its standard input */
	char printer[128];       /* CUPS printer for the notices as PDF (lp -d); "" prints the
	                          * text through print_command */
	int supplement_days;     /* working days to bring what a one-time notice lists */
	int commitment_days;     /* working days to supply a committed material */
	int yellow_days;         /* yellow warning at this many working days left */
	char input_encoding[16]; /* "utf-8" or "gb18030" (GBK and GB2312 are read as GB18030) */
	int follow_up_days;      /* working days to follow up (整改) a bad rating: 1..15 */
	int lock_minutes;        /* the screen locks after this many idle minutes; 0 never */
	unsigned found;          /* bit i: the hall's file gave hall key i (config.c) */
};

/* The built-in defaults. */
void config_defaults(struct config *c);

/* Load path over the defaults.  -1 with e naming file and key when malformed
 * (c then keeps the defaults for what could not be read). */
int config_load(struct config *c, const char *path, struct err *e);

/*
 * Every setting of tongban, for the settings files (tongban.conf(5)): the
 * program's own (db, server, data, lang, ca_file, allow_insecure_http,
 * hall_config, each with its environment variable) and the hall's above,
 * under the names data/config.json gives them.
 */
extern const struct conf_key config_keys[];
extern const int config_n_keys;

/* The system settings file: $TONGBAN_SYSTEM_CONFIG, else
 * SYSCONFDIR/tongban/tongban.conf.  Caller frees. */
char *config_system_file(void);

/* The user's settings file: $XDG_CONFIG_HOME/tongban/config, else
 * ~/.config/tongban/config; NULL without a home.  Caller frees. */
char *config_user_file(void);

/*
 * Read tongban's settings into cf: the system file, the user's file, then
 * the environment.  Problems are kept in cf.  Then each program setting a
 * file gave, whose environment variable is not set, is put into the
 * environment, so that every part of the program that reads the variable
 * sees it (lang "auto" is not).
 */
void config_read_settings(struct conf *cf);

/* The hall's settings file: $TONGBAN_CONFIG, else ROOT/data/config.json.
 * Caller frees. */
char *config_path(const char *data_root);

/*
 * The hall's settings in force: the defaults, the hall's settings file
 * (config_path), then what the settings files cf say (cf may be NULL).
 * -1 with e when the hall's file is malformed: c then holds what could be
 * read, and cf's values over it.
 */
int config_load_all(struct config *c, const char *data_root, const struct conf *cf, struct err *e);

/*
 * Fill shown (conf_init'ed on config_keys, a copy of the process's) with
 * the hall's settings in force and where each came from: cf's files, the
 * hall's settings file, or the default.  -1 with e as config_load_all.
 */
int config_show(struct conf *shown, const char *data_root, struct err *e);

#endif
