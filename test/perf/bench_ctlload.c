/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control-plane load against the worker: the pipeline benchmark's NAT
 * established scenario on one worker while the control lcore is idle (it
 * sleeps 200 us at a time, as dplb's control loop does when there is no
 * work) and while it runs dplb's control-plane work:
 *   - a VRRPv3 instance, MASTER, advertising every 10 ms (the adverts go
 *     out through the worker's from-control ring and TX queue, as in dplb);
 *   - 1,000 TCP health checks per second (1,000 TCP_CHECK probes with a
 *     delay_loop of 1 s, against a listener on 127.0.0.1, on the epoll set
 *     the control lcore uses);
 *   - an mh table rebuild every second: lb_svc_apply() of the whole
 *     service set, which holds an mh service of 16 real servers (table of
 *     65,537 slots), publishing the new snapshot with RCU, as a reload does.
 * Idle and loaded runs alternate (ROUNDS each); prints their median Mpps,
 * the ratio, and what the control lcore did; then the same from the bursts
 * run at the core's top speed only (bench_fast_median), which a host that
 * slows the core now and then does not sway. The checks and adverts pause
 * during idle runs, so each loaded run starts with every probe due at once
 * (1,000 connects in a burst, then again each second): harsher than
 * dplb's spread-out probes. Never fails on timing: exits 2 when it cannot
 * run.
 *
 * Usage: bench_ctlload [--lcores=0-1] [--mem=auto|huge|nohuge] [--quick]
 */
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>

#include "app/conn.h"
#include "app/lcore.h"
#include "app/svc_table.h"
#include "config/parse.h"
#include "health/monitor.h"
#include "pmd-glue/port.h"
#include "test/perf/bench_checks.h"
#include "test/perf/bench_pipeline.h"
#include "vrrp/instance.h"

#define ROUNDS		3
#define NB_CHECKS	1000
#define MH_RS		16
#define IP4(a, b, c, d) \
	(((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

struct load {
	struct bench_checks *checks;
	uint64_t next_rebuild_us;
	unsigned int rebuilds, rebuild_fail;
	uint64_t rebuild_us, rebuild_max_us;	/* time in lb_svc_apply: sum, longest */
	uint64_t last_us, gap_max_us;		/* longest time from a poll to the next */
};

static struct bench_env env;

/* The control lcore's work while the worker runs (bench_run_jobs callback). */
static void
control_poll(void *arg)
{
	const struct timespec idle = { 0, 200000 };
	struct load *l = arg;
	uint64_t now = lb_health_now_us();
	unsigned int work;

	if (l->last_us != 0 && now - l->last_us > l->gap_max_us)
		l->gap_max_us = now - l->last_us;
	lb_vrrp_poll();
	work = bench_checks_poll(l->checks, now);
	if (now >= l->next_rebuild_us) {
		uint64_t t0 = lb_health_now_us(), took;

		if (lb_svc_apply(&env.cfg, lb_nb_workers) == 0)
			l->rebuilds++;
		else
			l->rebuild_fail++;
		took = lb_health_now_us() - t0;
		l->rebuild_us += took;
		l->rebuild_max_us = took > l->rebuild_max_us ? took : l->rebuild_max_us;
		l->next_rebuild_us = now + 1000000;
		work++;
	}
	l->last_us = now;
	if (work == 0)
		nanosleep(&idle, NULL);
}

/* An mh service of MH_RS DR real servers and a VRRPv3 instance, 10 ms adverts. */
static int
add_control_config(struct lb_config *cfg)
{
	struct lb_cfg_service *s, *svcs;
	struct lb_cfg_vrrp *v = &cfg->vrrp[0];
	unsigned int i;

	svcs = realloc(cfg->services, (cfg->nb_services + 1) * sizeof(*svcs));
	if (svcs == NULL)
		return -1;
	cfg->services = svcs;
	s = &svcs[cfg->nb_services++];
	memset(s, 0, sizeof(*s));
	s->proto = IPPROTO_TCP;
	s->vip = IP4(198, 18, 1, 110);
	s->port = 80;
	snprintf(s->sched, sizeof(s->sched), "mh");
	for (i = 0; i < MH_RS; i++)
		s->rs[i] = (struct lb_cfg_rs){ .addr = IP4(198, 18, 2, 60 + i), .port = 80,
					       .fwd = LB_FWD_DR, .weight = 1 };
	s->nb_rs = MH_RS;
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "VI_bench");
	lb_cfg_vrrp_garp_defaults(v);
	v->sync_group = -1;
	v->iface = 0;
	v->vrid = 51;
	v->priority = 255;		/* the address owner: MASTER at once */
	v->version = 3;
	v->init_master = true;
	v->advert_int_cs = 1;		/* 10 ms */
	v->vips[v->nb_vips++] = IP4(198, 18, 1, 200);
	cfg->nb_vrrp = 1;
	return 0;
}

/* ms per lb_svc_apply() of the whole service set, workers stopped. */
static double
apply_ms(unsigned int n)
{
	uint64_t t0 = lb_health_now_us();
	unsigned int i;

	for (i = 0; i < n; i++)
		lb_svc_apply(&env.cfg, lb_nb_workers);
	return (lb_health_now_us() - t0) / 1e3 / n;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Mpps of each run from the bursts that ran at the core's top speed, all
 * runs held to the lowest clock reading of them all (bench_fast_median):
 * on a host that slows the core now and then, idle and loaded compared
 * at the same speed. fast[m][r] 0: no burst of that run was.
 */
static void
fast_mpps(uint32_t *bursts[2][ROUNDS], float *clock[2][ROUNDS], uint64_t nb_bursts,
	  double fast[2][ROUNDS], double share[2][ROUNDS], float *low)
{
	const double hz = (double)rte_get_tsc_hz();
	unsigned int m, r;

	*low = FLT_MAX;
	for (m = 0; m < 2; m++)
		for (r = 0; r < ROUNDS; r++)
			*low = RTE_MIN(*low, bench_clock_low(clock[m][r], nb_bursts));
	for (m = 0; m < 2; m++)
		for (r = 0; r < ROUNDS; r++) {
			double c = bench_fast_median(bursts[m][r], clock[m][r], nb_bursts, *low,
						     &share[m][r]);

			fast[m][r] = c > 0 ? hz / c / 1e6 : 0;
		}
}

/* The median of the n non-zero values of v (sorted in place), 0 if none. */
static double
median_nonzero(double *v, unsigned int n)
{
	unsigned int i = 0;

	qsort(v, n, sizeof(double), cmp_double);
	while (i < n && v[i] == 0)
		i++;
	return i < n ? v[i + (n - i) / 2] : 0;
}

/* Median Mpps of idle and loaded runs of nb_pkts over conns established flows. */
static int
scenario(uint64_t conns, uint64_t nb_pkts, struct load *l)
{
	const double hz = (double)rte_get_tsc_hz();
	const uint64_t nb_bursts = (nb_pkts + LB_BURST - 1) / LB_BURST;
	double mpps[2][ROUNDS], med[2], loaded_s = 0, fast[2][ROUNDS], share[2][ROUNDS], fmed[2];
	double fshare[2];
	uint32_t *bursts[2][ROUNDS] = { { NULL } };
	float *clock[2][ROUNDS] = { { NULL } }, low;
	struct lb_lcore_stats s0, s1;
	uint64_t heap, ok0, fail0, ok1, fail1, adverts;
	struct job j = { 0 };
	unsigned int r, m, rb0 = l->rebuilds;
	int rc;

	if (bench_tables_reset(&env, conns < 65536 ? 65536 : 1u << 20, &heap) != 0)
		return -1;
	rc = bench_launch(&env, &j, JOB_SYN, LB_FWD_NAT, 0, conns, conns, false);
	if (rc == 0)
		rc = bench_launch(&env, &j, JOB_ACK, LB_FWD_NAT, 0, conns, conns, false);
	for (r = 0; r < ROUNDS && rc == 0; r++)
		for (m = 0; m < 2 && rc == 0; m++) {
			bursts[m][r] = calloc(nb_bursts, sizeof(uint32_t));
			clock[m][r] = calloc(nb_bursts, sizeof(float));
			if (bursts[m][r] == NULL || clock[m][r] == NULL)
				rc = -ENOMEM;
		}
	lb_stats_total(&s0);
	bench_checks_count(l->checks, &ok0, &fail0);
	for (r = 0; r < ROUNDS && rc == 0; r++)
		for (m = 0; m < 2 && rc == 0; m++) {	/* idle, then loaded */
			uint64_t t0 = lb_health_now_us();

			j.burst_cycles = bursts[m][r];
			j.burst_clock = clock[m][r];
			bench_job_init(&env, &j, JOB_ACK, LB_FWD_NAT, 0, conns, nb_pkts, true);
			rc = bench_run_jobs(&j, 1, m ? control_poll : NULL, l);
			if (m)
				loaded_s += (lb_health_now_us() - t0) / 1e6;
			l->last_us = 0;		/* the idle run is no gap */
			mpps[m][r] = j.cycles ? nb_pkts * hz / j.cycles / 1e6 : 0;
		}
	if (rc == 0) {
		fast_mpps(bursts, clock, nb_bursts, fast, share, &low);
		for (m = 0; m < 2; m++) {
			fshare[m] = 0;
			for (r = 0; r < ROUNDS; r++)
				fshare[m] += share[m][r] / ROUNDS;
			fmed[m] = median_nonzero(fast[m], ROUNDS);
		}
	}
	for (r = 0; r < ROUNDS; r++)
		for (m = 0; m < 2; m++) {
			free(bursts[m][r]);
			free(clock[m][r]);
		}
	if (rc != 0) {
		printf("%-20s %8" PRIu64 "  failed\n", "NAT established", conns);
		return -1;
	}
	lb_stats_total(&s1);
	bench_checks_count(l->checks, &ok1, &fail1);
	adverts = s1.from_control - s0.from_control;
	for (m = 0; m < 2; m++) {
		qsort(mpps[m], ROUNDS, sizeof(double), cmp_double);
		med[m] = mpps[m][ROUNDS / 2];
	}
	loaded_s = loaded_s > 0 ? loaded_s : 1;
	printf("%-20s %8" PRIu64 " %6.2f (%.2f-%.2f) %6.2f (%.2f-%.2f) %6.3f   %.1f s: "
	       "%.0f frames/s from control, %.0f checks/s (%" PRIu64 " failed), %u rebuilds\n",
	       "NAT established", conns, med[0], mpps[0][0], mpps[0][ROUNDS - 1], med[1],
	       mpps[1][0], mpps[1][ROUNDS - 1], med[1] / med[0], loaded_s, adverts / loaded_s,
	       (ok1 - ok0 + fail1 - fail0) / loaded_s, fail1 - fail0, l->rebuilds - rb0);
	printf("%-20s %8s %-41s   rebuild (lb_svc_apply) took %.1f ms on average, %.1f ms "
	       "at most; longest gap between control polls %.1f ms\n", "", "", "",
	       l->rebuilds ? l->rebuild_us / 1e3 / l->rebuilds : 0, l->rebuild_max_us / 1e3,
	       l->gap_max_us / 1e3);
	printf("%-20s %8s %6.2f (%3.0f %% fast) %6.2f (%3.0f %% fast) %6.3f   bursts at the "
	       "core's top speed only (clk %.2f)\n", "  fast", "", fmed[0], fshare[0] * 100,
	       fmed[1], fshare[1] * 100, fmed[0] > 0 ? fmed[1] / fmed[0] : 0, low);
	fflush(stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	struct bench_opts o = { .mem = "auto", .lcores = "0-1" };
	struct load l = { 0 };
	bool quick = false;
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--lcores=", 9) == 0)
			o.lcores = argv[i] + 9;
		else if (strncmp(argv[i], "--mem=", 6) == 0)
			o.mem = argv[i] + 6;
		else if (strcmp(argv[i], "--quick") == 0)
			quick = true;
		else {
			fprintf(stderr, "usage: bench_ctlload [--lcores=0-1] "
				"[--mem=auto|huge|nohuge] [--quick]\n");
			return 2;
		}
	}
	if (bench_setup(&env, &o, 1u << 20, argv[0]) != 0)
		return 2;
	lb_ports_watch();	/* link up, or VRRP goes to FAULT at its first look */
	if (add_control_config(&env.cfg) != 0 || bench_tables_reset(&env, 65536, &(uint64_t){ 0 }) ||
	    lb_vrrp_init(&env.cfg) != 0 || (l.checks = bench_checks_start(NB_CHECKS)) == NULL) {
		fprintf(stderr, "bench_ctlload: cannot set up the control-plane load\n");
		bench_teardown(&env);
		return 2;
	}
	printf("dplb control-plane load: worker %u runs NAT established (64-byte TCP, "
	       "scattered flows) with the control lcore\n  idle (200 us sleeps) or running "
	       "VRRPv3 adverts every 10 ms, %u TCP checks/s and an mh rebuild (lb_svc_apply) "
	       "every second;\n  Mpps: TSC inside lb_worker_process, median of %u runs "
	       "each, alternating (range)\n\n", env.worker_lcore, NB_CHECKS, ROUNDS);
	printf("  lb_svc_apply() with the worker stopped (no grace period to wait for): "
	       "%.1f ms (mean of 5)\n\n", apply_ms(5));
	printf("%-20s %8s %-20s %-20s %6s   %s\n", "scenario", "conns", "idle Mpps",
	       "loaded Mpps", "ratio", "control lcore while loaded");
	if (scenario(1000, quick ? 1u << 20 : 24u << 20, &l) != 0 ||
	    (!quick && scenario(1000000, 8u << 20, &l) != 0))
		rc = 2;
	lb_vrrp_term();
	bench_checks_stop(l.checks);
	bench_teardown(&env);
	return rc;
}
