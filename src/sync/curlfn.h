/*
 * curlfn.h - libcurl, loaded the first time sync talks to the server.
 *
 * tongban does not link libcurl: its TLS, Kerberos, LDAP and SSH libraries
 * would be mapped and relocated before the login screen (about 8 MiB of the
 * first screen's memory and most of its start-up time), and a machine
 * without libcurl could not start at all.  curlfn_get() dlopen()s
 * "libcurl.so.4" (the soname every libcurl since 7.16 has, on glibc and
 * musl alike) once, on the first online login or sync, and hands out a
 * table of its functions; in the TUI that is in its sync helper process
 * (sync/helper.h).  When it cannot be loaded (not installed, a
 * static build without dlopen) sync answers SYNC_OFFLINE with a message
 * that says so: the clerk logs in offline and works on, as with the
 * network down.  A process that linked libcurl anyway (the tests) gets the
 * copy it already has.  $TONGBAN_LIBCURL names another file to load instead
 * (the tests' machine without libcurl: a path that does not exist).
 */
#ifndef TB_SYNC_CURLFN_H
#define TB_SYNC_CURLFN_H

#include <curl/curl.h>
#include <time.h>

#include "core/util.h"

struct curl_fns {
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *c, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *c);
	CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *c);
	const char *(*easy_strerror)(CURLcode rc);
	char *(*easy_escape)(CURL *c, const char *s, int len);
	void (*free)(void *p);
	time_t (*getdate)(const char *s, const time_t *unused);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
	CURLU *(*url)(void);
	void (*url_cleanup)(CURLU *u);
	CURLUcode (*url_set)(CURLU *u, CURLUPart part, const char *s, unsigned int flags);
	CURLUcode (*url_get)(CURLU *u, CURLUPart part, char **s, unsigned int flags);
};

/*
 * libcurl's functions, loaded and initialised (curl_global_init) on the
 * first call, from any thread.  NULL when libcurl cannot be loaded, with e
 * saying so in the clerk's language (every later call says the same).
 */
const struct curl_fns *curlfn_get(struct err *e);

#endif
