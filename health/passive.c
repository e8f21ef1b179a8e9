/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The passive health check: once a second, the SYNs each real server of a
 * service with passive_failures refused (RST) since the last look, as the
 * workers counted them (lb_hm.fails). That many or more takes the server
 * out for its back-off. At its end each checker must have passed an
 * attempt started since the failure (one is started at once for those that
 * have none): a stale pass from before the failure would let a dead server
 * back in. A fresh failure keeps it out for another back-off of the same
 * length, then it is checked again, and so on. The back-off
 * doubles (up to 8 times passive_backoff) when the server fails again within
 * twice its back-off of coming back.
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
	t->passive_since = now;
	t->passive_until = now + t->backoff;
	snprintf(why, sizeof(why), "passive: %u connection(s) refused in 1 s; back-off %.1f s",
		 refused, (double)t->backoff / 1e6);
	t->passive_down = true;		/* first: quorum counts it out */
	lb_hm_rs_changed(s, t, false, why);
}

/* The verdict of t's checkers on attempts started since its passive failure. */
static enum lb_health_verdict
fresh_verdict(struct target *t, uint64_t now, const char **why)
{
	enum lb_health_verdict all = LB_HEALTH_VERDICT_PASS;
	unsigned int p;

	for (p = t->first; p < t->first + t->nb; p++) {
		struct lb_health_checker *c = &lb_hm.probes[p].p.chk;

		switch (lb_health_checker_verdict_since(c, t->passive_since)) {
		case LB_HEALTH_VERDICT_FAIL:
			*why = c->last_error;
			return LB_HEALTH_VERDICT_FAIL;
		case LB_HEALTH_VERDICT_PENDING:
			lb_health_checker_kick(c, now);
			all = LB_HEALTH_VERDICT_PENDING;
			break;
		case LB_HEALTH_VERDICT_PASS:
			break;
		}
	}
	return all;
}

/* t's back-off is over: back in once fresh checks pass, else out again. */
static void
passive_end(struct hsvc *s, struct target *t, uint64_t now)
{
	const char *why = "";
	char ep[24], sv[32];

	switch (fresh_verdict(t, now, &why)) {
	case LB_HEALTH_VERDICT_PENDING:
		return;		/* a fresh attempt runs; look again soon */
	case LB_HEALTH_VERDICT_PASS:
		t->passive_down = false;
		t->readmitted_at = now;
		t->pf_resync = true;	/* a new state object may restart the count */
		lb_hm_rs_changed(s, t, true, "passive back-off over, checkers pass");
		return;
	case LB_HEALTH_VERDICT_FAIL:
		break;
	}
	/* out for another round (same length: it was never let in to flap) */
	t->passive_since = now;
	t->passive_until = now + t->backoff;
	LOG(NOTICE, "real server %s of %s: passive back-off over but a fresh check failed (%s); out %.1f s more",
	    lb_hm_ep_str(t->rs.addr, t->rs.port, ep, sizeof(ep)),
	    lb_hm_svc_str(s, sv, sizeof(sv)), why, (double)t->backoff / 1e6);
}

/* SYNs t refused since the last count (0 when its count restarted). */
static uint32_t
refused_since_last(const struct hsvc *s, struct target *t)
{
	uint32_t cur = lb_hm.fails(s->proto, s->vip, s->port, t->rs.addr, t->rs.port);
	uint32_t refused = cur - t->pf_last;

	if (t->pf_resync || cur < t->pf_last)
		refused = 0;
	t->pf_resync = false;
	t->pf_last = cur;
	return refused;
}

void
lb_hm_passive_scan(uint64_t now, bool count)
{
	unsigned int i, k;

	count = count && lb_hm.fails != NULL;
	for (i = 0; i < lb_hm.nb_svcs; i++) {
		struct hsvc *s = &lb_hm.svcs[i];

		if (s->passive_failures == 0)
			continue;
		for (k = s->first; k < s->first + s->nb; k++) {
			struct target *t = &lb_hm.targets[k];
			uint32_t refused = count ? refused_since_last(s, t) : 0;

			if (t->passive_down) {
				if (now >= t->passive_until)
					passive_end(s, t, now);
			} else if (count && lb_hm_alive(t) && refused >= s->passive_failures) {
				passive_fail(s, t, refused, now);
			}
		}
	}
}
