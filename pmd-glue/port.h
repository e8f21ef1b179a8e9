/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_PORT_H
#define LB_PORT_H

#include <stdbool.h>

#include <rte_dev.h>
#include <rte_ether.h>
#include <rte_mempool.h>

#include "config/config.h"

#define LB_PORT_NONE UINT16_MAX

/* One data interface: a DPDK port plus its exception-path TAP. */
struct lb_port {
	const struct lb_cfg_iface *cfg;
	uint16_t port_id;		/* DPDK port of the data interface */
	uint16_t tap_port_id;		/* DPDK port of the kernel TAP, or LB_PORT_NONE */
	int socket;
	struct rte_mempool *pool;
	struct rte_ether_addr mac;
	char dev_name[RTE_DEV_NAME_MAX_LEN];
	char driver[32];
	bool started;
	bool link_up;
	bool link_known;
	/* faults, control lcore only (lb_ports_watch) */
	uint64_t link_downs;		/* times the link went down */
	uint64_t link_down_tsc;		/* when it last did */
	uint64_t tx_full_seen;		/* lb_lcores_tx_full() at the last watch */
	uint64_t tx_full_from;		/* ... when the current TX-full spell began */
	bool tx_full_spell;		/* its queues refused packets in the last second */
	unsigned int tap_ifindex;	/* kernel index of the exception TAP, 0: none */
	uint64_t exception_lost;	/* times the TAP's kernel interface vanished */
	bool exception_broken;		/* wanted but not open: lb_ports_watch retries */
};

extern struct lb_port lb_ports[LB_MAX_IFACES];
extern unsigned int lb_nb_ports;
/* Each started data port's IP MTU (lb_cfg_iface_mtu) by DPDK port id; 0: no data port. */
extern uint16_t lb_port_mtu[RTE_MAX_ETHPORTS];

/*
 * Probe, configure and start every interface of cfg: one RX and one TX
 * queue per worker (RSS across them when the PMD has it), a per-socket mbuf
 * pool, MTU, all-multicast. Fills lb_ports and the MACs in lb_local.
 * Logs a message naming the interface on each failure. Control lcore,
 * after lb_lcores_init(). Returns 0 or -errno.
 */
int lb_ports_init(const struct lb_config *cfg, unsigned int nb_workers);

/* Stop and close every port (data and TAP) and detach vdevs. Workers stopped. */
void lb_ports_term(void);

/* The lb_port of a DPDK port id (data or TAP), NULL if not ours. */
struct lb_port *lb_port_by_id(uint16_t port_id);

/*
 * Watch every port for faults, about once a second (control lcore): link
 * changes (logged, link_downs counted), TX queues that refuse packets
 * (logged once a spell, counted per port by the workers' TX buffers), and
 * an exception TAP whose kernel interface vanished (logged, counted,
 * recreated; retried every call until it works).
 */
void lb_ports_watch(void);

/*
 * The fault counters of p, one line for `show interfaces`:
 * `  faults: link_down N, tx_full N, rx_nombuf N, exception_lost N`.
 */
void lb_port_show_faults(FILE *out, const struct lb_port *p);

/*
 * The vdev string dplb actually probes for a configured device: an
 * af_packet device gets `qpairs=<workers>` unless it names its own.
 * Pure; returns 0 or -ENAMETOOLONG.
 */
int lb_port_devargs(const char *device, unsigned int nb_workers, char *out, size_t len);

/* Print one line per port (name, device, driver, MAC, link, queues). */
void lb_ports_show(FILE *out);

#endif
