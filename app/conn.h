/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_CONN_H
#define LB_CONN_H

/*
 * The connection table.
 *
 * Each worker owns one table, written only by its owner, read by every
 * worker without a lock:
 * - an array of connections, one cache line each (struct lb_conn), and a
 *   parallel array of their rarely used parts (struct lb_conn_ext);
 * - an index: 2-choice bucketed cuckoo hash of 64-byte buckets, 8 slots
 *   each (a 32-bit signature and a 32-bit reference to the connection and
 *   the direction of the key). A connection is indexed under the client's
 *   key and, for NAT/FNAT, the real server's (RS -> client or RS -> local
 *   address). A lookup reads one bucket and one connection line.
 * Every worker may read every table: a packet whose flow was created by
 * another worker (RSS hashes the two directions of a NAT flow differently)
 * is found there. A removed connection's entry is reused only after every
 * worker has passed an RCU QSBR quiescent state. Connection state that
 * other workers may change (TCP state, expiry) is updated with atomics.
 * rte_hash was the first table; it cannot hold a NAT connection's two
 * keys under 128 bytes (a 32-byte key slot per key, buckets and a free
 * ring rounded up to powers of two), so this one replaced it.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>
#include <rte_tcp.h>

#include "app/service.h"

/*
 * Flow key, network byte order; 16 bytes, padding zeroed, 8-byte aligned
 * (rte_hash_crc reads it 8 bytes at a time).
 */
struct __rte_aligned(8) lb_conn_key {
	rte_be32_t saddr, daddr;
	rte_be16_t sport, dport;
	uint8_t proto;
	uint8_t pad[3];
};

/* LVS's TCP states (ip_vs_proto_tcp.c), in its table order. */
enum lb_tcp_state {
	LB_TCP_NONE = 0, LB_TCP_ESTABLISHED, LB_TCP_SYN_SENT, LB_TCP_SYN_RECV,
	LB_TCP_FIN_WAIT, LB_TCP_TIME_WAIT, LB_TCP_CLOSE, LB_TCP_CLOSE_WAIT,
	LB_TCP_LAST_ACK, LB_TCP_LISTEN, LB_TCP_SYNACK, LB_TCP_STATE_MAX,
	LB_UDP_STATE = LB_TCP_STATE_MAX,	/* UDP connections have one state */
};

/* Direction a packet travels relative to its connection. */
enum lb_dir {
	LB_DIR_IN = 0,		/* client -> real server */
	LB_DIR_OUT,		/* real server -> client (NAT/FNAT replies) */
	LB_DIR_IN_ONLY,		/* DR/TUN: the director sees only the client side */
};

/*
 * One connection: 64 bytes, one cache line, laid out without holes (the
 * offsets are in the comments; a static assert keeps the size). Times are
 * in ticks of the connection clock (lb_conn_ticks).
 */
struct lb_conn {
	struct lb_conn_key in;		/*  0 as the client sends it */
	struct lb_conn_key out;		/* 16 as the real server answers (indexed for
					 * NAT/FNAT); saddr/sport: the real server;
					 * TUN: daddr is the tunnel's outer source;
					 * pad: LB_KEY_SUPERSEDED_AT (atomics) */
	struct lb_dest_state *dest;	/* 32 counters; kept alive while conns use it */
	struct lb_svc_state *svc;	/* 40 */
	rte_be32_t nexthop;		/* 48 next hop towards the real server */
	uint32_t expire;		/* 52 ticks; atomics */
	uint8_t out_port;		/* 56 DPDK port towards the real server */
	uint8_t fwd;			/* 57 enum lb_fwd */
	uint8_t state;			/* 58 enum lb_tcp_state; atomics */
	uint8_t proxy;			/* 59 enum lb_proxy_state (app/synproxy.h); atomics */
	uint8_t owner;			/* 60 worker whose table holds it */
	uint8_t sync_state;		/* 61 state last sent to / received from the peer,
					 * LB_SYNC_NEVER before that; atomics */
	bool is_template;		/* 62 */
	bool live;			/* 63 in the table (lb_conn_walk); atomics */
};

_Static_assert(sizeof(struct lb_conn) == 64, "struct lb_conn is one cache line");
_Static_assert(RTE_MAX_ETHPORTS <= 256, "lb_conn.out_port is one byte");

/*
 * The parts of a connection few packets need, in a parallel array
 * (lb_conn_ext): templates, the SYN proxy, connection sync. 32 bytes.
 */
struct lb_conn_ext {
	uint32_t tmpl;			/*  0 persistence template controlling it:
					 * its lb_conn_id + 1, 0 = none */
	uint32_t sync_time;		/*  4 ticks: last sent or received, else when
					 * created (atomics) */
	union {				/*  8 */
		struct {		/* templates */
			uint32_t controlled;	/* connections using it (atomics);
						 * LB_TMPL_DEAD once being removed */
			uint32_t timeout_s;	/* the service's -p timeout */
		};
		struct {		/* SYN-proxied connections */
			uint32_t proxy_cisn;	/* the client's initial sequence number */
			uint32_t proxy_isn;	/* ours towards the client: the cookie */
		};
	};
	struct rte_mbuf *held;		/* 16 SYN proxy: a client segment waiting (atomics) */
	uint32_t seq_delta;		/* 24 SYN proxy: RS's ISN - ours, once LB_PROXY_OPEN */
	uint16_t proxy_mss;		/* 28 SYN proxy: the MSS the cookie carried */
	uint16_t proxy_win;		/* 30 ... the client's window, for our ACK to the RS */
};

_Static_assert(sizeof(struct lb_conn_ext) == 32, "struct lb_conn_ext is 32 bytes");

/* Every worker's entries in one array (worker w's are a slice), and theirs. */
extern struct lb_conn *lb_conn_base;
extern struct lb_conn_ext *lb_conn_ext_base;

/* c's rarely used parts. Any lcore. */
static inline struct lb_conn_ext *
lb_conn_ext(const struct lb_conn *c)
{
	return &lb_conn_ext_base[c - lb_conn_base];
}

/*
 * The connection clock: TSC >> lb_conn_tick_shift, about 4 ms a tick (at
 * least 256 a second), in 32 bits; compare two with a signed difference.
 */
extern unsigned int lb_conn_tick_shift;

static inline uint32_t
lb_conn_ticks(uint64_t tsc)
{
	return (uint32_t)(tsc >> lb_conn_tick_shift);
}

#define LB_SYNC_NEVER 0xff	/* lb_conn.sync_state before the first sync */

#define LB_TMPL_DEAD UINT32_MAX
#define LB_KEY_TEMPLATE 1		/* lb_conn_key.pad[0] of a template's key */
/*
 * lb_conn.out.pad[LB_KEY_SUPERSEDED_AT] of a NAT connection that gets no
 * replies because another connection has its reply key (lb_conn_create):
 * LB_KEY_SUPERSEDED when a newer one took it, LB_KEY_WAITING when an
 * established one kept it. The key no longer equals what replies carry,
 * so lookups pass it by at no cost of their own. An index entry it still
 * has in another worker's table stays, filed under the key as it was,
 * until the connection goes.
 */
#define LB_KEY_SUPERSEDED_AT 1
#define LB_KEY_SUPERSEDED 1
#define LB_KEY_WAITING 2

/* Timeouts in seconds by state (LVS defaults; --set tcp/tcpfin/udp change three). */
struct lb_conn_timeouts {
	uint32_t tcp[LB_TCP_STATE_MAX];
	uint32_t udp;
};

/*
 * Create one table per worker sized for max_conns connections in all.
 * Control lcore, after lb_lcores_init(). Returns 0 or -errno (logged).
 */
int lb_conn_init(unsigned int nb_workers, unsigned int max_conns,
		 struct rte_rcu_qsbr *rcu, const struct lb_config *cfg);

/* Free every table and connection. Workers must have stopped. */
void lb_conn_term(void);

/*
 * Find the connection of key: in the calling worker's table first, then in
 * the others'. *dir says which of the connection's keys matched. Lock-free;
 * worker lcores. NULL when there is none.
 */
struct lb_conn *lb_conn_lookup(unsigned int worker, const struct lb_conn_key *key,
			       enum lb_dir *dir);

/* A key's lookup in flight between the steps below (app/conn_index.c). */
struct lb_conn_probe {
	uint32_t h1, h2;		/* the key's two hashes */
};

/*
 * lb_conn_lookup in three steps, for a software pipeline over a burst: the
 * memory one step reads arrives while the packets before are forwarded.
 * lb_conn_lookup_prefetch hashes key into *pr and prefetches its bucket
 * in the caller's own table; some packets later lb_conn_lookup_candidate
 * reads it and returns an unconfirmed reference (its connection
 * prefetched; 0: none there, the other buckets the key may be in
 * prefetched); some packets later still, lb_conn_lookup_finish confirms
 * it, else looks the key up in full in every table (so a connection an
 * earlier packet of the burst made, or removed, is seen as it is now).
 * Lock-free; worker lcores.
 */
void lb_conn_lookup_prefetch(unsigned int worker, const struct lb_conn_key *key,
			     struct lb_conn_probe *pr);
uint32_t lb_conn_lookup_candidate(unsigned int worker, const struct lb_conn_probe *pr);
/*
 * For a key lb_conn_lookup_candidate found no candidate for, a few packets
 * later: the candidate in the other workers' tables (their buckets were
 * prefetched then), its connection prefetched; 0 when none. The step a NAT
 * reply takes when the connection is in another worker's table.
 */
uint32_t lb_conn_lookup_candidate_others(unsigned int worker, const struct lb_conn_probe *pr);
struct lb_conn *lb_conn_lookup_finish(unsigned int worker, const struct lb_conn_key *key,
				      uint32_t cand, enum lb_dir *dir);

/*
 * Create a connection for a new flow in worker's table: key `in` as the
 * client sent it, to real server d of service svc. For NAT/FNAT the reply
 * key is derived (FNAT local address/port given in laddr/lport, else
 * ignored). Counts the connection on d (inactive until ESTABLISHED) and
 * re-evaluates d's overload flag. A NAT reply key is one real server
 * socket's: when an older connection holds it (in any table: a client
 * that reused its port towards another VIP of the same real server), the
 * new one takes it unless the older one is an established TCP connection,
 * else waits for it (lb_conn_claim_reply_key); the one without replies
 * keeps its client side (app/conn.c takes_reply_key). Worker lcore
 * `worker` only. Returns the connection, or NULL when the table or pool is
 * full (counted by caller).
 */
struct lb_conn *lb_conn_create(unsigned int worker, const struct lb_conn_key *in,
			       const struct lb_service *svc, const struct lb_dest *d,
			       rte_be32_t laddr, rte_be16_t lport, struct lb_conn *tmpl,
			       uint64_t now);

/*
 * Persistence (ipvsadm -p/-M): find the template of client caddr (masked
 * by the service's netmask) for svc in any worker's table and take a
 * reference on it (it then outlives the connection given it). Lock-free;
 * worker lcores. NULL when there is none or it is being removed.
 */
struct lb_conn *lb_conn_template_get(unsigned int worker, const struct lb_service *svc,
				     rte_be32_t caddr, uint64_t now);

/*
 * Create the template binding client caddr (masked) of svc to d, with one
 * reference taken. Worker `worker` only. NULL when the table is full.
 */
struct lb_conn *lb_conn_template_create(unsigned int worker, const struct lb_service *svc,
					rte_be32_t caddr, const struct lb_dest *d, uint64_t now);

/*
 * FNAT: choose a local address of svc and a local port for a new
 * connection to d, unique among worker's connections to d (each worker
 * owns its own slice of ports 1024-65535, so workers never collide).
 * Worker `worker` only. Returns 0, -EINVAL when svc has no local address,
 * -EADDRINUSE when no free port was found quickly.
 */
int lb_conn_fnat_local(unsigned int worker, const struct lb_service *svc,
		       const struct lb_dest *d, rte_be32_t *laddr, rte_be16_t *lport);

/*
 * The worker whose slice of FNAT local ports holds lport (network order):
 * a full-NAT connection made elsewhere (connection sync) goes into that
 * worker's table, so lb_conn_fnat_local never hands its port out again.
 * Any lcore.
 */
unsigned int lb_conn_fnat_port_owner(rte_be16_t lport);

/* Drop a reference taken by lb_conn_template_get/create. Any worker. */
void lb_conn_template_put(struct lb_conn *tmpl);

/*
 * A NAT connection waiting for its reply key (LB_KEY_WAITING) takes it if
 * the connection holding it is no longer established (or gone): on each
 * SYN the client sends again, and on each sync update. True when c has it
 * now. Worker lcore `worker`, c in its own table.
 */
bool lb_conn_claim_reply_key(unsigned int worker, struct lb_conn *c);

/* Connection-clock ticks a second (lb_conn_init). */
extern uint32_t lb_conn_tick_hz;
/* The ESTABLISHED timeout in ticks (lb_conn_init, --set tcp); atomics. */
extern uint32_t lb_conn_established_ticks;

/*
 * Move c's expiry to t (ticks). Skipped when it would move by under a
 * second: established flows then write the shared line about once a
 * second, not once a packet. A shorter timeout (FIN, RST) always lands.
 * Any worker (atomics).
 */
static inline void
lb_conn_set_expire(struct lb_conn *c, uint32_t t)
{
	uint32_t cur = __atomic_load_n(&c->expire, __ATOMIC_RELAXED);

	if ((int32_t)(t - cur) < 0 || t - cur > lb_conn_tick_hz)
		__atomic_store_n(&c->expire, t, __ATOMIC_RELAXED);
}

/* lb_conn_seen for every packet but an established TCP flow's plain segments. */
void lb_conn_seen_slow(struct lb_conn *c, enum lb_dir dir, uint8_t tcp_flags, uint64_t now);

/*
 * Account one packet of c seen in direction dir with TCP flags (0 for UDP):
 * advance LVS's TCP state machine, move the connection between active and
 * inactive counts, and push its expiry out by the new state's timeout.
 * Any worker (atomics). Inline for most packets (an open connection stays
 * open): 1-2 cycles a packet less than as a call.
 */
static inline void
lb_conn_seen(struct lb_conn *c, enum lb_dir dir, uint8_t tcp_flags, uint64_t now)
{
	if (likely(__atomic_load_n(&c->state, __ATOMIC_RELAXED) == LB_TCP_ESTABLISHED) &&
	    (tcp_flags & (RTE_TCP_SYN_FLAG | RTE_TCP_FIN_FLAG | RTE_TCP_RST_FLAG)) == 0) {
		lb_conn_set_expire(c, lb_conn_ticks(now) +
				   __atomic_load_n(&lb_conn_established_ticks, __ATOMIC_RELAXED));
		return;
	}
	lb_conn_seen_slow(c, dir, tcp_flags, now);
}

/*
 * Look at the next `budget` of worker's connections (64 words of the
 * in-use map at most) and remove those whose time has come (an incremental
 * scan: called again while it finds some, expiry keeps pace with
 * insertion). Worker `worker` only. Returns the number removed.
 */
unsigned int lb_conn_expire(unsigned int worker, uint64_t now, unsigned int budget);

/*
 * Call fn on the next `budget` connections of worker's table (a cursor of
 * its own goes round the table in entry order; a connection created
 * behind it waits for the next round). fn must not remove. Worker `worker`
 * only. Returns how many were visited.
 */
unsigned int lb_conn_scan(unsigned int worker, unsigned int budget,
			  void (*fn)(unsigned int worker, struct lb_conn *c, void *arg), void *arg);

/*
 * Apply cfg's tcp/tcpfin/udp timeouts (ipvsadm --set) to connections from
 * their next packet on. Control lcore; workers read them without locks.
 */
void lb_conn_set_timeouts(const struct lb_config *cfg);

/*
 * LVS's conn_reuse_mode: a new SYN from the client on a connection in
 * TIME_WAIT or CLOSE is a new connection. Remove c at once so the caller
 * can schedule the SYN afresh; only c's owner can (its table), so this
 * returns false, changing nothing, when worker is not the owner or c is
 * not such a connection. Worker lcores.
 */
bool lb_conn_retire_for_reuse(unsigned int worker, struct lb_conn *c);

/* One connection as the CLI shows it: a copy, no pointer into the table. */
struct lb_conn_info {
	struct lb_conn_key in;		/* client -> VIP (templates: client & mask -> VIP) */
	struct lb_conn_key out;		/* RS -> client, or RS -> local address (FNAT) */
	rte_be32_t daddr;		/* real server */
	rte_be16_t dport;
	enum lb_fwd fwd;
	uint8_t state;			/* enum lb_tcp_state, LB_UDP_STATE */
	uint8_t worker;			/* whose table holds it */
	bool is_template;		/* a persistence template (ipvsadm shows NONE) */
	uint32_t expire_s;		/* seconds left */
};

/*
 * Copy up to max connections into out, resuming at *cursor (0 to begin;
 * advanced; UINT64_MAX once every table has been read). Reads the workers'
 * tables lock-free as RCU reader rcu_id (registered on first use, online
 * only during the call, so keep max to a few thousand): no connection is
 * freed while it is copied; one created, removed or moved meanwhile may be
 * missed or seen twice, as in any listing of a live table. Control lcore.
 * Returns how many were copied (0 once the walk is over).
 */
unsigned int lb_conn_walk(uint64_t *cursor, struct lb_conn_info *out, unsigned int max,
			  unsigned int rcu_id);

/*
 * Before creating a connection in worker's table: 0 when there is room;
 * at the table's maximum, make it by removing one connection that carries
 * no traffic, half-open ones (a SYN flood's) first, then closing ones,
 * never an ESTABLISHED or UDP connection or a persistence template, and
 * return 1. Looks at no more than 64 entries. -ENOSPC: full of connections
 * that must stay (the caller drops and counts). Worker `worker` only.
 */
int lb_conn_make_room(unsigned int worker);

/*
 * A sync message says c is in state (enum lb_tcp_state, or LB_UDP_STATE)
 * with timeout_s seconds left (0: the state's timeout): move it there,
 * its real server's active/inactive counts with it. Any worker (atomics).
 */
void lb_conn_sync_set(struct lb_conn *c, uint8_t state, uint32_t timeout_s, uint64_t now);

/*
 * Called by the owner as it removes a connection it had synced (sync_state
 * not LB_SYNC_NEVER), so the backups hear of it; NULL = nobody. Set by the control lcore
 * before the workers start.
 */
extern void (*lb_conn_removed_hook)(const struct lb_conn *c);

/* Whole seconds until c expires (0 when due). Any lcore. */
uint32_t lb_conn_seconds_left(const struct lb_conn *c, uint64_t now);

/* Connections in every table. Any lcore (approximate while workers run). */
unsigned int lb_conn_count(void);

/* Keys in worker's index (two a NAT connection). Quiet table; tests, diagnostics. */
uint32_t lb_conn_keys_indexed(unsigned int worker);

/* The next TCP state for flags in dir, LVS's table; pure. */
enum lb_tcp_state lb_tcp_next_state(enum lb_tcp_state cur, enum lb_dir dir, uint8_t flags);

/* Name of a state ("ESTABLISHED", "UDP"). */
const char *lb_conn_state_name(unsigned int state);

/*
 * Bytes of memory per allowed connection: entry, its rarely used part,
 * index buckets for two keys, free ring, in-use map, the headroom's share.
 */
size_t lb_conn_bytes_per_conn(void);

#endif
