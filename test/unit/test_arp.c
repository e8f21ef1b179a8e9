/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The box's own protocols: ARP codec, ICMP echo replies, the neighbour
 * table, and how EAL and device arguments are built from the config.
 */
#include <string.h>

#include <rte_icmp.h>
#include <rte_ip.h>

#include "app/eal_args.h"
#include "pmd-glue/arp.h"
#include "pmd-glue/icmp.h"
#include "pmd-glue/neigh.h"
#include "pmd-glue/port.h"
#include "test/unit/unit.h"

static const struct rte_ether_addr our_mac = { { 0x02, 0, 0, 0, 0, 0x01 } };
static const struct rte_ether_addr peer_mac = { { 0x02, 0, 0, 0, 0, 0x02 } };
#define OUR_IP rte_cpu_to_be_32(LB_TEST_IPV4(198, 18, 1, 1))
#define PEER_IP rte_cpu_to_be_32(LB_TEST_IPV4(198, 18, 1, 10))

static void
test_arp_request_reply(void)
{
	struct rte_mbuf *m = lb_arp_build_request(lb_test_pool, &peer_mac, PEER_IP, OUR_IP);
	const struct rte_ether_hdr *eth;
	struct lb_arp req, rep;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	CU_ASSERT(rte_is_broadcast_ether_addr(&eth->dst_addr));
	CU_ASSERT_EQUAL(rte_pktmbuf_data_len(m), 42);
	CU_ASSERT_EQUAL_FATAL(lb_arp_decode(m, 14, &req), 0);
	CU_ASSERT_EQUAL(req.op, RTE_ARP_OP_REQUEST);
	CU_ASSERT_EQUAL(req.sip, PEER_IP);
	CU_ASSERT_EQUAL(req.tip, OUR_IP);
	CU_ASSERT(rte_is_same_ether_addr(&req.sha, &peer_mac));

	lb_arp_make_reply(m, 14, &req, &our_mac);
	CU_ASSERT_EQUAL_FATAL(lb_arp_decode(m, 14, &rep), 0);
	CU_ASSERT_EQUAL(rep.op, RTE_ARP_OP_REPLY);
	CU_ASSERT_EQUAL(rep.sip, OUR_IP);
	CU_ASSERT_EQUAL(rep.tip, PEER_IP);
	CU_ASSERT(rte_is_same_ether_addr(&rep.sha, &our_mac));
	CU_ASSERT(rte_is_same_ether_addr(&rep.tha, &peer_mac));
	CU_ASSERT(rte_is_same_ether_addr(&eth->dst_addr, &peer_mac));
	CU_ASSERT(rte_is_same_ether_addr(&eth->src_addr, &our_mac));
	rte_pktmbuf_free(m);
}

static void
test_arp_malformed(void)
{
	struct rte_mbuf *m = lb_arp_build_request(lb_test_pool, &peer_mac, PEER_IP, OUR_IP);
	struct rte_arp_hdr *h;
	struct lb_arp arp;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	h = rte_pktmbuf_mtod_offset(m, struct rte_arp_hdr *, 14);
	h->arp_opcode = rte_cpu_to_be_16(3);
	CU_ASSERT_EQUAL(lb_arp_decode(m, 14, &arp), -EINVAL);
	h->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
	h->arp_hlen = 8;
	CU_ASSERT_EQUAL(lb_arp_decode(m, 14, &arp), -EINVAL);
	h->arp_hlen = 6;
	h->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	CU_ASSERT_EQUAL(lb_arp_decode(m, 14, &arp), -EINVAL);
	h->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	rte_pktmbuf_trim(m, 1);
	CU_ASSERT_EQUAL(lb_arp_decode(m, 14, &arp), -EMSGSIZE);
	rte_pktmbuf_free(m);
}

/* Echo request with `payload` bytes, valid checksums. */
static struct rte_mbuf *
make_echo(uint16_t payload, uint8_t type)
{
	uint8_t buf[256] = { 0 };
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)(ip + 1);
	uint16_t i;

	eth->dst_addr = our_mac;
	eth->src_addr = peer_mac;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(20 + 8 + payload);
	ip->time_to_live = 3;
	ip->next_proto_id = IPPROTO_ICMP;
	ip->src_addr = PEER_IP;
	ip->dst_addr = OUR_IP;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	icmp->icmp_type = type;
	icmp->icmp_ident = rte_cpu_to_be_16(77);
	icmp->icmp_seq_nb = rte_cpu_to_be_16(1);
	for (i = 0; i < payload; i++)
		((uint8_t *)(icmp + 1))[i] = (uint8_t)i;
	icmp->icmp_cksum = ~rte_raw_cksum(icmp, 8 + payload);
	return lb_test_mbuf(buf, 14 + 20 + 8 + payload);
}

static void
test_icmp_echo(void)
{
	uint16_t sizes[] = { 0, 1, 56, 57, 200 };
	unsigned int i;

	for (i = 0; i < RTE_DIM(sizes); i++) {
		struct rte_mbuf *m = make_echo(sizes[i], RTE_IP_ICMP_ECHO_REQUEST);
		struct rte_ipv4_hdr *ip;
		struct rte_icmp_hdr *icmp;

		CU_ASSERT_PTR_NOT_NULL_FATAL(m);
		CU_ASSERT_EQUAL_FATAL(lb_icmp_echo_reply(m, 14), 0);
		ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
		icmp = (struct rte_icmp_hdr *)(ip + 1);
		CU_ASSERT_EQUAL(ip->src_addr, OUR_IP);
		CU_ASSERT_EQUAL(ip->dst_addr, PEER_IP);
		CU_ASSERT_EQUAL(ip->time_to_live, 64);
		CU_ASSERT_EQUAL(rte_raw_cksum(ip, 20), 0xffff);
		CU_ASSERT_EQUAL(icmp->icmp_type, RTE_IP_ICMP_ECHO_REPLY);
		CU_ASSERT_EQUAL(rte_raw_cksum(icmp, 8 + sizes[i]), 0xffff);
		CU_ASSERT_EQUAL(rte_be_to_cpu_16(icmp->icmp_ident), 77);
		CU_ASSERT_EQUAL(rte_pktmbuf_data_len(m), 14 + 28 + sizes[i]);
		rte_pktmbuf_free(m);
	}
}

static void
test_icmp_not_echo_or_bad(void)
{
	struct rte_mbuf *m = make_echo(8, RTE_IP_ICMP_ECHO_REPLY);
	struct rte_icmp_hdr *icmp;

	CU_ASSERT_EQUAL(lb_icmp_echo_reply(m, 14), -ENOENT);	/* kernel's business */
	rte_pktmbuf_free(m);
	m = make_echo(8, RTE_IP_ICMP_ECHO_REQUEST);
	icmp = rte_pktmbuf_mtod_offset(m, struct rte_icmp_hdr *, 34);
	icmp->icmp_cksum ^= 0x1111;
	CU_ASSERT_EQUAL(lb_icmp_echo_reply(m, 14), -EINVAL);
	rte_pktmbuf_free(m);
	m = make_echo(8, RTE_IP_ICMP_ECHO_REQUEST);
	rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14)->fragment_offset =
		rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG);	/* first fragment of a big ping */
	CU_ASSERT_EQUAL(lb_icmp_echo_reply(m, 14), -ENOENT);	/* the kernel reassembles */
	rte_pktmbuf_free(m);
	m = make_echo(8, RTE_IP_ICMP_ECHO_REQUEST);
	rte_pktmbuf_trim(m, 10);	/* IP says more than the frame holds */
	CU_ASSERT_EQUAL(lb_icmp_echo_reply(m, 14), -EINVAL);
	rte_pktmbuf_free(m);
}

static void
test_neigh_table(void)
{
	struct rte_ether_addr mac, other = { { 0x02, 0, 0, 0, 0, 0x33 } };
	uint16_t port = 99;

	CU_ASSERT_EQUAL_FATAL(lb_neigh_init(64, NULL, 60), 0);
	CU_ASSERT_EQUAL(lb_neigh_lookup(PEER_IP, &mac, &port), -ENOENT);
	/* not created by an ARP that was not for us */
	CU_ASSERT_EQUAL(lb_neigh_update(1, PEER_IP, &peer_mac, false), -ENOENT);
	CU_ASSERT_EQUAL(lb_neigh_update(1, PEER_IP, &peer_mac, true), 0);
	CU_ASSERT_EQUAL(lb_neigh_lookup(PEER_IP, &mac, &port), 0);
	CU_ASSERT(rte_is_same_ether_addr(&mac, &peer_mac));
	CU_ASSERT_EQUAL(port, 1);
	/* an existing entry is refreshed by any ARP from it */
	CU_ASSERT_EQUAL(lb_neigh_update(2, PEER_IP, &other, false), 0);
	CU_ASSERT_EQUAL(lb_neigh_lookup(PEER_IP, &mac, &port), 0);
	CU_ASSERT(rte_is_same_ether_addr(&mac, &other));
	CU_ASSERT_EQUAL(port, 2);
	CU_ASSERT_EQUAL(lb_neigh_count(), 1);
	/* aging: far in the future the entry is gone */
	lb_neigh_age(rte_get_tsc_cycles() + rte_get_tsc_hz() * 100, NULL);
	CU_ASSERT_EQUAL(lb_neigh_lookup(PEER_IP, &mac, &port), -ENOENT);
	lb_neigh_term();
}

static bool
has_pair(char **argv, int argc, const char *opt, const char *val)
{
	int i;

	for (i = 0; i + 1 < argc; i++)
		if (strcmp(argv[i], opt) == 0 && (val == NULL || strcmp(argv[i + 1], val) == 0))
			return true;
	return false;
}

static bool
has(char **argv, int argc, const char *opt)
{
	int i;

	for (i = 0; i < argc; i++)
		if (strcmp(argv[i], opt) == 0)
			return true;
	return false;
}

static void
test_eal_args(void)
{
	struct lb_config cfg;
	char *out[LB_EAL_MAX_ARGC];
	char *user[] = { "-l", "0,1", "--log-level", "debug" };
	int argc;

	lb_config_defaults(&cfg);
	cfg.workers = 3;
	argc = lb_eal_args(&cfg, "dplb", 0, NULL, false, out, LB_EAL_MAX_ARGC);
	CU_ASSERT(argc > 0);
	CU_ASSERT(has_pair(out, argc, "-l", "0-3"));
	CU_ASSERT(has(out, argc, "--no-huge"));
	CU_ASSERT(has_pair(out, argc, "-m", "512"));	/* 1M connections fit the default */
	/* a big connection table gets the memory it needs under --no-huge */
	cfg.conn_max = 4u << 20;
	argc = lb_eal_args(&cfg, "dplb", 0, NULL, false, out, LB_EAL_MAX_ARGC);
	CU_ASSERT(has_pair(out, argc, "-m", "688"));	/* 4M x 140 B + 128 MB */
	cfg.conn_max = 1u << 20;
	CU_ASSERT(has(out, argc, "--no-pci"));
	CU_ASSERT(has_pair(out, argc, "--file-prefix", "dplb"));

	argc = lb_eal_args(&cfg, "dplb", 0, NULL, true, out, LB_EAL_MAX_ARGC);
	CU_ASSERT(!has(out, argc, "--no-huge"));
	CU_ASSERT(!has(out, argc, "-m"));

	/* the operator's args after `--` win over the config */
	cfg.nb_ifaces = 1;
	cfg.ifaces[0].is_pci = true;
	snprintf(cfg.ifaces[0].device, sizeof(cfg.ifaces[0].device), "0000:03:00.0");
	argc = lb_eal_args(&cfg, "dplb", 4, user, true, out, LB_EAL_MAX_ARGC);
	CU_ASSERT(has_pair(out, argc, "-l", "0,1"));
	CU_ASSERT(!has_pair(out, argc, "-l", "0-3"));
	CU_ASSERT(has_pair(out, argc, "-a", "0000:03:00.0"));
	CU_ASSERT(!has(out, argc, "--no-pci"));
	CU_ASSERT_EQUAL(lb_eal_args(&cfg, "dplb", 4, user, true, out, 3), -E2BIG);
}

static void
test_port_devargs(void)
{
	char out[128];

	CU_ASSERT_EQUAL(lb_port_devargs("net_af_packet0,iface=veth0", 2, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "net_af_packet0,iface=veth0,qpairs=2");
	CU_ASSERT_EQUAL(lb_port_devargs("net_af_packet0,iface=v,qpairs=4", 2, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "net_af_packet0,iface=v,qpairs=4");
	CU_ASSERT_EQUAL(lb_port_devargs("net_null0", 2, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "net_null0");
	CU_ASSERT_EQUAL(lb_port_devargs("net_af_packet0,iface=veth0", 2, out, 10), -ENAMETOOLONG);
}

void
lb_test_register_arp(void)
{
	CU_pSuite s = CU_add_suite("local protocols", NULL, NULL);

	CU_add_test(s, "ARP request and in-place reply", test_arp_request_reply);
	CU_add_test(s, "ARP malformed", test_arp_malformed);
	CU_add_test(s, "ICMP echo reply", test_icmp_echo);
	CU_add_test(s, "ICMP not echo, bad checksum, truncated", test_icmp_not_echo_or_bad);
	CU_add_test(s, "neighbour table learn/refresh/age", test_neigh_table);
	CU_add_test(s, "EAL args from config and operator", test_eal_args);
	CU_add_test(s, "af_packet devargs get qpairs", test_port_devargs);
}
