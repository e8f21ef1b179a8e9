/* SPDX-License-Identifier: BSD-3-Clause */
/* /dplb/... DPDK telemetry endpoints over the observability snapshot. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <rte_eal.h>
#include <rte_log.h>
#include <rte_telemetry.h>

#include "app/obs.h"
#include "app/telemetry.h"
#include "vrrp/fsm.h"

RTE_LOG_REGISTER_SUFFIX(lb_tel_logtype, telemetry, INFO);
#define LOG(level, fmt, ...) \
	rte_log(RTE_LOG_##level, lb_tel_logtype, "dplb: telemetry: " fmt "\n", ##__VA_ARGS__)

/*
 * Entries per reply: a real server is up to ~420 bytes of JSON, and DPDK
 * silently leaves out what does not fit in its 16 KB: 32 of them fit.
 */
#define MAX_ENTRIES 32

static const char *const val_names[LB_OBS_NVAL] = {
	"conns", "inpkts", "outpkts", "inbytes", "outbytes" };
static const char *const rate_names[LB_OBS_NVAL] = {
	"cps", "inpps", "outpps", "inbps", "outbps" };

/*
 * What a parameter "[TCP:|UDP:]VIP:PORT", "[...],SKIP" or "SKIP" asks for:
 * one service (proto 0 = either), and the matching entries to pass over
 * (the "next" of a truncated reply).
 */
struct filter {
	bool on;
	uint8_t proto;
	uint32_t vip;
	uint16_t port;
	unsigned int skip;
	unsigned int seen;		/* matching entries so far */
};

#define PARAM_HELP "parameter must be [TCP:|UDP:]VIP:PORT, [TCP:|UDP:]VIP:PORT,SKIP or SKIP"

/* "SKIP": a count of entries, 0..1000000. */
static int
parse_skip(const char *p, unsigned int *skip)
{
	char *end;
	unsigned long v;

	if (*p < '0' || *p > '9')
		return -EINVAL;
	v = strtoul(p, &end, 10);
	if (*end != '\0' || v > 1000000)
		return -EINVAL;
	*skip = (unsigned int)v;
	return 0;
}

static int
parse_filter(const char *params, struct filter *f)
{
	char buf[64], *colon, *end, *comma;
	struct in_addr a;
	unsigned long port;
	const char *p;

	memset(f, 0, sizeof(*f));
	if (params == NULL || *params == '\0')
		return 0;
	if (strlen(params) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, params);
	comma = strchr(buf, ',');
	if (comma != NULL) {
		*comma = '\0';
		if (parse_skip(comma + 1, &f->skip) != 0)
			return -EINVAL;
	} else if (strchr(buf, ':') == NULL)
		return parse_skip(buf, &f->skip);
	p = buf;
	if (strncasecmp(p, "tcp:", 4) == 0 || strncasecmp(p, "udp:", 4) == 0) {
		f->proto = strncasecmp(p, "udp", 3) == 0 ? IPPROTO_UDP : IPPROTO_TCP;
		p += 4;
	}
	colon = strrchr(p, ':');
	if (colon == NULL)
		return -EINVAL;
	*colon = '\0';
	port = strtoul(colon + 1, &end, 10);
	if (colon[1] < '0' || colon[1] > '9' || *end != '\0' || port == 0 || port > 65535 ||
	    inet_pton(AF_INET, p, &a) != 1)
		return -EINVAL;
	f->on = true;
	f->vip = ntohl(a.s_addr);
	f->port = (uint16_t)port;
	return 0;
}

/* s matches and is not among the entries to pass over. */
static bool
filter_match(struct filter *f, const struct lb_obs_svc *s)
{
	if (f->on && ((f->proto != 0 && f->proto != s->proto) || f->vip != s->vip ||
		      f->port != s->port))
		return false;
	return f->seen++ >= f->skip;
}

static int
error_reply(struct rte_tel_data *d, const char *msg)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "error", msg);
	return 0;
}

/*
 * A dict key from a name: DPDK takes only A-Z a-z 0-9 _ / in keys, so any
 * other byte becomes '_' (the real name is in the entry's "name").
 */
static const char *
key_name(char *buf, size_t len, const char *name)
{
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < len; i++)
		buf[i] = isalnum((unsigned char)name[i]) || name[i] == '/' ? name[i] : '_';
	buf[i] = '\0';
	return buf;
}

/* "TCP 198.18.1.100:80" */
static void
svc_name(char *buf, size_t len, const struct lb_obs_svc *s)
{
	struct in_addr a = { .s_addr = htonl(s->vip) };
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &a, ip, sizeof(ip));
	snprintf(buf, len, "%s %s:%u", lb_obs_proto_name(s->proto), ip, s->port);
}

static void
add_traffic(struct rte_tel_data *c, const struct lb_obs_traffic *t)
{
	unsigned int i;

	for (i = 0; i < LB_OBS_NVAL; i++)
		rte_tel_data_add_dict_u64(c, val_names[i], t->v[i]);
	for (i = 0; i < LB_OBS_NVAL; i++)
		rte_tel_data_add_dict_u64(c, rate_names[i], (uint64_t)(t->rate[i] + 0.5));
}

/* Start the reply; returns the snapshot (held) or NULL with an error reply. */
static const struct lb_obs *
begin(struct rte_tel_data *d)
{
	const struct lb_obs *o = lb_obs_get();

	if (o == NULL) {
		lb_obs_put();
		error_reply(d, "dplb is starting: no snapshot yet");
		return NULL;
	}
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "snapshot", o->seq);
	return o;
}

/* With a [TCP:|UDP:]VIP:PORT parameter: begin() after parsing it into *f. */
static const struct lb_obs *
begin_filtered(struct rte_tel_data *d, const char *params, struct filter *f)
{
	if (parse_filter(params, f) != 0) {
		error_reply(d, PARAM_HELP);
		return NULL;
	}
	return begin(d);
}

/*
 * A new entry dict, or NULL past MAX_ENTRIES (then "truncated": 1 and
 * "next": the SKIP that asks for the rest are added) or without memory.
 */
static struct rte_tel_data *
entry_new(struct rte_tel_data *d, unsigned int *n, unsigned int skip)
{
	struct rte_tel_data *c;

	if ((*n)++ >= MAX_ENTRIES) {
		rte_tel_data_add_dict_int(d, "truncated", 1);
		rte_tel_data_add_dict_int(d, "next", (int)(skip + MAX_ENTRIES));
		return NULL;
	}
	c = rte_tel_data_alloc();
	if (c != NULL)
		rte_tel_data_start_dict(c);
	return c;
}

static int
tel_services(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct lb_obs *o;
	struct filter f;
	unsigned int i, n = 0;
	char name[64];

	(void)cmd;
	o = begin_filtered(d, params, &f);
	if (o == NULL)
		return 0;
	for (i = 0; i < o->nb_svcs; i++) {
		const struct lb_obs_svc *s = &o->svcs[i];
		struct rte_tel_data *c;

		if (!filter_match(&f, s))
			continue;
		c = entry_new(d, &n, f.skip);
		if (c == NULL)
			break;
		svc_name(name, sizeof(name), s);
		rte_tel_data_add_dict_string(c, "service", name);
		rte_tel_data_add_dict_string(c, "scheduler", s->sched);
		rte_tel_data_add_dict_int(c, "realservers", (int)s->nb_rs);
		add_traffic(c, &s->t);
		snprintf(name, sizeof(name), "svc%u", i);
		rte_tel_data_add_dict_container(d, name, c, 0);
	}
	rte_tel_data_add_dict_int(d, "services", (int)o->nb_svcs);
	lb_obs_put();
	return 0;
}

static int
tel_realservers(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct lb_obs *o;
	struct filter f;
	unsigned int i, n = 0;
	char name[128], sn[64], ip[INET_ADDRSTRLEN];

	(void)cmd;
	o = begin_filtered(d, params, &f);
	if (o == NULL)
		return 0;
	for (i = 0; i < o->nb_rs; i++) {
		const struct lb_obs_rs *r = &o->rs[i];
		struct in_addr a = { .s_addr = htonl(r->addr) };
		struct rte_tel_data *c;

		if (!filter_match(&f, &o->svcs[r->svc]))
			continue;
		c = entry_new(d, &n, f.skip);
		if (c == NULL)
			break;
		svc_name(sn, sizeof(sn), &o->svcs[r->svc]);
		inet_ntop(AF_INET, &a, ip, sizeof(ip));
		rte_tel_data_add_dict_string(c, "service", sn);
		snprintf(name, sizeof(name), "%s:%u", ip, r->port);
		rte_tel_data_add_dict_string(c, "server", name);
		rte_tel_data_add_dict_string(c, "forward", r->fwd);
		rte_tel_data_add_dict_int(c, "weight", r->weight);
		rte_tel_data_add_dict_int(c, "activeconns", r->activeconns);
		rte_tel_data_add_dict_int(c, "inactconns", r->inactconns);
		rte_tel_data_add_dict_int(c, "persistconns", r->persistconns);
		rte_tel_data_add_dict_int(c, "overloaded", r->overloaded);
		add_traffic(c, &r->t);
		snprintf(name, sizeof(name), "rs%u", i);
		rte_tel_data_add_dict_container(d, name, c, 0);
	}
	rte_tel_data_add_dict_int(d, "realservers", (int)o->nb_rs);
	lb_obs_put();
	return 0;
}

static int
tel_vrrp(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct lb_obs *o;
	unsigned int i;
	char key[LB_NAME_LEN];

	(void)cmd;
	(void)params;
	o = begin(d);
	if (o == NULL)
		return 0;
	for (i = 0; i < o->nb_vrrp; i++) {
		const struct lb_vrrp_info *v = &o->vrrp[i];
		struct rte_tel_data *c = rte_tel_data_alloc();
		uint64_t errs = 0;
		unsigned int e;

		if (c == NULL)
			break;
		for (e = 0; e < LB_VRRP_ERR_MAX; e++)
			errs += v->cnt.rx_err[e];
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_string(c, "name", v->name);
		rte_tel_data_add_dict_string(c, "interface", v->iface);
		rte_tel_data_add_dict_int(c, "vrid", (int)v->vrid);
		rte_tel_data_add_dict_string(c, "state", lb_vrrp_state_name(v->state));
		rte_tel_data_add_dict_int(c, "priority", (int)v->priority);
		rte_tel_data_add_dict_int(c, "base_priority", (int)v->base_priority);
		rte_tel_data_add_dict_u64(c, "transitions", v->cnt.transitions);
		rte_tel_data_add_dict_u64(c, "become_master", v->cnt.become_master);
		rte_tel_data_add_dict_u64(c, "leave_master", v->cnt.leave_master);
		rte_tel_data_add_dict_u64(c, "rx_adverts", v->cnt.rx_ok);
		rte_tel_data_add_dict_u64(c, "rx_rejected", errs);
		rte_tel_data_add_dict_u64(c, "tx_adverts", v->cnt.tx_adverts);
		rte_tel_data_add_dict_u64(c, "tx_garp", v->cnt.tx_garp);
		rte_tel_data_add_dict_container(d, key_name(key, sizeof(key), v->name), c, 0);
	}
	rte_tel_data_add_dict_int(d, "instances", (int)o->nb_vrrp);
	lb_obs_put();
	return 0;
}

static int
tel_health(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct lb_obs *o;
	struct filter f;
	unsigned int i, n = 0;
	char name[128], vip[INET_ADDRSTRLEN], rs[INET_ADDRSTRLEN];

	(void)cmd;
	o = begin_filtered(d, params, &f);
	if (o == NULL)
		return 0;
	for (i = 0; i < o->nb_checks; i++) {
		const struct lb_health_info *h = &o->checks[i];
		const struct lb_obs_svc svc = { .proto = h->proto, .vip = h->vip, .port = h->vport };
		struct in_addr va = { .s_addr = htonl(h->vip) }, ra = { .s_addr = htonl(h->addr) };
		struct rte_tel_data *c;

		if (!filter_match(&f, &svc))
			continue;
		c = entry_new(d, &n, f.skip);
		if (c == NULL)
			break;
		inet_ntop(AF_INET, &va, vip, sizeof(vip));
		inet_ntop(AF_INET, &ra, rs, sizeof(rs));
		snprintf(name, sizeof(name), "%s %s:%u", lb_obs_proto_name(h->proto), vip, h->vport);
		rte_tel_data_add_dict_string(c, "service", name);
		snprintf(name, sizeof(name), "%s:%u", rs, h->port);
		rte_tel_data_add_dict_string(c, "server", name);
		rte_tel_data_add_dict_string(c, "check", h->type);
		snprintf(name, sizeof(name), "%.100s", h->target);
		rte_tel_data_add_dict_string(c, "target", name);
		rte_tel_data_add_dict_string(c, "state", !h->has_run ? (h->up ? "PENDING" : "DOWN") :
					     h->up ? "UP" : "DOWN");
		rte_tel_data_add_dict_string(c, "realserver", h->rs_alive ? "ALIVE" : "DEAD");
		rte_tel_data_add_dict_u64(c, "ok", h->nb_ok);
		rte_tel_data_add_dict_u64(c, "fail", h->nb_fail);
		rte_tel_data_add_dict_u64(c, "last_duration_us", h->last_duration_us);
		rte_tel_data_add_dict_string(c, "last_error", h->last_error);
		snprintf(name, sizeof(name), "check%u", i);
		rte_tel_data_add_dict_container(d, name, c, 0);
	}
	rte_tel_data_add_dict_int(d, "checkers", (int)o->nb_checks);
	lb_obs_put();
	return 0;
}

static int
tel_workers(const char *cmd, const char *params, struct rte_tel_data *d)
{
	const struct lb_obs *o;
	unsigned int i, r;
	char name[32];

	(void)cmd;
	(void)params;
	o = begin(d);
	if (o == NULL)
		return 0;
	for (i = 0; i < o->nb_workers; i++) {
		const struct lb_obs_worker *w = &o->workers[i];
		struct rte_tel_data *c = rte_tel_data_alloc();
		uint64_t drops = 0;

		if (c == NULL)
			break;
		for (r = 1; r < LB_DROP_MAX; r++)
			drops += w->st.drops[r];
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_int(c, "lcore", (int)w->lcore);
		rte_tel_data_add_dict_u64(c, "rx_packets", w->st.rx_pkts);
		rte_tel_data_add_dict_u64(c, "rx_bytes", w->st.rx_bytes);
		rte_tel_data_add_dict_u64(c, "tx_packets", w->st.tx_pkts);
		rte_tel_data_add_dict_u64(c, "to_control", w->st.to_control);
		rte_tel_data_add_dict_u64(c, "busy_cycles", w->st.busy_cycles);
		rte_tel_data_add_dict_u64(c, "busy_cycles_per_packet",
					  w->st.rx_pkts ? w->st.busy_cycles / w->st.rx_pkts : 0);
		rte_tel_data_add_dict_u64(c, "rx_pool_dry", w->st.rx_pool_dry);
		rte_tel_data_add_dict_u64(c, "drops", drops);
		for (r = 1; r < LB_DROP_MAX; r++)
			if (w->st.drops[r] != 0) {
				snprintf(name, sizeof(name), "drop_%s", lb_drop_name(r));
				rte_tel_data_add_dict_u64(c, name, w->st.drops[r]);
			}
		if (w->index < 0)
			snprintf(name, sizeof(name), "control");
		else
			snprintf(name, sizeof(name), "worker%d", w->index);
		rte_tel_data_add_dict_container(d, name, c, 0);
	}
	rte_tel_data_add_dict_u64(d, "connections", o->conns);
	rte_tel_data_add_dict_u64(d, "connections_max", o->conns_max);
	lb_obs_put();
	return 0;
}

static const struct {
	const char *cmd;
	telemetry_cb fn;
	const char *help;
} endpoints[] = {
	{ "/dplb/services", tel_services,
	  "dplb virtual services: counters and rates. Parameter: [TCP:|UDP:]VIP:PORT[,SKIP] or SKIP" },
	{ "/dplb/realservers", tel_realservers,
	  "dplb real servers: weight, connections, counters, rates. Parameter: "
	  "[TCP:|UDP:]VIP:PORT[,SKIP] or SKIP" },
	{ "/dplb/vrrp", tel_vrrp, "dplb VRRP instances: state, priority, transitions, adverts" },
	{ "/dplb/health", tel_health, "dplb health checkers: state, checks, last latency, last error. "
	  "Parameter: [TCP:|UDP:]VIP:PORT[,SKIP] or SKIP" },
	{ "/dplb/workers", tel_workers,
	  "dplb lcores: packets, busy cycles per packet, drops by reason; connection table fill" },
};

int
lb_telemetry_init(const struct lb_config *cfg)
{
	const char *dir, *prefix;
	unsigned int i;
	int rc;

	for (i = 0; i < RTE_DIM(endpoints); i++) {
		rc = rte_telemetry_register_cmd(endpoints[i].cmd, endpoints[i].fn, endpoints[i].help);
		if (rc != 0) {
			LOG(ERR, "cannot register %s: %s", endpoints[i].cmd, strerror(-rc));
			return rc;
		}
	}
	rc = lb_obs_init(cfg->conn_max);
	if (rc == 0)
		rc = lb_obs_refresh() == -ENOMEM ? -ENOMEM : 0;
	dir = rte_eal_get_runtime_dir();
	prefix = strrchr(dir, '/');
	LOG(NOTICE, "telemetry socket %s/dpdk_telemetry.v2 (dpdk-telemetry.py -f %s), "
	    "endpoints /dplb/*", dir, prefix != NULL ? prefix + 1 : dir);
	return rc;
}

void
lb_telemetry_term(void)
{
	lb_obs_term();
}
