/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Shortest expected delay (ip_vs_sed.c): the server with the smallest
 * (activeconns + 1) / weight -- inactive connections are not counted, the
 * +1 is the incoming connection. First usable server, then any later
 * non-overloaded one with loh * dw > doh * lw; ties keep the earlier one.
 * Stateless.
 */
#include "sched/sched_priv.h"

static struct lb_dest *
sed_schedule(struct lb_service *svc, const struct lb_sched_input *in, unsigned int worker)
{
	struct lb_dest *least = NULL, *d;
	int64_t loh = 0, doh;
	unsigned int i;

	RTE_SET_USED(in);
	RTE_SET_USED(worker);
	for (i = 0; i < svc->nb_dests; i++) {
		d = &svc->dests[i];
		if (least == NULL) {
			if (lb_dest_usable(d)) {
				least = d;
				loh = (int64_t)lb_sched_active(d) + 1;
			}
			continue;
		}
		if (lb_sched_overloaded(d))
			continue;
		doh = (int64_t)lb_sched_active(d) + 1;
		if (loh * d->weight > doh * least->weight) {
			least = d;
			loh = doh;
		}
	}
	return least;
}

const struct lb_sched_ops lb_sched_sed_ops = {
	.name = "sed",
	.init_service = lb_sched_init_none,
	.done_service = lb_sched_done_free,
	.schedule = sed_schedule,
};
