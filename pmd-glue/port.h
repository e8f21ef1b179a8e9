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
};

extern struct lb_port lb_ports[LB_MAX_IFACES];
extern unsigned int lb_nb_ports;

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

/* Log link changes of data ports; call about once a second. Control lcore. */
void lb_ports_poll_link(void);

/*
 * The vdev string dplb actually probes for a configured device: an
 * af_packet device gets `qpairs=<workers>` unless it names its own.
 * Pure; returns 0 or -ENAMETOOLONG.
 */
int lb_port_devargs(const char *device, unsigned int nb_workers, char *out, size_t len);

/* Print one line per port (name, device, driver, MAC, link, queues). */
void lb_ports_show(FILE *out);

#endif
