/* SPDX-License-Identifier: BSD-3-Clause */
/* Data ports over any DPDK PMD: probe, queues per worker, RSS, start, stop. */
#include <string.h>

#include <rte_bus.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_string_fns.h>

#include "app/lcore.h"
#include "pmd-glue/exception.h"
#include "pmd-glue/mempool.h"
#include "pmd-glue/port.h"

RTE_LOG_REGISTER_SUFFIX(lb_port_logtype, port, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_port_logtype, "port: " fmt "\n", ##__VA_ARGS__)

struct lb_port lb_ports[LB_MAX_IFACES];
unsigned int lb_nb_ports;
uint16_t lb_port_mtu[RTE_MAX_ETHPORTS];

int
lb_port_devargs(const char *device, unsigned int nb_workers, char *out, size_t len)
{
	int n;

	if (strncmp(device, "net_af_packet", 13) == 0 && strstr(device, "qpairs=") == NULL)
		n = snprintf(out, len, "%s,qpairs=%u", device, nb_workers);
	else
		n = snprintf(out, len, "%s", device);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

struct lb_port *
lb_port_by_id(uint16_t port_id)
{
	unsigned int i;

	for (i = 0; i < lb_nb_ports; i++)
		if (lb_ports[i].port_id == port_id || lb_ports[i].tap_port_id == port_id)
			return &lb_ports[i];
	return NULL;
}

/* Probe the device of one interface and find its port id. */
static int
probe(struct lb_port *p, unsigned int nb_workers)
{
	const struct lb_cfg_iface *ifc = p->cfg;
	char devargs[LB_DEV_LEN + 32];
	int rc;

	if (ifc->is_pci) {
		rte_strscpy(p->dev_name, ifc->device, sizeof(p->dev_name));
	} else {
		rc = lb_port_devargs(ifc->device, nb_workers, devargs, sizeof(devargs));
		if (rc != 0)
			return rc;
		rte_strscpy(p->dev_name, devargs, sizeof(p->dev_name));
		p->dev_name[strcspn(p->dev_name, ",")] = '\0';
		rc = rte_dev_probe(devargs);
		if (rc != 0) {
			/* PMDs often return -1: the cause is in the PMD's message above */
			LOG(ERR, "interface %s: cannot probe device '%s'%s%s (see the driver's "
			    "message above; is the PMD installed, and does the kernel "
			    "interface exist?)", ifc->name, devargs, rc == -1 ? "" : ": ",
			    rc == -1 ? "" : rte_strerror(-rc));
			return rc == -1 ? -ENODEV : rc;
		}
	}
	if (rte_eth_dev_get_port_by_name(p->dev_name, &p->port_id) != 0) {
		LOG(ERR, "interface %s: no DPDK port for device '%s'%s", ifc->name,
		    p->dev_name, ifc->is_pci ? " (is it bound to vfio-pci/uio? see "
		    "dpdk-devbind.py --status)" : "");
		return -ENODEV;
	}
	return 0;
}

static int
configure(struct lb_port *p, const struct lb_config *cfg, uint16_t nq)
{
	const struct lb_cfg_iface *ifc = p->cfg;
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint16_t nrxd = (uint16_t)cfg->rx_desc, ntxd = (uint16_t)cfg->tx_desc, q;
	int rc;

	rc = rte_eth_dev_info_get(p->port_id, &info);
	if (rc != 0)
		return rc;
	snprintf(p->driver, sizeof(p->driver), "%s", info.driver_name);
	if (info.max_rx_queues < nq || info.max_tx_queues < nq) {
		LOG(ERR, "interface %s (%s): the device has %u RX / %u TX queues, dplb "
		    "needs one of each per worker (%u): lower `workers` or give the "
		    "device more queues", ifc->name, p->dev_name, info.max_rx_queues,
		    info.max_tx_queues, nq);
		return -EINVAL;
	}
	if (nq > 1 && info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP |
			RTE_ETH_RSS_UDP) & info.flow_type_rss_offloads;
	}
	if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_IPV4_CKSUM)
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_IPV4_CKSUM;
	rc = rte_eth_dev_configure(p->port_id, nq, nq, &conf);
	if (rc != 0) {
		LOG(ERR, "interface %s: configure with %u queue pairs failed: %s",
		    ifc->name, nq, rte_strerror(-rc));
		return rc;
	}
	rte_eth_dev_adjust_nb_rx_tx_desc(p->port_id, &nrxd, &ntxd);
	for (q = 0; q < nq; q++) {
		rc = rte_eth_rx_queue_setup(p->port_id, q, nrxd, p->socket, NULL, p->pool);
		if (rc == 0)
			rc = rte_eth_tx_queue_setup(p->port_id, q, ntxd, p->socket, NULL);
		if (rc != 0) {
			LOG(ERR, "interface %s: queue %u setup failed: %s", ifc->name, q,
			    rte_strerror(-rc));
			return rc;
		}
	}
	if (ifc->mtu != 0) {
		rc = rte_eth_dev_set_mtu(p->port_id, ifc->mtu);
		if (rc != 0 && rc != -ENOTSUP)
			LOG(WARNING, "interface %s: cannot set MTU %u: %s", ifc->name,
			    ifc->mtu, rte_strerror(-rc));
	}
	return 0;
}

static int
start(struct lb_port *p)
{
	const struct lb_cfg_iface *ifc = p->cfg;
	int rc;

	rc = rte_eth_dev_start(p->port_id);
	if (rc != 0) {
		LOG(ERR, "interface %s: start failed: %s", ifc->name, rte_strerror(-rc));
		return rc;
	}
	p->started = true;
	rte_eth_allmulticast_enable(p->port_id);	/* VRRP adverts are multicast */
	if (ifc->promiscuous)
		rte_eth_promiscuous_enable(p->port_id);
	rte_eth_macaddr_get(p->port_id, &p->mac);
	if (rte_is_zero_ether_addr(&p->mac)) {
		/* net_ring and some vdevs have none: never answer ARP with 00:00:... */
		rte_eth_random_addr(p->mac.addr_bytes);
		if (rte_eth_dev_default_mac_addr_set(p->port_id, &p->mac) != 0)
			LOG(NOTICE, "interface %s: the device keeps no MAC; dplb uses a "
			    "random one", ifc->name);
	}
	lb_local.port_mac[p->port_id] = p->mac;
	lb_port_mtu[p->port_id] = lb_cfg_iface_mtu(ifc);
	return 0;
}

static void
add_local_addrs(const struct lb_cfg_iface *ifc)
{
	unsigned int a;

	for (a = 0; a < ifc->nb_addrs; a++)
		if (!lb_local_add_addr(&lb_local, rte_cpu_to_be_32(ifc->addrs[a].addr)))
			break;
}

int
lb_ports_init(const struct lb_config *cfg, unsigned int nb_workers)
{
	unsigned int i;
	int rc;

	lb_nb_ports = 0;
	lb_local.nb_addrs = 0;
	lb_local.addr_filter = 0;
	for (i = 0; i < cfg->nb_ifaces; i++) {
		struct lb_port *p = &lb_ports[i];
		char mac[RTE_ETHER_ADDR_FMT_SIZE];

		memset(p, 0, sizeof(*p));
		p->cfg = &cfg->ifaces[i];
		p->tap_port_id = LB_PORT_NONE;
		p->port_id = LB_PORT_NONE;
		lb_nb_ports = i + 1;
		rc = probe(p, nb_workers);
		if (rc != 0)
			return rc;
		p->socket = rte_eth_dev_socket_id(p->port_id);
		p->pool = lb_mempool_get(p->socket, cfg->mbufs_per_port * 2 * cfg->nb_ifaces);
		if (p->pool == NULL)
			return -ENOMEM;
		rc = configure(p, cfg, (uint16_t)nb_workers);
		if (rc == 0)
			rc = start(p);
		if (rc != 0)
			return rc;
		add_local_addrs(p->cfg);
		rte_ether_format_addr(mac, sizeof(mac), &p->mac);
		LOG(INFO, "interface %s: port %u (%s, %s) mac %s, %u queue pair(s)",
		    p->cfg->name, p->port_id, p->dev_name, p->driver, mac, nb_workers);
		if (p->cfg->exception_name[0] != '\0') {
			rc = lb_exception_open(p);
			if (rc != 0)
				return rc;
		}
	}
	lb_ports_watch();
	return 0;
}

static void
close_port(uint16_t port_id, const char *what)
{
	struct rte_eth_dev_info info;
	struct rte_device *dev = NULL;

	if (rte_eth_dev_info_get(port_id, &info) == 0)
		dev = info.device;
	rte_eth_dev_stop(port_id);
	if (rte_eth_dev_close(port_id) != 0)
		LOG(WARNING, "%s: close of port %u failed", what, port_id);
	if (dev != NULL && strcmp(rte_bus_name(rte_dev_bus(dev)), "vdev") == 0)
		rte_dev_remove(dev);
}

void
lb_ports_term(void)
{
	unsigned int i;

	for (i = 0; i < lb_nb_ports; i++) {
		struct lb_port *p = &lb_ports[i];

		lb_exception_close(p);
		if (p->port_id != LB_PORT_NONE) {
			close_port(p->port_id, p->cfg->name);
			LOG(INFO, "interface %s: port %u stopped and closed", p->cfg->name,
			    p->port_id);
		}
		p->port_id = LB_PORT_NONE;
		p->started = false;
	}
	lb_nb_ports = 0;
	lb_lcores_drain();	/* mbufs left in the rings go back before the pools go */
	lb_mempool_term();
}

void
lb_ports_show(FILE *out)
{
	unsigned int i;

	for (i = 0; i < lb_nb_ports; i++) {
		const struct lb_port *p = &lb_ports[i];
		char mac[RTE_ETHER_ADDR_FMT_SIZE], addr[20];
		struct rte_eth_stats st = { 0 };
		unsigned int a;

		rte_ether_format_addr(mac, sizeof(mac), &p->mac);
		rte_eth_stats_get(p->port_id, &st);
		fprintf(out, "%s: port %u device %s driver %s mac %s link %s\n",
			p->cfg->name, p->port_id, p->dev_name, p->driver, mac,
			p->link_up ? "up" : "down");
		for (a = 0; a < p->cfg->nb_addrs; a++)
			fprintf(out, "  inet %s/%u\n",
				lb_ipv4_str(p->cfg->addrs[a].addr, addr, sizeof(addr)),
				p->cfg->addrs[a].prefix_len);
		if (p->tap_port_id != LB_PORT_NONE)
			fprintf(out, "  exception %s (port %u)\n", p->cfg->exception_name,
				p->tap_port_id);
		else if (p->exception_broken)
			fprintf(out, "  exception %s: missing, being recreated\n",
				p->cfg->exception_name);
		fprintf(out, "  rx %" PRIu64 " packets %" PRIu64 " bytes, missed %" PRIu64
			", errors %" PRIu64 "\n  tx %" PRIu64 " packets %" PRIu64
			" bytes, errors %" PRIu64 "\n", st.ipackets, st.ibytes,
			st.imissed, st.ierrors, st.opackets, st.obytes, st.oerrors);
		lb_port_show_faults(out, p);
	}
}
