/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_ICMP_H
#define LB_ICMP_H

#include <rte_mbuf.h>

/*
 * If m holds a valid ICMP echo request (IPv4 header at l3_off, already
 * validated by lb_classify), turn it into the echo reply in place:
 * addresses and MACs swapped, TTL 64, checksums recomputed. Pure, any lcore.
 * Returns 0 when m is now a reply, -ENOENT when it is not an echo request
 * (let the kernel have it; also for fragments), -EINVAL when the ICMP message is malformed
 * (truncated or bad checksum: drop it).
 */
int lb_icmp_echo_reply(struct rte_mbuf *m, uint16_t l3_off);

#endif
