/*
 * srv_json.h - strict JSON input and canonical JSON output for tongband.
 *
 * Everything that arrives over HTTP goes through srv_json_parse: valid UTF-8,
 * no NUL byte, strict JSON (no raw control character in a string, no lone
 * surrogate, no key twice), bounded nesting, nothing after the value.
 */
#ifndef TB_SERVER_SRV_JSON_H
#define TB_SERVER_SRV_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/util.h"

/* Deepest nesting of arrays and objects a request may have. */
#define SRV_JSON_MAX_DEPTH 32

/* Parse a request body.  Returns NULL with e filled when the text is not
 * valid UTF-8, holds a NUL byte, is not strict JSON (srv_json_strict.h: raw
 * control characters in strings, lone surrogate escapes and a key given
 * twice in an object included; NaN, Infinity and numbers beyond double or
 * 64-bit integer range too), nests deeper than SRV_JSON_MAX_DEPTH or has
 * anything but whitespace after the value.  Caller releases with
 * json_object_put. */
struct json_object *srv_json_parse(const char *s, size_t len, struct err *e);

/* The canonical text of o: compact, object keys sorted (byte order)
 * recursively, strings escaped the same way every time.  Two values with
 * the same canonical text are the same content.  Caller frees. */
char *srv_json_canonical(struct json_object *o);

/* Compact text of o (keys in insertion order), for responses.  Caller frees. */
char *srv_json_text(struct json_object *o);

/* The string member key of object o, or NULL when absent or not a string. */
const char *srv_json_get_string(struct json_object *o, const char *key);

/* The string member key of object o when it is not "", else NULL. */
const char *srv_json_get_nonempty(struct json_object *o, const char *key);

#endif
