/* SPDX-License-Identifier: BSD-3-Clause */
/* Building, publishing and showing snapshots of the virtual services. */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <rte_hash_crc.h>
#include <rte_log.h>

#include "app/lcore.h"
#include "app/ratelimit.h"
#include "app/svc_table.h"
#include "pmd-glue/route.h"
#include "sched/sched.h"

RTE_LOG_REGISTER_SUFFIX(lb_svc_logtype, service, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_svc_logtype, "service: " fmt "\n", ##__VA_ARGS__)

#define MAX_TRASH 4096

struct lb_svc_snapshot *lb_svc_current;

/* Real-server states no snapshot uses, freed once no connection does. */
static struct lb_dest_state *trash[MAX_TRASH];
static unsigned int nb_trash;

static uint32_t
slot_of(uint8_t proto, rte_be32_t vip, rte_be16_t port, uint32_t mask)
{
	uint32_t h = rte_hash_crc_4byte(vip, proto);

	return rte_hash_crc_4byte(port, h) & mask;
}

struct lb_service *
lb_svc_lookup(const struct lb_svc_snapshot *snap, uint8_t proto, rte_be32_t vip,
	      rte_be16_t port)
{
	uint32_t i;

	if (snap == NULL || snap->nb_services == 0)
		return NULL;
	for (i = slot_of(proto, vip, port, snap->mask);; i = (i + 1) & snap->mask) {
		struct lb_service *s = snap->slots[i];

		if (s == NULL)
			return NULL;
		if (s->vip == vip && s->vport == port && s->proto == proto)
			return s;
	}
}

bool
lb_svc_is_vip(const struct lb_svc_snapshot *snap, rte_be32_t addr)
{
	unsigned int i;

	if (snap == NULL)
		return false;
	for (i = 0; i < snap->nb_vips; i++)
		if (snap->vips[i] == addr)
			return true;
	return false;
}

struct lb_svc_gate lb_svc_gates[LB_SVC_MAX_GATES];
unsigned int lb_svc_nb_gates;

int
lb_svc_gate_add(rte_be32_t addr)
{
	if (lb_svc_gate_state(addr) >= 0)
		return 0;
	if (lb_svc_nb_gates == LB_SVC_MAX_GATES)
		return -ENOSPC;
	lb_svc_gates[lb_svc_nb_gates].addr = addr;
	lb_svc_gates[lb_svc_nb_gates].owned = false;
	__atomic_store_n(&lb_svc_nb_gates, lb_svc_nb_gates + 1, __ATOMIC_RELEASE);
	return 0;
}

void
lb_svc_gate_set(rte_be32_t addr, bool owned)
{
	unsigned int i;

	for (i = 0; i < lb_svc_nb_gates; i++)
		if (lb_svc_gates[i].addr == addr)
			__atomic_store_n(&lb_svc_gates[i].owned, owned, __ATOMIC_RELEASE);
}

void
lb_svc_gate_clear(void)
{
	lb_svc_nb_gates = 0;
}

bool
lb_svc_owns(const struct lb_svc_snapshot *snap, rte_be32_t addr)
{
	unsigned int i;
	int gate = lb_svc_gate_state(addr);

	if (gate >= 0)
		return gate == 1;

	if (lb_svc_is_vip(snap, addr))
		return true;
	for (i = 0; snap != NULL && i < snap->nb_laddrs; i++)
		if (snap->laddrs[i] == addr)
			return true;
	return false;
}

/* Add a to set (n entries, at most max) unless it is there. */
static void
add_unique(rte_be32_t *set, unsigned int *n, unsigned int max, rte_be32_t a)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (set[i] == a)
			return;
	if (*n < max)
		set[(*n)++] = a;
}

static struct lb_service *
find_old(const struct lb_svc_snapshot *old, const struct lb_service *s)
{
	return lb_svc_lookup(old, s->proto, s->vip, s->vport);
}

static struct lb_dest_state *
find_old_dest(const struct lb_service *old, const struct lb_dest *d)
{
	unsigned int i;

	for (i = 0; old != NULL && i < old->nb_dests; i++)
		if (old->dests[i].addr == d->addr && old->dests[i].port == d->port)
			return old->dests[i].state;
	return NULL;
}

/* Zeroed memory for states holding cache-aligned per-worker counters. */
static void *
zalloc_aligned(size_t size)
{
	size_t rounded = RTE_ALIGN_CEIL(size, RTE_CACHE_LINE_SIZE);
	void *p = aligned_alloc(RTE_CACHE_LINE_SIZE, rounded);

	if (p != NULL)
		memset(p, 0, rounded);
	return p;
}

static void
release_dest_state(struct lb_dest_state *st)
{
	if (--st->refcnt > 0)
		return;
	if (nb_trash < MAX_TRASH)
		trash[nb_trash++] = st;	/* connections may still point to it */
	else
		LOG(WARNING, "real-server trash full: leaking one state");
}

/* Free trashed states no connection uses any more. Control lcore. */
static void
empty_trash(void)
{
	unsigned int i = 0;

	while (i < nb_trash) {
		struct lb_dest_state *st = trash[i];

		if (__atomic_load_n(&st->activeconns, __ATOMIC_RELAXED) == 0 &&
		    __atomic_load_n(&st->inactconns, __ATOMIC_RELAXED) == 0) {
			free(st);
			trash[i] = trash[--nb_trash];
		} else {
			i++;
		}
	}
}

static void
free_snapshot(struct lb_svc_snapshot *snap)
{
	unsigned int i, j;

	if (snap == NULL)
		return;
	for (i = 0; i < snap->nb_services; i++) {
		struct lb_service *s = snap->services[i];

		if (s->sched != NULL && s->sched->done_service != NULL)
			s->sched->done_service(s);
		for (j = 0; j < s->nb_dests; j++)
			release_dest_state(s->dests[j].state);
		if (--s->state->refcnt == 0) {
			free(s->state->src_buckets);
			free(s->state);
		}
		free((void *)(uintptr_t)s->acl);
		free(s);
	}
	free(snap->slots);
	free(snap->services);
	free(snap);
}

/* One service of the new snapshot from its config. */
static struct lb_service *
build_service(const struct lb_cfg_service *c, const struct lb_svc_snapshot *old,
	      unsigned int nb_workers)
{
	struct lb_service *s = calloc(1, sizeof(*s) + c->nb_rs * sizeof(struct lb_dest));
	const struct lb_service *prev;
	unsigned int i;

	if (s == NULL)
		return NULL;
	s->proto = c->proto;
	s->vip = rte_cpu_to_be_32(c->vip);
	s->vport = rte_cpu_to_be_16(c->port);
	s->flags = c->flags;
	s->timeout = c->persistence;
	s->netmask = rte_cpu_to_be_32(c->netmask);
	s->sched_param = c->sched_param;
	for (i = 0; i < c->nb_laddrs; i++)
		s->laddrs[s->nb_laddrs++] = rte_cpu_to_be_32(c->laddrs[i]);
	if (c->acl.nb_allow + c->acl.nb_deny > 0) {
		struct lb_cfg_acl *acl = malloc(sizeof(*acl));

		if (acl == NULL) {
			free(s);
			return NULL;
		}
		*acl = c->acl;
		s->acl = acl;
	}
	s->sched = lb_sched_find(c->sched);
	prev = find_old(old, s);
	s->state = prev ? prev->state : zalloc_aligned(sizeof(*s->state));
	if (s->state == NULL || s->sched == NULL) {
		free((void *)(uintptr_t)s->acl);
		free(s);
		return NULL;
	}
	s->state->refcnt++;
	s->src_rate = c->src_rate;
	s->src_burst = c->src_burst;
	s->syn_proxy = c->syn_proxy;
	/* each worker sees its RSS share of the SYNs */
	s->syn_proxy_thresh = c->syn_proxy_threshold == 0 ? 0 :
			      RTE_MAX(1u, c->syn_proxy_threshold / nb_workers);
	if (c->src_rate != 0 && s->state->src_buckets == NULL) {
		/* kept with the state: a reload does not refill every bucket */
		s->state->src_buckets = calloc((size_t)LB_SRC_SLOTS * nb_workers,
					       sizeof(struct lb_src_bucket));
		if (s->state->src_buckets == NULL)
			s->src_rate = 0;	/* logged below; the service still runs */
		if (s->state->src_buckets == NULL)
			LOG(ERR, "no memory for the rate_limit of service port %u: not applied",
			    c->port);
	}
	for (i = 0; i < c->nb_rs; i++) {
		struct lb_dest *d = &s->dests[i];
		/* IPVS adds each real server at the head of its list: newest first */
		const struct lb_cfg_rs *r = &c->rs[c->nb_rs - 1 - i];

		d->addr = rte_cpu_to_be_32(r->addr);
		d->port = rte_cpu_to_be_16(r->port);
		d->fwd = r->fwd;
		d->weight = (int32_t)r->weight;
		d->u_threshold = r->u_threshold;
		d->l_threshold = r->l_threshold;
		d->state = find_old_dest(prev, d);
		if (d->state == NULL)
			d->state = zalloc_aligned(sizeof(*d->state));
		if (d->state == NULL)
			break;
		d->state->refcnt++;
		__atomic_store_n(&d->state->u_threshold, d->u_threshold, __ATOMIC_RELAXED);
		__atomic_store_n(&d->state->l_threshold, d->l_threshold, __ATOMIC_RELAXED);
		s->nb_dests++;
		if (lb_route_lookup(d->addr, &d->port_id, &d->nexthop) != 0) {
			d->port_id = UINT16_MAX;	/* packets to it: drop_no_route */
			char a[16];

			LOG(WARNING, "real server %s of service port %u: no interface or "
			    "gateway reaches it; its packets are dropped (no_route)",
			    lb_ipv4_str(r->addr, a, sizeof(a)), c->port);
		}
	}
	if (s->sched->init_service != NULL && s->sched->init_service(s, nb_workers) != 0) {
		LOG(ERR, "scheduler %s cannot take service on port %u", c->sched, c->port);
		s->sched = NULL;	/* free_snapshot must not call done_service */
	}
	return s;
}

int
lb_svc_apply(const struct lb_config *cfg, unsigned int nb_workers)
{
	struct lb_svc_snapshot *old = lb_svc_current, *snap;
	uint32_t slots = 4;
	unsigned int i, v;

	while (slots < cfg->nb_services * 2)
		slots <<= 1;
	snap = calloc(1, sizeof(*snap));
	if (snap == NULL)
		return -ENOMEM;
	snap->mask = slots - 1;
	snap->slots = calloc(slots, sizeof(*snap->slots));
	snap->services = calloc(cfg->nb_services + 1, sizeof(*snap->services));
	if (snap->slots == NULL || snap->services == NULL) {
		free_snapshot(snap);
		return -ENOMEM;
	}
	for (i = 0; i < cfg->nb_services; i++) {
		struct lb_service *s = build_service(&cfg->services[i], old, nb_workers);
		uint32_t k;

		if (s == NULL || s->sched == NULL) {
			if (s != NULL)
				snap->services[snap->nb_services++] = s;
			free_snapshot(snap);
			LOG(ERR, "cannot build virtual service %u; the running set is unchanged", i);
			return -ENOMEM;
		}
		snap->services[snap->nb_services++] = s;
		for (k = slot_of(s->proto, s->vip, s->vport, snap->mask); snap->slots[k];
		     k = (k + 1) & snap->mask)
			;
		snap->slots[k] = s;
		add_unique(snap->vips, &snap->nb_vips, RTE_DIM(snap->vips), s->vip);
		for (v = 0; v < s->nb_laddrs; v++)
			add_unique(snap->laddrs, &snap->nb_laddrs, RTE_DIM(snap->laddrs),
				   s->laddrs[v]);
	}
	__atomic_store_n(&lb_svc_current, snap, __ATOMIC_RELEASE);
	if (lb_rcu != NULL)
		rte_rcu_qsbr_synchronize(lb_rcu, RTE_QSBR_THRID_INVALID);
	free_snapshot(old);
	empty_trash();
	LOG(NOTICE, "%u virtual service(s) in use", snap->nb_services);
	return 0;
}

void
lb_svc_term(void)
{
	free_snapshot(lb_svc_current);
	lb_svc_current = NULL;
	while (nb_trash > 0)
		free(trash[--nb_trash]);
}


uint32_t
lb_svc_dest_fails(uint8_t proto, uint32_t vip, uint16_t vport, uint32_t addr, uint16_t port)
{
	const struct lb_svc_snapshot *snap = lb_svc_current;
	const struct lb_service *svc;
	unsigned int i;

	if (snap == NULL)
		return 0;
	svc = lb_svc_lookup(snap, proto, rte_cpu_to_be_32(vip), rte_cpu_to_be_16(vport));
	for (i = 0; svc != NULL && i < svc->nb_dests; i++)
		if (svc->dests[i].addr == rte_cpu_to_be_32(addr) &&
		    svc->dests[i].port == rte_cpu_to_be_16(port))
			return __atomic_load_n(&svc->dests[i].state->passive_fails,
					       __ATOMIC_RELAXED);
	return 0;
}
