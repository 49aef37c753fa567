/* afile: every file drip writes (-o FILE, watch snapshots, fetch) is
 * written atomically, as git's lockfile.c does: to a temporary file in
 * the same directory, flushed and fsync'd, then renamed (or linked, when
 * an existing file must not be replaced) over the final name, and the
 * directory fsync'd.  A crash or kill -9 leaves either the old file or
 * the new one, never a torn one, plus at most a temporary file that is
 * recognisable by its name (".NAME.drip-tmp-PID-XXXXXX"), skipped by
 * readers of a directory and removed by the next run that writes there
 * once its process is gone. */
#ifndef DRIP_AFILE_H
#define DRIP_AFILE_H
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

enum {
	AFILE_NOREPLACE = 1, /* fail with EEXIST rather than replace a file */
};

struct afile {
	FILE *f;         /* write here */
	char *path;      /* owned: the name the caller gave (for messages) */
	char *dest;      /* owned: where it lands (a symlink's target resolved) */
	char *tmp;       /* owned: the temporary file */
	unsigned flags;
};

/* afile_open: start writing path (through symlinks, even dangling ones:
 * the file lands where the link points).  mode as for open(2), before
 * the umask; an existing file's mode is kept.  0, or -1 with err_set()
 * naming path and the reason. */
int afile_open(struct afile *a, const char *path, mode_t mode, unsigned flags);

/* afile_commit: flush, fsync, move into place, fsync the directory.
 * 0, or -1 with err_set() (the temporary file is removed; errno is
 * EEXIST when AFILE_NOREPLACE found the name taken).  Releases a. */
int afile_commit(struct afile *a);

/* afile_abort: remove the temporary file; releases a.  NULL-safe on a
 * released afile. */
void afile_abort(struct afile *a);

/* afile_is_temp: whether a directory entry's name is one of afile's
 * temporary files. */
bool afile_is_temp(const char *name);

/* afile_clean_dir: remove afile temporary files in dir whose process is
 * gone (a kill -9 leaves them).  Returns how many were removed. */
int afile_clean_dir(const char *dir);

#endif
