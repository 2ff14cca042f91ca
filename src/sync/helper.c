/*
 * helper.c - the sync helper process and the TUI's end of it (helper.h).
 *
 * The wire: one JSON object a line, each way.
 *   TUI -> helper  {"login":{"clerk","password","device"}}  {"run":true}
 *                  {"poke":true}  {"search":"QUERY"}  {"damaged":true}
 *   helper -> TUI  {"login":{"result","kind","error","available","clerk":{…},
 *                            "token","expires","terminal"}}
 *                  {"status":{…struct agent_status…}}
 *                  {"found":{"query","rc","body"}}
 * The helper sends a status whenever it changes, and an answer to a search
 * as soon as the agent has one.
 */
#include "sync/helper.h"

#include "store/store.h"

#include "core/sodiumfn.h"
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define HELPER_FD       3   /* the socket, in the helper */
#define HELPER_TICK_MS  100 /* how often the helper looks at the agent's status */
#define HELPER_LOGIN_MS 30000
#define HELPER_STOP_MS  10000

extern char **environ;

/* ---- the wire ---- */

/* Write all of p[0..n) to fd (blocking or not).  -1 when the other end is gone. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pf = {fd, POLLOUT, 0};

			poll(&pf, 1, 1000);
			continue;
		}
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Send o (and free it) as one line.  The line is overwritten once sent
 * (json-c's own buffer, writable): a password is not left in the heap. */
static int send_msg(int fd, struct json_object *o)
{
	char *s = (char *)json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	                                                        JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t n = strlen(s);
	int rc = write_all(fd, s, n) == 0 && write_all(fd, "\n", 1) == 0 ? 0 : -1;

	sodium_memzero(s, n);
	json_object_put(o);
	return rc;
}

/* {"key": value} */
static struct json_object *msg(const char *key, struct json_object *value)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, key, value);
	return o;
}

/* Read what fd has into in.  -1 at its end (or an error), else 0. */
static int read_some(int fd, struct buf *in)
{
	char chunk[16384];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);

		if (n > 0) {
			buf_add(in, chunk, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		return -1;
	}
}

/* The first whole line of in, parsed and taken out of it; NULL when there
 * is none (a line that is not JSON is dropped). */
static struct json_object *next_msg(struct buf *in)
{
	char *nl;

	while (in->len > 0 && (nl = memchr(in->data, '\n', in->len)) != NULL) {
		size_t used = (size_t)(nl - in->data) + 1;
		struct json_object *o;

		*nl = '\0';
		o = json_tokener_parse(in->data);
		memmove(in->data, in->data + used, in->len - used);
		in->len -= used;
		/* a line read is not left behind (a login's password) */
		memset(in->data + in->len, 0, used);
		if (o)
			return o;
	}
	return NULL;
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string)
	           ? json_object_get_string(v)
	           : "";
}

static long long get_int(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : 0;
}

/* ---- struct agent_status as JSON ---- */

enum field_kind { F_BOOL, F_INT, F_LONG, F_LLONG, F_TIME, F_STR };

static const struct status_field {
	const char *name;
	enum field_kind kind;
	size_t at, size;
} status_fields[] = {
#define FIELD(f, k)                                                                                \
	{                                                                                          \
#f, k, offsetof(struct agent_status, f), sizeof(((struct agent_status *)0)->f)     \
	}
    FIELD(online, F_BOOL),      FIELD(need_login, F_BOOL),   FIELD(too_old, F_BOOL),
    FIELD(store_busy, F_BOOL),  FIELD(last_ok, F_TIME),      FIELD(problems, F_INT),
    FIELD(last_error, F_STR),   FIELD(retry_after, F_LONG),  FIELD(next_round_ms, F_LONG),
    FIELD(drift_known, F_BOOL), FIELD(clock_drift, F_LLONG), FIELD(updates_waiting, F_BOOL),
    FIELD(decisions, F_INT),    FIELD(held, F_INT),          FIELD(audit_problem, F_BOOL),
    FIELD(held_clerk, F_STR),
#undef FIELD
};

static struct json_object *status_to_json(const struct agent_status *s)
{
	struct json_object *o = json_object_new_object();
	const char *base = (const char *)s;
	size_t i;

	for (i = 0; i < sizeof status_fields / sizeof status_fields[0]; i++) {
		const struct status_field *f = &status_fields[i];
		const void *p = base + f->at;
		struct json_object *v;

		switch (f->kind) {
		case F_BOOL:
			v = json_object_new_boolean(*(const bool *)p);
			break;
		case F_INT:
			v = json_object_new_int64(*(const int *)p);
			break;
		case F_LONG:
			v = json_object_new_int64(*(const long *)p);
			break;
		case F_LLONG:
			v = json_object_new_int64(*(const long long *)p);
			break;
		case F_TIME:
			v = json_object_new_int64((long long)*(const time_t *)p);
			break;
		default:
			v = json_object_new_string((const char *)p);
		}
		json_object_object_add(o, f->name, v);
	}
	return o;
}

static void status_from_json(struct json_object *o, struct agent_status *s)
{
	char *base = (char *)s;
	size_t i;

	memset(s, 0, sizeof *s);
	for (i = 0; i < sizeof status_fields / sizeof status_fields[0]; i++) {
		const struct status_field *f = &status_fields[i];
		void *p = base + f->at;
		long long n = get_int(o, f->name);

		switch (f->kind) {
		case F_BOOL:
			*(bool *)p = n != 0;
			break;
		case F_INT:
			*(int *)p = (int)n;
			break;
		case F_LONG:
			*(long *)p = (long)n;
			break;
		case F_LLONG:
			*(long long *)p = n;
			break;
		case F_TIME:
			*(time_t *)p = (time_t)n;
			break;
		default:
			str_copy(p, f->size, get_str(o, f->name));
		}
	}
}

/* ---- the helper's side ---- */

/* What the helper serves: the agent once asked to run, the search asked. */
struct serve {
	int fd;
	const char *db_path, *server;
	struct sync_agent *agent;
	struct agent_status sent;
	bool sent_any;
	char *search; /* asked of the agent, not answered yet */
};

/* Overwrite the password json-c keeps (its own buffer, writable). */
static void forget_password(struct json_object *req)
{
	struct json_object *v;

	if (json_object_object_get_ex(req, "password", &v) &&
	    json_object_is_type(v, json_type_string))
		sodium_memzero((char *)json_object_get_string(v),
		               (size_t)json_object_get_string_len(v));
}

static void serve_login(struct serve *v, struct json_object *req)
{
	struct clerk c;
	struct sync_session s;
	struct err e = {0}, no_curl = {0};
	enum sync_result r;
	struct json_object *o = json_object_new_object(), *co = json_object_new_object();

	memset(&c, 0, sizeof c);
	memset(&s, 0, sizeof s);
	r = sync_login(v->server, get_str(req, "clerk"), get_str(req, "password"),
	               get_str(req, "device"), &c, &s, &e);
	json_object_object_add(o, "result", json_object_new_int(r));
	json_object_object_add(o, "kind", json_object_new_int(e.kind));
	json_object_object_add(o, "error", json_object_new_string(e.msg));
	json_object_object_add(o, "available", json_object_new_boolean(sync_available(&no_curl)));
	json_object_object_add(o, "unavailable", json_object_new_string(no_curl.msg));
	json_object_object_add(co, "id", json_object_new_string(c.id));
	json_object_object_add(co, "name", json_object_new_string(c.name));
	json_object_object_add(co, "hall", json_object_new_string(c.hall));
	json_object_object_add(co, "hall_name", json_object_new_string(c.hall_name));
	json_object_object_add(co, "window", json_object_new_string(c.window));
	json_object_object_add(co, "role", json_object_new_string(c.role));
	json_object_object_add(o, "clerk", co);
	json_object_object_add(o, "token", json_object_new_string(s.token));
	json_object_object_add(o, "expires", json_object_new_int64(s.expires));
	json_object_object_add(o, "terminal", json_object_new_string(s.terminal));
	forget_password(req);
	send_msg(v->fd, msg("login", o));
}

/* Mark the file damaged in this process: every connection of it, the
 * agent's too, then writes nothing more. */
static void mark_damaged(const char *db_path)
{
	struct store *st = store_open_with(db_path, STORE_READONLY, STORE_BUSY_MS, NULL);

	if (st)
		store_mark_damaged(st);
	store_close(st);
}

static void serve_one(struct serve *v, struct json_object *m)
{
	struct json_object *x;
	struct err e = {0};

	if (json_object_object_get_ex(m, "login", &x)) {
		serve_login(v, x);
	} else if (json_object_object_get_ex(m, "damaged", &x)) {
		mark_damaged(v->db_path);
	} else if (json_object_object_get_ex(m, "run", &x)) {
		if (v->agent == NULL)
			v->agent = sync_agent_start(v->db_path, v->server, &e);
	} else if (json_object_object_get_ex(m, "poke", &x)) {
		if (v->agent)
			sync_agent_poke(v->agent);
	} else if (json_object_object_get_ex(m, "search", &x) && v->agent) {
		free(v->search);
		v->search = xstrdup(json_object_get_string(x));
		sync_agent_search(v->agent, v->search);
	}
}

/* Send what changed: the status, a search's answer. */
static void serve_news(struct serve *v)
{
	struct agent_status now;
	char *body = NULL;
	int rc;

	if (v->agent == NULL)
		return;
	sync_agent_status(v->agent, &now);
	if (!v->sent_any || memcmp(&now, &v->sent, sizeof now) != 0) {
		v->sent = now;
		v->sent_any = true;
		send_msg(v->fd, msg("status", status_to_json(&now)));
	}
	if (v->search && (rc = sync_agent_search_result(v->agent, v->search, &body)) != 0) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "query", json_object_new_string(v->search));
		json_object_object_add(o, "rc", json_object_new_int(rc));
		json_object_object_add(o, "body", json_object_new_string(body ? body : ""));
		send_msg(v->fd, msg("found", o));
		free(body);
		free(v->search);
		v->search = NULL;
	}
}

int sync_helper_serve(int fd, const char *db_path, const char *server)
{
	struct serve v = {.fd = fd, .db_path = db_path, .server = server};
	struct buf in;
	bool open = true;

	/* the TUI's terminal is not the helper's to answer: the TUI ends it (the
	 * socket closed) once its own SIGHUP or SIGTERM is handled */
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	/* on a one-core PC the clerk's keys come before a sync round */
	if (nice(5) == -1)
		errno = 0;
#ifdef __linux__
	/* the TUI killed (kill -9, a crash) takes the helper with it at once, as
	 * it took its sync thread: nothing of it is left writing to the file */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	memset(&v.sent, 0, sizeof v.sent);
	buf_init(&in);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	sync_available(NULL); /* libcurl now, while the clerk types */
	while (open) {
		struct pollfd pf = {fd, POLLIN, 0};
		struct json_object *m;

		if (poll(&pf, 1, HELPER_TICK_MS) > 0 && read_some(fd, &in) < 0)
			open = false;
		while ((m = next_msg(&in)) != NULL) {
			serve_one(&v, m);
			json_object_put(m);
		}
		serve_news(&v);
	}
	sync_agent_stop(v.agent);
	free(v.search);
	buf_free(&in);
	return 0;
}

/* ---- the TUI's side ---- */

struct sync_helper {
	int fd;    /* -1: the helper runs inside the TUI (local) */
	pid_t pid; /* 0 then */
	struct buf in;
	struct agent_status status;
	bool available;
	char unavailable[512];
	/* the last answer to a search */
	char *found_query, *found_body;
	int found_rc;
	/* inside the TUI */
	char *db_path, *server;
	struct sync_agent *local;
};

/* posix_spawn of /proc/self/exe sync-helper with the socket as fd 3 and
 * /dev/null for the terminal.  -1 when it cannot be. */
static int spawn(struct sync_helper *h, int theirs)
{
	char db_arg[4200], srv_arg[2100];
	char *argv[] = {"tongban", db_arg, srv_arg, "sync-helper", NULL};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none;
	int rc;

	snprintf(db_arg, sizeof db_arg, "--db=%s", h->db_path);
	snprintf(srv_arg, sizeof srv_arg, "--server=%s", h->server);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, theirs, HELPER_FD);
	posix_spawnattr_init(&at);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
	rc = posix_spawn(&h->pid, "/proc/self/exe", &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return rc == 0 ? 0 : -1;
}

struct sync_helper *sync_helper_start(const char *db_path, const char *server)
{
	struct sync_helper *h = xcalloc(1, sizeof *h);
	int sv[2];

	h->db_path = xstrdup(db_path);
	h->server = xstrdup(server);
	h->available = true;
	h->fd = -1;
	buf_init(&h->in);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return h;
	if (sv[1] == HELPER_FD) { /* dup2 onto itself would keep its close-on-exec */
		int moved = fcntl(sv[1], F_DUPFD_CLOEXEC, HELPER_FD + 1);

		close(sv[1]);
		sv[1] = moved;
	}
	if (sv[1] < 0 || spawn(h, sv[1]) < 0) {
		close(sv[0]);
		close(sv[1]);
		h->pid = 0;
		return h;
	}
	close(sv[1]);
	h->fd = sv[0];
	fcntl(h->fd, F_SETFL, fcntl(h->fd, F_GETFL) | O_NONBLOCK);
	return h;
}

/* The helper is gone (it died, or never came): go on inside the TUI. */
static void helper_lost(struct sync_helper *h)
{
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
	if (h->pid > 0)
		waitpid(h->pid, NULL, 0);
	h->pid = 0;
}

static void take_found(struct sync_helper *h, struct json_object *o)
{
	free(h->found_query);
	free(h->found_body);
	h->found_query = xstrdup(get_str(o, "query"));
	h->found_rc = (int)get_int(o, "rc");
	h->found_body = h->found_rc == 1 ? xstrdup(get_str(o, "body")) : NULL;
}

/* Take in what the helper sent; a login answer is handed to *login (may be
 * NULL: none is expected).  -1 when the helper is gone. */
static int drain(struct sync_helper *h, struct json_object **login)
{
	struct json_object *m, *x;
	int rc = h->fd >= 0 ? read_some(h->fd, &h->in) : -1;

	while ((m = next_msg(&h->in)) != NULL) {
		if (json_object_object_get_ex(m, "status", &x))
			status_from_json(x, &h->status);
		else if (json_object_object_get_ex(m, "found", &x))
			take_found(h, x);
		else if (login && *login == NULL && json_object_object_get_ex(m, "login", &x))
			*login = json_object_get(x);
		json_object_put(m);
	}
	return rc;
}

static void clerk_from_json(struct json_object *o, struct clerk *c)
{
	memset(c, 0, sizeof *c);
	str_copy(c->id, sizeof c->id, get_str(o, "id"));
	str_copy(c->name, sizeof c->name, get_str(o, "name"));
	str_copy(c->hall, sizeof c->hall, get_str(o, "hall"));
	str_copy(c->hall_name, sizeof c->hall_name, get_str(o, "hall_name"));
	str_copy(c->window, sizeof c->window, get_str(o, "window"));
	str_copy(c->role, sizeof c->role, get_str(o, "role"));
}

static enum sync_result login_answer(struct sync_helper *h, struct json_object *a,
                                     struct clerk *clerk, struct sync_session *s, struct err *e)
{
	struct json_object *c;
	enum sync_result r = (enum sync_result)get_int(a, "result");

	h->available = get_int(a, "available") != 0;
	str_copy(h->unavailable, sizeof h->unavailable, get_str(a, "unavailable"));
	if (r != SYNC_OK) {
		err_set_kind(e, (enum err_kind)get_int(a, "kind"), "%s", get_str(a, "error"));
		if (e && e->kind == ERR_NONE)
			e->kind = ERR_FAILED;
		return r;
	}
	if (json_object_object_get_ex(a, "clerk", &c))
		clerk_from_json(c, clerk);
	memset(s, 0, sizeof *s);
	str_copy(s->token, sizeof s->token, get_str(a, "token"));
	s->expires = get_int(a, "expires");
	str_copy(s->terminal, sizeof s->terminal, get_str(a, "terminal"));
	return SYNC_OK;
}

/* Ask the helper for a login and wait for its answer; NULL when it is gone. */
static struct json_object *ask_login(struct sync_helper *h, const char *clerk_id,
                                     const char *password, const char *device)
{
	struct json_object *req = json_object_new_object(), *answer = NULL;
	long long until = clock_ms() + HELPER_LOGIN_MS;

	json_object_object_add(req, "clerk", json_object_new_string(clerk_id));
	json_object_object_add(req, "password", json_object_new_string(password));
	json_object_object_add(req, "device", json_object_new_string(device ? device : ""));
	json_object_get(req);
	if (send_msg(h->fd, msg("login", req)) < 0) {
		forget_password(req);
		json_object_put(req);
		return NULL;
	}
	forget_password(req);
	json_object_put(req);
	while (answer == NULL && clock_ms() < until) {
		struct pollfd pf = {h->fd, POLLIN, 0};

		if (poll(&pf, 1, 1000) < 0 && errno != EINTR)
			break;
		if (drain(h, &answer) < 0 && answer == NULL)
			break;
	}
	return answer;
}

enum sync_result sync_helper_login(struct sync_helper *h, const char *clerk_id,
                                   const char *password, const char *device, struct clerk *clerk,
                                   struct sync_session *s, struct err *e)
{
	struct json_object *a;
	enum sync_result r;

	if (h->fd < 0)
		return sync_login(h->server, clerk_id, password, device, clerk, s, e);
	if ((a = ask_login(h, clerk_id, password, device)) == NULL) {
		helper_lost(h);
		return sync_login(h->server, clerk_id, password, device, clerk, s, e);
	}
	r = login_answer(h, a, clerk, s, e);
	json_object_put(a);
	return r;
}

bool sync_helper_available(struct sync_helper *h, struct err *e)
{
	if (h->fd < 0)
		return sync_available(e);
	if (!h->available)
		err_set(e, "%s", h->unavailable);
	return h->available;
}

/* Send a one-field message; the helper being gone moves its work here. */
static void tell(struct sync_helper *h, const char *key, struct json_object *value)
{
	if (send_msg(h->fd, msg(key, value)) < 0) {
		helper_lost(h);
		sync_helper_run(h);
	}
}

void sync_helper_run(struct sync_helper *h)
{
	struct err e = {0};

	if (h->fd >= 0)
		tell(h, "run", json_object_new_boolean(true));
	else if (h->local == NULL)
		h->local = sync_agent_start(h->db_path, h->server, &e);
}

void sync_helper_damaged(struct sync_helper *h)
{
	if (h->fd >= 0)
		tell(h, "damaged", json_object_new_boolean(true));
}

void sync_helper_poke(struct sync_helper *h)
{
	if (h->fd >= 0)
		tell(h, "poke", json_object_new_boolean(true));
	else if (h->local)
		sync_agent_poke(h->local);
}

void sync_helper_status(struct sync_helper *h, struct agent_status *out)
{
	if (h->fd >= 0 && drain(h, NULL) < 0) {
		helper_lost(h);
		sync_helper_run(h);
	}
	if (h->fd < 0 && h->local)
		sync_agent_status(h->local, out);
	else
		*out = h->status;
}

void sync_helper_search(struct sync_helper *h, const char *query)
{
	if (h->fd >= 0)
		tell(h, "search", json_object_new_string(query));
	else if (h->local)
		sync_agent_search(h->local, query);
}

int sync_helper_search_result(struct sync_helper *h, const char *query, char **body)
{
	*body = NULL;
	if (h->fd < 0)
		return h->local ? sync_agent_search_result(h->local, query, body) : 0;
	drain(h, NULL);
	if (h->found_query == NULL || strcmp(h->found_query, query) != 0)
		return 0;
	if (h->found_rc == 1)
		*body = xstrdup(h->found_body);
	return h->found_rc;
}

int sync_helper_pid(const struct sync_helper *h)
{
	return (int)h->pid;
}

/* Wait up to ms for the helper to leave, then make it. */
static void reap(pid_t pid, int ms)
{
	long long until = clock_ms() + ms;
	struct timespec pause = {0, 10 * 1000000L};

	while (waitpid(pid, NULL, WNOHANG) == 0) {
		if (clock_ms() >= until) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return;
		}
		nanosleep(&pause, NULL);
	}
}

void sync_helper_stop(struct sync_helper *h)
{
	if (h == NULL)
		return;
	if (h->fd >= 0)
		close(h->fd); /* the helper's cue to stop its agent and leave */
	if (h->pid > 0)
		reap(h->pid, HELPER_STOP_MS);
	sync_agent_stop(h->local);
	buf_free(&h->in);
	free(h->found_query);
	free(h->found_body);
	free(h->db_path);
	free(h->server);
	free(h);
}
