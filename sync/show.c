/* SPDX-License-Identifier: BSD-3-Clause */
/* What the sync daemon shows: ipvsadm --daemon and `show sync`. */
#include <inttypes.h>

#include "app/lcore.h"
#include "pmd-glue/port.h"
#include "sync/sync_priv.h"
#include "vrrp/fsm.h"

static const char *const role_names[LB_SYNC_ROLES] = { "master", "backup" };

static char *
ip_str(rte_be32_t a, char *buf, size_t len)
{
	return lb_ipv4_str(rte_be_to_cpu_32(a), buf, len);
}

void
lb_sync_list(FILE *out)
{
	unsigned int i;
	char g[16];

	for (i = 0; i < LB_SYNC_ROLES; i++) {
		const struct lb_sync_run *r = &lb_sync.run[i];

		if (!r->on)
			continue;
		/* ipvsadm 1.31 over a kernel that reports every field */
		fprintf(out, "%s sync daemon (mcast=%s, syncid=%d, maxlen=%u, group=%s, port=%u, "
			"ttl=%u)\n", role_names[i], r->port->cfg->name, r->syncid, r->maxlen,
			ip_str(r->group, g, sizeof(g)), rte_be_to_cpu_16(r->udp_port), r->ttl);
	}
}

/* The workers' counters, summed. */
static void
sum_workers(struct lb_sync_wk *t)
{
	unsigned int w;

	memset(t, 0, sizeof(*t));
	for (w = 0; w < lb_nb_workers; w++) {
		const struct lb_sync_wk *k = &lb_sync_wk[w];

		t->ev_queued += k->ev_queued;
		t->ev_dropped += k->ev_dropped;
		t->installed += k->installed;
		t->updated += k->updated;
		t->no_service += k->no_service;
		t->no_dest += k->no_dest;
		t->create_failed += k->create_failed;
		t->conflict += k->conflict;
	}
}

void
lb_sync_show(FILE *out)
{
	const struct lb_cfg_sync *c = lb_sync.cfg ? &lb_sync.cfg->sync : NULL;
	struct lb_sync_wk t;
	unsigned int i;
	char a[16];

	for (i = 0; i < LB_SYNC_ROLES; i++) {
		const struct lb_sync_run *r = &lb_sync.run[i];

		if (!r->on) {
			fprintf(out, "%s: stopped\n", role_names[i]);
			continue;
		}
		fprintf(out, "%s: running on %s, syncid %u, maxlen %u, port %u, %s %s", role_names[i],
			r->port->cfg->name, r->syncid, r->maxlen, rte_be_to_cpu_16(r->udp_port),
			i == LB_SYNC_ROLE_MASTER && c && c->nb_peers ? "unicast from" : "group",
			i == LB_SYNC_ROLE_MASTER && c && c->nb_peers ? ip_str(r->src, a, sizeof(a)) :
			ip_str(r->group, a, sizeof(a)));
		fprintf(out, i == LB_SYNC_ROLE_MASTER ? ", ttl %u\n" : "\n", r->ttl);
	}
	if (c != NULL && c->enabled && c->vrrp_instance[0] != '\0')
		fprintf(out, "driven by: vrrp_instance %s (%s)\n", c->vrrp_instance,
			lb_sync.vrrp_state >= 0 ?
			lb_vrrp_state_name((enum lb_vrrp_state)lb_sync.vrrp_state) : "unknown");
	if (c != NULL && c->nb_peers > 0) {
		fputs("peers:", out);
		for (i = 0; i < c->nb_peers; i++)
			fprintf(out, " %s", lb_ipv4_str(c->peers[i], a, sizeof(a)));
		fputc('\n', out);
	}
	if (c != NULL)
		fprintf(out, "threshold %u s, refresh %u s\n", c->threshold_s, c->refresh_s);
	sum_workers(&t);
	fprintf(out, "tx: msgs %" PRIu64 " conns %" PRIu64 " bytes %" PRIu64 " events %" PRIu64
		" events_dropped %" PRIu64 " no_mbuf %" PRIu64 " no_neigh %" PRIu64
		" no_route %" PRIu64 "\n", lb_sync.tx_msgs, lb_sync.tx_conns, lb_sync.tx_bytes,
		t.ev_queued, t.ev_dropped, lb_sync.tx_no_mbuf, lb_sync.tx_no_neigh,
		lb_sync.tx_no_route);
	fprintf(out, "rx: msgs %" PRIu64 " conns %" PRIu64 " installed %" PRIu64 " updated %"
		PRIu64 " own %" PRIu64 " bad_udp %" PRIu64 " not_a_peer %" PRIu64
		" install_ring_full %" PRIu64
		" no_service %" PRIu64 " no_dest %" PRIu64 " create_failed %" PRIu64
		" conflict %" PRIu64 "\n", lb_sync.rx_msgs, lb_sync.rx_conns, t.installed,
		t.updated, lb_sync.rx_own, lb_sync.rx_bad_udp, lb_sync.rx_not_a_peer,
		lb_sync.rx_install_full,
		t.no_service, t.no_dest, t.create_failed, t.conflict);
	fputs("rx_dropped:", out);
	for (i = 1; i < LB_SYNC_ERR_MAX; i++)
		fprintf(out, " %s %" PRIu64, lb_sync_err_name(i), lb_sync.rx_err[i]);
	for (i = 0; i < LB_SYNC_SKIP_MAX; i++)
		fprintf(out, " %s %" PRIu64, lb_sync_skip_name(i), lb_sync.rx_skip[i]);
	fputc('\n', out);
}
