/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The pipeline benchmark's daemon: EAL, lcores, neighbours, the null port,
 * then per scenario a fresh connection table and services -- the modules of
 * app/main.c in its order, without the control loop and the CLI.
 */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "test/eal_scratch.h"
#include "app/conn.h"
#include "app/eal_args.h"
#include "app/lcore.h"
#include "app/svc_table.h"
#include "pmd-glue/neigh.h"
#include "pmd-glue/port.h"
#include "test/perf/bench_pipeline.h"

#define NEIGH_MAX 65536
#define IP4(a, b, c, d) \
	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static char eal_mem[16], eal_prefix[64], eal_lcores[64];

uint64_t
bench_mem_available_mb(void)
{
	char line[256];
	uint64_t kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "MemAvailable:", 13) == 0)
			kb = strtoull(line + 13, NULL, 10);
	fclose(f);
	return kb / 1024;
}

static void
add_service(struct lb_cfg_service *s, uint32_t vip, enum lb_fwd fwd, uint32_t rs_base,
	    uint16_t rs_port)
{
	unsigned int i;

	s->proto = IPPROTO_TCP;
	s->vip = vip;
	s->port = BENCH_VPORT;
	snprintf(s->sched, sizeof(s->sched), "wlc");
	for (i = 0; i < BENCH_NB_RS; i++) {
		s->rs[i].addr = rs_base + i;
		s->rs[i].port = rs_port;
		s->rs[i].fwd = fwd;
		s->rs[i].weight = 1;
	}
	s->nb_rs = BENCH_NB_RS;
}

#define RING_QUEUES 16	/* net_ring's queue pairs */

static int
make_config(struct bench_env *env, unsigned int workers, bool tx_null)
{
	struct lb_config *cfg = &env->cfg;
	struct lb_cfg_iface *ifc = &cfg->ifaces[0];
	unsigned int i;

	lb_config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "(bench_pipeline)");
	cfg->workers = workers ? workers : 1;
	cfg->mbufs_per_port = 4095;
	cfg->nb_ifaces = 1;
	snprintf(ifc->name, sizeof(ifc->name), "bench0");
	snprintf(ifc->device, sizeof(ifc->device), tx_null ? "net_null0" : "net_ring0");
	ifc->exception_name[0] = '\0';
	ifc->addrs[0] = (struct lb_cfg_addr){ IP4(198, 18, 1, 1), 24 };
	ifc->addrs[1] = (struct lb_cfg_addr){ IP4(198, 18, 2, 1), 24 };
	ifc->nb_addrs = 2;
	ifc->gateway = IP4(198, 18, 1, 254);
	cfg->services = calloc(BENCH_NB_FWD, sizeof(*cfg->services));
	if (cfg->services == NULL)
		return -ENOMEM;
	add_service(&cfg->services[LB_FWD_NAT], IP4(198, 18, 1, 100), LB_FWD_NAT,
		    IP4(198, 18, 2, 10), 8080);
	add_service(&cfg->services[LB_FWD_DR], IP4(198, 18, 1, 101), LB_FWD_DR,
		    IP4(198, 18, 2, 20), BENCH_VPORT);
	add_service(&cfg->services[LB_FWD_TUN], IP4(198, 18, 1, 102), LB_FWD_TUN,
		    IP4(198, 18, 2, 30), BENCH_VPORT);
	add_service(&cfg->services[LB_FWD_FNAT], IP4(198, 18, 1, 103), LB_FWD_FNAT,
		    IP4(198, 18, 2, 40), 8080);
	for (i = 0; i < BENCH_NB_LADDR; i++)	/* 8 x 4 RS x 64,512 ports */
		cfg->services[LB_FWD_FNAT].laddrs[i] = IP4(198, 18, 2, 200 + i);
	cfg->services[LB_FWD_FNAT].nb_laddrs = BENCH_NB_LADDR;
	cfg->nb_services = BENCH_NB_FWD;
	for (i = 0; i < BENCH_NB_FWD; i++) {
		const struct lb_cfg_service *s = &cfg->services[i];
		unsigned int r;

		env->vip[i] = rte_cpu_to_be_32(s->vip);
		env->rs_port[i] = rte_cpu_to_be_16(s->rs[0].port);
		for (r = 0; r < BENCH_NB_RS; r++) {
			env->rs_addr[i][r] = rte_cpu_to_be_32(s->rs[r].addr);
			env->rs_mac[i][r] = (struct rte_ether_addr){
				{ 0x02, 0xbe, 0, 0, (uint8_t)i, (uint8_t)r } };
		}
	}
	env->gw_mac = (struct rte_ether_addr){ { 0x02, 0xbe, 0, 0, 0xff, 0xfe } };
	return 0;
}

/* EAL on hugepages when they hold what max_conns needs, else --no-huge. */
static int
eal_start(struct bench_env *env, const struct bench_opts *o, const char *prog)
{
	char *argv[16];
	int argc = 0;
	unsigned int need = lb_eal_memory_need_mb(&env->cfg);

	if (strcmp(o->mem, "huge") == 0)
		env->hugepages = true;
	else if (strcmp(o->mem, "nohuge") == 0)
		env->hugepages = false;
	else
		env->hugepages = lb_hugepages_available(need);
	argv[argc++] = (char *)(uintptr_t)prog;
	if (!env->hugepages) {
		env->memory_mb = need * 3 / 2 > 2048 ? need * 3 / 2 : 2048;
		snprintf(eal_mem, sizeof(eal_mem), "%u", env->memory_mb);
		argv[argc++] = "--no-huge";
		argv[argc++] = "-m";
		argv[argc++] = eal_mem;
	}
	snprintf(eal_prefix, sizeof(eal_prefix), "dplb-bench-%d", (int)getpid());
	snprintf(eal_lcores, sizeof(eal_lcores), "%s", o->lcores);
	/* 22.11: --no-huge implies legacy memory, which --in-memory refuses */
	argv[argc++] = env->hugepages ? "--in-memory" : "--no-shconf";
	argv[argc++] = "--no-pci";
	argv[argc++] = "--file-prefix";
	argv[argc++] = eal_prefix;
	argv[argc++] = "--lcores";	/* "0-1", or lcore@cpu pairs */
	argv[argc++] = eal_lcores;
	argv[argc++] = "--log-level=lib.*:warning";
	argv[argc++] = "--log-level=dplb.*:warning";
	argv[argc] = NULL;
	if (rte_eal_init(argc, argv) < 0) {
		fprintf(stderr, "bench_pipeline: EAL init failed (%s, need %u MB): %s\n",
			env->hugepages ? "hugepages" : "--no-huge", need,
			rte_strerror(rte_errno));
		lb_test_eal_scratch_remove(eal_prefix);
		return -ENOMEM;
	}
	return 0;
}

int
bench_setup(struct bench_env *env, const struct bench_opts *o, uint64_t max_conns,
	    const char *prog)
{
	const struct lb_config *cfg = &env->cfg;
	unsigned int i, r;
	int rc;

	/* net_ring has 16 queue pairs (RTE_PMD_RING_MAX_*_RINGS): more workers
	 * than that take net_null */
	env->tx_ring = !o->tx_null && o->workers <= RING_QUEUES;
	if (!o->tx_null && !env->tx_ring)
		fprintf(stderr, "bench: %u workers: net_null port (net_ring has %u queues)\n",
			o->workers, RING_QUEUES);
	rc = make_config(env, o->workers, !env->tx_ring);
	if (rc != 0)
		return rc;
	env->cfg.conn_max = (unsigned int)max_conns;	/* sizes -m */
	rc = eal_start(env, o, prog);
	if (rc == 0)
		rc = lb_lcores_init(cfg);
	if (rc == 0)
		rc = lb_neigh_init(NEIGH_MAX, lb_rcu, cfg->neigh_timeout_s);
	if (rc == 0)
		rc = lb_ports_init(cfg, lb_nb_workers);
	if (rc == 0)
		rc = lb_lcores_attach_ports();
	if (rc != 0) {
		fprintf(stderr, "bench_pipeline: start-up failed: %s\n", strerror(-rc));
		return rc;
	}
	env->port_id = lb_ports[0].port_id;
	env->pool = lb_ports[0].pool;
	env->port_mac = lb_ports[0].mac;
	env->worker_lcore = lb_worker_lcore[0];
	/* every next hop resolved, so no packet waits for ARP */
	rc = lb_neigh_update(env->port_id, rte_cpu_to_be_32(cfg->ifaces[0].gateway),
			     &env->gw_mac, true);
	for (i = 0; i < BENCH_NB_FWD && rc == 0; i++)
		for (r = 0; r < BENCH_NB_RS && rc == 0; r++)
			rc = lb_neigh_update(env->port_id, env->rs_addr[i][r],
					     &env->rs_mac[i][r], true);
	if (rc != 0)
		fprintf(stderr, "bench_pipeline: cannot add neighbours: %s\n", strerror(-rc));
	return rc;
}

int
bench_tables_reset(struct bench_env *env, uint64_t capacity, uint64_t *heap_bytes)
{
	struct rte_malloc_socket_stats before, after;
	int rc;

	lb_svc_term();
	lb_conn_term();
	env->cfg.conn_max = (unsigned int)capacity;
	rte_malloc_get_socket_stats((int)rte_socket_id(), &before);
	rc = lb_conn_init(lb_nb_workers, env->cfg.conn_max, lb_rcu, &env->cfg);
	rte_malloc_get_socket_stats((int)rte_socket_id(), &after);
	*heap_bytes = after.heap_allocsz_bytes - before.heap_allocsz_bytes;
	if (rc == 0)
		rc = lb_svc_apply(&env->cfg, lb_nb_workers);
	if (rc != 0)
		fprintf(stderr, "bench_pipeline: no table for %" PRIu64 " connections: %s\n",
			capacity, strerror(-rc));
	return rc;
}

void
bench_teardown(struct bench_env *env)
{
	lb_svc_term();
	lb_conn_term();
	lb_ports_term();
	lb_neigh_term();
	lb_lcores_term();
	lb_config_free(&env->cfg);
	rte_eal_cleanup();
	lb_test_eal_scratch_remove(eal_prefix);
}
