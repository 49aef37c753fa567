/* report_json: JSON renderings of the text reports (schemas documented
 * in docs/json.md). */
#ifndef DRIP_REPORT_JSON_H
#define DRIP_REPORT_JSON_H
#include <stdio.h>

#include "report.h"

/* drip.top/1: the rows of `drip top` (same graph, trimming and order),
 * values as exact integers in the sample type's unit.  files are the
 * inputs named on the command line. */
int report_top_json(struct report *r, const char *const *files, int nfiles, FILE *f);

#endif
