/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * CUnit runner for dplb. Starts EAL without hugepages or PCI so the packet
 * code runs on plain mbufs, registers every suite, prints the CUnit summary
 * and exits non-zero when any assertion failed.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>
#include <rte_eal.h>
#include <rte_mbuf.h>

#include "test/eal_scratch.h"
#include "test/unit/unit.h"

struct rte_mempool *lb_test_pool;

struct rte_mbuf *
lb_test_mbuf(const void *data, uint16_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(lb_test_pool);
	char *p;

	if (m == NULL)
		return NULL;
	p = rte_pktmbuf_append(m, len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(p, data, len);
	return m;
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *eal_argv[] = { argv[0], "--no-huge", "--no-pci", "-m", "128",
			     "--log-level=lib.*:error", "--file-prefix", prefix,
			     "--no-shconf", "-l", "0", NULL };
	unsigned int failures;

	(void)argc;
	snprintf(prefix, sizeof(prefix), "dplb-unit-%d", (int)getpid());
	if (rte_eal_init(RTE_DIM(eal_argv) - 1, eal_argv) < 0) {
		fprintf(stderr, "unit tests: EAL init failed\n");
		return 2;
	}
	lb_test_pool = rte_pktmbuf_pool_create("unit_pool", 1023, 0, 0,
					       RTE_MBUF_DEFAULT_BUF_SIZE,
					       SOCKET_ID_ANY);
	if (lb_test_pool == NULL) {
		fprintf(stderr, "unit tests: cannot create mbuf pool\n");
		return 2;
	}
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	lb_test_register_config();
	lb_test_register_classify();
	lb_test_register_arp();
	lb_test_register_rewrite();
	lb_test_register_sched();
	lb_test_register_reject();
	lb_test_register_ipvsadm();
	lb_test_register_vrrp();
	lb_test_register_health();
	lb_test_register_keepalived();
	lb_test_register_cfgsave();
	lb_test_register_vrrp_reload();
	lb_test_register_sync();
	lb_test_register_metrics();
	lb_test_register_txfull();
	lb_test_register_conn();
	lb_test_register_announce();

	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	rte_eal_cleanup();
	lb_test_eal_scratch_remove(prefix);
	return failures ? 1 : 0;
}
