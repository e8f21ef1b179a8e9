/* SPDX-License-Identifier: BSD-3-Clause */
/* One mbuf pool per NUMA socket, shared by the ports on that socket; its watch. */
#include <stdlib.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_mbuf.h>

#include "pmd-glue/mempool.h"

RTE_LOG_REGISTER_SUFFIX(lb_mempool_logtype, mempool, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_mempool_logtype, "mempool: " fmt "\n", ##__VA_ARGS__)

static struct rte_mempool *pools[RTE_MAX_NUMA_NODES];

/* Per pool: the dry-spell watch and what `debug mbuf hold` holds. */
static struct {
	bool dry;
	uint64_t dry_since;		/* TSC */
	uint64_t dry_count;		/* episodes */
	void **held;			/* pool->size slots, while holding */
	unsigned int nb_held;
} state[RTE_MAX_NUMA_NODES];
static bool hold_all;

volatile uint32_t lb_mempool_flush_gen;

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
		LOG(ERR, "cannot create %u mbufs on socket %u: %s "
		    "(give EAL more memory: eal.memory or -m)",
		    nb_mbufs, s, rte_strerror(rte_errno));
	return pools[s];
}

void
lb_mempool_show(FILE *out)
{
	unsigned int s;

	for (s = 0; s < RTE_MAX_NUMA_NODES; s++)
		if (pools[s] != NULL)
			fprintf(out, "mbufs %s: in use %u of %u, ran dry %" PRIu64 "%s\n",
				pools[s]->name, rte_mempool_in_use_count(pools[s]),
				pools[s]->size, state[s].dry_count,
				state[s].nb_held ? " (debug mbuf hold: some held)" : "");
}

/* Take up to n more mbufs of pool s into its held slots; returns how many. */
static unsigned int
take(unsigned int s, uint32_t n)
{
	struct rte_mempool *mp = pools[s];
	unsigned int got = 0;

	while (got < n && state[s].nb_held < mp->size &&
	       rte_mempool_get(mp, &state[s].held[state[s].nb_held]) == 0) {
		state[s].nb_held++;
		got++;
	}
	return got;
}

void
lb_mempool_watch(void)
{
	unsigned int s;

	for (s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		struct rte_mempool *mp = pools[s];
		unsigned int left;

		if (mp == NULL)
			continue;
		if (hold_all && state[s].held != NULL) {
			take(s, UINT32_MAX);
			/* a worker whose TX frees refill its own cache would
			 * otherwise keep receiving: the pool must be dry for it too */
			lb_mempool_flush_gen++;
		}
		left = lb_mempool_store_count(mp);
		if (!state[s].dry && left == 0) {
			state[s].dry = true;
			state[s].dry_since = rte_get_tsc_cycles();
			state[s].dry_count++;
			LOG(WARNING, "mbuf pool %s ran dry (%u of %u in use): ports cannot "
			    "receive (rx_pool_dry) and packets dplb builds are dropped "
			    "(no_mbuf) until mbufs come back; if it lasts, raise "
			    "mbufs_per_port", mp->name, rte_mempool_in_use_count(mp), mp->size);
		} else if (state[s].dry && left > mp->size / 32) {
			state[s].dry = false;
			LOG(NOTICE, "mbuf pool %s has free mbufs again (%u in use of %u) after "
			    "%.1f s dry", mp->name, rte_mempool_in_use_count(mp), mp->size,
			    (double)(rte_get_tsc_cycles() - state[s].dry_since) /
			    (double)rte_get_tsc_hz());
		}
	}
}

int
lb_mempool_hold(uint32_t n, FILE *out)
{
	const bool all = n == UINT32_MAX;
	unsigned int s, got;

	for (s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		if (pools[s] == NULL)
			continue;
		if (state[s].held == NULL) {
			state[s].held = calloc(pools[s]->size, sizeof(void *));
			if (state[s].held == NULL)
				return -ENOMEM;
		}
		got = take(s, n);
		n -= all ? 0 : got;
		fprintf(out, "holding %u mbufs of %s (in use %u of %u)\n", state[s].nb_held,
			pools[s]->name, rte_mempool_in_use_count(pools[s]), pools[s]->size);
	}
	if (all) {
		hold_all = true;
		lb_mempool_flush_gen++;		/* workers: empty your caches */
	}
	LOG(WARNING, "debug mbuf hold: mbufs taken out of the pools for a test%s; "
	    "`debug mbuf release` gives them back", hold_all ? " (all, until release)" : "");
	return 0;
}

void
lb_mempool_release(FILE *out)
{
	unsigned int s, n = 0;

	hold_all = false;
	for (s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		if (state[s].held == NULL)
			continue;
		if (state[s].nb_held > 0)
			rte_mempool_put_bulk(pools[s], state[s].held, state[s].nb_held);
		n += state[s].nb_held;
		state[s].nb_held = 0;
		free(state[s].held);
		state[s].held = NULL;
	}
	if (out != NULL)
		fprintf(out, "released %u mbufs\n", n);
	if (n > 0)
		LOG(NOTICE, "debug mbuf release: %u mbufs given back", n);
}

void
lb_mempool_term(void)
{
	unsigned int s;

	lb_mempool_release(NULL);
	for (s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		rte_mempool_free(pools[s]);
		pools[s] = NULL;
	}
}
