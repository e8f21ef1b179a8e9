/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ethernet framing of VRRP adverts: source MAC the interface's own
 * (keepalived's default) or the VRRP virtual MAC, destination the IPv4
 * multicast MAC of 224.0.0.18 or a unicast peer's.
 */
#include <errno.h>
#include <string.h>

#include "vrrp/codec.h"

void
lb_vrrp_vmac(uint8_t vrid, struct rte_ether_addr *mac)
{
	static const uint8_t base[RTE_ETHER_ADDR_LEN] = { 0x00, 0x00, 0x5e, 0x00, 0x01, 0 };

	memcpy(mac->addr_bytes, base, sizeof(base));
	mac->addr_bytes[5] = vrid;
}

int
lb_vrrp_encode_eth(struct lb_vrrp_wire *w, const struct lb_vrrp_advert *adv,
		   const struct rte_ether_addr *if_mac, bool use_vmac,
		   const struct rte_ether_addr *dst_mac, uint8_t *buf, size_t size)
{
	struct rte_ether_addr src, dst;
	uint32_t daddr = rte_be_to_cpu_32(adv->daddr);
	int len;

	if (size < RTE_ETHER_HDR_LEN)
		return -ENOSPC;
	if (dst_mac != NULL) {
		dst = *dst_mac;
	} else {
		if ((daddr >> 28) != 0xe)
			return -EINVAL;
		dst.addr_bytes[0] = 0x01;
		dst.addr_bytes[1] = 0x00;
		dst.addr_bytes[2] = 0x5e;
		dst.addr_bytes[3] = (uint8_t)((daddr >> 16) & 0x7f);
		dst.addr_bytes[4] = (uint8_t)(daddr >> 8);
		dst.addr_bytes[5] = (uint8_t)daddr;
	}
	if (use_vmac)
		lb_vrrp_vmac(w->vrid, &src);
	else
		src = *if_mac;
	len = lb_vrrp_encode(w, adv, buf + RTE_ETHER_HDR_LEN, size - RTE_ETHER_HDR_LEN);
	if (len < 0)
		return len;
	memcpy(buf, dst.addr_bytes, RTE_ETHER_ADDR_LEN);
	memcpy(buf + RTE_ETHER_ADDR_LEN, src.addr_bytes, RTE_ETHER_ADDR_LEN);
	buf[12] = RTE_ETHER_TYPE_IPV4 >> 8;
	buf[13] = RTE_ETHER_TYPE_IPV4 & 0xff;
	return len + RTE_ETHER_HDR_LEN;
}
