/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * VRRP codec and state machine. The reference packets below were built by
 * an independent Python implementation (RFC 3768/5798 checksums, HMAC-MD5
 * over the fields keepalived covers) and dissected by tshark with every
 * checksum "[correct]": 198.18.0.1 -> 224.0.0.18, VRID 51, priority 100,
 * IP id 1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test/unit/unit.h"
#include "vrrp/auth.h"
#include "vrrp/codec.h"
#include "vrrp/fsm.h"

#define BE(a, b, c, d) rte_cpu_to_be_32(LB_TEST_IPV4(a, b, c, d))

/* v2, PASS "secret12345" (sent truncated to "secret12"), advert_int 1 s, VIP .100 */
static const uint8_t ref_v2pass[] = {
	0x45, 0xc0, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x14, 0x7f,
	0xc6, 0x12, 0x00, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x21, 0x33, 0x64, 0x01,
	0x01, 0x01, 0x45, 0xd5, 0xc6, 0x12, 0x00, 0x64, 0x73, 0x65, 0x63, 0x72,
	0x65, 0x74, 0x31, 0x32,
};
/* v3, advert_int 100 cs, VIPs .100 .101 */
static const uint8_t ref_v3[] = {
	0x45, 0xc0, 0x00, 0x24, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x14, 0x83,
	0xc6, 0x12, 0x00, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x31, 0x33, 0x64, 0x02,
	0x00, 0x64, 0x36, 0xd1, 0xc6, 0x12, 0x00, 0x64, 0xc6, 0x12, 0x00, 0x65,
};
/* v2, AH key "pass", SPI 198.18.0.1, seq 1, VIP .100 */
static const uint8_t ref_v2ah[] = {
	0x45, 0xc0, 0x00, 0x40, 0x00, 0x01, 0x00, 0x00, 0xff, 0x33, 0x14, 0xa4,
	0xc6, 0x12, 0x00, 0x01, 0xe0, 0x00, 0x00, 0x12, 0x70, 0x04, 0x00, 0x00,
	0xc6, 0x12, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0xea, 0x2c, 0x09, 0x42,
	0x0e, 0x1f, 0xc9, 0x0c, 0x7f, 0xca, 0x29, 0xee, 0x21, 0x33, 0x64, 0x01,
	0x02, 0x01, 0xb2, 0x53, 0xc6, 0x12, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};
/*
 * Unicast 198.18.1.1 -> 198.18.1.2 (the lab's dplb -> keepalived), built by
 * the same independent Python and checked by tshark (both checksums Good):
 * v2 PASS "secret" with VIP .1.100; v3 with VIPs .1.100 .1.101, its
 * checksum over a pseudo-header holding the unicast destination.
 */
static const uint8_t ref_v2uc[] = {
	0x45, 0xc0, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x2c, 0x7d,
	0xc6, 0x12, 0x01, 0x01, 0xc6, 0x12, 0x01, 0x02, 0x21, 0x33, 0x64, 0x01,
	0x01, 0x01, 0x76, 0x07, 0xc6, 0x12, 0x01, 0x64, 0x73, 0x65, 0x63, 0x72,
	0x65, 0x74, 0x00, 0x00,
};
static const uint8_t ref_v3uc[] = {
	0x45, 0xc0, 0x00, 0x24, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x2c, 0x81,
	0xc6, 0x12, 0x01, 0x01, 0xc6, 0x12, 0x01, 0x02, 0x31, 0x33, 0x64, 0x02,
	0x00, 0x64, 0x4c, 0xcf, 0xc6, 0x12, 0x01, 0x64, 0xc6, 0x12, 0x01, 0x65,
};
/* v3 unicast to 198.18.0.2, checksummed with 224.0.0.18 (old keepalived) */
static const uint8_t ref_v3mcastform[] = {
	0x45, 0xc0, 0x00, 0x20, 0x00, 0x01, 0x00, 0x00, 0xff, 0x70, 0x2e, 0x85,
	0xc6, 0x12, 0x00, 0x01, 0xc6, 0x12, 0x00, 0x02, 0x31, 0x33, 0x64, 0x01,
	0x00, 0x64, 0xfd, 0x4d, 0xc6, 0x12, 0x00, 0x64,
};

static void
wire_init(struct lb_vrrp_wire *w, uint8_t version, enum lb_vrrp_auth_type auth, const char *pw)
{
	memset(w, 0, sizeof(*w));
	w->version = version;
	w->vrid = 51;
	w->adver_int = version == 2 ? 1 : 100;
	if (auth != LB_VRRP_AUTH_NONE)
		lb_vrrp_set_auth(w, auth, pw);
}

static void
adv_init(struct lb_vrrp_advert *a, rte_be32_t daddr, unsigned int naddr)
{
	unsigned int i;

	memset(a, 0, sizeof(*a));
	a->saddr = BE(198, 18, 0, 1);
	a->daddr = daddr;
	a->ip_id = 1;
	a->priority = 100;
	a->naddr = (uint16_t)naddr;
	for (i = 0; i < naddr; i++)
		a->addrs[i] = BE(198, 18, 0, 100 + i);
}

static void
fix_ip(uint8_t *p)
{
	p[10] = p[11] = 0;
	uint16_t c = lb_vrrp_cksum(p, 20, 0);
	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
}

/* Recompute the VRRP checksum at v (len bytes), v2 style or with acc. */
static void
fix_vrrp(uint8_t *v, size_t len, uint32_t acc)
{
	v[6] = v[7] = 0;
	uint16_t c = lb_vrrp_cksum(v, len, acc);
	v[6] = (uint8_t)(c >> 8);
	v[7] = (uint8_t)c;
}

static uint32_t
v3_phdr(const uint8_t *ip, size_t vlen)
{
	uint32_t acc = 112 + (uint32_t)vlen;
	int i;

	for (i = 12; i < 20; i += 2)
		acc += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	return acc;
}

static void
test_v2_pass_bytes(void)
{
	struct lb_vrrp_wire w;
	struct lb_vrrp_advert a, d;
	uint8_t buf[256];

	wire_init(&w, 2, LB_VRRP_AUTH_NONE, NULL);
	CU_ASSERT_EQUAL(lb_vrrp_set_auth(&w, LB_VRRP_AUTH_PASS, "secret12345"), -E2BIG);
	CU_ASSERT_EQUAL(memcmp(w.auth_key, "secret12", 8), 0);
	adv_init(&a, BE(224, 0, 0, 18), 1);
	CU_ASSERT_EQUAL_FATAL(lb_vrrp_encode(&w, &a, buf, sizeof(buf)), (int)sizeof(ref_v2pass));
	CU_ASSERT_EQUAL(memcmp(buf, ref_v2pass, sizeof(ref_v2pass)), 0);
	CU_ASSERT_EQUAL(lb_vrrp_encode(&w, &a, buf, sizeof(ref_v2pass) - 1), -ENOSPC);
	/* decode, with 6 bytes of Ethernet padding after the packet */
	memset(buf + sizeof(ref_v2pass), 0, 6);
	CU_ASSERT_EQUAL_FATAL(lb_vrrp_decode(&w, buf, sizeof(ref_v2pass) + 6, &d), 0);
	CU_ASSERT_EQUAL(d.version, 2);
	CU_ASSERT_EQUAL(d.vrid, 51);
	CU_ASSERT_EQUAL(d.priority, 100);
	CU_ASSERT_EQUAL(d.adver_int, 1);
	CU_ASSERT_EQUAL(d.auth_type, LB_VRRP_AUTH_PASS);
	CU_ASSERT_EQUAL(d.naddr, 1);
	CU_ASSERT_EQUAL(d.addrs[0], BE(198, 18, 0, 100));
	CU_ASSERT_EQUAL(d.saddr, BE(198, 18, 0, 1));
	CU_ASSERT_EQUAL(d.ttl, 255);
	/* short password: zero padded */
	CU_ASSERT_EQUAL(lb_vrrp_set_auth(&w, LB_VRRP_AUTH_PASS, "ab"), 0);
	CU_ASSERT_EQUAL(memcmp(w.auth_key, "ab\0\0\0\0\0\0", 8), 0);
	CU_ASSERT_EQUAL(lb_vrrp_set_auth(&w, LB_VRRP_AUTH_PASS, NULL), -EINVAL);
}

static void
test_v3_bytes(void)
{
	struct lb_vrrp_wire w;
	struct lb_vrrp_advert a, d;
	uint8_t buf[256];
	unsigned int n;

	wire_init(&w, 3, LB_VRRP_AUTH_NONE, NULL);
	adv_init(&a, BE(224, 0, 0, 18), 2);
	CU_ASSERT_EQUAL_FATAL(lb_vrrp_encode(&w, &a, buf, sizeof(buf)), (int)sizeof(ref_v3));
	CU_ASSERT_EQUAL(memcmp(buf, ref_v3, sizeof(ref_v3)), 0);
	CU_ASSERT_EQUAL_FATAL(lb_vrrp_decode(&w, ref_v3, sizeof(ref_v3), &d), 0);
	CU_ASSERT_EQUAL(d.version, 3);
	CU_ASSERT_EQUAL(d.adver_int, 100);
	CU_ASSERT_EQUAL(d.csum_form, LB_VRRP_CSUM_RFC);
	CU_ASSERT_EQUAL(d.naddr, 2);
	CU_ASSERT_EQUAL(d.addrs[1], BE(198, 18, 0, 101));
	/* 10 ms interval and many addresses round-trip */
	w.adver_int = 1;
	for (n = 0; n <= 40; n += 20) {
		adv_init(&a, BE(224, 0, 0, 18), n);
		a.priority = 255;
		CU_ASSERT_EQUAL_FATAL(lb_vrrp_encode(&w, &a, buf, sizeof(buf)), 28 + 4 * (int)n);
		CU_ASSERT_EQUAL_FATAL(lb_vrrp_decode(&w, buf, 28 + 4 * n, &d), 0);
		CU_ASSERT_EQUAL(d.adver_int, 1);
		CU_ASSERT_EQUAL(d.priority, 255);
		CU_ASSERT_EQUAL(d.naddr, n);
		CU_ASSERT_EQUAL(memcmp(d.addrs, a.addrs, 4 * n), 0);
	}
	/* v3 has no authentication; out-of-range values are refused */
	w.auth_type = LB_VRRP_AUTH_PASS;
	CU_ASSERT_EQUAL(lb_vrrp_encode(&w, &a, buf, sizeof(buf)), -EINVAL);
	w.auth_type = LB_VRRP_AUTH_NONE;
	w.adver_int = 0x1000;
	CU_ASSERT_EQUAL(lb_vrrp_encode(&w, &a, buf, sizeof(buf)), -EINVAL);
}

static void
test_v3_csum_compat(void)
{
	struct lb_vrrp_wire w;
	struct lb_vrrp_advert a, d;
	uint8_t buf[64];

	wire_init(&w, 3, LB_VRRP_AUTH_NONE, NULL);
	w.unicast = true;
	CU_ASSERT_EQUAL(lb_vrrp_decode(&w, ref_v3mcastform, sizeof(ref_v3mcastform), &d), -EILSEQ);
	w.csum_accept = LB_VRRP_ACCEPT_MCAST;
	CU_ASSERT_EQUAL_FATAL(lb_vrrp_decode(&w, ref_v3mcastform, sizeof(ref_v3mcastform), &d), 0);
	CU_ASSERT_EQUAL(d.csum_form, LB_VRRP_CSUM_MCAST);
	/* and we can send that form, to talk to such a peer */
	w.tx_csum = LB_VRRP_CSUM_MCAST;
	adv_init(&a, BE(198, 18, 0, 2), 1);
	CU_ASSERT_EQUAL_FATAL(lb_vrrp_encode(&w, &a, buf, sizeof(buf)), (int)sizeof(ref_v3mcastform));
	CU_ASSERT_EQUAL(memcmp(buf, ref_v3mcastform, sizeof(ref_v3mcastform)), 0);
	/* checksum without pseudo-header: only when asked for */
	fix_vrrp(buf + 20, 12, 0);
	CU_ASSERT_EQUAL(lb_vrrp_decode(&w, buf, sizeof(ref_v3mcastform), &d), -EILSEQ);
	w.csum_accept |= LB_VRRP_ACCEPT_NOPHDR;
	CU_ASSERT_EQUAL(lb_vrrp_decode(&w, buf, sizeof(ref_v3mcastform), &d), 0);
	CU_ASSERT_EQUAL(d.csum_form, LB_VRRP_CSUM_NOPHDR);
}

static void
test_v2_ah(void)
{
	struct lb_vrrp_wire tx, rx;
	struct lb_vrrp_advert a, d;
	uint8_t buf[128], pkt[128];
	size_t len = sizeof(ref_v2ah);

	wire_init(&tx, 2, LB_VRRP_AUTH_AH, "pass");
	wire_init(&rx, 2, LB_VRRP_AUTH_AH, "pass");
	adv_init(&a, BE(224, 0, 0, 18), 1);
	CU_ASSERT_EQUAL_FATAL(lb_vrrp_encode(&tx, &a, buf, sizeof(buf)), (int)len);
	CU_ASSERT_EQUAL(memcmp(buf, ref_v2ah, len), 0);
	CU_ASSERT_EQUAL(tx.ah_seq, 1);
	CU_ASSERT_EQUAL_FATAL(lb_vrrp_decode(&rx, buf, len, &d), 0);
	CU_ASSERT_EQUAL(d.ah_seq, 1);
	CU_ASSERT_EQUAL(rx.ah_seq, 1);
	CU_ASSERT_EQUAL(d.auth_type, LB_VRRP_AUTH_AH);
	CU_ASSERT_EQUAL(lb_vrrp_decode(&rx, buf, len, &d), -EALREADY);	/* replay */
	/* mutable fields (TOS, IP checksum) are not covered */
	memcpy(pkt, buf, len);
	pkt[1] = 0;
	fix_ip(pkt);
	rx.ah_seq = 0;
	CU_ASSERT_EQUAL(lb_vrrp_decode(&rx, pkt, len, &d), 0);
	/* tampered priority, checksums fixed up: the ICV catches it */
	memcpy(pkt, buf, len);
	pkt[44 + 2] = 200;
	fix_vrrp(pkt + 44, 20, 0);
	rx.ah_seq = 0;
	CU_ASSERT_EQUAL(lb_vrrp_decode(&rx, pkt, len, &d), -EACCES);
	/* the IP identification is covered (keepalived >= 1.3 does not zero it) */
	memcpy(pkt, buf, len);
	pkt[5] = 2;
	fix_ip(pkt);
	CU_ASSERT_EQUAL(lb_vrrp_decode(&rx, pkt, len, &d), -EACCES);
	/* wrong key */
	lb_vrrp_set_auth(&rx, LB_VRRP_AUTH_AH, "pasS");
	CU_ASSERT_EQUAL(lb_vrrp_decode(&rx, buf, len, &d), -EACCES);
	lb_vrrp_set_auth(&rx, LB_VRRP_AUTH_AH, "pass");
	/* SPI other than the source address, with a valid ICV */
	memcpy(pkt, buf, len);
	pkt[27] = 9;
	CU_ASSERT_EQUAL_FATAL(lb_vrrp_ah_icv(pkt, len, rx.auth_key, false, pkt + 32), 0);
	CU_ASSERT_EQUAL(lb_vrrp_decode(&rx, pkt, len, &d), -EPERM);
	/* the sequence goes on; a PASS or NONE instance refuses AH and vice versa */
	CU_ASSERT_EQUAL_FATAL(lb_vrrp_encode(&tx, &a, buf, sizeof(buf)), (int)len);
	CU_ASSERT_EQUAL(lb_vrrp_decode(&rx, buf, len, &d), 0);
	CU_ASSERT_EQUAL(d.ah_seq, 2);
	lb_vrrp_set_auth(&rx, LB_VRRP_AUTH_PASS, "pass");
	CU_ASSERT_EQUAL(lb_vrrp_decode(&rx, buf, len, &d), -ENOMSG);
	lb_vrrp_set_auth(&rx, LB_VRRP_AUTH_AH, "pass");
	CU_ASSERT_EQUAL(lb_vrrp_decode(&rx, ref_v2pass, sizeof(ref_v2pass), &d), -ENOMSG);
	/* unicast: TTL is zeroed for the ICV, so a routed advert still passes */
	tx.unicast = rx.unicast = true;
	rx.ah_seq = 0;
	adv_init(&a, BE(198, 18, 0, 2), 1);
	CU_ASSERT_EQUAL_FATAL(lb_vrrp_encode(&tx, &a, buf, sizeof(buf)), (int)len);
	buf[8] = 63;
	fix_ip(buf);
	CU_ASSERT_EQUAL(lb_vrrp_decode(&rx, buf, len, &d), 0);
	CU_ASSERT_EQUAL(d.ttl, 63);
}

enum mut { M_LEN19, M_TRUNC, M_IPVER, M_IHL, M_FRAG, M_IPCSUM, M_PROTO, M_TTL, M_VER,
	   M_TYPE, M_COUNT, M_VRID, M_DEST, M_AUTHTYPE, M_PASS, M_CSUM, M_INTERVAL, M_V3INT0 };

static const struct {
	enum mut m;
	int want;
} malformed[] = {
	{ M_LEN19, -EMSGSIZE }, { M_TRUNC, -EMSGSIZE }, { M_IPVER, -EPROTO },
	{ M_IHL, -EPROTO }, { M_FRAG, -EPROTO }, { M_IPCSUM, -EIO },
	{ M_PROTO, -ENOPROTOOPT }, { M_TTL, -EHOSTUNREACH }, { M_VER, -EPROTONOSUPPORT },
	{ M_TYPE, -EBADMSG }, { M_COUNT, -ERANGE }, { M_VRID, -ENXIO }, { M_DEST, -EADDRNOTAVAIL },
	{ M_AUTHTYPE, -ENOMSG }, { M_PASS, -EACCES }, { M_CSUM, -EILSEQ },
	{ M_INTERVAL, -EDOM }, { M_V3INT0, -EDOM },
};

/* Apply one mutation to a copy of a reference packet; returns the length. */
static size_t
mutate(uint8_t *p, enum mut m)
{
	const uint8_t *ref = m == M_V3INT0 ? ref_v3 : ref_v2pass;
	size_t len = m == M_V3INT0 ? sizeof(ref_v3) : sizeof(ref_v2pass);
	uint8_t *v = p + 20;

	memcpy(p, ref, len);
	switch (m) {
	case M_LEN19: return 19;
	case M_TRUNC: return len - 1;
	case M_IPVER: p[0] = 0x65; fix_ip(p); break;
	case M_IHL: p[0] = 0x44; fix_ip(p); break;
	case M_FRAG: p[6] = 0x20; fix_ip(p); break;		/* more fragments */
	case M_IPCSUM: p[11] ^= 1; break;
	case M_PROTO: p[9] = 17; fix_ip(p); break;
	case M_TTL: p[8] = 254; fix_ip(p); break;
	case M_VER: v[0] = 0x31; break;
	case M_TYPE: v[0] = 0x22; break;
	case M_COUNT: v[3] = 2; break;
	case M_VRID: v[1] = 52; fix_vrrp(v, len - 20, 0); break;
	case M_DEST: p[19] = 2; p[16] = 198; fix_ip(p); break;	/* unicast, not 224.0.0.18 */
	case M_AUTHTYPE: v[4] = 0; fix_vrrp(v, len - 20, 0); break;
	case M_PASS: p[len - 1] ^= 0x20; fix_vrrp(v, len - 20, 0); break;
	case M_CSUM: v[7] ^= 1; break;
	case M_INTERVAL: v[5] = 2; fix_vrrp(v, len - 20, 0); break;
	case M_V3INT0: v[4] = 0xf0; v[5] = 0; fix_vrrp(v, len - 20, v3_phdr(p, len - 20)); break;
	}
	return len;
}

static void
test_malformed(void)
{
	struct lb_vrrp_wire w2, w3;
	struct lb_vrrp_advert d;
	uint8_t p[128];
	unsigned int i;
	int rc, seen = 0;

	wire_init(&w2, 2, LB_VRRP_AUTH_PASS, "secret12");
	wire_init(&w3, 3, LB_VRRP_AUTH_NONE, NULL);
	for (i = 0; i < RTE_DIM(malformed); i++) {
		size_t len = mutate(p, malformed[i].m);

		rc = lb_vrrp_decode(malformed[i].m == M_V3INT0 ? &w3 : &w2, p, len, &d);
		CU_ASSERT_EQUAL(rc, malformed[i].want);
		if (rc != malformed[i].want)
			fprintf(stderr, "\n  mutation %u: got %d (%s), want %d\n", i, rc,
				lb_vrrp_err_name(rc), malformed[i].want);
		CU_ASSERT(lb_vrrp_err_index(rc) >= 0);
		seen |= 1 << lb_vrrp_err_index(rc);
	}
	/* reserved bits of the v3 interval are ignored on receive */
	memcpy(p, ref_v3, sizeof(ref_v3));
	p[24] = 0xf0;
	fix_vrrp(p + 20, 16, v3_phdr(p, 16));
	CU_ASSERT_EQUAL(lb_vrrp_decode(&w3, p, sizeof(ref_v3), &d), 0);
	CU_ASSERT_EQUAL(d.adver_int, 100);
	/* AH-protected advert whose AH is not followed by VRRP */
	memcpy(p, ref_v2ah, sizeof(ref_v2ah));
	p[20] = 6;
	CU_ASSERT_EQUAL(lb_vrrp_decode(&w2, p, sizeof(ref_v2ah), &d), -ENOPROTOOPT);
	/* every reason but SPI/REPLAY (tested with AH), PEER (test_unicast) appeared */
	CU_ASSERT_EQUAL(seen | (1 << LB_VRRP_ERR_SPI) | (1 << LB_VRRP_ERR_REPLAY) |
			(1 << LB_VRRP_ERR_PEER), (1 << LB_VRRP_ERR_MAX) - 1);
	CU_ASSERT_STRING_EQUAL(lb_vrrp_err_name(-EHOSTUNREACH), "bad_ttl");
	CU_ASSERT_STRING_EQUAL(lb_vrrp_err_name(-ENOMEM), "unknown");
}

/*
 * unicast_peer: adverts to a peer's address encode to the reference bytes
 * (v3 pseudo-header with the unicast destination), decode only in unicast
 * mode and only from a listed peer; multicast adverts are refused there.
 */
static void
test_unicast(void)
{
	static const uint32_t peers[] = { LB_TEST_IPV4(198, 18, 1, 9), LB_TEST_IPV4(198, 18, 1, 1) };
	static const struct { const uint8_t *ref; size_t len; uint8_t ver; } c[] = {
		{ ref_v2uc, sizeof(ref_v2uc), 2 }, { ref_v3uc, sizeof(ref_v3uc), 3 },
	};
	struct lb_vrrp_wire w;
	struct lb_vrrp_advert a, d;
	uint8_t buf[128];
	unsigned int i;

	for (i = 0; i < RTE_DIM(c); i++) {
		wire_init(&w, c[i].ver, c[i].ver == 2 ? LB_VRRP_AUTH_PASS : LB_VRRP_AUTH_NONE,
			  "secret");
		adv_init(&a, BE(198, 18, 1, 2), c[i].ver == 2 ? 1 : 2);
		a.saddr = BE(198, 18, 1, 1);
		a.addrs[0] = BE(198, 18, 1, 100);
		a.addrs[1] = BE(198, 18, 1, 101);
		w.unicast = true;
		CU_ASSERT_EQUAL_FATAL(lb_vrrp_encode(&w, &a, buf, sizeof(buf)), (int)c[i].len);
		CU_ASSERT_EQUAL(memcmp(buf, c[i].ref, c[i].len), 0);
		CU_ASSERT_EQUAL(buf[8], 255);		/* TTL 255 even unicast */
		/* a multicast instance refuses a unicast destination */
		w.unicast = false;
		CU_ASSERT_EQUAL(lb_vrrp_decode(&w, c[i].ref, c[i].len, &d), -EADDRNOTAVAIL);
		/* a unicast one takes it from a listed peer, from no one else */
		w.unicast = true;
		w.peers = peers;
		w.nb_peers = 2;
		CU_ASSERT_EQUAL_FATAL(lb_vrrp_decode(&w, c[i].ref, c[i].len, &d), 0);
		CU_ASSERT_EQUAL(d.daddr, BE(198, 18, 1, 2));
		CU_ASSERT_EQUAL(d.saddr, BE(198, 18, 1, 1));
		CU_ASSERT_EQUAL(d.csum_form, LB_VRRP_CSUM_RFC);
		CU_ASSERT_EQUAL(d.naddr, a.naddr);
		w.nb_peers = 1;
		CU_ASSERT_EQUAL(lb_vrrp_decode(&w, c[i].ref, c[i].len, &d), -ECONNREFUSED);
		CU_ASSERT_STRING_EQUAL(lb_vrrp_err_name(-ECONNREFUSED), "not_a_peer");
		/* ... and refuses a multicast advert, even from a peer */
		w.nb_peers = 2;
		a.daddr = BE(224, 0, 0, 18);
		CU_ASSERT_EQUAL_FATAL(lb_vrrp_encode(&w, &a, buf, sizeof(buf)), (int)c[i].len);
		CU_ASSERT_EQUAL(lb_vrrp_decode(&w, buf, c[i].len, &d), -EADDRNOTAVAIL);
		/* the v3 checksum covers the destination: another one breaks it */
		memcpy(buf, c[i].ref, c[i].len);
		buf[19] = 3;
		fix_ip(buf);
		CU_ASSERT_EQUAL(lb_vrrp_decode(&w, buf, c[i].len, &d), c[i].ver == 3 ? -EILSEQ : 0);
	}
	CU_ASSERT_STRING_EQUAL(lb_vrrp_err_name(-EADDRNOTAVAIL), "bad_destination");
}

/* Random corruption never crashes or reads past the buffer (run under ASan). */
static void
test_fuzz(void)
{
	static const struct { const uint8_t *p; size_t len; } refs[] = {
		{ ref_v2pass, sizeof(ref_v2pass) }, { ref_v3, sizeof(ref_v3) },
		{ ref_v2ah, sizeof(ref_v2ah) },
	};
	struct lb_vrrp_wire w;
	struct lb_vrrp_advert d;
	unsigned int i, k;

	srand(5);
	for (i = 0; i < 30000; i++) {
		unsigned int r = (unsigned int)rand() % 3;
		size_t len = refs[r].len;
		uint8_t *p = malloc(len);

		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		memcpy(p, refs[r].p, len);
		for (k = 0; k < 1 + (unsigned int)rand() % 4; k++)
			p[(size_t)rand() % len] = (uint8_t)rand();
		if (rand() % 4 == 0)
			len = (size_t)rand() % (len + 1);
		wire_init(&w, r == 1 ? 3 : 2, r == 0 ? LB_VRRP_AUTH_PASS :
			  r == 2 ? LB_VRRP_AUTH_AH : LB_VRRP_AUTH_NONE, r == 0 ? "secret12" : "pass");
		int rc = lb_vrrp_decode(&w, p, len, &d);
		CU_ASSERT(rc == 0 || lb_vrrp_err_index(rc) >= 0);
		if (rc == 0)
			CU_ASSERT(d.naddr <= LB_VRRP_MAX_ADDRS);
		free(p);
	}
}

static void
test_eth(void)
{
	static const struct rte_ether_addr if_mac = { { 0x02, 0, 0, 0, 0, 0x01 } };
	static const uint8_t mcast[] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x12 };
	static const uint8_t vmac[] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 51 };
	struct lb_vrrp_wire w;
	struct lb_vrrp_advert a;
	uint8_t f[128];
	int n = (int)sizeof(ref_v3) + 14;

	wire_init(&w, 3, LB_VRRP_AUTH_NONE, NULL);
	adv_init(&a, BE(224, 0, 0, 18), 2);
	CU_ASSERT_EQUAL_FATAL(lb_vrrp_encode_eth(&w, &a, &if_mac, false, NULL, f, sizeof(f)), n);
	CU_ASSERT_EQUAL(memcmp(f, mcast, 6), 0);
	CU_ASSERT_EQUAL(memcmp(f + 6, if_mac.addr_bytes, 6), 0);
	CU_ASSERT(f[12] == 0x08 && f[13] == 0x00);
	CU_ASSERT_EQUAL(memcmp(f + 14, ref_v3, sizeof(ref_v3)), 0);
	CU_ASSERT_EQUAL_FATAL(lb_vrrp_encode_eth(&w, &a, &if_mac, true, NULL, f, sizeof(f)), n);
	CU_ASSERT_EQUAL(memcmp(f + 6, vmac, 6), 0);
	/* unicast peer: the caller gives the neighbour's MAC */
	a.daddr = BE(198, 18, 0, 2);
	CU_ASSERT_EQUAL(lb_vrrp_encode_eth(&w, &a, &if_mac, false, NULL, f, sizeof(f)), -EINVAL);
	CU_ASSERT_EQUAL(lb_vrrp_encode_eth(&w, &a, &if_mac, false, &if_mac, f, sizeof(f)), n);
	CU_ASSERT_EQUAL(memcmp(f, if_mac.addr_bytes, 6), 0);
}

/* ---- state machine ---- */

#define T0 1000000ull	/* any non-zero start time, us */
#define SEC 1000000ull

static void
fsm_new(struct lb_vrrp_fsm *f, uint8_t version, uint8_t prio, uint32_t adver_cs,
	rte_be32_t primary)
{
	struct lb_vrrp_fsm_cfg c = {
		.version = version, .priority = prio, .adver_int_cs = adver_cs,
		.primary = primary,
	};

	CU_ASSERT_EQUAL_FATAL(lb_vrrp_fsm_init(f, &c), 0);
}

static unsigned int
rx(struct lb_vrrp_fsm *f, uint8_t prio, rte_be32_t from, uint16_t adver_cs, uint64_t now)
{
	struct lb_vrrp_fsm_input in = {
		.ev = LB_VRRP_EV_ADVERT, .priority = prio, .saddr = from, .adver_int_cs = adver_cs,
	};

	return lb_vrrp_fsm_input(f, &in, now);
}

static unsigned int
ev(struct lb_vrrp_fsm *f, enum lb_vrrp_event e, uint64_t now)
{
	struct lb_vrrp_fsm_input in = { .ev = e };

	return lb_vrrp_fsm_input(f, &in, now);
}

static void
test_fsm_takeover(void)
{
	struct lb_vrrp_fsm f;
	uint64_t mdi;

	/* v3, priority 100, 1 s: skew = 156 * 100 / 256 cs = 609375 us */
	fsm_new(&f, 3, 100, 100, BE(198, 18, 0, 1));
	CU_ASSERT_EQUAL(ev(&f, LB_VRRP_EV_STARTUP, T0), 0);
	CU_ASSERT_EQUAL(f.state, LB_VRRP_STATE_BACKUP);
	CU_ASSERT_EQUAL(lb_vrrp_fsm_skew_us(&f), 609375);
	mdi = lb_vrrp_fsm_master_down_us(&f);
	CU_ASSERT_EQUAL(mdi, 3 * SEC + 609375);
	CU_ASSERT_EQUAL(lb_vrrp_fsm_deadline(&f), T0 + mdi);
	CU_ASSERT_EQUAL(lb_vrrp_fsm_poll(&f, T0 + mdi - 1), 0);
	CU_ASSERT_EQUAL(lb_vrrp_fsm_poll(&f, T0 + mdi),
			LB_VRRP_ACT_SEND_ADVERT | LB_VRRP_ACT_BECOME_MASTER);
	CU_ASSERT_STRING_EQUAL(lb_vrrp_state_name(f.state), "MASTER");
	CU_ASSERT_EQUAL(lb_vrrp_fsm_deadline(&f), T0 + mdi + SEC);
	CU_ASSERT_EQUAL(lb_vrrp_fsm_poll(&f, T0 + mdi + SEC), LB_VRRP_ACT_SEND_ADVERT);
	CU_ASSERT_EQUAL(lb_vrrp_fsm_deadline(&f), T0 + mdi + 2 * SEC);

	/* v2, priority 200, 2 s: 6 s + 56/256 s */
	fsm_new(&f, 2, 200, 200, BE(198, 18, 0, 1));
	ev(&f, LB_VRRP_EV_STARTUP, T0);
	CU_ASSERT_EQUAL(lb_vrrp_fsm_master_down_us(&f), 6 * SEC + 218750);
	/* v3 backup takes the master's interval: 0.1 s from a 1 s config */
	fsm_new(&f, 3, 100, 100, BE(198, 18, 0, 1));
	ev(&f, LB_VRRP_EV_STARTUP, T0);
	rx(&f, 150, BE(198, 18, 0, 2), 10, T0);
	CU_ASSERT_EQUAL(lb_vrrp_fsm_deadline(&f), T0 + 300000 + 60937);
	/* owner: master at once */
	fsm_new(&f, 3, 255, 100, BE(198, 18, 0, 1));
	CU_ASSERT_EQUAL(ev(&f, LB_VRRP_EV_STARTUP, T0),
			LB_VRRP_ACT_SEND_ADVERT | LB_VRRP_ACT_BECOME_MASTER);
	CU_ASSERT_EQUAL(f.state, LB_VRRP_STATE_MASTER);
}

/* Bring f (priority prio, v3 1 s) to MASTER at T0 + its MDI; returns that time. */
static uint64_t
to_master(struct lb_vrrp_fsm *f, uint8_t prio, rte_be32_t primary)
{
	uint64_t t;

	fsm_new(f, 3, prio, 100, primary);
	ev(f, LB_VRRP_EV_STARTUP, T0);
	t = lb_vrrp_fsm_deadline(f);
	lb_vrrp_fsm_poll(f, t);
	CU_ASSERT_EQUAL_FATAL(f->state, LB_VRRP_STATE_MASTER);
	return t;
}

static void
test_fsm_master_rx(void)
{
	struct lb_vrrp_fsm f;
	uint64_t t = to_master(&f, 100, BE(198, 18, 0, 1));

	/* lower priority: assert ourselves with an advert now */
	CU_ASSERT_EQUAL(rx(&f, 90, BE(198, 18, 0, 9), 100, t + 10), LB_VRRP_ACT_SEND_ADVERT);
	CU_ASSERT_EQUAL(lb_vrrp_fsm_deadline(&f), t + 10 + SEC);
	/* our own advert looped back: nothing */
	CU_ASSERT_EQUAL(rx(&f, 100, BE(198, 18, 0, 1), 100, t + 20), 0);
	/* priority 0 from a resigning peer: advert now */
	CU_ASSERT_EQUAL(rx(&f, 0, BE(198, 18, 0, 9), 100, t + 30), LB_VRRP_ACT_SEND_ADVERT);
	/* higher priority: step down, wait Master_Down_Interval of the new master */
	CU_ASSERT_EQUAL(rx(&f, 150, BE(198, 18, 0, 2), 100, t + 40), LB_VRRP_ACT_LEAVE_MASTER);
	CU_ASSERT_EQUAL(f.state, LB_VRRP_STATE_BACKUP);
	CU_ASSERT_EQUAL(f.adver_at, 0);
	CU_ASSERT_EQUAL(lb_vrrp_fsm_deadline(&f), t + 40 + 3 * SEC + 609375);
}

static void
test_fsm_tie(void)
{
	struct lb_vrrp_fsm lo, hi;
	uint64_t t = to_master(&lo, 100, BE(198, 18, 0, 1));

	to_master(&hi, 100, BE(198, 18, 0, 2));
	/* equal priority: the higher primary address wins */
	CU_ASSERT_EQUAL(rx(&hi, 100, BE(198, 18, 0, 1), 100, t), LB_VRRP_ACT_SEND_ADVERT);
	CU_ASSERT_EQUAL(hi.state, LB_VRRP_STATE_MASTER);
	CU_ASSERT_EQUAL(rx(&lo, 100, BE(198, 18, 0, 2), 100, t), LB_VRRP_ACT_LEAVE_MASTER);
	CU_ASSERT_EQUAL(lo.state, LB_VRRP_STATE_BACKUP);
	/* compared as numbers, not bytes in memory: .2 < 10.0.0.1 */
	to_master(&lo, 100, BE(10, 0, 0, 1));
	CU_ASSERT_EQUAL(rx(&lo, 100, BE(9, 255, 255, 255), 100, t), LB_VRRP_ACT_SEND_ADVERT);
	/* in BACKUP an equal priority advert is accepted, address aside */
	fsm_new(&lo, 3, 100, 100, BE(198, 18, 0, 9));
	ev(&lo, LB_VRRP_EV_STARTUP, T0);
	rx(&lo, 100, BE(198, 18, 0, 1), 100, T0 + SEC);
	CU_ASSERT_EQUAL(lb_vrrp_fsm_deadline(&lo), T0 + SEC + 3 * SEC + 609375);
}

static void
test_fsm_resign(void)
{
	struct lb_vrrp_fsm m, b;
	uint64_t t = to_master(&m, 100, BE(198, 18, 0, 1)), skew;

	CU_ASSERT_EQUAL(ev(&m, LB_VRRP_EV_SHUTDOWN, t + 5),
			LB_VRRP_ACT_SEND_PRIO0 | LB_VRRP_ACT_LEAVE_MASTER);
	CU_ASSERT_EQUAL(m.state, LB_VRRP_STATE_INIT);
	CU_ASSERT_EQUAL(lb_vrrp_fsm_deadline(&m), 0);
	/* the backup hears priority 0 and takes over after Skew_Time only */
	fsm_new(&b, 3, 90, 100, BE(198, 18, 0, 2));
	ev(&b, LB_VRRP_EV_STARTUP, T0);
	rx(&b, 100, BE(198, 18, 0, 1), 100, t);
	rx(&b, 0, BE(198, 18, 0, 1), 100, t + 5);
	skew = 166 * 100 * 10000ull / 256;
	CU_ASSERT_EQUAL(lb_vrrp_fsm_deadline(&b), t + 5 + skew);
	CU_ASSERT_EQUAL(lb_vrrp_fsm_poll(&b, t + 5 + skew),
			LB_VRRP_ACT_SEND_ADVERT | LB_VRRP_ACT_BECOME_MASTER);
	/* fault: resign, stop timers; interface back: backup again */
	CU_ASSERT_EQUAL(ev(&b, LB_VRRP_EV_IF_DOWN, t + 2 * SEC),
			LB_VRRP_ACT_SEND_PRIO0 | LB_VRRP_ACT_LEAVE_MASTER);
	CU_ASSERT_EQUAL(b.state, LB_VRRP_STATE_FAULT);
	CU_ASSERT_EQUAL(rx(&b, 100, BE(198, 18, 0, 1), 100, t + 3 * SEC), 0);
	CU_ASSERT_EQUAL(lb_vrrp_fsm_poll(&b, t + 60 * SEC), 0);
	CU_ASSERT_EQUAL(ev(&b, LB_VRRP_EV_IF_UP, t + 61 * SEC), 0);
	CU_ASSERT_EQUAL(b.state, LB_VRRP_STATE_BACKUP);
}

/* Backup priority 200 hears a priority 100 master every second from T0. */
static uint64_t
preempt_run(bool nopreempt, uint32_t delay_ms)
{
	struct lb_vrrp_fsm_cfg c = {
		.version = 3, .priority = 200, .adver_int_cs = 100, .nopreempt = nopreempt,
		.preempt_delay_ms = delay_ms, .primary = BE(198, 18, 0, 2),
	};
	struct lb_vrrp_fsm f;
	uint64_t t;

	CU_ASSERT_EQUAL_FATAL(lb_vrrp_fsm_init(&f, &c), 0);
	ev(&f, LB_VRRP_EV_STARTUP, T0);
	for (t = T0; t < T0 + 30 * SEC; t += SEC / 10) {
		if (lb_vrrp_fsm_poll(&f, t) & LB_VRRP_ACT_BECOME_MASTER)
			return t - T0;
		if ((t - T0) % SEC == 0)
			rx(&f, 100, BE(198, 18, 0, 1), 100, t);
	}
	return 0;
}

static void
test_fsm_preempt(void)
{
	/* preempt: adverts from the lower master are discarded: master one MDI
	 * (3.21875 s) after start-up, at the next 0.1 s poll */
	CU_ASSERT_EQUAL(preempt_run(false, 0), 3 * SEC + 3 * SEC / 10);
	/* nopreempt: stays backup as long as the master speaks */
	CU_ASSERT_EQUAL(preempt_run(true, 0), 0);
	/* preempt_delay 5 s: adverts accepted until 5 s after the first, then
	 * discarded; master one MDI (3.2 s with skew 0.21875 s) after the last
	 * accepted one at 4 s, at the next 0.1 s poll */
	CU_ASSERT_EQUAL(preempt_run(false, 5000), 4 * SEC + 3 * SEC + 3 * SEC / 10);
}

static void
test_fsm_priority(void)
{
	struct lb_vrrp_fsm m, b;
	struct lb_vrrp_fsm_input in = { .ev = LB_VRRP_EV_PRIORITY, .priority = 80 };
	uint64_t t = to_master(&m, 100, BE(198, 18, 0, 1));

	fsm_new(&b, 3, 90, 100, BE(198, 18, 0, 2));
	ev(&b, LB_VRRP_EV_STARTUP, T0);
	rx(&b, 100, BE(198, 18, 0, 1), 100, t);
	/* a failing vrrp_script lowers the master to 80: it says so at once */
	CU_ASSERT_EQUAL(lb_vrrp_fsm_input(&m, &in, t + 1), LB_VRRP_ACT_SEND_ADVERT);
	CU_ASSERT_EQUAL(m.priority, 80);
	/* the backup (90) discards it and takes over one MDI after the last good one */
	CU_ASSERT_EQUAL(rx(&b, 80, BE(198, 18, 0, 1), 100, t + 1), 0);
	CU_ASSERT_EQUAL(lb_vrrp_fsm_poll(&b, lb_vrrp_fsm_deadline(&b)),
			LB_VRRP_ACT_SEND_ADVERT | LB_VRRP_ACT_BECOME_MASTER);
	/* whose advert makes the old master step down */
	CU_ASSERT_EQUAL(rx(&m, 90, BE(198, 18, 0, 2), 100, t + 4 * SEC), LB_VRRP_ACT_LEAVE_MASTER);
	/* priority 0 from tracking is clamped to 1 */
	in.priority = 0;
	lb_vrrp_fsm_input(&m, &in, t + 5 * SEC);
	CU_ASSERT_EQUAL(m.priority, 1);
}

void
lb_test_register_vrrp(void)
{
	CU_pSuite s = CU_add_suite("vrrp", NULL, NULL);

	CU_add_test(s, "v2 PASS bytes and round trip", test_v2_pass_bytes);
	CU_add_test(s, "v3 bytes and round trip", test_v3_bytes);
	CU_add_test(s, "v3 checksum compatibility forms", test_v3_csum_compat);
	CU_add_test(s, "v2 AH: ICV, SPI, replay, tamper", test_v2_ah);
	CU_add_test(s, "malformed adverts, one reason each", test_malformed);
	CU_add_test(s, "unicast: bytes, checksums, destination, peers", test_unicast);
	CU_add_test(s, "random corruption", test_fuzz);
	CU_add_test(s, "Ethernet header, own MAC and VMAC", test_eth);
	CU_add_test(s, "fsm: backup takes over after MDI", test_fsm_takeover);
	CU_add_test(s, "fsm: master receives adverts", test_fsm_master_rx);
	CU_add_test(s, "fsm: equal priority, higher address wins", test_fsm_tie);
	CU_add_test(s, "fsm: priority 0, shutdown, fault", test_fsm_resign);
	CU_add_test(s, "fsm: preempt, nopreempt, preempt_delay", test_fsm_preempt);
	CU_add_test(s, "fsm: tracked priority hands over", test_fsm_priority);
}
