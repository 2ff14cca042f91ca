/*
 * util.h - allocation, strings and error values shared by every layer.
 *
 * Allocation failure is the one error that aborts (through the x* family);
 * everything else is returned as a value, with a message in a struct err that
 * the caller may show to a clerk.
 */
#ifndef TB_CORE_UTIL_H
#define TB_CORE_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define TB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TB_PRINTF(a, b)
#endif

/* What kind of failure an error is, for callers that act on it (retry when
 * busy, stop writing when damaged); the message says the rest. */
enum err_kind {
	ERR_NONE = 0,
	ERR_FAILED,   /* anything not listed below */
	ERR_BUSY,     /* another program holds the database; try again soon */
	ERR_FULL,     /* the disk (or the database's size limit) is full */
	ERR_READONLY, /* the file or the medium cannot be written */
	ERR_CORRUPT,  /* the database file is damaged */
	ERR_IO,       /* the disk failed to read or write */
	ERR_STALE,    /* the data changed since it was read (a decision made twice) */
};

/* A human-readable error, filled by a failing function. */
struct err {
	char msg[512];
	enum err_kind kind;
};

/* Set e->msg from a printf format, kind ERR_FAILED.  e may be NULL (the
 * message is dropped). */
void err_set(struct err *e, const char *fmt, ...) TB_PRINTF(2, 3);

/* The same with a kind. */
void err_set_kind(struct err *e, enum err_kind kind, const char *fmt, ...) TB_PRINTF(3, 4);

/* Put a printf-made prefix before e->msg, keeping its kind ("PATH: " + msg). */
void err_prefix(struct err *e, const char *fmt, ...) TB_PRINTF(2, 3);

/* Forget a previous error: empty message, ERR_NONE. */
void err_clear(struct err *e);

/* Allocate or abort with a message on stderr.  Caller frees. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) TB_PRINTF(1, 2);
char *xvasprintf(const char *fmt, va_list ap) TB_PRINTF(1, 0);

/* A growable NUL-terminated byte buffer. */
struct buf {
	char *data; /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) TB_PRINTF(2, 3);
/* Take the contents (never NULL) and reset b.  Caller frees. */
char *buf_take(struct buf *b);

/* Copy src into dst of size n, always NUL-terminated, never splitting a UTF-8
 * character.  Returns the number of bytes copied. */
size_t str_copy(char *dst, size_t n, const char *src);

/* Read a whole file.  Returns NULL and fills e on failure.  Caller frees. */
char *file_read_all(const char *path, size_t *len, size_t max, struct err *e);

/* Make dir and its parents (mode 0700).  Returns 0 or -1 with e filled. */
int mkdir_p(const char *dir, struct err *e);

/* Milliseconds of a monotonic clock. */
long long clock_ms(void);

/* Lower the calling thread's priority (nice 5 on Linux, where a thread has
 * its own; elsewhere nothing): background work (the page check, the data
 * loader) gives way to the clerk's keys on a one-core PC. */
void thread_background(void);

#endif
