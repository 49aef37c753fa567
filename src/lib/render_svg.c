/* render_svg: DOT text to SVG (or PNG) in-process with graphviz's
 * libraries, the only user of gvc.  The dot layout and core (SVG)
 * plugins are linked in and registered with gvContextPlugins, so no
 * plugin configuration, no `dot` binary and no fonts are consulted:
 * text is measured with graphviz's built-in metrics and the geometry is
 * the same on every machine.  PNG needs the cairo plugin
 * (libgvplugin_pango), loaded with dlopen only when asked for. */
#include "report_dot.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gvc.h>
#include <gvplugin.h>

#include "buf.h"
#include "error.h"

#ifndef GV_PLUGIN_DIR
#define GV_PLUGIN_DIR "/usr/lib/x86_64-linux-gnu/graphviz"
#endif

extern gvplugin_library_t gvplugin_dot_layout_LTX_library;
extern gvplugin_library_t gvplugin_core_LTX_library;


/* graphviz's messages, collected for drip's error reporting. */
static struct buf gv_msgs;

static int collect(char *msg)
{
	/* graphviz 2.42 sends "Warning" or "Error", then ": ", then the
	 * message; drip says itself whether it is an error or a warning */
	if (strcmp(msg, "Warning") == 0 || strcmp(msg, "Error") == 0 || strcmp(msg, ": ") == 0)
		return 0;
	buf_puts(&gv_msgs, msg);
	return 0;
}

/* Mark the edges that close a cycle (found depth first, nodes and edges
 * in file order, as dot's own acyclic pass looks for them) with
 * constraint=false, so that dot never reverses an edge: its reversed
 * virtual edges leak (graphviz 2.42, acyclic.c/fastgr.c).  The edge is
 * drawn as before, pointing the same way; it just does not push its
 * head below its tail. */
struct dfs_state {
	Agraph_t *g;
	Agsym_t *constraint;
	char *mark; /* 0 new, 1 on the stack, 2 done; by AGSEQ */
	size_t n;
};

static void dfs(struct dfs_state *st, Agnode_t *n)
{
	Agedge_t *e;
	size_t i = (size_t)AGSEQ(n);

	if (i >= st->n || st->mark[i])
		return;
	st->mark[i] = 1;
	for (e = agfstout(st->g, n); e; e = agnxtout(st->g, e)) {
		Agnode_t *h = aghead(e);
		size_t k = (size_t)AGSEQ(h);

		if (h == n || k >= st->n)
			continue;
		if (st->mark[k] == 1)
			agxset(e, st->constraint, "false");
		else if (st->mark[k] == 0)
			dfs(st, h);
	}
	st->mark[i] = 2;
}

static void break_cycles(Agraph_t *g)
{
	struct dfs_state st;
	Agnode_t *n;

	st.g = g;
	st.n = 1;
	for (n = agfstnode(g); n; n = agnxtnode(g, n))
		if ((size_t)AGSEQ(n) + 1 > st.n)
			st.n = (size_t)AGSEQ(n) + 1;
	st.mark = calloc(st.n, 1);
	if (!st.mark)
		return;
	st.constraint = agattr(g, AGEDGE, "constraint", "true");
	for (n = agfstnode(g); n; n = agnxtnode(g, n))
		dfs(&st, n);
	free(st.mark);
}

/* The collected messages as one line: "Error: syntax error in line 3" */
static const char *messages(void)
{
	size_t i;

	if (!gv_msgs.data)
		return "unknown graphviz error";
	for (i = 0; i < gv_msgs.len; i++)
		if (gv_msgs.data[i] == '\n')
			gv_msgs.data[i] = ' ';
	while (gv_msgs.len > 0 && gv_msgs.data[gv_msgs.len - 1] == ' ')
		gv_msgs.data[--gv_msgs.len] = 0;
	return gv_msgs.data;
}

/* ---- bounds on what graphviz is given ----
 *
 * graphviz's DOT lexer is quadratic in the length of a string (a 4 MiB
 * function name took 35 s, a 64 MiB label over 120 s) and its label
 * code crashed on a label of 32,769 lines (one nodelet listing every
 * label of a sample).  So every quoted string of the DOT text is
 * shortened on its way to graphviz: at most RENDER_LINES lines (the
 * first ones and the last ones, where a node's values are, with a "…"
 * line between) of at most RENDER_LINE_BYTES bytes each (cut with "…").
 * A string is then at most about 9 KB and graphviz's work is bounded by
 * the number of nodes, which --nodecount bounds.  The DOT output itself
 * (drip graph without --format) keeps pprof's text in full. */
#define RENDER_LINE_BYTES 240
#define RENDER_HEAD_LINES 24
#define RENDER_TAIL_LINES 8

static const char ellipsis[] = "\xe2\x80\xa6";

/* The length of the escape or UTF-8 character at s (n bytes left). */
static size_t unit_len(const char *s, size_t n)
{
	size_t k = 1;

	if (s[0] == '\\')
		return n >= 2 ? 2 : 1;
	while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80 && ((unsigned char)s[0] & 0x80))
		k++;
	return k;
}

static bool is_line_break(const char *s, size_t n)
{
	return n >= 2 && s[0] == '\\' && (s[1] == 'n' || s[1] == 'l' || s[1] == 'r');
}

/* One line [s, e) (its break, if any, included at e), cut to
 * RENDER_LINE_BYTES. */
static void put_line(struct buf *b, const char *s, const char *e)
{
	const char *brk = e, *p = s;

	if (e - s >= 2 && is_line_break(e - 2, 2))
		brk = e - 2;
	if (brk - s <= RENDER_LINE_BYTES) {
		buf_add(b, s, (size_t)(e - s));
		return;
	}
	while (p < brk) {
		size_t u = unit_len(p, (size_t)(brk - p));
		if (p + u - s > RENDER_LINE_BYTES - 3)
			break;
		p += u;
	}
	buf_add(b, s, (size_t)(p - s));
	buf_puts(b, ellipsis);
	buf_add(b, brk, (size_t)(e - brk));
}

/* The quoted string's contents [s, e): its lines, shortened. */
static void put_string(struct buf *b, const char *s, const char *e)
{
	size_t nlines = 1, i = 0;
	const char *p, *line = s;

	for (p = s; p < e; p += unit_len(p, (size_t)(e - p)))
		if (is_line_break(p, (size_t)(e - p)))
			nlines++;
	for (p = s; p <= e;) {
		bool end = p == e, brk = !end && is_line_break(p, (size_t)(e - p));

		if (!end && !brk) {
			p += unit_len(p, (size_t)(e - p));
			continue;
		}
		if (brk)
			p += 2;
		if (nlines <= RENDER_HEAD_LINES + RENDER_TAIL_LINES + 1 || i < RENDER_HEAD_LINES ||
		    i >= nlines - RENDER_TAIL_LINES)
			put_line(b, line, p);
		else if (i == RENDER_HEAD_LINES)
			buf_printf(b, "%s (%zu more lines)\\n", ellipsis, nlines - RENDER_HEAD_LINES - RENDER_TAIL_LINES);
		i++;
		line = p;
		if (end)
			break;
	}
}

/* The DOT text with every quoted string bounded; linear in len. */
static char *bounded_dot(const char *dot, size_t len)
{
	struct buf b = BUF_INIT;
	const char *p = dot, *end = dot + len;

	buf_reserve(&b, len < ((size_t)1 << 20) ? len + 1 : (size_t)1 << 20);
	while (p < end) {
		const char *q = memchr(p, '"', (size_t)(end - p)), *s;

		if (!q) {
			buf_add(&b, p, (size_t)(end - p));
			break;
		}
		buf_add(&b, p, (size_t)(q - p) + 1);
		s = ++q;
		while (q < end && *q != '"')
			q += unit_len(q, (size_t)(end - q));
		put_string(&b, s, q < end ? q : end);
		if (q < end)
			buf_putc(&b, '"');
		p = q < end ? q + 1 : end;
	}
	return buf_detach(&b, NULL);
}

static void *pango_handle;

static gvplugin_library_t *pango_library(void)
{
	static const char *const names[] = { GV_PLUGIN_DIR "/libgvplugin_pango.so.6",
					     GV_PLUGIN_DIR "/libgvplugin_pango.so", "libgvplugin_pango.so.6" };
	size_t i;

	if (!pango_handle)
		for (i = 0; i < sizeof(names) / sizeof(names[0]) && !pango_handle; i++)
			pango_handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (!pango_handle)
		return NULL;
	return dlsym(pango_handle, "gvplugin_pango_LTX_library");
}

int render_has_format(const char *format)
{
	if (strcmp(format, "svg") == 0 || strcmp(format, "dot") == 0)
		return 1;
	if (strcmp(format, "png") == 0)
		return pango_library() != NULL;
	return 0;
}

int render_graph(const char *dot, size_t len, const char *format, FILE *f)
{
	GVC_t *gvc = NULL;
	Agraph_t *g = NULL;
	agusererrf old;
	char *text = NULL, *out = NULL;
	size_t outlen = 0;
	FILE *m = NULL;
	int rc = -1;
	bool png = strcmp(format, "png") == 0;

	buf_reset(&gv_msgs);
	old = agseterrf(collect);
	agseterr(AGWARN); /* warnings too: printed as drip warnings */
	/* The plugins must be there when the context is made: it picks its
	 * text layout engine then (pango's for PNG, else the built-in
	 * font metrics). */
	{
		lt_symlist_t builtins[4] = {
			{ "gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library },
			{ "gvplugin_core_LTX_library", &gvplugin_core_LTX_library },
			{ NULL, NULL },
			{ NULL, NULL },
		};
		if (png) {
			gvplugin_library_t *lib = pango_library();
			if (!lib) {
				err_set("cannot render 'png': graphviz's cairo plugin (libgvplugin_pango) is not available");
				goto done;
			}
			builtins[2].name = "gvplugin_pango_LTX_library";
			builtins[2].address = lib;
		}
		gvc = gvContextPlugins(builtins, 0);
	}
	if (!gvc) {
		err_set("cannot render the graph: graphviz failed to start");
		goto done;
	}
	text = bounded_dot(dot, len);
	/* dot's cluster code leaks its skeleton nodes (graphviz 2.42,
	 * mincross.c merge2; graphviz issue #65 in the old tracker), so the
	 * legend's cluster_L becomes a plain subgraph and its frame a second
	 * periphery of the legend box. */
	{
		char *c = strstr(text, "\nsubgraph cluster_L { ");
		if (c)
			memcpy(c + 1, "subgraph         L { ", 21);
	}
	g = agmemread(text);
	if (!g) {
		err_set("cannot render the graph: graphviz: %s", messages());
		goto done;
	}
	{
		Agraph_t *legend = agsubg(g, "L", 0);
		Agnode_t *n = legend ? agfstnode(legend) : NULL;
		if (n)
			agsafeset(n, "peripheries", "2", "1");
	}
	/* Text is measured with graphviz's font metrics tables, not with
	 * the fonts of this machine.  Proportional fonts differ a lot from
	 * one viewer to the next (Times vs DejaVu Serif), but monospace
	 * fonts all have advances close to 0.6em, so with Courier's metrics
	 * the labels fit their boxes wherever the SVG is viewed.  The DOT
	 * text itself stays pprof's. */
	if (!png) {
		agattr(g, AGRAPH, "fontname", "Courier");
		agattr(g, AGNODE, "fontname", "Courier");
		agattr(g, AGEDGE, "fontname", "Courier");
	}
	break_cycles(g);
	if (gvLayout(gvc, g, "dot") != 0) {
		err_set("cannot lay out the graph: graphviz: %s", messages());
		goto done;
	}
	m = open_memstream(&out, &outlen);
	if (!m) {
		err_set("out of memory");
		gvFreeLayout(gvc, g);
		goto done;
	}
	if (gvRender(gvc, g, png ? "png:cairo" : "svg", m) != 0) {
		err_set("cannot render '%s': graphviz: %s", format, messages());
		gvFreeLayout(gvc, g);
		goto done;
	}
	gvFreeLayout(gvc, g);
	fclose(m);
	m = NULL;
	if (fwrite(out, 1, outlen, f) != outlen) {
		err_write(errno);
		goto done;
	}
	if (gv_msgs.len)
		warnf("graphviz: %s", messages());
	rc = 0;
done:
	if (m)
		fclose(m);
	free(out);
	if (g)
		agclose(g);
	if (gvc)
		gvFreeContext(gvc);
	free(text);
	agseterrf(old);
	buf_release(&gv_msgs);
	return rc;
}
