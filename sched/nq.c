/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Never queue (ip_vs_nq.c): the first usable server with no active
 * connection if there is one, otherwise sed's choice, the smallest
 * (activeconns + 1) / weight with the earlier server winning ties.
 * Stateless.
 */
#include "sched/sched_priv.h"

static struct lb_dest *
nq_schedule(struct lb_service *svc, const struct lb_sched_input *in, unsigned int worker)
{
	struct lb_dest *least = NULL, *d;
	int64_t loh = 0, doh;
	unsigned int i;

	RTE_SET_USED(in);
	RTE_SET_USED(worker);
	for (i = 0; i < svc->nb_dests; i++) {
		d = &svc->dests[i];
		if (!lb_dest_usable(d))
			continue;
		doh = (int64_t)lb_sched_active(d) + 1;
		if (doh == 1)
			return d;		/* idle: take it */
		if (least == NULL || loh * d->weight > doh * least->weight) {
			least = d;
			loh = doh;
		}
	}
	return least;
}

const struct lb_sched_ops lb_sched_nq_ops = {
	.name = "nq",
	.init_service = lb_sched_init_none,
	.done_service = lb_sched_done_free,
	.schedule = nq_schedule,
};
