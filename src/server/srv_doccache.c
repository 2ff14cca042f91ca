#include "server/srv_doccache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

/* The kinds kept: the catalogue (the calendar is small and read each time,
 * but may come through here as well). */
#define DOCCACHE_SLOTS 2

struct srv_doccache {
	pthread_mutex_t lock;
	struct {
		char kind[16];
		struct srv_doc *doc;
	} slot[DOCCACHE_SLOTS];
};

struct srv_doccache *srv_doccache_new(void)
{
	struct srv_doccache *c = xcalloc(1, sizeof *c);

	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void srv_doccache_free(struct srv_doccache *c)
{
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < DOCCACHE_SLOTS; i++)
		srv_doc_release(c->slot[i].doc);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void srv_doc_release(struct srv_doc *d)
{
	if (d == NULL || atomic_fetch_sub(&d->refs, 1) != 1)
		return;
	free(d->version);
	free(d->plain);
	free(d->gzip);
	free(d);
}

int srv_gzip(const char *data, size_t len, char **out, size_t *out_len, struct err *e)
{
	z_stream z;
	size_t cap = len / 4 + 1024, left = len;
	char *buf;
	int rc = Z_OK;

	memset(&z, 0, sizeof z);
	/* windowBits 15 + 16: a gzip header and trailer, which every HTTP client reads */
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		err_set(e, "zlib: deflateInit2 failed");
		return -1;
	}
	buf = xmalloc(cap);
	z.next_in = (Bytef *)(uintptr_t)data;
	while (rc == Z_OK || rc == Z_BUF_ERROR) {
		if (z.total_out == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		if (z.avail_in == 0 && left > 0) {
			z.avail_in = left > (1u << 30) ? (1u << 30) : (uInt)left;
			left -= z.avail_in;
		}
		z.next_out = (Bytef *)buf + z.total_out;
		z.avail_out =
		    (uInt)(cap - z.total_out > (1u << 30) ? (1u << 30) : cap - z.total_out);
		rc = deflate(&z, left == 0 ? Z_FINISH : Z_NO_FLUSH);
	}
	*out_len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		err_set(e, "zlib: deflate failed (%d)", rc);
		free(buf);
		return -1;
	}
	*out = xrealloc(buf, *out_len ? *out_len : 1);
	return 0;
}

/* Read kind from s as a new copy with one reference per holder (refs).
 * 1, 0 (none stored) or -1. */
static int doc_load(struct srv_store *s, const char *kind, int refs, struct srv_doc **out,
                    struct err *e)
{
	struct srv_doc *d = xcalloc(1, sizeof *d);
	struct err ze = {0};
	int rc = srv_store_document_get(s, kind, &d->version, &d->plain, e);

	if (rc != 1) {
		free(d);
		return rc;
	}
	d->plain_len = strlen(d->plain);
	/* without a gzip copy the plain one is served: slower, never wrong */
	if (srv_gzip(d->plain, d->plain_len, &d->gzip, &d->gzip_len, &ze) < 0)
		d->gzip = NULL;
	atomic_init(&d->refs, refs);
	*out = d;
	return 1;
}

/* The slot of kind, or a free one, or the first. */
static int slot_of(const struct srv_doccache *c, const char *kind)
{
	int i;

	for (i = 0; i < DOCCACHE_SLOTS; i++)
		if (strcmp(c->slot[i].kind, kind) == 0)
			return i;
	for (i = 0; i < DOCCACHE_SLOTS; i++)
		if (c->slot[i].kind[0] == '\0')
			return i;
	return 0;
}

int srv_doccache_get(struct srv_doccache *c, struct srv_store *s, const char *kind,
                     const char *version, struct srv_doc **out, struct err *e)
{
	struct srv_doc *d;
	int i, rc;

	*out = NULL;
	if (c == NULL)
		return doc_load(s, kind, 1, out, e);
	/* held while a new version is read: the other requests want the same one */
	pthread_mutex_lock(&c->lock);
	i = slot_of(c, kind);
	d = strcmp(c->slot[i].kind, kind) == 0 ? c->slot[i].doc : NULL;
	if (d != NULL && strcmp(d->version, version) == 0) {
		atomic_fetch_add(&d->refs, 1);
		*out = d;
		rc = 1;
	} else if ((rc = doc_load(s, kind, 2, out, e)) == 1) {
		srv_doc_release(c->slot[i].doc);
		str_copy(c->slot[i].kind, sizeof c->slot[i].kind, kind);
		c->slot[i].doc = *out;
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

/* Whether the q parameter of one Accept-Encoding entry (after its name)
 * lets it be used: absent, or a number above 0. */
static bool q_allows(const char *params, size_t n)
{
	const char *q = NULL;
	size_t i;

	for (i = 0; i + 1 < n; i++)
		if ((params[i] == 'q' || params[i] == 'Q') && params[i + 1] == '=' &&
		    (i == 0 || params[i - 1] == ';' || params[i - 1] == ' '))
			q = params + i + 2;
	return q == NULL || strtod(q, NULL) > 0.0;
}

bool srv_accepts_gzip(const char *accept_encoding)
{
	const char *p = accept_encoding;
	int gzip = -1, star = -1; /* -1 not listed, else whether allowed */

	while (p != NULL && *p != '\0') {
		size_t len = strcspn(p, ","), name;

		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		name = strcspn(p, ";, \t");
		if (name > len)
			name = len;
		if ((name == 4 && strncasecmp(p, "gzip", 4) == 0) ||
		    (name == 6 && strncasecmp(p, "x-gzip", 6) == 0))
			gzip = q_allows(p + name, len - name);
		else if (name == 1 && *p == '*')
			star = q_allows(p + name, len - name);
		p += len;
		if (*p == ',')
			p++;
	}
	return gzip >= 0 ? gzip == 1 : star == 1;
}
