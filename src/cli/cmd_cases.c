/*
 * cmd_cases.c - tongban cases search QUERY: find cases in the local
 * database as the clerk would on the screen (core/casequery.h), one line a
 * case or a JSON array, the ID number and phone masked unless --full, which
 * records each case shown whole in the audit table first.
 */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/casework.h"
#include "core/casequery.h"
#include "core/i18n.h"

#define CASES_LIMIT     200   /* cases listed unless --limit says otherwise */
#define CASES_LIMIT_MAX 10000 /* --limit at most */

struct search_args {
	bool json, full;
	int limit;
	char *query; /* the words after "search", joined by blanks */
};

/* The cases found, newest first. */
struct found {
	struct case_row *rows;
	int n;
};

static void print_usage(FILE *f)
{
	fprintf(f, "%s\n",
	        _("usage: tongban cases search QUERY [--json] [--full] [--limit N]\n"
	          "QUERY: the last 4 of an ID number or phone, a name, its pinyin initials, an\n"
	          "item's code or name, part of a case number, the application date\n"
	          "(2026-11-30, 2026-11, 2026-11-01..2026-11-30)"));
}

static int usage_error(const char *what)
{
	fprintf(stderr, "tongban cases: %s\n", what);
	print_usage(stderr);
	return CLI_USAGE;
}

/* The words from argv[from] on as one query.  Caller frees. */
static char *join_words(int argc, char **argv, int from)
{
	struct buf b;
	int i;

	buf_init(&b);
	for (i = from; i < argc; i++) {
		if (i > from)
			buf_adds(&b, " ");
		buf_adds(&b, argv[i]);
	}
	return buf_take(&b);
}

static int parse_limit(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 1 || v > CASES_LIMIT_MAX)
		return usage_error(_("--limit must be 1 to 10000"));
	*out = (int)v;
	return 0;
}

/* Options and operands into a.  0, 1 for --help (done), or CLI_USAGE. */
static int parse_args(int argc, char **argv, struct search_args *a)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"full", no_argument, NULL, 'f'},
	    {"limit", required_argument, NULL, 'l'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	a->limit = CASES_LIMIT;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			a->json = true;
			break;
		case 'f':
			a->full = true;
			break;
		case 'l':
			if (parse_limit(optarg, &a->limit) != 0)
				return CLI_USAGE;
			break;
		case 'h':
			print_usage(stdout);
			return 1;
		default:
			return usage_error(_("unknown option"));
		}
	}
	if (optind >= argc || strcmp(argv[optind], "search") != 0)
		return usage_error(_("the subcommand must be search"));
	a->query = join_words(argc, argv, optind + 1);
	return 0;
}

static int collect(void *arg, const struct case_row *r)
{
	struct found *f = arg;

	f->rows = xrealloc(f->rows, (size_t)(f->n + 1) * sizeof *f->rows);
	f->rows[f->n++] = *r;
	return 0;
}

/* Record that each case is about to be shown whole.  0 or -1 with e. */
static int record_reveals(struct casework *w, const struct found *f, struct err *e)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (store_audit_add(w->st, w->clerk, f->rows[i].id, "reveal", "cases search --full",
		                    e) < 0)
			return -1;
	return 0;
}

static const char *or_dash(const char *s)
{
	return s[0] != '\0' ? s : "-";
}

static void print_line(const struct case_row *r, bool full)
{
	char *id = casework_id_number(r->id_number, full), *phone = casework_phone(r->phone, full);

	printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r->case_no, casework_state_label(r->state),
	       r->name, or_dash(id), or_dash(phone), r->item_code, r->item_name,
	       or_dash(r->received_on), or_dash(r->due_date));
	free(id);
	free(phone);
}

static void add_string(struct json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v));
}

/* v, or null when it is "" (not known yet). */
static void add_or_null(struct json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, v[0] != '\0' ? json_object_new_string(v) : NULL);
}

static struct json_object *case_json(const struct case_row *r, bool full)
{
	struct json_object *o = json_object_new_object();
	char *id = casework_id_number(r->id_number, full), *phone = casework_phone(r->phone, full);

	add_string(o, "id", r->id);
	add_string(o, "case_no", r->case_no);
	add_or_null(o, "official_no", r->official_no);
	add_string(o, "state", r->state);
	add_string(o, "state_label", casework_state_label(r->state));
	add_string(o, "applicant", r->name);
	add_string(o, "id_number", id);
	add_string(o, "phone", phone);
	add_string(o, "item_code", r->item_code);
	add_string(o, "item_name", r->item_name);
	add_or_null(o, "received", r->received_on);
	add_or_null(o, "due", r->due_date);
	free(id);
	free(phone);
	return o;
}

static void print_json(const struct found *f, bool full)
{
	struct json_object *a = json_object_new_array();
	int i;

	for (i = 0; i < f->n; i++)
		json_object_array_add(a, case_json(&f->rows[i], full));
	printf("%s\n", json_object_to_json_string_ext(a, JSON_C_TO_STRING_PRETTY |
	                                                     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(a);
}

static void print_found(const struct search_args *a, const struct found *f)
{
	int i;

	if (a->json) {
		print_json(f, a->full);
		return;
	}
	for (i = 0; i < f->n; i++)
		print_line(&f->rows[i], a->full);
}

/* Print what was found and say what the clerk should know: the exit status. */
static int show(const struct search_args *a, const struct found *f, bool more)
{
	print_found(a, f);
	if (casework_flush_stdout("cases") != 0)
		return CLI_ERROR;
	if (f->n == 0)
		fprintf(stderr, _("tongban cases: no case matches \"%s\"\n"), a->query);
	if (more)
		fprintf(
		    stderr,
		    _("tongban cases: more than %d cases match; the newest %d are listed (narrow "
		      "the query or use --limit)\n"),
		    a->limit, a->limit);
	return f->n > 0 ? CLI_YES : CLI_NO;
}

/* Search with the open database: the exit status. */
static int run_search(struct casework *w, const struct search_args *a, struct casequery *q)
{
	struct found f = {NULL, 0};
	struct err e = {0};
	bool more;
	int rc;

	casequery_items(q, w->cat);
	/* one more than shown, to tell that more match */
	if (store_case_search(w->st, q, a->limit + 1, collect, &f, &e) < 0) {
		fprintf(stderr, "tongban cases: %s\n", e.msg);
		free(f.rows);
		return CLI_ERROR;
	}
	if ((more = f.n > a->limit))
		f.n = a->limit;
	if (a->full && record_reveals(w, &f, &e) < 0) {
		fprintf(stderr, _("tongban cases: cannot record the reveal (%s); nothing shown\n"),
		        e.msg);
		rc = CLI_ERROR;
	} else {
		rc = show(a, &f, more);
	}
	free(f.rows);
	return rc;
}

int cmd_cases(const struct cli_options *o, int argc, char **argv)
{
	struct search_args a = {false, false, 0, NULL};
	struct casequery q;
	struct casework w;
	char why[256] = "";
	int rc = parse_args(argc, argv, &a);

	if (rc != 0) {
		free(a.query);
		return rc == 1 ? CLI_YES : rc;
	}
	if (casequery_parse(a.query, &q, why, sizeof why) < 0)
		rc = usage_error(why);
	else if (casequery_empty(&q))
		rc = usage_error(_("the query is empty"));
	else if ((rc = casework_open(&w, o, "cases", a.full)) == 0) {
		rc = run_search(&w, &a, &q);
		casework_close(&w);
	}
	free(a.query);
	return rc;
}
