/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which VIPs to announce, and why: pure, over the running services and
 * what the caller says of quorum, VRRP and shutdown. See announce_priv.h.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "announce/announce_priv.h"

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The VIPs to judge: a's list, else every VIP of cfg, ascending, each once. */
static unsigned int
vip_list(const struct lb_config *cfg, const struct lb_cfg_announce *a, uint32_t *vips,
	 unsigned int max)
{
	unsigned int i, k, n = 0;

	if (a->nb_vips > 0) {
		for (i = 0; i < a->nb_vips && n < max; i++)
			vips[n++] = a->vips[i];
		return n;
	}
	for (i = 0; i < cfg->nb_services && n < max; i++) {
		for (k = 0; k < n && vips[k] != cfg->services[i].vip; k++)
			;
		if (k == n)
			vips[n++] = cfg->services[i].vip;
	}
	qsort(vips, n, sizeof(*vips), cmp_u32);
	return n;
}

/* Judge one VIP's services into *v. */
static void
judge(const struct lb_config *cfg, const struct lb_cfg_announce *a,
      const struct lb_announce_input *in, struct lb_announce_vip *v)
{
	const struct lb_cfg_service *lost = NULL;
	unsigned int i, total = 0, ok = 0;
	char s[16];

	for (i = 0; i < cfg->nb_services; i++) {
		const struct lb_cfg_service *svc = &cfg->services[i];

		if (svc->vip != v->vip)
			continue;
		total++;
		if (in->quorum(svc) > 0)
			ok++;
		else if (lost == NULL)
			lost = svc;
	}
	if (in->stopping) {
		snprintf(v->why, sizeof(v->why), "shutting down");
	} else if (total == 0) {
		snprintf(v->why, sizeof(v->why), "no virtual service");
	} else if (a->require_all ? ok < total : ok == 0) {
		snprintf(v->why, sizeof(v->why), "quorum lost: %s %s:%u (%u of %u services up)",
			 lost->proto == IPPROTO_UDP ? "UDP" : "TCP",
			 lb_ipv4_str(lost->vip, s, sizeof(s)), lost->port, ok, total);
	} else if (in->vrrp_state != NULL && !in->vrrp_master) {
		snprintf(v->why, sizeof(v->why), "vrrp_instance %s is %s", a->vrrp_instance,
			 in->vrrp_state);
	} else {
		v->up = true;
		snprintf(v->why, sizeof(v->why), "quorum %u/%u services%s%s%s", ok, total,
			 in->vrrp_state != NULL ? ", " : "",
			 in->vrrp_state != NULL ? a->vrrp_instance : "",
			 in->vrrp_state != NULL ? " MASTER" : "");
	}
}

unsigned int
lb_announce_select(const struct lb_config *cfg, const struct lb_cfg_announce *a,
		   const struct lb_announce_input *in, struct lb_announce_vip *out,
		   unsigned int max)
{
	uint32_t vips[LB_ANNOUNCE_MAX_VIPS];
	unsigned int i, n;

	n = vip_list(cfg, a, vips, max < LB_ANNOUNCE_MAX_VIPS ? max : LB_ANNOUNCE_MAX_VIPS);
	for (i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].vip = vips[i];
		judge(cfg, a, in, &out[i]);
	}
	return n;
}
