#include "snapdir.h"
#include "cmd_leaks.h"

#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "afile.h"
#include "buf.h"
#include "cmd.h"
#include "error.h"
#include "xalloc.h"

/* One file of a folder, before grouping. */
struct entry {
	char *target; /* owned; NULL: not a watch snapshot name */
	long round;
	char stamp[17];
	long n;       /* the -N of a name that was taken, else 1 */
	char *path;   /* owned */
	char *name;   /* borrowed from path */
};

static int entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c;

	if (!x->target != !y->target)
		return x->target ? -1 : 1;
	if (x->target && (c = strcmp(x->target, y->target)) != 0)
		return c;
	if (x->round != y->round)
		return x->round < y->round ? -1 : 1;
	if ((c = strcmp(x->stamp, y->stamp)) != 0)
		return c;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

static struct snap_series *series_for(struct snapdir *d, const char *target)
{
	size_t i;

	for (i = 0; i < d->nseries; i++)
		if (!strcmp(d->series[i].target, target))
			return &d->series[i];
	d->series = xreallocarray(d->series, d->nseries + 1, sizeof(*d->series));
	memset(&d->series[d->nseries], 0, sizeof(*d->series));
	d->series[d->nseries].target = xstrdup(target);
	return &d->series[d->nseries++];
}

static int series_cmp(const void *a, const void *b)
{
	return strcmp(((const struct snap_series *)a)->target, ((const struct snap_series *)b)->target);
}

static const char pattern[] = "^(.+)-([0-9]{3,9})-([0-9]{8}T[0-9]{6}Z)(-([0-9]{1,9}))?\\.(pb\\.gz|pb|txt)$";

char *snapdir_target(const char *path)
{
	const char *base = strrchr(path, '/');
	regex_t re;
	regmatch_t m[2];
	char *t = NULL;

	base = base ? base + 1 : path;
	if (regcomp(&re, pattern, REG_EXTENDED) != 0)
		return NULL;
	if (regexec(&re, base, 2, m, 0) == 0)
		t = xstrndup(base + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
	regfree(&re);
	return t;
}

int snapdir_read(struct snapdir *d, const char *dir)
{
	regex_t re;
	regmatch_t m[7];
	DIR *dh;
	struct dirent *de;
	struct entry *es = NULL;
	size_t n = 0, i;

	if (regcomp(&re, pattern, REG_EXTENDED) != 0)
		return err_set("snapdir: bad pattern"); /* cannot happen */
	dh = opendir(dir);
	if (!dh) {
		regfree(&re);
		return err_set("cannot read '%s': %s", dir, strerror(errno));
	}
	while ((de = readdir(dh))) {
		struct buf path = BUF_INIT;
		struct stat st;
		struct entry e;

		if (de->d_name[0] == '.' || afile_is_temp(de->d_name))
			continue; /* hidden files, temporaries of a running or killed write */
		buf_printf(&path, "%s/%s", dir, de->d_name);
		if (stat(path.data, &st) != 0 || !S_ISREG(st.st_mode)) {
			buf_release(&path);
			continue;
		}
		memset(&e, 0, sizeof(e));
		e.n = 1;
		if (regexec(&re, de->d_name, 7, m, 0) == 0) {
			e.target = xstrndup(de->d_name + m[1].rm_so, (size_t)(m[1].rm_eo - m[1].rm_so));
			e.round = strtol(de->d_name + m[2].rm_so, NULL, 10);
			memcpy(e.stamp, de->d_name + m[3].rm_so, 16);
			if (m[5].rm_so >= 0)
				e.n = strtol(de->d_name + m[5].rm_so, NULL, 10);
		}
		e.path = buf_detach(&path, NULL);
		e.name = e.path + strlen(dir) + 1;
		es = xreallocarray(es, n + 1, sizeof(*es));
		es[n++] = e;
	}
	closedir(dh);
	regfree(&re);
	if (n)
		qsort(es, n, sizeof(*es), entry_cmp);
	for (i = 0; i < n; i++) {
		struct snap_series *s = series_for(d, es[i].target ? es[i].target : dir);

		s->files = xreallocarray(s->files, s->nfiles + 1, sizeof(char *));
		s->files[s->nfiles++] = es[i].path;
		free(es[i].target);
	}
	free(es);
	if (d->nseries)
		qsort(d->series, d->nseries, sizeof(*d->series), series_cmp);
	return 0;
}

void snapdir_release(struct snapdir *d)
{
	size_t i, k;

	for (i = 0; i < d->nseries; i++) {
		for (k = 0; k < d->series[i].nfiles; k++)
			free(d->series[i].files[k]);
		free(d->series[i].files);
		free(d->series[i].target);
	}
	free(d->series);
	memset(d, 0, sizeof(*d));
}

bool snapdir_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The service part of a drip watch target and the pprof endpoint after
 * it: "127.0.0.1_6060_heap" is service "127.0.0.1_6060", endpoint heap
 * (1) or goroutine (2), the last such element of the name; 0 for any
 * other target.  *n gets the service's length. */
static int target_endpoint(const char *t, size_t *n)
{
	static const char *const ep[] = { "_heap", "_goroutine" };
	const char *best = NULL;
	int kind = 0;
	size_t i;

	for (i = 0; i < 2; i++) {
		const char *p = t, *q;
		size_t m = strlen(ep[i]);
		while ((q = strstr(p, ep[i])) != NULL) {
			if ((q[m] == '\0' || q[m] == '_') && (!best || q > best)) {
				best = q;
				kind = (int)i + 1;
			}
			p = q + 1;
		}
	}
	*n = best ? (size_t)(best - t) : 0;
	return kind;
}

/* The goroutine target joined with heap target h: the only goroutine
 * target of the same service; -1 when none or several. */
static long joined_with(const struct snapdir *d, size_t h)
{
	size_t n, m, i;
	long g = -1;

	if (target_endpoint(d->series[h].target, &n) != 1)
		return -1;
	for (i = 0; i < d->nseries; i++)
		if (target_endpoint(d->series[i].target, &m) == 2 && m == n &&
		    strncmp(d->series[i].target, d->series[h].target, n) == 0) {
			if (g >= 0)
				return -1;
			g = (long)i;
		}
	return g;
}

int snapdir_leaks(int argc, char **argv)
{
	struct snapdir d = { 0 };
	char **opts, **av;
	int i, nopts = 0, ndirs = 0, rc = EXIT_OK;
	bool json = false, to_file = false;
	size_t s, k, nruns;
	long *pair = NULL; /* per series: the series joined with it, -1;
			    * -2 for a goroutine series joined to a heap one */

	for (i = 1; i < argc; i++) {
		if (argv[i][0] != '-' && snapdir_is_dir(argv[i]))
			ndirs++;
		/* one exposition over every target: leaks_cli_openmetrics() */
		if (!strcmp(argv[i], "--format=openmetrics") ||
		    (!strcmp(argv[i], "--format") && i + 1 < argc && !strcmp(argv[i + 1], "openmetrics")))
			return -1;
	}
	if (!ndirs)
		return -1;
	/* The options, and the files given beside the folders (they join
	 * every series). */
	opts = xcalloc((size_t)argc, sizeof(char *));
	for (i = 1; i < argc; i++) {
		if (argv[i][0] != '-' && snapdir_is_dir(argv[i])) {
			if (snapdir_read(&d, argv[i]) < 0) {
				err_print();
				rc = EXIT_TROUBLE;
				goto out;
			}
			continue;
		}
		if (!strcmp(argv[i], "-o") || !strncmp(argv[i], "--output", 8) ||
		    (!strncmp(argv[i], "-o", 2) && argv[i][2]))
			to_file = true;
		if (!strncmp(argv[i], "--format=json", 13) || (!strcmp(argv[i], "--format") && i + 1 < argc &&
							      !strcmp(argv[i + 1], "json")))
			json = true;
		opts[nopts++] = argv[i];
	}
	if (d.nseries == 0) {
		fprintf(stderr, "drip leaks: no snapshot in the folder%s given\n", ndirs > 1 ? "s" : "");
		rc = EXIT_TROUBLE;
		goto out;
	}
	/* A service's heap and goroutine targets are one run, joined. */
	pair = xcalloc(d.nseries, sizeof(*pair));
	for (s = 0; s < d.nseries; s++)
		pair[s] = -1;
	for (s = 0; s < d.nseries; s++) {
		long g = joined_with(&d, s);
		if (g >= 0 && pair[g] == -1) {
			pair[s] = g;
			pair[g] = -2;
		}
	}
	for (s = 0, nruns = 0; s < d.nseries; s++)
		nruns += pair[s] != -2;
	if (nruns > 1 && (to_file || json)) {
		/* one output document: one run */
		const char *what = to_file ? "-o" : "--format=json";
		if (nruns == d.nseries)
			fprintf(stderr, "drip leaks: the folder holds %zu targets; %s takes one "
					"(give one target's files)\n", nruns, what);
		else
			fprintf(stderr, "drip leaks: the folder holds %zu targets, %zu runs (a service's heap and "
					"goroutine targets are one); %s takes one (give one run's files)\n",
				d.nseries, nruns, what);
		rc = EXIT_TROUBLE;
		goto out;
	}
	for (s = 0, k = 0; s < d.nseries; s++) {
		int ac = 0, r;
		const struct snap_series *g = pair[s] >= 0 ? &d.series[pair[s]] : NULL;
		size_t f;

		if (pair[s] == -2)
			continue;
		av = xcalloc((size_t)nopts + d.series[s].nfiles + (g ? g->nfiles : 0) + 2, sizeof(char *));
		av[ac++] = argv[0];
		for (i = 0; i < nopts; i++)
			av[ac++] = opts[i];
		for (f = 0; f < d.series[s].nfiles; f++)
			av[ac++] = d.series[s].files[f];
		for (f = 0; g && f < g->nfiles; f++)
			av[ac++] = g->files[f];
		if (nruns > 1 && g) {
			printf("%s== %s: %zu snapshot%s + %s: %zu snapshot%s, joined\n", k++ ? "\n" : "", d.series[s].target,
			       d.series[s].nfiles, d.series[s].nfiles == 1 ? "" : "s", g->target, g->nfiles,
			       g->nfiles == 1 ? "" : "s");
			fflush(stdout);
		} else if (nruns > 1) {
			printf("%s== %s: %zu snapshot%s\n", k++ ? "\n" : "", d.series[s].target, d.series[s].nfiles,
			       d.series[s].nfiles == 1 ? "" : "s");
			fflush(stdout);
		}
		r = cmd_leaks_files(ac, av, false);
		fflush(stdout);
		free(av);
		if (r > rc)
			rc = r;
	}
out:
	free(pair);
	free(opts);
	snapdir_release(&d);
	return rc;
}
