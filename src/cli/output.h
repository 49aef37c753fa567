/* output: where a command writes its result: stdout, or -o FILE written
 * to a temporary file beside FILE (beside a symlink's target) and renamed
 * into place only when everything succeeded, keeping an existing file's
 * mode; a FILE that exists and is not a regular file (/dev/null, a FIFO)
 * is written in place. */
#ifndef DRIP_OUTPUT_H
#define DRIP_OUTPUT_H
#include <stdio.h>

struct output {
	FILE *f;
	char *path, *tmp; /* owned; NULL for stdout */
	char *dest;       /* owned: the symlink's target to replace, or NULL */
};
/* output_open: path NULL or "-" is stdout.  0, or -1 with err_set(). */
int output_open(struct output *out, const char *path);
/* output_close: flush, check for write errors, rename.  ok=0 discards
 * the temporary file.  Returns 0, or -1 with err_set(). */
int output_close(struct output *out, int ok);

#endif
