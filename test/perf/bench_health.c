/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Health checks at scale: N TCP_CHECK probes (default 10,000) with a
 * delay_loop of 1 s and a 1 s warmup, driven by the epoll set the control
 * lcore uses, against a listener on 127.0.0.1 that this process accepts
 * and closes (one loop, like the control lcore's, idle sleep 200 us).
 * Prints checks per second, failures, CPU time per check and the share of
 * one core the loop used. Never fails on timing: it only reports.
 * Usage: bench_health [probes, default 10000] [seconds, default 6]
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "health/monitor.h"
#include "test/perf/bench_checks.h"

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int
main(int argc, char **argv)
{
	const unsigned int n = argc > 1 ? (unsigned int)atoi(argv[1]) : 10000;
	const unsigned int secs = argc > 2 ? (unsigned int)atoi(argv[2]) : 6;
	struct bench_checks *c = bench_checks_start(n);
	uint64_t start = lb_health_now_us(), end, ok0 = 0, fail0 = 0, ok, fail;
	bool warm = false;
	double cpu0 = cpu_s();

	if (c == NULL)
		return 2;
	/* warm-up second: probes start spread over it; measure the seconds after */
	end = start + (uint64_t)secs * 1000000u;
	for (uint64_t now = start; now < end; now = lb_health_now_us()) {
		const struct timespec idle = { 0, 200000 };

		if (!warm && now >= start + 1000000) {
			bench_checks_count(c, &ok0, &fail0);
			cpu0 = cpu_s();
			start = now;
			warm = true;
		}
		if (bench_checks_poll(c, now) == 0)
			nanosleep(&idle, NULL);
	}
	bench_checks_count(c, &ok, &fail);
	{
		double wall = (lb_health_now_us() - start) / 1e6, cpu = cpu_s() - cpu0;
		double checks = (double)(ok - ok0 + fail - fail0);

		printf("bench_health: %u TCP_CHECK probes, delay_loop 1 s, %.1f s measured\n", n,
		       wall);
		printf("  checks/s %10.0f   (target %u)\n", checks / wall, n);
		printf("  failed   %10" PRIu64 "\n", fail - fail0);
		printf("  cpu      %10.1f %% of one core (user+sys)\n", 100.0 * cpu / wall);
		printf("  cpu/check %9.2f us\n", checks > 0 ? cpu * 1e6 / checks : 0.0);
	}
	bench_checks_stop(c);
	return 0;
}
