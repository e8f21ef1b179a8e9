/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_LCORE_H
#define LB_LCORE_H

#include <stdbool.h>

#include <rte_ethdev.h>
#include <rte_rcu_qsbr.h>
#include <rte_ring.h>

#include "app/classify.h"
#include "app/stats.h"
#include "config/config.h"
#include "pmd-glue/neigh.h"

#define LB_BURST 32
#define LB_RING_SIZE 1024

enum lb_lcore_role {
	LB_ROLE_NONE = 0,
	LB_ROLE_CONTROL,
	LB_ROLE_WORKER,
};

struct lb_rxq {
	uint16_t port_id;
	uint16_t queue_id;
	struct rte_mempool *pool;	/* what the queue receives into */
};

/*
 * Everything one lcore needs, read and written only by that lcore except
 * where noted. Cache-aligned so lcores never share a line.
 */
struct lb_lcore {
	enum lb_lcore_role role;
	unsigned int worker_index;	/* 0..workers-1, also RX/TX queue id and RCU id */
	unsigned int nb_rxq;
	struct lb_rxq rxq[LB_MAX_IFACES];
	struct rte_eth_dev_tx_buffer *txbuf[RTE_MAX_ETHPORTS];
	struct rte_ring *to_control;	/* SP (this worker) / SC (control) */
	struct rte_ring *from_control;	/* SP (control) / SC (this worker) */
	struct rte_ring *resolve;	/* SP/SC: next hops to ARP for (lb_resolve_request) */
	struct rte_ring *park;		/* SP/SC: packets waiting for their next hop's MAC */
	uint64_t last_miss;		/* last next hop posted, and when: no flood */
	uint64_t last_miss_tsc;
	uint64_t icmp_window_tsc;	/* ICMP errors sent in the second from then */
	uint32_t icmp_sent;
	struct lb_neigh_cache neigh;	/* next hops' MACs, in front of the table */
	uint32_t cache_flush_seen;	/* last lb_mempool_flush_gen honoured */
	bool rx_dry;			/* the last empty poll found the pool dry */
	struct lb_lcore_stats stats;	/* read by control for `show stats` */
	/* per TX port: packets its queue did not take, freed (also in drops[TX_FULL]) */
	uint64_t port_tx_full[RTE_MAX_ETHPORTS];
} __rte_cache_aligned;

extern struct lb_lcore lb_lcores[RTE_MAX_LCORE];
extern volatile bool lb_force_quit;
extern struct lb_local lb_local;
extern struct rte_rcu_qsbr *lb_rcu;	/* workers report quiescent states here */
/*
 * lb_rcu thread id of the control lcore: it reads the workers' connection
 * tables (show conn) between rte_rcu_qsbr_thread_online/offline, and is
 * offline (never waited for) the rest of the time.
 */
#define LB_RCU_CONTROL (lb_nb_workers)
extern unsigned int lb_nb_workers;
extern unsigned int lb_worker_lcore[LB_MAX_WORKERS];	/* worker index -> lcore id */

/*
 * Give each EAL lcore its role (main = control, others = workers), create
 * the worker<->control rings and the RCU QSBR variable. Call after EAL init,
 * before ports. Returns 0 or -errno.
 */
int lb_lcores_init(const struct lb_config *cfg);

/*
 * Give every worker one RX queue (its worker index) on each data port and a
 * TX buffer per port. Call after ports are configured. Returns 0 or -errno.
 */
int lb_lcores_attach_ports(void);

/*
 * Free the mbufs still in the worker<->control rings (frames the control
 * lcore queued for TX after the workers stopped, parked packets). Workers
 * stopped; before the mbuf pools are freed (lb_ports_term calls it).
 */
void lb_lcores_drain(void);

/* Free rings, TX buffers and RCU state. Workers must have stopped. */
void lb_lcores_term(void);

/*
 * Send a frame out of data port m->port from the control lcore: it is
 * handed to a worker, which owns the port's TX queues. Consumes m (freed
 * and counted when the ring is full). Control lcore only.
 */
void lb_ctrl_tx(struct rte_mbuf *m);

/*
 * Ask the control lcore to resolve nexthop (network order) on port_id: a
 * packet found no MAC for it. Posted at most every 100 ms per address and
 * worker; dropped silently when the ring is full. Worker lc only.
 */
void lb_resolve_request(struct lb_lcore *lc, uint16_t port_id, rte_be32_t nexthop,
			uint64_t now);

/*
 * Hand m, bound for nexthop (network order) on port_id whose MAC is not
 * known yet, to the control lcore to hold until it is (lb_park_poll);
 * false when the ring is full (the caller drops it). Worker lc only.
 */
bool lb_park(struct lb_lcore *lc, struct rte_mbuf *m, uint16_t port_id, rte_be32_t nexthop);

/*
 * Take every worker's pending resolve requests, calling probe for each.
 * Control lcore. Returns the number taken.
 */
unsigned int lb_resolve_drain(void (*probe)(uint16_t port_id, rte_be32_t ip));

/*
 * The error callback of the workers' TX buffers (rte_eth_tx_buffer): a
 * port's queue took only part of a burst. Frees the unsent packets, adds
 * them to *(uint64_t *)userdata (the worker's port_tx_full slot of that
 * port) and to the calling lcore's tx_full drops. The lcore that owns the
 * buffer.
 */
void lb_txbuf_unsent(struct rte_mbuf **pkts, uint16_t unsent, void *userdata);

/* Sum of every worker's port_tx_full[port_id]. Control lcore. */
uint64_t lb_lcores_tx_full(uint16_t port_id);

/* Count a drop on the calling lcore. */
static inline void
lb_count_drop(enum lb_drop_reason r)
{
	lb_lcores[rte_lcore_id() < RTE_MAX_LCORE ? rte_lcore_id() : 0].stats.drops[r]++;
}

#endif
