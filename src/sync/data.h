/*
 * data.h - which catalogue and working-day calendar the client uses.
 *
 * There are up to three copies of each:
 *   - the central copy sync downloaded from tongband (sync/updates.h), kept
 *     in the database as "catalogue" / "calendar";
 *   - the bundled file, data/catalogue.json / data/calendar.json under the
 *     data root, which makes a fresh install work offline;
 *   - the last good bundled file, kept in the database as
 *     "catalogue.bundled" / "calendar.bundled" every time the file loads
 *     fine, so a later broken edit of the file still leaves a good copy.
 *
 * The rule (data_choose): use the newest VALID copy of the central copy and
 * the bundled file, the bundled file standing in for itself only when it
 * loads; when it does not, its last good copy stands in for it and its
 * error (file, item, field) goes into the note.  On equal versions the
 * central copy wins.  Versions compare as numbers where they are digits
 * ("2026.11.10" is newer than "2026.11.9", "2026-11-04" than "2025-11-04").
 * When no copy is valid, the errors of each go into the note.
 *
 * Only one copy is parsed when it is valid: the central copy's version is
 * stored beside it and the bundled file's is read from its top (core/
 * jsonpeek.h), and the newer is tried first.  Whether the bundled file is
 * its last good copy already is told by a hash kept in meta
 * ("catalogue.bundled.hash"), never by reading the copy back.
 */
#ifndef TB_SYNC_DATA_H
#define TB_SYNC_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/calendar.h"
#include "core/catalogue.h"
#include "store/store.h"

/*
 * Choose the catalogue (with the pinyin table of data_root/data/pinyin.tsv)
 * and the calendar to use, by the rule above, and keep a bundled file that
 * loads as its last good copy.  st may be NULL: then only the bundled files
 * count.  Returns 0 when both were chosen; -1 when either could not be (that
 * one is NULL, the other may be set).  note[0..n) gets what the clerk should
 * know ("" when nothing): a broken bundled file with the copy used instead,
 * or every error when nothing could be used.  Caller frees *cat with
 * catalogue_free() and *cal with cal_free().
 */
int data_choose(struct store *st, const char *data_root, struct catalogue **cat,
                struct calendar **cal, char *note, size_t n);

struct data_loader;

/*
 * Start data_choose in a thread of its own, for the TUI: it reads db_path
 * through a read-only connection of its own and writes nothing, so the
 * login screen is drawn and typed in meanwhile.  NULL when no thread could
 * be started (then call data_choose).
 */
struct data_loader *data_loader_start(const char *db_path, const char *data_root);

/*
 * Wait for the loader, keep what data_choose would keep in st (NULL: keep
 * nothing) and hand over its choice, as data_choose does.  Frees l.
 */
int data_loader_finish(struct data_loader *l, struct store *st, struct catalogue **cat,
                       struct calendar **cal, char *note, size_t n);

/* Give the heap a parse freed back to the system (glibc keeps it; elsewhere
 * a no-op). */
void data_trim_heap(void);

/*
 * Record in st the versions the UI now uses (either may be NULL), so that
 * data_update_ready can tell when a newer one arrives.  Returns 0 or -1.
 */
int data_mark_in_use(struct store *st, const struct catalogue *cat, const struct calendar *cal,
                     struct err *e);

/*
 * Whether st holds a central catalogue newer than cat_version, or a central
 * calendar newer than cal_version (NULL: nothing loaded, so any copy is).
 * Cheap: compares versions only.
 */
bool data_is_newer(struct store *st, const char *cat_version, const char *cal_version);

/*
 * Whether the UI has an update to apply between cases: a pulled version
 * still to download, or a downloaded one newer than the one in use
 * (data_mark_in_use).
 */
bool data_update_ready(struct store *st);

/*
 * Check text[0..len) as a kind ("catalogue" or "calendar") with
 * catalogue_parse / cal_parse, label naming it in errors.  Returns 0 with
 * its version copied into version[0..n), or -1 with e naming the label, the
 * item (or year) and the field.
 */
int data_check(const char *kind, const char *text, size_t len, const char *label, char *version,
               size_t n, struct err *e);

/* data_check of the text in f (a downloaded answer, from its start),
 * read a chunk at a time: a catalogue of 150 MB is never in memory whole. */
int data_check_file(const char *kind, FILE *f, const char *label, char *version, size_t n,
                    struct err *e);

/* <0, 0, >0 as version a is older than, the same as or newer than b. */
int data_version_cmp(const char *a, const char *b);

#endif
