#include "fetch.h"

#include <ctype.h>
#include <curl/curl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "input.h"
#include "xalloc.h"

#define DEFAULT_TIMEOUT 30 /* seconds */

/* host:port or host:port/path, where host may be empty (":6060"). */
static int is_hostport(const char *s)
{
	const char *p = s;

	while (isalnum((unsigned char)*p) || *p == '.' || *p == '-' || *p == '_')
		p++;
	if (*p != ':' || !isdigit((unsigned char)p[1]))
		return 0;
	p++;
	while (isdigit((unsigned char)*p))
		p++;
	return *p == 0 || *p == '/';
}

int fetch_is_url(const char *arg)
{
	struct stat st;

	if (!strncmp(arg, "http://", 7) || !strncmp(arg, "https://", 8))
		return 1;
	/* An existing file always wins over a host:port reading. */
	return is_hostport(arg) && stat(arg, &st) != 0;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

char *fetch_expand_url(const char *arg, const struct source_opts *so)
{
	bool want_gc = !(so && so->no_gc);
	struct buf b = BUF_INIT;
	const char *q, *path;
	size_t pathlen;

	if (!strncmp(arg, "http://", 7) || !strncmp(arg, "https://", 8)) {
		buf_puts(&b, arg);
	} else {
		buf_puts(&b, "http://");
		if (arg[0] == ':')
			buf_puts(&b, "localhost");
		buf_puts(&b, arg);
		if (!strchr(arg, '/'))
			buf_puts(&b, "/debug/pprof/heap");
	}
	/* The path is what follows the authority, up to any query. */
	path = strstr(b.data, "://") + 3;
	path += strcspn(path, "/");
	q = strchr(path, '?');
	pathlen = q ? (size_t)(q - path) : strlen(path);
	if (ends_with(path, pathlen, "/heap") && want_gc && !(q && strstr(q, "gc=")))
		buf_puts(&b, q ? "&gc=1" : "?gc=1");
	else if (ends_with(path, pathlen, "/goroutine") && !(q && strstr(q, "debug=")))
		buf_puts(&b, q ? "&debug=2" : "?debug=2");
	return buf_detach(&b, NULL);
}

struct sink {
	CURL *c;
	struct buf *out;
	uint64_t max;                       /* the size cap */
	volatile sig_atomic_t *interrupt;  /* set: stop (may be NULL) */
	int too_big;
	int sized; /* the body's length was looked at */
};

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
	struct sink *s = ud;
	size_t len = size * n;

	if (!s->sized) {
		/* A body of known length gets one exact buffer (refused at
		 * once past the cap); one without (chunked) grows by doubling,
		 * which costs no copy (realloc moves big blocks with mremap)
		 * and stops at the cap. */
		curl_off_t cl = -1;

		s->sized = 1;
		if (curl_easy_getinfo(s->c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl) == CURLE_OK && cl > 0) {
			if ((uint64_t)cl > s->max) {
				s->too_big = 1;
				return 0;
			}
			buf_reserve(s->out, (size_t)cl);
		}
	}
	if (s->out->len + len > s->max) {
		s->too_big = 1;
		return 0; /* makes libcurl stop with a write error */
	}
	buf_add(s->out, p, len);
	return len;
}

/* libcurl calls this at least once a second, even on a silent
 * connection: a Ctrl-C caught by the CLI (source_opts.interrupt) ends the
 * transfer within that second. */
static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
	const struct sink *s = ud;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return s->interrupt && *s->interrupt;
}

static int global_init_done;

static void cleanup_curl(void)
{
	curl_global_cleanup();
}

int fetch_url(const char *url, const struct source_opts *so, struct buf *out)
{
	CURL *c;
	CURLcode rc;
	struct sink s = { NULL, out, source_max_size(so), so ? so->interrupt : NULL, 0, 0 };
	long timeout_secs = so && so->timeout_secs > 0 ? so->timeout_secs : DEFAULT_TIMEOUT;
	char errbuf[CURL_ERROR_SIZE] = "";
	long status = 0;
	char *ctype = NULL, *location = NULL;
	int r = 0;
	const char *body;

	if (!global_init_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
			return err_set("cannot initialise libcurl");
		atexit(cleanup_curl);
		global_init_done = 1;
	}
	if (s.interrupt && *s.interrupt)
		return err_set("interrupted");
	c = curl_easy_init();
	if (!c)
		return err_set("cannot initialise libcurl");
	s.c = c;
	buf_reset(out);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout_secs);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout_secs);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(c, CURLOPT_XFERINFODATA, &s);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "drip");
	/* Take gzip as it is served: profiles are usually gzipped already. */
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	rc = curl_easy_perform(c);
	if (rc != CURLE_OK) {
		if (rc == CURLE_ABORTED_BY_CALLBACK)
			r = err_set("interrupted");
		else if (s.too_big)
			r = err_set("download is larger than the size limit of %llu bytes (see --max-size)",
				    (unsigned long long)s.max);
		else if (rc == CURLE_OPERATION_TIMEDOUT)
			r = err_set("timed out after %ld seconds (see --timeout)", timeout_secs);
		else
			r = err_set("%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ctype);
	curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &location);
	if (status >= 300 && status < 400) {
		r = err_set("HTTP %ld: redirected to %s (drip does not follow redirects; use that URL)", status,
			    location ? location : "another location");
		goto out;
	}
	if (status != 200) {
		r = err_set("HTTP %ld from the server", status);
		goto out;
	}
	body = out->data ? out->data : "";
	body += strspn(body, " \t\r\n");
	if ((ctype && strstr(ctype, "text/html")) || body[0] == '<') {
		r = err_set("the server sent an HTML page, not a profile (is this a /debug/pprof/ profile URL?)");
		goto out;
	}
out:
	curl_easy_cleanup(c);
	return r;
}
