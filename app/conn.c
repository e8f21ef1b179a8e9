/* SPDX-License-Identifier: BSD-3-Clause */
/* Connection table: per-worker single-writer hashes, lock-free reads by all. */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_prefetch.h>
#include <rte_tcp.h>
#include <netinet/in.h>

#include "app/conn.h"
#include "app/synproxy.h"

RTE_LOG_REGISTER_SUFFIX(lb_conn_logtype, conn, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_conn_logtype, "conn: " fmt "\n", ##__VA_ARGS__)

#define OUT_TAG ((uintptr_t)1)	/* marks the reply-direction key's data */

struct conn_table {
	struct rte_hash *hash;
	struct rte_mempool *pool;
	struct lb_conn **live;		/* owner only: every entry, densely, for expiry */
	uint32_t cursor;		/* owner only: next index of live[] to check */
	uint32_t evict_cursor;		/* owner only: where lb_conn_make_room looks next */
	uint32_t max;			/* entries allowed (the pool has headroom past it) */
	uint32_t scan_cursor;		/* owner only: next index for lb_conn_scan */
	uint32_t count;			/* entries in live[]; written by owner, read by all */
} __rte_cache_aligned;

static struct conn_table tables[LB_MAX_WORKERS];
static uint32_t fnat_cursor[LB_MAX_WORKERS][RTE_CACHE_LINE_SIZE / sizeof(uint32_t)];
static unsigned int nb_tables;
static struct lb_conn_timeouts timeouts;
static uint64_t tsc_hz;
static struct rte_rcu_qsbr *conn_rcu;	/* the workers' QSBR variable, for lb_conn_walk */
static int walker_id = -1;		/* lb_conn_walk's registered RCU thread id */
void (*lb_conn_removed_hook)(const struct lb_conn *c);

/*
 * LVS's state table: [direction][event][current state] -> next state. An
 * ACK from the client in NONE is ESTABLISHED, as in LVS since sloppy_tcp:
 * a connection opened mid-stream (lb_local.sloppy_tcp) is an established
 * one; without sloppy_tcp only a SYN opens one, so NONE never sees an ACK.
 */
#define sNO LB_TCP_NONE
#define sES LB_TCP_ESTABLISHED
#define sSS LB_TCP_SYN_SENT
#define sSR LB_TCP_SYN_RECV
#define sFW LB_TCP_FIN_WAIT
#define sTW LB_TCP_TIME_WAIT
#define sCL LB_TCP_CLOSE
#define sCW LB_TCP_CLOSE_WAIT
#define sLA LB_TCP_LAST_ACK
#define sLI LB_TCP_LISTEN
#define sSA LB_TCP_SYNACK
static const uint8_t tcp_states[3][4][LB_TCP_STATE_MAX] = {
	[LB_DIR_IN] = {
		/*        sNO, sES, sSS, sSR, sFW, sTW, sCL, sCW, sLA, sLI, sSA */
		/*syn*/ { sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR },
		/*fin*/ { sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sTW },
		/*ack*/ { sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES },
		/*rst*/ { sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sSR },
	},
	[LB_DIR_OUT] = {
		/*syn*/ { sSS, sES, sSS, sSR, sSS, sSS, sSS, sSS, sSS, sLI, sSR },
		/*fin*/ { sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW },
		/*ack*/ { sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES },
		/*rst*/ { sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL },
	},
	[LB_DIR_IN_ONLY] = {
		/*syn*/ { sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR },
		/*fin*/ { sCL, sFW, sSS, sTW, sFW, sTW, sCL, sCW, sLA, sLI, sTW },
		/*ack*/ { sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES },
		/*rst*/ { sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sCL },
	},
};

static const char *const state_names[] = {
	"NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT",
	"CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK", "UDP",
};

const char *
lb_conn_state_name(unsigned int state)
{
	return state < RTE_DIM(state_names) ? state_names[state] : "?";
}

enum lb_tcp_state
lb_tcp_next_state(enum lb_tcp_state cur, enum lb_dir dir, uint8_t flags)
{
	int ev;

	if (flags & RTE_TCP_RST_FLAG)
		ev = 3;
	else if (flags & RTE_TCP_SYN_FLAG)
		ev = 0;
	else if (flags & RTE_TCP_FIN_FLAG)
		ev = 1;
	else if (flags & RTE_TCP_ACK_FLAG)
		ev = 2;
	else
		return cur;
	if ((unsigned int)cur >= LB_TCP_STATE_MAX || (unsigned int)dir > LB_DIR_IN_ONLY)
		return LB_TCP_CLOSE;
	return (enum lb_tcp_state)tcp_states[dir][ev][cur];
}

/* RCU reclaim callback: the client-direction key owns the connection. */
static void
free_conn(void *pool, void *key_data)
{
	if (((uintptr_t)key_data & OUT_TAG) == 0)
		rte_mempool_put(pool, key_data);
}

int
lb_conn_init(unsigned int nb_workers, unsigned int max_conns,
	     struct rte_rcu_qsbr *rcu, const struct lb_config *cfg)
{
	static const uint32_t tcp_defaults[LB_TCP_STATE_MAX] = {
		[LB_TCP_NONE] = 2, [LB_TCP_ESTABLISHED] = 900, [LB_TCP_SYN_SENT] = 120,
		[LB_TCP_SYN_RECV] = 60, [LB_TCP_FIN_WAIT] = 120, [LB_TCP_TIME_WAIT] = 120,
		[LB_TCP_CLOSE] = 10, [LB_TCP_CLOSE_WAIT] = 60, [LB_TCP_LAST_ACK] = 30,
		[LB_TCP_LISTEN] = 120, [LB_TCP_SYNACK] = 120,
	};
	unsigned int per = (max_conns + nb_workers - 1) / nb_workers, w;

	memcpy(timeouts.tcp, tcp_defaults, sizeof(tcp_defaults));
	lb_conn_set_timeouts(cfg);
	tsc_hz = rte_get_tsc_hz();
	conn_rcu = rcu;
	if (per < 64)
		per = 64;
	for (w = 0; w < nb_workers; w++) {
		char name[RTE_HASH_NAMESIZE];
		struct rte_hash_parameters p = {
			.name = name,
			/* two keys per NAT connection, and room: a cuckoo table
			 * that is full at the maximum refuses inserts early */
			.entries = per * 2 + per / 2,
			.key_len = sizeof(struct lb_conn_key),
			.hash_func = rte_hash_crc,
			.socket_id = (int)rte_socket_id(),
			.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
		};
		struct rte_hash_rcu_config rc = {
			.v = rcu, .mode = RTE_HASH_QSBR_MODE_DQ,
			.free_key_data_func = free_conn,
		};

		snprintf(name, sizeof(name), "lb_conn_%u", w);
		tables[w].hash = rte_hash_create(&p);
		snprintf(name, sizeof(name), "lb_connp_%u", w);
		/* headroom past max: evicted entries wait out an RCU grace period */
		tables[w].max = per;
		tables[w].pool = rte_mempool_create(name, per + per / 16 + 512,
						    sizeof(struct lb_conn), 256, 0,
						    NULL, NULL, NULL, NULL, p.socket_id, 0);
		tables[w].live = rte_zmalloc_socket("lb_conn_live", sizeof(struct lb_conn *) * per,
						    RTE_CACHE_LINE_SIZE, p.socket_id);
		nb_tables = w + 1;
		if (tables[w].hash == NULL || tables[w].pool == NULL || tables[w].live == NULL) {
			LOG(ERR, "cannot allocate a table of %u connections for worker %u: %s "
			    "(lower connections.max or give EAL more memory)", per, w,
			    rte_strerror(rte_errno));
			return -ENOMEM;
		}
		rc.key_data_ptr = tables[w].pool;
		if (rcu != NULL && rte_hash_rcu_qsbr_add(tables[w].hash, &rc) != 0) {
			LOG(ERR, "cannot attach RCU to connection table %u", w);
			return -ENOMEM;
		}
	}
	LOG(INFO, "%u connection(s) per worker, %zu bytes each", per, lb_conn_bytes_per_conn());
	return 0;
}

void
lb_conn_term(void)
{
	unsigned int w;

	if (conn_rcu != NULL && walker_id >= 0)
		rte_rcu_qsbr_thread_unregister(conn_rcu, (unsigned int)walker_id);
	walker_id = -1;
	conn_rcu = NULL;
	for (w = 0; w < nb_tables; w++) {
		rte_hash_free(tables[w].hash);
		rte_mempool_free(tables[w].pool);
		rte_free(tables[w].live);
		memset(&tables[w], 0, sizeof(tables[w]));
	}
	nb_tables = 0;
}

static struct lb_conn *
decode(void *data, enum lb_dir *dir)
{
	*dir = ((uintptr_t)data & OUT_TAG) ? LB_DIR_OUT : LB_DIR_IN;
	return (struct lb_conn *)((uintptr_t)data & ~OUT_TAG);
}

struct lb_conn *
lb_conn_lookup(unsigned int worker, const struct lb_conn_key *key, enum lb_dir *dir)
{
	void *data;
	unsigned int w;

	if (worker < nb_tables && rte_hash_lookup_data(tables[worker].hash, key, &data) >= 0)
		return decode(data, dir);
	for (w = 0; w < nb_tables; w++)
		if (w != worker && rte_hash_lookup_data(tables[w].hash, key, &data) >= 0)
			return decode(data, dir);
	return NULL;
}

void
lb_conn_lookup_bulk(unsigned int worker, const struct lb_conn_key **keys, unsigned int n,
		    struct lb_conn **conns, enum lb_dir *dirs)
{
	void *data[RTE_HASH_LOOKUP_BULK_MAX];
	uint64_t hits = 0;
	unsigned int i, w;

	if (worker < nb_tables && n > 0 &&
	    rte_hash_lookup_bulk_data(tables[worker].hash, (const void **)keys, n, &hits,
				      data) < 0)
		hits = 0;
	for (i = 0; i < n; i++) {
		void *d;

		if (hits & (1ULL << i)) {
			conns[i] = decode(data[i], &dirs[i]);
			rte_prefetch0(conns[i]);	/* both lines: dest and svc are in the 2nd */
			rte_prefetch0((const char *)conns[i] + RTE_CACHE_LINE_SIZE);
			continue;
		}
		conns[i] = NULL;
		for (w = 0; w < nb_tables; w++)
			if (w != worker && rte_hash_lookup_data(tables[w].hash, keys[i], &d) >= 0) {
				conns[i] = decode(d, &dirs[i]);
				break;
			}
	}
}

static void
update_overload(const struct lb_conn *c)
{
	const struct lb_dest d = {
		.state = c->dest, .weight = 1,
		.u_threshold = __atomic_load_n(&c->dest->u_threshold, __ATOMIC_RELAXED),
		.l_threshold = __atomic_load_n(&c->dest->l_threshold, __ATOMIC_RELAXED),
	};

	lb_dest_update_overload(&d);
}

/* Put c in the owner's dense list (expiry scans it). Owner only. */
static void
track(struct conn_table *t, struct lb_conn *c)
{
	c->slot = t->count;
	__atomic_store_n(&t->live[t->count], c, __ATOMIC_RELAXED);
	__atomic_store_n(&t->count, t->count + 1, __ATOMIC_RELEASE);	/* lb_conn_walk */
}

/* Take c out of the dense list: the last entry fills its place. Owner only. */
static void
untrack(struct conn_table *t, struct lb_conn *c)
{
	struct lb_conn *last = t->live[t->count - 1];

	__atomic_store_n(&t->live[c->slot], last, __ATOMIC_RELAXED);
	last->slot = c->slot;
	__atomic_store_n(&t->count, t->count - 1, __ATOMIC_RELAXED);
}

/* A zeroed entry from worker's pool, bound to real server d of svc. */
static struct lb_conn *
conn_alloc(struct conn_table *t, unsigned int worker, const struct lb_service *svc,
	   const struct lb_dest *d)
{
	struct lb_conn *c;

	if (t->count >= t->max || rte_mempool_get(t->pool, (void **)&c) != 0)
		return NULL;
	memset(c, 0, sizeof(*c));
	c->daddr = d->addr;
	c->dport = d->port;
	c->fwd = d->fwd;
	c->out_port = d->port_id;
	c->nexthop = d->fwd == LB_FWD_DR ? d->addr : d->nexthop;
	c->owner = (uint8_t)worker;
	c->created_tsc = rte_rdtsc();
	c->dest = d->state;
	c->svc = svc->state;
	return c;
}

static void
template_key(struct lb_conn_key *k, const struct lb_service *svc, rte_be32_t caddr)
{
	memset(k, 0, sizeof(*k));
	k->saddr = caddr & svc->netmask;
	k->daddr = svc->vip;
	k->dport = svc->vport;
	k->proto = svc->proto;
	k->pad[0] = LB_KEY_TEMPLATE;
}

/* Take a reference unless the owner has started removing it. */
static bool
template_acquire(struct lb_conn *t)
{
	uint32_t v = __atomic_load_n(&t->controlled, __ATOMIC_ACQUIRE);

	do {
		if (v == LB_TMPL_DEAD)
			return false;
	} while (!__atomic_compare_exchange_n(&t->controlled, &v, v + 1, true,
					      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	return true;
}

void
lb_conn_template_put(struct lb_conn *tmpl)
{
	__atomic_fetch_sub(&tmpl->controlled, 1, __ATOMIC_RELEASE);
}

struct lb_conn *
lb_conn_template_get(unsigned int worker, const struct lb_service *svc, rte_be32_t caddr,
		     uint64_t now)
{
	struct lb_conn_key k;
	struct lb_conn *t;
	enum lb_dir dir;

	template_key(&k, svc, caddr);
	t = lb_conn_lookup(worker, &k, &dir);
	if (t == NULL || !template_acquire(t))
		return NULL;
	__atomic_store_n(&t->expire_tsc, now + tsc_hz * t->timeout_s, __ATOMIC_RELAXED);
	return t;
}

struct lb_conn *
lb_conn_template_create(unsigned int worker, const struct lb_service *svc,
			rte_be32_t caddr, const struct lb_dest *d, uint64_t now)
{
	struct conn_table *t = &tables[worker];
	struct lb_conn *c;

	c = conn_alloc(t, worker, svc, d);
	if (c == NULL)
		return NULL;
	template_key(&c->in, svc, caddr);
	c->is_template = true;
	c->controlled = 1;
	c->timeout_s = svc->timeout;
	c->state = LB_UDP_STATE;	/* templates have no TCP state */
	c->expire_tsc = now + tsc_hz * svc->timeout;
	if (rte_hash_add_key_data(t->hash, &c->in, c) != 0) {
		rte_mempool_put(t->pool, c);
		return NULL;
	}
	__atomic_fetch_add(&c->dest->persistconns, 1, __ATOMIC_RELAXED);
	track(t, c);
	return c;
}

struct lb_conn *
lb_conn_create(unsigned int worker, const struct lb_conn_key *in,
	       const struct lb_service *svc, const struct lb_dest *d,
	       rte_be32_t laddr, rte_be16_t lport, struct lb_conn *tmpl, uint64_t now)
{
	struct conn_table *t = &tables[worker];
	struct lb_conn *c;

	c = conn_alloc(t, worker, svc, d);
	if (c == NULL)
		return NULL;
	c->in = *in;
	c->tmpl = tmpl;		/* its reference now belongs to c */
	c->state = in->proto == IPPROTO_TCP ? LB_TCP_NONE : LB_UDP_STATE;
	c->expire_tsc = now + tsc_hz * 2;
	c->out.proto = in->proto;
	c->out.saddr = d->addr;
	c->out.sport = d->port;
	c->out.daddr = d->fwd == LB_FWD_FNAT ? laddr : in->saddr;
	c->out.dport = d->fwd == LB_FWD_FNAT ? lport : in->sport;
	if (rte_hash_add_key_data(t->hash, &c->in, c) != 0) {
		rte_mempool_put(t->pool, c);
		return NULL;
	}
	if ((c->fwd == LB_FWD_NAT || c->fwd == LB_FWD_FNAT) &&
	    rte_hash_add_key_data(t->hash, &c->out, (void *)((uintptr_t)c | OUT_TAG)) != 0) {
		rte_hash_del_key(t->hash, &c->in);	/* frees c after a grace period */
		return NULL;
	}
	__atomic_fetch_add(&c->dest->inactconns, 1, __ATOMIC_RELAXED);
	c->dest->stats[worker].conns++;
	c->svc->stats[worker].conns++;
	track(t, c);
	update_overload(c);
	return c;
}

/*
 * Move c's expiry to t. Skipped when it would move by under a second:
 * established flows then write the shared line about once a second, not
 * once a packet. A shorter timeout (FIN, RST) always lands.
 */
static inline void
set_expire(struct lb_conn *c, uint64_t t)
{
	uint64_t cur = __atomic_load_n(&c->expire_tsc, __ATOMIC_RELAXED);

	if (t < cur || t - cur > tsc_hz)
		__atomic_store_n(&c->expire_tsc, t, __ATOMIC_RELAXED);
}

/* c went from state old to new: move it between its real server's counts. */
static void
move_counts(struct lb_conn *c, uint8_t old, uint8_t new)
{
	if (new == LB_TCP_ESTABLISHED && old != LB_TCP_ESTABLISHED) {
		__atomic_fetch_add(&c->dest->activeconns, 1, __ATOMIC_RELAXED);
		__atomic_fetch_sub(&c->dest->inactconns, 1, __ATOMIC_RELAXED);
	} else if (old == LB_TCP_ESTABLISHED && new != LB_TCP_ESTABLISHED) {
		__atomic_fetch_sub(&c->dest->activeconns, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&c->dest->inactconns, 1, __ATOMIC_RELAXED);
	}
}

void
lb_conn_sync_set(struct lb_conn *c, uint8_t state, uint32_t timeout_s, uint64_t now)
{
	uint8_t old = __atomic_load_n(&c->state, __ATOMIC_RELAXED);

	if (old != LB_UDP_STATE && state < LB_TCP_STATE_MAX && state != old &&
	    __atomic_compare_exchange_n(&c->state, &old, state, false, __ATOMIC_RELAXED,
					__ATOMIC_RELAXED))
		move_counts(c, old, state);
	else
		state = old;
	if (timeout_s == 0)
		timeout_s = state == LB_UDP_STATE ? timeouts.udp : timeouts.tcp[state];
	__atomic_store_n(&c->expire_tsc, now + tsc_hz * timeout_s, __ATOMIC_RELAXED);
	c->sync_state = state;
	__atomic_store_n(&c->sync_tsc, now, __ATOMIC_RELAXED);
	update_overload(c);
}

void
lb_conn_seen(struct lb_conn *c, enum lb_dir dir, uint8_t tcp_flags, uint64_t now)
{
	uint8_t old = __atomic_load_n(&c->state, __ATOMIC_RELAXED), new;
	uint32_t timeout;

	if (old == LB_UDP_STATE) {
		set_expire(c, now + tsc_hz * timeouts.udp);
		return;
	}
	if (dir == LB_DIR_IN && (c->fwd == LB_FWD_DR || c->fwd == LB_FWD_TUN))
		dir = LB_DIR_IN_ONLY;
	new = (uint8_t)lb_tcp_next_state(old, dir, tcp_flags);
	if (new != old &&
	    __atomic_compare_exchange_n(&c->state, &old, new, false, __ATOMIC_RELAXED,
					__ATOMIC_RELAXED)) {
		move_counts(c, old, new);	/* only the winner of the change */
		/* the real server answered a SYN with a RST: the passive health check */
		if (dir == LB_DIR_OUT && old == LB_TCP_SYN_RECV && (tcp_flags & RTE_TCP_RST_FLAG))
			__atomic_fetch_add(&c->dest->passive_fails, 1, __ATOMIC_RELAXED);
	} else {
		new = __atomic_load_n(&c->state, __ATOMIC_RELAXED);
	}
	timeout = timeouts.tcp[new < LB_TCP_STATE_MAX ? new : LB_TCP_CLOSE];
	set_expire(c, now + tsc_hz * timeout);
}

static void
remove_conn(struct conn_table *t, struct lb_conn *c)
{
	uint8_t st = __atomic_load_n(&c->state, __ATOMIC_RELAXED);

	if (unlikely(c->proxy != LB_PROXY_NONE))
		lb_synproxy_release(c);	/* a segment still held: freed */

	if (lb_conn_removed_hook != NULL && __atomic_load_n(&c->sync_tsc, __ATOMIC_RELAXED) != 0)
		lb_conn_removed_hook(c);

	if (c->is_template) {
		__atomic_fetch_sub(&c->dest->persistconns, 1, __ATOMIC_RELAXED);
		untrack(t, c);
		rte_hash_del_key(t->hash, &c->in);
		return;
	}
	if (c->tmpl != NULL)
		lb_conn_template_put(c->tmpl);
	if (c->fwd == LB_FWD_NAT || c->fwd == LB_FWD_FNAT)
		rte_hash_del_key(t->hash, &c->out);
	if (st == LB_TCP_ESTABLISHED)
		__atomic_fetch_sub(&c->dest->activeconns, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_sub(&c->dest->inactconns, 1, __ATOMIC_RELAXED);
	update_overload(c);
	untrack(t, c);
	rte_hash_del_key(t->hash, &c->in);	/* c is freed after a grace period */
}

/* 2: half-open, taken first; 1: closing or never answered; 0: never evicted. */
static int
evict_rank(const struct lb_conn *c)
{
	uint8_t st = __atomic_load_n(&c->state, __ATOMIC_RELAXED);

	if (c->is_template || st == LB_UDP_STATE)
		return 0;
	switch (st) {
	case LB_TCP_SYN_RECV: case LB_TCP_SYN_SENT: case LB_TCP_NONE: case LB_TCP_SYNACK:
		return 2;
	case LB_TCP_TIME_WAIT: case LB_TCP_CLOSE: case LB_TCP_FIN_WAIT: case LB_TCP_LAST_ACK:
	case LB_TCP_CLOSE_WAIT:
		return 1;
	default:
		return 0;	/* ESTABLISHED, LISTEN */
	}
}

#define EVICT_SCAN 64	/* entries looked at per new connection when full */

int
lb_conn_make_room(unsigned int worker)
{
	struct conn_table *t = &tables[worker];
	struct lb_conn *best = NULL;
	int best_rank = 0;
	unsigned int k;

	if (worker >= nb_tables)
		return -ENOSPC;
	if (t->count < t->max)
		return 0;
	for (k = 0; k < EVICT_SCAN && k < t->count; k++) {
		struct lb_conn *c;
		int r;

		if (t->evict_cursor >= t->count)
			t->evict_cursor = 0;
		c = t->live[t->evict_cursor++];
		r = evict_rank(c);
		if (r > best_rank) {
			best = c;
			best_rank = r;
			if (r == 2)
				break;
		}
	}
	if (best == NULL)
		return -ENOSPC;
	remove_conn(t, best);
	return 1;
}

bool
lb_conn_retire_for_reuse(unsigned int worker, struct lb_conn *c)
{
	uint8_t st = __atomic_load_n(&c->state, __ATOMIC_RELAXED);

	if (c->owner != worker || worker >= nb_tables || c->is_template ||
	    (st != LB_TCP_TIME_WAIT && st != LB_TCP_CLOSE))
		return false;
	remove_conn(&tables[worker], c);
	return true;
}

unsigned int
lb_conn_expire(unsigned int worker, uint64_t now, unsigned int budget)
{
	struct conn_table *t = &tables[worker];
	unsigned int removed = 0;

	if (worker >= nb_tables)
		return 0;
	/* exactly `budget` entries looked at, however large the table */
	while (budget-- > 0 && t->count > 0) {
		struct lb_conn *c;

		if (t->cursor >= t->count)
			t->cursor = 0;
		c = t->live[t->cursor];
		if ((int64_t)(now - __atomic_load_n(&c->expire_tsc, __ATOMIC_RELAXED)) < 0) {
			t->cursor++;
			continue;
		}
		if (c->is_template) {
			uint32_t zero = 0;

			/* in use: live on for another timeout, as LVS re-arms it */
			if (!__atomic_compare_exchange_n(&c->controlled, &zero, LB_TMPL_DEAD,
							 false, __ATOMIC_ACQ_REL,
							 __ATOMIC_RELAXED)) {
				__atomic_store_n(&c->expire_tsc, now + tsc_hz * c->timeout_s,
						 __ATOMIC_RELAXED);
				t->cursor++;
				continue;
			}
		}
		remove_conn(t, c);	/* the last entry moves to cursor: check it next */
		removed++;
	}
	return removed;
}

unsigned int
lb_conn_scan(unsigned int worker, unsigned int budget,
	     void (*fn)(unsigned int worker, struct lb_conn *c, void *arg), void *arg)
{
	struct conn_table *t = &tables[worker];
	unsigned int seen = 0;

	if (worker >= nb_tables)
		return 0;
	while (seen < budget && seen < t->count) {
		if (t->scan_cursor >= t->count)
			t->scan_cursor = 0;
		fn(worker, t->live[t->scan_cursor++], arg);
		seen++;
	}
	return seen;
}

void
lb_conn_set_timeouts(const struct lb_config *cfg)
{
	__atomic_store_n(&timeouts.tcp[LB_TCP_ESTABLISHED], cfg->tcp_timeout, __ATOMIC_RELAXED);
	__atomic_store_n(&timeouts.tcp[LB_TCP_FIN_WAIT], cfg->tcpfin_timeout, __ATOMIC_RELAXED);
	__atomic_store_n(&timeouts.udp, cfg->udp_timeout, __ATOMIC_RELAXED);
}

/* What the CLI shows of c: copied, so no pointer into the table escapes. */
static void
conn_info(const struct lb_conn *c, unsigned int worker, uint64_t now, struct lb_conn_info *i)
{
	uint64_t expire = __atomic_load_n(&c->expire_tsc, __ATOMIC_RELAXED);

	i->in = c->in;
	i->out = c->out;
	i->daddr = c->daddr;
	i->dport = c->dport;
	i->fwd = c->fwd;
	i->state = __atomic_load_n(&c->state, __ATOMIC_RELAXED);
	i->is_template = c->is_template;
	i->worker = (uint8_t)worker;
	i->expire_s = expire > now ? (uint32_t)((expire - now) / tsc_hz) : 0;
}

unsigned int
lb_conn_walk(uint64_t *cursor, struct lb_conn_info *out, unsigned int max, unsigned int rcu_id)
{
	unsigned int w = (unsigned int)(*cursor >> 32), n = 0;
	uint32_t i = (uint32_t)*cursor, count;
	uint64_t now = rte_get_tsc_cycles();

	if (*cursor == UINT64_MAX)
		return 0;
	if (conn_rcu != NULL && walker_id < 0) {
		if (rte_rcu_qsbr_thread_register(conn_rcu, rcu_id) != 0)
			return 0;
		walker_id = (int)rcu_id;
	}
	if (conn_rcu != NULL)
		rte_rcu_qsbr_thread_online(conn_rcu, (unsigned int)walker_id);
	while (w < nb_tables && n < max) {
		const struct conn_table *t = &tables[w];

		count = __atomic_load_n(&t->count, __ATOMIC_ACQUIRE);
		while (i < count && n < max) {
			const struct lb_conn *c = __atomic_load_n(&t->live[i], __ATOMIC_ACQUIRE);

			i++;
			if (c != NULL)
				conn_info(c, w, now, &out[n++]);
		}
		if (i >= count) {
			w++;
			i = 0;
		}
	}
	if (conn_rcu != NULL)
		rte_rcu_qsbr_thread_offline(conn_rcu, (unsigned int)walker_id);
	*cursor = w >= nb_tables ? UINT64_MAX : (uint64_t)w << 32 | i;
	return n;
}

unsigned int
lb_conn_count(void)
{
	unsigned int w, n = 0;

	for (w = 0; w < nb_tables; w++)
		n += __atomic_load_n(&tables[w].count, __ATOMIC_RELAXED);
	return n;
}

size_t
lb_conn_bytes_per_conn(void)
{
	/*
	 * Mempool element with header and trailer, the dense-list pointer, and
	 * per NAT connection 2.5 hash entries (key slot with data, bucket slot,
	 * free-slot ring entry) plus the RCU defer-queue entry; the benchmark
	 * measured 369 B on the heap with the earlier 2-entry sizing.
	 */
	struct rte_mempool_objsz sz;

	rte_mempool_calc_obj_size(sizeof(struct lb_conn), 0, &sz);
	return sz.total_size + sizeof(struct lb_conn *) +
	       5 * (sizeof(struct lb_conn_key) + sizeof(void *) + 8 + 8 + 4) / 2 + 32;
}

#define FNAT_PORT_MIN 1024
#define FNAT_TRIES 64

unsigned int
lb_conn_fnat_port_owner(rte_be16_t lport)
{
	const uint32_t span = (65536 - FNAT_PORT_MIN) / (nb_tables ? nb_tables : 1);
	uint32_t p = rte_be_to_cpu_16(lport);

	if (nb_tables == 0 || p < FNAT_PORT_MIN)
		return 0;
	p = (p - FNAT_PORT_MIN) / span;
	return p < nb_tables ? p : nb_tables - 1;
}

int
lb_conn_fnat_local(unsigned int worker, const struct lb_service *svc,
		   const struct lb_dest *d, rte_be32_t *laddr, rte_be16_t *lport)
{
	const uint32_t span = (65536 - FNAT_PORT_MIN) / (nb_tables ? nb_tables : 1);
	const uint32_t base = FNAT_PORT_MIN + span * worker;
	uint32_t *cur = &fnat_cursor[worker][0];
	struct lb_conn_key k = { .saddr = d->addr, .sport = d->port, .proto = svc->proto };
	unsigned int i;

	if (svc->nb_laddrs == 0 || worker >= nb_tables)
		return -EINVAL;
	for (i = 0; i < FNAT_TRIES; i++) {
		uint32_t n = (*cur)++;

		k.daddr = svc->laddrs[n % svc->nb_laddrs];
		k.dport = rte_cpu_to_be_16((uint16_t)(base + (n / svc->nb_laddrs) % span));
		if (rte_hash_lookup(tables[worker].hash, &k) < 0) {
			*laddr = k.daddr;
			*lport = k.dport;
			return 0;
		}
	}
	return -EADDRINUSE;
}
