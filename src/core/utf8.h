/*
 * utf8.h - UTF-8 decoding and display width, independent of the C locale so
 * that checks and layout give the same answer everywhere.
 */
#ifndef TB_CORE_UTF8_H
#define TB_CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 1 when s[0..len) is well-formed UTF-8 (no overlongs, surrogates, > U+10FFFF). */
bool utf8_is_valid(const char *s, size_t len);

/*
 * Decode one code point from s (at most len bytes).  Returns the number of
 * bytes used (1-4) and sets *cp; on malformed input returns 1 and sets *cp
 * to U+FFFD.  len must be > 0.
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Encode cp into out (at least 4 bytes).  Returns the number of bytes. */
size_t utf8_encode(uint32_t cp, char *out);

/* Display columns of cp: 0 (combining, controls), 1, or 2 (East Asian wide). */
int utf8_cp_width(uint32_t cp);

/* True for characters that show nothing and change nothing a clerk could
 * see: zero-width spaces and joiners, bidi controls, the BOM.  Such a
 * character pasted into a name would make two equal-looking names differ. */
bool utf8_is_invisible(uint32_t cp);

/* Display columns of a UTF-8 string, and of its first len bytes. */
int utf8_width(const char *s);
int utf8_width_n(const char *s, size_t len);

/* s cut at a whole character or padded with spaces to w display columns,
 * into out (n bytes). */
void utf8_pad(char *out, size_t n, const char *s, int w);

/* Number of code points in a UTF-8 string. */
size_t utf8_count(const char *s);

#endif
