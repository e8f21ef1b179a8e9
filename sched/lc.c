/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Least connection (ip_vs_lc.c): the usable server with the smallest
 * overhead activeconns * 256 + inactconns, weights otherwise ignored; on a
 * tie the first one in the list wins. Stateless.
 */
#include "sched/sched_priv.h"

static struct lb_dest *
lc_schedule(struct lb_service *svc, const struct lb_sched_input *in, unsigned int worker)
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
		doh = lb_sched_overhead(d);
		if (least == NULL || doh < loh) {
			least = d;
			loh = doh;
		}
	}
	return least;
}

const struct lb_sched_ops lb_sched_lc_ops = {
	.name = "lc",
	.init_service = lb_sched_init_none,
	.done_service = lb_sched_done_free,
	.schedule = lc_schedule,
};
