/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Weighted round robin, ip_vs_wrr.c's interleaved sequence: passes over the
 * servers with a current weight cw that starts at the largest weight and
 * drops by the gcd of the weights; each pass takes every server whose
 * weight is >= cw. Weights 4:3:2 give A A B A B C A B C. As in the kernel,
 * the first pass starts at mw = max - (gcd - 1) so that the last pass is
 * at cw = 1. The gcd and mw are per snapshot; each worker runs its own
 * sequence (cursor and cw) so no state is shared.
 */
#include "sched/sched_priv.h"

#define WRR_HEAD	(-1)	/* cursor before the first server */

struct wrr_worker {
	int cl;				/* last server chosen, or WRR_HEAD */
	int cw;				/* current weight */
} __rte_cache_aligned;

struct wrr_data {
	int mw;				/* max weight - (di - 1); 0 = nothing usable */
	int di;				/* gcd of the positive weights */
	struct wrr_worker w[];
};

static int
wrr_gcd(int a, int b)
{
	while (b != 0) {
		int t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static int
wrr_init(struct lb_service *svc, unsigned int nb_workers)
{
	struct wrr_data *s;
	int g = 0, max = 0;
	unsigned int i;

	if (lb_sched_check_workers(nb_workers) != 0)
		return -EINVAL;
	s = lb_sched_zalloc(sizeof(*s) + sizeof(s->w[0]) * nb_workers);
	if (s == NULL)
		return -ENOMEM;
	for (i = 0; i < svc->nb_dests; i++) {
		int w = svc->dests[i].weight;

		if (w > 0)
			g = g > 0 ? wrr_gcd(w, g) : w;
		if (w > max)
			max = w;
	}
	s->di = g ? g : 1;
	s->mw = max - (s->di - 1);
	for (i = 0; i < nb_workers; i++) {
		s->w[i].cl = WRR_HEAD;
		s->w[i].cw = s->mw;
	}
	svc->sched_data = s;
	return 0;
}

/* ip_vs_wrr_schedule() on an array: index WRR_HEAD stands for the list head. */
static struct lb_dest *
wrr_schedule(struct lb_service *svc, const struct lb_sched_input *in, unsigned int worker)
{
	struct wrr_data *s = svc->sched_data;
	struct wrr_worker *w = &s->w[worker];
	int n = (int)svc->nb_dests, j = w->cl, last = w->cl, stop = INT32_MIN;
	bool last_pass = false, restarted = false;
	struct lb_dest *d;

	RTE_SET_USED(in);
	if (s->mw == 0)
		return NULL;
	for (;;) {
		for (j = j + 1; j < n; j++) {
			d = &svc->dests[j];
			if (!lb_sched_overloaded(d) && d->weight >= w->cw) {
				w->cl = j;
				return d;
			}
			if (j == stop) {
				w->cl = j;
				return NULL;	/* all overloaded */
			}
		}
		j = WRR_HEAD;
		w->cw -= s->di;
		if (w->cw <= 0) {
			w->cw = s->mw;
			if (last_pass || last == WRR_HEAD) {
				w->cl = WRR_HEAD;
				return NULL;
			}
			restarted = true;
		}
		last_pass = w->cw <= s->di;
		if (last_pass && restarted && last != WRR_HEAD)
			stop = last;
	}
}

const struct lb_sched_ops lb_sched_wrr_ops = {
	.name = "wrr",
	.init_service = wrr_init,
	.done_service = lb_sched_done_free,
	.schedule = wrr_schedule,
};
