/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_HEALTH_TLS_H
#define LB_HEALTH_TLS_H

/*
 * TLS for SSL_GET over a connected non-blocking socket (OpenSSL libssl).
 * As keepalived's SSL_GET without an `ssl { ca ... }` block: the server's
 * certificate is not verified (the check is about the service answering);
 * SNI is sent when a name is given. Every call returns at once: when
 * OpenSSL needs the socket readable or writable first, the call returns
 * "again" and *want_write says which to wait for. Control lcore only.
 */
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct ssl_st;

/* A TLS client session on fd with SNI sni (NULL: none). NULL on failure. */
struct ssl_st *lb_health_tls_new(int fd, const char *sni);

/*
 * Advance the handshake. 1 done, 0 again (see *want_write), -1 failed with
 * reason filled.
 */
int lb_health_tls_handshake(struct ssl_st *ssl, bool *want_write, char *reason, size_t rlen);

/*
 * Write (sending) or read len bytes at most. Returns the bytes moved (> 0),
 * 0 when the peer closed (read only), -EAGAIN (see *want_write), or
 * -EPROTO with reason filled.
 */
ssize_t lb_health_tls_xfer(struct ssl_st *ssl, bool sending, void *buf, size_t len,
			   bool *want_write, char *reason, size_t rlen);

/* Free the session (the socket stays the caller's). */
void lb_health_tls_free(struct ssl_st *ssl);

#endif
