/*
 * srv_log.c - the request log.
 */
#include "server/srv_log.h"

#include <stdbool.h>
#include <time.h>

#include "core/event.h"
#include "server/srv_time.h"

#define LOG_PATH_MAX 200

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

void srv_log_request(FILE *f, const char *method, const char *path, int status, long long ms,
                     const char *user)
{
	char when[SRV_TIME_ISO_SIZE];
	char m[16], p[LOG_PATH_MAX + 1], u[80];

	time_iso_shanghai(time(NULL), when);
	log_safe(m, sizeof m, method ? method : "-");
	log_safe(p, sizeof p, path ? path : "-");
	log_safe(u, sizeof u, user && *user ? user : "-");
	fprintf(f, "tongband: %s %s %s %d %lldms %s\n", when, m, p, status, ms, u);
	fflush(f);
}

void srv_log_audit(FILE *f, const char *method, const char *path, const char *user,
                   const char *what)
{
	char when[SRV_TIME_ISO_SIZE];
	char m[16], p[LOG_PATH_MAX + 1], u[80], w[400];

	time_iso_shanghai(time(NULL), when);
	log_safe(m, sizeof m, method ? method : "-");
	log_safe(p, sizeof p, path ? path : "-");
	log_safe(u, sizeof u, user && *user ? user : "-");
	log_clean(w, sizeof w, what ? what : "-", true);
	fprintf(f, "tongband: %s AUDIT %s %s %s %s\n", when, u, m, p, w);
	fflush(f);
}

void srv_log_cut(FILE *f, const char *addr, const char *what, long long ms)
{
	char when[SRV_TIME_ISO_SIZE];
	char a[64], w[200];

	time_iso_shanghai(time(NULL), when);
	log_safe(a, sizeof a, addr ? addr : "-");
	log_clean(w, sizeof w, what ? what : "-", true);
	fprintf(f, "tongband: %s CUT %s %s after %lldms\n", when, a, w, ms);
	fflush(f);
}
