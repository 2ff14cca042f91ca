/*
 * srv_doccache.h - the catalogue as GET /v1/catalogue serves it, kept in
 * memory once per tongband process and version.
 *
 * A province's catalogue may be up to CATALOGUE_MAX_FILE (100,000 items are
 * about 150 MB).  Reading it from the database and copying it for every
 * request would cost that much per client downloading at the same time;
 * instead the first request for a version reads it once and makes its gzip
 * copy once, and every response after that sends from the same bytes.
 *
 * A copy is reference-counted: the cache holds one reference and each
 * response being sent another.  When a newer version has been imported the
 * next request reads it and the cache lets go of the old copy, which is
 * freed when the last response sending it is done.  One mutex guards the
 * cache (tongband answers on several threads); a copy's bytes never change
 * once made, so responses read them without it.
 */
#ifndef TB_SERVER_SRV_DOCCACHE_H
#define TB_SERVER_SRV_DOCCACHE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"
#include "server/srv_store.h"

/* One version of a document as served.  Read-only once made. */
struct srv_doc {
	char *version;
	char *plain; /* the text as imported */
	size_t plain_len;
	char *gzip; /* the same, gzip (RFC 1952); NULL when it could not be made */
	size_t gzip_len;
	atomic_int refs; /* private: srv_doc_release */
};

struct srv_doccache;

/* An empty cache.  Free with srv_doccache_free. */
struct srv_doccache *srv_doccache_new(void);

/* Drop the cache's references (responses still sending keep theirs).  c may
 * be NULL. */
void srv_doccache_free(struct srv_doccache *c);

/*
 * The document kind at version (as srv_store_document_version just read
 * it): the cached copy when it is that version, else read from s now, gzip
 * made, and kept in place of the older one.  Concurrent requests for a new
 * version wait for one read rather than each reading it.  Returns 1 with
 * *out (a reference: give it back with srv_doc_release), 0 when nothing is
 * stored, -1 with e filled.  c may be NULL: a copy for this caller alone.
 */
int srv_doccache_get(struct srv_doccache *c, struct srv_store *s, const char *kind,
                     const char *version, struct srv_doc **out, struct err *e);

/* Give back a reference of srv_doccache_get; the last one frees d.  Any
 * thread.  d may be NULL. */
void srv_doc_release(struct srv_doc *d);

/* data[0..len) compressed as gzip (zlib, level 6) into *out (caller frees)
 * and *out_len.  0, or -1 with e filled. */
int srv_gzip(const char *data, size_t len, char **out, size_t *out_len, struct err *e);

/* Whether an Accept-Encoding header (NULL: none) allows a gzip answer:
 * gzip, x-gzip or * listed without q=0. */
bool srv_accepts_gzip(const char *accept_encoding);

#endif
