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
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "health/monitor.h"
#include "health/probe.h"

#define now_us lb_health_now_us

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static unsigned int events;

static void
on_event(struct lb_health_probe *p, const struct lb_health_event *ev, void *arg)
{
	(void)p;
	(void)ev;
	(void)arg;
	events++;
}

int
main(int argc, char **argv)
{
	const unsigned int n = argc > 1 ? (unsigned int)atoi(argv[1]) : 10000;
	const unsigned int secs = argc > 2 ? (unsigned int)atoi(argv[2]) : 6;
	const struct lb_health_timing t = { .delay_loop = 1000000, .connect_timeout = 1000000,
					    .delay_before_retry = 1000000, .warmup = 1000000,
					    .retry = 1 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	struct lb_health_probe *probes, **pp;
	struct lb_health_rs *rs;
	struct lb_health_set set;
	uint64_t start, end, ok0 = 0, fail0 = 0, ok = 0, fail = 0;
	double cpu0;
	unsigned int i, work;
	int lfd, c;

	probes = calloc(n, sizeof(*probes));
	pp = calloc(n, sizeof(*pp));
	rs = calloc(n, sizeof(*rs));
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (probes == NULL || pp == NULL || rs == NULL || lfd < 0 ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(lfd, 65535) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &len) < 0) {
		fprintf(stderr, "bench_health: set-up failed: %s\n", strerror(errno));
		return 2;
	}
	start = now_us();
	for (i = 0; i < n; i++) {
		lb_health_rs_init(&rs[i]);
		lb_health_probe_init(&probes[i], LB_HEALTH_PROBE_TCP, (struct sockaddr *)&sin,
				     sizeof(sin), NULL, 0, NULL, &rs[i], &t, start,
				     (uint32_t)random());
		pp[i] = &probes[i];
	}
	if (lb_health_set_init(&set, pp, n) != 0) {
		fprintf(stderr, "bench_health: epoll: %s\n", strerror(errno));
		return 2;
	}
	/* warm-up second: probes start spread over it; measure the seconds after */
	cpu0 = cpu_s();
	end = start + (uint64_t)secs * 1000000u;
	for (uint64_t now = start; now < end; now = now_us()) {
		const struct timespec idle = { 0, 200000 };

		if (now >= start + 1000000 && ok0 == 0 && fail0 == 0) {
			for (i = 0; i < n; i++) {
				ok0 += probes[i].chk.nb_ok;
				fail0 += probes[i].chk.nb_fail;
			}
			cpu0 = cpu_s();
			start = now;
		}
		work = lb_health_set_poll(&set, now, on_event, NULL);
		while ((c = accept(lfd, NULL, NULL)) >= 0) {
			close(c);
			work++;
		}
		if (work == 0)
			nanosleep(&idle, NULL);
	}
	for (i = 0; i < n; i++) {
		ok += probes[i].chk.nb_ok;
		fail += probes[i].chk.nb_fail;
	}
	{
		double wall = (now_us() - start) / 1e6, cpu = cpu_s() - cpu0;
		double checks = (double)(ok - ok0 + fail - fail0);

		printf("bench_health: %u TCP_CHECK probes, delay_loop 1 s, %.1f s measured\n", n,
		       wall);
		printf("  checks/s %10.0f   (target %u)\n", checks / wall, n);
		printf("  failed   %10" PRIu64 "\n", fail - fail0);
		printf("  cpu      %10.1f %% of one core (user+sys)\n", 100.0 * cpu / wall);
		printf("  cpu/check %9.2f us\n", checks > 0 ? cpu * 1e6 / checks : 0.0);
	}
	lb_health_set_term(&set);
	close(lfd);
	free(probes);
	free(pp);
	free(rs);
	return 0;
}
