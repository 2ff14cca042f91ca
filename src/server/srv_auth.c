/*
 * srv_auth.c - password hashes and session tokens (libsodium).
 */
#include "server/srv_auth.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/pwcost.h"

_Static_assert(crypto_pwhash_STRBYTES <= SRV_PWHASH_SIZE, "SRV_PWHASH_SIZE too small");

/* argon2id hash of a random password nobody knows, with the same cost as
 * real ones: verifying against it makes an unknown clerk id cost the same. */
static const char dummy_hash[] = "$argon2id$v=19$m=19456,t=2,p=1$KIYQPEp5DZzg4Z9Q+dPAIA$"
                                 "vjtd0uZ3cAsAva+rnmUeZykDBawFw/EsY50eYXKeBH8";

int srv_auth_init(struct err *e)
{
	if (sodium_init() < 0) {
		err_set(e, "libsodium failed to initialise");
		return -1;
	}
	return 0;
}

int srv_auth_hash_password(const char *password, char out[SRV_PWHASH_SIZE], struct err *e)
{
	if (crypto_pwhash_str(out, password, strlen(password), TB_PWHASH_OPSLIMIT,
	                      TB_PWHASH_MEMLIMIT) != 0) {
		err_set(e, "password hashing failed (out of memory)");
		return -1;
	}
	return 0;
}

bool srv_auth_verify_password(const char *hash, const char *password)
{
	bool ok;

	ok = crypto_pwhash_str_verify(hash ? hash : dummy_hash, password, strlen(password)) == 0;
	return hash != NULL && ok;
}

bool srv_auth_needs_rehash(const char *hash)
{
	return crypto_pwhash_str_needs_rehash(hash, TB_PWHASH_OPSLIMIT, TB_PWHASH_MEMLIMIT) != 0;
}

const char *srv_auth_dummy_hash(void)
{
	return dummy_hash;
}

void srv_auth_free_secret(char *s)
{
	if (s == NULL)
		return;
	sodium_memzero(s, strlen(s));
	free(s);
}

void srv_auth_new_token(char out[SRV_TOKEN_HEX + 1])
{
	unsigned char raw[SRV_TOKEN_HEX / 2];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(out, SRV_TOKEN_HEX + 1, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
}

void srv_auth_token_hash(const char *token, char out[SRV_TOKEN_HEX + 1])
{
	unsigned char h[SRV_TOKEN_HEX / 2];

	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, SRV_TOKEN_HEX + 1, h, sizeof h);
}

bool srv_auth_is_token(const char *s)
{
	size_t i;

	for (i = 0; i < SRV_TOKEN_HEX; i++) {
		char c = s[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return s[SRV_TOKEN_HEX] == '\0';
}
