/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Weighted failover (ip_vs_fo.c): every new connection goes to the usable
 * server with the highest weight; the first one in the list among equals.
 * Stateless.
 */
#include "sched/sched_priv.h"

static struct lb_dest *
fo_schedule(struct lb_service *svc, const struct lb_sched_input *in, unsigned int worker)
{
	struct lb_dest *best = NULL, *d;
	int32_t hw = 0;
	unsigned int i;

	RTE_SET_USED(in);
	RTE_SET_USED(worker);
	for (i = 0; i < svc->nb_dests; i++) {
		d = &svc->dests[i];
		if (!lb_sched_overloaded(d) && d->weight > hw) {
			best = d;
			hw = d->weight;
		}
	}
	return best;
}

const struct lb_sched_ops lb_sched_fo_ops = {
	.name = "fo",
	.init_service = lb_sched_init_none,
	.done_service = lb_sched_done_free,
	.schedule = fo_schedule,
};
