/*
 * jsonpeek.h - read one top-level string member of a JSON object without
 * parsing the rest, so that a large document (a catalogue) can be compared
 * by version before anyone parses it.
 */
#ifndef TB_CORE_JSONPEEK_H
#define TB_CORE_JSONPEEK_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Find the member key of the object text[0..len) (one level down only) and
 * copy its string value into out[0..n).  Returns true when found; false when
 * the text is not an object as far as it was scanned, the member is missing,
 * is not a string, holds an escape (\) or does not fit.  Never a full check:
 * the parser of the document still decides whether it is valid.
 */
bool json_peek_string(const char *text, size_t len, const char *key, char *out, size_t n);

#endif
