/* SPDX-License-Identifier: BSD-3-Clause */
/* The control lcore loop: slow path, timers, CLI. */
#include <time.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_timer.h>

#include "announce/announce.h"
#include "app/control.h"
#include "app/park.h"
#include "app/lcore.h"
#include "app/local.h"
#include "app/metrics.h"
#include "app/obs.h"
#include "app/reload.h"
#include "app/svc_table.h"
#include "cli/server.h"
#include "health/monitor.h"
#include "pmd-glue/mempool.h"
#include "pmd-glue/neigh.h"
#include "pmd-glue/port.h"
#include "sync/sync.h"
#include "vrrp/instance.h"

#define IDLE_SLEEP_US 200

static struct rte_timer housekeeping;

static void
housekeeping_cb(struct rte_timer *t, void *arg)
{
	(void)t;
	(void)arg;
	lb_ports_watch();
	lb_neigh_age(rte_get_tsc_cycles(), lb_local_arp_probe);
	lb_local_resolve_dests();
	lb_svc_estimate();
	lb_obs_refresh();	/* what telemetry reads; busy readers: next second */
}

int
lb_control_init(const struct lb_config *cfg)
{
	int rc;

	(void)cfg;
	rc = rte_timer_subsystem_init();
	if (rc != 0 && rc != -EALREADY)
		return rc;
	rte_timer_init(&housekeeping);
	return rte_timer_reset(&housekeeping, rte_get_timer_hz(), PERIODICAL,
			       rte_get_main_lcore(), housekeeping_cb, NULL);
}

void
lb_control_term(void)
{
	rte_timer_stop_sync(&housekeeping);
	rte_timer_subsystem_finalize();
	lb_park_term();
}

static unsigned int
drain_workers(void)
{
	struct rte_mbuf *pkts[LB_BURST];
	unsigned int w, n, i, total = 0;

	for (w = 0; w < lb_nb_workers; w++) {
		struct lb_lcore *lc = &lb_lcores[lb_worker_lcore[w]];

		n = rte_ring_sc_dequeue_burst(lc->to_control, (void **)pkts, LB_BURST, NULL);
		for (i = 0; i < n; i++)
			lb_local_input(pkts[i]);
		total += n;
	}
	return total;
}

static unsigned int
drain_kernel(void)
{
	struct rte_mbuf *pkts[LB_BURST];
	unsigned int p, n, i, total = 0;

	for (p = 0; p < lb_nb_ports; p++) {
		if (lb_ports[p].tap_port_id == LB_PORT_NONE)
			continue;
		n = rte_eth_rx_burst(lb_ports[p].tap_port_id, 0, pkts, LB_BURST);
		for (i = 0; i < n; i++)
			lb_local_from_kernel(lb_ports[p].port_id, pkts[i]);
		total += n;
	}
	return total;
}

/* ARP for a next hop a worker could not resolve, at most every 200 ms. */
static void
resolve(uint16_t port_id, rte_be32_t ip)
{
	static struct { rte_be32_t ip; uint64_t tsc; } recent[256];
	const uint64_t now = rte_get_tsc_cycles();
	struct rte_ether_addr mac;
	unsigned int slot = rte_be_to_cpu_32(ip) & 255;

	if (lb_neigh_lookup(ip, &mac, NULL) == 0)
		return;
	if (recent[slot].ip == ip && now - recent[slot].tsc < rte_get_tsc_hz() / 5)
		return;
	recent[slot].ip = ip;
	recent[slot].tsc = now;
	lb_local_arp_probe(port_id, ip);
}

void
lb_control_main(void)
{
	const struct timespec idle = { 0, IDLE_SLEEP_US * 1000 };

	while (!lb_force_quit) {
		unsigned int work = drain_workers() + drain_kernel() + lb_resolve_drain(resolve) +
				    lb_park_poll(resolve);

		lb_mempool_watch();	/* a pool running dry: logged, counted */
		rte_timer_manage();
		lb_vrrp_poll();		/* VRRP timers: µs resolution, polled */
		work += lb_health_monitor_poll(lb_health_now_us());
		work += lb_sync_poll();		/* connection sync: events out, roles */
		work += lb_announce_poll(lb_health_now_us());	/* VIPs to the routing daemon */
		if (lb_reload_requested) {
			lb_reload_requested = false;
			lb_reload_logged("SIGHUP");	/* messages go to the log */
		}
		work += lb_cli_poll();
		work += lb_metrics_poll();
		if (work == 0)
			nanosleep(&idle, NULL);
	}
}
