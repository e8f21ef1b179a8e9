/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Packet rewrites on crafted frames. Every NAT/FNAT rewrite must give
 * exactly the bytes of a frame built from scratch with the new tuple and
 * full checksums, which pins addresses, ports, checksums, IP/TCP options
 * and payload at once; independent checksum checks come on top. Then
 * truncation, fragments, DR, IPIP, frag-needed and ICMP error translation.
 */
#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "app/rewrite.h"
#include "app/rewrite_priv.h"
#include "app/rewrite_tun.h"
#include "test/unit/unit.h"

#define L3 14
#define BUFSZ 1600
/* not RTE_IPV4: in DPDK 22.11 it shifts an int, UB for a >= 128 */
#define IP4(a, b, c, d) RTE_BE32((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define BE16(p) RTE_BE16(p)

#define CLIENT	IP4(198, 18, 1, 10)
#define VIP	IP4(198, 18, 0, 100)
#define RIP	IP4(10, 0, 0, 2)
#define LIP	IP4(10, 0, 0, 1)

static const struct rte_ether_addr mac_a = { { 0x02, 0, 0, 0, 0, 0x0a } };
static const struct rte_ether_addr mac_b = { { 0x02, 0, 0, 0, 0, 0x0b } };

/* MSS, SACK-permitted, timestamps, NOP, wscale | NOP NOP SACK with 2 blocks */
static const uint8_t tcp_opts[40] = {
	2, 4, 0x05, 0xb4, 4, 2, 8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 1, 3, 3, 7,
	1, 1, 5, 18, 0, 0, 0x10, 0, 0, 0, 0x20, 0, 0, 0, 0x30, 0, 0, 0, 0x40, 0,
};

struct spec {
	uint8_t proto;
	uint8_t ip_opt;		/* bytes of IP options, multiple of 4 */
	uint8_t tcp_opt;	/* 0, 4, 20 or 40 bytes of tcp_opts */
	bool no_csum;		/* UDP sent without checksum */
	uint16_t frag;		/* flags and fragment offset, host order */
	uint16_t payload;
	struct lb_pkt_tuple t;
};

/* Build Ethernet + IPv4 + TCP/UDP with correct checksums; frame length. */
static uint16_t
build(uint8_t *buf, const struct spec *s)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + L3);
	uint16_t hlen = sizeof(*ip) + s->ip_opt;
	uint16_t l4len = (s->proto == IPPROTO_TCP ? 20 + s->tcp_opt : 8) + s->payload;
	uint8_t *l4 = buf + L3 + hlen, *data;
	uint16_t i;

	memset(buf, 0, L3 + hlen + l4len);
	eth->dst_addr = mac_a;
	eth->src_addr = mac_b;
	eth->ether_type = BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = (uint8_t)(0x40 | hlen / 4);
	ip->type_of_service = 0x10;
	ip->total_length = BE16(hlen + l4len);
	ip->packet_id = BE16(0x1234);
	ip->fragment_offset = BE16(s->frag);
	ip->time_to_live = 63;
	ip->next_proto_id = s->proto;
	ip->src_addr = s->t.saddr;
	ip->dst_addr = s->t.daddr;
	if (s->ip_opt) {
		uint8_t *o = (uint8_t *)(ip + 1);

		memset(o, 1, s->ip_opt);		/* NOPs after ... */
		o[0] = 0x94;				/* ... router alert */
		o[1] = 4;
	}
	if (s->proto == IPPROTO_TCP) {
		struct rte_tcp_hdr *tcp = (struct rte_tcp_hdr *)l4;

		tcp->src_port = s->t.sport;
		tcp->dst_port = s->t.dport;
		tcp->sent_seq = rte_cpu_to_be_32(0x01020304);
		tcp->recv_ack = rte_cpu_to_be_32(0xa0b0c0d0);
		tcp->data_off = (uint8_t)(((20 + s->tcp_opt) / 4) << 4);
		tcp->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
		tcp->rx_win = BE16(512);
		memcpy(tcp + 1, tcp_opts, s->tcp_opt);
		data = l4 + 20 + s->tcp_opt;
	} else {
		struct rte_udp_hdr *udp = (struct rte_udp_hdr *)l4;

		udp->src_port = s->t.sport;
		udp->dst_port = s->t.dport;
		udp->dgram_len = BE16(l4len);
		data = l4 + 8;
	}
	for (i = 0; i < s->payload; i++)
		data[i] = (uint8_t)(i * 7 + 3);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	if (!s->no_csum) {
		uint16_t c = rte_ipv4_udptcp_cksum(ip, l4);

		memcpy(l4 + (s->proto == IPPROTO_TCP ? 16 : 6), &c, 2);
	}
	return L3 + hlen + l4len;
}

static struct rte_mbuf *
mbuf_of(const uint8_t *buf, uint16_t len)
{
	struct rte_mbuf *m = lb_test_mbuf(buf, len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	return m;
}

static const uint8_t *
data_of(const struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod(m, const uint8_t *);
}

enum op { DNAT, SNAT, FNAT };

static int
apply(enum op op, struct rte_mbuf *m, const struct lb_pkt_tuple *n)
{
	switch (op) {
	case DNAT:
		return lb_rewrite_dnat(m, L3, n->daddr, n->dport);
	case SNAT:
		return lb_rewrite_snat(m, L3, n->saddr, n->sport);
	default:
		return lb_rewrite_fnat(m, L3, n->saddr, n->sport, n->daddr, n->dport);
	}
}

/* The tuple op makes of t when asked for n. */
static struct lb_pkt_tuple
after(enum op op, struct lb_pkt_tuple t, const struct lb_pkt_tuple *n)
{
	if (op != SNAT) {
		t.daddr = n->daddr;
		t.dport = n->dport;
	}
	if (op != DNAT) {
		t.saddr = n->saddr;
		t.sport = n->sport;
	}
	return t;
}

/* Checksums verified from scratch, independently of the expected frame. */
static void
check_csums(const uint8_t *frame)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(frame + L3);
	const uint8_t *l4 = (const uint8_t *)ip + rte_ipv4_hdr_len(ip);

	CU_ASSERT_EQUAL(rte_raw_cksum(ip, rte_ipv4_hdr_len(ip)), 0xffff);
	if (ip->next_proto_id == IPPROTO_UDP && l4[6] == 0 && l4[7] == 0)
		return;				/* no UDP checksum */
	CU_ASSERT_EQUAL(rte_ipv4_udptcp_cksum_verify(ip, l4), 0);
}

/*
 * Rewrite the frame of s with op/n and compare it with the frame built
 * for the new tuple; also pin the untouched L4 fields, options, payload.
 */
static void
check_rewrite(enum op op, const struct spec *s, const struct lb_pkt_tuple *n)
{
	uint8_t before[BUFSZ], want[BUFSZ];
	struct spec e = *s;
	uint16_t len, l4off, hdr;
	rte_be16_t sp, dp;
	const uint8_t *got;
	struct rte_mbuf *m;

	e.t = after(op, s->t, n);
	len = build(before, s);
	CU_ASSERT_EQUAL_FATAL(build(want, &e), len);
	m = mbuf_of(before, len);
	CU_ASSERT_EQUAL_FATAL(apply(op, m, n), 0);
	got = data_of(m);
	CU_ASSERT_EQUAL(rte_pktmbuf_data_len(m), len);
	CU_ASSERT(memcmp(got, want, len) == 0);
	check_csums(got);
	CU_ASSERT_EQUAL(lb_pkt_ports(m, L3, &sp, &dp), 0);
	CU_ASSERT_EQUAL(sp, e.t.sport);
	CU_ASSERT_EQUAL(dp, e.t.dport);
	/* all but addresses, ports and checksums is as it was */
	l4off = L3 + 20 + s->ip_opt;
	hdr = s->proto == IPPROTO_TCP ? 20 : 8;
	CU_ASSERT(memcmp(got, before, L3 + 10) == 0);
	CU_ASSERT(memcmp(got + L3 + 20, before + L3 + 20, s->ip_opt) == 0);
	if (s->proto == IPPROTO_TCP) {
		CU_ASSERT(memcmp(got + l4off + 4, before + l4off + 4, 12) == 0);
		CU_ASSERT(memcmp(got + l4off + hdr, tcp_opts, s->tcp_opt) == 0);
		hdr += s->tcp_opt;
	}
	CU_ASSERT(memcmp(got + l4off + hdr, before + l4off + hdr,
			  len - l4off - hdr) == 0);
	if (s->no_csum)
		CU_ASSERT(got[l4off + 6] == 0 && got[l4off + 7] == 0);
	rte_pktmbuf_free(m);
}

static const struct lb_pkt_tuple orig_t = { CLIENT, VIP, BE16(40001), BE16(80), 0 };
static const struct lb_pkt_tuple new_t = { LIP, RIP, BE16(61000), BE16(8080), 0 };

static void
test_nat_matrix(void)
{
	static const uint16_t payloads[] = { 0, 1, 3, 1001 };
	static const uint8_t ip_opts[] = { 0, 4, 40 };
	/* TCP with 0, 4, 20, 40 bytes of options; UDP; UDP without checksum */
	static const struct { uint8_t proto, tcp_opt; bool no_csum; } l4[] = {
		{ IPPROTO_TCP, 0, false }, { IPPROTO_TCP, 4, false },
		{ IPPROTO_TCP, 20, false }, { IPPROTO_TCP, 40, false },
		{ IPPROTO_UDP, 0, false }, { IPPROTO_UDP, 0, true },
	};
	struct spec s = { .t = orig_t };
	unsigned int i, n = RTE_DIM(payloads) * RTE_DIM(ip_opts) * RTE_DIM(l4);
	enum op op;

	for (i = 0; i < n; i++) {
		s.payload = payloads[i % RTE_DIM(payloads)];
		s.ip_opt = ip_opts[i / RTE_DIM(payloads) % RTE_DIM(ip_opts)];
		s.proto = l4[i / RTE_DIM(payloads) / RTE_DIM(ip_opts)].proto;
		s.tcp_opt = l4[i / RTE_DIM(payloads) / RTE_DIM(ip_opts)].tcp_opt;
		s.no_csum = l4[i / RTE_DIM(payloads) / RTE_DIM(ip_opts)].no_csum;
		for (op = DNAT; op <= FNAT; op++)
			check_rewrite(op, &s, &new_t);
	}
}

static uint32_t rnd_state = 0x2545f491;

static uint32_t
rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Random tuples and shapes: checksum corner cases come up by themselves. */
static void
test_nat_random(void)
{
	static const uint8_t tcp_optl[] = { 0, 4, 20, 40 };
	struct lb_pkt_tuple n;
	struct spec s;
	unsigned int i;

	for (i = 0; i < 3000; i++) {
		memset(&s, 0, sizeof(s));
		s.proto = rnd() & 1 ? IPPROTO_TCP : IPPROTO_UDP;
		s.ip_opt = (uint8_t)((rnd() % 11) * 4);
		s.tcp_opt = s.proto == IPPROTO_TCP ? tcp_optl[rnd() % 4] : 0;
		s.no_csum = s.proto == IPPROTO_UDP && rnd() % 4 == 0;
		s.frag = rnd() % 5 == 0 ? RTE_IPV4_HDR_MF_FLAG : RTE_IPV4_HDR_DF_FLAG;
		s.payload = (uint16_t)(rnd() % 300);
		s.t.saddr = rnd();
		s.t.daddr = rnd();
		s.t.sport = (uint16_t)rnd();
		s.t.dport = (uint16_t)rnd();
		n.saddr = rnd();
		n.daddr = rnd();
		n.sport = (uint16_t)rnd();
		n.dport = (uint16_t)rnd();
		check_rewrite(rnd() % 3, &s, &n);
	}
}

/* A random 16-bit word, often 0 or 0xffff. */
static uint16_t
rnd_word(void)
{
	uint32_t r = rnd();

	switch (r & 3) {
	case 0:
		return 0;
	case 1:
		return 0xffff;
	default:
		return (uint16_t)(r >> 8);
	}
}

/*
 * RFC 1624 arithmetic against full recomputation over a 20-byte header
 * (word 0 never zero, as in IPv4): a 32-bit and a 16-bit field changed.
 */
static void
test_csum_arith(void)
{
	unsigned int i, k, bad = 0;
	uint16_t w[10], want, got;
	uint32_t from, to;
	uint16_t to16;

	for (i = 0; i < 1000000; i++) {
		w[0] = 0x0045;
		for (k = 1; k < 10; k++)
			w[k] = rnd_word();
		w[5] = 0;
		w[5] = (uint16_t)~rte_raw_cksum(w, sizeof(w));
		memcpy(&from, &w[6], 4);
		to = (uint32_t)rnd_word() << 16 | rnd_word();
		to16 = rnd_word();
		got = lb_csum_apply(w[5], lb_csum_diff16(lb_csum_diff32(0, from, to),
							 w[2], to16));
		memcpy(&w[6], &to, 4);
		w[2] = to16;
		w[5] = 0;
		want = (uint16_t)~rte_raw_cksum(w, sizeof(w));
		bad += got != want;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* A rewrite whose full checksum comes out 0: UDP sends 0xffff, TCP 0. */
static void
test_csum_zero_result(void)
{
	uint8_t buf[BUFSZ];
	struct spec s = { .payload = 3, .t = orig_t };
	struct lb_pkt_tuple n = new_t;
	unsigned int proto, port;

	for (proto = 0; proto < 2; proto++) {
		s.proto = proto ? IPPROTO_TCP : IPPROTO_UDP;
		for (port = 0; port < 65536; port++) {
			struct spec e = s;
			uint16_t off = L3 + 20 + (proto ? 16 : 6);

			e.t.daddr = n.daddr;
			e.t.dport = (uint16_t)port;
			build(buf, &e);
			if (buf[off] == (proto ? 0 : 0xff) && buf[off + 1] == buf[off])
				break;
		}
		CU_ASSERT_FATAL(port < 65536);
		n.dport = (uint16_t)port;
		check_rewrite(DNAT, &s, &n);
	}
}

/* Swap addresses and ports: the reply to a packet, checksums unchanged. */
static void
mirror(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, L3);
	uint8_t *l4 = (uint8_t *)ip + rte_ipv4_hdr_len(ip), tmp[4];
	rte_be32_t a = ip->src_addr;

	ip->src_addr = ip->dst_addr;
	ip->dst_addr = a;
	memcpy(tmp, l4, 4);
	memcpy(l4, tmp + 2, 2);
	memcpy(l4 + 2, tmp, 2);
}

/* DNAT in, the reply SNATed out: mirrored back, the original bytes. */
static void
test_nat_round_trip(void)
{
	struct spec s = { .proto = IPPROTO_TCP, .ip_opt = 8, .tcp_opt = 20,
			  .payload = 1001, .t = orig_t };
	uint8_t buf[BUFSZ];
	struct rte_mbuf *m;
	unsigned int k;
	uint16_t len;

	for (k = 0; k < 3; k++) {
		s.proto = k == 0 ? IPPROTO_TCP : IPPROTO_UDP;
		s.no_csum = k == 2;
		len = build(buf, &s);
		m = mbuf_of(buf, len);
		CU_ASSERT_EQUAL(lb_rewrite_dnat(m, L3, RIP, BE16(8080)), 0);
		mirror(m);			/* RIP:8080 -> client */
		check_csums(data_of(m));
		CU_ASSERT_EQUAL(lb_rewrite_snat(m, L3, VIP, BE16(80)), 0);
		mirror(m);
		CU_ASSERT(memcmp(data_of(m), buf, len) == 0);
		/* FNAT both ways */
		CU_ASSERT_EQUAL(lb_rewrite_fnat(m, L3, LIP, BE16(61000),
						RIP, BE16(8080)), 0);
		mirror(m);
		CU_ASSERT_EQUAL(lb_rewrite_fnat(m, L3, VIP, BE16(80),
						CLIENT, BE16(40001)), 0);
		mirror(m);
		CU_ASSERT(memcmp(data_of(m), buf, len) == 0);
		rte_pktmbuf_free(m);
	}
}

/* Every rewrite refuses the frame with `want` and leaves it as it was. */
static void
expect_refused(const uint8_t *buf, uint16_t len, int want, int want_ports)
{
	struct rte_mbuf *m = mbuf_of(buf, len);
	rte_be16_t sp, dp;
	unsigned int op;

	for (op = DNAT; op <= FNAT; op++)
		CU_ASSERT_EQUAL(apply(op, m, &new_t), want);
	CU_ASSERT(memcmp(data_of(m), buf, len) == 0);
	CU_ASSERT_EQUAL(lb_pkt_ports(m, L3, &sp, &dp), want_ports);
	rte_pktmbuf_free(m);
}

/* Cut the IP packet to l4 bytes of L4 (total length and frame). */
static uint16_t
cut(uint8_t *buf, uint16_t l4)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + L3);
	uint16_t hlen = rte_ipv4_hdr_len(ip);

	ip->total_length = BE16(hlen + l4);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return L3 + hlen + l4;
}

static void
test_truncated_l4(void)
{
	struct spec s = { .proto = IPPROTO_TCP, .ip_opt = 4, .tcp_opt = 20, .t = orig_t };
	uint8_t buf[BUFSZ];
	uint16_t len, l4;

	for (l4 = 0; l4 < 40; l4++) {	/* TCP header claims 40 bytes */
		build(buf, &s);
		expect_refused(buf, cut(buf, l4), -EINVAL, -EINVAL);
	}
	len = build(buf, &s);
	buf[L3 + 24 + 12] = 4 << 4;	/* data offset below 5 */
	expect_refused(buf, len, -EINVAL, -EINVAL);
	buf[L3 + 24 + 12] = 15 << 4;	/* 60 bytes claimed, 40 there */
	expect_refused(buf, len, -EINVAL, -EINVAL);
	s.frag = RTE_IPV4_HDR_MF_FLAG;	/* a first fragment needs its header */
	build(buf, &s);
	expect_refused(buf, cut(buf, 8), -EINVAL, -EINVAL);

	s.proto = IPPROTO_UDP;
	s.frag = 0;
	for (l4 = 0; l4 < 8; l4++) {
		build(buf, &s);
		expect_refused(buf, cut(buf, l4), -EINVAL, -EINVAL);
	}
	/* total length beyond the frame (lb_classify drops these first) */
	len = build(buf, &s);
	expect_refused(buf, len - 1, -EINVAL, -EINVAL);
	/* no ports to rewrite */
	s.proto = IPPROTO_ICMP;
	len = build(buf, &s);
	expect_refused(buf, len, -EPROTONOSUPPORT, -ENOENT);
	s.proto = IPPROTO_GRE;
	len = build(buf, &s);
	expect_refused(buf, len, -EPROTONOSUPPORT, -ENOENT);
}

static void
test_fragments(void)
{
	struct spec s = { .proto = IPPROTO_TCP, .ip_opt = 4, .tcp_opt = 20,
			  .payload = 64, .t = orig_t };
	static const uint16_t frags[] = { RTE_IPV4_HDR_MF_FLAG | 100, 100 };
	uint8_t buf[BUFSZ], want[BUFSZ];
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(want + L3);
	rte_be16_t sp, dp;
	unsigned int f, op, k;
	struct rte_mbuf *m;
	uint16_t len;

	/* first fragment: ports and checksum as for a whole datagram */
	s.frag = RTE_IPV4_HDR_MF_FLAG;
	for (op = DNAT; op <= FNAT; op++)
		check_rewrite(op, &s, &new_t);
	/* later fragments: addresses only, the rest untouched even if short */
	for (k = 0; k < 2; k++)
		for (f = 0; f < RTE_DIM(frags); f++)
			for (op = DNAT; op <= FNAT; op++) {
				s.frag = frags[f];
				s.proto = k ? IPPROTO_UDP : IPPROTO_TCP;
				len = build(buf, &s);
				if (k)
					len = cut(buf, 3);
				memcpy(want, buf, len);
				ip->src_addr = after(op, s.t, &new_t).saddr;
				ip->dst_addr = after(op, s.t, &new_t).daddr;
				ip->hdr_checksum = 0;
				ip->hdr_checksum = rte_ipv4_cksum(ip);
				m = mbuf_of(buf, len);
				CU_ASSERT_EQUAL(lb_pkt_ports(m, L3, &sp, &dp), -ENOENT);
				CU_ASSERT_EQUAL(apply(op, m, &new_t), 0);
				CU_ASSERT(memcmp(data_of(m), want, len) == 0);
				CU_ASSERT_EQUAL(rte_raw_cksum(data_of(m) + L3, 24), 0xffff);
				rte_pktmbuf_free(m);
			}
}

/* The TTL a forwarded packet loses, and the one that may not be forwarded. */
static void
test_ttl(void)
{
	struct spec s = { .proto = IPPROTO_TCP, .ip_opt = 4, .tcp_opt = 4, .payload = 10,
			  .t = orig_t };
	uint8_t buf[256], before[256];
	struct rte_ipv4_hdr *ip;
	struct rte_mbuf *m;
	uint16_t len = build(buf, &s);

	m = mbuf_of(buf, len);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, L3);
	CU_ASSERT_EQUAL_FATAL(lb_rewrite_ttl_dec(m, L3), 0);
	CU_ASSERT_EQUAL(ip->time_to_live, 62);
	check_csums(data_of(m));
	ip->time_to_live = 2;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	CU_ASSERT_EQUAL(lb_rewrite_ttl_dec(m, L3), 0);
	CU_ASSERT_EQUAL(ip->time_to_live, 1);
	check_csums(data_of(m));
	memcpy(before, data_of(m), len);
	CU_ASSERT_EQUAL(lb_rewrite_ttl_dec(m, L3), -ETIMEDOUT);	/* 1: expires here */
	CU_ASSERT_EQUAL(memcmp(before, data_of(m), len), 0);
	ip->time_to_live = 0;
	CU_ASSERT_EQUAL(lb_rewrite_ttl_dec(m, L3), -ETIMEDOUT);
	rte_pktmbuf_free(m);
}

/*
 * Decrement the TTL of the header at L3 in m, whose checksum field holds
 * csum: 0 when the header then still sums to 0xffff, its checksum is the
 * one a full recompute gives (rte_ipv4_cksum: never -0), and only its TTL
 * and checksum bytes changed; 1 if not.
 */
static unsigned int
ttl_dec_wrong(struct rte_mbuf *m, struct rte_ipv4_hdr *ip, rte_be16_t csum)
{
	uint8_t before[sizeof(*ip)];
	rte_be16_t got;

	ip->hdr_checksum = csum;
	memcpy(before, ip, sizeof(*ip));
	if (lb_rewrite_ttl_dec(m, L3) != 0 || rte_raw_cksum(ip, sizeof(*ip)) != 0xffff)
		return 1;
	got = ip->hdr_checksum;
	ip->hdr_checksum = 0;
	if (rte_ipv4_cksum(ip) != got)
		return 1;
	ip->hdr_checksum = got;
	before[8]--;					/* TTL */
	memcpy(before + 10, &ip->hdr_checksum, 2);	/* checksum */
	return memcmp(before, ip, sizeof(*ip)) != 0;
}

/*
 * The incremental checksum of a TTL decrement, for every checksum a header
 * can carry: one header whose packet ID runs through all 65536 values (so
 * its checksum does too), at TTLs 2, 64 and 255. Where the checksum is 0,
 * also with 0xffff, its other one's-complement form, which some stacks
 * send: there the end-around carry decides.
 */
static void
test_ttl_every_checksum(void)
{
	static const uint8_t ttls[] = { 2, 64, 255 };
	struct spec s = { .proto = IPPROTO_UDP, .payload = 10, .t = orig_t };
	unsigned int id, t, wrong = 0, zeros = 0;
	uint8_t buf[256];
	struct rte_ipv4_hdr *ip;
	struct rte_mbuf *m;
	uint16_t len = build(buf, &s);
	rte_be16_t csum;

	m = mbuf_of(buf, len);
	CU_ASSERT_FATAL(m != NULL);
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, L3);
	for (t = 0; t < RTE_DIM(ttls); t++) {
		for (id = 0; id <= 0xffff; id++) {
			ip->packet_id = rte_cpu_to_be_16((uint16_t)id);
			ip->time_to_live = ttls[t];
			ip->hdr_checksum = 0;
			csum = rte_ipv4_cksum(ip);
			wrong += ttl_dec_wrong(m, ip, csum);
			if (csum == 0) {
				zeros++;
				ip->time_to_live = ttls[t];
				wrong += ttl_dec_wrong(m, ip, 0xffff);
			}
		}
	}
	CU_ASSERT_EQUAL(wrong, 0);
	CU_ASSERT_EQUAL(zeros, RTE_DIM(ttls));	/* one packet ID each */
	rte_pktmbuf_free(m);
}

static void
test_ether(void)
{
	struct spec s = { .proto = IPPROTO_UDP, .payload = 5, .t = orig_t };
	const struct rte_ether_addr rs = { { 0x02, 0, 0, 0, 0, 0x22 } };
	uint8_t buf[BUFSZ];
	uint16_t len = build(buf, &s);
	struct rte_mbuf *m = mbuf_of(buf, len);
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);

	const struct rte_ether_addr rs2 = { { 0x02, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5 } };
	uint8_t word_bytes[8] = { 0, 0, 0, 0, 0, 0, 0xff, 0xff };	/* 2 bytes over */
	uint64_t word;

	lb_rewrite_ether(m, &mac_a, &rs);
	CU_ASSERT(rte_is_same_ether_addr(&eth->src_addr, &mac_a));
	CU_ASSERT(rte_is_same_ether_addr(&eth->dst_addr, &rs));
	CU_ASSERT(memcmp(data_of(m) + 12, buf + 12, len - 12) == 0);
	CU_ASSERT_EQUAL(rte_pktmbuf_data_len(m), len);
	/* the forwarding path's form: the destination as a word, as the
	 * neighbour cache keeps it (2 bytes over, which the source covers) */
	memcpy(word_bytes, &rs2, sizeof(rs2));
	memcpy(&word, word_bytes, sizeof(word));
	lb_rewrite_ether_word(m, &mac_a, word);
	CU_ASSERT(rte_is_same_ether_addr(&eth->src_addr, &mac_a));
	CU_ASSERT(rte_is_same_ether_addr(&eth->dst_addr, &rs2));
	CU_ASSERT(memcmp(data_of(m) + 12, buf + 12, len - 12) == 0);
	CU_ASSERT_EQUAL(rte_pktmbuf_data_len(m), len);
	rte_pktmbuf_free(m);
}

/* The IPIP frame f of the frame inner (inner_len bytes), outer LIP->RIP. */
static void
check_outer(const uint8_t *f, const uint8_t *inner, uint16_t inner_len, bool df)
{
	const struct rte_ipv4_hdr *out = (const struct rte_ipv4_hdr *)(f + L3);

	CU_ASSERT(memcmp(f, inner, L3) == 0);
	CU_ASSERT_EQUAL(out->version_ihl, 0x45);
	CU_ASSERT_EQUAL(out->type_of_service, 0x10);
	CU_ASSERT_EQUAL(rte_be_to_cpu_16(out->total_length), inner_len - L3 + 20);
	CU_ASSERT_EQUAL(out->fragment_offset, df ? BE16(RTE_IPV4_HDR_DF_FLAG) : 0);
	CU_ASSERT_EQUAL(out->time_to_live, 64);
	CU_ASSERT_EQUAL(out->next_proto_id, IPPROTO_IPIP);
	CU_ASSERT_EQUAL(out->src_addr, LIP);
	CU_ASSERT_EQUAL(out->dst_addr, RIP);
	CU_ASSERT_EQUAL(rte_raw_cksum(out, 20), 0xffff);
	CU_ASSERT(memcmp(f + L3 + 20, inner + L3, inner_len - L3) == 0);
}

/* An mbuf holding buf with only `headroom` bytes in front. */
static struct rte_mbuf *
mbuf_headroom(const uint8_t *buf, uint16_t len, uint16_t headroom)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(lb_test_pool);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	m->data_off = headroom;
	memcpy(rte_pktmbuf_append(m, len), buf, len);
	return m;
}

static void
test_ipip_encap(void)
{
	struct spec s = { .proto = IPPROTO_TCP, .ip_opt = 4, .tcp_opt = 20,
			  .payload = 1001, .frag = RTE_IPV4_HDR_DF_FLAG, .t = orig_t };
	uint8_t buf[BUFSZ];
	uint16_t len = build(buf, &s), tlen = len - L3;
	struct rte_mbuf *m = mbuf_of(buf, len), *m2;
	rte_be16_t id;

	CU_ASSERT_EQUAL_FATAL(lb_rewrite_ipip_encap(m, L3, LIP, RIP, 1500), 0);
	CU_ASSERT_EQUAL(rte_pktmbuf_data_len(m), len + 20);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(m), len + 20);
	check_outer(data_of(m), buf, len, true);
	id = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, L3)->packet_id;
	m2 = mbuf_of(buf, len);
	/* exact fit */
	CU_ASSERT_EQUAL(lb_rewrite_ipip_encap(m2, L3, LIP, RIP, tlen + 20), 0);
	check_outer(data_of(m2), buf, len, true);
	CU_ASSERT_NOT_EQUAL(rte_pktmbuf_mtod_offset(m2, struct rte_ipv4_hdr *,
						    L3)->packet_id, id);
	rte_pktmbuf_free(m);
	rte_pktmbuf_free(m2);

	/* one byte too big: DF asks for frag-needed, no DF for fragmenting */
	m = mbuf_of(buf, len);
	CU_ASSERT_EQUAL(lb_rewrite_ipip_encap(m, L3, LIP, RIP, tlen + 19), -EMSGSIZE);
	CU_ASSERT_EQUAL(lb_rewrite_ipip_encap(m, L3, LIP, RIP, 87), -EINVAL);
	CU_ASSERT(rte_pktmbuf_data_len(m) == len && memcmp(data_of(m), buf, len) == 0);
	rte_pktmbuf_free(m);
	s.frag = 0;
	len = build(buf, &s);
	m = mbuf_of(buf, len);
	CU_ASSERT_EQUAL(lb_rewrite_ipip_encap(m, L3, LIP, RIP, tlen + 19), -EFBIG);
	CU_ASSERT(rte_pktmbuf_data_len(m) == len && memcmp(data_of(m), buf, len) == 0);
	CU_ASSERT_EQUAL(lb_rewrite_ipip_encap(m, L3, LIP, RIP, 1500), 0);
	check_outer(data_of(m), buf, len, false);
	rte_pktmbuf_free(m);

	/* headroom */
	m = mbuf_headroom(buf, len, 19);
	CU_ASSERT_EQUAL(lb_rewrite_ipip_encap(m, L3, LIP, RIP, 1500), -ENOSPC);
	CU_ASSERT(rte_pktmbuf_data_len(m) == len && memcmp(data_of(m), buf, len) == 0);
	rte_pktmbuf_free(m);
	m = mbuf_headroom(buf, len, 20);
	CU_ASSERT_EQUAL(lb_rewrite_ipip_encap(m, L3, LIP, RIP, 1500), 0);
	check_outer(data_of(m), buf, len, false);
	rte_pktmbuf_free(m);

	/* a short frame's Ethernet padding does not follow the packet */
	s.proto = IPPROTO_UDP;
	s.payload = 1;
	s.ip_opt = 0;
	len = build(buf, &s);
	memset(buf + len, 0, 60 - len);
	m = mbuf_of(buf, 60);
	CU_ASSERT_EQUAL(lb_rewrite_ipip_encap(m, L3, LIP, RIP, 1500), 0);
	CU_ASSERT_EQUAL(rte_pktmbuf_data_len(m), len + 20);
	check_outer(data_of(m), buf, len, false);
	rte_pktmbuf_free(m);
}

/*
 * The forwarding path's inline encapsulation: the MACs are left to send_to,
 * the type moves; padding is cut in one segment and in a chain; a longer
 * link header is kept whole.
 */
static void
test_ipip_encap_checked(void)
{
	struct spec s = { .proto = IPPROTO_UDP, .payload = 1, .t = orig_t };
	uint8_t buf[BUFSZ], vlan[BUFSZ + 4], *f;
	uint16_t len = build(buf, &s);
	struct rte_mbuf *m, *tail;

	memset(buf + len, 0xee, 60 - len);
	m = mbuf_of(buf, 60);
	CU_ASSERT_EQUAL_FATAL(lb_rewrite_ipip_encap_checked(m, L3, len - L3, LIP, RIP, 1500), 0);
	CU_ASSERT_EQUAL(rte_pktmbuf_data_len(m), len + 20);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(m), len + 20);
	f = rte_pktmbuf_mtod(m, uint8_t *);
	CU_ASSERT(memcmp(f + 12, buf + 12, 2) == 0);	/* IPv4 */
	memcpy(f, buf, 12);				/* what send_to writes */
	check_outer(f, buf, len, false);
	rte_pktmbuf_free(m);

	/* padding in a second segment: trimmed there */
	m = mbuf_of(buf, len);
	tail = rte_pktmbuf_alloc(lb_test_pool);
	CU_ASSERT_PTR_NOT_NULL_FATAL(tail);
	memset(rte_pktmbuf_append(tail, 60 - len), 0xee, 60 - len);
	CU_ASSERT_EQUAL_FATAL(rte_pktmbuf_chain(m, tail), 0);
	CU_ASSERT_EQUAL_FATAL(lb_rewrite_ipip_encap_checked(m, L3, len - L3, LIP, RIP, 1500), 0);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(m), len + 20);
	CU_ASSERT_EQUAL(rte_pktmbuf_data_len(m), len + 20);
	CU_ASSERT(m->nb_segs == 1 && m->next == NULL);	/* no empty segment sent */
	f = rte_pktmbuf_mtod(m, uint8_t *);
	memcpy(f, buf, 12);
	check_outer(f, buf, len, false);
	rte_pktmbuf_free(m);

	/* an 18-byte link header (802.1Q): kept whole, the outer header behind it */
	memcpy(vlan, buf, 12);
	memcpy(vlan + 12, (const uint8_t[4]){ 0x81, 0x00, 0x00, 0x07 }, 4);
	memcpy(vlan + 16, buf + 12, len - 12);
	m = mbuf_of(vlan, len + 4);
	CU_ASSERT_EQUAL_FATAL(lb_rewrite_ipip_encap_checked(m, L3 + 4, len - L3, LIP, RIP, 1500),
			      0);
	CU_ASSERT_EQUAL(rte_pktmbuf_data_len(m), len + 4 + 20);
	f = rte_pktmbuf_mtod(m, uint8_t *);
	CU_ASSERT(memcmp(f, vlan, L3 + 4) == 0);
	CU_ASSERT_EQUAL(rte_raw_cksum(f + L3 + 4, 20), 0xffff);
	CU_ASSERT_EQUAL(((const struct rte_ipv4_hdr *)(f + L3 + 4))->next_proto_id, IPPROTO_IPIP);
	CU_ASSERT(memcmp(f + L3 + 4 + 20, buf + L3, len - L3) == 0);
	rte_pktmbuf_free(m);
}

/* Ethernet + IPv4 + ICMP type/code quoting q bytes; frame length. */
static uint16_t
build_icmp(uint8_t *buf, rte_be32_t src, rte_be32_t dst, uint8_t type,
	   const uint8_t *q, uint16_t qlen)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(ip + 1);

	memset(buf, 0, L3 + 28);
	eth->dst_addr = mac_a;
	eth->src_addr = mac_b;
	eth->ether_type = BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = 0x45;
	ip->total_length = BE16(28 + qlen);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = src;
	ip->dst_addr = dst;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	icmp->icmp_type = type;
	icmp->icmp_code = type == 3 ? 3 : 0;	/* port unreachable */
	memcpy(icmp + 1, q, qlen);
	icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, 8 + qlen);
	return L3 + 28 + qlen;
}

static void
check_frag_needed(const struct rte_mbuf *e, const uint8_t *orig, uint16_t olen,
		  uint16_t mtu)
{
	const uint8_t *f = data_of(e);
	const struct rte_ether_hdr *eth = (const struct rte_ether_hdr *)f;
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(f + L3);
	const struct rte_icmp_hdr *icmp = (const struct rte_icmp_hdr *)(ip + 1);
	uint16_t quote = RTE_MIN(olen - L3, 576 - 28);

	CU_ASSERT_EQUAL_FATAL(rte_pktmbuf_data_len(e), L3 + 28 + quote);
	CU_ASSERT(rte_is_same_ether_addr(&eth->dst_addr, &mac_b));
	CU_ASSERT(rte_is_same_ether_addr(&eth->src_addr, &mac_a));
	CU_ASSERT_EQUAL(eth->ether_type, BE16(RTE_ETHER_TYPE_IPV4));
	CU_ASSERT_EQUAL(ip->version_ihl, 0x45);
	CU_ASSERT_EQUAL(rte_be_to_cpu_16(ip->total_length), 28 + quote);
	CU_ASSERT(rte_be_to_cpu_16(ip->total_length) <= 576);
	CU_ASSERT_EQUAL(ip->fragment_offset, 0);
	CU_ASSERT_EQUAL(ip->next_proto_id, IPPROTO_ICMP);
	CU_ASSERT_EQUAL(ip->src_addr, VIP);
	CU_ASSERT_EQUAL(ip->dst_addr, CLIENT);
	CU_ASSERT_EQUAL(rte_raw_cksum(ip, 20), 0xffff);
	CU_ASSERT_EQUAL(icmp->icmp_type, 3);
	CU_ASSERT_EQUAL(icmp->icmp_code, 4);
	CU_ASSERT_EQUAL(icmp->icmp_ident, 0);
	CU_ASSERT_EQUAL(rte_be_to_cpu_16(icmp->icmp_seq_nb), mtu);
	CU_ASSERT_EQUAL(rte_raw_cksum(icmp, 8 + quote), 0xffff);
	CU_ASSERT(memcmp(icmp + 1, orig + L3, quote) == 0);
}

static void
expect_no_frag_needed(const uint8_t *buf, uint16_t len, int err)
{
	struct rte_mbuf *m = mbuf_of(buf, len);

	rte_errno = 0;
	CU_ASSERT_PTR_NULL(lb_icmp_frag_needed(lb_test_pool, m, L3, VIP, 1480));
	CU_ASSERT_EQUAL(rte_errno, err);
	rte_pktmbuf_free(m);
}

static void
test_frag_needed(void)
{
	struct spec s = { .proto = IPPROTO_TCP, .ip_opt = 8, .tcp_opt = 20,
			  .payload = 1400, .frag = RTE_IPV4_HDR_DF_FLAG, .t = orig_t };
	uint8_t buf[BUFSZ], q[64];
	uint16_t len = build(buf, &s);
	struct rte_mbuf *m = mbuf_of(buf, len), *e;

	/* what the TUN path does with -EMSGSIZE */
	CU_ASSERT_EQUAL(lb_rewrite_ipip_encap(m, L3, LIP, RIP, 1400), -EMSGSIZE);
	e = lb_icmp_frag_needed(lb_test_pool, m, L3, VIP, 1400 - LB_IPIP_OVERHEAD);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	check_frag_needed(e, buf, len, 1380);
	CU_ASSERT(memcmp(data_of(m), buf, len) == 0);	/* orig untouched */
	rte_pktmbuf_free(e);
	rte_pktmbuf_free(m);

	s.proto = IPPROTO_UDP;		/* small: all of it quoted */
	s.payload = 1;
	len = build(buf, &s);
	m = mbuf_of(buf, len);
	e = lb_icmp_frag_needed(lb_test_pool, m, L3, VIP, 576);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	check_frag_needed(e, buf, len, 576);
	rte_pktmbuf_free(e);
	rte_pktmbuf_free(m);

	/* RFC 1122 3.2.2: no error about these */
	memcpy(q, buf + L3, 37);
	len = build_icmp(buf, CLIENT, VIP, 3, q, 37);
	expect_no_frag_needed(buf, len, EPERM);
	len = build_icmp(buf, CLIENT, VIP, 11, q, 37);
	expect_no_frag_needed(buf, len, EPERM);
	len = build_icmp(buf, CLIENT, VIP, 8, q, 37);	/* echo request: fine */
	m = mbuf_of(buf, len);
	e = lb_icmp_frag_needed(lb_test_pool, m, L3, VIP, 1000);
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	check_frag_needed(e, buf, len, 1000);
	rte_pktmbuf_free(e);
	rte_pktmbuf_free(m);
	s.frag = RTE_IPV4_HDR_DF_FLAG | 10;
	len = build(buf, &s);
	expect_no_frag_needed(buf, len, EPERM);
	s.frag = RTE_IPV4_HDR_DF_FLAG;
	s.t.saddr = IP4(224, 0, 0, 5);
	len = build(buf, &s);
	expect_no_frag_needed(buf, len, EPERM);
	s.t.saddr = CLIENT;
	len = build(buf, &s);
	expect_no_frag_needed(buf, len - 1, EINVAL);
}

/*
 * An ICMP port unreachable src->dst quoting q bytes (0: all) of the packet
 * of `in`; translated to nsrc->ndst quoting the packet of tuple nin, it
 * must equal the error built from scratch for those.
 */
static void
check_icmp(const struct spec *in, uint16_t q, rte_be32_t src, rte_be32_t dst,
	   rte_be32_t nsrc, rte_be32_t ndst, const struct lb_pkt_tuple *nin)
{
	uint8_t ib[BUFSZ], ib2[BUFSZ], buf[BUFSZ], want[BUFSZ];
	const struct rte_ipv4_hdr *ip, *iip;
	struct spec e = *in;
	struct lb_pkt_tuple t;
	struct rte_mbuf *m;
	uint16_t ilen, len;
	const uint8_t *f;

	e.t = *nin;
	ilen = build(ib, in) - L3;
	build(ib2, &e);
	if (q == 0)
		q = ilen;
	len = build_icmp(buf, src, dst, 3, ib + L3, q);
	build_icmp(want, nsrc, ndst, 3, ib2 + L3, q);
	memset(buf + len, 0xee, 6);		/* padding: must stay as it is */
	memset(want + len, 0xee, 6);
	len += 6;
	m = mbuf_of(buf, len);
	CU_ASSERT_EQUAL_FATAL(lb_pkt_icmp_inner(m, L3, &t), 0);
	CU_ASSERT(t.saddr == in->t.saddr && t.daddr == in->t.daddr);
	CU_ASSERT(t.sport == in->t.sport && t.dport == in->t.dport);
	CU_ASSERT_EQUAL(t.proto, in->proto);
	CU_ASSERT_EQUAL_FATAL(lb_rewrite_icmp_error_inner(m, L3, nsrc, ndst, nin), 0);
	f = rte_pktmbuf_mtod(m, uint8_t *);
	CU_ASSERT(memcmp(f, want, len) == 0);
	ip = (const struct rte_ipv4_hdr *)(f + L3);
	iip = (const struct rte_ipv4_hdr *)(f + L3 + 28);
	CU_ASSERT_EQUAL(rte_raw_cksum(ip, 20), 0xffff);
	CU_ASSERT_EQUAL(rte_raw_cksum(ip + 1, len - 6 - L3 - 20), 0xffff);
	CU_ASSERT_EQUAL(rte_raw_cksum(iip, rte_ipv4_hdr_len(iip)), 0xffff);
	if (q == ilen)
		check_csums(f + 28);	/* the whole quoted packet */
	rte_pktmbuf_free(m);
}

static void
test_icmp_error(void)
{
	static const uint16_t payloads[] = { 0, 3, 1001 };
	const struct lb_pkt_tuple c2r = { CLIENT, RIP, BE16(40001), BE16(8080), 0 };
	const struct lb_pkt_tuple c2v = { CLIENT, VIP, BE16(40001), BE16(80), 0 };
	const struct lb_pkt_tuple v2c = { VIP, CLIENT, BE16(80), BE16(40001), 0 };
	const struct lb_pkt_tuple r2c = { RIP, CLIENT, BE16(8080), BE16(40001), 0 };
	const struct lb_pkt_tuple l2r = { LIP, RIP, BE16(61000), BE16(8080), 0 };
	struct spec in = { .tcp_opt = 20 };
	uint16_t quotes[4], hlen, all;
	unsigned int i, q;

	for (i = 0; i < 3 * RTE_DIM(payloads) * 2; i++) {
		in.proto = i % 3 ? IPPROTO_UDP : IPPROTO_TCP;
		in.no_csum = i % 3 == 2;
		in.payload = payloads[i / 3 % RTE_DIM(payloads)];
		in.ip_opt = (uint8_t)(i / 3 / RTE_DIM(payloads) * 8);
		hlen = 20 + in.ip_opt;
		all = hlen + (in.proto == IPPROTO_TCP ? 40 : 8) + in.payload;
		quotes[0] = 0;				/* all of it */
		quotes[1] = hlen + 8;			/* the RFC 792 minimum */
		quotes[2] = RTE_MIN(hlen + 16, all);	/* TCP checksum not quoted */
		quotes[3] = RTE_MIN(hlen + 18, all);	/* ... just quoted */
		for (q = 0; q < RTE_DIM(quotes); q++) {
			/* NAT: port unreachable from the real server */
			in.t = c2r;
			check_icmp(&in, quotes[q], RIP, CLIENT, VIP, CLIENT, &c2v);
			/* NAT: from the client, about a reply */
			in.t = v2c;
			check_icmp(&in, quotes[q], CLIENT, VIP, CLIENT, RIP, &r2c);
			/* FNAT: from the real server */
			in.t = l2r;
			check_icmp(&in, quotes[q], RIP, LIP, VIP, CLIENT, &c2v);
		}
	}
}

static void
expect_icmp_refused(const uint8_t *buf, uint16_t len, int parse, int rewrite)
{
	struct rte_mbuf *m = mbuf_of(buf, len);
	struct lb_pkt_tuple t = new_t;

	CU_ASSERT_EQUAL(lb_pkt_icmp_inner(m, L3, &t), parse);
	CU_ASSERT_EQUAL(lb_rewrite_icmp_error_inner(m, L3, VIP, CLIENT, &new_t), rewrite);
	CU_ASSERT(memcmp(data_of(m), buf, len) == 0);
	rte_pktmbuf_free(m);
}

static void
test_icmp_error_refused(void)
{
	struct spec in = { .proto = IPPROTO_UDP, .payload = 10, .t = orig_t };
	uint8_t ib[BUFSZ], buf[BUFSZ];
	uint16_t ilen = build(ib, &in) - L3, len;

	len = build_icmp(buf, RIP, CLIENT, 8, ib + L3, ilen);	/* echo request */
	expect_icmp_refused(buf, len, -ENOENT, -ENOENT);
	expect_icmp_refused(ib, ilen + L3, -ENOENT, -ENOENT);	/* not ICMP */
	len = build_icmp(buf, RIP, CLIENT, 3, ib + L3, ilen);
	buf[L3 + 20 + 2] ^= 0x40;				/* bad ICMP checksum */
	expect_icmp_refused(buf, len, 0, -EINVAL);
	len = build_icmp(buf, RIP, CLIENT, 3, ib + L3, 27);	/* 7 bytes of UDP */
	expect_icmp_refused(buf, len, -EINVAL, -EINVAL);
	len = build_icmp(buf, RIP, CLIENT, 3, ib + L3, 19);	/* part of IP header */
	expect_icmp_refused(buf, len, -EINVAL, -EINVAL);
	build_icmp(buf, RIP, CLIENT, 3, ib + L3, 0);
	len = cut(buf, 7);					/* ICMP header cut */
	expect_icmp_refused(buf, len, -EINVAL, -EINVAL);
	build_icmp(buf, RIP, CLIENT, 3, ib + L3, 0);
	expect_icmp_refused(buf, L3 + 27, -EINVAL, -EINVAL);	/* frame cut */
	ib[L3 + 3] = 24;					/* quoted: 4 bytes of UDP */
	len = build_icmp(buf, RIP, CLIENT, 3, ib + L3, ilen);
	expect_icmp_refused(buf, len, -EINVAL, -EINVAL);
	in.frag = 100;						/* quoted later fragment */
	ilen = build(ib, &in) - L3;
	len = build_icmp(buf, RIP, CLIENT, 3, ib + L3, ilen);
	expect_icmp_refused(buf, len, -ENOENT, -ENOENT);
	in.frag = 0;
	in.proto = IPPROTO_ICMP;				/* quoted ICMP */
	ilen = build(ib, &in) - L3;
	len = build_icmp(buf, RIP, CLIENT, 3, ib + L3, ilen);
	expect_icmp_refused(buf, len, -ENOENT, -ENOENT);
}

void
lb_test_register_rewrite(void)
{
	CU_pSuite s = CU_add_suite("rewrite", NULL, NULL);

	CU_add_test(s, "NAT/FNAT over options and lengths", test_nat_matrix);
	CU_add_test(s, "NAT/FNAT random tuples", test_nat_random);
	CU_add_test(s, "incremental checksum arithmetic", test_csum_arith);
	CU_add_test(s, "checksum that comes out zero", test_csum_zero_result);
	CU_add_test(s, "DNAT then SNAT of the reply round trip", test_nat_round_trip);
	CU_add_test(s, "truncated L4 refused, packet unchanged", test_truncated_l4);
	CU_add_test(s, "IP fragments", test_fragments);
	CU_add_test(s, "DR MAC rewrite", test_ether);
	CU_add_test(s, "TTL: one less, checksum kept right; 1 and 0 refused", test_ttl);
	CU_add_test(s, "TTL decrement, checksum right for all 65536 checksums",
		    test_ttl_every_checksum);
	CU_add_test(s, "IPIP encapsulation, DF and MTU", test_ipip_encap);
	CU_add_test(s, "IPIP encapsulation inline: padding cut, the MACs left to send_to",
		    test_ipip_encap_checked);
	CU_add_test(s, "ICMP frag-needed", test_frag_needed);
	CU_add_test(s, "ICMP error translation", test_icmp_error);
	CU_add_test(s, "ICMP errors refused", test_icmp_error_refused);
}
