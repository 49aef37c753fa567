/* libFuzzer target: two profiles from one input, merged (as `drip top A
 * B`) and subtracted (as --diff-base and --base, with and without
 * --normalize), then every report.  The first two bytes give the length
 * of the first profile; the rest is the second. */
#include <stddef.h>
#include <stdint.h>

#include "diff.h"
#include "fuzz_common.h"
#include "load.h"
#include "merge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source_opts so = { FUZZ_MAX_SIZE, 0, false, NULL };
	struct profile *a, *b, *ps[2], *m;
	size_t n;
	int k;

	if (size < 2)
		return 0;
	n = (size_t)data[0] | (size_t)data[1] << 8;
	data += 2;
	size -= 2;
	if (n > size)
		n = size;
	a = load_profile_bytes("a", data, n, &so);
	b = a ? load_profile_bytes("b", data + n, size - n, &so) : NULL;
	if (a && b) {
		ps[0] = a;
		ps[1] = b;
		m = profile_merge(ps, 2);
		if (m && profile_check_values(m) == 0)
			fuzz_reports(m);
		profile_free(m);
		for (k = 0; k < 4; k++) {
			struct profile *d = profile_diff(a, b, k & 1, k >> 1);

			if (d && profile_check_values(d) == 0)
				fuzz_reports(d);
			profile_free(d);
		}
	}
	profile_free(a);
	profile_free(b);
	strtab_free();
	return 0;
}
