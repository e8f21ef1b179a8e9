/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_TEST_UNIT_H
#define LB_TEST_UNIT_H

#include <CUnit/CUnit.h>
#include <rte_mempool.h>

/* Each test file registers its suites through one of these. */
void lb_test_register_config(void);
void lb_test_register_classify(void);
void lb_test_register_arp(void);
void lb_test_register_rewrite(void);
void lb_test_register_sched(void);

/* A small mbuf pool created once EAL is up (--no-huge, no NIC). */
extern struct rte_mempool *lb_test_pool;

/* Allocate an mbuf holding a copy of len bytes of data. */
struct rte_mbuf *lb_test_mbuf(const void *data, uint16_t len);

#endif
