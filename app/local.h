/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_LOCAL_H
#define LB_LOCAL_H

#include <rte_mbuf.h>

/*
 * Handle one frame a worker classified as "for the box" (m->l2_len and
 * m->l3_len hold the offsets the worker found): answer ARP for the box's
 * addresses and learn neighbours, answer ICMP echo, and give everything
 * else to the kernel through the exception path. Consumes m. Control lcore.
 */
void lb_local_input(struct rte_mbuf *m);

/*
 * Hand a frame the kernel sent on a TAP to the wire of its data port.
 * ARP requests from the kernel also go out; the kernel does its own ARP.
 * Consumes m. Control lcore.
 */
void lb_local_from_kernel(uint16_t data_port_id, struct rte_mbuf *m);

/* Send an ARP request for ip (network order) out of port_id. Control lcore. */
void lb_local_arp_probe(uint16_t port_id, rte_be32_t ip);

/*
 * Send ARP requests for every real server's next hop and every gateway not
 * in the neighbour table yet, so the first packets find their MACs.
 * Control lcore; called at start and once a second.
 */
void lb_local_resolve_dests(void);

#endif
