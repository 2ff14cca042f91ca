/*
 * jsonpeek.c - a scanner that steps over JSON values by their brackets and
 * strings, enough to reach one member of the top-level object.
 */
#include "core/jsonpeek.h"

#include <string.h>

static size_t skip_ws(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/* s[i] is '"': the index after the closing quote, or len when unterminated. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return len;
}

/* The index after the value at s[i], or len when it does not end. */
static size_t skip_value(const char *s, size_t len, size_t i)
{
	int depth = 0;

	while (i < len) {
		char c = s[i];

		if (c == '"') {
			i = skip_string(s, len, i);
		} else if (c == '{' || c == '[') {
			depth++;
			i++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				return i;
			depth--;
			i++;
		} else if (c == ',' && depth == 0) {
			return i;
		} else {
			i++;
		}
		if (depth == 0 && i < len && (c == '"' || c == '}' || c == ']'))
			return i;
	}
	return len;
}

bool json_peek_string(const char *text, size_t len, const char *key, char *out, size_t n)
{
	size_t klen = strlen(key), i = skip_ws(text, len, 0);

	if (i >= len || text[i] != '{')
		return false;
	for (i++;;) {
		size_t kstart, kend, vend;

		i = skip_ws(text, len, i);
		if (i >= len || text[i] != '"')
			return false;
		kstart = i + 1;
		kend = skip_string(text, len, i);
		if (kend >= len)
			return false;
		i = skip_ws(text, len, kend);
		if (i >= len || text[i] != ':')
			return false;
		i = skip_ws(text, len, i + 1);
		if (kend - 1 - kstart == klen && memcmp(text + kstart, key, klen) == 0) {
			if (i >= len || text[i] != '"')
				return false;
			vend = skip_string(text, len, i);
			if (vend >= len || vend - i - 2 >= n || memchr(text + i, '\\', vend - i))
				return false;
			memcpy(out, text + i + 1, vend - i - 2);
			out[vend - i - 2] = '\0';
			return true;
		}
		i = skip_ws(text, len, skip_value(text, len, i));
		if (i >= len || text[i] != ',')
			return false;
		i++;
	}
}
