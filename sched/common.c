/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What several schedulers share: memory for per-worker state, the weighted
 * least-connection pick of IPVS (wlc, lblc, lblcr) and lblc's overload rule.
 */
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>

#include "sched/sched_priv.h"

void *
lb_sched_zalloc(size_t size)
{
	size_t sz = RTE_ALIGN_CEIL(size ? size : 1, RTE_CACHE_LINE_SIZE);
	void *p = aligned_alloc(RTE_CACHE_LINE_SIZE, sz);

	if (p != NULL)
		memset(p, 0, sz);
	return p;
}

int
lb_sched_check_workers(unsigned int nb_workers)
{
	return nb_workers == 0 || nb_workers > LB_MAX_WORKERS ? -EINVAL : 0;
}

int
lb_sched_init_none(struct lb_service *svc, unsigned int nb_workers)
{
	svc->sched_data = NULL;
	return lb_sched_check_workers(nb_workers);
}

void
lb_sched_done_free(struct lb_service *svc)
{
	free(svc->sched_data);
	svc->sched_data = NULL;
}

uint64_t
lb_sched_tsc_seconds(uint64_t sec)
{
	uint64_t hz = rte_get_tsc_hz();

	if (hz == 0 || sec > INT64_MAX / hz)
		return INT64_MAX;
	return hz * sec;
}

/*
 * ip_vs_wlc.c: the first usable server, then any later one that is not
 * overloaded and has a strictly smaller overhead/weight, compared by
 * cross-multiplication (loh * dw > doh * lw). Ties keep the earlier one;
 * a later weight-0 server never wins because loh * 0 > doh * lw is false.
 */
struct lb_dest *
lb_sched_wlc_pick(struct lb_service *svc)
{
	struct lb_dest *least = NULL, *d;
	int64_t loh = 0, doh;
	unsigned int i;

	for (i = 0; i < svc->nb_dests; i++) {
		d = &svc->dests[i];
		if (least == NULL) {
			if (lb_dest_usable(d)) {
				least = d;
				loh = lb_sched_overhead(d);
			}
			continue;
		}
		if (lb_sched_overloaded(d))
			continue;
		doh = lb_sched_overhead(d);
		if (loh * d->weight > doh * least->weight) {
			least = d;
			loh = doh;
		}
	}
	return least;
}

bool
lb_sched_lblc_overloaded(const struct lb_service *svc, const struct lb_dest *d)
{
	unsigned int i;

	if (lb_sched_active(d) <= d->weight)
		return false;
	for (i = 0; i < svc->nb_dests; i++)
		if ((int64_t)lb_sched_active(&svc->dests[i]) * 2 < svc->dests[i].weight)
			return true;
	return false;
}
