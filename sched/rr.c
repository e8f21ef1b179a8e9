/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Round robin (ip_vs_rr.c): each worker keeps its own cursor and hands the
 * next connection to the first usable server after the last one it chose,
 * skipping quiesced (weight 0) and overloaded servers.
 */
#include "sched/sched_priv.h"

struct rr_worker {
	unsigned int next;		/* where the next scan starts */
} __rte_cache_aligned;

static int
rr_init(struct lb_service *svc, unsigned int nb_workers)
{
	if (lb_sched_check_workers(nb_workers) != 0)
		return -EINVAL;
	svc->sched_data = lb_sched_zalloc(sizeof(struct rr_worker) * nb_workers);
	return svc->sched_data == NULL ? -ENOMEM : 0;
}

static struct lb_dest *
rr_schedule(struct lb_service *svc, const struct lb_sched_input *in, unsigned int worker)
{
	struct rr_worker *w = (struct rr_worker *)svc->sched_data + worker;
	unsigned int n = svc->nb_dests, i, j = w->next;

	RTE_SET_USED(in);
	for (i = 0; i < n; i++, j++) {
		if (j >= n)
			j = 0;
		if (lb_dest_usable(&svc->dests[j])) {
			w->next = j + 1;
			return &svc->dests[j];
		}
	}
	return NULL;
}

const struct lb_sched_ops lb_sched_rr_ops = {
	.name = "rr",
	.init_service = rr_init,
	.done_service = lb_sched_done_free,
	.schedule = rr_schedule,
};
