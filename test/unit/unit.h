/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_TEST_UNIT_H
#define LB_TEST_UNIT_H

#include <stdio.h>

#include <CUnit/CUnit.h>
#include <rte_mempool.h>

/*
 * An IPv4 address in host order. DPDK 22.11's RTE_IPV4 shifts an int, which
 * is undefined (and reported by UBSan) for a first octet of 128 or more.
 */
#define LB_TEST_IPV4(a, b, c, d) \
	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

/* Each test file registers its suites through one of these. */
void lb_test_register_config(void);
void lb_test_register_classify(void);
void lb_test_register_arp(void);
void lb_test_register_rewrite(void);
void lb_test_register_sched(void);
void lb_test_register_reject(void);
void lb_test_register_ipvsadm(void);
void lb_test_register_vrrp(void);
void lb_test_register_health(void);
void lb_test_register_keepalived(void);
void lb_test_register_cfgsave(void);
void lb_test_register_vrrp_reload(void);
void lb_test_register_sync(void);
void lb_test_register_metrics(void);
void lb_test_register_txfull(void);
void lb_test_register_conn(void);
void lb_test_register_announce(void);

/*
 * Parser messages of config tests: lb_test_msgs_begin() forgets the last
 * ones and returns the stream to give the parser (fclose it after);
 * lb_test_msgs() is what was written; lb_test_has_msg() is true when a line
 * holds needle (else it prints what there was).
 */
FILE *lb_test_msgs_begin(void);
const char *lb_test_msgs(void);
int lb_test_has_msg(const char *needle);
void lb_test_msgs_free(void);		/* at the end, for the leak checker */

struct lb_config;

/* A config parser of the tests: text into cfg, messages kept, error count. */
typedef int (*lb_test_parse_fn)(const char *text, struct lb_config *cfg, unsigned int *count);

/* parse(text) is refused (-EINVAL) and one of its messages holds needle. */
void lb_test_expect_error(lb_test_parse_fn parse, const char *text, const char *needle);

/* A small mbuf pool created once EAL is up (--no-huge, no NIC). */
extern struct rte_mempool *lb_test_pool;

/* Allocate an mbuf holding a copy of len bytes of data. */
struct rte_mbuf *lb_test_mbuf(const void *data, uint16_t len);

#endif
