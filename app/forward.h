/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_FORWARD_H
#define LB_FORWARD_H

#include "app/classify.h"
#include "app/lcore.h"

/*
 * Forward one transit IPv4 frame on worker lc: find its connection (or
 * schedule a new one when it opens a flow to a virtual service), rewrite it
 * for the connection's method (NAT, DR, TUN, FNAT), set the next hop's MAC
 * and queue it on the outgoing port. Consumes m; every drop is counted by
 * reason. No locks, no syscalls, no allocation. Worker lcores.
 */
void lb_forward(struct lb_lcore *lc, struct rte_mbuf *m, const struct lb_pkt_info *info,
		uint64_t now);

#endif
