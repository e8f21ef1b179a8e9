/* SPDX-License-Identifier: BSD-3-Clause */
/* Prometheus text exposition of the observability snapshot. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "app/metrics_fmt.h"
#include "vrrp/fsm.h"

char *
lb_metrics_label_escape(const char *s, char *buf, size_t len)
{
	size_t o = 0;

	for (; *s != '\0'; s++) {
		const char *esc = *s == '\\' ? "\\\\" : *s == '"' ? "\\\"" : *s == '\n' ? "\\n" : NULL;
		size_t n = esc != NULL ? 2 : 1;

		if (o + n + 1 > len)
			break;
		if (esc != NULL)
			memcpy(buf + o, esc, 2);
		else
			buf[o] = *s;
		o += n;
	}
	if (len > 0)
		buf[o] = '\0';
	return buf;
}

static void
family(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static const char *
ip(uint32_t a, char *buf)
{
	struct in_addr in = { .s_addr = htonl(a) };

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

/* proto="TCP",vip="…",port="…" of a service. */
static void
svc_labels(char *buf, size_t len, const struct lb_obs_svc *s)
{
	char a[INET_ADDRSTRLEN];

	snprintf(buf, len, "proto=\"%s\",vip=\"%s\",port=\"%u\"", lb_obs_proto_name(s->proto),
		 ip(s->vip, a), s->port);
}

static void
rs_labels(char *buf, size_t len, const struct lb_obs *o, const struct lb_obs_rs *r)
{
	char sl[96], a[INET_ADDRSTRLEN];

	svc_labels(sl, sizeof(sl), &o->svcs[r->svc]);
	snprintf(buf, len, "%s,server=\"%s\",server_port=\"%u\"", sl, ip(r->addr, a), r->port);
}

/* The labels of service or real server i (kind 0: services, 1: real servers). */
static unsigned int
nb_of(const struct lb_obs *o, int kind)
{
	return kind == 0 ? o->nb_svcs : o->nb_rs;
}

static const struct lb_obs_traffic *
traffic_of(const struct lb_obs *o, int kind, unsigned int i, char *labels, size_t len)
{
	if (kind == 0) {
		svc_labels(labels, len, &o->svcs[i]);
		return &o->svcs[i].t;
	}
	rs_labels(labels, len, o, &o->rs[i]);
	return &o->rs[i].t;
}

/* Connections, packets, bytes (counters) and their rates (gauges). */
static void
traffic_families(FILE *out, const struct lb_obs *o, int kind)
{
	const char *who = kind == 0 ? "service" : "realserver";
	const char *what = kind == 0 ? "virtual service" : "real server";
	static const struct { const char *suffix; int in, outv; const char *help; } fam[] = {
		{ "connections", LB_OBS_CONNS, -1, "connections scheduled" },
		{ "packets", LB_OBS_INPKTS, LB_OBS_OUTPKTS, "packets forwarded, by direction" },
		{ "bytes", LB_OBS_INBYTES, LB_OBS_OUTBYTES, "bytes (IP) forwarded, by direction" },
	};
	char name[96], help[160], labels[256];
	unsigned int f, i, n = nb_of(o, kind);

	for (f = 0; f < RTE_DIM(fam); f++) {
		for (int rate = 0; rate < 2; rate++) {
			snprintf(name, sizeof(name), "dplb_%s_%s%s", who, fam[f].suffix,
				 rate ? "_per_second" : "_total");
			snprintf(help, sizeof(help), "Per %s: %s%s", what, fam[f].help,
				 rate ? ", per second (LVS estimator, 2 s samples)" : "");
			family(out, name, rate ? "gauge" : "counter", help);
			for (i = 0; i < n; i++) {
				const struct lb_obs_traffic *t = traffic_of(o, kind, i, labels,
									    sizeof(labels));

				if (fam[f].outv < 0) {
					if (rate)
						fprintf(out, "%s{%s} %.3f\n", name, labels,
							t->rate[fam[f].in]);
					else
						fprintf(out, "%s{%s} %" PRIu64 "\n", name, labels,
							t->v[fam[f].in]);
					continue;
				}
				for (int d = 0; d < 2; d++) {
					int v = d ? fam[f].outv : fam[f].in;

					if (rate)
						fprintf(out, "%s{%s,direction=\"%s\"} %.3f\n", name, labels,
							d ? "out" : "in", t->rate[v]);
					else
						fprintf(out, "%s{%s,direction=\"%s\"} %" PRIu64 "\n", name,
							labels, d ? "out" : "in", t->v[v]);
				}
			}
		}
	}
}

static void
realserver_gauges(FILE *out, const struct lb_obs *o)
{
	static const struct { const char *name, *help; } fam[] = {
		{ "dplb_realserver_active_connections", "ESTABLISHED TCP connections (ActiveConn)" },
		{ "dplb_realserver_inactive_connections", "other connections (InActConn)" },
		{ "dplb_realserver_persistent_connections", "persistence templates (PersistConn)" },
		{ "dplb_realserver_weight", "weight in the scheduler (0: quiesced or checked down)" },
		{ "dplb_realserver_overloaded", "1 while over its upper connection threshold" },
	};
	char labels[256];
	unsigned int f, i;

	for (f = 0; f < RTE_DIM(fam); f++) {
		family(out, fam[f].name, "gauge", fam[f].help);
		for (i = 0; i < o->nb_rs; i++) {
			const struct lb_obs_rs *r = &o->rs[i];
			int64_t v = f == 0 ? r->activeconns : f == 1 ? r->inactconns :
				    f == 2 ? r->persistconns : f == 3 ? r->weight : r->overloaded;

			rs_labels(labels, sizeof(labels), o, r);
			fprintf(out, "%s{%s} %" PRId64 "\n", fam[f].name, labels, v);
		}
	}
}

static void
worker_label(char *buf, size_t len, const struct lb_obs_worker *w)
{
	if (w->index < 0)
		snprintf(buf, len, "worker=\"control\",lcore=\"%u\"", w->lcore);
	else
		snprintf(buf, len, "worker=\"%d\",lcore=\"%u\"", w->index, w->lcore);
}

static void
worker_families(FILE *out, const struct lb_obs *o)
{
	static const struct { const char *name, *type, *help; } fam[] = {
		{ "dplb_worker_rx_packets_total", "counter", "packets received" },
		{ "dplb_worker_rx_bytes_total", "counter", "bytes received (frames)" },
		{ "dplb_worker_tx_packets_total", "counter", "packets sent" },
		{ "dplb_worker_busy_cycles_total", "counter", "TSC cycles spent on polls that found work" },
		{ "dplb_worker_busy_cycles_per_packet", "gauge", "busy cycles per received packet since start" },
		{ "dplb_worker_rx_pool_dry_total", "counter", "times RX found the mbuf pool dry" },
	};
	char wl[64];
	unsigned int f, i, r;

	for (f = 0; f < RTE_DIM(fam); f++) {
		family(out, fam[f].name, fam[f].type, fam[f].help);
		for (i = 0; i < o->nb_workers; i++) {
			const struct lb_lcore_stats *st = &o->workers[i].st;
			uint64_t v = f == 0 ? st->rx_pkts : f == 1 ? st->rx_bytes : f == 2 ? st->tx_pkts :
				     f == 3 ? st->busy_cycles : f == 5 ? st->rx_pool_dry :
				     st->rx_pkts ? st->busy_cycles / st->rx_pkts : 0;

			worker_label(wl, sizeof(wl), &o->workers[i]);
			fprintf(out, "%s{%s} %" PRIu64 "\n", fam[f].name, wl, v);
		}
	}
	family(out, "dplb_worker_drops_total", "counter", "packets dropped, by reason");
	for (i = 0; i < o->nb_workers; i++) {
		worker_label(wl, sizeof(wl), &o->workers[i]);
		for (r = 1; r < LB_DROP_MAX; r++)
			fprintf(out, "dplb_worker_drops_total{%s,reason=\"%s\"} %" PRIu64 "\n", wl,
				lb_drop_name(r), o->workers[i].st.drops[r]);
	}
}

static void
vrrp_families(FILE *out, const struct lb_obs *o)
{
	static const enum lb_vrrp_state states[] = { LB_VRRP_STATE_INIT, LB_VRRP_STATE_BACKUP,
		LB_VRRP_STATE_MASTER, LB_VRRP_STATE_FAULT };
	static const struct { const char *name, *type, *help; } fam[] = {
		{ "dplb_vrrp_priority", "gauge", "effective priority (tracking applied)" },
		{ "dplb_vrrp_transitions_total", "counter", "state changes" },
		{ "dplb_vrrp_become_master_total", "counter", "times it became MASTER" },
		{ "dplb_vrrp_adverts_received_total", "counter", "adverts accepted" },
		{ "dplb_vrrp_adverts_sent_total", "counter", "adverts sent" },
	};
	char name[96], l[160];
	unsigned int f, i, s;

	family(out, "dplb_vrrp_state", "gauge", "1 for the state the VRRP instance is in, 0 for the others");
	for (i = 0; i < o->nb_vrrp; i++) {
		const struct lb_vrrp_info *v = &o->vrrp[i];

		lb_metrics_label_escape(v->name, name, sizeof(name));
		for (s = 0; s < RTE_DIM(states); s++)
			fprintf(out, "dplb_vrrp_state{instance=\"%s\",vrid=\"%u\",state=\"%s\"} %d\n",
				name, v->vrid, lb_vrrp_state_name(states[s]), v->state == states[s]);
	}
	for (f = 0; f < RTE_DIM(fam); f++) {
		family(out, fam[f].name, fam[f].type, fam[f].help);
		for (i = 0; i < o->nb_vrrp; i++) {
			const struct lb_vrrp_info *v = &o->vrrp[i];
			uint64_t val = f == 0 ? v->priority : f == 1 ? v->cnt.transitions :
				       f == 2 ? v->cnt.become_master : f == 3 ? v->cnt.rx_ok :
				       v->cnt.tx_adverts;

			snprintf(l, sizeof(l), "instance=\"%s\",vrid=\"%u\"",
				 lb_metrics_label_escape(v->name, name, sizeof(name)), v->vrid);
			fprintf(out, "%s{%s} %" PRIu64 "\n", fam[f].name, l, val);
		}
	}
}

static void
check_labels(char *buf, size_t len, const struct lb_health_info *h)
{
	char v[INET_ADDRSTRLEN], r[INET_ADDRSTRLEN], t[200];

	snprintf(buf, len, "proto=\"%s\",vip=\"%s\",port=\"%u\",server=\"%s\",server_port=\"%u\","
		 "check=\"%s\",target=\"%s\"", lb_obs_proto_name(h->proto), ip(h->vip, v), h->vport,
		 ip(h->addr, r), h->port, h->type, lb_metrics_label_escape(h->target, t, sizeof(t)));
}

static void
health_families(FILE *out, const struct lb_obs *o)
{
	char l[512];
	unsigned int f, i;

	for (f = 0; f < 3; f++) {
		if (f == 0)
			family(out, "dplb_checker_up", "gauge",
			       "1 while the health checker passes (or has not run yet without alpha)");
		else if (f == 1)
			family(out, "dplb_checker_realserver_alive", "gauge",
			       "1 while the checked real server is in service");
		else
			family(out, "dplb_checker_last_duration_seconds", "gauge",
			       "time the last check attempt took");
		for (i = 0; i < o->nb_checks; i++) {
			const struct lb_health_info *h = &o->checks[i];

			check_labels(l, sizeof(l), h);
			if (f == 2)
				fprintf(out, "dplb_checker_last_duration_seconds{%s} %.6f\n", l,
					(double)h->last_duration_us / 1e6);
			else
				fprintf(out, "%s{%s} %d\n", f == 0 ? "dplb_checker_up" :
					"dplb_checker_realserver_alive", l, f == 0 ? h->up : h->rs_alive);
		}
	}
	family(out, "dplb_checker_checks_total", "counter", "check attempts, by result");
	for (i = 0; i < o->nb_checks; i++) {
		check_labels(l, sizeof(l), &o->checks[i]);
		fprintf(out, "dplb_checker_checks_total{%s,result=\"ok\"} %" PRIu64 "\n", l,
			o->checks[i].nb_ok);
		fprintf(out, "dplb_checker_checks_total{%s,result=\"fail\"} %" PRIu64 "\n", l,
			o->checks[i].nb_fail);
	}
}

int
lb_metrics_render(const struct lb_obs *o, const char *version, FILE *out)
{
	char v[64];

	family(out, "dplb_build_info", "gauge", "always 1; the version is a label");
	fprintf(out, "dplb_build_info{version=\"%s\"} 1\n",
		lb_metrics_label_escape(version, v, sizeof(v)));
	family(out, "dplb_uptime_seconds", "gauge", "seconds since dplb started its modules");
	fprintf(out, "dplb_uptime_seconds %" PRIu64 "\n", o->uptime_s);
	family(out, "dplb_config_reloads_total", "counter", "configuration reloads, by result");
	fprintf(out, "dplb_config_reloads_total{result=\"ok\"} %" PRIu64 "\n",
		o->reloads - o->reload_failures);
	fprintf(out, "dplb_config_reloads_total{result=\"failed\"} %" PRIu64 "\n", o->reload_failures);
	family(out, "dplb_connections", "gauge", "connections in the connection tables");
	fprintf(out, "dplb_connections %" PRIu64 "\n", o->conns);
	family(out, "dplb_connections_max", "gauge", "capacity of the connection tables");
	fprintf(out, "dplb_connections_max %" PRIu64 "\n", o->conns_max);
	family(out, "dplb_connection_table_fill_ratio", "gauge", "connections / capacity");
	fprintf(out, "dplb_connection_table_fill_ratio %.6f\n",
		o->conns_max ? (double)o->conns / (double)o->conns_max : 0.0);
	traffic_families(out, o, 0);
	traffic_families(out, o, 1);
	realserver_gauges(out, o);
	worker_families(out, o);
	vrrp_families(out, o);
	health_families(out, o);
	return ferror(out) ? -EIO : 0;
}
