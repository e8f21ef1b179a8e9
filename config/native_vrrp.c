/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VRRP instances of the native config, keepalived's vrrp_instance blocks:
 *
 * vrrp_instances = (
 *   { name = "VI_1"; interface = "lab0"; virtual_router_id = 51; priority = 100;
 *     advert_int = 1; version = 2; state = "BACKUP";
 *     authentication = { type = "PASS"; pass = "secret"; };   # or "AH"; v2 only
 *     virtual_ipaddress = [ "198.18.1.100" ]; nopreempt = false; preempt_delay = 0;
 *     track_scripts = [ "chk_nginx" ]; track_interfaces = [ "eth1" ];
 *     unicast_peer = [ "198.18.1.2" ]; unicast_src_ip = "198.18.1.1"; } );
 * (vrrp_scripts: native_track.c; unicast_peer: vrrp_unicast.c)
 *
 * advert_int is in seconds: an integer for version 2, 0.01..40.95 for
 * version 3. The adverts go out from unicast_src_ip, else the interface's
 * first address.
 */
#include <string.h>

#include "config/parse.h"

static const char *const vrrp_keys[] = { "name", "interface", "virtual_router_id",
	"priority", "advert_int", "version", "state", "authentication",
	"virtual_ipaddress", "nopreempt", "preempt_delay", "track_scripts", "track_interfaces",
	"notify_master", "notify_backup", "notify_fault", "notify_stop", "notify",
	"garp_master_repeat", "garp_master_delay", "garp_master_refresh",
	"garp_master_refresh_repeat",
	"unicast_peer", "unicast_src_ip", NULL };
static const char *const auth_keys[] = { "type", "pass", NULL };

static void
parse_name(struct parse_ctx *ctx, const config_setting_t *grp, const char *where,
	   unsigned int idx)
{
	struct lb_cfg_vrrp *v = &ctx->cfg->vrrp[idx];
	config_setting_t *s = config_setting_get_member(grp, "name");
	unsigned int j;

	if (s == NULL) {
		snprintf(v->name, sizeof(v->name), "VI_%u", idx + 1);
		for (j = 0; j < idx; j++)
			if (strcmp(ctx->cfg->vrrp[j].name, v->name) == 0)
				lb_cfg_report(ctx, grp, "%.*s has no name and its default '%s' is "
					      "already used by vrrp_instances[%u]", (int)strlen(where) - 1,
					      where, v->name, j);
		return;
	}
	if (lb_cfg_get_string(ctx, grp, where, "name", v->name, sizeof(v->name)) == NULL)
		return;
	if (v->name[0] == '\0' || !lb_cfg_is_ident(v->name)) {
		lb_cfg_report(ctx, s, "%sname '%s' must be non-empty and only hold A-Z a-z 0-9 . _ -",
			      where, v->name);
		return;
	}
	for (j = 0; j < idx; j++)
		if (strcmp(ctx->cfg->vrrp[j].name, v->name) == 0)
			lb_cfg_report(ctx, s, "%sname '%s' is already used by vrrp_instances[%u]",
				      where, v->name, j);
}

/* interface = "lab0": required, one of the interfaces, with an address. */
static bool
parse_iface(struct parse_ctx *ctx, const config_setting_t *grp, const char *where,
	    struct lb_cfg_vrrp *v)
{
	config_setting_t *s = config_setting_get_member(grp, "interface");
	char buf[LB_NAME_LEN + 1];
	unsigned int i;

	if (s == NULL) {
		lb_cfg_report(ctx, grp, "%.*s has no interface", (int)strlen(where) - 1, where);
		return false;
	}
	if (lb_cfg_get_string(ctx, grp, where, "interface", buf, sizeof(buf)) == NULL)
		return false;
	for (i = 0; i < ctx->cfg->nb_ifaces; i++)
		if (strcmp(ctx->cfg->ifaces[i].name, buf) == 0)
			break;
	if (i == ctx->cfg->nb_ifaces) {
		lb_cfg_report(ctx, s, "%sinterface '%s' is not one of the interfaces", where, buf);
		return false;
	}
	if (ctx->cfg->ifaces[i].nb_addrs == 0) {
		lb_cfg_report(ctx, s, "%sinterface '%s' has no address to send adverts from",
			      where, buf);
		return false;
	}
	v->iface = i;
	return true;
}

/* advert_int: seconds, an integer (v2) or 0.01..40.95 (v3). */
static void
parse_advert_int(struct parse_ctx *ctx, const config_setting_t *grp, const char *where,
		 struct lb_cfg_vrrp *v)
{
	config_setting_t *s = config_setting_get_member(grp, "advert_int");
	double secs, off;
	long cs;

	if (s == NULL)
		return;		/* default 1 s */
	if (!lb_cfg_seconds(ctx, s, where, "advert_int", &secs))
		return;
	if (secs < 0 || secs > 1e6) {
		lb_cfg_report(ctx, s, "%sadvert_int %g is out of range", where, secs);
		return;
	}
	cs = (long)(secs * 100 + 0.5);
	off = secs * 100 - (double)cs;
	if (off < 0)
		off = -off;
	if (v->version == 2 && (cs < 100 || cs > 25500 || cs % 100 != 0 ||
				off > 1e-6)) {
		lb_cfg_report(ctx, s, "%sadvert_int must be whole seconds 1..255 with version 2 "
			      "(got %g)", where, secs);
		return;
	}
	if (v->version == 3 && (cs < 1 || cs > 4095 || off > 1e-6)) {
		lb_cfg_report(ctx, s, "%sadvert_int must be 0.01..40.95 s in steps of 0.01 with "
			      "version 3 (got %g)", where, secs);
		return;
	}
	v->advert_int_cs = (uint16_t)cs;
}

/* state = "MASTER" | "BACKUP": the initial state, as keepalived's. */
static void
parse_state(struct parse_ctx *ctx, const config_setting_t *grp, const char *where,
	    struct lb_cfg_vrrp *v)
{
	char buf[16];

	if (lb_cfg_get_string(ctx, grp, where, "state", buf, sizeof(buf)) == NULL)
		return;
	if (strcmp(buf, "MASTER") == 0)
		v->init_master = true;
	else if (strcmp(buf, "BACKUP") != 0)
		lb_cfg_report(ctx, config_setting_get_member(grp, "state"),
			      "%sstate '%s' is not MASTER or BACKUP", where, buf);
}

/* authentication = { type = "PASS" | "AH"; pass = "secret"; } (v2 only). */
static void
parse_auth(struct parse_ctx *ctx, const config_setting_t *grp, const char *where,
	   struct lb_cfg_vrrp *v)
{
	config_setting_t *a = lb_cfg_get_group(ctx, grp, "authentication"), *s;
	char w[96], type[16], pass[64];

	if (a == NULL)
		return;
	snprintf(w, sizeof(w), "%sauthentication", where);
	lb_cfg_check_keys(ctx, a, w, auth_keys);
	strcat(w, ".");
	if (v->version != 2) {
		lb_cfg_report(ctx, a, "%sauthentication is for version 2 only (RFC 5798 "
			      "dropped it)", where);
		return;
	}
	if (config_setting_get_member(a, "type") == NULL) {
		lb_cfg_report(ctx, a, "%.*s has no type (\"PASS\" or \"AH\")", (int)strlen(w) - 1, w);
		return;
	}
	if (lb_cfg_get_string(ctx, a, w, "type", type, sizeof(type)) == NULL)
		return;
	if (strcmp(type, "PASS") == 0)
		v->auth_type = 1;
	else if (strcmp(type, "AH") == 0)
		v->auth_type = 2;
	else {
		lb_cfg_report(ctx, config_setting_get_member(a, "type"),
			      "%stype '%s' is not PASS or AH", w, type);
		return;
	}
	s = config_setting_get_member(a, "pass");
	if (s == NULL) {
		lb_cfg_report(ctx, a, "%.*s has no pass", (int)strlen(w) - 1, w);
		return;
	}
	if (lb_cfg_get_string(ctx, a, w, "pass", pass, sizeof(pass)) == NULL)
		return;
	if (pass[0] == '\0') {
		lb_cfg_report(ctx, s, "%spass must not be empty", w);
		return;
	}
	if (strlen(pass) > 8)
		lb_cfg_report(ctx, s, "%spass is %zu characters: VRRP carries 8 (keepalived "
			      "truncates it; write the 8 it uses)", w, strlen(pass));
	else
		memcpy(v->auth_pass, pass, strlen(pass) + 1);
}

/* virtual_ipaddress = [ "198.18.1.100", ... ]: required, not the box's own. */
static void
parse_vips(struct parse_ctx *ctx, const config_setting_t *grp, const char *where,
	   struct lb_cfg_vrrp *v, unsigned int idx)
{
	config_setting_t *list = config_setting_get_member(grp, "virtual_ipaddress"), *e;
	const struct lb_config *cfg = ctx->cfg;
	unsigned int i, j, k;
	uint32_t addr;
	uint8_t plen;
	int n;

	if (list == NULL) {
		lb_cfg_report(ctx, grp, "%.*s has no virtual_ipaddress", (int)strlen(where) - 1, where);
		return;
	}
	if (!config_setting_is_array(list) && !config_setting_is_list(list)) {
		lb_cfg_report(ctx, list, "%svirtual_ipaddress must be a list of addresses, like "
			      "[ \"198.18.1.100\" ]", where);
		return;
	}
	n = config_setting_length(list);
	if (n == 0)
		lb_cfg_report(ctx, list, "%svirtual_ipaddress is empty", where);
	if (n > LB_VRRP_MAX_VIPS) {
		lb_cfg_report(ctx, list, "%svirtual_ipaddress has %d entries (max %d)", where, n,
			      LB_VRRP_MAX_VIPS);
		n = LB_VRRP_MAX_VIPS;
	}
	for (i = 0; i < (unsigned int)n; i++) {
		const char *str;

		e = config_setting_get_elem(list, i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING) {
			lb_cfg_report(ctx, e, "%svirtual_ipaddress[%u] must be a string like "
				      "\"198.18.1.100\"", where, i);
			continue;
		}
		str = config_setting_get_string(e);
		if (lb_parse_ipv4_prefix(str, &addr, &plen, false) != 0 || plen != 32 ||
		    addr == 0 || (addr >> 28) >= 0xe || (addr >> 24) == 127) {
			lb_cfg_report(ctx, e, "%svirtual_ipaddress[%u] '%s' is not a unicast IPv4 "
				      "address", where, i, str);
			continue;
		}
		for (j = 0; j < cfg->nb_ifaces; j++)
			for (k = 0; k < cfg->ifaces[j].nb_addrs; k++)
				if (cfg->ifaces[j].addrs[k].addr == addr)
					lb_cfg_report(ctx, e, "%svirtual_ipaddress '%s' is an "
						      "address of interface %s", where, str,
						      cfg->ifaces[j].name);
		for (j = 0; j < v->nb_vips; j++)
			if (v->vips[j] == addr)
				lb_cfg_report(ctx, e, "%svirtual_ipaddress '%s' is listed twice",
					      where, str);
		for (j = 0; j < idx; j++)
			for (k = 0; k < cfg->vrrp[j].nb_vips; k++)
				if (cfg->vrrp[j].vips[k] == addr)
					lb_cfg_report(ctx, e, "%svirtual_ipaddress '%s' already "
						      "belongs to vrrp_instances[%u] (%s)", where,
						      str, j, cfg->vrrp[j].name);
		v->vips[v->nb_vips++] = addr;
	}
}

static void
parse_instance(struct parse_ctx *ctx, const config_setting_t *grp, unsigned int idx)
{
	struct lb_cfg_vrrp *v = &ctx->cfg->vrrp[idx];
	char where[48], w[48];
	unsigned int u, j;
	bool have_if, have_vrid;

	snprintf(where, sizeof(where), "vrrp_instances[%u].", idx);
	memset(v, 0, sizeof(*v));
	v->line = config_setting_source_line(grp);
	v->sync_group = -1;
	lb_cfg_vrrp_garp_defaults(v);
	v->version = 2;
	v->priority = 100;	/* keepalived's default */
	v->advert_int_cs = 100;
	snprintf(w, sizeof(w), "vrrp_instances[%u]", idx);
	lb_cfg_check_keys(ctx, grp, w, vrrp_keys);
	parse_name(ctx, grp, where, idx);
	have_if = parse_iface(ctx, grp, where, v);
	if (config_setting_get_member(grp, "virtual_router_id") == NULL)
		lb_cfg_report(ctx, grp, "%.*s has no virtual_router_id (1..255)", (int)strlen(where) - 1, where);
	have_vrid = lb_cfg_get_uint(ctx, grp, where, "virtual_router_id", 1, 255, &u);
	if (have_vrid)
		v->vrid = (uint8_t)u;
	if (lb_cfg_get_uint(ctx, grp, where, "priority", 1, 255, &u))
		v->priority = (uint8_t)u;
	if (lb_cfg_get_uint(ctx, grp, where, "version", 2, 3, &u))
		v->version = (uint8_t)u;
	parse_advert_int(ctx, grp, where, v);
	parse_state(ctx, grp, where, v);
	parse_auth(ctx, grp, where, v);
	lb_cfg_get_bool(ctx, grp, where, "nopreempt", &v->nopreempt);
	lb_cfg_get_uint(ctx, grp, where, "preempt_delay", 0, 1000, &v->preempt_delay_s);
	parse_vips(ctx, grp, where, v, idx);
	lb_cfg_parse_vrrp_track(ctx, grp, where, v);
	lb_cfg_get_uint(ctx, grp, where, "garp_master_repeat", 1, 255, &v->garp_repeat);
	lb_cfg_get_ms(ctx, grp, where, "garp_master_delay", 0, 1000000, &v->garp_delay_ms);
	lb_cfg_get_ms(ctx, grp, where, "garp_master_refresh", 0, 86400000, &v->garp_refresh_ms);
	lb_cfg_get_uint(ctx, grp, where, "garp_master_refresh_repeat", 1, 255,
			&v->garp_refresh_repeat);
	lb_cfg_get_script(ctx, grp, where, "notify_master", v->notify_master);
	lb_cfg_get_script(ctx, grp, where, "notify_backup", v->notify_backup);
	lb_cfg_get_script(ctx, grp, where, "notify_fault", v->notify_fault);
	lb_cfg_get_script(ctx, grp, where, "notify_stop", v->notify_stop);
	lb_cfg_get_script(ctx, grp, where, "notify", v->notify);
	if (have_if)
		lb_cfg_parse_vrrp_unicast(ctx, grp, where, v);
	if (!have_if || !have_vrid)
		return;
	for (j = 0; j < idx; j++) {
		const struct lb_cfg_vrrp *o = &ctx->cfg->vrrp[j];

		if (o->iface == v->iface && o->vrid == v->vrid && o->vrid != 0)
			lb_cfg_report(ctx, config_setting_get_member(grp, "virtual_router_id"),
				      "%svirtual_router_id %u is already used on interface %s by "
				      "vrrp_instances[%u] (%s, line %d)", where, v->vrid,
				      ctx->cfg->ifaces[v->iface].name, j, o->name, o->line);
	}
}

void
lb_cfg_parse_vrrp(struct parse_ctx *ctx, const config_setting_t *root)
{
	ctx->cfg->nb_vrrp = (unsigned int)lb_cfg_each_group(ctx, root, "vrrp_instances",
							    LB_MAX_VRRP, parse_instance);
}
