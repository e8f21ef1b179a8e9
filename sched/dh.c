/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Destination hashing (ip_vs_dh.c): the destination address picks one of
 * 256 buckets, (ntohl(daddr) * 2654435761) & 255, and the kernel fills
 * bucket i with the i-th server of the list modulo the number of servers
 * (weights are ignored), so the table is simply bucket % nb_dests. A
 * quiesced or overloaded server makes the lookup fail; there is no
 * fallback. Stateless.
 */
#include "sched/sched_priv.h"

#define DH_TAB_MASK	255u

static struct lb_dest *
dh_schedule(struct lb_service *svc, const struct lb_sched_input *in, unsigned int worker)
{
	uint32_t bucket;
	struct lb_dest *d;

	RTE_SET_USED(worker);
	if (svc->nb_dests == 0)
		return NULL;
	bucket = (rte_be_to_cpu_32(in->daddr) * 2654435761u) & DH_TAB_MASK;
	d = &svc->dests[bucket % svc->nb_dests];
	return lb_dest_usable(d) ? d : NULL;
}

const struct lb_sched_ops lb_sched_dh_ops = {
	.name = "dh",
	.init_service = lb_sched_init_none,
	.done_service = lb_sched_done_free,
	.schedule = dh_schedule,
};
