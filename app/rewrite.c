/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * NAT, FNAT and DR rewrites: addresses and ports changed in place with
 * incremental checksum updates, MACs set. Contracts in app/rewrite.h.
 */
#include <errno.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "app/rewrite.h"
#include "app/rewrite_priv.h"

#define NAT_SRC LB_NAT_SRC
#define NAT_DST LB_NAT_DST

int
lb_rewrite_find_l4(const struct rte_mbuf *m, uint16_t l3_off,
		   struct lb_l4_loc *loc)
{
	uint16_t dlen = rte_pktmbuf_data_len(m);
	const struct rte_ipv4_hdr *ip;
	uint16_t hlen, tlen;

	if (dlen < l3_off || dlen - l3_off < (int)sizeof(*ip))
		return -EINVAL;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l3_off);
	hlen = (uint16_t)((ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) *
			  RTE_IPV4_IHL_MULTIPLIER);
	tlen = rte_be_to_cpu_16(ip->total_length);
	if (hlen < sizeof(*ip) || tlen < hlen || tlen > dlen - l3_off)
		return -EINVAL;
	loc->proto = ip->next_proto_id;
	switch (loc->proto) {
	case IPPROTO_TCP:
		loc->csum_off = LB_TCP_CSUM_OFF;
		break;
	case IPPROTO_UDP:
		loc->csum_off = LB_UDP_CSUM_OFF;
		break;
	default:
		return -EPROTONOSUPPORT;
	}
	loc->l4_off = l3_off + hlen;
	loc->l4_len = tlen - hlen;
	loc->has_l4 = (rte_be_to_cpu_16(ip->fragment_offset) &
		       RTE_IPV4_HDR_OFFSET_MASK) == 0;
	if (!loc->has_l4)
		return 0;
	/* the whole header it claims, TCP options included */
	if (!lb_l4_header_complete(rte_pktmbuf_mtod_offset(m, const uint8_t *, loc->l4_off),
				   loc->l4_len, loc->proto))
		return -EINVAL;
	return 0;
}

int
lb_pkt_ports(const struct rte_mbuf *m, uint16_t l3_off,
	     rte_be16_t *sport, rte_be16_t *dport)
{
	struct lb_l4_loc loc;
	const uint8_t *l4;
	int rc;

	rc = lb_rewrite_find_l4(m, l3_off, &loc);
	if (rc == -EPROTONOSUPPORT)
		return -ENOENT;
	if (rc < 0)
		return rc;
	if (!loc.has_l4)
		return -ENOENT;
	l4 = rte_pktmbuf_mtod_offset(m, const uint8_t *, loc.l4_off);
	*sport = lb_ld16(l4);
	*dport = lb_ld16(l4 + 2);
	return 0;
}

/*
 * Set the fields named by `what` of a packet whose L4 header is at loc.
 * The IP checksum takes the address change, the L4 checksum the address
 * change (pseudo-header) plus the port change.
 */
static void
nat_apply(struct rte_mbuf *m, uint16_t l3_off, const struct lb_l4_loc *loc, unsigned int what,
	  rte_be32_t saddr, rte_be16_t sport, rte_be32_t daddr, rte_be16_t dport)
{
	struct rte_ipv4_hdr *ip;
	uint32_t diff = 0;
	uint16_t csum;
	uint8_t *l4;

	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l3_off);
	if (what & NAT_SRC) {
		diff = lb_csum_diff32(diff, ip->src_addr, saddr);
		ip->src_addr = saddr;
	}
	if (what & NAT_DST) {
		diff = lb_csum_diff32(diff, ip->dst_addr, daddr);
		ip->dst_addr = daddr;
	}
	ip->hdr_checksum = lb_csum_apply(ip->hdr_checksum, diff);
	if (!loc->has_l4)
		return;		/* non-first fragment: addresses only */

	l4 = rte_pktmbuf_mtod_offset(m, uint8_t *, loc->l4_off);
	if (what & NAT_SRC) {
		diff = lb_csum_diff16(diff, lb_ld16(l4), sport);
		lb_st16(l4, sport);
	}
	if (what & NAT_DST) {
		diff = lb_csum_diff16(diff, lb_ld16(l4 + 2), dport);
		lb_st16(l4 + 2, dport);
	}
	csum = lb_ld16(l4 + loc->csum_off);
	if (loc->proto == IPPROTO_UDP && csum == 0)
		return;		/* sender sent no checksum: keep none */
	csum = lb_csum_apply(csum, diff);
	if (loc->proto == IPPROTO_UDP && csum == 0)
		csum = 0xffff;
	lb_st16(l4 + loc->csum_off, csum);
}

static int
nat_rewrite(struct rte_mbuf *m, uint16_t l3_off, unsigned int what,
	    rte_be32_t saddr, rte_be16_t sport, rte_be32_t daddr, rte_be16_t dport)
{
	struct lb_l4_loc loc;
	int rc;

	rc = lb_rewrite_find_l4(m, l3_off, &loc);
	if (rc < 0)
		return rc;
	nat_apply(m, l3_off, &loc, what, saddr, sport, daddr, dport);
	return 0;
}

void
lb_rewrite_nat_checked(struct rte_mbuf *m, uint16_t l3_off, uint16_t l4_off, uint8_t proto,
		       unsigned int what, rte_be32_t saddr, rte_be16_t sport,
		       rte_be32_t daddr, rte_be16_t dport)
{
	const struct lb_l4_loc loc = {
		.proto = proto, .l4_off = l4_off, .has_l4 = true,
		.csum_off = proto == IPPROTO_TCP ? LB_TCP_CSUM_OFF : LB_UDP_CSUM_OFF,
	};

	nat_apply(m, l3_off, &loc, what, saddr, sport, daddr, dport);
}

int
lb_rewrite_dnat(struct rte_mbuf *m, uint16_t l3_off,
		rte_be32_t new_daddr, rte_be16_t new_dport)
{
	return nat_rewrite(m, l3_off, NAT_DST, 0, 0, new_daddr, new_dport);
}

int
lb_rewrite_snat(struct rte_mbuf *m, uint16_t l3_off,
		rte_be32_t new_saddr, rte_be16_t new_sport)
{
	return nat_rewrite(m, l3_off, NAT_SRC, new_saddr, new_sport, 0, 0);
}

int
lb_rewrite_fnat(struct rte_mbuf *m, uint16_t l3_off,
		rte_be32_t saddr, rte_be16_t sport,
		rte_be32_t daddr, rte_be16_t dport)
{
	return nat_rewrite(m, l3_off, NAT_SRC | NAT_DST, saddr, sport,
			   daddr, dport);
}

void
lb_rewrite_ether(struct rte_mbuf *m, const struct rte_ether_addr *src,
		 const struct rte_ether_addr *dst)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	rte_ether_addr_copy(src, &eth->src_addr);
	rte_ether_addr_copy(dst, &eth->dst_addr);
}
