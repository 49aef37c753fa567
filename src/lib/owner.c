#include "owner.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "json.h"
#include "strtab.h"
#include "xalloc.h"

/* The package path of a Go function name: up to the first '.' after the
 * last '/' (before any '[' of a generic instantiation, whose type
 * arguments may hold paths of their own).  Returns its length. */
static size_t pkg_len(const char *func)
{
	size_t end = strcspn(func, "[");
	const char *from = func, *s;

	for (s = func; s < func + end; s++)
		if (*s == '/')
			from = s + 1;
	for (s = from; s < func + end; s++)
		if (*s == '.')
			return (size_t)(s - func);
	return strlen(func);
}

/* The first elements of the standard library's package paths, Go 1.19 to
 * 1.27 (`go list std | cut -d/ -f1 | sort -u` of each, plus arena and simd,
 * which need a GOEXPERIMENT), sorted for bsearch.  "vendor" holds the
 * standard library's own copies of golang.org/x ("vendor/golang.org/x/net/
 * http2/hpack"), "internal" its internal packages. */
static const char *const std_first[] = {
	"archive", "arena", "bufio", "bytes", "cmp", "compress", "container", "context", "crypto", "database",
	"debug", "embed", "encoding", "errors", "expvar", "flag", "fmt", "go", "hash", "html", "image",
	"index", "internal", "io", "iter", "log", "maps", "math", "mime", "net", "os", "path", "plugin",
	"reflect", "regexp", "runtime", "simd", "slices", "sort", "strconv", "strings", "structs", "sync",
	"syscall", "testing", "text", "time", "unicode", "unique", "unsafe", "uuid", "vendor", "weak",
};

static int cmp_str(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

/* Whether a package path of n bytes is the standard library's. */
static bool std_pkg(const char *pkg, size_t n)
{
	char first[16];
	size_t k = strcspn(pkg, "/");

	if (k > n)
		k = n;
	if (k >= sizeof(first))
		return false;
	memcpy(first, pkg, k);
	first[k] = 0;
	return bsearch(first, std_first, sizeof(std_first) / sizeof(*std_first), sizeof(*std_first), cmp_str) != NULL;
}

/* A file of a module dependency: in the module cache ("/pkg/mod/"), a
 * vendor folder, or -trimpath's "module@vX.Y.Z/" element. */
static bool dep_file(const char *file)
{
	const char *at;

	if (strstr(file, "/pkg/mod/") || strstr(file, "/vendor/") || strncmp(file, "vendor/", 7) == 0)
		return true;
	for (at = strstr(file, "@v"); at; at = strstr(at + 2, "@v"))
		if (at[2] >= '0' && at[2] <= '9')
			return true;
	return false;
}

bool owner_is_own(const char *func, const char *file)
{
	size_t n;

	if (!func || !*func)
		return false;
	/* compiler-made functions ("type:.eq.main.T", Go 1.19's
	 * "type..hash.leaky/store.key") and symbols that are not Go
	 * functions at all (no "pkg.Name": "_rt0_amd64_linux", C code) */
	if (strncmp(func, "type:", 5) == 0 || strncmp(func, "type.", 5) == 0 || !strchr(func, '.'))
		return false;
	if (file && dep_file(file))
		return false;
	n = pkg_len(func);
	if (n == 4 && strncmp(func, "main", 4) == 0)
		return true;
	/* the standard library, by its first element: "net/http",
	 * "log/slog", "internal/abi", "vendor/golang.org/x/net/..."; any
	 * other first element is a module's, dotted ("github.com/acme/shop")
	 * or not ("leaky/store", as `go mod init leaky` names it) */
	return !std_pkg(func, n);
}

/* The length of the directory of an absolute file name ("/a/b/c.go" ->
 * 4), 0 when the name is relative (-trimpath) or unknown. */
static size_t abs_dir_len(const char *file)
{
	const char *sl;

	if (!file || file[0] != '/')
		return 0;
	sl = strrchr(file, '/');
	return (size_t)(sl - file);
}

/* Whether the package pkg (n bytes) in directory d (dn bytes, under the
 * module root of rn bytes, a prefix of d) is that module's: its path is
 * the module path M and the directory below the root ("M/rel"), or just
 * "rel" (M empty, as in GOPATH).  *mlen: M's length. */
static bool pkg_fits(const char *pkg, size_t n, const char *d, size_t dn, size_t rn, size_t *mlen)
{
	const char *rel = d + rn + 1;
	size_t reln;

	if (dn == rn) {
		*mlen = n; /* the module's root package */
		return true;
	}
	reln = dn - rn - 1;
	if (reln > n || memcmp(pkg + n - reln, rel, reln) != 0)
		return false;
	if (reln == n) {
		*mlen = 0;
		return true;
	}
	if (pkg[n - reln - 1] != '/')
		return false;
	*mlen = n - reln - 1;
	return true;
}

/* The length of the folder above the one of rn bytes in path (0: "/"). */
static size_t parent_len(const char *path, size_t rn)
{
	while (rn > 0 && path[--rn] != '/')
		;
	return rn;
}

static bool under(const char *d, size_t dn, const char *r, size_t rn)
{
	return dn >= rn && memcmp(d, r, rn) == 0 && (dn == rn || d[rn] == '/');
}

unsigned char *owner_own_flags(const struct profile *p)
{
	unsigned char *own = xcalloc(p->nfunctions + 1, 1);
	const char *md = NULL, *mod = NULL;
	size_t mdn = 0, rn = 0, modn = 0, i, best = 0;
	bool found = false;

	for (i = 0; i < p->nfunctions; i++)
		own[i] = owner_is_own(p->functions[i].name, p->functions[i].filename);
	/* Package main is in the main module, so its root is main's folder
	 * or one above it; the deepest such folder where the program's
	 * other packages sit as "modulepath/rel" gives the root and the
	 * module path.  A package of the program's own by owner_is_own()
	 * that is not there is a dependency replaced by a local folder
	 * ("replace kvlib => ../kvlib"), built without -trimpath or vendor/.
	 * Only for absolute file names (not -trimpath's). */
	for (i = 0; i < p->nfunctions; i++) {
		const struct pf_function *fn = &p->functions[i];
		size_t dn = abs_dir_len(fn->filename);
		if (dn && pkg_len(fn->name) == 4 && strncmp(fn->name, "main.", 5) == 0 &&
		    (!md || strcmp(fn->name, "main.main") == 0)) {
			md = fn->filename;
			mdn = dn;
		}
	}
	for (rn = mdn; md; rn = parent_len(md, rn)) {
		/* vote for a module path among the packages under this root */
		const char *cand[8];
		size_t candn[8], votes[8], nc = 0, k;
		for (i = 0; i < p->nfunctions; i++) {
			const struct pf_function *fn = &p->functions[i];
			size_t n = pkg_len(fn->name), dn = abs_dir_len(fn->filename), ml;
			if (!own[i] || !dn || (n == 4 && strncmp(fn->name, "main", 4) == 0) || !under(fn->filename, dn, md, rn) ||
			    !pkg_fits(fn->name, n, fn->filename, dn, rn, &ml))
				continue;
			for (k = 0; k < nc && !(candn[k] == ml && memcmp(cand[k], fn->name, ml) == 0); k++)
				;
			if (k == nc && nc < 8) {
				cand[nc] = fn->name;
				candn[nc] = ml;
				votes[nc++] = 0;
			}
			if (k < nc)
				votes[k]++;
		}
		for (k = 0; k < nc; k++)
			if (!found || votes[k] > votes[best]) {
				found = true;
				best = k;
				mod = cand[k];
				modn = candn[k];
			}
		if (found || rn == 0)
			break;
	}
	if (!found)
		return own;
	for (i = 0; i < p->nfunctions; i++) {
		const struct pf_function *fn = &p->functions[i];
		size_t n = pkg_len(fn->name), dn = abs_dir_len(fn->filename), ml;
		if (!own[i] || !dn || (n == 4 && strncmp(fn->name, "main", 4) == 0))
			continue;
		own[i] = under(fn->filename, dn, md, rn) && pkg_fits(fn->name, n, fn->filename, dn, rn, &ml) && ml == modn &&
			 memcmp(fn->name, mod, ml) == 0;
	}
	return own;
}

static bool same_pkg(const char *a, const char *b)
{
	size_t n = pkg_len(a);

	return n == pkg_len(b) && strncmp(a, b, n) == 0;
}

static bool is_runtime(const char *func)
{
	return strncmp(func, "runtime.", 8) == 0 || strncmp(func, "runtime/internal/", 17) == 0 ||
	       strncmp(func, "internal/runtime/", 17) == 0; /* Go 1.22+: internal/runtime/maps, ... */
}

/* The owner of one sample's path: its leaf function in *leaf (NULL when
 * the leaf is the program's own, or unknown) and the owner's frame in
 * *pick / *pl (NULL when none).  ownf: owner_own_flags(p), or NULL to
 * use owner_is_own() alone. */
#define IS_OWN(fi, fn) (ownf ? ownf[fi] != 0 : owner_is_own((fn)->name, (fn)->filename))
static void sample_owner(const struct profile *p, const unsigned char *ownf, const struct pf_sample *sm,
			 const struct pf_function **leaf, const struct pf_function **pick, const struct pf_line **pl,
			 bool *own)
{
	const uint32_t *st = pf_stack(p, sm);
	const struct pf_function *near = NULL; /* the nearest caller outside the leaf's package */
	const struct pf_line *nearl = NULL;
	bool first = true;
	size_t k, f;

	*leaf = NULL;
	*pick = NULL;
	*pl = NULL;
	*own = false;
	/* one walk from the leaf: the first frame of the program's own code
	 * wins; failing that, the nearest caller outside the leaf's package
	 * (and outside runtime) */
	for (k = 0; k < sm->nlocs && !*pick; k++) {
		const struct pf_location *loc = &p->locations[st[k]];
		for (f = 0; f < loc->nlines && !*pick; f++) {
			const struct pf_line *ln = &p->lines[loc->line_start + f];
			const struct pf_function *fn = ln->function == PF_NONE ? NULL : &p->functions[ln->function];
			if (first) {
				first = false;
				if (!fn || !*fn->name || IS_OWN(ln->function, fn))
					return; /* unknown, or its own owner */
				*leaf = fn;
				continue;
			}
			if (fn && IS_OWN(ln->function, fn)) {
				*pick = fn;
				*pl = ln;
				*own = true;
			} else if (!near && fn && *fn->name && !same_pkg(fn->name, (*leaf)->name) && !is_runtime(fn->name)) {
				near = fn;
				nearl = ln;
			}
		}
	}
	if (!*pick && near) {
		*pick = near;
		*pl = nearl;
	}
}

/* One candidate owner of one leaf function, with the sum of the
 * positive values of the samples it owns, per sample type. */
struct ocand {
	const char *leaf, *func, *file; /* interned */
	int64_t line;
	bool own;
};

struct owner_map {
	struct ocand *c;     /* sorted by leaf (pointer), then func, line */
	int64_t *v;          /* nc * nt */
	size_t nc, nt;
	struct u64map first; /* leaf -> index of its first candidate */
};

static int cmp_ocand_leaf(const struct ocand *a, const struct ocand *b)
{
	int c;

	if (a->leaf != b->leaf)
		return (uintptr_t)a->leaf < (uintptr_t)b->leaf ? -1 : 1;
	if ((c = strcmp(a->func, b->func)) != 0)
		return c;
	return a->line < b->line ? -1 : a->line > b->line;
}

/* sorting the candidates and their values together: by an index */
static const struct ocand *sort_c;
static int cmp_idx(const void *a, const void *b)
{
	return cmp_ocand_leaf(&sort_c[*(const size_t *)a], &sort_c[*(const size_t *)b]);
}

struct owner_map *owner_map_new(const struct profile *p)
{
	struct owner_map *m = xcalloc(1, sizeof(*m));
	struct u64map ix = U64MAP_INIT;
	size_t cap = 0, i, t, nt = p->ntypes, *ord;
	struct ocand *c;
	int64_t *v;
	unsigned char *ownf = owner_own_flags(p);

	m->nt = nt;
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *sm = &p->samples[i];
		const int64_t *sv = pf_values(p, i);
		const struct pf_function *leaf, *pick;
		const struct pf_line *pl;
		uint64_t key;
		size_t at;
		bool own, any = false;

		for (t = 0; t < nt; t++)
			any |= sv[t] > 0;
		if (!any || !sm->nlocs)
			continue;
		sample_owner(p, ownf, sm, &leaf, &pick, &pl, &own);
		if (!leaf || !pick)
			continue;
		key = hash_combine(hash_combine((uint64_t)(uintptr_t)leaf->name, (uint64_t)(uintptr_t)pick->name),
				   (uint64_t)pl->line);
		for (;; key++) {
			int ins;
			uint64_t *slot = u64map_put(&ix, key, 0, &ins);
			if (ins) {
				size_t cv = cap;
				xgrow(&m->c, &cap, m->nc + 1, sizeof(*m->c));
				if (cap != cv)
					m->v = xreallocarray(m->v, cap, (nt ? nt : 1) * sizeof(int64_t));
				m->c[m->nc].leaf = leaf->name;
				m->c[m->nc].func = pick->name;
				m->c[m->nc].file = pick->filename ? pick->filename : intern_empty();
				m->c[m->nc].line = pl->line;
				m->c[m->nc].own = own;
				memset(&m->v[m->nc * nt], 0, nt * sizeof(int64_t));
				*slot = m->nc++;
			}
			at = (size_t)*slot;
			if (m->c[at].leaf == leaf->name && m->c[at].func == pick->name && m->c[at].line == pl->line)
				break; /* else a collision of hashes: probe on */
		}
		for (t = 0; t < nt; t++)
			if (sv[t] > 0)
				m->v[at * nt + t] = sat_add(m->v[at * nt + t], sv[t]);
	}
	u64map_release(&ix);
	free(ownf);
	/* sort by leaf, so that a leaf's candidates are adjacent */
	ord = xreallocarray(NULL, m->nc + 1, sizeof(*ord));
	for (i = 0; i < m->nc; i++)
		ord[i] = i;
	sort_c = m->c;
	qsort(ord, m->nc, sizeof(*ord), cmp_idx);
	sort_c = NULL;
	c = xreallocarray(NULL, m->nc + 1, sizeof(*c));
	v = xreallocarray(NULL, m->nc + 1, (nt ? nt : 1) * sizeof(int64_t));
	for (i = 0; i < m->nc; i++) {
		c[i] = m->c[ord[i]];
		memcpy(&v[i * nt], &m->v[ord[i] * nt], nt * sizeof(int64_t));
	}
	free(ord);
	free(m->c);
	free(m->v);
	m->c = c;
	m->v = v;
	for (i = 0; i < m->nc; i++)
		if (i == 0 || m->c[i].leaf != m->c[i - 1].leaf) {
			int ins;
			*u64map_put(&m->first, (uint64_t)(uintptr_t)m->c[i].leaf, 0, &ins) = i;
		}
	return m;
}

void owner_map_free(struct owner_map *m)
{
	if (!m)
		return;
	free(m->c);
	free(m->v);
	u64map_release(&m->first);
	free(m);
}

void owner_map_get(const struct owner_map *m, const char *leaf_func, size_t si, struct owner *out)
{
	uint64_t at;
	size_t i, best = (size_t)-1;
	const char *leaf;

	memset(out, 0, sizeof(*out));
	out->file = intern_empty();
	if (!m || !leaf_func || !*leaf_func || si >= m->nt)
		return;
	leaf = intern(leaf_func);
	if (!u64map_get(&m->first, (uint64_t)(uintptr_t)leaf, &at))
		return;
	/* candidates are sorted by name, then line: the first of the
	 * largest wins ties */
	for (i = (size_t)at; i < m->nc && m->c[i].leaf == leaf; i++)
		if (m->v[i * m->nt + si] > 0 && (best == (size_t)-1 || m->v[i * m->nt + si] > m->v[best * m->nt + si]))
			best = i;
	if (best == (size_t)-1)
		return;
	out->func = m->c[best].func;
	out->file = m->c[best].file;
	out->line = m->c[best].line;
	out->own = m->c[best].own;
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
	size_t nc = 0, cap = 0, i, best = (size_t)-1;
	unsigned char *ownf;

	memset(out, 0, sizeof(*out));
	out->file = intern_empty();
	if (!leaf_func || !*leaf_func || si < 0 || (size_t)si >= p->ntypes)
		return;
	ownf = owner_own_flags(p);
	for (i = 0; i < p->nsamples; i++) {
		const struct pf_sample *sm = &p->samples[i];
		int64_t v = pf_values(p, i)[si];
		const struct pf_function *leaf, *pick;
		const struct pf_line *pl;
		bool own;

		if (v <= 0 || !sm->nlocs)
			continue;
		sample_owner(p, ownf, sm, &leaf, &pick, &pl, &own);
		if (!leaf || !pick || strcmp(leaf->name, leaf_func) != 0)
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
	free(ownf);
	u64map_release(&ix);
}

const char *owner_site_func(const char *node_name, char *buf, size_t n)
{
	size_t k = strcspn(node_name, " ");

	/* --addresses: "000000000066871d main.f file:line" */
	if (node_name[k] == ' ' && k > 0 && strspn(node_name, "0123456789abcdef") == k) {
		node_name += k + 1;
		k = strcspn(node_name, " ");
	}
	if (n == 0)
		return buf;
	if (k >= n)
		k = n - 1;
	memcpy(buf, node_name, k);
	buf[k] = 0;
	return buf;
}

void owner_json(struct json *j, const char *key, const struct owner *o)
{
	json_key(j, key);
	if (!o->func) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	json_kstr(j, "function", o->func);
	json_kstr(j, "file", o->file ? o->file : "");
	json_kint(j, "line", o->line);
	json_kbool(j, "own_code", o->own);
	json_kstr(j, "kind", o->own ? "own" : o->creator ? "creator" : "caller");
	json_end_object(j);
}
