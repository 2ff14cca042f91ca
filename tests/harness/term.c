/*
 * term.c - a program in a pty, its screen kept by libvterm.
 */
#include "term.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vterm.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

extern char **environ;

#define TERM_SEND_TIMEOUT_MS 10000
#define TERM_CLOSE_GRACE_MS  1000
#define TERM_REAP_SLICE_MS   10
#define TERM_DRAIN_MAX       (1 << 20) /* per pump, so a flood cannot stall a wait */

struct term {
	pid_t pid;
	int fd;      /* pty master, nonblocking; -1 once closed */
	int running; /* child not yet reaped */
	int status;  /* its wait status once reaped */
	int eof;     /* the pty said EOF/EIO */
	int rows, cols;
	VTerm *vt;
	VTermScreen *screen;
	struct buf reply;              /* bytes libvterm wants to send to the child */
	unsigned long changes;         /* bumped on every byte of output */
	unsigned long long bytes_read; /* of the child's output, since the start */
	struct term *next_live;
};

/* Live terms, killed at exit by the process that spawned them. */
static struct term *live_terms;
static pid_t live_owner;
static int atexit_done;

static void term_kill_all(void)
{
	struct term *t;

	if (getpid() != live_owner)
		return;
	for (t = live_terms; t != NULL; t = t->next_live) {
		if (t->running) {
			kill(-t->pid, SIGKILL);
			kill(t->pid, SIGKILL);
			waitpid(t->pid, NULL, 0);
			t->running = 0;
		}
	}
}

static void term_register(struct term *t)
{
	if (live_owner != getpid()) {
		live_terms = NULL; /* inherited through fork: not ours */
		live_owner = getpid();
	}
	if (!atexit_done) {
		atexit(term_kill_all);
		atexit_done = 1;
	}
	t->next_live = live_terms;
	live_terms = t;
}

static void term_unregister(struct term *t)
{
	struct term **p;

	for (p = &live_terms; *p != NULL; p = &(*p)->next_live) {
		if (*p == t) {
			*p = t->next_live;
			return;
		}
	}
}

static void term_output_cb(const char *s, size_t len, void *user)
{
	struct term *t = user;

	buf_add(&t->reply, s, len);
}

/* Whether the inherited variable is one term_spawn sets or removes. */
static int is_replaced(const char *kv)
{
	static const char *const names[] = {"TERM=", "LINES=", "COLUMNS=", "LANG=", "LC_ALL="};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strncmp(kv, names[i], strlen(names[i])) == 0)
			return 1;
	}
	return 0;
}

/* Build the child's environment in the parent, so the child only execs. */
static char **term_env(char *const extra[])
{
	size_t n = 0, i, m = 0, k;
	char **env;

	for (i = 0; environ[i] != NULL; i++)
		n++;
	for (i = 0; extra != NULL && extra[i] != NULL; i++)
		n++;
	env = xcalloc(n + 4, sizeof *env);
	env[m++] = "TERM=xterm-256color";
	env[m++] = "LANG=C.UTF-8";
	env[m++] = "LC_ALL=C.UTF-8";
	for (i = 0; environ[i] != NULL; i++) {
		if (is_replaced(environ[i]))
			continue;
		env[m++] = environ[i];
	}
	for (i = 0; extra != NULL && extra[i] != NULL; i++) {
		const char *eq = strchr(extra[i], '=');
		size_t klen = eq ? (size_t)(eq - extra[i]) + 1 : strlen(extra[i]);

		for (k = 0; k < m; k++) {
			if (strncmp(env[k], extra[i], klen) == 0) {
				env[k] = extra[i];
				break;
			}
		}
		if (k == m)
			env[m++] = extra[i];
	}
	env[m] = NULL;
	return env;
}

static void term_child(char *const argv[], char **env)
{
	static const char msg[] = "term_spawn: exec failed\r\n";
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	environ = env;
	execvp(argv[0], argv);
	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0)
		_exit(127);
	_exit(127);
}

struct term *term_spawn(char *const argv[], char *const envp_extra[], int rows, int cols,
                        struct err *e)
{
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	struct term *t;
	char **env;
	int fd;
	pid_t pid;

	if (argv == NULL || argv[0] == NULL || rows < 1 || cols < 1) {
		err_set(e, "term_spawn: bad arguments");
		return NULL;
	}
	env = term_env(envp_extra);
	pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0) {
		err_set(e, "term_spawn: forkpty: %s", strerror(errno));
		free(env);
		return NULL;
	}
	if (pid == 0)
		term_child(argv, env);
	free(env);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	fcntl(fd, F_SETFD, FD_CLOEXEC);

	t = xcalloc(1, sizeof *t);
	t->pid = pid;
	t->fd = fd;
	t->running = 1;
	t->rows = rows;
	t->cols = cols;
	buf_init(&t->reply);
	t->vt = vterm_new(rows, cols);
	vterm_set_utf8(t->vt, 1);
	vterm_output_set_callback(t->vt, term_output_cb, t);
	t->screen = vterm_obtain_screen(t->vt);
	vterm_screen_enable_altscreen(t->screen, 1);
	vterm_screen_reset(t->screen, 1);
	term_register(t);
	return t;
}

/* Reap the child if it has exited.  Returns whether it is still running. */
static int term_reap(struct term *t)
{
	int st;

	if (t->running && waitpid(t->pid, &st, WNOHANG) == t->pid) {
		t->running = 0;
		t->status = st;
	}
	return t->running;
}

/* Write pending terminal replies; drop them once the pty is gone. */
static void term_flush_reply(struct term *t)
{
	while (t->reply.len > 0 && t->fd >= 0) {
		ssize_t n = write(t->fd, t->reply.data, t->reply.len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			t->reply.len = 0;
			return;
		}
		memmove(t->reply.data, t->reply.data + n, t->reply.len - (size_t)n);
		t->reply.len -= (size_t)n;
	}
}

/* Read everything available now.  Returns bytes read, or -1 at EOF. */
static int term_drain(struct term *t)
{
	char chunk[4096];
	int total = 0;

	while (total < TERM_DRAIN_MAX) {
		ssize_t n = read(t->fd, chunk, sizeof chunk);

		if (n > 0) {
			vterm_input_write(t->vt, chunk, (size_t)n);
			vterm_screen_flush_damage(t->screen);
			t->changes++;
			t->bytes_read += (unsigned long long)n;
			total += (int)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		t->eof = 1; /* 0 or EIO: no writer left on the slave side */
		break;
	}
	term_flush_reply(t);
	return t->eof && total == 0 ? -1 : total;
}

int term_pump(struct term *t, int timeout_ms)
{
	struct pollfd p;
	int n;

	if (t->eof) {
		term_reap(t);
		return -1;
	}
	p.fd = t->fd;
	p.events = POLLIN | (t->reply.len > 0 ? POLLOUT : 0);
	p.revents = 0;
	n = poll(&p, 1, timeout_ms < 0 ? 0 : timeout_ms);
	if (n < 0 && errno != EINTR)
		return -1;
	n = term_drain(t);
	if (n == 0 && !term_reap(t)) {
		/* Exited, but a grandchild may hold the pty open: drain what is
		 * there and report the end. */
		n = term_drain(t);
		return n > 0 ? n : -1;
	}
	if (t->eof)
		term_reap(t);
	return n;
}

/* Append the UTF-8 encoding of c to b. */
static void utf8_put(struct buf *b, uint32_t c)
{
	char s[4];
	size_t n;

	if (c < 0x80) {
		s[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		s[0] = (char)(0xc0 | (c >> 6));
		s[1] = (char)(0x80 | (c & 0x3f));
		n = 2;
	} else if (c < 0x10000) {
		s[0] = (char)(0xe0 | (c >> 12));
		s[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[2] = (char)(0x80 | (c & 0x3f));
		n = 3;
	} else if (c < 0x110000) {
		s[0] = (char)(0xf0 | (c >> 18));
		s[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		s[3] = (char)(0x80 | (c & 0x3f));
		n = 4;
	} else {
		s[0] = '?';
		n = 1;
	}
	buf_add(b, s, n);
}

/*
 * Row as UTF-8 (not trimmed).  When colmap is given, (*colmap)[i] is the cell
 * where the character holding byte i starts.  Caller frees both.
 */
static char *term_row_text(struct term *t, int row, int **colmap)
{
	struct buf b;
	int *map = NULL;
	size_t cap = 0;
	int col;

	buf_init(&b);
	buf_adds(&b, "");
	for (col = 0; row >= 0 && row < t->rows && col < t->cols; col++) {
		VTermScreenCell cell;
		VTermPos pos = {.row = row, .col = col};
		size_t before = b.len, i;

		vterm_screen_get_cell(t->screen, pos, &cell);
		if (cell.chars[0] == 0) {
			buf_add(&b, " ", 1);
		} else {
			for (i = 0; i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i] != 0; i++)
				utf8_put(&b, cell.chars[i]);
		}
		if (colmap != NULL) {
			if (b.len > cap) {
				cap = b.len * 2;
				map = xrealloc(map, cap * sizeof *map);
			}
			for (i = before; i < b.len; i++)
				map[i] = col;
		}
		if (cell.width == 2)
			col++; /* the second half of a wide character */
	}
	if (colmap != NULL)
		*colmap = map;
	return buf_take(&b);
}

char *term_line(struct term *t, int row)
{
	char *s = term_row_text(t, row, NULL);
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

char *term_screen(struct term *t)
{
	struct buf b;
	int row;

	buf_init(&b);
	buf_adds(&b, "");
	for (row = 0; row < t->rows; row++) {
		char *line = term_line(t, row);

		buf_adds(&b, line);
		if (row + 1 < t->rows)
			buf_adds(&b, "\n");
		free(line);
	}
	return buf_take(&b);
}

int term_find(struct term *t, const char *utf8, int *row, int *col)
{
	int r;

	for (r = 0; r < t->rows; r++) {
		int *map = NULL;
		char *s = term_row_text(t, r, &map);
		char *hit = strstr(s, utf8);

		if (hit != NULL) {
			if (row != NULL)
				*row = r;
			if (col != NULL)
				*col = map != NULL && *s != '\0' ? map[hit - s] : 0;
		}
		free(map);
		free(s);
		if (hit != NULL)
			return 1;
	}
	return 0;
}

static int ms_left(long long deadline)
{
	long long left = deadline - clock_ms();

	return left < 0 ? 0 : (int)left;
}

/* Pump until found(t, arg) or the deadline.  found is checked once more
 * after the child ends, since its last output may be what we wait for. */
static int term_wait(struct term *t, int (*found)(struct term *, const char *), const char *arg,
                     int timeout_ms)
{
	long long deadline = clock_ms() + timeout_ms;

	for (;;) {
		if (found(t, arg))
			return 0;
		if (ms_left(deadline) == 0)
			return -1;
		if (term_pump(t, ms_left(deadline)) < 0)
			return found(t, arg) ? 0 : -1;
	}
}

static int text_present(struct term *t, const char *s)
{
	return term_find(t, s, NULL, NULL);
}

static int text_absent(struct term *t, const char *s)
{
	return !term_find(t, s, NULL, NULL);
}

int term_wait_text(struct term *t, const char *utf8, int timeout_ms)
{
	return term_wait(t, text_present, utf8, timeout_ms);
}

int term_wait_gone(struct term *t, const char *utf8, int timeout_ms)
{
	return term_wait(t, text_absent, utf8, timeout_ms);
}

int term_wait_quiet(struct term *t, int quiet_ms, int timeout_ms)
{
	long long deadline = clock_ms() + timeout_ms;
	long long quiet_since = clock_ms();

	for (;;) {
		unsigned long before = t->changes;
		int slice = quiet_ms - (int)(clock_ms() - quiet_since);

		if (slice <= 0)
			return 0;
		if (ms_left(deadline) == 0)
			return -1;
		if (slice > ms_left(deadline))
			slice = ms_left(deadline);
		if (term_pump(t, slice) < 0)
			return 0; /* nothing more can change */
		if (t->changes != before)
			quiet_since = clock_ms();
	}
}

void term_cursor(struct term *t, int *row, int *col)
{
	VTermPos pos;

	vterm_state_get_cursorpos(vterm_obtain_state(t->vt), &pos);
	if (row != NULL)
		*row = pos.row;
	if (col != NULL)
		*col = pos.col;
}

void term_size(struct term *t, int *rows, int *cols)
{
	if (rows != NULL)
		*rows = t->rows;
	if (cols != NULL)
		*cols = t->cols;
}

int term_send_bytes(struct term *t, const void *bytes, size_t len)
{
	const char *p = bytes;
	long long deadline = clock_ms() + TERM_SEND_TIMEOUT_MS;

	while (len > 0) {
		struct pollfd pfd = {.fd = t->fd, .events = POLLIN | POLLOUT};
		ssize_t n;

		if (t->eof)
			return -1;
		n = write(t->fd, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN)
			return -1;
		/* Full: the child may be blocked echoing to us, so read too. */
		if (ms_left(deadline) == 0)
			return -1;
		if (poll(&pfd, 1, ms_left(deadline)) < 0 && errno != EINTR)
			return -1;
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR))
			term_drain(t);
	}
	return 0;
}

int term_send(struct term *t, const char *utf8)
{
	return term_send_bytes(t, utf8, strlen(utf8));
}

unsigned long long term_bytes_read(const struct term *t)
{
	return t->bytes_read;
}

int term_resize(struct term *t, int rows, int cols)
{
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};

	if (rows < 1 || cols < 1 || ioctl(t->fd, TIOCSWINSZ, &ws) < 0)
		return -1;
	vterm_set_size(t->vt, rows, cols);
	vterm_screen_flush_damage(t->screen);
	t->rows = rows;
	t->cols = cols;
	t->changes++;
	return 0;
}

int term_wait_exit(struct term *t, int timeout_ms, int *status)
{
	long long deadline = clock_ms() + timeout_ms;

	for (;;) {
		if (!term_reap(t)) {
			term_drain(t);
			if (status != NULL)
				*status = t->status;
			return 0;
		}
		if (ms_left(deadline) == 0)
			return -1;
		/* Short slices: an exited child whose pty is held open by a
		 * grandchild gives poll no event to wake on. */
		term_pump(t, ms_left(deadline) < 50 ? ms_left(deadline) : 50);
	}
}

int term_is_running(struct term *t)
{
	return term_reap(t);
}

int term_pid(const struct term *t)
{
	return (int)t->pid;
}

void term_close(struct term *t)
{
	long long deadline;

	if (t == NULL)
		return;
	if (term_reap(t)) {
		kill(-t->pid, SIGTERM);
		kill(t->pid, SIGTERM);
		deadline = clock_ms() + TERM_CLOSE_GRACE_MS;
		while (term_reap(t) && ms_left(deadline) > 0)
			term_pump(t, TERM_REAP_SLICE_MS);
	}
	if (term_reap(t)) {
		kill(-t->pid, SIGKILL);
		kill(t->pid, SIGKILL);
		waitpid(t->pid, &t->status, 0);
		t->running = 0;
	}
	term_unregister(t);
	close(t->fd);
	vterm_free(t->vt);
	buf_free(&t->reply);
	free(t);
}
