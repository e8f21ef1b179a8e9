/* SPDX-License-Identifier: BSD-3-Clause */
/* Frames of the pipeline benchmark: one 64-byte TCP segment per flow. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_tcp.h>

#include "test/perf/bench_frames.h"

int
bench_frame_build(struct rte_mbuf *m, const struct bench_seg *seg)
{
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_tcp_hdr *tcp;
	char *p = rte_pktmbuf_append(m, BENCH_FRAME_LEN);

	if (p == NULL)
		return -ENOSPC;
	memset(p, 0, BENCH_FRAME_LEN);
	eth = (struct rte_ether_hdr *)p;
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	tcp = (struct rte_tcp_hdr *)(ip + 1);
	rte_ether_addr_copy(seg->dst_mac, &eth->dst_addr);
	rte_ether_addr_copy(seg->src_mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*tcp));
	ip->packet_id = seg->sport;
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = seg->saddr;
	ip->dst_addr = seg->daddr;
	tcp->src_port = seg->sport;
	tcp->dst_port = seg->dport;
	tcp->sent_seq = rte_cpu_to_be_32(0x01000000u);
	tcp->recv_ack = seg->tcp_flags & RTE_TCP_ACK_FLAG ? rte_cpu_to_be_32(0x02000000u) : 0;
	tcp->data_off = (sizeof(*tcp) / 4) << 4;
	tcp->tcp_flags = seg->tcp_flags;
	tcp->rx_win = rte_cpu_to_be_16(65535);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	tcp->cksum = rte_ipv4_udptcp_cksum(ip, tcp);
	m->ol_flags = 0;
	return 0;
}

static uint64_t
gcd(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

uint64_t
bench_stride(uint64_t n)
{
	uint64_t s = n * 618034 / 1000000;

	if (n <= 2)
		return 1;
	if (s == 0)
		s = 1;
	while (gcd(s, n) != 1)
		s++;
	return s;
}
