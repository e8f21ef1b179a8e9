/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Pipeline benchmark: dplb's per-burst worker function lb_worker_process()
 * driven on one worker lcore with 64-byte TCP frames to a NAT, a DR, a TUN
 * and a full-NAT service: established flows with a thousand and a million connections in
 * the table (ten million with --conns-10m), and new connections with the
 * table 90 % full. One row per scenario. Never fails on timing: exits 1
 * only when packets were dropped for a reason the scenario does not expect,
 * 2 when it cannot run.
 *
 * Timed: the TSC around each lb_worker_process() call of 32 frames, that is
 * classify, connection lookup, scheduling and connection creation (SYNs),
 * rewrite, neighbour lookup, TX buffering and tx_burst into a net_ring
 * port's ring, then freeing the frames sent from the ring in bulk, as a NIC
 * driver frees those it has sent (bench_timed_process). Not timed:
 * allocating the mbufs and writing the frames.
 *
 * Usage: bench_pipeline [--quick] [--conns-10m] [--mem=auto|huge|nohuge]
 *                       [--lcores=0-1] [--only=NAME] [--sync] [--tx=ring|null]
 *   --quick      small tables (smoke test, valgrind: use --mem=nohuge there)
 *   --conns-10m  only the 10-million-connection rows (and a 1M reference row
 *                in the same memory mode); skipped when memory is short
 *   --mem        hugepages when free ones hold the run (auto), or force
 *   --lcores     EAL -l: the control lcore, then the worker lcore
 *   --only       the scenarios whose name contains NAME
 *   --sync       run as a connection-sync master (threshold 0): the cost of
 *                lb_sync_conn_seen per packet once every connection was sent
 *                (rows up to 4096 connections; more fill the undrained ring)
 *   --tx         the port: net_ring (default), or net_null, whose tx_burst
 *                frees each frame by itself (the figures before 2026-11-25:
 *                about 90 instructions a frame more, bench_pipeline.h)
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
#include "sync/sync.h"
#include "app/eal_args.h"
#include "app/lcore.h"
#include "app/worker.h"
#include "test/perf/bench_frames.h"
#include "test/perf/bench_pipeline.h"

#define DEFAULT_MAX	(1u << 20)	/* connections.max's default */
#define BEYOND		LB_BURST	/* SYNs sent past the maximum */
#define EXPIRE_BUDGET	32		/* as app/worker.c */
#define EXPIRE_CALLS	200

enum sc_kind { SC_EST, SC_MIX, SC_NEW };

struct scenario {
	const char *name;
	enum lb_fwd fwd;
	enum sc_kind kind;
	uint64_t conns;			/* in the table while timed */
	uint64_t capacity;		/* connections.max */
	uint64_t timed;			/* packets timed (NEW: SYNs) */
};

/* Figures of one scenario. */
struct result {
	double cyc, median;		/* TSC per packet, timed region */
	double clock;			/* bench_core_clock(), lowest of the run */
	double fast;			/* median of the bursts whose clock reading was
					 * within 5 % of the lowest: TSC per packet */
	double fast_share;		/* their share of the bursts */
	double fill;			/* connections/s while creating them */
	uint64_t created;		/* connections after one SYN per flow */
	uint64_t expire;		/* TSC per lb_conn_expire() call */
	double cpu;			/* worker's CPU share in the timed region */
};

static struct bench_env env;
static uint64_t tsc_hz;
static bool failed;

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
			if (env.rs_addr[sc->fwd][r] == c->out.saddr)
				break;
		if (c == NULL || r == BENCH_NB_RS)
			return -ENOENT;
		rs_of[f] = (uint8_t)r;
	}
	return 0;
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
					"" : " (UNEXPECTED)");
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
	printf("  timed: lb_worker_process() (classify incl. IP checksum in software, "
	       "conn lookup, schedule+create on SYN,\n         rewrite, neighbour lookup, "
	       "TX buffer + tx_burst) %s; not timed: mbuf alloc, frame writing\n",
	       env.tx_ring ? "into net_ring, then the sent mbufs freed in bulk from the ring" :
	       "into net_null, which frees each mbuf (--tx=null)");
	printf("  services: NAT, DR, TUN, FNAT (%u local addresses), wlc, %u real servers each; "
	       "flows visited in scattered order;\n  frames hot in cache\n", BENCH_NB_LADDR,
	       BENCH_NB_RS);
	printf("  cyc/pkt: mean over the timed region, median: of bursts (TSC); clk: the core's "
	       "speed, TSC ticks an add of a\n  dependent chain timed every %u bursts, the "
	       "lowest of the run (above the lowest this box shows: the host\n  slowed the "
	       "core all run long); fast: median of the bursts whose reading was within 5 %% "
	       "of clk,\n  %%: their share; Mpps = TSC Hz / cyc/pkt; newconn/s: SYNs, table "
	       "90 -> 95 %% full;\n", BENCH_CLOCK_EVERY);
	printf("  fill c/s: creating the table (0 -> conns); cpu%%: worker's share of the core "
	       "(< 99: another process ran there, figures inflated);\n"
	       "  expire: TSC per lb_conn_expire(budget %u) call, made once per poll by "
	       "lb_worker_main (not in cyc/pkt);\n"
	       "  B/conn: lb_conn_bytes_per_conn(); heap B: heap taken by lb_conn_init / "
	       "connections.max\n\n", EXPIRE_BUDGET);
	printf("%-16s %8s %8s %7s %6s %4s %6s %3s %5s %9s %8s %4s %7s %6s %6s  %s\n",
	       "scenario", "conns", "max", "cyc/pkt", "median", "clk", "fast", "%",
	       "Mpps", "newconn/s", "fill c/s",
	       "cpu%",
	       "expire", "B/conn", "heap B", "drops (timed region)");
	fflush(stdout);
}

/*
 * NEW, once filled to connections.max and BEYOND past it: no drop, no
 * failed insertion below the maximum, and past it each SYN evicted a
 * half-open connection (all are). Says so into buf; false when not.
 */
static bool
check_fill(const struct lb_lcore_stats *s1, const struct lb_lcore_stats *s2,
	   uint64_t failures, char *buf, size_t len)
{
	uint64_t evicted = s2->conn_evicted - s1->conn_evicted;
	bool ok = check_drops(s1, s2, failures, buf, len);
	size_t off = strlen(buf);

	off += (size_t)snprintf(buf + off, off < len ? len - off : 0, "; evicted %" PRIu64
				" half-open%s", evicted, evicted == BEYOND ? "" : " (UNEXPECTED)");
	if (failures != 0)
		snprintf(buf + off, off < len ? len - off : 0, "; %" PRIu64 " insertion(s) "
			 "FAILED below connections.max", failures);
	return ok && failures == 0 && evicted == BEYOND;
}

/* NEW: SYNs up to connections.max, then past it; insertions that failed below it. */
static int
fill_to_max(const struct scenario *sc, struct job *j, uint64_t *failures)
{
	uint64_t from = sc->conns + sc->timed;
	int rc;

	rc = bench_launch(&env, j, JOB_SYN, sc->fwd, from, sc->capacity - from,
			  sc->capacity - from, false);
	*failures = sc->capacity - lb_conn_count();
	if (rc == 0)
		rc = bench_launch(&env, j, JOB_SYN, sc->fwd, sc->capacity, BEYOND, BEYOND, false);
	return rc;
}

/* Create the connections, make them ESTABLISHED, time the scenario's packets. */
static int
run_timed(const struct scenario *sc, struct job *j, struct result *r)
{
	uint64_t nb_bursts = (sc->timed + LB_BURST - 1) / LB_BURST;
	uint32_t *bursts = calloc(nb_bursts, sizeof(*bursts));
	float *clock = calloc(nb_bursts, sizeof(*clock));
	uint8_t *rs_of = sc->kind == SC_MIX ? malloc(sc->conns) : NULL;
	int rc = bursts == NULL || clock == NULL || (sc->kind == SC_MIX && rs_of == NULL) ?
		 -ENOMEM : 0;

	if (rc == 0)
		rc = bench_launch(&env, j, JOB_SYN, sc->fwd, 0, sc->conns, sc->conns,
				  false);
	r->fill = j->cycles ? (double)sc->conns * tsc_hz / j->cycles : 0;
	r->created = lb_conn_count();
	if (rc == 0 && sc->kind != SC_NEW)	/* every connection ESTABLISHED */
		rc = bench_launch(&env, j, JOB_ACK, sc->fwd, 0, sc->conns, sc->conns,
				  false);
	if (rc == 0 && sc->kind == SC_MIX)
		rc = learn_servers(sc, rs_of);
	j->rs_of = rs_of;
	j->burst_cycles = bursts;
	j->burst_clock = clock;
	BENCH_CG_ZERO();
	if (rc == 0 && sc->kind == SC_NEW)
		rc = bench_launch(&env, j, JOB_SYN, sc->fwd, sc->conns, sc->timed, sc->timed,
				  false);
	else if (rc == 0)
		rc = bench_launch(&env, j, sc->kind == SC_MIX ? JOB_MIX : JOB_ACK, sc->fwd, 0,
				  sc->conns, sc->timed, true);
	BENCH_CG_DUMP();
	BENCH_CG_SAY("callgrind part: %s, %" PRIu64 " connections, %" PRIu64
		     " packets timed\n", sc->name, sc->conns, sc->timed);
	r->cyc = (double)j->cycles / sc->timed;
	r->cpu = j->cpu_share;
	if (rc == 0) {
		r->clock = bench_clock_low(clock, nb_bursts);
		r->fast = bench_fast_median(bursts, clock, nb_bursts, (float)r->clock,
					    &r->fast_share);
		if (r->fast < 0)
			rc = -ENOMEM;
		qsort(bursts, nb_bursts, sizeof(*bursts), bench_cmp_u32);
		r->median = (double)bursts[nb_bursts / 2] / LB_BURST;
	}
	j->burst_cycles = NULL;
	j->burst_clock = NULL;
	free(bursts);
	free(clock);
	free(rs_of);
	return rc;
}

static void
run(const struct scenario *sc)
{
	struct lb_lcore_stats s0, s1, s2;
	struct result r = { 0 };
	struct job j = { 0 };
	char drops[512], fill[512] = "", rate[16];
	uint64_t heap, failures = 0;
	int rc;

	fprintf(stderr, "  %s, %" PRIu64 " connections ...\n", sc->name, sc->conns);
	if (bench_tables_reset(&env, sc->capacity, &heap) != 0) {
		printf("%-16s %8" PRIu64 " %8" PRIu64 "  skipped: no memory for the table "
		       "(give EAL more with --mem / hugepages)\n", sc->name, sc->conns,
		       sc->capacity);
		return;
	}
	lb_stats_total(&s0);
	rc = run_timed(sc, &j, &r);
	lb_stats_total(&s1);
	r.expire = bench_expire_cost(&env, EXPIRE_BUDGET, EXPIRE_CALLS);
	if (rc == 0 && sc->kind == SC_NEW) {
		rc = fill_to_max(sc, &j, &failures);
		lb_stats_total(&s2);
		if (!check_fill(&s1, &s2, failures, fill, sizeof(fill)))
			failed = true;
	}
	if (rc != 0) {
		printf("%-16s %8" PRIu64 "  failed: %s\n", sc->name, sc->conns, strerror(-rc));
		failed = true;
		return;
	}
	if (r.created != sc->conns || !check_drops(&s0, &s1, 0, drops, sizeof(drops)))
		failed = true;
	if (sc->kind == SC_NEW)
		snprintf(rate, sizeof(rate), "%.0f", tsc_hz / r.cyc);
	else
		snprintf(rate, sizeof(rate), "-");
	printf("%-16s %8" PRIu64 " %8" PRIu64 " %7.1f %6.1f %4.2f %6.1f %3.0f %5.2f %9s "
	       "%8.0f %4.0f %7" PRIu64 " %6zu %6.0f  %s\n", sc->name, r.created,
	       sc->capacity, r.cyc, r.median, r.clock, r.fast, r.fast_share * 100,
	       tsc_hz / r.cyc / 1e6, rate, r.fill, r.cpu * 100, r.expire,
	       lb_conn_bytes_per_conn(), (double)heap / sc->capacity, drops);
	if (fill[0] != '\0')
		printf("%-16s   then SYNs up to connections.max and %u past it: drops %s\n", "",
		       BEYOND, fill);
	fflush(stdout);
}

/* What a connection costs in memory, and the expiry scan of an empty table. */
static void
print_notes(uint64_t capacity)
{
	uint64_t heap, empty = 0;

	printf("\n  memory: struct lb_conn is %zu B and struct lb_conn_ext %zu B, in arrays with "
	       "1/32 headroom; heap B also counts\n  the index buckets (8 B a key, 2 keys per "
	       "connection, 80 %% full at most; DR uses 1), free ring and in-use map\n",
	       sizeof(struct lb_conn), sizeof(struct lb_conn_ext));
	if (bench_tables_reset(&env, capacity, &heap) == 0)
		empty = bench_expire_cost(&env, EXPIRE_BUDGET, 4);
	printf("  expiry: lb_conn_expire(budget %u) on an empty table of connections.max "
	       "%" PRIu64 ": %" PRIu64 " cycles per call (%.0f us),\n  paid by every "
	       "lb_worker_main poll while the table is (nearly) empty\n", EXPIRE_BUDGET,
	       capacity, empty, empty * 1e6 / tsc_hz);
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
		else if (strncmp(argv[i], "--only=", 7) == 0)
			o->only = argv[i] + 7;
		else if (strcmp(argv[i], "--sync") == 0)
			o->sync = true;
		else if (strcmp(argv[i], "--tx=null") == 0)
			o->tx_null = true;
		else if (strcmp(argv[i], "--tx=ring") != 0)
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
		{ "TUN established", LB_FWD_TUN, SC_EST, 1000, m, 4u << 20 },
		{ "TUN established", LB_FWD_TUN, SC_EST, 1000000, m, 4u << 20 },
		{ "FNAT established", LB_FWD_FNAT, SC_EST, 1000, m, 4u << 20 },
		{ "FNAT established", LB_FWD_FNAT, SC_EST, 1000000, m, 4u << 20 },
		{ "NAT new conns", LB_FWD_NAT, SC_NEW, new_at, m, m / 20 },
		{ "DR new conns", LB_FWD_DR, SC_NEW, new_at, m, m / 20 },
		{ "TUN new conns", LB_FWD_TUN, SC_NEW, new_at, m, m / 20 },
		{ "FNAT new conns", LB_FWD_FNAT, SC_NEW, new_at, m, m / 20 },
	}, quick[] = {
		{ "NAT established", LB_FWD_NAT, SC_EST, 1000, 65536, 1 << 17 },
		{ "NAT in+out", LB_FWD_NAT, SC_MIX, 50000, 65536, 1 << 17 },
		{ "DR established", LB_FWD_DR, SC_EST, 50000, 65536, 1 << 17 },
		{ "TUN established", LB_FWD_TUN, SC_EST, 50000, 65536, 1 << 17 },
		{ "FNAT established", LB_FWD_FNAT, SC_EST, 50000, 65536, 1 << 17 },
		{ "NAT new conns", LB_FWD_NAT, SC_NEW, 58982, 65536, 3276 },
		{ "FNAT new conns", LB_FWD_FNAT, SC_NEW, 58982, 65536, 3276 },
	}, huge[] = {
		{ "NAT established", LB_FWD_NAT, SC_EST, 1000000, m, 4u << 20 },
		{ "NAT established", LB_FWD_NAT, SC_EST, big, big, big },
		{ "DR established", LB_FWD_DR, SC_EST, big, big, big },
	};
	const struct scenario *set = normal;
	size_t n = RTE_DIM(normal), i;
	struct lb_config probe = { .mbufs_per_port = 4095, .nb_ifaces = 1 };
	uint64_t need_mb, avail_mb;
	struct bench_opts o;

	if (parse(argc, argv, &o) != 0) {
		fprintf(stderr, "usage: bench_pipeline [--quick] [--conns-10m] "
			"[--mem=auto|huge|nohuge] [--lcores=0-1] [--only=NAME] [--sync] "
			"[--tx=ring|null]\n");
		return 2;
	}
	if (o.quick) {
		set = quick;
		n = RTE_DIM(quick);
	} else if (o.big) {
		set = huge;
		n = RTE_DIM(huge);
		probe.conn_max = (unsigned int)big;
		need_mb = lb_eal_memory_need_mb(&probe);
		avail_mb = bench_mem_available_mb();
		if (avail_mb < need_mb * 3 / 2 + 1024) {
			printf("%-16s %8" PRIu64 "  skipped: needs about %" PRIu64 " MB, the "
			       "system has %" PRIu64 " MB available\n", "10M connections", big,
			       need_mb, avail_mb);
			return 0;
		}
	}
	if (bench_setup(&env, &o, set[n - 1].capacity > m ? set[n - 1].capacity : m,
			argv[0]) != 0)
		return 2;
	tsc_hz = rte_get_tsc_hz();
	if (o.sync) {
		env.cfg.sync.threshold_s = 0;	/* every connection sent at its first packet */
		env.cfg.sync.refresh_s = 3600;	/* and not again while timed */
		if (lb_sync_init(&env.cfg) != 0)
			return 2;
		lb_sync_master_on = 1;
		printf("as a sync master: each packet checks whether its connection is due\n");
	}
	print_header();
	for (i = 0; i < n; i++)
		if (o.only == NULL || strstr(set[i].name, o.only) != NULL)
			run(&set[i]);
	if (!o.big)
		print_notes(set[0].capacity);
	if (failed)
		printf("\nFAILED: packets were dropped for a reason the scenario does not "
		       "expect (see drops above)\n");
	if (o.sync)
		lb_sync_term();
	bench_teardown(&env);
	return failed ? 1 : 0;
}
