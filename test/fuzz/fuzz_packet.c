/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Fuzz target: any frame through the worker's parsing (lb_classify, the L4
 * port and ICMP-quote parsers, every NAT rewrite, the TCP RST builder, the
 * SYN proxy's MSS reader, segment builder and ISN translation) and
 * the control lcore's (ARP decode, ICMP echo reply). Nothing may read out
 * of bounds, whatever the bytes.
 */
#include <netinet/in.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "app/classify.h"
#include "app/rewrite.h"
#include "pmd-glue/arp.h"
#include "pmd-glue/icmp.h"
#include "test/fuzz/fuzz_eal.h"

static struct rte_mempool *pool;
static struct lb_local local;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	pool = lb_fuzz_eal_pool((*argv)[0]);
	local.port_mac[0] = (struct rte_ether_addr){ { 0x02, 0, 0, 0, 0, 1 } };
	lb_local_add_addr(&local, rte_cpu_to_be_32(0xc6120101));	/* 198.18.1.1 */
	return 0;
}

/* A fresh copy of the frame, so each stage sees the original bytes. */
static struct rte_mbuf *
frame(const uint8_t *data, size_t size)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	if (m != NULL && rte_pktmbuf_append(m, (uint16_t)size) != NULL) {
		memcpy(rte_pktmbuf_mtod(m, void *), data, size);
		return m;
	}
	rte_pktmbuf_free(m);
	return NULL;
}

/* The SYN proxy's segment work on a TCP segment lb_pkt_ports accepted. */
static void
syn_proxy(struct rte_mbuf *m, const struct lb_pkt_info *info)
{
	struct lb_tcp_seg seg = { .seq = 1, .ack = 2, .win = 3, .flags = RTE_TCP_SYN_FLAG };
	struct rte_mbuf *copy;

	seg.mss = lb_tcp_mss_option(m, info->l4_off);
	lb_rewrite_tcp_seq(m, info->l3_off, 0x12345678, 0x9abcdef0);
	copy = lb_tcp_copy_headers(pool, m, info->l3_off);
	if (copy != NULL)
		lb_rewrite_tcp_segment(copy, info->l3_off, &seg);
	rte_pktmbuf_free(copy);
	seg.mss = 1460;
	seg.reply = true;
	lb_rewrite_tcp_segment(m, info->l3_off, &seg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lb_pkt_info info;
	enum lb_drop_reason reason;
	struct lb_pkt_tuple q;
	struct rte_mbuf *m;
	enum lb_verdict v;
	rte_be16_t sp, dp;
	struct lb_arp arp;

	if (size > 1600)
		return 0;
	m = frame(data, size);
	if (m == NULL)
		return 0;
	v = lb_classify(&local, 0, m, &info, &reason);
	rte_pktmbuf_free(m);
	if (v == LB_VERDICT_DROP)
		return 0;
	if (info.ether_type == RTE_ETHER_TYPE_ARP) {
		m = frame(data, size);
		if (m != NULL && lb_arp_decode(m, info.l3_off, &arp) == 0 &&
		    arp.op == RTE_ARP_OP_REQUEST)
			lb_arp_make_reply(m, info.l3_off, &arp, &local.port_mac[0]);
		rte_pktmbuf_free(m);
		return 0;
	}
	if (info.proto == IPPROTO_ICMP) {
		m = frame(data, size);
		if (m != NULL && lb_pkt_icmp_inner(m, info.l3_off, &q) == 0)
			lb_rewrite_icmp_error_inner(m, info.l3_off, q.daddr, q.saddr, &q);
		rte_pktmbuf_free(m);
		m = frame(data, size);
		if (m != NULL)
			lb_icmp_echo_reply(m, info.l3_off);
		rte_pktmbuf_free(m);
		return 0;
	}
	m = frame(data, size);
	if (m != NULL && lb_pkt_ports(m, info.l3_off, &sp, &dp) == 0) {
		lb_rewrite_dnat(m, info.l3_off, 1, 2);
		lb_rewrite_snat(m, info.l3_off, 3, 4);
		lb_rewrite_fnat(m, info.l3_off, 5, 6, 7, 8);
		if (info.proto == IPPROTO_TCP)
			lb_rewrite_tcp_rst(m, info.l3_off);
	}
	rte_pktmbuf_free(m);
	m = frame(data, size);
	if (m != NULL && info.proto == IPPROTO_TCP &&
	    lb_pkt_ports(m, info.l3_off, &sp, &dp) == 0)
		syn_proxy(m, &info);
	rte_pktmbuf_free(m);
	return 0;
}
