/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The running services as configured, without what health checks did to
 * them: what `config save` writes. See lb_health_monitor_configured().
 */
#include <string.h>

#include "health/monitor_priv.h"

void
lb_health_monitor_configured(struct lb_config *cfg)
{
	unsigned int i, k;
	int r;

	for (i = 0; i < lb_hm.nb_svcs; i++) {
		const struct hsvc *s = &lb_hm.svcs[i];
		struct lb_cfg_service *svc = lb_cfg_find_service(cfg, s->proto, s->vip, s->port);

		if (svc == NULL)
			continue;	/* deleted with ipvsadm -D */
		r = s->q.sorry_active ? lb_cfg_find_rs(svc, s->sorry.addr, s->sorry.port) : -1;
		if (r >= 0) {
			memmove(&svc->rs[r], &svc->rs[r + 1], (svc->nb_rs - (unsigned int)r - 1) *
				sizeof(svc->rs[0]));
			svc->nb_rs--;
		}
		for (k = s->first; k < s->first + s->nb; k++) {
			const struct target *t = &lb_hm.targets[k];

			if (lb_hm_alive(t) && !s->q.sorry_active)
				continue;	/* in the pool as the operator left it */
			r = lb_cfg_find_rs(svc, t->rs.addr, t->rs.port);
			if (r >= 0 && svc->rs[r].weight == 0 && t->rs.inhibit_on_failure)
				svc->rs[r].weight = t->rs.weight;
			else if (r < 0 && svc->nb_rs < LB_MAX_RS)
				svc->rs[svc->nb_rs++] = t->rs;
		}
	}
}
