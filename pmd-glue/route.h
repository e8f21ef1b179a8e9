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

/*
 * The box's address to use as source towards dst out of port_id: the one
 * on dst's subnet, else the port's first one (network order; 0 when the
 * port has none). Any lcore.
 */
rte_be32_t lb_route_source(uint16_t port_id, rte_be32_t dst);

#endif
