#include "sync/curlfn.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/i18n.h"

static struct curl_fns fns;
static const struct curl_fns *loaded;
static char why[256];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* One symbol into *slot (a function pointer: POSIX lets dlsym's void * be
 * one).  false when it is missing. */
static bool sym(void *lib, const char *name, void *slot)
{
	void *p = dlsym(lib, name);

	*(void **)slot = p;
	return p != NULL;
}

static void load(void)
{
	static const char *const names[] = {"libcurl.so.4", "libcurl.so"};
	const char *forced = getenv("TONGBAN_LIBCURL");
	CURLcode (*global_init)(long flags) = NULL;
	void *lib = NULL;
	size_t i;

	if (forced && *forced) /* the tests: a machine without libcurl */
		lib = dlopen(forced, RTLD_NOW | RTLD_LOCAL);
	for (i = 0; !(forced && *forced) && lib == NULL && i < sizeof names / sizeof names[0]; i++)
		lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL) {
		snprintf(why, sizeof why, "%s",
		         _("libcurl (libcurl.so.4, Debian package libcurl4) is not installed: no "
		           "server, working offline"));
		return;
	}
	if (!sym(lib, "curl_global_init", &global_init) ||
	    !sym(lib, "curl_easy_init", &fns.easy_init) ||
	    !sym(lib, "curl_easy_setopt", &fns.easy_setopt) ||
	    !sym(lib, "curl_easy_perform", &fns.easy_perform) ||
	    !sym(lib, "curl_easy_getinfo", &fns.easy_getinfo) ||
	    !sym(lib, "curl_easy_cleanup", &fns.easy_cleanup) ||
	    !sym(lib, "curl_easy_strerror", &fns.easy_strerror) ||
	    !sym(lib, "curl_easy_escape", &fns.easy_escape) || !sym(lib, "curl_free", &fns.free) ||
	    !sym(lib, "curl_getdate", &fns.getdate) ||
	    !sym(lib, "curl_slist_append", &fns.slist_append) ||
	    !sym(lib, "curl_slist_free_all", &fns.slist_free_all) ||
	    !sym(lib, "curl_url", &fns.url) || !sym(lib, "curl_url_cleanup", &fns.url_cleanup) ||
	    !sym(lib, "curl_url_set", &fns.url_set) || !sym(lib, "curl_url_get", &fns.url_get)) {
		snprintf(why, sizeof why, "%s",
		         _("libcurl is too old (7.62 or newer is needed): no server, working "
		           "offline"));
		return;
	}
	if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(why, sizeof why, "%s", _("libcurl failed to start: working offline"));
		return;
	}
	loaded = &fns;
}

const struct curl_fns *curlfn_get(struct err *e)
{
	pthread_once(&once, load);
	if (loaded == NULL)
		err_set(e, "%s", why);
	return loaded;
}
