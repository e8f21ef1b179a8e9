/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CLASSIFY_H
#define LB_CLASSIFY_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "app/stats.h"

#define LB_MAX_LOCAL_ADDRS 128

/*
 * What the box owns on its data ports: its MACs (one per port) and its
 * IPv4 addresses. Built once at start by the control lcore and only read
 * by workers afterwards.
 */
struct lb_local {
	struct rte_ether_addr port_mac[RTE_MAX_ETHPORTS];
	rte_be32_t addrs[LB_MAX_LOCAL_ADDRS];	/* network byte order */
	unsigned int nb_addrs;
	uint64_t addr_filter;	/* a bit per address (lb_local_addr_bit): most
				 * transit packets are told not mine by it */
	bool vip_reject;	/* answer VIP ports without a service (RST / ICMP) */
	bool sloppy_tcp;	/* a TCP non-SYN (not RST) may open a connection */
	bool keep_ttl;		/* decrement_ttl = false: forward with the TTL as it came */
};

enum lb_verdict {
	LB_VERDICT_DROP = 0,	/* free it, reason in *reason */
	LB_VERDICT_CONTROL,	/* for the box itself (its addresses, multicast,
				 * broadcast): hand to the control lcore */
	LB_VERDICT_FORWARD,	/* transit IPv4 for the forwarding path */
};

/*
 * Parsed offsets of a packet that passed classification; valid only when
 * the verdict is not DROP.
 */
struct lb_pkt_info {
	uint16_t ether_type;	/* host order, after Ethernet header */
	uint16_t l3_off;	/* offset of ARP or IPv4 header */
	uint16_t l4_off;	/* IPv4: offset of L4 header */
	uint16_t l3_len;	/* IPv4: total length */
	uint8_t proto;		/* IPv4: protocol */
};

/*
 * Look at one received frame and decide where it goes. Pure: reads the
 * packet and `local`, writes only *info and *reason; every header is
 * bounds-checked against the data in the first segment before it is read.
 * Frames with trailing padding past the IPv4 total length are accepted
 * (Ethernet pads short frames). Thread-safe, any lcore.
 */
enum lb_verdict lb_classify(const struct lb_local *local, uint16_t port,
			    const struct rte_mbuf *m, struct lb_pkt_info *info,
			    enum lb_drop_reason *reason);

/* addr's bit in lb_local.addr_filter: a multiplicative hash to 6 bits. */
static inline uint64_t
lb_local_addr_bit(rte_be32_t addr)
{
	return 1ull << ((uint32_t)(addr * 0x9e3779b1u) >> 26);
}

/*
 * Add addr (network order) to the box's addresses: false when there are
 * LB_MAX_LOCAL_ADDRS already. Control lcore, before the workers start.
 */
static inline bool
lb_local_add_addr(struct lb_local *local, rte_be32_t addr)
{
	if (local->nb_addrs >= LB_MAX_LOCAL_ADDRS)
		return false;
	local->addrs[local->nb_addrs++] = addr;
	local->addr_filter |= lb_local_addr_bit(addr);
	return true;
}

/*
 * True when addr (network order) is one of the box's addresses. The
 * filter answers most transit packets without the list (a loop over two
 * addresses cost 16 instructions a packet: test/perf/instr_count.sh).
 */
static inline bool
lb_local_is_mine(const struct lb_local *local, rte_be32_t addr)
{
	unsigned int i;

	if (!(local->addr_filter & lb_local_addr_bit(addr)))
		return false;
	for (i = 0; i < local->nb_addrs; i++)
		if (local->addrs[i] == addr)
			return true;
	return false;
}

#endif
