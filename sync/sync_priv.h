/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_SYNC_PRIV_H
#define LB_SYNC_PRIV_H

/* Private to sync/: what the worker side and the control side share. */
#include <rte_ring.h>

#include "sync/codec.h"
#include "sync/sync.h"

#define LB_SYNC_RING_SIZE 4096	/* events per worker, each way */

/* One worker's rings and counters (each counter written by one lcore). */
struct lb_sync_wk {
	struct rte_ring *events;	/* SP this worker / SC control: to send */
	struct rte_ring *installs;	/* SP control / SC this worker: to install */
	uint64_t ev_queued, ev_dropped;	/* this worker: events queued / ring full */
	uint64_t installed, updated;	/* this worker: backup side */
	uint64_t no_service, no_dest, create_failed, conflict;
} __rte_cache_aligned;

extern struct lb_sync_wk lb_sync_wk[LB_MAX_WORKERS];
extern uint64_t lb_sync_threshold_tsc, lb_sync_refresh_tsc;	/* set by control */

/* The event of c in state st (for the wire); expire: the master removed it. */
void lb_sync_conn_fill(struct lb_sync_conn *e, const struct lb_conn *c, uint8_t st,
		       uint64_t now, bool expire);

struct lb_port;

/* One role as it runs (network order where it goes on the wire). */
struct lb_sync_run {
	bool on;
	struct lb_port *port;		/* --mcast-interface */
	rte_be32_t src;			/* the interface's first address */
	rte_be32_t group;
	rte_be16_t udp_port;
	uint8_t syncid, ttl;
	uint16_t maxlen;
};

/* The daemon's state and counters; control lcore only. */
struct lb_sync_state {
	const struct lb_config *cfg;
	struct lb_sync_run run[LB_SYNC_ROLES];
	int vrrp_state;			/* of cfg->sync.vrrp_instance, as last seen */
	uint8_t *msg;			/* the master's message being filled */
	uint64_t first_tsc;		/* when its first connection went in */
	uint64_t tx_msgs, tx_conns, tx_bytes, tx_no_mbuf, tx_no_neigh, tx_no_route;
	uint64_t rx_msgs, rx_conns, rx_own, rx_bad_udp, rx_not_a_peer, rx_install_full;
	uint64_t rx_err[LB_SYNC_ERR_MAX];	/* [LB_SYNC_OK] = messages decoded */
	uint64_t rx_skip[LB_SYNC_SKIP_MAX];
};

extern struct lb_sync_state lb_sync;

/* Have the owners report removed synced connections. Control lcore, at init. */
void lb_sync_hook_removed(void);

#endif
