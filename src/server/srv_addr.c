/*
 * srv_addr.c - client addresses for the per-address limits.
 */
#include "server/srv_addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include <sodium.h>

#include "core/util.h"

_Static_assert(crypto_shorthash_KEYBYTES == SRV_ADDR_HASH_KEY, "SRV_ADDR_HASH_KEY");

static void from_v4(const struct in_addr *in, struct srv_addr *a, char text[SRV_ADDR_TEXT])
{
	memset(a, 0, sizeof *a);
	a->bytes[10] = 0xff;
	a->bytes[11] = 0xff;
	memcpy(a->bytes + 12, &in->s_addr, 4);
	if (inet_ntop(AF_INET, in, text, SRV_ADDR_TEXT) == NULL)
		str_copy(text, SRV_ADDR_TEXT, "-");
}

void srv_addr_from(const struct sockaddr *sa, struct srv_addr *a, char text[SRV_ADDR_TEXT])
{
	const struct in6_addr *in6;
	struct in_addr in;

	memset(a, 0, sizeof *a);
	str_copy(text, SRV_ADDR_TEXT, "-");
	if (sa != NULL && sa->sa_family == AF_INET) {
		from_v4(&((const struct sockaddr_in *)sa)->sin_addr, a, text);
		return;
	}
	if (sa == NULL || sa->sa_family != AF_INET6)
		return;
	in6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (IN6_IS_ADDR_V4MAPPED(in6)) {
		memcpy(&in.s_addr, in6->s6_addr + 12, 4);
		from_v4(&in, a, text);
		return;
	}
	memcpy(a->bytes, in6->s6_addr, 8);
	if (inet_ntop(AF_INET6, in6, text, SRV_ADDR_TEXT) == NULL)
		str_copy(text, SRV_ADDR_TEXT, "-");
}

bool srv_addr_equal(const struct srv_addr *a, const struct srv_addr *b)
{
	return memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

uint64_t srv_addr_hash(const struct srv_addr *a, const unsigned char key[SRV_ADDR_HASH_KEY])
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v;

	crypto_shorthash(h, a->bytes, sizeof a->bytes, key);
	memcpy(&v, h, sizeof v);
	return v;
}
