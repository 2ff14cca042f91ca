/*
 * fuzztargets.h - every parser of outside input as a fuzz target: a
 * function taking any bytes, which must never crash, leak or read out of
 * bounds, only accept or refuse.  tests/unit/test_fuzz.c runs them over the
 * bundled files and their mutations in `make check`; tests/fuzz/ wraps them
 * for libFuzzer (`make fuzz`, clang).
 */
#ifndef TB_HARNESS_FUZZTARGETS_H
#define TB_HARNESS_FUZZTARGETS_H

#include <stddef.h>
#include <stdint.h>

typedef int (*fuzz_target_fn)(const uint8_t *data, size_t size);

struct fuzz_target {
	const char *name;
	fuzz_target_fn fn;
	const char *seed; /* a bundled file to start from, relative to the source tree */
};

extern const struct fuzz_target fuzz_targets[];
extern const size_t fuzz_n_targets;

int fuzz_catalogue(const uint8_t *data, size_t size);
int fuzz_form(const uint8_t *data, size_t size);
int fuzz_calendar(const uint8_t *data, size_t size);
int fuzz_notice(const uint8_t *data, size_t size);
int fuzz_pinyin(const uint8_t *data, size_t size);
int fuzz_regions(const uint8_t *data, size_t size);
int fuzz_checklist(const uint8_t *data, size_t size);
int fuzz_config(const uint8_t *data, size_t size);

#endif
