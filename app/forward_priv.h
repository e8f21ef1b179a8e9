/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_FORWARD_PRIV_H
#define LB_FORWARD_PRIV_H

/*
 * The forwarding path's last steps, shared by forward.c and the SYN proxy
 * (synproxy.c). Worker lcores; each consumes the mbuf it is given.
 */
#include <netinet/in.h>

#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "app/classify.h"
#include "app/conn.h"
#include "app/lcore.h"

/*
 * The TCP header of a transit TCP packet m (info->proto IPPROTO_TCP):
 * lb_pkt_ports checked that the whole header is in the frame.
 */
static inline const struct rte_tcp_hdr *
lb_fwd_tcp_hdr(const struct rte_mbuf *m, const struct lb_pkt_info *info)
{
	return rte_pktmbuf_mtod_offset(m, const struct rte_tcp_hdr *, info->l4_off);
}

static inline void
lb_fwd_drop(struct lb_lcore *lc, struct rte_mbuf *m, enum lb_drop_reason r)
{
	lc->stats.drops[r]++;
	rte_pktmbuf_free(m);
}

/* Set the MACs for nexthop on port_id and queue m there (parked while ARP asks). */
void lb_fwd_send_to(struct lb_lcore *lc, struct rte_mbuf *m, uint16_t port_id,
		    rte_be32_t nexthop, uint64_t now);

/* Queue m back out of the port it came in on; its MACs are already swapped. */
void lb_fwd_send_back(struct lb_lcore *lc, struct rte_mbuf *m);

/*
 * A packet of connection c in direction dir with TCP flags: advance c's
 * state, count it on the service and real server, rewrite it for c's
 * method and send it on.
 */
void lb_fwd_conn_packet(struct lb_lcore *lc, struct rte_mbuf *m, const struct lb_pkt_info *info,
			struct lb_conn *c, enum lb_dir dir, uint8_t flags, uint64_t now);

#endif
