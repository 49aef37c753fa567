/* Unit tests for graph.c / graph_tree.c additions: pprof's
 * ShortenFunctionName (expected values computed by Go's regexp package
 * with the regular expressions of current pprof, see the table) and
 * TrimTree (the cases of pprof's graph_test.go TestTrimTree). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "graph.h"
#include "report_dot.h"
#include "profile.h"
#include "strtab.h"
#include "xalloc.h"

Suite *suite_graph(void);

/* Input and ShortenFunctionName(input), as printed by a Go program that
 * applies pprof's cppAnonymousPrefixRegExp, goVerRegExp, goRegExp
 * (`^(?:[\w\-\.]+\/)+([^.]+\..+)`), javaRegExp and cppRegExp with Go's
 * regexp package (pprof's test cases plus edge cases). */
static const char *const shorten_cases[][2] = {
	{ "root", "root" },
	{ "syscall.Syscall", "syscall.Syscall" },
	{ "net/http.(*conn).serve", "http.(*conn).serve" },
	{ "github.com/blahBlah/foo.Foo", "foo.Foo" },
	{ "github.com/BlahBlah/foo.Foo", "foo.Foo" },
	{ "github.com/blah-blah/foo_bar.(*FooBar).Foo", "foo_bar.(*FooBar).Foo" },
	{ "encoding/json.(*structEncoder).(encoding/json.encode)-fm", "json.(*structEncoder).(encoding/json.encode)-fm" },
	{ "github.com/blah/blah/vendor/gopkg.in/redis.v3.(*baseClient).(github.com/blah/blah/vendor/gopkg.in/redis.v3.process)-fm", "redis.v3.(*baseClient).(github.com/blah/blah/vendor/gopkg.in/redis.v3.process)-fm" },
	{ "github.com/foo/bar/v4.(*Foo).Bar", "bar.(*Foo).Bar" },
	{ "github.com/foo/bar/v4/baz.Foo.Bar", "baz.Foo.Bar" },
	{ "github.com/foo/bar/v123.(*Foo).Bar", "bar.(*Foo).Bar" },
	{ "github.com/foobar/v0.(*Foo).Bar", "v0.(*Foo).Bar" },
	{ "github.com/foobar/v1.(*Foo).Bar", "v1.(*Foo).Bar" },
	{ "example.org/v2xyz.Foo", "v2xyz.Foo" },
	{ "github.com/foo/bar/v4/v4.(*Foo).Bar", "v4.(*Foo).Bar" },
	{ "github.com/foo/bar/v4/foo/bar/v4.(*Foo).Bar", "v4.(*Foo).Bar" },
	{ "java.util.concurrent.ThreadPoolExecutor$Worker.run", "ThreadPoolExecutor$Worker.run" },
	{ "java.bar.foo.FooBar.run(java.lang.Runnable)", "FooBar.run" },
	{ "(anonymous namespace)::Bar::Foo", "Bar::Foo" },
	{ "(anonymous namespace)::foo", "foo" },
	{ "cpp::namespace::Class::method()::$_100::operator()", "Class::method" },
	{ "foo_bar::Foo::bar", "Foo::bar" },
	{ "cpp::namespace::Class::method<float, long, int>()", "Class::method<float, long, int>" },
	{ "foo", "foo" },
	{ "com.google.perftools.gwp.benchmark.FloatBench.lambda$run$0", "FloatBench.lambda$run$0" },
	{ "java.bar.foo.FooBar.run$0", "FooBar.run$0" },
	{ "a/b/c", "a/b/c" },
	{ "a/b/c.d", "c.d" },
	{ "gopkg.in/yaml.v2.(*decoder).unmarshal", "yaml.v2.(*decoder).unmarshal" },
	{ "k8s.io/apimachinery/pkg/util/wait.Until.func1", "wait.Until.func1" },
	{ "main.glob..func1", "main.glob..func1" },
	{ "runtime.main", "runtime.main" },
	{ "main.(*Server).handle", "main.(*Server).handle" },
	{ "foo/bar.Baz[...]", "bar.Baz[...]" },
	{ "github.com/x/y.F[go.shape.int_0]", "y.F[go.shape.int_0]" },
	{ "x/v2", "x/v2" },
	{ "x/v2.F", "x.F" },
	{ "a/v10/b.F", "b.F" },
	{ "a/v01/b.F", "b.F" },
	{ "/abs/path.F", "/abs/path.F" },
	{ "pkg/.hidden", "pkg/.hidden" },
	{ "com.Foo.<init>", "Foo.<init>" },
	{ "Foo.bar(", "Foo.bar" },
	{ "a::B::~c", "B::~c" },
	{ "_::__X::y<int>x", "__X::y<int>" },
	{ "ns::A::b<c>d<e>", "A::b<c>d<e>" },
	{ "a.b/c.d", "c.d" },
	{ "-/x.y", "x.y" },
};

START_TEST(test_shorten_function_name)
{
	size_t i;

	for (i = 0; i < sizeof(shorten_cases) / sizeof(shorten_cases[0]); i++)
		ck_assert_msg(strcmp(shorten_function_name(shorten_cases[i][0]), shorten_cases[i][1]) == 0,
			      "shorten(%s) = %s, want %s", shorten_cases[i][0],
			      shorten_function_name(shorten_cases[i][0]), shorten_cases[i][1]);
}
END_TEST

/* A tree graph of n nodes (names "n0".."n{n-1}") on an empty profile. */
static struct graph *tree_graph(struct profile *p, size_t n)
{
	struct graph_opts o;
	struct graph *g;
	size_t i;

	memset(&o, 0, sizeof(o));
	o.mean_index = -1;
	g = graph_new(p, &o);
	g->nodes = xcalloc(n, sizeof(struct gnode));
	g->nnodes = g->cap_nodes = n;
	g->order = xcalloc(n + 1, sizeof(uint32_t));
	g->norder = n;
	g->tree = true;
	for (i = 0; i < n; i++) {
		char name[16];
		snprintf(name, sizeof(name), "n%zu", i);
		g->nodes[i].pname = intern(name);
		g->nodes[i].info.name = g->nodes[i].pname;
		g->nodes[i].info.file = g->nodes[i].info.objfile = intern_empty();
		g->order[i] = (uint32_t)i;
	}
	return g;
}

static void tree_edge(struct graph *g, uint32_t src, uint32_t dst, int64_t w, bool inl)
{
	struct gedge *e;

	xgrow(&g->edges, &g->cap_edges, g->nedges + 1, sizeof(*e));
	e = &g->edges[g->nedges++];
	memset(e, 0, sizeof(*e));
	e->src = src;
	e->dst = dst;
	e->weight = w;
	e->inline_ = inl;
}

/* The live edge into dst, or NULL. */
static const struct gedge *edge_into(const struct graph *g, uint32_t dst)
{
	uint32_t k;

	for (k = 0; k < g->nodes[dst].nin; k++)
		if (!g->edges[g->nodes[dst].in[k]].deleted)
			return &g->edges[g->nodes[dst].in[k]];
	return NULL;
}

static void keep(struct graph *g, const uint32_t *ks, size_t n)
{
	size_t i;

	for (i = 0; i < g->nnodes; i++)
		g->nodes[i].kept = false;
	for (i = 0; i < n; i++)
		g->nodes[ks[i]].kept = true;
}

/* pprof's createTestCase1: 0 -(5,inline)-> 1, 1 -(3,inline)-> 2,
 * 1 -(4)-> 3; keeping 0, 2, 3 gives 0 -> 2 (3, residual, inline) and
 * 0 -> 3 (4, residual, not inline). */
START_TEST(test_trim_tree_case1)
{
	struct profile *p = profile_new();
	struct graph *g = tree_graph(p, 4);
	static const uint32_t ks[] = { 0, 2, 3 };
	const struct gedge *e;

	tree_edge(g, 0, 1, 5, true);
	tree_edge(g, 1, 2, 3, true);
	tree_edge(g, 1, 3, 4, false);
	graph_link(g);
	keep(g, ks, 3);
	graph_trim_tree(g);
	ck_assert_uint_eq(g->norder, 3);
	ck_assert_uint_eq(g->order[0], 0);
	ck_assert_uint_eq(g->order[1], 2);
	ck_assert_uint_eq(g->order[2], 3);
	ck_assert_ptr_null(edge_into(g, 0));
	e = edge_into(g, 2);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->src, 0);
	ck_assert_int_eq(e->weight, 3);
	ck_assert(e->residual && e->inline_);
	e = edge_into(g, 3);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->src, 0);
	ck_assert_int_eq(e->weight, 4);
	ck_assert(e->residual && !e->inline_);
	graph_free(g);
	profile_free(p);
}
END_TEST

/* pprof's createTestCase2: 3 -(12)-> 1 -(8)-> 2 -(15)-> 0 -(10)-> 4;
 * keeping 3 and 4 gives 3 -> 4 (10, residual). */
START_TEST(test_trim_tree_case2)
{
	struct profile *p = profile_new();
	struct graph *g = tree_graph(p, 5);
	static const uint32_t ks[] = { 3, 4 };
	const struct gedge *e;

	tree_edge(g, 3, 1, 12, false);
	tree_edge(g, 1, 2, 8, false);
	tree_edge(g, 2, 0, 15, false);
	tree_edge(g, 0, 4, 10, false);
	graph_link(g);
	keep(g, ks, 2);
	graph_trim_tree(g);
	ck_assert_uint_eq(g->norder, 2);
	e = edge_into(g, 4);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->src, 3);
	ck_assert_int_eq(e->weight, 10);
	ck_assert(e->residual && !e->inline_);
	ck_assert_ptr_null(edge_into(g, 3));
	graph_free(g);
	profile_free(p);
}
END_TEST

/* A dropped root makes its kept children roots (pprof deletes their
 * incoming edges); createTestCase4: a single kept node stays. */
START_TEST(test_trim_tree_dropped_root)
{
	struct profile *p = profile_new();
	struct graph *g = tree_graph(p, 3);
	static const uint32_t ks[] = { 1, 2 };

	tree_edge(g, 0, 1, 5, false);
	tree_edge(g, 1, 2, 5, false);
	graph_link(g);
	keep(g, ks, 2);
	graph_trim_tree(g);
	ck_assert_uint_eq(g->norder, 2);
	ck_assert_ptr_null(edge_into(g, 1));
	ck_assert_uint_eq(edge_into(g, 2)->src, 1);
	ck_assert(!edge_into(g, 2)->residual);
	graph_free(g);
	profile_free(p);
}
END_TEST

/* graphviz's own messages come back through err_set(). */
START_TEST(test_render_error)
{
	static const char bad[] = "digraph { a -> }";
	static const char good[] = "digraph { a -> b }";
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	ck_assert_int_eq(render_graph(bad, strlen(bad), "svg", m), -1);
	ck_assert_msg(strstr(err_msg(), "syntax error") != NULL, "message: %s", err_msg());
	ck_assert_int_eq(render_graph(good, strlen(good), "svg", m), 0);
	fclose(m);
	ck_assert_ptr_nonnull(strstr(out, "<svg"));
	ck_assert_ptr_nonnull(strstr(out, "<title>a&#45;&gt;b</title>"));
	free(out);
}
END_TEST

Suite *suite_graph(void)
{
	Suite *s = suite_create("graph");
	TCase *tc = tcase_create("graph");

	tcase_add_test(tc, test_shorten_function_name);
	tcase_add_test(tc, test_trim_tree_case1);
	tcase_add_test(tc, test_trim_tree_case2);
	tcase_add_test(tc, test_trim_tree_dropped_root);
	tcase_add_test(tc, test_render_error);
	suite_add_tcase(s, tc);
	return s;
}
