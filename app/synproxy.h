/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_SYNPROXY_H
#define LB_SYNPROXY_H

/*
 * The SYN proxy of a service with `syn_proxy` (NAT and FNAT real servers).
 *
 * Once the half-open count of the service in the current second (SYNs
 * taken minus handshakes completed, per worker) passes its threshold, and
 * until a whole second stays under half of it, a SYN gets no
 * connection: dplb answers it with a SYN-ACK whose sequence number is a
 * cookie (app/syncookie.h), advertising one segment of window and the MSS
 * alone. Only the client's ACK that proves the cookie creates the
 * connection and schedules a real server; dplb then sends the real server
 * the SYN (client's ISN, the cookie's MSS) and holds one client segment
 * until the real server's SYN-ACK, which dplb answers with the ACK itself.
 * From then on every segment's numbers are translated by the difference
 * of the two ISNs: acknowledgments from the client up, sequence numbers
 * from the real server down. A spoofed flood thus costs no table entry and
 * never reaches a real server.
 *
 * Neither side gets window scaling, SACK or timestamps on a proxied
 * connection (a cookie carries only the MSS). Proxied connections are not
 * carried across a failover by connection sync (the ISN difference is not
 * in LVS's message). Below the threshold SYNs go through as usual, and
 * ACKs of cookies still in flight keep being accepted.
 *
 * All functions: worker lcores, no locks, no allocation but the mbufs of
 * the segments made, every mbuf consumed or handed on as documented.
 */
#include <stdbool.h>
#include <stdint.h>

#include "app/conn.h"
#include "app/forward.h"
#include "app/lcore.h"

/* lb_conn.proxy */
enum lb_proxy_state {
	LB_PROXY_NONE = 0,	/* not a proxied connection */
	LB_PROXY_WAIT,		/* our SYN sent to the real server, no SYN-ACK yet */
	LB_PROXY_OPEN,		/* both handshakes done: translating */
};

/*
 * A SYN for new flow p to svc (a syn_proxy service): count it, and say
 * whether cookies answer SYNs of svc on this worker now.
 */
bool lb_synproxy_take_syn(struct lb_lcore *lc, const struct lb_service *svc, uint64_t now);

/* Answer the SYN p with a cookie SYN-ACK back out of its port. Consumes p->m. */
void lb_synproxy_answer(struct lb_lcore *lc, struct lb_fwd_pkt *p, uint64_t now);

/*
 * An ACK (no SYN, no RST) with no connection, to a syn_proxy service: the
 * MSS its cookie carries, 0 when it proves no cookie. Pure.
 */
uint16_t lb_synproxy_check_ack(const struct lb_fwd_pkt *p, uint64_t now);

/*
 * c was just created for p, whose cookie carried mss: send the real server
 * the SYN, and hold p's segment when it carries data. Consumes p->m.
 */
void lb_synproxy_open(struct lb_lcore *lc, struct lb_fwd_pkt *p, struct lb_conn *c,
		      uint16_t mss, uint64_t now);

/*
 * A packet of proxied connection c (c->proxy != LB_PROXY_NONE) in
 * direction dir: handle the real server's handshake or translate the
 * packet's numbers. True when the caller forwards p->m as usual, false
 * when it was consumed.
 */
bool lb_synproxy_packet(struct lb_lcore *lc, struct lb_fwd_pkt *p, struct lb_conn *c,
			enum lb_dir dir, uint64_t now);

/*
 * A connection of a syn_proxy service completed its handshake without a
 * cookie (SYN_RECV -> ESTABLISHED seen by this worker): count it.
 */
static inline void
lb_synproxy_done(struct lb_lcore *lc, struct lb_conn *c)
{
	c->svc->syn_win[lc->worker_index].done++;
}

/*
 * Make c, installed by connection sync, a proxied connection whose real
 * server's ISN is rs_isn and whose numbers differ by seq_delta (the
 * master's; its `ISN - cookie`). Worker lcores (the owner, installing).
 */
void lb_synproxy_adopt(struct lb_conn *c, uint32_t rs_isn, uint32_t seq_delta);

/*
 * c is being removed: free the segment it still holds, and hold none from
 * now on. Any worker (atomic).
 */
void lb_synproxy_release(struct lb_conn *c);

#endif
