/*
 * conf.h - settings files and where each setting came from.
 *
 * A program names its settings once (a table of struct conf_key); each
 * value is then taken, lowest first, from its default, a bundled file (for
 * tongban the hall's data/config.json), the system file
 * (/etc/tongban/tongban.conf), the user's file
 * ($XDG_CONFIG_HOME/tongban/config), the environment and the command line.
 * The files hold "key = value" lines; blank lines and lines starting with
 * '#' are skipped; a value may be put in double quotes (to keep spaces at
 * its ends).  A line that is not understood -- an unknown key, a value out
 * of range -- is a problem: it is kept, with the file and the line, in the
 * user's language, and the value below it stays in force.
 */
#ifndef TB_CORE_CONF_H
#define TB_CORE_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/util.h"

#define CONF_VALUE_MAX    512
#define CONF_WHERE_MAX    320
#define CONF_MAX_KEYS     32
#define CONF_MAX_PROBLEMS 16
#define CONF_PROBLEM_MAX  400
#define CONF_FILE_MAX     (64 * 1024) /* a settings file is small */

enum conf_type {
	CONF_TEXT,   /* any text without control characters, at most max bytes */
	CONF_URL,    /* http:// or https:// */
	CONF_INT,    /* a whole number lo..hi */
	CONF_BOOL,   /* 1/0, yes/no, true/false, on/off: stored as "1" or "0" */
	CONF_CHOICE, /* one of choices ("zh|en|auto"), any case, stored as given there */
};

enum conf_source { CONF_DEFAULT, CONF_BUNDLE, CONF_FILE, CONF_ENV, CONF_FLAG };

struct conf_key {
	const char *name;
	const char *env;  /* its environment variable, or NULL */
	const char *flag; /* its command-line option ("--db"), or NULL */
	enum conf_type type;
	int lo, hi;          /* CONF_INT */
	const char *choices; /* CONF_CHOICE: "a|b|c"; an alias as "gbk=gb18030" */
	size_t max;          /* CONF_TEXT/CONF_URL: longest value in bytes; 0 = any */
	const char *reject;  /* CONF_TEXT: characters it may not hold, or NULL */
};

struct conf_entry {
	char value[CONF_VALUE_MAX];
	enum conf_source source;
	char where[CONF_WHERE_MAX]; /* "FILE:LINE", the variable, the flag; or "" */
	bool set;                   /* a value was given (by default or otherwise) */
};

struct conf {
	const struct conf_key *keys;
	int n;
	struct conf_entry e[CONF_MAX_KEYS];
	char problems[CONF_MAX_PROBLEMS][CONF_PROBLEM_MAX];
	int n_problems;
	int more_problems; /* those beyond CONF_MAX_PROBLEMS */
};

/* Start with nothing set for the n keys (at most CONF_MAX_KEYS). */
void conf_init(struct conf *c, const struct conf_key *keys, int n);

/* The index of the key name, or -1. */
int conf_find(const struct conf *c, const char *name);

/*
 * Whether value suits k: 0 with the value as stored in out (a choice's
 * canonical spelling, "1" or "0" for a bool), or -1 with why in the user's
 * language.
 */
int conf_check(const struct conf_key *k, const char *value, char *out, size_t n, char *why,
               size_t why_n);

/*
 * Set key name from src (where: the file and line, variable or flag).
 * -1 when the key is unknown or the value does not suit it: then a problem
 * is recorded and the value in force stays.
 */
int conf_set(struct conf *c, const char *name, const char *value, enum conf_source src,
             const char *where);

/*
 * Read the file at path over what c holds.  A file that does not exist is
 * nothing (0); one that cannot be read, or is too big, is a problem (-1).
 * Otherwise the number of problems found in it is returned as a negative
 * number, or 0.
 */
int conf_read_file(struct conf *c, const char *path, enum conf_source src);

/* Take each key's environment variable, when set and not empty. */
void conf_read_env(struct conf *c);

/* The entry of key name (NULL when there is no such key). */
const struct conf_entry *conf_get(const struct conf *c, const char *name);

/* The value of key name, or NULL when it has none. */
const char *conf_value(const struct conf *c, const char *name);

/* Record a problem of the program's own (printf format). */
void conf_problem(struct conf *c, const char *fmt, ...) TB_PRINTF(2, 3);

/*
 * Print c's settings to f as "name = value  # where from" lines, aligned by
 * display width: those named in names[0..n) (all when n is 0).
 */
void conf_print(const struct conf *c, FILE *f, char *const *names, int n);

/* "默认" / "default", the file and line, "环境变量 X" ... for show. */
void conf_source_text(const struct conf_entry *e, char *out, size_t n);

/*
 * The settings of this process, once main has read them (NULL before):
 * set once, at start, before any thread runs.
 */
const struct conf *conf_process(void);
void conf_process_set(const struct conf *c);

#endif
