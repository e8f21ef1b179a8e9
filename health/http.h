/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_HEALTH_HTTP_H
#define LB_HEALTH_HTTP_H

/*
 * HTTP_GET / SSL_GET response checking with keepalived's semantics
 * (keepalived/check/check_http.c, lib/html.c):
 *  - the head ends at the first "\r\n\r\n" and must fit in 4095 bytes
 *    (keepalived's MAX_BUFFER_LENGTH - 1); bare "\n\n" is not an end;
 *  - the digest is the MD5 of the raw bytes after the head, cut at
 *    Content-Length when one is given, and NOT de-chunked (a chunked body is
 *    hashed with its chunk framing, as keepalived and genhash do);
 *  - status codes are a set over 100-599, default 200-299.
 * Stricter than keepalived (a parse error is a failed check with a reason):
 * a bad status line, a header line without ':', conflicting Content-Length,
 * a body cut short of Content-Length or of the last chunk, a body over
 * body_max, bad chunk framing.
 *
 * Pure code over buffers: no I/O, no clock. Control lcore only (a parser is
 * owned by one probe); not thread-safe.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LB_HEALTH_HTTP_HEAD_MAX		4095
#define LB_HEALTH_HTTP_BODY_MAX		(1u << 20)	/* default body_max */
#define LB_HEALTH_HTTP_STATUS_MIN	100
#define LB_HEALTH_HTTP_STATUS_MAX	599
#define LB_HEALTH_HTTP_REQ_MAX		2048	/* keepalived GET_BUFFER_LENGTH */

/* keepalived http_protocol: 1.0 (default), 1.0C (Connection: close), 1.1. */
enum lb_health_http_proto {
	LB_HEALTH_HTTP_1_0,
	LB_HEALTH_HTTP_1_0C,
	LB_HEALTH_HTTP_1_1,
};

/* Accepted status codes: one bit per code in [100, 599]. */
struct lb_health_http_codes {
	uint64_t bits[(LB_HEALTH_HTTP_STATUS_MAX - LB_HEALTH_HTTP_STATUS_MIN + 64) / 64];
};

/* What feed/eof return. */
#define LB_HEALTH_HTTP_MORE	0	/* need more bytes */
#define LB_HEALTH_HTTP_DONE	1	/* complete response; see status/md5_hex */

struct evp_md_ctx_st;

struct lb_health_http_resp {
	int state;			/* private */
	int err;			/* private: 0 or the failure's errno */
	int status;			/* status code, once the head is parsed */
	int minor;			/* HTTP/1.<minor> */
	bool has_clen, chunked;
	uint64_t clen;			/* Content-Length */
	uint64_t body_max;		/* limit on raw body bytes */
	uint64_t body_raw;		/* raw bytes after the head */
	uint64_t body_len;		/* decoded body bytes */
	uint64_t chunk_left;		/* private: chunk data still to come */
	size_t head_len;
	size_t line_len;		/* private: chunk size / trailer line */
	char line[80];			/* private */
	char head[LB_HEALTH_HTTP_HEAD_MAX + 1];
	struct evp_md_ctx_st *md;	/* NULL when no digest wanted */
	char md5_hex[33];		/* lowercase hex, valid after DONE */
	char reason[96];		/* why the response failed */
};

/*
 * Prepare r for a new response. want_digest allocates an MD5 context
 * (freed by lb_health_http_free); body_max 0 means LB_HEALTH_HTTP_BODY_MAX.
 * Returns 0 or -ENOMEM. r may be reused after lb_health_http_free.
 */
int lb_health_http_init(struct lb_health_http_resp *r, bool want_digest, uint64_t body_max);
void lb_health_http_free(struct lb_health_http_resp *r);

/*
 * Feed len bytes as received (any split). Returns LB_HEALTH_HTTP_MORE,
 * LB_HEALTH_HTTP_DONE (a Content-Length or chunked body is complete; bytes
 * after it are ignored, as keepalived ignores them), or a negative errno with
 * r->reason set: -EBADMSG garbage, -EMSGSIZE over a size limit. Once DONE or
 * failed, further calls return the same result.
 */
int lb_health_http_feed(struct lb_health_http_resp *r, const void *data, size_t len);

/*
 * The peer closed the connection. Returns LB_HEALTH_HTTP_DONE when the
 * response is complete (a body without length ends here), else -EPIPE with
 * r->reason ("no data received", "closed in headers", "truncated body").
 */
int lb_health_http_eof(struct lb_health_http_resp *r);

/* Compare r's digest to a 32-hex-digit one (any case). After DONE. */
bool lb_health_http_digest_match(const struct lb_health_http_resp *r, const char *hex);

/* keepalived's default set: 200-299. */
void lb_health_http_codes_default(struct lb_health_http_codes *c);

/*
 * Parse keepalived `status_code` values: space separated codes and ranges
 * ("200 301-302"), each in [100, 599]; adds them to c. Returns 0, or
 * -EINVAL for a bad item (c then holds the good ones before it).
 */
int lb_health_http_codes_parse(struct lb_health_http_codes *c, const char *spec);

bool lb_health_http_codes_match(const struct lb_health_http_codes *c, int status);

/*
 * Build keepalived's request:
 *   GET <path> HTTP/1.<0|1>\r\nUser-Agent: KeepAliveClient\r\n
 *   [Connection: close\r\n]Host: <vhost | addr:port | [addr6]:port>\r\n\r\n
 * Connection: close for 1.0C and 1.1. host is the virtualhost, or NULL to
 * use addr (text form) and port. Returns the length, or -ENOSPC / -EINVAL.
 */
int lb_health_http_request(char *buf, size_t size, enum lb_health_http_proto proto,
			   const char *path, const char *vhost, const char *addr,
			   bool addr_is_v6, uint16_t port);

#endif
