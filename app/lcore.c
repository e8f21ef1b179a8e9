/* SPDX-License-Identifier: BSD-3-Clause */
/* Lcore roles, worker<->control rings, TX buffers and the RCU variable. */
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>

#include "app/lcore.h"
#include "pmd-glue/port.h"

RTE_LOG_REGISTER_SUFFIX(lb_lcore_logtype, lcore, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_lcore_logtype, "lcore: " fmt "\n", ##__VA_ARGS__)

struct lb_lcore lb_lcores[RTE_MAX_LCORE];
volatile bool lb_force_quit;
struct lb_local lb_local;
struct rte_rcu_qsbr *lb_rcu;
unsigned int lb_nb_workers;
unsigned int lb_worker_lcore[LB_MAX_WORKERS];

static struct rte_ring *
make_ring(const char *what, unsigned int idx, unsigned int socket)
{
	char name[RTE_RING_NAMESIZE];
	struct rte_ring *r;

	snprintf(name, sizeof(name), "lb_%s_%u", what, idx);
	r = rte_ring_create(name, LB_RING_SIZE, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (r == NULL)
		LOG(ERR, "cannot create ring %s: %s", name, rte_strerror(rte_errno));
	return r;
}

int
lb_lcores_init(const struct lb_config *cfg)
{
	unsigned int lcore, n = 0;
	size_t sz;

	(void)cfg;
	memset(lb_lcores, 0, sizeof(lb_lcores));
	lb_lcores[rte_get_main_lcore()].role = LB_ROLE_CONTROL;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		struct lb_lcore *lc = &lb_lcores[lcore];
		unsigned int socket = rte_lcore_to_socket_id(lcore);

		if (n == LB_MAX_WORKERS) {
			LOG(WARNING, "lcore %u not used: at most %d workers", lcore, LB_MAX_WORKERS);
			continue;
		}
		lc->role = LB_ROLE_WORKER;
		lc->worker_index = n;
		lc->to_control = make_ring("to_ctrl", n, socket);
		lc->from_control = make_ring("from_ctrl", n, socket);
		lc->resolve = make_ring("resolve", n, socket);
		lc->park = make_ring("park", n, socket);
		if (lc->to_control == NULL || lc->from_control == NULL || lc->resolve == NULL ||
		    lc->park == NULL)
			return -ENOMEM;
		lb_worker_lcore[n++] = lcore;
	}
	if (n == 0) {
		LOG(ERR, "no worker lcore: give EAL at least two lcores (eal.lcores or -l), "
		    "the first is the control lcore");
		return -EINVAL;
	}
	lb_nb_workers = n;
	/* thread ids 0..n-1: the workers; n: the control lcore (LB_RCU_CONTROL) */
	sz = rte_rcu_qsbr_get_memsize(n + 1);
	lb_rcu = rte_zmalloc("lb_rcu", sz, RTE_CACHE_LINE_SIZE);
	if (lb_rcu == NULL || rte_rcu_qsbr_init(lb_rcu, n + 1) != 0)
		return -ENOMEM;
	LOG(INFO, "control lcore %u, %u worker lcore(s)", rte_get_main_lcore(), n);
	return 0;
}

void
lb_txbuf_unsent(struct rte_mbuf **pkts, uint16_t unsent, void *userdata)
{
	uint64_t *port_count = userdata;

	rte_pktmbuf_free_bulk(pkts, unsent);
	*port_count += unsent;
	lb_lcores[rte_lcore_id() < RTE_MAX_LCORE ? rte_lcore_id() : 0]
		.stats.drops[LB_DROP_TX_FULL] += unsent;
}

uint64_t
lb_lcores_tx_full(uint16_t port_id)
{
	uint64_t sum = 0;
	unsigned int w;

	if (port_id >= RTE_MAX_ETHPORTS)
		return 0;
	for (w = 0; w < lb_nb_workers; w++)
		sum += __atomic_load_n(&lb_lcores[lb_worker_lcore[w]].port_tx_full[port_id],
				       __ATOMIC_RELAXED);
	return sum;
}

int
lb_lcores_attach_ports(void)
{
	unsigned int w, p;

	for (w = 0; w < lb_nb_workers; w++) {
		struct lb_lcore *lc = &lb_lcores[lb_worker_lcore[w]];

		lc->nb_rxq = 0;
		for (p = 0; p < lb_nb_ports; p++) {
			uint16_t port_id = lb_ports[p].port_id;
			struct rte_eth_dev_tx_buffer *b;

			lc->rxq[lc->nb_rxq].port_id = port_id;
			lc->rxq[lc->nb_rxq].queue_id = (uint16_t)w;
			lc->rxq[lc->nb_rxq].pool = lb_ports[p].pool;
			lc->nb_rxq++;
			b = rte_zmalloc_socket("lb_txbuf", RTE_ETH_TX_BUFFER_SIZE(LB_BURST), 0,
					       rte_lcore_to_socket_id(lb_worker_lcore[w]));
			if (b == NULL)
				return -ENOMEM;
			rte_eth_tx_buffer_init(b, LB_BURST);
			rte_eth_tx_buffer_set_err_callback(b, lb_txbuf_unsent,
							   &lc->port_tx_full[port_id]);
			lc->txbuf[port_id] = b;
		}
	}
	return 0;
}

/* Free every mbuf left in r (bounded by what it can hold). */
static void
drain_ring(struct rte_ring *r)
{
	struct rte_mbuf *m;
	unsigned int n = LB_RING_SIZE;

	while (r != NULL && n-- > 0 && rte_ring_dequeue(r, (void **)&m) == 0)
		rte_pktmbuf_free(m);
}

void
lb_lcores_drain(void)
{
	unsigned int i;

	for (i = 0; i < RTE_MAX_LCORE; i++) {
		struct lb_lcore *lc = &lb_lcores[i];

		if (lc->role != LB_ROLE_WORKER)
			continue;
		drain_ring(lc->to_control);
		drain_ring(lc->from_control);
		drain_ring(lc->park);
	}
}

void
lb_lcores_term(void)
{
	unsigned int i, p;

	lb_lcores_drain();
	for (i = 0; i < RTE_MAX_LCORE; i++) {
		struct lb_lcore *lc = &lb_lcores[i];

		if (lc->role != LB_ROLE_WORKER)
			continue;
		rte_ring_free(lc->resolve);
		lc->resolve = NULL;
		rte_ring_free(lc->park);
		lc->park = NULL;
		rte_ring_free(lc->to_control);
		rte_ring_free(lc->from_control);
		lc->to_control = lc->from_control = NULL;
		for (p = 0; p < RTE_MAX_ETHPORTS; p++) {
			rte_free(lc->txbuf[p]);
			lc->txbuf[p] = NULL;
		}
	}
	rte_free(lb_rcu);
	lb_rcu = NULL;
}

void
lb_ctrl_tx(struct rte_mbuf *m)
{
	struct lb_lcore *lc;

	if (lb_nb_workers == 0) {
		rte_pktmbuf_free(m);
		return;
	}
	/* one worker per port keeps the kernel's frames in order */
	lc = &lb_lcores[lb_worker_lcore[m->port % lb_nb_workers]];
	if (rte_ring_sp_enqueue(lc->from_control, m) != 0) {
		lb_count_drop(LB_DROP_RING_FULL);
		rte_pktmbuf_free(m);
	}
}

bool
lb_park(struct lb_lcore *lc, struct rte_mbuf *m, uint16_t port_id, rte_be32_t nexthop)
{
	m->port = port_id;
	m->hash.usr = nexthop;	/* the RSS hash is spent by now */
	return rte_ring_sp_enqueue(lc->park, m) == 0;
}

void
lb_resolve_request(struct lb_lcore *lc, uint16_t port_id, rte_be32_t nexthop, uint64_t now)
{
	uint64_t key = ((uint64_t)port_id << 32) | nexthop;

	if (key == lc->last_miss && now - lc->last_miss_tsc < rte_get_tsc_hz() / 10)
		return;
	lc->last_miss = key;
	lc->last_miss_tsc = now;
	/* the value travels as the ring's pointer-sized slot */
	rte_ring_sp_enqueue(lc->resolve, (void *)(uintptr_t)key);
}

unsigned int
lb_resolve_drain(void (*probe)(uint16_t port_id, rte_be32_t ip))
{
	void *keys[LB_BURST];
	unsigned int w, n, i, total = 0;

	for (w = 0; w < lb_nb_workers; w++) {
		struct lb_lcore *lc = &lb_lcores[lb_worker_lcore[w]];

		n = rte_ring_sc_dequeue_burst(lc->resolve, keys, LB_BURST, NULL);
		for (i = 0; i < n; i++) {
			uint64_t key = (uint64_t)(uintptr_t)keys[i];

			probe((uint16_t)(key >> 32), (rte_be32_t)(uint32_t)key);
		}
		total += n;
	}
	return total;
}
