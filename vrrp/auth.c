/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VRRPv2 authentication: PASS keys and the IPsec AH (RFC 2402) ICV,
 * HMAC-MD5 truncated to 96 bits, wire-compatible with keepalived.
 */
#include <errno.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "vrrp/auth.h"
#include "vrrp/codec.h"

bool
lb_vrrp_auth_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
	volatile uint8_t diff = 0;
	size_t i;

	for (i = 0; i < n; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

int
lb_vrrp_set_auth(struct lb_vrrp_wire *w, enum lb_vrrp_auth_type type, const char *secret)
{
	size_t n;

	memset(w->auth_key, 0, sizeof(w->auth_key));
	if (type == LB_VRRP_AUTH_NONE) {
		w->auth_type = type;
		return 0;
	}
	if ((type != LB_VRRP_AUTH_PASS && type != LB_VRRP_AUTH_AH) || secret == NULL)
		return -EINVAL;
	w->auth_type = type;
	n = strlen(secret);
	memcpy(w->auth_key, secret, n > LB_VRRP_AUTH_LEN ? LB_VRRP_AUTH_LEN : n);
	return n > LB_VRRP_AUTH_LEN ? -E2BIG : 0;
}

int
lb_vrrp_ah_icv(const uint8_t *pkt, size_t len, const uint8_t key[8], bool unicast,
	       uint8_t *icv)
{
	uint8_t copy[LB_VRRP_MAX_PKT];
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	size_t ihl;

	if (len > sizeof(copy) || len < 20)
		return -EINVAL;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	if (ihl < 20 || ihl + LB_VRRP_AH_LEN > len)
		return -EINVAL;
	memcpy(copy, pkt, len);
	copy[1] = 0;			/* TOS */
	copy[6] = copy[7] = 0;		/* flags, fragment offset */
	copy[10] = copy[11] = 0;	/* header checksum */
	if (unicast)
		copy[8] = 0;		/* TTL */
	memset(copy + ihl + 12, 0, LB_VRRP_ICV_LEN);
	if (HMAC(EVP_md5(), key, LB_VRRP_AUTH_LEN, copy, len, md, &md_len) == NULL ||
	    md_len < LB_VRRP_ICV_LEN)
		return -ENOTSUP;
	memcpy(icv, md, LB_VRRP_ICV_LEN);
	return 0;
}
