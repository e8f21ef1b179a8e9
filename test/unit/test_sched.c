/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The schedulers on fixed inputs: each one's decision sequence or
 * distribution as Linux IPVS makes it (wrr's interleaving, the tie rules of
 * the least-connection family, the dh/sh/mh hash tables, lblc/lblcr's
 * locality), and that none of them hands a connection to a quiesced or
 * overloaded server. Servers are lettered A, B, C... in list order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include <rte_cycles.h>

#include "sched/sched_priv.h"
#include "test/unit/unit.h"

void lb_test_register_sched(void);

/* RTE_IPV4 shifts a signed int: UBSan objects to 192 << 24. */
#define IP4(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define NB_WORKERS	2
#define CLIENT		IP4(198, 51, 100, 7)
#define VIP		IP4(192, 0, 2, 1)

/*
 * A service over n servers with these weights, at addrs (host order) or
 * 10.0.1.1, 10.0.1.2, ... port 80; not yet given to its scheduler.
 */
static struct lb_service *
svc_make(const char *sched, unsigned int n, const int32_t *weights, const uint32_t *addrs,
	 uint32_t flags, uint32_t param)
{
	struct lb_service *svc = calloc(1, sizeof(*svc) + n * sizeof(struct lb_dest));
	struct lb_dest_state *st = NULL;
	unsigned int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(svc);
	if (n > 0) {
		st = aligned_alloc(RTE_CACHE_LINE_SIZE, n * sizeof(*st));
		CU_ASSERT_PTR_NOT_NULL_FATAL(st);
		memset(st, 0, n * sizeof(*st));
	}
	svc->proto = IPPROTO_TCP;
	svc->vip = rte_cpu_to_be_32(VIP);
	svc->vport = rte_cpu_to_be_16(80);
	svc->flags = flags;
	svc->sched_param = param;
	svc->nb_dests = n;
	for (i = 0; i < n; i++) {
		svc->dests[i].addr = rte_cpu_to_be_32(addrs ? addrs[i] : IP4(10, 0, 1, 1) + i);
		svc->dests[i].port = rte_cpu_to_be_16(80);
		svc->dests[i].weight = weights[i];
		svc->dests[i].state = &st[i];
		st[i].flags = LB_DEST_F_AVAILABLE;
	}
	svc->sched = lb_sched_find(sched);
	CU_ASSERT_PTR_NOT_NULL_FATAL(svc->sched);
	return svc;
}

static void
svc_release(struct lb_service *svc)
{
	if (svc->nb_dests > 0)
		free(svc->dests[0].state);
	free(svc);
}

/* As svc_make, with the scheduler's state built for NB_WORKERS workers. */
static struct lb_service *
svc_new(const char *sched, unsigned int n, const int32_t *weights, uint32_t flags,
	uint32_t param)
{
	struct lb_service *svc = svc_make(sched, n, weights, NULL, flags, param);

	CU_ASSERT_EQUAL_FATAL(svc->sched->init_service(svc, NB_WORKERS), 0);
	return svc;
}

static void
svc_free(struct lb_service *svc)
{
	svc->sched->done_service(svc);
	svc_release(svc);
}

static void
conns(struct lb_service *svc, unsigned int i, int32_t active, int32_t inact)
{
	svc->dests[i].state->activeconns = active;
	svc->dests[i].state->inactconns = inact;
}

static void
overload(struct lb_service *svc, unsigned int i, bool on)
{
	if (on)
		svc->dests[i].state->flags |= LB_DEST_F_OVERLOAD;
	else
		svc->dests[i].state->flags &= ~LB_DEST_F_OVERLOAD;
}

/* Index of the server chosen for this connection, -1 for none. */
static int
pick_at(struct lb_service *svc, unsigned int worker, uint32_t saddr, uint32_t daddr,
	uint16_t sport, uint64_t now)
{
	struct lb_sched_input in = {
		.saddr = rte_cpu_to_be_32(saddr), .daddr = rte_cpu_to_be_32(daddr),
		.sport = rte_cpu_to_be_16(sport), .dport = rte_cpu_to_be_16(80),
		.proto = IPPROTO_TCP, .now = now,
	};
	struct lb_dest *d = svc->sched->schedule(svc, &in, worker);

	return d == NULL ? -1 : (int)(d - svc->dests);
}

static int
pick(struct lb_service *svc)
{
	return pick_at(svc, 0, CLIENT, VIP, 40000, 0);
}

/* The next n choices of worker as letters, '-' for none. */
static const char *
seq(struct lb_service *svc, unsigned int worker, unsigned int n)
{
	static char buf[64];
	unsigned int i;

	for (i = 0; i < n && i < sizeof(buf) - 1; i++) {
		int d = pick_at(svc, worker, CLIENT, VIP, 40000, 0);

		buf[i] = d < 0 ? '-' : (char)('A' + d);
	}
	buf[i] = '\0';
	return buf;
}

/* A deterministic stream of client addresses. */
static uint32_t
lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s;
}

static void
test_registry(void)
{
	char names[128], *tok, *save = NULL;
	unsigned int count = 0;

	snprintf(names, sizeof(names), "%s", lb_sched_names());
	for (tok = strtok_r(names, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		const struct lb_sched_ops *ops = lb_sched_find(tok);

		CU_ASSERT_PTR_NOT_NULL_FATAL(ops);
		CU_ASSERT_STRING_EQUAL(ops->name, tok);
		CU_ASSERT(ops->init_service && ops->done_service && ops->schedule);
		count++;
	}
	CU_ASSERT_EQUAL(count, 14);
	CU_ASSERT_PTR_NULL(lb_sched_find("WLC"));
	CU_ASSERT_PTR_NULL(lb_sched_find("roundrobin"));
	CU_ASSERT_PTR_NULL(lb_sched_find(NULL));
	CU_ASSERT_EQUAL(lb_sched_check_param("mh", 0), 0);
	CU_ASSERT_EQUAL(lb_sched_check_param("mh", 251), 0);
	CU_ASSERT_EQUAL(lb_sched_check_param("mh", 65537), 0);
	CU_ASSERT_EQUAL(lb_sched_check_param("mh", 65536), -EINVAL);
	CU_ASSERT_EQUAL(lb_sched_check_param("mh", 1), -EINVAL);
	CU_ASSERT_EQUAL(lb_sched_check_param("wlc", 65536), 0);
	CU_ASSERT_EQUAL(lb_sched_check_param("nope", 0), -ENOENT);
}

static void
test_rr_skips_quiesced_and_overloaded(void)
{
	static const int32_t w[] = { 1, 0, 1, 1 };
	struct lb_service *svc = svc_new("rr", 4, w, 0, 0);

	overload(svc, 3, true);
	CU_ASSERT_STRING_EQUAL(seq(svc, 0, 6), "ACACAC");
	overload(svc, 3, false);
	CU_ASSERT_STRING_EQUAL(seq(svc, 0, 4), "DACD");
	CU_ASSERT_STRING_EQUAL(seq(svc, 1, 3), "ACD");	/* its own cursor */
	svc_free(svc);
}

static void
test_wrr_ipvs_sequence(void)
{
	static const int32_t w432[] = { 4, 3, 2 }, w420[] = { 4, 2, 0 };
	struct lb_service *svc = svc_new("wrr", 3, w432, 0, 0);

	CU_ASSERT_STRING_EQUAL(seq(svc, 0, 18), "AABABCABCAABABCABC");
	CU_ASSERT_STRING_EQUAL(seq(svc, 1, 9), "AABABCABC");
	overload(svc, 0, true);		/* the others keep their 3:2 */
	CU_ASSERT_STRING_EQUAL(seq(svc, 0, 10), "BBCBCBBCBC");
	svc_free(svc);

	svc = svc_new("wrr", 3, w420, 0, 0);	/* gcd 2: passes at cw 3 and 1 */
	CU_ASSERT_STRING_EQUAL(seq(svc, 0, 9), "AABAABAAB");
	svc_free(svc);
}

static void
test_lc_counts_active_256_times(void)
{
	static const int32_t w[] = { 1, 1, 0, 1 };
	struct lb_service *svc = svc_new("lc", 4, w, 0, 0);

	conns(svc, 0, 1, 0);		/* 256 */
	conns(svc, 1, 0, 255);		/* 255 */
	conns(svc, 3, 0, 255);		/* 255, tie: the earlier wins */
	CU_ASSERT_EQUAL(pick(svc), 1);
	overload(svc, 1, true);
	CU_ASSERT_EQUAL(pick(svc), 3);
	svc_free(svc);
}

static void
test_wlc_overhead_per_weight_and_ties(void)
{
	static const int32_t w123[] = { 1, 2, 3 }, w02[] = { 0, 2, 1 }, w20[] = { 2, 0 };
	struct lb_service *svc = svc_new("wlc", 3, w123, 0, 0);

	conns(svc, 0, 1, 0);
	conns(svc, 1, 2, 0);
	conns(svc, 2, 3, 0);
	CU_ASSERT_EQUAL(pick(svc), 0);		/* 256/1 = 512/2 = 768/3: first */
	conns(svc, 0, 2, 0);
	conns(svc, 2, 3, 1);
	CU_ASSERT_EQUAL(pick(svc), 1);		/* 512/1, 512/2, 769/3 */
	overload(svc, 1, true);
	CU_ASSERT_EQUAL(pick(svc), 2);
	svc_free(svc);

	svc = svc_new("wlc", 3, w02, 0, 0);
	CU_ASSERT_EQUAL(pick(svc), 1);		/* A quiesced; B, C tie at 0 */
	conns(svc, 1, 1, 0);
	CU_ASSERT_EQUAL(pick(svc), 2);
	svc_free(svc);

	svc = svc_new("wlc", 2, w20, 0, 0);
	conns(svc, 0, 10, 0);
	CU_ASSERT_EQUAL(pick(svc), 0);		/* idle but quiesced B never */
	svc_free(svc);
}

/* Same counters, three answers: wlc counts overhead, sed adds the new one, nq takes idle. */
static void
test_sed_nq_decisions(void)
{
	static const int32_t w13[] = { 1, 3 }, w110[] = { 1, 10 };
	struct lb_service *wlc = svc_new("wlc", 2, w13, 0, 0);
	struct lb_service *sed = svc_new("sed", 2, w13, 0, 0);
	struct lb_service *nq = svc_new("nq", 2, w110, 0, 0);
	struct lb_service *sed10 = svc_new("sed", 2, w110, 0, 0);

	conns(sed, 0, 0, 500);
	conns(sed, 1, 2, 0);
	CU_ASSERT_EQUAL(pick(sed), 0);		/* 1/1 = 3/3: tie, first; inactive ignored */
	conns(wlc, 0, 0, 0);
	conns(wlc, 1, 1, 0);
	conns(sed, 1, 1, 0);
	CU_ASSERT_EQUAL(pick(wlc), 0);		/* 0 < 256/3 */
	CU_ASSERT_EQUAL(pick(sed), 1);		/* 1/1 > 2/3 */

	conns(nq, 1, 1, 0);
	conns(sed10, 1, 1, 0);
	CU_ASSERT_EQUAL(pick(sed10), 1);	/* 1/1 > 2/10 */
	CU_ASSERT_EQUAL(pick(nq), 0);		/* but A is idle */
	conns(nq, 0, 1, 0);
	CU_ASSERT_EQUAL(pick(nq), 1);		/* nobody idle: sed's rule */
	svc_free(wlc);
	svc_free(sed);
	svc_free(nq);
	svc_free(sed10);
}

static void
test_dh_kernel_buckets(void)
{
	static const int32_t w[] = { 1, 1, 1 };
	struct lb_service *svc = svc_new("dh", 3, w, 0, 0);

	/* bucket (ntohl(daddr) * 2654435761) & 255, server bucket % 3 */
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, IP4(192, 168, 0, 1), 1, 0), 0);
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, IP4(192, 168, 0, 2), 1, 0), 2);
	CU_ASSERT_EQUAL(pick_at(svc, 1, CLIENT + 9, IP4(192, 168, 0, 3), 7, 0), 1);
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT + 1, IP4(192, 168, 0, 3), 9, 0), 1);
	overload(svc, 1, true);			/* no fallback in dh */
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, IP4(192, 168, 0, 3), 1, 0), -1);
	svc_free(svc);
}

static void
test_sh_one_client_one_server(void)
{
	static const int32_t w[] = { 1, 2, 3 };	/* table A B B C C C ... */
	struct lb_service *svc = svc_new("sh", 3, w, 0, 0);
	unsigned int i, hits[3] = { 0 };
	uint32_t s = 1;

	CU_ASSERT_EQUAL(pick_at(svc, 0, IP4(10, 9, 0, 10), VIP, 1, 0), 0);
	CU_ASSERT_EQUAL(pick_at(svc, 0, IP4(10, 9, 0, 2), VIP, 1, 0), 1);
	CU_ASSERT_EQUAL(pick_at(svc, 0, IP4(10, 9, 0, 1), VIP, 1, 0), 2);
	for (i = 0; i < 100; i++)	/* any port, any worker: same server */
		CU_ASSERT_EQUAL(pick_at(svc, i % NB_WORKERS, IP4(10, 9, 0, 2), VIP,
					(uint16_t)(1024 + i * 7), 0), 1);
	for (i = 0; i < 10000; i++) {
		int d = pick_at(svc, 0, lcg(&s), VIP, 1, 0);

		CU_ASSERT_FATAL(d >= 0);
		hits[d]++;
	}
	for (i = 0; i < 3; i++)
		CU_ASSERT(abs((int)hits[i] * 6 - 10000 * w[i]) <= 10000 * w[i] * 5 / 100);
	svc_free(svc);
}

static void
test_sh_fallback_and_port(void)
{
	static const int32_t w[] = { 1, 1, 1 };
	struct lb_service *plain = svc_new("sh", 3, w, 0, 0);
	struct lb_service *fb = svc_new("sh", 3, w, LB_SVC_F_SH_FALLBACK, 0);
	struct lb_service *port = svc_new("sh", 3, w, LB_SVC_F_SH_PORT, 0);
	uint32_t a = IP4(10, 9, 0, 1), b = IP4(10, 9, 0, 2);	/* on A, on C */
	unsigned int i, seen[3] = { 0 };
	int d;

	CU_ASSERT_EQUAL(pick_at(fb, 0, a, VIP, 1, 0), 0);
	overload(plain, 0, true);
	overload(fb, 0, true);
	CU_ASSERT_EQUAL(pick_at(plain, 0, a, VIP, 1, 0), -1);
	d = pick_at(fb, 0, a, VIP, 1, 0);
	CU_ASSERT(d == 1 || d == 2);
	CU_ASSERT_EQUAL(pick_at(fb, 0, a, VIP, 1, 0), d);	/* deterministic */
	CU_ASSERT_EQUAL(pick_at(fb, 0, b, VIP, 1, 0), 2);	/* others stay */
	for (i = 0; i < 300; i++) {
		d = pick_at(port, 0, b, VIP, (uint16_t)(2000 + i), 0);
		CU_ASSERT_FATAL(d >= 0);
		seen[d]++;
	}
	CU_ASSERT(seen[0] > 0 && seen[1] > 0 && seen[2] > 0);
	svc_free(plain);
	svc_free(fb);
	svc_free(port);
}

static void
test_mh_hash_is_the_kernels(void)
{
	/* lib/siphash kunit: hsiphash(bytes 00..03, key 00..0f) on 64-bit */
	CU_ASSERT_EQUAL(lb_sched_hsiphash_u32(0x03020100u, 0x0706050403020100ULL,
					      0x0f0e0d0c0b0a0908ULL), 0x88d38328u);
}

#define MH_FLOWS	400000u

static void
test_mh_distribution_and_stability(void)
{
	static const int32_t w1234[] = { 1, 2, 3, 4 };
	static const int32_t w10[] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	struct lb_service *svc = svc_new("mh", 4, w1234, 0, 0), *all, *less;
	unsigned int i, hits[4] = { 0 }, moved = 0;
	uint32_t addrs[10];
	uint32_t s = 7;

	for (i = 0; i < MH_FLOWS; i++) {
		int d = pick_at(svc, i % NB_WORKERS, lcg(&s), VIP, 1, 0);

		CU_ASSERT_FATAL(d >= 0);
		hits[d]++;
	}
	for (i = 0; i < 4; i++)		/* within 1% of the weight's share */
		CU_ASSERT(llabs((long long)hits[i] * 10 - (long long)MH_FLOWS * w1234[i]) <=
			  (long long)MH_FLOWS * w1234[i] / 100);
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, VIP, 1, 0), pick_at(svc, 1, CLIENT, VIP, 2, 0));
	svc_free(svc);

	/* Take server E out of 10: only its flows should move (Maglev: ~1/N). */
	for (i = 0; i < 10; i++)
		addrs[i] = IP4(10, 0, 1, 1) + i;
	all = svc_make("mh", 10, w10, addrs, 0, 0);
	memmove(&addrs[4], &addrs[5], 5 * sizeof(addrs[0]));
	less = svc_make("mh", 9, w10, addrs, 0, 0);
	CU_ASSERT_EQUAL_FATAL(all->sched->init_service(all, NB_WORKERS), 0);
	CU_ASSERT_EQUAL_FATAL(less->sched->init_service(less, NB_WORKERS), 0);
	for (i = 0, s = 7; i < MH_FLOWS; i++) {
		uint32_t c = lcg(&s);
		int a = pick_at(all, 0, c, VIP, 1, 0), b = pick_at(less, 0, c, VIP, 1, 0);

		CU_ASSERT_FATAL(a >= 0 && b >= 0);
		if (all->dests[a].addr != less->dests[b].addr)
			moved++;
	}
	printf("\n    mh: removing 1 of 10 servers moved %.2f%% of flows (ideal 10%%) ",
	       100.0 * moved / MH_FLOWS);
	CU_ASSERT(moved <= MH_FLOWS / 10 + MH_FLOWS / 100);
	svc_free(all);
	svc_free(less);
}

/*
 * Directors behind ECMP: the same real servers (and weights) listed in
 * another order give the same table, so every director picks the same
 * server for a client. Checked over the whole client space that lands in
 * each slot of a small table, and over many clients with the default one.
 */
static void
test_mh_order_independent(void)
{
	static const int32_t w[] = { 1, 2, 3, 1, 1, 5 };
	static const int32_t wr[] = { 5, 1, 1, 3, 2, 1 };	/* w reversed */
	static const uint32_t size[] = { 251, 0 };
	uint32_t addrs[6], rev[6], s, c;
	unsigned int i, k, differ;

	for (i = 0; i < 6; i++) {
		addrs[i] = IP4(10, 0, 1, 10) + (i * 37) % 17;
		rev[5 - i] = addrs[i];
	}
	for (k = 0; k < RTE_DIM(size); k++) {
		struct lb_service *a = svc_make("mh", 6, w, addrs, 0, size[k]);
		struct lb_service *b = svc_make("mh", 6, wr, rev, 0, size[k]);

		CU_ASSERT_EQUAL_FATAL(a->sched->init_service(a, NB_WORKERS), 0);
		CU_ASSERT_EQUAL_FATAL(b->sched->init_service(b, NB_WORKERS), 0);
		for (i = 0, s = 11, differ = 0; i < 200000; i++) {
			int x, y;

			c = lcg(&s);
			x = pick_at(a, 0, c, VIP, 1, 0);
			y = pick_at(b, 1, c, VIP, 1, 0);
			CU_ASSERT_FATAL(x >= 0 && y >= 0);
			differ += a->dests[x].addr != b->dests[y].addr;
		}
		CU_ASSERT_EQUAL(differ, 0);
		svc_free(a);
		svc_free(b);
	}
}

static void
test_mh_fallback_port_and_size(void)
{
	static const int32_t w[] = { 1, 1, 1 };
	struct lb_service *plain = svc_new("mh", 3, w, 0, 251);
	struct lb_service *fb = svc_new("mh", 3, w, LB_SVC_F_MH_FALLBACK, 251);
	struct lb_service *port = svc_new("mh", 3, w, LB_SVC_F_MH_PORT, 0);
	unsigned int i, seen[3] = { 0 };
	int d = pick_at(plain, 0, CLIENT, VIP, 1, 0), f;

	CU_ASSERT_FATAL(d >= 0);
	CU_ASSERT_EQUAL(pick_at(fb, 0, CLIENT, VIP, 1, 0), d);	/* same table */
	overload(plain, d, true);
	overload(fb, d, true);
	CU_ASSERT_EQUAL(pick_at(plain, 0, CLIENT, VIP, 1, 0), -1);
	f = pick_at(fb, 0, CLIENT, VIP, 1, 0);
	CU_ASSERT(f >= 0 && f != d);
	for (i = 0; i < 300; i++) {
		f = pick_at(port, 0, CLIENT, VIP, (uint16_t)(3000 + i), 0);
		CU_ASSERT_FATAL(f >= 0);
		seen[f]++;
	}
	CU_ASSERT(seen[0] > 0 && seen[1] > 0 && seen[2] > 0);
	svc_free(plain);
	svc_free(fb);
	svc_free(port);

	plain = svc_make("mh", 3, w, NULL, 0, 4);	/* 4 slots: not a prime */
	CU_ASSERT_EQUAL(plain->sched->init_service(plain, NB_WORKERS), -EINVAL);
	plain->sched_param = 2;				/* fewer slots than servers */
	CU_ASSERT_EQUAL(plain->sched->init_service(plain, NB_WORKERS), -EINVAL);
	svc_release(plain);
}

#define SITE	IP4(203, 0, 113, 80)	/* a destination address lblc remembers */

static void
test_lblc_keeps_server_until_overloaded(void)
{
	static const int32_t w[] = { 2, 2, 2 };
	struct lb_service *svc = svc_new("lblc", 3, w, 0, 0);
	struct lb_service *wlc = svc_new("wlc", 3, w, 0, 0);
	uint64_t hour = rte_get_tsc_hz() * 3600, t = 1000;

	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, SITE, 1, t), 0);	/* first: wlc's */
	conns(svc, 0, 2, 0);
	conns(wlc, 0, 2, 0);
	CU_ASSERT_EQUAL(pick(wlc), 1);		/* wlc would move on... */
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT + 1, SITE, 2, t), 0);	/* lblc stays */
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, SITE + 1, 2, t), 1);	/* new site: wlc */
	conns(svc, 0, 3, 0);			/* A over its weight, B under half */
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, SITE, 3, t), 1);
	conns(svc, 0, 1, 0);
	conns(svc, 1, 3, 0);
	conns(svc, 2, 1, 0);			/* B over, but nobody under half */
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, SITE, 4, t), 1);
	CU_ASSERT_EQUAL(pick_at(svc, 1, CLIENT, SITE, 4, t), 0);	/* own table */
	conns(svc, 1, 1, 0);
	/* Used 23 h ago: kept; unused for 24 h: forgotten, wlc picks again. */
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, SITE, 5, t + 23 * hour), 1);
	conns(svc, 2, 0, 0);
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, SITE, 6, t + 46 * hour), 1);
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, SITE, 7, t + 71 * hour), 2);
	overload(svc, 2, true);			/* past -x: given up (see lblc.c) */
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, SITE, 8, t + 71 * hour), 0);
	overload(svc, 2, false);
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, SITE, 9, t + 71 * hour), 0);
	svc_free(svc);
	svc_free(wlc);
}

static void
test_lblcr_server_sets(void)
{
	static const int32_t w[] = { 2, 2, 2 };
	struct lb_service *svc = svc_new("lblcr", 3, w, 0, 0);
	uint64_t hour = rte_get_tsc_hz() * 3600, t = 1000;

	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, SITE, 1, t), 0);	/* set {A} */
	conns(svc, 0, 3, 0);
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, SITE, 1, t), 1);	/* set {B, A} */
	conns(svc, 0, 0, 0);
	conns(svc, 1, 2, 0);
	conns(svc, 2, 0, 0);
	/* The set's least loaded member, although C is as idle as A. */
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, SITE, 1, t + 12 * hour), 0);
	conns(svc, 0, 1, 0);
	conns(svc, 1, 0, 0);
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, SITE, 1, t + 20 * hour), 1);
	/* Unchanged for 24 h with 2 members: the most loaded one (B) leaves. */
	conns(svc, 0, 0, 0);
	conns(svc, 1, 1, 0);
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, SITE, 1, t + 25 * hour), 0);
	conns(svc, 0, 2, 0);
	conns(svc, 1, 0, 0);			/* B would win, were it still a member */
	CU_ASSERT_EQUAL(pick_at(svc, 0, CLIENT, SITE, 1, t + 26 * hour), 0);
	svc_free(svc);
}

static void
test_fo_ovf_choices(void)
{
	static const int32_t wf[] = { 2, 5, 5, 3 }, wo[] = { 3, 5, 5 };
	struct lb_service *fo = svc_new("fo", 4, wf, 0, 0);
	struct lb_service *ovf = svc_new("ovf", 3, wo, 0, 0);

	CU_ASSERT_EQUAL(pick(fo), 1);		/* highest weight, first of equals */
	conns(fo, 1, 1000, 1000);
	CU_ASSERT_EQUAL(pick(fo), 1);		/* load does not matter */
	overload(fo, 1, true);
	CU_ASSERT_EQUAL(pick(fo), 2);
	overload(fo, 2, true);
	CU_ASSERT_EQUAL(pick(fo), 3);

	conns(ovf, 1, 5, 100);
	CU_ASSERT_EQUAL(pick(ovf), 1);		/* 5 active <= weight 5 */
	conns(ovf, 1, 6, 0);
	CU_ASSERT_EQUAL(pick(ovf), 2);		/* overflows to the next */
	conns(ovf, 2, 6, 0);
	CU_ASSERT_EQUAL(pick(ovf), 0);
	conns(ovf, 0, 4, 0);
	CU_ASSERT_EQUAL(pick(ovf), -1);
	svc_free(fo);
	svc_free(ovf);
}

static void
test_twos_weighted_two_choices(void)
{
	static const int32_t w[] = { 1, 0, 3 };
	struct lb_service *svc = svc_new("twos", 3, w, 0, 0);
	unsigned int i, hits[3] = { 0 }, n = 20000;

	for (i = 0; i < n; i++) {
		int d = pick_at(svc, i % NB_WORKERS, CLIENT, VIP, 1, 0);

		CU_ASSERT_FATAL(d >= 0);
		hits[d]++;
	}
	CU_ASSERT_EQUAL(hits[1], 0);		/* quiesced */
	/* The kernel draws in [0, 1 + 3] inclusive: A takes 2 of 5 values. */
	CU_ASSERT(hits[0] > n * 37 / 100 && hits[0] < n * 43 / 100);
	conns(svc, 0, 100, 0);			/* A busy: kept only if drawn twice */
	memset(hits, 0, sizeof(hits));
	for (i = 0; i < n; i++)
		hits[pick_at(svc, 0, CLIENT, VIP, 1, 0)]++;
	CU_ASSERT(hits[0] > n * 13 / 100 && hits[0] < n * 19 / 100);
	svc_free(svc);
}

#define DH_B	IP4(192, 0, 2, 3)

/* Quiesced and overloaded servers only, or none at all: nobody gets the connection. */
static void
test_every_scheduler_null_when_nothing_usable(void)
{
	static const int32_t w[] = { 0, 3, 0 };
	const uint32_t flags = LB_SVC_F_SH_FALLBACK | LB_SVC_F_MH_FALLBACK;
	char names[128], *tok, *save = NULL;

	snprintf(names, sizeof(names), "%s", lb_sched_names());
	for (tok = strtok_r(names, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		struct lb_service *svc = svc_new(tok, 3, w, flags, 0);
		struct lb_service *empty = svc_new(tok, 0, w, flags, 0);
		unsigned int i;

		for (i = 0; i < 3; i++)
			CU_ASSERT_EQUAL(pick_at(svc, i % NB_WORKERS, CLIENT + i, DH_B, 1, 0), 1);
		overload(svc, 1, true);
		for (i = 0; i < 3; i++) {
			int d = pick_at(svc, i % NB_WORKERS, CLIENT + i, DH_B, 1, 0);

			CU_ASSERT_EQUAL(d, -1);
			if (d != -1)
				fprintf(stderr, "\n  %s chose %c\n", tok, 'A' + d);
		}
		CU_ASSERT_EQUAL(pick(empty), -1);
		svc_free(svc);
		svc_free(empty);
	}
}

void
lb_test_register_sched(void)
{
	CU_pSuite s = CU_add_suite("sched", NULL, NULL);

	CU_add_test(s, "registry names and parameters", test_registry);
	CU_add_test(s, "rr skips quiesced and overloaded", test_rr_skips_quiesced_and_overloaded);
	CU_add_test(s, "wrr 4:3:2 gives the IPVS sequence", test_wrr_ipvs_sequence);
	CU_add_test(s, "lc counts active 256 times", test_lc_counts_active_256_times);
	CU_add_test(s, "wlc overhead/weight and ties", test_wlc_overhead_per_weight_and_ties);
	CU_add_test(s, "sed and nq decisions", test_sed_nq_decisions);
	CU_add_test(s, "dh uses the kernel's buckets", test_dh_kernel_buckets);
	CU_add_test(s, "sh: one client, one server; spread", test_sh_one_client_one_server);
	CU_add_test(s, "sh fallback and port", test_sh_fallback_and_port);
	CU_add_test(s, "mh hash is the kernel's", test_mh_hash_is_the_kernels);
	CU_add_test(s, "mh distribution and removal", test_mh_distribution_and_stability);
	CU_add_test(s, "mh fallback, port, table size", test_mh_fallback_port_and_size);
	CU_add_test(s, "mh: same servers in another order, same table", test_mh_order_independent);
	CU_add_test(s, "lblc keeps a server until overloaded",
		    test_lblc_keeps_server_until_overloaded);
	CU_add_test(s, "lblcr server sets", test_lblcr_server_sets);
	CU_add_test(s, "fo and ovf choices", test_fo_ovf_choices);
	CU_add_test(s, "twos weighted two choices", test_twos_weighted_two_choices);
	CU_add_test(s, "nothing usable: every scheduler says no",
		    test_every_scheduler_null_when_nothing_usable);
}
