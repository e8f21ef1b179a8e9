/* SPDX-License-Identifier: BSD-3-Clause */
/* One mbuf pool per NUMA socket, shared by the ports on that socket. */
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_mbuf.h>

#include "pmd-glue/mempool.h"

RTE_LOG_REGISTER_SUFFIX(lb_mempool_logtype, mempool, INFO);

static struct rte_mempool *pools[RTE_MAX_NUMA_NODES];

struct rte_mempool *
lb_mempool_get(int socket, unsigned int nb_mbufs)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	unsigned int s = socket < 0 ? 0 : (unsigned int)socket;

	if (s >= RTE_MAX_NUMA_NODES)
		s = 0;
	if (pools[s] != NULL)
		return pools[s];
	snprintf(name, sizeof(name), "lb_mbuf_s%u", s);
	pools[s] = rte_pktmbuf_pool_create(name, nb_mbufs, 256, 0,
					   RTE_MBUF_DEFAULT_BUF_SIZE, (int)s);
	if (pools[s] == NULL)
		rte_log(RTE_LOG_ERR, lb_mempool_logtype,
			"mempool: cannot create %u mbufs on socket %u: %s "
			"(give EAL more memory: eal.memory or -m)\n",
			nb_mbufs, s, rte_strerror(rte_errno));
	return pools[s];
}

void
lb_mempool_show(FILE *out)
{
	unsigned int s;

	for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
		if (pools[s] != NULL)
			fprintf(out, "mbufs %s: in use %u of %u\n", pools[s]->name,
				rte_mempool_in_use_count(pools[s]), pools[s]->size);
}

void
lb_mempool_term(void)
{
	unsigned int s;

	for (s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		rte_mempool_free(pools[s]);
		pools[s] = NULL;
	}
}
