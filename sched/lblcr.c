/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Locality-based least connection with replication (ip_vs_lblcr.c): each
 * destination address has a set of servers. A connection goes to the
 * set's weighted least-connection member; when there is none, or it is
 * overloaded in lblc's sense (more active connections than its weight
 * while some server is under half of its own), wlc's pick over the whole
 * service is used and added to the set. A set that has more than one
 * member and has not changed for lblcr_expiration (24 h) loses its most
 * loaded member. New members go first, as the kernel's list_add.
 *
 * Differences forced by per-worker fixed tables (see lblc.c): each worker
 * has its own table of 1024 buckets x LBLCR_WAYS entries, entries unused
 * for 24 h are treated as gone, a full bucket recycles its least recently
 * used entry, and a set holds at most LBLCR_SET_MAX servers (a full set
 * drops its most loaded member to make room; the kernel's set is
 * unbounded).
 */
#include <string.h>

#include "sched/sched_priv.h"

#define LBLCR_BITS		10
#define LBLCR_BUCKETS		(1u << LBLCR_BITS)
#define LBLCR_WAYS		4
#define LBLCR_SET_MAX		8
#define LBLCR_EXPIRATION_S	(24 * 60 * 60)

struct lblcr_entry {
	uint64_t lastuse;		/* TSC of the last lookup */
	uint64_t lastmod;		/* TSC of the last change of the set */
	rte_be32_t daddr;
	uint8_t size;			/* members; 0 = empty slot */
	uint16_t set[LBLCR_SET_MAX];	/* indexes in svc->dests, newest first */
};

struct lblcr_worker {
	struct lblcr_entry bucket[LBLCR_BUCKETS][LBLCR_WAYS];
} __rte_cache_aligned;

struct lblcr_data {
	uint64_t expire;		/* lblcr_expiration in TSC ticks */
	struct lblcr_worker w[];
};

static int
lblcr_init(struct lb_service *svc, unsigned int nb_workers)
{
	struct lblcr_data *s;

	if (lb_sched_check_workers(nb_workers) != 0 || svc->nb_dests > UINT16_MAX)
		return -EINVAL;
	s = lb_sched_zalloc(sizeof(*s) + sizeof(s->w[0]) * nb_workers);
	if (s == NULL)
		return -ENOMEM;
	s->expire = lb_sched_tsc_seconds(LBLCR_EXPIRATION_S);
	svc->sched_data = s;
	return 0;
}

/* ip_vs_dest_set_min(): weighted least-connection member, or NULL. */
static struct lb_dest *
lblcr_set_min(struct lb_service *svc, const struct lblcr_entry *en)
{
	struct lb_dest *least = NULL, *d;
	int64_t loh = 0, doh;
	unsigned int k;

	for (k = 0; k < en->size; k++) {
		d = &svc->dests[en->set[k]];
		if (lb_sched_overloaded(d))
			continue;
		if (least == NULL) {
			if (d->weight > 0) {
				least = d;
				loh = lb_sched_overhead(d);
			}
			continue;
		}
		doh = lb_sched_overhead(d);
		if (loh * d->weight > doh * least->weight) {
			least = d;
			loh = doh;
		}
	}
	return least;
}

/* ip_vs_dest_set_max(): position of the weighted most-loaded member, or -1. */
static int
lblcr_set_max(const struct lb_service *svc, const struct lblcr_entry *en)
{
	const struct lb_dest *most = NULL, *d;
	int64_t moh = 0, doh;
	int k, mk = -1;

	for (k = 0; k < en->size; k++) {
		d = &svc->dests[en->set[k]];
		if (most == NULL) {
			if (d->weight > 0) {
				most = d;
				moh = lb_sched_overhead(d);
				mk = k;
			}
			continue;
		}
		doh = lb_sched_overhead(d);
		if (moh * d->weight < doh * most->weight && d->weight > 0) {
			most = d;
			moh = doh;
			mk = k;
		}
	}
	return mk;
}

static void
lblcr_set_erase(struct lblcr_entry *en, int k, uint64_t now)
{
	memmove(&en->set[k], &en->set[k + 1], (en->size - k - 1) * sizeof(en->set[0]));
	en->size--;
	en->lastmod = now;
}

static void
lblcr_set_insert(const struct lb_service *svc, struct lblcr_entry *en,
		 const struct lb_dest *d, uint64_t now)
{
	uint16_t idx = (uint16_t)(d - svc->dests);
	int k;

	for (k = 0; k < en->size; k++)
		if (en->set[k] == idx)
			return;
	if (en->size == LBLCR_SET_MAX) {
		k = lblcr_set_max(svc, en);
		lblcr_set_erase(en, k >= 0 ? k : en->size - 1, now);
	}
	memmove(&en->set[1], &en->set[0], en->size * sizeof(en->set[0]));
	en->set[0] = idx;
	en->size++;
	en->lastmod = now;
}

/* The live entry for daddr, or NULL with *victim set as in lblc_find(). */
static struct lblcr_entry *
lblcr_find(struct lblcr_entry *b, rte_be32_t daddr, uint64_t now, uint64_t expire,
	   struct lblcr_entry **victim)
{
	struct lblcr_entry *v = &b[0], *e;
	unsigned int k;

	for (k = 0; k < LBLCR_WAYS; k++) {
		e = &b[k];
		if (e->size != 0 && e->daddr == daddr) {
			if ((int64_t)(now - e->lastuse) < (int64_t)expire)
				return e;
			*victim = e;
			return NULL;
		}
		if (v->size != 0 && (e->size == 0 || (int64_t)(e->lastuse - v->lastuse) < 0))
			v = e;
	}
	*victim = v;
	return NULL;
}

static struct lb_dest *
lblcr_schedule(struct lb_service *svc, const struct lb_sched_input *in, unsigned int worker)
{
	struct lblcr_data *s = svc->sched_data;
	struct lblcr_entry *b, *en, *victim;
	struct lb_dest *d;
	int k;

	b = s->w[worker].bucket[lb_sched_hash_32(rte_be_to_cpu_32(in->daddr), LBLCR_BITS)];
	en = lblcr_find(b, in->daddr, in->now, s->expire, &victim);
	if (en != NULL) {
		en->lastuse = in->now;
		d = lblcr_set_min(svc, en);
		if (en->size > 1 && (int64_t)(in->now - en->lastmod) > (int64_t)s->expire) {
			k = lblcr_set_max(svc, en);
			if (k >= 0)
				lblcr_set_erase(en, k, in->now);
		}
		if (d != NULL && !lb_sched_lblc_overloaded(svc, d))
			return d;
	}
	d = lb_sched_wlc_pick(svc);
	if (d == NULL)
		return NULL;
	if (en == NULL) {
		en = victim;
		en->daddr = in->daddr;
		en->size = 0;
		en->lastuse = in->now;
	}
	lblcr_set_insert(svc, en, d, in->now);
	return d;
}

const struct lb_sched_ops lb_sched_lblcr_ops = {
	.name = "lblcr",
	.init_service = lblcr_init,
	.done_service = lb_sched_done_free,
	.schedule = lblcr_schedule,
};
