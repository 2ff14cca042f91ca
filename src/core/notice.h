/*
 * notice.h - the printed notices (受理通知书, 补正材料通知书, 告知承诺书,
 * 不予受理通知书): a small template language and its renderer.
 *
 * A template (forms/notices/NAME.txt, syntax in tongban-notices(5)) is filled
 * from a context of named strings and named lists of rows, and laid out as
 * UTF-8 text of at most `width` display columns per line, Chinese counting
 * two columns and never split.  Pure computation: the only I/O is
 * notice_render_file reading its template.
 */
#ifndef TB_CORE_NOTICE_H
#define TB_CORE_NOTICE_H

#include <stddef.h>

#include "core/util.h"

/* Values for one notice.  Owns copies of every string given to it. */
struct notice_ctx;

/*
 * The keys the bundled templates may use, NULL-terminated.  "materials" names
 * a list; "materials.name" a key of its rows (usable only inside
 * {{#materials}}).  Any key set in a context is known as well.
 */
extern const char *const notice_keys[];

/* A new empty context.  Free with notice_ctx_free. */
struct notice_ctx *notice_ctx_new(void);

/* Free ctx and every string it holds.  ctx may be NULL. */
void notice_ctx_free(struct notice_ctx *ctx);

/* Set (or replace) a value; both strings are copied.  value NULL means "". */
void notice_set(struct notice_ctx *ctx, const char *key, const char *value);

/* Append an empty row to list (created on first use).  Returns its 0-based index. */
size_t notice_row_add(struct notice_ctx *ctx, const char *list);

/* Set a key of row `row` of list; copies.  A row that does not exist is ignored. */
void notice_row_set(struct notice_ctx *ctx, const char *list, size_t row, const char *key,
                    const char *value);

/*
 * Render template tmpl[0..len) (file names it in error messages) with ctx,
 * wrapped at width display columns (<= 0 means 80).  Returns the text, every
 * line ending in '\n' without trailing spaces.  Caller frees.  On a syntax
 * error, an unknown key (neither in notice_keys nor set in ctx) or an output
 * larger than 4 MiB, returns NULL with e = "file:line: what is wrong".
 */
char *notice_render(const char *tmpl, size_t len, const char *file, const struct notice_ctx *ctx,
                    int width, struct err *e);

/* notice_render on the contents of the file at path.  Caller frees. */
char *notice_render_file(const char *path, const struct notice_ctx *ctx, int width, struct err *e);

/*
 * Check a template without values, for `tongban check`: syntax, balanced
 * sections, and every key among known_keys (same form as notice_keys; NULL
 * means notice_keys).  Returns 0, or -1 with e = "file:line: ...".
 */
int notice_check(const char *tmpl, size_t len, const char *file, const char *const *known_keys,
                 struct err *e);

#endif
