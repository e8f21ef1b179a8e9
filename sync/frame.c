/* SPDX-License-Identifier: BSD-3-Clause */
/* Sync messages in and out of Ethernet/IPv4/UDP frames. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_udp.h>

#include "app/lcore.h"
#include "pmd-glue/port.h"
#include "sync/frame.h"

struct rte_mbuf *
lb_sync_build_frame(struct rte_mempool *pool, const struct lb_sync_run *r, rte_be32_t dst,
		    const struct rte_ether_addr *mac, const uint8_t *msg, size_t len)
{
	static uint16_t ip_id;
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;
	uint32_t g = rte_be_to_cpu_32(dst);
	char *p;

	if (m == NULL || len > UINT16_MAX - LB_SYNC_FRAME_HDRS ||
	    (p = rte_pktmbuf_append(m, (uint16_t)(LB_SYNC_FRAME_HDRS + len))) == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	eth = (struct rte_ether_hdr *)p;
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	udp = (struct rte_udp_hdr *)(ip + 1);
	if (mac != NULL) {
		eth->dst_addr = *mac;
	} else {	/* 01:00:5e and the group's low 23 bits */
		const struct rte_ether_addr gm = { { 0x01, 0x00, 0x5e, (uint8_t)((g >> 16) & 0x7f),
						     (uint8_t)(g >> 8), (uint8_t)g } };

		eth->dst_addr = gm;
	}
	eth->src_addr = r->port != NULL ? r->port->mac : (struct rte_ether_addr){ { 0 } };
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + sizeof(*udp) + len));
	ip->packet_id = rte_cpu_to_be_16(ip_id++);
	ip->time_to_live = mac != NULL ? 64 : r->ttl;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = r->src;
	ip->dst_addr = dst;
	udp->src_port = r->udp_port;
	udp->dst_port = r->udp_port;
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(sizeof(*udp) + len));
	udp->dgram_cksum = 0;
	memcpy(udp + 1, msg, len);
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	m->l2_len = sizeof(*eth);
	m->l3_len = sizeof(*ip);
	return m;
}

void
lb_sync_send_frame(const struct lb_sync_run *r, rte_be32_t dst,
		   const struct rte_ether_addr *mac, const uint8_t *msg, size_t len)
{
	struct rte_mbuf *m = lb_sync_build_frame(r->port->pool, r, dst, mac, msg, len);

	if (m == NULL) {
		lb_sync.tx_no_mbuf++;
		return;
	}
	m->port = r->port->port_id;
	lb_sync.tx_msgs++;
	lb_sync.tx_bytes += len;
	lb_ctrl_tx(m);
}

/* True when a (network order) is an address of the box's interfaces. */
static bool
own_addr(rte_be32_t a)
{
	uint32_t h = rte_be_to_cpu_32(a);
	unsigned int p, i;

	for (p = 0; p < lb_nb_ports; p++)
		for (i = 0; i < lb_ports[p].cfg->nb_addrs; i++)
			if (lb_ports[p].cfg->addrs[i].addr == h)
				return true;
	return false;
}

int
lb_sync_parse_frame(const struct rte_mbuf *m, const struct lb_sync_run *r,
		    const uint8_t **payload, size_t *len)
{
	const uint16_t avail = rte_pktmbuf_data_len(m);
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	uint16_t l4, ulen, iplen;

	if (m->l2_len + sizeof(*ip) > avail || m->l3_len < sizeof(*ip))
		return -ENOENT;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, m->l2_len);
	l4 = (uint16_t)(m->l2_len + m->l3_len);
	if (ip->next_proto_id != IPPROTO_UDP || l4 + sizeof(*udp) > avail)
		return -ENOENT;
	udp = rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *, l4);
	if (udp->dst_port != r->udp_port ||
	    (ip->dst_addr != r->group && ip->dst_addr != r->src))
		return -ENOENT;
	if (own_addr(ip->src_addr))
		return -EEXIST;
	ulen = rte_be_to_cpu_16(udp->dgram_len);
	iplen = rte_be_to_cpu_16(ip->total_length);
	/* the worker checked total_length against the frame */
	if (ulen < sizeof(*udp) || (uint32_t)l4 + ulen > avail || ulen != iplen - m->l3_len)
		return -EINVAL;
	if (udp->dgram_cksum != 0 && rte_ipv4_udptcp_cksum_verify(ip, udp) != 0)
		return -EINVAL;
	*payload = (const uint8_t *)(udp + 1);
	*len = ulen - sizeof(*udp);
	return 0;
}
