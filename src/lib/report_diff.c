#include "report_diff.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "color.h"
#include "json.h"
#include "session.h"
#include "units.h"
#include "xalloc.h"

const char *diff_status_name(enum diff_status s)
{
	switch (s) {
	case DS_GREW: return "grew";
	case DS_SHRANK: return "shrank";
	case DS_SAME: return "same";
	case DS_NEW: return "new";
	case DS_GONE: return "gone";
	}
	return "?";
}

/* Accumulate the graph over one side's samples only (the others' values
 * set to zero, which the graph skips), negating the base side back.
 * The graph reads only the sample-index value (mean_index is -1), so
 * only that column is saved, zeroed and restored, in place: for two
 * 1M-sample profiles that is 16 MB touched instead of two 64 MB copies. */
static void side_values(struct graph *g, struct profile *p, bool base, int64_t *flat, int64_t *cum)
{
	int si = g->opts.sample_index;
	int64_t *col = xreallocarray(NULL, p->nsamples + 1, sizeof(*col));
	size_t i;

	for (i = 0; i < p->nsamples; i++) {
		int64_t *v = pf_values(p, i);
		col[i] = v[si];
		if (diff_is_base_sample(p, i) != base)
			v[si] = 0;
	}
	graph_accumulate(g, true);
	for (i = 0; i < g->nnodes; i++) {
		flat[i] = base ? -g->nodes[i].flat : g->nodes[i].flat;
		cum[i] = base ? -g->nodes[i].cum : g->nodes[i].cum;
	}
	for (i = 0; i < p->nsamples; i++)
		pf_values(p, i)[si] = col[i];
	free(col);
}

static void graph_options(const struct report *r, struct graph_opts *go, struct trim_opts *to)
{
	memset(go, 0, sizeof(*go));
	go->sample_index = r->si;
	go->mean_index = -1;
	go->gran = r->o->gran;
	go->noinlines = r->o->noinlines;
	go->drop_negative = r->o->drop_negative;
	go->inline_edges_only = true; /* edges serve only the (inline) marks */
	memset(to, 0, sizeof(*to));
	to->nodecount = r->o->nodecount < 0 ? 0 : r->o->nodecount;
	to->nodefraction = r->o->nodefraction;
	to->edgefraction = r->o->edgefraction;
	to->cum = r->o->cum;
}

/* The rows of the trimmed graph d->g, given each node's base and new
 * flat and cum (by node index). */
static void fill_rows(struct report *r, struct diff_report *d, const int64_t *bf, const int64_t *bc,
		      const int64_t *nf, const int64_t *nc)
{
	size_t i;

	report_select_unit(r, d->g);
	d->rows = xreallocarray(NULL, d->g->norder + 1, sizeof(*d->rows));
	for (i = 0; i < d->g->norder; i++) {
		uint32_t ni = d->g->order[i];
		const struct gnode *n = &d->g->nodes[ni];
		struct diff_row *row = &d->rows[d->nrows];
		bool in_base, in_new;

		/* A row whose measured value is zero on both sides (a caller
		 * with no flat value of its own) says nothing about growth. */
		if (!r->o->all_rows && (d->cum ? bc[ni] == 0 && nc[ni] == 0 : bf[ni] == 0 && nf[ni] == 0)) {
			d->hidden_rows++;
			continue;
		}
		d->nrows++;

		memset(row, 0, sizeof(*row));
		row->node = ni;
		row->name = n->pname;
		row->inline_kind = gnode_inline(d->g, n);
		row->base_flat = bf[ni];
		row->base_cum = bc[ni];
		row->new_flat = nf[ni];
		row->new_cum = nc[ni];
		row->flat = gnode_flat(n);
		row->cum = gnode_cum(n);
		d->shown_delta += row->flat;
		in_base = bf[ni] != 0 || bc[ni] != 0;
		in_new = nf[ni] != 0 || nc[ni] != 0;
		if (in_new && !in_base)
			row->status = DS_NEW;
		else if (in_base && !in_new)
			row->status = DS_GONE;
		else if (diff_row_delta(d, row) > 0)
			row->status = DS_GREW;
		else if (diff_row_delta(d, row) < 0)
			row->status = DS_SHRANK;
		else
			row->status = DS_SAME;
	}
}

/* Each row's owner in NEW's samples (the base's are negative in a
 * merged diff profile, and owner.h counts positive values only). */
static void fill_owners(struct report *r, struct diff_report *d, const struct profile *newp)
{
	struct owner_map *m;
	size_t i;
	char fn[512];

	if (!r->o->owners || r->o->gran == GRAN_FILES)
		return;
	m = owner_map_new(newp);
	for (i = 0; i < d->nrows; i++)
		owner_map_get(m, owner_site_func(d->rows[i].name, fn, sizeof(fn)), (size_t)r->si, &d->rows[i].owner);
	owner_map_free(m);
}

int diff_report_build(struct report *r, struct diff_report *d)
{
	struct profile *p = r->prof;
	struct graph_opts go;
	struct trim_opts to;
	int64_t *bf, *bc, *nf, *nc;
	size_t i;

	memset(d, 0, sizeof(*d));
	d->cum = r->o->cum;
	for (i = 0; i < p->nsamples; i++) {
		int64_t v = pf_values(p, i)[r->si];
		if (diff_is_base_sample(p, i))
			d->base_total = sat_add(d->base_total, -v);
		else
			d->new_total = sat_add(d->new_total, v);
	}
	graph_options(r, &go, &to);
	d->g = graph_new(p, &go);
	bf = xcalloc(d->g->nnodes + 1, sizeof(*bf));
	bc = xcalloc(d->g->nnodes + 1, sizeof(*bc));
	nf = xcalloc(d->g->nnodes + 1, sizeof(*nf));
	nc = xcalloc(d->g->nnodes + 1, sizeof(*nc));
	side_values(d->g, p, true, bf, bc);
	side_values(d->g, p, false, nf, nc);
	graph_trim(d->g, &to, &d->tr);
	fill_rows(r, d, bf, bc, nf, nc);
	fill_owners(r, d, p);
	free(bf);
	free(bc);
	free(nf);
	free(nc);
	return 0;
}

int diff_report_build_split(struct report *r, const struct diff_inputs *di, struct diff_report *d)
{
	const struct profile *ps[2];
	struct graph_opts go;
	struct trim_opts to;
	int64_t *bf, *bc, *nf, *nc, *af, *ac;
	size_t i, nn;

	memset(d, 0, sizeof(*d));
	d->cum = r->o->cum;
	d->base_total = -di->base_framed[r->si];
	d->new_total = di->new_framed[r->si];
	graph_options(r, &go, &to);
	ps[0] = di->newp;
	ps[1] = di->base;
	d->g = graph_new_multi(ps, 2, &go);
	nn = d->g->nnodes;
	bf = xcalloc(nn + 1, sizeof(*bf));
	bc = xcalloc(nn + 1, sizeof(*bc));
	nf = xcalloc(nn + 1, sizeof(*nf));
	nc = xcalloc(nn + 1, sizeof(*nc));
	af = xcalloc(nn + 1, sizeof(*af));
	ac = xcalloc(nn + 1, sizeof(*ac));
	/* graph_trim's first (keep_all) walk leaves NEW's values alone in
	 * nf/nc and both sides' in af/ac; BASE's are the difference. */
	d->g->snap_flat = nf;
	d->g->snap_cum = nc;
	d->g->snap_all_flat = af;
	d->g->snap_all_cum = ac;
	graph_trim(d->g, &to, &d->tr);
	d->g->snap_flat = d->g->snap_cum = d->g->snap_all_flat = d->g->snap_all_cum = NULL;
	for (i = 0; i < nn; i++) {
		bf[i] = nf[i] - af[i];
		bc[i] = nc[i] - ac[i];
	}
	fill_rows(r, d, bf, bc, nf, nc);
	fill_owners(r, d, di->newp);
	free(bf);
	free(bc);
	free(nf);
	free(nc);
	free(af);
	free(ac);
	return 0;
}

void diff_report_release(struct diff_report *d)
{
	graph_free(d->g);
	free(d->rows);
	memset(d, 0, sizeof(*d));
}

int64_t diff_row_base(const struct diff_report *d, const struct diff_row *row)
{
	return d->cum ? row->base_cum : row->base_flat;
}

int64_t diff_row_new(const struct diff_report *d, const struct diff_row *row)
{
	return d->cum ? row->new_cum : row->new_flat;
}

int64_t diff_row_delta(const struct diff_report *d, const struct diff_row *row)
{
	return d->cum ? row->cum : row->flat;
}

static double pct(int64_t v, int64_t total)
{
	return total == 0 ? 0.0 : (double)v * 100.0 / (double)total;
}

static void files_line(const char *label, const char *const *files, int n, FILE *f)
{
	int i;

	fputs(label, f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : " ", files[i]);
	fputc('\n', f);
}

static void signed_pct(double v, char *out, size_t n)
{
	snprintf(out, n, "%+.2f%%", v);
	if (strcmp(out, "-0.00%") == 0)
		snprintf(out, n, "+0.00%%");
}

/* With --owners: the row's owner after its name, as drip check
 * writes a contributor's, then the newline. */
static void owner_text(const struct report *r, const struct diff_row *row, FILE *f)
{
	if (row->owner.func) {
		fprintf(f, "  %s %s", row->owner.own ? "owner" : "called from", row->owner.func);
		if (r->o->gran != GRAN_FUNCTIONS && row->owner.line > 0)
			fprintf(f, " %s:%lld", row->owner.file, (long long)row->owner.line);
	}
	fputc('\n', f);
}

void diff_report_text(struct report *r, const struct diff_report *d, const char *const *base_files, int nbase,
		      const char *const *new_files, int nnew, FILE *f)
{
	char a[64], b[64], c[64], p[32];
	size_t i;

	files_line("Base:", base_files, nbase, f);
	files_line("New: ", new_files, nnew, f);
	report_labels(r, d->g, &d->tr, 0, false, f);
	fprintf(f, "%10s %10s %10s %8s\n", "base", "new", "delta", "delta%");
	for (i = 0; i < d->nrows; i++) {
		const struct diff_row *row = &d->rows[i];
		int64_t delta = diff_row_delta(d, row);

		signed_pct(pct(delta, r->total), p, sizeof(p));
		if (!r->o->color) {
			fprintf(f, "%10s %10s %10s %8s  %s%s%s", report_fmt(r, diff_row_base(d, row), a, sizeof(a)),
				report_fmt(r, diff_row_new(d, row), b, sizeof(b)), report_fmt(r, delta, c, sizeof(c)), p,
				row->name, inline_suffix(row->inline_kind),
				row->status == DS_NEW ? " [new]" : row->status == DS_GONE ? " [gone]" : "");
			owner_text(r, row, f);
			continue;
		}
		{
			/* The same columns, delta and delta% coloured by sign. */
			char dcols[96];
			int role = color_for_delta(delta);

			fprintf(f, "%10s %10s ", report_fmt(r, diff_row_base(d, row), a, sizeof(a)),
				report_fmt(r, diff_row_new(d, row), b, sizeof(b)));
			snprintf(dcols, sizeof(dcols), "%10s %8s", report_fmt(r, delta, c, sizeof(c)), p);
			if (role >= 0)
				color_fputs(f, true, (enum color_role)role, dcols);
			else
				fputs(dcols, f);
			fprintf(f, "  %s%s", row->name, inline_suffix(row->inline_kind));
			if (row->status == DS_NEW)
				color_fputs(f, true, COLOR_GREW, " [new]");
			else if (row->status == DS_GONE)
				color_fputs(f, true, COLOR_SHRANK, " [gone]");
			owner_text(r, row, f);
		}
	}
	signed_pct(pct(d->new_total - d->base_total, d->base_total), p, sizeof(p));
	fprintf(f, "%10s %10s %10s %8s  %s\n", report_fmt(r, d->base_total, a, sizeof(a)),
		report_fmt(r, d->new_total, b, sizeof(b)), report_fmt(r, d->new_total - d->base_total, c, sizeof(c)), p,
		"(total)");
	if (d->hidden_rows)
		fprintf(f, "(%zu row%s zero on both sides not shown; --all shows them)\n", d->hidden_rows,
			d->hidden_rows == 1 ? "" : "s");
}

static void triple(struct json *j, const char *key, int64_t base, int64_t newv, int64_t delta)
{
	json_key(j, key);
	json_begin_object(j);
	json_kint(j, "base", base);
	json_kint(j, "new", newv);
	json_kint(j, "delta", delta);
	json_end_object(j);
}

void diff_report_json(struct report *r, const struct diff_report *d, const char *const *base_files, int nbase,
		      const char *const *new_files, int nnew, FILE *f)
{
	struct json j;
	size_t i;

	json_init(&j, f);
	json_begin_object(&j);
	json_kstr(&j, "schema", "drip.diff/1");
	json_kstr_array(&j, "base_files", base_files, nbase);
	json_kstr_array(&j, "new_files", new_files, nnew);
	json_kstr(&j, "sample_type", r->sample_type);
	json_kstr(&j, "unit", r->prof->types[r->si].unit);
	json_kstr(&j, "granularity", granularity_name(r->o->gran));
	json_kstr(&j, "measure", d->cum ? "cum" : "flat");
	json_kbool(&j, "normalized", r->o->normalize);
	json_kint(&j, "base_total", d->base_total);
	json_kint(&j, "new_total", d->new_total);
	json_kint(&j, "delta_total", d->new_total - d->base_total);
	json_knum(&j, "delta_total_percent", pct(d->new_total - d->base_total, d->base_total), 2);
	json_kint(&j, "percent_of", r->total);
	json_kint(&j, "nodes_total", d->tr.orig_count + d->tr.dropped_nodes);
	json_kint(&j, "dropped_nodes", d->tr.dropped_nodes);
	json_kint(&j, "node_cutoff", (int64_t)fabs((double)r->total * r->o->nodefraction));
	json_kint(&j, "hidden_rows", (int64_t)d->hidden_rows);
	json_key(&j, "nodes");
	json_begin_array(&j);
	for (i = 0; i < d->nrows; i++) {
		const struct diff_row *row = &d->rows[i];

		json_begin_object(&j);
		json_kstr(&j, "name", row->name);
		if (row->inline_kind != INLINE_NONE)
			json_kstr(&j, "inline", row->inline_kind == INLINE_PARTIAL ? "partial" : "inline");
		json_kstr(&j, "status", diff_status_name(row->status));
		json_kint(&j, "base", diff_row_base(d, row));
		json_kint(&j, "new", diff_row_new(d, row));
		json_kint(&j, "delta", diff_row_delta(d, row));
		json_knum(&j, "delta_percent", pct(diff_row_delta(d, row), r->total), 2);
		triple(&j, "flat", row->base_flat, row->new_flat, row->flat);
		triple(&j, "cum", row->base_cum, row->new_cum, row->cum);
		if (row->owner.func)
			owner_json(&j, "owner", &row->owner);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
}

const char *granularity_name(enum granularity g)
{
	switch (g) {
	case GRAN_FUNCTIONS: return "functions";
	case GRAN_FILEFUNCTIONS: return "filefunctions";
	case GRAN_FILES: return "files";
	case GRAN_LINES: return "lines";
	case GRAN_ADDRESSES: return "addresses";
	}
	return "functions";
}
