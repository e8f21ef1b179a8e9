/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef LB_REWRITE_H
#define LB_REWRITE_H

/*
 * Packet rewrites of the forwarding path: NAT (DNAT in, SNAT out), FNAT,
 * DR (MAC only), TUN (IPIP) and translation of ICMP errors that quote a
 * NATed packet.
 *
 * Common contract of every function here:
 * - the frame starts with its Ethernet header at offset 0 and carries an
 *   IPv4 header at l3_off that lb_classify accepted (version, IHL, total
 *   length within the first segment, header checksum); the IPv4 packet
 *   (up to its total length) must lie in the first mbuf segment, and m
 *   must be writable (not a clone sharing its data);
 * - addresses and ports are in network byte order;
 * - pure: no locks, no allocation (except lb_icmp_frag_needed, which takes
 *   one mbuf from the pool it is given), no syscalls, no logging; safe on
 *   any lcore, each call touching only the mbuf it is given;
 * - every header is bounds-checked against the first segment before it is
 *   read; a function that returns an error has not changed the packet;
 * - checksums are updated incrementally (RFC 1624, as LVS does), so a
 *   packet whose checksum was wrong stays wrong; a UDP checksum of 0 (none)
 *   stays 0, an updated one that comes out 0 is sent as 0xffff (RFC 768);
 * - TCP options (MSS included) and payload are never touched (but by the
 *   segment builders, which say so); TTL is left to the caller;
 * - the packet checksums must be complete: no TX checksum offload is
 *   pending on the mbuf (ol_flags is neither read nor written).
 *
 * IP fragments: a first fragment (MF set, offset 0) carries the L4 header
 * and is rewritten like a whole datagram (the L4 checksum covers the whole
 * datagram but only the pseudo-header and ports change, so the incremental
 * update stays right). A non-first fragment (offset != 0) has no L4 header:
 * only its addresses are rewritten, its bytes after the IP header are left
 * alone, and the ports passed in are ignored; the caller must find the
 * connection by other means (3-tuple) or drop it.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_tcp.h>
#include <rte_udp.h>

/* Outer header that lb_rewrite_ipip_encap prepends. */
#define LB_IPIP_OVERHEAD 20

/* Largest IP datagram an ICMP error may be (RFC 1812 4.3.2.3, Linux). */
#define LB_ICMP_ERROR_MAX_LEN 576

/*
 * The 5-tuple of a packet, or of the packet quoted in an ICMP error.
 * Network byte order; proto is IPPROTO_TCP or IPPROTO_UDP.
 */
struct lb_pkt_tuple {
	rte_be32_t saddr;
	rte_be32_t daddr;
	rte_be16_t sport;
	rte_be16_t dport;
	uint8_t proto;
};

/*
 * Do the l4_len bytes at l4 (a TCP or UDP packet's L4 part, within the
 * frame) hold its whole header, TCP with the options it claims? Pure.
 */
static inline bool
lb_l4_header_complete(const uint8_t *l4, uint32_t l4_len, uint8_t proto)
{
	uint32_t hlen;

	if (proto != IPPROTO_TCP)
		return l4_len >= sizeof(struct rte_udp_hdr);
	if (l4_len < sizeof(struct rte_tcp_hdr))
		return false;
	hlen = (uint32_t)(l4[12] >> 4) * 4;
	return hlen >= sizeof(struct rte_tcp_hdr) && hlen <= l4_len;
}

/*
 * The L4 ports of the TCP or UDP packet at l3_off, for the connection
 * lookup. A packet for which this returns 0 is one the NAT rewrites accept.
 * Returns 0, -ENOENT for a protocol without ports or a non-first fragment,
 * -EINVAL when the frame is shorter than the L4 header it claims (for TCP:
 * data offset below 5 or beyond the IP payload). Any lcore.
 */
int lb_pkt_ports(const struct rte_mbuf *m, uint16_t l3_off,
		 rte_be16_t *sport, rte_be16_t *dport);

/*
 * NAT in: client->VIP:vport becomes client->new_daddr:new_dport (the real
 * server). IP and TCP/UDP checksums updated incrementally. Returns 0,
 * -EINVAL when the L4 header is truncated, -EPROTONOSUPPORT when the
 * protocol is not TCP or UDP. Non-first fragments: address only (see
 * above). Any lcore.
 */
int lb_rewrite_dnat(struct rte_mbuf *m, uint16_t l3_off,
		    rte_be32_t new_daddr, rte_be16_t new_dport);

/*
 * NAT out (replies): RIP:rport->client becomes new_saddr:new_sport->client
 * (the VIP). Same rules and return values as lb_rewrite_dnat. Any lcore.
 */
int lb_rewrite_snat(struct rte_mbuf *m, uint16_t l3_off,
		    rte_be32_t new_saddr, rte_be16_t new_sport);

/*
 * Full NAT: sets source and destination at once (client->VIP becomes
 * local address->RIP on the way in, RIP->local address becomes VIP->client
 * on the way out). Same rules and return values as lb_rewrite_dnat.
 * Any lcore.
 */
int lb_rewrite_fnat(struct rte_mbuf *m, uint16_t l3_off,
		    rte_be32_t saddr, rte_be16_t sport,
		    rte_be32_t daddr, rte_be16_t dport);

#define LB_NAT_SRC 0x1	/* lb_rewrite_nat_checked: set the source */
#define LB_NAT_DST 0x2	/* ... and/or the destination */

/*
 * lb_rewrite_dnat/snat/fnat (`what` says which) for a TCP or UDP packet
 * whose headers were checked already: IPv4 header and length by
 * lb_classify, the whole L4 header in the first segment and no fragment
 * by lb_forward_prepare. l4_off and proto as lb_pkt_info has them; nothing
 * is parsed again. Any lcore.
 */
void lb_rewrite_nat_checked(struct rte_mbuf *m, uint16_t l3_off, uint16_t l4_off, uint8_t proto,
			    unsigned int what, rte_be32_t saddr, rte_be16_t sport,
			    rte_be32_t daddr, rte_be16_t dport);

/*
 * Set the source and destination MAC of the frame (DR, and the last step
 * of every other method); the IP packet is untouched. m must hold at least
 * an Ethernet header in its first segment (lb_classify guarantees it);
 * src and dst must not be NULL. Any lcore.
 */
void lb_rewrite_ether(struct rte_mbuf *m, const struct rte_ether_addr *src,
		      const struct rte_ether_addr *dst);

/*
 * lb_rewrite_ether with the destination MAC in the first 6 bytes, memory
 * order, of dst_word (lb_neigh_lookup_cached_word): one 8-byte store, whose
 * last 2 bytes the source then overwrites. Inline for every forwarded
 * packet; same contract.
 */
static inline void
lb_rewrite_ether_word(struct rte_mbuf *m, const struct rte_ether_addr *src, uint64_t dst_word)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	memcpy(eth, &dst_word, sizeof(dst_word));
	memcpy(&eth->src_addr, src, sizeof(*src));
}

/*
 * Take one off the TTL of the IPv4 packet at l3_off, as a router (and the
 * LVS director's kernel) does for a packet it forwards; header checksum
 * updated incrementally. Returns 0, or -ETIMEDOUT (packet unchanged) when
 * the TTL is 1 or 0: it must not be forwarded. The header must be in the
 * first segment (lb_classify checked it). Any lcore.
 *
 * Inline, for every forwarded packet pays it (as a call with RFC 1624's
 * general update it cost 3-4 cycles a packet more in bench_pipeline). The
 * TTL is the high byte of its checksum word, so the word drops by 0x0100
 * and the checksum rises by as much, one's complement (RFC 1624 eqn. 3).
 * Adding 1 more when the sum reaches 0xffff does both the end-around carry
 * (a sum above 0xffff) and, for exactly 0xffff, turns -0 into +0, as
 * Linux's ip_decrease_ttl: the result is what a full recompute gives.
 * Byte order does not matter to the sum (RFC 1071 2(B)): the 0x0100 is
 * added in network order.
 */
static inline int
lb_rewrite_ttl_dec(struct rte_mbuf *m, uint16_t l3_off)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l3_off);
	uint32_t sum;

	if (ip->time_to_live <= 1)
		return -ETIMEDOUT;
	sum = (uint32_t)ip->hdr_checksum + rte_cpu_to_be_16(0x0100);
	ip->hdr_checksum = (rte_be16_t)(sum + (sum >= 0xffff));
	ip->time_to_live--;
	return 0;
}

/*
 * TUN: prepend an outer IPv4 header outer_saddr->outer_daddr (protocol 4,
 * IHL 5, TTL 64, TOS and DF copied from the inner packet, fresh IP ID from
 * a per-lcore counter, checksum set), keeping the l3_off bytes of link
 * header in front. The inner packet is left byte-identical; Ethernet
 * padding behind it is trimmed (segments after the first, which can hold
 * only padding, freed: m is one segment). mtu is the IP MTU towards the
 * real server.
 * Returns:
 *   0            m now holds the IPIP packet (total <= mtu);
 *   -EMSGSIZE    inner total length + 20 > mtu and DF is set: the caller
 *                sends lb_icmp_frag_needed(..., mtu - LB_IPIP_OVERHEAD) to
 *                the client and drops m;
 *   -EFBIG       too big and DF clear: the caller fragments the inner
 *                packet to mtu - LB_IPIP_OVERHEAD (rte_ipv4_fragment_packet)
 *                and encapsulates each fragment, or drops m;
 *   -ENOSPC      less than 20 bytes of headroom in m;
 *   -EINVAL      mtu below 68 + 20 or a malformed IP header.
 * m is unchanged on every error. Any lcore.
 */
int lb_rewrite_ipip_encap(struct rte_mbuf *m, uint16_t l3_off,
			  rte_be32_t outer_saddr, rte_be32_t outer_daddr,
			  uint16_t mtu);

/*
 * Build the ICMP "fragmentation needed and DF set" error (type 3 code 4,
 * RFC 792/1191) for orig, whose IP header is at l3_off: src->orig's source,
 * TTL 64, next-hop MTU next_hop_mtu, quoting orig's IP header and as much
 * of its data as keeps the error within 576 bytes (as Linux does). The link
 * header is orig's with the MACs swapped, so the error goes back out of
 * the port orig came in on. orig is not modified; the caller still owns it.
 * Returns the new mbuf from pool, or NULL with rte_errno set: ENOMEM (pool
 * empty), EINVAL (malformed orig), EPERM (RFC 1122 3.2.2 forbids an error
 * here: orig is an ICMP error, a non-first fragment, or from a
 * non-unicast source). Any lcore.
 */
struct rte_mbuf *lb_icmp_frag_needed(struct rte_mempool *pool,
				     const struct rte_mbuf *orig, uint16_t l3_off,
				     rte_be32_t src, uint16_t next_hop_mtu);

/*
 * The general form of lb_icmp_frag_needed: an ICMP error of type/code
 * (e.g. 3/3 port unreachable) from src about orig, same rules and returns;
 * mtu goes in the next-hop MTU field (0 for anything but frag-needed).
 */
struct rte_mbuf *lb_icmp_error(struct rte_mempool *pool, const struct rte_mbuf *orig,
			       uint16_t l3_off, rte_be32_t src, uint8_t type, uint8_t code,
			       uint16_t mtu);

/*
 * Turn the TCP segment at l3_off (not itself a RST) into the RST a closed
 * port answers with (RFC 793: seq = its ack if it had ACK, else ack = its
 * seq + length), in place: addresses, ports and MACs swapped, options and
 * payload cut, TTL 64, checksums recomputed. The L4 header must have been
 * checked (lb_pkt_ports). Returns 0, or -EINVAL for a RST (never answered).
 * Any lcore.
 */
int lb_rewrite_tcp_rst(struct rte_mbuf *m, uint16_t l3_off);

/* A bare TCP segment for lb_rewrite_tcp_segment; numbers in host order. */
struct lb_tcp_seg {
	uint32_t seq, ack;
	uint16_t win;
	uint16_t mss;		/* MSS option to carry; 0 = no option */
	uint8_t flags;		/* RTE_TCP_*_FLAG */
	bool reply;		/* swap addresses, ports and MACs: answer the sender */
};

/*
 * Rewrite the TCP segment at l3_off, in place, into the bare segment *s:
 * a 20-byte IP header (TTL 64, no DF, ID and TOS kept), a TCP header with
 * the MSS option alone (when s->mss != 0), no payload; checksums
 * recomputed. The L4 header must have been checked (lb_pkt_ports) and m
 * must be one segment. Returns 0, -ENOSPC when there is no tailroom for
 * the option, -EINVAL for a chained mbuf (nothing changed). Any lcore.
 */
int lb_rewrite_tcp_segment(struct rte_mbuf *m, uint16_t l3_off, const struct lb_tcp_seg *s);

/*
 * The MSS option of the TCP header at l4_off, whose full length
 * (options included) lb_pkt_ports checked; 0 when it has none or its
 * options are malformed. Pure; any lcore.
 */
uint16_t lb_tcp_mss_option(const struct rte_mbuf *m, uint16_t l4_off);

/*
 * Add seq_add to the sequence number and, when the ACK flag is set,
 * ack_add to the acknowledgment number of the TCP segment at l3_off (the
 * SYN proxy's translation); checksum updated incrementally. Returns 0,
 * -EINVAL when it is not a whole TCP header (first fragment). Any lcore.
 */
int lb_rewrite_tcp_seq(struct rte_mbuf *m, uint16_t l3_off, uint32_t seq_add,
		       uint32_t ack_add);

/*
 * A new one-segment mbuf from pool holding a copy of m's link, IP and
 * first 20 TCP bytes (for lb_rewrite_tcp_segment, when m itself must be
 * kept); m's input port is copied. NULL when the pool is empty. Any lcore.
 */
struct rte_mbuf *lb_tcp_copy_headers(struct rte_mempool *pool, const struct rte_mbuf *m,
				     uint16_t l3_off);

/*
 * If the packet at l3_off is an ICMP error (destination unreachable,
 * source quench, time exceeded, parameter problem) quoting a TCP or UDP
 * packet, store the quoted packet's tuple in *inner, as it was sent (so
 * for an error about a reply, inner->saddr is the real server). The
 * connection is then looked up with the quoted tuple reversed.
 * Returns 0, -ENOENT when it is not such an error (not ICMP, other ICMP
 * types, an ICMP error that is itself fragmented, a quoted non-first
 * fragment or protocol without ports), -EINVAL when the ICMP message or
 * the quoted headers are truncated (the quote must hold the quoted IP
 * header and the first 8 bytes after it). The ICMP checksum is not
 * checked here. Any lcore.
 */
int lb_pkt_icmp_inner(const struct rte_mbuf *m, uint16_t l3_off,
		      struct lb_pkt_tuple *inner);

/*
 * Translate an ICMP error that quotes a packet of a NAT/FNAT connection:
 * the outer addresses become outer_saddr->outer_daddr, the quoted packet's
 * addresses and ports become those of *inner (inner->proto is ignored).
 * Pass the current value for anything that must not change. The quoted IP
 * header checksum and, when it is quoted, the quoted TCP/UDP checksum are
 * updated incrementally, the outer IP checksum too; the ICMP checksum is
 * verified first and then recomputed over the whole ICMP message.
 * Typical use, from lb_pkt_icmp_inner's tuple q:
 *   NAT, error from the real server side (RIP->client about
 *   client->RIP:rport): outer (VIP, client), inner (q.saddr, q.sport,
 *   VIP, vport);
 *   NAT, error from the client (client->VIP about VIP:vport->client):
 *   outer (client, RIP), inner (RIP, rport, q.daddr, q.dport).
 * Returns 0, -ENOENT / -EINVAL as lb_pkt_icmp_inner, -EINVAL also when the
 * ICMP checksum is wrong. The MTU of a frag-needed error is left as it is.
 * Any lcore.
 */
int lb_rewrite_icmp_error_inner(struct rte_mbuf *m, uint16_t l3_off,
				rte_be32_t outer_saddr, rte_be32_t outer_daddr,
				const struct lb_pkt_tuple *inner);

#endif
