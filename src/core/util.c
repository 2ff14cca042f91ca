#include "core/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#ifdef __linux__
#include <sys/syscall.h>
#include <unistd.h>
#endif

static void err_vset(struct err *e, enum err_kind kind, const char *fmt, va_list ap)
    TB_PRINTF(3, 0);

static void err_vset(struct err *e, enum err_kind kind, const char *fmt, va_list ap)
{
	if (e == NULL)
		return;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	e->kind = kind;
}

void err_set(struct err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, ERR_FAILED, fmt, ap);
	va_end(ap);
}

void err_set_kind(struct err *e, enum err_kind kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, kind, fmt, ap);
	va_end(ap);
}

void err_prefix(struct err *e, const char *fmt, ...)
{
	char prefix[sizeof e->msg], old[sizeof e->msg];
	va_list ap;

	if (e == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	str_copy(old, sizeof old, e->msg);
	str_copy(e->msg, sizeof e->msg, prefix);
	str_copy(e->msg + strlen(e->msg), sizeof e->msg - strlen(e->msg), old);
	if (e->kind == ERR_NONE)
		e->kind = ERR_FAILED;
}

void err_clear(struct err *e)
{
	if (e == NULL)
		return;
	e->msg[0] = '\0';
	e->kind = ERR_NONE;
}

static void oom(size_t n)
{
	fprintf(stderr, "tongban: out of memory (%zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		oom(0);
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void buf_add(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->data = xrealloc(b->data, cap);
		b->cap = cap;
	}
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	buf_adds(b, s);
	free(s);
}

char *buf_take(struct buf *b)
{
	char *p = b->data ? b->data : xstrdup("");

	buf_init(b);
	return p;
}

size_t str_copy(char *dst, size_t n, const char *src)
{
	size_t len;

	if (n == 0)
		return 0;
	len = strlen(src);
	if (len >= n) {
		len = n - 1;
		/* back off over UTF-8 continuation bytes so no character is split */
		while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, src, len);
	dst[len] = '\0';
	return len;
}

char *file_read_all(const char *path, size_t *len, size_t max, struct err *e)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[8192];
	size_t n;

	if (f == NULL) {
		err_set(e, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + n > max) {
			err_set(e, "%s: file larger than %zu bytes", path, max);
			fclose(f);
			buf_free(&b);
			return NULL;
		}
		buf_add(&b, chunk, n);
	}
	if (ferror(f)) {
		err_set(e, "%s: read error", path);
		fclose(f);
		buf_free(&b);
		return NULL;
	}
	fclose(f);
	if (len)
		*len = b.len;
	return buf_take(&b);
}

int mkdir_p(const char *dir, struct err *e)
{
	char *p = xstrdup(dir);
	char *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			err_set(e, "%s: %s", p, strerror(errno));
			free(p);
			return -1;
		}
		*s = '/';
	}
	if (mkdir(p, 0700) != 0 && errno != EEXIST) {
		err_set(e, "%s: %s", p, strerror(errno));
		free(p);
		return -1;
	}
	free(p);
	return 0;
}

long long clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void thread_background(void)
{
#ifdef __linux__
	/* best effort: a thread that cannot be lowered just runs as it is */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 5);
#endif
}
