/* watch_screen: drip watch's view of each round.  See watch_screen.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "error.h"
#include "leaks.h"
#include "leaks_join.h"
#include "options.h"
#include "watch_screen.h"
#include "xalloc.h"

struct target {
	const char *url;          /* borrowed */
	size_t service;           /* equal: the same host:port */
	char *label;              /* short name: "heap", "svc:6060/heap" (owned) */
	struct leaks_series *ls;  /* borrowed */
	time_t last_ok;           /* 0: none yet */
	bool failed;              /* the last fetch failed */
	struct leaks_result prev; /* the previous round's analysis (pipe) */
	bool has_prev;
	size_t joined;            /* the previous round's joined findings (pipe) */
};

struct watch_screen {
	FILE *f;
	bool tty, color, ascii;
	const char *dir;
	long count;
	size_t n;
	struct target *t;
	time_t start;
	char *host; /* the host all URLs share, else NULL (owned) */
};

/* "http://h:p/debug/pprof/heap?gc=1" -> host "h:p", endpoint "heap". */
static void split_url(const char *url, char **host, char **endpoint)
{
	const char *p = strstr(url, "://"), *path, *q;
	size_t hl;

	p = p ? p + 3 : url;
	hl = strcspn(p, "/?");
	*host = xstrndup(p, hl);
	path = p + hl;
	if (!strncmp(path, "/debug/pprof/", 13))
		path += 13;
	else if (*path == '/')
		path++;
	q = path + strcspn(path, "?");
	*endpoint = q > path ? xstrndup(path, (size_t)(q - path)) : xstrdup("heap");
}

struct watch_screen *watch_screen_new(FILE *f, const char *dir, size_t n, char *const *urls, const size_t *service,
				      struct leaks_series *const *series, long count, const struct leaks_cli *lc)
{
	struct watch_screen *w = xcalloc(1, sizeof(*w));
	size_t i;
	bool same = true;

	w->f = f;
	w->tty = isatty(fileno(f));
	w->color = color_wanted(lc->color, f);
	w->ascii = lc->render.ascii;
	w->dir = dir;
	w->count = count;
	w->n = n;
	w->t = xcalloc(n ? n : 1, sizeof(*w->t));
	w->start = time(NULL);
	for (i = 0; i < n; i++) {
		char *h, *e;
		split_url(urls[i], &h, &e);
		w->t[i].url = urls[i];
		w->t[i].service = service[i];
		w->t[i].ls = series[i];
		w->t[i].label = e;
		if (!w->host)
			w->host = h;
		else {
			same = same && !strcmp(w->host, h);
			free(h);
		}
	}
	/* Several hosts: a label names its host too. */
	if (!same) {
		for (i = 0; i < n; i++) {
			char *h, *e;
			struct buf b = BUF_INIT;
			split_url(urls[i], &h, &e);
			buf_printf(&b, "%s/%s", h, e);
			free(h);
			free(e);
			free(w->t[i].label);
			w->t[i].label = buf_detach(&b, NULL);
		}
		free(w->host);
		w->host = NULL;
	}
	/* Two URLs with one label (the same endpoint, other queries): the
	 * label is the URL. */
	for (i = 0; i < n; i++) {
		size_t j;
		for (j = 0; j < n; j++)
			if (j != i && !strcmp(w->t[i].label, w->t[j].label))
				break;
		if (j < n) {
			free(w->t[i].label);
			w->t[i].label = xstrdup(urls[i]);
		}
	}
	if (w->tty)
		fputs("\033[H\033[2J", f);
	return w;
}

void watch_screen_free(struct watch_screen *w)
{
	size_t i;

	if (!w)
		return;
	for (i = 0; i < w->n; i++) {
		free(w->t[i].label);
		if (w->t[i].has_prev)
			leaks_result_release(&w->t[i].prev);
	}
	free(w->t);
	free(w->host);
	free(w);
}

void watch_screen_fetched(struct watch_screen *w, size_t i, bool ok)
{
	w->t[i].failed = !ok;
	if (ok)
		w->t[i].last_ok = time(NULL);
}

static void clock_str(time_t t, char *out, size_t n)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, n, "%H:%M:%S", &tm);
}

static void span_str(long long s, char *out, size_t n)
{
	if (s >= 3600)
		snprintf(out, n, "%lldh%02lldm", s / 3600, s / 60 % 60);
	else if (s >= 60)
		snprintf(out, n, "%lldm%02llds", s / 60, s % 60);
	else
		snprintf(out, n, "%llds", s);
}

/* Analyse target t's series into r; false when there is nothing to
 * show yet (one heap snapshot) or the analysis failed (then *why). */
static bool analyse(const struct target *t, struct leaks_result *r, const char **why)
{
	size_t len = leaks_series_len(t->ls);

	*why = NULL;
	if (len == 0)
		return false;
	if (len < 2 && !leaks_series_goroutine(t->ls))
		return false;
	if (leaks_analyze(t->ls, r) < 0) {
		*why = err_msg();
		return false;
	}
	return true;
}

/* The goroutine target joined to heap target i this round (the first
 * of its service with an analysis, as the final report takes it), or
 * SIZE_MAX: none, or i is no heap target with a verdict. */
static size_t partner(const struct watch_screen *w, const struct leaks_result *r, const bool *ok, size_t i)
{
	size_t j;

	if (!ok[i] || r[i].goroutine || r[i].n < 2)
		return SIZE_MAX;
	for (j = 0; j < w->n; j++)
		if (j != i && ok[j] && r[j].goroutine && w->t[j].service == w->t[i].service)
			return j;
	return SIZE_MAX;
}

/* The joined findings of each heap target with its partner, from the
 * round's analyses (the reduced series in memory: nothing is read
 * back): jt[i] and pj[i] (SIZE_MAX: none). */
static void join_all(const struct watch_screen *w, const struct leaks_result *r, const bool *ok, size_t *pj,
		     struct leaks_joint *jt)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		pj[i] = partner(w, r, ok, i);
		if (pj[i] != SIZE_MAX)
			leaks_join(&r[i], &r[pj[i]], &jt[i]);
	}
}

/* The findings shown per pair: on a terminal at most 2 (2 lines each,
 * then "+N more"), in a pipe the same. */
#define JOIN_SHOWN 2

static size_t join_lines(const struct leaks_joint *jt)
{
	return 1 + 2 * (jt->n < JOIN_SHOWN ? jt->n : JOIN_SHOWN) + (jt->n > JOIN_SHOWN);
}

static void status_line(struct watch_screen *w, int round, bool final, FILE *f)
{
	time_t now = time(NULL);
	char a[16], sp[32];
	size_t i;

	clock_str(w->start, a, sizeof(a));
	span_str((long long)(now - w->start), sp, sizeof(sp));
	if (final) {
		fprintf(f, "drip watch  ended after %d round%s,", round, round == 1 ? "" : "s");
	} else {
		fprintf(f, "drip watch  round %d", round);
		if (w->count > 0)
			fprintf(f, "/%ld", w->count);
		fputc(',', f);
	}
	fprintf(f, " %s since %s  %s  fetched", sp, a, w->dir);
	if (w->host)
		fprintf(f, " %s", w->host);
	for (i = 0; i < w->n; i++) {
		const struct target *t = &w->t[i];
		fprintf(f, "%s %s ", i ? "," : "", t->label);
		if (t->last_ok) {
			clock_str(t->last_ok, a, sizeof(a));
			fputs(a, f);
		}
		if (t->failed)
			fputs(t->last_ok ? " (last failed)" : "failed", f);
	}
	fputc('\n', f);
}

/* Write the text in buf to the terminal as a screen: at most rows
 * lines, each cut at cols display columns with ".." (escapes take none),
 * each line clearing what the last screen left after it, and the rest
 * of the screen cleared; no newline after the last line, so nothing
 * scrolls. */
static void draw(FILE *out, const char *text, size_t len, int rows, int cols)
{
	const char *p = text, *end = text + len;
	int row = 0;

	fputs("\033[H", out);
	while (p < end && row < rows) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *q;
		int col = 0, width = 0, keep;
		bool esc = false, colored = false;

		for (q = p; q < e; q++) { /* the line's display columns */
			unsigned char c = (unsigned char)*q;
			if (c == 0x1b)
				esc = true;
			if (esc) {
				esc = c != 'm';
				continue;
			}
			if ((c & 0xc0) != 0x80)
				width++;
		}
		/* too wide: cut, with ".." in the last two columns */
		keep = width > cols ? cols - 2 : cols;
		if (row)
			fputs("\n", out);
		for (; p < e; p++) {
			unsigned char c = (unsigned char)*p;
			if (c == 0x1b) {
				esc = true;
				colored = true;
			}
			if (esc) {
				fputc(c, out);
				if (c == 'm')
					esc = false;
				continue;
			}
			if ((c & 0xc0) != 0x80)
				col++;
			if (col <= keep)
				fputc(c, out);
		}
		if (width > cols && cols >= 2)
			fputs("..", out);
		if (colored)
			fputs("\033[0m", out);
		fputs("\033[K", out);
		p = nl ? nl + 1 : end;
		row++;
	}
	fputs("\033[J", out);
	fflush(out);
}

static void terminal_size(FILE *f, int *rows, int *cols)
{
	struct winsize ws;

	*rows = 24;
	*cols = 80;
	if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	}
}

/* Share a screen of `rows` rows out among n tables of list[i] rows each
 * (the first imp[i] of them proven leaks or suspects; the k-th taking
 * lines[i][k] lines, 2 with its owner's) into give[i]: the status line
 * and a heading per table take a row each, a table showing rows its
 * column header, and one not showing all its "+N more" line.  Rows go to
 * every table's proven leaks and suspects, one each in turn, before
 * anyone's noisy sites; as many as fit. */
static void share_rows(size_t n, const size_t *list, const size_t *imp, size_t *const *lines, long rows, size_t *give)
{
	size_t i, total = 0, k = 0, best = 0, tier;
	size_t *seq;
	long cost = 1 + (long)n;

	for (i = 0; i < n; i++) {
		total += list[i];
		give[i] = 0;
		if (list[i])
			cost++; /* "+N more" while nothing is shown */
	}
	seq = xcalloc(total ? total : 1, sizeof(*seq));
	/* the order in which rows are handed out */
	for (tier = 0; tier < 2; tier++) {
		bool more = true;
		while (more) {
			more = false;
			for (i = 0; i < n; i++) {
				size_t cap = tier == 0 ? imp[i] : list[i];
				if (give[i] < cap) {
					give[i]++;
					seq[k++] = i;
					more = true;
				}
			}
		}
	}
	/* the longest prefix of that order that fits */
	memset(give, 0, n * sizeof(*give));
	for (k = 0; k < total; k++) {
		i = seq[k];
		cost += (long)lines[i][give[i]] + (give[i] == 0) - (give[i] + 1 == list[i]);
		give[i]++;
		if (cost <= rows)
			best = k + 1;
		else
			break; /* the cost never falls: no longer prefix fits */
	}
	memset(give, 0, n * sizeof(*give));
	for (k = 0; k < best; k++)
		give[seq[k]]++;
	free(seq);
}

/* The joined findings of heap target i and its partner j: a heading
 * (pipe: no "== ", a colon), then the findings. */
static void write_joined(const struct watch_screen *w, const struct leaks_result *r, size_t i, size_t j,
			 const struct leaks_joint *jt, FILE *f)
{
	fprintf(f, w->tty ? "== joined %s + %s  " : "joined %s + %s: ", w->t[i].label, w->t[j].label);
	leaks_joint_write_summary(jt, f);
	fputc('\n', f);
	leaks_joint_write_brief(jt, &r[i], &r[j], JOIN_SHOWN, f);
}

/* The screen of round `round`; final: the last one, two rows kept for
 * the line after it and the prompt.  Returns the exit status the findings call for. */
static int screen(struct watch_screen *w, int round, bool final)
{
	size_t nn = w->n ? w->n : 1;
	struct leaks_result *r = xcalloc(nn, sizeof(*r));
	struct leaks_joint *jt = xcalloc(nn, sizeof(*jt));
	bool *ok = xcalloc(nn, sizeof(*ok));
	const char **why = xcalloc(nn, sizeof(*why));
	size_t *list = xcalloc(nn, sizeof(size_t));
	size_t *imp = xcalloc(nn, sizeof(size_t));
	size_t *give = xcalloc(nn, sizeof(size_t));
	size_t *pj = xcalloc(nn, sizeof(size_t));
	size_t **lines = xcalloc(nn, sizeof(*lines));
	size_t i;
	int rows, cols;
	long avail;
	char *text = NULL;
	size_t len = 0;
	int rc = EXIT_OK;
	FILE *m = open_memstream(&text, &len);

	if (!m) {
		fprintf(stderr, "drip: out of memory\n");
		exit(EXIT_TROUBLE);
	}
	terminal_size(w->f, &rows, &cols);
	if (final && rows > 3)
		rows -= 2; /* the line after it, and the shell's prompt */
	status_line(w, round, final, m);
	for (i = 0; i < w->n; i++) {
		ok[i] = analyse(&w->t[i], &r[i], &why[i]);
		if (why[i]) {
			why[i] = xstrdup(why[i]);
			rc = EXIT_TROUBLE;
		}
		if (ok[i]) {
			leaks_brief_listable(&r[i], &imp[i]);
			lines[i] = xcalloc(r[i].nsites ? r[i].nsites : 1, sizeof(size_t));
			list[i] = leaks_brief_lines(&r[i], lines[i]);
			if (r[i].nsuspects && rc == EXIT_OK)
				rc = EXIT_FINDING;
		}
	}
	/* the joined findings first: their rows are kept before the tables
	 * share the rest */
	join_all(w, r, ok, pj, jt);
	avail = rows;
	for (i = 0; i < w->n; i++)
		if (pj[i] != SIZE_MAX)
			avail -= (long)join_lines(&jt[i]);
	share_rows(w->n, list, imp, lines, avail, give);
	for (i = 0; i < w->n; i++) {
		struct leaks_brief_opts bo = { give[i], cols, (size_t)(cols >= 100 ? 24 : 12), w->ascii, w->color };
		const struct target *t = &w->t[i];

		fprintf(m, "== %s  ", t->label);
		if (ok[i]) {
			leaks_write_counts(&r[i], m);
			fputc('\n', m);
			leaks_write_brief(&r[i], &bo, m);
		} else if (why[i]) {
			fprintf(m, "no verdict: %s\n", why[i]);
		} else {
			size_t len1 = leaks_series_len(t->ls);
			fprintf(m, "%zu snapshot%s (a verdict from the second on)\n", len1, len1 == 1 ? "" : "s");
		}
		free((char *)why[i]);
	}
	for (i = 0; i < w->n; i++)
		if (pj[i] != SIZE_MAX) {
			write_joined(w, r, i, pj[i], &jt[i], m);
			leaks_joint_release(&jt[i]);
		}
	for (i = 0; i < w->n; i++) {
		if (ok[i])
			leaks_result_release(&r[i]);
		free(lines[i]);
	}
	fclose(m);
	/* drop the last newline: the screen ends on its last line */
	if (len && text[len - 1] == '\n')
		len--;
	draw(w->f, text, len, rows, cols);
	free(text);
	free(r);
	free(jt);
	free(ok);
	free(why);
	free(list);
	free(imp);
	free(give);
	free(pj);
	free(lines);
	return rc;
}

/* In a pipe: the round's line, then per URL its counts and what
 * changed since the round before, then the joined findings of a heap
 * and a goroutine URL of one service while there are any (and once
 * more when they are gone). */
static void block(struct watch_screen *w, int round)
{
	FILE *f = w->f;
	char a[16], sp[32];
	time_t now = time(NULL);
	size_t nn = w->n ? w->n : 1, i;
	struct leaks_result *r = xcalloc(nn, sizeof(*r));
	struct leaks_joint *jt = xcalloc(nn, sizeof(*jt));
	bool *ok = xcalloc(nn, sizeof(*ok)), joined = false;
	const char **why = xcalloc(nn, sizeof(*why));
	size_t *pj = xcalloc(nn, sizeof(size_t));

	for (i = 0; i < w->n; i++) {
		ok[i] = analyse(&w->t[i], &r[i], &why[i]);
		if (why[i])
			why[i] = xstrdup(why[i]);
	}
	join_all(w, r, ok, pj, jt);
	for (i = 0; i < w->n; i++)
		joined |= pj[i] != SIZE_MAX && jt[i].n;
	clock_str(now, a, sizeof(a));
	span_str((long long)(now - w->start), sp, sizeof(sp));
	fprintf(f, "== round %d", round);
	if (w->count > 0)
		fprintf(f, "/%ld", w->count);
	fprintf(f, " at %s (%s in)\n", a, sp);
	for (i = 0; i < w->n; i++) {
		struct target *t = &w->t[i];
		/* two URLs must stay under 25 lines a round, joined findings
		 * (up to 6 lines) included */
		struct leaks_brief_opts bo = { w->n <= 2 ? (joined ? 5 : 8) : 3, 0, 0, w->ascii, w->color };

		fprintf(f, "%s: ", t->label);
		if (t->failed)
			fputs("this round's snapshot failed; ", f);
		if (!ok[i]) {
			size_t n = leaks_series_len(t->ls);
			if (why[i])
				fprintf(f, "no verdict: %s\n", why[i]);
			else
				fprintf(f, "%zu snapshot%s (a verdict from the second on)\n", n, n == 1 ? "" : "s");
			continue;
		}
		leaks_write_counts(&r[i], f);
		fputc('\n', f);
		leaks_write_changes(t->has_prev ? &t->prev : NULL, &r[i], &bo, f);
	}
	for (i = 0; i < w->n; i++) {
		struct target *t = &w->t[i];
		size_t n = pj[i] != SIZE_MAX ? jt[i].n : 0;
		if (pj[i] != SIZE_MAX && (n || t->joined))
			write_joined(w, r, i, pj[i], &jt[i], f);
		t->joined = n;
		if (pj[i] != SIZE_MAX)
			leaks_joint_release(&jt[i]);
	}
	/* this round's analyses are the next one's "before" */
	for (i = 0; i < w->n; i++) {
		struct target *t = &w->t[i];
		free((char *)why[i]);
		if (!ok[i])
			continue;
		if (t->has_prev)
			leaks_result_release(&t->prev);
		t->prev = r[i];
		t->has_prev = true;
	}
	free(r);
	free(jt);
	free(ok);
	free(why);
	free(pj);
	fflush(f);
}

void watch_screen_round(struct watch_screen *w, int round)
{
	if (w->tty)
		screen(w, round, false);
	else
		block(w, round);
}

int watch_screen_final(struct watch_screen *w, int rounds)
{
	int rc;

	if (!w->tty)
		return -1;
	rc = screen(w, rounds, true);
	fprintf(w->f, "\nThe full report: drip leaks %s\n", w->dir);
	fflush(w->f);
	return rc;
}
