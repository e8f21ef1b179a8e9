/* SPDX-License-Identifier: BSD-3-Clause */
/* LVS sync protocol version 1: encode and decode, bounds-checked. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "sync/codec.h"

#define TCP_STATES 11		/* LVS's IP_VS_TCP_S_LAST */
#define TEMPLATE_STATES 2	/* LVS's IP_VS_CTPL_S_LAST */
#define FNAT_OPT_LEN 6
#define SEQ_OPT_LEN 24		/* struct ip_vs_sync_conn_options */

static const char *const err_names[LB_SYNC_ERR_MAX] = {
	"ok", "short", "bad_size", "bad_version", "other_syncid", "truncated",
	"bad_conn_version", "bad_option", "trailing_bytes",
};
static const char *const skip_names[LB_SYNC_SKIP_MAX] = {
	"skip_ipv6", "skip_proto", "skip_state", "skip_unknown_option",
};

const char *
lb_sync_err_name(enum lb_sync_err e)
{
	return (unsigned int)e < LB_SYNC_ERR_MAX ? err_names[e] : "?";
}

const char *
lb_sync_skip_name(enum lb_sync_skip s)
{
	return (unsigned int)s < LB_SYNC_SKIP_MAX ? skip_names[s] : "?";
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* Addresses and ports are kept in network order: copy their bytes as they are. */
static void
put_raw(uint8_t *p, const void *v, size_t n)
{
	memcpy(p, v, n);
}

static size_t
unpadded(const struct lb_sync_conn *c)
{
	return LB_SYNC_CONN_LEN + (c->has_seq ? 2 + SEQ_OPT_LEN : 0) +
	       (c->has_fnat ? 2 + FNAT_OPT_LEN : 0);
}

size_t
lb_sync_conn_size(const struct lb_sync_conn *c)
{
	return (unpadded(c) + 3) & ~(size_t)3;
}

void
lb_sync_msg_init(uint8_t *buf, uint8_t syncid)
{
	memset(buf, 0, LB_SYNC_HDR_LEN);
	buf[1] = syncid;
	put16(buf + 2, LB_SYNC_HDR_LEN);
	buf[5] = LB_SYNC_VERSION;
}

size_t
lb_sync_msg_len(const uint8_t *buf)
{
	return get16(buf + 2);
}

unsigned int
lb_sync_msg_count(const uint8_t *buf)
{
	return buf[4];
}

int
lb_sync_msg_add(uint8_t *buf, size_t maxlen, const struct lb_sync_conn *c)
{
	size_t off = lb_sync_msg_len(buf), sz = lb_sync_conn_size(c);
	uint8_t *p = buf + off;

	if (buf[4] == 255 || off + sz > maxlen || off + sz > 65535)
		return -ENOSPC;
	memset(p, 0, sz);
	p[0] = 0;				/* IPv4 */
	p[1] = c->proto;
	put16(p + 2, (uint16_t)unpadded(c));	/* version 0 in the top bits */
	put32(p + 4, c->flags);
	put16(p + 8, c->state);
	put_raw(p + 10, &c->cport, 2);
	put_raw(p + 12, &c->vport, 2);
	put_raw(p + 14, &c->dport, 2);
	put32(p + 16, 0);			/* fwmark */
	put32(p + 20, c->timeout_s);
	put_raw(p + 24, &c->caddr, 4);
	put_raw(p + 28, &c->vaddr, 4);
	put_raw(p + 32, &c->daddr, 4);
	p += LB_SYNC_CONN_LEN;
	if (c->has_seq) {	/* in_seq all 0; out_seq: init, delta, previous delta */
		p[0] = LB_SYNC_OPT_SEQ;
		p[1] = SEQ_OPT_LEN;
		put32(p + 2 + 12, c->out_seq_init);
		put32(p + 2 + 16, c->out_seq_delta);
		put32(p + 2 + 20, c->out_seq_delta);
		p += 2 + SEQ_OPT_LEN;
	}
	if (c->has_fnat) {
		p[0] = LB_SYNC_OPT_FNAT;
		p[1] = FNAT_OPT_LEN;
		put_raw(p + 2, &c->laddr, 4);
		put_raw(p + 6, &c->lport, 2);
	}
	put16(buf + 2, (uint16_t)(off + sz));
	buf[4]++;
	return 0;
}

/*
 * The options of one connection, p..end. Returns LB_SYNC_OK, or
 * LB_SYNC_ERR_OPTION for a malformed one; *skip set for a connection to
 * leave out.
 */
static enum lb_sync_err
decode_options(const uint8_t *p, const uint8_t *end, struct lb_sync_conn *c, int *skip)
{
	while (p < end) {
		unsigned int type, len;

		if (end - p < 2)
			return LB_SYNC_ERR_OPTION;
		type = p[0];
		len = p[1];
		p += 2;
		if (len == 0 || (size_t)(end - p) < len)
			return LB_SYNC_ERR_OPTION;
		if (type == LB_SYNC_OPT_FNAT) {
			if (len != FNAT_OPT_LEN || c->has_fnat)
				return LB_SYNC_ERR_OPTION;
			memcpy(&c->laddr, p, 4);
			memcpy(&c->lport, p + 4, 2);
			c->has_fnat = 1;
		} else if (type == LB_SYNC_OPT_SEQ) {
			if (len != SEQ_OPT_LEN || c->has_seq)
				return LB_SYNC_ERR_OPTION;
			/* only out_seq, one delta: an application helper's is not ours */
			if (get32(p + 4) != 0 || get32(p + 8) != 0 || get32(p + 16) != get32(p + 20))
				*skip = LB_SYNC_SKIP_MANDATORY;
			c->out_seq_init = get32(p + 12);
			c->out_seq_delta = get32(p + 16);
			c->has_seq = 1;
		} else if (!(type & LB_SYNC_OPT_F_PARAM)) {
			/* LVS's persistence-engine data included */
			*skip = LB_SYNC_SKIP_MANDATORY;
		}
		p += len;
	}
	return LB_SYNC_OK;
}

/* One connection at p of size bytes (bounds already checked). */
static enum lb_sync_err
decode_conn(const uint8_t *p, size_t size, struct lb_sync_conn *c, int *skip)
{
	memset(c, 0, sizeof(*c));
	*skip = -1;
	if (p[0] != 0) {
		*skip = LB_SYNC_SKIP_IPV6;
		return LB_SYNC_OK;	/* its size is still good: go on past it */
	}
	if (size < LB_SYNC_CONN_LEN)
		return LB_SYNC_ERR_TRUNC;
	c->proto = p[1];
	c->flags = get32(p + 4);
	c->state = get16(p + 8);
	memcpy(&c->cport, p + 10, 2);
	memcpy(&c->vport, p + 12, 2);
	memcpy(&c->dport, p + 14, 2);
	c->timeout_s = get32(p + 20);
	memcpy(&c->caddr, p + 24, 4);
	memcpy(&c->vaddr, p + 28, 4);
	memcpy(&c->daddr, p + 32, 4);
	if (decode_options(p + LB_SYNC_CONN_LEN, p + size, c, skip) != LB_SYNC_OK)
		return LB_SYNC_ERR_OPTION;
	if (*skip >= 0)
		return LB_SYNC_OK;
	if (c->proto != IPPROTO_TCP && c->proto != IPPROTO_UDP)
		*skip = LB_SYNC_SKIP_PROTO;
	else if (c->flags & LB_SYNC_F_TEMPLATE ? c->state >= TEMPLATE_STATES :
		 c->proto == IPPROTO_TCP ? c->state >= TCP_STATES : c->state != 0)
		*skip = LB_SYNC_SKIP_STATE;
	return LB_SYNC_OK;
}

enum lb_sync_err
lb_sync_msg_decode(const uint8_t *buf, size_t len, uint8_t want, struct lb_sync_conn *out,
		   unsigned int max, unsigned int *n, uint64_t *skipped)
{
	size_t off = LB_SYNC_HDR_LEN;
	unsigned int i, count;

	*n = 0;
	if (len < LB_SYNC_HDR_LEN)
		return LB_SYNC_ERR_SHORT;
	if (get16(buf + 2) != len)
		return LB_SYNC_ERR_SIZE;
	if (buf[0] != 0 || buf[5] != LB_SYNC_VERSION || get16(buf + 6) != 0)
		return LB_SYNC_ERR_VERSION;
	if (want != 0 && buf[1] != want)
		return LB_SYNC_ERR_SYNCID;
	count = buf[4];
	for (i = 0; i < count; i++) {
		struct lb_sync_conn c;
		enum lb_sync_err e;
		uint16_t vs;
		size_t size;
		int skip;

		if (len - off < LB_SYNC_CONN_LEN) {
			*n = 0;
			return LB_SYNC_ERR_TRUNC;
		}
		vs = get16(buf + off + 2);
		size = vs & 0x0fff;
		if (vs >> 12 != 0) {
			*n = 0;
			return LB_SYNC_ERR_CONN_VERSION;
		}
		if (size < LB_SYNC_CONN_LEN || size > len - off) {
			*n = 0;
			return LB_SYNC_ERR_TRUNC;
		}
		e = decode_conn(buf + off, size, &c, &skip);
		if (e != LB_SYNC_OK) {
			*n = 0;
			return e;
		}
		if (skip >= 0) {
			if (skipped != NULL)
				skipped[skip]++;
		} else if (*n < max) {
			out[(*n)++] = c;
		}
		size = (size + 3) & ~(size_t)3;
		off += size < len - off ? size : len - off;
	}
	if (off != len) {
		*n = 0;
		return LB_SYNC_ERR_TRAILING;
	}
	return LB_SYNC_OK;
}
