/* drip watch: snapshot live services every interval, save each
 * snapshot, and after each round show the `drip leaks` verdicts over the
 * series so far (watch_screen.c: a screen on a terminal, a block of
 * changes in a pipe).  Each URL's series is a leaks engine series
 * (src/lib/leaks.h) kept in memory: a round is one fetch, one decode and
 * one update of it, however long the watch has run; the saved files are
 * the record and are never read back.  The report is drip leaks' own
 * (leaks_cli_report), so watch and leaks can never disagree. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "buf.h"
#include "cmd.h"
#include "cmd_leaks.h"
#include "error.h"
#include "fetch.h"
#include "httpd.h"
#include "input.h"
#include "leaks.h"
#include "leaks_join.h"
#include "leaks_openmetrics.h"
#include "load.h"
#include "metrics.h"
#include "options.h"
#include "report_html.h"
#include "session.h"
#include "parse_options.h"
#include "targets.h"
#include "watch_screen.h"
#include "xalloc.h"

static const struct popt_usage usage = {
	"watch",
	"[OPTIONS] URL... [-- LEAKS-OPTIONS]\n[OPTIONS] --targets=FILE [URL...] [-- LEAKS-OPTIONS]",
	"Take a snapshot of each URL every interval, save it in DIR as\n"
	"TARGET-ROUND-TIME.pb.gz (TARGET: host, port, path and query of the URL,\n"
	"e.g. 127.0.0.1_6060_heap; written atomically, never over another file),\n"
	"and after each round show the 'drip leaks' verdicts over the snapshots\n"
	"so far.  On a terminal: one screen redrawn in place that fits it (a\n"
	"status line, then per URL its counts and a table of findings, every\n"
	"URL's proven leaks and suspects before noisy sites, a suspect's owner\n"
	"('allocated for F', 'called from F') under it, '+N more' for the\n"
	"rest); it stays when the watch ends, naming 'drip leaks DIR' for the\n"
	"full report.  Into a pipe or file: per round, each URL's counts and what\n"
	"changed since the round before (new or former suspects, a new suspect's\n"
	"owner, a count of the noisy ones), and the full report once at the end.\n"
	"URL is as for any command: http[s]://..., host:port/debug/pprof/NAME, or\n"
	"host:port (its heap).  Watch the heap and the goroutines of one service\n"
	"together by giving both URLs; each URL is its own series, and a heap and\n"
	"a goroutine URL of the same host:port are joined (goroutine groups with\n"
	"the heap sites growing in step, and the cost per leaked goroutine, as\n"
	"drip leaks given both kinds): each round as soon as the join holds (two\n"
	"lines a finding, below the tables; in a pipe while there are findings),\n"
	"and in full at the end of the final report.  Ctrl-C ends the watch\n"
	"(within a second, even in the middle of a fetch).\n"
	"Exit status as drip leaks: 1 when a URL's series has a suspect, 0 when\n"
	"none has; 2 when the first snapshot of a URL cannot be taken (with\n"
	"--targets: when no target gives its first snapshot).  A later failed\n"
	"snapshot is a warning, and the watch goes on.  A heap URL watched with no\n"
	"GC first (gc=0 in it, or the no-GC option below) or an allocs URL (Go runs\n"
	"no GC for it) gets a warning at the start: its in-use numbers are those of\n"
	"the last GC.\n",
	"Everything after '--' is passed to drip leaks (e.g. -- --min-growth=1MB,\n"
	"-- --max-series=20 for the metrics),\n"
	"parsed once before the first round (an invalid option is an error).  Each\n"
	"series is kept in memory, reduced: a round is one fetch, one decode and\n"
	"one update, and the saved snapshots are never read back.\n"
	"'drip leaks DIR' reads the folder back later, one series per target.\n"
	"host:port/debug/pprof/goroutineleak (Go 1.26+) is fetched as served (proto):\n"
	"each fetch runs a leak-detecting GC and lists only the goroutines that can\n"
	"never run again, so the first round already reports them as proven leaks;\n"
	"/debug/pprof/goroutine (fetched as debug=2) lists every goroutine, and a leak\n"
	"there shows only as a trend across rounds.\n",
};

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	interrupted = 1; /* also ends a fetch in progress within a second (src.interrupt) */
}

/* "500ms", "10s", "2m", "1h", or plain seconds; returns milliseconds. */
static long long parse_duration(const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v < 0)
		return -1;
	if (!strcmp(end, "ms"))
		return (long long)v;
	if (!*end || !strcmp(end, "s"))
		return (long long)(v * 1000);
	if (!strcmp(end, "m"))
		return (long long)(v * 60000);
	if (!strcmp(end, "h"))
		return (long long)(v * 3600000);
	return -1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleep ms milliseconds, waking early on Ctrl-C. */
static void nap(long long ms)
{
	long long end = now_ms() + ms;

	while (!interrupted) {
		long long left = end - now_ms();
		struct timespec ts;

		if (left <= 0)
			break;
		if (left > 100)
			left = 100;
		ts.tv_sec = 0;
		ts.tv_nsec = left * 1000000;
		nanosleep(&ts, NULL);
	}
}

struct series {
	const char *arg;
	char *url, *name;        /* name: of the snapshot files and the target label */
	int up;                  /* the last snapshot was taken: 1, failed: 0 */
	struct leaks_series *ls; /* the snapshots so far, reduced */
	size_t nfiles;           /* snapshots saved and added */
	/* --html: the page's path, the summary of every snapshot added (a
	 * few numbers each), and the newest snapshot as the report shows it
	 * (filtered), from its fetch until its page is written */
	char *html;
	struct html_snap *sums;  /* nfiles */
	struct profile *latest;
	char *latest_path;
	const struct source_opts *src; /* --max-size, --timeout, --no-gc, Ctrl-C */
};

/* What the HTML page shows: drip report's defaults, with the leaks
 * options' granularity and filters (as drip report's leaks section
 * uses its own). */
static void html_report_opts(struct report_opts *ro, const struct leaks_opts *lo)
{
	report_opts_init(ro);
	ro->gran = lo->gran;
	ro->noinlines = lo->noinlines;
	ro->cum = lo->cum;
	ro->filter = lo->filter;
}

/* Append s to b with every byte outside [A-Za-z0-9.-] as '_' (file
 * names that need no quoting in a shell). */
static void put_safe(struct buf *b, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
			  c == '-';
		buf_putc(b, ok ? c : '_');
	}
}

/* The target part of a snapshot's file name: host, port, the path
 * without its usual /debug/pprof/ prefix, and the query the user gave
 * ("127.0.0.1_6060_heap", "svc1_8080_goroutine_debug_1"), so that two
 * services with the same endpoint never share a name.  Caller frees. */
static char *series_name(const char *arg, const char *url)
{
	struct buf b = BUF_INIT;
	const char *p = strstr(url, "://"), *host, *path, *q;
	size_t hostlen;

	p = p ? p + 3 : url;
	host = p;
	hostlen = strcspn(host, "/?");
	path = host + hostlen;
	/* user:password@ is never part of a file name */
	{
		const char *at = memchr(host, '@', hostlen);
		if (at) {
			hostlen -= (size_t)(at + 1 - host);
			host = at + 1;
		}
	}
	if (host[0] == '[') { /* [::1]:6060 */
		const char *close = memchr(host, ']', hostlen);
		size_t n = close ? (size_t)(close - host - 1) : hostlen;
		put_safe(&b, host + 1, n);
		if (close && close + 1 < host + hostlen && close[1] == ':') {
			buf_putc(&b, '_');
			put_safe(&b, close + 2, (size_t)(host + hostlen - close - 2));
		}
	} else {
		put_safe(&b, host, hostlen); /* host:port becomes host_port */
	}
	if (!strncmp(path, "/debug/pprof/", 13))
		path += 13;
	while (*path == '/')
		path++;
	q = path + strcspn(path, "?");
	if (q > path) {
		buf_putc(&b, '_');
		put_safe(&b, path, (size_t)(q - path));
	}
	/* The query as given (drip's own gc=1 / debug=2 are not in arg). */
	q = strchr(arg, '?');
	if (q && q[1]) {
		buf_putc(&b, '_');
		put_safe(&b, q + 1, strlen(q + 1));
	}
	return buf_detach(&b, NULL);
}

static const char *extension(const struct buf *b)
{
	const unsigned char *d = (const unsigned char *)b->data;

	if (b->len >= 2 && d[0] == 0x1f && d[1] == 0x8b)
		return ".pb.gz";
	if (b->len && (d[0] == 'h' || d[0] == 'g'))
		return ".txt";
	return ".pb";
}

/* Fetch one snapshot of s into dir and add it to s's series (with
 * --html, keep its summary and, until the page is written, its report
 * copy); returns 0, or -1 with err_set(). */
static int snapshot(struct series *s, const char *dir, int round, const struct leaks_opts *lo)
{
	struct html_snap sum;
	struct profile *rep = NULL;
	struct buf body = BUF_INIT, path = BUF_INIT;
	struct profile *p = NULL;
	time_t t = time(NULL);
	struct tm tm;
	char stamp[32];
	int r = -1, attempt;

	if (fetch_url(s->url, s->src, &body) < 0) {
		err_prefix("cannot read '%s'", s->url);
		goto out;
	}
	p = load_profile_bytes(s->url, (const unsigned char *)(body.data ? body.data : ""), body.len, s->src);
	if (!p)
		goto out;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	/* Written atomically and never over an existing file (another
	 * watch in the same folder, the same second): a kill leaves no torn
	 * snapshot, and no snapshot replaces another. */
	for (attempt = 1;; attempt++) {
		struct afile af;

		buf_reset(&path);
		buf_printf(&path, "%s/%s-%03d-%s", dir, s->name, round, stamp);
		if (attempt > 1)
			buf_printf(&path, "-%d", attempt);
		buf_puts(&path, extension(&body));
		if (afile_open(&af, path.data, 0666, AFILE_NOREPLACE) < 0)
			goto out;
		if (body.len && fwrite(body.data, 1, body.len, af.f) != body.len) {
			err_set("cannot write '%s': %s", path.data, strerror(errno));
			afile_abort(&af);
			goto out;
		}
		if (afile_commit(&af) == 0)
			break;
		if (errno != EEXIST || attempt >= 100)
			goto out;
	}
	if (s->html) {
		struct load_opts ld;
		struct report_opts ro;

		memset(&ld, 0, sizeof(ld));
		html_report_opts(&ro, lo);
		rep = session_from(&p, 1, NULL, 0, &ld, &ro);
		if (!rep)
			goto out;
		html_snap_init(&sum, path.data, p);
	}
	/* the series takes the profile, reduces and frees it */
	r = leaks_series_add(s->ls, p, path.data);
	p = NULL;
	if (r == 0 && s->html) {
		s->sums = xreallocarray(s->sums, s->nfiles + 1, sizeof(*s->sums));
		s->sums[s->nfiles] = sum;
		profile_free(s->latest);
		free(s->latest_path);
		s->latest = rep;
		s->latest_path = xstrdup(path.data);
		rep = NULL;
	} else if (s->html) {
		html_snap_release(&sum);
	}
	if (r == 0)
		s->nfiles++;
out:
	profile_free(rep);
	profile_free(p);
	buf_release(&body);
	buf_release(&path);
	return r;
}

/* --html: rewrite s's page after a round that added a snapshot, from
 * what the watch keeps (the series, the summaries, the newest
 * snapshot's report copy, freed here); gor: the goroutine series of s's
 * service (NULL: none), whose joined findings with s the page shows.
 * A failure is a warning. */
static void write_html(struct series *s, const struct series *gor, const struct leaks_cli *lc, const char *dir,
		       int round)
{
	struct html_input in;
	struct html_opts ho;
	struct report_opts ro;
	struct leaks_result lres;
	struct afile af;
	struct buf title = BUF_INIT;
	const char *files[1];
	char *lerr = NULL, *joined = NULL;
	int r;

	if (!s->html || !s->latest)
		return;
	memset(&in, 0, sizeof(in));
	memset(&ho, 0, sizeof(ho));
	html_report_opts(&ro, &lc->o);
	in.snaps = s->sums;
	in.nsnaps = s->nfiles;
	in.prof = s->latest;
	files[0] = s->latest_path;
	in.prof_files = files;
	in.nprof_files = 1;
	/* drip leaks' analysis of the series so far (a heap series needs
	 * two snapshots) */
	if (leaks_series_len(s->ls) >= 2 || leaks_series_goroutine(s->ls)) {
		if (leaks_analyze(s->ls, &lres) == 0)
			in.leaks = &lres;
		else
			lerr = xstrdup(err_msg());
		in.leaks_error = lerr;
		err_clear();
	}
	/* a heap page: the joined findings with the service's goroutines,
	 * as the final report words them */
	if (in.leaks && gor && !leaks_series_goroutine(s->ls)) {
		struct leaks_result gres;
		if (leaks_analyze(gor->ls, &gres) == 0) {
			struct leaks_joint jt;
			size_t jn = 0;
			FILE *m = open_memstream(&joined, &jn);
			leaks_join(&lres, &gres, &jt);
			if (m) {
				leaks_joint_write_text(&jt, &lres, &gres, m);
				fclose(m);
			}
			in.leaks_joined = joined;
			leaks_joint_release(&jt);
			leaks_result_release(&gres);
		}
		err_clear();
	}
	buf_printf(&title, "drip watch: %s", s->name);
	ho.title = title.data;
	ho.minwidth_pct = 0.01;
	ho.graph_nodecount = 80;
	ho.watch_round = round;
	ho.watch_dir = dir;
	ho.watch_url = s->url;
	r = afile_open(&af, s->html, 0666, 0);
	if (r == 0 && html_report_write(&in, &ro, &ho, af.f) < 0) {
		r = -1;
		afile_abort(&af);
	} else if (r == 0) {
		r = afile_commit(&af);
	}
	if (r < 0)
		warnf("%s (HTML page not written)", err_msg());
	if (in.leaks)
		leaks_result_release(&lres);
	free(lerr);
	free(joined);
	buf_release(&title);
	/* the page is written: the newest snapshot lives on only in the
	 * series and its summary */
	profile_free(s->latest);
	s->latest = NULL;
}

/* The page's path for a target: FILE, or with several targets FILE with
 * "-NAME" before its extension.  Caller frees. */
static char *html_path(const char *file, const char *name, int ntargets)
{
	struct buf b = BUF_INIT;
	const char *slash = strrchr(file, '/'), *dot = strrchr(file, '.');

	if (ntargets == 1)
		return xstrdup(file);
	if (!dot || (slash && dot < slash) || dot == (slash ? slash + 1 : file))
		dot = file + strlen(file);
	buf_printf(&b, "%.*s-%s%s", (int)(dot - file), file, name, dot);
	return buf_detach(&b, NULL);
}

/* The service of a URL: its host and port ("127.0.0.1:6060"), without
 * a user; *n gets the length. */
static const char *url_service(const char *url, size_t *n)
{
	const char *p = strstr(url, "://"), *at;

	p = p ? p + 3 : url;
	*n = strcspn(p, "/?");
	at = memchr(p, '@', *n);
	if (at) {
		*n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	return p;
}

static bool same_service(const char *a, const char *b)
{
	size_t na, nb;
	const char *sa = url_service(a, &na), *sb = url_service(b, &nb);

	return na == nb && strncmp(sa, sb, na) == 0;
}

/* drip leaks' report over a series; returns its exit status. */
static int report(const struct series *s, const struct leaks_cli *lc)
{
	int rc = leaks_cli_report(lc, s->ls);

	fflush(stdout);
	return rc;
}

/* The metrics of every target, after a round: served by h, written to
 * mfile (either may be absent).  A failure is a warning. */
static void publish(const struct series *ss, int n, const struct leaks_cli *lc, struct httpd *h, const char *mfile)
{
	struct metrics_target *mt;
	char *text = NULL;
	size_t len = 0;
	int i;

	if (!h && !mfile)
		return;
	mt = xcalloc((size_t)n, sizeof(*mt));
	for (i = 0; i < n; i++) {
		mt[i].name = ss[i].name;
		mt[i].ls = ss[i].ls;
		mt[i].up = ss[i].up;
	}
	if (metrics_render(mt, (size_t)n, lc->max_series, &text, &len, NULL) < 0)
		warnf("metrics: %s", err_msg());
	free(mt);
	if (!text)
		return;
	if (h)
		httpd_set_body(h, text, len, LEAKS_OM_CONTENT_TYPE, "application/openmetrics-text",
			       LEAKS_OM_TEXT_CONTENT_TYPE);
	if (mfile) {
		struct afile af;
		int r = afile_open(&af, mfile, 0666, 0);
		if (r == 0 && len && fwrite(text, 1, len, af.f) != len) {
			r = err_set("cannot write '%s': %s", mfile, strerror(errno));
			afile_abort(&af);
		} else if (r == 0) {
			r = afile_commit(&af);
		}
		if (r < 0)
			warnf("%s (metrics file not written)", err_msg());
	}
	free(text);
}

/* --interval and --duration: a duration in milliseconds into value;
 * defval is the smallest accepted (1 for --interval, 0 for --duration). */
static int cb_duration(const struct popt *opt, const char *arg, const char *cmd)
{
	long long v = parse_duration(arg);

	if (v < opt->defval) {
		fprintf(stderr, "drip %s: invalid --%s '%s'\n", cmd, opt->long_name, arg);
		return -1;
	}
	*(long long *)opt->value = v;
	return 0;
}

static int cb_count(const struct popt *opt, const char *arg, const char *cmd)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (end == arg || *end || v < 1) {
		fprintf(stderr, "drip %s: invalid --count '%s'\n", cmd, arg);
		return -1;
	}
	*(long *)opt->value = v;
	return 0;
}

int cmd_watch(int argc, char **argv)
{
	long long interval = 30000, duration = -1, start;
	long count = -1;
	const char *dir = NULL, *targets_file = NULL, *listen_addr = NULL, *metrics_file = NULL, *html = NULL;
	struct target *tg = NULL;
	size_t ntg = 0;
	struct httpd *httpd = NULL;
	char *dirbuf = NULL, **leaks_opts = NULL;
	struct leaks_cli lc;
	struct series *ss = NULL;
	int nurls, first_url, nleaks = 0, i, rc = EXIT_OK, round, rounds = 0, dash = argc;
	struct watch_screen *scr = NULL;
	struct sigaction sa;
	struct source_opts src = { 0, 0, false, &interrupted };
	struct popt opts[] = {
		POPT_GROUP("Rounds:"),
		POPT_CALLBACK_DEF(0, "interval", &interval, "DURATION", "time between rounds (default 30s; 500ms, 10s, 2m)",
				  cb_duration, 1),
		POPT_CALLBACK(0, "count", &count, "N", "stop after N rounds (default: until Ctrl-C, or\n--duration)",
			      cb_count),
		POPT_CALLBACK_DEF(0, "duration", &duration, "DURATION", "stop after this much time", cb_duration, 0),
		POPT_GROUP("Targets and snapshots:"),
		POPT_STRING(0, "dir", &dir, "DIR", "where snapshots are saved (default: a new\n"
			    "drip-watch-YYYYmmddTHHMMSSZ folder here)"),
		POPT_STRING(0, "targets", &targets_file, "FILE", "watch the targets listed in FILE, one a line:\n"
			    "'NAME URL' or 'URL' ('#' comments); NAME names\n"
			    "the target's snapshots and its target label.\n"
			    "A target that fails, even at its first snapshot,\n"
			    "is a warning while another one works"),
		POPT_GROUP(RG_INPUT), POPT_SOURCE(&src),
		POPT_GROUP("Metrics:"),
		POPT_STRING(0, "listen", &listen_addr, "ADDR:PORT", "serve the OpenMetrics exposition of every target\n"
			    "(drip leaks --format=openmetrics) at\n"
			    "http://ADDR:PORT/metrics, updated after each\n"
			    "round; ':PORT' listens on 127.0.0.1"),
		POPT_STRING(0, "metrics-file", &metrics_file, "PATH", "rewrite the same exposition in PATH after each\n"
			    "round, atomically (node exporter textfile collector)"),
		POPT_GROUP("Report:"),
		POPT_STRING(0, "html", &html, "FILE", "rewrite drip report's HTML page of the series in\n"
			    "FILE after each round, atomically: the leaks\n"
			    "section over every snapshot so far (a heap page\n"
			    "with the joined findings of its service's\n"
			    "goroutine URL), the summary and totals of each,\n"
			    "and the tables and graphs of the newest (made\n"
			    "from the series kept in memory: nothing is read\n"
			    "back).  With several URLs, one\n"
			    "page per target: FILE with '-TARGET' before its\n"
			    "extension.  Keep FILE out of DIR ('drip leaks DIR'\n"
			    "reads every file there)"),
		POPT_END(),
	};

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			dash = i;
			break;
		}
	if (dash < argc) {
		leaks_opts = argv + dash + 1;
		nleaks = argc - dash - 1;
	}
	first_url = parse_options(dash, argv, opts, &usage, ropts_known(), NULL);
	if (first_url < 0)
		return first_url == -2 ? EXIT_OK : EXIT_TROUBLE;
	nurls = dash - first_url;
	if (html && !*html) {
		fprintf(stderr, "drip watch: --html wants a file name\n");
		return EXIT_TROUBLE;
	}

	/* the URLs given, then the targets file's */
	for (i = 0; i < nurls; i++) {
		tg = xreallocarray(tg, ntg + 1, sizeof(*tg));
		tg[ntg].name = NULL;
		tg[ntg++].url = xstrdup(argv[first_url + i]);
	}
	if (targets_file && targets_read(targets_file, &tg, &ntg) < 0) {
		err_print();
		targets_free(tg, ntg);
		return EXIT_TROUBLE;
	}
	nurls = (int)ntg;
	if (nurls < 1) {
		fprintf(stderr, "drip watch: missing URL\nTry 'drip watch --help'.\n");
		targets_free(tg, ntg);
		return EXIT_TROUBLE;
	}
	/* drip leaks' options, parsed once for the whole watch */
	{
		char **av = xcalloc((size_t)nleaks + 2, sizeof(char *));
		int first;

		av[0] = "leaks";
		for (i = 0; i < nleaks; i++)
			av[i + 1] = leaks_opts[i];
		first = leaks_cli_parse(&lc, nleaks + 1, av);
		if (first >= 0 && first < nleaks + 1)
			fprintf(stderr, "drip watch: unexpected operand '%s' after '--' (drip leaks options only)\n",
				av[first]);
		free(av);
		if (first < 0 || first < nleaks + 1) {
			targets_free(tg, ntg);
			return first == -2 ? EXIT_OK : EXIT_TROUBLE;
		}
	}
	if (listen_addr) {
		httpd = httpd_open(listen_addr);
		if (!httpd) {
			err_print();
			targets_free(tg, ntg);
			return EXIT_TROUBLE;
		}
		fprintf(stderr, "drip watch: serving metrics at http://%s/metrics\n", httpd_address(httpd));
	}
	if (!dir) {
		time_t t = time(NULL);
		struct tm tm;
		char stamp[32];

		gmtime_r(&t, &tm);
		strftime(stamp, sizeof(stamp), "drip-watch-%Y%m%dT%H%M%SZ", &tm);
		dir = dirbuf = xstrdup(stamp);
	}
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "drip: error: cannot create '%s': %s\n", dir, strerror(errno));
		free(dirbuf);
		httpd_free(httpd);
		targets_free(tg, ntg);
		return EXIT_TROUBLE;
	}
	ss = xcalloc((size_t)nurls, sizeof(*ss));
	for (i = 0; i < nurls; i++) {
		ss[i].arg = tg[i].url;
		ss[i].url = fetch_expand_url(ss[i].arg, &src);
		ss[i].src = &src;
		if (fetch_gc_note(ss[i].url))
			fprintf(stderr, "drip watch: warning: '%s': %s\n", ss[i].url, fetch_gc_note(ss[i].url));
	}
	for (i = 0; i < nurls; i++) {
		/* Several URLs of one service (a heap and a goroutine one):
		 * their series keep what the joined findings need. */
		struct leaks_opts o = lc.o;
		int j;
		for (j = 0; j < nurls; j++)
			o.frames |= j != i && same_service(ss[i].url, ss[j].url);
		ss[i].ls = leaks_series_new(&o);
		ss[i].name = tg[i].name ? xstrdup(tg[i].name) : series_name(ss[i].arg, ss[i].url);
		ss[i].up = -1; /* no round yet */
	}
	/* One series per target, one name per series: nothing may share a
	 * snapshot file. */
	for (i = 0; i < nurls; i++) {
		int j, n = 1;

		for (j = 0; j < i; j++) {
			if (!strcmp(ss[i].url, ss[j].url)) {
				fprintf(stderr, "drip watch: '%s' is given twice\n", ss[i].arg);
				rc = EXIT_TROUBLE;
				goto done;
			}
		}
		for (j = 0; j < i; j++) {
			if (tg[i].name && !strcmp(ss[i].name, ss[j].name)) {
				fprintf(stderr, "drip watch: target name '%s' is given twice\n", tg[i].name);
				rc = EXIT_TROUBLE;
				goto done;
			}
		}
		for (j = 0; j < i; j++) {
			if (!strcmp(ss[i].name, ss[j].name)) { /* same name, other URL */
				struct buf b = BUF_INIT;
				buf_printf(&b, "%s~%d", ss[i].name, ++n);
				free(ss[i].name);
				ss[i].name = buf_detach(&b, NULL);
				j = -1; /* check the new name against all again */
			}
		}
	}
	if (html)
		for (i = 0; i < nurls; i++)
			ss[i].html = html_path(html, ss[i].name, nurls);
	afile_clean_dir(dir);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	{
		char **urls = xcalloc((size_t)nurls, sizeof(char *));
		struct leaks_series **sers = xcalloc((size_t)nurls, sizeof(*sers));
		size_t *service = xcalloc((size_t)nurls, sizeof(*service));
		for (i = 0; i < nurls; i++) {
			int j;
			urls[i] = ss[i].url;
			sers[i] = ss[i].ls;
			for (j = 0; j < i && !same_service(ss[i].url, ss[j].url); j++)
				;
			service[i] = (size_t)j; /* the first URL of its service */
		}
		scr = watch_screen_new(stdout, dir, (size_t)nurls, urls, service, sers, count, &lc);
		free(urls);
		free(sers);
		free(service);
	}
	start = now_ms();
	for (round = 1; !interrupted; round++) {
		long long t0 = now_ms();

		for (i = 0; i < nurls && !interrupted; i++) {
			ss[i].up = 1;
			if (snapshot(&ss[i], dir, round, &lc.o) < 0) {
				ss[i].up = 0;
				if (interrupted)
					break; /* Ctrl-C mid-fetch: to the final report */
				if (ss[i].nfiles == 0 && !targets_file) {
					err_print();
					rc = EXIT_TROUBLE;
					goto done;
				}
				/* with --targets one target never stops the others */
				warnf("%s (snapshot skipped; the watch goes on)", err_msg());
				watch_screen_fetched(scr, (size_t)i, false);
			} else {
				watch_screen_fetched(scr, (size_t)i, true);
			}
		}
		if (targets_file && round == 1 && !interrupted) {
			for (i = 0; i < nurls && !ss[i].nfiles; i++)
				;
			if (i == nurls) {
				fprintf(stderr, "drip watch: no target gave a snapshot\n");
				rc = EXIT_TROUBLE;
				goto done;
			}
		}
		publish(ss, nurls, &lc, httpd, metrics_file);
		for (i = 0; i < nurls; i++) {
			int j;
			for (j = 0; j < nurls; j++)
				if (j != i && same_service(ss[i].url, ss[j].url) && ss[j].nfiles >= 1 &&
				    leaks_series_goroutine(ss[j].ls))
					break;
			write_html(&ss[i], j < nurls ? &ss[j] : NULL, &lc, dir, round);
		}
		rounds = round;
		watch_screen_round(scr, round);
		if ((count > 0 && round >= count) || (duration >= 0 && now_ms() - start >= duration))
			break;
		if (httpd)
			httpd_serve(httpd, interval - (now_ms() - t0), &interrupted);
		else
			nap(interval - (now_ms() - t0));
	}
	/* The final report, whatever ended the watch. */
	if (!lc.output) {
		int r = watch_screen_final(scr, rounds);
		if (r >= 0) { /* a terminal: the last screen stays */
			if (r > rc)
				rc = r;
			goto done;
		}
	}
	printf("== drip watch: final report after %d round%s, snapshots in %s\n", rounds, rounds == 1 ? "" : "s",
	       dir);
	for (i = 0; i < nurls; i++) {
		int r;

		printf("== %s: %zu snapshot%s\n", ss[i].url, ss[i].nfiles, ss[i].nfiles == 1 ? "" : "s");
		if (ss[i].nfiles < 2) {
			printf("fewer than 2 snapshots: no verdict\n");
			continue;
		}
		r = report(&ss[i], &lc);
		if (r > rc)
			rc = r;
	}
	/* A heap and a goroutine URL of one service: the joined findings
	 * (not in an OpenMetrics exposition, which has no place for them). */
	for (i = 0; i < nurls && !lc.openmetrics; i++) {
		int j, r;
		if (ss[i].nfiles < 2 || leaks_series_goroutine(ss[i].ls))
			continue;
		for (j = 0; j < nurls; j++)
			if (same_service(ss[i].url, ss[j].url) && ss[j].nfiles >= 1 && leaks_series_goroutine(ss[j].ls))
				break;
		if (j == nurls)
			continue;
		printf("== joined: %s + %s\n", ss[i].url, ss[j].url);
		fflush(stdout);
		r = leaks_cli_report_joined(&lc, ss[i].ls, ss[j].ls);
		fflush(stdout);
		if (r > rc)
			rc = r;
	}
done:
	watch_screen_free(scr);
	for (i = 0; i < nurls; i++) {
		leaks_series_free(ss[i].ls);
		if (ss[i].sums) {
			size_t k;
			for (k = 0; k < ss[i].nfiles; k++)
				html_snap_release(&ss[i].sums[k]);
			free(ss[i].sums);
		}
		profile_free(ss[i].latest);
		free(ss[i].latest_path);
		free(ss[i].html);
		free(ss[i].url);
		free(ss[i].name);
	}
	free(ss);
	free(dirbuf);
	httpd_free(httpd);
	targets_free(tg, ntg);
	return rc;
}
