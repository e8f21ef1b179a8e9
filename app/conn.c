/* SPDX-License-Identifier: BSD-3-Clause */
/* Connection table: per-worker single-writer hashes, lock-free reads by all. */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>
#include <rte_tcp.h>
#include <netinet/in.h>

#include "app/conn.h"
#include "app/conn_index.h"
#include "app/synproxy.h"
#include "pmd-glue/route.h"

RTE_LOG_REGISTER_SUFFIX(lb_conn_logtype, conn, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_conn_logtype, "conn: " fmt "\n", ##__VA_ARGS__)

#define RETIRE_BATCHES 64	/* RCU tokens waited on at once per table */
#define MAX_TIMEOUT_S (30u * 86400)	/* timeouts are clamped to 30 days */

/*
 * One worker's table. The first line is read by every worker; the rest is
 * the owner's alone.
 */
struct conn_table {
	struct lb_conn_index index;
	uint32_t first;			/* its entries: lb_conn_base[first, first + cap) */
	uint32_t cap;			/* entries (max and headroom for the RCU wait) */
	uint32_t max;			/* connections allowed */
	/* written by the owner only from here */
	uint32_t count __rte_cache_aligned;	/* connections; read by lb_conn_count */
	uint64_t *used;			/* a bit per entry in use (atomic words: lb_conn_walk) */
	uint32_t *ring;			/* free entries (ids), cap of them */
	uint32_t head;			/* next to hand out */
	uint32_t avail;			/* free and past the RCU wait, from head on */
	uint32_t pending;		/* freed after those, not yet past it */
	uint32_t open;			/* of pending: freed since the last token */
	struct {
		uint64_t token;		/* rte_rcu_qsbr_start() when closed */
		uint32_t n;		/* entries freed before it */
	} batch[RETIRE_BATCHES];
	uint32_t batch_head, nb_batches;
	uint32_t cursor;		/* next entry lb_conn_expire checks */
	uint32_t evict_cursor;		/* where lb_conn_make_room looks next */
	uint32_t scan_cursor;		/* next entry for lb_conn_scan */
} __rte_cache_aligned;

static struct conn_table tables[LB_MAX_WORKERS];
static uint32_t fnat_cursor[LB_MAX_WORKERS][RTE_CACHE_LINE_SIZE / sizeof(uint32_t)];
static unsigned int nb_tables;
static struct lb_conn_timeouts timeouts;
uint32_t lb_conn_tick_hz;
uint32_t lb_conn_established_ticks;
static struct rte_rcu_qsbr *conn_rcu;	/* the workers' QSBR variable */
static int walker_id = -1;		/* lb_conn_walk's registered RCU thread id */
struct lb_conn *lb_conn_base;
struct lb_conn_ext *lb_conn_ext_base;
unsigned int lb_conn_tick_shift;
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


static inline uint32_t
conn_id(const struct lb_conn *c)
{
	return (uint32_t)(c - lb_conn_base);
}

/* Seconds as connection-clock ticks (timeouts over 30 days are clamped). */
static inline uint32_t
secs(uint32_t s)
{
	return RTE_MIN(s, MAX_TIMEOUT_S) * lb_conn_tick_hz;
}

/* Has the connection clock passed t? */
static inline bool
ticks_passed(uint32_t now, uint32_t t)
{
	return (int32_t)(now - t) >= 0;
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
	const int socket = (int)rte_socket_id();
	uint64_t hz = rte_get_tsc_hz(), total;
	uint32_t cap, i;

	memcpy(timeouts.tcp, tcp_defaults, sizeof(tcp_defaults));
	for (lb_conn_tick_shift = 0; (hz >> (lb_conn_tick_shift + 1)) >= 256; lb_conn_tick_shift++)
		;
	lb_conn_tick_hz = (uint32_t)(hz >> lb_conn_tick_shift);
	lb_conn_set_timeouts(cfg);	/* in ticks too: after lb_conn_tick_hz */
	conn_rcu = rcu;
	if (per < 64)
		per = 64;
	/* headroom past max: removed entries wait out an RCU grace period */
	cap = per + per / 32 + 1024;
	total = (uint64_t)cap * nb_workers;
	if (nb_workers == 0 || nb_workers > LB_MAX_WORKERS || total >= LB_REF_OUT - 1) {
		LOG(ERR, "%u connections on %u workers: too many", max_conns, nb_workers);
		return -EINVAL;
	}
	lb_conn_base = rte_zmalloc_socket("lb_conns", total * sizeof(struct lb_conn),
					  RTE_CACHE_LINE_SIZE, socket);
	lb_conn_ext_base = rte_zmalloc_socket("lb_conn_ext", total * sizeof(struct lb_conn_ext),
					      RTE_CACHE_LINE_SIZE, socket);
	for (w = 0; w < nb_workers; w++) {
		struct conn_table *t = &tables[w];

		nb_tables = w + 1;
		t->first = cap * w;
		t->cap = cap;
		t->max = per;
		t->avail = cap;
		t->used = rte_zmalloc_socket("lb_conn_used", (cap + 63) / 64 * sizeof(uint64_t),
					     RTE_CACHE_LINE_SIZE, socket);
		t->ring = rte_malloc_socket("lb_conn_free", (size_t)cap * sizeof(uint32_t),
					    RTE_CACHE_LINE_SIZE, socket);
		/* two keys per NAT connection */
		if (lb_conn_base == NULL || lb_conn_ext_base == NULL || t->used == NULL ||
		    t->ring == NULL || lb_conn_index_init(&t->index, per * 2, socket) != 0) {
			LOG(ERR, "cannot allocate a table of %u connections for worker %u "
			    "(lower connections.max or give EAL more memory)", per, w);
			return -ENOMEM;
		}
		for (i = 0; i < cap; i++)
			t->ring[i] = t->first + i;
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
		lb_conn_index_free(&tables[w].index);
		rte_free(tables[w].used);
		rte_free(tables[w].ring);
		memset(&tables[w], 0, sizeof(tables[w]));
	}
	rte_free(lb_conn_base);
	rte_free(lb_conn_ext_base);
	lb_conn_base = NULL;
	lb_conn_ext_base = NULL;
	nb_tables = 0;
}

/* The connection and direction of index reference ref (non-zero). */
static inline struct lb_conn *
decode(uint32_t ref, enum lb_dir *dir)
{
	*dir = (ref & LB_REF_OUT) ? LB_DIR_OUT : LB_DIR_IN;
	return lb_conn_of_ref(ref);
}

struct lb_conn *
lb_conn_lookup(unsigned int worker, const struct lb_conn_key *key, enum lb_dir *dir)
{
	uint32_t ref;
	unsigned int w;

	if (worker < nb_tables && (ref = lb_conn_index_find(&tables[worker].index, key)) != 0)
		return decode(ref, dir);
	for (w = 0; w < nb_tables; w++)
		if (w != worker && (ref = lb_conn_index_find(&tables[w].index, key)) != 0)
			return decode(ref, dir);
	return NULL;
}

void
lb_conn_lookup_prefetch(unsigned int worker, const struct lb_conn_key *key,
			struct lb_conn_probe *pr)
{
	if (likely(worker < nb_tables))
		lb_conn_index_prefetch(&tables[worker].index, key, pr);
}

uint32_t
lb_conn_lookup_candidate(unsigned int worker, const struct lb_conn_probe *pr)
{
	uint32_t cand;
	unsigned int w;

	if (unlikely(worker >= nb_tables))
		return 0;
	cand = lb_conn_index_candidate(&tables[worker].index, pr);
	/* none here: maybe a NAT reply whose connection another worker made */
	for (w = 0; cand == 0 && w < nb_tables; w++)
		if (w != worker)
			lb_conn_index_prefetch_hashed(&tables[w].index, pr);
	return cand;
}

uint32_t
lb_conn_lookup_candidate_others(unsigned int worker, const struct lb_conn_probe *pr)
{
	uint32_t cand = 0;
	unsigned int w;

	for (w = 0; cand == 0 && w < nb_tables; w++)
		if (w != worker)
			cand = lb_conn_index_candidate(&tables[w].index, pr);
	return cand;
}

struct lb_conn *
lb_conn_lookup_finish(unsigned int worker, const struct lb_conn_key *key, uint32_t cand,
		      enum lb_dir *dir)
{
	/* the candidate may be from any table: references are global */
	if (cand != 0 && lb_conn_index_confirm(key, cand))
		return decode(cand, dir);
	return lb_conn_lookup(worker, key, dir);
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

/* Position i + k of the free ring (i < cap, k <= cap): no division. */
static inline uint32_t
ring_at(const struct conn_table *t, uint32_t i, uint32_t k)
{
	i += k;
	return i >= t->cap ? i - t->cap : i;
}

/* Take an RCU token for the entries freed since the last. Owner only. */
static void
retire_close(struct conn_table *t)
{
	uint64_t token;
	uint32_t last;

	if (t->open == 0)
		return;
	token = rte_rcu_qsbr_start(conn_rcu);
	if (t->nb_batches == RETIRE_BATCHES) {
		/* no room: the newest batch waits for the newer token too */
		last = (t->batch_head + t->nb_batches - 1) & (RETIRE_BATCHES - 1);
		t->batch[last].token = token;
		t->batch[last].n += t->open;
	} else {
		last = (t->batch_head + t->nb_batches++) & (RETIRE_BATCHES - 1);
		t->batch[last].token = token;
		t->batch[last].n = t->open;
	}
	t->open = 0;
}

/* Make the entries of every batch whose grace period is over free. Owner only. */
static void
retire_reclaim(struct conn_table *t)
{
	while (t->nb_batches > 0 &&
	       rte_rcu_qsbr_check(conn_rcu, t->batch[t->batch_head].token, false) == 1) {
		t->avail += t->batch[t->batch_head].n;
		t->pending -= t->batch[t->batch_head].n;
		t->batch_head = (t->batch_head + 1) & (RETIRE_BATCHES - 1);
		t->nb_batches--;
	}
}

/* A free entry's id, or UINT32_MAX. Owner only. */
static uint32_t
id_alloc(struct conn_table *t)
{
	uint32_t id;

	if (t->avail == 0 && conn_rcu != NULL) {
		retire_close(t);
		retire_reclaim(t);
	}
	if (t->avail == 0)
		return UINT32_MAX;
	id = t->ring[t->head];
	t->head = ring_at(t, t->head, 1);
	t->avail--;
	return id;
}

/* Give entry id back; reused once no reader can hold it. Owner only. */
static void
id_free(struct conn_table *t, uint32_t id)
{
	t->ring[ring_at(t, t->head, t->avail + t->pending)] = id;
	if (conn_rcu == NULL) {
		t->avail++;
		return;
	}
	t->pending++;
	t->open++;
}

/*
 * The next entry in use at or after *i (wrapping at cap), looking at no
 * more than *words 64-entry words in all (counted down): its index, or
 * UINT32_MAX.
 */
static uint32_t
next_used(const struct conn_table *t, uint32_t *i, unsigned int *words)
{
	while (*words > 0) {
		uint64_t bits;

		if (*i >= t->cap)
			*i = 0;
		bits = t->used[*i >> 6] >> (*i & 63);
		if (bits != 0) {
			*i += (uint32_t)__builtin_ctzll(bits);
			if (*i < t->cap)
				return (*i)++;
		}
		*i = (*i | 63) + 1;
		(*words)--;
	}
	return UINT32_MAX;
}

/* A zeroed entry of worker's table, bound to real server d of svc. */
static struct lb_conn *
conn_alloc(struct conn_table *t, unsigned int worker, const struct lb_service *svc,
	   const struct lb_dest *d, uint64_t now)
{
	struct lb_conn *c;
	uint32_t id;

	if (t->count >= t->max || (id = id_alloc(t)) == UINT32_MAX)
		return NULL;
	c = &lb_conn_base[id];
	memset(c, 0, sizeof(*c));
	memset(&lb_conn_ext_base[id], 0, sizeof(struct lb_conn_ext));
	c->out.saddr = d->addr;
	c->out.sport = d->port;
	c->fwd = (uint8_t)d->fwd;
	c->out_port = (uint8_t)d->port_id;
	c->nexthop = d->fwd == LB_FWD_DR ? d->addr : d->nexthop;
	c->owner = (uint8_t)worker;
	c->sync_state = LB_SYNC_NEVER;
	c->dest = d->state;
	c->svc = svc->state;
	lb_conn_ext_base[id].sync_time = lb_conn_ticks(now);
	return c;
}

/* c, filled in and indexed, is in the table. Owner only. */
static void
publish(struct conn_table *t, struct lb_conn *c)
{
	uint32_t i = conn_id(c) - t->first;

	__atomic_store_n(&t->used[i >> 6], t->used[i >> 6] | UINT64_C(1) << (i & 63),
			 __ATOMIC_RELAXED);
	__atomic_store_n(&c->live, true, __ATOMIC_RELEASE);	/* lb_conn_walk */
	__atomic_store_n(&t->count, t->count + 1, __ATOMIC_RELAXED);
}

/* c, out of the index, leaves the table; its entry is reused after QSBR. */
static void
unpublish(struct conn_table *t, struct lb_conn *c)
{
	uint32_t i = conn_id(c) - t->first;

	__atomic_store_n(&t->used[i >> 6], t->used[i >> 6] & ~(UINT64_C(1) << (i & 63)),
			 __ATOMIC_RELAXED);
	__atomic_store_n(&c->live, false, __ATOMIC_RELEASE);
	__atomic_store_n(&t->count, t->count - 1, __ATOMIC_RELAXED);
	id_free(t, conn_id(c));
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
template_acquire(struct lb_conn_ext *x)
{
	uint32_t v = __atomic_load_n(&x->controlled, __ATOMIC_ACQUIRE);

	do {
		if (v == LB_TMPL_DEAD)
			return false;
	} while (!__atomic_compare_exchange_n(&x->controlled, &v, v + 1, true,
					      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	return true;
}

void
lb_conn_template_put(struct lb_conn *tmpl)
{
	__atomic_fetch_sub(&lb_conn_ext(tmpl)->controlled, 1, __ATOMIC_RELEASE);
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
	if (t == NULL || !template_acquire(lb_conn_ext(t)))
		return NULL;
	__atomic_store_n(&t->expire, lb_conn_ticks(now) + secs(lb_conn_ext(t)->timeout_s),
			 __ATOMIC_RELAXED);
	return t;
}

struct lb_conn *
lb_conn_template_create(unsigned int worker, const struct lb_service *svc,
			rte_be32_t caddr, const struct lb_dest *d, uint64_t now)
{
	struct conn_table *t = &tables[worker];
	struct lb_conn_ext *x;
	struct lb_conn *c;

	c = conn_alloc(t, worker, svc, d, now);
	if (c == NULL)
		return NULL;
	x = lb_conn_ext(c);
	template_key(&c->in, svc, caddr);
	c->is_template = true;
	x->controlled = 1;
	x->timeout_s = svc->timeout;
	c->state = LB_UDP_STATE;	/* templates have no TCP state */
	c->expire = lb_conn_ticks(now) + secs(svc->timeout);
	if (lb_conn_index_add(&t->index, &c->in, conn_id(c) + 1) != 0) {
		id_free(t, conn_id(c));
		return NULL;
	}
	__atomic_fetch_add(&c->dest->persistconns, 1, __ATOMIC_RELAXED);
	publish(t, c);
	return c;
}

/* c's reply key as it was filed in the index, superseded or not. */
static inline struct lb_conn_key
filed_reply_key(const struct lb_conn *c)
{
	struct lb_conn_key k = c->out;

	k.pad[LB_KEY_SUPERSEDED_AT] = 0;
	return k;
}

/*
 * The older NAT connection filed under a new one's reply key out (any
 * table), or NULL. Asked before the new one is filed, which could
 * otherwise be found instead.
 */
static struct lb_conn *
reply_key_holder(unsigned int worker, const struct lb_conn_key *out)
{
	enum lb_dir dir;
	struct lb_conn *old = lb_conn_lookup(worker, out, &dir);

	return old != NULL && dir == LB_DIR_OUT && old->fwd == LB_FWD_NAT ? old : NULL;
}

/*
 * Two NAT connections with one reply key (a client reused its port towards
 * another VIP of the same real server, which holds one socket for both):
 * does the newcomer take the replies from holder old? Not from an
 * established TCP connection: a forged SYN would otherwise take its
 * replies (and reset it through the real server's challenge ACK); the
 * newcomer waits (LB_KEY_WAITING) and asks again on each SYN it sends
 * (lb_conn_claim_reply_key). From any other: a closing one (curl reuses
 * ports in TIME_WAIT: the new connection hung in SYN_RECV), a half-open
 * one (its real server socket may never have existed), and UDP (no
 * closing state: the newest, as IPVS).
 */
static bool
takes_reply_key(const struct lb_conn *old)
{
	return old->in.proto != IPPROTO_TCP ||
	       __atomic_load_n(&old->state, __ATOMIC_RELAXED) != LB_TCP_ESTABLISHED;
}

/*
 * old's reply key is taken: marked (see LB_KEY_SUPERSEDED), so lookups
 * from every worker pass it by; in the caller's own table its index entry
 * goes too, so lookups there do not even meet it. The caller is between
 * two quiescent states: old's entry cannot be reused meanwhile.
 */
static void
give_up_reply_key(struct conn_table *t, unsigned int worker, struct lb_conn *old)
{
	const struct lb_conn_key filed = filed_reply_key(old);

	__atomic_store_n(&old->out.pad[LB_KEY_SUPERSEDED_AT], LB_KEY_SUPERSEDED,
			 __ATOMIC_RELEASE);
	if (old->owner == worker)
		lb_conn_index_del(&t->index, &filed, (conn_id(old) + 1) | LB_REF_OUT);
}

/*
 * File c's NAT reply key, marked LB_KEY_WAITING, unless an established
 * connection holds it: then c keeps waiting. When filed, the mark goes and
 * a holder gives the key up. 1: filed; 0: waiting; -ENOSPC: no room in
 * the index (c as it was). Owner of c's table only.
 */
static int
file_reply_key(struct conn_table *t, unsigned int worker, struct lb_conn *c)
{
	const struct lb_conn_key filed = filed_reply_key(c);
	struct lb_conn *old = reply_key_holder(worker, &filed);

	if (old != NULL && !takes_reply_key(old))	/* decided once: old's state may move */
		return 0;
	if (lb_conn_index_add(&t->index, &filed, (conn_id(c) + 1) | LB_REF_OUT) != 0)
		return -ENOSPC;
	__atomic_store_n(&c->out.pad[LB_KEY_SUPERSEDED_AT], 0, __ATOMIC_RELEASE);
	if (old != NULL)	/* only now: a failure above leaves old as it was */
		give_up_reply_key(t, worker, old);
	return 1;
}

struct lb_conn *
lb_conn_create(unsigned int worker, const struct lb_conn_key *in,
	       const struct lb_service *svc, const struct lb_dest *d,
	       rte_be32_t laddr, rte_be16_t lport, struct lb_conn *tmpl, uint64_t now)
{
	struct conn_table *t = &tables[worker];
	struct lb_conn *c;
	uint32_t ref;

	c = conn_alloc(t, worker, svc, d, now);
	if (c == NULL)
		return NULL;
	ref = conn_id(c) + 1;
	c->in = *in;
	/* its reference now belongs to c */
	lb_conn_ext(c)->tmpl = tmpl != NULL ? conn_id(tmpl) + 1 : 0;
	c->state = in->proto == IPPROTO_TCP ? LB_TCP_NONE : LB_UDP_STATE;
	c->expire = lb_conn_ticks(now) + secs(2);
	c->out.proto = in->proto;
	c->out.daddr = d->fwd == LB_FWD_FNAT ? laddr :
		       d->fwd == LB_FWD_TUN ? lb_route_source(d->port_id, d->addr) : in->saddr;
	c->out.dport = d->fwd == LB_FWD_FNAT ? lport : in->sport;
	if (c->fwd == LB_FWD_NAT)	/* no replies until file_reply_key says so */
		c->out.pad[LB_KEY_SUPERSEDED_AT] = LB_KEY_WAITING;
	if (lb_conn_index_add(&t->index, &c->in, ref) != 0) {
		id_free(t, conn_id(c));
		return NULL;
	}
	/* FNAT's local ports are in no other connection's reply key */
	if ((c->fwd == LB_FWD_NAT && file_reply_key(t, worker, c) < 0) ||
	    (c->fwd == LB_FWD_FNAT &&
	     lb_conn_index_add(&t->index, &c->out, ref | LB_REF_OUT) != 0)) {
		lb_conn_index_del(&t->index, &c->in, ref);
		id_free(t, conn_id(c));		/* reused after a grace period */
		return NULL;
	}
	__atomic_fetch_add(&c->dest->inactconns, 1, __ATOMIC_RELAXED);
	c->dest->stats[worker].conns++;
	c->svc->stats[worker].conns++;
	publish(t, c);
	update_overload(c);
	return c;
}

bool
lb_conn_claim_reply_key(unsigned int worker, struct lb_conn *c)
{
	if (worker >= nb_tables || c->owner != worker ||
	    __atomic_load_n(&c->out.pad[LB_KEY_SUPERSEDED_AT], __ATOMIC_RELAXED) != LB_KEY_WAITING)
		return false;
	return file_reply_key(&tables[worker], worker, c) > 0;
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
	__atomic_store_n(&c->expire, lb_conn_ticks(now) + secs(timeout_s), __ATOMIC_RELAXED);
	__atomic_store_n(&c->sync_state, state, __ATOMIC_RELAXED);
	__atomic_store_n(&lb_conn_ext(c)->sync_time, lb_conn_ticks(now), __ATOMIC_RELAXED);
	update_overload(c);
}

void
lb_conn_seen_slow(struct lb_conn *c, enum lb_dir dir, uint8_t tcp_flags, uint64_t now)
{
	uint8_t old = __atomic_load_n(&c->state, __ATOMIC_RELAXED), new;
	uint32_t timeout;

	if (old == LB_UDP_STATE) {
		lb_conn_set_expire(c, lb_conn_ticks(now) + secs(timeouts.udp));
		return;
	}
	/* an established flow's plain segments took lb_conn_seen's inline path */
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
	lb_conn_set_expire(c, lb_conn_ticks(now) + secs(timeout));
}

uint32_t
lb_conn_seconds_left(const struct lb_conn *c, uint64_t now)
{
	int32_t left = (int32_t)(__atomic_load_n(&c->expire, __ATOMIC_RELAXED) -
				 lb_conn_ticks(now));

	return left > 0 ? (uint32_t)left / lb_conn_tick_hz : 0;
}

static void
remove_conn(struct conn_table *t, struct lb_conn *c)
{
	uint8_t st = __atomic_load_n(&c->state, __ATOMIC_RELAXED);
	const uint32_t ref = conn_id(c) + 1, tmpl = lb_conn_ext(c)->tmpl;

	if (unlikely(c->proxy != LB_PROXY_NONE))
		lb_synproxy_release(c);	/* a segment still held: freed */

	if (lb_conn_removed_hook != NULL &&
	    __atomic_load_n(&c->sync_state, __ATOMIC_RELAXED) != LB_SYNC_NEVER)
		lb_conn_removed_hook(c);

	if (c->is_template) {
		__atomic_fetch_sub(&c->dest->persistconns, 1, __ATOMIC_RELAXED);
		lb_conn_index_del(&t->index, &c->in, ref);
		unpublish(t, c);
		return;
	}
	if (tmpl != 0)
		lb_conn_template_put(&lb_conn_base[tmpl - 1]);
	if (c->fwd == LB_FWD_NAT || c->fwd == LB_FWD_FNAT) {
		const struct lb_conn_key out = filed_reply_key(c);

		lb_conn_index_del(&t->index, &out, ref | LB_REF_OUT);
	}
	if (st == LB_TCP_ESTABLISHED)
		__atomic_fetch_sub(&c->dest->activeconns, 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_sub(&c->dest->inactconns, 1, __ATOMIC_RELAXED);
	update_overload(c);
	lb_conn_index_del(&t->index, &c->in, ref);
	unpublish(t, c);	/* the entry is reused after a grace period */
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
	unsigned int k, words = EVICT_SCAN;

	if (worker >= nb_tables)
		return -ENOSPC;
	if (t->count < t->max)
		return 0;
	for (k = 0; k < EVICT_SCAN; k++) {
		uint32_t i = next_used(t, &t->evict_cursor, &words);
		struct lb_conn *c;
		int r;

		if (i == UINT32_MAX)
			break;
		c = &lb_conn_base[t->first + i];
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
	    (st != LB_TCP_TIME_WAIT && st != LB_TCP_CLOSE) ||
	    !__atomic_load_n(&c->live, __ATOMIC_RELAXED))	/* removed already */
		return false;
	remove_conn(&tables[worker], c);
	return true;
}

#define EXPIRE_WORDS 64		/* 64-entry words of the in-use map read per call at most */
#define EXPIRE_AHEAD 4		/* connections prefetched ahead of the check */

unsigned int
lb_conn_expire(unsigned int worker, uint64_t now, unsigned int budget)
{
	struct conn_table *t = &tables[worker];
	const uint32_t tnow = lb_conn_ticks(now);
	unsigned int removed = 0, words = EXPIRE_WORDS;

	if (worker >= nb_tables)
		return 0;
	if (conn_rcu != NULL) {		/* entries freed last time, reusable soon */
		retire_close(t);
		retire_reclaim(t);
	}
	if (t->count == 0)
		return 0;
	/* budget connections looked at at most, however large the table */
	while (budget-- > 0) {
		uint32_t i = next_used(t, &t->cursor, &words);
		struct lb_conn *c;

		if (i == UINT32_MAX)
			break;
		c = &lb_conn_base[t->first + i];
		if (i + EXPIRE_AHEAD < t->cap)
			rte_prefetch0(c + EXPIRE_AHEAD);
		if (!ticks_passed(tnow, __atomic_load_n(&c->expire, __ATOMIC_RELAXED)))
			continue;
		if (c->is_template) {
			struct lb_conn_ext *x = lb_conn_ext(c);
			uint32_t zero = 0;

			/* in use: live on for another timeout, as LVS re-arms it */
			if (!__atomic_compare_exchange_n(&x->controlled, &zero, LB_TMPL_DEAD,
							 false, __ATOMIC_ACQ_REL,
							 __ATOMIC_RELAXED)) {
				__atomic_store_n(&c->expire, tnow + secs(x->timeout_s),
						 __ATOMIC_RELAXED);
				continue;
			}
		}
		remove_conn(t, c);
		removed++;
	}
	return removed;
}

unsigned int
lb_conn_scan(unsigned int worker, unsigned int budget,
	     void (*fn)(unsigned int worker, struct lb_conn *c, void *arg), void *arg)
{
	struct conn_table *t = &tables[worker];
	unsigned int seen = 0, words = budget;

	if (worker >= nb_tables)
		return 0;
	while (seen < budget) {
		uint32_t i = next_used(t, &t->scan_cursor, &words);

		if (i == UINT32_MAX)
			break;
		fn(worker, &lb_conn_base[t->first + i], arg);
		seen++;
	}
	return seen;
}

void
lb_conn_set_timeouts(const struct lb_config *cfg)
{
	__atomic_store_n(&timeouts.tcp[LB_TCP_ESTABLISHED], cfg->tcp_timeout, __ATOMIC_RELAXED);
	__atomic_store_n(&lb_conn_established_ticks, secs(cfg->tcp_timeout), __ATOMIC_RELAXED);
	__atomic_store_n(&timeouts.tcp[LB_TCP_FIN_WAIT], cfg->tcpfin_timeout, __ATOMIC_RELAXED);
	__atomic_store_n(&timeouts.udp, cfg->udp_timeout, __ATOMIC_RELAXED);
}

/* What the CLI shows of c: copied, so no pointer into the table escapes. */
static void
conn_info(const struct lb_conn *c, unsigned int worker, uint64_t now, struct lb_conn_info *i)
{
	i->in = c->in;
	i->out = c->out;
	i->daddr = c->out.saddr;
	i->dport = c->out.sport;
	i->fwd = c->fwd;
	i->state = __atomic_load_n(&c->state, __ATOMIC_RELAXED);
	i->is_template = c->is_template;
	i->worker = (uint8_t)worker;
	i->expire_s = lb_conn_seconds_left(c, now);
}

unsigned int
lb_conn_walk(uint64_t *cursor, struct lb_conn_info *out, unsigned int max, unsigned int rcu_id)
{
	unsigned int w = (unsigned int)(*cursor >> 32), n = 0;
	uint32_t i = (uint32_t)*cursor;
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

		/* entries in use keep `live` until removed, and are not reused
		 * while this walker is online; the in-use map skips empty runs */
		while (i < t->cap && n < max) {
			const struct lb_conn *c;

			if ((i & 63) == 0 &&
			    __atomic_load_n(&t->used[i >> 6], __ATOMIC_RELAXED) == 0) {
				i += 64;
				continue;
			}
			c = &lb_conn_base[t->first + i++];
			if (__atomic_load_n(&c->live, __ATOMIC_ACQUIRE))
				conn_info(c, w, now, &out[n++]);
		}
		if (i >= t->cap) {
			w++;
			i = 0;
		}
	}
	if (conn_rcu != NULL)
		rte_rcu_qsbr_thread_offline(conn_rcu, (unsigned int)walker_id);
	*cursor = w >= nb_tables ? UINT64_MAX : (uint64_t)w << 32 | i;
	return n;
}

uint32_t
lb_conn_keys_indexed(unsigned int worker)
{
	return worker < nb_tables ? lb_conn_index_entries(&tables[worker].index) : 0;
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
	const struct conn_table *t = &tables[0];
	size_t per_entry = sizeof(struct lb_conn) + sizeof(struct lb_conn_ext) + sizeof(uint32_t);

	if (nb_tables == 0 || t->max == 0)
		return 0;
	/* entries with their headroom, free ring, in-use map, index buckets */
	return ((size_t)t->cap * per_entry + (t->cap + 63) / 64 * 8 +
		lb_conn_index_bytes(&t->index) + t->max - 1) / t->max;
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
		if (lb_conn_index_find(&tables[worker].index, &k) == 0) {
			*laddr = k.daddr;
			*lport = k.dport;
			return 0;
		}
	}
	return -EADDRINUSE;
}
