/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VRRP settings changed by a config reload, applied to the running
 * instances without a restart. See lb_vrrp_reload() in instance.h.
 */
#include <errno.h>
#include <string.h>

#include "app/svc_table.h"
#include "vrrp/diff.h"
#include "vrrp/instance_priv.h"

/* The running instance called name, or NULL. */
static struct instance *
running(const char *name)
{
	unsigned int j;

	for (j = 0; j < lb_vrrp_nb_instances; j++)
		if (strcmp(lb_vrrp_instances[j].cfg->name, name) == 0)
			return &lb_vrrp_instances[j];
	return NULL;
}

/* Index in cfg of the instance that takes over running instance in's name, or -1. */
static int
successor(const struct lb_config *cfg, const struct lb_vrrp_diff *d, const struct instance *in)
{
	unsigned int i;

	for (i = 0; i < cfg->nb_vrrp; i++)
		if (strcmp(cfg->vrrp[i].name, in->cfg->name) == 0)
			return d->old_of[i] >= 0 ? (int)i : -1;
	return -1;
}

static bool
has_vip(const struct lb_cfg_vrrp *c, uint32_t vip)
{
	unsigned int k;

	for (k = 0; k < c->nb_vips; k++)
		if (c->vips[k] == vip)
			return true;
	return false;
}

/* A MASTER stops owning the VIPs that c no longer lists (they stay gated). */
static void
release_vips(struct instance *in, const struct lb_cfg_vrrp *c)
{
	unsigned int k;
	char a[16];

	for (k = 0; k < in->cfg->nb_vips; k++)
		if (!has_vip(c, in->cfg->vips[k])) {
			if (in->fsm.state == LB_VRRP_STATE_MASTER)
				lb_svc_gate_set(in->vips[k], false);
			LOG(NOTICE, "%s: virtual_ipaddress %s removed (reload)", c->name,
			    lb_ipv4_str(in->cfg->vips[k], a, sizeof(a)));
		}
}

/* in takes c (same name, interface, vrid, version); what: LB_VRRP_CH_*. */
static int
update(struct instance *in, const struct lb_config *cfg, const struct lb_cfg_vrrp *c,
       unsigned int what, uint64_t now)
{
	rte_be32_t added[LB_VRRP_MAX_VIPS];
	struct lb_cfg_vrrp old = in->own;
	struct lb_vrrp_fsm_cfg fc;
	unsigned int k, n = 0;
	char a[16];
	int rc;

	in->own = *c;
	lb_vrrp_rebind(in);
	for (k = 0; k < c->nb_vips; k++) {
		in->vips[k] = rte_cpu_to_be_32(c->vips[k]);
		if (has_vip(&old, c->vips[k]))
			continue;
		rc = lb_svc_gate_add(in->vips[k]);
		if (rc != 0)
			LOG(ERR, "%s: cannot gate %s: %s", c->name,
			    lb_ipv4_str(c->vips[k], a, sizeof(a)), strerror(-rc));
		added[n++] = in->vips[k];
		LOG(NOTICE, "%s: virtual_ipaddress %s added (reload)", c->name,
		    lb_ipv4_str(c->vips[k], a, sizeof(a)));
	}
	rc = lb_vrrp_settings(in, cfg, &fc);
	if (rc == 0)
		rc = lb_vrrp_fsm_reconfig(&in->fsm, &fc, now);
	if (rc != 0)
		return rc;
	if (what & LB_VRRP_CH_PRIORITY) {
		LOG(NOTICE, "%s: configured priority %u -> %u (reload)", c->name, in->base_prio,
		    c->priority);
		in->base_prio = c->priority;
	}
	if (what & LB_VRRP_CH_PEERS) {
		memset(&in->uc, 0, sizeof(in->uc));
		lb_vrrp_uc_resolve(&in->uc, c, in->port, now);
	}
	if (in->fsm.state == LB_VRRP_STATE_MASTER && n > 0) {
		for (k = 0; k < n; k++)
			lb_svc_gate_set(added[k], true);
		lb_vrrp_send_garps(in, added, n, c->garp_repeat);
	}
	return 0;
}

int
lb_vrrp_reload(const struct lb_config *cfg, const struct lb_vrrp_diff *d)
{
	static struct instance next[LB_MAX_VRRP];	/* 80 KB: not on the stack */
	struct lb_vrrp_fsm_input stop = { .ev = LB_VRRP_EV_SHUTDOWN };
	bool started[LB_MAX_VRRP] = { false };
	uint64_t now = lb_vrrp_now_us();
	unsigned int i, n = 0;
	enum lb_vrrp_state before;
	struct instance *in;
	int rc, first = 0;

	for (i = 0; i < lb_vrrp_nb_instances; i++) {
		in = &lb_vrrp_instances[i];
		before = in->fsm.state;
		if (successor(cfg, d, in) < 0)
			lb_vrrp_act(in, lb_vrrp_fsm_input(&in->fsm, &stop, now), before,
				    "removed by reload", now, false);
	}
	for (i = 0; i < cfg->nb_vrrp; i++)
		if (d->old_of[i] >= 0 && (in = running(cfg->vrrp[i].name)) != NULL)
			release_vips(in, &cfg->vrrp[i]);
	for (i = 0; i < cfg->nb_vrrp; i++) {
		in = d->old_of[i] >= 0 ? running(cfg->vrrp[i].name) : NULL;
		if (in != NULL) {
			next[n] = *in;
			rc = update(&next[n], cfg, &cfg->vrrp[i], d->what[i], now);
		} else {
			rc = lb_vrrp_setup(&next[n], &cfg->vrrp[i], cfg, now);
			started[n] = true;
		}
		if (rc != 0) {
			LOG(ERR, "%s: cannot apply the reloaded settings (%s); the instance stops "
			    "until a restart", cfg->vrrp[i].name, strerror(-rc));
			first = first ? first : rc;
			continue;
		}
		n++;
	}
	memcpy(lb_vrrp_instances, next, n * sizeof(next[0]));
	lb_vrrp_nb_instances = n;
	lb_vrrp_root = cfg;
	for (i = 0; i < n; i++) {
		lb_vrrp_rebind(&lb_vrrp_instances[i]);
		if (started[i]) {
			LOG(NOTICE, "%s: added (reload)", lb_vrrp_instances[i].cfg->name);
			lb_vrrp_start(&lb_vrrp_instances[i], now);
		}
	}
	lb_vrrp_evaluate_all(now);
	return first;
}
