/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ICMP errors that quote a packet of a NAT/FNAT connection: find the
 * quoted tuple, then translate outer and quoted headers the way the
 * connection translates its packets (LVS ip_vs_nat_icmp). Contracts in
 * app/rewrite.h.
 */
#include <errno.h>

#include <rte_icmp.h>
#include <rte_ip.h>

#include "app/rewrite.h"
#include "app/rewrite_priv.h"

/* Where the parts of an ICMP error lie, offsets from the frame start. */
struct icmp_err {
	uint16_t icmp_off;
	uint16_t icmp_len;	/* ICMP header + quoted bytes */
	uint16_t in_l3_off;	/* quoted IP header */
	uint16_t in_l4_off;	/* quoted TCP/UDP header */
	uint16_t in_l4_len;	/* quoted bytes of it, at least 8 */
	uint8_t in_proto;
};

static bool
is_error_type(uint8_t type)
{
	switch (type) {
	case 3:		/* destination unreachable, frag-needed included */
	case 4:		/* source quench */
	case 11:	/* time exceeded */
	case 12:	/* parameter problem */
		return true;
	default:
		return false;
	}
}

static int
parse_icmp_error(const struct rte_mbuf *m, uint16_t l3_off, struct icmp_err *e)
{
	uint16_t dlen = rte_pktmbuf_data_len(m);
	const struct rte_ipv4_hdr *ip, *in;
	uint16_t hlen, tlen, quoted, in_hlen, in_tlen;
	const uint8_t *icmp;

	if (dlen < l3_off || dlen - l3_off < (int)sizeof(*ip))
		return -EINVAL;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l3_off);
	hlen = (uint16_t)((ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) *
			  RTE_IPV4_IHL_MULTIPLIER);
	tlen = rte_be_to_cpu_16(ip->total_length);
	if (hlen < sizeof(*ip) || tlen < hlen || tlen > dlen - l3_off)
		return -EINVAL;
	if (ip->next_proto_id != IPPROTO_ICMP)
		return -ENOENT;
	/* a fragmented error cannot be checksummed here: not ours to fix */
	if (rte_be_to_cpu_16(ip->fragment_offset) &
	    (RTE_IPV4_HDR_OFFSET_MASK | RTE_IPV4_HDR_MF_FLAG))
		return -ENOENT;
	e->icmp_off = l3_off + hlen;
	e->icmp_len = tlen - hlen;
	if (e->icmp_len < sizeof(struct rte_icmp_hdr))
		return -EINVAL;
	icmp = rte_pktmbuf_mtod_offset(m, const uint8_t *, e->icmp_off);
	if (!is_error_type(icmp[0]))
		return -ENOENT;

	quoted = e->icmp_len - sizeof(struct rte_icmp_hdr);
	if (quoted < sizeof(*in))
		return -EINVAL;
	e->in_l3_off = e->icmp_off + sizeof(struct rte_icmp_hdr);
	in = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, e->in_l3_off);
	in_hlen = (uint16_t)((in->version_ihl & RTE_IPV4_HDR_IHL_MASK) *
			     RTE_IPV4_IHL_MULTIPLIER);
	if ((in->version_ihl >> 4) != 4 || in_hlen < sizeof(*in) ||
	    in_hlen > quoted)
		return -EINVAL;
	e->in_proto = in->next_proto_id;
	if (e->in_proto != IPPROTO_TCP && e->in_proto != IPPROTO_UDP)
		return -ENOENT;
	if (rte_be_to_cpu_16(in->fragment_offset) & RTE_IPV4_HDR_OFFSET_MASK)
		return -ENOENT;		/* quoted non-first fragment: no ports */
	e->in_l4_off = e->in_l3_off + in_hlen;
	e->in_l4_len = quoted - in_hlen;
	/* bytes past the quoted datagram's own end are not part of it */
	in_tlen = rte_be_to_cpu_16(in->total_length);
	if (in_tlen >= in_hlen && in_tlen - in_hlen < e->in_l4_len)
		e->in_l4_len = in_tlen - in_hlen;
	if (e->in_l4_len < 8)		/* RFC 792: at least 64 bits of data */
		return -EINVAL;
	return 0;
}

int
lb_pkt_icmp_inner(const struct rte_mbuf *m, uint16_t l3_off,
		  struct lb_pkt_tuple *inner)
{
	const struct rte_ipv4_hdr *in;
	const uint8_t *l4;
	struct icmp_err e;
	int rc;

	rc = parse_icmp_error(m, l3_off, &e);
	if (rc < 0)
		return rc;
	in = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, e.in_l3_off);
	l4 = rte_pktmbuf_mtod_offset(m, const uint8_t *, e.in_l4_off);
	inner->saddr = in->src_addr;
	inner->daddr = in->dst_addr;
	inner->sport = lb_ld16(l4);
	inner->dport = lb_ld16(l4 + 2);
	inner->proto = e.in_proto;
	return 0;
}

int
lb_rewrite_icmp_error_inner(struct rte_mbuf *m, uint16_t l3_off,
			    rte_be32_t outer_saddr, rte_be32_t outer_daddr,
			    const struct lb_pkt_tuple *inner)
{
	struct rte_ipv4_hdr *ip, *in;
	uint16_t csum_off, csum;
	struct icmp_err e;
	uint32_t diff;
	uint8_t *icmp, *l4;
	int rc;

	rc = parse_icmp_error(m, l3_off, &e);
	if (rc < 0)
		return rc;
	icmp = rte_pktmbuf_mtod_offset(m, uint8_t *, e.icmp_off);
	if (rte_raw_cksum(icmp, e.icmp_len) != 0xffff)
		return -EINVAL;		/* do not launder a corrupt error */

	/* quoted IP header */
	in = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, e.in_l3_off);
	diff = lb_csum_diff32(0, in->src_addr, inner->saddr);
	diff = lb_csum_diff32(diff, in->dst_addr, inner->daddr);
	in->src_addr = inner->saddr;
	in->dst_addr = inner->daddr;
	in->hdr_checksum = lb_csum_apply(in->hdr_checksum, diff);

	/* quoted ports, and the quoted L4 checksum when it was quoted */
	l4 = rte_pktmbuf_mtod_offset(m, uint8_t *, e.in_l4_off);
	diff = lb_csum_diff16(diff, lb_ld16(l4), inner->sport);
	diff = lb_csum_diff16(diff, lb_ld16(l4 + 2), inner->dport);
	lb_st16(l4, inner->sport);
	lb_st16(l4 + 2, inner->dport);
	csum_off = e.in_proto == IPPROTO_TCP ? LB_TCP_CSUM_OFF : LB_UDP_CSUM_OFF;
	if (e.in_l4_len >= csum_off + 2) {
		csum = lb_ld16(l4 + csum_off);
		if (e.in_proto != IPPROTO_UDP || csum != 0) {
			csum = lb_csum_apply(csum, diff);
			if (e.in_proto == IPPROTO_UDP && csum == 0)
				csum = 0xffff;
			lb_st16(l4 + csum_off, csum);
		}
	}

	/* outer header, then the ICMP checksum over everything changed */
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l3_off);
	diff = lb_csum_diff32(0, ip->src_addr, outer_saddr);
	diff = lb_csum_diff32(diff, ip->dst_addr, outer_daddr);
	ip->src_addr = outer_saddr;
	ip->dst_addr = outer_daddr;
	ip->hdr_checksum = lb_csum_apply(ip->hdr_checksum, diff);
	lb_st16(icmp + 2, 0);
	lb_st16(icmp + 2, (uint16_t)~rte_raw_cksum(icmp, e.icmp_len));
	return 0;
}
