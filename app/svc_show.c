/* SPDX-License-Identifier: BSD-3-Clause */
/* The service table as ipvsadm -L prints it: plain, --stats, --rate. */
#include <inttypes.h>
#include <netinet/in.h>
#include <string.h>

#include "app/svc_table.h"
#include "sched/sched.h"

#define EST_INTERVAL_S 2

static const char *
fwd_name(enum lb_fwd f)
{
	static const char *const names[] = { "Masq", "Route", "Tunnel", "FullNat" };

	return (unsigned int)f < RTE_DIM(names) ? names[f] : "?";
}

static void
addr_port(char *buf, size_t len, rte_be32_t a, rte_be16_t p)
{
	char ip[16];

	snprintf(buf, len, "%s:%u", lb_ipv4_str(rte_be_to_cpu_32(a), ip, sizeof(ip)),
		 rte_be_to_cpu_16(p));
}

/* The five counters of every worker, summed: conns, in/out pkts, in/out bytes. */
static void
sum(const struct lb_counters *c, uint64_t t[5])
{
	unsigned int w;

	memset(t, 0, 5 * sizeof(t[0]));
	for (w = 0; w < LB_MAX_WORKERS; w++) {
		t[0] += c[w].conns;
		t[1] += c[w].inpkts;
		t[2] += c[w].outpkts;
		t[3] += c[w].inbytes;
		t[4] += c[w].outbytes;
	}
}

static void
estimate(struct lb_rate_est *e, const struct lb_counters *c)
{
	uint64_t now[5];
	unsigned int i;

	sum(c, now);
	for (i = 0; i < 5; i++) {
		double sample = (double)(now[i] - e->last[i]) / EST_INTERVAL_S;

		e->rate[i] += (sample - e->rate[i]) / 4;
		e->last[i] = now[i];
	}
}

void
lb_svc_estimate(void)
{
	static unsigned int calls;
	const struct lb_svc_snapshot *snap = lb_svc_current;
	unsigned int i, j;

	if (++calls % EST_INTERVAL_S != 0 || snap == NULL)
		return;
	for (i = 0; i < snap->nb_services; i++) {
		const struct lb_service *s = snap->services[i];

		estimate(&s->state->est, s->state->stats);
		for (j = 0; j < s->nb_dests; j++)
			estimate(&s->dests[j].state->est, s->dests[j].state->stats);
	}
}

/* One line of numbers: counters (--stats) or rates (--rate). */
static void
numbers(FILE *out, const char *lead, const char *ap, const struct lb_counters *c,
	const struct lb_rate_est *e, enum lb_svc_view view)
{
	uint64_t t[5];
	unsigned int i;

	if (view == LB_SVC_VIEW_STATS)
		sum(c, t);
	else
		for (i = 0; i < 5; i++)
			t[i] = (uint64_t)(e->rate[i] + 0.5);
	fprintf(out, "%s%-*s %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64
		"\n", lead, lead[0] == ' ' ? 28 : 30, ap, t[0], t[1], t[2], t[3], t[4]);
}

void
lb_svc_show(FILE *out, enum lb_svc_view view)
{
	const struct lb_svc_snapshot *snap = lb_svc_current;
	unsigned int i, j;
	char ap[32], lead[8];

	fprintf(out, "IP Virtual Server version 1.2.1 (size=4096)\n");
	if (view == LB_SVC_VIEW_STATS)
		fprintf(out, "Prot LocalAddress:Port               Conns   InPkts  OutPkts"
			"  InBytes OutBytes\n  -> RemoteAddress:Port\n");
	else if (view == LB_SVC_VIEW_RATE)
		fprintf(out, "Prot LocalAddress:Port                 CPS    InPPS   OutPPS"
			"    InBPS   OutBPS\n  -> RemoteAddress:Port\n");
	else
		fprintf(out, "Prot LocalAddress:Port Scheduler Flags\n"
			"  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
	for (i = 0; snap != NULL && i < snap->nb_services; i++) {
		const struct lb_service *s = snap->services[i];
		const char *proto = s->proto == IPPROTO_UDP ? "UDP" : "TCP";

		addr_port(ap, sizeof(ap), s->vip, s->vport);
		if (view != LB_SVC_VIEW_PLAIN) {
			snprintf(lead, sizeof(lead), "%s  ", proto);
			numbers(out, lead, ap, s->state->stats, &s->state->est, view);
		} else {
			fprintf(out, "%s  %s %s", proto, ap, s->sched->name);
			if (s->flags & LB_SVC_F_PERSISTENT)
				fprintf(out, " persistent %u", s->timeout);
			if (s->netmask != 0xffffffff) {
				char m[16];

				fprintf(out, " mask %s",
					lb_ipv4_str(rte_be_to_cpu_32(s->netmask), m, sizeof(m)));
			}
			fputc('\n', out);
		}
		for (j = 0; j < s->nb_dests; j++) {
			const struct lb_dest *d = &s->dests[j];

			addr_port(ap, sizeof(ap), d->addr, d->port);
			if (view != LB_SVC_VIEW_PLAIN)
				numbers(out, "  -> ", ap, d->state->stats, &d->state->est, view);
			else
				fprintf(out, "  -> %-28s %-7s %-6d %-10d %-10d\n", ap,
					fwd_name(d->fwd), d->weight,
					__atomic_load_n(&d->state->activeconns, __ATOMIC_RELAXED),
					__atomic_load_n(&d->state->inactconns, __ATOMIC_RELAXED));
		}
	}
}
