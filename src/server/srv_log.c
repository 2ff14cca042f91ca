/*
 * srv_log.c - the request log, on standard error or through syslog(3).
 */
#include "server/srv_log.h"

#include <stdarg.h>
#include <stdbool.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "core/event.h"
#include "core/util.h"
#include "server/srv_time.h"

#define LOG_PATH_MAX 200
#define LOG_LINE_MAX 1024

/* Set once by srv_log_to_syslog before the server's threads start. */
static bool to_syslog;

void srv_log_to_syslog(void)
{
	openlog("tongband", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	to_syslog = true;
}

/* line to syslog at priority, or to f as "tongband: [TIME ]line" (syslog
 * stamps its own time and name). */
static void emit(FILE *f, int priority, bool with_time, const char *line)
{
	char when[SRV_TIME_ISO_SIZE];

	if (to_syslog) {
		syslog(priority, "%s", line);
		return;
	}
	if (with_time) {
		time_iso_shanghai(time(NULL), when);
		fprintf(f, "tongband: %s %s\n", when, line);
	} else {
		fprintf(f, "tongband: %s\n", line);
	}
	fflush(f);
}

/* A request's line fmt... with its time. */
static void log_line(FILE *f, int priority, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void log_line(FILE *f, int priority, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	emit(f, priority, true, line);
}

void srv_log_say(int priority, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	emit(stderr, priority, false, line);
}

/* Copy s into out (size n) with control characters (and spaces unless
 * keep_space) replaced by '?' and bytes past n - 1 dropped. */
static void log_clean(char *out, size_t n, const char *s, bool keep_space)
{
	size_t i = 0;

	for (; *s != '\0' && i + 1 < n; s++) {
		unsigned char c = (unsigned char)*s;
		bool bad = c < 0x20 || c == 0x7F || (c == ' ' && !keep_space);

		out[i++] = bad ? '?' : (char)c;
	}
	out[i] = '\0';
}

static void log_safe(char *out, size_t n, const char *s)
{
	log_clean(out, n, s, false);
}

/* Whether the segment s[0..len) of a path is a case id (a uuid). */
static bool is_uuid_segment(const char *s, size_t len)
{
	char id[37];

	if (len != 36)
		return false;
	memcpy(id, s, 36);
	id[36] = '\0';
	return uuid_is_valid(id);
}

/* Whether c belongs to a word of a path: a letter, a digit, '%' or a byte
 * of a non-ASCII character. */
static bool is_word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '%' || c >= 0x80;
}

/* Whether the word w[0..len) could be a person's data: an ID number, a phone,
 * a birth date (4 digits or more), a name or an address (a non-ASCII
 * character, or one %-escaped). */
static bool is_personal_word(const char *w, size_t len)
{
	size_t i, digits = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)w[i];

		if (c >= 0x80 || c == '%')
			return true;
		digits += c >= '0' && c <= '9';
	}
	return digits >= 4;
}

/* Add the segment s[0..len) of a path to b with every personal word as '*'. */
static void mask_segment(struct buf *b, const char *s, size_t len)
{
	size_t i = 0, j;

	if (is_uuid_segment(s, len)) {
		buf_add(b, s, len);
		return;
	}
	while (i < len) {
		for (j = i; j < len && is_word_byte((unsigned char)s[j]); j++)
			;
		if (j == i) {
			buf_add(b, &s[i++], 1);
			continue;
		}
		if (is_personal_word(s + i, j - i))
			buf_add(b, "*", 1);
		else
			buf_add(b, s + i, j - i);
		i = j;
	}
}

/* The path as the log shows it into out (size n): a case id kept, whatever
 * could be a person's data masked (a path is no place for it, but a client
 * may put it there), control characters and spaces as '?', cut to n - 1. */
static void log_path(char *out, size_t n, const char *path)
{
	struct buf b;
	const char *seg = path, *slash;

	buf_init(&b);
	for (;;) {
		slash = strchr(seg, '/');
		mask_segment(&b, seg, slash ? (size_t)(slash - seg) : strlen(seg));
		if (slash == NULL)
			break;
		buf_add(&b, "/", 1);
		seg = slash + 1;
	}
	log_safe(out, n, b.data ? b.data : "");
	buf_free(&b);
}

void srv_log_request(FILE *f, const char *method, const char *path, int status, long long ms,
                     const char *user)
{
	char m[16], p[LOG_PATH_MAX + 1], u[80];

	log_safe(m, sizeof m, method ? method : "-");
	log_path(p, sizeof p, path ? path : "-");
	log_safe(u, sizeof u, user && *user ? user : "-");
	log_line(f, LOG_INFO, "%s %s %d %lldms %s", m, p, status, ms, u);
}

void srv_log_audit(FILE *f, const char *method, const char *path, const char *user,
                   const char *what)
{
	char m[16], p[LOG_PATH_MAX + 1], u[80], w[400];

	log_safe(m, sizeof m, method ? method : "-");
	log_path(p, sizeof p, path ? path : "-");
	log_safe(u, sizeof u, user && *user ? user : "-");
	log_clean(w, sizeof w, what ? what : "-", true);
	log_line(f, LOG_NOTICE, "AUDIT %s %s %s %s", u, m, p, w);
}

void srv_log_cut(FILE *f, const char *addr, const char *what, long long ms)
{
	char a[64], w[200];

	log_safe(a, sizeof a, addr ? addr : "-");
	log_clean(w, sizeof w, what ? what : "-", true);
	log_line(f, LOG_WARNING, "CUT %s %s after %lldms", a, w, ms);
}
