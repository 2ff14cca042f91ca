/*
 * cmd_export.c - tongban export: the cases of a period as CSV for a
 * spreadsheet: UTF-8 (with --bom the byte order mark Excel wants), RFC 4180
 * quoting, CRLF line ends, a header row in the clerk's language, one row a
 * case.  ID numbers and phones are masked unless --full, which is recorded
 * once in the audit table before anything is written.  A field starting
 * with = + - @, a tab or a CR gets a leading apostrophe, so that a
 * spreadsheet never takes it for a formula.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/casework.h"
#include "core/i18n.h"
#include "core/stats.h"

struct export_args {
	struct casework_period period;
	bool bom, full;
	const char *output; /* NULL: standard output */
};

/* The cases of the period, oldest first. */
struct rows {
	struct case_row *row;
	size_t n;
};

/* Where the CSV goes. */
struct sink {
	FILE *f;
	const char *path; /* NULL: standard output */
	bool regular;     /* a regular file: removed when the export fails */
};

static void print_usage(FILE *f)
{
	fprintf(
	    f, "%s\n",
	    _("usage: tongban export [--from DATE] [--to DATE] [--bom] [--full] [--output FILE]\n"
	      "       tongban export --day|--week|--month [--bom] [--full] [--output FILE]\n"
	      "dates as YYYY-MM-DD, today by default; ID numbers and phones are masked unless "
	      "--full"));
}

static int usage_error(const char *what)
{
	fprintf(stderr, "tongban export: %s\n", what);
	print_usage(stderr);
	return CLI_USAGE;
}

/* Options into a.  0, 1 for --help (done), or CLI_USAGE. */
static int parse_args(int argc, char **argv, struct export_args *a)
{
	static const struct option longopts[] = {
	    CASEWORK_PERIOD_OPTIONS,          {"bom", no_argument, NULL, 'b'},
	    {"full", no_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		if (casework_period_option(&a->period, c, optarg))
			continue;
		switch (c) {
		case 'b':
			a->bom = true;
			break;
		case 'f':
			a->full = true;
			break;
		case 'o':
			a->output = optarg;
			break;
		case 'h':
			print_usage(stdout);
			return 1;
		default:
			return usage_error(_("unknown option or missing argument"));
		}
	}
	if (optind < argc)
		return usage_error(_("unexpected argument"));
	if (a->output != NULL && a->output[0] == '\0')
		return usage_error(_("--output: the file name is empty"));
	return 0;
}

static int collect(void *arg, const struct case_row *r)
{
	struct rows *rows = arg;

	rows->row = xrealloc(rows->row, (rows->n + 1) * sizeof *rows->row);
	rows->row[rows->n++] = *r;
	return 0;
}

/* ---- CSV ------------------------------------------------------------------ */

/* Whether a spreadsheet would take the cell v for a formula. */
static bool starts_formula(const char *v)
{
	return v[0] != '\0' && strchr("=+-@\t\r", v[0]) != NULL;
}

/* One field: an apostrophe first when it looks like a formula; in quotes,
 * quotes doubled, when it holds a comma, quote, CR or LF (RFC 4180). */
static void csv_field(FILE *f, const char *v)
{
	bool quote = strpbrk(v, ",\"\r\n") != NULL;

	if (quote)
		fputc('"', f);
	if (starts_formula(v))
		fputc('\'', f);
	for (; *v != '\0'; v++) {
		if (*v == '"')
			fputc('"', f);
		fputc(*v, f);
	}
	if (quote)
		fputc('"', f);
}

static void csv_row(FILE *f, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			fputc(',', f);
		csv_field(f, v[i]);
	}
	fputs("\r\n", f);
}

#define N_COLUMNS 19

static void write_header(FILE *f)
{
	static const char *const zh[N_COLUMNS] = {
	    "案件编号",     "正式编号", "状态",     "申请人",   "证件号码",
	    "联系电话",     "事项编码", "事项名称", "申请日期", "收件结果",
	    "承诺办结日期", "办结日期", "出件日期", "评价",     "整改未完成",
	    "承诺已核实",   "失信记录", "工作人员", "窗口"};
	static const char *const en[N_COLUMNS] = {
	    "case_no",  "official_no",   "state",       "applicant",   "id_number",
	    "phone",    "item_code",     "item_name",   "received_on", "outcome",
	    "due_date", "done_on",       "released_on", "rating",      "follow_up_open",
	    "verified", "credit_record", "clerk_id",    "window"};

	csv_row(f, i18n_is_chinese() ? zh : en, N_COLUMNS);
}

static const char *yes_no(bool b)
{
	return b ? _("yes") : _("no");
}

/* The label of the counter's first decision, "" before one. */
static const char *outcome_label(const struct case_row *r)
{
	struct stats_case c;

	if (r->outcome[0] == '\0')
		return "";
	store_stats_case(r, NULL, &c);
	return stats_outcome_label(c.outcome);
}

static void write_case(FILE *f, const struct case_row *r, bool full)
{
	char *id = casework_id_number(r->id_number, full), *phone = casework_phone(r->phone, full);
	const char *v[N_COLUMNS] = {
	    r->case_no,
	    r->official_no,
	    casework_state_label(r->state),
	    r->name,
	    id,
	    phone,
	    r->item_code,
	    r->item_name,
	    r->received_on,
	    outcome_label(r),
	    r->due_date,
	    r->done_on,
	    r->released_on,
	    r->rating >= 0 ? stats_rating_label(r->rating) : "",
	    yes_no(r->follow_up_open),
	    yes_no(r->verified),
	    yes_no(r->credit_record),
	    r->clerk_id,
	    r->window,
	};

	csv_row(f, v, N_COLUMNS);
	free(id);
	free(phone);
}

static void write_csv(FILE *f, const struct rows *rows, bool bom, bool full)
{
	size_t i;

	if (bom)
		fputs("\xEF\xBB\xBF", f);
	write_header(f);
	for (i = 0; i < rows->n; i++)
		write_case(f, &rows->row[i], full);
}

/* ---- the output ----------------------------------------------------------- */

static int write_failed(const struct sink *s, int errnum)
{
	fprintf(stderr, _("tongban export: cannot write %s: %s\n"),
	        s->path ? s->path : _("standard output"), strerror(errnum));
	return CLI_NO;
}

/* Open the output: standard output, or path made (or truncated) with mode
 * 0600 whatever it had.  0, or CLI_NO with the message printed. */
static int sink_open(struct sink *s, const char *path)
{
	struct stat sb;
	int fd;

	s->f = stdout;
	s->path = path;
	s->regular = false;
	if (path == NULL)
		return 0;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0)
		return write_failed(s, errno);
	s->regular = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
	if ((s->regular && fchmod(fd, 0600) != 0) || (s->f = fdopen(fd, "w")) == NULL) {
		int errnum = errno;

		close(fd);
		s->f = NULL;
		if (s->regular)
			unlink(path);
		return write_failed(s, errnum);
	}
	return 0;
}

/* Flush and close the output; when anything failed (ok false, or now) a
 * regular file is removed.  0, or CLI_NO with the message printed. */
static int sink_close(struct sink *s, bool ok)
{
	int errnum = 0;

	errno = 0;
	if (fflush(s->f) != 0 || ferror(s->f))
		errnum = errno ? errno : EIO;
	if (s->path != NULL && fclose(s->f) != 0 && errnum == 0)
		errnum = errno;
	if ((errnum != 0 || !ok) && s->regular)
		unlink(s->path);
	return errnum != 0 ? write_failed(s, errnum) : 0;
}

/* Record the export in full before it is written.  0 or -1 with e. */
static int record_full(struct casework *w, const struct export_args *a, size_t n, struct err *e)
{
	char from[TB_DATE_LEN], to[TB_DATE_LEN], detail[96];

	snprintf(detail, sizeof detail, "%s..%s %zu cases", tb_date_format(a->period.from, from),
	         tb_date_format(a->period.to, to), n);
	return store_audit_add(w->st, w->clerk, "", "export_full", detail, e);
}

static int run_export(struct casework *w, const struct export_args *a)
{
	struct rows rows = {NULL, 0};
	struct sink out;
	struct err e = {0};
	char from[TB_DATE_LEN], to[TB_DATE_LEN];
	int rc;

	if (store_case_range(w->st, tb_date_format(a->period.from, from),
	                     tb_date_format(a->period.to, to), collect, &rows, &e) < 0) {
		fprintf(stderr, "tongban export: %s\n", e.msg);
		free(rows.row);
		return CLI_ERROR;
	}
	if ((rc = sink_open(&out, a->output)) != 0) {
		free(rows.row);
		return rc;
	}
	if (a->full && record_full(w, a, rows.n, &e) < 0) {
		fprintf(stderr,
		        _("tongban export: cannot record the full export (%s); nothing written\n"),
		        e.msg);
		sink_close(&out, false);
		free(rows.row);
		return CLI_ERROR;
	}
	write_csv(out.f, &rows, a->bom, a->full);
	rc = sink_close(&out, true);
	if (rc == 0 && a->output != NULL)
		fprintf(stderr, _("tongban export: %zu cases written to %s\n"), rows.n, a->output);
	free(rows.row);
	return rc;
}

int cmd_export(const struct cli_options *o, int argc, char **argv)
{
	struct export_args a;
	struct casework w;
	char why[256];
	int rc;

	memset(&a, 0, sizeof a);
	if ((rc = parse_args(argc, argv, &a)) != 0)
		return rc == 1 ? CLI_YES : rc;
	if (casework_period_resolve(&a.period, casework_today(), why, sizeof why) < 0)
		return usage_error(why);
	if (casework_open(&w, o, "export", a.full) != 0)
		return CLI_ERROR;
	rc = run_export(&w, &a);
	casework_close(&w);
	return rc;
}
