/*
 * srv_fault.c - injected faults, for tests only.
 */
#include "server/srv_fault.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/srv_log.h"

#define MAX_RULES 8
#define MAX_SPEC  1024

struct rule {
	enum srv_fault_kind kind;
	long slow_ms;
	int status;
	long retry_after;
	double rate;
	char path[128]; /* "" = every path but /v1/health */
	long count;     /* times it may still fire; -1 = always */
	char text[128];
};

/* A parsed spec. */
struct ruleset {
	struct rule rules[MAX_RULES];
	int n;
	uint64_t seed;
};

struct srv_faults {
	pthread_mutex_t lock;
	char *spec;   /* the spec given at start, or NULL */
	char *file;   /* TONGBAND_FAULTS_FILE, or NULL */
	char *active; /* the text the current rules came from */
	struct ruleset rs;
	uint64_t prng;
};

/* Parse a number in [lo, hi] from v.  false if it is not one. */
static bool parse_long(const char *v, long lo, long hi, long *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < lo || n > hi)
		return false;
	*out = n;
	return true;
}

static bool parse_rate(const char *v, double *out)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (errno != 0 || end == v || *end != '\0' || !(d >= 0.0 && d <= 1.0))
		return false;
	*out = d;
	return true;
}

/* Set the kind of r unless another one is set already. */
static bool set_kind(struct rule *r, enum srv_fault_kind k, const char *v)
{
	if (strcmp(v, "0") == 0)
		return true;
	if (strcmp(v, "1") != 0 || (r->kind != SRV_FAULT_NONE && r->kind != k))
		return false;
	r->kind = k;
	return true;
}

/* Apply one KEY=VALUE to rule r (or the ruleset for seed). */
static bool take_pair(struct ruleset *rs, struct rule *r, const char *key, const char *v)
{
	long n;

	if (strcmp(key, "slow") == 0)
		return parse_long(v, 0, 600000, &r->slow_ms);
	if (strcmp(key, "status") == 0) {
		if (!parse_long(v, 100, 599, &n) || r->kind != SRV_FAULT_NONE)
			return false;
		r->kind = SRV_FAULT_STATUS;
		r->status = (int)n;
		return true;
	}
	if (strcmp(key, "retry_after") == 0)
		return parse_long(v, 0, 86400, &r->retry_after);
	if (strcmp(key, "drop") == 0)
		return set_kind(r, SRV_FAULT_DROP, v);
	if (strcmp(key, "drop_after_commit") == 0)
		return set_kind(r, SRV_FAULT_DROP_AFTER_COMMIT, v);
	if (strcmp(key, "truncate") == 0)
		return set_kind(r, SRV_FAULT_TRUNCATE, v);
	if (strcmp(key, "rate") == 0)
		return parse_rate(v, &r->rate);
	if (strcmp(key, "count") == 0)
		return parse_long(v, 0, 1000000000L, &r->count);
	if (strcmp(key, "path") == 0)
		return v[0] == '/' && str_copy(r->path, sizeof r->path, v) == strlen(v);
	if (strcmp(key, "seed") == 0) {
		if (!parse_long(v, 0, 2147483647L, &n))
			return false;
		rs->seed = (uint64_t)n;
		return true;
	}
	return false;
}

/* Parse one rule "k=v:k=v" (modified in place). */
static int parse_rule(struct ruleset *rs, char *text, struct err *e)
{
	struct rule *r = &rs->rules[rs->n];
	char *save = NULL, *pair;

	memset(r, 0, sizeof *r);
	r->rate = 1.0;
	r->count = -1;
	str_copy(r->text, sizeof r->text, text);
	for (pair = strtok_r(text, ":", &save); pair; pair = strtok_r(NULL, ":", &save)) {
		char *eq = strchr(pair, '=');

		if (eq == NULL) {
			err_set(e, "fault spec: \"%s\" is not KEY=VALUE", pair);
			return -1;
		}
		*eq = '\0';
		if (!take_pair(rs, r, pair, eq + 1)) {
			err_set(e, "fault spec: bad \"%s=%s\"", pair, eq + 1);
			return -1;
		}
	}
	if (r->retry_after > 0 && r->kind != SRV_FAULT_STATUS) {
		err_set(e, "fault spec: retry_after needs status in \"%s\"", r->text);
		return -1;
	}
	/* a rule of only seed= or path= does nothing; it still counts as parsed */
	if (r->kind != SRV_FAULT_NONE || r->slow_ms > 0)
		rs->n++;
	return 0;
}

/* Parse spec into rs.  0 or -1 with e filled. */
static int parse_spec(const char *spec, struct ruleset *rs, struct err *e)
{
	char copy[MAX_SPEC], *save = NULL, *text;

	memset(rs, 0, sizeof *rs);
	rs->seed = 1;
	if (spec == NULL)
		return 0;
	if (strlen(spec) >= sizeof copy) {
		err_set(e, "fault spec longer than %d bytes", MAX_SPEC - 1);
		return -1;
	}
	str_copy(copy, sizeof copy, spec);
	for (text = strtok_r(copy, ";\n", &save); text; text = strtok_r(NULL, ";\n", &save)) {
		char *t = text;

		while (*t == ' ' || *t == '\t' || *t == '\r')
			t++;
		if (*t == '\0' || *t == '#')
			continue;
		if (rs->n == MAX_RULES) {
			err_set(e, "fault spec: more than %d rules", MAX_RULES);
			return -1;
		}
		if (parse_rule(rs, t, e) != 0)
			return -1;
	}
	return 0;
}

int srv_faults_check(const char *spec, struct err *e)
{
	struct ruleset rs;

	return parse_spec(spec, &rs, e);
}

/* Install the rules of text (NULL = none) unless they are already active. */
static void activate(struct srv_faults *f, const char *text)
{
	struct err e = {0};

	if ((text == NULL && f->active == NULL) ||
	    (text != NULL && f->active != NULL && strcmp(text, f->active) == 0))
		return;
	free(f->active);
	f->active = text ? xstrdup(text) : NULL;
	if (parse_spec(text, &f->rs, &e) != 0) {
		srv_log_say(LOG_WARNING, "%s (faults off)", e.msg);
		memset(&f->rs, 0, sizeof f->rs);
	}
	f->prng = f->rs.seed;
}

struct srv_faults *srv_faults_new(const char *spec, const char *file, struct err *e)
{
	struct srv_faults *f;

	if (spec != NULL && *spec == '\0')
		spec = NULL;
	if (srv_faults_check(spec, e) != 0)
		return NULL;
	f = xcalloc(1, sizeof *f);
	pthread_mutex_init(&f->lock, NULL);
	f->spec = spec ? xstrdup(spec) : NULL;
	f->file = file && *file ? xstrdup(file) : NULL;
	activate(f, f->spec);
	return f;
}

void srv_faults_free(struct srv_faults *f)
{
	if (f == NULL)
		return;
	pthread_mutex_destroy(&f->lock);
	free(f->spec);
	free(f->file);
	free(f->active);
	free(f);
}

/* splitmix64: a uniform double in [0, 1). */
static double next_random(struct srv_faults *f)
{
	uint64_t z = (f->prng += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

/* Re-read the faults file, if there is one. */
static void reload(struct srv_faults *f)
{
	struct err e = {0};
	size_t len;
	char *text;

	if (f->file == NULL)
		return;
	text = file_read_all(f->file, &len, MAX_SPEC, &e);
	activate(f, text ? text : f->spec);
	free(text);
}

static bool rule_matches(const struct rule *r, const char *path)
{
	if (r->path[0] == '\0')
		return strcmp(path, "/v1/health") != 0;
	return strncmp(path, r->path, strlen(r->path)) == 0;
}

void srv_faults_pick(struct srv_faults *f, const char *path, struct srv_fault_action *out)
{
	int i;

	memset(out, 0, sizeof *out);
	if (f == NULL)
		return;
	pthread_mutex_lock(&f->lock);
	reload(f);
	for (i = 0; i < f->rs.n; i++) {
		struct rule *r = &f->rs.rules[i];

		if (!rule_matches(r, path) || r->count == 0)
			continue;
		if (r->rate < 1.0 && next_random(f) >= r->rate)
			continue;
		if (r->count > 0)
			r->count--;
		out->kind = r->kind;
		out->slow_ms = r->slow_ms;
		out->status = r->status;
		out->retry_after = r->retry_after;
		str_copy(out->rule, sizeof out->rule, r->text);
		break;
	}
	pthread_mutex_unlock(&f->lock);
}
