#include "core/config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* A whole number of o's key within lo..hi. */
static int get_range(struct json_object *o, const char *key, int lo, int hi, const char *what,
                     int *out, const char *path, struct err *e)
{
	struct json_object *v;
	int64_t d;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	d = json_object_get_int64(v);
	if (!json_object_is_type(v, json_type_int) || d < lo || d > hi) {
		err_set(e, "%s: %s: must be %s %d..%d", path, key, what, lo, hi);
		return -1;
	}
	*out = (int)d;
	return 0;
}

static int get_text(struct json_object *o, const char *key, char *out, size_t n, const char *path,
                    struct err *e)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_string)) {
		err_set(e, "%s: %s: must be a string", path, key);
		return -1;
	}
	str_copy(out, n, json_object_get_string(v));
	return 0;
}

/* "printer": a CUPS printer name, or "".  CUPS allows any printable
 * character but space, tab, '/' and '#'. */
static int get_printer(struct json_object *o, char *out, size_t n, const char *path, struct err *e)
{
	const unsigned char *p;

	if (get_text(o, "printer", out, n, path, e) < 0)
		return -1;
	for (p = (const unsigned char *)out; *p; p++)
		if (*p <= ' ' || *p == 0x7F || *p == '/' || *p == '#') {
			err_set(
			    e,
			    "%s: printer: \"%s\" is not a CUPS printer name (no space, '/' or '#')",
			    path, out);
			out[0] = '\0';
			return -1;
		}
	return 0;
}

static int get_days(struct json_object *o, const char *key, int *out, const char *path,
                    struct err *e)
{
	return get_range(o, key, 0, 365, "a number of working days", out, path, e);
}

/* "input_encoding": the name of the encoding, any case; GBK and GB2312 are
 * subsets of GB18030 and read as it. */
static int get_encoding(struct json_object *o, const char *key, char *out, size_t n,
                        const char *path, struct err *e)
{
	static const char *const names[][2] = {
	    {"utf-8", "utf-8"}, {"gb18030", "gb18030"}, {"gbk", "gb18030"}, {"gb2312", "gb18030"}};
	char name[32];
	size_t i;

	str_copy(name, sizeof name, out);
	if (get_text(o, key, name, sizeof name, path, e) < 0)
		return -1;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i][0]) == 0) {
			str_copy(out, n, names[i][1]);
			return 0;
		}
	err_set(e, "%s: %s: must be \"utf-8\" or \"gb18030\" (or \"gbk\", \"gb2312\"), not \"%s\"",
	        path, key, name);
	return -1;
}

int config_load(struct config *c, const char *path, struct err *e)
{
	char *text = file_read_all(path, NULL, 1 << 20, e);
	struct json_object *o;
	int rc = 0;

	if (text == NULL)
		return -1;
	o = json_tokener_parse(text);
	free(text);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		err_set(e, "%s: not a JSON object", path);
		json_object_put(o);
		return -1;
	}
	if (get_text(o, "hall_phone", c->hall_phone, sizeof c->hall_phone, path, e) < 0 ||
	    get_text(o, "review_body", c->review_body, sizeof c->review_body, path, e) < 0 ||
	    get_text(o, "print_command", c->print_command, sizeof c->print_command, path, e) < 0 ||
	    get_printer(o, c->printer, sizeof c->printer, path, e) < 0 ||
	    get_days(o, "supplement_days", &c->supplement_days, path, e) < 0 ||
	    get_days(o, "commitment_days", &c->commitment_days, path, e) < 0 ||
	    get_days(o, "warning_yellow_days", &c->yellow_days, path, e) < 0 ||
	    get_encoding(o, "input_encoding", c->input_encoding, sizeof c->input_encoding, path,
	                 e) < 0 ||
	    get_range(o, "follow_up_days", 1, 15, "a number of working days", &c->follow_up_days,
	              path, e) < 0 ||
	    get_range(o, "lock_minutes", 0, 720, "a number of minutes", &c->lock_minutes, path, e) <
	        0)
		rc = -1;
	json_object_put(o);
	return rc;
}
