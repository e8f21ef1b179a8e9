/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_FORWARD_H
#define LB_FORWARD_H

#include "app/classify.h"
#include "app/conn.h"
#include "app/lcore.h"

/* A transit TCP/UDP packet between the stages of lb_forward_burst. */
struct lb_fwd_pkt {
	struct rte_mbuf *m;
	struct lb_pkt_info info;
	struct lb_conn_key key;		/* as it arrived */
	uint8_t flags;			/* TCP flags, 0 for UDP */
};

/*
 * First stage for one transit IPv4 frame (verdict FORWARD): ICMP errors
 * and echo to a VIP are handled at once, other protocols, fragments and
 * truncated L4 headers dropped and counted. Returns true when m goes on
 * to lb_forward_burst in *p, false when it was consumed. Worker lcores.
 */
bool lb_forward_prepare(struct lb_lcore *lc, struct rte_mbuf *m, const struct lb_pkt_info *info,
			struct lb_fwd_pkt *p, uint64_t now);

/*
 * Forward n prepared packets (n <= LB_BURST): look their connections up
 * together (prefetching, so the cache misses overlap), schedule new flows
 * to virtual services, rewrite for the connection's method (NAT, DR, TUN,
 * FNAT), set the next hop's MAC and queue them on the outgoing port.
 * Consumes every mbuf; drops are counted by reason. No locks, no
 * syscalls, no allocation. Worker lcores.
 */
void lb_forward_burst(struct lb_lcore *lc, struct lb_fwd_pkt *p, unsigned int n, uint64_t now);

#endif
