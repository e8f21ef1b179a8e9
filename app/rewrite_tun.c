/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TUN forwarding: IPIP encapsulation towards the real server (RFC 2003)
 * and the ICMP frag-needed error sent back when the encapsulated packet
 * would not fit. Contracts in app/rewrite.h.
 */
#include <errno.h>
#include <netinet/ip.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_per_lcore.h>
#include <rte_random.h>

#include "app/ip_csum.h"
#include "app/rewrite.h"
#include "app/rewrite_priv.h"

#define ICMP_DEST_UNREACH	3
#define ICMP_FRAG_NEEDED	4
#define IPV4_MIN_MTU		68

/*
 * IP ID of the headers this lcore builds: a counter started at a random
 * value on first use, so that lcores sending to the same real server do
 * not walk the same sequence. Bit 16 marks it as seeded.
 */
static RTE_DEFINE_PER_LCORE(uint32_t, ip_id);

static rte_be16_t
next_ip_id(void)
{
	uint32_t s = RTE_PER_LCORE(ip_id);

	if (unlikely(s == 0))
		s = 0x10000 | (uint16_t)rte_rand();
	RTE_PER_LCORE(ip_id) = 0x10000 | (uint16_t)(s + 1);
	return rte_cpu_to_be_16((uint16_t)s);
}

/*
 * The IPv4 header at l3_off if it and its total length fit, else NULL.
 * Always inlined: as a call (LTO left it one) it cost TUN 3-4 cycles a
 * packet in bench_pipeline.
 */
static __rte_always_inline const struct rte_ipv4_hdr *
ipv4_at(const struct rte_mbuf *m, uint16_t l3_off, uint16_t *hlen,
	uint16_t *tlen)
{
	uint16_t dlen = rte_pktmbuf_data_len(m);
	const struct rte_ipv4_hdr *ip;

	if (l3_off < RTE_ETHER_HDR_LEN || dlen < l3_off ||
	    dlen - l3_off < (int)sizeof(*ip))
		return NULL;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l3_off);
	*hlen = (uint16_t)((ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) *
			   RTE_IPV4_IHL_MULTIPLIER);
	*tlen = rte_be_to_cpu_16(ip->total_length);
	if (*hlen < sizeof(*ip) || *tlen < *hlen || *tlen > dlen - l3_off)
		return NULL;
	return ip;
}

/*
 * The header checksum of the outer header, from the values written (a
 * read-back of the fresh stores would stall on store forwarding). Words as
 * they lie in memory (RFC 1071 2(B)); the checksum field itself is 0.
 */
static inline uint16_t
outer_cksum(uint8_t tos, rte_be16_t tot_len, rte_be16_t id, rte_be16_t frag,
	    rte_be32_t saddr, rte_be32_t daddr)
{
	const uint16_t vhl_tos = lb_ld16((const uint8_t[2]){ RTE_IPV4_VHL_DEF, tos });
	const uint16_t ttl_proto = lb_ld16((const uint8_t[2]){ 64, IPPROTO_IPIP });
	return (uint16_t)~lb_csum_fold64((uint64_t)vhl_tos + tot_len + id + frag + ttl_proto +
					 (uint64_t)saddr + daddr);
}

int
lb_rewrite_ipip_encap(struct rte_mbuf *m, uint16_t l3_off,
		      rte_be32_t outer_saddr, rte_be32_t outer_daddr,
		      uint16_t mtu)
{
	const struct rte_ipv4_hdr *in;
	struct rte_ipv4_hdr *out;
	rte_be16_t df, tot_len, id;
	uint16_t hlen, tlen;
	uint8_t tos;
	uint32_t pad;
	char *p;

	in = ipv4_at(m, l3_off, &hlen, &tlen);
	if (in == NULL || mtu < IPV4_MIN_MTU + LB_IPIP_OVERHEAD)
		return -EINVAL;
	df = in->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	if (tlen + LB_IPIP_OVERHEAD > mtu)
		return df ? -EMSGSIZE : -EFBIG;
	if (rte_pktmbuf_headroom(m) < LB_IPIP_OVERHEAD)
		return -ENOSPC;

	/* Ethernet padding would end up behind the outer packet: drop it */
	pad = rte_pktmbuf_pkt_len(m) - (l3_off + tlen);
	if (pad != 0 && likely(m->nb_segs == 1 && pad <= m->data_len)) {
		m->data_len = (uint16_t)(m->data_len - pad);
		m->pkt_len -= pad;
	} else if (pad != 0) {
		(void)rte_pktmbuf_trim(m, pad);	/* in a later segment: harmless */
	}
	tos = in->type_of_service;
	p = rte_pktmbuf_prepend(m, LB_IPIP_OVERHEAD);
	if (likely(l3_off == RTE_ETHER_HDR_LEN))	/* 14 < 20: no overlap */
		memcpy(p, p + LB_IPIP_OVERHEAD, RTE_ETHER_HDR_LEN);
	else
		memmove(p, p + LB_IPIP_OVERHEAD, l3_off);
	/* the outer header lands where the link header was; `in` moved not */
	out = (struct rte_ipv4_hdr *)(p + l3_off);
	tot_len = rte_cpu_to_be_16(tlen + LB_IPIP_OVERHEAD);
	id = next_ip_id();
	out->version_ihl = RTE_IPV4_VHL_DEF;
	out->type_of_service = tos;
	out->total_length = tot_len;
	out->packet_id = id;
	out->fragment_offset = df;
	out->time_to_live = 64;
	out->next_proto_id = IPPROTO_IPIP;
	out->hdr_checksum = outer_cksum(tos, tot_len, id, df, outer_saddr, outer_daddr);
	out->src_addr = outer_saddr;
	out->dst_addr = outer_daddr;
	return 0;
}

/* RFC 1122 3.2.2: never an ICMP error about one of these. */
static bool
error_forbidden(const struct rte_ipv4_hdr *ip, uint16_t hlen, uint16_t tlen)
{
	uint32_t src = rte_be_to_cpu_32(ip->src_addr);
	const uint8_t *l4 = (const uint8_t *)ip + hlen;

	if (rte_be_to_cpu_16(ip->fragment_offset) & RTE_IPV4_HDR_OFFSET_MASK)
		return true;
	if (src == 0 || (src >> 28) >= 0xe || (src >> 24) == 127)
		return true;	/* zero, multicast, class E/broadcast, loopback */
	if (ip->next_proto_id != IPPROTO_ICMP)
		return false;
	if (tlen == hlen)
		return true;	/* no ICMP type: cannot tell it is no error */
	switch (l4[0]) {
	case 3: case 4: case 5: case 11: case 12:
		return true;
	default:
		return false;
	}
}

struct rte_mbuf *
lb_icmp_frag_needed(struct rte_mempool *pool, const struct rte_mbuf *orig,
		    uint16_t l3_off, rte_be32_t src, uint16_t next_hop_mtu)
{
	return lb_icmp_error(pool, orig, l3_off, src, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			     next_hop_mtu);
}

struct rte_mbuf *
lb_icmp_error(struct rte_mempool *pool, const struct rte_mbuf *orig, uint16_t l3_off,
	      rte_be32_t src, uint8_t type, uint8_t code, uint16_t mtu)
{
	const struct rte_ether_hdr *oeth;
	const struct rte_ipv4_hdr *oip;
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_icmp_hdr *icmp;
	uint16_t hlen, tlen, quote;
	struct rte_mbuf *m;
	char *p;

	oip = ipv4_at(orig, l3_off, &hlen, &tlen);
	if (oip == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (error_forbidden(oip, hlen, tlen)) {
		rte_errno = EPERM;
		return NULL;
	}
	quote = RTE_MIN(tlen, LB_ICMP_ERROR_MAX_LEN - sizeof(*ip) - sizeof(*icmp));
	m = rte_pktmbuf_alloc(pool);
	if (m == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	p = rte_pktmbuf_append(m, l3_off + sizeof(*ip) + sizeof(*icmp) + quote);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		rte_errno = ENOSPC;
		return NULL;
	}

	oeth = rte_pktmbuf_mtod(orig, const struct rte_ether_hdr *);
	memcpy(p, oeth, l3_off);
	eth = (struct rte_ether_hdr *)p;
	rte_ether_addr_copy(&oeth->src_addr, &eth->dst_addr);
	rte_ether_addr_copy(&oeth->dst_addr, &eth->src_addr);

	ip = (struct rte_ipv4_hdr *)(p + l3_off);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = (oip->type_of_service & IPTOS_TOS_MASK) |
			      IPTOS_PREC_INTERNETCONTROL;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*icmp) + quote);
	ip->packet_id = next_ip_id();
	ip->fragment_offset = 0;
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->hdr_checksum = 0;
	ip->src_addr = src;
	ip->dst_addr = oip->src_addr;
	ip->hdr_checksum = rte_ipv4_cksum(ip);

	icmp = (struct rte_icmp_hdr *)(ip + 1);
	icmp->icmp_type = type;
	icmp->icmp_code = code;
	icmp->icmp_cksum = 0;
	icmp->icmp_ident = 0;				/* unused */
	icmp->icmp_seq_nb = rte_cpu_to_be_16(mtu);	/* RFC 1191; 0 unless frag-needed */
	memcpy(icmp + 1, oip, quote);
	icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, sizeof(*icmp) + quote);

	m->port = orig->port;
	m->l2_len = l3_off;
	m->l3_len = sizeof(*ip);
	return m;
}
