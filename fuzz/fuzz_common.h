/* Shared by the libFuzzer targets: run every report drip has over a
 * decoded profile, output to /dev/null, so the fuzzer reaches the graph
 * and report code with hostile values, not only the decoders. */
#ifndef DRIP_FUZZ_COMMON_H
#define DRIP_FUZZ_COMMON_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flame.h"
#include "ggroup.h"
#include "input.h"
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

/* drip flame (all three formats) and drip goroutines on p. */
static void fuzz_flame_goroutines(struct profile *p)
{
	struct flame_build_opts fo = { GRAN_FUNCTIONS, false, false };
	struct flame_svg_opts so;
	struct flame *f;
	struct gdump d;
	int si = (int)p->ntypes - 1;
	size_t col = 0;

	if (p->ntypes > 0) {
		f = flame_new(1);
		flame_add(f, p, &fo, &si, &col, NULL, 1);
		flame_finish(f);
		flame_write_folded(f, &col, 1, fuzz_null());
		flame_write_speedscope(f, &p->types[si], 1, "fuzz", 0, fuzz_null());
		memset(&so, 0, sizeof(so));
		so.unit = p->types[si].unit;
		so.minwidth = 0.1;
		flame_write_svg(f, &so, fuzz_null(), NULL);
		flame_free(f);
	}
	if (ggroup_is_goroutine(p) && gdump_build(p, &d) == 0)
		gdump_release(&d);
}

__attribute__((unused)) static void fuzz_reports(struct profile *p)
{
	struct report_opts o;
	struct report r;
	size_t si;

	if (!p)
		return;
	fuzz_flame_goroutines(p);
	for (si = 0; si < p->ntypes && si < 3; si++) {
		char idx[24];

		report_opts_init(&o);
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
			report_opts_init(&o);
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
