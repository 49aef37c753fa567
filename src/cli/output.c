#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "xalloc.h"

int output_open(struct output *out, const char *path)
{
	struct stat st;
	struct buf b = BUF_INIT;
	char *real = NULL;
	mode_t mode;
	int fd;

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
	if (stat(path, &st) == 0) {
		struct stat lst;

		mode = st.st_mode & 07777; /* keep an existing file's mode */
		if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
			real = realpath(path, NULL); /* replace the link's target */
	} else {
		mode_t um = umask(0);
		umask(um);
		mode = 0666 & ~um; /* the mode a plain fopen gives */
	}
	/* Write a temporary file beside the target and rename it into
	 * place in output_close: a failed run never leaves a partial file
	 * where a good one was. */
	buf_printf(&b, "%s.tmpXXXXXX", real ? real : path);
	fd = mkstemp(b.data);
	if (fd < 0) {
		err_set("cannot write '%s': %s", path, strerror(errno));
		buf_release(&b);
		free(real);
		return -1;
	}
	if (fchmod(fd, mode) != 0 || !(out->f = fdopen(fd, "w"))) {
		err_set("cannot write '%s': %s", path, strerror(errno));
		close(fd);
		unlink(b.data);
		buf_release(&b);
		free(real);
		return -1;
	}
	out->tmp = buf_detach(&b, NULL);
	out->path = xstrdup(path);
	out->dest = real;
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
	errno = 0;
	if (fflush(out->f) != 0 || ferror(out->f)) {
		if (ok)
			r = err_set("cannot write '%s': %s", out->path, errno ? strerror(errno) : "write error");
		ok = 0;
	}
	if (fclose(out->f) != 0 && ok) {
		r = err_set("cannot write '%s': %s", out->path, strerror(errno));
		ok = 0;
	}
	if (out->tmp && ok && rename(out->tmp, out->dest ? out->dest : out->path) != 0) {
		r = err_set("cannot write '%s': renaming the temporary file: %s", out->path, strerror(errno));
		ok = 0;
	}
	if (out->tmp && !ok)
		unlink(out->tmp);
	free(out->tmp);
	free(out->path);
	free(out->dest);
	memset(out, 0, sizeof(*out));
	return r;
}
