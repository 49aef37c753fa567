/* httpd: the small HTTP server of drip watch --listen: serves one
 * document (the metrics exposition) at /metrics, 404 elsewhere, from a
 * poll() loop that runs while watch waits between rounds.  HTTP/1.0 and
 * 1.1 requests, GET and HEAD, one request per connection (the response
 * says Connection: close); a connection that sends no complete request
 * head within HTTPD_IDLE_MS, or one larger than 8 KiB, is answered with
 * an error or dropped.  No threads, no allocation per byte: a scraper
 * can never make drip's memory grow. */
#ifndef DRIP_HTTPD_H
#define DRIP_HTTPD_H
#include <signal.h>
#include <stddef.h>

#define HTTPD_IDLE_MS 10000
#define HTTPD_MAX_CONNS 32

struct httpd;

/* httpd_open: listen on addr: "HOST:PORT", "[IPV6]:PORT", or ":PORT" /
 * "PORT" for the loopback address 127.0.0.1; PORT 0 takes a free port
 * (httpd_address says which).  Returns NULL with err_set(). */
struct httpd *httpd_open(const char *addr);

/* httpd_address: "127.0.0.1:9464", "[::1]:9464": where it listens
 * (borrowed). */
const char *httpd_address(const struct httpd *h);

/* httpd_set_body: what /metrics serves from now on (copied):
 * content_type for clients whose Accept header names accept_match (a
 * substring; NULL: for every client), else fallback_type. */
void httpd_set_body(struct httpd *h, const char *body, size_t len, const char *content_type,
		    const char *accept_match, const char *fallback_type);

/* httpd_serve: answer requests for ms milliseconds, or until *stop
 * becomes non-zero (a signal handler's flag; may be NULL). */
void httpd_serve(struct httpd *h, long long ms, volatile sig_atomic_t *stop);

/* httpd_free: close the listener and every connection; accepts NULL. */
void httpd_free(struct httpd *h);

#endif
