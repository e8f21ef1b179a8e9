/* SPDX-License-Identifier: BSD-3-Clause */
/* The interfaces list of the native config: names, devices, addresses, TAPs. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "config/parse.h"


static const char *const iface_keys[] = { "name", "device", "addresses",
	"address", "gateway", "mtu", "promiscuous", "exception", "adopt_kernel", NULL };

/*
 * Read n hex digits at s into *val. Returns the position after them, or
 * NULL when s does not start with n hex digits.
 */
static const char *
hex_digits(const char *s, int n, unsigned int *val)
{
	for (*val = 0; n > 0; n--, s++) {
		if (!isxdigit((unsigned char)*s))
			return NULL;
		*val = *val * 16 + (unsigned int)(isdigit((unsigned char)*s) ?
			*s - '0' : tolower((unsigned char)*s) - 'a' + 10);
	}
	return s;
}

/* "[dddd:]bb:dd.f" (hex) -> true, with the full form "dddd:bb:dd.f" in out. */
static bool
parse_pci(const char *s, char *out, size_t len)
{
	unsigned int dom = 0, bus, dev, fn;
	const char *p = s;

	if (strlen(s) == 12 && ((p = hex_digits(p, 4, &dom)) == NULL ||
				*p++ != ':'))
		return false;
	if ((p = hex_digits(p, 2, &bus)) == NULL || *p++ != ':' ||
	    (p = hex_digits(p, 2, &dev)) == NULL || *p++ != '.' ||
	    (p = hex_digits(p, 1, &fn)) == NULL || *p != '\0' ||
	    dev > 0x1f || fn > 7)
		return false;
	snprintf(out, len, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	return true;
}

/* The interface (< cfg->nb_ifaces, or the one being read) holding addr, or -1. */
static int
addr_owner(const struct lb_config *cfg, unsigned int idx, uint32_t addr)
{
	unsigned int i, k;

	for (i = 0; i <= idx; i++)
		for (k = 0; k < cfg->ifaces[i].nb_addrs; k++)
			if (cfg->ifaces[i].addrs[k].addr == addr)
				return (int)i;
	return -1;
}

/* name = "eth0": required, an identifier, unique. */
static void
parse_iface_name(struct parse_ctx *ctx, const config_setting_t *grp,
		 const char *where, unsigned int idx)
{
	struct lb_cfg_iface *ifc = &ctx->cfg->ifaces[idx];
	config_setting_t *s = config_setting_get_member(grp, "name");
	unsigned int j;

	if (s == NULL) {
		lb_cfg_report(ctx, grp, "interfaces[%u] has no name", idx);
		return;
	}
	if (lb_cfg_get_string(ctx, grp, where, "name", ifc->name,
		       sizeof(ifc->name)) == NULL)
		return;
	if (ifc->name[0] == '\0' || !lb_cfg_is_ident(ifc->name)) {
		lb_cfg_report(ctx, s, "%sname '%s' must be non-empty and only hold A-Z a-z 0-9 . _ -",
		       where, ifc->name);
		return;
	}
	for (j = 0; j < idx; j++)
		if (strcmp(ctx->cfg->ifaces[j].name, ifc->name) == 0)
			lb_cfg_report(ctx, s, "%sname '%s' is already used by interfaces[%u]",
			       where, ifc->name, j);
}

/* device = PCI address or "net_..." vdev string: required, unique. */
static void
parse_iface_device(struct parse_ctx *ctx, const config_setting_t *grp,
		   const char *where, unsigned int idx)
{
	struct lb_cfg_iface *ifc = &ctx->cfg->ifaces[idx];
	config_setting_t *s = config_setting_get_member(grp, "device");
	char buf[LB_DEV_LEN] = { 0 };	/* copied whole: reload compares the bytes */
	size_t n;
	unsigned int j;

	if (s == NULL) {
		lb_cfg_report(ctx, grp, "interfaces[%u] has no device (a PCI address like \"0000:03:00.0\" or a vdev like \"net_af_packet0,iface=eth0\")",
		       idx);
		return;
	}
	if (lb_cfg_get_string(ctx, grp, where, "device", buf, sizeof(buf)) == NULL)
		return;
	if (parse_pci(buf, ifc->device, sizeof(ifc->device))) {
		ifc->is_pci = true;
	} else if (strncmp(buf, "net_", 4) == 0 && strcspn(buf, ",") > 4 &&
		   strcspn(buf, " \t\r\n") == strlen(buf)) {
		memcpy(ifc->device, buf, sizeof(buf));
	} else {
		lb_cfg_report(ctx, s, "%sdevice '%s' is neither a PCI address (\"0000:03:00.0\") nor a vdev (\"net_...\")",
		       where, buf);
		return;
	}
	/* DPDK names a device by its PCI address or the vdev name before ','. */
	n = strcspn(ifc->device, ",");
	for (j = 0; j < idx; j++)
		if (strcspn(ctx->cfg->ifaces[j].device, ",") == n &&
		    strncmp(ctx->cfg->ifaces[j].device, ifc->device, n) == 0)
			lb_cfg_report(ctx, s, "%sdevice '%.*s' is already used by interfaces[%u]",
			       where, (int)n, ifc->device, j);
}

/* One "ADDR/LEN" string setting e, labelled label, added to interface idx. */
static void
add_iface_addr(struct parse_ctx *ctx, const config_setting_t *e,
	       const char *label, unsigned int idx)
{
	struct lb_cfg_iface *ifc = &ctx->cfg->ifaces[idx];
	struct lb_cfg_addr a;
	const char *v;
	int owner;

	if (config_setting_type(e) != CONFIG_TYPE_STRING) {
		lb_cfg_report(ctx, e, "%s must be a string like \"198.18.1.1/24\"", label);
		return;
	}
	v = config_setting_get_string(e);
	if (lb_parse_ipv4_prefix(v, &a.addr, &a.prefix_len, true) < 0) {
		lb_cfg_report(ctx, e, "%s '%s' is not ADDR/LEN, like \"198.18.1.1/24\"",
		       label, v);
		return;
	}
	if (a.prefix_len == 0) {
		lb_cfg_report(ctx, e, "%s '%s': prefix length must be 1..32", label, v);
		return;
	}
	owner = addr_owner(ctx->cfg, idx, a.addr);
	if (owner >= 0) {
		lb_cfg_report(ctx, e, "%s '%s' is already used by interfaces[%d]",
		       label, v, owner);
		return;
	}
	if (ifc->nb_addrs == LB_MAX_ADDRS) {
		lb_cfg_report(ctx, e, "%s: too many addresses (max %d)", label,
		       LB_MAX_ADDRS);
		return;
	}
	ifc->addrs[ifc->nb_addrs++] = a;
}

/* addresses = [ "a.b.c.d/len", ... ] or address = "a.b.c.d/len". */
static void
parse_iface_addrs(struct parse_ctx *ctx, const config_setting_t *grp,
		  const char *where, unsigned int idx)
{
	config_setting_t *list = config_setting_get_member(grp, "addresses");
	config_setting_t *one = config_setting_get_member(grp, "address");
	char label[64];
	int i;

	if (list != NULL && one != NULL)
		lb_cfg_report(ctx, one, "interfaces[%u]: use either address or addresses, not both",
		       idx);
	if (one != NULL) {
		snprintf(label, sizeof(label), "%saddress", where);
		add_iface_addr(ctx, one, label, idx);
	}
	if (list == NULL)
		return;
	if (!config_setting_is_array(list) && !config_setting_is_list(list)) {
		lb_cfg_report(ctx, list, "%saddresses must be a list like [ \"198.18.1.1/24\" ]",
		       where);
		return;
	}
	for (i = 0; i < config_setting_length(list); i++) {
		snprintf(label, sizeof(label), "%saddresses[%d]", where, i);
		add_iface_addr(ctx, config_setting_get_elem(list, i), label, idx);
	}
}

/* gateway = "a.b.c.d": inside one of the interface's subnets. */
static void
parse_iface_gateway(struct parse_ctx *ctx, const config_setting_t *grp,
		    const char *where, unsigned int idx)
{
	struct lb_cfg_iface *ifc = &ctx->cfg->ifaces[idx];
	config_setting_t *s = config_setting_get_member(grp, "gateway");
	uint32_t gw;
	uint8_t plen;
	char buf[32];
	unsigned int k;
	int owner;

	if (lb_cfg_get_string(ctx, grp, where, "gateway", buf, sizeof(buf)) == NULL)
		return;
	if (strchr(buf, '/') != NULL ||
	    lb_parse_ipv4_prefix(buf, &gw, &plen, false) < 0 || gw == 0) {
		lb_cfg_report(ctx, s, "%sgateway '%s' must be an address like \"198.18.1.254\"",
		       where, buf);
		return;
	}
	owner = addr_owner(ctx->cfg, idx, gw);
	if (owner >= 0) {
		lb_cfg_report(ctx, s, "%sgateway %s is an address of interfaces[%d] itself",
		       where, buf, owner);
		return;
	}
	for (k = 0; k < ifc->nb_addrs; k++) {
		if (lb_ipv4_in_prefix(gw, &ifc->addrs[k])) {
			ifc->gateway = gw;
			return;
		}
	}
	lb_cfg_report(ctx, s, "%sgateway %s is not inside any subnet of interfaces[%u]'s addresses",
	       where, buf, idx);
}

/* exception = "tapname" | false; default "dp-" + name, 15 characters. */
static void
parse_iface_exception(struct parse_ctx *ctx, const config_setting_t *grp,
		      const char *where, unsigned int idx)
{
	struct lb_cfg_iface *ifc = &ctx->cfg->ifaces[idx];
	config_setting_t *s = config_setting_get_member(grp, "exception");
	char *exc = ifc->exception_name;
	size_t n = strlen(ifc->name);
	unsigned int j;

	if (s == NULL || (config_setting_type(s) == CONFIG_TYPE_BOOL &&
			  config_setting_get_bool(s))) {
		n = n > 12 ? 12 : n;
		memcpy(exc, "dp-", 3);
		memcpy(exc + 3, ifc->name, n);
		exc[3 + n] = '\0';
	} else if (config_setting_type(s) == CONFIG_TYPE_BOOL) {
		exc[0] = '\0';
		return;
	} else if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		lb_cfg_report(ctx, s, "%sexception must be a TAP name like \"dp-eth0\" or false",
		       where);
		return;
	} else if (lb_cfg_get_string(ctx, grp, where, "exception", exc, 16) == NULL) {
		return;
	} else if (exc[0] == '\0' || !lb_cfg_is_ident(exc)) {
		lb_cfg_report(ctx, s, "%sexception '%s' must be non-empty and only hold A-Z a-z 0-9 . _ -",
		       where, exc);
		return;
	}
	for (j = 0; j < idx; j++)
		if (strcmp(ctx->cfg->ifaces[j].exception_name, exc) == 0)
			lb_cfg_report(ctx, s ? s : grp, "%sexception TAP name '%s' is already used by interfaces[%u]",
			       where, exc, j);
}

/* One interfaces[idx] group. */
static void
parse_iface(struct parse_ctx *ctx, const config_setting_t *grp,
	    unsigned int idx)
{
	struct lb_cfg_iface *ifc = &ctx->cfg->ifaces[idx];
	char label[24], where[32];
	unsigned int mtu;

	snprintf(label, sizeof(label), "interfaces[%u]", idx);
	snprintf(where, sizeof(where), "%s.", label);
	ifc->mtu = 1500;
	ifc->line = config_setting_source_line(grp);
	lb_cfg_check_keys(ctx, grp, label, iface_keys);
	parse_iface_name(ctx, grp, where, idx);
	parse_iface_device(ctx, grp, where, idx);
	parse_iface_addrs(ctx, grp, where, idx);
	parse_iface_gateway(ctx, grp, where, idx);
	if (lb_cfg_get_uint(ctx, grp, where, "mtu", 68, 9600, &mtu))
		ifc->mtu = (uint16_t)mtu;
	lb_cfg_get_bool(ctx, grp, where, "promiscuous", &ifc->promiscuous);
	lb_cfg_get_bool(ctx, grp, where, "adopt_kernel", &ifc->adopt_kernel);
	parse_iface_exception(ctx, grp, where, idx);
}

/* interfaces = ( { ... }, ... ): at most LB_MAX_IFACES. */
void
lb_cfg_parse_ifaces(struct parse_ctx *ctx, const config_setting_t *root)
{
	config_setting_t *list = config_setting_get_member(root, "interfaces");
	config_setting_t *e;
	int i, n;

	if (list == NULL)
		return;
	n = config_setting_length(list);
	if (!config_setting_is_list(list) &&
	    !(config_setting_is_array(list) && n == 0)) {
		lb_cfg_report(ctx, list, "interfaces must be a list ( { name = ...; device = ...; }, ... )");
		return;
	}
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(list, i);
		if (i == LB_MAX_IFACES) {
			lb_cfg_report(ctx, e, "too many interfaces: %d (max %d)", n,
			       LB_MAX_IFACES);
			return;
		}
		if (!config_setting_is_group(e)) {
			lb_cfg_report(ctx, e, "interfaces[%d] must be a group { name = ...; device = ...; }",
			       i);
			continue;
		}
		parse_iface(ctx, e, (unsigned int)i);
		ctx->cfg->nb_ifaces = (unsigned int)i + 1;
	}
}

