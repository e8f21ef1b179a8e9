/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_REWRITE_PRIV_H
#define LB_REWRITE_PRIV_H

/*
 * Internals shared by the rewrite_*.c files: incremental one's-complement
 * checksum arithmetic (RFC 1624) and the bounds-checked L4 locator. Not for
 * use outside the rewrite module.
 *
 * The checksum helpers work on 16-bit words exactly as they lie in memory
 * (the one's-complement sum is byte-order independent, RFC 1071 2(B)), so
 * network-order values go in and out without byte swapping.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_mbuf.h>

/* Byte offset of the checksum in a TCP and a UDP header. */
#define LB_TCP_CSUM_OFF 16
#define LB_UDP_CSUM_OFF 6

static inline uint16_t
lb_ld16(const void *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void
lb_st16(void *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* Add to a checksum difference the change of a 32-bit field from -> to. */
static inline uint32_t
lb_csum_diff32(uint32_t diff, uint32_t from, uint32_t to)
{
	return diff + (uint16_t)~from + (uint16_t)~(from >> 16) +
	       (to & 0xffff) + (to >> 16);
}

/* Add to a checksum difference the change of a 16-bit field from -> to. */
static inline uint32_t
lb_csum_diff16(uint32_t diff, uint16_t from, uint16_t to)
{
	return diff + (uint16_t)~from + to;
}

/*
 * Apply a difference to a stored checksum: HC' = ~(~HC + ~m + m'),
 * RFC 1624 eqn. 3. diff must be the sum of at most a few hundred terms.
 */
static inline uint16_t
lb_csum_apply(uint16_t csum, uint32_t diff)
{
	uint32_t s = (uint16_t)~csum + diff;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* Where the L4 header of an IPv4 packet is (lb_rewrite_find_l4). */
struct lb_l4_loc {
	uint16_t l4_off;	/* from the start of the frame */
	uint16_t l4_len;	/* IP payload bytes from l4_off */
	uint16_t csum_off;	/* L4 checksum offset within the L4 header */
	uint8_t proto;
	bool has_l4;		/* false: non-first fragment, no L4 header */
};

/*
 * Check the IPv4 header at l3_off and the TCP/UDP header behind it and
 * fill *loc. Returns 0, -EPROTONOSUPPORT (not TCP or UDP), -EINVAL
 * (truncated headers). Pure.
 */
int lb_rewrite_find_l4(const struct rte_mbuf *m, uint16_t l3_off,
		       struct lb_l4_loc *loc);

#endif
