/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A full TX queue: a net_ring port whose ring nobody drains takes part of
 * a burst; the TX buffer's error callback (lb_txbuf_unsent) must free the
 * rest and count it, so every mbuf is back in the pool afterwards.
 */
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "app/lcore.h"
#include "test/unit/unit.h"

#define N_SENT 1100		/* the net_ring PMD's ring takes 1023 */

static void
test_tx_full_freed_and_counted(void)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	struct rte_eth_dev_tx_buffer *buf;
	struct rte_mempool *mp;
	struct rte_mbuf *pkts[64];
	uint64_t unsent = 0, drops0 = lb_lcores[rte_lcore_id()].stats.drops[LB_DROP_TX_FULL];
	unsigned int i, queued = 0, got;
	uint16_t port;

	mp = rte_pktmbuf_pool_create("txfull_pool", 2047, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     SOCKET_ID_ANY);
	CU_ASSERT_PTR_NOT_NULL_FATAL(mp);
	CU_ASSERT_EQUAL_FATAL(rte_dev_probe("net_ring_txfull"), 0);
	CU_ASSERT_EQUAL_FATAL(rte_eth_dev_get_port_by_name("net_ring_txfull", &port), 0);
	CU_ASSERT_EQUAL_FATAL(rte_eth_dev_configure(port, 1, 1, &conf), 0);
	CU_ASSERT_EQUAL_FATAL(rte_eth_rx_queue_setup(port, 0, 64, SOCKET_ID_ANY, NULL, mp), 0);
	CU_ASSERT_EQUAL_FATAL(rte_eth_tx_queue_setup(port, 0, 64, SOCKET_ID_ANY, NULL), 0);
	CU_ASSERT_EQUAL_FATAL(rte_eth_dev_start(port), 0);
	buf = rte_zmalloc("txfull_buf", RTE_ETH_TX_BUFFER_SIZE(LB_BURST), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(buf);
	rte_eth_tx_buffer_init(buf, LB_BURST);
	rte_eth_tx_buffer_set_err_callback(buf, lb_txbuf_unsent, &unsent);

	for (i = 0; i < N_SENT; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		rte_pktmbuf_append(m, 60);
		queued += rte_eth_tx_buffer(port, 0, buf, m);
	}
	queued += rte_eth_tx_buffer_flush(port, 0, buf);
	CU_ASSERT_EQUAL(queued, 1023);
	CU_ASSERT_EQUAL(unsent, N_SENT - 1023);
	CU_ASSERT_EQUAL(lb_lcores[rte_lcore_id()].stats.drops[LB_DROP_TX_FULL] - drops0,
			N_SENT - 1023);
	CU_ASSERT_EQUAL(rte_mempool_in_use_count(mp), 1023);	/* the unsent: freed */
	for (i = 0; i < 64; i++) {	/* bounded: the ring holds 1023 */
		got = rte_eth_rx_burst(port, 0, pkts, RTE_DIM(pkts));
		if (got == 0)
			break;
		rte_pktmbuf_free_bulk(pkts, got);
	}
	CU_ASSERT_EQUAL(rte_mempool_in_use_count(mp), 0);

	CU_ASSERT_EQUAL(rte_eth_dev_info_get(port, &info), 0);
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	rte_dev_remove(info.device);
	rte_free(buf);
	rte_mempool_free(mp);
}

void
lb_test_register_txfull(void)
{
	CU_pSuite s = CU_add_suite("txfull", NULL, NULL);

	CU_add_test(s, "a full TX queue: unsent packets freed and counted",
		    test_tx_full_freed_and_counted);
}
