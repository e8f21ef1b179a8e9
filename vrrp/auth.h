/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_VRRP_AUTH_H
#define LB_VRRP_AUTH_H

/*
 * VRRPv2 authentication internals shared by the codec: constant-time
 * password compare and the IPsec AH ICV as keepalived computes it.
 * Pure, thread-safe.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when the n bytes at a and b are equal; time independent of content. */
bool lb_vrrp_auth_equal(const uint8_t *a, const uint8_t *b, size_t n);

/*
 * HMAC-MD5-96 ICV of an AH-protected advert pkt[0..len) (IPv4 header at
 * pkt, AH right after its IHL), keyed by the 8-byte key, the way keepalived
 * (vrrp.c: vrrp_update_pkt / vrrp_in_chk_ipsecah) does it: over a copy in
 * which the IPv4 TOS, flags+fragment offset and header checksum are zero,
 * the TTL is zero when `unicast`, and the AH ICV field is zero; the IP
 * identification is covered. Writes LB_VRRP_ICV_LEN bytes to icv.
 * Returns 0, -EINVAL for a length over LB_VRRP_MAX_PKT or a malformed IHL,
 * -ENOTSUP when libcrypto cannot do HMAC-MD5.
 */
int lb_vrrp_ah_icv(const uint8_t *pkt, size_t len, const uint8_t key[8],
		   bool unicast, uint8_t *icv);

#endif
