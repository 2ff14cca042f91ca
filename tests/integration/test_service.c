/*
 * tests/integration/test_service.c - tongband as a system service: the
 * systemd unit (systemd/tongband.service.in) as systemd-analyze reads it,
 * and serve --syslog, which sends the log to syslog(3) instead of standard
 * error.  The syslog tests give the real tongband ($TONGBAND_BIN) a private
 * /dev whose /dev/log is this test's own socket (a mount namespace: root and
 * unshare(1)); where that cannot be made, and where systemd-analyze does
 * not run, they say SKIPPED on standard error.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/util.h"
#include "tbcheck.h"
#include "tbserver.h"
#include "tmpdir.h"

static char *dir;

static void setup(void)
{
	struct err e = {0};

	dir = harness_tmpdir("tongban-service", &e);
	ck_assert_msg(dir != NULL, "%s", e.msg);
}

static void teardown(void)
{
	harness_tmpdir_remove(dir);
	free(dir);
}

/* A file of this test's folder.  Caller frees. */
static char *in_dir(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static char *slurp(const char *path)
{
	size_t len;
	char *s = file_read_all(path, &len, 1 << 20, NULL);

	return s ? s : xstrdup("");
}

/* sh -c cmd; its exit status (-1 when it did not exit). */
static int shell(const char *cmd)
{
	int st = system(cmd);

	return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ---- a syslog daemon of our own ------------------------------------------ */

struct syslogd {
	int fd;
	char got[65536]; /* the datagrams received, one a line */
	size_t len;
};

/* Whether this process may give tongband a private /dev (see the top). */
static bool can_make_private_dev(void)
{
	if (geteuid() == 0 &&
	    shell("unshare -m sh -c 'mount -t tmpfs tmpfs /mnt' >/dev/null 2>&1") == 0)
		return true;
	fprintf(stderr, "test_service: SKIPPED the --syslog test: no private mount namespace "
	                "here (needs root and unshare -m)\n");
	return false;
}

/* Listen on the datagram socket dir/log, as syslogd does on /dev/log. */
static void syslogd_open(struct syslogd *d)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	char *path = in_dir("log");

	ck_assert_int_lt(strlen(path), sizeof a.sun_path);
	memcpy(a.sun_path, path, strlen(path) + 1);
	d->fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	ck_assert_int_ge(d->fd, 0);
	ck_assert_msg(bind(d->fd, (struct sockaddr *)&a, sizeof a) == 0, "bind %s: %s", path,
	              strerror(errno));
	d->len = 0;
	d->got[0] = '\0';
	free(path);
}

/* Receive datagrams until one holds text or 10 s pass; whether one did. */
static bool syslogd_wait(struct syslogd *d, const char *text)
{
	struct pollfd p = {d->fd, POLLIN, 0};
	int waited = 0;

	while (strstr(d->got, text) == NULL && waited < 10000) {
		ssize_t n;

		if (poll(&p, 1, 100) <= 0) {
			waited += 100;
			continue;
		}
		n = recv(d->fd, d->got + d->len, sizeof d->got - d->len - 2, 0);
		if (n <= 0)
			continue;
		d->len += (size_t)n;
		d->got[d->len++] = '\n';
		d->got[d->len] = '\0';
	}
	return strstr(d->got, text) != NULL;
}

/* ---- the server under test ----------------------------------------------- */

/* Start tongband serve with extra arguments (shell words) on a free port,
 * with standard error to dir/stderr and /dev/log the socket dir/log; wait
 * for its port file.  Returns the port; *pid is tongband's. */
static int server_start(const char *extra, pid_t *pid)
{
	char *port_path = in_dir("port");
	char *cmd =
	    xasprintf("exec unshare -m sh -c 'mount -t tmpfs -o mode=755 tmpfs /dev &&"
	              " mknod -m 666 /dev/null c 1 3 && ln -s %s/log /dev/log &&"
	              " exec %s serve --db %s/server.db --listen 127.0.0.1:0 --port-file %s %s'"
	              " </dev/null >%s/stdout 2>%s/stderr",
	              dir, tbserver_bin(), dir, port_path, extra, dir, dir);
	int port = 0, waited;

	*pid = fork();
	ck_assert_int_ge(*pid, 0);
	if (*pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	for (waited = 0; waited < 20000 && port == 0; waited += 50) {
		char *s = slurp(port_path);

		port = atoi(s);
		free(s);
		if (port == 0)
			usleep(50 * 1000);
	}
	ck_assert_msg(port > 0, "tongband did not start: %s", cmd);
	free(cmd);
	free(port_path);
	return port;
}

/* SIGTERM the server and reap it; its exit status. */
static int server_stop(pid_t pid)
{
	int st;

	kill(pid, SIGTERM);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* One HTTP/1.0 request to 127.0.0.1:port; the status code of the answer. */
static int http(int port, const char *method, const char *path, const char *body)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	char *req = xasprintf("%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: "
	                      "application/json\r\nContent-Length: %zu\r\n\r\n%s",
	                      method, path, body ? strlen(body) : 0, body ? body : "");
	char answer[4096];
	size_t len = 0;
	ssize_t n;
	int fd = socket(AF_INET, SOCK_STREAM, 0), status = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	while (len < sizeof answer - 1 && (n = read(fd, answer + len, sizeof answer - 1 - len)) > 0)
		len += (size_t)n;
	answer[len] = '\0';
	close(fd);
	free(req);
	sscanf(answer, "HTTP/1.%*d %d", &status);
	return status;
}

/* ---- --syslog ------------------------------------------------------------ */

START_TEST(serve_syslog_sends_start_requests_audit_and_stop_to_syslog_only)
{
	struct syslogd d;
	char *err_path = in_dir("stderr"), *err;
	pid_t pid;
	int port;

	if (!can_make_private_dev())
		return;
	syslogd_open(&d);
	port = server_start("--syslog", &pid);
	ck_assert_int_eq(http(port, "GET", "/v1/health", NULL), 200);
	ck_assert_int_eq(
	    http(port, "POST", "/v1/login", "{\"clerk\":\"ghost\",\"password\":\"x\"}"), 401);
	/* daemon.info (3 * 8 + 6) for a request, daemon.notice (29) for its audit
	 * line, under the name tongband and its pid */
	ck_assert_msg(syslogd_wait(&d, "tongband["), "no tongband[PID] in:\n%s", d.got);
	ck_assert_msg(syslogd_wait(&d, "GET /v1/health 200 "), "no request line in:\n%s", d.got);
	ck_assert_msg(syslogd_wait(&d, "AUDIT ghost POST /v1/login login failed"),
	              "no audit line in:\n%s", d.got);
	ck_assert_int_eq(server_stop(pid), 0);
	ck_assert_msg(syslogd_wait(&d, "stopping (signal 15)"), "no stop line in:\n%s", d.got);
	ck_assert_msg(strstr(d.got, "listening on http://127.0.0.1:") != NULL, "%s", d.got);
	ck_assert_msg(strstr(d.got, "<30>") != NULL && strstr(d.got, "<29>") != NULL,
	              "want daemon.info and daemon.notice priorities in:\n%s", d.got);
	/* syslog stamps its own time: the line does not repeat "tongband: TIME" */
	ck_assert_msg(strstr(d.got, "tongband: ") == NULL, "%s", d.got);
	err = slurp(err_path);
	ck_assert_msg(err[0] == '\0', "standard error should stay empty, has:\n%s", err);
	close(d.fd);
	free(err);
	free(err_path);
}
END_TEST

START_TEST(serve_without_syslog_logs_to_stderr_and_nothing_to_syslog)
{
	struct syslogd d;
	char *err_path = in_dir("stderr"), *err;
	pid_t pid;
	int port;

	if (!can_make_private_dev())
		return;
	syslogd_open(&d);
	port = server_start("", &pid);
	ck_assert_int_eq(http(port, "GET", "/v1/health", NULL), 200);
	ck_assert_int_eq(server_stop(pid), 0);
	err = slurp(err_path);
	ck_assert_msg(strstr(err, "tongband: listening on http://127.0.0.1:") != NULL, "%s", err);
	ck_assert_msg(strstr(err, " GET /v1/health 200 ") != NULL, "%s", err);
	ck_assert_msg(strstr(err, "tongband: stopping (signal 15)") != NULL, "%s", err);
	ck_assert_msg(!syslogd_wait(&d, "tongband"), "syslog got:\n%s", d.got);
	close(d.fd);
	free(err);
	free(err_path);
}
END_TEST

START_TEST(serve_syslog_that_cannot_start_says_why_on_stderr_too)
{
	char *cmd = xasprintf("%s serve --syslog --db %s/no/such/dir/server.db --listen "
	                      "127.0.0.1:0 </dev/null >%s/stdout 2>%s/stderr",
	                      tbserver_bin(), dir, dir, dir);
	char *err_path = in_dir("stderr"), *err;

	ck_assert_int_eq(shell(cmd), 1);
	err = slurp(err_path);
	ck_assert_msg(strncmp(err, "tongband: ", 10) == 0 && strstr(err, "server.db") != NULL,
	              "want the reason on stderr, got:\n%s", err);
	free(err);
	free(err_path);
	free(cmd);
}
END_TEST

/* ---- the systemd unit ---------------------------------------------------- */

/* The unit as make install writes it, with tongband's folder the one of
 * $TONGBAND_BIN, into dir/tongband.service; and the man pages its
 * Documentation= names under dir/man.  Returns the unit's path.  Caller frees. */
static char *unit_for_this_build(void)
{
	char *in = tbcheck_src_path("systemd/tongband.service.in");
	char *man = tbcheck_src_path("man");
	char *bin = realpath(tbserver_bin(), NULL), *slash;
	char *unit = in_dir("tongband.service");
	char *cmd;

	ck_assert_msg(bin != NULL, "%s: %s", tbserver_bin(), strerror(errno));
	slash = strrchr(bin, '/');
	*slash = '\0';
	cmd = xasprintf("sed 's|@SBINDIR@|%s|g' '%s' >'%s' && mkdir -p %s/man/man7 %s/man/man8 &&"
	                " cp '%s/tongband.8' %s/man/man8/ && cp '%s/tongband-api.7' %s/man/man7/",
	                bin, in, unit, dir, dir, man, dir, man, dir);
	ck_assert_msg(shell(cmd) == 0, "%s", cmd);
	free(cmd);
	free(bin);
	free(man);
	free(in);
	return unit;
}

/* Whether systemd-analyze runs here (a container may lack it). */
static bool has_systemd_analyze(void)
{
	if (shell("systemd-analyze --version >/dev/null 2>&1") == 0)
		return true;
	fprintf(stderr, "test_service: SKIPPED the unit checks: systemd-analyze does not run "
	                "here (apt-get install systemd)\n");
	return false;
}

/* systemd-analyze ARGS on the unit, its output (both streams) in *out and
 * its exit status returned.  Its Documentation= is checked with man(1)
 * when man is here.  Caller frees *out. */
static int analyze(const char *args, const char *unit, char **out)
{
	bool has_man = shell("command -v man >/dev/null 2>&1") == 0;
	char *out_path = in_dir("analyze.out");
	char *cmd = xasprintf("MANPATH=%s/man SYSTEMD_LOG_COLOR=0 systemd-analyze %s %s '%s' "
	                      ">'%s' 2>&1",
	                      dir, args, has_man ? "" : "--man=no", unit, out_path);
	int rc;

	if (!has_man)
		fprintf(stderr, "test_service: the unit's man pages are not checked: no man(1)\n");
	rc = shell(cmd);
	*out = slurp(out_path);
	free(cmd);
	free(out_path);
	return rc;
}

START_TEST(service_unit_passes_systemd_analyze_verify_with_nothing_said)
{
	char *unit, *out;
	int rc;

	if (!has_systemd_analyze())
		return;
	unit = unit_for_this_build();
	rc = analyze("verify", unit, &out);
	/* verify exits 0 after a warning such as an unknown setting: the
	 * output must be empty too */
	ck_assert_msg(rc == 0 && out[0] == '\0', "exit %d:\n%s", rc, out);
	free(out);
	free(unit);
}
END_TEST

START_TEST(service_unit_fault_is_found_by_the_same_check)
{
	char *unit, *cmd, *out;
	int rc;

	if (!has_systemd_analyze())
		return;
	unit = unit_for_this_build();
	cmd = xasprintf("sed -i 's/^ProtectSystem=strict/ProtectSystem=strickt/' '%s'", unit);
	ck_assert_int_eq(shell(cmd), 0);
	rc = analyze("verify", unit, &out);
	ck_assert_msg(rc != 0 || strstr(out, "strickt") != NULL, "exit %d:\n%s", rc, out);
	free(out);
	free(cmd);
	free(unit);
}
END_TEST

START_TEST(service_unit_exposure_is_at_most_2_ok)
{
	char *unit, *out, *verdict;
	int rc;

	if (!has_systemd_analyze())
		return;
	unit = unit_for_this_build();
	/* systemd-analyze security shows 0 (safest) .. 10 (unprotected), and
	 * takes --threshold ten times that: at most 2.0, "OK" */
	rc = analyze("security --offline=yes --threshold=20", unit, &out);
	/* the verdict is the last line of a long table */
	verdict = strstr(out, "Overall exposure level");
	ck_assert_msg(rc == 0 && verdict != NULL, "exit %d: %s", rc,
	              verdict ? verdict : out + (strlen(out) > 400 ? strlen(out) - 400 : 0));
	fprintf(stderr, "test_service: %s", verdict);
	free(out);
	free(unit);
}
END_TEST

static Suite *service_suite(void)
{
	Suite *s = suite_create("service");
	TCase *tc = tcase_create("syslog");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, serve_syslog_sends_start_requests_audit_and_stop_to_syslog_only);
	tcase_add_test(tc, serve_without_syslog_logs_to_stderr_and_nothing_to_syslog);
	tcase_add_test(tc, serve_syslog_that_cannot_start_says_why_on_stderr_too);
	suite_add_tcase(s, tc);
	tc = tcase_create("unit");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, service_unit_passes_systemd_analyze_verify_with_nothing_said);
	tcase_add_test(tc, service_unit_fault_is_found_by_the_same_check);
	tcase_add_test(tc, service_unit_exposure_is_at_most_2_ok);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	return tbcheck_run(service_suite());
}
