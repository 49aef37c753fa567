/* output: where a command writes its result: stdout, or -o FILE written
 * atomically through afile (a temporary file beside FILE, or beside the
 * file a symlink points to, renamed into place only when everything
 * succeeded, keeping an existing file's mode); a FILE that exists and is
 * not a regular file (/dev/null, a FIFO) is written in place. */
#ifndef DRIP_OUTPUT_H
#define DRIP_OUTPUT_H
#include <stdio.h>

#include "afile.h"

struct output {
	FILE *f;
	char *path;       /* owned: a device written in place; NULL otherwise */
	struct afile af;  /* a regular file */
};
/* output_open: path NULL or "-" is stdout.  Also removes temporary files
 * that killed drip runs left in the target's directory.  0, or -1 with
 * err_set(). */
int output_open(struct output *out, const char *path);
/* output_report: print the current error, naming the output when it is
 * a write error (err_is_write): "cannot write 'FILE': REASON"; a write
 * error on stdout is left to main, which reports it once. */
void output_report(const struct output *out);
/* output_close: flush, check for write errors, move into place.  ok=0
 * discards the temporary file.  Returns 0, or -1 with err_set(). */
int output_close(struct output *out, int ok);

#endif
