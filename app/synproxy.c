/* SPDX-License-Identifier: BSD-3-Clause */
/* The SYN proxy: cookies, the real server's handshake, ISN translation. */
#include <netinet/in.h>

#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_tcp.h>

#include "app/forward_priv.h"
#include "app/rewrite.h"
#include "app/syncookie.h"
#include "app/synproxy.h"
#include "pmd-glue/port.h"

/* lb_conn.held once nothing may be held any more (open or removed). */
#define HELD_DONE ((struct rte_mbuf *)(uintptr_t)1)

bool
lb_synproxy_take_syn(struct lb_lcore *lc, const struct lb_service *svc, uint64_t now)
{
	struct lb_synproxy_win *w = &svc->state->syn_win[lc->worker_index];
	uint64_t hz = rte_get_tsc_hz();

	if (now - w->start_tsc >= hz) {		/* a new second */
		/* off only after a whole second well under the threshold */
		if (w->syns - RTE_MIN(w->done, w->syns) <= svc->syn_proxy_thresh / 2)
			w->active = false;
		w->syns = 0;
		w->done = 0;
		w->start_tsc = now;
	}
	/* on as soon as this second's half-open count passes the threshold */
	if (++w->syns - RTE_MIN(w->done, w->syns) > svc->syn_proxy_thresh)
		w->active = true;
	return w->active;
}

void
lb_synproxy_answer(struct lb_lcore *lc, struct lb_fwd_pkt *p, uint64_t now)
{
	const struct rte_tcp_hdr *th = lb_fwd_tcp_hdr(p->m, &p->info);
	uint32_t isn = rte_be_to_cpu_32(th->sent_seq);
	struct lb_tcp_seg seg = { .ack = isn + 1, .flags = RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG,
				  .reply = true };

	seg.seq = lb_syncookie_make(p->key.saddr, p->key.daddr, p->key.sport, p->key.dport, isn,
				    lb_tcp_mss_option(p->m, p->info.l4_off),
				    lb_syncookie_count(now, rte_get_tsc_hz()), &seg.mss);
	seg.win = seg.mss;	/* one segment until the real server's window arrives */
	if (lb_rewrite_tcp_segment(p->m, p->info.l3_off, &seg) != 0) {
		lb_fwd_drop(lc, p->m, LB_DROP_L4_TRUNC);
		return;
	}
	lc->stats.syn_cookies_sent++;
	lb_fwd_send_back(lc, p->m);
}

uint16_t
lb_synproxy_check_ack(const struct lb_fwd_pkt *p, uint64_t now)
{
	const struct rte_tcp_hdr *th = lb_fwd_tcp_hdr(p->m, &p->info);

	return lb_syncookie_check(p->key.saddr, p->key.daddr, p->key.sport, p->key.dport,
				  rte_be_to_cpu_32(th->sent_seq) - 1,
				  rte_be_to_cpu_32(th->recv_ack) - 1,
				  lb_syncookie_count(now, rte_get_tsc_hz()));
}

/* Keep client segment m on c until the real server answers; false if c holds one. */
static bool
hold(struct lb_conn *c, struct rte_mbuf *m, const struct lb_pkt_info *info)
{
	struct rte_mbuf *expect = NULL;

	m->l2_len = info->l3_off;		/* where its headers are, for the release */
	m->l3_len = info->l4_off - info->l3_off;
	if (__atomic_compare_exchange_n(&lb_conn_ext(c)->held, &expect, m, false, __ATOMIC_ACQ_REL,
					__ATOMIC_RELAXED))
		return true;
	m->l2_len = 0;
	m->l3_len = 0;
	return false;
}

/*
 * Make m (client -> VIP, as received) the SYN towards c's real server and
 * send it: in place, or in a copy when keep is set (m then stays the
 * caller's). False only when the copy could not be made (counted).
 */
static bool
send_syn(struct lb_lcore *lc, struct rte_mbuf *m, const struct lb_pkt_info *info,
	 struct lb_conn *c, bool keep, uint64_t now)
{
	const struct lb_conn_ext *x = lb_conn_ext(c);
	struct lb_tcp_seg seg = { .seq = x->proxy_cisn, .win = x->proxy_win,
				  .mss = x->proxy_mss, .flags = RTE_TCP_SYN_FLAG };
	struct lb_pkt_info si = { .ether_type = info->ether_type, .l3_off = info->l3_off,
				  .l4_off = info->l3_off + sizeof(struct rte_ipv4_hdr),
				  .l3_len = sizeof(struct rte_ipv4_hdr) +
					    sizeof(struct rte_tcp_hdr) + 4,
				  .proto = IPPROTO_TCP };
	const struct lb_port *port = lb_port_by_id(m->port);
	struct rte_mbuf *syn = m;

	if (keep) {
		syn = port != NULL ? lb_tcp_copy_headers(port->pool, m, info->l3_off) : NULL;
		if (syn == NULL) {
			lc->stats.drops[LB_DROP_NO_MBUF]++;
			return false;
		}
	}
	if (lb_rewrite_tcp_segment(syn, info->l3_off, &seg) != 0) {
		lb_fwd_drop(lc, syn, LB_DROP_L4_TRUNC);
		return true;
	}
	lb_fwd_conn_packet(lc, syn, &si, c, LB_DIR_IN, RTE_TCP_SYN_FLAG, now);
	return true;
}

void
lb_synproxy_open(struct lb_lcore *lc, struct lb_fwd_pkt *p, struct lb_conn *c, uint16_t mss,
		 uint64_t now)
{
	const struct rte_tcp_hdr *th = lb_fwd_tcp_hdr(p->m, &p->info);
	uint32_t data = p->info.l3_len - (p->info.l4_off - p->info.l3_off) -
			(th->data_off >> 4) * 4u;
	struct lb_conn_ext *x = lb_conn_ext(c);

	x->proxy_cisn = rte_be_to_cpu_32(th->sent_seq) - 1;
	x->proxy_isn = rte_be_to_cpu_32(th->recv_ack) - 1;
	x->proxy_mss = mss;
	x->proxy_win = rte_be_to_cpu_16(th->rx_win);
	__atomic_store_n(&c->proxy, LB_PROXY_WAIT, __ATOMIC_RELEASE);
	lc->stats.syn_cookies_ok++;
	lb_synproxy_done(lc, c);
	if (data == 0 && !(p->flags & RTE_TCP_FIN_FLAG)) {	/* a bare ACK: it becomes the SYN */
		send_syn(lc, p->m, &p->info, c, false, now);
		return;
	}
	if (!send_syn(lc, p->m, &p->info, c, true, now) || !hold(c, p->m, &p->info))
		lb_fwd_drop(lc, p->m, LB_DROP_PROXY_WAIT);	/* the client sends it again */
}

/* The real server's SYN-ACK (first or again): answer it with the ACK, go OPEN. */
static void
rs_synack(struct lb_lcore *lc, struct lb_fwd_pkt *p, struct lb_conn *c, uint8_t st,
	  uint64_t now)
{
	const struct rte_tcp_hdr *th = lb_fwd_tcp_hdr(p->m, &p->info);
	uint32_t rs_isn = rte_be_to_cpu_32(th->sent_seq);
	struct lb_conn_ext *x = lb_conn_ext(c);
	struct lb_tcp_seg seg = { .seq = rte_be_to_cpu_32(th->recv_ack), .ack = rs_isn + 1,
				  .win = x->proxy_win, .flags = RTE_TCP_ACK_FLAG, .reply = true };
	struct lb_pkt_info hi;
	struct rte_mbuf *h;

	if (st == LB_PROXY_WAIT) {
		x->seq_delta = rs_isn - x->proxy_isn;
		__atomic_store_n(&c->proxy, LB_PROXY_OPEN, __ATOMIC_RELEASE);
	}
	lb_conn_seen(c, LB_DIR_OUT, p->flags, now);
	if (lb_rewrite_tcp_segment(p->m, p->info.l3_off, &seg) != 0) {
		lb_fwd_drop(lc, p->m, LB_DROP_L4_TRUNC);
	} else {
		lb_conn_seen(c, LB_DIR_IN, RTE_TCP_ACK_FLAG, now);	/* our ACK: ESTABLISHED */
		lb_fwd_send_to(lc, p->m, c->out_port, c->nexthop, now);
	}
	h = __atomic_exchange_n(&x->held, HELD_DONE, __ATOMIC_ACQ_REL);
	if (h == NULL || h == HELD_DONE)
		return;
	hi = (struct lb_pkt_info){ .ether_type = RTE_ETHER_TYPE_IPV4, .l3_off = h->l2_len,
				   .l4_off = h->l2_len + h->l3_len, .proto = IPPROTO_TCP };
	hi.l3_len = rte_be_to_cpu_16(rte_pktmbuf_mtod_offset(h, const struct rte_ipv4_hdr *,
							     hi.l3_off)->total_length);
	h->l2_len = 0;
	h->l3_len = 0;
	if (lb_rewrite_tcp_seq(h, hi.l3_off, 0, x->seq_delta) != 0) {
		lb_fwd_drop(lc, h, LB_DROP_L4_TRUNC);
		return;
	}
	lb_fwd_conn_packet(lc, h, &hi, c, LB_DIR_IN, lb_fwd_tcp_hdr(h, &hi)->tcp_flags, now);
}

bool
lb_synproxy_packet(struct lb_lcore *lc, struct lb_fwd_pkt *p, struct lb_conn *c,
		   enum lb_dir dir, uint64_t now)
{
	const struct lb_conn_ext *x = lb_conn_ext(c);
	uint8_t st = __atomic_load_n(&c->proxy, __ATOMIC_ACQUIRE);
	uint32_t seq;

	if (dir == LB_DIR_IN) {
		if (st == LB_PROXY_WAIT) {
			if (hold(c, p->m, &p->info))
				return false;
			st = __atomic_load_n(&c->proxy, __ATOMIC_ACQUIRE);
		}
		if (st == LB_PROXY_WAIT) {
			/* one is held already: maybe our SYN was lost; send it again */
			lc->stats.drops[LB_DROP_PROXY_WAIT]++;
			send_syn(lc, p->m, &p->info, c, false, now);
			return false;
		}
		if (lb_rewrite_tcp_seq(p->m, p->info.l3_off, 0, x->seq_delta) != 0) {
			lb_fwd_drop(lc, p->m, LB_DROP_L4_TRUNC);
			return false;
		}
		return true;
	}
	if ((p->flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) ==
	    (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) {
		rs_synack(lc, p, c, st, now);
		return false;
	}
	if (st == LB_PROXY_WAIT) {
		if (!(p->flags & RTE_TCP_RST_FLAG)) {	/* nothing else comes before it */
			lb_fwd_drop(lc, p->m, LB_DROP_PROXY_WAIT);
			return false;
		}
		/* refused: the client gets the RST in the numbers it knows */
		lb_synproxy_release(c);
		seq = rte_be_to_cpu_32(lb_fwd_tcp_hdr(p->m, &p->info)->sent_seq);
		if (lb_rewrite_tcp_seq(p->m, p->info.l3_off, x->proxy_isn + 1 - seq, 0) != 0) {
			lb_fwd_drop(lc, p->m, LB_DROP_L4_TRUNC);
			return false;
		}
		return true;
	}
	if (lb_rewrite_tcp_seq(p->m, p->info.l3_off, -x->seq_delta, 0) != 0) {
		lb_fwd_drop(lc, p->m, LB_DROP_L4_TRUNC);
		return false;
	}
	return true;
}

void
lb_synproxy_adopt(struct lb_conn *c, uint32_t rs_isn, uint32_t seq_delta)
{
	struct lb_conn_ext *x = lb_conn_ext(c);

	x->seq_delta = seq_delta;
	x->proxy_isn = rs_isn - seq_delta;
	__atomic_store_n(&x->held, HELD_DONE, __ATOMIC_RELAXED);
	__atomic_store_n(&c->proxy, LB_PROXY_OPEN, __ATOMIC_RELEASE);
}

void
lb_synproxy_release(struct lb_conn *c)
{
	struct rte_mbuf *h = __atomic_exchange_n(&lb_conn_ext(c)->held, HELD_DONE, __ATOMIC_ACQ_REL);

	if (h != NULL && h != HELD_DONE)
		rte_pktmbuf_free(h);
}
