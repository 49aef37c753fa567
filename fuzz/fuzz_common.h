/* Shared by the libFuzzer targets: run every report drip has over a
 * decoded profile, output to /dev/null, so the fuzzer reaches the graph
 * and report code with hostile values, not only the decoders. */
#ifndef DRIP_FUZZ_COMMON_H
#define DRIP_FUZZ_COMMON_H
#include <stdio.h>
#include <stdlib.h>

#include "input.h"
#include "options.h"
#include "profile.h"
#include "report.h"
#include "strtab.h"

static FILE *fuzz_null(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	if (!f)
		abort();
	return f;
}

__attribute__((unused)) static void fuzz_reports(struct profile *p)
{
	struct ropts o;
	struct report r;
	size_t si;

	if (!p)
		return;
	for (si = 0; si < p->ntypes && si < 3; si++) {
		char idx[24];

		ropts_init(&o);
		snprintf(idx, sizeof(idx), "%zu", si);
		o.sample_index = idx;
		if (report_init(&r, p, &o) < 0)
			continue;
		report_top(&r, fuzz_null());
		if (report_init(&r, p, &o) == 0) {
			o.nodecount = 80;
			report_tree(&r, NULL, fuzz_null());
		}
		if (report_init(&r, p, &o) == 0)
			report_traces(&r, fuzz_null());
		if (report_init(&r, p, &o) == 0)
			report_tags(&r, fuzz_null());
		if (si == 0) {
			ropts_init(&o);
			o.gran = GRAN_LINES;
			o.sample_index = idx;
			if (report_init(&r, p, &o) == 0)
				report_top(&r, fuzz_null());
		}
	}
}

/* The cap on inflated size while fuzzing: libFuzzer's default RSS limit
 * is 2 GiB, so keep drip's own cap well below it. */
#define FUZZ_MAX_SIZE ((uint64_t)64 << 20)

#endif
