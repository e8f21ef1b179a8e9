/* SPDX-License-Identifier: BSD-3-Clause */
/* The pipeline benchmark's worker lcore: bursts of frames into lb_worker_process(). */
#include <errno.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_tcp.h>

#include "app/conn.h"
#include "app/lcore.h"
#include "app/worker.h"
#include "test/perf/bench_frames.h"
#include "test/perf/bench_pipeline.h"

static uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
job_frame(const struct job *j, uint64_t i, struct bench_seg *s)
{
	const struct bench_env *e = j->env;
	bool reply = j->kind == JOB_MIX && (i & 1) != 0;
	/* a reply belongs to another flow than the request before it */
	uint64_t k = j->kind == JOB_MIX ? (i >> 1) + (reply ? j->nb_flows / 2 : 0) : i;
	uint64_t f = (k % j->nb_flows) * j->stride % j->nb_flows;
	uint64_t flow = j->first + f;

	s->dst_mac = &e->port_mac;
	s->tcp_flags = j->kind == JOB_SYN ? RTE_TCP_SYN_FLAG : RTE_TCP_ACK_FLAG;
	if (reply) {
		unsigned int r = j->rs_of[f];

		s->src_mac = &e->rs_mac[j->fwd][r];
		s->saddr = e->rs_addr[j->fwd][r];
		s->sport = e->rs_port[j->fwd];
		s->daddr = bench_client_addr(flow);
		s->dport = bench_client_port(flow);
	} else {
		s->src_mac = &e->gw_mac;
		s->saddr = bench_client_addr(flow);
		s->sport = bench_client_port(flow);
		s->daddr = e->vip[j->fwd];
		s->dport = rte_cpu_to_be_16(BENCH_VPORT);
	}
}

/*
 * Worker lcore: frames the control lcore queued (VRRP adverts, ARP) out of
 * the port, as lb_worker_main does between polls. Not timed.
 */
static void
send_from_control(struct lb_lcore *lc)
{
	struct rte_mbuf *pkts[LB_BURST];
	unsigned int n, i;

	n = rte_ring_sc_dequeue_burst(lc->from_control, (void **)pkts, LB_BURST, NULL);
	lc->stats.from_control += n;
	for (i = 0; i < n; i++)
		lc->stats.tx_pkts += rte_eth_tx_buffer(pkts[i]->port, (uint16_t)lc->worker_index,
						      lc->txbuf[pkts[i]->port], pkts[i]);
}

/* Frames sent on a net_ring port, freed at most this many at a time. */
#define DRAIN_BURST 64

/* One round of bench_drain_sent: how many were freed. */
static inline unsigned int
drain_once(const struct bench_env *e, struct lb_lcore *lc)
{
	struct rte_mbuf *sent[DRAIN_BURST];
	uint16_t n = rte_eth_rx_burst(e->port_id, (uint16_t)lc->worker_index, sent,
				      DRAIN_BURST);

	rte_pktmbuf_free_bulk(sent, n);
	return n;
}

void
bench_drain_sent(const struct bench_env *e, struct lb_lcore *lc)
{
	if (e->tx_ring)
		while (drain_once(e, lc) != 0)
			;
}

/*
 * In a function of its own: the one callgrind counts (test/perf/
 * instr_count.sh: --toggle-collect=bench_timed_process). A call a burst.
 * A burst sends 32 frames at most (lb_worker_process's TX buffer) and the
 * ring holds 1023: one round frees all there is.
 */
__rte_noinline void
bench_timed_process(const struct bench_env *e, struct lb_lcore *lc, struct rte_mbuf **pkts,
		    uint16_t n)
{
	lb_worker_process(lc, e->port_id, pkts, n);
	if (e->tx_ring)
		drain_once(e, lc);
}

#define CLOCK_ADDS 8192

double
bench_core_clock(void)
{
	uint64_t t0 = rte_rdtsc(), y = 0, i;

	for (i = 0; i < CLOCK_ADDS; i++) {
		y += i;
		__asm__ volatile("" : "+r"(y));	/* kept in a register, one add at a time */
	}
	return (double)(rte_rdtsc() - t0) / CLOCK_ADDS;
}

float
bench_clock_low(const float *clock, uint64_t n)
{
	float low = FLT_MAX;
	uint64_t b;

	for (b = 0; b < n; b++)
		low = RTE_MIN(low, clock[b]);
	return low;
}

int
bench_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

double
bench_fast_median(const uint32_t *bursts, const float *clock, uint64_t n, float low,
		  double *share)
{
	uint32_t *fast = malloc((n + 1) * sizeof(*fast));
	uint64_t b, nb_fast = 0;
	double median;

	*share = 0;
	if (fast == NULL)
		return -1;
	for (b = 0; b < n; b++)
		if (clock[b] <= low * 1.05f)
			fast[nb_fast++] = bursts[b];
	qsort(fast, nb_fast, sizeof(*fast), bench_cmp_u32);
	median = nb_fast ? (double)fast[nb_fast / 2] / LB_BURST : 0;
	*share = n ? (double)nb_fast / n : 0;
	free(fast);
	return median;
}

/* Worker lcore: the bursts of j, as lb_worker_main would hand them over. */
static int
job_run(void *arg)
{
	struct job *j = arg;
	const struct bench_env *e = j->env;
	struct lb_lcore *lc = &lb_lcores[rte_lcore_id()];
	unsigned int q = lc->worker_index;
	struct rte_mbuf *pkts[LB_BURST];
	uint64_t i = 0, b = 0, wall = clock_ns(CLOCK_MONOTONIC);
	uint64_t cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	double clock = 0;

	rte_rcu_qsbr_thread_register(lb_rcu, q);
	rte_rcu_qsbr_thread_online(lb_rcu, q);
	while (i < j->nb_pkts) {
		unsigned int n = (unsigned int)RTE_MIN((uint64_t)LB_BURST, j->nb_pkts - i), k;
		struct bench_seg seg;
		uint64_t t0, dt;

		if (rte_pktmbuf_alloc_bulk(e->pool, pkts, n) != 0) {
			j->rc = -ENOBUFS;
			break;
		}
		for (k = 0; k < n && j->rc == 0; k++) {
			job_frame(j, i + k, &seg);
			j->rc = bench_frame_build(pkts[k], &seg);
		}
		if (j->rc != 0) {
			rte_pktmbuf_free_bulk(pkts, n);
			break;
		}
		if (j->burst_clock != NULL && b % BENCH_CLOCK_EVERY == 0)
			clock = bench_core_clock();
		t0 = rte_rdtsc();
		bench_timed_process(e, lc, pkts, (uint16_t)n);
		dt = rte_rdtsc() - t0;
		j->cycles += dt;
		if (j->burst_cycles != NULL)
			j->burst_cycles[b] = (uint32_t)RTE_MIN(dt, (uint64_t)UINT32_MAX);
		if (j->burst_clock != NULL)
			j->burst_clock[b] = (float)clock;
		b++;
		i += n;
		send_from_control(lc);
		rte_rcu_qsbr_quiescent(lb_rcu, q);
	}
	lc->stats.tx_pkts += rte_eth_tx_buffer_flush(e->port_id, (uint16_t)q,
						     lc->txbuf[e->port_id]);
	bench_drain_sent(e, lc);
	rte_rcu_qsbr_thread_offline(lb_rcu, q);
	rte_rcu_qsbr_thread_unregister(lb_rcu, q);
	cpu = clock_ns(CLOCK_THREAD_CPUTIME_ID) - cpu;
	wall = clock_ns(CLOCK_MONOTONIC) - wall;
	j->cpu_share = wall ? (double)cpu / wall : 1;
	return 0;
}

void
bench_job_init(const struct bench_env *env, struct job *j, enum job_kind kind, enum lb_fwd fwd,
	       uint64_t first, uint64_t nb_flows, uint64_t nb_pkts, bool scatter)
{
	*j = (struct job){ .env = env, .kind = kind, .fwd = fwd, .first = first,
			   .nb_flows = nb_flows, .nb_pkts = nb_pkts,
			   .stride = scatter ? bench_stride(nb_flows) : 1,
			   .rs_of = j->rs_of, .burst_cycles = j->burst_cycles,
			   .burst_clock = j->burst_clock };
}

static bool
any_running(unsigned int n)
{
	unsigned int w;

	for (w = 0; w < n; w++)
		if (rte_eal_get_lcore_state(lb_worker_lcore[w]) == RUNNING)
			return true;
	return false;
}

int
bench_run_jobs(struct job *jobs, unsigned int n, void (*control)(void *arg), void *arg)
{
	const struct timespec rest = { 0, 200000 };	/* the control loop's idle sleep */
	unsigned int w, launched = 0;
	int rc = 0;

	for (w = 0; w < n && w < lb_nb_workers; w++) {
		if (jobs[w].nb_pkts == 0)
			continue;
		if (rte_eal_remote_launch(job_run, &jobs[w], lb_worker_lcore[w]) != 0) {
			rc = -EBUSY;
			break;
		}
		launched = w + 1;
	}
	while (any_running(launched)) {
		if (control != NULL)
			control(arg);
		else
			nanosleep(&rest, NULL);
	}
	for (w = 0; w < launched; w++) {
		rte_eal_wait_lcore(lb_worker_lcore[w]);
		if (jobs[w].rc != 0) {
			fprintf(stderr, "bench: worker %u: %s\n", w, strerror(-jobs[w].rc));
			rc = rc ? rc : jobs[w].rc;
		}
	}
	return rc;
}

int
bench_launch(const struct bench_env *env, struct job *j, enum job_kind kind, enum lb_fwd fwd,
	     uint64_t first, uint64_t nb_flows, uint64_t nb_pkts, bool scatter)
{
	bench_job_init(env, j, kind, fwd, first, nb_flows, nb_pkts, scatter);
	if (nb_pkts == 0)
		return 0;
	if (rte_eal_remote_launch(job_run, j, env->worker_lcore) != 0)
		return -EBUSY;
	rte_eal_wait_lcore(env->worker_lcore);
	if (j->rc != 0)
		fprintf(stderr, "bench_pipeline: worker: %s\n", strerror(-j->rc));
	return j->rc;
}

struct expire_arg {
	unsigned int budget, calls;
	uint64_t cycles;
};

/* Worker lcore: lb_conn_expire() called as lb_worker_main calls it. */
static int
expire_run(void *arg)
{
	struct expire_arg *a = arg;
	uint64_t now = rte_rdtsc(), t0 = rte_rdtsc();
	unsigned int i;

	for (i = 0; i < a->calls; i++)
		lb_conn_expire(0, now, a->budget);
	a->cycles = (rte_rdtsc() - t0) / a->calls;
	return 0;
}

uint64_t
bench_expire_cost(const struct bench_env *env, unsigned int budget, unsigned int calls)
{
	struct expire_arg a = { budget, calls, 0 };

	if (rte_eal_remote_launch(expire_run, &a, env->worker_lcore) == 0)
		rte_eal_wait_lcore(env->worker_lcore);
	return a.cycles;
}
