/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which of the box's kernel interfaces a keepalived.conf makes dplb's: the
 * ones it names (vrrp_instance interface, virtual_ipaddress dev) and the
 * ones whose subnets hold a virtual server, real server or sorry server.
 * Each becomes an af_packet port on the kernel interface of that name,
 * with the kernel's IPv4 addresses except VRRP VIPs past the first address
 * (keepalived may hold them right now as secondary addresses; they are
 * dplb's to own while MASTER, not the box's).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>

#include "config/keepalived.h"
#include "config/parse.h"

int
lb_kernel_ifaces_read(struct lb_kernel_ifaces *out)
{
	struct ifaddrs *ifa, *list;
	struct lb_kernel_iface *k;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	if (getifaddrs(&list) != 0)
		return -errno;
	for (ifa = list; ifa != NULL; ifa = ifa->ifa_next) {
		if (ifa->ifa_name == NULL || strlen(ifa->ifa_name) >= LB_NAME_LEN)
			continue;
		for (i = 0; i < out->nb; i++)
			if (strcmp(out->ifaces[i].name, ifa->ifa_name) == 0)
				break;
		if (i == out->nb && out->nb == LB_MAX_KERNEL_IFACES)
			continue;
		k = &out->ifaces[i];
		if (i == out->nb)
			strcpy(out->ifaces[out->nb++].name, ifa->ifa_name);
		if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET ||
		    ifa->ifa_netmask == NULL || k->nb_addrs == LB_MAX_ADDRS)
			continue;
		k->addrs[k->nb_addrs].addr =
			ntohl(((struct sockaddr_in *)(void *)ifa->ifa_addr)->sin_addr.s_addr);
		k->addrs[k->nb_addrs++].prefix_len = (uint8_t)__builtin_popcount(
			((struct sockaddr_in *)(void *)ifa->ifa_netmask)->sin_addr.s_addr);
	}
	freeifaddrs(list);
	return 0;
}

static bool
is_vrrp_vip(const struct kc_ctx *ctx, uint32_t addr)
{
	unsigned int i;

	for (i = 0; i < ctx->nb_vrrp_vips; i++)
		if (ctx->vrrp_vips[i] == addr)
			return true;
	return false;
}

/* Make kernel interface k dplb's (once); n names it for messages. */
static void
adopt(struct kc_ctx *ctx, const struct lb_kernel_iface *k, const struct kc_node *n)
{
	struct lb_config *cfg = ctx->cfg;
	struct lb_cfg_iface *ifc;
	unsigned int i;
	size_t len;

	for (i = 0; i < cfg->nb_ifaces; i++)
		if (strcmp(cfg->ifaces[i].name, k->name) == 0)
			return;
	if (!lb_cfg_is_ident(k->name)) {
		kc_err(ctx, n, "interface '%s': dplb names interfaces with A-Z a-z 0-9 . _ - only",
		       k->name);
		return;
	}
	if (cfg->nb_ifaces == LB_MAX_IFACES) {
		kc_err(ctx, n, "interface '%s': too many interfaces (max %d)", k->name,
		       LB_MAX_IFACES);
		return;
	}
	ifc = &cfg->ifaces[cfg->nb_ifaces];
	memset(ifc, 0, sizeof(*ifc));
	snprintf(ifc->name, sizeof(ifc->name), "%s", k->name);
	snprintf(ifc->device, sizeof(ifc->device), "net_af_packet%u,iface=%s", cfg->nb_ifaces,
		 k->name);
	len = strlen(k->name) > 12 ? 12 : strlen(k->name);
	snprintf(ifc->exception_name, sizeof(ifc->exception_name), "dp-%.*s", (int)len,
		 k->name);
	for (i = 0; i < k->nb_addrs; i++)
		if (i == 0 || !is_vrrp_vip(ctx, k->addrs[i].addr))
			ifc->addrs[ifc->nb_addrs++] = k->addrs[i];
	ifc->mtu = 1500;
	ifc->adopt_kernel = true;	/* the kernel stops answering for its addresses */
	ifc->line = n->line;
	cfg->nb_ifaces++;
}

/* The interface named by value i of n: adopted, or reported unknown. */
static void
named(struct kc_ctx *ctx, const struct kc_node *n, unsigned int i)
{
	char known[256];
	size_t used = 0;
	unsigned int k;

	if (i >= n->argc)
		return;		/* reported where the keyword is read */
	for (k = 0; k < ctx->kif->nb; k++)
		if (strcmp(ctx->kif->ifaces[k].name, n->argv[i]) == 0) {
			adopt(ctx, &ctx->kif->ifaces[k], n);
			return;
		}
	known[0] = '\0';
	for (k = 0; k < ctx->kif->nb && used < sizeof(known); k++)
		used += (size_t)snprintf(known + used, sizeof(known) - used, "%s%s",
					 k ? ", " : "", ctx->kif->ifaces[k].name);
	kc_err(ctx, n, "'%s': interface '%s' is not one of this box's (the kernel has: %s)",
	       n->argv[0], n->argv[i], ctx->kif->nb ? known : "none");
}

/* Adopt the kernel interfaces (not lo) whose subnets hold value i of n. */
static void
used_addr(struct kc_ctx *ctx, const struct kc_node *n, unsigned int i)
{
	const struct lb_kernel_iface *k;
	uint32_t addr;
	uint8_t plen;
	unsigned int j, a;

	if (i >= n->argc || lb_parse_ipv4_prefix(n->argv[i], &addr, &plen, false) != 0)
		return;		/* reported where the block is read */
	for (j = 0; j < ctx->kif->nb; j++) {
		k = &ctx->kif->ifaces[j];
		for (a = 0; a < k->nb_addrs && strcmp(k->name, "lo") != 0; a++)
			if ((a == 0 || !is_vrrp_vip(ctx, k->addrs[a].addr)) &&
			    lb_ipv4_in_prefix(addr, &k->addrs[a])) {
				adopt(ctx, k, n);
				break;
			}
	}
}

/* What a vrrp_instance names: its interface, VIPs (and their dev). */
static void
scan_vrrp(struct kc_ctx *ctx, const struct kc_node *n, bool names)
{
	unsigned int i, j, a;
	uint32_t addr;
	uint8_t plen;

	for (i = 0; i < n->nb_kids; i++) {
		const struct kc_node *k = &n->kids[i];

		if (names && strcmp(k->argv[0], "interface") == 0)
			named(ctx, k, 1);
		if (strcmp(k->argv[0], "virtual_ipaddress") != 0)
			continue;
		for (j = 0; j < k->nb_kids; j++) {
			const struct kc_node *v = &k->kids[j];

			if (!names && lb_parse_ipv4_prefix(v->argv[0], &addr, &plen, false) == 0 &&
			    ctx->nb_vrrp_vips < sizeof(ctx->vrrp_vips) / sizeof(addr))
				ctx->vrrp_vips[ctx->nb_vrrp_vips++] = addr;
			for (a = 1; names && a + 1 < v->argc; a++)
				if (strcmp(v->argv[a], "dev") == 0)
					named(ctx, v, a + 1);
		}
	}
}

/* The addresses a virtual_server (or group) uses. */
static void
scan_vs(struct kc_ctx *ctx, const struct kc_node *n)
{
	unsigned int i;

	if (strcmp(n->argv[0], "virtual_server") == 0)
		used_addr(ctx, n, 1);
	for (i = 0; i < n->nb_kids; i++) {
		const struct kc_node *k = &n->kids[i];

		if (strcmp(n->argv[0], "virtual_server_group") == 0 ||
		    strcmp(k->argv[0], "sorry_server") == 0)
			used_addr(ctx, k, strcmp(k->argv[0], "sorry_server") == 0 ? 1 : 0);
		else if (strcmp(k->argv[0], "real_server") == 0)
			used_addr(ctx, k, 1);
	}
}

void
kc_adopt_ifaces(struct kc_ctx *ctx, const struct kc_node *root)
{
	unsigned int i, pass;

	/* VIPs first (left out of the adopted addresses), then names, then subnets */
	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < root->nb_kids; i++) {
			const struct kc_node *n = &root->kids[i];

			if (strcmp(n->argv[0], "vrrp_instance") == 0 && pass < 2)
				scan_vrrp(ctx, n, pass == 1);
			else if ((strcmp(n->argv[0], "virtual_server") == 0 ||
				  strcmp(n->argv[0], "virtual_server_group") == 0) && pass == 2)
				scan_vs(ctx, n);
		}
}
