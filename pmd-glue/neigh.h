/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_NEIGH_H
#define LB_NEIGH_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_rcu_qsbr.h>

/*
 * The neighbour (ARP) table: IPv4 address -> MAC and port. The control
 * lcore is the only writer; workers look up without locks (rte_hash
 * lock-free readers, entries reclaimed through RCU QSBR).
 */

/*
 * Create the table for up to `max` entries; deleted entries are reclaimed
 * after every reader registered on rcu has reported a quiescent state
 * (rcu may be NULL when there are no concurrent readers, as in tests).
 * Control lcore. Returns 0 or -errno.
 */
int lb_neigh_init(unsigned int max, struct rte_rcu_qsbr *rcu, unsigned int timeout_s);

/* Free the table. No reader may be running. */
void lb_neigh_term(void);

/*
 * Record that ip (network order) is at mac behind port. With create false
 * only an existing entry is refreshed (Linux learns a sender only when the
 * ARP was for it). Control lcore only. Returns 0, -ENOENT (not there and
 * not created) or -ENOSPC (table full, counted).
 */
int lb_neigh_update(uint16_t port_id, rte_be32_t ip, const struct rte_ether_addr *mac,
		    bool create);

/*
 * Find ip's MAC and port. Lock-free; any lcore. Returns 0 or -ENOENT.
 */
int lb_neigh_lookup(rte_be32_t ip, struct rte_ether_addr *mac, uint16_t *port_id);

/*
 * A worker's own small cache in front of the table: the next hops it sends
 * to most, direct-mapped by address. An entry is good while the table's
 * generation (bumped whenever a known MAC changes or an entry goes) is the
 * one it was filled under, so a hit costs one shared read-mostly load.
 */
#define LB_NEIGH_CACHE_SIZE 64	/* power of two */

struct lb_neigh_cache {
	struct {
		rte_be32_t ip;
		uint32_t gen;		/* 0: empty (the table's starts at 1) */
		uint64_t mac_word;	/* 6 MAC bytes, packed */
	} e[LB_NEIGH_CACHE_SIZE];
};

extern uint32_t lb_neigh_gen;	/* atomics; written by the control lcore */

/*
 * lb_neigh_lookup through cache c (the calling lcore's own): ip's MAC into
 * the first 6 bytes, in memory order, of *mac_word (the other 2 are 0), so
 * that a frame's destination is one 8-byte store (lb_rewrite_ether_word).
 * Returns 0 or -ENOENT (misses are not cached). Lock-free.
 */
static inline int
lb_neigh_lookup_cached_word(struct lb_neigh_cache *c, rte_be32_t ip, uint64_t *mac_word)
{
	const uint32_t h = rte_be_to_cpu_32(ip);
	const uint32_t gen = __atomic_load_n(&lb_neigh_gen, __ATOMIC_ACQUIRE);
	__typeof__(&c->e[0]) e = &c->e[(h ^ (h >> 8)) & (LB_NEIGH_CACHE_SIZE - 1)];
	struct rte_ether_addr mac;

	if (likely(e->ip == ip && e->gen == gen)) {
		*mac_word = e->mac_word;
		return 0;
	}
	if (lb_neigh_lookup(ip, &mac, NULL) != 0)
		return -ENOENT;
	e->ip = ip;
	e->gen = gen;
	e->mac_word = 0;
	memcpy(&e->mac_word, mac.addr_bytes, RTE_ETHER_ADDR_LEN);
	*mac_word = e->mac_word;
	return 0;
}

/*
 * Age the table at TSC time now: entries not confirmed for the timeout are
 * re-probed with ARP requests through probe(); entries unanswered for three
 * more seconds are removed. Control lcore only.
 */
void lb_neigh_age(uint64_t now,
		  void (*probe)(uint16_t port_id, rte_be32_t ip));

/* One line per entry: address, MAC, port, age in seconds, state. */
void lb_neigh_show(FILE *out);

/* Number of entries. */
unsigned int lb_neigh_count(void);

#endif
