/*
 * srv_addr.h - a client's address as the per-address limits count it.
 *
 * An IPv4 address (also when it comes as ::ffff:a.b.c.d) is itself; an
 * IPv6 address counts as its /64, since one machine is usually given a
 * whole /64 and could otherwise pick a fresh address for every request.
 */
#ifndef TB_SERVER_SRV_ADDR_H
#define TB_SERVER_SRV_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#include <sys/socket.h>

/* Room for an address as text (an IPv6 address, NUL included). */
#define SRV_ADDR_TEXT 46

struct srv_addr {
	uint8_t bytes[16]; /* IPv4 as ::ffff:a.b.c.d; IPv6 with the last 64 bits zero */
};

/* The key of sa into *a and its text ("127.0.0.1", "2001:db8::1") into
 * text.  Any other family (or NULL) becomes the all-zero key and "-". */
void srv_addr_from(const struct sockaddr *sa, struct srv_addr *a, char text[SRV_ADDR_TEXT]);

bool srv_addr_equal(const struct srv_addr *a, const struct srv_addr *b);

/* Room for the key of srv_addr_hash (crypto_shorthash_KEYBYTES). */
#define SRV_ADDR_HASH_KEY 16

/* SipHash of a under key (random per table, so that nobody can choose
 * addresses that collide). */
uint64_t srv_addr_hash(const struct srv_addr *a, const unsigned char key[SRV_ADDR_HASH_KEY]);

#endif
