/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VRRP tracking in the native config, keepalived's vrrp_script and
 * track_script / track_interface:
 *
 * vrrp_scripts = (
 *   { name = "chk_nginx"; script = "pidof nginx"; interval = 2; timeout = 2;
 *     weight = -20; rise = 2; fall = 2; init_fail = false; } );
 * vrrp_instances = ( { ...; track_scripts = [ "chk_nginx" ];
 *                      track_interfaces = [ "eth1" ]; } );
 *
 * The instance's own interface is always tracked: link down is FAULT.
 *
 * vrrp_sync_groups = ( { name = "G1"; group = [ "VI_OUT", "VI_IN" ]; } );
 *   the instances of a group change state together (the client-side VIP and
 *   the servers' gateway of a NAT director).
 */
#include <string.h>

#include "config/parse.h"

#define MS_MAX (3600u * 1000u)

static const char *const script_keys[] = { "name", "script", "interval", "timeout", "weight",
	"rise", "fall", "init_fail", NULL };

static void
parse_script(struct parse_ctx *ctx, const config_setting_t *grp, unsigned int idx)
{
	struct lb_cfg_vrrp_script *s = &ctx->cfg->vrrp_scripts[idx];
	config_setting_t *w = config_setting_get_member(grp, "weight");
	char where[40];
	unsigned int j;

	snprintf(where, sizeof(where), "vrrp_scripts[%u]", idx);
	memset(s, 0, sizeof(*s));
	s->line = config_setting_source_line(grp);
	s->interval_ms = 1000;
	s->rise = s->fall = 1;
	lb_cfg_check_keys(ctx, grp, where, script_keys);
	if (lb_cfg_get_string(ctx, grp, where, "name", s->name, sizeof(s->name)) == NULL ||
	    s->name[0] == '\0' || !lb_cfg_is_ident(s->name))
		lb_cfg_report(ctx, grp, "%s needs a name of A-Z a-z 0-9 . _ -", where);
	for (j = 0; j < idx; j++)
		if (s->name[0] != '\0' && strcmp(ctx->cfg->vrrp_scripts[j].name, s->name) == 0)
			lb_cfg_report(ctx, grp, "%s.name '%s' is already used by vrrp_scripts[%u]",
				      where, s->name, j);
	if (lb_cfg_get_string(ctx, grp, where, "script", s->script, sizeof(s->script)) == NULL ||
	    s->script[0] == '\0')
		lb_cfg_report(ctx, grp, "%s needs script (the command to run)", where);
	lb_cfg_get_ms(ctx, grp, where, "interval", 10, MS_MAX, &s->interval_ms);
	s->timeout_ms = s->interval_ms;
	lb_cfg_get_ms(ctx, grp, where, "timeout", 10, MS_MAX, &s->timeout_ms);
	if (w != NULL && config_setting_type(w) == CONFIG_TYPE_INT &&
	    config_setting_get_int(w) >= -253 && config_setting_get_int(w) <= 253)
		s->weight = config_setting_get_int(w);
	else if (w != NULL)
		lb_cfg_report(ctx, w, "%s.weight must be an integer -253..253", where);
	lb_cfg_get_uint(ctx, grp, where, "rise", 1, 1000, &s->rise);
	lb_cfg_get_uint(ctx, grp, where, "fall", 1, 1000, &s->fall);
	lb_cfg_get_bool(ctx, grp, where, "init_fail", &s->init_fail);
}

void
lb_cfg_parse_vrrp_scripts(struct parse_ctx *ctx, const config_setting_t *root)
{
	ctx->cfg->nb_vrrp_scripts = (unsigned int)lb_cfg_each_group(ctx, root, "vrrp_scripts",
								    LB_MAX_VRRP_SCRIPTS,
								    parse_script);
}

/* Index of the name in list key (scripts or interfaces), or -1 (reported). */
static int
find_name(struct parse_ctx *ctx, const config_setting_t *list, int i, const char *where,
	  const char *key, bool iface)
{
	const char *name = config_setting_get_string_elem(list, i);
	const struct lb_config *cfg = ctx->cfg;
	unsigned int k, n = iface ? cfg->nb_ifaces : cfg->nb_vrrp_scripts;

	for (k = 0; name != NULL && k < n; k++)
		if (strcmp(iface ? cfg->ifaces[k].name : cfg->vrrp_scripts[k].name, name) == 0)
			return (int)k;
	lb_cfg_report(ctx, list, "%s%s[%d] '%s' is not one of the %s", where, key, i,
		      name != NULL ? name : "?", iface ? "interfaces" : "vrrp_scripts");
	return -1;
}

/* track_scripts / track_interfaces of vrrp instance v (after the scripts). */
void
lb_cfg_parse_vrrp_track(struct parse_ctx *ctx, const config_setting_t *grp, const char *where,
			struct lb_cfg_vrrp *v)
{
	static const char *const keys[] = { "track_scripts", "track_interfaces" };
	unsigned int k;
	int i, n, idx;

	for (k = 0; k < 2; k++) {
		config_setting_t *list = config_setting_get_member(grp, keys[k]);
		unsigned int *out = k == 0 ? v->track_scripts : v->track_ifaces;
		unsigned int *nb = k == 0 ? &v->nb_track_scripts : &v->nb_track_ifaces;

		if (list == NULL)
			continue;
		if (!config_setting_is_array(list) && !config_setting_is_list(list)) {
			lb_cfg_report(ctx, list, "%s%s must be a list of names [ \"...\" ]", where,
				      keys[k]);
			continue;
		}
		n = config_setting_length(list);
		if (n > LB_VRRP_MAX_TRACK) {
			lb_cfg_report(ctx, list, "%s%s: too many (max %d)", where, keys[k],
				      LB_VRRP_MAX_TRACK);
			n = LB_VRRP_MAX_TRACK;
		}
		for (i = 0; i < n; i++) {
			idx = find_name(ctx, list, i, where, keys[k], k == 1);
			if (idx >= 0)
				out[(*nb)++] = (unsigned int)idx;
		}
	}
}

static void
parse_sync(struct parse_ctx *ctx, const config_setting_t *grp, unsigned int idx)
{
	static const char *const keys[] = { "name", "group", NULL };
	struct lb_cfg_vrrp_sync *g = &ctx->cfg->vrrp_syncs[idx];
	config_setting_t *list = config_setting_get_member(grp, "group");
	char where[40];
	int i, n, k;

	snprintf(where, sizeof(where), "vrrp_sync_groups[%u]", idx);
	memset(g, 0, sizeof(*g));
	g->line = config_setting_source_line(grp);
	lb_cfg_check_keys(ctx, grp, where, keys);
	if (lb_cfg_get_string(ctx, grp, where, "name", g->name, sizeof(g->name)) == NULL ||
	    !lb_cfg_is_ident(g->name) || g->name[0] == '\0')
		lb_cfg_report(ctx, grp, "%s needs a name of A-Z a-z 0-9 . _ -", where);
	if (list == NULL || (!config_setting_is_array(list) && !config_setting_is_list(list)) ||
	    config_setting_length(list) < 2) {
		lb_cfg_report(ctx, list ? list : grp, "%s.group must list two or more "
			      "vrrp_instances by name", where);
		return;
	}
	n = config_setting_length(list);
	for (i = 0; i < n && i < LB_MAX_VRRP; i++) {
		struct lb_cfg_vrrp *v;

		k = lb_cfg_find_vrrp(ctx->cfg, config_setting_get_string_elem(list, i));
		if (k < 0) {
			lb_cfg_report(ctx, list, "%s.group[%d] '%s' is not one of the vrrp_instances",
				      where, i, config_setting_get_string_elem(list, i) ?
				      config_setting_get_string_elem(list, i) : "?");
			continue;
		}
		v = &ctx->cfg->vrrp[k];
		if (v->sync_group >= 0) {
			lb_cfg_report(ctx, list, "%s.group[%d]: %s is already in vrrp_sync_groups[%d]",
				      where, i, v->name, v->sync_group);
			continue;
		}
		v->sync_group = (int)idx;
		g->members[g->nb_members++] = (unsigned int)k;
	}
}

void
lb_cfg_parse_vrrp_syncs(struct parse_ctx *ctx, const config_setting_t *root)
{
	ctx->cfg->nb_vrrp_syncs = (unsigned int)lb_cfg_each_group(ctx, root, "vrrp_sync_groups",
								  LB_MAX_VRRP_SYNCS, parse_sync);
}

void
lb_cfg_vrrp_garp_defaults(struct lb_cfg_vrrp *v)
{
	v->garp_repeat = 5;
	v->garp_delay_ms = 5000;
	v->garp_refresh_ms = 0;
	v->garp_refresh_repeat = 1;
}
