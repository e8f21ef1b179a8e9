/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_BENCH_PIPELINE_H
#define LB_BENCH_PIPELINE_H

/*
 * The pipeline benchmark's two halves: the daemon set up as app/main.c does
 * it (bench_setup.c) and the scenarios run on the worker lcore
 * (bench_pipeline.c).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mempool.h>

#include "config/config.h"

#define BENCH_NB_RS	4		/* real servers per service */
#define BENCH_VPORT	80

/* The test network: one null port holding 198.18.1.1/24 and 198.18.2.1/24. */
struct bench_env {
	struct lb_config cfg;		/* one interface, a NAT and a DR service */
	uint16_t port_id;
	unsigned int worker_lcore;
	struct rte_mempool *pool;	/* the port's mbuf pool */
	struct rte_ether_addr port_mac;	/* dplb's MAC: frames go there */
	struct rte_ether_addr gw_mac;	/* the gateway behind which clients are */
	rte_be32_t vip[2];		/* [LB_FWD_NAT], [LB_FWD_DR] */
	rte_be32_t rs_addr[2][BENCH_NB_RS];
	rte_be16_t rs_port[2];
	struct rte_ether_addr rs_mac[2][BENCH_NB_RS];
	bool hugepages;			/* EAL runs on hugepages (else --no-huge) */
	unsigned int memory_mb;		/* -m given to EAL (0 = none) */
};

/* Options of the command line. */
struct bench_opts {
	const char *mem;		/* "auto", "huge", "nohuge" */
	const char *lcores;		/* EAL -l: control lcore, then the worker */
	bool quick;			/* small tables (smoke tests, valgrind) */
	bool big;			/* the 10-million-connection rows only */
};

/*
 * Build the config (interface on net_null0, services NAT and DR with
 * scheduler wlc), start EAL with memory for max_conns connections
 * and bring up lcores, neighbours (the real servers and the gateway) and
 * the port in app/main.c's order. Services and connection tables are made
 * per scenario (bench_tables_reset). Returns 0 or -errno (printed).
 */
int bench_setup(struct bench_env *env, const struct bench_opts *o, uint64_t max_conns,
		const char *prog);

/*
 * Throw away the connection table and the services and make them anew for
 * capacity connections. *heap_bytes: malloc-heap bytes the connection
 * table took. Workers stopped. Returns 0 or -errno.
 */
int bench_tables_reset(struct bench_env *env, uint64_t capacity, uint64_t *heap_bytes);

/* Take everything down in reverse order. */
void bench_teardown(struct bench_env *env);

/* MB of memory the system has available (MemAvailable), 0 if unknown. */
uint64_t bench_mem_available_mb(void);

#endif
