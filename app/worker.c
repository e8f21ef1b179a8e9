/* SPDX-License-Identifier: BSD-3-Clause */
/* The worker lcore: burst in, classify, burst out, drain TX on a TSC timer. */
#include <rte_cycles.h>
#include <rte_log.h>
#include <rte_mempool.h>
#include <rte_prefetch.h>

#include "app/conn.h"
#include "app/forward.h"
#include "app/worker.h"
#include "pmd-glue/mempool.h"
#include "sync/sync.h"

RTE_LOG_REGISTER_SUFFIX(lb_worker_logtype, worker, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_worker_logtype, "worker: " fmt "\n", ##__VA_ARGS__)

#define DRAIN_US 100
#define EXPIRE_BUDGET 32	/* connections looked at by one expiry call at most */
/*
 * Expiry runs this often, and on every poll while its calls find expired
 * connections (as it did on every poll before: it keeps pace with the
 * rate of new connections). Every poll, it cost up to ~650 cycles on a
 * large, sparse table: 20 c/p at 32 packets a poll (bench_memif).
 */
#define EXPIRE_US 20

/* Stash the parsed offsets where the control lcore will look for them. */
static inline void
note_offsets(struct rte_mbuf *m, const struct lb_pkt_info *info)
{
	m->l2_len = info->l3_off;
	if (info->ether_type == RTE_ETHER_TYPE_IPV4)
		m->l3_len = info->l4_off - info->l3_off;
}

void
lb_worker_process(struct lb_lcore *lc, uint16_t port_id,
		  struct rte_mbuf **pkts, uint16_t n)
{
	struct rte_mbuf *ctrl[LB_BURST];
	struct lb_fwd_pkt fwd[LB_BURST];
	unsigned int nb_ctrl = 0, nb_fwd = 0, sent, i;
	const uint64_t now = rte_rdtsc();

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		enum lb_drop_reason reason;
		struct lb_pkt_info info;

		if (i + 1 < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + 1], void *));
		lc->stats.rx_bytes += rte_pktmbuf_pkt_len(m);
		switch (lb_classify(&lb_local, port_id, m, &info, &reason)) {
		case LB_VERDICT_CONTROL:
			note_offsets(m, &info);
			if (nb_ctrl < RTE_DIM(ctrl)) {
				ctrl[nb_ctrl++] = m;
				continue;
			}
			reason = LB_DROP_RING_FULL;
			break;
		case LB_VERDICT_FORWARD:
			if (unlikely(nb_fwd == RTE_DIM(fwd))) {	/* bursts over LB_BURST */
				lb_forward_burst(lc, fwd, nb_fwd, now);
				nb_fwd = 0;
			}
			if (lb_forward_prepare(lc, m, &info, &fwd[nb_fwd], now))
				nb_fwd++;
			continue;
		case LB_VERDICT_DROP:
			break;
		}
		lc->stats.drops[reason]++;
		rte_pktmbuf_free(m);
	}
	lc->stats.rx_pkts += n;
	if (nb_fwd > 0)
		lb_forward_burst(lc, fwd, nb_fwd, now);
	if (nb_ctrl == 0)
		return;
	sent = rte_ring_sp_enqueue_burst(lc->to_control, (void **)ctrl, nb_ctrl, NULL);
	lc->stats.to_control += sent;
	if (unlikely(sent < nb_ctrl)) {
		lc->stats.drops[LB_DROP_RING_FULL] += nb_ctrl - sent;
		rte_pktmbuf_free_bulk(&ctrl[sent], nb_ctrl - sent);
	}
}

static void
drain_tx(struct lb_lcore *lc)
{
	unsigned int i;

	for (i = 0; i < lc->nb_rxq; i++) {
		uint16_t port = lc->rxq[i].port_id;

		lc->stats.tx_pkts += rte_eth_tx_buffer_flush(port, (uint16_t)lc->worker_index,
							    lc->txbuf[port]);
	}
}

static unsigned int
send_from_control(struct lb_lcore *lc)
{
	struct rte_mbuf *pkts[LB_BURST];
	unsigned int n, i;

	n = rte_ring_sc_dequeue_burst(lc->from_control, (void **)pkts, LB_BURST, NULL);
	lc->stats.from_control += n;
	for (i = 0; i < n; i++) {
		uint16_t port = pkts[i]->port;

		if (unlikely(port >= RTE_MAX_ETHPORTS || lc->txbuf[port] == NULL)) {
			lc->stats.drops[LB_DROP_NOT_LOCAL]++;
			rte_pktmbuf_free(pkts[i]);
			continue;
		}
		lc->stats.tx_pkts += rte_eth_tx_buffer(port, (uint16_t)lc->worker_index,
						      lc->txbuf[port], pkts[i]);
	}
	return n;
}

/*
 * An RX queue gave nothing: is the pool it receives into dry for this
 * lcore (own cache and the shared store both empty)? The PMD then leaves
 * what arrives in the NIC, which drops it when full. Looks past its own
 * cache only when that cache is empty, which is rare.
 */
static inline bool
pool_dry(struct rte_mempool *mp)
{
	struct rte_mempool_cache *c;

	if (mp == NULL)
		return false;
	c = rte_mempool_default_cache(mp, rte_lcore_id());
	return (c == NULL || c->len == 0) && lb_mempool_store_count(mp) == 0;
}

/* Give the mbufs this lcore's mempool caches hold back to their pools. */
static void
flush_caches(struct lb_lcore *lc)
{
	unsigned int i;

	for (i = 0; i < lc->nb_rxq; i++) {
		struct rte_mempool *mp = lc->rxq[i].pool;

		if (mp != NULL)
			rte_mempool_cache_flush(rte_mempool_default_cache(mp, rte_lcore_id()), mp);
	}
}

#define IDLE_POLLS 256	/* empty polls in a row before an idle_sleep_us rest */

int
lb_worker_main(void *arg)
{
	struct lb_lcore *lc = &lb_lcores[rte_lcore_id()];
	const uint64_t drain_tsc = (rte_get_tsc_hz() + US_PER_S - 1) / US_PER_S * DRAIN_US;
	const uint64_t expire_tsc = (rte_get_tsc_hz() + US_PER_S - 1) / US_PER_S * EXPIRE_US;
	uint64_t expired_tsc = 0;
	bool expire_more = false;
	const unsigned int idle_us = arg != NULL ? *(const unsigned int *)arg : 0;
	struct rte_mbuf *pkts[LB_BURST];
	uint64_t prev_tsc = 0, cur_tsc;
	unsigned int i, got, empty = 0;

	if (lc->role != LB_ROLE_WORKER)
		return 0;
	rte_rcu_qsbr_thread_register(lb_rcu, lc->worker_index);
	rte_rcu_qsbr_thread_online(lb_rcu, lc->worker_index);
	LOG(INFO, "worker %u on lcore %u polling %u queue(s)", lc->worker_index,
	    rte_lcore_id(), lc->nb_rxq);

	while (!lb_force_quit) {
		cur_tsc = rte_rdtsc();
		if (unlikely(cur_tsc - prev_tsc > drain_tsc)) {
			drain_tx(lc);
			prev_tsc = cur_tsc;
		}
		got = send_from_control(lc);
		for (i = 0; i < lc->nb_rxq; i++) {
			uint16_t n = rte_eth_rx_burst(lc->rxq[i].port_id, lc->rxq[i].queue_id,
						      pkts, LB_BURST);
			uint64_t t0;

			got += n;
			if (n == 0) {
				/* count each spell of polling a dry pool once */
				if (unlikely(pool_dry(lc->rxq[i].pool))) {
					lc->stats.rx_pool_dry += !lc->rx_dry;
					lc->rx_dry = true;
				} else {
					lc->rx_dry = false;
				}
				continue;
			}
			lc->rx_dry = false;
			t0 = rte_rdtsc();
			lb_worker_process(lc, lc->rxq[i].port_id, pkts, n);
			lc->stats.busy_cycles += rte_rdtsc() - t0;
			lc->stats.busy_polls++;
		}
		/* what this poll forwarded goes out now, not after DRAIN_US: a
		 * partial burst waiting in the TX buffer only adds latency */
		if (got != 0) {
			drain_tx(lc);
			prev_tsc = cur_tsc;
		}
		if (unlikely(lc->cache_flush_seen != lb_mempool_flush_gen)) {
			lc->cache_flush_seen = lb_mempool_flush_gen;
			flush_caches(lc);
		}
		if (expire_more || cur_tsc - expired_tsc >= expire_tsc) {
			expire_more = lb_conn_expire(lc->worker_index, cur_tsc, EXPIRE_BUDGET) != 0;
			expired_tsc = cur_tsc;
		}
		lb_sync_worker_poll(lc->worker_index, cur_tsc);	/* synced connections in */
		rte_rcu_qsbr_quiescent(lb_rcu, lc->worker_index);
		/* idle_sleep_us: opt-in rest after IDLE_POLLS empty polls in a row */
		if (unlikely(idle_us != 0) && (got != 0 ? (empty = 0) : ++empty) >= IDLE_POLLS) {
			drain_tx(lc);
			rte_delay_us_sleep(idle_us);
		}
	}
	drain_tx(lc);
	rte_rcu_qsbr_thread_offline(lb_rcu, lc->worker_index);
	rte_rcu_qsbr_thread_unregister(lb_rcu, lc->worker_index);
	LOG(INFO, "worker %u stopped", lc->worker_index);
	return 0;
}
