/* SPDX-License-Identifier: BSD-3-Clause */
/* The forwarding path: connection lookup, scheduling, rewrite, next hop. */
#include <netinet/in.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_tcp.h>

#include "app/conn.h"
#include "app/forward.h"
#include "app/forward_priv.h"
#include "app/ratelimit.h"
#include "app/rewrite.h"
#include "app/rewrite_tun.h"
#include "app/svc_table.h"
#include "app/synproxy.h"
#include "pmd-glue/icmp.h"
#include "pmd-glue/neigh.h"
#include "pmd-glue/port.h"
#include "pmd-glue/route.h"
#include "sched/sched.h"
#include "sync/sync.h"

/*
 * lb_fwd_send_to (contract in app/forward_priv.h), inlined where every
 * forwarded packet goes through it: as a call it cost 1-3 cycles a packet.
 */
static __rte_always_inline void
send_to(struct lb_lcore *lc, struct rte_mbuf *m, uint16_t port_id, rte_be32_t nexthop,
	uint64_t now)
{
	uint64_t mac;

	if (unlikely(port_id >= RTE_MAX_ETHPORTS || lc->txbuf[port_id] == NULL)) {
		lb_fwd_drop(lc, m, LB_DROP_NO_ROUTE);
		return;
	}
	if (unlikely(lb_neigh_lookup_cached_word(&lc->neigh, nexthop, &mac) != 0)) {
		lb_resolve_request(lc, port_id, nexthop, now);
		if (!lb_park(lc, m, port_id, nexthop))	/* held until ARP answers */
			lb_fwd_drop(lc, m, LB_DROP_NEIGH_MISS);
		return;
	}
	lb_rewrite_ether_word(m, &lb_local.port_mac[port_id], mac);
	lc->stats.tx_pkts += rte_eth_tx_buffer(port_id, (uint16_t)lc->worker_index,
					       lc->txbuf[port_id], m);
}

void
lb_fwd_send_to(struct lb_lcore *lc, struct rte_mbuf *m, uint16_t port_id, rte_be32_t nexthop,
	uint64_t now)
{
	send_to(lc, m, port_id, nexthop, now);
}

/* ICMP errors (time exceeded, port unreachable) one worker sends a second
 * at most, as Linux's net.ipv4.icmp_msgs_per_sec: no reflector for floods. */
#define ICMP_ERRORS_PER_S 1000

static bool
icmp_error_allowed(struct lb_lcore *lc, uint64_t now)
{
	if (now - lc->icmp_window_tsc >= rte_get_tsc_hz()) {
		lc->icmp_window_tsc = now;
		lc->icmp_sent = 0;
	}
	return lc->icmp_sent++ < ICMP_ERRORS_PER_S;
}

/*
 * m's TTL ran out here (1 or 0: dplb forwards it, as the LVS director's
 * kernel does, so it may not): drop it (counted) and answer, as a router
 * would, with ICMP time exceeded from src; a packet to a VIP hears it from
 * the VIP, one towards a client from the box's address. Consumes m.
 */
static void
ttl_expired(struct lb_lcore *lc, struct rte_mbuf *m, const struct lb_pkt_info *info,
	    uint64_t now)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, info->l3_off);
	const struct lb_port *p = lb_port_by_id(m->port);
	struct rte_mbuf *err = NULL;
	rte_be32_t src;

	if (p != NULL && icmp_error_allowed(lc, now)) {
		src = lb_svc_is_vip(lb_svc_snapshot_get(), ip->dst_addr) ? ip->dst_addr :
			lb_route_source(m->port, ip->src_addr);
		err = lb_icmp_error(p->pool, m, info->l3_off, src, 11, 0, 0);	/* TTL exceeded */
	}
	lb_fwd_drop(lc, m, LB_DROP_TTL);
	if (err != NULL)
		lb_fwd_send_back(lc, err);
}

/*
 * A table read, not lb_port_by_id's search: TUN asks for every packet.
 * Connections only name started data ports; Ethernet's 1500 for any other.
 */
static inline uint16_t
port_mtu(uint16_t port_id)
{
	return port_id < RTE_MAX_ETHPORTS && lb_port_mtu[port_id] != 0 ?
	       lb_port_mtu[port_id] : RTE_ETHER_MTU;
}

void
lb_fwd_send_back(struct lb_lcore *lc, struct rte_mbuf *m)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	uint16_t port = m->port;

	if (unlikely(port >= RTE_MAX_ETHPORTS || lc->txbuf[port] == NULL)) {
		lb_fwd_drop(lc, m, LB_DROP_NO_ROUTE);
		return;
	}
	eth->src_addr = lb_local.port_mac[port];
	lc->stats.tx_pkts += rte_eth_tx_buffer(port, (uint16_t)lc->worker_index,
					       lc->txbuf[port], m);
}

/*
 * The encapsulated packet would exceed the tunnel's MTU and has DF: tell
 * the client (RFC 1191) from the VIP, as the LVS director's kernel does,
 * and drop it. Consumes m.
 */
static void
too_big(struct lb_lcore *lc, struct rte_mbuf *m, const struct lb_pkt_info *info,
	const struct lb_conn *c, uint16_t mtu)
{
	const struct lb_port *p = lb_port_by_id(m->port);
	struct rte_mbuf *err = p == NULL ? NULL :
		lb_icmp_frag_needed(p->pool, m, info->l3_off, c->in.daddr, mtu);

	lb_fwd_drop(lc, m, LB_DROP_TOO_BIG);
	if (err != NULL)
		lb_fwd_send_back(lc, err);
}

/* Client -> real server. Inline in the established path (as send_to). */
static __rte_always_inline void
forward_in(struct lb_lcore *lc, struct rte_mbuf *m, const struct lb_pkt_info *info,
	   const struct lb_conn *c, uint64_t now)
{
	const uint16_t port_id = c->out_port;	/* routed when the service was built */
	int rc = 0;

	switch (c->fwd) {
	case LB_FWD_NAT:
		lb_rewrite_nat_checked(m, info->l3_off, info->l4_off, info->proto, LB_NAT_DST,
				       0, 0, c->out.saddr, c->out.sport);
		break;
	case LB_FWD_FNAT:
		lb_rewrite_nat_checked(m, info->l3_off, info->l4_off, info->proto,
				       LB_NAT_SRC | LB_NAT_DST, c->out.daddr, c->out.dport,
				       c->out.saddr, c->out.sport);
		break;
	case LB_FWD_TUN:
		/* the outer source was routed when the connection was made */
		rc = lb_rewrite_ipip_encap_checked(m, info->l3_off, info->l3_len, c->out.daddr,
						   c->out.saddr, port_mtu(port_id));
		if (rc == -EMSGSIZE) {
			too_big(lc, m, info, c, port_mtu(port_id) - LB_IPIP_OVERHEAD);
			return;
		}
		if (rc == -EFBIG) {
			lb_fwd_drop(lc, m, LB_DROP_TOO_BIG);	/* DF clear: fragmenting is to do */
			return;
		}
		break;
	case LB_FWD_DR:
		break;	/* the RS holds the VIP: only the MAC changes */
	}
	if (rc != 0) {
		lb_fwd_drop(lc, m, LB_DROP_L4_TRUNC);
		return;
	}
	send_to(lc, m, port_id, c->nexthop, now);
}

/* Real server -> client (NAT/FNAT replies). */
static void
forward_out(struct lb_lcore *lc, struct rte_mbuf *m, const struct lb_pkt_info *info,
	    const struct lb_conn *c, uint64_t now)
{
	uint16_t port_id;
	rte_be32_t nexthop;

	if (c->fwd == LB_FWD_FNAT)
		lb_rewrite_nat_checked(m, info->l3_off, info->l4_off, info->proto,
				       LB_NAT_SRC | LB_NAT_DST, c->in.daddr, c->in.dport,
				       c->in.saddr, c->in.sport);
	else
		lb_rewrite_nat_checked(m, info->l3_off, info->l4_off, info->proto, LB_NAT_SRC,
				       c->in.daddr, c->in.dport, 0, 0);
	if (lb_route_lookup(c->in.saddr, &port_id, &nexthop) != 0) {
		lb_fwd_drop(lc, m, LB_DROP_NO_ROUTE);
		return;
	}
	send_to(lc, m, port_id, nexthop, now);
}

static uint8_t
tcp_flags(const struct rte_mbuf *m, const struct lb_pkt_info *info)
{
	return info->proto == IPPROTO_TCP ? lb_fwd_tcp_hdr(m, info)->tcp_flags : 0;
}

/* The real server of svc a persistence template points to, if still there. */
static struct lb_dest *
dest_of(struct lb_service *svc, const struct lb_conn *tmpl)
{
	unsigned int i;

	for (i = 0; i < svc->nb_dests; i++)
		if (svc->dests[i].state == tmpl->dest)
			return &svc->dests[i];
	return NULL;
}

/* Room in the worker's table for one more entry, evicting when full (counted). */
static inline bool
make_room(struct lb_lcore *lc)
{
	int rc = lb_conn_make_room(lc->worker_index);

	if (rc > 0)
		lc->stats.conn_evicted++;
	return rc >= 0;
}

/*
 * A first packet: schedule it if it opens a flow to a virtual service.
 * NULL when it opens none: *consumed says the SYN proxy took the packet,
 * a non-zero *cookie_mss that it proved a cookie but got no connection.
 */
static struct lb_conn *
new_conn(struct lb_lcore *lc, struct lb_fwd_pkt *p, uint64_t now, bool *vip_miss,
	 bool *consumed, uint16_t *cookie_mss)
{
	const struct lb_conn_key *key = &p->key;
	const uint8_t flags = p->flags;
	const struct lb_svc_snapshot *snap = lb_svc_snapshot_get();
	struct lb_service *svc = lb_svc_lookup(snap, key->proto, key->daddr, key->dport);
	struct lb_sched_input in = { key->saddr, key->daddr, key->sport, key->dport,
				     key->proto, now };
	struct lb_conn *c, *tmpl = NULL;
	struct lb_dest *d = NULL;
	rte_be32_t laddr = 0;
	rte_be16_t lport = 0;

	if (svc == NULL) {
		*vip_miss = lb_svc_is_vip(snap, key->daddr);
		lc->stats.drops[*vip_miss ? LB_DROP_NO_SERVICE : LB_DROP_NOT_LOCAL]++;
		return NULL;
	}
	/*
	 * With a SYN proxy, an ACK may complete a handshake dplb made (it,
	 * not sloppy_tcp, decides then). sloppy_tcp: a flow ECMP moved here
	 * mid-stream is scheduled on any packet but a RST.
	 */
	const bool cookie_ack = svc->syn_proxy && key->proto == IPPROTO_TCP &&
		(flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG | RTE_TCP_RST_FLAG)) ==
		RTE_TCP_ACK_FLAG;
	if (key->proto == IPPROTO_TCP && !cookie_ack &&
	    (flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG | RTE_TCP_RST_FLAG)) != RTE_TCP_SYN_FLAG &&
	    (!lb_local.sloppy_tcp || svc->syn_proxy || (flags & RTE_TCP_RST_FLAG))) {
		lc->stats.drops[LB_DROP_NOT_SYN]++;
		return NULL;
	}
	if (unlikely(svc->flags & LB_SVC_F_DISABLED)) {	/* established flows go on */
		lc->stats.drops[LB_DROP_SVC_DISABLED]++;
		return NULL;
	}
	if (svc->acl != NULL && !lb_acl_permits(svc->acl, rte_be_to_cpu_32(key->saddr))) {
		lc->stats.drops[LB_DROP_ACL]++;
		return NULL;
	}
	if (cookie_ack) {	/* its SYN passed the rate limit already */
		*cookie_mss = lb_synproxy_check_ack(p, now);
		if (*cookie_mss == 0) {
			lc->stats.drops[LB_DROP_SYN_COOKIE]++;
			return NULL;
		}
	} else if (svc->src_rate != 0 &&
		   !lb_src_rate_take(svc->state->src_buckets +
				     (size_t)lc->worker_index * LB_SRC_SLOTS, key->saddr,
				     svc->src_rate, svc->src_burst, now, rte_get_tsc_hz())) {
		lc->stats.drops[LB_DROP_SRC_RATE]++;
		return NULL;
	} else if (svc->syn_proxy && key->proto == IPPROTO_TCP &&
		   lb_synproxy_take_syn(lc, svc, now)) {
		lb_synproxy_answer(lc, p, now);
		*consumed = true;
		return NULL;
	}
	if (svc->flags & LB_SVC_F_PERSISTENT) {
		tmpl = lb_conn_template_get(lc->worker_index, svc, key->saddr, now);
		if (tmpl != NULL) {
			d = dest_of(svc, tmpl);
			if (d == NULL) {	/* its real server left the service */
				lb_conn_template_put(tmpl);
				tmpl = NULL;
			}
		}
	}
	if (d == NULL) {
		d = svc->sched->schedule(svc, &in, lc->worker_index);
		if (d == NULL) {
			lc->stats.drops[LB_DROP_NO_DEST]++;
			return NULL;
		}
		if (svc->flags & LB_SVC_F_PERSISTENT) {
			if (!make_room(lc)) {
				lc->stats.drops[LB_DROP_CONN_FULL]++;
				return NULL;
			}
			tmpl = lb_conn_template_create(lc->worker_index, svc, key->saddr, d, now);
			if (tmpl == NULL) {
				lc->stats.drops[LB_DROP_CONN_FULL]++;
				return NULL;
			}
		}
	}
	if (d->fwd == LB_FWD_FNAT &&
	    lb_conn_fnat_local(lc->worker_index, svc, d, &laddr, &lport) != 0) {
		if (tmpl != NULL)
			lb_conn_template_put(tmpl);
		lc->stats.drops[LB_DROP_NO_LPORT]++;
		return NULL;
	}
	c = make_room(lc) ? lb_conn_create(lc->worker_index, key, svc, d, laddr, lport, tmpl, now)
			  : NULL;
	if (c == NULL) {
		if (tmpl != NULL)
			lb_conn_template_put(tmpl);
		lc->stats.drops[LB_DROP_CONN_FULL]++;
	}
	return c;
}

/*
 * A VIP port with no service answers as a closed port of a host would (as
 * kernel LVS does, the VIP being local there): TCP RST, ICMP port
 * unreachable for UDP. Consumes m.
 */
static void
reject(struct lb_lcore *lc, struct rte_mbuf *m, const struct lb_pkt_info *info, uint64_t now)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, info->l3_off);
	const struct lb_port *p = lb_port_by_id(m->port);
	struct rte_mbuf *err;

	if (info->proto == IPPROTO_TCP) {
		if (lb_rewrite_tcp_rst(m, info->l3_off) == 0)
			lb_fwd_send_back(lc, m);
		else
			rte_pktmbuf_free(m);	/* never answer a RST */
		return;
	}
	err = p == NULL || !icmp_error_allowed(lc, now) ? NULL :
		lb_icmp_error(p->pool, m, info->l3_off, ip->dst_addr, 3, 3, 0); /* port unreach. */
	rte_pktmbuf_free(m);
	if (err != NULL)
		lb_fwd_send_back(lc, err);
}

/*
 * An ICMP error in transit about a packet of a tracked connection (port
 * unreachable from a real server, frag-needed from a router): translate it
 * like the connection's packets and send it to the other side.
 */
static void
forward_icmp_error(struct lb_lcore *lc, struct rte_mbuf *m, const struct lb_pkt_info *info,
		   uint64_t now)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, info->l3_off);
	struct lb_pkt_tuple q, inner;
	struct lb_conn_key key = { 0 };
	const struct lb_conn *c;
	uint16_t port_id;
	rte_be32_t nexthop;
	enum lb_dir dir;
	int rc;

	if ((lb_svc_is_vip(lb_svc_snapshot_get(), ip->dst_addr) ||
	     lb_svc_gate_state(ip->dst_addr) == 1) &&
	    lb_icmp_echo_reply(m, info->l3_off) == 0) {
		lb_fwd_send_back(lc, m);	/* the VIP answers ping, as on an LVS director */
		return;
	}
	rc = lb_pkt_icmp_inner(m, info->l3_off, &q);
	if (rc != 0) {
		lb_fwd_drop(lc, m, rc == -EINVAL ? LB_DROP_ICMP_BAD : LB_DROP_NOT_LOCAL);
		return;
	}
	if (!lb_local.keep_ttl && unlikely(lb_rewrite_ttl_dec(m, info->l3_off) != 0)) {
		ttl_expired(lc, m, info, now);	/* an error about an error: none sent */
		return;
	}
	/* the quoted packet went the other way: its reverse is our key */
	key.saddr = q.daddr;
	key.daddr = q.saddr;
	key.sport = q.dport;
	key.dport = q.sport;
	key.proto = q.proto;
	c = lb_conn_lookup(lc->worker_index, &key, &dir);
	if (c == NULL) {
		lb_fwd_drop(lc, m, LB_DROP_ICMP_NO_CONN);
		return;
	}
	if (dir == LB_DIR_OUT) {	/* from the real server's side, to the client */
		inner = (struct lb_pkt_tuple){ c->in.saddr, c->in.daddr, c->in.sport,
					       c->in.dport, q.proto };
		rc = lb_rewrite_icmp_error_inner(m, info->l3_off, c->in.daddr, c->in.saddr,
						 &inner);
		if (rc == 0 && lb_route_lookup(c->in.saddr, &port_id, &nexthop) == 0) {
			lb_fwd_send_to(lc, m, port_id, nexthop, now);
			return;
		}
	} else if (c->fwd == LB_FWD_NAT || c->fwd == LB_FWD_FNAT) {	/* to the RS */
		inner = (struct lb_pkt_tuple){ c->out.saddr, c->out.daddr, c->out.sport,
					       c->out.dport, q.proto };
		rc = lb_rewrite_icmp_error_inner(m, info->l3_off,
						 c->fwd == LB_FWD_FNAT ? c->out.daddr
								       : ip->src_addr,
						 c->out.saddr, &inner);
		if (rc == 0 && lb_route_lookup(c->out.saddr, &port_id, &nexthop) == 0) {
			lb_fwd_send_to(lc, m, port_id, nexthop, now);
			return;
		}
	} else {
		forward_in(lc, m, info, c, now);	/* DR/TUN: the RS sees it as sent */
		return;
	}
	lb_fwd_drop(lc, m, rc == 0 ? LB_DROP_NO_ROUTE : LB_DROP_ICMP_BAD);
}

/*
 * Flag sets no TCP stack sends, used by scanners and floods to probe or
 * confuse state tables: SYN with FIN or RST, and a segment with no flag.
 */
static inline bool
tcp_flags_sane(uint8_t proto, uint8_t flags)
{
	if (proto != IPPROTO_TCP)
		return true;
	if ((flags & RTE_TCP_SYN_FLAG) && (flags & (RTE_TCP_FIN_FLAG | RTE_TCP_RST_FLAG)))
		return false;
	return (flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG | RTE_TCP_RST_FLAG |
			 RTE_TCP_FIN_FLAG)) != 0;
}

/*
 * The ports of a TCP or UDP packet that lb_classify passed (IPv4 header
 * and total length within the frame): 0, -ENOENT for a fragment past the
 * first, -EINVAL when the L4 header (TCP: with the options it claims) is
 * cut short.
 */
static inline int
transit_ports(const struct rte_mbuf *m, const struct rte_ipv4_hdr *ip,
	      const struct lb_pkt_info *info, struct lb_conn_key *k)
{
	const uint16_t l4_len = info->l3_len - (info->l4_off - info->l3_off);
	const uint8_t *l4 = rte_pktmbuf_mtod_offset(m, const uint8_t *, info->l4_off);

	if (ip->fragment_offset & rte_cpu_to_be_16(RTE_IPV4_HDR_OFFSET_MASK))
		return -ENOENT;
	if (!lb_l4_header_complete(l4, l4_len, info->proto))
		return -EINVAL;
	memcpy(&k->sport, l4, sizeof(k->sport));
	memcpy(&k->dport, l4 + 2, sizeof(k->dport));
	return 0;
}

bool
lb_forward_prepare(struct lb_lcore *lc, struct rte_mbuf *m, const struct lb_pkt_info *info,
		   struct lb_fwd_pkt *p, uint64_t now)
{
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, info->l3_off);
	int rc;

	if (unlikely(lb_svc_nb_gates != 0) && lb_svc_gate_state(ip->dst_addr) == 0) {
		lb_fwd_drop(lc, m, LB_DROP_VIP_BACKUP);	/* VRRP: not MASTER for it */
		return false;
	}
	if (info->proto == IPPROTO_ICMP) {
		forward_icmp_error(lc, m, info, now);
		return false;
	}
	if (info->proto != IPPROTO_TCP && info->proto != IPPROTO_UDP) {
		lb_fwd_drop(lc, m, LB_DROP_NOT_LOCAL);
		return false;
	}
	if (unlikely(ip->time_to_live <= 1) && !lb_local.keep_ttl) {	/* before a connection */
		ttl_expired(lc, m, info, now);
		return false;
	}
	memset(&p->key, 0, sizeof(p->key));
	rc = transit_ports(m, ip, info, &p->key);
	if (rc != 0) {
		lb_fwd_drop(lc, m, rc == -ENOENT ? LB_DROP_FRAGMENT : LB_DROP_L4_TRUNC);
		return false;
	}
	if (unlikely(p->key.sport == 0 || p->key.dport == 0)) {
		lb_fwd_drop(lc, m, LB_DROP_ZERO_PORT);
		return false;
	}
	p->flags = tcp_flags(m, info);
	if (unlikely(!tcp_flags_sane(info->proto, p->flags))) {
		lb_fwd_drop(lc, m, LB_DROP_TCP_FLAGS);
		return false;
	}
	p->m = m;
	p->info = *info;
	p->key.proto = info->proto;
	p->key.saddr = ip->src_addr;
	p->key.daddr = ip->dst_addr;
	return true;
}

/*
 * lb_fwd_conn_packet (contract in app/forward_priv.h), inlined into the
 * established path with forward_in and send_to: as three calls they cost
 * about 40 instructions a packet in saved registers (callgrind,
 * test/perf/instr_count.sh).
 */
static __rte_always_inline void
conn_packet(struct lb_lcore *lc, struct rte_mbuf *m, const struct lb_pkt_info *info,
	    struct lb_conn *c, enum lb_dir dir, uint8_t flags, uint64_t now)
{
	const uint8_t before = __atomic_load_n(&c->state, __ATOMIC_RELAXED);
	struct lb_counters *sc, *dc;

	if (likely(!lb_local.keep_ttl))
		lb_rewrite_ttl_dec(m, info->l3_off);	/* >= 2: lb_forward_prepare checked */
	lb_conn_seen(c, dir, flags, now);
	if (unlikely(before == LB_TCP_SYN_RECV) && dir == LB_DIR_IN &&
	    __atomic_load_n(&c->state, __ATOMIC_RELAXED) == LB_TCP_ESTABLISHED)
		lb_synproxy_done(lc, c);	/* the half-open rate a SYN proxy watches */
	lb_sync_conn_seen(lc->worker_index, c, now);
	sc = &c->svc->stats[lc->worker_index];
	dc = &c->dest->stats[lc->worker_index];
	if (dir == LB_DIR_IN) {
		sc->inpkts++;
		dc->inpkts++;
		sc->inbytes += info->l3_len;
		dc->inbytes += info->l3_len;
		forward_in(lc, m, info, c, now);
	} else {
		sc->outpkts++;
		dc->outpkts++;
		sc->outbytes += info->l3_len;
		dc->outbytes += info->l3_len;
		forward_out(lc, m, info, c, now);
	}
}

void
lb_fwd_conn_packet(struct lb_lcore *lc, struct rte_mbuf *m, const struct lb_pkt_info *info,
		   struct lb_conn *c, enum lb_dir dir, uint8_t flags, uint64_t now)
{
	conn_packet(lc, m, info, c, dir, flags, now);
}

/*
 * A packet with no connection, or one the connection cannot take as it
 * is (a SYN again, a SYN-proxied connection): forward_conn's rare cases,
 * out of the established path.
 */
static __rte_noinline void
forward_conn_slow(struct lb_lcore *lc, struct lb_fwd_pkt *p, struct lb_conn *c,
		  enum lb_dir dir, uint64_t now)
{
	const struct lb_pkt_info *info = &p->info;
	struct rte_mbuf *m = p->m;

	/*
	 * A client reusing its port after TIME_WAIT opens a new connection; a
	 * SYN again of one that waits for its reply key asks for the key again.
	 */
	if (c != NULL && dir == LB_DIR_IN &&
	    (p->flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) == RTE_TCP_SYN_FLAG) {
		if (lb_conn_retire_for_reuse(lc->worker_index, c))
			c = NULL;
		else
			lb_conn_claim_reply_key(lc->worker_index, c);
	}
	if (c == NULL) {
		bool vip_miss = false, consumed = false;
		uint16_t cookie_mss = 0;

		c = new_conn(lc, p, now, &vip_miss, &consumed, &cookie_mss);
		if (c == NULL) {
			/* a proven handshake with nowhere to go is reset, not left hanging */
			if (consumed)
				return;
			if ((vip_miss && lb_local.vip_reject) || cookie_mss != 0)
				reject(lc, m, info, now);
			else
				rte_pktmbuf_free(m);
			return;
		}
		if (cookie_mss != 0) {
			lb_synproxy_open(lc, p, c, cookie_mss, now);
			return;
		}
		dir = LB_DIR_IN;
	} else if (unlikely(c->proxy != LB_PROXY_NONE) && !lb_synproxy_packet(lc, p, c, dir, now)) {
		return;
	}
	lb_fwd_conn_packet(lc, m, info, c, dir, p->flags, now);
}

/* The last stage for one packet whose lookup gave c (NULL: none) in direction dir. */
static __rte_always_inline void
forward_conn(struct lb_lcore *lc, struct lb_fwd_pkt *p, struct lb_conn *c, enum lb_dir dir,
	     uint64_t now)
{
	if (likely(c != NULL && c->proxy == LB_PROXY_NONE) &&
	    (dir != LB_DIR_IN ||
	     (p->flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) != RTE_TCP_SYN_FLAG))
		conn_packet(lc, p->m, &p->info, c, dir, p->flags, now);
	else
		forward_conn_slow(lc, p, c, dir, now);
}

/*
 * The lookup pipeline's distances, in packets: a packet's bucket is
 * prefetched BUCKET_AHEAD packets before its candidate is read, which is
 * CONN_AHEAD packets before it is forwarded, so both misses (about 150 ns
 * each from DRAM) overlap with forwarding the packets in between. 16 and
 * 14 measured best at a million connections on 2026-11-26 (bench_pipeline
 * `fast` medians, 4-6 interleaved runs each: DR 137-144 cycles a packet
 * against 145-149 with 12 and 10, TUN 157-159 against 160-162; 20 and 16
 * DR 138-141, TUN 152-156, but 1-2 more at a thousand connections), once
 * the packet work had shrunk; before that 12 and 10 had measured best (DR
 * 131, 8 and 8 139, 16 and 12 134; earlier 4 and 4 cost 25 more than 8 and
 * 8). A thousand connections do not mind. A key
 * with no candidate in the worker's own table (a NAT reply whose
 * connection another worker made) has the other tables' buckets read
 * OTHERS_AHEAD packets before it is forwarded (bench_scale, every packet
 * in the other table: 18-20 Mpps on 2 workers with distances 8 and 8, 7
 * without that step; 22.6-23.5 with 12 and 10, not measured again with
 * 16 and 14 on a host too loud for bench_scale).
 * Tried and dropped: carrying the newest 16 packets of a burst over to the
 * next, so that no burst starts with its first lookups still in memory.
 * It saved nothing at a million connections and cost 9 cycles a packet at
 * a thousand; nor did 64-packet bursts or a non-temporal prefetch of the
 * connection (2026-11-26). What a million connections cost over a
 * thousand is mostly this machine's memory, not the pipeline's start: on
 * the earlier host bench_memfloor's bare two-line pipeline paid 26-27
 * cycles of DR's 35-39; on this VM a DRAM line costs 24-27 cycles even
 * prefetched and its TLB holds 4 KB translations (README, Performance).
 */
#define BUCKET_AHEAD 16
#define CONN_AHEAD 14
#define OTHERS_AHEAD 4	/* other tables' candidates, for own-table misses */

_Static_assert(OTHERS_AHEAD <= CONN_AHEAD,
	       "a packet's own-table candidate is read before the other tables'");

void
lb_forward_burst(struct lb_lcore *lc, struct lb_fwd_pkt *p, unsigned int n, uint64_t now)
{
	const unsigned int w = lc->worker_index;
	struct lb_conn_probe pr[LB_BURST];
	uint32_t cand[LB_BURST];
	unsigned int s;

	for (; n > LB_BURST; n -= LB_BURST, p += LB_BURST)
		lb_forward_burst(lc, p, LB_BURST, now);
	/* unsigned: s - D < n is false while s < D, one test a stage */
	for (s = 0; s < n + BUCKET_AHEAD + CONN_AHEAD; s++) {
		const unsigned int b = s - BUCKET_AHEAD;
		const unsigned int o = s - (BUCKET_AHEAD + CONN_AHEAD - OTHERS_AHEAD);

		if (s < n)
			lb_conn_lookup_prefetch(w, &p[s].key, &pr[s]);
		if (b < n)
			cand[b] = lb_conn_lookup_candidate(w, &pr[b]);
		if (o < n && cand[o] == 0)
			cand[o] = lb_conn_lookup_candidate_others(w, &pr[o]);
		if (s >= BUCKET_AHEAD + CONN_AHEAD) {
			const unsigned int i = s - BUCKET_AHEAD - CONN_AHEAD;
			enum lb_dir dir = LB_DIR_IN;
			struct lb_conn *c = lb_conn_lookup_finish(w, &p[i].key, cand[i], &dir);

			forward_conn(lc, &p[i], c, dir, now);
		}
	}
}
