/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_SERVICE_H
#define LB_SERVICE_H

/*
 * Virtual services and real servers as workers see them.
 *
 * A service (struct lb_service) and its real servers (struct lb_dest) are
 * immutable once published: the control lcore builds a new snapshot for any
 * change and frees the old one after an RCU grace period. What must survive
 * a change -- connection counts and traffic counters -- lives in separately
 * allocated state objects (lb_dest_state, lb_svc_state) that the snapshots
 * point to: a real server kept across an `ipvsadm -e` keeps its state.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "config/config.h"

/* Traffic counters of one worker; summed on read by the control lcore. */
struct lb_counters {
	uint64_t conns;
	uint64_t inpkts, outpkts;
	uint64_t inbytes, outbytes;
} __rte_cache_aligned;

/*
 * Rates as `ipvsadm --rate` shows them: connections, packets and bytes per
 * second, averaged like LVS's estimator (every 2 s, new = old + (sample -
 * old) / 4). Written by the control lcore only.
 */
struct lb_rate_est {
	uint64_t last[5];		/* conns, inpkts, outpkts, inbytes, outbytes */
	double rate[5];
	uint64_t zeroed[5];		/* the sums at the last ipvsadm -Z (shown minus these) */
};

/* Real-server state shared by every worker and every snapshot. */
struct lb_dest_state {
	int32_t activeconns;		/* atomics: ESTABLISHED TCP connections */
	int32_t inactconns;		/* atomics: every other connection */
	int32_t persistconns;		/* atomics: persistence templates */
	uint32_t flags;			/* atomics: LB_DEST_F_* */
	uint32_t passive_fails;		/* atomics: SYNs the server refused (RST), NAT/FNAT */
	uint32_t u_threshold;		/* atomics: the newest snapshot's -x and -y, so */
	uint32_t l_threshold;		/* connections re-evaluate overload by them */
	uint32_t refcnt;		/* control lcore only: snapshots using it */
	struct lb_rate_est est;		/* control lcore only */
	struct lb_counters stats[LB_MAX_WORKERS];
};

#define LB_DEST_F_AVAILABLE	0x1	/* in the service (health checks may clear) */
#define LB_DEST_F_OVERLOAD	0x2	/* over -x; cleared under -y */

struct lb_dest {
	rte_be32_t addr;
	rte_be16_t port;
	enum lb_fwd fwd;
	int32_t weight;			/* 0 = quiesced: no new connections */
	uint32_t u_threshold;		/* -x, 0 = none */
	uint32_t l_threshold;		/* -y, 0 = under 3/4 of u_threshold */
	struct lb_dest_state *state;
	uint16_t port_id;		/* DPDK port towards it (set by the service table) */
	rte_be32_t nexthop;		/* itself when on-link, else the gateway */
};

struct lb_src_bucket;

/*
 * One worker's view of a SYN-proxy service's handshakes in the current
 * second: SYNs taken (answered with a cookie or given a connection) and
 * handshakes completed. Their difference is the half-open rate that turns
 * cookies on (app/synproxy.c). Written by its worker only.
 */
struct lb_synproxy_win {
	uint64_t start_tsc;
	uint32_t syns, done;
	bool active;			/* answering SYNs with cookies this second */
} __rte_cache_aligned;

struct lb_svc_state {
	uint32_t refcnt;		/* control lcore only */
	struct lb_rate_est est;		/* control lcore only */
	struct lb_counters stats[LB_MAX_WORKERS];
	struct lb_synproxy_win syn_win[LB_MAX_WORKERS];
	struct lb_src_bucket *src_buckets; /* rate_limit: LB_SRC_SLOTS per worker, or NULL */
};

struct lb_sched_ops;

struct lb_service {
	uint8_t proto;			/* IPPROTO_TCP / IPPROTO_UDP */
	rte_be32_t vip;
	rte_be16_t vport;
	uint32_t flags;			/* LB_SVC_F_* */
	uint32_t timeout;		/* persistence, seconds (-p) */
	rte_be32_t netmask;		/* persistence granularity (-M) */
	const struct lb_sched_ops *sched;
	void *sched_data;		/* owned by sched; built for this snapshot */
	uint32_t sched_param;		/* e.g. mh table size; 0 = scheduler default */
	struct lb_svc_state *state;
	rte_be32_t laddrs[LB_MAX_LADDRS];	/* FNAT source addresses */
	unsigned int nb_laddrs;
	const struct lb_cfg_acl *acl;	/* who may connect; NULL = anyone */
	uint32_t src_rate, src_burst;	/* rate_limit per source; 0 = none */
	bool syn_proxy;			/* SYN cookies (app/synproxy.h) */
	uint32_t syn_proxy_thresh;	/* half-open conns/s per worker that start them; 0 always */
	unsigned int nb_dests;
	struct lb_dest dests[];		/* immutable in a published snapshot */
};

/* Active + inactive connections of d (atomic reads; any lcore). */
static inline uint32_t
lb_dest_conns(const struct lb_dest *d)
{
	return (uint32_t)__atomic_load_n(&d->state->activeconns, __ATOMIC_RELAXED) +
	       (uint32_t)__atomic_load_n(&d->state->inactconns, __ATOMIC_RELAXED);
}

/*
 * True when d may take a new connection: weight > 0 and not overloaded
 * (LVS's test in every scheduler). Any lcore.
 */
static inline bool
lb_dest_usable(const struct lb_dest *d)
{
	return d->weight > 0 &&
	       !(__atomic_load_n(&d->state->flags, __ATOMIC_RELAXED) & LB_DEST_F_OVERLOAD);
}

/*
 * Re-evaluate d's overload flag after its connection count changed, as
 * LVS does: set at u_threshold, cleared below l_threshold (3/4 of the
 * upper one when unset). Any lcore (atomic).
 */
static inline void
lb_dest_update_overload(const struct lb_dest *d)
{
	uint32_t conns;
	bool clear;

	if (d->u_threshold == 0 && d->l_threshold == 0)
		return;
	conns = lb_dest_conns(d);
	if (d->u_threshold != 0 && conns >= d->u_threshold) {
		__atomic_fetch_or(&d->state->flags, LB_DEST_F_OVERLOAD, __ATOMIC_RELAXED);
		return;
	}
	if (d->l_threshold != 0)
		clear = conns < d->l_threshold;
	else
		clear = (uint64_t)conns * 4 < (uint64_t)d->u_threshold * 3;
	if (clear)
		__atomic_fetch_and(&d->state->flags, ~(uint32_t)LB_DEST_F_OVERLOAD,
				   __ATOMIC_RELAXED);
}

#endif
