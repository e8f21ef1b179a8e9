/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * keepalived.conf VRRP tracking: vrrp_script blocks and an instance's
 * track_script / track_interface, into the same fields as the native
 * vrrp_scripts / track_scripts / track_interfaces.
 */
#include <stdlib.h>
#include <string.h>

#include "config/keepalived.h"
#include "config/parse.h"

#define MS_MAX (3600u * 1000u)

/* One keyword of a vrrp_script block. */
static void
script_kw(struct kc_ctx *ctx, const struct kc_node *k, struct lb_cfg_vrrp_script *s,
	  bool *timeout_set)
{
	const char *kw = k->argv[0];
	char *end;
	long w;

	if (strcmp(kw, "script") == 0) {
		kc_script(ctx, k, s->script);
	} else if (strcmp(kw, "interval") == 0) {
		kc_ms(ctx, k, 10, MS_MAX, &s->interval_ms);
	} else if (strcmp(kw, "timeout") == 0) {
		*timeout_set = kc_ms(ctx, k, 10, MS_MAX, &s->timeout_ms);
	} else if (strcmp(kw, "weight") == 0) {
		if (kc_block_wrong(ctx, k, false) || !kc_nargs(ctx, k, 1, 2))
			return;
		w = strtol(k->argv[1], &end, 10);
		if (*end != '\0' || w < -253 || w > 253)
			kc_err(ctx, k, "'weight' must be an integer -253..253 (got '%s')",
			       k->argv[1]);
		else if (k->argc == 3)
			kc_err(ctx, k, "'weight ... %s' is not supported by dplb yet (it would "
			       "apply the weight the other way round)", k->argv[2]);
		else
			s->weight = (int32_t)w;
	} else if (strcmp(kw, "rise") == 0) {
		kc_uint(ctx, k, 1, 1000, &s->rise);
	} else if (strcmp(kw, "fall") == 0) {
		kc_uint(ctx, k, 1, 1000, &s->fall);
	} else if (strcmp(kw, "init_fail") == 0) {
		if (!kc_block_wrong(ctx, k, false) && kc_nargs(ctx, k, 0, 0))
			s->init_fail = true;
	} else if (strcmp(kw, "user") == 0) {
		kc_err(ctx, k, "'user' is not supported by dplb yet (it would run the script as "
		       "another user; it runs as dplb's)");
	} else {
		kc_unknown(ctx, k, "vrrp_script (expected script, interval, timeout, weight, "
			   "rise, fall, init_fail)");
	}
}

void
kc_parse_vrrp_script(struct kc_ctx *ctx, const struct kc_node *n)
{
	struct lb_config *cfg = ctx->cfg;
	struct lb_cfg_vrrp_script *s;
	bool timeout_set = false;
	unsigned int i;

	if (kc_block_wrong(ctx, n, true) || !kc_nargs(ctx, n, 1, 1))
		return;
	if (cfg->nb_vrrp_scripts == LB_MAX_VRRP_SCRIPTS) {
		kc_err(ctx, n, "too many vrrp_scripts (max %d)", LB_MAX_VRRP_SCRIPTS);
		return;
	}
	s = &cfg->vrrp_scripts[cfg->nb_vrrp_scripts];
	memset(s, 0, sizeof(*s));
	s->line = n->line;
	s->interval_ms = 1000;
	s->rise = s->fall = 1;
	if (strlen(n->argv[1]) >= sizeof(s->name) || !lb_cfg_is_ident(n->argv[1])) {
		kc_err(ctx, n, "vrrp_script name '%s' must be 1..%zu characters of A-Z a-z 0-9 . _ -",
		       n->argv[1], sizeof(s->name) - 1);
		return;
	}
	strcpy(s->name, n->argv[1]);
	for (i = 0; i < cfg->nb_vrrp_scripts; i++)
		if (strcmp(cfg->vrrp_scripts[i].name, s->name) == 0)
			kc_err(ctx, n, "vrrp_script %s is already defined (line %d)", s->name,
			       cfg->vrrp_scripts[i].line);
	for (i = 0; i < n->nb_kids; i++)
		script_kw(ctx, &n->kids[i], s, &timeout_set);
	if (s->script[0] == '\0')
		kc_err(ctx, n, "vrrp_script %s has no script", s->name);
	if (!timeout_set)
		s->timeout_ms = s->interval_ms;
	cfg->nb_vrrp_scripts++;
}

void
kc_parse_track(struct kc_ctx *ctx, const struct kc_node *n, struct lb_cfg_vrrp *v)
{
	const bool iface = strcmp(n->argv[0], "track_interface") == 0;
	const struct lb_config *cfg = ctx->cfg;
	unsigned int i, k, count;

	if (kc_block_wrong(ctx, n, true) || !kc_nargs(ctx, n, 0, 0))
		return;
	for (i = 0; i < n->nb_kids; i++) {
		const struct kc_node *e = &n->kids[i];

		if (e->block || e->argc != 1) {
			kc_err(ctx, e, "%s: '%s' with a weight is not supported by dplb yet (the "
			       "%s's own weight applies)", n->argv[0], e->argv[0],
			       iface ? "interface: FAULT when down;" : "vrrp_script");
			continue;
		}
		count = iface ? cfg->nb_ifaces : cfg->nb_vrrp_scripts;
		for (k = 0; k < count; k++)
			if (strcmp(iface ? cfg->ifaces[k].name : cfg->vrrp_scripts[k].name,
				   e->argv[0]) == 0)
				break;
		if (k == count) {
			kc_err(ctx, e, iface ? "track_interface '%s' is not an interface dplb drives "
			       "(only those the file uses become dplb ports)" :
			       "track_script '%s' is not a vrrp_script of this file", e->argv[0]);
			continue;
		}
		if ((iface ? v->nb_track_ifaces : v->nb_track_scripts) == LB_VRRP_MAX_TRACK) {
			kc_err(ctx, e, "%s: too many (max %d)", n->argv[0], LB_VRRP_MAX_TRACK);
			return;
		}
		if (iface)
			v->track_ifaces[v->nb_track_ifaces++] = k;
		else
			v->track_scripts[v->nb_track_scripts++] = k;
	}
}

/* vrrp_sync_group NAME { group { VI_1 VI_2 ... } } (after the instances). */
void
kc_parse_sync_group(struct kc_ctx *ctx, const struct kc_node *n)
{
	struct lb_config *cfg = ctx->cfg;
	struct lb_cfg_vrrp_sync *g;
	const struct kc_node *members = NULL;
	unsigned int i, k;

	if (kc_block_wrong(ctx, n, true) || !kc_nargs(ctx, n, 1, 1))
		return;
	if (cfg->nb_vrrp_syncs == LB_MAX_VRRP_SYNCS) {
		kc_err(ctx, n, "too many vrrp_sync_groups (max %d)", LB_MAX_VRRP_SYNCS);
		return;
	}
	g = &cfg->vrrp_syncs[cfg->nb_vrrp_syncs];
	memset(g, 0, sizeof(*g));
	g->line = n->line;
	if (strlen(n->argv[1]) >= sizeof(g->name) || !lb_cfg_is_ident(n->argv[1])) {
		kc_err(ctx, n, "vrrp_sync_group name '%s' must be 1..%zu characters of A-Z a-z "
		       "0-9 . _ -", n->argv[1], sizeof(g->name) - 1);
		return;
	}
	strcpy(g->name, n->argv[1]);
	for (i = 0; i < n->nb_kids; i++) {
		const struct kc_node *k2 = &n->kids[i];

		if (strcmp(k2->argv[0], "group") == 0 && !kc_block_wrong(ctx, k2, true))
			members = k2;
		else if (strncmp(k2->argv[0], "notify", 6) == 0 ||
			 strcmp(k2->argv[0], "smtp_alert") == 0 ||
			 strcmp(k2->argv[0], "global_tracking") == 0 ||
			 strncmp(k2->argv[0], "track_", 6) == 0)
			kc_err(ctx, k2, "'%s' in a vrrp_sync_group is not supported by dplb yet "
			       "(set it on the vrrp_instances)", k2->argv[0]);
		else
			kc_unknown(ctx, k2, "vrrp_sync_group (expected group)");
	}
	if (members == NULL || members->nb_kids < 2) {
		kc_err(ctx, members ? members : n, "vrrp_sync_group %s: group { } must name two or "
		       "more vrrp_instances", g->name);
		return;
	}
	for (i = 0; i < members->nb_kids; i++) {
		const struct kc_node *m = &members->kids[i];

		for (k = 0; k < cfg->nb_vrrp; k++)
			if (strcmp(cfg->vrrp[k].name, m->argv[0]) == 0)
				break;
		if (k == cfg->nb_vrrp) {
			kc_err(ctx, m, "vrrp_sync_group %s: '%s' is not a vrrp_instance", g->name,
			       m->argv[0]);
			continue;
		}
		if (cfg->vrrp[k].sync_group >= 0) {
			kc_err(ctx, m, "vrrp_instance %s is already in another vrrp_sync_group",
			       m->argv[0]);
			continue;
		}
		cfg->vrrp[k].sync_group = (int)cfg->nb_vrrp_syncs;
		g->members[g->nb_members++] = k;
	}
	cfg->nb_vrrp_syncs++;
}

bool
kc_garp(struct kc_ctx *ctx, const struct kc_node *n, const char *kw, struct lb_cfg_vrrp *v)
{
	if (strcmp(kw, "garp_master_repeat") == 0)
		kc_uint(ctx, n, 1, 255, &v->garp_repeat);
	else if (strcmp(kw, "garp_master_delay") == 0)
		kc_ms(ctx, n, 0, 1000000, &v->garp_delay_ms);
	else if (strcmp(kw, "garp_master_refresh") == 0)
		kc_ms(ctx, n, 0, 86400000, &v->garp_refresh_ms);
	else if (strcmp(kw, "garp_master_refresh_repeat") == 0)
		kc_uint(ctx, n, 1, 255, &v->garp_refresh_repeat);
	else
		return false;
	return true;
}
