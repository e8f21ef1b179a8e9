/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_IP_CSUM_H
#define LB_IP_CSUM_H

#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_branch_prediction.h>

/*
 * A one's-complement sum kept in 64 bits (any value), folded to 16 bits
 * with its end-around carries (RFC 1071 2(C)): 64 to 32 bits with the
 * carry added back, then 32 to 16 as Linux's csum_fold does, the upper
 * half of sum + sum rotated by 16 (the two halves and the carry out of
 * the lower one). 8 instructions where four rounds of shift-and-add took
 * 20; test_classify checks it against the plain fold and rte_raw_cksum.
 */
static inline uint16_t
lb_csum_fold64(uint64_t s)
{
	uint32_t lo = (uint32_t)s, hi = (uint32_t)(s >> 32);
	uint32_t t = lo + hi;

	t += t < lo;			/* the carry out of bit 31, added back */
	return (uint16_t)((t + ((t >> 16) | (t << 16))) >> 16);
}

/* 32-bit words of p added into 64 bits: n a multiple of 4. */
static __rte_always_inline uint64_t
lb_csum_add_words(const uint8_t *p, uint16_t n)
{
	uint64_t s = 0;
	uint32_t w;
	uint16_t i;

	for (i = 0; i + 4 <= n; i += 4) {
		memcpy(&w, p + i, sizeof(w));
		s += w;
	}
	return s;
}

/*
 * The one's-complement sum of the IPv4 header at ip, hlen bytes (a
 * multiple of 4: 20 to 60), folded to 16 bits; the header's checksum is
 * right when it is 0xffff. Adds 32-bit words into 64 bits and folds once
 * (RFC 1071 2(C)), where rte_raw_cksum adds 16-bit words one by one: 5
 * additions for a 20-byte header instead of 10 dependent ones. A header
 * without options, nearly every one, takes an unrolled path: the loop
 * over a variable length cost about 40 instructions more a packet
 * (callgrind, bench_pipeline DR). Words as they lie in memory (RFC 1071
 * 2(B)). Pure; reads exactly hlen bytes.
 */
static inline uint16_t
lb_ipv4_hdr_sum(const void *ip, uint16_t hlen)
{
	const uint8_t *p = ip;
	uint32_t w[5];

	if (likely(hlen == 20)) {	/* written out: gcc -O2 keeps a loop of 5 */
		memcpy(w, p, sizeof(w));
		return lb_csum_fold64((uint64_t)w[0] + w[1] + w[2] + w[3] + w[4]);
	}
	return lb_csum_fold64(lb_csum_add_words(p, hlen));
}

#endif
