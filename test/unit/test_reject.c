/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a VIP port without a service answers: a TCP RST by RFC 793's rules,
 * an ICMP port unreachable for UDP, both with valid checksums.
 */
#include <netinet/in.h>
#include <string.h>

#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "app/rewrite.h"
#include "test/unit/unit.h"

static const struct rte_ether_addr lb_mac = { { 0x02, 0, 0, 0, 0, 0x01 } };
static const struct rte_ether_addr cl_mac = { { 0x02, 0, 0, 0, 0, 0x02 } };
#define CLIENT rte_cpu_to_be_32(LB_TEST_IPV4(198, 18, 1, 10))
#define VIP rte_cpu_to_be_32(LB_TEST_IPV4(198, 18, 1, 100))

/* client:40000 -> VIP:81 with flags, 12 bytes of TCP options, payload bytes. */
static struct rte_mbuf *
tcp_segment(uint8_t flags, uint16_t payload)
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
	memset(th + 1, 1, 12);		/* NOP options */
	th->cksum = rte_ipv4_udptcp_cksum(ip, th);
	return lb_test_mbuf(buf, (uint16_t)(14 + sizeof(*ip) + tcp_len));
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

void
lb_test_register_reject(void)
{
	CU_pSuite s = CU_add_suite("reject (VIP port without a service)", NULL, NULL);

	CU_add_test(s, "RST for a SYN", test_rst_for_syn);
	CU_add_test(s, "RST for data and FIN", test_rst_for_data);
	CU_add_test(s, "never a RST for a RST", test_no_rst_for_rst);
	CU_add_test(s, "ICMP port unreachable for UDP", test_port_unreachable);
}
