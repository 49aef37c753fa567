#include "afile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "xalloc.h"

#define TEMP_MARK ".drip-tmp-"

/* The directory part of path ("." for a bare name); caller frees. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* Follow symlinks from path to the file they name, which need not exist
 * (a dangling link is written through, as cp or sh's > do).  Caller
 * frees; NULL with err_set() on a loop or a read error. */
static char *resolve_links(const char *path)
{
	char *cur = xstrdup(path);
	int hops;

	for (hops = 0; hops < 40; hops++) {
		struct stat st;
		char target[PATH_MAX];
		ssize_t n;

		if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
			return cur;
		n = readlink(cur, target, sizeof(target) - 1);
		if (n < 0) {
			err_set("cannot write '%s': %s", path, strerror(errno));
			free(cur);
			return NULL;
		}
		target[n] = '\0';
		if (target[0] == '/') {
			free(cur);
			cur = xstrdup(target);
		} else {
			struct buf b = BUF_INIT;
			char *dir = dir_of(cur);

			buf_printf(&b, "%s/%s", dir, target);
			free(dir);
			free(cur);
			cur = buf_detach(&b, NULL);
		}
	}
	free(cur);
	err_set("cannot write '%s': %s", path, strerror(ELOOP));
	return NULL;
}

static void afile_release(struct afile *a)
{
	free(a->path);
	free(a->dest);
	free(a->tmp);
	memset(a, 0, sizeof(*a));
}

int afile_open(struct afile *a, const char *path, mode_t mode, unsigned flags)
{
	struct buf b = BUF_INIT;
	struct stat st;
	const char *base;
	char *dir;
	int fd;

	memset(a, 0, sizeof(*a));
	a->dest = resolve_links(path);
	if (!a->dest)
		return -1;
	a->path = xstrdup(path);
	a->flags = flags;
	if (stat(a->dest, &st) == 0) {
		mode = st.st_mode & 07777; /* keep an existing file's mode */
	} else {
		mode_t um = umask(0);
		umask(um);
		mode &= ~um;
	}
	dir = dir_of(a->dest);
	base = strrchr(a->dest, '/');
	base = base ? base + 1 : a->dest;
	buf_printf(&b, "%s/.%s" TEMP_MARK "%ld-XXXXXX", dir, base, (long)getpid());
	free(dir);
	fd = mkstemp(b.data);
	if (fd < 0) {
		err_set("cannot write '%s': %s", path, strerror(errno));
		buf_release(&b);
		afile_release(a);
		return -1;
	}
	if (fchmod(fd, mode) != 0 || !(a->f = fdopen(fd, "w"))) {
		err_set("cannot write '%s': %s", path, strerror(errno));
		close(fd);
		unlink(b.data);
		buf_release(&b);
		afile_release(a);
		return -1;
	}
	a->tmp = buf_detach(&b, NULL);
	return 0;
}

/* fsync the directory that holds path, so that a rename survives a crash.
 * Some file systems refuse to fsync a directory: that is not an error. */
static void sync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

int afile_commit(struct afile *a)
{
	int fd, saved;

	if (!a->f)
		return 0;
	errno = 0;
	if (fflush(a->f) != 0 || ferror(a->f)) {
		saved = errno;
		err_set("cannot write '%s': %s", a->path, saved ? strerror(saved) : "write error");
		goto fail;
	}
	fd = fileno(a->f);
	if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS) {
		saved = errno;
		err_set("cannot write '%s': %s", a->path, strerror(saved));
		goto fail;
	}
	if (fclose(a->f) != 0) {
		a->f = NULL;
		saved = errno;
		err_set("cannot write '%s': %s", a->path, strerror(saved));
		goto fail;
	}
	a->f = NULL;
	if (a->flags & AFILE_NOREPLACE) {
		/* link(2) fails when the name exists: nothing is replaced. */
		if (link(a->tmp, a->dest) != 0) {
			saved = errno;
			if (saved == EEXIST)
				err_set("cannot write '%s': the file exists", a->path);
			else
				err_set("cannot write '%s': %s", a->path, strerror(saved));
			goto fail;
		}
		unlink(a->tmp);
	} else if (rename(a->tmp, a->dest) != 0) {
		saved = errno;
		err_set("cannot write '%s': renaming the temporary file: %s", a->path, strerror(saved));
		goto fail;
	}
	sync_dir(a->dest);
	afile_release(a);
	return 0;
fail:
	if (a->f)
		fclose(a->f);
	a->f = NULL;
	unlink(a->tmp);
	afile_release(a);
	errno = saved;
	return -1;
}

void afile_abort(struct afile *a)
{
	if (a->f)
		fclose(a->f);
	if (a->tmp)
		unlink(a->tmp);
	afile_release(a);
}

bool afile_is_temp(const char *name)
{
	return name[0] == '.' && strstr(name, TEMP_MARK) != NULL;
}

int afile_clean_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int removed = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		const char *m;
		char *end;
		long pid;

		if (!afile_is_temp(e->d_name))
			continue;
		m = strstr(e->d_name, TEMP_MARK) + strlen(TEMP_MARK);
		pid = strtol(m, &end, 10);
		if (end == m || *end != '-' || pid <= 0)
			continue;
		/* Only a dead process's file: another drip may be writing. */
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		if (unlinkat(dirfd(d), e->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}
