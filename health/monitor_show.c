/* SPDX-License-Identifier: BSD-3-Clause */
/* `show health`, and what the rest of dplb asks the monitor (checkers, quorum). */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "health/monitor_priv.h"

static void
show_probe(FILE *out, const struct hprobe *hp, uint64_t now)
{
	const struct lb_health_checker *c = &hp->p.chk;
	const struct sockaddr_in *d = (const struct sockaddr_in *)&hp->p.dst;
	char ep[24], what[300];
	const char *state;

	lb_hm_ep_str(ntohl(d->sin_addr.s_addr), ntohs(d->sin_port), ep, sizeof(ep));
	if (hp->cfg->type == LB_CHECK_HTTP)
		snprintf(what, sizeof(what), "%s  %s%s", hp->cfg->tls ? "SSL_GET " : "HTTP_GET",
			 ep, hp->cfg->urls[hp->url].path);
	else if (hp->cfg->type == LB_CHECK_MISC)
		snprintf(what, sizeof(what), "MISC_CHECK %.60s", hp->cfg->misc_path);
	else
		snprintf(what, sizeof(what), "TCP_CHECK %s", ep);
	state = !c->has_run && !c->is_up ? "DOWN" : !c->has_run ? "PENDING" :
		c->is_up ? "UP" : "DOWN";
	fprintf(out, "      %-40s %-7s ok %" PRIu64 " fail %" PRIu64, what, state, c->nb_ok,
		c->nb_fail);
	if (c->running)
		fputs(" (checking)", out);
	else if (c->next_at > now)
		fprintf(out, " next in %.1f s", (double)(c->next_at - now) / 1e6);
	if (c->has_run)
		fprintf(out, ", last took %.1f ms", (double)c->last_duration / 1e3);
	if (c->last_error[0] != '\0')
		fprintf(out, ", last error: %s", c->last_error);
	fputc('\n', out);
}

void
lb_health_monitor_show(FILE *out, uint64_t now_us)
{
	char ep[24], sv[32];
	unsigned int i, k, p;

	if (lb_hm.nb_svcs == 0) {
		fputs("no health checks configured\n", out);
		return;
	}
	for (i = 0; i < lb_hm.nb_svcs; i++) {
		const struct hsvc *s = &lb_hm.svcs[i];

		fprintf(out, "%s  quorum %s (live weight %" PRIu64 ", quorum %" PRIu64
			", hysteresis %" PRIu64 ")", lb_hm_svc_str(s, sv, sizeof(sv)),
			s->q.up ? "UP" : "LOST", lb_hm_live_weight(s), s->q.quorum, s->q.hysteresis);
		if (s->has_sorry)
			fprintf(out, "  sorry_server %s %s",
				lb_hm_ep_str(s->sorry.addr, s->sorry.port, ep, sizeof(ep)),
				s->q.sorry_active ? "ACTIVE" : "standby");
		fputc('\n', out);
		for (k = s->first; k < s->first + s->nb; k++) {
			const struct target *t = &lb_hm.targets[k];

			fprintf(out, "  -> %-21s %-5s weight %u%s, %u checker(s), %u failing",
				lb_hm_ep_str(t->rs.addr, t->rs.port, ep, sizeof(ep)),
				lb_hm_alive(t) ? "ALIVE" : "DEAD", t->rs.weight,
				t->rs.inhibit_on_failure ? " (inhibit_on_failure)" : "",
				t->hrs.nb_checkers, t->hrs.nb_failed);
			if (t->passive_down && now_us < t->passive_until)
				fprintf(out, ", passive back-off %.1f s left",
					(double)(t->passive_until - now_us) / 1e6);
			else if (t->passive_down)
				fprintf(out, ", passive back-off over, re-checking");
			fputc('\n', out);
			for (p = t->first; p < t->first + t->nb; p++)
				show_probe(out, &lb_hm.probes[p], now_us);
		}
	}
}

unsigned int
lb_health_count(void)
{
	return lb_hm.nb_probes;
}

int
lb_health_info(unsigned int i, struct lb_health_info *out)
{
	const struct hprobe *hp;
	const struct target *t;
	const struct hsvc *s;

	if (i >= lb_hm.nb_probes)
		return -ENOENT;
	hp = &lb_hm.probes[i];
	t = &lb_hm.targets[hp->target];
	s = &lb_hm.svcs[t->svc];
	memset(out, 0, sizeof(*out));
	out->proto = s->proto;
	out->vip = s->vip;
	out->vport = s->port;
	out->addr = t->rs.addr;
	out->port = t->rs.port;
	if (hp->cfg->type == LB_CHECK_HTTP) {
		out->type = hp->cfg->tls ? "SSL_GET" : "HTTP_GET";
		snprintf(out->target, sizeof(out->target), "%.*s", (int)sizeof(out->target) - 1,
			 hp->cfg->urls[hp->url].path);
	} else if (hp->cfg->type == LB_CHECK_MISC) {
		out->type = "MISC_CHECK";
		snprintf(out->target, sizeof(out->target), "%.*s", (int)sizeof(out->target) - 1,
			 hp->cfg->misc_path);
	} else
		out->type = "TCP_CHECK";
	out->rs_alive = lb_hm_alive(t);
	out->up = hp->p.chk.is_up;
	out->has_run = hp->p.chk.has_run;
	out->nb_ok = hp->p.chk.nb_ok;
	out->nb_fail = hp->p.chk.nb_fail;
	out->last_duration_us = hp->p.chk.last_duration;
	snprintf(out->last_error, sizeof(out->last_error), "%s", hp->p.chk.last_error);
	return 0;
}

int
lb_health_quorum_state(uint8_t proto, uint32_t vip, uint16_t port)
{
	unsigned int i;

	for (i = 0; i < lb_hm.nb_svcs; i++) {
		const struct hsvc *s = &lb_hm.svcs[i];

		if (s->proto == proto && s->vip == vip && s->port == port)
			return s->q.up ? 1 : 0;
	}
	return -ENOENT;
}
