/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_PARK_H
#define LB_PARK_H

#include <rte_byteorder.h>

/*
 * Take the packets workers parked (lb_park) and send those whose next hop
 * has a MAC now; drop those older than a second (neighbour_unresolved);
 * call probe (rate-limited ARP) for the rest. Control lcore, every loop.
 * Returns units of work done.
 */
unsigned int lb_park_poll(void (*probe)(uint16_t port_id, rte_be32_t ip));

/* Free every held packet. Control lcore, at shutdown. */
void lb_park_term(void);

#endif
