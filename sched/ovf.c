/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Overflow connection (ip_vs_ovf.c): the highest-weight usable server
 * whose active connections do not exceed its weight (activeconns <=
 * weight, as the kernel's `activeconns > w` skip); the first one in the
 * list among equals. Inactive connections are not counted. Stateless.
 */
#include "sched/sched_priv.h"

static struct lb_dest *
ovf_schedule(struct lb_service *svc, const struct lb_sched_input *in, unsigned int worker)
{
	struct lb_dest *best = NULL, *d;
	unsigned int i;

	RTE_SET_USED(in);
	RTE_SET_USED(worker);
	for (i = 0; i < svc->nb_dests; i++) {
		d = &svc->dests[i];
		if (!lb_dest_usable(d) || lb_sched_active(d) > d->weight)
			continue;
		if (best == NULL || d->weight > best->weight)
			best = d;
	}
	return best;
}

const struct lb_sched_ops lb_sched_ovf_ops = {
	.name = "ovf",
	.init_service = lb_sched_init_none,
	.done_service = lb_sched_done_free,
	.schedule = ovf_schedule,
};
