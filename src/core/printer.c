#include "core/printer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/config.h"
#include "core/i18n.h"
#include "core/paths.h"

/* The first line of the file at path (the command's error output), or "". */
static void first_line(const char *path, char *out, size_t n)
{
	FILE *f = fopen(path, "r");

	out[0] = '\0';
	if (f == NULL)
		return;
	if (fgets(out, (int)n, f) != NULL)
		out[strcspn(out, "\r\n")] = '\0';
	fclose(f);
}

int print_text(const char *cmd, const char *text, struct err *e)
{
	char errpath[] = "/tmp/tongban-print-XXXXXX", line[256];
	char *full;
	FILE *p;
	int fd, status;

	if (cmd == NULL || cmd[0] == '\0') {
		err_set(e, "%s", _("no print command set (print_command in data/config.json)"));
		return -1;
	}
	fd = mkstemp(errpath);
	if (fd < 0) {
		err_set(e, "%s", _("cannot make a temporary file"));
		return -1;
	}
	close(fd);
	full = xasprintf("(%s) 2>'%s'", cmd, errpath);
	p = popen(full, "w");
	free(full);
	if (p == NULL) {
		unlink(errpath);
		err_set(e, _("cannot start the print command '%s'"), cmd);
		return -1;
	}
	fputs(text, p);
	status = pclose(p);
	first_line(errpath, line, sizeof line);
	unlink(errpath);
	if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 127)
		err_set(e, _("print command '%s' not found; the notice is saved, reprint later"),
		        cmd);
	else
		err_set(e, _("print command '%s' failed: %s; the notice is saved, reprint later"),
		        cmd, line[0] ? line : _("no error message"));
	return -1;
}

/* Write all of s to fd; false when the reader went away. */
static bool write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		s += n;
		len -= (size_t)n;
	}
	return true;
}

/* In the child: input from in_fd, output to /dev/null, errors to err_fd,
 * the C locale when asked (so that lp's messages can be read), then argv. */
static void exec_child(char *const argv[], int in_fd, int err_fd, bool c_locale)
{
	int null = open("/dev/null", O_RDWR);

	dup2(in_fd >= 0 ? in_fd : null, STDIN_FILENO);
	dup2(null, STDOUT_FILENO);
	dup2(err_fd, STDERR_FILENO);
	if (c_locale)
		setenv("LC_ALL", "C", 1);
	execvp(argv[0], argv);
	_exit(127);
}

/*
 * Run argv (no shell; argv[0] searched in PATH when it has no '/') with
 * input on its standard input (NULL: none), and the first line of its
 * standard error into line (n bytes).  Returns its exit status, 127 when it
 * could not be started, or -1 when it did not exit.
 */
static int run_program(char *const argv[], const char *input, bool c_locale, char *line, size_t n)
{
	char errpath[] = "/tmp/tongban-print-XXXXXX";
	int err_fd = mkstemp(errpath), fds[2] = {-1, -1}, status = -1;
	pid_t pid;

	line[0] = '\0';
	if (err_fd < 0 || (input && pipe(fds) != 0)) {
		if (err_fd >= 0)
			close(err_fd);
		unlink(errpath);
		return 127;
	}
	if ((pid = fork()) == 0) {
		close(fds[1]);
		exec_child(argv, fds[0], err_fd, c_locale);
	}
	close(err_fd);
	if (fds[0] >= 0)
		close(fds[0]);
	if (pid > 0 && input)
		write_all(fds[1], input, strlen(input));
	if (fds[1] >= 0)
		close(fds[1]);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	first_line(errpath, line, n);
	unlink(errpath);
	if (pid < 0)
		return 127;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* "tongban-pdf: why" as the program says it, without its name. */
static const char *without_name(const char *line)
{
	const char *colon = strstr(line, ": ");

	return colon && strncmp(line, "tongban-pdf", 11) == 0 ? colon + 2 : line;
}

int print_pdf_write(const char *text, const char *case_no, const char *path, struct err *e)
{
	char *helper = paths_helper("tongban-pdf"), line[512];
	char *argv[] = {helper, "--output", (char *)path, NULL, NULL, NULL};
	int rc;

	if (case_no && *case_no) {
		argv[3] = "--qr";
		argv[4] = (char *)case_no;
	}
	rc = run_program(argv, text, false, line, sizeof line);
	if (rc == 127)
		err_set(e, _("cannot run %s to make the PDF (reinstall tongban)"), helper);
	else if (rc != 0)
		err_set(e, "%s", line[0] ? without_name(line) : _("the PDF was not made"));
	free(helper);
	return rc == 0 ? 0 : -1;
}

/* Whether CUPS's scheduler answers: lpstat -r says "scheduler is running"
 * on its standard output. */
static bool cups_running(void)
{
	FILE *f = popen("LC_ALL=C lpstat -r 2>/dev/null", "r");
	char line[256];
	bool running = false;

	if (f != NULL) {
		running = fgets(line, sizeof line, f) != NULL &&
		          strstr(line, "is running") != NULL && strstr(line, "not running") == NULL;
		pclose(f);
	}
	return running;
}

/* The clerk's words for what lp (in the C locale) said. */
static void lp_failed(const char *printer, const char *line, struct err *e)
{
	bool named = printer && *printer;

	if (strstr(line, "does not exist") && !cups_running())
		err_set(e, "%s",
		        _("the CUPS print service is not running (systemctl start cups)"
		          "; the notice is saved, reprint later"));
	else if (strstr(line, "does not exist") && named)
		err_set(
		    e,
		    _("there is no printer '%s' (lpstat -p lists this machine's printers; it is "
		      "printer in data/config.json)"
		      "; the notice is saved, reprint later"),
		    printer);
	else if (strstr(line, "No default destination"))
		err_set(e, "%s",
		        _("CUPS has no default printer: name one as printer in "
		          "data/config.json"
		          "; the notice is saved, reprint later"));
	else if (strstr(line, "Scheduler not responding") || strstr(line, "connect"))
		err_set(e, "%s",
		        _("the CUPS print service is not running (systemctl start cups)"
		          "; the notice is saved, reprint later"));
	else
		err_set(e,
		        _("printing failed: %s"
		          "; the notice is saved, reprint later"),
		        line[0] ? line : _("lp gave no reason"));
}

int print_pdf_lp(const char *printer, const char *path, struct err *e)
{
	char *argv[] = {"lp", "-s", "-t", "tongban-notice", NULL, NULL, NULL, NULL, NULL};
	char line[512];
	int n = 4, rc;

	if (printer && *printer) {
		argv[n++] = "-d";
		argv[n++] = (char *)printer;
	}
	argv[n++] = "--";
	argv[n] = (char *)path;
	rc = run_program(argv, NULL, true, line, sizeof line);
	if (rc == 0)
		return 0;
	if (rc == 127)
		err_set(e, "%s",
		        _("CUPS is not installed here (no lp command; apt install "
		          "cups-client)"
		          "; the notice is saved, reprint later"));
	else
		lp_failed(printer, line, e);
	return -1;
}

int print_notice_pdf(const char *printer, const char *text, const char *case_no, struct err *e)
{
	const char *tmpdir = getenv("TMPDIR");
	char *path = xasprintf("%s/tongban-notice-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	int fd = mkstemp(path), rc = -1;

	if (fd < 0) {
		err_set(e, "%s", _("cannot make a temporary file"));
		free(path);
		return -1;
	}
	close(fd);
	if (print_pdf_write(text, case_no, path, e) == 0)
		rc = print_pdf_lp(printer, path, e);
	unlink(path);
	free(path);
	return rc;
}

int print_notice(const struct config *c, const char *text, const char *case_no, struct err *e)
{
	if (c->printer[0] != '\0')
		return print_notice_pdf(c->printer, text, case_no, e);
	return print_text(c->print_command, text, e);
}
