/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Connection sync: every message type through encode and decode, truncated
 * and forged messages refused; the sync_daemon / lvs_sync_daemon config and
 * the ipvsadm daemon options, accepted and refused with their reasons.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_udp.h>

#include "cli/ipvsadm.h"
#include "config/config.h"
#include "sync/codec.h"
#include "sync/frame.h"
#include "test/unit/unit.h"

#define IP LB_TEST_IPV4
#define BE32(a, b, c, d) rte_cpu_to_be_32(IP(a, b, c, d))

/* One connection of each kind that travels. */
static void
samples(struct lb_sync_conn *c, unsigned int *n)
{
	static const struct lb_sync_conn s[] = {
		{ .proto = IPPROTO_TCP, .state = 1, .flags = LB_SYNC_F_MASQ, .timeout_s = 900 },
		{ .proto = IPPROTO_TCP, .state = 4, .flags = LB_SYNC_F_DROUTE | LB_SYNC_F_INACTIVE,
		  .timeout_s = 120 },
		{ .proto = IPPROTO_TCP, .state = 6, .flags = LB_SYNC_F_TUNNEL | LB_SYNC_F_INACTIVE,
		  .timeout_s = 1 },	/* an expire event */
		{ .proto = IPPROTO_UDP, .state = 0, .flags = LB_SYNC_F_MASQ | LB_SYNC_F_INACTIVE,
		  .timeout_s = 300 },
		{ .proto = IPPROTO_TCP, .state = 1, .flags = LB_SYNC_F_MASQ, .timeout_s = 7,
		  .has_fnat = 1 },	/* full NAT: dplb's option */
		{ .proto = IPPROTO_TCP, .state = 0, .flags = LB_SYNC_F_TEMPLATE | LB_SYNC_F_DROUTE,
		  .timeout_s = 300 },	/* persistence template */
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(s); i++) {
		c[i] = s[i];
		c[i].caddr = BE32(198, 18, 1, 10 + i);
		c[i].vaddr = BE32(198, 18, 1, 100);
		c[i].daddr = BE32(198, 18, 2, 11);
		c[i].cport = c[i].flags & LB_SYNC_F_TEMPLATE ? 0 :
			     rte_cpu_to_be_16((uint16_t)(40000 + i));
		c[i].vport = rte_cpu_to_be_16(80);
		c[i].dport = rte_cpu_to_be_16(8080);
		if (c[i].has_fnat) {
			c[i].laddr = BE32(198, 18, 2, 5);
			c[i].lport = rte_cpu_to_be_16(1025);
		}
	}
	*n = RTE_DIM(s);
}

static size_t
build(uint8_t *buf, uint8_t syncid)
{
	struct lb_sync_conn c[8];
	unsigned int n, i;

	samples(c, &n);
	lb_sync_msg_init(buf, syncid);
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(lb_sync_msg_add(buf, 1472, &c[i]), 0);
	return lb_sync_msg_len(buf);
}

static void
test_roundtrip(void)
{
	struct lb_sync_conn in[8], out[8];
	uint8_t buf[1500];
	unsigned int n, got, i;
	uint64_t skipped[LB_SYNC_SKIP_MAX] = { 0 };
	size_t len;

	samples(in, &n);
	len = build(buf, 7);
	CU_ASSERT_EQUAL(len, LB_SYNC_HDR_LEN + 5 * 36 + 44);	/* FNAT: 36 + 8, padded */
	CU_ASSERT_EQUAL(buf[0], 0);
	CU_ASSERT_EQUAL(buf[1], 7);
	CU_ASSERT_EQUAL(buf[4], n);
	CU_ASSERT_EQUAL(buf[5], 1);
	CU_ASSERT_EQUAL(buf[8 + 2], 0);		/* ver_size: version 0, size 36 */
	CU_ASSERT_EQUAL(buf[8 + 3], 36);
	CU_ASSERT_EQUAL(lb_sync_msg_decode(buf, len, 7, out, 8, &got, skipped), LB_SYNC_OK);
	CU_ASSERT_EQUAL_FATAL(got, n);
	for (i = 0; i < n; i++)
		CU_ASSERT_EQUAL(memcmp(&in[i], &out[i], sizeof(in[i])), 0);
	/* a backup with syncid 0 takes any; another syncid is refused */
	CU_ASSERT_EQUAL(lb_sync_msg_decode(buf, len, 0, out, 8, &got, NULL), LB_SYNC_OK);
	CU_ASSERT_EQUAL(lb_sync_msg_decode(buf, len, 8, out, 8, &got, NULL), LB_SYNC_ERR_SYNCID);
	CU_ASSERT_EQUAL(got, 0);
	for (i = 0; i < LB_SYNC_SKIP_MAX; i++)
		CU_ASSERT_EQUAL(skipped[i], 0);
}

static void
test_limits(void)
{
	struct lb_sync_conn c[8];
	uint8_t buf[65536];
	unsigned int n, i, added = 0;

	samples(c, &n);
	lb_sync_msg_init(buf, 0);
	/* maxlen 8 + 2 * 36: the third does not fit and nothing is written */
	CU_ASSERT_EQUAL(lb_sync_msg_add(buf, 80, &c[0]), 0);
	CU_ASSERT_EQUAL(lb_sync_msg_add(buf, 80, &c[1]), 0);
	CU_ASSERT_EQUAL(lb_sync_msg_add(buf, 80, &c[2]), -ENOSPC);
	CU_ASSERT_EQUAL(lb_sync_msg_len(buf), 80);
	CU_ASSERT_EQUAL(lb_sync_msg_count(buf), 2);
	/* at most 255 connections whatever the length */
	lb_sync_msg_init(buf, 0);
	for (i = 0; i < 300; i++)
		if (lb_sync_msg_add(buf, sizeof(buf), &c[0]) == 0)
			added++;
	CU_ASSERT_EQUAL(added, 255);
}

/* The sample message with byte off set to v (and its size fixed up when asked). */
static enum lb_sync_err
forged(size_t off, uint8_t v, unsigned int *got)
{
	struct lb_sync_conn out[8];
	uint8_t buf[1500];
	size_t len = build(buf, 1);

	buf[off] = v;
	return lb_sync_msg_decode(buf, len, 1, out, 8, got, NULL);
}

static void
test_refused(void)
{
	struct lb_sync_conn out[8];
	uint8_t buf[1500], copy[1500];
	unsigned int got;
	size_t len = build(buf, 1), cut;

	/* every truncation: the datagram is shorter than its header says */
	for (cut = 0; cut < len; cut++) {
		memcpy(copy, buf, cut);
		CU_ASSERT_NOT_EQUAL(lb_sync_msg_decode(copy, cut, 1, out, 8, &got, NULL), LB_SYNC_OK);
		CU_ASSERT_EQUAL(got, 0);
	}
	/* ... and with the header's size forged to match: a connection runs short */
	for (cut = LB_SYNC_HDR_LEN + 1; cut < len; cut++) {
		memcpy(copy, buf, cut);
		copy[2] = (uint8_t)(cut >> 8);
		copy[3] = (uint8_t)cut;
		CU_ASSERT_NOT_EQUAL(lb_sync_msg_decode(copy, cut, 1, out, 8, &got, NULL), LB_SYNC_OK);
	}
	CU_ASSERT_EQUAL(lb_sync_msg_decode(buf, 4, 1, out, 8, &got, NULL), LB_SYNC_ERR_SHORT);
	CU_ASSERT_EQUAL(forged(0, 1, &got), LB_SYNC_ERR_VERSION);	/* a version 0 header */
	CU_ASSERT_EQUAL(forged(5, 2, &got), LB_SYNC_ERR_VERSION);
	CU_ASSERT_EQUAL(forged(7, 1, &got), LB_SYNC_ERR_VERSION);	/* spare */
	CU_ASSERT_EQUAL(forged(3, (uint8_t)(len + 4), &got), LB_SYNC_ERR_SIZE);
	CU_ASSERT_EQUAL(forged(4, 7, &got), LB_SYNC_ERR_TRUNC);	/* one more than there is */
	CU_ASSERT_EQUAL(forged(4, 5, &got), LB_SYNC_ERR_TRAILING);	/* one less */
	CU_ASSERT_EQUAL(forged(8 + 2, 0x10, &got), LB_SYNC_ERR_CONN_VERSION);
	CU_ASSERT_EQUAL(forged(8 + 3, 20, &got), LB_SYNC_ERR_TRUNC);	/* size under 36 */
	CU_ASSERT_EQUAL(forged(8 + 2, 0x0f, &got), LB_SYNC_ERR_TRUNC);	/* past the end */
	/* the FNAT option (last connection, at 8 + 4 * 36): length 0, 5, past the end */
	CU_ASSERT_EQUAL(forged(8 + 4 * 36 + 37, 0, &got), LB_SYNC_ERR_OPTION);
	CU_ASSERT_EQUAL(forged(8 + 4 * 36 + 37, 5, &got), LB_SYNC_ERR_OPTION);
	CU_ASSERT_EQUAL(forged(8 + 4 * 36 + 37, 7, &got), LB_SYNC_ERR_OPTION);
	CU_ASSERT_EQUAL(got, 0);
}

static void
test_skipped(void)
{
	uint64_t skipped[LB_SYNC_SKIP_MAX] = { 0 };
	struct lb_sync_conn out[8];
	uint8_t buf[1500];
	unsigned int got;
	size_t len;

	/* each connection is left out on its own, the others still come */
	len = build(buf, 1);
	buf[8] = 1;			/* IPv6 */
	buf[8 + 36 + 1] = 132;		/* SCTP */
	buf[8 + 72 + 9] = 11;		/* state past LVS's TCP states */
	buf[8 + 108 + 9] = 1;		/* UDP in a state */
	buf[8 + 144 + 36] = 3;		/* FNAT option type -> PE_NAME: mandatory, unknown */
	CU_ASSERT_EQUAL(lb_sync_msg_decode(buf, len, 1, out, 8, &got, skipped), LB_SYNC_OK);
	CU_ASSERT_EQUAL(got, 1);	/* the template, untouched */
	CU_ASSERT_EQUAL(skipped[LB_SYNC_SKIP_IPV6], 1);
	CU_ASSERT_EQUAL(skipped[LB_SYNC_SKIP_PROTO], 1);
	CU_ASSERT_EQUAL(skipped[LB_SYNC_SKIP_STATE], 2);
	CU_ASSERT_EQUAL(skipped[LB_SYNC_SKIP_MANDATORY], 1);
	/* a template (its state: none or assured); an optional parameter (0x40) is ignored */
	len = build(buf, 1);
	buf[8 + 6] |= LB_SYNC_F_TEMPLATE >> 8;
	buf[8 + 144 + 36] = LB_SYNC_OPT_F_PARAM | 9;
	CU_ASSERT_EQUAL(lb_sync_msg_decode(buf, len, 1, out, 8, &got, skipped), LB_SYNC_OK);
	CU_ASSERT_EQUAL(got, 6);
	CU_ASSERT_EQUAL(out[0].flags & LB_SYNC_F_TEMPLATE, LB_SYNC_F_TEMPLATE);
	CU_ASSERT_EQUAL(out[4].has_fnat, 0);
	/* a template in state 2 is out of range */
	len = build(buf, 1);
	buf[8 + 4 * 36 + 44 + 9] = 2;	/* the template follows the FNAT one */
	CU_ASSERT_EQUAL(lb_sync_msg_decode(buf, len, 1, out, 8, &got, skipped), LB_SYNC_OK);
	CU_ASSERT_EQUAL(got, 5);
	CU_ASSERT_EQUAL(skipped[LB_SYNC_SKIP_STATE], 3);
	CU_ASSERT_STRING_EQUAL(lb_sync_err_name(LB_SYNC_ERR_SIZE), "bad_size");
}

/*
 * A SYN-proxied full-NAT connection: its translation in LVS's own sequence
 * option (out_seq), before dplb's FNAT option; an application helper's
 * (in_seq data) is skipped, not misread.
 */
static void
test_syn_proxy_seq(void)
{
	struct lb_sync_conn c = { .proto = IPPROTO_TCP, .state = 1, .timeout_s = 900,
				  .flags = LB_SYNC_F_MASQ | LB_SYNC_F_OUT_SEQ, .has_fnat = 1,
				  .has_seq = 1, .out_seq_init = 0x11223344,
				  .out_seq_delta = 0xfffff000 }, out[2];
	uint64_t skipped[LB_SYNC_SKIP_MAX] = { 0 };
	const uint8_t *o = NULL;
	uint8_t buf[256];
	unsigned int got;
	size_t len;

	c.caddr = BE32(198, 18, 1, 10);
	c.vaddr = BE32(198, 18, 1, 100);
	c.daddr = BE32(198, 18, 2, 11);
	c.laddr = BE32(198, 18, 2, 5);
	c.cport = rte_cpu_to_be_16(40000);
	c.vport = rte_cpu_to_be_16(80);
	c.dport = rte_cpu_to_be_16(80);
	c.lport = rte_cpu_to_be_16(1025);
	lb_sync_msg_init(buf, 1);
	CU_ASSERT_EQUAL_FATAL(lb_sync_msg_add(buf, sizeof(buf), &c), 0);
	len = lb_sync_msg_len(buf);
	CU_ASSERT_EQUAL(len, 8 + 72);			/* 36 + 2 + 24 + 2 + 6, padded */
	CU_ASSERT_EQUAL(buf[8 + 3], 70);		/* unpadded size */
	o = buf + 8 + 36;
	CU_ASSERT(o[0] == LB_SYNC_OPT_SEQ && o[1] == 24);
	CU_ASSERT(o[2 + 12] == 0x11 && o[2 + 15] == 0x44);	/* out_seq.init_seq, BE */
	CU_ASSERT(o[2 + 16] == 0xff && o[2 + 19] == 0x00);	/* out_seq.delta */
	CU_ASSERT(o[26] == LB_SYNC_OPT_FNAT && o[27] == 6);
	CU_ASSERT_EQUAL(lb_sync_msg_decode(buf, len, 1, out, 2, &got, skipped), LB_SYNC_OK);
	CU_ASSERT_EQUAL_FATAL(got, 1);
	CU_ASSERT_EQUAL(memcmp(&c, &out[0], sizeof(c)), 0);
	/* in_seq data: an LVS application helper's translation, not dplb's */
	buf[8 + 36 + 2 + 7] = 5;			/* in_seq.delta */
	CU_ASSERT_EQUAL(lb_sync_msg_decode(buf, len, 1, out, 2, &got, skipped), LB_SYNC_OK);
	CU_ASSERT_EQUAL(got, 0);
	CU_ASSERT_EQUAL(skipped[LB_SYNC_SKIP_MANDATORY], 1);
	buf[8 + 36 + 1] = 20;				/* a sequence option of another size */
	CU_ASSERT_EQUAL(lb_sync_msg_decode(buf, len, 1, out, 2, &got, skipped),
			LB_SYNC_ERR_OPTION);
}

/* Every byte of a valid message flipped, one at a time: decoded or refused, no overrun. */
static void
test_flips(void)
{
	struct lb_sync_conn out[8];
	uint8_t buf[1500];
	unsigned int got, v;
	size_t len = build(buf, 1), off;

	for (off = 0; off < len; off++)
		for (v = 0; v < 256; v += 17) {
			uint8_t copy[1500];
			enum lb_sync_err e;

			memcpy(copy, buf, len);
			copy[off] = (uint8_t)v;
			e = lb_sync_msg_decode(copy, len, 0, out, 8, &got, NULL);
			CU_ASSERT(e == LB_SYNC_OK || got == 0);
		}
}

/* ---- frames ---- */

/* A frame's IPv4 and UDP headers, for forging. */
#define IP_OF(m) rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14)
#define UDP_OF(m) rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, 34)

static void
test_frames(void)
{
	const struct lb_sync_run r = { .src = BE32(198, 18, 1, 1), .group = BE32(224, 0, 0, 81),
				       .udp_port = rte_cpu_to_be_16(8848), .ttl = 1 };
	struct lb_sync_run other = r;
	const struct rte_ether_addr peer = { { 2, 0, 0, 0, 0, 3 } };
	const uint8_t *payload;
	uint8_t msg[1500];
	struct rte_mbuf *m;
	size_t len = build(msg, 3), got;
	uint8_t *eth;

	/* to the group: its MAC, TTL 1, checksums good; parsed back whole */
	m = lb_sync_build_frame(lb_test_pool, &r, r.group, NULL, msg, len);
	CU_ASSERT_FATAL(m != NULL);
	eth = rte_pktmbuf_mtod(m, uint8_t *);
	CU_ASSERT(eth[0] == 1 && eth[1] == 0 && eth[2] == 0x5e && eth[3] == 0 && eth[4] == 0 &&
		  eth[5] == 81);
	CU_ASSERT_EQUAL(IP_OF(m)->time_to_live, 1);
	CU_ASSERT_EQUAL(rte_ipv4_cksum(IP_OF(m)), 0);
	CU_ASSERT_EQUAL(rte_ipv4_udptcp_cksum_verify(IP_OF(m), UDP_OF(m)), 0);
	CU_ASSERT_EQUAL(lb_sync_parse_frame(m, &r, &payload, &got), 0);
	CU_ASSERT_EQUAL(got, len);
	CU_ASSERT_EQUAL(memcmp(payload, msg, len), 0);
	/* another port, another group: not for this backup */
	other.udp_port = rte_cpu_to_be_16(8849);
	CU_ASSERT_EQUAL(lb_sync_parse_frame(m, &other, &payload, &got), -ENOENT);
	other = r;
	other.group = BE32(224, 0, 0, 82);
	CU_ASSERT_EQUAL(lb_sync_parse_frame(m, &other, &payload, &got), -ENOENT);
	/* forged UDP length, or a payload byte changed under the checksum */
	UDP_OF(m)->dgram_len = rte_cpu_to_be_16((uint16_t)(len + 8 + 1));
	CU_ASSERT_EQUAL(lb_sync_parse_frame(m, &r, &payload, &got), -EINVAL);
	UDP_OF(m)->dgram_len = rte_cpu_to_be_16(7);
	CU_ASSERT_EQUAL(lb_sync_parse_frame(m, &r, &payload, &got), -EINVAL);
	UDP_OF(m)->dgram_len = rte_cpu_to_be_16((uint16_t)(len + 8));
	rte_pktmbuf_mtod_offset(m, uint8_t *, 42)[9]++;
	CU_ASSERT_EQUAL(lb_sync_parse_frame(m, &r, &payload, &got), -EINVAL);
	/* cut short of its UDP header: not read past the frame */
	rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_data_len(m) - 38));
	CU_ASSERT_EQUAL(lb_sync_parse_frame(m, &r, &payload, &got), -ENOENT);
	rte_pktmbuf_free(m);
	/* unicast to a peer: its MAC, TTL 64, to the backup's own address */
	m = lb_sync_build_frame(lb_test_pool, &r, r.src, &peer, msg, len);
	CU_ASSERT_FATAL(m != NULL);
	CU_ASSERT_EQUAL(memcmp(rte_pktmbuf_mtod(m, void *), &peer, 6), 0);
	CU_ASSERT_EQUAL(IP_OF(m)->time_to_live, 64);
	CU_ASSERT_EQUAL(lb_sync_parse_frame(m, &r, &payload, &got), 0);
	rte_pktmbuf_free(m);
}

/* ---- config and CLI ---- */

static int
parse_native(const char *text, struct lb_config *cfg, unsigned int *count)
{
	struct lb_cfg_errors err = { lb_test_msgs_begin(), 0 };
	int rc = lb_config_parse_native("s.conf", text, cfg, &err);

	fclose(err.out);
	if (count != NULL)
		*count = err.count;
	return rc;
}

static const struct lb_kernel_ifaces kif = {
	.ifaces = { { "eth0", { { IP(198, 18, 1, 1), 24 } }, 1 } }, .nb = 1,
};

static int
parse_ka(const char *text, struct lb_config *cfg, unsigned int *count)
{
	struct lb_cfg_errors err = { lb_test_msgs_begin(), 0 };
	int rc = lb_config_parse_keepalived("k.conf", text, "lb1", &kif, cfg, &err);

	fclose(err.out);
	if (count != NULL)
		*count = err.count;
	return rc;
}

#define IFACES "interfaces = ( { name = \"eth0\"; device = \"net_null0\"; " \
	"addresses = [ \"198.18.1.1/24\" ]; } );\n"
#define VRRP "vrrp_instances = ( { name = \"VI_1\"; interface = \"eth0\"; " \
	"virtual_router_id = 5; priority = 100; virtual_ipaddress = [ \"198.18.1.100\" ]; } );\n"
#define KA_VRRP "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 5\n priority 100\n" \
	" virtual_ipaddress {\n 198.18.1.100/24\n }\n}\n"

static void
test_config(void)
{
	struct lb_config *cfg = malloc(sizeof(*cfg));

	CU_ASSERT_FATAL(cfg != NULL);
	CU_ASSERT_EQUAL_FATAL(parse_native(IFACES VRRP "sync_daemon = { interface = \"eth0\"; "
		"vrrp_instance = \"VI_1\"; syncid = 9; peers = [ \"198.18.1.3\" ]; ttl = 2; "
		"threshold = 0; refresh = 5; };", cfg, NULL), 0);
	CU_ASSERT(cfg->sync.enabled);
	CU_ASSERT_EQUAL(cfg->sync.syncid, 9);
	CU_ASSERT_EQUAL(cfg->sync.group, IP(224, 0, 0, 81));
	CU_ASSERT_EQUAL(cfg->sync.port, 8848);
	CU_ASSERT_EQUAL(cfg->sync.ttl, 2);
	CU_ASSERT_EQUAL(cfg->sync.nb_peers, 1);
	CU_ASSERT_EQUAL(cfg->sync.refresh_s, 5);
	lb_config_free(cfg);
	lb_test_expect_error(parse_native, IFACES "sync_daemon = { interface = \"eth9\"; "
			     "role = \"master\"; };", "s.conf:2: sync_daemon.interface 'eth9' is not");
	lb_test_expect_error(parse_native, IFACES "sync_daemon = { interface = \"eth0\"; };",
			     "needs vrrp_instance, or role");
	lb_test_expect_error(parse_native, IFACES "sync_daemon = { interface = \"eth0\"; "
			     "vrrp_instance = \"VI_9\"; };", "vrrp_instance 'VI_9' is not defined");
	lb_test_expect_error(parse_native, IFACES "sync_daemon = { interface = \"eth0\"; "
			     "role = \"primary\"; };", "sync_daemon.role 'primary' is not master");
	lb_test_expect_error(parse_native, IFACES "sync_daemon = { interface = \"eth0\"; "
			     "role = \"both\"; group = \"198.18.1.9\"; };", "is not an IPv4 multicast");
	lb_test_expect_error(parse_native, IFACES "sync_daemon = { interface = \"eth0\"; "
			     "role = \"both\"; maxlen = 1600; };", "maxlen 1600 must be 72..1472");
	lb_test_expect_error(parse_native, IFACES "sync_daemon = { interface = \"eth0\"; "
			     "role = \"both\"; peers = [ \"198.18.9.3\" ]; };", "peer 198.18.9.3 is not");
	lb_test_expect_error(parse_native, IFACES "sync_daemon = { interface = \"eth0\"; "
			     "role = \"both\"; syncid = 256; };", "syncid");
	lb_test_expect_error(parse_native, IFACES "sync_daemon = { interface = \"eth0\"; "
			     "role = \"both\"; mcast = 1; };", "mcast");
	/* keepalived.conf */
	CU_ASSERT_EQUAL_FATAL(parse_ka("global_defs {\n lvs_sync_daemon eth0 VI_1 id 4 maxlen 1400 "
				       "port 9000 ttl 3 group 224.0.0.90\n}\n" KA_VRRP, cfg, NULL), 0);
	CU_ASSERT(cfg->sync.enabled);
	CU_ASSERT_STRING_EQUAL(cfg->sync.vrrp_instance, "VI_1");
	CU_ASSERT_EQUAL(cfg->sync.syncid, 4);
	CU_ASSERT_EQUAL(cfg->sync.maxlen, 1400);
	CU_ASSERT_EQUAL(cfg->sync.port, 9000);
	CU_ASSERT_EQUAL(cfg->sync.ttl, 3);
	CU_ASSERT_EQUAL(cfg->sync.group, IP(224, 0, 0, 90));
	lb_config_free(cfg);
	lb_test_expect_error(parse_ka, "global_defs {\n lvs_sync_daemon eth0 VI_2\n}\n" KA_VRRP,
			     "k.conf:2: 'lvs_sync_daemon': vrrp_instance 'VI_2' is not defined");
	lb_test_expect_error(parse_ka, "global_defs {\n lvs_sync_daemon eth7 VI_1\n}\n" KA_VRRP,
			     "interface 'eth7' is not one dplb drives");
	lb_test_expect_error(parse_ka, "global_defs {\n lvs_sync_daemon eth0 VI_1 id\n}\n" KA_VRRP,
			     "'id' needs a value");
	lb_test_expect_error(parse_ka, "global_defs {\n lvs_sync_daemon eth0 VI_1 speed 3\n}\n"
			     KA_VRRP, "unknown option 'speed'");
	free(cfg);
}

static void
test_ipvsadm(void)
{
	char *start[] = { "--start-daemon", "backup", "--mcast-interface", "eth0", "--syncid", "5",
			  "--sync-maxlen", "1400", "--mcast-group", "224.0.0.90", "--mcast-port",
			  "9000", "--mcast-ttl", "2" };
	char *list[] = { "-L", "--daemon" }, *bad_role[] = { "--start-daemon", "primary" };
	char *bad_ttl[] = { "--start-daemon", "master", "--mcast-ttl", "300" };
	char *bad_group[] = { "--start-daemon", "master", "--mcast-group", "198.18.1.1" };
	struct lb_ipvs_cmd cmd;
	char err[160];

	CU_ASSERT_EQUAL_FATAL(lb_ipvsadm_parse(RTE_DIM(start), start, &cmd, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(cmd.op, LB_IPVS_START_DAEMON);
	CU_ASSERT_EQUAL(cmd.d.role, 1);
	CU_ASSERT_STRING_EQUAL(cmd.d.iface, "eth0");
	CU_ASSERT_EQUAL(cmd.d.syncid, 5);
	CU_ASSERT_EQUAL(cmd.d.maxlen, 1400);
	CU_ASSERT_EQUAL(cmd.d.group, IP(224, 0, 0, 90));
	CU_ASSERT_EQUAL(cmd.d.port, 9000);
	CU_ASSERT_EQUAL(cmd.d.ttl, 2);
	CU_ASSERT_EQUAL_FATAL(lb_ipvsadm_parse(RTE_DIM(list), list, &cmd, err, sizeof(err)), 0);
	CU_ASSERT(cmd.op == LB_IPVS_LIST && cmd.daemon);
	CU_ASSERT_EQUAL(lb_ipvsadm_parse(RTE_DIM(bad_role), bad_role, &cmd, err, sizeof(err)),
			-EINVAL);
	CU_ASSERT(strstr(err, "illegal start-daemon parameter specified 'primary'") != NULL);
	CU_ASSERT_EQUAL(lb_ipvsadm_parse(RTE_DIM(bad_ttl), bad_ttl, &cmd, err, sizeof(err)), -EINVAL);
	CU_ASSERT(strstr(err, "illegal mcast-ttl specified '300'") != NULL);
	CU_ASSERT_EQUAL(lb_ipvsadm_parse(RTE_DIM(bad_group), bad_group, &cmd, err, sizeof(err)),
			-EINVAL);
	CU_ASSERT(strstr(err, "invalid IPv4 mcast-group `198.18.1.1'") != NULL);
}

void
lb_test_register_sync(void)
{
	CU_pSuite s = CU_add_suite("connection sync", NULL, NULL);

	CU_add_test(s, "every message type round-trips (LVS sync v1)", test_roundtrip);
	CU_add_test(s, "SYN proxy translation in LVS's sequence option", test_syn_proxy_seq);
	CU_add_test(s, "maxlen and 255 connections per message", test_limits);
	CU_add_test(s, "truncated and forged messages are refused", test_refused);
	CU_add_test(s, "unusable connections are skipped and counted", test_skipped);
	CU_add_test(s, "any byte flipped: decoded or refused, never overrun", test_flips);
	CU_add_test(s, "frames: built to the group or a peer, parsed back, forged ones refused",
		    test_frames);
	CU_add_test(s, "sync_daemon and lvs_sync_daemon config", test_config);
	CU_add_test(s, "ipvsadm --start-daemon / --daemon options", test_ipvsadm);
}
