/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lb_classify on crafted frames: every kind of malformed frame is dropped
 * under its own reason, good ARP/IPv4 frames go where they belong.
 */
#include <string.h>

#include <rte_arp.h>
#include <rte_ip.h>

#include "app/classify.h"
#include "app/ip_csum.h"
#include "test/unit/unit.h"

#define PORT 0
static const struct rte_ether_addr our_mac = { { 0x02, 0, 0, 0, 0, 0x01 } };
static const struct rte_ether_addr peer_mac = { { 0x02, 0, 0, 0, 0, 0x02 } };
static struct lb_local local;

/* A valid Ethernet + IPv4 + 8-byte payload frame, 198.18.1.10 -> dst. */
static uint16_t
make_ipv4(uint8_t *buf, uint32_t dst, uint8_t ihl_words)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	uint16_t hlen = ihl_words * 4;

	memset(buf, 0, 128);
	eth->dst_addr = our_mac;
	eth->src_addr = peer_mac;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = (uint8_t)(0x40 | ihl_words);
	ip->total_length = rte_cpu_to_be_16(hlen + 8);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(LB_TEST_IPV4(198, 18, 1, 10));
	ip->dst_addr = rte_cpu_to_be_32(dst);
	if (hlen > 20)
		memset((uint8_t *)ip + 20, 1, hlen - 20);	/* NOP options */
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	return sizeof(*eth) + hlen + 8;
}

static void
fix_csum(uint8_t *buf)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + sizeof(struct rte_ether_hdr));

	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

static enum lb_verdict
run(const uint8_t *buf, uint16_t len, enum lb_drop_reason *reason, struct lb_pkt_info *info)
{
	struct rte_mbuf *m = lb_test_mbuf(buf, len);
	enum lb_verdict v;

	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	m->port = PORT;
	v = lb_classify(&local, PORT, m, info, reason);
	rte_pktmbuf_free(m);
	return v;
}

/* Assert that the frame is dropped for `want`. */
static void
expect_drop(const uint8_t *buf, uint16_t len, enum lb_drop_reason want)
{
	enum lb_drop_reason reason;
	struct lb_pkt_info info;

	CU_ASSERT_EQUAL(run(buf, len, &reason, &info), LB_VERDICT_DROP);
	CU_ASSERT_EQUAL(reason, want);
	if (reason != want)
		fprintf(stderr, "\n  expected drop %s, got %s\n", lb_drop_name(want),
			lb_drop_name(reason));
}

static int
setup(void)
{
	memset(&local, 0, sizeof(local));
	local.port_mac[PORT] = our_mac;
	lb_local_add_addr(&local, rte_cpu_to_be_32(LB_TEST_IPV4(198, 18, 1, 1)));
	return 0;
}

static void
test_good_local_and_transit(void)
{
	uint8_t buf[128];
	enum lb_drop_reason reason;
	struct lb_pkt_info info;
	uint16_t len = make_ipv4(buf, LB_TEST_IPV4(198, 18, 1, 1), 5);

	CU_ASSERT_EQUAL(run(buf, len, &reason, &info), LB_VERDICT_CONTROL);
	CU_ASSERT_EQUAL(info.l3_off, 14);
	CU_ASSERT_EQUAL(info.l4_off, 34);
	CU_ASSERT_EQUAL(info.proto, IPPROTO_UDP);
	len = make_ipv4(buf, LB_TEST_IPV4(198, 18, 2, 1), 5);
	CU_ASSERT_EQUAL(run(buf, len, &reason, &info), LB_VERDICT_FORWARD);
	/* IP options: L4 offset follows IHL */
	len = make_ipv4(buf, LB_TEST_IPV4(198, 18, 1, 1), 15);
	CU_ASSERT_EQUAL(run(buf, len, &reason, &info), LB_VERDICT_CONTROL);
	CU_ASSERT_EQUAL(info.l4_off, 14 + 60);
	/* Ethernet padding past the IP packet is accepted */
	len = make_ipv4(buf, LB_TEST_IPV4(198, 18, 1, 1), 5);
	CU_ASSERT_EQUAL(run(buf, 60, &reason, &info), LB_VERDICT_CONTROL);
	CU_ASSERT_EQUAL(info.l3_len, 28);
	/* multicast and limited broadcast destinations are the box's business */
	len = make_ipv4(buf, LB_TEST_IPV4(224, 0, 0, 18), 5);
	CU_ASSERT_EQUAL(run(buf, len, &reason, &info), LB_VERDICT_CONTROL);
	len = make_ipv4(buf, LB_TEST_IPV4(255, 255, 255, 255), 5);
	CU_ASSERT_EQUAL(run(buf, len, &reason, &info), LB_VERDICT_CONTROL);
	len = make_ipv4(buf, LB_TEST_IPV4(198, 18, 1, 1), 5);
	/* broadcast destination MAC is fine */
	memset(buf, 0xff, 6);
	CU_ASSERT_EQUAL(run(buf, len, &reason, &info), LB_VERDICT_CONTROL);
}

static void
test_runts(void)
{
	uint8_t buf[128];
	uint16_t len = make_ipv4(buf, LB_TEST_IPV4(198, 18, 1, 1), 5);
	uint16_t cut;

	(void)len;
	for (cut = 0; cut < 14; cut++)
		expect_drop(buf, cut, LB_DROP_RUNT);
	for (cut = 14; cut < 34; cut++)
		expect_drop(buf, cut, LB_DROP_IP_TRUNC);
	/* header says 60 bytes, frame holds 40 */
	make_ipv4(buf, LB_TEST_IPV4(198, 18, 1, 1), 15);
	expect_drop(buf, 14 + 40, LB_DROP_IP_TRUNC);
}

static void
test_bad_ip_headers(void)
{
	uint8_t buf[128];
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + 14);
	uint16_t len;
	uint8_t ihl;

	for (ihl = 0; ihl < 5; ihl++) {
		len = make_ipv4(buf, LB_TEST_IPV4(198, 18, 1, 1), 5);
		ip->version_ihl = (uint8_t)(0x40 | ihl);
		fix_csum(buf);
		expect_drop(buf, len, LB_DROP_IP_IHL);
	}
	len = make_ipv4(buf, LB_TEST_IPV4(198, 18, 1, 1), 5);
	ip->version_ihl = 0x65;
	expect_drop(buf, len, LB_DROP_IP_VERSION);

	len = make_ipv4(buf, LB_TEST_IPV4(198, 18, 1, 1), 5);
	ip->total_length = rte_cpu_to_be_16(len - 14 + 1);	/* beyond the frame */
	fix_csum(buf);
	expect_drop(buf, len, LB_DROP_IP_LEN);
	ip->total_length = rte_cpu_to_be_16(19);		/* below the header */
	fix_csum(buf);
	expect_drop(buf, len, LB_DROP_IP_LEN);
	ip->total_length = rte_cpu_to_be_16(0xffff);
	fix_csum(buf);
	expect_drop(buf, len, LB_DROP_IP_LEN);

	len = make_ipv4(buf, LB_TEST_IPV4(198, 18, 1, 1), 5);
	ip->hdr_checksum ^= 0x0101;
	expect_drop(buf, len, LB_DROP_IP_CSUM);

	len = make_ipv4(buf, LB_TEST_IPV4(198, 18, 1, 1), 5);
	ip->src_addr = rte_cpu_to_be_32(LB_TEST_IPV4(224, 0, 0, 5));
	fix_csum(buf);
	expect_drop(buf, len, LB_DROP_IP_SRC);
	ip->src_addr = rte_cpu_to_be_32(LB_TEST_IPV4(127, 0, 0, 1));
	fix_csum(buf);
	expect_drop(buf, len, LB_DROP_IP_SRC);
}

/*
 * The header checksum check: a header with options of every length passes
 * with a right checksum, and any one bit flipped past the length fields
 * (TTL to the last option byte, checksum included) is dropped for it.
 * The word sum agrees with DPDK's rte_raw_cksum on random headers.
 */
static void
test_ip_checksum(void)
{
	uint8_t buf[128], hdr[60];
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + 14);
	enum lb_drop_reason reason;
	struct lb_pkt_info info;
	uint32_t x = 12345;
	unsigned int ihl, bit, i, n;

	for (ihl = 5; ihl <= 15; ihl++) {
		uint16_t len = make_ipv4(buf, LB_TEST_IPV4(198, 18, 2, 1), (uint8_t)ihl);

		CU_ASSERT_EQUAL(run(buf, len, &reason, &info), LB_VERDICT_FORWARD);
		for (bit = 8 * 8; bit < ihl * 32; bit++) {
			((uint8_t *)ip)[bit / 8] ^= (uint8_t)(1u << (bit % 8));
			expect_drop(buf, len, LB_DROP_IP_CSUM);
			((uint8_t *)ip)[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		}
	}
	for (n = 0; n < 20000; n++) {
		uint16_t hlen = (uint16_t)(20 + 4 * (n % 11));

		for (i = 0; i < hlen; i++) {
			x = x * 1103515245 + 12345;
			hdr[i] = (uint8_t)(x >> 16);
		}
		if (n % 3 == 0) {	/* a right checksum, so the 0xffff answer is tried too */
			uint16_t sum;

			memset(hdr + 10, 0, 2);
			sum = (uint16_t)~rte_raw_cksum(hdr, hlen);
			memcpy(hdr + 10, &sum, sizeof(sum));
		}
		CU_ASSERT_EQUAL(lb_ipv4_hdr_sum(hdr, hlen), rte_raw_cksum(hdr, hlen));
	}
}

/*
 * The box's addresses, up to LB_MAX_LOCAL_ADDRS: each is its own whatever
 * the filter in front of the list says, no other address is, and one past
 * the maximum is refused.
 */
static void
test_local_addresses(void)
{
	struct lb_local l;
	uint32_t x = 12345;
	unsigned int i, wrong = 0;

	memset(&l, 0, sizeof(l));
	for (i = 0; i < LB_MAX_LOCAL_ADDRS; i++)
		CU_ASSERT_FATAL(lb_local_add_addr(&l, rte_cpu_to_be_32(LB_TEST_IPV4(198, 18, 4, 0) + i)));
	CU_ASSERT_FALSE(lb_local_add_addr(&l, rte_cpu_to_be_32(LB_TEST_IPV4(198, 18, 5, 1))));
	CU_ASSERT_FALSE(lb_local_is_mine(&l, rte_cpu_to_be_32(LB_TEST_IPV4(198, 18, 5, 1))));
	for (i = 0; i < LB_MAX_LOCAL_ADDRS; i++)
		wrong += !lb_local_is_mine(&l, rte_cpu_to_be_32(LB_TEST_IPV4(198, 18, 4, 0) + i));
	for (i = 0; i < 100000; i++) {
		uint32_t a;

		x = x * 1103515245 + 12345;
		a = x;
		if ((a & 0xffffff80) != LB_TEST_IPV4(198, 18, 4, 0))
			wrong += lb_local_is_mine(&l, rte_cpu_to_be_32(a));
	}
	CU_ASSERT_EQUAL(wrong, 0);
}

/* RFC 1071's fold, a 16-bit end-around carry at a time: the reference. */
static uint16_t
fold_slowly(uint64_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/*
 * lb_csum_fold64 folds any 64-bit sum as the slow fold does: every
 * checksum dplb writes (TUN's outer header) or checks goes through it.
 */
static void
test_csum_fold(void)
{
	static const uint64_t edges[] = {
		0, 1, 0xfffe, 0xffff, 0x10000, 0x1ffff, 0xfffeffff, 0xffffffff,
		0x100000000ull, 0x1fffffffeull, 0xffffffff00000001ull, UINT64_MAX,
		0x8000800080008000ull, 0xffff0000ffff0000ull, 0x0001ffffull,
	};
	uint64_t x = 88172645463325252ull;
	unsigned int i;

	for (i = 0; i < RTE_DIM(edges); i++)
		CU_ASSERT_EQUAL(lb_csum_fold64(edges[i]), fold_slowly(edges[i]));
	for (i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* every width: the small sums of a header as well as big ones */
		CU_ASSERT_EQUAL(lb_csum_fold64(x >> (i % 64)), fold_slowly(x >> (i % 64)));
	}
}

static void
test_ethertypes_and_macs(void)
{
	uint8_t buf[128];
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)buf;
	uint16_t len = make_ipv4(buf, LB_TEST_IPV4(198, 18, 1, 1), 5);

	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
	expect_drop(buf, len, LB_DROP_VLAN);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_QINQ);
	expect_drop(buf, len, LB_DROP_VLAN);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
	expect_drop(buf, len, LB_DROP_IPV6);
	eth->ether_type = rte_cpu_to_be_16(0x88cc);	/* LLDP */
	expect_drop(buf, len, LB_DROP_ETHERTYPE);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	expect_drop(buf, 14 + 27, LB_DROP_ARP_TRUNC);

	make_ipv4(buf, LB_TEST_IPV4(198, 18, 1, 1), 5);
	eth->dst_addr = peer_mac;			/* someone else's frame */
	expect_drop(buf, len, LB_DROP_OTHER_HOST);
}

/* Random bytes must never crash the classifier, whatever it decides. */
static void
test_garbage_never_crashes(void)
{
	uint8_t buf[128];
	enum lb_drop_reason reason;
	struct lb_pkt_info info;
	unsigned int i, j, drops = 0;
	uint32_t seed = 12345;

	for (i = 0; i < 20000; i++) {
		uint16_t len;

		make_ipv4(buf, LB_TEST_IPV4(198, 18, 1, 1), 5);
		for (j = 0; j < 1 + (i % 8); j++) {
			seed = seed * 1103515245 + 12345;
			buf[14 + (seed >> 16) % 40] = (uint8_t)(seed >> 8);
		}
		seed = seed * 1103515245 + 12345;
		len = (uint16_t)((seed >> 16) % 128);
		if (run(buf, len, &reason, &info) == LB_VERDICT_DROP) {
			CU_ASSERT(reason > LB_DROP_NONE && reason < LB_DROP_MAX);
			drops++;
		}
	}
	CU_ASSERT(drops > 0);
}

void
lb_test_register_classify(void)
{
	CU_pSuite s = CU_add_suite("classify", setup, NULL);

	CU_add_test(s, "good local and transit frames", test_good_local_and_transit);
	CU_add_test(s, "runt and truncated frames", test_runts);
	CU_add_test(s, "bad IPv4 headers", test_bad_ip_headers);
	CU_add_test(s, "IPv4 header checksum, options of every length", test_ip_checksum);
	CU_add_test(s, "checksum fold of any 64-bit sum", test_csum_fold);
	CU_add_test(s, "the box's addresses, up to the maximum", test_local_addresses);
	CU_add_test(s, "ethertypes and foreign MACs", test_ethertypes_and_macs);
	CU_add_test(s, "random garbage never crashes", test_garbage_never_crashes);
}
