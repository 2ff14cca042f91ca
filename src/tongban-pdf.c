/*
 * tongban-pdf - a printed notice as an A4 PDF (src/pdf/pdf_notice.h), for
 * tongban notice --pdf and --print.  A program of its own so that tongban
 * never loads cairo, pango and their fonts before its first screen: tongban
 * runs it only to print.
 *
 *   tongban-pdf [--qr NUMBER] --output FILE < NOTICE.txt
 *
 * Exit 0 when written, 1 when it could not be (the reason on standard
 * error, in the clerk's language), 2 on bad usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/i18n.h"
#include "core/utf8.h"
#include "core/util.h"
#include "pdf/pdf_notice.h"

#define NOTICE_MAX (4u << 20) /* the renderer's own limit on a notice */

/*
 * Under LeakSanitizer (make SANITIZE=1 check, detect_leaks=1): fontconfig
 * keeps the fonts it found for pango's font map until the process ends, 40
 * KB that are not ours and that no call frees safely (FcFini asserts while
 * pango still holds a pattern).  LSan reads this hook; other builds never
 * call it.
 */
const char *__lsan_default_suppressions(void);

const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\n";
}

static int usage(FILE *f, int rc)
{
	fputs(_("usage: tongban-pdf [--qr CASE_NUMBER] --output FILE.pdf < NOTICE.txt\n"
	        "Lays out a notice's text as kept by tongban as an A4 PDF (Chinese fonts "
	        "embedded, a QR code of the case number at the top right).\n"),
	      f);
	return rc;
}

/* Standard input whole, at most NOTICE_MAX bytes.  NULL with e.  Caller frees. */
static char *read_stdin(struct err *e)
{
	struct buf b;
	char chunk[65536];
	size_t n;

	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
		if (b.len + n > NOTICE_MAX) {
			err_set(e, _("the notice is larger than 4 MiB"));
			buf_free(&b);
			return NULL;
		}
		buf_add(&b, chunk, n);
	}
	buf_add(&b, "", 1);
	if (!utf8_is_valid(b.data, b.len - 1)) {
		err_set(e, _("the notice is not UTF-8 text"));
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {{"qr", required_argument, NULL, 'q'},
	                                         {"output", required_argument, NULL, 'o'},
	                                         {"help", no_argument, NULL, 'h'},
	                                         {"version", no_argument, NULL, 'V'},
	                                         {NULL, 0, NULL, 0}};
	struct pdf_notice n = {NULL, NULL};
	const char *out = NULL;
	struct err e = {0};
	int c, rc;

	umask(077); /* a notice holds personal information */
	i18n_init();
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'q')
			n.qr = optarg;
		else if (c == 'o')
			out = optarg;
		else if (c == 'h')
			return usage(stdout, 0);
		else if (c == 'V')
			return puts("tongban-pdf " TB_VERSION) < 0;
		else
			return usage(stderr, 2);
	}
	if (out == NULL || optind != argc)
		return usage(stderr, 2);
	if ((n.text = read_stdin(&e)) == NULL) {
		fprintf(stderr, "tongban-pdf: %s\n", e.msg);
		return 1;
	}
	rc = pdf_notice_write(&n, out, &e);
	if (rc != 0)
		fprintf(stderr, "tongban-pdf: %s\n", e.msg);
	free((char *)n.text);
	return rc == 0 ? 0 : 1;
}
