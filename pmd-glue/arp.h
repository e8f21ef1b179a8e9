/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_ARP_H
#define LB_ARP_H

#include <rte_arp.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

/* An ARP message for IPv4 over Ethernet, addresses in network order. */
struct lb_arp {
	uint16_t op;			/* RTE_ARP_OP_REQUEST or RTE_ARP_OP_REPLY */
	struct rte_ether_addr sha, tha;
	rte_be32_t sip, tip;
};

/*
 * Decode the ARP message at offset l3_off of m. Accepts only Ethernet/IPv4
 * requests and replies. Pure, any lcore. Returns 0, -EMSGSIZE when the
 * frame is too short, -EINVAL when it is not Ethernet/IPv4 or the opcode
 * is unknown.
 */
int lb_arp_decode(const struct rte_mbuf *m, uint16_t l3_off, struct lb_arp *arp);

/*
 * Turn the ARP request held in m (decoded as req) into the reply from
 * (mac, req->tip), in place, addressed to the requester. Pure, any lcore.
 */
void lb_arp_make_reply(struct rte_mbuf *m, uint16_t l3_off, const struct lb_arp *req,
		       const struct rte_ether_addr *mac);

/*
 * Build a broadcast ARP request from (mac, sip) for tip in a new mbuf of
 * pool. With sip == tip it is a gratuitous ARP. Returns NULL when the pool
 * is empty. Any lcore.
 */
struct rte_mbuf *lb_arp_build_request(struct rte_mempool *pool,
				      const struct rte_ether_addr *mac,
				      rte_be32_t sip, rte_be32_t tip);

#endif
