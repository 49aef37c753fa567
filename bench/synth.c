/* drip-synth: write a synthetic Go-style heap profile (gzipped
 * profile.proto, through drip's own encoder) of a chosen size, for the
 * benchmark (make bench): how drip's cost grows with the number of
 * samples, functions, stack depth, labels and inlined frames.
 *
 *   drip-synth [-n SAMPLES] [-f FUNCTIONS] [-d MIN-MAX] [-l LABELS]
 *              [-i INLINE%] [-s SEED] [-t SECONDS] -o FILE
 *
 * -t SECONDS moves the profile time later: drip leaks refuses copies of
 * one snapshot (the same time), so a series of one profile needs it.
 *
 * Stacks are walks down a call tree: frame k is chosen from frame k-1's
 * location and a small random branch, so stacks share prefixes the way
 * real ones do, and nearly every sample is a distinct stack.  Values are
 * the four heap sample types (alloc/inuse objects/space).  The output is
 * deterministic for given options. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "pprof.h"
#include "profile.h"
#include "strtab.h"

static uint64_t rng;

static uint32_t rnd(void)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rng >> 33);
}

static void usage(void)
{
	fprintf(stderr, "usage: drip-synth [-n SAMPLES] [-f FUNCTIONS] [-d MIN-MAX] [-l LABELS] [-i INLINE%%]\n"
			"                  [-s SEED] [-t SECONDS] -o FILE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long nsamples = 100000, nfuncs = 2000, dmin = 10, dmax = 30, nlabels = 0, inl = 10, seed = 1;
	unsigned long tsec = 0; /* added to the profile time: copies of one profile taken apart */
	const char *out = NULL;
	struct profile *p;
	struct pf_valtype types[4];
	struct pf_mapping m;
	size_t nlocs, i, k;
	uint32_t *stk;
	struct buf b = BUF_INIT;
	gzFile gz;
	char name[256];
	int c;

	while ((c = getopt(argc, argv, "n:f:d:l:i:s:t:o:")) != -1) {
		switch (c) {
		case 'n': nsamples = strtoul(optarg, NULL, 10); break;
		case 'f': nfuncs = strtoul(optarg, NULL, 10); break;
		case 'd':
			if (sscanf(optarg, "%lu-%lu", &dmin, &dmax) != 2)
				usage();
			break;
		case 'l': nlabels = strtoul(optarg, NULL, 10); break;
		case 'i': inl = strtoul(optarg, NULL, 10); break;
		case 's': seed = strtoul(optarg, NULL, 10); break;
		case 't': tsec = strtoul(optarg, NULL, 10); break;
		case 'o': out = optarg; break;
		default: usage();
		}
	}
	if (!out || optind != argc || nfuncs < 2 || dmin < 1 || dmax < dmin || dmax > 1000 || inl > 100)
		usage();
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;

	p = profile_new();
	types[0] = (struct pf_valtype){ intern("alloc_objects"), intern("count") };
	types[1] = (struct pf_valtype){ intern("alloc_space"), intern("bytes") };
	types[2] = (struct pf_valtype){ intern("inuse_objects"), intern("count") };
	types[3] = (struct pf_valtype){ intern("inuse_space"), intern("bytes") };
	profile_set_types(p, types, 4);
	p->period_type = (struct pf_valtype){ intern("space"), intern("bytes") };
	p->period = 524288;
	p->time_nanos = 1700000000000000000LL + (int64_t)tsec * 1000000000LL;

	memset(&m, 0, sizeof(m));
	m.start = 0x400000;
	m.limit = 0x4000000;
	m.file = intern("/usr/local/bin/synth");
	m.build_id = intern("0123456789abcdef");
	m.has_functions = m.has_filenames = m.has_line_numbers = true;
	profile_add_mapping(p, &m);

	for (i = 0; i < nfuncs; i++) {
		char file[256];
		snprintf(name, sizeof(name), "github.com/acme/svc/pkg%zu.(*Type%zu).Method%zu", i % 97, i % 13, i);
		snprintf(file, sizeof(file), "/home/build/go/src/github.com/acme/svc/pkg%zu/file%zu.go", i % 97,
			 i % 7);
		profile_add_function(p, intern(name), intern(name), intern(file), (int64_t)(i % 500) + 1);
	}
	/* Two call sites per function; INLINE% of locations hold an extra
	 * inlined frame or two. */
	nlocs = nfuncs * 2;
	for (i = 0; i < nlocs; i++) {
		struct pf_line ln[3];
		size_t n = 1;

		if (rnd() % 100 < inl)
			n = 2 + rnd() % 2;
		for (k = 0; k < n; k++)
			ln[k] = (struct pf_line){ (uint32_t)((i / 2 + k * 7919) % nfuncs), 10 + rnd() % 2000, 0 };
		profile_add_location(p, 0, 0x401000 + i * 64, ln, n);
	}

	stk = malloc((dmax + 1) * sizeof(*stk));
	for (i = 0; i < nsamples; i++) {
		size_t depth = dmin + rnd() % (dmax - dmin + 1);
		uint32_t loc = rnd() % 8; /* a few roots */
		int64_t v[4];
		struct pf_label labs[8];
		size_t nl = nlabels > 8 ? 8 : nlabels;
		uint64_t objs = 1 + rnd() % 16, sz = 16 * (1 + rnd() % 64);

		/* root first, then reversed into leaf-first order */
		for (k = 0; k < depth; k++) {
			stk[depth - 1 - k] = loc;
			loc = (uint32_t)((loc * 2654435761u + 1 + rnd() % 4) % nlocs);
		}
		v[0] = (int64_t)objs;
		v[1] = (int64_t)(objs * sz);
		v[2] = rnd() % 3 ? v[0] : 0;
		v[3] = v[2] ? v[1] : 0;
		for (k = 0; k < nl; k++) {
			char key[32], val[32];
			snprintf(key, sizeof(key), "key%zu", k);
			snprintf(val, sizeof(val), "value%u", rnd() % 10);
			labs[k] = (struct pf_label){ intern(key), intern(val), 0, intern_empty() };
		}
		profile_add_sample(p, stk, depth, v, labs, nl);
	}
	free(stk);

	pprof_encode(p, &b);
	gz = gzopen(out, "wb6");
	if (!gz || gzwrite(gz, b.data, (unsigned)b.len) != (int)b.len || gzclose(gz) != Z_OK) {
		fprintf(stderr, "drip-synth: cannot write '%s': %s\n", out, strerror(errno));
		return 2;
	}
	buf_release(&b);
	profile_free(p);
	strtab_free();
	return 0;
}
