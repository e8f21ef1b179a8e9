/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pipeline benchmark: dplb's per-burst worker function lb_worker_process()
 * driven on one worker lcore with 64-byte TCP frames to a NAT and a DR
 * service: established flows with a thousand and a million connections in
 * the table (ten million with --conns-10m), and new connections with the
 * table 90 % full. One row per scenario. Never fails on timing: exits 1
 * only when packets were dropped for a reason the scenario does not expect,
 * 2 when it cannot run.
 *
 * Timed: the TSC around each lb_worker_process() call of 32 frames, that is
 * classify, connection lookup, scheduling and connection creation (SYNs),
 * rewrite, neighbour lookup, TX buffering and the null PMD's tx_burst (which
 * frees the mbufs). Not timed: allocating the mbufs and writing the frames.
 *
 * Usage: bench_pipeline [--quick] [--conns-10m] [--mem=auto|huge|nohuge]
 *                       [--lcores=0-1]
 */
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_tcp.h>

#include "app/conn.h"
#include "app/eal_args.h"
#include "app/lcore.h"
#include "app/worker.h"
#include "test/perf/bench_frames.h"
#include "test/perf/bench_pipeline.h"

#define DEFAULT_MAX	(1u << 20)	/* connections.max's default */
#define BEYOND		LB_BURST	/* SYNs sent past the maximum */

enum job_kind { JOB_SYN, JOB_ACK, JOB_MIX };

/* One run of bursts on the worker lcore. */
struct job {
	const struct bench_env *env;
	enum job_kind kind;		/* MIX: client ACK, then the server's reply */
	enum lb_fwd fwd;		/* the service: NAT or DR */
	uint64_t first, nb_flows;	/* flows first .. first + nb_flows - 1 */
	uint64_t nb_pkts;
	uint64_t stride;		/* visiting order, see bench_stride() */
	const uint8_t *rs_of;		/* MIX: real server of each flow */
	uint32_t *burst_cycles;		/* out, per burst when not NULL */
	uint64_t cycles;		/* out: TSC inside lb_worker_process */
	int rc;
};

enum sc_kind { SC_EST, SC_MIX, SC_NEW };

struct scenario {
	const char *name;
	enum lb_fwd fwd;
	enum sc_kind kind;
	uint64_t conns;			/* in the table while timed */
	uint64_t capacity;		/* connections.max */
	uint64_t timed;			/* packets timed (NEW: SYNs) */
};

static struct bench_env env;
static uint64_t tsc_hz;
static bool failed;

static void
job_frame(const struct job *j, uint64_t i, struct bench_seg *s)
{
	const struct bench_env *e = j->env;
	bool reply = j->kind == JOB_MIX && (i & 1) != 0;
	uint64_t k = j->kind == JOB_MIX ? i >> 1 : i;
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

/* Worker lcore: the bursts of j, as lb_worker_main would hand them over. */
static int
job_run(void *arg)
{
	struct job *j = arg;
	const struct bench_env *e = j->env;
	struct lb_lcore *lc = &lb_lcores[rte_lcore_id()];
	unsigned int q = lc->worker_index;
	struct rte_mbuf *pkts[LB_BURST];
	uint64_t i = 0, b = 0;

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
		for (k = 0; k < n; k++) {
			job_frame(j, i + k, &seg);
			bench_frame_build(pkts[k], &seg);
		}
		t0 = rte_rdtsc();
		lb_worker_process(lc, e->port_id, pkts, (uint16_t)n);
		dt = rte_rdtsc() - t0;
		j->cycles += dt;
		if (j->burst_cycles != NULL)
			j->burst_cycles[b] = (uint32_t)RTE_MIN(dt, (uint64_t)UINT32_MAX);
		b++;
		i += n;
		rte_rcu_qsbr_quiescent(lb_rcu, q);
	}
	lc->stats.tx_pkts += rte_eth_tx_buffer_flush(e->port_id, (uint16_t)q,
						     lc->txbuf[e->port_id]);
	rte_rcu_qsbr_thread_offline(lb_rcu, q);
	rte_rcu_qsbr_thread_unregister(lb_rcu, q);
	return 0;
}

static int
launch(struct job *j, enum job_kind kind, enum lb_fwd fwd, uint64_t first,
       uint64_t nb_flows, uint64_t nb_pkts, bool scatter)
{
	*j = (struct job){ .env = &env, .kind = kind, .fwd = fwd, .first = first,
			   .nb_flows = nb_flows, .nb_pkts = nb_pkts,
			   .stride = scatter ? bench_stride(nb_flows) : 1,
			   .rs_of = j->rs_of, .burst_cycles = j->burst_cycles };
	if (nb_pkts == 0)
		return 0;
	if (rte_eal_remote_launch(job_run, j, env.worker_lcore) != 0)
		return -EBUSY;
	rte_eal_wait_lcore(env.worker_lcore);
	if (j->rc != 0)
		fprintf(stderr, "bench_pipeline: worker: %s\n", strerror(-j->rc));
	return j->rc;
}

/* The real server each NAT flow was given, for its replies. Control lcore. */
static int
learn_servers(const struct scenario *sc, uint8_t *rs_of)
{
	uint64_t f;

	for (f = 0; f < sc->conns; f++) {
		struct lb_conn_key key = { .saddr = bench_client_addr(f),
					   .daddr = env.vip[sc->fwd],
					   .sport = bench_client_port(f),
					   .dport = rte_cpu_to_be_16(BENCH_VPORT),
					   .proto = IPPROTO_TCP };
		const struct lb_conn *c;
		enum lb_dir dir;
		unsigned int r;

		c = lb_conn_lookup(0, &key, &dir);
		for (r = 0; c != NULL && r < BENCH_NB_RS; r++)
			if (env.rs_addr[sc->fwd][r] == c->daddr)
				break;
		if (c == NULL || r == BENCH_NB_RS)
			return -ENOENT;
		rs_of[f] = (uint8_t)r;
	}
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Drops of the scenario by reason into buf; false when one is unexpected. */
static bool
check_drops(const struct lb_lcore_stats *s0, const struct lb_lcore_stats *s1,
	    uint64_t expect_full, char *buf, size_t len)
{
	uint64_t dropped = 0, rx = s1->rx_pkts - s0->rx_pkts, tx = s1->tx_pkts - s0->tx_pkts;
	size_t off = 0;
	bool ok = true;
	unsigned int i;

	buf[0] = '\0';
	for (i = 1; i < LB_DROP_MAX; i++) {
		uint64_t d = s1->drops[i] - s0->drops[i];

		if (d == 0 && !(i == LB_DROP_CONN_FULL && expect_full != 0))
			continue;
		dropped += d;
		if (i != LB_DROP_CONN_FULL || d != expect_full)
			ok = false;
		off += (size_t)snprintf(buf + off, off < len ? len - off : 0, "%s%s %" PRIu64 "%s",
					off ? ", " : "", lb_drop_name(i), d,
					i == LB_DROP_CONN_FULL && d == expect_full ?
					" (expected: past the maximum)" :
					i == LB_DROP_CONN_FULL ? " (UNEXPECTED)" : " (UNEXPECTED)");
	}
	if (tx + dropped != rx || s1->to_control != s0->to_control) {
		ok = false;
		snprintf(buf + off, off < len ? len - off : 0,
			 "%srx %" PRIu64 " but tx %" PRIu64 ", to control %" PRIu64 " (UNEXPECTED)",
			 off ? ", " : "", rx, tx, s1->to_control - s0->to_control);
	}
	if (buf[0] == '\0')
		snprintf(buf, len, "none");
	return ok;
}

static void
print_header(void)
{
	uint64_t t0, best = UINT64_MAX;
	unsigned int i;

	for (i = 0; i < 1000; i++) {
		t0 = rte_rdtsc();
		best = RTE_MIN(best, rte_rdtsc() - t0);
	}
	printf("dplb pipeline benchmark: lb_worker_process() on worker lcore %u, "
	       "%u-frame bursts of 64-byte TCP frames\n", env.worker_lcore, LB_BURST);
	printf("  memory: %s; TSC %.3f GHz; TSC read pair costs %" PRIu64
	       " cycles per burst (not subtracted)\n", env.hugepages ?
	       "hugepages (2 MB pages)" : "--no-huge (4 KB pages)", tsc_hz / 1e9, best);
	printf("  timed: lb_worker_process() only (classify incl. IP checksum in software, "
	       "conn lookup, schedule+create on SYN,\n         rewrite, neighbour lookup, "
	       "TX buffer + null PMD tx_burst freeing the mbufs); not timed: mbuf alloc, "
	       "frame writing\n");
	printf("  services: NAT and DR, wlc, %u real servers each; flows visited in "
	       "scattered order; frames hot in cache\n\n", BENCH_NB_RS);
	printf("%-17s %9s %9s %8s %7s %6s %10s %10s %7s %7s  %s\n", "scenario", "conns",
	       "max", "cyc/pkt", "median", "Mpps", "newconn/s", "fill c/s", "B/conn",
	       "heap B", "drops");
	fflush(stdout);
}

static void
run(const struct scenario *sc)
{
	struct lb_lcore_stats s0, s1;
	uint64_t heap, timed_pkts, nb_bursts, expect_full = 0;
	double cyc, median, fill;
	uint32_t *bursts = NULL;
	uint8_t *rs_of = NULL;
	struct job j = { 0 };
	char drops[512];
	int rc;

	fprintf(stderr, "  %s, %" PRIu64 " connections ...\n", sc->name, sc->conns);
	if (bench_tables_reset(&env, sc->capacity, &heap) != 0) {
		printf("%-17s %9" PRIu64 " %9" PRIu64 "  skipped: no memory for the table "
		       "(give EAL more with --mem / hugepages)\n", sc->name, sc->conns,
		       sc->capacity);
		return;
	}
	lb_stats_total(&s0);
	rc = launch(&j, JOB_SYN, sc->fwd, 0, sc->conns, sc->conns, false);
	fill = j.cycles ? (double)sc->conns * tsc_hz / j.cycles : 0;
	if (rc == 0 && lb_conn_count() != sc->conns)
		fprintf(stderr, "  %" PRIu64 " SYNs made %u connections\n", sc->conns,
			lb_conn_count());
	timed_pkts = sc->timed;
	nb_bursts = (timed_pkts + LB_BURST - 1) / LB_BURST;
	bursts = calloc(nb_bursts, sizeof(*bursts));
	if (sc->kind == SC_MIX)
		rs_of = malloc(sc->conns);
	if (bursts == NULL || (sc->kind == SC_MIX && rs_of == NULL))
		rc = -ENOMEM;
	if (rc == 0 && sc->kind != SC_NEW)	/* every connection ESTABLISHED */
		rc = launch(&j, JOB_ACK, sc->fwd, 0, sc->conns, sc->conns, false);
	if (rc == 0 && sc->kind == SC_MIX)
		rc = learn_servers(sc, rs_of);
	j.rs_of = rs_of;
	j.burst_cycles = bursts;
	if (rc == 0 && sc->kind == SC_NEW)
		rc = launch(&j, JOB_SYN, sc->fwd, sc->conns, timed_pkts, timed_pkts, false);
	else if (rc == 0)
		rc = launch(&j, sc->kind == SC_MIX ? JOB_MIX : JOB_ACK, sc->fwd, 0, sc->conns,
			    timed_pkts, true);
	cyc = (double)j.cycles / timed_pkts;
	j.burst_cycles = NULL;
	if (rc == 0 && sc->kind == SC_NEW) {	/* fill up to the maximum, then past it */
		uint64_t from = sc->conns + timed_pkts;

		rc = launch(&j, JOB_SYN, sc->fwd, from, sc->capacity - from,
			    sc->capacity - from, false);
		if (rc == 0)
			rc = launch(&j, JOB_SYN, sc->fwd, sc->capacity, BEYOND, BEYOND, false);
		expect_full = BEYOND;
	}
	lb_stats_total(&s1);
	if (rc != 0) {
		printf("%-17s %9" PRIu64 "  failed: %s\n", sc->name, sc->conns, strerror(-rc));
		failed = true;
	} else {
		qsort(bursts, nb_bursts, sizeof(*bursts), cmp_u32);
		median = (double)bursts[nb_bursts / 2] / LB_BURST;
		if (!check_drops(&s0, &s1, expect_full, drops, sizeof(drops)))
			failed = true;
		printf("%-17s %9" PRIu64 " %9" PRIu64 " %8.1f %7.1f %6.2f %10s %10.0f %7zu %7.0f  %s\n",
		       sc->name, sc->conns, sc->capacity, cyc, median, tsc_hz / cyc / 1e6,
		       "", fill, lb_conn_bytes_per_conn(), (double)heap / sc->capacity, drops);
		if (sc->kind == SC_NEW)
			printf("%-17s %9s %9s %8s %7s %6s %10.0f\n", "", "", "", "", "", "",
			       tsc_hz / cyc);
	}
	fflush(stdout);
	free(bursts);
	free(rs_of);
}

static int
parse(int argc, char **argv, struct bench_opts *o)
{
	int i;

	*o = (struct bench_opts){ .mem = "auto", .lcores = "0-1" };
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			o->quick = true;
		else if (strcmp(argv[i], "--conns-10m") == 0)
			o->big = true;
		else if (strncmp(argv[i], "--mem=", 6) == 0)
			o->mem = argv[i] + 6;
		else if (strncmp(argv[i], "--lcores=", 9) == 0)
			o->lcores = argv[i] + 9;
		else
			return -EINVAL;
	}
	if (strcmp(o->mem, "auto") && strcmp(o->mem, "huge") && strcmp(o->mem, "nohuge"))
		return -EINVAL;
	return 0;
}

int
main(int argc, char **argv)
{
	const uint64_t big = 10000000, m = DEFAULT_MAX, new_at = DEFAULT_MAX / 10 * 9;
	const struct scenario normal[] = {
		{ "NAT established", LB_FWD_NAT, SC_EST, 1000, m, 4u << 20 },
		{ "NAT established", LB_FWD_NAT, SC_EST, 1000000, m, 4u << 20 },
		{ "NAT in+out", LB_FWD_NAT, SC_MIX, 1000000, m, 4u << 20 },
		{ "DR established", LB_FWD_DR, SC_EST, 1000, m, 4u << 20 },
		{ "DR established", LB_FWD_DR, SC_EST, 1000000, m, 4u << 20 },
		{ "NAT new conns", LB_FWD_NAT, SC_NEW, new_at, m, m / 20 },
		{ "DR new conns", LB_FWD_DR, SC_NEW, new_at, m, m / 20 },
	}, quick[] = {
		{ "NAT established", LB_FWD_NAT, SC_EST, 1000, 65536, 1 << 17 },
		{ "NAT in+out", LB_FWD_NAT, SC_MIX, 50000, 65536, 1 << 17 },
		{ "DR established", LB_FWD_DR, SC_EST, 50000, 65536, 1 << 17 },
		{ "NAT new conns", LB_FWD_NAT, SC_NEW, 58982, 65536, 3276 },
	}, huge[] = {
		{ "NAT established", LB_FWD_NAT, SC_EST, big, big, big },
		{ "DR established", LB_FWD_DR, SC_EST, big, big, big },
	};
	const struct scenario *set = normal;
	size_t n = RTE_DIM(normal), i;
	uint64_t need_mb, avail_mb;
	struct bench_opts o;

	if (parse(argc, argv, &o) != 0) {
		fprintf(stderr, "usage: bench_pipeline [--quick] [--conns-10m] "
			"[--mem=auto|huge|nohuge] [--lcores=0-1]\n");
		return 2;
	}
	if (o.quick) {
		set = quick;
		n = RTE_DIM(quick);
	} else if (o.big) {
		set = huge;
		n = RTE_DIM(huge);
		struct lb_config probe = { .conn_max = (unsigned int)big,
					   .mbufs_per_port = 4095, .nb_ifaces = 1 };

		need_mb = lb_eal_memory_need_mb(&probe);
		avail_mb = bench_mem_available_mb();
		if (avail_mb < need_mb * 3 / 2 + 1024) {
			printf("%-17s %9" PRIu64 "  skipped: needs about %" PRIu64 " MB, the "
			       "system has %" PRIu64 " MB available\n", "10M connections", big,
			       need_mb, avail_mb);
			return 0;
		}
	}
	if (bench_setup(&env, &o, set[n - 1].capacity > m ? set[n - 1].capacity : m,
			argv[0]) != 0)
		return 2;
	tsc_hz = rte_get_tsc_hz();
	print_header();
	for (i = 0; i < n; i++)
		run(&set[i]);
	if (failed)
		printf("\nFAILED: packets were dropped for a reason the scenario does not "
		       "expect (see drops above)\n");
	bench_teardown(&env);
	return failed ? 1 : 0;
}
