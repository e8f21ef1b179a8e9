/* SPDX-License-Identifier: BSD-3-Clause */
/* Non-blocking TLS client sessions for SSL_GET. See tls.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "health/tls.h"

static SSL_CTX *ctx;	/* one for every check, made on first use */

struct ssl_st *
lb_health_tls_new(int fd, const char *sni)
{
	SSL *ssl;

	if (ctx == NULL) {
		ctx = SSL_CTX_new(TLS_client_method());
		if (ctx == NULL)
			return NULL;
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	}
	ssl = SSL_new(ctx);
	if (ssl == NULL)
		return NULL;
	if (SSL_set_fd(ssl, fd) != 1 ||
	    (sni != NULL && SSL_set_tlsext_host_name(ssl, sni) != 1)) {
		SSL_free(ssl);
		return NULL;
	}
	SSL_set_connect_state(ssl);
	return ssl;
}

/*
 * What the last call on ssl returning rc means: -EAGAIN (with *want_write),
 * 0 for a closed connection, or -EPROTO with reason filled.
 */
static int
outcome(SSL *ssl, int rc, bool *want_write, char *reason, size_t rlen, const char *what)
{
	int err = SSL_get_error(ssl, rc);
	unsigned long e;

	switch (err) {
	case SSL_ERROR_WANT_READ:
		*want_write = false;
		return -EAGAIN;
	case SSL_ERROR_WANT_WRITE:
		*want_write = true;
		return -EAGAIN;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		if (ERR_peek_error() == 0 && (errno == 0 || rc == 0))
			return 0;	/* closed without close_notify: EOF */
		snprintf(reason, rlen, "%s: %s", what, strerror(errno));
		ERR_clear_error();
		return -EPROTO;
	default:
		e = ERR_get_error();
		snprintf(reason, rlen, "%s: %s", what,
			 e != 0 ? ERR_reason_error_string(e) : "TLS error");
		ERR_clear_error();
		return -EPROTO;
	}
}

int
lb_health_tls_handshake(struct ssl_st *ssl, bool *want_write, char *reason, size_t rlen)
{
	int rc;

	ERR_clear_error();
	errno = 0;
	rc = SSL_do_handshake(ssl);
	if (rc == 1)
		return 1;
	rc = outcome(ssl, rc, want_write, reason, rlen, "TLS handshake");
	if (rc == 0) {
		snprintf(reason, rlen, "TLS handshake: connection closed");
		return -1;
	}
	return rc == -EAGAIN ? 0 : -1;
}

ssize_t
lb_health_tls_xfer(struct ssl_st *ssl, bool sending, void *buf, size_t len, bool *want_write,
		   char *reason, size_t rlen)
{
	int rc;

	ERR_clear_error();
	errno = 0;
	rc = sending ? SSL_write(ssl, buf, (int)len) : SSL_read(ssl, buf, (int)len);
	if (rc > 0)
		return rc;
	rc = outcome(ssl, rc, want_write, reason, rlen, sending ? "TLS write" : "TLS read");
	if (rc == 0 && sending) {
		snprintf(reason, rlen, "TLS write: connection closed");
		return -EPROTO;
	}
	return rc;
}

void
lb_health_tls_free(struct ssl_st *ssl)
{
	SSL_free(ssl);
}
