/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * announce = { ... }: the VIPs a routing daemon in the box's kernel
 * announces (BGP to the ECMP router), read and checked:
 *
 *   announce = {
 *       format = "bird";                        # or "prefixes"
 *       file = "/run/dplb/vips.conf";           # written by dplb (tmp + rename)
 *       bird_socket = "/run/bird/bird.ctl";     # "configure" after each write ...
 *       # command = "/usr/local/bin/vips-reload";  # ... or this command
 *       # vrrp_instance = "VI_1";               # only while MASTER
 *       # require = "all";                      # "all" | "any" service of a VIP with quorum
 *       # vips = [ "198.18.5.100" ];            # default: every VIP of virtual_servers
 *       # interval = 0.1; timeout = 2; shutdown_delay = 1;
 *   };
 *
 * Read after the services and VRRP instances it names.
 */
#include <string.h>

#include "config/parse.h"

#define W "announce."

static const char *const keys[] = { "format", "file", "bird_socket", "command",
	"vrrp_instance", "require", "vips", "interval", "timeout", "shutdown_delay", NULL };

void
lb_cfg_announce_defaults(struct lb_cfg_announce *a)
{
	memset(a, 0, sizeof(*a));
	a->format = LB_ANNOUNCE_BIRD;
	a->require_all = true;
	a->interval_ms = 100;
	a->timeout_ms = 2000;
	a->shutdown_delay_ms = 1000;
}

static bool
is_vip(const struct lb_config *cfg, uint32_t addr)
{
	unsigned int i;

	for (i = 0; i < cfg->nb_services; i++)
		if (cfg->services[i].vip == addr)
			return true;
	return false;
}

/* A required absolute path grp.key into buf; false when absent or bad (reported). */
static bool
get_path(struct parse_ctx *ctx, const config_setting_t *grp, const char *key, char *buf,
	 size_t len)
{
	if (lb_cfg_get_string(ctx, grp, W, key, buf, len) == NULL)
		return false;
	if (buf[0] != '/') {
		lb_cfg_report(ctx, config_setting_get_member(grp, key),
			      W "%s '%s' must be an absolute path", key, buf);
		buf[0] = '\0';
		return false;
	}
	return true;
}

static void
parse_words(struct parse_ctx *ctx, const config_setting_t *grp, struct lb_cfg_announce *a)
{
	char v[16];

	if (lb_cfg_get_string(ctx, grp, W, "format", v, sizeof(v)) != NULL) {
		if (strcmp(v, "bird") == 0)
			a->format = LB_ANNOUNCE_BIRD;
		else if (strcmp(v, "prefixes") == 0)
			a->format = LB_ANNOUNCE_PREFIXES;
		else
			lb_cfg_report(ctx, config_setting_get_member(grp, "format"),
				      W "format '%s' is not bird or prefixes", v);
	}
	if (lb_cfg_get_string(ctx, grp, W, "require", v, sizeof(v)) != NULL) {
		if (strcmp(v, "all") == 0 || strcmp(v, "any") == 0)
			a->require_all = v[1] == 'l';
		else
			lb_cfg_report(ctx, config_setting_get_member(grp, "require"),
				      W "require '%s' is not all or any (services of a VIP "
				      "that need quorum)", v);
	}
}

static void
parse_vips(struct parse_ctx *ctx, const config_setting_t *grp, struct lb_cfg_announce *a)
{
	const config_setting_t *list = config_setting_get_member(grp, "vips");
	char s[16];
	uint8_t plen;
	int i, n;

	if (list == NULL)
		return;
	n = config_setting_length(list);
	if (!config_setting_is_array(list) || n == 0 || n > LB_ANNOUNCE_MAX_VIPS) {
		lb_cfg_report(ctx, list, W "vips must be a list of 1..%d addresses, like "
			      "[ \"198.18.5.100\" ]", LB_ANNOUNCE_MAX_VIPS);
		return;
	}
	for (i = 0; i < n; i++) {
		const config_setting_t *e = config_setting_get_elem(list, i);
		const char *v = config_setting_get_string(e);
		uint32_t addr;
		unsigned int k;

		if (v == NULL || lb_parse_ipv4_prefix(v, &addr, &plen, false) != 0 || plen != 32) {
			lb_cfg_report(ctx, e, W "vips[%d] must be an IPv4 address", i);
			continue;
		}
		if (!is_vip(ctx->cfg, addr)) {
			lb_cfg_report(ctx, e, W "vips[%d] %s is the address of no virtual server",
				      i, lb_ipv4_str(addr, s, sizeof(s)));
			continue;
		}
		for (k = 0; k < a->nb_vips && a->vips[k] != addr; k++)
			;
		if (k < a->nb_vips)
			lb_cfg_report(ctx, e, W "vips[%d] %s is listed twice", i,
				      lb_ipv4_str(addr, s, sizeof(s)));
		else
			a->vips[a->nb_vips++] = addr;
	}
}

void
lb_cfg_parse_announce(struct parse_ctx *ctx, const config_setting_t *root)
{
	config_setting_t *grp = lb_cfg_get_group(ctx, root, "announce");
	struct lb_cfg_announce *a = &ctx->cfg->announce;
	bool sock, cmd;

	if (grp == NULL)
		return;
	lb_cfg_check_keys(ctx, grp, "announce", keys);
	a->on = true;
	a->line = config_setting_source_line(grp);
	parse_words(ctx, grp, a);
	if (config_setting_get_member(grp, "file") == NULL)
		lb_cfg_report(ctx, grp, "announce needs file = \"/run/dplb/vips.conf\" (the "
			      "fragment the routing daemon includes)");
	else
		get_path(ctx, grp, "file", a->file, sizeof(a->file));
	sock = config_setting_get_member(grp, "bird_socket") != NULL;
	cmd = config_setting_get_member(grp, "command") != NULL;
	if (!sock && !cmd)
		lb_cfg_report(ctx, grp, "announce needs bird_socket = \"PATH\" (BIRD's control "
			      "socket) or command = \"...\" (run after each write)");
	else if (sock && cmd)
		lb_cfg_report(ctx, config_setting_get_member(grp, "command"),
			      "announce: give bird_socket or command, not both");
	if (sock && get_path(ctx, grp, "bird_socket", a->bird_socket, sizeof(a->bird_socket)) &&
	    a->format != LB_ANNOUNCE_BIRD)
		lb_cfg_report(ctx, config_setting_get_member(grp, "bird_socket"),
			      "announce.bird_socket reloads BIRD: it needs format = \"bird\"");
	if (cmd && lb_cfg_get_string(ctx, grp, W, "command", a->command, sizeof(a->command)) !=
	    NULL && a->command[0] == '\0')
		lb_cfg_report(ctx, config_setting_get_member(grp, "command"),
			      "announce.command is empty");
	if (lb_cfg_get_string(ctx, grp, W, "vrrp_instance", a->vrrp_instance,
			      sizeof(a->vrrp_instance)) != NULL &&
	    lb_cfg_find_vrrp(ctx->cfg, a->vrrp_instance) < 0)
		lb_cfg_report(ctx, config_setting_get_member(grp, "vrrp_instance"),
			      W "vrrp_instance '%s' is not in vrrp_instances", a->vrrp_instance);
	parse_vips(ctx, grp, a);
	lb_cfg_get_ms(ctx, grp, W, "interval", 10, 10000, &a->interval_ms);
	lb_cfg_get_ms(ctx, grp, W, "timeout", 100, 60000, &a->timeout_ms);
	lb_cfg_get_ms(ctx, grp, W, "shutdown_delay", 0, 60000, &a->shutdown_delay_ms);
}
