/* drip leaks: what keeps growing across a series of snapshots (heap
 * profiles: allocation sites; goroutine profiles: groups of goroutines),
 * with a trend per site, a verdict, and the suspects ranked.  Exit
 * status 1 when there is a suspect. */
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "cmd.h"
#include "error.h"
#include "json.h"
#include "fetch.h"
#include "filter.h"
#include "ggroup.h"
#include "graph.h"
#include "hash.h"
#include "input.h"
#include "load.h"
#include "options.h"
#include "output.h"
#include "session.h"
#include "snapdir.h"
#include "strtab.h"
#include "trend.h"
#include "units.h"
#include "xalloc.h"

static const char usage[] =
	"usage: drip leaks [OPTIONS] FILE FILE...\n"
	"   or: drip leaks [OPTIONS] DIR...   (folders that drip watch --dir wrote)\n"
	"Find what keeps growing across two or more snapshots of one kind: heap\n"
	"profiles (per allocation site: the flat value of a node at the chosen\n"
	"granularity) or goroutine profiles (per group of goroutines with the same\n"
	"non-runtime stack).  Snapshots are ordered by the profile's time when every\n"
	"one has a time, else taken in argument order.  A folder's snapshots are\n"
	"grouped by target (the service and endpoint in their names) and each\n"
	"target is its own series, under a '== TARGET' line when there are several.\n"
	"For each site: the series,\n"
	"growth first -> last, a least-squares slope per snapshot (and per second\n"
	"when times are known), R², a verdict (growing / noisy / flat) and a\n"
	"sparkline.  A suspect is a site growing steadily; exit status 1 when there\n"
	"is one, 0 when there is none.\n"
	"Goroutines the runtime proved leaked (a goroutineleak profile, or '(leaked)'\n"
	"in a debug=2 header) need no trend: one such snapshot is enough (exit 1 when\n"
	"it has any, 0 when not), and over a series the groups with proven leaks in\n"
	"the last snapshot are ranked first.  A mix of kinds (heap and goroutine, or\n"
	"goroutine and goroutineleak) is refused.\n\n"
	"Options:\n"
	"  -i, --sample-index=T[,T...]  sample types (heap default inuse_space,\n"
	"                         inuse_objects); the first decides verdict and rank\n"
	"      --granularity=G    functions (default), filefunctions, files, lines,\n"
	"                         addresses; also --functions, --lines, ...\n"
	"      --noinlines        attribute inlined calls to their caller\n"
	"      --cum              heap: a site's cumulative value instead of flat\n"
	"      --min-growth=V     smallest growth first -> last that counts (10MB,\n"
	"                         500kB, 3); default 0 for heap, 2 goroutines\n"
	"      --min-growth-pct=P smallest growth as a percentage of the last\n"
	"                         snapshot's total (default 1)\n"
	"      --min-t=T          smallest t statistic of the slope (slope / its\n"
	"                         standard error from the fit's residuals): how\n"
	"                         steady the growth must be (default 4, 3 for heap\n"
	"                         profiles, whose sampling noise --min-z also checks)\n"
	"      --min-late=F       smallest share of the growth in the later half of\n"
	"                         the series (default 0.25)\n"
	"      --min-z=Z          heap: smallest slope over its standard error under\n"
	"                         the sampling noise of Go heap profiles (default 3)\n"
	"      --all              list every site, flat ones too (default: suspects\n"
	"                         and the 10 largest noisy ones), text and JSON\n"
	"      --ascii            sparklines in ASCII (_.-:=+*#)\n"
	"      --format=text|json output format (default text)\n"
	"  -o, --output=FILE      write to FILE instead of stdout\n"
	"      --focus, --ignore, --hide, --show=RE   sample / frame filters\n"
	"      --max-size=BYTES   refuse inputs larger than this after inflating\n"
	"      --timeout=SECONDS, --no-gc   for URL inputs, as in 'drip top'\n"
	"  -h, --help             this help\n";

enum {
	OPT_GRAN = 256,
	OPT_FUNCTIONS,
	OPT_FILEFUNCTIONS,
	OPT_FILES,
	OPT_LINES,
	OPT_ADDRESSES,
	OPT_NOINLINES,
	OPT_CUM,
	OPT_FLAT,
	OPT_MIN_GROWTH,
	OPT_MIN_GROWTH_PCT,
	OPT_MIN_T,
	OPT_MIN_LATE,
	OPT_MIN_Z,
	OPT_ALL,
	OPT_ASCII,
	OPT_FORMAT,
	OPT_FOCUS,
	OPT_IGNORE,
	OPT_HIDE,
	OPT_SHOW,
	OPT_MAX_SIZE,
	OPT_TIMEOUT,
	OPT_NO_GC,
};

static const struct option long_opts[] = {
	{ "sample-index", required_argument, NULL, 'i' },
	{ "granularity", required_argument, NULL, OPT_GRAN },
	{ "functions", no_argument, NULL, OPT_FUNCTIONS },
	{ "filefunctions", no_argument, NULL, OPT_FILEFUNCTIONS },
	{ "files", no_argument, NULL, OPT_FILES },
	{ "lines", no_argument, NULL, OPT_LINES },
	{ "addresses", no_argument, NULL, OPT_ADDRESSES },
	{ "noinlines", no_argument, NULL, OPT_NOINLINES },
	{ "cum", no_argument, NULL, OPT_CUM },
	{ "flat", no_argument, NULL, OPT_FLAT },
	{ "min-growth", required_argument, NULL, OPT_MIN_GROWTH },
	{ "min-growth-pct", required_argument, NULL, OPT_MIN_GROWTH_PCT },
	{ "min-t", required_argument, NULL, OPT_MIN_T },
	{ "min-late", required_argument, NULL, OPT_MIN_LATE },
	{ "min-z", required_argument, NULL, OPT_MIN_Z },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "ascii", no_argument, NULL, OPT_ASCII },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "focus", required_argument, NULL, OPT_FOCUS },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "hide", required_argument, NULL, OPT_HIDE },
	{ "show", required_argument, NULL, OPT_SHOW },
	{ "output", required_argument, NULL, 'o' },
	{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "no-gc", no_argument, NULL, OPT_NO_GC },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

#define NOISY_SHOWN 10

struct lopts {
	struct ropts ro;         /* filters, granularity, cum, output */
	const char *types;       /* -i list */
	const char *min_growth;  /* text, parsed once the unit is known */
	double min_growth_pct;
	struct trend_rules rules;
	bool all, ascii, json;
};

struct snap {
	const char *path;
	struct profile *p;
	struct gdump d;
	int arg; /* argument position */
};

/* One sample type of the series. */
struct stype {
	const char *name, *unit;
	int *idx;        /* per snapshot: index into its profile's types */
	int companion;   /* index into stypes of the *_objects / *_space twin, -1 */
	bool shown;      /* selected by -i (else only a companion for noise) */
	int64_t *total;  /* per snapshot */
	double floor;
};

struct site {
	const char *name;     /* interned printable name */
	const char *key;      /* interned matching key */
	double *v;            /* nstypes * nsnaps, type-major */
	struct trend *tr;     /* per type */
	enum verdict *verdict; /* per type */
	enum verdict verdict0; /* of the first type */
	/* goroutines */
	const struct ggroup *rep; /* the largest group of the latest snapshot holding it */
	size_t rep_snap;
	double *wait;         /* per snapshot max wait minutes, -1 = absent */
	const char *caller;   /* heap: the program's function (see
			       * gfunc_is_user) above a library allocation
			       * site, on its heaviest path; NULL */
	bool has_wait;
	int64_t proven;       /* goroutines of the site the runtime proved
			       * leaked, in the last snapshot */
};

struct leaks {
	struct snap *s;
	size_t n;
	bool goroutine;
	bool leakprof;        /* goroutineleak profiles */
	size_t nproven;       /* sites with proven leaks */
	bool by_time;
	struct stype *t;
	size_t nt;
	struct site *sites;
	size_t nsites, cap_sites;
	struct u64map idx;
	double rate;          /* heap sampling period in bytes; 0 unknown */
};

static void json_double(FILE *f, double v)
{
	if (isnan(v) || isinf(v))
		fputs("null", f);
	else if (v == floor(v) && fabs(v) < 1e15)
		fprintf(f, "%.0f", v);
	else
		fprintf(f, "%.10g", v);
}

static struct site *site_get(struct leaks *L, const char *key, const char *name)
{
	int ins;
	uint64_t *slot = u64map_put(&L->idx, (uint64_t)(uintptr_t)key, 0, &ins);

	if (ins) {
		struct site *s;
		xgrow(&L->sites, &L->cap_sites, L->nsites + 1, sizeof(*L->sites));
		s = &L->sites[L->nsites];
		memset(s, 0, sizeof(*s));
		s->key = key;
		s->name = name;
		s->v = xcalloc(L->nt * L->n, sizeof(double));
		*slot = L->nsites++;
	}
	return &L->sites[*slot];
}

/* Snapshot order: by profile time when every snapshot has one, else by
 * argument; ties keep argument order. */
static int cmp_snap_time(const void *a, const void *b)
{
	const struct snap *x = a, *y = b;

	if (x->p->time_nanos != y->p->time_nanos)
		return x->p->time_nanos < y->p->time_nanos ? -1 : 1;
	return x->arg - y->arg;
}

static const char *twin_name(const char *type)
{
	size_t n = strlen(type);
	struct buf b = BUF_INIT;
	const char *r = NULL;

	if (strcmp(type, "space") == 0) /* heap text with no alloc data */
		return intern("objects");
	if (strcmp(type, "objects") == 0)
		return intern("space");
	if (n > 6 && strcmp(type + n - 6, "_space") == 0)
		buf_printf(&b, "%.*s_objects", (int)(n - 6), type);
	else if (n > 8 && strcmp(type + n - 8, "_objects") == 0)
		buf_printf(&b, "%.*s_space", (int)(n - 8), type);
	if (b.data)
		r = intern(b.data);
	buf_release(&b);
	return r;
}

static int find_type(const struct profile *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->ntypes; i++)
		if (strcmp(p->types[i].type, name) == 0)
			return (int)i;
	return -1;
}

/* A Go heap text profile whose alloc numbers equal its inuse ones has
 * only "objects" and "space" (as pprof reads it), so a series may mix
 * them with inuse_objects / inuse_space: the same values. */
static int type_index(const struct profile *p, const char *name)
{
	static const char *const alias[][2] = {
		{ "inuse_space", "space" },     { "inuse_objects", "objects" },
		{ "alloc_space", "space" },     { "alloc_objects", "objects" },
		{ "space", "inuse_space" },     { "objects", "inuse_objects" },
	};
	size_t i;
	int k = find_type(p, name);

	if (k >= 0)
		return k;
	for (i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (strcmp(name, alias[i][0]) == 0 && (k = find_type(p, alias[i][1])) >= 0)
			return k;
	return profile_sample_index(p, name);
}

static int add_stype(struct leaks *L, const char *name, bool shown)
{
	size_t i;
	struct stype *t;

	for (i = 0; i < L->nt; i++)
		if (strcmp(L->t[i].name, name) == 0) {
			L->t[i].shown |= shown;
			return (int)i;
		}
	L->t = xreallocarray(L->t, L->nt + 1, sizeof(*L->t));
	t = &L->t[L->nt];
	memset(t, 0, sizeof(*t));
	t->name = intern(name);
	t->shown = shown;
	t->companion = -1;
	t->idx = xcalloc(L->n, sizeof(int));
	t->total = xcalloc(L->n, sizeof(int64_t));
	for (i = 0; i < L->n; i++) {
		int k = type_index(L->s[i].p, name);
		if (k < 0) {
			err_prefix("'%s'", L->s[i].path);
			L->nt++;
			return -1;
		}
		t->idx[i] = k;
		t->total[i] = profile_total(L->s[i].p, k);
	}
	/* name it as the last profile does ("inuse" is an alias) */
	t->name = L->s[L->n - 1].p->types[t->idx[L->n - 1]].type;
	t->unit = L->s[L->n - 1].p->types[t->idx[L->n - 1]].unit;
	L->nt++;
	return (int)L->nt - 1;
}

static void heap_callers(struct leaks *L, const struct lopts *o);

/* Heap: the sample types, their twins, and every site's values. */
static int heap_sites(struct leaks *L, const struct lopts *o)
{
	struct graph_opts go;
	size_t i, k, j;
	const struct profile *p0 = L->s[0].p;

	if (o->types) {
		char *list = xstrdup(o->types), *save = NULL, *tok;
		for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			if (add_stype(L, tok, true) < 0) {
				free(list);
				return -1;
			}
		free(list);
	} else if (type_index(p0, "inuse_space") >= 0 && type_index(p0, "inuse_objects") >= 0) {
		if (add_stype(L, "inuse_space", true) < 0 || add_stype(L, "inuse_objects", true) < 0)
			return -1;
	} else if (add_stype(L, "", true) < 0) {
		return -1;
	}
	if (L->nt == 0)
		return err_set("no sample type given");
	/* twins, for the sampling-noise estimate */
	for (i = 0, k = L->nt; i < k; i++) {
		const char *tw = twin_name(L->t[i].name);
		if (tw && type_index(p0, tw) >= 0) {
			int c = add_stype(L, tw, false);
			if (c < 0)
				return -1;
			L->t[i].companion = c;
		}
	}
	for (i = 0; i < L->nt; i++)
		if (L->t[i].companion < 0) {
			const char *tw = twin_name(L->t[i].name);
			for (k = 0; tw && k < L->nt; k++)
				if (L->t[k].name == tw)
					L->t[i].companion = (int)k;
		}
	/* the sampling period, when it is in bytes (Go heap profiles) */
	L->rate = strcmp(p0->period_type.unit, "bytes") == 0 && p0->period > 1 ? (double)p0->period : 0;
	for (i = 1; i < L->n; i++)
		if ((double)L->s[i].p->period != L->rate)
			L->rate = 0;

	memset(&go, 0, sizeof(go));
	go.mean_index = -1;
	go.gran = o->ro.r.gran;
	go.noinlines = o->ro.r.noinlines;
	for (j = 0; j < L->n; j++) {
		struct graph *g;
		go.sample_index = L->t[0].idx[j];
		g = graph_new(L->s[j].p, &go);
		for (k = 0; k < L->nt; k++) {
			g->opts.sample_index = L->t[k].idx[j];
			graph_accumulate(g, true);
			for (i = 0; i < g->norder; i++) {
				const struct gnode *nd = &g->nodes[g->order[i]];
				int64_t v = o->ro.r.cum ? gnode_cum(nd) : gnode_flat(nd);
				struct site *s;
				if (v == 0)
					continue;
				s = site_get(L, nd->pname, nd->pname);
				s->v[k * L->n + j] += (double)v;
			}
		}
		graph_free(g);
	}
	heap_callers(L, o);
	return 0;
}

/* Heap sites in the standard library (bytes.growSlice, bufio.NewReaderSize)
 * say little on their own: name the program's function that called
 * them, the one with the most of the site's value in the last snapshot.
 * Function granularity only (a site is then a function name). */
struct callsum {
	const char *site, *caller;
	int64_t v;
};

static void heap_callers(struct leaks *L, const struct lopts *o)
{
	const struct profile *p = L->s[L->n - 1].p;
	int si = L->t[0].idx[L->n - 1];
	struct u64map ix = U64MAP_INIT;
	struct callsum *cs = NULL;
	size_t ncs = 0, cap = 0, i, k, f;

	if (o->ro.r.gran != GRAN_FUNCTIONS || o->ro.r.cum)
		return;
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *sm = &p->samples[i];
		const uint32_t *st = pf_stack(p, sm);
		const char *site = NULL, *caller = NULL;
		int64_t v = pf_values(p, i)[si];
		bool first = true;

		if (v <= 0 || !sm->nlocs)
			continue;
		for (k = 0; k < sm->nlocs && !caller; k++) {
			const struct pf_location *loc = &p->locations[st[k]];
			for (f = 0; f < loc->nlines && !caller; f++) {
				const struct pf_line *ln = &p->lines[loc->line_start + f];
				const char *fn = ln->function == PF_NONE ? "" : p->functions[ln->function].name;
				if (first) {
					site = fn;
					first = false;
					if (gfunc_is_user(fn))
						break; /* the site is the program's own */
				} else if (gfunc_is_user(fn)) {
					caller = fn;
				}
			}
			if (site && gfunc_is_user(site))
				break;
		}
		if (!site || !caller)
			continue;
		{
			int ins;
			uint64_t key = hash_combine((uint64_t)(uintptr_t)site, (uint64_t)(uintptr_t)caller);
			uint64_t *slot = u64map_put(&ix, key, 0, &ins);
			if (ins) {
				xgrow(&cs, &cap, ncs + 1, sizeof(*cs));
				cs[ncs].site = site;
				cs[ncs].caller = caller;
				cs[ncs].v = 0;
				*slot = ncs++;
			}
			if (cs[*slot].site == site && cs[*slot].caller == caller)
				cs[*slot].v = sat_add(cs[*slot].v, v);
		}
	}
	for (i = 0; i < L->nsites; i++) {
		struct site *st = &L->sites[i];
		int64_t best = 0;
		for (k = 0; k < ncs; k++)
			if (cs[k].site == st->name &&
			    (cs[k].v > best || (cs[k].v == best && best > 0 && strcmp(cs[k].caller, st->caller) < 0))) {
				best = cs[k].v;
				st->caller = cs[k].caller;
			}
	}
	free(cs);
	u64map_release(&ix);
}

/* Goroutines: one site per matching key: the non-runtime function
 * names only.  Not the state (a goroutine may be runnable in one dump
 * and blocked in the next) nor the labels (a request id label would
 * make every leaked goroutine a group of one). */
static int goroutine_sites(struct leaks *L)
{
	size_t i, j;
	struct stype *t;

	for (j = 0; j < L->n; j++) {
		if (gdump_build(L->s[j].p, &L->s[j].d) < 0) {
			err_prefix("'%s'", L->s[j].path);
			return -1;
		}
	}
	L->t = xcalloc(1, sizeof(*L->t));
	L->nt = 1;
	t = &L->t[0];
	t->name = intern("goroutine");
	t->unit = intern("count");
	t->companion = -1;
	t->shown = true;
	t->idx = xcalloc(L->n, sizeof(int));
	t->total = xcalloc(L->n, sizeof(int64_t));
	for (j = 0; j < L->n; j++) {
		const struct gdump *d = &L->s[j].d;
		t->total[j] = d->total;
		for (i = 0; i < d->ngroups; i++) {
			const struct ggroup *g = &d->groups[i];
			struct site *s = site_get(L, ggroup_match_key(g, false, false), g->name);
			s->v[j] += (double)g->count;
			if (g->leaked && j == L->n - 1)
				s->proven += g->count;
			/* groups are sorted by count: the largest of the
			 * latest dump holding the site represents it */
			if (!s->rep || s->rep_snap != j) {
				s->rep = g;
				s->rep_snap = j;
				s->name = g->name;
			}
			if (!s->wait) {
				size_t k;
				s->wait = xcalloc(L->n, sizeof(double));
				for (k = 0; k < L->n; k++)
					s->wait[k] = -1;
			}
			if (g->has_wait) {
				s->has_wait = true;
				if ((double)g->wait_max > s->wait[j])
					s->wait[j] = (double)g->wait_max;
			} else if (s->wait[j] < 0) {
				s->wait[j] = 0;
			}
		}
	}
	return 0;
}

/* Sampling noise (standard deviation) of a heap value: Go samples an
 * allocation of s bytes with probability p = 1 - exp(-s/rate) and
 * scales it by 1/p, so n objects of s bytes estimate n*s bytes with
 * variance n*s²*(1-p)/p (bytes) and n*(1-p)/p (objects).  s is the
 * site's mean object size (space / objects). */
static double noise_sd(const struct leaks *L, const struct site *s, size_t k, size_t j)
{
	const struct stype *t = &L->t[k];
	double v = s->v[k * L->n + j], space, objects, size, p;
	bool is_space;

	if (L->rate <= 0 || t->companion < 0 || v <= 0)
		return 0;
	is_space = strcmp(t->unit, "bytes") == 0;
	space = is_space ? v : s->v[(size_t)t->companion * L->n + j];
	objects = is_space ? s->v[(size_t)t->companion * L->n + j] : v;
	if (space <= 0 || objects <= 0)
		return 0;
	size = space / objects;
	p = 1 - exp(-size / L->rate);
	if (p <= 0)
		return 0;
	return is_space ? sqrt(objects * size * size * (1 - p) / p) : sqrt(objects * (1 - p) / p);
}

static int parse_growth(const char *s, const char *unit, double *out)
{
	double v;
	const char *kind;

	if (units_parse_value(s, &v, &kind) < 0 || v < 0)
		return -1;
	if (*kind && strcmp(kind, "bytes") == 0 && strcmp(unit, "bytes") != 0)
		return -1;
	*out = v;
	return 0;
}

static void analyse(struct leaks *L, const struct lopts *o, const double *min_growth)
{
	int64_t *times = NULL;
	double *sd = xcalloc(L->n, sizeof(double));
	size_t i, j, k;

	if (L->by_time) {
		times = xcalloc(L->n, sizeof(int64_t));
		for (j = 0; j < L->n; j++)
			times[j] = L->s[j].p->time_nanos;
	}
	for (k = 0; k < L->nt; k++) {
		double pct = o->min_growth_pct / 100.0 * (double)L->t[k].total[L->n - 1];
		L->t[k].floor = pct > min_growth[k] ? pct : min_growth[k];
	}
	for (i = 0; i < L->nsites; i++) {
		struct site *s = &L->sites[i];
		s->tr = xcalloc(L->nt, sizeof(*s->tr));
		s->verdict = xcalloc(L->nt, sizeof(*s->verdict));
		for (k = 0; k < L->nt; k++) {
			bool noisy = false;
			for (j = 0; j < L->n; j++) {
				sd[j] = noise_sd(L, s, k, j);
				noisy |= sd[j] > 0;
			}
			trend_compute(&s->v[k * L->n], times, noisy ? sd : NULL, L->n, &s->tr[k]);
			s->verdict[k] = trend_verdict(&s->tr[k], &o->rules, L->t[k].floor);
		}
		s->verdict0 = s->verdict[0];
	}
	free(sd);
	free(times);
}

static int cmp_site(const void *a, const void *b)
{
	const struct site *x = a, *y = b;
	int c;

	if ((x->proven > 0) != (y->proven > 0))
		return x->proven > 0 ? -1 : 1; /* proven leaks first */
	if (x->proven != y->proven)
		return x->proven > y->proven ? -1 : 1;
	if (x->verdict0 != y->verdict0)
		return x->verdict0 > y->verdict0 ? -1 : 1;
	if (x->tr[0].rise != y->tr[0].rise)
		return x->tr[0].rise > y->tr[0].rise ? -1 : 1;
	if (x->tr[0].growth != y->tr[0].growth)
		return x->tr[0].growth > y->tr[0].growth ? -1 : 1;
	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return strcmp(x->key, y->key);
}

static void fmt_val(double v, const char *unit, char *out, size_t n)
{
	units_label((int64_t)llround(v), unit, "auto", out, n);
}

static void fmt_delta(double v, const char *unit, char *out, size_t n)
{
	char t[48];

	fmt_val(v, unit, t, sizeof(t));
	snprintf(out, n, "%s%s", v > 0 && llround(v) != 0 ? "+" : "", t);
}

static void time_str(int64_t nanos, char *out, size_t n)
{
	time_t t = (time_t)(nanos / 1000000000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static bool wait_grows(const struct leaks *L, const struct site *s)
{
	size_t j, first = L->n, last = L->n;

	if (!s->has_wait)
		return false;
	for (j = 0; j < L->n; j++)
		if (s->wait[j] >= 0) {
			if (first == L->n)
				first = j;
			last = j;
		}
	return first < last && s->wait[last] > s->wait[first];
}

static void text_site(const struct leaks *L, const struct lopts *o, const struct site *s, size_t rank, FILE *f)
{
	struct buf sp = BUF_INIT;
	char g[64], a[64], b[64], sl[64], ss[80], tt[32];
	size_t k, j;

	for (k = 0; k < L->nt; k++) {
		const struct trend *t = &s->tr[k];
		const char *u = L->t[k].unit;
		if (!L->t[k].shown)
			continue;
		buf_reset(&sp);
		sparkline(&s->v[k * L->n], L->n, o->ascii, &sp);
		for (j = L->n; j < 5; j++)
			buf_putc(&sp, ' ');
		fmt_delta(t->growth, u, g, sizeof(g));
		fmt_val(t->first, u, a, sizeof(a));
		fmt_val(t->last, u, b, sizeof(b));
		fmt_delta(t->slope, u, sl, sizeof(sl));
		if (t->has_rate) {
			char r[64];
			fmt_delta(t->slope_sec, u, r, sizeof(r));
			snprintf(ss, sizeof(ss), "%s/s", r);
		} else {
			snprintf(ss, sizeof(ss), "-");
		}
		if (k == 0)
			fprintf(f, "%4zu  %-8s", rank, verdict_name(s->verdict[k]));
		else
			fprintf(f, "      %-8s", verdict_name(s->verdict[k]));
		if (isinf(t->t))
			snprintf(tt, sizeof(tt), "exact");
		else
			snprintf(tt, sizeof(tt), "%.1f", t->t);
		fprintf(f, " %10s %9s %9s %10s %12s %5.2f %6s  %s  %s%s\n", g, a, b, sl, ss, t->r2, tt, sp.data ? sp.data : "",
			k == 0 ? s->name : "  ", k == 0 ? "" : L->t[k].name);
	}
	buf_release(&sp);
	if (!L->goroutine && s->caller && (s->verdict0 != VERDICT_FLAT || o->all))
		fprintf(f, "      allocated for %s\n", s->caller);
	if (s->proven)
		fprintf(f, "      LEAKED (proven by the runtime): %" PRId64 " goroutine%s in the last snapshot can never run again\n",
			s->proven, s->proven == 1 ? "" : "s");
	if (L->goroutine && s->rep && (s->verdict0 != VERDICT_FLAT || s->proven || o->all)) {
		const struct ggroup *r = s->rep;
		fprintf(f, "      blocks in: %s", r->blocks ? r->blocks : "?");
		if (r->created_by)
			fprintf(f, "; created by %s", r->created_by);
		else if (r->entry)
			fprintf(f, "; started in %s", r->entry);
		if (*r->labels)
			fprintf(f, "; labels: %s", r->labels);
		if (s->has_wait) {
			fprintf(f, "; wait (max minutes):");
			for (j = 0; j < L->n; j++) {
				if (s->wait[j] < 0)
					fprintf(f, " -");
				else
					fprintf(f, " %.0f", s->wait[j]);
			}
			fprintf(f, wait_grows(L, s) ? " (grows: the same goroutines stay blocked)" : " (does not grow)");
		}
		fputc('\n', f);
	}
}

static void text_report(const struct leaks *L, const struct lopts *o, size_t nsusp, size_t nnoisy, FILE *f)
{
	size_t i, j, k, shown_noisy = 0;
	char a[64];

	fprintf(f, "Snapshots: %zu %s profile%s, ordered by %s\n", L->n,
		L->leakprof ? "goroutineleak" : L->goroutine ? "goroutine" : "heap", L->n == 1 ? "" : "s",
		L->by_time ? "profile time" : "argument order");
	for (j = 0; j < L->n; j++) {
		fprintf(f, "  %zu  %s", j + 1, L->s[j].path);
		if (L->by_time) {
			time_str(L->s[j].p->time_nanos, a, sizeof(a));
			fprintf(f, "  %s +%.3fs", a, (double)(L->s[j].p->time_nanos - L->s[0].p->time_nanos) / 1e9);
		}
		fputc('\n', f);
	}
	fprintf(f, "Types:");
	for (k = 0; k < L->nt; k++)
		if (L->t[k].shown) {
			fmt_val(L->t[k].floor, L->t[k].unit, a, sizeof(a));
			fprintf(f, "%s %s (floor %s)", k ? "," : "", L->t[k].name, a);
		}
	fprintf(f, "\nRules: growing = growth >= floor, >= %.0f%% of the growth in the later half, ", o->rules.min_late * 100);
	if (!L->goroutine && L->rate > 0)
		fprintf(f, "slope t >= %g and >= %g sampling sd (rate %.0f bytes)", o->rules.min_t_sampled, o->rules.min_z,
			L->rate);
	else
		fprintf(f, "slope t >= %g", o->rules.min_t);
	fprintf(f, "\n");
	if (L->goroutine)
		fprintf(f, "Goroutines:");
	else
		fprintf(f, "Total %s:", L->t[0].name);
	for (j = 0; j < L->n; j++) {
		fmt_val((double)L->t[0].total[j], L->t[0].unit, a, sizeof(a));
		fprintf(f, " %s", a);
	}
	fprintf(f, "\n\n");
	if (L->nproven)
		fprintf(f, "%zu proven leak%s (goroutines the runtime proved can never run again), ranked first\n",
			L->nproven, L->nproven == 1 ? "" : "s");
	fprintf(f, "%zu suspect%s (growing steadily%s), %zu noisy, %zu flat; %zu %s\n", nsusp,
		nsusp == 1 ? "" : "s", L->nproven ? " or proven" : "", nnoisy, L->nsites - nsusp - nnoisy, L->nsites,
		L->goroutine ? (L->nsites == 1 ? "goroutine group" : "goroutine groups") : (L->nsites == 1 ? "site" : "sites"));
	if (nsusp || nnoisy || L->nproven || o->all) {
		fprintf(f, "\n%4s  %-8s %10s %9s %9s %10s %12s %6s %6s  %-*s  %s\n", "rank", "verdict", "growth", "first", "last",
			"slope", "slope/time", "R²", "t", L->n > 5 ? (int)L->n : 5, "trend", L->goroutine ? "goroutines in" : "site");
	}
	for (i = 0; i < L->nsites; i++) {
		const struct site *s = &L->sites[i];
		if (s->verdict0 == VERDICT_FLAT && !s->proven && !o->all)
			break;
		if (s->verdict0 == VERDICT_NOISY && !s->proven && !o->all && shown_noisy++ >= NOISY_SHOWN) {
			fprintf(f, "   ... %zu more noisy (--all lists them)\n", nnoisy - NOISY_SHOWN);
			break;
		}
		text_site(L, o, s, i + 1, f);
	}
}

static void json_series(const struct leaks *L, const struct lopts *o, const struct site *s, size_t k, FILE *f)
{
	const struct trend *t = &s->tr[k];
	struct buf sp = BUF_INIT;
	size_t j;

	fprintf(f, "{\"type\":");
	json_escape(f, L->t[k].name);
	fprintf(f, ",\"unit\":");
	json_escape(f, L->t[k].unit);
	fprintf(f, ",\"values\":[");
	for (j = 0; j < L->n; j++) {
		fputs(j ? "," : "", f);
		json_double(f, s->v[k * L->n + j]);
	}
	fprintf(f, "],\"verdict\":\"%s\",\"growth\":", verdict_name(s->verdict[k]));
	json_double(f, t->growth);
	fprintf(f, ",\"growth_ratio\":");
	json_double(f, t->first > 0 ? t->last / t->first : NAN);
	fprintf(f, ",\"slope_per_snapshot\":");
	json_double(f, t->slope);
	fprintf(f, ",\"slope_per_second\":");
	json_double(f, t->has_rate ? t->slope_sec : NAN);
	fprintf(f, ",\"r2\":");
	json_double(f, t->r2);
	fprintf(f, ",\"t\":");
	json_double(f, t->t);
	fprintf(f, ",\"steps_up\":%d,\"steps_down\":%d,\"late_share\":", t->up, t->down);
	json_double(f, t->late);
	fprintf(f, ",\"noise_z\":");
	json_double(f, t->z > 0 ? t->z : NAN);
	sparkline(&s->v[k * L->n], L->n, o->ascii, &sp);
	fprintf(f, ",\"sparkline\":");
	json_escape(f, sp.data ? sp.data : "");
	fputc('}', f);
	buf_release(&sp);
}

static void json_report(const struct leaks *L, const struct lopts *o, size_t nsusp, size_t nnoisy, FILE *f)
{
	size_t i, j, k, shown_noisy = 0;
	bool first;

	fprintf(f, "{\"schema\":\"drip.leaks/1\",\"kind\":\"%s\",\"order\":\"%s\",\"proven\":%zu,\"snapshots\":[",
		L->leakprof ? "goroutineleak" : L->goroutine ? "goroutine" : "heap", L->by_time ? "time" : "arguments",
		L->nproven);
	for (j = 0; j < L->n; j++) {
		fprintf(f, "%s{\"file\":", j ? "," : "");
		json_escape(f, L->s[j].path);
		fprintf(f, ",\"time_nanos\":%" PRId64 "}", L->s[j].p->time_nanos);
	}
	fprintf(f, "],\"sample_types\":[");
	for (k = 0, first = true; k < L->nt; k++) {
		if (!L->t[k].shown)
			continue;
		fprintf(f, "%s{\"type\":", first ? "" : ",");
		first = false;
		json_escape(f, L->t[k].name);
		fprintf(f, ",\"unit\":");
		json_escape(f, L->t[k].unit);
		fprintf(f, ",\"floor\":");
		json_double(f, L->t[k].floor);
		fprintf(f, ",\"totals\":[");
		for (j = 0; j < L->n; j++)
			fprintf(f, "%s%" PRId64, j ? "," : "", L->t[k].total[j]);
		fprintf(f, "]}");
	}
	fprintf(f, "],\"rules\":{\"min_growth_pct\":");
	json_double(f, o->min_growth_pct);
	fprintf(f, ",\"min_t\":");
	json_double(f, o->rules.min_t);
	fprintf(f, ",\"min_t_sampled\":");
	json_double(f, o->rules.min_t_sampled);
	fprintf(f, ",\"min_late\":");
	json_double(f, o->rules.min_late);
	fprintf(f, ",\"min_z\":");
	json_double(f, o->rules.min_z);
	fprintf(f, ",\"sampling_rate\":");
	json_double(f, L->rate);
	fprintf(f, "},\"suspects\":%zu,\"noisy\":%zu,\"sites\":[", nsusp, nnoisy);
	for (i = 0, first = true; i < L->nsites; i++) {
		const struct site *s = &L->sites[i];
		if (s->verdict0 == VERDICT_FLAT && !s->proven && !o->all)
			break;
		if (s->verdict0 == VERDICT_NOISY && !s->proven && !o->all && shown_noisy++ >= NOISY_SHOWN)
			break;
		fprintf(f, "%s{\"rank\":%zu,\"name\":", first ? "" : ",", i + 1);
		first = false;
		json_escape(f, s->name);
		fprintf(f, ",\"verdict\":\"%s\",\"suspect\":%s,\"proven_leaked\":%" PRId64, verdict_name(s->verdict0),
			s->verdict0 == VERDICT_GROWING || s->proven ? "true" : "false", s->proven);
		if (L->goroutine && s->rep) {
			const struct ggroup *r = s->rep;
			fprintf(f, ",\"blocks\":");
			if (r->blocks)
				json_escape(f, r->blocks);
			else
				fputs("null", f);
			fprintf(f, ",\"created_by\":");
			if (r->created_by)
				json_escape(f, r->created_by);
			else
				fputs("null", f);
			fprintf(f, ",\"entry\":");
			if (r->entry)
				json_escape(f, r->entry);
			else
				fputs("null", f);
			fprintf(f, ",\"wait_max_minutes\":");
			if (s->has_wait) {
				fputc('[', f);
				for (j = 0; j < L->n; j++) {
					fputs(j ? "," : "", f);
					json_double(f, s->wait[j] < 0 ? NAN : s->wait[j]);
				}
				fprintf(f, "],\"wait_grows\":%s", wait_grows(L, s) ? "true" : "false");
			} else {
				fputs("null,\"wait_grows\":null", f);
			}
		}
		if (!L->goroutine) {
			fprintf(f, ",\"called_from\":");
			if (s->caller)
				json_escape(f, s->caller);
			else
				fputs("null", f);
		}
		fprintf(f, ",\"series\":[");
		for (k = 0, j = 0; k < L->nt; k++) {
			if (!L->t[k].shown)
				continue;
			fputs(j++ ? "," : "", f);
			json_series(L, o, s, k, f);
		}
		fprintf(f, "]}");
	}
	fprintf(f, "]}\n");
}

static int parse_frac(const char *s, const char *name, double *out, double max)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || !(v >= 0) || v > max) {
		fprintf(stderr, "drip leaks: invalid value '%s' for --%s\n", s, name);
		return -1;
	}
	*out = v;
	return 0;
}

int cmd_leaks(int argc, char **argv)
{
	struct lopts o;
	struct leaks L;
	struct output out;
	double *min_growth = NULL;
	size_t i, j, nsusp = 0, nnoisy = 0;
	int c, rc = EXIT_OK, ngor = 0, nleak = 0, nheap = 0;

	/* Folders (drip watch --dir) become one run per target. */
	if ((rc = snapdir_leaks(argc, argv)) >= 0)
		return rc;
	rc = EXIT_OK;
	memset(&o, 0, sizeof(o));
	memset(&L, 0, sizeof(L));
	ropts_init(&o.ro);
	o.min_growth_pct = 1.0;
	trend_rules_default(&o.rules);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:o:h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'i': o.types = optarg; break;
		case OPT_GRAN: {
			int g = granularity_parse(optarg);
			if (g < 0) {
				fprintf(stderr, "drip leaks: unknown granularity '%s' (want functions, filefunctions, files, lines or addresses)\n",
					optarg);
				return EXIT_TROUBLE;
			}
			o.ro.r.gran = (enum granularity)g;
			break;
		}
		case OPT_FUNCTIONS: o.ro.r.gran = GRAN_FUNCTIONS; break;
		case OPT_FILEFUNCTIONS: o.ro.r.gran = GRAN_FILEFUNCTIONS; break;
		case OPT_FILES: o.ro.r.gran = GRAN_FILES; break;
		case OPT_LINES: o.ro.r.gran = GRAN_LINES; break;
		case OPT_ADDRESSES: o.ro.r.gran = GRAN_ADDRESSES; break;
		case OPT_NOINLINES: o.ro.r.noinlines = true; break;
		case OPT_CUM: o.ro.r.cum = true; break;
		case OPT_FLAT: o.ro.r.cum = false; break;
		case OPT_MIN_GROWTH: o.min_growth = optarg; break;
		case OPT_MIN_GROWTH_PCT:
			if (parse_frac(optarg, "min-growth-pct", &o.min_growth_pct, 1e9) < 0)
				return EXIT_TROUBLE;
			break;
		case OPT_MIN_T:
			if (parse_frac(optarg, "min-t", &o.rules.min_t, 1e9) < 0)
				return EXIT_TROUBLE;
			o.rules.min_t_sampled = o.rules.min_t;
			break;
		case OPT_MIN_LATE:
			if (parse_frac(optarg, "min-late", &o.rules.min_late, 1) < 0)
				return EXIT_TROUBLE;
			break;
		case OPT_MIN_Z:
			if (parse_frac(optarg, "min-z", &o.rules.min_z, 1e9) < 0)
				return EXIT_TROUBLE;
			break;
		case OPT_ALL: o.all = true; break;
		case OPT_ASCII: o.ascii = true; break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "json"))
				o.json = true;
			else if (!strcmp(optarg, "text"))
				o.json = false;
			else {
				fprintf(stderr, "drip leaks: unknown format '%s' (want text or json)\n", optarg);
				return EXIT_TROUBLE;
			}
			break;
		case OPT_FOCUS: o.ro.r.filter.focus = optarg; break;
		case OPT_IGNORE: o.ro.r.filter.ignore = optarg; break;
		case OPT_HIDE: o.ro.r.filter.hide = optarg; break;
		case OPT_SHOW: o.ro.r.filter.show = optarg; break;
		case 'o': o.ro.output = optarg; break;
		case OPT_MAX_SIZE:
			if (opt_max_size("leaks", optarg) < 0)
				return EXIT_TROUBLE;
			break;
		case OPT_TIMEOUT:
			if (opt_timeout("leaks", optarg) < 0)
				return EXIT_TROUBLE;
			break;
		case OPT_NO_GC: fetch_set_gc(false); break;
		case 'h': fputs(usage, stdout); return EXIT_OK;
		default:
			if (optopt && optopt < 256)
				fprintf(stderr, "drip leaks: unknown option '-%c'\n", optopt);
			else
				fprintf(stderr, "drip leaks: unknown or incomplete option '%s'\n", argv[optind - 1]);
			fprintf(stderr, "Try 'drip leaks --help'.\n");
			return EXIT_TROUBLE;
		}
	}
	if (argc - optind < 1) {
		fprintf(stderr, "drip leaks: give two or more snapshots (or one goroutineleak profile)\nTry 'drip leaks --help'.\n");
		return EXIT_TROUBLE;
	}
	L.n = (size_t)(argc - optind);
	L.s = xcalloc(L.n, sizeof(*L.s));
	L.by_time = true;
	for (j = 0; j < L.n; j++) {
		struct snap *s = &L.s[j];
		s->path = argv[optind + (int)j];
		s->arg = (int)j;
		s->p = load_profile(s->path);
		if (!s->p || filter_apply(s->p, &o.ro.r.filter) < 0) {
			err_print();
			rc = EXIT_TROUBLE;
			goto done;
		}
		switch (profile_kind(s->p)) {
		case PF_KIND_GOROUTINE: ngor++; break;
		case PF_KIND_GOROUTINELEAK: nleak++; break;
		case PF_KIND_HEAP: nheap++; break;
		default: break;
		}
		if (!s->p->time_nanos)
			L.by_time = false;
	}
	if ((ngor || nleak) && (size_t)(ngor + nleak) != L.n) {
		fprintf(stderr, "drip: error: snapshots of different kinds: %d goroutine profile%s and %zu %s profile%s; give one kind\n",
			ngor + nleak, ngor + nleak == 1 ? "" : "s", L.n - (size_t)(ngor + nleak),
			nheap ? "heap" : "other", L.n - (size_t)(ngor + nleak) == 1 ? "" : "s");
		rc = EXIT_TROUBLE;
		goto done;
	}
	if (ngor && nleak) {
		fprintf(stderr, "drip: error: snapshots of different kinds: %d goroutine profile%s (all goroutines) and %d goroutineleak profile%s (only the leaked ones); give one kind\n",
			ngor, ngor == 1 ? "" : "s", nleak, nleak == 1 ? "" : "s");
		rc = EXIT_TROUBLE;
		goto done;
	}
	L.goroutine = ngor != 0 || nleak != 0;
	L.leakprof = nleak != 0;
	if (L.n == 1 && !L.goroutine) {
		fprintf(stderr, "drip leaks: give two or more snapshots (one is enough only for a goroutineleak profile or a goroutine dump marking leaked goroutines)\nTry 'drip leaks --help'.\n");
		rc = EXIT_TROUBLE;
		goto done;
	}
	if (L.by_time)
		qsort(L.s, L.n, sizeof(*L.s), cmp_snap_time);
	if ((L.goroutine ? goroutine_sites(&L) : heap_sites(&L, &o)) < 0) {
		err_print();
		rc = EXIT_TROUBLE;
		goto done;
	}
	min_growth = xcalloc(L.nt, sizeof(double));
	for (i = 0; i < L.nt; i++) {
		if (o.min_growth) {
			if (parse_growth(o.min_growth, L.t[i].unit, &min_growth[i]) < 0) {
				fprintf(stderr, "drip leaks: invalid value '%s' for --min-growth (a %s value)\n", o.min_growth,
					L.t[i].unit);
				rc = EXIT_TROUBLE;
				goto done;
			}
			if (strcmp(L.t[i].unit, "bytes") != 0 && i != 0)
				min_growth[i] = 0; /* a byte floor means nothing to counts */
		} else {
			min_growth[i] = L.goroutine ? 2 : 0;
		}
	}
	analyse(&L, &o, min_growth);
	if (L.nsites)
		qsort(L.sites, L.nsites, sizeof(*L.sites), cmp_site);
	for (i = 0; i < L.nsites; i++) {
		if (L.sites[i].proven)
			L.nproven++;
		if (L.sites[i].verdict0 == VERDICT_GROWING || L.sites[i].proven)
			nsusp++;
		else if (L.sites[i].verdict0 == VERDICT_NOISY)
			nnoisy++;
	}
	if (output_open(&out, o.ro.output) < 0) {
		err_print();
		rc = EXIT_TROUBLE;
		goto done;
	}
	if (o.json)
		json_report(&L, &o, nsusp, nnoisy, out.f);
	else
		text_report(&L, &o, nsusp, nnoisy, out.f);
	if (output_close(&out, 1) < 0) {
		err_print();
		rc = EXIT_TROUBLE;
		goto done;
	}
	rc = nsusp ? EXIT_FINDING : EXIT_OK;
done:
	for (i = 0; i < L.nsites; i++) {
		free(L.sites[i].v);
		free(L.sites[i].tr);
		free(L.sites[i].verdict);
		free(L.sites[i].wait);
	}
	free(L.sites);
	u64map_release(&L.idx);
	for (i = 0; i < L.nt; i++) {
		free(L.t[i].idx);
		free(L.t[i].total);
	}
	free(L.t);
	for (j = 0; j < L.n; j++) {
		gdump_free(&L.s[j].d);
		profile_free(L.s[j].p);
	}
	free(L.s);
	free(min_growth);
	return rc;
}
