/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_SYNC_FRAME_H
#define LB_SYNC_FRAME_H

/* Private to sync/: sync messages in Ethernet/IPv4/UDP frames. */
#include <rte_ether.h>
#include <rte_mbuf.h>

#include "sync/sync_priv.h"

#define LB_SYNC_FRAME_HDRS 42	/* Ethernet 14 + IPv4 20 + UDP 8 */

/*
 * A frame from pool carrying the len bytes of msg from r's address (and
 * r's port's MAC; r->port may be NULL) to dst: the multicast group (mac
 * NULL: its group MAC, r's TTL) or a peer (mac: its next hop's, TTL 64);
 * UDP and IP checksums filled, l2_len/l3_len set. NULL when no mbuf or
 * room. Any lcore with its own pool.
 */
struct rte_mbuf *lb_sync_build_frame(struct rte_mempool *pool, const struct lb_sync_run *r,
				     rte_be32_t dst, const struct rte_ether_addr *mac,
				     const uint8_t *msg, size_t len);

/*
 * Send the len bytes of msg from r's interface to dst: the multicast group
 * (mac NULL: its group MAC, r's TTL) or a peer (mac: its next hop's, TTL
 * 64). Counts tx_msgs/tx_bytes, or tx_no_mbuf. Control lcore.
 */
void lb_sync_send_frame(const struct lb_sync_run *r, rte_be32_t dst,
			const struct rte_ether_addr *mac, const uint8_t *msg, size_t len);

/*
 * The sync payload of IPv4 frame m (l2_len, l3_len set) for r: UDP to r's
 * port, to r's group or r's interface address. Returns 0 (*payload, *len
 * set), -ENOENT (not a sync message), -EEXIST (sent by this box),
 * -EINVAL (bad UDP length or checksum). Every header is bounds-checked.
 */
int lb_sync_parse_frame(const struct rte_mbuf *m, const struct lb_sync_run *r,
			const uint8_t **payload, size_t *len);

#endif
