/* httpd: see httpd.h. */
#include "httpd.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "xalloc.h"

#define HEAD_MAX 8192

struct conn {
	int fd;               /* -1: a free slot */
	long long since;      /* accepted, CLOCK_MONOTONIC ms */
	char in[HEAD_MAX];
	size_t inlen;
	char *out;            /* the response (owned), once the head is read */
	size_t outlen, outoff;
};

struct httpd {
	int fd;
	char addr[80];
	char *body;           /* owned */
	size_t len;
	char *ctype, *accept, *fallback; /* owned */
	struct conn conns[HTTPD_MAX_CONNS];
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

struct httpd *httpd_open(const char *addr)
{
	struct addrinfo hints, *ai = NULL, *a;
	char host[256];
	const char *port, *colon = strrchr(addr, ':');
	struct httpd *h;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char hb[NI_MAXHOST], pb[NI_MAXSERV];
	int fd = -1, e, one = 1, i;

	/* HOST:PORT, [V6]:PORT, :PORT, PORT */
	if (!colon) {
		snprintf(host, sizeof(host), "127.0.0.1");
		port = addr;
	} else {
		size_t n = (size_t)(colon - addr);
		const char *hs = addr;
		if (n >= 2 && addr[0] == '[' && addr[n - 1] == ']') {
			hs++;
			n -= 2;
		} else if (memchr(addr, ':', n)) {
			err_set("invalid listen address '%s' (want HOST:PORT, [IPV6]:PORT or :PORT)", addr);
			return NULL;
		}
		if (n >= sizeof(host)) {
			err_set("invalid listen address '%s'", addr);
			return NULL;
		}
		if (n == 0)
			snprintf(host, sizeof(host), "127.0.0.1");
		else {
			memcpy(host, hs, n);
			host[n] = 0;
		}
		port = colon + 1;
	}
	if (!*port || strspn(port, "0123456789") != strlen(port) || atol(port) > 65535) {
		err_set("invalid listen address '%s' (want HOST:PORT, [IPV6]:PORT or :PORT)", addr);
		return NULL;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	e = getaddrinfo(host, port, &hints, &ai);
	if (e != 0) {
		err_set("cannot listen on '%s': %s", addr, gai_strerror(e));
		return NULL;
	}
	errno = 0;
	for (a = ai; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, 16) == 0 && set_nonblock(fd) == 0)
			break;
		e = errno;
		close(fd);
		fd = -1;
		errno = e;
	}
	freeaddrinfo(ai);
	if (fd < 0) {
		err_set("cannot listen on '%s': %s", addr, strerror(errno ? errno : EADDRNOTAVAIL));
		return NULL;
	}
	h = xcalloc(1, sizeof(*h));
	h->fd = fd;
	for (i = 0; i < HTTPD_MAX_CONNS; i++)
		h->conns[i].fd = -1;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0 &&
	    getnameinfo((struct sockaddr *)&ss, sl, hb, sizeof(hb), pb, sizeof(pb), NI_NUMERICHOST | NI_NUMERICSERV) == 0)
		snprintf(h->addr, sizeof(h->addr), ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s", hb, pb);
	else
		snprintf(h->addr, sizeof(h->addr), "%s", addr);
	httpd_set_body(h, "# EOF\n", 6, "text/plain; charset=utf-8", NULL, NULL);
	return h;
}

const char *httpd_address(const struct httpd *h)
{
	return h->addr;
}

void httpd_set_body(struct httpd *h, const char *body, size_t len, const char *content_type,
		    const char *accept_match, const char *fallback_type)
{
	free(h->body);
	free(h->ctype);
	free(h->accept);
	free(h->fallback);
	h->body = xmalloc(len ? len : 1);
	memcpy(h->body, body, len);
	h->len = len;
	h->ctype = xstrdup(content_type);
	h->accept = accept_match ? xstrdup(accept_match) : NULL;
	h->fallback = fallback_type ? xstrdup(fallback_type) : NULL;
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->out);
	c->fd = -1;
	c->out = NULL;
	c->inlen = c->outlen = c->outoff = 0;
}

static void respond(struct httpd *h, struct conn *c, int status, const char *reason, const char *ctype,
		    const char *body, size_t len, bool head_only, const char *extra)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n%s\r\n",
		   status, reason, ctype, len, extra ? extra : "");
	if (!head_only)
		buf_add(&b, body, len);
	(void)h;
	c->out = buf_detach(&b, &c->outlen);
	c->outoff = 0;
}

/* The value of header name in the request head (NUL-terminated), or NULL;
 * copied into out. */
static const char *header(const char *head, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);
	const char *p = strchr(head, '\n');

	while (p && p[1]) {
		const char *line = p + 1, *end = strchr(line, '\n');
		size_t ll = end ? (size_t)(end - line) : strlen(line);
		if (ll > nl && !strncasecmp(line, name, nl) && line[nl] == ':') {
			const char *v = line + nl + 1;
			size_t vl = ll - nl - 1;
			while (vl && (*v == ' ' || *v == '\t'))
				v++, vl--;
			while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
				vl--;
			if (vl >= n)
				vl = n - 1;
			memcpy(out, v, vl);
			out[vl] = 0;
			return out;
		}
		p = end;
	}
	return NULL;
}

/* The request head is complete in c->in: prepare the response. */
static void handle(struct httpd *h, struct conn *c)
{
	char method[16], target[2048], version[16], accept[1024];
	bool head;
	char *q;

	c->in[c->inlen] = 0;
	if (sscanf(c->in, "%15s %2047s %15s", method, target, version) != 3 || strncmp(version, "HTTP/1.", 7) != 0) {
		respond(h, c, 400, "Bad Request", "text/plain; charset=utf-8", "bad request\n", 12, false, NULL);
		return;
	}
	head = !strcmp(method, "HEAD");
	if (strcmp(method, "GET") != 0 && !head) {
		respond(h, c, 405, "Method Not Allowed", "text/plain; charset=utf-8", "method not allowed\n", 19, false,
			"Allow: GET, HEAD\r\n");
		return;
	}
	if ((q = strchr(target, '?')))
		*q = 0;
	if (strcmp(target, "/metrics") != 0) {
		respond(h, c, 404, "Not Found", "text/plain; charset=utf-8", "404 page not found\n", 19, head, NULL);
		return;
	}
	if (h->accept && !(header(c->in, "Accept", accept, sizeof(accept)) && strstr(accept, h->accept)))
		respond(h, c, 200, "OK", h->fallback ? h->fallback : h->ctype, h->body, h->len, head, NULL);
	else
		respond(h, c, 200, "OK", h->ctype, h->body, h->len, head, NULL);
}

static void conn_read(struct httpd *h, struct conn *c)
{
	ssize_t n = recv(c->fd, c->in + c->inlen, HEAD_MAX - 1 - c->inlen, 0);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->inlen += (size_t)n;
	c->in[c->inlen] = 0;
	if (strstr(c->in, "\r\n\r\n") || strstr(c->in, "\n\n"))
		handle(h, c);
	else if (c->inlen >= HEAD_MAX - 1)
		respond(h, c, 431, "Request Header Fields Too Large", "text/plain; charset=utf-8", "request too large\n",
			18, false, NULL);
}

static void conn_write(struct conn *c)
{
	ssize_t n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return;
	if (n < 0) {
		conn_close(c);
		return;
	}
	c->outoff += (size_t)n;
	if (c->outoff == c->outlen) {
		shutdown(c->fd, SHUT_WR);
		conn_close(c);
	}
}

static void accept_all(struct httpd *h, long long now)
{
	for (;;) {
		int fd = accept(h->fd, NULL, NULL), i;

		if (fd < 0)
			return; /* EAGAIN, or an aborted connection */
		for (i = 0; i < HTTPD_MAX_CONNS && h->conns[i].fd >= 0; i++)
			;
		if (i == HTTPD_MAX_CONNS || set_nonblock(fd) < 0) {
			close(fd); /* too many at once */
			continue;
		}
		h->conns[i].fd = fd;
		h->conns[i].since = now;
		h->conns[i].inlen = 0;
	}
}

void httpd_serve(struct httpd *h, long long ms, volatile sig_atomic_t *stop)
{
	long long end = now_ms() + ms;
	struct pollfd pf[HTTPD_MAX_CONNS + 1];
	int map[HTTPD_MAX_CONNS + 1];

	while (!(stop && *stop)) {
		long long now = now_ms(), left = end - now;
		int n = 0, i, r;

		if (left <= 0)
			break;
		pf[n].fd = h->fd;
		pf[n].events = POLLIN;
		map[n++] = -1;
		for (i = 0; i < HTTPD_MAX_CONNS; i++) {
			struct conn *c = &h->conns[i];
			if (c->fd < 0)
				continue;
			if (now - c->since > HTTPD_IDLE_MS) {
				conn_close(c); /* too slow: a scrape takes milliseconds */
				continue;
			}
			pf[n].fd = c->fd;
			pf[n].events = c->out ? POLLOUT : POLLIN;
			map[n++] = i;
		}
		/* short slices: the stop flag is read at least every 100 ms */
		r = poll(pf, (nfds_t)n, (int)(left < 100 ? left : 100));
		if (r <= 0)
			continue; /* timeout, or EINTR from the signal that sets *stop */
		now = now_ms();
		for (i = 0; i < n; i++) {
			struct conn *c;
			if (!pf[i].revents)
				continue;
			if (map[i] < 0) {
				accept_all(h, now);
				continue;
			}
			c = &h->conns[map[i]];
			if (c->out && (pf[i].revents & (POLLOUT | POLLERR | POLLHUP)))
				conn_write(c);
			else if (!c->out && (pf[i].revents & (POLLIN | POLLERR | POLLHUP)))
				conn_read(h, c);
			if (c->fd >= 0 && c->out && c->outoff == 0)
				conn_write(c); /* answer at once, usually all of it */
		}
	}
}

void httpd_free(struct httpd *h)
{
	int i;

	if (!h)
		return;
	for (i = 0; i < HTTPD_MAX_CONNS; i++)
		conn_close(&h->conns[i]);
	close(h->fd);
	free(h->body);
	free(h->ctype);
	free(h->accept);
	free(h->fallback);
	free(h);
}
