/* SPDX-License-Identifier: BSD-3-Clause */
/* The box's own traffic on the control lcore: ARP, ICMP echo, kernel hand-off. */
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_log.h>

#include "app/lcore.h"
#include "app/local.h"
#include "app/svc_table.h"
#include "pmd-glue/arp.h"
#include "pmd-glue/icmp.h"
#include "pmd-glue/neigh.h"
#include "pmd-glue/port.h"
#include "pmd-glue/route.h"
#include "sync/sync.h"
#include "vrrp/instance.h"

static void
drop(struct rte_mbuf *m, enum lb_drop_reason r)
{
	lb_count_drop(r);
	rte_pktmbuf_free(m);
}

/* Give m to the kernel behind p's TAP. */
static void
to_kernel(struct lb_port *p, struct rte_mbuf *m)
{
	if (p->tap_port_id == LB_PORT_NONE) {
		drop(m, LB_DROP_NO_EXCEPTION);
		return;
	}
	if (rte_eth_tx_burst(p->tap_port_id, 0, &m, 1) != 1)
		drop(m, LB_DROP_TX_FULL);
}

/* Index of the interface address whose subnet holds ip (network order), or -1. */
static int
subnet_index(const struct lb_cfg_iface *ifc, rte_be32_t ip)
{
	uint32_t a = rte_be_to_cpu_32(ip);
	unsigned int i;

	for (i = 0; i < ifc->nb_addrs; i++) {
		if (lb_ipv4_in_prefix(a, &ifc->addrs[i]))
			return (int)i;
	}
	return -1;
}

static bool
iface_owns(const struct lb_cfg_iface *ifc, rte_be32_t ip)
{
	unsigned int i;

	for (i = 0; i < ifc->nb_addrs; i++)
		if (rte_cpu_to_be_32(ifc->addrs[i].addr) == ip)
			return true;
	return false;
}

static void
arp_input(struct lb_port *p, struct rte_mbuf *m)
{
	struct lb_arp arp;
	bool for_us;

	if (lb_arp_decode(m, m->l2_len, &arp) != 0) {
		drop(m, LB_DROP_ARP_BAD);
		return;
	}
	for_us = iface_owns(p->cfg, arp.tip) || lb_svc_owns(lb_svc_current, arp.tip);
	if (arp.sip != 0 && subnet_index(p->cfg, arp.sip) >= 0 &&
	    !rte_is_multicast_ether_addr(&arp.sha))
		lb_neigh_update(p->port_id, arp.sip, &arp.sha, for_us);
	if (!for_us) {
		drop(m, LB_DROP_ARP_NOT_OURS);
		return;
	}
	if (arp.op == RTE_ARP_OP_REQUEST) {
		/* the reply comes from the address asked for: ours or a VIP */
		lb_arp_make_reply(m, m->l2_len, &arp, &p->mac);
		m->port = p->port_id;
		lb_ctrl_tx(m);
		return;
	}
	to_kernel(p, m);	/* a reply: the kernel may be waiting for it */
}

void
lb_local_input(struct rte_mbuf *m)
{
	struct lb_port *p = lb_port_by_id(m->port);
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	int rc;

	if (p == NULL) {
		drop(m, LB_DROP_NOT_LOCAL);
		return;
	}
	if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP)) {
		arp_input(p, m);
		return;
	}
	if (eth->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) &&
	    (lb_sync_input(m) || lb_vrrp_input(m)))
		return;		/* sync messages and VRRP adverts never reach the kernel */
	rc = lb_icmp_echo_reply(m, m->l2_len);
	if (rc == 0) {
		struct rte_ether_hdr *e = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

		e->src_addr = p->mac;
		lb_ctrl_tx(m);
		return;
	}
	if (rc == -EINVAL) {
		drop(m, LB_DROP_ICMP_BAD);
		return;
	}
	to_kernel(p, m);
}

void
lb_local_from_kernel(uint16_t data_port_id, struct rte_mbuf *m)
{
	m->port = data_port_id;
	lb_ctrl_tx(m);
}

void
lb_local_arp_probe(uint16_t port_id, rte_be32_t ip)
{
	struct lb_port *p = lb_port_by_id(port_id);
	struct rte_mbuf *m;

	if (p == NULL || p->cfg->nb_addrs == 0)
		return;
	m = lb_arp_build_request(p->pool, &p->mac, lb_route_source(port_id, ip), ip);
	if (m == NULL) {
		lb_count_drop(LB_DROP_NO_MBUF);
		return;
	}
	m->port = p->port_id;
	lb_ctrl_tx(m);
}

void
lb_local_resolve_dests(void)
{
	const struct lb_svc_snapshot *snap = lb_svc_current;
	struct rte_ether_addr mac;
	unsigned int i, j, p;

	for (i = 0; snap != NULL && i < snap->nb_services; i++)
		for (j = 0; j < snap->services[i]->nb_dests; j++) {
			const struct lb_dest *d = &snap->services[i]->dests[j];

			if (d->nexthop != 0 && lb_neigh_lookup(d->nexthop, &mac, NULL) != 0)
				lb_local_arp_probe(d->port_id, d->nexthop);
		}
	for (p = 0; p < lb_nb_ports; p++) {
		rte_be32_t gw = rte_cpu_to_be_32(lb_ports[p].cfg->gateway);

		if (gw != 0 && lb_neigh_lookup(gw, &mac, NULL) != 0)
			lb_local_arp_probe(lb_ports[p].port_id, gw);
	}
}
