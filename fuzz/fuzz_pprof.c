/* libFuzzer target: the profile.proto decoder (pprof.c) on raw,
 * uncompressed bytes, then the drop_frames pruning and every report. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "pprof.h"
#include "prune.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile *p = pprof_decode(data, size);

	(void)pprof_looks_like(data, size);
	if (p && profile_check_values(p) == 0 && profile_remove_uninteresting(p) == 0)
		fuzz_reports(p);
	profile_free(p);
	strtab_free();
	return 0;
}
