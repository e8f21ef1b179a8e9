/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Native configuration: a libconfig file -> validated struct lb_config.
 * Each problem is reported as "FILE:LINE: message" and reading goes on, so
 * one pass shows every problem: value readers first, then the eal and cli
 * groups, then interfaces, then the entry points.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libconfig.h>

#include "config/config.h"

static const char *const top_keys[] = { "eal", "workers", "mbufs_per_port",
	"rx_desc", "tx_desc", "neigh_timeout", "interfaces", "cli", NULL };
static const char *const eal_keys[] = { "lcores", "memory", "hugepages",
	"file_prefix", "log_level", "args", NULL };
static const char *const cli_keys[] = { "listen", NULL };

/* State of one parse: where messages go and what is being filled. */
struct parse_ctx {
	const char *name;		/* file name used in messages */
	struct lb_config *cfg;
	struct lb_cfg_errors *err;
};

/* Print "FILE:LINE: message" for setting s and count it. */
static void __attribute__((format(printf, 3, 4)))
report(struct parse_ctx *ctx, const config_setting_t *s,
       const char *fmt, ...)
{
	const char *file = NULL;
	va_list ap;
	int line = 0;

	/* Array elements and the root may carry no line: use the parent's. */
	for (; s != NULL && line == 0; s = config_setting_parent(s)) {
		line = config_setting_source_line(s);
		file = config_setting_source_file(s);
	}
	ctx->err->count++;
	if (ctx->err->out == NULL)
		return;
	fprintf(ctx->err->out, "%s:%d: ", file ? file : ctx->name, line);
	va_start(ap, fmt);
	vfprintf(ctx->err->out, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err->out);
}

/* Report each member of grp (named where, NULL: top level) not in keys. */
static void
check_keys(struct parse_ctx *ctx, const config_setting_t *grp,
	   const char *where, const char *const keys[])
{
	char expected[256];
	size_t used;
	int i, k;

	for (i = 0; i < config_setting_length(grp); i++) {
		config_setting_t *s = config_setting_get_elem(grp, i);
		const char *name = config_setting_name(s);

		for (k = 0; keys[k] != NULL; k++)
			if (strcmp(keys[k], name) == 0)
				break;
		if (keys[k] != NULL)
			continue;
		expected[0] = '\0';
		for (k = 0, used = 0; keys[k] != NULL && used < sizeof(expected); k++)
			used += snprintf(expected + used, sizeof(expected) - used,
					 "%s%s", k ? ", " : "", keys[k]);
		report(ctx, s, "unknown setting '%s' %s%s (expected: %s)",
		       name, where ? "in " : "at top level", where ? where : "",
		       expected);
	}
}

/* The optional group parent.key, or NULL (reported when not a group). */
static config_setting_t *
get_group(struct parse_ctx *ctx, const config_setting_t *parent,
	  const char *key)
{
	config_setting_t *s = config_setting_get_member(parent, key);

	if (s != NULL && !config_setting_is_group(s)) {
		report(ctx, s, "%s must be a group { ... }", key);
		return NULL;
	}
	return s;
}

/*
 * Read the optional integer grp.key into *out when it is within min..max.
 * Returns true when the setting is present and valid.
 */
static bool
get_uint(struct parse_ctx *ctx, const config_setting_t *grp,
	 const char *where, const char *key, long long min, long long max,
	 unsigned int *out)
{
	config_setting_t *s = config_setting_get_member(grp, key);
	long long v;

	if (s == NULL)
		return false;
	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64) {
		report(ctx, s, "%s%s must be an integer", where, key);
		return false;
	}
	v = config_setting_get_int64(s);
	if (v < min || v > max) {
		report(ctx, s, "%s%s must be %lld..%lld (got %lld)",
		       where, key, min, max, v);
		return false;
	}
	*out = (unsigned int)v;
	return true;
}

/*
 * Copy the optional string grp.key into buf (len bytes). Returns buf, or
 * NULL when absent or invalid (reported).
 */
static const char *
get_string(struct parse_ctx *ctx, const config_setting_t *grp,
	   const char *where, const char *key, char *buf, size_t len)
{
	config_setting_t *s = config_setting_get_member(grp, key);
	const char *v;

	if (s == NULL)
		return NULL;
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		report(ctx, s, "%s%s must be a string", where, key);
		return NULL;
	}
	v = config_setting_get_string(s);
	if (strlen(v) >= len) {
		report(ctx, s, "%s%s is too long (max %zu characters)",
		       where, key, len - 1);
		return NULL;
	}
	memcpy(buf, v, strlen(v) + 1);
	return buf;
}

/* True when s only holds A-Z a-z 0-9 . _ - (names, TAP names, prefixes). */
static bool
is_ident(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("._-", *s) != NULL))
			return false;
	return true;
}

/* rx_desc / tx_desc: 64..16384 and a power of two. */
static void
parse_desc(struct parse_ctx *ctx, const config_setting_t *root,
	   const char *key, unsigned int *out)
{
	unsigned int v;

	if (!get_uint(ctx, root, "", key, 64, 16384, &v))
		return;
	if (v & (v - 1))
		report(ctx, config_setting_get_member(root, key),
		       "%s must be a power of two (got %u)", key, v);
	else
		*out = v;
}

/* eal.args: extra EAL arguments, strdup-ed into cfg->eal.args. */
static void
parse_eal_args(struct parse_ctx *ctx, const config_setting_t *list)
{
	struct lb_cfg_eal *eal = &ctx->cfg->eal;
	int i, n = config_setting_length(list);

	if (!config_setting_is_array(list) && !config_setting_is_list(list)) {
		report(ctx, list, "eal.args must be a list of strings, like [ \"--no-pci\" ]");
		return;
	}
	if (n > LB_MAX_EAL_ARGS) {
		report(ctx, list, "eal.args has %d entries (max %d)",
		       n, LB_MAX_EAL_ARGS);
		n = LB_MAX_EAL_ARGS;
	}
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(list, i);

		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			report(ctx, e, "eal.args[%d] must be a string", i);
			continue;
		}
		eal->args[eal->nb_args] = strdup(config_setting_get_string(e));
		if (eal->args[eal->nb_args] == NULL) {
			report(ctx, e, "out of memory");
			return;
		}
		eal->nb_args++;
	}
}

/* The eal { } group. */
static void
parse_eal(struct parse_ctx *ctx, const config_setting_t *grp)
{
	struct lb_cfg_eal *eal = &ctx->cfg->eal;
	config_setting_t *s;
	char buf[16];

	check_keys(ctx, grp, "eal", eal_keys);
	if (get_string(ctx, grp, "eal.", "lcores", eal->lcores,
		       sizeof(eal->lcores)) &&
	    strspn(eal->lcores, "0123456789,-@()") != strlen(eal->lcores))
		report(ctx, config_setting_get_member(grp, "lcores"),
		       "eal.lcores '%s' may only hold digits and , - @ ( ), like \"0-3\" or \"0,2@4\"",
		       eal->lcores);
	get_uint(ctx, grp, "eal.", "memory", 0, 1048576, &eal->memory_mb);

	s = config_setting_get_member(grp, "hugepages");
	if (s != NULL && config_setting_type(s) == CONFIG_TYPE_BOOL)
		eal->huge = config_setting_get_bool(s) ? LB_HUGE_YES : LB_HUGE_NO;
	else if (s != NULL) {
		const char *v = get_string(ctx, grp, "eal.", "hugepages",
					   buf, sizeof(buf));

		if (v == NULL)
			;	/* reported by get_string() */
		else if (strcmp(v, "auto") == 0)
			eal->huge = LB_HUGE_AUTO;
		else if (strcmp(v, "yes") == 0)
			eal->huge = LB_HUGE_YES;
		else if (strcmp(v, "no") == 0)
			eal->huge = LB_HUGE_NO;
		else
			report(ctx, s, "eal.hugepages must be \"auto\", \"yes\" or \"no\"");
	}

	if (get_string(ctx, grp, "eal.", "file_prefix", eal->file_prefix,
		       sizeof(eal->file_prefix)) &&
	    (eal->file_prefix[0] == '\0' || !is_ident(eal->file_prefix)))
		report(ctx, config_setting_get_member(grp, "file_prefix"),
		       "eal.file_prefix '%s' must be non-empty and only hold A-Z a-z 0-9 . _ -",
		       eal->file_prefix);
	get_string(ctx, grp, "eal.", "log_level", eal->log_level,
		   sizeof(eal->log_level));
	s = config_setting_get_member(grp, "args");
	if (s != NULL)
		parse_eal_args(ctx, s);
}

/* The cli { } group: listen = "ADDR:PORT". */
static void
parse_cli(struct parse_ctx *ctx, const config_setting_t *grp)
{
	struct lb_cfg_cli *cli = &ctx->cfg->cli;
	char buf[64], *colon, *end;
	uint32_t addr;
	uint8_t plen;
	long port;

	check_keys(ctx, grp, "cli", cli_keys);
	if (get_string(ctx, grp, "cli.", "listen", buf, sizeof(buf)) == NULL)
		return;
	colon = strrchr(buf, ':');
	if (colon != NULL) {
		*colon = '\0';
		port = strtol(colon + 1, &end, 10);
		if (colon[1] >= '0' && colon[1] <= '9' && *end == '\0' &&
		    port >= 1 && port <= 65535 && strchr(buf, '/') == NULL &&
		    lb_parse_ipv4_prefix(buf, &addr, &plen, false) == 0) {
			lb_ipv4_str(addr, cli->listen_addr,
				    sizeof(cli->listen_addr));
			cli->listen_port = (uint16_t)port;
			return;
		}
		*colon = ':';
	}
	report(ctx, config_setting_get_member(grp, "listen"),
	       "cli.listen '%s' must be ADDR:PORT, like \"127.0.0.1:2323\" (port 1..65535)",
	       buf);
}

/* ---- interfaces ---- */

static const char *const iface_keys[] = { "name", "device", "addresses",
	"address", "gateway", "mtu", "promiscuous", "exception", NULL };

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
		report(ctx, grp, "interfaces[%u] has no name", idx);
		return;
	}
	if (get_string(ctx, grp, where, "name", ifc->name,
		       sizeof(ifc->name)) == NULL)
		return;
	if (ifc->name[0] == '\0' || !is_ident(ifc->name)) {
		report(ctx, s, "%sname '%s' must be non-empty and only hold A-Z a-z 0-9 . _ -",
		       where, ifc->name);
		return;
	}
	for (j = 0; j < idx; j++)
		if (strcmp(ctx->cfg->ifaces[j].name, ifc->name) == 0)
			report(ctx, s, "%sname '%s' is already used by interfaces[%u]",
			       where, ifc->name, j);
}

/* device = PCI address or "net_..." vdev string: required, unique. */
static void
parse_iface_device(struct parse_ctx *ctx, const config_setting_t *grp,
		   const char *where, unsigned int idx)
{
	struct lb_cfg_iface *ifc = &ctx->cfg->ifaces[idx];
	config_setting_t *s = config_setting_get_member(grp, "device");
	char buf[LB_DEV_LEN];
	size_t n;
	unsigned int j;

	if (s == NULL) {
		report(ctx, grp, "interfaces[%u] has no device (a PCI address like \"0000:03:00.0\" or a vdev like \"net_af_packet0,iface=eth0\")",
		       idx);
		return;
	}
	if (get_string(ctx, grp, where, "device", buf, sizeof(buf)) == NULL)
		return;
	if (parse_pci(buf, ifc->device, sizeof(ifc->device))) {
		ifc->is_pci = true;
	} else if (strncmp(buf, "net_", 4) == 0 && strcspn(buf, ",") > 4 &&
		   strcspn(buf, " \t\r\n") == strlen(buf)) {
		memcpy(ifc->device, buf, sizeof(buf));
	} else {
		report(ctx, s, "%sdevice '%s' is neither a PCI address (\"0000:03:00.0\") nor a vdev (\"net_...\")",
		       where, buf);
		return;
	}
	/* DPDK names a device by its PCI address or the vdev name before ','. */
	n = strcspn(ifc->device, ",");
	for (j = 0; j < idx; j++)
		if (strcspn(ctx->cfg->ifaces[j].device, ",") == n &&
		    strncmp(ctx->cfg->ifaces[j].device, ifc->device, n) == 0)
			report(ctx, s, "%sdevice '%.*s' is already used by interfaces[%u]",
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
		report(ctx, e, "%s must be a string like \"198.18.1.1/24\"", label);
		return;
	}
	v = config_setting_get_string(e);
	if (lb_parse_ipv4_prefix(v, &a.addr, &a.prefix_len, true) < 0) {
		report(ctx, e, "%s '%s' is not ADDR/LEN, like \"198.18.1.1/24\"",
		       label, v);
		return;
	}
	if (a.prefix_len == 0) {
		report(ctx, e, "%s '%s': prefix length must be 1..32", label, v);
		return;
	}
	owner = addr_owner(ctx->cfg, idx, a.addr);
	if (owner >= 0) {
		report(ctx, e, "%s '%s' is already used by interfaces[%d]",
		       label, v, owner);
		return;
	}
	if (ifc->nb_addrs == LB_MAX_ADDRS) {
		report(ctx, e, "%s: too many addresses (max %d)", label,
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
		report(ctx, one, "interfaces[%u]: use either address or addresses, not both",
		       idx);
	if (one != NULL) {
		snprintf(label, sizeof(label), "%saddress", where);
		add_iface_addr(ctx, one, label, idx);
	}
	if (list == NULL)
		return;
	if (!config_setting_is_array(list) && !config_setting_is_list(list)) {
		report(ctx, list, "%saddresses must be a list like [ \"198.18.1.1/24\" ]",
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
	uint32_t gw, mask;
	uint8_t plen;
	char buf[32];
	unsigned int k;
	int owner;

	if (get_string(ctx, grp, where, "gateway", buf, sizeof(buf)) == NULL)
		return;
	if (strchr(buf, '/') != NULL ||
	    lb_parse_ipv4_prefix(buf, &gw, &plen, false) < 0 || gw == 0) {
		report(ctx, s, "%sgateway '%s' must be an address like \"198.18.1.254\"",
		       where, buf);
		return;
	}
	owner = addr_owner(ctx->cfg, idx, gw);
	if (owner >= 0) {
		report(ctx, s, "%sgateway %s is an address of interfaces[%d] itself",
		       where, buf, owner);
		return;
	}
	for (k = 0; k < ifc->nb_addrs; k++) {
		mask = ~0u << (32 - ifc->addrs[k].prefix_len);
		if (((gw ^ ifc->addrs[k].addr) & mask) == 0) {
			ifc->gateway = gw;
			return;
		}
	}
	report(ctx, s, "%sgateway %s is not inside any subnet of interfaces[%u]'s addresses",
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
		report(ctx, s, "%sexception must be a TAP name like \"dp-eth0\" or false",
		       where);
		return;
	} else if (get_string(ctx, grp, where, "exception", exc, 16) == NULL) {
		return;
	} else if (exc[0] == '\0' || !is_ident(exc)) {
		report(ctx, s, "%sexception '%s' must be non-empty and only hold A-Z a-z 0-9 . _ -",
		       where, exc);
		return;
	}
	for (j = 0; j < idx; j++)
		if (strcmp(ctx->cfg->ifaces[j].exception_name, exc) == 0)
			report(ctx, s ? s : grp, "%sexception TAP name '%s' is already used by interfaces[%u]",
			       where, exc, j);
}

/* One interfaces[idx] group. */
static void
parse_iface(struct parse_ctx *ctx, const config_setting_t *grp,
	    unsigned int idx)
{
	struct lb_cfg_iface *ifc = &ctx->cfg->ifaces[idx];
	config_setting_t *s;
	char label[24], where[32];
	unsigned int mtu;

	snprintf(label, sizeof(label), "interfaces[%u]", idx);
	snprintf(where, sizeof(where), "%s.", label);
	ifc->mtu = 1500;
	ifc->line = config_setting_source_line(grp);
	check_keys(ctx, grp, label, iface_keys);
	parse_iface_name(ctx, grp, where, idx);
	parse_iface_device(ctx, grp, where, idx);
	parse_iface_addrs(ctx, grp, where, idx);
	parse_iface_gateway(ctx, grp, where, idx);
	if (get_uint(ctx, grp, where, "mtu", 68, 9600, &mtu))
		ifc->mtu = (uint16_t)mtu;
	s = config_setting_get_member(grp, "promiscuous");
	if (s != NULL && config_setting_type(s) != CONFIG_TYPE_BOOL)
		report(ctx, s, "%spromiscuous must be true or false", where);
	else if (s != NULL)
		ifc->promiscuous = config_setting_get_bool(s);
	parse_iface_exception(ctx, grp, where, idx);
}

/* interfaces = ( { ... }, ... ): at most LB_MAX_IFACES. */
static void
parse_ifaces(struct parse_ctx *ctx, const config_setting_t *root)
{
	config_setting_t *list = config_setting_get_member(root, "interfaces");
	config_setting_t *e;
	int i, n;

	if (list == NULL)
		return;
	n = config_setting_length(list);
	if (!config_setting_is_list(list) &&
	    !(config_setting_is_array(list) && n == 0)) {
		report(ctx, list, "interfaces must be a list ( { name = ...; device = ...; }, ... )");
		return;
	}
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(list, i);
		if (i == LB_MAX_IFACES) {
			report(ctx, e, "too many interfaces: %d (max %d)", n,
			       LB_MAX_IFACES);
			return;
		}
		if (!config_setting_is_group(e)) {
			report(ctx, e, "interfaces[%d] must be a group { name = ...; device = ...; }",
			       i);
			continue;
		}
		parse_iface(ctx, e, (unsigned int)i);
		ctx->cfg->nb_ifaces = (unsigned int)i + 1;
	}
}

/* Every top-level setting. */
static void
parse_root(struct parse_ctx *ctx, const config_setting_t *root)
{
	struct lb_config *cfg = ctx->cfg;
	config_setting_t *grp;

	check_keys(ctx, root, NULL, top_keys);
	get_uint(ctx, root, "", "workers", 1, LB_MAX_WORKERS, &cfg->workers);
	get_uint(ctx, root, "", "mbufs_per_port", 1023, 1048575,
		 &cfg->mbufs_per_port);
	parse_desc(ctx, root, "rx_desc", &cfg->rx_desc);
	parse_desc(ctx, root, "tx_desc", &cfg->tx_desc);
	get_uint(ctx, root, "", "neigh_timeout", 5, 3600,
		 &cfg->neigh_timeout_s);
	grp = get_group(ctx, root, "eal");
	if (grp != NULL)
		parse_eal(ctx, grp);
	grp = get_group(ctx, root, "cli");
	if (grp != NULL)
		parse_cli(ctx, grp);
	parse_ifaces(ctx, root);
}

/* ---- entry points ---- */

/* Fill cfg with the default of every setting. Thread-safe on its own cfg. */
void
lb_config_defaults(struct lb_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->workers = 1;
	cfg->mbufs_per_port = 8191;
	cfg->rx_desc = 1024;
	cfg->tx_desc = 1024;
	cfg->neigh_timeout_s = 60;
	cfg->eal.huge = LB_HUGE_AUTO;
	strcpy(cfg->eal.file_prefix, "dplb");
	strcpy(cfg->cli.listen_addr, "127.0.0.1");
	cfg->cli.listen_port = 2323;
}

/*
 * Validate what libconfig read into lc (read_ok false: a syntax error) into
 * cfg, then destroy lc. Returns 0, or -EINVAL when this call reported any
 * problem; cfg is then already released.
 */
static int
load(config_t *lc, bool read_ok, const char *name, struct lb_config *cfg,
     struct lb_cfg_errors *err)
{
	struct lb_cfg_errors quiet = { NULL, 0 };
	struct parse_ctx ctx = { name, cfg, err != NULL ? err : &quiet };
	unsigned int before = ctx.err->count;
	const char *file;

	lb_config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", name);
	if (read_ok) {
		parse_root(&ctx, config_root_setting(lc));
	} else {
		ctx.err->count++;
		file = config_error_file(lc);
		if (ctx.err->out != NULL)
			fprintf(ctx.err->out, "%s:%d: %s\n", file ? file : name,
				config_error_line(lc), config_error_text(lc));
	}
	config_destroy(lc);
	if (ctx.err->count == before)
		return 0;
	lb_config_free(cfg);
	return -EINVAL;
}

/* Report that path cannot be read (errno e); returns -ENOENT or -EIO. */
static int
cannot_read(const char *path, int e, struct lb_config *cfg,
	    struct lb_cfg_errors *err)
{
	lb_config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	if (err != NULL) {
		err->count++;
		if (err->out != NULL)
			fprintf(err->out, "%s: cannot read: %s\n", path,
				strerror(e));
	}
	return e == ENOENT ? -ENOENT : -EIO;
}

/*
 * Read and validate the native file at path into cfg, reporting every
 * problem to err (may be NULL). Returns 0; -EINVAL when the file has
 * errors; -ENOENT/-EIO when it cannot be read. On failure cfg holds
 * nothing to free. Not thread-safe (libconfig); control code only.
 */
int
lb_config_load_native(const char *path, struct lb_config *cfg,
		      struct lb_cfg_errors *err)
{
	struct stat st;
	config_t lc;
	FILE *f;
	int ok, e;

	f = fopen(path, "r");
	if (f == NULL)
		return cannot_read(path, errno, cfg, err);
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return cannot_read(path, EISDIR, cfg, err);
	}
	config_init(&lc);
	errno = 0;
	ok = config_read(&lc, f);
	e = errno ? errno : EIO;
	fclose(f);
	if (!ok && config_error_type(&lc) == CONFIG_ERR_FILE_IO) {
		config_destroy(&lc);
		return cannot_read(path, e, cfg, err);
	}
	return load(&lc, ok, path, cfg, err);
}

/*
 * Same as lb_config_load_native() on the text itself; name stands for the
 * file name in messages and in cfg->path.
 */
int
lb_config_parse_native(const char *name, const char *text,
		       struct lb_config *cfg, struct lb_cfg_errors *err)
{
	config_t lc;
	int ok;

	config_init(&lc);
	ok = config_read_string(&lc, text);
	return load(&lc, ok, name, cfg, err);
}

/* Free the EAL argument strings of cfg; safe to call more than once. */
void
lb_config_free(struct lb_config *cfg)
{
	unsigned int i;

	for (i = 0; i < cfg->eal.nb_args; i++) {
		free(cfg->eal.args[i]);
		cfg->eal.args[i] = NULL;
	}
	cfg->eal.nb_args = 0;
}
