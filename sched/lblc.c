/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Locality-based least connection (ip_vs_lblc.c), for cache clusters: a
 * destination address keeps going to the server it was first given, until
 * that server is quiesced or "overloaded" in lblc's sense -- more active
 * connections than its weight while some server is under half of its own.
 * Then, and for addresses seen for the first time, wlc's pick decides and
 * the table remembers it. One deliberate difference: a remembered server
 * over its -x threshold (LB_DEST_F_OVERLOAD) is also given up; the kernel
 * checks only weight and the lblc rule there, so it keeps sending known
 * destinations to a server past -x, which every other scheduler refuses.
 *
 * The kernel keeps one table per service, unbounded, and a timer drops
 * entries unused for lblc_expiration (24 h), or for 6 minutes once the
 * table holds more than 16 K entries. Here each worker has its own fixed
 * table (no locks, no allocation on the fast path): 1024 buckets as the
 * kernel's, hashed with hash_32(daddr, 10), of LBLC_WAYS entries each. An
 * entry unused for 24 h is treated as gone; a full bucket recycles its
 * least recently used entry. Time is lb_sched_input.now (TSC).
 */
#include "sched/sched_priv.h"

#define LBLC_BITS		10
#define LBLC_BUCKETS		(1u << LBLC_BITS)
#define LBLC_WAYS		8
#define LBLC_EXPIRATION_S	(24 * 60 * 60)

struct lblc_entry {
	uint64_t lastuse;		/* TSC of the last lookup */
	rte_be32_t daddr;
	uint16_t slot;			/* index in svc->dests + 1, 0 = empty */
};

struct lblc_worker {
	struct lblc_entry bucket[LBLC_BUCKETS][LBLC_WAYS];
} __rte_cache_aligned;

struct lblc_data {
	uint64_t expire;		/* lblc_expiration in TSC ticks */
	struct lblc_worker w[];
};

static int
lblc_init(struct lb_service *svc, unsigned int nb_workers)
{
	struct lblc_data *s;

	if (lb_sched_check_workers(nb_workers) != 0 || svc->nb_dests >= UINT16_MAX)
		return -EINVAL;
	s = lb_sched_zalloc(sizeof(*s) + sizeof(s->w[0]) * nb_workers);
	if (s == NULL)
		return -ENOMEM;
	s->expire = lb_sched_tsc_seconds(LBLC_EXPIRATION_S);
	svc->sched_data = s;
	return 0;
}

/*
 * The live entry for daddr in bucket b, or NULL with *victim set to the
 * slot a new entry should take: daddr's expired entry, an empty slot, or
 * the least recently used one.
 */
static struct lblc_entry *
lblc_find(struct lblc_entry *b, rte_be32_t daddr, uint64_t now, uint64_t expire,
	  struct lblc_entry **victim)
{
	struct lblc_entry *v = &b[0], *e;
	unsigned int k;

	for (k = 0; k < LBLC_WAYS; k++) {
		e = &b[k];
		if (e->slot != 0 && e->daddr == daddr) {
			if ((int64_t)(now - e->lastuse) < (int64_t)expire)
				return e;
			*victim = e;
			return NULL;
		}
		if (v->slot != 0 && (e->slot == 0 || (int64_t)(e->lastuse - v->lastuse) < 0))
			v = e;
	}
	*victim = v;
	return NULL;
}

static struct lb_dest *
lblc_schedule(struct lb_service *svc, const struct lb_sched_input *in, unsigned int worker)
{
	struct lblc_data *s = svc->sched_data;
	struct lblc_entry *b, *en, *victim;
	struct lb_dest *d;

	b = s->w[worker].bucket[lb_sched_hash_32(rte_be_to_cpu_32(in->daddr), LBLC_BITS)];
	en = lblc_find(b, in->daddr, in->now, s->expire, &victim);
	if (en != NULL) {
		en->lastuse = in->now;
		d = &svc->dests[en->slot - 1];
		if (lb_dest_usable(d) && !lb_sched_lblc_overloaded(svc, d))
			return d;
		victim = en;
	}
	d = lb_sched_wlc_pick(svc);
	if (d == NULL)
		return NULL;
	victim->daddr = in->daddr;
	victim->slot = (uint16_t)(d - svc->dests + 1);
	victim->lastuse = in->now;
	return d;
}

const struct lb_sched_ops lb_sched_lblc_ops = {
	.name = "lblc",
	.init_service = lblc_init,
	.done_service = lb_sched_done_free,
	.schedule = lblc_schedule,
};
