/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_ROUTE_H
#define LB_ROUTE_H

#include <rte_byteorder.h>

/*
 * Where to send a packet for dst (network order): the data port whose
 * subnet holds dst (next hop dst itself), else the first port with a
 * gateway (next hop the gateway). Reads the interface config, which does
 * not change while running; any lcore. Returns 0 or -ENETUNREACH.
 */
int lb_route_lookup(rte_be32_t dst, uint16_t *port_id, rte_be32_t *nexthop);

#endif
