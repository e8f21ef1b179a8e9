/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sync daemon on the control lcore: its two roles, the workers' events
 * batched into messages and sent, received messages handed to the workers.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_udp.h>

#include "app/lcore.h"
#include "app/local.h"
#include "pmd-glue/neigh.h"
#include "pmd-glue/port.h"
#include "pmd-glue/route.h"
#include "sync/frame.h"
#include "sync/sync_priv.h"
#include "vrrp/instance.h"

RTE_LOG_REGISTER_SUFFIX(lb_sync_logtype, sync, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_sync_logtype, "sync: " fmt "\n", ##__VA_ARGS__)

#define FLUSH_US 20000		/* a message waits at most this for more */
#define DRAIN_BURST 64
#define MAX_CONNS 255		/* a message holds at most 255 */

struct lb_sync_state lb_sync;

/* The role's values as they run: the config's, then what the CLI gave. */
static int
resolve(struct lb_sync_run *r, const struct lb_sync_params *p, char *msg, size_t len)
{
	const struct lb_cfg_sync *c = &lb_sync.cfg->sync;
	const char *ifname = p != NULL && p->iface[0] ? p->iface :
			     c->iface < lb_sync.cfg->nb_ifaces ? lb_sync.cfg->ifaces[c->iface].name : "";
	unsigned int i, mtu, room;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < lb_nb_ports; i++)
		if (strcmp(lb_ports[i].cfg->name, ifname) == 0)
			r->port = &lb_ports[i];
	if (r->port == NULL || r->port->cfg->nb_addrs == 0) {
		snprintf(msg, len, "no interface '%s' with an address (--mcast-interface)", ifname);
		return -ENODEV;
	}
	r->syncid = p != NULL && p->syncid ? p->syncid : c->syncid;
	r->group = rte_cpu_to_be_32(p != NULL && p->group ? p->group : c->group);
	r->udp_port = rte_cpu_to_be_16(p != NULL && p->port ? p->port : c->port);
	r->ttl = p != NULL && p->ttl ? p->ttl : c->ttl;
	r->src = rte_cpu_to_be_32(r->port->cfg->addrs[0].addr);
	mtu = lb_cfg_iface_mtu(r->port->cfg);
	room = rte_pktmbuf_data_room_size(r->port->pool) - RTE_PKTMBUF_HEADROOM - LB_SYNC_FRAME_HDRS;
	r->maxlen = p != NULL && p->maxlen ? p->maxlen : c->maxlen ? c->maxlen : mtu - 28;
	if (r->maxlen > mtu - 28 || r->maxlen > room || r->maxlen < 72) {
		snprintf(msg, len, "sync-maxlen %u must be 72..%u on %s", r->maxlen,
			 RTE_MIN(mtu - 28, room), ifname);
		return -EINVAL;
	}
	if ((rte_be_to_cpu_32(r->group) >> 28) != 0xe) {
		snprintf(msg, len, "mcast-group is not a multicast address");
		return -EINVAL;
	}
	return 0;
}

int
lb_sync_start(enum lb_sync_role role, const struct lb_sync_params *p, char *msg, size_t len)
{
	struct lb_sync_run r;
	int rc;

	if (lb_sync.cfg == NULL) {
		snprintf(msg, len, "sync is not initialised");
		return -EINVAL;
	}
	if (lb_sync.run[role].on) {
		snprintf(msg, len, "Daemon has already run");
		return -EEXIST;
	}
	rc = resolve(&r, p, msg, len);
	if (rc != 0)
		return rc;
	r.on = true;
	lb_sync.run[role] = r;
	if (role == LB_SYNC_ROLE_MASTER) {
		lb_sync_msg_init(lb_sync.msg, r.syncid);
		__atomic_store_n(&lb_sync_master_on, 1, __ATOMIC_RELEASE);
	}
	LOG(NOTICE, "%s sync daemon started on %s (syncid %u, maxlen %u, port %u)",
	    role == LB_SYNC_ROLE_MASTER ? "master" : "backup", r.port->cfg->name, r.syncid,
	    r.maxlen, rte_be_to_cpu_16(r.udp_port));
	return 0;
}

static void flush(void);

int
lb_sync_stop(enum lb_sync_role role)
{
	if (!lb_sync.run[role].on)
		return -ESRCH;
	if (role == LB_SYNC_ROLE_MASTER) {
		__atomic_store_n(&lb_sync_master_on, 0, __ATOMIC_RELEASE);
		flush();	/* what the message holds still goes */
	}
	lb_sync.run[role].on = false;
	LOG(NOTICE, "%s sync daemon stopped", role == LB_SYNC_ROLE_MASTER ? "master" : "backup");
	return 0;
}

/* Send the pending message to the group, or to each peer. */
static void
flush(void)
{
	const struct lb_sync_run *r = &lb_sync.run[LB_SYNC_ROLE_MASTER];
	const struct lb_cfg_sync *c = &lb_sync.cfg->sync;
	size_t len = lb_sync_msg_len(lb_sync.msg);
	unsigned int i;

	if (lb_sync_msg_count(lb_sync.msg) == 0)
		return;
	if (c->nb_peers == 0) {
		lb_sync_send_frame(r, r->group, NULL, lb_sync.msg, len);
	} else {
		for (i = 0; i < c->nb_peers; i++) {
			rte_be32_t peer = rte_cpu_to_be_32(c->peers[i]), nh;
			struct rte_ether_addr mac;
			uint16_t port;

			if (lb_route_lookup(peer, &port, &nh) != 0 || port != r->port->port_id) {
				lb_sync.tx_no_route++;
				continue;
			}
			if (lb_neigh_lookup(nh, &mac, NULL) != 0) {
				lb_local_arp_probe(port, nh);
				lb_sync.tx_no_neigh++;	/* the refresh sends it again */
				continue;
			}
			lb_sync_send_frame(r, peer, &mac, lb_sync.msg, len);
		}
	}
	lb_sync.tx_conns += lb_sync_msg_count(lb_sync.msg);
	lb_sync_msg_init(lb_sync.msg, r->syncid);
}

/* Take the workers' events into messages; send those full or waiting too long. */
static unsigned int
drain_events(uint64_t now)
{
	struct lb_sync_conn ev[DRAIN_BURST];
	const struct lb_sync_run *r = &lb_sync.run[LB_SYNC_ROLE_MASTER];
	unsigned int w, n, i, total = 0;

	for (w = 0; w < lb_nb_workers; w++) {
		n = rte_ring_sc_dequeue_burst_elem(lb_sync_wk[w].events, ev, sizeof(ev[0]),
						   DRAIN_BURST, NULL);
		total += n;
		for (i = 0; i < n && r->on; i++) {
			if (lb_sync_msg_count(lb_sync.msg) == 0)
				lb_sync.first_tsc = now;
			if (lb_sync_msg_add(lb_sync.msg, r->maxlen, &ev[i]) == 0)
				continue;
			flush();
			lb_sync.first_tsc = now;
			lb_sync_msg_add(lb_sync.msg, r->maxlen, &ev[i]);
		}
	}
	if (r->on && lb_sync_msg_count(lb_sync.msg) > 0 &&
	    now - lb_sync.first_tsc > rte_get_tsc_hz() / 1000000 * FLUSH_US)
		flush();
	return total;
}

/* VRRP-driven roles, as keepalived drives the kernel's: MASTER sends, others receive. */
static void
follow_vrrp(void)
{
	const struct lb_cfg_sync *c = &lb_sync.cfg->sync;
	char msg[128];
	int st;

	if (!c->enabled || c->vrrp_instance[0] == '\0')
		return;
	st = lb_vrrp_instance_state(c->vrrp_instance);
	if (st == lb_sync.vrrp_state)
		return;
	lb_sync.vrrp_state = st;
	if (st == LB_VRRP_STATE_MASTER) {
		lb_sync_stop(LB_SYNC_ROLE_BACKUP);
		if (lb_sync_start(LB_SYNC_ROLE_MASTER, NULL, msg, sizeof(msg)) == -ENODEV)
			LOG(ERR, "cannot start the master sync daemon: %s", msg);
	} else {
		lb_sync_stop(LB_SYNC_ROLE_MASTER);
		if (lb_sync_start(LB_SYNC_ROLE_BACKUP, NULL, msg, sizeof(msg)) == -ENODEV)
			LOG(ERR, "cannot start the backup sync daemon: %s", msg);
	}
}

unsigned int
lb_sync_poll(void)
{
	if (lb_sync.cfg == NULL)
		return 0;
	follow_vrrp();
	return drain_events(rte_get_tsc_cycles());
}

/*
 * Hand c to a worker: a full-NAT one to the owner of its local port's
 * slice, any other to the one its client address and port hash to.
 */
static void
hand_over(const struct lb_sync_conn *c)
{
	uint32_t h = rte_be_to_cpu_32(c->caddr) * 2654435761u ^ c->cport;
	struct lb_sync_wk *w = &lb_sync_wk[c->has_fnat ? lb_conn_fnat_port_owner(c->lport) :
					   h % lb_nb_workers];

	if (rte_ring_sp_enqueue_elem(w->installs, (void *)(uintptr_t)c, sizeof(*c)) != 0)
		lb_sync.rx_install_full++;
}

/* With peers configured, only they may send: true when m's source is one. */
static bool
from_peer(const struct rte_mbuf *m)
{
	const struct lb_cfg_sync *c = &lb_sync.cfg->sync;
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, m->l2_len);
	unsigned int i;

	if (c->nb_peers == 0)
		return true;
	for (i = 0; i < c->nb_peers; i++)
		if (rte_cpu_to_be_32(c->peers[i]) == ip->src_addr)
			return true;
	return false;
}

bool
lb_sync_input(struct rte_mbuf *m)
{
	static struct lb_sync_conn conns[MAX_CONNS];
	const struct lb_sync_run *r = &lb_sync.run[LB_SYNC_ROLE_BACKUP];
	const uint8_t *payload;
	enum lb_sync_err e;
	unsigned int n, i;
	size_t len;
	int rc;

	if (!r->on)
		return false;
	rc = lb_sync_parse_frame(m, r, &payload, &len);
	if (rc == -ENOENT)
		return false;		/* not a sync message: the kernel's */
	lb_sync.rx_msgs++;
	if (rc == -EEXIST) {
		lb_sync.rx_own++;
	} else if (rc != 0) {
		lb_sync.rx_bad_udp++;
	} else if (!from_peer(m)) {	/* parse_frame checked the IP header is there */
		lb_sync.rx_not_a_peer++;
	} else {
		e = lb_sync_msg_decode(payload, len, r->syncid, conns, MAX_CONNS, &n,
				       lb_sync.rx_skip);
		lb_sync.rx_err[e]++;
		lb_sync.rx_conns += n;
		for (i = 0; i < n; i++)
			hand_over(&conns[i]);
	}
	rte_pktmbuf_free(m);
	return true;
}

int
lb_sync_init(const struct lb_config *cfg)
{
	unsigned int w;
	char msg[128];

	memset(&lb_sync, 0, sizeof(lb_sync));
	lb_sync.cfg = cfg;
	lb_sync.vrrp_state = -ENOENT;
	lb_sync.msg = rte_zmalloc("lb_sync_msg", 65536, 0);
	if (lb_sync.msg == NULL)
		return -ENOMEM;
	for (w = 0; w < lb_nb_workers; w++) {
		char name[RTE_RING_NAMESIZE];
		unsigned int socket = rte_lcore_to_socket_id(lb_worker_lcore[w]);

		snprintf(name, sizeof(name), "lb_sync_ev_%u", w);
		lb_sync_wk[w].events = rte_ring_create_elem(name, sizeof(struct lb_sync_conn),
							    LB_SYNC_RING_SIZE, (int)socket,
							    RING_F_SP_ENQ | RING_F_SC_DEQ);
		snprintf(name, sizeof(name), "lb_sync_in_%u", w);
		lb_sync_wk[w].installs = rte_ring_create_elem(name, sizeof(struct lb_sync_conn),
							      LB_SYNC_RING_SIZE, (int)socket,
							      RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (lb_sync_wk[w].events == NULL || lb_sync_wk[w].installs == NULL) {
			LOG(ERR, "cannot create the sync rings of worker %u: %s", w,
			    rte_strerror(rte_errno));
			return -ENOMEM;
		}
	}
	lb_sync_threshold_tsc = rte_get_tsc_hz() * cfg->sync.threshold_s;
	lb_sync_refresh_tsc = rte_get_tsc_hz() * (cfg->sync.refresh_s ? cfg->sync.refresh_s : 30);
	lb_sync_hook_removed();
	if (cfg->sync.enabled && cfg->sync.vrrp_instance[0] == '\0') {
		if ((cfg->sync.roles & LB_SYNC_MASTER) &&
		    lb_sync_start(LB_SYNC_ROLE_MASTER, NULL, msg, sizeof(msg)) != 0)
			LOG(ERR, "master sync daemon: %s", msg);
		if ((cfg->sync.roles & LB_SYNC_BACKUP) &&
		    lb_sync_start(LB_SYNC_ROLE_BACKUP, NULL, msg, sizeof(msg)) != 0)
			LOG(ERR, "backup sync daemon: %s", msg);
	}
	return 0;
}

void
lb_sync_term(void)
{
	unsigned int w;

	__atomic_store_n(&lb_sync_master_on, 0, __ATOMIC_RELEASE);
	lb_conn_removed_hook = NULL;
	for (w = 0; w < LB_MAX_WORKERS; w++) {
		rte_ring_free(lb_sync_wk[w].events);
		rte_ring_free(lb_sync_wk[w].installs);
		memset(&lb_sync_wk[w], 0, sizeof(lb_sync_wk[w]));
	}
	rte_free(lb_sync.msg);
	memset(&lb_sync, 0, sizeof(lb_sync));
}
