/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packets waiting for a next hop's MAC: workers hand them over (lb_park)
 * instead of dropping them, the control lcore holds them while ARP asks,
 * and sends them on when the answer comes, as a kernel's neighbour queue
 * does. So the first reply to a new client is not lost to a cold ARP cache.
 */
#include <rte_cycles.h>
#include <rte_mbuf.h>

#include "app/lcore.h"
#include "app/park.h"
#include "app/rewrite.h"
#include "pmd-glue/neigh.h"

#define PARK_MAX 512		/* packets held at once; past it, dropped */
#define PARK_TIMEOUT_MS 1000	/* then dropped as neighbour_unresolved */

static struct {
	struct rte_mbuf *m;
	uint64_t since;
} parked[PARK_MAX];
static unsigned int nb_parked;

/* Take what the workers parked since the last poll. */
static unsigned int
take(uint64_t now)
{
	struct rte_mbuf *m;
	unsigned int w, n = 0;

	for (w = 0; w < lb_nb_workers; w++) {
		struct lb_lcore *lc = &lb_lcores[lb_worker_lcore[w]];

		while (rte_ring_sc_dequeue(lc->park, (void **)&m) == 0) {
			n++;
			if (nb_parked == PARK_MAX) {
				lb_count_drop(LB_DROP_NEIGH_MISS);
				rte_pktmbuf_free(m);
				continue;
			}
			parked[nb_parked].m = m;
			parked[nb_parked++].since = now;
		}
	}
	return n;
}

unsigned int
lb_park_poll(void (*probe)(uint16_t port_id, rte_be32_t ip))
{
	const uint64_t now = rte_get_tsc_cycles();
	const uint64_t timeout = rte_get_tsc_hz() / 1000 * PARK_TIMEOUT_MS;
	unsigned int work = take(now), i = 0;

	while (i < nb_parked) {
		struct rte_mbuf *m = parked[i].m;
		rte_be32_t ip = m->hash.usr;
		struct rte_ether_addr mac;

		if (lb_neigh_lookup(ip, &mac, NULL) == 0) {
			lb_rewrite_ether(m, &lb_local.port_mac[m->port], &mac);
			lb_ctrl_tx(m);
		} else if (now - parked[i].since > timeout) {
			lb_count_drop(LB_DROP_NEIGH_MISS);
			rte_pktmbuf_free(m);
		} else {
			probe(m->port, ip);	/* rate-limited: ARP again if the first was lost */
			i++;
			continue;
		}
		parked[i] = parked[--nb_parked];
		work++;
	}
	return work;
}

void
lb_park_term(void)
{
	while (nb_parked > 0)
		rte_pktmbuf_free(parked[--nb_parked].m);
}
