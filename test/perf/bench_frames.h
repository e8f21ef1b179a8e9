/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_BENCH_FRAMES_H
#define LB_BENCH_FRAMES_H

/*
 * Flows and frames of the pipeline benchmark. A flow is a number f; its
 * client is 10.x.y.z (64 source ports per client address), so millions of
 * flows come from distinct 5-tuples without any table. Frames are 60-byte
 * Ethernet/IPv4/TCP frames (64 bytes on the wire) with valid IP and TCP
 * checksums, written straight into an mbuf. Pure; any lcore.
 */

#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_mbuf.h>

#define BENCH_FRAME_LEN 60	/* 14 + 20 + 20, padded to the Ethernet minimum */

/* The client address of flow f, network order (10.0.0.1 upwards). */
static inline rte_be32_t
bench_client_addr(uint64_t f)
{
	return rte_cpu_to_be_32(0x0a000001u + (uint32_t)(f >> 6));
}

/* The client port of flow f, network order (1024..58417). */
static inline rte_be16_t
bench_client_port(uint64_t f)
{
	return rte_cpu_to_be_16((uint16_t)(1024 + (f & 63) * 911));
}

/* One TCP segment without payload; addresses and ports in network order. */
struct bench_seg {
	const struct rte_ether_addr *dst_mac, *src_mac;
	rte_be32_t saddr, daddr;
	rte_be16_t sport, dport;
	uint8_t tcp_flags;	/* RTE_TCP_SYN_FLAG, RTE_TCP_ACK_FLAG, ... */
};

/*
 * Write seg as a 60-byte frame into the empty mbuf m (data_len and pkt_len
 * set, ol_flags 0: no RX checksum verdict, so dplb checks the IP checksum
 * itself). Returns 0, or -ENOSPC when m has no room.
 */
int bench_frame_build(struct rte_mbuf *m, const struct bench_seg *seg);

/*
 * A stride for visiting n flows in a scattered order: i -> i * stride % n
 * is a permutation of 0..n-1 (stride coprime with n, about 0.618 n), so
 * consecutive packets belong to flows created far apart in time.
 */
uint64_t bench_stride(uint64_t n);

#endif
