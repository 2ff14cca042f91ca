/*
 * tmpdir.h - scratch directories for tests.
 *
 * A test makes its own directory under $TMPDIR (or /tmp) and removes it at
 * the end, unless TONGBAN_KEEP_TMP=1 asks to keep it for a post-mortem.
 */
#ifndef TB_HARNESS_TMPDIR_H
#define TB_HARNESS_TMPDIR_H

#include "core/util.h"

/* Make a new empty directory named PREFIX-XXXXXX under $TMPDIR or /tmp
 * (mode 0700).  Returns its absolute path, or NULL with e filled.  Caller
 * frees the string (and removes the directory with harness_tmpdir_remove). */
char *harness_tmpdir(const char *prefix, struct err *e);

/* Remove path and everything under it (symlinks are removed, not followed).
 * Returns 0, or -1 if something could not be removed. */
int harness_rm_rf(const char *path);

/* harness_rm_rf(dir) unless TONGBAN_KEEP_TMP=1, in which case the path is
 * printed on stderr instead.  Safe on NULL. */
void harness_tmpdir_remove(const char *dir);

/* Write len bytes to path (created or truncated, mode 0600).  Returns 0 or -1
 * with e filled. */
int harness_write_file(const char *path, const void *data, size_t len, struct err *e);

#endif
