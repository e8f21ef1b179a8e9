/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Nanoseconds per scheduling decision of every scheduler with 4, 64 and
 * 1024 real servers, one worker, as a table. Servers have weights 1..8 and
 * fixed connection counts (lblc's rule sees some of them over their
 * weight); clients come from 4096 precomputed connections to 256
 * destination addresses. Needs no EAL and never fails on timing: it only
 * reports. Usage: bench_sched [milliseconds per cell, default 50]
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sched/sched.h"

#define NB_INPUTS	4096
#define NB_SIZES	3

static const unsigned int sizes[NB_SIZES] = { 4, 64, 1024 };
static struct lb_sched_input inputs[NB_INPUTS];
static volatile uintptr_t sink;

static uint32_t
rnd(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static struct lb_service *
make_service(const struct lb_sched_ops *ops, unsigned int n)
{
	struct lb_service *svc = calloc(1, sizeof(*svc) + n * sizeof(struct lb_dest));
	struct lb_dest_state *st = aligned_alloc(RTE_CACHE_LINE_SIZE, n * sizeof(*st));
	uint32_t s = 12345;
	unsigned int i;

	if (svc == NULL || st == NULL) {
		free(svc);
		free(st);
		return NULL;
	}
	memset(st, 0, n * sizeof(*st));
	svc->proto = IPPROTO_TCP;
	svc->nb_dests = n;
	svc->sched = ops;
	for (i = 0; i < n; i++) {
		struct lb_dest *d = &svc->dests[i];

		d->addr = rte_cpu_to_be_32(0x0a000000u + i + 1);
		d->port = rte_cpu_to_be_16(80);
		d->weight = (int32_t)(i % 8 + 1);
		d->state = &st[i];
		st[i].flags = LB_DEST_F_AVAILABLE;
		st[i].activeconns = (int32_t)(rnd(&s) % (2 * (uint32_t)d->weight + 2));
		st[i].inactconns = (int32_t)(rnd(&s) % 100);
	}
	if (ops->init_service(svc, 1) != 0) {
		free(st);
		free(svc);
		return NULL;
	}
	return svc;
}

static void
free_service(struct lb_service *svc)
{
	svc->sched->done_service(svc);
	free(svc->dests[0].state);
	free(svc);
}

/* ns per decision over at least budget_ns, or -1 if the service cannot be built. */
static double
measure(const struct lb_sched_ops *ops, unsigned int n, double budget_ns)
{
	struct lb_service *svc = make_service(ops, n);
	double start, elapsed;
	uint64_t decisions = 0;
	unsigned int i;

	if (svc == NULL)
		return -1;
	for (i = 0; i < NB_INPUTS; i++)		/* warm up tables and caches */
		sink += (uintptr_t)ops->schedule(svc, &inputs[i], 0);
	start = now_ns();
	do {
		for (i = 0; i < NB_INPUTS; i++)
			sink += (uintptr_t)ops->schedule(svc, &inputs[i], 0);
		decisions += NB_INPUTS;
		elapsed = now_ns() - start;
	} while (elapsed < budget_ns);
	free_service(svc);
	return elapsed / (double)decisions;
}

int
main(int argc, char **argv)
{
	double budget_ms = argc > 1 ? atof(argv[1]) : 50;
	char names[256], *tok, *save = NULL;
	uint32_t s = 777;
	unsigned int i;

	if (budget_ms <= 0)
		budget_ms = 50;
	for (i = 0; i < NB_INPUTS; i++) {
		inputs[i].saddr = rte_cpu_to_be_32(rnd(&s) | 0x0b000000u);
		inputs[i].daddr = rte_cpu_to_be_32(0xc6336400u + rnd(&s) % 256);
		inputs[i].sport = rte_cpu_to_be_16((uint16_t)(1024 + rnd(&s) % 60000));
		inputs[i].dport = rte_cpu_to_be_16(80);
		inputs[i].proto = IPPROTO_TCP;
		inputs[i].now = i;
	}
	printf("ns per scheduling decision (1 worker, %.0f ms per cell)\n", budget_ms);
	printf("%-8s", "sched");
	for (i = 0; i < NB_SIZES; i++)
		printf(" %9u RS", sizes[i]);
	printf("\n");
	snprintf(names, sizeof(names), "%s", lb_sched_names());
	for (tok = strtok_r(names, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		printf("%-8s", tok);
		for (i = 0; i < NB_SIZES; i++) {
			double ns = measure(lb_sched_find(tok), sizes[i], budget_ms * 1e6);

			if (ns < 0)
				printf(" %12s", "n/a");
			else
				printf(" %12.1f", ns);
			fflush(stdout);
		}
		printf("\n");
	}
	return 0;
}
