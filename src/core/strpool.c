/*
 * strpool.c - interned blocks in an arena (see strpool.h): chunks of 64 KiB
 * (a large block gets a chunk of its own) and an open-addressing table of
 * the blocks by hash.
 */
#include "core/strpool.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define CHUNK_SIZE (64u * 1024)

struct chunk {
	struct chunk *next;
	size_t used, size;
	unsigned char data[];
};

struct slot {
	const unsigned char *at; /* NULL: empty */
	size_t len;
	uint64_t hash;
};

struct strpool {
	struct chunk *chunks; /* the current one first */
	size_t bytes;
	struct slot *table;
	size_t n_slots, n_used; /* n_slots a power of two, or 0 */
};

struct strpool *strpool_new(void)
{
	return xcalloc(1, sizeof(struct strpool));
}

/* A hash of p[0..n) eight bytes at a time (a multiply and a shift each). */
static uint64_t hash_bytes(const unsigned char *p, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ n;

	for (; n >= 8; p += 8, n -= 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	if (n) {
		uint64_t w = 0;

		memcpy(&w, p, n);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
	}
	return h ^ (h >> 29);
}

/* Where in c the next block at align starts. */
static size_t aligned_at(const struct chunk *c, size_t align)
{
	uintptr_t next = (uintptr_t)(c->data + c->used);

	return c->used + (size_t)((align - next % align) % align);
}

/* Room for len bytes at align in the current chunk, or a new chunk. */
static unsigned char *arena_take(struct strpool *p, size_t len, size_t align)
{
	struct chunk *c = p->chunks;
	size_t at = c ? aligned_at(c, align) : 0;

	if (c == NULL || at + len > c->size) {
		/* room for the alignment too: malloc's is at least 8 */
		size_t size = len + align > CHUNK_SIZE / 4 ? len + align : CHUNK_SIZE;

		c = xmalloc(sizeof *c + size);
		c->size = size;
		c->used = 0;
		/* a block of its own goes behind the current chunk, which keeps filling */
		if (size != CHUNK_SIZE && p->chunks) {
			c->next = p->chunks->next;
			p->chunks->next = c;
		} else {
			c->next = p->chunks;
			p->chunks = c;
		}
		at = aligned_at(c, align);
	}
	c->used = at + len;
	p->bytes += len;
	return c->data + at;
}

static void table_grow(struct strpool *p)
{
	size_t n = p->n_slots ? p->n_slots * 2 : 1024, i;
	struct slot *t = xcalloc(n, sizeof *t);

	for (i = 0; i < p->n_slots; i++) {
		const struct slot *s = &p->table[i];
		size_t j;

		if (s->at == NULL)
			continue;
		for (j = (size_t)s->hash & (n - 1); t[j].at; j = (j + 1) & (n - 1))
			;
		t[j] = *s;
	}
	free(p->table);
	p->table = t;
	p->n_slots = n;
}

/* data[0..len), and a NUL after it when nul, kept once. */
static const void *intern(struct strpool *p, const void *data, size_t len, size_t align, bool nul)
{
	size_t total = len + nul;
	uint64_t h = hash_bytes(data, len) + nul; /* the NUL is not in data */
	unsigned char *copy;
	size_t j;

	if (2 * (p->n_used + 1) > p->n_slots)
		table_grow(p);
	for (j = (size_t)h & (p->n_slots - 1); p->table[j].at; j = (j + 1) & (p->n_slots - 1)) {
		const struct slot *s = &p->table[j];

		if (s->hash == h && s->len == total && ((uintptr_t)s->at & (align - 1)) == 0 &&
		    memcmp(s->at, data, len) == 0 && (!nul || s->at[len] == '\0'))
			return s->at;
	}
	copy = arena_take(p, total, align);
	memcpy(copy, data, len);
	if (nul)
		copy[len] = '\0';
	p->table[j] = (struct slot){copy, total, h};
	p->n_used++;
	return copy;
}

const void *strpool_intern(struct strpool *p, const void *data, size_t len, size_t align)
{
	return intern(p, data, len, align, false);
}

const char *strpool_str(struct strpool *p, const char *s, size_t len)
{
	return intern(p, s, len, 1, true);
}

void strpool_forget(struct strpool *p)
{
	free(p->table);
	p->table = NULL;
	p->n_slots = p->n_used = 0;
}

size_t strpool_size(const struct strpool *p)
{
	return p->bytes;
}

void strpool_free(struct strpool *p)
{
	struct chunk *c, *next;

	if (p == NULL)
		return;
	for (c = p->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(p->table);
	free(p);
}
