/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unicast VRRP of a vrrp_instance, in both readers:
 *
 *   native:      unicast_peer = [ "198.18.1.2", ... ]; unicast_src_ip = "198.18.1.1";
 *   keepalived:  unicast_peer { 198.18.1.2 ... }     unicast_src_ip 198.18.1.1
 *
 * unicast_src_ip is an address of the instance's interface (the advert
 * source, multicast or not, as keepalived's). A peer is a unicast IPv4
 * address, not the box's own nor one of the instance's VIPs, on a subnet
 * of the interface or reachable through its gateway; at most
 * LB_VRRP_MAX_PEERS, each once. Read after the interface and the VIPs.
 */
#include <errno.h>
#include <string.h>

#include "config/keepalived.h"
#include "config/parse.h"

/* unicast_src_ip addr of v: an address of v's interface. 0 or -EINVAL (msg). */
static int
check_src(const struct lb_config *cfg, const struct lb_cfg_vrrp *v, uint32_t addr,
	  char *msg, size_t len)
{
	const struct lb_cfg_iface *ifc = &cfg->ifaces[v->iface];
	unsigned int i;

	for (i = 0; i < ifc->nb_addrs; i++)
		if (ifc->addrs[i].addr == addr)
			return 0;
	snprintf(msg, len, "is not an address of interface %s (the adverts' source must be)",
		 ifc->name);
	return -EINVAL;
}

/* One more unicast_peer addr of v (after those in v). 0 or -EINVAL (msg). */
static int
check_peer(const struct lb_config *cfg, const struct lb_cfg_vrrp *v, uint32_t addr,
	   char *msg, size_t len)
{
	const struct lb_cfg_iface *ifc = &cfg->ifaces[v->iface];
	bool on_link = false;
	unsigned int i;

	if (addr == 0 || (addr >> 28) >= 0xe || (addr >> 24) == 127) {
		snprintf(msg, len, "is not a unicast IPv4 address");
		return -EINVAL;
	}
	if (lb_cfg_is_own_addr(cfg, addr)) {
		snprintf(msg, len, "is an address of this box (list the other routers)");
		return -EINVAL;
	}
	for (i = 0; i < v->nb_vips; i++)
		if (v->vips[i] == addr) {
			snprintf(msg, len, "is a virtual_ipaddress of this instance");
			return -EINVAL;
		}
	for (i = 0; i < v->nb_unicast_peers; i++)
		if (v->unicast_peers[i] == addr) {
			snprintf(msg, len, "is listed twice");
			return -EINVAL;
		}
	for (i = 0; i < ifc->nb_addrs; i++) {
		const struct lb_cfg_addr *a = &ifc->addrs[i];

		if (!lb_ipv4_in_prefix(addr, a))
			continue;
		if (a->prefix_len < 31 && (addr | lb_ipv4_mask(a->prefix_len)) == 0xffffffffu) {
			snprintf(msg, len, "is the broadcast address of %s's subnet", ifc->name);
			return -EINVAL;
		}
		on_link = true;
	}
	if (!on_link && ifc->gateway == 0) {
		snprintf(msg, len, "is not on a subnet of interface %s, which has no gateway",
			 ifc->name);
		return -EINVAL;
	}
	if (v->nb_unicast_peers == LB_VRRP_MAX_PEERS) {
		snprintf(msg, len, "is one too many (max %d peers)", LB_VRRP_MAX_PEERS);
		return -EINVAL;
	}
	return 0;
}

/* A string element or member s as an IPv4 address without prefix; 0 = not one. */
static uint32_t
native_addr(const config_setting_t *s)
{
	const char *str = config_setting_get_string(s);
	uint32_t addr;
	uint8_t plen;

	if (str == NULL || strchr(str, '/') != NULL ||
	    lb_parse_ipv4_prefix(str, &addr, &plen, false) != 0)
		return 0;
	return addr;
}

void
lb_cfg_parse_vrrp_unicast(struct parse_ctx *ctx, const config_setting_t *grp, const char *where,
			  struct lb_cfg_vrrp *v)
{
	config_setting_t *list = config_setting_get_member(grp, "unicast_peer"), *e;
	config_setting_t *src = config_setting_get_member(grp, "unicast_src_ip");
	char msg[128];
	uint32_t addr;
	int i, n;

	if (src != NULL) {
		addr = native_addr(src);
		if (addr == 0)
			lb_cfg_report(ctx, src, "%sunicast_src_ip must be an IPv4 address like "
				      "\"198.18.1.1\"", where);
		else if (check_src(ctx->cfg, v, addr, msg, sizeof(msg)) != 0)
			lb_cfg_report(ctx, src, "%sunicast_src_ip %s", where, msg);
		else
			v->unicast_src = addr;
	}
	if (list == NULL)
		return;
	if (!config_setting_is_array(list) && !config_setting_is_list(list)) {
		lb_cfg_report(ctx, list, "%sunicast_peer must be a list of addresses, like "
			      "[ \"198.18.1.2\" ]", where);
		return;
	}
	n = config_setting_length(list);
	if (n == 0)
		lb_cfg_report(ctx, list, "%sunicast_peer is empty (leave it out to send adverts "
			      "to 224.0.0.18)", where);
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(list, (unsigned int)i);
		addr = config_setting_type(e) == CONFIG_TYPE_STRING ? native_addr(e) : 0;
		if (addr == 0) {
			lb_cfg_report(ctx, e, "%sunicast_peer[%d] must be an IPv4 address like "
				      "\"198.18.1.2\"", where, i);
			continue;
		}
		if (check_peer(ctx->cfg, v, addr, msg, sizeof(msg)) != 0) {
			lb_cfg_report(ctx, e, "%sunicast_peer[%d] %s %s", where, i,
				      config_setting_get_string(e), msg);
			continue;
		}
		v->unicast_peers[v->nb_unicast_peers++] = addr;
	}
}

void
kc_parse_unicast(struct kc_ctx *ctx, const struct kc_node *peers, const struct kc_node *src,
		 struct lb_cfg_vrrp *v)
{
	char msg[128];
	uint32_t addr;
	unsigned int i;

	if (src != NULL && kc_addr_at(ctx, src, 1, &addr)) {
		if (check_src(ctx->cfg, v, addr, msg, sizeof(msg)) != 0)
			kc_err(ctx, src, "'unicast_src_ip' %s %s", src->argv[1], msg);
		else
			v->unicast_src = addr;
	}
	if (peers == NULL)
		return;
	if (peers->nb_kids == 0)
		kc_warn(ctx, peers, "'unicast_peer' lists no peer: adverts go to 224.0.0.18 (as "
			"keepalived does without unicast_fault_no_peer)");
	for (i = 0; i < peers->nb_kids; i++) {
		const struct kc_node *e = &peers->kids[i];

		if (e->block || e->argc != 1) {
			kc_err(ctx, e, "unicast_peer '%s': only the address is supported by dplb "
			       "yet (no min_ttl, max_ttl)", e->argv[0]);
			continue;
		}
		if (strchr(e->argv[0], '/') != NULL ||
		    lb_parse_ipv4_prefix(e->argv[0], &addr, &(uint8_t){ 0 }, false) != 0) {
			kc_err(ctx, e, "unicast_peer '%s' is not an IPv4 address%s", e->argv[0],
			       strchr(e->argv[0], ':') != NULL ? " (dplb has no IPv6 yet)" : "");
			continue;
		}
		if (check_peer(ctx->cfg, v, addr, msg, sizeof(msg)) != 0) {
			kc_err(ctx, e, "unicast_peer %s %s", e->argv[0], msg);
			continue;
		}
		v->unicast_peers[v->nb_unicast_peers++] = addr;
	}
}
