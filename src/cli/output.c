#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "xalloc.h"

int output_open(struct output *out, const char *path)
{
	struct stat st;

	memset(out, 0, sizeof(*out));
	if (!path || strcmp(path, "-") == 0) {
		out->f = stdout;
		return 0;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A device (/dev/null, /dev/full), FIFO or terminal cannot be
		 * replaced by renaming: write to it in place. */
		out->f = fopen(path, "w");
		if (!out->f)
			return err_set("cannot write '%s': %s", path, strerror(errno));
		out->path = xstrdup(path);
		return 0;
	}
	if (afile_open(&out->af, path, 0666, 0) < 0)
		return -1;
	{
		/* What a killed run left beside the target goes now. */
		const char *slash = strrchr(out->af.dest, '/');
		char *dir = slash ? xstrndup(out->af.dest, (size_t)(slash - out->af.dest)) : xstrdup(".");
		afile_clean_dir(*dir ? dir : "/");
		free(dir);
	}
	out->f = out->af.f;
	return 0;
}

int output_close(struct output *out, int ok)
{
	int r = 0;

	if (!out->f)
		return 0;
	if (out->f == stdout) {
		out->f = NULL;
		return 0; /* main checks stdout when it exits */
	}
	if (out->af.f) {
		if (!ok) {
			afile_abort(&out->af);
		} else {
			r = afile_commit(&out->af);
		}
		memset(out, 0, sizeof(*out));
		return r;
	}
	/* a device, written in place */
	errno = 0;
	if (fflush(out->f) != 0 || ferror(out->f)) {
		if (ok)
			r = err_set("cannot write '%s': %s", out->path, errno ? strerror(errno) : "write error");
	}
	if (fclose(out->f) != 0 && ok && r == 0)
		r = err_set("cannot write '%s': %s", out->path, strerror(errno));
	free(out->path);
	memset(out, 0, sizeof(*out));
	return r;
}

void output_report(const struct output *out)
{
	const char *name = out->af.f ? out->af.path : out->path;

	if (err_is_write()) {
		if (out->f == stdout)
			return; /* main: "cannot write to standard output: REASON" */
		err_prefix("cannot write '%s'", name ? name : "output");
	}
	err_print();
}
