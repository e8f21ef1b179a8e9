/* SPDX-License-Identifier: BSD-3-Clause */
/* SYN cookies: SipHash-2-4 keyed hashes of the 4-tuple (see syncookie.h). */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <rte_common.h>

#include <rte_log.h>

#include "app/syncookie.h"

RTE_LOG_REGISTER_SUFFIX(lb_syncookie_logtype, syncookie, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_syncookie_logtype, "syncookie: " fmt "\n", ##__VA_ARGS__)

#define COOKIE_BITS 24
#define COOKIE_MASK ((1u << COOKIE_BITS) - 1)

/* MSS values a cookie can say (Linux's msstab): index in the low bits. */
static const uint16_t mss_table[] = { 536, 1300, 1440, 1460 };

/* Two SipHash keys: [0..1] for H0, [2..3] for H1. Written before workers run. */
static uint64_t secret[4];

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND							\
	do {								\
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32); \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;			\
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;			\
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32); \
	} while (0)

/* SipHash-2-4 of the 16-byte message (m0, m1) under key (k0, k1). */
static uint64_t
siphash16(uint64_t k0, uint64_t k1, uint64_t m0, uint64_t m1)
{
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
	const uint64_t b = (uint64_t)16 << 56;

	v3 ^= m0; SIPROUND; SIPROUND; v0 ^= m0;
	v3 ^= m1; SIPROUND; SIPROUND; v0 ^= m1;
	v3 ^= b; SIPROUND; SIPROUND; v0 ^= b;
	v2 ^= 0xff;
	SIPROUND; SIPROUND; SIPROUND; SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

static uint32_t
cookie_hash(rte_be32_t saddr, rte_be32_t daddr, rte_be16_t sport, rte_be16_t dport,
	    uint32_t count, unsigned int which)
{
	uint64_t m0 = (uint64_t)saddr | (uint64_t)daddr << 32;
	uint64_t m1 = (uint64_t)sport | (uint64_t)dport << 16 | (uint64_t)count << 32;

	return (uint32_t)siphash16(secret[2 * which], secret[2 * which + 1], m0, m1);
}

int
lb_syncookie_init(void)
{
	uint64_t k[4];

	if (getrandom(k, sizeof(k), 0) != (ssize_t)sizeof(k)) {
		LOG(ERR, "no random bytes for the SYN cookie secret: %s", strerror(errno));
		return -errno;
	}
	lb_syncookie_set_secret(k);
	return 0;
}

void
lb_syncookie_set_secret(const uint64_t key[4])
{
	memcpy(secret, key, sizeof(secret));
}

uint32_t
lb_syncookie_make(rte_be32_t saddr, rte_be32_t daddr, rte_be16_t sport, rte_be16_t dport,
		  uint32_t isn, uint16_t mss, uint32_t count, uint16_t *mss_out)
{
	uint32_t idx = 0, i;

	for (i = 1; i < RTE_DIM(mss_table); i++)
		if (mss >= mss_table[i])
			idx = i;
	*mss_out = mss_table[idx];
	return cookie_hash(saddr, daddr, sport, dport, 0, 0) + isn + (count << COOKIE_BITS) +
	       ((cookie_hash(saddr, daddr, sport, dport, count, 1) + idx) & COOKIE_MASK);
}

uint16_t
lb_syncookie_check(rte_be32_t saddr, rte_be32_t daddr, rte_be16_t sport, rte_be16_t dport,
		   uint32_t isn, uint32_t cookie, uint32_t count)
{
	uint32_t diff, idx;

	cookie -= cookie_hash(saddr, daddr, sport, dport, 0, 0) + isn;
	diff = (count - (cookie >> COOKIE_BITS)) & (0xffffffffu >> COOKIE_BITS);
	if (diff >= LB_SYNCOOKIE_MAX_AGE)
		return 0;
	idx = (cookie - cookie_hash(saddr, daddr, sport, dport, count - diff, 1)) & COOKIE_MASK;
	return idx < RTE_DIM(mss_table) ? mss_table[idx] : 0;
}
