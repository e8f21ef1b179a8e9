/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_VRRP_UNICAST_H
#define LB_VRRP_UNICAST_H

/*
 * unicast_peer instances (keepalived's): each advert goes to every peer's
 * address, its MAC from the neighbour table, an ARP probe sent for a peer
 * (or its gateway) not resolved yet. Everything here runs on the control
 * lcore only; not thread-safe.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_byteorder.h>
#include <rte_ether.h>

#include "config/config.h"
#include "pmd-glue/port.h"

/* Unicast state of one instance (zeroed with it). */
struct lb_vrrp_uc {
	uint64_t probe_at[LB_VRRP_MAX_PEERS];	/* no ARP probe for peer k before (us) */
	uint64_t tx_unresolved;		/* adverts not sent: next hop's MAC unknown */
};

/*
 * The destination MAC of an advert to peer k of c out of port, at time now
 * (monotonic us): the neighbour entry of the peer when it is on a subnet of
 * the port, else of the port's gateway. When there is none yet, counts the
 * advert in uc->tx_unresolved, sends an ARP request for that next hop (at
 * most one a second per peer) and returns -EHOSTUNREACH; else 0.
 */
int lb_vrrp_uc_dst_mac(struct lb_vrrp_uc *uc, const struct lb_cfg_vrrp *c, unsigned int k,
		       const struct lb_port *port, uint64_t now, struct rte_ether_addr *mac);

/*
 * ARP-probe the next hop of each of c's peers not in the neighbour table
 * yet (at startup, so that the first advert finds its MAC).
 */
void lb_vrrp_uc_resolve(struct lb_vrrp_uc *uc, const struct lb_cfg_vrrp *c,
			const struct lb_port *port, uint64_t now);

/* True when src (network order) is one of c's unicast peers. */
bool lb_vrrp_uc_is_peer(const struct lb_cfg_vrrp *c, rte_be32_t src);

/*
 * One line for `show vrrp`: c's peers and how many adverts found no MAC.
 * Prints nothing for a multicast instance.
 */
void lb_vrrp_uc_show(FILE *out, const struct lb_cfg_vrrp *c, const struct lb_vrrp_uc *uc);

#endif
