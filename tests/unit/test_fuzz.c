/*
 * tests/unit/test_fuzz.c - every parser of outside input fed its bundled file
 * and thousands of deterministic mutations of it (flipped and inserted bytes,
 * cut and repeated pieces, JSON and template punctuation, invalid UTF-8).
 * Passing means no crash, and under `make SANITIZE=1 check` no leak or bad
 * memory access.  $TONGBAN_FUZZ_RUNS sets the mutations per target (default
 * 3000); `make fuzz` runs the same targets under libFuzzer.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "fuzztargets.h"
#include "tbcheck.h"

static unsigned long long rng = 0x9E3779B97F4A7C15ULL;

static unsigned long long next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const char *const tokens[] = {
    "{",    "}",        "[",     "]",   "\"",   ":",    ",",    "\\u0000", "\\ud800",
    "{{",   "}}",       "{{#",   "{{/", "{{^",  "#",    "\t",   "\n",      "U+",
    "\xff", "\xe5\xbc", "1e999", "-1",  "null", "true", "\"\"",
};

/* One mutation of buf (len bytes, capacity cap) in place; returns the new length. */
static size_t mutate(unsigned char *buf, size_t len, size_t cap)
{
	size_t pos = len ? next_rand() % len : 0, n;
	const char *tok;

	switch (next_rand() % 6) {
	case 0: /* flip a byte */
		if (len)
			buf[pos] ^= (unsigned char)(1u << (next_rand() % 8));
		return len;
	case 1: /* insert a token */
		tok = tokens[next_rand() % (sizeof tokens / sizeof tokens[0])];
		n = strlen(tok);
		if (len + n > cap)
			return len;
		memmove(buf + pos + n, buf + pos, len - pos);
		memcpy(buf + pos, tok, n);
		return len + n;
	case 2: /* delete a piece */
		n = len - pos ? next_rand() % (len - pos) % 64 + 1 : 0;
		if (pos + n > len)
			n = len - pos;
		memmove(buf + pos, buf + pos + n, len - pos - n);
		return len - n;
	case 3: /* cut the end */
		return pos;
	case 4: /* repeat a piece */
		n = len - pos < 32 ? len - pos : 32;
		if (len + n > cap)
			return len;
		memmove(buf + pos + n, buf + pos, len - pos);
		return len + n;
	default: /* a random byte */
		if (len)
			buf[pos] = (unsigned char)next_rand();
		return len;
	}
}

static void run_target(const struct fuzz_target *t)
{
	char *path = tbcheck_src_path(t->seed);
	struct err e = {0};
	size_t seed_len = 0, cap, len = 0, i;
	char *seed = file_read_all(path, &seed_len, 1 << 24, &e);
	unsigned char *buf;
	long runs = atol(tbcheck_env("TONGBAN_FUZZ_RUNS", "3000"));

	ck_assert_msg(seed != NULL, "%s", e.msg);
	ck_assert_int_eq(t->fn((const uint8_t *)seed, seed_len), 0);
	cap = seed_len + 4096;
	buf = xmalloc(cap);
	for (i = 0; i < (size_t)runs; i++) {
		int k, rounds = 1 + (int)(next_rand() % 8);

		/* start again from the seed now and then, else mutate the last input */
		if (i % 16 == 0) {
			memcpy(buf, seed, seed_len);
			len = seed_len;
		}
		for (k = 0; k < rounds; k++)
			len = mutate(buf, len, cap);
		ck_assert_int_eq(t->fn(buf, len), 0);
	}
	/* and the edges */
	ck_assert_int_eq(t->fn((const uint8_t *)"", 0), 0);
	ck_assert_int_eq(t->fn((const uint8_t *)"\0\0\0", 3), 0);
	printf("fuzz %s: seed %zu bytes, %ld mutations\n", t->name, seed_len, runs);
	free(buf);
	free(seed);
	free(path);
}

START_TEST(every_parser_survives_its_mutations)
{
	run_target(&fuzz_targets[_i]);
}
END_TEST

int main(void)
{
	i18n_set_chinese(true); /* the suite reads the default language */
	Suite *s = suite_create("fuzz");
	TCase *tc = tcase_create("targets");

	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, every_parser_survives_its_mutations, 0, (int)fuzz_n_targets);
	suite_add_tcase(s, tc);
	return tbcheck_run(s);
}
