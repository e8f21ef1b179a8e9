/* SPDX-License-Identifier: BSD-3-Clause */
/* EAL for fuzz targets that need mbufs. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_mbuf.h>

#include "test/eal_scratch.h"
#include "test/fuzz/fuzz_eal.h"

static char prefix[64];

static void
cleanup(void)
{
	rte_eal_cleanup();
	lb_test_eal_scratch_remove(prefix);
}

struct rte_mempool *
lb_fuzz_eal_pool(const char *prog)
{
	char *argv[] = { (char *)prog, "--no-huge", "--no-pci", "-m", "64", "-l", "0",
			 "--no-shconf", "--log-level=*:crit", "--file-prefix", prefix, NULL };
	struct rte_mempool *pool;

	snprintf(prefix, sizeof(prefix), "dplb-fuzz-%d", (int)getpid());
	if (rte_eal_init(RTE_DIM(argv) - 1, argv) < 0) {
		fprintf(stderr, "fuzz: EAL init failed\n");
		exit(2);
	}
	atexit(cleanup);
	pool = rte_pktmbuf_pool_create("fuzz", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (pool == NULL)
		exit(2);
	return pool;
}
