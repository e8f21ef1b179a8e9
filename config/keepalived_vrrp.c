/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vrrp_instance NAME { ... } of a keepalived.conf -> lb_cfg_vrrp, with the
 * native reader's rules (native_vrrp.c): a known interface with an address,
 * virtual_router_id unique per interface, advert_int whole seconds for
 * version 2 and 0.01..40.95 for version 3, authentication (version 2 only)
 * of up to 8 characters, VIPs unicast and not an interface's own address.
 */
#include <string.h>

#include "config/keepalived.h"
#include "config/parse.h"

/* What is read before the checks that need the whole block. */
struct vrrp_read {
	const struct kc_node *iface, *vrid, *advert, *auth, *vips;
	const struct kc_node *peers, *usrc;	/* unicast_peer, unicast_src_ip */
	bool have_iface;
};

/* interface IF: one of the adopted interfaces (unknown ones are reported). */
static void
parse_iface(struct kc_ctx *ctx, const struct kc_node *n, struct lb_cfg_vrrp *v,
	    struct vrrp_read *r)
{
	const struct lb_config *cfg = ctx->cfg;
	unsigned int i;

	r->iface = n;
	if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 1, 1))
		return;
	for (i = 0; i < cfg->nb_ifaces; i++)
		if (strcmp(cfg->ifaces[i].name, n->argv[1]) == 0)
			break;
	if (i == cfg->nb_ifaces)
		return;		/* reported when the interfaces were taken */
	if (cfg->ifaces[i].nb_addrs == 0) {
		kc_err(ctx, n, "'interface': %s has no IPv4 address to send adverts from",
		       n->argv[1]);
		return;
	}
	v->iface = i;
	r->have_iface = true;
}

/* advert_int: whole seconds (v2) or 0.01..40.95 (v3). */
static void
parse_advert(struct kc_ctx *ctx, const struct kc_node *n, struct lb_cfg_vrrp *v)
{
	double secs, off;
	long cs;

	if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 1, 1))
		return;
	if (!kc_parse_secs(n->argv[1], &secs) || secs > 1e6) {
		kc_err(ctx, n, "'advert_int' must be a number of seconds (got '%s')", n->argv[1]);
		return;
	}
	cs = (long)(secs * 100 + 0.5);
	off = secs * 100 - (double)cs;
	off = off < 0 ? -off : off;
	if (v->version == 2 && (cs < 100 || cs > 25500 || cs % 100 != 0 || off > 1e-6))
		kc_err(ctx, n, "'advert_int' must be whole seconds 1..255 with VRRP version 2 "
		       "(got %s)", n->argv[1]);
	else if (v->version == 3 && (cs < 1 || cs > 4095 || off > 1e-6))
		kc_err(ctx, n, "'advert_int' must be 0.01..40.95 seconds in steps of 0.01 with "
		       "VRRP version 3 (got %s)", n->argv[1]);
	else
		v->advert_int_cs = (uint16_t)cs;
}

/* authentication { auth_type PASS|AH; auth_pass SECRET } (version 2 only). */
static void
parse_auth(struct kc_ctx *ctx, const struct kc_node *a, struct lb_cfg_vrrp *v)
{
	const struct kc_node *pass = NULL;
	unsigned int i;

	if (v->version != 2) {
		kc_err(ctx, a, "'authentication' is for VRRP version 2 only (RFC 5798 dropped it)");
		return;
	}
	for (i = 0; i < a->nb_kids; i++) {
		const struct kc_node *n = &a->kids[i];

		if (strcmp(n->argv[0], "auth_type") == 0) {
			if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 1, 1))
				continue;
			if (strcmp(n->argv[1], "PASS") == 0)
				v->auth_type = 1;
			else if (strcmp(n->argv[1], "AH") == 0)
				v->auth_type = 2;
			else
				kc_err(ctx, n, "'auth_type' must be PASS or AH (got '%s')", n->argv[1]);
		} else if (strcmp(n->argv[0], "auth_pass") == 0) {
			if (!kc_block_wrong(ctx, n, false) && kc_nargs(ctx, n, 1, 1))
				pass = n;
		} else {
			kc_unknown(ctx, n, "authentication (expected auth_type, auth_pass)");
		}
	}
	if (v->auth_type == 0) {
		kc_err(ctx, a, "'authentication' has no auth_type (PASS or AH)");
	} else if (pass == NULL) {
		kc_err(ctx, a, "'authentication' has no auth_pass");
	} else if (pass->argv[1][0] == '\0') {
		kc_err(ctx, pass, "'auth_pass' must not be empty");
	} else if (strlen(pass->argv[1]) > 8) {
		kc_err(ctx, pass, "'auth_pass' is %zu characters: VRRP carries 8 (keepalived "
		       "truncates it; write the 8 it uses)", strlen(pass->argv[1]));
	} else {
		strcpy(v->auth_pass, pass->argv[1]);
	}
}

/* One "A.B.C.D[/LEN] [dev IF] [label L] [brd B] [scope S]" line. */
static void
parse_vip(struct kc_ctx *ctx, const struct kc_node *n, struct lb_cfg_vrrp *v)
{
	const struct lb_config *cfg = ctx->cfg;
	unsigned int i, j, k;
	uint32_t addr;
	uint8_t plen;

	if (kc_block_wrong(ctx, n, false))
		return;
	if (lb_parse_ipv4_prefix(n->argv[0], &addr, &plen, false) != 0 || addr == 0 ||
	    (addr >> 28) >= 0xe || (addr >> 24) == 127) {
		kc_err(ctx, n, "virtual_ipaddress '%s' is not a unicast IPv4 address%s",
		       n->argv[0], strchr(n->argv[0], ':') ? " (dplb has no IPv6 yet)" : "");
		return;
	}
	for (i = 1; i < n->argc; i += 2) {
		if (i + 1 == n->argc || (strcmp(n->argv[i], "dev") != 0 &&
		    strcmp(n->argv[i], "label") != 0 && strcmp(n->argv[i], "brd") != 0 &&
		    strcmp(n->argv[i], "scope") != 0)) {
			kc_err(ctx, n, "virtual_ipaddress '%s': '%s' is not supported by dplb yet "
			       "(dev IF, label L, brd B and scope S are)", n->argv[0], n->argv[i]);
			return;
		}
		if (strcmp(n->argv[i], "dev") == 0 &&
		    strcmp(n->argv[i + 1], cfg->ifaces[v->iface].name) != 0) {
			kc_err(ctx, n, "virtual_ipaddress '%s' on dev %s: dplb holds VIPs on the "
			       "instance's interface %s only", n->argv[0], n->argv[i + 1],
			       cfg->ifaces[v->iface].name);
			return;
		}
	}
	for (j = 0; j < cfg->nb_ifaces; j++)
		for (k = 0; k < cfg->ifaces[j].nb_addrs; k++)
			if (cfg->ifaces[j].addrs[k].addr == addr)
				kc_err(ctx, n, "virtual_ipaddress '%s' is an address of interface "
				       "%s", n->argv[0], cfg->ifaces[j].name);
	for (j = 0; j < v->nb_vips; j++)
		if (v->vips[j] == addr)
			kc_err(ctx, n, "virtual_ipaddress '%s' is listed twice", n->argv[0]);
	for (j = 0; j < cfg->nb_vrrp; j++)
		for (k = 0; k < cfg->vrrp[j].nb_vips; k++)
			if (cfg->vrrp[j].vips[k] == addr)
				kc_err(ctx, n, "virtual_ipaddress '%s' already belongs to "
				       "vrrp_instance %s (line %d)", n->argv[0], cfg->vrrp[j].name,
				       cfg->vrrp[j].line);
	if (v->nb_vips == LB_VRRP_MAX_VIPS) {
		kc_err(ctx, n, "virtual_ipaddress: too many addresses (max %d)", LB_VRRP_MAX_VIPS);
		return;
	}
	v->vips[v->nb_vips++] = addr;
}

/* One keyword of the instance; the ones needing the whole block are kept in r. */
static void
parse_kw(struct kc_ctx *ctx, const struct kc_node *n, struct lb_cfg_vrrp *v,
	 struct vrrp_read *r)
{
	const char *kw = n->argv[0];
	unsigned int u;

	if (strcmp(kw, "state") == 0) {
		if (kc_block_wrong(ctx, n, false) || !kc_nargs(ctx, n, 1, 1))
			return;
		if (strcmp(n->argv[1], "MASTER") == 0 || strcmp(n->argv[1], "BACKUP") == 0)
			v->init_master = n->argv[1][0] == 'M';
		else
			kc_err(ctx, n, "'state' must be MASTER or BACKUP (got '%s')", n->argv[1]);
	} else if (strcmp(kw, "interface") == 0) {
		parse_iface(ctx, n, v, r);
	} else if (strcmp(kw, "virtual_router_id") == 0) {
		r->vrid = n;
		if (kc_uint(ctx, n, 1, 255, &u))
			v->vrid = (uint8_t)u;
	} else if (strcmp(kw, "priority") == 0) {
		if (kc_uint(ctx, n, 1, 255, &u))
			v->priority = (uint8_t)u;
	} else if (strcmp(kw, "version") == 0) {
		if (kc_uint(ctx, n, 2, 3, &u))
			v->version = (uint8_t)u;
	} else if (strcmp(kw, "advert_int") == 0) {
		r->advert = n;
	} else if (strcmp(kw, "nopreempt") == 0) {
		if (!kc_block_wrong(ctx, n, false) && kc_nargs(ctx, n, 0, 0))
			v->nopreempt = true;
	} else if (strcmp(kw, "preempt_delay") == 0) {
		kc_uint(ctx, n, 0, 1000, &v->preempt_delay_s);
	} else if (strcmp(kw, "authentication") == 0) {
		if (!kc_block_wrong(ctx, n, true) && kc_nargs(ctx, n, 0, 0))
			r->auth = n;
	} else if (strcmp(kw, "virtual_ipaddress") == 0) {
		if (!kc_block_wrong(ctx, n, true) && kc_nargs(ctx, n, 0, 0))
			r->vips = n;
	} else if (strcmp(kw, "track_script") == 0 || strcmp(kw, "track_interface") == 0) {
		kc_parse_track(ctx, n, v);
	} else if (kc_garp(ctx, n, kw, v)) {
		/* garp_master_repeat, _delay, _refresh, _refresh_repeat */
	} else if (strcmp(kw, "notify_master") == 0) {
		kc_script(ctx, n, v->notify_master);
	} else if (strcmp(kw, "notify_backup") == 0) {
		kc_script(ctx, n, v->notify_backup);
	} else if (strcmp(kw, "notify_fault") == 0) {
		kc_script(ctx, n, v->notify_fault);
	} else if (strcmp(kw, "notify_stop") == 0) {
		kc_script(ctx, n, v->notify_stop);
	} else if (strcmp(kw, "notify") == 0) {
		kc_script(ctx, n, v->notify);
	} else if (strcmp(kw, "unicast_peer") == 0) {
		if (!kc_block_wrong(ctx, n, true) && kc_nargs(ctx, n, 0, 0))
			r->peers = n;
	} else if (strcmp(kw, "unicast_src_ip") == 0) {
		if (!kc_block_wrong(ctx, n, false) && kc_nargs(ctx, n, 1, 1))
			r->usrc = n;
	} else if (!kc_known_other(ctx, n, "vrrp_instance")) {
		kc_unknown(ctx, n, "vrrp_instance");
	}
}

/* The name: an identifier, unique. */
static bool
parse_name(struct kc_ctx *ctx, const struct kc_node *n, struct lb_cfg_vrrp *v)
{
	unsigned int j;

	if (strlen(n->argv[1]) >= sizeof(v->name) || !lb_cfg_is_ident(n->argv[1])) {
		kc_err(ctx, n, "vrrp_instance name '%s' must be 1..%zu characters of A-Z a-z 0-9 "
		       ". _ -", n->argv[1], sizeof(v->name) - 1);
		return false;
	}
	strcpy(v->name, n->argv[1]);
	for (j = 0; j < ctx->cfg->nb_vrrp; j++)
		if (strcmp(ctx->cfg->vrrp[j].name, v->name) == 0)
			kc_err(ctx, n, "vrrp_instance %s is already defined (line %d)", v->name,
			       ctx->cfg->vrrp[j].line);
	return true;
}

void
kc_parse_vrrp(struct kc_ctx *ctx, const struct kc_node *n)
{
	struct lb_config *cfg = ctx->cfg;
	struct vrrp_read r = { 0 };
	struct lb_cfg_vrrp *v;
	unsigned int i;

	if (kc_block_wrong(ctx, n, true) || !kc_nargs(ctx, n, 1, 1))
		return;
	if (cfg->nb_vrrp == LB_MAX_VRRP) {
		kc_err(ctx, n, "too many vrrp_instances (max %d)", LB_MAX_VRRP);
		return;
	}
	v = &cfg->vrrp[cfg->nb_vrrp];
	memset(v, 0, sizeof(*v));
	v->line = n->line;
	v->sync_group = -1;
	v->garp_repeat = ctx->garp.garp_repeat;		/* global_defs vrrp_garp_master_* */
	v->garp_delay_ms = ctx->garp.garp_delay_ms;
	v->garp_refresh_ms = ctx->garp.garp_refresh_ms;
	v->garp_refresh_repeat = ctx->garp.garp_refresh_repeat;
	v->version = (uint8_t)ctx->vrrp_version;
	v->priority = 100;	/* keepalived's default */
	v->advert_int_cs = 100;
	if (!parse_name(ctx, n, v))
		return;
	for (i = 0; i < n->nb_kids; i++)
		parse_kw(ctx, &n->kids[i], v, &r);
	if (r.advert != NULL)
		parse_advert(ctx, r.advert, v);
	if (r.auth != NULL)
		parse_auth(ctx, r.auth, v);
	if (r.iface == NULL)
		kc_err(ctx, n, "vrrp_instance %s has no interface", v->name);
	if (r.vrid == NULL)
		kc_err(ctx, n, "vrrp_instance %s has no virtual_router_id (1..255)", v->name);
	if (r.vips == NULL || r.vips->nb_kids == 0)
		kc_err(ctx, r.vips ? r.vips : n, "vrrp_instance %s has no virtual_ipaddress",
		       v->name);
	for (i = 0; r.have_iface && r.vips != NULL && i < r.vips->nb_kids; i++)
		parse_vip(ctx, &r.vips->kids[i], v);
	if (r.have_iface)
		kc_parse_unicast(ctx, r.peers, r.usrc, v);
	for (i = 0; r.have_iface && v->vrid != 0 && i < cfg->nb_vrrp; i++)
		if (cfg->vrrp[i].iface == v->iface && cfg->vrrp[i].vrid == v->vrid)
			kc_err(ctx, r.vrid, "virtual_router_id %u is already used on interface %s "
			       "by vrrp_instance %s (line %d)", v->vrid, cfg->ifaces[v->iface].name,
			       cfg->vrrp[i].name, cfg->vrrp[i].line);
	cfg->nb_vrrp++;
}
