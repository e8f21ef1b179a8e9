/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_SCHED_PRIV_H
#define LB_SCHED_PRIV_H

/*
 * Helpers shared by the schedulers in sched/ (and their unit tests); not
 * part of the interface the rest of dplb uses, which is sched/sched.h.
 * Every inline helper here is safe on any lcore: counters and flags are
 * read with relaxed atomics, as IPVS reads its atomic_t's.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "sched/sched.h"

#define LB_SCHED_NO_DEST	UINT16_MAX	/* empty slot in an index table */

extern const struct lb_sched_ops lb_sched_rr_ops, lb_sched_wrr_ops,
	lb_sched_lc_ops, lb_sched_wlc_ops, lb_sched_lblc_ops, lb_sched_lblcr_ops,
	lb_sched_dh_ops, lb_sched_sh_ops, lb_sched_sed_ops, lb_sched_nq_ops,
	lb_sched_fo_ops, lb_sched_ovf_ops, lb_sched_mh_ops, lb_sched_twos_ops;

static inline int32_t
lb_sched_active(const struct lb_dest *d)
{
	return __atomic_load_n(&d->state->activeconns, __ATOMIC_RELAXED);
}

static inline bool
lb_sched_overloaded(const struct lb_dest *d)
{
	return __atomic_load_n(&d->state->flags, __ATOMIC_RELAXED) & LB_DEST_F_OVERLOAD;
}

/* ip_vs_dest_conn_overhead(): activeconns * 256 + inactconns. */
static inline int64_t
lb_sched_overhead(const struct lb_dest *d)
{
	return (int64_t)lb_sched_active(d) * 256 +
	       __atomic_load_n(&d->state->inactconns, __ATOMIC_RELAXED);
}

/* The kernel's hash_32() (include/linux/hash.h, generic version). */
static inline uint32_t
lb_sched_hash_32(uint32_t val, unsigned int bits)
{
	return (val * 0x61C88647u) >> (32 - bits);
}

#define LB_SIPROUND(v0, v1, v2, v3) do { \
	v0 += v1; v1 = (v1 << 13) | (v1 >> 51); v1 ^= v0; v0 = (v0 << 32) | (v0 >> 32); \
	v2 += v3; v3 = (v3 << 16) | (v3 >> 48); v3 ^= v2; \
	v0 += v3; v3 = (v3 << 21) | (v3 >> 43); v3 ^= v0; \
	v2 += v1; v1 = (v1 << 17) | (v1 >> 47); v1 ^= v2; v2 = (v2 << 32) | (v2 >> 32); \
} while (0)

/*
 * The kernel's hsiphash() of one u32 on a 64-bit kernel (lib/siphash.c:
 * SipHash-1-3 with a 128-bit key, result truncated to 32 bits), as
 * ip_vs_mh.c calls it: hsiphash(&v, sizeof(v), key).
 */
static inline uint32_t
lb_sched_hsiphash_u32(uint32_t v, uint64_t k0, uint64_t k1)
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
	uint64_t v3 = 0x7465646279746573ULL ^ k1;
	uint64_t b = ((uint64_t)4 << 56) | v;

	v3 ^= b;
	LB_SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	LB_SIPROUND(v0, v1, v2, v3);
	LB_SIPROUND(v0, v1, v2, v3);
	LB_SIPROUND(v0, v1, v2, v3);
	return (uint32_t)((v0 ^ v1) ^ (v2 ^ v3));
}

/*
 * IPVS's weighted least-connection pick over the whole service (wlc, and
 * the "pick a new server" step of lblc and lblcr). Any lcore.
 */
struct lb_dest *lb_sched_wlc_pick(struct lb_service *svc);

/*
 * lblc/lblcr's is_overloaded(): d has more active connections than its
 * weight and some server is under half of its own. Any lcore.
 */
bool lb_sched_lblc_overloaded(const struct lb_service *svc, const struct lb_dest *d);

/* Zeroed, cache-line aligned memory; release with free(). Control lcore. */
void *lb_sched_zalloc(size_t size);

/* 0 when nb_workers is a usable worker count, else -EINVAL. Any lcore. */
int lb_sched_check_workers(unsigned int nb_workers);

/* init_service/done_service of schedulers without state. Control lcore. */
int lb_sched_init_none(struct lb_service *svc, unsigned int nb_workers);
void lb_sched_done_free(struct lb_service *svc);

/* mh's check of its table size (0 = default). Any lcore. */
int lb_sched_mh_check_size(uint32_t size);

/*
 * TSC ticks in sec seconds, for expiry; INT64_MAX when the TSC rate is
 * unknown (EAL not initialised). Any lcore.
 */
uint64_t lb_sched_tsc_seconds(uint64_t sec);

#endif
