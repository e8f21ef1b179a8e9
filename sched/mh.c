/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Maglev hashing (ip_vs_mh.c). init_service, on the control lcore, builds
 * a lookup table of M slots (a prime: 65537 by default, svc->sched_param
 * when set): each server gets a permutation of the slots from two hashes
 * of its address and port, offset = h1 % M and skip = h2 % (M - 1) + 1,
 * and servers take turns claiming their next free preferred slot, `turns`
 * slots per round where turns = (weight / gcd) >> rshift (rshift keeps the
 * largest ratio within fls(M) / 2 bits, as the kernel's IP_VS_MH_TAB_BITS
 * does for its table sizes). The table is part of the snapshot, published
 * with it under RCU; workers only read it.
 *
 * A client maps to slot h1(saddr, port) % M, port being the source port
 * under mh-port and 0 otherwise. An unusable server makes the lookup fail,
 * unless mh-fallback is set: then slots h1 with offsets ihash, ihash + 1,
 * ... are tried in turn, as in the kernel.
 *
 * The hashes are the kernel's: hsiphash() of the u32 (offset + port +
 * addr) with its fixed keys, on a 64-bit kernel (SipHash-1-3; 32-bit
 * kernels use HalfSipHash and build different tables).
 *
 * Unlike the kernel, which takes turns in the order of its server list,
 * servers take turns in the order of their address and port, so the table
 * depends only on the set of servers and their weights: directors behind
 * ECMP that list the same servers in any order pick the same server for a
 * client (test_sched.c checks it).
 */
#include <netinet/in.h>
#include <stdlib.h>

#include "sched/sched_priv.h"

#define MH_DEFAULT_SIZE	65537u
#define MH_MAX_SIZE	(1u << 24)
#define MH_KEY1		2654435761ULL
#define MH_KEY2		2654446892ULL

struct mh_table {
	uint32_t size;			/* M, prime */
	uint16_t dest[];		/* index in svc->dests, or LB_SCHED_NO_DEST */
};

struct mh_setup {
	uint32_t perm, skip;
	int turns;
	uint16_t dest;			/* index in svc->dests */
};

int
lb_sched_mh_check_size(uint32_t size)
{
	uint32_t f;

	if (size == 0)
		return 0;
	if (size < 2 || size > MH_MAX_SIZE)
		return -EINVAL;
	for (f = 2; f * f <= size; f++)
		if (size % f == 0)
			return -EINVAL;
	return 0;
}

static inline uint32_t
mh_hashkey(uint32_t addr, uint16_t port, uint64_t key, uint32_t offset)
{
	return lb_sched_hsiphash_u32(offset + port + addr, key, key);
}

static int
mh_fls(uint32_t x)
{
	return x ? 32 - __builtin_clz(x) : 0;
}

/* Servers by address, then port (host order): the order they take turns in. */
static int
mh_cmp(const void *a, const void *b, void *arg)
{
	const struct lb_service *svc = arg;
	const struct lb_dest *x = &svc->dests[((const struct mh_setup *)a)->dest];
	const struct lb_dest *y = &svc->dests[((const struct mh_setup *)b)->dest];
	uint64_t kx = (uint64_t)rte_be_to_cpu_32(x->addr) << 16 | rte_be_to_cpu_16(x->port);
	uint64_t ky = (uint64_t)rte_be_to_cpu_32(y->addr) << 16 | rte_be_to_cpu_16(y->port);

	return kx < ky ? -1 : kx > ky;
}

/*
 * ip_vs_mh_gcd_weight(), ip_vs_mh_shift_weight(), ip_vs_mh_permutate(),
 * into ds in the order of mh_cmp.
 */
static int
mh_permutate(const struct lb_service *svc, uint32_t m, struct mh_setup *ds)
{
	int32_t g = 0, max = 0, w;
	unsigned int i;
	int shift;

	for (i = 0; i < svc->nb_dests; i++) {
		w = svc->dests[i].weight;
		if (w > 0) {
			int32_t a = w, b = g;

			while (b != 0) {
				int32_t t = a % b;

				a = b;
				b = t;
			}
			g = a;
		}
		if (w > max)
			max = w;
	}
	if (g < 1)
		return 0;
	shift = mh_fls((uint32_t)(max / g)) - mh_fls(m) / 2;
	if (shift < 0)
		shift = 0;
	for (i = 0; i < svc->nb_dests; i++)
		ds[i].dest = (uint16_t)i;
	qsort_r(ds, svc->nb_dests, sizeof(*ds), mh_cmp, (void *)(uintptr_t)svc);
	for (i = 0; i < svc->nb_dests; i++) {
		const struct lb_dest *d = &svc->dests[ds[i].dest];
		uint32_t addr = rte_be_to_cpu_32(d->addr);
		uint16_t port = rte_be_to_cpu_16(d->port);

		w = d->weight > 0 ? d->weight : 0;
		ds[i].perm = mh_hashkey(addr, port, MH_KEY1, 0) % m;
		ds[i].skip = mh_hashkey(addr, port, MH_KEY2, 0) % (m - 1) + 1;
		ds[i].turns = (w / g) >> shift;
		if (ds[i].turns == 0)
			ds[i].turns = w != 0;
	}
	return g;
}

/* ip_vs_mh_populate(): round after round, each server claims `turns` slots. */
static void
mh_populate(const struct lb_service *svc, struct mh_table *t, struct mh_setup *ds,
	    uint64_t *taken)
{
	uint32_t m = t->size, n = 0, c;
	unsigned int i;
	int count = 0;

	for (;;) {
		for (i = 0; i < svc->nb_dests; ) {
			if (ds[i].turns < 1) {
				i++;
				continue;
			}
			c = ds[i].perm;
			while (taken[c / 64] & (1ULL << (c % 64))) {
				ds[i].perm += ds[i].skip;
				if (ds[i].perm >= m)
					ds[i].perm -= m;
				c = ds[i].perm;
			}
			taken[c / 64] |= 1ULL << (c % 64);
			t->dest[c] = ds[i].dest;
			if (++n == m)
				return;
			if (++count >= ds[i].turns) {
				count = 0;
				i++;
			}
		}
	}
}

static int
mh_init(struct lb_service *svc, unsigned int nb_workers)
{
	uint32_t m = svc->sched_param ? svc->sched_param : MH_DEFAULT_SIZE, i;
	struct mh_setup *ds = NULL;
	uint64_t *taken = NULL;
	struct mh_table *t;
	int ret = -ENOMEM;

	if (lb_sched_check_workers(nb_workers) != 0 || lb_sched_mh_check_size(m) != 0 ||
	    svc->nb_dests > m || svc->nb_dests >= LB_SCHED_NO_DEST)
		return -EINVAL;
	t = lb_sched_zalloc(sizeof(*t) + sizeof(t->dest[0]) * m);
	if (t == NULL)
		return -ENOMEM;
	t->size = m;
	for (i = 0; i < m; i++)
		t->dest[i] = LB_SCHED_NO_DEST;
	if (svc->nb_dests > 0) {
		ds = calloc(svc->nb_dests, sizeof(*ds));
		taken = calloc((m + 63) / 64, sizeof(*taken));
		if (ds == NULL || taken == NULL)
			goto out;
		if (mh_permutate(svc, m, ds) > 0)
			mh_populate(svc, t, ds, taken);
	}
	svc->sched_data = t;
	t = NULL;
	ret = 0;
out:
	free(t);
	free(ds);
	free(taken);
	return ret;
}

/* True when some server can take a connection: bounds the fallback walk. */
static bool
mh_any_usable(const struct lb_service *svc)
{
	unsigned int i;

	for (i = 0; i < svc->nb_dests; i++)
		if (lb_dest_usable(&svc->dests[i]))
			return true;
	return false;
}

static struct lb_dest *
mh_schedule(struct lb_service *svc, const struct lb_sched_input *in, unsigned int worker)
{
	const struct mh_table *t = svc->sched_data;
	uint32_t addr = rte_be_to_cpu_32(in->saddr), m = t->size, ihash, off;
	uint16_t port = 0, idx;
	struct lb_dest *d;

	RTE_SET_USED(worker);
	if ((svc->flags & LB_SVC_F_MH_PORT) && (in->proto == IPPROTO_TCP ||
	    in->proto == IPPROTO_UDP || in->proto == IPPROTO_SCTP))
		port = rte_be_to_cpu_16(in->sport);
	ihash = mh_hashkey(addr, port, MH_KEY1, 0) % m;
	idx = t->dest[ihash];
	if (idx == LB_SCHED_NO_DEST)
		return NULL;
	d = &svc->dests[idx];
	if (lb_dest_usable(d))
		return d;
	/* The kernel walks up to M slots; when nothing is usable it finds nothing. */
	if (!(svc->flags & LB_SVC_F_MH_FALLBACK) || !mh_any_usable(svc))
		return NULL;
	for (off = 0; off < m; off++) {
		idx = t->dest[mh_hashkey(addr, port, MH_KEY1, (off + ihash) % m) % m];
		if (idx == LB_SCHED_NO_DEST)
			break;
		d = &svc->dests[idx];
		if (lb_dest_usable(d))
			return d;
	}
	return NULL;
}

const struct lb_sched_ops lb_sched_mh_ops = {
	.name = "mh",
	.init_service = mh_init,
	.done_service = lb_sched_done_free,
	.schedule = mh_schedule,
};
