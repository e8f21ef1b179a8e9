/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_REWRITE_TUN_H
#define LB_REWRITE_TUN_H

/*
 * TUN's encapsulation of a packet whose IPv4 header lb_classify checked:
 * what lb_rewrite_ipip_encap (app/rewrite.h) does after its own checks,
 * inline for the forwarding path. As a call that checked the header again
 * it cost TUN about 45 instructions a packet (test/perf/instr_count.sh).
 * The common contract of app/rewrite.h holds but for the MACs, which it
 * leaves to the caller (below). Part of the rewrite module (it uses
 * rewrite_priv.h), included by forward.c as rewrite.h's inlines.
 */

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_per_lcore.h>
#include <rte_random.h>

#include "app/ip_csum.h"
#include "app/rewrite.h"
#include "app/rewrite_priv.h"

#define LB_IPV4_MIN_MTU 68

/*
 * IP ID of the headers this lcore builds: a counter started at a random
 * value on first use, so that lcores sending to the same real server do
 * not walk the same sequence. Bit 16 marks it as seeded. Defined in
 * app/rewrite_tun.c.
 */
RTE_DECLARE_PER_LCORE(uint32_t, lb_ip_id);

/* The next IP ID of the calling lcore's headers, network order. */
static inline rte_be16_t
lb_next_ip_id(void)
{
	uint32_t s = RTE_PER_LCORE(lb_ip_id);

	if (unlikely(s == 0))
		s = 0x10000 | (uint16_t)rte_rand();
	RTE_PER_LCORE(lb_ip_id) = 0x10000 | (uint16_t)(s + 1);
	return rte_cpu_to_be_16((uint16_t)s);
}

/*
 * The header checksum of an outer header, from the values written (a
 * read-back of the fresh stores would stall on store forwarding). Words
 * as they lie in memory (RFC 1071 2(B)); the checksum field itself is 0.
 */
static inline uint16_t
lb_ipip_outer_cksum(uint8_t tos, rte_be16_t tot_len, rte_be16_t id, rte_be16_t frag,
		    rte_be32_t saddr, rte_be32_t daddr)
{
	const uint16_t vhl_tos = lb_ld16((const uint8_t[2]){ RTE_IPV4_VHL_DEF, tos });
	const uint16_t ttl_proto = lb_ld16((const uint8_t[2]){ 64, IPPROTO_IPIP });

	return (uint16_t)~lb_csum_fold64((uint64_t)vhl_tos + tot_len + id + frag + ttl_proto +
					 (uint64_t)saddr + daddr);
}

/*
 * lb_rewrite_ipip_encap for m whose IPv4 header at l3_off (>= 14) lb_classify
 * accepted with total length tlen: same results, same m on error, but
 * -EINVAL only for an mtu below 68 + 20, and with a 14-byte link header
 * only its type is kept: the MACs are the caller's to write (send_to
 * writes both for every packet). Any lcore.
 */
static __rte_always_inline int
lb_rewrite_ipip_encap_checked(struct rte_mbuf *m, uint16_t l3_off, uint16_t tlen,
			      rte_be32_t outer_saddr, rte_be32_t outer_daddr, uint16_t mtu)
{
	const struct rte_ipv4_hdr *in =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l3_off);
	struct rte_ipv4_hdr *out;
	rte_be16_t df, tot_len, id;
	uint8_t tos;
	char *p;

	if (unlikely(mtu < LB_IPV4_MIN_MTU + LB_IPIP_OVERHEAD))
		return -EINVAL;
	df = in->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	if (unlikely(tlen + LB_IPIP_OVERHEAD > mtu))
		return df ? -EMSGSIZE : -EFBIG;
	if (unlikely(rte_pktmbuf_headroom(m) < LB_IPIP_OVERHEAD))
		return -ENOSPC;

	/*
	 * Ethernet padding would end up behind the outer packet: cut. The
	 * inner packet is all in the first segment (tlen fits there), so the
	 * data ends at its end and any later segment holds padding only.
	 */
	tos = in->type_of_service;
	if (unlikely(m->next != NULL)) {
		rte_pktmbuf_free(m->next);
		m->next = NULL;
		m->nb_segs = 1;
	}
	m->data_off -= LB_IPIP_OVERHEAD;
	m->data_len = (uint16_t)(l3_off + tlen + LB_IPIP_OVERHEAD);
	m->pkt_len = m->data_len;
	p = rte_pktmbuf_mtod(m, char *);
	/* the MACs are the caller's to write (send_to): only the type moves */
	if (likely(l3_off == RTE_ETHER_HDR_LEN))
		memcpy(p + 2 * RTE_ETHER_ADDR_LEN, p + LB_IPIP_OVERHEAD + 2 * RTE_ETHER_ADDR_LEN,
		       sizeof(rte_be16_t));
	else
		memmove(p, p + LB_IPIP_OVERHEAD, l3_off);
	/* the outer header lands where the link header was; `in` moved not */
	out = (struct rte_ipv4_hdr *)(p + l3_off);
	tot_len = rte_cpu_to_be_16(tlen + LB_IPIP_OVERHEAD);
	id = lb_next_ip_id();
	out->version_ihl = RTE_IPV4_VHL_DEF;
	out->type_of_service = tos;
	out->total_length = tot_len;
	out->packet_id = id;
	out->fragment_offset = df;
	out->time_to_live = 64;
	out->next_proto_id = IPPROTO_IPIP;
	out->hdr_checksum = lb_ipip_outer_cksum(tos, tot_len, id, df, outer_saddr, outer_daddr);
	out->src_addr = outer_saddr;
	out->dst_addr = outer_daddr;
	return 0;
}

#endif
