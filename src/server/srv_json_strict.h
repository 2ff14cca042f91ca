/*
 * srv_json_strict.h - a strict RFC 8259 check of a request body before
 * json-c builds it.
 *
 * json-c is lenient where a request must not be: it takes raw control
 * characters inside strings, keeps the last of two equal keys in an object
 * (so what the server checks and what it stores can be two different
 * values), turns a lone UTF-16 surrogate escape into U+FFFD, and accepts
 * single-quoted strings.  This scanner reads the text once, as the grammar
 * says, and refuses all of that; json-c then parses what is known to be
 * plain JSON.
 */
#ifndef TB_SERVER_SRV_JSON_STRICT_H
#define TB_SERVER_SRV_JSON_STRICT_H

#include <stddef.h>

#include "core/util.h"

/*
 * 0 when s[0..len) is exactly one JSON value (surrounded by nothing but
 * JSON whitespace) that nests at most max_depth arrays and objects, whose
 * strings hold no raw control character (U+0000-U+001F), only the escapes
 * of RFC 8259 and no unpaired surrogate escape (\uD800-\uDFFF), whose
 * objects hold no key twice (compared after unescaping) and no key with a
 * NUL character, and whose numbers follow the grammar.  Else -1 with e
 * saying what and at which byte.  The text must already be valid UTF-8.
 */
int srv_json_strict_check(const char *s, size_t len, int max_depth, struct err *e);

#endif
