/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Incremental HTTP/1.x response parser and MD5 body digest for HTTP_GET
 * checks, and keepalived's request builder. See http.h for the rules.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "health/http.h"

enum {
	ST_HEAD, ST_BODY_CLEN, ST_BODY_EOF, ST_CHUNK_SIZE, ST_CHUNK_DATA,
	ST_CHUNK_CRLF, ST_TRAILER, ST_DONE, ST_FAIL,
};

static inline uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static int
fail(struct lb_health_http_resp *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	r->state = ST_FAIL;
	r->err = err;
	return -err;
}

int
lb_health_http_init(struct lb_health_http_resp *r, bool want_digest, uint64_t body_max)
{
	memset(r, 0, offsetof(struct lb_health_http_resp, head));
	r->head[0] = '\0';
	r->md5_hex[0] = '\0';
	r->reason[0] = '\0';
	r->md = NULL;
	r->body_max = body_max ? body_max : LB_HEALTH_HTTP_BODY_MAX;
	if (!want_digest)
		return 0;
	r->md = EVP_MD_CTX_new();
	if (r->md == NULL)
		return -ENOMEM;
	if (EVP_DigestInit_ex(r->md, EVP_md5(), NULL) != 1) {
		lb_health_http_free(r);
		return -ENOTSUP;
	}
	return 0;
}

void
lb_health_http_free(struct lb_health_http_resp *r)
{
	EVP_MD_CTX_free(r->md);
	r->md = NULL;
}

/* Raw body bytes: count them and hash them, cut at Content-Length. */
static int
consume(struct lb_health_http_resp *r, const char *p, size_t n)
{
	uint64_t take = n;

	if (r->md != NULL && n > 0) {
		if (r->has_clen)
			take = r->clen > r->body_raw ? min_u64(r->clen - r->body_raw, n) : 0;
		if (take > 0 && EVP_DigestUpdate(r->md, p, take) != 1)
			return fail(r, EIO, "MD5 update failed");
	}
	r->body_raw += n;
	if (r->body_raw > r->body_max)
		return fail(r, EMSGSIZE, "body over %llu bytes",
			    (unsigned long long)r->body_max);
	return 0;
}

static int
finish(struct lb_health_http_resp *r)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	if (r->md != NULL) {
		if (EVP_DigestFinal_ex(r->md, d, &len) != 1 || len != 16)
			return fail(r, EIO, "MD5 final failed");
		for (i = 0; i < 16; i++)
			snprintf(r->md5_hex + 2 * i, 3, "%02x", d[i]);
	}
	r->state = ST_DONE;
	return LB_HEALTH_HTTP_DONE;
}

/* Parse a decimal Content-Length value; -1 when not a plain number. */
static int
parse_clen(const char *v, size_t n, uint64_t *out)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0 || n > 18)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)v[i]))
			return -1;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	*out = x;
	return 0;
}

/* One header line [p, p+n) without CRLF. */
static int
parse_header(struct lb_health_http_resp *r, const char *p, size_t n)
{
	const char *colon = memchr(p, ':', n);
	const char *v;
	size_t vn, name_n;
	uint64_t clen;

	if (n > 0 && (p[0] == ' ' || p[0] == '\t'))
		return 0;			/* obsolete folding: ignore */
	if (colon == NULL || colon == p)
		return fail(r, EBADMSG, "malformed header line");
	name_n = (size_t)(colon - p);
	if (memchr(p, ' ', name_n) || memchr(p, '\t', name_n))
		return fail(r, EBADMSG, "malformed header name");
	v = colon + 1;
	vn = n - name_n - 1;
	while (vn > 0 && (*v == ' ' || *v == '\t'))
		v++, vn--;
	while (vn > 0 && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
		vn--;
	if (name_n == 14 && strncasecmp(p, "Content-Length", 14) == 0) {
		if (parse_clen(v, vn, &clen) < 0)
			return fail(r, EBADMSG, "bad Content-Length");
		if (r->has_clen && clen != r->clen)
			return fail(r, EBADMSG, "conflicting Content-Length");
		r->has_clen = true;
		r->clen = clen;
	} else if (name_n == 17 && strncasecmp(p, "Transfer-Encoding", 17) == 0) {
		/* chunked when it is the last coding */
		r->chunked = vn >= 7 && strncasecmp(v + vn - 7, "chunked", 7) == 0 &&
			     (vn == 7 || v[vn - 8] == ',' || v[vn - 8] == ' ');
	}
	return 0;
}

/* The head [0, head_len) ends with CRLFCRLF: status line, then headers. */
static int
parse_head(struct lb_health_http_resp *r)
{
	const char *p = r->head, *end = r->head + r->head_len - 2, *eol;
	int rc;

	eol = strstr(p, "\r\n");
	if (eol - p < 12 || memcmp(p, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)p[7]) ||
	    p[8] != ' ' || !isdigit((unsigned char)p[9]) || !isdigit((unsigned char)p[10]) ||
	    !isdigit((unsigned char)p[11]) || (eol - p > 12 && p[12] != ' '))
		return fail(r, EBADMSG, "bad status line");
	r->minor = p[7] - '0';
	r->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	if (r->status < LB_HEALTH_HTTP_STATUS_MIN || r->status > LB_HEALTH_HTTP_STATUS_MAX)
		return fail(r, EBADMSG, "bad status code %d", r->status);
	for (p = eol + 2; p < end; p = eol + 2) {
		eol = strstr(p, "\r\n");
		rc = parse_header(r, p, (size_t)(eol - p));
		if (rc < 0)
			return rc;
	}
	if (r->chunked && r->has_clen)
		return fail(r, EBADMSG, "both Content-Length and chunked");
	if (r->status == 204 || r->status == 304 || (r->has_clen && r->clen == 0))
		return finish(r);
	r->state = r->chunked ? ST_CHUNK_SIZE : r->has_clen ? ST_BODY_CLEN : ST_BODY_EOF;
	return LB_HEALTH_HTTP_MORE;
}

/* Accumulate a chunk-size/CRLF/trailer line; 1 when a line is complete. */
static int
take_line(struct lb_health_http_resp *r, char c)
{
	if (c == '\n') {
		if (r->line_len > 0 && r->line[r->line_len - 1] == '\r')
			r->line_len--;
		r->line[r->line_len] = '\0';
		return 1;
	}
	if (r->line_len + 1 >= sizeof(r->line))
		return fail(r, EBADMSG, "chunk line too long");
	r->line[r->line_len++] = c;
	return 0;
}

static int
chunk_line(struct lb_health_http_resp *r)
{
	char *endp;
	unsigned long long size;

	r->line_len = 0;
	if (r->state == ST_CHUNK_CRLF) {
		if (r->line[0] != '\0')
			return fail(r, EBADMSG, "bad chunk terminator");
		r->state = ST_CHUNK_SIZE;
		return 0;
	}
	if (r->state == ST_TRAILER)
		return r->line[0] == '\0' ? finish(r) : 0;
	if (!isxdigit((unsigned char)r->line[0]) || strlen(r->line) > 64)
		return fail(r, EBADMSG, "bad chunk size");
	errno = 0;
	size = strtoull(r->line, &endp, 16);
	if (errno != 0 || (*endp != '\0' && *endp != ';' && *endp != ' ' && *endp != '\t'))
		return fail(r, EBADMSG, "bad chunk size");
	if (size > r->body_max || r->body_len + size > r->body_max)
		return fail(r, EMSGSIZE, "body over %llu bytes",
			    (unsigned long long)r->body_max);
	r->chunk_left = size;
	r->state = size == 0 ? ST_TRAILER : ST_CHUNK_DATA;
	return 0;
}

/* Body bytes in the current state; returns <0, MORE or DONE. */
static int
feed_body(struct lb_health_http_resp *r, const char *p, size_t n)
{
	size_t take;
	int rc;

	while (n > 0 && r->state != ST_DONE && r->state != ST_FAIL) {
		switch (r->state) {
		case ST_BODY_EOF:
			take = n;
			break;
		case ST_BODY_CLEN:
			take = min_u64(n, r->clen - r->body_len);
			break;
		case ST_CHUNK_DATA:
			take = min_u64(n, r->chunk_left);
			r->chunk_left -= take;
			break;
		default:	/* line states: one byte at a time */
			take = 1;
			break;
		}
		rc = consume(r, p, take);
		if (rc < 0)
			return rc;
		if (r->state == ST_BODY_EOF || r->state == ST_BODY_CLEN ||
		    r->state == ST_CHUNK_DATA) {
			r->body_len += take;
			if (r->state == ST_BODY_CLEN && r->body_len == r->clen)
				return finish(r);
			if (r->state == ST_CHUNK_DATA && r->chunk_left == 0)
				r->state = ST_CHUNK_CRLF;
		} else {
			rc = take_line(r, *p);
			if (rc == 1)
				rc = chunk_line(r);
			if (rc < 0 || rc == LB_HEALTH_HTTP_DONE)
				return rc;
		}
		p += take;
		n -= take;
	}
	return r->state == ST_DONE ? LB_HEALTH_HTTP_DONE :
	       r->state == ST_FAIL ? -r->err : LB_HEALTH_HTTP_MORE;
}

/* First "\r\n\r\n" in buf[from, len), NUL bytes included, or NULL. */
static const char *
find_head_end(const char *buf, size_t from, size_t len)
{
	size_t i;

	for (i = from; i + 4 <= len; i++)
		if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n')
			return buf + i;
	return NULL;
}

int
lb_health_http_feed(struct lb_health_http_resp *r, const void *data, size_t len)
{
	const char *p = data, *end;
	size_t old = r->head_len, room, scan, hlen;
	int rc;

	if (r->state == ST_DONE)
		return LB_HEALTH_HTTP_DONE;
	if (r->state == ST_FAIL)
		return -r->err;
	if (r->state != ST_HEAD)
		return feed_body(r, p, len);
	room = LB_HEALTH_HTTP_HEAD_MAX - old;
	scan = len < room ? len : room;
	memcpy(r->head + old, p, scan);
	r->head_len = old + scan;
	r->head[r->head_len] = '\0';
	end = find_head_end(r->head, old > 3 ? old - 3 : 0, r->head_len);
	hlen = end != NULL ? (size_t)(end - r->head) + 4 : r->head_len;
	if (hlen > old && memchr(r->head + old, '\0', hlen - old) != NULL)
		return fail(r, EBADMSG, "NUL byte in response headers");
	if (end == NULL) {
		if (r->head_len == LB_HEALTH_HTTP_HEAD_MAX)
			return fail(r, EMSGSIZE, "response headers over %u bytes",
				    LB_HEALTH_HTTP_HEAD_MAX);
		return LB_HEALTH_HTTP_MORE;
	}
	r->head_len = hlen;
	r->head[hlen] = '\0';
	rc = parse_head(r);
	if (rc != LB_HEALTH_HTTP_MORE)
		return rc;
	/* bytes of this call past the head are body */
	return feed_body(r, p + (hlen - old), len - (hlen - old));
}

int
lb_health_http_eof(struct lb_health_http_resp *r)
{
	switch (r->state) {
	case ST_DONE:
		return LB_HEALTH_HTTP_DONE;
	case ST_FAIL:
		return -r->err;
	case ST_HEAD:
		if (r->head_len == 0)
			return fail(r, EPIPE, "no data received");
		return fail(r, EPIPE, "connection closed in headers");
	case ST_BODY_EOF:
		return finish(r);
	case ST_BODY_CLEN:
		return fail(r, EPIPE, "truncated body: %llu of %llu bytes",
			    (unsigned long long)r->body_len, (unsigned long long)r->clen);
	default:
		return fail(r, EPIPE, "truncated chunked body after %llu bytes",
			    (unsigned long long)r->body_len);
	}
}

bool
lb_health_http_digest_match(const struct lb_health_http_resp *r, const char *hex)
{
	return r->state == ST_DONE && r->md != NULL && strlen(hex) == 32 &&
	       strcasecmp(r->md5_hex, hex) == 0;
}
