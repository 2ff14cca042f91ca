/*
 * sodiumfn.h - libsodium, loaded after the first screen.
 *
 * tongban does not link libsodium, for the reason db/sqlitefn.h gives for
 * SQLite: the login screen needs neither, and each library mapped and
 * relocated before it is drawn costs start-up time (issue 13).  The first
 * call of any function below loads "libsodium.so.23" or
 * "libsodium.so.26" (the sonames of 1.0.18 and of 1.0.19 and later; the
 * functions used here are in both) and runs sodium_init(); the TUI calls
 * sodiumfn_load() itself right after the login screen so that a missing
 * library is said on screen.  A program that linked libsodium anyway
 * (tongband, the tests) gets the copy it already has.
 *
 * Only the client's files include this header (tongband's own files use
 * sodium.h directly); after it, the functions below keep libsodium's names
 * and go through the table.  Types and constants are sodium.h's.
 */
#ifndef TB_CORE_SODIUMFN_H
#define TB_CORE_SODIUMFN_H

#include <sodium.h>

#include "core/util.h"

struct sodium_fns {
	void (*memzero)(void *const p, const size_t len);
	int (*mem_cmp)(const void *const a, const void *const b, size_t len);
	char *(*bin2hex)(char *const hex, const size_t hex_max, const unsigned char *const bin,
	                 const size_t bin_len);
	void (*random_buf)(void *const buf, const size_t size);
	int (*pwhash_str)(char out[crypto_pwhash_STRBYTES], const char *const passwd,
	                  unsigned long long passwdlen, unsigned long long opslimit,
	                  size_t memlimit);
	int (*pwhash_str_verify)(const char str[crypto_pwhash_STRBYTES], const char *const passwd,
	                         unsigned long long passwdlen);
	int (*generichash)(unsigned char *out, size_t outlen, const unsigned char *in,
	                   unsigned long long inlen, const unsigned char *key, size_t keylen);
	int (*generichash_init)(crypto_generichash_state *state, const unsigned char *key,
	                        const size_t keylen, const size_t outlen);
	int (*generichash_update)(crypto_generichash_state *state, const unsigned char *in,
	                          unsigned long long inlen);
	int (*generichash_final)(crypto_generichash_state *state, unsigned char *out,
	                         const size_t outlen);
};

/*
 * Load libsodium once (any thread) and initialise it.  0, or -1 with e
 * saying what is missing in the user's language.
 */
int sodiumfn_load(struct err *e);

/* The table, loaded on the first call; a process that cannot load
 * libsodium says why on stderr and exits (status 1): it cannot keep its
 * audit chain or check a password. */
const struct sodium_fns *sodiumfn(void);

#define sodium_memzero            (sodiumfn()->memzero)
#define sodium_memcmp             (sodiumfn()->mem_cmp)
#define sodium_bin2hex            (sodiumfn()->bin2hex)
#define randombytes_buf           (sodiumfn()->random_buf)
#define crypto_pwhash_str         (sodiumfn()->pwhash_str)
#define crypto_pwhash_str_verify  (sodiumfn()->pwhash_str_verify)
#define crypto_generichash        (sodiumfn()->generichash)
#define crypto_generichash_init   (sodiumfn()->generichash_init)
#define crypto_generichash_update (sodiumfn()->generichash_update)
#define crypto_generichash_final  (sodiumfn()->generichash_final)

#endif
