/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_VRRP_CODEC_H
#define LB_VRRP_CODEC_H

/*
 * VRRPv2 (RFC 3768) and VRRPv3 (RFC 5798) adverts over IPv4, byte for byte
 * as keepalived puts them on the wire: IPv4 header (TOS 0xC0, TTL 255, no
 * DF, protocol 112, or 51 with an IPsec AH header for v2 auth_type AH),
 * then the VRRP message. Pure functions over byte buffers: no mbufs, no
 * clocks, no logging; thread-safe on distinct buffers and wire structs.
 * IPv6 (v3) is a follow-on: struct lb_vrrp_advert keeps addresses in an
 * array sized per family when it comes.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ether.h>

#define LB_VRRP_PROTO		112
#define LB_VRRP_PROTO_AH	51
#define LB_VRRP_GROUP		((224u << 24) | 18u)	/* 224.0.0.18, host order */
#define LB_VRRP_TTL		255
#define LB_VRRP_TOS		0xc0
#define LB_VRRP_HDR_LEN		8	/* fixed part of the VRRP message */
#define LB_VRRP_AUTH_LEN	8	/* v2 authentication data */
#define LB_VRRP_AH_LEN		24	/* next hdr, len, rsvd, SPI, seq, 96-bit ICV */
#define LB_VRRP_ICV_LEN		12
#define LB_VRRP_MAX_ADDRS	255
/* Largest advert: IPv4 header with options + AH + v2 message with 255 addresses. */
#define LB_VRRP_MAX_PKT		(60 + LB_VRRP_AH_LEN + LB_VRRP_HDR_LEN + \
				 4 * LB_VRRP_MAX_ADDRS + LB_VRRP_AUTH_LEN)

enum lb_vrrp_auth_type {
	LB_VRRP_AUTH_NONE = 0,
	LB_VRRP_AUTH_PASS = 1,
	LB_VRRP_AUTH_AH = 2,
};

/* Which v3 checksum form an advert carried (decode) or is sent with (encode). */
enum lb_vrrp_csum_form {
	LB_VRRP_CSUM_RFC = 0,	/* pseudo-header with the real IPv4 destination */
	LB_VRRP_CSUM_MCAST,	/* pseudo-header with 224.0.0.18 as destination even
				 * when sent unicast: keepalived < 1.3.6 and its
				 * old_unicast_checksum mode */
	LB_VRRP_CSUM_NOPHDR,	/* no pseudo-header, as v2 (Wireshark's "v3 checksum
				 * as in v2" devices); keepalived does not accept it */
};
/* Bits of lb_vrrp_wire.csum_accept: extra v3 forms accepted on receive. */
#define LB_VRRP_ACCEPT_MCAST	(1u << LB_VRRP_CSUM_MCAST)
#define LB_VRRP_ACCEPT_NOPHDR	(1u << LB_VRRP_CSUM_NOPHDR)

/*
 * Why an advert was rejected: each reason has its own negative errno, so
 * the caller counts by reason with lb_vrrp_err_index(). Checked in the
 * order listed.
 */
#define LB_VRRP_ERRORS(X) \
	X(SHORT,	EMSGSIZE,	"truncated")	/* buffer < headers or IPv4 total length */ \
	X(IPHDR,	EPROTO,		"bad_ip_header")	/* not IPv4, IHL < 5, fragment */ \
	X(IPCSUM,	EIO,		"bad_ip_checksum") \
	X(PROTO,	ENOPROTOOPT,	"not_vrrp")	/* IP protocol, AH next header */ \
	X(TTL,		EHOSTUNREACH,	"bad_ttl")	/* TTL != 255 (multicast instance) */ \
	X(VERSION,	EPROTONOSUPPORT, "bad_version") \
	X(TYPE,		EBADMSG,	"bad_type")	/* not an ADVERTISEMENT */ \
	X(LENGTH,	ERANGE,		"bad_length")	/* length vs address count */ \
	X(VRID,		ENXIO,		"bad_vrid") \
	X(DEST,		EADDRNOTAVAIL,	"bad_destination")	/* not 224.0.0.18; unicast: not unicast */ \
	X(PEER,		ECONNREFUSED,	"not_a_peer")	/* unicast: source not in w->peers */ \
	X(AUTHTYPE,	ENOMSG,		"auth_type_mismatch") \
	X(AUTH,		EACCES,		"auth_failed")	/* password or ICV */ \
	X(SPI,		EPERM,		"ah_bad_spi")	/* SPI != source address */ \
	X(REPLAY,	EALREADY,	"ah_replay")	/* sequence number not increasing */ \
	X(CSUM,		EILSEQ,		"bad_checksum")	/* VRRP checksum */ \
	X(INTERVAL,	EDOM,		"bad_interval")	/* zero, or v2 != configured */

enum lb_vrrp_err {
#define LB_VRRP_ERR_ENUM(n, e, s) LB_VRRP_ERR_##n,
	LB_VRRP_ERRORS(LB_VRRP_ERR_ENUM)
#undef LB_VRRP_ERR_ENUM
	LB_VRRP_ERR_MAX
};

/*
 * Per-instance wire parameters, shared by encode and decode. Owned by the
 * control lcore; not thread-safe (decode and encode update ah_seq).
 */
struct lb_vrrp_wire {
	uint8_t version;	/* 2 or 3 */
	uint8_t vrid;		/* 1..255 */
	uint16_t adver_int;	/* v2: seconds (1..255); v3: centiseconds (1..4095) */
	bool unicast;		/* unicast_peer instance: TTL not checked on receive,
				 * TTL zeroed in the AH ICV (as keepalived), adverts
				 * to a unicast destination only (else 224.0.0.18) */
	const uint32_t *peers;	/* unicast: the sources accepted, host order */
	unsigned int nb_peers;	/* 0 = any source */
	uint8_t auth_type;	/* enum lb_vrrp_auth_type; v2 only */
	uint8_t auth_key[LB_VRRP_AUTH_LEN];	/* see lb_vrrp_set_auth() */
	uint8_t tx_csum;	/* enum lb_vrrp_csum_form used by encode (v3) */
	unsigned int csum_accept;	/* LB_VRRP_ACCEPT_* (v3) */
	/*
	 * keepalived's AH sequence counter, one per instance for both ways:
	 * encode increments it and sends it; decode accepts only a sequence
	 * number above it and then stores that number. Sharing it is what
	 * lets a new master continue above the old master's numbers.
	 */
	uint32_t ah_seq;
};

/* One advert, decoded or to encode. Addresses in network byte order. */
struct lb_vrrp_advert {
	rte_be32_t saddr;	/* primary address of the sender */
	rte_be32_t daddr;	/* 224.0.0.18 or the unicast peer */
	uint16_t ip_id;		/* encode: IPv4 identification (keepalived: +1 each) */
	uint8_t ttl;		/* decode only */
	uint8_t version;	/* decode only */
	uint8_t vrid;		/* decode only (encode uses the wire's) */
	uint8_t priority;	/* 0 = resign, 255 = owner */
	uint8_t auth_type;	/* decode only */
	uint8_t csum_form;	/* decode only: enum lb_vrrp_csum_form that matched */
	uint16_t adver_int;	/* decode only: v2 seconds, v3 centiseconds */
	uint32_t ah_seq;	/* decode only, AH adverts */
	uint16_t naddr;
	rte_be32_t addrs[LB_VRRP_MAX_ADDRS];
};

/*
 * Set the v2 authentication of `w`: type NONE, PASS or AH, and the secret
 * the way keepalived's auth_pass takes it: truncated to 8 bytes and
 * zero-padded (AH uses these 8 bytes as the HMAC-MD5 key). Returns 0,
 * -EINVAL for an unknown type or a NULL secret with PASS/AH, or
 * -E2BIG when the secret was truncated (the key is still set: keepalived
 * logs a warning and goes on; the caller should do the same).
 */
int lb_vrrp_set_auth(struct lb_vrrp_wire *w, enum lb_vrrp_auth_type type,
		     const char *secret);

/*
 * Build the IPv4 packet of one advert (IPv4 header, AH when w->auth_type
 * is AH, VRRP message) at buf. Fills the IPv4 and VRRP checksums; with AH
 * increments w->ah_seq first and computes the ICV. Returns the packet
 * length, -EINVAL for values outside the RFC ranges (version, vrid,
 * adver_int, v3 with auth, naddr) or -ENOSPC when size is too small.
 */
int lb_vrrp_encode(struct lb_vrrp_wire *w, const struct lb_vrrp_advert *adv,
		   uint8_t *buf, size_t size);

/*
 * As lb_vrrp_encode() behind a 14-byte Ethernet header. The source MAC is
 * if_mac (keepalived's default), or the VRRP virtual MAC 00:00:5e:00:01:VRID
 * when use_vmac. dst_mac NULL means the IPv4 multicast MAC of adv->daddr
 * (01:00:5e:00:00:12 for 224.0.0.18); -EINVAL if daddr is then not multicast.
 */
int lb_vrrp_encode_eth(struct lb_vrrp_wire *w, const struct lb_vrrp_advert *adv,
		       const struct rte_ether_addr *if_mac, bool use_vmac,
		       const struct rte_ether_addr *dst_mac, uint8_t *buf, size_t size);

/* The VRRP virtual MAC of a VRID: 00:00:5e:00:01:vrid. */
void lb_vrrp_vmac(uint8_t vrid, struct rte_ether_addr *mac);

/*
 * Validate and decode one received IPv4 packet (from the IPv4 header; len
 * may include Ethernet padding past the total length). Checks, in the
 * order of LB_VRRP_ERRORS, everything RFC 3768/5798 and keepalived check,
 * against w (version, vrid, auth, v2 interval, TTL unless w->unicast; the
 * destination 224.0.0.18, or with w->unicast a unicast one from one of
 * w->peers); with AH, accepts only a sequence number above w->ah_seq and
 * stores it.
 * Does not compare the address list with the configured VIPs (that is the
 * instance's business). Returns 0 and fills *out, or -errno from
 * LB_VRRP_ERRORS. Never reads outside buf[0..len).
 */
int lb_vrrp_decode(struct lb_vrrp_wire *w, const uint8_t *buf, size_t len,
		   struct lb_vrrp_advert *out);

/* Index (enum lb_vrrp_err) of a decode error, or -1 if rc is not one. */
int lb_vrrp_err_index(int rc);

/* Counter name of a decode error ("bad_ttl"), "unknown" if not one. */
const char *lb_vrrp_err_name(int rc);

/*
 * Internet checksum (RFC 1071) of len bytes, continuing from a partial
 * 32-bit sum `acc` (0 to start); returns the folded, complemented value
 * in host order, to be stored big-endian.
 */
uint16_t lb_vrrp_cksum(const void *data, size_t len, uint32_t acc);

#endif
