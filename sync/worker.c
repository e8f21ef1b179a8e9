/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The workers' side of connection sync: queue due connections for the
 * control lcore (master), install received ones in the own table (backup).
 * No lock, no syscall, no allocation beyond the connection pool.
 */
#include <netinet/in.h>

#include <rte_cycles.h>

#include "app/svc_table.h"
#include "app/synproxy.h"
#include "sync/sync_priv.h"

#define INSTALL_BURST 32
#define SCAN_BUDGET 8		/* own connections looked at per loop for refresh */

volatile uint32_t lb_sync_master_on;
struct lb_sync_wk lb_sync_wk[LB_MAX_WORKERS];
uint64_t lb_sync_threshold_tsc, lb_sync_refresh_tsc;

/* LVS syncs TCP connections in these states only (ip_vs_sync_conn_needed). */
static bool
state_synced(uint8_t st)
{
	return st == LB_TCP_ESTABLISHED || st == LB_TCP_FIN_WAIT || st == LB_TCP_CLOSE ||
	       st == LB_TCP_CLOSE_WAIT || st == LB_TCP_TIME_WAIT || st == LB_UDP_STATE;
}

void
lb_sync_conn_fill(struct lb_sync_conn *e, const struct lb_conn *c, uint8_t st, uint64_t now,
		  bool expire)
{
	const uint32_t left = lb_conn_seconds_left(c, now);

	memset(e, 0, sizeof(*e));
	e->proto = c->in.proto;
	e->caddr = c->in.saddr;		/* a template's: masked, and client port 0 */
	e->cport = c->in.sport;
	e->vaddr = c->in.daddr;
	e->vport = c->in.dport;
	e->daddr = c->out.saddr;
	e->dport = c->out.sport;
	/* an expired connection lingers a second on the backups, as CLOSE */
	e->timeout_s = expire || left == 0 ? 1 : left;
	switch (c->fwd) {
	case LB_FWD_DR: e->flags = LB_SYNC_F_DROUTE; break;
	case LB_FWD_TUN: e->flags = LB_SYNC_F_TUNNEL; break;
	case LB_FWD_NAT: e->flags = LB_SYNC_F_MASQ; break;
	case LB_FWD_FNAT:
		e->flags = LB_SYNC_F_MASQ;
		if (!c->is_template) {
			e->has_fnat = 1;
			e->laddr = c->out.daddr;
			e->lport = c->out.dport;
		}
		break;
	}
	if (c->is_template) {
		e->flags |= LB_SYNC_F_TEMPLATE;	/* state 0 */
		return;
	}
	if (__atomic_load_n(&c->proxy, __ATOMIC_ACQUIRE) == LB_PROXY_OPEN) {
		const struct lb_conn_ext *x = lb_conn_ext(c);

		/* SYN proxy: the real server's numbers go down by its ISN - ours */
		e->has_seq = 1;
		e->flags |= LB_SYNC_F_OUT_SEQ;
		e->out_seq_init = x->proxy_isn + x->seq_delta;
		e->out_seq_delta = -x->seq_delta;
	}
	if (expire && st != LB_UDP_STATE)
		st = LB_TCP_CLOSE;
	e->state = st == LB_UDP_STATE ? 0 : st;
	if (st != LB_TCP_ESTABLISHED)
		e->flags |= LB_SYNC_F_INACTIVE;
}

/* Put c's event on the worker's ring; false (counted) when it is full. */
static bool
queue(unsigned int worker, const struct lb_conn *c, uint8_t st, uint64_t now, bool expire)
{
	struct lb_sync_wk *w = &lb_sync_wk[worker];
	struct lb_sync_conn e;

	if (w->events == NULL)
		return false;
	lb_sync_conn_fill(&e, c, st, now, expire);
	if (rte_ring_sp_enqueue_elem(w->events, &e, sizeof(e)) != 0) {
		w->ev_dropped++;
		return false;
	}
	w->ev_queued++;
	return true;
}

void
lb_sync_conn_note(unsigned int worker, struct lb_conn *c, uint64_t now)
{
	struct lb_conn_ext *x = lb_conn_ext(c);
	uint8_t st = __atomic_load_n(&c->state, __ATOMIC_RELAXED);
	uint8_t sent = __atomic_load_n(&c->sync_state, __ATOMIC_RELAXED);
	uint32_t last = __atomic_load_n(&x->sync_time, __ATOMIC_RELAXED);
	const uint32_t t = lb_conn_ticks(now);

	if (!state_synced(st) ||
	    (c->is_template && __atomic_load_n(&x->controlled, __ATOMIC_RELAXED) == LB_TMPL_DEAD))
		return;
	/* signed: a packet's `now` may be later than the loop's, or the reverse;
	 * before the first sync, sync_time is when the connection was made */
	if (sent == LB_SYNC_NEVER) {
		if ((int32_t)(t - last) < (int32_t)lb_conn_ticks(lb_sync_threshold_tsc))
			return;
	} else if (st == sent && (int32_t)(t - last) < (int32_t)lb_conn_ticks(lb_sync_refresh_tsc)) {
		return;
	}
	/* one worker wins the right to send it (NAT replies run on others) */
	if (!__atomic_compare_exchange_n(&x->sync_time, &last, t, false, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED))
		return;
	__atomic_store_n(&c->sync_state, st, __ATOMIC_RELAXED);
	if (!queue(worker, c, st, now, false)) {	/* the refresh scan tries again */
		__atomic_store_n(&c->sync_state, sent, __ATOMIC_RELAXED);
		__atomic_store_n(&x->sync_time, last, __ATOMIC_RELAXED);
	}
}

/* lb_conn_removed_hook: the owner removes a synced connection. */
static void
removed(const struct lb_conn *c)
{
	if (lb_sync_master_on != 0)
		queue(c->owner, c, __atomic_load_n(&c->state, __ATOMIC_RELAXED), rte_rdtsc(), true);
}

/* The real server (daddr, dport) of svc, or NULL. */
static const struct lb_dest *
find_dest(const struct lb_service *svc, rte_be32_t daddr, rte_be16_t dport)
{
	unsigned int i;

	for (i = 0; i < svc->nb_dests; i++)
		if (svc->dests[i].addr == daddr && svc->dests[i].port == dport)
			return &svc->dests[i];
	return NULL;
}

/*
 * A persistence template: the client's real server for the service, so
 * its new connections after a failover go where its others went.
 */
static void
install_template(struct lb_sync_wk *w, unsigned int worker, const struct lb_service *svc,
		 const struct lb_sync_conn *e, uint64_t now)
{
	const struct lb_dest *d = find_dest(svc, e->daddr, e->dport);
	struct lb_conn *t;

	if (!(svc->flags & LB_SVC_F_PERSISTENT) || d == NULL) {
		w->no_dest++;
		return;
	}
	t = lb_conn_template_get(worker, svc, e->caddr, now);	/* a reference */
	if (t != NULL) {
		if (t->dest == d->state) {
			lb_conn_sync_set(t, LB_UDP_STATE, e->timeout_s, now);
			w->updated++;
		} else {
			w->conflict++;
		}
		lb_conn_template_put(t);
		return;
	}
	t = lb_conn_template_create(worker, svc, e->caddr, d, now);
	if (t == NULL) {
		w->create_failed++;
		return;
	}
	lb_conn_sync_set(t, LB_UDP_STATE, e->timeout_s, now);
	lb_conn_template_put(t);	/* held by nothing until a connection uses it */
	w->installed++;
}

static void
install(unsigned int worker, const struct lb_sync_conn *e, uint64_t now)
{
	struct lb_sync_wk *w = &lb_sync_wk[worker];
	const struct lb_svc_snapshot *snap = lb_svc_snapshot_get();
	struct lb_conn_key k = { .saddr = e->caddr, .daddr = e->vaddr, .sport = e->cport,
				 .dport = e->vport, .proto = e->proto };
	uint8_t st = e->proto == IPPROTO_UDP ? LB_UDP_STATE : (uint8_t)e->state;
	const struct lb_service *svc;
	const struct lb_dest *d;
	struct lb_conn *c;
	enum lb_dir dir;

	if (e->flags & LB_SYNC_F_TEMPLATE) {
		svc = snap == NULL ? NULL : lb_svc_lookup(snap, e->proto, e->vaddr, e->vport);
		if (svc == NULL)
			w->no_service++;
		else
			install_template(w, worker, svc, e, now);
		return;
	}
	c = lb_conn_lookup(worker, &k, &dir);
	if (c != NULL) {
		if (dir == LB_DIR_IN && c->out.saddr == e->daddr && c->out.sport == e->dport) {
			lb_conn_sync_set(c, st, e->timeout_s, now);
			lb_conn_claim_reply_key(worker, c);	/* its holder may be closing now */
			if (e->has_seq)
				lb_synproxy_adopt(c, e->out_seq_init, -e->out_seq_delta);
			w->updated++;
		} else {
			w->conflict++;	/* ours goes to another server: keep it */
		}
		return;
	}
	svc = snap == NULL ? NULL : lb_svc_lookup(snap, e->proto, e->vaddr, e->vport);
	if (svc == NULL) {
		w->no_service++;
		return;
	}
	d = find_dest(svc, e->daddr, e->dport);
	if (d == NULL || (d->fwd == LB_FWD_FNAT) != (e->has_fnat != 0)) {
		w->no_dest++;
		return;
	}
	c = lb_conn_create(worker, &k, svc, d, e->laddr, e->lport, NULL, now);
	if (c == NULL) {
		w->create_failed++;
		return;
	}
	lb_conn_sync_set(c, st, e->timeout_s, now);
	if (e->has_seq)
		lb_synproxy_adopt(c, e->out_seq_init, -e->out_seq_delta);
	w->installed++;
}

/* lb_conn_scan callback: idle connections are due for sync too. */
static void
scan_one(unsigned int worker, struct lb_conn *c, void *now)
{
	lb_sync_conn_note(worker, c, *(const uint64_t *)now);
}

unsigned int
lb_sync_worker_poll(unsigned int worker, uint64_t now)
{
	struct lb_sync_conn e[INSTALL_BURST];
	struct lb_sync_wk *w = &lb_sync_wk[worker];
	unsigned int n, i;

	if (w->installs == NULL)
		return 0;
	/* refresh does not wait for a packet: a lost message is made good
	 * within `refresh` seconds even for a connection that is idle */
	if (lb_sync_master_on != 0)
		lb_conn_scan(worker, SCAN_BUDGET, scan_one, &now);
	n = rte_ring_sc_dequeue_burst_elem(w->installs, e, sizeof(e[0]), INSTALL_BURST, NULL);
	for (i = 0; i < n; i++)
		install(worker, &e[i], now);
	return n;
}

void
lb_sync_hook_removed(void)
{
	lb_conn_removed_hook = removed;
}
