#include "owner.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "strtab.h"
#include "xalloc.h"

/* The package path of a Go function name: up to the first '.' after the
 * last '/'.  Returns its length. */
static size_t pkg_len(const char *func)
{
	const char *slash = strrchr(func, '/'), *from = slash ? slash + 1 : func, *dot = strchr(from, '.');

	return dot ? (size_t)(dot - func) : strlen(func);
}

bool owner_is_own(const char *func, const char *file)
{
	size_t n;
	const char *slash, *dot;

	if (!func || !*func)
		return false;
	if (file && (strstr(file, "/pkg/mod/") || strstr(file, "/vendor/") || strstr(file, "@v")))
		return false;
	n = pkg_len(func);
	if (n == 4 && strncmp(func, "main", 4) == 0)
		return true;
	slash = memchr(func, '/', n);
	if (!slash)
		return false; /* "sync.(*Pool).Get", "runtime.malg" */
	dot = memchr(func, '.', (size_t)(slash - func));
	return dot != NULL;
}

static bool same_pkg(const char *a, const char *b)
{
	size_t n = pkg_len(a);

	return n == pkg_len(b) && strncmp(a, b, n) == 0;
}

static bool is_runtime(const char *func)
{
	return strncmp(func, "runtime.", 8) == 0 || strncmp(func, "runtime/internal/", 17) == 0;
}

struct cand {
	const struct pf_line *ln;
	const struct pf_function *fn;
	int64_t v;
	bool own;
};

void owner_find(const struct profile *p, int si, const char *leaf_func, struct owner *out)
{
	struct u64map ix = U64MAP_INIT;
	struct cand *c = NULL;
	size_t nc = 0, cap = 0, i, k, f, best = (size_t)-1;

	memset(out, 0, sizeof(*out));
	out->file = intern_empty();
	if (!leaf_func || !*leaf_func || si < 0 || (size_t)si >= p->ntypes)
		return;
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *sm = &p->samples[i];
		const uint32_t *st = pf_stack(p, sm);
		int64_t v = pf_values(p, i)[si];
		const struct pf_function *leaf = NULL, *pick = NULL;
		const struct pf_line *pl = NULL;
		bool own = false, first = true;

		if (v <= 0 || !sm->nlocs)
			continue;
		for (k = 0; k < sm->nlocs && !pick; k++) {
			const struct pf_location *loc = &p->locations[st[k]];
			for (f = 0; f < loc->nlines && !pick; f++) {
				const struct pf_line *ln = &p->lines[loc->line_start + f];
				const struct pf_function *fn = ln->function == PF_NONE ? NULL : &p->functions[ln->function];
				if (first) {
					first = false;
					if (!fn || strcmp(fn->name, leaf_func) != 0)
						goto next;
					if (owner_is_own(fn->name, fn->filename))
						goto next; /* its own owner */
					leaf = fn;
					continue;
				}
				if (fn && owner_is_own(fn->name, fn->filename)) {
					pick = fn;
					pl = ln;
					own = true;
				}
			}
		}
		if (!leaf)
			continue;
		if (!pick) {
			/* no frame of the program's: the nearest caller
			 * outside the leaf's package */
			first = true;
			for (k = 0; k < sm->nlocs && !pick; k++) {
				const struct pf_location *loc = &p->locations[st[k]];
				for (f = 0; f < loc->nlines && !pick; f++) {
					const struct pf_line *ln = &p->lines[loc->line_start + f];
					const struct pf_function *fn =
						ln->function == PF_NONE ? NULL : &p->functions[ln->function];
					if (first) {
						first = false;
						continue;
					}
					if (fn && *fn->name && !same_pkg(fn->name, leaf->name) && !is_runtime(fn->name)) {
						pick = fn;
						pl = ln;
					}
				}
			}
		}
		if (!pick)
			continue;
		{
			int ins;
			uint64_t key = hash_combine((uint64_t)(uintptr_t)pick, (uint64_t)pl->line);
			uint64_t *slot = u64map_put(&ix, key, 0, &ins);
			if (ins) {
				xgrow(&c, &cap, nc + 1, sizeof(*c));
				c[nc].fn = pick;
				c[nc].ln = pl;
				c[nc].v = 0;
				c[nc].own = own;
				*slot = nc++;
			}
			c[*slot].v += v;
		}
	next:;
	}
	for (i = 0; i < nc; i++) {
		if (best == (size_t)-1 || c[i].v > c[best].v ||
		    (c[i].v == c[best].v && (strcmp(c[i].fn->name, c[best].fn->name) < 0 ||
					     (strcmp(c[i].fn->name, c[best].fn->name) == 0 && c[i].ln->line < c[best].ln->line))))
			best = i;
	}
	if (best != (size_t)-1) {
		out->func = intern(c[best].fn->name);
		out->file = intern(c[best].fn->filename ? c[best].fn->filename : "");
		out->line = c[best].ln->line;
		out->own = c[best].own;
	}
	free(c);
	u64map_release(&ix);
}

const char *owner_site_func(const char *node_name, char *buf, size_t n)
{
	size_t k = strcspn(node_name, " ");

	if (n == 0)
		return buf;
	if (k >= n)
		k = n - 1;
	memcpy(buf, node_name, k);
	buf[k] = 0;
	return buf;
}
