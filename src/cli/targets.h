/* targets: drip watch --targets=FILE: one target a line, "NAME URL" or
 * "URL"; blank lines and '#' comments (at the start of a line or after
 * blanks) are skipped.  NAME is letters, digits, '.', '_' and '-' (it
 * becomes the snapshots' file names and the target label). */
#ifndef DRIP_TARGETS_H
#define DRIP_TARGETS_H
#include <stddef.h>

struct target {
	char *name; /* owned; NULL when the line gives none */
	char *url;  /* owned, as written */
};

/* targets_read: the targets in the file at path, appended to *t (*n of
 * them so far).  0, or -1 with err_set() naming the file and line. */
int targets_read(const char *path, struct target **t, size_t *n);

/* targets_free: the n targets and the array. */
void targets_free(struct target *t, size_t n);

#endif
