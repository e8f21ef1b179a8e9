/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Source hashing (ip_vs_sh.c): a 256-bucket table where each server in
 * list order takes `weight` consecutive buckets (at least one, so a
 * weight-0 server still owns a bucket but is never returned), wrapping
 * around the list until the table is full. The bucket of a client is
 * (offset + (ntohs(port) + ntohl(saddr)) * 2654435761) & 255 with port =
 * the source port under sh-port (TCP/UDP/SCTP only), else 0, and offset 0.
 * An unusable server makes the lookup fail unless sh-fallback is set: then
 * the kernel retries with offsets ihash, ihash + 1, ... (mod 256) and
 * takes the first usable server it hits. The table is built per snapshot
 * on the control lcore; workers only read it.
 */
#include <netinet/in.h>

#include "sched/sched_priv.h"

#define SH_TAB_SIZE	256u
#define SH_TAB_MASK	(SH_TAB_SIZE - 1)

struct sh_table {
	uint16_t dest[SH_TAB_SIZE];	/* index in svc->dests, or LB_SCHED_NO_DEST */
};

static int
sh_init(struct lb_service *svc, unsigned int nb_workers)
{
	struct sh_table *t;
	unsigned int i, p = 0;
	int32_t count = 0;

	if (lb_sched_check_workers(nb_workers) != 0 || svc->nb_dests >= LB_SCHED_NO_DEST)
		return -EINVAL;
	t = lb_sched_zalloc(sizeof(*t));
	if (t == NULL)
		return -ENOMEM;
	for (i = 0; i < SH_TAB_SIZE; i++) {
		if (svc->nb_dests == 0) {
			t->dest[i] = LB_SCHED_NO_DEST;
			continue;
		}
		t->dest[i] = (uint16_t)p;
		if (++count >= svc->dests[p].weight) {
			p = (p + 1) % svc->nb_dests;
			count = 0;
		}
	}
	svc->sched_data = t;
	return 0;
}

static inline uint32_t
sh_hashkey(uint32_t addr, uint16_t port, uint32_t offset)
{
	return (offset + (uint32_t)(port + addr) * 2654435761u) & SH_TAB_MASK;
}

static struct lb_dest *
sh_schedule(struct lb_service *svc, const struct lb_sched_input *in, unsigned int worker)
{
	const struct sh_table *t = svc->sched_data;
	uint32_t addr = rte_be_to_cpu_32(in->saddr), ihash, off;
	uint16_t port = 0, idx;
	struct lb_dest *d;

	RTE_SET_USED(worker);
	if ((svc->flags & LB_SVC_F_SH_PORT) && (in->proto == IPPROTO_TCP ||
	    in->proto == IPPROTO_UDP || in->proto == IPPROTO_SCTP))
		port = rte_be_to_cpu_16(in->sport);
	ihash = sh_hashkey(addr, port, 0);
	idx = t->dest[ihash];
	if (idx == LB_SCHED_NO_DEST)
		return NULL;
	d = &svc->dests[idx];
	if (lb_dest_usable(d))
		return d;
	if (!(svc->flags & LB_SVC_F_SH_FALLBACK))
		return NULL;
	for (off = 0; off < SH_TAB_SIZE; off++) {
		idx = t->dest[sh_hashkey(addr, port, (off + ihash) % SH_TAB_SIZE)];
		d = &svc->dests[idx];
		if (lb_dest_usable(d))
			return d;
	}
	return NULL;
}

const struct lb_sched_ops lb_sched_sh_ops = {
	.name = "sh",
	.init_service = sh_init,
	.done_service = lb_sched_done_free,
	.schedule = sh_schedule,
};
