/* tbcups.c - a CUPS of a test's own (tbcups.h). */
#include "tbcups.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tmpdir.h"

struct tbcups {
	pid_t pid;
	char *root;   /* dir/cups */
	char *socket; /* dir/cups/cups.sock */
};

static const char cupsd_conf[] = "LogLevel warn\nWebInterface No\nBrowsing No\n"
                                 "DefaultAuthType None\n"
                                 "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
                                 "<Policy default>\n  <Limit All>\n    Order allow,deny\n"
                                 "    Allow all\n  </Limit>\n</Policy>\n";

/* The printer: keeps each job's document in the folder of its DEVICE_URI. */
static const char keep_backend[] =
    "#!/bin/sh\n"
    "# the test's printer: keeps each job's document in the folder of DEVICE_URI\n"
    "[ $# -eq 0 ] && { echo 'direct keep \"Unknown\" \"Keep\"'; exit 0; }\n"
    "dir=${DEVICE_URI#keep:}\n"
    "if [ -n \"$6\" ]; then cp \"$6\" \"$dir/job-$1.pdf\"; else cat >\"$dir/job-$1.pdf\"; fi\n";

static bool have(const char *program)
{
	char *cmd = xasprintf("command -v %s >/dev/null 2>&1", program);
	int rc = system(cmd);

	free(cmd);
	return rc == 0;
}

bool tbcups_available(const char *test, const char *what)
{
	if (geteuid() == 0 && access("/usr/sbin/cupsd", X_OK) == 0 &&
	    access("/usr/lib/cups/daemon", R_OK) == 0 && have("lp") && have("lpadmin") &&
	    have("lpstat"))
		return true;
	fprintf(stderr,
	        "%s: SKIPPED %s: needs root, cupsd and lp (apt-get install cups-daemon "
	        "cups-client)\n",
	        test, what);
	return false;
}

/* sh -c cmd, its output thrown away; whether it exited 0. */
static bool run(const char *cmd)
{
	char *quiet = xasprintf("(%s) >/dev/null 2>&1", cmd);
	int rc = system(quiet);

	free(quiet);
	return rc == 0;
}

/* The folders, the two configuration files and the backend.  0 or -1. */
static int lay_out(struct tbcups *c, const char *dir, struct err *e)
{
	const char *r = c->root;
	char *cmd =
	    xasprintf("chmod 755 '%s' && mkdir -p '%s'/spool '%s'/cache '%s'/log '%s'/state "
	              "'%s'/ppd '%s'/out '%s'/bin/backend && chmod 777 '%s'/out && "
	              "ln -s /usr/lib/cups/daemon '%s'/bin/daemon && "
	              "ln -s /usr/lib/cups/filter '%s'/bin/filter",
	              dir, r, r, r, r, r, r, r, r, r, r);
	char *conf = xasprintf("Listen %s\n%s", c->socket, cupsd_conf);
	char *files = xasprintf("ServerRoot %s\nServerBin %s/bin\nRequestRoot %s/spool\n"
	                        "CacheDir %s/cache\nStateDir %s/state\nTempDir %s/spool\n"
	                        "ErrorLog %s/log/error_log\nAccessLog %s/log/access_log\n"
	                        "PageLog %s/log/page_log\nUser lp\nGroup lp\nSystemGroup root\n",
	                        r, r, r, r, r, r, r, r, r);
	char *p1 = xasprintf("%s/cupsd.conf", r), *p2 = xasprintf("%s/cups-files.conf", r);
	char *p3 = xasprintf("%s/bin/backend/keep", r);
	int rc = -1;

	if (!run(cmd))
		err_set(e, "cannot make %s", r);
	else if (harness_write_file(p1, conf, strlen(conf), e) == 0 &&
	         harness_write_file(p2, files, strlen(files), e) == 0 &&
	         harness_write_file(p3, keep_backend, strlen(keep_backend), e) == 0)
		rc = chmod(p3, 0755);
	free(p1);
	free(p2);
	free(p3);
	free(conf);
	free(files);
	free(cmd);
	return rc;
}

/* Wait up to 10 s for the scheduler to answer; then add the printer. */
static int add_printer(struct tbcups *c, struct err *e)
{
	char *ask = xasprintf("CUPS_SERVER='%s' lpstat -r | grep -q 'is running'", c->socket);
	char *add = xasprintf("CUPS_SERVER='%s' lpadmin -p " TBCUPS_PRINTER " -E -v 'keep:%s/out' "
	                      "-m raw",
	                      c->socket, c->root);
	bool up = false, added;
	int i;

	for (i = 0; i < 100 && !(up = run(ask)); i++)
		usleep(100 * 1000);
	added = up && run(add);
	if (!added)
		err_set(e, up ? "lpadmin failed" : "cupsd did not answer within 10 s");
	free(ask);
	free(add);
	return added ? 0 : -1;
}

struct tbcups *tbcups_start(const char *dir, struct err *e)
{
	struct tbcups *c = xcalloc(1, sizeof *c);
	char *conf, *files;

	c->root = xasprintf("%s/cups", dir);
	c->socket = xasprintf("%s/cups.sock", c->root);
	c->pid = -1;
	if (lay_out(c, dir, e) < 0) {
		tbcups_stop(c);
		return NULL;
	}
	conf = xasprintf("%s/cupsd.conf", c->root);
	files = xasprintf("%s/cups-files.conf", c->root);
	if ((c->pid = fork()) == 0) {
		/* cupsd dies with the test, even one that fails half-way */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		execl("/usr/sbin/cupsd", "cupsd", "-f", "-c", conf, "-s", files, (char *)NULL);
		_exit(127);
	}
	free(conf);
	free(files);
	if (c->pid < 0 || add_printer(c, e) < 0) {
		if (c->pid < 0)
			err_set(e, "fork failed");
		tbcups_stop(c);
		return NULL;
	}
	return c;
}

const char *tbcups_server(const struct tbcups *c)
{
	return c->socket;
}

char *tbcups_job(const struct tbcups *c)
{
	char *cmd = xasprintf("ls '%s'/out/job-*.pdf 2>/dev/null | head -n 1", c->root);
	char line[1024];
	int i;

	for (i = 0; i < 100; i++) {
		FILE *p = popen(cmd, "r");
		bool got = p && fgets(line, sizeof line, p) != NULL;

		if (p)
			pclose(p);
		if (got) {
			line[strcspn(line, "\n")] = '\0';
			free(cmd);
			return xstrdup(line);
		}
		usleep(100 * 1000);
	}
	free(cmd);
	return NULL;
}

void tbcups_stop(struct tbcups *c)
{
	if (c == NULL)
		return;
	if (c->pid > 0) {
		kill(c->pid, SIGTERM);
		waitpid(c->pid, NULL, 0);
	}
	free(c->root);
	free(c->socket);
	free(c);
}
