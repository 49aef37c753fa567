/* snapdir: the folders drip watch --dir writes, read back.  A snapshot
 * is named TARGET-ROUND-TIME[-N].EXT (watch.c: TARGET from the URL's
 * host, port, path and query; ROUND three or more digits; TIME
 * YYYYmmddTHHMMSSZ; -N when the name was taken; EXT .pb.gz, .pb or
 * .txt).  Hidden files (afile's temporaries among them) are skipped;
 * other files form one series of their own, in name order. */
#ifndef DRIP_SNAPDIR_H
#define DRIP_SNAPDIR_H
#include <stdbool.h>
#include <stddef.h>

struct snap_series {
	char *target;   /* owned: TARGET, or the folder for other files */
	char **files;   /* owned paths, in round order */
	size_t nfiles;
};

struct snapdir {
	struct snap_series *series; /* owned, sorted by target */
	size_t nseries;
};

/* snapdir_read: add the snapshots in dir to d (a zeroed struct snapdir
 * to start with; several folders may be added).  0, or -1 with
 * err_set(). */
int snapdir_read(struct snapdir *d, const char *dir);
void snapdir_release(struct snapdir *d);

/* snapdir_target: the TARGET part of a snapshot's file name (path may
 * have folders), or NULL when it is not a drip watch name.  Caller
 * frees. */
char *snapdir_target(const char *path);

/* is_snapdir: whether path is a folder. */
bool snapdir_is_dir(const char *path);

/* snapdir_leaks: drip leaks with folders among its operands: each
 * folder's files replace it, grouped by target, and drip leaks runs once
 * per target (under a "== TARGET" line when there are several).
 * Returns -1 when no operand is a folder (the caller goes on as usual),
 * else the highest exit status of the runs. */
int snapdir_leaks(int argc, char **argv);

#endif
