/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_IP_CSUM_H
#define LB_IP_CSUM_H

#include <stdint.h>
#include <string.h>

/*
 * A one's-complement sum kept in 64 bits (any value), folded to 16 bits
 * with its end-around carries (RFC 1071 2(C)).
 */
static inline uint16_t
lb_csum_fold64(uint64_t s)
{
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/*
 * The one's-complement sum of the IPv4 header at ip, hlen bytes (a
 * multiple of 4: 20 to 60), folded to 16 bits; the header's checksum is
 * right when it is 0xffff. Adds 32-bit words into 64 bits and folds once
 * (RFC 1071 2(C)), where rte_raw_cksum adds 16-bit words one by one: 5
 * additions for a 20-byte header instead of 10 dependent ones. Words as
 * they lie in memory (RFC 1071 2(B)). Pure; reads exactly hlen bytes.
 */
static inline uint16_t
lb_ipv4_hdr_sum(const void *ip, uint16_t hlen)
{
	const uint8_t *p = ip;
	uint64_t s = 0;
	uint32_t w;
	uint16_t i;

	for (i = 0; i + 4 <= hlen; i += 4) {
		memcpy(&w, p + i, sizeof(w));
		s += w;
	}
	return lb_csum_fold64(s);
}

#endif
