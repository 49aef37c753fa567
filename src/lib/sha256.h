/* sha256: SHA-256 (FIPS 180-4), for the Content-Security-Policy hashes
 * of the HTML report's inline script and style.  No I/O. */
#ifndef DRIP_SHA256_H
#define DRIP_SHA256_H
#include <stddef.h>
#include <stdint.h>

/* sha256: the digest of data[0..n) into out. */
void sha256(const void *data, size_t n, uint8_t out[32]);

/* sha256_base64: the digest as base64 (44 characters and a NUL), the
 * form a CSP 'sha256-...' source wants. */
void sha256_base64(const void *data, size_t n, char out[45]);

#endif
