/* Unit tests for src/lib/owner.c: whose code is a frame. */
#include <check.h>
#include <stdlib.h>

#include "owner.h"
#include "profile.h"
#include "strtab.h"

Suite *suite_owner(void);

START_TEST(test_is_own)
{
	ck_assert(owner_is_own("main.fetchNoClose", "/src/app/main.go"));
	ck_assert(owner_is_own("main.(*registry).add", NULL));
	ck_assert(owner_is_own("github.com/acme/shop/cart.(*Cart).Add", "/src/shop/cart/cart.go"));
	/* standard library and runtime: no dot in the first element */
	ck_assert(!owner_is_own("net/http.(*Transport).dialConn", "/usr/lib/go/src/net/http/transport.go"));
	ck_assert(!owner_is_own("bufio.NewReaderSize", "bufio/bufio.go"));
	ck_assert(!owner_is_own("runtime.malg", "runtime/proc.go"));
	/* a dotted package path with a dot only after the first element */
	ck_assert(!owner_is_own("encoding/json.(*decodeState).object", ""));
	/* module dependencies: the module cache, vendor, -trimpath's @v */
	ck_assert(!owner_is_own("github.com/lib/pq.(*conn).recv", "/home/u/go/pkg/mod/github.com/lib/pq@v1.10.9/conn.go"));
	ck_assert(!owner_is_own("github.com/lib/pq.(*conn).recv", "/src/app/vendor/github.com/lib/pq/conn.go"));
	ck_assert(!owner_is_own("golang.org/x/net/http2.(*Framer).ReadFrame", "golang.org/x/net@v0.17.0/http2/frame.go"));
	ck_assert(!owner_is_own("", ""));
	/* a module named without a dot (`go mod init leaky`), with and
	 * without -trimpath */
	ck_assert(owner_is_own("leaky/store.(*Cache).Put", "leaky/store/cache.go"));
	ck_assert(owner_is_own("leaky/store.(*Cache).Put", "/src/leaky/store/cache.go"));
	ck_assert(owner_is_own("myservice.handle", "myservice/h.go"));
	/* ... but not its dependencies, dotted or not (local replace) */
	ck_assert(!owner_is_own("mylib.Hold", "mylib@v0.0.0/buf.go"));
	ck_assert(!owner_is_own("mylib.Hold", "/src/leaky/vendor/mylib/buf.go"));
	/* a directory named like a version is not one */
	ck_assert(owner_is_own("leaky/store.Put", "/home/u@vm/leaky/store/store.go"));
	/* newer standard packages, internal and vendored ones */
	ck_assert(!owner_is_own("log/slog.(*Logger).log", "log/slog/logger.go"));
	ck_assert(!owner_is_own("iter.Pull[go.shape.int].func1", "iter/iter.go"));
	ck_assert(!owner_is_own("unique.Make[go.shape.string]", "/usr/lib/go-1.27/src/unique/handle.go"));
	ck_assert(!owner_is_own("weak.Make[go.shape.int]", "weak/pointer.go"));
	ck_assert(!owner_is_own("slices.Grow[go.shape.[]uint8,go.shape.uint8]", "slices/slices.go"));
	ck_assert(!owner_is_own("maps.Clone[go.shape.map[string]int,go.shape.string,go.shape.int]", ""));
	ck_assert(!owner_is_own("cmp.Compare[go.shape.int]", ""));
	ck_assert(!owner_is_own("structs.x", ""));
	ck_assert(!owner_is_own("internal/runtime/maps.newarray", "internal/runtime/maps/table.go"));
	ck_assert(!owner_is_own("vendor/golang.org/x/net/http2/hpack.(*Decoder).Write", ""));
	/* generic instantiations with the program's types in their arguments */
	ck_assert(!owner_is_own("slices.SortFunc[go.shape.[]leaky/store.item,go.shape.leaky/store.item]", ""));
	ck_assert(owner_is_own("leaky/store.(*Set[go.shape.*net/http.Request]).Add", "leaky/store/set.go"));
	/* compiler-made and non-Go symbols */
	ck_assert(!owner_is_own("type:.eq.main.T", ""));
	ck_assert(!owner_is_own("type..eq.leaky/store.key", ""));
	ck_assert(!owner_is_own("_rt0_amd64_linux", ""));
	ck_assert(!owner_is_own("main", ""));
}
END_TEST

START_TEST(test_site_func)
{
	char b[64];

	ck_assert_str_eq(owner_site_func("bufio.NewReaderSize bufio/bufio.go:57", b, sizeof(b)), "bufio.NewReaderSize");
	ck_assert_str_eq(owner_site_func("main.f", b, sizeof(b)), "main.f");
	ck_assert_str_eq(owner_site_func("abcdefgh", b, 4), "abc");
	/* --addresses: the address first */
	ck_assert_str_eq(owner_site_func("000000000062a356 bufio.NewReaderSize bufio/bufio.go:57", b, sizeof(b)),
			 "bufio.NewReaderSize");
	ck_assert_str_eq(owner_site_func("deadbeef", b, sizeof(b)), "deadbeef");
}
END_TEST

/* A location per function, one line each. */
static uint32_t fn_loc(struct profile *p, const char *name, const char *file, int64_t line)
{
	struct pf_line ln = { 0, line, 0 };

	ln.function = profile_add_function(p, intern(name), intern(name), intern(file), 1);
	return profile_add_location(p, PF_NONE, 0, &ln, 1);
}

/* owner_own_flags: the main module's folder, found from package main's,
 * tells a local replaced dependency from the program's packages. */
START_TEST(test_own_flags)
{
	static const struct { const char *name, *file; int own; } fs[] = {
		{ "main.main", "/w/leaky/cmd/leakyd/main.go", 1 },
		{ "leaky/internal/audit.(*Trail).Write", "/w/leaky/internal/audit/audit.go", 1 },
		{ "leaky/store.Put", "/w/leaky/store/store.go", 1 },
		{ "leaky.Version", "/w/leaky/version.go", 1 },               /* the module's root package */
		{ "kvlib.(*Log).Append", "/w/kvlib/log.go", 0 },             /* replace kvlib => ../kvlib */
		{ "example.com/cachelib.(*LRU).Add", "/w/cachelib/lru.go", 0 }, /* replace ... => ../cachelib */
		{ "mylib.Hold", "/w/leaky/third_party/mylib/buf.go", 0 },    /* replace mylib => ./third_party/mylib */
		{ "runtime.main", "/usr/lib/go-1.19/src/runtime/proc.go", 0 },
		{ "leaky/gen.F", "gen.y", 1 },                               /* relative: owner_is_own() alone */
	};
	struct profile *p = profile_new();
	unsigned char *own;
	size_t i;

	for (i = 0; i < sizeof(fs) / sizeof(fs[0]); i++)
		fn_loc(p, fs[i].name, fs[i].file, 1);
	own = owner_own_flags(p);
	for (i = 0; i < sizeof(fs) / sizeof(fs[0]); i++)
		ck_assert_msg(own[i] == fs[i].own, "%s", fs[i].name);
	free(own);
	profile_free(p);

	/* -trimpath (relative names), and no package main: owner_is_own() */
	p = profile_new();
	fn_loc(p, "main.main", "leaky/cmd/leakyd/main.go", 1);
	fn_loc(p, "kvlib.(*Log).Append", "kvlib@v1.2.0/log.go", 1);
	fn_loc(p, "leaky/store.Put", "leaky/store/store.go", 1);
	own = owner_own_flags(p);
	ck_assert(own[0] && !own[1] && own[2]);
	free(own);
	profile_free(p);
	p = profile_new();
	fn_loc(p, "kvlib.(*Log).Append", "/w/kvlib/log.go", 1);
	own = owner_own_flags(p);
	ck_assert(own[0]);
	free(own);
	profile_free(p);
}
END_TEST

/* owner_map and owner_find on one hand-made profile, two sample types:
 *   bufio.NewReaderSize <- net/http.newBufioReader <- main.a     10, 5
 *   bufio.NewReaderSize <- bufio.NewReader <- net/http.dialConn  30, 1
 *   bufio.NewReaderSize <- main.b                                20, 7
 *   main.c <- main.a                                             50, 50
 * By type 0 the largest owner of bufio.NewReaderSize is dialConn (30: no
 * frame of the program's, so the nearest caller outside bufio, past
 * bufio.NewReader); by type 1, main.b (7).  main.c is its own owner. */
START_TEST(test_map)
{
	struct profile *p = profile_new();
	struct pf_valtype vt[2];
	uint32_t rs, nb, ma, nr, dc, mb, mc, st[3];
	int64_t v[2];
	struct owner_map *m;
	struct owner o, f;
	size_t si;

	vt[0].type = intern("a");
	vt[1].type = intern("b");
	vt[0].unit = vt[1].unit = intern("bytes");
	profile_set_types(p, vt, 2);
	rs = fn_loc(p, "bufio.NewReaderSize", "bufio/bufio.go", 57);
	nb = fn_loc(p, "net/http.newBufioReader", "net/http/server.go", 800);
	ma = fn_loc(p, "main.a", "/src/app/main.go", 10);
	nr = fn_loc(p, "bufio.NewReader", "bufio/bufio.go", 63);
	dc = fn_loc(p, "net/http.dialConn", "net/http/transport.go", 1748);
	mb = fn_loc(p, "main.b", "/src/app/main.go", 20);
	mc = fn_loc(p, "main.c", "/src/app/main.go", 30);
	st[0] = rs, st[1] = nb, st[2] = ma, v[0] = 10, v[1] = 5;
	profile_add_sample(p, st, 3, v, NULL, 0);
	st[0] = rs, st[1] = nr, st[2] = dc, v[0] = 30, v[1] = 1;
	profile_add_sample(p, st, 3, v, NULL, 0);
	st[0] = rs, st[1] = mb, v[0] = 20, v[1] = 7;
	profile_add_sample(p, st, 2, v, NULL, 0);
	st[0] = mc, st[1] = ma, v[0] = 50, v[1] = 50;
	profile_add_sample(p, st, 2, v, NULL, 0);

	m = owner_map_new(p);
	owner_map_get(m, "bufio.NewReaderSize", 0, &o);
	ck_assert_str_eq(o.func, "net/http.dialConn");
	ck_assert_str_eq(o.file, "net/http/transport.go");
	ck_assert_int_eq(o.line, 1748);
	ck_assert(!o.own);
	owner_map_get(m, "bufio.NewReaderSize", 1, &o);
	ck_assert_str_eq(o.func, "main.b");
	ck_assert_int_eq(o.line, 20);
	ck_assert(o.own);
	owner_map_get(m, "main.c", 0, &o);
	ck_assert_ptr_null(o.func);
	owner_map_get(m, "net/http.dialConn", 0, &o); /* never a leaf */
	ck_assert_ptr_null(o.func);
	/* owner_find agrees, type by type */
	for (si = 0; si < 2; si++) {
		owner_map_get(m, "bufio.NewReaderSize", si, &o);
		owner_find(p, (int)si, "bufio.NewReaderSize", &f);
		ck_assert_ptr_eq(o.func, f.func);
		ck_assert_int_eq(o.line, f.line);
		ck_assert(o.own == f.own);
	}
	owner_map_free(m);
	profile_free(p);
}
END_TEST

Suite *suite_owner(void)
{
	Suite *s = suite_create("owner");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_is_own);
	tcase_add_test(tc, test_site_func);
	tcase_add_test(tc, test_map);
	tcase_add_test(tc, test_own_flags);
	suite_add_tcase(s, tc);
	return s;
}
