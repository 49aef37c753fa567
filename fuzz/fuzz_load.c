/* libFuzzer target: the whole loading path of a file (gzip detection and
 * inflation, format detection by content, the pprof or text decoder,
 * pruning), then every report. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source_opts so = { FUZZ_MAX_SIZE, 0, false, NULL };
	struct profile *p = load_profile_bytes("fuzz", data, size, &so);

	fuzz_reports(p);
	profile_free(p);
	strtab_free();
	return 0;
}
