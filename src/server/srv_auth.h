/*
 * srv_auth.h - password hashes and session tokens (libsodium).
 *
 * Passwords are stored as argon2id strings (crypto_pwhash_str).  A session
 * token is 32 random bytes shown to the client once as 64 hex digits; the
 * database keeps only a BLAKE2b hash of it, so a copy of the database does
 * not let anyone log in.
 */
#ifndef TB_SERVER_SRV_AUTH_H
#define TB_SERVER_SRV_AUTH_H

#include <stdbool.h>

#include "core/util.h"

/* Hex digits in a token, and in a token's hash. */
#define SRV_TOKEN_HEX 64
/* Room for an argon2id hash string, NUL included (crypto_pwhash_STRBYTES). */
#define SRV_PWHASH_SIZE 128

/* Initialise libsodium.  Call once before anything else here (srv_start and
 * the admin functions do).  Returns 0, or -1 with e filled. */
int srv_auth_init(struct err *e);

/* Hash password into out.  Returns 0, or -1 with e filled (out of memory
 * for argon2). */
int srv_auth_hash_password(const char *password, char out[SRV_PWHASH_SIZE], struct err *e);

/* True if password matches hash.  With hash NULL, still spends the time of
 * one verification (so an unknown clerk id answers as slowly as a known one)
 * and returns false. */
bool srv_auth_verify_password(const char *hash, const char *password);

/* Whether hash was made at another cost than TB_PWHASH_* (core/pwcost.h):
 * a successful login makes it again. */
bool srv_auth_needs_rehash(const char *hash);

/* The hash an unknown clerk's password is checked against (tests: it has
 * the cost of the real ones). */
const char *srv_auth_dummy_hash(void);

/* Wipe the string s (a password) and free it.  s may be NULL. */
void srv_auth_free_secret(char *s);

/* A fresh random token as lowercase hex. */
void srv_auth_new_token(char out[SRV_TOKEN_HEX + 1]);

/* The hash under which a token is stored, as lowercase hex. */
void srv_auth_token_hash(const char *token, char out[SRV_TOKEN_HEX + 1]);

/* True if s is SRV_TOKEN_HEX lowercase hex digits. */
bool srv_auth_is_token(const char *s);

#endif
