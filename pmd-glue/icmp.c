/* SPDX-License-Identifier: BSD-3-Clause */
/* ICMP echo replies for the box's own addresses. */
#include <errno.h>

#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>

#include "pmd-glue/icmp.h"

int
lb_icmp_echo_reply(struct rte_mbuf *m, uint16_t l3_off)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l3_off);
	uint16_t hlen = rte_ipv4_hdr_len(ip);
	uint16_t tlen = rte_be_to_cpu_16(ip->total_length);
	struct rte_icmp_hdr *icmp;
	struct rte_ether_addr mac;
	rte_be32_t addr;

	if (ip->next_proto_id != IPPROTO_ICMP)
		return -ENOENT;
	if (rte_be_to_cpu_16(ip->fragment_offset) &
	    (RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))
		return -ENOENT;		/* the kernel reassembles and answers */
	if (tlen < hlen + sizeof(*icmp) ||
	    rte_pktmbuf_data_len(m) < l3_off + tlen)
		return -EINVAL;
	icmp = (struct rte_icmp_hdr *)((char *)ip + hlen);
	if (icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST)
		return -ENOENT;
	if (icmp->icmp_code != 0 || rte_raw_cksum(icmp, tlen - hlen) != 0xffff)
		return -EINVAL;
	/* answer exactly what came: drop Ethernet padding past the IP packet */
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - (l3_off + tlen));
	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = ~rte_raw_cksum(icmp, tlen - hlen);
	addr = ip->src_addr;
	ip->src_addr = ip->dst_addr;
	ip->dst_addr = addr;
	ip->time_to_live = 64;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	mac = eth->src_addr;
	eth->src_addr = eth->dst_addr;
	eth->dst_addr = mac;
	return 0;
}
