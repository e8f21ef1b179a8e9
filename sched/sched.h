/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_SCHED_H
#define LB_SCHED_H

#include "app/service.h"

/* What a scheduler may look at for a new connection (network order). */
struct lb_sched_input {
	rte_be32_t saddr, daddr;
	rte_be16_t sport, dport;
	uint8_t proto;
	uint64_t now;			/* rte_rdtsc() of the burst: lblc/lblcr expiry */
};

/*
 * A scheduler: one per file in sched/, registered in sched/registry.c.
 * init_service builds svc->sched_data for one snapshot of a service (the
 * control lcore calls it for every new snapshot, never on a published
 * one); schedule runs on worker lcores without locks and may only write
 * per-worker state (index `worker` < nb_workers given to init_service).
 * done_service frees sched_data once no worker can see the snapshot (after
 * the RCU grace period), on the control lcore. All three are always set.
 *
 * svc->dests[] must be in the kernel's list order for decisions to match
 * IPVS: the kernel adds each new real server at the head of the service's
 * list, so the most recently added server comes first (ipvsadm -a order
 * reversed). rr, wrr, the tie rules of lc/wlc/sed/nq, the dh/sh tables and
 * the mh permutation all depend on it.
 */
struct lb_sched_ops {
	const char *name;		/* ipvsadm -s name: "rr", "wlc", ... */
	int (*init_service)(struct lb_service *svc, unsigned int nb_workers);
	void (*done_service)(struct lb_service *svc);
	struct lb_dest *(*schedule)(struct lb_service *svc,
				    const struct lb_sched_input *in, unsigned int worker);
};

/* The scheduler called name, or NULL. Any lcore. */
const struct lb_sched_ops *lb_sched_find(const char *name);

/* Names of every scheduler, space separated (for messages and help). */
const char *lb_sched_names(void);

/*
 * Check svc->sched_param for scheduler name before building a service:
 * 0 when init_service will accept it, -ENOENT for an unknown scheduler,
 * -EINVAL for a bad value (mh: table size must be 0 or a prime in
 * [2, 2^24]; other schedulers ignore the parameter). Any lcore.
 */
int lb_sched_check_param(const char *name, uint32_t param);

#endif
