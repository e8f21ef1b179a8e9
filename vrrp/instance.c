/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The running vrrp_instances on the control lcore: adverts in and out,
 * the state machines' timers, VIP ownership and gratuitous ARP.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_log.h>

#include "app/lcore.h"
#include "app/svc_table.h"
#include "health/misc.h"
#include "pmd-glue/arp.h"
#include "pmd-glue/port.h"
#include "vrrp/instance.h"
#include "vrrp/instance_priv.h"
#include "vrrp/track.h"
#include "vrrp/unicast.h"

RTE_LOG_REGISTER_SUFFIX(lb_vrrp_logtype, vrrp, INFO);

#define TRACK_EVERY_US	10000		/* scripts and links looked at every 10 ms */

struct instance lb_vrrp_instances[LB_MAX_VRRP];
unsigned int lb_vrrp_nb_instances;
const struct lb_config *lb_vrrp_root;	/* for vrrp_scripts and interfaces */
static uint64_t next_track;
static struct lb_vrrp_counters other;	/* adverts no instance took */

/* short names in this file */
#define instances lb_vrrp_instances
#define nb_instances lb_vrrp_nb_instances
#define root lb_vrrp_root

uint64_t
lb_vrrp_now_us(void)
{
	uint64_t c = rte_get_tsc_cycles(), hz = rte_get_tsc_hz();

	return (c / hz) * 1000000ull + (c % hz) * 1000000ull / hz + 1;
}

static const char *
ip_str(rte_be32_t a, char *buf, size_t len)
{
	return lb_ipv4_str(rte_be_to_cpu_32(a), buf, len);
}

/* Send adv (next IP id) to dst_mac, NULL: its multicast MAC; direct: TX queue 0. */
static void
send_frame(struct instance *in, struct lb_vrrp_advert *adv,
	   const struct rte_ether_addr *dst_mac, bool direct)
{
	struct rte_mbuf *m;
	int len;

	adv->ip_id = ++in->ip_id;
	m = rte_pktmbuf_alloc(in->port->pool);
	if (m == NULL) {
		lb_count_drop(LB_DROP_NO_MBUF);
		return;
	}
	len = lb_vrrp_encode_eth(&in->wire, adv, &in->port->mac, false, dst_mac,
				 rte_pktmbuf_mtod(m, uint8_t *), rte_pktmbuf_tailroom(m));
	if (len < 0) {
		LOG(ERR, "%s: cannot encode an advert: %s", in->cfg->name, strerror(-len));
		rte_pktmbuf_free(m);
		return;
	}
	m->data_len = (uint16_t)len;
	m->pkt_len = (uint32_t)len;
	m->port = in->port->port_id;
	if (adv->priority == 0)
		in->cnt.tx_prio0++;
	else
		in->cnt.tx_adverts++;
	if (!direct) {
		lb_ctrl_tx(m);
		return;
	}
	if (rte_eth_tx_burst(in->port->port_id, 0, &m, 1) != 1) {
		lb_count_drop(LB_DROP_TX_FULL);
		rte_pktmbuf_free(m);
	}
}

/*
 * Send one advert with priority prio to 224.0.0.18, or to each unicast
 * peer whose MAC is known (unicast.c probes the others); direct: straight
 * to TX queue 0.
 */
static void
send_advert(struct instance *in, uint8_t prio, bool direct)
{
	const struct lb_cfg_vrrp *c = in->cfg;
	struct lb_vrrp_advert adv;
	struct rte_ether_addr mac;
	unsigned int k;

	memset(&adv, 0, sizeof(adv));
	adv.saddr = in->primary;
	adv.daddr = rte_cpu_to_be_32(LB_VRRP_GROUP);
	adv.priority = prio;
	adv.naddr = (uint16_t)c->nb_vips;
	memcpy(adv.addrs, in->vips, c->nb_vips * sizeof(rte_be32_t));
	if (c->nb_unicast_peers == 0) {
		send_frame(in, &adv, NULL, direct);
		return;
	}
	for (k = 0; k < c->nb_unicast_peers; k++) {
		if (lb_vrrp_uc_dst_mac(&in->uc, c, k, in->port, lb_vrrp_now_us(), &mac) != 0)
			continue;
		adv.daddr = rte_cpu_to_be_32(c->unicast_peers[k]);
		send_frame(in, &adv, &mac, direct);
	}
}

void
lb_vrrp_send_garps(struct instance *in, const rte_be32_t *vips, unsigned int n,
		   unsigned int repeat)
{
	unsigned int r, i;

	for (r = 0; r < repeat; r++)
		for (i = 0; i < n; i++) {
			struct rte_mbuf *m = lb_arp_build_request(in->port->pool, &in->port->mac,
								  vips[i], vips[i]);

			if (m == NULL) {
				lb_count_drop(LB_DROP_NO_MBUF);
				return;
			}
			m->port = in->port->port_id;
			lb_ctrl_tx(m);
			in->cnt.tx_garp++;
		}
}

static void
own_vips(struct instance *in, bool owned)
{
	unsigned int i;

	for (i = 0; i < in->cfg->nb_vips; i++)
		lb_svc_gate_set(in->vips[i], owned);
}


/* Run a notify script or write the FIFO line for in entering state. */
static void
notify(const struct instance *in, enum lb_vrrp_state state)
{
	const struct lb_cfg_vrrp *c = in->cfg;
	const char *script = state == LB_VRRP_STATE_MASTER ? c->notify_master :
			     state == LB_VRRP_STATE_BACKUP ? c->notify_backup :
			     state == LB_VRRP_STATE_FAULT ? c->notify_fault : c->notify_stop;
	const char *name = state == LB_VRRP_STATE_INIT ? "STOP" : lb_vrrp_state_name(state);
	char cmd[LB_CHECK_PATH_LEN + 64];
	int fd, n;

	if (script[0] != '\0' && lb_health_script_detach(script) != 0)
		LOG(ERR, "%s: cannot run '%s'", c->name, script);
	if (c->notify[0] != '\0') {
		/* keepalived's generic notify: INSTANCE NAME STATE PRIORITY */
		snprintf(cmd, sizeof(cmd), "%s INSTANCE %s %s %u", c->notify, c->name, name,
			 in->fsm.priority);
		if (lb_health_script_detach(cmd) != 0)
			LOG(ERR, "%s: cannot run '%s'", c->name, cmd);
	}
	if (root->vrrp_notify_fifo[0] == '\0')
		return;
	/* never blocks: no reader, or a full pipe, and the line is dropped */
	fd = open(root->vrrp_notify_fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	n = snprintf(cmd, sizeof(cmd), "INSTANCE \"%s\" %s %u\n", c->name, name,
		     in->fsm.priority);
	if (write(fd, cmd, (size_t)n) != n)
		LOG(WARNING, "%s: vrrp_notify_fifo %s: line dropped", c->name,
		    root->vrrp_notify_fifo);
	close(fd);
}

/* A member of in's sync group changed to MASTER or left it: the others follow. */
static void
sync_group(struct instance *in, enum lb_vrrp_state before, uint64_t now)
{
	static bool syncing;	/* a forced change does not propagate again */
	struct lb_vrrp_fsm_input ev = { .ev = LB_VRRP_EV_SYNC_MASTER };
	const struct lb_cfg_vrrp_sync *g;
	char why[96];
	unsigned int k;

	if (in->cfg->sync_group < 0 || syncing)
		return;
	if (in->fsm.state == LB_VRRP_STATE_MASTER)
		ev.ev = LB_VRRP_EV_SYNC_MASTER;
	else if (before == LB_VRRP_STATE_MASTER && in->fsm.state == LB_VRRP_STATE_BACKUP)
		ev.ev = LB_VRRP_EV_SYNC_BACKUP;
	else
		return;
	g = &root->vrrp_syncs[in->cfg->sync_group];
	snprintf(why, sizeof(why), "sync group %s: %s is %s", g->name, in->cfg->name,
		 lb_vrrp_state_name(in->fsm.state));
	syncing = true;
	for (k = 0; k < nb_instances; k++) {
		struct instance *m = &instances[k];
		enum lb_vrrp_state mb = m->fsm.state;

		if (m != in && m->cfg->sync_group == in->cfg->sync_group)
			lb_vrrp_act(m, lb_vrrp_fsm_input(&m->fsm, &ev, now), mb, why, now, false);
	}
	syncing = false;
}

void
lb_vrrp_act(struct instance *in, unsigned int a, enum lb_vrrp_state before, const char *why,
    uint64_t now, bool direct)
{
	if (in->fsm.state != before) {
		LOG(NOTICE, "%s: %s -> %s (%s)", in->cfg->name, lb_vrrp_state_name(before),
		    lb_vrrp_state_name(in->fsm.state), why);
		in->cnt.transitions++;
	}
	if (a & LB_VRRP_ACT_SEND_PRIO0)
		send_advert(in, 0, direct);
	if (a & LB_VRRP_ACT_LEAVE_MASTER) {
		own_vips(in, false);
		in->garp_at = 0;
		in->refresh_at = 0;
		in->cnt.leave_master++;
	}
	if (a & LB_VRRP_ACT_SEND_ADVERT)
		send_advert(in, in->fsm.priority, direct);
	if (a & LB_VRRP_ACT_BECOME_MASTER) {
		own_vips(in, true);
		lb_vrrp_send_garps(in, in->vips, in->cfg->nb_vips, in->cfg->garp_repeat);
		in->garp_at = in->cfg->garp_delay_ms ? now + in->cfg->garp_delay_ms * 1000ull : 0;
		in->refresh_at = in->cfg->garp_refresh_ms ?
				 now + in->cfg->garp_refresh_ms * 1000ull : 0;
		in->cnt.become_master++;
	}
	if (in->fsm.state != before) {
		notify(in, in->fsm.state);
		sync_group(in, before, now);
	}
}

/* The running port of interface idx of the config, or NULL. */
static const struct lb_port *
port_of(unsigned int idx)
{
	unsigned int p;

	for (p = 0; p < lb_nb_ports; p++)
		if (lb_ports[p].cfg == &root->ifaces[idx])
			return &lb_ports[p];
	return NULL;
}

/*
 * Tracking of one instance on its own: FAULT while its link or a tracked
 * interface is down or a weight-0 vrrp_script fails; priority plus the
 * weights of OK scripts (weight > 0) and of FAILED ones (weight < 0), kept
 * in 1..254 unless the configured priority is 255 (the owner).
 */
static void
track(struct instance *in)
{
	const struct lb_cfg_vrrp *c = in->cfg;
	const struct lb_port *p;
	int prio = in->base_prio;
	unsigned int k;

	in->own_fault = false;
	if (!in->port->link_up) {
		in->own_fault = true;
		snprintf(in->fault_why, sizeof(in->fault_why), "link down on %s",
			 in->port->cfg->name);
	}
	for (k = 0; k < c->nb_track_ifaces && !in->own_fault; k++) {
		p = port_of(c->track_ifaces[k]);
		if (p != NULL && !p->link_up) {
			in->own_fault = true;
			snprintf(in->fault_why, sizeof(in->fault_why), "tracked interface %s down",
				 p->cfg->name);
		}
	}
	for (k = 0; k < c->nb_track_scripts; k++) {
		const struct lb_cfg_vrrp_script *sc = &root->vrrp_scripts[c->track_scripts[k]];
		bool ok = lb_vrrp_script_ok(c->track_scripts[k]);

		if (sc->weight == 0 && !ok && !in->own_fault) {
			in->own_fault = true;
			snprintf(in->fault_why, sizeof(in->fault_why), "vrrp_script %s failed",
				 sc->name);
		} else if ((sc->weight > 0 && ok) || (sc->weight < 0 && !ok)) {
			prio += sc->weight;
		}
	}
	if (in->base_prio != 255)
		prio = prio < 1 ? 1 : prio > 254 ? 254 : prio;
	in->prio = prio;
}

/*
 * Feed the FSM what tracking changed: FAULT when the instance or a member
 * of its sync group is at fault, out of FAULT when none is, the priority.
 */
static void
evaluate(struct instance *in, uint64_t now)
{
	struct lb_vrrp_fsm_input ev = { .ev = LB_VRRP_EV_PRIORITY };
	enum lb_vrrp_state before = in->fsm.state;
	bool fault = in->own_fault;
	char why[200];
	unsigned int k;

	snprintf(why, sizeof(why), "%s", fault ? in->fault_why : "tracking OK again");
	for (k = 0; k < nb_instances && !fault && in->cfg->sync_group >= 0; k++) {
		const struct instance *m = &instances[k];

		if (m != in && m->cfg->sync_group == in->cfg->sync_group && m->own_fault) {
			fault = true;
			snprintf(why, sizeof(why), "sync group %s: %s has %s",
				 root->vrrp_syncs[in->cfg->sync_group].name, m->cfg->name,
				 m->fault_why);
		}
	}
	if (fault != (in->fsm.state == LB_VRRP_STATE_FAULT)) {
		struct lb_vrrp_fsm_input f = { .ev = fault ? LB_VRRP_EV_IF_DOWN : LB_VRRP_EV_IF_UP };

		lb_vrrp_act(in, lb_vrrp_fsm_input(&in->fsm, &f, now), before, why, now, false);
	}
	if (in->prio != in->fsm.priority) {
		LOG(NOTICE, "%s: priority %u -> %d (tracked scripts)", in->cfg->name,
		    in->fsm.priority, in->prio);
		ev.priority = (uint8_t)in->prio;
		before = in->fsm.state;
		lb_vrrp_act(in, lb_vrrp_fsm_input(&in->fsm, &ev, now), before, "priority", now, false);
	}
}

void
lb_vrrp_evaluate_all(uint64_t now)
{
	unsigned int i;

	for (i = 0; i < nb_instances; i++)
		track(&instances[i]);
	for (i = 0; i < nb_instances; i++)
		evaluate(&instances[i], now);
}

void
lb_vrrp_rebind(struct instance *in)
{
	in->cfg = &in->own;
	in->wire.peers = in->own.unicast_peers;
}

int
lb_vrrp_settings(struct instance *in, const struct lb_config *cfg, struct lb_vrrp_fsm_cfg *fc)
{
	const struct lb_cfg_vrrp *c = in->cfg;
	int rc;

	in->primary = rte_cpu_to_be_32(c->unicast_src != 0 ? c->unicast_src :
				       cfg->ifaces[c->iface].addrs[0].addr);
	in->wire.version = c->version;
	in->wire.vrid = c->vrid;
	in->wire.adver_int = c->version == 2 ? c->advert_int_cs / 100 : c->advert_int_cs;
	in->wire.tx_csum = LB_VRRP_CSUM_RFC;
	in->wire.csum_accept = LB_VRRP_ACCEPT_MCAST;
	in->wire.unicast = c->nb_unicast_peers != 0;
	in->wire.nb_peers = c->nb_unicast_peers;
	rc = lb_vrrp_set_auth(&in->wire, c->auth_type, c->auth_type != 0 ? c->auth_pass : NULL);
	if (rc != 0 && rc != -E2BIG)
		return rc;
	memset(fc, 0, sizeof(*fc));
	fc->version = c->version;
	fc->priority = c->priority;
	fc->adver_int_cs = c->advert_int_cs;
	fc->nopreempt = c->nopreempt;
	fc->preempt_delay_ms = c->preempt_delay_s * 1000;
	fc->primary = in->primary;
	return 0;
}

int
lb_vrrp_setup(struct instance *in, const struct lb_cfg_vrrp *c, const struct lb_config *cfg,
	      uint64_t now)
{
	struct lb_vrrp_fsm_cfg fc;
	unsigned int p, k;
	int rc;

	memset(in, 0, sizeof(*in));
	in->own = *c;
	lb_vrrp_rebind(in);
	for (p = 0; p < lb_nb_ports; p++)
		if (lb_ports[p].cfg == &cfg->ifaces[c->iface])
			in->port = &lb_ports[p];
	if (in->port == NULL) {
		LOG(ERR, "%s: interface %s is not running", c->name, cfg->ifaces[c->iface].name);
		return -ENODEV;
	}
	for (k = 0; k < c->nb_vips; k++) {
		in->vips[k] = rte_cpu_to_be_32(c->vips[k]);
		rc = lb_svc_gate_add(in->vips[k]);
		if (rc != 0)
			return rc;
	}
	rc = lb_vrrp_settings(in, cfg, &fc);
	if (rc == 0)
		rc = lb_vrrp_fsm_init(&in->fsm, &fc);
	if (rc != 0)
		return rc;
	in->started_us = now;
	in->base_prio = c->priority;
	lb_vrrp_uc_resolve(&in->uc, c, in->port, now);
	return 0;
}

/* Start in (STARTUP); keepalived's state MASTER: take over after one interval of silence. */
void
lb_vrrp_start(struct instance *in, uint64_t now)
{
	struct lb_vrrp_fsm_input ev = { .ev = LB_VRRP_EV_STARTUP };
	unsigned int a = lb_vrrp_fsm_input(&in->fsm, &ev, now);

	if (in->cfg->init_master && in->fsm.state == LB_VRRP_STATE_BACKUP)
		in->fsm.master_down_at = now + in->cfg->advert_int_cs * 10000ull;
	lb_vrrp_act(in, a, LB_VRRP_STATE_INIT, "startup", now, false);
}

int
lb_vrrp_init(const struct lb_config *cfg)
{
	uint64_t now = lb_vrrp_now_us();
	unsigned int i;
	int rc;

	nb_instances = 0;
	root = cfg;
	memset(&other, 0, sizeof(other));
	lb_vrrp_track_init(cfg, now);
	for (i = 0; i < cfg->nb_vrrp; i++) {
		rc = lb_vrrp_setup(&instances[nb_instances], &cfg->vrrp[i], cfg, now);
		if (rc != 0)
			return rc;
		nb_instances++;
	}
	for (i = 0; i < nb_instances; i++)
		lb_vrrp_start(&instances[i], now);
	lb_vrrp_evaluate_all(now);	/* a link already down: FAULT at once */
	if (nb_instances > 0)
		LOG(NOTICE, "%u instance(s) started", nb_instances);
	return 0;
}

void
lb_vrrp_term(void)
{
	struct lb_vrrp_fsm_input ev = { .ev = LB_VRRP_EV_SHUTDOWN };
	uint64_t now = lb_vrrp_now_us();
	unsigned int i;

	for (i = 0; i < nb_instances; i++) {
		struct instance *in = &instances[i];
		enum lb_vrrp_state before = in->fsm.state;

		lb_vrrp_act(in, lb_vrrp_fsm_input(&in->fsm, &ev, now), before, "shutdown", now, true);
	}
	if (nb_instances > 0)
		lb_vrrp_show(stderr);
	nb_instances = 0;
	lb_vrrp_track_term();
	lb_svc_gate_clear();
}

/* The reason a BACKUP took over at now (for the log). */
static const char *
takeover_reason(const struct instance *in, uint64_t now, char *buf, size_t len)
{
	char a[16];
	uint64_t since = in->last_rx_us ? in->last_rx_us : in->started_us;

	if (in->last_rx_us != 0 && in->last_rx_prio == 0 &&
	    now - in->last_rx_us < lb_vrrp_fsm_master_down_us(&in->fsm))
		snprintf(buf, len, "master %s resigned (priority 0)",
			 ip_str(in->last_rx_saddr, a, sizeof(a)));
	else if (in->last_rx_us != 0 && in->last_rx_prio < in->fsm.priority &&
		 now - in->last_rx_us < lb_vrrp_fsm_master_down_us(&in->fsm))
		snprintf(buf, len, "preempting %s (priority %u < %u)",
			 ip_str(in->last_rx_saddr, a, sizeof(a)), in->last_rx_prio,
			 in->fsm.priority);
	else
		snprintf(buf, len, "no advert for %.1f s", (double)(now - since) / 1e6);
	return buf;
}

void
lb_vrrp_poll(void)
{
	uint64_t now;
	unsigned int i;
	char why[96];

	if (nb_instances == 0)
		return;
	now = lb_vrrp_now_us();
	if (now >= next_track) {
		next_track = now + TRACK_EVERY_US;
		lb_vrrp_track_poll(now);
		lb_vrrp_evaluate_all(now);
	}
	for (i = 0; i < nb_instances; i++) {
		struct instance *in = &instances[i];
		enum lb_vrrp_state before = in->fsm.state;
		uint64_t due = lb_vrrp_fsm_deadline(&in->fsm);
		unsigned int a;

		if (in->garp_at != 0 && now >= in->garp_at) {
			in->garp_at = 0;
			if (in->fsm.state == LB_VRRP_STATE_MASTER)
				lb_vrrp_send_garps(in, in->vips, in->cfg->nb_vips, in->cfg->garp_repeat);
		}
		if (in->refresh_at != 0 && now >= in->refresh_at &&
		    in->fsm.state == LB_VRRP_STATE_MASTER) {
			in->refresh_at = now + in->cfg->garp_refresh_ms * 1000ull;
			lb_vrrp_send_garps(in, in->vips, in->cfg->nb_vips,
					   in->cfg->garp_refresh_repeat);
		}
		if (due == 0 || now < due)
			continue;
		if (before == LB_VRRP_STATE_BACKUP)
			takeover_reason(in, now, why, sizeof(why));
		else
			snprintf(why, sizeof(why), "timer");
		a = lb_vrrp_fsm_poll(&in->fsm, now);
		lb_vrrp_act(in, a, before, why, now, false);
	}
}

/* Is this IPv4 packet VRRP: protocol 112, or AH to the VRRP group or from a unicast peer? */
static bool
is_vrrp(const struct rte_ipv4_hdr *ip, uint16_t port)
{
	unsigned int i;

	if (ip->next_proto_id == LB_VRRP_PROTO)
		return true;
	if (ip->next_proto_id != LB_VRRP_PROTO_AH)
		return false;
	if (ip->dst_addr == rte_cpu_to_be_32(LB_VRRP_GROUP))
		return true;
	for (i = 0; i < nb_instances; i++)
		if (instances[i].port->port_id == port &&
		    lb_vrrp_uc_is_peer(instances[i].cfg, ip->src_addr))
			return true;
	return false;
}

static void
count_reject(struct lb_vrrp_counters *c, int rc, const struct instance *in,
	     rte_be32_t src)
{
	int idx = lb_vrrp_err_index(rc);
	char a[16];

	if (idx < 0)
		return;
	/* log the first of each reason, then every 1000th */
	if (c->rx_err[idx]++ % 1000 == 0)
		LOG(WARNING, "%s: advert from %s rejected: %s (%" PRIu64 " so far)",
		    in ? in->cfg->name : "no instance", ip_str(src, a, sizeof(a)),
		    lb_vrrp_err_name(rc), c->rx_err[idx]);
	lb_count_drop(LB_DROP_VRRP);
}

static void
rx_advert(struct instance *in, const struct lb_vrrp_advert *adv)
{
	struct lb_vrrp_fsm_input ev = { .ev = LB_VRRP_EV_ADVERT };
	enum lb_vrrp_state before = in->fsm.state;
	uint64_t now = lb_vrrp_now_us();
	unsigned int a, k;
	char why[96], s[16];
	bool same = adv->naddr == in->cfg->nb_vips;

	if (adv->saddr == in->primary)
		return;		/* our own advert looped back */
	for (k = 0; same && k < adv->naddr; k++)
		same = adv->addrs[k] == in->vips[k];
	if (!same && in->cnt.rx_addr_mismatch++ % 1000 == 0)
		LOG(WARNING, "%s: advert from %s lists other addresses than ours",
		    in->cfg->name, ip_str(adv->saddr, s, sizeof(s)));
	in->cnt.rx_ok++;
	in->last_rx_us = now;
	in->last_rx_saddr = adv->saddr;
	in->last_rx_prio = adv->priority;
	ev.priority = adv->priority;
	ev.saddr = adv->saddr;
	ev.adver_int_cs = adv->version == 2 ? (uint16_t)(adv->adver_int * 100) : adv->adver_int;
	a = lb_vrrp_fsm_input(&in->fsm, &ev, now);
	snprintf(why, sizeof(why), "advert from %s with priority %u", ip_str(adv->saddr, s,
		 sizeof(s)), adv->priority);
	lb_vrrp_act(in, a, before, why, now, false);
}

bool
lb_vrrp_input(struct rte_mbuf *m)
{
	static struct lb_vrrp_advert adv;	/* 1 KB: not on the stack */
	const struct rte_ipv4_hdr *ip;
	uint16_t off = m->l2_len;
	unsigned int i;
	int rc;

	if (rte_pktmbuf_data_len(m) < off + sizeof(*ip))
		return false;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, off);
	if (!is_vrrp(ip, m->port))
		return false;
	for (i = 0; i < nb_instances; i++) {
		struct instance *in = &instances[i];

		if (in->port->port_id != m->port)
			continue;
		rc = lb_vrrp_decode(&in->wire, rte_pktmbuf_mtod_offset(m, const uint8_t *, off),
				    rte_pktmbuf_data_len(m) - off, &adv);
		if (rc == 0) {
			rx_advert(in, &adv);
			rte_pktmbuf_free(m);
			return true;
		}
		if (lb_vrrp_err_index(rc) != LB_VRRP_ERR_VRID) {
			count_reject(&in->cnt, rc, in, ip->src_addr);
			rte_pktmbuf_free(m);
			return true;
		}
	}
	/* no instance has that VRID on this port (another router's, or none) */
	other.rx_err[LB_VRRP_ERR_VRID]++;
	lb_count_drop(LB_DROP_VRRP);
	rte_pktmbuf_free(m);
	return true;
}

unsigned int
lb_vrrp_count(void)
{
	return nb_instances;
}

static void
show_counters(FILE *out, const struct lb_vrrp_counters *c)
{
#define ERR_NAME(n, e, s) s,
	static const char *const names[] = { LB_VRRP_ERRORS(ERR_NAME) };
#undef ERR_NAME
	unsigned int e;

	fprintf(out, "  rx_ok %" PRIu64 " tx_adverts %" PRIu64 " tx_prio0 %" PRIu64
		" tx_garp %" PRIu64 " become_master %" PRIu64 " leave_master %" PRIu64
		" rx_addr_mismatch %" PRIu64 "\n", c->rx_ok, c->tx_adverts, c->tx_prio0,
		c->tx_garp, c->become_master, c->leave_master, c->rx_addr_mismatch);
	for (e = 0; e < LB_VRRP_ERR_MAX; e++)
		if (c->rx_err[e] != 0)
			fprintf(out, "  rx_%s %" PRIu64 "\n", names[e], c->rx_err[e]);
}

const char *
lb_vrrp_summary(void)
{
	enum lb_vrrp_state st;
	unsigned int i;

	if (nb_instances == 0)
		return NULL;
	st = instances[0].fsm.state;
	for (i = 1; i < nb_instances; i++)
		if (instances[i].fsm.state != st)
			return "MIXED";
	return lb_vrrp_state_name(st);
}

int
lb_vrrp_instance_state(const char *name)
{
	unsigned int i;

	for (i = 0; i < nb_instances; i++)
		if (strcmp(instances[i].cfg->name, name) == 0)
			return (int)instances[i].fsm.state;
	return -ENOENT;
}

int
lb_vrrp_set_priority(const char *name, unsigned int prio)
{
	unsigned int i;

	if (prio < 1 || prio > 255)
		return -ERANGE;
	for (i = 0; i < nb_instances; i++)
		if (strcmp(instances[i].cfg->name, name) == 0) {
			LOG(NOTICE, "%s: configured priority %u -> %u (CLI)", name,
			    instances[i].base_prio, prio);
			instances[i].base_prio = (uint8_t)prio;
			lb_vrrp_evaluate_all(lb_vrrp_now_us());
			return 0;
		}
	return -ENOENT;
}

int
lb_vrrp_get_priority(const char *name, unsigned int *prio)
{
	unsigned int i;

	for (i = 0; i < nb_instances; i++)
		if (strcmp(instances[i].cfg->name, name) == 0) {
			*prio = instances[i].base_prio;
			return 0;
		}
	return -ENOENT;
}

int
lb_vrrp_info(unsigned int i, struct lb_vrrp_info *out)
{
	const struct instance *in;

	if (i >= nb_instances)
		return -ENOENT;
	in = &instances[i];
	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", in->cfg->name);
	snprintf(out->iface, sizeof(out->iface), "%s", in->port->cfg->name);
	out->vrid = in->cfg->vrid;
	out->state = in->fsm.state;
	out->priority = in->fsm.priority;
	out->base_priority = in->base_prio;
	out->cnt = in->cnt;
	return 0;
}

void
lb_vrrp_show(FILE *out)
{
	unsigned int i;
	char a[16];

	for (i = 0; i < nb_instances; i++) {
		const struct instance *in = &instances[i];

		fprintf(out, "%s: vrid %u on %s, %s, priority %u, primary %s\n", in->cfg->name,
			in->cfg->vrid, in->port->cfg->name, lb_vrrp_state_name(in->fsm.state),
			in->fsm.priority, ip_str(in->primary, a, sizeof(a)));
		lb_vrrp_uc_show(out, in->cfg, &in->uc);
		show_counters(out, &in->cnt);
	}
	fprintf(out, "vrrp (no instance):\n");
	show_counters(out, &other);
	lb_vrrp_track_show(out);
}
