/* report_dot: pprof's -dot output (report.GetDOT + graph.ComposeDot),
 * byte for byte, and its SVG/PNG rendering through graphviz's libraries
 * (render_svg.c). */
#ifndef DRIP_REPORT_DOT_H
#define DRIP_REPORT_DOT_H
#include <stdio.h>

#include "report.h"

/* report_dot: build, trim and write the call graph of r as DOT to f.
 * Returns 0, or -1 with err_set(). */
int report_dot(struct report *r, FILE *f);

/* report_dot_diff: the same for a diff (r's profile is new - base, as
 * pprof's -diff_base/-base make it); base is the base profile alone
 * (filtered like the inputs), and each node's label gets a last line
 * "BASE → NEW" with its cumulative value in either profile.  pprof's
 * colours (red grew, green shrank) come from the signed values. */
int report_dot_diff(struct report *r, const struct profile *base, FILE *f);

/* escape_for_dot: pprof's escapeForDot (\ and " escaped, newline to \l),
 * appended to b. */
struct buf;
void escape_for_dot(struct buf *b, const char *s);

/* render_graph: lay out the DOT text with graphviz's dot layout and
 * render it in format ("svg", "png") to f, in-process.  Returns 0, or
 * -1 with err_set() (graphviz's own messages included). */
int render_graph(const char *dot, size_t len, const char *format, FILE *f);

/* render_has_format: 1 when the linked graphviz plugins can render it. */
int render_has_format(const char *format);

#endif
