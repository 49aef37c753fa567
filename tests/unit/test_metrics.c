/* Unit tests for the metrics: the OpenMetrics renderer
 * (src/lib/leaks_openmetrics.c) on hand-made results (label escaping,
 * look-alike site names, --max-series and its "other" series, unit
 * families and scaling, several targets in one family), drip watch's
 * targets file (src/cli/targets.c) and its HTTP server (src/cli/httpd.c)
 * over a loopback socket. */
#include <check.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "error.h"
#include "httpd.h"
#include "leaks.h"
#include "leaks_openmetrics.h"
#include "targets.h"

Suite *suite_metrics(void);

/* A result of two snapshots and one sample type, with three sites. */
struct fake {
	struct leaks_result r;
	struct leaks_type ty;
	int64_t total[2];
	struct leaks_site s[3];
	double v[3][2];
	struct trend tr[3];
	enum verdict vd[3];
};

static void fake_init(struct fake *f, const char *unit)
{
	static const char *const names[3] = { "main.\"quoted\"\\back\nline", "main.twin", "main.twin" };
	static const double vals[3][2] = { { 100, 400 }, { 50, 60 }, { 10, 5 } };
	static const enum verdict vds[3] = { VERDICT_GROWING, VERDICT_NOISY, VERDICT_FLAT };
	int i;

	memset(f, 0, sizeof(*f));
	f->ty.name = "inuse_space";
	f->ty.unit = unit;
	f->ty.shown = true;
	f->ty.companion = -1;
	f->total[0] = 1000;
	f->total[1] = 2000;
	f->ty.total = f->total;
	f->r.n = 2;
	f->r.types = &f->ty;
	f->r.nt = 1;
	f->r.sites = f->s;
	f->r.nsites = 3;
	f->r.nsuspects = 1;
	for (i = 0; i < 3; i++) {
		f->v[i][0] = vals[i][0];
		f->v[i][1] = vals[i][1];
		f->tr[i].growth = vals[i][1] - vals[i][0];
		f->tr[i].has_rate = true;
		f->tr[i].slope_sec = (vals[i][1] - vals[i][0]) / 2;
		f->vd[i] = vds[i];
		f->s[i].name = names[i];
		f->s[i].key = names[i];
		f->s[i].v = f->v[i];
		f->s[i].tr = &f->tr[i];
		f->s[i].verdict = &f->vd[i];
		f->s[i].verdict0 = vds[i];
	}
	/* as leaks.c's fill_callers sets a library site's owner */
	f->s[1].owner.func = "main.user";
	f->s[1].owner.own = true;
	f->s[1].caller = "main.user";
}

static char *render(const struct leaks_om_target *t, size_t n, size_t max)
{
	struct leaks_om_opts o = { max };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	ck_assert_ptr_nonnull(f);
	leaks_write_openmetrics(t, n, &o, f);
	fclose(f);
	return out;
}

static void has_line(const char *text, const char *line)
{
	const char *p = text;
	size_t n = strlen(line);

	while ((p = strstr(p, line)))
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return;
		else
			p++;
	ck_abort_msg("line not found: %s\nin:\n%s", line, text);
}

static size_t count(const char *text, const char *needle)
{
	size_t n = 0;
	const char *p = text;

	while ((p = strstr(p, needle))) {
		n++;
		p++;
	}
	return n;
}

START_TEST(test_labels_and_families)
{
	struct fake f;
	struct leaks_om_target t = { "api \"1\"", NULL, 1 };
	char *out;

	fake_init(&f, "bytes");
	t.r = &f.r;
	out = render(&t, 1, 0);
	has_line(out, "# TYPE drip_leaks_site_bytes gauge");
	has_line(out, "# UNIT drip_leaks_site_bytes bytes");
	has_line(out, "drip_leaks_target_up{target=\"api \\\"1\\\"\"} 1");
	/* \ " and newline escaped; the program's own function owns its site */
	has_line(out, "drip_leaks_site_bytes{target=\"api \\\"1\\\"\",site=\"main.\\\"quoted\\\"\\\\back\\nline\","
		      "owner=\"main.\\\"quoted\\\"\\\\back\\nline\",sample_type=\"inuse_space\",unit=\"bytes\"} 400");
	/* two sites that print alike get apart */
	has_line(out, "drip_leaks_site_bytes{target=\"api \\\"1\\\"\",site=\"main.twin\",owner=\"main.user\","
		      "sample_type=\"inuse_space\",unit=\"bytes\"} 60");
	has_line(out, "drip_leaks_site_bytes{target=\"api \\\"1\\\"\",site=\"main.twin [2]\",owner=\"main.twin\","
		      "sample_type=\"inuse_space\",unit=\"bytes\"} 5");
	has_line(out, "drip_leaks_site_growth_bytes{target=\"api \\\"1\\\"\",site=\"main.twin [2]\",owner=\"main.twin\","
		      "sample_type=\"inuse_space\",unit=\"bytes\"} -5");
	has_line(out, "drip_leaks_site_slope_bytes_per_second{target=\"api \\\"1\\\"\",site=\"main.twin\",owner=\"main.user\","
		      "sample_type=\"inuse_space\",unit=\"bytes\"} 5");
	has_line(out, "# UNIT drip_leaks_site_slope_bytes_per_second bytes_per_second");
	has_line(out, "drip_leaks_profile_bytes{target=\"api \\\"1\\\"\",sample_type=\"inuse_space\",unit=\"bytes\"} 2000");
	has_line(out, "drip_leaks_suspects{target=\"api \\\"1\\\"\"} 1");
	ck_assert_uint_eq(count(out, "drip_leaks_site_verdict{"), 3);
	ck_assert_uint_eq(count(out, "site=\"other\","), 0);
	ck_assert_uint_eq(count(out, "_total"), 0);
	ck_assert_uint_eq(count(out, "_count"), 0);
	ck_assert(strlen(out) > 6 && !strcmp(out + strlen(out) - 6, "# EOF\n"));
	free(out);
}
END_TEST

START_TEST(test_max_series_other)
{
	struct fake f;
	struct leaks_om_target t = { "t", NULL, -1 };
	char *out, *again;

	fake_init(&f, "bytes");
	f.s[0].proven = 0;
	t.r = &f.r;
	/* one site: the first by growth (the growing one); the two others
	 * summed, their verdict the highest of theirs (noisy) */
	out = render(&t, 1, 1);
	has_line(out, "drip_leaks_site_bytes{target=\"t\",site=\"other\",owner=\"\",sample_type=\"inuse_space\",unit=\"bytes\"} 65");
	has_line(out, "drip_leaks_site_growth_bytes{target=\"t\",site=\"other\",owner=\"\",sample_type=\"inuse_space\",unit=\"bytes\"} 5");
	has_line(out, "drip_leaks_site_verdict{target=\"t\",site=\"other\",owner=\"\",sample_type=\"inuse_space\",unit=\"bytes\"} 1");
	ck_assert_uint_eq(count(out, "drip_leaks_site_bytes{"), 2);
	ck_assert_uint_eq(count(out, "drip_leaks_target_up"), 0);
	/* two: by growth, then by value (main.twin, 60) */
	again = render(&t, 1, 2);
	has_line(again, "drip_leaks_site_bytes{target=\"t\",site=\"main.twin\",owner=\"main.user\",sample_type=\"inuse_space\",unit=\"bytes\"} 60");
	has_line(again, "drip_leaks_site_bytes{target=\"t\",site=\"other\",owner=\"\",sample_type=\"inuse_space\",unit=\"bytes\"} 5");
	free(again);
	/* deterministic */
	again = render(&t, 1, 1);
	ck_assert_str_eq(out, again);
	free(out);
	free(again);
}
END_TEST

START_TEST(test_units_and_targets)
{
	struct fake a, b;
	struct leaks_om_target t[3] = { { "a", NULL, 1 }, { "down", NULL, 0 }, { "b", NULL, 1 } };
	char *out;

	fake_init(&a, "nanoseconds");
	fake_init(&b, "count");
	b.s[0].proven = 2;
	t[0].r = &a.r;
	t[2].r = &b.r;
	out = render(t, 3, 0);
	/* nanoseconds are exported in seconds; counts without a unit */
	has_line(out, "# UNIT drip_leaks_site_seconds seconds");
	has_line(out, "drip_leaks_site_seconds{target=\"a\",site=\"main.twin\",owner=\"main.user\",sample_type=\"inuse_space\",unit=\"seconds\"} 6e-08");
	has_line(out, "drip_leaks_site_value{target=\"b\",site=\"main.twin\",owner=\"main.user\",sample_type=\"inuse_space\",unit=\"count\"} 60");
	ck_assert_uint_eq(count(out, "# UNIT drip_leaks_site_value"), 0);
	/* proven leaked */
	has_line(out, "drip_leaks_site_verdict{target=\"b\",site=\"main.\\\"quoted\\\"\\\\back\\nline\",owner=\"main.\\\"quoted\\\"\\\\back\\nline\",sample_type=\"inuse_space\",unit=\"count\"} 3");
	/* one family each, with every target's series */
	ck_assert_uint_eq(count(out, "# TYPE drip_leaks_site_verdict gauge"), 1);
	ck_assert_uint_eq(count(out, "drip_leaks_site_verdict{"), 6);
	has_line(out, "drip_leaks_target_up{target=\"down\"} 0");
	ck_assert_uint_eq(count(out, "drip_leaks_snapshots{"), 2);
	free(out);
	/* nothing analysed yet: just the end */
	out = render(NULL, 0, 0);
	ck_assert_str_eq(out, "# EOF\n");
	free(out);
}
END_TEST

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/drip-targets-XXXXXX");
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (int)strlen(text));
	close(fd);
	return path;
}

START_TEST(test_targets_file)
{
	char *p = write_tmp("# services\n\napi http://10.0.0.1:6060/debug/pprof/heap # the API\n"
			    "  10.0.0.2:6060\t\n"
			    "db-1 10.0.0.3:6060/debug/pprof/goroutine?x=a#b\n");
	struct target *t = NULL;
	size_t n = 0;

	ck_assert_int_eq(targets_read(p, &t, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(t[0].name, "api");
	ck_assert_str_eq(t[0].url, "http://10.0.0.1:6060/debug/pprof/heap");
	ck_assert_ptr_null(t[1].name);
	ck_assert_str_eq(t[1].url, "10.0.0.2:6060");
	ck_assert_str_eq(t[2].name, "db-1");
	ck_assert_str_eq(t[2].url, "10.0.0.3:6060/debug/pprof/goroutine?x=a#b");
	targets_free(t, n);
	unlink(p);
	free(p);
	p = write_tmp("a b c\n");
	t = NULL;
	n = 0;
	ck_assert_int_eq(targets_read(p, &t, &n), -1);
	ck_assert_msg(strstr(err_msg(), "line 1") != NULL, "%s", err_msg());
	targets_free(t, n);
	unlink(p);
	free(p);
}
END_TEST

/* One request to h over loopback; the response. */
static char *ask(struct httpd *h, const char *request)
{
	const char *addr = httpd_address(h);
	struct sockaddr_in sa;
	char buf[4096];
	size_t len = 0;
	int fd = socket(AF_INET, SOCK_STREAM, 0), i;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)atoi(strrchr(addr, ':') + 1));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(send(fd, request, strlen(request), 0), (int)strlen(request));
	/* the server answers while it serves; serve until the answer is whole */
	for (i = 0; i < 200; i++) {
		struct pollfd pf = { fd, POLLIN, 0 };
		ssize_t n;
		httpd_serve(h, 20, NULL);
		if (poll(&pf, 1, 0) <= 0)
			continue;
		n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	return strdup(buf);
}

START_TEST(test_httpd)
{
	struct httpd *h = httpd_open(":0");
	char *r;

	ck_assert_msg(h != NULL, "%s", err_msg());
	ck_assert_msg(!strncmp(httpd_address(h), "127.0.0.1:", 10), "%s", httpd_address(h));
	r = ask(h, "GET /metrics HTTP/1.0\r\n\r\n");
	ck_assert_msg(strstr(r, "HTTP/1.1 200 OK\r\n") == r && strstr(r, "\r\n\r\n# EOF\n"), "%s", r);
	free(r);
	httpd_set_body(h, "x 1\n# EOF\n", 10, "application/openmetrics-text; version=1.0.0", "application/openmetrics-text",
		       "text/plain; version=0.0.4");
	r = ask(h, "GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\naccept: application/openmetrics-text;version=1.0.0\r\n\r\n");
	ck_assert_msg(strstr(r, "Content-Type: application/openmetrics-text; version=1.0.0\r\n") &&
			      strstr(r, "Content-Length: 10\r\n") && strstr(r, "\r\n\r\nx 1\n# EOF\n"),
		      "%s", r);
	free(r);
	r = ask(h, "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n");
	ck_assert_msg(strstr(r, "Content-Type: text/plain; version=0.0.4\r\n") != NULL, "%s", r);
	free(r);
	r = ask(h, "HEAD /metrics HTTP/1.1\r\n\r\n");
	ck_assert_msg(strstr(r, "HTTP/1.1 200 OK\r\n") == r && !strstr(r, "x 1"), "%s", r);
	free(r);
	r = ask(h, "GET /other HTTP/1.1\r\n\r\n");
	ck_assert_msg(strstr(r, "HTTP/1.1 404 Not Found\r\n") == r, "%s", r);
	free(r);
	r = ask(h, "POST /metrics HTTP/1.1\r\n\r\n");
	ck_assert_msg(strstr(r, "HTTP/1.1 405 ") == r && strstr(r, "Allow: GET, HEAD\r\n"), "%s", r);
	free(r);
	r = ask(h, "nonsense\r\n\r\n");
	ck_assert_msg(strstr(r, "HTTP/1.1 400 ") == r, "%s", r);
	free(r);
	httpd_free(h);
	ck_assert_ptr_null(httpd_open("1.2.3"));
	ck_assert_ptr_null(httpd_open("::1:80"));
	ck_assert_ptr_null(httpd_open(":99999"));
	httpd_free(NULL);
}
END_TEST

Suite *suite_metrics(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("metrics");

	tcase_add_test(tc, test_labels_and_families);
	tcase_add_test(tc, test_max_series_other);
	tcase_add_test(tc, test_units_and_targets);
	tcase_add_test(tc, test_targets_file);
	tcase_add_test(tc, test_httpd);
	suite_add_tcase(s, tc);
	return s;
}
