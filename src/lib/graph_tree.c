/* graph_tree: pprof's call tree (graph.newTree and Graph.TrimTree), for
 * --call-tree.  The tree reuses struct graph: its nodes are tree nodes
 * (one per distinct path from a root, so several may share a
 * node_info), each with at most one incoming edge. */
#include "graph.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "xalloc.h"

void graph_build_tree(struct graph *g)
{
	const struct profile *p = g->prof;
	struct gnode *base = g->nodes, *tn = NULL;
	struct gedge *edges = NULL;
	uint32_t *in_edge = NULL, *parent_of = NULL, *leaf;
	size_t ntn = 0, cap_tn = 0, nedges = 0, cap_edges = 0, cap_in = 0, cap_par = 0, i;
	struct u64map children = U64MAP_INIT;

	graph_tags_release(g);
	leaf = xreallocarray(NULL, p->nsamples + 1, sizeof(uint32_t));
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *s = &p->samples[i];
		const uint32_t *stk = pf_stack(p, s);
		const int64_t *v = pf_values(p, i);
		int64_t w = v[g->opts.sample_index], dw = g->opts.mean_index >= 0 ? v[g->opts.mean_index] : 0;
		uint32_t parent = PF_NONE, k;

		leaf[i] = PF_NONE;
		if (w == 0 && dw == 0)
			continue;
		for (k = s->nlocs; k-- > 0;) {
			uint32_t loc = stk[k], first = g->loc_first[loc], cnt = g->loc_count[loc], ni;

			for (ni = cnt; ni-- > 0;) {
				uint32_t bx = g->loc_nodes[first + ni], cx;
				uint64_t key = ((uint64_t)(parent + 1) << 32) | bx;
				int ins;
				uint64_t *slot = u64map_put(&children, key, ntn, &ins);
				bool inl = ni != cnt - 1;

				if (ins) {
					xgrow(&tn, &cap_tn, ntn + 1, sizeof(*tn));
					memset(&tn[ntn], 0, sizeof(*tn));
					tn[ntn].info = base[bx].info;
					tn[ntn].pname = base[bx].pname;
					tn[ntn].kept = true;
					xgrow(&in_edge, &cap_in, ntn + 1, sizeof(uint32_t));
					in_edge[ntn] = UINT32_MAX;
					xgrow(&parent_of, &cap_par, ntn + 1, sizeof(uint32_t));
					parent_of[ntn] = parent;
					ntn++;
				}
				cx = (uint32_t)*slot;
				tn[cx].cum = sat_add(tn[cx].cum, w);
				tn[cx].cum_div += dw;
				if (parent != PF_NONE) {
					struct gedge *e;

					if (in_edge[cx] == UINT32_MAX) {
						xgrow(&edges, &cap_edges, nedges + 1, sizeof(*e));
						e = &edges[nedges];
						memset(e, 0, sizeof(*e));
						e->src = parent;
						e->dst = cx;
						e->inline_ = inl;
						in_edge[cx] = (uint32_t)nedges++;
					} else {
						e = &edges[in_edge[cx]];
						if (!inl)
							e->inline_ = false;
					}
					e->weight = sat_add(e->weight, w);
					e->weight_div += dw;
				}
				parent = cx;
			}
		}
		if (parent != PF_NONE) {
			tn[parent].flat = sat_add(tn[parent].flat, w);
			tn[parent].flat_div += dw;
		}
		leaf[i] = parent;
	}
	u64map_release(&children);
	free(in_edge);
	free(base);
	free(g->edges);
	g->nodes = tn;
	g->nnodes = ntn;
	g->cap_nodes = cap_tn;
	g->edges = edges;
	g->nedges = nedges;
	g->cap_edges = cap_edges;
	g->tree = true;
	free(g->tree_parent);
	free(g->sample_leaf);
	g->tree_parent = parent_of;
	g->sample_leaf = leaf;

	/* pprof's selectNodesForGraph */
	free(g->order);
	g->order = xreallocarray(NULL, ntn + 1, sizeof(uint32_t));
	g->norder = 0;
	{
		bool *in_graph = xcalloc(ntn + 1, sizeof(bool));

		for (i = 0; i < ntn; i++) {
			const struct gnode *n = &tn[i];
			if (n->cum == 0 && n->flat == 0)
				continue;
			if (g->opts.drop_negative && (n->flat < 0 || (n->flat == 0 && n->cum < 0)))
				continue;
			g->order[g->norder++] = (uint32_t)i;
			in_graph[i] = true;
		}
		for (i = 0; i < nedges; i++)
			if (!in_graph[edges[i].src] || !in_graph[edges[i].dst])
				edges[i].deleted = true;
		free(in_graph);
	}
	graph_link(g);
}

/* The live incoming edge of a tree node, or UINT32_MAX. */
static uint32_t in_edge_of(const struct graph *g, uint32_t n)
{
	uint32_t k;

	for (k = 0; k < g->nodes[n].nin; k++)
		if (!g->edges[g->nodes[n].in[k]].deleted)
			return g->nodes[n].in[k];
	return UINT32_MAX;
}

void graph_trim_tree(struct graph *g)
{
	size_t i, nk = 0;

	/* Reattach every kept node to its nearest kept ancestor; edges
	 * through dropped nodes become residual, inline only when every
	 * edge on the way was.  A kept node below a dropped root becomes a
	 * root itself.  This is what pprof's node-by-node TrimTree ends
	 * with, whatever the order it visits nodes in. */
	for (i = 0; i < g->norder; i++) {
		uint32_t n = g->order[i], e = in_edge_of(g, n), cur;
		bool inl, moved = false;

		if (!g->nodes[n].kept || e == UINT32_MAX)
			continue;
		inl = g->edges[e].inline_;
		cur = g->edges[e].src;
		while (!g->nodes[cur].kept) {
			uint32_t pe = in_edge_of(g, cur);
			if (pe == UINT32_MAX) {
				cur = UINT32_MAX;
				break;
			}
			inl = inl && g->edges[pe].inline_;
			cur = g->edges[pe].src;
			moved = true;
		}
		if (cur == UINT32_MAX) {
			g->edges[e].deleted = true;
			continue;
		}
		if (moved) {
			g->edges[e].src = cur;
			g->edges[e].residual = true;
			g->edges[e].inline_ = inl;
		}
	}
	for (i = 0; i < g->nedges; i++) {
		struct gedge *e = &g->edges[i];
		if (!e->deleted && (!g->nodes[e->src].kept || !g->nodes[e->dst].kept))
			e->deleted = true;
	}
	for (i = 0; i < g->norder; i++)
		if (g->nodes[g->order[i]].kept)
			g->order[nk++] = g->order[i];
	g->norder = nk;
	graph_link(g);
	graph_remove_redundant_edges(g);
}
