#include "core/sodiumfn.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/i18n.h"

static struct sodium_fns fns;
static const struct sodium_fns *loaded;
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
	static const char *const names[] = {"libsodium.so.23", "libsodium.so.26", "libsodium.so"};
	int (*init)(void) = NULL;
	void *lib = NULL;
	size_t i;

	for (i = 0; lib == NULL && i < sizeof names / sizeof names[0]; i++)
		lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL) {
		snprintf(
		    why, sizeof why, "%s",
		    _("libsodium (libsodium.so.23, Debian package libsodium23) is not installed"));
		return;
	}
	if (!sym(lib, "sodium_init", &init) ||

	    !sym(lib, "sodium_memzero", &fns.memzero) || !sym(lib, "sodium_memcmp", &fns.mem_cmp) ||
	    !sym(lib, "sodium_bin2hex", &fns.bin2hex) ||
	    !sym(lib, "randombytes_buf", &fns.random_buf) ||
	    !sym(lib, "crypto_pwhash_str", &fns.pwhash_str) ||
	    !sym(lib, "crypto_pwhash_str_verify", &fns.pwhash_str_verify) ||
	    !sym(lib, "crypto_generichash", &fns.generichash) ||
	    !sym(lib, "crypto_generichash_init", &fns.generichash_init) ||
	    !sym(lib, "crypto_generichash_update", &fns.generichash_update) ||
	    !sym(lib, "crypto_generichash_final", &fns.generichash_final)) {
		snprintf(why, sizeof why, "%s",
		         _("the installed libsodium is too old: it lacks functions tongban needs"));
		return;
	}
	if (init() < 0) {
		snprintf(why, sizeof why, "%s", _("libsodium failed to start"));
		return;
	}
	loaded = &fns;
}

int sodiumfn_load(struct err *e)
{
	pthread_once(&once, load);
	if (loaded == NULL) {
		err_set(e, "%s", why);
		return -1;
	}
	return 0;
}

const struct sodium_fns *sodiumfn(void)
{
	struct err e = {0};

	if (sodiumfn_load(&e) < 0) {
		fprintf(stderr, "tongban: %s\n", e.msg);
		exit(1);
	}
	return loaded;
}
