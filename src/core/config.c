#include "core/config.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/paths.h"

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	str_copy(c->print_command, sizeof c->print_command, "lp");
	c->supplement_days = 5;
	c->commitment_days = 20;
	c->yellow_days = 2;
	str_copy(c->input_encoding, sizeof c->input_encoding, "utf-8");
	c->follow_up_days = 5;
	c->lock_minutes = 5;
}

/* The hall's settings, as data/config.json and the settings files name them. */
enum hall_kind { K_TEXT, K_DAYS, K_RANGE, K_ENCODING, K_PRINTER };

struct hall_key {
	const char *name;
	enum hall_kind kind;
	size_t off, size; /* of the field in struct config */
	int lo, hi;       /* K_DAYS, K_RANGE */
	const char *what; /* K_RANGE: "a number of minutes" */
};

#define FIELD(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)

static const struct hall_key hall_keys[] = {
    {"hall_phone", K_TEXT, FIELD(hall_phone), 0, 0, NULL},
    {"review_body", K_TEXT, FIELD(review_body), 0, 0, NULL},
    {"print_command", K_TEXT, FIELD(print_command), 0, 0, NULL},
    {"printer", K_PRINTER, FIELD(printer), 0, 0, NULL},
    {"supplement_days", K_DAYS, FIELD(supplement_days), 0, 365, NULL},
    {"commitment_days", K_DAYS, FIELD(commitment_days), 0, 365, NULL},
    {"warning_yellow_days", K_DAYS, FIELD(yellow_days), 0, 365, NULL},
    {"input_encoding", K_ENCODING, FIELD(input_encoding), 0, 0, NULL},
    {"follow_up_days", K_RANGE, FIELD(follow_up_days), 1, 15, "a number of working days"},
    {"lock_minutes", K_RANGE, FIELD(lock_minutes), 0, 720, "a number of minutes"},
};
#define N_HALL ((int)(sizeof hall_keys / sizeof hall_keys[0]))

#define ENCODINGS "utf-8|gb18030|gbk=gb18030|gb2312=gb18030"

const struct conf_key config_keys[] = {
    {"db", "TONGBAN_DB", "--db", CONF_TEXT, 0, 0, NULL, 4096, NULL},
    {"server", "TONGBAN_SERVER", "--server", CONF_URL, 0, 0, NULL, 2048, NULL},
    {"data", "TONGBAN_DATA", "--data", CONF_TEXT, 0, 0, NULL, 4096, NULL},
    {"lang", "TONGBAN_LANG", NULL, CONF_CHOICE, 0, 0, "zh|en|auto", 0, NULL},
    {"ca_file", "TONGBAN_CA_FILE", NULL, CONF_TEXT, 0, 0, NULL, 4096, NULL},
    {"allow_insecure_http", "TONGBAN_ALLOW_INSECURE_HTTP", NULL, CONF_BOOL, 0, 0, NULL, 0, NULL},
    {"hall_config", "TONGBAN_CONFIG", NULL, CONF_TEXT, 0, 0, NULL, 4096, NULL},
    /* the hall's, in the order of hall_keys */
    {"hall_phone", NULL, NULL, CONF_TEXT, 0, 0, NULL, 63, NULL},
    {"review_body", NULL, NULL, CONF_TEXT, 0, 0, NULL, 255, NULL},
    {"print_command", NULL, NULL, CONF_TEXT, 0, 0, NULL, 255, NULL},
    /* a CUPS printer name: any printable character but space, tab, '/', '#' */
    {"printer", NULL, NULL, CONF_TEXT, 0, 0, NULL, 127, " /#"},
    {"supplement_days", NULL, NULL, CONF_INT, 0, 365, NULL, 0, NULL},
    {"commitment_days", NULL, NULL, CONF_INT, 0, 365, NULL, 0, NULL},
    {"warning_yellow_days", NULL, NULL, CONF_INT, 0, 365, NULL, 0, NULL},
    {"input_encoding", NULL, NULL, CONF_CHOICE, 0, 0, ENCODINGS, 0, NULL},
    {"follow_up_days", NULL, NULL, CONF_INT, 1, 15, NULL, 0, NULL},
    {"lock_minutes", NULL, NULL, CONF_INT, 0, 720, NULL, 0, NULL},
};
const int config_n_keys = (int)(sizeof config_keys / sizeof config_keys[0]);

static char *field_text(struct config *c, const struct hall_key *k)
{
	return (char *)c + k->off;
}

static int *field_int(struct config *c, const struct hall_key *k)
{
	return (int *)(void *)((char *)c + k->off);
}

/* CUPS allows any printable character in a printer's name but space, tab,
 * '/' and '#'; "" is no printer. */
static bool printer_name_ok(const char *name)
{
	const unsigned char *p;

	for (p = (const unsigned char *)name; *p; p++)
		if (*p <= ' ' || *p == 0x7F || *p == '/' || *p == '#')
			return false;
	return true;
}

static bool is_text(enum hall_kind k)
{
	return k == K_TEXT || k == K_PRINTER || k == K_ENCODING;
}

/* Hall key k of o into c; 0 (also when o does not have it), or -1 with e. */
static int get_key(struct config *c, struct json_object *o, const struct hall_key *k,
                   const char *path, struct err *e)
{
	static const struct conf_key enc = {"input_encoding", NULL, NULL, CONF_CHOICE, 0, 0,
	                                    ENCODINGS,        0,    NULL};
	struct json_object *v;
	char why[256];
	int64_t d;

	if (!json_object_object_get_ex(o, k->name, &v))
		return 0;
	switch (k->kind) {
	case K_TEXT:
	case K_PRINTER:
	case K_ENCODING:
		if (!json_object_is_type(v, json_type_string)) {
			err_set(e, "%s: %s: must be a string", path, k->name);
			return -1;
		}
		if (k->kind == K_ENCODING &&
		    conf_check(&enc, json_object_get_string(v), field_text(c, k), k->size, why,
		               sizeof why) < 0) {
			err_set(e,
			        "%s: %s: must be \"utf-8\" or \"gb18030\" (or \"gbk\", "
			        "\"gb2312\"), not "
			        "\"%s\"",
			        path, k->name, json_object_get_string(v));
			return -1;
		}
		if (k->kind != K_ENCODING)
			str_copy(field_text(c, k), k->size, json_object_get_string(v));
		if (k->kind == K_PRINTER && !printer_name_ok(field_text(c, k))) {
			err_set(
			    e,
			    "%s: printer: \"%s\" is not a CUPS printer name (no space, '/' or '#')",
			    path, field_text(c, k));
			field_text(c, k)[0] = '\0';
			return -1;
		}
		break;
	case K_DAYS:
	case K_RANGE:
		d = json_object_get_int64(v);
		if (!json_object_is_type(v, json_type_int) || d < k->lo || d > k->hi) {
			err_set(e, "%s: %s: must be %s %d..%d", path, k->name,
			        k->kind == K_DAYS ? "a number of working days" : k->what, k->lo,
			        k->hi);
			return -1;
		}
		*field_int(c, k) = (int)d;
		break;
	}
	c->found |= 1u << (k - hall_keys);
	return 0;
}

int config_load(struct config *c, const char *path, struct err *e)
{
	char *text = file_read_all(path, NULL, 1 << 20, e);
	struct json_object *o;
	int i, rc = 0;

	if (text == NULL)
		return -1;
	o = json_tokener_parse(text);
	free(text);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		err_set(e, "%s: not a JSON object", path);
		json_object_put(o);
		return -1;
	}
	for (i = 0; i < N_HALL && rc == 0; i++)
		rc = get_key(c, o, &hall_keys[i], path, e);
	json_object_put(o);
	return rc;
}

#ifndef TB_SYSCONFDIR
#define TB_SYSCONFDIR "/etc"
#endif

char *config_system_file(void)
{
	const char *env = getenv("TONGBAN_SYSTEM_CONFIG");

	return env && *env ? xstrdup(env) : xstrdup(TB_SYSCONFDIR "/tongban/tongban.conf");
}

char *config_user_file(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg && xdg[0] == '/')
		return xasprintf("%s/tongban/config", xdg);
	if (home && *home)
		return xasprintf("%s/.config/tongban/config", home);
	return NULL;
}

void config_read_settings(struct conf *cf)
{
	char *sys = config_system_file(), *user = config_user_file();
	int i;

	conf_init(cf, config_keys, config_n_keys);
	conf_read_file(cf, sys, CONF_FILE);
	if (user)
		conf_read_file(cf, user, CONF_FILE);
	conf_read_env(cf);
	for (i = 0; i < cf->n; i++) {
		const struct conf_key *k = &cf->keys[i];
		const struct conf_entry *en = &cf->e[i];

		if (k->env && en->set && en->source == CONF_FILE &&
		    !(strcmp(k->name, "lang") == 0 && strcmp(en->value, "auto") == 0))
			setenv(k->env, en->value, 1);
	}
	free(sys);
	free(user);
}

char *config_path(const char *data_root)
{
	const char *env = getenv("TONGBAN_CONFIG");

	return env && *env ? xstrdup(env) : paths_join(data_root, "data/config.json");
}

/* cf's value of hall key i over c, when a settings file gave it. */
static void apply(struct config *c, const struct conf *cf, int i)
{
	const struct conf_entry *en = conf_get(cf, hall_keys[i].name);

	if (en == NULL || !en->set || en->source < CONF_FILE)
		return;
	if (is_text(hall_keys[i].kind))
		str_copy(field_text(c, &hall_keys[i]), hall_keys[i].size, en->value);
	else
		*field_int(c, &hall_keys[i]) = atoi(en->value);
}

int config_load_all(struct config *c, const char *data_root, const struct conf *cf, struct err *e)
{
	char *path = config_path(data_root);
	int i, rc;

	config_defaults(c);
	rc = config_load(c, path, e);
	free(path);
	for (i = 0; cf && i < N_HALL; i++)
		apply(c, cf, i);
	return rc;
}

int config_show(struct conf *shown, const char *data_root, struct err *e)
{
	char *path = config_path(data_root), value[CONF_VALUE_MAX];
	struct config c;
	int i, rc = config_load_all(&c, data_root, shown, e);

	for (i = 0; i < N_HALL; i++) {
		const struct conf_entry *en = conf_get(shown, hall_keys[i].name);

		if (en == NULL || (en->set && en->source >= CONF_FILE))
			continue;
		if (is_text(hall_keys[i].kind))
			str_copy(value, sizeof value, field_text(&c, &hall_keys[i]));
		else
			snprintf(value, sizeof value, "%d", *field_int(&c, &hall_keys[i]));
		conf_set(shown, hall_keys[i].name, value,
		         c.found & (1u << i) ? CONF_BUNDLE : CONF_DEFAULT, path);
	}
	free(path);
	return rc;
}
