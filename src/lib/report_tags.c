/* report_tags: `drip tags`, pprof's -tags report (internal/report
 * printTags, current layout): for each label key, by name,
 *
 *  KEY: Total T of ALL (P%)
 *       V (P%): VALUE
 *
 * with the values of the key sorted by |sum| (descending), then by name.
 * T is the sum over the samples that carry KEY (once per sample), ALL
 * the report total, every percentage of ALL.  Numeric label values are
 * formatted with their key's unit in the output unit.  pprof writes this
 * through a right-aligning tabwriter (padding 1); the two columns are
 * aligned the same way here, one block per key. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "hash.h"
#include "report.h"
#include "strtab.h"
#include "units.h"
#include "xalloc.h"

struct tagval {
	const char *key, *val; /* interned */
	int64_t v;
};

static int cmp_keyval(const void *a, const void *b)
{
	const struct tagval *x = a, *y = b;
	int c = x->key == y->key ? 0 : strcmp(x->key, y->key); /* interned */

	return c ? c : x->val == y->val ? 0 : strcmp(x->val, y->val);
}

/* pprof's graph.SortTags(tags, true): |flat| descending, then name;
 * equal magnitudes of opposite sign fall back to the name too. */
static int cmp_tag(const void *a, const void *b)
{
	const struct tagval *x = a, *y = b;
	int64_t ax = abs64(x->v), ay = abs64(y->v);

	if (ax != ay)
		return ax > ay ? -1 : 1;
	return strcmp(x->val, y->val);
}

/* Display width of s as tabwriter counts it: UTF-8 characters. */
static size_t text_width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static void pad(FILE *f, size_t n)
{
	while (n--)
		fputc(' ', f);
}

/* Aggregate runs of equal (key, val) in a sorted array; returns the new
 * length. */
static size_t aggregate(struct tagval *t, size_t n)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		if (m > 0 && t[m - 1].key == t[i].key && t[m - 1].val == t[i].val)
			t[m - 1].v = sat_add(t[m - 1].v, t[i].v);
		else
			t[m++] = t[i];
	}
	return m;
}

int report_tags(struct report *r, FILE *f)
{
	const struct profile *p = r->prof;
	struct tagval *vals = NULL, *keys = NULL;
	size_t nvals = 0, cvals = 0, nkeys = 0, ckeys = 0, i, k, j;
	struct label_units *lu = label_units_new(p);
	struct u64map seen = U64MAP_INIT; /* key -> 1 + the last sample that counted it */
	char a[64], b[64], pct[32];
	const char *empty = intern_empty();

	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *s = &p->samples[i];
		const struct pf_label *ls = p->labels + s->label_start;
		int64_t v = pf_values(p, i)[r->si];

		for (k = 0; k < s->nlabels; k++) {
			const char *val = ls[k].str;
			uint64_t *last;

			if (!val)
				val = intern(units_label(ls[k].num, label_units_get(lu, ls[k].key), r->output_unit, a,
							 sizeof(a)));
			xgrow(&vals, &cvals, nvals + 1, sizeof(*vals));
			vals[nvals].key = ls[k].key;
			vals[nvals].val = val;
			vals[nvals].v = v;
			nvals++;
			/* the key's total counts each sample once */
			last = u64map_put(&seen, (uint64_t)(uintptr_t)ls[k].key, 0, NULL);
			if (*last != i + 1) {
				*last = i + 1;
				xgrow(&keys, &ckeys, nkeys + 1, sizeof(*keys));
				keys[nkeys].key = ls[k].key;
				keys[nkeys].val = empty;
				keys[nkeys].v = v;
				nkeys++;
			}
		}
	}
	label_units_free(lu);
	u64map_release(&seen);
	if (nvals)
		qsort(vals, nvals, sizeof(*vals), cmp_keyval);
	if (nkeys)
		qsort(keys, nkeys, sizeof(*keys), cmp_keyval);
	nvals = aggregate(vals, nvals);
	nkeys = aggregate(keys, nkeys);

	for (i = 0, j = 0; i < nkeys; i++) {
		size_t start = j, end, w0, w1 = 0;
		const char *key = keys[i].key;
		struct buf hdr = BUF_INIT;
		char **cells;

		while (j < nvals && vals[j].key == key)
			j++;
		end = j;
		qsort(vals + start, end - start, sizeof(*vals), cmp_tag);
		/* column 0: "KEY:" on the header line, " " on the rows */
		w0 = text_width(key) + 1;
		if (w0 < 1)
			w0 = 1;
		cells = xcalloc(end - start + 1, sizeof(*cells));
		for (k = start; k < end; k++) {
			struct buf c = BUF_INIT;
			report_fmt(r, vals[k].v, a, sizeof(a));
			if (r->total > 0)
				buf_printf(&c, "%s (%s):", a, units_percentage(vals[k].v, r->total, pct, sizeof(pct)));
			else
				buf_printf(&c, "%s:", a);
			cells[k - start] = buf_detach(&c, NULL);
			if (text_width(cells[k - start]) > w1)
				w1 = text_width(cells[k - start]);
		}
		w0 += 1; /* padding */
		w1 += 1;
		buf_printf(&hdr, "%s:", key);
		pad(f, w0 - text_width(hdr.data));
		fputs(hdr.data, f);
		report_fmt(r, keys[i].v, a, sizeof(a));
		report_fmt(r, r->total, b, sizeof(b));
		if (r->total > 0)
			fprintf(f, " Total %s of %s (%s)\n", a, b, units_percentage(keys[i].v, r->total, pct, sizeof(pct)));
		else
			fprintf(f, " Total %s of %s\n", a, b);
		for (k = start; k < end; k++) {
			pad(f, w0 - 1);
			fputc(' ', f);
			pad(f, w1 - text_width(cells[k - start]));
			fprintf(f, "%s %s\n", cells[k - start], vals[k].val);
			free(cells[k - start]);
		}
		fputc('\n', f);
		free(cells);
		buf_release(&hdr);
	}
	free(vals);
	free(keys);
	return 0;
}
