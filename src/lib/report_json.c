#include "report_json.h"

#include <math.h>
#include <stdlib.h>

#include "json.h"
#include "report_diff.h"

static double pct_abs(int64_t v, int64_t total)
{
	return total == 0 ? 0.0 : fabs((double)v / (double)total) * 100.0;
}

int report_top_json(struct report *r, const char *const *files, int nfiles, FILE *f)
{
	const struct report_opts *o = r->o;
	struct trim_result tr;
	struct graph *g = report_graph(r, false, &tr);
	struct json j;
	int64_t flat_sum = 0;
	size_t i;

	for (i = 0; i < g->norder; i++)
		flat_sum += gnode_flat(&g->nodes[g->order[i]]);
	json_init(&j, f);
	json_begin_object(&j);
	json_kstr(&j, "schema", "drip.top/1");
	json_kstr_array(&j, "files", files, nfiles);
	if (o->base_mode) {
		json_kstr(&j, "base_mode", o->base_mode);
		json_kstr_array(&j, "base_files", o->base_files, o->nbase_files);
		json_kbool(&j, "normalized", o->normalize);
	}
	json_kstr(&j, "sample_type", r->sample_type);
	json_kstr(&j, "unit", r->prof->types[r->si].unit);
	json_kstr(&j, "granularity", granularity_name(o->gran));
	json_kstr(&j, "sort", o->cum ? "cum" : "flat");
	json_kint(&j, "total", r->total);
	json_kint(&j, "shown_flat", flat_sum);
	json_knum(&j, "shown_percent", pct_abs(flat_sum, r->total), 2);
	json_kint(&j, "nodes_total", tr.orig_count + tr.dropped_nodes);
	json_kint(&j, "dropped_nodes", tr.dropped_nodes);
	json_kint(&j, "node_cutoff", (int64_t)fabs((double)r->total * o->nodefraction));
	json_key(&j, "nodes");
	json_begin_array(&j);
	flat_sum = 0;
	for (i = 0; i < g->norder; i++) {
		const struct gnode *n = &g->nodes[g->order[i]];
		int64_t flat = gnode_flat(n), cum = gnode_cum(n);
		enum inline_kind ik = gnode_inline(g, n);

		flat_sum += flat;
		json_begin_object(&j);
		json_kstr(&j, "name", n->pname);
		if (ik != INLINE_NONE)
			json_kstr(&j, "inline", ik == INLINE_PARTIAL ? "partial" : "inline");
		json_kint(&j, "flat", flat);
		json_knum(&j, "flat_percent", pct_abs(flat, r->total), 2);
		json_knum(&j, "sum_percent", pct_abs(flat_sum, r->total), 2);
		json_kint(&j, "cum", cum);
		json_knum(&j, "cum_percent", pct_abs(cum, r->total), 2);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	json_finish(&j);
	graph_free(g);
	return 0;
}
