/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_FUZZ_EAL_H
#define LB_FUZZ_EAL_H

#include <rte_mempool.h>

/*
 * Start EAL once for a fuzz target (--no-huge, no PCI, one lcore, a fresh
 * file prefix removed at exit) and return a small mbuf pool.
 */
struct rte_mempool *lb_fuzz_eal_pool(const char *prog);

#endif
