/*
 * fuzz_main.c - one libFuzzer binary per target of tests/harness/fuzztargets.c,
 * built by `make fuzz` with -DFUZZ_TARGET=fuzz_NAME (clang only).
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzztargets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return FUZZ_TARGET(data, size);
}
