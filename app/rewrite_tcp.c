/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * TCP segments the box answers or makes itself (RST for a closed VIP port,
 * the SYN proxy's SYN-ACK, SYN and ACK), the MSS option, and sequence
 * number translation. Contracts in app/rewrite.h.
 */
#include <errno.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "app/rewrite.h"
#include "app/rewrite_priv.h"

#define TCPOPT_EOL 0
#define TCPOPT_NOP 1
#define TCPOPT_MSS 2

int
lb_rewrite_tcp_segment(struct rte_mbuf *m, uint16_t l3_off, const struct lb_tcp_seg *s)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l3_off);
	const uint16_t olen = s->mss != 0 ? 4 : 0;
	const uint16_t len = l3_off + sizeof(*ip) + sizeof(struct rte_tcp_hdr) + olen;
	const uint16_t dlen = rte_pktmbuf_data_len(m);
	struct rte_tcp_hdr h, *th;
	struct rte_ether_addr mac;
	rte_be32_t a;

	if (m->nb_segs != 1)
		return -EINVAL;
	memcpy(&h, (char *)ip + rte_ipv4_hdr_len(ip), sizeof(h));
	if (len > dlen && rte_pktmbuf_append(m, len - dlen) == NULL)
		return -ENOSPC;
	if (len < dlen)
		rte_pktmbuf_trim(m, dlen - len);
	th = (struct rte_tcp_hdr *)(ip + 1);	/* behind a 20-byte IP header */
	th->src_port = s->reply ? h.dst_port : h.src_port;
	th->dst_port = s->reply ? h.src_port : h.dst_port;
	th->sent_seq = rte_cpu_to_be_32(s->seq);
	th->recv_ack = rte_cpu_to_be_32(s->ack);
	th->data_off = (uint8_t)((sizeof(*th) + olen) / 4) << 4;
	th->tcp_flags = s->flags;
	th->rx_win = rte_cpu_to_be_16(s->win);
	th->tcp_urp = 0;
	if (olen != 0) {
		uint8_t *o = (uint8_t *)(th + 1);

		o[0] = TCPOPT_MSS;
		o[1] = 4;
		o[2] = (uint8_t)(s->mss >> 8);
		o[3] = (uint8_t)s->mss;
	}
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*th) + olen);
	ip->fragment_offset = 0;
	ip->time_to_live = 64;
	if (s->reply) {
		a = ip->src_addr;
		ip->src_addr = ip->dst_addr;
		ip->dst_addr = a;
		mac = eth->src_addr;
		eth->src_addr = eth->dst_addr;
		eth->dst_addr = mac;
	}
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	th->cksum = 0;
	th->cksum = rte_ipv4_udptcp_cksum(ip, th);
	return 0;
}

int
lb_rewrite_tcp_rst(struct rte_mbuf *m, uint16_t l3_off)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l3_off);
	uint16_t hlen = rte_ipv4_hdr_len(ip), tlen = rte_be_to_cpu_16(ip->total_length);
	const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)((const char *)ip + hlen);
	uint32_t seg_len = tlen - hlen - ((th->data_off >> 4) * 4u);
	struct lb_tcp_seg s = { .reply = true };

	if (th->tcp_flags & RTE_TCP_RST_FLAG)
		return -EINVAL;
	if (th->tcp_flags & RTE_TCP_SYN_FLAG)
		seg_len++;
	if (th->tcp_flags & RTE_TCP_FIN_FLAG)
		seg_len++;
	if (th->tcp_flags & RTE_TCP_ACK_FLAG) {
		s.seq = rte_be_to_cpu_32(th->recv_ack);
		s.flags = RTE_TCP_RST_FLAG;
	} else {
		s.ack = rte_be_to_cpu_32(th->sent_seq) + seg_len;
		s.flags = RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG;
	}
	return lb_rewrite_tcp_segment(m, l3_off, &s);
}

uint16_t
lb_tcp_mss_option(const struct rte_mbuf *m, uint16_t l4_off)
{
	const struct rte_tcp_hdr *th = rte_pktmbuf_mtod_offset(m, const struct rte_tcp_hdr *,
							       l4_off);
	const uint8_t *o = (const uint8_t *)(th + 1);
	unsigned int n = (th->data_off >> 4) * 4u, i = 0;

	n = n > sizeof(*th) ? n - sizeof(*th) : 0;
	while (i < n) {
		if (o[i] == TCPOPT_EOL)
			break;
		if (o[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= n || o[i + 1] < 2 || i + o[i + 1] > n)
			break;		/* malformed: stop reading */
		if (o[i] == TCPOPT_MSS && o[i + 1] == 4)
			return (uint16_t)(o[i + 2] << 8 | o[i + 3]);
		i += o[i + 1];
	}
	return 0;
}

int
lb_rewrite_tcp_seq(struct rte_mbuf *m, uint16_t l3_off, uint32_t seq_add, uint32_t ack_add)
{
	struct lb_l4_loc loc;
	struct rte_tcp_hdr *th;
	uint32_t diff = 0, from, to;
	int rc = lb_rewrite_find_l4(m, l3_off, &loc);

	if (rc != 0)
		return rc;
	if (loc.proto != IPPROTO_TCP || !loc.has_l4)
		return -EINVAL;
	th = rte_pktmbuf_mtod_offset(m, struct rte_tcp_hdr *, loc.l4_off);
	if (seq_add != 0) {
		from = th->sent_seq;
		to = rte_cpu_to_be_32(rte_be_to_cpu_32(from) + seq_add);
		th->sent_seq = to;
		diff = lb_csum_diff32(diff, from, to);
	}
	if (ack_add != 0 && (th->tcp_flags & RTE_TCP_ACK_FLAG)) {
		from = th->recv_ack;
		to = rte_cpu_to_be_32(rte_be_to_cpu_32(from) + ack_add);
		th->recv_ack = to;
		diff = lb_csum_diff32(diff, from, to);
	}
	th->cksum = lb_csum_apply(th->cksum, diff);
	return 0;
}

struct rte_mbuf *
lb_tcp_copy_headers(struct rte_mempool *pool, const struct rte_mbuf *m, uint16_t l3_off)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l3_off);
	uint16_t len = l3_off + rte_ipv4_hdr_len(ip) + sizeof(struct rte_tcp_hdr);
	struct rte_mbuf *c = rte_pktmbuf_alloc(pool);
	char *d;

	if (c == NULL)
		return NULL;
	d = rte_pktmbuf_append(c, len);
	if (d == NULL) {
		rte_pktmbuf_free(c);
		return NULL;
	}
	memcpy(d, rte_pktmbuf_mtod(m, const char *), len);
	c->port = m->port;
	return c;
}
