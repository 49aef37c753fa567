#include "session.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diff.h"
#include "error.h"
#include "filter.h"
#include "load.h"
#include "merge.h"
#include "strtab.h"
#include "xalloc.h"

struct profile *session_load_merged(const char *const *files, int n, unsigned flags)
{
	struct profile **ps, *p;
	int i;

	if (n <= 0) {
		err_set("no profile given");
		return NULL;
	}
	ps = xcalloc((size_t)n, sizeof(*ps));
	for (i = 0; i < n; i++) {
		ps[i] = load_profile_flags(files[i], flags);
		if (!ps[i])
			goto fail;
	}
	if (n == 1) {
		p = ps[0];
	} else {
		p = profile_merge(ps, (size_t)n);
		if (!p)
			goto fail;
		for (i = 0; i < n; i++)
			profile_free(ps[i]);
	}
	free(ps);
	return p;
fail:
	for (i = 0; i < n; i++)
		profile_free(ps[i]);
	free(ps);
	return NULL;
}

struct profile *session_load(const char *const *files, int n, const struct ropts *o)
{
	struct profile *p, *base, *d;
	int i;

	if (o->ndiff_base > 0 && o->nbase > 0) {
		err_set("--base and --diff-base cannot both be given");
		return NULL;
	}
	if (o->normalize && o->ndiff_base == 0 && o->nbase == 0) {
		err_set("--normalize needs a base profile (--base or --diff-base)");
		return NULL;
	}
	p = session_load_merged(files, n, o->all_frames ? LOAD_ALL_FRAMES : 0);
	if (!p)
		return NULL;
	if (o->ndiff_base > 0 || o->nbase > 0) {
		bool tag = o->ndiff_base > 0;
		base = session_load_merged(tag ? o->diff_base : o->base, tag ? o->ndiff_base : o->nbase,
					   o->all_frames ? LOAD_ALL_FRAMES : 0);
		if (!base) {
			profile_free(p);
			return NULL;
		}
		d = profile_diff(p, base, tag, o->normalize);
		profile_free(base);
		profile_free(p);
		if (!d) {
			err_prefix("cannot compare '%s' with the base '%s'", files[0],
				   tag ? o->diff_base[0] : o->base[0]);
			return NULL;
		}
		p = d;
	}
	if (o->add_comment && *o->add_comment)
		profile_add_comment(p, intern(o->add_comment));
	/* pprof takes its report total before it filters (see profile.h);
	 * keep every type's total for report_init. */
	free(p->unfiltered_totals);
	p->unfiltered_totals = xreallocarray(NULL, p->ntypes ? p->ntypes : 1, sizeof(int64_t));
	for (i = 0; i < (int)p->ntypes; i++)
		p->unfiltered_totals[i] = profile_report_total(p, i);
	if (filter_apply(p, o) < 0) {
		profile_free(p);
		return NULL;
	}
	return p;
}

int output_open(struct output *out, const char *path)
{
	memset(out, 0, sizeof(*out));
	if (!path || strcmp(path, "-") == 0) {
		out->f = stdout;
		return 0;
	}
	{
		struct buf b = BUF_INIT;
		struct stat sb;
		int fd;

		/* A device or a pipe (-o /dev/null, -o /dev/stdout) is written in
		 * place: renaming a temporary file over it would replace it. */
		if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
			out->f = fopen(path, "w");
			if (!out->f)
				return err_set("cannot open '%s': %s", path, strerror(errno));
			out->path = xstrdup(path);
			return 0;
		}

		buf_printf(&b, "%s.tmpXXXXXX", path);
		fd = mkstemp(b.data);
		if (fd >= 0) {
			/* mkstemp makes the file 0600; give it the mode a plain
			 * fopen would have. */
			mode_t um = umask(0);
			umask(um);
			fchmod(fd, 0666 & ~um);
		}
		if (fd < 0) {
			err_set("cannot create '%s': %s", b.data, strerror(errno));
			buf_release(&b);
			return -1;
		}
		out->f = fdopen(fd, "w");
		if (!out->f) {
			close(fd);
			unlink(b.data);
			buf_release(&b);
			return err_set("cannot open '%s': %s", path, strerror(errno));
		}
		out->tmp = buf_detach(&b, NULL);
		out->path = xstrdup(path);
	}
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
	if (fflush(out->f) != 0 || ferror(out->f)) {
		if (ok)
			r = err_set("cannot write '%s': %s", out->path, strerror(errno));
		ok = 0;
	}
	if (fclose(out->f) != 0 && ok) {
		r = err_set("cannot write '%s': %s", out->path, strerror(errno));
		ok = 0;
	}
	if (!out->tmp) {
		free(out->path);
		memset(out, 0, sizeof(*out));
		return r;
	}
	if (ok && rename(out->tmp, out->path) != 0) {
		r = err_set("cannot rename '%s' to '%s': %s", out->tmp, out->path, strerror(errno));
		ok = 0;
	}
	if (!ok)
		unlink(out->tmp);
	free(out->tmp);
	free(out->path);
	memset(out, 0, sizeof(*out));
	return r;
}
