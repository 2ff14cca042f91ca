/*
 * tbserver.c - start, stop and talk to a real tongband process.
 */
#include "tbserver.h"

#include "tbdb.h"
#include "tmpdir.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#define TBSERVER_READY_MS   20000
#define TBSERVER_SETUP_MS   20000
#define TBSERVER_STOP_MS    5000
#define TBSERVER_POLL_MS    20
#define TBSERVER_REQUEST_MS 10000
#define TBSERVER_LOG_TAIL   300
#define TBSERVER_MAX_ARGS   16

struct tbserver {
	char *dir;
	char *db;
	char *port_file;
	char *log;
	char *setup_log;
	char *url;
	char *args[TBSERVER_MAX_ARGS + 1]; /* extra serve arguments, NULL-terminated */
	int port;
	bool owns_db; /* made by tbserver_start: removed by tbserver_free */
	pid_t pid;    /* -1 while stopped */
	int exit_status;
	struct tbserver *next_live;
};

static struct tbserver *live_servers;
static pid_t live_owner;
static int atexit_done;
static int curl_ready;

const char *tbserver_bin(void)
{
	const char *bin = getenv("TONGBAND_BIN");

	return bin != NULL && *bin != '\0' ? bin : "build/tongband";
}

static void ms_sleep(int ms)
{
	poll(NULL, 0, ms);
}

/* Wait up to ms for pid to exit.  Returns 1 with *status set, else 0. */
static int wait_pid(pid_t pid, int ms, int *status)
{
	long long deadline = clock_ms() + ms;

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid || (r < 0 && errno == ECHILD))
			return 1;
		if (clock_ms() >= deadline)
			return 0;
		ms_sleep(5);
	}
}

/* SIGTERM, grace, SIGKILL.  Returns 0 if it went within the grace time. */
static int kill_and_reap(pid_t pid, int grace_ms, int *status)
{
	*status = -1;
	kill(pid, SIGTERM);
	if (wait_pid(pid, grace_ms, status))
		return 0;
	kill(pid, SIGKILL);
	waitpid(pid, status, 0);
	return -1;
}

static void tbserver_kill_all(void)
{
	struct tbserver *s;
	int st;

	if (getpid() != live_owner)
		return;
	for (s = live_servers; s != NULL; s = s->next_live) {
		if (s->pid > 0) {
			kill_and_reap(s->pid, 1000, &st);
			s->pid = -1;
			fprintf(stderr, "tbserver: killed a server left running; its files: %s\n",
			        s->dir);
		}
	}
}

static void tbserver_register(struct tbserver *s)
{
	if (live_owner != getpid()) {
		live_servers = NULL; /* inherited through fork: not ours */
		live_owner = getpid();
	}
	if (!atexit_done) {
		atexit(tbserver_kill_all);
		atexit_done = 1;
	}
	s->next_live = live_servers;
	live_servers = s;
}

static void tbserver_unregister(struct tbserver *s)
{
	struct tbserver **p;

	for (p = &live_servers; *p != NULL; p = &(*p)->next_live) {
		if (*p == s) {
			*p = s->next_live;
			return;
		}
	}
}

static char *log_tail(const char *path, size_t max)
{
	size_t len = 0, start;
	char *all = file_read_all(path, &len, 64 << 20, NULL);
	char *tail;

	if (all == NULL)
		return xstrdup("(no log)");
	start = len > max ? len - max : 0;
	while (start < len && ((unsigned char)all[start] & 0xC0) == 0x80)
		start++;
	tail = xstrdup(all + start);
	free(all);
	return tail;
}

char *tbserver_log_tail(const struct tbserver *s, size_t max)
{
	return log_tail(s->log, max);
}

/* In a forked child: stdin from in_fd (or /dev/null), stdout and stderr
 * appended to log, then exec argv.  Never returns. */
static void child_exec(char *const argv[], int in_fd, const char *log)
{
	int fd, devnull;
	sigset_t none;

#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	devnull = open("/dev/null", O_RDONLY);
	dup2(in_fd >= 0 ? in_fd : devnull, STDIN_FILENO);
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	for (fd = 3; fd < 1024; fd++)
		close(fd);
	execvp(argv[0], argv);
	dprintf(STDERR_FILENO, "tbserver: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Run argv to completion with input on its stdin (may be NULL); output goes
 * to setup.log.  Returns 0 if it exited 0, else -1 with e filled. */
static int run_setup(struct tbserver *s, char *const argv[], const char *input, struct err *e)
{
	int pfd[2], st = 0;
	pid_t pid;
	char *tail;

	if (pipe(pfd) < 0) {
		err_set(e, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		err_set(e, "fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (pid == 0) {
		close(pfd[1]);
		child_exec(argv, pfd[0], s->setup_log);
	}
	close(pfd[0]);
	if (input != NULL && write(pfd[1], input, strlen(input)) < 0) {
		/* the child may not read stdin at all: its status decides */
	}
	close(pfd[1]);
	if (!wait_pid(pid, TBSERVER_SETUP_MS, &st)) {
		kill_and_reap(pid, 1000, &st);
		err_set(e, "%s %s: still running after %d ms", argv[0], argv[1], TBSERVER_SETUP_MS);
		return -1;
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	tail = log_tail(s->setup_log, TBSERVER_LOG_TAIL);
	if (WIFEXITED(st))
		err_set(e, "%s %s: exit %d: %s", argv[0], argv[1], WEXITSTATUS(st), tail);
	else
		err_set(e, "%s %s: signal %d: %s", argv[0], argv[1],
		        WIFSIGNALED(st) ? WTERMSIG(st) : 0, tail);
	free(tail);
	return -1;
}

/* tongband useradd of an account with its role and dept ("" for none). */
static int add_account(struct tbserver *s, const char *id, const char *name, const char *hall,
                       const char *hall_name, const char *window, const char *role,
                       const char *dept, const char *password, struct err *e)
{
	char *input = xasprintf("%s\n", password);
	char *argv[] = {(char *)tbserver_bin(),
	                "useradd",
	                "--db",
	                s->db,
	                "--id",
	                (char *)id,
	                "--name",
	                (char *)name,
	                "--hall",
	                (char *)hall,
	                "--hall-name",
	                (char *)hall_name,
	                "--window",
	                (char *)window,
	                "--role",
	                (char *)role,
	                "--dept",
	                (char *)dept,
	                NULL};
	int rc = run_setup(s, argv, input, e);

	free(input);
	return rc;
}

static int add_clerk(struct tbserver *s, const char *id, const char *name, const char *hall,
                     const char *hall_name, const char *window, const char *password, struct err *e)
{
	return add_account(s, id, name, hall, hall_name, window, "clerk", "", password, e);
}

int tbserver_add_user(struct tbserver *s, const char *id, const char *password, const char *hall,
                      const char *role, const char *dept, struct err *e)
{
	return add_account(s, id, id, hall, hall, "9", role, dept, password, e);
}

/* tongband import-catalogue of the source tree's data/catalogue.json. */
static int import_catalogue(struct tbserver *s, struct err *e)
{
	const char *src = getenv("TONGBAN_SRCDIR");
	char *file = xasprintf("%s/data/catalogue.json", src != NULL && *src != '\0' ? src : ".");
	char *argv[] = {(char *)tbserver_bin(), "import-catalogue", "--db", s->db, file, NULL};
	int rc = run_setup(s, argv, NULL, e);

	free(file);
	return rc;
}

static int setup_db(struct tbserver *s, bool with_catalogue, struct err *e)
{
	char *init[] = {(char *)tbserver_bin(), "init", "--db", s->db, NULL};

	if (run_setup(s, init, NULL, e) < 0)
		return -1;
	if (with_catalogue && import_catalogue(s, e) < 0)
		return -1;
	if (add_clerk(s, TBSERVER_CLERK, TBSERVER_CLERK_NAME, TBSERVER_HALL, TBSERVER_HALL_NAME,
	              "3", TBSERVER_PASSWORD, e) < 0)
		return -1;
	return add_clerk(s, TBSERVER_OTHER_CLERK, TBSERVER_OTHER_NAME, TBSERVER_OTHER_HALL,
	                 "另一政务服务中心", "1", TBSERVER_OTHER_PASSWORD, e);
}

static int spawn_serve(struct tbserver *s, int port, struct err *e)
{
	char listen[64];
	char *argv[8 + TBSERVER_MAX_ARGS + 1] = {
	    (char *)tbserver_bin(), "serve",     "--db", s->db, "--listen", listen,
	    "--port-file",          s->port_file};
	pid_t pid;
	int i;

	for (i = 0; s->args[i] != NULL; i++)
		argv[8 + i] = s->args[i];
	snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
	unlink(s->port_file);
	pid = fork();
	if (pid < 0) {
		err_set(e, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		child_exec(argv, -1, s->log);
	s->pid = pid;
	return 0;
}

/* The port in the port file, or 0 while it is missing or incomplete. */
static int read_port(const struct tbserver *s)
{
	char *text = file_read_all(s->port_file, NULL, 64, NULL);
	char *end;
	long port;

	if (text == NULL)
		return 0;
	port = strtol(text, &end, 10);
	if (end == text || port <= 0 || port > 65535)
		port = 0;
	free(text);
	return (int)port;
}

static void set_port(struct tbserver *s, int port)
{
	s->port = port;
	free(s->url);
	s->url = xasprintf("http://127.0.0.1:%d", port);
}

static void curl_init_once(void)
{
	if (!curl_ready) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		curl_ready = 1;
	}
}

static int is_healthy(struct tbserver *s)
{
	long status = 0;
	char *body = tbserver_request(s, "GET", "/v1/health", NULL, NULL, &status, NULL);

	free(body);
	return body != NULL && status == 200;
}

/* Wait until the server has written its port and answers health checks.
 * Returns 0, or -1 with e filled (the server is then stopped). */
static int wait_ready(struct tbserver *s, struct err *e)
{
	long long deadline = clock_ms() + TBSERVER_READY_MS;
	char *tail;
	int st;

	for (;;) {
		int port;

		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			s->pid = -1;
			s->exit_status = st;
			tail = log_tail(s->log, TBSERVER_LOG_TAIL);
			err_set(e, "tongband serve exited (status %d) before it was ready: %s",
			        WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), tail);
			free(tail);
			return -1;
		}
		port = read_port(s);
		if (port > 0) {
			set_port(s, port);
			if (is_healthy(s))
				return 0;
		}
		if (clock_ms() >= deadline)
			break;
		ms_sleep(TBSERVER_POLL_MS);
	}
	tbserver_stop(s);
	tail = log_tail(s->log, TBSERVER_LOG_TAIL);
	err_set(e, "tongband serve not healthy after %d ms (port %d): %s", TBSERVER_READY_MS,
	        s->port, tail);
	free(tail);
	return -1;
}

/* A new server in a scratch directory of its own, not started, on the
 * database db (NULL: a new one of its own).  NULL with e filled. */
static struct tbserver *make(const char *db, const char *const *args, struct err *e)
{
	struct tbserver *s;
	char *dir;
	int i;

	curl_init_once();
	if (access(tbserver_bin(), X_OK) < 0) {
		err_set(e, "tongband binary %s: %s (set TONGBAND_BIN)", tbserver_bin(),
		        strerror(errno));
		return NULL;
	}
	dir = harness_tmpdir("tongband-test", e);
	if (dir == NULL)
		return NULL;
	s = xcalloc(1, sizeof *s);
	s->dir = dir;
	s->owns_db = db == NULL;
	s->db = db ? xstrdup(db) : tbdb_new(dir, "server", e);
	s->port_file = xasprintf("%s/port", dir);
	s->log = xasprintf("%s/server.log", dir);
	s->setup_log = xasprintf("%s/setup.log", dir);
	s->url = xstrdup("");
	s->pid = -1;
	s->exit_status = -1;
	for (i = 0; args != NULL && args[i] != NULL && i < TBSERVER_MAX_ARGS; i++)
		s->args[i] = xstrdup(args[i]);
	tbserver_register(s);
	if (s->db == NULL) {
		tbserver_free(s);
		return NULL;
	}
	return s;
}

static struct tbserver *start(bool with_catalogue, const char *const *args, struct err *e)
{
	struct tbserver *s = make(NULL, args, e);

	if (s == NULL)
		return NULL;
	if (setup_db(s, with_catalogue, e) < 0 || spawn_serve(s, 0, e) < 0 ||
	    wait_ready(s, e) < 0) {
		tbserver_free(s);
		return NULL;
	}
	return s;
}

struct tbserver *tbserver_start_beside(const struct tbserver *first, const char *const *args,
                                       struct err *e)
{
	return tbserver_start_on(first->db, args, e);
}

struct tbserver *tbserver_start_on(const char *db, const char *const *args, struct err *e)
{
	struct tbserver *s = make(db, args, e);

	if (s == NULL)
		return NULL;
	if (spawn_serve(s, 0, e) < 0 || wait_ready(s, e) < 0) {
		tbserver_free(s);
		return NULL;
	}
	return s;
}

struct tbserver *tbserver_start(struct err *e)
{
	return start(true, NULL, e);
}

struct tbserver *tbserver_start_args(const char *const *args, struct err *e)
{
	return start(true, args, e);
}

struct tbserver *tbserver_start_without_catalogue(struct err *e)
{
	return start(false, NULL, e);
}

const char *tbserver_url(const struct tbserver *s)
{
	return s->url;
}

int tbserver_port(const struct tbserver *s)
{
	return s->port;
}

const char *tbserver_dir(const struct tbserver *s)
{
	return s->dir;
}

const char *tbserver_db(const struct tbserver *s)
{
	return s->db;
}

int tbserver_pid(const struct tbserver *s)
{
	return s->pid > 0 ? (int)s->pid : -1;
}

int tbserver_stop(struct tbserver *s)
{
	int rc, st;

	if (s->pid <= 0)
		return -1;
	rc = kill_and_reap(s->pid, TBSERVER_STOP_MS, &st);
	s->pid = -1;
	s->exit_status = st;
	if (rc == 0 && st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	return -1;
}

int tbserver_exit_status(const struct tbserver *s)
{
	return s->exit_status;
}

int tbserver_restart(struct tbserver *s, struct err *e)
{
	int old_port = s->port;
	struct err first;

	if (s->pid > 0)
		tbserver_stop(s);
	if (old_port > 0) {
		if (spawn_serve(s, old_port, e) < 0)
			return -1;
		if (wait_ready(s, &first) == 0)
			return 0;
		/* the port was taken meanwhile: any free port will do */
	}
	if (spawn_serve(s, 0, e) < 0)
		return -1;
	return wait_ready(s, e);
}

void tbserver_free(struct tbserver *s)
{
	int i;

	if (s == NULL)
		return;
	if (s->pid > 0)
		tbserver_stop(s);
	tbserver_unregister(s);
	if (s->owns_db)
		tbdb_remove(s->db);
	harness_tmpdir_remove(s->dir);
	free(s->dir);
	free(s->db);
	free(s->port_file);
	free(s->log);
	free(s->setup_log);
	free(s->url);
	for (i = 0; s->args[i] != NULL; i++)
		free(s->args[i]);
	free(s);
}

static size_t collect(char *data, size_t size, size_t n, void *user)
{
	buf_add(user, data, size * n);
	return size * n;
}

char *tbserver_request(struct tbserver *s, const char *method, const char *path, const char *token,
                       const char *body, long *status, struct err *e)
{
	CURL *c;
	CURLcode rc;
	struct curl_slist *hdr = NULL;
	struct buf out;
	char *url, *auth = NULL;
	long code = 0;

	curl_init_once();
	c = curl_easy_init();
	if (c == NULL) {
		err_set(e, "curl_easy_init failed");
		return NULL;
	}
	buf_init(&out);
	url = xasprintf("%s%s", s->url, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)TBSERVER_REQUEST_MS);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
	if (strcmp(method, "GET") != 0)
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (body != NULL) {
		hdr = curl_slist_append(hdr, "Content-Type: application/json");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	} else if (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, 0L);
	}
	if (token != NULL) {
		auth = xasprintf("Authorization: Bearer %s", token);
		hdr = curl_slist_append(hdr, auth);
	}
	if (hdr != NULL)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	free(auth);
	if (rc != CURLE_OK) {
		err_set(e, "%s %s: %s", method, url, curl_easy_strerror(rc));
		free(url);
		buf_free(&out);
		return NULL;
	}
	free(url);
	if (status != NULL)
		*status = code;
	return buf_take(&out);
}

char *tbserver_login(struct tbserver *s, const char *clerk, const char *password, struct err *e)
{
	json_object *req = json_object_new_object(), *resp, *tok;
	char *body, *token = NULL;
	long status = 0;

	json_object_object_add(req, "clerk", json_object_new_string(clerk));
	json_object_object_add(req, "password", json_object_new_string(password));
	body = tbserver_request(s, "POST", "/v1/login", NULL,
	                        json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN),
	                        &status, e);
	json_object_put(req);
	if (body == NULL)
		return NULL;
	resp = status == 200 ? json_tokener_parse(body) : NULL;
	if (resp != NULL && json_object_object_get_ex(resp, "token", &tok) &&
	    json_object_is_type(tok, json_type_string))
		token = xstrdup(json_object_get_string(tok));
	else
		err_set(e, "login %s: HTTP %ld: %.300s", clerk, status, body);
	json_object_put(resp);
	free(body);
	return token;
}
