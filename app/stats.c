/* SPDX-License-Identifier: BSD-3-Clause */
/* Drop-reason names and the sum of per-lcore counters. */
#include <inttypes.h>

#include <rte_lcore.h>

#include "app/lcore.h"
#include "app/stats.h"

#define LB_DROP_NAME(name, str) [LB_DROP_##name] = str,
static const char *const drop_names[LB_DROP_MAX] = {
	[LB_DROP_NONE] = "none",
	LB_DROP_REASONS(LB_DROP_NAME)
};
#undef LB_DROP_NAME

const char *
lb_drop_name(enum lb_drop_reason r)
{
	if ((unsigned int)r >= LB_DROP_MAX)
		return "?";
	return drop_names[r];
}

void
lb_stats_add(struct lb_lcore_stats *dst, const struct lb_lcore_stats *src)
{
	unsigned int i;

	dst->rx_pkts += src->rx_pkts;
	dst->rx_bytes += src->rx_bytes;
	dst->tx_pkts += src->tx_pkts;
	dst->to_control += src->to_control;
	dst->from_control += src->from_control;
	dst->busy_polls += src->busy_polls;
	dst->busy_cycles += src->busy_cycles;
	dst->conn_evicted += src->conn_evicted;
	dst->syn_cookies_sent += src->syn_cookies_sent;
	dst->syn_cookies_ok += src->syn_cookies_ok;
	dst->rx_pool_dry += src->rx_pool_dry;
	for (i = 0; i < LB_DROP_MAX; i++)
		dst->drops[i] += src->drops[i];
}

void
lb_stats_total(struct lb_lcore_stats *total)
{
	unsigned int i;

	memset(total, 0, sizeof(*total));
	for (i = 0; i < RTE_MAX_LCORE; i++)
		lb_stats_add(total, &lb_lcores[i].stats);
}

/*
 * One lcore's line: `worker 0 (lcore 1): rx_packets N, tx_packets N,
 * busy_cycles_per_packet N, drops N (no_connection 2, ...)`.
 */
static void
lcore_line(FILE *out, const char *who, unsigned int lcore)
{
	const struct lb_lcore_stats *st = &lb_lcores[lcore].stats;
	uint64_t drops = 0;
	unsigned int i, n = 0;

	for (i = 1; i < LB_DROP_MAX; i++)
		drops += st->drops[i];
	fprintf(out, "%s (lcore %u): rx_packets %" PRIu64 ", tx_packets %" PRIu64
		", busy_cycles_per_packet %" PRIu64 ", drops %" PRIu64, who, lcore,
		st->rx_pkts, st->tx_pkts, st->rx_pkts ? st->busy_cycles / st->rx_pkts : 0, drops);
	for (i = 1; i < LB_DROP_MAX; i++)
		if (st->drops[i] != 0)
			fprintf(out, "%s%s %" PRIu64, n++ ? ", " : " (", lb_drop_name(i), st->drops[i]);
	fputs(n ? ")\n" : "\n", out);
}

void
lb_stats_print(FILE *out)
{
	struct lb_lcore_stats t;
	unsigned int i;

	lb_stats_total(&t);
	fprintf(out, "rx_packets %" PRIu64 "\nrx_bytes %" PRIu64 "\n"
		"tx_packets %" PRIu64 "\nto_control %" PRIu64 "\n"
		"from_control %" PRIu64 "\n",
		t.rx_pkts, t.rx_bytes, t.tx_pkts, t.to_control, t.from_control);
	if (t.conn_evicted != 0)
		fprintf(out, "conn_evicted %" PRIu64 "\n", t.conn_evicted);
	if (t.syn_cookies_sent != 0 || t.syn_cookies_ok != 0)
		fprintf(out, "syn_cookies_sent %" PRIu64 "\nsyn_cookies_ok %" PRIu64 "\n",
			t.syn_cookies_sent, t.syn_cookies_ok);
	if (t.rx_pool_dry != 0)
		fprintf(out, "rx_pool_dry %" PRIu64 "\n", t.rx_pool_dry);
	if (t.busy_polls != 0 && t.rx_pkts != 0)
		fprintf(out, "busy_cycles_per_packet %" PRIu64 "\n",
			t.busy_cycles / t.rx_pkts);
	for (i = 1; i < LB_DROP_MAX; i++)
		if (t.drops[i] != 0)
			fprintf(out, "drop_%s %" PRIu64 "\n", lb_drop_name(i), t.drops[i]);
	for (i = 0; i < lb_nb_workers; i++) {
		char who[32];

		snprintf(who, sizeof(who), "worker %u", i);
		lcore_line(out, who, lb_worker_lcore[i]);
	}
	lcore_line(out, "control", rte_get_main_lcore());	/* ARP, VRRP, ICMP, local */
}
