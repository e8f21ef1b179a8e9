/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_MEMPOOL_H
#define LB_MEMPOOL_H

#include <stdio.h>

#include <rte_mempool.h>

/*
 * The mbuf pool of NUMA socket `socket` (SOCKET_ID_ANY = 0), created with
 * nb_mbufs on first use; later calls return the same pool whatever nb_mbufs.
 * Control lcore at init. NULL when memory is short (logged).
 */
struct rte_mempool *lb_mempool_get(int socket, unsigned int nb_mbufs);

/*
 * One line a pool: `mbufs lb_mbuf_s0: in use N of M` (lcore caches count as
 * free, so with no traffic N is what rings and queues hold: a leak shows
 * as N growing). Any lcore.
 */
void lb_mempool_show(FILE *out);

/* Free every pool. All mbufs must be back (ports closed). */
void lb_mempool_term(void);

#endif
