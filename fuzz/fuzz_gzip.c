/* libFuzzer target: input.c's gzip detection and inflation
 * (concatenated members, padding, truncation, the size cap). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in;

	if (input_from_memory(data, size, FUZZ_MAX_SIZE, &in) == 0) {
		if (in.data[in.len] != 0)
			abort();
		input_release(&in);
	}
	return 0;
}
