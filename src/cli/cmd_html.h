/* cmd_html: the HTML report of `drip report`, also written by `drip
 * check --html=FILE`. */
#ifndef DRIP_CMD_HTML_H
#define DRIP_CMD_HTML_H
#include <stdbool.h>

#include "gate.h"
#include "report.h"
#include "session.h"

/* The options only the HTML report has. */
struct report_html_opts {
	const char *title;   /* NULL: "drip report" */
	bool merge;          /* merge several files instead of a series */
	double minwidth;     /* flame pruning, percent of the total */
	int graph_nodecount; /* 0: --nodecount, else 80 */
};

/* report_html_file: load files (NEW: a series unless merge or bases) and
 * bases as `drip report` does and write the page to path (NULL or "-":
 * stdout, else atomically), with the verdict of a `drip check` run when
 * gate is not NULL.  lo's own bases are ignored.  0, or -1 with
 * err_set(). */
int report_html_file(const char *path, const char *const *files, int nfiles, const char *const *bases, int nbases,
		     const struct report_opts *ro, const struct load_opts *lo, const struct report_html_opts *hc,
		     const struct gate *gate);

#endif
