/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unicast_peer: where an instance's adverts go when multicast cannot
 * (see unicast.h). The adverts themselves are built by instance.c.
 */
#include <errno.h>
#include <inttypes.h>

#include "app/local.h"
#include "pmd-glue/neigh.h"
#include "vrrp/unicast.h"

#define PROBE_EVERY_US	1000000ull	/* ARP probes of one unresolved peer */

/* The next hop towards peer (host order) out of port: itself if on-link, else the gateway. */
static uint32_t
next_hop(const struct lb_port *port, uint32_t peer)
{
	unsigned int i;

	for (i = 0; i < port->cfg->nb_addrs; i++)
		if (lb_ipv4_in_prefix(peer, &port->cfg->addrs[i]))
			return peer;
	return port->cfg->gateway;
}

/* The MAC of peer k's next hop into *mac: 0, or -EHOSTUNREACH after an ARP probe (1/s). */
static int
lookup(struct lb_vrrp_uc *uc, const struct lb_cfg_vrrp *c, unsigned int k,
       const struct lb_port *port, uint64_t now, struct rte_ether_addr *mac)
{
	rte_be32_t hop = rte_cpu_to_be_32(next_hop(port, c->unicast_peers[k]));

	if (hop != 0 && lb_neigh_lookup(hop, mac, NULL) == 0)
		return 0;
	if (hop != 0 && now >= uc->probe_at[k]) {
		uc->probe_at[k] = now + PROBE_EVERY_US;
		lb_local_arp_probe(port->port_id, hop);
	}
	return -EHOSTUNREACH;
}

int
lb_vrrp_uc_dst_mac(struct lb_vrrp_uc *uc, const struct lb_cfg_vrrp *c, unsigned int k,
		   const struct lb_port *port, uint64_t now, struct rte_ether_addr *mac)
{
	int rc = lookup(uc, c, k, port, now, mac);

	if (rc != 0)
		uc->tx_unresolved++;
	return rc;
}

void
lb_vrrp_uc_resolve(struct lb_vrrp_uc *uc, const struct lb_cfg_vrrp *c,
		   const struct lb_port *port, uint64_t now)
{
	struct rte_ether_addr mac;
	unsigned int k;

	for (k = 0; k < c->nb_unicast_peers; k++)
		lookup(uc, c, k, port, now, &mac);
}

bool
lb_vrrp_uc_is_peer(const struct lb_cfg_vrrp *c, rte_be32_t src)
{
	uint32_t a = rte_be_to_cpu_32(src);
	unsigned int k;

	for (k = 0; k < c->nb_unicast_peers; k++)
		if (c->unicast_peers[k] == a)
			return true;
	return false;
}

void
lb_vrrp_uc_show(FILE *out, const struct lb_cfg_vrrp *c, const struct lb_vrrp_uc *uc)
{
	char a[16];
	unsigned int k;

	if (c->nb_unicast_peers == 0)
		return;
	fputs("  unicast_peer", out);
	for (k = 0; k < c->nb_unicast_peers; k++)
		fprintf(out, " %s", lb_ipv4_str(c->unicast_peers[k], a, sizeof(a)));
	fprintf(out, " tx_unresolved %" PRIu64 "\n", uc->tx_unresolved);
}
