/* SPDX-License-Identifier: BSD-3-Clause */
/* The service table as ipvsadm -L prints it: plain, --stats, --rate. */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "app/svc_table.h"
#include "sched/sched.h"

#define EST_INTERVAL_S 2

const char *
lb_fwd_name(enum lb_fwd f)
{
	static const char *const names[] = { "Masq", "Route", "Tunnel", "FullNat" };

	return (unsigned int)f < RTE_DIM(names) ? names[f] : "?";
}

char *
lb_addr_port_str(char *buf, size_t len, rte_be32_t a, rte_be16_t p)
{
	char ip[16];

	snprintf(buf, len, "%s:%u", lb_ipv4_str(rte_be_to_cpu_32(a), ip, sizeof(ip)),
		 rte_be_to_cpu_16(p));
	return buf;
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

/* ipvsadm -Z: e's counters read from zero from now on, its rates too. */
static void
zero(struct lb_rate_est *e, const struct lb_counters *c)
{
	sum(c, e->zeroed);
	memset(e->rate, 0, sizeof(e->rate));
}

int
lb_svc_zero(uint8_t proto, rte_be32_t vip, rte_be16_t port)
{
	const struct lb_svc_snapshot *snap = lb_svc_current;
	unsigned int i, j, n = 0;

	for (i = 0; snap != NULL && i < snap->nb_services; i++) {
		const struct lb_service *s = snap->services[i];

		if (proto != 0 && (s->proto != proto || s->vip != vip || s->vport != port))
			continue;
		zero(&s->state->est, s->state->stats);
		for (j = 0; j < s->nb_dests; j++)
			zero(&s->dests[j].state->est, s->dests[j].state->stats);
		n++;
	}
	return proto != 0 && n == 0 ? -ESRCH : 0;
}

/*
 * ipvsadm's print_largenum: 9 columns, scaled with K/M/G/T past 8 digits,
 * or (--exact) every digit in at least 9 columns.
 */
static void
largenum(FILE *out, uint64_t i, bool exact)
{
	if (exact) {
		int len = snprintf(NULL, 0, "%" PRIu64, i);

		fprintf(out, "%*" PRIu64, len <= 8 ? 9 : len + 1, i);
	} else if (i < 100000000ULL)
		fprintf(out, "%9" PRIu64, i);
	else if (i < 1000000000ULL)
		fprintf(out, "%8" PRIu64 "K", i / 1000);
	else if (i < 100000000000ULL)
		fprintf(out, "%8" PRIu64 "M", i / 1000000);
	else if (i < 100000000000000ULL)
		fprintf(out, "%8" PRIu64 "G", i / UINT64_C(1000000000));
	else
		fprintf(out, "%8" PRIu64 "T", i / UINT64_C(1000000000000));
}

/* One line of numbers after name (already padded): --stats or --rate. */
static void
numbers(FILE *out, const struct lb_counters *c, const struct lb_rate_est *e,
	enum lb_svc_view view, bool exact)
{
	uint64_t t[5];
	unsigned int i;

	if (view == LB_SVC_VIEW_STATS) {
		sum(c, t);
		for (i = 0; i < 5; i++)
			t[i] -= e->zeroed[i];
	} else
		for (i = 0; i < 5; i++)
			t[i] = (uint64_t)(e->rate[i] + 0.5);
	for (i = 0; i < 5; i++)
		largenum(out, t[i], exact);
	fputc('\n', out);
}

/* ipvsadm's order: protocol, address, port (services); address, port (servers). */
static int
cmp_services(const void *a, const void *b)
{
	const struct lb_service *x = *(const struct lb_service *const *)a;
	const struct lb_service *y = *(const struct lb_service *const *)b;

	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->vip != y->vip)
		return rte_be_to_cpu_32(x->vip) < rte_be_to_cpu_32(y->vip) ? -1 : 1;
	return (int)rte_be_to_cpu_16(x->vport) - (int)rte_be_to_cpu_16(y->vport);
}

static int
cmp_dests(const void *a, const void *b)
{
	const struct lb_dest *x = *(const struct lb_dest *const *)a;
	const struct lb_dest *y = *(const struct lb_dest *const *)b;

	if (x->addr != y->addr)
		return rte_be_to_cpu_32(x->addr) < rte_be_to_cpu_32(y->addr) ? -1 : 1;
	return (int)rte_be_to_cpu_16(x->port) - (int)rte_be_to_cpu_16(y->port);
}

/* show top's order: busiest first, by connections then packets per second. */
static int
cmp_rates(const struct lb_rate_est *x, const struct lb_rate_est *y)
{
	if (x->rate[0] != y->rate[0])
		return x->rate[0] > y->rate[0] ? -1 : 1;
	if (x->rate[1] != y->rate[1])
		return x->rate[1] > y->rate[1] ? -1 : 1;
	return 0;
}

static int
cmp_services_top(const void *a, const void *b)
{
	const struct lb_service *x = *(const struct lb_service *const *)a;
	const struct lb_service *y = *(const struct lb_service *const *)b;
	int c = cmp_rates(&x->state->est, &y->state->est);

	return c != 0 ? c : cmp_services(a, b);
}

static int
cmp_dests_top(const void *a, const void *b)
{
	const struct lb_dest *x = *(const struct lb_dest *const *)a;
	const struct lb_dest *y = *(const struct lb_dest *const *)b;
	int c = cmp_rates(&x->state->est, &y->state->est);

	return c != 0 ? c : cmp_dests(a, b);
}

/* " (sh-fallback,sh-port)" as ipvsadm prints scheduler flags. */
static void
sched_flags(FILE *out, uint32_t flags)
{
	static const struct { uint32_t f; const char *name; } names[] = {
		{ LB_SVC_F_SH_FALLBACK, "sh-fallback" }, { LB_SVC_F_SH_PORT, "sh-port" },
		{ LB_SVC_F_MH_FALLBACK, "mh-fallback" }, { LB_SVC_F_MH_PORT, "mh-port" },
	};
	unsigned int i, n = 0;

	for (i = 0; i < RTE_DIM(names); i++)
		if (flags & names[i].f)
			fprintf(out, "%s%s", n++ ? "," : " (", names[i].name);
	if (n)
		fputc(')', out);
}

static void
show_service(FILE *out, const struct lb_service *s, enum lb_svc_view view, bool exact)
{
	const struct lb_dest *dests[LB_MAX_RS];
	bool numbers_view = view == LB_SVC_VIEW_STATS || view == LB_SVC_VIEW_RATE ||
			    view == LB_SVC_VIEW_TOP;
	char ap[32], name[48];
	unsigned int j;

	lb_addr_port_str(ap, sizeof(ap), s->vip, s->vport);
	snprintf(name, sizeof(name), "%s  %s", s->proto == IPPROTO_UDP ? "UDP" : "TCP", ap);
	if (numbers_view) {
		fprintf(out, "%-33s", name);
		numbers(out, s->state->stats, &s->state->est, view, exact);
	} else {
		fprintf(out, "%s %s", name, s->sched->name);
		sched_flags(out, s->flags);
		if (s->flags & LB_SVC_F_PERSISTENT)
			fprintf(out, " persistent %u", s->timeout);
		if ((s->flags & LB_SVC_F_PERSISTENT) && s->netmask != 0xffffffff) {
			char m[16];

			fprintf(out, " mask %s", lb_ipv4_str(rte_be_to_cpu_32(s->netmask), m, sizeof(m)));
		}
		fputc('\n', out);
	}
	for (j = 0; j < s->nb_dests; j++)
		dests[j] = &s->dests[j];
	qsort(dests, s->nb_dests, sizeof(dests[0]),
	      view == LB_SVC_VIEW_TOP ? cmp_dests_top : cmp_dests);
	for (j = 0; j < s->nb_dests; j++) {
		const struct lb_dest *d = dests[j];

		lb_addr_port_str(ap, sizeof(ap), d->addr, d->port);
		ap[28] = '\0';		/* ipvsadm cuts the name to its column */
		if (numbers_view) {
			fprintf(out, "  -> %-28s", ap);
			numbers(out, d->state->stats, &d->state->est, view, exact);
		} else if (view == LB_SVC_VIEW_THRESHOLDS) {
			fprintf(out, "  -> %-28s %-10u %-10u %-10d %-10d\n", ap, d->u_threshold,
				d->l_threshold,
				__atomic_load_n(&d->state->activeconns, __ATOMIC_RELAXED),
				__atomic_load_n(&d->state->inactconns, __ATOMIC_RELAXED));
		} else if (view == LB_SVC_VIEW_PERSIST) {
			fprintf(out, "  -> %-28s %-9d %-11d %-10d %-10d\n", ap, d->weight,
				__atomic_load_n(&d->state->persistconns, __ATOMIC_RELAXED),
				__atomic_load_n(&d->state->activeconns, __ATOMIC_RELAXED),
				__atomic_load_n(&d->state->inactconns, __ATOMIC_RELAXED));
		} else {
			fprintf(out, "  -> %-28s %-7s %-6d %-10d %-10d\n", ap, lb_fwd_name(d->fwd),
				d->weight,
				__atomic_load_n(&d->state->activeconns, __ATOMIC_RELAXED),
				__atomic_load_n(&d->state->inactconns, __ATOMIC_RELAXED));
		}
	}
}

void
lb_svc_show(FILE *out, enum lb_svc_view view, bool exact)
{
	const struct lb_svc_snapshot *snap = lb_svc_current;
	const struct lb_service *svcs[LB_MAX_SERVICES];
	unsigned int i, n = snap != NULL ? snap->nb_services : 0;

	if (view == LB_SVC_VIEW_TOP)
		fprintf(out, "dplb top: services and real servers, busiest first "
			"(every second; any key ends)\n");
	else
		fprintf(out, "IP Virtual Server version 1.2.1 (size=4096)\n");
	if (view == LB_SVC_VIEW_STATS)
		fprintf(out, "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
			"Prot LocalAddress:Port", "Conns", "InPkts", "OutPkts", "InBytes",
			"OutBytes");
	else if (view == LB_SVC_VIEW_RATE || view == LB_SVC_VIEW_TOP)
		fprintf(out, "%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
			"Prot LocalAddress:Port", "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");
	else if (view == LB_SVC_VIEW_THRESHOLDS)
		fprintf(out, "Prot LocalAddress:Port            Uthreshold Lthreshold ActiveConn "
			"InActConn\n  -> RemoteAddress:Port\n");
	else if (view == LB_SVC_VIEW_PERSIST)
		fprintf(out, "Prot LocalAddress:Port            Weight    PersistConn ActiveConn "
			"InActConn\n  -> RemoteAddress:Port\n");
	else
		fprintf(out, "Prot LocalAddress:Port Scheduler Flags\n"
			"  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n");
	for (i = 0; i < n; i++)
		svcs[i] = snap->services[i];
	qsort(svcs, n, sizeof(svcs[0]), view == LB_SVC_VIEW_TOP ? cmp_services_top : cmp_services);
	for (i = 0; i < n; i++)
		show_service(out, svcs[i], view, exact);
}
