/* SPDX-License-Identifier: BSD-3-Clause */
/* First look at every received frame: validate, then local / forward / drop. */
#include <string.h>

#include <rte_arp.h>
#include <rte_ip.h>

#include "app/classify.h"
#include "app/ip_csum.h"

static enum lb_verdict
drop(enum lb_drop_reason *reason, enum lb_drop_reason r)
{
	*reason = r;
	return LB_VERDICT_DROP;
}

/*
 * Address tests on network-order values as loaded (no byte swap): the
 * first octet is the lowest byte of the word in memory order.
 */
static inline uint8_t
first_octet(rte_be32_t a)
{
	uint8_t b[4];

	memcpy(b, &a, sizeof(b));
	return b[0];
}

/* Multicast or limited broadcast: for the box's own stack (VRRP, IGMP). */
static inline bool
is_group(rte_be32_t dst)
{
	return (first_octet(dst) & 0xf0) == 0xe0 || dst == 0xffffffff;
}

static inline bool
bad_source(rte_be32_t src)
{
	return (first_octet(src) & 0xf0) == 0xe0 ||	/* multicast */
	       src == 0xffffffff ||			/* limited broadcast */
	       first_octet(src) == 127;			/* loopback */
}

/* The NIC's verdict when it gave one, else the one's-complement sum. */
static bool
ip_csum_ok(const struct rte_mbuf *m, const struct rte_ipv4_hdr *ip, uint16_t hlen)
{
	uint64_t f = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;

	if (f == RTE_MBUF_F_RX_IP_CKSUM_GOOD)
		return true;
	if (f == RTE_MBUF_F_RX_IP_CKSUM_BAD)
		return false;
	return lb_ipv4_hdr_sum(ip, hlen) == 0xffff;
}

static enum lb_verdict
classify_ipv4(const struct lb_local *local, const struct rte_mbuf *m,
	      struct lb_pkt_info *info, enum lb_drop_reason *reason)
{
	uint16_t avail = rte_pktmbuf_data_len(m) - info->l3_off;
	const struct rte_ipv4_hdr *ip;
	uint16_t hlen, tlen;

	if (avail < sizeof(*ip))
		return drop(reason, LB_DROP_IP_TRUNC);
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, info->l3_off);
	if (likely(ip->version_ihl == RTE_IPV4_VHL_DEF)) {	/* no options: fits, avail >= 20 */
		hlen = sizeof(*ip);
	} else {
		if ((ip->version_ihl >> 4) != 4)
			return drop(reason, LB_DROP_IP_VERSION);
		hlen = (uint16_t)((ip->version_ihl & 0xf) * 4);
		if (hlen < sizeof(*ip))
			return drop(reason, LB_DROP_IP_IHL);
		if (hlen > avail)
			return drop(reason, LB_DROP_IP_TRUNC);
	}
	tlen = rte_be_to_cpu_16(ip->total_length);
	if (tlen < hlen || tlen > avail || tlen > rte_pktmbuf_pkt_len(m) - info->l3_off)
		return drop(reason, LB_DROP_IP_LEN);
	if (!ip_csum_ok(m, ip, hlen))
		return drop(reason, LB_DROP_IP_CSUM);
	if (bad_source(ip->src_addr))
		return drop(reason, LB_DROP_IP_SRC);
	info->l4_off = info->l3_off + hlen;
	info->l3_len = tlen;
	info->proto = ip->next_proto_id;
	if (lb_local_is_mine(local, ip->dst_addr) || is_group(ip->dst_addr))
		return LB_VERDICT_CONTROL;
	return LB_VERDICT_FORWARD;
}

enum lb_verdict
lb_classify(const struct lb_local *local, uint16_t port,
	    const struct rte_mbuf *m, struct lb_pkt_info *info,
	    enum lb_drop_reason *reason)
{
	const struct rte_ether_hdr *eth;
	uint16_t len = rte_pktmbuf_data_len(m);

	*reason = LB_DROP_NONE;
	if (len < sizeof(*eth))
		return drop(reason, LB_DROP_RUNT);
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (rte_is_unicast_ether_addr(&eth->dst_addr) &&
	    port < RTE_MAX_ETHPORTS &&
	    !rte_is_same_ether_addr(&eth->dst_addr, &local->port_mac[port]))
		return drop(reason, LB_DROP_OTHER_HOST);
	info->ether_type = rte_be_to_cpu_16(eth->ether_type);
	info->l3_off = sizeof(*eth);
	switch (info->ether_type) {
	case RTE_ETHER_TYPE_IPV4:
		return classify_ipv4(local, m, info, reason);
	case RTE_ETHER_TYPE_ARP:
		if (len - info->l3_off < (int)sizeof(struct rte_arp_hdr))
			return drop(reason, LB_DROP_ARP_TRUNC);
		return LB_VERDICT_CONTROL;
	case RTE_ETHER_TYPE_VLAN:
	case RTE_ETHER_TYPE_QINQ:
		return drop(reason, LB_DROP_VLAN);
	case RTE_ETHER_TYPE_IPV6:
		return drop(reason, LB_DROP_IPV6);
	default:
		return drop(reason, LB_DROP_ETHERTYPE);
	}
}
