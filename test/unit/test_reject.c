/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Segments dplb answers with or makes itself. What a VIP port without a
 * service answers: a TCP RST by RFC 793's rules, an ICMP port unreachable
 * for UDP, both with valid checksums. The SYN proxy's pieces: cookies
 * (only the tuple, ISN and clock they were made for prove them), the
 * SYN-ACK / SYN it builds, the MSS option it reads, the ISN translation.
 */
#include <netinet/in.h>
#include <string.h>

#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "app/rewrite.h"
#include "app/syncookie.h"
#include "test/unit/unit.h"

static const struct rte_ether_addr lb_mac = { { 0x02, 0, 0, 0, 0, 0x01 } };
static const struct rte_ether_addr cl_mac = { { 0x02, 0, 0, 0, 0, 0x02 } };
#define CLIENT rte_cpu_to_be_32(LB_TEST_IPV4(198, 18, 1, 10))
#define VIP rte_cpu_to_be_32(LB_TEST_IPV4(198, 18, 1, 100))

/* 12 bytes of TCP options: NOPs */
static const uint8_t nops[12] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };

/* client:40000 -> VIP:81 with flags, 12 bytes of TCP options opts, payload bytes. */
static struct rte_mbuf *
tcp_segment_opts(uint8_t flags, uint16_t payload, const uint8_t opts[12])
{
	uint8_t buf[256] = { 0 };
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);
	uint16_t tcp_len = sizeof(*th) + 12 + payload;

	eth->dst_addr = lb_mac;
	eth->src_addr = cl_mac;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + tcp_len);
	ip->time_to_live = 7;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = CLIENT;
	ip->dst_addr = VIP;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	th->src_port = rte_cpu_to_be_16(40000);
	th->dst_port = rte_cpu_to_be_16(81);
	th->sent_seq = rte_cpu_to_be_32(1000);
	th->recv_ack = rte_cpu_to_be_32(5555);
	th->data_off = (5 + 3) << 4;
	th->tcp_flags = flags;
	th->rx_win = rte_cpu_to_be_16(64240);
	memcpy(th + 1, opts, 12);
	th->cksum = rte_ipv4_udptcp_cksum(ip, th);
	return lb_test_mbuf(buf, (uint16_t)(14 + sizeof(*ip) + tcp_len));
}

static struct rte_mbuf *
tcp_segment(uint8_t flags, uint16_t payload)
{
	return tcp_segment_opts(flags, payload, nops);
}

static void
check_rst(struct rte_mbuf *m, uint8_t want_flags, uint32_t want_seq, uint32_t want_ack)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);
	const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)(ip + 1);

	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(m), 14 + 20 + 20);
	CU_ASSERT(rte_is_same_ether_addr(&eth->dst_addr, &cl_mac));
	CU_ASSERT_EQUAL(ip->src_addr, VIP);
	CU_ASSERT_EQUAL(ip->dst_addr, CLIENT);
	CU_ASSERT_EQUAL(rte_be_to_cpu_16(ip->total_length), 40);
	CU_ASSERT_EQUAL(rte_raw_cksum(ip, 20), 0xffff);
	CU_ASSERT_EQUAL(rte_ipv4_udptcp_cksum_verify(ip, th), 0);
	CU_ASSERT_EQUAL(rte_be_to_cpu_16(th->src_port), 81);
	CU_ASSERT_EQUAL(rte_be_to_cpu_16(th->dst_port), 40000);
	CU_ASSERT_EQUAL(th->tcp_flags, want_flags);
	CU_ASSERT_EQUAL(rte_be_to_cpu_32(th->sent_seq), want_seq);
	CU_ASSERT_EQUAL(rte_be_to_cpu_32(th->recv_ack), want_ack);
	CU_ASSERT_EQUAL(th->data_off, 5 << 4);
}

static void
test_rst_for_syn(void)
{
	struct rte_mbuf *m = tcp_segment(RTE_TCP_SYN_FLAG, 0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL_FATAL(lb_rewrite_tcp_rst(m, 14), 0);
	/* no ACK in the SYN: seq 0, ack = its seq + 1 (the SYN) */
	check_rst(m, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, 0, 1001);
	rte_pktmbuf_free(m);
}

static void
test_rst_for_data(void)
{
	struct rte_mbuf *m = tcp_segment(RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG, 33);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL_FATAL(lb_rewrite_tcp_rst(m, 14), 0);
	/* with ACK: seq = its ack, bare RST */
	check_rst(m, RTE_TCP_RST_FLAG, 5555, 0);
	rte_pktmbuf_free(m);
	m = tcp_segment(RTE_TCP_FIN_FLAG, 7);
	CU_ASSERT_EQUAL_FATAL(lb_rewrite_tcp_rst(m, 14), 0);
	check_rst(m, RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, 0, 1000 + 7 + 1);
	rte_pktmbuf_free(m);
}

static void
test_no_rst_for_rst(void)
{
	struct rte_mbuf *m = tcp_segment(RTE_TCP_RST_FLAG, 0);

	CU_ASSERT_EQUAL(lb_rewrite_tcp_rst(m, 14), -EINVAL);
	rte_pktmbuf_free(m);
}

static void
test_port_unreachable(void)
{
	uint8_t buf[128] = { 0 };
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *uh = (struct rte_udp_hdr *)(ip + 1);
	const struct rte_ipv4_hdr *eip;
	const struct rte_icmp_hdr *icmp;
	struct rte_mbuf *m, *err;

	eth->dst_addr = lb_mac;
	eth->src_addr = cl_mac;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(20 + 8 + 10);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = CLIENT;
	ip->dst_addr = VIP;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	uh->src_port = rte_cpu_to_be_16(5353);
	uh->dst_port = rte_cpu_to_be_16(53);
	uh->dgram_len = rte_cpu_to_be_16(18);
	m = lb_test_mbuf(buf, 14 + 38);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	err = lb_icmp_error(lb_test_pool, m, 14, VIP, 3, 3, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(err);
	eip = rte_pktmbuf_mtod_offset(err, const struct rte_ipv4_hdr *, 14);
	icmp = (const struct rte_icmp_hdr *)(eip + 1);
	CU_ASSERT_EQUAL(eip->src_addr, VIP);
	CU_ASSERT_EQUAL(eip->dst_addr, CLIENT);
	CU_ASSERT_EQUAL(eip->next_proto_id, IPPROTO_ICMP);
	CU_ASSERT_EQUAL(rte_raw_cksum(eip, 20), 0xffff);
	CU_ASSERT_EQUAL(icmp->icmp_type, 3);
	CU_ASSERT_EQUAL(icmp->icmp_code, 3);
	CU_ASSERT_EQUAL(rte_raw_cksum(icmp, rte_be_to_cpu_16(eip->total_length) - 20), 0xffff);
	/* it quotes the whole (small) datagram */
	CU_ASSERT_EQUAL(memcmp(icmp + 1, ip, 38), 0);
	rte_pktmbuf_free(err);
	rte_pktmbuf_free(m);
}

#define CPORT rte_cpu_to_be_16(40000)
#define VPORT rte_cpu_to_be_16(81)

static void
test_cookie(void)
{
	static const uint64_t key[4] = { 1, 2, 3, 4 }, other[4] = { 1, 2, 3, 5 };
	uint32_t c, now = 1000;
	uint16_t mss;

	lb_syncookie_set_secret(key);
	c = lb_syncookie_make(CLIENT, VIP, CPORT, VPORT, 77, 1460, now, &mss);
	CU_ASSERT_EQUAL(mss, 1460);
	CU_ASSERT_EQUAL(lb_syncookie_check(CLIENT, VIP, CPORT, VPORT, 77, c, now), 1460);
	/* still good one step (64 s) later, not two */
	CU_ASSERT_EQUAL(lb_syncookie_check(CLIENT, VIP, CPORT, VPORT, 77, c, now + 1), 1460);
	CU_ASSERT_EQUAL(lb_syncookie_check(CLIENT, VIP, CPORT, VPORT, 77, c, now + 2), 0);
	/* another ISN, port, address or cookie proves nothing (the ISN is added in,
	 * so one a few off only moves the MSS index, as with Linux's cookies) */
	CU_ASSERT_EQUAL(lb_syncookie_check(CLIENT, VIP, CPORT, VPORT, 77 + 1000, c, now), 0);
	CU_ASSERT_EQUAL(lb_syncookie_check(CLIENT, VIP, rte_cpu_to_be_16(40001), VPORT, 77, c,
					   now), 0);
	CU_ASSERT_EQUAL(lb_syncookie_check(CLIENT + 1, VIP, CPORT, VPORT, 77, c, now), 0);
	CU_ASSERT_EQUAL(lb_syncookie_check(CLIENT, VIP, CPORT, VPORT, 77, c + 1, now), 0);
	CU_ASSERT_EQUAL(lb_syncookie_check(CLIENT, VIP, CPORT, VPORT, 77, c ^ 0x80000000u, now),
			0);
	/* a box with another secret does not take it */
	lb_syncookie_set_secret(other);
	CU_ASSERT_EQUAL(lb_syncookie_check(CLIENT, VIP, CPORT, VPORT, 77, c, now), 0);
	lb_syncookie_set_secret(key);
	/* the MSS is rounded down to one a cookie can say; none means 536 */
	lb_syncookie_make(CLIENT, VIP, CPORT, VPORT, 77, 1400, now, &mss);
	CU_ASSERT_EQUAL(mss, 1300);
	c = lb_syncookie_make(CLIENT, VIP, CPORT, VPORT, 77, 0, now, &mss);
	CU_ASSERT_EQUAL(mss, 536);
	CU_ASSERT_EQUAL(lb_syncookie_check(CLIENT, VIP, CPORT, VPORT, 77, c, now), 536);
	lb_syncookie_make(CLIENT, VIP, CPORT, VPORT, 77, 9000, now, &mss);
	CU_ASSERT_EQUAL(mss, 1460);
}

/* A random tuple's cookie is taken; a guessed one about once in 2^22 or less. */
static void
test_cookie_guess(void)
{
	unsigned int i, taken = 0, guessed = 0;
	uint16_t mss;

	for (i = 0; i < 20000; i++) {
		rte_be32_t a = rte_cpu_to_be_32(0xc6130000 + i);
		uint32_t c = lb_syncookie_make(a, VIP, CPORT, VPORT, i * 7919, 1460, 5, &mss);

		taken += lb_syncookie_check(a, VIP, CPORT, VPORT, i * 7919, c, 5) == 1460;
		guessed += lb_syncookie_check(a, VIP, CPORT, VPORT, i * 7919, i * 2654435761u,
					      5) != 0;
	}
	CU_ASSERT_EQUAL(taken, 20000);
	CU_ASSERT(guessed <= 1);
}

static void
test_mss_option(void)
{
	static const uint8_t mss[12] = { 1, 1, 4, 2, 2, 4, 0x05, 0xb4, 1, 3, 3, 7 };
	static const uint8_t bad[12] = { 1, 8, 40, 2, 4, 0x05, 0xb4, 0, 0, 0, 0, 0 };
	static const uint8_t cut[12] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4 };
	struct rte_mbuf *m = tcp_segment_opts(RTE_TCP_SYN_FLAG, 0, mss);

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(lb_tcp_mss_option(m, 34), 1460);	/* after NOP NOP SACK-ok */
	rte_pktmbuf_free(m);
	m = tcp_segment_opts(RTE_TCP_SYN_FLAG, 0, bad);		/* a length past the header */
	CU_ASSERT_EQUAL(lb_tcp_mss_option(m, 34), 0);
	rte_pktmbuf_free(m);
	m = tcp_segment_opts(RTE_TCP_SYN_FLAG, 0, cut);		/* MSS cut by the header end */
	CU_ASSERT_EQUAL(lb_tcp_mss_option(m, 34), 0);
	rte_pktmbuf_free(m);
	m = tcp_segment(RTE_TCP_SYN_FLAG, 0);
	CU_ASSERT_EQUAL(lb_tcp_mss_option(m, 34), 0);
	rte_pktmbuf_free(m);
}

static const struct rte_tcp_hdr *
tcp_hdr_of(const struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, const struct rte_tcp_hdr *, 14 + 20);
}

static void
test_synack_segment(void)
{
	struct rte_mbuf *m = tcp_segment(RTE_TCP_SYN_FLAG, 0);
	const struct rte_ipv4_hdr *ip;
	const struct rte_tcp_hdr *th;
	const uint8_t *o;
	struct lb_tcp_seg s = { .seq = 0xfffffff0, .ack = 1001, .win = 1460, .mss = 1460,
				.flags = RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, .reply = true };

	CU_ASSERT_EQUAL_FATAL(lb_rewrite_tcp_segment(m, 14, &s), 0);
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, 14);
	th = tcp_hdr_of(m);
	o = (const uint8_t *)(th + 1);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(m), 14 + 20 + 24);
	CU_ASSERT_EQUAL(ip->src_addr, VIP);
	CU_ASSERT_EQUAL(ip->dst_addr, CLIENT);
	CU_ASSERT(rte_is_same_ether_addr(&rte_pktmbuf_mtod(m, const struct rte_ether_hdr *)
					  ->dst_addr, &cl_mac));
	CU_ASSERT_EQUAL(th->src_port, VPORT);
	CU_ASSERT_EQUAL(th->dst_port, CPORT);
	CU_ASSERT_EQUAL(rte_be_to_cpu_32(th->sent_seq), 0xfffffff0);
	CU_ASSERT_EQUAL(rte_be_to_cpu_32(th->recv_ack), 1001);
	CU_ASSERT_EQUAL(th->tcp_flags, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG);
	CU_ASSERT_EQUAL(rte_be_to_cpu_16(th->rx_win), 1460);
	CU_ASSERT_EQUAL(th->data_off, 6 << 4);
	CU_ASSERT(o[0] == 2 && o[1] == 4 && o[2] == 0x05 && o[3] == 0xb4);
	CU_ASSERT_EQUAL(rte_raw_cksum(ip, 20), 0xffff);
	CU_ASSERT_EQUAL(rte_ipv4_udptcp_cksum_verify(ip, th), 0);
	rte_pktmbuf_free(m);
}

/* A data segment's headers copied and made the SYN to the real server. */
static void
test_syn_from_copy(void)
{
	struct rte_mbuf *m = tcp_segment(RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG, 100), *syn;
	const struct rte_ipv4_hdr *ip;
	struct lb_tcp_seg s = { .seq = 999, .win = 64240, .mss = 1300,
				.flags = RTE_TCP_SYN_FLAG };

	syn = lb_tcp_copy_headers(lb_test_pool, m, 14);
	CU_ASSERT_PTR_NOT_NULL_FATAL(syn);
	CU_ASSERT_EQUAL_FATAL(lb_rewrite_tcp_segment(syn, 14, &s), 0);
	ip = rte_pktmbuf_mtod_offset(syn, const struct rte_ipv4_hdr *, 14);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(syn), 14 + 20 + 24);
	CU_ASSERT_EQUAL(ip->src_addr, CLIENT);		/* not a reply: still client -> VIP */
	CU_ASSERT_EQUAL(ip->dst_addr, VIP);
	CU_ASSERT_EQUAL(tcp_hdr_of(syn)->src_port, CPORT);
	CU_ASSERT_EQUAL(rte_be_to_cpu_32(tcp_hdr_of(syn)->sent_seq), 999);
	CU_ASSERT_EQUAL(tcp_hdr_of(syn)->recv_ack, 0);
	CU_ASSERT_EQUAL(rte_ipv4_udptcp_cksum_verify(ip, tcp_hdr_of(syn)), 0);
	/* the original is kept whole */
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(m), 14 + 20 + 32 + 100);
	rte_pktmbuf_free(syn);
	rte_pktmbuf_free(m);
}

static void
test_seq_translation(void)
{
	struct rte_mbuf *m = tcp_segment(RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG, 51);
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *,
								14);

	CU_ASSERT_EQUAL_FATAL(lb_rewrite_tcp_seq(m, 14, 0, 0x80000000u), 0);
	CU_ASSERT_EQUAL(rte_be_to_cpu_32(tcp_hdr_of(m)->recv_ack), 5555 + 0x80000000u);
	CU_ASSERT_EQUAL(rte_be_to_cpu_32(tcp_hdr_of(m)->sent_seq), 1000);
	CU_ASSERT_EQUAL(rte_ipv4_udptcp_cksum_verify(ip, tcp_hdr_of(m)), 0);
	CU_ASSERT_EQUAL_FATAL(lb_rewrite_tcp_seq(m, 14, (uint32_t)-1001, 0), 0);	/* wraps */
	CU_ASSERT_EQUAL(rte_be_to_cpu_32(tcp_hdr_of(m)->sent_seq), 0xffffffffu);
	CU_ASSERT_EQUAL(rte_ipv4_udptcp_cksum_verify(ip, tcp_hdr_of(m)), 0);
	CU_ASSERT_EQUAL(rte_pktmbuf_pkt_len(m), 14 + 20 + 32 + 51);	/* payload kept */
	rte_pktmbuf_free(m);
	/* no ACK flag: the ack field is not a number to translate */
	m = tcp_segment(RTE_TCP_SYN_FLAG, 0);
	CU_ASSERT_EQUAL_FATAL(lb_rewrite_tcp_seq(m, 14, 0, 7), 0);
	CU_ASSERT_EQUAL(rte_be_to_cpu_32(tcp_hdr_of(m)->recv_ack), 5555);
	rte_pktmbuf_free(m);
}

void
lb_test_register_reject(void)
{
	CU_pSuite s = CU_add_suite("reject (VIP port without a service)", NULL, NULL);

	CU_add_test(s, "RST for a SYN", test_rst_for_syn);
	CU_add_test(s, "RST for data and FIN", test_rst_for_data);
	CU_add_test(s, "never a RST for a RST", test_no_rst_for_rst);
	CU_add_test(s, "ICMP port unreachable for UDP", test_port_unreachable);
	s = CU_add_suite("SYN proxy: cookies and segments", NULL, NULL);
	CU_add_test(s, "cookie: tuple, ISN, age, secret, MSS", test_cookie);
	CU_add_test(s, "cookie: 20,000 tuples taken, guesses refused", test_cookie_guess);
	CU_add_test(s, "MSS option: found, malformed, cut, absent", test_mss_option);
	CU_add_test(s, "SYN-ACK with the cookie and MSS", test_synack_segment);
	CU_add_test(s, "SYN to the real server from a data segment's copy", test_syn_from_copy);
	CU_add_test(s, "ISN translation with checksum", test_seq_translation);
}
