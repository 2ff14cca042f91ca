#include "core/conf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/i18n.h"
#include "core/utf8.h"

static const struct conf *process_conf;

void conf_init(struct conf *c, const struct conf_key *keys, int n)
{
	memset(c, 0, sizeof *c);
	c->keys = keys;
	c->n = n < CONF_MAX_KEYS ? n : CONF_MAX_KEYS;
}

int conf_find(const struct conf *c, const char *name)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->keys[i].name, name) == 0)
			return i;
	return -1;
}

void conf_problem(struct conf *c, const char *fmt, ...)
{
	va_list ap;

	if (c->n_problems >= CONF_MAX_PROBLEMS) {
		c->more_problems++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(c->problems[c->n_problems++], CONF_PROBLEM_MAX, fmt, ap);
	va_end(ap);
}

/* Whether s holds a control character (a tab is one too). */
static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* The choice of k that value names (any case), canonical, into out. */
static int check_choice(const struct conf_key *k, const char *value, char *out, size_t n)
{
	const char *p = k->choices;

	while (p && *p) {
		const char *bar = strchr(p, '|'), *end = bar ? bar : p + strlen(p);
		const char *eq = memchr(p, '=', (size_t)(end - p));
		size_t len = (size_t)((eq ? eq : end) - p);

		if (strlen(value) == len && strncasecmp(value, p, len) == 0) {
			const char *canon = eq ? eq + 1 : p;
			size_t cl = (size_t)(end - canon);

			if (cl >= n)
				cl = n - 1;
			memcpy(out, canon, cl);
			out[cl] = '\0';
			return 0;
		}
		p = bar ? bar + 1 : NULL;
	}
	return -1;
}

/* The choices of k for a message: "zh, en, auto" (aliases left out). */
static void choices_text(const struct conf_key *k, char *out, size_t n)
{
	const char *p = k->choices;
	size_t used = 0;

	out[0] = '\0';
	while (p && *p && used + 1 < n) {
		const char *bar = strchr(p, '|'), *end = bar ? bar : p + strlen(p);

		if (memchr(p, '=', (size_t)(end - p)) == NULL)
			used += (size_t)snprintf(out + used, n - used, "%s%.*s", used ? ", " : "",
			                         (int)(end - p), p);
		p = bar ? bar + 1 : NULL;
	}
}

int conf_check(const struct conf_key *k, const char *value, char *out, size_t n, char *why,
               size_t why_n)
{
	char list[256];

	if (!utf8_is_valid(value, strlen(value)) || has_control(value)) {
		snprintf(why, why_n, "%s",
		         _("holds bytes that are not UTF-8, or control characters"));
		return -1;
	}
	if (k->type == CONF_URL && strncmp(value, "http://", 7) != 0 &&
	    strncmp(value, "https://", 8) != 0) {
		snprintf(why, why_n, "%s", _("must start with https:// or http://"));
		return -1;
	}
	switch (k->type) {
	case CONF_URL: /* a URL is text too */
	case CONF_TEXT:
		if ((k->max && strlen(value) > k->max) || strlen(value) >= n) {
			snprintf(why, why_n, _("too long (at most %zu bytes)"),
			         k->max && k->max < n ? k->max : n - 1);
			return -1;
		}
		if (k->reject && value[strcspn(value, k->reject)] != '\0') {
			snprintf(why, why_n, _("may not hold any of \"%s\" (or a space)"),
			         k->reject);
			return -1;
		}
		str_copy(out, n, value);
		return 0;
	case CONF_INT: {
		char *end;
		long v;

		errno = 0;
		v = strtol(value, &end, 10);
		if (value[0] == '\0' || *end != '\0' || errno != 0 || v < k->lo || v > k->hi) {
			snprintf(why, why_n, _("must be a whole number %d..%d"), k->lo, k->hi);
			return -1;
		}
		snprintf(out, n, "%ld", v);
		return 0;
	}
	case CONF_BOOL: {
		static const char *const yes[] = {"1", "yes", "true", "on"}, *const no[] = {
		                                                                 "0", "no", "false",
		                                                                 "off"};
		size_t i;

		for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
			if (strcasecmp(value, yes[i]) == 0) {
				str_copy(out, n, "1");
				return 0;
			}
			if (strcasecmp(value, no[i]) == 0) {
				str_copy(out, n, "0");
				return 0;
			}
		}
		snprintf(why, why_n, "%s", _("must be yes or no (or 1, 0)"));
		return -1;
	}
	case CONF_CHOICE:
		if (check_choice(k, value, out, n) == 0)
			return 0;
		choices_text(k, list, sizeof list);
		snprintf(why, why_n, _("must be one of: %s"), list);
		return -1;
	}
	snprintf(why, why_n, "?");
	return -1;
}

int conf_set(struct conf *c, const char *name, const char *value, enum conf_source src,
             const char *where)
{
	int i = conf_find(c, name);
	char out[CONF_VALUE_MAX], why[256];
	struct conf_entry *e;

	if (i < 0) {
		conf_problem(c, _("%s: unknown setting %s"), where, name);
		return -1;
	}
	if (conf_check(&c->keys[i], value, out, sizeof out, why, sizeof why) < 0) {
		conf_problem(c, _("%s: %s %s"), where, name, why);
		return -1;
	}
	e = &c->e[i];
	str_copy(e->value, sizeof e->value, out);
	str_copy(e->where, sizeof e->where, where);
	e->source = src;
	e->set = true;
	return 0;
}

/* Cut spaces and tabs off both ends of s, in place. */
static char *trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* One line "key = value" of path; 0, or -1 when it was a problem. */
static int read_line(struct conf *c, char *line, const char *path, int lineno, enum conf_source src)
{
	char where[CONF_WHERE_MAX], *eq, *key, *value;
	size_t n;

	snprintf(where, sizeof where, "%s:%d", path, lineno);
	line = trim(line);
	if (line[0] == '\0' || line[0] == '#' || line[0] == ';')
		return 0;
	if ((eq = strchr(line, '=')) == NULL) {
		conf_problem(c, _("%s: expected \"name = value\""), where);
		return -1;
	}
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	n = strlen(value);
	if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
		value[n - 1] = '\0';
		value++;
	}
	return conf_set(c, key, value, src, where);
}

int conf_read_file(struct conf *c, const char *path, enum conf_source src)
{
	struct err e = {0};
	char *text, *line, *next;
	int lineno = 0, bad = 0;
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		conf_problem(c, _("%s: cannot read: %s"), path, strerror(errno));
		return -1;
	}
	fclose(f);
	if ((text = file_read_all(path, NULL, CONF_FILE_MAX, &e)) == NULL) {
		conf_problem(c, "%s", e.msg);
		return -1;
	}
	for (line = text; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (lineno == 1 && (unsigned char)line[0] == 0xef &&
		    (unsigned char)line[1] == 0xbb && (unsigned char)line[2] == 0xbf)
			line += 3; /* a byte order mark that an editor put there */
		if (read_line(c, line, path, lineno, src) < 0)
			bad++;
	}
	free(text);
	return -bad;
}

void conf_read_env(struct conf *c)
{
	int i;

	for (i = 0; i < c->n; i++) {
		const char *v = c->keys[i].env ? getenv(c->keys[i].env) : NULL;

		if (v && *v)
			conf_set(c, c->keys[i].name, v, CONF_ENV, c->keys[i].env);
	}
}

const struct conf_entry *conf_get(const struct conf *c, const char *name)
{
	int i = conf_find(c, name);

	return i < 0 ? NULL : &c->e[i];
}

const char *conf_value(const struct conf *c, const char *name)
{
	const struct conf_entry *e = c ? conf_get(c, name) : NULL;

	return e && e->set ? e->value : NULL;
}

void conf_source_text(const struct conf_entry *e, char *out, size_t n)
{
	switch (e->source) {
	case CONF_DEFAULT:
		snprintf(out, n, "%s", _("default"));
		break;
	case CONF_BUNDLE:
	case CONF_FILE:
		snprintf(out, n, "%s", e->where);
		break;
	case CONF_ENV:
		snprintf(out, n, _("environment %s"), e->where);
		break;
	case CONF_FLAG:
		snprintf(out, n, _("option %s"), e->where);
		break;
	}
}

/* Whether name is among names[0..n) (every name when n is 0). */
static bool named(const char *name, char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return n == 0;
}

void conf_print(const struct conf *c, FILE *f, char *const *names, int n)
{
	char line[CONF_VALUE_MAX + 80], from[CONF_WHERE_MAX + 40];
	int i, width = 0;

	for (i = 0; i < c->n; i++) {
		snprintf(line, sizeof line, "%s = %s", c->keys[i].name, c->e[i].value);
		if (named(c->keys[i].name, names, n) && utf8_width(line) > width)
			width = utf8_width(line);
	}
	for (i = 0; i < c->n; i++) {
		if (!named(c->keys[i].name, names, n))
			continue;
		snprintf(line, sizeof line, "%s = %s", c->keys[i].name, c->e[i].value);
		conf_source_text(&c->e[i], from, sizeof from);
		fprintf(f, "%s%*s  # %s\n", line, width - utf8_width(line), "", from);
	}
}

const struct conf *conf_process(void)
{
	return process_conf;
}

void conf_process_set(const struct conf *c)
{
	process_conf = c;
}
