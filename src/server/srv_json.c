/*
 * srv_json.c - strict JSON input and canonical JSON output.
 */
#include "server/srv_json.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"
#include "server/srv_json_strict.h"

static bool is_json_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* True if every number in o is finite and fits: json-c takes NaN,
 * Infinity and 1e999 (not JSON) and saturates integers past 64 bits,
 * which would make two different values the same content. */
static bool numbers_fit(struct json_object *o)
{
	size_t i, n;

	switch (json_object_get_type(o)) {
	case json_type_double:
		return isfinite(json_object_get_double(o));
	case json_type_int:
		return json_object_get_int64(o) != INT64_MIN &&
		       (json_object_get_int64(o) != INT64_MAX ||
		        json_object_get_uint64(o) == (uint64_t)INT64_MAX);
	case json_type_array:
		n = json_object_array_length(o);
		for (i = 0; i < n; i++)
			if (!numbers_fit(json_object_array_get_idx(o, i)))
				return false;
		return true;
	case json_type_object: {
		json_object_object_foreach(o, key, val)
		{
			(void)key;
			if (!numbers_fit(val))
				return false;
		}
		return true;
	}
	default:
		return true;
	}
}

struct json_object *srv_json_parse(const char *s, size_t len, struct err *e)
{
	struct json_tokener *tok;
	struct json_object *o;
	enum json_tokener_error jerr;
	size_t end;

	if (len > (size_t)INT32_MAX) {
		err_set(e, "body too large");
		return NULL;
	}
	if (memchr(s, '\0', len) != NULL) {
		err_set(e, "NUL byte in body");
		return NULL;
	}
	if (!utf8_is_valid(s, len)) {
		err_set(e, "body is not valid UTF-8");
		return NULL;
	}
	if (srv_json_strict_check(s, len, SRV_JSON_MAX_DEPTH, e) != 0)
		return NULL;
	tok = json_tokener_new_ex(SRV_JSON_MAX_DEPTH);
	if (tok == NULL) {
		err_set(e, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, s, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr != json_tokener_success) {
		err_set(e, "%s",
		        jerr == json_tokener_continue ? "unexpected end of JSON"
		                                      : json_tokener_error_desc(jerr));
		json_object_put(o);
		return NULL;
	}
	while (end < len && is_json_space(s[end]))
		end++;
	if (end != len) {
		err_set(e, "unexpected text after the JSON value");
		json_object_put(o);
		return NULL;
	}
	if (!numbers_fit(o)) {
		err_set(e, "a number is not finite or does not fit in 64 bits");
		json_object_put(o);
		return NULL;
	}
	return o;
}

static void add_escaped(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	buf_add(b, "\"", 1);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		default:
			if (c < 0x20) {
				char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

				buf_add(b, u, sizeof u);
			} else {
				buf_add(b, &s[i], 1);
			}
		}
	}
	buf_add(b, "\"", 1);
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void canon(struct buf *b, struct json_object *o);

static void canon_object(struct buf *b, struct json_object *o)
{
	size_t n = (size_t)json_object_object_length(o), i = 0;
	const char **keys = xcalloc(n ? n : 1, sizeof *keys);

	json_object_object_foreach(o, key, val)
	{
		(void)val;
		keys[i++] = key;
	}
	qsort(keys, n, sizeof *keys, cmp_keys);
	buf_add(b, "{", 1);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_add(b, ",", 1);
		add_escaped(b, keys[i], strlen(keys[i]));
		buf_add(b, ":", 1);
		canon(b, json_object_object_get(o, keys[i]));
	}
	buf_add(b, "}", 1);
	free(keys);
}

static void canon(struct buf *b, struct json_object *o)
{
	size_t i, n;

	switch (json_object_get_type(o)) {
	case json_type_null:
		buf_adds(b, "null");
		break;
	case json_type_boolean:
		buf_adds(b, json_object_get_boolean(o) ? "true" : "false");
		break;
	case json_type_string:
		add_escaped(b, json_object_get_string(o), (size_t)json_object_get_string_len(o));
		break;
	case json_type_array:
		n = json_object_array_length(o);
		buf_add(b, "[", 1);
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_add(b, ",", 1);
			canon(b, json_object_array_get_idx(o, i));
		}
		buf_add(b, "]", 1);
		break;
	case json_type_object:
		canon_object(b, o);
		break;
	case json_type_int:
	case json_type_double:
		buf_adds(b, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		break;
	}
}

char *srv_json_canonical(struct json_object *o)
{
	struct buf b;

	buf_init(&b);
	canon(&b, o);
	return buf_take(&b);
}

char *srv_json_text(struct json_object *o)
{
	return xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                                     JSON_C_TO_STRING_NOSLASHESCAPE));
}

const char *srv_json_get_string(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

const char *srv_json_get_nonempty(struct json_object *o, const char *key)
{
	const char *s = srv_json_get_string(o, key);

	return s != NULL && *s != '\0' ? s : NULL;
}
