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
#include "app/rewrite_tun.h"

#define ICMP_DEST_UNREACH	3
#define ICMP_FRAG_NEEDED	4

RTE_DEFINE_PER_LCORE(uint32_t, lb_ip_id);

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

int
lb_rewrite_ipip_encap(struct rte_mbuf *m, uint16_t l3_off,
		      rte_be32_t outer_saddr, rte_be32_t outer_daddr,
		      uint16_t mtu)
{
	uint8_t macs[2 * RTE_ETHER_ADDR_LEN];
	uint16_t hlen, tlen;
	int rc;

	if (ipv4_at(m, l3_off, &hlen, &tlen) == NULL)
		return -EINVAL;
	memcpy(macs, rte_pktmbuf_mtod(m, void *), sizeof(macs));
	rc = lb_rewrite_ipip_encap_checked(m, l3_off, tlen, outer_saddr, outer_daddr, mtu);
	if (rc == 0)	/* the link header whole, as the contract says */
		memcpy(rte_pktmbuf_mtod(m, void *), macs, sizeof(macs));
	return rc;
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
	ip->packet_id = lb_next_ip_id();
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
