/*
 * strpool.h - an arena of immutable blocks (strings, small arrays), each
 * kept once: the same bytes interned twice give the same pointer.
 *
 * A catalogue of 20,000 items repeats itself (the same item implemented by
 * every county: one legal basis, one list of materials, one name), so its
 * strings and material lists are interned here instead of copied per item.
 * The lookup table is only needed while a catalogue is built; strpool_forget
 * drops it and keeps the blocks.
 */
#ifndef TB_CORE_STRPOOL_H
#define TB_CORE_STRPOOL_H

#include <stddef.h>

struct strpool;

/* An empty pool.  Caller frees with strpool_free(). */
struct strpool *strpool_new(void);

/*
 * A copy of data[0..len) at an address aligned to align (1, 2, 4, 8 or 16),
 * the earlier copy when the same bytes at that alignment were interned since
 * the last strpool_forget.  Valid until strpool_free; never write to it.
 */
const void *strpool_intern(struct strpool *p, const void *data, size_t len, size_t align);

/* s[0..len) and a NUL, interned. */
const char *strpool_str(struct strpool *p, const char *s, size_t len);

/* Free the lookup table; the blocks stay.  Later interns start a new one. */
void strpool_forget(struct strpool *p);

/* The bytes the pool's blocks take (its arena, not counting the table). */
size_t strpool_size(const struct strpool *p);

/* Free the pool and every block in it.  NULL is fine. */
void strpool_free(struct strpool *p);

#endif
