/* SPDX-License-Identifier: BSD-3-Clause */
/* Connected subnets and default gateways of the data ports. */
#include <errno.h>

#include "pmd-glue/port.h"
#include "pmd-glue/route.h"

int
lb_route_lookup(rte_be32_t dst, uint16_t *port_id, rte_be32_t *nexthop)
{
	uint32_t a = rte_be_to_cpu_32(dst);
	int best = -1, best_len = -1;
	unsigned int p, i;

	for (p = 0; p < lb_nb_ports; p++) {
		const struct lb_cfg_iface *ifc = lb_ports[p].cfg;

		for (i = 0; i < ifc->nb_addrs; i++) {
			int len = ifc->addrs[i].prefix_len;

			if (lb_ipv4_in_prefix(a, &ifc->addrs[i]) && len > best_len) {
				best = (int)p;
				best_len = len;
			}
		}
	}
	if (best >= 0) {
		*port_id = lb_ports[best].port_id;
		*nexthop = dst;
		return 0;
	}
	for (p = 0; p < lb_nb_ports; p++)
		if (lb_ports[p].cfg->gateway != 0) {
			*port_id = lb_ports[p].port_id;
			*nexthop = rte_cpu_to_be_32(lb_ports[p].cfg->gateway);
			return 0;
		}
	return -ENETUNREACH;
}

rte_be32_t
lb_route_source(uint16_t port_id, rte_be32_t dst)
{
	const struct lb_port *p = lb_port_by_id(port_id);
	uint32_t a = rte_be_to_cpu_32(dst);
	unsigned int i;

	if (p == NULL || p->cfg->nb_addrs == 0)
		return 0;
	if (p->cfg->nb_addrs == 1)	/* the usual port: no subnet to compare */
		return rte_cpu_to_be_32(p->cfg->addrs[0].addr);
	for (i = 0; i < p->cfg->nb_addrs; i++)
		if (lb_ipv4_in_prefix(a, &p->cfg->addrs[i]))
			return rte_cpu_to_be_32(p->cfg->addrs[i].addr);
	return rte_cpu_to_be_32(p->cfg->addrs[0].addr);
}
