/*
 * cmd_db.c - tongban db check | db recover NEW.db: whether the local
 * database (--db) is damaged, and what is damaged; a new database with
 * everything that can still be read of it.  Neither ever writes the
 * database named by --db.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "core/progress.h"
#include "store/recover.h"
#include "store/store.h"

#define REPORT_LINES 10 /* of SQLite's report, shown by db check */

static int usage(void)
{
	fputs(_("usage: tongban [--db DATABASE] db check\n"
	        "       check the database for damage; exit 0 sound, 1 damaged, 2 error\n"
	        "       tongban [--db DATABASE] db recover NEW.db\n"
	        "       copy what can be read of a damaged database into a new file (the\n"
	        "       damaged one is left as it is)\n"),
	      stderr);
	return CLI_USAGE;
}

/* path as one shell word: as it is when it is plain, else in single quotes. */
static char *shell_word(const char *path)
{
	struct buf b;
	const char *p;

	if (path[0] != '\0' && strspn(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                                    "0123456789_-+=.,:/@%") == strlen(path))
		return xstrdup(path);
	buf_init(&b);
	buf_adds(&b, "'");
	for (p = path; *p; p++) {
		if (*p == '\'')
			buf_adds(&b, "'\\'");
		buf_add(&b, p, 1);
	}
	buf_adds(&b, "'");
	return buf_take(&b);
}

/* A name for the new file beside path: tongban.db -> tongban-recovered.db.
 * Caller frees. */
static char *recovered_name(const char *path)
{
	size_t n = strlen(path);

	if (n > 3 && strcmp(path + n - 3, ".db") == 0)
		return xasprintf("%.*s-recovered.db", (int)(n - 3), path);
	return xasprintf("%s-recovered.db", path);
}

/* What goes before the i-th item of a list. */
static const char *sep(int i)
{
	return i == 0 ? "" : _(", ");
}

/* "pages 50, 51; " */
static void print_pages(const struct store_check_table *t)
{
	int i;

	for (i = 0; i < t->n_pages; i++)
		printf("%s%s%lld", i == 0 ? _("pages ") : "", sep(i), t->pages[i]);
	if (t->n_pages > 0)
		fputs(_(" (pages); "), stdout);
}

static void print_table_rows(const struct store_check_table *t)
{
	const struct store_rows *r = &t->rows;

	if (!t->table_damaged)
		printf(_("all %lld rows readable"), r->read);
	else if (r->lost >= 0)
		printf(_("%lld rows readable of %lld (%lld unreadable)"), r->read, r->total,
		       r->lost);
	else
		printf(_("%lld rows readable, the rest not (no intact index to count them)"),
		       r->read);
}

/* "; index outbox_state unreadable (...)" */
static void print_bad_indexes(const struct store_check_table *t)
{
	int i;

	for (i = 0; i < t->n_bad_indexes; i++)
		printf("%s%s%s", i == 0 ? _("; index ") : "", sep(i), t->bad_indexes[i]);
	if (t->n_bad_indexes > 0)
		fputs(_(" unreadable (db recover rebuilds indexes)"), stdout);
}

static void print_report(const struct store_check_result *c)
{
	size_t i;

	fputs(_("SQLite's report:\n"), stdout);
	for (i = 0; i < c->n_report && i < REPORT_LINES; i++)
		printf("  %s\n", c->report[i]);
	if (c->n_report > REPORT_LINES)
		printf(_("  ... %zu more lines\n"), c->n_report - REPORT_LINES);
}

static void print_damage(const char *path, const struct store_check_result *c)
{
	char *word = shell_word(path), *name = recovered_name(path), *next = shell_word(name);
	size_t i;

	printf(_("the database is damaged: %s\n"), path);
	for (i = 0; i < c->n_tables; i++) {
		printf(_("  table %s: "), c->tables[i].name);
		print_pages(&c->tables[i]);
		print_table_rows(&c->tables[i]);
		print_bad_indexes(&c->tables[i]);
		putchar('\n');
	}
	if (c->n_tables == 0)
		fputs(_("  the damage is in no table (free pages and the like): db recover makes a "
		        "clean file\n"),
		      stdout);
	print_report(c);
	printf(_("next: save what can be read into a new file (the damaged one is not changed):\n"
	         "  tongban --db %s db recover %s\n"),
	       word, next);
	free(word);
	free(name);
	free(next);
}

static int db_check(const struct cli_options *o)
{
	struct store_check_result c;
	struct err e = {"", ERR_NONE};
	int rc = store_check_db(o->db, &c, &e);

	if (rc < 0)
		fprintf(stderr, "tongban: %s\n", e.msg);
	else if (rc == 1)
		printf(_("the database is sound: %s\n"), o->db);
	else
		print_damage(o->db, &c);
	store_check_free(&c);
	return rc < 0 ? CLI_ERROR : rc == 1 ? CLI_YES : CLI_NO;
}

/* Progress on stderr (core/progress.h): the rows read of those expected,
 * and the table being copied. */
static void show_progress(const struct store_recover_step *s, void *arg)
{
	struct progress *p = arg;
	char detail[160];

	progress_set_total(p, s->expect);
	snprintf(detail, sizeof detail, _("table %s"), s->table);
	progress_set(p, s->rows, detail);
}

static void print_copied(const struct store_recover_table *t)
{
	printf(_("  %s: read %lld"), t->name, t->rows.read);
	if (!t->in_source)
		fputs(_(" (not in the damaged database)"), stdout);
	else if (t->rows.lost >= 0)
		printf(_(", lost %lld"), t->rows.lost);
	else
		fputs(_(", lost unknown"), stdout);
	if (t->refused > 0)
		printf(_(", refused by the schema %lld"), t->refused);
	putchar('\n');
}

static void print_outbox(const struct store_recover_result *r)
{
	if (r->requeued > 0)
		printf(_("  %lld outbox entries that were being sent are waiting again\n"),
		       r->requeued);
	if (r->dropped > 0)
		printf(_("  %lld outbox entries dropped: their event was lost\n"), r->dropped);
	if (r->orphans > 0)
		printf(_("  %lld events kept whose case was lost (orphans)\n"), r->orphans);
}

static void print_recovery(const char *src, const char *dst, const struct store_recover_result *r)
{
	size_t i;

	printf(_("copied what could be read into %s (%s is unchanged):\n"), dst, src);
	for (i = 0; i < r->n_tables; i++)
		print_copied(&r->tables[i]);
	print_outbox(r);
	if (r->source_version < STORE_SCHEMA_VERSION)
		printf(_("  the damaged database had schema version %d, the copy has version %d\n"),
		       r->source_version, STORE_SCHEMA_VERSION);
	printf(_("recovered: %lld cases, %lld events, %lld notices, %lld unsent outbox entries\n"),
	       r->cases, r->events, r->notices, r->unsent);
	printf(_("next: close every tongban, move the damaged file (with its -wal and -shm files) "
	         "aside, and rename %s to %s\n"),
	       dst, src);
}

static int db_recover(const struct cli_options *o, const char *dst)
{
	struct store_recover_result r;
	struct progress p;
	struct err e = {"", ERR_NONE};
	int rc;

	progress_begin(&p, stderr, C_("progress", "copy"), 0);
	rc = store_recover_db(o->db, dst, show_progress, &p, &r, &e);
	progress_end(&p);
	if (rc < 0)
		fprintf(stderr, "tongban: %s\n", e.msg);
	else if (rc == 0)
		fprintf(stderr,
		        _("tongban: nothing at all could be read from %s; no new file was made\n"),
		        o->db);
	else
		print_recovery(o->db, dst, &r);
	store_recover_free(&r);
	return rc < 0 ? CLI_ERROR : rc == 1 ? CLI_YES : CLI_NO;
}

int cmd_db(const struct cli_options *o, int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "check") == 0)
		return db_check(o);
	if (argc == 3 && strcmp(argv[1], "recover") == 0)
		return db_recover(o, argv[2]);
	return usage();
}
