/* textprof: Go's text profile formats into struct profile.
 *
 * All three parsers walk the input line by line without copying it
 * (pointer + length), collect one record's frames in a reusable array,
 * then turn them into locations.  Locations and functions are
 * deduplicated through small hash tables, so a record costs time linear
 * in its size (100k-frame stacks included) and memory stays
 * proportional to the input.
 *
 * Heap debug=1 and goroutine debug=1: the "@ 0x..." list holds the raw
 * return PCs, while the "#\t0xPC\tfunc+0xOFF\tfile:line" lines are what
 * runtime/pprof's printStackRecord chose to show: it hides runtime.goexit
 * and the runtime.* frames at the leaf end (unless that would hide all).
 * The proto writers hide the same frames (writeHeapProto strips leading
 * runtime.* PCs; goexit has no frames), so a stack built from the "#"
 * lines is the stack of the proto twin.  Inlined frames: Go <= 1.20
 * gives each inlined frame its own fake PC, all sharing the physical
 * function's entry (PC - OFF); newer Go repeats the same PC.  Either way
 * a frame joins the next (caller) frame's location, as the proto
 * writer's pcDeck does it: same PC, or same entry with a different
 * function name.  A record without "#" lines falls back to the "@"
 * addresses (minus 1, as pprof), with no names. */
#include "textprof.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "hash.h"
#include "strtab.h"
#include "xalloc.h"

/* ---- lines ---- */

struct lines {
	const char *p, *end;
	int lineno; /* of the line last returned */
};

/* Next line (without "\n" or "\r\n"); returns 0 at the end. */
static int next_line(struct lines *it, const char **s, size_t *n)
{
	const char *nl;

	if (it->p >= it->end)
		return 0;
	nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	*s = it->p;
	*n = (size_t)((nl ? nl : it->end) - it->p);
	it->p = nl ? nl + 1 : it->end;
	if (*n && (*s)[*n - 1] == '\r')
		(*n)--;
	if (it->lineno < INT32_MAX)
		it->lineno++;
	return 1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n';
}
static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}
static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A cursor over one line. */
struct cur {
	const char *p, *end;
};

static void skip_ws(struct cur *c)
{
	while (c->p < c->end && is_space(*c->p))
		c->p++;
}
static void skip_blanks(struct cur *c) /* spaces only, as the regexps' " *" */
{
	while (c->p < c->end && *c->p == ' ')
		c->p++;
}
static int eat(struct cur *c, const char *lit)
{
	size_t n = strlen(lit);
	if ((size_t)(c->end - c->p) < n || memcmp(c->p, lit, n) != 0)
		return 0;
	c->p += n;
	return 1;
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((*s)[*n - 1]))
		(*n)--;
}

static int starts_with(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	return n >= k && memcmp(s, lit, k) == 0;
}

/* Number parsers: 1 ok, 0 no digits, -1 overflow. */
static int parse_udec(struct cur *c, uint64_t *v)
{
	uint64_t x = 0;
	const char *start = c->p;

	while (c->p < c->end && is_digit(*c->p)) {
		unsigned d = (unsigned)(*c->p - '0');
		if (x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
		c->p++;
	}
	if (c->p == start)
		return 0;
	*v = x;
	return 1;
}

/* "-?\d+" into int64_t. */
static int parse_sdec(struct cur *c, int64_t *v)
{
	int neg = c->p < c->end && *c->p == '-';
	uint64_t u;
	int r;

	if (neg)
		c->p++;
	r = parse_udec(c, &u);
	if (r <= 0)
		return r;
	if (neg ? u > (uint64_t)INT64_MAX + 1 : u > (uint64_t)INT64_MAX)
		return -1;
	*v = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 1;
}

/* "0x[0-9a-f]+" (lower case, as Go prints and pprof's regexps want). */
static int parse_hex(struct cur *c, uint64_t *v)
{
	uint64_t x = 0;
	const char *start;

	if (!eat(c, "0x"))
		return 0;
	start = c->p;
	while (c->p < c->end && ((*c->p >= '0' && *c->p <= '9') || (*c->p >= 'a' && *c->p <= 'f'))) {
		if (x >> 60)
			return -1;
		x = x << 4 | (uint64_t)hexval(*c->p);
		c->p++;
	}
	if (c->p == start)
		return 0;
	*v = x;
	return 1;
}

/* ---- the parser state ---- */

struct frame {
	const char *func; /* interned, or NULL for an address-only frame */
	const char *file; /* interned */
	int64_t line;
	uint64_t pc, entry;
	int has_pc, has_entry;
	int inlined; /* debug=2: "(...)" arguments: inlined into the next frame */
};

/* Open-addressing table of uint32 indexes, with the hash kept beside. */
struct itab {
	uint32_t *idx;
	uint64_t *hash;
	size_t cap, len;
};

struct tp {
	struct profile *p;
	struct lines it;
	struct frame *frames;
	size_t nframes, cap_frames;
	uint32_t *locs;
	size_t cap_locs;
	struct pf_line *lbuf;
	size_t cap_lbuf;
	struct itab funcs, locations;
	const char **gset_keys; /* see group_add() */
	uint32_t *gset_gen, gen;
	size_t gset_cap, gset_len;
	const char *empty;
};

static void itab_release(struct itab *t)
{
	free(t->idx);
	free(t->hash);
}

static void itab_grow(struct itab *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 256, i;
	uint32_t *idx = xreallocarray(NULL, ncap, sizeof(*idx));
	uint64_t *hash = xreallocarray(NULL, ncap, sizeof(*hash));

	for (i = 0; i < ncap; i++)
		idx[i] = PF_NONE;
	for (i = 0; i < t->cap; i++) {
		size_t j;
		if (t->idx[i] == PF_NONE)
			continue;
		for (j = t->hash[i] & (ncap - 1); idx[j] != PF_NONE; j = (j + 1) & (ncap - 1))
			;
		idx[j] = t->idx[i];
		hash[j] = t->hash[i];
	}
	free(t->idx);
	free(t->hash);
	t->idx = idx;
	t->hash = hash;
	t->cap = ncap;
}

static uint64_t ptr_hash(const void *a)
{
	return hash_mix((uint64_t)(uintptr_t)a);
}

static uint32_t get_function(struct tp *t, const char *name, const char *file)
{
	struct itab *ft = &t->funcs;
	uint64_t h = hash_combine(ptr_hash(name), ptr_hash(file));
	size_t j;
	uint32_t f;

	if ((ft->len + 1) * 2 > ft->cap)
		itab_grow(ft);
	for (j = h & (ft->cap - 1); ft->idx[j] != PF_NONE; j = (j + 1) & (ft->cap - 1)) {
		const struct pf_function *fn = &t->p->functions[ft->idx[j]];
		if (ft->hash[j] == h && fn->name == name && fn->filename == file)
			return ft->idx[j];
	}
	f = profile_add_function(t->p, name, name, file, 0);
	ft->idx[j] = f;
	ft->hash[j] = h;
	ft->len++;
	return f;
}

/* The location for address addr with lines l[0..n) (innermost first),
 * shared with earlier identical ones. */
static uint32_t get_location(struct tp *t, uint64_t addr, const struct pf_line *l, size_t n)
{
	struct itab *lt = &t->locations;
	uint64_t h = hash_mix(addr ^ (n * 0x9e3779b97f4a7c15ULL));
	size_t i, j;
	uint32_t loc;

	for (i = 0; i < n; i++)
		h = hash_combine(h, hash_combine(l[i].function, (uint64_t)l[i].line));
	if ((lt->len + 1) * 2 > lt->cap)
		itab_grow(lt);
	for (j = h & (lt->cap - 1); lt->idx[j] != PF_NONE; j = (j + 1) & (lt->cap - 1)) {
		const struct pf_location *pl = &t->p->locations[lt->idx[j]];
		const struct pf_line *ll = t->p->lines + pl->line_start;
		if (lt->hash[j] != h || pl->address != addr || pl->nlines != n)
			continue;
		for (i = 0; i < n; i++)
			if (ll[i].function != l[i].function || ll[i].line != l[i].line)
				break;
		if (i == n)
			return lt->idx[j];
	}
	loc = profile_add_location(t->p, PF_NONE, addr, l, n);
	lt->idx[j] = loc;
	lt->hash[j] = h;
	lt->len++;
	return loc;
}

static struct frame *add_frame(struct tp *t)
{
	struct frame *f;

	xgrow(&t->frames, &t->cap_frames, t->nframes + 1, sizeof(*f));
	f = &t->frames[t->nframes++];
	memset(f, 0, sizeof(*f));
	f->file = t->empty;
	return f;
}

/* Could frame b (the caller of a) share a's location?  See the comment
 * at the top; frames_to_locs() also checks that b's function is not in
 * the location yet. */
static int same_location(const struct frame *a, const struct frame *b)
{
	if (!a->func || !b->func)
		return 0;
	if (a->inlined)
		return 1;
	if (a->has_pc && b->has_pc && a->pc == b->pc)
		return 1;
	return a->has_entry && b->has_entry && a->entry == b->entry && a->func != b->func;
}

/* The functions of the location being built: a set of name pointers,
 * emptied in O(1) by bumping the generation. */
static void group_reset(struct tp *t)
{
	if (++t->gen == 0) {
		memset(t->gset_gen, 0, t->gset_cap * sizeof(*t->gset_gen));
		t->gen = 1;
	}
	t->gset_len = 0;
}

/* Adds name; returns 0 if it was there already. */
static int group_add(struct tp *t, const char *name)
{
	size_t j, mask;

	if ((t->gset_len + 1) * 2 > t->gset_cap) {
		size_t ncap = t->gset_cap ? t->gset_cap * 2 : 64, i;
		const char **keys = xreallocarray(NULL, ncap, sizeof(*keys));
		uint32_t *gen = xcalloc(ncap, sizeof(*gen));
		for (i = 0; i < t->gset_cap; i++) {
			if (t->gset_gen[i] != t->gen)
				continue;
			for (j = ptr_hash(t->gset_keys[i]) & (ncap - 1); gen[j] == t->gen;
			     j = (j + 1) & (ncap - 1))
				;
			keys[j] = t->gset_keys[i];
			gen[j] = t->gen;
		}
		free(t->gset_keys);
		free(t->gset_gen);
		t->gset_keys = keys;
		t->gset_gen = gen;
		t->gset_cap = ncap;
	}
	mask = t->gset_cap - 1;
	for (j = ptr_hash(name) & mask; t->gset_gen[j] == t->gen; j = (j + 1) & mask)
		if (t->gset_keys[j] == name)
			return 0;
	t->gset_keys[j] = name;
	t->gset_gen[j] = t->gen;
	t->gset_len++;
	return 1;
}

/* Turn t->frames into locations; returns their number, in t->locs.
 * An inline expansion never holds a function twice (Go does not inline
 * recursive functions), so a repeated function starts a new location:
 * that keeps recursion at one call site (the same PC repeated) apart. */
static size_t frames_to_locs(struct tp *t)
{
	size_t i = 0, nlocs = 0;

	xgrow(&t->locs, &t->cap_locs, t->nframes ? t->nframes : 1, sizeof(*t->locs));
	xgrow(&t->lbuf, &t->cap_lbuf, t->nframes ? t->nframes : 1, sizeof(*t->lbuf));
	while (i < t->nframes) {
		size_t j = i, n = 0;
		uint64_t addr = t->frames[i].has_pc ? t->frames[i].pc : 0;

		group_reset(t);
		for (;;) {
			const struct frame *f = &t->frames[j];
			if (f->func) {
				group_add(t, f->func);
				t->lbuf[n].function = get_function(t, f->func, f->file);
				t->lbuf[n].line = f->line;
				t->lbuf[n].column = 0;
				n++;
			}
			if (j + 1 >= t->nframes || !same_location(f, &t->frames[j + 1]) ||
			    !group_add(t, t->frames[j + 1].func))
				break;
			j++;
		}
		t->locs[nlocs++] = get_location(t, addr, t->lbuf, n);
		i = j + 1;
	}
	return nlocs;
}

static void tp_release(struct tp *t)
{
	free(t->frames);
	free(t->locs);
	free(t->lbuf);
	itab_release(&t->funcs);
	itab_release(&t->locations);
	free(t->gset_keys);
	free(t->gset_gen);
}

static struct profile *tp_fail(struct tp *t)
{
	profile_free(t->p);
	t->p = NULL;
	return NULL;
}

/* ---- "#\t0xPC\tfunc+0xOFF\tfile:line" (debug=1 heap and goroutine) ---- */

/* Is this "#" line a frame line ("#", blanks, "0x")? */
static int is_hash_frame(const char *s, size_t n)
{
	size_t i = 1;

	if (n < 2 || s[0] != '#' || !is_space(s[1]))
		return 0;
	while (i < n && is_space(s[i]))
		i++;
	return n - i >= 2 && s[i] == '0' && s[i + 1] == 'x';
}

/* Split "file:line" at its end; returns 0 when there is no ":N". */
static int split_file_line(const char *s, size_t n, size_t *filelen, int64_t *line)
{
	size_t i = n, k;
	uint64_t v = 0;

	while (i > 0 && is_digit(s[i - 1]))
		i--;
	if (i == n || i == 0 || s[i - 1] != ':')
		return 0;
	for (k = i; k < n; k++) {
		if (v > (uint64_t)INT64_MAX / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[k] - '0');
	}
	if (v > (uint64_t)INT64_MAX)
		return -1;
	*filelen = i - 1;
	*line = (int64_t)v;
	return 1;
}

static int parse_hash_frame(struct tp *t, const char *s, size_t n)
{
	struct cur c = { s + 1, s + n };
	struct frame *f;
	uint64_t pc, off = 0;
	const char *name, *plus = NULL, *q;
	size_t flen;
	int64_t line;
	int r;

	skip_ws(&c);
	r = parse_hex(&c, &pc);
	if (r < 0)
		return err_set("line %d: frame address out of range", t->it.lineno);
	if (r == 0 || (c.p < c.end && !is_space(*c.p)))
		return err_set("line %d: malformed frame line", t->it.lineno);
	skip_ws(&c);
	f = add_frame(t);
	f->pc = pc;
	f->has_pc = 1;
	if (c.p == c.end)
		return 0; /* "#\t0x..." alone: a PC without symbol information */
	name = c.p;
	/* The name ends at the first "+0x<hex>" followed by a blank: names
	 * of generic instantiations may hold blanks, so do not split on
	 * them. */
	for (q = c.p; q + 3 < c.end; q++) {
		const char *e;
		if (q[0] != '+' || q[1] != '0' || q[2] != 'x' || q == name)
			continue;
		for (e = q + 3; e < c.end && hexval(*e) >= 0; e++)
			;
		if (e > q + 3 && (e == c.end || is_space(*e))) {
			struct cur oc = { q + 1, e };
			for (oc.p = q + 3; oc.p < e; oc.p++) {
				if (off >> 60)
					return err_set("line %d: frame offset out of range", t->it.lineno);
				off = off << 4 | (uint64_t)hexval(*oc.p);
			}
			plus = q;
			c.p = e;
			break;
		}
	}
	if (!plus)
		return err_set("line %d: malformed frame line (no function+offset)", t->it.lineno);
	f->func = intern_n(name, (size_t)(plus - name));
	f->entry = pc - off;
	f->has_entry = 1;
	skip_ws(&c);
	q = c.end;
	while (q > c.p && is_space(q[-1]))
		q--;
	r = split_file_line(c.p, (size_t)(q - c.p), &flen, &line);
	if (r < 0)
		return err_set("line %d: line number out of range", t->it.lineno);
	if (r == 0)
		return err_set("line %d: malformed frame line (no file:line)", t->it.lineno);
	f->file = intern_n(c.p, flen);
	f->line = line;
	return 0;
}

/* " 0x.. 0x.." after "@": the raw PCs; pushed as address-only frames
 * into t->frames (the fallback stack), each minus 1 as pprof does. */
static int parse_addrs(struct tp *t, struct cur *c, size_t *naddrs)
{
	*naddrs = 0;
	for (;;) {
		uint64_t a;
		int r;
		struct frame *f;

		skip_ws(c);
		if (c->p == c->end)
			return 0;
		r = parse_hex(c, &a);
		if (r < 0)
			return err_set("line %d: address out of range", t->it.lineno);
		if (r == 0 || (c->p < c->end && !is_space(*c->p)))
			return err_set("line %d: malformed address list", t->it.lineno);
		f = add_frame(t);
		f->pc = a - 1;
		f->has_pc = 1;
		(*naddrs)++;
	}
}

/* ---- heap debug=1 ---- */

/* pprof's allocRxStr / allocSkipRxStr (legacy_profile.go): set on every
 * legacy heap profile, so pprof drops allocator frames at the leaf. */
static const char alloc_rx[] =
	"calloc|cfree|malloc|free|memalign|do_memalign|(__)?posix_memalign|pvalloc|valloc|realloc|"
	"tcmalloc::.*|tc_calloc|tc_cfree|tc_malloc|tc_free|tc_memalign|tc_posix_memalign|"
	"tc_pvalloc|tc_valloc|tc_realloc|tc_new|tc_delete|tc_newarray|tc_deletearray|"
	"tc_new_nothrow|tc_newarray_nothrow|malloc_zone_malloc|malloc_zone_calloc|"
	"malloc_zone_valloc|malloc_zone_realloc|malloc_zone_memalign|malloc_zone_free|"
	"runtime\\..*|BaseArena::.*|(::)?do_malloc_no_errno|(::)?do_malloc_pages|(::)?do_malloc|"
	"DoSampledAllocation|MallocedMemBlock::MallocedMemBlock|_M_allocate|"
	"__builtin_(vec_)?delete|__builtin_(vec_)?new|__gnu_cxx::new_allocator::allocate|"
	"__libc_malloc|__malloc_alloc_template::allocate|allocate|cpp_alloc|"
	"operator new(\\[\\])?|simple_alloc::allocate";
static const char alloc_skip_rx[] = "runtime\\.panic|runtime\\.reflectcall|runtime\\.call[0-9]*";
/* cpuProfilerRxStr: what pprof sets on the other legacy profiles. */
static const char cpu_rx[] =
	"ProfileData::Add|ProfileData::prof_handler|CpuProfiler::prof_handler|"
	"__pthread_sighandler|__restore";

struct heap_hdr {
	int scale;     /* "v2" sampling: scale values */
	int64_t rate;  /* the period */
	int has_alloc; /* four sample types instead of two */
};

static int same_text(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && memcmp(a, b, an) == 0;
}

/* One "\d+" field of the header, kept as text (pprof compares them as
 * strings to decide hasAlloc). */
static int hdr_num(struct cur *c, const char **s, size_t *n)
{
	uint64_t v;
	int r;

	*s = c->p;
	r = parse_udec(c, &v);
	*n = (size_t)(c->p - *s);
	return r;
}

static int parse_heap_header(struct tp *t, const char *s, size_t n, struct heap_hdr *h)
{
	struct cur c = { s, s + n };
	const char *f[4], *kind;
	size_t fl[4], kl;
	int i, r;

	memset(h, 0, sizeof(*h));
	if (!eat(&c, "heap profile:"))
		return err_set("line %d: expected 'heap profile:' header", t->it.lineno);
	for (i = 0; i < 4; i++) {
		skip_blanks(&c);
		if (i == 2) {
			if (!eat(&c, "["))
				goto bad;
			skip_blanks(&c);
		}
		r = hdr_num(&c, &f[i], &fl[i]);
		if (r < 0)
			return err_set("line %d: number out of range in heap profile header",
				       t->it.lineno);
		if (r == 0)
			goto bad;
		if (i % 2 == 0 && !eat(&c, ":"))
			goto bad;
	}
	skip_blanks(&c);
	if (!eat(&c, "]"))
		goto bad;
	skip_blanks(&c);
	if (!eat(&c, "@"))
		goto bad;
	skip_blanks(&c);
	kind = c.p;
	if (eat(&c, "growthz") || eat(&c, "growth") || eat(&c, "fragmentationz") ||
	    eat(&c, "fragmentation")) {
		/* pprof: period 1, two types, no scaling. */
		h->rate = 1;
		return 0;
	}
	if (!eat(&c, "heap"))
		goto bad;
	while (c.p < c.end && ((*c.p >= 'a' && *c.p <= 'z') || is_digit(*c.p) || *c.p == '_'))
		c.p++;
	kl = (size_t)(c.p - kind);
	if (c.p < c.end && *c.p == '/')
		c.p++;
	if (c.p < c.end && is_digit(*c.p)) {
		uint64_t v;
		if (parse_udec(&c, &v) < 0 || v > INT64_MAX)
			return err_set("line %d: sampling rate out of range", t->it.lineno);
		h->rate = (int64_t)v;
	}
	skip_ws(&c);
	if (c.p != c.end)
		goto bad;
	/* As pprof's parseHeapHeader, which compares the fields as text:
	 * alloc != inuse and alloc != "0" means there are alloc values. */
	if ((!same_text(f[2], fl[2], f[0], fl[0]) && !same_text(f[2], fl[2], "0", 1)) ||
	    (!same_text(f[3], fl[3], f[1], fl[1]) && !same_text(f[3], fl[3], "0", 1)))
		h->has_alloc = 1;
	if (kl == 8 && memcmp(kind, "heapz_v2", 8) == 0)
		h->scale = 1;
	else if (kl == 7 && memcmp(kind, "heap_v2", 7) == 0)
		h->scale = 1;
	else if (kl == 11 && memcmp(kind, "heapprofile", 11) == 0)
		h->rate = 1;
	else if (kl == 4) {
		/* Go writes 2*MemProfileRate ("early versions of the C++
		 * heap profiler reported 2*MemProfileRate"). */
		h->scale = 1;
		h->rate /= 2;
	} else
		return err_set("line %d: unknown heap profile kind '%.*s'", t->it.lineno, (int)kl,
			       kind);
	return 0;
bad:
	return err_set("line %d: malformed heap profile header", t->it.lineno);
}

/* pprof's scaleHeapSample: an allocation of average size S is sampled
 * with probability 1-exp(-S/R); divide by it. */
static int scale_heap(int64_t *count, int64_t *size, int64_t rate)
{
	double avg, scale, c, s;

	if (*count == 0 || *size == 0) {
		*count = *size = 0;
		return 0;
	}
	if (rate <= 1)
		return 0;
	avg = (double)*size / (double)*count;
	scale = 1 / (1 - exp(-avg / (double)rate));
	c = (double)*count * scale;
	s = (double)*size * scale;
	/* Go's int64() of an out-of-range float is undefined-ish; refuse. */
	if (!(c > -9223372036854775808.0 && c < 9223372036854775808.0) ||
	    !(s > -9223372036854775808.0 && s < 9223372036854775808.0))
		return -1;
	*count = (int64_t)c;
	*size = (int64_t)s;
	return 0;
}

/* "N: M [N2: M2] @ 0x.. 0x.." */
static int parse_heap_record(struct tp *t, const char *s, size_t n, const struct heap_hdr *h,
			     int64_t *vals, int64_t *blocksize, size_t *naddrs)
{
	struct cur c = { s, s + n };
	int64_t v[4];
	int i, r;

	for (i = 0; i < 4; i++) {
		skip_blanks(&c);
		if (i == 2) {
			if (!eat(&c, "["))
				goto bad;
			skip_blanks(&c);
			if (c.p < c.end && *c.p == '-')
				goto bad; /* pprof: alloc values are "\d+" */
		}
		r = parse_sdec(&c, &v[i]);
		if (r < 0)
			return err_set("line %d: number out of range in heap record", t->it.lineno);
		if (r == 0)
			goto bad;
		if (i % 2 == 0 && !eat(&c, ":"))
			goto bad;
	}
	skip_blanks(&c);
	if (!eat(&c, "] @"))
		goto bad;
	*blocksize = 0;
	/* As parseHeapSample: alloc first (when kept), then inuse; the
	 * block size is size/count of the last non-zero pair. */
	for (i = h->has_alloc ? 2 : 0; i >= 0; i -= 2) {
		int64_t cnt = v[i], sz = v[i + 1];
		const char *what = i ? "allocation" : "inuse";
		if (cnt == 0 && sz != 0)
			return err_set("line %d: %s count was 0 but %s bytes was %lld", t->it.lineno,
				       what, what, (long long)sz);
		if (cnt != 0) {
			if (cnt == -1 && sz == INT64_MIN)
				return err_set("line %d: number out of range in heap record",
					       t->it.lineno);
			*blocksize = sz / cnt;
			if (h->scale && scale_heap(&cnt, &sz, h->rate) < 0)
				return err_set("line %d: value out of range after scaling",
					       t->it.lineno);
		}
		*vals++ = cnt;
		*vals++ = sz;
	}
	return parse_addrs(t, &c, naddrs);
bad:
	return err_set("line %d: malformed heap record", t->it.lineno);
}

static int is_map_sentinel(const char *s, size_t n)
{
	static const char *const sent[] = { "--- Memory map: ---", "MAPPED_LIBRARIES:" };
	size_t k;

	for (k = 0; k < 2; k++) {
		size_t m = strlen(sent[k]), i;
		for (i = 0; i + m <= n; i++)
			if (memcmp(s + i, sent[k], m) == 0)
				return 1;
	}
	return 0;
}

/* Add the pending record: its "#" frames if it had any, else the "@"
 * addresses (t->frames[0..naddrs) are those, the "#" frames follow). */
static void flush_record(struct tp *t, size_t naddrs, const int64_t *vals,
			 const struct pf_label *labels, size_t nlabels)
{
	size_t nlocs;

	if (t->nframes > naddrs) {
		memmove(t->frames, t->frames + naddrs, (t->nframes - naddrs) * sizeof(*t->frames));
		t->nframes -= naddrs;
	}
	nlocs = frames_to_locs(t);
	profile_add_sample(t->p, t->locs, nlocs, vals, labels, nlabels);
	t->nframes = 0;
}

/* One line of the runtime.MemStats trailer, "# Name = N" (trimmed).
 * Only the fields drip shows are kept; a malformed line or value (not a
 * decimal that fits int64) leaves its field -1: the trailer is a comment
 * to pprof, so it never fails the parse. */
static void parse_memstat(struct pf_memstats *m, const char *s, size_t n)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
		{ "HeapAlloc", offsetof(struct pf_memstats, heap_alloc) },
		{ "HeapInuse", offsetof(struct pf_memstats, heap_inuse) },
		{ "HeapObjects", offsetof(struct pf_memstats, heap_objects) },
		{ "Sys", offsetof(struct pf_memstats, sys) },
		{ "NumGC", offsetof(struct pf_memstats, num_gc) },
	};
	size_t i, k, nl;
	int64_t v = 0;

	if (n < 2 || s[0] != '#' || s[1] != ' ')
		return;
	s += 2;
	n -= 2;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		nl = strlen(fields[i].name);
		if (n < nl + 4 || memcmp(s, fields[i].name, nl) != 0 || memcmp(s + nl, " = ", 3) != 0)
			continue;
		for (k = nl + 3; k < n; k++) {
			if (s[k] < '0' || s[k] > '9' || v > (INT64_MAX - (s[k] - '0')) / 10)
				return; /* not a number that fits: left unknown */
			v = v * 10 + (s[k] - '0');
		}
		*(int64_t *)(void *)((char *)m + fields[i].off) = v;
		return;
	}
}

static struct profile *parse_heap(struct tp *t)
{
	static const char *const types4[] = { "alloc_objects", "alloc_space", "inuse_objects",
					      "inuse_space" };
	static const char *const types2[] = { "objects", "space" };
	struct pf_valtype vt[4];
	struct heap_hdr h;
	const char *s;
	size_t n, i, naddrs = 0;
	int64_t vals[4], blocksize = 0;
	int in_record = 0;
	struct pf_label lab;

	do {
		if (!next_line(&t->it, &s, &n))
			return err_set("missing 'heap profile:' header"), tp_fail(t);
		trim(&s, &n);
	} while (n == 0);
	if (parse_heap_header(t, s, n, &h) < 0)
		return tp_fail(t);
	t->p->format = PF_FORMAT_HEAP_TEXT;
	for (i = 0; i < (h.has_alloc ? 4u : 2u); i++) {
		vt[i].type = intern(h.has_alloc ? types4[i] : types2[i]);
		vt[i].unit = intern(i % 2 ? "bytes" : "count");
	}
	profile_set_types(t->p, vt, h.has_alloc ? 4 : 2);
	t->p->period_type.type = intern("space");
	t->p->period_type.unit = intern("bytes");
	t->p->period = h.rate;
	t->p->drop_frames = intern(alloc_rx);
	t->p->keep_frames = intern(alloc_skip_rx);
	lab.key = intern("bytes");
	lab.str = NULL;
	lab.unit = t->empty;

	while (next_line(&t->it, &s, &n)) {
		trim(&s, &n);
		if (n == 0) {
			if (in_record) {
				lab.num = blocksize;
				flush_record(t, naddrs, vals, &lab, 1);
				in_record = 0;
			}
			continue;
		}
		if (s[0] == '#') {
			if (!is_hash_frame(s, n)) {
				/* a comment: the runtime.MemStats trailer, or
				 * anything else (ignored, as pprof does) */
				if (same_text(s, n, "# runtime.MemStats", 18) && !t->p->memstats.present) {
					struct pf_memstats *m = &t->p->memstats;
					m->present = true;
					m->heap_alloc = m->heap_inuse = m->heap_objects = m->sys = m->num_gc = -1;
				} else if (t->p->memstats.present) {
					parse_memstat(&t->p->memstats, s, n);
				}
				continue;
			}
			if (!in_record)
				return err_set("line %d: frame line outside a record", t->it.lineno),
				       tp_fail(t);
			if (parse_hash_frame(t, s, n) < 0)
				return tp_fail(t);
			continue;
		}
		if (is_map_sentinel(s, n))
			break;
		if (in_record) {
			lab.num = blocksize;
			flush_record(t, naddrs, vals, &lab, 1);
			in_record = 0;
		}
		if (parse_heap_record(t, s, n, &h, vals, &blocksize, &naddrs) < 0)
			return tp_fail(t);
		in_record = 1;
	}
	if (in_record) {
		lab.num = blocksize;
		flush_record(t, naddrs, vals, &lab, 1);
	}
	return t->p;
}

/* ---- goroutine debug=1 ---- */

/* Append the UTF-8 encoding of code point r to b. */
static void put_utf8(struct buf *b, uint32_t r)
{
	if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff))
		r = 0xfffd;
	if (r < 0x80) {
		buf_putc(b, (char)r);
	} else if (r < 0x800) {
		buf_putc(b, (char)(0xc0 | r >> 6));
		buf_putc(b, (char)(0x80 | (r & 0x3f)));
	} else if (r < 0x10000) {
		buf_putc(b, (char)(0xe0 | r >> 12));
		buf_putc(b, (char)(0x80 | ((r >> 6) & 0x3f)));
		buf_putc(b, (char)(0x80 | (r & 0x3f)));
	} else {
		buf_putc(b, (char)(0xf0 | r >> 18));
		buf_putc(b, (char)(0x80 | ((r >> 12) & 0x3f)));
		buf_putc(b, (char)(0x80 | ((r >> 6) & 0x3f)));
		buf_putc(b, (char)(0x80 | (r & 0x3f)));
	}
}

/* A Go %q string at c->p into b (reset first); returns 0 or -1. */
static int go_unquote(struct cur *c, struct buf *b)
{
	buf_reset(b);
	buf_putc(b, 0);
	b->len = 0;
	if (!eat(c, "\""))
		return -1;
	while (c->p < c->end) {
		char ch = *c->p++;
		int k, nd = 0, base = 16;
		uint32_t r = 0;

		if (ch == '"')
			return 0;
		if (ch != '\\') {
			buf_putc(b, ch);
			continue;
		}
		if (c->p == c->end)
			return -1;
		ch = *c->p++;
		switch (ch) {
		case 'a': buf_putc(b, '\a'); continue;
		case 'b': buf_putc(b, '\b'); continue;
		case 'f': buf_putc(b, '\f'); continue;
		case 'n': buf_putc(b, '\n'); continue;
		case 'r': buf_putc(b, '\r'); continue;
		case 't': buf_putc(b, '\t'); continue;
		case 'v': buf_putc(b, '\v'); continue;
		case '\\': buf_putc(b, '\\'); continue;
		case '"': buf_putc(b, '"'); continue;
		case '\'': buf_putc(b, '\''); continue;
		case 'x': nd = 2; break;
		case 'u': nd = 4; break;
		case 'U': nd = 8; break;
		default:
			if (ch >= '0' && ch <= '7') {
				c->p--;
				nd = 3;
				base = 8;
				break;
			}
			return -1;
		}
		if (c->end - c->p < nd)
			return -1;
		for (k = 0; k < nd; k++) {
			int d = hexval(c->p[k]);
			if (d < 0 || d >= base)
				return -1;
			r = r * (uint32_t)base + (uint32_t)d;
		}
		c->p += nd;
		if (ch == 'x' || base == 8) {
			if (r > 255)
				return -1;
			buf_putc(b, (char)r); /* a byte, as Go */
		} else {
			put_utf8(b, r);
		}
	}
	return -1;
}

/* `{"k":"v", "k2":"v2"}` into t's label list. */
static int parse_labels(struct tp *t, const char *s, size_t n, struct pf_label **labels,
			size_t *nlabels, size_t *cap)
{
	struct cur c = { s, s + n };
	struct buf k = BUF_INIT, v = BUF_INIT;
	int first = 1;

	*nlabels = 0;
	skip_ws(&c);
	if (!eat(&c, "{"))
		goto bad;
	for (;;) {
		struct pf_label *l;

		skip_ws(&c);
		if (eat(&c, "}"))
			break;
		if (!first && !eat(&c, ","))
			goto bad;
		skip_ws(&c);
		if (go_unquote(&c, &k) < 0)
			goto bad;
		skip_ws(&c);
		if (!eat(&c, ":"))
			goto bad;
		skip_ws(&c);
		if (go_unquote(&c, &v) < 0)
			goto bad;
		xgrow(labels, cap, *nlabels + 1, sizeof(**labels));
		l = &(*labels)[(*nlabels)++];
		l->key = intern_n(k.data, k.len);
		l->str = intern_n(v.data, v.len);
		l->num = 0;
		l->unit = t->empty;
		first = 0;
	}
	skip_ws(&c);
	if (c.p != c.end)
		goto bad;
	buf_release(&k);
	buf_release(&v);
	return 0;
bad:
	buf_release(&k);
	buf_release(&v);
	return err_set("line %d: malformed labels", t->it.lineno);
}

static void set_count_types(struct profile *p, const char *name)
{
	struct pf_valtype vt;

	vt.type = intern(name);
	vt.unit = intern("count");
	profile_set_types(p, &vt, 1);
	p->period_type = vt;
	p->period = 1;
}

static struct profile *parse_goroutine1(struct tp *t)
{
	const char *s;
	size_t n, naddrs = 0, nlabels = 0, cap_labels = 0;
	struct pf_label *labels = NULL;
	int64_t val = 0;
	int in_record = 0, seen_frames = 0, leak;

	do {
		if (!next_line(&t->it, &s, &n))
			return err_set("missing 'goroutine profile: total N' header"), tp_fail(t);
		trim(&s, &n);
	} while (n == 0);
	{
		struct cur c = { s, s + n };
		uint64_t tot;
		/* "goroutineleak profile: total N" (Go 1.26+): the same records,
		 * only the goroutines the GC proved leaked */
		leak = eat(&c, "goroutineleak profile: total ");
		if ((!leak && !eat(&c, "goroutine profile: total ")) || parse_udec(&c, &tot) <= 0 || c.p != c.end)
			return err_set("line %d: malformed '%s profile: total N' header", t->it.lineno,
				       leak ? "goroutineleak" : "goroutine"),
			       tp_fail(t);
	}
	t->p->format = PF_FORMAT_GOROUTINE_TEXT1;
	set_count_types(t->p, leak ? "goroutineleak" : "goroutine");
	t->p->drop_frames = intern(cpu_rx);

	while (next_line(&t->it, &s, &n)) {
		struct cur c;
		uint64_t v;
		int r;

		trim(&s, &n);
		if (n == 0) {
			if (in_record) {
				flush_record(t, naddrs, &val, labels, nlabels);
				in_record = 0;
			}
			continue;
		}
		if (s[0] == '#') {
			if (starts_with(s, n, "# labels:")) {
				if (!in_record || seen_frames)
					return err_set("line %d: labels outside a record",
						       t->it.lineno),
					       free(labels), tp_fail(t);
				if (parse_labels(t, s + 9, n - 9, &labels, &nlabels, &cap_labels) < 0)
					return free(labels), tp_fail(t);
				continue;
			}
			if (!is_hash_frame(s, n))
				continue;
			if (!in_record)
				return err_set("line %d: frame line outside a record", t->it.lineno),
				       free(labels), tp_fail(t);
			if (parse_hash_frame(t, s, n) < 0)
				return free(labels), tp_fail(t);
			seen_frames = 1;
			continue;
		}
		if (starts_with(s, n, "---"))
			break; /* as pprof: a memory map may follow */
		if (in_record) {
			flush_record(t, naddrs, &val, labels, nlabels);
			in_record = 0;
		}
		c.p = s;
		c.end = s + n;
		/* pprof: strconv.ParseInt(m[1], 0, 64) on "\d+" */
		if (n > 1 && s[0] == '0' && is_digit(s[1])) {
			v = 0;
			c.p++;
			while (c.p < c.end && is_digit(*c.p)) {
				if (*c.p > '7' || v >> 60)
					return err_set("line %d: malformed goroutine record",
						       t->it.lineno),
					       free(labels), tp_fail(t);
				v = v * 8 + (uint64_t)(*c.p - '0');
				c.p++;
			}
			r = 1;
		} else {
			r = parse_udec(&c, &v);
		}
		if (r < 0 || (r > 0 && v > INT64_MAX))
			return err_set("line %d: count out of range", t->it.lineno), free(labels),
			       tp_fail(t);
		if (r == 0 || !eat(&c, " @") || c.p == c.end || *c.p != ' ')
			return err_set("line %d: malformed goroutine record", t->it.lineno),
			       free(labels), tp_fail(t);
		val = (int64_t)v;
		if (parse_addrs(t, &c, &naddrs) < 0)
			return free(labels), tp_fail(t);
		nlabels = 0;
		in_record = 1;
		seen_frames = 0;
	}
	if (in_record)
		flush_record(t, naddrs, &val, labels, nlabels);
	free(labels);
	return t->p;
}

/* ---- goroutine debug=2 ---- */

/* A goroutine's labels while its lines are read. */
struct glabels {
	struct pf_label *l;
	size_t n, cap;
};

static void gl_add(struct tp *t, struct glabels *g, const char *key, const char *str, int64_t num,
		   const char *unit)
{
	struct pf_label *l;

	xgrow(&g->l, &g->cap, g->n + 1, sizeof(*g->l));
	l = &g->l[g->n++];
	l->key = key;
	l->str = str;
	l->num = num;
	l->unit = unit ? unit : t->empty;
}

static int is_bare_label_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
	       ch == '/' || ch == '_';
}

static int lowerhex(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* One key or value of a debug=2 header's labels, the exact inverse of
 * the Go 1.27 runtime's printing (traceback.go goroutineheader,
 * tracebackStringNeedsQuoting; print.go printquoted): bare when every
 * character is in [A-Za-z0-9./_] (possibly empty), else in double
 * quotes with printable ASCII as itself and \n \r \t \\ \" \xhh (a byte:
 * invalid UTF-8 or a control character) \uhhhh \Uhhhhhhhh (a code point,
 * encoded as UTF-8), lower-case hex.  Anything else is an error, with
 * the reason in *why. */
static int g2_label_token(struct cur *c, struct buf *b, const char **why)
{
	buf_reset(b);
	buf_putc(b, 0);
	b->len = 0;
	if (c->p == c->end || *c->p != '"') {
		while (c->p < c->end && is_bare_label_char((unsigned char)*c->p))
			buf_putc(b, *c->p++);
		return 0;
	}
	c->p++;
	while (c->p < c->end) {
		unsigned char ch = (unsigned char)*c->p++;
		int k, nd;
		uint32_t r = 0;

		if (ch == '"')
			return 0;
		if (ch != '\\') {
			if (ch < ' ' || ch > '~') {
				*why = "unescaped non-ASCII or control character in a quoted label";
				return -1;
			}
			buf_putc(b, (char)ch);
			continue;
		}
		if (c->p == c->end)
			break;
		ch = (unsigned char)*c->p++;
		switch (ch) {
		case 'n': buf_putc(b, '\n'); continue;
		case 'r': buf_putc(b, '\r'); continue;
		case 't': buf_putc(b, '\t'); continue;
		case '\\': buf_putc(b, '\\'); continue;
		case '"': buf_putc(b, '"'); continue;
		case 'x': nd = 2; break;
		case 'u': nd = 4; break;
		case 'U': nd = 8; break;
		default:
			*why = "bad escape in a quoted label";
			return -1;
		}
		for (k = 0; k < nd; k++) {
			int d = c->p + k < c->end ? lowerhex(c->p[k]) : -1;
			if (d < 0) {
				*why = "bad escape in a quoted label (want lower-case hex digits)";
				return -1;
			}
			r = r << 4 | (uint32_t)d;
		}
		c->p += nd;
		if (ch == 'x') {
			buf_putc(b, (char)r);
		} else {
			if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) {
				*why = "escape of an invalid code point in a quoted label";
				return -1;
			}
			put_utf8(b, r);
		}
	}
	*why = "unterminated quoted label";
	return -1;
}

/* The labels after the state: `{key: value, key: value}`, c at "{";
 * leaves c after "}". */
static int g2_labels(struct tp *t, struct cur *c, struct glabels *g)
{
	struct buf k = BUF_INIT, v = BUF_INIT;
	const char *why = "malformed labels";

	c->p++; /* "{" */
	for (;;) {
		if (g2_label_token(c, &k, &why) < 0)
			goto bad;
		if (!eat(c, ": ")) {
			why = c->p == c->end ? "unclosed '{' in the labels" : "expected ': ' after a label key";
			goto bad;
		}
		if (g2_label_token(c, &v, &why) < 0)
			goto bad;
		gl_add(t, g, intern_n(k.data, k.len), intern_n(v.data, v.len), 0, NULL);
		if (eat(c, "}"))
			break;
		if (!eat(c, ", ")) {
			why = c->p == c->end ? "unclosed '{' in the labels" : "expected ', ' or '}' after a label value";
			goto bad;
		}
	}
	buf_release(&k);
	buf_release(&v);
	return 0;
bad:
	buf_release(&k);
	buf_release(&v);
	return err_set("line %d: malformed goroutine header: %s", t->it.lineno, why);
}

static int ends_with(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	return n >= k && memcmp(s + n - k, lit, k) == 0;
}

/* "goroutine 7 [chan receive, 12 minutes, locked to thread]:", and what
 * newer runtimes add: "gp=0x.. m=N mp=0x.." (or "m=nil") before "[",
 * state flags " (leaked)", " (scan)", " (durable)" after the wait
 * reason (which can have parentheses of its own: "chan receive (nil
 * chan)"), ", synctest bubble N", and labels " {k: v, ...}" before the
 * colon.  Fills g with drip's labels (state, wait, locked, leaked) and
 * the goroutine's pprof labels.  Returns 1 if s is such a header, 0 if
 * it does not start like one, -1 on error. */
static int parse_g2_header(struct tp *t, const char *s, size_t n, struct glabels *g)
{
	struct cur c = { s, s + n };
	const char *st, *close, *base_end, *comma, *q;
	uint64_t id;
	int r, leaked = 0, durable = 0;

	g->n = 0;
	if (!eat(&c, "goroutine "))
		return 0;
	r = parse_udec(&c, &id);
	if (r <= 0 || c.p == c.end || *c.p != ' ')
		return 0;
	c.p++;
	/* "gp=0x.. m=N mp=0x.." (GOTRACEBACK=system, crashes) */
	while (c.p < c.end && *c.p != '[') {
		const char *f = c.p;
		uint64_t v;
		if (eat(&c, "gp=") || eat(&c, "mp=")) {
			if (parse_hex(&c, &v) <= 0)
				goto bad;
		} else if (eat(&c, "m=")) {
			if (!eat(&c, "nil") && parse_udec(&c, &v) <= 0)
				goto bad;
		} else {
			goto bad;
		}
		if (c.p == f || !eat(&c, " "))
			goto bad;
	}
	if (!eat(&c, "["))
		goto bad;
	st = c.p;
	close = memchr(st, ']', (size_t)(c.end - st));
	if (!close)
		return err_set("line %d: malformed goroutine header: no ']' after the state", t->it.lineno);
	c.p = close + 1;
	if (c.p < c.end && *c.p == ' ') {
		c.p++;
		if (c.p == c.end || *c.p != '{')
			goto bad;
		if (g2_labels(t, &c, g) < 0)
			return -1;
	}
	if (!eat(&c, ":") || c.p != c.end)
		goto bad;

	/* the state: the wait reason, flags, then ", "-separated fields */
	comma = NULL;
	for (q = st; q + 1 < close; q++)
		if (q[0] == ',' && q[1] == ' ') {
			comma = q;
			break;
		}
	base_end = comma ? comma : close;
	for (;;) {
		size_t bn = (size_t)(base_end - st);
		if (ends_with(st, bn, " (leaked)")) {
			leaked = 1;
			base_end -= 9;
		} else if (ends_with(st, bn, " (scan)")) {
			base_end -= 7; /* the GC was scanning it: not part of the state */
		} else if (ends_with(st, bn, " (durable)")) {
			durable = 1; /* kept: "chan receive (durable)" is a wait reason too */
			base_end -= 10;
		} else {
			break;
		}
	}
	if (base_end == st)
		goto bad;
	{
		struct buf b = BUF_INIT;
		buf_printf(&b, "%.*s%s", (int)(base_end - st), st, durable ? " (durable)" : "");
		/* labels parsed above come first in g; keep drip's own first */
		gl_add(t, g, intern("state"), intern_n(b.data, b.len), 0, NULL);
		buf_release(&b);
	}
	if (leaked)
		gl_add(t, g, intern("leaked"), intern("true"), 0, NULL);
	while (comma) {
		const char *f = comma + 2, *fe;
		comma = NULL;
		for (q = f; q + 1 < close; q++)
			if (q[0] == ',' && q[1] == ' ') {
				comma = q;
				break;
			}
		fe = comma ? comma : close;
		if ((size_t)(fe - f) == 16 && memcmp(f, "locked to thread", 16) == 0) {
			gl_add(t, g, intern("locked"), intern("true"), 0, NULL);
		} else if (fe - f > 8 && memcmp(fe - 8, " minutes", 8) == 0) {
			struct cur m = { f, fe - 8 };
			uint64_t mins;
			r = parse_udec(&m, &mins);
			if (r < 0 || (r > 0 && mins > INT64_MAX))
				return err_set("line %d: wait time out of range", t->it.lineno);
			if (r == 0 || m.p != m.end)
				return err_set("line %d: malformed wait time", t->it.lineno);
			gl_add(t, g, intern("wait"), NULL, (int64_t)mins, intern("minutes"));
		}
		/* other fields (", synctest bubble N") are not kept */
	}
	return 1;
bad:
	return err_set("line %d: malformed goroutine header", t->it.lineno);
}

/* "func(args)" -> the function name; returns its length or 0. */
static size_t g2_func_name(const char *s, size_t n, int *inlined)
{
	size_t i = n;
	int depth = 0;

	*inlined = 0;
	if (n < 3 || s[n - 1] != ')')
		return 0;
	while (i > 0) {
		char ch = s[--i];
		if (ch == ')')
			depth++;
		else if (ch == '(' && --depth == 0)
			break;
	}
	if (depth != 0 || i == 0)
		return 0;
	*inlined = n - i == 5 && memcmp(s + i, "(...)", 5) == 0;
	return i;
}

/* "\tfile:line +0x1d ..." -> file and line; returns 0 or -1. */
static int g2_file_line(struct tp *t, const char *s, size_t n, const char **file, size_t *flen,
			int64_t *line)
{
	size_t e;

	/* The position ends at the last ":N" followed by a blank or the
	 * end; " +0x.." and " fp=.. sp=.. pc=.." may follow. */
	for (e = n; e > 0; e--) {
		size_t d = e;
		int r;
		if (e < n && s[e] != ' ')
			continue;
		while (d > 0 && is_digit(s[d - 1]))
			d--;
		if (d == e || d < 2 || s[d - 1] != ':')
			continue;
		r = split_file_line(s, e, flen, line);
		if (r < 0)
			return err_set("line %d: line number out of range", t->it.lineno);
		if (r > 0) {
			*file = s;
			return 0;
		}
	}
	return err_set("line %d: expected '\\tfile:line' after a function line", t->it.lineno);
}

/* Does s start like a goroutine header ("goroutine N " then "[" or a
 * runtime field)? */
static int is_g2_header_start(const char *s, size_t n)
{
	size_t i;

	if (!starts_with(s, n, "goroutine "))
		return 0;
	for (i = 10; i < n && is_digit(s[i]); i++)
		;
	return i > 10 && i + 1 < n && s[i] == ' ' &&
	       (s[i + 1] == '[' || starts_with(s + i + 1, n - i - 1, "gp=") ||
		starts_with(s + i + 1, n - i - 1, "m="));
}

/* "[originating from goroutine N]:" (GODEBUG=tracebackancestors) */
static int is_ancestor_line(const char *s, size_t n)
{
	struct cur c = { s, s + n };
	uint64_t g;

	return eat(&c, "[originating from goroutine ") && parse_udec(&c, &g) > 0 && eat(&c, "]:") && c.p == c.end;
}

/* "...additional frames elided..." (ancestors) or "...N frames elided..." */
static int is_elided_line(const char *s, size_t n)
{
	struct cur c = { s, s + n };
	uint64_t k;

	if (!eat(&c, "..."))
		return 0;
	if (!eat(&c, "additional") && parse_udec(&c, &k) <= 0)
		return 0;
	return eat(&c, " frames elided...") && c.p == c.end;
}

/* Goroutine debug=2 dumps, and crash tracebacks (crash: the text before
 * the first goroutine header, "panic: ..." and the like, and the text
 * after the last goroutine, "exit status 2", register dumps, become the
 * profile's comments). */
static struct profile *parse_goroutine2(struct tp *t, int crash)
{
	const char *s;
	size_t n;
	struct glabels gl = { NULL, 0, 0 };
	int in_g = 0, started = 0, g_lines = 0; /* g_lines: lines after the header */
	const char *func = NULL;
	size_t funclen = 0;
	int func_inlined = 0, pending_func = 0, pending_creator = 0, have_creator = 0;
	int ancestor = 0, trailer = 0;
	int64_t one = 1;

	t->p->format = PF_FORMAT_GOROUTINE_TEXT2;
	set_count_types(t->p, "goroutine");

	for (;;) {
		int more = next_line(&t->it, &s, &n);
		int r;

		if (more) {
			while (n && is_space(s[n - 1]))
				n--;
			if (n && s[0] != '\t')
				while (n && is_space(s[0]))
					s++, n--;
		}
		if (crash && more && (trailer || !started)) {
			/* before the first goroutine, after the last */
			if (!trailer && is_g2_header_start(s, n)) {
				/* fall through: the first header */
			} else {
				if (n)
					profile_add_comment(t->p, intern_n(s, n));
				continue;
			}
		}
		if (pending_func || pending_creator) {
			const char *file = NULL;
			size_t flen;
			int64_t line;

			if (!more)
				return err_set("line %d: unexpected end of file after a %s line",
					       t->it.lineno,
					       pending_func ? "function" : "'created by'"),
				       free(gl.l), tp_fail(t);
			if (n == 0 || s[0] != '\t')
				return err_set("line %d: expected '\\tfile:line' after a %s line",
					       t->it.lineno, pending_func ? "function" : "'created by'"),
				       free(gl.l), tp_fail(t);
			if (g2_file_line(t, s + 1, n - 1, &file, &flen, &line) < 0)
				return free(gl.l), tp_fail(t);
			if (pending_func && !ancestor) {
				struct frame *f = add_frame(t);
				f->func = intern_n(func, funclen);
				f->file = intern_n(file, flen);
				f->line = line;
				f->inlined = func_inlined;
			}
			pending_func = pending_creator = 0;
			continue;
		}
		if (!more || n == 0 || is_g2_header_start(s, n) ||
		    (crash && in_g && s[0] != '\t' && !starts_with(s, n, "created by ") && !is_ancestor_line(s, n) &&
		     !is_elided_line(s, n) && g2_func_name(s, n, &func_inlined) == 0)) {
			/* A dump cut right after a goroutine's header. */
			if (!more && in_g && g_lines == 0)
				return err_set("line %d: unexpected end of file after a goroutine header",
					       t->it.lineno),
				       free(gl.l), tp_fail(t);
			if (in_g) {
				size_t nlocs = frames_to_locs(t);
				profile_add_sample(t->p, t->locs, nlocs, &one, gl.l, gl.n);
				t->nframes = 0;
				in_g = 0;
			}
			if (!more)
				break;
			if (n == 0)
				continue;
			if (!is_g2_header_start(s, n)) {
				/* crash: the text after the dump */
				trailer = 1;
				profile_add_comment(t->p, intern_n(s, n));
				continue;
			}
			r = parse_g2_header(t, s, n, &gl);
			if (r < 0)
				return free(gl.l), tp_fail(t);
			if (r == 0)
				return err_set("line %d: malformed goroutine header", t->it.lineno),
				       free(gl.l), tp_fail(t);
			in_g = 1;
			started = 1;
			have_creator = 0;
			ancestor = 0;
			g_lines = 0;
			continue;
		}
		if (!in_g) {
			if (crash) { /* text after the dump */
				trailer = 1;
				profile_add_comment(t->p, intern_n(s, n));
				continue;
			}
			return err_set("line %d: expected 'goroutine N [state]:'", t->it.lineno),
			       free(gl.l), tp_fail(t);
		}
		g_lines++;
		if (s[0] == '\t') {
			const char *q = s, *qe = s + n;
			while (q < qe && is_space(*q))
				q++;
			if (t->nframes == 0 && !have_creator &&
			    starts_with(q, (size_t)(qe - q), "goroutine running on other thread"))
				continue;
			return err_set("line %d: unexpected '\\tfile:line' line", t->it.lineno),
			       free(gl.l), tp_fail(t);
		}
		if (is_elided_line(s, n))
			continue; /* "...additional frames elided...", "...N frames elided..." */
		if (is_ancestor_line(s, n)) {
			ancestor = 1; /* its frames are the ancestor's, not this goroutine's */
			have_creator = 0;
			continue;
		}
		if (starts_with(s, n, "created by ")) {
			const char *cf = s + 11, *ce = s + n, *q;
			if (have_creator)
				return err_set("line %d: second 'created by' line", t->it.lineno),
				       free(gl.l), tp_fail(t);
			/* Go 1.21+: "created by F in goroutine N" */
			for (q = ce; q > cf; q--)
				if (*(q - 1) == ' ' && (size_t)(ce - cf) >= 14 &&
				    starts_with(q - 1, (size_t)(ce - q + 1), " in goroutine "))
					break;
			if (q > cf) {
				struct cur d = { q - 1 + 14, ce };
				uint64_t g;
				if (parse_udec(&d, &g) > 0 && d.p == d.end)
					ce = q - 1;
			}
			if (ce == cf)
				return err_set("line %d: malformed 'created by' line", t->it.lineno),
				       free(gl.l), tp_fail(t);
			if (!ancestor)
				gl_add(t, &gl, intern("created_by"), intern_n(cf, (size_t)(ce - cf)), 0, NULL);
			have_creator = 1;
			pending_creator = 1;
			continue;
		}
		if (have_creator)
			return err_set("line %d: frame after the 'created by' line", t->it.lineno),
			       free(gl.l), tp_fail(t);
		funclen = g2_func_name(s, n, &func_inlined);
		if (funclen == 0)
			return err_set("line %d: malformed function line", t->it.lineno),
			       free(gl.l), tp_fail(t);
		func = s;
		pending_func = 1;
	}
	free(gl.l);
	if (!started)
		return err_set(crash ? "no goroutines in the traceback" : "no goroutines"), tp_fail(t);
	return t->p;
}

/* ---- entry points ---- */

static const char *skip_leading_ws(const char *data, size_t len, size_t *rest)
{
	size_t i = 0;

	while (i < len && is_space(data[i]))
		i++;
	*rest = len - i;
	return data + i;
}

enum textprof_kind textprof_detect(const char *data, size_t len)
{
	size_t n;
	const char *s = skip_leading_ws(data, len, &n);
	size_t i;

	if (starts_with(s, n, "heap profile:"))
		return TEXTPROF_HEAP;
	if (starts_with(s, n, "goroutine profile: total") || starts_with(s, n, "goroutineleak profile: total"))
		return TEXTPROF_GOROUTINE1;
	if (is_g2_header_start(s, n))
		return TEXTPROF_GOROUTINE2;
	/* A crash: "panic: ...", "fatal error: ...", "SIGSEGV: ..." first,
	 * then (somewhere) goroutine headers. */
	if (starts_with(s, n, "panic: ") || starts_with(s, n, "fatal error: ") ||
	    starts_with(s, n, "runtime: ") || starts_with(s, n, "unexpected fault address")) {
		return TEXTPROF_CRASH;
	}
	if (n > 4 && s[0] == 'S' && s[1] == 'I' && s[2] == 'G') {
		for (i = 3; i < n && s[i] >= 'A' && s[i] <= 'Z'; i++)
			;
		if (i > 3 && i + 1 < n && s[i] == ':' && s[i + 1] == ' ')
			return TEXTPROF_CRASH;
	}
	return TEXTPROF_NONE;
}

struct profile *textprof_parse(const char *data, size_t len)
{
	struct tp t;
	struct profile *p;
	enum textprof_kind k = textprof_detect(data, len);

	if (k == TEXTPROF_NONE) {
		err_set("not a Go text profile");
		return NULL;
	}
	memset(&t, 0, sizeof(t));
	t.p = profile_new();
	t.it.p = data;
	t.it.end = data + len;
	t.empty = intern_empty();
	switch (k) {
	case TEXTPROF_HEAP:
		p = parse_heap(&t);
		break;
	case TEXTPROF_GOROUTINE1:
		p = parse_goroutine1(&t);
		break;
	case TEXTPROF_CRASH:
		p = parse_goroutine2(&t, 1);
		break;
	default:
		p = parse_goroutine2(&t, 0);
		break;
	}
	tp_release(&t);
	return p;
}
