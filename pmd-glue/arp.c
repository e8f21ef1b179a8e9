/* SPDX-License-Identifier: BSD-3-Clause */
/* ARP codec: decode, answer in place, build requests. No state. */
#include <errno.h>

#include "pmd-glue/arp.h"

int
lb_arp_decode(const struct rte_mbuf *m, uint16_t l3_off, struct lb_arp *arp)
{
	const struct rte_arp_hdr *h;
	uint16_t op;

	if (rte_pktmbuf_data_len(m) < l3_off ||
	    rte_pktmbuf_data_len(m) - l3_off < (int)sizeof(*h))
		return -EMSGSIZE;
	h = rte_pktmbuf_mtod_offset(m, const struct rte_arp_hdr *, l3_off);
	op = rte_be_to_cpu_16(h->arp_opcode);
	if (h->arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	    h->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    h->arp_hlen != RTE_ETHER_ADDR_LEN || h->arp_plen != 4 ||
	    (op != RTE_ARP_OP_REQUEST && op != RTE_ARP_OP_REPLY))
		return -EINVAL;
	arp->op = op;
	arp->sha = h->arp_data.arp_sha;
	arp->tha = h->arp_data.arp_tha;
	arp->sip = h->arp_data.arp_sip;
	arp->tip = h->arp_data.arp_tip;
	return 0;
}

static void
fill(struct rte_ether_hdr *eth, struct rte_arp_hdr *h, uint16_t op,
     const struct rte_ether_addr *src_mac, rte_be32_t sip,
     const struct rte_ether_addr *dst_mac, const struct rte_ether_addr *tha,
     rte_be32_t tip)
{
	eth->dst_addr = *dst_mac;
	eth->src_addr = *src_mac;
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	h->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	h->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	h->arp_hlen = RTE_ETHER_ADDR_LEN;
	h->arp_plen = 4;
	h->arp_opcode = rte_cpu_to_be_16(op);
	h->arp_data.arp_sha = *src_mac;
	h->arp_data.arp_sip = sip;
	h->arp_data.arp_tha = *tha;
	h->arp_data.arp_tip = tip;
}

void
lb_arp_make_reply(struct rte_mbuf *m, uint16_t l3_off, const struct lb_arp *req,
		  const struct rte_ether_addr *mac)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *h = rte_pktmbuf_mtod_offset(m, struct rte_arp_hdr *, l3_off);

	fill(eth, h, RTE_ARP_OP_REPLY, mac, req->tip, &req->sha, &req->sha, req->sip);
}

struct rte_mbuf *
lb_arp_build_request(struct rte_mempool *pool, const struct rte_ether_addr *mac,
		     rte_be32_t sip, rte_be32_t tip)
{
	static const struct rte_ether_addr bcast = {
		.addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	static const struct rte_ether_addr zero;
	const uint16_t len = sizeof(struct rte_ether_hdr) + sizeof(struct rte_arp_hdr);
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	char *p;

	if (m == NULL)
		return NULL;
	p = rte_pktmbuf_append(m, len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	fill((struct rte_ether_hdr *)p,
	     (struct rte_arp_hdr *)(p + sizeof(struct rte_ether_hdr)),
	     RTE_ARP_OP_REQUEST, mac, sip, &bcast, &zero, tip);
	return m;
}
