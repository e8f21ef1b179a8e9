/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The passive health check: once a second, the SYNs each real server of a
 * service with passive_failures refused (RST) since the last look, as the
 * workers counted them (lb_hm.fails). That many or more takes the server
 * out for its back-off; at the end of it, the server comes back if its
 * checkers pass. The back-off doubles (up to 8 times passive_backoff) when
 * the server fails again within twice its back-off of coming back.
 */
#include "health/monitor_priv.h"

#define BACKOFF_MAX_FACTOR 8

static void
passive_fail(struct hsvc *s, struct target *t, uint32_t refused, uint64_t now)
{
	char why[96];

	if (t->backoff != 0 && now - t->readmitted_at < 2 * t->backoff)
		t->backoff = t->backoff * 2 < s->passive_backoff * BACKOFF_MAX_FACTOR ?
			     t->backoff * 2 : s->passive_backoff * BACKOFF_MAX_FACTOR;
	else
		t->backoff = s->passive_backoff;
	t->passive_until = now + t->backoff;
	snprintf(why, sizeof(why), "passive: %u connection(s) refused in 1 s; back-off %.1f s",
		 refused, (double)t->backoff / 1e6);
	t->passive_down = true;		/* first: quorum counts it out */
	lb_hm_rs_changed(s, t, false, why);
}

static void
passive_readmit(struct hsvc *s, struct target *t, uint64_t now)
{
	char ep[24], sv[32];

	t->passive_down = false;
	t->readmitted_at = now;
	t->pf_resync = true;	/* a new state object may restart the count */
	if (t->hrs.alive) {
		lb_hm_rs_changed(s, t, true, "passive back-off over, checkers pass");
		return;
	}
	LOG(NOTICE, "real server %s of %s: passive back-off over; its checkers still fail",
	    lb_hm_ep_str(t->rs.addr, t->rs.port, ep, sizeof(ep)),
	    lb_hm_svc_str(s, sv, sizeof(sv)));
}

void
lb_hm_passive_scan(uint64_t now)
{
	unsigned int i, k;

	if (lb_hm.fails == NULL)
		return;
	for (i = 0; i < lb_hm.nb_svcs; i++) {
		struct hsvc *s = &lb_hm.svcs[i];

		if (s->passive_failures == 0)
			continue;
		for (k = s->first; k < s->first + s->nb; k++) {
			struct target *t = &lb_hm.targets[k];
			uint32_t cur = lb_hm.fails(s->proto, s->vip, s->port, t->rs.addr,
						   t->rs.port);
			uint32_t refused = cur - t->pf_last;

			if (t->pf_resync || cur < t->pf_last)
				refused = 0;
			t->pf_resync = false;
			t->pf_last = cur;
			if (t->passive_down) {
				if (now >= t->passive_until)
					passive_readmit(s, t, now);
				continue;
			}
			if (lb_hm_alive(t) && refused >= s->passive_failures)
				passive_fail(s, t, refused, now);
		}
	}
}
