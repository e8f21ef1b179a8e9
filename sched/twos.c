/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Weighted random of two choices (ip_vs_twos.c): draw two servers at
 * random in proportion to their weights and keep the one with the lower
 * overhead/weight (activeconns * 256 + inactconns, compared by
 * cross-multiplication; the first draw wins ties). As in the kernel, both
 * draws are uniform in [0, total weight] inclusive and take the first
 * usable server whose running weight sum reaches them. Each worker has its
 * own PRNG (xorshift64*, seeded on the control lcore), so nothing is shared.
 */
#include <rte_branch_prediction.h>
#include <rte_cycles.h>

#include "sched/sched_priv.h"

struct twos_worker {
	uint64_t rng;
} __rte_cache_aligned;

static uint64_t
twos_splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static inline uint32_t
twos_rand(struct twos_worker *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return (uint32_t)((w->rng * 0x2545F4914F6CDD1DULL) >> 32);
}

static int
twos_init(struct lb_service *svc, unsigned int nb_workers)
{
	struct twos_worker *w;
	uint64_t seed = rte_rdtsc();
	unsigned int i;

	if (lb_sched_check_workers(nb_workers) != 0)
		return -EINVAL;
	w = lb_sched_zalloc(sizeof(*w) * nb_workers);
	if (w == NULL)
		return -ENOMEM;
	for (i = 0; i < nb_workers; i++)
		w[i].rng = twos_splitmix(seed + i) | 1;	/* never 0 */
	svc->sched_data = w;
	return 0;
}

static struct lb_dest *
twos_schedule(struct lb_service *svc, const struct lb_sched_input *in, unsigned int worker)
{
	struct twos_worker *w = (struct twos_worker *)svc->sched_data + worker;
	struct lb_dest *d, *choice1 = NULL, *choice2 = NULL;
	int64_t total = 0, r1, r2, weight1 = -1, weight2 = -1, oh1 = 0, oh2 = 0;
	unsigned int i;

	RTE_SET_USED(in);
	for (i = 0; i < svc->nb_dests; i++) {
		d = &svc->dests[i];
		if (lb_dest_usable(d)) {
			total += d->weight;
			choice1 = d;
		}
	}
	if (choice1 == NULL)
		return NULL;
	total += 1;
	if (likely(total <= UINT32_MAX)) {	/* the kernel's u32 % int */
		r1 = twos_rand(w) % (uint32_t)total;
		r2 = twos_rand(w) % (uint32_t)total;
	} else {
		r1 = twos_rand(w) % total;
		r2 = twos_rand(w) % total;
	}
	for (i = 0; i < svc->nb_dests; i++) {
		d = &svc->dests[i];
		if (!lb_dest_usable(d))
			continue;
		r1 -= d->weight;
		r2 -= d->weight;
		if (r1 <= 0 && weight1 == -1) {
			choice1 = d;
			weight1 = d->weight;
			oh1 = lb_sched_overhead(d);
		}
		if (r2 <= 0 && weight2 == -1) {
			choice2 = d;
			weight2 = d->weight;
			oh2 = lb_sched_overhead(d);
		}
		if (weight1 != -1 && weight2 != -1)
			break;
	}
	if (choice2 != NULL && weight2 * oh1 > weight1 * oh2)
		choice1 = choice2;
	return choice1;
}

const struct lb_sched_ops lb_sched_twos_ops = {
	.name = "twos",
	.init_service = twos_init,
	.done_service = lb_sched_done_free,
	.schedule = twos_schedule,
};
