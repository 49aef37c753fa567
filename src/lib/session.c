#include "session.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diff.h"
#include "error.h"
#include "fetch.h"
#include "filter.h"
#include "load.h"
#include "merge.h"
#include "strtab.h"
#include "xalloc.h"

static bool plain_files(const char *const *files, int n);
static bool want_thread(int threads);

/* Loading part of a list of files on a thread of its own. */
struct part_load {
	const char *const *files;
	struct profile **ps;
	int from, to;
	const struct source_opts *so;
	unsigned flags;
	int failed;     /* the index that failed, or -1 */
	char err[4096]; /* its message */
};

static void *part_load_run(void *arg)
{
	struct part_load *l = arg;
	int i;

	l->failed = -1;
	for (i = l->from; i < l->to; i++)
		if (!(l->ps[i] = load_profile_from(l->files[i], l->so, l->flags))) {
			l->failed = i;
			snprintf(l->err, sizeof(l->err), "%s", err_msg());
			break;
		}
	return NULL;
}

/* files[0..n) merged; threads as load_opts.diff_threads (0: one thread).
 * With a second thread the later half of the files is decoded there
 * (plain files only: not stdin, not URLs); the profiles, their order and
 * the message of the first file that fails, in argument order, are the
 * same as loading them one by one. */
static struct profile *load_merged(const char *const *files, int n, const struct source_opts *so, unsigned flags,
				   int threads)
{
	struct profile **ps, *p;
	struct part_load hi;
	pthread_t t;
	bool threaded = false;
	int i, failed;

	if (n <= 0) {
		err_set("no profile given");
		return NULL;
	}
	ps = xcalloc((size_t)n, sizeof(*ps));
	memset(&hi, 0, sizeof(hi));
	hi.files = files;
	hi.ps = ps;
	hi.from = n / 2;
	hi.to = n;
	hi.so = so;
	hi.flags = flags;
	hi.failed = -1;
	if (n >= 2 && threads != 0 && want_thread(threads) && plain_files(files, n))
		threaded = pthread_create(&t, NULL, part_load_run, &hi) == 0;
	failed = -1;
	for (i = 0; i < (threaded ? hi.from : n); i++)
		if (!(ps[i] = load_profile_from(files[i], so, flags))) {
			failed = i;
			break;
		}
	if (threaded) {
		pthread_join(t, NULL);
		if (failed < 0 && hi.failed >= 0) {
			failed = hi.failed;
			err_set("%s", hi.err);
		}
	}
	if (failed >= 0)
		goto fail;
	if (n == 1) {
		p = ps[0];
	} else {
		p = profile_merge_consume(ps, (size_t)n); /* ps are freed below */
		if (!p)
			goto fail;
		if (profile_check_values(p) < 0) {
			err_prefix("cannot merge the profiles");
			profile_free(p);
			goto fail;
		}
		for (i = 0; i < n; i++)
			profile_free(ps[i]);
	}
	free(ps);
	return p;
fail:
	for (i = 0; i < n; i++)
		profile_free(ps[i]);
	free(ps);
	return NULL;
}

struct profile *session_load_merged(const char *const *files, int n, const struct source_opts *so,
				    unsigned flags)
{
	return load_merged(files, n, so, flags, 0);
}

/* What session_load does after the inputs are combined: the comment,
 * the unfiltered totals, the filters.  Frees p on failure. */
static struct profile *session_finish(struct profile *p, const struct load_opts *o, const struct report_opts *ro)
{
	int i;

	if (o->add_comment && *o->add_comment)
		profile_add_comment(p, intern(o->add_comment));
	/* pprof takes its report total before it filters (see profile.h);
	 * keep every type's total for report_init. */
	free(p->unfiltered_totals);
	p->unfiltered_totals = xreallocarray(NULL, p->ntypes ? p->ntypes : 1, sizeof(int64_t));
	for (i = 0; i < (int)p->ntypes; i++)
		p->unfiltered_totals[i] = profile_report_total(p, i);
	if (filter_apply(p, &ro->filter) < 0) {
		profile_free(p);
		return NULL;
	}
	return p;
}

struct profile *session_load(const char *const *files, int n, const struct load_opts *o,
			     const struct report_opts *ro)
{
	struct profile *p, *base, *d;

	if (o->ndiff_base > 0 && o->nbase > 0) {
		err_set("--base and --diff-base cannot both be given");
		return NULL;
	}
	if (ro->normalize && o->ndiff_base == 0 && o->nbase == 0) {
		err_set("--normalize needs a base profile (--base or --diff-base)");
		return NULL;
	}
	p = load_merged(files, n, &o->src, o->all_frames ? LOAD_ALL_FRAMES : 0, o->diff_threads);
	if (!p)
		return NULL;
	if (o->ndiff_base > 0 || o->nbase > 0) {
		bool tag = o->ndiff_base > 0;
		base = session_load_merged(tag ? o->diff_base : o->base, tag ? o->ndiff_base : o->nbase,
					   &o->src, o->all_frames ? LOAD_ALL_FRAMES : 0);
		if (!base) {
			profile_free(p);
			return NULL;
		}
		if (o->times) {
			o->times[0] = base->time_nanos;
			o->times[1] = p->time_nanos;
		}
		d = profile_diff_consume(p, base, tag, ro->normalize);
		profile_free(base);
		profile_free(p);
		if (d && profile_check_values(d) < 0) {
			profile_free(d);
			d = NULL;
		}
		if (!d) {
			err_prefix("cannot compare '%s' with the base '%s'", files[0],
				   tag ? o->diff_base[0] : o->base[0]);
			return NULL;
		}
		p = d;
	}
	return session_finish(p, o, ro);
}

/* A merged copy of ps[0..n) (even of one profile: merging sums samples
 * with the same stack and labels, which changes no report's numbers). */
static struct profile *merged_copy(struct profile *const *ps, int n)
{
	struct profile *p = profile_merge(ps, (size_t)n);

	if (p && profile_check_values(p) < 0) {
		err_prefix("cannot merge the profiles");
		profile_free(p);
		return NULL;
	}
	return p;
}

struct profile *session_from(struct profile *const *ps, int n, struct profile *const *bs, int nb,
			     const struct load_opts *o, const struct report_opts *ro)
{
	struct profile *p, *base, *d;

	if (n <= 0) {
		err_set("no profile given");
		return NULL;
	}
	if (ro->normalize && nb == 0) {
		err_set("--normalize needs a base profile (--base or --diff-base)");
		return NULL;
	}
	if (!(p = merged_copy(ps, n)))
		return NULL;
	if (nb > 0) {
		if (!(base = merged_copy(bs, nb))) {
			profile_free(p);
			return NULL;
		}
		d = profile_diff(p, base, true, ro->normalize);
		profile_free(base);
		profile_free(p);
		if (d && profile_check_values(d) < 0) {
			profile_free(d);
			d = NULL;
		}
		if (!d) {
			err_prefix("cannot compare the profiles with their base");
			return NULL;
		}
		p = d;
	}
	return session_finish(p, o, ro);
}

/* ---- drip diff without the merged profile ----
 *
 * pprof's -diff_base negates BASE, labels its samples pprof::base and
 * merges it with NEW; drip diff's report reads from that profile only
 * per-node sums over samples (flat, cum, edge weights), the totals, and
 * the headers.  Without the merge:
 * - A base sample never merges with a new one (the label), so the
 *   merged profile's samples are NEW's and BASE's, each side's identical
 *   samples summed.  Summing identical samples changes no node or edge
 *   sum, nor a sum of absolute values when a side's values of a type
 *   never have both signs (checked below).  Edge flags (inline,
 *   residual) are the same for identical stacks.  A sample whose value
 *   is zero adds nothing and creates no edge on either path; a sum of
 *   values of one sign is zero only when each value is.
 * - Node keys are interned strings and numbers, so one node table over
 *   both profiles (graph_new_multi) has the merged profile's nodes; its
 *   nodes that no sample reaches have zero values and are not shown.
 * - The merge would rescale values when the units differ, shift
 *   addresses when equal mappings start elsewhere, and give equal
 *   mappings the first one's file (a node key when a location has no
 *   function name): the split path is taken only for equal sample and
 *   period types, mappings of one key with one file, and not with
 *   --granularity=addresses.  Filters and --relative-percentages run on
 *   the merged profile (whose pprof::base label a tag filter can see),
 *   so they keep the merged path too, as does NEW with samples already
 *   labelled pprof::base (a diff of diffs).
 * - The headers (file, comments, time, duration) and the merge's type
 *   checks come from profile_merge of the two profiles with their
 *   samples hidden: header fields do not depend on samples.
 * - profile_report_total of the merged profile: the sum of |value| of
 *   the base samples when that is non-zero, else of all samples. */

static bool diff_split_options(const struct load_opts *o, const struct report_opts *ro)
{
	const struct filter_opts *f = &ro->filter;

	if (o->diff_merged)
		return false;
	return o->ndiff_base > 0 && o->nbase == 0 && !f->focus && !f->ignore && !f->hide && !f->show &&
	       !f->show_from && !f->tagfocus && !f->tagignore && !f->tagshow && !f->taghide && !f->prune_from &&
	       !ro->relative_percentages && !ro->call_tree && ro->gran != GRAN_ADDRESSES;
}

/* One pass over a side's values after the scaling: with negate, each
 * value is first negated as profile_scale_n(-1) would (the samples it
 * would drop then have only zero values, which nothing on the split path
 * counts, and which a merge drops).  Per type: the sum of |value| into
 * abs[], the sum of the values of the samples with a frame (those the
 * merged path's filter stage keeps) into framed[].  Returns false when a
 * type has both positive and negative values. */
static bool side_pass(struct profile *p, bool negate, int64_t *abs, int64_t *framed)
{
	size_t i, t, nt = p->ntypes;
	bool *pos = xcalloc(nt + 1, sizeof(bool)), *neg = xcalloc(nt + 1, sizeof(bool)), ok = true;

	for (t = 0; t < nt; t++)
		abs[t] = framed[t] = 0;
	for (i = 0; i < p->nsamples; i++) {
		int64_t *v = p->values + i * nt;
		bool has_frame = p->samples[i].nlocs > 0;

		for (t = 0; t < nt; t++) {
			int64_t x = negate ? negate_value(v[t]) : v[t];

			v[t] = x;
			pos[t] |= x > 0;
			neg[t] |= x < 0;
			abs[t] = sat_add(abs[t], x < 0 ? (x == INT64_MIN ? INT64_MAX : -x) : x);
			if (has_frame)
				framed[t] = sat_add(framed[t], x);
		}
	}
	for (t = 0; t < nt; t++)
		ok = ok && !(pos[t] && neg[t]);
	free(pos);
	free(neg);
	return ok;
}

/* pprof's mappingKey (merge.c): size rounded up to 4 KiB, offset, build
 * id or else file. */
static bool same_mapping_key(const struct pf_mapping *a, const struct pf_mapping *b)
{
	uint64_t sa = a->limit - a->start, sb = b->limit - b->start;
	const char *ia = *a->build_id ? a->build_id : a->file, *ib = *b->build_id ? b->build_id : b->file;

	sa = (sa + 0x1000 - 1) / 0x1000;
	sb = (sb + 0x1000 - 1) / 0x1000;
	return sa == sb && a->offset == b->offset && ia == ib;
}

/* The merge makes mappings with one key one mapping, with the first
 * one's file, which is part of a node's key when a location has no
 * function name.  Do mappings with one key (in NEW, then BASE) have one
 * file? */
static bool same_mapping_files(const struct profile *newp, const struct profile *base)
{
	size_t n = newp->nmappings + base->nmappings, i, j;

	for (i = 0; i < n; i++) {
		const struct pf_mapping *a = i < newp->nmappings ? &newp->mappings[i] : &base->mappings[i - newp->nmappings];
		for (j = i + 1; j < n; j++) {
			const struct pf_mapping *b =
				j < newp->nmappings ? &newp->mappings[j] : &base->mappings[j - newp->nmappings];
			if (a->file != b->file && same_mapping_key(a, b))
				return false;
		}
	}
	return true;
}

/* Can the merge be left out (see above)?  Before profile_diff_prepare. */
static bool diff_split_profiles(const struct profile *newp, const struct profile *base)
{
	const char *k = diff_base_key(), *v = diff_base_value();
	size_t i;

	if (newp->ntypes != base->ntypes || newp->period_type.type != base->period_type.type ||
	    newp->period_type.unit != base->period_type.unit)
		return false;
	for (i = 0; i < newp->ntypes; i++)
		if (newp->types[i].type != base->types[i].type || newp->types[i].unit != base->types[i].unit)
			return false;
	for (i = 0; i < newp->nlabels; i++)
		if (newp->labels[i].key == k && newp->labels[i].str == v)
			return false;
	return same_mapping_files(newp, base);
}

/* Loading one side on a thread of its own. */
struct side_load {
	const char *const *files;
	int n;
	const struct source_opts *so;
	unsigned flags;
	struct profile *p;
	char err[4096]; /* the thread's message when p is NULL */
};

static void *side_load_run(void *arg)
{
	struct side_load *s = arg;

	s->p = session_load_merged(s->files, s->n, s->so, s->flags);
	if (!s->p)
		snprintf(s->err, sizeof(s->err), "%s", err_msg());
	return NULL;
}

/* Only plain files are read on a second thread (not "-", which is
 * stdin, nor URLs, which curl fetches). */
static bool plain_files(const char *const *files, int n)
{
	struct stat sb;
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(files[i], "-") == 0 || fetch_is_url(files[i]) || stat(files[i], &sb) != 0 ||
		    !S_ISREG(sb.st_mode))
			return false;
	return true;
}

/* A second thread pays only when a core is free: two decodes at once
 * touch more fresh memory (about 10% more CPU time on heap_1m), which
 * buys nothing when the other core is busy.  DRIP_DIFF_THREADS=0 or 1
 * decides instead of the load average (diff_threads 0 or 1; -1: the
 * load average). */
static bool want_thread(int diff_threads)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	double load[1];

	if (diff_threads >= 0)
		return diff_threads > 0;
	if (ncpu < 2 || getloadavg(load, 1) != 1)
		return false;
	return load[0] <= (double)ncpu - 1.0;
}

/* Load NEW (on this thread) and BASE (on another when both are plain
 * files: the two decodes are independent apart from interning, which
 * locks).  The same profiles and, on failure, the same message as
 * loading NEW then BASE. */
static int load_sides(const char *const *files, int n, const struct load_opts *o, struct profile **newp,
		      struct profile **base)
{
	struct side_load b;
	pthread_t t;
	unsigned flags = o->all_frames ? LOAD_ALL_FRAMES : 0;
	bool threaded;

	memset(&b, 0, sizeof(b));
	b.files = o->diff_base;
	b.n = o->ndiff_base;
	b.so = &o->src;
	b.flags = flags;
	threaded = want_thread(o->diff_threads) && plain_files(files, n) && plain_files(o->diff_base, o->ndiff_base) &&
		   pthread_create(&t, NULL, side_load_run, &b) == 0;
	*newp = session_load_merged(files, n, &o->src, flags);
	if (threaded) {
		pthread_join(t, NULL);
	} else if (*newp) {
		side_load_run(&b);
	}
	if (!*newp) {
		profile_free(b.p);
		return -1;
	}
	if (!b.p) {
		profile_free(*newp);
		*newp = NULL;
		return err_set("%s", b.err);
	}
	*base = b.p;
	return 0;
}

/* profile_check_values on the union of a's and b's samples (of the same
 * sample types, as diff_split_profiles ensures). */
static int sides_check_values(const struct profile *a, const struct profile *b)
{
	size_t t, i, k;

	for (t = 0; t < a->ntypes && t < b->ntypes; t++) {
		uint64_t sum = 0;

		for (k = 0; k < 2; k++) {
			const struct profile *p = k ? b : a;

			for (i = 0; i < p->nsamples; i++) {
				int64_t v = p->values[i * p->ntypes + t];
				uint64_t abs = v < 0 ? -(uint64_t)v : (uint64_t)v;

				sum += abs;
				if (abs > (uint64_t)INT64_MAX || sum > (uint64_t)INT64_MAX)
					return err_set("the %s values add up past the 64-bit integer limit",
						       *a->types[t].type ? a->types[t].type : "sample");
			}
		}
	}
	return 0;
}

int session_load_diff(const char *const *files, int n, const struct load_opts *o, const struct report_opts *ro,
		      struct diff_inputs *d)
{
	struct profile *p, *base, *ps[2], *m;
	int64_t *nabs, *babs;
	size_t ns[2][3], t;

	memset(d, 0, sizeof(*d));
	if (!diff_split_options(o, ro)) {
		d->merged = session_load(files, n, o, ro);
		return d->merged ? 0 : -1;
	}
	if (load_sides(files, n, o, &p, &base) < 0)
		return -1;
	if (o->times) {
		o->times[0] = base->time_nanos;
		o->times[1] = p->time_nanos;
	}
	if (!diff_split_profiles(p, base))
		goto merged;
	if (ro->normalize && profile_normalize(p, base) < 0)
		goto fail;
	/* The int64 totals rule (profile.h) over both sides together, as
	 * the merged profile would be checked. */
	if (sides_check_values(p, base) < 0)
		goto fail;
	/* BASE negated, as profile_diff_prepare; the values as merged */
	nabs = xcalloc(p->ntypes + 1, sizeof(*nabs));
	babs = xcalloc(p->ntypes + 1, sizeof(*babs));
	d->new_framed = xcalloc(p->ntypes + 1, sizeof(int64_t));
	d->base_framed = xcalloc(p->ntypes + 1, sizeof(int64_t));
	/* both passes run: BASE must be negated before a merge */
	if (!(side_pass(p, false, nabs, d->new_framed) & side_pass(base, true, babs, d->base_framed))) {
		free(nabs);
		free(babs);
		diff_inputs_release(d);
		/* profile_diff's remaining steps: the label (the same on the
		 * samples left after scaling as before) and the merge */
		profile_set_label(base, diff_base_key(), diff_base_value());
		ps[0] = p;
		ps[1] = base;
		m = profile_merge(ps, 2);
		goto merged_done;
	}
	ps[0] = p;
	ps[1] = base;
	for (t = 0; t < 2; t++) {
		/* no samples (nor room reserved for their stacks and labels) */
		ns[t][0] = ps[t]->nsamples;
		ns[t][1] = ps[t]->nstacks;
		ns[t][2] = ps[t]->nlabels;
		ps[t]->nsamples = ps[t]->nstacks = ps[t]->nlabels = 0;
	}
	d->header = profile_merge(ps, 2);
	for (t = 0; t < 2; t++) {
		ps[t]->nsamples = ns[t][0];
		ps[t]->nstacks = ns[t][1];
		ps[t]->nlabels = ns[t][2];
	}
	if (!d->header) {
		free(nabs);
		free(babs);
		diff_inputs_release(d);
		goto fail;
	}
	if (o->add_comment && *o->add_comment)
		profile_add_comment(d->header, intern(o->add_comment));
	/* profile_report_total of the merged profile */
	d->header->unfiltered_totals = xreallocarray(NULL, p->ntypes ? p->ntypes : 1, sizeof(int64_t));
	for (t = 0; t < p->ntypes; t++)
		d->header->unfiltered_totals[t] = babs[t] > 0 ? babs[t] : nabs[t];
	free(nabs);
	free(babs);
	d->newp = p;
	d->base = base;
#ifdef DRIP_DIFF_TRACE
	fputs("drip-diff-trace: split\n", stderr); /* tests/diffsplit counts the paths */
#endif
	return 0;
merged:
	m = profile_diff_consume(p, base, true, ro->normalize);
merged_done:
	profile_free(base);
	profile_free(p);
	if (m && profile_check_values(m) < 0) {
		profile_free(m);
		m = NULL;
	}
	if (!m) {
		err_prefix("cannot compare '%s' with the base '%s'", files[0], o->diff_base[0]);
		return -1;
	}
	d->merged = session_finish(m, o, ro);
	return d->merged ? 0 : -1;
fail:
	err_prefix("cannot compare '%s' with the base '%s'", files[0], o->diff_base[0]);
	profile_free(base);
	profile_free(p);
	return -1;
}

int session_diff_merge(struct diff_inputs *d, const char *file, const char *base_file, const struct load_opts *o,
		       const struct report_opts *ro)
{
	struct profile *ps[2], *m;

	if (d->merged)
		return 0;
	/* profile_diff's remaining steps after profile_diff_prepare (done
	 * by the split load): the label, then the merge, as the merged
	 * path of session_load_diff */
	profile_set_label(d->base, diff_base_key(), diff_base_value());
	ps[0] = d->newp;
	ps[1] = d->base;
	m = profile_merge_consume(ps, 2);
	diff_inputs_release(d);
	if (m && profile_check_values(m) < 0) {
		profile_free(m);
		m = NULL;
	}
	if (!m) {
		err_prefix("cannot compare '%s' with the base '%s'", file, base_file);
		return -1;
	}
	d->merged = session_finish(m, o, ro);
	return d->merged ? 0 : -1;
}

void diff_inputs_release(struct diff_inputs *d)
{
	profile_free(d->merged);
	profile_free(d->header);
	profile_free(d->newp);
	profile_free(d->base);
	free(d->new_framed);
	free(d->base_framed);
	memset(d, 0, sizeof(*d));
}
