/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Virtual services of the native config: what `ipvsadm -A` and `-a` set up.
 *
 * virtual_servers = (
 *   { protocol = "tcp"; address = "198.18.1.100"; port = 80; scheduler = "wlc";
 *     persistence = 300; netmask = "255.255.255.255"; flags = [ "sh-port" ];
 *     local_addresses = [ "198.18.2.5" ];   # FNAT sources; needed with forward "fnat"
 *     real_servers = (
 *       { address = "198.18.2.11"; port = 80; weight = 1; forward = "nat";
 *         upper_threshold = 0; lower_threshold = 0; } ); } );
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "config/parse.h"
#include "sched/sched.h"

static const char *const conn_keys[] = { "max", "tcp_timeout", "tcpfin_timeout",
	"udp_timeout", NULL };
static const char *const svc_keys[] = { "protocol", "address", "port", "scheduler",
	"persistence", "netmask", "flags", "mh_table_size", "local_addresses",
	"real_servers", "delay_loop", "connect_timeout", "retry", "nb_get_retry",
	"delay_before_retry", "warmup", "quorum", "hysteresis", "alpha", "omega",
	"sorry_server", "quorum_up", "quorum_down", "passive_failures", "passive_backoff",
	"enabled", "acl", "rate_limit", "syn_proxy", NULL };
static const char *const rs_keys[] = { "address", "port", "weight", "forward",
	"upper_threshold", "lower_threshold", "inhibit_on_failure", "delay_loop",
	"connect_timeout", "retry", "nb_get_retry", "delay_before_retry", "warmup",
	"checkers", "notify_up", "notify_down", NULL };

static const struct {
	const char *name;
	uint32_t flag;
} svc_flags[] = {
	{ "sh-fallback", LB_SVC_F_SH_FALLBACK }, { "sh-port", LB_SVC_F_SH_PORT },
	{ "mh-fallback", LB_SVC_F_MH_FALLBACK }, { "mh-port", LB_SVC_F_MH_PORT },
};

static const char *const fwd_names[] = {
	[LB_FWD_NAT] = "nat", [LB_FWD_DR] = "dr", [LB_FWD_TUN] = "tun", [LB_FWD_FNAT] = "fnat",
};

void
lb_cfg_parse_connections(struct parse_ctx *ctx, const config_setting_t *grp)
{
	struct lb_config *cfg = ctx->cfg;

	lb_cfg_check_keys(ctx, grp, "connections", conn_keys);
	lb_cfg_get_uint(ctx, grp, "connections.", "max", 1024, 1u << 27, &cfg->conn_max);
	lb_cfg_get_uint(ctx, grp, "connections.", "tcp_timeout", 1, 2147483, &cfg->tcp_timeout);
	lb_cfg_get_uint(ctx, grp, "connections.", "tcpfin_timeout", 1, 2147483,
			&cfg->tcpfin_timeout);
	lb_cfg_get_uint(ctx, grp, "connections.", "udp_timeout", 1, 2147483, &cfg->udp_timeout);
}

/* Read the required address grp.key (no prefix) into *out; false if bad. */
static bool
get_addr(struct parse_ctx *ctx, const config_setting_t *grp, const char *where,
	 const char *key, bool required, uint32_t *out)
{
	char buf[32];
	uint8_t len;

	if (config_setting_get_member(grp, key) == NULL) {
		if (required)
			lb_cfg_report(ctx, grp, "%s has no %s", where, key);
		return false;
	}
	if (lb_cfg_get_string(ctx, grp, where, key, buf, sizeof(buf)) == NULL)
		return false;
	if (lb_parse_ipv4_prefix(buf, out, &len, false) != 0 || *out == 0) {
		lb_cfg_report(ctx, config_setting_get_member(grp, key),
			      "%s.%s '%s' is not an IPv4 address", where, key, buf);
		return false;
	}
	return true;
}

/* Is addr inside a subnet of one of the configured interfaces? */
static bool
on_some_subnet(const struct lb_config *cfg, uint32_t addr)
{
	unsigned int i, k;

	for (i = 0; i < cfg->nb_ifaces; i++)
		for (k = 0; k < cfg->ifaces[i].nb_addrs; k++)
			if (lb_ipv4_in_prefix(addr, &cfg->ifaces[i].addrs[k]))
				return true;
	return false;
}

int
lb_cfg_check_rs(const struct lb_config *cfg, const struct lb_cfg_service *svc,
		const struct lb_cfg_rs *rs, char *msg, size_t len)
{
	if (rs->fwd == LB_FWD_DR && !on_some_subnet(cfg, rs->addr)) {
		snprintf(msg, len, "with forward 'dr' the real server must be on the subnet of "
			 "an interface (only its MAC is rewritten)");
		return -EINVAL;
	}
	if ((rs->fwd == LB_FWD_DR || rs->fwd == LB_FWD_TUN) && rs->port != svc->port) {
		snprintf(msg, len, "port %u: with forward '%s' the real server gets the service "
			 "port %u (the packet is not rewritten)", rs->port, fwd_names[rs->fwd],
			 svc->port);
		return -EINVAL;
	}
	if (svc->syn_proxy && rs->fwd != LB_FWD_NAT && rs->fwd != LB_FWD_FNAT) {
		snprintf(msg, len, "with syn_proxy the real server must be forward 'nat' or "
			 "'fnat' (the proxy translates sequence numbers both ways, and with '%s' "
			 "the replies do not pass dplb)", fwd_names[rs->fwd]);
		return -EINVAL;
	}
	if (rs->fwd == LB_FWD_FNAT && svc->nb_laddrs == 0) {
		snprintf(msg, len, "forward 'fnat' needs local_addresses on the service");
		return -EINVAL;
	}
	return 0;
}

/*
 * The fields every real server has (address, port, weight, forward,
 * thresholds) of grp into rs. False when rs is unusable (reported).
 */
static bool
parse_rs_fields(struct parse_ctx *ctx, const config_setting_t *grp,
		const struct lb_cfg_service *svc, struct lb_cfg_rs *rs, const char *where)
{
	unsigned int port = svc->port, j;
	char fwd[16] = "nat", msg[160];

	memset(rs, 0, sizeof(*rs));
	rs->line = config_setting_source_line(grp);
	rs->weight = 1;
	if (!get_addr(ctx, grp, where, "address", true, &rs->addr))
		return false;
	lb_cfg_get_uint(ctx, grp, where, "port", 1, 65535, &port);
	rs->port = (uint16_t)port;
	lb_cfg_get_uint(ctx, grp, where, "weight", 0, 65535, &rs->weight);
	lb_cfg_get_uint(ctx, grp, where, "upper_threshold", 0, INT32_MAX, &rs->u_threshold);
	lb_cfg_get_uint(ctx, grp, where, "lower_threshold", 0, INT32_MAX, &rs->l_threshold);
	if (rs->u_threshold != 0 && rs->l_threshold > rs->u_threshold)
		lb_cfg_report(ctx, grp, "%s lower_threshold %u is above upper_threshold %u",
			      where, rs->l_threshold, rs->u_threshold);
	if (lb_cfg_get_string(ctx, grp, where, "forward", fwd, sizeof(fwd)) != NULL ||
	    config_setting_get_member(grp, "forward") == NULL) {
		for (j = 0; j < RTE_DIM(fwd_names); j++)
			if (strcmp(fwd, fwd_names[j]) == 0)
				break;
		if (j == RTE_DIM(fwd_names)) {
			lb_cfg_report(ctx, config_setting_get_member(grp, "forward"),
				      "%s forward '%s' is not one of nat, dr, tun, fnat", where, fwd);
			return false;
		}
		rs->fwd = (enum lb_fwd)j;
	}
	if (lb_cfg_check_rs(ctx->cfg, svc, rs, msg, sizeof(msg)) != 0)
		lb_cfg_report(ctx, grp, "%s: %s", where, msg);
	return true;
}

static void
parse_rs(struct parse_ctx *ctx, const config_setting_t *grp, struct lb_cfg_service *svc,
	 const char *where)
{
	struct lb_cfg_rs *rs = &svc->rs[svc->nb_rs];
	unsigned int j;

	lb_cfg_check_keys(ctx, grp, where, rs_keys);
	if (!parse_rs_fields(ctx, grp, svc, rs, where))
		return;
	for (j = 0; j < svc->nb_rs; j++)
		if (svc->rs[j].addr == rs->addr && svc->rs[j].port == rs->port) {
			lb_cfg_report(ctx, grp, "%s duplicates real server %u (line %d)", where, j,
				      svc->rs[j].line);
			return;
		}
	lb_cfg_parse_rs_health(ctx, grp, svc, rs, where);
	svc->nb_rs++;
}

/* sorry_server = { address; port; forward; }: used while quorum is lost. */
static void
parse_sorry(struct parse_ctx *ctx, const config_setting_t *grp, struct lb_cfg_service *svc,
	    const char *where)
{
	static const char *const sorry_keys[] = { "address", "port", "forward", NULL };
	config_setting_t *s = config_setting_get_member(grp, "sorry_server");
	char swhere[64];
	unsigned int j;

	if (s == NULL)
		return;
	snprintf(swhere, sizeof(swhere), "%s.sorry_server", where);
	if (!config_setting_is_group(s)) {
		lb_cfg_report(ctx, s, "%s must be a group { address = ...; port = ...; }", swhere);
		return;
	}
	lb_cfg_check_keys(ctx, s, swhere, sorry_keys);
	if (!parse_rs_fields(ctx, s, svc, &svc->sorry, swhere))
		return;
	for (j = 0; j < svc->nb_rs; j++)
		if (svc->rs[j].addr == svc->sorry.addr && svc->rs[j].port == svc->sorry.port)
			lb_cfg_report(ctx, s, "%s is also real server %u (line %d)", swhere, j,
				      svc->rs[j].line);
	svc->has_sorry = true;
}

static void
parse_flags(struct parse_ctx *ctx, const config_setting_t *list, struct lb_cfg_service *svc,
	    const char *where)
{
	int i, n = config_setting_length(list);
	unsigned int j;

	if (!config_setting_is_array(list) && !config_setting_is_list(list)) {
		lb_cfg_report(ctx, list, "%s.flags must be a list of strings", where);
		return;
	}
	for (i = 0; i < n; i++) {
		const char *f = config_setting_get_string_elem(list, i);

		for (j = 0; f != NULL && j < RTE_DIM(svc_flags); j++)
			if (strcmp(f, svc_flags[j].name) == 0)
				break;
		if (f == NULL || j == RTE_DIM(svc_flags)) {
			lb_cfg_report(ctx, list, "%s.flags[%d] '%s' is not one of sh-fallback, "
				      "sh-port, mh-fallback, mh-port", where, i, f ? f : "?");
			continue;
		}
		svc->flags |= svc_flags[j].flag;
	}
}

static bool
contiguous_mask(uint32_t m)
{
	return m == 0 || (~m & (~m + 1)) == 0;
}

static void
parse_service_head(struct parse_ctx *ctx, const config_setting_t *grp,
		   struct lb_cfg_service *svc, const char *where)
{
	char proto[8] = "tcp", mask[32];
	unsigned int port = 0;
	bool enabled = true;
	uint8_t len;

	lb_cfg_check_keys(ctx, grp, where, svc_keys);
	lb_cfg_get_string(ctx, grp, where, "protocol", proto, sizeof(proto));
	if (strcmp(proto, "tcp") == 0)
		svc->proto = IPPROTO_TCP;
	else if (strcmp(proto, "udp") == 0)
		svc->proto = IPPROTO_UDP;
	else
		lb_cfg_report(ctx, config_setting_get_member(grp, "protocol"),
			      "%s.protocol '%s' is not tcp or udp", where, proto);
	get_addr(ctx, grp, where, "address", true, &svc->vip);
	if (config_setting_get_member(grp, "port") == NULL)
		lb_cfg_report(ctx, grp, "%s has no port", where);
	lb_cfg_get_uint(ctx, grp, where, "port", 1, 65535, &port);
	svc->port = (uint16_t)port;
	snprintf(svc->sched, sizeof(svc->sched), "wlc");	/* ipvsadm's default */
	lb_cfg_get_string(ctx, grp, where, "scheduler", svc->sched, sizeof(svc->sched));
	if (lb_sched_find(svc->sched) == NULL)
		lb_cfg_report(ctx, grp, "%s.scheduler '%s' is unknown (one of: %s)", where,
			      svc->sched, lb_sched_names());
	if (lb_cfg_get_uint(ctx, grp, where, "persistence", 0, 2678400, &svc->persistence) &&
	    svc->persistence > 0)
		svc->flags |= LB_SVC_F_PERSISTENT;
	svc->netmask = 0xffffffff;
	if (lb_cfg_get_string(ctx, grp, where, "netmask", mask, sizeof(mask)) != NULL &&
	    (lb_parse_ipv4_prefix(mask, &svc->netmask, &len, false) != 0 ||
	     !contiguous_mask(svc->netmask) || svc->netmask == 0))
		lb_cfg_report(ctx, config_setting_get_member(grp, "netmask"),
			      "%s.netmask '%s' is not a netmask like 255.255.255.0", where, mask);
	if (config_setting_get_member(grp, "flags") != NULL)
		parse_flags(ctx, config_setting_get_member(grp, "flags"), svc, where);
	lb_cfg_get_uint(ctx, grp, where, "mh_table_size", 0, 1u << 24, &svc->sched_param);
	if (lb_cfg_get_bool(ctx, grp, where, "enabled", &enabled) && !enabled)
		svc->flags |= LB_SVC_F_DISABLED;	/* `service disable`, kept in the file */
}

/* local_addresses = [ "a.b.c.d", ... ]: FNAT source addresses. */
static void
parse_laddrs(struct parse_ctx *ctx, const config_setting_t *grp, struct lb_cfg_service *svc,
	     const char *where)
{
	config_setting_t *list = config_setting_get_member(grp, "local_addresses");
	int i, n;

	if (list == NULL)
		return;
	if (!config_setting_is_array(list) && !config_setting_is_list(list)) {
		lb_cfg_report(ctx, list, "%s.local_addresses must be a list of addresses", where);
		return;
	}
	n = config_setting_length(list);
	for (i = 0; i < n; i++) {
		const char *s = config_setting_get_string_elem(list, i);
		uint32_t a;
		uint8_t len;

		if (s == NULL || lb_parse_ipv4_prefix(s, &a, &len, false) != 0 || a == 0) {
			lb_cfg_report(ctx, list, "%s.local_addresses[%d] '%s' is not an IPv4 "
				      "address", where, i, s ? s : "?");
			continue;
		}
		if (svc->nb_laddrs == LB_MAX_LADDRS) {
			lb_cfg_report(ctx, list, "%s: too many local_addresses (max %d)", where,
				      LB_MAX_LADDRS);
			return;
		}
		svc->laddrs[svc->nb_laddrs++] = a;
	}
}

static void
parse_service(struct parse_ctx *ctx, const config_setting_t *grp, unsigned int idx)
{
	struct lb_cfg_service *svc = &ctx->cfg->services[idx];
	config_setting_t *list, *e;
	char where[32], rwhere[80];
	unsigned int j;
	int i, n;

	memset(svc, 0, sizeof(*svc));
	svc->line = config_setting_source_line(grp);
	snprintf(where, sizeof(where), "virtual_servers[%u]", idx);
	parse_service_head(ctx, grp, svc, where);
	for (j = 0; j < idx; j++) {
		const struct lb_cfg_service *o = &ctx->cfg->services[j];

		if (o->proto == svc->proto && o->vip == svc->vip && o->port == svc->port &&
		    svc->vip != 0)
			lb_cfg_report(ctx, grp, "%s is the same service as virtual_servers[%u] "
				      "(line %d)", where, j, o->line);
	}
	parse_laddrs(ctx, grp, svc, where);
	lb_cfg_parse_acl(ctx, grp, svc, where);
	lb_cfg_parse_rate_limit(ctx, grp, svc, where);
	lb_cfg_parse_syn_proxy(ctx, grp, svc, where);
	lb_cfg_parse_svc_health(ctx, grp, svc, where);
	list = config_setting_get_member(grp, "real_servers");
	/* a service with no real servers yet is valid */
	n = list != NULL ? config_setting_length(list) : 0;
	if (list != NULL && !config_setting_is_list(list)) {
		lb_cfg_report(ctx, list, "%s.real_servers must be a list ( { ... }, ... )", where);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(list, i);
		snprintf(rwhere, sizeof(rwhere), "%s.real_servers[%d]", where, i);
		if (i == LB_MAX_RS) {
			lb_cfg_report(ctx, e, "%s: too many real servers (max %d)", where, LB_MAX_RS);
			break;
		}
		if (!config_setting_is_group(e)) {
			lb_cfg_report(ctx, e, "%s must be a group { address = ...; }", rwhere);
			continue;
		}
		parse_rs(ctx, e, svc, rwhere);
	}
	parse_sorry(ctx, grp, svc, where);
}

void
lb_cfg_parse_services(struct parse_ctx *ctx, const config_setting_t *root)
{
	config_setting_t *list = config_setting_get_member(root, "virtual_servers");
	int i, n;

	if (list == NULL)
		return;
	n = config_setting_length(list);
	if (!config_setting_is_list(list) && !(config_setting_is_array(list) && n == 0)) {
		lb_cfg_report(ctx, list, "virtual_servers must be a list ( { ... }, ... )");
		return;
	}
	if (n > LB_MAX_SERVICES) {
		lb_cfg_report(ctx, list, "too many virtual_servers: %d (max %d)", n,
			      LB_MAX_SERVICES);
		n = LB_MAX_SERVICES;
	}
	if (n == 0)
		return;
	ctx->cfg->services = calloc((size_t)n, sizeof(*ctx->cfg->services));
	if (ctx->cfg->services == NULL) {
		lb_cfg_report(ctx, list, "out of memory for %d virtual_servers", n);
		return;
	}
	for (i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(list, i);

		if (!config_setting_is_group(e)) {
			lb_cfg_report(ctx, e, "virtual_servers[%d] must be a group { ... }", i);
			continue;
		}
		parse_service(ctx, e, (unsigned int)i);
		ctx->cfg->nb_services = (unsigned int)i + 1;
	}
}
