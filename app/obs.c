/* SPDX-License-Identifier: BSD-3-Clause */
/* The observability snapshot: built on the control lcore, read by monitoring threads. */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include "app/conn.h"
#include "app/lcore.h"
#include "app/obs.h"
#include "app/svc_table.h"
#include "sched/sched.h"

static struct lb_obs snaps[2];
static struct lb_obs *front;		/* what readers see (under lock) */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t conn_cap, seq, start_tsc, reloads, reload_failures;

int
lb_obs_init(unsigned int conn_max)
{
	memset(snaps, 0, sizeof(snaps));
	front = NULL;
	conn_cap = conn_max;
	seq = 0;
	start_tsc = rte_get_tsc_cycles();
	return 0;
}

static void
snap_free(struct lb_obs *o)
{
	free(o->svcs);
	free(o->rs);
	free(o->checks);
	memset(o, 0, sizeof(*o));
}

void
lb_obs_term(void)
{
	pthread_mutex_lock(&lock);
	front = NULL;
	snap_free(&snaps[0]);
	snap_free(&snaps[1]);
	pthread_mutex_unlock(&lock);
}

const char *
lb_obs_proto_name(uint8_t proto)
{
	return proto == IPPROTO_UDP ? "UDP" : "TCP";
}

void
lb_obs_count_reload(bool ok)
{
	reloads++;
	if (!ok)
		reload_failures++;
}

/* Grow *arr to hold n entries of size sz (keeps *cap). */
static int
reserve(void **arr, unsigned int *cap, unsigned int n, size_t sz)
{
	void *p;

	if (n <= *cap)
		return 0;
	p = realloc(*arr, (size_t)n * sz);
	if (p == NULL)
		return -ENOMEM;
	*arr = p;
	*cap = n;
	return 0;
}

/* Counters summed over the workers (relaxed loads: workers write them). */
static void
traffic(struct lb_obs_traffic *t, const struct lb_counters *c, const struct lb_rate_est *e)
{
	unsigned int w, i;

	memset(t, 0, sizeof(*t));
	for (w = 0; w < LB_MAX_WORKERS; w++) {
		t->v[LB_OBS_CONNS] += __atomic_load_n(&c[w].conns, __ATOMIC_RELAXED);
		t->v[LB_OBS_INPKTS] += __atomic_load_n(&c[w].inpkts, __ATOMIC_RELAXED);
		t->v[LB_OBS_OUTPKTS] += __atomic_load_n(&c[w].outpkts, __ATOMIC_RELAXED);
		t->v[LB_OBS_INBYTES] += __atomic_load_n(&c[w].inbytes, __ATOMIC_RELAXED);
		t->v[LB_OBS_OUTBYTES] += __atomic_load_n(&c[w].outbytes, __ATOMIC_RELAXED);
	}
	for (i = 0; i < LB_OBS_NVAL; i++)
		t->rate[i] = e->rate[i];
}

static int
fill_services(struct lb_obs *o)
{
	const struct lb_svc_snapshot *snap = lb_svc_current;
	unsigned int i, j, nsvc = snap != NULL ? snap->nb_services : 0, nrs = 0;

	for (i = 0; i < nsvc; i++)
		nrs += snap->services[i]->nb_dests;
	if (reserve((void **)&o->svcs, &o->cap_svcs, nsvc, sizeof(*o->svcs)) != 0 ||
	    reserve((void **)&o->rs, &o->cap_rs, nrs, sizeof(*o->rs)) != 0)
		return -ENOMEM;
	o->nb_rs = 0;
	for (i = 0; i < nsvc; i++) {
		const struct lb_service *s = snap->services[i];
		struct lb_obs_svc *os = &o->svcs[i];

		os->proto = s->proto;
		os->vip = rte_be_to_cpu_32(s->vip);
		os->port = rte_be_to_cpu_16(s->vport);
		snprintf(os->sched, sizeof(os->sched), "%s", s->sched->name);
		os->first_rs = o->nb_rs;
		os->nb_rs = s->nb_dests;
		traffic(&os->t, s->state->stats, &s->state->est);
		for (j = 0; j < s->nb_dests; j++) {
			const struct lb_dest *d = &s->dests[j];
			struct lb_obs_rs *r = &o->rs[o->nb_rs++];

			r->svc = i;
			r->addr = rte_be_to_cpu_32(d->addr);
			r->port = rte_be_to_cpu_16(d->port);
			r->fwd = lb_fwd_name(d->fwd);
			r->weight = d->weight;
			r->activeconns = __atomic_load_n(&d->state->activeconns, __ATOMIC_RELAXED);
			r->inactconns = __atomic_load_n(&d->state->inactconns, __ATOMIC_RELAXED);
			r->persistconns = __atomic_load_n(&d->state->persistconns, __ATOMIC_RELAXED);
			r->overloaded = __atomic_load_n(&d->state->flags, __ATOMIC_RELAXED) &
					LB_DEST_F_OVERLOAD;
			traffic(&r->t, d->state->stats, &d->state->est);
		}
	}
	o->nb_svcs = nsvc;
	return 0;
}

/* One lcore's counters, field by field (relaxed loads: that lcore writes them). */
static void
lcore_stats(struct lb_lcore_stats *dst, const struct lb_lcore_stats *src)
{
	unsigned int i;

	dst->rx_pkts = __atomic_load_n(&src->rx_pkts, __ATOMIC_RELAXED);
	dst->rx_bytes = __atomic_load_n(&src->rx_bytes, __ATOMIC_RELAXED);
	dst->tx_pkts = __atomic_load_n(&src->tx_pkts, __ATOMIC_RELAXED);
	dst->to_control = __atomic_load_n(&src->to_control, __ATOMIC_RELAXED);
	dst->from_control = __atomic_load_n(&src->from_control, __ATOMIC_RELAXED);
	dst->busy_polls = __atomic_load_n(&src->busy_polls, __ATOMIC_RELAXED);
	dst->busy_cycles = __atomic_load_n(&src->busy_cycles, __ATOMIC_RELAXED);
	dst->conn_evicted = __atomic_load_n(&src->conn_evicted, __ATOMIC_RELAXED);
	dst->rx_pool_dry = __atomic_load_n(&src->rx_pool_dry, __ATOMIC_RELAXED);
	for (i = 0; i < LB_DROP_MAX; i++)
		dst->drops[i] = __atomic_load_n(&src->drops[i], __ATOMIC_RELAXED);
}

static void
fill_workers(struct lb_obs *o)
{
	unsigned int w, main_lcore = rte_get_main_lcore();

	o->nb_workers = 0;
	for (w = 0; w < lb_nb_workers && w < LB_MAX_WORKERS; w++) {
		struct lb_obs_worker *ow = &o->workers[o->nb_workers++];

		ow->index = (int)w;
		ow->lcore = lb_worker_lcore[w];
		lcore_stats(&ow->st, &lb_lcores[ow->lcore].stats);
	}
	o->workers[o->nb_workers].index = -1;
	o->workers[o->nb_workers].lcore = main_lcore;
	lcore_stats(&o->workers[o->nb_workers].st, &lb_lcores[main_lcore].stats);
	o->nb_workers++;
}

static int
fill_health(struct lb_obs *o)
{
	unsigned int i, n = lb_health_count();

	if (reserve((void **)&o->checks, &o->cap_checks, n, sizeof(*o->checks)) != 0)
		return -ENOMEM;
	o->nb_checks = 0;
	for (i = 0; i < n; i++)
		if (lb_health_info(i, &o->checks[o->nb_checks]) == 0)
			o->nb_checks++;
	return 0;
}

int
lb_obs_refresh(void)
{
	struct lb_obs *o = front == &snaps[0] ? &snaps[1] : &snaps[0];
	unsigned int i;
	int rc;

	rc = fill_services(o);
	if (rc == 0)
		rc = fill_health(o);
	if (rc != 0)
		return rc;
	fill_workers(o);
	o->nb_vrrp = 0;
	for (i = 0; i < LB_MAX_VRRP; i++)
		if (lb_vrrp_info(i, &o->vrrp[o->nb_vrrp]) == 0)
			o->nb_vrrp++;
	o->conns = lb_conn_count();
	o->conns_max = conn_cap;
	o->reloads = reloads;
	o->reload_failures = reload_failures;
	o->uptime_s = (rte_get_tsc_cycles() - start_tsc) / rte_get_tsc_hz();
	o->seq = ++seq;
	if (pthread_mutex_trylock(&lock) != 0)
		return -EBUSY;	/* a reader holds the current one: next time */
	front = o;
	pthread_mutex_unlock(&lock);
	return 0;
}

const struct lb_obs *
lb_obs_get(void)
{
	pthread_mutex_lock(&lock);
	return front;
}

void
lb_obs_put(void)
{
	pthread_mutex_unlock(&lock);
}

const struct lb_obs *
lb_obs_current(void)
{
	return front;
}
