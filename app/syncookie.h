/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_SYNCOOKIE_H
#define LB_SYNCOOKIE_H

/*
 * TCP SYN cookies (RFC 4987 3.6, the scheme of Linux's
 * secure_tcp_syn_cookie): the initial sequence number of the SYN-ACK the
 * SYN proxy sends encodes the 4-tuple, the client's ISN, a coarse clock
 * and the MSS, keyed with a secret, so the client's ACK alone proves the
 * handshake and nothing is stored per SYN.
 *
 *   cookie = H0(tuple) + client_isn + (count << 24)
 *          + ((H1(tuple, count) + mss_index) & 0xffffff)
 *
 * H0 and H1 are SipHash-2-4 under two 128-bit secrets; count is the clock
 * in 64-second steps; a cookie is good for LB_SYNCOOKIE_MAX_AGE steps
 * (2 to 3 minutes). Only the MSS survives (one of lb_syncookie_mss[]):
 * window scaling, SACK and timestamps are not offered to either side.
 */
#include <stdint.h>

#include <rte_byteorder.h>

#define LB_SYNCOOKIE_PERIOD_S 64
#define LB_SYNCOOKIE_MAX_AGE 2

/*
 * Pick a fresh random secret. Control lcore, before workers start (and
 * never while they run: cookies in flight would stop validating). Returns
 * 0, or -errno when the kernel gave no randomness (logged).
 */
int lb_syncookie_init(void);

/* Set the secret (tests, fuzzing). Same rules as lb_syncookie_init. */
void lb_syncookie_set_secret(const uint64_t key[4]);

/* The clock cookies carry: tsc in steps of LB_SYNCOOKIE_PERIOD_S. Pure. */
static inline uint32_t
lb_syncookie_count(uint64_t tsc, uint64_t hz)
{
	return (uint32_t)(tsc / hz / LB_SYNCOOKIE_PERIOD_S);
}

/*
 * The cookie for a SYN from saddr:sport to daddr:dport (network order)
 * with sequence number isn and MSS option mss (0 = none: 536 is assumed),
 * at clock count. *mss_out gets the MSS the cookie encodes, the largest
 * of lb_syncookie_mss[] not above mss. Pure; any lcore.
 */
uint32_t lb_syncookie_make(rte_be32_t saddr, rte_be32_t daddr, rte_be16_t sport,
			   rte_be16_t dport, uint32_t isn, uint16_t mss, uint32_t count,
			   uint16_t *mss_out);

/*
 * Check the ACK that completes a cookie handshake: its sequence number
 * minus one is the client's isn, its acknowledgment minus one the cookie.
 * Returns the MSS the cookie encodes, or 0 when it is not a cookie of this
 * tuple issued within LB_SYNCOOKIE_MAX_AGE steps of count. Pure; any lcore.
 */
uint16_t lb_syncookie_check(rte_be32_t saddr, rte_be32_t daddr, rte_be16_t sport,
			    rte_be16_t dport, uint32_t isn, uint32_t cookie, uint32_t count);

#endif
