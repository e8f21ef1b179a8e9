/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_MEMPOOL_H
#define LB_MEMPOOL_H

#include <stdint.h>
#include <stdio.h>

#include <rte_mempool.h>

/*
 * The mbuf pool of NUMA socket `socket` (SOCKET_ID_ANY = 0), created with
 * nb_mbufs on first use; later calls return the same pool whatever nb_mbufs.
 * Control lcore at init. NULL when memory is short (logged).
 */
struct rte_mempool *lb_mempool_get(int socket, unsigned int nb_mbufs);

/*
 * Free mbufs in mp's shared store, lcore caches not counted: what an
 * lcore whose cache is empty can still get. (rte_mempool_ops_get_count,
 * which DPDK does not export.) Any lcore; two loads for a ring store.
 */
static inline unsigned int
lb_mempool_store_count(const struct rte_mempool *mp)
{
	return rte_mempool_get_ops(mp->ops_index)->get_count(mp);
}

/*
 * One line a pool: `mbufs lb_mbuf_s0: in use N of M, ran dry K` (lcore
 * caches count as free, so with no traffic N is what rings and queues
 * hold: a leak shows as N growing; K: times the pool ran out, as
 * lb_mempool_watch saw it). Control lcore.
 */
void lb_mempool_show(FILE *out);

/*
 * Watch each pool for running dry: its shared store empty, so any lcore
 * whose cache is empty cannot receive or build a packet. Logs once when a
 * pool runs dry and once when it has mbufs again, and counts the
 * episodes. While `debug mbuf hold all` is on, also takes the mbufs that
 * came back. Cheap (reads the store's count); control lcore, every loop.
 */
void lb_mempool_watch(void);

/*
 * Test hook behind `debug mbuf hold`: take n mbufs (UINT32_MAX: every one
 * that can be had, and keep taking those that come back until
 * lb_mempool_release) out of the pools and hold them, and ask the workers
 * to empty their mempool caches (lb_mempool_flush_gen). Prints what it
 * holds to out. Control lcore. Returns 0 or -ENOMEM.
 */
int lb_mempool_hold(uint32_t n, FILE *out);

/* Give back every mbuf lb_mempool_hold took; prints how many. Control lcore. */
void lb_mempool_release(FILE *out);

/*
 * Bumped by lb_mempool_hold: each worker then flushes its mempool caches
 * back to the pools (rte_mempool_cache_flush) once. Workers read it every
 * loop; written by the control lcore only.
 */
extern volatile uint32_t lb_mempool_flush_gen;

/* Free every pool. All mbufs must be back (ports closed); held ones are returned. */
void lb_mempool_term(void);

#endif
