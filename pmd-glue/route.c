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
			uint32_t mask = len == 0 ? 0 : 0xffffffffu << (32 - len);

			if ((a & mask) == (ifc->addrs[i].addr & mask) && len > best_len) {
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
