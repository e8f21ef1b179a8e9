/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Multi-worker scaling of the pipeline benchmark: lb_worker_process() on N
 * worker lcores at once, each with its own connection table as dplb has
 * (connections.max split between them) and reading the others' on a miss.
 * Each worker sends the frames of its own share of the flows, as RSS would
 * give them; the "cross" row sends each worker the flows another worker
 * created (a NAT reply hashed to another queue): every lookup misses the
 * worker's own table and finds the connection in the other's.
 *
 * Prints, per scenario: per-worker Mpps (TSC inside lb_worker_process, as
 * bench_pipeline), their sum, per-worker new connections/s and each
 * worker's CPU share (< 99: something else ran on its CPU). Never fails on
 * timing: exits 1 when packets were dropped or connections missing, 2
 * when it cannot run.
 *
 * Usage: bench_scale --workers=N [--lcores=LIST] [--mem=auto|huge|nohuge]
 *                    [--quick] [--header]
 *   --lcores  EAL --lcores; default: control lcore 0 on CPU 0, worker w on
 *             CPU (CPUs - w), so N workers need N CPUs and the last one
 *             shares CPU 0 with the control lcore (which sleeps meanwhile)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include "app/conn.h"
#include "app/lcore.h"
#include "test/perf/bench_pipeline.h"

#define DEFAULT_MAX	(1u << 20)

enum scale_kind { SCALE_EST, SCALE_CROSS, SCALE_NEW };

struct scale_sc {
	const char *name;
	enum scale_kind kind;
	uint64_t conns;		/* in all the tables while timed */
	uint64_t timed;		/* packets per worker */
};

static struct bench_env env;
static struct job jobs[LB_MAX_WORKERS];
static bool failed;

/* Every worker w sends kind for flows of worker owner(w), in parallel. */
static int
run_all(enum job_kind kind, uint64_t per, uint64_t from, uint64_t count, uint64_t nb_pkts,
	bool scatter, bool cross)
{
	unsigned int n = lb_nb_workers, w;

	for (w = 0; w < n; w++) {
		unsigned int owner = cross ? (w + 1) % n : w;

		bench_job_init(&env, &jobs[w], kind, LB_FWD_NAT, owner * per + from, count,
			       nb_pkts, scatter);
	}
	return bench_run_jobs(jobs, n, NULL, NULL);
}

static void
run(const struct scale_sc *sc, uint64_t capacity)
{
	const unsigned int n = lb_nb_workers;
	const uint64_t per_cap = (capacity + n - 1) / n, hz = rte_get_tsc_hz();
	uint64_t per = sc->conns / n, heap, drops = 0, expect;
	struct lb_lcore_stats s0, s1;
	double sum_mpps = 0, sum_new = 0;
	unsigned int w, i;
	int rc;

	if (sc->kind == SCALE_NEW)
		per = per_cap / 10 * 9;
	expect = per * n;
	if (bench_tables_reset(&env, capacity, &heap) != 0) {
		printf("%-17s %7u  skipped: no memory for the table\n", sc->name, n);
		return;
	}
	fprintf(stderr, "  %s, %u worker(s) ...\n", sc->name, n);
	rc = run_all(JOB_SYN, per_cap, 0, per, per, false, false);
	if (rc == 0 && sc->kind != SCALE_NEW)	/* every connection ESTABLISHED */
		rc = run_all(JOB_ACK, per_cap, 0, per, per, false, false);
	lb_stats_total(&s0);
	if (rc == 0 && sc->kind == SCALE_NEW)
		rc = run_all(JOB_SYN, per_cap, per, sc->timed, sc->timed, false, false);
	else if (rc == 0)
		rc = run_all(JOB_ACK, per_cap, 0, per, sc->timed, true, sc->kind == SCALE_CROSS);
	lb_stats_total(&s1);
	if (sc->kind == SCALE_NEW)
		expect += sc->timed * n;
	for (i = 1; i < LB_DROP_MAX; i++)
		drops += s1.drops[i] - s0.drops[i];
	if (rc != 0 || drops != 0 || lb_conn_count() != expect)
		failed = true;
	if (rc != 0) {
		printf("%-17s %7u  failed: %s\n", sc->name, n, strerror(-rc));
		return;
	}
	printf("%-17s %7u %8" PRIu64 " ", sc->name, n, sc->kind == SCALE_NEW ? expect : sc->conns);
	for (w = 0; w < n; w++) {
		double mpps = jobs[w].cycles ? (double)jobs[w].nb_pkts * hz / jobs[w].cycles / 1e6 : 0;

		sum_mpps += mpps;
		printf("%s%.2f (%.0f%%)", w ? " " : "", mpps, jobs[w].cpu_share * 100);
	}
	if (sc->kind == SCALE_NEW) {
		printf("  sum %.2f Mpps; new conn/s per worker:", sum_mpps);
		for (w = 0; w < n; w++) {
			double c = jobs[w].cycles ? (double)jobs[w].nb_pkts * hz / jobs[w].cycles : 0;

			sum_new += c;
			printf(" %.0f", c);
		}
		printf(", sum %.0f", sum_new);
	} else {
		printf("  sum %.2f Mpps", sum_mpps);
	}
	if (drops != 0 || lb_conn_count() != expect)
		printf("  (%" PRIu64 " drops, %u connections of %" PRIu64 ": UNEXPECTED)",
		       drops, lb_conn_count(), expect);
	printf("\n");
	fflush(stdout);
}

/* Control lcore 0 on CPU 0, worker w on CPU (ncpu - w): NULL when short of CPUs. */
static const char *
default_lcores(unsigned int workers)
{
	static char buf[256];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t off;
	unsigned int w;

	if (ncpu < 2 || workers > (unsigned long)ncpu)
		return NULL;
	off = (size_t)snprintf(buf, sizeof(buf), "0@0");
	for (w = 1; w <= workers && off < sizeof(buf); w++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, ",%u@%ld", w, ncpu - w);
	return buf;
}

int
main(int argc, char **argv)
{
	const uint64_t m = DEFAULT_MAX;
	const struct scale_sc normal[] = {
		{ "NAT established", SCALE_EST, 1000000, 2u << 20 },
		{ "NAT est. cross", SCALE_CROSS, 1000000, 2u << 20 },
		{ "NAT new conns", SCALE_NEW, 0, 0 },
	};
	struct bench_opts o = { .mem = "auto" };
	bool quick = false, header = false;
	uint64_t capacity = m;
	int i;

	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--workers=", 10) == 0)
			o.workers = (unsigned int)atoi(argv[i] + 10);
		else if (strncmp(argv[i], "--lcores=", 9) == 0)
			o.lcores = argv[i] + 9;
		else if (strncmp(argv[i], "--mem=", 6) == 0)
			o.mem = argv[i] + 6;
		else if (strcmp(argv[i], "--quick") == 0)
			quick = true;
		else if (strcmp(argv[i], "--header") == 0)
			header = true;
		else
			o.workers = 0;
	}
	if (o.workers == 0 || o.workers > LB_MAX_WORKERS) {
		fprintf(stderr, "usage: bench_scale --workers=N [--lcores=LIST] "
			"[--mem=auto|huge|nohuge] [--quick] [--header]\n");
		return 2;
	}
	if (o.lcores == NULL)
		o.lcores = default_lcores(o.workers);
	if (header) {
		printf("dplb multi-worker scaling: lb_worker_process() on every worker at once, "
		       "NAT, 64-byte TCP frames; per-worker connection tables\n"
		       "  (connections.max %" PRIu64 " split between them); Mpps per worker: "
		       "TSC inside lb_worker_process (cpu%%: its share of its CPU)\n\n",
		       quick ? (uint64_t)65536 : m);
		printf("%-17s %7s %8s  %s\n", "scenario", "workers", "conns",
		       "per-worker Mpps (cpu%), sum");
	}
	if (o.lcores == NULL) {
		printf("%-17s %7u  skipped: %u workers need %u CPUs (the control lcore shares "
		       "CPU 0, asleep); this box has %ld\n", "all", o.workers, o.workers,
		       o.workers, sysconf(_SC_NPROCESSORS_ONLN));
		return 0;
	}
	if (quick)
		capacity = 65536;
	if (bench_setup(&env, &o, capacity, argv[0]) != 0)
		return 2;
	for (i = 0; i < (int)RTE_DIM(normal); i++) {
		struct scale_sc sc = normal[i];

		if (quick && sc.kind != SCALE_NEW) {
			sc.conns = 50000;
			sc.timed = 1u << 17;
		}
		if (sc.kind == SCALE_NEW)	/* 90 -> 95 % of each worker's table */
			sc.timed = capacity / o.workers / 20;
		run(&sc, capacity);
	}
	bench_teardown(&env);
	if (failed)
		printf("FAILED: drops or missing connections (see above)\n");
	return failed ? 1 : 0;
}
