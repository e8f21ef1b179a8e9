/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_BENCH_PIPELINE_H
#define LB_BENCH_PIPELINE_H

/*
 * The pipeline benchmark's two halves: the daemon set up as app/main.c does
 * it (bench_setup.c) and the scenarios run on the worker lcore
 * (bench_pipeline.c).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mempool.h>

#include "config/config.h"

/*
 * Under valgrind --tool=callgrind --toggle-collect=bench_timed_process
 * (test/perf/instr_count.sh): the instructions of bench_timed_process()
 * calls only, one dump a timed region (BENCH_CG_ZERO before, BENCH_CG_DUMP
 * after, BENCH_CG_SAY naming it): instructions a packet, the same on a
 * quiet host and a loud one. Outside valgrind the client requests do
 * nothing; without valgrind's header they are not compiled in.
 */
#ifdef BENCH_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#define BENCH_CG_ZERO() CALLGRIND_ZERO_STATS
#define BENCH_CG_DUMP() CALLGRIND_DUMP_STATS
/* a line to stdout under valgrind only: what the last dump holds */
#define BENCH_CG_SAY(...) do { if (RUNNING_ON_VALGRIND) printf(__VA_ARGS__); } while (0)
#else
#define BENCH_CG_ZERO() do { } while (0)
#define BENCH_CG_DUMP() do { } while (0)
#define BENCH_CG_SAY(...) do { } while (0)
#endif

#define BENCH_NB_RS	4		/* real servers per service */
#define BENCH_NB_FWD	4		/* services: one per enum lb_fwd */
#define BENCH_NB_LADDR	8		/* FNAT local addresses (ports for 1M+ conns) */
#define BENCH_VPORT	80

/*
 * The test network: one port holding 198.18.1.1/24 and 198.18.2.1/24, a
 * net_ring port by default (bench_opts.tx_null: net_null).
 */
struct bench_env {
	struct lb_config cfg;		/* one interface, a NAT, DR, TUN, FNAT service */
	uint16_t port_id;
	unsigned int worker_lcore;
	struct rte_mempool *pool;	/* the port's mbuf pool */
	struct rte_ether_addr port_mac;	/* dplb's MAC: frames go there */
	struct rte_ether_addr gw_mac;	/* the gateway behind which clients are */
	rte_be32_t vip[BENCH_NB_FWD];	/* by enum lb_fwd */
	rte_be32_t rs_addr[BENCH_NB_FWD][BENCH_NB_RS];
	rte_be16_t rs_port[BENCH_NB_FWD];
	struct rte_ether_addr rs_mac[BENCH_NB_FWD][BENCH_NB_RS];
	bool hugepages;			/* EAL runs on hugepages (else --no-huge) */
	bool tx_ring;			/* net_ring: sent frames wait in the queue's
					 * ring for bench_timed_process to free */
	unsigned int memory_mb;		/* -m given to EAL (0 = none) */
};

/* Options of the command line. */
struct bench_opts {
	const char *mem;		/* "auto", "huge", "nohuge" */
	const char *lcores;		/* EAL -l: control lcore, then the worker */
	const char *only;		/* scenarios whose name holds this, NULL = all */
	bool quick;			/* small tables (smoke tests, valgrind) */
	bool big;			/* the 10-million-connection rows only */
	bool sync;			/* as a sync master: every packet checks its
					 * connection is due (events go to a ring
					 * nobody drains: 4096 fit) */
	unsigned int workers;		/* worker lcores (lcores less one); 0 = 1 */
	bool tx_null;			/* net_null, which frees each frame sent */
};

/*
 * Build the config (interface on net_null0, services NAT, DR, TUN and FNAT
 * with scheduler wlc), start EAL with memory for max_conns connections
 * and bring up lcores, neighbours (the real servers and the gateway) and
 * the port in app/main.c's order. Services and connection tables are made
 * per scenario (bench_tables_reset). Returns 0 or -errno (printed).
 */
int bench_setup(struct bench_env *env, const struct bench_opts *o, uint64_t max_conns,
		const char *prog);

/*
 * Throw away the connection table and the services and make them anew for
 * capacity connections. *heap_bytes: malloc-heap bytes the connection
 * table took. Workers stopped. Returns 0 or -errno.
 */
int bench_tables_reset(struct bench_env *env, uint64_t capacity, uint64_t *heap_bytes);

enum job_kind {
	JOB_SYN,			/* one SYN per packet: new connections */
	JOB_ACK,			/* client ACKs: established flows */
	JOB_MIX,			/* client ACK, then a real server's reply (NAT) */
};

/* One run of bursts on the worker lcore. */
struct job {
	const struct bench_env *env;
	enum job_kind kind;
	enum lb_fwd fwd;		/* the service: NAT or DR */
	uint64_t first, nb_flows;	/* flows first .. first + nb_flows - 1 */
	uint64_t nb_pkts;
	uint64_t stride;		/* visiting order, see bench_stride() */
	const uint8_t *rs_of;		/* MIX: real server index of each flow */
	uint32_t *burst_cycles;		/* out, per burst when not NULL */
	float *burst_clock;		/* out, per burst when not NULL: TSC ticks a
					 * core cycle just before it (bench_core_clock,
					 * once every BENCH_CLOCK_EVERY bursts) */
	uint64_t cycles;		/* out: TSC inside lb_worker_process */
	double cpu_share;		/* out: worker thread's CPU time / wall time */
	int rc;
};

/*
 * Run nb_pkts packets of kind for flows first.. on the worker lcore and wait
 * for it: bursts of LB_BURST fresh mbufs, each timed around
 * lb_worker_process(), then the TX buffer flushed. scatter: visit flows in
 * bench_stride() order, else in order. j->rs_of and j->burst_cycles are
 * kept; the rest is reset. Control lcore. Returns 0 or -errno.
 */
int bench_launch(const struct bench_env *env, struct job *j, enum job_kind kind,
		 enum lb_fwd fwd, uint64_t first, uint64_t nb_flows, uint64_t nb_pkts,
		 bool scatter);

/*
 * lb_worker_process(lc, env's port, pkts, n), then, on a net_ring port, the
 * frames it sent freed in bulk from the ring, as a NIC driver frees those
 * it has sent (net_null frees each as it is given it, one mempool put a
 * frame through a TLS look-up in the PMD's shared object: about 90
 * instructions a frame, 15 % of DR's). Never inlined: what the benches time
 * and callgrind counts. Worker lcore.
 */
struct lb_lcore;
void bench_timed_process(const struct bench_env *env, struct lb_lcore *lc,
			 struct rte_mbuf **pkts, uint16_t n);

/*
 * TSC ticks an add of a chain of dependent adds (one a core cycle), now, on
 * the calling lcore: how fast the core runs. The lowest reading a box shows
 * is its quiet speed (this project's VM: 0.76 on 2026-11-26, 0.78 on its
 * earlier host); a higher one marks a run the host slowed (up to 2.2
 * seen), whose cycles a packet are inflated, though not in proportion (DR
 * 1 K: a median of 101 at 0.80, 159-173 at 1.6-2.0). 8,192 adds: about 3
 * microseconds, 7 on a slowed core. Any lcore.
 */
double bench_core_clock(void);

/* Bursts between two bench_core_clock() readings in a job. */
#define BENCH_CLOCK_EVERY 64

/* qsort's comparison of two uint32_t, ascending (burst cycles). */
int bench_cmp_u32(const void *a, const void *b);

/* The lowest of n bench_core_clock() readings (struct job.burst_clock). */
float bench_clock_low(const float *clock, uint64_t n);

/*
 * The bursts of a job that ran at the core's top speed: those whose clock
 * reading, taken before them (so not swayed by their own time), was within
 * 5 % of low (bench_clock_low of this job, or of several to compare them).
 * Returns their median in TSC per packet (bursts of LB_BURST packets), 0
 * when none was, or -1 when out of memory; *share: their share of the n.
 */
double bench_fast_median(const uint32_t *bursts, const float *clock, uint64_t n, float low,
			 double *share);

/* Free what waits in the calling worker's ring (net_ring; else nothing). */
void bench_drain_sent(const struct bench_env *env, struct lb_lcore *lc);

/* Set j up as bench_launch does, without running it. */
void bench_job_init(const struct bench_env *env, struct job *j, enum job_kind kind,
		    enum lb_fwd fwd, uint64_t first, uint64_t nb_flows, uint64_t nb_pkts,
		    bool scatter);

/*
 * Run jobs[w] on worker w (w < n, jobs with no packets skipped), all at
 * once, and wait for every one; meanwhile call control(arg) in a loop on
 * this (the control) lcore, or sleep 200 us at a time as dplb's idle
 * control loop does when control is NULL. Control lcore. Returns 0 or the
 * first worker's -errno.
 */
int bench_run_jobs(struct job *jobs, unsigned int n, void (*control)(void *arg), void *arg);

/* TSC per lb_conn_expire(worker 0, now, budget) call, mean of calls. */
uint64_t bench_expire_cost(const struct bench_env *env, unsigned int budget,
			   unsigned int calls);

/* Take everything down in reverse order. */
void bench_teardown(struct bench_env *env);

/* MB of memory the system has available (MemAvailable), 0 if unknown. */
uint64_t bench_mem_available_mb(void);

#endif
