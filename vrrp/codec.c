/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VRRPv2/v3 advert encode and decode over IPv4 (see codec.h). Multi-byte
 * fields are read and written byte by byte in network order, so buffers
 * need no alignment.
 */
#include <errno.h>
#include <string.h>

#include "vrrp/auth.h"
#include "vrrp/codec.h"

#define IP_HLEN 20

static inline uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint32_t
sum16(const uint8_t *p, size_t len, uint32_t acc)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		acc += get16(p + i);
	if (len & 1)
		acc += (uint32_t)p[len - 1] << 8;
	return acc;
}

uint16_t
lb_vrrp_cksum(const void *data, size_t len, uint32_t acc)
{
	acc = sum16(data, len, acc);
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

/* Partial sum of the v3 IPv4 pseudo-header for a message of vlen bytes. */
static uint32_t
phdr_sum(uint32_t src, uint32_t dst, size_t vlen)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) +
	       LB_VRRP_PROTO + (uint32_t)vlen;
}

static size_t
vrrp_len(uint8_t version, unsigned int naddr)
{
	return LB_VRRP_HDR_LEN + 4 * naddr + (version == 2 ? LB_VRRP_AUTH_LEN : 0);
}

int
lb_vrrp_encode(struct lb_vrrp_wire *w, const struct lb_vrrp_advert *adv,
	       uint8_t *buf, size_t size)
{
	bool ah = w->version == 2 && w->auth_type == LB_VRRP_AUTH_AH;
	size_t vlen, off = IP_HLEN + (ah ? LB_VRRP_AH_LEN : 0), len;
	uint32_t src = rte_be_to_cpu_32(adv->saddr), dst = rte_be_to_cpu_32(adv->daddr);
	uint8_t *v = buf + off;
	uint32_t acc = 0;
	unsigned int i;

	if ((w->version != 2 && w->version != 3) || w->vrid == 0 || w->adver_int == 0 ||
	    (w->version == 2 && w->adver_int > 255) || w->adver_int > 0x0fff ||
	    (w->version == 3 && w->auth_type != LB_VRRP_AUTH_NONE) ||
	    w->auth_type > LB_VRRP_AUTH_AH || adv->naddr > LB_VRRP_MAX_ADDRS)
		return -EINVAL;
	vlen = vrrp_len(w->version, adv->naddr);
	len = off + vlen;
	if (size < len)
		return -ENOSPC;
	memset(buf, 0, len);

	buf[0] = 0x45;
	buf[1] = LB_VRRP_TOS;
	put16(buf + 2, (uint16_t)len);
	put16(buf + 4, adv->ip_id);
	buf[8] = LB_VRRP_TTL;
	buf[9] = ah ? LB_VRRP_PROTO_AH : LB_VRRP_PROTO;
	put32(buf + 12, src);
	put32(buf + 16, dst);

	v[0] = (uint8_t)(w->version << 4 | 1);
	v[1] = w->vrid;
	v[2] = adv->priority;
	v[3] = (uint8_t)adv->naddr;
	for (i = 0; i < adv->naddr; i++)
		memcpy(v + LB_VRRP_HDR_LEN + 4 * i, &adv->addrs[i], 4);
	if (w->version == 2) {
		v[4] = w->auth_type;
		v[5] = (uint8_t)w->adver_int;
		if (w->auth_type == LB_VRRP_AUTH_PASS)
			memcpy(v + vlen - LB_VRRP_AUTH_LEN, w->auth_key, LB_VRRP_AUTH_LEN);
	} else {
		put16(v + 4, w->adver_int);
		if (w->tx_csum == LB_VRRP_CSUM_RFC)
			acc = phdr_sum(src, dst, vlen);
		else if (w->tx_csum == LB_VRRP_CSUM_MCAST)
			acc = phdr_sum(src, LB_VRRP_GROUP, vlen);
	}
	put16(v + 6, lb_vrrp_cksum(v, vlen, acc));

	if (ah) {
		uint8_t *a = buf + IP_HLEN;
		int rc;

		a[0] = LB_VRRP_PROTO;
		a[1] = 4;		/* (3 + 3) 32-bit words - 2 */
		put32(a + 4, src);	/* SPI = source address */
		put32(a + 8, ++w->ah_seq);
		rc = lb_vrrp_ah_icv(buf, len, w->auth_key, w->unicast, a + 12);
		if (rc < 0)
			return rc;
	}
	put16(buf + 10, lb_vrrp_cksum(buf, IP_HLEN, 0));
	return (int)len;
}

#define ERR(n) (-LB_VRRP_ERR_CODE_##n)
enum {
#define LB_VRRP_ERR_CODE(n, e, s) LB_VRRP_ERR_CODE_##n = e,
	LB_VRRP_ERRORS(LB_VRRP_ERR_CODE)
#undef LB_VRRP_ERR_CODE
};

/* v3 checksum: the RFC form, else the compatibility forms w accepts. */
static int
v3_csum_form(const struct lb_vrrp_wire *w, const uint8_t *v, size_t vlen,
	     uint32_t src, uint32_t dst)
{
	if (lb_vrrp_cksum(v, vlen, phdr_sum(src, dst, vlen)) == 0)
		return LB_VRRP_CSUM_RFC;
	if ((w->csum_accept & LB_VRRP_ACCEPT_MCAST) && dst != LB_VRRP_GROUP &&
	    lb_vrrp_cksum(v, vlen, phdr_sum(src, LB_VRRP_GROUP, vlen)) == 0)
		return LB_VRRP_CSUM_MCAST;
	if ((w->csum_accept & LB_VRRP_ACCEPT_NOPHDR) && lb_vrrp_cksum(v, vlen, 0) == 0)
		return LB_VRRP_CSUM_NOPHDR;
	return -1;
}

/* Is src (host order) one of w's unicast peers? Any source when none are listed. */
static bool
from_peer(const struct lb_vrrp_wire *w, uint32_t src)
{
	unsigned int i;

	for (i = 0; i < w->nb_peers; i++)
		if (w->peers[i] == src)
			return true;
	return w->nb_peers == 0;
}

int
lb_vrrp_decode(struct lb_vrrp_wire *w, const uint8_t *buf, size_t len,
	       struct lb_vrrp_advert *out)
{
	size_t ihl, tot, off, vlen;
	const uint8_t *v, *a = NULL;
	uint8_t icv[LB_VRRP_ICV_LEN];
	uint32_t src, dst, seq = 0;
	unsigned int i;
	int form = LB_VRRP_CSUM_RFC;

	if (len < IP_HLEN)
		return ERR(SHORT);
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	tot = get16(buf + 2);
	if ((buf[0] >> 4) != 4 || ihl < IP_HLEN || tot < ihl || (get16(buf + 6) & 0x3fff))
		return ERR(IPHDR);
	if (len < ihl || len < tot)
		return ERR(SHORT);
	if (lb_vrrp_cksum(buf, ihl, 0) != 0)
		return ERR(IPCSUM);
	off = ihl;
	if (buf[9] == LB_VRRP_PROTO_AH) {
		if (tot < ihl + LB_VRRP_AH_LEN)
			return ERR(SHORT);
		a = buf + ihl;
		if (a[0] != LB_VRRP_PROTO)
			return ERR(PROTO);
		off += LB_VRRP_AH_LEN;
	} else if (buf[9] != LB_VRRP_PROTO) {
		return ERR(PROTO);
	}
	if (!w->unicast && buf[8] != LB_VRRP_TTL)
		return ERR(TTL);
	if (tot < off + LB_VRRP_HDR_LEN)
		return ERR(SHORT);
	v = buf + off;
	vlen = tot - off;
	if ((v[0] >> 4) != w->version)
		return ERR(VERSION);
	if ((v[0] & 0x0f) != 1)
		return ERR(TYPE);
	if (vlen != vrrp_len(w->version, v[3]))
		return ERR(LENGTH);
	if (v[1] == 0 || v[1] != w->vrid)
		return ERR(VRID);
	src = get32(buf + 12);
	dst = get32(buf + 16);
	if (w->unicast ? dst >= 0xe0000000u : dst != LB_VRRP_GROUP)
		return ERR(DEST);
	if (w->unicast && !from_peer(w, src))
		return ERR(PEER);

	if (w->version == 3 ? a != NULL :
	    (v[4] != w->auth_type || (a != NULL) != (w->auth_type == LB_VRRP_AUTH_AH)))
		return ERR(AUTHTYPE);
	if (w->version == 2 && w->auth_type == LB_VRRP_AUTH_PASS &&
	    !lb_vrrp_auth_equal(v + vlen - LB_VRRP_AUTH_LEN, w->auth_key, LB_VRRP_AUTH_LEN))
		return ERR(AUTH);
	if (a != NULL) {
		if (lb_vrrp_ah_icv(buf, tot, w->auth_key, w->unicast, icv) != 0 ||
		    !lb_vrrp_auth_equal(a + 12, icv, LB_VRRP_ICV_LEN))
			return ERR(AUTH);
		if (get32(a + 4) != src)
			return ERR(SPI);
		seq = get32(a + 8);
		if (seq <= w->ah_seq)
			return ERR(REPLAY);
	}

	if (w->version == 2) {
		if (lb_vrrp_cksum(v, vlen, 0) != 0)
			return ERR(CSUM);
		if (v[5] == 0 || v[5] != w->adver_int)
			return ERR(INTERVAL);
	} else {
		form = v3_csum_form(w, v, vlen, src, dst);
		if (form < 0)
			return ERR(CSUM);
		if ((get16(v + 4) & 0x0fff) == 0)
			return ERR(INTERVAL);
	}

	if (a != NULL)
		w->ah_seq = seq;
	memset(out, 0, offsetof(struct lb_vrrp_advert, addrs));
	memcpy(&out->saddr, buf + 12, 4);
	memcpy(&out->daddr, buf + 16, 4);
	out->ip_id = get16(buf + 4);
	out->ttl = buf[8];
	out->version = w->version;
	out->vrid = v[1];
	out->priority = v[2];
	out->auth_type = w->version == 2 ? v[4] : LB_VRRP_AUTH_NONE;
	out->csum_form = (uint8_t)form;
	out->adver_int = w->version == 2 ? v[5] : (get16(v + 4) & 0x0fff);
	out->ah_seq = seq;
	out->naddr = v[3];
	for (i = 0; i < v[3]; i++)
		memcpy(&out->addrs[i], v + LB_VRRP_HDR_LEN + 4 * i, 4);
	return 0;
}

int
lb_vrrp_err_index(int rc)
{
	switch (-rc) {
#define LB_VRRP_ERR_CASE(n, e, s) case e: return LB_VRRP_ERR_##n;
	LB_VRRP_ERRORS(LB_VRRP_ERR_CASE)
#undef LB_VRRP_ERR_CASE
	default:
		return -1;
	}
}

const char *
lb_vrrp_err_name(int rc)
{
	static const char *const names[] = {
#define LB_VRRP_ERR_NAME(n, e, s) [LB_VRRP_ERR_##n] = s,
		LB_VRRP_ERRORS(LB_VRRP_ERR_NAME)
#undef LB_VRRP_ERR_NAME
	};
	int i = lb_vrrp_err_index(rc);

	return i < 0 ? "unknown" : names[i];
}
