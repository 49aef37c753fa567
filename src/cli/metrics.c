/* metrics: see metrics.h; and drip leaks --format=openmetrics over files
 * and folders (leaks_cli_openmetrics, cmd_leaks.h). */
#include "metrics.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "cmd_leaks.h"
#include "error.h"
#include "leaks_openmetrics.h"
#include "load.h"
#include "output.h"
#include "snapdir.h"
#include "xalloc.h"

int metrics_analysable(const struct leaks_series *ls)
{
	size_t n = ls ? leaks_series_len(ls) : 0;

	return n >= 2 || (n == 1 && leaks_series_goroutine(ls));
}

int metrics_write(const struct metrics_target *t, size_t n, size_t max_series, FILE *f, int *status)
{
	struct leaks_om_target *ot = xcalloc(n ? n : 1, sizeof(*ot));
	struct leaks_result *rs = xcalloc(n ? n : 1, sizeof(*rs));
	struct leaks_om_opts mo = { max_series };
	int rc = 0, st = EXIT_OK;
	size_t i;

	for (i = 0; i < n; i++) {
		ot[i].name = t[i].name;
		ot[i].up = t[i].up;
		if (!metrics_analysable(t[i].ls))
			continue;
		{
			int r = leaks_analyze_verdicts(t[i].ls, &rs[i]); /* no sampling test is shown */
			if (r < 0) {
				if (rc == 0) {
					if (t[i].name && *t[i].name)
						err_prefix("target '%s'", t[i].name);
					rc = r;
				}
				continue;
			}
		}
		ot[i].r = &rs[i];
		if (rs[i].nsuspects && st < EXIT_FINDING)
			st = EXIT_FINDING;
	}
	leaks_write_openmetrics(ot, n, &mo, f);
	for (i = 0; i < n; i++)
		if (ot[i].r)
			leaks_result_release(&rs[i]);
	free(ot);
	free(rs);
	if (status)
		*status = st;
	return rc;
}

int metrics_render(const struct metrics_target *t, size_t n, size_t max_series, char **out, size_t *len, int *status)
{
	FILE *f = open_memstream(out, len);
	int rc;

	if (!f) {
		*out = NULL;
		*len = 0;
		return err_set("out of memory");
	}
	rc = metrics_write(t, n, max_series, f, status);
	fclose(f);
	return rc;
}

/* One target of drip leaks --format=openmetrics. */
struct mtarget {
	char *name;       /* owned */
	char **files;     /* borrowed */
	size_t nfiles;
	char *kname[2];   /* owned: NAME-heap, NAME-goroutine when the
			   * target holds both kinds; NULL */
};

/* "NAME-KIND", or KIND when NAME is "".  Caller frees. */
static char *kind_name(const char *name, const char *kind)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s%s%s", name, *name ? "-" : "", kind);
	return buf_detach(&b, NULL);
}

/* The target name of files given without a folder: their common drip
 * watch target, else "".  Caller frees. */
static char *files_target(char **files, size_t n)
{
	char *t = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		char *u = snapdir_target(files[i]);
		if (!u || (t && strcmp(t, u) != 0)) {
			free(u);
			free(t);
			return xstrdup("");
		}
		free(t);
		t = u;
	}
	return t ? t : xstrdup("");
}

int leaks_cli_openmetrics(const struct leaks_cli *c, int nops, char **ops)
{
	struct snapdir d = { 0 };
	struct mtarget *ts = NULL;
	struct metrics_target *mt = NULL;
	struct leaks_series **ls = NULL;
	char **files = xcalloc((size_t)nops + 1, sizeof(char *));
	size_t nfiles = 0, nt = 0, ntm = 0, i, k;
	int rc = EXIT_OK, st, mrc, ndirs = 0;
	struct output out;

	for (i = 0; i < (size_t)nops; i++) {
		if (strcmp(ops[i], "-") != 0 && snapdir_is_dir(ops[i])) {
			ndirs++;
			if (snapdir_read(&d, ops[i]) < 0) {
				err_print();
				rc = EXIT_TROUBLE;
				goto out;
			}
		} else {
			files[nfiles++] = ops[i];
		}
	}
	if (ndirs && d.nseries == 0) {
		fprintf(stderr, "drip leaks: no snapshot in the folder%s given\n", ndirs > 1 ? "s" : "");
		rc = EXIT_TROUBLE;
		goto out;
	}
	if (ndirs) {
		nt = d.nseries;
		ts = xcalloc(nt, sizeof(*ts));
		for (i = 0; i < nt; i++) {
			ts[i].name = xstrdup(d.series[i].target);
			ts[i].files = xcalloc(d.series[i].nfiles + nfiles, sizeof(char *));
			for (k = 0; k < d.series[i].nfiles; k++)
				ts[i].files[ts[i].nfiles++] = d.series[i].files[k];
			for (k = 0; k < nfiles; k++)
				ts[i].files[ts[i].nfiles++] = files[k];
		}
	} else {
		nt = 1;
		ts = xcalloc(1, sizeof(*ts));
		ts[0].name = files_target(files, nfiles);
		ts[0].files = xcalloc(nfiles ? nfiles : 1, sizeof(char *));
		for (k = 0; k < nfiles; k++)
			ts[0].files[ts[0].nfiles++] = files[k];
	}
	/* One series per target, streamed as in the other formats; a
	 * target that cannot be read is an error and left out. */
	/* A target's heap and goroutine profiles (files of one service
	 * given together) are two series: targets NAME-heap and
	 * NAME-goroutine ("heap", "goroutine" without a name). */
	mt = xcalloc(2 * nt, sizeof(*mt));
	ls = xcalloc(2 * nt, sizeof(*ls));
	for (i = 0; i < nt; i++) {
		size_t m;
		mt[i].name = ts[i].name;
		mt[i].up = -1;
		ls[i] = leaks_series_new(&c->o);
		for (k = 0; k < ts[i].nfiles; k++) {
			struct profile *p = load_profile_from(ts[i].files[k], &c->src, 0);
			struct leaks_series *to = ls[i];
			if (p && leaks_series_len(ls[i]) &&
			    (profile_kind(p) == PF_KIND_GOROUTINE || profile_kind(p) == PF_KIND_GOROUTINELEAK) !=
				    leaks_series_goroutine(ls[i])) {
				if (!ls[nt + i])
					ls[nt + i] = leaks_series_new(&c->o);
				to = ls[nt + i];
			}
			if (!p || leaks_series_add(to, p, ts[i].files[k]) < 0) {
				err_print();
				rc = EXIT_TROUBLE;
				break;
			}
		}
		if (k < ts[i].nfiles)
			continue;
		if (ls[nt + i]) {
			struct leaks_series *h = leaks_series_goroutine(ls[i]) ? ls[nt + i] : ls[i];
			struct leaks_series *g = h == ls[i] ? ls[nt + i] : ls[i];
			ls[i] = h;
			ls[nt + i] = g;
			ts[i].kname[0] = kind_name(ts[i].name, "heap");
			ts[i].kname[1] = kind_name(ts[i].name, "goroutine");
			mt[i].name = ts[i].kname[0];
			mt[nt + i].name = ts[i].kname[1];
			mt[nt + i].up = -1;
		}
		for (m = i; m < 2 * nt; m += nt) {
			if (!ls[m])
				continue;
			if (!metrics_analysable(ls[m])) {
				fprintf(stderr, "drip leaks: %s%s%sgive two or more snapshots (one is enough only for a goroutineleak "
						"profile or a goroutine dump marking leaked goroutines)\n",
					*mt[m].name ? "target '" : "", mt[m].name, *mt[m].name ? "': " : "");
				rc = EXIT_TROUBLE;
				continue;
			}
			mt[m].ls = ls[m];
		}
	}
	/* the second kinds after the first, in target order */
	for (i = 0, k = nt; i < nt; i++)
		if (ls[nt + i])
			mt[k++] = mt[nt + i];
	ntm = k;
	if (output_open(&out, c->output) < 0) {
		err_print();
		rc = EXIT_TROUBLE;
		goto out;
	}
	mrc = metrics_write(mt, ntm, c->max_series, out.f, &st);
	if (mrc < 0) {
		if (mrc == LEAKS_EMIN_GROWTH)
			fprintf(stderr, "drip leaks: %s\n", err_msg());
		else
			err_print();
		rc = EXIT_TROUBLE;
	}
	if (st > rc)
		rc = st;
	if (output_close(&out, 1) < 0) {
		err_print();
		rc = EXIT_TROUBLE;
	}
out:
	for (i = 0; i < nt; i++) {
		if (ls) {
			leaks_series_free(ls[i]);
			leaks_series_free(ls[nt + i]);
		}
		free(ts[i].name);
		free(ts[i].kname[0]);
		free(ts[i].kname[1]);
		free(ts[i].files);
	}
	free(ls);
	free(mt);
	free(ts);
	free(files);
	snapdir_release(&d);
	return rc;
}
